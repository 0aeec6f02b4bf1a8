//! The LU family through the exported LAPACK symbols: residuals, pivots against
//! reference LAPACK, info codes, workspace semantics, determinism.

mod common;
use common::*;
use std::ffi::c_char;

fn ch(c: u8) -> c_char {
    c as c_char
}

/// Factors a copy of the m×n matrix `a` (leading dimension lda); returns (LU, ipiv, info).
fn getrf(m: usize, n: usize, a: &[f64], lda: usize) -> (Vec<f64>, Vec<i32>, i32) {
    let mut lu = a.to_vec();
    let mut ipiv = vec![0i32; m.min(n)];
    let mut info = -99;
    unsafe {
        dgetrf_(
            &(m as i32),
            &(n as i32),
            lu.as_mut_ptr(),
            &(lda as i32),
            ipiv.as_mut_ptr(),
            &mut info,
        )
    };
    (lu, ipiv, info)
}

/// dgesv on a copy of the n×n A (lda = n) with the n×nrhs B (ldb = n) solved in place:
/// (pivots, info).
fn gesv(n: usize, nrhs: usize, a: &[f64], b: &mut [f64]) -> (Vec<i32>, i32) {
    let (mut lu, mut ipiv, mut info) = (a.to_vec(), vec![0i32; n], -1);
    let (ni, nr) = (n as i32, nrhs as i32);
    unsafe {
        dgesv_(
            &ni,
            &nr,
            lu.as_mut_ptr(),
            &ni,
            ipiv.as_mut_ptr(),
            b.as_mut_ptr(),
            &ni,
            &mut info,
        )
    };
    (ipiv, info)
}

/// ‖P·A − L·U‖₁ / (n·‖A‖₁·ε) for the factors of an m×n matrix.
fn lu_residual(m: usize, n: usize, a: &[f64], lda: usize, lu: &[f64], ipiv: &[i32]) -> f64 {
    let k = m.min(n);
    let l: Vec<f64> = (0..m * k)
        .map(|x| {
            let (i, j) = (x % m, x / m);
            if i == j {
                1.0
            } else if i > j {
                lu[i + j * lda]
            } else {
                0.0
            }
        })
        .collect();
    let u: Vec<f64> = (0..k * n)
        .map(|x| {
            let (i, j) = (x % k, x / k);
            if i <= j { lu[i + j * lda] } else { 0.0 }
        })
        .collect();
    let prod = matmul(m, k, n, &l, m, &u, k);
    // P·A: apply the interchanges to the rows of A in order.
    let mut pa: Vec<f64> = (0..m * n).map(|x| a[x % m + (x / m) * lda]).collect();
    for (i, &p) in ipiv.iter().enumerate() {
        let p = p as usize - 1;
        assert!(p >= i && p < m, "pivot {p} out of range at step {i}");
        for j in 0..n {
            pa.swap(i + j * m, p + j * m);
        }
    }
    let diff: Vec<f64> = pa.iter().zip(&prod).map(|(x, y)| x - y).collect();
    norm1(m, n, &diff, m)
        / (n.max(1) as f64 * norm1(m, n, a, lda).max(f64::MIN_POSITIVE) * f64::EPSILON)
}

#[test]
fn getrf_residual_on_many_shapes_and_kinds() {
    let mut rng = Rng::new(11);
    for &(m, n) in &[
        (1, 1),
        (2, 2),
        (5, 3),
        (3, 5),
        (17, 17),
        (97, 97),
        (120, 300),
        (300, 120),
        (250, 250),
        (400, 400),
        // lda = 128 and 256: columns 1 KiB apart take the column-wise interchanges.
        (125, 60),
        (253, 253),
    ] {
        for kind in ["random", "graded", "rank-deficient"] {
            let lda = m + 3;
            let mut a = rng.vec(lda * n);
            match kind {
                "graded" => (0..m).for_each(|i| {
                    (0..n).for_each(|j| a[i + j * lda] *= 10f64.powi(-(i as i32 % 12)))
                }),
                "rank-deficient" if n > 2 => {
                    (0..m).for_each(|i| a[i + (n - 1) * lda] = a[i] + a[i + lda])
                }
                _ => {}
            }
            let (lu, ipiv, info) = getrf(m, n, &a, lda);
            assert!(info >= 0, "{kind} {m}x{n}: info {info}");
            for j in 0..n {
                for i in m..lda {
                    assert_eq!(
                        lu[i + j * lda].to_bits(),
                        a[i + j * lda].to_bits(),
                        "padding written"
                    );
                }
            }
            let r = lu_residual(m, n, &a, lda, &lu, &ipiv);
            assert!(r < 30.0, "{kind} {m}x{n}: residual ratio {r}");
        }
    }
}

#[test]
fn zero_pivot_reports_first_column_and_stays_finite() {
    // Column 3 (1-based) is zero below... exactly zero everywhere: pivot 3 is exactly 0.
    for &n in &[4usize, 150] {
        let mut rng = Rng::new(12);
        let mut a = rng.vec(n * n);
        (0..n).for_each(|i| a[i + 2 * n] = 0.0);
        let (lu, ipiv, info) = getrf(n, n, &a, n);
        assert_eq!(info, 3, "n={n}");
        assert!(
            lu.iter().all(|x| x.is_finite()),
            "non-finite factor for n={n}"
        );
        assert!(lu_residual(n, n, &a, n, &lu, &ipiv) < 30.0);
    }
    // All zero: info = 1, nothing divides.
    let (lu, _, info) = getrf(3, 3, &[0.0; 9], 3);
    assert_eq!(info, 1);
    assert!(lu.iter().all(|&x| x == 0.0));
}

#[test]
fn nan_and_inf_never_crash_or_pivot_out_of_range() {
    let mut rng = Rng::new(13);
    for &n in &[3usize, 40, 200] {
        for bad in [f64::NAN, f64::INFINITY] {
            let mut a = rng.vec(n * n);
            a[n / 2 + n * (n / 3)] = bad;
            let (_, ipiv, info) = getrf(n, n, &a, n);
            assert!(info >= 0);
            for (i, &p) in ipiv.iter().enumerate() {
                assert!(p as usize > i && p as usize <= n, "pivot {p} at {i}");
            }
        }
        let (_, ipiv, _) = getrf(n, n, &vec![f64::NAN; n * n], n);
        assert!(ipiv.iter().all(|&p| p >= 1 && p as usize <= n));
    }
}

/// Reference LAPACK (Debian's liblapack3, Netlib code on reference BLAS), loaded beside us.
fn reference_dgetrf()
-> unsafe extern "C" fn(*const i32, *const i32, *mut f64, *const i32, *mut i32, *mut i32) {
    // SAFETY: DGETRF's Fortran signature.
    unsafe { std::mem::transmute(reference_lapack(c"dgetrf_")) }
}

#[test]
fn pivots_equal_reference_lapack_on_random_input() {
    let reference = reference_dgetrf();
    let mut rng = Rng::new(14);
    for &(m, n) in &[(10, 10), (64, 64), (130, 100), (300, 300)] {
        let a = rng.vec(m * n);
        let (ours, ipiv, info) = getrf(m, n, &a, m);
        let mut theirs = a.clone();
        let mut ref_ipiv = vec![0i32; m.min(n)];
        let mut ref_info = -1;
        unsafe {
            reference(
                &(m as i32),
                &(n as i32),
                theirs.as_mut_ptr(),
                &(m as i32),
                ref_ipiv.as_mut_ptr(),
                &mut ref_info,
            )
        };
        assert_eq!((info, &ipiv), (ref_info, &ref_ipiv), "{m}x{n}");
        let scale = norm1(m, n, &a, m);
        for (x, y) in ours.iter().zip(&theirs) {
            assert!(
                (x - y).abs() <= 1e-10 * scale.max(1.0),
                "{m}x{n}: factors differ: {x} vs {y}"
            );
        }
    }
}

#[test]
fn getrs_solves_all_transposes_and_gesv_agrees() {
    let mut rng = Rng::new(15);
    for &n in &[1usize, 7, 64, 150, 260] {
        let a = rng.vec(n * n);
        let (lu, ipiv, info) = getrf(n, n, &a, n);
        assert_eq!(info, 0);
        for (t, nrhs) in [(b'N', 1usize), (b't', 3), (b'C', 17)] {
            let b0 = rng.vec(n * nrhs);
            let mut x = b0.clone();
            let mut info = -1;
            unsafe {
                dgetrs_(
                    &ch(t),
                    &(n as i32),
                    &(nrhs as i32),
                    lu.as_ptr(),
                    &(n as i32),
                    ipiv.as_ptr(),
                    x.as_mut_ptr(),
                    &(n as i32),
                    &mut info,
                )
            };
            assert_eq!(info, 0);
            let op: Vec<f64> = if t == b'N' {
                a.clone()
            } else {
                (0..n * n).map(|v| a[(v / n) + (v % n) * n]).collect()
            };
            let ax = matmul(n, n, nrhs, &op, n, &x, n);
            let r: f64 = ax
                .iter()
                .zip(&b0)
                .map(|(p, q)| (p - q).abs())
                .fold(0.0, f64::max);
            let scale = norm1(n, n, &a, n) * norm1(n, nrhs, &x, n);
            assert!(
                r <= 1e3 * f64::EPSILON * scale.max(1.0),
                "getrs {} n={n}: residual {r}",
                t as char
            );
        }
        // dgesv on the same system.
        let b0 = rng.vec(n * 2);
        let mut x = b0.clone();
        let (ipiv2, info) = gesv(n, 2, &a, &mut x);
        assert_eq!(info, 0);
        assert_eq!(ipiv2, ipiv);
        let ax = matmul(n, n, 2, &a, n, &x, n);
        let r: f64 = ax
            .iter()
            .zip(&b0)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f64::max);
        assert!(
            r <= 1e3 * f64::EPSILON * norm1(n, n, &a, n) * norm1(n, 2, &x, n).max(1.0),
            "gesv n={n}: {r}"
        );
    }
}

#[test]
fn getri_inverts_with_every_workspace_size() {
    let mut rng = Rng::new(16);
    for &n in &[1usize, 5, 70, 300] {
        let a = rng.vec(n * n);
        let (lu, ipiv, _) = getrf(n, n, &a, n);
        // Query the optimal workspace.
        let (mut q, mut info) = (0.0f64, -1);
        unsafe {
            dgetri_(
                &(n as i32),
                std::ptr::null_mut(),
                &(n as i32),
                std::ptr::null(),
                &mut q,
                &-1,
                &mut info,
            )
        };
        assert_eq!(info, 0);
        let opt = q as usize;
        assert!(opt >= n);
        for lwork in [n, (n + opt) / 2, opt] {
            let mut inv = lu.clone();
            let mut work = vec![0.0; lwork];
            unsafe {
                dgetri_(
                    &(n as i32),
                    inv.as_mut_ptr(),
                    &(n as i32),
                    ipiv.as_ptr(),
                    work.as_mut_ptr(),
                    &(lwork as i32),
                    &mut info,
                )
            };
            assert_eq!(info, 0);
            let prod = matmul(n, n, n, &a, n, &inv, n);
            let err = (0..n * n)
                .map(|x| (prod[x] - if x % n == x / n { 1.0 } else { 0.0 }).abs())
                .fold(0.0, f64::max);
            let cond = norm1(n, n, &a, n) * norm1(n, n, &inv, n);
            assert!(
                err <= 100.0 * n as f64 * f64::EPSILON * cond,
                "n={n} lwork={lwork}: ‖A·inv(A) − I‖ = {err}"
            );
        }
    }
}

#[test]
fn getri_on_singular_u_leaves_a_untouched_and_bad_lwork_is_rejected() {
    let n = 4;
    let mut lu: Vec<f64> = (0..16).map(|x| x as f64 + 1.0).collect();
    lu[2 + 2 * n] = 0.0; // U(3,3) = 0
    let before = lu.clone();
    let ipiv = [1, 2, 3, 4];
    let mut work = vec![0.0; 64];
    let mut info = -1;
    unsafe {
        dgetri_(
            &4,
            lu.as_mut_ptr(),
            &4,
            ipiv.as_ptr(),
            work.as_mut_ptr(),
            &64,
            &mut info,
        )
    };
    assert_eq!(info, 3);
    assert_eq!(lu, before);
    unsafe {
        dgetri_(
            &4,
            lu.as_mut_ptr(),
            &4,
            ipiv.as_ptr(),
            work.as_mut_ptr(),
            &3,
            &mut info,
        )
    };
    assert_eq!(info, -6);
    assert_eq!(lu, before);
}

#[test]
fn trtri_and_laswp() {
    let mut rng = Rng::new(17);
    let n = 130;
    for (uplo, diag) in [(b'U', b'N'), (b'L', b'N'), (b'u', b'u'), (b'l', b'U')] {
        let mut t = rng.vec(n * n);
        for i in 0..n {
            t[i + i * n] += 4.0;
        }
        let dense: Vec<f64> = (0..n * n)
            .map(|x| {
                let (i, j) = (x % n, x / n);
                let inside = if uplo.eq_ignore_ascii_case(&b'U') {
                    i <= j
                } else {
                    i >= j
                };
                if i == j && diag.eq_ignore_ascii_case(&b'U') {
                    1.0
                } else if inside {
                    t[x] / if i == j { 1.0 } else { n as f64 }
                } else {
                    0.0
                }
            })
            .collect();
        let mut inv = t.clone();
        for x in 0..n * n {
            let (i, j) = (x % n, x / n);
            if i != j {
                inv[x] = t[x] / n as f64;
            }
        }
        let other = inv.clone();
        let mut info = -1;
        unsafe {
            dtrtri_(
                &ch(uplo),
                &ch(diag),
                &(n as i32),
                inv.as_mut_ptr(),
                &(n as i32),
                &mut info,
            )
        };
        assert_eq!(info, 0);
        let upper = uplo.eq_ignore_ascii_case(&b'U');
        let tri: Vec<f64> = (0..n * n)
            .map(|x| {
                let (i, j) = (x % n, x / n);
                if i == j && diag.eq_ignore_ascii_case(&b'U') {
                    1.0
                } else if (upper && i <= j) || (!upper && i >= j) {
                    inv[x]
                } else {
                    0.0
                }
            })
            .collect();
        let prod = matmul(n, n, n, &dense, n, &tri, n);
        let err = (0..n * n)
            .map(|x| (prod[x] - if x % n == x / n { 1.0 } else { 0.0 }).abs())
            .fold(0.0, f64::max);
        assert!(
            err < 1e-12,
            "dtrtri {} {}: {err}",
            uplo as char,
            diag as char
        );
        for x in 0..n * n {
            let (i, j) = (x % n, x / n);
            if (upper && i > j) || (!upper && i < j) {
                assert_eq!(inv[x], other[x], "the other triangle was written");
            }
        }
    }
    // dlaswp with incx = 1, -1 and 2 against applying the swaps by hand.
    let (rows, cols) = (6usize, 3usize);
    let a: Vec<f64> = (0..rows * cols).map(|x| x as f64).collect();
    let piv = [3i32, 5, 6, 4, 2, 1]; // with incx = 2 and k1 = 2, rows 2..4 use 5, 4, 1
    for (k1, k2, incx) in [(1, 3, 1), (2, 3, -1), (2, 4, 2)] {
        let mut got = a.clone();
        unsafe {
            dlaswp_(
                &(cols as i32),
                got.as_mut_ptr(),
                &(rows as i32),
                &k1,
                &k2,
                piv.as_ptr(),
                &incx,
            )
        };
        let mut want = a.clone();
        let step = incx.unsigned_abs() as usize;
        let order: Vec<usize> = if incx > 0 {
            (k1 as usize - 1..k2 as usize).collect()
        } else {
            (k1 as usize - 1..k2 as usize).rev().collect()
        };
        for r in order {
            let p = piv[(k1 as usize - 1) + (r + 1 - k1 as usize) * step] as usize - 1;
            for c in 0..cols {
                want.swap(r + c * rows, p + c * rows);
            }
        }
        assert_eq!(got, want, "dlaswp k1={k1} k2={k2} incx={incx}");
    }
}

#[test]
fn lu_and_inverse_identical_for_every_thread_count() {
    let _g = THREADS.lock().unwrap();
    let mut rng = Rng::new(18);
    // Past LuParams::serial_below, so the factorization splits its work.
    let n = 600;
    let a = rng.vec(n * n);
    let mut results = Vec::new();
    for team in TEAMS {
        team.set();
        let (mut lu, ipiv, _) = getrf(n, n, &a, n);
        let mut work = vec![0.0; n * 64];
        let mut info = -1;
        unsafe {
            dgetri_(
                &(n as i32),
                lu.as_mut_ptr(),
                &(n as i32),
                ipiv.as_ptr(),
                work.as_mut_ptr(),
                &((n * 64) as i32),
                &mut info,
            )
        };
        results.push((ipiv, lu.iter().map(|x| x.to_bits()).collect::<Vec<_>>()));
    }
    TeamCase::reset();
    for r in &results[1..] {
        assert!(
            r == &results[0],
            "thread count changed the LU or the inverse"
        );
    }
}

#[test]
fn ilp64_getrf_matches_lp64() {
    let mut rng = Rng::new(19);
    let n = 123usize;
    let a = rng.vec(n * n);
    let (lu32, ipiv32, _) = getrf(n, n, &a, n);
    let mut lu64 = a.clone();
    let mut ipiv64 = vec![0i64; n];
    let mut info = -1i64;
    unsafe {
        dgetrf_64_(
            &(n as i64),
            &(n as i64),
            lu64.as_mut_ptr(),
            &(n as i64),
            ipiv64.as_mut_ptr(),
            &mut info,
        )
    };
    assert_eq!(info, 0);
    assert_eq!(lu32, lu64);
    assert_eq!(ipiv32.iter().map(|&p| p as i64).collect::<Vec<_>>(), ipiv64);
}

/// NumPy's inv calls dgesv with B = I: that right-hand side is answered by inverting
/// from the factors (as dgetri does). The result must be the inverse, equal to getri's
/// bit for bit, and any other B must still be solved.
#[test]
fn gesv_with_identity_is_the_inverse() {
    let mut rng = Rng::new(71);
    for n in [256usize, 300] {
        let a = rng.vec(n * n);
        let mut x: Vec<f64> = (0..n * n).map(|k| f64::from(k % n == k / n)).collect();
        let (ipiv, mut info) = gesv(n, n, &a, &mut x);
        let ni = n as i32;
        assert_eq!(info, 0);
        // A·X = I to working accuracy.
        let ax = matmul(n, n, n, &a, n, &x, n);
        let err = ax
            .iter()
            .enumerate()
            .map(|(k, v)| (v - f64::from(k % n == k / n)).abs())
            .fold(0.0, f64::max);
        assert!(err < 1e-9, "n={n}: |AX − I| = {err:e}");
        // Bitwise what getrf + getri give.
        let (mut inv, piv2, _) = getrf(n, n, &a, n);
        assert_eq!(piv2, ipiv);
        let mut work = vec![0.0; n * 256];
        unsafe {
            dgetri_(
                &ni,
                inv.as_mut_ptr(),
                &ni,
                piv2.as_ptr(),
                work.as_mut_ptr(),
                &((n * 256) as i32),
                &mut info,
            )
        };
        assert!(inv.iter().zip(&x).all(|(p, q)| p.to_bits() == q.to_bits()));
        // Nearly the identity: solved as a general right-hand side.
        let mut b: Vec<f64> = (0..n * n).map(|k| f64::from(k % n == k / n)).collect();
        b[1] = 0.5;
        let b0 = b.clone();
        let (_, info) = gesv(n, n, &a, &mut b);
        let ab = matmul(n, n, n, &a, n, &b, n);
        let err = ab
            .iter()
            .zip(&b0)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f64::max);
        assert!(info == 0 && err < 1e-9, "n={n}: general B residual {err:e}");
    }
}
