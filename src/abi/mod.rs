//! The C ABI. Everything `extern "C"` lives below this module and nowhere else.
//!
//! Each routine is written once, generic over the integer width ([`BlasInt`]), and
//! exported under every symbol family by [`export_fns!`](crate::export_fns).

#[macro_use]
mod export;
pub mod blas;
pub mod cblas_enums;
pub mod control;
pub mod eigen;
pub mod factor;
pub mod lapack;
pub mod least_squares;
pub mod names;
pub mod types;
pub mod vector_blas;
pub mod vml;
pub mod xerbla;

pub use types::{BlasInt, guard};

/// The process-wide microkernel path (`OXBLAS_KERNEL` may force one the CPU has).
#[inline]
pub(crate) fn isa() -> &'static crate::blas::gemm::kernels::Isa {
    crate::blas::gemm::kernels::active(crate::runtime::config::forced_kernel)
}

/// The parallelism a call runs with: the active microkernel path, `threads` from the
/// caller's budget, and the runtime's pool.
pub(crate) fn par(threads: usize) -> crate::blas::Par<'static> {
    use crate::runtime;
    crate::blas::Par {
        isa: *isa(),
        threads,
        launch: &runtime::launch,
    }
}
