//! Bad input of every kind the tool meets: no panic, a one-line error naming the file
//! (and line), a documented exit code, and for `label` every other input still labelled.
//! Each case is listed in docs/reliability.md with the test that proves it.

use crate::testenv::{root, s, TestEnv};
use std::io::Write;
use std::process::Stdio;

fn seed(name: &str) -> Vec<u8> {
    std::fs::read(root().join("seeds").join(name)).unwrap()
}

const SEED: &str = "003_32ffcfedb9749a76.txt";

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

/// Runs `label --format jsonl` on a directory; returns (exit code, stdout, stderr).
fn label_dir(env: &TestEnv, dir: &str) -> (i32, String, String) {
    let out = env.run(&["label", "--format", "jsonl", s(&env.path(dir))]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).to_string(), stderr)
}

fn articles(stdout: &str) -> usize {
    stdout.lines().filter(|l| l.contains("\"kind\":\"article\"")).count()
}

#[test]
fn undecodable_and_binary_files_are_reported_and_the_rest_labelled() {
    let env = TestEnv::new();
    env.write("in/a_good.txt", seed(SEED));
    // Latin-1 (é as 0xE9) and Windows-1252 (0x92 right quote) pages.
    env.write("in/b_latin1.txt", b"Le ministre a d\xe9clar\xe9 que la coop\xe9ration r\xe9gionale entre les pays d'Asie centrale progresse bien.\n");
    env.write(
        "in/c_cp1252.txt",
        b"Kazakhstan\x92s trade with Malaysia grew by thirty per cent last year, the minister said in Astana.\n",
    );
    env.write("in/d_nul.txt", b"text\0with\0nul bytes");
    env.write("in/e_png.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    env.write("in/f_gzip.txt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00");
    env.write("in/g_pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj");
    let (code, stdout, stderr) = label_dir(&env, "in");
    assert_eq!(code, 1, "some inputs skipped: exit 1\n{stderr}");
    for (file, why) in [
        ("d_nul.txt", "binary file (contains NUL bytes), skipped"),
        ("e_png.txt", "binary file (a PNG image), skipped"),
        ("f_gzip.txt", "binary file (gzip data), skipped"),
        ("g_pdf.txt", "binary file (a PDF document), skipped"),
    ] {
        assert!(stderr.lines().any(|l| l.contains(file) && l.ends_with(why)), "{file}: {stderr}");
    }
    for file in ["b_latin1.txt", "c_cp1252.txt"] {
        assert!(stderr.lines().any(|l| l.contains(file) && l.contains("decoded as Windows-1252")), "{file}: {stderr}");
    }
    assert!(stderr.contains("skipped 4 inputs"), "{stderr}");
    assert_eq!(articles(&stdout), 3, "the good file and both decoded pages are labelled");
    assert!(stdout.contains("Kazakhstan’s trade") && stdout.contains("déclaré"));
}

#[test]
fn empty_and_whitespace_files_are_articles_without_paragraphs() {
    let env = TestEnv::new();
    env.write("in/empty.txt", b"");
    env.write("in/blank.txt", b"  \n\n\t \r\n");
    let (code, stdout, stderr) = label_dir(&env, "in");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(articles(&stdout), 2);
    assert_eq!(stdout.lines().filter(|l| l.contains("\"paragraphs\":0")).count(), 2);
}

#[test]
fn a_200_mb_single_line_from_a_generator_is_labelled_without_panic() {
    let env = TestEnv::new();
    let mut child = env
        .cmd(&["label", "--format", "jsonl", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let sentence = b"The ministers discussed trade, investment and border security in Astana today. ";
        let block: Vec<u8> = sentence.iter().copied().cycle().take(1 << 20).collect();
        for _ in 0..200 {
            if stdin.write_all(&block).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(articles(&stdout), 1);
    assert!(stdout.contains("\"kind\":\"paragraph\""), "the line is labelled");
}

#[test]
fn a_minified_html_page_too_large_to_read_whole_keeps_every_paragraph_whole() {
    // Over 4 MiB, an article is streamed in blocks; a page with no line break (minified,
    // or saved with its images inline) has no blank line to cut at, and a cut inside a
    // <p> split its paragraph in two.
    let env = TestEnv::new();
    let words = ["border", "trade", "ministers", "pipeline", "grain", "troops", "talks", "summit", "exports"];
    let mut html = String::from("<!DOCTYPE html><html><head><title>t</title></head><body>");
    let mut paragraphs = Vec::new();
    for i in 0..30_000usize {
        let body: Vec<&str> = (0..12 + i % 20).map(|k| words[(i * 7 + k * 3) % words.len()]).collect();
        let p = format!("Paragraph {i} is about {}. It ends here, officials said.", body.join(" "));
        html.push_str(&format!("<div class=\"c\"><p>{p}</p></div>"));
        paragraphs.push(p);
    }
    html.push_str("</body></html>");
    assert!(html.len() > 4 << 20, "streamed, not read whole");
    let page = env.write("page.html", html);
    let out = env.assert_ok(&["label", "--format", "jsonl", s(&page)]);
    let got: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "paragraph")
        .map(|v| v["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got.len(), paragraphs.len());
    assert!(got == paragraphs, "every paragraph whole and in order");
}

#[test]
fn deep_directories_and_symlink_loops_are_walked_or_reported() {
    let env = TestEnv::new();
    let mut deep = String::from("in");
    for i in 0..100 {
        deep.push_str(&format!("/d{i}"));
    }
    env.write(&format!("{deep}/deep.txt"), seed(SEED));
    std::fs::create_dir_all(env.path("in/loop")).unwrap();
    std::os::unix::fs::symlink(env.path("in"), env.path("in/loop/back")).unwrap();
    std::os::unix::fs::symlink(env.path("nowhere.txt"), env.path("in/dangling.txt")).unwrap();
    let (code, stdout, stderr) = label_dir(&env, "in");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.lines().any(|l| l.contains("back") && l.contains("symbolic link loop")), "{stderr}");
    assert!(stderr.lines().any(|l| l.contains("dangling.txt") && l.contains("no such file")), "{stderr}");
    assert_eq!(articles(&stdout), 1, "the deep file is labelled");
}

#[test]
fn unreadable_files_are_reported_even_as_root() {
    // Reading /proc/self/mem from offset 0 fails with an I/O error for every user, root
    // included: a file that exists and cannot be read.
    let env = TestEnv::new();
    env.write("in/a.txt", seed(SEED));
    std::os::unix::fs::symlink("/proc/self/mem", env.path("in/b_mem.txt")).unwrap();
    let (code, stdout, stderr) = label_dir(&env, "in");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.lines().any(|l| l.contains("b_mem.txt") && l.ends_with(", skipped")), "{stderr}");
    assert_eq!(articles(&stdout), 1);
}

#[test]
fn unreadable_files_and_directories_are_reported() {
    if is_root() {
        crate::testenv::report_skip(
            "unreadable_files_and_directories_are_reported",
            "running as root, which reads any file (unreadable_files_are_reported_even_as_root covers root)",
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.write("in/a.txt", seed(SEED));
    let f = env.write("in/secret.txt", seed(SEED));
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::create_dir_all(env.path("in/closed")).unwrap();
    env.write("in/closed/x.txt", seed(SEED));
    std::fs::set_permissions(env.path("in/closed"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, stdout, stderr) = label_dir(&env, "in");
    std::fs::set_permissions(env.path("in/closed"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 1);
    assert!(stderr.lines().any(|l| l.contains("secret.txt") && l.contains("permission denied")), "{stderr}");
    assert!(stderr.lines().any(|l| l.contains("closed") && l.contains("permission denied")), "{stderr}");
    assert_eq!(articles(&stdout), 1);
}

/// `train` on one labelled file must fail with exit 2 and these fragments.
fn train_fails(env: &TestEnv, name: &str, content: impl AsRef<[u8]>, extra: &[&str], fragments: &[&str]) {
    let data = env.write(name, content);
    let model = env.path("m.model");
    let mut args = vec!["train", "--calibrate-folds", "0", "--model", s(&model), "--labels", s(&data)];
    args.extend_from_slice(extra);
    env.assert_failure_with_error(&args, 2, fragments);
    assert!(!model.exists(), "no model is written on error");
}

const HEADER: &str = "# labels: diplomacy economy security extremism other\nlabel\tarticle\tparagraph\tline\ttext\n";

#[test]
fn bad_labelled_data_names_file_and_line() {
    let env = TestEnv::new();
    let row = |label: &str, text: &str| format!("{label}\ta\t1\t1\t{text}\n");
    train_fails(
        &env,
        "unknown.tsv",
        format!("{HEADER}{}{}", row("economy", "Trade grew."), row("ecnomy", "Oil.")),
        &[],
        &["unknown.tsv:4", "unknown label 'ecnomy'"],
    );
    train_fails(&env, "empty.tsv", format!("{HEADER}{}", row("", "Trade grew.")), &[], &["empty.tsv:3", "empty label"]);
    train_fails(
        &env,
        "short.tsv",
        format!("{HEADER}economy\tTrade grew.\n"),
        &[],
        &["short.tsv:3", "2 tab-separated fields, the header has 5"],
    );
    train_fails(
        &env,
        "conflict.tsv",
        format!(
            "{HEADER}{}{}{}",
            row("economy", "Trade grew."),
            row("security", "Border closed."),
            row("diplomacy", "Trade grew.")
        ),
        &[],
        &["conflict.tsv:5", "conflict.tsv:3", "labelled 'economy' there and 'diplomacy' here"],
    );
    train_fails(
        &env,
        "single.tsv",
        format!("{HEADER}{}{}", row("economy", "Trade grew."), row("economy", "Oil rose.")),
        &[],
        &["only one label (economy)"],
    );
    train_fails(&env, "none.tsv", HEADER, &[], &["none.tsv", "no labelled examples"]);
    // A text field that holds no text says what it holds.
    train_fails(
        &env,
        "null.jsonl",
        "{\"label\":\"a\",\"text\":null}\n",
        &[],
        &["null.jsonl:1", "text field 'text' is null"],
    );
    // A directory of record files is not a folder per label: the error says to name them.
    env.write("recs/a.jsonl", "{\"label\":\"a\",\"text\":\"x\"}\n");
    env.assert_failure_with_error(
        &["train", "--model", s(&env.path("m.model")), s(&env.path("recs"))],
        2,
        &["holds no files in label folders", "name them"],
    );
    // Blank lines between CSV rows count, as in an editor (the csv crate leaves them out).
    train_fails(
        &env,
        "blank.csv",
        "label,text\n\n\neconomy,Trade grew.\n\nsecurity,\"Border\nclosed.\"\n\neconomy,Oil,rose\n",
        &[],
        &["blank.csv:9:", "3 fields where the first row has 2"],
    );
    train_fails(
        &env,
        "bad.jsonl",
        "{\"label\": \"a\", \"text\": \"x\"}\n{\"label\": \"b\", \"text\": \n",
        &[],
        &["bad.jsonl:2", "malformed JSON"],
    );
    // Lines are parsed in parallel: the error is still the first bad line's.
    train_fails(
        &env,
        "first.jsonl",
        format!(
            "{}{{\"label\": \"b\", \"text\": \n{}{{\"label\": \"a\", \"body\": \"x\"}}\n",
            "{\"label\": \"a\", \"text\": \"x\"}\n".repeat(2),
            "{\"label\": \"b\", \"text\": \"y\"}\n".repeat(300)
        ),
        &[],
        &["first.jsonl:3", "malformed JSON"],
    );
    // ...and when a later line of the same block cannot even be read as UTF-8.
    train_fails(
        &env,
        "unread.jsonl",
        [&b"{\"label\": \"a\", \"text\": \"x\"}\n{\"label\": \"b\", \"text\": \n"[..], b"\xff\n"].concat(),
        &[],
        &["unread.jsonl:2", "malformed JSON"],
    );
    train_fails(
        &env,
        "nofield.jsonl",
        "{\"label\": \"a\", \"body\": \"x\"}\n",
        &[],
        &["nofield.jsonl:1", "no text field 'text'", "--text-field"],
    );
    train_fails(
        &env,
        "quote.csv",
        "label,text\na,\"fine\"\nb,\"broken \"quote\" here\",extra\n",
        &[],
        &["quote.csv:3", "check the quoting"],
    );
    train_fails(&env, "cols.csv", "topic,body\na,x\n", &[], &["cols.csv:1", "no column 'label'"]);
    train_fails(
        &env,
        "typo.jsonl",
        "{\"split\": \"train\", \"label\": \"a\", \"text\": \"x\"}\n{\"split\": \"train\", \"label\": \"b\", \"text\": \"y\"}\n",
        &["--where", "splt=train"],
        &["no labelled examples found", "--where left out all 2 records"],
    );
    // A quote never closed would make the rest of the file one field, losing its rows.
    train_fails(
        &env,
        "open.csv",
        "label,text\na,x\nb,\"y\na,z\nb,w\n",
        &[],
        &["open.csv:3", "never closed", "double a quote"],
    );
    // ...also when a later quote closes it, and the row between would be lost.
    train_fails(
        &env,
        "later.csv",
        "label,text\na,x\nb,\"y\na,\"z\"\nb,w\n",
        &[],
        &["later.csv:3", "text follows a closing quote", "runs over 2 lines"],
    );
    // TSV has no quoting: a row with a field too many is not called a quoting error.
    train_fails(
        &env,
        "tab.tsv",
        "label\ttext\na\tx\nb\ty\tz\n",
        &["--input-format", "tsv"],
        &["tab.tsv:3", "3 fields", "a field holds a tab"],
    );
    // Windows line endings and blank lines before the header do not shift line numbers.
    train_fails(&env, "crlf.csv", "label,text\r\na,x\r\nb,y,z\r\n", &[], &["crlf.csv:3", "3 fields"]);
    train_fails(&env, "late.csv", "\r\n\r\ntopic,body\r\na,x\r\n", &[], &["late.csv:3", "no column 'label'"]);
    train_fails(
        &env,
        "bad.ft",
        "__label__a some text\nno label here\n",
        &["--input-format", "fasttext"],
        &["bad.ft:2", "__label__"],
    );
    // An empty file, or one of comments only, has no header; in TSV, `#` lines are
    // comments, as label reads them, also with CR line endings.
    train_fails(&env, "empty.tsv", "", &[], &["empty.tsv: has no header row"]);
    train_fails(&env, "empty.csv", "", &[], &["empty.csv: has no header row"]);
    train_fails(&env, "notes.tsv", "# c1\n# c2\n", &[], &["notes.tsv: has no header row"]);
    // A binary file is called one, not text in the wrong encoding; a model too.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice();
    train_fails(&env, "image.tsv", png, &[], &["image.tsv: binary file (a PNG image): labelled data is text"]);
    let model = std::fs::read(root().join("models/topics.model")).unwrap();
    train_fails(&env, "m.jsonl", model, &[], &["m.jsonl: binary file", "a model is given with --model"]);
    let commented = "# made by x\rtopic\tbody\ra\tx\r# a note\rb\ty\tz\r";
    train_fails(
        &env,
        "commented.tsv",
        commented,
        &["--label-field", "topic", "--text-field", "body"],
        &["commented.tsv:5", "3 fields"],
    );
}

#[test]
fn damaged_models_are_refused_with_the_reason() {
    let env = TestEnv::new();
    let good = std::fs::read(root().join("models/topics.model")).unwrap();
    for tenth in 0..10 {
        let cut = good.len() * tenth / 10;
        let p = env.write(&format!("cut{tenth}.model"), &good[..cut]);
        let reason = match cut {
            0 => "an empty file, not a model",
            1..8 => "not a classify model",
            _ => "truncated",
        };
        env.assert_failure_with_error(
            &["label", "--model", s(&p), "seeds/"],
            2,
            &[&format!("cut{tenth}.model"), reason],
        );
    }
    for pos in [30, good.len() / 3, good.len() / 2, good.len() - 1] {
        let mut flipped = good.clone();
        flipped[pos] ^= 0x01;
        let p = env.write("flipped.model", &flipped);
        env.assert_failure_with_error(&["label", "--model", s(&p), "seeds/"], 2, &["flipped.model", "checksum"]);
    }
    let mut future = good.clone();
    future[8..12].copy_from_slice(&99u32.to_le_bytes());
    let p = env.write("future.model", &future);
    env.assert_failure_with_error(&["label", "--model", s(&p), "seeds/"], 2, &["version 99", "upgrade classify"]);
    // A 1 KB file claiming a gigabyte of payload fails at once, allocating nothing.
    let mut liar = good[..1024].to_vec();
    liar[12..20].copy_from_slice(&(1u64 << 30).to_le_bytes());
    let p = env.write("liar.model", &liar);
    env.assert_failure_with_error(
        &["label", "--model", s(&p), "seeds/"],
        2,
        &["liar.model", "declares 1073741824 bytes"],
    );
    let p = env.write("text.model", "just some text, not a model at all");
    let e = env.assert_failure_with_error(
        &["label", "--model", s(&p), "seeds/"],
        2,
        &["not a classify model", "check the path"],
    );
    assert!(!e.contains("retrain"), "a file that is no model is not to be trained over: {e}");
    // Cut inside the header, after the magic bytes.
    let p = env.write("header.model", &good[..10]);
    env.assert_failure_with_error(&["label", "--model", s(&p), "seeds/"], 2, &["truncated: 10 bytes", "retrain"]);
}

#[test]
fn eval_data_with_another_label_set_is_refused() {
    let env = TestEnv::new();
    let data =
        env.write("sports.tsv", "label\ttext\nfootball\tThe match ended two all after extra time in the final.\n");
    env.assert_failure_with_error(
        &["eval", s(&data)],
        2,
        &["labels the model does not know: football", "the model knows diplomacy"],
    );
}

#[test]
fn settings_that_leave_no_term_are_refused_by_train_and_passed_over_by_tune() {
    // Every word occurs in one paragraph only: --min-df 2 keeps none of them. Such a
    // model used to be written, and then refused by every command that loaded it.
    let env = TestEnv::new();
    let rows: String = (0..40)
        .map(|i| {
            format!(
                "{}\t{}\n",
                if i % 2 == 0 { "a" } else { "b" },
                (0..12).map(|j| format!("w{i}x{j}")).collect::<Vec<_>>().join(" ")
            )
        })
        .collect();
    let data = env.write("unique.tsv", format!("label\ttext\n{rows}"));
    train_fails(
        &env,
        "unique.tsv",
        format!("label\ttext\n{rows}"),
        &["--min-df", "2"],
        &["no term is left", "--min-df"],
    );
    // tune tries --min-df 2 among its refinements: that candidate is reported and
    // loses, and the search goes on.
    let model = env.path("tuned.model");
    let out = env.assert_ok(&["tune", "--budget", "20s", "--calibrate-folds", "0", "--model", s(&model), s(&data)]);
    assert!(out.lines().any(|l| l.contains("--min-df 2") && l.contains("no term is left")), "{out}");
    assert!(out.contains("best: "), "{out}");
    assert!(model.exists());
}

#[test]
fn extreme_smoothing_and_weight_normalisation_give_models_that_load_or_an_error() {
    let env = TestEnv::new();
    let tiny = "label\ttext\neconomy\ttrade grew\neconomy\ttrade fell\nsecurity\ttroops moved\nsecurity\ttroops left\n";
    // A term in every document of a class, with a tiny alpha: ln(1 - p) used to be -inf,
    // and the model was written but never loaded.
    let data = env.write("tiny.tsv", tiny);
    let model = env.path("b.model");
    let args = ["--calibrate-folds", "0", "--variant", "bernoulli", "--model", s(&model), s(&data)];
    env.assert_ok(&[&["train", "--alpha", "1e-20"], &args[..]].concat());
    let labelled = env.run_with_stdin(&["label", "--model", s(&model), "--format", "jsonl", "-"], tiny.as_bytes());
    assert!(labelled.status.success(), "{}", String::from_utf8_lossy(&labelled.stderr));
    train_fails(
        &env,
        "tiny.tsv",
        tiny,
        &["--variant", "bernoulli", "--alpha", "1e308"],
        &["not all finite", "--alpha"],
    );
    // Weight normalisation over one term divides by zero.
    let one_term = ["--variant", "complement", "--weight-norm", "--max-features", "1"];
    train_fails(&env, "tiny.tsv", tiny, &one_term, &["--weight-norm needs at least two terms"]);
    // Rennie's normalisation leaves scores about 1e-4 apart; they are rescaled, so the
    // calibrated probabilities are not flat: the temperature used to stop at its bound
    // of 0.01 with every paragraph near 1/4.
    let wn = env.path("wn.model");
    let out =
        env.assert_ok(&["train", "--variant", "complement", "--weight-norm", "--model", s(&wn), "labels/seeds.tsv"]);
    assert!(!out.contains("temperature: 0.010"), "{out}");
    let labelled = env.assert_ok(&["label", "--model", s(&wn), "--format", "jsonl", "seeds/"]);
    let sure = labelled.lines().filter(|l| l.contains("\"kind\":\"paragraph\"")).filter(|l| {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        v["probabilities"].as_object().unwrap().values().any(|p| p.as_f64().unwrap() > 0.8)
    });
    // Measured: 94 of the 108 seed paragraphs, after rescaling; none before.
    assert!(sure.count() >= 85, "{labelled}");
}

#[test]
fn labels_that_read_as_others_are_warned_of_and_a_full_stdout_is_named() {
    let env = TestEnv::new();
    let rows = "label\ttext\nSecurity\ttroops moved to the border today\nsecurity\tguards held drills at the post\n\
                uncertain\tnobody knows what happens next here\neconomy\ttrade grew by a fifth this year\n";
    let data = env.write("case.tsv", rows);
    let model = env.path("c.model");
    let out = env.run(&["train", "--calibrate-folds", "0", "--model", s(&model), "--input-format", "tsv", s(&data)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("a label named 'uncertain', which label --min-confidence also writes"), "{stderr}");
    assert!(stderr.contains("labels 'Security' and 'security', which differ only in case"), "{stderr}");
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = env.cmd(&["eval", "--model", s(&model), s(&data)]).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("cannot write to standard output: No space left on device"), "{stderr}");
    }
}

#[test]
fn files_of_records_in_a_directory_of_label_files_are_named_as_not_read() {
    let env = TestEnv::new();
    env.write("d/seeds.tsv", std::fs::read(root().join("labels/seeds.tsv")).unwrap());
    env.write("d/more.jsonl", "{\"label\": \"economy\", \"text\": \"Trade grew.\"}\n");
    env.write("d/notes.txt", "not data");
    let model = env.path("m.model");
    let out = env.run(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&env.path("d"))]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let note = stderr.lines().find(|l| l.contains("not read:")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(note.contains("more.jsonl") && !note.contains("notes.txt"), "{note}");
}

#[test]
fn labelled_data_named_twice_is_read_once() {
    let env = TestEnv::new();
    let model = env.path("m.model");
    let train = |paths: &[&str]| {
        let mut args = vec!["train", "--calibrate-folds", "0", "--model", s(&model)];
        args.extend_from_slice(paths);
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let counts = stdout.lines().find(|l| l.starts_with("paragraphs:")).unwrap().to_string();
        (counts, std::fs::read(&model).unwrap(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (once, bytes, _) = train(&["labels/seeds.tsv"]);
    let (twice, bytes_twice, stderr) = train(&["labels/seeds.tsv", "./labels/seeds.tsv"]);
    assert_eq!((once, bytes), (twice, bytes_twice));
    assert!(stderr.contains("given more than once, read once: ./labels/seeds.tsv"), "{stderr}");
}

#[test]
fn an_output_that_is_also_an_input_is_refused_and_the_input_kept() {
    let env = TestEnv::new();
    let data = env.write("data.tsv", "label\ttext\na\tTrade and tariffs grew.\nb\tMilitants attacked a post.\n");
    let article = env.write("page.txt", std::fs::read("seeds/003_32ffcfedb9749a76.txt").unwrap());
    let before = (std::fs::read(&data).unwrap(), std::fs::read(&article).unwrap());
    // The same file, also by another spelling of its path.
    let other_spelling = format!("{}/./data.tsv", s(env.dir.path()));
    for model in [s(&data), other_spelling.as_str()] {
        env.assert_failure_with_error(
            &["train", "--calibrate-folds", "0", "--model", model, s(&data)],
            2,
            &["is also an input"],
        );
    }
    env.assert_failure_with_error(
        &["train", "--calibrate-folds", "0", "--model", s(&article), s(&data), "--unlabelled", s(&article)],
        2,
        &["is also an input", "model"],
    );
    env.assert_failure_with_error(&["tune", "--budget", "5s", "--model", s(&data), s(&data)], 2, &["is also an input"]);
    env.assert_failure_with_error(&["label", "--output", s(&article), s(&article)], 2, &["is also an input", "output"]);
    assert_eq!((std::fs::read(&data).unwrap(), std::fs::read(&article).unwrap()), before);
    // A file found by walking a directory is an input too. A new output inside it is
    // written, and neither its temporary file nor one left by a killed run is labelled.
    let dir = env.path("d");
    let inside = env.write("d/page.txt", &before.1);
    env.write("d/.classify-left.tmp", &before.1);
    env.assert_failure_with_error(&["label", "--output", s(&inside), s(&dir)], 2, &["is inside", "input directory"]);
    assert_eq!(std::fs::read(&inside).unwrap(), before.1);
    let new = dir.join("out.jsonl");
    env.assert_ok(&["label", "--format", "jsonl", "--output", s(&new), s(&dir)]);
    let written = std::fs::read_to_string(&new).unwrap();
    let articles: Vec<&str> = written.lines().filter(|l| l.contains("\"kind\":\"article\"")).collect();
    assert_eq!(articles.len(), 1, "page.txt only: {articles:?}");
    // A model is never written over a file that is no model (a labels file in the
    // labels directory, notes), nor label's output over the model it uses.
    let labels = env.write("l/a.tsv", std::fs::read(&data).unwrap());
    env.write("l/b.tsv", std::fs::read(&data).unwrap());
    let l = env.path("l");
    let train = ["train", "--calibrate-folds", "0", "--model", s(&labels), s(&l)];
    env.assert_failure_with_error(&train, 2, &["l/a.tsv: is not a classify model", "remove the file first"]);
    let tune = ["tune", "--budget", "1s", "--model", s(&labels), s(&l)];
    env.assert_failure_with_error(&tune, 2, &["is not a classify model"]);
    assert_eq!(std::fs::read(&labels).unwrap(), before.0);
    let model = env.path("m.model");
    env.assert_ok(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&data)]);
    env.assert_ok(&["train", "--calibrate-folds", "0", "--model", s(&model), s(&data)]);
    let trained = std::fs::read(&model).unwrap();
    let label = ["label", "--model", s(&model), "--output", s(&model), s(&article)];
    env.assert_failure_with_error(&label, 2, &["m.model: is also an input"]);
    assert_eq!(std::fs::read(&model).unwrap(), trained);
}

#[cfg(unix)]
#[test]
fn outputs_are_written_through_links_and_into_pipes() {
    let env = TestEnv::new();
    let article = env.write("page.txt", std::fs::read("seeds/003_32ffcfedb9749a76.txt").unwrap());
    let expected = env.assert_ok(&["label", "--format", "jsonl", s(&article)]);
    // A link stays a link; the file it names gets the output.
    let target = env.write("store/out.jsonl", "old\n");
    let link = env.path("out.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    env.assert_ok(&["label", "--output", s(&link), s(&article)]);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), expected);
    // A FIFO stays a FIFO, and its reader gets the output.
    let fifo = env.path("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    env.assert_ok(&["label", "--format", "jsonl", "--output", s(&fifo), s(&article)]);
    assert_eq!(reader.join().unwrap(), expected);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // A link to the process's own standard output (as /dev/stdout is) writes there.
    let stdout = env.path("stdout-link");
    std::os::unix::fs::symlink("/proc/self/fd/1", &stdout).unwrap();
    assert_eq!(env.assert_ok(&["label", "--format", "jsonl", "--output", s(&stdout), s(&article)]), expected);
    assert!(std::fs::symlink_metadata(&stdout).unwrap().file_type().is_symlink());
}

#[test]
fn bad_arguments_get_one_line_errors() {
    let env = TestEnv::new();
    env.assert_failure_with_error(&["train", "--alpha", "-1", "--model", s(&env.path("m"))], 2, &["alpha", "above 0"]);
    // Checked before any data is read (labels/ needs ../shared, which may be missing).
    env.assert_failure_with_error(&["cv", "--folds", "1"], 2, &["--folds must be at least 2"]);
    env.assert_failure_with_error(&["tune", "--folds", "1"], 2, &["--folds must be at least 2"]);
    // Argument errors name what is wrong, on one line.
    env.assert_failure_with_error(&["eval"], 2, &["required arguments were not provided: <LABELLED>"]);
    env.assert_failure_with_error(&["suggest"], 2, &["not provided: --unlabelled <PATH>"]);
    env.assert_failure_with_error(
        &["train", "--alpah", "3"],
        2,
        &["'--alpah'", "tip: a similar argument exists: '--alpha'"],
    );
    env.assert_failure_with_error(&["label", "--min-confidence", "-0.1", "seeds/"], 2, &["between 0 and 1 (got -0.1)"]);
    env.assert_failure_with_error(
        &["label", "--explain", "--format", "csv", "seeds/"],
        2,
        &["--explain", "table and jsonl"],
    );
    // Settings the variant ignores are said to change nothing.
    let m = env.path("m.model");
    let train = env.run(&["train", "--weight-norm", "--calibrate-folds", "0", "--model", s(&m), "labels/seeds.tsv"]);
    assert_eq!(train.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&train.stderr).contains("--weight-norm applies to --variant complement only"));
    // Outside the repository there is no labels/: a labelled file put after --unlabelled
    // (which takes every path after it) gets an error that says so.
    let seeds = root().join("labels/seeds.tsv");
    let out = env
        .cmd(&["train", "--model", s(&m), "--unlabelled", "seeds/", s(&seeds)])
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--unlabelled took every path after it"));
    let alone = env.run(&[]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("Usage: classify"), "the help, on stderr");
    env.assert_failure_with_error(&["train", "--calibrate-folds", "1"], 2, &["--calibrate-folds must be 0"]);
    env.assert_failure_with_error(&["train", "--context", "1.5"], 2, &["--context must be a weight from 0"]);
    env.assert_failure_with_error(&["cv", "--context", "-0.1"], 2, &["--context must be a weight from 0"]);
    env.assert_failure_with_error(&["label", "--threads", "0", "seeds/"], 2, &["--threads", "at least 1 thread"]);
    env.assert_failure_with_error(&["eval", "-j", "100000", "seeds/"], 2, &["--threads", "at most 1024 threads"]);
    env.assert_failure_with_error(&["suggest", "--unlabelled", "seeds/", "-n", "0"], 2, &["--count", "at least 1"]);
    env.assert_failure_with_error(&["explain", "-n", "0"], 2, &["--top", "at least 1"]);
    env.assert_failure_with_error(&["label", "--model", "seeds/", "seeds/"], 2, &["seeds/", "directory"]);
    env.assert_failure_with_error(
        &["train", "--calibrate-folds", "0", "--model", "seeds/", "--labels", "labels/seeds.tsv"],
        2,
        &["seeds/", "is a directory"],
    );
    env.assert_failure_with_error(
        &["label", "--model", s(&env.path("none.model")), "seeds/"],
        2,
        &["none.model", "classify train"],
    );
    let missing = env.path("no/such/dir/out.jsonl");
    env.assert_failure_with_error(&["label", "--output", s(&missing), "seeds/"], 2, &["does not exist", "mkdir -p"]);
    env.assert_failure_with_error(&["label", "--min-confidence", "1.5", "seeds/"], 2, &["--min-confidence"]);
}

/// Labelled data as JSONL: `(label, group, text)` per line.
fn jsonl(rows: &[(&str, &str, &str)]) -> String {
    rows.iter().map(|(l, g, t)| format!("{}\n", serde_json::json!({ "label": l, "group": g, "text": t }))).collect()
}

#[test]
fn settings_the_data_cannot_train_with_are_refused_before_any_work() {
    let env = TestEnv::new();
    let texts = [
        ("economy", "Trade and tariffs on grain exports grew this year."),
        ("security", "Border guards and troops held joint drills near the frontier."),
        ("diplomacy", "The ministers met for talks on a new treaty and a state visit."),
    ];
    let rows: Vec<(&str, String, &str)> =
        (0..12).map(|i| (texts[i % 3].0, format!("a{}", i % 4), texts[i % 3].1)).collect();
    let rows: Vec<(&str, &str, &str)> = rows.iter().map(|(l, g, t)| (*l, g.as_str(), *t)).collect();
    let data = env.write("data.jsonl", jsonl(&rows));
    let m = env.path("m.model");
    // --priors naming a label the data lacks, or one twice; one label only: named for
    // the data, not for a fold.
    let typo = "--priors=economy=1,security=1,diplomacy=1,secruity=5";
    env.assert_failure_with_error(&["cv", typo, s(&data)], 2, &["'secruity'", "data.jsonl", "its labels"]);
    env.assert_failure_with_error(&["cv", "--priors=economy=1,economy=2", s(&data)], 2, &["'economy' twice"]);
    env.assert_failure_with_error(&["cv", "--priors=economy=0,security=1,diplomacy=1", s(&data)], 2, &["economy=0,"]);
    // Priors near the largest number are normalised without overflow, and the settings
    // line gives them back short.
    let huge = "--priors=economy=1e308,security=1e308,diplomacy=1e-300";
    env.assert_ok(&["train", huge, "--calibrate-folds", "0", "--model", s(&m), s(&data)]);
    let settings = env.assert_ok(&["explain", "--model", s(&m)]);
    assert!(settings.contains("--priors economy=1e308,security=1e308,diplomacy=1e-300 "), "{settings}");
    let one = env.write("one.jsonl", jsonl(&[("economy", "a", texts[0].1), ("economy", "b", texts[0].1)]));
    let err = env.assert_failure_with_error(&["cv", "--folds", "2", s(&one)], 2, &["one.jsonl", "only one label"]);
    assert!(!err.contains("fold 1"), "{err}");
    // A label all in one article leaves a fold's training part with one label: said so.
    let rare: Vec<(&str, &str, &str)> =
        (0..6).map(|i| (if i == 5 { "security" } else { "economy" }, ["a", "b", "c"][i / 2], texts[i % 3].1)).collect();
    let rare = env.write("rare.jsonl", jsonl(&rare));
    let fragments = ["of 2 cannot train", "every paragraph labelled security"];
    env.assert_failure_with_error(&["cv", "--folds", "2", s(&rare)], 2, &fragments);
    env.assert_failure_with_error(&["train", "--calibrate-folds", "2", "--model", s(&m), s(&rare)], 2, &fragments);
    // tune refuses what would only fail after the search: calibration folds the data
    // cannot fill, and a model in a missing directory. No row of the table is printed.
    for (args, fragments) in [
        (
            vec!["--calibrate-folds", "5", "--model", s(&m)],
            vec!["--calibrate-folds 5 needs at least 5 articles", "has 4"],
        ),
        (vec!["--model", s(&env.path("no/dir/t.model"))], vec!["does not exist"]),
    ] {
        let mut all = vec!["tune", "--budget", "1h", "--folds", "2"];
        all.extend(args);
        all.push(s(&data));
        env.assert_failure_with_error(&all, 2, &fragments);
        let out = env.run(&all);
        assert!(String::from_utf8_lossy(&out.stdout).trim().is_empty(), "nothing tried");
    }
    // A budget no clock can hold is an error, not a panic.
    env.assert_failure_with_error(&["tune", "--budget", "99999999999999999999s", s(&data)], 2, &["--budget"]);
    // EM settings need --unlabelled.
    env.assert_failure_with_error(&["train", "--em-iterations", "0", "--model", s(&m), s(&data)], 2, &["--unlabelled"]);
    // Complement NB says that it leaves priors out.
    let out = env.run(&["cv", "--folds", "2", "--variant", "complement", "--priors", "uniform", s(&data)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--priors changes nothing"));
    // tune's best line and explain's settings line give --calibrate-folds when it is not
    // the default, so that train rebuilds the same model from them.
    let tuned = env.path("t.model");
    let out = env.assert_ok(&[
        "tune",
        "--budget",
        "2s",
        "--folds",
        "2",
        "--calibrate-folds",
        "2",
        "--model",
        s(&tuned),
        s(&data),
    ]);
    let best = out.lines().find_map(|l| l.strip_prefix("best: ")).unwrap();
    let flags = best.split(": ").nth(1).unwrap();
    assert!(flags.ends_with("--calibrate-folds 2"), "{flags}");
    let explained = env.assert_ok(&["explain", "--model", s(&tuned)]);
    assert!(explained.contains(&format!("settings:    {flags}\n")), "{explained}");
    let rebuilt = env.path("r.model");
    let mut train = vec!["train", "--model", s(&rebuilt), s(&data)];
    train.extend(flags.split(' ').filter(|f| *f != "(defaults)"));
    env.assert_ok(&train);
    assert_eq!(std::fs::read(&tuned).unwrap(), std::fs::read(&rebuilt).unwrap());
}

#[test]
fn ignored_labels_leave_expanded_records_and_unlabelled_ndjson_is_read() {
    let env = TestEnv::new();
    let mut lines = String::new();
    for i in 0..6 {
        let (labels, text) = match i % 3 {
            0 => (serde_json::json!(["economy", "other"]), "Trade and tariffs on grain exports grew this year."),
            1 => (serde_json::json!(["other", "security"]), "Border guards held joint drills near the frontier."),
            _ => (serde_json::json!("diplomacy"), "The ministers met for talks on a new treaty."),
        };
        lines.push_str(&format!("{}\n", serde_json::json!({ "label": labels, "text": text })));
    }
    let data = env.write("multi.jsonl", lines);
    let m = env.path("m.model");
    for how in ["expand", "first"] {
        let out = env.run(&["train", "--calibrate-folds", "0", "--multi-label", how, "--model", s(&m), s(&data)]);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{stderr}");
        assert!(!stdout.contains("other"), "--multi-label {how}: no `other` class: {stdout}");
        assert!(stderr.contains("labelled 'other'"), "{stderr}");
    }
    // `.ndjson` unlabelled text is read as records, as `label` reads it (as an article,
    // its one short line would be no paragraph).
    let unlabelled = env.write("u.ndjson", "{\"text\": \"Grain exports rose.\"}\n");
    let out = env.assert_ok(&[
        "train",
        "--calibrate-folds",
        "0",
        "--multi-label",
        "expand",
        "--model",
        s(&m),
        s(&data),
        "--unlabelled",
        s(&unlabelled),
    ]);
    assert!(out.contains("unlabelled:  1 unlabelled paragraphs"), "{out}");
    // Records found in a named folder are records too, and a file reached twice (named,
    // and in the folder) is read once.
    let two = "{\"text\": \"Grain exports rose by a fifth this year, the ministry of agriculture said on Monday.\"}\n\
               {\"text\": \"Border guards held joint drills near the frontier with their neighbours this week.\"}\n";
    let unlabelled = env.write("u/u.ndjson", two);
    let dir = env.path("u");
    let (file, dir) = (s(&unlabelled), s(&dir));
    let train = ["train", "--calibrate-folds", "0", "--multi-label", "expand", "--model", s(&m), s(&data)];
    for unlabelled in [&[dir][..], &[dir, file]] {
        let out = env.assert_ok(&[&train[..], &["--unlabelled"], unlabelled].concat());
        assert!(out.contains("unlabelled:  2 unlabelled paragraphs"), "{unlabelled:?}: {out}");
    }
}

#[test]
fn label_folders_pass_over_hidden_files_and_refuse_binary_ones() {
    let env = TestEnv::new();
    env.write("f/economy/a.txt", "Trade and tariffs on grain exports grew this year.");
    env.write("f/security/b.txt", "Border guards held joint drills near the frontier.");
    env.write("f/.DS_Store", b"\x00\x01\x02");
    env.write("f/economy/.DS_Store", b"\x00\x01\x02");
    env.write("f/.git/objects/x", b"\x00\x01\x02");
    let m = env.path("m.model");
    let out = env.assert_ok(&["train", "--calibrate-folds", "0", "--model", s(&m), s(&env.path("f"))]);
    assert!(out.contains("paragraphs:  2 (economy 1, security 1)"), "{out}");
    env.write("f/economy/z.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    let err = env.assert_failure_with_error(
        &["train", "--calibrate-folds", "0", "--model", s(&m), s(&env.path("f"))],
        2,
        &["z.png: binary file (a PNG image): a label folder holds text files only"],
    );
    assert!(!err.contains("skipped"), "nothing is skipped: training stops: {err}");
}

#[test]
fn utf16_files_and_pages_in_a_declared_charset_are_decoded() {
    let env = TestEnv::new();
    let text = "Kazakhstan and Uzbekistan signed an agreement on water sharing and trade in Tashkent today.\r\n";
    let utf16: Vec<u8> = [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let small = env.write("notepad.txt", &utf16);
    let out = env.assert_ok(&["label", "--format", "jsonl", s(&small)]);
    assert!(out.contains(&format!("\"text\":\"{}\"", text.trim())), "{out}");
    // Over 4 MiB, UTF-16 is refused with the advice to convert it (not called binary).
    let big: Vec<u8> = utf16.iter().copied().chain(utf16[2..].iter().copied().cycle().take(5 << 20)).collect();
    let big = env.write("big16.txt", big);
    let out = env.run(&["label", s(&big)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("iconv -f UTF-16 -t UTF-8"));
    // A page in Windows-1251 that says so, read whole and streamed: "Министры" in cp1251.
    let word: &[u8] = b"\xcc\xe8\xed\xe8\xf1\xf2\xf0\xfb";
    let paragraph =
        [word, b" of Kazakhstan and Russia met in Astana for talks on trade and security today.".as_slice()].concat();
    let page = |n: usize| -> Vec<u8> {
        let mut p = b"<html><head><meta charset=\"windows-1251\"></head><body>\n".to_vec();
        for _ in 0..n {
            p.extend_from_slice(b"<p>");
            p.extend_from_slice(&paragraph);
            p.extend_from_slice(b"</p>\n");
        }
        p
    };
    // The same page behind 4.5 MB of ASCII (an inline image, say): the first 4 MiB that
    // decide how a stream is read are valid UTF-8, but say nothing against the charset.
    let mut behind = page(0);
    behind.extend_from_slice(b"<img src=\"data:image/png;base64,");
    behind.extend(std::iter::repeat_n(b'A', 4_500_000));
    behind.extend_from_slice(b"\">\n");
    behind.extend_from_slice(&page(3)[page(0).len()..]);
    let file = env.write("behind.html", behind);
    let out = env.assert_ok(&["label", "--format", "jsonl", s(&file)]);
    assert_eq!(out.matches("Министры").count(), 3, "{out}");
    for (name, n) in [("small.html", 2), ("large.html", 60_000)] {
        let file = env.write(name, page(n));
        let out = env.run(&["label", "--format", "jsonl", s(&file)]);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains("decoded as windows-1251, the charset the page declares"), "{name}: {stderr}");
        let first = stdout.lines().next().unwrap();
        assert!(first.contains("\"text\":\"Министры of Kazakhstan"), "{name}: {first}");
        assert_eq!(stdout.matches("Министры").count(), n, "{name}");
    }
}

#[test]
fn walks_pass_over_hidden_files_and_skips_are_warnings() {
    let env = TestEnv::new();
    let page = std::fs::read("seeds/003_32ffcfedb9749a76.txt").unwrap();
    env.write("d/a.txt", &page);
    env.write("d/.hidden.txt", &page);
    env.write("d/.git/objects/1f/abc", b"\x78\x01\x00\x00");
    env.write("d/.DS_Store", b"\x00\x00\x00\x01Bud1");
    let out = env.run(&["label", "--format", "jsonl", s(&env.path("d"))]);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(articles(&stdout), 1, "d/a.txt only: {stdout}");
    // A file reached twice (named, and found in a named folder or through a link to it)
    // is read once, where it is first reached.
    #[cfg(unix)]
    std::os::unix::fs::symlink(env.path("d/a.txt"), env.path("d/b-link.txt")).unwrap();
    let out = env.assert_ok(&["label", "--format", "jsonl", s(&env.path("d/a.txt")), s(&env.path("d"))]);
    assert_eq!(articles(&out), 1, "{out}");
    assert!(out.lines().all(|l| l.contains(&format!("\"article\":\"{}\"", s(&env.path("d/a.txt"))))), "{out}");
    // A hidden file named on the command line is read.
    let hidden = env.path("d/.hidden.txt");
    assert_eq!(articles(&env.assert_ok(&["label", "--format", "jsonl", s(&hidden)])), 1);
    // A skipped input is a warning (exit 1), in the words every command uses.
    let missing = env.path("missing.txt");
    let out = env.run(&["label", s(&missing), s(&hidden)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("classify: warning: {}: no such file or directory", s(&missing))), "{stderr}");
    let out = env.run(&["eval", s(&env.path("missing.jsonl"))]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.jsonl: no such file or directory\n"));
}

#[test]
fn header_rows_read_as_data_empty_texts_and_unknown_labels_are_named_by_line() {
    let env = TestEnv::new();
    let m = env.path("m.model");
    let oil = "Oil and gas exports rose by ten percent, the ministry said.";
    let troops = "Troops held joint drills near the border with Afghanistan this week.";
    // Two CSV files joined: the second header is no example, and no record to label.
    let joined = env
        .write("joined.csv", format!("id,label,text\n1,economy,\"{oil}\"\nid,label,text\n2,security,\"{troops}\"\n"));
    env.assert_failure_with_error(
        &["train", "--model", s(&m), s(&joined)],
        2,
        &["joined.csv:3: repeats the header row"],
    );
    let out = env.run(&["label", "--format", "csv", s(&joined)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("joined.csv:3: repeats the header row"));
    // Column numbers on a file with a header: its first row would be a topic `label`.
    let headed = env.write("headed.csv", format!("id,label,text\n1,economy,\"{oil}\"\n2,security,\"{troops}\"\n"));
    let numbered = ["train", "--text-field", "3", "--label-field", "2", "--calibrate-folds", "0", "--model", s(&m)];
    env.assert_failure_with_error(
        &[&numbered[..], &[s(&headed)]].concat(),
        2,
        &["headed.csv:1: reads as a header row"],
    );
    // Empty texts and one text with two labels: trained on, and warned of with where
    // the first is.
    let rows = format!(
        "id,label,text\n1,economy,\"{oil}\"\n2,security,\n3,diplomacy,\"   \"\n4,security,\"{troops}\"\n5,economy,\"{troops}\"\n"
    );
    let mixed = env.write("mixed.csv", rows);
    let out = env.run(&["train", "--calibrate-folds", "0", "--model", s(&m), s(&mixed)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("2 examples have no text (the first: "), "{err}");
    assert!(err.contains("mixed.csv:3)"), "{err}");
    assert!(err.contains("1 text occurs again with a different label"), "{err}");
    assert!(err.contains("mixed.csv:5 (security) and ") && err.contains("mixed.csv:6 (economy))"), "{err}");
    // A label the model does not know is named with where it first occurs.
    let typo = env.write("typo.csv", format!("id,label,text\n1,economy,\"{oil}\"\n2,secruity,\"{troops}\"\n"));
    env.assert_failure_with_error(&["eval", "--model", s(&m), s(&typo)], 2, &["secruity (", "typo.csv:3)"]);
}

#[test]
fn an_empty_model_a_missing_default_input_and_nothing_left_to_suggest_are_said_plainly() {
    let env = TestEnv::new();
    let empty = env.write("empty.model", "");
    env.assert_failure_with_error(
        &["explain", "--model", s(&empty)],
        2,
        &["empty.model", "an empty file, not a model"],
    );
    // Outside the repository, train names the missing labels/ first, not models/.
    for args in [vec!["train"], vec!["tune", "--budget", "1s"]] {
        let out = env.cmd(&args).current_dir(env.dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("error: labels/: no such file or directory"), "{err}");
    }
    env.assert_failure_with_error(
        &["suggest", "--unlabelled", "labels/seeds.tsv", "--exclude", "labels/seeds.tsv"],
        2,
        &["nothing is left to suggest"],
    );
}

#[test]
fn label_folders_train_on_a_web_pages_text_not_its_tags() {
    let env = TestEnv::new();
    for i in 0..3 {
        env.write(
            &format!("fold/sport/s{i}.html"),
            "<html><body><nav>Home | Sport</nav><div class=\"story\"><p>The striker scored a late goal and the team won the cup final in front of a full stadium.</p></div></body></html>",
        );
        env.write(
            &format!("fold/tech/t{i}.txt"),
            "The new software update brings faster apps, a better camera and longer battery life to phones.\n",
        );
    }
    let m = env.path("f.model");
    env.assert_ok(&["train", "--calibrate-folds", "0", "--model", s(&m), s(&env.path("fold"))]);
    let explained = env.assert_ok(&["explain", "--model", s(&m), "-n", "40"]);
    let sport = explained.lines().find(|l| l.starts_with("sport:")).unwrap();
    assert!(sport.contains("stadium"), "{sport}");
    for tag in ["html", "bodi", "div", "class", "stori", "nav", "home"] {
        assert!(!sport.contains(&format!(" {tag} (")), "{tag} in {sport}");
    }
}

#[test]
fn records_read_as_an_article_are_warned_of_with_the_flag_that_reads_them() {
    let env = TestEnv::new();
    let text = "Oil and gas exports rose by ten percent, the ministry said on Monday.";
    let jsonl = format!("{{\"id\": \"a\", \"text\": \"{text}\"}}\n{{\"id\": \"b\", \"text\": \"{text}\"}}\n");
    let out = env.run_with_stdin(&["label", "-"], jsonl.as_bytes());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("-: reads as JSON lines"), "{out:?}");
    let out = env.run_with_stdin(&["label", "--input-format", "jsonl", "-"], jsonl.as_bytes());
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
    let ft = env.write("ft.txt", format!("__label__economy {text}\n"));
    let out = env.run(&["label", s(&ft)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--input-format fasttext"), "{out:?}");
    // An article that merely starts with a brace is no record.
    let brace = env.write("brace.txt", format!("{{Editor's note}} {text}\n"));
    assert!(env.run(&["label", s(&brace)]).stderr.is_empty());
}
