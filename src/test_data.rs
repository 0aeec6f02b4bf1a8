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

/// Asserts that `u·diag(d)·vᵀ` is the upper bidiagonal (`d0`, `e0`) to `tol` in every
/// entry, and that U's and V's columns are orthonormal to `orth_tol`.
pub fn assert_bidiagonal_svd(
    d0: &[f64],
    e0: &[f64],
    d: &[f64],
    u: faer::MatRef<'_, f64>,
    v: faer::MatRef<'_, f64>,
    tol: f64,
    orth_tol: f64,
) {
    let n = d0.len();
    for i in 0..n {
        for j in 0..n {
            let b = if i == j {
                d0[i]
            } else if j == i + 1 {
                e0[i]
            } else {
                0.0
            };
            let r: f64 = (0..n).map(|p| u[(i, p)] * d[p] * v[(j, p)]).sum();
            assert!(
                (r - b).abs() <= tol,
                "n={n} B[{i},{j}] = {b}, UΣVᵀ gives {r}"
            );
        }
    }
    for (name, q) in [("U", u), ("V", v)] {
        for a in 0..n {
            for b in 0..n {
                let dot: f64 = (0..n).map(|p| q[(p, a)] * q[(p, b)]).sum();
                let want = if a == b { 1.0 } else { 0.0 };
                assert!(
                    (dot - want).abs() <= orth_tol,
                    "n={n} {name}ᵀ{name}[{a},{b}] = {dot}"
                );
            }
        }
    }
}
