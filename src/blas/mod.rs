//! BLAS algorithms on safe views. Nothing here reads the environment or a global: the
//! parallelism is passed in.

pub mod gemm;

/// Whether an operand is used as stored or transposed (`op(X) = X` or `Xᵀ`).
/// For real matrices, conjugate-transpose is transpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trans {
    No,
    Yes,
}

impl Trans {
    /// Parses a Fortran `TRANS` character: N, T or C in either case.
    pub fn from_fortran(c: u8) -> Option<Trans> {
        match c.to_ascii_uppercase() {
            b'N' => Some(Trans::No),
            b'T' | b'C' => Some(Trans::Yes),
            _ => None,
        }
    }

    pub fn as_char(self) -> char {
        match self {
            Trans::No => 'N',
            Trans::Yes => 'T',
        }
    }
}
