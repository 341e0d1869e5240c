//! `classify train`: fit a model on labelled paragraphs and write it atomically.

use crate::cli::TrainArgs;
use crate::cmd::Outcome;
use crate::common::{
    check_calibrate_folds, check_context, check_model_output, check_trainable, cross_validate, describe, load_examples,
    load_unlabelled, plural,
};
use crate::common::{emit, outln};
use anyhow::{Context, Result};
use classify_corpus::write_atomic;
use classify_model::{fit_temperature, EmParams, Model};
use std::time::Instant;

pub fn run(args: &TrainArgs) -> Result<Outcome> {
    let start = Instant::now();
    let opts = args.data.resolve()?;
    let params = args.params.resolve()?.check()?;
    check_calibrate_folds(args.calibrate_folds)?;
    check_context(args.params.context)?;
    let paths = crate::cli::labelled_paths(&args.paths, &args.labels);
    if args.paths.is_empty() && args.labels.is_empty() && !paths[0].exists() && !args.unlabelled.is_empty() {
        // `--unlabelled` takes every path after it, the labelled data included.
        anyhow::bail!(
            "no labelled data: {} is not here, and --unlabelled took every path after it; \
             give the labelled data before --unlabelled, or with --labels",
            paths[0].display()
        );
    }
    check_model_output(&args.model, &[&paths[..], &args.unlabelled[..]].concat())?;
    let data = load_examples(&paths, &opts)?;
    let examples = &data.examples;
    check_trainable(&paths, examples, params.get(), args.calibrate_folds)?;
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let labels: Vec<&str> = examples.iter().map(|e| e.label.as_str()).collect();
    let mut em_note = None;
    let mut skipped = 0;
    let mut model = if args.unlabelled.is_empty() {
        Model::fit(&params, &texts, &labels)?
    } else {
        let unlabelled;
        (unlabelled, skipped) = load_unlabelled(&args.unlabelled)?;
        let u: Vec<&str> = unlabelled.iter().map(|p| p.text.as_str()).collect();
        let em = EmParams { weight: args.unlabelled_weight, max_iterations: args.em_iterations, ..EmParams::default() };
        let (model, report) = Model::fit_em(&params, &texts, &labels, &u, &em)?;
        em_note = Some(format!(
            "{} unlabelled paragraphs at weight {}, {} EM iterations (last mean change {:.2e})",
            u.len(),
            em.weight,
            report.iterations,
            report.last_change
        ));
        model
    };
    model.set_context(args.params.context)?;
    // Calibration is fitted on held-out folds of the labelled data; with EM, the
    // temperature of the supervised model is used, as the folds see no unlabelled data.
    // Held-out paragraphs are scored in the context of their article, as `label` does.
    if args.calibrate_folds >= 2 {
        let cv = cross_validate(&params, args.params.context, &data, args.calibrate_folds, 42)
            .context("calibrating probabilities (pass --calibrate-folds 0 to skip)")?;
        model.set_temperature(fit_temperature(&cv.jll, &cv.truth), args.calibrate_folds);
    }
    let bytes = model.to_bytes();
    write_atomic(&args.model, |w| w.write_all(&bytes))?;
    let mut out = String::new();
    outln!(out, "trained {} in {:.2} s", args.model.display(), start.elapsed().as_secs_f64());
    describe(&mut out, &model);
    if let Some(note) = em_note {
        let skipped = if skipped > 0 {
            format!("; skipped {} (reported above)", plural(skipped, "unreadable input", "unreadable inputs"))
        } else {
            String::new()
        };
        outln!(out, "unlabelled:  {note}{skipped}");
    }
    outln!(out, "model size:  {} bytes", bytes.len());
    emit(&out)?;
    Ok(if skipped == 0 { data.outcome() } else { Outcome::Partial })
}
