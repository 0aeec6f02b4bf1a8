//! BLAS level 3 exports: DGEMM in the Fortran and CBLAS interfaces.

use super::{BlasInt, guard, xerbla};
use crate::blas::Trans;
use crate::blas::gemm::{self, GemmArgs, GemmShape};
use crate::{mat, runtime};
use std::ffi::{CStr, c_char, c_int};

/// CBLAS layout and transpose values (the reference `enum` constants).
#[allow(non_upper_case_globals)]
pub const CblasRowMajor: c_int = 101;
#[allow(non_upper_case_globals)]
pub const CblasColMajor: c_int = 102;
#[allow(non_upper_case_globals)]
pub const CblasNoTrans: c_int = 111;
#[allow(non_upper_case_globals)]
pub const CblasTrans: c_int = 112;
#[allow(non_upper_case_globals)]
pub const CblasConjTrans: c_int = 113;

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
    // SAFETY: the reference contract: C is m×n with leading dimension ldc, disjoint from A, B.
    let c = unsafe { mat::col_major_mut(c, m, n, shape.ldc) };
    if alpha == 0.0 || k == 0 {
        // A and B are not read (they may even be dangling).
        gemm::scale(c, beta);
        return;
    }
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
    let isa = gemm::kernels::active(runtime::config::forced_kernel);
    let threads = gemm::threads_for(m, n, k, runtime::budget);
    let args = format_args!(
        "{},{},m={m},n={n},k={k},lda={},ldb={},ldc={}",
        shape.transa.as_char(),
        shape.transb.as_char(),
        shape.lda,
        shape.ldb,
        shape.ldc
    );
    runtime::verbose::traced("dgemm", args, threads, shape.flops(), || {
        gemm::gemm(&isa, alpha, a, b, beta, c, threads, |t, member| {
            runtime::run(t, member)
        })
    });
}

/// Fortran DGEMM: read, validate in reference order, report or compute.
///
/// # Safety
/// Reference Fortran calling convention: every argument is a valid pointer.
#[allow(clippy::too_many_arguments)]
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
}
