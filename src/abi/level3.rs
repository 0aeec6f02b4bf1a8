//! BLAS level 3 exports beyond ?GEMM/?SYRK/?TRSM/?TRMM, for S, D, C, Z, in the
//! Fortran and CBLAS interfaces: ?SYMM/?HEMM, ?HERK, ?SYR2K/?HER2K, and ?GEMMT (with
//! reference 3.12's spelling ?GEMMTR), the triangle of a general product.

use super::BlasInt;
use super::cblas_map;
use super::names::Name;
use super::types::{ch, int};
use super::xerbla::Report;
use crate::blas::{Side, Uplo, symm, syrk};
use crate::mat;
use crate::scalar::{Scalar, c32, c64};
use std::ffi::{c_char, c_int};

/// ?HERK, ?HER2K or ?SYR2K (CBLAS names are these, lower-cased by `Name`).
fn update_name(herm: bool, rank2: bool) -> &'static str {
    match (herm, rank2) {
        (true, false) => "HERK",
        (true, true) => "HER2K",
        (false, _) => "SYR2K",
    }
}

fn dim(v: i64) -> usize {
    v.max(0) as usize
}

/// C := alpha·A·B + beta·C or alpha·B·A + beta·C, A symmetric or Hermitian (?SYMM,
/// ?HEMM), arguments as the Fortran call has them.
#[allow(clippy::too_many_arguments)]
unsafe fn symm<T: Scalar>(
    report: Report,
    herm: bool,
    side: u8,
    uplo: u8,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *const T,
    ldb: i64,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let name = if herm { "HEMM" } else { "SYMM" };
    let checked = (|| {
        let side = Side::from_fortran(side).ok_or(1)?;
        let uplo = Uplo::from_fortran(uplo).ok_or(2)?;
        if m < 0 {
            return Err(3);
        }
        if n < 0 {
            return Err(4);
        }
        let ka = if side == Side::Left { m } else { n };
        if lda < ka.max(1) {
            return Err(7);
        }
        if ldb < m.max(1) {
            return Err(9);
        }
        if ldc < m.max(1) {
            return Err(12);
        }
        Ok((side, uplo))
    })();
    let (side, uplo) = match checked {
        Err(position) => return report.error::<T>(name, position),
        Ok(v) => v,
    };
    let (m, n) = (dim(m), dim(n));
    if m == 0 || n == 0 || (alpha.is_zero() && beta.is_one()) {
        return;
    }
    let ka = if side == Side::Left { m } else { n };
    let read = |d: usize| if alpha.is_zero() { 0 } else { d };
    // SAFETY: the reference contract for validated arguments; A and B are not read when
    // alpha = 0 (their views are then empty).
    let (av, bv, cv) = unsafe {
        (
            mat::col_major(a, read(ka), read(ka), dim(lda)),
            mat::col_major(b, read(m), read(n), dim(ldb)),
            mat::col_major_mut(c, m, n, dim(ldc)),
        )
    };
    let per_fma = if T::COMPLEX { 4.0 } else { 1.0 };
    let describe = || format!("{side:?},{uplo:?},m={m},n={n}");
    let routine = Name::trace::<T>(if herm { "hemm" } else { "symm" });
    super::traced(routine, per_fma * (ka * m * n) as f64, describe, |par| {
        symm::symm(par, side, uplo, herm, alpha, av, bv, beta, cv)
    });
}

/// The rank-k updates with a second operand or a Hermitian form: ?HERK (`b` None,
/// `herm`), ?SYR2K and ?HER2K (`b` given). alpha and beta as the routine takes them
/// (real beta for the Hermitian forms, real alpha for ?HERK).
#[allow(clippy::too_many_arguments)]
unsafe fn update<T: Scalar>(
    report: Report,
    herm: bool,
    uplo: u8,
    trans: u8,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: Option<(*const T, i64)>,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let name = update_name(herm, b.is_some());
    let checked = (|| {
        let uplo = Uplo::from_fortran(uplo).ok_or(1)?;
        let transposed = match trans.to_ascii_uppercase() {
            b'N' => false,
            b'T' if !herm => true,
            b'C' if herm || !T::COMPLEX => true,
            _ => return Err(2),
        };
        if n < 0 {
            return Err(3);
        }
        if k < 0 {
            return Err(4);
        }
        let nrowa = if transposed { k } else { n };
        if lda < nrowa.max(1) {
            return Err(7);
        }
        if let Some((_, ldb)) = b
            && ldb < nrowa.max(1)
        {
            return Err(9);
        }
        if ldc < n.max(1) {
            return Err(if b.is_some() { 12 } else { 10 });
        }
        Ok((uplo, transposed))
    })();
    let (uplo, transposed) = match checked {
        Err(position) => return report.error::<T>(name, position),
        Ok(v) => v,
    };
    let (n, k) = (dim(n), dim(k));
    if n == 0 || ((alpha.is_zero() || k == 0) && beta.is_one()) {
        return;
    }
    let (ar, ac) = match (alpha.is_zero(), transposed) {
        (true, _) => (0, 0),
        (false, false) => (n, k),
        (false, true) => (k, n),
    };
    // SAFETY: the reference contract for validated arguments; A and B are not read when
    // alpha = 0.
    let (av, cv) = unsafe {
        (
            mat::col_major(a, ar, ac, dim(lda)),
            mat::col_major_mut(c, n, n, dim(ldc)),
        )
    };
    let bv = b.map(|(b, ldb)| unsafe { mat::col_major(b, ar, ac, dim(ldb)) });
    let per_fma = if T::COMPLEX { 4.0 } else { 1.0 };
    let flops = per_fma * (n * n * k) as f64 * if b.is_some() { 2.0 } else { 1.0 };
    let describe = || format!("{uplo:?},trans={transposed},n={n},k={k}");
    let routine = Name::trace::<T>(name);
    super::traced(routine, flops, describe, |par| match bv {
        None => syrk::herk(par, uplo, transposed, alpha.re(), av, beta.re(), cv),
        Some(bv) if herm => syrk::her2k(par, uplo, transposed, alpha, av, bv, beta.re(), cv),
        Some(bv) => syrk::syr2k(par, uplo, transposed, alpha, av, bv, beta, cv),
    });
}

/// C := alpha·op(A)·op(B) + beta·C on the `uplo` triangle of the n×n C (?GEMMT,
/// ?GEMMTR).
#[allow(clippy::too_many_arguments)]
unsafe fn gemmt<T: Scalar>(
    report: Report,
    uplo: u8,
    transa: u8,
    transb: u8,
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
    let op = |t: u8| match t.to_ascii_uppercase() {
        b'N' => Some((false, false)),
        b'T' => Some((true, false)),
        b'C' => Some((true, T::COMPLEX)),
        _ => None,
    };
    let checked = (|| {
        let uplo = Uplo::from_fortran(uplo).ok_or(1)?;
        let ta = op(transa).ok_or(2)?;
        let tb = op(transb).ok_or(3)?;
        if n < 0 {
            return Err(4);
        }
        if k < 0 {
            return Err(5);
        }
        if lda < (if ta.0 { k } else { n }).max(1) {
            return Err(8);
        }
        if ldb < (if tb.0 { n } else { k }).max(1) {
            return Err(10);
        }
        if ldc < n.max(1) {
            return Err(13);
        }
        Ok((uplo, ta, tb))
    })();
    let (uplo, (ta, conj_a), (tb, conj_b)) = match checked {
        Err(position) => return report.error::<T>("GEMMT", position),
        Ok(v) => v,
    };
    let (n, k) = (dim(n), dim(k));
    if n == 0 || ((alpha.is_zero() || k == 0) && beta.is_one()) {
        return;
    }
    let k_read = if alpha.is_zero() { 0 } else { k };
    let (a_dims, b_dims) = (
        if ta { (k_read, n) } else { (n, k_read) },
        if tb { (n, k_read) } else { (k_read, n) },
    );
    // SAFETY: the reference contract for validated arguments.
    let (av, bv, cv) = unsafe {
        (
            mat::col_major(a, a_dims.0, a_dims.1, dim(lda)),
            mat::col_major(b, b_dims.0, b_dims.1, dim(ldb)),
            mat::col_major_mut(c, n, n, dim(ldc)),
        )
    };
    // op(A) is P (n×k); op(B) = Qᵀ with Q n×k.
    let p = if ta { av.transpose() } else { av };
    let q = if tb { bv } else { bv.transpose() };
    let per_fma = if T::COMPLEX { 4.0 } else { 1.0 };
    let describe = || format!("{uplo:?},n={n},k={k}");
    super::traced(
        Name::trace::<T>("gemmt"),
        per_fma * (n * n * k) as f64,
        describe,
        |par| syrk::gemmt(par, uplo, alpha, (p, conj_a), (q, conj_b), beta, cv),
    );
}

/// CBLAS ?SYMM/?HEMM: row-major is Cᵀ = alpha·Bᵀ·Aᵀ + beta·Cᵀ: side and triangle flip,
/// m↔n (Aᵀ's storage is A's row-major storage, symmetric or Hermitian alike).
#[allow(clippy::too_many_arguments)]
unsafe fn symm_cblas<T: Scalar>(
    herm: bool,
    order: c_int,
    side: c_int,
    uplo: c_int,
    m: i64,
    n: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: *const T,
    ldb: i64,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let name = if herm { "HEMM" } else { "SYMM" };
    let Some(row) = Report::layout::<T>(name, order) else {
        return;
    };
    let Some(s) = cblas_map::side(side, row) else {
        return Report::bad_enum::<T>(name, 2);
    };
    let Some(u) = cblas_map::uplo(uplo, row) else {
        return Report::bad_enum::<T>(name, 3);
    };
    let (m, n) = if row { (n, m) } else { (m, n) };
    // SAFETY: the reference contract.
    unsafe {
        symm(
            Report::Cblas,
            herm,
            s,
            u,
            m,
            n,
            alpha,
            a,
            lda,
            b,
            ldb,
            beta,
            c,
            ldc,
        )
    }
}

/// CBLAS ?HERK/?SYR2K/?HER2K: row-major flips the triangle and the transposition; a
/// row-major ?HER2K also conjugates alpha (the conjugate of C is what is stored).
#[allow(clippy::too_many_arguments)]
unsafe fn update_cblas<T: Scalar>(
    herm: bool,
    order: c_int,
    uplo: c_int,
    trans: c_int,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    b: Option<(*const T, i64)>,
    beta: T,
    c: *mut T,
    ldc: i64,
) {
    let name = update_name(herm, b.is_some());
    let Some(row) = Report::layout::<T>(name, order) else {
        return;
    };
    let Some(u) = cblas_map::uplo(uplo, row) else {
        return Report::bad_enum::<T>(name, 2);
    };
    let Some(t) = cblas_map::update_trans(trans, row, T::COMPLEX, if herm { b'C' } else { b'T' })
    else {
        return Report::bad_enum::<T>(name, 3);
    };
    let alpha = if row && herm && b.is_some() {
        alpha.conjugate()
    } else {
        alpha
    };
    // SAFETY: the reference contract.
    unsafe {
        update(
            Report::Cblas,
            herm,
            u,
            t,
            n,
            k,
            alpha,
            a,
            lda,
            b,
            beta,
            c,
            ldc,
        )
    }
}

/// CBLAS ?GEMMT: row-major is Cᵀ = alpha·op(B)ᵀ·op(A)ᵀ + beta·Cᵀ on the other triangle.
#[allow(clippy::too_many_arguments)]
unsafe fn gemmt_cblas<T: Scalar>(
    order: c_int,
    uplo: c_int,
    transa: c_int,
    transb: c_int,
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
    let Some(row) = Report::layout::<T>("GEMMT", order) else {
        return;
    };
    let Some(u) = cblas_map::uplo(uplo, row) else {
        return Report::bad_enum::<T>("GEMMT", 2);
    };
    let letter = |t: c_int| cblas_map::trans(t, false, true).map(|(c, _)| c);
    let Some(ta) = letter(transa) else {
        return Report::bad_enum::<T>("GEMMT", 3);
    };
    let Some(tb) = letter(transb) else {
        return Report::bad_enum::<T>("GEMMT", 4);
    };
    // SAFETY: the reference contract.
    unsafe {
        if row {
            gemmt(
                Report::Cblas,
                u,
                tb,
                ta,
                n,
                k,
                alpha,
                b,
                ldb,
                a,
                lda,
                beta,
                c,
                ldc,
            )
        } else {
            gemmt(
                Report::Cblas,
                u,
                ta,
                tb,
                n,
                k,
                alpha,
                a,
                lda,
                b,
                ldb,
                beta,
                c,
                ldc,
            )
        }
    }
}

export_fns! {
    /// C := alpha*A*B + beta*C or alpha*B*A + beta*C, A symmetric (reference ?SYMM).
    #[export(fortran = ssymm, scalar = f32)]
    #[export(fortran = dsymm, scalar = f64)]
    #[export(fortran = csymm, scalar = c32)]
    #[export(fortran = zsymm, scalar = c64)]
    fn symm(side: *const c_char, uplo: *const c_char, m: *const Int, n: *const Int, alpha: *const T, a: *const T, lda: *const Int, b: *const T, ldb: *const Int, beta: *const T, c: *mut T, ldc: *const Int) {
        unsafe { symm(Report::fortran::<Int>(), false, ch(side), ch(uplo), int(m), int(n), *alpha, a, int(lda), b, int(ldb), *beta, c, int(ldc)) }
    }

    /// C := alpha*A*B + beta*C or alpha*B*A + beta*C, A Hermitian (reference ?HEMM).
    #[export(fortran = chemm, scalar = c32)]
    #[export(fortran = zhemm, scalar = c64)]
    fn hemm(side: *const c_char, uplo: *const c_char, m: *const Int, n: *const Int, alpha: *const T, a: *const T, lda: *const Int, b: *const T, ldb: *const Int, beta: *const T, c: *mut T, ldc: *const Int) {
        unsafe { symm(Report::fortran::<Int>(), true, ch(side), ch(uplo), int(m), int(n), *alpha, a, int(lda), b, int(ldb), *beta, c, int(ldc)) }
    }

    /// C := alpha*op(A)*op(A)**H + beta*C on one triangle, alpha and beta real
    /// (reference ?HERK).
    #[export(fortran = cherk, scalar = c32)]
    #[export(fortran = zherk, scalar = c64)]
    fn herk(uplo: *const c_char, trans: *const c_char, n: *const Int, k: *const Int, alpha: *const R, a: *const T, lda: *const Int, beta: *const R, c: *mut T, ldc: *const Int) {
        unsafe { update(Report::fortran::<Int>(), true, ch(uplo), ch(trans), int(n), int(k), T::from_real(*alpha), a, int(lda), None, T::from_real(*beta), c, int(ldc)) }
    }

    /// C := alpha*op(A)*op(B)**T + alpha*op(B)*op(A)**T + beta*C on one triangle
    /// (reference ?SYR2K).
    #[export(fortran = ssyr2k, scalar = f32)]
    #[export(fortran = dsyr2k, scalar = f64)]
    #[export(fortran = csyr2k, scalar = c32)]
    #[export(fortran = zsyr2k, scalar = c64)]
    fn syr2k(uplo: *const c_char, trans: *const c_char, n: *const Int, k: *const Int, alpha: *const T, a: *const T, lda: *const Int, b: *const T, ldb: *const Int, beta: *const T, c: *mut T, ldc: *const Int) {
        unsafe { update(Report::fortran::<Int>(), false, ch(uplo), ch(trans), int(n), int(k), *alpha, a, int(lda), Some((b, int(ldb))), *beta, c, int(ldc)) }
    }

    /// C := alpha*op(A)*op(B)**H + conj(alpha)*op(B)*op(A)**H + beta*C on one triangle,
    /// beta real (reference ?HER2K).
    #[export(fortran = cher2k, scalar = c32)]
    #[export(fortran = zher2k, scalar = c64)]
    fn her2k(uplo: *const c_char, trans: *const c_char, n: *const Int, k: *const Int, alpha: *const T, a: *const T, lda: *const Int, b: *const T, ldb: *const Int, beta: *const R, c: *mut T, ldc: *const Int) {
        unsafe { update(Report::fortran::<Int>(), true, ch(uplo), ch(trans), int(n), int(k), *alpha, a, int(lda), Some((b, int(ldb))), T::from_real(*beta), c, int(ldc)) }
    }

    /// C := alpha*op(A)*op(B) + beta*C on one triangle of C (?GEMMT, as OpenBLAS and MKL
    /// export it; reference 3.12 names it ?GEMMTR).
    #[export(fortran = sgemmt, scalar = f32)]
    #[export(fortran = dgemmt, scalar = f64)]
    #[export(fortran = cgemmt, scalar = c32)]
    #[export(fortran = zgemmt, scalar = c64)]
    #[export(fortran = sgemmtr, scalar = f32)]
    #[export(fortran = dgemmtr, scalar = f64)]
    #[export(fortran = cgemmtr, scalar = c32)]
    #[export(fortran = zgemmtr, scalar = c64)]
    fn gemmt(uplo: *const c_char, transa: *const c_char, transb: *const c_char, n: *const Int, k: *const Int, alpha: *const T, a: *const T, lda: *const Int, b: *const T, ldb: *const Int, beta: *const T, c: *mut T, ldc: *const Int) {
        unsafe { gemmt(Report::fortran::<Int>(), ch(uplo), ch(transa), ch(transb), int(n), int(k), *alpha, a, int(lda), b, int(ldb), *beta, c, int(ldc)) }
    }
}

export_fns! {
    /// Symmetric product (reference CBLAS cblas_?symm), row- or column-major.
    #[export(cblas = ssymm, scalar = f32)]
    #[export(cblas = dsymm, scalar = f64)]
    fn cblas_symm_real(order: c_int, side: c_int, uplo: c_int, m: Int, n: Int, alpha: T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: T, c: *mut T, ldc: Int) {
        unsafe { symm_cblas(false, order, side, uplo, m.to_i64(), n.to_i64(), alpha, a, lda.to_i64(), b, ldb.to_i64(), beta, c, ldc.to_i64()) }
    }

    /// Symmetric product (reference CBLAS cblas_?symm, complex: alpha and beta by pointer).
    #[export(cblas = csymm, scalar = c32)]
    #[export(cblas = zsymm, scalar = c64)]
    fn cblas_symm_complex(order: c_int, side: c_int, uplo: c_int, m: Int, n: Int, alpha: *const T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: *const T, c: *mut T, ldc: Int) {
        unsafe { symm_cblas(false, order, side, uplo, m.to_i64(), n.to_i64(), *alpha, a, lda.to_i64(), b, ldb.to_i64(), *beta, c, ldc.to_i64()) }
    }

    /// Hermitian product (reference CBLAS cblas_?hemm).
    #[export(cblas = chemm, scalar = c32)]
    #[export(cblas = zhemm, scalar = c64)]
    fn cblas_hemm(order: c_int, side: c_int, uplo: c_int, m: Int, n: Int, alpha: *const T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: *const T, c: *mut T, ldc: Int) {
        unsafe { symm_cblas(true, order, side, uplo, m.to_i64(), n.to_i64(), *alpha, a, lda.to_i64(), b, ldb.to_i64(), *beta, c, ldc.to_i64()) }
    }

    /// Hermitian rank-k update (reference CBLAS cblas_?herk; alpha and beta real).
    #[export(cblas = cherk, scalar = c32)]
    #[export(cblas = zherk, scalar = c64)]
    fn cblas_herk(order: c_int, uplo: c_int, trans: c_int, n: Int, k: Int, alpha: R, a: *const T, lda: Int, beta: R, c: *mut T, ldc: Int) {
        unsafe { update_cblas(true, order, uplo, trans, n.to_i64(), k.to_i64(), T::from_real(alpha), a, lda.to_i64(), None, T::from_real(beta), c, ldc.to_i64()) }
    }

    /// Symmetric rank-2k update (reference CBLAS cblas_?syr2k).
    #[export(cblas = ssyr2k, scalar = f32)]
    #[export(cblas = dsyr2k, scalar = f64)]
    fn cblas_syr2k_real(order: c_int, uplo: c_int, trans: c_int, n: Int, k: Int, alpha: T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: T, c: *mut T, ldc: Int) {
        unsafe { update_cblas(false, order, uplo, trans, n.to_i64(), k.to_i64(), alpha, a, lda.to_i64(), Some((b, ldb.to_i64())), beta, c, ldc.to_i64()) }
    }

    /// Symmetric rank-2k update (reference CBLAS cblas_?syr2k, complex: alpha and beta by
    /// pointer).
    #[export(cblas = csyr2k, scalar = c32)]
    #[export(cblas = zsyr2k, scalar = c64)]
    fn cblas_syr2k_complex(order: c_int, uplo: c_int, trans: c_int, n: Int, k: Int, alpha: *const T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: *const T, c: *mut T, ldc: Int) {
        unsafe { update_cblas(false, order, uplo, trans, n.to_i64(), k.to_i64(), *alpha, a, lda.to_i64(), Some((b, ldb.to_i64())), *beta, c, ldc.to_i64()) }
    }

    /// Hermitian rank-2k update (reference CBLAS cblas_?her2k; beta real).
    #[export(cblas = cher2k, scalar = c32)]
    #[export(cblas = zher2k, scalar = c64)]
    fn cblas_her2k(order: c_int, uplo: c_int, trans: c_int, n: Int, k: Int, alpha: *const T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: R, c: *mut T, ldc: Int) {
        unsafe { update_cblas(true, order, uplo, trans, n.to_i64(), k.to_i64(), *alpha, a, lda.to_i64(), Some((b, ldb.to_i64())), T::from_real(beta), c, ldc.to_i64()) }
    }

    /// The triangle of a general product (CBLAS cblas_?gemmt, as OpenBLAS and MKL export
    /// it; cblas_?gemmtr in reference 3.12).
    #[export(cblas = sgemmt, scalar = f32)]
    #[export(cblas = dgemmt, scalar = f64)]
    #[export(cblas = sgemmtr, scalar = f32)]
    #[export(cblas = dgemmtr, scalar = f64)]
    fn cblas_gemmt_real(order: c_int, uplo: c_int, transa: c_int, transb: c_int, n: Int, k: Int, alpha: T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: T, c: *mut T, ldc: Int) {
        unsafe { gemmt_cblas(order, uplo, transa, transb, n.to_i64(), k.to_i64(), alpha, a, lda.to_i64(), b, ldb.to_i64(), beta, c, ldc.to_i64()) }
    }

    /// The triangle of a general product (cblas_?gemmt, complex: alpha and beta by pointer).
    #[export(cblas = cgemmt, scalar = c32)]
    #[export(cblas = zgemmt, scalar = c64)]
    #[export(cblas = cgemmtr, scalar = c32)]
    #[export(cblas = zgemmtr, scalar = c64)]
    fn cblas_gemmt_complex(order: c_int, uplo: c_int, transa: c_int, transb: c_int, n: Int, k: Int, alpha: *const T, a: *const T, lda: Int, b: *const T, ldb: Int, beta: *const T, c: *mut T, ldc: Int) {
        unsafe { gemmt_cblas(order, uplo, transa, transb, n.to_i64(), k.to_i64(), *alpha, a, lda.to_i64(), b, ldb.to_i64(), *beta, c, ldc.to_i64()) }
    }
}
