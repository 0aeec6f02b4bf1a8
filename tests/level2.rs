//! ?GEMV for S, D, C, Z against naive loops in double-precision complex arithmetic,
//! through the exported CBLAS symbols: every layout, transposition (conjugation
//! included) and increment sign, beta = 0 over NaN, and the same bits for every thread
//! count.

mod common;
use common::elem::*;
use common::*;
use oxblas::scalar::{c32, c64};

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
                                op_entry(&a, layout, lda, trans, i, j) * at(&x, xl, incx, j).wide()
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

#[test]
fn gemv_results_are_identical_for_every_thread_count() {
    let mut rng = Rng::new(19);
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
