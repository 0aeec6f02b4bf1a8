//! The C ABI. Everything `extern "C"` lives below this module and nowhere else.
//!
//! Each routine is written once, generic over the integer width ([`BlasInt`]), and
//! exported under every symbol family by [`export_fns!`](crate::export_fns).

#[macro_use]
mod export;
pub mod blas;
pub mod cblas_enums;
pub mod control;
pub mod lapack;
pub mod types;
pub mod xerbla;

pub use types::{BlasInt, guard};

/// The parallelism a call runs with: the active microkernel path, `threads` from the
/// caller's budget, and the runtime's pool.
pub(crate) fn par(threads: usize) -> crate::blas::Par<'static> {
    use crate::runtime;
    crate::blas::Par {
        isa: crate::blas::gemm::kernels::active(runtime::config::forced_kernel),
        threads,
        launch: &runtime::launch,
    }
}
