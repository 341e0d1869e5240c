//! The model against its reference (linfa-bayes), the shipped model against its data,
//! and accuracy on the labels.

use crate::testenv::{root, s, shared, TestEnv};
use classify_corpus::{read_labelled, ReadOptions};
use classify_model::{Model, ModelParams};
use linfa::prelude::*;
use linfa_bayes::{MultinomialNbParams, NaiveBayes};
use ndarray::{Array1, Array2};

fn labelled(paths: &[&str]) -> Vec<classify_corpus::Example> {
    let opts = ReadOptions { ignore_labels: vec!["other".into()], ..ReadOptions::default() };
    let paths: Vec<_> = paths.iter().map(|p| root().join(p)).collect();
    read_labelled(&paths, &opts).unwrap().examples
}

#[test]
fn multinomial_matches_linfa_bayes_on_the_labels() {
    // All of labels/ where ../shared is present (the pool's text lives there), else the seeds.
    let data = if shared("multinomial_matches_linfa_bayes_on_the_labels (full labels/)").is_some() {
        labelled(&["labels/"])
    } else {
        labelled(&["labels/seeds.tsv"])
    };
    let texts: Vec<&str> = data.iter().map(|e| e.text.as_str()).collect();
    let ys: Vec<&str> = data.iter().map(|e| e.label.as_str()).collect();
    let ours = Model::fit(&ModelParams::default().check().unwrap(), &texts, &ys).unwrap();

    let v = ours.vocabulary().len();
    let mut x = Array2::<f64>::zeros((texts.len(), v));
    for (i, t) in texts.iter().enumerate() {
        for (j, n) in ours.term_counts(t) {
            x[[i, j as usize]] = f64::from(n);
        }
    }
    let y: Array1<String> = ys.iter().map(|s| s.to_string()).collect();
    let reference = MultinomialNbParams::new().alpha(1.0).fit(&DatasetView::new(x.view(), y.view())).unwrap();
    let their_jll = reference.joint_log_likelihood(x.view());
    let their_labels = reference.predict(&x);

    let mut checked = 0;
    for (i, t) in texts.iter().enumerate() {
        let p = ours.predict(t);
        for (c, label) in ours.labels().iter().enumerate() {
            let theirs = their_jll[label][i];
            let diff = (p.joint_log_likelihood[c] - theirs).abs();
            assert!(diff < 1e-9, "paragraph {i}, {label}: ours {} linfa {theirs}", p.joint_log_likelihood[c]);
            checked += 1;
        }
        // linfa breaks exact ties by HashMap order; there are none in this data.
        assert_eq!(ours.labels()[p.label], their_labels[i], "paragraph {i}");
    }
    assert_eq!(checked, texts.len() * ours.labels().len());
}

#[test]
fn committed_model_is_exactly_what_labels_train_to() {
    let Some(_) = shared("committed_model_is_exactly_what_labels_train_to") else {
        return;
    };
    let env = TestEnv::new();
    let fresh = env.path("topics.model");
    env.assert_ok(&["train", "--model", s(&fresh)]);
    let committed = std::fs::read(root().join("models/topics.model")).unwrap();
    assert!(
        std::fs::read(&fresh).unwrap() == committed,
        "models/topics.model is stale: run `cargo run --release -- train` and commit it"
    );
    // And the thread count does not change a byte.
    let one = env.path("one.model");
    env.assert_ok(&["train", "--threads", "1", "--model", s(&one)]);
    assert!(std::fs::read(&one).unwrap() == committed);
}
