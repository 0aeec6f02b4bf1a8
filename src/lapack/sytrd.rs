//! One-stage reduction of a symmetric matrix to tridiagonal form `A = Q·T·Qᵀ`
//! (reference DSYTRD, lower, with DLATRD's panels): the orders below
//! [`super::tridiag`]'s two stages, and every order when the vectors are wanted.
//!
//! Each column's reflector needs the trailing matrix times it (half the flops, bound
//! by reading the matrix); a panel's reflectors then update the trailing matrix at
//! once by a symmetric rank-2k update. Only the lower triangle is read or written:
//! the product is [`symv::lower`] (each element read once for its row and its column,
//! half a transposed gemv's traffic; chunks of columns over the team) and the update
//! is [`gemmt`]'s lower triangle of `[V W]·[W V]ᵀ`. Both give the same result for every
//! thread count, and so does the reduction.

use super::bidiag::BlockReflector;
use super::householder::{block_reflector, reflector};
use crate::blas::Par;
use crate::blas::Uplo;
use crate::blas::gemv::{GemvOp, gemv};
use crate::blas::symv;
use crate::blas::syrk::gemmt;
use crate::mat::{VecMut, VecRef, col_slice};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{ColMut, Mat, MatMut};

/// Reflectors per panel (reference's block size for DSYTRD).
const PANEL: usize = 32;

fn slice(c: ColMut<'_, f64>) -> &mut [f64] {
    c.try_as_col_major_mut()
        .expect("unit row stride")
        .as_slice_mut()
}

/// The tridiagonal `d` (n), `e` (n − 1) of the symmetric matrix whose lower triangle
/// `a` (n×n) holds, which is destroyed (the strict upper triangle is not read); when `keep`, Q as block reflectors in the
/// order generated (Q·x is [`super::bidiag::apply_blocks`]).
pub fn tridiagonal(
    par: Par<'_>,
    mut a: MatMut<'_, f64>,
    d: &mut [f64],
    e: &mut [f64],
    keep: bool,
) -> Option<Vec<BlockReflector>> {
    let n = a.nrows();
    debug_assert!(a.ncols() == n && d.len() == n && e.len() + 1 == n.max(1));
    let mut blocks = keep.then(Vec::new);
    let mut i0 = 0;
    while i0 + 1 < n {
        let m = n - i0;
        let k = PANEL.min(m - 1);
        let mut s = a.rb_mut().submatrix_mut(i0, i0, m, m);
        let mut tau = vec![0.0; k];
        let w = panel(
            par,
            s.rb_mut(),
            k,
            &mut tau,
            &mut d[i0..i0 + k],
            &mut e[i0..i0 + k],
        );
        // The trailing square: C −= V·Wᵀ + W·Vᵀ as one product [V W]·[W V]ᵀ.
        let rest = m - k;
        if rest > 0 {
            let mut vw = Mat::<f64>::zeros(rest, 2 * k);
            let mut wv = Mat::<f64>::zeros(rest, 2 * k);
            let v = s.rb().submatrix(k, 0, rest, k);
            let wk = w.as_ref().subrows(k, rest);
            vw.as_mut().subcols_mut(0, k).copy_from(v);
            vw.as_mut().subcols_mut(k, k).copy_from(wk);
            wv.as_mut().subcols_mut(0, k).copy_from(wk);
            wv.as_mut().subcols_mut(k, k).copy_from(v);
            gemmt(
                par,
                Uplo::Lower,
                -1.0,
                (vw.as_ref(), false),
                (wv.as_ref(), false),
                1.0,
                s.rb_mut().submatrix_mut(k, k, rest, rest),
            );
        }
        if let Some(blocks) = blocks.as_mut() {
            let (v, t) = block_reflector(par, s.rb().submatrix(1, 0, m - 1, k), &tau);
            blocks.push(BlockReflector::new(i0 + 1, v, t));
        }
        i0 += k;
    }
    if n > 0 {
        d[n - 1] = a[(n - 1, n - 1)];
    }
    blocks
}

/// DLATRD: reduces the first `k` columns of the m×m `s` (k < m), writing each
/// reflector's tail below the subdiagonal with a unit head, τ, the diagonal and the
/// subdiagonal; returns W (m×k) with which the trailing square's update is
/// `C −= V·Wᵀ + W·Vᵀ`. The square right of the column being reduced is read as the
/// panel found it; the corrections for the panel's earlier reflectors go through V and W.
fn panel(
    par: Par<'_>,
    mut s: MatMut<'_, f64>,
    k: usize,
    tau: &mut [f64],
    d: &mut [f64],
    e: &mut [f64],
) -> Mat<f64> {
    let m = s.nrows();
    let mut w = Mat::<f64>::zeros(m, k);
    let mut t = vec![0.0; k];
    for j in 0..k {
        let (done, mut rest) = s.rb_mut().split_at_col_mut(j);
        let (w_done, mut w_next) = w.as_mut().split_at_col_mut(j);
        let w_done = w_done.rb();
        let v_done = done.rb().subrows(j, m - j);
        // Column j up to date: a −= V·W[j, :]ᵀ + W·V[j, :]ᵀ (rows j..).
        if j > 0 {
            let col = slice(rest.rb_mut().col_mut(0).subrows_mut(j, m - j));
            // Row j of W and of V (strided), gathered on the stack.
            let (mut w_row, mut v_row) = ([0.0; PANEL], [0.0; PANEL]);
            for c in 0..j {
                (w_row[c], v_row[c]) = (w_done[(j, c)], v_done[(0, c)]);
            }
            gemv(
                par,
                GemvOp::NoTrans,
                -1.0,
                v_done,
                VecRef::of(&w_row[..j]),
                1.0,
                VecMut::of(&mut *col),
            );
            gemv(
                par,
                GemvOp::NoTrans,
                -1.0,
                w_done.subrows(j, m - j),
                VecRef::of(&v_row[..j]),
                1.0,
                VecMut::of(col),
            );
        }
        d[j] = rest[(j, 0)];
        // The reflector taking rows j + 1.. of column j to β·e₀.
        let x = slice(rest.rb_mut().col_mut(0).subrows_mut(j + 1, m - j - 1));
        tau[j] = reflector(x);
        e[j] = x[0];
        x[0] = 1.0;
        let r = m - j - 1;
        let v = col_slice(rest.rb().submatrix(j + 1, 0, r, 1), 0);
        let v_prev = done.rb().subrows(j + 1, r);
        // w = τ·(C·v − V·(Wᵀv) − W·(Vᵀv)), then w −= ½τ(wᵀv)·v, into W's column j.
        let wj = slice(w_next.rb_mut().col_mut(0).subrows_mut(j + 1, r));
        symv::lower(par, rest.rb().submatrix(j + 1, 1, r, r), v, wj);
        if j > 0 {
            let w_prev = w_done.subrows(j + 1, r);
            for (p, q) in [(w_prev, v_prev), (v_prev, w_prev)] {
                gemv(
                    par,
                    GemvOp::Trans,
                    1.0,
                    p,
                    VecRef::of(v),
                    0.0,
                    VecMut::of(&mut t[..j]),
                );
                gemv(
                    par,
                    GemvOp::NoTrans,
                    -1.0,
                    q,
                    VecRef::of(&t[..j]),
                    1.0,
                    VecMut::of(&mut *wj),
                );
            }
        }
        let dot: f64 = wj.iter().zip(v).map(|(a, b)| a * b).sum();
        let alpha = -0.5 * tau[j] * tau[j] * dot;
        for (x, &vi) in wj.iter_mut().zip(v) {
            *x = tau[j] * *x + alpha * vi;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lapack::bidiag::apply_blocks;
    use crate::test_data::symmetric;

    /// Q·T·Qᵀ gives A back and QᵀQ = I, for orders around the panel width, from the
    /// lower triangle alone (NaN above it); on one thread and on two with the same bits.
    #[test]
    fn q_t_qt_reconstructs_a() {
        for n in [1usize, 2, 3, 31, 32, 33, 34, 65, 150] {
            let a = symmetric(n, n as u64);
            let run = |par: Par<'_>| {
                let mut x = a.clone();
                for j in 0..n {
                    for i in 0..j {
                        x[(i, j)] = f64::NAN;
                    }
                }
                let (mut d, mut e) = (vec![0.0; n], vec![0.0; n.saturating_sub(1)]);
                let blocks = tridiagonal(par, x.as_mut(), &mut d, &mut e, true).unwrap();
                let mut q = Mat::<f64>::identity(n, n);
                apply_blocks(par, &blocks, q.as_mut());
                (d, e, q)
            };
            let seq = Par::seq(crate::arch::detected());
            let (d, e, q) = run(seq);
            let tol = 32.0 * n as f64 * f64::EPSILON * n as f64;
            for i in 0..n {
                for j in 0..n {
                    let mut qtqt = 0.0;
                    for p in 0..n {
                        let mut tq = d[p] * q[(j, p)];
                        if p > 0 {
                            tq += e[p - 1] * q[(j, p - 1)];
                        }
                        if p + 1 < n {
                            tq += e[p] * q[(j, p + 1)];
                        }
                        qtqt += q[(i, p)] * tq;
                    }
                    assert!((qtqt - a[(i, j)]).abs() <= tol, "n={n} A[{i},{j}]");
                    let dot: f64 = (0..n).map(|p| q[(p, i)] * q[(p, j)]).sum();
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!((dot - want).abs() <= tol, "n={n} QᵀQ[{i},{j}]");
                }
            }
            let team = run(crate::abi::par().with_threads(2));
            assert!(team == (d, e, q), "n={n}: two threads changed the bits");
        }
    }
}
