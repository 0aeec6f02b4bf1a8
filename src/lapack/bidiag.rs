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

pub use super::band::BAND;
use super::band::{Band, Reflectors};
use super::householder::{apply_block_left, apply_block_left_adjoint, block_reflector, panel_qr};
use crate::blas::Par;
use crate::blas::gemm::gemm;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

/// Upper bidiagonal `d` (n), `e` (n − 1) with the singular values of the m×n matrix
/// `a` (m ≥ n > 0), which is destroyed.
pub fn bidiagonal(par: Par<'_>, a: MatMut<'_, f64>, d: &mut [f64], e: &mut [f64]) {
    reduce(par, a, d, e, None, Stages::Two);
}

/// How the (square or not much taller) matrix is made bidiagonal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stages {
    /// Dense → band → bidiagonal (this module).
    Two,
    /// Directly, panel by panel ([`super::gebrd`]).
    One,
}

/// Up to this many elements (m·n, after any QR of a tall matrix) vectors are reduced
/// in one stage: its factors cost half the two-stage's to apply, and its
/// matrix·vector products (one pass over the trailing matrix per step) stay cheap
/// while that matrix comes from a fast cache; past it, the two-stage reduction's
/// matrix products win. Only with the 512-bit matrix·vector kernels: the portable
/// loop reads A at half the rate, and the two-stage reduction is kept. The crossing
/// is a property of the host's caches (each host's timings are in
/// docs/PERFORMANCE.md, "one-stage or two-stage"); re-measure it with
/// `bench/lapack.py`'s dgesdd jobz=A rows at sizes around it.
pub const ONE_STAGE_UP_TO: usize = 1600 * 1600;

/// As [`bidiagonal`], also returning Q and P with `A = Q·B·Pᵀ` (Q's first n columns and
/// P, in factored form).
pub fn bidiagonal_with_factors(
    par: Par<'_>,
    a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
) -> Factors {
    let (m, n) = (a.nrows(), a.ncols());
    let rows = if is_tall(m, n) { n } else { m };
    // The one-stage steps are bound by the fused matrix·vector pass: only its vector
    // kernel makes them the faster choice.
    let fused_kernel = par.arch.gemv == crate::arch::GemvPath::Avx512;
    let stages = if rows * n <= ONE_STAGE_UP_TO && fused_kernel {
        Stages::One
    } else {
        Stages::Two
    };
    bidiagonal_with_factors_in(par, a, d, e, stages)
}

/// [`bidiagonal_with_factors`] in the given number of stages.
pub fn bidiagonal_with_factors_in(
    par: Par<'_>,
    a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
    stages: Stages,
) -> Factors {
    let n = a.ncols();
    let mut f = Factors {
        left_blocks: Vec::new(),
        right_blocks: Vec::new(),
        left_chase: Reflectors::new(n),
        right_chase: Reflectors::new(n),
    };
    reduce(par, a, d, e, Some(&mut f), stages);
    f
}

/// Much taller than wide, by reference's crossover (DGESDD's and DGELSD's MNTHR =
/// INT(n·11/6)): from there A = Q·R first pays, the rest working on R's n rows.
pub(super) fn much_taller(m: usize, n: usize) -> bool {
    n > 0 && m > n && m >= n * 11 / 6
}

/// Whether the reduction starts with QR: much taller, and wider than one band.
fn is_tall(m: usize, n: usize) -> bool {
    much_taller(m, n) && n > BAND
}

fn reduce(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
    mut log: Option<&mut Factors>,
    stages: Stages,
) {
    let (m, n) = (a.nrows(), a.ncols());
    debug_assert!(m >= n && n > 0 && d.len() == n && e.len() + 1 == n);
    if is_tall(m, n) {
        triangularize(par, a.rb_mut(), log.as_deref_mut());
        a = a.subrows_mut(0, n);
    }
    // One stage only pays for itself through its factors; values alone take two.
    if let (Stages::One, Some(f)) = (stages, log.as_deref_mut()) {
        super::gebrd::reduce(par, a, d, e, &mut f.left_blocks, &mut f.right_blocks);
        return;
    }
    to_band(par, a.rb_mut(), BAND, log.as_deref_mut());
    let mut band = Band::from_upper(a.rb(), BAND);
    band.chase(par, log.map(|f| (&mut f.left_chase, &mut f.right_chase)));
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

impl BlockReflector {
    pub fn new(offset: usize, v: Mat<f64>, t: Mat<f64>) -> BlockReflector {
        BlockReflector { offset, v, t }
    }
}

impl Factors {
    /// `x := Q·x` (x has m rows; stage 2 touches only the top n).
    pub fn apply_q(&self, par: Par<'_>, mut x: MatMut<'_, f64>) {
        let n = self.left_chase.rows();
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
/// application streams all of x, so wider blocks move less memory per flop, but the
/// merged T costs width²·(columns of x) more (measured: 128 beats 256 by 10–20 % at
/// 1000² and 2000², and 64 at 2000²).
pub const MERGED_WIDTH: usize = 128;

/// `x := H₀·H₁···x` for block reflectors generated in that order: the last goes first.
/// Consecutive blocks that end on the same row are merged first.
pub(super) fn apply_blocks(par: Par<'_>, blocks: &[BlockReflector], mut x: MatMut<'_, f64>) {
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
                false,
                v.as_ref().submatrix(r0, col, rows - r0, k),
                false,
                0.0,
                vv.as_mut(),
            );
            let mut tv = Mat::<f64>::zeros(col, k);
            gemm(
                par,
                1.0,
                t.as_ref().submatrix(0, 0, col, col),
                false,
                vv.as_ref(),
                false,
                0.0,
                tv.as_mut(),
            );
            let (mut top, _) = t.as_mut().split_at_row_mut(col);
            let (_, right) = top.rb_mut().split_at_col_mut(col);
            gemm(
                par,
                -1.0,
                tv.as_ref(),
                false,
                b.t.as_ref(),
                false,
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
    panel_qr(par, panel.as_mut(), &mut tau);

    let block = (jb < n || keep).then(|| block_reflector(par, panel.as_ref(), &tau));
    if let Some((v, t)) = &block
        && jb < n
    {
        apply_block_left_adjoint(
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
        panel_qr(par, panel.as_mut(), &mut tau);
        let (vl, tl) = block_reflector(par, panel.as_ref(), &tau);
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
            false,
            vl.as_ref(),
            false,
            0.0,
            wt.as_mut(),
        );
        let mut x = Mat::<f64>::zeros(jb, nc);
        gemm(
            par,
            1.0,
            tl.transpose(),
            false,
            wt.transpose(),
            false,
            0.0,
            x.as_mut(),
        );
        // The step's rows get the left update now: the LQ panel is made of them.
        gemm(
            par,
            -1.0,
            vl.as_ref().subrows(0, jb),
            false,
            x.as_ref(),
            false,
            1.0,
            a.rb_mut().submatrix_mut(j, j + jb, jb, nc),
        );
        let mut lpanel = Mat::<f64>::zeros(nc, jb);
        lpanel
            .as_mut()
            .copy_from(a.rb().submatrix(j, j + jb, jb, nc).transpose());
        let mut tau = vec![0.0; jb.min(nc)];
        panel_qr(par, lpanel.as_mut(), &mut tau);
        let (vr, tr) = block_reflector(par, lpanel.as_ref(), &tau);
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
                    false,
                    vr.as_ref(),
                    false,
                    0.0,
                    p.as_mut(),
                );
                let mut q = Mat::<f64>::zeros(jb, kr);
                gemm(
                    par,
                    1.0,
                    x.as_ref(),
                    false,
                    vr.as_ref(),
                    false,
                    0.0,
                    q.as_mut(),
                );
                gemm(par, -1.0, vl_low, false, q.as_ref(), false, 1.0, p.as_mut());
                gemm(
                    par,
                    1.0,
                    p.as_ref(),
                    false,
                    tr.as_ref(),
                    false,
                    0.0,
                    y.as_mut(),
                );
            }
            // One rank-2b update, [V_L  Y]·[X; V_Rᵀ]: the trailing matrix is read and
            // written once.
            let mut left = Mat::<f64>::zeros(rows, jb + kr);
            left.as_mut().subcols_mut(0, jb).copy_from(vl_low);
            left.as_mut().subcols_mut(jb, kr).copy_from(y.as_ref());
            let mut right = Mat::<f64>::zeros(jb + kr, nc);
            right.as_mut().subrows_mut(0, jb).copy_from(x.as_ref());
            right.as_mut().subrows_mut(jb, kr).copy_from(vr.transpose());
            gemm(
                par,
                -1.0,
                left.as_ref(),
                false,
                right.as_ref(),
                false,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Both reductions with their factors: `Q·B·Pᵀ` rebuilds A to rounding, and Q and P
    /// are orthogonal, on square, tall (QR first) and not-much-taller shapes, with
    /// several panels and a ragged last one, on 1 and 2 threads.
    #[test]
    fn factors_rebuild_the_matrix_in_one_and_two_stages() {
        let arch = crate::arch::detected();
        let teams = [
            Par::seq(arch),
            Par {
                arch,
                threads: 2,
                launch: &crate::runtime::launch,
            },
        ];
        for &(m, n) in &[
            (1, 1),
            (2, 2),
            (7, 5),
            (40, 40),
            (77, 77),
            (101, 70),
            (300, 45),
            (130, 97),
        ] {
            let a = Mat::from_fn(m, n, |i, j| {
                (((i * 37 + j * 11) % 23) as f64 - 11.0) / 7.0 + if i == j { 2.0 } else { 0.0 }
            });
            let norm = a.norm_l2();
            for par in &teams {
                for (stages, stored_transposed) in [
                    (Stages::One, false),
                    (Stages::Two, false),
                    (Stages::One, true),
                    (Stages::Two, true),
                ] {
                    let (mut d, mut e) = (vec![0.0; n], vec![0.0; n - 1]);
                    // A wide matrix reaches the reduction as a transposed view.
                    let (mut work, mut work_t) = (a.clone(), a.transpose().to_owned());
                    let view = if stored_transposed {
                        work_t.as_mut().transpose_mut()
                    } else {
                        work.as_mut()
                    };
                    let f = bidiagonal_with_factors_in(*par, view, &mut d, &mut e, stages);
                    // X = Q·[B; 0]·Pᵀ, formed as Q·(P·[B; 0]ᵀ)ᵀ.
                    let mut bt = Mat::<f64>::zeros(n, m);
                    for i in 0..n {
                        bt[(i, i)] = d[i];
                        if i + 1 < n {
                            bt[(i + 1, i)] = e[i];
                        }
                    }
                    f.apply_p(*par, bt.as_mut());
                    let mut x = bt.transpose().to_owned();
                    f.apply_q(*par, x.as_mut());
                    let err = (&x - &a).norm_l2() / (norm * n as f64 * f64::EPSILON);
                    assert!(err < 10.0, "{m}x{n} {stages:?}: ‖A − QBPᵀ‖ = {err} nε‖A‖");
                    let mut q = Mat::<f64>::identity(m, m);
                    f.apply_q(*par, q.as_mut());
                    let mut p = Mat::<f64>::identity(n, n);
                    f.apply_p(*par, p.as_mut());
                    for (name, o) in [("Q", q), ("P", p)] {
                        let k = o.ncols();
                        let off = (o.transpose() * &o - Mat::<f64>::identity(k, k)).norm_l2();
                        assert!(
                            off < 10.0 * k as f64 * f64::EPSILON,
                            "{m}x{n} {stages:?}: {name}ᵀ{name} − I = {off}"
                        );
                    }
                }
            }
        }
    }

    /// Singular values through the Gram matrix's characteristic polynomial are out of
    /// reach; the bidiagonal must instead preserve the Frobenius norm and the product
    /// of the singular values (|det| for square matrices), which every orthogonal
    /// transformation keeps.
    #[test]
    fn two_stage_reduction_keeps_norm_and_determinant() {
        let par = Par::seq(crate::arch::detected());
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
