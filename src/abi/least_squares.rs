//! LAPACK exports of minimum-norm least squares: SGELSD, DGELSD, CGELSD, ZGELSD
//! (NumPy's `lstsq`).

use super::lapack::{illegal, work_value};
use super::names::Name;
use super::{BlasInt, traced};
use crate::lapack::check;
use crate::lapack::gelsd::{self, GelsdWork};
use crate::lapack::gesdd::{SvdFailure, SvdScalar};
use crate::mat;
use crate::scalar::{Real, c32, c64};

/// ?GELSD for every type (`rwork` for the complex ones).
///
/// # Safety
/// Reference ?GELSD contract.
#[allow(clippy::too_many_arguments)]
unsafe fn gelsd_any<T: SvdScalar, I: BlasInt>(
    m: *const I,
    n: *const I,
    nrhs: *const I,
    a: *mut T,
    lda: *const I,
    b: *mut T,
    ldb: *const I,
    s: *mut T::Re,
    rcond: *const T::Re,
    rank: *mut I,
    work: *mut T,
    lwork: *const I,
    rwork: Option<*mut T::Re>,
    iwork: *mut I,
    info: *mut I,
) {
    let name = Name::fortran::<T>("GELSD");
    unsafe {
        let (m, n, nrhs, lda, ldb, lwork) = (
            (*m).to_i64(),
            (*n).to_i64(),
            (*nrhs).to_i64(),
            (*lda).to_i64(),
            (*ldb).to_i64(),
            (*lwork).to_i64(),
        );
        if let Err(pos) = check::gelsd::<T>(m, n, nrhs, lda, ldb, lwork) {
            return illegal(name, pos, info);
        }
        let (m, n, nrhs) = (m as usize, n as usize, nrhs as usize);
        let GelsdWork {
            lwork: lw,
            lrwork,
            liwork,
        } = gelsd::min_work::<T>(m, n, nrhs);
        *work = work_value::<T>(lw);
        *iwork = I::from_i64(liwork as i64);
        if let Some(rwork) = rwork {
            *rwork = T::Re::from_f64(lrwork as f64);
        }
        *info = I::from_i64(0);
        if lwork == -1 {
            return;
        }
        if m == 0 || n == 0 {
            *rank = I::from_i64(0);
            return;
        }
        let k = m.min(n);
        let a = mat::col_major_mut(a, m, n, lda as usize);
        let b = mat::col_major_mut(b, m.max(n), nrhs, ldb as usize);
        let s = mat::slice_mut(s, k);
        let per = if T::COMPLEX { 4.0 } else { 1.0 };
        let describe = || format!("m={m},n={n},nrhs={nrhs}");
        let result = traced(
            Name::trace::<T>("gelsd"),
            per * 12.0 * (m * n * k) as f64,
            describe,
            |par| gelsd::gelsd(par, a, b, s, *rcond),
        );
        match result {
            Ok(r) => *rank = I::from_i64(r as i64),
            // Reference has no NaN check here; its bidiagonal solver fails to converge.
            Err(SvdFailure::NotANumber | SvdFailure::NoConvergence) => *info = I::from_i64(1),
            Err(SvdFailure::NoMemory) => {
                eprintln!(
                    "oxblas: {name} could not allocate its working memory for {m}x{n}; A is untouched"
                );
                *info = I::from_i64(-12);
            }
        }
    }
}

export_fns! {
    /// Minimum-norm solution of min ‖B − A·X‖₂ for any rank, through the SVD
    /// (reference SGELSD, DGELSD); lwork = −1 queries the workspace.
    #[export(lp64 = [sgelsd_, scipy_sgelsd_], ilp64 = [sgelsd_64_, scipy_sgelsd_64_], scalar = f32)]
    #[export(lp64 = [dgelsd_, scipy_dgelsd_], ilp64 = [dgelsd_64_, scipy_dgelsd_64_], scalar = f64)]
    fn gelsd_real(
        m: *const Int,
        n: *const Int,
        nrhs: *const Int,
        a: *mut T,
        lda: *const Int,
        b: *mut T,
        ldb: *const Int,
        s: *mut T,
        rcond: *const T,
        rank: *mut Int,
        work: *mut T,
        lwork: *const Int,
        iwork: *mut Int,
        info: *mut Int,
    ) {
        unsafe { gelsd_any::<T, Int>(m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, None, iwork, info) }
    }

    /// Minimum-norm solution of min ‖B − A·X‖₂ for any rank, through the SVD
    /// (reference CGELSD, ZGELSD); lwork = −1 queries the workspace.
    #[export(lp64 = [cgelsd_, scipy_cgelsd_], ilp64 = [cgelsd_64_, scipy_cgelsd_64_], scalar = c32)]
    #[export(lp64 = [zgelsd_, scipy_zgelsd_], ilp64 = [zgelsd_64_, scipy_zgelsd_64_], scalar = c64)]
    fn gelsd_complex(
        m: *const Int,
        n: *const Int,
        nrhs: *const Int,
        a: *mut T,
        lda: *const Int,
        b: *mut T,
        ldb: *const Int,
        s: *mut R,
        rcond: *const R,
        rank: *mut Int,
        work: *mut T,
        lwork: *const Int,
        rwork: *mut R,
        iwork: *mut Int,
        info: *mut Int,
    ) {
        unsafe { gelsd_any::<T, Int>(m, n, nrhs, a, lda, b, ldb, s, rcond, rank, work, lwork, Some(rwork), iwork, info) }
    }
}
