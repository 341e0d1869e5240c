//! Model parameters: unchecked [`ModelParams`], checked into [`ValidParams`] before fitting.

use crate::{Error, Result};
use classify_text::AnalyzerConfig;
use serde::{Deserialize, Serialize};

/// Which naive Bayes event model to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Variant {
    /// Multinomial naive Bayes on term weights (McCallum and Nigam 1998).
    Multinomial,
    /// Complement naive Bayes (Rennie, Shih, Teevan and Karger 2003).
    Complement,
    /// Bernoulli naive Bayes on term presence.
    Bernoulli,
}

/// How a term's count in a document becomes its weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermWeight {
    /// The count itself.
    Raw,
    /// `1 + ln(count)`.
    Sublinear,
    /// 1 if present.
    Binary,
}

/// Class prior probabilities.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Priors {
    /// Proportional to the number of training documents of each label.
    Fitted,
    /// Equal for every label.
    Uniform,
    /// Given per label name; they are normalised to sum to 1.
    Given(Vec<(String, f64)>),
}

/// Unchecked model parameters.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `analyzer` | English, stop words, stems, unigrams | text analysis chain | see [`AnalyzerConfig`] |
/// | `variant` | multinomial | event model | [`Variant`] |
/// | `alpha` | 0.3 | Lidstone smoothing added to every term count | > 0, finite |
/// | `tf` | raw | term count transform | [`TermWeight`] |
/// | `idf` | false | multiply by smoothed inverse document frequency | |
/// | `normalize` | false | scale each document's weights to unit L2 length | |
/// | `weight_norm` | false | Rennie's weight normalisation (complement only) | |
/// | `min_df` | 1 | drop terms in fewer documents | >= 1 |
/// | `max_df` | 1.0 | drop terms in more than this fraction of documents | (0, 1] |
/// | `max_features` | none | keep only the most frequent terms | >= 1 |
/// | `priors` | fitted | class priors | [`Priors`] |
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelParams {
    /// Text analysis.
    pub analyzer: AnalyzerConfig,
    /// Event model.
    pub variant: Variant,
    /// Lidstone smoothing.
    pub alpha: f64,
    /// Term count transform.
    pub tf: TermWeight,
    /// Inverse document frequency weighting.
    pub idf: bool,
    /// Unit L2 length per document.
    pub normalize: bool,
    /// Rennie's weight normalisation for the complement model.
    pub weight_norm: bool,
    /// Minimum document frequency.
    pub min_df: usize,
    /// Maximum document frequency, as a fraction of documents.
    pub max_df: f64,
    /// Vocabulary cap.
    pub max_features: Option<usize>,
    /// Class priors.
    pub priors: Priors,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            analyzer: AnalyzerConfig::default(),
            variant: Variant::Multinomial,
            alpha: 0.3,
            tf: TermWeight::Raw,
            idf: false,
            normalize: false,
            weight_norm: false,
            min_df: 1,
            max_df: 1.0,
            max_features: None,
            priors: Priors::Fitted,
        }
    }
}

/// Parameters that passed [`ModelParams::check`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidParams(pub(crate) ModelParams);

impl ValidParams {
    /// The checked parameters.
    pub fn get(&self) -> &ModelParams {
        &self.0
    }
}

impl ModelParams {
    /// Checks every parameter against its range.
    pub fn check(self) -> Result<ValidParams> {
        let bad = |name, value: String, expected| Err(Error::InvalidParam { name, value, expected });
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return bad("alpha", self.alpha.to_string(), "a finite number above 0, such as 1.0 or 0.1");
        }
        if !(1..=3).contains(&self.analyzer.ngrams) {
            return bad("ngrams", self.analyzer.ngrams.to_string(), "1, 2 or 3");
        }
        if self.min_df == 0 {
            return bad("min-df", "0".into(), "at least 1");
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return bad("max-df", self.max_df.to_string(), "a fraction in (0, 1]");
        }
        if self.max_features == Some(0) {
            return bad("max-features", "0".into(), "at least 1");
        }
        if let Priors::Given(p) = &self.priors {
            if p.iter().any(|(_, v)| !(v.is_finite() && *v > 0.0)) {
                let given: Vec<String> = p.iter().map(|(l, v)| format!("{l}={v}")).collect();
                return bad("priors", given.join(","), "positive numbers, one per label");
            }
        }
        Ok(ValidParams(self))
    }
}
