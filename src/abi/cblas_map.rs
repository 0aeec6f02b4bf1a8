//! How a CBLAS call's enums become the Fortran call it is (reference CBLAS's
//! wrappers): a row-major matrix is the column-major storage of its transpose, so the
//! triangle, the side and the transposition flip, and a conjugate transpose becomes a
//! plain conjugation. `None` is an illegal value, reported at the enum's position.
#![allow(non_upper_case_globals)]

use super::cblas_enums::*;
use std::ffi::c_int;

/// `Some(true)` for row-major, `Some(false)` for column-major.
pub fn row_major(layout: c_int) -> Option<bool> {
    match layout {
        CblasRowMajor => Some(true),
        CblasColMajor => Some(false),
        _ => None,
    }
}

/// The Fortran UPLO of the storage.
pub fn uplo(v: c_int, row: bool) -> Option<u8> {
    match (v, row) {
        (CblasUpper, false) | (CblasLower, true) => Some(b'U'),
        (CblasLower, false) | (CblasUpper, true) => Some(b'L'),
        _ => None,
    }
}

/// The Fortran SIDE of the storage.
pub fn side(v: c_int, row: bool) -> Option<u8> {
    match (v, row) {
        (CblasLeft, false) | (CblasRight, true) => Some(b'L'),
        (CblasRight, false) | (CblasLeft, true) => Some(b'R'),
        _ => None,
    }
}

/// The Fortran DIAG.
pub fn diag(v: c_int) -> Option<u8> {
    match v {
        CblasUnit => Some(b'U'),
        CblasNonUnit => Some(b'N'),
        _ => None,
    }
}

/// The Fortran TRANS of a matrix operand as stored, and whether its elements are to be
/// conjugated besides: row-major `A` is stored `Aᵀ` (so N↔T), and row-major `Aᴴ` is
/// the conjugate of the storage, untransposed. For real types C means T.
pub fn trans(v: c_int, row: bool, complex: bool) -> Option<(u8, bool)> {
    let t = match v {
        CblasNoTrans => b'N',
        CblasTrans => b'T',
        CblasConjTrans if complex => b'C',
        CblasConjTrans => b'T',
        _ => return None,
    };
    Some(match (t, row) {
        (t, false) => (t, false),
        (b'N', true) => (b'T', false),
        (b'T', true) => (b'N', false),
        _ => (b'N', true),
    })
}

/// The Fortran TRANS of a rank-k update's operand (`?syrk`, `?herk`, `?syr2k`, `?her2k`):
/// row-major swaps the plain and the transposed forms; `conj_name` is the transposed
/// form's letter (T for the symmetric updates, C for the Hermitian ones), and the only
/// one accepted besides N (for real types both T and C are).
pub fn update_trans(v: c_int, row: bool, complex: bool, conj_name: u8) -> Option<u8> {
    let transposed = match v {
        CblasNoTrans => false,
        CblasTrans if !complex || conj_name == b'T' => true,
        CblasConjTrans if !complex || conj_name == b'C' => true,
        _ => return None,
    };
    Some(if transposed != row { conj_name } else { b'N' })
}
