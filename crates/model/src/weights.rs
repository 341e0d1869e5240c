//! Class-by-term weights in factored sparse form.
//!
//! Every naive Bayes variant here gives a weight `w[c][j]` that is the same affine
//! function of a per-term base for all terms class `c` never saw; only the terms it did
//! see need their own value. So the matrix is stored as
//!
//! ```text
//! w[c][j] = scale[c] * (base[j] + delta[c][j]) + offset[c]
//! ```
//!
//! with `delta` sparse, column by column (the classes each term occurs in). Memory and
//! scoring time grow with the number of (term, class) pairs seen in training, not with
//! terms times classes.

use serde::Deserialize;

/// Factored sparse weights; see the module documentation.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub(crate) struct Weights {
    pub scale: Vec<f64>,
    pub offset: Vec<f64>,
    /// Per-term base; empty means all zeros.
    pub base: Vec<f64>,
    /// Column pointers: term `j`'s entries are `start[j]..start[j + 1]`.
    pub start: Vec<u32>,
    pub class: Vec<u16>,
    pub delta: Vec<f64>,
}

impl Weights {
    pub fn n_classes(&self) -> usize {
        self.scale.len()
    }

    /// The weight of term `j` for class `c`.
    pub fn get(&self, c: usize, j: usize) -> f64 {
        let (a, b) = (self.start[j] as usize, self.start[j + 1] as usize);
        let d = self.class[a..b].iter().position(|&k| k as usize == c).map_or(0.0, |i| self.delta[a + i]);
        let base = self.base.get(j).copied().unwrap_or(0.0);
        self.scale[c] * (base + d) + self.offset[c]
    }

    /// `out[c] = sum_j x_j * w[c][j]` for a sparse document `x`.
    pub fn scores(&self, x: &[(u32, f64)], out: &mut [f64]) {
        let mut base_dot = 0.0;
        let mut total = 0.0;
        let mut delta_dot = vec![0.0; self.n_classes()];
        for &(j, v) in x {
            let j = j as usize;
            total += v;
            if let Some(b) = self.base.get(j) {
                base_dot += v * b;
            }
            let (a, b) = (self.start[j] as usize, self.start[j + 1] as usize);
            for i in a..b {
                delta_dot[self.class[i] as usize] += v * self.delta[i];
            }
        }
        for (c, o) in out.iter_mut().enumerate() {
            *o = self.scale[c] * (base_dot + delta_dot[c]) + self.offset[c] * total;
        }
    }

    /// Whether every number is at most `max` in magnitude.
    pub fn is_bounded(&self, max: f64) -> bool {
        [&self.scale, &self.offset, &self.base, &self.delta].iter().all(|x| x.iter().all(|v| v.abs() <= max))
    }

    /// Checks the shape invariants of a decoded model.
    pub fn is_consistent(&self, k: usize, v: usize) -> bool {
        let n = self.class.len();
        self.scale.len() == k
            && self.offset.len() == k
            && (self.base.is_empty() || self.base.len() == v)
            && self.start.len() == v + 1
            && self.delta.len() == n
            && self.start.first() == Some(&0)
            && self.start.last().is_some_and(|&e| e as usize == n)
            && self.start.windows(2).all(|w| w[0] <= w[1])
            && self.class.iter().all(|&c| (c as usize) < k)
            && [&self.scale, &self.offset, &self.base, &self.delta].iter().all(|x| x.iter().all(|v| v.is_finite()))
    }
}
