//! The LAPACK routines NumPy links, through their exported symbols: an illegal argument
//! is reported at its reference position and leaves every output untouched; workspace
//! queries report the reference minimums; results are the same bits for every thread
//! count. (Accuracy is tested beside each algorithm and by the Netlib testers.)

mod common;
use common::*;
use oxblas::scalar::c64;
use std::ffi::c_char;

fn ch(c: u8) -> c_char {
    c as c_char
}

fn complex(rng: &mut Rng, len: usize) -> Vec<c64> {
    (0..len)
        .map(|_| c64::new(rng.f64() - 0.5, rng.f64() - 0.5))
        .collect()
}

/// An illegal argument: `info = −position`, and the arrays are exactly as they were.
#[test]
fn illegal_arguments_are_reported_and_touch_nothing() {
    let mut rng = Rng::new(1);
    let n = 4i32;
    let a0 = complex(&mut rng, 16);
    unsafe {
        let mut a = a0.clone();
        let mut info = 0;
        zpotrf_(&ch(b'X'), &n, a.as_mut_ptr(), &n, &mut info);
        assert_eq!((info, &a), (-1, &a0));
        zpotrf_(&ch(b'L'), &n, a.as_mut_ptr(), &3, &mut info);
        assert_eq!((info, &a), (-4, &a0));

        let a32: Vec<f32> = (0..16).map(|i| i as f32).collect();
        let (mut a, mut tau, mut work) = (a32.clone(), vec![7.0f32; 4], vec![7.0f32; 4]);
        sgeqrf_(
            &n,
            &n,
            a.as_mut_ptr(),
            &n,
            tau.as_mut_ptr(),
            work.as_mut_ptr(),
            &3,
            &mut info,
        );
        assert_eq!(
            (info, &a, &tau, &work),
            (-7, &a32, &vec![7.0; 4], &vec![7.0; 4])
        );

        let (mut a, tau, mut work) = (
            a0.clone(),
            vec![c64::new(1.0, 0.0); 4],
            vec![c64::new(7.0, 0.0); 8],
        );
        zungqr_(
            &3,
            &n,
            &2,
            a.as_mut_ptr(),
            &n,
            tau.as_ptr(),
            work.as_mut_ptr(),
            &8,
            &mut info,
        );
        assert_eq!((info, &a), (-2, &a0));
        zungqr_(
            &n,
            &n,
            &2,
            a.as_mut_ptr(),
            &n,
            tau.as_ptr(),
            work.as_mut_ptr(),
            &3,
            &mut info,
        );
        assert_eq!((info, &a), (-8, &a0));

        let d0: Vec<f64> = (0..16).map(|i| (i % 5) as f64).collect();
        let (mut a, mut w, mut work, mut iwork) =
            (d0.clone(), vec![9.0; 4], vec![9.0; 100], vec![9; 100]);
        // n = 4 with vectors needs liwork ≥ 3 + 5n = 23.
        dsyevd_(
            &ch(b'V'),
            &ch(b'U'),
            &n,
            a.as_mut_ptr(),
            &n,
            w.as_mut_ptr(),
            work.as_mut_ptr(),
            &100,
            iwork.as_mut_ptr(),
            &22,
            &mut info,
        );
        assert_eq!(
            (info, &a, &w, work[0], iwork[0]),
            (-10, &d0, &vec![9.0; 4], 9.0, 9)
        );

        let (mut a, mut w, mut work, mut rwork, mut iwork) = (
            a0.clone(),
            vec![9.0; 4],
            vec![c64::new(9.0, 0.0); 100],
            vec![9.0; 100],
            vec![9; 100],
        );
        // lrwork ≥ 1 + 5n + 2n² = 53.
        zheevd_(
            &ch(b'V'),
            &ch(b'L'),
            &n,
            a.as_mut_ptr(),
            &n,
            w.as_mut_ptr(),
            work.as_mut_ptr(),
            &100,
            rwork.as_mut_ptr(),
            &52,
            iwork.as_mut_ptr(),
            &100,
            &mut info,
        );
        assert_eq!((info, &a, &w, rwork[0]), (-10, &a0, &vec![9.0; 4], 9.0));

        let (mut a, mut wr, mut wi, mut vr, mut work) = (
            d0.clone(),
            vec![9.0; 4],
            vec![9.0; 4],
            vec![9.0; 16],
            vec![9.0; 100],
        );
        dgeev_(
            &ch(b'N'),
            &ch(b'V'),
            &n,
            a.as_mut_ptr(),
            &n,
            wr.as_mut_ptr(),
            wi.as_mut_ptr(),
            vr.as_mut_ptr(),
            &1,
            vr.as_mut_ptr(),
            &3,
            work.as_mut_ptr(),
            &100,
            &mut info,
        );
        assert_eq!(
            (info, &a, &wr, &vr),
            (-11, &d0, &vec![9.0; 4], &vec![9.0; 16])
        );
        dgeev_(
            &ch(b'N'),
            &ch(b'V'),
            &n,
            a.as_mut_ptr(),
            &n,
            wr.as_mut_ptr(),
            wi.as_mut_ptr(),
            vr.as_mut_ptr(),
            &1,
            vr.as_mut_ptr(),
            &n,
            work.as_mut_ptr(),
            &15,
            &mut info,
        );
        assert_eq!((info, work[0]), (-13, 9.0));

        let (mut a, mut s, mut u, mut work) = (
            a0.clone(),
            vec![9.0; 4],
            vec![c64::new(9.0, 0.0); 16],
            vec![c64::new(9.0, 0.0); 100],
        );
        let mut rwork = vec![0.0; 200];
        let mut iwork = vec![0; 32];
        zgesdd_(
            &ch(b'A'),
            &n,
            &n,
            a.as_mut_ptr(),
            &n,
            s.as_mut_ptr(),
            u.as_mut_ptr(),
            &n,
            u.as_mut_ptr(),
            &n,
            work.as_mut_ptr(),
            &11,
            rwork.as_mut_ptr(),
            iwork.as_mut_ptr(),
            &mut info,
        );
        assert_eq!(
            (info, &a, &s, work[0]),
            (-12, &a0, &vec![9.0; 4], c64::new(9.0, 0.0))
        );

        let (mut a, mut b) = (a0.clone(), vec![c64::new(9.0, 0.0); 16]);
        let mut rank = -5;
        zgelsd_(
            &n,
            &n,
            &1,
            a.as_mut_ptr(),
            &n,
            b.as_mut_ptr(),
            &3,
            s.as_mut_ptr(),
            &-1.0,
            &mut rank,
            work.as_mut_ptr(),
            &100,
            rwork.as_mut_ptr(),
            iwork.as_mut_ptr(),
            &mut info,
        );
        assert_eq!((info, &a, rank, b[0]), (-7, &a0, -5, c64::new(9.0, 0.0)));
    }
}

/// `lwork = −1` answers with the reference minimums (found by calling Debian's reference
/// liblapack with every lwork) and computes nothing.
#[test]
fn workspace_queries_report_reference_sizes() {
    unsafe {
        let mut info = 1;
        let mut a = vec![c64::new(1.0, 0.0); 400];
        let (mut s, mut rwork, mut iwork) = (vec![0.0; 20], vec![0.0; 8], vec![0i32; 8]);
        let mut work = [c64::new(0.0, 0.0)];
        // (m, n) → ZGESDD's minimum for jobz N, O, S, A.
        for ((m, n), want) in [
            ((5, 5), [15, 40, 15, 15]),
            ((20, 5), [15, 65, 40, 50]),
            ((5, 20), [15, 65, 40, 50]),
            ((10, 6), [22, 58, 22, 22]),
            ((1, 1), [3, 5, 4, 4]),
        ] {
            for (job, want) in [b'N', b'O', b'S', b'A'].into_iter().zip(want) {
                let ldu = m.max(1);
                let ldvt = n.max(1);
                zgesdd_(
                    &ch(job),
                    &m,
                    &n,
                    a.as_mut_ptr(),
                    &m,
                    s.as_mut_ptr(),
                    a.as_mut_ptr(),
                    &ldu,
                    a.as_mut_ptr(),
                    &ldvt,
                    work.as_mut_ptr(),
                    &-1,
                    rwork.as_mut_ptr(),
                    iwork.as_mut_ptr(),
                    &mut info,
                );
                assert_eq!(
                    (info, work[0].re),
                    (0, want as f64),
                    "{} {m}x{n}",
                    job as char
                );
            }
        }
        assert!(
            a.iter().all(|&x| x == c64::new(1.0, 0.0)),
            "a query computes nothing"
        );
        let n = 10;
        let (mut d, mut w, mut dwork) = (vec![1.0; 100], vec![0.0; 10], [0.0]);
        dsyevd_(
            &ch(b'V'),
            &ch(b'L'),
            &n,
            d.as_mut_ptr(),
            &n,
            w.as_mut_ptr(),
            dwork.as_mut_ptr(),
            &-1,
            iwork.as_mut_ptr(),
            &-1,
            &mut info,
        );
        assert_eq!(
            (info, dwork[0], iwork[0]),
            (0, (1 + 6 * 10 + 2 * 100) as f64, 3 + 5 * 10)
        );
        zheevd_(
            &ch(b'N'),
            &ch(b'U'),
            &n,
            a.as_mut_ptr(),
            &n,
            w.as_mut_ptr(),
            work.as_mut_ptr(),
            &-1,
            rwork.as_mut_ptr(),
            &-1,
            iwork.as_mut_ptr(),
            &-1,
            &mut info,
        );
        assert_eq!((info, work[0].re, rwork[0], iwork[0]), (0, 11.0, 10.0, 1));
        dgeev_(
            &ch(b'V'),
            &ch(b'N'),
            &n,
            d.as_mut_ptr(),
            &n,
            w.as_mut_ptr(),
            w.as_mut_ptr(),
            d.as_mut_ptr(),
            &n,
            d.as_mut_ptr(),
            &1,
            dwork.as_mut_ptr(),
            &-1,
            &mut info,
        );
        assert_eq!((info, dwork[0]), (0, 40.0));
        let mut rank = 0;
        zgelsd_(
            &6,
            &4,
            &2,
            a.as_mut_ptr(),
            &6,
            a.as_mut_ptr(),
            &6,
            s.as_mut_ptr(),
            &-1.0,
            &mut rank,
            work.as_mut_ptr(),
            &-1,
            rwork.as_mut_ptr(),
            iwork.as_mut_ptr(),
            &mut info,
        );
        assert_eq!((info, work[0].re), (0, 16.0));
    }
}

/// The same bits for 1, 2 and 3 threads, for the routines that run on the pool.
#[test]
fn results_identical_for_every_thread_count() {
    let mut rng = Rng::new(9);
    let n = 300i32;
    let g = complex(&mut rng, (n * n) as usize);
    // A Hermitian positive definite matrix for potrf, G itself for the least squares.
    let mut h = vec![c64::new(0.0, 0.0); (n * n) as usize];
    for j in 0..n as usize {
        for i in 0..n as usize {
            let mut s = c64::new(if i == j { n as f64 } else { 0.0 }, 0.0);
            for k in 0..n as usize {
                s += g[i + k * n as usize] * g[j + k * n as usize].conj();
            }
            h[i + j * n as usize] = s;
        }
    }
    let b0 = complex(&mut rng, (n * 3) as usize);
    let run = |threads: i32| unsafe {
        oxblas_set_num_threads(threads);
        let (mut l, mut info) = (h.clone(), 0);
        zpotrf_(&ch(b'U'), &n, l.as_mut_ptr(), &n, &mut info);
        assert_eq!(info, 0);
        let (mut a, mut b, mut s, mut rank) = (g.clone(), b0.clone(), vec![0.0; n as usize], 0);
        let mut work = vec![c64::new(0.0, 0.0); 100_000];
        let (mut rwork, mut iwork) = (vec![0.0; 1_000_000], vec![0i32; 100_000]);
        zgelsd_(
            &n,
            &n,
            &3,
            a.as_mut_ptr(),
            &n,
            b.as_mut_ptr(),
            &n,
            s.as_mut_ptr(),
            &-1.0,
            &mut rank,
            work.as_mut_ptr(),
            &100_000,
            rwork.as_mut_ptr(),
            iwork.as_mut_ptr(),
            &mut info,
        );
        assert_eq!((info, rank), (0, n));
        (l, b, s)
    };
    let one = run(1);
    for t in [2, 3] {
        assert!(one == run(t), "{t} threads differ from 1");
    }
    unsafe { oxblas_set_num_threads(0) };
}
