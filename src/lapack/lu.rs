//! LU factorization with partial pivoting (`getrf`), row interchanges (`laswp`) and
//! solves with the factors (`getrs`).
//!
//! `getrf` is reference `dgetrf2`'s recursive algorithm: factor the left half, update
//! the right half with a triangular solve and one large product, factor the rest. Nearly
//! all the work is in [`gemm`], and the leaves are narrow panels factored column by
//! column exactly like `dgetf2`.

use crate::blas::gemm;
use crate::blas::trsm::trsm;
use crate::blas::{Diag, Par, Side, Trans, Uplo};
use crate::mat::ColumnShare;
use crate::scalar::{Real, Scalar};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{MatMut, MatRef};

/// Panels at most this wide are factored column by column.
const LEAF: usize = 8;

/// Index of the first entry of largest magnitude (|re| + |im| for complex entries), as
/// reference `idamax`/`izamax`: a NaN is never larger than anything, so the result is
/// always in range.
pub fn idamax<T: Scalar>(x: impl Iterator<Item = T>) -> usize {
    let (mut best, mut max) = (0, T::Re::zero());
    for (i, v) in x.enumerate() {
        let a = v.abs1();
        if i == 0 || a > max {
            best = i;
            max = a;
        }
    }
    best
}

/// Panel width of the blocked factorization.
const NB: usize = 128;

/// Factors A = P·L·U in place (L unit lower, U upper), writing the 0-based pivot row of
/// step j to `ipiv[j]` (`ipiv.len() == min(m, n)`). Returns the first step whose pivot
/// is exactly zero; the factorization is still completed, in finite numbers.
///
/// Right-looking and blocked like reference `dgetrf`: factor a panel of NB columns
/// (recursively), apply its interchanges, solve for the block row of U, and update the
/// trailing matrix with one rank-NB product, which is where the time goes.
pub fn getrf<T: Scalar>(par: Par<'_>, mut a: MatMut<'_, T>, ipiv: &mut [usize]) -> Option<usize> {
    let (m, n) = (a.nrows(), a.ncols());
    let mn = m.min(n);
    if mn <= NB {
        return getrf_recursive(par, a, ipiv);
    }
    let mut first_zero = None;
    for j in (0..mn).step_by(NB) {
        let jb = NB.min(mn - j);
        let zero = getrf_recursive(
            par,
            a.rb_mut().submatrix_mut(j, j, m - j, jb),
            &mut ipiv[j..j + jb],
        );
        if first_zero.is_none() {
            first_zero = zero.map(|z| z + j);
        }
        let (mut left, right) = a.rb_mut().split_at_col_mut(j + jb);
        if j + jb < n {
            let panel = left.rb().submatrix(j, j, m - j, jb);
            update_right(
                par,
                panel,
                right.submatrix_mut(j, 0, m - j, n - j - jb),
                &ipiv[j..j + jb],
            );
        }
        for p in &mut ipiv[j..j + jb] {
            *p += j;
        }
        laswp(par, left.rb_mut().subcols_mut(0, j), &ipiv[j..j + jb], j);
    }
    first_zero
}

/// Reference `dgetrf2`'s recursion: factor the left half, update the right half with a
/// triangular solve and one product, factor the rest.
fn getrf_recursive<T: Scalar>(
    par: Par<'_>,
    mut a: MatMut<'_, T>,
    ipiv: &mut [usize],
) -> Option<usize> {
    let (m, n) = (a.nrows(), a.ncols());
    let mn = m.min(n);
    debug_assert_eq!(ipiv.len(), mn);
    if mn == 0 {
        return None;
    }
    if n <= LEAF {
        return getf2(a, ipiv);
    }
    let n1 = (mn / 2).max(1);
    let (mut left, mut right) = a.rb_mut().split_at_col_mut(n1);
    let zero1 = getrf_recursive(par, left.rb_mut(), &mut ipiv[..n1]);
    update_right(par, left.rb(), right.rb_mut(), &ipiv[..n1]);
    let (_, a22) = right.split_at_row_mut(n1);
    let zero2 = getrf_recursive(par, a22, &mut ipiv[n1..mn]);
    for p in &mut ipiv[n1..mn] {
        *p += n1;
    }
    laswp(par, left, &ipiv[n1..mn], n1);
    zero1.or(zero2.map(|z| z + n1))
}

/// With the block column `left` (w = `ipiv.len()` columns, rows from the pivot row
/// down) factored, brings the block to its right up to date: apply the interchanges,
/// U12 := L11⁻¹·A12, A22 −= L21·U12. `ipiv` is relative to the first row of `left`.
fn update_right<T: Scalar>(
    par: Par<'_>,
    left: MatRef<'_, T>,
    mut right: MatMut<'_, T>,
    ipiv: &[usize],
) {
    let w = ipiv.len();
    laswp(par, right.rb_mut(), ipiv, 0);
    let (l11, l21) = left.split_at_row(w);
    let (mut u12, a22) = right.split_at_row_mut(w);
    trsm(
        par,
        Side::Left,
        Uplo::Lower,
        Trans::No,
        Diag::Unit,
        T::one(),
        l11.subcols(0, w),
        u12.rb_mut(),
    );
    gemm::gemm(
        par,
        -T::one(),
        l21.subcols(0, w),
        false,
        u12.rb(),
        false,
        T::one(),
        a22,
    );
}

/// Swaps rows `r` and `p` of `a` in the columns `cols`.
fn swap_rows<T: Scalar>(a: &mut MatMut<'_, T>, r: usize, p: usize, cols: std::ops::Range<usize>) {
    for c in cols {
        let t = a[(r, c)];
        a[(r, c)] = a[(p, c)];
        a[(p, c)] = t;
    }
}

/// Unblocked factorization of a narrow panel (reference `dgetf2`).
fn getf2<T: Scalar>(mut a: MatMut<'_, T>, ipiv: &mut [usize]) -> Option<usize> {
    let (m, n) = (a.nrows(), a.ncols());
    let mut first_zero = None;
    for j in 0..m.min(n) {
        let p = j + idamax(a.rb().col(j).iter().skip(j).copied());
        ipiv[j] = p;
        let pivot = a[(p, j)];
        if !pivot.is_zero() {
            if p != j {
                swap_rows(&mut a, j, p, 0..n);
            }
            // Reference: multiply by the reciprocal unless it would overflow.
            let mut col = a.rb_mut().col_mut(j);
            if pivot.modulus() >= T::Re::SAFE_MIN {
                let r = T::one().divide(pivot);
                for i in j + 1..m {
                    col[i] *= r;
                }
            } else {
                for i in j + 1..m {
                    col[i] = col[i].divide(pivot);
                }
            }
        } else if first_zero.is_none() {
            first_zero = Some(j);
        }
        // Rank-1 update of the rest of the panel.
        let (done, mut rest) = a.rb_mut().split_at_col_mut(j + 1);
        let l = done.rb().col(j);
        for c in 0..rest.ncols() {
            let u = rest[(j, c)];
            if !u.is_zero() {
                let col = rest.rb_mut().col_mut(c);
                match (col.try_as_col_major_mut(), l.try_as_col_major()) {
                    (Some(col), Some(l)) => {
                        let (col, l) = (col.as_slice_mut(), l.as_slice());
                        for (x, &y) in col[j + 1..].iter_mut().zip(&l[j + 1..]) {
                            *x -= y * u;
                        }
                    }
                    _ => {
                        let mut col = rest.rb_mut().col_mut(c);
                        for i in j + 1..m {
                            col[i] -= l[i] * u;
                        }
                    }
                }
            }
        }
    }
    first_zero
}

/// Row interchanges: for i in order, swap row `offset + i` with row `ipiv[i]`
/// (absolute, 0-based). Wide matrices are shared out by columns among `par`'s threads.
pub fn laswp<T: Scalar>(par: Par<'_>, a: MatMut<'_, T>, ipiv: &[usize], offset: usize) {
    let n = a.ncols();
    let threads = if n >= 256 && ipiv.len() >= 16 {
        par.threads.min(n / 128)
    } else {
        1
    };
    if threads <= 1 {
        return laswp_serial(a, ipiv, offset);
    }
    let share = ColumnShare::new(a);
    (par.launch)(threads, &|team| {
        let (id, size) = (team.id(), team.size());
        let cols = n * id / size..n * (id + 1) / size;
        // SAFETY: members take disjoint column ranges.
        laswp_serial(unsafe { share.columns(cols) }, ipiv, offset);
    });
}

/// [`laswp`] on the caller's thread, columns in cache-sized chunks.
fn laswp_serial<T: Scalar>(mut a: MatMut<'_, T>, ipiv: &[usize], offset: usize) {
    const CHUNK: usize = 64;
    let n = a.ncols();
    for c0 in (0..n).step_by(CHUNK) {
        let c1 = (c0 + CHUNK).min(n);
        for (i, &p) in ipiv.iter().enumerate() {
            let r = offset + i;
            if p != r {
                swap_rows(&mut a, r, p, c0..c1);
            }
        }
    }
}

/// The inverse permutation of [`laswp`]: the same interchanges in reverse order.
pub fn laswp_reverse<T: Scalar>(mut a: MatMut<'_, T>, ipiv: &[usize], offset: usize) {
    for (i, &p) in ipiv.iter().enumerate().rev() {
        let r = offset + i;
        if p != r {
            let n = a.ncols();
            swap_rows(&mut a, r, p, 0..n);
        }
    }
}

/// Solves op(A)·X = B with the factors of `getrf` (n×n), X overwriting B.
pub fn getrs<T: Scalar>(
    par: Par<'_>,
    trans: Trans,
    lu: MatRef<'_, T>,
    ipiv: &[usize],
    mut b: MatMut<'_, T>,
) {
    if lu.nrows() == 0 || b.ncols() == 0 {
        return;
    }
    match trans {
        Trans::No => {
            laswp(par, b.rb_mut(), ipiv, 0);
            trsm(
                par,
                Side::Left,
                Uplo::Lower,
                Trans::No,
                Diag::Unit,
                T::one(),
                lu,
                b.rb_mut(),
            );
            trsm(
                par,
                Side::Left,
                Uplo::Upper,
                Trans::No,
                Diag::NonUnit,
                T::one(),
                lu,
                b,
            );
        }
        Trans::Yes => {
            trsm(
                par,
                Side::Left,
                Uplo::Upper,
                Trans::Yes,
                Diag::NonUnit,
                T::one(),
                lu,
                b.rb_mut(),
            );
            trsm(
                par,
                Side::Left,
                Uplo::Lower,
                Trans::Yes,
                Diag::Unit,
                T::one(),
                lu,
                b.rb_mut(),
            );
            laswp_reverse(b, ipiv, 0);
        }
    }
}
