//! `classify explain`: the terms that most distinguish each topic.

use crate::cli::ExplainArgs;
use crate::cmd::Outcome;
use crate::common::load_model;
use crate::common::{emit, outln};
use anyhow::Result;

pub fn run(args: &ExplainArgs) -> Result<Outcome> {
    let model = load_model(args.model.as_deref())?;
    let mut out = String::new();
    for (label, terms) in model.labels().iter().zip(model.top_terms(args.top)) {
        let list: Vec<String> = terms.iter().map(|c| format!("{} ({:.2})", c.term, c.weight)).collect();
        outln!(out, "{label}: {}", list.join(", "));
    }
    emit(&out)?;
    Ok(Outcome::Done)
}
