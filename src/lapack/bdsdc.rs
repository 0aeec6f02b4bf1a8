//! Singular values and vectors of an upper bidiagonal matrix by divide and conquer
//! (reference DBDSDC / DLASD0–DLASD3; Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 1995).
//!
//! Removing a middle row k splits B into an upper block (k rows, k + 1 columns) and a
//! lower one; with their SVDs, B is orthogonally equivalent to a "broken arrow": the
//! children's singular values on the diagonal and one dense row z (row k seen through
//! the children's right vectors). Deflation removes tiny zᵢ and close pairs; the rest is
//! the secular equation ([`super::secular`]). The new vectors are the children's times
//! the arrow's, two matrix products per side on our gemm, where nearly all the flops go.
//!
//! Every node may have one more column than rows (`sqre`): its last right vector then
//! spans the null space.

use super::bdsqr;
use super::secular::{self, NoConvergence};
use crate::blas::Par;
use crate::blas::gemm::gemm;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

/// Nodes up to this many rows, the root included, are solved by the QR iteration, as
/// reference DBDSDC's small problems and DLASD0's leaves are (its SMLSIZ): below,
/// merges cost more than the sweeps. Measured on the Intel host, NumPy `svd` µs:
/// splitting down to single rows, 16² 54.7, 32² 168, 64² 526; with these leaves, 38.9,
/// 120, 446.
const LEAF: usize = 25;

/// Nodes from this many rows solve their two children on two members of the team.
const PARALLEL_CHILDREN: usize = 128;
/// Arrows from this many live entries share their roots and vectors out.
const PARALLEL_ARROW: usize = 256;

/// `B = U·diag(d)·Vᵀ` for the upper bidiagonal (d, e): on return `d` holds the singular
/// values in nonincreasing order and `u` (when asked for), `v` (n×n) the vectors; `e`
/// is scaled in place. Without `u` each merge does half the products.
pub fn bidiagonal_svd(
    par: Par<'_>,
    d: &mut [f64],
    e: &mut [f64],
    mut u: Option<MatMut<'_, f64>>,
    mut v: MatMut<'_, f64>,
) -> Result<(), NoConvergence> {
    let n = d.len();
    debug_assert!(e.len() + 1 == n.max(1) && v.nrows() == n);
    debug_assert!(u.as_ref().is_none_or(|u| u.nrows() == n));
    if n == 0 {
        return Ok(());
    }
    let Some(scale) = normalize(d, e)? else {
        identities(u, v);
        return Ok(());
    };
    solve(par, d, e, u.as_mut().map(|u| u.rb_mut()), v.rb_mut())?;
    for x in d.iter_mut() {
        *x *= scale;
    }
    sort_descending(d, u, v);
    Ok(())
}

/// Divides B by max|B|, so the squares in the secular equation can neither overflow
/// nor lose the large entries to underflow; the factor, or `None` for B = 0.
fn normalize(d: &mut [f64], e: &mut [f64]) -> Result<Option<f64>, NoConvergence> {
    let scale = d.iter().chain(e.iter()).fold(0.0f64, |m, x| m.max(x.abs()));
    if !scale.is_finite() {
        return Err(NoConvergence);
    }
    if scale == 0.0 {
        return Ok(None);
    }
    for x in d.iter_mut().chain(e.iter_mut()) {
        *x /= scale;
    }
    Ok(Some(scale))
}

/// The node of `d.len()` rows and `v.nrows()` (= rows or rows + 1) columns whose
/// superdiagonal is `e` (columns − 1 entries).
fn solve(
    par: Par<'_>,
    d: &mut [f64],
    e: &[f64],
    mut u: Option<MatMut<'_, f64>>,
    mut v: MatMut<'_, f64>,
) -> Result<(), NoConvergence> {
    let (nr, nc) = (d.len(), v.nrows());
    match nr {
        0 => {
            if nc == 1 {
                v[(0, 0)] = 1.0;
            }
            return Ok(());
        }
        1 => {
            leaf(d, e, u, v);
            return Ok(());
        }
        _ if nr <= LEAF => return leaf_by_qr(d, e, u, v),
        _ => {}
    }
    let k = nr / 2;
    let nc1 = k + 1;
    let nc2 = nc - nc1;
    let alpha = d[k];
    let beta = if nc2 > 0 { e[k] } else { 0.0 };
    let e_low = if nc2 > 0 { &e[k + 1..nc - 1] } else { &[][..] };
    {
        let (d_top, d_rest) = d.split_at_mut(k);
        let d_low = &mut d_rest[1..];
        let (u_top, u_low) = match u.as_mut() {
            Some(u) => {
                let (top, _, _, low) = u.rb_mut().split_at_mut(k + 1, k + 1);
                (Some(top.submatrix_mut(0, 0, k, k)), Some(low))
            }
            None => (None, None),
        };
        let (v_top, _, _, v_low) = v.rb_mut().split_at_mut(nc1, nc1);
        let top = (d_top, &e[..k], u_top, v_top);
        let low = (d_low, e_low, u_low, v_low);
        if par.threads >= 2 && nr >= PARALLEL_CHILDREN {
            // The children are independent: one member each, each serial inside
            // (gemm gives the same bits for any team size, so this changes nothing).
            let seq = Par::seq(par.arch);
            let results = par.run_parts(vec![top, low], |(d, e, u, v)| solve(seq, d, e, u, v));
            results.into_iter().collect::<Result<Vec<()>, _>>()?;
        } else {
            let (d, e, u, v) = top;
            solve(par, d, e, u, v)?;
            let (d, e, u, v) = low;
            solve(par, d, e, u, v)?;
        }
    }
    merge(par, d, alpha, beta, k, u, v)
}

/// Splits `0..n` into `parts` contiguous ranges of near-equal length.
fn ranges(n: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    (0..parts)
        .map(|p| crate::runtime::share(n, 1, p, parts))
        .collect()
}

/// `x` cut into `parts` contiguous chunks, each with the index of its first element.
fn chunks<T>(x: &mut [T], parts: usize) -> Vec<(usize, &mut [T])> {
    let mut out = Vec::with_capacity(parts);
    let mut rest = x;
    for r in ranges(rest.len(), parts) {
        let (head, tail) = rest.split_at_mut(r.len());
        out.push((r.start, head));
        rest = tail;
    }
    out
}

/// One row: `[d₀]` or `[d₀ e₀]`.
fn leaf(d: &mut [f64], e: &[f64], u: Option<MatMut<'_, f64>>, mut v: MatMut<'_, f64>) {
    let a = d[0];
    if v.nrows() == 1 {
        d[0] = a.abs();
        if let Some(mut u) = u {
            u[(0, 0)] = if a < 0.0 { -1.0 } else { 1.0 };
        }
        v[(0, 0)] = 1.0;
        return;
    }
    let b = e[0];
    let s = a.hypot(b);
    if let Some(mut u) = u {
        u[(0, 0)] = 1.0;
    }
    d[0] = s;
    let (c, sn) = if s == 0.0 { (1.0, 0.0) } else { (a / s, b / s) };
    v[(0, 0)] = c;
    v[(1, 0)] = sn;
    v[(0, 1)] = -sn;
    v[(1, 1)] = c;
}

/// U (when asked for) and V := I.
fn identities(u: Option<MatMut<'_, f64>>, v: MatMut<'_, f64>) {
    for mut x in u.into_iter().chain([v]) {
        x.fill(0.0);
        x.diagonal_mut().fill(1.0);
    }
}

/// A leaf of `d.len()` rows by [`bdsqr::svd`]. With one more column than rows, right
/// rotations first chase the last superdiagonal entry up the extra column and out
/// (reference DLASDQ with SQRE = 1), which leaves that column as the null vector.
fn leaf_by_qr(
    d: &mut [f64],
    e: &[f64],
    mut u: Option<MatMut<'_, f64>>,
    mut v: MatMut<'_, f64>,
) -> Result<(), NoConvergence> {
    let (nr, nc) = (d.len(), v.nrows());
    identities(u.as_mut().map(|u| u.rb_mut()), v.rb_mut());
    let mut sup = e[..nr - 1].to_vec();
    if nc > nr {
        // Row i holds d_i and the fill f in column nr: rotate columns i and nr.
        let mut f = e[nr - 1];
        for i in (0..nr).rev() {
            let (c, s, r) = bdsqr::rotation(d[i], f);
            d[i] = r;
            bdsqr::rotate(v.rb_mut(), i, nr, c, s);
            if i > 0 {
                f = -s * sup[i - 1];
                sup[i - 1] *= c;
            }
        }
    }
    bdsqr::svd(d, &mut sup, u, v.subcols_mut(0, nr))
}

/// A child singular triple as the arrow sees it.
#[derive(Clone, Copy)]
struct Entry {
    d: f64,
    z: f64,
    /// The arrow's row and column (the same index: the upper child's columns are one
    /// more than its rows, and the split row fills the gap) holding this triple.
    row: usize,
}

/// One merge's broken arrow after deflation, solved: what both the vector and the
/// values-only merges apply to their bases.
struct Arrow {
    k: usize,
    /// Children's triples sorted by value; index i ≥ 1 of the arrow is `ent[i − 1]`,
    /// index 0 the null column.
    ent: Vec<Entry>,
    deflated: Vec<bool>,
    /// Close pairs (p, i, c, s): z rotated onto i, p deflated.
    rotations: Vec<(usize, usize, f64, f64)>,
    /// The indices not deflated (0 first), and whether index 0 is an exact zero
    /// singular value (its column carries no weight) rather than the secular
    /// equation's pole at 0.
    live: Vec<usize>,
    null_free: bool,
    /// The secular equation's poles (the live values, without index 0 when
    /// `null_free`), roots and Gu–Eisenstat z.
    ds: Vec<f64>,
    roots: Vec<secular::Root>,
    zhat: Vec<f64>,
    /// The rotation merging the children's null columns (sqre nodes).
    c0: f64,
    s0: f64,
}

impl Arrow {
    /// `d`: the upper child's values at 0..k, the lower's at k + 1..; `z_top` (k + 1
    /// entries, the upper child's null column last) and `z_low` (the lower child's
    /// columns, its null column last when `sqre`): row k through the children's right
    /// vectors, already scaled by α and β; `coupling` = max(|α|, |β|), which with the
    /// values sets the deflation tolerance.
    fn new(
        par: Par<'_>,
        d: &[f64],
        k: usize,
        z_top: &[f64],
        z_low: &[f64],
        sqre: bool,
        coupling: f64,
    ) -> Result<Arrow, NoConvergence> {
        let nr = d.len();
        let mut ent = Vec::with_capacity(nr);
        for p in 0..k {
            ent.push(Entry {
                d: d[p],
                z: z_top[p],
                row: p,
            });
        }
        for q in 0..nr - k - 1 {
            ent.push(Entry {
                d: d[k + 1 + q],
                z: z_low[q],
                row: k + 1 + q,
            });
        }
        // The null columns of both children (the lower one only when it has one)
        // rotate into one carrying all of row k's weight, and the node's own null vector.
        let z_top_null = z_top[k];
        let (c0, s0, mut z0) = if sqre {
            let z_low_null = z_low[z_low.len() - 1];
            let r = z_top_null.hypot(z_low_null);
            if r == 0.0 {
                (1.0, 0.0, 0.0)
            } else {
                (z_top_null / r, z_low_null / r, r)
            }
        } else {
            (1.0, 0.0, z_top_null)
        };
        ent.sort_by(|a, b| a.d.total_cmp(&b.d));

        let dmax = ent.iter().fold(0.0f64, |m, x| m.max(x.d));
        let tol = 4.0 * f64::EPSILON * dmax.max(coupling);
        // A null column without weight is an exact zero singular value; the secular
        // equation then runs over the other entries alone (no pole at 0).
        let null_free = z0.abs() <= tol;
        if null_free {
            z0 = 0.0;
        }
        // Deflation: tiny z, then close pairs.
        let mut z: Vec<f64> = std::iter::once(z0).chain(ent.iter().map(|x| x.z)).collect();
        let mut deflated = vec![false; nr];
        let mut rotations = Vec::new();
        let mut prev: Option<usize> = None;
        for i in 1..nr {
            if z[i].abs() <= tol {
                deflated[i] = true;
                continue;
            }
            if let Some(p) = prev
                && ent[i - 1].d - ent[p - 1].d <= tol
            {
                let r = z[p].hypot(z[i]);
                let (c, s) = (z[i] / r, z[p] / r);
                z[i] = r;
                z[p] = 0.0;
                deflated[p] = true;
                rotations.push((p, i, c, s));
            }
            prev = Some(i);
        }
        let live: Vec<usize> = (0..nr).filter(|&i| !deflated[i]).collect();
        let secular_live = &live[usize::from(null_free)..];
        let mut ds: Vec<f64> = secular_live
            .iter()
            .map(|&i| if i == 0 { 0.0 } else { ent[i - 1].d })
            .collect();
        let zs: Vec<f64> = secular_live.iter().map(|&i| z[i]).collect();
        // The smallest pole above 0 stays half a tolerance clear of it (reference
        // DLASD2), so the roots near 0 and the vectors stay well defined.
        let lowest = usize::from(!null_free);
        if ds.len() > lowest && ds[lowest] <= tol / 2.0 {
            ds[lowest] = tol / 2.0;
        }
        // Roots and the recomputed z, split over the team for large arrows.
        let kk = ds.len();
        let parts = if kk >= PARALLEL_ARROW {
            par.threads.min(kk)
        } else {
            1
        };
        let mut roots = vec![
            secular::Root {
                origin: 0,
                tau: 0.0
            };
            kk
        ];
        {
            let chunks = chunks(&mut roots, parts);
            let done = par.run_parts(chunks, |(first, out)| secular::roots(&ds, &zs, first, out));
            done.into_iter().collect::<Result<Vec<()>, _>>()?;
        }
        let mut zhat = vec![0.0; kk];
        {
            let chunks = chunks(&mut zhat, parts);
            par.run_parts(chunks, |(first, out)| {
                secular::recomputed_z(&ds, &zs, &roots, first, out)
            });
        }
        Ok(Arrow {
            k,
            ent,
            deflated,
            rotations,
            live,
            null_free,
            ds,
            roots,
            zhat,
            c0,
            s0,
        })
    }

    /// The arrow row and column (and the node's output slot) of index i.
    fn at(&self, i: usize) -> usize {
        if i == 0 { self.k } else { self.ent[i - 1].row }
    }

    /// The singular values by output slot.
    fn values(&self) -> Vec<f64> {
        let mut sigma = vec![0.0; self.deflated.len()];
        for (i, e) in self.ent.iter().enumerate() {
            if self.deflated[i + 1] {
                sigma[e.row] = e.d;
            }
        }
        let first = usize::from(self.null_free);
        for (j, root) in self.roots.iter().enumerate() {
            sigma[self.at(self.live[first + j])] = root.sigma(&self.ds);
        }
        sigma
    }

    /// The arrow's left (`Yu`) and right (`Yv`) singular vectors, column j for the
    /// value of live index j, row jj for live index jj; `left` skips Yu.
    fn vectors(&self, par: Par<'_>, left: bool) -> (Mat<f64>, Mat<f64>) {
        let kk = self.live.len();
        let mut yu = Mat::<f64>::zeros(if left { kk } else { 0 }, kk);
        let mut yv = Mat::<f64>::zeros(kk, kk);
        let parts = if kk >= PARALLEL_ARROW {
            par.threads.min(kk)
        } else {
            1
        };
        let mut chunks = Vec::new();
        let (mut ru, mut rv) = (yu.as_mut(), yv.as_mut());
        for r in ranges(kk, parts) {
            let (hu, tu) = ru.split_at_col_mut(r.len());
            let (hv, tv) = rv.split_at_col_mut(r.len());
            chunks.push((r.start, hu, hv));
            (ru, rv) = (tu, tv);
        }
        let shift = usize::from(self.null_free);
        par.run_parts(chunks, |(first, mut cu, mut cv)| {
            let (mut ub, mut vb) = (vec![0.0; kk], vec![0.0; kk]);
            for c in 0..cv.ncols() {
                let j = first + c;
                if self.null_free {
                    if j == 0 {
                        // σ = 0: right vector the null column, left vector the left
                        // null vector of [ẑᵀ; diag(d)]: (1, −ẑᵢ/dᵢ).
                        vb.fill(0.0);
                        vb[0] = 1.0;
                        ub[0] = 1.0;
                        for (i, (z, d)) in self.zhat.iter().zip(&self.ds).enumerate() {
                            ub[1 + i] = -z / d;
                        }
                        let norm = super::householder::norm2(&ub);
                        ub.iter_mut().for_each(|x| *x /= norm);
                    } else {
                        vb[0] = 0.0;
                        secular::vectors_without_null(
                            &self.ds,
                            &self.zhat,
                            &self.roots[j - 1],
                            &mut ub,
                            &mut vb[1..],
                        );
                    }
                } else {
                    secular::vectors(
                        &self.ds,
                        &self.zhat,
                        &self.roots[j - shift],
                        &mut ub,
                        &mut vb,
                    );
                }
                for jj in 0..kk {
                    if left {
                        cu[(jj, c)] = ub[jj];
                    }
                    cv[(jj, c)] = vb[jj];
                }
            }
        });
        (yu, yv)
    }

    /// Applies the null-column rotation (columns k and `last`, when the node has a null
    /// vector) and the close-pair rotations to a basis held in columns.
    fn rotate_basis(&self, mut x: MatMut<'_, f64>, null: Option<usize>, is_right: bool) {
        if let (Some(last), true) = (null, is_right) {
            bdsqr::rotate(x.rb_mut(), self.k, last, self.c0, self.s0);
        }
        for &(p, i, c, s) in &self.rotations {
            bdsqr::rotate(x.rb_mut(), self.at(p), self.at(i), c, -s);
        }
    }
}

fn merge(
    par: Par<'_>,
    d: &mut [f64],
    alpha: f64,
    beta: f64,
    k: usize,
    mut u: Option<MatMut<'_, f64>>,
    mut v: MatMut<'_, f64>,
) -> Result<(), NoConvergence> {
    let (nr, nc) = (d.len(), v.nrows());
    let sqre = nc > nr;
    let (nc1, nr2) = (k + 1, nr - k - 1);
    let nc2 = nc - nc1;
    // Row k through the children's right vectors: α·(V₁'s last row), β·(V₂'s first).
    let z_top: Vec<f64> = (0..nc1).map(|p| alpha * v[(k, p)]).collect();
    let z_low: Vec<f64> = (0..nc2).map(|q| beta * v[(nc1, nc1 + q)]).collect();
    let arrow = Arrow::new(par, d, k, &z_top, &z_low, sqre, alpha.abs().max(beta.abs()))?;

    // The node's vector blocks become the arrow's bases: U = diag(U₁, 1, U₂) and
    // V = diag(V₁, V₂) with the two null columns rotated (column k carries z₀, the last
    // is the node's own null vector).
    let null = sqre.then_some(nc - 1);
    if let Some(u) = u.as_mut() {
        u.rb_mut().submatrix_mut(0, k, k, nr - k).fill(0.0);
        u.rb_mut().submatrix_mut(k, 0, 1, nr).fill(0.0);
        u.rb_mut().submatrix_mut(k + 1, 0, nr2, k + 1).fill(0.0);
        u[(k, k)] = 1.0;
        arrow.rotate_basis(u.rb_mut(), null, false);
    }
    v.rb_mut().submatrix_mut(0, nc1, nc1, nc2).fill(0.0);
    v.rb_mut().submatrix_mut(nc1, 0, nc2, nc1).fill(0.0);
    arrow.rotate_basis(v.rb_mut(), null, true);

    // Live vectors: the gathered basis columns times the arrow's singular vectors.
    let (yu, yv) = arrow.vectors(par, u.is_some());
    let (live, kk) = (&arrow.live, arrow.live.len());
    let at = |i: usize| arrow.at(i);
    // Which halves of its basis column each live index touches (a close pair may mix
    // the two children): the products skip the zero blocks.
    let mut halves: Vec<u8> = (0..nr)
        .map(|i| match i {
            0 => 0,
            _ if at(i) < k => TOP,
            _ => BOTTOM,
        })
        .collect();
    for &(p, i, _, _) in &arrow.rotations {
        let h = halves[p] | halves[i];
        halves[p] = h;
        halves[i] = h;
    }
    let null_halves = if sqre && arrow.s0 != 0.0 {
        TOP | BOTTOM
    } else {
        TOP
    };
    let side_halves = |i: usize, right: bool| {
        if i == 0 && right {
            null_halves
        } else {
            halves[i]
        }
    };
    let left = u.as_mut().map(|u| (false, u.rb_mut(), &yu, k));
    for (right, mut x, y, split) in left.into_iter().chain([(true, v.rb_mut(), &yv, nc1)]) {
        let rows = x.nrows();
        // The top rows, then the bottom ones (U's row k, all zero but index 0's basis
        // vector e_k, is Yu's row 0).
        let mut out = Mat::<f64>::zeros(rows, kk);
        let bottom_start = if right { split } else { split + 1 };
        for (half, r0, r1) in [(TOP, 0, split), (BOTTOM, bottom_start, rows)] {
            let cols: Vec<usize> = (0..kk)
                .filter(|&jj| side_halves(live[jj], right) & half != 0)
                .collect();
            if cols.is_empty() || r1 == r0 {
                continue;
            }
            let basis =
                Mat::<f64>::from_fn(r1 - r0, cols.len(), |r, c| x[(r0 + r, at(live[cols[c]]))]);
            let coef = Mat::<f64>::from_fn(cols.len(), kk, |c, j| y[(cols[c], j)]);
            gemm(
                par,
                1.0,
                basis.as_ref(),
                false,
                coef.as_ref(),
                false,
                0.0,
                out.as_mut().subrows_mut(r0, r1 - r0),
            );
        }
        if !right {
            out.as_mut().row_mut(k).copy_from(y.row(0));
        }
        for (j, &i) in live.iter().enumerate() {
            x.rb_mut().col_mut(at(i)).copy_from(out.col(j));
        }
    }
    d.copy_from_slice(&arrow.values());
    Ok(())
}

/// Singular values alone (`d` nonincreasing on return, `e` destroyed): the same
/// divide and conquer, keeping of each node's V only its first and last rows — all a
/// parent needs to form its z — so each merge costs O(k²) instead of O(k³).
pub fn singular_values(par: Par<'_>, d: &mut [f64], e: &mut [f64]) -> Result<(), NoConvergence> {
    let n = d.len();
    if n == 0 {
        return Ok(());
    }
    let Some(scale) = normalize(d, e)? else {
        return Ok(());
    };
    solve_edges(par, d, e, n)?;
    for x in d.iter_mut() {
        *x *= scale;
    }
    d.sort_by(|a, b| b.total_cmp(a));
    Ok(())
}

/// The node of `d.len()` rows and `nc` columns (superdiagonal `e`, nc − 1 entries):
/// its values into `d`, and the first and last rows of its V returned (2 × nc).
fn solve_edges(
    par: Par<'_>,
    d: &mut [f64],
    e: &[f64],
    nc: usize,
) -> Result<Mat<f64>, NoConvergence> {
    let nr = d.len();
    if nr <= 1 {
        let mut u = Mat::<f64>::zeros(nr, nr);
        let mut v = Mat::<f64>::zeros(nc, nc);
        if nr == 1 {
            leaf(d, e, Some(u.as_mut()), v.as_mut());
        } else if nc == 1 {
            v[(0, 0)] = 1.0;
        }
        return Ok(Mat::from_fn(2, nc, |r, c| {
            v[(if r == 0 { 0 } else { nc - 1 }, c)]
        }));
    }
    let k = nr / 2;
    let nc1 = k + 1;
    let nc2 = nc - nc1;
    let (alpha, beta) = (d[k], if nc2 > 0 { e[k] } else { 0.0 });
    let e_low = if nc2 > 0 { &e[k + 1..nc - 1] } else { &[][..] };
    let (d_top, d_rest) = d.split_at_mut(k);
    let parts = vec![(d_top, &e[..k], nc1), (&mut d_rest[1..], e_low, nc2)];
    let (top, low) = if par.threads >= 2 && nr >= PARALLEL_CHILDREN {
        let seq = Par::seq(par.arch);
        let mut done = par
            .run_parts(parts, |(d, e, nc)| solve_edges(seq, d, e, nc))
            .into_iter();
        let (top, low) = (
            done.next().expect("two parts"),
            done.next().expect("two parts"),
        );
        (top?, low?)
    } else {
        let mut done = parts
            .into_iter()
            .map(|(d, e, nc)| solve_edges(par, d, e, nc));
        let top = done.next().expect("two parts")?;
        (top, done.next().expect("two parts")?)
    };
    let z_top: Vec<f64> = (0..nc1).map(|p| alpha * top[(1, p)]).collect();
    let z_low: Vec<f64> = (0..nc2).map(|q| beta * low[(0, q)]).collect();
    let sqre = nc > nr;
    let arrow = Arrow::new(par, d, k, &z_top, &z_low, sqre, alpha.abs().max(beta.abs()))?;
    // The node's V = diag(V₁, V₂), of which rows first and last.
    let mut edges = Mat::<f64>::zeros(2, nc);
    edges
        .as_mut()
        .submatrix_mut(0, 0, 1, nc1)
        .copy_from(top.as_ref().submatrix(0, 0, 1, nc1));
    if nc2 > 0 {
        edges
            .as_mut()
            .submatrix_mut(1, nc1, 1, nc2)
            .copy_from(low.as_ref().submatrix(1, 0, 1, nc2));
    } else {
        edges
            .as_mut()
            .submatrix_mut(1, 0, 1, nc1)
            .copy_from(top.as_ref().submatrix(1, 0, 1, nc1));
    }
    arrow.rotate_basis(edges.as_mut(), sqre.then_some(nc - 1), true);
    let (_, yv) = arrow.vectors(par, false);
    for r in 0..2 {
        let basis: Vec<f64> = arrow
            .live
            .iter()
            .map(|&i| edges[(r, arrow.at(i))])
            .collect();
        for (j, &i) in arrow.live.iter().enumerate() {
            let x: f64 = basis
                .iter()
                .enumerate()
                .map(|(jj, b)| b * yv[(jj, j)])
                .sum();
            edges[(r, arrow.at(i))] = x;
        }
    }
    d.copy_from_slice(&arrow.values());
    Ok(edges)
}

/// Halves of a node's rows: the upper child's and the lower child's.
const TOP: u8 = 1;
const BOTTOM: u8 = 2;

/// Orders the singular values nonincreasingly, moving the vectors with them.
fn sort_descending(d: &mut [f64], mut u: Option<MatMut<'_, f64>>, mut v: MatMut<'_, f64>) {
    let mut order: Vec<usize> = (0..d.len()).collect();
    order.sort_by(|&a, &b| d[b].total_cmp(&d[a]));
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        return;
    }
    let dd: Vec<f64> = order.iter().map(|&o| d[o]).collect();
    d.copy_from_slice(&dd);
    for mut x in u.iter_mut().map(|u| u.rb_mut()).chain([v.rb_mut()]) {
        let old = x.rb().to_owned();
        for (j, &o) in order.iter().enumerate() {
            x.rb_mut().col_mut(j).copy_from(old.col(o));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(d0: &[f64], e0: &[f64]) {
        let n = d0.len();
        let (mut d, mut e) = (d0.to_vec(), e0.to_vec());
        let mut u = Mat::<f64>::zeros(n, n);
        let mut v = Mat::<f64>::zeros(n, n);
        let par = Par::seq(crate::arch::detected());
        bidiagonal_svd(par, &mut d, &mut e, Some(u.as_mut()), v.as_mut()).unwrap();
        // Right vectors alone: the same values and the same V, bit for bit.
        let (mut dr, mut er) = (d0.to_vec(), e0.to_vec());
        let mut vr = Mat::<f64>::zeros(n, n);
        bidiagonal_svd(par, &mut dr, &mut er, None, vr.as_mut()).unwrap();
        assert!(dr == d && vr == v, "n={n}: V alone differs");
        let norm = d0.iter().chain(e0).fold(0.0f64, |m, x| m.max(x.abs()));
        let tol = 8.0 * (n as f64) * f64::EPSILON * norm.max(f64::MIN_POSITIVE);
        let orth_tol = 8.0 * n as f64 * f64::EPSILON;
        crate::test_data::assert_bidiagonal_svd(d0, e0, &d, u.as_ref(), v.as_ref(), tol, orth_tol);
        // Against the QR iteration (an independent algorithm), and the values-only
        // divide and conquer against both.
        let (mut dq, mut eq) = (d0.to_vec(), e0.to_vec());
        super::super::bdsqr::singular_values(&mut dq, &mut eq).unwrap();
        let (mut dv, mut ev) = (d0.to_vec(), e0.to_vec());
        singular_values(par, &mut dv, &mut ev).unwrap();
        for i in 0..n {
            assert!(
                (d[i] - dq[i]).abs() <= tol && (dv[i] - dq[i]).abs() <= tol,
                "n={n} σ{i}: {} (values only {}) vs {}",
                d[i],
                dv[i],
                dq[i]
            );
            assert!(i == 0 || d[i] <= d[i - 1]);
        }
    }

    /// A bidiagonal of order n from test_data's stream for `seed`.
    fn random(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut x = crate::test_data::values(2 * n, seed);
        let e = x.split_off(n);
        (x, e[..n.saturating_sub(1)].to_vec())
    }

    #[test]
    fn random_bidiagonals() {
        for n in [1, 2, 3, 4, 5, 7, 10, 33, 100, 257] {
            let (d, e) = random(n, n as u64);
            check(&d, &e);
        }
    }

    /// The bidiagonal of an n×n matrix of uniform random entries.
    fn dense_bidiagonal(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let (x, _) = random(n * n, seed);
        let mut a = Mat::<f64>::from_fn(n, n, |i, j| x[i + j * n] / 2.0);
        let (mut d, mut e) = (vec![0.0; n], vec![0.0; n - 1]);
        let par = Par::seq(crate::arch::detected());
        super::super::bidiag::bidiagonal(par, a.as_mut(), &mut d, &mut e);
        (d, e)
    }

    /// The bidiagonal of a dense random matrix: little deflation, so the secular
    /// equation and the merge products do most of the work.
    #[test]
    fn bidiagonal_of_a_dense_matrix() {
        for n in [60, 190] {
            let (d, e) = dense_bidiagonal(n, n as u64);
            check(&d, &e);
        }
    }

    /// Children on two members, roots and vectors shared out: the same bits as serial.
    #[test]
    fn team_gives_the_serial_bits() {
        let n = 700;
        let (d0, e0) = dense_bidiagonal(n, 3);
        let seq = Par::seq(crate::arch::detected());
        let run = |par: Par<'_>| {
            let (mut d, mut e) = (d0.clone(), e0.clone());
            let (mut u, mut v) = (Mat::<f64>::zeros(n, n), Mat::<f64>::zeros(n, n));
            bidiagonal_svd(par, &mut d, &mut e, Some(u.as_mut()), v.as_mut()).unwrap();
            let (mut dv, mut ev) = (d0.clone(), e0.clone());
            singular_values(par, &mut dv, &mut ev).unwrap();
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            let all = |m: &Mat<f64>| {
                bits(
                    &(0..n)
                        .flat_map(|j| (0..n).map(move |i| (i, j)))
                        .map(|(i, j)| m[(i, j)])
                        .collect::<Vec<_>>(),
                )
            };
            (bits(&d), bits(&dv), all(&u), all(&v))
        };
        let serial = run(seq);
        for threads in [2, 3] {
            assert!(
                run(crate::abi::par().with_threads(threads)) == serial,
                "{threads} threads changed the bits"
            );
        }
    }

    /// A zero on the diagonal makes B singular: the zero comes out exactly (as from
    /// reference LAPACK), not as a deflation tolerance, so rank tests with thresholds
    /// near n·ε·‖B‖ see it.
    #[test]
    fn singular_bidiagonals_give_an_exact_zero() {
        let cases: [(&[f64], &[f64]); 5] = [
            (&[1.0, 0.0, 1.0], &[1.0, 1.0]),
            (&[0.0, 2.0], &[1.0]),
            (&[3.0, 0.0], &[1.0]),
            (&[1.0, 2.0, 0.0, 4.0], &[0.5, 0.25, 3.0]),
            (&[0.0, 0.0, 0.0], &[1.0, 2.0]),
        ];
        for (d0, e0) in cases {
            check(d0, e0);
            let n = d0.len();
            let (mut d, mut e) = (d0.to_vec(), e0.to_vec());
            let (mut u, mut v) = (Mat::<f64>::zeros(n, n), Mat::<f64>::zeros(n, n));
            let par = Par::seq(crate::arch::detected());
            bidiagonal_svd(par, &mut d, &mut e, Some(u.as_mut()), v.as_mut()).unwrap();
            assert_eq!(d[n - 1], 0.0, "{d0:?} {e0:?}: {d:?}");
        }
    }

    #[test]
    fn structured_bidiagonals() {
        for n in [2, 5, 40, 131] {
            // Equal values with no coupling: everything deflates.
            check(&vec![1.0; n], &vec![0.0; n - 1]);
            // The zero matrix, and a single nonzero entry.
            check(&vec![0.0; n], &vec![0.0; n - 1]);
            let mut e = vec![0.0; n - 1];
            e[n / 2 - 1] = 3.0;
            check(&vec![0.0; n], &e);
            // Repeated and clustered values, graded entries, zeros on the diagonal.
            let d: Vec<f64> = (0..n).map(|i| 1.0 + 1e-15 * (i % 3) as f64).collect();
            check(&d, &vec![1e-9; n - 1]);
            let d: Vec<f64> = (0..n).map(|i| 10f64.powi(-(i as i32) % 17)).collect();
            let e: Vec<f64> = (0..n - 1)
                .map(|i| 10f64.powi(-(i as i32) % 13) * 0.5)
                .collect();
            check(&d, &e);
            let (mut d, e) = random(n, 7 + n as u64);
            for i in (0..n).step_by(3) {
                d[i] = 0.0;
            }
            check(&d, &e);
            // Ones (a Toeplitz bidiagonal: singular values cluster near 2).
            check(&vec![1.0; n], &vec![1.0; n - 1]);
        }
    }
}
