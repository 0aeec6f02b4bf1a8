//! Matrix-vector products (?GEMV) for every element type:
//! `y := alpha·op(A)·x + beta·y`.
//!
//! Bound by reading A once, so the work is shared out by output elements (rows of y for
//! `A·x`, entries of y for `Aᵀ·x`): each element's sum runs in the same order whatever
//! the split, and the result is the same for every thread count.

use super::Par;
use super::level1;
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

/// Below this many elements of A a product runs on the caller's thread.
const SERIAL_ELEMENTS: usize = 1 << 17;

/// How many threads an m×n product should use out of `budget` (asked for only when
/// the product is large enough to share).
pub fn threads_for(m: usize, n: usize, budget: impl FnOnce() -> usize) -> usize {
    if m.saturating_mul(n) < SERIAL_ELEMENTS {
        return 1;
    }
    budget().max(1)
}

/// `y := alpha·op(A)·x + beta·y` (A has unit row stride), on up to `par.threads`
/// members (see [`threads_for`]). beta = 0 never reads y; alpha = 0 never reads x and
/// reads A only for its shape. Contiguous x and y are used in place.
pub fn gemv<T: Scalar>(
    par: Par<'_>,
    op: GemvOp,
    alpha: T,
    a: MatRef<'_, T>,
    x: VecRef<'_, T>,
    beta: T,
    mut y: VecMut<'_, T>,
) {
    let (m, n) = (a.nrows(), a.ncols());
    let (ylen, xlen) = if op.keeps_rows() { (m, n) } else { (n, m) };
    assert!(y.len() == ylen && x.len() == xlen, "gemv: vector lengths");
    if ylen == 0 || ((alpha.is_zero() || xlen == 0) && beta.is_one()) {
        return;
    }
    level1::scale(beta, y.rb_mut());
    if alpha.is_zero() || xlen == 0 {
        return;
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
    let part =
        |first: usize, out: &mut [T]| T::gemv_part(op.keeps_rows(), conj, alpha, a, xs, first, out);
    let accumulate = |ys: &mut [T]| {
        let members = threads_for(m, n, || par.threads.min(ylen / 64).max(1));
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
        par.run_parts(chunks, |(first, out)| part(first, out));
    };
    match y.as_mut_slice() {
        Some(ys) => accumulate(ys),
        None => {
            let mut ys = y.rb().to_vec();
            accumulate(&mut ys);
            for (i, v) in ys.into_iter().enumerate() {
                y.set(i, v);
            }
        }
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
