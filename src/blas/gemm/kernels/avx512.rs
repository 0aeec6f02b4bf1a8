//! AVX-512 microkernel: a 24×8 tile in 24 zmm accumulators (3 vectors of A × 8
//! broadcasts of B per step), the shape BLIS uses on Zen 4/5: 24 FMAs per 3 loads + 8
//! broadcasts keeps both FMA pipes busy while leaving registers for the operands.

pub const MR: usize = 24;
pub const NR: usize = 8;

/// # Safety
/// See [`super::KernelFn`]; the CPU must support AVX-512F.
#[allow(clippy::too_many_arguments)]
pub unsafe fn kernel(
    k: usize,
    a: *const f64,
    b: *const f64,
    c: *mut f64,
    ldc: usize,
    alpha: f64,
    beta: f64,
    m: usize,
    n: usize,
) {
    // SAFETY: the path is only selected when avx512f is detected.
    unsafe { imp(k, a, b, c, ldc, alpha, beta, m, n) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
unsafe fn imp(
    k: usize,
    a: *const f64,
    b: *const f64,
    c: *mut f64,
    ldc: usize,
    alpha: f64,
    beta: f64,
    m: usize,
    n: usize,
) {
    use std::arch::x86_64::*;
    let mut acc = [[_mm512_setzero_pd(); 3]; NR];
    // Warm the C tile while the product runs.
    for j in 0..n {
        // SAFETY: column j of the tile is inside C.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(c.add(j * ldc).cast()) };
    }
    let (mut a, mut b) = (a, b);
    for _ in 0..k {
        // SAFETY: each step reads MR values of the A sliver and NR of the B sliver.
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(a.add(8 * MR).cast());
            let a0 = _mm512_loadu_pd(a);
            let a1 = _mm512_loadu_pd(a.add(8));
            let a2 = _mm512_loadu_pd(a.add(16));
            for (j, col) in acc.iter_mut().enumerate() {
                let bj = _mm512_set1_pd(*b.add(j));
                col[0] = _mm512_fmadd_pd(a0, bj, col[0]);
                col[1] = _mm512_fmadd_pd(a1, bj, col[1]);
                col[2] = _mm512_fmadd_pd(a2, bj, col[2]);
            }
            a = a.add(MR);
            b = b.add(NR);
        }
    }
    let valpha = _mm512_set1_pd(alpha);
    if m == MR && n == NR {
        let vbeta = _mm512_set1_pd(beta);
        for (j, col) in acc.iter().enumerate() {
            for (v, x) in col.iter().enumerate() {
                // SAFETY: full tile: rows 0..24 of column j are inside C.
                unsafe {
                    let dst = c.add(j * ldc + 8 * v);
                    let r = if beta == 0.0 {
                        _mm512_mul_pd(valpha, *x)
                    } else {
                        _mm512_fmadd_pd(vbeta, _mm512_loadu_pd(dst), _mm512_mul_pd(valpha, *x))
                    };
                    _mm512_storeu_pd(dst, r);
                }
            }
        }
    } else {
        let mut tile = [0.0f64; MR * NR];
        for (j, col) in acc.iter().enumerate() {
            for (v, x) in col.iter().enumerate() {
                // SAFETY: the local tile has room for column j.
                unsafe { _mm512_storeu_pd(tile.as_mut_ptr().add(j * MR + 8 * v), *x) };
            }
        }
        // SAFETY: forwarded contract.
        unsafe { super::store_tile::<MR>(&tile, c, ldc, alpha, beta, m, n) };
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[allow(clippy::too_many_arguments)]
unsafe fn imp(
    k: usize,
    a: *const f64,
    b: *const f64,
    c: *mut f64,
    ldc: usize,
    alpha: f64,
    beta: f64,
    m: usize,
    n: usize,
) {
    let _ = (k, a, b, c, ldc, alpha, beta, m, n);
    unreachable!("avx512 kernel selected on a non-x86 CPU")
}
