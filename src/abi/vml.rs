//! The MKL VM C interface: `vdExp(n, a, y)`, the mode variants `vmdExp(n, a, y, mode)`,
//! the strided `vdExpI(n, a, inca, y, incy)` / `vmdExpI(…, mode)`, each with a `_64`
//! twin taking 64-bit `n` and increments (MKL's ILP64 names), and the service
//! functions `vmlSetMode`, `vmlGetMode`, `vmlGetErrStatus`, `vmlSetErrStatus`,
//! `vmlClearErrStatus`.
//!
//! Every accuracy mode runs the same ≤ 1 ulp implementation (VML_LA allows 4 ulp and
//! VML_EP about half the bits; HA satisfies both). The mode and the error status are
//! per thread, as in MKL. n ≤ 0 does nothing (n < 0 sets VML_STATUS_BADSIZE); a null
//! pointer or an increment below 1 with n > 0 is reported on stderr and sets
//! VML_STATUS_BADMEM / VML_STATUS_BADSIZE, and nothing is read or written.

use super::BlasInt;
use crate::vml::{self, Func, Strided};
use std::cell::Cell;

// The MKL VM constants, same values as MKL's mkl_vml_defines.h (the header carries them).
pub const VML_LA: u32 = 0x1;
pub const VML_HA: u32 = 0x2;
pub const VML_EP: u32 = 0x3;
pub const VML_ERRMODE_IGNORE: u32 = 0x100;
pub const VML_ERRMODE_ERRNO: u32 = 0x200;
pub const VML_ERRMODE_STDERR: u32 = 0x400;
pub const VML_ERRMODE_EXCEPT: u32 = 0x800;
pub const VML_ERRMODE_CALLBACK: u32 = 0x1000;
pub const VML_ERRMODE_DEFAULT: u32 = VML_ERRMODE_ERRNO | VML_ERRMODE_CALLBACK | VML_ERRMODE_EXCEPT;
/// MKL's default: high accuracy with the default error handling.
const VML_DEFAULT_MODE: u32 = VML_HA | VML_ERRMODE_DEFAULT;
pub const VML_STATUS_OK: i32 = 0;
pub const VML_STATUS_BADSIZE: i32 = -1;
pub const VML_STATUS_BADMEM: i32 = -2;

thread_local! {
    static MODE: Cell<u32> = const { Cell::new(VML_DEFAULT_MODE) };
    static STATUS: Cell<i32> = const { Cell::new(VML_STATUS_OK) };
}

fn set_status(status: i32) {
    STATUS.with(|s| s.set(status));
}

/// One VM call, any form: validate, then map the function over the elements on the
/// process's vector path and thread budget.
///
/// # Safety
/// The MKL VM contract: `a` readable and `y` writable for n elements at their
/// increments (`y` may be `a` with the same increment).
unsafe fn vm<I: BlasInt>(func: Func, n: I, a: *const f64, inca: I, y: *mut f64, incy: I) {
    let (n, inca, incy) = (n.to_i64(), inca.to_i64(), incy.to_i64());
    let name = || format!("vd{}", func.name());
    if n <= 0 {
        set_status(if n < 0 {
            VML_STATUS_BADSIZE
        } else {
            VML_STATUS_OK
        });
        return;
    }
    if a.is_null() || y.is_null() {
        eprintln!(
            "oxblas: {}: null array with n = {n}; nothing computed",
            name()
        );
        return set_status(VML_STATUS_BADMEM);
    }
    if inca < 1 || incy < 1 {
        eprintln!(
            "oxblas: {}: increment {} below 1; nothing computed",
            name(),
            inca.min(incy)
        );
        return set_status(VML_STATUS_BADSIZE);
    }
    set_status(VML_STATUS_OK);
    let n = n as usize;
    let (a, y) = (
        Strided {
            ptr: a,
            inc: inca as usize,
        },
        Strided {
            ptr: y,
            inc: incy as usize,
        },
    );
    let describe = || format!("n={n},inca={inca},incy={incy}");
    super::traced_ran(func.name(), n as f64, describe, |par| {
        // SAFETY: the caller's contract.
        ((), unsafe { vml::run(par, func, n, a, y) })
    });
}

export_fns! {
    /// y[i] = e^a[i] for i < n (MKL `vdExp`).
    #[export(lp64 = [vdExp], ilp64 = [vdExp_64])]
    fn vdExp(n: Int, a: *const f64, y: *mut f64) {
        unsafe { vm(Func::Exp, n, a, Int::from_i64(1), y, Int::from_i64(1)) }
    }

    /// `vdExp` with an explicit accuracy mode (MKL `vmdExp`).
    #[export(lp64 = [vmdExp], ilp64 = [vmdExp_64])]
    fn vmdExp(n: Int, a: *const f64, y: *mut f64, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Exp, n, a, Int::from_i64(1), y, Int::from_i64(1))
        }
    }

    /// y[i·incy] = e^a[i·inca] for i < n (MKL `vdExpI`).
    #[export(lp64 = [vdExpI], ilp64 = [vdExpI_64])]
    fn vdExpI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int) {
        unsafe { vm(Func::Exp, n, a, inca, y, incy) }
    }

    /// `vdExpI` with an explicit accuracy mode (MKL `vmdExpI`).
    #[export(lp64 = [vmdExpI], ilp64 = [vmdExpI_64])]
    fn vmdExpI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Exp, n, a, inca, y, incy)
        }
    }

    /// y[i] = ln a[i] for i < n (MKL `vdLn`).
    #[export(lp64 = [vdLn], ilp64 = [vdLn_64])]
    fn vdLn(n: Int, a: *const f64, y: *mut f64) {
        unsafe { vm(Func::Ln, n, a, Int::from_i64(1), y, Int::from_i64(1)) }
    }

    /// `vdLn` with an explicit accuracy mode (MKL `vmdLn`).
    #[export(lp64 = [vmdLn], ilp64 = [vmdLn_64])]
    fn vmdLn(n: Int, a: *const f64, y: *mut f64, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Ln, n, a, Int::from_i64(1), y, Int::from_i64(1))
        }
    }

    /// y[i·incy] = ln a[i·inca] for i < n (MKL `vdLnI`).
    #[export(lp64 = [vdLnI], ilp64 = [vdLnI_64])]
    fn vdLnI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int) {
        unsafe { vm(Func::Ln, n, a, inca, y, incy) }
    }

    /// `vdLnI` with an explicit accuracy mode (MKL `vmdLnI`).
    #[export(lp64 = [vmdLnI], ilp64 = [vmdLnI_64])]
    fn vmdLnI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Ln, n, a, inca, y, incy)
        }
    }

    /// y[i] = log10 a[i] for i < n (MKL `vdLog10`).
    #[export(lp64 = [vdLog10], ilp64 = [vdLog10_64])]
    fn vdLog10(n: Int, a: *const f64, y: *mut f64) {
        unsafe { vm(Func::Log10, n, a, Int::from_i64(1), y, Int::from_i64(1)) }
    }

    /// `vdLog10` with an explicit accuracy mode (MKL `vmdLog10`).
    #[export(lp64 = [vmdLog10], ilp64 = [vmdLog10_64])]
    fn vmdLog10(n: Int, a: *const f64, y: *mut f64, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Log10, n, a, Int::from_i64(1), y, Int::from_i64(1))
        }
    }

    /// y[i·incy] = log10 a[i·inca] for i < n (MKL `vdLog10I`).
    #[export(lp64 = [vdLog10I], ilp64 = [vdLog10I_64])]
    fn vdLog10I(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int) {
        unsafe { vm(Func::Log10, n, a, inca, y, incy) }
    }

    /// `vdLog10I` with an explicit accuracy mode (MKL `vmdLog10I`).
    #[export(lp64 = [vmdLog10I], ilp64 = [vmdLog10I_64])]
    fn vmdLog10I(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Log10, n, a, inca, y, incy)
        }
    }

    /// y[i] = √a[i] for i < n (MKL `vdSqrt`).
    #[export(lp64 = [vdSqrt], ilp64 = [vdSqrt_64])]
    fn vdSqrt(n: Int, a: *const f64, y: *mut f64) {
        unsafe { vm(Func::Sqrt, n, a, Int::from_i64(1), y, Int::from_i64(1)) }
    }

    /// `vdSqrt` with an explicit accuracy mode (MKL `vmdSqrt`).
    #[export(lp64 = [vmdSqrt], ilp64 = [vmdSqrt_64])]
    fn vmdSqrt(n: Int, a: *const f64, y: *mut f64, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Sqrt, n, a, Int::from_i64(1), y, Int::from_i64(1))
        }
    }

    /// y[i·incy] = √a[i·inca] for i < n (MKL `vdSqrtI`).
    #[export(lp64 = [vdSqrtI], ilp64 = [vdSqrtI_64])]
    fn vdSqrtI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int) {
        unsafe { vm(Func::Sqrt, n, a, inca, y, incy) }
    }

    /// `vdSqrtI` with an explicit accuracy mode (MKL `vmdSqrtI`).
    #[export(lp64 = [vmdSqrtI], ilp64 = [vmdSqrtI_64])]
    fn vmdSqrtI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Sqrt, n, a, inca, y, incy)
        }
    }

    /// y[i] = a²[i] for i < n (MKL `vdSqr`).
    #[export(lp64 = [vdSqr], ilp64 = [vdSqr_64])]
    fn vdSqr(n: Int, a: *const f64, y: *mut f64) {
        unsafe { vm(Func::Sqr, n, a, Int::from_i64(1), y, Int::from_i64(1)) }
    }

    /// `vdSqr` with an explicit accuracy mode (MKL `vmdSqr`).
    #[export(lp64 = [vmdSqr], ilp64 = [vmdSqr_64])]
    fn vmdSqr(n: Int, a: *const f64, y: *mut f64, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Sqr, n, a, Int::from_i64(1), y, Int::from_i64(1))
        }
    }

    /// y[i·incy] = a²[i·inca] for i < n (MKL `vdSqrI`).
    #[export(lp64 = [vdSqrI], ilp64 = [vdSqrI_64])]
    fn vdSqrI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int) {
        unsafe { vm(Func::Sqr, n, a, inca, y, incy) }
    }

    /// `vdSqrI` with an explicit accuracy mode (MKL `vmdSqrI`).
    #[export(lp64 = [vmdSqrI], ilp64 = [vmdSqrI_64])]
    fn vmdSqrI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Sqr, n, a, inca, y, incy)
        }
    }

    /// y[i] = e^a − 1[i] for i < n (MKL `vdExpm1`).
    #[export(lp64 = [vdExpm1], ilp64 = [vdExpm1_64])]
    fn vdExpm1(n: Int, a: *const f64, y: *mut f64) {
        unsafe { vm(Func::Expm1, n, a, Int::from_i64(1), y, Int::from_i64(1)) }
    }

    /// `vdExpm1` with an explicit accuracy mode (MKL `vmdExpm1`).
    #[export(lp64 = [vmdExpm1], ilp64 = [vmdExpm1_64])]
    fn vmdExpm1(n: Int, a: *const f64, y: *mut f64, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Expm1, n, a, Int::from_i64(1), y, Int::from_i64(1))
        }
    }

    /// y[i·incy] = e^a − 1[i·inca] for i < n (MKL `vdExpm1I`).
    #[export(lp64 = [vdExpm1I], ilp64 = [vdExpm1I_64])]
    fn vdExpm1I(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int) {
        unsafe { vm(Func::Expm1, n, a, inca, y, incy) }
    }

    /// `vdExpm1I` with an explicit accuracy mode (MKL `vmdExpm1I`).
    #[export(lp64 = [vmdExpm1I], ilp64 = [vmdExpm1I_64])]
    fn vmdExpm1I(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Expm1, n, a, inca, y, incy)
        }
    }

    /// y[i] = ln(1 + a)[i] for i < n (MKL `vdLog1p`).
    #[export(lp64 = [vdLog1p], ilp64 = [vdLog1p_64])]
    fn vdLog1p(n: Int, a: *const f64, y: *mut f64) {
        unsafe { vm(Func::Log1p, n, a, Int::from_i64(1), y, Int::from_i64(1)) }
    }

    /// `vdLog1p` with an explicit accuracy mode (MKL `vmdLog1p`).
    #[export(lp64 = [vmdLog1p], ilp64 = [vmdLog1p_64])]
    fn vmdLog1p(n: Int, a: *const f64, y: *mut f64, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Log1p, n, a, Int::from_i64(1), y, Int::from_i64(1))
        }
    }

    /// y[i·incy] = ln(1 + a)[i·inca] for i < n (MKL `vdLog1pI`).
    #[export(lp64 = [vdLog1pI], ilp64 = [vdLog1pI_64])]
    fn vdLog1pI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int) {
        unsafe { vm(Func::Log1p, n, a, inca, y, incy) }
    }

    /// `vdLog1pI` with an explicit accuracy mode (MKL `vmdLog1pI`).
    #[export(lp64 = [vmdLog1pI], ilp64 = [vmdLog1pI_64])]
    fn vmdLog1pI(n: Int, a: *const f64, inca: Int, y: *mut f64, incy: Int, mode: i64) {
        unsafe {
            let _ = mode; // every accuracy mode runs the ≤ 1 ulp code
            vm(Func::Log1p, n, a, inca, y, incy)
        }
    }

    /// Sets this thread's VM mode (accuracy, error handling); returns the previous one.
    #[export(lp64 = [vmlSetMode], ilp64 = [])]
    fn vmlSetMode(mode: u32) -> u32 {
        MODE.with(|m| m.replace(mode))
    }

    /// This thread's VM mode (MKL's default is VML_HA with the default error handling).
    #[export(lp64 = [vmlGetMode], ilp64 = [])]
    fn vmlGetMode() -> u32 {
        MODE.with(|m| m.get())
    }

    /// The status of this thread's last VM call (VML_STATUS_OK, _BADSIZE, _BADMEM).
    #[export(lp64 = [vmlGetErrStatus], ilp64 = [])]
    fn vmlGetErrStatus() -> i32 {
        STATUS.with(|s| s.get())
    }

    /// Sets this thread's VM status; returns the previous one.
    #[export(lp64 = [vmlSetErrStatus], ilp64 = [])]
    fn vmlSetErrStatus(status: i32) -> i32 {
        STATUS.with(|s| s.replace(status))
    }

    /// Resets this thread's VM status to VML_STATUS_OK; returns the previous one.
    #[export(lp64 = [vmlClearErrStatus], ilp64 = [])]
    fn vmlClearErrStatus() -> i32 {
        STATUS.with(|s| s.replace(VML_STATUS_OK))
    }
}
