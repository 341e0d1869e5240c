//! `classify suggest`: rank unlabelled paragraphs by the model's uncertainty, each
//! scored in the context of its article as `label` scores it.

use crate::cli::SuggestArgs;
use crate::cmd::Outcome;
use crate::common::{article_runs, emit, load_model, load_unlabelled_with, outln, predict_grouped};
use anyhow::Result;
use classify_corpus::{read_labelled, ReadOptions};
use classify_model::Prediction;
use serde_json::json;
use std::collections::HashSet;

pub fn run(args: &SuggestArgs) -> Result<Outcome> {
    let options = args.records.resolve()?;
    let model = load_model(args.model.as_deref())?;
    let (all, skipped) = load_unlabelled_with(&args.unlabelled, |p| args.records.format_of(p), &options)?;
    // Scored as `label` scores them: each paragraph in the context of its whole article,
    // including paragraphs already labelled, which are then set aside.
    let texts: Vec<&str> = all.iter().map(|p| p.text.as_str()).collect();
    // As `label` reads records: consecutive paragraphs of one article in one input are
    // each other's context; the same article again after another, or in another input,
    // is read on its own.
    let inputs: Vec<String> = all.iter().map(|p| p.input.to_string()).collect();
    let articles = article_runs(
        all.iter().zip(&inputs).map(|(p, i)| (i.as_str(), p.group.as_str(), p.record.then_some(p.text.len()))),
    );
    // Every paragraph is its own origin: two records may share an id (an article's id
    // on each of its paragraphs), and are still two paragraphs.
    let origins: Vec<String> = (0..all.len()).map(|i| i.to_string()).collect();
    let origins: Vec<&str> = origins.iter().map(String::as_str).collect();
    let scored = predict_grouped(&model, &texts, &articles, &origins);
    let done: HashSet<String> = if args.exclude.is_empty() {
        HashSet::new()
    } else {
        let opts = ReadOptions { ignore_labels: Vec::new(), ..ReadOptions::default() };
        read_labelled(&args.exclude, &opts)?.examples.into_iter().map(|e| e.text).collect()
    };
    let (pool, preds): (Vec<(String, String)>, Vec<Prediction>) = all
        .into_iter()
        .zip(scored)
        .filter(|(p, _)| !done.contains(&p.text))
        .map(|(p, pred)| ((p.name, p.text), pred))
        .unzip();
    if pool.is_empty() {
        anyhow::bail!("every unlabelled paragraph is already labelled in --exclude: nothing is left to suggest");
    }
    let mut order: Vec<usize> = (0..pool.len()).collect();
    // Smallest margin first; ties by input order, so the ranking is reproducible.
    order.sort_by(|&a, &b| preds[a].margin().total_cmp(&preds[b].margin()).then(a.cmp(&b)));
    let labels = model.labels();
    let mut out = String::new();
    if !args.json {
        outln!(out, "{:>4}  {:<6}  {:<32}  {:<8}  text", "rank", "margin", "top two", "id");
    }
    for (rank, &i) in order.iter().take(args.count).enumerate() {
        let p = &preds[i];
        let mut by_prob: Vec<usize> = (0..labels.len()).collect();
        by_prob.sort_by(|&a, &b| p.probabilities[b].total_cmp(&p.probabilities[a]).then(a.cmp(&b)));
        let (first, second) = (by_prob[0], by_prob[1]);
        if args.json {
            outln!(
                out,
                "{}",
                json!({"rank": rank + 1, "id": pool[i].0, "margin": p.margin(), "top": labels[first], "second": labels[second], "text": pool[i].1})
            );
        } else {
            let pair = format!(
                "{} {:.2} / {} {:.2}",
                labels[first], p.probabilities[first], labels[second], p.probabilities[second]
            );
            let preview: String = pool[i].1.chars().take(60).collect();
            outln!(out, "{:>4}  {:<6.3}  {:<32}  {:<8}  {preview}…", rank + 1, p.margin(), pair, pool[i].0);
        }
    }
    emit(&out)?;
    Ok(if skipped == 0 { Outcome::Done } else { Outcome::Partial })
}
