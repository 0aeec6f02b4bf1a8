//! Vector-vector BLAS (level 1) for every element type: `axpy`, `dot` (plain and
//! conjugated), `copy`, `swap`, `scal`, `nrm2`, `asum`, `iamax`, and the mixed-precision
//! dots. Serial: they move each element once and are bound by memory. (The rotations
//! are in [`rotation`](super::rotation).)

use crate::mat::{VecMut, VecRef};
use crate::scalar::{Real, Scalar, as_real_parts, beta_times};

/// `y := alpha·x + y` (reference ?AXPY: alpha = 0 leaves y untouched).
pub fn axpy<T: Scalar>(alpha: T, x: VecRef<'_, T>, mut y: VecMut<'_, T>) {
    debug_assert_eq!(x.len(), y.len());
    if y.is_empty() || alpha.is_zero() {
        return;
    }
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_mut_slice()) {
        return axpy_slices(alpha, xs, ys);
    }
    for i in 0..y.len() {
        let v = y.get(i) + alpha * x.get(i);
        y.set(i, v);
    }
}

/// `y := beta·y`; beta = 0 writes zeros without reading y, beta = 1 leaves it.
pub fn scale<T: Scalar>(beta: T, mut y: VecMut<'_, T>) {
    if beta.is_one() {
        return;
    }
    for i in 0..y.len() {
        let v = beta_times(beta, y.get(i));
        y.set(i, v);
    }
}

/// `y := x` element by element, in order (so an increment of 0 leaves x's last).
pub fn copy<T: Scalar>(x: VecRef<'_, T>, mut y: VecMut<'_, T>) {
    debug_assert_eq!(x.len(), y.len());
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_mut_slice()) {
        ys.copy_from_slice(xs);
        return;
    }
    for i in 0..y.len() {
        y.set(i, x.get(i));
    }
}

/// Partial sums a dot product keeps (a fixed order: the same bits on every run).
const LANES: usize = 8;

/// `Σ op(xᵢ)·yᵢ` with op the conjugate when `conj`.
pub fn dot<T: Scalar>(conj: bool, x: VecRef<'_, T>, y: VecRef<'_, T>) -> T {
    debug_assert_eq!(x.len(), y.len());
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_slice()) {
        return dot_slices(conj, xs, ys);
    }
    let op = |v: T| if conj { v.conjugate() } else { v };
    let mut s = T::zero();
    for i in 0..x.len() {
        s += op(x.get(i)) * y.get(i);
    }
    s
}

/// `Σ op(xᵢ)·yᵢ` over x's length (y may be longer), in [`LANES`] partial sums: it
/// vectorises, and the order is fixed, so every run gives the same bits. Plain
/// multiply-add: `mul_add` without a target FMA is a libm call.
#[inline]
pub fn dot_slices<T: Scalar>(conj: bool, x: &[T], y: &[T]) -> T {
    let op = |v: T| if conj { v.conjugate() } else { v };
    let mut acc = [T::zero(); LANES];
    let (xc, xr) = x.as_chunks::<LANES>();
    let (yc, yr) = y[..x.len()].as_chunks::<LANES>();
    for (a, b) in xc.iter().zip(yc) {
        for t in 0..LANES {
            acc[t] += op(a[t]) * b[t];
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (&a, &b) in xr.iter().zip(yr) {
        s += op(a) * b;
    }
    s
}

/// `y += alpha·x` over the shorter of the two.
#[inline]
pub fn axpy_slices<T: Scalar>(alpha: T, x: &[T], y: &mut [T]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// `x ↔ y` element by element, in order.
pub fn swap<T: Scalar>(mut x: VecMut<'_, T>, mut y: VecMut<'_, T>) {
    debug_assert_eq!(x.len(), y.len());
    if let (Some(xs), Some(ys)) = (x.as_mut_slice(), y.as_mut_slice()) {
        xs.swap_with_slice(ys);
        return;
    }
    for i in 0..x.len() {
        let (a, b) = (x.get(i), y.get(i));
        x.set(i, b);
        y.set(i, a);
    }
}

/// `x := alpha·x`, every element multiplied (reference ?SCAL: alpha = 0 multiplies too,
/// so a NaN stays NaN).
pub fn scal<T: Scalar>(alpha: T, mut x: VecMut<'_, T>) {
    if let Some(xs) = x.as_mut_slice() {
        xs.iter_mut().for_each(|v| *v = alpha * *v);
        return;
    }
    for i in 0..x.len() {
        let v = alpha * x.get(i);
        x.set(i, v);
    }
}

/// `x := alpha·x` with a real alpha on a complex vector (CSSCAL/ZDSCAL): each part
/// scaled on its own, as the reference does.
pub fn scal_real<T: Scalar>(alpha: T::Re, mut x: VecMut<'_, T>) {
    let times = |v: T| T::from_parts(alpha * v.re(), alpha * v.im());
    if let Some(xs) = x.as_mut_slice() {
        xs.iter_mut().for_each(|v| *v = times(*v));
        return;
    }
    for i in 0..x.len() {
        let v = times(x.get(i));
        x.set(i, v);
    }
}

/// Blue's thresholds and scales for a sum of squares that neither overflows nor loses
/// small terms (reference 3.10 `?nrm2`): (tsml, tbig, ssml, sbig).
fn blue<R: Real>() -> (R, R, R, R) {
    let p = |e: i32| R::from_f64(2f64.powi(e));
    if R::LETTER == 'S' {
        (p(-63), p(52), p(75), p(-76))
    } else {
        (p(-511), p(486), p(537), p(-538))
    }
}

/// ‖x‖₂ without overflow or harmful underflow (reference ?NRM2, and SCNRM2/DZNRM2 over
/// the real and imaginary parts).
pub fn nrm2<T: Scalar>(x: VecRef<'_, T>) -> T::Re {
    if let Some(xs) = x.as_slice() {
        return nrm2_parts(as_real_parts(xs));
    }
    let mut parts = Vec::with_capacity(if T::COMPLEX { 2 } else { 1 } * x.len());
    for i in 0..x.len() {
        let v = x.get(i);
        parts.push(v.re());
        if T::COMPLEX {
            parts.push(v.im());
        }
    }
    nrm2_parts(&parts)
}

/// ‖v‖₂ of real values. When every nonzero |vᵢ| lies in Blue's middle range (the usual
/// case) the plain sum of squares is exact enough and is what the reference computes;
/// otherwise the reference's three accumulators decide.
fn nrm2_parts<R: Real>(v: &[R]) -> R {
    let (tsml, tbig, _, _) = blue::<R>();
    let zero = R::zero();
    let mut acc = [zero; LANES];
    let mut big = [zero; LANES];
    let mut tiny = [false; LANES];
    let (chunks, rest) = v.as_chunks::<LANES>();
    for c in chunks {
        for l in 0..LANES {
            let a = c[l].magnitude();
            acc[l] += a * a;
            big[l] = if a > big[l] { a } else { big[l] };
            tiny[l] |= a < tsml && a > zero;
        }
    }
    let mut sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    let mut mx = big.iter().fold(zero, |m, &b| if b > m { b } else { m });
    let mut small = tiny.iter().any(|&t| t);
    for &r in rest {
        let a = r.magnitude();
        sum += a * a;
        mx = if a > mx { a } else { mx };
        small |= a < tsml && a > zero;
    }
    if !small && mx <= tbig {
        // NaN propagates through the sum, as through the reference's middle accumulator.
        return sum.sqrt_value();
    }
    nrm2_scaled(v)
}

/// The reference's loop: small, middle and big values summed apart, scaled.
fn nrm2_scaled<R: Real>(v: &[R]) -> R {
    let (tsml, tbig, ssml, sbig) = blue::<R>();
    let (zero, one) = (R::zero(), R::one());
    let (mut asml, mut amed, mut abig) = (zero, zero, zero);
    let mut notbig = true;
    for &x in v {
        let ax = x.magnitude();
        if ax > tbig {
            abig += (ax * sbig) * (ax * sbig);
            notbig = false;
        } else if ax < tsml {
            if notbig {
                asml += (ax * ssml) * (ax * ssml);
            }
        } else {
            amed += ax * ax;
        }
    }
    let (scl, sumsq);
    if abig > zero {
        if amed > zero || amed.is_nan_value() {
            abig += (amed * sbig) * sbig;
        }
        scl = one / sbig;
        sumsq = abig;
    } else if asml > zero {
        if amed > zero || amed.is_nan_value() {
            let amed = amed.sqrt_value();
            let asml = asml.sqrt_value() / ssml;
            let (ymin, ymax) = if asml > amed {
                (amed, asml)
            } else {
                (asml, amed)
            };
            scl = one;
            sumsq = ymax * ymax * (one + (ymin / ymax) * (ymin / ymax));
        } else {
            scl = one / ssml;
            sumsq = asml;
        }
    } else {
        scl = one;
        sumsq = amed;
    }
    scl * sumsq.sqrt_value()
}

/// `Σ |re xᵢ| + |im xᵢ|` (reference ?ASUM, SCASUM/DZASUM), in [`LANES`] partial sums.
pub fn asum<T: Scalar>(x: VecRef<'_, T>) -> T::Re {
    if let Some(xs) = x.as_slice() {
        let v = as_real_parts(xs);
        let zero = <T::Re as Scalar>::zero();
        let mut acc = [zero; LANES];
        let (chunks, rest) = v.as_chunks::<LANES>();
        for c in chunks {
            for l in 0..LANES {
                acc[l] += c[l].magnitude();
            }
        }
        let mut s =
            ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for &r in rest {
            s += r.magnitude();
        }
        return s;
    }
    let mut s = <T::Re as Scalar>::zero();
    for i in 0..x.len() {
        s += x.get(i).abs1();
    }
    s
}

/// The 1-based index of the first element of largest |re| + |im| (reference I?AMAX;
/// 0 for an empty vector). Compared as the reference does, with `>`: a NaN is never
/// larger, so it is chosen only in first place.
pub fn iamax<T: Scalar>(x: VecRef<'_, T>) -> usize {
    if x.is_empty() {
        return 0;
    }
    let mut best = 0;
    let mut max = x.get(0).abs1();
    if let Some(xs) = x.as_slice() {
        for (i, v) in xs.iter().enumerate().skip(1) {
            let a = v.abs1();
            if a > max {
                best = i;
                max = a;
            }
        }
    } else {
        for i in 1..x.len() {
            let a = x.get(i).abs1();
            if a > max {
                best = i;
                max = a;
            }
        }
    }
    best + 1
}

/// `Σ xᵢ·yᵢ` of single-precision vectors accumulated in double (reference DSDOT, and
/// SDSDOT with its added constant), in order.
pub fn dot_in_double(x: VecRef<'_, f32>, y: VecRef<'_, f32>) -> f64 {
    debug_assert_eq!(x.len(), y.len());
    let mut s = 0.0f64;
    for i in 0..x.len() {
        s += x.get(i) as f64 * y.get(i) as f64;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mat::{vector, vector_mut};
    use crate::scalar::c64;

    #[test]
    fn negative_and_zero_increments_follow_the_reference_layout() {
        // x = (1, 2, 3) stored backwards with increment −2: storage [3, _, 2, _, 1].
        let xs = [3.0, 9.0, 2.0, 9.0, 1.0];
        let x = unsafe { vector(xs.as_ptr(), 3, -2) };
        assert_eq!(x.to_vec(), vec![1.0, 2.0, 3.0]);
        let mut ys = [10.0, 20.0, 30.0];
        axpy(2.0, x, unsafe { vector_mut(ys.as_mut_ptr(), 3, 1) });
        assert_eq!(ys, [12.0, 24.0, 36.0]);
        // Increment 0 for y: every update lands on y[0], in order.
        let mut y0 = [1.0];
        axpy(1.0, x, unsafe { vector_mut(y0.as_mut_ptr(), 3, 0) });
        assert_eq!(y0, [7.0]);
        let mut c0 = [0.0];
        copy(x, unsafe { vector_mut(c0.as_mut_ptr(), 3, 0) });
        assert_eq!(c0, [3.0]);
    }

    #[test]
    fn complex_dots_against_a_naive_sum() {
        let n = 21;
        let xs: Vec<c64> = (0..n)
            .map(|i| c64::new(i as f64 * 0.5 - 3.0, 1.0 / (i + 1) as f64))
            .collect();
        let ys: Vec<c64> = (0..n)
            .map(|i| c64::new((i * i) as f64 * 0.1, -(i as f64)))
            .collect();
        let (x, y) = unsafe { (vector(xs.as_ptr(), n, 1), vector(ys.as_ptr(), n, 1)) };
        let naive_u: c64 = xs.iter().zip(&ys).map(|(a, b)| a * b).sum();
        let naive_c: c64 = xs.iter().zip(&ys).map(|(a, b)| a.conj() * b).sum();
        for (got, want) in [(dot(false, x, y), naive_u), (dot(true, x, y), naive_c)] {
            assert!(
                (got - want).norm() <= 1e-12 * want.norm(),
                "{got} vs {want}"
            );
        }
    }

    /// ‖x‖₂ against a 256-bit sum of squares, for magnitudes that overflow or underflow
    /// a plain sum of squares, mixed with ordinary ones, real and complex, contiguous or
    /// strided; NaN and Inf propagate.
    #[test]
    fn nrm2_is_accurate_at_every_scale() {
        use rug::Float;
        let exact = |v: &[f64]| {
            let mut s = Float::with_val(256, 0);
            for &x in v {
                s += Float::with_val(256, x) * Float::with_val(256, x);
            }
            s.sqrt().to_f64()
        };
        let scales = [1.0, 1e300, 1e-300, 1e-160, 1e160, 3e-320];
        for (k, &big) in scales.iter().enumerate() {
            for &small in &scales[k..] {
                let v: Vec<f64> = (0..37)
                    .map(|i| if i % 3 == 0 { big } else { small } * (1.0 + i as f64 / 8.0))
                    .collect();
                let want = exact(&v);
                let got = nrm2(VecRef::of(&v));
                assert!(
                    (got - want).abs() <= 4.0 * f64::EPSILON * want,
                    "{big} {small}: {got} vs {want}"
                );
                // The same values as 19 complex numbers' parts, and strided.
                let z: Vec<c64> = v
                    .chunks(2)
                    .map(|c| c64::new(c[0], *c.get(1).unwrap_or(&0.0)))
                    .collect();
                let got = nrm2(VecRef::of(&z));
                assert!(
                    (got - want).abs() <= 4.0 * f64::EPSILON * want,
                    "complex {big} {small}"
                );
                let strided = unsafe { vector(v.as_ptr(), 19, 2) };
                let want2 = exact(&v.iter().step_by(2).copied().collect::<Vec<_>>());
                assert!((nrm2(strided) - want2).abs() <= 4.0 * f64::EPSILON * want2);
            }
        }
        assert!(nrm2(VecRef::of(&[1.0, f64::NAN, 1e300])).is_nan());
        assert_eq!(nrm2(VecRef::of(&[1.0, f64::INFINITY])), f64::INFINITY);
        assert_eq!(nrm2(VecRef::of(&[0.0f32; 5])), 0.0);
    }

    /// The reference's comparisons: the first of equal maxima, |re| + |im| for complex,
    /// and a NaN chosen only in first place.
    #[test]
    fn iamax_and_asum_as_the_reference() {
        assert_eq!(iamax(VecRef::of(&[1.0, -3.0, 3.0, 2.0])), 2);
        assert_eq!(iamax(VecRef::of(&[f64::NAN, 5.0, 7.0])), 1);
        assert_eq!(iamax(VecRef::of(&[1.0, f64::NAN, 7.0])), 3);
        let z = [c64::new(3.0, 0.0), c64::new(-2.0, 2.5), c64::new(0.0, -4.0)];
        assert_eq!(iamax(VecRef::of(&z)), 2);
        assert_eq!(asum(VecRef::of(&z)), 11.5);
        let v: Vec<f64> = (0..100).map(|i| (i as f64 - 50.5) * 0.25).collect();
        assert_eq!(asum(VecRef::of(&v)), v.iter().map(|x| x.abs()).sum::<f64>());
    }
}
