//! Fitting the three naive Bayes variants on weighted sparse documents, with hard
//! labels or, for semi-supervised EM, soft ones.

use crate::features::{self, Sparse, Vocabulary};
use crate::model::{softmax, Model, TrainingSummary};
use crate::params::{Priors, ValidParams, Variant};
use crate::weights::Weights;
use crate::{Error, Result};
use classify_text::Analyzer;
use rayon::prelude::*;

/// A document's share in a class: `(document, class, weight)`.
type Assignment = (usize, usize, f64);

/// Settings of semi-supervised expectation-maximisation (Nigam et al. 2000).
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `weight` | 0.1 | weight of an unlabelled document relative to a labelled one (EM-λ) | (0, 1] |
/// | `max_iterations` | 10 | most E/M rounds | >= 1 |
/// | `tolerance` | 1e-4 | stop when the mean change of the unlabelled posteriors is below it | > 0 |
#[derive(Clone, Debug, PartialEq)]
pub struct EmParams {
    /// Weight of unlabelled documents.
    pub weight: f64,
    /// Most iterations.
    pub max_iterations: usize,
    /// Stopping tolerance on the mean absolute change of posteriors.
    pub tolerance: f64,
}

impl Default for EmParams {
    fn default() -> Self {
        EmParams { weight: 0.1, max_iterations: 10, tolerance: 1e-4 }
    }
}

/// What EM did.
#[derive(Clone, Debug, PartialEq)]
pub struct EmReport {
    /// Iterations run.
    pub iterations: usize,
    /// Mean absolute change of the unlabelled posteriors in the last iteration.
    pub last_change: f64,
}

/// Sorted label names and each text's label index; refuses fewer than two labels.
fn label_indices(labels: &[&str]) -> Result<(Vec<String>, Vec<usize>)> {
    let mut names: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return Err(Error::BadTrainingData("no labelled paragraphs".into()));
    }
    if names.len() < 2 {
        return Err(Error::BadTrainingData(format!(
            "only one label ({}) in the data; a classifier needs at least two",
            names[0]
        )));
    }
    let y = labels.iter().map(|l| names.binary_search_by(|n| n.as_str().cmp(l)).expect("label is in names")).collect();
    Ok((names, y))
}

/// The vocabulary and weighted documents of some texts; refuses an empty vocabulary,
/// which would make a model that knows no term.
fn vectorise(params: &ValidParams, texts: &[&str]) -> Result<(Vocabulary, Option<Vec<f64>>, Vec<Sparse>)> {
    let p = params.get();
    let analyzer = Analyzer::new(p.analyzer.clone());
    let (vocab, counts) = features::build(&analyzer, texts, p);
    if vocab.is_empty() {
        let limits = if p.min_df > 1 || p.max_df < 1.0 || p.max_features.is_some() {
            "--min-df, --max-df or --max-features removed every term"
        } else {
            "they hold no words, or only stop words"
        };
        return Err(Error::BadTrainingData(format!(
            "no term is left to learn from in {} texts: {limits}",
            texts.len()
        )));
    }
    let idf = p.idf.then(|| features::idf(&counts, vocab.len()));
    let docs = counts.par_iter().map(|c| features::weigh(c, p, idf.as_deref())).collect();
    Ok((vocab, idf, docs))
}

impl Model {
    /// Fits a model on texts and their labels (one label per text).
    ///
    /// Labels are sorted by name; their order is the class order everywhere. The
    /// result depends only on the data and parameters, never on the thread count.
    pub fn fit(params: &ValidParams, texts: &[&str], labels: &[&str]) -> Result<Model> {
        if texts.len() != labels.len() {
            return Err(Error::BadTrainingData(format!("{} texts but {} labels", texts.len(), labels.len())));
        }
        let (names, y) = label_indices(labels)?;
        let (vocab, idf, docs) = vectorise(params, texts)?;
        let assignments: Vec<Assignment> = y.iter().enumerate().map(|(i, &c)| (i, c, 1.0)).collect();
        fit_assigned(params, names, vocab, idf, &docs, &assignments, texts.len())
    }

    /// Fits on labelled texts plus unlabelled ones by expectation-maximisation: the
    /// model trained on the labelled texts labels the others softly (E step), and a model
    /// is refitted on both, unlabelled ones counting `em.weight` times their posterior
    /// (M step), until the posteriors settle or `em.max_iterations` is reached. The
    /// vocabulary comes from all texts.
    pub fn fit_em(
        params: &ValidParams,
        texts: &[&str],
        labels: &[&str],
        unlabelled: &[&str],
        em: &EmParams,
    ) -> Result<(Model, EmReport)> {
        if !(em.weight > 0.0 && em.weight <= 1.0) {
            return Err(Error::InvalidParam {
                name: "unlabelled-weight",
                value: em.weight.to_string(),
                expected: "a weight in (0, 1]",
            });
        }
        if em.max_iterations == 0 {
            return Err(Error::InvalidParam { name: "em-iterations", value: "0".into(), expected: "at least 1" });
        }
        if texts.len() != labels.len() {
            return Err(Error::BadTrainingData(format!("{} texts but {} labels", texts.len(), labels.len())));
        }
        let (names, y) = label_indices(labels)?;
        let all: Vec<&str> = texts.iter().chain(unlabelled).copied().collect();
        let (vocab, idf, docs) = vectorise(params, &all)?;
        let labelled: Vec<Assignment> = y.iter().enumerate().map(|(i, &c)| (i, c, 1.0)).collect();
        let n = texts.len();
        let mut model = fit_assigned(params, names.clone(), vocab.clone(), idf.clone(), &docs, &labelled, n)?;
        let mut previous: Vec<Vec<f64>> = Vec::new();
        let mut report = EmReport { iterations: 0, last_change: f64::INFINITY };
        for _ in 0..em.max_iterations {
            // E step, at temperature 1 whatever the model's calibration.
            let posteriors: Vec<Vec<f64>> = docs[n..].par_iter().map(|d| softmax(&model.jll(d), 1.0)).collect();
            let change = if previous.is_empty() {
                f64::INFINITY
            } else {
                let total: f64 = posteriors
                    .iter()
                    .zip(&previous)
                    .flat_map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y).abs()))
                    .sum();
                total / (posteriors.len().max(1) * names.len()) as f64
            };
            report = EmReport { iterations: report.iterations + 1, last_change: change };
            if change < em.tolerance {
                break;
            }
            let mut assignments = labelled.clone();
            for (u, post) in posteriors.iter().enumerate() {
                for (c, &p) in post.iter().enumerate() {
                    if p > 1e-9 {
                        assignments.push((n + u, c, em.weight * p));
                    }
                }
            }
            // M step.
            model = fit_assigned(params, names.clone(), vocab.clone(), idf.clone(), &docs, &assignments, n)?;
            previous = posteriors;
        }
        Ok((model, report))
    }
}

fn fit_assigned(
    params: &ValidParams,
    names: Vec<String>,
    vocab: Vocabulary,
    idf: Option<Vec<f64>>,
    docs: &[Sparse],
    assignments: &[Assignment],
    labelled_docs: usize,
) -> Result<Model> {
    let k = names.len();
    let mut class_weight = vec![0f64; k];
    let mut class_docs = vec![0usize; k];
    for &(i, c, w) in assignments {
        class_weight[c] += w;
        if i < labelled_docs {
            class_docs[c] += 1;
        }
    }
    let (weights, bias) = fit_weights(params, docs, assignments, &class_weight, vocab.len())?;
    let class_log_prior = priors(&params.get().priors, &names, &class_weight)?;
    // A model that loading would refuse is never written: extreme smoothing (an --alpha
    // that underflows next to the counts, or overflows times the vocabulary) is an error.
    if let Some(why) = crate::format::parameters_problem(&weights, k, vocab.len(), &class_log_prior, &bias) {
        return Err(Error::BadTrainingData(format!(
            "the fitted weights are not all finite numbers in range ({why}): --alpha is too extreme for this data"
        )));
    }
    let summary = TrainingSummary { documents: labelled_docs, documents_per_label: class_docs, temperature_folds: 0 };
    Ok(Model::assemble(params.clone(), names, vocab, idf, class_log_prior, weights, bias, summary))
}

fn priors(priors: &Priors, names: &[String], class_weight: &[f64]) -> Result<Vec<f64>> {
    let n: f64 = class_weight.iter().sum();
    Ok(match priors {
        Priors::Fitted => class_weight.iter().map(|&c| (c / n).ln()).collect(),
        Priors::Uniform => vec![-(names.len() as f64).ln(); names.len()],
        Priors::Given(given) => {
            let mut p = Vec::with_capacity(names.len());
            for name in names {
                let v = given
                    .iter()
                    .find(|(l, _)| l == name)
                    .map(|(_, v)| *v)
                    .ok_or_else(|| Error::BadTrainingData(format!("--priors gives no prior for label '{name}'")))?;
                p.push(v);
            }
            // Normalised in logs, through the largest: numbers near f64::MAX would make
            // a plain sum infinite, and every prior zero.
            let max = p.iter().copied().fold(0.0, f64::max);
            let ln_total = max.ln() + p.iter().map(|v| v / max).sum::<f64>().ln();
            p.into_iter().map(|v| v.ln() - ln_total).collect()
        }
    })
}

/// Per-class sums of weighted feature values (or of weighted presence), as sparse lists
/// of `(term, sum)` in term order. Each class adds its documents in assignment order
/// into a dense accumulator, so the floating-point result is the same on every run and
/// for every thread count.
fn class_sums(
    docs: &[Sparse],
    assignments: &[Assignment],
    n_classes: usize,
    n_terms: usize,
    presence: bool,
) -> Vec<Vec<(u32, f64)>> {
    let mut by_class: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_classes];
    for &(i, c, w) in assignments {
        by_class[c].push((i, w));
    }
    by_class
        .par_iter()
        .map_init(
            // Per rayon job (a few per thread): a dense sum per term, and which terms
            // it touched.
            || (vec![0f64; n_terms], vec![false; n_terms]),
            |(sum, seen), members| {
                let mut touched: Vec<u32> = Vec::new();
                for &(i, w) in members {
                    for &(j, v) in &docs[i] {
                        let at = j as usize;
                        if !seen[at] {
                            seen[at] = true;
                            touched.push(j);
                        }
                        sum[at] += w * if presence { 1.0 } else { v };
                    }
                }
                touched.sort_unstable();
                let mut out: Vec<(u32, f64)> = Vec::with_capacity(touched.len());
                for j in touched {
                    let at = j as usize;
                    if sum[at] > 0.0 {
                        out.push((j, sum[at]));
                    }
                    sum[at] = 0.0;
                    seen[at] = false;
                }
                out
            },
        )
        .collect()
}

/// Compressed columns of per-class values: for each term, the classes it occurs in.
fn columns(
    per_class: &[Vec<(u32, f64)>],
    n_terms: usize,
    value: impl Fn(usize, u32, f64) -> f64,
) -> (Vec<u32>, Vec<u16>, Vec<f64>) {
    let mut start = vec![0u32; n_terms + 1];
    for list in per_class {
        for &(j, _) in list {
            start[j as usize + 1] += 1;
        }
    }
    for j in 0..n_terms {
        start[j + 1] += start[j];
    }
    let nnz = start[n_terms] as usize;
    let mut fill = start.clone();
    let mut class = vec![0u16; nnz];
    let mut delta = vec![0f64; nnz];
    for (c, list) in per_class.iter().enumerate() {
        for &(j, v) in list {
            let at = fill[j as usize] as usize;
            class[at] = c as u16;
            delta[at] = value(c, j, v);
            fill[j as usize] += 1;
        }
    }
    (start, class, delta)
}

/// The factored class-by-term weights and a per-class bias.
fn fit_weights(
    params: &ValidParams,
    docs: &[Sparse],
    assignments: &[Assignment],
    class_weight: &[f64],
    n_terms: usize,
) -> Result<(Weights, Vec<f64>)> {
    let n_classes = class_weight.len();
    if n_classes > usize::from(u16::MAX) {
        return Err(Error::BadTrainingData(format!("{n_classes} labels; at most {} are supported", u16::MAX)));
    }
    if (docs.iter().map(Vec::len).sum::<usize>() as u64) > u64::from(u32::MAX) {
        return Err(Error::BadTrainingData("more than 4 billion (term, document) pairs; sample the data".into()));
    }
    let p = params.get();
    let alpha = p.alpha;
    let v = n_terms as f64;
    match p.variant {
        Variant::Multinomial => {
            let sums = class_sums(docs, assignments, n_classes, n_terms, false);
            let ln_total: Vec<f64> =
                sums.iter().map(|l| (l.iter().map(|x| x.1).sum::<f64>() + alpha * v).ln()).collect();
            let (start, class, delta) = columns(&sums, n_terms, |_, _, f| (f + alpha).ln() - alpha.ln());
            let w = Weights {
                scale: vec![1.0; n_classes],
                offset: ln_total.iter().map(|t| alpha.ln() - t).collect(),
                base: Vec::new(),
                start,
                class,
                delta,
            };
            Ok((w, vec![0.0; n_classes]))
        }
        Variant::Complement => {
            let sums = class_sums(docs, assignments, n_classes, n_terms, false);
            let mut all = vec![0f64; n_terms];
            for list in &sums {
                for &(j, f) in list {
                    all[j as usize] += f;
                }
            }
            let grand: f64 = all.iter().sum();
            let base: Vec<f64> = all.iter().map(|a| (a + alpha).ln()).collect();
            let (start, class, delta) =
                columns(&sums, n_terms, |_, j, f| (all[j as usize] - f + alpha).max(alpha).ln() - base[j as usize]);
            let ln_total: Vec<f64> =
                sums.iter().map(|l| (grand - l.iter().map(|x| x.1).sum::<f64>() + alpha * v).ln()).collect();
            let base_sum: f64 = base.iter().sum();
            let mut delta_sum = vec![0f64; n_classes];
            for (i, &c) in class.iter().enumerate() {
                delta_sum[c as usize] += delta[i];
            }
            let (scale, offset) = if p.weight_norm {
                // w = logged / sum_j logged, with logged = base + delta - ln_total, times
                // the mean of |sum_j logged| over classes. Rennie's normalisation alone
                // leaves weights of about 1/V, so scores that differ by 1e-4: far too
                // flat for calibration, EM or explanations. One positive factor for all
                // classes changes no decision and brings the scores back to the scale of
                // log-probabilities.
                let sums: Vec<f64> = (0..n_classes).map(|c| base_sum + delta_sum[c] - v * ln_total[c]).collect();
                let mean = sums.iter().map(|s| s.abs()).sum::<f64>() / n_classes as f64;
                if !(mean.is_finite() && sums.iter().all(|&s| s != 0.0 && s.is_finite())) {
                    return Err(Error::BadTrainingData(
                        "--weight-norm needs at least two terms with different weights; the vocabulary is too small"
                            .into(),
                    ));
                }
                sums.iter().zip(&ln_total).map(|(&s, &t)| (mean / s, -t * mean / s)).unzip()
            } else {
                // w = -logged.
                (vec![-1.0; n_classes], ln_total.clone())
            };
            Ok((Weights { scale, offset, base, start, class, delta }, vec![0.0; n_classes]))
        }
        Variant::Bernoulli => {
            // With p = (d + alpha) / (n + 2 alpha) for a term in d of a class's n documents,
            // ln p and ln(1 - p) are taken as differences of logarithms of counts, never
            // as ln(1 - p) of a p rounded to 1 (a term in every document, a tiny alpha).
            let df = class_sums(docs, assignments, n_classes, n_terms, true);
            let n_c = class_weight;
            let ln_p = |c: usize, d: f64| (d + alpha).ln() - (n_c[c] + 2.0 * alpha).ln();
            let ln_not_p = |c: usize, d: f64| ((n_c[c] - d).max(0.0) + alpha).ln() - (n_c[c] + 2.0 * alpha).ln();
            let offset: Vec<f64> = (0..n_classes).map(|c| ln_p(c, 0.0) - ln_not_p(c, 0.0)).collect();
            let (start, class, delta) = columns(&df, n_terms, |c, _, d| ln_p(c, d) - ln_not_p(c, d) - offset[c]);
            let bias: Vec<f64> = (0..n_classes)
                .map(|c| {
                    let seen: f64 = df[c].iter().map(|&(_, d)| ln_not_p(c, d)).sum();
                    (v - df[c].len() as f64) * ln_not_p(c, 0.0) + seen
                })
                .collect();
            Ok((Weights { scale: vec![1.0; n_classes], offset, base: Vec::new(), start, class, delta }, bias))
        }
    }
}
