//! Inverse of a triangular matrix in place (`trtri`), recursively: for an upper
//! triangle, inv([A11 A12; 0 A22]) = [inv(A11), −inv(A11)·A12·inv(A22); 0, inv(A22)],
//! where the off-diagonal block comes from two triangular solves before the diagonal
//! blocks are inverted.

use crate::blas::trsm::trsm;
use crate::blas::{Diag, Par, Side, Trans, Uplo};
use crate::scalar::Scalar;
use faer::MatMut;
use faer::reborrow::{Reborrow, ReborrowMut};

/// The first zero on the diagonal (a singular triangle), checked before anything is
/// written, as reference `dtrtri` does.
pub fn singular_at<T: Scalar>(a: faer::MatRef<'_, T>, diag: Diag) -> Option<usize> {
    if diag == Diag::Unit {
        return None;
    }
    (0..a.nrows()).find(|&i| a[(i, i)].is_zero())
}

/// Overwrites the `uplo` triangle of A with its inverse; the other triangle is not
/// touched. A must be nonsingular (see [`singular_at`]).
pub fn trtri<T: Scalar>(par: Par<'_>, uplo: Uplo, diag: Diag, mut a: MatMut<'_, T>) {
    let n = a.nrows();
    if n == 0 {
        return;
    }
    if n == 1 {
        if diag == Diag::NonUnit {
            a[(0, 0)] = T::one().divide(a[(0, 0)]);
        }
        return;
    }
    let n1 = n / 2;
    let (a11, mut a12, mut a21, a22) = a.rb_mut().split_at_mut(n1, n1);
    match uplo {
        Uplo::Upper => {
            trsm(
                par,
                Side::Right,
                Uplo::Upper,
                Trans::No,
                false,
                diag,
                T::one(),
                a22.rb(),
                a12.rb_mut(),
            );
            trsm(
                par,
                Side::Left,
                Uplo::Upper,
                Trans::No,
                false,
                diag,
                -T::one(),
                a11.rb(),
                a12.rb_mut(),
            );
        }
        Uplo::Lower => {
            trsm(
                par,
                Side::Right,
                Uplo::Lower,
                Trans::No,
                false,
                diag,
                T::one(),
                a11.rb(),
                a21.rb_mut(),
            );
            trsm(
                par,
                Side::Left,
                Uplo::Lower,
                Trans::No,
                false,
                diag,
                -T::one(),
                a22.rb(),
                a21.rb_mut(),
            );
        }
    }
    trtri(par, uplo, diag, a11);
    trtri(par, uplo, diag, a22);
}
