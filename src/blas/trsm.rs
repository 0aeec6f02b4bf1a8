//! Triangular solve with many right-hand sides: `op(A)·X = alpha·B` (left) or
//! `X·op(A) = alpha·B` (right), X overwriting B.
//!
//! All sixteen side/uplo/trans/diag cases reduce to a left solve with a lower or upper
//! triangle by viewing transposes, and the left solve recurses into two half-size
//! solves around one [`gemm`](super::gemm::gemm) update, so nearly all the work runs in
//! the blocked product.

use super::gemm::{self, scale};
use super::{Diag, Par, Side, Trans, Uplo};
use crate::mat::ColumnShare;
use crate::scalar::Scalar;
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{MatMut, MatRef};

/// The scalar arguments of a Fortran-numbered DTRSM call.
#[derive(Clone, Copy, Debug)]
pub struct TrsmArgs {
    pub side: u8,
    pub uplo: u8,
    pub transa: u8,
    pub diag: u8,
    pub m: i64,
    pub n: i64,
    pub lda: i64,
    pub ldb: i64,
}

/// A validated DTRSM call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrsmShape {
    pub side: Side,
    pub uplo: Uplo,
    pub trans: Trans,
    pub diag: Diag,
    pub m: usize,
    pub n: usize,
    pub lda: usize,
    pub ldb: usize,
}

impl TrsmShape {
    /// Order of the triangular matrix A.
    pub fn order(&self) -> usize {
        if self.side == Side::Left {
            self.m
        } else {
            self.n
        }
    }
}

/// Reference DTRSM argument checks in reference order: side 1, uplo 2, transa 3,
/// diag 4, m 5, n 6, lda 9, ldb 11.
pub fn validate(args: TrsmArgs) -> Result<TrsmShape, i64> {
    let side = Side::from_fortran(args.side).ok_or(1)?;
    let uplo = Uplo::from_fortran(args.uplo).ok_or(2)?;
    let trans = Trans::from_fortran(args.transa).ok_or(3)?;
    let diag = Diag::from_fortran(args.diag).ok_or(4)?;
    if args.m < 0 {
        return Err(5);
    }
    if args.n < 0 {
        return Err(6);
    }
    let nrowa = if side == Side::Left { args.m } else { args.n };
    if args.lda < nrowa.max(1) {
        return Err(9);
    }
    if args.ldb < args.m.max(1) {
        return Err(11);
    }
    Ok(TrsmShape {
        side,
        uplo,
        trans,
        diag,
        m: args.m as usize,
        n: args.n as usize,
        lda: args.lda as usize,
        ldb: args.ldb as usize,
    })
}

/// Solves in place: B := alpha·op(A)⁻¹·B (left) or alpha·B·op(A)⁻¹ (right). Only the
/// `uplo` triangle of A is read, and its diagonal only when `diag` is non-unit; `conj`
/// conjugates A (with `trans`: Aᴴ). alpha = 0 sets B to zero without reading A.
#[allow(clippy::too_many_arguments)]
pub fn trsm<T: Scalar>(
    par: Par<'_>,
    side: Side,
    uplo: Uplo,
    trans: Trans,
    conj: bool,
    diag: Diag,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatMut<'_, T>,
) {
    if b.nrows() == 0 || b.ncols() == 0 {
        return;
    }
    if alpha.is_zero() {
        scale(b, T::zero());
        return;
    }
    // op(A) as a view: a transpose swaps the triangle.
    let (t, uplo) = match trans {
        Trans::No => (a, uplo),
        Trans::Yes => (a.transpose(), uplo.flip()),
    };
    let (t, uplo, b) = match side {
        Side::Left => (t, uplo, b),
        // X·T = alpha·B  ⟺  Tᵀ·Xᵀ = alpha·Bᵀ
        Side::Right => (t.transpose(), uplo.flip(), b.transpose_mut()),
    };
    // Many right-hand sides: each thread solves its own columns, serially and without
    // any synchronisation. Every column is computed by the same operations either
    // way, so the result does not depend on the split.
    let cols = b.ncols();
    let k = t.nrows();
    if k.saturating_mul(k).saturating_mul(cols) < SERIAL_KKN {
        return solve_left(Par::seq(par.arch), t, uplo, conj, diag, alpha, b);
    }
    by_columns(par, b, |par, b| {
        solve_left(par, t, uplo, conj, diag, alpha, b)
    });
}

/// Runs `f` on B (a triangular solve's or product's right-hand sides, independent
/// columns): with enough columns, cut into units fixed by the column count alone,
/// which the team shares, each unit on one thread without synchronisation; otherwise
/// on all of B with `par`. The cut never depends on the thread count, so neither does
/// any unit's arithmetic (even where a product's path depends on its shape).
pub(super) fn by_columns<T: Scalar>(
    par: Par<'_>,
    b: MatMut<'_, T>,
    f: impl Fn(Par<'_>, MatMut<'_, T>) + Sync,
) {
    let cols = b.ncols();
    let units = (cols / COLUMNS_PER_UNIT).min(MAX_UNITS);
    if units < 2 {
        return f(par, b);
    }
    let share = ColumnShare::new(b);
    let seq = Par::seq(par.arch);
    (par.launch)(par.threads.min(units).max(1), &|team| {
        team.each(units, |u| {
            let range = crate::runtime::share(cols, 8, u, units);
            // SAFETY: units take disjoint column ranges.
            f(seq, unsafe { share.columns(range) });
        })
    });
}

/// A triangle's order split near its middle (on an eight-row boundary), and its four
/// blocks: [T11 T12; T21 T22], the recursion of trsm and trmm.
pub(super) fn quadrants<T>(t: MatRef<'_, T>) -> (usize, [MatRef<'_, T>; 4]) {
    let k = t.nrows();
    let k1 = (k / 2).next_multiple_of(8).min(k - 1);
    let blocks = [
        t.submatrix(0, 0, k1, k1),
        t.submatrix(0, k1, k1, k - k1),
        t.submatrix(k1, 0, k - k1, k1),
        t.submatrix(k1, k1, k - k1, k - k1),
    ];
    (k1, blocks)
}

/// Columns per unit of [`by_columns`], and the most units (enough for a late member's
/// share to be taken over by the others).
const COLUMNS_PER_UNIT: usize = 64;
const MAX_UNITS: usize = 8;

/// Below this k²·(right-hand sides) a solve stays on the caller's thread, its inner
/// products included: they are too small to gain from a second one (NumPy `inv`,
/// Intel host, 2 vs 1 threads: 100²: 134 vs 117 µs; 128²: 272 vs 285).
const SERIAL_KKN: usize = 128 * 128 * 128;

/// Below this order the solve runs as substitution on the caller's thread.
const BASE: usize = 16;

/// T·X = alpha·B for a triangular T (rows × rows), X overwriting B.
fn solve_left<T: Scalar>(
    par: Par<'_>,
    t: MatRef<'_, T>,
    uplo: Uplo,
    conj: bool,
    diag: Diag,
    alpha: T,
    mut b: MatMut<'_, T>,
) {
    let k = t.nrows();
    if k <= BASE {
        return substitute(t, uplo, conj, diag, alpha, b);
    }
    let (k1, [t11, t12, t21, t22]) = quadrants(t);
    let (mut b1, mut b2) = b.rb_mut().split_at_row_mut(k1);
    match uplo {
        Uplo::Lower => {
            solve_left(par, t11, uplo, conj, diag, alpha, b1.rb_mut());
            gemm::gemm(
                par,
                -T::one(),
                t21,
                conj,
                b1.rb(),
                false,
                alpha,
                b2.rb_mut(),
            );
            solve_left(par, t22, uplo, conj, diag, T::one(), b2);
        }
        Uplo::Upper => {
            solve_left(par, t22, uplo, conj, diag, alpha, b2.rb_mut());
            gemm::gemm(
                par,
                -T::one(),
                t12,
                conj,
                b2.rb(),
                false,
                alpha,
                b1.rb_mut(),
            );
            solve_left(par, t11, uplo, conj, diag, T::one(), b1);
        }
    }
}

/// Forward or back substitution (order ≤ [`BASE`]) on a dense local copy of the
/// triangle, eight right-hand sides (columns of B) at a time so the arithmetic runs
/// across SIMD lanes.
fn substitute<T: Scalar>(
    t: MatRef<'_, T>,
    uplo: Uplo,
    conj: bool,
    diag: Diag,
    alpha: T,
    mut b: MatMut<'_, T>,
) {
    const W: usize = 8;
    let k = t.nrows();
    if b.ncols() == 1 {
        return substitute_one(t, uplo, conj, diag, alpha, b);
    }
    let mut tri = [T::zero(); BASE * BASE];
    for i in 0..k {
        for p in 0..k {
            let inside = match uplo {
                Uplo::Lower => p < i,
                Uplo::Upper => p > i,
            };
            if inside || (p == i && diag == Diag::NonUnit) {
                let v = t[(i, p)];
                tri[i * BASE + p] = if conj { v.conjugate() } else { v };
            }
        }
    }
    let n = b.ncols();
    let mut x = [[T::zero(); W]; BASE];
    for j0 in (0..n).step_by(W) {
        let w = W.min(n - j0);
        for (i, xi) in x.iter_mut().enumerate().take(k) {
            for l in 0..w {
                xi[l] = alpha * b[(i, j0 + l)];
            }
        }
        for step in 0..k {
            // Forward substitution for a lower triangle, backward for an upper one.
            let i = if uplo == Uplo::Lower {
                step
            } else {
                k - 1 - step
            };
            let mut s = x[i];
            let range = match uplo {
                Uplo::Lower => 0..i,
                Uplo::Upper => i + 1..k,
            };
            for p in range {
                let tp = tri[i * BASE + p];
                for l in 0..W {
                    s[l] -= tp * x[p][l];
                }
            }
            if diag == Diag::NonUnit {
                let d = tri[i * BASE + i];
                for v in &mut s {
                    *v = v.divide(d);
                }
            }
            x[i] = s;
        }
        for (i, xi) in x.iter().enumerate().take(k) {
            for l in 0..w {
                b[(i, j0 + l)] = xi[l];
            }
        }
    }
}

/// [`substitute`] for one right-hand side (a solve with one vector, as NumPy's `solve`
/// makes): the same operations in the same order as one of its lanes, so the same
/// bits, without copying the triangle or working the seven idle lanes.
fn substitute_one<T: Scalar>(
    t: MatRef<'_, T>,
    uplo: Uplo,
    conj: bool,
    diag: Diag,
    alpha: T,
    mut b: MatMut<'_, T>,
) {
    let k = t.nrows();
    let op = |v: T| if conj { v.conjugate() } else { v };
    let mut x = [T::zero(); BASE];
    for (i, xi) in x.iter_mut().enumerate().take(k) {
        *xi = alpha * b[(i, 0)];
    }
    for step in 0..k {
        let i = if uplo == Uplo::Lower {
            step
        } else {
            k - 1 - step
        };
        let range = match uplo {
            Uplo::Lower => 0..i,
            Uplo::Upper => i + 1..k,
        };
        let mut s = x[i];
        for p in range {
            s -= op(t[(i, p)]) * x[p];
        }
        if diag == Diag::NonUnit {
            s = s.divide(op(t[(i, i)]));
        }
        x[i] = s;
    }
    for (i, &xi) in x.iter().enumerate().take(k) {
        b[(i, 0)] = xi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::matrix;
    use faer::Mat;

    /// Checks ‖op(A)·X − alpha·B‖ (or X·op(A)) against the scale of the problem, for all
    /// sixteen cases, sizes around the recursion base, with NaN outside the triangle
    /// (which must never be read); one right-hand side alone gives the bits it gets
    /// among several.
    #[test]
    fn all_cases_solve_their_system() {
        let par = Par::seq(crate::arch::detected());
        for &(m, n) in &[
            (1, 1),
            (5, 3),
            (16, 7),
            (16, 1),
            (1, 11),
            (17, 40),
            (70, 33),
            (130, 9),
        ] {
            for side in [Side::Left, Side::Right] {
                for uplo in [Uplo::Upper, Uplo::Lower] {
                    for trans in [Trans::No, Trans::Yes] {
                        for diag in [Diag::Unit, Diag::NonUnit] {
                            let k = if side == Side::Left { m } else { n };
                            let full = matrix::<f64>(k, k, 7);
                            // Well conditioned triangle; NaN in the unused part.
                            let a = Mat::from_fn(k, k, |i, j| {
                                let inside = if uplo == Uplo::Upper { i <= j } else { i >= j };
                                if i == j {
                                    if diag == Diag::Unit {
                                        f64::NAN
                                    } else {
                                        2.0 + full[(i, j)]
                                    }
                                } else if inside {
                                    full[(i, j)] / k as f64
                                } else {
                                    f64::NAN
                                }
                            });
                            let dense = Mat::from_fn(k, k, |i, j| {
                                let inside = if uplo == Uplo::Upper { i <= j } else { i >= j };
                                if i == j && diag == Diag::Unit {
                                    1.0
                                } else if inside {
                                    a[(i, j)]
                                } else {
                                    0.0
                                }
                            });
                            let op = if trans == Trans::Yes {
                                dense.transpose().to_owned()
                            } else {
                                dense.clone()
                            };
                            let b0 = matrix::<f64>(m, n, 8);
                            let mut x = b0.clone();
                            let alpha = -1.5;
                            let solve = |b: MatMut<'_, f64>| {
                                trsm(par, side, uplo, trans, false, diag, alpha, a.as_ref(), b)
                            };
                            solve(x.as_mut());
                            let back = if side == Side::Left {
                                &op * &x
                            } else {
                                &x * &op
                            };
                            for i in 0..m {
                                for j in 0..n {
                                    let err = (back[(i, j)] - alpha * b0[(i, j)]).abs();
                                    assert!(
                                        err < 1e-12 * k as f64,
                                        "{side:?} {uplo:?} {trans:?} {diag:?} {m}x{n}: err {err}"
                                    );
                                }
                            }
                            // A right-hand side solved alone (one vector) gives the
                            // bits it gets among the others.
                            let (r, c) = if side == Side::Left { (m, 1) } else { (1, n) };
                            let mut one = b0.as_ref().submatrix(0, 0, r, c).to_owned();
                            solve(one.as_mut());
                            for i in 0..r {
                                for j in 0..c {
                                    assert!(
                                        one[(i, j)].to_bits() == x[(i, j)].to_bits(),
                                        "{side:?} {uplo:?} {trans:?} {diag:?} {m}x{n}: one vector"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
