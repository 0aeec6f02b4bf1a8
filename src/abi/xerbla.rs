//! Illegal-argument reporting, the way reference BLAS/LAPACK does it.
//!
//! Callers (the Netlib testers, R, NumPy) install their own `xerbla_` /
//! `cblas_xerbla`. A direct call to our own definition would not be interposable, so
//! the handler is looked up with `dlsym(RTLD_DEFAULT, …)`, which finds the
//! executable's or a preloaded library's definition before ours. The lookup is cached.

use super::BlasInt;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::OnceLock;

type CblasXerbla = unsafe extern "C" fn(c_int, *const c_char, *const c_char);

/// Cached handler addresses: Fortran LP64, Fortran ILP64, CBLAS.
static XERBLA: [OnceLock<usize>; 2] = [OnceLock::new(), OnceLock::new()];
static CBLAS_XERBLA: OnceLock<usize> = OnceLock::new();

fn resolve(cache: &OnceLock<usize>, name: &CStr) -> usize {
    // SAFETY: dlsym with a NUL-terminated name; a null result means "not found".
    *cache.get_or_init(|| unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) as usize })
}

/// Reports illegal argument number `position` of Fortran routine `routine` (e.g. "DGEMM").
pub fn fortran<I: BlasInt>(routine: &str, position: i64) {
    // Fortran CHARACTER*(*) SRNAME: blank padded to 6 like the reference callers.
    let mut name = [b' '; 16];
    let len = routine.len().min(name.len());
    name[..len].copy_from_slice(&routine.as_bytes()[..len]);
    let name_len = len.max(6);
    let cache = &XERBLA[usize::from(size_of::<I>() == 8)];
    let f = resolve(cache, I::XERBLA);
    if f != 0 {
        let info = I::from_i64(position);
        // SAFETY: the symbol has the reference signature
        // `xerbla(CHARACTER*(*) srname, INTEGER info)` for this family's integer width.
        let f: unsafe extern "C" fn(*const c_char, *const I, usize) =
            unsafe { std::mem::transmute(f as *const c_void) };
        unsafe { f(name.as_ptr().cast(), &info, name_len) };
        return;
    }
    print_fortran(&name[..name_len], position);
}

/// Reports illegal argument number `position` (CBLAS numbering) of `routine`
/// (e.g. "cblas_dgemm").
pub fn cblas(routine: &CStr, position: i64) {
    let f = resolve(&CBLAS_XERBLA, c"cblas_xerbla");
    if f != 0 {
        // SAFETY: reference signature `void cblas_xerbla(int, const char*, const char*, ...)`;
        // passing no variadic arguments with an empty format is valid for a variadic callee.
        let f: CblasXerbla = unsafe { std::mem::transmute(f as *const c_void) };
        unsafe { f(position as c_int, routine.as_ptr(), c"".as_ptr()) };
    } else {
        print_cblas(routine, position);
    }
}

/// Where an illegal argument is reported: Fortran (`xerbla_` of the family's width,
/// the Fortran position) or CBLAS (`cblas_xerbla`, the Fortran position plus one, as
/// reference CBLAS numbers the arguments after its layout).
#[derive(Clone, Copy)]
pub enum Report {
    Fortran { int64: bool },
    Cblas,
}

impl Report {
    /// The Fortran report of the family whose integer is `I`.
    pub fn fortran<I: BlasInt>() -> Report {
        Report::Fortran {
            int64: size_of::<I>() == 8,
        }
    }

    /// Reports illegal argument `position` of the routine `base` (`"SYMV"`) of type T.
    pub fn error<T: crate::scalar::Scalar>(self, base: &'static str, position: i64) {
        use super::names::Name;
        match self {
            Report::Fortran { int64: false } => {
                fortran::<i32>(&Name::fortran::<T>(base).to_string(), position)
            }
            Report::Fortran { int64: true } => {
                fortran::<i64>(&Name::fortran::<T>(base).to_string(), position)
            }
            Report::Cblas => cblas(&Name::cblas::<T>(base).to_cstring(), position + 1),
        }
    }

    /// A CBLAS call's layout (`Some(true)`: row-major), or its report at position 1.
    pub fn layout<T: crate::scalar::Scalar>(base: &'static str, order: c_int) -> Option<bool> {
        let row = super::cblas_map::row_major(order);
        if row.is_none() {
            Report::bad_enum::<T>(base, 1);
        }
        row
    }

    /// Reports an illegal CBLAS enum at its own position.
    pub fn bad_enum<T: crate::scalar::Scalar>(base: &'static str, position: i64) {
        cblas(&super::names::Name::cblas::<T>(base).to_cstring(), position);
    }
}

fn print_fortran(name: &[u8], position: i64) {
    let name = String::from_utf8_lossy(name);
    eprintln!(
        " ** On entry to {} parameter number {:2} had an illegal value",
        name.trim_end(),
        position
    );
}

fn print_cblas(routine: &CStr, position: i64) {
    eprintln!(
        "Parameter {} to routine {} was incorrect",
        position,
        routine.to_string_lossy()
    );
}

/// Reads a Fortran/CBLAS routine name passed to an error handler, up to `len` bytes or NUL.
///
/// # Safety
/// `name` must be null or point at `len` readable bytes (or a NUL before them).
unsafe fn read_name(name: *const c_char, len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    if name.is_null() {
        return out;
    }
    for i in 0..len.min(64) {
        // SAFETY: caller guarantees `len` readable bytes, and we stop at NUL.
        let b = unsafe { *name.add(i) } as u8;
        if b == 0 {
            break;
        }
        out.push(b);
    }
    out
}

export_fns! {
    /// Default handler for illegal arguments: prints the reference message and returns
    /// (never exits). Define your own `xerbla_` to override it.
    #[export(fortran = xerbla)]
    fn xerbla(srname: *const c_char, info: *const Int, srname_len: usize) {
        // SAFETY: reference calling convention: a CHARACTER*(*) with its hidden length.
        let name = unsafe { read_name(srname, srname_len) };
        let position = if info.is_null() { 0 } else { (unsafe { *info }).to_i64() };
        print_fortran(&name, position);
    }

    /// Default CBLAS handler for illegal arguments: prints the reference message and
    /// returns (never exits). Extra variadic arguments of the reference signature are
    /// accepted and ignored.
    #[export(lp64 = [cblas_xerbla], ilp64 = [])]
    fn cblas_xerbla(info: i32, rout: *const c_char, form: *const c_char) {
        let _ = form;
        let name = unsafe { read_name(rout, 64) };
        eprintln!(
            "Parameter {} to routine {} was incorrect",
            info,
            String::from_utf8_lossy(&name)
        );
    }
}
