//! `OXBLAS_VERBOSE=1`: one line per call on stderr, as `MKL_VERBOSE` does.
//! When off, a call pays one relaxed load.

use std::fmt::Display;
use std::sync::OnceLock;
use std::time::Instant;

static ENABLED: OnceLock<bool> = OnceLock::new();

pub fn enabled() -> bool {
    *ENABLED.get_or_init(|| {
        std::env::var("OXBLAS_VERBOSE").is_ok_and(|v| !matches!(v.trim(), "" | "0"))
    })
}

/// Runs `work`, and when tracing is on prints routine, arguments, threads, seconds and
/// GFLOP/s.
pub fn traced<R>(
    routine: &str,
    args: impl Display,
    threads: usize,
    flops: f64,
    work: impl FnOnce() -> R,
) -> R {
    if !enabled() {
        return work();
    }
    let start = Instant::now();
    let r = work();
    let secs = start.elapsed().as_secs_f64();
    let gflops = if secs > 0.0 { flops / secs * 1e-9 } else { 0.0 };
    eprintln!(
        "OXBLAS_VERBOSE {routine}({args}) threads={threads} time={secs:.6}s gflops={gflops:.2}"
    );
    r
}
