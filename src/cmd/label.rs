//! `classify label`: segment articles into paragraphs and label each, in parallel,
//! writing results in input order.

use crate::cli::LabelArgs;
use crate::cmd::Outcome;
use crate::common::load_model;
use anyhow::{bail, Result};
use classify_corpus::{
    discover, read_article, write_atomic, Input, LabelledArticle, LabelledParagraph, ResultWriter,
    Skipped,
};
use classify_model::{Model, TermCache};
use classify_text::segment;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// Articles read and labelled together; bounds memory on large inputs.
const BATCH: usize = 256;
/// Terms shown per paragraph with --explain.
const EXPLAIN_TERMS: usize = 5;

pub fn run(args: &LabelArgs) -> Result<Outcome> {
    if let Some(p) = args.min_confidence {
        if !(0.0..=1.0).contains(&p) {
            bail!("--min-confidence must be between 0 and 1 (got {p})");
        }
    }
    let start = Instant::now();
    let model = load_model(&args.model)?;
    let (inputs, mut skipped) = discover(&args.paths);
    let mut writer = ResultWriter::new(args.format.into(), model.labels().to_vec());
    let progress = progress_bar(inputs.len());
    let mut paragraphs = 0usize;
    let mut articles = 0usize;
    let mut job = |out: &mut dyn Write| -> std::io::Result<()> {
        for batch in inputs.chunks(BATCH) {
            let results: Vec<Result<(LabelledArticle, Option<String>), Skipped>> = batch
                .par_iter()
                .map_init(TermCache::default, |cache, input| {
                    label_one(&model, input, args, cache)
                })
                .collect();
            for r in results {
                progress.inc(1);
                match r {
                    Ok((article, warning)) => {
                        if let Some(w) = warning {
                            progress
                                .suspend(|| eprintln!("classify: warning: {}: {w}", article.name));
                        }
                        paragraphs += article.paragraphs.len();
                        articles += 1;
                        writer.write(out, &article)?;
                    }
                    Err(s) => {
                        progress.suspend(|| eprintln!("classify: {}: {}", s.name, s.reason));
                        skipped.push(s);
                    }
                }
            }
            out.flush()?;
        }
        Ok(())
    };
    match &args.output {
        Some(path) => write_atomic(path, |w| job(w))?,
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            job(&mut lock)?;
        }
    }
    progress.finish_and_clear();
    let mut summary = format!(
        "classify: labelled {paragraphs} paragraphs in {articles} articles in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    if !skipped.is_empty() {
        summary.push_str(&format!(
            "; skipped {} input{} (reported above)",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" }
        ));
    }
    if std::io::stderr().is_terminal() || !skipped.is_empty() || args.output.is_some() {
        eprintln!("{summary}");
    }
    if articles == 0 && !skipped.is_empty() {
        bail!("no input could be read");
    }
    Ok(if skipped.is_empty() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}

fn label_one(
    model: &Model,
    input: &Input,
    args: &LabelArgs,
    cache: &mut TermCache,
) -> Result<(LabelledArticle, Option<String>), Skipped> {
    let article = read_article(input)?;
    let labels = model.labels();
    let mut sum = vec![0.0; labels.len()];
    let paragraphs: Vec<LabelledParagraph> = segment(&article.text)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let (pred, explanation) = if args.explain {
                let (pred, why) = model.explain(&p.text, EXPLAIN_TERMS);
                (pred, why.into_iter().map(|c| (c.term, c.weight)).collect())
            } else {
                (model.predict_with(&p.text, cache), Vec::new())
            };
            for (s, v) in sum.iter_mut().zip(&pred.probabilities) {
                *s += v;
            }
            let confident = args
                .min_confidence
                .is_none_or(|min| pred.probabilities[pred.label] >= min);
            LabelledParagraph {
                index: i + 1,
                line: p.line,
                label: if confident {
                    labels[pred.label].clone()
                } else {
                    "uncertain".into()
                },
                probabilities: pred.probabilities,
                text: p.text,
                explanation,
            }
        })
        .collect();
    let (distribution, topic) = if paragraphs.is_empty() {
        (Vec::new(), None)
    } else {
        let n = paragraphs.len() as f64;
        let d: Vec<f64> = sum.iter().map(|s| s / n).collect();
        let mut best = 0;
        for (c, &v) in d.iter().enumerate() {
            if v > d[best] {
                best = c;
            }
        }
        (d, Some(labels[best].clone()))
    };
    Ok((
        LabelledArticle {
            name: article.name,
            paragraphs,
            distribution,
            topic,
        },
        article.warning,
    ))
}

fn progress_bar(n: usize) -> ProgressBar {
    if n < 100 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(n as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} articles, {eta} left")
            .expect("valid template"),
    );
    bar
}
