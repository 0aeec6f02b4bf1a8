//! The f32/c32/c64 products [`super::typed`] leaves to faer (tiny ones, odd layouts of
//! C, and f32 on instruction sets without an f32 kernel here): faer's
//! runtime-dispatched kernels, one column block of C per
//! team member. Members split C's columns, never the k-reduction, so every element's
//! sum is the same whatever the thread count.

use super::{SERIAL_MNK, scale};
use crate::blas::Par;
use crate::mat::ColumnShare;
use crate::scalar::Scalar;
use faer::linalg::matmul::matmul_with_conj;
use faer::{Accum, Conj, MatMut, MatRef};

/// Columns of C a member takes at least (so each keeps a full register tile busy).
const MIN_COLUMNS: usize = 32;

/// `C := alpha·op(A)·op(B) + beta·C` (A, B already transposed as the call needs;
/// `conj_*` conjugates them too). alpha = 0 or k = 0 scales C alone, never reading
/// A or B; beta = 0 never reads C.
#[allow(clippy::too_many_arguments)]
pub fn gemm<T: Scalar>(
    par: Par<'_>,
    alpha: T,
    a: MatRef<'_, T>,
    conj_a: bool,
    b: MatRef<'_, T>,
    conj_b: bool,
    beta: T,
    mut c: MatMut<'_, T>,
) {
    let (m, n, k) = super::conformable(a, b, &c);
    if m == 0 || n == 0 {
        return;
    }
    if alpha.is_zero() || k == 0 {
        scale(c, beta);
        return;
    }
    // beta other than 0 and 1: scale first, then accumulate.
    let accum = if beta.is_zero() {
        Accum::Replace
    } else {
        if !beta.is_one() {
            scale(c.as_mut(), beta);
        }
        Accum::Add
    };
    let conj = |c: bool| if c { Conj::Yes } else { Conj::No };
    let (ca, cb) = (conj(conj_a), conj(conj_b));
    let members = if m.saturating_mul(n).saturating_mul(k) < SERIAL_MNK {
        1
    } else {
        par.threads.min(n / MIN_COLUMNS).max(1)
    };
    if members == 1 {
        matmul_with_conj(c, accum, a, ca, b, cb, alpha, faer::Par::Seq);
        return;
    }
    let share = ColumnShare::new(c);
    let ranges: Vec<_> = (0..members)
        .map(|p| n * p / members..n * (p + 1) / members)
        .collect();
    par.run_parts(ranges, |cols| {
        // SAFETY: each member gets its own range of columns.
        let c = unsafe { share.columns(cols.clone()) };
        let b = b.subcols(cols.start, cols.len());
        matmul_with_conj(c, accum, a, ca, b, cb, alpha, faer::Par::Seq);
    });
}
