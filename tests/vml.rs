//! The vector math functions against MPFR (correctly rounded references through the
//! `rug` crate) on every instruction-set path this CPU has, plus the MKL VM ABI:
//! special values, every lane position and tail length, in place, strided, bad
//! arguments, thread-count invariance.

mod common;
use common::*;
use oxblas::runtime::Team;
use oxblas::vml::{self, Func, Path, Strided};
use rug::Float;
use rug::float::Round;

fn paths() -> Vec<Path> {
    let all = [
        Path::Avx512,
        Path::Avx512Reciprocal,
        Path::Avx2,
        Path::Generic,
    ];
    let have: Vec<Path> = all.into_iter().filter(|p| p.available()).collect();
    // This project's machines have AVX-512: a missing path would silently skip tests.
    #[cfg(target_arch = "x86_64")]
    assert_eq!(have.len(), 4, "every vector path should be testable here");
    have
}

/// `func` over `x` on one path and thread.
fn eval(path: Path, func: Func, x: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; x.len()];
    unsafe {
        vml::apply(
            path,
            func,
            x.len(),
            Strided {
                ptr: x.as_ptr(),
                inc: 1,
            },
            Strided {
                ptr: y.as_mut_ptr(),
                inc: 1,
            },
            1,
            |_, job| job(&Team::solo()),
        )
    };
    y
}

/// The function's value to 200 bits (for ulp purposes, exact).
fn exact(func: Func, x: f64) -> Float {
    let v = Float::with_val(200, x);
    match func {
        Func::Exp => v.exp(),
        Func::Ln => v.ln(),
        Func::Log10 => v.log10(),
        Func::Sqrt => v.sqrt(),
        Func::Sqr => v.square(),
        Func::Expm1 => v.exp_m1(),
        Func::Log1p => v.ln_1p(),
    }
}

/// Error of `got` in units of the last place of f64 at the exact value `want` (0 when
/// `got` is the correctly rounded result of a special case: NaN, ±inf, overflow).
fn ulps(got: f64, want: &Float) -> f64 {
    let rounded = want.to_f64_round(Round::Nearest);
    if got.to_bits() == rounded.to_bits() || (got.is_nan() && rounded.is_nan()) {
        return if rounded.is_finite() {
            ulps_finite(got, want)
        } else {
            0.0
        };
    }
    if !got.is_finite() || !rounded.is_finite() {
        return f64::INFINITY;
    }
    ulps_finite(got, want)
}

fn ulps_finite(got: f64, want: &Float) -> f64 {
    // 2^(e − 52) for the binade e of want rounded, subnormals included, from bits.
    let biased = (want.to_f64_round(Round::Zero).abs().to_bits() >> 52) as i64;
    let ulp = if biased <= 53 {
        f64::from_bits(1u64 << (biased - 1).max(0))
    } else {
        f64::from_bits(((biased - 52) as u64) << 52)
    };
    // In high precision: the difference itself may be below f64's smallest subnormal.
    let diff = (Float::with_val(200, got) - want) / Float::with_val(200, ulp);
    diff.to_f64().abs()
}

/// Dense sweeps of each function's domain: uniform pieces, every binade by random
/// bits, the neighbourhoods of 0, 1, the range ends and the subnormals.
fn inputs(func: Func, rng: &mut Rng) -> Vec<f64> {
    let mut x = Vec::new();
    let uniform = |rng: &mut Rng, lo: f64, hi: f64, n: usize| -> Vec<f64> {
        (0..n)
            .map(|_| lo + (hi - lo) * rng.f64().abs().fract())
            .collect()
    };
    let binades = |rng: &mut Rng, n: usize| -> Vec<f64> {
        (0..n)
            .map(|_| f64::from_bits(rng.next_u64() >> 1))
            .filter(|v| v.is_finite())
            .collect()
    };
    let tiny: Vec<f64> = (0..2000)
        .flat_map(|i| {
            [
                2f64.powi(-(i % 1074) - 1),
                -(2f64.powi(-(i % 60) - 20)) * 1.37,
            ]
        })
        .collect();
    match func {
        Func::Exp => {
            x.extend(uniform(rng, -745.2, 709.8, 60000));
            x.extend(uniform(rng, -1.0, 1.0, 20000));
            x.extend(uniform(rng, -745.2, -708.0, 20000)); // subnormal results
            x.extend(uniform(rng, 700.0, 709.79, 5000));
            x.extend(&tiny);
        }
        Func::Expm1 => {
            x.extend(uniform(rng, -45.0, 45.0, 60000));
            x.extend(uniform(rng, -0.4, 0.4, 30000));
            x.extend(uniform(rng, 700.0, 709.79, 3000));
            x.extend(&tiny);
        }
        Func::Ln | Func::Log10 | Func::Sqrt => {
            x.extend(binades(rng, 60000).into_iter().map(f64::abs));
            x.extend(uniform(rng, 0.5, 2.0, 40000));
            x.extend(uniform(rng, 0.99, 1.01, 10000));
            x.extend(tiny.iter().map(|v| v.abs()));
            x.extend((0..300).map(|k| 10f64.powi(k - 150)));
        }
        Func::Log1p => {
            x.extend(uniform(rng, -1.0, 1.0, 40000));
            x.extend(binades(rng, 40000).into_iter().map(f64::abs));
            x.extend(uniform(rng, -0.3, 0.42, 20000));
            x.extend(&tiny);
        }
        Func::Sqr => {
            x.extend(binades(rng, 40000).into_iter().map(|v| v * 2f64.powi(-500)));
            x.extend(uniform(rng, -1e150, 1e150, 20000));
            x.extend(&tiny);
        }
    }
    x.retain(|v| v.is_finite());
    x
}

#[test]
fn within_one_ulp_of_mpfr_on_every_path() {
    let mut rng = Rng::new(61);
    for func in Func::ALL {
        let x = inputs(func, &mut rng);
        let want: Vec<Float> = x.iter().map(|&v| exact(func, v)).collect();
        for path in paths() {
            let got = eval(path, func, &x);
            let (worst, at) = got
                .iter()
                .zip(&want)
                .zip(&x)
                .map(|((g, w), v)| (ulps(*g, w), *v))
                .fold((0.0f64, 0.0), |a, b| if b.0 > a.0 { b } else { a });
            // Correct rounding is within 0.5 ulp of the exact value.
            let bound = if matches!(func, Func::Sqrt | Func::Sqr) {
                0.5
            } else {
                1.0
            };
            assert!(
                worst <= bound,
                "{func:?} on {path:?}: {worst:.3} ulp at x = {at:e} ({} inputs)",
                x.len()
            );
            eprintln!(
                "{func:?} {path:?}: max {worst:.3} ulp at x = {at:e} over {} inputs",
                x.len()
            );
        }
    }
}

/// Square roots bit for bit as IEEE 754's correctly rounded `sqrt` on every path (the
/// AVX-512 paths may estimate and then round exactly), on random bits over the whole
/// range, the squares of random doubles (exact roots) and their neighbours, and the
/// products of neighbouring doubles (roots a hair from a midpoint, where only an exact
/// rounding test gets them right).
#[test]
fn sqrt_is_correctly_rounded_on_every_path() {
    let mut rng = Rng::new(7);
    let mut x: Vec<f64> = (0..200_000)
        .map(|_| f64::from_bits(rng.next_u64() >> 1))
        .filter(|v| v.is_finite())
        .collect();
    for _ in 0..100_000 {
        let m = 1.0 + rng.f64().abs().fract();
        let e = (rng.next_u64() % 1000) as i32 - 500;
        let sq = (m * 2f64.powi(e)).powi(2);
        let bits = sq.to_bits();
        x.extend([sq, f64::from_bits(bits + 1), f64::from_bits(bits - 1)]);
    }
    // The hardest: a = y·y⁺ exactly (y and its upper neighbour y⁺), whose root lies
    // 2^-107 relative below the midpoint of y and y⁺: y = 2^e and y = 2^e·(2 − 2^-52).
    for e in -480..480 {
        let scale = 4f64.powi(e);
        for a in [
            scale * (1.0 + f64::EPSILON),
            scale * (4.0 - 2.0 * f64::EPSILON),
        ] {
            x.extend([
                a,
                f64::from_bits(a.to_bits() + 1),
                f64::from_bits(a.to_bits() - 1),
            ]);
        }
    }
    for path in paths() {
        let got = eval(path, Func::Sqrt, &x);
        for (g, v) in got.iter().zip(&x) {
            assert_eq!(g.to_bits(), v.sqrt().to_bits(), "{path:?}: sqrt({v:e})");
        }
    }
}

#[test]
fn special_values_as_ieee_and_mkl() {
    let (inf, nan) = (f64::INFINITY, f64::NAN);
    #[rustfmt::skip]
    let table: &[(Func, f64, f64)] = &[
        (Func::Exp, nan, nan), (Func::Exp, inf, inf), (Func::Exp, -inf, 0.0),
        (Func::Exp, 709.8, inf), (Func::Exp, 1000.0, inf), (Func::Exp, -746.0, 0.0),
        (Func::Exp, 0.0, 1.0), (Func::Exp, -0.0, 1.0),
        (Func::Ln, 0.0, -inf), (Func::Ln, -0.0, -inf), (Func::Ln, -1.0, nan), (Func::Ln, -inf, nan),
        (Func::Ln, inf, inf), (Func::Ln, nan, nan), (Func::Ln, 1.0, 0.0),
        (Func::Log10, 0.0, -inf), (Func::Log10, -2.0, nan), (Func::Log10, inf, inf), (Func::Log10, 1.0, 0.0),
        (Func::Log10, 10.0, 1.0), (Func::Log10, 1000.0, 3.0), (Func::Log10, 1e-5, -5.0),
        (Func::Sqrt, -0.0, -0.0), (Func::Sqrt, 0.0, 0.0), (Func::Sqrt, -1.0, nan), (Func::Sqrt, inf, inf), (Func::Sqrt, 4.0, 2.0),
        (Func::Sqr, -3.0, 9.0), (Func::Sqr, 1e200, inf), (Func::Sqr, nan, nan),
        (Func::Expm1, 0.0, 0.0), (Func::Expm1, -0.0, -0.0), (Func::Expm1, inf, inf), (Func::Expm1, -inf, -1.0),
        (Func::Expm1, 710.0, inf), (Func::Expm1, -50.0, -1.0), (Func::Expm1, nan, nan),
        (Func::Log1p, 0.0, 0.0), (Func::Log1p, -0.0, -0.0), (Func::Log1p, -1.0, -inf), (Func::Log1p, -2.0, nan),
        (Func::Log1p, inf, inf), (Func::Log1p, nan, nan), (Func::Log1p, -inf, nan),
    ];
    for path in paths() {
        for &(func, x, want) in table {
            let got = eval(path, func, &[x])[0];
            let same = got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan());
            assert!(same, "{func:?}({x:e}) on {path:?}: {got:e}, want {want:e}");
        }
    }
}

#[test]
fn every_lane_position_and_tail_length_gives_the_same_bits() {
    let mut rng = Rng::new(62);
    let x: Vec<f64> = (0..64).map(|_| rng.f64() * 20.0 - 5.0).collect();
    for path in paths() {
        for func in Func::ALL {
            let one_by_one: Vec<u64> = x
                .iter()
                .map(|&v| eval(path, func, &[v])[0].to_bits())
                .collect();
            for start in 0..9 {
                for len in 0..=(x.len() - start).min(25) {
                    let got = eval(path, func, &x[start..start + len]);
                    let bits: Vec<u64> = got.iter().map(|v| v.to_bits()).collect();
                    assert_eq!(
                        bits,
                        one_by_one[start..start + len],
                        "{func:?} {path:?} start {start} len {len}"
                    );
                }
            }
        }
    }
}

#[test]
fn abi_in_place_strided_64bit_and_modes() {
    let mut rng = Rng::new(63);
    let n = 1000;
    let x: Vec<f64> = (0..n).map(|_| rng.f64().abs() * 10.0 + 0.01).collect();
    let mut y = vec![0.0; n];
    unsafe { vdLn(n as i32, x.as_ptr(), y.as_mut_ptr()) };
    // In place.
    let mut z = x.clone();
    unsafe { vdLn(n as i32, z.as_ptr(), z.as_mut_ptr()) };
    assert_eq!(z, y);
    // Mode variant (any accuracy) and ILP64.
    let mut w = vec![0.0; n];
    unsafe { vmdLn(n as i32, x.as_ptr(), w.as_mut_ptr(), 0x1) };
    assert_eq!(w, y);
    let mut e1 = vec![0.0; n];
    let mut e2 = vec![0.0; n];
    unsafe { vdExp(n as i32, y.as_ptr(), e1.as_mut_ptr()) };
    unsafe { vdExp_64(n as i64, y.as_ptr(), e2.as_mut_ptr()) };
    assert_eq!(e1, e2);
    // Strided: every 3rd input into every 2nd output, gaps untouched.
    let m = n / 3;
    let mut out = vec![-7.0; 2 * m];
    unsafe { vdLog10I(m as i32, x.as_ptr(), 3, out.as_mut_ptr(), 2) };
    for i in 0..m {
        assert_eq!(out[2 * i], eval(Path::Avx512, Func::Log10, &[x[3 * i]])[0]);
        assert_eq!(out[2 * i + 1], -7.0);
    }
    let mut out = vec![-7.0; 2 * m];
    unsafe { vmdLog1pI_64(m as i64, x.as_ptr(), 3, out.as_mut_ptr(), 2, 0x2) };
    assert_eq!(out[2], eval(Path::Avx512, Func::Log1p, &[x[3]])[0]);
    // vmlSetMode returns the previous mode; MKL's default is HA with default errors.
    unsafe {
        let default = vmlGetMode();
        assert_eq!(default & 0xF, 0x2);
        assert_eq!(vmlSetMode(0x1), default);
        assert_eq!(vmlGetMode(), 0x1);
        vmlSetMode(default);
    }
}

#[test]
fn bad_arguments_are_reported_and_touch_nothing() {
    let x = [1.0, 2.0, 3.0];
    let mut y = [9.0; 3];
    unsafe {
        vmlClearErrStatus();
        vdSqrt(0, x.as_ptr(), y.as_mut_ptr());
        assert_eq!((vmlGetErrStatus(), y), (0, [9.0; 3]));
        vdSqrt(-2, x.as_ptr(), y.as_mut_ptr());
        assert_eq!((vmlGetErrStatus(), y), (-1, [9.0; 3]));
        vdSqrt(3, std::ptr::null(), y.as_mut_ptr());
        assert_eq!((vmlGetErrStatus(), y), (-2, [9.0; 3]));
        vdSqrt(3, x.as_ptr(), std::ptr::null_mut());
        assert_eq!(vmlGetErrStatus(), -2);
        vdLog10I(3, x.as_ptr(), 0, y.as_mut_ptr(), 1);
        assert_eq!((vmlGetErrStatus(), y), (-1, [9.0; 3]));
        vdSqrt(3, x.as_ptr(), y.as_mut_ptr());
        assert_eq!(vmlGetErrStatus(), 0);
        assert_eq!(y[2], 3f64.sqrt());
    }
}

#[test]
fn identical_for_every_thread_count() {
    let _g = THREADS.lock().unwrap();
    let mut rng = Rng::new(64);
    let n = 300_001;
    let x: Vec<f64> = (0..n).map(|_| rng.f64() * 30.0).collect();
    let mut runs = Vec::new();
    for team in TEAMS {
        team.set();
        let mut y = vec![0.0; n];
        unsafe { vdExp(n as i32, x.as_ptr(), y.as_mut_ptr()) };
        runs.push(y.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
    }
    TeamCase::reset();
    assert!(runs.iter().all(|r| r == &runs[0]));
    assert_eq!(
        runs[0][n - 1],
        eval(Path::Avx512, Func::Exp, &[x[n - 1]])[0].to_bits()
    );
}

#[test]
fn streaming_stores_for_large_calls_give_the_same_bits() {
    let mut rng = Rng::new(65);
    let n = vml::STREAM_MIN + 1001;
    let x: Vec<f64> = (0..n + 8).map(|_| rng.f64() * 40.0).collect();
    for path in paths() {
        // Misaligned input and output starts.
        let mut y = vec![0.0; n + 8];
        unsafe {
            vml::apply(
                path,
                Func::Exp,
                n,
                Strided {
                    ptr: x.as_ptr().add(3),
                    inc: 1,
                },
                Strided {
                    ptr: y.as_mut_ptr().add(5),
                    inc: 1,
                },
                1,
                |_, job| job(&Team::solo()),
            )
        };
        let chunked: Vec<f64> = x[3..3 + n]
            .chunks(4096)
            .flat_map(|c| eval(path, Func::Exp, c))
            .collect();
        assert!(
            y[5..5 + n]
                .iter()
                .zip(&chunked)
                .all(|(a, b)| a.to_bits() == b.to_bits()),
            "{path:?}: streamed results differ"
        );
        assert_eq!((y[4], y[5 + n]), (0.0, 0.0), "{path:?}: wrote outside y");
    }
}
