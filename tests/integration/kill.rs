//! Interrupted runs never cost data: a model or output file killed mid-write is either
//! the previous file or the complete new one, and Ctrl-C while labelling to stdout
//! leaves only complete records.

use crate::testenv::{root, s, TestEnv};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Delays spread over `span`, from a fixed-seed generator (the test is repeatable).
fn delays(n: usize, span: Duration) -> Vec<Duration> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            span.mul_f64((x % 10_000) as f64 / 10_000.0)
        })
        .collect()
}

/// A labelled corpus big enough that training takes a noticeable time.
fn big_labels(env: &TestEnv) -> std::path::PathBuf {
    let seeds = std::fs::read_to_string(root().join("labels/seeds.tsv")).unwrap();
    let rows: Vec<&str> = seeds.lines().filter(|l| !l.starts_with('#')).skip(1).collect();
    let mut out = String::from("label\tgroup\ttext\n");
    for copy in 0..150 {
        for r in &rows {
            let f: Vec<&str> = r.split('\t').collect();
            let (label, group, text) = (f[0], f[2], f[f.len() - 1]);
            out.push_str(&format!("{label}\tcopy{copy}/{group}\t{text} (copy {copy})\n"));
        }
    }
    env.write("big/labels.tsv", out)
}

/// Many articles, so labelling takes a noticeable time.
fn big_articles(env: &TestEnv) -> std::path::PathBuf {
    for i in 0..400 {
        for entry in std::fs::read_dir(root().join("seeds")).unwrap() {
            let entry = entry.unwrap();
            env.write(
                &format!("articles/{i:03}/{}", entry.file_name().to_string_lossy()),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    env.path("articles")
}

/// Runs `args` to completion once for the reference bytes of `target`, then kills runs
/// at 20 moments and checks `target` each time: the previous bytes or the reference.
/// Kills `args` at 20 moments; `target`, holding `previous` before each run, must hold
/// it still or the complete new file.
fn kill_repeatedly(env: &TestEnv, args: &[&str], target: &std::path::Path, previous: &[u8]) {
    std::fs::write(target, previous).unwrap();
    let t0 = Instant::now();
    env.assert_ok(args);
    let span = t0.elapsed();
    let reference = std::fs::read(target).unwrap();
    assert_ne!(reference, previous);
    let (mut old, mut new) = (0, 0);
    for delay in delays(20, span) {
        std::fs::write(target, previous).unwrap();
        let mut child = env.cmd(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = std::fs::read(target).unwrap();
        if now == previous {
            old += 1;
        } else {
            assert!(
                now == reference,
                "after a kill at {delay:?}, {} is neither the old nor the complete new file",
                target.display()
            );
            new += 1;
        }
    }
    eprintln!("{}: 20 kills, {old} left the previous file, {new} the complete new one", target.display());
}

#[test]
fn killing_train_never_leaves_a_half_written_model() {
    let env = TestEnv::new();
    let labels = big_labels(&env);
    let model = env.path("topics.model");
    // The previous model: one trained on the seed labels (a model is never written over
    // a file that is no model).
    env.assert_ok(&["train", "--calibrate-folds", "0", "--labels", "labels/seeds.tsv", "--model", s(&model)]);
    let previous = std::fs::read(&model).unwrap();
    kill_repeatedly(
        &env,
        &["train", "--calibrate-folds", "0", "--labels", s(&labels), "--model", s(&model)],
        &model,
        &previous,
    );
}

#[test]
fn killing_label_never_leaves_a_half_written_output() {
    let env = TestEnv::new();
    let articles = big_articles(&env);
    let out = env.path("out.jsonl");
    kill_repeatedly(
        &env,
        &["label", "--format", "jsonl", "--output", s(&out), s(&articles)],
        &out,
        b"previous content that must survive",
    );
}

/// The `.classify-*.tmp` files in `dir`.
fn temporary_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".classify-") && n.ends_with(".tmp"))
        .collect()
}

#[test]
fn ctrl_c_while_training_keeps_the_old_model_and_leaves_no_temporary_file() {
    let env = TestEnv::new();
    let labels = big_labels(&env);
    let model = env.path("topics.model");
    let args = ["train", "--calibrate-folds", "0", "--labels", s(&labels), "--model", s(&model)];
    // The previous model, which must survive: one trained on the seed labels.
    env.assert_ok(&["train", "--calibrate-folds", "0", "--labels", "labels/seeds.tsv", "--model", s(&model)]);
    let previous = std::fs::read(&model).unwrap();
    let t0 = Instant::now();
    env.assert_ok(&args);
    let span = t0.elapsed();
    let reference = std::fs::read(&model).unwrap();
    let (mut old, mut new) = (0, 0);
    for delay in delays(20, span) {
        std::fs::write(&model, &previous).unwrap();
        let child = env.cmd(&args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let now = std::fs::read(&model).unwrap();
        if now == previous {
            old += 1;
            // A signal that comes before the handler is installed, at the very start, ends
            // the process the default way; nothing has been written then.
            let before_handler = std::os::unix::process::ExitStatusExt::signal(&out.status) == Some(2);
            if !before_handler {
                assert_eq!(out.status.code(), Some(2), "interrupted at {delay:?}: {stderr}");
                assert!(stderr.contains("classify: error: interrupted"), "{stderr}");
            }
        } else {
            assert!(now == reference, "after Ctrl-C at {delay:?}, the model is neither the old nor the new file");
            new += 1;
        }
        assert_eq!(temporary_files(&env.path("")), Vec::<String>::new(), "after Ctrl-C at {delay:?}");
    }
    eprintln!("20 interrupts: {old} left the previous model, {new} the complete new one");
    assert!(old > 0, "no interrupt landed before the model was written");
}

#[test]
fn ctrl_c_while_labelling_to_stdout_leaves_only_complete_records() {
    let env = TestEnv::new();
    let articles = big_articles(&env);
    let t0 = Instant::now();
    env.assert_ok(&["label", "--format", "jsonl", s(&articles)]);
    let span = t0.elapsed();
    for delay in delays(5, span) {
        let child = env
            .cmd(&["label", "--format", "jsonl", s(&articles)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(delay.max(Duration::from_millis(50)));
        let _ = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.is_empty() || stdout.ends_with('\n'), "output ends mid-record");
        for line in stdout.lines() {
            serde_json::from_str::<serde_json::Value>(line)
                .unwrap_or_else(|e| panic!("incomplete record {line:?}: {e}"));
        }
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("interrupted"), "{stderr}");
        }
    }
}

#[test]
fn label_waiting_for_input_ends_soon_after_sigterm() {
    let env = TestEnv::new();
    // stdin is a pipe that stays open and silent: label waits for input.
    let mut child =
        env.cmd(&["label", "-"]).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let t0 = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(2));
            break;
        }
        assert!(t0.elapsed() < Duration::from_secs(20), "label still running 20 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("classify: error: interrupted"), "{stderr}");
    drop(child.stdin.take());
}

#[test]
fn an_interrupt_while_records_are_read_from_standard_input_removes_their_copy() {
    let env = TestEnv::new();
    let tmp = env.path("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    // Records on standard input are copied to a temporary file (in TMPDIR) first; the
    // pipe stays open, so label is still copying when the signal comes.
    let mut child = env
        .cmd(&["label", "--input-format", "csv", "-"])
        .env("TMPDIR", &tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.as_mut().unwrap().write_all(b"id,text\n1,Trade grew between the two states.\n").unwrap();
    let t0 = Instant::now();
    while std::fs::read_dir(&tmp).unwrap().next().is_none() {
        assert!(t0.elapsed() < Duration::from_secs(20), "no copy of standard input was made");
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    // Polled, not waited for: `wait` would close standard input, and label would then
    // finish its one record before the signal is seen.
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(t0.elapsed() < Duration::from_secs(20), "label still running 20 s after SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(2));
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "the copy of standard input was left: {left:?}");
    drop(child.stdin.take());
}
