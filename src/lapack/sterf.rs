//! Eigenvalues of a symmetric tridiagonal matrix without vectors (reference DSTERF):
//! the Pal–Walker–Kahan root-free variant of implicit QL and QR, which works on the
//! squares of the off-diagonal and needs one square root per iteration instead of one
//! per rotation. Each unreduced block is iterated from its end with the smaller
//! diagonal entry (QL from the top, QR from the bottom), as reference does, so the
//! values agree with reference LAPACK's to its rounding.

use super::secular::NoConvergence;

/// Iterations allowed per eigenvalue, as reference.
const MAX_ITERATIONS: usize = 30;

/// The eigenvalues of the tridiagonal (`d`, `e`) into `d`, ascending; `e` is destroyed.
pub fn eigenvalues(d: &mut [f64], e: &mut [f64]) -> Result<(), NoConvergence> {
    let n = d.len();
    if n <= 1 {
        return Ok(());
    }
    debug_assert!(e.len() + 1 >= n);
    let eps = f64::EPSILON / 2.0;
    let eps2 = eps * eps;
    let safe_min = f64::MIN_POSITIVE;
    let big = (1.0 / safe_min).sqrt() / 3.0;
    let small = safe_min.sqrt() / eps2;
    let max_iterations = n * MAX_ITERATIONS;
    let mut iterations = 0;
    let mut l1 = 0;
    while l1 < n {
        if l1 > 0 {
            e[l1 - 1] = 0.0;
        }
        // The unreduced block l1..=m.
        let mut m = n - 1;
        for k in l1..n - 1 {
            if e[k].abs() <= d[k].abs().sqrt() * d[k + 1].abs().sqrt() * eps {
                e[k] = 0.0;
                m = k;
                break;
            }
        }
        let (first, last) = (l1, m);
        l1 = m + 1;
        if first == last {
            continue;
        }
        let anorm = max_norm(&d[first..=last], &e[first..last]);
        if anorm == 0.0 {
            continue;
        }
        // Scaled so that the squares neither overflow nor underflow.
        let target = if anorm > big {
            Some(big)
        } else if anorm < small {
            Some(small)
        } else {
            None
        };
        if let Some(t) = target {
            let f = t / anorm;
            d[first..=last].iter_mut().for_each(|x| *x *= f);
            e[first..last].iter_mut().for_each(|x| *x *= f);
        }
        e[first..last].iter_mut().for_each(|x| *x *= *x);
        let budget = max_iterations - iterations;
        let used = if d[last].abs() < d[first].abs() {
            qr(d, e, last, first, eps2, budget)
        } else {
            ql(d, e, first, last, eps2, budget)
        };
        iterations += used;
        if let Some(t) = target {
            let f = anorm / t;
            d[first..=last].iter_mut().for_each(|x| *x *= f);
        }
        if iterations >= max_iterations {
            return Err(NoConvergence);
        }
    }
    d.sort_unstable_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Ok(())
}

/// The largest magnitude in the block (NaN wins, as in reference DLANST).
fn max_norm(d: &[f64], e: &[f64]) -> f64 {
    let mut norm = 0.0f64;
    for &x in d.iter().chain(e) {
        let a = x.abs();
        if norm < a || a.is_nan() {
            norm = a;
        }
    }
    norm
}

/// The eigenvalues of [[a, b], [b, c]], larger magnitude first (reference DLAE2).
fn eigenvalues_2x2(a: f64, b: f64, c: f64) -> (f64, f64) {
    let sm = a + c;
    let adf = (a - c).abs();
    let ab = (b + b).abs();
    let (acmx, acmn) = if a.abs() > c.abs() { (a, c) } else { (c, a) };
    let rt = if adf > ab {
        adf * (1.0 + (ab / adf).powi(2)).sqrt()
    } else if adf < ab {
        ab * (1.0 + (adf / ab).powi(2)).sqrt()
    } else {
        ab * 2f64.sqrt()
    };
    if sm == 0.0 {
        return (0.5 * rt, -0.5 * rt);
    }
    let rt1 = if sm < 0.0 {
        0.5 * (sm - rt)
    } else {
        0.5 * (sm + rt)
    };
    // The smaller one from the determinant: its difference form would cancel.
    (rt1, (acmx / rt1) * acmn - (b / rt1) * b)
}

/// Wilkinson's shift from the 2×2 at the block's end: `p` its corner, `q` the next
/// diagonal entry, `rte` the off-diagonal.
fn shift(p: f64, q: f64, rte: f64) -> f64 {
    let sigma = (q - p) / (2.0 * rte);
    let r = sigma.hypot(1.0);
    p - rte / (sigma + r.copysign(sigma))
}

/// QL iterations on the block `l..=lend` (e holds squares), deflating from the top;
/// returns the iterations used (stopping at `budget`).
fn ql(d: &mut [f64], e: &mut [f64], mut l: usize, lend: usize, eps2: f64, budget: usize) -> usize {
    let mut used = 0;
    while l <= lend {
        let mut m = lend;
        for k in l..lend {
            if e[k].abs() <= eps2 * (d[k] * d[k + 1]).abs() {
                m = k;
                break;
            }
        }
        if m < lend {
            e[m] = 0.0;
        }
        if m == l {
            l += 1;
            continue;
        }
        if m == l + 1 {
            (d[l], d[l + 1]) = eigenvalues_2x2(d[l], e[l].sqrt(), d[l + 1]);
            e[l] = 0.0;
            l += 2;
            continue;
        }
        if used == budget {
            break;
        }
        used += 1;
        let sigma = shift(d[l], d[l + 1], e[l].sqrt());
        let (mut c, mut s) = (1.0, 0.0);
        let mut gamma = d[m] - sigma;
        let mut p = gamma * gamma;
        for i in (l..m).rev() {
            let bb = e[i];
            let r = p + bb;
            if i + 1 != m {
                e[i + 1] = s * r;
            }
            let oldc = c;
            c = p / r;
            s = bb / r;
            let oldgam = gamma;
            let alpha = d[i];
            gamma = c * (alpha - sigma) - s * oldgam;
            d[i + 1] = oldgam + (alpha - gamma);
            p = if c != 0.0 {
                gamma * gamma / c
            } else {
                oldc * bb
            };
        }
        e[l] = s * p;
        d[l] = sigma + gamma;
    }
    used
}

/// QR iterations on the block `lend..=l` (e holds squares), deflating from the bottom;
/// returns the iterations used (stopping at `budget`).
fn qr(d: &mut [f64], e: &mut [f64], mut l: usize, lend: usize, eps2: f64, budget: usize) -> usize {
    let mut used = 0;
    loop {
        let mut m = lend;
        for k in (lend + 1..=l).rev() {
            if e[k - 1].abs() <= eps2 * (d[k] * d[k - 1]).abs() {
                m = k;
                break;
            }
        }
        if m > lend {
            e[m - 1] = 0.0;
        }
        if m == l {
            if l == lend {
                break;
            }
            l -= 1;
            continue;
        }
        if m + 1 == l {
            (d[l], d[l - 1]) = eigenvalues_2x2(d[l], e[l - 1].sqrt(), d[l - 1]);
            e[l - 1] = 0.0;
            if l < lend + 2 {
                break;
            }
            l -= 2;
            continue;
        }
        if used == budget {
            break;
        }
        used += 1;
        let sigma = shift(d[l], d[l - 1], e[l - 1].sqrt());
        let (mut c, mut s) = (1.0, 0.0);
        let mut gamma = d[m] - sigma;
        let mut p = gamma * gamma;
        for i in m..l {
            let bb = e[i];
            let r = p + bb;
            if i != m {
                e[i - 1] = s * r;
            }
            let oldc = c;
            c = p / r;
            s = bb / r;
            let oldgam = gamma;
            let alpha = d[i + 1];
            gamma = c * (alpha - sigma) - s * oldgam;
            d[i] = oldgam + (alpha - gamma);
            p = if c != 0.0 {
                gamma * gamma / c
            } else {
                oldc * bb
            };
        }
        e[l - 1] = s * p;
        d[l] = sigma + gamma;
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data;

    /// Against the eigenvalues of the dense tridiagonal from faer's dense solver, on
    /// random, graded, split and constant tridiagonals.
    #[test]
    fn matches_a_dense_solver() {
        let mut cases: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
        for (n, seed) in [(1, 1), (2, 2), (3, 3), (10, 4), (57, 5), (300, 6)] {
            let d = test_data::values(n, seed);
            let e = test_data::values(n.saturating_sub(1), seed + 100);
            cases.push((d, e));
        }
        // Graded (QR from the bottom), with an exact split, and constant (1-2-1).
        let n = 60;
        cases.push((
            (0..n).map(|i| 10f64.powi(-(i as i32) / 6)).collect(),
            (0..n - 1)
                .map(|i| 10f64.powi(-(i as i32) / 6) * 0.3)
                .collect(),
        ));
        let mut split = test_data::values(n - 1, 9);
        split[20] = 0.0;
        cases.push((test_data::values(n, 8), split));
        cases.push((vec![2.0; n], vec![-1.0; n - 1]));
        for (d, e) in cases {
            let n = d.len();
            let t = faer::Mat::from_fn(n, n, |i, j| {
                if i == j {
                    d[i]
                } else if i == j + 1 {
                    e[j]
                } else if j == i + 1 {
                    e[i]
                } else {
                    0.0
                }
            });
            let mut want: Vec<f64> = t.self_adjoint_eigenvalues(faer::Side::Lower).unwrap();
            want.sort_by(f64::total_cmp);
            let (mut got, mut ee) = (d.clone(), e.clone());
            eigenvalues(&mut got, &mut ee).unwrap();
            let scale = want.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    (g - w).abs() <= 8.0 * n as f64 * f64::EPSILON * scale,
                    "n={n}: {g} vs {w}"
                );
            }
        }
    }

    /// Tiny and huge entries go through the scaling: the values scale with them.
    #[test]
    fn extreme_scales_scale_the_values() {
        let d = test_data::values(40, 21);
        let e = test_data::values(39, 22);
        let (mut base, mut eb) = (d.clone(), e.clone());
        eigenvalues(&mut base, &mut eb).unwrap();
        for f in [1e-300, 1e300] {
            let (mut x, mut ex): (Vec<f64>, Vec<f64>) = (
                d.iter().map(|v| v * f).collect(),
                e.iter().map(|v| v * f).collect(),
            );
            eigenvalues(&mut x, &mut ex).unwrap();
            for (a, b) in x.iter().zip(&base) {
                assert!((a / f - b).abs() <= 1e-13, "{f}: {a} vs {b}");
            }
        }
    }
}
