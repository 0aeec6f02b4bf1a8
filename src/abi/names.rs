//! Routine names per element type (`SGEMM`, `cblas_zgemv`, `dgetrf`), formatted only
//! when one is needed — for an illegal argument, a caught panic or a trace line — so the
//! calls themselves never allocate for them.

use crate::scalar::Scalar;
use std::ffi::CString;
use std::fmt;

#[derive(Clone, Copy, Debug)]
pub struct Name {
    letter: char,
    base: &'static str,
    prefix: &'static str,
}

impl Name {
    /// The Fortran name, as reference routines give it to `xerbla_`: `fortran::<f32>("GEMM")`
    /// is `SGEMM`.
    pub fn fortran<T: Scalar>(base: &'static str) -> Name {
        Name {
            letter: T::LETTER,
            base,
            prefix: "",
        }
    }

    /// The CBLAS name, as reference CBLAS gives it to `cblas_xerbla`: `cblas::<c64>("gemm")`
    /// is `cblas_zgemm`.
    pub fn cblas<T: Scalar>(base: &'static str) -> Name {
        Name {
            letter: T::LETTER.to_ascii_lowercase(),
            base,
            prefix: "cblas_",
        }
    }

    /// The name an `OXBLAS_VERBOSE` line gives: `trace::<f64>("getrf")` is `dgetrf`.
    pub fn trace<T: Scalar>(base: &'static str) -> Name {
        Name {
            letter: T::LETTER.to_ascii_lowercase(),
            base,
            prefix: "",
        }
    }

    pub fn to_cstring(self) -> CString {
        CString::new(self.to_string()).expect("no NUL in a routine name")
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // CBLAS and trace names are lower case, Fortran ones upper case, whichever
        // spelling the routine passed.
        let base = if self.letter.is_ascii_lowercase() {
            self.base.to_ascii_lowercase()
        } else {
            self.base.to_ascii_uppercase()
        };
        write!(f, "{}{}{}", self.prefix, self.letter, base)
    }
}
