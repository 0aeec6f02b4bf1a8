//! The few vector operations the elementwise functions need, behind one trait so each
//! function is written once and instantiated per instruction set: AVX-512 (8 lanes),
//! AVX2 + FMA (4 lanes) and a portable one-lane version.
//!
//! Every method is `#[inline(always)]`: instantiated inside a `#[target_feature]`
//! function, the whole algorithm is compiled for that instruction set.

/// A vector of f64 lanes and its comparison mask.
pub trait Simd: Copy {
    const LANES: usize;
    /// Whether [`Simd::fma`] rounds once (a hardware FMA).
    const FUSED: bool;
    type V: Copy;
    type M: Copy;

    /// # Safety
    /// `p` is valid for reading `LANES` f64.
    unsafe fn load(p: *const f64) -> Self::V;
    /// # Safety
    /// `p` is valid for writing `LANES` f64.
    unsafe fn store(p: *mut f64, v: Self::V);
    /// A store that bypasses the caches (no read-for-ownership of the destination).
    ///
    /// # Safety
    /// As [`Simd::store`], and `p` is aligned to `LANES` f64.
    unsafe fn store_stream(p: *mut f64, v: Self::V);
    /// Orders earlier streaming stores before whatever follows.
    fn stream_fence();
    /// A hint to bring the cache line holding `p` into L1; never faults, whatever `p`.
    fn prefetch(p: *const f64);
    fn splat(x: f64) -> Self::V;
    fn add(a: Self::V, b: Self::V) -> Self::V;
    fn sub(a: Self::V, b: Self::V) -> Self::V;
    fn mul(a: Self::V, b: Self::V) -> Self::V;
    fn div(a: Self::V, b: Self::V) -> Self::V;
    /// `a / b` to about 2⁻⁵⁰ relative accuracy (not necessarily correctly rounded), for
    /// positive `b` in a modest range: a reciprocal estimate where that beats the
    /// divider, else the division.
    fn div_approx(a: Self::V, b: Self::V) -> Self::V;
    /// `a·b + c`, fused where the instruction set has FMA.
    fn fma(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    fn sqrt(a: Self::V) -> Self::V;
    /// `a·b − p` exactly, for p = a·b rounded (the rounding error of a product).
    fn product_error(a: Self::V, b: Self::V, p: Self::V) -> Self::V;
    /// Round to nearest integer (ties to even), as f64.
    fn round(a: Self::V) -> Self::V;
    /// Round toward −∞, as f64.
    fn floor(a: Self::V) -> Self::V;
    /// `table[i]` per lane, i = the low 4 bits of the lane's bit pattern.
    fn table16(table: &[f64; 16], index_bits: Self::V) -> Self::V;
    /// `y·2^⌊N/16⌋` where `z`'s bits are those of `SHIFTER + N` (2^52 + 2^51 + N, N's
    /// two's complement in the low bits), by an integer add to y's exponent field: y
    /// and the result must be normal numbers.
    fn scale_by_index(y: Self::V, z: Self::V) -> Self::V;
    fn lt(a: Self::V, b: Self::V) -> Self::M;
    fn gt(a: Self::V, b: Self::V) -> Self::M;
    fn eq(a: Self::V, b: Self::V) -> Self::M;
    /// Lanes that are NaN.
    fn is_nan(a: Self::V) -> Self::M;
    fn all(m: Self::M) -> bool;
    /// `m ? a : b` lane by lane.
    fn select(m: Self::M, a: Self::V, b: Self::V) -> Self::V;
    /// The lanes' bit patterns and-ed with `mask`.
    fn and_bits(a: Self::V, mask: u64) -> Self::V;
    /// `2^k` for integral `k` in [−1022, 1023], built in the exponent field.
    fn pow2i(k: Self::V) -> Self::V;
    /// `a = 2^e·m` with m in [√2/2, √2), e as f64, for positive normal lanes (fdlibm's
    /// trick: offset the bits so the exponent field already counts the halving).
    fn split_exponent(a: Self::V) -> (Self::V, Self::V);
    /// `a = 2^k·z` with z in [o, 2o) for `o` = f64::from_bits(offset) in [0.5, 1), as
    /// (k as f64, z, index), where the low 4 bits of index's lanes number z's sixteenth
    /// of that range (equal steps of the bit pattern: one binade's worth split in 16),
    /// for positive normal lanes. Integer steps only: every bit of z is a's.
    fn split_at_offset(a: Self::V, offset: u64) -> (Self::V, Self::V, Self::V);
}

/// The exponent field's bias moved by 1024 so that the field of `bits − offset` stays
/// positive for every normal input (see [`Simd::split_at_offset`]).
pub const EXPONENT_1024: u64 = 0x400 << 52;

/// Bits 52–63 of a double: the exponent field, and the sign bit above it that carries a
/// negative step in two's complement.
pub const EXPONENT_FIELD: u64 = 0xfff0_0000_0000_0000;

/// ⌊N/16⌋ in the exponent field, for the bits of 2^52 + 2^51 + N: shifted left by 48
/// the constant's bits (lowest at bit 51) leave the word and N's low 4 bits fall below
/// the field, so the field holds ⌊N/16⌋ (two's complement, added mod 2^64).
#[inline(always)]
pub fn exponent_of_index(z_bits: u64) -> u64 {
    (z_bits << 48) & EXPONENT_FIELD
}

/// Added to a positive double's bits, it moves [√2, 2) into the next binade, so the
/// exponent field of the sum is e for m in [√2/2, √2).
pub const SQRT2_OFFSET: u64 = 0x3ff0_0000_0000_0000 - 0x3fe6_a09e_667f_3bcd;
/// √2/2's bits: the significand field plus these is m in [√2/2, √2).
pub const HALF_SQRT2_BITS: u64 = 0x3fe6_a09e_667f_3bcd;

/// The portable version: one lane, plain `f64` arithmetic (`fma` is a multiply and an
/// add: `mul_add` without a target FMA would be a slow library call).
#[derive(Clone, Copy)]
pub struct OneLane;

impl Simd for OneLane {
    const LANES: usize = 1;
    const FUSED: bool = false;
    type V = f64;
    type M = bool;

    #[inline(always)]
    unsafe fn load(p: *const f64) -> f64 {
        // SAFETY: caller's contract.
        unsafe { *p }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f64, v: f64) {
        // SAFETY: caller's contract.
        unsafe { *p = v }
    }
    #[inline(always)]
    unsafe fn store_stream(p: *mut f64, v: f64) {
        // SAFETY: caller's contract.
        unsafe { *p = v }
    }
    #[inline(always)]
    fn stream_fence() {}
    #[inline(always)]
    fn prefetch(_: *const f64) {}
    #[inline(always)]
    fn splat(x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn add(a: f64, b: f64) -> f64 {
        a + b
    }
    #[inline(always)]
    fn sub(a: f64, b: f64) -> f64 {
        a - b
    }
    #[inline(always)]
    fn mul(a: f64, b: f64) -> f64 {
        a * b
    }
    #[inline(always)]
    fn div(a: f64, b: f64) -> f64 {
        a / b
    }
    #[inline(always)]
    fn div_approx(a: f64, b: f64) -> f64 {
        a / b
    }
    #[inline(always)]
    fn fma(a: f64, b: f64, c: f64) -> f64 {
        a * b + c
    }
    #[inline(always)]
    fn sqrt(a: f64) -> f64 {
        a.sqrt()
    }
    #[inline(always)]
    fn product_error(a: f64, b: f64, p: f64) -> f64 {
        // Dekker's product with Veltkamp's split (no FMA here).
        let split = |x: f64| {
            let c = 134_217_729.0 * x; // 2^27 + 1
            let hi = c - (c - x);
            (hi, x - hi)
        };
        let ((ah, al), (bh, bl)) = (split(a), split(b));
        ((ah * bh - p) + ah * bl + al * bh) + al * bl
    }
    #[inline(always)]
    fn round(a: f64) -> f64 {
        a.round_ties_even()
    }
    #[inline(always)]
    fn floor(a: f64) -> f64 {
        a.floor()
    }
    #[inline(always)]
    fn table16(table: &[f64; 16], index_bits: f64) -> f64 {
        table[(index_bits.to_bits() & 15) as usize]
    }
    #[inline(always)]
    fn scale_by_index(y: f64, z: f64) -> f64 {
        f64::from_bits(y.to_bits().wrapping_add(exponent_of_index(z.to_bits())))
    }
    #[inline(always)]
    fn lt(a: f64, b: f64) -> bool {
        a < b
    }
    #[inline(always)]
    fn gt(a: f64, b: f64) -> bool {
        a > b
    }
    #[inline(always)]
    fn eq(a: f64, b: f64) -> bool {
        a == b
    }
    #[inline(always)]
    fn is_nan(a: f64) -> bool {
        a.is_nan()
    }
    #[inline(always)]
    fn all(m: bool) -> bool {
        m
    }
    #[inline(always)]
    fn select(m: bool, a: f64, b: f64) -> f64 {
        if m { a } else { b }
    }
    #[inline(always)]
    fn and_bits(a: f64, mask: u64) -> f64 {
        f64::from_bits(a.to_bits() & mask)
    }
    #[inline(always)]
    fn pow2i(k: f64) -> f64 {
        // Lanes outside the range (±inf, NaN) are replaced by the caller: wrap, don't trap.
        f64::from_bits(((k as i64).wrapping_add(1023) as u64) << 52)
    }
    #[inline(always)]
    fn split_exponent(a: f64) -> (f64, f64) {
        let bits = a.to_bits().wrapping_add(SQRT2_OFFSET);
        let e = ((bits >> 52) & 0x7ff) as f64 - 1023.0;
        let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff).wrapping_add(HALF_SQRT2_BITS));
        (e, m)
    }
    #[inline(always)]
    fn split_at_offset(a: f64, offset: u64) -> (f64, f64, f64) {
        let t = a.to_bits().wrapping_add(EXPONENT_1024.wrapping_sub(offset));
        let k = (t >> 52) as f64 - 1024.0;
        let z = a
            .to_bits()
            .wrapping_sub(t & EXPONENT_FIELD)
            .wrapping_add(EXPONENT_1024);
        (k, f64::from_bits(z), f64::from_bits(t >> 48))
    }
}

#[cfg(target_arch = "x86_64")]
pub use x86::{Avx2, Avx512, fast_zmm_divide};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::Simd;
    use std::arch::x86_64::*;

    /// 2^52 + 2^51: adding it rounds a small f64 to an integer held in the low bits.
    const MAGIC: f64 = 6755399441055744.0;

    /// Four lanes of AVX2 with FMA.
    #[derive(Clone, Copy)]
    pub struct Avx2;

    impl Simd for Avx2 {
        const LANES: usize = 4;
        const FUSED: bool = true;
        type V = __m256d;
        type M = __m256d;

        #[inline(always)]
        unsafe fn load(p: *const f64) -> __m256d {
            // SAFETY: caller's contract; the caller runs with AVX2 enabled.
            unsafe { _mm256_loadu_pd(p) }
        }
        #[inline(always)]
        unsafe fn store(p: *mut f64, v: __m256d) {
            // SAFETY: caller's contract.
            unsafe { _mm256_storeu_pd(p, v) }
        }
        #[inline(always)]
        unsafe fn store_stream(p: *mut f64, v: __m256d) {
            // SAFETY: caller's contract (32-byte aligned).
            unsafe { _mm256_stream_pd(p, v) }
        }
        #[inline(always)]
        fn stream_fence() {
            unsafe { _mm_sfence() }
        }
        #[inline(always)]
        fn prefetch(p: *const f64) {
            unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) }
        }
        #[inline(always)]
        fn splat(x: f64) -> __m256d {
            unsafe { _mm256_set1_pd(x) }
        }
        #[inline(always)]
        fn add(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_add_pd(a, b) }
        }
        #[inline(always)]
        fn sub(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_sub_pd(a, b) }
        }
        #[inline(always)]
        fn mul(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_mul_pd(a, b) }
        }
        #[inline(always)]
        fn div(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_div_pd(a, b) }
        }
        #[inline(always)]
        fn div_approx(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_div_pd(a, b) }
        }
        #[inline(always)]
        fn fma(a: __m256d, b: __m256d, c: __m256d) -> __m256d {
            unsafe { _mm256_fmadd_pd(a, b, c) }
        }
        #[inline(always)]
        fn sqrt(a: __m256d) -> __m256d {
            unsafe { _mm256_sqrt_pd(a) }
        }
        #[inline(always)]
        fn product_error(a: __m256d, b: __m256d, p: __m256d) -> __m256d {
            unsafe { _mm256_fmsub_pd(a, b, p) }
        }
        #[inline(always)]
        fn round(a: __m256d) -> __m256d {
            unsafe { _mm256_round_pd::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(a) }
        }
        #[inline(always)]
        fn floor(a: __m256d) -> __m256d {
            unsafe { _mm256_round_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(a) }
        }
        #[inline(always)]
        fn table16(table: &[f64; 16], index_bits: __m256d) -> __m256d {
            unsafe {
                let idx = _mm256_and_si256(_mm256_castpd_si256(index_bits), _mm256_set1_epi64x(15));
                _mm256_i64gather_pd::<8>(table.as_ptr(), idx)
            }
        }
        #[inline(always)]
        fn scale_by_index(y: __m256d, z: __m256d) -> __m256d {
            unsafe {
                let e = _mm256_and_si256(
                    _mm256_slli_epi64::<48>(_mm256_castpd_si256(z)),
                    _mm256_set1_epi64x(super::EXPONENT_FIELD as i64),
                );
                _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(y), e))
            }
        }
        #[inline(always)]
        fn lt(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_cmp_pd::<_CMP_LT_OQ>(a, b) }
        }
        #[inline(always)]
        fn gt(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_cmp_pd::<_CMP_GT_OQ>(a, b) }
        }
        #[inline(always)]
        fn eq(a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_cmp_pd::<_CMP_EQ_OQ>(a, b) }
        }
        #[inline(always)]
        fn is_nan(a: __m256d) -> __m256d {
            unsafe { _mm256_cmp_pd::<_CMP_UNORD_Q>(a, a) }
        }
        #[inline(always)]
        fn all(m: __m256d) -> bool {
            unsafe { _mm256_movemask_pd(m) == 0xf }
        }
        #[inline(always)]
        fn select(m: __m256d, a: __m256d, b: __m256d) -> __m256d {
            unsafe { _mm256_blendv_pd(b, a, m) }
        }
        #[inline(always)]
        fn and_bits(a: __m256d, mask: u64) -> __m256d {
            unsafe { _mm256_and_pd(a, _mm256_castsi256_pd(_mm256_set1_epi64x(mask as i64))) }
        }
        #[inline(always)]
        fn pow2i(k: __m256d) -> __m256d {
            unsafe {
                // k + MAGIC holds k in its low mantissa bits; shift them into the exponent.
                let t = _mm256_castpd_si256(_mm256_add_pd(k, _mm256_set1_pd(MAGIC + 1023.0)));
                _mm256_castsi256_pd(_mm256_slli_epi64::<52>(t))
            }
        }
        #[inline(always)]
        fn split_exponent(a: __m256d) -> (__m256d, __m256d) {
            unsafe {
                let bits = _mm256_add_epi64(
                    _mm256_castpd_si256(a),
                    _mm256_set1_epi64x(super::SQRT2_OFFSET as i64),
                );
                // The exponent field, as an integer in the low bits of 2^52's mantissa.
                let e = _mm256_srli_epi64::<52>(bits);
                let two52 = _mm256_set1_epi64x(0x4330_0000_0000_0000);
                let ef = _mm256_sub_pd(
                    _mm256_castsi256_pd(_mm256_or_si256(e, two52)),
                    _mm256_set1_pd(4503599627370496.0 + 1023.0),
                );
                let mant = _mm256_add_epi64(
                    _mm256_and_si256(bits, _mm256_set1_epi64x(0x000f_ffff_ffff_ffff)),
                    _mm256_set1_epi64x(super::HALF_SQRT2_BITS as i64),
                );
                (ef, _mm256_castsi256_pd(mant))
            }
        }
        #[inline(always)]
        fn split_at_offset(a: __m256d, offset: u64) -> (__m256d, __m256d, __m256d) {
            unsafe {
                let bits = _mm256_castpd_si256(a);
                let t = _mm256_add_epi64(
                    bits,
                    _mm256_set1_epi64x(super::EXPONENT_1024.wrapping_sub(offset) as i64),
                );
                // The field (e + 1024, positive) as an integer in 2^52's mantissa.
                let k = _mm256_sub_pd(
                    _mm256_castsi256_pd(_mm256_or_si256(
                        _mm256_srli_epi64::<52>(t),
                        _mm256_set1_epi64x(0x4330_0000_0000_0000),
                    )),
                    _mm256_set1_pd(4503599627370496.0 + 1024.0),
                );
                let z = _mm256_add_epi64(
                    _mm256_sub_epi64(
                        bits,
                        _mm256_and_si256(t, _mm256_set1_epi64x(super::EXPONENT_FIELD as i64)),
                    ),
                    _mm256_set1_epi64x(super::EXPONENT_1024 as i64),
                );
                (
                    k,
                    _mm256_castsi256_pd(z),
                    _mm256_castsi256_pd(_mm256_srli_epi64::<48>(t)),
                )
            }
        }
    }

    /// The range where the estimated square root's intermediates stay normal.
    const TINY: f64 = f64::from_bits(0x0170_0000_0000_0000); // 2^-1000
    const HUGE: f64 = f64::from_bits(0x7e70_0000_0000_0000); // 2^1000

    /// Whether this CPU divides a zmm of doubles quickly: AMD from Zen 5 (family 1Ah),
    /// whose dividers are 512 bits wide. Zen 4 and Intel's AVX-512 cores split or
    /// serialise the division, and there the reciprocal estimate wins.
    pub fn fast_zmm_divide() -> bool {
        static FAST: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *FAST.get_or_init(|| {
            // CPUID leaves 0 and 1 exist on every x86-64 CPU.
            let (vendor, signature) = (__cpuid(0), __cpuid(1));
            let amd =
                (vendor.ebx, vendor.edx, vendor.ecx) == (0x6874_7541, 0x6974_6e65, 0x444d_4163);
            let family = ((signature.eax >> 8) & 0xf) + ((signature.eax >> 20) & 0xff);
            amd && family >= 0x1a
        })
    }

    /// Eight lanes of AVX-512F. `DIVIDE`: the core divides and takes square roots of a
    /// whole zmm in a few cycles, so `div_approx` divides and `sqrt` is the hardware's.
    /// Otherwise (a zmm division or square root every 16 cycles or so) `div_approx` is
    /// a reciprocal estimate with two Newton steps, and `sqrt` a reciprocal square root
    /// estimate refined and then rounded exactly.
    #[derive(Clone, Copy)]
    pub struct Avx512<const DIVIDE: bool>;

    impl<const DIVIDE: bool> Simd for Avx512<DIVIDE> {
        const LANES: usize = 8;
        const FUSED: bool = true;
        type V = __m512d;
        type M = __mmask8;

        #[inline(always)]
        unsafe fn load(p: *const f64) -> __m512d {
            // SAFETY: caller's contract; the caller runs with AVX-512F enabled.
            unsafe { _mm512_loadu_pd(p) }
        }
        #[inline(always)]
        unsafe fn store(p: *mut f64, v: __m512d) {
            // SAFETY: caller's contract.
            unsafe { _mm512_storeu_pd(p, v) }
        }
        #[inline(always)]
        unsafe fn store_stream(p: *mut f64, v: __m512d) {
            // SAFETY: caller's contract (64-byte aligned).
            unsafe { _mm512_stream_pd(p, v) }
        }
        #[inline(always)]
        fn stream_fence() {
            unsafe { _mm_sfence() }
        }
        #[inline(always)]
        fn prefetch(p: *const f64) {
            unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast()) }
        }
        #[inline(always)]
        fn splat(x: f64) -> __m512d {
            unsafe { _mm512_set1_pd(x) }
        }
        #[inline(always)]
        fn add(a: __m512d, b: __m512d) -> __m512d {
            unsafe { _mm512_add_pd(a, b) }
        }
        #[inline(always)]
        fn sub(a: __m512d, b: __m512d) -> __m512d {
            unsafe { _mm512_sub_pd(a, b) }
        }
        #[inline(always)]
        fn mul(a: __m512d, b: __m512d) -> __m512d {
            unsafe { _mm512_mul_pd(a, b) }
        }
        #[inline(always)]
        fn div(a: __m512d, b: __m512d) -> __m512d {
            unsafe { _mm512_div_pd(a, b) }
        }
        #[inline(always)]
        fn div_approx(a: __m512d, b: __m512d) -> __m512d {
            if DIVIDE {
                return unsafe { _mm512_div_pd(a, b) };
            }
            unsafe {
                // 14-bit reciprocal, two Newton steps (28, then ~52 bits).
                let one = _mm512_set1_pd(1.0);
                let mut r = _mm512_rcp14_pd(b);
                r = _mm512_fmadd_pd(r, _mm512_fnmadd_pd(b, r, one), r);
                r = _mm512_fmadd_pd(r, _mm512_fnmadd_pd(b, r, one), r);
                _mm512_mul_pd(a, r)
            }
        }
        #[inline(always)]
        fn fma(a: __m512d, b: __m512d, c: __m512d) -> __m512d {
            unsafe { _mm512_fmadd_pd(a, b, c) }
        }
        #[inline(always)]
        fn sqrt(a: __m512d) -> __m512d {
            if DIVIDE {
                return unsafe { _mm512_sqrt_pd(a) };
            }
            // Where the divider is slow (a zmm square root every 16 cycles or so): a
            // 14-bit reciprocal square root, refined, then rounded exactly.
            unsafe {
                // In [2^-1000, 2^1000] every intermediate below is a normal number;
                // zeros, subnormals, negatives, infinities and NaN take the divider.
                let inside = _mm512_cmp_pd_mask::<_CMP_GE_OQ>(a, _mm512_set1_pd(TINY))
                    & _mm512_cmp_pd_mask::<_CMP_LE_OQ>(a, _mm512_set1_pd(HUGE));
                if inside != 0xff {
                    return _mm512_sqrt_pd(a);
                }
                let half = _mm512_set1_pd(0.5);
                let r = _mm512_rsqrt14_pd(a);
                let (mut y, mut h) = (_mm512_mul_pd(a, r), _mm512_mul_pd(r, half));
                // Goldschmidt's coupled steps, y → √a and h → 1/(2√a): 28, then 56 bits
                // less rounding; then Newton's step on the residual, within an ulp.
                for _ in 0..2 {
                    let e = _mm512_fnmadd_pd(y, h, half);
                    y = _mm512_fmadd_pd(y, e, y);
                    h = _mm512_fmadd_pd(h, e, h);
                }
                y = _mm512_fmadd_pd(_mm512_fnmadd_pd(y, y, a), h, y);
                // Tuckerman's test: y = RN(√a) iff y·y⁻ < a ≤ y·y⁺ (y⁻, y⁺ its
                // neighbours; the grid of a leaves no value between the bounds and the
                // squared midpoints). Each side's sign is exact from one fused rounding.
                let bits = _mm512_castpd_si512(y);
                let one = _mm512_set1_epi64(1);
                let up = _mm512_castsi512_pd(_mm512_add_epi64(bits, one));
                let down = _mm512_castsi512_pd(_mm512_sub_epi64(bits, one));
                let zero = _mm512_setzero_pd();
                let too_small = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(_mm512_fnmadd_pd(y, up, a), zero);
                let too_large =
                    _mm512_cmp_pd_mask::<_CMP_LE_OQ>(_mm512_fnmadd_pd(y, down, a), zero);
                let y = _mm512_mask_mov_pd(y, too_small, up);
                _mm512_mask_mov_pd(y, too_large, down)
            }
        }
        #[inline(always)]
        fn product_error(a: __m512d, b: __m512d, p: __m512d) -> __m512d {
            unsafe { _mm512_fmsub_pd(a, b, p) }
        }
        #[inline(always)]
        fn round(a: __m512d) -> __m512d {
            unsafe { _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(a) }
        }
        #[inline(always)]
        fn floor(a: __m512d) -> __m512d {
            unsafe { _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(a) }
        }
        #[inline(always)]
        fn table16(table: &[f64; 16], index_bits: __m512d) -> __m512d {
            // In registers: one two-source permute on the low 4 bits (no gather).
            unsafe {
                let t = table.as_ptr();
                _mm512_permutex2var_pd(
                    _mm512_loadu_pd(t),
                    _mm512_castpd_si512(index_bits),
                    _mm512_loadu_pd(t.add(8)),
                )
            }
        }
        #[inline(always)]
        fn scale_by_index(y: __m512d, z: __m512d) -> __m512d {
            unsafe {
                let e = _mm512_and_si512(
                    _mm512_slli_epi64::<48>(_mm512_castpd_si512(z)),
                    _mm512_set1_epi64(super::EXPONENT_FIELD as i64),
                );
                _mm512_castsi512_pd(_mm512_add_epi64(_mm512_castpd_si512(y), e))
            }
        }
        #[inline(always)]
        fn lt(a: __m512d, b: __m512d) -> __mmask8 {
            unsafe { _mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, b) }
        }
        #[inline(always)]
        fn gt(a: __m512d, b: __m512d) -> __mmask8 {
            unsafe { _mm512_cmp_pd_mask::<_CMP_GT_OQ>(a, b) }
        }
        #[inline(always)]
        fn eq(a: __m512d, b: __m512d) -> __mmask8 {
            unsafe { _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(a, b) }
        }
        #[inline(always)]
        fn is_nan(a: __m512d) -> __mmask8 {
            unsafe { _mm512_cmp_pd_mask::<_CMP_UNORD_Q>(a, a) }
        }
        #[inline(always)]
        fn all(m: __mmask8) -> bool {
            m == 0xff
        }
        #[inline(always)]
        fn select(m: __mmask8, a: __m512d, b: __m512d) -> __m512d {
            unsafe { _mm512_mask_blend_pd(m, b, a) }
        }
        #[inline(always)]
        fn and_bits(a: __m512d, mask: u64) -> __m512d {
            unsafe {
                _mm512_castsi512_pd(_mm512_and_si512(
                    _mm512_castpd_si512(a),
                    _mm512_set1_epi64(mask as i64),
                ))
            }
        }
        #[inline(always)]
        fn pow2i(k: __m512d) -> __m512d {
            unsafe {
                let t = _mm512_castpd_si512(_mm512_add_pd(k, _mm512_set1_pd(MAGIC + 1023.0)));
                _mm512_castsi512_pd(_mm512_slli_epi64::<52>(t))
            }
        }
        #[inline(always)]
        fn split_exponent(a: __m512d) -> (__m512d, __m512d) {
            unsafe {
                let bits = _mm512_add_epi64(
                    _mm512_castpd_si512(a),
                    _mm512_set1_epi64(super::SQRT2_OFFSET as i64),
                );
                let e = _mm512_srli_epi64::<52>(bits);
                let two52 = _mm512_set1_epi64(0x4330_0000_0000_0000);
                let ef = _mm512_sub_pd(
                    _mm512_castsi512_pd(_mm512_or_si512(e, two52)),
                    _mm512_set1_pd(4503599627370496.0 + 1023.0),
                );
                let mant = _mm512_add_epi64(
                    _mm512_and_si512(bits, _mm512_set1_epi64(0x000f_ffff_ffff_ffff)),
                    _mm512_set1_epi64(super::HALF_SQRT2_BITS as i64),
                );
                (ef, _mm512_castsi512_pd(mant))
            }
        }
        #[inline(always)]
        fn split_at_offset(a: __m512d, offset: u64) -> (__m512d, __m512d, __m512d) {
            unsafe {
                let bits = _mm512_castpd_si512(a);
                let t = _mm512_add_epi64(
                    bits,
                    _mm512_set1_epi64(super::EXPONENT_1024.wrapping_sub(offset) as i64),
                );
                let k = _mm512_sub_pd(
                    _mm512_castsi512_pd(_mm512_or_si512(
                        _mm512_srli_epi64::<52>(t),
                        _mm512_set1_epi64(0x4330_0000_0000_0000),
                    )),
                    _mm512_set1_pd(4503599627370496.0 + 1024.0),
                );
                let z = _mm512_add_epi64(
                    _mm512_sub_epi64(
                        bits,
                        _mm512_and_si512(t, _mm512_set1_epi64(super::EXPONENT_FIELD as i64)),
                    ),
                    _mm512_set1_epi64(super::EXPONENT_1024 as i64),
                );
                (
                    k,
                    _mm512_castsi512_pd(z),
                    _mm512_castsi512_pd(_mm512_srli_epi64::<48>(t)),
                )
            }
        }
    }
}
