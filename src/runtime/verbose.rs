//! `OXBLAS_VERBOSE=1`: one line per call on stderr, as `MKL_VERBOSE` does.
//! When off, a call pays one relaxed load and a branch; nothing is formatted.
//!
//! ```text
//! let trace = verbose::start("dgemm", flops);
//! ... the work ...
//! if let Some(t) = trace { t.finish(threads, "avx512", Some("packed"), describe()) }
//! ```
//!
//! The ABI's `traced` helper does this for every export.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

/// 0: not read yet; 1: off; 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);

#[inline(always)]
pub fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => read_environment(),
    }
}

#[cold]
fn read_environment() -> bool {
    let on = std::env::var("OXBLAS_VERBOSE").is_ok_and(|v| !matches!(v.trim(), "" | "0"));
    STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
    on
}

/// A call being traced.
pub struct Trace<N> {
    routine: N,
    flops: f64,
    start: Instant,
}

/// Starts tracing a call when `OXBLAS_VERBOSE` is on.
#[inline(always)]
pub fn start<N: std::fmt::Display>(routine: N, flops: f64) -> Option<Trace<N>> {
    if enabled() {
        Some(Trace {
            routine,
            flops,
            start: Instant::now(),
        })
    } else {
        None
    }
}

impl<N: std::fmt::Display> Trace<N> {
    /// Prints routine, arguments, threads, the kernel table (and the routine's path
    /// through it, where it has several), seconds and GFLOP/s.
    #[cold]
    pub fn finish(self, threads: usize, kernel: &str, path: Option<&str>, args: String) {
        let secs = self.start.elapsed().as_secs_f64();
        let gflops = if secs > 0.0 {
            self.flops / secs * 1e-9
        } else {
            0.0
        };
        let path = path.map(|p| format!(" path={p}")).unwrap_or_default();
        // One write per line: stderr is unbuffered, and `eprintln!` writes each piece of
        // the format separately, so lines from concurrent callers (or from MPI ranks
        // whose launcher tags every write) would interleave mid-line.
        let line = format!(
            "OXBLAS_VERBOSE {}({args}) threads={threads} kernel={kernel}{path} time={secs:.6}s gflops={gflops:.2}\n",
            self.routine
        );
        use std::io::Write;
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}
