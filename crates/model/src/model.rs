//! The fitted model: the whole pipeline from text to topic probabilities.

use crate::features::{self, Vocabulary};
use crate::features::{TermCache, TermCaches};
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
    /// Weight of the rest of the article in a paragraph's scores (see [`Model::in_context`]);
    /// 0 labels each paragraph alone.
    pub(crate) context: f64,
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

/// The name of the rest of the article among a paragraph's [`Contribution`]s. No term
/// has parentheses.
pub const CONTEXT_TERM: &str = "(article context)";

/// The name, among a Bernoulli model's [`Contribution`]s, of the terms of the vocabulary
/// the paragraph does not hold: that model counts each absence too.
pub const ABSENT_TERM: &str = "(absent terms)";

/// How much one term pushed a text towards its label, over the runner-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    /// The term (a stem or an n-gram of stems), or [`CONTEXT_TERM`].
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
        Model {
            params,
            labels,
            vocab,
            idf,
            class_log_prior,
            weights,
            bias,
            temperature: 1.0,
            context: 0.0,
            summary,
            analyzer,
        }
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

    /// The weight of the rest of the article in a paragraph's scores.
    pub fn context(&self) -> f64 {
        self.context
    }

    /// Sets the context weight: finite, in [0, 1].
    pub fn set_context(&mut self, context: f64) -> crate::Result<()> {
        if !(0.0..=1.0).contains(&context) {
            return Err(crate::Error::InvalidParam {
                name: "context",
                value: context.to_string(),
                expected: "a weight from 0 (each paragraph alone) to 1, such as 0.25",
            });
        }
        self.context = context;
        Ok(())
    }

    /// Labels the paragraphs of one article together. Each paragraph's scores get the
    /// mean of the other paragraphs' log posteriors (at temperature 1) added, at the
    /// model's context weight: a paragraph that could be `security` or `extremism`
    /// leans towards what the rest of its article is about. With one paragraph, or a
    /// weight of 0, the predictions are returned as they are.
    ///
    /// The result's `joint_log_likelihood` is the combined score. The temperature was
    /// fitted on such scores (for a model trained with a context weight), so a paragraph
    /// scored alone comes out a little less confident than calibrated.
    pub fn in_context(&self, preds: Vec<Prediction>) -> Vec<Prediction> {
        let n = preds.len();
        if n < 2 || self.context == 0.0 {
            return preds;
        }
        let k = self.labels.len();
        let post: Vec<Vec<f64>> = preds
            .iter()
            .map(|p| {
                let lse = crate::log_sum_exp(&p.joint_log_likelihood);
                p.joint_log_likelihood.iter().map(|v| v - lse).collect()
            })
            .collect();
        // Sums and counts of the finite log posteriors per label. A label a paragraph
        // scores minus infinity (impossible) is left out of the others' mean, so one
        // paragraph cannot rule a label out for the whole article.
        let mut sum = vec![0.0; k];
        let mut count = vec![0usize; k];
        for row in &post {
            for c in 0..k {
                if row[c].is_finite() {
                    sum[c] += row[c];
                    count[c] += 1;
                }
            }
        }
        preds
            .into_iter()
            .zip(&post)
            .map(|(p, own)| {
                let scores = (0..k)
                    .map(|c| {
                        let (s, n) =
                            if own[c].is_finite() { (sum[c] - own[c], count[c] - 1) } else { (sum[c], count[c]) };
                        let others = if n == 0 { 0.0 } else { s / n as f64 };
                        p.joint_log_likelihood[c] + self.context * others
                    })
                    .collect();
                self.prediction(scores)
            })
            .collect()
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
        let caches = TermCaches::default();
        texts.par_iter().map(|t| caches.with(|cache| self.predict_with(t, cache))).collect()
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
        let pred = self.predict(text);
        let why = self.explain_prediction(text, &pred, n);
        (pred, why)
    }

    /// The terms of `text` that most pushed it to `pred`'s label rather than `pred`'s
    /// runner-up, strongest first, at most `n`. `pred` may come from [`Model::in_context`]:
    /// then the rest of the article is one of the reasons, as [`CONTEXT_TERM`], with the
    /// log-odds it added. A Bernoulli model's reasons include the terms the text lacks,
    /// together, as [`ABSENT_TERM`].
    pub fn explain_prediction(&self, text: &str, pred: &Prediction, n: usize) -> Vec<Contribution> {
        let mut cache = TermCache::default();
        let x = self.weighted(text, &mut cache);
        let runner_up = runner_up(&pred.joint_log_likelihood, pred.label);
        let (w, r) = (pred.label, runner_up);
        let alone = self.jll(&x);
        let jll = &pred.joint_log_likelihood;
        // In log-odds of the probabilities shown, which are softmax(jll / temperature):
        // with the prior's, the terms' contributions (and the negative ones left out) sum
        // to ln(p(label) / p(runner-up)).
        let t = self.temperature;
        let context = ((jll[w] - jll[r]) - (alone[w] - alone[r])) / t;
        let bernoulli = self.params.get().variant == Variant::Bernoulli;
        let mut contributions: Vec<Contribution> = x
            .iter()
            .map(|&(j, v)| {
                let v = if bernoulli { 1.0 } else { v };
                Contribution {
                    term: self.vocab.term(j as usize),
                    weight: v * (self.weights.get(w, j as usize) - self.weights.get(r, j as usize)) / t,
                }
            })
            .chain(
                (context.is_finite() && context > 1e-9)
                    .then(|| Contribution { term: CONTEXT_TERM.into(), weight: context }),
            )
            .chain(
                bernoulli.then(|| Contribution { term: ABSENT_TERM.into(), weight: (self.bias[w] - self.bias[r]) / t }),
            )
            .filter(|c| c.weight > 0.0)
            .collect();
        contributions.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
        contributions.truncate(n);
        contributions
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ModelParams;

    fn model(context: f64) -> Model {
        let texts = [
            "trade exports investment pipeline",
            "exports trade tariffs growth",
            "militants attack border troops",
            "troops border attack killed",
        ];
        let labels = ["economy", "economy", "security", "security"];
        let mut m = Model::fit(&ModelParams::default().check().unwrap(), &texts, &labels).unwrap();
        m.set_context(context).unwrap();
        m
    }

    #[test]
    fn context_leans_an_unsure_paragraph_towards_its_article() {
        let texts = ["trade exports growth", "tariffs investment pipeline", "border trade attack"];
        let alone = model(0.0);
        let before: Vec<Prediction> = texts.iter().map(|t| alone.predict(t)).collect();
        assert_eq!(alone.in_context(before.clone()), before, "weight 0 changes nothing");
        let ctx = model(0.5);
        let preds: Vec<Prediction> = texts.iter().map(|t| ctx.predict(t)).collect();
        assert_eq!(ctx.in_context(preds[2..].to_vec()), preds[2..], "one paragraph has no context");
        let after = ctx.in_context(preds.clone());
        let economy = 0;
        assert!(after[2].probabilities[economy] > preds[2].probabilities[economy]);
        for p in &after {
            assert!(p.probabilities.iter().all(|v| v.is_finite()));
            assert!((p.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let mut m = model(0.5);
        assert!(m.set_context(1.5).is_err());
        assert_eq!(m.context(), 0.5);
    }

    #[test]
    fn a_label_impossible_in_one_paragraph_stays_possible_in_the_others() {
        let ctx = model(0.25);
        let p = |jll: Vec<f64>| ctx.prediction(jll);
        let inf = f64::NEG_INFINITY;
        let out = ctx.in_context(vec![p(vec![-1.0, inf]), p(vec![-2.0, -1.0]), p(vec![inf, -3.0])]);
        for q in &out {
            assert!(q.probabilities.iter().all(|v| v.is_finite()));
            assert!((q.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        // Impossible where it was scored so, and only there.
        assert_eq!(out[0].probabilities[1], 0.0);
        assert_eq!(out[2].probabilities[0], 0.0);
        assert!(out[1].probabilities.iter().all(|&v| v > 0.0));
    }

    #[test]
    fn explanations_are_in_log_odds_of_the_probabilities_shown() {
        // Every term of this text, and for Bernoulli the absence of the others, pushes
        // towards economy, so the contributions and the priors' difference make up the
        // whole log-odds, at any temperature.
        let text = "trade exports investment tariffs";
        let bernoulli = || {
            let p = ModelParams { variant: Variant::Bernoulli, ..ModelParams::default() }.check().unwrap();
            let texts = [
                "trade exports investment pipeline",
                "exports trade tariffs growth",
                "militants attack border troops",
                "troops border attack killed",
            ];
            Model::fit(&p, &texts, &["economy", "economy", "security", "security"]).unwrap()
        };
        for (t, mut m) in [(1.0, model(0.0)), (4.0, model(0.0)), (1.0, bernoulli()), (4.0, bernoulli())] {
            m.set_temperature(t, 5);
            let pred = m.predict(text);
            let (w, r) = (pred.label, 1 - pred.label);
            let terms: f64 = m.explain_prediction(text, &pred, 100).iter().map(|c| c.weight).sum();
            let prior = (m.class_log_prior[w] - m.class_log_prior[r]) / t;
            let shown = (pred.probabilities[w] / pred.probabilities[r]).ln();
            assert!((terms + prior - shown).abs() < 1e-9, "temperature {t}: {terms} + {prior} against {shown}");
        }
    }
}
