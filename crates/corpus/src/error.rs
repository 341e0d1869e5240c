//! Errors of corpus I/O, each naming the file and, where it has one, the line.

use std::path::{Path, PathBuf};

/// What can go wrong reading or writing corpus files.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system refused an operation on a path.
    #[error("{}: {}", path.display(), io_message(cause))]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error, in the message (not a separate source, so that it is
        /// said once, in plain words).
        cause: std::io::Error,
    },
    /// A record in a file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the record.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A whole file or directory cannot be used as asked.
    #[error("{}: {message}", path.display())]
    Input {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// An I/O error in the words `label` uses for a skipped file: "no such file or
/// directory" rather than "No such file or directory (os error 2)".
fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Error {
        Error::Io { path: path.into(), cause }
    }

    pub(crate) fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Error {
        Error::Parse { path: path.into(), line, message: message.into() }
    }

    pub(crate) fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Input { path: path.into(), message: message.into() }
    }

    /// The same error, naming `to` where it named `from`.
    pub(crate) fn with_path(mut self, from: &Path, to: &Path) -> Error {
        let (Error::Io { path, .. } | Error::Parse { path, .. } | Error::Input { path, .. }) = &mut self;
        if path == from {
            *path = to.to_path_buf();
        }
        self
    }
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
