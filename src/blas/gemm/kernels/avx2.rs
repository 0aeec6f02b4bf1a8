//! AVX2+FMA microkernel: a 12×4 tile in 12 ymm accumulators (3 vectors of A × 4
//! broadcasts of B per step), for x86-64 CPUs without AVX-512.

pub const MR: usize = 12;
pub const NR: usize = 4;

/// # Safety
/// See [`super::KernelFn`]; the CPU must support AVX2 and FMA.
#[target_feature(enable = "avx2,fma")]
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
    _next: super::Next<f64>,
) {
    use std::arch::x86_64::*;
    let mut acc = [[_mm256_setzero_pd(); 3]; NR];
    let (mut a, mut b) = (a, b);
    for _ in 0..k {
        // SAFETY: each step reads MR values of the A sliver and NR of the B sliver.
        unsafe {
            let a0 = _mm256_loadu_pd(a);
            let a1 = _mm256_loadu_pd(a.add(4));
            let a2 = _mm256_loadu_pd(a.add(8));
            for (j, col) in acc.iter_mut().enumerate() {
                let bj = _mm256_set1_pd(*b.add(j));
                col[0] = _mm256_fmadd_pd(a0, bj, col[0]);
                col[1] = _mm256_fmadd_pd(a1, bj, col[1]);
                col[2] = _mm256_fmadd_pd(a2, bj, col[2]);
            }
            a = a.add(MR);
            b = b.add(NR);
        }
    }
    let mut tile = [0.0f64; MR * NR];
    for (j, col) in acc.iter().enumerate() {
        for (v, x) in col.iter().enumerate() {
            // SAFETY: the local tile has room for column j.
            unsafe { _mm256_storeu_pd(tile.as_mut_ptr().add(j * MR + 4 * v), *x) };
        }
    }
    // SAFETY: forwarded contract.
    unsafe { super::store_tile::<f64, MR>(&tile, c, ldc, alpha, beta, m, n) };
}
