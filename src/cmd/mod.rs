//! One module per subcommand.

pub mod cv;
pub mod eval;
pub mod explain;
pub mod label;
pub mod suggest;
pub mod train;
pub mod tune;

/// How a command ended, when it did not fail.
pub enum Outcome {
    /// Everything was done.
    Done,
    /// Done, but some inputs were skipped.
    Partial,
}
