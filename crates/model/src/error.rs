//! Errors of fitting and of reading model files.

/// What can go wrong when fitting a model or reading one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter is outside its range.
    #[error("invalid parameter {name} = {value}: {expected}")]
    InvalidParam {
        /// The parameter's name as on the command line.
        name: &'static str,
        /// The value given.
        value: String,
        /// What it must be.
        expected: &'static str,
    },
    /// Training data cannot make a model.
    #[error("cannot train: {0}")]
    BadTrainingData(String),
    /// The file is empty (a model write that never happened, or `: > file`).
    #[error("an empty file, not a model")]
    Empty,
    /// The bytes are not a model file at all.
    #[error("not a classify model file (bad magic bytes)")]
    NotAModel,
    /// The file is shorter or longer than its header says.
    #[error("model file is truncated or padded: header declares {declared} bytes of payload, file has {actual}")]
    WrongLength {
        /// Payload bytes the header declares.
        declared: u64,
        /// Payload bytes actually present.
        actual: u64,
    },
    /// The file stops inside its header.
    #[error("model file is truncated: {0} bytes, shorter than its 24-byte header")]
    TruncatedHeader(usize),
    /// The file was written by a newer or unknown format.
    #[error("model file format version {found} is not supported (this classify reads versions 1 to {supported}); retrain the model or upgrade classify")]
    UnsupportedVersion {
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// The checksum does not match: the file was altered or damaged.
    #[error("model file is corrupted (checksum mismatch)")]
    Checksum,
    /// The payload does not decode.
    #[error("model file is corrupted: {0}")]
    Corrupt(String),
}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;
