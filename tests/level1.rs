//! Level 1 BLAS (?AXPY, ?DOT, ?DOTU/?DOTC, ?COPY) for S, D, C, Z against naive loops,
//! through the exported symbols, negative increments included.

mod common;
use common::elem::*;
use common::*;
use oxblas::scalar::{c32, c64};

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
