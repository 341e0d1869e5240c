//! `classify explain`: what a model is (its settings and training summary), and the terms
//! that most distinguish each topic.

use crate::cli::{train_flags, ExplainArgs};
use crate::cmd::Outcome;
use crate::common::{describe, load_model, model_name};
use crate::common::{emit, outln};
use anyhow::Result;

pub fn run(args: &ExplainArgs) -> Result<Outcome> {
    let model = load_model(args.model.as_deref())?;
    let mut out = String::new();
    outln!(out, "model:       {}", model_name(args.model.as_deref()));
    let settings = train_flags(model.params().get(), model.context(), model.summary().temperature_folds);
    outln!(out, "settings:    {settings}");
    describe(&mut out, &model);
    outln!(out);
    for (label, terms) in model.labels().iter().zip(model.top_terms(args.top)) {
        let list: Vec<String> = terms.iter().map(|c| format!("{} ({:.2})", c.term, c.weight)).collect();
        outln!(out, "{label}: {}", list.join(", "));
    }
    emit(&out)?;
    Ok(Outcome::Done)
}
