//! LAPACK exports of the eigendecompositions: SSYEVD, DSYEVD, CHEEVD, ZHEEVD (NumPy's
//! `eigh`, `eigvalsh`) and SGEEV, DGEEV, CGEEV, ZGEEV (`eig`, `eigvals`).

use super::lapack::{illegal, work_value};
use super::names::Name;
use super::{BlasInt, traced, traced_ran};
use crate::blas::Ran;
use crate::blas::Uplo;
use crate::lapack::check;
use crate::lapack::eigen::{self, EigFailure};
use crate::mat;
use crate::scalar::{Real, Scalar, c32, c64};
use std::ffi::c_char;

/// ?SYEVD / ?HEEVD for every type (`rwork` with its length for the complex ones).
///
/// # Safety
/// Reference ?SYEVD / ?HEEVD contract.
#[allow(clippy::too_many_arguments)]
unsafe fn evd_any<T: eigen::HermitianScalar, I: BlasInt>(
    jobz: *const c_char,
    uplo: *const c_char,
    n: *const I,
    a: *mut T,
    lda: *const I,
    w: *mut T::Re,
    work: *mut T,
    lwork: *const I,
    rwork: Option<(*mut T::Re, *const I)>,
    iwork: *mut I,
    liwork: *const I,
    info: *mut I,
) {
    let name = Name::fortran::<T>(if T::COMPLEX { "HEEVD" } else { "SYEVD" });
    unsafe {
        let (n, lda, lwork, liwork) = (
            (*n).to_i64(),
            (*lda).to_i64(),
            (*lwork).to_i64(),
            (*liwork).to_i64(),
        );
        let lrwork = rwork.map_or(0, |(_, l)| (*l).to_i64());
        let (vectors, uplo, query) = match check::evd(
            T::COMPLEX,
            *jobz as u8,
            *uplo as u8,
            n,
            lda,
            lwork,
            lrwork,
            liwork,
        ) {
            Ok(v) => v,
            Err(pos) => return illegal(name, pos, info),
        };
        let n = n as usize;
        let (lw, lrw, liw) = check::evd_min_work(T::COMPLEX, vectors, n);
        *work = work_value::<T>(lw);
        if let Some((rwork, _)) = rwork {
            *rwork = T::Re::from_f64(lrw as f64);
        }
        *iwork = I::from_i64(liw as i64);
        *info = I::from_i64(0);
        if query || n == 0 {
            return;
        }
        let a = mat::col_major_mut(a, n, n, lda as usize);
        let w = mat::slice_mut(w, n);
        let label = Name::trace::<T>(if T::COMPLEX { "heevd" } else { "syevd" });
        let per = if T::COMPLEX { 4.0 } else { 1.0 };
        let flops = per * (n as f64).powi(3) * if vectors { 9.0 } else { 4.0 / 3.0 };
        let describe = || format!("{},{uplo:?},n={n}", if vectors { 'V' } else { 'N' });
        let result = traced_ran(label, flops, describe, |par| {
            let (path, threaded) = T::route(n, vectors);
            let ran = Ran {
                threads: if threaded { par.threads } else { 1 },
                path,
            };
            (
                eigen::hermitian(par, uplo == Uplo::Lower, a, w, vectors),
                ran,
            )
        });
        match result {
            Ok(()) => {}
            Err(EigFailure::NoConvergence) => *info = I::from_i64(1),
            Err(EigFailure::NoMemory) => {
                eprintln!(
                    "oxblas: {name} could not allocate its working memory for n={n}; A is untouched"
                );
                *info = I::from_i64(-8);
            }
        }
    }
}

/// A ?GEEV call with work to do: the order, A, and the requested eigenvector arrays.
struct GeevCall<'a, T> {
    n: usize,
    a: faer::MatRef<'a, T>,
    vl: Option<faer::MatMut<'a, T>>,
    vr: Option<faer::MatMut<'a, T>>,
}

/// ?GEEV's checks, workspace answer and quick returns, for both signatures; `None`
/// when the call is over (an illegal argument, a query, n = 0).
///
/// # Safety
/// Reference ?GEEV contract.
#[allow(clippy::too_many_arguments)]
unsafe fn geev_prelude<'a, T: Scalar, I: BlasInt>(
    name: Name,
    (jobvl, jobvr): (*const c_char, *const c_char),
    n: *const I,
    (a, lda): (*const T, *const I),
    (vl, ldvl): (*mut T, *const I),
    (vr, ldvr): (*mut T, *const I),
    work: *mut T,
    lwork: *const I,
    info: *mut I,
) -> Option<GeevCall<'a, T>> {
    unsafe {
        let (n, lda, ldvl, ldvr, lwork) = (
            (*n).to_i64(),
            (*lda).to_i64(),
            (*ldvl).to_i64(),
            (*ldvr).to_i64(),
            (*lwork).to_i64(),
        );
        let (left, right) = match check::geev(
            T::COMPLEX,
            *jobvl as u8,
            *jobvr as u8,
            n,
            lda,
            ldvl,
            ldvr,
            lwork,
        ) {
            Ok(v) => v,
            Err(pos) => {
                illegal(name, pos, info);
                return None;
            }
        };
        let n = n as usize;
        *work = work_value::<T>(check::geev_min_work(T::COMPLEX, left || right, n));
        *info = I::from_i64(0);
        if lwork == -1 || n == 0 {
            return None;
        }
        Some(GeevCall {
            n,
            a: mat::col_major(a, n, n, lda as usize),
            vl: left.then(|| mat::col_major_mut(vl, n, n, ldvl as usize)),
            vr: right.then(|| mat::col_major_mut(vr, n, n, ldvr as usize)),
        })
    }
}

/// The reference's answer to a kernel failure of ?GEEV: no convergence is `info = n`
/// (no eigenvalue is reported as converged); no memory, the workspace argument.
fn geev_failure(name: Name, n: usize, lwork_position: i64, failure: EigFailure) -> i64 {
    match failure {
        EigFailure::NoConvergence => n as i64,
        EigFailure::NoMemory => {
            eprintln!(
                "oxblas: {name} could not allocate its working memory for n={n}; A is untouched"
            );
            -lwork_position
        }
    }
}

export_fns! {
    /// Eigenvalues and (jobz = 'V') eigenvectors of a real symmetric matrix (reference
    /// SSYEVD, DSYEVD); any length −1 queries the workspace.
    #[export(lp64 = [ssyevd_, scipy_ssyevd_], ilp64 = [ssyevd_64_, scipy_ssyevd_64_], scalar = f32)]
    #[export(lp64 = [dsyevd_, scipy_dsyevd_], ilp64 = [dsyevd_64_, scipy_dsyevd_64_], scalar = f64)]
    fn syevd(
        jobz: *const c_char,
        uplo: *const c_char,
        n: *const Int,
        a: *mut T,
        lda: *const Int,
        w: *mut T,
        work: *mut T,
        lwork: *const Int,
        iwork: *mut Int,
        liwork: *const Int,
        info: *mut Int,
    ) {
        unsafe { evd_any::<T, Int>(jobz, uplo, n, a, lda, w, work, lwork, None, iwork, liwork, info) }
    }

    /// Eigenvalues and (jobz = 'V') eigenvectors of a complex Hermitian matrix
    /// (reference CHEEVD, ZHEEVD); any length −1 queries the workspace.
    #[export(lp64 = [cheevd_, scipy_cheevd_], ilp64 = [cheevd_64_, scipy_cheevd_64_], scalar = c32)]
    #[export(lp64 = [zheevd_, scipy_zheevd_], ilp64 = [zheevd_64_, scipy_zheevd_64_], scalar = c64)]
    fn heevd(
        jobz: *const c_char,
        uplo: *const c_char,
        n: *const Int,
        a: *mut T,
        lda: *const Int,
        w: *mut R,
        work: *mut T,
        lwork: *const Int,
        rwork: *mut R,
        lrwork: *const Int,
        iwork: *mut Int,
        liwork: *const Int,
        info: *mut Int,
    ) {
        unsafe { evd_any::<T, Int>(jobz, uplo, n, a, lda, w, work, lwork, Some((rwork, lrwork)), iwork, liwork, info) }
    }

    /// Eigenvalues and left/right eigenvectors of a real general matrix (reference
    /// SGEEV, DGEEV): a complex-conjugate pair as consecutive (re, im) columns, the
    /// positive imaginary part first; vectors of unit norm, largest component real.
    #[export(lp64 = [sgeev_, scipy_sgeev_], ilp64 = [sgeev_64_, scipy_sgeev_64_], scalar = f32)]
    #[export(lp64 = [dgeev_, scipy_dgeev_], ilp64 = [dgeev_64_, scipy_dgeev_64_], scalar = f64)]
    fn geev_real(
        jobvl: *const c_char,
        jobvr: *const c_char,
        n: *const Int,
        a: *mut T,
        lda: *const Int,
        wr: *mut T,
        wi: *mut T,
        vl: *mut T,
        ldvl: *const Int,
        vr: *mut T,
        ldvr: *const Int,
        work: *mut T,
        lwork: *const Int,
        info: *mut Int,
    ) {
        let name = Name::fortran::<T>("GEEV");
        unsafe {
            let Some(GeevCall { n, a, vl, vr }) =
                geev_prelude::<T, Int>(name, (jobvl, jobvr), n, (a, lda), (vl, ldvl), (vr, ldvr), work, lwork, info)
            else {
                return;
            };
            let (wr, wi) = (mat::slice_mut(wr, n), mat::slice_mut(wi, n));
            let describe = || format!("{},{},n={n}", *jobvl as u8 as char, *jobvr as u8 as char);
            let result = traced(Name::trace::<T>("geev"), 10.0 * (n as f64).powi(3), describe, |par| {
                eigen::real_general(par, a, wr, wi, vl, vr)
            });
            if let Err(f) = result {
                *info = Int::from_i64(geev_failure(name, n, 13, f));
            }
        }
    }

    /// Eigenvalues and left/right eigenvectors of a complex general matrix (reference
    /// CGEEV, ZGEEV): vectors of unit norm, largest component real.
    #[export(lp64 = [cgeev_, scipy_cgeev_], ilp64 = [cgeev_64_, scipy_cgeev_64_], scalar = c32)]
    #[export(lp64 = [zgeev_, scipy_zgeev_], ilp64 = [zgeev_64_, scipy_zgeev_64_], scalar = c64)]
    fn geev_complex(
        jobvl: *const c_char,
        jobvr: *const c_char,
        n: *const Int,
        a: *mut T,
        lda: *const Int,
        w: *mut T,
        vl: *mut T,
        ldvl: *const Int,
        vr: *mut T,
        ldvr: *const Int,
        work: *mut T,
        lwork: *const Int,
        rwork: *mut R,
        info: *mut Int,
    ) {
        let _ = rwork; // 2·n reals the reference needs; the kernel does not.
        let name = Name::fortran::<T>("GEEV");
        unsafe {
            let Some(GeevCall { n, a, vl, vr }) =
                geev_prelude::<T, Int>(name, (jobvl, jobvr), n, (a, lda), (vl, ldvl), (vr, ldvr), work, lwork, info)
            else {
                return;
            };
            let w = mat::slice_mut(w, n);
            let describe = || format!("{},{},n={n}", *jobvl as u8 as char, *jobvr as u8 as char);
            let result = traced(Name::trace::<T>("geev"), 40.0 * (n as f64).powi(3), describe, |par| {
                eigen::complex_general(par, a, w, vl, vr)
            });
            if let Err(f) = result {
                *info = Int::from_i64(geev_failure(name, n, 12, f));
            }
        }
    }
}
