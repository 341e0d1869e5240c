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
    /// One row per paragraph, with a header.
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
}

/// Writes articles in one format, header first where the format has one.
pub struct ResultWriter {
    format: OutputFormat,
    labels: Vec<String>,
    started: bool,
}

/// Probabilities are printed rounded to this many decimals, so output is stable and short.
fn round(p: f64) -> f64 {
    (p * 10_000.0).round() / 10_000.0
}

impl ResultWriter {
    /// A writer for these topics, in the order probabilities are given.
    pub fn new(format: OutputFormat, labels: Vec<String>) -> ResultWriter {
        ResultWriter {
            format,
            labels,
            started: false,
        }
    }

    fn probs(&self, p: &[f64]) -> Value {
        let mut m = Map::new();
        for (l, v) in self.labels.iter().zip(p) {
            m.insert(l.clone(), json!(round(*v)));
        }
        Value::Object(m)
    }

    /// Writes one article. Every record is written whole with one call, so an
    /// interrupted run leaves only complete records.
    pub fn write(&mut self, w: &mut dyn Write, a: &LabelledArticle) -> io::Result<()> {
        let first = !self.started;
        self.started = true;
        match self.format {
            OutputFormat::Jsonl => {
                let mut buf = Vec::new();
                for p in &a.paragraphs {
                    let mut rec = json!({
                        "kind": "paragraph",
                        "article": a.name,
                        "paragraph": p.index,
                        "line": p.line,
                        "topic": p.label,
                        "probabilities": self.probs(&p.probabilities),
                        "text": p.text,
                    });
                    if !p.explanation.is_empty() {
                        rec["explanation"] = p
                            .explanation
                            .iter()
                            .map(|(t, v)| json!([t, round(*v)]))
                            .collect();
                    }
                    serde_json::to_writer(&mut buf, &rec)?;
                    buf.push(b'\n');
                }
                let rec = json!({
                    "kind": "article",
                    "article": a.name,
                    "paragraphs": a.paragraphs.len(),
                    "topic": a.topic,
                    "distribution": self.probs(&a.distribution),
                });
                serde_json::to_writer(&mut buf, &rec)?;
                buf.push(b'\n');
                w.write_all(&buf)
            }
            OutputFormat::Csv | OutputFormat::Tsv => {
                let delim = if self.format == OutputFormat::Csv {
                    b','
                } else {
                    b'\t'
                };
                let mut csv = csv::WriterBuilder::new()
                    .delimiter(delim)
                    .from_writer(Vec::new());
                if first {
                    let mut header = vec![
                        "article".to_string(),
                        "paragraph".into(),
                        "line".into(),
                        "topic".into(),
                    ];
                    header.extend(self.labels.iter().map(|l| format!("p_{l}")));
                    header.extend(["article_topic".to_string(), "text".into()]);
                    csv.write_record(&header)?;
                }
                for p in &a.paragraphs {
                    let mut row = vec![
                        a.name.clone(),
                        p.index.to_string(),
                        p.line.to_string(),
                        p.label.clone(),
                    ];
                    row.extend(p.probabilities.iter().map(|v| format!("{:.4}", v)));
                    // TSV cannot hold a tab or newline inside a field.
                    let text = if delim == b'\t' {
                        p.text.replace(['\t', '\n'], " ")
                    } else {
                        p.text.clone()
                    };
                    row.extend([a.topic.clone().unwrap_or_default(), text]);
                    csv.write_record(&row)?;
                }
                let buf = csv.into_inner().map_err(|e| e.into_error())?;
                w.write_all(&buf)
            }
            OutputFormat::Table => {
                let mut s = String::new();
                if !first {
                    s.push('\n');
                }
                let summary: Vec<String> = self
                    .labels
                    .iter()
                    .zip(&a.distribution)
                    .map(|(l, p)| format!("{l} {:.2}", p))
                    .collect();
                match &a.topic {
                    Some(t) => s.push_str(&format!("{}  {t}  ({})\n", a.name, summary.join(", "))),
                    None => s.push_str(&format!("{}  (no paragraphs)\n", a.name)),
                }
                for p in &a.paragraphs {
                    let conf = p.probabilities.iter().copied().fold(0.0, f64::max);
                    s.push_str(&format!(
                        "  {:>3}  {:<10} {:.2}  {}\n",
                        p.index,
                        p.label,
                        conf,
                        preview(&p.text, 70)
                    ));
                    if !p.explanation.is_empty() {
                        let why: Vec<String> = p
                            .explanation
                            .iter()
                            .map(|(t, v)| format!("{t} +{v:.2}"))
                            .collect();
                        s.push_str(&format!(
                            "                       because: {}\n",
                            why.join(", ")
                        ));
                    }
                }
                w.write_all(s.as_bytes())
            }
        }
    }
}

fn preview(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}
