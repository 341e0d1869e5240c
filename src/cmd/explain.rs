//! `classify explain`: what a model is (its settings and training summary), and the terms
//! that most distinguish each topic.

use crate::cli::{flags, ExplainArgs};
use crate::cmd::Outcome;
use crate::common::{emit, outln};
use crate::common::{load_model, model_name};
use anyhow::Result;

pub fn run(args: &ExplainArgs) -> Result<Outcome> {
    let model = load_model(args.model.as_deref())?;
    let mut out = String::new();
    let name = model_name(args.model.as_deref());
    let summary = model.summary();
    let counts: Vec<String> =
        model.labels().iter().zip(&summary.documents_per_label).map(|(l, n)| format!("{l} {n}")).collect();
    let temperature = match summary.temperature_folds {
        0 => format!("{} (not calibrated)", model.temperature()),
        k => format!("{:.3} (fitted on {k}-fold held-out predictions)", model.temperature()),
    };
    outln!(out, "model:       {name}");
    outln!(out, "settings:    {}", flags(model.params().get(), Some(model.context())));
    outln!(out, "paragraphs:  {} ({})", summary.documents, counts.join(", "));
    outln!(out, "vocabulary:  {} terms", model.vocabulary().len());
    outln!(out, "temperature: {temperature}");
    outln!(out, "context:     {} (weight of the rest of the article)", model.context());
    outln!(out);
    for (label, terms) in model.labels().iter().zip(model.top_terms(args.top)) {
        let list: Vec<String> = terms.iter().map(|c| format!("{} ({:.2})", c.term, c.weight)).collect();
        outln!(out, "{label}: {}", list.join(", "));
    }
    emit(&out)?;
    Ok(Outcome::Done)
}
