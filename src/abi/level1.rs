//! BLAS level 1 exports beyond ?AXPY/?DOT/?COPY, for S, D, C, Z, in the Fortran and
//! CBLAS interfaces: ?SWAP, ?SCAL (and CSSCAL/ZDSCAL), the rotations (?ROT, CSROT,
//! ZDROT, ?ROTM, ?ROTG, ?ROTMG), ?NRM2, ?ASUM, I?AMAX, the complex Fortran dot
//! functions, the mixed-precision dots, ?CABS1; the `…sub_` subroutine forms reference
//! CBLAS's own wrappers call; and the auxiliaries `lsame_` and `xerbla_array_`.
//!
//! Quick returns are the reference's: n ≤ 0 does nothing (a function returns 0), and
//! ?SCAL, ?ASUM and I?AMAX also return for an increment ≤ 0.

use super::BlasInt;
use crate::blas::{level1, rotation};
use crate::mat::{vector, vector_mut};
use crate::scalar::{Real, Scalar, c32, c64};
use std::ffi::c_char;

fn len(n: i64) -> usize {
    n.max(0) as usize
}

/// # Safety
/// Reference ?SWAP contract.
unsafe fn swap<T: Scalar>(n: i64, x: *mut T, incx: i64, y: *mut T, incy: i64) {
    let n = len(n);
    // SAFETY: n elements at each increment, the two vectors disjoint.
    unsafe {
        level1::swap(
            super::par(),
            vector_mut(x, n, incx as isize),
            vector_mut(y, n, incy as isize),
        )
    }
}

/// # Safety
/// Reference ?SCAL contract.
unsafe fn scal<T: Scalar>(n: i64, alpha: T, x: *mut T, incx: i64) {
    if n <= 0 || incx <= 0 || alpha.is_one() {
        return;
    }
    // SAFETY: n elements at the increment.
    unsafe { level1::scal(super::par(), alpha, vector_mut(x, len(n), incx as isize)) }
}

/// # Safety
/// Reference CSSCAL/ZDSCAL contract.
unsafe fn scal_real<T: Scalar>(n: i64, alpha: T::Re, x: *mut T, incx: i64) {
    if n <= 0 || incx <= 0 || alpha.is_one() {
        return;
    }
    // SAFETY: n elements at the increment.
    unsafe { level1::scal_real(super::par(), alpha, vector_mut(x, len(n), incx as isize)) }
}

/// # Safety
/// Reference ?ROT contract.
unsafe fn rot<T: Scalar>(n: i64, x: *mut T, incx: i64, y: *mut T, incy: i64, c: T::Re, s: T::Re) {
    let n = len(n);
    // SAFETY: n elements at each increment, the two vectors disjoint.
    unsafe {
        rotation::rot(
            super::par(),
            vector_mut(x, n, incx as isize),
            vector_mut(y, n, incy as isize),
            c,
            s,
        )
    }
}

/// # Safety
/// Reference ?ROTM contract: `param` holds five elements.
unsafe fn rotm<R: Real>(n: i64, x: *mut R, incx: i64, y: *mut R, incy: i64, param: *const R) {
    let n = len(n);
    if n == 0 {
        return;
    }
    // SAFETY: as documented.
    unsafe {
        let p = [
            *param,
            *param.add(1),
            *param.add(2),
            *param.add(3),
            *param.add(4),
        ];
        rotation::rotm(
            vector_mut(x, n, incx as isize),
            vector_mut(y, n, incy as isize),
            p,
        )
    }
}

/// # Safety
/// Reference ?ROTG contract.
unsafe fn rotg_real<R: Real>(a: *mut R, b: *mut R, c: *mut R, s: *mut R) {
    // SAFETY: four valid scalars.
    unsafe {
        let (r, z, cv, sv) = rotation::rotg_real(*a, *b);
        (*a, *b, *c, *s) = (r, z, cv, sv);
    }
}

/// # Safety
/// Reference CROTG/ZROTG contract.
unsafe fn rotg_complex<T: Scalar>(a: *mut T, b: *const T, c: *mut T::Re, s: *mut T) {
    // SAFETY: four valid scalars.
    unsafe {
        let (r, cv, sv) = rotation::rotg_complex(*a, *b);
        (*a, *c, *s) = (r, cv, sv);
    }
}

/// # Safety
/// Reference ?ROTMG contract: `param` holds five elements.
unsafe fn rotmg<R: Real>(d1: *mut R, d2: *mut R, x1: *mut R, y1: R, param: *mut R) {
    // SAFETY: valid scalars and a five-element param.
    unsafe {
        let (p, written) = rotation::rotmg(&mut *d1, &mut *d2, &mut *x1, y1);
        for i in 0..5 {
            if written[i] {
                *param.add(i) = p[i];
            }
        }
    }
}

/// # Safety
/// Reference ?NRM2 contract (any increment, 0 included, as 3.10 onwards).
unsafe fn nrm2<T: Scalar>(n: i64, x: *const T, incx: i64) -> T::Re {
    if n <= 0 {
        return <T::Re as Scalar>::zero();
    }
    // SAFETY: n elements at the increment.
    unsafe { level1::nrm2(super::par(), vector(x, len(n), incx as isize)) }
}

/// # Safety
/// Reference ?ASUM contract.
unsafe fn asum<T: Scalar>(n: i64, x: *const T, incx: i64) -> T::Re {
    if n <= 0 || incx <= 0 {
        return <T::Re as Scalar>::zero();
    }
    // SAFETY: n elements at the increment.
    unsafe { level1::asum(super::par(), vector(x, len(n), incx as isize)) }
}

/// The 1-based index (0: none).
///
/// # Safety
/// Reference I?AMAX contract.
unsafe fn iamax<T: Scalar>(n: i64, x: *const T, incx: i64) -> usize {
    if n <= 0 || incx <= 0 {
        return 0;
    }
    // SAFETY: n elements at the increment.
    unsafe { level1::iamax(super::par(), vector(x, len(n), incx as isize)) }
}

/// # Safety
/// Reference ?DOTU/?DOTC contract.
unsafe fn dot<T: Scalar>(conj: bool, n: i64, x: *const T, incx: i64, y: *const T, incy: i64) -> T {
    let n = len(n);
    // SAFETY: n elements at each increment.
    unsafe {
        level1::dot(
            super::par(),
            conj,
            vector(x, n, incx as isize),
            vector(y, n, incy as isize),
        )
    }
}

/// # Safety
/// Reference DSDOT contract.
unsafe fn dsdot(n: i64, x: *const f32, incx: i64, y: *const f32, incy: i64) -> f64 {
    let n = len(n);
    // SAFETY: n elements at each increment.
    unsafe { level1::dot_in_double(vector(x, n, incx as isize), vector(y, n, incy as isize)) }
}

/// Fortran LSAME: the two characters equal regardless of case.
///
/// # Safety
/// Two valid characters.
unsafe fn lsame(a: *const c_char, b: *const c_char) -> bool {
    // SAFETY: as documented.
    unsafe { (*a as u8).eq_ignore_ascii_case(&(*b as u8)) }
}

export_fns! {
    /// x <-> y (reference ?SWAP).
    #[export(fortran = sswap, scalar = f32)]
    #[export(fortran = dswap, scalar = f64)]
    #[export(fortran = cswap, scalar = c32)]
    #[export(fortran = zswap, scalar = c64)]
    fn swap(n: *const Int, x: *mut T, incx: *const Int, y: *mut T, incy: *const Int) {
        unsafe { swap((*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64()) }
    }

    /// x := alpha*x (reference ?SCAL).
    #[export(fortran = sscal, scalar = f32)]
    #[export(fortran = dscal, scalar = f64)]
    #[export(fortran = cscal, scalar = c32)]
    #[export(fortran = zscal, scalar = c64)]
    fn scal(n: *const Int, alpha: *const T, x: *mut T, incx: *const Int) {
        unsafe { scal((*n).to_i64(), *alpha, x, (*incx).to_i64()) }
    }

    /// x := alpha*x, alpha real, x complex (reference CSSCAL, ZDSCAL).
    #[export(fortran = csscal, scalar = c32)]
    #[export(fortran = zdscal, scalar = c64)]
    fn scal_real(n: *const Int, alpha: *const R, x: *mut T, incx: *const Int) {
        unsafe { scal_real::<T>((*n).to_i64(), *alpha, x, (*incx).to_i64()) }
    }

    /// Applies a plane rotation (reference ?ROT, CSROT, ZDROT).
    #[export(fortran = srot, scalar = f32)]
    #[export(fortran = drot, scalar = f64)]
    #[export(fortran = csrot, scalar = c32)]
    #[export(fortran = zdrot, scalar = c64)]
    fn rot(n: *const Int, x: *mut T, incx: *const Int, y: *mut T, incy: *const Int, c: *const R, s: *const R) {
        unsafe { rot::<T>((*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64(), *c, *s) }
    }

    /// Applies a modified plane rotation (reference ?ROTM).
    #[export(fortran = srotm, scalar = f32)]
    #[export(fortran = drotm, scalar = f64)]
    fn rotm(n: *const Int, x: *mut T, incx: *const Int, y: *mut T, incy: *const Int, param: *const T) {
        unsafe { rotm((*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64(), param) }
    }

    /// Constructs a plane rotation (reference ?ROTG).
    #[export(fortran = srotg, scalar = f32)]
    #[export(fortran = drotg, scalar = f64)]
    fn rotg(a: *mut T, b: *mut T, c: *mut T, s: *mut T) {
        unsafe { rotg_real(a, b, c, s) }
    }

    /// Constructs a complex plane rotation (reference CROTG, ZROTG).
    #[export(fortran = crotg, scalar = c32)]
    #[export(fortran = zrotg, scalar = c64)]
    fn rotg_complex(a: *mut T, b: *const T, c: *mut R, s: *mut T) {
        unsafe { rotg_complex(a, b, c, s) }
    }

    /// Constructs a modified plane rotation (reference ?ROTMG).
    #[export(fortran = srotmg, scalar = f32)]
    #[export(fortran = drotmg, scalar = f64)]
    fn rotmg(d1: *mut T, d2: *mut T, x1: *mut T, y1: *const T, param: *mut T) {
        unsafe { rotmg(d1, d2, x1, *y1, param) }
    }

    /// The Euclidean norm (reference ?NRM2, SCNRM2, DZNRM2).
    #[export(fortran = snrm2, scalar = f32)]
    #[export(fortran = dnrm2, scalar = f64)]
    #[export(fortran = scnrm2, scalar = c32)]
    #[export(fortran = dznrm2, scalar = c64)]
    fn nrm2(n: *const Int, x: *const T, incx: *const Int) -> R {
        unsafe { nrm2((*n).to_i64(), x, (*incx).to_i64()) }
    }

    /// Sum of |re| + |im| (reference ?ASUM, SCASUM, DZASUM).
    #[export(fortran = sasum, scalar = f32)]
    #[export(fortran = dasum, scalar = f64)]
    #[export(fortran = scasum, scalar = c32)]
    #[export(fortran = dzasum, scalar = c64)]
    fn asum(n: *const Int, x: *const T, incx: *const Int) -> R {
        unsafe { asum((*n).to_i64(), x, (*incx).to_i64()) }
    }

    /// 1-based index of the first largest |re| + |im| (reference I?AMAX).
    #[export(fortran = isamax, scalar = f32)]
    #[export(fortran = idamax, scalar = f64)]
    #[export(fortran = icamax, scalar = c32)]
    #[export(fortran = izamax, scalar = c64)]
    fn iamax(n: *const Int, x: *const T, incx: *const Int) -> Int {
        unsafe { Int::from_i64(iamax((*n).to_i64(), x, (*incx).to_i64()) as i64) }
    }

    /// x**T*y (reference ?DOTU), returned as gfortran returns COMPLEX.
    #[export(fortran = cdotu, scalar = c32)]
    #[export(fortran = zdotu, scalar = c64)]
    fn dotu(n: *const Int, x: *const T, incx: *const Int, y: *const T, incy: *const Int) -> T {
        unsafe { dot(false, (*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64()) }
    }

    /// x**H*y (reference ?DOTC), returned as gfortran returns COMPLEX.
    #[export(fortran = cdotc, scalar = c32)]
    #[export(fortran = zdotc, scalar = c64)]
    fn dotc(n: *const Int, x: *const T, incx: *const Int, y: *const T, incy: *const Int) -> T {
        unsafe { dot(true, (*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64()) }
    }

    /// sb + x**T*y accumulated in double (reference SDSDOT).
    #[export(fortran = sdsdot)]
    fn sdsdot(n: *const Int, sb: *const f32, x: *const f32, incx: *const Int, y: *const f32, incy: *const Int) -> f32 {
        unsafe { (*sb as f64 + dsdot((*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64())) as f32 }
    }

    /// x**T*y of single vectors accumulated and returned in double (reference DSDOT).
    #[export(fortran = dsdot)]
    fn dsdot(n: *const Int, x: *const f32, incx: *const Int, y: *const f32, incy: *const Int) -> f64 {
        unsafe { dsdot((*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64()) }
    }

    /// |re z| + |im z| (reference SCABS1, DCABS1).
    #[export(fortran = scabs1, scalar = c32)]
    #[export(fortran = dcabs1, scalar = c64)]
    fn cabs1(z: *const T) -> R {
        unsafe { (*z).abs1() }
    }

    /// Whether two characters are equal ignoring case (reference LSAME).
    #[export(fortran = lsame)]
    fn lsame(ca: *const c_char, cb: *const c_char) -> Int {
        unsafe { Int::from_i64(lsame(ca, cb) as i64) }
    }

    /// Reports an illegal argument for a routine named by a character array, through
    /// the caller's `xerbla_` (reference XERBLA_ARRAY).
    #[export(fortran = xerbla_array)]
    fn xerbla_array(name: *const c_char, name_len: *const Int, info: *const Int) {
        unsafe {
            let len = (*name_len).to_i64().clamp(0, 32) as usize;
            let bytes: Vec<u8> = (0..len).map(|i| *name.add(i) as u8).collect();
            let name = String::from_utf8_lossy(&bytes);
            super::xerbla::fortran::<Int>(name.trim_end(), (*info).to_i64())
        }
    }
}

// The subroutine forms of the functions (`ddotsub_`, …), which reference CBLAS's own
// wrappers call and Debian's libblas.so.3 exports.
export_fns! {
    /// *dot := x**T*y (reference CBLAS's ?DOTSUB).
    #[export(fortran = sdotsub, scalar = f32)]
    #[export(fortran = ddotsub, scalar = f64)]
    #[export(fortran = cdotusub, scalar = c32)]
    #[export(fortran = zdotusub, scalar = c64)]
    fn dotsub(n: *const Int, x: *const T, incx: *const Int, y: *const T, incy: *const Int, dot_out: *mut T) {
        unsafe { *dot_out = dot(false, (*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64()) }
    }

    /// *dot := x**H*y (reference CBLAS's ?DOTCSUB).
    #[export(fortran = cdotcsub, scalar = c32)]
    #[export(fortran = zdotcsub, scalar = c64)]
    fn dotcsub(n: *const Int, x: *const T, incx: *const Int, y: *const T, incy: *const Int, dot_out: *mut T) {
        unsafe { *dot_out = dot(true, (*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64()) }
    }

    /// *out := sb + x**T*y in double (reference CBLAS's SDSDOTSUB).
    #[export(fortran = sdsdotsub)]
    fn sdsdotsub(n: *const Int, sb: *const f32, x: *const f32, incx: *const Int, y: *const f32, incy: *const Int, out: *mut f32) {
        unsafe { *out = (*sb as f64 + dsdot((*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64())) as f32 }
    }

    /// *out := x**T*y in double (reference CBLAS's DSDOTSUB).
    #[export(fortran = dsdotsub)]
    fn dsdotsub(n: *const Int, x: *const f32, incx: *const Int, y: *const f32, incy: *const Int, out: *mut f64) {
        unsafe { *out = dsdot((*n).to_i64(), x, (*incx).to_i64(), y, (*incy).to_i64()) }
    }

    /// *out := the Euclidean norm (reference CBLAS's ?NRM2SUB).
    #[export(fortran = snrm2sub, scalar = f32)]
    #[export(fortran = dnrm2sub, scalar = f64)]
    #[export(fortran = scnrm2sub, scalar = c32)]
    #[export(fortran = dznrm2sub, scalar = c64)]
    fn nrm2sub(n: *const Int, x: *const T, incx: *const Int, out: *mut R) {
        unsafe { *out = nrm2((*n).to_i64(), x, (*incx).to_i64()) }
    }

    /// *out := sum of |re| + |im| (reference CBLAS's ?ASUMSUB).
    #[export(fortran = sasumsub, scalar = f32)]
    #[export(fortran = dasumsub, scalar = f64)]
    #[export(fortran = scasumsub, scalar = c32)]
    #[export(fortran = dzasumsub, scalar = c64)]
    fn asumsub(n: *const Int, x: *const T, incx: *const Int, out: *mut R) {
        unsafe { *out = asum((*n).to_i64(), x, (*incx).to_i64()) }
    }

    /// *out := the 1-based index of the first largest |re| + |im| (reference CBLAS's
    /// I?AMAXSUB).
    #[export(fortran = isamaxsub, scalar = f32)]
    #[export(fortran = idamaxsub, scalar = f64)]
    #[export(fortran = icamaxsub, scalar = c32)]
    #[export(fortran = izamaxsub, scalar = c64)]
    fn iamaxsub(n: *const Int, x: *const T, incx: *const Int, out: *mut Int) {
        unsafe { *out = Int::from_i64(iamax((*n).to_i64(), x, (*incx).to_i64()) as i64) }
    }

    /// *out := |re z| + |im z| (reference CBLAS's ?CABS1SUB).
    #[export(fortran = scabs1sub, scalar = c32)]
    #[export(fortran = dcabs1sub, scalar = c64)]
    fn cabs1sub(z: *const T, out: *mut R) {
        unsafe { *out = (*z).abs1() }
    }
}

export_fns! {
    /// x <-> y (reference CBLAS cblas_?swap).
    #[export(cblas = sswap, scalar = f32)]
    #[export(cblas = dswap, scalar = f64)]
    #[export(cblas = cswap, scalar = c32)]
    #[export(cblas = zswap, scalar = c64)]
    fn cblas_swap(n: Int, x: *mut T, incx: Int, y: *mut T, incy: Int) {
        unsafe { swap(n.to_i64(), x, incx.to_i64(), y, incy.to_i64()) }
    }

    /// x := alpha*x (reference CBLAS cblas_?scal).
    #[export(cblas = sscal, scalar = f32)]
    #[export(cblas = dscal, scalar = f64)]
    fn cblas_scal_real(n: Int, alpha: T, x: *mut T, incx: Int) {
        unsafe { scal(n.to_i64(), alpha, x, incx.to_i64()) }
    }

    /// x := alpha*x (reference CBLAS cblas_?scal, complex: alpha by pointer).
    #[export(cblas = cscal, scalar = c32)]
    #[export(cblas = zscal, scalar = c64)]
    fn cblas_scal_complex(n: Int, alpha: *const T, x: *mut T, incx: Int) {
        unsafe { scal(n.to_i64(), *alpha, x, incx.to_i64()) }
    }

    /// x := alpha*x, alpha real (reference CBLAS cblas_csscal, cblas_zdscal).
    #[export(cblas = csscal, scalar = c32)]
    #[export(cblas = zdscal, scalar = c64)]
    fn cblas_scal_by_real(n: Int, alpha: R, x: *mut T, incx: Int) {
        unsafe { scal_real::<T>(n.to_i64(), alpha, x, incx.to_i64()) }
    }

    /// Applies a plane rotation (reference CBLAS cblas_?rot, cblas_csrot, cblas_zdrot).
    #[export(cblas = srot, scalar = f32)]
    #[export(cblas = drot, scalar = f64)]
    #[export(cblas = csrot, scalar = c32)]
    #[export(cblas = zdrot, scalar = c64)]
    fn cblas_rot(n: Int, x: *mut T, incx: Int, y: *mut T, incy: Int, c: R, s: R) {
        unsafe { rot::<T>(n.to_i64(), x, incx.to_i64(), y, incy.to_i64(), c, s) }
    }

    /// Applies a modified plane rotation (reference CBLAS cblas_?rotm).
    #[export(cblas = srotm, scalar = f32)]
    #[export(cblas = drotm, scalar = f64)]
    fn cblas_rotm(n: Int, x: *mut T, incx: Int, y: *mut T, incy: Int, param: *const T) {
        unsafe { rotm(n.to_i64(), x, incx.to_i64(), y, incy.to_i64(), param) }
    }

    /// Constructs a plane rotation (reference CBLAS cblas_?rotg).
    #[export(cblas = srotg, scalar = f32)]
    #[export(cblas = drotg, scalar = f64)]
    fn cblas_rotg(a: *mut T, b: *mut T, c: *mut T, s: *mut T) {
        unsafe { rotg_real(a, b, c, s) }
    }

    /// Constructs a complex plane rotation (reference CBLAS cblas_crotg, cblas_zrotg).
    #[export(cblas = crotg, scalar = c32)]
    #[export(cblas = zrotg, scalar = c64)]
    fn cblas_rotg_complex(a: *mut T, b: *const T, c: *mut R, s: *mut T) {
        unsafe { rotg_complex(a, b, c, s) }
    }

    /// Constructs a modified plane rotation (reference CBLAS cblas_?rotmg).
    #[export(cblas = srotmg, scalar = f32)]
    #[export(cblas = drotmg, scalar = f64)]
    fn cblas_rotmg(d1: *mut T, d2: *mut T, b1: *mut T, b2: T, param: *mut T) {
        unsafe { rotmg(d1, d2, b1, b2, param) }
    }

    /// The Euclidean norm (reference CBLAS cblas_?nrm2).
    #[export(cblas = snrm2, scalar = f32)]
    #[export(cblas = dnrm2, scalar = f64)]
    #[export(cblas = scnrm2, scalar = c32)]
    #[export(cblas = dznrm2, scalar = c64)]
    fn cblas_nrm2(n: Int, x: *const T, incx: Int) -> R {
        unsafe { nrm2(n.to_i64(), x, incx.to_i64()) }
    }

    /// Sum of |re| + |im| (reference CBLAS cblas_?asum).
    #[export(cblas = sasum, scalar = f32)]
    #[export(cblas = dasum, scalar = f64)]
    #[export(cblas = scasum, scalar = c32)]
    #[export(cblas = dzasum, scalar = c64)]
    fn cblas_asum(n: Int, x: *const T, incx: Int) -> R {
        unsafe { asum(n.to_i64(), x, incx.to_i64()) }
    }

    /// 0-based index of the first largest |re| + |im| (reference CBLAS cblas_i?amax; 0
    /// for an empty vector).
    #[export(cblas = isamax, scalar = f32)]
    #[export(cblas = idamax, scalar = f64)]
    #[export(cblas = icamax, scalar = c32)]
    #[export(cblas = izamax, scalar = c64)]
    fn cblas_iamax(n: Int, x: *const T, incx: Int) -> usize {
        unsafe { iamax(n.to_i64(), x, incx.to_i64()).saturating_sub(1) }
    }

    /// alpha + x**T*y accumulated in double (reference CBLAS cblas_sdsdot).
    #[export(cblas = sdsdot)]
    fn cblas_sdsdot(n: Int, alpha: f32, x: *const f32, incx: Int, y: *const f32, incy: Int) -> f32 {
        unsafe { (alpha as f64 + dsdot(n.to_i64(), x, incx.to_i64(), y, incy.to_i64())) as f32 }
    }

    /// x**T*y of single vectors in double (reference CBLAS cblas_dsdot).
    #[export(cblas = dsdot)]
    fn cblas_dsdot(n: Int, x: *const f32, incx: Int, y: *const f32, incy: Int) -> f64 {
        unsafe { dsdot(n.to_i64(), x, incx.to_i64(), y, incy.to_i64()) }
    }

    /// |re z| + |im z| (reference CBLAS cblas_scabs1, cblas_dcabs1).
    #[export(cblas = scabs1, scalar = c32)]
    #[export(cblas = dcabs1, scalar = c64)]
    fn cblas_cabs1(z: *const T) -> R {
        unsafe { (*z).abs1() }
    }
}
