//! ?GEMM through the exported C symbols: dgemm's edge cases against a naive triple loop
//! (every transposition, layout and scalar, beta = 0 over NaN, alpha = 0 over garbage,
//! zero sizes with null pointers, NaN/Inf, every symbol family); S, D, C, Z against
//! naive loops in double-precision complex arithmetic; and, for sizes a triple loop
//! cannot check, BLIS's O(n²) test with a random vector.

mod common;
use common::elem::{Elem, close, index, op_entry, random, same_bits_for_every_thread_count};
use common::*;
use oxblas::scalar::{c32, c64};
use std::ffi::c_char;

struct Case {
    row_major: bool,
    ta: i32,
    tb: i32,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    beta: f64,
    pad: usize,
    nan_c: bool,
}

fn is_trans(t: i32) -> bool {
    t != NO_TRANS
}

/// Runs one case through cblas_dgemm and checks every element of C (padding included).
fn check_cblas(case: &Case, rng: &mut Rng) {
    let Case {
        row_major,
        ta,
        tb,
        m,
        n,
        k,
        alpha,
        beta,
        pad,
        nan_c,
    } = *case;
    let (ar, ac) = if is_trans(ta) { (k, m) } else { (m, k) };
    let (br, bc) = if is_trans(tb) { (n, k) } else { (k, n) };
    // Stored as (rows × cols) in the given layout: ld counts the contiguous dimension.
    let lda = if row_major { ac } else { ar }.max(1) + pad;
    let ldb = if row_major { bc } else { br }.max(1) + pad;
    let ldc = if row_major { n } else { m }.max(1) + pad;
    let a = rng.vec(lda * if row_major { ar } else { ac }.max(1));
    let b = rng.vec(ldb * if row_major { br } else { bc }.max(1));
    let mut c = rng.vec(ldc * if row_major { m } else { n }.max(1));
    if nan_c {
        c.iter_mut().for_each(|x| *x = f64::NAN);
    }
    let c0 = c.clone();
    let (want, bound) = reference_gemm(
        row_major,
        is_trans(ta),
        is_trans(tb),
        m,
        n,
        k,
        alpha,
        &a,
        lda,
        &b,
        ldb,
        beta,
        &c0,
        ldc,
    );
    let layout = if row_major { ROW_MAJOR } else { COL_MAJOR };
    unsafe {
        cblas_dgemm(
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
    let tol = 4.0 * (k as f64 + 2.0) * f64::EPSILON;
    for idx in 0..c.len() {
        let (i, j) = if row_major {
            (idx / ldc, idx % ldc)
        } else {
            (idx % ldc, idx / ldc)
        };
        let inside = i < m && j < n;
        let ctx = || {
            format!(
                "row_major={row_major} ta={ta} tb={tb} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={pad} nan_c={nan_c} at ({i},{j})"
            )
        };
        if !inside || m == 0 || n == 0 {
            // Padding and empty problems: untouched, bit for bit (NaN included).
            assert_eq!(
                c[idx].to_bits(),
                c0[idx].to_bits(),
                "padding written: {}",
                ctx()
            );
            continue;
        }
        let err = (c[idx] - want[idx]).abs();
        assert!(
            c[idx].is_finite(),
            "non-finite result {}: {}",
            c[idx],
            ctx()
        );
        assert!(
            err <= tol * bound[idx] + f64::MIN_POSITIVE,
            "err {err} > {} : {}",
            tol * bound[idx],
            ctx()
        );
    }
}

const SIZES: [usize; 14] = [0, 1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 48, 65, 97];

#[test]
fn sweep_all_transposes_layouts_and_scalars() {
    let mut rng = Rng::new(1);
    let transes = [NO_TRANS, TRANS, CONJ_TRANS];
    for &row_major in &[false, true] {
        for &ta in &transes {
            for &tb in &transes {
                for _ in 0..24 {
                    let m = SIZES[rng.below(SIZES.len())];
                    let n = SIZES[rng.below(SIZES.len())];
                    let k = SIZES[rng.below(SIZES.len())];
                    for &(alpha, beta) in &[
                        (1.0, 0.0),
                        (1.0, 1.0),
                        (-0.7, 0.3),
                        (0.0, 0.3),
                        (0.0, 0.0),
                        (2.5, 1.0),
                    ] {
                        let pad = rng.below(3);
                        let case = Case {
                            row_major,
                            ta,
                            tb,
                            m,
                            n,
                            k,
                            alpha,
                            beta,
                            pad,
                            nan_c: false,
                        };
                        check_cblas(&case, &mut rng);
                    }
                }
            }
        }
    }
}

#[test]
fn beta_zero_never_reads_c() {
    let mut rng = Rng::new(2);
    for &(m, n, k) in &[
        (1, 1, 1),
        (7, 5, 3),
        (64, 64, 64),
        (130, 70, 90),
        (3, 200, 1),
    ] {
        for &alpha in &[1.0, 0.0, -2.0] {
            for &row_major in &[false, true] {
                let case = Case {
                    row_major,
                    ta: NO_TRANS,
                    tb: TRANS,
                    m,
                    n,
                    k,
                    alpha,
                    beta: 0.0,
                    pad: 1,
                    nan_c: true,
                };
                check_cblas(&case, &mut rng);
            }
        }
    }
}

#[test]
fn square_sizes_around_kernel_edges() {
    let _g = THREADS.lock().unwrap();
    let mut rng = Rng::new(3);
    for &threads in &[1, 2, 5] {
        unsafe { oxblas_set_num_threads(threads) };
        assert_eq!(unsafe { oxblas_get_num_threads() }, threads);
        for &s in &[15, 24, 33, 96, 127, 129, 200, 257] {
            let case = Case {
                row_major: false,
                ta: NO_TRANS,
                tb: NO_TRANS,
                m: s,
                n: s,
                k: s,
                alpha: 1.0,
                beta: 0.5,
                pad: 0,
                nan_c: false,
            };
            check_cblas(&case, &mut rng);
            let case = Case {
                row_major: true,
                ta: TRANS,
                tb: NO_TRANS,
                m: s,
                n: s + 3,
                k: s - 2,
                alpha: -1.0,
                beta: 0.0,
                pad: 5,
                nan_c: false,
            };
            check_cblas(&case, &mut rng);
        }
        // One large, rectangular, multithreaded product.
        let case = Case {
            row_major: false,
            ta: TRANS,
            tb: TRANS,
            m: 400,
            n: 333,
            k: 517,
            alpha: 0.5,
            beta: -1.0,
            pad: 7,
            nan_c: false,
        };
        check_cblas(&case, &mut rng);
    }
    unsafe { oxblas_set_num_threads(0) };
}

#[test]
fn alpha_zero_never_reads_a_or_b() {
    // alpha = 0 with k > 0: A and B may be anything, even null.
    let (m, n, k) = (4i32, 3i32, 5i32);
    let mut c: Vec<f64> = (0..12).map(|x| x as f64).collect();
    let (alpha, beta) = (0.0, 2.0);
    let (ta, tb) = (b'N' as c_char, b'N' as c_char);
    unsafe {
        dgemm_(
            &ta,
            &tb,
            &m,
            &n,
            &k,
            &alpha,
            std::ptr::null(),
            &m,
            std::ptr::null(),
            &k,
            &beta,
            c.as_mut_ptr(),
            &m,
        )
    };
    let want: Vec<f64> = (0..12).map(|x| 2.0 * x as f64).collect();
    assert_eq!(c, want);
    // alpha = 0, beta = 1: C untouched bit for bit, even NaN.
    let mut c = vec![f64::NAN, 1.0, -0.0, f64::INFINITY];
    let before: Vec<u64> = c.iter().map(|x| x.to_bits()).collect();
    let (two, one) = (2i32, 1.0f64);
    unsafe {
        dgemm_(
            &ta,
            &tb,
            &two,
            &two,
            &two,
            &alpha,
            std::ptr::null(),
            &two,
            std::ptr::null(),
            &two,
            &one,
            c.as_mut_ptr(),
            &two,
        )
    };
    let after: Vec<u64> = c.iter().map(|x| x.to_bits()).collect();
    assert_eq!(before, after);
}

#[test]
fn zero_sizes_accept_null_pointers() {
    let (ta, tb) = (b'T' as c_char, b'n' as c_char);
    let (one, zero) = (1i32, 0i32);
    let (alpha, beta) = (1.0, 0.0);
    // m = 0 and n = 0: nothing is touched.
    unsafe {
        dgemm_(
            &ta,
            &tb,
            &zero,
            &zero,
            &one,
            &alpha,
            std::ptr::null(),
            &one,
            std::ptr::null(),
            &one,
            &beta,
            std::ptr::null_mut(),
            &one,
        );
        cblas_dgemm(
            COL_MAJOR,
            NO_TRANS,
            NO_TRANS,
            0,
            5,
            3,
            1.0,
            std::ptr::null(),
            1,
            std::ptr::null(),
            3,
            0.0,
            std::ptr::null_mut(),
            1,
        );
    }
    // k = 0: C = beta*C, A and B unread.
    let mut c = vec![f64::NAN; 4];
    let two = 2i32;
    unsafe {
        dgemm_(
            &ta,
            &tb,
            &two,
            &two,
            &zero,
            &alpha,
            std::ptr::null(),
            &one,
            std::ptr::null(),
            &one,
            &beta,
            c.as_mut_ptr(),
            &two,
        )
    };
    assert_eq!(c, vec![0.0; 4]);
}

#[test]
fn nan_and_inf_propagate() {
    let mut rng = Rng::new(4);
    for &s in &[3usize, 40, 150] {
        let mut a = rng.vec(s * s);
        let b = rng.vec(s * s);
        a[s + 1] = f64::NAN; // A(1, 1): row 1 of C becomes NaN
        a[2 * s + 2 % s] = f64::INFINITY;
        let mut c = vec![0.0; s * s];
        unsafe {
            cblas_dgemm(
                COL_MAJOR,
                NO_TRANS,
                NO_TRANS,
                s as i32,
                s as i32,
                s as i32,
                1.0,
                a.as_ptr(),
                s as i32,
                b.as_ptr(),
                s as i32,
                0.0,
                c.as_mut_ptr(),
                s as i32,
            )
        };
        for j in 0..s {
            assert!(
                c[1 + j * s].is_nan(),
                "NaN in A(1,1) must reach C(1,{j}) for s={s}"
            );
        }
    }
}

#[test]
fn ilp64_and_wheel_names_agree_with_lp64() {
    let mut rng = Rng::new(5);
    let (m, n, k) = (37usize, 29usize, 41usize);
    let a = rng.vec(m * k);
    let b = rng.vec(k * n);
    let c0 = rng.vec(m * n);
    let mut c32 = c0.clone();
    let mut c64 = c0.clone();
    let mut cw = c0.clone();
    let (ta, tb) = (b'N' as c_char, b'N' as c_char);
    let (alpha, beta) = (1.5, -0.5);
    unsafe {
        let (m32, n32, k32) = (m as i32, n as i32, k as i32);
        dgemm_(
            &ta,
            &tb,
            &m32,
            &n32,
            &k32,
            &alpha,
            a.as_ptr(),
            &m32,
            b.as_ptr(),
            &k32,
            &beta,
            c32.as_mut_ptr(),
            &m32,
        );
        let (m64, n64, k64) = (m as i64, n as i64, k as i64);
        dgemm_64_(
            &ta,
            &tb,
            &m64,
            &n64,
            &k64,
            &alpha,
            a.as_ptr(),
            &m64,
            b.as_ptr(),
            &k64,
            &beta,
            c64.as_mut_ptr(),
            &m64,
        );
        scipy_cblas_dgemm64_(
            COL_MAJOR,
            NO_TRANS,
            NO_TRANS,
            m64,
            n64,
            k64,
            alpha,
            a.as_ptr(),
            m64,
            b.as_ptr(),
            k64,
            beta,
            cw.as_mut_ptr(),
            m64,
        );
    }
    let (want, bound) = reference_gemm(
        false, false, false, m, n, k, alpha, &a, m, &b, k, beta, &c0, m,
    );
    for i in 0..m * n {
        assert!((c32[i] - want[i]).abs() <= 1e-13 * bound[i].max(1.0));
    }
    assert_eq!(c32, c64);
    assert_eq!(c32, cw);
}

#[test]
fn results_identical_for_every_thread_count() {
    let _g = THREADS.lock().unwrap();
    let mut rng = Rng::new(6);
    for &(m, n, k) in &[
        (300usize, 280usize, 310usize),
        (513, 1, 700),
        (1, 600, 450),
        (600, 520, 64),
        (257, 263, 1),
        // Small enough for the small kernel, large enough to share its columns.
        (64, 72, 64),
        (100, 90, 110),
    ] {
        let a = rng.vec(m * k);
        let b = rng.vec(k * n);
        let c0 = rng.vec(m * n);
        let mut results = Vec::new();
        for team in TEAMS {
            team.set();
            let mut c = c0.clone();
            unsafe {
                cblas_dgemm(
                    COL_MAJOR,
                    NO_TRANS,
                    NO_TRANS,
                    m as i32,
                    n as i32,
                    k as i32,
                    0.75,
                    a.as_ptr(),
                    m as i32,
                    b.as_ptr(),
                    k as i32,
                    0.25,
                    c.as_mut_ptr(),
                    m as i32,
                )
            };
            results.push(c.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        }
        for r in &results[1..] {
            assert!(
                r == &results[0],
                "the team changed the bits of a {m}x{n}x{k} product"
            );
        }
    }
    TeamCase::reset();
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
                                    op_entry(&a, layout, lda, ta, i, p)
                                        * op_entry(&b, layout, ldb, tb, p, j)
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

#[test]
fn gemm_results_are_identical_for_every_thread_count() {
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
}

/// BLIS's check for products too large for a triple loop: with a random vector t,
/// C·t must equal beta·C₀·t + alpha·op(A)·(op(B)·t), which costs O(n²) instead of
/// O(n³); every element of C takes part, so an error anywhere shows.
fn random_vector_check<T: Elem>(layout: i32, ta: i32, tb: i32, (m, n, k): (usize, usize, usize)) {
    let mut rng = Rng::new(23);
    let (ar, ac) = if ta == NO_TRANS { (m, k) } else { (k, m) };
    let (br, bc) = if tb == NO_TRANS { (k, n) } else { (n, k) };
    let ld = |r: usize, c: usize| if layout == COL_MAJOR { r } else { c };
    let (lda, ldb, ldc) = (ld(ar, ac), ld(br, bc), ld(m, n));
    let a = random::<T>(&mut rng, ar * ac);
    let b = random::<T>(&mut rng, br * bc);
    let c0 = random::<T>(&mut rng, m * n);
    let (alpha, beta) = (T::new(0.7, -0.4), T::new(-1.3, 0.25));
    let mut c = c0.clone();
    unsafe {
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
    let t: Vec<c64> = (0..n).map(|_| c64::new(rng.f64(), rng.f64())).collect();
    let times_t = |x: &[T]| -> Vec<c64> {
        (0..m)
            .map(|i| {
                (0..n)
                    .map(|j| x[index(layout, ldc, i, j)].wide() * t[j])
                    .sum()
            })
            .collect()
    };
    let bt: Vec<c64> = (0..k)
        .map(|p| {
            (0..n)
                .map(|j| op_entry(&b, layout, ldb, tb, p, j) * t[j])
                .sum()
        })
        .collect();
    // Σⱼ |op(B)(p, j)|·|tⱼ|, for the rounding bound.
    let bt_abs: Vec<f64> = (0..k)
        .map(|p| {
            (0..n)
                .map(|j| op_entry(&b, layout, ldb, tb, p, j).norm() * t[j].norm())
                .sum()
        })
        .collect();
    let got = times_t(&c);
    let c0t = times_t(&c0);
    for i in 0..m {
        let (mut abt, mut abt_abs) = (c64::new(0.0, 0.0), 0.0);
        for p in 0..k {
            let x = op_entry(&a, layout, lda, ta, i, p);
            abt += x * bt[p];
            abt_abs += x.norm() * bt_abs[p];
        }
        let c0t_abs: f64 = (0..n)
            .map(|j| c0[index(layout, ldc, i, j)].wide().norm() * t[j].norm())
            .sum();
        let want = beta.wide() * c0t[i] + alpha.wide() * abt;
        // Each element of C is a k-term sum rounded in T's precision: its error is at
        // most about (k + 2)·ε times the sum of its terms' magnitudes, seen through t.
        let tol = 4.0
            * (k as f64 + 2.0)
            * T::EPS
            * (alpha.wide().norm() * abt_abs + beta.wide().norm() * c0t_abs);
        assert!(
            (got[i] - want).norm() <= tol,
            "row {i} of C·t: {} vs {want} ({m}x{n}x{k}, layout {layout}, ta {ta}, tb {tb})",
            got[i]
        );
    }
}

#[test]
fn products_past_2000_pass_the_random_vector_check() {
    let shape = (2003, 1999, 2001);
    random_vector_check::<f32>(COL_MAJOR, NO_TRANS, TRANS, shape);
    random_vector_check::<f64>(ROW_MAJOR, TRANS, NO_TRANS, shape);
    random_vector_check::<c32>(COL_MAJOR, CONJ_TRANS, NO_TRANS, shape);
    random_vector_check::<c64>(COL_MAJOR, NO_TRANS, CONJ_TRANS, shape);
}
