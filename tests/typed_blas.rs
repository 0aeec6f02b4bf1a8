//! The S, D, C, Z BLAS routines NumPy links (?GEMM, ?GEMV, ?SYRK, ?AXPY, ?DOT, ?COPY)
//! against naive loops in double-precision complex arithmetic, through the exported
//! CBLAS symbols: every layout and transposition (conjugation included), padded leading
//! dimensions, beta = 0 over NaN, negative increments, and bitwise identical results
//! for every thread count.

mod common;
use common::{
    COL_MAJOR, CONJ_TRANS, NO_TRANS, ROW_MAJOR, Rng, THREADS, TRANS, oxblas_set_num_threads,
};
use oxblas::scalar::{c32, c64};
use std::ffi::c_void;

unsafe extern "C" {
    fn cblas_sgemm(
        l: i32,
        ta: i32,
        tb: i32,
        m: i32,
        n: i32,
        k: i32,
        al: f32,
        a: *const f32,
        lda: i32,
        b: *const f32,
        ldb: i32,
        be: f32,
        c: *mut f32,
        ldc: i32,
    );
    fn cblas_dgemm(
        l: i32,
        ta: i32,
        tb: i32,
        m: i32,
        n: i32,
        k: i32,
        al: f64,
        a: *const f64,
        lda: i32,
        b: *const f64,
        ldb: i32,
        be: f64,
        c: *mut f64,
        ldc: i32,
    );
    fn cblas_cgemm(
        l: i32,
        ta: i32,
        tb: i32,
        m: i32,
        n: i32,
        k: i32,
        al: *const c_void,
        a: *const c_void,
        lda: i32,
        b: *const c_void,
        ldb: i32,
        be: *const c_void,
        c: *mut c_void,
        ldc: i32,
    );
    fn cblas_zgemm(
        l: i32,
        ta: i32,
        tb: i32,
        m: i32,
        n: i32,
        k: i32,
        al: *const c_void,
        a: *const c_void,
        lda: i32,
        b: *const c_void,
        ldb: i32,
        be: *const c_void,
        c: *mut c_void,
        ldc: i32,
    );
    fn cblas_sgemv(
        l: i32,
        t: i32,
        m: i32,
        n: i32,
        al: f32,
        a: *const f32,
        lda: i32,
        x: *const f32,
        incx: i32,
        be: f32,
        y: *mut f32,
        incy: i32,
    );
    fn cblas_dgemv(
        l: i32,
        t: i32,
        m: i32,
        n: i32,
        al: f64,
        a: *const f64,
        lda: i32,
        x: *const f64,
        incx: i32,
        be: f64,
        y: *mut f64,
        incy: i32,
    );
    fn cblas_cgemv(
        l: i32,
        t: i32,
        m: i32,
        n: i32,
        al: *const c_void,
        a: *const c_void,
        lda: i32,
        x: *const c_void,
        incx: i32,
        be: *const c_void,
        y: *mut c_void,
        incy: i32,
    );
    fn cblas_zgemv(
        l: i32,
        t: i32,
        m: i32,
        n: i32,
        al: *const c_void,
        a: *const c_void,
        lda: i32,
        x: *const c_void,
        incx: i32,
        be: *const c_void,
        y: *mut c_void,
        incy: i32,
    );
    fn cblas_ssyrk(
        l: i32,
        u: i32,
        t: i32,
        n: i32,
        k: i32,
        al: f32,
        a: *const f32,
        lda: i32,
        be: f32,
        c: *mut f32,
        ldc: i32,
    );
    fn cblas_dsyrk(
        l: i32,
        u: i32,
        t: i32,
        n: i32,
        k: i32,
        al: f64,
        a: *const f64,
        lda: i32,
        be: f64,
        c: *mut f64,
        ldc: i32,
    );
    fn cblas_csyrk(
        l: i32,
        u: i32,
        t: i32,
        n: i32,
        k: i32,
        al: *const c_void,
        a: *const c_void,
        lda: i32,
        be: *const c_void,
        c: *mut c_void,
        ldc: i32,
    );
    fn cblas_zsyrk(
        l: i32,
        u: i32,
        t: i32,
        n: i32,
        k: i32,
        al: *const c_void,
        a: *const c_void,
        lda: i32,
        be: *const c_void,
        c: *mut c_void,
        ldc: i32,
    );
    fn cblas_saxpy(n: i32, al: f32, x: *const f32, incx: i32, y: *mut f32, incy: i32);
    fn cblas_zaxpy(
        n: i32,
        al: *const c_void,
        x: *const c_void,
        incx: i32,
        y: *mut c_void,
        incy: i32,
    );
    fn cblas_sdot(n: i32, x: *const f32, incx: i32, y: *const f32, incy: i32) -> f32;
    fn cblas_cdotu_sub(
        n: i32,
        x: *const c_void,
        incx: i32,
        y: *const c_void,
        incy: i32,
        r: *mut c_void,
    );
    fn cblas_zdotc_sub(
        n: i32,
        x: *const c_void,
        incx: i32,
        y: *const c_void,
        incy: i32,
        r: *mut c_void,
    );
    fn ccopy_(n: *const i32, x: *const c_void, incx: *const i32, y: *mut c_void, incy: *const i32);
}

const UPPER: i32 = 121;
const LOWER: i32 = 122;

/// An element type as the tests see it: built from and compared in c64.
trait Elem: Copy + PartialEq + std::fmt::Debug {
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
                let p = |x: &Self| x as *const Self as *const c_void;
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
                let p = |x: &Self| x as *const Self as *const c_void;
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
                let p = |x: &Self| x as *const Self as *const c_void;
                unsafe { $syrk(l, u, t, n, k, p(&al), a.cast(), lda, p(&be), c.cast(), ldc) }
            }
        }
    };
}

real_elem!(f32, cblas_sgemm, cblas_sgemv, cblas_ssyrk);
real_elem!(f64, cblas_dgemm, cblas_dgemv, cblas_dsyrk);
complex_elem!(c32, f32, cblas_cgemm, cblas_cgemv, cblas_csyrk);
complex_elem!(c64, f64, cblas_zgemm, cblas_zgemv, cblas_zsyrk);

fn random<T: Elem>(rng: &mut Rng, len: usize) -> Vec<T> {
    (0..len)
        .map(|_| T::new(rng.f64() * 2.0 - 1.0, rng.f64() * 2.0 - 1.0))
        .collect()
}

/// Element (i, j) of op(X), X stored rows×cols in `layout` with leading dimension ld.
fn op_at<T: Elem>(x: &[T], layout: i32, ld: usize, trans: i32, i: usize, j: usize) -> c64 {
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

fn index(layout: i32, ld: usize, i: usize, j: usize) -> usize {
    if layout == COL_MAJOR {
        i + j * ld
    } else {
        i * ld + j
    }
}

/// Checks `got` against `want` within a tolerance for `terms`-long sums of unit-sized
/// products in T's precision.
fn close<T: Elem>(got: T, want: c64, terms: usize, what: &str) {
    let tol = 4.0 * (terms as f64 + 2.0) * T::EPS * (1.0 + want.norm());
    assert!(
        (got.wide() - want).norm() <= tol,
        "{what}: {got:?} vs {want}"
    );
}

fn gemm_cases<T: Elem>() {
    let mut rng = Rng::new(7);
    let transes = [NO_TRANS, TRANS, CONJ_TRANS];
    for &(m, n, k) in &[(7, 5, 3), (33, 70, 129), (130, 150, 100)] {
        for layout in [COL_MAJOR, ROW_MAJOR] {
            for ta in transes {
                for tb in transes {
                    let (ar, ac) = if ta == NO_TRANS { (m, k) } else { (k, m) };
                    let (br, bc) = if tb == NO_TRANS { (k, n) } else { (n, k) };
                    let ld = |r: usize, c: usize| if layout == COL_MAJOR { r } else { c } + 3;
                    let (lda, ldb, ldc) = (ld(ar, ac), ld(br, bc), ld(m, n));
                    let outer = |r: usize, c: usize, l: usize| {
                        if layout == COL_MAJOR { c * l } else { r * l }
                    };
                    let a = random::<T>(&mut rng, outer(ar, ac, lda));
                    let b = random::<T>(&mut rng, outer(br, bc, ldb));
                    let c0 = random::<T>(&mut rng, outer(m, n, ldc));
                    let (alpha, beta) = (T::new(0.7, -0.4), T::new(-1.3, 0.25));
                    let run = |beta: T, c: &mut [T]| unsafe {
                        T::gemm(
                            layout,
                            ta,
                            tb,
                            m as i32,
                            n as i32,
                            k as i32,
                            alpha,
                            a.as_ptr(),
                            lda as i32,
                            b.as_ptr(),
                            ldb as i32,
                            beta,
                            c.as_mut_ptr(),
                            ldc as i32,
                        )
                    };
                    let mut c = c0.clone();
                    run(beta, &mut c);
                    for i in 0..m {
                        for j in 0..n {
                            let s: c64 = (0..k)
                                .map(|p| {
                                    op_at(&a, layout, lda, ta, i, p)
                                        * op_at(&b, layout, ldb, tb, p, j)
                                })
                                .sum();
                            let want = alpha.wide() * s
                                + beta.wide() * c0[index(layout, ldc, i, j)].wide();
                            close(
                                c[index(layout, ldc, i, j)],
                                want,
                                k,
                                &format!("{m}x{n}x{k} layout {layout} {ta}/{tb} ({i},{j})"),
                            );
                        }
                    }
                    // Padding between columns (rows) is untouched.
                    for (idx, (x, x0)) in c.iter().zip(&c0).enumerate() {
                        let inner = idx % ldc;
                        if inner >= if layout == COL_MAJOR { m } else { n } {
                            assert_eq!(x, x0, "padding at {idx}");
                        }
                    }
                    // beta = 0: C is write-only, NaN there must not survive.
                    let mut cn = vec![T::new(f64::NAN, f64::NAN); c0.len()];
                    run(T::new(0.0, 0.0), &mut cn);
                    for i in 0..m {
                        for j in 0..n {
                            assert!(
                                cn[index(layout, ldc, i, j)].wide().norm().is_finite(),
                                "beta = 0 read C"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn gemm_every_type_layout_and_transposition() {
    gemm_cases::<f32>();
    gemm_cases::<f64>();
    gemm_cases::<c32>();
    gemm_cases::<c64>();
}

fn gemv_cases<T: Elem>() {
    let mut rng = Rng::new(11);
    for &(m, n) in &[(1, 1), (9, 4), (70, 33), (600, 500)] {
        for layout in [COL_MAJOR, ROW_MAJOR] {
            for trans in [NO_TRANS, TRANS, CONJ_TRANS] {
                for (incx, incy) in [(1, 1), (-2, 3)] {
                    let lda = if layout == COL_MAJOR { m } else { n } + 2;
                    let a = random::<T>(&mut rng, lda * if layout == COL_MAJOR { n } else { m });
                    let (xl, yl) = if trans == NO_TRANS { (n, m) } else { (m, n) };
                    let x = random::<T>(&mut rng, xl * 3);
                    let y0 = random::<T>(&mut rng, yl * 3);
                    let (alpha, beta) = (T::new(1.5, 0.5), T::new(0.5, -2.0));
                    let mut y = y0.clone();
                    unsafe {
                        T::gemv(
                            layout,
                            trans,
                            m as i32,
                            n as i32,
                            alpha,
                            a.as_ptr(),
                            lda as i32,
                            x.as_ptr(),
                            incx,
                            beta,
                            y.as_mut_ptr(),
                            incy,
                        )
                    };
                    let at = |v: &[T], len: usize, inc: i32, i: usize| {
                        let start = if inc < 0 {
                            (len - 1) * (-inc) as usize
                        } else {
                            0
                        };
                        v[(start as isize + i as isize * inc as isize) as usize]
                    };
                    for i in 0..yl {
                        let s: c64 = (0..xl)
                            .map(|j| {
                                op_at(&a, layout, lda, trans, i, j) * at(&x, xl, incx, j).wide()
                            })
                            .sum();
                        let want = alpha.wide() * s + beta.wide() * at(&y0, yl, incy, i).wide();
                        close(
                            at(&y, yl, incy, i),
                            want,
                            xl,
                            &format!(
                                "gemv {m}x{n} layout {layout} trans {trans} inc {incx},{incy} [{i}]"
                            ),
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn gemv_every_type_layout_transposition_and_increment() {
    gemv_cases::<f32>();
    gemv_cases::<f64>();
    gemv_cases::<c32>();
    gemv_cases::<c64>();
}

fn syrk_cases<T: Elem>() {
    let mut rng = Rng::new(13);
    for &(n, k) in &[(1, 1), (5, 9), (140, 60), (300, 130)] {
        for layout in [COL_MAJOR, ROW_MAJOR] {
            for uplo in [UPPER, LOWER] {
                for trans in [NO_TRANS, TRANS] {
                    let (ar, ac) = if trans == NO_TRANS { (n, k) } else { (k, n) };
                    let lda = if layout == COL_MAJOR { ar } else { ac } + 1;
                    let a = random::<T>(&mut rng, lda * if layout == COL_MAJOR { ac } else { ar });
                    let ldc = n + 2;
                    let c0 = random::<T>(&mut rng, ldc * n);
                    let (alpha, beta) = (T::new(0.5, 1.0), T::new(2.0, -0.5));
                    let mut c = c0.clone();
                    unsafe {
                        T::syrk(
                            layout,
                            uplo,
                            trans,
                            n as i32,
                            k as i32,
                            alpha,
                            a.as_ptr(),
                            lda as i32,
                            beta,
                            c.as_mut_ptr(),
                            ldc as i32,
                        )
                    };
                    // op(A)·op(A)ᵀ: element (i, j) = Σ_p P(i,p)·P(j,p), no conjugation.
                    let p_at = |i: usize, p: usize| op_at(&a, layout, lda, trans, i, p);
                    for j in 0..n {
                        for i in 0..n {
                            let idx = index(layout, ldc, i, j);
                            let inside = if uplo == UPPER { i <= j } else { i >= j };
                            if !inside {
                                assert_eq!(
                                    c[idx], c0[idx],
                                    "syrk touched the other triangle at ({i},{j})"
                                );
                                continue;
                            }
                            let s: c64 = (0..k).map(|p| p_at(i, p) * p_at(j, p)).sum();
                            close(
                                c[idx],
                                alpha.wide() * s + beta.wide() * c0[idx].wide(),
                                k,
                                &format!(
                                    "syrk n={n} k={k} layout {layout} uplo {uplo} trans {trans} ({i},{j})"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn syrk_every_type_layout_triangle_and_transposition() {
    syrk_cases::<f32>();
    syrk_cases::<f64>();
    syrk_cases::<c32>();
    syrk_cases::<c64>();
}

#[test]
fn level1_against_naive_loops() {
    let mut rng = Rng::new(17);
    let n = 37;
    // saxpy with a negative increment on x.
    let x = random::<f32>(&mut rng, 2 * n);
    let y0 = random::<f32>(&mut rng, n);
    let mut y = y0.clone();
    unsafe { cblas_saxpy(n as i32, 0.75, x.as_ptr(), -2, y.as_mut_ptr(), 1) };
    for i in 0..n {
        close(
            y[i],
            c64::new((y0[i] + 0.75 * x[2 * (n - 1 - i)]) as f64, 0.0),
            2,
            "saxpy",
        );
    }
    let d = unsafe { cblas_sdot(n as i32, x.as_ptr(), 2, y0.as_ptr(), 1) };
    let want: f64 = (0..n).map(|i| x[2 * i] as f64 * y0[i] as f64).sum();
    close(d, c64::new(want, 0.0), n, "sdot");
    // zaxpy, cdotu_sub, zdotc_sub, ccopy.
    let zx = random::<c64>(&mut rng, n);
    let zy0 = random::<c64>(&mut rng, n);
    let mut zy = zy0.clone();
    let za = c64::new(0.3, -0.9);
    unsafe {
        cblas_zaxpy(
            n as i32,
            (&za as *const c64).cast(),
            zx.as_ptr().cast(),
            1,
            zy.as_mut_ptr().cast(),
            1,
        )
    };
    for i in 0..n {
        close(zy[i], zy0[i] + za * zx[i], 2, "zaxpy");
    }
    let mut r = c64::new(0.0, 0.0);
    unsafe {
        cblas_zdotc_sub(
            n as i32,
            zx.as_ptr().cast(),
            1,
            zy0.as_ptr().cast(),
            1,
            (&mut r as *mut c64).cast(),
        )
    };
    close(
        r,
        zx.iter().zip(&zy0).map(|(a, b)| a.conj() * b).sum(),
        n,
        "zdotc",
    );
    let cx = random::<c32>(&mut rng, n);
    let cy = random::<c32>(&mut rng, n);
    let mut rc = c32::new(0.0, 0.0);
    unsafe {
        cblas_cdotu_sub(
            n as i32,
            cx.as_ptr().cast(),
            1,
            cy.as_ptr().cast(),
            1,
            (&mut rc as *mut c32).cast(),
        )
    };
    close(
        rc,
        cx.iter().zip(&cy).map(|(a, b)| a.wide() * b.wide()).sum(),
        n,
        "cdotu",
    );
    let mut out = vec![c32::new(9.0, 9.0); 3 * n];
    let (nn, one, three) = (n as i32, 1, -3);
    unsafe {
        ccopy_(
            &nn,
            cx.as_ptr().cast(),
            &one,
            out.as_mut_ptr().cast(),
            &three,
        )
    };
    for i in 0..n {
        assert_eq!(out[3 * (n - 1 - i)], cx[i], "ccopy with increment −3");
    }
}

/// Runs `f` with 1, 2, 3 and 8 threads and requires the same bits each time.
fn same_bits_for_every_thread_count<T: Elem>(f: impl Fn() -> Vec<T>) {
    let _lock = THREADS.lock().unwrap_or_else(|e| e.into_inner());
    let mut first: Option<Vec<u128>> = None;
    for threads in [1, 2, 3, 8] {
        unsafe { oxblas_set_num_threads(threads) };
        let bits: Vec<u128> = f().into_iter().map(T::bits).collect();
        match &first {
            None => first = Some(bits),
            Some(b) => assert!(b == &bits, "{threads} threads changed the result"),
        }
    }
    unsafe { oxblas_set_num_threads(0) };
}

#[test]
fn results_are_identical_for_every_thread_count() {
    let mut rng = Rng::new(19);
    let (m, n, k) = (257, 300, 190);
    let a = random::<c64>(&mut rng, m * k);
    let b = random::<c64>(&mut rng, k * n);
    same_bits_for_every_thread_count(|| {
        let mut c = vec![c64::new(0.0, 0.0); m * n];
        let (al, be) = (c64::new(1.0, 0.5), c64::new(0.0, 0.0));
        unsafe {
            c64::gemm(
                COL_MAJOR,
                NO_TRANS,
                CONJ_TRANS,
                m as i32,
                n as i32,
                k as i32,
                al,
                a.as_ptr(),
                m as i32,
                b.as_ptr(),
                n as i32,
                be,
                c.as_mut_ptr(),
                m as i32,
            )
        };
        c
    });
    let sa = random::<f32>(&mut rng, m * k);
    same_bits_for_every_thread_count(|| {
        let mut c = vec![0.0f32; m * m];
        unsafe {
            f32::syrk(
                COL_MAJOR,
                LOWER,
                NO_TRANS,
                m as i32,
                k as i32,
                1.0,
                sa.as_ptr(),
                m as i32,
                0.0,
                c.as_mut_ptr(),
                m as i32,
            )
        };
        c
    });
    let big = random::<c32>(&mut rng, 700 * 600);
    let x = random::<c32>(&mut rng, 700);
    same_bits_for_every_thread_count(|| {
        let mut y = vec![c32::new(0.0, 0.0); 600];
        unsafe {
            c32::gemv(
                COL_MAJOR,
                CONJ_TRANS,
                700,
                600,
                c32::new(1.0, 0.0),
                big.as_ptr(),
                700,
                x.as_ptr(),
                1,
                c32::new(0.0, 0.0),
                y.as_mut_ptr(),
                1,
            )
        };
        y
    });
}
