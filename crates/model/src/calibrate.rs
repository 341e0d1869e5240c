//! Probability calibration by temperature scaling, and its measure.

use crate::log_sum_exp;

/// The temperature `t` minimising the negative log-likelihood of `softmax(jll / t)` on
/// held-out predictions: `jll[i]` are the joint log-likelihoods of example `i`, `y[i]`
/// its true label. Golden-section search over `ln t` in [ln 0.01, ln 10000].
pub fn fit_temperature(jll: &[Vec<f64>], y: &[usize]) -> f64 {
    // Rows where the true label could not be predicted (a fold without it) say nothing
    // about the temperature.
    let rows: Vec<(&Vec<f64>, &usize)> = jll.iter().zip(y).filter(|(row, &c)| row[c].is_finite()).collect();
    if rows.is_empty() {
        return 1.0;
    }
    let nll = |ln_t: f64| {
        let t = ln_t.exp();
        rows.iter()
            .copied()
            .map(|(row, &c)| {
                let scaled: Vec<f64> = row.iter().map(|v| v / t).collect();
                log_sum_exp(&scaled) - scaled[c]
            })
            .sum::<f64>()
    };
    let (mut a, mut b) = (0.01f64.ln(), 10_000f64.ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (nll(c), nll(d));
    for _ in 0..80 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = nll(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = nll(d);
        }
    }
    ((a + b) / 2.0).exp()
}

/// Expected calibration error over `bins` equal-width confidence bins: the mean, weighted
/// by bin size, of |accuracy - mean confidence|. `confidence[i]` is the probability of
/// the predicted label, `correct[i]` whether it was right.
pub fn expected_calibration_error(confidence: &[f64], correct: &[bool], bins: usize) -> f64 {
    let n = confidence.len();
    if n == 0 {
        return 0.0;
    }
    let mut count = vec![0usize; bins];
    let mut conf = vec![0f64; bins];
    let mut acc = vec![0f64; bins];
    for (&p, &ok) in confidence.iter().zip(correct) {
        let b = ((p * bins as f64) as usize).min(bins - 1);
        count[b] += 1;
        conf[b] += p;
        acc[b] += f64::from(u8::from(ok));
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| (count[b] as f64 / n as f64) * ((acc[b] - conf[b]) / count[b] as f64).abs())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overconfident_scores_get_a_temperature_above_one() {
        // Scores that say 0.9999 but are right only 3 times in 4.
        let jll = vec![vec![10.0, 0.0]; 4];
        let y = [0, 0, 0, 1];
        let t = fit_temperature(&jll, &y);
        // softmax(10/t) should be near 0.75: t = 10 / ln 3.
        assert!((t - 10.0 / 3f64.ln()).abs() < 1e-3, "t = {t}");
    }

    #[test]
    fn ece_is_zero_when_confidence_matches_accuracy() {
        let conf = [0.75, 0.75, 0.75, 0.75];
        assert!(expected_calibration_error(&conf, &[true, true, true, false], 10) < 1e-12);
        assert!((expected_calibration_error(&conf, &[true; 4], 10) - 0.25).abs() < 1e-12);
    }
}
