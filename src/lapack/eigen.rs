//! Eigendecompositions: Hermitian/symmetric (`syevd`/`heevd`) and general (`geev`),
//! with reference LAPACK's output formats — ascending eigenvalues; for a real matrix,
//! a complex-conjugate pair as consecutive (re, im) columns with the positive imaginary
//! part first; every eigenvector of unit 2-norm with its largest component real.
//!
//! The kernels are faer's (tridiagonal divide and conquer; Hessenberg QR with
//! aggressive early deflation), run serially, so the results are the same for every
//! thread count. This module owns what the ABI promises around them: scaling into the
//! safe range, the NaN check, the normalization and the storage conventions.

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
pub fn hermitian<T: Scalar>(
    lower: bool,
    mut a: MatMut<'_, T>,
    w: &mut [T::Re],
    vectors: bool,
) -> Result<(), EigFailure> {
    let n = a.nrows();
    // The full lower triangle faer reads, scaled into the safe range as reference
    // ?SYEVD does (its anrm from the stored triangle).
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
    let mut full = Mat::<T>::zeros(n, n);
    for j in 0..n {
        full[(j, j)] = T::from_real(stored(j, j).re() * sigma);
        for i in j + 1..n {
            full[(i, j)] = stored(i, j) * T::from_real(sigma);
        }
    }
    let par = faer::Par::Seq;
    let compute = if vectors {
        ComputeEigenvectors::Yes
    } else {
        ComputeEigenvectors::No
    };
    let mut buf = workspace(evd::self_adjoint_evd_scratch::<T>(
        n,
        compute,
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
        *wi = s[i].re() / sigma;
    }
    if let Some(u) = u {
        a.copy_from(u.as_ref());
    }
    Ok(())
}

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

/// Eigenvalues of a general real matrix and, on request, its left (uᴴ·A = λ·uᴴ) and
/// right (A·v = λ·v) eigenvectors in reference ?GEEV's real storage.
pub trait RealEigen: Real {
    fn eigen(
        a: MatRef<'_, Self>,
        wr: &mut [Self],
        wi: &mut [Self],
        vl: Option<MatMut<'_, Self>>,
        vr: Option<MatMut<'_, Self>>,
    ) -> Result<(), EigFailure>;
}

/// Eigenvalues of a general complex matrix and, on request, its left and right
/// eigenvectors (reference ?GEEV for C and Z).
pub trait ComplexEigen: Scalar {
    fn eigen(
        a: MatRef<'_, Self>,
        w: &mut [Self],
        vl: Option<MatMut<'_, Self>>,
        vr: Option<MatMut<'_, Self>>,
    ) -> Result<(), EigFailure>;
}

/// A general matrix copied, checked for NaN and scaled into the safe range: the
/// eigenvalues of the copy are σ times A's.
fn scaled_copy<T: Scalar>(a: MatRef<'_, T>) -> Result<(Mat<T>, T::Re), EigFailure> {
    let mut anrm = T::Re::zero();
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            let v = a[(i, j)].modulus();
            if v.is_nan_value() {
                return Err(EigFailure::NoConvergence);
            }
            if v > anrm {
                anrm = v;
            }
        }
    }
    let sigma = safe_range_factor(anrm);
    Ok((
        Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] * T::from_real(sigma)),
        sigma,
    ))
}

macro_rules! real_eigen {
    ($t:ty) => {
        impl RealEigen for $t {
            fn eigen(
                a: MatRef<'_, $t>,
                wr: &mut [$t],
                wi: &mut [$t],
                mut vl: Option<MatMut<'_, $t>>,
                mut vr: Option<MatMut<'_, $t>>,
            ) -> Result<(), EigFailure> {
                let n = a.nrows();
                let (a, sigma) = scaled_copy(a)?;
                let par = faer::Par::Seq;
                let want = |v: bool| {
                    if v {
                        ComputeEigenvectors::Yes
                    } else {
                        ComputeEigenvectors::No
                    }
                };
                let req = evd::evd_scratch::<$t>(
                    n,
                    want(vl.is_some()),
                    want(vr.is_some()),
                    par,
                    Default::default(),
                );
                let mut buf = workspace(req)?;
                let (mut re, mut im) = (Diag::<$t>::zeros(n), Diag::<$t>::zeros(n));
                evd::evd_real(
                    a.as_ref(),
                    re.as_mut(),
                    im.as_mut(),
                    vl.as_mut().map(|v| v.rb_mut()),
                    vr.as_mut().map(|v| v.rb_mut()),
                    par,
                    MemStack::new(&mut buf),
                    Default::default(),
                )
                .map_err(|_| EigFailure::NoConvergence)?;
                for i in 0..n {
                    wr[i] = re[i] / sigma;
                    wi[i] = im[i] / sigma;
                }
                let mut j = 0;
                while j < n {
                    if wi[j] == 0.0 || j + 1 == n {
                        for mut v in [
                            vl.as_mut().map(|v| v.rb_mut()),
                            vr.as_mut().map(|v| v.rb_mut()),
                        ]
                        .into_iter()
                        .flatten()
                        {
                            normalize_real(
                                v.rb_mut()
                                    .col_mut(j)
                                    .try_as_col_major_mut()
                                    .unwrap()
                                    .as_slice_mut(),
                            );
                        }
                        j += 1;
                        continue;
                    }
                    // The reference's order within a pair: positive imaginary part first,
                    // its vector re + i·im in columns (j, j+1).
                    if wi[j] < 0.0 {
                        wi[j] = -wi[j];
                        wi[j + 1] = -wi[j + 1];
                        for mut v in [
                            vl.as_mut().map(|v| v.rb_mut()),
                            vr.as_mut().map(|v| v.rb_mut()),
                        ]
                        .into_iter()
                        .flatten()
                        {
                            for x in v.rb_mut().col_mut(j + 1).iter_mut() {
                                *x = -*x;
                            }
                        }
                    }
                    for mut v in [
                        vl.as_mut().map(|v| v.rb_mut()),
                        vr.as_mut().map(|v| v.rb_mut()),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        normalize_pair(v.rb_mut().subcols_mut(j, 2));
                    }
                    j += 2;
                }
                Ok(())
            }
        }
    };
}

macro_rules! complex_eigen {
    ($t:ty) => {
        impl ComplexEigen for $t {
            fn eigen(
                a: MatRef<'_, $t>,
                w: &mut [$t],
                mut vl: Option<MatMut<'_, $t>>,
                mut vr: Option<MatMut<'_, $t>>,
            ) -> Result<(), EigFailure> {
                let n = a.nrows();
                let (a, sigma) = scaled_copy(a)?;
                let par = faer::Par::Seq;
                let want = |v: bool| {
                    if v {
                        ComputeEigenvectors::Yes
                    } else {
                        ComputeEigenvectors::No
                    }
                };
                let req = evd::evd_scratch::<$t>(
                    n,
                    want(vl.is_some()),
                    want(vr.is_some()),
                    par,
                    Default::default(),
                );
                let mut buf = workspace(req)?;
                let mut s = Diag::<$t>::zeros(n);
                evd::evd_cplx(
                    a.as_ref(),
                    s.as_mut(),
                    vl.as_mut().map(|v| v.rb_mut()),
                    vr.as_mut().map(|v| v.rb_mut()),
                    par,
                    MemStack::new(&mut buf),
                    Default::default(),
                )
                .map_err(|_| EigFailure::NoConvergence)?;
                for i in 0..n {
                    w[i] = s[i] * <$t as Scalar>::from_real(1.0 / sigma);
                }
                for mut v in [
                    vl.as_mut().map(|v| v.rb_mut()),
                    vr.as_mut().map(|v| v.rb_mut()),
                ]
                .into_iter()
                .flatten()
                {
                    for j in 0..n {
                        normalize_complex(
                            v.rb_mut()
                                .col_mut(j)
                                .try_as_col_major_mut()
                                .unwrap()
                                .as_slice_mut(),
                        );
                    }
                }
                Ok(())
            }
        }
    };
}

real_eigen!(f32);
real_eigen!(f64);
complex_eigen!(c32);
complex_eigen!(c64);

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

    fn rnd(seed: &mut u64) -> f64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
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
                hermitian(lower, v.as_mut(), &mut w, true).unwrap();
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

    #[test]
    fn real_general_pairs_and_left_vectors() {
        let mut seed = 11u64;
        for n in [1, 2, 5, 30] {
            let a = Mat::from_fn(n, n, |_, _| rnd(&mut seed));
            let (mut wr, mut wi) = (vec![0.0; n], vec![0.0; n]);
            let (mut vl, mut vr) = (Mat::<f64>::zeros(n, n), Mat::<f64>::zeros(n, n));
            f64::eigen(
                a.as_ref(),
                &mut wr,
                &mut wi,
                Some(vl.as_mut()),
                Some(vr.as_mut()),
            )
            .unwrap();
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

    #[test]
    fn complex_general_vectors_are_normalized_with_a_real_largest_component() {
        let mut seed = 21u64;
        let n = 25;
        let a = Mat::from_fn(n, n, |_, _| c64::new(rnd(&mut seed), rnd(&mut seed)));
        let mut w = vec![c64::new(0.0, 0.0); n];
        let (mut vl, mut vr) = (Mat::<c64>::zeros(n, n), Mat::<c64>::zeros(n, n));
        c64::eigen(a.as_ref(), &mut w, Some(vl.as_mut()), Some(vr.as_mut())).unwrap();
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
}
