//! The secular equation of a deflated "broken arrow" matrix (reference DLASD4 and the
//! vector step of DLASD3), the heart of the divide-and-conquer bidiagonal SVD.
//!
//! The K×K matrix `M` has first row `z` and diagonal `d` (with `d₀ = 0` under `z₀`).
//! Its singular values are the roots σ of `f(σ) = 1 + Σ zᵢ² / (dᵢ² − σ²)`, one in each
//! gap `(dⱼ, dⱼ₊₁)` and the last in `(d_{K−1}, √(d_{K−1}² + ‖z‖²)]`. Each root is kept as
//! the pole it is nearest to plus an offset, so every `dᵢ − σⱼ` is known to full
//! relative accuracy: that is what makes the singular vectors orthogonal.

/// An iteration (the secular root finder, or the QR iteration kept for tests) did not
/// converge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoConvergence;

/// One root: σ = d[origin] + tau.
#[derive(Clone, Copy, Debug)]
pub struct Root {
    pub origin: usize,
    pub tau: f64,
}

impl Root {
    pub fn sigma(&self, d: &[f64]) -> f64 {
        d[self.origin] + self.tau
    }

    /// `dᵢ² − σ²`, as (dᵢ − σ)(dᵢ + σ) with the pole difference taken exactly.
    #[inline]
    pub fn gap_sq(&self, d: &[f64], i: usize) -> f64 {
        let o = d[self.origin];
        ((d[i] - o) - self.tau) * ((d[i] + o) + self.tau)
    }
}

/// Iterations allowed per root before bisection alone finishes it.
const MAX_MODEL_STEPS: usize = 40;

/// Roots `first..first + out.len()` of the K, ascending. `d` is ascending with
/// `d[0] = 0` and distinct entries; no `z` is zero (deflation has removed those).
pub fn roots(d: &[f64], z: &[f64], first: usize, out: &mut [Root]) -> Result<(), NoConvergence> {
    if d.len() == 1 {
        // σ² = d₀² + z₀², with σ − d₀ formed without cancellation.
        if let Some(r) = out.first_mut() {
            // d₀ ≥ 0, so d₀ + σ vanishes only with z₀ (then τ = 0); z₀² may underflow
            // where |z₀| does not, hence |z₀|·(|z₀| / (d₀ + σ)).
            let s = d[0].hypot(z[0]);
            let tau = if s == 0.0 {
                0.0
            } else {
                z[0].abs() * (z[0].abs() / (d[0] + s))
            };
            *r = Root { origin: 0, tau };
        }
        return Ok(());
    }
    let zz: f64 = z.iter().map(|v| v * v).sum();
    for (j, r) in (first..).zip(out.iter_mut()) {
        *r = root(d, z, zz, j)?;
    }
    Ok(())
}

/// Squared pole offsets from `d[o]`: δᵢ = dᵢ² − d_o², computed as a product of exact-ish
/// differences and sums.
fn poles(d: &[f64], o: usize, delta: &mut [f64]) {
    let x = d[o];
    for (dl, &di) in delta.iter_mut().zip(d) {
        *dl = (di - x) * (di + x);
    }
}

/// `f(t)` in the coordinates of origin `o` (t = σ² − d_o²), split at pole `split`:
/// returns (ψ, ψ', φ, φ') for poles ≤ split and > split.
#[inline]
fn parts(delta: &[f64], z: &[f64], t: f64, split: usize) -> (f64, f64, f64, f64) {
    let (mut psi, mut dpsi, mut phi, mut dphi) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..=split {
        let r = 1.0 / (delta[i] - t);
        let w = z[i] * z[i] * r;
        psi += w;
        dpsi += w * r;
    }
    for i in split + 1..delta.len() {
        let r = 1.0 / (delta[i] - t);
        let w = z[i] * z[i] * r;
        phi += w;
        dphi += w * r;
    }
    (psi, dpsi, phi, dphi)
}

fn root(d: &[f64], z: &[f64], zz: f64, j: usize) -> Result<Root, NoConvergence> {
    let k = d.len();
    let mut delta = vec![0.0; k];
    // Pick the origin (the nearer pole) and the bracket [lo, hi] in t = σ² − d_o².
    let (o, mut lo, mut hi, left, right) = if j + 1 < k {
        poles(d, j, &mut delta);
        let half = delta[j + 1] / 2.0;
        let (psi, _, phi, _) = parts(&delta, z, half, j);
        if 1.0 + psi + phi >= 0.0 {
            (j, 0.0, half, j, j + 1)
        } else {
            poles(d, j + 1, &mut delta);
            (j + 1, delta[j] / 2.0, 0.0, j, j + 1)
        }
    } else {
        poles(d, j, &mut delta);
        // Model the last root with its two nearest poles, both to its left.
        (j, 0.0, zz, j - 1, j)
    };
    let eps = f64::EPSILON;
    let mut t = 0.5 * (lo + hi);
    let mut steps = 0;
    loop {
        let (psi, dpsi, phi, dphi) = parts(&delta, z, t, left);
        let f = 1.0 + psi + phi;
        let bound = 8.0 * (phi.abs() + psi.abs()) + 2.0 + 3.0 * t.abs() * (dpsi + dphi);
        if f.abs() <= eps * bound {
            break;
        }
        if f < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        if hi - lo <= 2.0 * eps * lo.abs().max(hi.abs()) {
            break;
        }
        steps += 1;
        if steps > MAX_MODEL_STEPS + 1100 {
            return Err(NoConvergence);
        }
        let step = if steps <= MAX_MODEL_STEPS {
            model_step(&delta, t, f, dpsi, dphi, left, right)
        } else {
            None
        };
        let next = step
            .map(|eta| t + eta)
            .filter(|&x| x > lo && x < hi)
            .unwrap_or(0.5 * (lo + hi));
        if next == t {
            break;
        }
        t = next;
    }
    let x = d[o];
    // σ − d_o from σ² − d_o² without cancellation.
    let tau = t / (x + (x * x + t).max(0.0).sqrt());
    Ok(Root { origin: o, tau })
}

/// The step that zeroes the two-pole rational model of f fitted at t (the "middle way"
/// of reference DLAED4): c·η² − a·η + b = 0, the root inside the bracket.
fn model_step(
    delta: &[f64],
    t: f64,
    f: f64,
    dpsi: f64,
    dphi: f64,
    left: usize,
    right: usize,
) -> Option<f64> {
    let (dl, dr) = (delta[left] - t, delta[right] - t);
    let a = (dl + dr) * f - dl * dr * (dpsi + dphi);
    let b = dl * dr * f;
    let c = f - dl * dpsi - dr * dphi;
    let disc = (a * a - 4.0 * b * c).abs().sqrt();
    let q = 0.5 * (a + disc.copysign(a));
    let mut best: Option<f64> = None;
    for eta in [q / c, b / q] {
        if eta.is_finite() && best.is_none_or(|e| eta.abs() < e.abs()) && eta * f < 0.0 {
            best = Some(eta);
        }
    }
    // Newton as the fallback direction.
    best.or_else(|| {
        let eta = -f / (dpsi + dphi);
        eta.is_finite().then_some(eta)
    })
}

/// Gu–Eisenstat: the z for which the computed roots are exact (Löwner), with the signs
/// of the original z; entries `first..first + out.len()`. The vectors built from it are
/// orthogonal to working accuracy.
pub fn recomputed_z(d: &[f64], z: &[f64], roots: &[Root], first: usize, out: &mut [f64]) {
    let k = d.len();
    for (i, o) in (first..).zip(out.iter_mut()) {
        let mut w = roots[k - 1].gap_sq(d, i);
        for (j, r) in roots[..k - 1].iter().enumerate() {
            let pole = if j < i { j } else { j + 1 };
            w *= r.gap_sq(d, i) / ((d[i] - d[pole]) * (d[i] + d[pole]));
        }
        *o = w.abs().sqrt().copysign(z[i]);
    }
}

/// As [`vectors`] for the arrow without a pole at 0 (`[zᵀ; diag(d)]`, one row more than
/// columns): `u` has the z-row first and then one entry per pole (d.len() + 1), `v` one
/// per pole.
pub fn vectors_without_null(d: &[f64], zhat: &[f64], root: &Root, u: &mut [f64], v: &mut [f64]) {
    u[0] = -1.0;
    for i in 0..d.len() {
        v[i] = zhat[i] / root.gap_sq(d, i);
        u[1 + i] = d[i] * v[i];
    }
    for x in [&mut u[..d.len() + 1], &mut v[..d.len()]] {
        let norm = super::householder::norm2(x);
        for e in x.iter_mut() {
            *e /= norm;
        }
    }
}

/// Unit singular vectors of M for root j: left `u` (over M's rows: the z-row first,
/// then the rows of d₁…) and right `v` (over M's columns).
pub fn vectors(d: &[f64], zhat: &[f64], root: &Root, u: &mut [f64], v: &mut [f64]) {
    let k = d.len();
    if k == 1 {
        // M = [z₀]: σ = |z₀| (possibly 0, when the whole node is zero).
        u[0] = -1.0;
        v[0] = if zhat[0] < 0.0 { 1.0 } else { -1.0 };
        return;
    }
    for i in 0..k {
        v[i] = zhat[i] / root.gap_sq(d, i);
        u[i] = d[i] * v[i];
    }
    u[0] = -1.0;
    for x in [u, v] {
        let norm = super::householder::norm2(x);
        for e in x.iter_mut() {
            *e /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secular(d: &[f64], z: &[f64], s: f64) -> f64 {
        1.0 + d
            .iter()
            .zip(z)
            .map(|(di, zi)| zi * zi / ((di - s) * (di + s)))
            .sum::<f64>()
    }

    #[test]
    fn roots_interlace_and_zero_the_secular_function() {
        let d = [0.0, 0.1, 0.5, 0.50001, 2.0, 3.0];
        let z = [0.3, 1e-3, 0.7, 0.2, 1.5, 1e-6];
        let mut r = vec![
            Root {
                origin: 0,
                tau: 0.0
            };
            d.len()
        ];
        roots(&d, &z, 0, &mut r).unwrap();
        let zz: f64 = z.iter().map(|v| v * v).sum();
        for (j, root) in r.iter().enumerate() {
            let s = root.sigma(&d);
            assert!(s > d[j], "root {j} = {s} not above d[{j}]");
            let upper = if j + 1 < d.len() {
                d[j + 1]
            } else {
                (d[j] * d[j] + zz).sqrt()
            };
            assert!(
                s < upper || (j + 1 == d.len() && s <= upper),
                "root {j} = {s} >= {upper}"
            );
            // f changes sign across a few ulps of the root.
            let (a, b) = (s * (1.0 - 4e-15), s * (1.0 + 4e-15));
            assert!(
                secular(&d, &z, a) <= 0.0 || secular(&d, &z, b) >= 0.0,
                "root {j}"
            );
        }
    }

    #[test]
    fn vectors_are_orthonormal() {
        let d = [0.0, 1e-3, 0.2, 0.2000001, 0.9, 1.0];
        let z = [0.1, 0.4, 1e-4, 0.3, 0.05, 0.6];
        let k = d.len();
        let mut r = vec![
            Root {
                origin: 0,
                tau: 0.0
            };
            k
        ];
        roots(&d, &z, 0, &mut r).unwrap();
        let mut zhat = vec![0.0; k];
        recomputed_z(&d, &z, &r, 0, &mut zhat);
        let (mut us, mut vs) = (vec![vec![0.0; k]; k], vec![vec![0.0; k]; k]);
        for j in 0..k {
            vectors(&d, &zhat, &r[j], &mut us[j], &mut vs[j]);
        }
        for a in 0..k {
            for b in 0..k {
                let want = if a == b { 1.0 } else { 0.0 };
                let du: f64 = us[a].iter().zip(&us[b]).map(|(x, y)| x * y).sum();
                let dv: f64 = vs[a].iter().zip(&vs[b]).map(|(x, y)| x * y).sum();
                assert!(
                    (du - want).abs() < 1e-13 && (dv - want).abs() < 1e-13,
                    "{a},{b}: {du} {dv}"
                );
            }
        }
    }
}
