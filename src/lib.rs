//! oxblas: a BLAS / CBLAS / LAPACK-compatible library in Rust.
//!
//! Layers, top to bottom:
//! - [`abi`]: the only place with `extern "C"`, raw caller pointers and C integer widths.
//!   It parses and validates arguments in reference order, reports errors through
//!   `xerbla_`, picks a thread count and dispatches.
//! - [`mat`]: the single door from `(pointer, rows, cols, ld)` to safe matrix views.
//! - [`blas`]: algorithms on safe views (gemm driver).
//! - [`runtime`]: configuration, the private thread pool, verbose call tracing.

pub mod abi;
pub mod arch;
pub mod blas;
pub mod lapack;
pub mod mat;
pub mod runtime;
pub mod scalar;
pub mod vml;
