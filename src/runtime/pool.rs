//! The private worker pool: a team of threads that runs one SPMD job at a time.
//!
//! Why not rayon: a BLAS call is a short fork-join region, and its speed at 128³–256³
//! is set by how fast sleeping workers start. Our workers spin briefly after a job (so
//! back-to-back calls start in well under a microsecond) and then sleep on a condition
//! variable (so an idle process burns no CPU). The caller is member 0 of the team.
//!
//! Fork safety: the pool is stamped with the pid that built it; a forked child sees a
//! foreign pid and builds its own, never touching the parent's (whose threads do not
//! exist in the child). No lock is held across a dispatch, so a child never inherits a
//! held lock it would need. Concurrency: one team runs at a time; a caller that finds
//! the pool busy runs its job alone on its own thread, so concurrent callers never
//! oversubscribe the CPUs.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a worker keeps spinning for the next job before it sleeps.
const SPIN: Duration = Duration::from_micros(200);

/// A job as the workers see it: run member `tid` of the team.
type Job<'a> = dyn Fn(usize) + Sync + 'a;
/// The job with its lifetime erased; published through a thin pointer to it.
type JobRef = &'static Job<'static>;

/// The handle an SPMD job receives: its member index, the team size, and a barrier.
pub struct Team<'a> {
    id: usize,
    size: usize,
    barrier: Option<&'a Barrier>,
}

impl Team<'_> {
    /// A team of one: the caller alone.
    pub fn solo() -> Team<'static> {
        Team {
            id: 0,
            size: 1,
            barrier: None,
        }
    }
    pub fn id(&self) -> usize {
        self.id
    }
    pub fn size(&self) -> usize {
        self.size
    }
    /// Waits until every member of the team has reached this barrier.
    pub fn barrier(&self) {
        if let Some(b) = self.barrier {
            b.wait(self.size);
        }
    }
}

/// A sense-reversing spin barrier (members spin, then yield).
pub struct Barrier {
    arrived: AtomicUsize,
    phase: AtomicUsize,
}

impl Barrier {
    const fn new() -> Barrier {
        Barrier {
            arrived: AtomicUsize::new(0),
            phase: AtomicUsize::new(0),
        }
    }

    fn wait(&self, size: usize) {
        let phase = self.phase.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == size {
            self.arrived.store(0, Ordering::Relaxed);
            self.phase.store(phase.wrapping_add(1), Ordering::Release);
        } else {
            spin_until(|| self.phase.load(Ordering::Acquire) != phase);
        }
    }
}

fn spin_until(done: impl Fn() -> bool) {
    let mut i = 0u32;
    while !done() {
        if i < 4096 {
            std::hint::spin_loop();
            i += 1;
        } else {
            std::thread::yield_now();
        }
    }
}

/// State shared by the caller and the workers of one pool.
struct Shared {
    /// (epoch << 16) | team size: one atomic word, so a worker reads both at once.
    ticket: AtomicU64,
    /// The current job; valid while its participants have not all reported done.
    job: AtomicPtr<JobRef>,
    done: AtomicUsize,
    panicked: AtomicBool,
    barrier: Barrier,
    sleepers: Mutex<usize>,
    wake: Condvar,
}

struct Pool {
    shared: Arc<Shared>,
    /// Members including the caller: `workers + 1`.
    members: usize,
    pid: libc::pid_t,
    busy: AtomicBool,
}

static CURRENT: AtomicPtr<Pool> = AtomicPtr::new(std::ptr::null_mut());

fn current_pid() -> libc::pid_t {
    // SAFETY: getpid has no preconditions.
    unsafe { libc::getpid() }
}

fn worker(shared: Arc<Shared>, tid: usize) {
    let mut seen = 0u64;
    loop {
        let mut ticket = shared.ticket.load(Ordering::Acquire);
        if ticket >> 16 == seen {
            let start = Instant::now();
            let mut spins = 0u32;
            while ticket >> 16 == seen {
                std::hint::spin_loop();
                spins += 1;
                if spins.is_multiple_of(256) && start.elapsed() > SPIN {
                    let mut sleepers = shared.sleepers.lock().unwrap_or_else(|e| e.into_inner());
                    *sleepers += 1;
                    while shared.ticket.load(Ordering::Acquire) >> 16 == seen {
                        sleepers = shared
                            .wake
                            .wait(sleepers)
                            .unwrap_or_else(|e| e.into_inner());
                    }
                    *sleepers -= 1;
                }
                ticket = shared.ticket.load(Ordering::Acquire);
            }
        }
        seen = ticket >> 16;
        let size = (ticket & 0xffff) as usize;
        if tid < size {
            // SAFETY: we are a participant, so the caller waits for our `done` before
            // the job it published (before the ticket) goes out of scope.
            let job: JobRef = unsafe { *shared.job.load(Ordering::Acquire) };
            if catch_unwind(AssertUnwindSafe(|| job(tid))).is_err() {
                shared.panicked.store(true, Ordering::Relaxed);
            }
            shared.done.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// A pool with at least `members` members (caller included) for this process, or
/// `None` if threads cannot be started.
fn pool_for(members: usize) -> Option<&'static Pool> {
    let pid = current_pid();
    loop {
        let seen = CURRENT.load(Ordering::Acquire);
        // SAFETY: pools are leaked, never freed, so a published pointer stays valid.
        let old = unsafe { seen.as_ref() }.filter(|p| p.pid == pid);
        if let Some(p) = old
            && p.members >= members
        {
            return Some(p);
        }
        let members = members.max(old.map_or(0, |p| p.members));
        let shared = Arc::new(Shared {
            ticket: AtomicU64::new(0),
            job: AtomicPtr::new(std::ptr::null_mut()),
            done: AtomicUsize::new(0),
            panicked: AtomicBool::new(false),
            barrier: Barrier::new(),
            sleepers: Mutex::new(0),
            wake: Condvar::new(),
        });
        for tid in 1..members {
            let s = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("oxblas-{tid}"))
                .spawn(move || worker(s, tid))
                .ok()?;
        }
        let fresh = Box::into_raw(Box::new(Pool {
            shared,
            members,
            pid,
            busy: AtomicBool::new(false),
        }));
        match CURRENT.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // The old pool is retired, not dropped: another caller may be running on it.
            Ok(_) => return unsafe { fresh.as_ref() },
            // Lost a race: leak ours (its workers sleep forever) and use the winner.
            Err(_) => continue,
        }
    }
}

/// Runs `job` on a team of `threads` members (the caller is member 0) and returns when
/// all have finished. With `threads <= 1`, or when the pool is busy with another
/// caller's job, the caller runs it alone as a team of one.
pub fn run(threads: usize, job: impl Fn(&Team) + Sync) {
    let threads = threads.min(0xffff);
    let pool = if threads > 1 { pool_for(threads) } else { None };
    let Some(pool) = pool.filter(|p| !p.busy.swap(true, Ordering::Acquire)) else {
        return job(&Team::solo());
    };
    let shared = &*pool.shared;
    let body = |tid: usize| {
        job(&Team {
            id: tid,
            size: threads,
            barrier: Some(&shared.barrier),
        })
    };
    let body: &Job<'_> = &body;
    shared.done.store(0, Ordering::Relaxed);
    shared.panicked.store(false, Ordering::Relaxed);
    // SAFETY: lifetime erased; workers use the job only until they report done, and we
    // wait for that below before `body` and `erased` go out of scope.
    let erased: JobRef = unsafe { std::mem::transmute::<&Job<'_>, JobRef>(body) };
    shared
        .job
        .store(&erased as *const JobRef as *mut JobRef, Ordering::Release);
    let epoch = (shared.ticket.load(Ordering::Relaxed) >> 16) + 1;
    shared
        .ticket
        .store((epoch << 16) | threads as u64, Ordering::Release);
    if *shared.sleepers.lock().unwrap_or_else(|e| e.into_inner()) > 0 {
        shared.wake.notify_all();
    }
    let mine = catch_unwind(AssertUnwindSafe(|| body(0)));
    spin_until(|| shared.done.load(Ordering::Acquire) == threads - 1);
    let panicked = shared.panicked.load(Ordering::Relaxed);
    pool.busy.store(false, Ordering::Release);
    if let Err(payload) = mine {
        std::panic::resume_unwind(payload);
    }
    assert!(!panicked, "a pool worker panicked");
}

/// [`run`] for a job behind a reference: the launcher algorithms receive in their `Par`.
pub fn launch(threads: usize, job: &(dyn Fn(&Team) + Sync)) {
    run(threads, job)
}
