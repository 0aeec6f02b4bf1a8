//! The integer widths of the symbol families, and the panic guard every export runs in.

use std::ffi::CStr;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The Fortran/CBLAS integer of one symbol family: `i32` for LP64, `i64` for ILP64.
pub trait BlasInt: Copy + Send + Sync + 'static {
    /// The name of the Fortran error handler callers of this width override.
    const XERBLA: &'static CStr;
    fn to_i64(self) -> i64;
    fn from_i64(v: i64) -> Self;
}

impl BlasInt for i32 {
    const XERBLA: &'static CStr = c"xerbla_";
    #[inline]
    fn to_i64(self) -> i64 {
        self as i64
    }
    #[inline]
    fn from_i64(v: i64) -> Self {
        v as i32
    }
}

impl BlasInt for i64 {
    const XERBLA: &'static CStr = c"xerbla_64_";
    #[inline]
    fn to_i64(self) -> i64 {
        self
    }
    #[inline]
    fn from_i64(v: i64) -> Self {
        v
    }
}

/// A Fortran CHARACTER argument.
///
/// # Safety
/// `c` points at a valid character (the Fortran convention).
pub unsafe fn ch(c: *const std::ffi::c_char) -> u8 {
    // SAFETY: as documented.
    unsafe { *c as u8 }
}

/// A Fortran INTEGER argument, widened.
///
/// # Safety
/// `v` points at a valid integer (the Fortran convention).
pub unsafe fn int<I: BlasInt>(v: *const I) -> i64 {
    // SAFETY: as documented.
    unsafe { (*v).to_i64() }
}

/// What an export returns when its body panicked: nothing, NaN for a floating-point
/// result (a dot product that could not be computed must not look like one), 0 for
/// an integer, null for a pointer.
pub trait OnPanic {
    fn on_panic() -> Self;
}

impl OnPanic for () {
    fn on_panic() {}
}

macro_rules! on_panic {
    ($($t:ty => $v:expr),* $(,)?) => {$(
        impl OnPanic for $t {
            fn on_panic() -> $t {
                $v
            }
        }
    )*};
}

on_panic!(
    f32 => f32::NAN,
    f64 => f64::NAN,
    crate::scalar::c32 => crate::scalar::c32::new(f32::NAN, f32::NAN),
    crate::scalar::c64 => crate::scalar::c64::new(f64::NAN, f64::NAN),
    i32 => 0,
    i64 => 0,
    u32 => 0,
    usize => 0,
    *const std::ffi::c_char => std::ptr::null(),
);

/// Runs an export's body so that no panic crosses `extern "C"` (that would abort the
/// host process). A panic is reported on stderr and `on_panic` is returned instead.
/// [`export_fns!`](crate::export_fns) wraps every export in it.
#[inline(always)]
pub fn guard<R>(routine: &str, on_panic: R, body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            eprintln!("oxblas: internal error in {routine}: {msg}; the call did nothing");
            on_panic
        }
    }
}
