//! Singular value decomposition `A = U·Σ·Vᵀ` (`gesdd`): reference DGESDD's driver
//! around a dense SVD kernel.
//!
//! The driver owns what the ABI promises: the job modes (all, thin, overwrite A, values
//! only), the reference workspace minimums, scaling into the safe range (so matrices
//! near overflow or underflow work) and the NaN check.
//!
//! Everything runs on our own kernels: [`bidiag`]'s two-stage reduction (QR
//! pre-reduction for much taller matrices, band by blocked QR/LQ on our gemm, bulge
//! chase), then [`bdsdc`]'s divide and conquer on the bidiagonal — values alone, or
//! vectors, which the reduction's logged factors carry back to A. Every parallel step
//! splits its output, never a reduction, so the result is the same for every thread
//! count.

use super::{bdsdc, bdsqr, bidiag, scale};
use crate::blas::Par as Parallelism;
use crate::scalar::{Real, Scalar, c32, c64};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

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
    /// The kernels' working memory could not be had (nothing was written).
    NoMemory,
}

/// The reference minimum `lwork` of ?GESDD (LAPACK ≥ 3.7) for this element type, job
/// and shape.
pub fn min_work_of<T: Scalar>(job: SvdJob, m: usize, n: usize) -> usize {
    if T::COMPLEX {
        complex_min_work(job, m, n)
    } else {
        min_work(job, m, n)
    }
}

/// The reference minimum `lwork` (complex elements) of CGESDD/ZGESDD.
fn complex_min_work(job: SvdJob, m: usize, n: usize) -> usize {
    let (mn, mx) = (m.min(n), m.max(n));
    if mn == 0 {
        return 1;
    }
    // Reference pre-reduces by QR (or LQ) from this aspect ratio on.
    if mx >= mn * 17 / 9 {
        match job {
            SvdJob::ValuesOnly => 3 * mn,
            SvdJob::Overwrite => 2 * mn * mn + 3 * mn,
            SvdJob::Thin => mn * mn + 3 * mn,
            SvdJob::All => mn * mn + (3 * mn).max(mn + mx),
        }
    } else {
        match job {
            SvdJob::Overwrite => 2 * mn + mx + mn * mn,
            _ => 2 * mn + mx,
        }
    }
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

/// What the `lwork = −1` query reports: the reference minimum. The kernels keep their
/// buffers (the reduction's factors, the merge products) in memory of their own, so a
/// larger `work` would go unused.
pub fn optimal_work<T: Scalar>(job: SvdJob, m: usize, n: usize) -> usize {
    min_work_of::<T>(job, m, n)
}

/// The dense SVD behind ?GESDD and ?GELSD for one element type, with [`gesdd`]'s
/// contract. f64 runs oxblas's own pipeline (multithreaded, every stage ours), and so
/// does f32, widened to f64 and rounded back (more accurate than a single-precision
/// SVD, and faster on our kernels than faer's serial one); C and Z run faer's SVD
/// serially. Every path gives the same result for every thread count.
pub trait SvdScalar: Scalar {
    fn svd(
        par: Parallelism<'_>,
        job: SvdJob,
        a: MatMut<'_, Self>,
        s: &mut [Self::Re],
        u: Option<MatMut<'_, Self>>,
        vt: Option<MatMut<'_, Self>>,
    ) -> Result<(), SvdFailure>;
}

impl SvdScalar for f64 {
    fn svd(
        par: Parallelism<'_>,
        job: SvdJob,
        a: MatMut<'_, f64>,
        s: &mut [f64],
        u: Option<MatMut<'_, f64>>,
        vt: Option<MatMut<'_, f64>>,
    ) -> Result<(), SvdFailure> {
        gesdd(par, job, a, s, u, vt)
    }
}

macro_rules! faer_svd {
    ($($t:ty),*) => {$(
        impl SvdScalar for $t {
            fn svd(
                _par: Parallelism<'_>,
                job: SvdJob,
                a: MatMut<'_, $t>,
                s: &mut [<$t as Scalar>::Re],
                u: Option<MatMut<'_, $t>>,
                vt: Option<MatMut<'_, $t>>,
            ) -> Result<(), SvdFailure> {
                faer_gesdd(job, a, s, u, vt)
            }
        }
    )*};
}
faer_svd!(c32, c64);

impl SvdScalar for f32 {
    fn svd(
        par: Parallelism<'_>,
        job: SvdJob,
        mut a: MatMut<'_, f32>,
        s: &mut [f32],
        u: Option<MatMut<'_, f32>>,
        vt: Option<MatMut<'_, f32>>,
    ) -> Result<(), SvdFailure> {
        let widen =
            |x: faer::MatRef<'_, f32>| Mat::from_fn(x.nrows(), x.ncols(), |i, j| x[(i, j)] as f64);
        let mut a64 = widen(a.rb());
        let mut s64 = vec![0.0; s.len()];
        let mut u64 = u.as_ref().map(|x| Mat::<f64>::zeros(x.nrows(), x.ncols()));
        let mut vt64 = vt.as_ref().map(|x| Mat::<f64>::zeros(x.nrows(), x.ncols()));
        gesdd(
            par,
            job,
            a64.as_mut(),
            &mut s64,
            u64.as_mut().map(|x| x.as_mut()),
            vt64.as_mut().map(|x| x.as_mut()),
        )?;
        let narrow = |mut dst: MatMut<'_, f32>, src: &Mat<f64>| {
            for j in 0..dst.ncols() {
                for i in 0..dst.nrows() {
                    dst[(i, j)] = src[(i, j)] as f32;
                }
            }
        };
        for (d, &x) in s.iter_mut().zip(&s64) {
            *d = x as f32;
        }
        if job == SvdJob::Overwrite {
            narrow(a.rb_mut(), &a64);
        }
        if let (Some(dst), Some(src)) = (u, &u64) {
            narrow(dst, src);
        }
        if let (Some(dst), Some(src)) = (vt, &vt64) {
            narrow(dst, src);
        }
        Ok(())
    }
}

/// [`gesdd`]'s contract on faer's SVD (serial): NaN check, then U and Vᴴ written where
/// the job puts them.
fn faer_gesdd<T: Scalar>(
    job: SvdJob,
    mut a: MatMut<'_, T>,
    s: &mut [T::Re],
    u: Option<MatMut<'_, T>>,
    vt: Option<MatMut<'_, T>>,
) -> Result<(), SvdFailure> {
    use faer::linalg::svd::{self, ComputeSvdVectors as Vectors};
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    let norm = scale::max_abs(a.rb());
    if norm.is_nan_value() {
        return Err(SvdFailure::NotANumber);
    }
    // Into the safe range first, as reference ?GESDD: faer's kernel does not scale.
    let scaled_to = scale::safe_target(norm);
    if let Some(to) = scaled_to {
        scale::rescale(a.rb_mut(), norm, to);
    }
    let (vectors, cols_u, cols_v) = match job {
        SvdJob::All => (Vectors::Full, m, n),
        SvdJob::Thin | SvdJob::Overwrite => (Vectors::Thin, k, k),
        SvdJob::ValuesOnly => (Vectors::No, 0, 0),
    };
    let par = faer::Par::Seq;
    let req = svd::svd_scratch::<T>(m, n, vectors, vectors, par, Default::default());
    let mut buf = faer::dyn_stack::MemBuffer::try_new(req).map_err(|_| SvdFailure::NoMemory)?;
    let mut sd = faer::diag::Diag::<T>::zeros(k);
    let with_vectors = job != SvdJob::ValuesOnly;
    let mut uu = with_vectors.then(|| Mat::<T>::zeros(m, cols_u));
    let mut vv = with_vectors.then(|| Mat::<T>::zeros(n, cols_v));
    svd::svd(
        a.rb(),
        sd.as_mut(),
        uu.as_mut().map(|x| x.as_mut()),
        vv.as_mut().map(|x| x.as_mut()),
        par,
        faer::dyn_stack::MemStack::new(&mut buf),
        Default::default(),
    )
    .map_err(|_| SvdFailure::NoConvergence)?;
    for (i, si) in s.iter_mut().enumerate() {
        *si = sd[i].re();
    }
    if let Some(to) = scaled_to {
        scale::rescale_slice(s, to, norm);
    }
    let (Some(uu), Some(vv)) = (uu, vv) else {
        return Ok(());
    };
    // Vᴴ into `dst` (rows of Vᴴ = columns of V).
    let adjoint_into = |mut dst: MatMut<'_, T>| {
        for j in 0..dst.ncols() {
            for i in 0..dst.nrows() {
                dst[(i, j)] = vv[(j, i)].conjugate();
            }
        }
    };
    match (job, m >= n) {
        (SvdJob::Overwrite, true) => {
            a.copy_from(uu.as_ref());
            adjoint_into(vt.expect("job O, m ≥ n writes Vᵀ"));
        }
        (SvdJob::Overwrite, false) => {
            adjoint_into(a);
            u.expect("job O, m < n writes U").copy_from(uu.as_ref());
        }
        _ => {
            u.expect("jobs A and S write U").copy_from(uu.as_ref());
            adjoint_into(vt.expect("jobs A and S write Vᵀ"));
        }
    }
    Ok(())
}

/// Below this min(m, n) the decomposition stays on the caller's thread: its parallel
/// pieces are too small to gain from a second one (NumPy `svd`, Intel host, 2 vs 1
/// threads: n = 100: 1296 vs 1215 µs; 128: 1832 vs 1999).
const SERIAL_BELOW: usize = 128;

/// SVD of the m×n matrix `a` (m, n > 0): `s` receives the min(m, n) singular values in
/// nonincreasing order; by `job`:
/// - `All`: `u` m×m, `vt` n×n;  `Thin`: `u` m×k, `vt` k×n (k = min(m, n));
/// - `Overwrite`: m ≥ n: U's first n columns overwrite `a`, `vt` n×n (`u` unused);
///   m < n: Vᵀ's first m rows overwrite `a`, `u` m×m (`vt` unused);
/// - `ValuesOnly`: neither.
///
/// `a` is destroyed otherwise (it may be left scaled). On `NotANumber` nothing was
/// written.
pub fn gesdd(
    par: Parallelism<'_>,
    job: SvdJob,
    mut a: MatMut<'_, f64>,
    s: &mut [f64],
    u: Option<MatMut<'_, f64>>,
    vt: Option<MatMut<'_, f64>>,
) -> Result<(), SvdFailure> {
    let (m, n) = (a.nrows(), a.ncols());
    let k = m.min(n);
    debug_assert!(k > 0 && s.len() == k);
    let par = if k < SERIAL_BELOW {
        par.with_threads(1)
    } else {
        par
    };
    let norm = scale::max_abs(a.rb());
    if norm.is_nan() {
        return Err(SvdFailure::NotANumber);
    }
    let scaled_to = scale::safe_target(norm);

    // The kernels allocate their buffers as they go (Rust's allocator aborts on
    // failure): ask for the peak once, up front, and report failure with A untouched.
    if Vec::<f64>::new()
        .try_reserve_exact(working_memory(job, m, n))
        .is_err()
    {
        return Err(SvdFailure::NoMemory);
    }
    if let Some(to) = scaled_to {
        scale::rescale(a.rb_mut(), norm, to);
    }
    let result = if job == SvdJob::ValuesOnly {
        values_only(par, a, s)
    } else {
        with_vectors(par, job, a, s, u, vt)
    };
    if let Some(to) = scaled_to {
        scale::rescale_slice(s, to, norm);
    }
    result
}

/// An upper bound, in f64, on what the kernels hold at once: a few copies of the
/// current panel (the reduction's and the back-transformation's, at most
/// [`bidiag::MERGED_WIDTH`] columns wide) and the band; with vectors also the logged
/// factors (about m·n + n², with n the smaller side) and the merge products of the
/// divide and conquer (a few n²).
fn working_memory(job: SvdJob, m: usize, n: usize) -> usize {
    let (big, small) = (m.max(n), m.min(n));
    let panels = 6 * big * small.min(bidiag::BAND) + 2 * big * small.min(bidiag::MERGED_WIDTH);
    match job {
        SvdJob::ValuesOnly => panels,
        _ => panels + big * small + 6 * small * small,
    }
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
    if s.len() <= bdsqr::RELATIVE_ACCURACY_UP_TO {
        bdsqr::singular_values(s, &mut e)
    } else {
        bdsdc::singular_values(par, s, &mut e)
    }
    .map_err(|_| SvdFailure::NoConvergence)
}

/// The decomposition with vectors, on the matrix or (when wide) its transpose, so the
/// reduced problem is tall: `T = Q·B·Pᵀ` (two-stage reduction), `B = U_B·Σ·V_Bᵀ`
/// (divide and conquer), then the left vectors are `Q·U_B` and the right `P·V_B`,
/// formed in place in the caller's arrays (or over A for `Overwrite`).
fn with_vectors(
    par: Parallelism<'_>,
    job: SvdJob,
    mut a: MatMut<'_, f64>,
    s: &mut [f64],
    u: Option<MatMut<'_, f64>>,
    vt: Option<MatMut<'_, f64>>,
) -> Result<(), SvdFailure> {
    let (m, n) = (a.nrows(), a.ncols());
    let wide = m < n;
    let k = m.min(n);
    let mut e = vec![0.0; k - 1];
    let factors = {
        let tall = if wide {
            a.rb_mut().transpose_mut()
        } else {
            a.rb_mut()
        };
        bidiag::bidiagonal_with_factors(par, tall, s, &mut e)
    };
    // Where the tall problem's left (Q·U_B) and right (P·V_B) vectors go.
    let (left, right) = match (job, wide) {
        (SvdJob::Overwrite, false) => (Some(a), vt.map(|x| x.transpose_mut())),
        (SvdJob::Overwrite, true) => (Some(a.transpose_mut()), u),
        (_, false) => (u, vt.map(|x| x.transpose_mut())),
        (_, true) => (vt.map(|x| x.transpose_mut()), u),
    };
    let (Some(mut left), Some(right)) = (left, right) else {
        unreachable!("every job with vectors has both sides");
    };
    let mut right = right.submatrix_mut(0, 0, k, k);
    left.fill(0.0);
    for i in k..left.ncols() {
        left[(i, i)] = 1.0;
    }
    bdsdc::bidiagonal_svd(
        par,
        s,
        &mut e,
        Some(left.rb_mut().submatrix_mut(0, 0, k, k)),
        right.rb_mut(),
    )
    .map_err(|_| SvdFailure::NoConvergence)?;
    factors.apply_q(par, left);
    factors.apply_p(par, right);
    Ok(())
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
