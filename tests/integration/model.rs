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
    // All of labels/. Label files that take their text from ../shared (the domain pool)
    // need it; without it the check runs on the seed labels alone, and reports the pool
    // part skipped (under CI, where ../shared must be there, `shared` fails instead).
    let data = match shared("multinomial_matches_linfa_bayes_on_the_labels (pool part)") {
        Some(_) => labelled(&["labels/"]),
        None => labelled(&["labels/seeds.tsv"]),
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
    let reference = MultinomialNbParams::new()
        .alpha(ModelParams::default().alpha)
        .fit(&DatasetView::new(x.view(), y.view()))
        .unwrap();
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

#[test]
fn format_v1_fixture_keeps_loading() {
    // tests/fixtures/format-v1.model: the first model format, trained on labels/seeds.tsv
    // with the defaults. Newer builds must keep reading it.
    let bytes = std::fs::read(root().join("tests/fixtures/format-v1.model")).unwrap();
    let model = Model::from_bytes(&bytes).expect("format 1 loads");
    assert_eq!(model.labels(), ["diplomacy", "economy", "extremism", "security"]);
    // Format 1 had no context weight: such models label each paragraph alone, as before.
    assert_eq!(model.context(), 0.0);
    let p = model.predict("Islamic State Khorasan recruits fighters and spreads jihadi propaganda among militants.");
    assert_eq!(model.labels()[p.label], "extremism");
    let env = TestEnv::new();
    let out = env.assert_ok(&["label", "--model", "tests/fixtures/format-v1.model", "seeds/003_32ffcfedb9749a76.txt"]);
    assert!(out.contains("main topic: "));
}

#[test]
fn format_v2_fixture_loads_as_the_model_training_now_writes() {
    // tests/fixtures/format-v2.model: trained on labels/seeds.tsv with the defaults by the
    // last build that wrote format 2. The same training now writes format 3, with the
    // large arrays packed. Read and written again, the old file gives exactly the new
    // bytes: the change of format lost nothing. One number is fitted differently since:
    // the calibration temperature, whose held-out folds now read `other` paragraphs as
    // context (labels/seeds.tsv has 9); it is compared on its own.
    let env = TestEnv::new();
    let fresh = env.path("seeds.model");
    env.assert_ok(&["train", "labels/seeds.tsv", "--model", s(&fresh)]);
    let fresh = std::fs::read(&fresh).unwrap();
    assert_eq!(u32::from_le_bytes(fresh[8..12].try_into().unwrap()), classify_model::FORMAT_VERSION);
    let old = std::fs::read(root().join("tests/fixtures/format-v2.model")).unwrap();
    assert_eq!(u32::from_le_bytes(old[8..12].try_into().unwrap()), 2);
    let model = Model::from_bytes(&old).expect("format 2 loads");
    assert_eq!(model.context(), 0.25);
    let mut fresh = Model::from_bytes(&fresh).unwrap();
    // Measured: 6.781 in the fixture, 6.886 now.
    assert!(
        (fresh.temperature() / model.temperature() - 1.0).abs() < 0.02,
        "{} against {}",
        fresh.temperature(),
        model.temperature()
    );
    fresh.set_temperature(model.temperature(), model.summary().temperature_folds);
    assert!(model.to_bytes() == fresh.to_bytes(), "format 2 read and written again differs from a fresh model");
}

#[test]
fn metrics_agree_with_linfa() {
    use linfa::prelude::ToConfusionMatrix;
    let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let truth = [0usize, 0, 1, 2, 2, 2, 1, 0, 2, 1];
    let predicted = [0usize, 1, 1, 2, 0, 2, 1, 0, 2, 2];
    let ours = classify_model::Metrics::compute(&labels, &truth, &predicted);
    let t: Array1<String> = truth.iter().map(|&i| labels[i].clone()).collect();
    let p: Array1<String> = predicted.iter().map(|&i| labels[i].clone()).collect();
    let cm = p.confusion_matrix(&t).unwrap();
    assert!((ours.accuracy - f64::from(cm.accuracy())).abs() < 1e-6);
    assert!((ours.macro_f1 - f64::from(cm.f1_score())).abs() < 1e-6, "{} vs {}", ours.macro_f1, cm.f1_score());
}

/// Grouped 5-fold cross-validation accuracy on labels/ (seeds and the training side of the
/// pool), measured on 2026-11-23 with the default settings: 0.8550 (macro-F1 0.8559;
/// 0.8240 with `--context 0`), with `other` paragraphs left out. Training is
/// deterministic, so the floor is that figure less 0.005: any real loss fails. Since
/// `other` paragraphs are read as context of their article (as label reads them), it
/// measures 0.8540 (macro-F1 0.8549); the floor stays.
const CV_ACCURACY_FLOOR: f64 = 0.8550 - 0.005;

#[test]
fn grouped_cross_validation_accuracy_on_the_labels() {
    // labels/pool.tsv takes its text from ../shared/domain.
    let Some(_) = shared("grouped_cross_validation_accuracy_on_the_labels") else {
        return;
    };
    let env = TestEnv::new();
    let out = env.assert_ok(&["cv", "--folds", "5", "--json", "labels/"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let accuracy = v["accuracy"].as_f64().unwrap();
    eprintln!("grouped 5-fold CV on labels/: accuracy {accuracy:.4}, macro-F1 {:.4}", v["macro_f1"].as_f64().unwrap());
    assert!(accuracy >= CV_ACCURACY_FLOOR, "CV accuracy {accuracy:.4} below its floor {CV_ACCURACY_FLOOR}");
    // The confusion matrix, as eval gives it, agrees with the accuracy.
    let confusion: Vec<Vec<u64>> = serde_json::from_value(v["confusion"].clone()).unwrap();
    assert_eq!(confusion.len(), v["labels"].as_array().unwrap().len());
    let total: u64 = confusion.iter().flatten().sum();
    let right: u64 = (0..confusion.len()).map(|i| confusion[i][i]).sum();
    assert_eq!(total, v["n"].as_u64().unwrap());
    assert!((right as f64 / total as f64 - accuracy).abs() < 1e-12);
}

/// The shipped model on the dev split (labels/dev/: a quarter of the pool's articles,
/// never trained on), measured on 2026-11-23: accuracy 0.8700, macro-F1 0.8707 (each
/// paragraph in the context of its article, `other` paragraphs left out; 0.8500 and
/// 0.8514 alone). The committed model is checked byte for byte elsewhere, so the floors
/// are those figures less 0.005. Since `other` paragraphs are read as context of their
/// article (as label reads them), it measures 0.8667 and 0.8677; the floors stay.
const DEV_ACCURACY_FLOOR: f64 = 0.8700 - 0.005;
const DEV_MACRO_F1_FLOOR: f64 = 0.8707 - 0.005;

#[test]
fn shipped_model_on_the_dev_split() {
    let Some(_) = shared("shipped_model_on_the_dev_split") else {
        return;
    };
    let env = TestEnv::new();
    let out = env.assert_ok(&["eval", "--json", "labels/dev/"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (accuracy, f1) = (v["accuracy"].as_f64().unwrap(), v["macro_f1"].as_f64().unwrap());
    eprintln!("shipped model on labels/dev/: accuracy {accuracy:.4}, macro-F1 {f1:.4}");
    assert!(accuracy >= DEV_ACCURACY_FLOOR, "dev accuracy {accuracy:.4} below its floor {DEV_ACCURACY_FLOOR}");
    assert!(f1 >= DEV_MACRO_F1_FLOOR, "dev macro-F1 {f1:.4} below its floor {DEV_MACRO_F1_FLOOR}");
}

#[test]
fn context_weight_is_stored_and_changes_only_multi_paragraph_articles() {
    let env = TestEnv::new();
    let (alone, ctx) = (env.path("alone.model"), env.path("ctx.model"));
    env.assert_ok(&["train", "--context", "0", "--calibrate-folds", "0", "--model", s(&alone), "labels/seeds.tsv"]);
    env.assert_ok(&["train", "--context", "0.5", "--calibrate-folds", "0", "--model", s(&ctx), "labels/seeds.tsv"]);
    assert_eq!(Model::from_bytes(&std::fs::read(&ctx).unwrap()).unwrap().context(), 0.5);
    // One paragraph on its own: no context, the same probabilities.
    let one = env
        .write("one.txt", "Kazakhstan and Pakistan signed agreements on trade, transit and energy during the visit.\n");
    let a = env.assert_ok(&["label", "--format", "jsonl", "--model", s(&alone), s(&one)]);
    let c = env.assert_ok(&["label", "--format", "jsonl", "--model", s(&ctx), s(&one)]);
    assert_eq!(a.lines().filter(|l| l.contains(r#""kind":"paragraph""#)).count(), 1);
    assert_eq!(a, c);
    // A whole article: every paragraph's probabilities move towards the article's topic.
    let a = env.assert_ok(&["label", "--format", "jsonl", "--model", s(&alone), "seeds/003_32ffcfedb9749a76.txt"]);
    let c = env.assert_ok(&["label", "--format", "jsonl", "--model", s(&ctx), "seeds/003_32ffcfedb9749a76.txt"]);
    let paragraphs = |out: &str| -> Vec<serde_json::Value> {
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["kind"] == "paragraph")
            .collect()
    };
    let (pa, pc) = (paragraphs(&a), paragraphs(&c));
    assert!(pa.len() > 2);
    assert_eq!(pa.len(), pc.len());
    assert!(pa.iter().zip(&pc).all(|(x, y)| x["text"] == y["text"]));
    assert!(pa.iter().zip(&pc).any(|(x, y)| x["probabilities"] != y["probabilities"]));
}

#[test]
fn eval_scores_paragraphs_of_one_article_together_and_blank_groups_alone() {
    let env = TestEnv::new();
    let model = env.path("ctx.model");
    env.assert_ok(&["train", "--context", "0.5", "--calibrate-folds", "0", "--model", s(&model), "labels/seeds.tsv"]);
    let seeds = std::fs::read_to_string(root().join("labels/seeds.tsv")).unwrap();
    let mut lines = seeds.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<(String, String)> = lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[col("label")] != "other")
        .take(12)
        .map(|f| (f[col("label")].to_string(), f[col("text")].to_string()))
        .collect();
    let file = |name: &str, group: &dyn Fn(usize) -> String| {
        let mut t = String::from("label\tgroup\ttext\n");
        for (i, (label, text)) in rows.iter().enumerate() {
            t.push_str(&format!("{label}\t{}\t{text}\n", group(i)));
        }
        env.write(name, t)
    };
    let eval = |p: &std::path::Path| env.assert_ok(&["eval", "--json", "--model", s(&model), s(p)]);
    let blank = eval(&file("blank.tsv", &|_| String::new()));
    let distinct = eval(&file("distinct.tsv", &|i| format!("article {i}")));
    let one = eval(&file("one.tsv", &|_| "one article".into()));
    assert_eq!(blank, distinct, "a blank group is no article: each record alone");
    assert_ne!(one, distinct, "one article's paragraphs are each other's context");
    // Paragraphs labelled `other` (--ignore-label) are scored by no one, but are context
    // of their article's others, as label reads the article: they change their scores.
    let others: Vec<String> = seeds
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f[col("label")] == "other")
        .map(|f| f[col("text")].to_string())
        .collect();
    let with_others = |group: &str| {
        let mut t = std::fs::read_to_string(env.path("one.tsv")).unwrap();
        for text in &others {
            t.push_str(&format!("other\t{group}\t{text}\n"));
        }
        eval(&env.write("others.tsv", t))
    };
    let (apart, inside) = (with_others("another article"), with_others("one article"));
    let n = |v: &str| serde_json::from_str::<serde_json::Value>(v).unwrap()["n"].as_u64();
    assert_eq!((n(&apart), n(&inside)), (Some(12), Some(12)), "`other` is not scored");
    assert_eq!(apart, one, "in another article, `other` changes nothing");
    assert_ne!(inside, one, "`other` is context of its article");
}

#[test]
fn jsonl_and_csv_records_of_one_source_or_group_are_one_article() {
    let env = TestEnv::new();
    let model = env.path("ctx.model");
    env.assert_ok(&["train", "--context", "0.5", "--calibrate-folds", "0", "--model", s(&model), "labels/seeds.tsv"]);
    let examples: Vec<_> =
        labelled(&["labels/seeds.tsv"]).into_iter().filter(|e| e.label != "other").take(12).collect();
    // Three articles of four paragraphs, by page URL as in the domain pool's records.
    let jsonl = |name: &str, fields: &dyn Fn(usize) -> serde_json::Value| {
        let mut t = String::new();
        for (i, e) in examples.iter().enumerate() {
            let mut r = fields(i);
            r["label"] = e.label.clone().into();
            r["text"] = e.text.clone().into();
            t.push_str(&format!("{r}\n"));
        }
        env.write(name, t)
    };
    let page = |i: usize| format!("https://example.org/article-{}", i / 4);
    let eval = |p: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["eval", "--json", "--model", s(&model)];
        args.extend_from_slice(extra);
        args.push(s(p));
        env.assert_ok(&args)
    };
    let by_source = eval(&jsonl("source.jsonl", &|i| serde_json::json!({ "id": i, "source": page(i) })), &[]);
    let by_flag =
        eval(&jsonl("url.jsonl", &|i| serde_json::json!({ "id": i, "url": page(i) })), &["--group-field", "url"]);
    let by_group =
        eval(&jsonl("group.jsonl", &|i| serde_json::json!({ "group": page(i), "source": "one outlet" })), &[]);
    let alone = eval(&jsonl("alone.jsonl", &|i| serde_json::json!({ "id": i, "source": "" })), &[]);
    let outlet = eval(&jsonl("outlet.jsonl", &|i| serde_json::json!({ "id": i, "source": "Reuters" })), &[]);
    assert_eq!(outlet, alone, "a source that is an outlet, not a page, is no article");
    assert_eq!(by_source, by_flag, "without --group-field, `source` names the article");
    assert_eq!(by_source, by_group, "`group` comes before `source`");
    assert_ne!(by_source, alone, "blank sources are no article: each record alone");
    let mut csv = String::from("label,source,text\n");
    for (i, e) in examples.iter().enumerate() {
        csv.push_str(&format!("{},{},\"{}\"\n", e.label, page(i), e.text.replace('"', "\"\"")));
    }
    assert_eq!(eval(&env.write("pages.csv", csv), &[]), by_source, "a CSV `source` column too");
}

#[test]
fn eval_reads_the_articles_of_records_as_label_does() {
    // Article A is split by a record of B: `label` reads r0 apart from r2 and r3, and so
    // must `eval`, whose figures are meant to be those of `label` on the same file.
    let env = TestEnv::new();
    let model = env.path("ctx.model");
    env.assert_ok(&["train", "--context", "1", "--calibrate-folds", "0", "--model", s(&model), "labels/seeds.tsv"]);
    let r = [
        r#"{"id":"r0","group":"A","label":"economy","text":"The two sides also spoke about the new railway and the talks that will follow next year."}"#,
        r#"{"id":"r1","group":"B","label":"economy","text":"Trade between the two countries grew to 14 billion dollars, with exports of grain, oil and gas rising."}"#,
        r#"{"id":"r2","group":"A","label":"security","text":"Militants attacked a border post and troops returned fire; the army sent more forces to the frontier."}"#,
        r#"{"id":"r3","group":"A","label":"security","text":"Border guards and troops held joint counter-terrorism drills near the frontier with Afghanistan."}"#,
    ];
    let labels = ["diplomacy", "economy", "extremism", "security"];
    let mut confusions = Vec::new();
    for (name, order) in [("split.jsonl", [0, 1, 2, 3]), ("together.jsonl", [0, 2, 3, 1])] {
        let file = env.write(name, order.iter().map(|&i| format!("{}\n", r[i])).collect::<String>());
        let eval: serde_json::Value =
            serde_json::from_str(&env.assert_ok(&["eval", "--json", "--model", s(&model), s(&file)])).unwrap();
        let mut confusion = vec![vec![0u64; 4]; 4];
        for line in env.assert_ok(&["label", "--format", "jsonl", "--model", s(&model), s(&file)]).lines() {
            let p: serde_json::Value = serde_json::from_str(line).unwrap();
            if p["kind"] != "paragraph" {
                continue;
            }
            let id: usize = p["id"].as_str().unwrap()[1..].parse().unwrap();
            let truth: serde_json::Value = serde_json::from_str(r[id]).unwrap();
            let at = |l: &serde_json::Value| labels.iter().position(|x| l == x).unwrap();
            confusion[at(&truth["label"])][at(&p["topic"])] += 1;
        }
        assert_eq!(eval["confusion"], serde_json::json!(confusion), "{name}: eval agrees with label");
        confusions.push(confusion);
    }
    assert_ne!(confusions[0], confusions[1], "the split article is read as two");
    // label says so.
    let out = env.run(&["label", "--model", s(&model), s(&env.path("split.jsonl"))]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("split.jsonl: 1 run of records of an article came after other articles' records (the first: 'A' again at line 3)"), "{err}");
    let out = env.run(&["label", "--model", s(&model), s(&env.path("together.jsonl"))]);
    assert!(out.stderr.is_empty(), "{out:?}");
    // So do eval and cv (through the reader they share with train), with the line.
    let split = env.path("split.jsonl");
    for args in [vec!["eval", "--model", s(&model), s(&split)], vec!["cv", "--folds", "2", s(&split)]] {
        let (command, out) = (args[0], env.run(&args));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("the records of article 'A' are not consecutive (it comes back at "), "{command}: {err}");
        assert!(err.contains("split.jsonl:3)"), "{command}: {err}");
    }
    let out = env.run(&["eval", "--model", s(&model), s(&env.path("together.jsonl"))]);
    assert!(out.stderr.is_empty(), "{out:?}");
}
