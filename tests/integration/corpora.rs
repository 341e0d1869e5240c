//! Accuracy on the six public benchmark splits, so a regression in the engine fails CI.
//!
//! Splits are built by `bench/prepare.py` (the benchmark's own, stdlib-only) from
//! `../shared/data`; the settings per split are `bench/classify-settings.txt`, the ones
//! `classify tune` found. Training is deterministic, so each floor is the accuracy
//! measured with those settings on 2026-11-22 (docs/benchmarks.md) less 0.002: a change
//! that costs more than about one test document in 500 fails.

use crate::testenv::{root, s, shared, TestEnv};

/// Measured 0.8524.
const FLOOR_20NG: f64 = 0.850;
/// Measured 0.7524.
const FLOOR_20NG_CLEAN: f64 = 0.750;
/// Measured 0.9598.
const FLOOR_R8: f64 = 0.957;
/// Measured 0.9241.
const FLOOR_R52: f64 = 0.922;
/// Measured 0.9836.
const FLOOR_BBC: f64 = 0.981;
/// Measured 0.8966.
const FLOOR_AGTEST: f64 = 0.894;

fn settings(split: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("bench/classify-settings.txt")).unwrap();
    let line =
        text.lines().find(|l| l.split('\t').next() == Some(split)).unwrap_or_else(|| panic!("no settings for {split}"));
    line.split('\t').nth(1).unwrap_or("").split_whitespace().map(String::from).collect()
}

fn check(split: &str, floor: f64) {
    let name = format!("accuracy_on_{split}");
    let Some(shared) = shared(&name) else { return };
    let env = TestEnv::new();
    let out = env.path("splits");
    let status = std::process::Command::new("python3")
        .args([
            s(&root().join("bench/prepare.py")),
            "--out",
            s(&out),
            "--splits",
            split,
            "--data",
            s(&shared.join("data")),
        ])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/prepare.py");
    assert!(status.success(), "bench/prepare.py failed for {split}");
    let (train, test, model) =
        (out.join(split).join("train.jsonl"), out.join(split).join("test.jsonl"), env.path("m.model"));
    let mut args: Vec<String> =
        ["train", "--input-format", "jsonl", "--calibrate-folds", "0", "--model", s(&model), s(&train)]
            .map(String::from)
            .to_vec();
    args.extend(settings(split));
    env.assert_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let json = env.assert_ok(&["eval", "--input-format", "jsonl", "--json", "--model", s(&model), s(&test)]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let accuracy = v["accuracy"].as_f64().unwrap();
    eprintln!("{split}: accuracy {accuracy:.4} (floor {floor})");
    assert!(accuracy >= floor, "{split}: accuracy {accuracy:.4} fell below its floor {floor}");
}

#[test]
fn accuracy_on_20ng() {
    check("20ng", FLOOR_20NG);
}

#[test]
fn accuracy_on_20ng_clean() {
    check("20ng-clean", FLOOR_20NG_CLEAN);
}

#[test]
fn accuracy_on_r8() {
    check("r8", FLOOR_R8);
}

#[test]
fn accuracy_on_r52() {
    check("r52", FLOOR_R52);
}

#[test]
fn accuracy_on_bbc() {
    check("bbc", FLOOR_BBC);
}

#[test]
fn accuracy_on_agtest() {
    check("agtest", FLOOR_AGTEST);
}

/// The same labelled examples in every input format train byte-identical models.
#[test]
fn every_input_format_reads_the_same_examples() {
    let env = TestEnv::new();
    // In folder order (a model depends on the order of its examples, not on their format).
    let rows = [
        ("economy", "Kazakhstan and Malaysia agreed to double trade and investment in minerals."),
        ("economy", "Oil exports and pipeline tariffs rose, lifting the budget, the ministry said."),
        ("security", "Border guards and troops held a joint counter-terrorism exercise, officials said."),
        ("security", "The defence ministers discussed military cooperation and arms purchases."),
    ];
    let mut csv = String::from("label,text\n");
    let mut tsv = String::from("label\ttext\n");
    let mut jsonl = String::new();
    let mut ft = String::new();
    for (i, (label, text)) in rows.iter().enumerate() {
        csv.push_str(&format!("{label},\"{text}\"\n"));
        tsv.push_str(&format!("{label}\t{text}\n"));
        jsonl.push_str(&format!("{}\n", serde_json::json!({"label": label, "text": text, "split": "train"})));
        ft.push_str(&format!("__label__{label} {text}\n"));
        env.write(&format!("folders/{label}/{i}.txt"), text);
    }
    let inputs = [
        vec![s(&env.write("d.csv", &csv)).to_string()],
        vec![s(&env.write("d.tsv", &tsv)).to_string()],
        vec![s(&env.write("d.jsonl", &jsonl)).to_string(), "--where".into(), "split=train".into()],
        vec![s(&env.write("d.ft", &ft)).to_string(), "--input-format".into(), "fasttext".into()],
        vec![s(&env.path("folders")).to_string(), "--input-format".into(), "folders".into()],
    ];
    let mut models = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let model = env.path(&format!("m{i}.model"));
        let mut args =
            vec!["train".to_string(), "--calibrate-folds".into(), "0".into(), "--model".into(), s(&model).into()];
        args.extend(input.iter().cloned());
        env.assert_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        models.push(std::fs::read(&model).unwrap());
    }
    for (i, m) in models.iter().enumerate() {
        assert!(m == &models[0], "format {i} ({:?}) gives another model", inputs[i]);
    }
}

/// AG News's own CSV (numbered columns, no header) and 20 Newsgroups' JSONL with a
/// filter are each one command line, with no conversion.
#[test]
fn public_corpora_read_directly_in_one_command() {
    let Some(shared) = shared("public_corpora_read_directly_in_one_command") else { return };
    let env = TestEnv::new();
    let ag = shared.join("data/ag_news_test_only/test.csv");
    let model = env.path("ag.model");
    let out = env.assert_ok(&[
        "train",
        "--calibrate-folds",
        "0",
        "--label-field",
        "1",
        "--text-field",
        "2,3",
        "--model",
        s(&model),
        s(&ag),
    ]);
    assert!(out.contains("paragraphs:  7600 (1 1900, 2 1900, 3 1900, 4 1900)"), "{out}");
    let ng = shared.join("data/20newsgroups_bydate/20news_bydate.jsonl");
    let out =
        env.assert_ok(&["train", "--calibrate-folds", "0", "--where", "split=train", "--model", s(&model), s(&ng)]);
    assert!(out.contains("paragraphs:  11314 ("), "{out}");
}
