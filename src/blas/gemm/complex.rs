//! Complex operands as the kernels read them, in two layouts.
//!
//! **Interleaved** ([`InterleavedA`], [`InterleavedB`]), for the kernels that multiply
//! complex numbers themselves (AVX-512's `kernel_c32`/`kernel_c64`): A is a real 2m×k
//! matrix of (re, im) row pairs, which for a column-major A is its own storage, and B a
//! real k×2n one of (re, im) column pairs. Packed A holds each element once.
//!
//! **1m** ([`ComplexA`], [`ComplexB`]), BLIS's method for instruction sets with real
//! kernels only:
//!
//! A complex m×k A becomes a real 2m×2k Â, each element a 2×2 block
//! `[[re, −im], [im, re]]`; a complex k×n B becomes a real 2k×n B̂, each element the
//! column `[re; im]`. Then Ĉ = Â·B̂ is C with re and im interleaved down each column,
//! which is exactly how a column-major complex C is stored: the real kernels compute
//! the complex product in place, with every FMA doing useful work, but packed Â holds
//! every element twice.
//!
//! Per element of C the 1m sum runs over p in order, re·re then −im·im (or im·re then
//! re·im), fused; the interleaved kernels sum re·re, im·im, im·re and re·im apart and
//! combine them at the end. In both, alpha is folded into B as it is packed, as
//! reference ZGEMM forms `alpha·B(l, j)` before the inner loop.

use super::driver::{self, Operand, Out, PackA, PackB, Strided};
use super::kernels::{Isa, Lane};
use super::{Operands, scale};
use crate::blas::Par;
use crate::scalar::Scalar;
use faer::MatMut;

/// op(A) and alpha·op(B) as complex elements of lane type `T::Re`, the beta the
/// kernel applies, and C: the kernels take real alpha and beta only, so alpha rides in
/// B̂, and a beta other than 0 or 1 scales C first.
#[allow(clippy::type_complexity)]
fn operands<'a, T: Scalar>(
    ops: Operands<'a, T>,
) -> (ComplexA<T::Re>, ComplexB<T::Re>, T::Re, MatMut<'a, T>) {
    let Operands {
        alpha,
        a,
        conj_a,
        b,
        conj_b,
        beta,
        mut c,
    } = ops;
    let kernel_beta = if beta.is_zero() {
        <T::Re as Lane>::ZERO
    } else {
        if !beta.is_one() {
            scale(c.as_mut(), beta);
        }
        <T::Re as Lane>::ONE
    };
    // Element strides of T, which Â and B̂ read as complex strides.
    let (sa, sb) = (
        Strided::of(a).cast::<T::Re>(),
        Strided::of(b).cast::<T::Re>(),
    );
    let a = ComplexA {
        ptr: sa.ptr,
        rs: sa.rs,
        cs: sa.cs,
        conj: conj_a,
    };
    let b = ComplexB {
        ptr: sb.ptr,
        rs: sb.rs,
        cs: sb.cs,
        conj: conj_b,
        alpha: (alpha.re(), alpha.im()),
    };
    (a, b, kernel_beta, c)
}

/// A complex product (column-major C) on an interleaved complex kernel.
pub fn run_interleaved<T: Scalar>(
    isa: Isa<T::Re>,
    threads: usize,
    par: Par<'_>,
    ops: Operands<'_, T>,
) {
    let (m, n, k) = ops.shape();
    let (a, b, beta, c) = operands(ops);
    let product = driver::Product {
        isa,
        m: 2 * m,
        n: 2 * n,
        k,
        alpha: <T::Re as Lane>::ONE,
        a: InterleavedA(a),
        b: InterleavedB(b),
        beta,
        // Half-column q of the real k×2n view is part q % 2 of complex column q / 2,
        // so one complex column stride spans two of them.
        c: Out {
            ld: c.col_stride() as usize,
            ..Out::of(c).cast()
        },
    };
    // The views guarantee every addressed element is valid (the interleaved views
    // address exactly A's and B's); C is exclusively borrowed and (per the BLAS
    // contract) disjoint from A and B.
    driver::run(&product, threads, par.launch);
}

/// A complex product (column-major C) through the 1m expansion onto a real kernel
/// (whose table entry already halves the depth).
pub fn run_one_m<T: Scalar>(isa: Isa<T::Re>, threads: usize, par: Par<'_>, ops: Operands<'_, T>) {
    debug_assert!(isa.mr % 2 == 0 && isa.mc % 2 == 0 && isa.kc % 2 == 0);
    let (m, n, k) = ops.shape();
    let (a, b, beta, c) = operands(ops);
    let product = driver::Product {
        isa,
        m: 2 * m,
        n,
        k: 2 * k,
        alpha: <T::Re as Lane>::ONE,
        a,
        b,
        beta,
        // Column-major complex C is the real 2m×n Ĉ with twice the leading dimension.
        c: Out {
            ld: 2 * c.col_stride() as usize,
            ..Out::of(c).cast()
        },
    };
    // As above; Â and B̂ address exactly A's and B's elements.
    driver::run(&product, threads, par.launch);
}

/// A complex op(A) as Â: element (i, p) of op(A) (re at `ptr + 2(i·rs + p·cs)`, im
/// right after it), conjugated if `conj`.
pub struct ComplexA<R> {
    pub ptr: *const R,
    pub rs: isize,
    pub cs: isize,
    pub conj: bool,
}

/// A complex op(B) as B̂ with alpha folded in: element (p, j) of op(B) at
/// `ptr + 2(p·rs + j·cs)`, conjugated if `conj`, times `alpha` = (re, im).
pub struct ComplexB<R> {
    pub ptr: *const R,
    pub rs: isize,
    pub cs: isize,
    pub conj: bool,
    pub alpha: (R, R),
}

macro_rules! copy_impls {
    ($($t:ident),*) => {$(
        impl<R: Copy> Clone for $t<R> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<R: Copy> Copy for $t<R> {}
        // SAFETY: only read, by members that write disjoint blocks of C; the caller's
        // borrow outlives the parallel region.
        unsafe impl<R> Send for $t<R> {}
        unsafe impl<R> Sync for $t<R> {}
    )*};
}
copy_impls!(ComplexA, ComplexB);

/// (re, im) of the complex element `offset` complex elements past `ptr`.
///
/// # Safety
/// That element is readable.
#[inline(always)]
unsafe fn load<R: Copy>(ptr: *const R, offset: isize) -> (R, R) {
    // SAFETY: caller's contract; a complex element is two adjacent reals.
    unsafe {
        let p = ptr.offset(2 * offset);
        (*p, *p.add(1))
    }
}

impl<R: Lane> ComplexA<R> {
    /// (re, im) of op(A)(i, p), conjugated if asked.
    #[inline(always)]
    unsafe fn element(self, i: usize, p: usize) -> (R, R) {
        // SAFETY: caller's contract.
        let (re, im) = unsafe { load(self.ptr, i as isize * self.rs + p as isize * self.cs) };
        (re, if self.conj { -im } else { im })
    }
}

impl<R: Lane> Operand<R> for ComplexA<R> {
    #[inline(always)]
    fn at(self, i: usize, j: usize) -> Self {
        debug_assert!(
            i.is_multiple_of(2) && j.is_multiple_of(2),
            "Â shifted inside a complex element"
        );
        ComplexA {
            ptr: self
                .ptr
                .wrapping_offset(2 * ((i / 2) as isize * self.rs + (j / 2) as isize * self.cs)),
            ..self
        }
    }
    #[inline(always)]
    unsafe fn get(self, i: usize, p: usize) -> R {
        // SAFETY: (i/2, p/2) is inside op(A).
        let (re, im) = unsafe { self.element(i / 2, p / 2) };
        match (i % 2, p % 2) {
            (0, 0) | (1, 1) => re,
            (1, 0) => im,
            _ => -im,
        }
    }
}

impl<R: Lane> PackA<R> for ComplexA<R> {
    unsafe fn pack_sliver(self, _: &Isa<R>, mr: usize, rows: usize, kb: usize, sliver: &mut [R]) {
        debug_assert!(rows.is_multiple_of(2) && kb.is_multiple_of(2) && mr.is_multiple_of(2));
        if self.rs == 1 {
            // Column-major: each complex column of the block is `rows` contiguous
            // reals, the even step a copy of it and the odd one its pairs rotated.
            for p in 0..kb / 2 {
                let (even, odd) = sliver[2 * p * mr..(2 * p + 2) * mr].split_at_mut(mr);
                // SAFETY: rows/2 complex elements of column p of the block.
                let src = unsafe {
                    std::slice::from_raw_parts(self.ptr.offset(2 * p as isize * self.cs), rows)
                };
                let pairs = even[..rows]
                    .chunks_exact_mut(2)
                    .zip(odd[..rows].chunks_exact_mut(2))
                    .zip(src.chunks_exact(2));
                for ((e, o), x) in pairs {
                    let (re, im) = (x[0], if self.conj { -x[1] } else { x[1] });
                    (e[0], e[1], o[0], o[1]) = (re, im, -im, re);
                }
                even[rows..].fill(R::ZERO);
                odd[rows..].fill(R::ZERO);
            }
            return;
        }
        for p in 0..kb / 2 {
            let (even, odd) = sliver[2 * p * mr..(2 * p + 2) * mr].split_at_mut(mr);
            for i in 0..rows / 2 {
                // SAFETY: complex element (i, p) of the block.
                let (re, im) = unsafe { self.element(i, p) };
                even[2 * i] = re;
                even[2 * i + 1] = im;
                odd[2 * i] = -im;
                odd[2 * i + 1] = re;
            }
            even[rows..].fill(R::ZERO);
            odd[rows..].fill(R::ZERO);
        }
    }
}

impl<R: Lane> ComplexB<R> {
    /// (re, im) of alpha·op(B)(p, j).
    #[inline(always)]
    unsafe fn element(self, p: usize, j: usize) -> (R, R) {
        // SAFETY: caller's contract.
        let (re, im) = unsafe { load(self.ptr, p as isize * self.rs + j as isize * self.cs) };
        let im = if self.conj { -im } else { im };
        let (ar, ai) = self.alpha;
        if ar == R::ONE && ai == R::ZERO {
            return (re, im);
        }
        // Unfused, as a Fortran complex multiply.
        (ar.times(re) - ai.times(im), ar.times(im) + ai.times(re))
    }
}

impl<R: Lane> Operand<R> for ComplexB<R> {
    #[inline(always)]
    fn at(self, p: usize, j: usize) -> Self {
        debug_assert!(p.is_multiple_of(2), "B̂ shifted inside a complex element");
        ComplexB {
            ptr: self
                .ptr
                .wrapping_offset(2 * ((p / 2) as isize * self.rs + j as isize * self.cs)),
            ..self
        }
    }
    #[inline(always)]
    unsafe fn get(self, p: usize, j: usize) -> R {
        // SAFETY: (p/2, j) is inside op(B).
        let (re, im) = unsafe { self.element(p / 2, j) };
        if p.is_multiple_of(2) { re } else { im }
    }
}

impl<R: Lane> PackB<R> for ComplexB<R> {
    unsafe fn pack_sliver(self, _: &Isa<R>, nr: usize, kb: usize, cols: usize, sliver: &mut [R]) {
        debug_assert!(kb.is_multiple_of(2));
        for p in 0..kb / 2 {
            let (even, odd) = sliver[2 * p * nr..(2 * p + 2) * nr].split_at_mut(nr);
            for j in 0..cols {
                // SAFETY: complex element (p, j) of the block.
                let (re, im) = unsafe { self.element(p, j) };
                even[j] = re;
                odd[j] = im;
            }
            even[cols..].fill(R::ZERO);
            odd[cols..].fill(R::ZERO);
        }
    }
}

/// A complex op(A) as the interleaved kernels read it: a real 2m×k matrix whose rows
/// 2i and 2i + 1 are re and im of row i of op(A) (conjugated if asked), which for a
/// column-major A is its own storage. The same elements as the 1m view, laid out
/// differently.
pub struct InterleavedA<R>(pub ComplexA<R>);

/// A complex op(B) as the interleaved kernels read it, alpha folded in: a real k×2n
/// matrix whose columns 2j and 2j + 1 are re and im of alpha·op(B)(·, j).
pub struct InterleavedB<R>(pub ComplexB<R>);

copy_impls!(InterleavedA, InterleavedB);

impl<R: Lane> Operand<R> for InterleavedA<R> {
    #[inline(always)]
    fn at(self, i: usize, p: usize) -> Self {
        debug_assert!(i.is_multiple_of(2), "A shifted inside a complex element");
        let a = self.0;
        InterleavedA(ComplexA {
            ptr: a
                .ptr
                .wrapping_offset(2 * ((i / 2) as isize * a.rs + p as isize * a.cs)),
            ..a
        })
    }
    #[inline(always)]
    unsafe fn get(self, i: usize, p: usize) -> R {
        // SAFETY: (i/2, p) is inside op(A).
        let (re, im) = unsafe { self.0.element(i / 2, p) };
        if i.is_multiple_of(2) { re } else { im }
    }
}

impl<R: Lane> PackA<R> for InterleavedA<R> {
    unsafe fn pack_sliver(self, _: &Isa<R>, mr: usize, rows: usize, kb: usize, sliver: &mut [R]) {
        debug_assert!(rows.is_multiple_of(2) && mr.is_multiple_of(2));
        for p in 0..kb {
            let dst = &mut sliver[p * mr..(p + 1) * mr];
            if self.0.rs == 1 {
                // SAFETY: rows/2 contiguous complex elements of column p of the block.
                let src = unsafe {
                    std::slice::from_raw_parts(self.0.ptr.offset(2 * p as isize * self.0.cs), rows)
                };
                dst[..rows].copy_from_slice(src);
                if self.0.conj {
                    dst[1..rows].iter_mut().step_by(2).for_each(|x| *x = -*x);
                }
            } else {
                for i in 0..rows / 2 {
                    // SAFETY: (i, p) and (i + 1, p) of the interleaved block.
                    unsafe {
                        dst[2 * i] = self.get(2 * i, p);
                        dst[2 * i + 1] = self.get(2 * i + 1, p);
                    }
                }
            }
            dst[rows..].fill(R::ZERO);
        }
    }
}

impl<R: Lane> Operand<R> for InterleavedB<R> {
    #[inline(always)]
    fn at(self, p: usize, j: usize) -> Self {
        debug_assert!(j.is_multiple_of(2), "B shifted inside a complex element");
        let b = self.0;
        InterleavedB(ComplexB {
            ptr: b
                .ptr
                .wrapping_offset(2 * (p as isize * b.rs + (j / 2) as isize * b.cs)),
            ..b
        })
    }
    #[inline(always)]
    unsafe fn get(self, p: usize, j: usize) -> R {
        // SAFETY: (p, j/2) is inside op(B).
        let (re, im) = unsafe { self.0.element(p, j / 2) };
        if j.is_multiple_of(2) { re } else { im }
    }
}

impl<R: Lane> PackB<R> for InterleavedB<R> {
    unsafe fn pack_sliver(self, _: &Isa<R>, nr: usize, kb: usize, cols: usize, sliver: &mut [R]) {
        debug_assert!(cols.is_multiple_of(2) && nr.is_multiple_of(2));
        for p in 0..kb {
            let dst = &mut sliver[p * nr..(p + 1) * nr];
            for j in 0..cols / 2 {
                // SAFETY: complex element (p, j) of the block.
                let (re, im) = unsafe { self.0.element(p, j) };
                dst[2 * j] = re;
                dst[2 * j + 1] = im;
            }
            dst[cols..].fill(R::ZERO);
        }
    }
}
