//! General matrix multiply: `C := alpha·op(A)·op(B) + beta·C`.
//!
//! Validation follows reference ?GEMM exactly (positions in Fortran numbering). One
//! entry, [`gemm`], serves every element type and every caller; from the shape and the
//! architecture table it picks one of
//! - the small kernel, reading A and B in place (f64, tiny products);
//! - the blocked driver ([`driver`]) around the table's microkernel ([`kernels`]), for
//!   real products, and for complex ones on an interleaved complex kernel or through
//!   the 1m expansion ([`complex`]);
//! - faer's kernels ([`any`]) for products below the driver's crossing, and for types
//!   a table has no kernel for.

pub mod any;
pub mod complex;
pub mod driver;
pub mod kernels;

use super::{Par, Ran, Trans};
use crate::arch::ComplexPath;
use crate::runtime::{Team, share};
use crate::scalar::{Real, Scalar, beta_times};
use driver::{Out, Strided};
use faer::{MatMut, MatRef};
use kernels::{Isa, SmallFn};

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

/// The product's tunables, as data (faer's `Params::auto()`): tests shrink them to
/// reach every path on small inputs. Each is a crossing measured with
/// `bench/dgemm.py` (f64) and `bench/typed_gemm.py` (S, C, Z) on 2 threads; re-measure
/// there when a kernel or the hardware changes.
#[derive(Clone, Copy, Debug)]
pub struct GemmParams {
    /// Below this many multiply-adds a packed product runs on the caller's thread: its
    /// team meets at barriers around every shared panel, which costs more than it
    /// saves for small products.
    pub serial_mnk: usize,
    /// The same for the small kernel, whose members only split the columns and never
    /// meet, so sharing pays from a smaller size.
    pub serial_small_mnk: usize,
    /// Up to this many multiply-adds a product with column-major A skips packing
    /// (where its table has a small kernel): copying the operands costs more than it
    /// saves.
    pub small_mnk: usize,
    /// ... and has at most this many rows: a KC-deep block of A read in place must stay
    /// in L2 while every column tile of B passes over it.
    pub small_rows: usize,
    /// Below this many multiply-adds faer's kernels beat the driver, per type (S, D, C,
    /// Z). For c64 the crossing is early: faer splits C's columns and each member
    /// packs all of A, which at 16 bytes an element costs more than the shared panel.
    pub faer_below: [usize; 4],
}

impl GemmParams {
    pub const fn auto() -> GemmParams {
        GemmParams {
            serial_mnk: 96 * 96 * 96,
            serial_small_mnk: 48 * 48 * 48,
            small_mnk: 320 * 320 * 320,
            small_rows: 320,
            faer_below: [1400 * 1400 * 1400, 0, 600 * 600 * 600, 450 * 450 * 450],
        }
    }

    /// Whether a product runs on the small kernel: small, A with unit row stride, and a
    /// table that has one. A C of one column runs there at any size: only one column
    /// tile passes over A, so A is read once whatever its size, where packing it would
    /// copy it first (ScaLAPACK's and LAPACK's solves with one right-hand side call
    /// dgemm so: m = 3744, n = 1, k = 64 took 127 µs packed, Debian's OpenBLAS 31 µs).
    /// The two paths give the same bits, so a column alone gets those it gets among
    /// others.
    #[inline(always)]
    fn small<R>(
        &self,
        isa: &Isa<R>,
        a_unit_rows: bool,
        (m, n): (usize, usize),
        mnk: usize,
    ) -> bool {
        isa.small.is_some()
            && a_unit_rows
            && (n == 1 || (m <= self.small_rows && mnk <= self.small_mnk))
    }

    /// How many of `budget` threads a product of this shape uses. Vector-shaped
    /// products (m = 1 or n = 1) stay serial: they are memory-bound.
    #[inline(always)]
    fn threads(&self, m: usize, n: usize, mnk: usize, small: bool, budget: usize) -> usize {
        let serial = if small {
            self.serial_small_mnk
        } else {
            self.serial_mnk
        };
        if m <= 1 || n <= 1 || mnk < serial {
            return 1;
        }
        budget.max(1)
    }
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

/// One product's operands: `C := alpha·op(A)·op(B) + beta·C`, A and B already
/// carrying their transposition, `conj_*` conjugating them as well (which means
/// nothing for real types).
pub struct Operands<'a, T> {
    pub alpha: T,
    pub a: MatRef<'a, T>,
    pub conj_a: bool,
    pub b: MatRef<'a, T>,
    pub conj_b: bool,
    pub beta: T,
    pub c: MatMut<'a, T>,
}

impl<'a, T> Operands<'a, T> {
    /// (m, n, k), after checking that A (m×k), B (k×n) and C (m×n) agree.
    #[inline(always)]
    pub fn shape(&self) -> (usize, usize, usize) {
        assert_eq!(
            self.a.nrows(),
            self.c.nrows(),
            "gemm: rows of A and C differ"
        );
        assert_eq!(
            self.b.ncols(),
            self.c.ncols(),
            "gemm: columns of B and C differ"
        );
        assert_eq!(
            self.a.ncols(),
            self.b.nrows(),
            "gemm: inner dimensions differ"
        );
        (self.c.nrows(), self.c.ncols(), self.a.ncols())
    }

    /// The same product on the transposes, Cᵀ = op(B)ᵀ·op(A)ᵀ: a row-major C is a
    /// column-major Cᵀ.
    fn transposed(self) -> Operands<'a, T> {
        Operands {
            a: self.b.transpose(),
            conj_a: self.conj_b,
            b: self.a.transpose(),
            conj_b: self.conj_a,
            c: self.c.transpose_mut(),
            ..self
        }
    }
}

/// `C := alpha·op(A)·op(B) + beta·C` for every element type, on views (A and B already
/// carry their transposition; `conj_*` conjugates the operand as well, and means
/// nothing for real types). alpha = 0 or k = 0 never reads A or B; beta = 0 never
/// reads C.
///
/// The one entry for every product, from the ABI and from LAPACK alike: it chooses the
/// path from `par`'s table and the shape, and how many of `par`'s threads to use.
/// Which path runs depends only on the shape and the table, never on the thread
/// count, and no path's sums depend on it.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn gemm<T: Scalar>(
    par: Par<'_>,
    alpha: T,
    a: MatRef<'_, T>,
    conj_a: bool,
    b: MatRef<'_, T>,
    conj_b: bool,
    beta: T,
    c: MatMut<'_, T>,
) -> Ran {
    const AUTO: GemmParams = GemmParams::auto();
    let ops = Operands {
        alpha,
        a,
        conj_a,
        b,
        conj_b,
        beta,
        c,
    };
    gemm_with(&AUTO, par, ops)
}

/// [`gemm`] with explicit tunables.
#[inline(always)]
pub fn gemm_with<T: Scalar>(params: &GemmParams, par: Par<'_>, ops: Operands<'_, T>) -> Ran {
    let (m, n, k) = ops.shape();
    if m == 0 || n == 0 {
        return Ran {
            threads: 1,
            path: "none",
        };
    }
    if ops.alpha.is_zero() || k == 0 {
        scale(ops.c, ops.beta);
        return Ran {
            threads: 1,
            path: "scale",
        };
    }
    let paths = T::Re::of(&par.arch.gemm);
    let mnk = m.saturating_mul(n).saturating_mul(k);
    // The small kernel (f64 only): tiny products go straight to it, before anything
    // else is looked at, since for them a team or a layout change costs as much as
    // the arithmetic.
    if !T::COMPLEX
        && size_of::<T>() == size_of::<f64>()
        && let Some(isa) = &paths.real
        && ops.c.row_stride() == 1
        && params.small(isa, ops.a.row_stride() == 1, (m, n), mnk)
    {
        let threads = params.threads(m, n, mnk, true, par.threads);
        // T is f64 here (real, eight bytes).
        let Operands {
            alpha,
            a,
            b,
            beta,
            c,
            ..
        } = ops;
        let (a, b, c) = (
            Strided::of(a).cast(),
            Strided::of(b).cast(),
            Out::of(c).cast(),
        );
        let (alpha, beta) = (alpha.re().to_f64(), beta.re().to_f64());
        small(isa, threads, par, (m, n, k), alpha, a, b, beta, c);
        return Ran {
            threads,
            path: "small",
        };
    }
    packed_or_faer(params, par, ops)
}

/// A real product with a symmetric operand `a` (square, unit row stride) read from its
/// `upper` or lower triangle ([`driver::Mirrored`]) on the side `left` says, on the
/// blocked driver; `None` for complex types, where the table has no real kernel, or
/// where faer's kernels would take the product (the caller then forms the operand
/// densely). C column-major.
#[allow(clippy::too_many_arguments)]
pub fn symmetric_operand<T: Scalar>(
    par: Par<'_>,
    left: bool,
    upper: bool,
    alpha: T,
    a: MatRef<'_, T>,
    other: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
) -> Option<Ran> {
    const AUTO: GemmParams = GemmParams::auto();
    let (m, n) = (c.nrows(), c.ncols());
    let k = a.nrows();
    let mnk = m.saturating_mul(n).saturating_mul(k);
    if T::COMPLEX
        || a.row_stride() != 1
        || c.row_stride() != 1
        || mnk == 0
        || mnk < T::pick(AUTO.faer_below)
    {
        return None;
    }
    let isa = *T::Re::of(&par.arch.gemm).real.as_ref()?;
    let threads = AUTO.threads(m, n, mnk, false, par.threads);
    // T is T::Re (real): the pointers are its own.
    let sym = driver::Mirrored {
        base: a.as_ptr().cast::<T::Re>(),
        ld: a.col_stride() as usize,
        upper,
        row: 0,
        col: 0,
    };
    let (other, out) = (Strided::of(other).cast(), Out::of(c).cast());
    let (alpha, beta) = (alpha.re(), beta.re());
    if left {
        let product = driver::Product {
            isa,
            m,
            n,
            k,
            alpha,
            a: sym,
            b: other,
            beta,
            c: out,
        };
        driver::run(&product, threads, par.launch);
    } else {
        let product = driver::Product {
            isa,
            m,
            n,
            k,
            alpha,
            a: other,
            b: sym,
            beta,
            c: out,
        };
        driver::run(&product, threads, par.launch);
    }
    Some(Ran {
        threads,
        path: "packed-symmetric",
    })
}

/// The products past the small kernel: the blocked driver on the table's kernel for
/// the type, or faer below the driver's crossing. Any layout of C; m, n, k > 0 and
/// alpha ≠ 0. (Kept out of line: the small path above must inline into the export.)
fn packed_or_faer<T: Scalar>(params: &GemmParams, par: Par<'_>, ops: Operands<'_, T>) -> Ran {
    let (m, n, k) = ops.shape();
    if ops.c.row_stride() != 1 {
        if ops.c.col_stride() == 1 {
            return gemm_with(params, par, ops.transposed());
        }
        // Neither layout: compute into a column-major copy.
        let mut tmp = faer::Mat::<T>::zeros(m, n);
        if !ops.beta.is_zero() {
            tmp.copy_from(ops.c.as_ref());
        }
        let mut c = ops.c;
        let ran = packed_or_faer(
            params,
            par,
            Operands {
                c: tmp.as_mut(),
                ..ops
            },
        );
        c.copy_from(tmp.as_ref());
        return ran;
    }
    let paths = T::Re::of(&par.arch.gemm);
    let mnk = m.saturating_mul(n).saturating_mul(k);
    let faer = mnk < T::pick(params.faer_below);
    let threads = params.threads(m, n, mnk, false, par.threads);
    let path = match (T::COMPLEX, paths.real, paths.complex) {
        (false, Some(isa), _) if !faer => {
            let product = driver::Product {
                isa,
                m,
                n,
                k,
                alpha: ops.alpha.re(),
                a: Strided::of(ops.a).cast(),
                b: Strided::of(ops.b).cast(),
                beta: ops.beta.re(),
                c: Out::of(ops.c).cast(),
            };
            // T is T::Re. The views guarantee every addressed element is valid; C is
            // exclusively borrowed and (per the BLAS contract) disjoint from A and B.
            driver::run(&product, threads, par.launch);
            "packed"
        }
        (true, _, ComplexPath::Interleaved(isa)) if !faer => {
            complex::run_interleaved(isa, threads, par, ops);
            "interleaved"
        }
        (true, _, ComplexPath::OneM(isa)) if !faer => {
            complex::run_one_m(isa, threads, par, ops);
            "1m"
        }
        _ => return any::gemm(params, par, ops),
    };
    Ran { threads, path }
}

/// A product on the small kernel, which reads A (unit row stride) and op(B) in place:
/// on the caller's thread, or on `threads` members, each taking whole register tiles of
/// columns (no shared buffers, no barriers); every element's sum is the serial one,
/// whatever the split.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn small<R>(
    isa: &Isa<R>,
    threads: usize,
    par: Par<'_>,
    (m, n, k): (usize, usize, usize),
    alpha: f64,
    a: Strided,
    b: Strided,
    beta: f64,
    c: Out,
) {
    let kernel = isa.small.expect("the caller checked the table has one");
    if threads == 1 {
        // SAFETY: the views guarantee every addressed element is valid; C is
        // exclusively borrowed.
        return unsafe { small_columns(kernel, isa.kc, m, 0..n, k, alpha, a, b, beta, c) };
    }
    small_team(
        kernel,
        isa.kc,
        isa.nr,
        threads,
        par,
        (m, n, k),
        alpha,
        a,
        b,
        beta,
        c,
    );
}

/// [`small`] on a team. Out of line: the serial path is measured in nanoseconds and
/// inlines into the export, which this code would only crowd.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn small_team(
    kernel: SmallFn,
    kc: usize,
    nr: usize,
    threads: usize,
    par: Par<'_>,
    (m, n, k): (usize, usize, usize),
    alpha: f64,
    a: Strided,
    b: Strided,
    beta: f64,
    c: Out,
) {
    // One block of columns per thread: each block reads all of A, so more blocks cost
    // more than a late member could (64³ on 2 threads: 135 GFLOP/s with two blocks
    // each, 152 with one). A member that starts late holds up nobody: the caller
    // claims its block.
    let units = threads.min(n.div_ceil(nr));
    (par.launch)(units, &|team: &Team| {
        team.each(units, |u| {
            let cols = share(n, nr, u, units);
            // SAFETY: the views guarantee every addressed element is valid; units
            // write disjoint column ranges of C, which is exclusively borrowed.
            unsafe { small_columns(kernel, kc, m, cols, k, alpha, a, b, beta, c) }
        })
    });
}

/// Columns `cols` of a small-kernel product, in KC blocks: the same blocks, and per
/// element the same sequence of operations, as the packed path, so which path runs
/// never changes a result's bits.
///
/// # Safety
/// `a` addresses an m×k matrix with unit row stride, `b` a k×n one, `c` an m×n
/// column-major block, writable and disjoint from A and B; m, k > 0; beta = 0 never
/// reads C.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn small_columns(
    kernel: SmallFn,
    kc: usize,
    m: usize,
    cols: std::ops::Range<usize>,
    k: usize,
    alpha: f64,
    a: Strided,
    b: Strided,
    beta: f64,
    c: Out,
) {
    let (b, c) = (b.at(0, cols.start), c.at(0, cols.start));
    let lda = a.cs as usize;
    // A while loop, not `step_by`: this path is measured in nanoseconds.
    let mut pc = 0;
    while pc < k {
        let kb = kc.min(k - pc);
        let beta = if pc == 0 { beta } else { 1.0 };
        let (ap, bp) = (
            a.ptr.wrapping_add(pc * lda),
            b.ptr.wrapping_offset(pc as isize * b.rs),
        );
        // SAFETY: block pc of A's columns and B's rows, per the caller's contract; the
        // kernel reads A in place (unit row stride) and op(B) through its strides.
        unsafe {
            kernel(
                m,
                cols.len(),
                kb,
                alpha,
                ap,
                lda,
                bp,
                b.rs,
                b.cs,
                beta,
                c.ptr,
                c.ld,
            )
        };
        pc += kb;
    }
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
        let p = GemmParams::auto();
        for small in [false, true] {
            assert_eq!(p.threads(8, 8, 512, small, 4), 1);
            assert_eq!(p.threads(1000, 1, 1_000_000, small, 4), 1);
            assert_eq!(p.threads(1000, 1000, 1_000_000_000, small, 4), 4);
            assert_eq!(p.threads(1000, 1000, 1_000_000_000, small, 1), 1);
        }
        // The small kernel shares from a smaller size than packed products.
        assert_eq!(p.threads(64, 64, 64 * 64 * 64, true, 2), 2);
        assert_eq!(p.threads(64, 64, 64 * 64 * 64, false, 2), 1);
    }
}

#[cfg(test)]
mod path_tests {
    //! Every path of every table this CPU runs, for all four types, against a naive
    //! product in f64 arithmetic: with the real block sizes and with tiny ones (so the
    //! multi-block loops run on small inputs), every transposition, conjugation, beta 0
    //! and not, and bit-identical for every thread count.

    use super::*;
    use crate::arch::Arch;
    use crate::scalar::{Real, c32, c64};
    use crate::test_data::matrix;
    use faer::Mat;

    fn wide<T: Scalar>(x: T) -> c64 {
        c64::new(x.re().to_f64(), x.im().to_f64())
    }

    /// Every size on the driver (or the small kernel where it applies): no faer.
    const DRIVER: GemmParams = GemmParams {
        faer_below: [0; 4],
        ..GemmParams::auto()
    };

    /// One product against the naive one; returns C and the path it ran.
    #[allow(clippy::too_many_arguments)]
    fn check<T: Scalar>(
        params: &GemmParams,
        arch: &Arch,
        (m, n, k): (usize, usize, usize),
        (ta, tb): (bool, bool),
        conj: bool,
        beta: T,
        threads: usize,
    ) -> (Mat<T>, Ran) {
        let a_st = if ta {
            matrix::<T>(k, m, 1)
        } else {
            matrix::<T>(m, k, 1)
        };
        let b_st = if tb {
            matrix::<T>(n, k, 2)
        } else {
            matrix::<T>(k, n, 2)
        };
        let a = if ta { a_st.transpose() } else { a_st.as_ref() };
        let b = if tb { b_st.transpose() } else { b_st.as_ref() };
        let c0 = matrix::<T>(m, n, 3);
        let mut c = c0.clone();
        let alpha = T::from_parts(T::Re::from_f64(0.75), T::Re::from_f64(-0.5));
        let par = Par {
            arch,
            threads,
            launch: &crate::runtime::launch,
        };
        let ops = Operands {
            alpha,
            a,
            conj_a: conj,
            b,
            conj_b: false,
            beta,
            c: c.as_mut(),
        };
        let ran = gemm_with(params, par, ops);
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
                    let t = x * wide(b[(p, j)]);
                    s += t;
                    bound += t.norm();
                }
                let want = wide(alpha) * s + wide(beta) * wide(c0[(i, j)]);
                let tol = 8.0 * (k as f64 + 2.0) * eps * (bound + wide(c0[(i, j)]).norm() * 2.0);
                let got = wide(c[(i, j)]);
                assert!(
                    (got - want).norm() <= tol,
                    "{} {} ({}) kc={:?} {m}x{n}x{k} ta={ta} tb={tb} conj={conj} threads={threads} at ({i},{j}): {got} vs {want}",
                    T::LETTER,
                    arch.name,
                    ran.path,
                    T::Re::of(&arch.gemm).real.map(|i| i.kc),
                );
            }
        }
        (c, ran)
    }

    fn every_path<T: Scalar>() {
        for arch in Arch::test_tables() {
            // Whole register tiles and ragged edges in every dimension.
            for &shape in &[
                (1, 1, 1),
                (5, 3, 7),
                (24, 8, 16),
                (25, 9, 17),
                (47, 33, 29),
                (61, 47, 50),
                (97, 61, 40),
                (100, 37, 41),
            ] {
                for trans in [(false, false), (true, false), (false, true), (true, true)] {
                    for conj in [false, T::COMPLEX] {
                        let mut results = Vec::new();
                        for threads in [1, 2, 3] {
                            let zero =
                                check::<T>(&DRIVER, &arch, shape, trans, conj, T::zero(), threads);
                            results.push(zero.0);
                            let beta = T::from_parts(T::Re::from_f64(-1.5), T::Re::from_f64(0.25));
                            check::<T>(&DRIVER, &arch, shape, trans, conj, beta, threads);
                        }
                        for r in &results[1..] {
                            assert!(
                                r == &results[0],
                                "{} on {} depends on the thread count",
                                T::LETTER,
                                arch.name
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn one_column_runs_on_the_small_kernel_with_the_bits_it_gets_among_others() {
        let arch = crate::arch::detected();
        let has_small = f64::of(&arch.gemm)
            .real
            .is_some_and(|isa| isa.small.is_some());
        for (m, k) in [(700, 90), (3744, 64), (40, 500)] {
            let a = matrix::<f64>(m, k, 1);
            let b = matrix::<f64>(k, 6, 2);
            let c0 = matrix::<f64>(m, 6, 3);
            let par = Par {
                arch,
                threads: 2,
                launch: &crate::runtime::launch,
            };
            let (mut one, mut six) = (c0.as_ref().subcols(0, 1).to_owned(), c0.clone());
            let ran = gemm(
                par,
                -1.25,
                a.as_ref(),
                false,
                b.as_ref().subcols(0, 1),
                false,
                0.5,
                one.as_mut(),
            );
            gemm(
                par,
                -1.25,
                a.as_ref(),
                false,
                b.as_ref(),
                false,
                0.5,
                six.as_mut(),
            );
            if has_small {
                assert_eq!(ran.path, "small", "{m}x1x{k}");
            }
            for i in 0..m {
                assert_eq!(
                    one[(i, 0)].to_bits(),
                    six[(i, 0)].to_bits(),
                    "{m}x1x{k} row {i}"
                );
            }
        }
    }

    #[test]
    fn every_type_matches_the_naive_product_on_every_path() {
        every_path::<f32>();
        every_path::<f64>();
        every_path::<c32>();
        every_path::<c64>();
    }

    /// Larger than the tiny blocks' tiles on every table, on teams of 1, 2, 3 and 8
    /// (more members than rows of tiles on some): the same bits.
    #[test]
    fn every_table_is_bitwise_identical_across_thread_counts() {
        for arch in Arch::test_tables() {
            let runs: Vec<Mat<f64>> = [1, 2, 3, 8]
                .into_iter()
                .map(|threads| {
                    check::<f64>(
                        &DRIVER,
                        &arch,
                        (131, 77, 150),
                        (false, true),
                        false,
                        0.5,
                        threads,
                    )
                    .0
                })
                .collect();
            for r in &runs[1..] {
                assert!(r == &runs[0], "{} depends on the thread count", arch.name);
            }
        }
    }

    #[test]
    fn small_products_of_s_c_z_run_on_faer_and_match() {
        let arch = crate::arch::detected();
        let p = GemmParams::auto();
        for threads in [1, 2] {
            let (_, ran) = check::<f32>(&p, arch, (40, 30, 20), (false, true), false, 0.5, threads);
            assert_eq!(ran.path, "faer");
            let (_, ran) = check::<c64>(
                &p,
                arch,
                (40, 30, 20),
                (true, false),
                true,
                c64::new(0.0, 1.0),
                threads,
            );
            assert_eq!(ran.path, "faer");
        }
    }

    #[test]
    fn small_and_packed_paths_agree_bit_for_bit() {
        let arch = *crate::arch::detected();
        let Some(isa) = arch.gemm.double.real.filter(|isa| isa.small.is_some()) else {
            return;
        };
        let packed = Arch {
            gemm: crate::arch::Gemm {
                double: crate::arch::GemmPaths {
                    real: Some(Isa { small: None, ..isa }),
                    ..arch.gemm.double
                },
                ..arch.gemm
            },
            ..arch
        };
        // k beyond one KC block, edges in m and n, beta 0 and not.
        for &(m, n, k, beta) in &[
            (7usize, 5usize, 3usize, 0.0),
            (33, 17, 500, 0.5),
            (50, 9, 800, 0.0),
            (24, 8, 384, -1.0),
        ] {
            let (c1, ran1) =
                check::<f64>(&DRIVER, &arch, (m, n, k), (false, false), false, beta, 1);
            let (c2, ran2) =
                check::<f64>(&DRIVER, &packed, (m, n, k), (false, false), false, beta, 1);
            assert_eq!((ran1.path, ran2.path), ("small", "packed"));
            assert!(c1 == c2, "{m}x{n}x{k}: small and packed paths differ");
        }
    }

    #[test]
    fn row_major_and_strided_c_give_the_column_major_bits() {
        let arch = crate::arch::detected();
        let (m, n, k) = (70, 50, 60);
        let a = matrix::<f64>(m, k, 7);
        let b = matrix::<f64>(k, n, 8);
        let product = |c: MatMut<'_, f64>| {
            let (a, b) = (a.as_ref(), b.as_ref());
            gemm(Par::seq(arch), 1.5, a, false, b, false, 0.0, c)
        };
        let mut col = Mat::<f64>::zeros(m, n);
        product(col.as_mut());
        // C stored row-major: the product runs on the transposes.
        let mut row = Mat::<f64>::zeros(n, m);
        product(row.as_mut().transpose_mut());
        assert!(row.transpose() == col.as_ref());
    }
}
