//! Elementwise vector math (the MKL VM functions): each function is one source
//! ([`functions`]) over a small SIMD trait ([`simd`]), instantiated for AVX-512, AVX2 +
//! FMA and a portable build; a call picks the path once, then maps whole vectors and
//! finishes the tail through a padded vector, so every element is computed by the same
//! code whatever its position, the call's length or the thread count.

pub mod functions;
pub mod simd;

use crate::blas::{Par, Ran};
use crate::runtime::Team;
use simd::{OneLane, Simd};

/// The functions of the VM interface this library provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Exp,
    Ln,
    Log10,
    Sqrt,
    Sqr,
    Expm1,
    Log1p,
}

impl Func {
    pub const ALL: [Func; 7] = [
        Func::Exp,
        Func::Ln,
        Func::Log10,
        Func::Sqrt,
        Func::Sqr,
        Func::Expm1,
        Func::Log1p,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "Exp",
            Func::Ln => "Ln",
            Func::Log10 => "Log10",
            Func::Sqrt => "Sqrt",
            Func::Sqr => "Sqr",
            Func::Expm1 => "Expm1",
            Func::Log1p => "Log1p",
        }
    }
}

/// The instruction-set build a call runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// AVX-512, dividing or estimating reciprocals as suits this CPU.
    Avx512,
    /// AVX-512 with reciprocal estimates whatever the CPU (what Avx512 runs on cores
    /// with slow zmm division), so tests cover both on one machine.
    Avx512Reciprocal,
    Avx2,
    Generic,
}

impl Path {
    /// Whether this CPU can run the path (for tests that run every path; calls take
    /// theirs from the architecture table).
    pub fn available(self) -> bool {
        match self {
            #[cfg(target_arch = "x86_64")]
            Path::Avx512 | Path::Avx512Reciprocal => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(target_arch = "x86_64")]
            Path::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            Path::Generic => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }
}

/// A strided operand: element i at `ptr + i·inc`.
#[derive(Clone, Copy)]
pub struct Strided<P> {
    pub ptr: P,
    pub inc: usize,
}

// SAFETY: the team members touch disjoint element ranges; the caller's borrow outlives
// the parallel region.
unsafe impl<P> Send for Strided<P> {}
unsafe impl<P> Sync for Strided<P> {}

/// Below this many elements per thread a call stays on the caller's thread: waking a
/// worker costs more than it saves.
pub const MIN_PER_THREAD: usize = 1 << 15;

/// How many of `budget` threads a call of n elements uses.
pub fn threads_for(n: usize, budget: usize) -> usize {
    if n < 2 * MIN_PER_THREAD {
        return 1;
    }
    budget.min(n / MIN_PER_THREAD).max(1)
}

/// `y[i·incy] = f(a[i·inca])` for i < n with `par`'s table's path and as many of its
/// threads as n elements can use.
///
/// # Safety
/// As [`apply`], less the path, which the table guarantees.
pub unsafe fn run(
    par: Par<'_>,
    func: Func,
    n: usize,
    a: Strided<*const f64>,
    y: Strided<*mut f64>,
) -> Ran {
    let threads = threads_for(n, par.threads);
    // SAFETY: the caller's contract; a table is only chosen on a CPU that runs it.
    unsafe {
        apply(par.arch.vml, func, n, a, y, threads, |t, job| {
            (par.launch)(t, job)
        })
    };
    Ran {
        threads,
        path: "vml",
    }
}

/// From this many elements per thread on, results are streamed past the caches: the
/// operands no longer fit in them anyway.
pub const STREAM_MIN: usize = 1 << 21;

/// How far ahead of the element being computed its input is prefetched (8 KiB). The
/// hardware prefetchers alone keep too few lines in flight while the core computes:
/// on the Intel host exp over 10⁸ elements on 2 threads took 0.55 ns per element with
/// them alone, 0.40 with this (a plain copy: 0.38–0.43).
const PREFETCH_AHEAD: usize = 1024;

/// Elements staged per block of a strided call.
const BLOCK: usize = 512;

/// `y[i·incy] = f(a[i·inca])` for i < n, on `threads` (see [`threads_for`]) members of
/// the team `launch` starts. Any element's result depends only on its input, never on how the work was
/// split.
///
/// # Safety
/// `a` is valid for reading and `y` for writing n strided elements (`y` may be `a`
/// itself with the same increment); `path` is available on this CPU.
pub unsafe fn apply(
    path: Path,
    func: Func,
    n: usize,
    a: Strided<*const f64>,
    y: Strided<*mut f64>,
    threads: usize,
    launch: impl FnOnce(usize, &(dyn Fn(&Team) + Sync)),
) {
    let threads = threads.max(1);
    // Captured whole (a closure would otherwise capture the raw pointer fields alone).
    let operands = &(a, y);
    // Contiguous chunks on 64-element boundaries (whole cache lines), a few per thread
    // so a member that starts late leaves whole chunks to the others; chunks that
    // stream their results keep at least STREAM_MIN elements.
    let lines = n.div_ceil(64);
    let units = if n / threads >= STREAM_MIN {
        (n / STREAM_MIN).clamp(threads, 4 * threads)
    } else {
        4 * threads
    };
    let units = units.min(lines).max(1);
    let member = |team: &Team| {
        let (a, y) = *operands;
        team.each(units, |u| {
            let std::ops::Range { start: lo, end: hi } = crate::runtime::share(n, 64, u, units);
            let a = Strided {
                ptr: a.ptr.wrapping_add(lo * a.inc),
                ..a
            };
            let y = Strided {
                ptr: y.ptr.wrapping_add(lo * y.inc),
                ..y
            };
            // SAFETY: this unit's range of the caller's operands.
            unsafe { apply_range(path, func, hi - lo, a, y) };
        })
    };
    if threads == 1 {
        member(&Team::solo());
    } else {
        launch(threads, &member);
    }
}

/// One thread's share: contiguous operands directly, strided ones through a staging
/// block.
///
/// # Safety
/// As [`apply`] for n elements.
unsafe fn apply_range(
    path: Path,
    func: Func,
    n: usize,
    a: Strided<*const f64>,
    y: Strided<*mut f64>,
) {
    if a.inc == 1 && y.inc == 1 {
        // SAFETY: forwarded.
        return unsafe { contiguous(path, func, a.ptr, y.ptr, n) };
    }
    let mut buf = [0.0f64; BLOCK];
    for start in (0..n).step_by(BLOCK) {
        let len = BLOCK.min(n - start);
        for (i, b) in buf[..len].iter_mut().enumerate() {
            // SAFETY: element start + i of a.
            *b = unsafe { *a.ptr.add((start + i) * a.inc) };
        }
        // SAFETY: in place on the local block.
        unsafe { contiguous(path, func, buf.as_ptr(), buf.as_mut_ptr(), len) };
        for (i, b) in buf[..len].iter().enumerate() {
            // SAFETY: element start + i of y.
            unsafe { *y.ptr.add((start + i) * y.inc) = *b };
        }
    }
}

/// # Safety
/// `a` readable and `y` writable for n contiguous elements (`y` may equal `a`); `path`
/// available.
unsafe fn contiguous(path: Path, func: Func, a: *const f64, y: *mut f64, n: usize) {
    match path {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the caller checked the CPU has AVX-512F.
        Path::Avx512 => unsafe {
            if simd::fast_zmm_divide() {
                contiguous_avx512::<true>(func, a, y, n)
            } else {
                contiguous_avx512::<false>(func, a, y, n)
            }
        },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Path::Avx512Reciprocal => unsafe { contiguous_avx512::<false>(func, a, y, n) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: the caller checked the CPU has AVX2 and FMA.
        Path::Avx2 => unsafe { contiguous_avx2(func, a, y, n) },
        // SAFETY: forwarded.
        _ => unsafe { map_func::<OneLane>(func, a, y, n) },
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn contiguous_avx512<const DIVIDE: bool>(func: Func, a: *const f64, y: *mut f64, n: usize) {
    // SAFETY: forwarded.
    unsafe { map_func::<simd::Avx512<DIVIDE>>(func, a, y, n) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn contiguous_avx2(func: Func, a: *const f64, y: *mut f64, n: usize) {
    // SAFETY: forwarded.
    unsafe { map_func::<simd::Avx2>(func, a, y, n) }
}

/// Whole vectors in place of loads and stores; the tail through a padded vector. The
/// function is named, not passed: a call through a closure would not be inlined into
/// the `#[target_feature]` caller, and every vector operation would become a call.
#[inline(always)]
unsafe fn map_func<S: Simd>(func: Func, a: *const f64, y: *mut f64, n: usize) {
    // Elements [from, from + len) (len < LANES) through a padded vector.
    macro_rules! pad {
        ($f:ident, $from:expr, $len:expr) => {{
            let (from, len) = ($from, $len);
            let mut pad = [1.0f64; 8];
            // SAFETY: those elements of both operands; the pad holds LANES ≤ 8 values.
            unsafe {
                std::ptr::copy_nonoverlapping(a.add(from), pad.as_mut_ptr(), len);
                S::store(pad.as_mut_ptr(), functions::$f::<S>(S::load(pad.as_ptr())));
                std::ptr::copy_nonoverlapping(pad.as_ptr(), y.add(from), len);
            }
        }};
    }
    macro_rules! map {
        ($f:ident) => {{
            let mut i = 0;
            if n >= STREAM_MIN && (y as usize) % 8 == 0 {
                // Past the caches: stream the results out (no read-for-ownership of y,
                // a third less memory traffic), from a vector-aligned start.
                let misaligned = (y as usize / 8) % S::LANES;
                let head = if misaligned == 0 {
                    0
                } else {
                    S::LANES - misaligned
                };
                pad!($f, 0, head);
                i = head;
                let full = i + (n - i) / S::LANES * S::LANES;
                while i < full {
                    S::prefetch(a.wrapping_add(i + PREFETCH_AHEAD));
                    // SAFETY: lanes i..i+LANES are inside both operands; y + i is aligned.
                    unsafe { S::store_stream(y.add(i), functions::$f::<S>(S::load(a.add(i)))) };
                    i += S::LANES;
                }
                S::stream_fence();
            } else {
                let full = n - n % S::LANES;
                while i < full {
                    S::prefetch(a.wrapping_add(i + PREFETCH_AHEAD));
                    // SAFETY: lanes i..i+LANES are inside both operands.
                    unsafe { S::store(y.add(i), functions::$f::<S>(S::load(a.add(i)))) };
                    i += S::LANES;
                }
            }
            if i < n {
                pad!($f, i, n - i);
            }
        }};
    }
    match func {
        Func::Exp => map!(exp),
        Func::Ln => map!(ln),
        Func::Log10 => map!(log10),
        Func::Sqrt => map!(sqrt),
        Func::Sqr => map!(sqr),
        Func::Expm1 => map!(expm1),
        Func::Log1p => map!(log1p),
    }
}
