//! The single door from a caller's `(pointer, rows, cols, leading dimension)` to safe
//! matrix views. Everything above this module holds raw pointers; everything below
//! holds `MatRef`/`MatMut`.

use faer::{MatMut, MatRef};
use std::ptr::NonNull;

/// A column-major `rows × cols` matrix whose column `j` starts at `ptr + j*ld`.
///
/// # Safety
/// When `rows > 0 && cols > 0`, `ptr` must be valid for reads of every element
/// `ptr[i + j*ld]` (`i < rows`, `j < cols`) for `'a`, with `ld >= rows`, and nothing may
/// write those elements during `'a`. An empty extent may pass any pointer (even null).
pub unsafe fn col_major<'a, T>(
    ptr: *const T,
    rows: usize,
    cols: usize,
    ld: usize,
) -> MatRef<'a, T> {
    let ptr = if rows == 0 || cols == 0 {
        NonNull::<T>::dangling().as_ptr()
    } else {
        ptr.cast_mut()
    };
    // SAFETY: the caller's contract above; faer never reads an empty extent.
    unsafe { MatRef::from_raw_parts(ptr, rows, cols, 1, ld as isize) }
}

/// The mutable twin of [`col_major`].
///
/// # Safety
/// As [`col_major`], plus: valid for writes, and no other view of those elements is
/// used during `'a`.
pub unsafe fn col_major_mut<'a, T>(
    ptr: *mut T,
    rows: usize,
    cols: usize,
    ld: usize,
) -> MatMut<'a, T> {
    let ptr = if rows == 0 || cols == 0 {
        NonNull::<T>::dangling().as_ptr()
    } else {
        ptr
    };
    // SAFETY: the caller's contract above.
    unsafe { MatMut::from_raw_parts_mut(ptr, rows, cols, 1, ld as isize) }
}

/// A caller's array of `len` elements (singular values, `tau`, a workspace) as a
/// slice.
///
/// # Safety
/// When `len > 0`, `ptr` must be valid for reads of `len` elements for `'a`, and nothing
/// may write them during `'a`. An empty array may pass any pointer (even null).
pub unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> &'a [T] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller's contract above.
    unsafe { std::slice::from_raw_parts(ptr, len) }
}

/// The mutable twin of [`slice`].
///
/// # Safety
/// As [`slice`], plus: valid for writes, and no other reference to those elements is
/// used during `'a`.
pub unsafe fn slice_mut<'a, T>(ptr: *mut T, len: usize) -> &'a mut [T] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller's contract above.
    unsafe { std::slice::from_raw_parts_mut(ptr, len) }
}

/// A matrix whose columns are shared out among the members of a team: each member takes
/// a disjoint range of columns (the one door through which a team writes one matrix).
pub struct ColumnShare<'a, T = f64> {
    ptr: *mut T,
    rows: usize,
    cols: usize,
    row_stride: isize,
    col_stride: isize,
    _borrow: std::marker::PhantomData<MatMut<'a, T>>,
}

// SAFETY: members only ever hold disjoint column ranges (the contract of `columns`).
unsafe impl<T: Send> Sync for ColumnShare<'_, T> {}

impl<'a, T> ColumnShare<'a, T> {
    pub fn new(m: MatMut<'a, T>) -> ColumnShare<'a, T> {
        ColumnShare {
            ptr: m.as_ptr_mut(),
            rows: m.nrows(),
            cols: m.ncols(),
            row_stride: m.row_stride(),
            col_stride: m.col_stride(),
            _borrow: std::marker::PhantomData,
        }
    }

    pub fn ncols(&self) -> usize {
        self.cols
    }

    /// Columns `range` of the shared matrix.
    ///
    /// # Safety
    /// No two live results may overlap: each member takes its own range.
    pub unsafe fn columns(&self, range: std::ops::Range<usize>) -> MatMut<'a, T> {
        assert!(range.start <= range.end && range.end <= self.cols);
        let ptr = self
            .ptr
            .wrapping_offset(range.start as isize * self.col_stride);
        // SAFETY: inside the original borrow; disjointness is the caller's contract.
        unsafe {
            MatMut::from_raw_parts_mut(
                ptr,
                self.rows,
                range.len(),
                self.row_stride,
                self.col_stride,
            )
        }
    }
}

/// Where element `i` of an `n`-vector with reference increment `inc` sits: a negative
/// increment walks the storage backwards, element 0 being the last one stored.
#[inline(always)]
fn vector_offset(n: usize, inc: isize, i: usize) -> isize {
    let start = if inc < 0 { (n as isize - 1) * -inc } else { 0 };
    start + i as isize * inc
}

/// A read-only BLAS vector: `n` elements `inc` apart (any sign, or 0).
#[derive(Clone, Copy)]
pub struct VecRef<'a, T> {
    ptr: *const T,
    n: usize,
    inc: isize,
    _borrow: std::marker::PhantomData<&'a T>,
}

/// The BLAS vector `x` of `n` elements with increment `inc` (reference layout).
///
/// # Safety
/// For n > 0, every `ptr[offset(i)]` (i < n) is readable for `'a` and not written.
/// n = 0 may pass any pointer.
pub unsafe fn vector<'a, T>(ptr: *const T, n: usize, inc: isize) -> VecRef<'a, T> {
    VecRef {
        ptr,
        n,
        inc,
        _borrow: std::marker::PhantomData,
    }
}

impl<'a, T: Copy> VecRef<'a, T> {
    /// A slice as a vector of increment 1.
    pub fn of(s: &'a [T]) -> VecRef<'a, T> {
        // SAFETY: the slice's elements are readable and not written while borrowed.
        unsafe { vector(s.as_ptr(), s.len(), 1) }
    }
    pub fn len(&self) -> usize {
        self.n
    }
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
    #[inline(always)]
    pub fn get(&self, i: usize) -> T {
        assert!(i < self.n);
        // SAFETY: i < n, inside the extent promised at construction.
        unsafe { *self.ptr.offset(vector_offset(self.n, self.inc, i)) }
    }
    /// The elements as a slice when they are contiguous and in order.
    pub fn as_slice(&self) -> Option<&'a [T]> {
        // SAFETY: n contiguous readable elements (the construction contract).
        (self.inc == 1 && self.n > 0)
            .then(|| unsafe { std::slice::from_raw_parts(self.ptr, self.n) })
    }
    /// The elements gathered in order.
    pub fn to_vec(&self) -> Vec<T> {
        match self.as_slice() {
            Some(s) => s.to_vec(),
            None => (0..self.n).map(|i| self.get(i)).collect(),
        }
    }
}

/// A writable BLAS vector: `n` elements `inc` apart (any sign; 0 makes every element
/// the same storage, written in order as the reference loops do).
pub struct VecMut<'a, T> {
    ptr: *mut T,
    n: usize,
    inc: isize,
    _borrow: std::marker::PhantomData<&'a mut T>,
}

/// The writable twin of [`vector`].
///
/// # Safety
/// As [`vector`], plus writable, and no other view of those elements is used during `'a`.
pub unsafe fn vector_mut<'a, T>(ptr: *mut T, n: usize, inc: isize) -> VecMut<'a, T> {
    VecMut {
        ptr,
        n,
        inc,
        _borrow: std::marker::PhantomData,
    }
}

impl<'a, T: Copy> VecMut<'a, T> {
    /// A slice as a writable vector of increment 1.
    pub fn of(s: &'a mut [T]) -> VecMut<'a, T> {
        // SAFETY: the slice's elements are writable and borrowed by this view alone.
        unsafe { vector_mut(s.as_mut_ptr(), s.len(), 1) }
    }
    pub fn len(&self) -> usize {
        self.n
    }
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
    /// A shorter-lived view of the same vector.
    pub fn rb_mut(&mut self) -> VecMut<'_, T> {
        VecMut {
            ptr: self.ptr,
            n: self.n,
            inc: self.inc,
            _borrow: std::marker::PhantomData,
        }
    }
    /// The same vector, read-only, for as long as this borrow.
    pub fn rb(&self) -> VecRef<'_, T> {
        VecRef {
            ptr: self.ptr,
            n: self.n,
            inc: self.inc,
            _borrow: std::marker::PhantomData,
        }
    }
    #[inline(always)]
    pub fn get(&self, i: usize) -> T {
        assert!(i < self.n);
        // SAFETY: i < n, inside the extent promised at construction.
        unsafe { *self.ptr.offset(vector_offset(self.n, self.inc, i)) }
    }
    #[inline(always)]
    pub fn set(&mut self, i: usize, v: T) {
        assert!(i < self.n);
        // SAFETY: as `get`, and the view is exclusive.
        unsafe { *self.ptr.offset(vector_offset(self.n, self.inc, i)) = v }
    }
    /// The elements as a mutable slice when they are contiguous and in order.
    pub fn as_mut_slice(&mut self) -> Option<&mut [T]> {
        // SAFETY: n contiguous writable elements, exclusively ours.
        (self.inc == 1 && self.n > 0)
            .then(|| unsafe { std::slice::from_raw_parts_mut(self.ptr, self.n) })
    }
}

/// Column `j` of a view with unit row stride, as a slice.
#[inline(always)]
pub fn col_slice<'a, T>(a: MatRef<'a, T>, j: usize) -> &'a [T] {
    assert!(j < a.ncols() && (a.row_stride() == 1 || a.nrows() <= 1));
    if a.nrows() == 0 {
        return &[];
    }
    // SAFETY: column j holds nrows contiguous elements the view may read for 'a.
    unsafe { std::slice::from_raw_parts(a.ptr_at(0, j), a.nrows()) }
}
