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
