//! The labelled data: seeds copied unchanged, every real seed paragraph labelled and
//! traceable, the domain pool labelled completely with its dev split by the fixed rule.

use crate::testenv::{root, shared};
use std::collections::{HashMap, HashSet};

/// Data rows of a label file: header names mapped to fields, with the line number.
fn rows(rel: &str) -> Vec<(usize, HashMap<String, String>)> {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    let mut header: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<String> = line.split('\t').map(String::from).collect();
        match &header {
            None => header = Some(fields),
            Some(h) => out.push((i + 1, h.iter().cloned().zip(fields).collect())),
        }
    }
    out
}

const TOPICS: [&str; 5] = ["diplomacy", "economy", "security", "extremism", "other"];

#[test]
fn seeds_are_the_shared_seed_articles_byte_for_byte() {
    let Some(shared) = shared("seeds_are_the_shared_seed_articles_byte_for_byte") else {
        return;
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(shared.join("seeds")).unwrap() {
        let entry = entry.unwrap();
        let ours = std::fs::read(root().join("seeds").join(entry.file_name())).unwrap();
        assert_eq!(ours, std::fs::read(entry.path()).unwrap(), "{:?} differs", entry.file_name());
        names.push(entry.file_name());
    }
    assert_eq!(names.len(), 5);
    assert_eq!(std::fs::read_dir(root().join("seeds")).unwrap().count(), 5);
}

#[test]
fn every_real_seed_paragraph_is_labelled_and_traceable() {
    let labelled = rows("labels/seeds.tsv");
    let mut by_file: HashMap<String, Vec<(usize, usize, String)>> = HashMap::new();
    for (line, r) in &labelled {
        assert!(TOPICS.contains(&r["label"].as_str()), "labels/seeds.tsv:{line}: label {}", r["label"]);
        by_file.entry(r["article"].clone()).or_default().push((
            r["paragraph"].parse().unwrap(),
            r["line"].parse().unwrap(),
            r["text"].clone(),
        ));
    }
    let mut total = 0;
    for entry in std::fs::read_dir(root().join("seeds")).unwrap() {
        let name = format!("seeds/{}", entry.unwrap().file_name().to_string_lossy());
        let text = std::fs::read_to_string(root().join(&name)).unwrap();
        let paragraphs = classify_text::segment(&text);
        let records = by_file.get(&name).unwrap_or_else(|| panic!("{name} has no labels"));
        assert_eq!(records.len(), paragraphs.len(), "{name}: one label per real paragraph");
        for ((n, line, text), (i, p)) in records.iter().zip(paragraphs.iter().enumerate()) {
            assert_eq!(*n, i + 1, "{name}: paragraphs in order");
            assert_eq!(*line, p.line, "{name} paragraph {n}: line");
            assert_eq!(text, &p.text, "{name} paragraph {n}: text");
        }
        total += paragraphs.len();
    }
    assert_eq!(total, labelled.len());
    // Boilerplate never made it into the labels.
    for (_, r) in &labelled {
        for furniture in ["Related stories", "Continue Reading", "LEAVE A REPLY", "Disclaimer:", "Please enter"] {
            assert!(!r["text"].starts_with(furniture), "{}", r["text"]);
        }
    }
}

#[test]
fn every_pool_paragraph_is_labelled_once_with_the_dev_split_by_article() {
    let Some(shared) = shared("every_pool_paragraph_is_labelled_once_with_the_dev_split_by_article") else {
        return;
    };
    let pool = std::fs::read_to_string(shared.join("domain/pool.jsonl")).unwrap();
    let source: HashMap<String, String> = pool
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v["source"].as_str().unwrap().to_string())
        })
        .collect();
    let mut seen = HashSet::new();
    for (file, dev) in [("labels/pool.tsv", false), ("labels/dev/pool-dev.tsv", true)] {
        for (line, r) in rows(file) {
            let id = &r["id"];
            assert!(TOPICS.contains(&r["label"].as_str()), "{file}:{line}");
            assert!(seen.insert(id.clone()), "{file}:{line}: {id} labelled twice");
            let src = source.get(id).unwrap_or_else(|| panic!("{file}:{line}: {id} not in the pool"));
            // The fixed rule: an article is in dev when FNV-1a-64 of its URL is 0 mod 4.
            assert_eq!(classify_model::fnv1a(src, 0) % 4 == 0, dev, "{file}:{line}: {id} on the wrong side");
        }
    }
    assert_eq!(seen.len(), source.len(), "every pool paragraph is labelled");
}
