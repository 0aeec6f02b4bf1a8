//! LAPACK algorithms on safe views: LU, Cholesky and QR factorizations and what is
//! built on them, eigendecompositions, the singular value decomposition and least
//! squares.
//! Pivots are 0-based here; the ABI layer converts to 1-based `BlasInt`.

pub mod balance;
pub mod band;
pub mod bdsdc;
pub mod bdsqr;
pub mod bidiag;
pub mod check;
pub mod cholesky;
pub mod eigen;
pub mod gebrd;
pub mod gelsd;
pub mod gesdd;
pub mod getri;
pub mod householder;
pub mod lu;
pub mod qr;
pub mod scale;
pub mod secular;
pub mod sterf;
pub mod sym_band;
pub mod sytrd;
pub mod tridiag;
pub mod trtri;
