//! Vector-vector BLAS (level 1) for every element type: `axpy`, `dot` (plain and
//! conjugated), `copy`. Serial: they move each element once and are bound by memory.

use crate::mat::{VecMut, VecRef};
use crate::scalar::{Scalar, beta_times};

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
}
