//! QR factorization `A = Q·R` (`geqrf`) and forming Q from it (`orgqr`/`ungqr`), in
//! reference LAPACK's storage: R on and above the diagonal, reflector k's tail below
//! it in column k, `Q = H₀·H₁···H_{k−1}` with `H_i = I − τᵢ·vᵢ·vᵢᴴ`.
//!
//! Both are blocked on [`householder`]'s compact-WY reflectors, so their bulk is gemm.

use super::householder::{
    PanelReflector, apply_block_left, apply_block_left_adjoint, block_reflector, panel_qr,
};
use crate::blas::Par;
use crate::scalar::Scalar;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{MatMut, MatRef};

/// Block width: columns factored as one panel, and reflectors applied as one block.
pub const NB: usize = 64;

/// The workspace `lwork = −1` reports for `geqrf` and `orgqr` (n columns): reference's
/// n·NB. The kernels keep their own buffers, so any valid `lwork` is enough.
pub fn optimal_work(n: usize) -> usize {
    (n * NB).max(1)
}

/// Factors the column-major `a` (m×n) in place; `tau` receives min(m, n) scalars.
pub fn geqrf<T: Scalar>(par: Par<'_>, mut a: MatMut<'_, T>, tau: &mut [T]) {
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    debug_assert_eq!(tau.len(), k);
    for j in (0..k).step_by(NB) {
        let jb = NB.min(k - j);
        let (left, right) = a.rb_mut().split_at_col_mut(j + jb);
        let mut panel = left.submatrix_mut(j, j, m - j, jb);
        panel_qr(par, panel.rb_mut(), &mut tau[j..j + jb]);
        if j + jb < n {
            PanelReflector::of(par, panel.rb(), &tau[j..j + jb])
                .apply_adjoint(par, right.subrows_mut(j, m - j));
        }
    }
}

/// Overwrites `a` (m×n, m ≥ n, holding `tau.len()` = k ≤ n reflectors as `geqrf` left
/// them) with the first n columns of Q.
pub fn orgqr<T: Scalar>(par: Par<'_>, mut a: MatMut<'_, T>, tau: &[T]) {
    let (m, n) = (a.nrows(), a.ncols());
    let k = tau.len();
    debug_assert!(m >= n && n >= k);
    // Every block's reflectors, copied out before A is overwritten with the identity.
    let blocks: Vec<_> = (0..k)
        .step_by(NB)
        .map(|j| {
            let jb = NB.min(k - j);
            let (v, t) = block_reflector(par, a.rb().submatrix(j, j, m - j, jb), &tau[j..j + jb]);
            (j, v, t)
        })
        .collect();
    a.fill(T::zero());
    for i in 0..n {
        a[(i, i)] = T::one();
    }
    // Q·I = H₀(H₁(···(H_{k−1}·I))): the last block first. A block starting at column j
    // only touches rows j.., where the columns left of j are still the identity's.
    for (j, v, t) in blocks.iter().rev() {
        let j = *j;
        apply_block_left(
            par,
            v.as_ref(),
            t.as_ref(),
            a.rb_mut().submatrix_mut(j, j, m - j, n - j),
        );
    }
}

/// `x := Qᴴ·x` for the Q that `geqrf` left in `a` (m×n) and `tau`, x with m rows
/// (reference ?ORMQR / ?UNMQR, side L, trans T or C).
pub fn apply_qh<T: Scalar>(par: Par<'_>, a: MatRef<'_, T>, tau: &[T], mut x: MatMut<'_, T>) {
    let m = a.nrows();
    let k = tau.len();
    // Qᴴ = H_{k−1}ᴴ···H₀ᴴ: the first block first.
    for j in (0..k).step_by(NB) {
        let jb = NB.min(k - j);
        let (v, t) = block_reflector(par, a.submatrix(j, j, m - j, jb), &tau[j..j + jb]);
        apply_block_left_adjoint(
            par,
            v.as_ref(),
            t.as_ref(),
            x.rb_mut().subrows_mut(j, m - j),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::{Real, c32, c64};
    use faer::Mat;

    fn rnd(seed: &mut u64) -> f64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }

    /// Q·R = A and QᴴQ = I, for shapes across the block width, in every type.
    fn check<T: Scalar>(make: impl Fn(f64, f64) -> T, tol: f64) {
        let par = Par::seq(crate::arch::detected());
        let mut seed = 5u64;
        for (m, n) in [
            (1, 1),
            (5, 3),
            (3, 5),
            (70, 70),
            (150, 66),
            (66, 150),
            (200, 130),
        ] {
            let a0 = Mat::from_fn(m, n, |_, _| make(rnd(&mut seed), rnd(&mut seed)));
            let mut a = a0.clone();
            let k = m.min(n);
            let mut tau = vec![T::zero(); k];
            geqrf(par, a.as_mut(), &mut tau);
            let r = Mat::from_fn(k, n, |i, j| if i <= j { a[(i, j)] } else { T::zero() });
            let mut q = a.as_ref().subcols(0, k).to_owned();
            orgqr(par, q.as_mut(), &tau);
            for i in 0..m {
                for j in 0..n {
                    let mut s = T::zero();
                    for l in 0..k {
                        s += q[(i, l)] * r[(l, j)];
                    }
                    let err = (s - a0[(i, j)]).modulus().to_f64();
                    assert!(err < tol, "{} {m}x{n} QR ({i},{j}): {err}", T::LETTER);
                }
            }
            for i in 0..k {
                for j in 0..k {
                    let mut s = T::zero();
                    for l in 0..m {
                        s += q[(l, i)].conjugate() * q[(l, j)];
                    }
                    let want = if i == j { T::one() } else { T::zero() };
                    let err = (s - want).modulus().to_f64();
                    assert!(err < tol, "{} {m}x{n} QᴴQ ({i},{j}): {err}", T::LETTER);
                }
            }
        }
    }

    #[test]
    fn factors_reproduce_the_matrix_in_every_type() {
        check::<f64>(|re, _| re, 1e-13);
        check::<f32>(|re, _| re as f32, 2e-5);
        check::<c64>(c64::new, 1e-13);
        check::<c32>(|re, im| c32::new(re as f32, im as f32), 2e-5);
    }

    /// Complex reflectors leave R's diagonal real, as reference ZGEQRF's do.
    #[test]
    fn complex_r_has_a_real_diagonal() {
        let par = Par::seq(crate::arch::detected());
        let mut seed = 17u64;
        let mut a = Mat::from_fn(90, 80, |_, _| c64::new(rnd(&mut seed), rnd(&mut seed)));
        let mut tau = vec![c64::new(0.0, 0.0); 80];
        geqrf(par, a.as_mut(), &mut tau);
        for i in 0..80 {
            assert_eq!(a[(i, i)].im, 0.0, "R({i},{i})");
        }
    }
}
