//! Shared helpers for the integration tests: the exported C symbols, a small
//! deterministic RNG, and the naive reference product.
#![allow(dead_code)]

use oxblas as _; // links the library whose C symbols these tests call

/// Every exported symbol, declared from the same parse of `src/abi/` that generates
/// `include/oxblas.h` (build.rs): a test that calls one with the wrong types does not
/// compile.
pub mod abi {
    include!(concat!(env!("OUT_DIR"), "/abi_externs.rs"));
}
#[allow(unused_imports)]
pub use abi::*;

pub mod elem;
use std::sync::Mutex;

pub const ROW_MAJOR: i32 = 101;
pub const COL_MAJOR: i32 = 102;
pub const NO_TRANS: i32 = 111;
pub const TRANS: i32 = 112;
pub const CONJ_TRANS: i32 = 113;

/// Tests that change the process-wide thread count hold this lock.
pub static THREADS: Mutex<()> = Mutex::new(());

/// The teams a result must not depend on: thread counts, then workers that wake
/// 300 µs late to every job (so the caller claims most of the work, and a worker
/// joins midway).
pub const TEAMS: [TeamCase; 6] = [
    TeamCase::on_time(1),
    TeamCase::on_time(2),
    TeamCase::on_time(3),
    TeamCase::on_time(8),
    TeamCase::late(2, 300),
    TeamCase::late(8, 300),
];

#[derive(Clone, Copy, Debug)]
pub struct TeamCase {
    pub threads: i32,
    pub late_us: u64,
}

impl TeamCase {
    pub const fn on_time(threads: i32) -> TeamCase {
        TeamCase {
            threads,
            late_us: 0,
        }
    }
    pub const fn late(threads: i32, late_us: u64) -> TeamCase {
        TeamCase { threads, late_us }
    }
    /// Makes the calls that follow run on this team (hold [`THREADS`]).
    pub fn set(self) {
        unsafe { oxblas_set_num_threads(self.threads) };
        oxblas::runtime::pool::delay_workers(std::time::Duration::from_micros(self.late_us));
    }
    /// Back to the default thread count, workers on time.
    pub fn reset() {
        TeamCase::on_time(0).set()
    }
}

/// xorshift64*: deterministic, dependency-free test data in [-1, 1).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn vec(&mut self, len: usize) -> Vec<f64> {
        (0..len).map(|_| self.f64()).collect()
    }
}

/// Element (i, j) of a matrix stored with `ld` in the given layout.
pub fn at(v: &[f64], row_major: bool, ld: usize, i: usize, j: usize) -> f64 {
    if row_major {
        v[i * ld + j]
    } else {
        v[i + j * ld]
    }
}

/// op(X)(i, j) for a stored matrix X.
pub fn op_at(v: &[f64], row_major: bool, ld: usize, trans: bool, i: usize, j: usize) -> f64 {
    if trans {
        at(v, row_major, ld, j, i)
    } else {
        at(v, row_major, ld, i, j)
    }
}

/// Naive triple loop: returns (C, bound) where bound(i,j) = |alpha|·Σ|a||b| + |beta||c|,
/// the scale of the rounding error allowed at that element.
#[allow(clippy::too_many_arguments)]
pub fn reference_gemm(
    row_major: bool,
    ta: bool,
    tb: bool,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: &[f64],
    lda: usize,
    b: &[f64],
    ldb: usize,
    beta: f64,
    c: &[f64],
    ldc: usize,
) -> (Vec<f64>, Vec<f64>) {
    let mut out = c.to_vec();
    let mut bound = vec![0.0; c.len()];
    for i in 0..m {
        for j in 0..n {
            let mut s = 0.0f64;
            let mut sabs = 0.0f64;
            if alpha != 0.0 {
                for p in 0..k {
                    let x = op_at(a, row_major, lda, ta, i, p) * op_at(b, row_major, ldb, tb, p, j);
                    s += x;
                    sabs += x.abs();
                }
            }
            let idx = if row_major { i * ldc + j } else { i + j * ldc };
            let cv = c[idx];
            out[idx] = if beta == 0.0 {
                alpha * s
            } else {
                alpha * s + beta * cv
            };
            bound[idx] = alpha.abs() * sabs + if beta == 0.0 { 0.0 } else { (beta * cv).abs() };
        }
    }
    (out, bound)
}

/// Column-major matrix product of (m×k) and (k×n) into a fresh m×n vector.
pub fn matmul(
    m: usize,
    k: usize,
    n: usize,
    a: &[f64],
    lda: usize,
    b: &[f64],
    ldb: usize,
) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for j in 0..n {
        for p in 0..k {
            let bp = b[p + j * ldb];
            for i in 0..m {
                c[i + j * m] += a[i + p * lda] * bp;
            }
        }
    }
    c
}

/// Largest absolute column sum (the 1-norm) of an m×n column-major matrix.
pub fn norm1(m: usize, n: usize, a: &[f64], lda: usize) -> f64 {
    (0..n)
        .map(|j| (0..m).map(|i| a[i + j * lda].abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// A routine of reference LAPACK (Debian's liblapack3: Netlib code on reference BLAS),
/// loaded beside oxblas, as a raw symbol for the caller to type.
pub fn reference_lapack(symbol: &std::ffi::CStr) -> *mut libc::c_void {
    let path = format!(
        "/usr/lib/{}-linux-gnu/lapack/liblapack.so.3\0",
        std::env::consts::ARCH
    );
    unsafe {
        let h = libc::dlopen(path.as_ptr().cast(), libc::RTLD_NOW | libc::RTLD_LOCAL);
        assert!(
            !h.is_null(),
            "reference LAPACK not found at {path}: install liblapack3 (make deps)"
        );
        let f = libc::dlsym(h, symbol.as_ptr());
        assert!(!f.is_null(), "{symbol:?} missing from reference LAPACK");
        f
    }
}
