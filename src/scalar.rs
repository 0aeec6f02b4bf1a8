//! The four element types of BLAS and LAPACK (S, D, C, Z) behind one trait, so that
//! every routine is written once and instantiated per type.
//!
//! Complex numbers are `num_complex::Complex` (faer's `c32`/`c64`): `#[repr(C)]`
//! `{re, im}`, the layout of Fortran `COMPLEX` and C `float _Complex`.

use std::fmt::Debug;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

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
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + faer::traits::ComplexField
{
    /// The real type of the same precision (`f32` for S and C, `f64` for D and Z):
    /// singular values, eigenvalues of Hermitian matrices, norms.
    type Re: Real;
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

    fn from_real(r: Self::Re) -> Self;
    /// re + i·im (the imaginary part is dropped for real types).
    fn from_parts(re: Self::Re, im: Self::Re) -> Self;
    fn re(self) -> Self::Re;
    fn im(self) -> Self::Re;
    /// |re| + |im|: reference LAPACK's cheap magnitude (`icamax`, pivoting).
    fn abs1(self) -> Self::Re {
        self.re().magnitude() + self.im().magnitude()
    }
    /// The modulus, without overflow for large parts.
    fn modulus(self) -> Self::Re {
        self.re().hypot(self.im())
    }
    /// `self / d` without overflow or underflow in intermediate squares (Smith's
    /// algorithm for complex numbers, as reference `zladiv` guards against); plain
    /// division for real types.
    fn divide(self, d: Self) -> Self {
        self / d
    }
    fn is_nan(self) -> bool {
        self.re().is_nan_value() || self.im().is_nan_value()
    }

    fn is_zero(self) -> bool {
        self == Self::zero()
    }
    fn is_one(self) -> bool {
        self == Self::one()
    }
}

/// f32 or f64: what LAPACK's real arguments and results are.
pub trait Real: Scalar<Re = Self> + PartialOrd + Lane {
    /// Machine epsilon as LAPACK's `dlamch('E')`: half the gap above 1 (rounding mode).
    const EPS: Self;
    /// The smallest number whose reciprocal does not overflow (`dlamch('S')`).
    const SAFE_MIN: Self;
    /// Half the largest finite number: a sum of squares below it did not overflow.
    const MAX_HALF: Self;
    fn magnitude(self) -> Self;
    /// `self > 0`: false for NaN, so `!x.is_positive()` also catches a NaN.
    fn is_positive(self) -> bool {
        self > Self::zero()
    }
    fn hypot(self, other: Self) -> Self;
    fn sqrt_value(self) -> Self;
    fn is_nan_value(self) -> bool;
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
    /// The next representable number up (workspace sizes round up, never down).
    fn next_up_value(self) -> Self;
    /// This precision's entry of `table` (e.g. an architecture table's gemm paths).
    fn of<P: PerPrecision>(table: &P) -> &P::Of<Self>;
}

/// The arithmetic a microkernel's lane type needs: f64 (dgemm and zgemm) or f32
/// (sgemm and cgemm).
pub trait Lane:
    Copy
    + Send
    + Sync
    + PartialEq
    + Debug
    + 'static
    + Neg<Output = Self>
    + Add<Output = Self>
    + Sub<Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    fn times(self, other: Self) -> Self;
    /// `self·a + b`, fused.
    fn fma(self, a: Self, b: Self) -> Self;
}

/// Something with one entry per precision, typed by it: code generic over the element
/// type picks its own with [`Real::of`], without this module knowing what the entries
/// are.
pub trait PerPrecision {
    type Of<R: 'static>;
    fn single(&self) -> &Self::Of<f32>;
    fn double(&self) -> &Self::Of<f64>;
}

/// `beta·x`, the BLAS way: beta = 0 gives 0 without looking at x (NaN or Inf in an
/// output the caller asked to overwrite must not survive).
#[inline(always)]
pub fn beta_times<T: Scalar>(beta: T, x: T) -> T {
    if beta.is_zero() { T::zero() } else { beta * x }
}

/// A slice of elements as the real values they are made of: itself for real types,
/// (re, im) pairs for complex ones.
pub fn as_real_parts<T: Scalar>(s: &[T]) -> &[T::Re] {
    let per = size_of::<T>() / size_of::<T::Re>();
    debug_assert!(per == 1 || per == 2);
    // SAFETY: T is T::Re itself or `#[repr(C)] {re, im}` of it (num_complex), so its
    // storage is `per` consecutive T::Re with T::Re's alignment.
    unsafe { std::slice::from_raw_parts(s.as_ptr().cast(), s.len() * per) }
}

/// `s` itself when T is f64, for the f64-only kernels a generic routine reaches (the
/// tables' vector kernels); `None` for the other types.
pub fn as_f64<T: Scalar>(s: &[T]) -> Option<&[f64]> {
    // SAFETY: T is f64, so this is the same slice.
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<f64>())
        .then(|| unsafe { std::slice::from_raw_parts(s.as_ptr().cast(), s.len()) })
}

/// [`as_f64`] for a mutable slice.
pub fn as_f64_mut<T: Scalar>(s: &mut [T]) -> Option<&mut [f64]> {
    // SAFETY: T is f64, so this is the same slice, still borrowed once.
    (std::any::TypeId::of::<T>() == std::any::TypeId::of::<f64>())
        .then(|| unsafe { std::slice::from_raw_parts_mut(s.as_mut_ptr().cast(), s.len()) })
}

macro_rules! real_scalar {
    ($t:ty, $letter:literal, $precision:ident) => {
        impl Scalar for $t {
            type Re = $t;
            const LETTER: char = $letter;
            const COMPLEX: bool = false;
            #[inline(always)]
            fn from_real(r: $t) -> Self {
                r
            }
            #[inline(always)]
            fn from_parts(re: $t, _im: $t) -> Self {
                re
            }
            #[inline(always)]
            fn re(self) -> $t {
                self
            }
            #[inline(always)]
            fn im(self) -> $t {
                0.0
            }
            #[inline(always)]
            fn abs1(self) -> $t {
                self.abs()
            }
            #[inline(always)]
            fn modulus(self) -> $t {
                self.abs()
            }
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
        }

        impl Lane for $t {
            const ZERO: $t = 0.0;
            const ONE: $t = 1.0;
            #[inline(always)]
            fn times(self, other: $t) -> $t {
                self * other
            }
            #[inline(always)]
            fn fma(self, a: $t, b: $t) -> $t {
                <$t>::mul_add(self, a, b)
            }
        }

        impl Real for $t {
            const EPS: $t = <$t>::EPSILON / 2.0;
            const SAFE_MIN: $t = <$t>::MIN_POSITIVE;
            const MAX_HALF: $t = <$t>::MAX / 2.0;
            #[inline(always)]
            fn magnitude(self) -> $t {
                self.abs()
            }
            #[inline(always)]
            fn hypot(self, other: $t) -> $t {
                <$t>::hypot(self, other)
            }
            #[inline(always)]
            fn sqrt_value(self) -> $t {
                self.sqrt()
            }
            #[inline(always)]
            fn is_nan_value(self) -> bool {
                self.is_nan()
            }
            #[inline(always)]
            fn from_f64(x: f64) -> $t {
                x as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn next_up_value(self) -> $t {
                self.next_up()
            }
            #[inline(always)]
            fn of<P: PerPrecision>(table: &P) -> &P::Of<$t> {
                table.$precision()
            }
        }
    };
}

macro_rules! complex_scalar {
    ($t:ty, $real:ty, $letter:literal) => {
        impl Scalar for $t {
            type Re = $real;
            const LETTER: char = $letter;
            const COMPLEX: bool = true;
            #[inline(always)]
            fn from_real(r: $real) -> Self {
                <$t>::new(r, 0.0)
            }
            #[inline(always)]
            fn from_parts(re: $real, im: $real) -> Self {
                <$t>::new(re, im)
            }
            #[inline(always)]
            fn re(self) -> $real {
                self.re
            }
            #[inline(always)]
            fn im(self) -> $real {
                self.im
            }
            #[inline]
            fn divide(self, d: Self) -> Self {
                let (a, b, c, e) = (self.re, self.im, d.re, d.im);
                if c.abs() >= e.abs() {
                    let r = e / c;
                    let den = c + e * r;
                    <$t>::new((a + b * r) / den, (b - a * r) / den)
                } else {
                    let r = c / e;
                    let den = c * r + e;
                    <$t>::new((a * r + b) / den, (b * r - a) / den)
                }
            }
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

real_scalar!(f32, 'S', single);
real_scalar!(f64, 'D', double);
complex_scalar!(c32, f32, 'C');
complex_scalar!(c64, f64, 'Z');
