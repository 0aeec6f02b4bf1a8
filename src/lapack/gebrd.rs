//! One-stage reduction to upper bidiagonal form (reference DGEBRD with DLABRD's
//! panels): `NB` columns and rows at a time are reduced with matrix·vector products on
//! the trailing matrix, which is then updated by one rank-2·NB product on gemm.
//!
//! Half its flops are matrix·vector products, bound by memory bandwidth, where the
//! two-stage reduction ([`super::bidiag`]) runs nearly all of them on gemm. But its Q
//! and P are NB-wide block reflectors only: applying them to the bidiagonal's vectors
//! costs 2n³ per side on gemm, where the two-stage bulge chase's short reflectors add
//! as much again at level-2 speed. So with vectors wanted this order is the cheaper.

use super::bidiag::BlockReflector;
use super::householder::{block_reflector, reflector};
use crate::blas::Par;
use crate::blas::gemm::gemm;
use crate::blas::gemv::{GemvOp, gemv};
use crate::mat::{VecMut, VecRef};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Mat, MatMut, MatRef};

/// Panel width (reference LAPACK's block size for DGEBRD).
pub const NB: usize = 32;

/// `a` (m ≥ n > 0) = Q·B·Pᵀ with B upper bidiagonal (`d`, `e`); `a` is destroyed. Q's
/// block reflectors (offset, NB-wide, in generation order) are pushed to `left`, P's to
/// `right`.
pub fn reduce(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
    left: &mut Vec<BlockReflector>,
    right: &mut Vec<BlockReflector>,
) {
    let (m, n) = (a.nrows(), a.ncols());
    debug_assert!(m >= n && n > 0 && d.len() == n && e.len() + 1 == n);
    if a.row_stride() != 1 {
        // A wide matrix arrives transposed; the matrix·vector products read columns.
        let mut owned = a.to_owned();
        return reduce(par, owned.as_mut(), d, e, left, right);
    }
    for k in (0..n).step_by(NB) {
        let nb = NB.min(n - k);
        let mut p = a.rb_mut().submatrix_mut(k, k, m - k, n - k);
        let (mm, nn) = (p.nrows(), p.ncols());
        let mut tauq = vec![0.0; nb];
        let mut taup = vec![0.0; nb];
        let mut x = Mat::<f64>::zeros(mm, nb);
        let mut y = Mat::<f64>::zeros(nn, nb);
        panel(
            par,
            p.rb_mut(),
            &mut tauq,
            &mut taup,
            x.as_mut(),
            y.as_mut(),
            &mut d[k..k + nb],
            &mut e[k..(k + nb).min(n - 1)],
        );
        if nb < nn {
            trailing_update(par, p.rb_mut(), x.as_ref(), y.as_ref(), nb);
        }
        let (v, t) = block_reflector(par, p.rb().subcols(0, nb), &tauq);
        left.push(BlockReflector::new(k, v, t));
        // Row i's reflector acts on columns i + 1.., stored in the row from i + 2 on.
        let rows = nb.min(nn - 1);
        if rows > 0 {
            let u = p.rb().submatrix(0, 1, rows, nn - 1).transpose();
            let (v, t) = block_reflector(par, u, &taup[..rows]);
            right.push(BlockReflector::new(k + 1, v, t));
        }
    }
}

/// `y := alpha·op(a)·x + y` on slices.
fn gemv_into(par: Par<'_>, op: GemvOp, alpha: f64, a: MatRef<'_, f64>, x: &[f64], y: &mut [f64]) {
    if x.is_empty() || y.is_empty() {
        return;
    }
    gemv(par, op, alpha, a, VecRef::of(x), 1.0, VecMut::of(y));
}

/// A matrix·vector product's operand: op and matrix.
type Operand<'a> = (GemvOp, MatRef<'a, f64>);

/// `τ·(op(a)·z − Σ op(outer)·(op(inner)·z))`: one of DLABRD's new X or Y columns, the
/// trailing matrix's product corrected for the panel's earlier steps (which it has not
/// seen yet). `tmp` holds the inner products (at most the panel's width).
fn panel_column(
    par: Par<'_>,
    tau: f64,
    (op, a): Operand<'_>,
    z: &[f64],
    corrections: [(Operand<'_>, Operand<'_>); 2],
    tmp: &mut [f64],
) -> Vec<f64> {
    let length = |op: GemvOp, m: MatRef<'_, f64>| {
        if op.keeps_rows() {
            m.nrows()
        } else {
            m.ncols()
        }
    };
    let mut out = vec![0.0; length(op, a)];
    gemv_into(par, op, 1.0, a, z, &mut out);
    for ((outer_op, outer), (inner_op, inner)) in corrections {
        let inner_z = &mut tmp[..length(inner_op, inner)];
        inner_z.fill(0.0);
        gemv_into(par, inner_op, 1.0, inner, z, inner_z);
        gemv_into(par, outer_op, -1.0, outer, inner_z, &mut out);
    }
    for v in &mut out {
        *v *= tau;
    }
    out
}

/// DLABRD on the leading `nb` columns and rows of `p` (mm ≥ nn): the reflectors
/// overwrite them (Q's below the diagonal with their unit element on it, P's right of
/// the superdiagonal with theirs on it), and X, Y are formed so that the trailing
/// matrix's update is `A −= V·Yᵀ + X·Uᵀ`.
#[allow(clippy::too_many_arguments)]
fn panel(
    par: Par<'_>,
    mut p: MatMut<'_, f64>,
    tauq: &mut [f64],
    taup: &mut [f64],
    mut x: MatMut<'_, f64>,
    mut y: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
) {
    use GemvOp::{NoTrans, Trans};
    let (mm, nn) = (p.nrows(), p.ncols());
    let nb = tauq.len();
    let mut tmp = vec![0.0; nb];
    let mut row = vec![0.0; nn];
    for i in 0..nb {
        // Column i, updated by the panel's earlier steps, then its reflector.
        let yi: Vec<f64> = (0..i).map(|j| y[(i, j)]).collect();
        let pi: Vec<f64> = (0..i).map(|j| p[(j, i)]).collect();
        let mut col: Vec<f64> = (i..mm).map(|r| p[(r, i)]).collect();
        let colv = &mut col[..];
        gemv_into(
            par,
            NoTrans,
            -1.0,
            p.rb().submatrix(i, 0, mm - i, i),
            &yi,
            colv,
        );
        gemv_into(
            par,
            NoTrans,
            -1.0,
            x.rb().submatrix(i, 0, mm - i, i),
            &pi,
            colv,
        );
        tauq[i] = reflector(colv);
        d[i] = colv[0];
        colv[0] = 1.0;
        for (r, v) in (i..mm).zip(colv.iter()) {
            p[(r, i)] = *v;
        }
        if i + 1 >= nn {
            taup[i] = 0.0;
            continue;
        }
        let u = &col[..];
        // Y(i+1.., i) = τq·(Aᵀu − Y·(Vᵀu) − Uᵀ·(Xᵀu)) over the trailing columns.
        let yc = panel_column(
            par,
            tauq[i],
            (Trans, p.rb().submatrix(i, i + 1, mm - i, nn - i - 1)),
            u,
            [
                (
                    (NoTrans, y.rb().submatrix(i + 1, 0, nn - i - 1, i)),
                    (Trans, p.rb().submatrix(i, 0, mm - i, i)),
                ),
                (
                    (Trans, p.rb().submatrix(0, i + 1, i, nn - i - 1)),
                    (Trans, x.rb().submatrix(i, 0, mm - i, i)),
                ),
            ],
            &mut tmp,
        );
        for (dst, v) in y
            .rb_mut()
            .col_mut(i)
            .subrows_mut(i + 1, nn - i - 1)
            .iter_mut()
            .zip(&yc)
        {
            *dst = *v;
        }
        // Row i, updated, then its reflector.
        let r = &mut row[..nn - i - 1];
        for (t, v) in r.iter_mut().enumerate() {
            *v = p[(i, i + 1 + t)];
        }
        let pi1: Vec<f64> = (0..=i).map(|j| p[(i, j)]).collect();
        gemv_into(
            par,
            NoTrans,
            -1.0,
            y.rb().submatrix(i + 1, 0, nn - i - 1, i + 1),
            &pi1,
            r,
        );
        let xi: Vec<f64> = (0..i).map(|j| x[(i, j)]).collect();
        gemv_into(
            par,
            Trans,
            -1.0,
            p.rb().submatrix(0, i + 1, i, nn - i - 1),
            &xi,
            r,
        );
        taup[i] = reflector(r);
        e[i] = r[0];
        r[0] = 1.0;
        for (t, v) in r.iter().enumerate() {
            p[(i, i + 1 + t)] = *v;
        }
        // X(i+1.., i) = τp·(A·v − V·(Yᵀv) − X·(Uv)) over the trailing rows.
        let r = &row[..nn - i - 1];
        let xc = panel_column(
            par,
            taup[i],
            (
                NoTrans,
                p.rb().submatrix(i + 1, i + 1, mm - i - 1, nn - i - 1),
            ),
            r,
            [
                (
                    (NoTrans, p.rb().submatrix(i + 1, 0, mm - i - 1, i + 1)),
                    (Trans, y.rb().submatrix(i + 1, 0, nn - i - 1, i + 1)),
                ),
                (
                    (NoTrans, x.rb().submatrix(i + 1, 0, mm - i - 1, i)),
                    (NoTrans, p.rb().submatrix(0, i + 1, i, nn - i - 1)),
                ),
            ],
            &mut tmp,
        );
        for (dst, v) in x
            .rb_mut()
            .col_mut(i)
            .subrows_mut(i + 1, mm - i - 1)
            .iter_mut()
            .zip(&xc)
        {
            *dst = *v;
        }
    }
}

/// `A22 −= V·Yᵀ + X·Uᵀ` as one product of depth 2·nb: `[V X]·[Y Uᵀ]ᵀ`, so the trailing
/// matrix is streamed once.
fn trailing_update(
    par: Par<'_>,
    p: MatMut<'_, f64>,
    x: MatRef<'_, f64>,
    y: MatRef<'_, f64>,
    nb: usize,
) {
    let (mm, nn) = (p.nrows(), p.ncols());
    let (rows, cols) = (mm - nb, nn - nb);
    let mut lhs = Mat::<f64>::zeros(rows, 2 * nb);
    lhs.as_mut()
        .subcols_mut(0, nb)
        .copy_from(p.rb().submatrix(nb, 0, rows, nb));
    lhs.as_mut()
        .subcols_mut(nb, nb)
        .copy_from(x.subrows(nb, rows));
    let mut rhs = Mat::<f64>::zeros(2 * nb, cols);
    rhs.as_mut()
        .subrows_mut(0, nb)
        .copy_from(y.subrows(nb, cols).transpose());
    rhs.as_mut()
        .subrows_mut(nb, nb)
        .copy_from(p.rb().submatrix(0, nb, nb, cols));
    gemm(
        par,
        -1.0,
        lhs.as_ref(),
        rhs.as_ref(),
        1.0,
        p.submatrix_mut(nb, nb, rows, cols),
    );
}
