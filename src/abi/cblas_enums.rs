//! The reference CBLAS `enum` values, as integer constants: the C ABI passes them as
//! `int`, and callers (the Netlib testers included) pass invalid values on purpose, so
//! they are never converted to Rust enums.
#![allow(non_upper_case_globals)]

use std::ffi::c_int;

/// Layout.
pub const CblasRowMajor: c_int = 101;
/// Layout.
pub const CblasColMajor: c_int = 102;
/// Transpose.
pub const CblasNoTrans: c_int = 111;
/// Transpose.
pub const CblasTrans: c_int = 112;
/// Transpose.
pub const CblasConjTrans: c_int = 113;
/// Triangle.
pub const CblasUpper: c_int = 121;
/// Triangle.
pub const CblasLower: c_int = 122;
/// Diagonal.
pub const CblasNonUnit: c_int = 131;
/// Diagonal.
pub const CblasUnit: c_int = 132;
/// Side.
pub const CblasLeft: c_int = 141;
/// Side.
pub const CblasRight: c_int = 142;
