//! Symmetric and Hermitian matrix products (?SYMM, ?HEMM): `C := alpha·A·B + beta·C`
//! (left) or `alpha·B·A + beta·C` (right), A given by one triangle.
//!
//! The stored triangle is mirrored into a dense square once (k² copies against the
//! 2·k²·n flops of the product), then the product runs on the blocked
//! [`gemm`](super::gemm::gemm) engine with its threads and kernels.

use super::{Par, Side, Uplo, gemm};
use crate::scalar::Scalar;
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
    c: MatMut<'_, T>,
) {
    if alpha.is_zero() {
        return gemm::scale(c, beta);
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
