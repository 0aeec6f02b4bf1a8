//! LAPACK algorithms on safe views: LU factorization and what is built on it.
//! Pivots are 0-based here; the ABI layer converts to 1-based `BlasInt`.

pub mod check;
pub mod getri;
pub mod lu;
pub mod trtri;

/// Block size the workspace queries report (reference `ilaenv` answers 64 for these).
pub const NB: usize = 64;
