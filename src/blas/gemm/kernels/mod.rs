//! Microkernels: `C[0..m, 0..n] := alpha·Ã·B̃ + beta·C` for one MR×NR tile, where Ã is an
//! MR-row sliver of packed A (`a[p*MR + i]`) and B̃ an NR-column sliver of packed B
//! (`b[p*NR + j]`), both zero-padded to full MR / NR.
//!
//! Contract (as BLIS writes it down): `beta == 0` never reads C; only the `m × n`
//! corner of the tile is written (edge tiles); k may be 0. The summation order over p is
//! sequential and fixed, so a tile's result never depends on how tiles were spread
//! over threads.

use std::sync::OnceLock;

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(target_arch = "x86_64")]
pub mod avx512;
pub mod generic;

/// The arithmetic type of a microkernel: f64 (dgemm and zgemm) or f32 (sgemm and
/// cgemm); complex products run on a complex kernel of the lane type
/// ([`Lane::complex_isa`]) or on its real one through the 1m expansion.
pub trait Lane:
    Copy
    + Send
    + Sync
    + PartialEq
    + std::fmt::Debug
    + 'static
    + std::ops::Neg<Output = Self>
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    fn times(self, other: Self) -> Self;
    /// `self·a + b`, fused.
    fn fma(self, a: Self, b: Self) -> Self;
    /// The packed path for this type on the f64 path `isa` runs (same instruction set),
    /// if this build has one.
    fn packed_isa(isa: &Isa) -> Option<Isa<Self>>;
    /// The path for complex products of this precision with a kernel of their own on
    /// interleaved operands, if `isa`'s instruction set has one; otherwise complex
    /// products run on [`Lane::packed_isa`] through the 1m expansion.
    fn complex_isa(isa: &Isa) -> Option<Isa<Self>>;
}

/// The arithmetic of a lane type; each type says which packed path it has.
macro_rules! lane {
    ($t:ty, $packed_isa:item, $complex_isa:item) => {
        impl Lane for $t {
            const ZERO: $t = 0.0;
            const ONE: $t = 1.0;
            #[inline(always)]
            fn times(self, other: $t) -> $t {
                self * other
            }
            #[inline(always)]
            fn fma(self, a: $t, b: $t) -> $t {
                <$t>::mul_add(self, a, b)
            }
            $packed_isa
            $complex_isa
        }
    };
}

lane!(
    f64,
    fn packed_isa(isa: &Isa) -> Option<Isa> {
        Some(*isa)
    },
    /// c64 on AVX-512: the f64 path's blocking, which the interleaved kernel fills with
    /// the same bytes (a 24-real by 8-half-column tile).
    fn complex_isa(isa: &Isa) -> Option<Isa> {
        #[cfg(target_arch = "x86_64")]
        if isa.name == AVX512.name {
            return Some(Isa {
                kernel: avx512::kernel_c64,
                direct: None,
                pack_rows: None,
                complex: true,
                ..*isa
            });
        }
        let _ = isa;
        None
    }
);

lane!(
    f32,
    /// Only AVX-512 has an f32 kernel here; the other paths leave f32 to faer. The
    /// blocking follows the f64 path's (so its tests' tiny blocks carry over): blocks of
    /// the same bytes, twice as deep (a B sliver still fills 24 KiB of L1) over the same
    /// rows (576 KiB of A in L2). Measured at 2000² on Zen 4: 0.92x OpenBLAS at f64's
    /// depth, 0.97x at twice it.
    fn packed_isa(isa: &Isa) -> Option<Isa<f32>> {
        #[cfg(target_arch = "x86_64")]
        if isa.name == AVX512.name {
            return Some(Isa {
                kc: 2 * isa.kc,
                mc: isa.mc.next_multiple_of(AVX512_F32.mr),
                nc: isa.nc,
                ..AVX512_F32
            });
        }
        let _ = isa;
        None
    },
    /// c32 on AVX-512: the f32 path's blocking (see [`Lane::complex_isa`] for f64).
    fn complex_isa(isa: &Isa) -> Option<Isa<f32>> {
        #[cfg(target_arch = "x86_64")]
        if isa.name == AVX512.name {
            return f32::packed_isa(isa).map(|real| Isa {
                kernel: avx512::kernel_c32,
                pack_rows: None,
                complex: true,
                ..real
            });
        }
        let _ = isa;
        None
    }
);

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
/// packing. See [`avx512::direct`].
pub type DirectFn = unsafe fn(
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
    /// Unpacked kernel for small products, where packing would cost more than it saves
    /// (f64 only).
    pub direct: Option<DirectFn>,
    /// Vectorised packing of row-contiguous blocks (transposed A, non-transposed B).
    pub pack_rows: Option<PackRowsFn<R>>,
    /// The kernel multiplies complex numbers stored as (re, im) pairs: A's rows and B's
    /// columns come in pairs, and C's (see `avx512::kernel_c32`). Otherwise it is a
    /// real product (which complex operands reach through the 1m expansion).
    pub complex: bool,
}

#[cfg(target_arch = "x86_64")]
pub const AVX512: Isa = Isa {
    name: "avx512",
    kernel: avx512::kernel,
    mr: avx512::MR,
    nr: avx512::NR,
    kc: 384,
    mc: 192,
    // A wide panel (12 MB of B in L3): every panel repacks all of A, which at 8000²
    // strides 64 KiB between columns (6 repacks at 1536 wide, 2 at 4000).
    nc: 4000,
    direct: Some(avx512::direct),
    pack_rows: Some(avx512::pack_rows),
    complex: false,
};
/// f32 on AVX-512: a 48×8 tile (three zmm of 16 lanes per step), the f64 kernel's
/// shape. Its blocking is derived from the f64 path's ([`Lane::packed_isa`]).
#[cfg(target_arch = "x86_64")]
pub const AVX512_F32: Isa<f32> = Isa {
    name: "avx512",
    kernel: avx512::kernel_f32,
    mr: avx512::MR_F32,
    nr: avx512::NR,
    kc: 2 * AVX512.kc,
    mc: AVX512.mc,
    nc: AVX512.nc,
    direct: None,
    pack_rows: Some(avx512::pack_rows_f32),
    complex: false,
};
#[cfg(target_arch = "x86_64")]
pub const AVX2: Isa = Isa {
    name: "avx2",
    kernel: avx2::kernel,
    mr: avx2::MR,
    nr: avx2::NR,
    kc: 256,
    mc: 144,
    nc: 3072,
    direct: None,
    pack_rows: None,
    complex: false,
};
pub const GENERIC: Isa = Isa {
    name: "generic",
    kernel: generic::kernel,
    mr: generic::MR,
    nr: generic::NR,
    kc: 256,
    mc: 128,
    nc: 2048,
    direct: None,
    pack_rows: None,
    complex: false,
};

/// Every path this build has, best first, with whether this CPU can run it.
fn paths() -> Vec<(Isa, bool)> {
    #[cfg(target_arch = "x86_64")]
    {
        let avx512 = std::arch::is_x86_feature_detected!("avx512f");
        let avx2 = std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma");
        vec![(AVX512, avx512), (AVX2, avx2), (GENERIC, true)]
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        vec![(GENERIC, true)]
    }
}

/// The best path this CPU supports, or the one `requested` names if the CPU has it.
pub fn select(requested: Option<&str>) -> Isa {
    let paths = paths();
    let usable = || paths.iter().filter(|(_, ok)| *ok).map(|(isa, _)| *isa);
    requested
        .and_then(|name| usable().find(|isa| isa.name == name))
        .or_else(|| usable().next())
        .expect("the generic path is always usable")
}

/// The process-wide path: chosen once; `forced` (from the ABI layer's reading of
/// `OXBLAS_KERNEL`) wins when the CPU supports it.
#[inline]
pub fn active(forced: impl FnOnce() -> Option<String>) -> &'static Isa {
    static ACTIVE: OnceLock<Isa> = OnceLock::new();
    ACTIVE.get_or_init(|| select(forced().as_deref()))
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

/// Every path this CPU supports, then each again with tiny blocks (KC 5, two MR tiles
/// of rows, three NR tiles of columns) so small test products run the multi-block
/// loops; `direct: None` forces packing.
#[cfg(test)]
pub fn test_paths() -> Vec<Isa> {
    let mut out = vec![GENERIC];
    for name in ["avx2", "avx512"] {
        let isa = select(Some(name));
        if isa.name == name {
            out.push(isa);
        }
    }
    let tiny: Vec<Isa> = out
        .iter()
        .map(|i| Isa {
            kc: 5,
            mc: 2 * i.mr,
            nc: 3 * i.nr,
            direct: None,
            ..*i
        })
        .collect();
    out.extend(tiny);
    out
}
