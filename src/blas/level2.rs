//! Matrix-vector BLAS (level 2) on structured matrices, for every element type: the
//! symmetric/Hermitian products (`?symv ?hemv ?sbmv ?hbmv ?spmv ?hpmv`), the triangular
//! products and solves (`?trmv ?tbmv ?tpmv`, `?trsv ?tbsv ?tpsv`), the general band
//! product (`?gbmv`) and the rank-1 and rank-2 updates (`?ger ?geru ?gerc`,
//! `?syr ?her ?spr ?hpr`, `?syr2 ?her2 ?spr2 ?hpr2`).
//!
//! Each is written once over [`Stored`] columns (full, band or packed alike), column
//! by column as the reference loops run, with the inner loops on contiguous slices.
//! `conj` flags say that the matrix is the conjugate of what is stored: that is how a
//! row-major CBLAS call of a Hermitian or conjugate-transposed routine arrives.

use super::Uplo;
use super::structured::{Stored, StoredMut};
use crate::mat::{VecMut, VecRef};
use crate::scalar::{Scalar, beta_times};
use faer::MatMut;
use faer::reborrow::ReborrowMut;
use std::borrow::Cow;

/// A BLAS vector as a contiguous slice (gathered when its increment is not 1).
pub fn gathered<'a, T: Scalar>(x: VecRef<'a, T>) -> Cow<'a, [T]> {
    match x.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(x.to_vec()),
    }
}

/// Runs `f` on `y` as a contiguous slice: in place when its increment is 1, otherwise
/// on a gathered copy that is scattered back.
pub fn in_place<T: Scalar, R>(mut y: VecMut<'_, T>, f: impl FnOnce(&mut [T]) -> R) -> R {
    if let Some(s) = y.as_mut_slice() {
        return f(s);
    }
    if y.is_empty() {
        return f(&mut []);
    }
    let mut v = y.rb().to_vec();
    let r = f(&mut v);
    for (i, &e) in v.iter().enumerate() {
        y.set(i, e);
    }
    r
}

#[inline(always)]
fn op<T: Scalar>(conj: bool, v: T) -> T {
    if conj { v.conjugate() } else { v }
}

/// `y += t·op(a)` over the shorter of the two.
#[inline]
fn axpy_op<T: Scalar>(conj: bool, t: T, a: &[T], y: &mut [T]) {
    if conj {
        for (yi, &ai) in y.iter_mut().zip(a) {
            *yi += t * ai.conjugate();
        }
    } else {
        for (yi, &ai) in y.iter_mut().zip(a) {
            *yi += t * ai;
        }
    }
}

/// `Σ op(aᵢ)·xᵢ` over a's length.
#[inline]
fn dot_op<T: Scalar>(conj: bool, a: &[T], x: &[T]) -> T {
    super::level1::dot_slices(conj, a, &x[..a.len()])
}

/// `y := beta·y` (beta = 0 writes zeros without reading y).
fn scale<T: Scalar>(beta: T, y: &mut [T]) {
    if !beta.is_one() {
        y.iter_mut().for_each(|v| *v = beta_times(beta, *v));
    }
}

/// A column's stored elements split around the diagonal of a triangle: (the first
/// off-diagonal row, the off-diagonal elements, the diagonal element).
#[inline]
fn around_diagonal<T: Copy>(uplo: Uplo, r0: usize, col: &[T]) -> (usize, &[T], T) {
    match uplo {
        Uplo::Upper => {
            let (off, d) = col.split_at(col.len() - 1);
            (r0, off, d[0])
        }
        Uplo::Lower => (r0 + 1, &col[1..], col[0]),
    }
}

/// `y := alpha·A·x + beta·y` for a symmetric (or, with `herm`, Hermitian) A of which
/// one triangle is stored (reference ?SYMV/?SBMV/?SPMV, ?HEMV/?HBMV/?HPMV: a Hermitian
/// diagonal's imaginary part is not read). `conj`: A is the conjugate of the stored
/// matrix.
pub fn sym_mv<T: Scalar>(
    herm: bool,
    conj: bool,
    alpha: T,
    a: Stored<'_, T>,
    x: &[T],
    beta: T,
    y: &mut [T],
) {
    let uplo = a.shape.uplo.expect("a triangle");
    scale(beta, y);
    if alpha.is_zero() {
        return;
    }
    for j in 0..a.shape.n {
        let (r0, col) = a.column(j);
        let (r, off, d) = around_diagonal(uplo, r0, col);
        let t1 = alpha * x[j];
        axpy_op(conj, t1, off, &mut y[r..]);
        // Row j of A, left of or below the diagonal, is the column's transpose (its
        // conjugate when Hermitian).
        let t2 = dot_op(conj != herm, off, &x[r..]);
        let d = if herm {
            T::from_real(d.re())
        } else {
            op(conj, d)
        };
        y[j] += t1 * d + alpha * t2;
    }
}

/// `y := alpha·op(A)·x + beta·y` for a general m×n band A (reference ?GBMV): `trans`
/// for Aᵀ (y has n elements), `conj` to conjugate A's elements.
#[allow(clippy::too_many_arguments)]
pub fn gb_mv<T: Scalar>(
    trans: bool,
    conj: bool,
    alpha: T,
    a: Stored<'_, T>,
    x: &[T],
    beta: T,
    y: &mut [T],
) {
    scale(beta, y);
    if alpha.is_zero() {
        return;
    }
    for j in 0..a.shape.n {
        let (r0, col) = a.column(j);
        if col.is_empty() {
            // A column whose band lies wholly below row m (a wide band) holds nothing.
            continue;
        }
        if trans {
            y[j] += alpha * dot_op(conj, col, &x[r0..]);
        } else if !x[j].is_zero() {
            axpy_op(conj, alpha * x[j], col, &mut y[r0..]);
        }
    }
}

/// `x := op(A)·x` for a triangular A (reference ?TRMV/?TBMV/?TPMV): `trans` for Aᵀ,
/// `conj` to conjugate A's elements (both: Aᴴ), `unit` for an implicit unit diagonal.
pub fn tri_mv<T: Scalar>(trans: bool, conj: bool, unit: bool, a: Stored<'_, T>, x: &mut [T]) {
    let uplo = a.shape.uplo.expect("a triangle");
    let n = a.shape.n;
    // Each column's update reads only x's entries that are still the input's: the
    // order of the columns follows from where the triangle lies.
    let forward = (uplo == Uplo::Upper) != trans;
    for step in 0..n {
        let j = if forward { step } else { n - 1 - step };
        let (r0, col) = a.column(j);
        let (r, off, d) = around_diagonal(uplo, r0, col);
        let d = op(conj, d);
        if trans {
            let mut t = x[j];
            if !unit {
                t *= d;
            }
            x[j] = t + dot_op(conj, off, &x[r..]);
        } else {
            let t = x[j];
            if t.is_zero() {
                continue;
            }
            axpy_op(conj, t, off, &mut x[r..]);
            if !unit {
                x[j] = t * d;
            }
        }
    }
}

/// Solves `op(A)·x = b` in place for a triangular A (reference ?TRSV/?TBSV/?TPSV; no
/// test for singularity, as there). Flags as [`tri_mv`].
pub fn tri_sv<T: Scalar>(trans: bool, conj: bool, unit: bool, a: Stored<'_, T>, x: &mut [T]) {
    let uplo = a.shape.uplo.expect("a triangle");
    let n = a.shape.n;
    let forward = (uplo == Uplo::Lower) != trans;
    for step in 0..n {
        let j = if forward { step } else { n - 1 - step };
        let (r0, col) = a.column(j);
        let (r, off, d) = around_diagonal(uplo, r0, col);
        let d = op(conj, d);
        if trans {
            let mut t = x[j] - dot_op(conj, off, &x[r..]);
            if !unit {
                t = t.divide(d);
            }
            x[j] = t;
        } else {
            if x[j].is_zero() {
                continue;
            }
            if !unit {
                x[j] = x[j].divide(d);
            }
            let t = -x[j];
            axpy_op(conj, t, off, &mut x[r..]);
        }
    }
}

/// `A := alpha·op(x)·op(y)ᵀ + A` for a general A (reference ?GER, ?GERU; ?GERC conjugates
/// y; a row-major ?GERC arrives with x conjugated instead).
pub fn ger<T: Scalar>(
    alpha: T,
    x: &[T],
    conj_x: bool,
    y: &[T],
    conj_y: bool,
    mut a: MatMut<'_, T>,
) {
    for (j, &yj) in y.iter().enumerate() {
        if yj.is_zero() {
            continue;
        }
        let t = alpha * op(conj_y, yj);
        let col = a
            .rb_mut()
            .col_mut(j)
            .try_as_col_major_mut()
            .expect("unit row stride")
            .as_slice_mut();
        axpy_op(conj_x, t, x, col);
    }
}

/// `A := alpha·x·op(x)ᵀ + A` on the stored triangle (reference ?SYR/?SPR; with `herm`
/// ?HER/?HPR, alpha real and the diagonal's imaginary part set to zero).
pub fn sym_r1<T: Scalar>(herm: bool, alpha: T, x: &[T], mut a: StoredMut<'_, T>) {
    let uplo = a.shape.uplo.expect("a triangle");
    for (j, &xj) in x.iter().enumerate().take(a.shape.n) {
        let (r0, col) = a.column_mut(j);
        let dpos = if uplo == Uplo::Upper {
            col.len() - 1
        } else {
            0
        };
        if xj.is_zero() {
            if herm {
                col[dpos] = T::from_real(col[dpos].re());
            }
            continue;
        }
        let t = alpha * op(herm, xj);
        let d = col[dpos];
        axpy_op(false, t, &x[r0..r0 + col.len()], col);
        col[dpos] = if herm {
            T::from_real(d.re() + (xj * t).re())
        } else {
            d + xj * t
        };
    }
}

/// `A := alpha·x·op(y)ᵀ + op(alpha)·y·op(x)ᵀ + A` on the stored triangle (reference
/// ?SYR2/?SPR2; with `herm` ?HER2/?HPR2, op the conjugate, the diagonal real).
pub fn sym_r2<T: Scalar>(herm: bool, alpha: T, x: &[T], y: &[T], mut a: StoredMut<'_, T>) {
    let uplo = a.shape.uplo.expect("a triangle");
    for j in 0..a.shape.n {
        let (r0, col) = a.column_mut(j);
        let dpos = if uplo == Uplo::Upper {
            col.len() - 1
        } else {
            0
        };
        if x[j].is_zero() && y[j].is_zero() {
            if herm {
                col[dpos] = T::from_real(col[dpos].re());
            }
            continue;
        }
        let t1 = alpha * op(herm, y[j]);
        let t2 = op(herm, alpha * x[j]);
        let d = col[dpos];
        for (i, c) in col.iter_mut().enumerate() {
            *c += x[r0 + i] * t1 + y[r0 + i] * t2;
        }
        col[dpos] = if herm {
            T::from_real(d.re() + (x[j] * t1 + y[j] * t2).re())
        } else {
            d + x[j] * t1 + y[j] * t2
        };
    }
}
