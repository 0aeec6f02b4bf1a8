//! The products [`super::gemm`] leaves to faer (below the driver's crossing, and types
//! a table has no kernel for): faer's runtime-dispatched kernels, one column block of C
//! per team member. Members split C's columns, never the k-reduction, so every element's
//! sum is the same whatever the thread count.

use super::{GemmParams, Operands, scale};
use crate::blas::{Par, Ran};
use crate::mat::ColumnShare;
use crate::scalar::Scalar;
use faer::linalg::matmul::matmul_with_conj;
use faer::{Accum, Conj};

/// Columns of C a member takes at least (so each keeps a full register tile busy).
const MIN_COLUMNS: usize = 32;

/// `C := alpha·op(A)·op(B) + beta·C` (A, B already transposed as the call needs;
/// `conj_*` conjugates them too) for m, n, k > 0 and alpha ≠ 0; beta = 0 never reads C.
pub fn gemm<T: Scalar>(params: &GemmParams, par: Par<'_>, ops: Operands<'_, T>) -> Ran {
    let (m, n, k) = ops.shape();
    let (a, b, alpha, beta, mut c) = (ops.a, ops.b, ops.alpha, ops.beta, ops.c);
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
    let (ca, cb) = (conj(ops.conj_a), conj(ops.conj_b));
    let members = if m.saturating_mul(n).saturating_mul(k) < params.serial_mnk {
        1
    } else {
        par.threads.min(n / MIN_COLUMNS).max(1)
    };
    let ran = Ran {
        threads: members,
        path: "faer",
    };
    if members == 1 {
        matmul_with_conj(c, accum, a, ca, b, cb, alpha, faer::Par::Seq);
        return ran;
    }
    let share = ColumnShare::new(c);
    let ranges: Vec<_> = (0..members)
        .map(|p| crate::runtime::share(n, 1, p, members))
        .collect();
    par.run_parts(ranges, |cols| {
        // SAFETY: each member gets its own range of columns.
        let c = unsafe { share.columns(cols.clone()) };
        let b = b.subcols(cols.start, cols.len());
        matmul_with_conj(c, accum, a, ca, b, cb, alpha, faer::Par::Seq);
    });
    ran
}
