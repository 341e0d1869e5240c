//! The fitted model: the whole pipeline from text to topic probabilities.

use crate::features::TermCache;
use crate::features::{self, Vocabulary};
use crate::params::{ValidParams, Variant};
use crate::weights::Weights;
use classify_text::Analyzer;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What a model was trained on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// Training documents.
    pub documents: usize,
    /// Training documents per label, in label order.
    pub documents_per_label: Vec<usize>,
    /// Folds used to fit the probability temperature; 0 if not calibrated.
    pub temperature_folds: usize,
}

/// A fitted naive Bayes model with its analyzer, vocabulary and labels.
#[derive(Debug)]
pub struct Model {
    pub(crate) params: ValidParams,
    pub(crate) labels: Vec<String>,
    pub(crate) vocab: Vocabulary,
    pub(crate) idf: Option<Vec<f64>>,
    pub(crate) class_log_prior: Vec<f64>,
    /// Class-by-term weights: log probabilities (multinomial), complement weights, or
    /// presence log-odds (Bernoulli), in factored sparse form.
    pub(crate) weights: Weights,
    /// Per-class constant: the Bernoulli absence term, 0 otherwise.
    pub(crate) bias: Vec<f64>,
    /// Probabilities are `softmax(jll / temperature)`; 1 leaves them as naive Bayes gives.
    pub(crate) temperature: f64,
    pub(crate) summary: TrainingSummary,
    pub(crate) analyzer: Analyzer,
}

/// A model's verdict on one text.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// Index of the most probable label; ties go to the lowest index.
    pub label: usize,
    /// Probability of each label, in label order; finite and summing to 1.
    pub probabilities: Vec<f64>,
    /// Joint log-likelihood of each label: log prior plus log likelihood.
    pub joint_log_likelihood: Vec<f64>,
}

impl Prediction {
    /// The gap between the two highest probabilities (the active-learning margin).
    pub fn margin(&self) -> f64 {
        let mut p = self.probabilities.clone();
        p.sort_unstable_by(|a, b| b.total_cmp(a));
        p[0] - p.get(1).copied().unwrap_or(0.0)
    }
}

/// How much one term pushed a text towards its label, over the runner-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// The term (a stem or an n-gram of stems).
    pub term: String,
    /// Added log-odds of the winning label over the runner-up.
    pub weight: f64,
}

impl Model {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn assemble(
        params: ValidParams,
        labels: Vec<String>,
        vocab: Vocabulary,
        idf: Option<Vec<f64>>,
        class_log_prior: Vec<f64>,
        weights: Weights,
        bias: Vec<f64>,
        summary: TrainingSummary,
    ) -> Model {
        let analyzer = Analyzer::new(params.get().analyzer.clone());
        Model { params, labels, vocab, idf, class_log_prior, weights, bias, temperature: 1.0, summary, analyzer }
    }

    /// Label names, in class order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The parameters it was fitted with.
    pub fn params(&self) -> &ValidParams {
        &self.params
    }

    /// Its vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// What it was trained on.
    pub fn summary(&self) -> &TrainingSummary {
        &self.summary
    }

    /// The probability temperature.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// Sets the probability temperature (see [`crate::fit_temperature`]) and the number
    /// of folds it was fitted on.
    pub fn set_temperature(&mut self, temperature: f64, folds: usize) {
        self.temperature = temperature;
        self.summary.temperature_folds = folds;
    }

    fn weighted(&self, text: &str, cache: &mut TermCache) -> Vec<(u32, f64)> {
        let counts = self.vocab.count(&self.analyzer, text, cache);
        features::weigh(&counts, self.params.get(), self.idf.as_deref())
    }

    /// Joint log-likelihood of each label for already weighted features.
    pub(crate) fn jll(&self, x: &[(u32, f64)]) -> Vec<f64> {
        let variant = self.params.get().variant;
        let mut dot = vec![0.0; self.labels.len()];
        if variant == Variant::Bernoulli {
            let present: Vec<(u32, f64)> = x.iter().map(|&(j, _)| (j, 1.0)).collect();
            self.weights.scores(&present, &mut dot);
        } else {
            self.weights.scores(x, &mut dot);
        }
        // The complement model ignores priors, as Rennie et al. and scikit-learn do.
        let complement = variant == Variant::Complement;
        dot.iter()
            .enumerate()
            .map(|(c, d)| {
                let prior = if complement { 0.0 } else { self.class_log_prior[c] };
                prior + self.bias[c] + d
            })
            .collect()
    }

    /// Classifies one text. `cache` is a per-thread stem memo.
    pub fn predict_with(&self, text: &str, cache: &mut TermCache) -> Prediction {
        let x = self.weighted(text, cache);
        self.prediction(self.jll(&x))
    }

    /// Classifies one text.
    pub fn predict(&self, text: &str) -> Prediction {
        self.predict_with(text, &mut TermCache::default())
    }

    /// Classifies many texts in parallel; results are in input order.
    pub fn predict_batch(&self, texts: &[&str]) -> Vec<Prediction> {
        texts.par_iter().map_init(TermCache::default, |cache, t| self.predict_with(t, cache)).collect()
    }

    /// Probabilities and label from joint log-likelihoods, in log space.
    pub(crate) fn prediction(&self, jll: Vec<f64>) -> Prediction {
        let probabilities = softmax(&jll, self.temperature);
        let mut label = 0;
        for (c, &v) in jll.iter().enumerate() {
            // Strictly greater: a tie keeps the lowest index.
            if v > jll[label] {
                label = c;
            }
        }
        Prediction { label, probabilities, joint_log_likelihood: jll }
    }

    /// The terms of `text` that most pushed it to its predicted label rather than the
    /// runner-up, strongest first, at most `n`.
    pub fn explain(&self, text: &str, n: usize) -> (Prediction, Vec<Contribution>) {
        let mut cache = TermCache::default();
        let x = self.weighted(text, &mut cache);
        let pred = self.prediction(self.jll(&x));
        let runner_up = runner_up(&pred.joint_log_likelihood, pred.label);
        let (w, r) = (pred.label, runner_up);
        let bernoulli = self.params.get().variant == Variant::Bernoulli;
        let mut contributions: Vec<Contribution> = x
            .iter()
            .map(|&(j, v)| {
                let v = if bernoulli { 1.0 } else { v };
                Contribution {
                    term: self.vocab.term(j as usize),
                    weight: v * (self.weights.get(w, j as usize) - self.weights.get(r, j as usize)),
                }
            })
            .filter(|c| c.weight > 0.0)
            .collect();
        contributions.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
        contributions.truncate(n);
        (pred, contributions)
    }

    /// The `n` terms that most distinguish each label from the others: the largest
    /// differences between the label's weight and the mean weight of the other labels.
    pub fn top_terms(&self, n: usize) -> Vec<Vec<Contribution>> {
        let k = self.labels.len();
        (0..k)
            .map(|c| {
                let mut scored: Vec<Contribution> = (0..self.vocab.len())
                    .map(|j| {
                        let col: Vec<f64> = (0..k).map(|l| self.weights.get(l, j)).collect();
                        let others = (col.iter().sum::<f64>() - col[c]) / (k - 1) as f64;
                        Contribution { term: self.vocab.term(j), weight: col[c] - others }
                    })
                    .collect();
                scored.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
                scored.truncate(n);
                scored
            })
            .collect()
    }
}

fn runner_up(jll: &[f64], best: usize) -> usize {
    let mut r = if best == 0 { 1 } else { 0 };
    for (c, &v) in jll.iter().enumerate() {
        if c != best && v > jll[r] {
            r = c;
        }
    }
    r
}

/// `softmax(x / t)` computed with log-sum-exp: finite and summing to 1 for any finite input.
pub(crate) fn softmax(x: &[f64], t: f64) -> Vec<f64> {
    let scaled: Vec<f64> = x.iter().map(|v| v / t).collect();
    let lse = crate::log_sum_exp(&scaled);
    scaled.iter().map(|v| (v - lse).exp()).collect()
}

impl Model {
    /// Raw counts of the known terms of `text`, in increasing term index order: the
    /// row of the document-term count matrix this model would build for it.
    pub fn term_counts(&self, text: &str) -> Vec<(u32, u32)> {
        self.vocab.count(&self.analyzer, text, &mut TermCache::default())
    }
}
