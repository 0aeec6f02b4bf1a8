//! Plane rotations: constructing them (`?rotg`, `?rotmg`) and applying them to a pair
//! of vectors (`?rot`, `?rotm`). Construction follows reference BLAS 3.12 step by step
//! (its scaling constants and branch order), since callers compare against it.

use super::{Par, level1};
use crate::mat::VecMut;
use crate::scalar::{Real, Scalar};

/// The smallest and largest powers of the radix safe to divide by or scale with
/// (reference `safmin`, `safmax`: 2⁻¹⁰²² and 2¹⁰²³ in double, 2⁻¹²⁶ and 2¹²⁷ in single).
fn safe_range<R: Real>() -> (R, R) {
    if R::LETTER == 'S' {
        (R::from_f64(2f64.powi(-126)), R::from_f64(2f64.powi(127)))
    } else {
        (R::from_f64(2f64.powi(-1022)), R::from_f64(2f64.powi(1023)))
    }
}

/// Fortran's `sign(1, x)`: −1 for a negative x, negative zero included.
fn sign_of<R: Real>(x: R) -> R {
    if x.to_f64().is_sign_negative() {
        -R::one()
    } else {
        R::one()
    }
}

fn max<R: Real>(a: R, b: R) -> R {
    if b > a { b } else { a }
}

fn min<R: Real>(a: R, b: R) -> R {
    if b < a { b } else { a }
}

/// The real Givens rotation zeroing b (reference ?ROTG): returns (r, z, c, s), where z
/// is the value that reconstructs c and s and overwrites b.
pub fn rotg_real<R: Real>(a: R, b: R) -> (R, R, R, R) {
    let (safmin, safmax) = safe_range::<R>();
    let (anorm, bnorm) = (a.magnitude(), b.magnitude());
    if bnorm == R::zero() {
        return (a, R::zero(), R::one(), R::zero());
    }
    if anorm == R::zero() {
        return (b, R::one(), R::zero(), R::one());
    }
    let scl = min(safmax, max(safmin, max(anorm, bnorm)));
    let sigma = if anorm > bnorm {
        sign_of(a)
    } else {
        sign_of(b)
    };
    let (sa, sb) = (a / scl, b / scl);
    let r = sigma * (scl * (sa * sa + sb * sb).sqrt_value());
    let (c, s) = (a / r, b / r);
    let z = if anorm > bnorm {
        s
    } else if c != R::zero() {
        R::one() / c
    } else {
        R::one()
    };
    (r, z, c, s)
}

/// The complex Givens rotation zeroing b (reference CROTG/ZROTG, 3.10 onwards):
/// returns (r, c, s) with c real.
pub fn rotg_complex<T: Scalar>(f: T, g: T) -> (T, T::Re, T) {
    let zero = <T::Re as Scalar>::zero();
    let one = <T::Re as Scalar>::one();
    let (safmin, safmax) = safe_range::<T::Re>();
    let rtmin = safmin.sqrt_value();
    let abssq = |t: T| t.re() * t.re() + t.im() * t.im();
    let scale = |t: T, r: T::Re| T::from_parts(t.re() / r, t.im() / r);
    let times = |t: T, r: T::Re| T::from_parts(t.re() * r, t.im() * r);
    if g.is_zero() {
        return (f, one, T::zero());
    }
    if f.is_zero() {
        let (gr, gi) = (g.re(), g.im());
        if gr == zero || gi == zero {
            let r = if gr == zero {
                gi.magnitude()
            } else {
                gr.magnitude()
            };
            return (T::from_real(r), zero, scale(g.conjugate(), r));
        }
        let g1 = max(gr.magnitude(), gi.magnitude());
        let rtmax = (safmax / R2::two::<T::Re>()).sqrt_value();
        if g1 > rtmin && g1 < rtmax {
            let d = abssq(g).sqrt_value();
            return (T::from_real(d), zero, scale(g.conjugate(), d));
        }
        let u = min(safmax, max(safmin, g1));
        let gs = scale(g, u);
        let d = abssq(gs).sqrt_value();
        return (T::from_real(d * u), zero, scale(gs.conjugate(), d));
    }
    let f1 = max(f.re().magnitude(), f.im().magnitude());
    let g1 = max(g.re().magnitude(), g.im().magnitude());
    let rtmax = (safmax / R2::four::<T::Re>()).sqrt_value();
    // The rotation of the (possibly scaled) pair fs, gs with |fs|² = f2 and
    // |fs|² + |gs|² = h2, as the reference computes it in both of its branches.
    let finish = |fs: T, gs: T, f2: T::Re, h2: T::Re| -> (T, T::Re, T) {
        if f2 >= h2 * safmin {
            let c = (f2 / h2).sqrt_value();
            let r = scale(fs, c);
            let rtmax = rtmax * R2::two::<T::Re>();
            let s = if f2 > rtmin && h2 < rtmax {
                gs.conjugate() * scale(fs, (f2 * h2).sqrt_value())
            } else {
                gs.conjugate() * scale(r, h2)
            };
            (r, c, s)
        } else {
            let d = (f2 * h2).sqrt_value();
            let c = f2 / d;
            let r = if c >= safmin {
                scale(fs, c)
            } else {
                times(fs, h2 / d)
            };
            (r, c, gs.conjugate() * scale(fs, d))
        }
    };
    if f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax {
        let (f2, g2) = (abssq(f), abssq(g));
        return finish(f, g, f2, f2 + g2);
    }
    let u = min(safmax, max(safmin, max(f1, g1)));
    let gs = scale(g, u);
    let g2 = abssq(gs);
    let (w, fs, f2, h2);
    if f1 / u < rtmin {
        let v = min(safmax, max(safmin, f1));
        w = v / u;
        fs = scale(f, v);
        f2 = abssq(fs);
        h2 = f2 * w * w + g2;
    } else {
        w = one;
        fs = scale(f, u);
        f2 = abssq(fs);
        h2 = f2 + g2;
    }
    let (r, c, s) = finish(fs, gs, f2, h2);
    (times(r, u), c * w, s)
}

/// Small constants of the rotation formulas in the real type.
struct R2;
impl R2 {
    fn two<R: Real>() -> R {
        R::from_f64(2.0)
    }
    fn four<R: Real>() -> R {
        R::from_f64(4.0)
    }
}

/// The modified Givens transformation (reference ?ROTMG): updates d1, d2, x1 and
/// returns the five-element `param` (flag, h11, h21, h12, h22), of which only the
/// entries its flag uses are written (`written[i]`).
pub fn rotmg<R: Real>(d1: &mut R, d2: &mut R, x1: &mut R, y1: R) -> ([R; 5], [bool; 5]) {
    let (zero, one, two) = (R::zero(), R::one(), R2::two::<R>());
    let gam = R::from_f64(4096.0);
    let gamsq = R::from_f64(16777216.0);
    let rgamsq = R::from_f64(5.9604645e-8);
    let (mut h11, mut h12, mut h21, mut h22) = (zero, zero, zero, zero);
    let flag;
    let rescue = |d1: &mut R, d2: &mut R, x1: &mut R| {
        *d1 = R::zero();
        *d2 = R::zero();
        *x1 = R::zero();
        -R::one()
    };
    if *d1 < zero {
        flag = rescue(d1, d2, x1);
    } else {
        let p2 = *d2 * y1;
        if p2 == zero {
            let mut param = [zero; 5];
            param[0] = -two;
            return (param, [true, false, false, false, false]);
        }
        let p1 = *d1 * *x1;
        let q2 = p2 * y1;
        let q1 = p1 * *x1;
        if q1.magnitude() > q2.magnitude() {
            h21 = -y1 / *x1;
            h12 = p2 / p1;
            let u = one - h12 * h21;
            if u > zero {
                flag = zero;
                *d1 /= u;
                *d2 /= u;
                *x1 *= u;
            } else {
                (h11, h12, h21, h22) = (zero, zero, zero, zero);
                flag = rescue(d1, d2, x1);
            }
        } else if q2 < zero {
            (h11, h12, h21, h22) = (zero, zero, zero, zero);
            flag = rescue(d1, d2, x1);
        } else {
            flag = one;
            h11 = p1 / p2;
            h22 = *x1 / y1;
            let u = one + h11 * h22;
            let t = *d2 / u;
            *d2 = *d1 / u;
            *d1 = t;
            *x1 = y1 * u;
        }
    }
    let mut flag = flag;
    // Rescale d1 and d2 into [1/γ², γ²], folding the factors into H (which then
    // needs all four entries: flag −1).
    let full = |flag: &mut R, h11: &mut R, h12: &mut R, h21: &mut R, h22: &mut R| {
        if *flag == zero {
            *h11 = one;
            *h22 = one;
            *flag = -one;
        } else if *flag == one {
            *h21 = -one;
            *h12 = one;
            *flag = -one;
        }
    };
    if *d1 != zero {
        while *d1 <= rgamsq || *d1 >= gamsq {
            full(&mut flag, &mut h11, &mut h12, &mut h21, &mut h22);
            if *d1 <= rgamsq {
                *d1 *= gam * gam;
                *x1 /= gam;
                h11 /= gam;
                h12 /= gam;
            } else {
                *d1 /= gam * gam;
                *x1 *= gam;
                h11 *= gam;
                h12 *= gam;
            }
        }
    }
    if *d2 != zero {
        while d2.magnitude() <= rgamsq || d2.magnitude() >= gamsq {
            full(&mut flag, &mut h11, &mut h12, &mut h21, &mut h22);
            if d2.magnitude() <= rgamsq {
                *d2 *= gam * gam;
                h21 /= gam;
                h22 /= gam;
            } else {
                *d2 /= gam * gam;
                h21 *= gam;
                h22 *= gam;
            }
        }
    }
    let param = [flag, h11, h21, h12, h22];
    let written = if flag < zero {
        [true; 5]
    } else if flag == zero {
        [true, false, true, true, false]
    } else {
        [true, true, false, false, true]
    };
    (param, written)
}

/// Applies the plane rotation (c, s) to the pairs (xᵢ, yᵢ): x := c·x + s·y,
/// y := c·y − s·x (reference ?ROT, and CSROT/ZDROT with complex vectors).
pub fn rot<T: Scalar>(
    par: Par<'_>,
    mut x: VecMut<'_, T>,
    mut y: VecMut<'_, T>,
    c: T::Re,
    s: T::Re,
) {
    let (c, s) = (T::from_real(c), T::from_real(s));
    if let (Some(xs), Some(ys)) = (x.as_mut_slice(), y.as_mut_slice()) {
        level1::each_pair(par, xs, ys, |xs, ys| {
            for (xi, yi) in xs.iter_mut().zip(ys.iter_mut()) {
                let (a, b) = (*xi, *yi);
                *xi = c * a + s * b;
                *yi = c * b - s * a;
            }
        });
        return;
    }
    for i in 0..x.len() {
        let (a, b) = (x.get(i), y.get(i));
        x.set(i, c * a + s * b);
        y.set(i, c * b - s * a);
    }
}

/// Applies the modified rotation H given by `param` (reference ?ROTM): flag −2 is the
/// identity, −1 a full H, 0 and 1 its two shapes with implied ±1 entries.
pub fn rotm<R: Real>(mut x: VecMut<'_, R>, mut y: VecMut<'_, R>, param: [R; 5]) {
    let one = R::one();
    let flag = param[0];
    let (h11, h21, h12, h22) = if flag < R::zero() {
        (param[1], param[2], param[3], param[4])
    } else if flag == R::zero() {
        (one, param[2], param[3], one)
    } else {
        (param[1], -one, one, param[4])
    };
    if flag == -R2::two::<R>() {
        return;
    }
    for i in 0..x.len() {
        let (w, z) = (x.get(i), y.get(i));
        // The implied ±1 entries are not multiplied by (as the reference writes them).
        let (nx, ny) = if flag < R::zero() {
            (w * h11 + z * h12, w * h21 + z * h22)
        } else if flag == R::zero() {
            (w + z * h12, w * h21 + z)
        } else {
            (w * h11 + z, -w + h22 * z)
        };
        x.set(i, nx);
        y.set(i, ny);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::c64;

    #[test]
    fn real_rotation_zeroes_b_and_reconstructs_from_z() {
        for &(a, b) in &[
            (3.0, 4.0),
            (-3.0, 4.0),
            (1e300, 1e300),
            (1e-300, 2e-300),
            (0.0, -2.0),
            (5.0, 0.0),
        ] {
            let (r, z, c, s) = rotg_real::<f64>(a, b);
            // [c s; -s c]·[a; b] = [r; 0]
            assert!((c * a + s * b - r).abs() <= 1e-15 * r.abs(), "{a} {b}");
            assert!(
                (-s * a + c * b).abs() <= 1e-15 * r.abs().max(1e-300),
                "{a} {b}"
            );
            assert!((c * c + s * s - 1.0).abs() < 1e-15);
            // z gives back c and s as the reference documents.
            let (c2, s2) = if z.abs() < 1.0 {
                ((1.0 - z * z).sqrt(), z)
            } else if z.abs() > 1.0 {
                (1.0 / z, (1.0 - 1.0 / (z * z)).sqrt())
            } else {
                (0.0, 1.0)
            };
            if b != 0.0 {
                assert!((c2.abs() - c.abs()).abs() < 1e-12 && (s2.abs() - s.abs()).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn complex_rotation_zeroes_g() {
        let cases = [
            (c64::new(3.0, -1.0), c64::new(0.5, 2.0)),
            (c64::new(0.0, 0.0), c64::new(0.5, 2.0)),
            (c64::new(1e200, 1e200), c64::new(-3e199, 1e200)),
            (c64::new(1e-200, 0.0), c64::new(3e-170, 1e-170)),
        ];
        for (f, g) in cases {
            let (r, c, s) = rotg_complex(f, g);
            // [c s; -conj(s) c]·[f; g] = [r; 0]
            let top = f * c + s * g;
            let bottom = -s.conj() * f + g * c;
            let scale = r.norm();
            assert!((top - r).norm() <= 1e-14 * scale, "{f} {g}: {top} vs {r}");
            assert!(bottom.norm() <= 1e-14 * scale, "{f} {g}: {bottom}");
            assert!((c * c + s.norm_sqr() - 1.0).abs() < 1e-14);
        }
    }

    #[test]
    fn modified_rotation_zeroes_the_second_component() {
        for &(d1, d2, x1, y1) in &[
            (2.0, 3.0, 1.5, -0.5),
            (1.0, 1.0, 0.1, 4.0),
            (1e-9, 1.0, 3.0, 2.0),
            (1e9, 2.0, 1e-3, 1.0),
        ] {
            let (mut e1, mut e2, mut x) = (d1, d2, x1);
            let (param, _) = rotmg::<f64>(&mut e1, &mut e2, &mut x, y1);
            let (mut xs, mut ys) = ([x1], [y1]);
            rotm(VecMut::of(&mut xs), VecMut::of(&mut ys), param);
            // H·[x1; y1] = [x1'; 0], and the weighted norms agree.
            assert!(ys[0].abs() <= 1e-12 * x1.abs().max(y1.abs()), "{param:?}");
            assert!((xs[0] - x).abs() <= 1e-12 * x.abs());
            let before = d1 * x1 * x1 + d2 * y1 * y1;
            let after = e1 * x * x;
            assert!((before - after).abs() <= 1e-12 * before, "{before} {after}");
        }
    }
}
