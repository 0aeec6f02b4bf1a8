//! LAPACK algorithms on safe views: LU factorization and what is built on it, and the
//! singular value decomposition.
//! Pivots are 0-based here; the ABI layer converts to 1-based `BlasInt`.

pub mod band;
pub mod bdsdc;
pub mod bdsqr;
pub mod bidiag;
pub mod check;
pub mod gesdd;
pub mod getri;
pub mod householder;
pub mod lu;
pub mod scale;
pub mod secular;
pub mod trtri;

/// Block width of the inverse's column sweep: the optimal workspace is n·NB. Wider than
/// reference LAPACK's 64 because each block step streams all of A through the product,
/// so fewer, wider steps move less memory.
pub const NB: usize = 256;
