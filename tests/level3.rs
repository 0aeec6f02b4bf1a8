//! ?SYRK for S, D, C, Z against naive loops in double-precision complex arithmetic,
//! through the exported CBLAS symbols: every layout, triangle and transposition, and
//! the same bits for every thread count. (?GEMM has tests/gemm.rs; DTRSM is tested
//! with the LU family in tests/lu.rs.)

mod common;
use common::elem::*;
use common::*;
use oxblas::scalar::{c32, c64};

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
                    let p_at = |i: usize, p: usize| op_entry(&a, layout, lda, trans, i, p);
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
fn syrk_results_are_identical_for_every_thread_count() {
    let mut rng = Rng::new(19);
    let (m, k) = (257, 190);
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
}
