//! Inverse from the LU factors (`getri`), reference `dgetri`'s blocked algorithm:
//! invert U, then solve inv(A)·L = inv(U) for inv(A) block column by block column from
//! the right, then undo the column interchanges.

use super::trtri::trtri;
use crate::blas::gemm;
use crate::blas::trsm::trsm;
use crate::blas::{Diag, Par, Side, Trans, Uplo};
use crate::scalar::Scalar;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{MatMut, MatRef};

/// Workspace (in f64) that lets [`getri`] use full blocks.
pub fn optimal_work(n: usize) -> usize {
    (n * GETRI_NB).max(1)
}

/// Whether `b` is exactly the identity (stops at the first element that is not).
fn is_identity<T: Scalar>(b: faer::MatRef<'_, T>) -> bool {
    b.nrows() == b.ncols()
        && (0..b.ncols())
            .all(|j| (0..b.nrows()).all(|i| b[(i, j)] == if i == j { T::one() } else { T::zero() }))
}

/// Below this order the inverse stays on the caller's thread (NumPy `inv`, which
/// takes this path from n = 256, Intel host, 2 vs 1 threads, µs: 256²: 1514 vs 1426;
/// 320²: 2182 vs 2069; 400²: 3310 vs 3341; 600²: 7384 vs 8747).
const SERIAL_BELOW: usize = 384;

/// Block width of the inverse's column sweep: the optimal workspace is n·GETRI_NB.
/// Wider than reference LAPACK's 64 because each block step streams all of A through
/// the product, so fewer, wider steps move less memory.
pub const GETRI_NB: usize = 256;

/// Below this order solving for B = I is cheap anyway; the identity check is not paid.
const INVERT_IDENTITY_MIN: usize = 256;

/// Solving A·X = I from A's LU factors is inverting A: [`getri`]'s sweep (4/3·n³
/// flops) is a third cheaper than n triangular solves (2·n³). When `b` is exactly the
/// identity (n ≥ 256), it receives inv(A) that way and true is returned; otherwise, or
/// when the workspace cannot be had, `b` is untouched and false is returned.
pub fn invert_identity<T: Scalar>(
    par: Par<'_>,
    lu: MatRef<'_, T>,
    ipiv: &[usize],
    mut b: MatMut<'_, T>,
) -> bool {
    let n = lu.nrows();
    if n < INVERT_IDENTITY_MIN || b.ncols() != n || !is_identity(b.rb()) {
        return false;
    }
    let len = optimal_work(n);
    let mut work = Vec::new();
    if work.try_reserve_exact(len).is_err() {
        return false;
    }
    work.resize(len, T::zero());
    b.copy_from(lu);
    getri(par, b, ipiv, &mut work);
    true
}

/// Overwrites the LU factors of a nonsingular A (U's diagonal nonzero) with inv(A).
/// `work` may be as small as `n` (then blocks are one column wide).
pub fn getri<T: Scalar>(par: Par<'_>, mut a: MatMut<'_, T>, ipiv: &[usize], work: &mut [T]) {
    let n = a.nrows();
    if n == 0 {
        return;
    }
    let par = if n < SERIAL_BELOW {
        par.with_threads(1)
    } else {
        par
    };
    trtri(par, Uplo::Upper, Diag::NonUnit, a.rb_mut());
    let nb = (work.len() / n).clamp(1, GETRI_NB);
    // Block columns from the right.
    let mut jj = ((n - 1) / nb) * nb;
    loop {
        let jb = nb.min(n - jj);
        // Move L's block column (below the diagonal) to work, zeroing it in A.
        let mut w = faer::MatMut::from_column_major_slice_mut(&mut work[..n * jb], n, jb);
        for j in 0..jb {
            for i in 0..n {
                if i > jj + j {
                    w[(i, j)] = a[(i, jj + j)];
                    a[(i, jj + j)] = T::zero();
                } else {
                    w[(i, j)] = T::zero();
                }
            }
        }
        // A(:, jj:jj+jb) -= A(:, jj+jb:n) · W(jj+jb:n, :)
        if jj + jb < n {
            let (left, right) = a.rb_mut().split_at_col_mut(jj + jb);
            let (_, block) = left.split_at_col_mut(jj);
            gemm::gemm(
                par,
                -T::one(),
                right.rb(),
                false,
                w.rb().subrows(jj + jb, n - jj - jb),
                false,
                T::one(),
                block,
            );
        }
        // A(:, jj:jj+jb) := A(:, jj:jj+jb) · inv(unit lower W(jj:jj+jb, :))
        let block = a.rb_mut().subcols_mut(jj, jb);
        trsm(
            par,
            Side::Right,
            Uplo::Lower,
            Trans::No,
            false,
            Diag::Unit,
            T::one(),
            w.rb().subrows(jj, jb),
            block,
        );
        if jj == 0 {
            break;
        }
        jj -= nb;
    }
    // Undo the column interchanges, last first.
    for j in (0..n.saturating_sub(1)).rev() {
        let p = ipiv[j];
        if p != j {
            for i in 0..n {
                let t = a[(i, j)];
                a[(i, j)] = a[(i, p)];
                a[(i, p)] = t;
            }
        }
    }
}
