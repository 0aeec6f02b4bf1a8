//! The BLAS extensions OpenBLAS and MKL both ship, with their signatures: ?AXPBY,
//! ?OMATCOPY and ?IMATCOPY (Fortran and CBLAS), and `cblas_?gemm_batch` (grouped, MKL's
//! layout) and `cblas_?gemm_batch_strided`.

use super::cblas_enums::*;
use super::names::Name;
use super::{BlasInt, xerbla};
use crate::blas::{level1, matcopy};
use crate::mat::{self, vector, vector_mut};
use crate::scalar::{Scalar, beta_times, c32, c64};
use std::ffi::{c_char, c_int};

/// `y := alpha·x + beta·y`; beta = 0 never reads y.
///
/// # Safety
/// n elements at each increment, y disjoint from x.
unsafe fn axpby<T: Scalar>(
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let n = n.max(0) as usize;
    if n == 0 {
        return;
    }
    // SAFETY: as documented.
    let (x, mut y) = unsafe { (vector(x, n, incx as isize), vector_mut(y, n, incy as isize)) };
    if alpha.is_zero() {
        return level1::scale(beta, y);
    }
    for i in 0..n {
        let v = alpha * x.get(i) + beta_times(beta, y.get(i));
        y.set(i, v);
    }
}

/// What a matrix-copy call asks, checked: `trans`/`conj` of op, the column-major shape
/// of A (rows × cols) after the layout is folded in.
struct CopyShape {
    trans: bool,
    conj: bool,
    rows: usize,
    cols: usize,
    lda: usize,
    ldb: usize,
}

/// The checks of ?OMATCOPY/?IMATCOPY in argument order (order 1, trans 2, rows 3,
/// cols 4, lda, ldb at `pos_ld`), folding a row-major order into the column-major
/// problem on the transposes (rows ↔ cols).
#[allow(clippy::too_many_arguments)]
fn check_copy(
    complex: bool,
    order: u8,
    trans: u8,
    rows: i64,
    cols: i64,
    lda: i64,
    ldb: i64,
    pos_ld: (i64, i64),
) -> Result<CopyShape, i64> {
    let row = match order.to_ascii_uppercase() {
        b'C' => false,
        b'R' => true,
        _ => return Err(1),
    };
    let (transposed, conj) = match trans.to_ascii_uppercase() {
        b'N' => (false, false),
        b'T' => (true, false),
        b'C' => (true, complex),
        b'R' => (false, complex),
        _ => return Err(2),
    };
    if rows < 0 {
        return Err(3);
    }
    if cols < 0 {
        return Err(4);
    }
    let (rows, cols) = if row { (cols, rows) } else { (rows, cols) };
    if lda < rows.max(1) {
        return Err(pos_ld.0);
    }
    let b_rows = if transposed { cols } else { rows };
    if ldb < b_rows.max(1) {
        return Err(pos_ld.1);
    }
    Ok(CopyShape {
        trans: transposed,
        conj,
        rows: rows as usize,
        cols: cols as usize,
        lda: lda as usize,
        ldb: ldb as usize,
    })
}

/// B := alpha·op(A) (?OMATCOPY).
///
/// # Safety
/// OpenBLAS/MKL contract: A and B disjoint, each its leading dimension by its columns.
#[allow(clippy::too_many_arguments)]
unsafe fn omatcopy<T: Scalar, I: BlasInt>(
    order: u8,
    trans: u8,
    rows: i64,
    cols: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *mut T,
    ldb: i64,
) {
    let s = match check_copy(T::COMPLEX, order, trans, rows, cols, lda, ldb, (7, 9)) {
        Err(position) => {
            return xerbla::fortran::<I>(&Name::fortran::<T>("OMATCOPY").to_string(), position);
        }
        Ok(s) => s,
    };
    let (br, bc) = if s.trans {
        (s.cols, s.rows)
    } else {
        (s.rows, s.cols)
    };
    // SAFETY: the contract above.
    let (a, b) = unsafe {
        (
            mat::col_major(a, s.rows, s.cols, s.lda),
            mat::col_major_mut(b, br, bc, s.ldb),
        )
    };
    matcopy::omatcopy(alpha, a, s.trans, s.conj, b);
}

/// A := alpha·op(A) in place, A's leading dimension becoming ldb (?IMATCOPY).
///
/// # Safety
/// OpenBLAS/MKL contract: the array holds A (lda) and the result (ldb).
#[allow(clippy::too_many_arguments)]
unsafe fn imatcopy<T: Scalar, I: BlasInt>(
    order: u8,
    trans: u8,
    rows: i64,
    cols: i64,
    alpha: T,
    a: *mut T,
    lda: i64,
    ldb: i64,
) {
    let s = match check_copy(T::COMPLEX, order, trans, rows, cols, lda, ldb, (7, 8)) {
        Err(position) => {
            return xerbla::fortran::<I>(&Name::fortran::<T>("IMATCOPY").to_string(), position);
        }
        Ok(s) => s,
    };
    // The input is copied out first: the result may overlap it in any way.
    // SAFETY: the contract above; the input view is dropped before the output is made.
    let copy = unsafe { mat::col_major(a.cast_const(), s.rows, s.cols, s.lda) }.to_owned();
    let (br, bc) = if s.trans {
        (s.cols, s.rows)
    } else {
        (s.rows, s.cols)
    };
    // SAFETY: the contract above.
    let b = unsafe { mat::col_major_mut(a, br, bc, s.ldb) };
    matcopy::omatcopy(alpha, copy.as_ref(), s.trans, s.conj, b);
}

/// The Fortran character of a CBLAS matrix-copy call's enums (114 is
/// `CblasConjNoTrans`), or 0 for an illegal value, which the checks report.
#[allow(non_upper_case_globals)]
fn copy_chars(order: c_int, trans: c_int) -> (u8, u8) {
    let o = match order {
        CblasRowMajor => b'R',
        CblasColMajor => b'C',
        _ => 0,
    };
    let t = match trans {
        CblasNoTrans => b'N',
        CblasTrans => b'T',
        CblasConjTrans => b'C',
        114 => b'R',
        _ => 0,
    };
    (o, t)
}

/// One group's or one stride's worth of products through the CBLAS ?GEMM export's own
/// checks and entry.
///
/// # Safety
/// MKL's `cblas_?gemm_batch` contract: arrays of `group_count` (per-group values) and
/// of the total batch size (matrix pointers).
#[allow(clippy::too_many_arguments)]
unsafe fn gemm_batch<T: Scalar, I: BlasInt>(
    layout: c_int,
    transa: *const c_int,
    transb: *const c_int,
    m: *const I,
    n: *const I,
    k: *const I,
    alpha: *const T,
    a: *const *const T,
    lda: *const I,
    b: *const *const T,
    ldb: *const I,
    beta: *const T,
    c: *const *mut T,
    ldc: *const I,
    group_count: i64,
    group_size: *const I,
) {
    let mut item = 0usize;
    for g in 0..group_count.max(0) as usize {
        // SAFETY: per-group arrays hold group_count values; the pointer arrays the
        // sum of the group sizes.
        unsafe {
            let size = (*group_size.add(g)).to_i64().max(0) as usize;
            for _ in 0..size {
                super::blas::gemm_cblas(
                    layout,
                    *transa.add(g),
                    *transb.add(g),
                    (*m.add(g)).to_i64(),
                    (*n.add(g)).to_i64(),
                    (*k.add(g)).to_i64(),
                    *alpha.add(g),
                    *a.add(item),
                    (*lda.add(g)).to_i64(),
                    *b.add(item),
                    (*ldb.add(g)).to_i64(),
                    *beta.add(g),
                    *c.add(item),
                    (*ldc.add(g)).to_i64(),
                );
                item += 1;
            }
        }
    }
}

/// `batch` products whose operands sit `stride` elements apart (MKL's
/// `cblas_?gemm_batch_strided`).
///
/// # Safety
/// MKL's contract: each product's operands inside the caller's arrays.
#[allow(clippy::too_many_arguments)]
unsafe fn gemm_batch_strided<T: Scalar>(
    layout: c_int,
    transa: c_int,
    transb: c_int,
    m: i64,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    stride_a: i64,
    b: *const T,
    ldb: i64,
    stride_b: i64,
    beta: T,
    c: *mut T,
    ldc: i64,
    stride_c: i64,
    batch: i64,
) {
    for i in 0..batch.max(0) as isize {
        // SAFETY: the contract above.
        unsafe {
            super::blas::gemm_cblas(
                layout,
                transa,
                transb,
                m,
                n,
                k,
                alpha,
                a.wrapping_offset(i * stride_a as isize),
                lda,
                b.wrapping_offset(i * stride_b as isize),
                ldb,
                beta,
                c.wrapping_offset(i * stride_c as isize),
                ldc,
            )
        }
    }
}

export_fns! {
    /// y := alpha*x + beta*y (OpenBLAS/MKL ?AXPBY).
    #[export(fortran = saxpby, scalar = f32)]
    #[export(fortran = daxpby, scalar = f64)]
    #[export(fortran = caxpby, scalar = c32)]
    #[export(fortran = zaxpby, scalar = c64)]
    fn axpby(n: *const Int, alpha: *const T, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { axpby((*n).to_i64(), *alpha, x, (*incx).to_i64(), *beta, y, (*incy).to_i64()) }
    }

    /// B := alpha*op(A), op one of N, T, C (conjugate transpose), R (conjugate)
    /// (OpenBLAS/MKL ?OMATCOPY).
    #[export(fortran = somatcopy, scalar = f32)]
    #[export(fortran = domatcopy, scalar = f64)]
    #[export(fortran = comatcopy, scalar = c32)]
    #[export(fortran = zomatcopy, scalar = c64)]
    fn omatcopy(order: *const c_char, trans: *const c_char, rows: *const Int, cols: *const Int, alpha: *const T, a: *const T, lda: *const Int, b: *mut T, ldb: *const Int) {
        unsafe { omatcopy::<T, Int>(*order as u8, *trans as u8, (*rows).to_i64(), (*cols).to_i64(), *alpha, a, (*lda).to_i64(), b, (*ldb).to_i64()) }
    }

    /// A := alpha*op(A) in place, leading dimension lda before and ldb after
    /// (OpenBLAS/MKL ?IMATCOPY).
    #[export(fortran = simatcopy, scalar = f32)]
    #[export(fortran = dimatcopy, scalar = f64)]
    #[export(fortran = cimatcopy, scalar = c32)]
    #[export(fortran = zimatcopy, scalar = c64)]
    fn imatcopy(order: *const c_char, trans: *const c_char, rows: *const Int, cols: *const Int, alpha: *const T, a: *mut T, lda: *const Int, ldb: *const Int) {
        unsafe { imatcopy::<T, Int>(*order as u8, *trans as u8, (*rows).to_i64(), (*cols).to_i64(), *alpha, a, (*lda).to_i64(), (*ldb).to_i64()) }
    }
}

export_fns! {
    /// y := alpha*x + beta*y (cblas_?axpby).
    #[export(cblas = saxpby, scalar = f32)]
    #[export(cblas = daxpby, scalar = f64)]
    fn cblas_axpby_real(n: Int, alpha: T, x: *const T, incx: Int, beta: T, y: *mut T, incy: Int) {
        unsafe { axpby(n.to_i64(), alpha, x, incx.to_i64(), beta, y, incy.to_i64()) }
    }

    /// y := alpha*x + beta*y (cblas_?axpby, complex: alpha and beta by pointer).
    #[export(cblas = caxpby, scalar = c32)]
    #[export(cblas = zaxpby, scalar = c64)]
    fn cblas_axpby_complex(n: Int, alpha: *const T, x: *const T, incx: Int, beta: *const T, y: *mut T, incy: Int) {
        unsafe { axpby(n.to_i64(), *alpha, x, incx.to_i64(), *beta, y, incy.to_i64()) }
    }

    /// B := alpha*op(A) (cblas_?omatcopy; trans 114 is CblasConjNoTrans).
    #[export(cblas = somatcopy, scalar = f32)]
    #[export(cblas = domatcopy, scalar = f64)]
    fn cblas_omatcopy_real(order: c_int, trans: c_int, rows: Int, cols: Int, alpha: T, a: *const T, lda: Int, b: *mut T, ldb: Int) {
        let (o, t) = copy_chars(order, trans);
        unsafe { omatcopy::<T, Int>(o, t, rows.to_i64(), cols.to_i64(), alpha, a, lda.to_i64(), b, ldb.to_i64()) }
    }

    /// B := alpha*op(A) (cblas_?omatcopy, complex: alpha by pointer).
    #[export(cblas = comatcopy, scalar = c32)]
    #[export(cblas = zomatcopy, scalar = c64)]
    fn cblas_omatcopy_complex(order: c_int, trans: c_int, rows: Int, cols: Int, alpha: *const T, a: *const T, lda: Int, b: *mut T, ldb: Int) {
        let (o, t) = copy_chars(order, trans);
        unsafe { omatcopy::<T, Int>(o, t, rows.to_i64(), cols.to_i64(), *alpha, a, lda.to_i64(), b, ldb.to_i64()) }
    }

    /// A := alpha*op(A) in place (cblas_?imatcopy).
    #[export(cblas = simatcopy, scalar = f32)]
    #[export(cblas = dimatcopy, scalar = f64)]
    fn cblas_imatcopy_real(order: c_int, trans: c_int, rows: Int, cols: Int, alpha: T, a: *mut T, lda: Int, ldb: Int) {
        let (o, t) = copy_chars(order, trans);
        unsafe { imatcopy::<T, Int>(o, t, rows.to_i64(), cols.to_i64(), alpha, a, lda.to_i64(), ldb.to_i64()) }
    }

    /// A := alpha*op(A) in place (cblas_?imatcopy, complex: alpha by pointer).
    #[export(cblas = cimatcopy, scalar = c32)]
    #[export(cblas = zimatcopy, scalar = c64)]
    fn cblas_imatcopy_complex(order: c_int, trans: c_int, rows: Int, cols: Int, alpha: *const T, a: *mut T, lda: Int, ldb: Int) {
        let (o, t) = copy_chars(order, trans);
        unsafe { imatcopy::<T, Int>(o, t, rows.to_i64(), cols.to_i64(), *alpha, a, lda.to_i64(), ldb.to_i64()) }
    }

    /// Groups of products, each group sharing its arguments (MKL's cblas_?gemm_batch;
    /// alpha and beta arrays of group_count elements, of complex elements for C and Z).
    #[export(cblas = sgemm_batch, scalar = f32)]
    #[export(cblas = dgemm_batch, scalar = f64)]
    #[export(cblas = cgemm_batch, scalar = c32)]
    #[export(cblas = zgemm_batch, scalar = c64)]
    fn cblas_gemm_batch(layout: c_int, transa: *const c_int, transb: *const c_int, m: *const Int, n: *const Int, k: *const Int, alpha: *const T, a: *const *const T, lda: *const Int, b: *const *const T, ldb: *const Int, beta: *const T, c: *const *mut T, ldc: *const Int, group_count: Int, group_size: *const Int) {
        unsafe { gemm_batch::<T, Int>(layout, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, group_count.to_i64(), group_size) }
    }

    /// `batch` products with operands `stride` elements apart (MKL's
    /// cblas_?gemm_batch_strided).
    #[export(cblas = sgemm_batch_strided, scalar = f32)]
    #[export(cblas = dgemm_batch_strided, scalar = f64)]
    fn cblas_gemm_batch_strided_real(layout: c_int, transa: c_int, transb: c_int, m: Int, n: Int, k: Int, alpha: T, a: *const T, lda: Int, stride_a: Int, b: *const T, ldb: Int, stride_b: Int, beta: T, c: *mut T, ldc: Int, stride_c: Int, batch: Int) {
        unsafe { gemm_batch_strided(layout, transa, transb, m.to_i64(), n.to_i64(), k.to_i64(), alpha, a, lda.to_i64(), stride_a.to_i64(), b, ldb.to_i64(), stride_b.to_i64(), beta, c, ldc.to_i64(), stride_c.to_i64(), batch.to_i64()) }
    }

    /// `batch` products with operands `stride` elements apart (cblas_?gemm_batch_strided,
    /// complex: alpha and beta by pointer).
    #[export(cblas = cgemm_batch_strided, scalar = c32)]
    #[export(cblas = zgemm_batch_strided, scalar = c64)]
    fn cblas_gemm_batch_strided_complex(layout: c_int, transa: c_int, transb: c_int, m: Int, n: Int, k: Int, alpha: *const T, a: *const T, lda: Int, stride_a: Int, b: *const T, ldb: Int, stride_b: Int, beta: *const T, c: *mut T, ldc: Int, stride_c: Int, batch: Int) {
        unsafe { gemm_batch_strided(layout, transa, transb, m.to_i64(), n.to_i64(), k.to_i64(), *alpha, a, lda.to_i64(), stride_a.to_i64(), b, ldb.to_i64(), stride_b.to_i64(), *beta, c, ldc.to_i64(), stride_c.to_i64(), batch.to_i64()) }
    }
}
