//! The command line as a user meets it: labelling the seeds, formats, determinism,
//! skipped inputs and one-line errors.

use crate::testenv::{s, TestEnv};

#[test]
fn label_seeds_shows_every_article_with_paragraph_topics() {
    let env = TestEnv::new();
    let out = env.assert_ok(&["label", "seeds/"]);
    for entry in std::fs::read_dir(crate::testenv::root().join("seeds")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let header = out
            .lines()
            .find(|l| l.starts_with(&format!("seeds/{name}  ")))
            .unwrap_or_else(|| panic!("no line for {name} in:\n{out}"));
        assert!(
            ["diplomacy", "economy", "security", "extremism"]
                .iter()
                .any(|t| header.contains(&format!("  {t}  "))),
            "{header}"
        );
    }
    // Paragraph rows: index, topic, confidence, text.
    let rows = out.lines().filter(|l| l.starts_with("  ")).count();
    assert_eq!(rows, 108, "every real seed paragraph gets a row:\n{out}");
}

#[test]
fn jsonl_is_byte_identical_for_any_thread_count() {
    let env = TestEnv::new();
    let one = env.assert_ok(&["label", "--threads", "1", "--format", "jsonl", "seeds/"]);
    let two = env.assert_ok(&["label", "--threads", "2", "--format", "jsonl", "seeds/"]);
    let four = env.assert_ok(&["label", "-j", "4", "--format", "jsonl", "seeds/"]);
    assert_eq!(one, two);
    assert_eq!(one, four);
    let records: Vec<serde_json::Value> = one
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paragraphs = records.iter().filter(|r| r["kind"] == "paragraph").count();
    let articles = records.iter().filter(|r| r["kind"] == "article").count();
    assert_eq!((paragraphs, articles), (108, 5));
    for r in records.iter().filter(|r| r["kind"] == "paragraph") {
        let sum: f64 = r["probabilities"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-3, "probabilities sum to {sum}");
    }
}

#[test]
fn stdin_and_csv_output() {
    let env = TestEnv::new();
    let article =
        std::fs::read(crate::testenv::root().join("seeds/003_32ffcfedb9749a76.txt")).unwrap();
    let mut child = env
        .cmd(&["label", "--format", "csv", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&article).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "article,paragraph,line,topic,p_diplomacy,p_economy,p_extremism,p_security,article_topic,text"
    );
    assert_eq!(lines.count(), 9, "seed 003 has nine real paragraphs");
}

#[test]
fn output_file_is_written_whole_and_missing_directory_is_an_error() {
    let env = TestEnv::new();
    let out = env.path("out.jsonl");
    env.assert_ok(&["label", "--format", "jsonl", "--output", s(&out), "seeds/"]);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written.lines().count(), 108 + 5);
    let missing = env.path("no/such/dir/out.jsonl");
    env.assert_failure_with_error(
        &["label", "--output", s(&missing), "seeds/"],
        2,
        &["does not exist", "mkdir -p"],
    );
}

#[test]
fn binary_and_undecodable_inputs_are_reported_and_the_rest_labelled() {
    let env = TestEnv::new();
    let seed =
        std::fs::read(crate::testenv::root().join("seeds/003_32ffcfedb9749a76.txt")).unwrap();
    env.write("in/a.txt", &seed);
    env.write("in/b.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    // Windows-1252: 0x92 is a right single quote.
    env.write("in/c.txt", b"Kazakhstan\x92s trade with Malaysia grew by thirty per cent last year, the minister said in Astana.\n");
    let out = env.run(&["label", "--format", "jsonl", s(&env.path("in"))]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("b.png: binary file (a PNG image), skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("c.txt: not valid UTF-8; decoded as Windows-1252"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped 1 input"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Kazakhstan’s trade"),
        "decoded text is labelled"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("\"kind\":\"article\""))
            .count(),
        2
    );
}

#[test]
fn bad_arguments_get_one_line_errors() {
    let env = TestEnv::new();
    env.assert_failure_with_error(
        &["train", "--alpha", "-1", "--model", s(&env.path("m"))],
        2,
        &["alpha", "above 0"],
    );
    env.assert_failure_with_error(&["cv", "--folds", "1"], 2, &["--folds must be at least 2"]);
    env.assert_failure_with_error(&["label", "--threads", "0", "seeds/"], 2, &["--threads"]);
    env.assert_failure_with_error(
        &["label", "--model", "seeds/", "seeds/"],
        2,
        &["seeds/", "directory"],
    );
    env.assert_failure_with_error(
        &["label", "--model", s(&env.path("none.model")), "seeds/"],
        2,
        &["none.model", "classify train"],
    );
}

#[test]
fn damaged_models_are_refused_with_the_reason() {
    let env = TestEnv::new();
    let good = std::fs::read(crate::testenv::root().join("models/topics.model")).unwrap();
    let truncated = env.write("truncated.model", &good[..good.len() / 2]);
    env.assert_failure_with_error(
        &["label", "--model", s(&truncated), "seeds/"],
        2,
        &["truncated.model", "truncated"],
    );
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x10;
    let flipped = env.write("flipped.model", &flipped);
    env.assert_failure_with_error(
        &["label", "--model", s(&flipped), "seeds/"],
        2,
        &["flipped.model", "checksum"],
    );
    let mut future = good.clone();
    future[8..12].copy_from_slice(&99u32.to_le_bytes());
    let future = env.write("future.model", &future);
    env.assert_failure_with_error(
        &["label", "--model", s(&future), "seeds/"],
        2,
        &["version 99"],
    );
    let text = env.write("text.model", "just some text, not a model at all");
    env.assert_failure_with_error(
        &["label", "--model", s(&text), "seeds/"],
        2,
        &["not a classify model"],
    );
}

#[test]
fn explain_lists_terms_per_topic() {
    let env = TestEnv::new();
    let out = env.assert_ok(&["explain", "-n", "5"]);
    let topics: Vec<&str> = out.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(topics, ["diplomacy", "economy", "extremism", "security"]);
    let out = env.assert_ok(&["label", "--explain", "seeds/003_32ffcfedb9749a76.txt"]);
    assert!(out.contains("because: "), "{out}");
}
