//! A small harness: run the real binary in a temporary directory and check what it says.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, if it is there.
///
/// Where it is missing, the test calling this reports itself skipped by name; under
/// CI (CI=true) a missing `../shared` is a failure, because CI always has it.
pub fn shared(test: &str) -> Option<PathBuf> {
    let dir = root().join("..").join("shared");
    if dir.join("data").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: ../shared is missing, and CI=true says it must be there");
    }
    report_skip(test, "../shared not found beside the repository");
    None
}

/// Says on the terminal that a test skipped itself and why. Written to stderr directly,
/// not with `eprintln!`, which the test harness captures for passing tests.
pub fn report_skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// A scratch directory and a way to run `classify` in it.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write");
        p
    }

    /// A `classify` command run from the repository root (so default paths work).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_classify"));
        c.args(args).current_dir(root()).stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run classify")
    }

    /// Runs with `input` on standard input.
    pub fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        use std::io::Write;
        let mut child =
            self.cmd(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        let input = input.to_vec();
        // Written from another thread, so that a large input cannot deadlock on a full pipe.
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output().expect("run classify");
        writer.join().expect("writer thread").ok();
        out
    }

    /// Runs and asserts success; returns stdout.
    pub fn assert_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "classify {args:?} failed with {:?}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 stdout")
    }

    /// Runs and asserts the exit code and that stderr has one `classify: error:` line
    /// containing every fragment; returns stderr.
    pub fn assert_failure_with_error(&self, args: &[&str], code: i32, fragments: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(code), "classify {args:?}: stderr:\n{stderr}");
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("classify: error: ")).collect();
        assert_eq!(errors.len(), 1, "one error line expected, got:\n{stderr}");
        for f in fragments {
            assert!(errors[0].contains(f), "error line lacks {f:?}:\n{}", errors[0]);
        }
        assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
        stderr
    }
}

/// The path as a `&str` for arguments.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
