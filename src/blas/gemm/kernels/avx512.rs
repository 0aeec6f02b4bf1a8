//! AVX-512 microkernels: a tile of three zmm of A by 8 broadcasts of B per step (24×8
//! f64, 48×8 f32) in 24 accumulators, the shape BLIS uses on Zen 4/5: 24 FMAs per 3
//! loads + 8 broadcasts keeps both FMA pipes busy while leaving registers for the
//! operands.

pub const MR: usize = 24;
pub const MR_F32: usize = 48;
pub const NR: usize = 8;

/// Prefetches every line of the next call's C tile (this tile's came with the call
/// before): `cols` columns of `rows` values, column j at `next + j*col_stride`.
/// Prefetches only hint: the addresses need not be valid.
macro_rules! prefetch_tile {
    ($next:expr, $col_stride:expr, $cols:expr, $v:expr, $l:expr) => {
        for j in 0..$cols {
            for v in 0..$v {
                let at = $next.wrapping_add(j * $col_stride + v * $l);
                _mm_prefetch::<_MM_HINT_T0>(at.cast());
            }
        }
    };
}

/// Writes the accumulators `$acc` (columns of vectors of `$l` values) into C, column j
/// at `$c + j*$col_stride`, as `alpha·acc + beta·C` (beta = 0 never reads C): vector
/// stores for a full tile, the `$m × $cols` corner through a local tile and
/// [`super::store_tile`] otherwise, with the same fused rounding.
macro_rules! write_tile {
    ($t:ty, $acc:expr, $rows:expr, $full_cols:expr, $l:expr, $c:expr, $col_stride:expr,
     $alpha:expr, $beta:expr, $m:expr, $cols:expr,
     $load:ident, $store:ident, $splat:ident, $fma:ident, $mul:ident) => {{
        let valpha = $splat($alpha);
        if $m == $rows && $cols == $full_cols {
            let vbeta = $splat($beta);
            for (j, col) in $acc.iter().enumerate() {
                for (v, x) in col.iter().enumerate() {
                    // SAFETY: full tile: rows 0..$rows of column j are inside C.
                    unsafe {
                        let dst = $c.add(j * $col_stride + $l * v);
                        let r = if $beta == 0.0 {
                            $mul(valpha, *x)
                        } else {
                            $fma(vbeta, $load(dst), $mul(valpha, *x))
                        };
                        $store(dst, r);
                    }
                }
            }
        } else {
            let mut tile = [0.0 as $t; $rows * $full_cols];
            for (j, col) in $acc.iter().enumerate() {
                for (v, x) in col.iter().enumerate() {
                    // SAFETY: the local tile has room for column j.
                    unsafe { $store(tile.as_mut_ptr().add(j * $rows + $l * v), *x) };
                }
            }
            // SAFETY: forwarded contract: the m × cols corner is inside C.
            unsafe {
                super::store_tile::<$t, $rows>(&tile, $c, $col_stride, $alpha, $beta, $m, $cols)
            };
        }
    }};
}

/// One microkernel per lane type and tile, from one body: `$v` zmm of `$lanes` values
/// down each of `$nr` columns, `$v·$lanes` rows.
macro_rules! microkernel {
    ($name:ident, $t:ty, $v:expr, $nr:expr, $lanes:expr, $vec:ty, $zero:ident, $load:ident,
     $store:ident, $splat:ident, $fma:ident, $mul:ident) => {
        /// # Safety
        /// See [`super::KernelFn`]; the CPU must support AVX-512F.
        #[target_feature(enable = "avx512f")]
        #[allow(clippy::too_many_arguments)]
        pub unsafe fn $name(
            k: usize,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            ldc: usize,
            alpha: $t,
            beta: $t,
            m: usize,
            n: usize,
            next: super::Next<$t>,
        ) {
            use std::arch::x86_64::*;
            const V: usize = $v;
            const COLS: usize = $nr;
            const L: usize = $lanes;
            const TILE_ROWS: usize = V * L;
            let mut acc: [[$vec; V]; COLS] = [[$zero(); V]; COLS];
            prefetch_tile!(next.c, ldc, COLS, V, L);
            let (mut a, mut b) = (a, b);
            let mut b_next = next.b;
            for _ in 0..k {
                // The next B sliver into L2, a step's worth per step.
                _mm_prefetch::<_MM_HINT_T1>(b_next.cast());
                b_next = b_next.wrapping_add(COLS);
                // SAFETY: each step reads TILE_ROWS values of the A sliver and COLS of the
                // B sliver; the prefetches only hint.
                unsafe {
                    // Every line of the step eight steps ahead.
                    let ahead = a.add(8 * TILE_ROWS);
                    for v in 0..V {
                        _mm_prefetch::<_MM_HINT_T0>(ahead.add(v * L).cast());
                    }
                    let av: [$vec; V] = std::array::from_fn(|v| $load(a.add(v * L)));
                    for (j, col) in acc.iter_mut().enumerate() {
                        let bj = $splat(*b.add(j));
                        for v in 0..V {
                            col[v] = $fma(av[v], bj, col[v]);
                        }
                    }
                    a = a.add(TILE_ROWS);
                    b = b.add(COLS);
                }
            }
            write_tile!(
                $t, acc, TILE_ROWS, COLS, L, c, ldc, alpha, beta, m, n, $load, $store, $splat,
                $fma, $mul
            );
        }
    };
}

microkernel!(
    kernel,
    f64,
    3,
    NR,
    8,
    __m512d,
    _mm512_setzero_pd,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_set1_pd,
    _mm512_fmadd_pd,
    _mm512_mul_pd
);
microkernel!(
    kernel_f32,
    f32,
    3,
    NR,
    16,
    __m512,
    _mm512_setzero_ps,
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    _mm512_set1_ps,
    _mm512_fmadd_ps,
    _mm512_mul_ps
);

/// Complex microkernels on interleaved operands (the layout complex matrices have): a
/// tile of three zmm of A's (re, im) pairs (24 c32 or 12 c64 rows) by NR/2 = 4 complex
/// columns of B. Each step broadcasts re(b) and im(b) of a column into two accumulators,
/// A·re(b) and A·im(b); the tile's end swaps the pairs of the second and subtracts or
/// adds them into the first (re = Σ re·re − Σ im·im, im = Σ im·re + Σ re·im). The same
/// 24 FMAs per 3 loads + 8 broadcasts as the real kernels, over half the packed bytes
/// of the 1m expansion ([`super::super::complex`]).
///
/// The tile is `TILE_ROWS` reals (whole complex rows) by `NR` half-columns: column `q`
/// of B's sliver is part `q % 2` of complex column `q / 2`, and C's complex column `j`
/// starts `2·j·ldc` reals in (`ldc` counts complex elements).
macro_rules! complex_microkernel {
    ($name:ident, $t:ty, $lanes:expr, $vec:ty, $zero:ident, $load:ident, $store:ident,
     $splat:ident, $fma:ident, $mul:ident, $fmaddsub:ident, $swap:ident) => {
        /// # Safety
        /// See [`super::KernelFn`], with C and B as this macro's docs lay them out; the
        /// CPU must support AVX-512F.
        #[target_feature(enable = "avx512f")]
        #[allow(clippy::too_many_arguments)]
        pub unsafe fn $name(
            k: usize,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            ldc: usize,
            alpha: $t,
            beta: $t,
            m: usize,
            n: usize,
            next: super::Next<$t>,
        ) {
            use std::arch::x86_64::*;
            const V: usize = 3;
            const COLS: usize = NR / 2;
            const L: usize = $lanes;
            const TILE_ROWS: usize = V * L;
            let mut by_re: [[$vec; V]; COLS] = [[$zero(); V]; COLS];
            let mut by_im: [[$vec; V]; COLS] = [[$zero(); V]; COLS];
            prefetch_tile!(next.c, 2 * ldc, COLS, V, L);
            let (mut a, mut b) = (a, b);
            let mut b_next = next.b;
            for _ in 0..k {
                _mm_prefetch::<_MM_HINT_T1>(b_next.cast());
                b_next = b_next.wrapping_add(NR);
                // SAFETY: each step reads TILE_ROWS values of the A sliver and NR of the
                // B sliver; the prefetches only hint.
                unsafe {
                    let ahead = a.add(8 * TILE_ROWS);
                    for v in 0..V {
                        _mm_prefetch::<_MM_HINT_T0>(ahead.add(v * L).cast());
                    }
                    let av: [$vec; V] = std::array::from_fn(|v| $load(a.add(v * L)));
                    for j in 0..COLS {
                        let re = $splat(*b.add(2 * j));
                        let im = $splat(*b.add(2 * j + 1));
                        for v in 0..V {
                            by_re[j][v] = $fma(av[v], re, by_re[j][v]);
                            by_im[j][v] = $fma(av[v], im, by_im[j][v]);
                        }
                    }
                    a = a.add(TILE_ROWS);
                    b = b.add(NR);
                }
            }
            // (re·re, im·re) ∓ (im·im, re·im): fmaddsub subtracts in even (real) lanes.
            let one = $splat(1.0);
            let mut acc: [[$vec; V]; COLS] = [[$zero(); V]; COLS];
            for j in 0..COLS {
                for v in 0..V {
                    acc[j][v] = $fmaddsub(by_re[j][v], one, $swap(by_im[j][v]));
                }
            }
            // Complex column j starts 2·j·ldc reals in; n counts half-columns.
            write_tile!(
                $t,
                acc,
                TILE_ROWS,
                COLS,
                L,
                c,
                2 * ldc,
                alpha,
                beta,
                m,
                n / 2,
                $load,
                $store,
                $splat,
                $fma,
                $mul
            );
        }
    };
}

/// Swaps the (re, im) pairs of an f32 vector.
#[inline]
#[target_feature(enable = "avx512f")]
fn swap_pairs_ps(x: std::arch::x86_64::__m512) -> std::arch::x86_64::__m512 {
    std::arch::x86_64::_mm512_permute_ps::<0xB1>(x)
}

/// Swaps the (re, im) pairs of an f64 vector.
#[inline]
#[target_feature(enable = "avx512f")]
fn swap_pairs_pd(x: std::arch::x86_64::__m512d) -> std::arch::x86_64::__m512d {
    std::arch::x86_64::_mm512_permute_pd::<0x55>(x)
}

complex_microkernel!(
    kernel_c32,
    f32,
    16,
    __m512,
    _mm512_setzero_ps,
    _mm512_loadu_ps,
    _mm512_storeu_ps,
    _mm512_set1_ps,
    _mm512_fmadd_ps,
    _mm512_mul_ps,
    _mm512_fmaddsub_ps,
    swap_pairs_ps
);
complex_microkernel!(
    kernel_c64,
    f64,
    8,
    __m512d,
    _mm512_setzero_pd,
    _mm512_loadu_pd,
    _mm512_storeu_pd,
    _mm512_set1_pd,
    _mm512_fmadd_pd,
    _mm512_mul_pd,
    _mm512_fmaddsub_pd,
    swap_pairs_pd
);

/// Small products without packing: `C := alpha·A·op(B) + beta·C` for an m×n block read
/// in place, A column-major (unit row stride), op(B)(p, j) at `b + p*b_rs + j*b_cs`.
/// Row edges use masked loads and stores, so nothing outside the operands is touched.
///
/// # Safety
/// The CPU supports AVX-512F; A addresses m×k (column stride `lda`), op(B) k×n and C an
/// m×n writable block (column stride `ldc`); m, n > 0.
#[allow(clippy::too_many_arguments)]
pub unsafe fn small(
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: *const f64,
    lda: usize,
    b: *const f64,
    b_rs: isize,
    b_cs: isize,
    beta: f64,
    c: *mut f64,
    ldc: usize,
) {
    for j in (0..n).step_by(NR) {
        let nb = NR.min(n - j);
        for i in (0..m).step_by(MR) {
            let mb = MR.min(m - i);
            let (a, b, c) = (
                a.wrapping_add(i),
                b.wrapping_offset(j as isize * b_cs),
                c.wrapping_add(i + j * ldc),
            );
            // SAFETY: the tile's mb×k rows of A, k×nb columns of B and mb×nb block of C
            // are inside the operands.
            // Instantiated per (row vectors, columns) so tiny tiles do no wasted work.
            macro_rules! tile {
                ($($v:literal, $n:literal);* $(;)?) => {
                    match (mb.div_ceil(8), nb) {
                        $(($v, $n) => unsafe { small_tile::<$v, $n>(k, a, lda, b, b_rs, b_cs, c, ldc, alpha, beta, mb) },)*
                        _ => unreachable!("tile larger than {MR}x{NR}"),
                    }
                };
            }
            tile!(1,1; 1,2; 1,3; 1,4; 1,5; 1,6; 1,7; 1,8;
                  2,1; 2,2; 2,3; 2,4; 2,5; 2,6; 2,7; 2,8;
                  3,1; 3,2; 3,3; 3,4; 3,5; 3,6; 3,7; 3,8);
        }
    }
}

/// One tile of [`small`]: `V` vectors of 8 rows (m ≤ 8·V) by `N` columns.
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn small_tile<const V: usize, const N: usize>(
    k: usize,
    a: *const f64,
    lda: usize,
    b: *const f64,
    b_rs: isize,
    b_cs: isize,
    c: *mut f64,
    ldc: usize,
    alpha: f64,
    beta: f64,
    m: usize,
) {
    use std::arch::x86_64::*;
    let mask = |v: usize| -> __mmask8 {
        let rows = m.saturating_sub(8 * v).min(8);
        ((1u16 << rows) - 1) as __mmask8
    };
    let masks: [__mmask8; V] = std::array::from_fn(mask);
    let cols: [isize; N] = std::array::from_fn(|j| j as isize * b_cs);
    let mut acc = [[_mm512_setzero_pd(); V]; N];
    for p in 0..k {
        // SAFETY: column p of the tile's rows of A (masked) and row p of op(B).
        unsafe {
            let ap = a.add(p * lda);
            let av: [__m512d; V] =
                std::array::from_fn(|v| _mm512_maskz_loadu_pd(masks[v], ap.add(8 * v)));
            let bp = b.offset(p as isize * b_rs);
            for (j, col) in acc.iter_mut().enumerate() {
                let bj = _mm512_set1_pd(*bp.offset(cols[j]));
                for v in 0..V {
                    col[v] = _mm512_fmadd_pd(av[v], bj, col[v]);
                }
            }
        }
    }
    let (valpha, vbeta) = (_mm512_set1_pd(alpha), _mm512_set1_pd(beta));
    for (j, col) in acc.iter().enumerate() {
        for v in 0..V {
            // SAFETY: masked to the tile's rows of column j of C.
            unsafe {
                let dst = c.add(j * ldc + 8 * v);
                let prod = _mm512_mul_pd(valpha, col[v]);
                let r = if beta == 0.0 {
                    prod
                } else {
                    _mm512_fmadd_pd(vbeta, _mm512_maskz_loadu_pd(masks[v], dst), prod)
                };
                _mm512_mask_storeu_pd(dst, masks[v], r);
            }
        }
    }
}

/// Packs a block stored row by row (row i at `a + i*lda`, `kb` contiguous values) into
/// an MR-row sliver `sliver[p*mr + i]`, transposing 8×8 blocks in registers; rows
/// `rows..mr` are zero. This is the packing of a transposed A or of a non-transposed B,
/// where the scalar loop would write with a stride of `mr` and read `mr` streams at once.
///
/// # Safety
/// The CPU supports AVX-512F; `mr` is a multiple of 8 and `rows ≤ mr`; rows `0..rows`
/// hold `kb` readable values each; `sliver` has `kb*mr` writable f64.
#[target_feature(enable = "avx512f")]
pub unsafe fn pack_rows(
    mr: usize,
    rows: usize,
    kb: usize,
    a: *const f64,
    lda: isize,
    sliver: *mut f64,
) {
    use std::arch::x86_64::*;
    for g in (0..mr).step_by(8) {
        let live = rows.saturating_sub(g).min(8);
        if live == 0 {
            for p in 0..kb {
                // SAFETY: row p of the sliver has mr slots.
                unsafe { _mm512_storeu_pd(sliver.add(p * mr + g), _mm512_setzero_pd()) };
            }
            continue;
        }
        let mut p0 = 0;
        while p0 < kb {
            let step = (kb - p0).min(8);
            let mask = ((1u16 << step) - 1) as __mmask8;
            // Rows of the group beyond `live` read as zeros.
            // SAFETY: row g+i holds kb values; the mask keeps the load inside them.
            let r: [__m512d; 8] = std::array::from_fn(|i| {
                if i < live {
                    unsafe {
                        _mm512_maskz_loadu_pd(mask, a.offset((g + i) as isize * lda + p0 as isize))
                    }
                } else {
                    _mm512_setzero_pd()
                }
            });
            let t = transpose8(r);
            for (p, col) in t.iter().enumerate().take(step) {
                // SAFETY: row p0+p < kb of the sliver, slots g..g+8 < mr.
                unsafe { _mm512_storeu_pd(sliver.add((p0 + p) * mr + g), *col) };
            }
            p0 += step;
        }
    }
}

/// [`pack_rows`] for f32: 8×8 blocks transposed in ymm registers, the rest of each row
/// group (fewer than 8 values) copied one by one.
///
/// # Safety
/// As [`pack_rows`], with f32 values.
#[target_feature(enable = "avx512f")]
pub unsafe fn pack_rows_f32(
    mr: usize,
    rows: usize,
    kb: usize,
    a: *const f32,
    lda: isize,
    sliver: *mut f32,
) {
    use std::arch::x86_64::*;
    for g in (0..mr).step_by(8) {
        let live = rows.saturating_sub(g).min(8);
        let row = |i: usize| a.wrapping_offset((g + i) as isize * lda);
        let full = kb - kb % 8;
        for p0 in (0..full).step_by(8) {
            // Rows of the group beyond `live` read as zeros.
            // SAFETY: row g+i holds kb ≥ p0+8 values.
            let r: [__m256; 8] = std::array::from_fn(|i| {
                if i < live {
                    unsafe { _mm256_loadu_ps(row(i).add(p0)) }
                } else {
                    _mm256_setzero_ps()
                }
            });
            for (p, col) in transpose8_f32(r).iter().enumerate() {
                // SAFETY: row p0+p < kb of the sliver, slots g..g+8 < mr.
                unsafe { _mm256_storeu_ps(sliver.add((p0 + p) * mr + g), *col) };
            }
        }
        for p in full..kb {
            for i in 0..8 {
                // SAFETY: (i, p) is inside the block when i < live; the slot is inside the
                // sliver.
                unsafe {
                    *sliver.add(p * mr + g + i) = if i < live { *row(i).add(p) } else { 0.0 };
                }
            }
        }
    }
}

/// The transpose of the 8×8 f32 matrix whose rows are `r`.
#[target_feature(enable = "avx512f")]
fn transpose8_f32(r: [std::arch::x86_64::__m256; 8]) -> [std::arch::x86_64::__m256; 8] {
    use std::arch::x86_64::*;
    // Rows interleaved in pairs, then in fours within each 128-bit lane, then the lanes
    // exchanged: the usual AVX transpose.
    let t: [__m256; 8] = std::array::from_fn(|i| {
        let (x, y) = (r[i / 2 * 2], r[i / 2 * 2 + 1]);
        if i % 2 == 0 {
            _mm256_unpacklo_ps(x, y)
        } else {
            _mm256_unpackhi_ps(x, y)
        }
    });
    // s[0..4] from rows 0-3, s[4..8] from rows 4-7.
    let s: [__m256; 8] = std::array::from_fn(|i| {
        let base = if i < 4 { 0 } else { 4 };
        let (x, y) = (t[base + (i % 4) / 2], t[base + (i % 4) / 2 + 2]);
        if i % 2 == 0 {
            _mm256_shuffle_ps::<0x44>(x, y)
        } else {
            _mm256_shuffle_ps::<0xEE>(x, y)
        }
    });
    std::array::from_fn(|i| {
        let (x, y) = (s[i % 4], s[4 + i % 4]);
        if i < 4 {
            _mm256_permute2f128_ps::<0x20>(x, y)
        } else {
            _mm256_permute2f128_ps::<0x31>(x, y)
        }
    })
}

/// The transpose of the 8×8 matrix whose rows are `r`.
#[target_feature(enable = "avx512f")]
fn transpose8(r: [std::arch::x86_64::__m512d; 8]) -> [std::arch::x86_64::__m512d; 8] {
    use std::arch::x86_64::*;
    // Pairs of rows interleaved: t[2q] = (r[2q][0], r[2q+1][0], r[2q][2], r[2q+1][2], ...).
    let lo = |x, y| _mm512_unpacklo_pd(x, y);
    let hi = |x, y| _mm512_unpackhi_pd(x, y);
    let (t0, t1) = (lo(r[0], r[1]), hi(r[0], r[1]));
    let (t2, t3) = (lo(r[2], r[3]), hi(r[2], r[3]));
    let (t4, t5) = (lo(r[4], r[5]), hi(r[4], r[5]));
    let (t6, t7) = (lo(r[6], r[7]), hi(r[6], r[7]));
    // 128-bit lanes: EVEN picks lanes 0, 2 of each source, ODD lanes 1, 3.
    const EVEN: i32 = 0b10_00_10_00;
    const ODD: i32 = 0b11_01_11_01;
    let u0 = _mm512_shuffle_f64x2::<EVEN>(t0, t2);
    let u1 = _mm512_shuffle_f64x2::<ODD>(t0, t2);
    let u2 = _mm512_shuffle_f64x2::<EVEN>(t4, t6);
    let u3 = _mm512_shuffle_f64x2::<ODD>(t4, t6);
    let v0 = _mm512_shuffle_f64x2::<EVEN>(t1, t3);
    let v1 = _mm512_shuffle_f64x2::<ODD>(t1, t3);
    let v2 = _mm512_shuffle_f64x2::<EVEN>(t5, t7);
    let v3 = _mm512_shuffle_f64x2::<ODD>(t5, t7);
    [
        _mm512_shuffle_f64x2::<EVEN>(u0, u2),
        _mm512_shuffle_f64x2::<EVEN>(v0, v2),
        _mm512_shuffle_f64x2::<EVEN>(u1, u3),
        _mm512_shuffle_f64x2::<EVEN>(v1, v3),
        _mm512_shuffle_f64x2::<ODD>(u0, u2),
        _mm512_shuffle_f64x2::<ODD>(v0, v2),
        _mm512_shuffle_f64x2::<ODD>(u1, u3),
        _mm512_shuffle_f64x2::<ODD>(v1, v3),
    ]
}
