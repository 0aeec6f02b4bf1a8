//! Stage 2 of the bidiagonal reduction: the band matrix, the bulge chase that makes it
//! bidiagonal, and the chase's reflectors (logged, then applied to the bidiagonal's
//! vectors).
//!
//! The chase runs serially or pipelined over a team: sweep i's block j touches rows and
//! columns that only sweep i − 1's blocks up to j + 2 also touch, so a member may run
//! block j of sweep i as soon as the member ahead has finished block j + 2 of sweep
//! i − 1. Every element then sees the same operations in the same order as in the
//! serial chase: the result is bitwise the same.

use super::householder::reflector;
use crate::arch::BandPath;
use crate::blas::Par;
use crate::blas::level1::{axpy_slices as axpy, dot_slices};
use crate::mat::ColumnShare;
use crate::runtime::Team;
use faer::MatMut;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Band width of the first stage: wide enough for the products to run near peak,
/// narrow enough for the bulge chase to stay cheap.
pub const BAND: usize = 32;

/// Blocks a sweep stays behind the one before it (see the module notes).
const LAG: usize = 3;

/// Bands from this order chase on a team.
const PIPELINE_FROM: usize = 384;

/// An n×n matrix that is upper band of width b plus the fill the chase creates (at most
/// 2b − 1 above and b − 1 below the diagonal), stored by columns: element (r, c) at
/// `data[c·ld + r + 2b − c]`, so each column's rows are contiguous.
#[derive(Clone)]
pub struct Band {
    n: usize,
    b: usize,
    ld: usize,
    data: Vec<f64>,
}

impl Band {
    /// The storage as the chase's members see it.
    fn view(&mut self) -> View<'_> {
        View::new(&mut self.data, self.n, self.b, self.ld, 2 * self.b)
    }

    /// The band of an upper band matrix (its top n×n block).
    pub fn from_upper(a: faer::MatRef<'_, f64>, b: usize) -> Band {
        let n = a.ncols();
        let ld = 3 * b;
        let mut band = Band {
            n,
            b,
            ld,
            data: vec![0.0; ld * n],
        };
        for c in 0..n {
            for r in c.saturating_sub(b)..=c {
                let i = band.index(r, c);
                band.data[i] = a[(r, c)];
            }
        }
        band
    }

    #[inline]
    fn index(&self, r: usize, c: usize) -> usize {
        debug_assert!(
            r + 2 * self.b >= c && r < c + self.b,
            "({r}, {c}) outside the band"
        );
        c * self.ld + r + 2 * self.b - c
    }

    pub fn get(&self, r: usize, c: usize) -> f64 {
        self.data[self.index(r, c)]
    }

    /// Stage 2: sweep i makes row i bidiagonal with a reflector on columns i+1..i+b,
    /// then chases the bulge it creates down the band: a left reflector clears the
    /// bulge's first column, which pushes fill past the band in that block's first
    /// row; a right reflector clears that row, and so on. What each step leaves behind
    /// is cleared by the next sweep (Lang's / Haidar's bulge chasing). With `log`, the
    /// left and right reflectors are recorded in the order of the serial chase.
    pub fn chase(&mut self, par: Par<'_>, log: Option<(&mut Reflectors, &mut Reflectors)>) {
        let sweeps = self.n.saturating_sub(1);
        let members = if self.n >= PIPELINE_FROM {
            par.threads.min(sweeps).max(1)
        } else {
            1
        };
        let keep = log.is_some();
        let view = self.view();
        let progress: Vec<AtomicUsize> = (0..sweeps).map(|_| AtomicUsize::new(0)).collect();
        let logs: Vec<Mutex<Option<(Reflectors, Reflectors)>>> =
            (0..sweeps).map(|_| Mutex::new(None)).collect();
        // Sweeps are claimed in order, so the sweep one waits on is always running.
        let job = |team: &Team| {
            team.each_in_order(sweeps, |i| {
                let blocks = (view.n - 1 - i).div_ceil(view.b);
                let mut own = keep.then(|| {
                    (
                        Reflectors::for_sweep(view.n, blocks),
                        Reflectors::for_sweep(view.n, blocks),
                    )
                });
                let ahead = i.checked_sub(1).map(|p| &progress[p]);
                run_sweep(par.arch.band, &view, i, own.as_mut(), ahead, &progress[i]);
                *logs[i].lock().unwrap_or_else(|e| e.into_inner()) = own;
            })
        };
        (par.launch)(members, &job);
        if let Some((left, right)) = log {
            for slot in logs {
                if let Some((l, r)) = slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
                    left.append(l);
                    right.append(r);
                }
            }
        }
    }
}

/// A band matrix's column storage as the chase's members see it (the bidiagonal
/// chase's [`Band`] and the symmetric one's [`super::sym_band::SymBand`]): element
/// (r, c) at `c·ld + r + top − c`, so column c holds rows c − top .. c + ld − top,
/// contiguous.
pub(super) struct View<'a> {
    ptr: *mut f64,
    len: usize,
    pub(super) n: usize,
    pub(super) b: usize,
    ld: usize,
    top: usize,
    _data: std::marker::PhantomData<&'a mut [f64]>,
}

// SAFETY: members write only elements that no other member touches until the progress
// counters say so (the modules' notes); the counters' release/acquire orders the writes.
unsafe impl Sync for View<'_> {}

impl<'a> View<'a> {
    pub(super) fn new(data: &'a mut [f64], n: usize, b: usize, ld: usize, top: usize) -> View<'a> {
        View {
            ptr: data.as_mut_ptr(),
            len: data.len(),
            n,
            b,
            ld,
            top,
            _data: std::marker::PhantomData,
        }
    }

    /// Rows `rows` of column c, contiguous.
    ///
    /// # Safety
    /// No other live reference to these elements (this sweep's own: one at a time;
    /// other members': the progress protocol).
    #[allow(clippy::mut_from_ref)]
    #[inline]
    pub(super) unsafe fn column(&self, c: usize, rows: std::ops::Range<usize>) -> &mut [f64] {
        assert!(rows.start + self.top >= c && rows.end + self.top <= c + self.ld);
        let start = c * self.ld + rows.start + self.top - c;
        assert!(start + rows.len() <= self.len);
        // SAFETY: in bounds (asserted); exclusivity is the caller's contract.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(start), rows.len()) }
    }
}

/// A sweep's published progress, set to "finished" if the sweep unwinds, so the sweeps
/// behind it do not wait for it forever: they run on (their results are discarded
/// with the panic the pool reports).
pub(super) struct Release<'a>(pub(super) &'a AtomicUsize);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.store(usize::MAX, Ordering::Release);
    }
}

/// Waits until the sweep ahead (none for the first) has published `steps` steps.
#[inline(always)]
pub(super) fn wait_for(ahead: Option<&AtomicUsize>, steps: usize) {
    let Some(ahead) = ahead else { return };
    let mut spins = 0u32;
    while ahead.load(Ordering::Acquire) < steps {
        spins += 1;
        if spins < 1 << 12 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

/// One sweep, waiting on the sweep ahead (`ahead`: its finished blocks) before each
/// block and publishing its own progress.
fn run_sweep(
    path: BandPath,
    view: &View<'_>,
    i: usize,
    log: Option<&mut (Reflectors, Reflectors)>,
    ahead: Option<&AtomicUsize>,
    mine: &AtomicUsize,
) {
    let _release = Release(mine);
    #[cfg(target_arch = "x86_64")]
    if path != BandPath::Generic {
        // SAFETY: the tables with these paths are only chosen on CPUs with AVX2.
        return unsafe { sweep_avx2(view, i, log, ahead, mine) };
    }
    let _ = path;
    sweep(view, i, log, ahead, mine)
}

/// The same code with 256-bit vectors: no FMA contraction, and the reductions keep
/// their fixed order, so the result is bitwise the portable one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn sweep_avx2(
    view: &View<'_>,
    i: usize,
    log: Option<&mut (Reflectors, Reflectors)>,
    ahead: Option<&AtomicUsize>,
    mine: &AtomicUsize,
) {
    sweep(view, i, log, ahead, mine)
}

#[inline(always)]
fn sweep(
    view: &View<'_>,
    i: usize,
    mut log: Option<&mut (Reflectors, Reflectors)>,
    ahead: Option<&AtomicUsize>,
    mine: &AtomicUsize,
) {
    let (n, b) = (view.n, view.b);
    let mut x = [0.0; BAND];
    let mut w = [0.0; 2 * BAND];
    assert!(b <= BAND);
    if let Some((left, right)) = log.as_mut() {
        left.begin_sweep();
        right.begin_sweep();
    }
    let (mut r, mut c) = (i, i + 1);
    let mut block = 0;
    while c < n {
        wait_for(ahead, block + LAG);
        // SAFETY (every `column` below): one slice at a time within this sweep; the
        // elements are this block's, which no other member touches now (the wait).
        // Right reflector: row r, columns c..ce, applied to rows r+1..ce.
        let ce = (c + b).min(n);
        if ce - c >= 2 {
            let len = ce - c;
            for (t, xt) in x[..len].iter_mut().enumerate() {
                *xt = unsafe { view.column(c + t, r..r + 1) }[0];
            }
            let tau = reflector(&mut x[..len]);
            let head = unsafe { view.column(c, r..r + 1) };
            head[0] = x[0];
            for t in 1..len {
                let e = unsafe { view.column(c + t, r..r + 1) };
                e[0] = 0.0;
            }
            if let Some((_, right)) = log.as_mut() {
                right.push(c, &x[1..len], tau);
            }
            if tau != 0.0 {
                x[0] = 1.0;
                let v = &x[..len];
                let rows = r + 1..ce;
                // w = A(rows, c..ce)·v, then A(rows, c..ce) −= τ·w·vᵀ.
                let w = &mut w[..rows.len()];
                w.fill(0.0);
                for (t, &vt) in v.iter().enumerate() {
                    axpy(vt, unsafe { view.column(c + t, rows.clone()) }, w);
                }
                for (t, &vt) in v.iter().enumerate() {
                    axpy(-tau * vt, w, unsafe { view.column(c + t, rows.clone()) });
                }
            }
        }
        // Left reflector: column c, rows c..re, applied to columns c+1..c+2b.
        let re = (c + b).min(n);
        if re - c >= 2 {
            let len = re - c;
            let col = unsafe { view.column(c, c..re) };
            let tau = reflector(col);
            x[..len].copy_from_slice(col);
            col[1..].fill(0.0);
            if let Some((left, _)) = log.as_mut() {
                left.push(c, &x[1..len], tau);
            }
            if tau != 0.0 {
                x[0] = 1.0;
                for j in c + 1..(c + 2 * b).min(n) {
                    let y = unsafe { view.column(j, c..re) };
                    axpy(-tau * dot_slices(false, &x[..len], y), &x[..len], y);
                }
            }
        }
        block += 1;
        mine.store(block, Ordering::Release);
        r = c;
        c += b;
    }
}

/// Short reflectors `I − τ·v·vᵀ` (v₀ = 1, at most [`BAND`] long) on rows
/// `start..start + len` of an n-row matrix, in the order the chase generated them.
pub struct Reflectors {
    n: usize,
    /// v of reflector k at `v[k·BAND..k·BAND + len[k]]`.
    v: Vec<f64>,
    tau: Vec<f64>,
    start: Vec<usize>,
    len: Vec<usize>,
    /// Index of each sweep's first reflector; sweep i's reflector j starts at row
    /// i + 1 + j·BAND.
    sweeps: Vec<usize>,
}

/// A reflector as it is applied: (v, τ, first row).
type Applied<'a> = (&'a [f64], f64, usize);

/// Zeros stored on both sides of every vector in a [`Sequence`]: a kernel may read a
/// reflector's coefficient up to this many rows outside its own, where it is zero.
const PAD: usize = 4;

/// Reflectors copied out of the log in the order they are applied: each item is (offset
/// of its vector in `v`, length, τ, first row), the vector between [`PAD`] zeros.
struct Sequence {
    v: Vec<f64>,
    items: Vec<(usize, usize, f64, usize)>,
}

impl Sequence {
    /// The reflectors as they are applied, borrowing their vectors.
    fn applied(&self) -> Vec<Applied<'_>> {
        self.items
            .iter()
            .map(|&(at, len, tau, start)| (&self.v[at..at + len], tau, start))
            .collect()
    }

    /// The reflectors as they are applied, two at a time where their rows are within
    /// [`PAD`] of each other (consecutive ones usually are: one row apart).
    fn pairs(&self) -> Vec<Pair<'_>> {
        let padded = |&(at, len, tau, start): &(usize, usize, f64, usize)| Padded {
            coefs: &self.v[at - PAD..at + len + PAD],
            tau,
            start,
        };
        let mut out = Vec::with_capacity(self.items.len().div_ceil(2));
        let mut rest = &self.items[..];
        while let Some(first) = rest.first() {
            let a = padded(first);
            let b = rest.get(1).map(padded).filter(|b| {
                let (lo, hi) = (a.start.min(b.start), a.end().max(b.end()));
                a.reaches(lo, hi) && b.reaches(lo, hi)
            });
            rest = &rest[if b.is_some() { 2 } else { 1 }..];
            // A lone reflector is paired with itself at τ = 0, which changes nothing.
            let b = b.unwrap_or(Padded { tau: 0.0, ..a });
            let (lo, hi) = (a.start.min(b.start), a.end().max(b.end()));
            let overlap = a
                .rows(lo, hi)
                .iter()
                .zip(b.rows(lo, hi))
                .map(|(x, y)| x * y)
                .sum();
            out.push(Pair {
                a,
                b,
                overlap,
                lo,
                hi,
            });
        }
        out
    }
}

/// A reflector whose coefficient at row r is `coefs[r + PAD − start]`, zero on the
/// [`PAD`] rows either side of its own.
#[derive(Clone, Copy)]
struct Padded<'a> {
    coefs: &'a [f64],
    tau: f64,
    start: usize,
}

impl<'a> Padded<'a> {
    fn end(&self) -> usize {
        self.start + self.coefs.len() - 2 * PAD
    }

    /// Whether rows `lo..hi` lie within the stored coefficients.
    fn reaches(&self, lo: usize, hi: usize) -> bool {
        lo + PAD >= self.start && hi <= self.end() + PAD
    }

    /// The coefficients of rows `lo..hi` (which it [`reaches`](Self::reaches)).
    fn rows(&self, lo: usize, hi: usize) -> &'a [f64] {
        &self.coefs[lo + PAD - self.start..hi + PAD - self.start]
    }
}

/// The reflectors in application order, laid out for the kernel this CPU runs.
enum Schedule<'a> {
    /// One by one, for the portable loop.
    Singles(Vec<Applied<'a>>),
    /// Two at a time, for the AVX-512 kernel.
    Pairs(Vec<Pair<'a>>),
}

impl<'a> Schedule<'a> {
    /// The layout for `path`'s kernel; only that one is built.
    fn new(path: BandPath, sequence: &'a Sequence) -> Schedule<'a> {
        match path {
            BandPath::Avx512Pairs => Schedule::Pairs(sequence.pairs()),
            BandPath::Avx2 | BandPath::Generic => Schedule::Singles(sequence.applied()),
        }
    }
}

/// Reflectors a then b (b may be a at τ = 0), on rows `lo..hi`, the union of theirs.
#[derive(Clone, Copy)]
struct Pair<'a> {
    a: Padded<'a>,
    b: Padded<'a>,
    /// v_bᵀv_a, computed once here: as a serial sum inside the kernel it would stall
    /// every pair.
    overlap: f64,
    lo: usize,
    hi: usize,
}

/// Sweeps whose reflectors are applied together, block by block (see `order`).
const SWEEP_GROUP: usize = 32;

/// Columns a member transforms at a time: a block of an n-row matrix that stays in L2
/// while every reflector passes over it.
const CHASE_COLUMNS: usize = 32;

impl Reflectors {
    pub fn new(n: usize) -> Reflectors {
        Reflectors {
            n,
            v: Vec::new(),
            tau: Vec::new(),
            start: Vec::new(),
            len: Vec::new(),
            sweeps: Vec::new(),
        }
    }

    /// An empty log with room for one sweep of `blocks` reflectors.
    pub(super) fn for_sweep(n: usize, blocks: usize) -> Reflectors {
        Reflectors {
            n,
            v: Vec::with_capacity(blocks * BAND),
            tau: Vec::with_capacity(blocks),
            start: Vec::with_capacity(blocks),
            len: Vec::with_capacity(blocks),
            sweeps: Vec::with_capacity(1),
        }
    }

    /// Rows of the matrices they apply to.
    pub fn rows(&self) -> usize {
        self.n
    }

    pub(super) fn begin_sweep(&mut self) {
        self.sweeps.push(self.tau.len());
    }

    /// Appends `other`'s sweeps after this one's.
    pub(super) fn append(&mut self, other: Reflectors) {
        let base = self.tau.len();
        self.sweeps.extend(other.sweeps.iter().map(|s| s + base));
        self.v.extend(other.v);
        self.tau.extend(other.tau);
        self.start.extend(other.start);
        self.len.extend(other.len);
    }

    /// The order to apply them in. Any order that keeps each overlapping pair in reverse
    /// generation order gives the same product, and sweep i's reflector j overlaps only
    /// reflectors ≤ j of later sweeps. So: groups of [`SWEEP_GROUP`] sweeps, the last
    /// group first; within a group, reflector index ascending and, for each, the sweeps
    /// descending. Consecutive reflectors then share all but one row, which stays in L1
    /// instead of coming from L2 for every reflector.
    ///
    /// Returned as a copy of the (non-identity) reflectors laid out in that order, so
    /// that applying them streams their vectors: read from the log, consecutive ones are
    /// a sweep apart and every one would be a cache miss.
    fn order(&self) -> Sequence {
        let count = self.sweeps.len();
        let end = |i: usize| self.sweeps.get(i + 1).copied().unwrap_or(self.tau.len());
        let mut out = Sequence {
            v: Vec::with_capacity(self.v.len() + 2 * PAD * self.tau.len()),
            items: Vec::with_capacity(self.tau.len()),
        };
        let mut hi = count;
        while hi > 0 {
            let lo = hi.saturating_sub(SWEEP_GROUP);
            let most = (lo..hi).map(|i| end(i) - self.sweeps[i]).max().unwrap_or(0);
            for j in 0..most {
                for i in (lo..hi).rev() {
                    let k = self.sweeps[i] + j;
                    if k < end(i) && self.tau[k] != 0.0 {
                        debug_assert_eq!(self.start[k], i + 1 + j * BAND);
                        let len = self.len[k];
                        out.v.extend_from_slice(&[0.0; PAD]);
                        out.items
                            .push((out.v.len(), len, self.tau[k], self.start[k]));
                        out.v.extend_from_slice(&self.v[k * BAND..k * BAND + len]);
                        out.v.extend_from_slice(&[0.0; PAD]);
                    }
                }
            }
            hi = lo;
        }
        out
    }

    pub(super) fn push(&mut self, start: usize, v_tail: &[f64], tau: f64) {
        self.v.push(1.0);
        self.v.extend_from_slice(v_tail);
        self.v.resize(self.v.len() + BAND - 1 - v_tail.len(), 0.0);
        self.tau.push(tau);
        self.start.push(start);
        self.len.push(v_tail.len() + 1);
    }

    /// `x := H₀·H₁···x` (in the equivalent [`order`](Self::order)). Members of the team take
    /// blocks of columns; each column sees the same operations in the same order
    /// whatever the team size.
    pub fn apply(&self, par: Par<'_>, x: MatMut<'_, f64>) {
        if self.tau.is_empty() || x.ncols() == 0 {
            return;
        }
        let blocks = x.ncols().div_ceil(CHASE_COLUMNS);
        let flops = 4.0 * (self.tau.len() * BAND) as f64 * x.ncols() as f64;
        let threads = if flops < 4e6 {
            1
        } else {
            par.threads.min(blocks)
        };
        let sequence = self.order();
        let order = Schedule::new(par.arch.band, &sequence);
        let share = ColumnShare::new(x);
        let job = |team: &Team| {
            let mut rows = vec![0.0; self.n * CHASE_COLUMNS];
            team.each(blocks, |blk| {
                let c0 = blk * CHASE_COLUMNS;
                let width = CHASE_COLUMNS.min(share.ncols() - c0);
                // SAFETY: block `blk` belongs to the member that claimed it alone.
                let cols = unsafe { share.columns(c0..c0 + width) };
                Self::apply_block(cols, &order, &mut rows);
            })
        };
        (par.launch)(threads, &job);
    }

    /// One block of at most [`CHASE_COLUMNS`] columns, transposed into `rows` so that
    /// each reflector is a sweep of full-width vector operations.
    fn apply_block(mut x: MatMut<'_, f64>, order: &Schedule<'_>, rows: &mut [f64]) {
        const W: usize = CHASE_COLUMNS;
        let (n, width) = (x.nrows(), x.ncols());
        rows.fill(0.0);
        for c in 0..width {
            for r in 0..n {
                rows[r * W + c] = x[(r, c)];
            }
        }
        apply_rows(order, rows);
        for c in 0..width {
            for r in 0..n {
                x[(r, c)] = rows[r * W + c];
            }
        }
    }
}

#[inline(always)]
fn apply_rows_portable(order: &[Applied<'_>], rows: &mut [f64]) {
    const W: usize = CHASE_COLUMNS;
    let (rows, _) = rows.as_chunks_mut::<W>();
    for &(v, tau, start) in order {
        let block = &mut rows[start..start + v.len()];
        let mut w = [0.0; W];
        for (row, &vr) in block.iter().zip(v) {
            for (wc, &x) in w.iter_mut().zip(row) {
                *wc += vr * x;
            }
        }
        for wc in &mut w {
            *wc *= tau;
        }
        for (row, &vr) in block.iter_mut().zip(v) {
            for (x, &wc) in row.iter_mut().zip(&w) {
                *x -= vr * wc;
            }
        }
    }
}

/// The reflectors one by one or, with AVX-512, the same ones in pairs.
fn apply_rows(order: &Schedule<'_>, rows: &mut [f64]) {
    match order {
        Schedule::Singles(singles) => apply_rows_portable(singles, rows),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: pairs are only scheduled on a CPU with AVX-512F and FMA.
        Schedule::Pairs(pairs) => unsafe { apply_pairs_avx512(pairs, rows) },
        #[cfg(not(target_arch = "x86_64"))]
        Schedule::Pairs(_) => unreachable!("pairs are only scheduled on x86_64"),
    }
}

/// The reflectors two at a time with explicit 512-bit vectors. A pair (a then b) is
/// one update, `x −= v_a·w_a + v_b·w_b`, with `w_a = τ_a·v_aᵀx` and
/// `w_b = τ_b·(v_bᵀx − (v_bᵀv_a)·w_a)`: b's dot product taken before a's update and
/// corrected. Each pass over the rows updates one pair and takes the next pair's two dot
/// products from the updated registers, so a row is stored once per two reflectors:
/// with one store per reflector the stores, not the FMAs, bound the loop (measured on
/// Zen 4: 35 GFLOP/s per core, 50 with the stores left out).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn apply_pairs_avx512(pairs: &[Pair<'_>], rows: &mut [f64]) {
    use std::arch::x86_64::*;
    const W: usize = CHASE_COLUMNS;
    const Q: usize = CHASE_COLUMNS / 8;
    type Acc = [__m512d; Q];
    let zero = || [_mm512_setzero_pd(); Q];
    let n = rows.len() / W;
    let p = rows.as_mut_ptr();
    // Raw row access: every row index below is < n (a pair's rows lie inside the
    // matrix), lanes 0..W.
    let row = |r: usize, q: usize| {
        debug_assert!(r < n);
        p.wrapping_add(r * W + 8 * q)
    };
    // (v_aᵀx, v_bᵀx) over rows lo..hi.
    let dots = |g: &Pair<'_>, lo: usize, hi: usize| {
        let (mut sa, mut sb) = (zero(), zero());
        for (r, (&ca, &cb)) in (lo..hi).zip(g.a.rows(lo, hi).iter().zip(g.b.rows(lo, hi))) {
            let (ca, cb) = (_mm512_set1_pd(ca), _mm512_set1_pd(cb));
            for q in 0..Q {
                // SAFETY: row r < n.
                let x = unsafe { _mm512_loadu_pd(row(r, q)) };
                sa[q] = _mm512_fmadd_pd(ca, x, sa[q]);
                sb[q] = _mm512_fmadd_pd(cb, x, sb[q]);
            }
        }
        (sa, sb)
    };
    let weights = |g: &Pair<'_>, (sa, sb): (Acc, Acc)| {
        let (ta, tb, c) = (
            _mm512_set1_pd(g.a.tau),
            _mm512_set1_pd(g.b.tau),
            _mm512_set1_pd(g.overlap),
        );
        let wa: Acc = std::array::from_fn(|q| _mm512_mul_pd(sa[q], ta));
        let wb: Acc = std::array::from_fn(|q| _mm512_mul_pd(_mm512_fnmadd_pd(c, wa[q], sb[q]), tb));
        (wa, wb)
    };
    // x −= v_a·w_a + v_b·w_b over rows lo..hi, and, if `next` is given, its dot
    // products over the same rows from the updated values.
    let update =
        |g: &Pair<'_>, (wa, wb): &(Acc, Acc), next: Option<&Pair<'_>>, lo: usize, hi: usize| {
            let (a, b) = (g.a.rows(lo, hi), g.b.rows(lo, hi));
            let Some(nx) = next else {
                for (r, (&ca, &cb)) in (lo..hi).zip(a.iter().zip(b)) {
                    let (ca, cb) = (_mm512_set1_pd(ca), _mm512_set1_pd(cb));
                    for q in 0..Q {
                        // SAFETY: row r < n.
                        unsafe {
                            let x = _mm512_fnmadd_pd(ca, wa[q], _mm512_loadu_pd(row(r, q)));
                            _mm512_storeu_pd(row(r, q), _mm512_fnmadd_pd(cb, wb[q], x));
                        }
                    }
                }
                return (zero(), zero());
            };
            let (na, nb) = (nx.a.rows(lo, hi), nx.b.rows(lo, hi));
            let (mut sa, mut sb) = (zero(), zero());
            let coefs = a.iter().zip(b).zip(na.iter().zip(nb));
            for (r, ((&ca, &cb), (&da, &db))) in (lo..hi).zip(coefs) {
                let (ca, cb) = (_mm512_set1_pd(ca), _mm512_set1_pd(cb));
                let (da, db) = (_mm512_set1_pd(da), _mm512_set1_pd(db));
                for q in 0..Q {
                    // SAFETY: row r < n.
                    unsafe {
                        let x = _mm512_fnmadd_pd(ca, wa[q], _mm512_loadu_pd(row(r, q)));
                        let x = _mm512_fnmadd_pd(cb, wb[q], x);
                        _mm512_storeu_pd(row(r, q), x);
                        sa[q] = _mm512_fmadd_pd(da, x, sa[q]);
                        sb[q] = _mm512_fmadd_pd(db, x, sb[q]);
                    }
                }
            }
            (sa, sb)
        };
    let Some(first) = pairs.first() else {
        return;
    };
    let mut sums = dots(first, first.lo, first.hi);
    for (t, g) in pairs.iter().enumerate() {
        let w = weights(g, sums);
        let Some(nx) = pairs.get(t + 1) else {
            update(g, &w, None, g.lo, g.hi);
            break;
        };
        let (lo, hi) = (g.lo.min(nx.lo), g.hi.max(nx.hi));
        let fits = [g.a, g.b, nx.a, nx.b].iter().all(|f| f.reaches(lo, hi));
        sums = if fits {
            update(g, &w, Some(nx), lo, hi)
        } else {
            update(g, &w, None, g.lo, g.hi);
            dots(nx, nx.lo, nx.hi)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::Mat;

    fn band(n: usize) -> Band {
        let a = Mat::from_fn(n, n, |i, j| {
            if j >= i && j <= i + BAND {
                ((i * 13 + j * 7) % 17) as f64 - 8.5
            } else {
                0.0
            }
        });
        Band::from_upper(a.as_ref(), BAND)
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn vector_width_does_not_change_the_chase() {
        if crate::arch::detected().band == BandPath::Generic {
            return;
        }
        let n = 150;
        let mut portable = band(n);
        let mut wide = portable.clone();
        for (b, avx2) in [(&mut portable, false), (&mut wide, true)] {
            let view = b.view();
            let progress: Vec<AtomicUsize> = (0..n).map(|_| AtomicUsize::new(0)).collect();
            for (i, mine) in progress.iter().enumerate().take(n - 1) {
                if avx2 {
                    // SAFETY: the detected table has AVX2.
                    unsafe { sweep_avx2(&view, i, None, None, mine) };
                } else {
                    sweep(&view, i, None, None, mine);
                }
            }
        }
        assert!(
            portable
                .data
                .iter()
                .zip(&wide.data)
                .all(|(x, y)| x.to_bits() == y.to_bits())
        );
    }

    /// The pipelined chase (any team size) is bitwise the serial one, log included.
    #[test]
    fn pipelined_chase_is_the_serial_chase() {
        let n = PIPELINE_FROM + 77;
        let seq = Par::seq(crate::arch::detected());
        let run = |par: Par<'_>| {
            let mut b = band(n);
            let (mut l, mut r) = (Reflectors::new(n), Reflectors::new(n));
            b.chase(par, Some((&mut l, &mut r)));
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            (
                bits(&b.data),
                bits(&l.v),
                bits(&r.v),
                bits(&l.tau),
                l.sweeps.clone(),
                r.start.clone(),
            )
        };
        let serial = run(seq);
        for threads in [2, 3] {
            assert!(
                run(crate::abi::par().with_threads(threads)) == serial,
                "{threads} members"
            );
        }
    }

    /// The AVX-512 application (reflectors in pairs, each pair's update fused with the
    /// next pair's dot products) is the portable loop up to rounding, on the reflectors
    /// of a real chase, lone reflectors and non-adjacent pairs included.
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn vector_application_is_the_portable_one() {
        if crate::arch::detected().band != BandPath::Avx512Pairs {
            return;
        }
        let n = 200;
        let mut b = band(n);
        let (mut left, mut right) = (Reflectors::new(n), Reflectors::new(n));
        b.chase(
            Par::seq(crate::arch::detected()),
            Some((&mut left, &mut right)),
        );
        for log in [&left, &right] {
            let sequence = log.order();
            let order = sequence.applied();
            let rows: Vec<f64> = (0..n * CHASE_COLUMNS)
                .map(|i| ((i * 37 % 101) as f64 - 50.0) / 7.0)
                .collect();
            let (mut portable, mut wide) = (rows.clone(), rows);
            apply_rows_portable(&order, &mut portable);
            let pairs = sequence.pairs();
            // Every path of the kernel runs: lone reflectors, and consecutive pairs too
            // far apart for one pass.
            assert!(
                pairs
                    .iter()
                    .any(|g| g.b.tau == 0.0 && g.b.start == g.a.start)
            );
            assert!(pairs.windows(2).any(|w| {
                let (lo, hi) = (w[0].lo.min(w[1].lo), w[0].hi.max(w[1].hi));
                !(w[0].a.reaches(lo, hi) && w[1].b.reaches(lo, hi))
            }));
            // SAFETY: AVX-512F was detected above (FMA comes with it on every such CPU).
            unsafe { apply_pairs_avx512(&pairs, &mut wide) };
            let scale = portable.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for (x, y) in portable.iter().zip(&wide) {
                assert!((x - y).abs() <= 1e-12 * scale, "{x} vs {y}");
            }
            // Orthogonal: the norm of every column survives.
            let norm = |v: &[f64], c: usize| {
                (0..n)
                    .map(|r| v[r * CHASE_COLUMNS + c].powi(2))
                    .sum::<f64>()
            };
            let before: Vec<f64> = (0..n * CHASE_COLUMNS)
                .map(|i| ((i * 37 % 101) as f64 - 50.0) / 7.0)
                .collect();
            for c in 0..CHASE_COLUMNS {
                let (a, b) = (norm(&before, c), norm(&wide, c));
                assert!((a - b).abs() <= 1e-12 * a, "column {c}: {a} vs {b}");
            }
        }
    }
}
