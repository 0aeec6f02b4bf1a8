//! Products of f32, c32 and c64 on the blocked driver: f32 on its own kernel, complex
//! types on AVX-512's complex kernels over their own interleaved layout, or elsewhere
//! through the 1m expansion onto the real kernel of their precision (both in
//! [`super::complex`]). Tiny products, and instruction sets without a kernel for the
//! type, stay on faer ([`super::any`]). Which path runs depends only on the shape and
//! the CPU, never on the thread count, and the driver's sums do not depend on it
//! either.

use super::complex::{ComplexA, ComplexB, InterleavedA, InterleavedB};
use super::driver::{self, Out, Strided};
use super::kernels::Lane;
use super::{any, conformable, scale, threads_for};
use crate::blas::Par;
use crate::scalar::Scalar;
use faer::{MatMut, MatRef};

/// Below this many multiply-adds faer's kernels beat this driver for f32.
/// Measured on Zen 4 (2 threads, GFLOP/s against OpenBLAS's): faer 1.09x / driver
/// 0.89x at 500², 1.13x / 0.98x at 1000²; at 2000² the driver leads (0.96x against
/// faer's 0.87x).
const SMALL_MNK: usize = 1400 * 1400 * 1400;

/// The same crossing for c32 on the interleaved kernel (2 threads, GFLOP/s, driver /
/// faer / OpenBLAS, medians of 5): 158 / 196 / 164 at 400², 193 / 195 / 187 at 500²,
/// 188 / 186 / 190 at 600², 200 / 185 / 180 at 700², 206 / 188 / 193 at 1000².
const SMALL_MNK_C32: usize = 600 * 600 * 600;

/// The same crossing for c64, which comes much earlier: faer splits C's columns and
/// each member packs all of A, which at 16 bytes an element costs more than the
/// driver's shared panel. Measured on the 1m path (2 threads, GFLOP/s, faer / driver /
/// OpenBLAS): 84 / 78 / 82 at 400², 88 / 95 / 91 at 500², 87 / 98 / 93 at 600², 87 /
/// 100 / 91 at 1000²; one thread is even (49 / 48 / 47 at 600²). The interleaved
/// kernel keeps it (81 / 94 / 83 at 500²; at 300² faer leads, 98 / 91 / 83).
const SMALL_MNK_C64: usize = 450 * 450 * 450;

/// `C := alpha·op(A)·op(B) + beta·C` (A, B already transposed as the call needs;
/// `conj_*` conjugates them too). alpha = 0 or k = 0 scales C alone, never reading
/// A or B; beta = 0 never reads C.
#[allow(clippy::too_many_arguments)]
pub fn gemm<T: Scalar>(
    par: Par<'_>,
    alpha: T,
    a: MatRef<'_, T>,
    conj_a: bool,
    b: MatRef<'_, T>,
    conj_b: bool,
    beta: T,
    c: MatMut<'_, T>,
) {
    let small_mnk = match (T::COMPLEX, size_of::<T::Re>() == size_of::<f64>()) {
        (false, _) => SMALL_MNK,
        (true, false) => SMALL_MNK_C32,
        (true, true) => SMALL_MNK_C64,
    };
    product(par, small_mnk, alpha, a, conj_a, b, conj_b, beta, c)
}

/// [`gemm`], with products of fewer than `small_mnk` multiply-adds left to faer.
#[allow(clippy::too_many_arguments)]
fn product<T: Scalar>(
    par: Par<'_>,
    small_mnk: usize,
    alpha: T,
    a: MatRef<'_, T>,
    conj_a: bool,
    b: MatRef<'_, T>,
    conj_b: bool,
    beta: T,
    c: MatMut<'_, T>,
) {
    let (m, n, k) = conformable(a, b, &c);
    let isa = <T::Re as Lane>::packed_isa(&par.isa);
    let small = m.saturating_mul(n).saturating_mul(k) < small_mnk.max(1);
    let Some(isa) = isa.filter(|_| !small && !alpha.is_zero()) else {
        return any::gemm(par, alpha, a, conj_a, b, conj_b, beta, c);
    };
    if c.row_stride() != 1 {
        if c.col_stride() == 1 {
            // Row-major C: Cᵀ = op(B)ᵀ·op(A)ᵀ is column-major.
            let ct = c.transpose_mut();
            return product(
                par,
                small_mnk,
                alpha,
                b.transpose(),
                conj_b,
                a.transpose(),
                conj_a,
                beta,
                ct,
            );
        }
        return any::gemm(par, alpha, a, conj_a, b, conj_b, beta, c);
    }
    let threads = threads_for(m, n, k, false, || par.threads);
    let launch = |t, member: &(dyn Fn(&crate::runtime::Team) + Sync)| (par.launch)(t, member);
    // Element strides of T; for complex T, Â and B̂ read them as complex strides.
    let (sa, sb) = (
        Strided::of(a).cast::<T::Re>(),
        Strided::of(b).cast::<T::Re>(),
    );
    if !T::COMPLEX {
        // T is T::Re: strides count the same elements.
        let product = driver::Product {
            isa,
            m,
            n,
            k,
            alpha: alpha.re(),
            a: sa,
            b: sb,
            beta: beta.re(),
            c: Out::of(c).cast(),
        };
        // The views guarantee every addressed element is valid; C is exclusively
        // borrowed and (per the BLAS contract) disjoint from A and B.
        return driver::run(&product, threads, launch);
    }
    // The kernel applies real alpha and beta only: alpha rides in B̂, and a beta other
    // than 0 or 1 scales C first.
    let mut c = c;
    let kernel_beta = if beta.is_zero() {
        <T::Re as Lane>::ZERO
    } else {
        if !beta.is_one() {
            scale(c.as_mut(), beta);
        }
        <T::Re as Lane>::ONE
    };
    // op(A) and alpha·op(B) as complex elements; the kernel's path decides the layout.
    let (a, b) = (
        ComplexA {
            ptr: sa.ptr,
            rs: sa.rs,
            cs: sa.cs,
            conj: conj_a,
        },
        ComplexB {
            ptr: sb.ptr,
            rs: sb.rs,
            cs: sb.cs,
            conj: conj_b,
            alpha: (alpha.re(), alpha.im()),
        },
    );
    if let Some(isa) = <T::Re as Lane>::complex_isa(&par.isa) {
        let product = driver::Product {
            isa,
            m: 2 * m,
            n: 2 * n,
            k,
            alpha: <T::Re as Lane>::ONE,
            a: InterleavedA(a),
            b: InterleavedB(b),
            beta: kernel_beta,
            // Half-column q of the real k×2n view is part q % 2 of complex column q / 2,
            // so one complex column stride spans two of them.
            c: Out {
                ld: c.col_stride() as usize,
                ..Out::of(c).cast()
            },
        };
        // As above; the interleaved views address exactly A's and B's elements.
        return driver::run(&product, threads, launch);
    }
    // Half the real product's depth: Â streams twice the bytes of a real A per flop
    // from L2 (measured at 2000² on Zen 4, c64 0.88x OpenBLAS at the full depth, 0.97x
    // at half; c128 0.97x and 0.98x). Even, so blocks hold whole complex elements (MR
    // and MC are even on every path).
    debug_assert!(isa.mr % 2 == 0 && isa.mc % 2 == 0);
    let isa = super::kernels::Isa {
        kc: ((isa.kc / 2) & !1).max(2),
        ..isa
    };
    let product = driver::Product {
        isa,
        m: 2 * m,
        n,
        k: 2 * k,
        alpha: <T::Re as Lane>::ONE,
        a,
        b,
        beta: kernel_beta,
        // Column-major complex C is the real 2m×n Ĉ with twice the leading dimension.
        c: Out {
            ld: 2 * c.col_stride() as usize,
            ..Out::of(c).cast()
        },
    };
    // As above; Â and B̂ address exactly A's and B's elements.
    driver::run(&product, threads, launch);
}

#[cfg(test)]
mod tests {
    //! Every path through the driver for f32, c32 and c64 (the real block sizes and
    //! tiny ones that run the multi-block loops) against a naive product in f64, and
    //! bit-identical for every thread count.

    use super::*;
    use crate::blas::gemm::kernels::{self, Isa};
    use crate::scalar::{Real, c32, c64};
    use faer::Mat;

    fn fill<T: Scalar>(rows: usize, cols: usize, seed: u64) -> Mat<T> {
        let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
        let mut next = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        Mat::from_fn(rows, cols, |_, _| {
            let (re, im) = (next(), next());
            T::from_parts(T::Re::from_f64(re), T::Re::from_f64(im))
        })
    }

    fn wide<T: Scalar>(x: T) -> c64 {
        c64::new(x.re().to_f64(), x.im().to_f64())
    }

    #[allow(clippy::too_many_arguments)]
    fn check<T: Scalar>(
        isa: &Isa,
        m: usize,
        n: usize,
        k: usize,
        ta: bool,
        conj: bool,
        beta: T,
        threads: usize,
    ) -> Mat<T> {
        let a_st = if ta {
            fill::<T>(k, m, 1)
        } else {
            fill::<T>(m, k, 1)
        };
        let b_st = fill::<T>(k, n, 2);
        let a = if ta { a_st.transpose() } else { a_st.as_ref() };
        let c0 = fill::<T>(m, n, 3);
        let mut c = c0.clone();
        let alpha = T::from_parts(T::Re::from_f64(0.75), T::Re::from_f64(-0.5));
        let par = Par {
            isa: *isa,
            threads,
            launch: &crate::runtime::launch,
        };
        // Every size on the driver (the faer cutoff would take these small ones).
        product(
            par,
            0,
            alpha,
            a,
            conj,
            b_st.as_ref(),
            false,
            beta,
            c.as_mut(),
        );
        let eps = T::Re::EPS.to_f64();
        for j in 0..n {
            for i in 0..m {
                let (mut s, mut bound) = (c64::new(0.0, 0.0), 0.0);
                for p in 0..k {
                    let x = if conj {
                        wide(a[(i, p)]).conj()
                    } else {
                        wide(a[(i, p)])
                    };
                    let t = x * wide(b_st[(p, j)]);
                    s += t;
                    bound += t.norm();
                }
                let want = wide(alpha) * s + wide(beta) * wide(c0[(i, j)]);
                let tol = 8.0 * (k as f64 + 2.0) * eps * (bound + wide(c0[(i, j)]).norm() * 2.0);
                let got = wide(c[(i, j)]);
                assert!(
                    (got - want).norm() <= tol,
                    "{} {} kc={} {m}x{n}x{k} ta={ta} conj={conj} threads={threads} at ({i},{j}): {got} vs {want}",
                    T::LETTER,
                    isa.name,
                    isa.kc
                );
            }
        }
        c
    }

    fn every_path<T: Scalar>() {
        for isa in kernels::test_paths() {
            // Past the small-product cutoff, with edges in every dimension.
            for &(m, n, k) in &[(61, 47, 50), (100, 37, 41)] {
                for (ta, conj) in [(false, false), (true, false), (true, true), (false, true)] {
                    let conj = conj && T::COMPLEX;
                    let mut results = Vec::new();
                    for threads in [1, 2, 3] {
                        results.push(check::<T>(&isa, m, n, k, ta, conj, T::zero(), threads));
                        let beta = T::from_parts(T::Re::from_f64(-1.5), T::Re::from_f64(0.25));
                        check::<T>(&isa, m, n, k, ta, conj, beta, threads);
                    }
                    for r in &results[1..] {
                        assert!(
                            r == &results[0],
                            "{} {} depends on the thread count",
                            T::LETTER,
                            isa.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn f32_c32_c64_match_the_naive_product_on_every_path() {
        every_path::<f32>();
        every_path::<c32>();
        every_path::<c64>();
    }
}
