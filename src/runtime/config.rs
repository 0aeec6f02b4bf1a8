//! The thread budget.
//!
//! Read once, at the first call that needs it — not when the library is loaded: under
//! LD_PRELOAD the library is loaded before a script sets `OMP_NUM_THREADS` and imports
//! NumPy. Order: `OXBLAS_NUM_THREADS` (as given), `OPENBLAS_NUM_THREADS`,
//! `OMP_NUM_THREADS` (both capped at the CPUs this process may use), then those CPUs —
//! shared out among the MPI ranks on this node when the launcher says there are several
//! (`OMPI_COMM_WORLD_LOCAL_SIZE` from Open MPI, `MPI_LOCALNRANKS` from MPICH and Intel
//! MPI), so that ranks × threads never exceeds the cores: an unbound rank that took every
//! CPU would multiply the node's load by the rank count. A runtime setter overrides all
//! of them.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Upper bound on any thread count we accept, from the environment or a setter.
pub const MAX_THREADS: usize = 256;

/// Set by MPI launchers to the number of ranks on this node.
const LOCAL_RANKS_VARS: [&str; 2] = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"];

const ENV_VARS: [&str; 3] = [
    "OXBLAS_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
];

static FROM_ENV: OnceLock<usize> = OnceLock::new();
/// 0 means "no override: use the environment".
static OVERRIDE: AtomicUsize = AtomicUsize::new(0);

/// Number of threads a call may use.
pub fn budget() -> usize {
    match OVERRIDE.load(Ordering::Relaxed) {
        0 => *FROM_ENV.get_or_init(from_environment),
        n => n,
    }
}

/// Sets the thread budget for subsequent calls; `n < 1` restores the environment's.
pub fn set_budget(n: i64) {
    let n = if n < 1 {
        0
    } else {
        (n as usize).min(MAX_THREADS)
    };
    OVERRIDE.store(n, Ordering::Relaxed);
}

/// The CPUs this process may use (affinity mask and cgroup quota respected).
pub fn available_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `OXBLAS_KERNEL` (avx512, avx2, generic): forces a microkernel path, so every path can
/// be tested on one machine. Ignored when the CPU lacks it.
pub fn forced_kernel() -> Option<String> {
    std::env::var("OXBLAS_KERNEL")
        .ok()
        .map(|v| v.trim().to_ascii_lowercase())
}

fn from_environment() -> usize {
    for name in ENV_VARS {
        let Ok(value) = std::env::var(name) else {
            continue;
        };
        match parse_threads(name, &value) {
            // OXBLAS_NUM_THREADS is an explicit request for oxblas and is honoured as given.
            // The shared variables are often set for other libraries or other machines;
            // like OpenBLAS, never start more workers for them than the CPUs we may use.
            Some(n) if name == "OXBLAS_NUM_THREADS" => return n,
            Some(n) => return n.min(available_cpus()),
            None => eprintln!(
                "oxblas: ignoring {name}={value:?}: expected a positive integer (at most {MAX_THREADS})"
            ),
        }
    }
    share_per_rank(available_cpus(), local_ranks())
}

/// The ranks an MPI launcher started on this node (1 outside MPI).
fn local_ranks() -> usize {
    LOCAL_RANKS_VARS
        .iter()
        .find_map(|name| std::env::var(name).ok()?.trim().parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
}

/// Each rank's share of the CPUs it may use, at least one. A rank that its launcher
/// bound to one core sees one CPU and keeps it.
fn share_per_rank(cpus: usize, ranks: usize) -> usize {
    (cpus / ranks.max(1)).max(1)
}

/// Strict parse of a thread-count variable. `OMP_NUM_THREADS` may be an OpenMP
/// nesting list ("4,2"); its first level is the one that applies to us.
pub fn parse_threads(name: &str, value: &str) -> Option<usize> {
    let value = value.trim();
    let first = if name == "OMP_NUM_THREADS" {
        value.split(',').next()?.trim()
    } else {
        value
    };
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match first.parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_threads, share_per_rank};

    #[test]
    fn ranks_share_the_cpus() {
        assert_eq!(share_per_rank(8, 1), 8);
        assert_eq!(share_per_rank(8, 2), 4);
        assert_eq!(share_per_rank(8, 3), 2);
        assert_eq!(share_per_rank(2, 4), 1);
        assert_eq!(share_per_rank(1, 2), 1);
        assert_eq!(share_per_rank(4, 0), 4);
    }

    #[test]
    fn strict_parse() {
        assert_eq!(parse_threads("OXBLAS_NUM_THREADS", "4"), Some(4));
        assert_eq!(parse_threads("OXBLAS_NUM_THREADS", " 2 "), Some(2));
        assert_eq!(parse_threads("OXBLAS_NUM_THREADS", "0"), None);
        assert_eq!(parse_threads("OXBLAS_NUM_THREADS", "-1"), None);
        assert_eq!(parse_threads("OXBLAS_NUM_THREADS", "2x"), None);
        assert_eq!(parse_threads("OXBLAS_NUM_THREADS", ""), None);
        assert_eq!(parse_threads("OXBLAS_NUM_THREADS", "4,2"), None);
        assert_eq!(parse_threads("OMP_NUM_THREADS", "4,2"), Some(4));
        assert_eq!(parse_threads("OMP_NUM_THREADS", "100000"), None);
    }
}
