//! The four element types of BLAS and LAPACK (S, D, C, Z) behind one trait, so that
//! every routine is written once and instantiated per type.
//!
//! Complex numbers are `num_complex::Complex` (faer's `c32`/`c64`): `#[repr(C)]`
//! `{re, im}`, the layout of Fortran `COMPLEX` and C `float _Complex`.

use crate::blas::{Par, gemm};
use faer::{MatMut, MatRef};
use std::fmt::Debug;
use std::ops::{Add, AddAssign, Mul, Neg, Sub};

pub use faer::{c32, c64};

/// An element type of the BLAS.
pub trait Scalar:
    Copy
    + Send
    + Sync
    + 'static
    + PartialEq
    + Debug
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + faer::traits::ComplexField
{
    /// The routine-name letter (`S`, `D`, `C`, `Z`).
    const LETTER: char;
    /// Whether conjugation means anything (for real types `C` is `T`).
    const COMPLEX: bool;

    /// This type's entry of an S, D, C, Z table (e.g. of routine names).
    fn pick<V: Copy>(table: [V; 4]) -> V {
        table[match Self::LETTER {
            'S' => 0,
            'D' => 1,
            'C' => 2,
            _ => 3,
        }]
    }

    fn zero() -> Self;
    fn one() -> Self;
    /// The complex conjugate (the value itself for real types).
    fn conjugate(self) -> Self;

    fn is_zero(self) -> bool {
        self == Self::zero()
    }
    fn is_one(self) -> bool {
        self == Self::one()
    }

    /// `C := alpha·op(A)·op(B) + beta·C` on views (A and B already carry their
    /// transposition; `conj_*` conjugates the operand as well, and means nothing for
    /// real types). alpha = 0 or k = 0 never reads A or B; beta = 0 never reads C.
    ///
    /// f64 runs on oxblas's own driver; the other types on [`gemm::any`].
    #[allow(clippy::too_many_arguments)]
    fn gemm(
        par: Par<'_>,
        alpha: Self,
        a: MatRef<'_, Self>,
        conj_a: bool,
        b: MatRef<'_, Self>,
        conj_b: bool,
        beta: Self,
        c: MatMut<'_, Self>,
    ) {
        gemm::any::gemm(par, alpha, a, conj_a, b, conj_b, beta, c)
    }
}

/// `beta·x`, the BLAS way: beta = 0 gives 0 without looking at x (NaN or Inf in an
/// output the caller asked to overwrite must not survive).
#[inline(always)]
pub fn beta_times<T: Scalar>(beta: T, x: T) -> T {
    if beta.is_zero() { T::zero() } else { beta * x }
}

macro_rules! real_scalar {
    ($t:ty, $letter:literal $(, $gemm:item)?) => {
        impl Scalar for $t {
            const LETTER: char = $letter;
            const COMPLEX: bool = false;
            #[inline(always)]
            fn zero() -> Self {
                0.0
            }
            #[inline(always)]
            fn one() -> Self {
                1.0
            }
            #[inline(always)]
            fn conjugate(self) -> Self {
                self
            }
            $($gemm)?
        }
    };
}

macro_rules! complex_scalar {
    ($t:ty, $letter:literal) => {
        impl Scalar for $t {
            const LETTER: char = $letter;
            const COMPLEX: bool = true;
            #[inline(always)]
            fn zero() -> Self {
                <$t>::new(0.0, 0.0)
            }
            #[inline(always)]
            fn one() -> Self {
                <$t>::new(1.0, 0.0)
            }
            #[inline(always)]
            fn conjugate(self) -> Self {
                self.conj()
            }
        }
    };
}

real_scalar!(f32, 'S');
real_scalar!(
    f64,
    'D',
    fn gemm(
        par: Par<'_>,
        alpha: f64,
        a: MatRef<'_, f64>,
        _conj_a: bool,
        b: MatRef<'_, f64>,
        _conj_b: bool,
        beta: f64,
        c: MatMut<'_, f64>,
    ) {
        gemm::gemm(par, alpha, a, b, beta, c)
    }
);
complex_scalar!(c32, 'C');
complex_scalar!(c64, 'Z');
