//! Householder reflectors `H = I − τ·v·vᵀ` (v₀ = 1): generation (DLARFG), unblocked
//! QR of a panel (DGEQR2), the compact-WY triangle `T` (DLARFT) and blocked application
//! on our gemm (DLARFB), so the bulk of every factorization built on them runs at
//! matrix-multiply speed.

use crate::blas::Par;
use crate::blas::gemm::gemm;
use crate::blas::level1::{axpy_slices, dot_slices};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut, MatRef};

/// ‖x‖₂ without overflow or underflow in the squares: the plain sum of squares (eight
/// partial sums, one pass) when it is safely inside the range, else rescaled by the
/// largest magnitude.
pub fn norm2(x: &[f64]) -> f64 {
    let ssq = dot_slices(false, x, x);
    // Above this, squares lost to underflow (each below f64::MIN_POSITIVE) are under
    // ε² of the sum even all together; below f64::MAX / 2 none overflowed. NaN fails
    // both and takes the careful path.
    if (f64::MIN_POSITIVE / (f64::EPSILON * f64::EPSILON)..f64::MAX / 2.0).contains(&ssq) {
        return ssq.sqrt();
    }
    let max = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() {
        return max;
    }
    // Divided, not multiplied by 1/max: a subnormal max has no finite reciprocal.
    max * x.iter().map(|v| (v / max) * (v / max)).sum::<f64>().sqrt()
}

/// Generates the reflector that maps `x` onto `β·e₀` (DLARFG): on return `x[0] = β`,
/// `x[1..]` holds v's tail (v₀ = 1 implied), and τ is returned (0 when `x[1..]` is
/// already zero: H = I).
pub fn reflector(x: &mut [f64]) -> f64 {
    let Some((alpha, tail)) = x.split_first_mut() else {
        return 0.0;
    };
    let mut xnorm = norm2(tail);
    if xnorm == 0.0 {
        return 0.0;
    }
    let safe_min = f64::MIN_POSITIVE / f64::EPSILON;
    let mut beta = -alpha.signum() * alpha.hypot(xnorm);
    // β may be tiny: rescale until it is representable with full precision.
    let mut rescaled = 0;
    while beta.abs() < safe_min && rescaled < 20 {
        let s = 1.0 / safe_min;
        tail.iter_mut().for_each(|v| *v *= s);
        *alpha *= s;
        rescaled += 1;
        xnorm = norm2(tail);
        beta = -alpha.signum() * alpha.hypot(xnorm);
    }
    let tau = (beta - *alpha) / beta;
    let scale = 1.0 / (*alpha - beta);
    tail.iter_mut().for_each(|v| *v *= scale);
    for _ in 0..rescaled {
        beta *= safe_min;
    }
    *alpha = beta;
    tau
}

/// `C := H·C` for the reflector (v, τ), v₀ = 1 implied by `v[0]` being ignored; C's
/// rows match v.
pub fn apply_left(v: &[f64], tau: f64, mut c: MatMut<'_, f64>) {
    if tau == 0.0 {
        return;
    }
    for j in 0..c.ncols() {
        let col = column(c.rb_mut(), j);
        let s = col[0] + dot_slices(false, &v[1..], &col[1..]);
        let ts = tau * s;
        col[0] -= ts;
        axpy_slices(-ts, &v[1..], &mut col[1..]);
    }
}

/// A column of a column-major view as a slice.
pub fn column<'a>(c: MatMut<'a, f64>, j: usize) -> &'a mut [f64] {
    let rows = c.nrows();
    debug_assert!(c.row_stride() == 1 || rows <= 1);
    // SAFETY: column j holds `rows` contiguous elements (unit row stride).
    unsafe { std::slice::from_raw_parts_mut(c.ptr_at_mut(0, j), rows) }
}

/// QR of a column-major panel: R in the upper triangle, the reflectors' tails below
/// the diagonal, τ in `tau` (one per column, up to min(m, n)). Recursive on the columns
/// (Elmroth–Gustavson): the left half's reflectors reach the right half as one block
/// reflector on gemm, so a tall panel is not a long run of matrix·vector products.
pub fn panel_qr(par: Par<'_>, mut p: MatMut<'_, f64>, tau: &mut [f64]) {
    let (m, n) = (p.nrows(), p.ncols());
    if n <= RECURSIVE_PANEL_LEAF || m <= n {
        return panel_qr_unblocked(p, tau);
    }
    let n1 = n / 2;
    let (mut left, mut right) = p.rb_mut().split_at_col_mut(n1);
    let (tau1, tau2) = tau.split_at_mut(n1);
    panel_qr(par, left.rb_mut(), tau1);
    let (v, t) = block_reflector(par, left.rb(), tau1);
    apply_block_left_transposed(par, v.as_ref(), t.as_ref(), right.rb_mut());
    panel_qr(par, right.subrows_mut(n1, m - n1), tau2);
}

/// Panels this narrow are factored one column at a time.
const RECURSIVE_PANEL_LEAF: usize = 8;

/// Unblocked QR of a column-major panel (DGEQR2).
fn panel_qr_unblocked(mut p: MatMut<'_, f64>, tau: &mut [f64]) {
    let (m, n) = (p.nrows(), p.ncols());
    for (t, tau_t) in tau.iter_mut().enumerate().take(m.min(n)) {
        let (left, right) = p.rb_mut().split_at_col_mut(t + 1);
        let col = &mut column(left, t)[t..];
        *tau_t = reflector(col);
        apply_left(col, *tau_t, right.subrows_mut(t, m - t));
    }
}

/// The reflectors of a factored panel as a dense matrix V (unit lower trapezoidal)
/// and the upper triangle T with `H₀·H₁···H_{k−1} = I − V·T·Vᵀ` (DLARFT, forward,
/// columnwise).
pub fn block_reflector(par: Par<'_>, p: MatRef<'_, f64>, tau: &[f64]) -> (Mat<f64>, Mat<f64>) {
    let (m, k) = (p.nrows(), tau.len());
    let mut v = Mat::<f64>::zeros(m, k);
    for j in 0..k.min(m) {
        v[(j, j)] = 1.0;
        v.as_mut()
            .col_mut(j)
            .subrows_mut(j + 1, m - j - 1)
            .copy_from(p.col(j).subrows(j + 1, m - j - 1));
    }
    // Every product vᵢᵀvⱼ at once, on gemm (serial: the result is only k×k).
    let mut g = Mat::<f64>::zeros(k, k);
    gemm(
        Par::seq(par.isa),
        1.0,
        v.as_ref().transpose(),
        v.as_ref(),
        0.0,
        g.as_mut(),
    );
    let mut t = Mat::<f64>::zeros(k, k);
    for j in 0..k {
        t[(j, j)] = tau[j];
        if tau[j] == 0.0 {
            continue;
        }
        // t(0:j, j) = −τⱼ · T(0:j, 0:j) · V(:, 0:j)ᵀ · v_j
        for r in 0..j {
            let s: f64 = (r..j).map(|c| t[(r, c)] * g[(c, j)]).sum();
            t[(r, j)] = -tau[j] * s;
        }
    }
    (v, t)
}

/// `C := Hᵀ·C = (I − V·Tᵀ·Vᵀ)·C` (the transpose of the block reflector from the left:
/// what QR applies to the trailing columns).
pub fn apply_block_left_transposed(
    par: Par<'_>,
    v: MatRef<'_, f64>,
    t: MatRef<'_, f64>,
    c: MatMut<'_, f64>,
) {
    apply_block(par, v, t.transpose(), c);
}

/// `C := H·C = (I − V·T·Vᵀ)·C` (the block reflector from the left: what forming Q
/// from a QR factorization applies).
pub fn apply_block_left(par: Par<'_>, v: MatRef<'_, f64>, t: MatRef<'_, f64>, c: MatMut<'_, f64>) {
    apply_block(par, v, t, c);
}

/// `C −= V·(T·(Vᵀ·C))`. Vᵀ·C is formed as its transpose Cᵀ·V: with V's few columns as
/// the product's columns, not its rows, the microkernel's tall tile is fully used.
fn apply_block(par: Par<'_>, v: MatRef<'_, f64>, t: MatRef<'_, f64>, mut c: MatMut<'_, f64>) {
    let k = v.ncols();
    let mut wt = Mat::<f64>::zeros(c.ncols(), k);
    gemm(par, 1.0, c.rb().transpose(), v, 0.0, wt.as_mut());
    let mut tw = Mat::<f64>::zeros(k, c.ncols());
    gemm(par, 1.0, t, wt.as_ref().transpose(), 0.0, tw.as_mut());
    gemm(par, -1.0, v, tw.as_ref(), 1.0, c.rb_mut());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::gemm::kernels;

    fn seq() -> Par<'static> {
        Par::seq(kernels::select(None))
    }

    #[test]
    fn reflector_maps_onto_e0_and_is_orthogonal() {
        for x0 in [
            vec![3.0, 4.0],
            vec![-1.0, 2.0, 2.0],
            vec![1e-200, 3e-200, 4e-200],
            vec![2.0, 0.0, 0.0],
        ] {
            let mut x = x0.clone();
            let tau = reflector(&mut x);
            let mut v = x.clone();
            v[0] = 1.0;
            // H·x0 should be (β, 0, …).
            let s: f64 = v.iter().zip(&x0).map(|(a, b)| a * b).sum();
            let hx: Vec<f64> = x0
                .iter()
                .zip(&v)
                .map(|(xi, vi)| xi - tau * s * vi)
                .collect();
            let scale = norm2(&x0);
            assert!(
                (hx[0] - x[0]).abs() <= 1e-14 * scale,
                "{x0:?}: {hx:?} vs β {}",
                x[0]
            );
            assert!(
                hx[1..].iter().all(|h| h.abs() <= 1e-14 * scale),
                "{x0:?}: {hx:?}"
            );
            assert!((x[0].abs() - scale).abs() <= 1e-14 * scale);
        }
    }

    #[test]
    fn blocked_application_equals_one_reflector_at_a_time() {
        let (m, k, n) = (13, 4, 6);
        let mut p = Mat::from_fn(m, k, |i, j| {
            ((i * 7 + j * 3) % 11) as f64 - 5.0 + (i == j) as u8 as f64
        });
        let mut tau = vec![0.0; k];
        panel_qr(seq(), p.as_mut(), &mut tau);
        let c0 = Mat::from_fn(m, n, |i, j| ((i * 5 + j * 2) % 7) as f64 - 3.0);
        // One at a time: C := H_{k-1}···H_0 · C = Qᵀ·C.
        let mut c1 = c0.clone();
        for j in 0..k {
            let v: Vec<f64> = (j..m)
                .map(|i| if i == j { 1.0 } else { p[(i, j)] })
                .collect();
            apply_left(&v, tau[j], c1.as_mut().subrows_mut(j, m - j));
        }
        let (v, t) = block_reflector(seq(), p.as_ref(), &tau);
        let mut c2 = c0.clone();
        apply_block_left_transposed(seq(), v.as_ref(), t.as_ref(), c2.as_mut());
        for i in 0..m {
            for j in 0..n {
                assert!((c1[(i, j)] - c2[(i, j)]).abs() < 1e-12, "({i},{j})");
            }
        }
        // Not transposed: H·C = H_0···H_{k−1}·C, the last reflector first.
        let mut d1 = c0.clone();
        apply_block_left(seq(), v.as_ref(), t.as_ref(), d1.as_mut());
        let mut d2 = c0.clone();
        for j in (0..k).rev() {
            let v: Vec<f64> = (j..m)
                .map(|i| if i == j { 1.0 } else { p[(i, j)] })
                .collect();
            apply_left(&v, tau[j], d2.as_mut().subrows_mut(j, m - j));
        }
        for i in 0..m {
            for j in 0..n {
                assert!((d1[(i, j)] - d2[(i, j)]).abs() < 1e-12, "H·C ({i},{j})");
            }
        }
    }

    /// Exact answers across the range: the one-pass sum where it is safe, the rescaled
    /// one where squares would overflow or underflow.
    #[test]
    fn norm2_across_the_range() {
        let close = |x: f64, want: f64| (x - want).abs() <= 4.0 * f64::EPSILON * want;
        for scale in [1.0, 1e-160, 1e-300, 1e160, 1e300, 1e-320] {
            // (3, 4) → 5 and a 100-vector of equal values → 10·value.
            let got = norm2(&[3.0 * scale, 4.0 * scale]);
            assert!(close(got, 5.0 * scale), "{scale}: {got}");
            let got = norm2(&vec![scale; 100]);
            assert!(close(got, 10.0 * scale), "{scale}: {got}");
        }
        // Tiny entries beside a normal one do not count; a huge one does not overflow.
        assert_eq!(norm2(&[1.0, 1e-200, 1e-200]), 1.0);
        assert!(close(
            norm2(&[f64::MAX / 2.0, f64::MAX / 2.0]),
            f64::MAX / 2.0 * 2f64.sqrt()
        ));
        assert!(norm2(&[1.0, f64::NAN]).is_nan());
        assert_eq!(norm2(&[0.0, -0.0]), 0.0);
        assert_eq!(norm2(&[1.0, f64::INFINITY]), f64::INFINITY);
    }
}
