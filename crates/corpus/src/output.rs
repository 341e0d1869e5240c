//! Labelling results out: a table for people, JSONL, CSV or TSV for programs.

use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Aligned text for a terminal.
    Table,
    /// One JSON object per paragraph, then one per article.
    Jsonl,
    /// One row per paragraph, with a header (article summaries are in JSONL only).
    Csv,
    /// One row per paragraph, with a header, tab-separated.
    Tsv,
}

/// One labelled paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledParagraph {
    /// 1-based position among the article's paragraphs.
    pub index: usize,
    /// 1-based line where it starts.
    pub line: usize,
    /// Its topic, or `uncertain` below the confidence threshold.
    pub label: String,
    /// Probability of each topic, in the writer's label order.
    pub probabilities: Vec<f64>,
    /// The text.
    pub text: String,
    /// Terms that pushed it to its topic, with their weight, if asked for.
    pub explanation: Vec<(String, f64)>,
    /// The record's id, when the paragraph is a record (JSONL, CSV, TSV input).
    pub id: Option<String>,
}

/// One labelled article.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledArticle {
    /// Its name (path or `-`).
    pub name: String,
    /// Its paragraphs.
    pub paragraphs: Vec<LabelledParagraph>,
    /// Mean of the paragraphs' probabilities, in label order; empty if no paragraphs.
    pub distribution: Vec<f64>,
    /// The most probable topic of the article, if it has paragraphs.
    pub topic: Option<String>,
    /// How many paragraphs it has.
    pub count: usize,
}

/// Writes articles in one format, header first where the format has one.
pub struct ResultWriter {
    format: OutputFormat,
    labels: Vec<String>,
    started: bool,
    /// Whether CSV and TSV rows have an `id` column (for records).
    ids: bool,
}

/// Probabilities are printed rounded to this many decimals, so output is stable and short.
fn round(p: f64) -> f64 {
    (p * 10_000.0).round() / 10_000.0
}

impl ResultWriter {
    /// A writer for these topics, in the order probabilities are given.
    pub fn new(format: OutputFormat, labels: Vec<String>) -> ResultWriter {
        ResultWriter { format, labels, started: false, ids: false }
    }

    /// Gives CSV and TSV rows an `id` column, after `paragraph`: the record's id, empty
    /// for a paragraph of an article. (JSONL gives `id` whenever there is one.)
    pub fn with_ids(mut self, ids: bool) -> ResultWriter {
        self.ids = ids;
        self
    }

    fn probs(&self, p: &[f64]) -> Value {
        let mut m = Map::new();
        for (l, v) in self.labels.iter().zip(p) {
            m.insert(l.clone(), json!(round(*v)));
        }
        Value::Object(m)
    }

    /// Writes one article whole.
    pub fn write(&mut self, w: &mut dyn Write, a: &LabelledArticle) -> io::Result<()> {
        self.begin(w, &a.name)?;
        for p in &a.paragraphs {
            self.paragraph(w, &a.name, p)?;
        }
        self.end(w, a)
    }

    /// Starts an article: the table's header line, and the CSV/TSV header row before
    /// the first article.
    pub fn begin(&mut self, w: &mut dyn Write, name: &str) -> io::Result<()> {
        let first = !self.started;
        self.started = true;
        match self.format {
            OutputFormat::Table => {
                let sep = if first { "" } else { "\n" };
                w.write_all(format!("{sep}{name}\n").as_bytes())
            }
            OutputFormat::Csv | OutputFormat::Tsv if first => {
                let mut header = vec!["article".to_string(), "paragraph".into()];
                if self.ids {
                    header.push("id".into());
                }
                header.extend(["line".to_string(), "topic".into()]);
                header.extend(self.labels.iter().map(|l| format!("p_{l}")));
                header.push("text".into());
                self.row(w, &header)
            }
            _ => Ok(()),
        }
    }

    fn row(&self, w: &mut dyn Write, fields: &[String]) -> io::Result<()> {
        let mut csv = if self.format == OutputFormat::Csv {
            csv::WriterBuilder::new().from_writer(Vec::new())
        } else {
            // TSV has no quoting: a field cannot hold a tab or a line break, and a `"` is
            // written as it is.
            csv::WriterBuilder::new().delimiter(b'\t').quote_style(csv::QuoteStyle::Never).from_writer(Vec::new())
        };
        if self.format == OutputFormat::Tsv {
            csv.write_record(fields.iter().map(|f| f.replace(['\t', '\n', '\r'], " ")))?;
        } else {
            csv.write_record(fields)?;
        }
        let buf = csv.into_inner().map_err(|e| e.into_error())?;
        w.write_all(&buf)
    }

    /// Writes one paragraph's record. Each record is written whole with one call, so an
    /// interrupted run leaves only complete records.
    pub fn paragraph(&mut self, w: &mut dyn Write, article: &str, p: &LabelledParagraph) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                let mut rec = json!({
                    "kind": "paragraph",
                    "article": article,
                    "paragraph": p.index,
                    "line": p.line,
                    "topic": p.label,
                    "probabilities": self.probs(&p.probabilities),
                    "text": p.text,
                });
                if let Some(id) = &p.id {
                    rec["id"] = json!(id);
                }
                if !p.explanation.is_empty() {
                    rec["explanation"] = p.explanation.iter().map(|(t, v)| json!([t, round(*v)])).collect();
                }
                let mut buf = serde_json::to_vec(&rec)?;
                buf.push(b'\n');
                w.write_all(&buf)
            }
            OutputFormat::Csv | OutputFormat::Tsv => {
                let mut row = vec![article.to_string(), p.index.to_string()];
                if self.ids {
                    row.push(p.id.clone().unwrap_or_default());
                }
                row.extend([p.line.to_string(), p.label.clone()]);
                row.extend(p.probabilities.iter().map(|v| format!("{v:.4}")));
                row.push(p.text.clone());
                self.row(w, &row)
            }
            OutputFormat::Table => {
                let conf = p.probabilities.iter().copied().fold(0.0, f64::max);
                let mut s = format!("  {:>3}  {:<10} {:.2}  {}\n", p.index, p.label, conf, preview(&p.text, 70));
                if !p.explanation.is_empty() {
                    let why: Vec<String> = p.explanation.iter().map(|(t, v)| format!("{t} +{v:.2}")).collect();
                    s.push_str(&format!("                       because: {}\n", why.join(", ")));
                }
                w.write_all(s.as_bytes())
            }
        }
    }

    /// Ends an article with its summary: the JSONL article record, or the table's
    /// summary line. (`a.paragraphs` may be empty when they were streamed.)
    pub fn end(&mut self, w: &mut dyn Write, a: &LabelledArticle) -> io::Result<()> {
        match self.format {
            OutputFormat::Jsonl => {
                let rec = json!({
                    "kind": "article",
                    "article": a.name,
                    "paragraphs": a.count,
                    "topic": a.topic,
                    "distribution": self.probs(&a.distribution),
                });
                let mut buf = serde_json::to_vec(&rec)?;
                buf.push(b'\n');
                w.write_all(&buf)
            }
            OutputFormat::Csv | OutputFormat::Tsv => Ok(()),
            OutputFormat::Table => {
                let line = match &a.topic {
                    Some(t) => {
                        let dist: Vec<String> =
                            self.labels.iter().zip(&a.distribution).map(|(l, p)| format!("{l} {p:.2}")).collect();
                        format!("  main topic: {t}  ({})\n", dist.join(", "))
                    }
                    None => {
                        "  (no paragraphs: a paragraph has 10 words or more and ends like a sentence (or runs past 40 words, over two sentences); menus, headlines and captions are left out as page furniture)\n"
                            .to_string()
                    }
                };
                w.write_all(line.as_bytes())
            }
        }
    }
}

/// The start of a text on one table row: line breaks and tabs (a record's text may hold
/// several lines) become spaces.
fn preview(text: &str, max: usize) -> String {
    let one_line = |s: &str| s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>();
    if text.chars().count() <= max {
        return one_line(text);
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", one_line(cut.trim_end()))
}
