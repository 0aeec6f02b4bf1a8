//! Cholesky factorization `A = L·Lᴴ` or `A = Uᴴ·U` (`potrf`), reference `?potrf2`'s
//! recursion on our triangular solve and product.
//!
//! Split A in halves: factor A11, solve L21 := A21·L11⁻ᴴ, update A22 −= L21·L21ᴴ,
//! factor A22. The update touches only A22's lower triangle, itself by halves: the
//! off-diagonal block as one [`gemm`](crate::blas::gemm::gemm), the diagonal blocks recursively, so
//! nearly all the time is in the blocked product and the other triangle is never
//! written.

use crate::blas::gemm;
use crate::blas::trsm::trsm;
use crate::blas::{Diag, Par, Side, Trans, Uplo};
use crate::scalar::{Real, Scalar};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{MatMut, MatRef};

/// The factorization's tunables, as data: tests shrink them to reach the recursion on
/// small matrices. Re-measure with `bench/typed_lapack.py` (cholesky rows).
#[derive(Clone, Copy, Debug)]
pub struct CholeskyParams {
    /// Orders up to this are factored (and rank-k updates made) column by column.
    pub leaf: usize,
    /// Below this order the factorization stays on the caller's thread: measured on
    /// the Intel host, 2 threads did not beat 1 below ~500 (n = 200: 126 vs 112 µs;
    /// 400: 653 vs 630; 600: 1564 vs 1692).
    pub serial_below: usize,
}

impl CholeskyParams {
    pub const fn auto() -> CholeskyParams {
        CholeskyParams {
            leaf: 16,
            serial_below: 512,
        }
    }
}

/// Factors the Hermitian positive definite matrix whose `uplo` triangle `a` holds, in
/// place (the other triangle is neither read nor written). `Err(j)`: the leading minor of
/// order j + 1 is not positive definite (or holds a NaN); the factorization stopped there,
/// as the reference's does.
pub fn potrf<T: Scalar>(par: Par<'_>, uplo: Uplo, a: MatMut<'_, T>) -> Result<(), usize> {
    potrf_with(&CholeskyParams::auto(), par, uplo, a)
}

/// [`potrf`] with explicit tunables.
pub fn potrf_with<T: Scalar>(
    params: &CholeskyParams,
    par: Par<'_>,
    uplo: Uplo,
    a: MatMut<'_, T>,
) -> Result<(), usize> {
    let leaf = params.leaf.max(1);
    let par = if a.nrows() < params.serial_below {
        par.with_threads(1)
    } else {
        par
    };
    match uplo {
        Uplo::Lower => lower(leaf, par, a),
        // The upper triangle of A, read as the lower triangle of Aᵀ = conj(A), which is
        // Hermitian positive definite too: Aᵀ = L·Lᴴ gives A = (Lᵀ)ᴴ·Lᵀ, and Lᵀ is
        // exactly where U belongs.
        Uplo::Upper => lower(leaf, par, a.transpose_mut()),
    }
}

fn lower<T: Scalar>(leaf_order: usize, par: Par<'_>, mut a: MatMut<'_, T>) -> Result<(), usize> {
    let n = a.nrows();
    if n <= leaf_order {
        return leaf(a);
    }
    let n1 = n / 2;
    let (a11, _, mut a21, a22) = a.rb_mut().split_at_mut(n1, n1);
    let mut a11 = a11;
    lower(leaf_order, par, a11.rb_mut())?;
    // L21·L11ᴴ = A21  ⟺  conj(L21)·L11ᵀ = conj(A21).
    conjugate(a21.rb_mut());
    trsm(
        par,
        Side::Right,
        Uplo::Lower,
        Trans::Yes,
        false,
        Diag::NonUnit,
        T::one(),
        a11.rb(),
        a21.rb_mut(),
    );
    conjugate(a21.rb_mut());
    let mut a22 = a22;
    subtract_gram_lower(leaf_order, par, a21.rb(), a22.rb_mut());
    lower(leaf_order, par, a22).map_err(|j| j + n1)
}

/// Entries of a leaf's L·Lᴴ block kept on the stack (the default leaf order, 16²).
const GRAM_ON_STACK: usize = 16 * 16;

/// C −= L·Lᴴ on C's lower triangle only (a Hermitian rank-k update, `herk`).
fn subtract_gram_lower<T: Scalar>(
    leaf_order: usize,
    par: Par<'_>,
    l: MatRef<'_, T>,
    mut c: MatMut<'_, T>,
) {
    let r = c.nrows();
    if r <= leaf_order {
        // The whole r×r block L·Lᴴ by one product (half of it unused): the product's
        // kernel, not a scalar loop over rows of L, is where the O(n³) of a
        // factorization goes (dpotrf 256² on one thread: 333 µs with dot products
        // along strided rows here, against OpenBLAS's 167).
        // On the stack at the default leaf order: a factorization makes hundreds of
        // leaves, and this is inside its loop.
        let mut stack = [T::zero(); GRAM_ON_STACK];
        let mut heap = Vec::new();
        let buf = if r * r <= GRAM_ON_STACK {
            &mut stack[..r * r]
        } else {
            heap.resize(r * r, T::zero());
            &mut heap[..]
        };
        let mut gram = MatMut::from_column_major_slice_mut(buf, r, r);
        gemm::gemm(
            par,
            T::one(),
            l,
            false,
            l.transpose(),
            true,
            T::zero(),
            gram.rb_mut(),
        );
        for j in 0..r {
            for i in j..r {
                c[(i, j)] -= gram[(i, j)];
            }
        }
        return;
    }
    let r1 = r / 2;
    let (top, bottom) = l.split_at_row(r1);
    let (c11, _, c21, c22) = c.rb_mut().split_at_mut(r1, r1);
    subtract_gram_lower(leaf_order, par, top, c11);
    gemm::gemm(
        par,
        -T::one(),
        bottom,
        false,
        top.transpose(),
        true,
        T::one(),
        c21,
    );
    subtract_gram_lower(leaf_order, par, bottom, c22);
}

fn conjugate<T: Scalar>(mut a: MatMut<'_, T>) {
    if T::COMPLEX {
        for j in 0..a.ncols() {
            for i in 0..a.nrows() {
                a[(i, j)] = a[(i, j)].conjugate();
            }
        }
    }
}

/// Column by column (reference `?potf2`, left-looking), on the lower triangle.
fn leaf<T: Scalar>(mut a: MatMut<'_, T>) -> Result<(), usize> {
    let n = a.nrows();
    for j in 0..n {
        let mut d = a[(j, j)].re();
        for k in 0..j {
            let l = a[(j, k)];
            d -= (l.conjugate() * l).re();
        }
        // `!is_positive` also stops at a NaN, as the reference's `ajj <= 0 or isnan(ajj)`.
        if !d.is_positive() {
            a[(j, j)] = T::from_real(d);
            return Err(j);
        }
        let d = d.sqrt_value();
        a[(j, j)] = T::from_real(d);
        let r = T::from_real(T::Re::one() / d);
        for i in j + 1..n {
            let mut s = a[(i, j)];
            for k in 0..j {
                s -= a[(i, k)] * a[(j, k)].conjugate();
            }
            a[(i, j)] = s * r;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::c64;
    use faer::Mat;

    fn rnd(seed: &mut u64) -> f64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }

    /// L·Lᴴ (or Uᴴ·U) reproduces A, the other triangle is untouched, for orders
    /// around the leaf size, and with leaves shrunk so small orders recurse.
    #[test]
    fn factors_reproduce_the_matrix() {
        for params in [
            CholeskyParams::auto(),
            CholeskyParams {
                leaf: 1,
                serial_below: 0,
            },
            CholeskyParams {
                leaf: 3,
                serial_below: 0,
            },
        ] {
            factors_reproduce_the_matrix_with(&params);
        }
    }

    fn factors_reproduce_the_matrix_with(params: &CholeskyParams) {
        let par = Par::seq(crate::arch::detected());
        let mut seed = 99u64;
        for n in [1, 2, 5, 15, 16, 17, 40, 77] {
            let g = Mat::from_fn(n, n, |_, _| c64::new(rnd(&mut seed), rnd(&mut seed)));
            // A = G·Gᴴ + n·I is Hermitian positive definite.
            let mut a = Mat::from_fn(n, n, |i, j| {
                let mut s = c64::new(if i == j { n as f64 } else { 0.0 }, 0.0);
                for k in 0..n {
                    s += g[(i, k)] * g[(j, k)].conj();
                }
                s
            });
            for i in 0..n {
                a[(i, i)].im = 0.0;
            }
            for uplo in [Uplo::Lower, Uplo::Upper] {
                let sentinel = c64::new(7.0, -7.0);
                let mut f = Mat::from_fn(n, n, |i, j| {
                    let inside = if uplo == Uplo::Lower { i >= j } else { i <= j };
                    if inside { a[(i, j)] } else { sentinel }
                });
                potrf_with(params, par, uplo, f.as_mut()).unwrap();
                let l = Mat::from_fn(n, n, |i, j| match uplo {
                    Uplo::Lower if i >= j => f[(i, j)],
                    Uplo::Upper if i >= j => f[(j, i)].conj(),
                    _ => c64::new(0.0, 0.0),
                });
                for i in 0..n {
                    for j in 0..n {
                        let inside = if uplo == Uplo::Lower { i >= j } else { i <= j };
                        if !inside {
                            assert_eq!(f[(i, j)], sentinel);
                            continue;
                        }
                        let mut s = c64::new(0.0, 0.0);
                        for k in 0..n {
                            s += l[(i, k)] * l[(j, k)].conj();
                        }
                        assert!(
                            (s - a[(i, j)]).norm() < 1e-12 * n as f64,
                            "{params:?} {uplo:?} n={n}"
                        );
                    }
                }
            }
        }
    }

    /// The failing minor is reported as the reference does (0-based here), also past
    /// the recursion's first half.
    #[test]
    fn reports_the_first_indefinite_minor() {
        let par = Par::seq(crate::arch::detected());
        for (n, bad) in [(5, 0), (5, 3), (40, 31), (40, 7)] {
            let mut a = Mat::from_fn(n, n, |i, j| if i == j { 2.0 } else { 0.0 });
            a[(bad, bad)] = -1.0;
            assert_eq!(potrf(par, Uplo::Lower, a.as_mut()), Err(bad));
            let mut a = Mat::from_fn(n, n, |i, j| if i == j { 2.0 } else { 0.0 });
            a[(bad, bad)] = -1.0;
            let shrunk = CholeskyParams {
                leaf: 1,
                serial_below: 0,
            };
            assert_eq!(potrf_with(&shrunk, par, Uplo::Lower, a.as_mut()), Err(bad));
            let mut a = Mat::from_fn(n, n, |i, j| if i == j { 2.0f32 } else { 0.0 });
            a[(bad, bad)] = f32::NAN;
            assert_eq!(potrf(par, Uplo::Upper, a.as_mut()), Err(bad));
        }
    }
}
