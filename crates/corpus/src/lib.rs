//! Corpus I/O for `classify`: labelled data in (our label files, CSV/TSV, JSONL, one
//! folder per label, fastText lines), articles in (files, directories, stdin), results
//! out (table, JSONL, CSV, TSV), and atomic writes.
//!
//! This is the only crate that touches the file system. Its errors carry the path, and
//! the line where the input has one.
#![warn(missing_docs)]

mod articles;
mod atomic;
mod decode;
mod error;
mod labelled;
mod lines;
mod output;
mod records;
mod stdin;

pub use articles::{
    input_key, open_article, read_article, walk, Article, BlockStream, Input, Opened, Skipped, MAX_BLOCK, WHOLE_LIMIT,
};
pub use atomic::{
    check_not_an_input, check_not_in_an_input_directory, check_output, read_file, remove_temporary_files, write_atomic,
};
pub use decode::{decode_text, Decoded};
pub use error::{Error, Result};
pub use labelled::{default_group, origin_place, read_labelled, Example, Format, Labelled, MultiLabel, ReadOptions};
pub use output::{LabelledArticle, LabelledParagraph, OutputFormat, ResultWriter};
pub use records::{
    read_input_records, read_records, read_stdin_records, Record, RecordFormat, RecordOptions, Records, Tally,
};
pub use stdin::{StdinCopy, STDIN};
