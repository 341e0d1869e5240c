//! Text analysis for `classify`: paragraph segmentation, tokenising, case folding,
//! stop words, Snowball stemming and word n-grams.
//!
//! This crate does no I/O and cannot fail: an empty or all-unknown text is a valid
//! input with a defined result (no paragraphs, no terms).
#![warn(missing_docs)]

mod analyzer;
mod language;
mod segment;
mod stopwords;
mod tokenize;

pub use analyzer::{Analyzer, AnalyzerConfig, StemCache};
pub use language::Language;
pub use segment::{html_block_end, looks_like_html, segment, sentence_break_end, Paragraph};
pub use tokenize::{for_each_token, tokenize, NUMBER_TOKEN};
