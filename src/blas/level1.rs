//! Vector-vector BLAS (level 1) for every element type: `axpy`, `dot` (plain and
//! conjugated), `copy`, `swap`, `scal`, `nrm2`, `asum`, `iamax`, and the mixed-precision
//! dots. (The rotations are in [`rotation`](super::rotation).)
//!
//! They move each element once and are bound by memory, which two cores read faster
//! than one: a long contiguous vector is cut into chunks of [`CHUNK`] elements, shared
//! out to the team from [`TEAM_MIN`] elements on. A reduction keeps one partial per
//! chunk and adds the partials in chunk order, so its bits depend on the length alone,
//! never on the thread count.

use super::Par;
use crate::mat::{VecMut, VecRef};
use crate::scalar::{Real, Scalar, as_real_parts, beta_times};

/// Elements per chunk of a long contiguous vector (the unit of the split and of the
/// partial sums).
const CHUNK: usize = 1 << 15;

/// Length from which a vector's chunks go to the team (below it, a second thread's
/// start costs more than the memory it would read).
const TEAM_MIN: usize = 1 << 17;

/// Runs `f` on every part (a chunk, or chunks of two vectors), on `par`'s team when
/// the vectors are `n` long or more than [`TEAM_MIN`]; results in part order.
fn chunks<P: Send, R: Send>(
    par: Par<'_>,
    n: usize,
    parts: Vec<P>,
    f: impl Fn(P) -> R + Sync,
) -> Vec<R> {
    let threads = if serial(n) { 1 } else { par.threads };
    par.with_threads(threads).run_parts(parts, f)
}

/// Whether vectors of length `n` stay on the caller's thread. Elementwise updates
/// below it run on the whole vector at once, with no parts to collect: the split
/// changes none of their bits, and the small calls LAPACK makes by the thousand
/// (DLARFG's scaling, a rotation of two short rows) then allocate nothing.
fn serial(n: usize) -> bool {
    n < TEAM_MIN
}

/// Runs `f` on the matching chunks of two contiguous vectors of one length, shared out
/// as [`chunks`] does (for elementwise updates of both, as a rotation is).
pub fn each_pair<T: Send>(
    par: Par<'_>,
    x: &mut [T],
    y: &mut [T],
    f: impl Fn(&mut [T], &mut [T]) + Sync,
) {
    let n = x.len();
    if serial(n) {
        return f(x, y);
    }
    let parts = x.chunks_mut(CHUNK).zip(y.chunks_mut(CHUNK)).collect();
    chunks(par, n, parts, |(a, b)| f(a, b));
}

/// The partials of a reduction added in order.
fn in_order<T: Scalar>(partials: impl IntoIterator<Item = T>) -> T {
    partials.into_iter().fold(T::zero(), |s, p| s + p)
}

/// `y := alpha·x + y` (reference ?AXPY: alpha = 0 leaves y untouched).
pub fn axpy<T: Scalar>(par: Par<'_>, alpha: T, x: VecRef<'_, T>, mut y: VecMut<'_, T>) {
    debug_assert_eq!(x.len(), y.len());
    if y.is_empty() || alpha.is_zero() {
        return;
    }
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_mut_slice()) {
        if xs.len() <= CHUNK {
            return axpy_slices(alpha, xs, ys);
        }
        let parts = xs.chunks(CHUNK).zip(ys.chunks_mut(CHUNK)).collect();
        chunks(par, xs.len(), parts, |(a, b)| axpy_slices(alpha, a, b));
        return;
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
pub fn copy<T: Scalar>(par: Par<'_>, x: VecRef<'_, T>, mut y: VecMut<'_, T>) {
    debug_assert_eq!(x.len(), y.len());
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_mut_slice()) {
        if serial(xs.len()) {
            return ys.copy_from_slice(xs);
        }
        let parts = xs.chunks(CHUNK).zip(ys.chunks_mut(CHUNK)).collect();
        chunks(par, xs.len(), parts, |(a, b)| b.copy_from_slice(a));
        return;
    }
    for i in 0..y.len() {
        y.set(i, x.get(i));
    }
}

/// Partial sums a dot product keeps (a fixed order: the same bits on every run).
const LANES: usize = 8;

/// `Σ op(xᵢ)·yᵢ` with op the conjugate when `conj`.
pub fn dot<T: Scalar>(par: Par<'_>, conj: bool, x: VecRef<'_, T>, y: VecRef<'_, T>) -> T {
    debug_assert_eq!(x.len(), y.len());
    if let (Some(xs), Some(ys)) = (x.as_slice(), y.as_slice()) {
        if xs.len() <= CHUNK {
            return dot_slices(conj, xs, ys);
        }
        let parts = xs.chunks(CHUNK).zip(ys.chunks(CHUNK)).collect();
        return in_order(chunks(par, xs.len(), parts, |(a, b)| {
            dot_slices(conj, a, b)
        }));
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
pub fn swap<T: Scalar>(par: Par<'_>, mut x: VecMut<'_, T>, mut y: VecMut<'_, T>) {
    debug_assert_eq!(x.len(), y.len());
    if let (Some(xs), Some(ys)) = (x.as_mut_slice(), y.as_mut_slice()) {
        each_pair(par, xs, ys, |a, b| a.swap_with_slice(b));
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
pub fn scal<T: Scalar>(par: Par<'_>, alpha: T, mut x: VecMut<'_, T>) {
    if let Some(xs) = x.as_mut_slice() {
        let n = xs.len();
        let scaled = |c: &mut [T]| c.iter_mut().for_each(|v| *v = alpha * *v);
        if serial(n) {
            return scaled(xs);
        }
        chunks(par, n, xs.chunks_mut(CHUNK).collect(), scaled);
        return;
    }
    for i in 0..x.len() {
        let v = alpha * x.get(i);
        x.set(i, v);
    }
}

/// `x := alpha·x` with a real alpha on a complex vector (CSSCAL/ZDSCAL): each part
/// scaled on its own, as the reference does.
pub fn scal_real<T: Scalar>(par: Par<'_>, alpha: T::Re, mut x: VecMut<'_, T>) {
    let times = |v: T| T::from_parts(alpha * v.re(), alpha * v.im());
    if let Some(xs) = x.as_mut_slice() {
        let n = xs.len();
        let scaled = |c: &mut [T]| c.iter_mut().for_each(|v| *v = times(*v));
        if serial(n) {
            return scaled(xs);
        }
        chunks(par, n, xs.chunks_mut(CHUNK).collect(), scaled);
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
/// the real and imaginary parts); single precision accumulates in double.
pub fn nrm2<T: Scalar>(par: Par<'_>, x: VecRef<'_, T>) -> T::Re {
    if let Some(xs) = x.as_slice() {
        return nrm2_parts(par, as_real_parts(xs));
    }
    let mut parts = Vec::with_capacity(if T::COMPLEX { 2 } else { 1 } * x.len());
    for i in 0..x.len() {
        let v = x.get(i);
        parts.push(v.re());
        if T::COMPLEX {
            parts.push(v.im());
        }
    }
    nrm2_parts(par, &parts)
}

/// ‖v‖₂ of real values. When every nonzero |vᵢ| lies in Blue's middle range (the usual
/// case) the plain sum of squares is exact enough and is what the reference computes;
/// otherwise the reference's three accumulators decide.
fn nrm2_parts<R: Real>(par: Par<'_>, v: &[R]) -> R {
    if R::LETTER == 'S' {
        // Single precision squares summed in double neither overflow nor underflow
        // (nor lose the small terms a large one would swallow in single), as OpenBLAS
        // computes them; the root rounded once.
        let sum = if v.len() <= CHUNK {
            squares_in_double(v)
        } else {
            in_order(chunks(
                par,
                v.len(),
                v.chunks(CHUNK).collect(),
                squares_in_double,
            ))
        };
        return R::from_f64(sum.sqrt());
    }
    let (tsml, tbig, _, _) = blue::<R>();
    // One chunk's partial on the stack: short vectors allocate nothing.
    let (one, many);
    let partials: &[(R, R, bool)] = if v.len() <= CHUNK {
        one = [squares(v)];
        &one
    } else {
        many = chunks(par, v.len(), v.chunks(CHUNK).collect(), squares);
        &many
    };
    let sum = in_order(partials.iter().map(|p| p.0));
    let mx = partials
        .iter()
        .fold(R::zero(), |m, p| if p.1 > m { p.1 } else { m });
    let small = partials.iter().any(|p| p.2);
    if !small && mx <= tbig {
        // NaN propagates through the sum, as through the reference's middle accumulator.
        return sum.sqrt_value();
    }
    let _ = tsml;
    nrm2_scaled(v)
}

/// `Σ vᵢ²` in double, in [`LANES`] partial sums.
fn squares_in_double<R: Real>(v: &[R]) -> f64 {
    let mut acc = [0.0f64; LANES];
    let (chunks, rest) = v.as_chunks::<LANES>();
    for c in chunks {
        for l in 0..LANES {
            let x = c[l].to_f64();
            acc[l] += x * x;
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for r in rest {
        let x = r.to_f64();
        s += x * x;
    }
    s
}

/// The plain sum of squares of `v`, its largest magnitude, and whether a nonzero
/// magnitude lies below Blue's small threshold.
fn squares<R: Real>(v: &[R]) -> (R, R, bool) {
    let (tsml, _, _, _) = blue::<R>();
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
    (sum, mx, small)
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
pub fn asum<T: Scalar>(par: Par<'_>, x: VecRef<'_, T>) -> T::Re {
    if let Some(xs) = x.as_slice() {
        let v = as_real_parts(xs);
        if v.len() <= CHUNK {
            return magnitudes(v);
        }
        return in_order(chunks(par, v.len(), v.chunks(CHUNK).collect(), magnitudes));
    }
    let mut s = <T::Re as Scalar>::zero();
    for i in 0..x.len() {
        s += x.get(i).abs1();
    }
    s
}

/// `Σ |vᵢ|` in [`LANES`] partial sums.
fn magnitudes<R: Real>(v: &[R]) -> R {
    {
        let zero = R::zero();
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
        s
    }
}

/// The 1-based index of the first element of largest |re| + |im| (reference I?AMAX;
/// 0 for an empty vector). Compared as the reference does, with `>`: a NaN is never
/// larger, so it is chosen only in first place.
pub fn iamax<T: Scalar>(par: Par<'_>, x: VecRef<'_, T>) -> usize {
    if x.is_empty() {
        return 0;
    }
    if x.get(0).abs1().is_nan_value() {
        return 1;
    }
    let best = match x.as_slice() {
        Some(xs) if xs.len() > CHUNK => {
            let found = chunks(par, xs.len(), xs.chunks(CHUNK).collect(), first_largest);
            // The first chunk holding the largest value (strictly larger than every
            // chunk before it) holds the first largest element.
            let mut best: Option<(usize, T::Re)> = None;
            for (c, f) in found.into_iter().enumerate() {
                if let Some((i, m)) = f
                    && best.is_none_or(|(_, b)| m > b)
                {
                    best = Some((c * CHUNK + i, m));
                }
            }
            best
        }
        Some(xs) => first_largest(xs),
        None => first_largest(&x.to_vec()),
    };
    best.map_or(1, |(i, _)| i + 1)
}

/// The 0-based index and the value of the first largest |re| + |im| of `v`, NaN
/// skipped (None when all are NaN). The largest value first, in a loop that
/// vectorises, then its first position.
fn first_largest<T: Scalar>(v: &[T]) -> Option<(usize, T::Re)> {
    // Lane-wise maxima (the largest value does not depend on the order it is found in).
    let below = -<T::Re as Scalar>::one();
    let mut lanes = [below; LANES];
    let (blocks, rest) = v.as_chunks::<LANES>();
    for b in blocks {
        for l in 0..LANES {
            let a = b[l].abs1();
            lanes[l] = if a > lanes[l] { a } else { lanes[l] };
        }
    }
    let mut max = lanes.iter().fold(below, |m, &a| if a > m { a } else { m });
    for e in rest {
        let a = e.abs1();
        max = if a > max { a } else { max };
    }
    if max == below {
        return None;
    }
    // Its first position: a block at a time, the block test without branches.
    let hit = blocks
        .iter()
        .position(|b| b.iter().fold(false, |h, e| h | (e.abs1() == max)));
    let start = hit.map_or(blocks.len() * LANES, |k| k * LANES);
    v[start..]
        .iter()
        .position(|e| e.abs1() == max)
        .map(|i| (start + i, max))
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

    fn par() -> Par<'static> {
        Par::seq(crate::arch::detected())
    }

    #[test]
    fn negative_and_zero_increments_follow_the_reference_layout() {
        // x = (1, 2, 3) stored backwards with increment −2: storage [3, _, 2, _, 1].
        let xs = [3.0, 9.0, 2.0, 9.0, 1.0];
        let x = unsafe { vector(xs.as_ptr(), 3, -2) };
        assert_eq!(x.to_vec(), vec![1.0, 2.0, 3.0]);
        let mut ys = [10.0, 20.0, 30.0];
        axpy(par(), 2.0, x, unsafe { vector_mut(ys.as_mut_ptr(), 3, 1) });
        assert_eq!(ys, [12.0, 24.0, 36.0]);
        // Increment 0 for y: every update lands on y[0], in order.
        let mut y0 = [1.0];
        axpy(par(), 1.0, x, unsafe { vector_mut(y0.as_mut_ptr(), 3, 0) });
        assert_eq!(y0, [7.0]);
        let mut c0 = [0.0];
        copy(par(), x, unsafe { vector_mut(c0.as_mut_ptr(), 3, 0) });
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
        for (got, want) in [
            (dot(par(), false, x, y), naive_u),
            (dot(par(), true, x, y), naive_c),
        ] {
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
                let got = nrm2(par(), VecRef::of(&v));
                assert!(
                    (got - want).abs() <= 4.0 * f64::EPSILON * want,
                    "{big} {small}: {got} vs {want}"
                );
                // The same values as 19 complex numbers' parts, and strided.
                let z: Vec<c64> = v
                    .chunks(2)
                    .map(|c| c64::new(c[0], *c.get(1).unwrap_or(&0.0)))
                    .collect();
                let got = nrm2(par(), VecRef::of(&z));
                assert!(
                    (got - want).abs() <= 4.0 * f64::EPSILON * want,
                    "complex {big} {small}"
                );
                let strided = unsafe { vector(v.as_ptr(), 19, 2) };
                let want2 = exact(&v.iter().step_by(2).copied().collect::<Vec<_>>());
                assert!((nrm2(par(), strided) - want2).abs() <= 4.0 * f64::EPSILON * want2);
            }
        }
        assert!(nrm2(par(), VecRef::of(&[1.0, f64::NAN, 1e300])).is_nan());
        assert_eq!(
            nrm2(par(), VecRef::of(&[1.0, f64::INFINITY])),
            f64::INFINITY
        );
        assert_eq!(nrm2(par(), VecRef::of(&[0.0f32; 5])), 0.0);
    }

    /// The reference's comparisons: the first of equal maxima, |re| + |im| for complex,
    /// and a NaN chosen only in first place.
    #[test]
    fn iamax_and_asum_as_the_reference() {
        assert_eq!(iamax(par(), VecRef::of(&[1.0, -3.0, 3.0, 2.0])), 2);
        assert_eq!(iamax(par(), VecRef::of(&[f64::NAN, 5.0, 7.0])), 1);
        assert_eq!(iamax(par(), VecRef::of(&[1.0, f64::NAN, 7.0])), 3);
        let z = [c64::new(3.0, 0.0), c64::new(-2.0, 2.5), c64::new(0.0, -4.0)];
        assert_eq!(iamax(par(), VecRef::of(&z)), 2);
        assert_eq!(asum(par(), VecRef::of(&z)), 11.5);
        let v: Vec<f64> = (0..100).map(|i| (i as f64 - 50.5) * 0.25).collect();
        assert_eq!(
            asum(par(), VecRef::of(&v)),
            v.iter().map(|x| x.abs()).sum::<f64>()
        );
    }

    /// Long vectors, cut into chunks and shared out: the reductions give the same bits
    /// on 1, 2, 3 and 8 threads and match a plain loop; the first largest element is
    /// found across chunks (NaN at a chunk's start skipped); the elementwise operations
    /// match the serial loop.
    #[test]
    fn long_vectors_are_the_same_on_every_team() {
        let n = 5 * CHUNK + 123;
        let x: Vec<f64> = crate::test_data::values(n, 3);
        let mut y: Vec<f64> = crate::test_data::values(n, 4);
        // The largest magnitude twice, first in the fourth chunk; a NaN starts the second.
        y[3 * CHUNK + 7] = 9.0;
        y[4 * CHUNK + 1] = -9.0;
        y[CHUNK] = f64::NAN;
        let teams: Vec<Par<'static>> = [1, 2, 3, 8]
            .iter()
            .map(|&threads| Par {
                arch: crate::arch::detected(),
                threads,
                launch: &crate::runtime::launch,
            })
            .collect();
        let dots: Vec<u64> = teams
            .iter()
            .map(|&p| dot(p, false, VecRef::of(&x), VecRef::of(&x)).to_bits())
            .collect();
        let norms: Vec<u64> = teams
            .iter()
            .map(|&p| nrm2(p, VecRef::of(&x)).to_bits())
            .collect();
        let sums: Vec<u64> = teams
            .iter()
            .map(|&p| asum(p, VecRef::of(&x)).to_bits())
            .collect();
        for v in [&dots, &norms, &sums] {
            assert!(v.iter().all(|&b| b == v[0]), "thread count changed bits");
        }
        let plain: f64 = x.iter().map(|v| v * v).sum();
        assert!((f64::from_bits(dots[0]) - plain).abs() <= 1e-12 * plain);
        assert!((f64::from_bits(norms[0]) - plain.sqrt()).abs() <= 1e-12 * plain.sqrt());
        for &p in &teams {
            assert_eq!(iamax(p, VecRef::of(&y)), 3 * CHUNK + 8);
            let mut z = x.clone();
            axpy(p, 0.5, VecRef::of(&y), VecMut::of(&mut z));
            assert!(
                z.iter()
                    .zip(&x)
                    .zip(&y)
                    .all(|((zi, xi), yi)| zi.to_bits() == (xi + 0.5 * yi).to_bits())
            );
            scal(p, 2.0, VecMut::of(&mut z));
            let mut w = y.clone();
            swap(p, VecMut::of(&mut z), VecMut::of(&mut w));
            assert!(
                w.iter()
                    .zip(&x)
                    .zip(&y)
                    .all(|((wi, xi), yi)| wi.to_bits() == (2.0 * (xi + 0.5 * yi)).to_bits())
            );
        }
    }

    /// Single precision sums its squares in double: 10⁴ followed by 10⁴ ones is
    /// √(10⁸ + 10⁴), not the 10⁴ a single-precision sum rounds it to (SciPy's
    /// `test_stable` accepts only those two).
    #[test]
    fn single_precision_norm_is_summed_in_double() {
        let mut v = vec![1.0f32; 10001];
        v[0] = 1e4;
        let got = nrm2(par(), VecRef::of(&v)) as f64;
        assert!((got - 1e4 - 0.5).abs() < 1e-2, "{got}");
        let big = [3e30f32, 4e30];
        assert_eq!(nrm2(par(), VecRef::of(&big)), 5e30);
    }
}
