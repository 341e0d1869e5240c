//! Scoring predictions, and splitting data into folds grouped by article.

use serde::Serialize;

/// Precision, recall, F1 and support of one label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelScore {
    /// The label.
    pub label: String,
    /// Of the predictions of this label, the fraction right.
    pub precision: f64,
    /// Of the examples of this label, the fraction found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Examples of this label.
    pub support: usize,
}

/// Scores of a set of predictions against true labels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Examples scored.
    pub n: usize,
    /// Fraction predicted right.
    pub accuracy: f64,
    /// Unweighted mean of the per-label F1 over labels with support or predictions.
    pub macro_f1: f64,
    /// Per-label scores, in label order.
    pub per_label: Vec<LabelScore>,
    /// `confusion[true][predicted]` counts, in label order.
    pub confusion: Vec<Vec<usize>>,
}

impl Metrics {
    /// Scores `predicted` against `truth` (label indices into `labels`).
    pub fn compute(labels: &[String], truth: &[usize], predicted: &[usize]) -> Metrics {
        let k = labels.len();
        let mut confusion = vec![vec![0usize; k]; k];
        for (&t, &p) in truth.iter().zip(predicted) {
            confusion[t][p] += 1;
        }
        let n = truth.len();
        let correct: usize = (0..k).map(|c| confusion[c][c]).sum();
        let mut per_label = Vec::with_capacity(k);
        let mut f1s = Vec::new();
        for c in 0..k {
            let tp = confusion[c][c] as f64;
            let support: usize = confusion[c].iter().sum();
            let predicted_c: usize = (0..k).map(|t| confusion[t][c]).sum();
            let precision = if predicted_c > 0 { tp / predicted_c as f64 } else { 0.0 };
            let recall = if support > 0 { tp / support as f64 } else { 0.0 };
            let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
            if support > 0 || predicted_c > 0 {
                f1s.push(f1);
            }
            per_label.push(LabelScore { label: labels[c].clone(), precision, recall, f1, support });
        }
        let macro_f1 = if f1s.is_empty() { 0.0 } else { f1s.iter().sum::<f64>() / f1s.len() as f64 };
        let accuracy = if n > 0 { correct as f64 / n as f64 } else { 0.0 };
        Metrics { n, accuracy, macro_f1, per_label, confusion }
    }
}

/// Assigns each example to one of `k` folds so that all examples of a group share a
/// fold and each fold's label mix is close to the whole's (stratified group k-fold).
///
/// Groups are placed largest first (ties broken by a seeded hash of the group name, so
/// the split is fixed for a seed), each into the fold where it adds least to the
/// squared excess of per-label counts over their per-fold targets.
pub fn group_folds(labels: &[usize], groups: &[&str], n_labels: usize, k: usize, seed: u64) -> Vec<usize> {
    use std::collections::BTreeMap;
    let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        by_group.entry(g).or_default().push(i);
    }
    let mut order: Vec<(&str, Vec<usize>)> = by_group.into_iter().collect();
    order.sort_by_key(|(g, members)| (std::cmp::Reverse(members.len()), fnv1a(g, seed)));
    let mut totals = vec![0f64; n_labels];
    for &l in labels {
        totals[l] += 1.0;
    }
    let target: Vec<f64> = totals.iter().map(|t| t / k as f64).collect();
    let mut counts = vec![vec![0f64; n_labels]; k];
    let mut sizes = vec![0usize; k];
    let mut fold_of = vec![0usize; labels.len()];
    for (_, members) in order {
        let mut add = vec![0f64; n_labels];
        for &i in &members {
            add[labels[i]] += 1.0;
        }
        let cost = |f: usize| -> f64 {
            (0..n_labels)
                .map(|l| {
                    let after = counts[f][l] + add[l] - target[l];
                    let before = counts[f][l] - target[l];
                    after.max(0.0).powi(2) - before.max(0.0).powi(2)
                })
                .sum()
        };
        let best = (0..k)
            .min_by(|&a, &b| cost(a).total_cmp(&cost(b)).then(sizes[a].cmp(&sizes[b])).then(a.cmp(&b)))
            .expect("k >= 1");
        for &i in &members {
            fold_of[i] = best;
        }
        for l in 0..n_labels {
            counts[best][l] += add[l];
        }
        sizes[best] += members.len();
    }
    fold_of
}

/// FNV-1a, 64-bit, of a string, mixed with a seed: a stable hash for fixed rules.
pub fn fnv1a(s: &str, seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_by_hand() {
        let labels = vec!["a".to_string(), "b".to_string()];
        // truth a a a b, predicted a a b b: a P=1 R=2/3 F1=0.8; b P=0.5 R=1 F1=2/3.
        let m = Metrics::compute(&labels, &[0, 0, 0, 1], &[0, 0, 1, 1]);
        assert_eq!(m.accuracy, 0.75);
        assert!((m.macro_f1 - (0.8 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        assert_eq!(m.confusion, vec![vec![2, 1], vec![0, 1]]);
    }

    #[test]
    fn groups_never_straddle_folds_and_folds_are_balanced() {
        let groups: Vec<String> = (0..100).map(|i| format!("article-{}", i / 3)).collect();
        let g: Vec<&str> = groups.iter().map(String::as_str).collect();
        let labels: Vec<usize> = (0..100).map(|i| (i / 3) % 4).collect();
        let folds = group_folds(&labels, &g, 4, 5, 42);
        for i in 0..100 {
            for j in 0..100 {
                if g[i] == g[j] {
                    assert_eq!(folds[i], folds[j]);
                }
            }
        }
        for f in 0..5 {
            let size = folds.iter().filter(|&&x| x == f).count();
            assert!((17..=23).contains(&size), "fold {f} has {size}");
        }
        assert_eq!(folds, group_folds(&labels, &g, 4, 5, 42), "same seed, same folds");
    }
}
