//! Integration tests: the real `classify` binary on the seed articles, the labels, the
//! shipped model and, where `../shared` exists, the public corpora.

mod testenv;

mod bad_input;
mod cli;
mod corpora;
mod kill;
mod labels;
mod line_ends;
mod model;
