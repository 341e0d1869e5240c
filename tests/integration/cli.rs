//! The command line as a user meets it: labelling the seeds, formats, determinism,
//! skipped inputs and one-line errors.

use crate::testenv::{root, s, TestEnv};
use std::path::Path;

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
fn without_model_the_working_directorys_default_model_else_the_built_in_copy() {
    let env = TestEnv::new();
    let seed = root().join("seeds/003_32ffcfedb9749a76.txt");
    let label = |model: Option<&Path>| {
        let mut args = vec!["label", "--format", "jsonl", s(&seed)];
        if let Some(m) = model {
            args.extend(["--model", s(m)]);
        }
        let out = env.cmd(&args).current_dir(env.dir.path()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    // Outside the repository: the built-in copy, which is the committed file.
    let committed = root().join("models/topics.model");
    assert_eq!(label(None), label(Some(&committed)));
    // Where train wrote models/topics.model, that model.
    let other = env.write("models/topics.model", std::fs::read(root().join("tests/fixtures/format-v1.model")).unwrap());
    assert_eq!(label(None), label(Some(&other)));
    assert_ne!(label(None), label(Some(&committed)));
    let out = env.cmd(&["explain", "-n", "1"]).current_dir(env.dir.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("model:       models/topics.model\n"));
    // A file there that is no model: the error says why it was read.
    std::fs::write(&other, "hello").unwrap();
    let out = env.cmd(&["label", s(&seed)]).current_dir(env.dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("models/topics.model: cannot load model (it is read because no --model was given"), "{err}");
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
    // A line too short to be a paragraph: the table says why nothing was labelled.
    let short = env.write("short.txt", "Militants attacked the border post.\n");
    let out = env.assert_ok(&["label", s(&short)]);
    assert!(out.contains("(no paragraphs: a paragraph has 10 words or more and ends like a sentence"), "{out}");
    // So is a long line that ends no sentence.
    let unended = env.write("unended.txt", format!("{}\n", ["Analysts expect the bank to cut rates"; 6].join(" and ")));
    let out = env.assert_ok(&["label", s(&unended)]);
    assert!(out.contains("(no paragraphs: a paragraph has 10 words or more and ends like a sentence"), "{out}");
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
    // `--output -` is standard output, not a file named `-`.
    // Without --format, the output's extension names the format.
    for (name, first) in
        [("out.csv", "article,paragraph,line,topic"), ("out.tsv", "article\tparagraph"), ("o.ndjson", "{")]
    {
        let path = env.path(name);
        env.assert_ok(&["label", "--output", s(&path), "seeds/003_32ffcfedb9749a76.txt"]);
        assert!(std::fs::read_to_string(&path).unwrap().starts_with(first), "{name}");
    }
    let printed = env.assert_ok(&["label", "--output", "-", "seeds/003_32ffcfedb9749a76.txt"]);
    assert!(printed.contains("main topic: diplomacy"), "{printed}");
    assert!(!crate::testenv::root().join("-").exists());
    // A run that could read no input leaves an existing output file as it was, and
    // creates none where there was none.
    let nothing = env.path("nothing-here.txt");
    let binary = env.write("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    for input in [&nothing, &binary] {
        env.assert_failure_with_error(
            &["label", "--output", s(&out), s(input)],
            2,
            &["no input could be read", "out.jsonl was left as it was"],
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
        let fresh = env.path("fresh.txt");
        env.assert_failure_with_error(&["label", "--output", s(&fresh), s(input)], 2, &["no input could be read"]);
        assert!(!fresh.exists(), "no output file is created when nothing was read");
    }
    // So does a directory with no file to label, or a file of records with no record.
    let empty = env.path("empty");
    std::fs::create_dir_all(empty.join(".git")).unwrap();
    env.write("empty/.git/x.txt", "Hidden files are passed over, so this one is never labelled here.");
    let no_records = env.write("none.jsonl", "");
    for (input, why) in [(&empty, "found no file to label"), (&no_records, "the inputs hold no records")] {
        env.assert_failure_with_error(
            &["label", "--output", s(&out), s(input)],
            2,
            &[why, "out.jsonl was left as it was"],
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    }
    // An output that is a model (--output for --model), or named .json (one JSON
    // document), is refused before anything is written.
    let model = env.path("copy.model");
    std::fs::copy(crate::testenv::root().join("models/topics.model"), &model).unwrap();
    let seed = "seeds/003_32ffcfedb9749a76.txt";
    env.assert_failure_with_error(&["label", "-o", s(&model), seed], 2, &["is a classify model", "--model names"]);
    assert!(classify_model::Model::from_bytes(&std::fs::read(&model).unwrap()).is_ok(), "the model is intact");
    env.assert_failure_with_error(&["label", "-o", s(&env.path("o.json")), seed], 2, &["name the file .jsonl"]);
    env.assert_ok(&["label", "--format", "jsonl", "-o", s(&env.path("o.json")), seed]);
}

#[test]
fn explain_lists_terms_per_topic() {
    let env = TestEnv::new();
    let out = env.assert_ok(&["explain", "-n", "5"]);
    let (head, terms) = out.split_once("\n\n").expect("the model, a blank line, the terms");
    assert!(head.starts_with("model:       models/topics.model\nsettings:    (defaults)\n"), "{head}");
    let topics: Vec<&str> = terms.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(topics, ["diplomacy", "economy", "extremism", "security"]);
    let out = env.assert_ok(&["label", "--explain", "seeds/003_32ffcfedb9749a76.txt"]);
    assert!(out.contains("because: "), "{out}");
}

#[test]
fn explain_shows_the_settings_that_retrain_the_same_model() {
    let env = TestEnv::new();
    let settings = "--variant complement --weight-norm --alpha 0.1 --ngrams 2 --tf sublinear --idf --normalize \
                    --min-df 2 --max-df 0.9 --max-features 900 --priors uniform --no-stem --context 0.5";
    let first = env.path("first.model");
    let args = |model: &Path| -> Vec<String> {
        let mut a: Vec<String> = ["train", "labels/seeds.tsv", "--model", s(model)].map(String::from).to_vec();
        a.extend(settings.split(' ').map(String::from));
        a
    };
    let run = |a: Vec<String>| env.assert_ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    run(args(&first));
    let out = env.assert_ok(&["explain", "-n", "1", "--model", s(&first)]);
    let shown = out.lines().find_map(|l| l.strip_prefix("settings:    ")).expect("a settings line");
    assert_eq!(shown, settings);
    // The line given back to train makes the same model, byte for byte.
    let second = env.path("second.model");
    let mut again: Vec<String> = ["train", "labels/seeds.tsv", "--model", s(&second)].map(String::from).to_vec();
    again.extend(shown.split(' ').map(String::from));
    run(again);
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap());
}

#[test]
fn explain_names_the_article_context_when_it_pushed_a_paragraph() {
    let env = TestEnv::new();
    let reasons = |model: &str| -> Vec<Vec<(String, f64)>> {
        let out = env.assert_ok(&[
            "label",
            "--explain",
            "--format",
            "jsonl",
            "--model",
            model,
            "seeds/003_32ffcfedb9749a76.txt",
        ]);
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["kind"] == "paragraph")
            .map(|v| {
                v["explanation"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| (e[0].as_str().unwrap().to_string(), e[1].as_f64().unwrap()))
                    .collect()
            })
            .collect()
    };
    // The shipped model reads paragraphs in context: the context is among the reasons
    // of some paragraphs, always with a positive weight.
    let with = reasons("models/topics.model");
    let context: Vec<f64> = with.iter().flatten().filter(|(t, _)| t == "(article context)").map(|(_, w)| *w).collect();
    assert!(!context.is_empty() && context.iter().all(|&w| w > 0.0), "{with:?}");
    // A model that reads each paragraph alone never names it.
    let alone = env.path("alone.model");
    env.assert_ok(&["train", "--context", "0", "--calibrate-folds", "0", "--model", s(&alone), "labels/seeds.tsv"]);
    assert!(reasons(s(&alone)).iter().flatten().all(|(t, _)| t != "(article context)"));
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
    // Records that share an id (an article's id on each paragraph) are still scored each
    // on its own text: they used to be taken for one record and all get the first's
    // probabilities.
    let texts = [
        "The central bank raised its key interest rate to curb inflation, the regulator said on Friday.",
        "Militants attacked a border post overnight, killing two guards, the interior ministry said.",
    ];
    let jsonl: String = texts
        .iter()
        .map(|t| format!("{}\n", serde_json::json!({"id": "a1", "source": "https://x.example/a", "body": t})))
        .collect();
    let file = env.write("dup.jsonl", &jsonl);
    let out = env.assert_ok(&["suggest", "--unlabelled", s(&file), "--text-field", "body", "--json"]);
    let top: Vec<String> =
        out.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["top"].to_string()).collect();
    assert_eq!(top.len(), 2, "{out}");
    assert_ne!(top[0], top[1], "{out}");
    // Record options apply, on standard input too.
    let stdin = env.run_with_stdin(
        &["suggest", "--unlabelled", "-", "--input-format", "jsonl", "--text-field", "body", "--json"],
        jsonl.as_bytes(),
    );
    assert_eq!(String::from_utf8_lossy(&stdin.stdout), out);
}

#[test]
fn train_and_suggest_exit_1_when_unlabelled_inputs_were_skipped() {
    // As label does: the work is done with what could be read, and the exit code says
    // that something was left out.
    let env = TestEnv::new();
    let png = env.write("u/image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let missing = env.path("u/missing.txt");
    let article = "seeds/003_32ffcfedb9749a76.txt";
    let model = env.path("em.model");
    let train = |extra: &str| {
        env.run(&[
            "train",
            "--calibrate-folds",
            "0",
            "--alpha",
            "0.1",
            "--model",
            s(&model),
            "labels/seeds.tsv",
            "--unlabelled",
            article,
            extra,
        ])
    };
    let out = train(s(&png));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("skipped 1 unreadable input (reported above)"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("image.txt"));
    assert!(model.exists());
    assert_eq!(train("seeds/").status.code(), Some(0));
    let out = env.run(&["suggest", "--unlabelled", article, s(&missing), "-n", "3"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1 + 3);
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));
}

#[test]
fn a_record_of_several_lines_is_one_table_row() {
    let env = TestEnv::new();
    let data = env.write("multi.csv", "id,text\nr1,\"The ministers met.\nThey spoke of trade\tand tariffs.\"\n");
    let out = env.assert_ok(&["label", s(&data)]);
    let row = out.lines().find(|l| l.contains("The ministers met.")).expect("the record's row");
    assert!(row.contains("The ministers met. They spoke of trade and tariffs."), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("They spoke")), "{out}");
}

/// Paragraphs of the first seed article, as `label` finds them.
fn seed_paragraphs(env: &TestEnv) -> (String, Vec<serde_json::Value>) {
    let article = "seeds/000_7bd192f55f51a0ad.txt";
    let out = env.assert_ok(&["label", "--format", "jsonl", article]);
    let paragraphs = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "paragraph")
        .collect();
    (article.to_string(), paragraphs)
}

#[test]
fn label_reads_records_one_paragraph_each_and_an_articles_records_together() {
    let env = TestEnv::new();
    let (_, paragraphs) = seed_paragraphs(&env);
    assert!(paragraphs.len() >= 4);
    // The article's paragraphs as JSONL records of one page, then one record alone.
    let mut jsonl = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let rec = serde_json::json!({ "id": format!("p{i}"), "source": "https://example.org/a", "text": p["text"] });
        jsonl.push_str(&format!("{rec}\n"));
    }
    let lone = serde_json::json!({ "id": "lone", "text": paragraphs[0]["text"] });
    jsonl.push_str(&format!("{lone}\n"));
    let file = env.write("records.jsonl", jsonl);
    let out = env.assert_ok(&["label", "--format", "jsonl", s(&file)]);
    let recs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "paragraph")
        .collect();
    assert_eq!(recs.len(), paragraphs.len() + 1, "one paragraph per record");
    for (i, (r, p)) in recs.iter().zip(&paragraphs).enumerate() {
        assert_eq!(r["id"], format!("p{i}"));
        assert_eq!(r["article"], "https://example.org/a");
        assert_eq!(r["line"], i + 1);
        // Records of one page are labelled exactly as the paragraphs of the article.
        assert_eq!((&r["topic"], &r["probabilities"]), (&p["topic"], &p["probabilities"]), "record {i}");
    }
    let last = recs.last().unwrap();
    assert_eq!((&last["id"], &last["article"]), (&"lone".into(), &"lone".into()), "a record without source is alone");
    // The same records as CSV, chosen with --where, read by extension.
    let mut csv = String::from("id,split,source,body\n");
    for (i, p) in paragraphs.iter().enumerate() {
        csv.push_str(&format!(
            "p{i},test,https://example.org/a,\"{}\"\n",
            p["text"].as_str().unwrap().replace('"', "\"\"")
        ));
        csv.push_str(&format!("q{i},train,https://example.org/b,\"left out\"\n"));
    }
    let file = env.write("records.csv", csv);
    let out = env.assert_ok(&["label", "--format", "jsonl", "--text-field", "body", "--where", "split=test", s(&file)]);
    let from_csv: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "paragraph")
        .collect();
    assert_eq!(from_csv.len(), paragraphs.len());
    assert!(from_csv.iter().zip(&recs).all(|(c, j)| c["probabilities"] == j["probabilities"] && c["id"] == j["id"]));
}

#[test]
fn records_on_standard_input_are_labelled_as_from_a_file_and_named_dash() {
    let env = TestEnv::new();
    let (_, paragraphs) = seed_paragraphs(&env);
    let mut jsonl = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        let rec = serde_json::json!({ "id": format!("p{i}"), "source": "https://example.org/a", "text": p["text"] });
        jsonl.push_str(&format!("{rec}\n"));
    }
    let file = env.write("records.jsonl", &jsonl);
    let from_file = env.assert_ok(&["label", "--format", "jsonl", s(&file)]);
    let out = env.run_with_stdin(&["label", "--format", "jsonl", "--input-format", "jsonl", "-"], jsonl.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    // Without an id, a record is named by its line of `-`.
    let csv = format!("text\n\"{}\"\n", paragraphs[0]["text"].as_str().unwrap().replace('"', "\"\""));
    let out = env.run_with_stdin(&["label", "--format", "jsonl", "--input-format", "csv", "-"], csv.as_bytes());
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!((&first["id"], &first["topic"]), (&"-:2".into(), &paragraphs[0]["topic"]));
    // A bad row is reported at its line of `-`, never at the temporary copy.
    let out = env.run_with_stdin(&["label", "--input-format", "csv", "-"], b"text\n\"never closed\nmore\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("classify: warning: -:2: a quote opened in this row is never closed"), "{stderr}");
    // A file named twice, also by another spelling, is read once, with a note.
    let twice = format!("{}/./records.jsonl", s(env.dir.path()));
    let out = env.run(&["label", "--format", "jsonl", s(&file), &twice]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    assert!(String::from_utf8_lossy(&out.stderr).contains("given more than once, read once"));
    // Standard input named twice is read once.
    let out =
        env.run_with_stdin(&["label", "--format", "jsonl", "--input-format", "jsonl", "-", "-"], jsonl.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    // Without --input-format, standard input is an article, as before.
    let out = env.run_with_stdin(&["label", "--format", "jsonl", "-"], jsonl.as_bytes());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().all(|l| !l.contains("\"id\":\"p0\"")), "{stdout}");
}

#[test]
fn labelled_data_on_standard_input_trains_the_same_model_as_from_a_file() {
    let env = TestEnv::new();
    // The seed paragraphs and their labels, as JSONL.
    let seeds = std::fs::read_to_string(crate::testenv::root().join("labels/seeds.tsv")).unwrap();
    let mut rows = seeds.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let (label, group, text) = (col("label"), col("group"), col("text"));
    let rows: Vec<Vec<&str>> = rows.filter(|r| r[label] != "other").collect();
    let mut jsonl = String::new();
    for r in &rows {
        let rec = serde_json::json!({ "label": r[label], "group": r[group], "text": r[text] });
        jsonl.push_str(&format!("{rec}\n"));
    }
    let file = env.write("train.jsonl", &jsonl);
    let (a, b) = (env.path("file.model"), env.path("stdin.model"));
    env.assert_ok(&["train", "--calibrate-folds", "2", "--model", s(&a), s(&file)]);
    let out = env.run_with_stdin(
        &["train", "--input-format", "jsonl", "--calibrate-folds", "2", "--model", s(&b), "-"],
        jsonl.as_bytes(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    // Standard input has no extension to tell its format by.
    let out = env.run_with_stdin(&["eval", "--model", s(&a), "-"], jsonl.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("classify: error: -: standard input has no name to tell its format by"), "{stderr}");
    // Warnings name `-` too, never the temporary copy.
    let out = env.run_with_stdin(
        &["train", "--input-format", "jsonl", "--group-field", "nope", "--calibrate-folds", "0", "--model", s(&b), "-"],
        jsonl.as_bytes(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("classify: warning: -: no record has the --group-field chosen"), "{stderr}");
    // A malformed line is named by its line of `-`.
    let bad = format!("{jsonl}not json\n");
    let out = env.run_with_stdin(&["eval", "--input-format", "jsonl", "--model", s(&a), "-"], bad.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("classify: error: -:{}: malformed JSON", rows.len() + 1)), "{stderr}");
}

#[test]
fn a_bad_record_stops_its_file_after_labelling_what_came_before() {
    let env = TestEnv::new();
    let file = env.write(
        "bad.jsonl",
        "{\"id\": \"a\", \"text\": \"Trade between Kazakhstan and China grew by a fifth last year, officials said.\"}\n{\"id\": \"b\", \"body\": \"no text field\"}\n",
    );
    let out = env.run(&["label", "--format", "jsonl", s(&file), "seeds/000_7bd192f55f51a0ad.txt"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bad.jsonl:2: no text field 'text'") && stderr.contains("stopped reading there"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"id\":\"a\""), "the record before the bad one is labelled");
    assert!(stdout.contains("000_7bd192f55f51a0ad.txt"), "the next input is labelled");
}

#[test]
fn a_long_run_of_records_is_one_article_numbered_throughout_and_tsv_quotes_are_text() {
    let env = TestEnv::new();
    let mut jsonl = String::new();
    for i in 0..300 {
        let text = format!("Trade between Kazakhstan and China grew in year {i}, officials said.");
        jsonl.push_str(&format!(
            "{}\n",
            serde_json::json!({ "id": format!("r{i}"), "source": "https://x.org/p", "text": text })
        ));
    }
    let file = env.write("long.jsonl", jsonl);
    let out = env.assert_ok(&["label", "--format", "jsonl", s(&file)]);
    let recs: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let articles: Vec<&serde_json::Value> = recs.iter().filter(|r| r["kind"] == "article").collect();
    assert_eq!(articles.len(), 1, "one article for one page");
    assert_eq!(articles[0]["paragraphs"], 300);
    let numbers: Vec<u64> =
        recs.iter().filter(|r| r["kind"] == "paragraph").map(|r| r["paragraph"].as_u64().unwrap()).collect();
    assert_eq!(numbers, (1..=300).collect::<Vec<u64>>());
    // TSV: a paragraph that opens a quote does not swallow the rows after it, and the
    // output TSV has an id column and no quoting.
    let tsv = env.write(
        "q.tsv",
        "id\ttext\n1\t\"We will not retreat, the minister said of the border.\n2\tTrade talks went on.\n",
    );
    let out = env.assert_ok(&["label", "--format", "tsv", s(&tsv)]);
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0][..4], ["article", "paragraph", "id", "line"]);
    assert_eq!(rows.len(), 3, "{out}");
    assert_eq!((rows[1][2], rows[2][2]), ("1", "2"));
    assert_eq!(rows[1].last().unwrap(), &"\"We will not retreat, the minister said of the border.");
}

#[test]
fn record_options_that_match_nothing_are_warned_of() {
    let env = TestEnv::new();
    let text = "Trade between the two countries rose by 20 percent last year, officials said.";
    let rec = serde_json::json!({ "id": "a", "split": "test", "text": text });
    let file = env.write("r.jsonl", format!("{rec}\n{rec}\n"));
    let warned = |args: &[&str], fragment: &str| {
        let out = env.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains(fragment), "{args:?}: {stderr}");
    };
    // --where leaving out every record is warned of, per file, and an error: nothing
    // was labelled, and an output file that was there is left as it was.
    let output = env.write("out.jsonl", "{\"earlier\":\"results\"}\n");
    let out = env.run(&["label", "--where", "spilt=test", "-o", s(&output), s(&file)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("r.jsonl: --where left out all 2 records (is the field name right?)"), "{stderr}");
    assert!(stderr.contains("--where left out every record: nothing was labelled; "), "{stderr}");
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "{\"earlier\":\"results\"}\n");
    warned(&["label", "--group-field", "page", s(&file)], "no record has the field 'page' (--group-field)");
    warned(&["label", "--id-field", "url", s(&file)], "no record has the field 'url' (--id-field)");
    warned(
        &["label", "--where", "split=test", "seeds/003_32ffcfedb9749a76.txt"],
        "--where applies to files of records, and every input was read as an article",
    );
    // Options that match are not warned of.
    let out = env.run(&["label", "--where", "split=test", "--id-field", "id", s(&file)]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"), "{}", String::from_utf8_lossy(&out.stderr));
    // Labelled data: a --group-field no record has makes every record its own article.
    let labelled = env.write(
        "l.jsonl",
        "{\"label\":\"a\",\"group\":\"g\",\"text\":\"x y\"}\n{\"label\":\"b\",\"group\":\"g\",\"text\":\"z w\"}\n",
    );
    let m = env.path("m.model");
    warned(
        &["train", "--calibrate-folds", "0", "--group-field", "article", "--model", s(&m), s(&labelled)],
        "l.jsonl: no record has the --group-field chosen",
    );
}
