//! Eigendecompositions: Hermitian/symmetric (`syevd`/`heevd`) and general (`geev`),
//! with reference LAPACK's output formats — ascending eigenvalues; for a real matrix,
//! a complex-conjugate pair as consecutive (re, im) columns with the positive imaginary
//! part first; every eigenvector of unit 2-norm with its largest component real.
//!
//! Real symmetric matrices run oxblas's tridiagonal solvers: reference's root-free
//! QL/QR ([`super::sterf`]) for values alone, and for vectors divide and conquer on the
//! bidiagonal SVD ([`super::bdsdc`], multithreaded) of a shifted Cholesky factor, after
//! one of three reductions by order: faer's one-stage (serial), [`super::sytrd`]'s
//! (multithreaded), or [`super::tridiag`]'s two stages (multithreaded), whose factors
//! carry the vectors back to A; small problems with vectors run faer's whole solver
//! ([`path`] says where and why). The complex Hermitian and the general eigenproblems
//! run faer's kernels (Hessenberg QR with aggressive early deflation) serially. Every
//! path gives the same result for every thread count. This module owns what the ABI
//! promises around them: scaling into the safe range, the NaN check, balancing a
//! general matrix ([`super::balance`]: permuted and scaled, as ?GEEV does), the
//! normalization and the storage conventions.

use super::balance::{Balanced, balance};
use super::bidiag::{BlockReflector, apply_blocks};
use super::householder::block_reflector;
use super::lu;
use super::{bdsdc, sterf, sytrd, tridiag};
use crate::blas::Par;
use crate::blas::gemm;
use crate::scalar::{Real, Scalar, c32, c64};
use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut, MatRef};

/// Why no decomposition was produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EigFailure {
    /// The iteration did not converge, or A holds a NaN (reference: `info > 0`).
    NoConvergence,
    /// The kernel's working memory could not be had (nothing was written).
    NoMemory,
}

fn workspace(req: faer::dyn_stack::StackReq) -> Result<MemBuffer, EigFailure> {
    MemBuffer::try_new(req).map_err(|_| EigFailure::NoMemory)
}

/// Eigenvalues (ascending, into `w`) and, when `vectors`, orthonormal eigenvectors
/// (over `a`) of the Hermitian matrix whose `lower` (or upper) triangle `a` holds.
pub fn hermitian<T: HermitianScalar>(
    par: Par<'_>,
    lower: bool,
    mut a: MatMut<'_, T>,
    w: &mut [T::Re],
    vectors: bool,
) -> Result<(), EigFailure> {
    let n = a.nrows();
    // Both triangles, scaled into the safe range as reference ?SYEVD does (its anrm
    // from the stored triangle).
    let stored = |i: usize, j: usize| {
        if lower {
            a[(i, j)]
        } else {
            a[(j, i)].conjugate()
        }
    };
    let mut anrm = T::Re::zero();
    for j in 0..n {
        for i in j..n {
            let v = stored(i, j).modulus();
            if v.is_nan_value() {
                return Err(EigFailure::NoConvergence);
            }
            if v > anrm {
                anrm = v;
            }
        }
    }
    let sigma = safe_range_factor(anrm);
    // The lower triangle, scaled: every kernel reads that one (the two-stage reduction
    // mirrors it itself).
    let mut lower_part = Mat::<T>::zeros(n, n);
    for j in 0..n {
        lower_part[(j, j)] = T::from_real(stored(j, j).re() * sigma);
        for i in j + 1..n {
            lower_part[(i, j)] = stored(i, j) * T::from_real(sigma);
        }
    }
    let u = T::kernel(par, lower_part, w, vectors)?;
    for wi in w.iter_mut() {
        *wi /= sigma;
    }
    if let Some(u) = u {
        a.copy_from(u.as_ref());
    }
    Ok(())
}

/// The Hermitian eigensolver behind ?SYEVD / ?HEEVD for one element type: eigenvalues
/// ascending into `w` and, when `vectors`, the eigenvectors, of the matrix whose lower
/// triangle `full` holds (inside the safe range; the strict upper triangle is not
/// read). f64 takes the [`path`] its order calls for, and so does f32,
/// widened to f64 and rounded back; C and Z run faer's kernels serially. Every path
/// gives the same result for every thread count.
pub trait HermitianScalar: Scalar {
    /// Which kernels an order-n problem runs, by name, and whether on the team.
    fn route(n: usize, vectors: bool) -> (&'static str, bool);
    fn kernel(
        par: Par<'_>,
        full: Mat<Self>,
        w: &mut [Self::Re],
        vectors: bool,
    ) -> Result<Option<Mat<Self>>, EigFailure>;
}

/// How a real symmetric eigenproblem is solved.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Path {
    /// faer's whole solver, serially ([`faer_evd`]).
    Faer,
    /// [`by_one_stage`]: a one-stage reduction, oxblas's tridiagonal solvers.
    OneStage(Reducer),
    /// [`by_two_stages`]: oxblas's two-stage reduction and tridiagonal solvers.
    TwoStages,
}

/// Who reduces to tridiagonal in one stage.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reducer {
    /// faer's `tridiag_in_place`, serially.
    Faer,
    /// [`sytrd`], multithreaded.
    Panels,
}

/// The policy, measured on the Intel host (NumPy `eigh`/`eigvalsh`, 2 threads, the
/// three reductions interleaved in one process, ms). Small problems with vectors stay
/// with faer, whose QR iteration beats divide and conquer there and whose serial run
/// has no hand-off (eigh 100² faer 0.77, oxblas 1.16; 160² 2.14 against 1.60): from 128
/// rows [`tridiagonal_evd`] runs its halves on two threads. Then the reductions (faer
/// one-stage / [`sytrd`] / two stages): faer's serial one wins while its per-column
/// products are cheap; [`sytrd`], whose products read one triangle on the team, from
/// there on with vectors (the two stages' second back-transformation costs more than
/// their faster reduction saves) and up to the order where streaming the triangle
/// once per column costs more than the two stages' band chase, without. Values: 500²
/// 10.3 / 10.7 / 13.3, 600² 16.1 / 15.7 / 19.0, 1000² 70.8 / 49.2 / 54.6, 1200² 121 /
/// 81.8 / 80.9, 2000² 573 / 352 / 266. Vectors: 400² 12.4 / 11.7 / 15.6, 800² 64.6 /
/// 56.9 / 73.0, 1500² 367 / 279 / 326, 3000² 2805 / 1815 / 1967; [`sytrd`] / two
/// stages 4000² 3801 / 3962, 5500² 8890 / 9522. No order measured here takes the two
/// stages with vectors; that route stays (tested with the others) because the margin
/// is 4–15 % and a host with other caches may cross it. Since the symmetric product
/// reads each group's diagonal block in its vector pass, [`sytrd`] takes values from
/// 400 rows (faer / [`sytrd`], NumPy `eigvalsh`, medians of 9 in fresh processes:
/// 300² 2.96 / 3.07, 450² 7.2 / 6.7 and 8.0 / 6.8, 550² 11.7 / 10.7 and 12.2 / 11.2).
fn path(n: usize, vectors: bool) -> Path {
    let (faer_until, panels_until) = if vectors {
        (400, usize::MAX)
    } else {
        (400, 1200)
    };
    if vectors && n < 128 {
        Path::Faer
    } else if n < faer_until {
        Path::OneStage(Reducer::Faer)
    } else if n < panels_until {
        Path::OneStage(Reducer::Panels)
    } else {
        Path::TwoStages
    }
}

impl HermitianScalar for f64 {
    fn route(n: usize, vectors: bool) -> (&'static str, bool) {
        match path(n, vectors) {
            Path::Faer => ("faer", false),
            // Serial but for the tridiagonal's vectors.
            Path::OneStage(Reducer::Faer) => ("faer-one-stage", vectors),
            Path::OneStage(Reducer::Panels) => ("one-stage", true),
            Path::TwoStages => ("two-stage", true),
        }
    }
    fn kernel(
        par: Par<'_>,
        full: Mat<f64>,
        w: &mut [f64],
        vectors: bool,
    ) -> Result<Option<Mat<f64>>, EigFailure> {
        match path(full.nrows(), vectors) {
            Path::Faer => faer_evd(full, w, vectors),
            Path::OneStage(reducer) => by_one_stage(par, full, w, vectors, reducer),
            Path::TwoStages => by_two_stages(par, full, w, vectors),
        }
    }
}

/// [`tridiag`]'s two-stage reduction (multithreaded), then [`sterf`] for values alone,
/// or [`tridiagonal_evd`] and the reduction's factors carrying its vectors back to A.
fn by_two_stages(
    par: Par<'_>,
    mut full: Mat<f64>,
    w: &mut [f64],
    vectors: bool,
) -> Result<Option<Mat<f64>>, EigFailure> {
    let n = full.nrows();
    let (mut d, mut e) = (vec![0.0; n], vec![0.0; n.saturating_sub(1)]);
    let factors = tridiag::tridiagonal(par, full.as_mut(), &mut d, &mut e, vectors);
    drop(full);
    from_tridiagonal(
        par,
        d,
        e,
        w,
        factors.map(|f| move |u: MatMut<'_, f64>| f.apply_q(par, u)),
    )
}

/// A one-stage reduction, then [`sterf`] for values alone, or [`tridiagonal_evd`] and
/// the reduction's block reflectors carrying its vectors back to A.
fn by_one_stage(
    par: Par<'_>,
    mut full: Mat<f64>,
    w: &mut [f64],
    vectors: bool,
    reducer: Reducer,
) -> Result<Option<Mat<f64>>, EigFailure> {
    let n = full.nrows();
    let (mut d, mut e) = (vec![0.0; n], vec![0.0; n.saturating_sub(1)]);
    let blocks = match reducer {
        Reducer::Faer => faer_tridiagonal(par, full.as_mut(), &mut d, &mut e, vectors)?,
        Reducer::Panels => sytrd::tridiagonal(par, full.as_mut(), &mut d, &mut e, vectors),
    };
    drop(full);
    from_tridiagonal(
        par,
        d,
        e,
        w,
        blocks.map(|b| move |u: MatMut<'_, f64>| apply_blocks(par, &b, u)),
    )
}

/// The eigenproblem of the tridiagonal (d, e) a reduction left: values alone by
/// [`sterf`], or, when the reduction kept its factors, vectors by [`tridiagonal_evd`]
/// that `back` carries to A.
fn from_tridiagonal(
    par: Par<'_>,
    mut d: Vec<f64>,
    mut e: Vec<f64>,
    w: &mut [f64],
    back: Option<impl FnOnce(MatMut<'_, f64>)>,
) -> Result<Option<Mat<f64>>, EigFailure> {
    let Some(back) = back else {
        sterf::eigenvalues(&mut d, &mut e).map_err(|_| EigFailure::NoConvergence)?;
        w.copy_from_slice(&d);
        return Ok(None);
    };
    let mut u = tridiagonal_evd(par, &d, &e, w)?;
    back(u.as_mut());
    Ok(Some(u))
}

/// faer's one-stage reduction (serially) with [`sytrd::tridiagonal`]'s outputs.
fn faer_tridiagonal(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
    keep: bool,
) -> Result<Option<Vec<BlockReflector>>, EigFailure> {
    let n = a.nrows();
    let seq = faer::Par::Seq;
    let bs = faer::linalg::qr::no_pivoting::factor::recommended_block_size::<f64>(n, n);
    let mut buf = workspace(evd::tridiag::tridiag_in_place_scratch::<f64>(
        n,
        seq,
        Default::default(),
    ))?;
    let mut householder = Mat::<f64>::zeros(bs, n.saturating_sub(1));
    evd::tridiag::tridiag_in_place(
        a.rb_mut(),
        householder.as_mut(),
        seq,
        MemStack::new(&mut buf),
        Default::default(),
    );
    for i in 0..n {
        d[i] = a[(i, i)];
        if i + 1 < n {
            e[i] = a[(i + 1, i)];
        }
    }
    // faer's reflectors are H = I − v·vᵀ/τ with τ on the diagonal of each block's T:
    // reference's τ is its reciprocal.
    Ok(keep.then(|| {
        (0..n.saturating_sub(1))
            .step_by(bs)
            .map(|j0| {
                let k = bs.min(n - 1 - j0);
                let tau: Vec<f64> = (0..k).map(|c| householder[(c, j0 + c)].recip()).collect();
                let p = a.rb().submatrix(j0 + 1, j0, n - 1 - j0, k);
                let (v, t) = block_reflector(par, p, &tau);
                BlockReflector::new(j0 + 1, v, t)
            })
            .collect()
    }))
}

impl HermitianScalar for f32 {
    fn route(n: usize, vectors: bool) -> (&'static str, bool) {
        f64::route(n, vectors)
    }
    fn kernel(
        par: Par<'_>,
        full: Mat<f32>,
        w: &mut [f32],
        vectors: bool,
    ) -> Result<Option<Mat<f32>>, EigFailure> {
        let wide = Mat::from_fn(full.nrows(), full.ncols(), |i, j| full[(i, j)] as f64);
        drop(full);
        let mut w64 = vec![0.0; w.len()];
        let u = <f64 as HermitianScalar>::kernel(par, wide, &mut w64, vectors)?;
        for (d, &x) in w.iter_mut().zip(&w64) {
            *d = x as f32;
        }
        Ok(u.map(|u| Mat::from_fn(u.nrows(), u.ncols(), |i, j| u[(i, j)] as f32)))
    }
}

/// The symmetric tridiagonal eigenproblem with vectors through the bidiagonal SVD
/// ([`bdsdc`], multithreaded): T + s·I = L·Lᵀ by Cholesky with a shift s that makes
/// T + s·I diagonally dominant by at least ‖T‖ (Gershgorin), so every pivot is at
/// least ‖T‖ and L is well conditioned; Lᵀ = U·Σ·Vᵀ gives T = V·(Σ² − s·I)·Vᵀ. The
/// eigenvalues are then accurate to a few ulps of ‖T‖, as divide and conquer's are.
fn tridiagonal_evd(
    par: Par<'_>,
    d: &[f64],
    e: &[f64],
    w: &mut [f64],
) -> Result<Mat<f64>, EigFailure> {
    let n = d.len();
    let mut v = Mat::<f64>::identity(n, n);
    let off = |i: usize| {
        (if i > 0 { e[i - 1].abs() } else { 0.0 }) + (if i + 1 < n { e[i].abs() } else { 0.0 })
    };
    let norm = (0..n).fold(0.0f64, |m, i| m.max(d[i].abs() + off(i)));
    let lowest = (0..n).fold(f64::INFINITY, |m, i| m.min(d[i] - off(i)));
    if norm == 0.0 {
        w.fill(0.0);
        return Ok(v);
    }
    let shift = norm - lowest;
    let mut q = vec![0.0; n];
    let mut f = vec![0.0; n.saturating_sub(1)];
    for i in 0..n {
        let sub = if i > 0 { f[i - 1] * f[i - 1] } else { 0.0 };
        q[i] = (d[i] + shift - sub).sqrt();
        if i + 1 < n {
            f[i] = e[i] / q[i];
        }
    }
    bdsdc::bidiagonal_svd(par, &mut q, &mut f, None, v.as_mut())
        .map_err(|_| EigFailure::NoConvergence)?;
    // Singular values nonincreasing: the eigenvalues, and their vectors, come out in
    // reverse.
    for (j, wj) in w.iter_mut().enumerate() {
        let s = q[n - 1 - j];
        *wj = s * s - shift;
    }
    for j in 0..n / 2 {
        faer::perm::swap_cols_idx(v.as_mut(), j, n - 1 - j);
    }
    Ok(v)
}

/// faer's Hermitian eigensolver (one-stage reduction, tridiagonal divide and conquer),
/// serially, on `full`'s lower triangle.
fn faer_evd<T: Scalar>(
    full: Mat<T>,
    w: &mut [T::Re],
    vectors: bool,
) -> Result<Option<Mat<T>>, EigFailure> {
    let n = full.nrows();
    let par = faer::Par::Seq;
    let mut buf = workspace(evd::self_adjoint_evd_scratch::<T>(
        n,
        compute(vectors),
        par,
        Default::default(),
    ))?;
    let mut s = Diag::<T>::zeros(n);
    let mut u = vectors.then(|| Mat::<T>::zeros(n, n));
    evd::self_adjoint_evd(
        full.as_ref(),
        s.as_mut(),
        u.as_mut().map(|u| u.as_mut()),
        par,
        MemStack::new(&mut buf),
        Default::default(),
    )
    .map_err(|_| EigFailure::NoConvergence)?;
    for (i, wi) in w.iter_mut().enumerate() {
        *wi = s[i].re();
    }
    Ok(u)
}

macro_rules! faer_hermitian {
    ($($t:ty),*) => {$(
        impl HermitianScalar for $t {
            fn route(_: usize, _: bool) -> (&'static str, bool) {
                ("faer", false)
            }
            fn kernel(
                _par: Par<'_>,
                full: Mat<$t>,
                w: &mut [<$t as Scalar>::Re],
                vectors: bool,
            ) -> Result<Option<Mat<$t>>, EigFailure> {
                faer_evd(full, w, vectors)
            }
        }
    )*};
}
faer_hermitian!(c32, c64);

/// The factor that brings a matrix of max-norm `anrm` into [√(safe_min/ε), √(1/…)]
/// (1 when it is inside), as reference ?SYEVD and ?GEEV scale.
fn safe_range_factor<R: Real>(anrm: R) -> R {
    let small = (R::SAFE_MIN / R::EPS).sqrt_value();
    let big = R::one() / small;
    if anrm > R::zero() && anrm < small {
        small / anrm
    } else if anrm > big {
        big / anrm
    } else {
        R::one()
    }
}

/// faer's kernel for a general real matrix: eigenvalues (re, im) and, when `vectors`
/// is given, the left (uᴴ·A = λ·uᴴ) and right (A·v = λ·v) eigenvectors in reference
/// ?GEEV's real storage.
pub trait RealEigen: Real {
    /// The complex type of the same precision (inverse iteration on complex pairs).
    type Complex: Scalar<Re = Self>;
    fn kernel(
        a: MatRef<'_, Self>,
        re: &mut [Self],
        im: &mut [Self],
        left: Option<MatMut<'_, Self>>,
        right: Option<MatMut<'_, Self>>,
    ) -> Result<(), EigFailure>;
}

/// faer's kernel for a general complex matrix: eigenvalues and, when `vectors` is
/// given, the left and right eigenvectors.
pub trait ComplexEigen: Scalar {
    fn kernel(
        a: MatRef<'_, Self>,
        w: &mut [Self],
        left: Option<MatMut<'_, Self>>,
        right: Option<MatMut<'_, Self>>,
    ) -> Result<(), EigFailure>;
}

fn compute(v: bool) -> ComputeEigenvectors {
    if v {
        ComputeEigenvectors::Yes
    } else {
        ComputeEigenvectors::No
    }
}

/// The working memory of faer's general eigensolver (serial) for the requested sides.
fn general_workspace<T: Scalar>(
    n: usize,
    left: bool,
    right: bool,
) -> Result<MemBuffer, EigFailure> {
    let (l, r) = (compute(left), compute(right));
    workspace(evd::evd_scratch::<T>(
        n,
        l,
        r,
        faer::Par::Seq,
        Default::default(),
    ))
}

macro_rules! real_eigen {
    ($t:ty, $c:ty) => {
        impl RealEigen for $t {
            type Complex = $c;
            fn kernel(
                a: MatRef<'_, $t>,
                re: &mut [$t],
                im: &mut [$t],
                left: Option<MatMut<'_, $t>>,
                right: Option<MatMut<'_, $t>>,
            ) -> Result<(), EigFailure> {
                let n = a.nrows();
                let par = faer::Par::Seq;
                let mut buf = general_workspace::<$t>(n, left.is_some(), right.is_some())?;
                let (mut dre, mut dim) = (Diag::<$t>::zeros(n), Diag::<$t>::zeros(n));
                evd::evd_real(
                    a,
                    dre.as_mut(),
                    dim.as_mut(),
                    left,
                    right,
                    par,
                    MemStack::new(&mut buf),
                    Default::default(),
                )
                .map_err(|_| EigFailure::NoConvergence)?;
                for i in 0..n {
                    (re[i], im[i]) = (dre[i], dim[i]);
                }
                Ok(())
            }
        }
    };
}

macro_rules! complex_eigen {
    ($t:ty) => {
        impl ComplexEigen for $t {
            fn kernel(
                a: MatRef<'_, $t>,
                w: &mut [$t],
                left: Option<MatMut<'_, $t>>,
                right: Option<MatMut<'_, $t>>,
            ) -> Result<(), EigFailure> {
                let n = a.nrows();
                let par = faer::Par::Seq;
                let mut buf = general_workspace::<$t>(n, left.is_some(), right.is_some())?;
                let mut d = Diag::<$t>::zeros(n);
                evd::evd_cplx(
                    a,
                    d.as_mut(),
                    left,
                    right,
                    par,
                    MemStack::new(&mut buf),
                    Default::default(),
                )
                .map_err(|_| EigFailure::NoConvergence)?;
                for (i, wi) in w.iter_mut().enumerate() {
                    *wi = d[i];
                }
                Ok(())
            }
        }
    };
}

real_eigen!(f32, c32);
real_eigen!(f64, c64);
complex_eigen!(c32);
complex_eigen!(c64);

/// A general matrix copied, checked for NaN and scaled into the safe range: the
/// eigenvalues of the copy are σ times A's.
fn scaled_copy<T: Scalar>(a: MatRef<'_, T>) -> Result<(Mat<T>, T::Re), EigFailure> {
    let anrm = super::scale::max_abs(a);
    if anrm.is_nan_value() {
        return Err(EigFailure::NoConvergence);
    }
    let sigma = safe_range_factor(anrm);
    Ok((
        Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] * T::from_real(sigma)),
        sigma,
    ))
}

/// A general matrix as the kernels take it: scaled into the safe range, then balanced.
struct Prepared<T: Scalar> {
    a: Mat<T>,
    sigma: T::Re,
    /// The scaled matrix before balancing, kept when vectors are wanted: they are
    /// checked (and repaired) against it once brought back, since a residual small for
    /// D⁻¹·A·D need not be for A.
    original: Option<Mat<T>>,
    balanced: Balanced<T::Re>,
}

fn prepare<T: Scalar>(a: MatRef<'_, T>, vectors: bool) -> Result<Prepared<T>, EigFailure> {
    let (mut a, sigma) = scaled_copy(a)?;
    let original = vectors.then(|| a.clone());
    let balanced = balance(a.as_mut());
    Ok(Prepared {
        a,
        sigma,
        original,
        balanced,
    })
}

/// Eigenvalues of a general real matrix and, on request, its left and right eigenvectors
/// in reference ?GEEV's storage (see the module notes).
///
/// Only the requested sides are computed; one side's vectors do not depend on whether
/// the other was asked for (faer derives both from the same Schur form, and the repair
/// below is deterministic), as reference ?GEEV promises and its tester checks.
pub fn real_general<T: RealEigen>(
    par: Par<'_>,
    a: MatRef<'_, T>,
    wr: &mut [T],
    wi: &mut [T],
    vl: Option<MatMut<'_, T>>,
    vr: Option<MatMut<'_, T>>,
) -> Result<(), EigFailure> {
    let n = a.nrows();
    let Prepared {
        a,
        sigma,
        original,
        balanced: d,
    } = prepare(a, vl.is_some() || vr.is_some())?;
    let mut left = vl.is_some().then(|| Mat::<T>::zeros(n, n));
    let mut right = vr.is_some().then(|| Mat::<T>::zeros(n, n));
    T::kernel(
        a.as_ref(),
        wr,
        wi,
        left.as_mut().map(|m| m.as_mut()),
        right.as_mut().map(|m| m.as_mut()),
    )?;
    // The reference's order within a pair: positive imaginary part first, its vector
    // re + i·im in columns (j, j+1).
    let mut j = 0;
    while j + 1 < n {
        if wi[j] == T::zero() {
            j += 1;
            continue;
        }
        if wi[j] < T::zero() {
            wi[j] = -wi[j];
            wi[j + 1] = -wi[j + 1];
            for m in [left.as_mut(), right.as_mut()].into_iter().flatten() {
                m.as_mut().col_mut(j + 1).iter_mut().for_each(|x| *x = -*x);
            }
        }
        j += 2;
    }
    for (m, is_left) in [(left.as_mut(), true), (right.as_mut(), false)] {
        let Some(m) = m else { continue };
        d.unbalance(m.as_mut(), is_left);
        let a = original.as_ref().expect("kept when vectors are asked for");
        repair_real(par, a.as_ref(), wr, wi, m.as_mut(), is_left);
        {
            let mut j = 0;
            while j < n {
                if wi[j] == T::zero() || j + 1 == n {
                    normalize_real(
                        m.as_mut()
                            .col_mut(j)
                            .try_as_col_major_mut()
                            .unwrap()
                            .as_slice_mut(),
                    );
                    j += 1;
                } else {
                    normalize_pair(m.as_mut().subcols_mut(j, 2));
                    j += 2;
                }
            }
        }
    }
    deliver(left, right, vl, vr);
    for i in 0..n {
        wr[i] /= sigma;
        wi[i] /= sigma;
    }
    Ok(())
}

/// Eigenvalues of a general complex matrix and, on request, its left and right
/// eigenvectors (reference ?GEEV for C and Z).
pub fn complex_general<T: ComplexEigen>(
    par: Par<'_>,
    a: MatRef<'_, T>,
    w: &mut [T],
    vl: Option<MatMut<'_, T>>,
    vr: Option<MatMut<'_, T>>,
) -> Result<(), EigFailure> {
    let n = a.nrows();
    let Prepared {
        a,
        sigma,
        original,
        balanced: d,
    } = prepare(a, vl.is_some() || vr.is_some())?;
    let mut left = vl.is_some().then(|| Mat::<T>::zeros(n, n));
    let mut right = vr.is_some().then(|| Mat::<T>::zeros(n, n));
    T::kernel(
        a.as_ref(),
        w,
        left.as_mut().map(|m| m.as_mut()),
        right.as_mut().map(|m| m.as_mut()),
    )?;
    for (m, is_left) in [(left.as_mut(), true), (right.as_mut(), false)] {
        let Some(m) = m else { continue };
        d.unbalance(m.as_mut(), is_left);
        let a = original.as_ref().expect("kept when vectors are asked for");
        if is_left {
            let adjoint = Mat::from_fn(n, n, |i, j| a[(j, i)].conjugate());
            let conj_w: Vec<T> = w.iter().map(|x| x.conjugate()).collect();
            repair(par, adjoint.as_ref(), &conj_w, m.as_mut());
        } else {
            repair(par, a.as_ref(), w, m.as_mut());
        }
        {
            for j in 0..n {
                normalize_complex(
                    m.as_mut()
                        .col_mut(j)
                        .try_as_col_major_mut()
                        .unwrap()
                        .as_slice_mut(),
                );
            }
        }
    }
    deliver(left, right, vl, vr);
    let inv = T::from_real(T::Re::one() / sigma);
    w.iter_mut().for_each(|x| *x *= inv);
    Ok(())
}

/// The requested sides, copied to the caller's arrays.
fn deliver<T: Scalar>(
    left: Option<Mat<T>>,
    right: Option<Mat<T>>,
    vl: Option<MatMut<'_, T>>,
    vr: Option<MatMut<'_, T>>,
) {
    for (src, dst) in [(left, vl), (right, vr)] {
        if let (Some(src), Some(mut dst)) = (src, dst) {
            dst.copy_from(src.as_ref());
        }
    }
}

/// The largest column sum of moduli (‖A‖₁).
fn norm1<T: Scalar>(a: MatRef<'_, T>) -> T::Re {
    let mut best = T::Re::zero();
    for j in 0..a.ncols() {
        let mut s = T::Re::zero();
        for i in 0..a.nrows() {
            s += a[(i, j)].modulus();
        }
        best = max_of(best, s);
    }
    best
}

fn max_of<R: Real>(a: R, b: R) -> R {
    if b > a || b.is_nan_value() { b } else { a }
}

/// Whether an eigenvector's residual ‖op(A)·v − μ·v‖₁ (`r`, with ‖v‖₂² = `v2`) is what
/// a backward-stable solve leaves: at most n·ulp·‖A‖₁·‖v‖₂, one unit of reference
/// LAPACK's test ratio ‖A·V − V·W‖₁ / (n·‖A‖₁·ulp). faer's back-substitution has no
/// overflow scaling, so on defective and ill-conditioned matrices some vectors come
/// back as garbage.
fn acceptable<R: Real>(r: R, v2: R, n: usize, anorm: R) -> bool {
    let ulp = R::EPS + R::EPS;
    let v = v2.sqrt_value();
    let tol = R::from_f64(n as f64) * ulp * anorm;
    r.to_f64().is_finite() && v.is_positive() && v.to_f64().is_finite() && r <= tol * v
}

/// `op·V` (every vector's residual at once, on gemm) and ‖op‖₁, what [`acceptable`]
/// weighs the residuals against.
fn product_and_norm<T: Scalar>(
    par: Par<'_>,
    op: MatRef<'_, T>,
    v: MatRef<'_, T>,
) -> (Mat<T>, T::Re) {
    let mut r = Mat::<T>::zeros(op.nrows(), v.ncols());
    gemm::gemm(par, T::one(), op, false, v, false, T::zero(), r.as_mut());
    (r, norm1(op))
}

/// Complex eigenvectors (columns of `v`, eigenvalues `mu` of `op`) checked against their
/// residual, the unacceptable ones recomputed by inverse iteration.
fn repair<T: Scalar>(par: Par<'_>, op: MatRef<'_, T>, mu: &[T], mut v: MatMut<'_, T>) {
    let n = op.nrows();
    let (r, anorm) = product_and_norm(par, op, v.rb());
    for j in 0..n {
        let (mut r1, mut v2) = (T::Re::zero(), T::Re::zero());
        for i in 0..n {
            r1 += (r[(i, j)] - mu[j] * v[(i, j)]).modulus();
            let m = v[(i, j)].modulus();
            v2 += m * m;
        }
        if !acceptable(r1, v2, n, anorm)
            && let Some(x) = inverse_iteration(par, op, mu[j])
        {
            for (i, xi) in x.into_iter().enumerate() {
                v[(i, j)] = xi;
            }
        }
    }
}

/// [`repair`] for a real matrix's vectors in ?GEEV's real storage; `left`: the vectors
/// u with uᴴ·A = λ·uᴴ, that is Aᵀ·u = λ̄·u.
fn repair_real<T: RealEigen>(
    par: Par<'_>,
    a: MatRef<'_, T>,
    wr: &[T],
    wi: &[T],
    mut v: MatMut<'_, T>,
    left: bool,
) {
    let n = a.nrows();
    let op = if left { a.transpose() } else { a };
    let (r, anorm) = product_and_norm(par, op, v.rb());
    let mut j = 0;
    while j < n {
        let pair = wi[j] != T::zero() && j + 1 < n;
        // op·(x + i·y) = (α + iβ)(x + i·y), with β = ±wi for the right / left side.
        let (alpha, beta) = (wr[j], if left { -wi[j] } else { wi[j] });
        let (mut r1, mut v2) = (T::zero(), T::zero());
        for i in 0..n {
            if pair {
                let (x, y) = (v[(i, j)], v[(i, j + 1)]);
                let re = r[(i, j)] - (alpha * x - beta * y);
                let im = r[(i, j + 1)] - (beta * x + alpha * y);
                r1 += re.magnitude().hypot(im.magnitude());
                v2 += x * x + y * y;
            } else {
                r1 += (r[(i, j)] - alpha * v[(i, j)]).magnitude();
                v2 += v[(i, j)] * v[(i, j)];
            }
        }
        if !acceptable(r1, v2, n, anorm) {
            if pair {
                let complex_op = Mat::from_fn(n, n, |i, k| T::Complex::from_real(op[(i, k)]));
                let mu = T::Complex::from_parts(alpha, beta);
                if let Some(x) = inverse_iteration(par, complex_op.as_ref(), mu) {
                    for (i, xi) in x.into_iter().enumerate() {
                        v[(i, j)] = xi.re();
                        v[(i, j + 1)] = xi.im();
                    }
                }
            } else if let Some(x) = inverse_iteration(par, op, alpha) {
                for (i, xi) in x.into_iter().enumerate() {
                    v[(i, j)] = xi;
                }
            }
        }
        j += if pair { 2 } else { 1 };
    }
}

/// An eigenvector of `op` for the eigenvalue `mu` by inverse iteration (reference
/// ?LAEIN's scheme): factor op − μ·I, replace every pivot smaller than ε₃ = ulp·‖op‖₁ by
/// ε₃ (near a defective eigenvalue the last pivots underflow), then two scaled solves
/// from a start vector without structure. `None` if the numbers are not finite.
fn inverse_iteration<T: Scalar>(par: Par<'_>, op: MatRef<'_, T>, mu: T) -> Option<Vec<T>> {
    let n = op.nrows();
    let eps3 = max_of(norm1(op) * (T::Re::EPS + T::Re::EPS), T::Re::SAFE_MIN);
    let mut m = Mat::from_fn(
        n,
        n,
        |i, k| if i == k { op[(i, k)] - mu } else { op[(i, k)] },
    );
    let mut piv = vec![0; n];
    let _ = lu::getrf(par, m.as_mut(), &mut piv);
    for i in 0..n {
        if m[(i, i)].modulus() < eps3 || m[(i, i)].is_nan() {
            m[(i, i)] = T::from_real(eps3);
        }
    }
    let mut x: Vec<T> = (0..n)
        .map(|i| T::from_real(T::Re::one() / T::Re::from_f64((1 + i % 7) as f64)))
        .collect();
    // Stop once the solve grew the vector enough that it is an eigenvector to working
    // precision (?LAEIN's growth test); another solve could walk along a Jordan chain.
    let enough = T::Re::from_f64(0.1) / (T::Re::from_f64(n as f64).sqrt_value() * eps3);
    for _ in 0..3 {
        let before = super::householder::norm2(&x);
        let (finite, scaled) = solve_scaled(m.as_ref(), &piv, &mut x);
        let norm = super::householder::norm2(&x);
        if !finite || !norm.is_positive() || !norm.to_f64().is_finite() {
            return None;
        }
        let inv = T::from_real(T::Re::one() / norm);
        x.iter_mut().for_each(|v| *v *= inv);
        if scaled || norm >= enough * before {
            break;
        }
    }
    Some(x)
}

/// `x := s·(P·L·U)⁻¹·x` for some scale s > 0 chosen on the way so nothing overflows
/// (reference ?LATRS's idea): near an eigenvalue of a defective matrix the solution grows
/// like δ^(−multiplicity), beyond any floating-point range. Returns whether x is finite
/// and whether it was scaled down (then it grew past the range: large enough).
fn solve_scaled<T: Scalar>(lu: MatRef<'_, T>, piv: &[usize], x: &mut [T]) -> (bool, bool) {
    let n = x.len();
    let big = T::Re::one() / T::Re::SAFE_MIN.sqrt_value();
    let shrink = T::from_real(T::Re::one() / big);
    for (i, &p) in piv.iter().enumerate() {
        x.swap(i, p);
    }
    let mut scaled = false;
    let mut rescale = |x: &mut [T], s: &mut T| {
        x.iter_mut().for_each(|v| *v *= shrink);
        *s *= shrink;
        scaled = true;
    };
    for i in 0..n {
        let mut s = x[i];
        for k in 0..i {
            s -= lu[(i, k)] * x[k];
        }
        while s.modulus() > big {
            rescale(x, &mut s);
        }
        x[i] = s;
    }
    for i in (0..n).rev() {
        let mut s = x[i];
        for k in i + 1..n {
            s -= lu[(i, k)] * x[k];
        }
        let d = lu[(i, i)];
        while s.modulus() > big * d.modulus() && s.modulus().to_f64().is_finite() {
            rescale(x, &mut s);
        }
        x[i] = s.divide(d);
    }
    (x.iter().all(|v| v.modulus().to_f64().is_finite()), scaled)
}

/// Unit 2-norm (a real eigenvector).
fn normalize_real<R: Real>(v: &mut [R]) {
    let norm = super::householder::norm2(v);
    if norm > R::zero() {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Unit 2-norm for the complex vector re + i·im held in the two columns, then the
/// rotation (reference ?LARTG's) that makes its largest component real.
fn normalize_pair<R: Real>(mut v: MatMut<'_, R>) {
    let n = v.nrows();
    let re_norm = super::householder::norm2(v.rb().col(0).try_as_col_major().unwrap().as_slice());
    let im_norm = super::householder::norm2(v.rb().col(1).try_as_col_major().unwrap().as_slice());
    let norm = re_norm.hypot(im_norm);
    if !norm.is_positive() {
        return;
    }
    let mut k = 0;
    let mut best = -R::one();
    for i in 0..n {
        let (x, y) = (v[(i, 0)] / norm, v[(i, 1)] / norm);
        v[(i, 0)] = x;
        v[(i, 1)] = y;
        let m = x * x + y * y;
        if m > best {
            best = m;
            k = i;
        }
    }
    let (f, g) = (v[(k, 0)], v[(k, 1)]);
    let d = f.hypot(g);
    if d.is_zero() {
        return;
    }
    let r = if f.to_f64().is_sign_negative() { -d } else { d };
    let (c, s) = (f.magnitude() / d, g / r);
    for i in 0..n {
        let (x, y) = (v[(i, 0)], v[(i, 1)]);
        v[(i, 0)] = c * x + s * y;
        v[(i, 1)] = c * y - s * x;
    }
    v[(k, 1)] = R::zero();
}

/// Unit 2-norm, then multiplied by the phase that makes the largest component real
/// and positive (reference ZGEEV).
fn normalize_complex<T: Scalar>(v: &mut [T]) {
    let norm = super::householder::norm2(v);
    if !norm.is_positive() {
        return;
    }
    let inv = T::from_real(T::Re::one() / norm);
    v.iter_mut().for_each(|x| *x *= inv);
    let mut k = 0;
    let mut best = -T::Re::one();
    for (i, x) in v.iter().enumerate() {
        let m = x.re() * x.re() + x.im() * x.im();
        if m > best {
            best = m;
            k = i;
        }
    }
    let phase = v[k].conjugate() * T::from_real(T::Re::one() / best.sqrt_value());
    v.iter_mut().for_each(|x| *x *= phase);
    v[k] = T::from_real(v[k].re());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq() -> Par<'static> {
        Par::seq(crate::arch::detected())
    }

    fn rnd(seed: &mut u64) -> f64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }

    /// Every reduction of a real symmetric matrix (one stage by faer's reflectors or by
    /// [`sytrd`]'s panels; two stages by oxblas's band reduction and chase) gives
    /// A·V = V·Λ, VᵀV = I and the same Λ as faer's whole solver, with vectors and
    /// without, on a team of two, from the lower triangle alone (NaN above it).
    #[test]
    fn real_symmetric_pairs_by_either_reduction() {
        let par = crate::abi::par().with_threads(2);
        for n in [1usize, 2, 9, 70, 420] {
            let a = crate::test_data::symmetric(n, n as u64);
            let mut lower = a.clone();
            for j in 0..n {
                for i in 0..j {
                    lower[(i, j)] = f64::NAN;
                }
            }
            let norm = (0..n)
                .map(|i| (0..n).map(|j| a[(i, j)].abs()).sum::<f64>())
                .fold(0.0, f64::max);
            let tol = 16.0 * n as f64 * f64::EPSILON * norm;
            let mut values = Vec::new();
            for path in [Some(Reducer::Faer), Some(Reducer::Panels), None] {
                for vectors in [true, false] {
                    let mut w = vec![0.0; n];
                    let v = match path {
                        Some(r) => by_one_stage(par, lower.clone(), &mut w, vectors, r),
                        None => by_two_stages(par, lower.clone(), &mut w, vectors),
                    }
                    .unwrap();
                    assert_eq!(v.is_some(), vectors);
                    if let Some(v) = v {
                        for j in 0..n {
                            for i in 0..n {
                                let av: f64 = (0..n).map(|k| a[(i, k)] * v[(k, j)]).sum();
                                let r = av - w[j] * v[(i, j)];
                                assert!(r.abs() <= tol, "n={n} (A − λ{j})v row {i}: {r}");
                                let dot: f64 = (0..n).map(|k| v[(k, i)] * v[(k, j)]).sum();
                                let want = if i == j { 1.0 } else { 0.0 };
                                assert!((dot - want).abs() <= tol / norm, "n={n} vᵀv {i},{j}");
                            }
                        }
                    }
                    values.push(w);
                }
            }
            let mut w = vec![0.0; n];
            faer_evd(lower.clone(), &mut w, false).unwrap();
            values.push(w);
            for w in &values[1..] {
                for (x, y) in w.iter().zip(&values[0]) {
                    assert!((x - y).abs() <= tol, "n={n}: {x} vs {y}");
                }
            }
        }
    }

    /// The tridiagonal solver through the bidiagonal SVD: T·V = V·Λ and VᵀV = I to a
    /// few ulps of ‖T‖, and Λ against reference's QL/QR ([`sterf`]), on random,
    /// definite, indefinite, diagonal, clustered, graded and zero tridiagonals.
    #[test]
    fn tridiagonal_pairs_through_the_bidiagonal_svd() {
        let mut seed = 5u64;
        let mut cases: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
        for n in [1usize, 2, 3, 10, 129, 300] {
            let d: Vec<f64> = (0..n).map(|_| rnd(&mut seed)).collect();
            let e: Vec<f64> = (1..n).map(|_| rnd(&mut seed)).collect();
            cases.push((d.iter().map(|x| x + 3.0).collect(), e.clone()));
            cases.push((d.iter().map(|x| x - 3.0).collect(), e.clone()));
            cases.push((d.clone(), vec![0.0; n - 1]));
            cases.push((vec![0.0; n], vec![0.0; n - 1]));
            cases.push((vec![1.0; n], vec![1e-12; n - 1]));
            let graded: Vec<f64> = (0..n).map(|i| 10f64.powi(-((i % 20) as i32))).collect();
            cases.push((graded.clone(), graded[1..].to_vec()));
            cases.push((d, e));
        }
        for (d, e) in cases {
            let n = d.len();
            let mut w = vec![0.0; n];
            let v = tridiagonal_evd(seq(), &d, &e, &mut w).unwrap();
            let norm = (0..n).fold(0.0f64, |m, i| {
                let off = |j: usize| e.get(j).map_or(0.0, |x: &f64| x.abs());
                m.max(d[i].abs() + off(i) + if i > 0 { off(i - 1) } else { 0.0 })
            });
            let tol = 16.0 * n as f64 * f64::EPSILON * norm.max(f64::MIN_POSITIVE);
            let (mut dq, mut eq) = (d.clone(), e.clone());
            sterf::eigenvalues(&mut dq, &mut eq).unwrap();
            for j in 0..n {
                assert!(
                    (w[j] - dq[j]).abs() <= tol,
                    "n={n} λ{j} {} vs {}",
                    w[j],
                    dq[j]
                );
                for i in 0..n {
                    let mut tv = (d[i] - w[j]) * v[(i, j)];
                    if i > 0 {
                        tv += e[i - 1] * v[(i - 1, j)];
                    }
                    if i + 1 < n {
                        tv += e[i] * v[(i + 1, j)];
                    }
                    assert!(tv.abs() <= tol, "n={n} (T − λ{j})v row {i}: {tv}");
                }
                for k in 0..n {
                    let dot: f64 = (0..n).map(|p| v[(p, j)] * v[(p, k)]).sum();
                    let want = if j == k { 1.0 } else { 0.0 };
                    assert!(
                        (dot - want).abs() <= 16.0 * n as f64 * f64::EPSILON,
                        "n={n} vᵀv {j},{k}: {dot}"
                    );
                }
            }
        }
    }

    #[test]
    fn hermitian_pairs_satisfy_a_v_equals_lambda_v() {
        let mut seed = 3u64;
        for n in [1, 2, 7, 40] {
            let g = Mat::from_fn(n, n, |_, _| c64::new(rnd(&mut seed), rnd(&mut seed)));
            let a = Mat::from_fn(n, n, |i, j| g[(i, j)] + g[(j, i)].conj());
            for lower in [true, false] {
                let mut v = Mat::from_fn(n, n, |i, j| {
                    let inside = if lower { i >= j } else { i <= j };
                    if inside {
                        a[(i, j)]
                    } else {
                        c64::new(f64::NAN, 0.0)
                    }
                });
                let mut w = vec![0.0; n];
                hermitian(seq(), lower, v.as_mut(), &mut w, true).unwrap();
                assert!(w.windows(2).all(|p| p[0] <= p[1]), "ascending");
                for j in 0..n {
                    for i in 0..n {
                        let mut s = c64::new(0.0, 0.0);
                        for k in 0..n {
                            s += a[(i, k)] * v[(k, j)];
                        }
                        assert!((s - v[(i, j)] * w[j]).norm() < 1e-12 * n as f64);
                    }
                }
            }
        }
    }

    /// Eigenvalues (re, im) and left and right vectors of a real general matrix.
    fn both_sides(a: &Mat<f64>) -> (Vec<f64>, Vec<f64>, Mat<f64>, Mat<f64>) {
        let n = a.nrows();
        let (mut wr, mut wi) = (vec![0.0; n], vec![0.0; n]);
        let (mut vl, mut vr) = (Mat::<f64>::zeros(n, n), Mat::<f64>::zeros(n, n));
        real_general(
            seq(),
            a.as_ref(),
            &mut wr,
            &mut wi,
            Some(vl.as_mut()),
            Some(vr.as_mut()),
        )
        .unwrap();
        (wr, wi, vl, vr)
    }

    #[test]
    fn real_general_pairs_and_left_vectors() {
        let mut seed = 11u64;
        for n in [1, 2, 5, 30] {
            let a = Mat::from_fn(n, n, |_, _| rnd(&mut seed));
            let (wr, wi, vl, vr) = both_sides(&a);
            let mut j = 0;
            while j < n {
                let pair = wi[j] != 0.0;
                if pair {
                    assert!(wi[j] > 0.0 && wi[j + 1] == -wi[j] && wr[j] == wr[j + 1]);
                }
                let lambda = c64::new(wr[j], wi[j]);
                let vec_of = |m: &Mat<f64>, i: usize| {
                    c64::new(m[(i, j)], if pair { m[(i, j + 1)] } else { 0.0 })
                };
                let mut norm_r = 0.0;
                for i in 0..n {
                    let mut right = c64::new(0.0, 0.0);
                    let mut left = c64::new(0.0, 0.0);
                    for k in 0..n {
                        right += vec_of(&vr, k) * a[(i, k)];
                        left += vec_of(&vl, k).conj() * a[(k, i)];
                    }
                    assert!(
                        (right - lambda * vec_of(&vr, i)).norm() < 1e-12 * n as f64,
                        "A·v"
                    );
                    assert!(
                        (left - lambda * vec_of(&vl, i).conj()).norm() < 1e-12 * n as f64,
                        "uᴴ·A"
                    );
                    norm_r += vec_of(&vr, i).norm_sqr();
                }
                assert!((norm_r - 1.0).abs() < 1e-13);
                j += if pair { 2 } else { 1 };
            }
        }
    }

    /// A·v = λ·v and uᴴ·A = λ·uᴴ for every pair, to 1e-13·‖A‖₁ (pairs of columns for
    /// complex-conjugate eigenvalues, as stored).
    fn assert_vectors_solve(a: &Mat<f64>, wr: &[f64], wi: &[f64], vl: &Mat<f64>, vr: &Mat<f64>) {
        let n = a.nrows();
        let anorm = norm1(a.as_ref());
        let mut j = 0;
        while j < n {
            let pair = wi[j] != 0.0;
            let lambda = c64::new(wr[j], wi[j]);
            let vec_of = |m: &Mat<f64>, i: usize| {
                c64::new(m[(i, j)], if pair { m[(i, j + 1)] } else { 0.0 })
            };
            for i in 0..n {
                let (mut right, mut left) = (c64::new(0.0, 0.0), c64::new(0.0, 0.0));
                for k in 0..n {
                    right += vec_of(vr, k) * a[(i, k)];
                    left += vec_of(vl, k).conj() * a[(k, i)];
                }
                assert!(
                    (right - lambda * vec_of(vr, i)).norm() < 1e-13 * anorm,
                    "A·v, pair {j}"
                );
                assert!(
                    (left - lambda * vec_of(vl, i).conj()).norm() < 1e-13 * anorm,
                    "uᴴ·A, pair {j}"
                );
            }
            j += if pair { 2 } else { 1 };
        }
    }

    /// Sorted (re, im) pairs.
    fn sorted(wr: &[f64], wi: &[f64]) -> Vec<(f64, f64)> {
        let mut w: Vec<(f64, f64)> = wr.iter().copied().zip(wi.iter().copied()).collect();
        w.sort_by(|a, b| a.partial_cmp(b).unwrap());
        w
    }

    /// A badly scaled similarity D·T·D⁻¹ (D spanning 10^±6) has T's eigenvalues; without
    /// balancing (reference ?GEBAL) the Hessenberg QR's errors are ε·‖D·T·D⁻¹‖, which
    /// swamps them.
    #[test]
    fn badly_scaled_matrices_are_balanced() {
        let mut seed = 5u64;
        let n = 12;
        let t = Mat::from_fn(n, n, |_, _| rnd(&mut seed));
        let d: Vec<f64> = (0..n)
            .map(|i| 10f64.powf(12.0 * i as f64 / (n - 1) as f64 - 6.0))
            .collect();
        let a = Mat::from_fn(n, n, |i, j| d[i] * t[(i, j)] / d[j]);
        let (wr_t, wi_t, _, _) = both_sides(&t);
        let (wr, wi, vl, vr) = both_sides(&a);
        for ((x, y), (u, v)) in sorted(&wr, &wi).iter().zip(sorted(&wr_t, &wi_t)) {
            assert!(
                (x - u).hypot(y - v) < 1e-12,
                "eigenvalue {x}+{y}i of D·T·D⁻¹, {u}+{v}i of T"
            );
        }
        // And the vectors (brought back through D) still satisfy their equations.
        assert_vectors_solve(&a, &wr, &wi, &vl, &vr);
        // The complex solver balances the same way.
        let tc = Mat::from_fn(n, n, |_, _| c64::new(rnd(&mut seed), rnd(&mut seed)));
        let ac = Mat::from_fn(n, n, |i, j| tc[(i, j)] * (d[i] / d[j]));
        let values = |m: &Mat<c64>| {
            let mut w = vec![c64::new(0.0, 0.0); n];
            complex_general(seq(), m.as_ref(), &mut w, None, None).unwrap();
            w.sort_by(|a, b| (a.re, a.im).partial_cmp(&(b.re, b.im)).unwrap());
            w
        };
        for (x, u) in values(&ac).iter().zip(values(&tc)) {
            assert!(
                (x - u).norm() < 1e-12,
                "complex eigenvalue {x} of D·T·D⁻¹, {u} of T"
            );
        }
    }

    /// Eigenvalues that a permutation isolates (rows or columns zero off the diagonal,
    /// hidden by a symmetric permutation) come out exactly, as from reference ?GEBAL;
    /// the vectors, brought back through the permutation, satisfy their equations.
    #[test]
    fn isolated_eigenvalues_are_exact() {
        let mut seed = 9u64;
        let n = 9;
        // Block upper triangular: triangular corners (diagonals 1.5, −2.25; 0.75, 3.5)
        // around a dense 5×5 block.
        let mut t = Mat::from_fn(n, n, |i, j| {
            if i <= j || (2..7).contains(&i) && j >= 2 {
                rnd(&mut seed)
            } else {
                0.0
            }
        });
        for (i, x) in [(0, 1.5), (1, -2.25), (7, 0.75), (8, 3.5)] {
            t[(i, i)] = x;
        }
        let perm = [4, 7, 0, 5, 2, 8, 1, 6, 3];
        let a = Mat::from_fn(n, n, |i, j| t[(perm[i], perm[j])]);
        let (wr, wi, vl, vr) = both_sides(&a);
        for x in [1.5, -2.25, 0.75, 3.5] {
            assert!(
                wr.iter().zip(&wi).any(|(&r, &i)| r == x && i == 0.0),
                "{x} not among {wr:?}"
            );
        }
        assert_vectors_solve(&a, &wr, &wi, &vl, &vr);
    }

    #[test]
    fn complex_general_vectors_are_normalized_with_a_real_largest_component() {
        let mut seed = 21u64;
        let n = 25;
        let a = Mat::from_fn(n, n, |_, _| c64::new(rnd(&mut seed), rnd(&mut seed)));
        let mut w = vec![c64::new(0.0, 0.0); n];
        let (mut vl, mut vr) = (Mat::<c64>::zeros(n, n), Mat::<c64>::zeros(n, n));
        complex_general(
            seq(),
            a.as_ref(),
            &mut w,
            Some(vl.as_mut()),
            Some(vr.as_mut()),
        )
        .unwrap();
        for j in 0..n {
            for (v, left) in [(&vr, false), (&vl, true)] {
                let col: Vec<c64> = (0..n).map(|i| v[(i, j)]).collect();
                let norm: f64 = col.iter().map(|x| x.norm_sqr()).sum();
                assert!((norm - 1.0).abs() < 1e-13);
                let big = col.iter().map(|x| x.norm()).fold(0.0, f64::max);
                assert!(
                    col.iter()
                        .any(|x| x.im == 0.0 && (x.re - big).abs() < 1e-15)
                );
                for i in 0..n {
                    let mut s = c64::new(0.0, 0.0);
                    for k in 0..n {
                        s += if left {
                            col[k].conj() * a[(k, i)]
                        } else {
                            a[(i, k)] * col[k]
                        };
                    }
                    let want = if left {
                        w[j] * col[i].conj()
                    } else {
                        w[j] * col[i]
                    };
                    assert!((s - want).norm() < 1e-12 * n as f64, "left={left}");
                }
            }
        }
    }

    /// A defective matrix (a Jordan block, transposed as reference's test type 3):
    /// every vector comes back finite, of unit norm, with a backward-stable residual,
    /// on both sides and whether or not the other side was asked for.
    #[test]
    fn defective_matrices_get_finite_unit_vectors() {
        for n in [10, 40] {
            let a = Mat::from_fn(n, n, |i, j| {
                if i == j {
                    2.0
                } else if i == j + 1 {
                    1.0
                } else {
                    0.0
                }
            });
            let (wr, wi, vl, vr) = both_sides(&a);
            let mut vr_only = Mat::<f64>::zeros(n, n);
            let (mut wr2, mut wi2) = (vec![0.0; n], vec![0.0; n]);
            real_general(
                seq(),
                a.as_ref(),
                &mut wr2,
                &mut wi2,
                None,
                Some(vr_only.as_mut()),
            )
            .unwrap();
            assert!(
                vr == vr_only && wr == wr2 && wi == wi2,
                "VR must not depend on VL"
            );
            for (v, left) in [(&vr, false), (&vl, true)] {
                for j in 0..n {
                    if wi[j] != 0.0 {
                        continue;
                    }
                    let norm: f64 = (0..n).map(|i| v[(i, j)] * v[(i, j)]).sum::<f64>().sqrt();
                    assert!(
                        (norm - 1.0).abs() < 1e-13,
                        "n={n} j={j} left={left}: norm {norm}"
                    );
                    let r: f64 = (0..n)
                        .map(|i| {
                            let av: f64 = (0..n)
                                .map(|k| if left { a[(k, i)] } else { a[(i, k)] } * v[(k, j)])
                                .sum();
                            (av - wr[j] * v[(i, j)]).abs()
                        })
                        .sum();
                    assert!(
                        r < n as f64 * 3.0 * 2.2e-16 * 3.0,
                        "n={n} j={j} left={left}: residual {r}"
                    );
                }
            }
        }
    }
}
