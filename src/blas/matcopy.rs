//! Scaled matrix copy and transposition (?OMATCOPY, ?IMATCOPY, the OpenBLAS and MKL
//! extension): `B := alpha·op(A)`, op(A) = A, Aᵀ, Aᴴ or conj(A).

use crate::scalar::Scalar;
use faer::{MatMut, MatRef};

/// Edge of the square tiles a transposing copy walks, so both matrices' lines stay in
/// cache while a tile is done.
const TILE: usize = 32;

/// `B := alpha·op(A)`: `trans` transposes (B is A's cols × rows), `conj` conjugates.
pub fn omatcopy<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    trans: bool,
    conj: bool,
    mut b: MatMut<'_, T>,
) {
    let op = |v: T| alpha * if conj { v.conjugate() } else { v };
    let (m, n) = (b.nrows(), b.ncols());
    if !trans {
        for j in 0..n {
            for i in 0..m {
                b[(i, j)] = op(a[(i, j)]);
            }
        }
        return;
    }
    for j0 in (0..n).step_by(TILE) {
        for i0 in (0..m).step_by(TILE) {
            for j in j0..(j0 + TILE).min(n) {
                for i in i0..(i0 + TILE).min(m) {
                    b[(i, j)] = op(a[(j, i)]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::c64;
    use crate::test_data::matrix;
    use faer::Mat;

    #[test]
    fn every_op_against_the_definition() {
        let a = matrix::<c64>(37, 70, 3);
        let alpha = c64::new(0.5, -2.0);
        for trans in [false, true] {
            for conj in [false, true] {
                let (m, n) = if trans { (70, 37) } else { (37, 70) };
                let mut b = Mat::<c64>::zeros(m, n);
                omatcopy(alpha, a.as_ref(), trans, conj, b.as_mut());
                for i in 0..m {
                    for j in 0..n {
                        let v = if trans { a[(j, i)] } else { a[(i, j)] };
                        let v = if conj { v.conj() } else { v };
                        assert_eq!(b[(i, j)], alpha * v);
                    }
                }
            }
        }
    }
}
