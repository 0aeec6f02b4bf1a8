//! Overflow-safe scaling, as reference LAPACK's DLAMCH constants, DLANGE('M') and
//! DLASCL: drivers bring a matrix near overflow or underflow into a safe range before
//! the work and scale the results back after.

use faer::reborrow::ReborrowMut;
use faer::{MatMut, MatRef};

/// Safe minimum: the smallest normal number, whose reciprocal does not overflow
/// (DLAMCH('S')).
pub const SAFE_MIN: f64 = f64::MIN_POSITIVE;
/// Relative machine precision times the base (DLAMCH('P')).
pub const PRECISION: f64 = f64::EPSILON;

/// The range a driver keeps its matrix in: `[SMALL, BIG]` as reference DGESDD computes
/// them (`sqrt(safe minimum) / precision` and its reciprocal).
pub fn safe_range() -> (f64, f64) {
    let small = SAFE_MIN.sqrt() / PRECISION;
    (small, 1.0 / small)
}

/// Largest absolute value of the elements (DLANGE('M')); NaN if any element is NaN.
pub fn max_abs(a: MatRef<'_, f64>) -> f64 {
    let mut max = 0.0f64;
    for j in 0..a.ncols() {
        for &x in a.col(j).iter() {
            let x = x.abs();
            if x.is_nan() {
                return f64::NAN;
            }
            max = max.max(x);
        }
    }
    max
}

/// `A := A · (to / from)` without overflow or underflow in the factor (DLASCL('G')):
/// the factor is applied in steps that are each representable.
/// `from` must be nonzero and neither may be NaN.
pub fn rescale(mut a: MatMut<'_, f64>, from: f64, to: f64) {
    for mul in factors(from, to) {
        for j in 0..a.ncols() {
            for x in a.rb_mut().col_mut(j).iter_mut() {
                *x *= mul;
            }
        }
    }
}

/// [`rescale`] on a vector.
pub fn rescale_slice(v: &mut [f64], from: f64, to: f64) {
    for mul in factors(from, to) {
        for x in v.iter_mut() {
            *x *= mul;
        }
    }
}

/// The sequence of multipliers whose product is `to / from`, each safe to apply.
fn factors(from: f64, to: f64) -> Vec<f64> {
    let small = SAFE_MIN;
    let big = 1.0 / small;
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
        if from1.abs() > to.abs() && to != 0.0 {
            steps.push(small);
            from = from1;
        } else if to1.abs() > from.abs() {
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
        let mut v = [1e300, -2e300];
        rescale_slice(&mut v, 2e300, 1e-300);
        assert!((v[0] - 0.5e-300).abs() <= 1e-315 && (v[1] + 1e-300).abs() <= 1e-315);
        let mut w = [1e-310, 3e-310];
        rescale_slice(&mut w, 3e-310, 1e300);
        assert!((w[1] / 1e300 - 1.0).abs() < 1e-12 && (w[0] * 3.0 / 1e300 - 1.0).abs() < 1e-6);
        let (small, big) = safe_range();
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
