//! Overflow-safe scaling, as reference LAPACK's ?LAMCH constants, ?LANGE('M') and
//! ?LASCL: drivers bring a matrix near overflow or underflow into a safe range before
//! the work and scale the results back after. Written once for the four types.

use crate::scalar::{Real, Scalar};
use faer::reborrow::ReborrowMut;
use faer::{MatMut, MatRef};

/// The range a driver keeps its matrix in: `[SMALL, BIG]` as reference ?GESDD computes
/// them (`sqrt(safe minimum) / precision` and its reciprocal; precision is ?LAMCH('P'),
/// twice the unit roundoff).
pub fn safe_range<R: Real>() -> (R, R) {
    let small = R::SAFE_MIN.sqrt_value() / (R::EPS + R::EPS);
    (small, R::one() / small)
}

/// Largest modulus of the elements (?LANGE('M')); NaN if any element is NaN.
pub fn max_abs<T: Scalar>(a: MatRef<'_, T>) -> T::Re {
    let mut max = T::Re::zero();
    for j in 0..a.ncols() {
        for &x in a.col(j).iter() {
            let x = x.modulus();
            if x.is_nan_value() {
                return x;
            }
            if x > max {
                max = x;
            }
        }
    }
    max
}

/// The factor a driver scales its matrix of max-norm `norm` to, when it is outside the
/// safe range (`None` inside it, or for a zero matrix).
pub fn safe_target<R: Real>(norm: R) -> Option<R> {
    let (small, big) = safe_range::<R>();
    if norm.is_positive() && norm < small {
        Some(small)
    } else if norm > big {
        Some(big)
    } else {
        None
    }
}

/// `A := A · (to / from)` without overflow or underflow in the factor (?LASCL('G')):
/// the factor is applied in steps that are each representable.
/// `from` must be nonzero and neither may be NaN.
pub fn rescale<T: Scalar>(mut a: MatMut<'_, T>, from: T::Re, to: T::Re) {
    for mul in factors(from, to) {
        let mul = T::from_real(mul);
        for j in 0..a.ncols() {
            for x in a.rb_mut().col_mut(j).iter_mut() {
                *x *= mul;
            }
        }
    }
}

/// [`rescale`] on a vector.
pub fn rescale_slice<R: Real>(v: &mut [R], from: R, to: R) {
    for mul in factors(from, to) {
        for x in v.iter_mut() {
            *x *= mul;
        }
    }
}

/// The sequence of multipliers whose product is `to / from`, each safe to apply.
fn factors<R: Real>(from: R, to: R) -> Vec<R> {
    let small = R::SAFE_MIN;
    let big = R::one() / small;
    let (mut from, mut to) = (from, to);
    let mut steps = Vec::new();
    loop {
        let from1 = from * small;
        if from1 == from {
            // from is ±inf: the quotient is 0 or NaN as it stands.
            steps.push(to / from);
            return steps;
        }
        let to1 = to / big;
        if to1 == to {
            // to is 0 or ±inf.
            steps.push(to);
            return steps;
        }
        if from1.magnitude() > to.magnitude() && !to.is_zero() {
            steps.push(small);
            from = from1;
        } else if to1.magnitude() > from.magnitude() {
            steps.push(big);
            to = to1;
        } else {
            steps.push(to / from);
            return steps;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescale_reaches_the_target_without_overflow() {
        let mut v = [1e300f64, -2e300];
        rescale_slice(&mut v, 2e300, 1e-300);
        assert!((v[0] - 0.5e-300).abs() <= 1e-315 && (v[1] + 1e-300).abs() <= 1e-315);
        let mut w = [1e-310f64, 3e-310];
        rescale_slice(&mut w, 3e-310, 1e300);
        assert!((w[1] / 1e300 - 1.0).abs() < 1e-12 && (w[0] * 3.0 / 1e300 - 1.0).abs() < 1e-6);
        let (small, big) = safe_range::<f64>();
        assert!(small > 0.0 && big.is_finite() && (small * big - 1.0).abs() < 1e-15);
    }

    #[test]
    fn max_abs_sees_nan_and_sign() {
        let a = faer::Mat::from_fn(2, 2, |i, j| if (i, j) == (1, 0) { -5.0 } else { 1.0 });
        assert_eq!(max_abs(a.as_ref()), 5.0);
        let b = faer::Mat::from_fn(2, 2, |i, j| if (i, j) == (1, 1) { f64::NAN } else { 1.0 });
        assert!(max_abs(b.as_ref()).is_nan());
    }
}
