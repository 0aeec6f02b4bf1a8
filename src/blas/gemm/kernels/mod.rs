//! Microkernels: `C[0..m, 0..n] := alpha·Ã·B̃ + beta·C` for one MR×NR tile, where Ã is an
//! MR-row sliver of packed A (`a[p*MR + i]`) and B̃ an NR-column sliver of packed B
//! (`b[p*NR + j]`), both zero-padded to full MR / NR.
//!
//! Contract (as BLIS writes it down): `beta == 0` never reads C; only the `m × n`
//! corner of the tile is written (edge tiles); k may be 0. The summation order over p is
//! sequential and fixed, so a tile's result never depends on how tiles were spread
//! over threads.

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(target_arch = "x86_64")]
pub mod avx512;
pub mod generic;

pub use crate::scalar::Lane;

/// A microkernel entry point. See the module docs for the contract.
///
/// # Safety
/// `a` holds `k*MR` and `b` holds `k*NR` readable values; `c` is valid for reads and
/// writes of `c[i + j*ldc]`, `i < m <= MR`, `j < n <= NR`. `next` is only a hint.
pub type KernelFn<R = f64> = unsafe fn(
    k: usize,
    a: *const R,
    b: *const R,
    c: *mut R,
    ldc: usize,
    alpha: R,
    beta: R,
    m: usize,
    n: usize,
    next: Next<R>,
);

/// What the macro-kernel reads after this call, for the kernel to prefetch while it
/// computes: the B sliver of the next column tile (the current one is reused from L1
/// by every row tile, its successor would otherwise come from L3 on demand) and the C
/// tile of the very next call (C is usually out of cache, and its lines are needed
/// only at the end). Never dereferenced; may point outside the operands.
#[derive(Clone, Copy, Debug)]
pub struct Next<R> {
    pub b: *const R,
    pub c: *const R,
}

/// A small-product kernel that reads A (unit row stride) and op(B) in place, without
/// packing (BLIS's "sup" path). See [`avx512::small`].
pub type SmallFn = unsafe fn(
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
);

/// Packs `rows` rows of a block stored row by row into an `mr`-row sliver. See
/// [`avx512::pack_rows`].
pub type PackRowsFn<R = f64> =
    unsafe fn(mr: usize, rows: usize, kb: usize, a: *const R, lda: isize, sliver: *mut R);

/// An instruction-set path: its microkernel, register-tile shape and cache blocking.
#[derive(Clone, Copy, Debug)]
pub struct Isa<R: 'static = f64> {
    pub name: &'static str,
    pub kernel: KernelFn<R>,
    pub mr: usize,
    pub nr: usize,
    /// Depth of one packed block (A sliver + B sliver stay in L1 over it).
    pub kc: usize,
    /// Rows of the packed A block (MC×KC stays in L2).
    pub mc: usize,
    /// Columns of the packed B panel (KC×NC stays in L3).
    pub nc: usize,
    /// The small-product kernel, for products where packing would cost more than it
    /// saves (f64 only).
    pub small: Option<SmallFn>,
    /// Vectorised packing of row-contiguous blocks (transposed A, non-transposed B).
    pub pack_rows: Option<PackRowsFn<R>>,
    /// The kernel multiplies complex numbers stored as (re, im) pairs: A's rows and B's
    /// columns come in pairs, and C's (see `avx512::kernel_c32`). Otherwise it is a
    /// real product (which complex operands reach through the 1m expansion).
    pub complex: bool,
}

/// Writes an MR×NR accumulator tile (column-major, `acc[i + j*MR]`) into C's m×n corner.
///
/// # Safety
/// As [`KernelFn`] for `c`.
#[inline(always)]
pub unsafe fn store_tile<R: Lane, const MR: usize>(
    acc: &[R],
    c: *mut R,
    ldc: usize,
    alpha: R,
    beta: R,
    m: usize,
    n: usize,
) {
    for j in 0..n {
        for i in 0..m {
            // SAFETY: i < m, j < n per the contract.
            unsafe {
                let dst = c.add(i + j * ldc);
                let v = alpha.times(acc[i + j * MR]);
                // Fused like the vector store of a full tile, so edge and full tiles
                // round identically.
                *dst = if beta == R::ZERO {
                    v
                } else {
                    beta.fma(*dst, v)
                };
            }
        }
    }
}
