//! Symmetric rank-k update (?SYRK) for every element type:
//! `C := alpha·op(A)·op(A)ᵀ + beta·C` on one triangle of C (no conjugation, also for
//! complex types: that is ?HERK), and the general form under it, one triangle of a
//! product `alpha·P·Qᵀ + beta·C` ([`gemmt`]; ?GEMMT's operation), which a symmetric
//! rank-2k update is with P = [V W], Q = [W V].
//!
//! Column blocks of the triangle: the part off the diagonal block is one matrix product
//! straight into C, the diagonal block a small product whose triangle is kept.

use super::{Par, Uplo, gemm};
use crate::scalar::{Scalar, beta_times};
use faer::reborrow::ReborrowMut;
use faer::{Mat, MatMut, MatRef};

/// Width of the column blocks.
const BLOCK: usize = 128;

/// `C := alpha·P·Pᵀ + beta·C` on the `uplo` triangle of the n×n C, where P is `a`
/// (n×k) or, with `trans`, `aᵀ` (a is k×n). The other triangle is not touched;
/// beta = 0 never reads C, alpha = 0 never reads A.
pub fn syrk<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    trans: bool,
    alpha: T,
    a: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
) {
    let p = if trans { a.transpose() } else { a };
    gemmt(par, uplo, alpha, (p, false), (p, false), beta, c);
}

/// `C := alpha·op(A)·op(A)ᴴ + beta·C` on the `uplo` triangle (reference ?HERK: alpha and
/// beta real, the diagonal's imaginary part set to zero), op(A) = A (n×k) or, with
/// `trans`, Aᴴ (a is k×n).
pub fn herk<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    trans: bool,
    alpha: T::Re,
    a: MatRef<'_, T>,
    beta: T::Re,
    mut c: MatMut<'_, T>,
) {
    // A·conj(A)ᵀ, or conj(Aᵀ)·(Aᵀ)ᵀ.
    let (p, q) = if trans {
        ((a.transpose(), true), (a.transpose(), false))
    } else {
        ((a, false), (a, true))
    };
    gemmt(
        par,
        uplo,
        T::from_real(alpha),
        p,
        q,
        T::from_real(beta),
        c.rb_mut(),
    );
    real_diagonal(c);
}

/// `C := alpha·op(A)·op(B)ᵀ + alpha·op(B)·op(A)ᵀ + beta·C` on the `uplo` triangle
/// (reference ?SYR2K), op(X) = X (n×k) or, with `trans`, Xᵀ.
#[allow(clippy::too_many_arguments)]
pub fn syr2k<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    trans: bool,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
) {
    let route = Rank2Route::for_shape::<T>(a, trans);
    rank2k(par, uplo, trans, false, alpha, a, b, beta, c, route)
}

/// `C := alpha·op(A)·op(B)ᴴ + conj(alpha)·op(B)·op(A)ᴴ + beta·C` on the `uplo` triangle
/// (reference ?HER2K: beta real, the diagonal's imaginary part set to zero), op(X) = X
/// (n×k) or, with `trans`, Xᴴ.
#[allow(clippy::too_many_arguments)]
pub fn her2k<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    trans: bool,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T::Re,
    c: MatMut<'_, T>,
) {
    rank2k(
        par,
        uplo,
        trans,
        true,
        alpha,
        a,
        b,
        T::from_real(beta),
        c,
        Rank2Route::for_shape::<T>(a, trans),
    )
}

/// How a rank-2k update is computed: the policy, in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rank2Route {
    /// One triangular product of depth 2k on the operands side by side
    /// ([`rank2_by_concatenation`]).
    Concatenated,
    /// One full n×n product S, then S + Sᵀ on the triangle ([`rank2_by_one_product`]).
    OneProduct,
    /// Two triangular products of depth k.
    TwoProducts,
}

/// Up to this depth the concatenated route (the depth doubled feeds the products
/// better than k alone, and no n×n scratch is written): dsyr2k 1000², µs, concatenated
/// against one product, k = 64: 1233 / 2148, 128: 2321 / 2701, 256: 4461 / 3918.
const CONCAT_MAX_K: usize = 128;

/// Largest scratch (bytes) the one-product route takes for its full product.
const RANK2_SCRATCH: usize = 64 << 20;

impl Rank2Route {
    /// The route for op(A) of a call (`a` n×k, or k×n when `trans`).
    fn for_shape<T: Scalar>(a: MatRef<'_, T>, trans: bool) -> Rank2Route {
        let (n, k) = if trans {
            (a.ncols(), a.nrows())
        } else {
            (a.nrows(), a.ncols())
        };
        if k <= CONCAT_MAX_K {
            Rank2Route::Concatenated
        } else if n * n * size_of::<T>() <= RANK2_SCRATCH {
            Rank2Route::OneProduct
        } else {
            Rank2Route::TwoProducts
        }
    }
}

/// ?SYR2K (`herm` false) and ?HER2K on `route`.
#[allow(clippy::too_many_arguments)]
fn rank2k<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    trans: bool,
    herm: bool,
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
    route: Rank2Route,
) {
    // op(X) = P, the second operand's transpose op(Y)ᵀ = op'(Q)ᵀ.
    let (pa, qa, pb, qb) = if trans {
        let (at, bt) = (a.transpose(), b.transpose());
        ((at, herm), (at, false), (bt, herm), (bt, false))
    } else {
        ((a, false), (a, herm), (b, false), (b, herm))
    };
    let trivial = alpha.is_zero() || pa.0.ncols() == 0;
    match route {
        Rank2Route::Concatenated if !trivial => {
            rank2_by_concatenation(par, uplo, herm, alpha, pa, pb, beta, c.rb_mut())
        }
        Rank2Route::OneProduct if !trivial => {
            rank2_by_one_product(par, uplo, herm, alpha, pa, qb, beta, c.rb_mut())
        }
        _ => {
            gemmt(par, uplo, alpha, pa, qb, beta, c.rb_mut());
            let second = if herm { alpha.conjugate() } else { alpha };
            gemmt(par, uplo, second, pb, qa, T::one(), c.rb_mut());
        }
    }
    if herm {
        real_diagonal(c);
    }
}

/// A rank-2k update as one triangular product of depth 2k:
/// `C := [alpha·op(A), alpha'·op(B)]·[op(B), op(A)]ᴴ + beta·C` on the triangle (alpha' =
/// conj(alpha) when `herm`, else alpha; ᴴ is ᵀ unless `herm`), the operands copied
/// side by side (2·n·2k elements) with the scalars folded into the left one.
#[allow(clippy::too_many_arguments)]
fn rank2_by_concatenation<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    herm: bool,
    alpha: T,
    (a, conj_a): (MatRef<'_, T>, bool),
    (b, conj_b): (MatRef<'_, T>, bool),
    beta: T,
    c: MatMut<'_, T>,
) {
    let (n, k) = (a.nrows(), a.ncols());
    let second = if herm { alpha.conjugate() } else { alpha };
    let op = |conj: bool, v: T| if conj { v.conjugate() } else { v };
    // The right operands are the left ones conjugated where the left ones are not (for
    // ?HER2K one of op(X) and the transposed factor is conjugated, never both).
    let (right_a, right_b) = (herm != conj_a, herm != conj_b);
    let mut left = Mat::<T>::zeros(n, 2 * k);
    let mut right = Mat::<T>::zeros(n, 2 * k);
    for j in 0..k {
        for i in 0..n {
            let (x, y) = (a[(i, j)], b[(i, j)]);
            left[(i, j)] = alpha * op(conj_a, x);
            left[(i, k + j)] = second * op(conj_b, y);
            right[(i, j)] = op(right_b, y);
            right[(i, k + j)] = op(right_a, x);
        }
    }
    gemmt(
        par,
        uplo,
        T::one(),
        (left.as_ref(), false),
        (right.as_ref(), false),
        beta,
        c,
    );
}

/// A rank-2k update as one full product S = alpha·op(P)·op(Q)ᵀ (P, Q n×k, each with
/// whether to conjugate it), then C := S + Sᵀ (Sᴴ when `herm`) + beta·C on the
/// triangle: the same n²·k multiply-adds as the two triangular products, in one large
/// product (k > 0, alpha ≠ 0).
#[allow(clippy::too_many_arguments)]
fn rank2_by_one_product<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    herm: bool,
    alpha: T,
    (p, conj_p): (MatRef<'_, T>, bool),
    (q, conj_q): (MatRef<'_, T>, bool),
    beta: T,
    mut c: MatMut<'_, T>,
) {
    let n = p.nrows();
    let mut s = Mat::<T>::zeros(n, n);
    gemm::gemm(
        par,
        alpha,
        p,
        conj_p,
        q.transpose(),
        conj_q,
        T::zero(),
        s.as_mut(),
    );
    let op = |v: T| if herm { v.conjugate() } else { v };
    // Tiles, so that S's transposed reads stay in cache.
    const TILE: usize = 64;
    for j0 in (0..n).step_by(TILE) {
        for i0 in (0..n).step_by(TILE) {
            let keep = match uplo {
                Uplo::Upper => i0 < j0 + TILE,
                Uplo::Lower => i0 + TILE > j0,
            };
            if !keep {
                continue;
            }
            for j in j0..(j0 + TILE).min(n) {
                for i in i0..(i0 + TILE).min(n) {
                    let inside = match uplo {
                        Uplo::Upper => i <= j,
                        Uplo::Lower => i >= j,
                    };
                    if inside {
                        c[(i, j)] = s[(i, j)] + op(s[(j, i)]) + beta_times(beta, c[(i, j)]);
                    }
                }
            }
        }
    }
}

/// Drops the imaginary parts of a Hermitian result's diagonal, as the reference writes it.
fn real_diagonal<T: Scalar>(mut c: MatMut<'_, T>) {
    if T::COMPLEX {
        for j in 0..c.nrows() {
            c[(j, j)] = T::from_real(c[(j, j)].re());
        }
    }
}

/// `C := alpha·op(P)·op(Q)ᵀ + beta·C` on the `uplo` triangle of the n×n C (P and Q n×k,
/// each with whether to conjugate it). The other triangle is not touched; beta = 0
/// never reads C, alpha = 0 never reads P or Q.
pub fn gemmt<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    alpha: T,
    (p, conj_p): (MatRef<'_, T>, bool),
    (q, conj_q): (MatRef<'_, T>, bool),
    beta: T,
    mut c: MatMut<'_, T>,
) {
    let n = c.nrows();
    assert!(c.ncols() == n, "gemmt: C is not square");
    // alpha = 0 needs no P or Q (empty views may stand in for them).
    let k = if alpha.is_zero() { 0 } else { p.ncols() };
    if n == 0 || (k == 0 && beta.is_one()) {
        return;
    }
    if k == 0 {
        for j in 0..n {
            let rows = match uplo {
                Uplo::Upper => 0..j + 1,
                Uplo::Lower => j..n,
            };
            for i in rows {
                c[(i, j)] = beta_times(beta, c[(i, j)]);
            }
        }
        return;
    }
    assert!(
        p.nrows() == n && q.nrows() == n && q.ncols() == k,
        "gemmt: P or Q has not n×k"
    );
    // The diagonal blocks' full products, one at a time (gemm with beta = 0 overwrites).
    let mut diagonal = Mat::<T>::zeros(BLOCK.min(n), BLOCK.min(n));
    for j0 in (0..n).step_by(BLOCK) {
        let jb = BLOCK.min(n - j0);
        let qj = q.subrows(j0, jb);
        // The rectangle of this block column outside the diagonal block.
        let (r0, rows) = match uplo {
            Uplo::Upper => (0, j0),
            Uplo::Lower => (j0 + jb, n - j0 - jb),
        };
        if rows > 0 {
            gemm::gemm(
                par,
                alpha,
                p.subrows(r0, rows),
                conj_p,
                qj.transpose(),
                conj_q,
                beta,
                c.rb_mut().submatrix_mut(r0, j0, rows, jb),
            );
        }
        let mut d = diagonal.as_mut().submatrix_mut(0, 0, jb, jb);
        gemm::gemm(
            par,
            alpha,
            p.subrows(j0, jb),
            conj_p,
            qj.transpose(),
            conj_q,
            T::zero(),
            d.rb_mut(),
        );
        for j in 0..jb {
            let rows = match uplo {
                Uplo::Upper => 0..j + 1,
                Uplo::Lower => j..jb,
            };
            for i in rows {
                c[(j0 + i, j0 + j)] = d[(i, j)] + beta_times(beta, c[(j0 + i, j0 + j)]);
            }
        }
    }
}

/// A ?SYRK call whose arguments passed the reference checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyrkShape {
    pub uplo: Uplo,
    /// C = alpha·Aᵀ·A + beta·C (A is k×n) rather than A·Aᵀ (A is n×k).
    pub trans: bool,
    pub n: usize,
    pub k: usize,
    pub lda: usize,
    pub ldc: usize,
}

impl SyrkShape {
    /// Stored dimensions of A.
    pub fn a_dims(&self) -> (usize, usize) {
        if self.trans {
            (self.k, self.n)
        } else {
            (self.n, self.k)
        }
    }
}

/// Reference ?SYRK checks in order; `Err(i)` is the Fortran position of the first
/// illegal argument (uplo 1, trans 2, n 3, k 4, lda 7, ldc 10). Complex ?SYRK takes
/// only N and T (C is ?HERK's); for real types C means T.
pub fn validate(
    complex: bool,
    uplo: u8,
    trans: u8,
    n: i64,
    k: i64,
    lda: i64,
    ldc: i64,
) -> Result<SyrkShape, i64> {
    let uplo = Uplo::from_fortran(uplo).ok_or(1)?;
    let trans = match trans.to_ascii_uppercase() {
        b'N' => false,
        b'T' => true,
        b'C' if !complex => true,
        _ => return Err(2),
    };
    if n < 0 {
        return Err(3);
    }
    if k < 0 {
        return Err(4);
    }
    let nrowa = if trans { k } else { n };
    if lda < nrowa.max(1) {
        return Err(7);
    }
    if ldc < n.max(1) {
        return Err(10);
    }
    Ok(SyrkShape {
        uplo,
        trans,
        n: n as usize,
        k: k as usize,
        lda: lda as usize,
        ldc: ldc as usize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::{Real, c64};
    use crate::test_data::matrix;

    /// ?HERK, ?SYR2K, ?HER2K (by every route) against naive sums, for orders across the
    /// column blocks and depths on both sides of the routes' cut, both triangles and
    /// transpositions: the other triangle untouched, a Hermitian
    /// diagonal real, the same bits on 1, 2, 3 and 8 threads.
    fn rank_updates<T: Scalar>() {
        let arch = crate::arch::detected();
        for &(n, k) in &[(1, 1), (9, 4), (300, 70), (150, 140)] {
            for uplo in [Uplo::Upper, Uplo::Lower] {
                for trans in [false, true] {
                    let (r, c) = if trans { (k, n) } else { (n, k) };
                    let (a, b) = (matrix::<T>(r, c, 21), matrix::<T>(r, c, 22));
                    // op(X)[i, p], op as the routine takes it (transposed: conjugated too
                    // for the Hermitian forms, `h`).
                    let op = |x: &Mat<T>, h: bool, i: usize, p: usize| {
                        if trans {
                            if h { x[(p, i)].conjugate() } else { x[(p, i)] }
                        } else {
                            x[(i, p)]
                        }
                    };
                    let c0 = matrix::<T>(n, n, 23);
                    let alpha = T::from_parts(T::Re::from_f64(0.5), T::Re::from_f64(-0.25));
                    let beta = T::Re::from_f64(1.5);
                    for form in [
                        "herk",
                        "syr2k",
                        "her2k",
                        "syr2k-concatenated",
                        "her2k-concatenated",
                        "syr2k-one",
                        "her2k-one",
                        "syr2k-two",
                        "her2k-two",
                    ] {
                        if form.starts_with('h') && !T::COMPLEX {
                            continue;
                        }
                        let herm = form.starts_with('h');
                        let runs: Vec<Mat<T>> = [1, 2, 3, 8]
                            .iter()
                            .map(|&threads| {
                                let par = Par {
                                    arch,
                                    threads,
                                    launch: &crate::runtime::launch,
                                };
                                let mut c = c0.clone();
                                match form {
                                    "herk" => herk(
                                        par,
                                        uplo,
                                        trans,
                                        alpha.re(),
                                        a.as_ref(),
                                        beta,
                                        c.as_mut(),
                                    ),
                                    "syr2k" => syr2k(
                                        par,
                                        uplo,
                                        trans,
                                        alpha,
                                        a.as_ref(),
                                        b.as_ref(),
                                        T::from_real(beta),
                                        c.as_mut(),
                                    ),
                                    // Every route, whichever the shape would take.
                                    _ if form.contains('-') => rank2k(
                                        par,
                                        uplo,
                                        trans,
                                        herm,
                                        alpha,
                                        a.as_ref(),
                                        b.as_ref(),
                                        T::from_real(beta),
                                        c.as_mut(),
                                        match form.split_once('-').unwrap().1 {
                                            "concatenated" => Rank2Route::Concatenated,
                                            "one" => Rank2Route::OneProduct,
                                            _ => Rank2Route::TwoProducts,
                                        },
                                    ),
                                    _ => her2k(
                                        par,
                                        uplo,
                                        trans,
                                        alpha,
                                        a.as_ref(),
                                        b.as_ref(),
                                        beta,
                                        c.as_mut(),
                                    ),
                                }
                                c
                            })
                            .collect();
                        assert!(
                            runs.iter().all(|x| x == &runs[0]),
                            "{form}: thread count changed the result"
                        );
                        for j in 0..n {
                            for i in 0..n {
                                let inside = if uplo == Uplo::Upper { i <= j } else { i >= j };
                                let got = runs[0][(i, j)];
                                if !inside {
                                    assert!(got == c0[(i, j)], "{form} touched ({i},{j})");
                                    continue;
                                }
                                // x·op(y)ᵀ entry, with the conjugate for the Hermitian forms.
                                let prod = |x: &Mat<T>, y: &Mat<T>| {
                                    (0..k).fold(T::zero(), |s, p| {
                                        let yv = op(y, herm, j, p);
                                        s + op(x, herm, i, p)
                                            * if herm { yv.conjugate() } else { yv }
                                    })
                                };
                                let mut want = match form {
                                    "herk" => T::from_real(alpha.re()) * prod(&a, &a),
                                    f if f.starts_with("syr2k") => {
                                        alpha * (prod(&a, &b) + prod(&b, &a))
                                    }
                                    _ => alpha * prod(&a, &b) + alpha.conjugate() * prod(&b, &a),
                                } + T::from_real(beta) * c0[(i, j)];
                                if herm && i == j {
                                    assert!(
                                        got.im() == T::Re::from_f64(0.0),
                                        "{form}: complex diagonal"
                                    );
                                    want = T::from_real(want.re());
                                }
                                let err = (got - want).modulus().to_f64();
                                assert!(
                                    err <= 1e-13 * (k + 2) as f64,
                                    "{form} {uplo:?} trans={trans} n={n} ({i},{j}): {err}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rank_updates_match_naive_sums() {
        rank_updates::<f64>();
        rank_updates::<c64>();
    }
}
