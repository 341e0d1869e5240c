//! The command line as a user meets it: labelling the seeds, formats, determinism,
//! skipped inputs and one-line errors.

use crate::testenv::{s, TestEnv};

#[test]
fn label_seeds_shows_every_article_with_paragraph_topics() {
    let env = TestEnv::new();
    let out = env.assert_ok(&["label", "seeds/"]);
    for entry in std::fs::read_dir(crate::testenv::root().join("seeds")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let at =
            out.lines().position(|l| l == format!("seeds/{name}")).unwrap_or_else(|| panic!("no {name} in:\n{out}"));
        let main = out.lines().skip(at).find(|l| l.starts_with("  main topic: ")).unwrap();
        let topics = ["diplomacy", "economy", "security", "extremism"];
        assert!(topics.iter().any(|t| main.starts_with(&format!("  main topic: {t}  ("))), "{main}");
    }
    // Paragraph rows: index, topic, confidence, text.
    let rows = out.lines().filter(|l| l.starts_with("  ") && !l.starts_with("  main topic")).count();
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
    let records: Vec<serde_json::Value> = one.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let paragraphs = records.iter().filter(|r| r["kind"] == "paragraph").count();
    let articles = records.iter().filter(|r| r["kind"] == "article").count();
    assert_eq!((paragraphs, articles), (108, 5));
    for r in records.iter().filter(|r| r["kind"] == "paragraph") {
        let sum: f64 = r["probabilities"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).sum();
        assert!((sum - 1.0).abs() < 1e-3, "probabilities sum to {sum}");
    }
}

#[test]
fn stdin_and_csv_output() {
    let env = TestEnv::new();
    let article = std::fs::read(crate::testenv::root().join("seeds/003_32ffcfedb9749a76.txt")).unwrap();
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
    assert_eq!(lines.next().unwrap(), "article,paragraph,line,topic,p_diplomacy,p_economy,p_extremism,p_security,text");
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
    env.assert_failure_with_error(&["label", "--output", s(&missing), "seeds/"], 2, &["does not exist", "mkdir -p"]);
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

#[test]
fn suggest_ranks_by_margin_as_label_scores_paragraphs() {
    let env = TestEnv::new();
    let out = env.assert_ok(&["suggest", "--unlabelled", "seeds/", "-n", "5", "--json"]);
    let ranked: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(ranked.len(), 5);
    let margins: Vec<f64> = ranked.iter().map(|r| r["margin"].as_f64().unwrap()).collect();
    assert!(margins.windows(2).all(|w| w[0] <= w[1]), "smallest margin first: {margins:?}");
    // The same paragraph, labelled with its article: the same margin (label prints
    // probabilities to 4 decimals).
    let (article, n) = ranked[0]["id"].as_str().unwrap().rsplit_once('#').unwrap();
    let labelled = env.assert_ok(&["label", "--format", "jsonl", article]);
    let p: serde_json::Value = labelled
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["kind"] == "paragraph" && v["paragraph"].as_u64() == Some(n.parse().unwrap()))
        .unwrap();
    let mut probs: Vec<f64> = p["probabilities"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).collect();
    probs.sort_by(|a, b| b.total_cmp(a));
    assert!((probs[0] - probs[1] - margins[0]).abs() < 1e-3, "{probs:?} against margin {}", margins[0]);
}
