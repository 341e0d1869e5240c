//! Articles to label: files, directories (recursively, in name order) and stdin.

use crate::decode::decode_text;
use std::io::Read;
use std::path::PathBuf;

/// One article source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input, given as `-`.
    Stdin,
}

impl Input {
    /// How the article is named in output: its path, or `-`.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".into(),
        }
    }
}

/// An input that could not be labelled, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file or directory.
    pub name: String,
    /// Why, in a few words.
    pub reason: String,
}

/// An article's text.
#[derive(Debug)]
pub struct Article {
    /// Its name in output.
    pub name: String,
    /// The decoded text.
    pub text: String,
    /// Set when the text needed a fallback decoding.
    pub warning: Option<String>,
}

/// Expands the paths given on the command line into inputs, in order: a file as it is,
/// a directory as every file under it (recursively, sorted by name, symlinks not
/// followed), `-` as stdin. Paths that cannot be walked are returned as skipped.
pub fn discover(paths: &[PathBuf]) -> (Vec<Input>, Vec<Skipped>) {
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => skipped.push(Skipped {
                name: path.display().to_string(),
                reason: io_reason(&e),
            }),
            Ok(m) if m.is_dir() => {
                for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                    match entry {
                        Ok(e) if e.file_type().is_file() => inputs.push(Input::File(e.into_path())),
                        Ok(_) => {}
                        Err(e) => {
                            let name = e.path().unwrap_or(path).display().to_string();
                            let reason = match (e.loop_ancestor(), e.io_error()) {
                                (Some(_), _) => "symbolic link loop, skipped".to_string(),
                                (_, Some(io)) => io_reason(io),
                                _ => e.to_string(),
                            };
                            skipped.push(Skipped { name, reason });
                        }
                    }
                }
            }
            Ok(_) => inputs.push(Input::File(path.clone())),
        }
    }
    (inputs, skipped)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied, skipped".into(),
        _ => format!("{e}, skipped"),
    }
}

/// Reads and decodes one article (see [`crate::decode_text`] for the policy).
pub fn read_article(input: &Input) -> Result<Article, Skipped> {
    let name = input.name();
    let bytes = match input {
        Input::File(p) => std::fs::read(p),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
    }
    .map_err(|e| Skipped {
        name: name.clone(),
        reason: io_reason(&e),
    })?;
    let decoded = decode_text(bytes).map_err(|reason| Skipped {
        name: name.clone(),
        reason,
    })?;
    Ok(Article {
        name,
        text: decoded.text,
        warning: decoded.warning,
    })
}
