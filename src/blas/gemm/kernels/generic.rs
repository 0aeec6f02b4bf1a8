//! Portable microkernel (any CPU): a 4×4 tile in plain Rust.

pub const MR: usize = 4;
pub const NR: usize = 4;

/// # Safety
/// See [`super::KernelFn`].
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
    let mut acc = [0.0f64; MR * NR];
    for p in 0..k {
        // SAFETY: packed slivers hold k*MR and k*NR values.
        let (ap, bp) = unsafe {
            (
                std::slice::from_raw_parts(a.add(p * MR), MR),
                std::slice::from_raw_parts(b.add(p * NR), NR),
            )
        };
        for j in 0..NR {
            for i in 0..MR {
                // Plain multiply-add: `mul_add` is a slow libm call on CPUs without FMA.
                acc[i + j * MR] += ap[i] * bp[j];
            }
        }
    }
    // SAFETY: forwarded contract.
    unsafe { super::store_tile::<f64, MR>(&acc, c, ldc, alpha, beta, m, n) };
}
