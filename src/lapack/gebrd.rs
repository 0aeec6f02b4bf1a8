//! One-stage reduction to upper bidiagonal form (reference DGEBRD with DLABRD's
//! panels): `NB` columns and rows at a time are reduced with matrix·vector products on
//! the trailing matrix, which is then updated by one rank-2·NB product on gemm.
//!
//! Half its flops are matrix·vector products, bound by memory bandwidth, where the
//! two-stage reduction ([`super::bidiag`]) runs nearly all of them on gemm. Each step
//! reads the trailing matrix once for both of its products (LAPACK Working Note 174's
//! reordering: row i's entries follow from the column dots one column at a time, and
//! A·v is A times those entries, scaled once the reflector is known), not once each.
//! Its Q and P are NB-wide block reflectors only: applying them to the bidiagonal's
//! vectors costs 2n³ per side on gemm, where the two-stage bulge chase's short
//! reflectors add as much again at level-2 speed. So with vectors wanted this order is
//! the cheaper while the trailing matrix comes from a fast cache.

use super::bidiag::BlockReflector;
use super::householder::{block_reflector, reflector, reflector_with_multiplier};
use crate::blas::Par;
use crate::blas::gemm::gemm;
use crate::blas::gemv::{GemvOp, dots_then_combination, gemv};
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

/// Length of `op(m)·z`.
fn product_len((op, m): Operand<'_>) -> usize {
    if op.keeps_rows() {
        m.nrows()
    } else {
        m.ncols()
    }
}

/// What the panel's earlier steps contribute to one of DLABRD's new X or Y columns,
/// which the trailing matrix has not seen yet: `Σ op(outer)·(op(inner)·z)`. `tmp`
/// holds the inner products (at most the panel's width).
fn earlier_steps(
    par: Par<'_>,
    z: &[f64],
    corrections: [(Operand<'_>, Operand<'_>); 2],
    tmp: &mut [f64],
) -> Vec<f64> {
    let mut out = vec![0.0; product_len(corrections[0].0)];
    for ((outer_op, outer), inner) in corrections {
        let inner_z = &mut tmp[..product_len(inner)];
        inner_z.fill(0.0);
        gemv_into(par, inner.0, 1.0, inner.1, z, inner_z);
        gemv_into(par, outer_op, 1.0, outer, inner_z, &mut out);
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
        let tail = nn - i - 1;
        // The trailing columns (row i with them), read once for both of this step's
        // products: Y's new column τq·(Aᵀu − earlier) and, through row i's reflector,
        // X's (LAPACK Working Note 174).
        let trailing = p.rb().submatrix(i, i + 1, mm - i, tail);
        let earlier_y = earlier_steps(
            par,
            u,
            [
                (
                    (NoTrans, y.rb().submatrix(i + 1, 0, tail, i)),
                    (Trans, p.rb().submatrix(i, 0, mm - i, i)),
                ),
                (
                    (Trans, p.rb().submatrix(0, i + 1, i, tail)),
                    (Trans, x.rb().submatrix(i, 0, mm - i, i)),
                ),
            ],
            &mut tmp,
        );
        // Row i updated by the earlier steps; this step's own share is −Y(.., i)·1.
        let mut row0: Vec<f64> = (0..tail).map(|t| p[(i, i + 1 + t)]).collect();
        let pi: Vec<f64> = (0..i).map(|j| p[(i, j)]).collect();
        gemv_into(
            par,
            NoTrans,
            -1.0,
            y.rb().submatrix(i + 1, 0, tail, i),
            &pi,
            &mut row0,
        );
        let xi: Vec<f64> = (0..i).map(|j| x[(i, j)]).collect();
        gemv_into(
            par,
            Trans,
            -1.0,
            p.rb().submatrix(0, i + 1, i, tail),
            &xi,
            &mut row0,
        );
        let tq = tauq[i];
        let y_of = |j: usize, t: f64| tq * (t - earlier_y[j]);
        // Row i's first trailing entry becomes v's implicit 1: its column is added
        // after the pass.
        let coefficient = |j: usize, t: f64| if j == 0 { 0.0 } else { row0[j] - y_of(j, t) };
        let mut dots = vec![0.0; tail];
        let mut product = vec![0.0; mm - i];
        dots_then_combination(par, trailing, u, coefficient, &mut dots, &mut product);
        let r = &mut row[..tail];
        for (j, (&t, rj)) in dots.iter().zip(r.iter_mut()).enumerate() {
            let yj = y_of(j, t);
            y[(i + 1 + j, i)] = yj;
            *rj = row0[j] - yj;
        }
        // Row i's reflector.
        let (tp, multiplier) = reflector_with_multiplier(r);
        taup[i] = tp;
        e[i] = r[0];
        r[0] = 1.0;
        for (t, v) in r.iter().enumerate() {
            p[(i, i + 1 + t)] = *v;
        }
        // X(i+1.., i) = τp·(A·v − V·(Yᵀv) − X·(Uv)) over the trailing rows, A·v from
        // the pass (in place of its rows below i): v's tail is the pass's coefficients
        // times the multiplier, v's leading 1 takes the first column once.
        let r = &row[..tail];
        let below = p.rb().submatrix(i + 1, i + 1, mm - i - 1, tail);
        let av = &mut product[1..];
        match multiplier {
            Some(s) => {
                for (k, v) in av.iter_mut().enumerate() {
                    *v = below[(k, 0)] + s * *v;
                }
            }
            None => {
                av.fill(0.0);
                gemv_into(par, NoTrans, 1.0, below, r, av);
            }
        }
        let earlier_x = earlier_steps(
            par,
            r,
            [
                (
                    (NoTrans, p.rb().submatrix(i + 1, 0, mm - i - 1, i + 1)),
                    (Trans, y.rb().submatrix(i + 1, 0, tail, i + 1)),
                ),
                (
                    (NoTrans, x.rb().submatrix(i + 1, 0, mm - i - 1, i)),
                    (NoTrans, p.rb().submatrix(0, i + 1, i, tail)),
                ),
            ],
            &mut tmp,
        );
        for ((dst, v), earlier) in x
            .rb_mut()
            .col_mut(i)
            .subrows_mut(i + 1, mm - i - 1)
            .iter_mut()
            .zip(av.iter())
            .zip(&earlier_x)
        {
            *dst = taup[i] * (v - earlier);
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
        false,
        rhs.as_ref(),
        false,
        1.0,
        p.submatrix_mut(nb, nb, rows, cols),
    );
}
