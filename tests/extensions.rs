//! The OpenBLAS/MKL extensions (?axpby, ?omatcopy, ?imatcopy, cblas_?gemm_batch and its
//! strided form) through the exported symbols, against their definitions and, for the
//! batches, bit for bit against one cblas_?gemm call per product.

mod common;
use common::*;
use oxblas::scalar::c64;

#[test]
fn axpby_against_its_definition_beta_zero_never_reads_y() {
    let mut rng = Rng::new(5);
    let n = 41;
    let x = rng.vec(2 * n);
    let y0 = rng.vec(n);
    let mut y = y0.clone();
    unsafe { cblas_daxpby(n as i32, 1.5, x.as_ptr(), 2, -0.5, y.as_mut_ptr(), 1) };
    for i in 0..n {
        assert_eq!(y[i], 1.5 * x[2 * i] + -0.5 * y0[i]);
    }
    let mut nan = vec![f64::NAN; n];
    unsafe {
        daxpby_(
            &(n as i32),
            &2.0,
            x.as_ptr(),
            &1,
            &0.0,
            nan.as_mut_ptr(),
            &1,
        )
    };
    assert!(nan.iter().zip(&x).all(|(v, xi)| *v == 2.0 * xi));
    let zx: Vec<c64> = (0..n).map(|i| c64::new(i as f64, -1.0)).collect();
    let mut zy: Vec<c64> = (0..n).map(|i| c64::new(0.5, i as f64)).collect();
    let zy0 = zy.clone();
    let (a, b) = (c64::new(0.0, 1.0), c64::new(2.0, 0.0));
    unsafe { cblas_zaxpby(n as i32, &a, zx.as_ptr(), 1, &b, zy.as_mut_ptr(), -1) };
    for i in 0..n {
        // y has increment −1: element i is stored at n − 1 − i.
        assert_eq!(zy[n - 1 - i], a * zx[i] + b * zy0[n - 1 - i]);
    }
}

#[test]
fn matrix_copies_in_every_order_and_op() {
    let (rows, cols) = (5usize, 7usize);
    let a: Vec<c64> = (0..100)
        .map(|i| c64::new(i as f64, 100.0 - i as f64))
        .collect();
    let alpha = c64::new(2.0, -1.0);
    for (order, row) in [(COL_MAJOR, false), (ROW_MAJOR, true)] {
        // (CBLAS value, transposes, conjugates); 114 is CblasConjNoTrans.
        for (trans, t, conj) in [
            (NO_TRANS, false, false),
            (TRANS, true, false),
            (CONJ_TRANS, true, true),
            (114, false, true),
        ] {
            let lda = if row { cols } else { rows } + 2;
            let (br, bc) = if t { (cols, rows) } else { (rows, cols) };
            let ldb = if row { bc } else { br } + 1;
            let mut b = vec![c64::new(-7.0, -7.0); 100];
            unsafe {
                cblas_zomatcopy(
                    order,
                    trans,
                    rows as i32,
                    cols as i32,
                    &alpha,
                    a.as_ptr(),
                    lda as i32,
                    b.as_mut_ptr(),
                    ldb as i32,
                )
            };
            let idx = |i: usize, j: usize, ld: usize| if row { i * ld + j } else { i + j * ld };
            for i in 0..br {
                for j in 0..bc {
                    let v = if t {
                        a[idx(j, i, lda)]
                    } else {
                        a[idx(i, j, lda)]
                    };
                    let v = if conj { v.conj() } else { v };
                    assert_eq!(
                        b[idx(i, j, ldb)],
                        alpha * v,
                        "order {order} trans {trans} ({i},{j})"
                    );
                }
            }
            // In place: the same result where the input was.
            let mut inplace = a.clone();
            unsafe {
                cblas_zimatcopy(
                    order,
                    trans,
                    rows as i32,
                    cols as i32,
                    &alpha,
                    inplace.as_mut_ptr(),
                    lda as i32,
                    ldb as i32,
                )
            };
            for i in 0..br {
                for j in 0..bc {
                    assert_eq!(inplace[idx(i, j, ldb)], b[idx(i, j, ldb)]);
                }
            }
        }
    }
    // An illegal ldb is reported and nothing is written.
    let mut b = vec![0.0f64; 50];
    let ar = vec![1.0f64; 50];
    unsafe {
        domatcopy_(
            &(b'C' as _),
            &(b'T' as _),
            &5,
            &7,
            &1.0,
            ar.as_ptr(),
            &5,
            b.as_mut_ptr(),
            &5,
        )
    };
    assert!(b.iter().all(|&v| v == 0.0));
}

/// One group of a batch: size, transa, transb, m, n, k, alpha, beta.
type Group = (usize, i32, i32, usize, usize, usize, f64, f64);

#[test]
fn gemm_batches_equal_one_gemm_per_product() {
    let mut rng = Rng::new(9);
    // Two groups: 3 products 4x5x6 (N, T), 2 products 7x3x2 (T, N).
    let groups: [Group; 2] = [
        (3usize, NO_TRANS, TRANS, 4usize, 5usize, 6usize, 0.5, 0.0),
        (2, TRANS, NO_TRANS, 7, 3, 2, -1.0, 2.0),
    ];
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut c = Vec::new();
    for &(size, _, _, m, n, k, _, _) in &groups {
        for _ in 0..size {
            a.push(rng.vec(m * k));
            b.push(rng.vec(k * n));
            c.push(rng.vec(m * n));
        }
    }
    let mut want = c.clone();
    let mut item = 0;
    for &(size, ta, tb, m, n, k, alpha, beta) in &groups {
        let lda = if ta == NO_TRANS { m } else { k };
        let ldb = if tb == NO_TRANS { k } else { n };
        for _ in 0..size {
            unsafe {
                cblas_dgemm(
                    COL_MAJOR,
                    ta,
                    tb,
                    m as i32,
                    n as i32,
                    k as i32,
                    alpha,
                    a[item].as_ptr(),
                    lda as i32,
                    b[item].as_ptr(),
                    ldb as i32,
                    beta,
                    want[item].as_mut_ptr(),
                    m as i32,
                )
            };
            item += 1;
        }
    }
    let col = |f: fn(&Group) -> i32| groups.iter().map(f).collect::<Vec<i32>>();
    let (ta, tb) = (col(|g| g.1), col(|g| g.2));
    let (m, n, k) = (
        col(|g| g.3 as i32),
        col(|g| g.4 as i32),
        col(|g| g.5 as i32),
    );
    let lda = col(|g| if g.1 == NO_TRANS { g.3 } else { g.5 } as i32);
    let ldb = col(|g| if g.2 == NO_TRANS { g.5 } else { g.4 } as i32);
    let alpha: Vec<f64> = groups.iter().map(|g| g.6).collect();
    let beta: Vec<f64> = groups.iter().map(|g| g.7).collect();
    let sizes = col(|g| g.0 as i32);
    let ap: Vec<*const f64> = a.iter().map(|v| v.as_ptr()).collect();
    let bp: Vec<*const f64> = b.iter().map(|v| v.as_ptr()).collect();
    let cp: Vec<*mut f64> = c.iter_mut().map(|v| v.as_mut_ptr()).collect();
    unsafe {
        cblas_dgemm_batch(
            COL_MAJOR,
            ta.as_ptr(),
            tb.as_ptr(),
            m.as_ptr(),
            n.as_ptr(),
            k.as_ptr(),
            alpha.as_ptr(),
            ap.as_ptr(),
            lda.as_ptr(),
            bp.as_ptr(),
            ldb.as_ptr(),
            beta.as_ptr(),
            cp.as_ptr(),
            m.as_ptr(),
            2,
            sizes.as_ptr(),
        )
    };
    assert_eq!(c, want);
    // Strided, complex, row-major: 4 products of 3x2x5.
    let (m, n, k, batch) = (3usize, 2usize, 5usize, 4usize);
    let za: Vec<c64> = (0..m * k * batch)
        .map(|i| c64::new(rng.f64(), i as f64 * 0.01))
        .collect();
    let zb: Vec<c64> = (0..k * n * batch)
        .map(|_| c64::new(rng.f64(), rng.f64()))
        .collect();
    let mut zc = vec![c64::new(1.0, 1.0); m * n * batch];
    let mut zwant = zc.clone();
    let (alpha, beta) = (c64::new(1.0, -0.5), c64::new(0.25, 0.0));
    for i in 0..batch {
        unsafe {
            cblas_zgemm(
                ROW_MAJOR,
                NO_TRANS,
                CONJ_TRANS,
                m as i32,
                n as i32,
                k as i32,
                &alpha,
                za[i * m * k..].as_ptr(),
                k as i32,
                zb[i * k * n..].as_ptr(),
                k as i32,
                &beta,
                zwant[i * m * n..].as_mut_ptr(),
                n as i32,
            )
        };
    }
    unsafe {
        cblas_zgemm_batch_strided(
            ROW_MAJOR,
            NO_TRANS,
            CONJ_TRANS,
            m as i32,
            n as i32,
            k as i32,
            &alpha,
            za.as_ptr(),
            k as i32,
            (m * k) as i32,
            zb.as_ptr(),
            k as i32,
            (k * n) as i32,
            &beta,
            zc.as_mut_ptr(),
            n as i32,
            (m * n) as i32,
            batch as i32,
        )
    };
    assert_eq!(zc, zwant);
}
