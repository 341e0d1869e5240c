//! Line ends, byte-order marks and format detection, read alike by every reader; and
//! the cases of a review of the corpus crate (each failed before its fix).

use crate::testenv::{s, TestEnv};
use serde_json::{json, Value};

const TRADE: &str = "Kazakhstan and Uzbekistan signed a new trade agreement on grain exports in Tashkent.";
const ATTACK: &str = "Militants attacked a border post in the night and killed three guards, officials said.";

/// JSON lines of these records, each ended by a line feed.
fn jsonl(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

fn paragraphs(jsonl: &str) -> Vec<Value> {
    jsonl.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|r| r["kind"] == "paragraph").collect()
}

#[test]
fn a_lone_cr_ends_a_line_in_every_reader() {
    let env = TestEnv::new();
    // An article with CR line ends: two paragraphs, as with LF, on lines 1 and 3.
    let article = env.write("cr.txt", format!("{TRADE}\r\r{ATTACK}\r"));
    let found = paragraphs(&env.assert_ok(&["label", "--format", "jsonl", s(&article)]));
    let lines: Vec<u64> = found.iter().map(|p| p["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 3], "{found:?}");
    // fastText and JSONL records, labelled and not.
    let ft = env.write("cr.ft", format!("__label__economy {TRADE}\r__label__security {ATTACK}\r"));
    let model = env.path("m.model");
    let out = env.assert_ok(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&ft)]);
    assert!(out.contains("paragraphs:  2 (economy 1, security 1)"), "{out}");
    let found = paragraphs(&env.assert_ok(&["label", "--format", "jsonl", "--input-format", "fasttext", s(&ft)]));
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1]["text"], ATTACK);
    let jsonl = env.write(
        "cr.jsonl",
        format!("{}\r{}\r\n", json!({"label": "economy", "text": TRADE}), json!({"label": "security", "text": ATTACK})),
    );
    let out = env.assert_ok(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&jsonl)]);
    assert!(out.contains("paragraphs:  2 (economy 1, security 1)"), "{out}");
    // A label file with CR line ends is still told to be one: its label list is enforced.
    let labels = env.write("cr.tsv", format!("# labels: economy security\rlabel\ttext\rbogus\t{TRADE}\r"));
    env.assert_failure_with_error(
        &["train", "--calibrate-folds", "0", "--model", s(&model), s(&labels)],
        2,
        &["cr.tsv:3", "unknown label 'bogus'"],
    );
}

#[test]
fn label_files_are_told_apart_after_a_byte_order_mark_or_blank_lines() {
    let env = TestEnv::new();
    let model = env.path("m.model");
    for (name, head) in [("bom.tsv", "\u{feff}"), ("blank.tsv", "\n\n")] {
        let file = env.write(name, format!("{head}# labels: economy security\n\nlabel\ttext\nbogus\t{TRADE}\n"));
        env.assert_failure_with_error(
            &["train", "--calibrate-folds", "0", "--model", s(&model), s(&file)],
            2,
            &[name, "unknown label 'bogus'"],
        );
    }
    // fastText lines after a byte-order mark are fastText lines.
    let ft = env.write("bom.txt", format!("\u{feff}__label__economy {TRADE}\n__label__security {ATTACK}\n"));
    let out = env.assert_ok(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&ft)]);
    assert!(out.contains("(economy 1, security 1)"), "{out}");
}

#[test]
fn record_options_apply_to_a_tsv_with_label_columns_and_are_refused_for_label_files() {
    let env = TestEnv::new();
    let model = env.path("m.model");
    let tsv = env.write(
        "gen.tsv",
        format!("id\tlabel\ttext\tsplit\n1\teconomy\t{TRADE}\ttrain\n2\tsecurity\t{ATTACK}\ttrain\n3\teconomy\t{TRADE} Again.\ttest\n"),
    );
    // --where keeps the two `train` rows: before, the file was read as a label file and
    // every row was trained on.
    let out =
        env.assert_ok(&["train", "--calibrate-folds", "0", "--where", "split=train", "--model", s(&model), s(&tsv)]);
    assert!(out.contains("paragraphs:  2 (economy 1, security 1)"), "{out}");
    // A label file (it has a directive) has fixed columns: the options are refused.
    let labels = env.write("l.tsv", format!("# labels: economy security\nlabel\ttext\neconomy\t{TRADE}\n"));
    env.assert_failure_with_error(
        &["train", "--where", "split=train", "--model", s(&model), s(&labels)],
        2,
        &["l.tsv: is a label file", "--where applies to CSV, TSV and JSONL"],
    );
    env.assert_failure_with_error(
        &["eval", "--text-field", "body", "labels/"],
        2,
        &["labels/: holds label files", "--text-field", "name its .tsv files"],
    );
}

#[test]
fn numbered_columns_name_every_column_by_number() {
    let env = TestEnv::new();
    let csv = env.write("num.csv", format!("economy,\"{TRADE}\",a1\nsecurity,\"{ATTACK}\",a2\n"));
    let model = env.path("m.model");
    for extra in [["--group-field", "article"], ["--where", "split=train"]] {
        let mut args = vec!["cv", "--label-field", "1", "--text-field", "2", "--folds", "2"];
        args.extend_from_slice(&extra);
        args.push(s(&csv));
        env.assert_failure_with_error(&args, 2, &["num.csv", "is no column number"]);
    }
    // By number, they work.
    let out = env.assert_ok(&[
        "train",
        "--calibrate-folds",
        "0",
        "--label-field",
        "1",
        "--text-field",
        "2",
        "--group-field",
        "3",
        "--model",
        s(&model),
        s(&csv),
    ]);
    assert!(out.contains("(economy 1, security 1)"), "{out}");
}

#[test]
fn jsonl_labels_are_trimmed_as_csv_labels_are() {
    let env = TestEnv::new();
    let file = env.write(
        "sp.jsonl",
        jsonl(&[
            json!({"label": "economy ", "text": TRADE}),
            json!({"label": " security", "text": ATTACK}),
            json!({"label": "other ", "text": "The weather was fine for most of the week in the capital, forecasters said."}),
        ]),
    );
    let model = env.path("m.model");
    let out = env.run(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&file)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // `other ` is `other`: left out, as --ignore-label says.
    assert!(stdout.contains("paragraphs:  2 (economy 1, security 1)"), "{stdout}");
}

#[test]
fn json_files_are_records_for_label_as_for_train_and_arrays_are_explained() {
    let env = TestEnv::new();
    let file = env.write("r.json", jsonl(&[json!({"id": "p1", "text": TRADE})]));
    let found = paragraphs(&env.assert_ok(&["label", "--format", "jsonl", s(&file)]));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], "p1");
    let array = env.write("a.json", format!("[{}]\n", json!({"label": "economy", "text": TRADE})));
    let model = env.path("m.model");
    env.assert_failure_with_error(
        &["train", "--model", s(&model), s(&array)],
        2,
        &["a.json:1", "a JSON array, not an object", "jq -c"],
    );
    let pretty = env.write("p.json", "{\n  \"label\": \"economy\",\n  \"text\": \"Trade grew.\"\n}\n");
    env.assert_failure_with_error(
        &["train", "--model", s(&model), s(&pretty)],
        2,
        &["p.json:1", "one JSON document over several lines"],
    );
}

#[test]
fn label_folders_follow_links_and_read_a_file_once() {
    let env = TestEnv::new();
    env.write("d/economy/a.txt", TRADE);
    env.write("d/security/b.txt", ATTACK);
    env.write("elsewhere/c.txt", format!("{TRADE} Grain prices fell."));
    env.write("more/d.txt", "Police arrested four suspects after the raid on the border town, officials said.");
    std::os::unix::fs::symlink(env.path("elsewhere/c.txt"), env.path("d/economy/c.txt")).unwrap();
    std::os::unix::fs::symlink(env.path("more"), env.path("d/extremism")).unwrap();
    let model = env.path("m.model");
    let d = env.path("d");
    let out = env.run(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&d), &format!("{}/", s(&d))]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("paragraphs:  4 (economy 2, extremism 1, security 1)"), "{stdout}");
    assert!(stderr.contains("read once"), "{stderr}");
}

#[test]
fn large_articles_are_cut_at_any_white_space_and_lose_their_byte_order_mark() {
    let env = TestEnv::new();
    // Over 4 MiB, so streamed; no blank line, no ". ", only ideographic and no-break
    // spaces to cut at, which are more than one byte. This panicked.
    let cjk = "哈萨克斯坦与乌兹别克斯坦签署了新的贸易协定\u{3000}".repeat(120_000);
    let file = env.write("cjk.txt", &cjk);
    let out = env.run(&["label", "--format", "jsonl", s(&file)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let nbsp = format!("{TRADE}\u{a0}").repeat(60_000);
    let file = env.write("nbsp.txt", format!("\u{feff}{nbsp}"));
    let out = env.run(&["label", "--format", "jsonl", s(&file)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found = paragraphs(&String::from_utf8(out.stdout).unwrap());
    assert!(found.len() > 1);
    // The byte-order mark is no part of the first paragraph, as in a small file.
    assert!(found[0]["text"].as_str().unwrap().starts_with("Kazakhstan"), "{}", found[0]["text"]);
}

#[test]
fn suggest_scores_records_in_context_as_label_does() {
    let env = TestEnv::new();
    // Article g1 comes back after g2: `label` reads consecutive records of one article
    // together, so the third record is scored alone. `suggest` scored it with the first.
    let rec = |id: &str, group: &str, text: &str| json!({"id": id, "group": group, "text": text});
    let file = env.write(
        "grp.jsonl",
        jsonl(&[
            rec("a", "g1", ATTACK),
            rec("b", "g2", TRADE),
            rec("c", "g1", "The ministers met in Astana to discuss cooperation between their countries this year."),
        ]),
    );
    let labelled = paragraphs(&env.assert_ok(&["label", "--format", "jsonl", s(&file)]));
    let suggested: Vec<Value> = env
        .assert_ok(&["suggest", "--json", "-n", "3", "--unlabelled", s(&file)])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(suggested.len(), 3);
    for p in &labelled {
        let mut probs: Vec<f64> =
            p["probabilities"].as_object().unwrap().values().map(|v| v.as_f64().unwrap()).collect();
        probs.sort_by(|a, b| b.total_cmp(a));
        let s = suggested.iter().find(|s| s["id"] == p["id"]).unwrap();
        let margin = s["margin"].as_f64().unwrap();
        assert!((margin - (probs[0] - probs[1])).abs() < 1e-3, "{}: suggest {margin}, label {probs:?}", p["id"]);
    }
}

/// The lines of the paragraphs `label` finds in `path`.
fn paragraph_lines(env: &TestEnv, path: &std::path::Path) -> Vec<u64> {
    paragraphs(&env.assert_ok(&["label", "--format", "jsonl", s(path)]))
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_streamed_crlf_article_cut_between_cr_and_lf_keeps_its_line_numbers() {
    let env = TestEnv::new();
    // CRLF paragraphs whose blank lines end 64 KiB before the 4 MiB read whole, then a
    // 65,535-byte line with no sentence end: the stream must cut it, at the CR that
    // ends the text read so far, whose LF comes in the next read.
    let para = "Militants attacked a border post in the night and killed three guards, officials said.";
    let head = (4 << 20) + 1 - (64 << 10);
    let mut body = String::new();
    while body.len() + para.len() + 4 <= head {
        body.push_str(para);
        body.push_str("\r\n\r\n");
    }
    let pad = head - body.len();
    let first = format!("{}{}{}.", &para[..para.len() - 1], " x".repeat(pad / 2), if pad % 2 == 1 { "y" } else { "" });
    body = format!("{first}{}", &body[para.len()..]);
    assert_eq!(body.len(), head);
    let long = "word ".repeat(20_000);
    body.push_str(&long[..65_534]);
    body.push_str("z\r\n\r\n");
    body.push_str(para);
    body.push_str("\r\n\r\nKazakhstan and Uzbekistan signed a new trade agreement on grain exports in Tashkent.\r\n");
    let crlf = env.write("straddle.crlf.txt", &body);
    let lf = env.write("straddle.lf.txt", body.replace("\r\n", "\n"));
    let (a, b) = (paragraph_lines(&env, &crlf), paragraph_lines(&env, &lf));
    assert_eq!(a.len(), b.len());
    assert_eq!(a[a.len() - 2..], b[b.len() - 2..], "CRLF and LF give the editor's line numbers");
}

#[test]
fn a_streamed_hindi_article_is_cut_at_its_sentence_ends() {
    let env = TestEnv::new();
    let sentence = "अधिकारियों के अनुसार सीमा पर गोलीबारी के बाद दोनों देशों के बीच व्यापार पूरी तरह से रुक गया था। ";
    let file = env.write("hi.txt", sentence.repeat((4_500_000 / sentence.len()) + 1));
    let found = paragraphs(&env.assert_ok(&["label", "--format", "jsonl", s(&file)]));
    assert!(found.len() > 10);
    assert!(found.iter().all(|p| p["text"].as_str().unwrap().ends_with('।')), "every block ends at a sentence end");
}

#[test]
fn broken_links_and_other_encodings_in_label_folders_are_warned_of() {
    let env = TestEnv::new();
    env.write("lf/economy/a.txt", TRADE);
    env.write("lf/security/b.txt", ATTACK);
    std::os::unix::fs::symlink("/nonexistent/x.txt", env.path("lf/economy/broken.txt")).unwrap();
    std::os::unix::fs::symlink("..", env.path("lf/economy/loop")).unwrap();
    // A Windows-1252 file is decoded, and said to be, as `label` says of an article.
    env.write(
        "lf/security/c.txt",
        b"Police in Bishkek arrested four suspects after the caf\xe9 attack, officials said.",
    );
    let model = env.path("m.model");
    let out = env.run(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&env.path("lf"))]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "done, with inputs passed over: {stderr}");
    assert!(stderr.contains("broken.txt: no such file or directory, passed over"), "{stderr}");
    assert!(stderr.contains("loop: symbolic link loop, passed over"), "{stderr}");
    assert!(stderr.contains("c.txt: not valid UTF-8; decoded as Windows-1252 (Latin-1)"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("(economy 1, security 2)"));
    assert!(model.exists());
}

#[test]
fn suggest_reads_an_article_in_two_files_as_two_as_label_does() {
    let env = TestEnv::new();
    let one = env.write("x1.jsonl", jsonl(&[json!({"id": "a", "group": "g1", "text": ATTACK})]));
    let two = env.write("x2.jsonl", jsonl(&[json!({"id": "b", "group": "g1", "text": TRADE})]));
    let alone = env.write("x3.jsonl", jsonl(&[json!({"id": "a", "text": ATTACK})]));
    let margin = |files: &[&std::path::Path], id: &str| -> f64 {
        let mut args = vec!["suggest", "--json", "-n", "5", "--unlabelled"];
        args.extend(files.iter().map(|f| s(f)));
        let out = env.assert_ok(&args);
        let v: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        v.iter().find(|r| r["id"] == id).unwrap()["margin"].as_f64().unwrap()
    };
    assert_eq!(margin(&[&one, &two], "a"), margin(&[&alone], "a"), "no context from the other file");
}

#[test]
fn a_cut_off_last_jsonl_line_is_not_called_a_document_over_several_lines() {
    let env = TestEnv::new();
    let file = env.write(
        "trunc.jsonl",
        format!(
            "{}\n{{\"label\":\"economy\",\"text\":\"Kazakhstan signed a tra",
            json!({"label": "economy", "text": TRADE})
        ),
    );
    let err =
        env.assert_failure_with_error(&["train", "--model", s(&env.path("m.model")), s(&file)], 2, &["trunc.jsonl:2"]);
    assert!(!err.contains("several lines"), "{err}");
}
