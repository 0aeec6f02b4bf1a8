//! The C ABI. Everything `extern "C"` lives below this module and nowhere else.
//!
//! Each routine is written once, generic over the integer width ([`BlasInt`]), and
//! exported under every symbol family by [`export_fns!`](crate::export_fns).

#[macro_use]
mod export;
pub mod blas;
pub mod cblas_enums;
pub mod cblas_map;
pub mod control;
pub mod eigen;
pub mod extensions;
pub mod factor;
pub mod lapack;
pub mod least_squares;
pub mod level1;
pub mod level2;
pub mod level3;
pub mod names;
pub mod types;
pub mod vector_blas;
pub mod vml;
pub mod xerbla;

pub use types::{BlasInt, guard};

use crate::arch::{Arch, Refusal};
use crate::blas::{Par, Ran};
use crate::runtime;

/// The process-wide architecture table: the best this CPU runs, or the one
/// `OXBLAS_KERNEL` names. A name that is not honoured is reported once on stderr, as a
/// malformed thread count is.
#[inline]
pub(crate) fn arch() -> &'static Arch {
    crate::arch::active(runtime::config::forced_kernel, |name, why, used| {
        let reason = match why {
            Refusal::Unknown => format!(
                "no such kernel table (known: {})",
                crate::arch::names().join(", ")
            ),
            Refusal::Unsupported => "this CPU lacks its instructions".to_string(),
        };
        eprintln!(
            "oxblas: ignoring OXBLAS_KERNEL={name:?}: {reason}; using {}",
            used.name
        );
    })
}

/// The parallelism a call runs with: the process's table, the caller's thread budget
/// and the runtime's pool.
#[inline]
pub(crate) fn par() -> Par<'static> {
    Par {
        arch: arch(),
        threads: runtime::budget(),
        launch: &runtime::launch,
    }
}

/// One export's computation after its checks: the [`par`] it runs with, and its trace
/// line when `OXBLAS_VERBOSE` is on (one relaxed load when off). [`traced`] and
/// [`traced_ran`] wrap it around a closure; the nanosecond paths use it directly.
pub(crate) struct Call<N: std::fmt::Display> {
    pub par: Par<'static>,
    trace: Option<runtime::verbose::Trace<N>>,
}

impl<N: std::fmt::Display> Call<N> {
    /// `flops` gives the line its rate.
    #[inline(always)]
    pub fn start(routine: N, flops: f64) -> Self {
        Call {
            par: par(),
            trace: runtime::verbose::start(routine, flops),
        }
    }

    /// Ends the call; `ran` names the threads used and the path where the routine
    /// reports them (the budget otherwise), `describe` the arguments (formatted only
    /// when tracing).
    #[inline(always)]
    pub fn finish(self, ran: Option<Ran>, describe: impl FnOnce() -> String) {
        if let Some(t) = self.trace {
            let threads = ran.map_or(self.par.threads, |r| r.threads);
            t.finish(threads, self.par.arch.name, ran.map(|r| r.path), describe());
        }
    }
}

/// Runs the computation of an export that passed its checks, with [`par`], traced when
/// `OXBLAS_VERBOSE` is on: `flops` for the rate, `describe` for the arguments (formatted
/// only when tracing). The line names the threads the budget allowed and the table.
#[inline(always)]
pub(crate) fn traced<R>(
    routine: impl std::fmt::Display,
    flops: f64,
    describe: impl FnOnce() -> String,
    work: impl FnOnce(Par<'static>) -> R,
) -> R {
    let call = Call::start(routine, flops);
    let out = work(call.par);
    call.finish(None, describe);
    out
}

/// [`traced`] for a routine that reports what it [`Ran`] on: the line names the threads
/// it used and its path.
#[inline(always)]
pub(crate) fn traced_ran<R>(
    routine: impl std::fmt::Display,
    flops: f64,
    describe: impl FnOnce() -> String,
    work: impl FnOnce(Par<'static>) -> (R, Ran),
) -> R {
    let call = Call::start(routine, flops);
    let (out, ran) = work(call.par);
    call.finish(Some(ran), describe);
    out
}
