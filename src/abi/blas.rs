//! BLAS level 3 exports: ?GEMM (S, D, C, Z) and DTRSM in the Fortran and CBLAS interfaces.

use super::cblas_enums::*;
use super::cblas_map;
use super::names::Name;
use super::{BlasInt, xerbla};
use crate::blas::gemm::{self, GemmArgs, GemmShape};
use crate::blas::syrk::{self, SyrkShape};
use crate::blas::trmm;
use crate::blas::trsm::{self, TrsmArgs, TrsmShape};
use crate::blas::{Side, Trans};
use crate::mat;
use crate::scalar::{Scalar, c32, c64};
use std::ffi::{c_char, c_int};

#[allow(non_upper_case_globals)]
fn cblas_trans(t: c_int) -> Option<u8> {
    match t {
        CblasNoTrans => Some(b'N'),
        CblasTrans => Some(b'T'),
        CblasConjTrans => Some(b'C'),
        _ => None,
    }
}

/// Computes a validated, column-major ?GEMM of any element type: the reference quick
/// return, then views of the operands and the one [`gemm::gemm`] entry, which picks
/// the path and the threads.
///
/// # Safety
/// The pointers satisfy the reference ?GEMM contract for `shape`.
#[inline(always)]
unsafe fn gemm_checked<T: Scalar>(
    shape: GemmShape,
    alpha: T,
    a: *const T,
    b: *const T,
    beta: T,
    c: *mut T,
) {
    if gemm::is_noop(&shape, alpha, beta) {
        return;
    }
    let GemmShape { m, n, .. } = shape;
    // alpha = 0 never reads A or B (they may even be dangling): their views are then
    // empty, and so is the product's depth.
    let dims = GemmShape {
        k: if alpha.is_zero() { 0 } else { shape.k },
        ..shape
    };
    let ((ar, ac), (br, bc)) = (dims.a_dims(), dims.b_dims());
    // SAFETY: A is ar×ac with leading dimension lda, B is br×bc with ldb, C is m×n with
    // ldc, disjoint from A and B.
    let (mut av, mut bv, cv) = unsafe {
        (
            mat::col_major(a, ar, ac, shape.lda),
            mat::col_major(b, br, bc, shape.ldb),
            mat::col_major_mut(c, m, n, shape.ldc),
        )
    };
    if shape.transa == Trans::Yes {
        av = av.transpose();
    }
    if shape.transb == Trans::Yes {
        bv = bv.transpose();
    }
    let per_fma = if T::COMPLEX { 4.0 } else { 1.0 };
    let describe = || {
        let op = |t: Trans, conj: bool| if conj { 'C' } else { t.as_char() };
        format!(
            "{},{},m={m},n={n},k={},lda={},ldb={},ldc={}",
            op(shape.transa, shape.conja),
            op(shape.transb, shape.conjb),
            shape.k,
            shape.lda,
            shape.ldb,
            shape.ldc
        )
    };
    // No closure: the small-product path is measured in nanoseconds, and the views
    // must stay in registers.
    let call = super::Call::start(Name::trace::<T>("gemm"), per_fma * shape.flops());
    let ran = gemm::gemm(call.par, alpha, av, shape.conja, bv, shape.conjb, beta, cv);
    call.finish(Some(ran), describe);
}

/// Fortran ?GEMM: read, validate in reference order, report or compute.
///
/// # Safety
/// Reference Fortran calling convention: every argument is a valid pointer.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn gemm_fortran<T: Scalar, I: BlasInt>(
    transa: *const c_char,
    transb: *const c_char,
    m: *const I,
    n: *const I,
    k: *const I,
    alpha: *const T,
    a: *const T,
    lda: *const I,
    b: *const T,
    ldb: *const I,
    beta: *const T,
    c: *mut T,
    ldc: *const I,
) {
    // SAFETY: the Fortran convention passes every scalar by valid pointer.
    let args = unsafe {
        GemmArgs {
            transa: *transa as u8,
            transb: *transb as u8,
            m: (*m).to_i64(),
            n: (*n).to_i64(),
            k: (*k).to_i64(),
            lda: (*lda).to_i64(),
            ldb: (*ldb).to_i64(),
            ldc: (*ldc).to_i64(),
        }
    };
    match gemm::validate(args) {
        Err(position) => xerbla::fortran::<I>(&Name::fortran::<T>("GEMM").to_string(), position),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { gemm_checked(shape, *alpha, a, b, *beta, c) },
    }
}

/// CBLAS ?GEMM. Row-major is column-major on the transpose: swap m↔n, A↔B, lda↔ldb and
/// the transposes (each keeps its conjugation, which the shape records). Illegal arguments are reported through
/// `cblas_xerbla` with CBLAS numbering (the layout is argument 1), and for row-major
/// with the reference "transpose and call Fortran" positions.
///
/// # Safety
/// Reference CBLAS contract for the pointers.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) unsafe fn gemm_cblas<T: Scalar>(
    layout: c_int,
    transa: c_int,
    transb: c_int,
    m: i64,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *const T,
    ldb: i64,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let report = |position| xerbla::cblas(&Name::cblas::<T>("gemm").to_cstring(), position);
    if layout != CblasRowMajor && layout != CblasColMajor {
        return report(1);
    }
    let Some(ta) = cblas_trans(transa) else {
        return report(2);
    };
    let Some(tb) = cblas_trans(transb) else {
        return report(3);
    };
    let (args, a, b) = if layout == CblasColMajor {
        (
            GemmArgs {
                transa: ta,
                transb: tb,
                m,
                n,
                k,
                lda,
                ldb,
                ldc,
            },
            a,
            b,
        )
    } else {
        let args = GemmArgs {
            transa: tb,
            transb: ta,
            m: n,
            n: m,
            k,
            lda: ldb,
            ldb: lda,
            ldc,
        };
        (args, b, a)
    };
    match gemm::validate(args) {
        Err(position) => report(position + 1),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { gemm_checked(shape, alpha, a, b, beta, c) },
    }
}

/// Computes a validated ?TRSM (`solve`) or ?TRMM: the operations share their
/// arguments and checks.
///
/// # Safety
/// The pointers satisfy the reference ?TRSM/?TRMM contract for `shape`.
unsafe fn triangular_checked<T: Scalar>(
    solve: bool,
    shape: TrsmShape,
    conj: bool,
    alpha: T,
    a: *const T,
    b: *mut T,
) {
    let TrsmShape { m, n, .. } = shape;
    if m == 0 || n == 0 {
        return;
    }
    let k = shape.order();
    let k_read = if alpha.is_zero() { 0 } else { k };
    // SAFETY: B is m×n (ldb); A is k×k (lda) and is not read when alpha = 0.
    let (a, b) = unsafe {
        (
            mat::col_major(a, k_read, k_read, shape.lda),
            mat::col_major_mut(b, m, n, shape.ldb),
        )
    };
    let per_fma = if T::COMPLEX { 4.0 } else { 1.0 };
    let flops = per_fma * (k * k) as f64 * if shape.side == Side::Left { n } else { m } as f64;
    let describe = || {
        format!(
            "{:?},{:?},{},{:?},m={m},n={n}",
            shape.side,
            shape.uplo,
            if conj { 'C' } else { shape.trans.as_char() },
            shape.diag
        )
    };
    let routine = Name::trace::<T>(if solve { "trsm" } else { "trmm" });
    // alpha = 0 zeroes B without reading A (whose view is then empty).
    super::traced(routine, flops, describe, |par| {
        let TrsmShape {
            side,
            uplo,
            trans,
            diag,
            ..
        } = shape;
        if solve {
            trsm::trsm(par, side, uplo, trans, conj, diag, alpha, a, b)
        } else {
            trmm::trmm(par, side, uplo, trans, conj, diag, alpha, a, b)
        }
    });
}

/// Fortran ?TRSM/?TRMM: read, check in reference order, report or compute.
///
/// # Safety
/// Reference Fortran calling convention.
#[allow(clippy::too_many_arguments)]
unsafe fn triangular_fortran<T: Scalar, I: BlasInt>(
    solve: bool,
    side: *const c_char,
    uplo: *const c_char,
    transa: *const c_char,
    diag: *const c_char,
    m: *const I,
    n: *const I,
    alpha: *const T,
    a: *const T,
    lda: *const I,
    b: *mut T,
    ldb: *const I,
) {
    // SAFETY: the Fortran convention passes every scalar by valid pointer.
    let args = unsafe {
        TrsmArgs {
            side: *side as u8,
            uplo: *uplo as u8,
            transa: *transa as u8,
            diag: *diag as u8,
            m: (*m).to_i64(),
            n: (*n).to_i64(),
            lda: (*lda).to_i64(),
            ldb: (*ldb).to_i64(),
        }
    };
    let conj = T::COMPLEX && args.transa.eq_ignore_ascii_case(&b'C');
    match trsm::validate(args) {
        Err(position) => xerbla::fortran::<I>(
            &Name::fortran::<T>(if solve { "TRSM" } else { "TRMM" }).to_string(),
            position,
        ),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { triangular_checked(solve, shape, conj, *alpha, a, b) },
    }
}

fn cblas_char(v: c_int, table: &[(c_int, u8)]) -> Option<u8> {
    table.iter().find(|(k, _)| *k == v).map(|(_, c)| *c)
}

/// CBLAS ?TRSM/?TRMM: row-major is the column-major problem on the transpose (side and
/// triangle flip, m↔n; the transposition stays), with positions reported as reference
/// CBLAS does.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
unsafe fn triangular_cblas<T: Scalar>(
    solve: bool,
    layout: c_int,
    side: c_int,
    uplo: c_int,
    transa: c_int,
    diag: c_int,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *mut T,
    ldb: i64,
) {
    let routine = Name::cblas::<T>(if solve { "trsm" } else { "trmm" }).to_cstring();
    let Some(row) = cblas_map::row_major(layout) else {
        return xerbla::cblas(&routine, 1);
    };
    let Some(side) = cblas_map::side(side, row) else {
        return xerbla::cblas(&routine, 2);
    };
    let Some(uplo) = cblas_map::uplo(uplo, row) else {
        return xerbla::cblas(&routine, 3);
    };
    let Some(transa) = cblas_trans(transa) else {
        return xerbla::cblas(&routine, 4);
    };
    let Some(diag) = cblas_map::diag(diag) else {
        return xerbla::cblas(&routine, 5);
    };
    let (m, n) = if row { (n, m) } else { (m, n) };
    let conj = T::COMPLEX && transa == b'C';
    match trsm::validate(TrsmArgs {
        side,
        uplo,
        transa,
        diag,
        m,
        n,
        lda,
        ldb,
    }) {
        Err(position) => xerbla::cblas(&routine, position + 1),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { triangular_checked(solve, shape, conj, alpha, a, b) },
    }
}

export_fns! {
    /// C := alpha*op(A)*op(B) + beta*C, column-major (reference Fortran BLAS ?GEMM).
    #[export(lp64 = [sgemm_, scipy_sgemm_], ilp64 = [sgemm_64_, scipy_sgemm_64_], scalar = f32)]
    #[export(lp64 = [dgemm_, scipy_dgemm_], ilp64 = [dgemm_64_, scipy_dgemm_64_], scalar = f64)]
    #[export(lp64 = [cgemm_, scipy_cgemm_], ilp64 = [cgemm_64_, scipy_cgemm_64_], scalar = c32)]
    #[export(lp64 = [zgemm_, scipy_zgemm_], ilp64 = [zgemm_64_, scipy_zgemm_64_], scalar = c64)]
    fn gemm(
        transa: *const c_char,
        transb: *const c_char,
        m: *const Int,
        n: *const Int,
        k: *const Int,
        alpha: *const T,
        a: *const T,
        lda: *const Int,
        b: *const T,
        ldb: *const Int,
        beta: *const T,
        c: *mut T,
        ldc: *const Int,
    ) {
        unsafe {
            gemm_fortran::<T, Int>(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
    }

    /// C := alpha*op(A)*op(B) + beta*C (reference CBLAS cblas_?gemm), row- or column-major.
    #[export(lp64 = [cblas_sgemm, scipy_cblas_sgemm], ilp64 = [cblas_sgemm64_, scipy_cblas_sgemm64_], scalar = f32)]
    #[export(lp64 = [cblas_dgemm, scipy_cblas_dgemm], ilp64 = [cblas_dgemm64_, scipy_cblas_dgemm64_], scalar = f64)]
    fn cblas_gemm_real(
        layout: i32,
        transa: i32,
        transb: i32,
        m: Int,
        n: Int,
        k: Int,
        alpha: T,
        a: *const T,
        lda: Int,
        b: *const T,
        ldb: Int,
        beta: T,
        c: *mut T,
        ldc: Int,
    ) {
        unsafe {
            gemm_cblas::<T>(
                layout,
                transa,
                transb,
                m.to_i64(),
                n.to_i64(),
                k.to_i64(),
                alpha,
                a,
                lda.to_i64(),
                b,
                ldb.to_i64(),
                beta,
                c,
                ldc.to_i64(),
            )
        }
    }

    /// C := alpha*op(A)*op(B) + beta*C (reference CBLAS cblas_?gemm, complex: alpha and
    /// beta by pointer), row- or column-major.
    #[export(lp64 = [cblas_cgemm, scipy_cblas_cgemm], ilp64 = [cblas_cgemm64_, scipy_cblas_cgemm64_], scalar = c32)]
    #[export(lp64 = [cblas_zgemm, scipy_cblas_zgemm], ilp64 = [cblas_zgemm64_, scipy_cblas_zgemm64_], scalar = c64)]
    fn cblas_gemm_complex(
        layout: i32,
        transa: i32,
        transb: i32,
        m: Int,
        n: Int,
        k: Int,
        alpha: *const T,
        a: *const T,
        lda: Int,
        b: *const T,
        ldb: Int,
        beta: *const T,
        c: *mut T,
        ldc: Int,
    ) {
        unsafe {
            gemm_cblas::<T>(
                layout,
                transa,
                transb,
                m.to_i64(),
                n.to_i64(),
                k.to_i64(),
                *alpha,
                a,
                lda.to_i64(),
                b,
                ldb.to_i64(),
                *beta,
                c,
                ldc.to_i64(),
            )
        }
    }

    /// Solves op(A)*X = alpha*B or X*op(A) = alpha*B, X overwriting B (reference ?TRSM).
    #[export(fortran = strsm, scalar = f32)]
    #[export(fortran = dtrsm, scalar = f64)]
    #[export(fortran = ctrsm, scalar = c32)]
    #[export(fortran = ztrsm, scalar = c64)]
    fn trsm(
        side: *const c_char,
        uplo: *const c_char,
        transa: *const c_char,
        diag: *const c_char,
        m: *const Int,
        n: *const Int,
        alpha: *const T,
        a: *const T,
        lda: *const Int,
        b: *mut T,
        ldb: *const Int,
    ) {
        unsafe { triangular_fortran::<T, Int>(true, side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb) }
    }

    /// B := alpha*op(A)*B or alpha*B*op(A), A triangular (reference ?TRMM).
    #[export(fortran = strmm, scalar = f32)]
    #[export(fortran = dtrmm, scalar = f64)]
    #[export(fortran = ctrmm, scalar = c32)]
    #[export(fortran = ztrmm, scalar = c64)]
    fn trmm(
        side: *const c_char,
        uplo: *const c_char,
        transa: *const c_char,
        diag: *const c_char,
        m: *const Int,
        n: *const Int,
        alpha: *const T,
        a: *const T,
        lda: *const Int,
        b: *mut T,
        ldb: *const Int,
    ) {
        unsafe { triangular_fortran::<T, Int>(false, side, uplo, transa, diag, m, n, alpha, a, lda, b, ldb) }
    }

    /// Triangular solve (reference CBLAS cblas_?trsm), row- or column-major.
    #[export(cblas = strsm, scalar = f32)]
    #[export(cblas = dtrsm, scalar = f64)]
    fn cblas_trsm_real(layout: i32, side: i32, uplo: i32, transa: i32, diag: i32, m: Int, n: Int, alpha: T, a: *const T, lda: Int, b: *mut T, ldb: Int) {
        unsafe { triangular_cblas(true, layout, side, uplo, transa, diag, m.to_i64(), n.to_i64(), alpha, a, lda.to_i64(), b, ldb.to_i64()) }
    }

    /// Triangular solve (reference CBLAS cblas_?trsm, complex: alpha by pointer).
    #[export(cblas = ctrsm, scalar = c32)]
    #[export(cblas = ztrsm, scalar = c64)]
    fn cblas_trsm_complex(layout: i32, side: i32, uplo: i32, transa: i32, diag: i32, m: Int, n: Int, alpha: *const T, a: *const T, lda: Int, b: *mut T, ldb: Int) {
        unsafe { triangular_cblas(true, layout, side, uplo, transa, diag, m.to_i64(), n.to_i64(), *alpha, a, lda.to_i64(), b, ldb.to_i64()) }
    }

    /// Triangular product (reference CBLAS cblas_?trmm), row- or column-major.
    #[export(cblas = strmm, scalar = f32)]
    #[export(cblas = dtrmm, scalar = f64)]
    fn cblas_trmm_real(layout: i32, side: i32, uplo: i32, transa: i32, diag: i32, m: Int, n: Int, alpha: T, a: *const T, lda: Int, b: *mut T, ldb: Int) {
        unsafe { triangular_cblas(false, layout, side, uplo, transa, diag, m.to_i64(), n.to_i64(), alpha, a, lda.to_i64(), b, ldb.to_i64()) }
    }

    /// Triangular product (reference CBLAS cblas_?trmm, complex: alpha by pointer).
    #[export(cblas = ctrmm, scalar = c32)]
    #[export(cblas = ztrmm, scalar = c64)]
    fn cblas_trmm_complex(layout: i32, side: i32, uplo: i32, transa: i32, diag: i32, m: Int, n: Int, alpha: *const T, a: *const T, lda: Int, b: *mut T, ldb: Int) {
        unsafe { triangular_cblas(false, layout, side, uplo, transa, diag, m.to_i64(), n.to_i64(), *alpha, a, lda.to_i64(), b, ldb.to_i64()) }
    }
}

/// Computes a validated ?SYRK.
///
/// # Safety
/// The pointers satisfy the reference ?SYRK contract for `shape`.
unsafe fn syrk_checked<T: Scalar>(shape: SyrkShape, alpha: T, a: *const T, beta: T, c: *mut T) {
    let SyrkShape { n, k, .. } = shape;
    if n == 0 || ((alpha.is_zero() || k == 0) && beta.is_one()) {
        return;
    }
    let (ar, ac) = if alpha.is_zero() {
        (0, 0)
    } else {
        shape.a_dims()
    };
    // SAFETY: C is n×n (ldc); A is ar×ac (lda), not read when alpha = 0.
    let (av, cv) = unsafe {
        (
            mat::col_major(a, ar, ac, shape.lda),
            mat::col_major_mut(c, n, n, shape.ldc),
        )
    };
    let per_fma = if T::COMPLEX { 4.0 } else { 1.0 };
    let describe = || format!("{:?},trans={},n={n},k={k}", shape.uplo, shape.trans);
    // alpha = 0: A's view is empty and syrk does not read it.
    super::traced(
        Name::trace::<T>("syrk"),
        per_fma * (n * n * k) as f64,
        describe,
        |par| syrk::syrk(par, shape.uplo, shape.trans, alpha, av, beta, cv),
    );
}

/// CBLAS ?SYRK: row-major is the column-major problem on the transpose (the triangle
/// and the transposition flip).
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
unsafe fn syrk_cblas<T: Scalar>(
    layout: c_int,
    uplo: c_int,
    trans: c_int,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let report = |position| xerbla::cblas(&Name::cblas::<T>("syrk").to_cstring(), position);
    if layout != CblasRowMajor && layout != CblasColMajor {
        return report(1);
    }
    let row = layout == CblasRowMajor;
    let (u, lo) = if row { (b'L', b'U') } else { (b'U', b'L') };
    let Some(uplo) = cblas_char(uplo, &[(CblasUpper, u), (CblasLower, lo)]) else {
        return report(2);
    };
    let (nt, t) = if row { (b'T', b'N') } else { (b'N', b'T') };
    let table: &[(c_int, u8)] = if T::COMPLEX {
        &[(CblasNoTrans, nt), (CblasTrans, t)]
    } else {
        &[(CblasNoTrans, nt), (CblasTrans, t), (CblasConjTrans, t)]
    };
    let Some(trans) = cblas_char(trans, table) else {
        return report(3);
    };
    match syrk::validate(T::COMPLEX, uplo, trans, n, k, lda, ldc) {
        Err(position) => report(position + 1),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { syrk_checked(shape, alpha, a, beta, c) },
    }
}

/// Fortran ?SYRK.
///
/// # Safety
/// Reference Fortran calling convention.
#[allow(clippy::too_many_arguments)]
unsafe fn syrk_fortran<T: Scalar, I: BlasInt>(
    uplo: *const c_char,
    trans: *const c_char,
    n: *const I,
    k: *const I,
    alpha: *const T,
    a: *const T,
    lda: *const I,
    beta: *const T,
    c: *mut T,
    ldc: *const I,
) {
    // SAFETY: the Fortran convention passes every scalar by valid pointer.
    let checked = unsafe {
        syrk::validate(
            T::COMPLEX,
            *uplo as u8,
            *trans as u8,
            (*n).to_i64(),
            (*k).to_i64(),
            (*lda).to_i64(),
            (*ldc).to_i64(),
        )
    };
    match checked {
        Err(position) => xerbla::fortran::<I>(&Name::fortran::<T>("SYRK").to_string(), position),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { syrk_checked(shape, *alpha, a, *beta, c) },
    }
}

export_fns! {
    /// C := alpha*op(A)*op(A)**T + beta*C on one triangle (reference ?SYRK).
    #[export(lp64 = [ssyrk_, scipy_ssyrk_], ilp64 = [ssyrk_64_, scipy_ssyrk_64_], scalar = f32)]
    #[export(lp64 = [dsyrk_, scipy_dsyrk_], ilp64 = [dsyrk_64_, scipy_dsyrk_64_], scalar = f64)]
    #[export(lp64 = [csyrk_, scipy_csyrk_], ilp64 = [csyrk_64_, scipy_csyrk_64_], scalar = c32)]
    #[export(lp64 = [zsyrk_, scipy_zsyrk_], ilp64 = [zsyrk_64_, scipy_zsyrk_64_], scalar = c64)]
    fn syrk(
        uplo: *const c_char,
        trans: *const c_char,
        n: *const Int,
        k: *const Int,
        alpha: *const T,
        a: *const T,
        lda: *const Int,
        beta: *const T,
        c: *mut T,
        ldc: *const Int,
    ) {
        unsafe {
            syrk_fortran::<T, Int>(uplo, trans, n, k, alpha, a, lda, beta, c, ldc)
        }
    }

    /// C := alpha*op(A)*op(A)**T + beta*C on one triangle (reference CBLAS cblas_?syrk).
    #[export(lp64 = [cblas_ssyrk, scipy_cblas_ssyrk], ilp64 = [cblas_ssyrk64_, scipy_cblas_ssyrk64_], scalar = f32)]
    #[export(lp64 = [cblas_dsyrk, scipy_cblas_dsyrk], ilp64 = [cblas_dsyrk64_, scipy_cblas_dsyrk64_], scalar = f64)]
    fn cblas_syrk_real(
        layout: i32,
        uplo: i32,
        trans: i32,
        n: Int,
        k: Int,
        alpha: T,
        a: *const T,
        lda: Int,
        beta: T,
        c: *mut T,
        ldc: Int,
    ) {
        unsafe {
            syrk_cblas::<T>(layout, uplo, trans, n.to_i64(), k.to_i64(), alpha, a, lda.to_i64(), beta, c, ldc.to_i64())
        }
    }

    /// C := alpha*op(A)*op(A)**T + beta*C on one triangle (reference CBLAS cblas_?syrk,
    /// complex: alpha and beta by pointer).
    #[export(lp64 = [cblas_csyrk, scipy_cblas_csyrk], ilp64 = [cblas_csyrk64_, scipy_cblas_csyrk64_], scalar = c32)]
    #[export(lp64 = [cblas_zsyrk, scipy_cblas_zsyrk], ilp64 = [cblas_zsyrk64_, scipy_cblas_zsyrk64_], scalar = c64)]
    fn cblas_syrk_complex(
        layout: i32,
        uplo: i32,
        trans: i32,
        n: Int,
        k: Int,
        alpha: *const T,
        a: *const T,
        lda: Int,
        beta: *const T,
        c: *mut T,
        ldc: Int,
    ) {
        unsafe {
            syrk_cblas::<T>(layout, uplo, trans, n.to_i64(), k.to_i64(), *alpha, a, lda.to_i64(), *beta, c, ldc.to_i64())
        }
    }
}
