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

use super::bdsqr::NoConvergence;
use super::secular;
use crate::blas::Par;
use crate::blas::gemm::gemm;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut};

/// `B = U·diag(d)·Vᵀ` for the upper bidiagonal (d, e): on return `d` holds the singular
/// values in nonincreasing order and `u`, `v` (n×n) the vectors; `e` is scaled in place.
pub fn bidiagonal_svd(
    par: Par<'_>,
    d: &mut [f64],
    e: &mut [f64],
    mut u: MatMut<'_, f64>,
    mut v: MatMut<'_, f64>,
) -> Result<(), NoConvergence> {
    let n = d.len();
    debug_assert!(e.len() + 1 == n.max(1) && u.nrows() == n && v.nrows() == n);
    if n == 0 {
        return Ok(());
    }
    // Work on B / max|B|: the squares in the secular equation can neither overflow nor
    // lose the large entries to underflow.
    let scale = d.iter().chain(e.iter()).fold(0.0f64, |m, x| m.max(x.abs()));
    if !scale.is_finite() {
        return Err(NoConvergence);
    }
    if scale == 0.0 {
        for mut x in [u.rb_mut(), v.rb_mut()] {
            x.fill(0.0);
            x.diagonal_mut().fill(1.0);
        }
        return Ok(());
    }
    for x in d.iter_mut().chain(e.iter_mut()) {
        *x /= scale;
    }
    solve(par, d, e, u.rb_mut(), v.rb_mut())?;
    for x in d.iter_mut() {
        *x *= scale;
    }
    sort_descending(d, u, v);
    Ok(())
}

/// The node of `d.len()` rows and `v.nrows()` (= rows or rows + 1) columns whose
/// superdiagonal is `e` (columns − 1 entries).
fn solve(
    par: Par<'_>,
    d: &mut [f64],
    e: &[f64],
    mut u: MatMut<'_, f64>,
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
        _ => {}
    }
    let k = nr / 2;
    let (nc1, nr2) = (k + 1, nr - k - 1);
    let nc2 = nc - nc1;
    let alpha = d[k];
    let beta = if nc2 > 0 { e[k] } else { 0.0 };
    solve(
        par,
        &mut d[..k],
        &e[..k],
        u.rb_mut().submatrix_mut(0, 0, k, k),
        v.rb_mut().submatrix_mut(0, 0, nc1, nc1),
    )?;
    let e_low = if nc2 > 0 { &e[k + 1..nc - 1] } else { &[][..] };
    solve(
        par,
        &mut d[k + 1..],
        e_low,
        u.rb_mut().submatrix_mut(k + 1, k + 1, nr2, nr2),
        v.rb_mut().submatrix_mut(nc1, nc1, nc2, nc2),
    )?;
    merge(par, d, alpha, beta, k, u, v)
}

/// One row: `[d₀]` or `[d₀ e₀]`.
fn leaf(d: &mut [f64], e: &[f64], mut u: MatMut<'_, f64>, mut v: MatMut<'_, f64>) {
    let a = d[0];
    if v.nrows() == 1 {
        d[0] = a.abs();
        u[(0, 0)] = if a < 0.0 { -1.0 } else { 1.0 };
        v[(0, 0)] = 1.0;
        return;
    }
    let b = e[0];
    let s = a.hypot(b);
    u[(0, 0)] = 1.0;
    d[0] = s;
    let (c, sn) = if s == 0.0 { (1.0, 0.0) } else { (a / s, b / s) };
    v[(0, 0)] = c;
    v[(1, 0)] = sn;
    v[(0, 1)] = -sn;
    v[(1, 1)] = c;
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

fn merge(
    par: Par<'_>,
    d: &mut [f64],
    alpha: f64,
    beta: f64,
    k: usize,
    mut u: MatMut<'_, f64>,
    mut v: MatMut<'_, f64>,
) -> Result<(), NoConvergence> {
    let (nr, nc) = (d.len(), v.nrows());
    let sqre = nc > nr;
    let (nc1, nr2) = (k + 1, nr - k - 1);

    // Row k through the children's right vectors: α·(V₁'s last row), β·(V₂'s first).
    let mut ent = Vec::with_capacity(nr);
    for p in 0..k {
        let z = alpha * v[(k, p)];
        ent.push(Entry { d: d[p], z, row: p });
    }
    for q in 0..nr2 {
        let z = beta * v[(nc1, nc1 + q)];
        let at = k + 1 + q;
        ent.push(Entry {
            d: d[at],
            z,
            row: at,
        });
    }
    // The null columns of both children (the lower one only when it has one) rotate
    // into one carrying all of row k's weight, and one the node's own null vector.
    let z_top = alpha * v[(k, k)];
    let z_low = if sqre { beta * v[(nc1, nc - 1)] } else { 0.0 };
    let (c0, s0, mut z0) = if sqre {
        let r = z_top.hypot(z_low);
        if r == 0.0 {
            (1.0, 0.0, 0.0)
        } else {
            (z_top / r, z_low / r, r)
        }
    } else {
        (1.0, 0.0, z_top)
    };
    ent.sort_by(|a, b| a.d.total_cmp(&b.d));

    let dmax = ent.iter().fold(0.0f64, |m, x| m.max(x.d));
    let tol = 4.0 * f64::EPSILON * dmax.max(alpha.abs()).max(beta.abs());
    if z0.abs() <= tol {
        z0 = tol;
    }

    // Deflation, in index space: 0 is the null column, i ≥ 1 is ent[i − 1].
    let count = nr;
    let mut z: Vec<f64> = std::iter::once(z0).chain(ent.iter().map(|x| x.z)).collect();
    let mut deflated = vec![false; count];
    let mut rotations = Vec::new();
    let mut prev: Option<usize> = None;
    for i in 1..count {
        if z[i].abs() <= tol {
            deflated[i] = true;
            continue;
        }
        if let Some(p) = prev
            && ent[i - 1].d - ent[p - 1].d <= tol
        {
            // Close pair: rotate all of z onto the later one; the earlier deflates.
            let r = z[p].hypot(z[i]);
            let (c, s) = (z[i] / r, z[p] / r);
            z[i] = r;
            z[p] = 0.0;
            deflated[p] = true;
            rotations.push((p, i, c, s));
        }
        prev = Some(i);
    }
    let live: Vec<usize> = (0..count).filter(|&i| !deflated[i]).collect();
    let mut ds: Vec<f64> = live
        .iter()
        .map(|&i| if i == 0 { 0.0 } else { ent[i - 1].d })
        .collect();
    let zs: Vec<f64> = live.iter().map(|&i| z[i]).collect();
    if ds.len() > 1 && ds[1] <= tol / 2.0 {
        ds[1] = tol / 2.0;
    }

    let mut roots = Vec::new();
    secular::roots(&ds, &zs, &mut roots)?;
    let kk = ds.len();
    let mut zhat = vec![0.0; kk];
    secular::recomputed_z(&ds, &zs, &roots, &mut zhat);

    // The node's vector blocks become the arrow's bases: U = diag(U₁, 1, U₂) and
    // V = diag(V₁, V₂) with the two null columns rotated (column k carries z₀, the last
    // is the node's own null vector). Arrow row and column i share the index `at(i)`.
    let at = |i: usize| if i == 0 { k } else { ent[i - 1].row };
    let nc2 = nc - nc1;
    u.rb_mut().submatrix_mut(0, k, k, nr - k).fill(0.0);
    u.rb_mut().submatrix_mut(k, 0, 1, nr).fill(0.0);
    u.rb_mut().submatrix_mut(k + 1, 0, nr2, k + 1).fill(0.0);
    u[(k, k)] = 1.0;
    v.rb_mut().submatrix_mut(0, nc1, nc1, nc2).fill(0.0);
    v.rb_mut().submatrix_mut(nc1, 0, nc2, nc1).fill(0.0);
    if sqre {
        rotate(v.rb_mut(), k, nc - 1, c0, s0);
    }
    // The close-pair rotations, in the order found, on both bases.
    for &(p, i, c, s) in &rotations {
        rotate(u.rb_mut(), at(p), at(i), c, -s);
        rotate(v.rb_mut(), at(p), at(i), c, -s);
    }
    let mut sigma = vec![0.0; nr];
    for i in (1..count).filter(|&i| deflated[i]) {
        sigma[at(i)] = ent[i - 1].d;
    }
    // Live vectors: the gathered basis columns times the arrow's singular vectors.
    let mut yu = Mat::<f64>::zeros(kk, kk);
    let mut yv = Mat::<f64>::zeros(kk, kk);
    let (mut ub, mut vb) = (vec![0.0; kk], vec![0.0; kk]);
    for (j, root) in roots.iter().enumerate() {
        secular::vectors(&ds, &zhat, root, &mut ub, &mut vb);
        for jj in 0..kk {
            yu[(jj, j)] = ub[jj];
            yv[(jj, j)] = vb[jj];
        }
        sigma[at(live[j])] = root.sigma(&ds);
    }
    // Which halves of its basis column each live index touches (a close pair may mix
    // the two children): the products skip the zero blocks.
    let mut halves: Vec<u8> = (0..count)
        .map(|i| match i {
            0 => 0,
            _ if ent[i - 1].row < k => TOP,
            _ => BOTTOM,
        })
        .collect();
    for &(p, i, _, _) in &rotations {
        let h = halves[p] | halves[i];
        halves[p] = h;
        halves[i] = h;
    }
    let null_halves = if sqre && s0 != 0.0 { TOP | BOTTOM } else { TOP };
    let side_halves = |i: usize, right: bool| {
        if i == 0 && right {
            null_halves
        } else {
            halves[i]
        }
    };
    for (right, mut x, y, split) in [(false, u.rb_mut(), &yu, k), (true, v.rb_mut(), &yv, nc1)] {
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
                coef.as_ref(),
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
    d.copy_from_slice(&sigma);
    Ok(())
}

/// Halves of a node's rows: the upper child's and the lower child's.
const TOP: u8 = 1;
const BOTTOM: u8 = 2;

/// Columns `(p, q) := (c·p + s·q, −s·p + c·q)`.
fn rotate(mut x: MatMut<'_, f64>, p: usize, q: usize, c: f64, s: f64) {
    for r in 0..x.nrows() {
        let (a, b) = (x[(r, p)], x[(r, q)]);
        x[(r, p)] = c * a + s * b;
        x[(r, q)] = -s * a + c * b;
    }
}

/// Orders the singular values nonincreasingly, moving the vectors with them.
fn sort_descending(d: &mut [f64], mut u: MatMut<'_, f64>, mut v: MatMut<'_, f64>) {
    let mut order: Vec<usize> = (0..d.len()).collect();
    order.sort_by(|&a, &b| d[b].total_cmp(&d[a]));
    if order.iter().enumerate().all(|(i, &o)| i == o) {
        return;
    }
    let dd: Vec<f64> = order.iter().map(|&o| d[o]).collect();
    d.copy_from_slice(&dd);
    for mut x in [u.rb_mut(), v.rb_mut()] {
        let old = x.rb().to_owned();
        for (j, &o) in order.iter().enumerate() {
            x.rb_mut().col_mut(j).copy_from(old.col(o));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::gemm::kernels;

    fn check(d0: &[f64], e0: &[f64]) {
        let n = d0.len();
        let (mut d, mut e) = (d0.to_vec(), e0.to_vec());
        let mut u = Mat::<f64>::zeros(n, n);
        let mut v = Mat::<f64>::zeros(n, n);
        let par = Par::seq(kernels::select(None));
        bidiagonal_svd(par, &mut d, &mut e, u.as_mut(), v.as_mut()).unwrap();
        let norm = d0.iter().chain(e0).fold(0.0f64, |m, x| m.max(x.abs()));
        let tol = 8.0 * (n as f64) * f64::EPSILON * norm.max(f64::MIN_POSITIVE);
        for i in 0..n {
            for j in 0..n {
                let b = if i == j {
                    d0[i]
                } else if j == i + 1 {
                    e0[i]
                } else {
                    0.0
                };
                let r: f64 = (0..n).map(|p| u[(i, p)] * d[p] * v[(j, p)]).sum();
                assert!(
                    (r - b).abs() <= tol,
                    "n={n} B[{i},{j}] = {b}, UΣVᵀ gives {r}"
                );
            }
        }
        for q in [&u, &v] {
            for a in 0..n {
                for b in 0..n {
                    let dot: f64 = (0..n).map(|p| q[(p, a)] * q[(p, b)]).sum();
                    let want = if a == b { 1.0 } else { 0.0 };
                    assert!(
                        (dot - want).abs() <= 8.0 * n as f64 * f64::EPSILON,
                        "n={n} orthogonality {a},{b}: {dot}"
                    );
                }
            }
        }
        // Against the QR iteration (an independent algorithm).
        let (mut dq, mut eq) = (d0.to_vec(), e0.to_vec());
        super::super::bdsqr::singular_values(&mut dq, &mut eq).unwrap();
        for i in 0..n {
            assert!(
                (d[i] - dq[i]).abs() <= tol,
                "n={n} σ{i}: {} vs {}",
                d[i],
                dq[i]
            );
            assert!(i == 0 || d[i] <= d[i - 1]);
        }
    }

    fn random(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut s = seed;
        let mut next = move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        let d = (0..n).map(|_| next()).collect();
        let e = (0..n.saturating_sub(1)).map(|_| next()).collect();
        (d, e)
    }

    #[test]
    fn random_bidiagonals() {
        for n in [1, 2, 3, 4, 5, 7, 10, 33, 100, 257] {
            let (d, e) = random(n, n as u64);
            check(&d, &e);
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
