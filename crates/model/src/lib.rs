//! Naive Bayes text models for `classify`: vectorising text into sparse term weights,
//! fitting multinomial, complement and Bernoulli naive Bayes, predicting with finite,
//! normalised probabilities, and the model file format.
//!
//! This crate does no I/O: models are read from and written to byte slices.
#![warn(missing_docs)]

mod calibrate;
mod error;
mod evaluate;
mod features;
mod fit;
mod format;
mod model;
mod params;
mod tokens;
mod weights;

pub use calibrate::{expected_calibration_error, fit_temperature};
pub use error::{Error, Result};
pub use evaluate::{fnv1a, group_folds, LabelScore, Metrics};
pub use features::{TermCache, TermCaches, Vocabulary};
pub use fit::{EmParams, EmReport};
pub use format::FORMAT_VERSION;
pub use model::{Contribution, Model, Prediction, TrainingSummary, ABSENT_TERM, CONTEXT_TERM};
pub use params::{ModelParams, Priors, TermWeight, ValidParams, Variant};

/// Numerically stable `ln(sum(exp(x)))`; `-inf` for an empty slice.
pub fn log_sum_exp(x: &[f64]) -> f64 {
    let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + x.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}
