//! LAPACK exports of the Cholesky and QR factorizations in S, D, C, Z: ?POTRF, ?GEQRF,
//! and forming Q (SORGQR, DORGQR, CUNGQR, ZUNGQR). Same shape as every LAPACK export:
//! checks in reference order (`info = −i` and `xerbla_`, nothing touched), the
//! workspace query, the quick return, then the work on safe views.

use super::lapack::{illegal, work_value};
use super::names::Name;
use super::{BlasInt, traced};
use crate::lapack::{check, cholesky, qr};
use crate::mat;
use crate::scalar::{Scalar, c32, c64};
use std::ffi::c_char;

fn flops<T: Scalar>(real_flops: f64) -> f64 {
    real_flops * if T::COMPLEX { 4.0 } else { 1.0 }
}

export_fns! {
    /// Cholesky factorization A = Uᴴ·U or L·Lᴴ of a Hermitian positive definite matrix
    /// (reference ?POTRF); `info = j > 0`: the leading minor of order j is not positive
    /// definite. NumPy's `cholesky`.
    #[export(lp64 = [spotrf_, scipy_spotrf_], ilp64 = [spotrf_64_, scipy_spotrf_64_], scalar = f32)]
    #[export(lp64 = [dpotrf_, scipy_dpotrf_], ilp64 = [dpotrf_64_, scipy_dpotrf_64_], scalar = f64)]
    #[export(lp64 = [cpotrf_, scipy_cpotrf_], ilp64 = [cpotrf_64_, scipy_cpotrf_64_], scalar = c32)]
    #[export(lp64 = [zpotrf_, scipy_zpotrf_], ilp64 = [zpotrf_64_, scipy_zpotrf_64_], scalar = c64)]
    fn potrf(uplo: *const c_char, n: *const Int, a: *mut T, lda: *const Int, info: *mut Int) {
        let name = Name::fortran::<T>("POTRF");
        unsafe {
            let (n, lda) = ((*n).to_i64(), (*lda).to_i64());
            let uplo = match check::potrf(*uplo as u8, n, lda) {
                Ok(u) => u,
                Err(pos) => return illegal(name, pos, info),
            };
            *info = Int::from_i64(0);
            let (n, lda) = (n as usize, lda as usize);
            if n == 0 {
                return;
            }
            let a = mat::col_major_mut(a, n, n, lda);
            let describe = || format!("{uplo:?},n={n},lda={lda}");
            let result = traced(Name::trace::<T>("potrf"), flops::<T>((n as f64).powi(3) / 3.0), describe, |par| {
                cholesky::potrf(par, uplo, a)
            });
            if let Err(j) = result {
                *info = Int::from_i64(j as i64 + 1);
            }
        }
    }

    /// QR factorization A = Q·R (reference ?GEQRF); lwork = −1 queries the workspace.
    /// NumPy's `qr`.
    #[export(lp64 = [sgeqrf_, scipy_sgeqrf_], ilp64 = [sgeqrf_64_, scipy_sgeqrf_64_], scalar = f32)]
    #[export(lp64 = [dgeqrf_, scipy_dgeqrf_], ilp64 = [dgeqrf_64_, scipy_dgeqrf_64_], scalar = f64)]
    #[export(lp64 = [cgeqrf_, scipy_cgeqrf_], ilp64 = [cgeqrf_64_, scipy_cgeqrf_64_], scalar = c32)]
    #[export(lp64 = [zgeqrf_, scipy_zgeqrf_], ilp64 = [zgeqrf_64_, scipy_zgeqrf_64_], scalar = c64)]
    fn geqrf(
        m: *const Int,
        n: *const Int,
        a: *mut T,
        lda: *const Int,
        tau: *mut T,
        work: *mut T,
        lwork: *const Int,
        info: *mut Int,
    ) {
        let name = Name::fortran::<T>("GEQRF");
        unsafe {
            let (m, n, lda, lwork) = ((*m).to_i64(), (*n).to_i64(), (*lda).to_i64(), (*lwork).to_i64());
            if let Err(pos) = check::geqrf(m, n, lda, lwork) {
                return illegal(name, pos, info);
            }
            *info = Int::from_i64(0);
            let (m, n, lda) = (m as usize, n as usize, lda as usize);
            let k = m.min(n);
            *work = work_value::<T>(if k == 0 { 1 } else { qr::optimal_work(n) });
            if lwork == -1 || k == 0 {
                return;
            }
            let a = mat::col_major_mut(a, m, n, lda);
            let tau = mat::slice_mut(tau, k);
            let real_flops = 2.0 * (m * n * k) as f64 - (m + n) as f64 * (k * k) as f64 + 2.0 * (k as f64).powi(3) / 3.0;
            let describe = || format!("m={m},n={n},lda={lda}");
            traced(Name::trace::<T>("geqrf"), flops::<T>(real_flops), describe, |par| qr::geqrf(par, a, tau));
        }
    }

    /// The first n columns of Q from ?GEQRF's reflectors (reference SORGQR, DORGQR,
    /// CUNGQR, ZUNGQR); lwork = −1 queries the workspace.
    #[export(lp64 = [sorgqr_, scipy_sorgqr_], ilp64 = [sorgqr_64_, scipy_sorgqr_64_], scalar = f32)]
    #[export(lp64 = [dorgqr_, scipy_dorgqr_], ilp64 = [dorgqr_64_, scipy_dorgqr_64_], scalar = f64)]
    #[export(lp64 = [cungqr_, scipy_cungqr_], ilp64 = [cungqr_64_, scipy_cungqr_64_], scalar = c32)]
    #[export(lp64 = [zungqr_, scipy_zungqr_], ilp64 = [zungqr_64_, scipy_zungqr_64_], scalar = c64)]
    fn orgqr(
        m: *const Int,
        n: *const Int,
        k: *const Int,
        a: *mut T,
        lda: *const Int,
        tau: *const T,
        work: *mut T,
        lwork: *const Int,
        info: *mut Int,
    ) {
        let name = Name::fortran::<T>(if T::COMPLEX { "UNGQR" } else { "ORGQR" });
        unsafe {
            let (m, n, k, lda, lwork) = ((*m).to_i64(), (*n).to_i64(), (*k).to_i64(), (*lda).to_i64(), (*lwork).to_i64());
            if let Err(pos) = check::orgqr(m, n, k, lda, lwork) {
                return illegal(name, pos, info);
            }
            *info = Int::from_i64(0);
            let (m, n, k, lda) = (m as usize, n as usize, k as usize, lda as usize);
            *work = work_value::<T>(if n == 0 { 1 } else { qr::optimal_work(n) });
            if lwork == -1 || n == 0 {
                return;
            }
            let a = mat::col_major_mut(a, m, n, lda);
            let tau = mat::slice(tau, k);
            let real_flops = 4.0 * (m * n * k) as f64 - 2.0 * (m + n) as f64 * (k * k) as f64 + 4.0 * (k as f64).powi(3) / 3.0;
            let describe = || format!("m={m},n={n},k={k},lda={lda}");
            let label = Name::trace::<T>(if T::COMPLEX { "ungqr" } else { "orgqr" });
            traced(label, flops::<T>(real_flops), describe, |par| qr::orgqr(par, a, tau));
        }
    }
}
