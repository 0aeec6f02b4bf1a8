//! BLAS levels 1 and 2 exports for S, D, C, Z: ?GEMV, ?AXPY, ?DOT (?DOTU/?DOTC as the
//! CBLAS `_sub` forms), ?COPY — Fortran and CBLAS interfaces.

use super::cblas_enums::*;
use super::names::Name;
use super::{BlasInt, xerbla};
use crate::blas::gemv::{self, GemvOp, GemvScalar, GemvShape};
use crate::blas::level1;
use crate::mat::{self, vector, vector_mut};
use crate::scalar::{Scalar, c32, c64};
use std::ffi::{c_char, c_int};

/// Computes a validated ?GEMV.
///
/// # Safety
/// The pointers satisfy the reference ?GEMV contract for `shape`.
unsafe fn gemv_checked<T: GemvScalar>(
    shape: GemvShape,
    alpha: T,
    a: *const T,
    x: *const T,
    beta: T,
    y: *mut T,
) {
    let GemvShape { m, n, .. } = shape;
    let (ylen, xlen) = if shape.op.keeps_rows() {
        (m, n)
    } else {
        (n, m)
    };
    if m == 0 || n == 0 || (alpha.is_zero() && beta.is_one()) {
        return;
    }
    // SAFETY: y has ylen elements at its increment.
    let yv = unsafe { vector_mut(y, ylen, shape.incy) };
    if alpha.is_zero() {
        // A and x are not read (they may even be dangling).
        return level1::scale(beta, yv);
    }
    // SAFETY: A is m×n (lda), x has xlen elements at its increment.
    let (av, xv) = unsafe {
        (
            mat::col_major(a, m, n, shape.lda),
            vector(x, xlen, shape.incx),
        )
    };
    let flops = (if T::COMPLEX { 8 } else { 2 } * m * n) as f64;
    let describe = || format!("{:?},m={m},n={n}", shape.op);
    super::traced_ran(Name::trace::<T>("gemv"), flops, describe, |par| {
        ((), gemv::gemv(par, shape.op, alpha, av, xv, beta, yv))
    });
}

/// Fortran ?GEMV.
///
/// # Safety
/// Reference Fortran calling convention.
#[allow(clippy::too_many_arguments)]
unsafe fn gemv_fortran<T: GemvScalar, I: BlasInt>(
    trans: *const c_char,
    m: *const I,
    n: *const I,
    alpha: *const T,
    a: *const T,
    lda: *const I,
    x: *const T,
    incx: *const I,
    beta: *const T,
    y: *mut T,
    incy: *const I,
) {
    // SAFETY: the Fortran convention passes every scalar by valid pointer.
    let checked = unsafe {
        gemv::validate(
            T::COMPLEX,
            *trans as u8,
            (*m).to_i64(),
            (*n).to_i64(),
            (*lda).to_i64(),
            (*incx).to_i64(),
            (*incy).to_i64(),
        )
    };
    match checked {
        Err(position) => xerbla::fortran::<I>(&Name::fortran::<T>("GEMV").to_string(), position),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { gemv_checked(shape, *alpha, a, x, *beta, y) },
    }
}

/// CBLAS ?GEMV: row-major A is column-major Aᵀ, so A·x becomes Aᵀ·x on the storage,
/// Aᵀ·x becomes A·x and Aᴴ·x becomes conj(A)·x; m and n swap.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments, non_upper_case_globals)]
unsafe fn gemv_cblas<T: GemvScalar>(
    layout: c_int,
    trans: c_int,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let report = |position| xerbla::cblas(&Name::cblas::<T>("gemv").to_cstring(), position);
    if layout != CblasRowMajor && layout != CblasColMajor {
        return report(1);
    }
    let row = layout == CblasRowMajor;
    let op = match (trans, row) {
        (CblasNoTrans, false) => GemvOp::NoTrans,
        (CblasTrans, false) => GemvOp::Trans,
        (CblasConjTrans, false) if T::COMPLEX => GemvOp::ConjTrans,
        (CblasConjTrans, false) => GemvOp::Trans,
        (CblasNoTrans, true) => GemvOp::Trans,
        (CblasTrans, true) => GemvOp::NoTrans,
        (CblasConjTrans, true) if T::COMPLEX => GemvOp::Conj,
        (CblasConjTrans, true) => GemvOp::NoTrans,
        _ => return report(2),
    };
    let (m, n) = if row { (n, m) } else { (m, n) };
    match gemv::validate(T::COMPLEX, b'N', m, n, lda, incx, incy) {
        Err(position) => report(position + 1),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { gemv_checked(GemvShape { op, ..shape }, alpha, a, x, beta, y) },
    }
}

/// A caller's vector length (n ≤ 0: empty, as reference level-1 routines treat it).
fn len<I: BlasInt>(n: I) -> usize {
    n.to_i64().max(0) as usize
}

fn inc<I: BlasInt>(inc: I) -> isize {
    inc.to_i64() as isize
}

/// ?AXPY on the caller's vectors.
///
/// # Safety
/// Reference ?AXPY contract.
unsafe fn axpy_raw<T: Scalar, I: BlasInt>(
    n: I,
    alpha: T,
    x: *const T,
    incx: I,
    y: *mut T,
    incy: I,
) {
    let n = len(n);
    // SAFETY: the reference layout of n elements at each increment.
    unsafe {
        level1::axpy(
            super::par(),
            alpha,
            vector(x, n, inc(incx)),
            vector_mut(y, n, inc(incy)),
        )
    }
}

/// ?COPY on the caller's vectors.
///
/// # Safety
/// Reference ?COPY contract.
unsafe fn copy_raw<T: Scalar, I: BlasInt>(n: I, x: *const T, incx: I, y: *mut T, incy: I) {
    let n = len(n);
    // SAFETY: the reference layout of n elements at each increment.
    unsafe {
        level1::copy(
            super::par(),
            vector(x, n, inc(incx)),
            vector_mut(y, n, inc(incy)),
        )
    }
}

/// ?DOT / ?DOTU (`conj` false) or ?DOTC on the caller's vectors.
///
/// # Safety
/// Reference ?DOT contract.
unsafe fn dot_raw<T: Scalar, I: BlasInt>(
    conj: bool,
    n: I,
    x: *const T,
    incx: I,
    y: *const T,
    incy: I,
) -> T {
    let n = len(n);
    // SAFETY: the reference layout of n elements at each increment.
    unsafe {
        level1::dot(
            super::par(),
            conj,
            vector(x, n, inc(incx)),
            vector(y, n, inc(incy)),
        )
    }
}

export_fns! {
    /// y := alpha*op(A)*x + beta*y (reference ?GEMV).
    #[export(lp64 = [sgemv_, scipy_sgemv_], ilp64 = [sgemv_64_, scipy_sgemv_64_], scalar = f32)]
    #[export(lp64 = [dgemv_, scipy_dgemv_], ilp64 = [dgemv_64_, scipy_dgemv_64_], scalar = f64)]
    #[export(lp64 = [cgemv_, scipy_cgemv_], ilp64 = [cgemv_64_, scipy_cgemv_64_], scalar = c32)]
    #[export(lp64 = [zgemv_, scipy_zgemv_], ilp64 = [zgemv_64_, scipy_zgemv_64_], scalar = c64)]
    fn gemv(
        trans: *const c_char,
        m: *const Int,
        n: *const Int,
        alpha: *const T,
        a: *const T,
        lda: *const Int,
        x: *const T,
        incx: *const Int,
        beta: *const T,
        y: *mut T,
        incy: *const Int,
    ) {
        unsafe {
            gemv_fortran::<T, Int>(trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
        }
    }

    /// y := alpha*op(A)*x + beta*y (reference CBLAS cblas_?gemv), row- or column-major.
    #[export(lp64 = [cblas_sgemv, scipy_cblas_sgemv], ilp64 = [cblas_sgemv64_, scipy_cblas_sgemv64_], scalar = f32)]
    #[export(lp64 = [cblas_dgemv, scipy_cblas_dgemv], ilp64 = [cblas_dgemv64_, scipy_cblas_dgemv64_], scalar = f64)]
    fn cblas_gemv_real(
        layout: i32,
        trans: i32,
        m: Int,
        n: Int,
        alpha: T,
        a: *const T,
        lda: Int,
        x: *const T,
        incx: Int,
        beta: T,
        y: *mut T,
        incy: Int,
    ) {
        unsafe {
            gemv_cblas::<T>(layout, trans, m.to_i64(), n.to_i64(), alpha, a, lda.to_i64(), x, incx.to_i64(), beta, y, incy.to_i64())
        }
    }

    /// y := alpha*op(A)*x + beta*y (reference CBLAS cblas_?gemv, complex: alpha and beta
    /// by pointer), row- or column-major.
    #[export(lp64 = [cblas_cgemv, scipy_cblas_cgemv], ilp64 = [cblas_cgemv64_, scipy_cblas_cgemv64_], scalar = c32)]
    #[export(lp64 = [cblas_zgemv, scipy_cblas_zgemv], ilp64 = [cblas_zgemv64_, scipy_cblas_zgemv64_], scalar = c64)]
    fn cblas_gemv_complex(
        layout: i32,
        trans: i32,
        m: Int,
        n: Int,
        alpha: *const T,
        a: *const T,
        lda: Int,
        x: *const T,
        incx: Int,
        beta: *const T,
        y: *mut T,
        incy: Int,
    ) {
        unsafe {
            gemv_cblas::<T>(layout, trans, m.to_i64(), n.to_i64(), *alpha, a, lda.to_i64(), x, incx.to_i64(), *beta, y, incy.to_i64())
        }
    }

    /// y := alpha*x + y (reference ?AXPY).
    #[export(lp64 = [saxpy_, scipy_saxpy_], ilp64 = [saxpy_64_, scipy_saxpy_64_], scalar = f32)]
    #[export(lp64 = [daxpy_, scipy_daxpy_], ilp64 = [daxpy_64_, scipy_daxpy_64_], scalar = f64)]
    #[export(lp64 = [caxpy_, scipy_caxpy_], ilp64 = [caxpy_64_, scipy_caxpy_64_], scalar = c32)]
    #[export(lp64 = [zaxpy_, scipy_zaxpy_], ilp64 = [zaxpy_64_, scipy_zaxpy_64_], scalar = c64)]
    fn axpy(n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *mut T, incy: *const Int) {
        unsafe { axpy_raw::<T, Int>(*n, *alpha, x, *incx, y, *incy) }
    }

    /// y := alpha*x + y (reference CBLAS cblas_?axpy).
    #[export(lp64 = [cblas_saxpy, scipy_cblas_saxpy], ilp64 = [cblas_saxpy64_, scipy_cblas_saxpy64_], scalar = f32)]
    #[export(lp64 = [cblas_daxpy, scipy_cblas_daxpy], ilp64 = [cblas_daxpy64_, scipy_cblas_daxpy64_], scalar = f64)]
    fn cblas_axpy_real(n: Int, alpha: T, x: *const T, incx: Int, y: *mut T, incy: Int) {
        unsafe { axpy_raw::<T, Int>(n, alpha, x, incx, y, incy) }
    }

    /// y := alpha*x + y (reference CBLAS cblas_?axpy, complex: alpha by pointer).
    #[export(lp64 = [cblas_caxpy, scipy_cblas_caxpy], ilp64 = [cblas_caxpy64_, scipy_cblas_caxpy64_], scalar = c32)]
    #[export(lp64 = [cblas_zaxpy, scipy_cblas_zaxpy], ilp64 = [cblas_zaxpy64_, scipy_cblas_zaxpy64_], scalar = c64)]
    fn cblas_axpy_complex(n: Int, alpha: *const T, x: *const T, incx: Int, y: *mut T, incy: Int) {
        unsafe { axpy_raw::<T, Int>(n, *alpha, x, incx, y, incy) }
    }

    /// y := x (reference ?COPY).
    #[export(lp64 = [scopy_, scipy_scopy_], ilp64 = [scopy_64_, scipy_scopy_64_], scalar = f32)]
    #[export(lp64 = [dcopy_, scipy_dcopy_], ilp64 = [dcopy_64_, scipy_dcopy_64_], scalar = f64)]
    #[export(lp64 = [ccopy_, scipy_ccopy_], ilp64 = [ccopy_64_, scipy_ccopy_64_], scalar = c32)]
    #[export(lp64 = [zcopy_, scipy_zcopy_], ilp64 = [zcopy_64_, scipy_zcopy_64_], scalar = c64)]
    fn copy(n: *const Int, x: *const T, incx: *const Int, y: *mut T, incy: *const Int) {
        unsafe { copy_raw::<T, Int>(*n, x, *incx, y, *incy) }
    }

    /// y := x (reference CBLAS cblas_?copy).
    #[export(lp64 = [cblas_scopy, scipy_cblas_scopy], ilp64 = [cblas_scopy64_, scipy_cblas_scopy64_], scalar = f32)]
    #[export(lp64 = [cblas_dcopy, scipy_cblas_dcopy], ilp64 = [cblas_dcopy64_, scipy_cblas_dcopy64_], scalar = f64)]
    #[export(lp64 = [cblas_ccopy, scipy_cblas_ccopy], ilp64 = [cblas_ccopy64_, scipy_cblas_ccopy64_], scalar = c32)]
    #[export(lp64 = [cblas_zcopy, scipy_cblas_zcopy], ilp64 = [cblas_zcopy64_, scipy_cblas_zcopy64_], scalar = c64)]
    fn cblas_copy(n: Int, x: *const T, incx: Int, y: *mut T, incy: Int) {
        unsafe { copy_raw::<T, Int>(n, x, incx, y, incy) }
    }

    /// x·y (reference ?DOT).
    #[export(lp64 = [sdot_, scipy_sdot_], ilp64 = [sdot_64_, scipy_sdot_64_], scalar = f32)]
    #[export(lp64 = [ddot_, scipy_ddot_], ilp64 = [ddot_64_, scipy_ddot_64_], scalar = f64)]
    fn dot(n: *const Int, x: *const T, incx: *const Int, y: *const T, incy: *const Int) -> T {
        unsafe { dot_raw::<T, Int>(false, *n, x, *incx, y, *incy) }
    }

    /// x·y (reference CBLAS cblas_?dot).
    #[export(lp64 = [cblas_sdot, scipy_cblas_sdot], ilp64 = [cblas_sdot64_, scipy_cblas_sdot64_], scalar = f32)]
    #[export(lp64 = [cblas_ddot, scipy_cblas_ddot], ilp64 = [cblas_ddot64_, scipy_cblas_ddot64_], scalar = f64)]
    fn cblas_dot(n: Int, x: *const T, incx: Int, y: *const T, incy: Int) -> T {
        unsafe { dot_raw::<T, Int>(false, n, x, incx, y, incy) }
    }

    /// *dotu := xᵀ·y (reference CBLAS cblas_?dotu_sub).
    #[export(lp64 = [cblas_cdotu_sub, scipy_cblas_cdotu_sub], ilp64 = [cblas_cdotu_sub64_, scipy_cblas_cdotu_sub64_], scalar = c32)]
    #[export(lp64 = [cblas_zdotu_sub, scipy_cblas_zdotu_sub], ilp64 = [cblas_zdotu_sub64_, scipy_cblas_zdotu_sub64_], scalar = c64)]
    fn cblas_dotu_sub(n: Int, x: *const T, incx: Int, y: *const T, incy: Int, dotu: *mut T) {
        unsafe { *dotu = dot_raw::<T, Int>(false, n, x, incx, y, incy) }
    }

    /// *dotc := xᴴ·y (reference CBLAS cblas_?dotc_sub).
    #[export(lp64 = [cblas_cdotc_sub, scipy_cblas_cdotc_sub], ilp64 = [cblas_cdotc_sub64_, scipy_cblas_cdotc_sub64_], scalar = c32)]
    #[export(lp64 = [cblas_zdotc_sub, scipy_cblas_zdotc_sub], ilp64 = [cblas_zdotc_sub64_, scipy_cblas_zdotc_sub64_], scalar = c64)]
    fn cblas_dotc_sub(n: Int, x: *const T, incx: Int, y: *const T, incy: Int, dotc: *mut T) {
        unsafe { *dotc = dot_raw::<T, Int>(true, n, x, incx, y, incy) }
    }
}
