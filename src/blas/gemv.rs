//! Matrix-vector products (?GEMV) for every element type:
//! `y := alpha·op(A)·x + beta·y`.
//!
//! Bound by reading A once, so the work is shared out by output elements (rows of y for
//! `A·x`, entries of y for `Aᵀ·x`): each element's sum runs in the same order whatever
//! the split, and the result is the same for every thread count.

use super::gemv_kernels;
use super::level1;
use super::{Par, Ran};
use crate::arch::Arch;
use crate::mat::{VecMut, VecRef, col_slice};
use crate::scalar::Scalar;
use faer::MatRef;

/// What multiplies x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GemvOp {
    /// A·x
    NoTrans,
    /// Aᵀ·x
    Trans,
    /// Aᴴ·x
    ConjTrans,
    /// conj(A)·x: what row-major `Aᴴ·x` is on the column-major storage.
    Conj,
}

impl GemvOp {
    /// Parses a Fortran `TRANS` character (N, T or C in either case).
    pub fn from_fortran(c: u8) -> Option<GemvOp> {
        match c.to_ascii_uppercase() {
            b'N' => Some(GemvOp::NoTrans),
            b'T' => Some(GemvOp::Trans),
            b'C' => Some(GemvOp::ConjTrans),
            _ => None,
        }
    }

    /// Whether y has A's rows (x its columns).
    pub fn keeps_rows(self) -> bool {
        matches!(self, GemvOp::NoTrans | GemvOp::Conj)
    }
}

/// Below this many elements of A a product runs on the caller's thread (NumPy `a @ v`
/// in `bench/latency.py`, Intel host, 2 vs 1 threads, µs: 200²: 3.8 vs 2.7; 256²: 5.6
/// vs 3.8–7.1 (one core's L2 holds it; runs differ); 320²: 5.3 vs 9.9; 400²: 6.7 vs
/// 10.0). Was 2¹⁷, which left 320²–362² on one thread.
const SERIAL_ELEMENTS: usize = 80_000;

/// How many of `budget` threads an m×n product uses.
pub fn threads_for(m: usize, n: usize, budget: usize) -> usize {
    if m.saturating_mul(n) < SERIAL_ELEMENTS {
        return 1;
    }
    budget.max(1)
}

/// An element type's matrix·vector inner loops: f64 runs the table's vector kernels
/// where it has them, every type the portable loops otherwise.
pub trait GemvScalar: Scalar {
    /// One member's share (see [`portable_part`]); returns the path it ran on.
    #[allow(clippy::too_many_arguments)]
    fn part(
        arch: &Arch,
        keeps_rows: bool,
        conj: bool,
        alpha: Self,
        a: MatRef<'_, Self>,
        xs: &[Self],
        first: usize,
        out: &mut [Self],
    ) -> &'static str {
        let _ = arch;
        portable_part(keeps_rows, conj, alpha, a, xs, first, out);
        "portable"
    }
}

impl GemvScalar for f32 {}
impl GemvScalar for crate::scalar::c32 {}
impl GemvScalar for crate::scalar::c64 {}
impl GemvScalar for f64 {
    fn part(
        arch: &Arch,
        keeps_rows: bool,
        conj: bool,
        alpha: f64,
        a: MatRef<'_, f64>,
        xs: &[f64],
        first: usize,
        out: &mut [f64],
    ) -> &'static str {
        if gemv_kernels::part(arch.gemv, keeps_rows, alpha, a, xs, first, out) {
            return "avx512";
        }
        portable_part(keeps_rows, conj, alpha, a, xs, first, out);
        "portable"
    }
}

/// `y := alpha·op(A)·x + beta·y` (A has unit row stride), on as many of `par`'s
/// threads as the size can use (see [`threads_for`]). beta = 0 never reads y; alpha =
/// 0 never reads x and reads A only for its shape. Contiguous x and y are used in
/// place.
pub fn gemv<T: GemvScalar>(
    par: Par<'_>,
    op: GemvOp,
    alpha: T,
    a: MatRef<'_, T>,
    x: VecRef<'_, T>,
    beta: T,
    mut y: VecMut<'_, T>,
) -> Ran {
    let (m, n) = (a.nrows(), a.ncols());
    let (ylen, xlen) = if op.keeps_rows() { (m, n) } else { (n, m) };
    assert!(y.len() == ylen && x.len() == xlen, "gemv: vector lengths");
    let scaled = Ran {
        threads: 1,
        path: "scale",
    };
    if ylen == 0 || ((alpha.is_zero() || xlen == 0) && beta.is_one()) {
        return scaled;
    }
    level1::scale(beta, y.rb_mut());
    if alpha.is_zero() || xlen == 0 {
        return scaled;
    }
    let gathered;
    let xs = match x.as_slice() {
        Some(s) => s,
        None => {
            gathered = x.to_vec();
            &gathered[..]
        }
    };
    let conj = matches!(op, GemvOp::Conj | GemvOp::ConjTrans);
    let part = |first: usize, out: &mut [T]| {
        T::part(par.arch, op.keeps_rows(), conj, alpha, a, xs, first, out)
    };
    let members = threads_for(m, n, par.threads.min(ylen / 64).max(1));
    let accumulate = |ys: &mut [T]| {
        if members == 1 {
            return part(0, ys);
        }
        let mut chunks = Vec::with_capacity(members);
        let mut rest = ys;
        for p in 0..members {
            let len = ylen * (p + 1) / members - ylen * p / members;
            let (head, tail) = rest.split_at_mut(len);
            chunks.push((ylen * p / members, head));
            rest = tail;
        }
        par.run_parts(chunks, |(first, out)| part(first, out))[0]
    };
    let path = match y.as_mut_slice() {
        Some(ys) => accumulate(ys),
        None => {
            let mut ys = y.rb().to_vec();
            let path = accumulate(&mut ys);
            for (i, v) in ys.into_iter().enumerate() {
                y.set(i, v);
            }
            path
        }
    };
    Ran {
        threads: members,
        path,
    }
}

/// `t = Aᵀ·u` and `w = Σⱼ coef(j, tⱼ)·A[.., j]` in one pass over A (A with unit row
/// stride): the two matrix·vector products of a bidiagonalization step, whose second
/// vector depends on the first only column by column (LAPACK Working Note 174's
/// "BLAS 2.5" operation). Reading A once instead of twice halves the memory traffic
/// of a product that is bound by it.
///
/// The columns are cut into chunks whose width depends only on A's shape; members
/// take whole chunks, each chunk sums its columns into a partial w of its own, and the
/// partials are added in chunk order, so the result is the same for every thread
/// count.
pub fn dots_then_combination(
    par: Par<'_>,
    a: MatRef<'_, f64>,
    u: &[f64],
    coef: impl Fn(usize, f64) -> f64 + Sync,
    t: &mut [f64],
    w: &mut [f64],
) {
    let (rows, cols) = (a.nrows(), a.ncols());
    assert!(u.len() == rows && w.len() == rows && t.len() == cols);
    w.fill(0.0);
    if rows == 0 || cols == 0 {
        t.fill(0.0);
        return;
    }
    // At least 32 columns a chunk (four-column groups), and about 16 chunks for wide A.
    let width = cols.div_ceil(16).next_multiple_of(4).max(32);
    let chunks = cols.div_ceil(width);
    let mut partials = vec![0.0; rows * (chunks - 1)];
    // The first chunk sums into w itself, the others into their partials.
    let sums = std::iter::once(&mut *w).chain(partials.chunks_exact_mut(rows));
    let parts: Vec<_> = t
        .chunks_mut(width)
        .zip(sums)
        .enumerate()
        .map(|(c, (tc, wc))| (c * width, tc, wc))
        .collect();
    let members = threads_for(rows, cols, par.threads.min(chunks));
    let path = par.arch.gemv;
    let par = par.with_threads(members);
    par.run_parts(parts, |(j0, tc, wc)| {
        let block = a.subcols(j0, tc.len());
        dots_then_axpy(path, block, u, &|j, tj| coef(j0 + j, tj), tc, wc);
    });
    for partial in partials.chunks_exact(rows) {
        for (o, p) in w.iter_mut().zip(partial) {
            *o += p;
        }
    }
}

/// One chunk of [`dots_then_combination`]: `t[j] = A[.., j]·u`, then `out +=
/// coef(j, t[j])·A[.., j]`, on the table's kernel where it has one.
pub(super) fn dots_then_axpy(
    path: crate::arch::GemvPath,
    a: MatRef<'_, f64>,
    u: &[f64],
    coef: &dyn Fn(usize, f64) -> f64,
    t: &mut [f64],
    out: &mut [f64],
) {
    if !gemv_kernels::dots_then_axpy(path, a, u, coef, t, out) {
        portable_dots_then_axpy(a, u, coef, t, out);
    }
}

/// The portable loop of [`dots_then_combination`]'s kernel
/// ([`super::gemv_kernels::dots_then_axpy`]), column by column.
fn portable_dots_then_axpy(
    a: MatRef<'_, f64>,
    u: &[f64],
    coef: &dyn Fn(usize, f64) -> f64,
    t: &mut [f64],
    out: &mut [f64],
) {
    for (j, tj) in t.iter_mut().enumerate() {
        let column = col_slice(a, j);
        *tj = level1::dot_slices(false, column, u);
        level1::axpy_slices(coef(j, *tj), column, out);
    }
}

/// The portable inner loops of [`gemv`]: `out += alpha·op(A)[first.., :]·x` if
/// `keeps_rows`, else `out[j] += alpha·op(A[:, first + j])·x`.
pub fn portable_part<T: Scalar>(
    keeps_rows: bool,
    conj: bool,
    alpha: T,
    a: MatRef<'_, T>,
    xs: &[T],
    first: usize,
    out: &mut [T],
) {
    if keeps_rows {
        rows_times_x(conj, alpha, a, xs, first, out);
    } else {
        columns_dot_x(conj, alpha, a, xs, first, out);
    }
}

/// `out += alpha·op(A)[first.., :]·x` over A's columns in order (op: A or conj(A)).
fn rows_times_x<T: Scalar>(
    conj: bool,
    alpha: T,
    a: MatRef<'_, T>,
    xs: &[T],
    first: usize,
    out: &mut [T],
) {
    for (j, &xj) in xs.iter().enumerate() {
        // Reference DGEMV skips a zero x(j), and only a zero one: a product that
        // underflows to zero still meets A's infinities and NaNs.
        if xj.is_zero() {
            continue;
        }
        let t = alpha * xj;
        let col = &col_slice(a, j)[first..first + out.len()];
        if conj {
            for (o, &v) in out.iter_mut().zip(col) {
                *o += t * v.conjugate();
            }
        } else {
            for (o, &v) in out.iter_mut().zip(col) {
                *o += t * v;
            }
        }
    }
}

/// `out[j] += alpha·op(A[:, first + j])·x` (op: transpose or conjugate transpose).
fn columns_dot_x<T: Scalar>(
    conj: bool,
    alpha: T,
    a: MatRef<'_, T>,
    xs: &[T],
    first: usize,
    out: &mut [T],
) {
    for (j, o) in out.iter_mut().enumerate() {
        *o += alpha * level1::dot_slices(conj, col_slice(a, first + j), xs);
    }
}

/// A ?GEMV call whose arguments passed the reference checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GemvShape {
    pub op: GemvOp,
    pub m: usize,
    pub n: usize,
    pub lda: usize,
    pub incx: isize,
    pub incy: isize,
}

/// Reference ?GEMV checks in order; `Err(i)` is the Fortran position of the first
/// illegal argument (trans 1, m 2, n 3, lda 6, incx 8, incy 11). For real types C
/// means T.
pub fn validate(
    complex: bool,
    trans: u8,
    m: i64,
    n: i64,
    lda: i64,
    incx: i64,
    incy: i64,
) -> Result<GemvShape, i64> {
    let op = match GemvOp::from_fortran(trans).ok_or(1)? {
        GemvOp::ConjTrans if !complex => GemvOp::Trans,
        op => op,
    };
    if m < 0 {
        return Err(2);
    }
    if n < 0 {
        return Err(3);
    }
    if lda < m.max(1) {
        return Err(6);
    }
    if incx == 0 {
        return Err(8);
    }
    if incy == 0 {
        return Err(11);
    }
    Ok(GemvShape {
        op,
        m: m as usize,
        n: n as usize,
        lda: lda as usize,
        incx: incx as isize,
        incy: incy as isize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::Mat;

    /// The fused pass, and its portable loop, against the two products done apart
    /// (column dots, then the combination with the coefficients they give), within
    /// rounding; and bit for bit the same on 1, 2 and 3 threads, for one chunk and
    /// many, ragged edges included.
    #[test]
    fn dots_then_combination_is_both_products_for_every_team() {
        let arch = crate::arch::detected();
        let launch = &crate::runtime::launch;
        for &(rows, cols) in &[
            (0, 5),
            (7, 0),
            (1, 1),
            (9, 3),
            (37, 31),
            (300, 70),
            (530, 517),
        ] {
            let a = Mat::from_fn(rows, cols, |i, j| {
                ((i * 31 + j * 17) % 29) as f64 / 7.0 - 2.0 + 1e-3 * j as f64
            });
            let u: Vec<f64> = (0..rows).map(|i| 0.5 - (i % 5) as f64 * 0.3).collect();
            let coef = |j: usize, t: f64| if j % 7 == 3 { 0.0 } else { 0.25 * t - j as f64 };
            let mut runs = Vec::new();
            for threads in [1, 2, 3] {
                let par = Par {
                    arch,
                    threads,
                    launch,
                };
                let (mut t, mut w) = (vec![f64::NAN; cols], vec![f64::NAN; rows]);
                dots_then_combination(par, a.as_ref(), &u, coef, &mut t, &mut w);
                runs.push((t, w));
            }
            // The portable loop (what CPUs without AVX-512 run), on the whole matrix.
            let (mut t, mut w) = (vec![0.0; cols], vec![0.0; rows]);
            portable_dots_then_axpy(a.as_ref(), &u, &coef, &mut t, &mut w);
            runs.push((t, w));
            let (t, w) = &runs[0];
            for r in &runs[1..3] {
                let same =
                    |x: &[f64], y: &[f64]| x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits());
                assert!(
                    same(&r.0, t) && same(&r.1, w),
                    "{rows}x{cols}: thread count changed bits"
                );
            }
            let tol = 8.0 * (rows + cols + 1) as f64 * f64::EPSILON;
            for (t, w) in [&runs[0], &runs[3]] {
                for j in 0..cols {
                    let (dot, mag) = (0..rows).fold((0.0, 0.0), |(s, g), i| {
                        (s + a[(i, j)] * u[i], g + (a[(i, j)] * u[i]).abs())
                    });
                    assert!(
                        (t[j] - dot).abs() <= tol * mag.max(1e-300),
                        "{rows}x{cols} t[{j}]"
                    );
                }
                for i in 0..rows {
                    let (sum, mag) = (0..cols).fold((0.0, 0.0), |(s, g), j| {
                        let c = coef(j, t[j]);
                        (s + c * a[(i, j)], g + (c * a[(i, j)]).abs())
                    });
                    assert!(
                        (w[i] - sum).abs() <= tol * mag.max(1e-300),
                        "{rows}x{cols} w[{i}]"
                    );
                }
            }
        }
    }
}
