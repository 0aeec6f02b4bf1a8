//! Reduction of a symmetric matrix to tridiagonal form `A = Q·T·Qᵀ` in two stages,
//! the symmetric counterpart of [`super::bidiag`]:
//!
//! 1. dense → band of width [`BAND`] by blocked QR steps on the columns below the band,
//!    each applied to both sides of the trailing matrix by matrix products (our
//!    parallel gemm does nearly all the flops);
//! 2. band → tridiagonal by [`SymBand`]'s bulge chase (O(n²·b) work in cache,
//!    pipelined over the team).
//!
//! One-stage reduction (reference DSYTRD) spends half its flops in symmetric
//! matrix·vector products that stream the trailing matrix from memory once per column;
//! this order does not. For eigenvectors the reduction logs Q ([`Factors`]): stage 2's
//! short reflectors and stage 1's block reflectors, applied to the tridiagonal's
//! vectors afterwards. Every step splits its output across the team, never a sum, so
//! the result is the same for every thread count.

use super::band::{BAND, Reflectors};
use super::bidiag::{BlockReflector, apply_blocks};
use super::householder::{block_reflector, panel_qr};
use super::sym_band::SymBand;
use crate::blas::Par;
use crate::blas::gemm::gemm;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

/// Q of `A = Q·T·Qᵀ`: the product of stage 1's block reflectors then stage 2's
/// reflectors, in the order generated.
pub struct Factors {
    blocks: Vec<BlockReflector>,
    chase: Reflectors,
}

impl Factors {
    /// `x := Q·x` (x has n rows): the tridiagonal's eigenvectors become A's.
    pub fn apply_q(&self, par: Par<'_>, mut x: MatMut<'_, f64>) {
        self.chase.apply(par, x.rb_mut());
        apply_blocks(par, &self.blocks, x);
    }
}

/// The tridiagonal `d` (n), `e` (n − 1) of the symmetric matrix whose lower triangle
/// `a` (n×n) holds (the strict upper triangle is overwritten, not read), which is
/// destroyed; Q's factors when `keep`.
pub fn tridiagonal(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
    keep: bool,
) -> Option<Factors> {
    let n = a.nrows();
    debug_assert!(a.ncols() == n && d.len() == n && e.len() + 1 == n.max(1));
    // Stage 1's products read both triangles.
    for j in 0..n {
        for i in j + 1..n {
            a[(j, i)] = a[(i, j)];
        }
    }
    let mut factors = keep.then(|| Factors {
        blocks: Vec::new(),
        chase: Reflectors::new(n),
    });
    to_band(
        par,
        a.rb_mut(),
        BAND,
        factors.as_mut().map(|f| &mut f.blocks),
    );
    let mut band = SymBand::from_lower(a.rb(), BAND);
    band.chase(par, factors.as_mut().map(|f| &mut f.chase));
    band.tridiagonal(d, e);
    factors
}

/// Stage 1: `a` (both triangles) becomes symmetric band of width `b`. Step k takes the
/// QR of the b columns k.. below the band, `I − V·T·Vᵀ`, writes R in their place, and
/// updates the trailing matrix C to `QᵀCQ = C − Y·Vᵀ − V·Yᵀ` with `W = C·V·T`,
/// `Y = W − ½·V·(Tᵀ·Vᵀ·W)`: two products with m² rows and columns.
fn to_band(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    b: usize,
    mut log: Option<&mut Vec<BlockReflector>>,
) {
    let n = a.nrows();
    let mut k = 0;
    // Below a panel of one row there is nothing to clear.
    while k + b + 2 <= n {
        let m = n - k - b;
        let mut panel = a.rb().submatrix(k + b, k, m, b).to_owned();
        let mut tau = vec![0.0; b.min(m)];
        panel_qr(par, panel.as_mut(), &mut tau);
        let (v, t) = block_reflector(par, panel.as_ref(), &tau);
        for c in 0..b {
            for i in 0..m {
                let x = if i <= c { panel[(i, c)] } else { 0.0 };
                a[(k + b + i, k + c)] = x;
                a[(k + c, k + b + i)] = x;
            }
        }
        let r = v.ncols();
        let mut c = a.rb_mut().submatrix_mut(k + b, k + b, m, m);
        // [Y V] and [V Y] side by side, so the update is one product.
        let mut yv = Mat::<f64>::zeros(m, 2 * r);
        let mut vy = Mat::<f64>::zeros(m, 2 * r);
        let mut cv = Mat::<f64>::zeros(m, r);
        gemm(par, 1.0, c.rb(), false, v.as_ref(), false, 0.0, cv.as_mut());
        let (mut y, mut v_left) = yv.as_mut().split_at_col_mut(r);
        gemm(
            par,
            1.0,
            cv.as_ref(),
            false,
            t.as_ref(),
            false,
            0.0,
            y.rb_mut(),
        );
        let mut vtw = Mat::<f64>::zeros(r, r);
        gemm(
            par,
            1.0,
            v.transpose(),
            false,
            y.rb(),
            false,
            0.0,
            vtw.as_mut(),
        );
        let mut half = Mat::<f64>::zeros(r, r);
        gemm(
            par,
            1.0,
            t.transpose(),
            false,
            vtw.as_ref(),
            false,
            0.0,
            half.as_mut(),
        );
        gemm(
            par,
            -0.5,
            v.as_ref(),
            false,
            half.as_ref(),
            false,
            1.0,
            y.rb_mut(),
        );
        v_left.copy_from(v.as_ref());
        let (mut v_right, mut y_right) = vy.as_mut().split_at_col_mut(r);
        v_right.copy_from(v.as_ref());
        y_right.copy_from(y.rb());
        gemm(
            par,
            -1.0,
            yv.as_ref(),
            false,
            vy.transpose(),
            false,
            1.0,
            c.rb_mut(),
        );
        if let Some(log) = log.as_deref_mut() {
            log.push(BlockReflector::new(k + b, v, t));
        }
        k += b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::symmetric;

    fn seq() -> Par<'static> {
        Par::seq(crate::arch::detected())
    }

    /// ‖Q·T·Qᵀ − A‖ / ‖A‖ and ‖QᵀQ − I‖, Q formed by applying the factors to I.
    fn residuals(a: &Mat<f64>, d: &[f64], e: &[f64], f: &Factors) -> (f64, f64) {
        let n = a.nrows();
        let mut q = Mat::<f64>::identity(n, n);
        f.apply_q(seq(), q.as_mut());
        let t = Mat::from_fn(n, n, |i, j| {
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
        let back = &q * &t * q.transpose();
        let norm = a.norm_max();
        let rec = (&back - a).norm_max() / norm;
        let orth = (q.transpose() * &q - Mat::<f64>::identity(n, n)).norm_max();
        (rec, orth)
    }

    #[test]
    fn q_t_qt_reconstructs_a() {
        for (n, seed) in [
            (1, 1),
            (2, 2),
            (3, 3),
            (33, 4),
            (34, 5),
            (65, 6),
            (97, 7),
            (200, 8),
        ] {
            let a = symmetric(n, seed);
            let mut work = a.clone();
            let (mut d, mut e) = (vec![0.0; n], vec![0.0; n.saturating_sub(1)]);
            let f = tridiagonal(seq(), work.as_mut(), &mut d, &mut e, true).unwrap();
            let (rec, orth) = residuals(&a, &d, &e, &f);
            let tol = 1e-14 * n as f64;
            assert!(rec < tol && orth < tol, "n={n}: {rec:e} {orth:e}");
        }
    }

    /// The pipelined chase and the products on teams of 2 and 3: the serial bits.
    #[test]
    fn same_bits_for_every_team() {
        let n = 520;
        let a = symmetric(n, 11);
        let run = |par: Par<'_>| {
            let mut work = a.clone();
            let (mut d, mut e) = (vec![0.0; n], vec![0.0; n - 1]);
            let f = tridiagonal(par, work.as_mut(), &mut d, &mut e, true).unwrap();
            let mut q = Mat::<f64>::identity(n, n);
            f.apply_q(par, q.as_mut());
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            let q: Vec<f64> = (0..n)
                .flat_map(|j| (0..n).map(move |i| (i, j)))
                .map(|(i, j)| q[(i, j)])
                .collect();
            (bits(&d), bits(&e), bits(&q))
        };
        let serial = run(seq());
        for threads in [2, 3] {
            assert!(
                run(crate::abi::par().with_threads(threads)) == serial,
                "{threads} threads changed the bits"
            );
        }
    }
}
