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
pub unsafe fn col_major<'a>(
    ptr: *const f64,
    rows: usize,
    cols: usize,
    ld: usize,
) -> MatRef<'a, f64> {
    let ptr = if rows == 0 || cols == 0 {
        NonNull::<f64>::dangling().as_ptr()
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
pub unsafe fn col_major_mut<'a>(
    ptr: *mut f64,
    rows: usize,
    cols: usize,
    ld: usize,
) -> MatMut<'a, f64> {
    let ptr = if rows == 0 || cols == 0 {
        NonNull::<f64>::dangling().as_ptr()
    } else {
        ptr
    };
    // SAFETY: the caller's contract above.
    unsafe { MatMut::from_raw_parts_mut(ptr, rows, cols, 1, ld as isize) }
}

/// A matrix whose columns are shared out among the members of a team: each member takes
/// a disjoint range of columns (the one door through which a team writes one matrix).
pub struct ColumnShare<'a> {
    ptr: *mut f64,
    rows: usize,
    cols: usize,
    row_stride: isize,
    col_stride: isize,
    _borrow: std::marker::PhantomData<MatMut<'a, f64>>,
}

// SAFETY: members only ever hold disjoint column ranges (the contract of `columns`).
unsafe impl Sync for ColumnShare<'_> {}

impl<'a> ColumnShare<'a> {
    pub fn new(m: MatMut<'a, f64>) -> ColumnShare<'a> {
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
    pub unsafe fn columns(&self, range: std::ops::Range<usize>) -> MatMut<'a, f64> {
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
