//! `classify tune`: search model settings by grouped k-fold cross-validation within a
//! time budget, then train the best and write it.

use crate::cli::{flags, train_flags, TuneArgs};
use crate::cmd::Outcome;
use crate::common::{
    check_calibrate_folds, check_context, check_folds, check_model_output, check_trainable, cross_validate, emit,
    load_examples, outln, plural,
};
use anyhow::{bail, Result};
use classify_corpus::write_atomic;
use classify_model::{fit_temperature, Metrics, Model, ModelParams, TermWeight, Variant};
use std::io::Write;
use std::time::{Duration, Instant};

/// One axis of the refinement: a name and the settings it tries, in order of promise.
struct Axis {
    #[allow(dead_code)]
    name: &'static str,
    values: Vec<fn(&mut ModelParams)>,
}

/// Phase 1: variant x weighting x n-grams x alpha, from the given settings, in an order
/// that tries the usual winners (complement, TF-IDF, bigrams) first.
fn grid(base: &ModelParams) -> Vec<ModelParams> {
    let mut out = Vec::new();
    for ngrams in [2, 1] {
        for (variant, tfidf) in [
            (Variant::Complement, true),
            (Variant::Multinomial, false),
            (Variant::Complement, false),
            (Variant::Multinomial, true),
        ] {
            for alpha in [0.1, 1.0, 0.03, 0.01] {
                let mut p = base.clone();
                p.analyzer.ngrams = ngrams;
                p.variant = variant;
                p.weight_norm = false;
                p.alpha = alpha;
                p.tf = if tfidf { TermWeight::Sublinear } else { TermWeight::Raw };
                p.idf = tfidf;
                p.normalize = tfidf;
                out.push(p);
            }
        }
    }
    out
}

fn axes() -> Vec<Axis> {
    vec![
        Axis {
            name: "variant",
            values: vec![
                |p| {
                    p.variant = Variant::Complement;
                    p.weight_norm = false;
                },
                |p| {
                    p.variant = Variant::Complement;
                    p.weight_norm = true;
                },
                |p| {
                    p.variant = Variant::Multinomial;
                    p.weight_norm = false;
                },
            ],
        },
        Axis {
            name: "weighting",
            values: vec![
                |p| {
                    p.tf = TermWeight::Sublinear;
                    p.idf = true;
                    p.normalize = true;
                },
                |p| {
                    p.tf = TermWeight::Raw;
                    p.idf = true;
                    p.normalize = true;
                },
                |p| {
                    p.tf = TermWeight::Raw;
                    p.idf = false;
                    p.normalize = false;
                },
            ],
        },
        Axis {
            name: "ngrams",
            values: vec![|p| p.analyzer.ngrams = 2, |p| p.analyzer.ngrams = 1, |p| p.analyzer.ngrams = 3],
        },
        Axis {
            name: "alpha",
            values: vec![
                |p| p.alpha = 0.1,
                |p| p.alpha = 0.03,
                |p| p.alpha = 0.01,
                |p| p.alpha = 0.3,
                |p| p.alpha = 0.5,
                |p| p.alpha = 1.0,
            ],
        },
        Axis { name: "min-df", values: vec![|p| p.min_df = 2, |p| p.min_df = 1] },
        Axis { name: "stop-words", values: vec![|p| p.analyzer.stop_words = false, |p| p.analyzer.stop_words = true] },
        Axis { name: "stem", values: vec![|p| p.analyzer.stem = false, |p| p.analyzer.stem = true] },
    ]
}

/// Parses `60s`, `5m`, `1h` or plain seconds.
pub fn parse_budget(s: &str) -> Result<Duration> {
    let (num, unit) = match s.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: f64 =
        num.trim().parse().map_err(|_| anyhow::anyhow!("--budget: '{s}' is not a duration such as 60s or 5m"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => bail!("--budget: unit '{unit}' unknown; use s, m or h"),
    };
    if !(secs.is_finite() && secs > 0.0) {
        bail!("--budget must be positive");
    }
    Duration::try_from_secs_f64(secs)
        .map_err(|_| anyhow::anyhow!("--budget: '{s}' is longer than this program can wait"))
}

pub fn run(args: &TuneArgs) -> Result<Outcome> {
    let start = Instant::now();
    let budget = parse_budget(&args.budget)?;
    let opts = args.data.resolve()?;
    let base = args.params.resolve()?;
    base.clone().check()?;
    check_folds(args.folds)?;
    check_calibrate_folds(args.calibrate_folds)?;
    check_context(args.params.context)?;
    let context = args.params.context;
    let paths = crate::cli::labelled_paths(&args.paths, &args.labels);
    check_model_output(&args.model, &paths)?;
    let data = load_examples(&paths, &opts)?;
    let examples = &data.examples;
    check_trainable(&paths, examples, &base, args.calibrate_folds)?;
    let mut tried: Vec<(ModelParams, f64, f64, f64)> = Vec::new();
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{:>3}  {:<8}  {:<8}  {:>7}  settings", "#", "accuracy", "macro-F1", "seconds");
    let mut evaluate = |p: &ModelParams, tried: &mut Vec<(ModelParams, f64, f64, f64)>| -> Result<Option<(f64, f64)>> {
        if let Some(t) = tried.iter().find(|t| &t.0 == p) {
            return Ok(Some((t.1, t.2)));
        }
        let last = tried.last().map_or(0.0, |t| t.3);
        if !tried.is_empty() && start.elapsed().as_secs_f64() + last > budget.as_secs_f64() {
            return Ok(None);
        }
        let t0 = Instant::now();
        let cv = match cross_validate(&p.clone().check()?, context, &data, args.folds, args.seed) {
            Ok(cv) => cv,
            // Settings that cannot train on this data (a --min-df that leaves no term,
            // say) lose; only the first, the user's own, stops the search.
            Err(e) if !tried.is_empty() => {
                let secs = t0.elapsed().as_secs_f64();
                tried.push((p.clone(), f64::NEG_INFINITY, f64::NEG_INFINITY, secs));
                let _ = writeln!(
                    stdout,
                    "{:>3}  {:<8}  {:<8}  {:>7.2}  {}  ({e:#})",
                    tried.len(),
                    "-",
                    "-",
                    secs,
                    flags(p, None)
                );
                return Ok(Some((f64::NEG_INFINITY, f64::NEG_INFINITY)));
            }
            Err(e) => return Err(e),
        };
        let m = Metrics::compute(&cv.labels, &cv.truth, &cv.predicted);
        let secs = t0.elapsed().as_secs_f64();
        tried.push((p.clone(), m.accuracy, m.macro_f1, secs));
        let _ = writeln!(
            stdout,
            "{:>3}  {:<8.4}  {:<8.4}  {:>7.2}  {}",
            tried.len(),
            m.accuracy,
            m.macro_f1,
            secs,
            flags(p, None)
        );
        Ok(Some((m.accuracy, m.macro_f1)))
    };
    let better = |a: (f64, f64), b: (f64, f64)| a.0 > b.0 || (a.0 == b.0 && a.1 > b.1);
    let mut best = base.clone();
    let Some(mut best_score) = evaluate(&best, &mut tried)? else { unreachable!("the first evaluation always runs") };
    // Phase 1: the combinations that matter most, most promising first.
    'grid: for p in grid(&base) {
        let Some(score) = evaluate(&p, &mut tried)? else { break 'grid };
        if better(score, best_score) {
            best = p;
            best_score = score;
        }
    }
    // Phase 2: refine one setting at a time from the best, until nothing improves.
    'search: loop {
        let mut improved = false;
        for axis in axes() {
            for set in &axis.values {
                let mut p = best.clone();
                set(&mut p);
                let Some(score) = evaluate(&p, &mut tried)? else { break 'search };
                if better(score, best_score) {
                    best = p;
                    best_score = score;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
    let valid = best.clone().check()?;
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let labels: Vec<&str> = examples.iter().map(|e| e.label.as_str()).collect();
    let mut model = Model::fit(&valid, &texts, &labels)?;
    model.set_context(context)?;
    if args.calibrate_folds >= 2 {
        let cv = cross_validate(&valid, context, &data, args.calibrate_folds, 42)?;
        model.set_temperature(fit_temperature(&cv.jll, &cv.truth), args.calibrate_folds);
    }
    let bytes = model.to_bytes();
    write_atomic(&args.model, |w| w.write_all(&bytes))?;
    let mut out = String::new();
    outln!(out);
    outln!(
        out,
        "tried {} in {:.1} s ({}-fold cross-validation, folds grouped by article, context weight {})",
        plural(tried.len(), "setting", "settings"),
        start.elapsed().as_secs_f64(),
        args.folds,
        context
    );
    // The context weight and calibration folds are not searched, but part of the
    // settings: copied into `train`, the line gives the same model.
    let best_flags = train_flags(&best, context, args.calibrate_folds);
    outln!(out, "best: accuracy {:.4}, macro-F1 {:.4}: {}", best_score.0, best_score.1, best_flags);
    outln!(out, "wrote {} (its settings are recorded in it: `classify explain` shows them)", args.model.display());
    emit(&out)?;
    Ok(data.outcome())
}
