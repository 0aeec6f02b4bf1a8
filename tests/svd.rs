//! DGESDD through the exported symbols: every job mode and shape against the
//! reconstruction residual, orthogonality, reference LAPACK's singular values, and the
//! ABI's workspace, NaN and error semantics.

mod common;
use common::*;
use std::ffi::c_char;

type Gesdd = unsafe extern "C" fn(
    *const c_char,
    *const i32,
    *const i32,
    *mut f64,
    *const i32,
    *mut f64,
    *mut f64,
    *const i32,
    *mut f64,
    *const i32,
    *mut f64,
    *const i32,
    *mut i32,
    *mut i32,
);

/// Reference LAPACK's DGESDD (Debian's liblapack3), loaded beside us.
fn reference() -> Gesdd {
    // SAFETY: DGESDD's Fortran signature.
    unsafe { std::mem::transmute(reference_lapack(c"dgesdd_")) }
}

const SENTINEL: f64 = 7.25;

/// One call's inputs and everything it wrote.
#[derive(Clone)]
struct Call {
    job: u8,
    m: usize,
    n: usize,
    lda: usize,
    ldu: usize,
    ldvt: usize,
    a: Vec<f64>,
    s: Vec<f64>,
    u: Vec<f64>,
    vt: Vec<f64>,
    work: Vec<f64>,
    info: i32,
}

impl Call {
    /// A call on the m×n matrix `a` (column-major, leading dimension m) with padded
    /// leading dimensions; every array starts filled with a sentinel.
    fn new(job: u8, m: usize, n: usize, a: &[f64], pad: usize) -> Call {
        let (lda, ldu, ldvt) = (m.max(1) + pad, m.max(1) + pad, n.max(1) + pad);
        let mut padded = vec![SENTINEL; lda * n];
        for j in 0..n {
            padded[j * lda..j * lda + m].copy_from_slice(&a[j * m..j * m + m]);
        }
        Call {
            job,
            m,
            n,
            lda,
            ldu,
            ldvt,
            a: padded,
            s: vec![SENTINEL; m.min(n) + 1],
            u: vec![SENTINEL; ldu * m],
            vt: vec![SENTINEL; ldvt * n],
            work: Vec::new(),
            info: -99,
        }
    }

    fn run_with(&mut self, f: Gesdd, lwork: i32) {
        self.work = vec![SENTINEL; lwork.max(1) as usize];
        let mut iwork = vec![0i32; 8 * self.m.min(self.n).max(1)];
        unsafe {
            f(
                &(self.job as c_char),
                &(self.m as i32),
                &(self.n as i32),
                self.a.as_mut_ptr(),
                &(self.lda as i32),
                self.s.as_mut_ptr(),
                self.u.as_mut_ptr(),
                &(self.ldu as i32),
                self.vt.as_mut_ptr(),
                &(self.ldvt as i32),
                self.work.as_mut_ptr(),
                &lwork,
                iwork.as_mut_ptr(),
                &mut self.info,
            )
        };
    }

    /// The optimal lwork `f` reports for this call.
    fn query(&self, f: Gesdd) -> i32 {
        let mut q = self.clone();
        q.run_with(f, -1);
        assert_eq!(q.info, 0);
        q.work[0] as i32
    }

    fn run(mut self, f: Gesdd) -> Call {
        let lwork = self.query(f);
        self.run_with(f, lwork);
        self
    }

    /// U (m×ucols) and Vᵀ (vrows×n) as dense column-major matrices, wherever this job
    /// put them.
    fn factors(&self) -> (Vec<f64>, usize, Vec<f64>, usize) {
        let (m, n, k) = (self.m, self.n, self.m.min(self.n));
        let take = |v: &[f64], ld: usize, r: usize, c: usize| -> Vec<f64> {
            (0..c)
                .flat_map(|j| v[j * ld..j * ld + r].to_vec())
                .collect()
        };
        match (self.job, m >= n) {
            (b'A', _) => (
                take(&self.u, self.ldu, m, m),
                m,
                take(&self.vt, self.ldvt, n, n),
                n,
            ),
            (b'S', _) => (
                take(&self.u, self.ldu, m, k),
                k,
                take(&self.vt, self.ldvt, k, n),
                k,
            ),
            (b'O', true) => (
                take(&self.a, self.lda, m, n),
                n,
                take(&self.vt, self.ldvt, n, n),
                n,
            ),
            (b'O', false) => (
                take(&self.u, self.ldu, m, m),
                m,
                take(&self.a, self.lda, m, n),
                m,
            ),
            _ => unreachable!("no vectors for job {}", self.job as char),
        }
    }
}

/// ‖A − U·Σ·Vᵀ‖₁ / (‖A‖₁·max(m, n)·ε), and the orthogonality of U's and Vᵀ's first
/// min(m, n) vectors, ‖QᵀQ − I‖₁ / (dim·ε).
fn quality(a: &[f64], c: &Call) -> (f64, f64, f64) {
    let (m, n, k) = (c.m, c.n, c.m.min(c.n));
    let (u, ucols, vt, vrows) = c.factors();
    let mut us = vec![0.0; m * k];
    for j in 0..k {
        for i in 0..m {
            us[i + j * m] = u[i + j * m] * c.s[j];
        }
    }
    let vt_k: Vec<f64> = (0..n)
        .flat_map(|j| vt[j * vrows..j * vrows + k].to_vec())
        .collect();
    let usv = matmul(m, k, n, &us, m, &vt_k, k);
    let diff: Vec<f64> = a.iter().zip(&usv).map(|(x, y)| x - y).collect();
    let eps = f64::EPSILON;
    let anorm = norm1(m, n, a, m).max(f64::MIN_POSITIVE);
    let resid = norm1(m, n, &diff, m) / anorm / (m.max(n) as f64 * eps);
    let ortho = |q: &[f64], rows: usize, cols: usize, ld: usize, by_rows: bool| -> f64 {
        // Gram matrix of the first `cols` columns (or rows) minus I.
        let mut g = vec![0.0; cols * cols];
        for x in 0..cols {
            for y in 0..cols {
                let dot: f64 = (0..rows)
                    .map(|t| {
                        if by_rows {
                            q[x + t * ld] * q[y + t * ld]
                        } else {
                            q[t + x * ld] * q[t + y * ld]
                        }
                    })
                    .sum();
                g[x + y * cols] = dot - if x == y { 1.0 } else { 0.0 };
            }
        }
        norm1(cols, cols, &g, cols) / (rows.max(1) as f64 * eps)
    };
    let _ = ucols;
    (
        resid,
        ortho(&u, m, k, m, false),
        ortho(&vt, n, k, vrows, true),
    )
}

/// Matrices that stress an SVD: random, rank-deficient, graded, repeated singular
/// values, zero, identity.
fn matrices(m: usize, n: usize, rng: &mut Rng) -> Vec<(&'static str, Vec<f64>)> {
    let random = rng.vec(m * n);
    let r = (m.min(n) / 2).max(1);
    let (x, y) = (rng.vec(m * r), rng.vec(r * n));
    let rank_deficient = matmul(m, r, n, &x, m, &y, r);
    let graded: Vec<f64> = (0..m * n)
        .map(|idx| random[idx] * 10f64.powi(-((idx / m) as i32 % 12)))
        .collect();
    // Q·diag(1, 1, 1, 2, 2, 2, …)·Pᵀ with Householder Q, P: clustered, repeated values.
    let reflect = |rows: usize, rng: &mut Rng| -> Vec<f64> {
        let v = rng.vec(rows);
        let vv: f64 = v.iter().map(|x| x * x).sum();
        (0..rows * rows)
            .map(|idx| {
                let (i, j) = (idx % rows, idx / rows);
                f64::from(i == j) - 2.0 * v[i] * v[j] / vv
            })
            .collect()
    };
    let (q, p) = (reflect(m, rng), reflect(n, rng));
    let mut d = vec![0.0; m * n];
    for i in 0..m.min(n) {
        d[i + i * m] = 1.0 + (i / 3) as f64;
    }
    let qd = matmul(m, m, n, &q, m, &d, m);
    let repeated = matmul(m, n, n, &qd, m, &p, n);
    let identity: Vec<f64> = (0..m * n)
        .map(|idx| f64::from(idx % m == idx / m))
        .collect();
    vec![
        ("random", random),
        ("rank-deficient", rank_deficient),
        ("graded", graded),
        ("repeated", repeated),
        ("zero", vec![0.0; m * n]),
        ("identity", identity),
    ]
}

fn check_call(label: &str, a: &[f64], c: &Call, reference_s: &[f64]) {
    let (m, n, k) = (c.m, c.n, c.m.min(c.n));
    assert_eq!(c.info, 0, "{label}: info");
    let s = &c.s[..k];
    assert!(
        s.windows(2).all(|w| w[0] >= w[1]) && s.iter().all(|&x| x >= 0.0),
        "{label}: S not nonincreasing: {s:?}"
    );
    assert_eq!(c.s[k], SENTINEL, "{label}: wrote past S");
    let tol = 50.0 * m.max(n) as f64 * f64::EPSILON * reference_s[0].max(f64::MIN_POSITIVE);
    for (x, y) in s.iter().zip(reference_s) {
        assert!(
            (x - y).abs() <= tol,
            "{label}: singular value {x} vs reference {y}"
        );
    }
    if c.job != b'N' {
        let (resid, ou, ov) = quality(a, c);
        assert!(
            resid < 30.0 && ou < 30.0 && ov < 30.0,
            "{label}: residual {resid:.1}, orthogonality U {ou:.1}, V {ov:.1}"
        );
    }
    // Padding rows of every array stay untouched.
    let untouched = |v: &[f64], ld: usize, rows: usize| {
        (0..v.len())
            .filter(|i| i % ld >= rows)
            .all(|i| v[i] == SENTINEL)
    };
    assert!(untouched(&c.a, c.lda, m), "{label}: wrote A's padding");
    assert!(untouched(&c.u, c.ldu, m), "{label}: wrote U's padding");
    assert!(untouched(&c.vt, c.ldvt, n), "{label}: wrote Vᵀ's padding");
}

#[test]
fn every_job_and_shape_against_reference_lapack() {
    let reference = reference();
    let mut rng = Rng::new(51);
    // Square, mildly and much taller or wider (the QR/LQ pre-reduction paths), vectors.
    let shapes = [
        (1, 1),
        (1, 7),
        (7, 1),
        (6, 6),
        (9, 6),
        (6, 9),
        (40, 12),
        (12, 40),
        (33, 33),
        (150, 90),
        (90, 150),
        (200, 40),
        (40, 200),
        (130, 65),
    ];
    for &(m, n) in &shapes {
        for (kind, a) in matrices(m, n, &mut rng) {
            let mut r = Call::new(b'N', m, n, &a, 0);
            r = r.run(reference);
            assert_eq!(r.info, 0);
            let reference_s = r.s[..m.min(n)].to_vec();
            for job in [b'A', b'S', b'O', b'N'] {
                for pad in [0, 3] {
                    let label = format!("{m}x{n} {kind} job {} pad {pad}", job as char);
                    let c = Call::new(job, m, n, &a, pad).run(dgesdd_);
                    check_call(&label, &a, &c, &reference_s);
                }
            }
        }
    }
}

/// Singular values alone take our own two-stage path at every size: larger shapes cover
/// several band panels, the QR pre-reduction of much taller matrices, and wide ones.
#[test]
fn values_only_on_larger_shapes_against_reference_lapack() {
    let reference = reference();
    let mut rng = Rng::new(56);
    for &(m, n) in &[
        (200, 200),
        (257, 129),
        (129, 257),
        (700, 90),
        (90, 700),
        (64, 65),
    ] {
        for (kind, a) in matrices(m, n, &mut rng) {
            let r = Call::new(b'N', m, n, &a, 0).run(reference);
            let c = Call::new(b'N', m, n, &a, 2).run(dgesdd_);
            check_call(&format!("{m}x{n} {kind}"), &a, &c, &r.s[..m.min(n)]);
        }
    }
}

#[test]
fn near_overflow_and_underflow_are_scaled() {
    let reference = reference();
    let mut rng = Rng::new(52);
    for &(m, n) in &[(8, 8), (20, 6), (6, 20)] {
        let base = rng.vec(m * n);
        for scale in [1e300, 1e-300, 1e-310] {
            let a: Vec<f64> = base.iter().map(|x| x * scale).collect();
            let mut r = Call::new(b'N', m, n, &a, 0).run(reference);
            r.s.truncate(m.min(n));
            for job in [b'A', b'S', b'O', b'N'] {
                let label = format!("{m}x{n} scale {scale:e} job {}", job as char);
                let c = Call::new(job, m, n, &a, 0).run(dgesdd_);
                assert!(c.s.iter().all(|x| x.is_finite()), "{label}: {:?}", c.s);
                check_call(&label, &a, &c, &r.s);
            }
        }
    }
    // Ones near overflow: one singular value, sqrt(m·n)·1e300, still finite.
    let (m, n) = (5, 5);
    let a = vec![1e300; m * n];
    let c = Call::new(b'N', m, n, &a, 0).run(dgesdd_);
    assert_eq!(c.info, 0);
    assert!(
        (c.s[0] / 5e300 - 1.0).abs() < 1e-14 && c.s[1] <= 1e286,
        "{:?}",
        c.s
    );
}

#[test]
fn workspace_query_minimum_and_optimal_agree_bit_for_bit() {
    let mut rng = Rng::new(53);
    for &(m, n) in &[(30, 30), (50, 10), (10, 50), (25, 16)] {
        let a = rng.vec(m * n);
        for job in [b'A', b'S', b'O', b'N'] {
            let c = Call::new(job, m, n, &a, 0);
            let optimal = c.query(dgesdd_);
            let mut lo = c.clone();
            // The smallest lwork accepted (binary search; acceptance is monotone) is the
            // reference minimum (the unit tests hold the values reference LAPACK accepts:
            // calling it with less would STOP the process in its xerbla).
            let accepts = |lw: i32| {
                let mut t = c.clone();
                t.run_with(dgesdd_, lw);
                if t.info != 0 {
                    assert_eq!(t.info, -12, "lwork {lw}");
                    assert!(
                        t.s.iter().all(|&x| x == SENTINEL) && t.a == c.a,
                        "illegal lwork touched outputs"
                    );
                }
                t.info == 0
            };
            let (mut bad, mut good) = (0, optimal);
            while good - bad > 1 {
                let mid = (bad + good) / 2;
                if accepts(mid) { good = mid } else { bad = mid }
            }
            let job_kind = oxblas::lapack::gesdd::SvdJob::from_fortran(job).unwrap();
            assert_eq!(
                good as usize,
                oxblas::lapack::gesdd::min_work(job_kind, m, n)
            );
            let found = good;
            lo.run_with(dgesdd_, found);
            let mut hi = c.clone();
            hi.run_with(dgesdd_, optimal);
            assert!(optimal >= found && lo.info == 0 && hi.info == 0);
            let bits = |c: &Call| {
                [&c.s, &c.u, &c.vt, &c.a].map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
            };
            assert!(
                bits(&lo) == bits(&hi),
                "{m}x{n} job {}: minimum and optimal lwork differ",
                job as char
            );
        }
    }
}

#[test]
fn nan_is_info_minus_4_and_touches_nothing() {
    let (m, n) = (6, 4);
    let mut a = Rng::new(54).vec(m * n);
    a[9] = f64::NAN;
    for job in [b'A', b'S', b'O', b'N'] {
        let c = Call::new(job, m, n, &a, 1);
        let lwork = c.query(dgesdd_);
        let mut r = c.clone();
        r.run_with(dgesdd_, lwork);
        assert_eq!(r.info, -4);
        let same = |x: &[f64], y: &[f64]| x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits());
        assert!(same(&r.a, &c.a) && same(&r.s, &c.s) && same(&r.u, &c.u) && same(&r.vt, &c.vt));
    }
    // Infinities: any info, but it returns (no hang, no crash).
    let mut b = vec![1.0; 16];
    b[5] = f64::INFINITY;
    let c = Call::new(b'A', 4, 4, &b, 0).run(dgesdd_);
    assert!(c.info >= -4);
}

#[test]
fn empty_shapes_return_at_once() {
    for &(m, n) in &[(0, 0), (0, 5), (5, 0)] {
        for job in [b'A', b'S', b'O', b'N'] {
            let mut c = Call::new(job, m, n, &[], 0);
            c.run_with(dgesdd_, 1);
            assert_eq!(c.info, 0);
            assert!(c.vt.iter().chain(&c.u).all(|&x| x == SENTINEL));
            c.run_with(dgesdd_, 0);
            assert_eq!(c.info, -12, "lwork 0 is below the minimum of 1");
        }
    }
}

#[test]
fn identical_for_every_thread_count_and_ilp64_matches() {
    let _g = THREADS.lock().unwrap();
    // Large enough that the reduction (its matrix·vector products from 80 000 elements),
    // the merges and the back-transformations all split their work over the team.
    let (m, n) = (520, 300);
    let a = Rng::new(55).vec(m * n);
    let mut runs = Vec::new();
    for team in TEAMS {
        team.set();
        let c = Call::new(b'A', m, n, &a, 0).run(dgesdd_);
        runs.push([c.s, c.u, c.vt].map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()));
    }
    TeamCase::reset();
    assert!(
        runs.iter().all(|r| r == &runs[0]),
        "thread count changed the SVD"
    );

    let c = Call::new(b'S', m, n, &a, 0).run(dgesdd_);
    let (mut a64, mut s, mut u, mut vt) =
        (a.clone(), vec![0.0; n], vec![0.0; m * n], vec![0.0; n * n]);
    let lwork = c.work.len() as i64;
    let (mut work, mut iwork, mut info) = (vec![0.0; lwork as usize], vec![0i64; 8 * n], -1i64);
    let (m64, n64) = (m as i64, n as i64);
    unsafe {
        dgesdd_64_(
            &(b'S' as c_char),
            &m64,
            &n64,
            a64.as_mut_ptr(),
            &m64,
            s.as_mut_ptr(),
            u.as_mut_ptr(),
            &m64,
            vt.as_mut_ptr(),
            &n64,
            work.as_mut_ptr(),
            &lwork,
            iwork.as_mut_ptr(),
            &mut info,
        )
    };
    assert_eq!(info, 0);
    assert!(
        s == c.s[..n] && u == c.u[..m * n] && vt == c.vt,
        "ILP64 and LP64 differ"
    );
}

/// Singular values alone of small graded matrices keep their relative accuracy, as
/// with reference LAPACK's QR iteration (divide and conquer would return the tiniest
/// as 0 or with a few correct digits).
#[test]
fn values_alone_keep_relative_accuracy_on_small_graded_matrices() {
    let reference = reference();
    for (n, grade) in [(6, 5), (10, 3), (10, 8)] {
        // Upper bidiagonal, entries falling by 10^grade per row.
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            a[i + i * n] = 10f64.powi(-grade * i as i32) * (1.0 + 0.1 * i as f64);
            if i + 1 < n {
                a[i + (i + 1) * n] = 0.7 * 10f64.powi(-grade * i as i32 - 1);
            }
        }
        let want = Call::new(b'N', n, n, &a, 0).run(reference);
        let got = Call::new(b'N', n, n, &a, 0).run(dgesdd_);
        assert_eq!(got.info, 0);
        for i in 0..n {
            let rel = (got.s[i] - want.s[i]).abs() / want.s[i];
            assert!(
                rel <= 1e-12,
                "n={n} grade {grade} σ{i}: {:e} vs reference {:e}",
                got.s[i],
                want.s[i]
            );
        }
    }
}
