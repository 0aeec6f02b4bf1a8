//! Stage 2 of the symmetric tridiagonal reduction: the symmetric band matrix (lower
//! triangle stored) and the bulge chase that makes it tridiagonal, logging its
//! reflectors for the eigenvectors (the symmetric counterpart of [`super::band`]).
//!
//! Sweep i makes column i tridiagonal with a reflector on rows i+1..i+b and applies it
//! from both sides; that fills the block below with a bulge, whose first column the next
//! reflector (b rows further down) clears, and so on to the bottom (Lang's algorithm,
//! in the task form of Haidar et al.'s ?SB2ST kernels). The rest of each bulge is
//! cleared by the sweeps that follow.
//!
//! The chase runs serially or pipelined over a team: step j of sweep i touches rows
//! and columns s..s+2b (s = i+1+j·b), so step j of sweep i+1 overlaps only steps j and
//! j+1 of sweep i, and may run once sweep i has finished step j+1 (it waits for one
//! more, as a margin). Every element then sees the same operations in the same order
//! as in the serial chase: the result is bitwise the same.

use super::band::{BAND, Reflectors, Release, View, wait_for};
use super::householder::reflector;
use crate::arch::BandPath;
use crate::blas::Par;
use crate::blas::level1::{axpy_slices as axpy, dot_slices};
use crate::runtime::Team;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Steps a sweep stays behind the one before it (see the module notes: 2 suffice).
const LAG: usize = 3;

/// Bands from this order chase on a team.
const PIPELINE_FROM: usize = 384;

/// The lower triangle of an n×n symmetric band matrix of width b plus the fill the
/// chase creates (up to 2b − 1 below the diagonal), by columns: element (r, c),
/// c ≤ r < c + 2b, at `data[c·ld + r − c]`, so each column's rows are contiguous.
pub struct SymBand {
    n: usize,
    b: usize,
    ld: usize,
    data: Vec<f64>,
}

impl SymBand {
    /// The band of width `b` of the symmetric matrix whose lower triangle `a` holds.
    pub fn from_lower(a: faer::MatRef<'_, f64>, b: usize) -> SymBand {
        let n = a.ncols();
        assert!(b <= BAND);
        let ld = 2 * b.max(1);
        let mut data = vec![0.0; ld * n];
        for c in 0..n {
            for r in c..(c + b + 1).min(n) {
                data[c * ld + r - c] = a[(r, c)];
            }
        }
        SymBand { n, b, ld, data }
    }

    /// The diagonal and subdiagonal (once [`chase`](Self::chase)d: the tridiagonal).
    pub fn tridiagonal(&self, d: &mut [f64], e: &mut [f64]) {
        for (c, dc) in d.iter_mut().enumerate() {
            *dc = self.data[c * self.ld];
        }
        for (c, ec) in e.iter_mut().enumerate() {
            *ec = self.data[c * self.ld + 1];
        }
    }

    /// The storage as the chase's members see it.
    fn view(&mut self) -> View<'_> {
        View::new(&mut self.data, self.n, self.b, self.ld, 0)
    }

    /// Stage 2: sweeps 0..n−1 in order (see the module notes); with `log`, their
    /// reflectors are recorded in the order of the serial chase.
    pub fn chase(&mut self, par: Par<'_>, log: Option<&mut Reflectors>) {
        let sweeps = self.n.saturating_sub(2);
        let members = if self.n >= PIPELINE_FROM {
            par.threads.min(sweeps).max(1)
        } else {
            1
        };
        let keep = log.is_some();
        let view = self.view();
        let progress: Vec<AtomicUsize> = (0..sweeps).map(|_| AtomicUsize::new(0)).collect();
        let logs: Vec<Mutex<Option<Reflectors>>> = (0..sweeps).map(|_| Mutex::new(None)).collect();
        // Sweeps are claimed in order, so the sweep one waits on is always running.
        let job = |team: &Team| {
            team.each_in_order(sweeps, |i| {
                let steps = (view.n - 1 - i).div_ceil(view.b);
                let mut own = keep.then(|| Reflectors::for_sweep(view.n, steps));
                let ahead = i.checked_sub(1).map(|p| &progress[p]);
                run_sweep(par.arch.band, &view, i, own.as_mut(), ahead, &progress[i]);
                *logs[i].lock().unwrap_or_else(|e| e.into_inner()) = own;
            })
        };
        (par.launch)(members, &job);
        if let Some(log) = log {
            for slot in logs {
                if let Some(own) = slot.into_inner().unwrap_or_else(|e| e.into_inner()) {
                    log.append(own);
                }
            }
        }
    }
}

/// One sweep, waiting on the sweep ahead (`ahead`: its finished steps) before each step
/// and publishing its own progress.
fn run_sweep(
    path: BandPath,
    view: &View<'_>,
    i: usize,
    log: Option<&mut Reflectors>,
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
    log: Option<&mut Reflectors>,
    ahead: Option<&AtomicUsize>,
    mine: &AtomicUsize,
) {
    sweep(view, i, log, ahead, mine)
}

#[inline(always)]
fn sweep(
    view: &View<'_>,
    i: usize,
    mut log: Option<&mut Reflectors>,
    ahead: Option<&AtomicUsize>,
    mine: &AtomicUsize,
) {
    let (n, b) = (view.n, view.b);
    let mut v = [0.0; BAND];
    let mut next = [0.0; BAND];
    let mut w = [0.0; BAND];
    if let Some(log) = log.as_mut() {
        log.begin_sweep();
    }
    // SAFETY (every `column` below): one slice at a time within this sweep; the
    // elements are this step's, which no other member touches now (the wait).
    wait_for(ahead, LAG);
    // Column i's reflector, rows s..s+len.
    let mut s = i + 1;
    let mut len = b.min(n - s);
    let mut tau = {
        let col = unsafe { view.column(i, s..s + len) };
        let tau = reflector(col);
        v[..len].copy_from_slice(col);
        col[1..].fill(0.0);
        tau
    };
    if let Some(log) = log.as_mut() {
        log.push(s, &v[1..len], tau);
    }
    v[0] = 1.0;
    let mut step = 0;
    loop {
        wait_for(ahead, step + LAG);
        if tau != 0.0 {
            two_sided(view, s, &v[..len], tau, &mut w);
        }
        let below = s + len;
        if below >= n {
            break;
        }
        let m = b.min(n - below);
        if tau != 0.0 {
            right(view, below..below + m, s, &v[..len], tau, &mut w);
        }
        // The bulge's first column: the next reflector clears it.
        let col = unsafe { view.column(s, below..below + m) };
        let next_tau = reflector(col);
        next[..m].copy_from_slice(col);
        col[1..].fill(0.0);
        if let Some(log) = log.as_mut() {
            log.push(below, &next[1..m], next_tau);
        }
        next[0] = 1.0;
        if next_tau != 0.0 {
            for c in s + 1..s + len {
                let y = unsafe { view.column(c, below..below + m) };
                let d = dot_slices(false, &next[..m], y);
                axpy(-next_tau * d, &next[..m], y);
            }
        }
        step += 1;
        mine.store(step, Ordering::Release);
        (s, len, tau) = (below, m, next_tau);
        v[..m].copy_from_slice(&next[..m]);
    }
}

/// `A := H·A·H` on the diagonal block at rows and columns s..s+len (?LARFY): with
/// `w = τ·A·v − ½τ²(vᵀA·v)·v`, `A −= v·wᵀ + w·vᵀ`, on the lower triangle.
#[inline(always)]
fn two_sided(view: &View<'_>, s: usize, v: &[f64], tau: f64, w: &mut [f64]) {
    let l = v.len();
    let w = &mut w[..l];
    w.fill(0.0);
    for c in 0..l {
        // SAFETY: see `sweep`.
        let col = unsafe { view.column(s + c, s + c..s + l) };
        w[c] += col[0] * v[c] + dot_slices(false, &col[1..], &v[c + 1..]);
        axpy(v[c], &col[1..], &mut w[c + 1..]);
    }
    w.iter_mut().for_each(|x| *x *= tau);
    let alpha = -0.5 * tau * dot_slices(false, w, v);
    axpy(alpha, v, w);
    for c in 0..l {
        // SAFETY: see `sweep`.
        let col = unsafe { view.column(s + c, s + c..s + l) };
        axpy(-w[c], &v[c..], col);
        axpy(-v[c], &w[c..], col);
    }
}

/// `A := A·H` on the block at rows `rows`, columns s..s+len: `A −= τ·(A·v)·vᵀ`.
#[inline(always)]
fn right(
    view: &View<'_>,
    rows: std::ops::Range<usize>,
    s: usize,
    v: &[f64],
    tau: f64,
    t: &mut [f64],
) {
    let t = &mut t[..rows.len()];
    t.fill(0.0);
    for (c, &vc) in v.iter().enumerate() {
        // SAFETY: see `sweep`.
        axpy(vc, unsafe { view.column(s + c, rows.clone()) }, t);
    }
    for (c, &vc) in v.iter().enumerate() {
        // SAFETY: see `sweep`.
        axpy(-tau * vc, t, unsafe { view.column(s + c, rows.clone()) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Not a test: times the chase (`cargo test --release chase_timing -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn chase_timing() {
        let n = 1000;
        let a = crate::test_data::matrix::<f64>(n, n, 1);
        let band = SymBand::from_lower(a.as_ref(), BAND);
        for threads in [1, 2] {
            let par = crate::abi::par().with_threads(threads);
            let mut best = f64::MAX;
            for _ in 0..5 {
                let mut b = SymBand {
                    n: band.n,
                    b: band.b,
                    ld: band.ld,
                    data: band.data.clone(),
                };
                let t = std::time::Instant::now();
                b.chase(par, None);
                best = best.min(t.elapsed().as_secs_f64());
            }
            let flops = 6.0 * (n * n * BAND) as f64;
            println!(
                "n={n} threads={threads}: {:.2} ms, {:.1} GFLOP/s",
                best * 1e3,
                flops / best / 1e9
            );
        }
    }
}
