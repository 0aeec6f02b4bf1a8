//! Routine names per element type (`SGEMM`, `cblas_zgemv`), formatted only when one is
//! needed — for an illegal argument or a caught panic — so the calls themselves never
//! allocate for them.

use crate::scalar::Scalar;
use std::ffi::CString;
use std::fmt;

#[derive(Clone, Copy, Debug)]
pub struct Name {
    letter: char,
    base: &'static str,
    cblas: bool,
}

impl Name {
    /// The Fortran name, as reference routines give it to `xerbla_`: `fortran::<f32>("GEMM")`
    /// is `SGEMM`.
    pub fn fortran<T: Scalar>(base: &'static str) -> Name {
        Name {
            letter: T::LETTER,
            base,
            cblas: false,
        }
    }

    /// The CBLAS name, as reference CBLAS gives it to `cblas_xerbla`: `cblas::<c64>("gemm")`
    /// is `cblas_zgemm`.
    pub fn cblas<T: Scalar>(base: &'static str) -> Name {
        Name {
            letter: T::LETTER.to_ascii_lowercase(),
            base,
            cblas: true,
        }
    }

    pub fn to_cstring(self) -> CString {
        CString::new(self.to_string()).expect("no NUL in a routine name")
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = if self.cblas { "cblas_" } else { "" };
        write!(f, "{prefix}{}{}", self.letter, self.base)
    }
}
