//! `classify label`: segment articles into paragraphs and label each, in parallel,
//! writing results in input order. Small articles are read whole and labelled many at a
//! time; large ones are streamed block by block, so memory stays flat.

use crate::cli::{LabelArgs, DEFAULT_ID_FIELD, DEFAULT_TEXT_FIELD};
use crate::cmd::Outcome;
use crate::common::{fits_window, load_model, plural, INTERRUPTED, WINDOW, WINDOW_BYTES};
use anyhow::{bail, Result};
use classify_corpus::{
    check_not_an_input, check_not_in_an_input_directory, input_key, open_article, read_input_records, walk,
    write_atomic, Article, BlockStream, LabelledArticle, LabelledParagraph, Opened, Record, Records, ResultWriter,
    Skipped, Tally,
};
use classify_model::{Model, Prediction, TermCache, TermCaches};
use classify_text::{segment, Paragraph};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Whole articles labelled together: at most this many...
const BATCH: usize = 128;
/// ...or this many bytes of text, which bounds memory on many-file inputs.
const BATCH_BYTES: usize = 2 << 20;
/// Terms shown per paragraph with --explain.
const EXPLAIN_TERMS: usize = 5;

/// Consecutive records of one group, being read.
struct Open {
    group: String,
    records: Vec<Record>,
    /// Bytes of text in `records`.
    size: usize,
    /// Set once the group outgrew a window: it is then written window by window.
    running: Option<Running>,
}

/// What is labelled as one article: an article's text, to split into paragraphs, or
/// consecutive records of one group, one paragraph each.
enum Unit {
    Article(Article),
    Records { group: String, records: Vec<Record> },
}

impl Unit {
    fn bytes(&self) -> usize {
        match self {
            Unit::Article(a) => a.text.len(),
            Unit::Records { records, .. } => records.iter().map(|r| r.text.len()).sum(),
        }
    }
}

struct Labeller<'a> {
    model: &'a Model,
    caches: TermCaches,
    args: &'a LabelArgs,
    writer: ResultWriter,
    progress: ProgressBar,
    paragraphs: usize,
    articles: usize,
    skipped: Vec<Skipped>,
    /// Units waiting to be labelled together, and their bytes of text.
    pending: Vec<Unit>,
    pending_bytes: usize,
    /// Whether any input was read as a file of records.
    read_records: bool,
    /// Records left out by `--where`.
    filtered: usize,
    /// Inputs found, read or not.
    inputs: usize,
    /// Whether every input was walked (the output could be opened, no interrupt).
    walked: bool,
}

fn interrupted() -> std::io::Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"));
    }
    Ok(())
}

impl Labeller<'_> {
    /// Why there is nothing to write, if there is not: every input was skipped, or
    /// `--where` left out every record. An existing output file is then left as it was.
    fn read_nothing(&self) -> Option<&'static str> {
        if self.articles > 0 || !self.walked {
            None
        } else if !self.skipped.is_empty() {
            Some("no input could be read")
        } else if self.filtered > 0 {
            Some("--where left out every record: nothing was labelled")
        } else if self.inputs == 0 {
            Some("found no file to label (directories are searched recursively; hidden files and folders are passed over)")
        } else {
            Some("the inputs hold no records: nothing was labelled")
        }
    }

    /// The paragraphs' predictions, each in the context of the others (see
    /// [`Model::in_context`]).
    fn predict(&self, paragraphs: &[Paragraph], cache: &mut TermCache) -> Vec<Prediction> {
        let preds = paragraphs.iter().map(|p| self.model.predict_with(&p.text, cache)).collect();
        self.model.in_context(preds)
    }

    fn labelled(&self, index: usize, p: Paragraph, pred: Prediction) -> LabelledParagraph {
        let labels = self.model.labels();
        let explanation = if self.args.explain {
            let why = self.model.explain_prediction(&p.text, &pred, EXPLAIN_TERMS);
            why.into_iter().map(|c| (c.term, c.weight)).collect()
        } else {
            Vec::new()
        };
        let confident = self.args.min_confidence.is_none_or(|min| pred.probabilities[pred.label] >= min);
        LabelledParagraph {
            index,
            line: p.line,
            label: if confident { labels[pred.label].clone() } else { "uncertain".into() },
            probabilities: pred.probabilities,
            text: p.text,
            explanation,
            id: None,
        }
    }

    fn label_whole(&self, article: &Article, cache: &mut TermCache) -> LabelledArticle {
        let found = segment(&article.text);
        self.label_paragraphs(&article.name, found, Vec::new(), cache)
    }

    /// Labels records of one group as the paragraphs of one article.
    fn label_records(&self, group: &str, records: &[Record], cache: &mut TermCache) -> LabelledArticle {
        let paragraphs = records.iter().map(|r| Paragraph { text: r.text.clone(), line: r.line }).collect();
        let ids = records.iter().map(|r| r.id.clone()).collect();
        self.label_paragraphs(group, paragraphs, ids, cache)
    }

    /// Labels the paragraphs of one article, each in the context of the others; `ids`
    /// (empty, or one per paragraph) names records.
    fn label_paragraphs(
        &self,
        name: &str,
        found: Vec<Paragraph>,
        ids: Vec<String>,
        cache: &mut TermCache,
    ) -> LabelledArticle {
        let preds = self.predict(&found, cache);
        let mut ids = ids.into_iter();
        let paragraphs: Vec<LabelledParagraph> = found
            .into_iter()
            .zip(preds)
            .enumerate()
            .map(|(i, (p, pred))| LabelledParagraph { id: ids.next(), ..self.labelled(i + 1, p, pred) })
            .collect();
        let mut sum = vec![0.0; self.model.labels().len()];
        for p in &paragraphs {
            for (s, v) in sum.iter_mut().zip(&p.probabilities) {
                *s += v;
            }
        }
        let count = paragraphs.len();
        let (distribution, topic) = summary(self.model, &sum, count);
        LabelledArticle { name: name.to_string(), paragraphs, distribution, topic, count }
    }

    /// Labels whole articles and record groups in parallel and writes them in order.
    fn flush(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.pending_bytes = 0;
        let results: Vec<LabelledArticle> = pending
            .par_iter()
            .map(|u| {
                self.caches.with(|cache| match u {
                    Unit::Article(a) => self.label_whole(a, cache),
                    Unit::Records { group, records } => self.label_records(group, records, cache),
                })
            })
            .collect();
        for (unit, labelled) in pending.iter().zip(results) {
            interrupted()?;
            if let Unit::Article(Article { name, warning: Some(w), .. }) = unit {
                self.progress.suspend(|| eprintln!("classify: warning: {name}: {w}"));
            }
            self.paragraphs += labelled.count;
            self.articles += 1;
            self.progress.inc(1);
            self.writer.write(out, &labelled)?;
        }
        out.flush()
    }

    /// Queues a unit, labelling the queue when it is full.
    fn queue(&mut self, out: &mut dyn Write, unit: Unit) -> std::io::Result<()> {
        self.pending_bytes += unit.bytes();
        self.pending.push(unit);
        if self.pending.len() >= BATCH || self.pending_bytes >= BATCH_BYTES {
            self.flush(out)?;
        }
        Ok(())
    }

    /// Reads a file of records lazily: consecutive records of one group become one unit,
    /// or, past a window's size, one article written window by window. A bad record
    /// ends the file there, after the records before it are labelled; it is reported
    /// and the file counts as skipped.
    fn records(
        &mut self,
        out: &mut dyn Write,
        name: String,
        opened: classify_corpus::Result<Records>,
    ) -> std::io::Result<()> {
        self.read_records = true;
        let mut iter = match opened {
            Ok(it) => it,
            Err(e) => return self.skip(out, Skipped { name, reason: e.to_string() }),
        };
        let mut open: Option<Open> = None;
        // Articles already closed in this file, and the runs that came back to one.
        let mut closed: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut scattered: (usize, Option<(String, usize)>) = (0, None);
        for item in iter.by_ref() {
            interrupted()?;
            let record = match item {
                Ok(r) => r,
                Err(e) => {
                    if let Some(o) = open.take() {
                        self.close(out, o)?;
                    }
                    let reason = format!("{e} (stopped reading there)");
                    return self.skip(out, Skipped { name, reason });
                }
            };
            match &mut open {
                Some(o) if o.group == record.group => {
                    if !fits_window(o.records.len(), o.size, record.text.len()) {
                        // A group larger than a window is written window by window, as
                        // one article, after everything queued before it.
                        self.flush(out)?;
                        let run = match o.running.take() {
                            Some(run) => run,
                            None => self.begin_running(out, o.group.clone())?,
                        };
                        let run = o.running.insert(run);
                        o.size = 0;
                        let (paragraphs, ids) = as_paragraphs(std::mem::take(&mut o.records));
                        self.window(out, run, paragraphs, ids)?;
                    }
                }
                _ => {
                    if let Some(o) = open.take() {
                        closed.insert(o.group.clone());
                        self.close(out, o)?;
                    }
                    // A record alone is its own group, named by its id.
                    if record.group != record.id && closed.contains(&record.group) {
                        scattered.0 += 1;
                        scattered.1.get_or_insert_with(|| (record.group.clone(), record.line));
                    }
                    open = Some(Open { group: record.group.clone(), records: Vec::new(), size: 0, running: None });
                }
            }
            let o = open.as_mut().expect("set above");
            o.size += record.text.len();
            o.records.push(record);
        }
        if let Some(o) = open {
            self.close(out, o)?;
        }
        if let (n @ 1.., Some((group, line))) = scattered {
            let runs = plural(n, "run", "runs");
            self.progress.suspend(|| {
                eprintln!(
                    "classify: warning: {name}: {runs} of records of an article came after other articles' records (the first: '{group}' again at line {line}): each run was labelled as an article of its own; sort the records by article to read each whole"
                )
            });
        }
        self.check_fields(&name, iter.tally());
        Ok(())
    }

    /// Warns when a record option matched nothing in a whole file: a misspelt field
    /// would otherwise pass unseen (the CSV header catches most of them first).
    fn check_fields(&mut self, name: &str, t: Tally) {
        self.filtered += t.filtered;
        let opts = &self.args.records;
        let mut warnings = Vec::new();
        if t.kept == 0 && t.filtered > 0 {
            let all =
                if t.filtered == 1 { "its one record".to_string() } else { format!("all {} records", t.filtered) };
            warnings.push(format!("--where left out {all} (is the field name right?)"));
        }
        if let Some(g) = opts.group_field.as_ref().filter(|_| t.kept > 0 && t.without_group == t.kept) {
            warnings.push(format!("no record has the field '{g}' (--group-field): each record was its own article"));
        }
        if opts.id_field != DEFAULT_ID_FIELD && t.kept > 0 && t.without_id == t.kept {
            warnings
                .push(format!("no record has the field '{}' (--id-field): records are named FILE:LINE", opts.id_field));
        }
        for w in warnings {
            self.progress.suspend(|| eprintln!("classify: warning: {name}: {w}"));
        }
    }

    /// Ends a group of records: queued as one unit, or, if it was written window by
    /// window, its last window and its summary.
    fn close(&mut self, out: &mut dyn Write, o: Open) -> std::io::Result<()> {
        match o.running {
            None => self.queue(out, Unit::Records { group: o.group, records: o.records }),
            Some(mut run) => {
                let (paragraphs, ids) = as_paragraphs(o.records);
                self.window(out, &mut run, paragraphs, ids)?;
                self.end_running(out, run)
            }
        }
    }

    /// Reports an input that could not be (fully) read, in input order.
    fn skip(&mut self, out: &mut dyn Write, s: Skipped) -> std::io::Result<()> {
        self.flush(out)?;
        self.progress.inc(1);
        // Errors of the record readers already name the file.
        let text = if s.reason.starts_with(&s.name) { s.reason.clone() } else { format!("{}: {}", s.name, s.reason) };
        self.progress.suspend(|| eprintln!("classify: warning: {text}"));
        self.skipped.push(s);
        Ok(())
    }

    /// Labels a large article block by block, writing paragraphs as they come.
    fn stream(&mut self, out: &mut dyn Write, mut s: BlockStream) -> std::io::Result<()> {
        let mut run = self.begin_running(out, s.name().to_string())?;
        let mut window: Vec<Paragraph> = Vec::new();
        let mut window_bytes = 0;
        let mut warned = false;
        loop {
            let next = s.next_block();
            if !warned {
                if let Some(w) = s.warning() {
                    self.progress.suspend(|| eprintln!("classify: warning: {}: {w}", run.name));
                    warned = true;
                }
            }
            let done = match next {
                Some(Ok((block, line))) => {
                    for p in segment(&block) {
                        window_bytes += p.text.len();
                        window.push(Paragraph { line: p.line + line - 1, ..p });
                    }
                    false
                }
                Some(Err(e)) => {
                    self.progress
                        .suspend(|| eprintln!("classify: warning: {}: {} (stopped reading there)", e.name, e.reason));
                    true
                }
                None => true,
            };
            if window.len() >= WINDOW || window_bytes >= WINDOW_BYTES || (done && !window.is_empty()) {
                window_bytes = 0;
                let n = window.len();
                self.window(out, &mut run, std::mem::take(&mut window), vec![None; n])?;
            }
            if done {
                break;
            }
        }
        self.end_running(out, run)
    }

    /// Starts an article written window by window.
    fn begin_running(&mut self, out: &mut dyn Write, name: String) -> std::io::Result<Running> {
        self.writer.begin(out, &name)?;
        Ok(Running { name, sum: vec![0.0; self.model.labels().len()], count: 0 })
    }

    /// Labels one window of a running article, its paragraphs each other's context (the
    /// article is too large to hold whole), and writes them, numbered on from the last.
    fn window(
        &mut self,
        out: &mut dyn Write,
        run: &mut Running,
        window: Vec<Paragraph>,
        ids: Vec<Option<String>>,
    ) -> std::io::Result<()> {
        let this = &*self;
        let preds =
            window.par_iter().map(|p| this.caches.with(|cache| this.model.predict_with(&p.text, cache))).collect();
        let preds = this.model.in_context(preds);
        let first = run.count + 1;
        let labelled: Vec<LabelledParagraph> = window
            .into_par_iter()
            .zip(preds)
            .zip(ids)
            .enumerate()
            .map(|(i, ((p, pred), id))| LabelledParagraph { id, ..this.labelled(first + i, p, pred) })
            .collect();
        for p in &labelled {
            interrupted()?;
            for (acc, v) in run.sum.iter_mut().zip(&p.probabilities) {
                *acc += v;
            }
            self.writer.paragraph(out, &run.name, p)?;
        }
        run.count += labelled.len();
        out.flush()
    }

    /// Ends a running article with its summary.
    fn end_running(&mut self, out: &mut dyn Write, run: Running) -> std::io::Result<()> {
        let (distribution, topic) = summary(self.model, &run.sum, run.count);
        let count = run.count;
        self.writer
            .end(out, &LabelledArticle { name: run.name, paragraphs: Vec::new(), distribution, topic, count })?;
        self.paragraphs += count;
        self.articles += 1;
        self.progress.inc(1);
        out.flush()
    }
}

/// What to pass when an article reads as a file of records: JSON lines (standard input,
/// or a file not named .jsonl) or fastText lines, which `label` reads as records only
/// when told.
fn records_hint(text: &str) -> Option<&'static str> {
    let first = text.trim_start_matches('\u{feff}').lines().map(str::trim).find(|l| !l.is_empty())?;
    if first.starts_with('{') && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(first).is_ok() {
        Some("reads as JSON lines, but was labelled as one article; pass --input-format jsonl to label its records")
    } else if first.starts_with("__label__") {
        Some("reads as fastText lines, but was labelled as one article; pass --input-format fasttext to label its records")
    } else {
        None
    }
}

/// Records as paragraphs, with their ids.
fn as_paragraphs(records: Vec<Record>) -> (Vec<Paragraph>, Vec<Option<String>>) {
    records.into_iter().map(|r| (Paragraph { text: r.text, line: r.line }, Some(r.id))).unzip()
}

/// An article written window by window, with its running sum of probabilities.
struct Running {
    name: String,
    sum: Vec<f64>,
    count: usize,
}

/// An article's topic distribution (mean of its paragraphs') and main topic.
fn summary(model: &Model, sum: &[f64], count: usize) -> (Vec<f64>, Option<String>) {
    if count == 0 {
        return (Vec::new(), None);
    }
    let d: Vec<f64> = sum.iter().map(|s| s / count as f64).collect();
    let mut best = 0;
    for (c, &v) in d.iter().enumerate() {
        if v > d[best] {
            best = c;
        }
    }
    (d, Some(model.labels()[best].clone()))
}

pub fn run(args: &LabelArgs) -> Result<Outcome> {
    if args.explain && matches!(args.output_format(), crate::cli::FormatArg::Csv | crate::cli::FormatArg::Tsv) {
        let why = if args.format.is_none() { " (the format is --output's extension; pass --format)" } else { "" };
        bail!("--explain is shown in the table and jsonl formats; CSV and TSV rows have no place for it{why}");
    }
    if let Some(p) = args.min_confidence {
        if !(0.0..=1.0).contains(&p) {
            bail!("--min-confidence must be between 0 and 1 (got {p})");
        }
    }
    let start = Instant::now();
    // `-o -` is standard output, as `-` is standard input.
    let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
    if let Some(output) = output {
        let model = crate::common::model_path(args.model.as_deref()).map(Path::to_path_buf);
        check_not_an_input(output, &[&args.paths[..], model.as_slice()].concat(), "output")?;
        check_not_in_an_input_directory(output, &args.paths, "output")?;
        if crate::common::is_a_model(output) {
            bail!(
                "{}: is a classify model: the labels would replace it; give another --output (--model names the model to use)",
                output.display()
            );
        }
        if args.format.is_none() && output.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            bail!(
                "{}: label writes JSON lines, one object per line, not one JSON document; name the file .jsonl, or pass --format jsonl",
                output.display()
            );
        }
    }
    let record_options = args.records.resolve()?;
    let model = load_model(args.model.as_deref())?;
    let mut l = Labeller {
        model: &model,
        caches: TermCaches::default(),
        args,
        writer: ResultWriter::new(args.output_format().into(), model.labels().to_vec()).with_ids(
            args.records.forced() || args.paths.iter().any(|p| p.is_file() && args.records.format_of(p).is_some()),
        ),
        progress: progress_bar(),
        paragraphs: 0,
        articles: 0,
        skipped: Vec::new(),
        pending: Vec::new(),
        pending_bytes: 0,
        read_records: false,
        filtered: 0,
        inputs: 0,
        walked: false,
    };
    // A path named twice (also by another spelling, or `-` twice) is read once, as
    // labelled data is.
    let mut paths: Vec<std::path::PathBuf> = Vec::new();
    let mut keys = std::collections::HashSet::new();
    let mut repeated = Vec::new();
    for p in &args.paths {
        if keys.insert(input_key(p)) {
            paths.push(p.clone());
        } else {
            repeated.push(p.display().to_string());
        }
    }
    if !repeated.is_empty() {
        eprintln!("classify: note: given more than once, read once: {}", repeated.join(", "));
    }
    let mut job = |out: &mut dyn Write| -> std::io::Result<()> {
        for item in walk(&paths) {
            interrupted()?;
            l.inputs += 1;
            let input = match item {
                Ok(input) => input,
                Err(s) => {
                    l.skip(out, s)?;
                    continue;
                }
            };
            if let Some(format) = args.records.format_of(input.path()) {
                l.records(out, input.name(), read_input_records(&input, format, &record_options))?;
                continue;
            }
            match open_article(&input) {
                Ok(Opened::Whole(a)) => {
                    if let Some(hint) = records_hint(&a.text) {
                        l.progress.suspend(|| eprintln!("classify: warning: {}: {hint}", a.name));
                    }
                    l.queue(out, Unit::Article(a))?
                }
                Ok(Opened::Stream(s)) => {
                    l.flush(out)?;
                    l.stream(out, s)?;
                }
                Err(s) => l.skip(out, s)?,
            }
        }
        l.flush(out)?;
        l.walked = true;
        if let Some(why) = l.read_nothing() {
            // Nothing to write: an existing output file is left as it was.
            return Err(std::io::Error::other(why));
        }
        Ok(())
    };
    let result = match output {
        Some(path) => write_atomic(path, |w| job(w)).map_err(anyhow::Error::from),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            job(&mut lock).map_err(anyhow::Error::from)
        }
    };
    l.progress.finish_and_clear();
    // An interrupt that came after the last record was written changes nothing.
    if INTERRUPTED.load(Ordering::SeqCst) && result.is_err() {
        let kept = match output {
            Some(p) => format!("{} was left as it was", p.display()),
            None => format!("{} complete articles were written", l.articles),
        };
        bail!("interrupted; {kept}");
    }
    let record_options = [
        (!args.records.filters.is_empty(), "--where"),
        (args.records.text_field != DEFAULT_TEXT_FIELD, "--text-field"),
        (args.records.id_field != DEFAULT_ID_FIELD, "--id-field"),
        (args.records.group_field.is_some(), "--group-field"),
    ];
    let given: Vec<&str> = record_options.iter().filter(|(g, _)| *g).map(|(_, n)| *n).collect();
    if !given.is_empty() && !l.read_records {
        eprintln!(
            "classify: note: {} {} to files of records, and every input was read as an article \
             (--input-format jsonl, csv, tsv or fasttext reads inputs as records)",
            given.join(", "),
            if given.len() == 1 { "applies" } else { "apply" }
        );
    }
    let nothing_read = l.read_nothing();
    if nothing_read.is_none() {
        result?;
    }
    let mut summary = format!(
        "classify: labelled {} in {} in {:.2} s",
        plural(l.paragraphs, "paragraph", "paragraphs"),
        plural(l.articles, "article", "articles"),
        start.elapsed().as_secs_f64()
    );
    let n = l.skipped.len();
    if n > 0 {
        summary.push_str(&format!("; skipped {} (reported above)", plural(n, "input", "inputs")));
    }
    if std::io::stderr().is_terminal() || n > 0 || output.is_some() {
        eprintln!("{summary}");
    }
    if let Some(why) = nothing_read {
        match output {
            Some(p) if p.exists() => bail!("{why}; {} was left as it was", p.display()),
            _ => bail!("{why}"),
        }
    }
    Ok(if n == 0 { Outcome::Done } else { Outcome::Partial })
}

/// A count of articles done on stderr, when stderr is a terminal. Inputs are walked
/// lazily, so there is no total; the count appears once work lasts over a second.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} articles labelled, {per_sec}").expect("valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(1000));
    bar
}
