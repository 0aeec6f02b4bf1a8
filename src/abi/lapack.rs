//! LAPACK exports: the LU family (DGETRF, DGETRS, DGESV, DGETRI), its building
//! blocks (DTRTRI, DLASWP) and the SVD (DGESDD). Every routine: read the arguments, check them in reference
//! order (report through `xerbla_`, set `info = -i`, touch nothing), quick-return on
//! empty sizes, then run on safe views with the caller's thread budget.

use super::names::Name;
use super::{BlasInt, par, traced, traced_ran, xerbla};
use crate::blas::Ran;
use crate::blas::Trans;
use crate::lapack::gesdd::{self, SvdFailure, SvdJob, SvdScalar};
use crate::lapack::{check, getri, lu, trtri};
use crate::mat;
use crate::scalar::{Real, Scalar, c32, c64};
use faer::reborrow::ReborrowMut;
use std::ffi::c_char;

/// Reports an illegal argument the LAPACK way: `info = -position`, then `xerbla_`.
///
/// # Safety
/// `info` is a valid pointer.
pub(super) unsafe fn illegal<I: BlasInt>(
    routine: impl std::fmt::Display,
    position: i64,
    info: *mut I,
) {
    // SAFETY: caller's contract.
    unsafe { *info = I::from_i64(-position) };
    xerbla::fortran::<I>(&routine.to_string(), position);
}

/// Reads `len` 1-based pivots of an `n`-row matrix.
///
/// # Safety
/// `ipiv` points at `len` readable integers (or `len == 0`).
unsafe fn read_pivots<I: BlasInt>(ipiv: *const I, len: usize, n: usize) -> Option<Vec<usize>> {
    // SAFETY: caller's contract.
    check::pivots((0..len).map(|i| unsafe { *ipiv.add(i) }.to_i64()), n)
}

fn lu_flops(m: usize, n: usize) -> f64 {
    let (m, n) = (m as f64, n as f64);
    let k = m.min(n);
    m * n * k - (m + n) * k * k / 2.0 + k * k * k / 3.0
}

/// DGETRF body. Returns `info` (0, or the 1-based first zero pivot) and the 0-based
/// pivots it wrote to `ipiv` (1-based there), for callers that go on solving.
///
/// # Safety
/// Reference DGETRF contract for validated sizes.
unsafe fn getrf_checked<T: Scalar, I: BlasInt>(
    m: usize,
    n: usize,
    a: *mut T,
    lda: usize,
    ipiv: *mut I,
) -> (i64, Vec<usize>) {
    if m == 0 || n == 0 {
        return (0, Vec::new());
    }
    // SAFETY: A is m×n with leading dimension lda.
    let a = unsafe { mat::col_major_mut(a, m, n, lda) };
    let mut piv = vec![0usize; m.min(n)];
    let flops = lu_flops(m, n) * if T::COMPLEX { 4.0 } else { 1.0 };
    let describe = || format!("m={m},n={n},lda={lda}");
    let zero = traced(Name::trace::<T>("getrf"), flops, describe, |par| {
        lu::getrf(par, a, &mut piv)
    });
    for (i, p) in piv.iter().enumerate() {
        // SAFETY: ipiv holds min(m, n) integers.
        unsafe { *ipiv.add(i) = I::from_i64(*p as i64 + 1) };
    }
    (zero.map_or(0, |z| z as i64 + 1), piv)
}

/// DGETRS body after validation, with the caller's 1-based pivots checked and
/// converted. `Err(6)`: a pivot outside 1..=n (reference LAPACK would read outside A).
///
/// # Safety
/// Reference DGETRS contract for validated sizes.
#[allow(clippy::too_many_arguments)]
unsafe fn getrs_checked<I: BlasInt>(
    trans: Trans,
    n: usize,
    nrhs: usize,
    a: *const f64,
    lda: usize,
    ipiv: *const I,
    b: *mut f64,
    ldb: usize,
) -> Result<(), i64> {
    if n == 0 || nrhs == 0 {
        return Ok(());
    }
    // SAFETY: ipiv holds n integers.
    let piv = unsafe { read_pivots(ipiv, n, n) }.ok_or(6i64)?;
    // SAFETY: A is n×n (lda), B is n×nrhs (ldb), disjoint.
    let (a, b) = unsafe {
        (
            mat::col_major(a, n, n, lda),
            mat::col_major_mut(b, n, nrhs, ldb),
        )
    };
    let describe = || format!("{},n={n},nrhs={nrhs}", trans.as_char());
    traced(
        Name::trace::<f64>("getrs"),
        2.0 * (n * n * nrhs) as f64,
        describe,
        |par| lu::getrs(par, trans, a, &piv, b),
    );
    Ok(())
}

/// DGESV's solve after a successful getrf: B = I (NumPy's `inv`) takes the inverse
/// from the factors ([`getri::invert_identity`]), any other B the triangular solves.
///
/// # Safety
/// Reference DGESV contract: A holds the n×n factors (lda), B is n×nrhs (ldb).
#[allow(clippy::too_many_arguments)]
unsafe fn gesv_solve<T: Scalar>(
    n: usize,
    nrhs: usize,
    a: *const T,
    lda: usize,
    piv: &[usize],
    b: *mut T,
    ldb: usize,
) {
    if n == 0 || nrhs == 0 {
        return;
    }
    // SAFETY: the caller's contract.
    let (a, mut b) = unsafe {
        (
            mat::col_major(a, n, n, lda),
            mat::col_major_mut(b, n, nrhs, ldb),
        )
    };
    let flops = 2.0 * (n * n * nrhs) as f64 * if T::COMPLEX { 4.0 } else { 1.0 };
    let describe = || format!("N,n={n},nrhs={nrhs}");
    // ?GESV's second step, traced as the ?GETRS it stands for; its path says which.
    traced_ran(Name::trace::<T>("getrs"), flops, describe, |par| {
        let path = if getri::invert_identity(par, a, piv, b.rb_mut()) {
            "inverse"
        } else {
            lu::getrs(par, Trans::No, a, piv, b);
            "solves"
        };
        let ran = Ran {
            threads: par.threads,
            path,
        };
        ((), ran)
    });
}

/// ?GESDD for every type: checks, the query, the quick return, the work.
///
/// # Safety
/// Reference ?GESDD contract.
#[allow(clippy::too_many_arguments)]
unsafe fn gesdd_any<T: SvdScalar, I: BlasInt>(
    jobz: *const c_char,
    m: *const I,
    n: *const I,
    a: *mut T,
    lda: *const I,
    s: *mut T::Re,
    u: *mut T,
    ldu: *const I,
    vt: *mut T,
    ldvt: *const I,
    work: *mut T,
    lwork: *const I,
    info: *mut I,
) {
    let name = Name::fortran::<T>("GESDD");
    unsafe {
        let (m, n, lda, ldu, ldvt, lwork) = (
            (*m).to_i64(),
            (*n).to_i64(),
            (*lda).to_i64(),
            (*ldu).to_i64(),
            (*ldvt).to_i64(),
            (*lwork).to_i64(),
        );
        let job = match check::gesdd::<T>(*jobz as u8, m, n, lda, ldu, ldvt, lwork) {
            Ok(job) => job,
            Err(pos) => return illegal(name, pos, info),
        };
        let (m, n) = (m as usize, n as usize);
        *info = I::from_i64(0);
        if lwork == -1 || m == 0 || n == 0 {
            *work = work_value::<T>(gesdd::optimal_work::<T>(job, m, n));
            return;
        }
        let code = gesdd_checked(
            job,
            m,
            n,
            a,
            lda as usize,
            s,
            u,
            ldu as usize,
            vt,
            ldvt as usize,
            work,
            lwork as usize,
        );
        *info = I::from_i64(code);
    }
}

/// A workspace size as LAPACK returns it in `work[0]`: a number of the routine's type
/// never below the size (rounded up where the type cannot hold it exactly, as
/// reference `droundup_lwork`, so a caller that truncates it still has enough).
pub(super) fn work_value<T: Scalar>(len: usize) -> T {
    let x = T::Re::from_f64(len as f64);
    let x = if (x.to_f64() as u128) < len as u128 {
        x.next_up_value()
    } else {
        x
    };
    T::from_real(x)
}

/// ?GESDD body after validation, for m, n > 0. Returns `info`.
///
/// # Safety
/// Reference ?GESDD contract for the validated job and sizes; `work` holds `lwork`
/// elements.
#[allow(clippy::too_many_arguments)]
unsafe fn gesdd_checked<T: SvdScalar>(
    job: SvdJob,
    m: usize,
    n: usize,
    a: *mut T,
    lda: usize,
    s: *mut T::Re,
    u: *mut T,
    ldu: usize,
    vt: *mut T,
    ldvt: usize,
    work: *mut T,
    lwork: usize,
) -> i64 {
    let k = m.min(n);
    // Which of U and Vᵀ this job writes, and their shapes.
    let (u_dims, vt_dims) = match job {
        SvdJob::All => (Some((m, m)), Some((n, n))),
        SvdJob::Thin => (Some((m, k)), Some((k, n))),
        SvdJob::Overwrite if m >= n => (None, Some((n, n))),
        SvdJob::Overwrite => (Some((m, m)), None),
        SvdJob::ValuesOnly => (None, None),
    };
    // SAFETY: the reference contract: A is m×n (lda), S holds min(m, n), U and Vᵀ are
    // as the job requires (ldu, ldvt), all disjoint; WORK holds lwork.
    let (a, s, u, vt, work) = unsafe {
        (
            mat::col_major_mut(a, m, n, lda),
            mat::slice_mut(s, k),
            u_dims.map(|(r, c)| mat::col_major_mut(u, r, c, ldu)),
            vt_dims.map(|(r, c)| mat::col_major_mut(vt, r, c, ldvt)),
            mat::slice_mut(work, lwork),
        )
    };
    let flops = 4.0
        * (m * n * k) as f64
        * if job == SvdJob::ValuesOnly { 1.0 } else { 3.0 }
        * if T::COMPLEX { 4.0 } else { 1.0 };
    let describe = || format!("{job:?},m={m},n={n},lda={lda},lwork={lwork}");
    let result = traced(Name::trace::<T>("gesdd"), flops, describe, |par| {
        T::svd(par, job, a, s, u, vt)
    });
    match result {
        Ok(()) => {
            work[0] = work_value::<T>(gesdd::optimal_work::<T>(job, m, n));
            0
        }
        // Reference LAPACK ≥ 3.10: NaN in A is reported as argument 4, without xerbla.
        Err(SvdFailure::NotANumber) => -4,
        Err(SvdFailure::NoConvergence) => 1,
        // LAPACK has no code for this; the workspace argument is the nearest.
        Err(SvdFailure::NoMemory) => {
            eprintln!(
                "oxblas: {} could not allocate its working memory for {m}x{n}; A is untouched",
                Name::fortran::<T>("GESDD")
            );
            -12
        }
    }
}

export_fns! {
    /// LU factorization with partial pivoting: A = P·L·U (reference ?GETRF).
    #[export(lp64 = [sgetrf_, scipy_sgetrf_], ilp64 = [sgetrf_64_, scipy_sgetrf_64_], scalar = f32)]
    #[export(lp64 = [dgetrf_, scipy_dgetrf_], ilp64 = [dgetrf_64_, scipy_dgetrf_64_], scalar = f64)]
    #[export(lp64 = [cgetrf_, scipy_cgetrf_], ilp64 = [cgetrf_64_, scipy_cgetrf_64_], scalar = c32)]
    #[export(lp64 = [zgetrf_, scipy_zgetrf_], ilp64 = [zgetrf_64_, scipy_zgetrf_64_], scalar = c64)]
    fn getrf(m: *const Int, n: *const Int, a: *mut T, lda: *const Int, ipiv: *mut Int, info: *mut Int) {
        let name = Name::fortran::<T>("GETRF");
        unsafe {
            let (m, n, lda) = ((*m).to_i64(), (*n).to_i64(), (*lda).to_i64());
            match check::getrf(m, n, lda) {
                Err(pos) => illegal(name, pos, info),
                Ok(()) => *info = Int::from_i64(getrf_checked(m as usize, n as usize, a, lda as usize, ipiv).0),
            }
        }
    }

    /// Solves op(A)·X = B with the factors from DGETRF (reference DGETRS).
    #[export(lp64 = [dgetrs_, scipy_dgetrs_], ilp64 = [dgetrs_64_, scipy_dgetrs_64_])]
    fn dgetrs(
        trans: *const c_char,
        n: *const Int,
        nrhs: *const Int,
        a: *const f64,
        lda: *const Int,
        ipiv: *const Int,
        b: *mut f64,
        ldb: *const Int,
        info: *mut Int,
    ) {
        unsafe {
            let (n, nrhs, lda, ldb) = ((*n).to_i64(), (*nrhs).to_i64(), (*lda).to_i64(), (*ldb).to_i64());
            match check::getrs(*trans as u8, n, nrhs, lda, ldb) {
                Err(pos) => illegal("DGETRS", pos, info),
                Ok(t) => match getrs_checked(t, n as usize, nrhs as usize, a, lda as usize, ipiv, b, ldb as usize) {
                    Ok(()) => *info = Int::from_i64(0),
                    Err(pos) => illegal("DGETRS", pos, info),
                },
            }
        }
    }

    /// Solves A·X = B by LU factorization (reference ?GESV). NumPy's `inv` and `solve`.
    #[export(lp64 = [sgesv_, scipy_sgesv_], ilp64 = [sgesv_64_, scipy_sgesv_64_], scalar = f32)]
    #[export(lp64 = [dgesv_, scipy_dgesv_], ilp64 = [dgesv_64_, scipy_dgesv_64_], scalar = f64)]
    #[export(lp64 = [cgesv_, scipy_cgesv_], ilp64 = [cgesv_64_, scipy_cgesv_64_], scalar = c32)]
    #[export(lp64 = [zgesv_, scipy_zgesv_], ilp64 = [zgesv_64_, scipy_zgesv_64_], scalar = c64)]
    fn gesv(
        n: *const Int,
        nrhs: *const Int,
        a: *mut T,
        lda: *const Int,
        ipiv: *mut Int,
        b: *mut T,
        ldb: *const Int,
        info: *mut Int,
    ) {
        let name = Name::fortran::<T>("GESV");
        unsafe {
            let (n, nrhs, lda, ldb) = ((*n).to_i64(), (*nrhs).to_i64(), (*lda).to_i64(), (*ldb).to_i64());
            if let Err(pos) = check::gesv(n, nrhs, lda, ldb) {
                return illegal(name, pos, info);
            }
            let (n, nrhs, lda, ldb) = (n as usize, nrhs as usize, lda as usize, ldb as usize);
            let (zero, piv) = getrf_checked(n, n, a, lda, ipiv);
            *info = Int::from_i64(zero);
            if zero == 0 {
                gesv_solve(n, nrhs, a, lda, &piv, b, ldb);
            }
        }
    }

    /// Inverse of A from its DGETRF factors (reference DGETRI); lwork = −1 queries the
    /// optimal workspace.
    #[export(lp64 = [dgetri_, scipy_dgetri_], ilp64 = [dgetri_64_, scipy_dgetri_64_])]
    fn dgetri(n: *const Int, a: *mut f64, lda: *const Int, ipiv: *const Int, work: *mut f64, lwork: *const Int, info: *mut Int) {
        unsafe {
            let (n, lda, lwork) = ((*n).to_i64(), (*lda).to_i64(), (*lwork).to_i64());
            if let Err(pos) = check::getri(n, lda, lwork) {
                return illegal("DGETRI", pos, info);
            }
            let (n, lda) = (n as usize, lda as usize);
            if lwork == -1 {
                *work = work_value::<f64>(getri::optimal_work(n));
                *info = Int::from_i64(0);
                return;
            }
            *info = Int::from_i64(0);
            if n == 0 {
                return;
            }
            let Some(piv) = read_pivots(ipiv, n, n) else {
                return illegal("DGETRI", 4, info);
            };
            let a = mat::col_major_mut(a, n, n, lda);
            if let Some(i) = trtri::singular_at(a.as_ref(), crate::blas::Diag::NonUnit) {
                // Singular U: A is left untouched.
                *info = Int::from_i64(i as i64 + 1);
                return;
            }
            let work = mat::slice_mut(work, lwork as usize);
            let describe = || format!("n={n},lda={lda},lwork={lwork}");
            traced("dgetri", 4.0 / 3.0 * (n as f64).powi(3), describe, |par| getri::getri(par, a, &piv, work));
        }
    }

    /// Inverse of a triangular matrix in place (reference DTRTRI).
    #[export(lp64 = [dtrtri_, scipy_dtrtri_], ilp64 = [dtrtri_64_, scipy_dtrtri_64_])]
    fn dtrtri(uplo: *const c_char, diag: *const c_char, n: *const Int, a: *mut f64, lda: *const Int, info: *mut Int) {
        unsafe {
            let (n, lda) = ((*n).to_i64(), (*lda).to_i64());
            let (uplo, diag) = match check::trtri(*uplo as u8, *diag as u8, n, lda) {
                Ok(v) => v,
                Err(pos) => return illegal("DTRTRI", pos, info),
            };
            *info = Int::from_i64(0);
            let (n, lda) = (n as usize, lda as usize);
            if n == 0 {
                return;
            }
            let a = mat::col_major_mut(a, n, n, lda);
            if let Some(i) = trtri::singular_at(a.as_ref(), diag) {
                *info = Int::from_i64(i as i64 + 1);
                return;
            }
            let describe = || format!("n={n},lda={lda}");
            traced("dtrtri", (n as f64).powi(3) / 3.0, describe, |par| trtri::trtri(par, uplo, diag, a));
        }
    }

    /// Row interchanges (reference DLASWP): for k = k1..k2 (in reverse when incx < 0),
    /// swap row k with row ipiv(k1 + (k − k1)·|incx|) in columns 1..n. Like the
    /// reference it has no error exit; a pivot outside 1..lda is skipped (the reference
    /// would address memory outside A).
    #[export(lp64 = [dlaswp_, scipy_dlaswp_], ilp64 = [dlaswp_64_, scipy_dlaswp_64_])]
    fn dlaswp(n: *const Int, a: *mut f64, lda: *const Int, k1: *const Int, k2: *const Int, ipiv: *const Int, incx: *const Int) {
        unsafe {
            let (n, lda, k1, k2, incx) = ((*n).to_i64(), (*lda).to_i64(), (*k1).to_i64(), (*k2).to_i64(), (*incx).to_i64());
            if n <= 0 || incx == 0 || k1 < 1 || k2 < k1 || lda < k2 {
                return;
            }
            let (first, count, step) = (k1 as usize - 1, (k2 - k1 + 1) as usize, incx.unsigned_abs() as usize);
            // 0-based target row of each interchange; out-of-range ones become no-ops.
            let piv: Vec<usize> = (0..count)
                .map(|i| {
                    let p = (*ipiv.add(first + i * step)).to_i64();
                    if p >= 1 && p <= lda { p as usize - 1 } else { first + i }
                })
                .collect();
            let rows = piv.iter().copied().max().unwrap_or(0).max(k2 as usize - 1) + 1;
            let a = mat::col_major_mut(a, rows, n as usize, lda as usize);
            if incx > 0 { lu::laswp(par(), a, &piv, first) } else { lu::laswp_reverse(a, &piv, first) }
        }
    }

    /// Singular value decomposition A = U·Σ·Vᵀ (reference SGESDD, DGESDD); lwork = −1
    /// queries the optimal workspace. NumPy's `svd`, `pinv`, `matrix_rank`, `cond`,
    /// `norm(2)`.
    #[export(lp64 = [sgesdd_, scipy_sgesdd_], ilp64 = [sgesdd_64_, scipy_sgesdd_64_], scalar = f32)]
    #[export(lp64 = [dgesdd_, scipy_dgesdd_], ilp64 = [dgesdd_64_, scipy_dgesdd_64_], scalar = f64)]
    fn gesdd_real(
        jobz: *const c_char,
        m: *const Int,
        n: *const Int,
        a: *mut T,
        lda: *const Int,
        s: *mut T,
        u: *mut T,
        ldu: *const Int,
        vt: *mut T,
        ldvt: *const Int,
        work: *mut T,
        lwork: *const Int,
        iwork: *mut Int,
        info: *mut Int,
    ) {
        let _ = iwork; // 8·min(m, n) integers the reference needs; the kernels do not.
        unsafe { gesdd_any::<T, Int>(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, info) }
    }

    /// Singular value decomposition A = U·Σ·Vᴴ (reference CGESDD, ZGESDD).
    #[export(lp64 = [cgesdd_, scipy_cgesdd_], ilp64 = [cgesdd_64_, scipy_cgesdd_64_], scalar = c32)]
    #[export(lp64 = [zgesdd_, scipy_zgesdd_], ilp64 = [zgesdd_64_, scipy_zgesdd_64_], scalar = c64)]
    fn gesdd_complex(
        jobz: *const c_char,
        m: *const Int,
        n: *const Int,
        a: *mut T,
        lda: *const Int,
        s: *mut R,
        u: *mut T,
        ldu: *const Int,
        vt: *mut T,
        ldvt: *const Int,
        work: *mut T,
        lwork: *const Int,
        rwork: *mut R,
        iwork: *mut Int,
        info: *mut Int,
    ) {
        let _ = (rwork, iwork); // the reference's real and integer workspaces; unused.
        unsafe { gesdd_any::<T, Int>(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, info) }
    }
}
