//! BLAS level 3 exports: DGEMM and DTRSM in the Fortran and CBLAS interfaces.

use super::cblas_enums::*;
use super::{BlasInt, guard, xerbla};
use crate::blas::gemm::driver::Strided;
use crate::blas::gemm::{self, GemmArgs, GemmShape};
use crate::blas::trsm::{self, TrsmArgs, TrsmShape};
use crate::blas::{Side, Trans};
use crate::{mat, runtime};
use std::ffi::{CStr, c_char, c_int};

#[allow(non_upper_case_globals)]
fn cblas_trans(t: c_int) -> Option<u8> {
    match t {
        CblasNoTrans => Some(b'N'),
        CblasTrans => Some(b'T'),
        CblasConjTrans => Some(b'C'),
        _ => None,
    }
}

/// Computes a validated, column-major DGEMM.
///
/// # Safety
/// The pointers satisfy the reference DGEMM contract for `shape`.
#[inline(always)]
unsafe fn dgemm_checked(
    shape: GemmShape,
    alpha: f64,
    a: *const f64,
    b: *const f64,
    beta: f64,
    c: *mut f64,
) {
    if gemm::is_noop(&shape, alpha, beta) {
        return;
    }
    let GemmShape { m, n, k, .. } = shape;
    if alpha == 0.0 || k == 0 {
        // A and B are not read (they may even be dangling).
        // SAFETY: the reference contract: C is m×n with leading dimension ldc.
        gemm::scale(unsafe { mat::col_major_mut(c, m, n, shape.ldc) }, beta);
        return;
    }
    let isa = super::isa();
    let unpacked = gemm::is_unpacked(isa, shape.transa == Trans::No, m, n, k);
    // The budget is only read for products large enough to share.
    let threads = gemm::threads_for(m, n, k, unpacked, runtime::budget);
    let trace = runtime::verbose::start("dgemm", threads, shape.flops());
    let (ld_a, ld_b) = (shape.lda as isize, shape.ldb as isize);
    let b_op = match shape.transb {
        Trans::No => Strided {
            ptr: b,
            rs: 1,
            cs: ld_b,
        },
        Trans::Yes => Strided {
            ptr: b,
            rs: ld_b,
            cs: 1,
        },
    };
    // Tiny products go straight to the unpacked kernel on the raw pointers: for them,
    // views and a team would cost as much as the arithmetic.
    // SAFETY: the reference contract for the validated shape; A (not transposed) has
    // unit row stride; C is m×n with leading dimension ldc, disjoint from A and B.
    let done = threads == 1
        && unpacked
        && unsafe {
            let a_op = Strided {
                ptr: a,
                rs: 1,
                cs: ld_a,
            };
            gemm::try_direct(isa, m, n, k, alpha, a_op, b_op, beta, c, shape.ldc)
        };
    if !done {
        let (ar, ac) = shape.a_dims();
        let (br, bc) = shape.b_dims();
        // SAFETY: A is ar×ac with leading dimension lda, B is br×bc with ldb.
        let mut a = unsafe { mat::col_major(a, ar, ac, shape.lda) };
        let mut b = unsafe { mat::col_major(b, br, bc, shape.ldb) };
        if shape.transa == Trans::Yes {
            a = a.transpose();
        }
        if shape.transb == Trans::Yes {
            b = b.transpose();
        }
        // SAFETY: as above for C.
        let c = unsafe { mat::col_major_mut(c, m, n, shape.ldc) };
        gemm::gemm(super::par(threads), alpha, a, b, beta, c);
    }
    if let Some(t) = trace {
        t.finish(format!(
            "{},{},m={m},n={n},k={k},lda={},ldb={},ldc={}",
            shape.transa.as_char(),
            shape.transb.as_char(),
            shape.lda,
            shape.ldb,
            shape.ldc
        ));
    }
}

/// Fortran DGEMM: read, validate in reference order, report or compute.
///
/// # Safety
/// Reference Fortran calling convention: every argument is a valid pointer.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn dgemm_fortran<I: BlasInt>(
    transa: *const c_char,
    transb: *const c_char,
    m: *const I,
    n: *const I,
    k: *const I,
    alpha: *const f64,
    a: *const f64,
    lda: *const I,
    b: *const f64,
    ldb: *const I,
    beta: *const f64,
    c: *mut f64,
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
        Err(position) => xerbla::fortran::<I>("DGEMM", position),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { dgemm_checked(shape, *alpha, a, b, *beta, c) },
    }
}

/// CBLAS DGEMM. Row-major is column-major on the transpose: swap m↔n, A↔B, lda↔ldb and
/// the transposes. Illegal arguments are reported through `cblas_xerbla` with CBLAS
/// numbering (the layout is argument 1), and for row-major with the reference
/// "transpose and call Fortran" positions.
///
/// # Safety
/// Reference CBLAS contract for the pointers.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn dgemm_cblas(
    routine: &CStr,
    layout: c_int,
    transa: c_int,
    transb: c_int,
    m: i64,
    n: i64,
    k: i64,
    alpha: f64,
    a: *const f64,
    lda: i64,
    b: *const f64,
    ldb: i64,
    beta: f64,
    c: *mut f64,
    ldc: i64,
) {
    if layout != CblasRowMajor && layout != CblasColMajor {
        return xerbla::cblas(routine, 1);
    }
    let Some(ta) = cblas_trans(transa) else {
        return xerbla::cblas(routine, 2);
    };
    let Some(tb) = cblas_trans(transb) else {
        return xerbla::cblas(routine, 3);
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
        Err(position) => xerbla::cblas(routine, position + 1),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { dgemm_checked(shape, alpha, a, b, beta, c) },
    }
}

/// Computes a validated DTRSM.
///
/// # Safety
/// The pointers satisfy the reference DTRSM contract for `shape`.
unsafe fn dtrsm_checked(shape: TrsmShape, alpha: f64, a: *const f64, b: *mut f64) {
    let TrsmShape { m, n, .. } = shape;
    if m == 0 || n == 0 {
        return;
    }
    let k = shape.order();
    // SAFETY: B is m×n (ldb); A is k×k (lda) and is not read when alpha = 0.
    let b = unsafe { mat::col_major_mut(b, m, n, shape.ldb) };
    let a = unsafe {
        mat::col_major(
            a,
            if alpha == 0.0 { 0 } else { k },
            if alpha == 0.0 { 0 } else { k },
            shape.lda,
        )
    };
    let par = super::par(runtime::budget());
    let flops = (k * k) as f64 * if shape.side == Side::Left { n } else { m } as f64;
    let args = || {
        format!(
            "{:?},{:?},{},{:?},m={m},n={n}",
            shape.side,
            shape.uplo,
            shape.trans.as_char(),
            shape.diag
        )
    };
    let trace = runtime::verbose::start("dtrsm", par.threads, flops);

    // alpha = 0 zeroes B without reading A (whose view is then empty).
    trsm::trsm(
        par,
        shape.side,
        shape.uplo,
        shape.trans,
        shape.diag,
        alpha,
        a,
        b,
    );
    if let Some(t) = trace {
        t.finish(args());
    }
}

fn cblas_char(v: c_int, table: &[(c_int, u8)]) -> Option<u8> {
    table.iter().find(|(k, _)| *k == v).map(|(_, c)| *c)
}

/// CBLAS DTRSM: row-major is the column-major problem on the transpose (side and
/// triangle flip, m↔n), with positions reported as reference CBLAS does.
///
/// # Safety
/// Reference CBLAS contract.
#[allow(clippy::too_many_arguments)]
unsafe fn dtrsm_cblas(
    layout: c_int,
    side: c_int,
    uplo: c_int,
    transa: c_int,
    diag: c_int,
    m: i64,
    n: i64,
    alpha: f64,
    a: *const f64,
    lda: i64,
    b: *mut f64,
    ldb: i64,
) {
    let routine = c"cblas_dtrsm";
    if layout != CblasRowMajor && layout != CblasColMajor {
        return xerbla::cblas(routine, 1);
    }
    let row = layout == CblasRowMajor;
    let (l, r, u, lo) = if row {
        (b'R', b'L', b'L', b'U')
    } else {
        (b'L', b'R', b'U', b'L')
    };
    let Some(side) = cblas_char(side, &[(CblasLeft, l), (CblasRight, r)]) else {
        return xerbla::cblas(routine, 2);
    };
    let Some(uplo) = cblas_char(uplo, &[(CblasUpper, u), (CblasLower, lo)]) else {
        return xerbla::cblas(routine, 3);
    };
    let Some(transa) = cblas_trans(transa) else {
        return xerbla::cblas(routine, 4);
    };
    let Some(diag) = cblas_char(diag, &[(CblasUnit, b'U'), (CblasNonUnit, b'N')]) else {
        return xerbla::cblas(routine, 5);
    };
    let (m, n) = if row { (n, m) } else { (m, n) };
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
        Err(position) => xerbla::cblas(routine, position + 1),
        // SAFETY: validated shape; pointers per the reference contract.
        Ok(shape) => unsafe { dtrsm_checked(shape, alpha, a, b) },
    }
}

export_fns! {
    /// C := alpha*op(A)*op(B) + beta*C, column-major (reference Fortran BLAS DGEMM).
    #[export(lp64 = [dgemm_, scipy_dgemm_], ilp64 = [dgemm_64_, scipy_dgemm_64_])]
    fn dgemm(
        transa: *const c_char,
        transb: *const c_char,
        m: *const Int,
        n: *const Int,
        k: *const Int,
        alpha: *const f64,
        a: *const f64,
        lda: *const Int,
        b: *const f64,
        ldb: *const Int,
        beta: *const f64,
        c: *mut f64,
        ldc: *const Int,
    ) {
        guard("DGEMM", (), || unsafe {
            dgemm_fortran::<Int>(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        })
    }

    /// C := alpha*op(A)*op(B) + beta*C (reference CBLAS cblas_dgemm), row- or column-major.
    #[export(
        lp64 = [cblas_dgemm, scipy_cblas_dgemm],
        ilp64 = [cblas_dgemm64_, scipy_cblas_dgemm64_]
    )]
    fn cblas_dgemm(
        layout: i32,
        transa: i32,
        transb: i32,
        m: Int,
        n: Int,
        k: Int,
        alpha: f64,
        a: *const f64,
        lda: Int,
        b: *const f64,
        ldb: Int,
        beta: f64,
        c: *mut f64,
        ldc: Int,
    ) {
        guard("cblas_dgemm", (), || unsafe {
            dgemm_cblas(
                c"cblas_dgemm",
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
        })
    }

    /// Solves op(A)·X = alpha·B or X·op(A) = alpha·B, X overwriting B (reference DTRSM).
    #[export(lp64 = [dtrsm_, scipy_dtrsm_], ilp64 = [dtrsm_64_, scipy_dtrsm_64_])]
    fn dtrsm(
        side: *const c_char,
        uplo: *const c_char,
        transa: *const c_char,
        diag: *const c_char,
        m: *const Int,
        n: *const Int,
        alpha: *const f64,
        a: *const f64,
        lda: *const Int,
        b: *mut f64,
        ldb: *const Int,
    ) {
        guard("DTRSM", (), || unsafe {
            let args = TrsmArgs {
                side: *side as u8,
                uplo: *uplo as u8,
                transa: *transa as u8,
                diag: *diag as u8,
                m: (*m).to_i64(),
                n: (*n).to_i64(),
                lda: (*lda).to_i64(),
                ldb: (*ldb).to_i64(),
            };
            match trsm::validate(args) {
                Err(position) => xerbla::fortran::<Int>("DTRSM", position),
                Ok(shape) => dtrsm_checked(shape, *alpha, a, b),
            }
        })
    }

    /// Triangular solve (reference CBLAS cblas_dtrsm), row- or column-major.
    #[export(
        lp64 = [cblas_dtrsm, scipy_cblas_dtrsm],
        ilp64 = [cblas_dtrsm64_, scipy_cblas_dtrsm64_]
    )]
    fn cblas_dtrsm(
        layout: i32,
        side: i32,
        uplo: i32,
        transa: i32,
        diag: i32,
        m: Int,
        n: Int,
        alpha: f64,
        a: *const f64,
        lda: Int,
        b: *mut f64,
        ldb: Int,
    ) {
        guard("cblas_dtrsm", (), || unsafe {
            dtrsm_cblas(layout, side, uplo, transa, diag, m.to_i64(), n.to_i64(), alpha, a, lda.to_i64(), b, ldb.to_i64())
        })
    }
}
