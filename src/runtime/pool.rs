//! The private worker pool.
//!
//! Never rayon's global pool: other Rust code in the process may own it, and rayon has
//! no fork support. The pool lives behind an atomic pointer stamped with the pid that
//! built it; a forked child sees a foreign pid and builds its own, leaving the parent's
//! (whose threads do not exist in the child) untouched forever. No lock is held across
//! `fork()`, so a child can never inherit a held lock. Pools only grow: a larger budget
//! builds a larger pool and the smaller one is retired (leaked, its threads asleep),
//! since another caller may still be inside it. Idle rayon workers block on a condition
//! variable, so a process that called us once does not keep burning CPU.

use faer::Par;
use std::sync::atomic::{AtomicPtr, Ordering};

struct Pool {
    threads: rayon::ThreadPool,
    workers: usize,
    pid: libc::pid_t,
}

static CURRENT: AtomicPtr<Pool> = AtomicPtr::new(std::ptr::null_mut());

fn current_pid() -> libc::pid_t {
    // SAFETY: getpid has no preconditions.
    unsafe { libc::getpid() }
}

/// A pool of at least `workers` threads belonging to this process, or `None` if threads
/// cannot be started (then callers run serially).
fn pool_for(workers: usize) -> Option<&'static Pool> {
    let pid = current_pid();
    loop {
        let seen = CURRENT.load(Ordering::Acquire);
        // SAFETY: pools are leaked, never freed, so a published pointer stays valid.
        let old = unsafe { seen.as_ref() };
        let keep = old.filter(|p| p.pid == pid);
        if let Some(p) = keep
            && p.workers >= workers
        {
            return Some(p);
        }
        let size = workers.max(keep.map_or(0, |p| p.workers));
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(size)
            .thread_name(|i| format!("oxblas-{i}"))
            .build()
            .ok()?;
        let fresh = Box::into_raw(Box::new(Pool {
            threads,
            workers: size,
            pid,
        }));
        match CURRENT.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // The old pool is retired, not dropped: another caller may be running on it.
            Ok(_) => return unsafe { fresh.as_ref() },
            Err(_) => {
                // SAFETY: `fresh` was never published; we still own it.
                drop(unsafe { Box::from_raw(fresh) });
            }
        }
    }
}

/// Runs `work` with `threads` threads: on the caller's thread when `threads <= 1`,
/// otherwise inside the private pool with `Par::rayon(threads)`.
pub fn run<R: Send>(threads: usize, work: impl FnOnce(Par) -> R + Send) -> R {
    if threads <= 1 {
        return work(Par::Seq);
    }
    match pool_for(threads) {
        Some(pool) => pool.threads.install(|| work(Par::rayon(threads))),
        None => work(Par::Seq),
    }
}
