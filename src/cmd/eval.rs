//! `classify eval`: score a model on labelled data.

use crate::cli::EvalArgs;
use crate::cmd::Outcome;
use crate::common::{check_model_path, load_examples, load_model, predict_in_context};
use crate::common::{emit, outln, outw};
use anyhow::{bail, Result};
use classify_corpus::Example;
use classify_model::{expected_calibration_error, Metrics};
use serde_json::json;

/// Confidence thresholds of the coverage table.
pub const THRESHOLDS: [f64; 6] = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9];

pub fn run(args: &EvalArgs) -> Result<Outcome> {
    let opts = args.data.resolve()?;
    check_model_path(args.model.as_deref())?;
    // The model and the data are independent: read them at the same time. A bad model
    // is reported first.
    let (model, data) = rayon::join(|| load_model(args.model.as_deref()), || load_examples(&args.paths, &opts));
    let (model, data) = (model?, data?);
    let examples = &data.examples;
    let labels = model.labels();
    // Each label the model does not know, with where it first occurs.
    let mut unknown: Vec<(&str, &str)> = Vec::new();
    for e in examples {
        if !labels.contains(&e.label) && !unknown.iter().any(|(l, _)| *l == e.label) {
            unknown.push((&e.label, &e.origin));
        }
    }
    if !unknown.is_empty() {
        unknown.sort_unstable();
        let listed: Vec<String> = unknown.iter().map(|(l, at)| format!("{l} ({at})")).collect();
        let other = if unknown.iter().any(|(l, _)| *l == "other") && !opts.ignore_labels.iter().any(|l| l == "other") {
            " (--ignore-label replaces the default, other: give --ignore-label other too)"
        } else {
            ""
        };
        bail!(
            "the data has labels the model does not know: {} (the model knows {}); leave them out with --ignore-label{other}, or evaluate a model trained on these labels",
            listed.join(", "),
            labels.join(", ")
        );
    }
    let truth: Vec<usize> =
        examples.iter().map(|e| labels.iter().position(|l| *l == e.label).expect("checked")).collect();
    // Paragraphs of one article (group) are scored together, as `label` does, with
    // those --ignore-label left out as context only.
    let scored: Vec<&Example> = examples.iter().chain(&data.context).collect();
    let mut preds = predict_in_context(&model, &scored);
    preds.truncate(examples.len());
    let predicted: Vec<usize> = preds.iter().map(|p| p.label).collect();
    let confidence: Vec<f64> = preds.iter().map(|p| p.probabilities[p.label]).collect();
    let correct: Vec<bool> = truth.iter().zip(&predicted).map(|(t, p)| t == p).collect();
    let metrics = Metrics::compute(labels, &truth, &predicted);
    let ece = expected_calibration_error(&confidence, &correct, 10);
    // The same at temperature 1: naive Bayes as it comes, before calibration.
    let raw_confidence: Vec<f64> = preds
        .iter()
        .map(|p| {
            let lse = classify_model::log_sum_exp(&p.joint_log_likelihood);
            (p.joint_log_likelihood[p.label] - lse).exp()
        })
        .collect();
    let ece_raw = expected_calibration_error(&raw_confidence, &correct, 10);
    // Accuracy over no paragraph at all is not a number: None, `-` in the table and
    // null in JSON.
    let coverage: Vec<(f64, f64, Option<f64>)> = THRESHOLDS
        .iter()
        .map(|&t| {
            let kept: Vec<bool> =
                confidence.iter().zip(&correct).filter(|(c, _)| **c >= t).map(|(_, ok)| *ok).collect();
            let cov = kept.len() as f64 / examples.len() as f64;
            let acc = (!kept.is_empty()).then(|| kept.iter().filter(|&&k| k).count() as f64 / kept.len() as f64);
            (t, cov, acc)
        })
        .collect();
    let mut out = String::new();
    if args.json {
        let v = json!({
            "n": metrics.n,
            "accuracy": metrics.accuracy,
            "macro_f1": metrics.macro_f1,
            "per_label": metrics.per_label,
            "confusion": metrics.confusion,
            "labels": labels,
            "ece": ece,
            "ece_uncalibrated": ece_raw,
            "temperature": model.temperature(),
            "coverage": coverage.iter().map(|(t, c, a)| json!({"threshold": t, "coverage": c, "accuracy": a})).collect::<Vec<_>>(),
        });
        outln!(out, "{v}");
    } else {
        print_metrics(&mut out, &metrics, labels);
        outln!(out);
        outln!(out, "confidence  coverage  accuracy");
        for (t, c, a) in &coverage {
            let a = a.map_or("-".to_string(), |a| format!("{a:.4}"));
            outln!(out, ">= {t:<8.2} {c:<9.4} {a}");
        }
        outln!(
            out,
            "expected calibration error: {ece:.4} (temperature {:.3}; {ece_raw:.4} at temperature 1, before calibration)",
            model.temperature()
        );
    }
    emit(&out)?;
    Ok(data.outcome())
}

/// Accuracy, macro-F1, the per-label table and the confusion matrix.
pub fn print_metrics(out: &mut String, m: &Metrics, labels: &[String]) {
    let w = labels.iter().map(|l| l.len()).max().unwrap_or(5).max(9);
    outln!(out, "examples:  {}", m.n);
    outln!(out, "accuracy:  {:.4}", m.accuracy);
    outln!(out, "macro-F1:  {:.4}", m.macro_f1);
    outln!(out);
    outln!(out, "{:<w$}  precision  recall  f1      support", "label");
    for s in &m.per_label {
        outln!(out, "{:<w$}  {:<9.4}  {:<6.4}  {:<6.4}  {}", s.label, s.precision, s.recall, s.f1, s.support);
    }
    outln!(out);
    outln!(out, "confusion matrix (rows: true label, columns: predicted)");
    outw!(out, "{:<w$}", "");
    for l in labels {
        outw!(out, "  {:>w$}", l);
    }
    outln!(out);
    for (l, row) in labels.iter().zip(&m.confusion) {
        outw!(out, "{:<w$}", l);
        for v in row {
            outw!(out, "  {:>w$}", v);
        }
        outln!(out);
    }
}
