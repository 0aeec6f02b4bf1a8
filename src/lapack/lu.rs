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

/// The factorization's tunables, as data (faer's `PartialPivLuParams`): tests shrink
/// them to reach the blocked and recursive paths on small matrices. Re-measure with
/// `bench/lapack.py` (dgetrf rows) after changing them.
#[derive(Clone, Copy, Debug)]
pub struct LuParams {
    /// Panel width of the blocked factorization: each panel's trailing update is one
    /// rank-`nb` product, where the time goes.
    pub nb: usize,
    /// Panels at most this wide are factored column by column (`dgetf2`).
    pub leaf: usize,
    /// Whether a panel's own recursion may use the team. Its products are narrow and
    /// its interchanges touch every row, so splitting them moves the panel between
    /// cores more than it saves; the trailing updates carry the parallelism.
    pub parallel_panel: bool,
    /// Below this order (min(m, n)) the whole factorization stays on the caller's
    /// thread: measured on the Intel host, 2 threads did not beat 1 below ~500
    /// (n = 200: 202 vs 160 µs; 400: 896 vs 906; 700: 3425 vs 3918).
    pub serial_below: usize,
}

impl LuParams {
    pub const fn auto() -> LuParams {
        LuParams {
            nb: 128,
            leaf: 8,
            parallel_panel: false,
            serial_below: 512,
        }
    }
}

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

/// Factors A = P·L·U in place (L unit lower, U upper), writing the 0-based pivot row of
/// step j to `ipiv[j]` (`ipiv.len() == min(m, n)`). Returns the first step whose pivot
/// is exactly zero; the factorization is still completed, in finite numbers.
///
/// Right-looking and blocked like reference `dgetrf`: factor a panel of NB columns
/// (recursively), apply its interchanges, solve for the block row of U, and update the
/// trailing matrix with one rank-NB product, which is where the time goes.
pub fn getrf<T: Scalar>(par: Par<'_>, a: MatMut<'_, T>, ipiv: &mut [usize]) -> Option<usize> {
    getrf_with(&LuParams::auto(), par, a, ipiv)
}

/// [`getrf`] with explicit tunables.
pub fn getrf_with<T: Scalar>(
    params: &LuParams,
    par: Par<'_>,
    mut a: MatMut<'_, T>,
    ipiv: &mut [usize],
) -> Option<usize> {
    let (m, n) = (a.nrows(), a.ncols());
    let mn = m.min(n);
    let nb = params.nb.max(1);
    let par = if mn < params.serial_below {
        par.with_threads(1)
    } else {
        par
    };
    let panel_par = if params.parallel_panel {
        par
    } else {
        par.with_threads(1)
    };
    if mn <= nb {
        return getrf_recursive(params, panel_par, a, ipiv);
    }
    let mut first_zero = None;
    for j in (0..mn).step_by(nb) {
        let jb = nb.min(mn - j);
        let zero = getrf_recursive(
            params,
            panel_par,
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
    params: &LuParams,
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
    if n <= params.leaf.max(1) {
        return getf2(a, ipiv);
    }
    let n1 = (mn / 2).max(1);
    let (mut left, mut right) = a.rb_mut().split_at_col_mut(n1);
    let zero1 = getrf_recursive(params, par, left.rb_mut(), &mut ipiv[..n1]);
    update_right(par, left.rb(), right.rb_mut(), &ipiv[..n1]);
    let (_, a22) = right.split_at_row_mut(n1);
    let zero2 = getrf_recursive(params, par, a22, &mut ipiv[n1..mn]);
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
        false,
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
    let units = 2 * threads;
    (par.launch)(threads, &|team| {
        team.each(units, |u| {
            let cols = crate::runtime::share(n, 1, u, units);
            // SAFETY: units take disjoint column ranges.
            laswp_serial(unsafe { share.columns(cols) }, ipiv, offset);
        })
    });
}

/// [`laswp`] on the caller's thread. Row by row across cache-sized chunks of columns,
/// unless consecutive columns lie a multiple of 1 KiB apart: then loads of one column
/// alias stores to the column 2 or 4 before in the low 12 address bits (4K aliasing)
/// and it goes one column at a time instead (the same interchanges in the same order
/// per column; columns are independent). dgetrf on one thread, Intel host, µs: 256²
/// 470 by rows, 355 with this choice; 512² 2683 and 1929; 1024² 15249 and 12001; by
/// columns everywhere, 200² went from 160 to 168.
fn laswp_serial<T: Scalar>(a: MatMut<'_, T>, ipiv: &[usize], offset: usize) {
    let stride_bytes = a.col_stride().unsigned_abs() * std::mem::size_of::<T>();
    if a.ncols() > 1 && stride_bytes.is_multiple_of(1024) {
        laswp_by_columns(a, ipiv, offset)
    } else {
        laswp_by_rows(a, ipiv, offset)
    }
}

/// [`laswp_serial`] one column at a time.
fn laswp_by_columns<T: Scalar>(a: MatMut<'_, T>, ipiv: &[usize], offset: usize) {
    for mut col in a.col_iter_mut() {
        match col.rb_mut().try_as_col_major_mut() {
            Some(col) => {
                let col = col.as_slice_mut();
                for (r, &p) in (offset..).zip(ipiv) {
                    if p != r {
                        col.swap(r, p);
                    }
                }
            }
            None => {
                for (i, &p) in ipiv.iter().enumerate() {
                    let r = offset + i;
                    if p != r {
                        let t = col[r];
                        col[r] = col[p];
                        col[p] = t;
                    }
                }
            }
        }
    }
}

/// [`laswp_serial`] row by row, columns in cache-sized chunks.
fn laswp_by_rows<T: Scalar>(mut a: MatMut<'_, T>, ipiv: &[usize], offset: usize) {
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
                false,
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
                false,
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
                false,
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
                false,
                Diag::Unit,
                T::one(),
                lu,
                b.rb_mut(),
            );
            laswp_reverse(b, ipiv, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::matrix;
    use faer::Mat;

    /// P·L·U rebuilt from the factors, against A.
    fn residual(a: &Mat<f64>, lu: &Mat<f64>, ipiv: &[usize]) -> f64 {
        let (m, n) = (a.nrows(), a.ncols());
        let k = m.min(n);
        let l = Mat::from_fn(m, k, |i, j| match i.cmp(&j) {
            std::cmp::Ordering::Greater => lu[(i, j)],
            std::cmp::Ordering::Equal => 1.0,
            std::cmp::Ordering::Less => 0.0,
        });
        let u = Mat::from_fn(k, n, |i, j| if i <= j { lu[(i, j)] } else { 0.0 });
        let mut pa = a.clone();
        for (j, &p) in ipiv.iter().enumerate() {
            for c in 0..n {
                let t = pa[(j, c)];
                pa[(j, c)] = pa[(p, c)];
                pa[(p, c)] = t;
            }
        }
        let prod = &l * &u;
        (0..m)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .map(|(i, j)| (prod[(i, j)] - pa[(i, j)]).abs())
            .fold(0.0, f64::max)
    }

    /// Shrunk panels and leaves reach the blocked loop, the recursion and the column
    /// leaves on small matrices, every shape; the factors rebuild A, and the same bits
    /// come out on 1 and 3 threads.
    #[test]
    fn shrunk_blocks_factor_every_shape() {
        let arch = crate::arch::detected();
        let shrunk = |nb, leaf, parallel_panel| LuParams {
            nb,
            leaf,
            parallel_panel,
            serial_below: 0,
        };
        for params in [
            shrunk(3, 1, false),
            shrunk(5, 2, true),
            shrunk(16, 4, true),
            LuParams::auto(),
        ] {
            for &(m, n) in &[(1, 1), (7, 7), (19, 11), (11, 19), (40, 40)] {
                let a = matrix::<f64>(m, n, (m * 31 + n) as u64);
                let mut runs = Vec::new();
                for threads in [1, 3] {
                    let par = Par {
                        arch,
                        threads,
                        launch: &crate::runtime::launch,
                    };
                    let mut lu = a.clone();
                    let mut ipiv = vec![0; m.min(n)];
                    assert_eq!(getrf_with(&params, par, lu.as_mut(), &mut ipiv), None);
                    let r = residual(&a, &lu, &ipiv);
                    assert!(
                        r <= 1e-13 * (m + n) as f64,
                        "{params:?} {m}x{n}: residual {r}"
                    );
                    runs.push((lu, ipiv));
                }
                assert!(
                    runs[0] == runs[1],
                    "{params:?} {m}x{n}: depends on the thread count"
                );
            }
        }
    }

    /// A zero column is reported at its step, in every path, and the rest is finite.
    #[test]
    fn a_zero_pivot_is_reported_by_every_path() {
        let shrunk = LuParams {
            nb: 3,
            leaf: 1,
            parallel_panel: true,
            serial_below: 0,
        };
        for params in [shrunk, LuParams::auto()] {
            let mut a = matrix::<f64>(12, 12, 5);
            for i in 0..12 {
                a[(i, 4)] = 0.0;
            }
            let mut ipiv = vec![0; 12];
            let par = Par::seq(crate::arch::detected());
            assert_eq!(getrf_with(&params, par, a.as_mut(), &mut ipiv), Some(4));
            assert!((0..12).all(|j| (0..12).all(|i| a[(i, j)].is_finite())));
        }
    }
}
