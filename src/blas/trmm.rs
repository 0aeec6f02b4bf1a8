//! Triangular matrix product (?TRMM): `B := alpha·op(A)·B` (left) or `alpha·B·op(A)`
//! (right), op(A) = A, Aᵀ or Aᴴ.
//!
//! As [`trsm`](super::trsm): every case becomes a left product with a lower or upper
//! triangle by viewing transposes, and the left product recurses into two half-size
//! products around one [`gemm`](super::gemm::gemm) update, so nearly all the work runs
//! in the blocked engine. The small diagonal blocks at the bottom of the recursion are
//! made dense (zeros outside the triangle) and multiplied by gemm too.

use super::gemm::{self, scale};
use super::{Diag, Par, Side, Trans, Uplo};
use crate::scalar::Scalar;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut, MatRef};

/// Order below which a diagonal block is multiplied as a dense block.
const BASE: usize = 64;

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
    match side {
        Side::Left => product_left(par, t, uplo, conj, diag, alpha, b),
        // B·T = (Tᵀ·Bᵀ)ᵀ
        Side::Right => product_left(
            par,
            t.transpose(),
            uplo.flip(),
            conj,
            diag,
            alpha,
            b.transpose_mut(),
        ),
    }
}

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
        let dense = Mat::from_fn(k, k, |i, j| {
            let inside = match uplo {
                Uplo::Upper => i < j,
                Uplo::Lower => i > j,
            };
            if i == j && diag == Diag::Unit {
                T::one()
            } else if inside || i == j {
                t[(i, j)]
            } else {
                T::zero()
            }
        });
        let copy = b.rb().to_owned();
        gemm::gemm(
            par,
            alpha,
            dense.as_ref(),
            conj,
            copy.as_ref(),
            false,
            T::zero(),
            b,
        );
        return;
    }
    let k1 = (k / 2).next_multiple_of(8).min(k - 1);
    let (t11, t12, t21, t22) = (
        t.submatrix(0, 0, k1, k1),
        t.submatrix(0, k1, k1, k - k1),
        t.submatrix(k1, 0, k - k1, k1),
        t.submatrix(k1, k1, k - k1, k - k1),
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::{Real, c64};
    use crate::test_data::matrix;

    /// op(A)·B or B·op(A) against a naive product with the dense triangle, for every
    /// side, triangle, transposition, conjugation and diagonal, sizes across the
    /// recursion's base, NaN wherever A must not be read; the same bits on 1, 2, 3 and 8
    /// threads.
    fn every_case<T: Scalar>() {
        let arch = crate::arch::detected();
        for &(m, n) in &[(1, 1), (7, 5), (64, 3), (65, 70), (150, 33), (33, 150)] {
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
