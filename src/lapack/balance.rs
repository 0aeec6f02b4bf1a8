//! Balancing a general matrix before its eigendecomposition (the scaling half of
//! reference ?GEBAL, and ?GEBAK's back-transformation of the vectors).
//!
//! A ← D⁻¹·A·D with D diagonal, its entries powers of 2 (so nothing is rounded), chosen
//! so that each row and its column have about the same norm. The eigenvalues are
//! unchanged, but the Hessenberg QR's errors, ε·‖A‖, shrink with ‖A‖: on a badly scaled
//! matrix that is the difference between accurate eigenvalues and noise. Reference
//! ?GEBAL also permutes rows and columns to isolate eigenvalues it can read off; that
//! half is not done here (it saves work, and it splits the problem, but balancing by
//! scaling is what restores the accuracy).

use crate::scalar::{Real, Scalar};
use faer::MatMut;
use faer::reborrow::ReborrowMut;

/// Balances `a` in place (LAPACK 3.11's ?GEBAL loop with job 'S') and returns D's
/// diagonal.
pub fn balance<T: Scalar>(mut a: MatMut<'_, T>) -> Vec<T::Re> {
    let n = a.nrows();
    let one = T::Re::one();
    let radix = one + one;
    let factor = T::Re::from_f64(0.95);
    let sfmin1 = T::Re::SAFE_MIN / T::Re::EPS;
    let sfmax1 = one / sfmin1;
    let sfmin2 = sfmin1 * radix;
    let sfmax2 = one / sfmin2;
    let mut scale = vec![one; n];
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..n {
            let mut c = norm2((0..n).map(|k| a[(k, i)]));
            let mut r = norm2((0..n).map(|k| a[(i, k)]));
            let mut ca = largest((0..n).map(|k| a[(k, i)]));
            let mut ra = largest((0..n).map(|k| a[(i, k)]));
            // A zero row or column (or one that underflowed) has nothing to balance; the
            // caller has already refused NaN.
            if c == T::Re::zero() || r == T::Re::zero() || (c + ca + r + ra).is_nan_value() {
                continue;
            }
            let s = c + r;
            let mut f = one;
            let mut g = r / radix;
            while c < g && max_of(&[f, c, ca]) < sfmax2 && min_of(&[r, g, ra]) > sfmin2 {
                f *= radix;
                c *= radix;
                ca *= radix;
                r /= radix;
                g /= radix;
                ra /= radix;
            }
            g = c / radix;
            while g >= r && max_of(&[r, ra]) < sfmax2 && min_of(&[f, c, g, ca]) > sfmin2 {
                f /= radix;
                c /= radix;
                g /= radix;
                ca /= radix;
                r *= radix;
                ra *= radix;
            }
            // Not worth it, or D would leave the safe range.
            if c + r >= factor * s
                || (f < one && scale[i] < one && f * scale[i] <= sfmin1)
                || (f > one && scale[i] > one && scale[i] >= sfmax1 / f)
            {
                continue;
            }
            scale[i] *= f;
            changed = true;
            let (f, g) = (T::from_real(f), T::from_real(one / f));
            for k in 0..n {
                a[(i, k)] *= g;
            }
            for k in 0..n {
                a[(k, i)] *= f;
            }
        }
    }
    scale
}

/// Right eigenvectors of A from those of D⁻¹·A·D: v = D·v_b (rows times D).
pub fn unbalance_right<T: Scalar>(scale: &[T::Re], mut v: MatMut<'_, T>) {
    for (i, &d) in scale.iter().enumerate() {
        v.rb_mut()
            .row_mut(i)
            .iter_mut()
            .for_each(|x| *x *= T::from_real(d));
    }
}

/// Left eigenvectors of A from those of D⁻¹·A·D: u = D⁻¹·u_b (rows over D).
pub fn unbalance_left<T: Scalar>(scale: &[T::Re], mut u: MatMut<'_, T>) {
    for (i, &d) in scale.iter().enumerate() {
        let inv = T::from_real(T::Re::one() / d);
        u.rb_mut().row_mut(i).iter_mut().for_each(|x| *x *= inv);
    }
}

/// The Euclidean norm, scaled by the largest modulus so it neither overflows nor
/// underflows.
fn norm2<T: Scalar>(xs: impl Iterator<Item = T> + Clone) -> T::Re {
    let big = largest(xs.clone());
    if big == T::Re::zero() || big.is_nan_value() {
        return big;
    }
    let sum = xs.fold(T::Re::zero(), |s, x| {
        let m = x.modulus() / big;
        s + m * m
    });
    big * sum.sqrt_value()
}

/// The largest modulus (NaN if any is).
fn largest<T: Scalar>(xs: impl Iterator<Item = T>) -> T::Re {
    xs.fold(T::Re::zero(), |m, x| {
        let v = x.modulus();
        if v > m || v.is_nan_value() { v } else { m }
    })
}

fn max_of<R: Real>(v: &[R]) -> R {
    v.iter().fold(v[0], |m, &x| if x > m { x } else { m })
}

fn min_of<R: Real>(v: &[R]) -> R {
    v.iter().fold(v[0], |m, &x| if x < m { x } else { m })
}
