//! Pieces several subcommands share: loading models and data, cross-validation.

use anyhow::{bail, Context, Result};
use classify_corpus::{
    check_not_an_input, check_output, origin_place, read_file, read_input_records, read_labelled,
    remove_temporary_files, Example, ReadOptions, RecordFormat, RecordOptions,
};
use classify_model::{group_folds, Model, ModelParams, Prediction, Priors, ValidParams};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Appends a line to a `String` of output (see [`emit`]).
macro_rules! outln {
    ($o:expr) => {
        $o.push('\n')
    };
    ($o:expr, $($t:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($o, $($t)*);
    }};
}

/// Appends text to a `String` of output (see [`emit`]).
macro_rules! outw {
    ($o:expr, $($t:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($o, $($t)*);
    }};
}

pub(crate) use {outln, outw};

/// Writes a command's output to stdout in one piece; a closed pipe comes back as an
/// error that `main` treats as success.
pub fn emit(out: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()).context("cannot write to standard output")
}

/// Set by Ctrl-C (or SIGTERM) in a command that stops by itself at a safe point.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How long a cooperative command has to stop by itself after an interrupt.
const GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Installs the Ctrl-C / SIGTERM handler. A `cooperative` command (`label`) polls
/// [`INTERRUPTED`] and stops at a record boundary; if it has not stopped within a few
/// seconds (it may be waiting for input), or on a second signal, it ends as the others
/// do. Any other command ends at once: the temporary files of writes in progress are
/// removed first, so an interrupted `train` leaves neither a half-written model nor a
/// stray `.classify-*.tmp` file, and the previous model stays as it was.
pub fn handle_interrupts(cooperative: bool) {
    // If no handler can be installed, Ctrl-C simply ends the process as usual.
    let _ = ctrlc::set_handler(move || {
        let again = INTERRUPTED.swap(true, Ordering::SeqCst);
        if cooperative && !again {
            std::thread::spawn(|| {
                std::thread::sleep(GRACE);
                end_interrupted();
            });
            return;
        }
        end_interrupted();
    });
}

/// Removes the temporary files of writes in progress and ends the process (exit 2).
fn end_interrupted() -> ! {
    remove_temporary_files(|targets| {
        let kept: Vec<String> = targets.iter().map(|p| p.display().to_string()).collect();
        let kept = if kept.is_empty() { String::new() } else { format!("; {} left as it was", kept.join(", ")) };
        eprintln!("classify: error: interrupted{kept}");
        std::process::exit(2)
    })
}

/// The shipped topics model, built into the binary so that commands without `--model`
/// work from any directory. Cargo rebuilds the binary when the file changes.
const BUILT_IN: &[u8] = include_bytes!("../models/topics.model");
/// The default model path: what `train` writes, and what the other commands read when
/// it is there.
pub const DEFAULT_MODEL: &str = "models/topics.model";

/// The model file a command reads: the one given, else [`DEFAULT_MODEL`] when it exists
/// in the working directory (as `train` writes it), else none: the built-in copy.
pub fn model_path(given: Option<&Path>) -> Option<&Path> {
    given.or_else(|| Some(Path::new(DEFAULT_MODEL)).filter(|p| p.exists()))
}

/// How a command names the model it uses (see [`model_path`]).
pub fn model_name(given: Option<&Path>) -> String {
    match model_path(given) {
        Some(p) => p.display().to_string(),
        None => format!("{DEFAULT_MODEL} (the copy built into classify)"),
    }
}

/// Refuses a model path where there is no file, before any other work (see
/// [`model_path`]).
pub fn check_model_path(given: Option<&Path>) -> Result<()> {
    let Some(path) = model_path(given) else {
        return Ok(());
    };
    if !path.exists() {
        bail!("{}: no such model file; train one with `classify train --model {}`", path.display(), path.display());
    }
    Ok(())
}

/// Loads the model a command uses (see [`model_path`]), saying which file failed and
/// what to do.
pub fn load_model(given: Option<&Path>) -> Result<Model> {
    let Some(path) = model_path(given) else {
        return Model::from_bytes(BUILT_IN).context("the model built into classify cannot be loaded; rebuild classify");
    };
    check_model_path(Some(path))?;
    let bytes = read_file(path)?;
    Model::from_bytes(&bytes).map_err(|e| {
        // A file that is no model at all may be anything: retraining over it is no advice.
        let advice = if matches!(e, classify_model::Error::NotAModel) {
            match given {
                Some(_) => "check the path given to --model".to_string(),
                None => "it is read because no --model was given; move it or pass --model".to_string(),
            }
        } else {
            format!("retrain it with `classify train --model {}`", path.display())
        };
        anyhow::Error::new(e).context(format!("{}: cannot load model ({advice})", path.display()))
    })
}

/// Checks, before any work, that a model can be written at `model`: not over one of
/// `inputs`, in a directory that exists, and never over a file that holds something
/// else (a labels file, notes): only a model, or an empty file, is replaced.
pub fn check_model_output(model: &Path, inputs: &[PathBuf]) -> Result<()> {
    // A missing input is the first thing to fix (run outside the repository, the default
    // labels/ is missing as well as models/).
    if let Some(missing) = inputs.iter().find(|p| p.as_os_str() != "-" && std::fs::symlink_metadata(p).is_err()) {
        bail!("{}: no such file or directory", missing.display());
    }
    check_not_an_input(model, inputs, "model")?;
    check_output(model)?;
    if model_file_head(model).is_ok_and(|starts| starts == Some(false)) {
        bail!(
            "{}: is not a classify model: writing the model there would replace it; \
             give another path, or remove the file first",
            model.display()
        );
    }
    Ok(())
}

/// Whether `path`, a regular file that is not empty, starts as a model file does; `None`
/// for anything else. Only such a file is opened: opening a FIFO to read would wait for
/// a writer.
fn model_file_head(path: &Path) -> std::io::Result<Option<bool>> {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0) {
        return Ok(None);
    }
    let mut head = Vec::new();
    std::fs::File::open(path)?.take(8).read_to_end(&mut head)?;
    Ok(Some(Model::starts_like_a_model(&head)))
}

/// Whether `path` is a model file (a regular file that starts as one does).
pub fn is_a_model(path: &Path) -> bool {
    model_file_head(path).is_ok_and(|starts| starts == Some(true))
}

/// What a model was trained on and how it scores, as `train` and `explain` print it:
/// paragraphs per label, vocabulary, calibration temperature, context weight.
pub fn describe(out: &mut String, model: &Model) {
    let summary = model.summary();
    let counts: Vec<String> =
        model.labels().iter().zip(&summary.documents_per_label).map(|(l, n)| format!("{l} {n}")).collect();
    let temperature = match summary.temperature_folds {
        0 => format!("{} (not calibrated)", model.temperature()),
        k => format!("{:.3} (fitted on {k}-fold held-out predictions)", model.temperature()),
    };
    outln!(out, "paragraphs:  {} ({})", summary.documents, counts.join(", "));
    outln!(out, "vocabulary:  {} terms", model.vocabulary().len());
    outln!(out, "temperature: {temperature}");
    outln!(out, "context:     {} (weight of the rest of the article)", model.context());
}

/// Paths for a message, comma-separated, each once.
fn listed(paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = Vec::new();
    for p in paths {
        let name = p.display().to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

/// `n` and the noun in the right number: "1 article", "2 articles".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Labelled data: the examples, and the paragraphs `--ignore-label` left out, which
/// are no examples but stay the context of the other paragraphs of their article, as
/// `label` reads an article whole.
pub struct Data {
    pub examples: Vec<Example>,
    pub context: Vec<Example>,
    /// Inputs passed over with a warning (broken links in label folders).
    pub passed_over: usize,
}

impl Data {
    /// Done, or done but with inputs passed over (exit 1, as `label` exits when it
    /// skips an input).
    pub fn outcome(&self) -> crate::cmd::Outcome {
        if self.passed_over == 0 {
            crate::cmd::Outcome::Done
        } else {
            crate::cmd::Outcome::Partial
        }
    }
}

/// Reads labelled data and tells on stderr what was left out.
pub fn load_examples(paths: &[PathBuf], opts: &ReadOptions) -> Result<Data> {
    let data = read_labelled(paths, opts)?;
    if !data.repeated.is_empty() {
        eprintln!("classify: note: given more than once, read once: {}", listed(&data.repeated));
    }
    for (link, why) in &data.broken_links {
        eprintln!("classify: warning: {}: {why}, passed over", link.display());
    }
    for (file, how) in &data.decoded {
        eprintln!("classify: warning: {}: {how}", file.display());
    }
    if !data.files_not_read.is_empty() {
        eprintln!(
            "classify: note: not read: {} (a directory of label files is read for its .tsv files; name files of records to read them)",
            listed(&data.files_not_read)
        );
    }
    for p in &data.without_group_field {
        eprintln!(
            "classify: warning: {}: no record has the --group-field chosen: each record is its own article",
            p.display()
        );
    }
    for (label, n) in &data.ignored {
        eprintln!("classify: note: left out {n} examples labelled '{label}' (--ignore-label; pass --ignore-label none to keep them)");
    }
    if data.skipped_multi_label > 0 {
        eprintln!(
            "classify: note: skipped {} records with several labels (--multi-label expand or first to keep them)",
            data.skipped_multi_label
        );
    }
    if data.conflicting_duplicates > 0 {
        eprintln!(
            "classify: warning: {} again with a different label, kept as they are (the first: {})",
            plural(data.conflicting_duplicates, "text occurs", "texts occur"),
            data.first_conflict.as_deref().unwrap_or("?")
        );
    }
    if let (n @ 1.., first) = &data.empty_texts {
        eprintln!(
            "classify: warning: {} no text (the first: {}): a model learns only their labels' share from them, and scores them by that share alone",
            plural(*n, "example has", "examples have"),
            first.as_deref().unwrap_or("?")
        );
    }
    if let Some((group, at)) = first_scattered_article(data.examples.iter().chain(&data.context)) {
        eprintln!(
            "classify: warning: the records of article '{group}' are not consecutive (it comes back at {at}): each run is read as an article of its own, as label reads them; sort the records by article to read each whole"
        );
    }
    if data.examples.is_empty() {
        if data.filtered > 0 {
            bail!(
                "{}: no labelled examples found: --where left out all {} records (is the field name right?)",
                listed(paths),
                data.filtered
            );
        }
        bail!("{}: no labelled examples found", listed(paths));
    }
    Ok(Data { examples: data.examples, context: data.context, passed_over: data.broken_links.len() })
}

/// The first article whose records come back in a file after another article's, and
/// where: `label` reads such runs apart, and so do `eval` and `cv`. A record alone (its
/// group is its origin) ends a run, but is no article that comes back.
fn first_scattered_article<'a>(examples: impl Iterator<Item = &'a Example>) -> Option<(&'a str, &'a str)> {
    let mut records: Vec<(&str, usize, &Example)> = examples
        .map(|e| {
            let (file, line) = origin_place(&e.origin);
            (file, line, e)
        })
        .collect();
    records.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut closed: BTreeSet<(&str, &str)> = BTreeSet::new();
    records.windows(2).find_map(|w| {
        let (prev, next) = (w[0].2, w[1].2);
        if w[0].0 != w[1].0 || prev.group == next.group {
            return None;
        }
        closed.insert((w[0].0, &prev.group));
        let article = next.group != next.origin;
        (article && closed.contains(&(w[1].0, next.group.as_str())))
            .then_some((next.group.as_str(), next.origin.as_str()))
    })
}

/// Refuses, before any fold is cut or model fitted, labelled data that these settings
/// cannot learn from: one label only, `--priors` that miss a label of the data or name
/// one it lacks, or fewer articles than `calibrate_folds` (0: no calibration). The
/// errors name the data, not a fold.
pub fn check_trainable(
    paths: &[PathBuf],
    examples: &[Example],
    params: &ModelParams,
    calibrate_folds: usize,
) -> Result<()> {
    let labels: BTreeSet<&str> = examples.iter().map(|e| e.label.as_str()).collect();
    let data = listed(paths);
    let names = || labels.iter().copied().collect::<Vec<_>>().join(", ");
    if labels.len() < 2 {
        bail!("{data}: cannot train: only one label ({}) in the data; a classifier needs at least two", names());
    }
    if let Priors::Given(given) = &params.priors {
        if let Some((l, _)) = given.iter().find(|(l, _)| !labels.contains(l.as_str())) {
            bail!("--priors gives a prior for '{l}', a label {data} does not have (its labels: {})", names());
        }
        if let Some(l) = labels.iter().find(|l| !given.iter().any(|(g, _)| g == *l)) {
            bail!("--priors gives no prior for label '{l}' of {data} (its labels: {})", names());
        }
    }
    // Labels a reader could take for one another, or for the mark of an unsure paragraph.
    if labels.contains("uncertain") {
        eprintln!(
            "classify: warning: {data} has a label named 'uncertain', which label --min-confidence also writes \
             for paragraphs it is unsure of; the two cannot be told apart in its output"
        );
    }
    let mut lower: BTreeMap<String, &str> = BTreeMap::new();
    for l in &labels {
        if let Some(other) = lower.insert(l.to_lowercase(), l) {
            eprintln!("classify: warning: {data} has labels '{other}' and '{l}', which differ only in case: they are two topics");
        }
    }
    if calibrate_folds >= 2 {
        let articles = examples.iter().map(|e| e.group.as_str()).collect::<BTreeSet<_>>().len();
        if articles < calibrate_folds {
            bail!(
                "--calibrate-folds {calibrate_folds} needs at least {calibrate_folds} articles, {data} has {articles}; \
                 pass fewer folds, or 0 to skip calibration"
            );
        }
    }
    Ok(())
}

/// Held-out predictions of a grouped, stratified k-fold cross-validation.
pub struct CrossVal {
    /// Label names, sorted.
    pub labels: Vec<String>,
    /// True label index of each example.
    pub truth: Vec<usize>,
    /// Predicted label index of each example (from the model that did not see it).
    pub predicted: Vec<usize>,
    /// Held-out joint log-likelihoods, in `labels` order.
    pub jll: Vec<Vec<f64>>,
    /// Fold of each example.
    pub fold_of: Vec<usize>,
}

/// Refuses fewer than two folds; commands call it before reading any data.
pub fn check_folds(k: usize) -> Result<()> {
    if k < 2 {
        bail!("--folds must be at least 2 (got {k}); 5 is usual");
    }
    Ok(())
}

/// `--calibrate-folds`: 0 turns calibration off; otherwise at least two folds.
pub fn check_calibrate_folds(k: usize) -> Result<()> {
    if k == 1 {
        bail!("--calibrate-folds must be 0 (no calibration) or at least 2 (got 1); 5 is usual");
    }
    Ok(())
}

/// `--context`: a weight from 0 to 1.
pub fn check_context(w: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&w) {
        bail!("--context must be a weight from 0 (each paragraph alone) to 1 (got {w}); 0.25 is the default");
    }
    Ok(())
}

/// Runs k-fold cross-validation with folds grouped by article.
///
/// A fold whose training part lacks a label never predicts it (its held-out
/// log-likelihood for that label is minus infinity).
pub fn cross_validate(params: &ValidParams, context: f64, data: &Data, k: usize, seed: u64) -> Result<CrossVal> {
    let examples = &data.examples;
    check_folds(k)?;
    let mut labels: Vec<String> = examples.iter().map(|e| e.label.clone()).collect();
    labels.sort_unstable();
    labels.dedup();
    let truth: Vec<usize> = examples.iter().map(|e| labels.binary_search(&e.label).expect("label listed")).collect();
    let groups: Vec<&str> = examples.iter().map(|e| e.group.as_str()).collect();
    let n_groups = {
        let mut g = groups.clone();
        g.sort_unstable();
        g.dedup();
        g.len()
    };
    if n_groups < k {
        bail!("{k} folds need at least {k} articles, the data has {n_groups}; use fewer folds");
    }
    let fold_of = group_folds(&truth, &groups, labels.len(), k, seed);
    // The left-out paragraphs of an article are scored with its fold, as context only.
    let fold_of_group: HashMap<&str, usize> = groups.iter().copied().zip(fold_of.iter().copied()).collect();
    let mut predicted = vec![0; examples.len()];
    let mut jll = vec![Vec::new(); examples.len()];
    for f in 0..k {
        let (train, test): (Vec<usize>, Vec<usize>) = (0..examples.len()).partition(|&i| fold_of[i] != f);
        let texts: Vec<&str> = train.iter().map(|&i| examples[i].text.as_str()).collect();
        let ys: Vec<&str> = train.iter().map(|&i| examples[i].label.as_str()).collect();
        let mut present: Vec<&str> = ys.clone();
        present.sort_unstable();
        present.dedup();
        if present.len() < 2 {
            let held: Vec<&str> = labels.iter().map(String::as_str).filter(|l| !present.contains(l)).collect();
            bail!(
                "fold {} of {k} cannot train: its training part has only one label ({}), because every \
                 paragraph labelled {} is in the articles that fold holds out; use fewer folds, or add \
                 articles with that label",
                f + 1,
                present.join(", "),
                held.join(", ")
            );
        }
        let mut model = Model::fit(params, &texts, &ys).with_context(|| format!("fold {}", f + 1))?;
        model.set_context(context)?;
        // A fold's training part may lack a rare label: that label gets probability 0.
        let to_full: Vec<usize> =
            model.labels().iter().map(|l| labels.binary_search(l).expect("fold labels are a subset")).collect();
        let mut test_examples: Vec<&Example> = test.iter().map(|&i| &examples[i]).collect();
        test_examples.extend(data.context.iter().filter(|e| fold_of_group.get(e.group.as_str()) == Some(&f)));
        for (&i, p) in test.iter().zip(predict_in_context(&model, &test_examples)) {
            predicted[i] = to_full[p.label];
            let mut full = vec![f64::NEG_INFINITY; labels.len()];
            for (c, v) in p.joint_log_likelihood.into_iter().enumerate() {
                full[to_full[c]] = v;
            }
            jll[i] = full;
        }
    }
    Ok(CrossVal { labels, truth, predicted, jll, fold_of })
}

/// `label` reads a run of consecutive records of one article in windows of at most this
/// many records, each window on its own...
pub const WINDOW: usize = 256;
/// ...and at most this many bytes of text.
pub const WINDOW_BYTES: usize = 1 << 20;

/// Whether a record of `size` bytes still fits a window of `count` records and `bytes`.
pub fn fits_window(count: usize, bytes: usize, size: usize) -> bool {
    count < WINDOW && bytes + size <= WINDOW_BYTES
}

/// Predicts every text, each in the context of the others of its article, at the model's
/// context weight. `articles` numbers each text's article (see [`article_runs`]). Texts
/// with the same origin (copies of one record, a multi-label record expanded) count once:
/// a paragraph is not its own context. Results are in input order.
pub fn predict_grouped(model: &Model, texts: &[&str], articles: &[usize], origins: &[&str]) -> Vec<Prediction> {
    let mut preds = model.predict_batch(texts);
    if model.context() == 0.0 {
        return preds;
    }
    let mut by_article: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &a) in articles.iter().enumerate() {
        by_article.entry(a).or_default().push(i);
    }
    for members in by_article.values().filter(|m| m.len() > 1) {
        let mut distinct: Vec<usize> = Vec::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let slot: Vec<usize> = members
            .iter()
            .map(|&i| {
                *seen.entry(origins[i]).or_insert_with(|| {
                    distinct.push(i);
                    distinct.len() - 1
                })
            })
            .collect();
        let scored = model.in_context(distinct.iter().map(|&i| preds[i].clone()).collect());
        for (&i, &at) in members.iter().zip(&slot) {
            preds[i] = scored[at].clone();
        }
    }
    preds
}

/// Numbers the articles of paragraphs given in reading order as `(input, group, size)`,
/// as `label` reads them: consecutive paragraphs of one group in one input are one
/// article; the same group again after another, or in another input, is another. A run
/// of records (`size` is the bytes of their text) is cut into windows of [`WINDOW`]
/// records or [`WINDOW_BYTES`]; the paragraphs of an article file (`size` is `None`) are
/// read whole.
pub fn article_runs<'a>(paragraphs: impl IntoIterator<Item = (&'a str, &'a str, Option<usize>)>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut last: Option<(&str, &str)> = None;
    let (mut article, mut count, mut bytes) = (0, 0, 0);
    for (input, group, size) in paragraphs {
        let fits = size.is_none_or(|size| fits_window(count, bytes, size));
        if last.is_some() && !(last == Some((input, group)) && fits) {
            article += 1;
            (count, bytes) = (0, 0);
        }
        out.push(article);
        last = Some((input, group));
        count += 1;
        bytes += size.unwrap_or(0);
    }
    out
}

/// [`predict_grouped`] for labelled examples, read as `label` reads the records they came
/// from: in the order of their files and lines (their origins), by [`article_runs`], with
/// the copies of one record counted once.
pub fn predict_in_context(model: &Model, examples: &[&Example]) -> Vec<Prediction> {
    let places: Vec<(&str, usize)> = examples.iter().map(|e| origin_place(&e.origin)).collect();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.sort_by(|&a, &b| places[a].cmp(&places[b]).then(a.cmp(&b)));
    // The first example of each record, in reading order; copies of a record (a
    // multi-label record expanded) follow it and take its article.
    let mut records: Vec<usize> = Vec::new();
    let mut record_of = vec![0; examples.len()];
    for (k, &i) in order.iter().enumerate() {
        if k == 0 || examples[order[k - 1]].origin != examples[i].origin {
            records.push(i);
        }
        record_of[i] = records.len() - 1;
    }
    let runs =
        article_runs(records.iter().map(|&i| (places[i].0, examples[i].group.as_str(), Some(examples[i].text.len()))));
    let articles: Vec<usize> = record_of.iter().map(|&r| runs[r]).collect();
    let field = |f: fn(&Example) -> &str| examples.iter().map(|e| f(e)).collect::<Vec<&str>>();
    predict_grouped(model, &field(|e| &e.text), &articles, &field(|e| &e.origin))
}

/// An unlabelled paragraph.
pub struct Unlabelled {
    /// `id` of a record (JSONL, CSV, TSV), else `path:line`; or `path#n` for the n-th paragraph of an article.
    pub name: String,
    /// The article it belongs to: the article's path, or for a JSONL record its `group`
    /// or `source` field, else its name (the record alone).
    pub group: String,
    pub text: String,
    /// Which input (file, or standard input) it was read from, counted from 0.
    pub input: usize,
    /// Whether it is a record (`label` reads a long run of them in windows), rather than
    /// a paragraph of an article.
    pub record: bool,
}

/// Unlabelled paragraphs, in the order the paths give them: from files of records
/// (`.jsonl`, `.ndjson`, `.csv`, `.tsv`, named on the command line or found in a named
/// directory: their `text`, named by `id`, as `label` reads them), or from articles (any
/// other file, `-`), segmented into paragraphs and named `path#n`. A file reached twice
/// is read once.
pub fn load_unlabelled(paths: &[PathBuf]) -> Result<(Vec<Unlabelled>, usize)> {
    load_unlabelled_with(paths, RecordFormat::of_path, &RecordOptions::default())
}

/// [`load_unlabelled`], with files of records told by `format_of` and read with `options`
/// (`suggest`'s --input-format, --text-field, --id-field, --group-field and --where).
pub fn load_unlabelled_with(
    paths: &[PathBuf],
    format_of: impl Fn(&Path) -> Option<RecordFormat>,
    options: &RecordOptions,
) -> Result<(Vec<Unlabelled>, usize)> {
    let mut out = Vec::new();
    let mut n_skipped = 0;
    for (index, item) in classify_corpus::walk(paths).enumerate() {
        let input = match item {
            Ok(input) => input,
            Err(s) => {
                eprintln!("classify: warning: {}: {}", s.name, s.reason);
                n_skipped += 1;
                continue;
            }
        };
        if let Some(format) = format_of(input.path()) {
            for r in read_input_records(&input, format, options)? {
                let r = r?;
                out.push(Unlabelled { name: r.id, group: r.group, text: r.text, input: index, record: true });
            }
            continue;
        }
        match classify_corpus::read_article(&input) {
            Ok(a) => {
                for (i, p) in classify_text::segment(&a.text).into_iter().enumerate() {
                    let name = format!("{}#{}", a.name, i + 1);
                    out.push(Unlabelled { name, group: a.name.clone(), text: p.text, input: index, record: false });
                }
            }
            Err(s) => {
                eprintln!("classify: warning: {}: {}", s.name, s.reason);
                n_skipped += 1;
            }
        }
    }
    if out.is_empty() {
        bail!("no unlabelled paragraphs found in the paths given");
    }
    Ok((out, n_skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_runs_of_one_group_in_one_input_cut_into_windows() {
        let runs = |items: &[(&str, &str, Option<usize>)]| article_runs(items.iter().copied());
        // A group again after another, or in another input, is another article.
        let items =
            [("f", "a", Some(1)), ("f", "a", Some(1)), ("f", "b", Some(1)), ("f", "a", Some(1)), ("g", "a", Some(1))];
        assert_eq!(runs(&items), [0, 0, 1, 2, 3]);
        // Records: windows of WINDOW records, or of WINDOW_BYTES.
        let many = vec![("f", "a", Some(10)); WINDOW + 3];
        let got = runs(&many);
        assert_eq!((got[WINDOW - 1], got[WINDOW], got[WINDOW + 2]), (0, 1, 1));
        let big = [
            ("f", "a", Some(WINDOW_BYTES - 5)),
            ("f", "a", Some(5)),
            ("f", "a", Some(1)),
            ("f", "a", Some(WINDOW_BYTES + 1)),
        ];
        assert_eq!(runs(&big), [0, 0, 1, 2]);
        // The paragraphs of an article file are read whole.
        assert_eq!(runs(&vec![("f", "a", None); WINDOW + 3]), vec![0; WINDOW + 3]);
    }
}
