//! Triangular matrix product (?TRMM): `B := alpha·op(A)·B` (left) or `alpha·B·op(A)`
//! (right), op(A) = A, Aᵀ or Aᴴ.
//!
//! As [`trsm`](super::trsm): every case becomes a left product with a lower or upper
//! triangle by viewing transposes, and the left product recurses into two half-size
//! products around one [`gemm`](super::gemm::gemm) update, so nearly all the work runs
//! in the blocked engine. The small diagonal blocks at the bottom of the recursion are
//! multiplied in registers, eight columns of B at a time (as trsm's substitution).

use super::gemm::{self, scale};
use super::trsm::{by_columns, quadrants};
use super::{Diag, Par, Side, Trans, Uplo};
use crate::scalar::Scalar;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{MatMut, MatRef};

/// Order below which a diagonal block is multiplied in registers ([`multiply`]).
const BASE: usize = 16;

/// Multiplies in place. Only the `uplo` triangle of A is read, its diagonal only when
/// `diag` is non-unit; `conj` conjugates A (with `trans`: Aᴴ). alpha = 0 sets B to zero
/// without reading A.
#[allow(clippy::too_many_arguments)]
pub fn trmm<T: Scalar>(
    par: Par<'_>,
    side: Side,
    uplo: Uplo,
    trans: Trans,
    conj: bool,
    diag: Diag,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatMut<'_, T>,
) {
    if b.nrows() == 0 || b.ncols() == 0 {
        return;
    }
    if alpha.is_zero() {
        return scale(b, T::zero());
    }
    let (t, uplo) = match trans {
        Trans::No => (a, uplo),
        Trans::Yes => (a.transpose(), uplo.flip()),
    };
    let (t, uplo, b) = match side {
        Side::Left => (t, uplo, b),
        // B·T = (Tᵀ·Bᵀ)ᵀ
        Side::Right => (t.transpose(), uplo.flip(), b.transpose_mut()),
    };
    let k = t.nrows();
    if k.saturating_mul(k).saturating_mul(b.ncols()) < SERIAL_KKN {
        return product_left(Par::seq(par.arch), t, uplo, conj, diag, alpha, b);
    }
    // Many columns: each member multiplies its own (as trsm solves).
    by_columns(par, b, |par, b| {
        product_left(par, t, uplo, conj, diag, alpha, b)
    });
}

/// Below this k²·(columns of B) a product stays on the caller's thread.
const SERIAL_KKN: usize = 128 * 128 * 128;

/// B := alpha·op(T)·B for a triangular T (rows × rows).
fn product_left<T: Scalar>(
    par: Par<'_>,
    t: MatRef<'_, T>,
    uplo: Uplo,
    conj: bool,
    diag: Diag,
    alpha: T,
    mut b: MatMut<'_, T>,
) {
    let k = t.nrows();
    if k <= BASE {
        return multiply(t, uplo, conj, diag, alpha, b);
    }
    let (k1, [t11, t12, t21, t22]) = quadrants(t);
    let (mut b1, mut b2) = b.rb_mut().split_at_row_mut(k1);
    match uplo {
        // [B1; B2] := [T11 T12; 0 T22]·[B1; B2]: B1 first, while B2 is still the input.
        Uplo::Upper => {
            product_left(par, t11, uplo, conj, diag, alpha, b1.rb_mut());
            gemm::gemm(par, alpha, t12, conj, b2.rb(), false, T::one(), b1.rb_mut());
            product_left(par, t22, uplo, conj, diag, alpha, b2);
        }
        // [B1; B2] := [T11 0; T21 T22]·[B1; B2]: B2 first, while B1 is still the input.
        Uplo::Lower => {
            product_left(par, t22, uplo, conj, diag, alpha, b2.rb_mut());
            gemm::gemm(par, alpha, t21, conj, b1.rb(), false, T::one(), b2.rb_mut());
            product_left(par, t11, uplo, conj, diag, alpha, b1);
        }
    }
}

/// B := alpha·T·B for a triangle of order ≤ [`BASE`], on a local copy of the triangle,
/// eight columns of B at a time so the arithmetic runs across SIMD lanes. Row i of the
/// result needs rows i.. (upper) or ..=i (lower) of B, so the rows are overwritten
/// downwards (upper) or upwards (lower).
fn multiply<T: Scalar>(
    t: MatRef<'_, T>,
    uplo: Uplo,
    conj: bool,
    diag: Diag,
    alpha: T,
    mut b: MatMut<'_, T>,
) {
    const W: usize = 8;
    let k = t.nrows();
    let mut tri = [T::zero(); BASE * BASE];
    for i in 0..k {
        for p in 0..k {
            let inside = match uplo {
                Uplo::Lower => p < i,
                Uplo::Upper => p > i,
            };
            if inside || (p == i && diag == Diag::NonUnit) {
                let v = t[(i, p)];
                tri[i * BASE + p] = if conj { v.conjugate() } else { v };
            } else if p == i {
                tri[i * BASE + p] = T::one();
            }
        }
    }
    let n = b.ncols();
    let mut x = [[T::zero(); W]; BASE];
    for j0 in (0..n).step_by(W) {
        let w = W.min(n - j0);
        for (i, xi) in x.iter_mut().enumerate().take(k) {
            for l in 0..w {
                xi[l] = b[(i, j0 + l)];
            }
        }
        for step in 0..k {
            let i = if uplo == Uplo::Upper {
                step
            } else {
                k - 1 - step
            };
            let range = match uplo {
                Uplo::Upper => i..k,
                Uplo::Lower => 0..i + 1,
            };
            let mut s = [T::zero(); W];
            for p in range {
                let tp = tri[i * BASE + p];
                for l in 0..W {
                    s[l] += tp * x[p][l];
                }
            }
            // Row i is final: the rows still to come read only rows not yet written.
            for l in 0..w {
                b[(i, j0 + l)] = alpha * s[l];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::{Real, c64};
    use crate::test_data::matrix;
    use faer::Mat;

    /// op(A)·B or B·op(A) against a naive product with the dense triangle, for every
    /// side, triangle, transposition, conjugation and diagonal, sizes across the
    /// recursion's base, NaN wherever A must not be read; the same bits on 1, 2, 3 and 8
    /// threads.
    fn every_case<T: Scalar>() {
        let arch = crate::arch::detected();
        for &(m, n) in &[
            (1, 1),
            (7, 5),
            (64, 3),
            (65, 70),
            (150, 33),
            (33, 150),
            (200, 300),
        ] {
            for side in [Side::Left, Side::Right] {
                for uplo in [Uplo::Upper, Uplo::Lower] {
                    for trans in [Trans::No, Trans::Yes] {
                        for conj in if T::COMPLEX {
                            vec![false, true]
                        } else {
                            vec![false]
                        } {
                            for diag in [Diag::Unit, Diag::NonUnit] {
                                let k = if side == Side::Left { m } else { n };
                                let full = matrix::<T>(k, k, 5);
                                let inside = |i: usize, j: usize| match uplo {
                                    Uplo::Upper => i <= j,
                                    Uplo::Lower => i >= j,
                                };
                                let nan = T::from_real(<T::Re as Real>::from_f64(f64::NAN));
                                let a = Mat::from_fn(k, k, |i, j| {
                                    if (i == j && diag == Diag::Unit) || !inside(i, j) {
                                        nan
                                    } else {
                                        full[(i, j)]
                                    }
                                });
                                let dense = Mat::from_fn(k, k, |i, j| {
                                    let v = if i == j && diag == Diag::Unit {
                                        T::one()
                                    } else if inside(i, j) {
                                        full[(i, j)]
                                    } else {
                                        T::zero()
                                    };
                                    if conj { v.conjugate() } else { v }
                                });
                                let op = match trans {
                                    Trans::No => dense.clone(),
                                    Trans::Yes => dense.transpose().to_owned(),
                                };
                                let b0 = matrix::<T>(m, n, 6);
                                let alpha = T::from_parts(
                                    <T::Re as Real>::from_f64(-1.5),
                                    <T::Re as Real>::from_f64(0.5),
                                );
                                let runs: Vec<Mat<T>> = [1, 2, 3, 8]
                                    .iter()
                                    .map(|&threads| {
                                        let par = Par {
                                            arch,
                                            threads,
                                            launch: &crate::runtime::launch,
                                        };
                                        let mut b = b0.clone();
                                        trmm(
                                            par,
                                            side,
                                            uplo,
                                            trans,
                                            conj,
                                            diag,
                                            alpha,
                                            a.as_ref(),
                                            b.as_mut(),
                                        );
                                        b
                                    })
                                    .collect();
                                for r in &runs[1..] {
                                    assert!(r == &runs[0], "thread count changed the result");
                                }
                                for i in 0..m {
                                    for j in 0..n {
                                        let (want, mag) =
                                            (0..k).fold((T::zero(), 0.0), |(s, g), p| {
                                                let t = if side == Side::Left {
                                                    op[(i, p)] * b0[(p, j)]
                                                } else {
                                                    b0[(i, p)] * op[(p, j)]
                                                };
                                                (s + t, g + t.modulus().to_f64())
                                            });
                                        let want = alpha * want;
                                        let err = (runs[0][(i, j)] - want).modulus().to_f64();
                                        let tol = 8.0
                                            * (k + 1) as f64
                                            * <T::Re as Real>::EPS.to_f64()
                                            * 2.0
                                            * mag;
                                        assert!(
                                            err <= tol,
                                            "{side:?} {uplo:?} {trans:?} conj={conj} {diag:?} {m}x{n} ({i},{j}): {err} > {tol}"
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn trmm_matches_the_dense_product_double() {
        every_case::<f64>();
    }

    #[test]
    fn trmm_matches_the_dense_product_complex() {
        every_case::<c64>();
    }

    #[test]
    fn alpha_zero_zeroes_b_without_reading_a() {
        let mut b = matrix::<f64>(4, 3, 1);
        let a = Mat::<f64>::from_fn(4, 4, |_, _| f64::NAN);
        let par = Par::seq(crate::arch::detected());
        trmm(
            par,
            Side::Left,
            Uplo::Upper,
            Trans::No,
            false,
            Diag::NonUnit,
            0.0,
            a.as_ref(),
            b.as_mut(),
        );
        assert!(b.col_iter().all(|c| c.iter().all(|&v| v == 0.0)));
    }
}
