//! Singular value decomposition `A = U·Σ·Vᵀ` (`gesdd`): reference DGESDD's driver
//! around a dense SVD kernel.
//!
//! The driver owns what the ABI promises: the job modes (all, thin, overwrite A, values
//! only), the reference workspace minimums, scaling into the safe range (so matrices
//! near overflow or underflow work) and the NaN check.
//!
//! Singular values alone run on our own path ([`bidiag`] two-stage reduction on our
//! gemm, [`bdsqr`] on the bidiagonal). With vectors the kernel is, for now, faer's SVD
//! (QR pre-reduction for tall matrices, bidiagonalisation, divide and conquer), run
//! sequentially: its parallel bidiagonalisation splits reductions across threads, which
//! would make the result depend on the thread count (DESIGN §5).

use super::{bdsqr, bidiag, scale};
use crate::blas::Par as Parallelism;
use faer::dyn_stack::{MemStack, StackReq};
use faer::linalg::svd::{ComputeSvdVectors, SvdParams, svd, svd_scratch};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Auto, MatMut, Par, Spec};
use std::mem::MaybeUninit;

/// What DGESDD's `JOBZ` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SvdJob {
    /// 'A': all m columns of U and all n rows of Vᵀ.
    All,
    /// 'S': the first min(m, n) columns of U and rows of Vᵀ.
    Thin,
    /// 'O': as 'S', but U (m ≥ n) or Vᵀ (m < n) overwrites A; the other is square.
    Overwrite,
    /// 'N': singular values only.
    ValuesOnly,
}

impl SvdJob {
    pub fn from_fortran(c: u8) -> Option<SvdJob> {
        match c.to_ascii_uppercase() {
            b'A' => Some(SvdJob::All),
            b'S' => Some(SvdJob::Thin),
            b'O' => Some(SvdJob::Overwrite),
            b'N' => Some(SvdJob::ValuesOnly),
            _ => None,
        }
    }
}

/// Why [`gesdd`] produced no decomposition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SvdFailure {
    /// A holds a NaN (reference: `info = -4`, nothing computed).
    NotANumber,
    /// The bidiagonal iteration did not converge (reference: `info > 0`).
    NoConvergence,
    /// The caller's workspace was below what the kernel needs and no memory could be
    /// had to make up the difference.
    NoMemory,
}

/// The reference minimum `lwork` of DGESDD (LAPACK ≥ 3.7) for this job and shape.
pub fn min_work(job: SvdJob, m: usize, n: usize) -> usize {
    let (mn, mx) = (m.min(n), m.max(n));
    if mn == 0 {
        return 1;
    }
    // Reference switches to a QR (or LQ) pre-reduction from this aspect ratio on.
    let much_taller = mx >= mn * 11 / 6;
    let bdspac = match job {
        SvdJob::ValuesOnly => 7 * mn,
        _ => 3 * mn * mn + 4 * mn,
    };
    match (much_taller, job) {
        (true, SvdJob::ValuesOnly) => bdspac + mn,
        (true, SvdJob::Overwrite) => bdspac + 2 * mn * mn + 3 * mn,
        (true, SvdJob::Thin) => bdspac + mn * mn + 3 * mn,
        (true, SvdJob::All) => mn * mn + (3 * mn + bdspac).max(mn + mx),
        (false, SvdJob::Overwrite) => 3 * mn + mx.max(mn * mn + bdspac),
        (false, _) => 3 * mn + mx.max(bdspac),
    }
}

fn vectors(job: SvdJob) -> (ComputeSvdVectors, ComputeSvdVectors) {
    use ComputeSvdVectors::{Full, No, Thin};
    match job {
        SvdJob::All => (Full, Full),
        SvdJob::Thin | SvdJob::Overwrite => (Thin, Thin),
        SvdJob::ValuesOnly => (No, No),
    }
}

fn params() -> Spec<SvdParams, f64> {
    Spec::new(<SvdParams as Auto<f64>>::auto())
}

/// Scratch layout: f64 elements for the overwrite staging matrix, then the kernel's
/// bytes (with room to align them).
fn layout(job: SvdJob, m: usize, n: usize) -> (usize, usize) {
    if job == SvdJob::ValuesOnly {
        // Our own two-stage path: its few O((m + n)·b) buffers are its own.
        return (0, 0);
    }
    let (cu, cv) = vectors(job);
    let req: StackReq = svd_scratch::<f64>(m, n, cu, cv, Par::Seq, params());
    let staging = if job == SvdJob::Overwrite { m * n } else { 0 };
    (staging, req.unaligned_bytes_required().div_ceil(8) + 8)
}

/// The workspace (in f64) with which [`gesdd`] runs entirely in the caller's memory:
/// what the `lwork = −1` query reports.
pub fn optimal_work(job: SvdJob, m: usize, n: usize) -> usize {
    if m.min(n) == 0 {
        return 1;
    }
    let (staging, kernel) = layout(job, m, n);
    (staging + kernel).max(min_work(job, m, n))
}

/// SVD of the m×n matrix `a` (m, n > 0): `s` receives the min(m, n) singular values in
/// nonincreasing order; by `job`:
/// - `All`: `u` m×m, `vt` n×n;  `Thin`: `u` m×k, `vt` k×n (k = min(m, n));
/// - `Overwrite`: m ≥ n: U's first n columns overwrite `a`, `vt` n×n (`u` unused);
///   m < n: Vᵀ's first m rows overwrite `a`, `u` m×m (`vt` unused);
/// - `ValuesOnly`: neither.
///
/// `a` is destroyed otherwise (it may be left scaled). `work` may be any length: with
/// [`optimal_work`] elements nothing is allocated. On `NotANumber` nothing was written.
pub fn gesdd(
    par: Parallelism<'_>,
    job: SvdJob,
    mut a: MatMut<'_, f64>,
    s: &mut [f64],
    u: Option<MatMut<'_, f64>>,
    vt: Option<MatMut<'_, f64>>,
    work: &mut [f64],
) -> Result<(), SvdFailure> {
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    debug_assert!(k > 0 && s.len() == k);
    let norm = scale::max_abs(a.rb());
    if norm.is_nan() {
        return Err(SvdFailure::NotANumber);
    }
    let (small, big) = scale::safe_range();
    let scaled_to = if norm > 0.0 && norm < small {
        Some(small)
    } else if norm > big {
        Some(big)
    } else {
        None
    };

    if let Some(to) = scaled_to {
        scale::rescale(a.rb_mut(), norm, to);
    }
    let result = if job == SvdJob::ValuesOnly {
        values_only(par, a, s)
    } else {
        with_vectors(job, a, s, u, vt, work)
    };
    if let Some(to) = scaled_to {
        scale::rescale_slice(s, to, norm);
    }
    result
}

/// Singular values alone: two-stage bidiagonalisation on our gemm, then implicit QR
/// on the bidiagonal. σ(Aᵀ) = σ(A), so a wide matrix is reduced as its transpose.
fn values_only(
    par: Parallelism<'_>,
    mut a: MatMut<'_, f64>,
    s: &mut [f64],
) -> Result<(), SvdFailure> {
    let tall = if a.nrows() >= a.ncols() {
        a.rb_mut()
    } else {
        a.rb_mut().transpose_mut()
    };
    let mut e = vec![0.0; s.len() - 1];
    bidiag::bidiagonal(par, tall, s, &mut e);
    bdsqr::singular_values(s, &mut e).map_err(|_| SvdFailure::NoConvergence)
}

/// The decomposition with vectors, on faer's SVD kernel in `work` (or, when that is
/// short, in memory of our own).
fn with_vectors(
    job: SvdJob,
    mut a: MatMut<'_, f64>,
    s: &mut [f64],
    u: Option<MatMut<'_, f64>>,
    vt: Option<MatMut<'_, f64>>,
    work: &mut [f64],
) -> Result<(), SvdFailure> {
    let (m, n) = (a.nrows(), a.ncols());
    let (staging, kernel) = layout(job, m, n);
    let mut owned = Vec::new();
    let work = if work.len() >= staging + kernel {
        work
    } else {
        if owned.try_reserve_exact(staging + kernel).is_err() {
            return Err(SvdFailure::NoMemory);
        }
        owned.resize(staging + kernel, 0.0);
        &mut owned[..]
    };
    let (stage, rest) = work.split_at_mut(staging);
    // SAFETY: f64 storage reinterpreted as bytes the kernel may leave uninitialised.
    let bytes = unsafe {
        std::slice::from_raw_parts_mut(rest.as_mut_ptr().cast::<MaybeUninit<u8>>(), rest.len() * 8)
    };
    let stack = MemStack::new(bytes);
    let s = faer::col::ColMut::from_slice_mut(s).as_diagonal_mut();
    // faer computes V; Vᵀ's array seen transposed is V.
    let vt = vt.map(|vt| vt.transpose_mut());
    let result = match job {
        SvdJob::Overwrite if m >= n => {
            // U's n columns go through the staging area, then over A.
            let mut thin_u = MatMut::from_column_major_slice_mut(stage, m, n);
            let r = svd(
                a.rb(),
                s,
                Some(thin_u.rb_mut()),
                vt,
                Par::Seq,
                stack,
                params(),
            );
            a.copy_from(thin_u.rb());
            r
        }
        SvdJob::Overwrite => {
            // V's m columns (Vᵀ's rows) go through the staging area, then over A.
            let mut thin_v = MatMut::from_column_major_slice_mut(stage, n, m);
            let r = svd(
                a.rb(),
                s,
                u,
                Some(thin_v.rb_mut()),
                Par::Seq,
                stack,
                params(),
            );
            a.copy_from(thin_v.rb().transpose());
            r
        }
        _ => {
            // The kernel writes only the blocks it computes of a square U (or V) and
            // leaves the rest of the caller's array as it was: start from zero.
            let (mut u, mut vt) = (u, vt);
            if job == SvdJob::All {
                for x in [u.as_mut(), vt.as_mut()].into_iter().flatten() {
                    x.fill(0.0);
                }
            }
            svd(a.rb(), s, u, vt, Par::Seq, stack, params())
        }
    };
    result.map_err(|_| SvdFailure::NoConvergence)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The minimums reference LAPACK 3.11 accepts (found by calling it with every lwork).
    #[test]
    fn minimum_workspace_matches_reference() {
        use SvdJob::*;
        let cases = [
            ((5, 5), [50, 135, 110, 110]),
            ((20, 5), [40, 160, 135, 135]),
            ((5, 20), [40, 160, 135, 135]),
            ((10, 6), [60, 186, 150, 150]),
            ((1, 1), [8, 12, 11, 11]),
        ];
        for ((m, n), want) in cases {
            let got = [ValuesOnly, Overwrite, Thin, All].map(|j| min_work(j, m, n));
            assert_eq!(got, want, "{m}x{n}");
        }
        assert_eq!(min_work(All, 0, 7), 1);
    }
}
