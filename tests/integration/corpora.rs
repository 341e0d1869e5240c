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
