//! Deterministic data for the unit tests: a xorshift stream of values in [-0.5, 0.5),
//! as vectors or as matrices of any element type (complex entries take two values).

use crate::scalar::{Real, Scalar};
use faer::Mat;

/// The stream for `seed`.
fn stream(seed: u64) -> impl FnMut() -> f64 {
    let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
    move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }
}

/// `len` values of the stream for `seed`.
pub fn values(len: usize, seed: u64) -> Vec<f64> {
    let mut next = stream(seed);
    (0..len).map(|_| next()).collect()
}

/// A `rows × cols` matrix filled column by column from the stream for `seed`.
pub fn matrix<T: Scalar>(rows: usize, cols: usize, seed: u64) -> Mat<T> {
    let mut next = stream(seed);
    Mat::from_fn(rows, cols, |_, _| {
        let re = next();
        let im = if T::COMPLEX { next() } else { 0.0 };
        T::from_parts(T::Re::from_f64(re), T::Re::from_f64(im))
    })
}

/// A symmetric n×n matrix: `G + Gᵀ` for the matrix of the stream for `seed`.
pub fn symmetric(n: usize, seed: u64) -> Mat<f64> {
    let g = matrix::<f64>(n, n, seed);
    Mat::from_fn(n, n, |i, j| g[(i, j)] + g[(j, i)])
}
