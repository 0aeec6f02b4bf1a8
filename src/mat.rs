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
