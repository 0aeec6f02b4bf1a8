//! The private worker pool: a team of threads that shares one job's work at a time.
//!
//! Why not rayon: a BLAS call is a short fork-join region, and its speed at 128³–256³
//! is set by how fast sleeping workers start. Our workers spin briefly after a job (so
//! back-to-back calls start in well under a microsecond) and then sleep on a condition
//! variable (so an idle process burns no CPU). The caller is member 0 of the team.
//!
//! Nobody waits for a worker that has not started. A job's work is split into units
//! that members *claim* ([`Team::each`]): the caller starts on them at once, a worker
//! joins when it wakes and claims what is left, and one that wakes after the work is
//! done finds nothing to do. A member only ever waits for units another member has
//! claimed and is running. Each unit is computed the same way whoever claims it, so
//! results do not depend on the team size or on who was late. The caller closes the
//! door when its own work is done; a worker can only join through it.
//!
//! Fork safety: the pool is stamped with the pid that built it; a forked child sees a
//! foreign pid and builds its own, never touching the parent's (whose threads do not
//! exist in the child). No lock is held across a dispatch, so a child never inherits a
//! held lock it would need. Concurrency: one team runs at a time; a caller that finds
//! the pool busy runs its job alone on its own thread, so concurrent callers never
//! oversubscribe the CPUs.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a worker keeps spinning for the next job before it sleeps.
const SPIN: Duration = Duration::from_micros(200);

/// Unit `unit` of `units` contiguous shares of `0..len`, cut on multiples of `tile`:
/// in order, covering `0..len`, sizes differing by at most one tile. How every
/// parallel routine cuts its work into units for [`Team::each`].
pub fn share(len: usize, tile: usize, unit: usize, units: usize) -> std::ops::Range<usize> {
    let tiles = len.div_ceil(tile);
    (tiles * unit / units * tile).min(len)..(tiles * (unit + 1) / units * tile).min(len)
}

/// A job as the workers see it: run one member of the team.
type Job<'a> = dyn Fn(&Team) + Sync + 'a;
/// The job with its lifetime erased; published through a thin pointer to it.
type JobRef = &'static Job<'static>;

/// The handle an SPMD job receives. Every member runs the same job and calls
/// [`Team::each`] / [`Team::each_in_order`] in the same sequence; the units of each
/// call are shared among the members present.
pub struct Team<'a> {
    work: Option<&'a Work>,
    /// This member's seat (the caller's is 0) and the team's size as requested.
    seat: usize,
    size: usize,
    /// Units of this job's earlier calls: where the next call's units start.
    base: Cell<u64>,
    /// How many `each` calls this member has made in this job.
    phase: Cell<u32>,
}

/// A value on cache lines of its own (two 64-byte lines: adjacent-line prefetchers
/// pull pairs), so members writing different counters do not take each other's lines.
#[repr(align(128))]
struct Padded<T>(T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The shared counters of one job's units, across its `each` calls.
struct Work {
    /// Next unit of the in-order calls (absolute: `base` + index).
    claimed: Padded<AtomicU64>,
    /// Per home block: (phase << 32) | next unit (relative to the call).
    blocks: Box<[Padded<AtomicU64>]>,
    finished: Padded<AtomicU64>,
    panicked: AtomicBool,
}

impl Work {
    fn new(members: usize) -> Work {
        Work {
            claimed: Padded(AtomicU64::new(0)),
            blocks: (0..members).map(|_| Padded(AtomicU64::new(0))).collect(),
            finished: Padded(AtomicU64::new(0)),
            panicked: AtomicBool::new(false),
        }
    }

    /// Claims the next unit of home block `range` in call `phase`, if one is left.
    fn claim_in_block(&self, block: usize, range: std::ops::Range<u64>, phase: u32) -> Option<u64> {
        let word = &self.blocks[block];
        let mut w = word.load(Ordering::Relaxed);
        loop {
            let next = match (w >> 32) as u32 {
                p if p == phase => w & 0xffff_ffff,
                // Untouched in this call yet: it starts at its first unit.
                p if p < phase => range.start,
                // A later call already: this one is over.
                _ => return None,
            };
            if next >= range.end {
                return None;
            }
            let claimed = ((phase as u64) << 32) | (next + 1);
            match word.compare_exchange_weak(w, claimed, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Some(next),
                Err(now) => w = now,
            }
        }
    }

    /// Runs one claimed unit; a panicking unit still counts as finished, so no member
    /// waits for it forever (the caller reports it when the job ends).
    fn run(&self, unit: &mut impl FnMut(usize), u: u64) {
        if catch_unwind(AssertUnwindSafe(|| unit(u as usize))).is_err() {
            self.panicked.store(true, Ordering::Relaxed);
        }
        self.finished.fetch_add(1, Ordering::Release);
    }
}

impl Team<'_> {
    /// A team of one: the caller alone.
    pub fn solo() -> Team<'static> {
        Team {
            work: None,
            seat: 0,
            size: 1,
            base: Cell::new(0),
            phase: Cell::new(0),
        }
    }

    /// Member `seat` of a team of `size` sharing `work`.
    fn member(work: &Work, seat: usize, size: usize) -> Team<'_> {
        Team {
            work: Some(work),
            seat,
            size,
            base: Cell::new(0),
            phase: Cell::new(0),
        }
    }

    /// Starts this member's next call of `units` units: (base, end) of its absolute
    /// unit numbers and the call's phase.
    fn next_call(&self, units: usize) -> (u64, u64, u32) {
        let (base, phase) = (self.base.get(), self.phase.get() + 1);
        let end = base + units as u64;
        self.base.set(end);
        self.phase.set(phase);
        (base, end, phase)
    }

    /// Runs `unit(u)` for every `u` in `0..units`, each exactly once, on whichever
    /// members claim it, and returns when all of them are done (so the next call sees
    /// their results). The units are cut into one contiguous block per seat: each
    /// member works through its own block first, so on time a member gets the same
    /// units call after call (what it touched is still in its cache) and neighbours
    /// share no cache lines; then it takes what is left of the others' blocks, so the
    /// block of a member that has not started is done by those that have.
    pub fn each(&self, units: usize, mut unit: impl FnMut(usize)) {
        let Some(work) = self.work else {
            return (0..units).for_each(unit);
        };
        debug_assert!(
            units as u64 <= u32::MAX as u64,
            "a block counts units in 32 bits"
        );
        let (_, end, phase) = self.next_call(units);
        let n = units as u64;
        let size = self.size as u64;
        for b in (self.seat..self.size).chain(0..self.seat) {
            let range = n * b as u64 / size..n * (b as u64 + 1) / size;
            while let Some(u) = work.claim_in_block(b, range.clone(), phase) {
                work.run(&mut unit, u);
            }
        }
        // Only units another member claimed and is running are outstanding.
        spin_until(|| work.finished.load(Ordering::Acquire) >= end);
    }

    /// [`Team::each`] with the units claimed in increasing order from one counter, for
    /// pipelines where unit u waits on unit u − 1: the unit waited on is always
    /// claimed, hence running.
    pub fn each_in_order(&self, units: usize, mut unit: impl FnMut(usize)) {
        let Some(work) = self.work else {
            return (0..units).for_each(unit);
        };
        let (base, end, _) = self.next_call(units);
        let mut c = work.claimed.load(Ordering::Relaxed);
        loop {
            // Counts left by earlier calls are below this call's base.
            let next = c.max(base);
            if next >= end {
                break;
            }
            match work.claimed.compare_exchange_weak(
                c,
                next + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    work.run(&mut unit, next - base);
                    c = work.claimed.load(Ordering::Relaxed);
                }
                Err(now) => c = now,
            }
        }
        spin_until(|| work.finished.load(Ordering::Acquire) >= end);
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
    /// (epoch << 16) | seats still open: one word, so a worker joins a job (takes a
    /// seat) only while the caller has not closed it.
    ticket: Padded<AtomicU64>,
    /// The current job; valid while a member that took a seat has not left.
    job: AtomicPtr<JobRef>,
    /// Members that took a seat in the current job and have left it.
    left: Padded<AtomicUsize>,
    /// The current job's team size (caller included), for the members' home blocks.
    size: AtomicUsize,
    work: Work,
    /// Workers asleep on `wake` (or about to be): the caller takes the lock and
    /// notifies only when there are any. SeqCst on both sides: a worker counts itself
    /// before its last look at the ticket, the caller publishes the ticket before it
    /// reads the count, so one of the two sees the other.
    asleep: AtomicUsize,
    sleep_lock: Mutex<()>,
    wake: Condvar,
    /// Test hook: how long a worker waits after waking before it joins a job.
    late: AtomicU64,
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

fn worker(shared: Arc<Shared>) {
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
                    let mut guard = shared.sleep_lock.lock().unwrap_or_else(|e| e.into_inner());
                    shared.asleep.fetch_add(1, Ordering::SeqCst);
                    while shared.ticket.load(Ordering::SeqCst) >> 16 == seen {
                        guard = shared.wake.wait(guard).unwrap_or_else(|e| e.into_inner());
                    }
                    shared.asleep.fetch_sub(1, Ordering::SeqCst);
                    drop(guard);
                }
                ticket = shared.ticket.load(Ordering::Acquire);
            }
        }
        seen = ticket >> 16;
        let late = shared.late.load(Ordering::Relaxed);
        if late > 0 {
            std::thread::sleep(Duration::from_micros(late));
        }
        // Take a seat if one is still open in this epoch.
        let mut t = shared.ticket.load(Ordering::Acquire);
        while t >> 16 == seen && t & 0xffff > 0 {
            match shared.ticket.compare_exchange_weak(
                t,
                t - 1,
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    // SAFETY: we hold a seat, so the caller waits for our `left` before
                    // the job it published (before the ticket) goes out of scope.
                    let job: JobRef = unsafe { *shared.job.load(Ordering::Acquire) };
                    // Seats are taken from the last open one down: the first worker
                    // to join sits at 1.
                    let size = shared.size.load(Ordering::Relaxed);
                    let team = Team::member(&shared.work, size - (t & 0xffff) as usize, size);
                    if catch_unwind(AssertUnwindSafe(|| job(&team))).is_err() {
                        shared.work.panicked.store(true, Ordering::Relaxed);
                    }
                    shared.left.fetch_add(1, Ordering::AcqRel);
                    break;
                }
                Err(now) => t = now,
            }
        }
    }
}

impl Pool {
    /// Starts `members - 1` workers, or `None` if threads cannot be started.
    fn start(members: usize, late: u64) -> Option<Pool> {
        let shared = Arc::new(Shared {
            ticket: Padded(AtomicU64::new(0)),
            job: AtomicPtr::new(std::ptr::null_mut()),
            left: Padded(AtomicUsize::new(0)),
            work: Work::new(members),
            size: AtomicUsize::new(1),
            asleep: AtomicUsize::new(0),
            sleep_lock: Mutex::new(()),
            wake: Condvar::new(),
            late: AtomicU64::new(late),
        });
        for tid in 1..members {
            let s = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(format!("oxblas-{tid}"))
                .spawn(move || worker(s))
                .ok()?;
        }
        Some(Pool {
            shared,
            members,
            pid: current_pid(),
            busy: AtomicBool::new(false),
        })
    }

    /// Runs `job` on a team of up to `threads` members (at most the pool's), the caller
    /// first among them; `false` (and nothing run) if another caller's job is running.
    fn run(&self, threads: usize, job: &Job<'_>) -> bool {
        if self.busy.swap(true, Ordering::Acquire) {
            return false;
        }
        let shared = &*self.shared;
        shared.left.store(0, Ordering::Relaxed);
        shared.work.claimed.store(0, Ordering::Relaxed);
        for block in shared.work.blocks.iter() {
            block.store(0, Ordering::Relaxed);
        }
        shared.work.finished.store(0, Ordering::Relaxed);
        shared.work.panicked.store(false, Ordering::Relaxed);
        // SAFETY: lifetime erased; members use the job only while they hold a seat,
        // and we wait for every seated member to leave before `job` and `erased` go
        // out of scope.
        let erased: JobRef = unsafe { std::mem::transmute::<&Job<'_>, JobRef>(job) };
        shared
            .job
            .store(&erased as *const JobRef as *mut JobRef, Ordering::Release);
        let epoch = (shared.ticket.load(Ordering::Relaxed) >> 16) + 1;
        let size = threads.min(self.members);
        let seats = (size - 1) as u64;
        shared.size.store(size, Ordering::Relaxed);
        shared.ticket.store((epoch << 16) | seats, Ordering::SeqCst);
        if shared.asleep.load(Ordering::SeqCst) > 0 {
            let _guard = shared.sleep_lock.lock().unwrap_or_else(|e| e.into_inner());
            shared.wake.notify_all();
        }
        let team = Team::member(&shared.work, 0, size);
        let mine = catch_unwind(AssertUnwindSafe(|| job(&team)));
        // Close the door: a worker that has not taken a seat by now stays out.
        let open = shared.ticket.swap(epoch << 16, Ordering::AcqRel) & 0xffff;
        let seated = (seats - open) as usize;
        spin_until(|| shared.left.load(Ordering::Acquire) == seated);
        let panicked = shared.work.panicked.load(Ordering::Relaxed);
        self.busy.store(false, Ordering::Release);
        if let Err(payload) = mine {
            std::panic::resume_unwind(payload);
        }
        assert!(!panicked, "a unit of a pool job panicked");
        true
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
        let late = old.map_or(0, |p| p.shared.late.load(Ordering::Relaxed));
        let fresh = Box::into_raw(Box::new(Pool::start(members, late)?));
        match CURRENT.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
            // The old pool is retired, not dropped: another caller may be running on it.
            Ok(_) => return unsafe { fresh.as_ref() },
            // Lost a race: leak ours (its workers sleep forever) and use the winner.
            Err(_) => continue,
        }
    }
}

/// Runs `job` on a team of up to `threads` members (the caller is member 0 and always
/// runs it; workers join while it runs) and returns when every member that joined has
/// left. With `threads <= 1`, or when the pool is busy with another caller's job, the
/// caller runs it alone as a team of one.
pub fn run(threads: usize, job: impl Fn(&Team) + Sync) {
    let threads = threads.min(0xffff);
    let pool = if threads > 1 { pool_for(threads) } else { None };
    if !pool.is_some_and(|p| p.run(threads, &job)) {
        job(&Team::solo())
    }
}

/// [`run`] for a job behind a reference: the launcher algorithms receive in their `Par`.
pub fn launch(threads: usize, job: &(dyn Fn(&Team) + Sync)) {
    run(threads, job)
}

/// Test hook: from now on every worker of this process's pool sleeps `delay` after it
/// wakes for a job, before it tries to join, so tests can check that late workers
/// change nothing.
pub fn delay_workers(delay: Duration) {
    if let Some(p) = pool_for(2) {
        p.shared
            .late
            .store(delay.as_micros() as u64, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;
    use std::thread::ThreadId;

    /// A private pool of `members`, its workers `late_us` late to every job.
    fn pool(members: usize, late_us: u64) -> &'static Pool {
        Box::leak(Box::new(Pool::start(members, late_us).expect("threads")))
    }

    /// Runs phases of the given unit counts on `pool`; returns, per phase and unit, how
    /// many times it ran and the thread that ran it, and checks each phase saw all of
    /// the previous one done.
    fn phases(pool: &Pool, threads: usize, sizes: &[usize]) -> Vec<Vec<(u32, ThreadId)>> {
        let ran: Vec<Vec<(AtomicU32, Mutex<Option<ThreadId>>)>> = sizes
            .iter()
            .map(|&n| {
                (0..n)
                    .map(|_| (AtomicU32::new(0), Mutex::new(None)))
                    .collect()
            })
            .collect();
        let job = |team: &Team| {
            for (p, &n) in sizes.iter().enumerate() {
                // Both kinds of call, interleaved: their counters must not mix.
                let call = |n, unit: &mut dyn FnMut(usize)| {
                    if p % 2 == 0 {
                        team.each(n, unit)
                    } else {
                        team.each_in_order(n, unit)
                    }
                };
                call(n, &mut |u| {
                    if p > 0 {
                        for (count, _) in &ran[p - 1] {
                            assert_eq!(count.load(Ordering::Acquire), 1, "phase {p} started early");
                        }
                    }
                    // A few microseconds of work, so members overlap.
                    let t = Instant::now();
                    while t.elapsed() < Duration::from_micros(3) {
                        std::hint::spin_loop();
                    }
                    ran[p][u].0.fetch_add(1, Ordering::AcqRel);
                    *ran[p][u].1.lock().unwrap() = Some(std::thread::current().id());
                });
            }
        };
        assert!(pool.run(threads, &job));
        ran.into_iter()
            .map(|phase| {
                phase
                    .into_iter()
                    .map(|(c, t)| (c.into_inner(), t.into_inner().unwrap().expect("ran")))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn shares_tile_the_range_in_order() {
        for (len, tile) in [(0, 1), (1, 8), (7, 1), (100, 8), (101, 8), (1000, 64)] {
            for units in 1..=9 {
                let mut end = 0;
                for u in 0..units {
                    let r = share(len, tile, u, units);
                    assert_eq!(r.start, end, "{len}/{tile}/{units}: unit {u} is not next");
                    assert!(
                        r.start == len || r.start.is_multiple_of(tile),
                        "{r:?} off a tile"
                    );
                    assert!(r.len() <= len.div_ceil(tile).div_ceil(units) * tile);
                    end = r.end;
                }
                assert_eq!(end, len, "{len}/{tile}/{units}: not covered");
            }
        }
    }

    #[test]
    fn every_unit_runs_once_and_phases_stay_in_order() {
        let pool = pool(3, 0);
        for threads in [1, 2, 3, 8] {
            for _ in 0..50 {
                for phase in phases(pool, threads, &[7, 0, 1, 100, 3]) {
                    assert!(phase.iter().all(|&(count, _)| count == 1));
                }
            }
        }
    }

    #[test]
    fn a_worker_that_never_arrives_leaves_the_work_to_the_caller() {
        // Workers 60 s late: the caller must do every unit and return without them.
        let pool = pool(3, 60_000_000);
        let me = std::thread::current().id();
        for _ in 0..3 {
            for phase in phases(pool, 3, &[5, 64, 2]) {
                assert!(phase.iter().all(|&(count, who)| count == 1 && who == me));
            }
        }
    }

    #[test]
    fn a_late_worker_joins_midway_without_repeating_work() {
        // Workers wake 1 ms late into jobs of ~100 units of sleep: whoever runs what,
        // each unit runs exactly once.
        let pool = pool(2, 1000);
        let ran: Vec<AtomicU32> = (0..100).map(|_| AtomicU32::new(0)).collect();
        let job = |team: &Team| {
            team.each(100, |u| {
                std::thread::sleep(Duration::from_micros(50));
                ran[u].fetch_add(1, Ordering::Relaxed);
            })
        };
        for _ in 0..5 {
            ran.iter().for_each(|c| c.store(0, Ordering::Relaxed));
            assert!(pool.run(2, &job));
            assert!(ran.iter().all(|c| c.load(Ordering::Relaxed) == 1));
        }
    }

    #[test]
    fn a_pipeline_in_order_never_waits_on_an_unclaimed_unit() {
        // Unit u waits until unit u − 1 has started (as the band chase's sweeps do):
        // claimed in order, the unit waited on is always running, whoever is late.
        for late_us in [0, 300, 60_000_000] {
            let pool = pool(3, late_us);
            let started: Vec<AtomicBool> = (0..200).map(|_| AtomicBool::new(false)).collect();
            let ran: Vec<AtomicU32> = (0..200).map(|_| AtomicU32::new(0)).collect();
            let job = |team: &Team| {
                team.each_in_order(200, |u| {
                    if u > 0 {
                        spin_until(|| started[u - 1].load(Ordering::Acquire));
                    }
                    started[u].store(true, Ordering::Release);
                    ran[u].fetch_add(1, Ordering::Relaxed);
                })
            };
            assert!(pool.run(3, &job));
            assert!(ran.iter().all(|c| c.load(Ordering::Relaxed) == 1));
        }
    }

    #[test]
    fn a_panicking_unit_is_reported_and_the_pool_goes_on() {
        let pool = pool(2, 0);
        let job = |team: &Team| team.each(16, |u| assert_ne!(u, 11, "unit 11 fails"));
        let outcome = catch_unwind(AssertUnwindSafe(|| pool.run(2, &job)));
        assert!(outcome.is_err(), "the panic must reach the caller");
        for phase in phases(pool, 2, &[9, 9]) {
            assert!(phase.iter().all(|&(count, _)| count == 1));
        }
    }
}
