//! The blocked product around a microkernel: BLIS's five loops (NC, KC, MC, NR, MR) as
//! small steps, with packing into thread-local buffers. Threads split C into disjoint
//! blocks, never the k-reduction, and the KC blocking starts at k = 0 for every block,
//! so each element of C is summed in the same order whatever the thread count.
//!
//! The driver sees real matrices of the kernel's lane type. A real operand is one
//! ([`Strided`]); a complex one is presented either interleaved, for a kernel that
//! multiplies (re, im) pairs itself ([`Isa::complex`]), or through BLIS's 1m expansion
//! onto a real kernel ([`super::complex`]).

use super::kernels::{Isa, Lane, Next};
use crate::runtime::{Team, share};
use std::cell::RefCell;

/// An operand as the kernel sees it: a real matrix of `R`.
pub trait Operand<R>: Copy + Send + Sync {
    /// The operand shifted to start at element (i, j). The driver only shifts complex
    /// operands' expanded dimensions by even amounts (whole complex elements).
    fn at(self, i: usize, j: usize) -> Self;
    /// Element (i, j).
    ///
    /// # Safety
    /// (i, j) is inside the operand.
    unsafe fn get(self, i: usize, j: usize) -> R;
}

/// The left operand: packed by rows.
pub trait PackA<R: Lane>: Operand<R> {
    /// Packs rows `0..rows` × depth `0..kb` into one `mr`-row sliver
    /// `sliver[p*mr + i]`, rows `rows..mr` zero.
    ///
    /// # Safety
    /// The block is inside the operand; `sliver` holds `kb*mr` values.
    unsafe fn pack_sliver(self, isa: &Isa<R>, mr: usize, rows: usize, kb: usize, sliver: &mut [R]);
}

/// The right operand: packed by columns.
pub trait PackB<R: Lane>: Operand<R> {
    /// Packs depth `0..kb` × columns `0..cols` into one `nr`-column sliver
    /// `sliver[p*nr + j]`, columns `cols..nr` zero.
    ///
    /// # Safety
    /// The block is inside the operand; `sliver` holds `kb*nr` values.
    unsafe fn pack_sliver(self, isa: &Isa<R>, nr: usize, kb: usize, cols: usize, sliver: &mut [R]);
}

/// A strided real operand: element (i, j) of op(X) is at `ptr + i*rs + j*cs`.
pub struct Strided<R = f64> {
    pub ptr: *const R,
    pub rs: isize,
    pub cs: isize,
}

impl<R> Clone for Strided<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Strided<R> {}

impl<R> Strided<R> {
    /// A view's elements: its pointer and strides.
    pub fn of(view: faer::MatRef<'_, R>) -> Strided<R> {
        Strided {
            ptr: view.as_ptr(),
            rs: view.row_stride(),
            cs: view.col_stride(),
        }
    }

    /// The same pointer as one to `U`, strides unchanged: they still count the view's
    /// own elements (for a complex view cast to its real type, complex elements, as
    /// the 1m operands read them).
    pub fn cast<U>(self) -> Strided<U> {
        Strided {
            ptr: self.ptr.cast(),
            rs: self.rs,
            cs: self.cs,
        }
    }

    /// The transposed operand (same elements, strides swapped).
    fn transpose(self) -> Strided<R> {
        Strided {
            ptr: self.ptr,
            rs: self.cs,
            cs: self.rs,
        }
    }

    /// The operand shifted to start at element (i, j).
    pub fn at(self, i: usize, j: usize) -> Strided<R> {
        Strided {
            ptr: self
                .ptr
                .wrapping_offset(i as isize * self.rs + j as isize * self.cs),
            ..self
        }
    }
}

impl<R: Lane> Operand<R> for Strided<R> {
    #[inline(always)]
    fn at(self, i: usize, j: usize) -> Self {
        Strided::at(self, i, j)
    }
    #[inline(always)]
    unsafe fn get(self, i: usize, j: usize) -> R {
        // SAFETY: caller's contract.
        unsafe { *Strided::at(self, i, j).ptr }
    }
}

impl<R: Lane> PackA<R> for Strided<R> {
    unsafe fn pack_sliver(self, isa: &Isa<R>, mr: usize, rows: usize, kb: usize, sliver: &mut [R]) {
        let a = self;
        if let Some(pack_rows) = isa.pack_rows.filter(|_| a.rs != 1 && a.cs == 1) {
            // Rows contiguous: transposed in registers.
            // SAFETY: rows 0..rows hold kb contiguous values; the sliver has kb*mr.
            unsafe { pack_rows(mr, rows, kb, a.ptr, a.rs, sliver.as_mut_ptr()) };
        } else if a.rs == 1 {
            // Column-major A: each p reads `rows` contiguous values.
            for p in 0..kb {
                let dst = &mut sliver[p * mr..p * mr + mr];
                // SAFETY: rows 0..rows of column p are inside the block.
                let src = unsafe { std::slice::from_raw_parts(a.at(0, p).ptr, rows) };
                dst[..rows].copy_from_slice(src);
                dst[rows..].fill(R::ZERO);
            }
        } else {
            for i in 0..mr {
                if i < rows {
                    let row = a.at(i, 0);
                    for p in 0..kb {
                        // SAFETY: element (i, p) is inside the block.
                        sliver[p * mr + i] =
                            unsafe { *row.ptr.wrapping_offset(p as isize * row.cs) };
                    }
                } else {
                    for p in 0..kb {
                        sliver[p * mr + i] = R::ZERO;
                    }
                }
            }
        }
    }
}

impl<R: Lane> PackB<R> for Strided<R> {
    /// [`PackA`]'s layout for op(B)ᵀ, so it is packed as exactly that.
    unsafe fn pack_sliver(self, isa: &Isa<R>, nr: usize, kb: usize, cols: usize, sliver: &mut [R]) {
        // SAFETY: the transposed view addresses the same elements.
        unsafe { PackA::pack_sliver(self.transpose(), isa, nr, cols, kb, sliver) }
    }
}

/// A symmetric real matrix stored in one triangle of a column-major array, read as the
/// whole matrix (element (i, j) outside the triangle is (j, i)), so ?SYMM packs it
/// straight from the caller's storage. `row`/`col` are where the operand starts.
pub struct Mirrored<R = f64> {
    pub base: *const R,
    pub ld: usize,
    pub upper: bool,
    pub row: usize,
    pub col: usize,
}

impl<R> Clone for Mirrored<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Mirrored<R> {}
// SAFETY: a read-only view of the caller's matrix, as Strided.
unsafe impl<R> Send for Mirrored<R> {}
unsafe impl<R> Sync for Mirrored<R> {}

impl<R> Mirrored<R> {
    /// Whether absolute element (i, j) is in the stored triangle.
    #[inline(always)]
    fn stored(&self, i: usize, j: usize) -> bool {
        if self.upper { i <= j } else { i >= j }
    }

    /// The block at the operand's origin as a strided view of the storage: as stored,
    /// or (`mirrored`) read from the other side of the diagonal.
    fn strided(&self, mirrored: bool) -> Strided<R> {
        let (i, j) = if mirrored {
            (self.col, self.row)
        } else {
            (self.row, self.col)
        };
        let s = Strided {
            ptr: self.base,
            rs: 1,
            cs: self.ld as isize,
        }
        .at(i, j);
        if mirrored { s.transpose() } else { s }
    }
}

impl<R: Lane> Operand<R> for Mirrored<R> {
    #[inline(always)]
    fn at(self, i: usize, j: usize) -> Self {
        Mirrored {
            row: self.row + i,
            col: self.col + j,
            ..self
        }
    }
    #[inline(always)]
    unsafe fn get(self, i: usize, j: usize) -> R {
        let (i, j) = (self.row + i, self.col + j);
        let (i, j) = if self.stored(i, j) { (i, j) } else { (j, i) };
        // SAFETY: (i, j) is in the stored triangle of the caller's matrix.
        unsafe { *self.base.add(i + j * self.ld) }
    }
}

impl<R: Lane> PackA<R> for Mirrored<R> {
    unsafe fn pack_sliver(self, isa: &Isa<R>, mr: usize, rows: usize, kb: usize, sliver: &mut [R]) {
        let (last_row, last_col) = (self.row + rows.max(1) - 1, self.col + kb.max(1) - 1);
        // A block wholly on one side of the diagonal packs as a strided view.
        let side = if self.stored(last_row, self.col) && self.stored(self.row, last_col) {
            Some(false)
        } else if !self.stored(self.row, last_col) && !self.stored(last_row, self.col) {
            Some(true)
        } else {
            None
        };
        if let Some(mirrored) = side {
            // SAFETY: the same elements, addressed from their stored side.
            return unsafe {
                PackA::pack_sliver(self.strided(mirrored), isa, mr, rows, kb, sliver)
            };
        }
        for p in 0..kb {
            for i in 0..mr {
                // SAFETY: (i, p) is inside the block.
                sliver[p * mr + i] = if i < rows {
                    unsafe { self.get(i, p) }
                } else {
                    R::ZERO
                };
            }
        }
    }
}

impl<R: Lane> PackB<R> for Mirrored<R> {
    /// op(B)ᵀ is B itself (symmetric), starting at the swapped origin.
    unsafe fn pack_sliver(self, isa: &Isa<R>, nr: usize, kb: usize, cols: usize, sliver: &mut [R]) {
        let t = Mirrored {
            row: self.col,
            col: self.row,
            ..self
        };
        // SAFETY: the same elements.
        unsafe { PackA::pack_sliver(t, isa, nr, cols, kb, sliver) }
    }
}

/// The output: column-major with leading dimension `ld` (row stride 1).
pub struct Out<R = f64> {
    pub ptr: *mut R,
    pub ld: usize,
}

impl<R> Clone for Out<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Out<R> {}

impl<R> Out<R> {
    /// A column-major view's elements (row stride 1).
    pub fn of(view: faer::MatMut<'_, R>) -> Out<R> {
        debug_assert_eq!(view.row_stride(), 1);
        Out {
            ptr: view.as_ptr_mut(),
            ld: view.col_stride() as usize,
        }
    }

    /// The same addresses as elements of `U` (see [`Strided::cast`]); `ld` counts in
    /// `R`s, so a complex C viewed as reals needs it doubled.
    pub fn cast<U>(self) -> Out<U> {
        Out {
            ptr: self.ptr.cast(),
            ld: self.ld,
        }
    }

    /// The output shifted to start at element (i, j).
    pub fn at(self, i: usize, j: usize) -> Out<R> {
        Out {
            ptr: self.ptr.wrapping_add(i + j * self.ld),
            ..self
        }
    }
}

/// The packed B panel shared by the threads of one product.
struct SharedPanel<R>(*mut R);

impl<R> Clone for SharedPanel<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for SharedPanel<R> {}

impl<R> SharedPanel<R> {
    fn ptr(self) -> *mut R {
        self.0
    }
}

// SAFETY: threads write disjoint slivers of the panel, then (after the join) only read it.
unsafe impl<R> Send for SharedPanel<R> {}
unsafe impl<R> Sync for SharedPanel<R> {}

// SAFETY: the operands are only read, and every thread writes a disjoint block of the
// output; the caller's borrow outlives the parallel region.
unsafe impl<R> Send for Strided<R> {}
unsafe impl<R> Sync for Strided<R> {}
unsafe impl<R> Send for Out<R> {}
unsafe impl<R> Sync for Out<R> {}

thread_local! {
    /// Packing buffers of this thread, reused across calls (f64 slots; f32 products
    /// use them as twice as many f32).
    static PACK_A: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
    static PACK_B: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on a 64-byte aligned scratch slice of `len` values of `R` (f32 or f64) from
/// this thread's `cache`. If the cache is already in use on this thread (a product
/// started while another is running here), a fresh allocation serves instead.
/// `None` when the memory cannot be had: the caller then computes without packing.
fn with_scratch<R: Lane, T>(
    cache: &'static std::thread::LocalKey<RefCell<Vec<f64>>>,
    len: usize,
    f: impl FnOnce(&mut [R]) -> T,
) -> Option<T> {
    // f64 slots hold the `R`s: R is f32 or f64, whose alignment divides f64's.
    const { assert!(size_of::<R>() <= size_of::<f64>() && align_of::<R>() <= align_of::<f64>()) };
    let slots = (len * size_of::<R>()).div_ceil(size_of::<f64>());
    let cast = |v: &mut [f64]| {
        // SAFETY: the slots cover len values of R; any bit pattern is a valid f32/f64.
        f(unsafe { std::slice::from_raw_parts_mut(v.as_mut_ptr().cast::<R>(), len) })
    };
    cache.with(|cell| match cell.try_borrow_mut() {
        Ok(mut v) => aligned(&mut v, slots).map(cast),
        Err(_) => aligned(&mut Vec::new(), slots).map(cast),
    })
}

/// A 64-byte aligned slice of `len` f64 inside `v`, growing it as needed; `None` (and
/// a one-time message) if the allocation fails.
fn aligned(v: &mut Vec<f64>, len: usize) -> Option<&mut [f64]> {
    let need = len + 8;
    if v.len() < need {
        v.clear();
        if v.try_reserve_exact(need).is_err() {
            static REPORTED: std::sync::atomic::AtomicBool =
                std::sync::atomic::AtomicBool::new(false);
            if !REPORTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
                let mib = (need * size_of::<f64>()) as f64 / 1048576.0;
                eprintln!(
                    "oxblas: could not allocate {mib:.1} MiB of packing space; computing without packing (slower)"
                );
            }
            return None;
        }
        v.resize(need, 0.0);
    }
    let off = v.as_ptr().align_offset(64).min(8);
    Some(&mut v[off..off + len])
}

/// The product without packing buffers, for when memory cannot be had: rows `rows` and
/// columns `cols` of C, summed over the same KC blocks as the packed path; `complex`
/// as [`Isa::complex`] says how the operands are laid out.
///
/// # Safety
/// As [`Product::member`] for the block.
#[allow(clippy::too_many_arguments)]
unsafe fn no_pack_fallback<R: Lane, A: Operand<R>, B: Operand<R>>(
    kc: usize,
    complex: bool,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    k: usize,
    alpha: R,
    a: A,
    b: B,
    beta: R,
    c: Out<R>,
) {
    let store = |dst: *mut R, beta: R, acc: R| {
        // SAFETY: the caller passes an element inside this block of C.
        unsafe {
            *dst = if beta == R::ZERO {
                alpha.times(acc)
            } else {
                beta.fma(*dst, alpha.times(acc))
            }
        };
    };
    for pc in (0..k).step_by(kc) {
        let kb = kc.min(k - pc);
        let beta = if pc == 0 { beta } else { R::ONE };
        if complex {
            // Rows i, i + 1 of A and columns j, j + 1 of B are (re, im) pairs; C's
            // element sits at rows i, i + 1 of column j.
            for j in cols.clone().step_by(2) {
                for i in rows.clone().step_by(2) {
                    let [mut rr, mut ir, mut ri, mut ii] = [R::ZERO; 4];
                    for p in pc..pc + kb {
                        // SAFETY: the pairs at (i, p) of A and (p, j) of B are inside.
                        let (ar, ai, br, bi) =
                            unsafe { (a.get(i, p), a.get(i + 1, p), b.get(p, j), b.get(p, j + 1)) };
                        rr = ar.fma(br, rr);
                        ir = ai.fma(br, ir);
                        ri = ar.fma(bi, ri);
                        ii = ai.fma(bi, ii);
                    }
                    store(c.at(i, j).ptr, beta, rr - ii);
                    store(c.at(i + 1, j).ptr, beta, ir + ri);
                }
            }
            continue;
        }
        for j in cols.clone() {
            for i in rows.clone() {
                let mut acc = R::ZERO;
                for p in pc..pc + kb {
                    // SAFETY: (i, p) of op(A) and (p, j) of op(B) are inside the operands.
                    acc = unsafe { a.get(i, p).fma(b.get(p, j), acc) };
                }
                store(c.at(i, j).ptr, beta, acc);
            }
        }
    }
}

/// Packs the mb×kb block of op(A) at `a` into MR-row slivers: `pa[s*MR*kb + p*MR + i]`,
/// zero-padding the last sliver's missing rows.
///
/// # Safety
/// `a` addresses mb×kb readable elements.
unsafe fn pack_a<R: Lane, A: PackA<R>>(isa: &Isa<R>, mb: usize, kb: usize, a: A, pa: &mut [R]) {
    let mr = isa.mr;
    for (s, sliver) in pa.chunks_mut(mr * kb).enumerate().take(mb.div_ceil(mr)) {
        let i0 = s * mr;
        // SAFETY: rows i0.. of the block.
        unsafe {
            a.at(i0, 0)
                .pack_sliver(isa, mr, mr.min(mb - i0), kb, sliver)
        };
    }
}

/// Packs the kb×nb block of op(B) at `b` into NR-column slivers: `pb[t*NR*kb + p*NR + j]`.
///
/// # Safety
/// `b` addresses kb×nb readable elements.
unsafe fn pack_b<R: Lane, B: PackB<R>>(isa: &Isa<R>, kb: usize, nb: usize, b: B, pb: &mut [R]) {
    let nr = isa.nr;
    for (t, sliver) in pb.chunks_mut(nr * kb).enumerate().take(nb.div_ceil(nr)) {
        let j0 = t * nr;
        // SAFETY: columns j0.. of the block.
        unsafe {
            b.at(0, j0)
                .pack_sliver(isa, nr, kb, nr.min(nb - j0), sliver)
        };
    }
}

/// Runs the register-tile loops (NR, MR) of one packed mb×kb A block against a packed
/// kb×nb B panel, writing the mb×nb block of C at `c`.
///
/// # Safety
/// `pa`, `pb` are packed as [`pack_a`] / [`pack_b`] for these sizes; the block of C is
/// writable.
#[allow(clippy::too_many_arguments)]
unsafe fn macro_kernel<R: Lane>(
    isa: &Isa<R>,
    mb: usize,
    nb: usize,
    kb: usize,
    alpha: R,
    pa: *const R,
    pb: *const R,
    beta: R,
    c: Out<R>,
) {
    let (mr, nr) = (isa.mr, isa.nr);
    for jr in (0..nb).step_by(nr) {
        let b_sliver = pb.wrapping_add(jr * kb);
        // After the last column tile the next A block starts again at the first.
        let b_next = if jr + nr < nb {
            b_sliver.wrapping_add(nr * kb)
        } else {
            pb
        };
        for ir in (0..mb).step_by(mr) {
            let a_sliver = pa.wrapping_add(ir * kb);
            let c_next = match (ir + mr < mb, jr + nr < nb) {
                (true, _) => c.at(ir + mr, jr),
                (false, true) => c.at(0, jr + nr),
                (false, false) => c.at(mb, 0),
            };
            let next = Next {
                b: b_next,
                c: c_next.ptr.cast_const(),
            };
            // SAFETY: packed slivers hold kb steps; the tile's
            // min(mr, mb-ir) × min(nr, nb-jr) corner is inside C.
            unsafe {
                (isa.kernel)(
                    kb,
                    a_sliver,
                    b_sliver,
                    c.at(ir, jr).ptr,
                    c.ld,
                    alpha,
                    beta,
                    mr.min(mb - ir),
                    nr.min(nb - jr),
                    next,
                )
            };
        }
    }
}

/// Rows `rows` of the product for one packed B panel: pack each MC block of A (in this
/// thread's buffer) and run the register tiles.
///
/// # Safety
/// As [`macro_kernel`]; `a` addresses the panel's rows × kb elements.
#[allow(clippy::too_many_arguments)]
unsafe fn row_range<R: Lane, A: PackA<R>>(
    isa: &Isa<R>,
    rows: std::ops::Range<usize>,
    nb: usize,
    kb: usize,
    alpha: R,
    a: A,
    pb: *const R,
    beta: R,
    c: Out<R>,
) {
    let mc = isa.mc.min(rows.len()).next_multiple_of(isa.mr);
    let done = with_scratch(&PACK_A, mc * kb, |pa: &mut [R]| {
        for ic in rows.clone().step_by(isa.mc) {
            let mb = isa.mc.min(rows.end - ic);
            // SAFETY: the mb×kb block at row ic is inside op(A); the C block is writable.
            unsafe {
                pack_a(isa, mb, kb, a.at(ic, 0), pa);
                macro_kernel(isa, mb, nb, kb, alpha, pa.as_ptr(), pb, beta, c.at(ic, 0));
            }
        }
    });
    if done.is_none() {
        // No memory for packing A: read it in place (B is already packed).
        for j0 in (0..nb).step_by(isa.nr) {
            let sliver = Strided {
                ptr: pb.wrapping_add(j0 * kb),
                rs: isa.nr as isize,
                cs: 1,
            };
            let cols = j0..(j0 + isa.nr).min(nb);
            // SAFETY: sliver j0 holds kb rows of NR packed columns; rows of A and C in range.
            unsafe {
                no_pack_fallback(
                    kb,
                    isa.complex,
                    rows.clone(),
                    0..cols.len(),
                    kb,
                    alpha,
                    a,
                    sliver,
                    beta,
                    c.at(0, j0),
                )
            };
        }
    }
}

/// A product ready to run: operands, output and microkernel path. Every member of a
/// team runs [`Product::member`] on it.
pub struct Product<R: 'static = f64, A = Strided<R>, B = Strided<R>> {
    pub isa: Isa<R>,
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub alpha: R,
    pub a: A,
    pub b: B,
    pub beta: R,
    pub c: Out<R>,
}

impl<R: Lane, A: Copy, B: Copy> Clone for Product<R, A, B> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: Lane, A: Copy, B: Copy> Copy for Product<R, A, B> {}

impl<R: Lane, A: PackA<R>, B: PackB<R>> Product<R, A, B> {
    /// Length of the shared packed-B panel buffer.
    pub fn panel_len(&self) -> usize {
        self.isa.nc.min(self.n).next_multiple_of(self.isa.nr) * self.isa.kc.min(self.k)
    }

    /// Column block `unit` of `units` (on register-tile boundaries), computed as an
    /// independent product with its own panel buffer.
    ///
    /// # Safety
    /// As [`Self::member`], without the shared panel.
    unsafe fn column_block(&self, unit: usize, units: usize) {
        let cols = share(self.n, self.isa.nr, unit, units);
        if cols.is_empty() {
            return;
        }
        let part = Product {
            n: cols.len(),
            b: self.b.at(0, cols.start),
            c: self.c.at(0, cols.start),
            ..*self
        };
        let done = with_scratch(&PACK_B, part.panel_len(), |panel: &mut [R]| {
            // SAFETY: this block's columns of B and C; its own panel buffer.
            unsafe { part.member(&Team::solo(), panel.as_mut_ptr(), 1) }
        });
        if done.is_none() {
            // SAFETY: this block's columns.
            unsafe { part.run_no_pack_fallback() };
        }
    }

    /// The whole product on this thread without packing buffers (when memory cannot
    /// be had).
    ///
    /// # Safety
    /// As [`Self::member`].
    unsafe fn run_no_pack_fallback(&self) {
        let p = self;
        // SAFETY: caller's contract, for every row and column.
        unsafe {
            no_pack_fallback(
                p.isa.kc,
                p.isa.complex,
                0..p.m,
                0..p.n,
                p.k,
                p.alpha,
                p.a,
                p.b,
                p.beta,
                p.c,
            )
        };
    }

    /// One member's part of the product (SPMD: every member of `team` calls this).
    ///
    /// For each KC×NC panel of B, the members pack it together into the shared buffer
    /// `panel` (claiming groups of NR slivers), then compute it against blocks of rows
    /// of C (cut on register-tile boundaries, each packing its own blocks of A), both
    /// split in one unit per member of a team of `team_size`, claimed by whoever is
    /// free ([`Team::each`], whose
    /// end is also what keeps the panel from being overwritten while in use). Every
    /// element of C is summed over the same KC blocks in the same order by the same
    /// kernel, so the result depends neither on the team nor on who computed what.
    ///
    /// # Safety
    /// `a` addresses m×k, `b` k×n readable elements; `c` an m×n writable block
    /// (ld ≥ m), disjoint from A and B; m, n, k > 0; `panel` points at
    /// [`Self::panel_len`] writable values used by nothing else during the product.
    pub unsafe fn member(&self, team: &Team, panel: *mut R, team_size: usize) {
        let Product {
            isa,
            m,
            n,
            k,
            alpha,
            a,
            b,
            beta,
            c,
        } = *self;
        let (mr, nr) = (isa.mr, isa.nr);
        // One contiguous block of rows per member, as evenly as register tiles allow:
        // finer or interleaved blocks share more cache lines of C between cores and
        // re-stream the panel of B more often (1024³ on 2 threads: 206 GFLOP/s with
        // halves; 194 with 8 blocks of 128 rows; 189 with MC-row blocks claimed in
        // turn). A member that is late still holds up nobody: the caller claims its
        // block when done with its own.
        let row_units = team_size.clamp(1, m.div_ceil(mr));
        for jc in (0..n).step_by(isa.nc) {
            let nb = isa.nc.min(n - jc);
            let slivers = nb.div_ceil(nr);
            let pack_units = team_size.clamp(1, slivers);
            for pc in (0..k).step_by(isa.kc) {
                let kb = isa.kc.min(k - pc);
                team.each(pack_units, |u| {
                    let cols = share(nb, nr, u, pack_units);
                    // SAFETY: disjoint whole-sliver ranges of the shared buffer; the
                    // block is inside op(B).
                    unsafe {
                        let dst = std::slice::from_raw_parts_mut(
                            panel.add(cols.start * kb),
                            cols.len().next_multiple_of(nr) * kb,
                        );
                        pack_b(&isa, kb, cols.len(), b.at(pc, jc + cols.start), dst);
                    }
                });
                // The first KC block applies beta; later ones accumulate.
                let beta = if pc == 0 { beta } else { R::ONE };
                team.each(row_units, |u| {
                    let rows = share(m, mr, u, row_units);
                    // SAFETY: disjoint row ranges of C; the panel is only read now.
                    unsafe {
                        row_range(
                            &isa,
                            rows,
                            nb,
                            kb,
                            alpha,
                            a.at(0, pc),
                            panel,
                            beta,
                            c.at(0, jc),
                        )
                    };
                });
            }
        }
    }
}

/// Units of work per thread a product is cut into: more than one, so a member that
/// starts late leaves whole units to the others instead of holding them up.
const UNITS_PER_THREAD: usize = 4;

/// Runs a product: `launch(threads, member)` runs `member` on every member of a team
/// of `threads` (the runtime's pool), or on the caller alone.
pub fn run<R: Lane, A: PackA<R>, B: PackB<R>>(
    product: &Product<R, A, B>,
    threads: usize,
    launch: &crate::blas::Launch,
) {
    let (row_tiles, col_tiles) = (
        product.m.div_ceil(product.isa.mr),
        product.n.div_ceil(product.isa.nr),
    );
    let units = threads * UNITS_PER_THREAD;
    if threads > 1 && row_tiles < 4 * threads && col_tiles > row_tiles {
        // Short and wide (e.g. inside a triangular solve): blocks of columns, each the
        // whole blocked product on its own columns.
        let units = units.min(col_tiles);
        // SAFETY: as below; column blocks of C and B are disjoint.
        launch(threads.min(units), &|team: &Team| {
            team.each(units, |u| unsafe { product.column_block(u, units) })
        });
        return;
    }
    let done = with_scratch(&PACK_B, product.panel_len(), |panel: &mut [R]| {
        let panel = SharedPanel(panel.as_mut_ptr());
        // Never more members than row tiles: an idle member would only wait.
        let threads = threads.clamp(1, row_tiles);
        // SAFETY: the product's contract was established by its builder; the panel is
        // this call's alone.
        launch(threads, &|team: &Team| unsafe {
            product.member(team, panel.ptr(), threads)
        });
    });
    if done.is_none() {
        // SAFETY: the product's contract, as above.
        unsafe { product.run_no_pack_fallback() };
    }
}

#[cfg(test)]
mod tests {
    //! The fallback without packing buffers (taken only when memory cannot be had)
    //! against the packed path on every kernel and operand layout: both run the same
    //! fused sums in the same order, so on the FMA kernels they agree bit for bit.

    use super::super::complex::{ComplexA, ComplexB, InterleavedA, InterleavedB};
    use super::*;
    use crate::arch::{Arch, ComplexPath};
    use crate::test_data::values;

    /// Runs `product` packed (on 2 threads) and on the no-pack fallback, each on a copy of `c0`
    /// (`product.c` is replaced), and asserts identical results.
    fn agree<A: PackA<f64>, B: PackB<f64>>(product: Product<f64, A, B>, c0: &[f64], what: &str) {
        let (mut packed, mut plain) = (c0.to_vec(), c0.to_vec());
        let with = |c: &mut Vec<f64>| Product {
            c: Out {
                ptr: c.as_mut_ptr(),
                ..product.c
            },
            ..product
        };
        run(&with(&mut packed), 2, &crate::runtime::launch);
        let p = with(&mut plain);
        // SAFETY: the operands were built over buffers of exactly these shapes.
        unsafe { p.run_no_pack_fallback() };
        let fused = p.isa.name != crate::arch::GENERIC.name;
        for (i, (x, y)) in packed.iter().zip(&plain).enumerate() {
            // The portable kernel multiplies and adds unfused (FMA is a libm call on CPUs
            // without it), so it differs from the fallback by rounding.
            let close = if fused {
                x == y
            } else {
                (x - y).abs() <= 1e-13
            };
            assert!(
                close,
                "{what} on {}, kc={} at {i}: {x} vs {y}",
                p.isa.name, p.isa.kc
            );
        }
    }

    #[test]
    fn the_no_pack_fallback_matches_every_packed_path() {
        // Complex sizes; the real product uses the same numbers of reals.
        let (m, n, k) = (37, 29, 23);
        let a = values(2 * m * k, 1);
        let b = values(2 * k * n, 2);
        let c0 = values(2 * m * n, 3);
        for arch in Arch::test_tables() {
            let isa = arch
                .gemm
                .double
                .real
                .expect("every table has an f64 kernel");
            let real = Product {
                isa,
                m,
                n,
                k,
                alpha: 0.75,
                a: Strided {
                    ptr: a.as_ptr(),
                    rs: 1,
                    cs: m as isize,
                },
                b: Strided {
                    ptr: b.as_ptr(),
                    rs: k as isize,
                    cs: 1,
                },
                beta: -1.5,
                c: Out {
                    ptr: std::ptr::null_mut(),
                    ld: m,
                },
            };
            agree(real, &c0, "real");
            for beta in [0.0, 1.0] {
                let one_m = Product {
                    isa: Isa {
                        kc: (isa.kc & !1).max(2),
                        ..isa
                    },
                    m: 2 * m,
                    n,
                    k: 2 * k,
                    alpha: 1.0,
                    a: ComplexA {
                        ptr: a.as_ptr(),
                        rs: 1,
                        cs: m as isize,
                        conj: true,
                    },
                    b: ComplexB {
                        ptr: b.as_ptr(),
                        rs: n as isize,
                        cs: 1,
                        conj: false,
                        alpha: (0.75, -0.5),
                    },
                    beta,
                    c: Out {
                        ptr: std::ptr::null_mut(),
                        ld: 2 * m,
                    },
                };
                agree(one_m, &c0, "1m");
                let ComplexPath::Interleaved(complex) = arch.gemm.double.complex else {
                    continue;
                };
                let interleaved = Product {
                    isa: complex,
                    m: 2 * m,
                    n: 2 * n,
                    k,
                    alpha: 1.0,
                    a: InterleavedA(ComplexA {
                        ptr: a.as_ptr(),
                        rs: k as isize,
                        cs: 1,
                        conj: false,
                    }),
                    b: InterleavedB(ComplexB {
                        ptr: b.as_ptr(),
                        rs: 1,
                        cs: k as isize,
                        conj: true,
                        alpha: (0.75, -0.5),
                    }),
                    beta,
                    c: Out {
                        ptr: std::ptr::null_mut(),
                        ld: m,
                    },
                };
                agree(interleaved, &c0, "interleaved");
            }
        }
    }
}
