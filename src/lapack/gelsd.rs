//! Minimum-norm least squares `min ‖B − A·X‖₂` through the SVD (`gelsd`), for any
//! rank: `X = V·Σ⁺·Uᴴ·B`, with singular values at or below `rcond·σ₁` treated as zero.
//!
//! Reference ?GELSD solves the bidiagonal problem by divide and conquer; this computes
//! the thin SVD with [`SvdScalar`] (oxblas's own pipeline for f64) and applies it with
//! two products. A much taller A is first reduced by QR, as reference does: B becomes
//! Qᴴ·B and the SVD is the square R's, so no m-row singular vectors are formed. The
//! result is the same minimum-norm solution, and what the ABI promises is kept: the
//! rank, the singular values, and for m > n the residual sum of squares in rows n..
//! of B.

use super::bidiag::much_taller;
use super::gesdd::{SvdFailure, SvdJob, SvdScalar};
use super::{qr, scale};
use crate::blas::Par;
use crate::blas::gemm;
use crate::scalar::{Real, Scalar};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

/// Workspace lengths reference ?GELSD requires (and reports on a query).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GelsdWork {
    pub lwork: usize,
    /// Real workspace of the complex routines (`rwork`).
    pub lrwork: usize,
    pub liwork: usize,
}

/// Reference's subproblem size of the bidiagonal divide and conquer (`ilaenv(9)`).
const SMLSIZ: usize = 25;

/// The reference minimum workspace of ?GELSD (LAPACK 3.8 and later).
pub fn min_work<T: Scalar>(m: usize, n: usize, nrhs: usize) -> GelsdWork {
    let minmn = m.min(n);
    if T::COMPLEX && minmn == 0 {
        return GelsdWork {
            lwork: 1,
            lrwork: 1,
            liwork: 1,
        };
    }
    let k = minmn.max(1);
    // NLVL = MAX(INT(LOG(K / (SMLSIZ+1)) / LOG(2)) + 1, 0), INT truncating toward zero.
    let nlvl =
        (((k as f64 / (SMLSIZ + 1) as f64).ln() / 2f64.ln()).trunc() as i64 + 1).max(0) as usize;
    let liwork = 3 * k * nlvl + 11 * k;
    // Reference's QR (or LQ) pre-reduction threshold, ilaenv(6): 1.6·min(m, n).
    let mnthr = (minmn as f64 * 1.6) as usize;
    let square = (SMLSIZ + 1) * (SMLSIZ + 1);
    if T::COMPLEX {
        let (small, lwork) = if m >= n {
            let mm = if m >= mnthr { n } else { m };
            (n, (2 * n + mm).max(2 * n + n * nrhs))
        } else {
            (m, (2 * m + n).max(2 * m + m * nrhs))
        };
        let lrwork = 10 * small
            + 2 * small * SMLSIZ
            + 8 * small * nlvl
            + 3 * SMLSIZ * nrhs
            + square.max(n * (1 + nrhs) + 2 * nrhs);
        GelsdWork {
            lwork,
            lrwork,
            liwork,
        }
    } else {
        let lwork = if m >= n {
            let mm = if m >= mnthr { n } else { m };
            let wlalsd = 9 * n + 2 * n * SMLSIZ + 8 * n * nlvl + n * nrhs + square;
            (3 * n + mm).max(3 * n + nrhs).max(3 * n + wlalsd)
        } else {
            let wlalsd = 9 * m + 2 * m * SMLSIZ + 8 * m * nlvl + m * nrhs + square;
            (3 * m + nrhs).max(4 * m).max(3 * m + wlalsd)
        };
        GelsdWork {
            lwork,
            lrwork: 0,
            liwork,
        }
    }
}

/// Solves in place: `a` (m×n, destroyed), `b` (max(m, n)×nrhs: B in its first m rows
/// on entry, X in its first n on return; for m > n, row n holds each column's residual
/// norm and the rows below it zeros, so the sum of squares of rows n.. is the residual
/// sum of squares, as the reference documents), `s` the min(m, n) singular values.
/// `rcond` < 0 (or ≥ 1) means machine precision. Returns the effective rank.
pub fn gelsd<T: SvdScalar>(
    par: Par<'_>,
    mut a: MatMut<'_, T>,
    mut b: MatMut<'_, T>,
    s: &mut [T::Re],
    rcond: T::Re,
) -> Result<usize, SvdFailure> {
    let m = a.nrows();
    // As reference: A and B into [sfmin/prec, prec/sfmin] first, a zero A solved at once.
    let small = T::Re::SAFE_MIN / (T::Re::EPS + T::Re::EPS);
    let range = |norm: T::Re| {
        if norm.is_positive() && norm < small {
            Some(small)
        } else if norm > T::Re::one() / small {
            Some(T::Re::one() / small)
        } else {
            None
        }
    };
    let anrm = scale::max_abs(a.rb());
    if anrm.is_zero() {
        b.fill(T::zero());
        s.fill(T::Re::zero());
        return Ok(0);
    }
    let a_to = range(anrm);
    if let Some(to) = a_to {
        scale::rescale(a.rb_mut(), anrm, to);
    }
    let bnrm = scale::max_abs(b.rb().subrows(0, m));
    let b_to = range(bnrm);
    if let Some(to) = b_to {
        scale::rescale(b.rb_mut().subrows_mut(0, m), bnrm, to);
    }
    let rank = solve_in_range(par, a, b.rb_mut(), s, rcond)?;
    if let Some(to) = a_to {
        scale::rescale(b.rb_mut(), anrm, to);
        scale::rescale_slice(s, to, anrm);
    }
    if let Some(to) = b_to {
        scale::rescale(b.rb_mut(), to, bnrm);
    }
    Ok(rank)
}

/// [`solve_in_range`] for a much taller A (the thin SVD would run the same QR, then
/// form U with m rows): `A = Q·R`, then R·X = (Qᴴ·B)'s first n rows
/// in the least-squares sense; the residual adds the rows below.
fn solve_tall<T: SvdScalar>(
    par: Par<'_>,
    mut a: MatMut<'_, T>,
    mut b: MatMut<'_, T>,
    s: &mut [T::Re],
    rcond: T::Re,
) -> Result<usize, SvdFailure> {
    let (m, n) = (a.nrows(), a.ncols());
    let nrhs = b.ncols();
    let mut tau = vec![T::zero(); n];
    qr::geqrf(par, a.rb_mut(), &mut tau);
    qr::apply_qh(par, a.rb(), &tau, b.rb_mut().subrows_mut(0, m));
    let below: Vec<T::Re> = (0..nrhs)
        .map(|j| norm2(b.rb().submatrix(n, j, m - n, 1)))
        .collect();
    let r = Mat::from_fn(n, n, |i, j| if i <= j { a[(i, j)] } else { T::zero() });
    let c = b.rb().subrows(0, n).to_owned();
    let rank = solve_in_range(
        par,
        r.clone().as_mut(),
        b.rb_mut().subrows_mut(0, n),
        s,
        rcond,
    )?;
    // ‖B − A·X‖² = ‖C − R·X‖² + ‖rows n.. of Qᴴ·B‖² (the first part is not zero when
    // A is rank deficient).
    let mut res = c;
    gemm::gemm(
        par,
        -T::one(),
        r.as_ref(),
        false,
        b.rb().subrows(0, n),
        false,
        T::one(),
        res.as_mut(),
    );
    let norms = below
        .into_iter()
        .enumerate()
        .map(|(j, below)| norm2(res.as_ref().col(j).as_mat()).hypot(below));
    write_residuals(b, n, norms);
    Ok(rank)
}

/// Rows n.. of B for m > n: each column's residual norm in row n, zeros below.
fn write_residuals<T: Scalar>(mut b: MatMut<'_, T>, n: usize, norms: impl Iterator<Item = T::Re>) {
    for (j, norm) in norms.enumerate() {
        b[(n, j)] = T::from_real(norm);
        for i in n + 1..b.nrows() {
            b[(i, j)] = T::zero();
        }
    }
}

/// The 2-norm of a column-major block's single column.
fn norm2<T: Scalar>(x: faer::MatRef<'_, T>) -> T::Re {
    super::householder::norm2(crate::mat::col_slice(x, 0))
}

/// [`gelsd`] on a matrix and right-hand sides already in the safe range.
fn solve_in_range<T: SvdScalar>(
    par: Par<'_>,
    a: MatMut<'_, T>,
    mut b: MatMut<'_, T>,
    s: &mut [T::Re],
    rcond: T::Re,
) -> Result<usize, SvdFailure> {
    let (m, n) = (a.nrows(), a.ncols());
    if much_taller(m, n) {
        return solve_tall(par, a, b, s, rcond);
    }
    let (k, nrhs) = (m.min(n), b.ncols());
    let mut u = Mat::<T>::zeros(m, k);
    let mut vt = Mat::<T>::zeros(k, n);
    T::svd(par, SvdJob::Thin, a, s, Some(u.as_mut()), Some(vt.as_mut()))?;
    let rcnd = if rcond.is_positive() && rcond < T::Re::one() {
        rcond
    } else {
        // Reference: dlamch('E'), the unit roundoff.
        T::Re::EPS
    };
    let tol = rcnd * s[0];
    let rank = s.iter().take_while(|&&x| x > tol).count();
    // W = U_rᴴ·B on the first `rank` singular vectors (rank 0 gives X = 0), the residual
    // B − U_r·W, then Σ⁺ on W.
    let u = u.as_ref().subcols(0, rank);
    let mut w = Mat::<T>::zeros(rank, nrhs);
    gemm::gemm(
        par,
        T::one(),
        u.transpose(),
        true,
        b.rb().subrows(0, m),
        false,
        T::zero(),
        w.as_mut(),
    );
    let residual = (m > n).then(|| {
        let mut r = b.rb().subrows(0, m).to_owned();
        gemm::gemm(
            par,
            -T::one(),
            u,
            false,
            w.as_ref(),
            false,
            T::one(),
            r.as_mut(),
        );
        (0..nrhs)
            .map(|j| norm2(r.as_ref().col(j).as_mat()))
            .collect::<Vec<_>>()
    });
    for i in 0..rank {
        let inv = T::from_real(T::Re::one() / s[i]);
        for j in 0..nrhs {
            w[(i, j)] *= inv;
        }
    }
    // X = V_r·W.
    gemm::gemm(
        par,
        T::one(),
        vt.as_ref().subrows(0, rank).transpose(),
        true,
        w.as_ref(),
        false,
        T::zero(),
        b.rb_mut().subrows_mut(0, n),
    );
    if let Some(norms) = residual {
        write_residuals(b.rb_mut(), n, norms.into_iter());
    }
    Ok(rank)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::c64;

    /// The minimums Debian's reference liblapack accepts, found by calling its
    /// DGELSD/ZGELSD with every lwork from 1 up (m, n, nrhs → real, complex).
    #[test]
    fn minimum_workspace_matches_reference() {
        let cases = [
            ((10, 10, 1), 1306, 30),
            ((6, 4, 2), 932, 16),
            ((40, 10, 3), 1326, 50),
            ((10, 40, 2), 1316, 60),
            ((100, 100, 1), 8576, 300),
            ((0, 5, 3), 676, 1),
            ((3, 0, 1), 676, 1),
        ];
        for ((m, n, nrhs), real, complex) in cases {
            assert_eq!(min_work::<f64>(m, n, nrhs).lwork, real, "d {m}x{n} {nrhs}");
            assert_eq!(
                min_work::<c64>(m, n, nrhs).lwork,
                complex,
                "z {m}x{n} {nrhs}"
            );
        }
    }

    /// Much taller problems (the QR route), full rank and rank deficient, real and
    /// complex: the normal equations Aᴴ(B − A·X) = 0 hold, X is orthogonal to A's null
    /// space, and row n carries ‖B − A·X‖ with zeros below.
    #[test]
    fn much_taller_problems_through_qr() {
        fn check<T: SvdScalar>(m: usize, n: usize, dup: bool, f: impl Fn(usize) -> T) {
            let par = Par::seq(crate::arch::detected());
            let a0 = Mat::from_fn(m, n, |i, j| {
                let c = if dup && j == n - 1 { 0 } else { j };
                f(i * 31 + c * 7)
            });
            let b0 = Mat::from_fn(m, 2, |i, j| f(1000 + i * 3 + j));
            assert!(much_taller(m, n));
            let (mut a, mut b) = (a0.clone(), b0.clone());
            let mut s = vec![T::Re::zero(); n];
            let rank = gelsd(par, a.as_mut(), b.as_mut(), &mut s, T::Re::from_f64(1e-10)).unwrap();
            assert_eq!(rank, if dup { n - 1 } else { n }, "{m}x{n}");
            let tol = 1e-10;
            for j in 0..2 {
                let sum = |it: &mut dyn Iterator<Item = T>| it.fold(T::zero(), |a, x| a + x);
                let r: Vec<T> = (0..m)
                    .map(|i| b0[(i, j)] - sum(&mut (0..n).map(|k| a0[(i, k)] * b[(k, j)])))
                    .collect();
                for k in 0..n {
                    let g = sum(&mut (0..m).map(|i| a0[(i, k)].conjugate() * r[i]));
                    assert!(g.modulus().to_f64() < tol, "{m}x{n} normal equations {k}");
                }
                let rnorm = r
                    .iter()
                    .map(|v| v.modulus().to_f64().powi(2))
                    .sum::<f64>()
                    .sqrt();
                assert!((b[(n, j)].modulus().to_f64() - rnorm).abs() < tol);
                assert!((n + 1..m).all(|i| b[(i, j)] == T::zero()));
                if dup {
                    // Minimum norm: x orthogonal to the null vector e₀ − e_{n−1}.
                    assert!((b[(0, j)] - b[(n - 1, j)]).modulus().to_f64() < tol);
                }
            }
        }
        assert!(!much_taller(1, 1) && !much_taller(0, 0) && much_taller(3, 2));
        let re = |k: usize| ((k * 7919) % 23) as f64 / 11.0 - 1.0;
        for dup in [false, true] {
            check::<f64>(40, 10, dup, re);
            check::<f64>(12, 3, dup, re);
            check::<c64>(40, 10, dup, |k| c64::new(re(k), re(k + 5)));
        }
    }

    /// A rank-deficient tall problem: X is the minimum-norm solution (orthogonal to
    /// A's null space), and the residual rows carry ‖B − A·X‖.
    #[test]
    fn rank_deficient_minimum_norm_solution() {
        let par = Par::seq(crate::arch::detected());
        // Columns 0 and 2 equal: rank 2 of 3.
        let a0 = Mat::from_fn(5, 3, |i, j| {
            let c = if j == 2 { 0 } else { j };
            c64::new(((i * 3 + c * 5) % 7) as f64 - 3.0, (i + c) as f64 * 0.5)
        });
        let b0 = Mat::from_fn(5, 1, |i, _| c64::new(i as f64, 1.0));
        let mut a = a0.clone();
        let mut b = b0.clone();
        let mut s = vec![0.0; 3];
        let rank = gelsd(par, a.as_mut(), b.as_mut(), &mut s, -1.0).unwrap();
        assert_eq!(rank, 2);
        assert!(s[2] < 1e-14 * s[0]);
        let x: Vec<c64> = (0..3).map(|i| b[(i, 0)]).collect();
        // Minimum norm: x is orthogonal to the null vector (1, 0, −1).
        assert!((x[0] - x[2]).norm() < 1e-12, "{x:?}");
        // Normal equations Aᴴ(B − A·x) = 0, and the residual norm in row n.
        let r: Vec<c64> = (0..5)
            .map(|i| b0[(i, 0)] - (0..3).map(|j| a0[(i, j)] * x[j]).sum::<c64>())
            .collect();
        for j in 0..3 {
            let g: c64 = (0..5).map(|i| a0[(i, j)].conj() * r[i]).sum();
            assert!(g.norm() < 1e-12, "normal equations {j}: {g}");
        }
        let rnorm = r.iter().map(|v| v.norm_sqr()).sum::<f64>().sqrt();
        assert!((b[(3, 0)].re - rnorm).abs() < 1e-12 && b[(4, 0)] == c64::new(0.0, 0.0));
    }
}
