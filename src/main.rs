//! The `classify` command: argument parsing, the thread pool, errors and exit codes.
//! All the work is done by the `classify-*` library crates.

mod cli;
mod cmd;
mod common;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// Exit code: done, but some inputs were skipped.
const EXIT_PARTIAL: u8 = 1;
/// Exit code: an error stopped the command.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // `classify` alone: the help, on stderr, as an error.
            let _ = e.print();
            return ExitCode::from(EXIT_ERROR);
        }
        Err(e) => {
            eprintln!("classify: error: {} (see classify --help)", one_line(&e.to_string()));
            return ExitCode::from(EXIT_ERROR);
        }
    };
    if let Some(n) = cli.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(n.get()).build_global() {
            eprintln!("classify: error: cannot start {n} threads: {e}");
            return ExitCode::from(EXIT_ERROR);
        }
    }
    // `label` stops at a record boundary by itself; the others end at once.
    common::handle_interrupts(matches!(cli.command, cli::Command::Label(_)));
    let result = match &cli.command {
        cli::Command::Train(a) => cmd::train::run(a),
        cli::Command::Label(a) => cmd::label::run(a),
        cli::Command::Eval(a) => cmd::eval::run(a),
        cli::Command::Cv(a) => cmd::cv::run(a),
        cli::Command::Tune(a) => cmd::tune::run(a),
        cli::Command::Suggest(a) => cmd::suggest::run(a),
        cli::Command::Explain(a) => cmd::explain::run(a),
    };
    match result {
        Ok(cmd::Outcome::Done) => ExitCode::SUCCESS,
        Ok(cmd::Outcome::Partial) => ExitCode::from(EXIT_PARTIAL),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("classify: error: {}", dedup_chain(chain).join(": "));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// A closed pipe (`classify label ... | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.to_string().contains("Broken pipe")
    })
}

/// Drops a cause whose text is already part of the message before it.
fn dedup_chain(chain: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in chain {
        if !out.last().is_some_and(|prev| prev.contains(&c)) {
            out.push(c);
        }
    }
    out
}

/// A clap error on one line: its first paragraph (the message and, for missing
/// arguments, their names) and any tip, without the usage lines.
fn one_line(rendered: &str) -> String {
    let mut paragraphs = rendered.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "));
    let first = paragraphs.next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(&first);
    let mut line = if first.is_empty() { "invalid arguments".to_string() } else { first.to_string() };
    for tip in paragraphs.filter(|p| p.starts_with("tip:")) {
        line = format!("{line}; {tip}");
    }
    line
}
