//! Reduction to upper bidiagonal form for singular values, in two stages:
//!
//! 1. dense → upper band of width [`BAND`] by blocked QR and LQ steps, whose updates
//!    are all matrix products (our parallel gemm does nearly all the flops);
//! 2. band → bidiagonal by chasing bulges with short reflectors in compact band storage
//!    (O(n²·b) work that stays in cache).
//!
//! One-stage reduction (reference DGEBRD) spends half its flops in matrix·vector
//! products that stream the whole trailing matrix from memory once per column; this
//! order does not. Only the singular values are kept, so no reflector is stored.

use super::householder::{
    apply_block_left_transposed, apply_block_right, axpy, block_reflector, dot, panel_qr, reflector,
};
use crate::blas::Par;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

/// Band width of the first stage: wide enough for the products to run near peak,
/// narrow enough for the bulge chase to stay cheap.
pub const BAND: usize = 32;

/// Upper bidiagonal `d` (n), `e` (n − 1) with the singular values of the m×n matrix
/// `a` (m ≥ n > 0), which is destroyed.
pub fn bidiagonal(par: Par<'_>, mut a: MatMut<'_, f64>, d: &mut [f64], e: &mut [f64]) {
    let (m, n) = (a.nrows(), a.ncols());
    debug_assert!(m >= n && n > 0 && d.len() == n && e.len() + 1 == n);
    if m >= n * 11 / 6 && n > BAND {
        // Much taller than wide: R of A = QR has A's singular values, and the band
        // reduction then works on n rows instead of m.
        triangularize(par, a.rb_mut());
        a = a.subrows_mut(0, n);
    }
    to_band(par, a.rb_mut(), BAND);
    let mut band = Band::from_upper(a.rb(), BAND);
    band.chase();
    for i in 0..n {
        d[i] = band.get(i, i);
        if i + 1 < n {
            e[i] = band.get(i, i + 1);
        }
    }
}

/// Blocked QR of `a` (m ≥ n): R overwrites the upper triangle; everything below is
/// zeroed (the reflectors are not needed).
fn triangularize(par: Par<'_>, mut a: MatMut<'_, f64>) {
    let (m, n) = (a.nrows(), a.ncols());
    for j in (0..n).step_by(BAND) {
        let jb = BAND.min(n - j);
        left_step(
            par,
            a.rb_mut().subrows_mut(j, m - j).subcols_mut(j, n - j),
            jb,
        );
    }
}

/// One left step: QR of the first `jb` columns of `a`, the reflectors applied to the
/// rest, R written back with zeros below it.
fn left_step(par: Par<'_>, mut a: MatMut<'_, f64>, jb: usize) {
    let (m, n) = (a.nrows(), a.ncols());
    let mut panel = a.rb().subcols(0, jb).to_owned();
    let mut tau = vec![0.0; jb.min(m)];
    panel_qr(panel.as_mut(), &mut tau);

    if jb < n {
        let (v, t) = block_reflector(panel.as_ref(), &tau);
        apply_block_left_transposed(
            par,
            v.as_ref(),
            t.as_ref(),
            a.rb_mut().subcols_mut(jb, n - jb),
        );
    }
    for j in 0..jb {
        for i in 0..m {
            a[(i, j)] = if i <= j { panel[(i, j)] } else { 0.0 };
        }
    }
}

/// Stage 1: `a` (m ≥ n) becomes upper band — row r nonzero only in columns r..=r+b of
/// its top n×n block — by alternating QR steps on `b` columns and LQ steps on `b` rows.
fn to_band(par: Par<'_>, mut a: MatMut<'_, f64>, b: usize) {
    let (m, n) = (a.nrows(), a.ncols());
    for j in (0..n).step_by(b) {
        let jb = b.min(n - j);
        left_step(
            par,
            a.rb_mut().subrows_mut(j, m - j).subcols_mut(j, n - j),
            jb,
        );
        let nc = n - j - jb;
        if nc == 0 {
            continue;
        }
        // LQ of rows j..j+jb right of the panel: QR of their transpose.
        let mut panel = Mat::from_fn(nc, jb, |r, c| a[(j + c, j + jb + r)]);
        let mut tau = vec![0.0; jb.min(nc)];
        panel_qr(panel.as_mut(), &mut tau);

        if j + jb < m {
            let (v, t) = block_reflector(panel.as_ref(), &tau);
            let trailing = a
                .rb_mut()
                .subrows_mut(j + jb, m - j - jb)
                .subcols_mut(j + jb, nc);
            apply_block_right(par, v.as_ref(), t.as_ref(), trailing);
        }
        for c in 0..jb {
            for r in 0..nc {
                a[(j + c, j + jb + r)] = if r <= c { panel[(r, c)] } else { 0.0 };
            }
        }
    }
}

/// An n×n matrix that is upper band of width b plus the fill the chase creates (at most
/// 2b − 1 above and b − 1 below the diagonal), stored by columns: element (r, c) at
/// `data[c·ld + r + 2b − c]`, so each column's rows are contiguous.
#[derive(Clone)]
struct Band {
    n: usize,
    b: usize,
    ld: usize,
    data: Vec<f64>,
}

impl Band {
    /// The band of an upper band matrix (its top n×n block).
    fn from_upper(a: faer::MatRef<'_, f64>, b: usize) -> Band {
        let n = a.ncols();
        let ld = 3 * b;
        let mut band = Band {
            n,
            b,
            ld,
            data: vec![0.0; ld * n],
        };
        for c in 0..n {
            for r in c.saturating_sub(b)..=c {
                *band.at(r, c) = a[(r, c)];
            }
        }
        band
    }

    #[inline]
    fn index(&self, r: usize, c: usize) -> usize {
        debug_assert!(
            r + 2 * self.b >= c && r < c + self.b,
            "({r}, {c}) outside the band"
        );
        c * self.ld + r + 2 * self.b - c
    }

    fn get(&self, r: usize, c: usize) -> f64 {
        self.data[self.index(r, c)]
    }

    fn at(&mut self, r: usize, c: usize) -> &mut f64 {
        let i = self.index(r, c);
        &mut self.data[i]
    }

    /// Rows `rows` of column c, contiguous.
    fn column(&mut self, c: usize, rows: std::ops::Range<usize>) -> &mut [f64] {
        let start = self.index(rows.start, c);
        &mut self.data[start..start + rows.len()]
    }

    /// Stage 2: sweep i makes row i bidiagonal with a reflector on columns i+1..i+b,
    /// then chases the bulge it creates down the band: a left reflector clears the
    /// bulge's first column, which pushes fill past the band in that block's first
    /// row; a right reflector clears that row, and so on. What each step leaves behind
    /// is cleared by the next sweep (Lang's / Haidar's bulge chasing).
    fn chase(&mut self) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.chase_avx2() };
        }
        self.chase_portable()
    }

    /// The same code with 256-bit vectors: no FMA contraction, and the reductions keep
    /// their fixed order, so the result is bitwise the portable one.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn chase_avx2(&mut self) {
        self.chase_portable()
    }

    #[inline(always)]
    fn chase_portable(&mut self) {
        let (n, b) = (self.n, self.b);
        let mut x = vec![0.0; b];
        let mut w = vec![0.0; 2 * b];
        for i in 0..n.saturating_sub(1) {
            let (mut r, mut c) = (i, i + 1);
            while c < n {
                // Right reflector: row r, columns c..ce, applied to rows r+1..ce.
                let ce = (c + b).min(n);
                if ce - c >= 2 {
                    let len = ce - c;
                    for (t, xt) in x[..len].iter_mut().enumerate() {
                        *xt = self.get(r, c + t);
                    }
                    let tau = reflector(&mut x[..len]);
                    *self.at(r, c) = x[0];
                    for t in 1..len {
                        *self.at(r, c + t) = 0.0;
                    }
                    if tau != 0.0 {
                        x[0] = 1.0;
                        let v = &x[..len];
                        let rows = r + 1..ce;
                        // w = A(rows, c..ce)·v, then A(rows, c..ce) −= τ·w·vᵀ.
                        let w = &mut w[..rows.len()];
                        w.fill(0.0);
                        for (t, &vt) in v.iter().enumerate() {
                            axpy(vt, self.column(c + t, rows.clone()), w);
                        }
                        for (t, &vt) in v.iter().enumerate() {
                            axpy(-tau * vt, w, self.column(c + t, rows.clone()));
                        }
                    }
                }
                // Left reflector: column c, rows c..re, applied to columns c+1..c+2b.
                let re = (c + b).min(n);
                if re - c >= 2 {
                    let len = re - c;
                    let col = self.column(c, c..re);
                    let tau = reflector(col);
                    x[..len].copy_from_slice(col);
                    col[1..].fill(0.0);
                    if tau != 0.0 {
                        x[0] = 1.0;
                        for j in c + 1..(c + 2 * b).min(n) {
                            let y = self.column(j, c..re);
                            axpy(-tau * dot(&x[..len], y), &x[..len], y);
                        }
                    }
                }
                r = c;
                c += b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::gemm::kernels;

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn vector_width_does_not_change_the_chase() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let n = 150;
        let a = Mat::from_fn(n, n, |i, j| {
            if j >= i && j <= i + BAND {
                ((i * 13 + j * 7) % 17) as f64 - 8.5
            } else {
                0.0
            }
        });
        let mut portable = Band::from_upper(a.as_ref(), BAND);
        let mut wide = portable.clone();
        portable.chase_portable();
        // SAFETY: AVX2 was detected above.
        unsafe { wide.chase_avx2() };
        assert!(
            portable
                .data
                .iter()
                .zip(&wide.data)
                .all(|(x, y)| x.to_bits() == y.to_bits())
        );
    }

    /// Singular values through the Gram matrix's characteristic polynomial are out of
    /// reach; the bidiagonal must instead preserve the Frobenius norm and the product
    /// of the singular values (|det| for square matrices), which every orthogonal
    /// transformation keeps.
    #[test]
    fn two_stage_reduction_keeps_norm_and_determinant() {
        let par = Par::seq(kernels::select(None));
        for &(m, n) in &[(5, 5), (40, 40), (70, 70), (101, 37), (300, 40)] {
            let a = Mat::from_fn(m, n, |i, j| {
                (((i * 37 + j * 11) % 23) as f64 - 11.0) / 7.0 + if i == j { 2.0 } else { 0.0 }
            });
            let frob: f64 = (0..n)
                .map(|j| (0..m).map(|i| a[(i, j)].powi(2)).sum::<f64>())
                .sum();
            let mut d = vec![0.0; n];
            let mut e = vec![0.0; n - 1];
            let mut work = a.clone();
            bidiagonal(par, work.as_mut(), &mut d, &mut e);
            let got: f64 = d.iter().chain(&e).map(|x| x * x).sum();
            assert!(
                (got - frob).abs() <= 1e-12 * frob,
                "{m}x{n}: ‖B‖² {got} vs ‖A‖² {frob}"
            );
            if m == n {
                let lu = a.as_ref().partial_piv_lu();
                let det: f64 = (0..n).map(|i| lu.U()[(i, i)].abs().ln()).sum();
                let got: f64 = d.iter().map(|x| x.abs().ln()).sum();
                assert!(
                    (got - det).abs() <= 1e-9 * n as f64,
                    "{m}x{n}: log|det| {got} vs {det}"
                );
            }
        }
    }
}
