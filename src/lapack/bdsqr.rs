//! Singular values of an upper bidiagonal matrix to high relative accuracy: implicit QR
//! with Demmel–Kahan zero-shift sweeps and relative convergence tests (reference
//! DBDSQR), O(n²) work without vectors. Singular values alone use it up to
//! [`RELATIVE_ACCURACY_UP_TO`], where its high relative accuracy for tiny values costs
//! little (as reference DBDSDC does at every size); beyond, divide and conquer
//! ([`super::bdsdc`]) is many times faster. With vectors it solves divide and
//! conquer's leaves (as reference's DLASDQ does DBDSDC's), where merges cost more
//! than the sweeps. The tests also use it as bdsdc's reference.

use super::secular::NoConvergence;
use faer::MatMut;
use faer::reborrow::ReborrowMut;

/// Bidiagonals up to this order get their values from this QR iteration.
pub const RELATIVE_ACCURACY_UP_TO: usize = 256;

/// Where a sweep's plane rotations go: each acts on a pair of B's rows (`left`) or
/// columns (`right`), and the same rotation of that pair of U's or V's columns keeps
/// `A = U·B·Vᵀ`: `(x_p, x_q) := (c·x_p + s·x_q, −s·x_p + c·x_q)`.
trait Rotations {
    fn left(&mut self, p: usize, q: usize, c: f64, s: f64);
    fn right(&mut self, p: usize, q: usize, c: f64, s: f64);
    fn wants_vectors(&self) -> bool;
}

/// Values alone: the rotations go nowhere.
struct NoVectors;

impl Rotations for NoVectors {
    #[inline(always)]
    fn left(&mut self, _: usize, _: usize, _: f64, _: f64) {}
    #[inline(always)]
    fn right(&mut self, _: usize, _: usize, _: f64, _: f64) {}
    fn wants_vectors(&self) -> bool {
        false
    }
}

/// U's (when asked for) and V's columns.
struct Vectors<'a, 'b> {
    u: Option<MatMut<'a, f64>>,
    v: MatMut<'b, f64>,
}

/// Columns `(p, q) := (c·p + s·q, −s·p + c·q)`.
pub(super) fn rotate(mut x: MatMut<'_, f64>, p: usize, q: usize, c: f64, s: f64) {
    for r in 0..x.nrows() {
        let (a, b) = (x[(r, p)], x[(r, q)]);
        x[(r, p)] = c * a + s * b;
        x[(r, q)] = -s * a + c * b;
    }
}

impl Rotations for Vectors<'_, '_> {
    fn left(&mut self, p: usize, q: usize, c: f64, s: f64) {
        if let Some(u) = self.u.as_mut() {
            rotate(u.rb_mut(), p, q, c, s);
        }
    }
    fn right(&mut self, p: usize, q: usize, c: f64, s: f64) {
        rotate(self.v.rb_mut(), p, q, c, s);
    }
    fn wants_vectors(&self) -> bool {
        true
    }
}

/// `B = U·diag(d)·Vᵀ` for the upper bidiagonal (d, e): `u` (when asked for) and `v`
/// (n columns each) hold a basis on entry (the identity for B's own vectors) and are
/// multiplied by B's singular vectors; `d` nonincreasing on return, `e` destroyed.
pub fn svd(
    d: &mut [f64],
    e: &mut [f64],
    u: Option<MatMut<'_, f64>>,
    v: MatMut<'_, f64>,
) -> Result<(), NoConvergence> {
    let mut sink = Vectors { u, v };
    iterate(d, e, &mut sink)?;
    let n = d.len();
    for (i, di) in d.iter_mut().enumerate() {
        if *di < 0.0 {
            *di = -*di;
            sink.v.rb_mut().col_mut(i).iter_mut().for_each(|x| *x = -*x);
        }
    }
    // Selection sort, as reference: at most n − 1 swaps of vector pairs.
    for i in 0..n {
        let j = (i..n).fold(i, |b, k| if d[k] > d[b] { k } else { b });
        if j != i {
            d.swap(i, j);
            for x in sink.u.iter_mut().chain([&mut sink.v]) {
                faer::perm::swap_cols_idx(x.rb_mut(), i, j);
            }
        }
    }
    Ok(())
}

/// The plane rotation `[c s; −s c]·[f; g] = [r; 0]` (DLARTG): `c ≥ 0`, r has f's sign.
#[inline]
pub fn rotation(f: f64, g: f64) -> (f64, f64, f64) {
    if g == 0.0 {
        (1.0, 0.0, f)
    } else if f == 0.0 {
        (0.0, g.signum(), g.abs())
    } else {
        // hypot is a slow libm call; squares are safe in the middle of the range.
        let big = f.abs().max(g.abs());
        let d = if (1e-150..1e150).contains(&big) {
            (f * f + g * g).sqrt()
        } else {
            f.hypot(g)
        };
        let r = d.copysign(f);
        (f.abs() / d, g / r, r)
    }
}

/// Singular values (smaller, larger) of the 2×2 upper triangular `[f g; 0 h]` (DLAS2).
pub fn singular_values_2x2(f: f64, g: f64, h: f64) -> (f64, f64) {
    let (fa, ga, ha) = (f.abs(), g.abs(), h.abs());
    let (fhmn, fhmx) = (fa.min(ha), fa.max(ha));
    if fhmn == 0.0 {
        let big = fhmx.max(ga);
        let max = if fhmx == 0.0 {
            ga
        } else {
            big * (1.0 + (fhmx.min(ga) / big).powi(2)).sqrt()
        };
        return (0.0, max);
    }
    if ga < fhmx {
        let as_ = 1.0 + fhmn / fhmx;
        let at = (fhmx - fhmn) / fhmx;
        let au = (ga / fhmx).powi(2);
        let c = 2.0 / ((as_ * as_ + au).sqrt() + (at * at + au).sqrt());
        (fhmn * c, fhmx / c)
    } else {
        let au = fhmx / ga;
        if au == 0.0 {
            // Avoid underflow in the squares: the values are fhmn·fhmx/ga and ga.
            ((fhmn * fhmx) / ga, ga)
        } else {
            let as_ = 1.0 + fhmn / fhmx;
            let at = (fhmx - fhmn) / fhmx;
            let c = 1.0 / ((1.0 + (as_ * au).powi(2)).sqrt() + (1.0 + (at * au).powi(2)).sqrt());
            (2.0 * (fhmn * c) * au, ga / (c + c))
        }
    }
}

/// Overwrites `d` with the singular values of the upper bidiagonal (d, e), in
/// nonincreasing order; `e` is destroyed.
pub fn singular_values(d: &mut [f64], e: &mut [f64]) -> Result<(), NoConvergence> {
    iterate(d, e, &mut NoVectors)?;
    for x in d.iter_mut() {
        *x = x.abs();
    }
    d.sort_unstable_by(|a, b| b.total_cmp(a));
    Ok(())
}

/// The QR iteration until every off-diagonal is negligible: `d` holds the signed
/// values on return, every rotation gone to `rot`.
fn iterate<R: Rotations>(d: &mut [f64], e: &mut [f64], rot: &mut R) -> Result<(), NoConvergence> {
    let n = d.len();
    if n == 0 {
        return Ok(());
    }
    debug_assert_eq!(e.len() + 1, n);
    let eps = f64::EPSILON / 2.0;
    let unfl = f64::MIN_POSITIVE;
    let tol = 10f64.max(100f64.min(eps.powf(-0.125))) * eps;
    const MAXITR: usize = 6;

    // Threshold for negligible off-diagonals, relative to an estimate of the smallest
    // singular value.
    let mut smax;
    let mut sminoa = d[0].abs();
    if sminoa != 0.0 {
        let mut mu = sminoa;
        for i in 1..n {
            mu = d[i].abs() * (mu / (mu + e[i - 1].abs()));
            sminoa = sminoa.min(mu);
            if sminoa == 0.0 {
                break;
            }
        }
    }
    sminoa /= (n as f64).sqrt();
    let thresh = (tol * sminoa).max((MAXITR * n * n) as f64 * unfl);
    let maxit = MAXITR * n * n;
    let mut iter = 0usize;
    let (mut oldll, mut oldm): (isize, isize) = (-1, -1);
    let mut idir = 0;
    // m: bottom row of the block still being reduced.
    let mut m = n - 1;
    'outer: while m > 0 {
        if iter > maxit {
            return Err(NoConvergence);
        }
        // Find the unreduced block ll..=m.
        smax = d[m].abs();
        let mut ll = 0;
        for l in (0..m).rev() {
            let (abss, abse) = (d[l].abs(), e[l].abs());
            if abse <= thresh {
                e[l] = 0.0;
                ll = l + 1;
                break;
            }
            smax = smax.max(abss).max(abse);
        }
        if ll == m {
            // The bottom value has converged.
            m -= 1;
            continue;
        }
        if ll == m - 1 && !rot.wants_vectors() {
            // A 2×2 block: solve it directly (with vectors, the sweeps below take it:
            // its exact smaller value as the shift ends it in one or two).
            let (sigmn, sigmx) = singular_values_2x2(d[m - 1], e[m - 1], d[m]);
            d[m - 1] = sigmx;
            e[m - 1] = 0.0;
            d[m] = sigmn;
            if m < 2 {
                break;
            }
            m -= 2;
            continue;
        }
        // A new block: chase toward its smaller end.
        if ll as isize > oldm || (m as isize) < oldll {
            idir = if d[ll].abs() >= d[m].abs() { 1 } else { 2 };
        }
        // Convergence tests, and the smallest-value estimate for the shift decision.
        let mut sminl;
        if idir == 1 {
            if e[m - 1].abs() <= tol * d[m].abs() {
                e[m - 1] = 0.0;
                continue;
            }
            let mut mu = d[ll].abs();
            sminl = mu;
            for l in ll..m {
                if e[l].abs() <= tol * mu {
                    e[l] = 0.0;
                    continue 'outer;
                }
                mu = d[l + 1].abs() * (mu / (mu + e[l].abs()));
                sminl = sminl.min(mu);
            }
        } else {
            if e[ll].abs() <= tol * d[ll].abs() {
                e[ll] = 0.0;
                continue;
            }
            let mut mu = d[m].abs();
            sminl = mu;
            for l in (ll..m).rev() {
                if e[l].abs() <= tol * mu {
                    e[l] = 0.0;
                    continue 'outer;
                }
                mu = d[l].abs() * (mu / (mu + e[l].abs()));
                sminl = sminl.min(mu);
            }
        }
        oldll = ll as isize;
        oldm = m as isize;

        // Shift: zero when it would be swamped by the smallest value's uncertainty.
        let mut shift = 0.0;
        if (n as f64) * tol * (sminl / smax) > eps.max(0.01 * tol) {
            let (sll, (s, _)) = if idir == 1 {
                (d[ll].abs(), singular_values_2x2(d[m - 1], e[m - 1], d[m]))
            } else {
                (d[m].abs(), singular_values_2x2(d[ll], e[ll], d[ll + 1]))
            };
            shift = s;
            if sll > 0.0 && (shift / sll).powi(2) < eps {
                shift = 0.0;
            }
        }
        iter += m - ll;

        if shift == 0.0 {
            // Demmel–Kahan zero-shift sweep: keeps tiny values to full relative accuracy.
            if idir == 1 {
                let (mut cs, mut oldcs, mut oldsn) = (1.0, 1.0, 0.0);
                for i in ll..m {
                    let (c, sn, r) = rotation(d[i] * cs, e[i]);
                    rot.right(i, i + 1, c, sn);
                    cs = c;
                    if i > ll {
                        e[i - 1] = oldsn * r;
                    }
                    let (oc, os, dr) = rotation(oldcs * r, d[i + 1] * sn);
                    rot.left(i, i + 1, oc, os);
                    (oldcs, oldsn, d[i]) = (oc, os, dr);
                }
                let h = d[m] * cs;
                d[m] = h * oldcs;
                e[m - 1] = h * oldsn;
                if e[m - 1].abs() <= thresh {
                    e[m - 1] = 0.0;
                }
            } else {
                let (mut cs, mut oldcs, mut oldsn) = (1.0, 1.0, 0.0);
                for i in (ll + 1..=m).rev() {
                    let (c, sn, r) = rotation(d[i] * cs, e[i - 1]);
                    rot.left(i, i - 1, c, sn);
                    cs = c;
                    if i < m {
                        e[i] = oldsn * r;
                    }
                    let (oc, os, dr) = rotation(oldcs * r, d[i - 1] * sn);
                    rot.right(i, i - 1, oc, os);
                    (oldcs, oldsn, d[i]) = (oc, os, dr);
                }
                let h = d[ll] * cs;
                d[ll] = h * oldcs;
                e[ll] = h * oldsn;
                if e[ll].abs() <= thresh {
                    e[ll] = 0.0;
                }
            }
        } else if idir == 1 {
            // Shifted implicit QR sweep, top to bottom.
            let mut f = (d[ll].abs() - shift) * (1f64.copysign(d[ll]) + shift / d[ll]);
            let mut g = e[ll];
            for i in ll..m {
                let (cosr, sinr, r) = rotation(f, g);
                rot.right(i, i + 1, cosr, sinr);
                if i > ll {
                    e[i - 1] = r;
                }
                f = cosr * d[i] + sinr * e[i];
                e[i] = cosr * e[i] - sinr * d[i];
                g = sinr * d[i + 1];
                d[i + 1] *= cosr;
                let (cosl, sinl, r) = rotation(f, g);
                rot.left(i, i + 1, cosl, sinl);
                d[i] = r;
                f = cosl * e[i] + sinl * d[i + 1];
                d[i + 1] = cosl * d[i + 1] - sinl * e[i];
                if i < m - 1 {
                    g = sinl * e[i + 1];
                    e[i + 1] *= cosl;
                }
            }
            e[m - 1] = f;
            if e[m - 1].abs() <= thresh {
                e[m - 1] = 0.0;
            }
        } else {
            // Shifted implicit QR sweep, bottom to top.
            let mut f = (d[m].abs() - shift) * (1f64.copysign(d[m]) + shift / d[m]);
            let mut g = e[m - 1];
            for i in (ll + 1..=m).rev() {
                let (cosr, sinr, r) = rotation(f, g);
                rot.left(i, i - 1, cosr, sinr);
                if i < m {
                    e[i] = r;
                }
                f = cosr * d[i] + sinr * e[i - 1];
                e[i - 1] = cosr * e[i - 1] - sinr * d[i];
                g = sinr * d[i - 1];
                d[i - 1] *= cosr;
                let (cosl, sinl, r) = rotation(f, g);
                rot.right(i, i - 1, cosl, sinl);
                d[i] = r;
                f = cosl * e[i - 1] + sinl * d[i - 1];
                d[i - 1] = cosl * d[i - 1] - sinl * e[i - 1];
                if i > ll + 1 {
                    g = sinl * e[i - 2];
                    e[i - 2] *= cosl;
                }
            }
            e[ll] = f;
            if e[ll].abs() <= thresh {
                e[ll] = 0.0;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Singular values of a small bidiagonal by one-sided (Hestenes) Jacobi on B's
    /// columns: slow and independent, and accurate in the relative sense for such
    /// matrices.
    fn by_jacobi(d: &[f64], e: &[f64]) -> Vec<f64> {
        let n = d.len();
        let mut a = vec![0.0; n * n];
        for k in 0..n {
            a[k + k * n] = d[k];
            if k + 1 < n {
                a[k + (k + 1) * n] = e[k];
            }
        }
        for _ in 0..60 {
            for p in 0..n {
                for q in p + 1..n {
                    let (mut alpha, mut beta, mut gamma) = (0.0, 0.0, 0.0);
                    for k in 0..n {
                        let (x, y) = (a[k + p * n], a[k + q * n]);
                        alpha += x * x;
                        beta += y * y;
                        gamma += x * y;
                    }
                    if gamma.abs() <= 1e-300 || gamma.abs() <= f64::EPSILON * (alpha * beta).sqrt()
                    {
                        continue;
                    }
                    let zeta = (beta - alpha) / (2.0 * gamma);
                    let t = zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt());
                    let t = if zeta == 0.0 { 1.0 } else { t };
                    let c = 1.0 / (1.0 + t * t).sqrt();
                    let s = c * t;
                    for k in 0..n {
                        let (x, y) = (a[k + p * n], a[k + q * n]);
                        a[k + p * n] = c * x - s * y;
                        a[k + q * n] = s * x + c * y;
                    }
                }
            }
        }
        let mut s: Vec<f64> = (0..n)
            .map(|j| (0..n).map(|k| a[k + j * n].powi(2)).sum::<f64>().sqrt())
            .collect();
        s.sort_by(|a, b| b.total_cmp(a));
        s
    }

    #[test]
    fn matches_an_independent_method() {
        let cases: Vec<(Vec<f64>, Vec<f64>)> = vec![
            (vec![3.0], vec![]),
            (vec![1.0, 2.0], vec![0.5]),
            (vec![4.0, -3.0, 2.0, 1.0, 0.5], vec![1.0, 1.0, -1.0, 1.0]),
            (
                vec![1.0, 1e-3, 1e-6, 1.0, 2.0, 3.0],
                vec![0.1, 0.2, 0.3, 0.0, 1e-9],
            ),
            (
                (0..12).map(|i| 1.0 + i as f64).collect(),
                (0..11).map(|i| 0.5 * (i % 3) as f64).collect(),
            ),
            (vec![0.0, 1.0, 2.0], vec![1.0, 1.0]),
        ];
        for (d0, e0) in cases {
            let (mut d, mut e) = (d0.clone(), e0.clone());
            singular_values(&mut d, &mut e).unwrap();
            let want = by_jacobi(&d0, &e0);
            for (x, y) in d.iter().zip(&want) {
                assert!(
                    (x - y).abs() <= 1e-12 * y.max(1e-300),
                    "{d0:?}/{e0:?}: {d:?} vs {want:?}"
                );
            }
        }
    }

    /// With vectors: U·diag(d)·Vᵀ gives B back, U and V are orthogonal, and the values
    /// are the values-only iteration's, on the cases above, random bidiagonals and
    /// ones with zeros and 2×2 blocks.
    #[test]
    fn vectors_reconstruct_b() {
        let mut cases: Vec<(Vec<f64>, Vec<f64>)> = vec![
            (vec![3.0], vec![]),
            (vec![-3.0], vec![]),
            (vec![1.0, 2.0], vec![0.5]),
            (vec![0.0, 2.0], vec![1.0]),
            (
                vec![1.0, 1e-3, 1e-6, 1.0, 2.0, 3.0],
                vec![0.1, 0.2, 0.3, 0.0, 1e-9],
            ),
            (vec![0.0, 1.0, 2.0], vec![1.0, 1.0]),
            (vec![1.0, 0.0, 1.0], vec![1.0, 1.0]),
            (vec![2.0; 6], vec![0.0, 1.0, 0.0, 1.0, 0.0]),
        ];
        for n in [2usize, 5, 13, 25] {
            let x = crate::test_data::values(2 * n - 1, 7 + n as u64);
            cases.push((x[..n].to_vec(), x[n..].to_vec()));
        }
        for (d0, e0) in cases {
            let n = d0.len();
            let (mut d, mut e) = (d0.clone(), e0.clone());
            let mut u = faer::Mat::<f64>::identity(n, n);
            let mut v = faer::Mat::<f64>::identity(n, n);
            svd(&mut d, &mut e, Some(u.as_mut()), v.as_mut()).unwrap();
            let (mut dv, mut ev) = (d0.clone(), e0.clone());
            singular_values(&mut dv, &mut ev).unwrap();
            let norm = d0.iter().chain(&e0).fold(0.0f64, |m, x| m.max(x.abs()));
            let tol = 16.0 * n as f64 * f64::EPSILON * norm;
            for i in 0..n {
                assert!(d[i] >= 0.0 && (i == 0 || d[i] <= d[i - 1]), "{d:?}");
                assert!(
                    (d[i] - dv[i]).abs() <= tol,
                    "{d0:?}/{e0:?}: {d:?} vs {dv:?}"
                );
            }
            let orth_tol = 16.0 * n as f64 * f64::EPSILON;
            crate::test_data::assert_bidiagonal_svd(
                &d0,
                &e0,
                &d,
                u.as_ref(),
                v.as_ref(),
                tol,
                orth_tol,
            );
        }
    }

    #[test]
    fn graded_values_keep_relative_accuracy() {
        // diag(1, 1e-5, 1e-10, …) with tiny couplings: each value to ~1e-14 relative.
        let d: Vec<f64> = (0..8).map(|i| 10f64.powi(-5 * i)).collect();
        let e: Vec<f64> = (0..7).map(|i| 1e-3 * 10f64.powi(-5 * i - 5)).collect();
        let (mut s, mut f) = (d.clone(), e.clone());
        singular_values(&mut s, &mut f).unwrap();
        for (x, y) in s.iter().zip(&d) {
            assert!((x - y).abs() <= 1e-5 * y, "{s:?}");
        }
    }
}
