//! `classify cv`: grouped, stratified k-fold cross-validation.

use crate::cli::CvArgs;
use crate::cmd::eval::print_metrics;
use crate::cmd::Outcome;
use crate::common::{check_context, check_folds, check_trainable, cross_validate, load_examples};
use crate::common::{emit, outln};
use anyhow::Result;
use classify_model::Metrics;
use serde_json::json;

pub fn run(args: &CvArgs) -> Result<Outcome> {
    let opts = args.data.resolve()?;
    let params = args.params.resolve()?.check()?;
    check_folds(args.folds)?;
    check_context(args.params.context)?;
    let data = load_examples(&args.paths, &opts)?;
    let examples = &data.examples;
    check_trainable(&args.paths, examples, params.get(), 0)?;
    let cv = cross_validate(&params, args.params.context, &data, args.folds, args.seed)?;
    let per_fold: Vec<(usize, f64)> = (0..args.folds)
        .map(|f| {
            let idx: Vec<usize> = (0..examples.len()).filter(|&i| cv.fold_of[i] == f).collect();
            let right = idx.iter().filter(|&&i| cv.truth[i] == cv.predicted[i]).count();
            (idx.len(), right as f64 / idx.len().max(1) as f64)
        })
        .collect();
    let metrics = Metrics::compute(&cv.labels, &cv.truth, &cv.predicted);
    let mut out = String::new();
    if args.json {
        let v = json!({
            "folds": args.folds,
            "seed": args.seed,
            "n": metrics.n,
            "accuracy": metrics.accuracy,
            "macro_f1": metrics.macro_f1,
            "fold_accuracy": per_fold.iter().map(|(_, a)| a).collect::<Vec<_>>(),
            "per_label": metrics.per_label,
            "confusion": metrics.confusion,
            "labels": cv.labels,
        });
        outln!(out, "{v}");
        emit(&out)?;
        return Ok(data.outcome());
    }
    outln!(out, "{}-fold cross-validation, folds grouped by article, seed {}", args.folds, args.seed);
    for (f, (n, acc)) in per_fold.iter().enumerate() {
        outln!(out, "fold {:<2} {:>5} examples  accuracy {:.4}", f + 1, n, acc);
    }
    outln!(out);
    print_metrics(&mut out, &metrics, &cv.labels);
    emit(&out)?;
    Ok(data.outcome())
}
