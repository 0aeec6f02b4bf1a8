//! The four element types as the BLAS tests see them ([`Elem`]: built from and
//! compared in c64, each calling its own CBLAS symbols), and the helpers every
//! operation's tests share.

use super::abi::*;
use super::{COL_MAJOR, CONJ_TRANS, NO_TRANS, Rng, TEAMS, THREADS, TeamCase};
use oxblas::scalar::{c32, c64};

pub const UPPER: i32 = 121;
pub const LOWER: i32 = 122;

/// An element type as the tests see it: built from and compared in c64.
pub trait Elem: Copy + PartialEq + std::fmt::Debug {
    const COMPLEX: bool;
    const EPS: f64;
    fn new(re: f64, im: f64) -> Self;
    fn wide(self) -> c64;
    fn bits(self) -> u128;
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm(
        l: i32,
        ta: i32,
        tb: i32,
        m: i32,
        n: i32,
        k: i32,
        al: Self,
        a: *const Self,
        lda: i32,
        b: *const Self,
        ldb: i32,
        be: Self,
        c: *mut Self,
        ldc: i32,
    );
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemv(
        l: i32,
        t: i32,
        m: i32,
        n: i32,
        al: Self,
        a: *const Self,
        lda: i32,
        x: *const Self,
        incx: i32,
        be: Self,
        y: *mut Self,
        incy: i32,
    );
    #[allow(clippy::too_many_arguments)]
    unsafe fn syrk(
        l: i32,
        u: i32,
        t: i32,
        n: i32,
        k: i32,
        al: Self,
        a: *const Self,
        lda: i32,
        be: Self,
        c: *mut Self,
        ldc: i32,
    );
}

macro_rules! real_elem {
    ($t:ty, $gemm:ident, $gemv:ident, $syrk:ident) => {
        impl Elem for $t {
            const COMPLEX: bool = false;
            const EPS: f64 = <$t>::EPSILON as f64;
            fn new(re: f64, _im: f64) -> Self {
                re as $t
            }
            fn wide(self) -> c64 {
                c64::new(self as f64, 0.0)
            }
            fn bits(self) -> u128 {
                self.to_bits() as u128
            }
            unsafe fn gemm(
                l: i32,
                ta: i32,
                tb: i32,
                m: i32,
                n: i32,
                k: i32,
                al: Self,
                a: *const Self,
                lda: i32,
                b: *const Self,
                ldb: i32,
                be: Self,
                c: *mut Self,
                ldc: i32,
            ) {
                unsafe { $gemm(l, ta, tb, m, n, k, al, a, lda, b, ldb, be, c, ldc) }
            }
            unsafe fn gemv(
                l: i32,
                t: i32,
                m: i32,
                n: i32,
                al: Self,
                a: *const Self,
                lda: i32,
                x: *const Self,
                incx: i32,
                be: Self,
                y: *mut Self,
                incy: i32,
            ) {
                unsafe { $gemv(l, t, m, n, al, a, lda, x, incx, be, y, incy) }
            }
            unsafe fn syrk(
                l: i32,
                u: i32,
                t: i32,
                n: i32,
                k: i32,
                al: Self,
                a: *const Self,
                lda: i32,
                be: Self,
                c: *mut Self,
                ldc: i32,
            ) {
                unsafe { $syrk(l, u, t, n, k, al, a, lda, be, c, ldc) }
            }
        }
    };
}

macro_rules! complex_elem {
    ($t:ty, $r:ty, $gemm:ident, $gemv:ident, $syrk:ident) => {
        impl Elem for $t {
            const COMPLEX: bool = true;
            const EPS: f64 = <$r>::EPSILON as f64;
            fn new(re: f64, im: f64) -> Self {
                <$t>::new(re as $r, im as $r)
            }
            fn wide(self) -> c64 {
                c64::new(self.re as f64, self.im as f64)
            }
            fn bits(self) -> u128 {
                ((self.re.to_bits() as u128) << 64) | self.im.to_bits() as u128
            }
            unsafe fn gemm(
                l: i32,
                ta: i32,
                tb: i32,
                m: i32,
                n: i32,
                k: i32,
                al: Self,
                a: *const Self,
                lda: i32,
                b: *const Self,
                ldb: i32,
                be: Self,
                c: *mut Self,
                ldc: i32,
            ) {
                let p = |x: &Self| x as *const Self;
                unsafe {
                    $gemm(
                        l,
                        ta,
                        tb,
                        m,
                        n,
                        k,
                        p(&al),
                        a.cast(),
                        lda,
                        b.cast(),
                        ldb,
                        p(&be),
                        c.cast(),
                        ldc,
                    )
                }
            }
            unsafe fn gemv(
                l: i32,
                t: i32,
                m: i32,
                n: i32,
                al: Self,
                a: *const Self,
                lda: i32,
                x: *const Self,
                incx: i32,
                be: Self,
                y: *mut Self,
                incy: i32,
            ) {
                let p = |x: &Self| x as *const Self;
                unsafe {
                    $gemv(
                        l,
                        t,
                        m,
                        n,
                        p(&al),
                        a.cast(),
                        lda,
                        x.cast(),
                        incx,
                        p(&be),
                        y.cast(),
                        incy,
                    )
                }
            }
            unsafe fn syrk(
                l: i32,
                u: i32,
                t: i32,
                n: i32,
                k: i32,
                al: Self,
                a: *const Self,
                lda: i32,
                be: Self,
                c: *mut Self,
                ldc: i32,
            ) {
                let p = |x: &Self| x as *const Self;
                unsafe { $syrk(l, u, t, n, k, p(&al), a.cast(), lda, p(&be), c.cast(), ldc) }
            }
        }
    };
}

real_elem!(f32, cblas_sgemm, cblas_sgemv, cblas_ssyrk);
real_elem!(f64, cblas_dgemm, cblas_dgemv, cblas_dsyrk);
complex_elem!(c32, f32, cblas_cgemm, cblas_cgemv, cblas_csyrk);
complex_elem!(c64, f64, cblas_zgemm, cblas_zgemv, cblas_zsyrk);

pub fn random<T: Elem>(rng: &mut Rng, len: usize) -> Vec<T> {
    (0..len)
        .map(|_| T::new(rng.f64() * 2.0 - 1.0, rng.f64() * 2.0 - 1.0))
        .collect()
}

/// Element (i, j) of op(X), X stored rows×cols in `layout` with leading dimension ld.
pub fn op_entry<T: Elem>(x: &[T], layout: i32, ld: usize, trans: i32, i: usize, j: usize) -> c64 {
    let (r, c) = if trans == NO_TRANS { (i, j) } else { (j, i) };
    let v = if layout == COL_MAJOR {
        x[r + c * ld]
    } else {
        x[r * ld + c]
    }
    .wide();
    if trans == CONJ_TRANS && T::COMPLEX {
        v.conj()
    } else {
        v
    }
}

pub fn index(layout: i32, ld: usize, i: usize, j: usize) -> usize {
    if layout == COL_MAJOR {
        i + j * ld
    } else {
        i * ld + j
    }
}

/// Checks `got` against `want` within a tolerance for `terms`-long sums of unit-sized
/// products in T's precision.
pub fn close<T: Elem>(got: T, want: c64, terms: usize, what: &str) {
    let tol = 4.0 * (terms as f64 + 2.0) * T::EPS * (1.0 + want.norm());
    assert!(
        (got.wide() - want).norm() <= tol,
        "{what}: {got:?} vs {want}"
    );
}

/// Runs `f` with 1, 2, 3 and 8 threads and requires the same bits each time.
pub fn same_bits_for_every_thread_count<T: Elem>(f: impl Fn() -> Vec<T>) {
    let _lock = THREADS.lock().unwrap_or_else(|e| e.into_inner());
    let mut first: Option<Vec<u128>> = None;
    for team in TEAMS {
        team.set();
        let bits: Vec<u128> = f().into_iter().map(T::bits).collect();
        match &first {
            None => first = Some(bits),
            Some(b) => assert!(b == &bits, "{team:?} changed the result"),
        }
    }
    TeamCase::reset();
}
