//! The elementwise functions, written once over [`Simd`]. Each stays within 1 ulp of
//! the correctly rounded result in every instruction-set build (tested against MPFR)
//! and gives IEEE 754's special values.

use super::simd::Simd;

const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split so that k·LN2_HI is exact for |k| < 2²¹ (fdlibm's constants, by bits).
const LN2_HI: f64 = f64::from_bits(0x3fe62e42fee00000);
const LN2_LO: f64 = f64::from_bits(0x3dea39ef35793c76);

/// Taylor coefficients 1/j! for j = 2..=13: e^r − 1 − r = r²·q(r) on |r| ≤ ln2/2.
const EXP_Q: [f64; 12] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362880.0,
    1.0 / 3628800.0,
    1.0 / 39916800.0,
    1.0 / 479001600.0,
    1.0 / 6227020800.0,
];

/// x − k·ln 2 for k = round(x / ln 2) as (k, r, δ): r + δ is x − k·ln 2 to twice
/// the working precision, |r| ≤ ln2/2 (Cody–Waite; δ is the rounding of the last step,
/// which would otherwise cost up to a quarter ulp in the result).
#[inline(always)]
fn reduce_ln2<S: Simd>(x: S::V) -> (S::V, S::V, S::V) {
    let k = S::round(S::mul(x, S::splat(LOG2E)));
    let r1 = S::fma(k, S::splat(-LN2_HI), x);
    let r = S::fma(k, S::splat(-LN2_LO), r1);
    let delta = S::fma(k, S::splat(-LN2_LO), S::sub(r1, r));
    (k, r, delta)
}

/// q(r) with e^r = 1 + r + r²·q(r).
#[inline(always)]
fn exp_tail<S: Simd>(r: S::V) -> S::V {
    let mut q = S::splat(EXP_Q[11]);
    for &c in EXP_Q[..11].iter().rev() {
        q = S::fma(q, r, S::splat(c));
    }
    q
}

/// 2^(j/16) for j < 16 as hi + lo (hi rounded to f64, lo the remainder; computed to
/// 60 digits).
const EXP2_16_HI: [f64; 16] = [
    f64::from_bits(0x3ff0000000000000),
    f64::from_bits(0x3ff0b5586cf9890f),
    f64::from_bits(0x3ff172b83c7d517b),
    f64::from_bits(0x3ff2387a6e756238),
    f64::from_bits(0x3ff306fe0a31b715),
    f64::from_bits(0x3ff3dea64c123422),
    f64::from_bits(0x3ff4bfdad5362a27),
    f64::from_bits(0x3ff5ab07dd485429),
    f64::from_bits(0x3ff6a09e667f3bcd),
    f64::from_bits(0x3ff7a11473eb0187),
    f64::from_bits(0x3ff8ace5422aa0db),
    f64::from_bits(0x3ff9c49182a3f090),
    f64::from_bits(0x3ffae89f995ad3ad),
    f64::from_bits(0x3ffc199bdd85529c),
    f64::from_bits(0x3ffd5818dcfba487),
    f64::from_bits(0x3ffea4afa2a490da),
];
const EXP2_16_LO: [f64; 16] = [
    f64::from_bits(0x0000000000000000),
    f64::from_bits(0x3c98a62e4adc610b),
    f64::from_bits(0xbc819041b9d78a76),
    f64::from_bits(0x3c99b07eb6c70573),
    f64::from_bits(0x3c86f46ad23182e4),
    f64::from_bits(0x3c8ada0911f09ebc),
    f64::from_bits(0x3c7d4397afec42e2),
    f64::from_bits(0x3c96324c054647ad),
    f64::from_bits(0xbc9bdd3413b26456),
    f64::from_bits(0xbc841577ee04992f),
    f64::from_bits(0x3c96e9f156864b27),
    f64::from_bits(0x3c7c7c46b071f2be),
    f64::from_bits(0x3c97a1cd345dcc81),
    f64::from_bits(0x3c811065895048dd),
    f64::from_bits(0x3c82ed02d75b3707),
    f64::from_bits(0xbc9e9c23179c2893),
];
/// ln 2 / 16 split for Cody–Waite (the high part has 32 significant bits, so k·HI is
/// exact for the |k| < 2^15 of the fast path).
const LN2_16_HI: f64 = f64::from_bits(0x3fa62e4200000000);
const LN2_16_LO: f64 = f64::from_bits(0x3e5fdf473de6af28);
/// 2^52 + 2^51: added to a small f64, it leaves the rounded integer in the low bits.
const SHIFTER: f64 = 6755399441055744.0;

/// q(r) with e^r = 1 + r + r²·q(r) on the fast path's |r| ≤ ln2/32 (and a little more,
/// for the rounded reduction): a least-squares fit on Chebyshev nodes, within 2^-56 of
/// the exact q·r², one coefficient fewer than Taylor's series needs.
const EXP_Q16: [f64; 5] = [
    f64::from_bits(0x3fe0000000000004),
    f64::from_bits(0x3fc5555555488745),
    f64::from_bits(0x3fa5555555479d1f),
    f64::from_bits(0x3f811123f4ad1349),
    f64::from_bits(0x3f56c1845ff6e5d4),
];

/// e^x: x = (16m + j)·ln2/16 + r with |r| ≤ ln2/32, e^x = 2^m · 2^(j/16) · e^r: the
/// table entry by one in-register permute, a degree-7 polynomial for e^r − 1, and 2^m
/// added to the exponent field straight from the rounded index's bits.
#[inline(always)]
pub fn exp<S: Simd>(x: S::V) -> S::V {
    let inside = S::lt(S::and_bits(x, 0x7fff_ffff_ffff_ffff), S::splat(708.0));
    if !S::all(inside) {
        return exp_wide::<S>(x);
    }
    let z = S::fma(
        x,
        S::splat(16.0 / std::f64::consts::LN_2),
        S::splat(SHIFTER),
    );
    let k = S::sub(z, S::splat(SHIFTER));
    let r = S::fma(k, S::splat(-LN2_16_HI), x);
    let r = S::fma(k, S::splat(-LN2_16_LO), r);
    let mut q = S::splat(EXP_Q16[4]);
    for &c in EXP_Q16[..4].iter().rev() {
        q = S::fma(q, r, S::splat(c));
    }
    let p = S::fma(S::mul(r, r), q, r);
    let (hi, lo) = (S::table16(&EXP2_16_HI, z), S::table16(&EXP2_16_LO, z));
    // y ∈ (0.97, 2.1) and |x| < 708 keep y·2^m normal (m = −1022 only with j ≥ 9).
    S::scale_by_index(S::add(hi, S::fma(hi, p, lo)), z)
}

/// e^x on the whole range, one reduction by ln 2: the path for vectors with a lane
/// near or past the ends of the range (or NaN).
#[inline(always)]
fn exp_wide<S: Simd>(x: S::V) -> S::V {
    let (k, r, delta) = reduce_ln2::<S>(x);
    let r2 = S::mul(r, r);
    let tail = S::fma(r2, exp_tail::<S>(r), delta);
    let p = S::add(S::splat(1.0), S::add(r, tail));
    // Scale by 2^k in two exact steps where 2^k alone is not a normal number: past the
    // top (k = 1024) and into the subnormal range (one rounding, at the last step).
    let zero = S::splat(0.0);
    let adj = S::select(
        S::lt(k, S::splat(-1021.0)),
        S::splat(-1000.0),
        S::select(S::gt(k, S::splat(1023.0)), S::splat(1.0), zero),
    );
    let y = S::mul(S::mul(p, S::pow2i(S::sub(k, adj))), S::pow2i(adj));
    let y = S::select(S::gt(x, S::splat(709.79)), S::splat(f64::INFINITY), y);
    let y = S::select(S::lt(x, S::splat(-746.0)), zero, y);
    S::select(S::is_nan(x), S::add(x, x), y)
}

/// e^x − 1, accurate near 0: the reduced e^r − 1 = r + r²·q(r) is kept as an
/// unevaluated sum, scaled by 2^k exactly and added to 2^k − 1 with an exact two-sum.
#[inline(always)]
pub fn expm1<S: Simd>(x: S::V) -> S::V {
    let (k, r, delta) = reduce_ln2::<S>(x);
    // e^r − 1 = r + r²/2 + r³·q₃(r) to twice the working precision: r²/2 exactly as
    // a pair, the cubic tail (≤ 0.007) in working precision.
    let r2 = S::mul(r, r);
    let half = S::splat(0.5);
    let (hh, hl) = (S::mul(half, r2), S::mul(half, S::product_error(r, r, r2)));
    let mut q3 = S::splat(EXP_Q[11]);
    for &c in EXP_Q[1..11].iter().rev() {
        q3 = S::fma(q3, r, S::splat(c));
    }
    let cubic = S::mul(S::mul(r2, r), q3);
    // Fast two-sum r + hh (|r| ≥ r²/2 on this interval).
    let s1 = S::add(r, hh);
    let e1 = S::sub(hh, S::sub(s1, r));
    let low = S::add(S::add(e1, hl), S::add(cubic, delta));
    let hi = S::add(s1, low);
    let lo = S::sub(low, S::sub(hi, s1));
    let t = S::pow2i(k);
    // 2^k − 1 is exact up to k = 52; beyond, the −1 joins the low-order terms.
    let wide = S::gt(k, S::splat(52.0));
    let a = S::select(wide, t, S::sub(t, S::splat(1.0)));
    let extra = S::select(wide, S::splat(-1.0), S::splat(0.0));
    let (b, c) = (S::mul(t, hi), S::mul(t, lo));
    // two-sum a + b = s + err, exactly.
    let s = S::add(a, b);
    let bb = S::sub(s, a);
    let err = S::add(S::sub(a, S::sub(s, bb)), S::sub(b, bb));
    let y = S::add(s, S::add(S::add(err, c), extra));
    // Far out: e^x − 1 rounds to e^x (x > 40) or to −1 (x < −40).
    let y = S::select(S::gt(x, S::splat(40.0)), exp::<S>(x), y);
    let y = S::select(S::lt(x, S::splat(-40.0)), S::splat(-1.0), y);
    // ±0 keeps its sign; NaN stays NaN.
    let y = S::select(S::eq(x, S::splat(0.0)), x, y);
    S::select(S::is_nan(x), S::add(x, x), y)
}

/// fdlibm's log kernel coefficients: log(1+f) = f − f²/2 + s·(f²/2 + R(s²)),
/// s = f/(2+f).
const LG: [f64; 7] = [
    f64::from_bits(0x3fe5555555555593),
    f64::from_bits(0x3fd999999997fa04),
    f64::from_bits(0x3fd2492494229359),
    f64::from_bits(0x3fcc71c51d8e78af),
    f64::from_bits(0x3fc7466496cb03de),
    f64::from_bits(0x3fc39a09d078c69f),
    f64::from_bits(0x3fc2f112df3e5244),
];

/// The pieces of fdlibm's logarithm of u·2^shift (u positive and normal): with
/// u·2^shift = 2^e·m, m in [√2/2, √2), f = m − 1, s = f/(2 + f):
/// log(m) = f − hfsq + s·(hfsq + r).
struct LogParts<V> {
    e: V,
    f: V,
    s: V,
    hfsq: V,
    r: V,
}

#[inline(always)]
fn log_parts<S: Simd>(u: S::V, shift: S::V) -> LogParts<S::V> {
    let (e, m) = S::split_exponent(u);
    let e = S::add(e, shift);
    let f = S::sub(m, S::splat(1.0));
    // s only enters through terms of order f³: a reciprocal to ~2⁻⁵⁰ is plenty.
    let s = S::div_approx(f, S::add(S::splat(2.0), f));
    let z = S::mul(s, s);
    let w = S::mul(z, z);
    let c = |i: usize| S::splat(LG[i]);
    let t1 = S::mul(w, S::fma(S::fma(w, c(5), c(3)), w, c(1)));
    let t2 = S::mul(z, S::fma(S::fma(S::fma(w, c(6), c(4)), w, c(2)), w, c(0)));
    let hfsq = S::mul(S::mul(S::splat(0.5), f), f);
    LogParts {
        e,
        f,
        s,
        hfsq,
        r: S::add(t2, t1),
    }
}

/// ln(u·2^shift) + c, where c is a small correction already divided by u (log1p's
/// rounding of 1 + x).
#[inline(always)]
fn log_kernel<S: Simd>(u: S::V, shift: S::V, c: S::V) -> S::V {
    let LogParts { e, f, s, hfsq, r } = log_parts::<S>(u, shift);
    // The low-order terms fused (they only feed the correction); e·LN2_HI is exact.
    let inner = S::fma(s, S::add(hfsq, r), S::fma(e, S::splat(LN2_LO), c));
    S::fma(e, S::splat(LN2_HI), S::sub(f, S::sub(hfsq, inner)))
}

/// Special values of the logarithms: ln(±0) = −inf, ln(x < 0) = NaN, ln(+inf) = +inf,
/// NaN → NaN.
#[inline(always)]
fn log_specials<S: Simd>(x: S::V, zero_at: f64, y: S::V) -> S::V {
    let at = S::splat(zero_at);
    let y = S::select(S::lt(x, at), S::splat(f64::NAN), y);
    let y = S::select(S::eq(x, at), S::splat(f64::NEG_INFINITY), y);
    let y = S::select(S::eq(x, S::splat(f64::INFINITY)), x, y);
    S::select(S::is_nan(x), S::add(x, x), y)
}

/// Whether every lane is a positive, normal, finite number (no special handling).
#[inline(always)]
fn all_positive_normal<S: Simd>(x: S::V) -> bool {
    let largest_subnormal = f64::from_bits(0x000f_ffff_ffff_ffff);
    S::all(S::gt(x, S::splat(largest_subnormal))) && S::all(S::lt(x, S::splat(f64::INFINITY)))
}

/// The bits of 0.703125: ln's reduction puts z in [0.703125, 1.40625), and 1 in the
/// middle of its sixteenth of that range (the tenth), whose c is exactly 1.
const LN_OFFSET: u64 = 0x3fe6_8000_0000_0000;

/// 1/c for the sixteen c of ln's reduction (the tenth is c = 1), and ln c as a multiple
/// of 2^-43 (so that k·LN2_HI + ln c is exact) plus the rest. Near the centre of each
/// piece, except beside c = 1: there ln z may be smaller than r, whose rounding would
/// then cost up to half an ulp of the result, so 1/c has at most 6 bits (17/16, 33/32,
/// 15/16) and z·(1/c) − 1 is exact. From `scripts/vml-ln-table.py`.
const LN_INVC: [f64; 16] = [
    f64::from_bits(0x3ff642c8590b2164),
    f64::from_bits(0x3ff5555555555555),
    f64::from_bits(0x3ff47ae147ae147b),
    f64::from_bits(0x3ff3b13b13b13b14),
    f64::from_bits(0x3ff2f684bda12f68),
    f64::from_bits(0x3ff2492492492492),
    f64::from_bits(0x3ff1a7b9611a7b96),
    f64::from_bits(0x3ff1000000000000),
    f64::from_bits(0x3ff0800000000000),
    f64::from_bits(0x3ff0000000000000),
    f64::from_bits(0x3fee000000000000),
    f64::from_bits(0x3fec71c71c71c71c),
    f64::from_bits(0x3feaf286bca1af28),
    f64::from_bits(0x3fe999999999999a),
    f64::from_bits(0x3fe8618618618618),
    f64::from_bits(0x3fe745d1745d1746),
];
const LN_LOGC_HI: [f64; 16] = [
    f64::from_bits(0xbfd522ae0738a000),
    f64::from_bits(0xbfd269621134d800),
    f64::from_bits(0xbfcf991c6cb3b000),
    f64::from_bits(0xbfca93ed3c8ae000),
    f64::from_bits(0xbfc5bf406b544000),
    f64::from_bits(0xbfc1178e8227e000),
    f64::from_bits(0xbfb9335e5d594000),
    f64::from_bits(0xbfaf0a30c0118000),
    f64::from_bits(0xbf9f829b0e780000),
    f64::from_bits(0x0000000000000000),
    f64::from_bits(0x3fb08598b59e4000),
    f64::from_bits(0x3fbe27076e2b0000),
    f64::from_bits(0x3fc5ff3070a79000),
    f64::from_bits(0x3fcc8ff7c79aa000),
    f64::from_bits(0x3fd1675cababa800),
    f64::from_bits(0x3fd4618bc21c6000),
];
const LN_LOGC_LO: [f64; 16] = [
    f64::from_bits(0xbd2eba708164c759),
    f64::from_bits(0xbd2c8bc1df5bb3b6),
    f64::from_bits(0xbd1bd1ecca0cdf30),
    f64::from_bits(0x3d286a4350562169),
    f64::from_bits(0x3d128023eb68981c),
    f64::from_bits(0xbd21e778ce2d07f2),
    f64::from_bits(0xbd230f5c3abd47da),
    f64::from_bits(0x3d2d599e83368e91),
    f64::from_bits(0xbd2980267c7e09e4),
    f64::from_bits(0x0000000000000000),
    f64::from_bits(0xbd17e5dd7009902c),
    f64::from_bits(0xbd2a2c2c2af0003c),
    f64::from_bits(0x3d1eae439f105039),
    f64::from_bits(0xbd27814f689f8434),
    f64::from_bits(0xbd1f0fc63382a8f0),
    f64::from_bits(0xbd13e02f484c84cc),
];
/// ln(1 + r) = r + r²·P(r) on the reduced range r ∈ [−0.0333, 0.0313]: a least-squares
/// fit on Chebyshev nodes weighted by |r|, whose error is below 2^-59.8·|r|.
const LN_P: [f64; 9] = [
    -0.5,
    0.3333333333333261,
    -0.24999999999964118,
    0.2000000000672806,
    -0.16666666815029088,
    0.14285694653872882,
    -0.12499773169641828,
    0.11133819823938443,
    -0.10121669866158159,
];

/// ln(u·2^shift) for positive normal u, by a table (glibc's method with sixteen
/// pieces, read by in-register permutes): u = 2^k·z, r = z/c − 1 by one fused step,
/// ln u = k·ln 2 + ln c + ln(1 + r). The leading sum is carried exactly and its
/// rounding error joins the low part, so the roundings that matter are r's (at most a
/// quarter ulp of the result, none beside c = 1) and the last.
#[inline(always)]
fn ln_table<S: Simd>(u: S::V, shift: S::V) -> S::V {
    let (k, z, index) = S::split_at_offset(u, LN_OFFSET);
    let k = S::add(k, shift);
    let invc = S::table16(&LN_INVC, index);
    let (logc_hi, logc_lo) = (
        S::table16(&LN_LOGC_HI, index),
        S::table16(&LN_LOGC_LO, index),
    );
    // z·invc − 1 rounded once: fused, or (portable build) through the exact product,
    // whose leading part minus 1 is exact (it lies in [0.96, 1.04]).
    let r = if S::FUSED {
        S::fma(z, invc, S::splat(-1.0))
    } else {
        let p = S::mul(z, invc);
        S::add(S::sub(p, S::splat(1.0)), S::product_error(z, invc, p))
    };
    // k·LN2_HI + ln c's leading part is exact (both lie on the 2^-43 grid, below
    // 2^10). Adding r is a fast two-sum: |k·ln 2 + ln c| > |r| unless both are 0.
    let hi = S::fma(k, S::splat(LN2_HI), logc_hi);
    let t = S::add(hi, r);
    let e2 = S::add(S::sub(hi, t), r);
    let mut p = S::splat(LN_P[8]);
    for &c in LN_P[..8].iter().rev() {
        p = S::fma(p, r, S::splat(c));
    }
    let low = S::fma(k, S::splat(LN2_LO), S::add(e2, logc_lo));
    S::add(t, S::fma(S::mul(r, r), p, low))
}

/// ln x.
#[inline(always)]
pub fn ln<S: Simd>(x: S::V) -> S::V {
    if all_positive_normal::<S>(x) {
        return ln_table::<S>(x, S::splat(0.0));
    }
    // Subnormals: scale into the normal range first.
    let tiny = S::lt(x, S::splat(f64::MIN_POSITIVE));
    let u = S::select(tiny, S::mul(x, S::splat(18014398509481984.0)), x); // 2^54
    let shift = S::select(tiny, S::splat(-54.0), S::splat(0.0));
    // Lanes that are not positive numbers still go through (their bits are harmless
    // there) and are replaced below.
    let y = ln_table::<S>(u, shift);
    log_specials::<S>(x, 0.0, y)
}

/// 1/ln 10 and log10(2), each split so the leading part has trailing zeros (musl's
/// constants): the products with short operands are exact.
const IVLN10_HI: f64 = f64::from_bits(0x3fdbcb7b15200000);
const IVLN10_LO: f64 = f64::from_bits(0x3dbb9438ca9aadd5);
const LOG10_2_HI: f64 = f64::from_bits(0x3fd34413509f6000);
const LOG10_2_LO: f64 = f64::from_bits(0x3d59fef311f12b36);

/// log10 x: log(m) is carried as hi + lo with hi cut to 21 bits, so that
/// hi·IVLN10_HI is exact and every rounding error lands in the low part (musl's
/// method).
#[inline(always)]
pub fn log10<S: Simd>(x: S::V) -> S::V {
    let tiny = S::lt(x, S::splat(f64::MIN_POSITIVE));
    let u = S::select(tiny, S::mul(x, S::splat(18014398509481984.0)), x); // 2^54
    let shift = S::select(tiny, S::splat(-54.0), S::splat(0.0));
    let LogParts { e, f, s, hfsq, r } = log_parts::<S>(u, shift);
    let y = log10_combine::<S>(e, f, s, hfsq, r);
    if all_positive_normal::<S>(x) {
        return y;
    }
    log_specials::<S>(x, 0.0, y)
}

#[inline(always)]
fn log10_combine<S: Simd>(e: S::V, f: S::V, s: S::V, hfsq: S::V, r: S::V) -> S::V {
    let hi = S::and_bits(S::sub(f, hfsq), 0xffff_ffff_0000_0000);
    let lo = S::add(S::sub(S::sub(f, hi), hfsq), S::mul(s, S::add(hfsq, r)));
    let val_hi = S::mul(hi, S::splat(IVLN10_HI));
    let y = S::mul(e, S::splat(LOG10_2_HI));
    let val_lo = S::add(
        S::add(
            S::mul(e, S::splat(LOG10_2_LO)),
            S::mul(S::add(lo, hi), S::splat(IVLN10_LO)),
        ),
        S::mul(lo, S::splat(IVLN10_HI)),
    );
    let w = S::add(y, val_hi);
    let val_lo = S::add(val_lo, S::add(S::sub(y, w), val_hi));
    S::add(val_lo, w)
}

/// ln(1 + x), accurate near 0: 1 + x is formed with its exact rounding error, which
/// enters the logarithm as a first-order correction.
#[inline(always)]
pub fn log1p<S: Simd>(x: S::V) -> S::V {
    let one = S::splat(1.0);
    let u = S::add(one, x);
    let bb = S::sub(u, one);
    let err = S::add(S::sub(one, S::sub(u, bb)), S::sub(x, bb));
    let safe_u = S::select(S::gt(u, S::splat(0.0)), u, one);
    let y = log_kernel::<S>(safe_u, S::splat(0.0), S::div(err, safe_u));
    let y = S::select(S::eq(x, S::splat(0.0)), x, y);
    log_specials::<S>(x, -1.0, y)
}

/// √x (IEEE 754: correctly rounded, √−0 = −0).
#[inline(always)]
pub fn sqrt<S: Simd>(x: S::V) -> S::V {
    S::sqrt(x)
}

/// x² (one rounding).
#[inline(always)]
pub fn sqr<S: Simd>(x: S::V) -> S::V {
    S::mul(x, x)
}
