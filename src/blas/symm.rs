//! Symmetric and Hermitian matrix products (?SYMM, ?HEMM): `C := alpha·A·B + beta·C`
//! (left) or `alpha·B·A + beta·C` (right), A given by one triangle.
//!
//! A real symmetric A is packed by the blocked engine straight from its triangle
//! ([`gemm::symmetric_operand`]). Complex ones, and real ones below the engine's
//! crossing, are mirrored into a dense square once (k² copies against the 2·k²·n
//! flops of the product) for the [`gemm`](super::gemm::gemm) entry.

use super::{Par, Side, Uplo, gemm};
use crate::scalar::Scalar;
use faer::reborrow::ReborrowMut;
use faer::{Mat, MatMut, MatRef};

/// Reads only the `uplo` triangle of the k×k `a` (and, when `herm`, only the real part
/// of its diagonal); beta = 0 never reads C, alpha = 0 never reads A or B.
#[allow(clippy::too_many_arguments)]
pub fn symm<T: Scalar>(
    par: Par<'_>,
    side: Side,
    uplo: Uplo,
    herm: bool,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
) {
    if alpha.is_zero() {
        return gemm::scale(c, beta);
    }
    // A real symmetric A is packed by the blocked engine straight from its triangle.
    let left = side == Side::Left;
    let upper = uplo == Uplo::Upper;
    if !herm && gemm::symmetric_operand(par, left, upper, alpha, a, b, beta, c.rb_mut()).is_some() {
        return;
    }
    let full = mirrored(uplo, herm, a);
    match side {
        Side::Left => gemm::gemm(par, alpha, full.as_ref(), false, b, false, beta, c),
        Side::Right => gemm::gemm(par, alpha, b, false, full.as_ref(), false, beta, c),
    };
}

/// The dense symmetric (Hermitian, with a real diagonal) matrix one triangle gives.
fn mirrored<T: Scalar>(uplo: Uplo, herm: bool, a: MatRef<'_, T>) -> Mat<T> {
    let k = a.nrows();
    let stored = |i: usize, j: usize| match uplo {
        Uplo::Upper => i <= j,
        Uplo::Lower => i >= j,
    };
    Mat::from_fn(k, k, |i, j| {
        if i == j && herm {
            T::from_real(a[(i, i)].re())
        } else if stored(i, j) {
            a[(i, j)]
        } else if herm {
            a[(j, i)].conjugate()
        } else {
            a[(j, i)]
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::{Real, c64};
    use crate::test_data::matrix;

    /// Against naive sums over the mirrored matrix, with NaN in the triangle not stored
    /// and (Hermitian) an imaginary part on the diagonal that must be ignored; the same
    /// bits on 1, 2, 3 and 8 threads.
    fn every_case<T: Scalar>(herm: bool) {
        let arch = crate::arch::detected();
        for &(m, n) in &[(1, 1), (5, 9), (130, 70), (40, 200)] {
            for side in [Side::Left, Side::Right] {
                for uplo in [Uplo::Upper, Uplo::Lower] {
                    let k = if side == Side::Left { m } else { n };
                    let g = matrix::<T>(k, k, 11);
                    let nan = T::from_real(T::Re::from_f64(f64::NAN));
                    let value = |i: usize, j: usize| {
                        let (p, q) = if i <= j { (i, j) } else { (j, i) };
                        let v = g[(p, q)];
                        if i == j && herm {
                            T::from_real(v.re())
                        } else if i > j && herm {
                            v.conjugate()
                        } else {
                            v
                        }
                    };
                    let stored = Mat::from_fn(k, k, |i, j| {
                        let inside = if uplo == Uplo::Upper { i <= j } else { i >= j };
                        if !inside {
                            nan
                        } else if i == j && herm {
                            // A Hermitian diagonal's imaginary part is not read.
                            T::from_parts(value(i, i).re(), T::Re::from_f64(7.0))
                        } else {
                            value(i, j)
                        }
                    });
                    let b = matrix::<T>(m, n, 12);
                    let c0 = matrix::<T>(m, n, 13);
                    let (alpha, beta) = (
                        T::from_real(T::Re::from_f64(0.75)),
                        T::from_real(T::Re::from_f64(-2.0)),
                    );
                    let runs: Vec<Mat<T>> = [1, 2, 3, 8]
                        .iter()
                        .map(|&threads| {
                            let par = Par {
                                arch,
                                threads,
                                launch: &crate::runtime::launch,
                            };
                            let mut c = c0.clone();
                            symm(
                                par,
                                side,
                                uplo,
                                herm,
                                alpha,
                                stored.as_ref(),
                                b.as_ref(),
                                beta,
                                c.as_mut(),
                            );
                            c
                        })
                        .collect();
                    assert!(
                        runs.iter().all(|r| r == &runs[0]),
                        "thread count changed the result"
                    );
                    for i in 0..m {
                        for j in 0..n {
                            let s = (0..k).fold(T::zero(), |s, p| {
                                s + if side == Side::Left {
                                    value(i, p) * b[(p, j)]
                                } else {
                                    b[(i, p)] * value(p, j)
                                }
                            });
                            let want = alpha * s + beta * c0[(i, j)];
                            let err = (runs[0][(i, j)] - want).modulus().to_f64();
                            assert!(
                                err <= 1e-13 * (k + 2) as f64,
                                "{side:?} {uplo:?} herm={herm} {m}x{n} ({i},{j}): {err}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn symm_matches_naive_sums() {
        every_case::<f64>(false);
        every_case::<c64>(false);
    }

    #[test]
    fn hemm_matches_naive_sums() {
        every_case::<c64>(true);
    }
}
