//! oxblas: a BLAS / CBLAS / LAPACK / MKL-VM-compatible library in Rust.
//!
//! Layers, top to bottom (`docs/ARCHITECTURE.md` has the picture and a whole call):
//! - [`abi`]: the only place with `extern "C"`, raw caller pointers and C integer
//!   widths. Each export checks its arguments in reference order (errors through
//!   `xerbla_`), maps them (row-major, characters), builds views and calls one
//!   algorithm entry, traced; `export_fns!` emits it under every symbol family and
//!   runs it under the panic guard.
//! - [`mat`]: the single door from `(pointer, rows, cols, ld)` to safe matrix views.
//! - [`blas`], [`lapack`], [`vml`]: algorithms on safe views, generic over the element
//!   types of [`scalar`]. Each entry owns its policy (path, threads, tunables as
//!   `Params::auto()`) and receives a [`blas::Par`]: the architecture table, the
//!   caller's thread budget and the pool's launcher.
//! - kernels ([`blas::gemm::kernels`], [`blas::gemv_kernels`], the vector-math SIMD
//!   in [`vml`], the band chase in [`lapack::band`]), chosen per instruction set by
//!   the tables of [`arch`].
//!
//! Beside them, [`runtime`]: the thread budget (from the environment or a setter), the
//! private fork-safe pool, and the `OXBLAS_VERBOSE` trace.
//!
//! One call, `cblas_dgemm`: `abi::blas` (export → `gemm_cblas` maps and checks →
//! `gemm_checked` builds views) → `blas::gemm::gemm` (small kernel, packed driver or
//! faer; threads) → `blas::gemm::driver::run` (packing and the five loops) →
//! `arch::AVX512`'s microkernel, `blas::gemm::kernels::avx512::kernel`.

pub mod abi;
pub mod arch;
pub mod blas;
pub mod lapack;
pub mod mat;
pub mod runtime;
pub mod scalar;
#[cfg(test)]
mod test_data;
pub mod vml;

#[doc(hidden)]
pub use paste as __paste;
