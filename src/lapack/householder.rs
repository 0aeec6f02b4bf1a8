//! Householder reflectors `H = I − τ·v·vᴴ` (v₀ = 1): generation (?LARFG), unblocked
//! QR of a panel (?GEQR2), the compact-WY triangle `T` (?LARFT) and blocked application
//! on our gemm (?LARFB), so the bulk of every factorization built on them runs at
//! matrix-multiply speed. Written once for the four types; for complex types τ is
//! complex and β real, as reference LAPACK's.

use crate::blas::Par;
use crate::blas::gemm;
use crate::blas::level1::{axpy_slices, dot_slices};
use crate::scalar::{Real, Scalar};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut, MatRef};

/// ‖x‖₂ without overflow or underflow in the squares: the plain sum of squares (eight
/// partial sums, one pass) when it is safely inside the range, else rescaled by the
/// largest magnitude of a real or imaginary part.
pub fn norm2<T: Scalar>(x: &[T]) -> T::Re {
    let ssq = dot_slices(true, x, x).re();
    // Above this, squares lost to underflow (each below MIN_POSITIVE) are under ε² of
    // the sum even all together; below MAX / 2 none overflowed. NaN fails both and
    // takes the careful path.
    let (min, eps) = (T::Re::SAFE_MIN, T::Re::EPS + T::Re::EPS);
    if ssq >= min / (eps * eps) && ssq < T::Re::MAX_HALF {
        return ssq.sqrt_value();
    }
    let mut max = T::Re::zero();
    for v in x {
        for part in [v.re().magnitude(), v.im().magnitude()] {
            // NaN wins, as in f64::max's absence: any NaN part makes the norm NaN.
            if part > max || part.is_nan_value() {
                max = part;
            }
        }
    }
    if max.is_zero() || !(max.to_f64().is_finite()) {
        return max;
    }
    // Divided, not multiplied by 1/max: a subnormal max has no finite reciprocal.
    let mut sum = T::Re::zero();
    for v in x {
        let (re, im) = (v.re() / max, v.im() / max);
        sum += re * re;
        if T::COMPLEX {
            sum += im * im;
        }
    }
    max * sum.sqrt_value()
}

/// Generates the reflector with `Hᴴ·x = β·e₀`, β real (?LARFG): on return `x[0] = β`,
/// `x[1..]` holds v's tail (v₀ = 1 implied), and τ is returned (0 when `x` is already
/// a real multiple of e₀: H = I).
pub fn reflector<T: Scalar>(x: &mut [T]) -> T {
    reflector_with_multiplier(x).0
}

/// [`reflector`], also returning the multiplier that took x's tail to v's, when it
/// was one product (`None` when β was so tiny that x had to be rescaled first): a
/// caller that holds a product with x's tail then has the product with v's.
pub fn reflector_with_multiplier<T: Scalar>(x: &mut [T]) -> (T, Option<T>) {
    let Some((alpha, tail)) = x.split_first_mut() else {
        return (T::zero(), Some(T::one()));
    };
    let mut xnorm = norm2(tail);
    if xnorm.is_zero() && alpha.im().is_zero() {
        return (T::zero(), Some(T::one()));
    }
    let safe_min = T::Re::SAFE_MIN / (T::Re::EPS + T::Re::EPS);
    let beta_of = |alpha: T, xnorm: T::Re| {
        let re = alpha.re();
        let norm = re.magnitude().hypot(alpha.im().magnitude()).hypot(xnorm);
        // β = −sign(re α)·norm with Fortran's SIGN, which honours −0.
        if re.to_f64().is_sign_negative() {
            norm
        } else {
            -norm
        }
    };
    let mut beta = beta_of(*alpha, xnorm);
    // β may be tiny: rescale until it is representable with full precision.
    let mut rescaled = 0;
    let s = T::from_real(T::Re::one() / safe_min);
    while beta.magnitude() < safe_min && rescaled < 20 {
        tail.iter_mut().for_each(|v| *v *= s);
        *alpha *= s;
        rescaled += 1;
        xnorm = norm2(tail);
        beta = beta_of(*alpha, xnorm);
    }
    let tau = T::from_parts((beta - alpha.re()) / beta, -alpha.im() / beta);
    let scale = T::one().divide(*alpha - T::from_real(beta));
    tail.iter_mut().for_each(|v| *v *= scale);
    for _ in 0..rescaled {
        beta *= safe_min;
    }
    *alpha = T::from_real(beta);
    (tau, (rescaled == 0).then_some(scale))
}

/// `C := H·C = C − τ·v·(vᴴ·C)` for the reflector (v, τ), v₀ = 1 implied by `v[0]`
/// being ignored; C's rows match v. (Hᴴ is the reflector (v, conj τ).)
pub fn apply_left<T: Scalar>(v: &[T], tau: T, mut c: MatMut<'_, T>) {
    if tau.is_zero() {
        return;
    }
    for j in 0..c.ncols() {
        let col = column(c.rb_mut(), j);
        let s = col[0] + dot_slices(true, &v[1..], &col[1..]);
        let ts = tau * s;
        col[0] -= ts;
        axpy_slices(-ts, &v[1..], &mut col[1..]);
    }
}

/// A column of a column-major view as a slice.
pub fn column<'a, T>(c: MatMut<'a, T>, j: usize) -> &'a mut [T] {
    let rows = c.nrows();
    debug_assert!(c.row_stride() == 1 || rows <= 1);
    // SAFETY: column j holds `rows` contiguous elements (unit row stride).
    unsafe { std::slice::from_raw_parts_mut(c.ptr_at_mut(0, j), rows) }
}

/// QR of a column-major panel: R in the upper triangle, the reflectors' tails below
/// the diagonal, τ in `tau` (one per column, up to min(m, n)). Recursive on the columns
/// (Elmroth–Gustavson): the left half's reflectors reach the right half as one block
/// reflector on gemm, so a tall panel is not a long run of matrix·vector products.
pub fn panel_qr<T: Scalar>(par: Par<'_>, mut p: MatMut<'_, T>, tau: &mut [T]) {
    let (m, n) = (p.nrows(), p.ncols());
    if n <= RECURSIVE_PANEL_LEAF || m <= n {
        return panel_qr_unblocked(p, tau);
    }
    let n1 = n / 2;
    let (mut left, mut right) = p.rb_mut().split_at_col_mut(n1);
    let (tau1, tau2) = tau.split_at_mut(n1);
    panel_qr(par, left.rb_mut(), tau1);
    PanelReflector::of(par, left.rb(), tau1).apply_adjoint(par, right.rb_mut());
    panel_qr(par, right.subrows_mut(n1, m - n1), tau2);
}

/// Panels this narrow are factored one column at a time.
const RECURSIVE_PANEL_LEAF: usize = 8;

/// Unblocked QR of a column-major panel (?GEQR2): each reflector's Hᴴ is applied to
/// the columns on its right.
fn panel_qr_unblocked<T: Scalar>(mut p: MatMut<'_, T>, tau: &mut [T]) {
    let (m, n) = (p.nrows(), p.ncols());
    for (t, tau_t) in tau.iter_mut().enumerate().take(m.min(n)) {
        let (left, right) = p.rb_mut().split_at_col_mut(t + 1);
        let col = &mut column(left, t)[t..];
        *tau_t = reflector(col);
        apply_left(col, tau_t.conjugate(), right.subrows_mut(t, m - t));
    }
}

/// The reflectors of a factored panel as a dense matrix V (unit lower trapezoidal)
/// and the upper triangle T with `H₀·H₁···H_{k−1} = I − V·T·Vᴴ` (?LARFT, forward,
/// columnwise).
pub fn block_reflector<T: Scalar>(par: Par<'_>, p: MatRef<'_, T>, tau: &[T]) -> (Mat<T>, Mat<T>) {
    let (m, k) = (p.nrows(), tau.len());
    let mut v = Mat::<T>::zeros(m, k);
    for j in 0..k.min(m) {
        v[(j, j)] = T::one();
        v.as_mut()
            .col_mut(j)
            .subrows_mut(j + 1, m - j - 1)
            .copy_from(p.col(j).subrows(j + 1, m - j - 1));
    }
    let t = triangular_factor(par, [v.as_ref(), v.as_ref().subrows(m, 0)], tau);
    (v, t)
}

/// A factored panel's block reflector `I − V·T·Vᴴ` whose V is read where the panel
/// holds it: the unit lower triangle of its top k×k block, copied (the panel keeps R
/// there), and the rows below, in place. For QR's panels, where copying V whole
/// costs a fresh m×k allocation per panel, and under allocators tuned to return memory
/// at once (Dask's workers set `MALLOC_TRIM_THRESHOLD_`) a page fault per page of it.
pub struct PanelReflector<'a, T> {
    top: Mat<T>,
    below: MatRef<'a, T>,
    t: Mat<T>,
}

impl<'a, T: Scalar> PanelReflector<'a, T> {
    /// The block reflector of the panel `p` (m×k, m ≥ k) that `panel_qr` factored.
    pub fn of(par: Par<'_>, p: MatRef<'a, T>, tau: &[T]) -> PanelReflector<'a, T> {
        let k = tau.len();
        debug_assert!(p.nrows() >= k && p.ncols() >= k);
        let top = Mat::from_fn(k, k, |i, j| match i.cmp(&j) {
            std::cmp::Ordering::Less => T::zero(),
            std::cmp::Ordering::Equal => T::one(),
            std::cmp::Ordering::Greater => p[(i, j)],
        });
        let below = p.subcols(0, k).subrows(k, p.nrows() - k);
        let t = triangular_factor(par, [top.as_ref(), below], tau);
        PanelReflector { top, below, t }
    }

    /// `C := Hᴴ·C` (what QR applies to the trailing columns); C's rows match the panel's.
    pub fn apply_adjoint(&self, par: Par<'_>, c: MatMut<'_, T>) {
        apply_block(
            par,
            [self.top.as_ref(), self.below],
            self.t.as_ref().transpose(),
            true,
            c,
        );
    }
}

/// T of `I − V·T·Vᴴ` from τ and V = [v_top; v_below] (stacked by rows): T(0:j, j) =
/// −τⱼ·T(0:j, 0:j)·V(:, 0:j)ᴴ·v_j, with every product vᵢᴴvⱼ formed at once on gemm
/// (serial: the result is only k×k).
fn triangular_factor<T: Scalar>(par: Par<'_>, v: [MatRef<'_, T>; 2], tau: &[T]) -> Mat<T> {
    let k = tau.len();
    let mut g = Mat::<T>::zeros(k, k);
    for (part, beta) in v.into_iter().zip([T::zero(), T::one()]) {
        gemm::gemm(
            Par::seq(par.arch),
            T::one(),
            part.transpose(),
            true,
            part,
            false,
            beta,
            g.as_mut(),
        );
    }
    let mut t = Mat::<T>::zeros(k, k);
    for j in 0..k {
        t[(j, j)] = tau[j];
        if tau[j].is_zero() {
            continue;
        }
        for r in 0..j {
            let mut s = T::zero();
            for c in r..j {
                s += t[(r, c)] * g[(c, j)];
            }
            t[(r, j)] = -tau[j] * s;
        }
    }
    t
}

/// `C := Hᴴ·C = (I − V·Tᴴ·Vᴴ)·C` (the adjoint of the block reflector from the left:
/// what QR applies to the trailing columns).
pub fn apply_block_left_adjoint<T: Scalar>(
    par: Par<'_>,
    v: MatRef<'_, T>,
    t: MatRef<'_, T>,
    c: MatMut<'_, T>,
) {
    apply_block(par, dense(v), t.transpose(), true, c);
}

/// `C := H·C = (I − V·T·Vᴴ)·C` (the block reflector from the left: what forming Q
/// from a QR factorization applies).
pub fn apply_block_left<T: Scalar>(
    par: Par<'_>,
    v: MatRef<'_, T>,
    t: MatRef<'_, T>,
    c: MatMut<'_, T>,
) {
    apply_block(par, dense(v), t, false, c);
}

/// A dense V as the two row blocks [`apply_block`] takes.
fn dense<T>(v: MatRef<'_, T>) -> [MatRef<'_, T>; 2] {
    let top = v.nrows().min(v.ncols());
    let (a, b) = v.split_at_row(top);
    [a, b]
}

/// `C −= V·(op(T)·(Vᴴ·C))`, op(T) = `t` (conjugated if `conj_t`), V = [v_top; v_below]
/// stacked by rows (C's rows split the same way). Vᴴ·C is formed as its transpose
/// Cᵀ·conj(V): with V's few columns as the product's columns, not its rows, the
/// microkernel's tall tile is fully used.
fn apply_block<T: Scalar>(
    par: Par<'_>,
    v: [MatRef<'_, T>; 2],
    t: MatRef<'_, T>,
    conj_t: bool,
    c: MatMut<'_, T>,
) {
    let k = v[0].ncols();
    let (c_top, c_below) = c.split_at_row_mut(v[0].nrows());
    let mut c = [c_top, c_below];
    let mut wt = Mat::<T>::zeros(c[0].ncols(), k);
    for (part, beta) in (0..2).zip([T::zero(), T::one()]) {
        gemm::gemm(
            par,
            T::one(),
            c[part].rb().transpose(),
            false,
            v[part],
            true,
            beta,
            wt.as_mut(),
        );
    }
    let mut tw = Mat::<T>::zeros(k, c[0].ncols());
    gemm::gemm(
        par,
        T::one(),
        t,
        conj_t,
        wt.as_ref().transpose(),
        false,
        T::zero(),
        tw.as_mut(),
    );
    for part in 0..2 {
        gemm::gemm(
            par,
            -T::one(),
            v[part],
            false,
            tw.as_ref(),
            false,
            T::one(),
            c[part].rb_mut(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq() -> Par<'static> {
        Par::seq(crate::arch::detected())
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

    /// The multiplier takes x's tail to v's exactly (the fused bidiagonalization step
    /// relies on it), and is withheld when β forced a rescaling.
    #[test]
    fn the_multiplier_takes_the_tail_to_v() {
        for x0 in [
            vec![3.0f64, 4.0, -1.5, 0.25],
            vec![-1.0, 2.0, 2.0],
            vec![1e-200, 3e-200, 4e-200],
            vec![2.0, 0.0, 0.0],
            vec![0.0, 0.0, 7.0],
        ] {
            let mut x = x0.clone();
            let (tau, multiplier) = reflector_with_multiplier(&mut x);
            let mut plain = x0.clone();
            assert_eq!(tau.to_bits(), reflector(&mut plain).to_bits());
            assert_eq!(x, plain, "{x0:?}");
            let s = multiplier.expect("no rescaling for these");
            for (v, t) in x[1..].iter().zip(&x0[1..]) {
                assert_eq!(v.to_bits(), (t * s).to_bits(), "{x0:?}");
            }
        }
        // β below the safe minimum: x is rescaled first, so there is no one multiplier.
        let mut tiny = vec![1e-300f64, 2e-300, 0.0];
        let (tau, multiplier) = reflector_with_multiplier(&mut tiny);
        assert!(tau != 0.0 && multiplier.is_none());
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
        apply_block_left_adjoint(seq(), v.as_ref(), t.as_ref(), c2.as_mut());
        // The same reflector read in place from the panel.
        let mut c3 = c0.clone();
        PanelReflector::of(seq(), p.as_ref(), &tau).apply_adjoint(seq(), c3.as_mut());
        for i in 0..m {
            for j in 0..n {
                assert!((c1[(i, j)] - c2[(i, j)]).abs() < 1e-12, "({i},{j})");
                assert!(
                    (c1[(i, j)] - c3[(i, j)]).abs() < 1e-12,
                    "in place ({i},{j})"
                );
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
