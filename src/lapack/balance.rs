//! Balancing a general matrix before its eigendecomposition (reference ?GEBAL with job
//! 'B', and ?GEBAK's back-transformation of the vectors).
//!
//! First rows and columns are permuted to isolate eigenvalues that can be read off the
//! diagonal: A becomes block upper triangular, with triangular blocks before `lo` and
//! from `hi` on. Then the middle block is scaled, A ← D⁻¹·A·D with D diagonal, its
//! entries powers of 2 (so nothing is rounded), so that each row and its column have
//! about the same norm. The eigenvalues are unchanged, but the Hessenberg QR's errors,
//! ε·‖A‖, shrink with ‖A‖: on a badly scaled matrix that is the difference between
//! accurate eigenvalues and noise. The eigensolver itself does not need `lo` and `hi`:
//! its Householder steps leave the zero parts zero (their reflectors are the identity),
//! so the isolated eigenvalues come out exactly.

use super::householder::norm2;
use super::scale::max_abs;
use crate::scalar::{Real, Scalar};
use faer::MatMut;
use faer::reborrow::{Reborrow, ReborrowMut};

/// What [`balance`] did: rows and columns `lo..hi` were scaled by `scale`; each index i
/// outside them was swapped with `swaps[i]` (in the order [`Balanced::unbalance`] undoes).
pub struct Balanced<R> {
    pub lo: usize,
    pub hi: usize,
    pub scale: Vec<R>,
    pub swaps: Vec<usize>,
}

/// Balances `a` in place: LAPACK 3.12's ?GEBAL, job 'B' (permute, then scale).
pub fn balance<T: Scalar>(mut a: MatMut<'_, T>) -> Balanced<T::Re> {
    let n = a.nrows();
    let one = T::Re::one();
    let mut out = Balanced {
        lo: 0,
        hi: n,
        scale: vec![one; n],
        swaps: (0..n).collect(),
    };
    if n == 0 {
        return out;
    }
    // Swaps rows and columns i and j: columns over rows ..rows, rows over columns from..
    let exchange = |a: &mut MatMut<'_, T>, i: usize, j: usize, rows: usize, from: usize| {
        for r in 0..rows {
            let t = a[(r, i)];
            a[(r, i)] = a[(r, j)];
            a[(r, j)] = t;
        }
        for c in from..n {
            let t = a[(i, c)];
            a[(i, c)] = a[(j, c)];
            a[(j, c)] = t;
        }
    };
    // Rows that are zero off the diagonal (within columns ..=l) isolate an eigenvalue:
    // push them to the bottom.
    let (mut k, mut l) = (0, n - 1);
    let mut changed = true;
    while changed {
        changed = false;
        // The sweep's range is fixed when it starts (reference's DO loop); l shrinks
        // within it.
        let last = l;
        for i in (0..=last).rev() {
            if !(0..=l).all(|j| i == j || a[(i, j)].is_zero()) {
                continue;
            }
            out.swaps[l] = i;
            if i != l {
                exchange(&mut a, i, l, l + 1, k);
            }
            changed = true;
            if l == 0 {
                (out.lo, out.hi) = (0, 1);
                return out;
            }
            l -= 1;
        }
    }
    // Columns zero off the diagonal (within rows k..=l): push them to the left.
    changed = true;
    while changed {
        changed = false;
        let first = k;
        for j in first..=l {
            if !(k..=l).all(|i| i == j || a[(i, j)].is_zero()) {
                continue;
            }
            out.swaps[k] = j;
            if j != k {
                exchange(&mut a, j, k, l + 1, k);
            }
            changed = true;
            k += 1;
        }
    }
    (out.lo, out.hi) = (k, l + 1);
    scale(a, k, l + 1, &mut out.scale);
    out
}

/// The scaling loop of ?GEBAL on rows and columns lo..hi (the permuted matrix is block
/// upper triangular around them).
fn scale<T: Scalar>(mut a: MatMut<'_, T>, lo: usize, hi: usize, scale: &mut [T::Re]) {
    let n = a.nrows();
    let one = T::Re::one();
    let radix = one + one;
    let factor = T::Re::from_f64(0.95);
    let sfmin1 = T::Re::SAFE_MIN / T::Re::EPS;
    let sfmax1 = one / sfmin1;
    let sfmin2 = sfmin1 * radix;
    let sfmax2 = one / sfmin2;
    // Row and column i's middle parts, gathered for their norms.
    let mut part = Vec::with_capacity(hi - lo);
    let mut changed = true;
    while changed {
        changed = false;
        for i in lo..hi {
            part.clear();
            part.extend((lo..hi).map(|k| a[(k, i)]));
            let mut c = norm2(&part);
            part.clear();
            part.extend((lo..hi).map(|k| a[(i, k)]));
            let mut r = norm2(&part);
            let mut ca = max_abs(a.rb().submatrix(0, i, hi, 1));
            let mut ra = max_abs(a.rb().submatrix(i, lo, 1, n - lo));
            // A zero row or column (or one that underflowed) has nothing to balance; the
            // caller has already refused NaN.
            if c == T::Re::zero() || r == T::Re::zero() || (c + ca + r + ra).is_nan_value() {
                continue;
            }
            let s = c + r;
            let mut f = one;
            let mut g = r / radix;
            while c < g && max_of(&[f, c, ca]) < sfmax2 && min_of(&[r, g, ra]) > sfmin2 {
                f *= radix;
                c *= radix;
                ca *= radix;
                r /= radix;
                g /= radix;
                ra /= radix;
            }
            g = c / radix;
            while g >= r && max_of(&[r, ra]) < sfmax2 && min_of(&[f, c, g, ca]) > sfmin2 {
                f /= radix;
                c /= radix;
                g /= radix;
                ca /= radix;
                r *= radix;
                ra *= radix;
            }
            // Not worth it, or D would leave the safe range.
            if c + r >= factor * s
                || (f < one && scale[i] < one && f * scale[i] <= sfmin1)
                || (f > one && scale[i] > one && scale[i] >= sfmax1 / f)
            {
                continue;
            }
            scale[i] *= f;
            changed = true;
            let (f, g) = (T::from_real(f), T::from_real(one / f));
            for k in lo..n {
                a[(i, k)] *= g;
            }
            for k in 0..hi {
                a[(k, i)] *= f;
            }
        }
    }
}

impl<R: Real> Balanced<R> {
    /// One side's eigenvectors of the balanced matrix brought back to A's (reference
    /// ?GEBAK): right vectors v = P·D·v_b, left vectors u = P·D⁻¹·u_b.
    pub fn unbalance<T: Scalar<Re = R>>(&self, mut v: MatMut<'_, T>, left: bool) {
        for i in self.lo..self.hi {
            let d = if left {
                R::one() / self.scale[i]
            } else {
                self.scale[i]
            };
            let d = T::from_real(d);
            v.rb_mut().row_mut(i).iter_mut().for_each(|x| *x *= d);
        }
        let n = self.swaps.len();
        let order = (0..self.lo).rev().chain(self.hi..n);
        for i in order {
            let k = self.swaps[i];
            if k != i {
                for c in 0..v.ncols() {
                    let t = v[(i, c)];
                    v[(i, c)] = v[(k, c)];
                    v[(k, c)] = t;
                }
            }
        }
    }
}

fn max_of<R: Real>(v: &[R]) -> R {
    v.iter().fold(v[0], |m, &x| if x > m { x } else { m })
}

fn min_of<R: Real>(v: &[R]) -> R {
    v.iter().fold(v[0], |m, &x| if x < m { x } else { m })
}
