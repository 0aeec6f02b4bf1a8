//! General matrix multiply: `C := alpha·op(A)·op(B) + beta·C`.
//!
//! Validation follows reference DGEMM exactly (positions in Fortran numbering); the
//! product runs on our blocked driver ([`driver`]) around a microkernel picked at run
//! time ([`kernels`]: AVX-512, AVX2+FMA, portable).

pub mod any;
pub mod complex;
pub mod driver;
pub mod kernels;
pub mod typed;

use super::{Par, Trans};
use crate::runtime::Team;
use crate::scalar::{Scalar, beta_times};
use driver::{Out, Strided};
use faer::{MatMut, MatRef};

/// The scalar arguments of a Fortran-numbered DGEMM call, as the caller passed them.
#[derive(Clone, Copy, Debug)]
pub struct GemmArgs {
    pub transa: u8,
    pub transb: u8,
    pub m: i64,
    pub n: i64,
    pub k: i64,
    pub lda: i64,
    pub ldb: i64,
    pub ldc: i64,
}

/// A DGEMM call whose arguments passed the reference checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GemmShape {
    pub transa: Trans,
    pub transb: Trans,
    /// The operand is conjugated as well ('C'; it changes nothing for real types).
    pub conja: bool,
    pub conjb: bool,
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub lda: usize,
    pub ldb: usize,
    pub ldc: usize,
}

impl GemmShape {
    /// Stored dimensions of A: `m × k` or, transposed, `k × m`.
    pub fn a_dims(&self) -> (usize, usize) {
        match self.transa {
            Trans::No => (self.m, self.k),
            Trans::Yes => (self.k, self.m),
        }
    }

    /// Stored dimensions of B: `k × n` or, transposed, `n × k`.
    pub fn b_dims(&self) -> (usize, usize) {
        match self.transb {
            Trans::No => (self.k, self.n),
            Trans::Yes => (self.n, self.k),
        }
    }

    pub fn flops(&self) -> f64 {
        2.0 * self.m as f64 * self.n as f64 * self.k as f64
    }
}

/// Reference DGEMM argument checks, in reference order. `Err(i)` is the position of the
/// first illegal argument in Fortran numbering (transa 1, transb 2, m 3, n 4, k 5,
/// lda 8, ldb 10, ldc 13).
#[inline]
pub fn validate(args: GemmArgs) -> Result<GemmShape, i64> {
    let transa = Trans::from_fortran(args.transa).ok_or(1)?;
    let transb = Trans::from_fortran(args.transb).ok_or(2)?;
    let nrowa = if transa == Trans::No { args.m } else { args.k };
    let nrowb = if transb == Trans::No { args.k } else { args.n };
    if args.m < 0 {
        return Err(3);
    }
    if args.n < 0 {
        return Err(4);
    }
    if args.k < 0 {
        return Err(5);
    }
    if args.lda < nrowa.max(1) {
        return Err(8);
    }
    if args.ldb < nrowb.max(1) {
        return Err(10);
    }
    if args.ldc < args.m.max(1) {
        return Err(13);
    }
    Ok(GemmShape {
        transa,
        transb,
        conja: args.transa.eq_ignore_ascii_case(&b'C'),
        conjb: args.transb.eq_ignore_ascii_case(&b'C'),
        m: args.m as usize,
        n: args.n as usize,
        k: args.k as usize,
        lda: args.lda as usize,
        ldb: args.ldb as usize,
        ldc: args.ldc as usize,
    })
}

/// Reference quick return: nothing to compute and C stays as it is.
pub fn is_noop<T: Scalar>(shape: &GemmShape, alpha: T, beta: T) -> bool {
    shape.m == 0 || shape.n == 0 || ((alpha.is_zero() || shape.k == 0) && beta.is_one())
}

/// Below this many multiply-adds a packed product runs on the caller's thread: its
/// team meets at barriers around every shared panel, which costs more than it saves
/// (measured: 2 threads are slower than 1 up to ~128³).
pub const SERIAL_MNK: usize = 96 * 96 * 96;

/// Below this many multiply-adds an unpacked product runs on the caller's thread. Its
/// members only split the columns and never meet, so sharing pays from here (measured
/// on Zen 5: 2 threads break even at 40³, and are 1.35x at 48³, 1.6x at 64³).
pub const SERIAL_UNPACKED_MNK: usize = 48 * 48 * 48;

/// Up to this many multiply-adds, a product with column-major A skips packing: copying
/// the operands would cost more than it saves (measured on Zen 5: the unpacked kernel
/// is 1.1x the packed path at 256³ on one thread and 1.25x on two, even at 320³).
pub const DIRECT_MNK: usize = 320 * 320 * 320;

/// ... and has at most this many rows: a KC-deep block of A read in place, 320×384,
/// must stay in L2 while every column tile of B passes over it.
pub const DIRECT_ROWS: usize = 320;

/// Whether a product runs on the unpacked kernel: small, A with unit row stride, and a
/// path that has one.
#[inline(always)]
pub fn is_unpacked(isa: &kernels::Isa, a_unit_rows: bool, m: usize, n: usize, k: usize) -> bool {
    isa.direct.is_some()
        && a_unit_rows
        && m <= DIRECT_ROWS
        && m.saturating_mul(n).saturating_mul(k) <= DIRECT_MNK
}

/// How many threads a product of this shape should use out of `budget`.
///
/// Vector-shaped products (m = 1 or n = 1) stay serial: they are memory-bound, and
/// faer's parallel matrix·vector kernel splits the k-reduction across threads, which
/// would make the result depend on the thread count.
/// `budget` is only asked for when the product is large enough to share.
#[inline(always)]
pub fn threads_for(
    m: usize,
    n: usize,
    k: usize,
    unpacked: bool,
    budget: impl FnOnce() -> usize,
) -> usize {
    let serial = if unpacked {
        SERIAL_UNPACKED_MNK
    } else {
        SERIAL_MNK
    };
    if m <= 1 || n <= 1 || m.saturating_mul(n).saturating_mul(k) < serial {
        return 1;
    }
    budget().max(1)
}

/// `C := beta·C`, where beta = 0 writes zeros without reading C (NaN in C must not
/// survive) and beta = 1 leaves C untouched.
pub fn scale<T: Scalar>(mut c: MatMut<'_, T>, beta: T) {
    if beta.is_one() {
        return;
    }
    for j in 0..c.ncols() {
        for x in c.as_mut().col_mut(j).iter_mut() {
            *x = beta_times(beta, *x);
        }
    }
}

/// A serial product small enough for the unpacked kernel (column-major A and C, any
/// strides for B), computed in place: `false` when this path does not apply and
/// nothing was done. Called straight from the ABI for tiny products, where building
/// views and a team costs as much as the product.
///
/// Same KC blocks, and per element the same sequence of operations, as the packed path:
/// which path runs never changes a result's bits.
///
/// # Safety
/// `a` addresses an m×k matrix with unit row stride, `b` a k×n one, `c` an m×n
/// column-major block with leading dimension `ldc`, writable and disjoint from A and B;
/// m, n, k > 0; beta = 0 never reads C.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub unsafe fn try_direct(
    isa: &kernels::Isa,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    a: Strided,
    b: Strided,
    beta: f64,
    c: *mut f64,
    ldc: usize,
) -> bool {
    let Some(direct) = isa.direct else {
        return false;
    };
    if !is_unpacked(isa, a.rs == 1, m, n, k) {
        return false;
    }
    let lda = a.cs as usize;
    // A while loop, not `step_by`: this path is measured in nanoseconds.
    let mut pc = 0;
    while pc < k {
        let kb = isa.kc.min(k - pc);
        let beta = if pc == 0 { beta } else { 1.0 };
        let (ap, bp) = (
            a.ptr.wrapping_add(pc * lda),
            b.ptr.wrapping_offset(pc as isize * b.rs),
        );
        // SAFETY: block pc of A's columns and B's rows, per the caller's contract; the
        // direct kernel reads A in place (unit row stride) and op(B) through its strides.
        unsafe { direct(m, n, kb, alpha, ap, lda, bp, b.rs, b.cs, beta, c, ldc) };
        pc += kb;
    }
    true
}

/// The product's (m, n, k), after checking that A (m×k), B (k×n) and C (m×n) agree.
pub fn conformable<T>(
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    c: &MatMut<'_, T>,
) -> (usize, usize, usize) {
    assert_eq!(a.nrows(), c.nrows(), "gemm: rows of A and C differ");
    assert_eq!(b.ncols(), c.ncols(), "gemm: columns of B and C differ");
    assert_eq!(a.ncols(), b.nrows(), "gemm: inner dimensions differ");
    (c.nrows(), c.ncols(), a.ncols())
}

/// `C := alpha·A·B + beta·C` on views (A and B already carry their transposition),
/// with `par`'s microkernel path and, for products large enough to share, its threads.
///
/// alpha = 0 or an empty k never reads A or B; beta = 0 never reads C.
pub fn gemm(
    par: Par<'_>,
    alpha: f64,
    a: MatRef<'_, f64>,
    b: MatRef<'_, f64>,
    beta: f64,
    c: MatMut<'_, f64>,
) {
    let (m, n, k) = conformable(a, b, &c);
    if m == 0 || n == 0 {
        return;
    }
    if alpha == 0.0 || k == 0 {
        scale(c, beta);
        return;
    }
    if c.row_stride() != 1 {
        if c.col_stride() == 1 {
            // Row-major C: compute Cᵀ = Bᵀ·Aᵀ, which is column-major.
            return gemm(
                par,
                alpha,
                b.transpose(),
                a.transpose(),
                beta,
                c.transpose_mut(),
            );
        }
        // Neither layout: compute into a column-major copy.
        let mut tmp = faer::Mat::<f64>::zeros(m, n);
        if beta != 0.0 {
            tmp.copy_from(c.as_ref());
        }
        gemm(par, alpha, a, b, beta, tmp.as_mut());
        let mut c = c;
        c.copy_from(tmp.as_ref());
        return;
    }
    let isa = &par.isa;
    let unpacked = is_unpacked(isa, a.row_stride() == 1, m, n, k);
    let threads = threads_for(m, n, k, unpacked, || par.threads);
    let (a, b, c) = (Strided::of(a), Strided::of(b), Out::of(c));
    if unpacked {
        // Small enough to skip packing: each member takes whole register tiles of
        // columns and runs the unpacked kernel on them (no shared buffers, no
        // barriers). Every element's sum is the serial one, whatever the split.
        let tiles = n.div_ceil(isa.nr);
        let threads = threads.min(tiles);
        (par.launch)(threads, &|team: &Team| {
            let (id, size) = (team.id(), team.size());
            let cols =
                (tiles * id / size * isa.nr).min(n)..(tiles * (id + 1) / size * isa.nr).min(n);
            if cols.is_empty() {
                return;
            }
            // SAFETY: the views guarantee every addressed element is valid; members
            // write disjoint column ranges of C, which is exclusively borrowed.
            let done = unsafe {
                try_direct(
                    isa,
                    m,
                    cols.len(),
                    k,
                    alpha,
                    a,
                    b.at(0, cols.start),
                    beta,
                    c.at(0, cols.start).ptr,
                    c.ld,
                )
            };
            debug_assert!(done, "the direct path was checked to apply");
        });
        return;
    }
    let product = driver::Product {
        isa: *isa,
        m,
        n,
        k,
        alpha,
        a,
        b,
        beta,
        c,
    };
    // The views guarantee every addressed element is valid; C is exclusively borrowed
    // and (per the BLAS contract) disjoint from A and B.
    driver::run(&product, threads, |t, member| (par.launch)(t, member));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> GemmArgs {
        GemmArgs {
            transa: b'N',
            transb: b'N',
            m: 2,
            n: 3,
            k: 4,
            lda: 2,
            ldb: 4,
            ldc: 2,
        }
    }

    #[test]
    fn reference_positions_in_reference_order() {
        assert!(validate(args()).is_ok());
        type Mutation = fn(&mut GemmArgs);
        let cases: [(Mutation, i64); 10] = [
            (|a| a.transa = b'X', 1),
            (|a| a.transb = b'?', 2),
            (|a| a.m = -1, 3),
            (|a| a.n = -1, 4),
            (|a| a.k = -1, 5),
            (|a| a.lda = 1, 8),
            (|a| a.ldb = 3, 10),
            (|a| a.ldc = 1, 13),
            // lowest position wins when several are bad
            (
                |a| {
                    a.m = -1;
                    a.ldc = 0
                },
                3,
            ),
            (
                |a| {
                    a.transa = b'T';
                    a.lda = 3; // nrowa = k = 4
                },
                8,
            ),
        ];
        for (mutate, want) in cases {
            let mut a = args();
            mutate(&mut a);
            assert_eq!(validate(a).err(), Some(want), "{a:?}");
        }
    }

    #[test]
    fn trans_characters_are_case_insensitive() {
        for (c, want) in [
            (b'n', Trans::No),
            (b't', Trans::Yes),
            (b'c', Trans::Yes),
            (b'C', Trans::Yes),
        ] {
            assert_eq!(Trans::from_fortran(c), Some(want));
        }
        assert_eq!(Trans::from_fortran(b'x'), None);
    }

    #[test]
    fn ld_minimum_is_one_for_empty_matrices() {
        let a = GemmArgs {
            m: 0,
            n: 0,
            k: 0,
            lda: 0,
            ldb: 1,
            ldc: 1,
            ..args()
        };
        assert_eq!(validate(a).err(), Some(8));
        let a = GemmArgs {
            m: 0,
            n: 0,
            k: 0,
            lda: 1,
            ldb: 1,
            ldc: 1,
            ..args()
        };
        assert!(validate(a).is_ok());
    }

    #[test]
    fn serial_below_threshold_and_for_vector_shapes() {
        for unpacked in [false, true] {
            assert_eq!(threads_for(8, 8, 8, unpacked, || 4), 1);
            assert_eq!(threads_for(1000, 1, 1000, unpacked, || 4), 1);
            assert_eq!(threads_for(1000, 1000, 1000, unpacked, || 4), 4);
            assert_eq!(threads_for(1000, 1000, 1000, unpacked, || 1), 1);
        }
        // Unpacked products share from a smaller size than packed ones.
        assert_eq!(threads_for(64, 64, 64, true, || 2), 2);
        assert_eq!(threads_for(64, 64, 64, false, || 2), 1);
    }
}

#[cfg(test)]
mod kernel_tests {
    //! Every microkernel path this CPU supports, through the blocked driver, against a
    //! naive product — with the real block sizes and with tiny ones, so the multi-block
    //! loops (several KC, MC and NC blocks) run on small inputs.

    use super::kernels::Isa;
    use super::*;
    use faer::Mat;

    fn paths() -> Vec<Isa> {
        kernels::test_paths()
    }

    fn fill(rows: usize, cols: usize, seed: u64) -> Mat<f64> {
        let mut s = seed.wrapping_mul(0x9E3779B97F4A7C15) | 1;
        Mat::from_fn(rows, cols, |_, _| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        isa: &Isa,
        m: usize,
        n: usize,
        k: usize,
        ta: bool,
        tb: bool,
        beta: f64,
        threads: usize,
    ) {
        let a_st = if ta { fill(k, m, 1) } else { fill(m, k, 1) };
        let b_st = if tb { fill(n, k, 2) } else { fill(k, n, 2) };
        let a = if ta { a_st.transpose() } else { a_st.as_ref() };
        let b = if tb { b_st.transpose() } else { b_st.as_ref() };
        let c0 = fill(m, n, 3);
        let mut c = c0.clone();
        let alpha = 0.75;
        let par = Par {
            isa: *isa,
            threads,
            launch: &crate::runtime::launch,
        };
        gemm(par, alpha, a, b, beta, c.as_mut());
        for j in 0..n {
            for i in 0..m {
                let (mut s, mut bound) = (0.0, 0.0);
                for p in 0..k {
                    s += a[(i, p)] * b[(p, j)];
                    bound += (a[(i, p)] * b[(p, j)]).abs();
                }
                let want = alpha * s + beta * c0[(i, j)];
                let tol = 4.0
                    * (k as f64 + 2.0)
                    * f64::EPSILON
                    * (alpha * bound + (beta * c0[(i, j)]).abs());
                assert!(
                    (c[(i, j)] - want).abs() <= tol,
                    "{} kc={} {m}x{n}x{k} ta={ta} tb={tb} beta={beta} threads={threads} at ({i},{j}): {} vs {want}",
                    isa.name,
                    isa.kc,
                    c[(i, j)]
                );
            }
        }
    }

    #[test]
    fn every_path_matches_the_naive_product() {
        for isa in paths() {
            for &(m, n, k) in &[
                (1, 1, 1),
                (5, 3, 7),
                (24, 8, 16),
                (25, 9, 17),
                (47, 33, 29),
                (97, 61, 40),
            ] {
                for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                    for threads in [1, 3] {
                        check(&isa, m, n, k, ta, tb, 0.0, threads);
                        check(&isa, m, n, k, ta, tb, -1.5, threads);
                    }
                }
            }
        }
    }

    #[test]
    fn direct_and_packed_paths_agree_bit_for_bit() {
        let isa = kernels::select(None);
        if isa.direct.is_none() {
            return;
        }
        let packed = Isa {
            direct: None,
            ..isa
        };
        // k beyond one KC block, edges in m and n, beta 0 and not.
        for &(m, n, k, beta) in &[
            (7usize, 5usize, 3usize, 0.0),
            (33, 17, 500, 0.5),
            (50, 9, 800, 0.0),
            (24, 8, 384, -1.0),
        ] {
            let a = fill(m, k, 9);
            let b = fill(k, n, 10);
            let c0 = fill(m, n, 11);
            let (mut c1, mut c2) = (c0.clone(), c0.clone());
            gemm(
                Par::seq(isa),
                0.5,
                a.as_ref(),
                b.as_ref(),
                beta,
                c1.as_mut(),
            );
            gemm(
                Par::seq(packed),
                0.5,
                a.as_ref(),
                b.as_ref(),
                beta,
                c2.as_mut(),
            );
            assert!(c1 == c2, "{m}x{n}x{k}: direct and packed paths differ");
        }
    }

    #[test]
    fn every_path_is_bitwise_identical_across_thread_counts() {
        for isa in paths() {
            let (m, n, k) = (131, 77, 150);
            let a = fill(m, k, 4);
            let b = fill(k, n, 5);
            let mut results = Vec::new();
            for threads in [1, 2, 3, 8] {
                let mut c = fill(m, n, 6);
                let par = Par {
                    isa,
                    threads,
                    launch: &crate::runtime::launch,
                };
                gemm(par, 1.25, a.as_ref(), b.as_ref(), 0.5, c.as_mut());
                results.push(c);
            }
            for r in &results[1..] {
                assert!(
                    r == &results[0],
                    "{} (kc={}) depends on the thread count",
                    isa.name,
                    isa.kc
                );
            }
        }
    }
}
