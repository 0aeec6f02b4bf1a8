//! Reduction to upper bidiagonal form in two stages:
//!
//! 1. dense → upper band of width [`BAND`] by blocked QR and LQ steps, whose updates
//!    are all matrix products (our parallel gemm does nearly all the flops);
//! 2. band → bidiagonal by chasing bulges with short reflectors in compact band storage
//!    (O(n²·b) work that stays in cache).
//!
//! One-stage reduction (reference DGEBRD) spends half its flops in matrix·vector
//! products that stream the whole trailing matrix from memory once per column; this
//! order does not. For singular values alone nothing else is kept; for vectors the
//! reduction logs its orthogonal factors ([`Factors`]) and applies them afterwards to
//! the bidiagonal's vectors, stage 2's short reflectors in cache-sized column blocks,
//! stage 1's as block reflectors on gemm.

use super::householder::{
    apply_block_left, apply_block_left_transposed, axpy, block_reflector, dot, panel_qr, reflector,
};
use crate::blas::Par;
use crate::blas::gemm::gemm;
use crate::mat::ColumnShare;
use crate::runtime::Team;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

/// Band width of the first stage: wide enough for the products to run near peak,
/// narrow enough for the bulge chase to stay cheap.
pub const BAND: usize = 32;

/// Upper bidiagonal `d` (n), `e` (n − 1) with the singular values of the m×n matrix
/// `a` (m ≥ n > 0), which is destroyed.
pub fn bidiagonal(par: Par<'_>, a: MatMut<'_, f64>, d: &mut [f64], e: &mut [f64]) {
    reduce(par, a, d, e, None);
}

/// As [`bidiagonal`], also returning Q and P with `A = Q·B·Pᵀ` (Q's first n columns and
/// P, in factored form).
pub fn bidiagonal_with_factors(
    par: Par<'_>,
    a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
) -> Factors {
    let n = a.ncols();
    let mut f = Factors {
        left_blocks: Vec::new(),
        right_blocks: Vec::new(),
        left_chase: Reflectors::new(n),
        right_chase: Reflectors::new(n),
    };
    reduce(par, a, d, e, Some(&mut f));
    f
}

fn reduce(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
    mut log: Option<&mut Factors>,
) {
    let (m, n) = (a.nrows(), a.ncols());
    debug_assert!(m >= n && n > 0 && d.len() == n && e.len() + 1 == n);
    if m >= n * 11 / 6 && n > BAND {
        // Much taller than wide: R of A = QR has A's singular values, and the band
        // reduction then works on n rows instead of m.
        triangularize(par, a.rb_mut(), log.as_deref_mut());
        a = a.subrows_mut(0, n);
    }
    to_band(par, a.rb_mut(), BAND, log.as_deref_mut());
    let mut band = Band::from_upper(a.rb(), BAND);
    band.chase(log.map(|f| (&mut f.left_chase, &mut f.right_chase)));
    for i in 0..n {
        d[i] = band.get(i, i);
        if i + 1 < n {
            e[i] = band.get(i, i + 1);
        }
    }
}

/// A block reflector `I − V·T·Vᵀ` acting on rows (or columns) `offset..offset + V.nrows()`.
pub struct BlockReflector {
    offset: usize,
    v: Mat<f64>,
    t: Mat<f64>,
}

/// The orthogonal factors of a two-stage reduction `A = Q·B·Pᵀ`: Q is the product of
/// `left_blocks` then `left_chase` (in the order generated), P of `right_blocks` then
/// `right_chase`.
pub struct Factors {
    left_blocks: Vec<BlockReflector>,
    right_blocks: Vec<BlockReflector>,
    left_chase: Reflectors,
    right_chase: Reflectors,
}

impl Factors {
    /// `x := Q·x` (x has m rows; stage 2 touches only the top n).
    pub fn apply_q(&self, par: Par<'_>, mut x: MatMut<'_, f64>) {
        let n = self.left_chase.n;
        self.left_chase.apply(par, x.rb_mut().subrows_mut(0, n));
        apply_blocks(par, &self.left_blocks, x);
    }

    /// `y := P·y` (y has n rows).
    pub fn apply_p(&self, par: Par<'_>, mut y: MatMut<'_, f64>) {
        self.right_chase.apply(par, y.rb_mut());
        apply_blocks(par, &self.right_blocks, y);
    }
}

/// Reflector columns merged into one block for the back-transformation: each block
/// application streams all of x, so wider blocks move less memory per flop.
const MERGED_WIDTH: usize = 256;

/// `x := H₀·H₁···x` for block reflectors generated in that order: the last goes first.
/// Consecutive blocks that end on the same row are merged first.
fn apply_blocks(par: Par<'_>, blocks: &[BlockReflector], mut x: MatMut<'_, f64>) {
    let mut end = blocks.len();
    while end > 0 {
        let bottom = |b: &BlockReflector| b.offset + b.v.nrows();
        let mut start = end - 1;
        let mut width = blocks[start].v.ncols();
        while start > 0
            && bottom(&blocks[start - 1]) == bottom(&blocks[end - 1])
            && width + blocks[start - 1].v.ncols() <= MERGED_WIDTH
        {
            start -= 1;
            width += blocks[start].v.ncols();
        }
        let merged;
        let b = if end - start == 1 {
            &blocks[start]
        } else {
            merged = merge(par, &blocks[start..end]);
            &merged
        };
        let rows = x.rb_mut().subrows_mut(b.offset, b.v.nrows());
        apply_block_left(par, b.v.as_ref(), b.t.as_ref(), rows);
        end = start;
    }
}

/// One block reflector equal to the product of `blocks` (in order; each starting at or
/// below the previous and all ending on the same row): `H₁·H₂ = I − [V₁ V₂]·T·[V₁ V₂]ᵀ`
/// with `T = [T₁, −T₁·V₁ᵀV₂·T₂; 0, T₂]`.
fn merge(par: Par<'_>, blocks: &[BlockReflector]) -> BlockReflector {
    let offset = blocks[0].offset;
    let rows = blocks[0].v.nrows();
    let width: usize = blocks.iter().map(|b| b.v.ncols()).sum();
    let mut v = Mat::<f64>::zeros(rows, width);
    let mut t = Mat::<f64>::zeros(width, width);
    let mut col = 0;
    for b in blocks {
        let (r0, k) = (b.offset - offset, b.v.ncols());
        v.as_mut()
            .submatrix_mut(r0, col, b.v.nrows(), k)
            .copy_from(b.v.as_ref());
        t.as_mut()
            .submatrix_mut(col, col, k, k)
            .copy_from(b.t.as_ref());
        if col > 0 {
            // T[0..col, col..col+k] = −T_prev · (V_prevᵀ · V_b) · T_b
            let mut vv = Mat::<f64>::zeros(col, k);
            gemm(
                par,
                1.0,
                v.as_ref().submatrix(r0, 0, rows - r0, col).transpose(),
                v.as_ref().submatrix(r0, col, rows - r0, k),
                0.0,
                vv.as_mut(),
            );
            let mut tv = Mat::<f64>::zeros(col, k);
            gemm(
                par,
                1.0,
                t.as_ref().submatrix(0, 0, col, col),
                vv.as_ref(),
                0.0,
                tv.as_mut(),
            );
            let (mut top, _) = t.as_mut().split_at_row_mut(col);
            let (_, right) = top.rb_mut().split_at_col_mut(col);
            gemm(
                par,
                -1.0,
                tv.as_ref(),
                b.t.as_ref(),
                0.0,
                right.subcols_mut(0, k),
            );
        }
        col += k;
    }
    BlockReflector { offset, v, t }
}

/// Blocked QR of `a` (m ≥ n): R overwrites the upper triangle; everything below is
/// zeroed.
fn triangularize(par: Par<'_>, mut a: MatMut<'_, f64>, mut log: Option<&mut Factors>) {
    let (m, n) = (a.nrows(), a.ncols());
    for j in (0..n).step_by(BAND) {
        let jb = BAND.min(n - j);
        let kept = left_step(
            par,
            a.rb_mut().subrows_mut(j, m - j).subcols_mut(j, n - j),
            jb,
            log.is_some(),
        );
        if let (Some(f), Some((v, t))) = (log.as_deref_mut(), kept) {
            f.left_blocks.push(BlockReflector { offset: j, v, t });
        }
    }
}

/// One left step: QR of the first `jb` columns of `a`, the reflectors applied to the
/// rest, R written back with zeros below it; the block reflector returned if `keep`.
fn left_step(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    jb: usize,
    keep: bool,
) -> Option<(Mat<f64>, Mat<f64>)> {
    let (m, n) = (a.nrows(), a.ncols());
    let mut panel = a.rb().subcols(0, jb).to_owned();
    let mut tau = vec![0.0; jb.min(m)];
    panel_qr(panel.as_mut(), &mut tau);

    let block = (jb < n || keep).then(|| block_reflector(panel.as_ref(), &tau));
    if let Some((v, t)) = &block
        && jb < n
    {
        apply_block_left_transposed(
            par,
            v.as_ref(),
            t.as_ref(),
            a.rb_mut().subcols_mut(jb, n - jb),
        );
    }
    for j in 0..jb {
        for i in 0..m {
            a[(i, j)] = if i <= j { panel[(i, j)] } else { 0.0 };
        }
    }
    block.filter(|_| keep)
}

/// Stage 1: `a` (m ≥ n) becomes upper band — row r nonzero only in columns r..=r+b of
/// its top n×n block — by alternating QR steps on `b` columns and LQ steps on `b` rows.
///
/// The trailing matrix B sees both steps' updates in one product: with the left
/// reflector `I − V_L·T_L·V_Lᵀ` and the right `I − V_R·T_R·V_Rᵀ`,
/// `B ← B − V_L·X − Y·V_Rᵀ` where `X = T_Lᵀ·V_Lᵀ·[rows of the step; B]` and
/// `Y = (B·V_R − V_L·X·V_R)·T_R`. Only the step's own rows are updated before the LQ
/// panel needs them, so B is streamed three times per step (two reads for the
/// products that form X and Y, one rank-2b update) instead of six.
fn to_band(par: Par<'_>, mut a: MatMut<'_, f64>, b: usize, mut log: Option<&mut Factors>) {
    let (m, n) = (a.nrows(), a.ncols());
    for j in (0..n).step_by(b) {
        let jb = b.min(n - j);
        let nc = n - j - jb;
        if nc == 0 {
            let kept = left_step(
                par,
                a.rb_mut().subrows_mut(j, m - j).subcols_mut(j, jb),
                jb,
                log.is_some(),
            );
            if let (Some(f), Some((v, t))) = (log.as_deref_mut(), kept) {
                f.left_blocks.push(BlockReflector { offset: j, v, t });
            }
            continue;
        }
        // QR of the panel: R into A, the reflectors kept aside.
        let mut panel = a.rb().submatrix(j, j, m - j, jb).to_owned();
        let mut tau = vec![0.0; jb];
        panel_qr(panel.as_mut(), &mut tau);
        let (vl, tl) = block_reflector(panel.as_ref(), &tau);
        for c in 0..jb {
            for i in 0..m - j {
                a[(j + i, j + c)] = if i <= c { panel[(i, c)] } else { 0.0 };
            }
        }
        // X = T_Lᵀ·V_Lᵀ·C over all rows of the step's columns to the right.
        // (Formed as Wᵀ = Cᵀ·V_L: the 24-row microkernel would waste a third of its
        // rows on a 32-row product.)
        let mut wt = Mat::<f64>::zeros(nc, jb);
        gemm(
            par,
            1.0,
            a.rb().submatrix(j, j + jb, m - j, nc).transpose(),
            vl.as_ref(),
            0.0,
            wt.as_mut(),
        );
        let mut x = Mat::<f64>::zeros(jb, nc);
        gemm(par, 1.0, tl.transpose(), wt.transpose(), 0.0, x.as_mut());
        // The step's rows get the left update now: the LQ panel is made of them.
        gemm(
            par,
            -1.0,
            vl.as_ref().subrows(0, jb),
            x.as_ref(),
            1.0,
            a.rb_mut().submatrix_mut(j, j + jb, jb, nc),
        );
        let mut lpanel = Mat::from_fn(nc, jb, |r, c| a[(j + c, j + jb + r)]);
        let mut tau = vec![0.0; jb.min(nc)];
        panel_qr(lpanel.as_mut(), &mut tau);
        let (vr, tr) = block_reflector(lpanel.as_ref(), &tau);
        for c in 0..jb {
            for r in 0..nc {
                a[(j + c, j + jb + r)] = if r <= c { lpanel[(r, c)] } else { 0.0 };
            }
        }
        let rows = m - j - jb;
        if rows > 0 {
            let kr = vr.ncols();
            let vl_low = vl.as_ref().subrows(jb, rows);
            let mut y = Mat::<f64>::zeros(rows, kr);
            {
                let mut p = Mat::<f64>::zeros(rows, kr);
                gemm(
                    par,
                    1.0,
                    a.rb().submatrix(j + jb, j + jb, rows, nc),
                    vr.as_ref(),
                    0.0,
                    p.as_mut(),
                );
                let mut q = Mat::<f64>::zeros(jb, kr);
                gemm(par, 1.0, x.as_ref(), vr.as_ref(), 0.0, q.as_mut());
                gemm(par, -1.0, vl_low, q.as_ref(), 1.0, p.as_mut());
                gemm(par, 1.0, p.as_ref(), tr.as_ref(), 0.0, y.as_mut());
            }
            let left = Mat::from_fn(rows, jb + kr, |r, c| {
                if c < jb {
                    vl_low[(r, c)]
                } else {
                    y[(r, c - jb)]
                }
            });
            let right = Mat::from_fn(jb + kr, nc, |r, c| {
                if r < jb { x[(r, c)] } else { vr[(c, r - jb)] }
            });
            gemm(
                par,
                -1.0,
                left.as_ref(),
                right.as_ref(),
                1.0,
                a.rb_mut().submatrix_mut(j + jb, j + jb, rows, nc),
            );
        }
        if let Some(f) = log.as_deref_mut() {
            f.left_blocks.push(BlockReflector {
                offset: j,
                v: vl,
                t: tl,
            });
            f.right_blocks.push(BlockReflector {
                offset: j + jb,
                v: vr,
                t: tr,
            });
        }
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

/// Sweeps whose reflectors are applied together, block by block (see `order`).
const SWEEP_GROUP: usize = 32;

/// Columns a member transforms at a time: a block of an n-row matrix that stays in L2
/// while every reflector passes over it.
const CHASE_COLUMNS: usize = 32;

impl Reflectors {
    fn new(n: usize) -> Reflectors {
        Reflectors {
            n,
            v: Vec::new(),
            tau: Vec::new(),
            start: Vec::new(),
            len: Vec::new(),
            sweeps: Vec::new(),
        }
    }

    fn begin_sweep(&mut self) {
        self.sweeps.push(self.tau.len());
    }

    /// The order to apply them in. Any order that keeps each overlapping pair in reverse
    /// generation order gives the same product, and sweep i's reflector j overlaps only
    /// reflectors ≤ j of later sweeps. So: groups of [`SWEEP_GROUP`] sweeps, the last
    /// group first; within a group, reflector index ascending and, for each, the sweeps
    /// descending. Consecutive reflectors then share all but one row, which stays in L1
    /// instead of coming from L2 for every reflector.
    fn order(&self) -> Vec<usize> {
        let count = self.sweeps.len();
        let end = |i: usize| self.sweeps.get(i + 1).copied().unwrap_or(self.tau.len());
        let mut out = Vec::with_capacity(self.tau.len());
        let mut hi = count;
        while hi > 0 {
            let lo = hi.saturating_sub(SWEEP_GROUP);
            let most = (lo..hi).map(|i| end(i) - self.sweeps[i]).max().unwrap_or(0);
            for j in 0..most {
                for i in (lo..hi).rev() {
                    let k = self.sweeps[i] + j;
                    if k < end(i) {
                        debug_assert_eq!(self.start[k], i + 1 + j * BAND);
                        out.push(k);
                    }
                }
            }
            hi = lo;
        }
        out
    }

    fn push(&mut self, start: usize, v_tail: &[f64], tau: f64) {
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
    fn apply(&self, par: Par<'_>, x: MatMut<'_, f64>) {
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
        let order = self.order();
        let share = ColumnShare::new(x);
        let job = |team: &Team| {
            let mut rows = vec![0.0; self.n * CHASE_COLUMNS];
            for blk in (team.id()..blocks).step_by(team.size()) {
                let c0 = blk * CHASE_COLUMNS;
                let width = CHASE_COLUMNS.min(share.ncols() - c0);
                // SAFETY: block `blk` belongs to this member alone.
                let cols = unsafe { share.columns(c0..c0 + width) };
                self.apply_block(cols, &order, &mut rows);
            }
        };
        (par.launch)(threads, &job);
    }

    /// One block of at most [`CHASE_COLUMNS`] columns, transposed into `rows` so that
    /// each reflector is a sweep of full-width vector operations.
    fn apply_block(&self, mut x: MatMut<'_, f64>, order: &[usize], rows: &mut [f64]) {
        const W: usize = CHASE_COLUMNS;
        let (n, width) = (x.nrows(), x.ncols());
        rows.fill(0.0);
        for c in 0..width {
            for r in 0..n {
                rows[r * W + c] = x[(r, c)];
            }
        }
        apply_rows(self, order, rows);
        for c in 0..width {
            for r in 0..n {
                x[(r, c)] = rows[r * W + c];
            }
        }
    }
}

#[inline(always)]
fn apply_rows_portable(f: &Reflectors, order: &[usize], rows: &mut [f64]) {
    const W: usize = CHASE_COLUMNS;
    let (rows, _) = rows.as_chunks_mut::<W>();
    for &k in order {
        let tau = f.tau[k];
        if tau == 0.0 {
            continue;
        }
        let (start, len) = (f.start[k], f.len[k]);
        let v = &f.v[k * BAND..k * BAND + len];
        let block = &mut rows[start..start + len];
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

fn apply_rows(f: &Reflectors, order: &[usize], rows: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU has AVX-512F.
        return unsafe { apply_rows_avx512(f, order, rows) };
    }
    apply_rows_portable(f, order, rows)
}

/// The portable loop with explicit 512-bit vectors and fused multiply-adds (left to
/// itself the compiler turns it into gathers).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn apply_rows_avx512(f: &Reflectors, order: &[usize], rows: &mut [f64]) {
    use std::arch::x86_64::*;
    const W: usize = CHASE_COLUMNS;
    const Q: usize = CHASE_COLUMNS / 8;
    for &k in order {
        let tau = f.tau[k];
        if tau == 0.0 {
            continue;
        }
        let (start, len) = (f.start[k], f.len[k]);
        let v = &f.v[k * BAND..k * BAND + len];
        let block = &mut rows[start * W..(start + len) * W];
        let p = block.as_mut_ptr();
        // SAFETY: `block` holds len rows of W elements; every access below is at row
        // r < len, lanes 0..W.
        unsafe {
            // Two partial sums per lane (even and odd rows) halve the FMA chain, which
            // bounds this loop.
            let mut w = [_mm512_setzero_pd(); Q];
            let mut w2 = [_mm512_setzero_pd(); Q];
            for h in 0..v.len() / 2 {
                let r = 2 * h;
                let (va, vb) = (_mm512_set1_pd(v[r]), _mm512_set1_pd(v[r + 1]));
                for q in 0..Q {
                    let xa = _mm512_loadu_pd(p.add(r * W + 8 * q));
                    let xb = _mm512_loadu_pd(p.add((r + 1) * W + 8 * q));
                    w[q] = _mm512_fmadd_pd(va, xa, w[q]);
                    w2[q] = _mm512_fmadd_pd(vb, xb, w2[q]);
                }
            }
            if v.len() % 2 == 1 {
                let r = v.len() - 1;
                let vr = _mm512_set1_pd(v[r]);
                for (q, wq) in w.iter_mut().enumerate() {
                    *wq = _mm512_fmadd_pd(vr, _mm512_loadu_pd(p.add(r * W + 8 * q)), *wq);
                }
            }
            for q in 0..Q {
                w[q] = _mm512_add_pd(w[q], w2[q]);
            }
            let t = _mm512_set1_pd(tau);
            for wq in &mut w {
                *wq = _mm512_mul_pd(*wq, t);
            }
            for (r, &vr) in v.iter().enumerate() {
                let vr = _mm512_set1_pd(vr);
                for (q, wq) in w.iter().enumerate() {
                    let at = p.add(r * W + 8 * q);
                    _mm512_storeu_pd(
                        at,
                        _mm512_sub_pd(_mm512_loadu_pd(at), _mm512_mul_pd(vr, *wq)),
                    );
                }
            }
        }
    }
}

/// An n×n matrix that is upper band of width b plus the fill the chase creates (at most
/// 2b − 1 above and b − 1 below the diagonal), stored by columns: element (r, c) at
/// `data[c·ld + r + 2b − c]`, so each column's rows are contiguous.
#[derive(Clone)]
struct Band {
    n: usize,
    b: usize,
    ld: usize,
    data: Vec<f64>,
}

impl Band {
    /// The band of an upper band matrix (its top n×n block).
    fn from_upper(a: faer::MatRef<'_, f64>, b: usize) -> Band {
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
                *band.at(r, c) = a[(r, c)];
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

    fn get(&self, r: usize, c: usize) -> f64 {
        self.data[self.index(r, c)]
    }

    fn at(&mut self, r: usize, c: usize) -> &mut f64 {
        let i = self.index(r, c);
        &mut self.data[i]
    }

    /// Rows `rows` of column c, contiguous.
    fn column(&mut self, c: usize, rows: std::ops::Range<usize>) -> &mut [f64] {
        let start = self.index(rows.start, c);
        &mut self.data[start..start + rows.len()]
    }

    /// Stage 2: sweep i makes row i bidiagonal with a reflector on columns i+1..i+b,
    /// then chases the bulge it creates down the band: a left reflector clears the
    /// bulge's first column, which pushes fill past the band in that block's first
    /// row; a right reflector clears that row, and so on. What each step leaves behind
    /// is cleared by the next sweep (Lang's / Haidar's bulge chasing).
    /// With `log`, the left and right reflectors are recorded as they are generated.
    fn chase(&mut self, log: Option<(&mut Reflectors, &mut Reflectors)>) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            return unsafe { self.chase_avx2(log) };
        }
        self.chase_portable(log)
    }

    /// The same code with 256-bit vectors: no FMA contraction, and the reductions keep
    /// their fixed order, so the result is bitwise the portable one.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn chase_avx2(&mut self, log: Option<(&mut Reflectors, &mut Reflectors)>) {
        self.chase_portable(log)
    }

    #[inline(always)]
    fn chase_portable(&mut self, mut log: Option<(&mut Reflectors, &mut Reflectors)>) {
        let (n, b) = (self.n, self.b);
        let mut x = vec![0.0; b];
        let mut w = vec![0.0; 2 * b];
        for i in 0..n.saturating_sub(1) {
            if let Some((left, right)) = log.as_mut() {
                left.begin_sweep();
                right.begin_sweep();
            }
            let (mut r, mut c) = (i, i + 1);
            while c < n {
                // Right reflector: row r, columns c..ce, applied to rows r+1..ce.
                let ce = (c + b).min(n);
                if ce - c >= 2 {
                    let len = ce - c;
                    for (t, xt) in x[..len].iter_mut().enumerate() {
                        *xt = self.get(r, c + t);
                    }
                    let tau = reflector(&mut x[..len]);
                    *self.at(r, c) = x[0];
                    for t in 1..len {
                        *self.at(r, c + t) = 0.0;
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
                            axpy(vt, self.column(c + t, rows.clone()), w);
                        }
                        for (t, &vt) in v.iter().enumerate() {
                            axpy(-tau * vt, w, self.column(c + t, rows.clone()));
                        }
                    }
                }
                // Left reflector: column c, rows c..re, applied to columns c+1..c+2b.
                let re = (c + b).min(n);
                if re - c >= 2 {
                    let len = re - c;
                    let col = self.column(c, c..re);
                    let tau = reflector(col);
                    x[..len].copy_from_slice(col);
                    col[1..].fill(0.0);
                    if let Some((left, _)) = log.as_mut() {
                        left.push(c, &x[1..len], tau);
                    }
                    if tau != 0.0 {
                        x[0] = 1.0;
                        for j in c + 1..(c + 2 * b).min(n) {
                            let y = self.column(j, c..re);
                            axpy(-tau * dot(&x[..len], y), &x[..len], y);
                        }
                    }
                }
                r = c;
                c += b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::gemm::kernels;

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn vector_width_does_not_change_the_chase() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let n = 150;
        let a = Mat::from_fn(n, n, |i, j| {
            if j >= i && j <= i + BAND {
                ((i * 13 + j * 7) % 17) as f64 - 8.5
            } else {
                0.0
            }
        });
        let mut portable = Band::from_upper(a.as_ref(), BAND);
        let mut wide = portable.clone();
        portable.chase_portable(None);
        // SAFETY: AVX2 was detected above.
        unsafe { wide.chase_avx2(None) };
        assert!(
            portable
                .data
                .iter()
                .zip(&wide.data)
                .all(|(x, y)| x.to_bits() == y.to_bits())
        );
    }

    /// Singular values through the Gram matrix's characteristic polynomial are out of
    /// reach; the bidiagonal must instead preserve the Frobenius norm and the product
    /// of the singular values (|det| for square matrices), which every orthogonal
    /// transformation keeps.
    #[test]
    fn two_stage_reduction_keeps_norm_and_determinant() {
        let par = Par::seq(kernels::select(None));
        for &(m, n) in &[(5, 5), (40, 40), (70, 70), (101, 37), (300, 40)] {
            let a = Mat::from_fn(m, n, |i, j| {
                (((i * 37 + j * 11) % 23) as f64 - 11.0) / 7.0 + if i == j { 2.0 } else { 0.0 }
            });
            let frob: f64 = (0..n)
                .map(|j| (0..m).map(|i| a[(i, j)].powi(2)).sum::<f64>())
                .sum();
            let mut d = vec![0.0; n];
            let mut e = vec![0.0; n - 1];
            let mut work = a.clone();
            bidiagonal(par, work.as_mut(), &mut d, &mut e);
            let got: f64 = d.iter().chain(&e).map(|x| x * x).sum();
            assert!(
                (got - frob).abs() <= 1e-12 * frob,
                "{m}x{n}: ‖B‖² {got} vs ‖A‖² {frob}"
            );
            if m == n {
                let lu = a.as_ref().partial_piv_lu();
                let det: f64 = (0..n).map(|i| lu.U()[(i, i)].abs().ln()).sum();
                let got: f64 = d.iter().map(|x| x.abs().ln()).sum();
                assert!(
                    (got - det).abs() <= 1e-9 * n as f64,
                    "{m}x{n}: log|det| {got} vs {det}"
                );
            }
        }
    }
}
