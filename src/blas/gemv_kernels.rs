//! f64 matrix·vector kernels with 512-bit FMA, for the two halves of [`super::gemv`]:
//! `out += Σⱼ tⱼ·A[.., j]` (A·x, four columns per pass over `out`) and
//! `outⱼ += alpha·A[.., j]·x` (Aᵀ·x, four columns per pass over x); and both at once
//! for [`super::gemv::dots_then_combination`] ([`dots_then_axpy`]) and for
//! [`super::symv`] ([`dots_and_axpy`]).
//!
//! Both are bound by reading A; the portable loops compile to 2-lane SSE2 and use half
//! the bandwidth a core has. Every element's operations are the same wherever a
//! thread's share starts or ends (FMA in the vector body and the masked tail alike),
//! so results do not depend on the thread count.

use crate::arch::GemvPath;

/// One thread's share of `op(A)·x` (A column-major), added into `out`:
/// - `keeps_rows`: `out += Σⱼ (alpha·xⱼ)·A[first.., j]` for rows `first..first +
///   out.len()`, columns in order, skipping xⱼ = 0 as reference DGEMV does;
/// - else: `out[j] += alpha·(A[.., first + j]·x)`.
///
/// `false` if `path` has no kernel (the caller then runs the portable loop).
pub fn part(
    path: GemvPath,
    keeps_rows: bool,
    alpha: f64,
    a: faer::MatRef<'_, f64>,
    xs: &[f64],
    first: usize,
    out: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if path == GemvPath::Avx512 {
        debug_assert!(a.row_stride() == 1 || a.nrows() <= 1);
        let ld = a.col_stride() as usize;
        if keeps_rows {
            // SAFETY: the table has this path only on CPUs with AVX-512F; column j's rows first..first + out.len()
            // are inside A (the caller's split of A's rows).
            unsafe { avx512::columns(a.as_ptr().wrapping_add(first), ld, alpha, xs, out) };
        } else {
            debug_assert_eq!(a.nrows(), xs.len());
            // SAFETY: the table has this path only on CPUs with AVX-512F; columns first.. of A hold xs.len() rows.
            unsafe { avx512::dots(alpha, a.as_ptr().wrapping_add(first * ld), ld, xs, out) };
        }
        return true;
    }
    let _ = (path, keeps_rows, alpha, a, xs, first, out);
    false
}

/// One pass over the columns of A (column-major, unit row stride) for two products
/// at once: `t[j] = A[.., j]·u`, then `out += coef(j, t[j])·A[.., j]` while the column
/// is still in cache, four columns at a time. Each `t[j]` and each element of `out` is
/// summed in the same order whatever the column count, so a caller that cuts A's
/// columns into fixed chunks gets the same bits for every thread count.
///
/// `false` if `path` has no kernel (the caller then runs the portable loop).
pub fn dots_then_axpy(
    path: GemvPath,
    a: faer::MatRef<'_, f64>,
    u: &[f64],
    coef: &dyn Fn(usize, f64) -> f64,
    t: &mut [f64],
    out: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if path == GemvPath::Avx512 {
        assert!(u.len() == a.nrows() && out.len() == a.nrows() && t.len() == a.ncols());
        assert!(a.row_stride() == 1 || a.nrows() <= 1);
        // SAFETY: the table has this path only on CPUs with AVX-512F; every column holds `u.len()` readable f64.
        unsafe { avx512::dots_then_axpy(a.as_ptr(), a.col_stride() as usize, u, coef, t, out) };
        return true;
    }
    let _ = (path, a, u, coef, t, out);
    false
}

/// [`dots_then_axpy`] when the coefficients are known before the dots (the symmetric
/// product's case, [`super::symv`]): `t[j] = A[.., j]·u` and `out += Σⱼ coef[j]·A[.., j]`
/// in one pass over the rows, eight columns at a time (one load of u and of `out` per
/// eight columns), so each element of A is loaded once. Each `t[j]` and each element of `out` is summed in the same order whatever
/// the column count.
///
/// `false` if `path` has no kernel (the caller then runs the portable loop).
pub fn dots_and_axpy(
    path: GemvPath,
    a: faer::MatRef<'_, f64>,
    u: &[f64],
    coef: &[f64],
    t: &mut [f64],
    out: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if path == GemvPath::Avx512 {
        assert!(u.len() == a.nrows() && out.len() == a.nrows());
        assert!(t.len() == a.ncols() && coef.len() == a.ncols());
        assert!(a.row_stride() == 1 || a.nrows() <= 1);
        // SAFETY: the table has this path only on CPUs with AVX-512F; every column holds `u.len()` readable f64.
        unsafe { avx512::dots_and_axpy(a.as_ptr(), a.col_stride() as usize, u, coef, t, out) };
        return true;
    }
    let _ = (path, a, u, coef, t, out);
    false
}

/// [`dots_and_axpy`] on eight columns of a symmetric matrix's triangle with their
/// diagonal block, in the same vector pass as the rest of the columns (per-column masks
/// on the block, instead of a scalar triangle). `upper` false: `a` is (len ≥ 8)×8 from
/// the first column's diagonal element down, column c's dot taking rows c.. (the
/// diagonal once) and its axpy rows c + 1..; `upper`: `a` is (len ≥ 8)×8 from row 0
/// down to the block's last row, column c's dot taking the rows up to its diagonal
/// element and its axpy those above it. The block's other triangle is never read.
///
/// `false` if `path` has no kernel.
pub fn dots_and_axpy_with_diagonal(
    path: GemvPath,
    upper: bool,
    a: faer::MatRef<'_, f64>,
    u: &[f64],
    coef: &[f64; 8],
    t: &mut [f64; 8],
    out: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if path == GemvPath::Avx512 {
        assert!(u.len() == a.nrows() && out.len() == a.nrows() && a.ncols() == 8);
        assert!(a.nrows() >= 8 && a.row_stride() == 1);
        let ld = a.col_stride() as usize;
        let cols: [*const f64; 8] = std::array::from_fn(|c| a.as_ptr().wrapping_add(c * ld));
        // SAFETY: the table has this path only on CPUs with AVX-512F; every column
        // holds `u.len()` readable f64 (the block's other triangle masked off, never
        // read).
        *t = unsafe {
            if upper {
                avx512::dot_axpy_pass::<8, { avx512::UPPER_LAST }>(cols, u, *coef, out)
            } else {
                avx512::dot_axpy_pass::<8, { avx512::LOWER_FIRST }>(cols, u, *coef, out)
            }
        };
        return true;
    }
    let _ = (path, upper, a, u, coef, t, out);
    false
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    /// Where [`dot_axpy_pass`]'s columns have their diagonal block.
    pub const NO_BLOCK: u8 = 0;
    pub const LOWER_FIRST: u8 = 1;
    pub const UPPER_LAST: u8 = 2;

    /// Lanes of the `len − i` rows left, at most 8.
    #[inline(always)]
    fn mask(i: usize, len: usize) -> __mmask8 {
        let left = (len - i).min(8);
        ((1u16 << left) - 1) as __mmask8
    }

    /// `out += Σ_c t[c]·column c` in one pass over `out`, the columns in order.
    ///
    /// # Safety
    /// AVX-512F; each column addresses `out.len()` readable f64.
    #[target_feature(enable = "avx512f")]
    unsafe fn axpy_pass<const C: usize>(cols: [*const f64; C], t: [f64; C], out: &mut [f64]) {
        let len = out.len();
        let o = out.as_mut_ptr();
        let t: [__m512d; C] = t.map(|x| _mm512_set1_pd(x));
        let mut i = 0;
        while i < len {
            let m = mask(i, len);
            // SAFETY: rows i.. (masked to the length) of out and of the columns.
            unsafe {
                let mut acc = _mm512_maskz_loadu_pd(m, o.add(i));
                for c in 0..C {
                    acc = _mm512_fmadd_pd(t[c], _mm512_maskz_loadu_pd(m, cols[c].add(i)), acc);
                }
                _mm512_mask_storeu_pd(o.add(i), m, acc);
            }
            i += 8;
        }
    }

    /// `out += Σⱼ (alpha·xⱼ)·column j` over the nonzero xⱼ, four columns per pass.
    ///
    /// # Safety
    /// AVX-512F; `a + j·ld` addresses `out.len()` readable f64 for every j < xs.len().
    #[target_feature(enable = "avx512f")]
    pub unsafe fn columns(a: *const f64, ld: usize, alpha: f64, xs: &[f64], out: &mut [f64]) {
        let mut group = [(std::ptr::null::<f64>(), 0.0); 4];
        let mut filled = 0;
        for (j, &x) in xs.iter().enumerate() {
            if x == 0.0 {
                continue;
            }
            group[filled] = (a.wrapping_add(j * ld), alpha * x);
            filled += 1;
            if filled == 4 {
                // SAFETY: the caller's contract, four of its columns.
                unsafe { axpy_pass(group.map(|g| g.0), group.map(|g| g.1), out) };
                filled = 0;
            }
        }
        for &(col, t) in &group[..filled] {
            // SAFETY: as above, one column.
            unsafe { axpy_pass([col], [t], out) };
        }
    }

    /// The dot products of `C` columns with x in one pass over x: lane-wise partial
    /// sums, each reduced in the same fixed order.
    ///
    /// # Safety
    /// AVX-512F; each column addresses `xs.len()` readable f64.
    #[target_feature(enable = "avx512f")]
    unsafe fn dot_pass<const C: usize>(cols: [*const f64; C], xs: &[f64]) -> [f64; C] {
        let len = xs.len();
        let mut acc = [_mm512_setzero_pd(); C];
        let mut i = 0;
        while i < len {
            let m = mask(i, len);
            // SAFETY: rows i.. (masked) of x and of the columns.
            unsafe {
                let xv = _mm512_maskz_loadu_pd(m, xs.as_ptr().add(i));
                for c in 0..C {
                    acc[c] = _mm512_fmadd_pd(_mm512_maskz_loadu_pd(m, cols[c].add(i)), xv, acc[c]);
                }
            }
            i += 8;
        }
        acc.map(|v| _mm512_reduce_add_pd(v))
    }

    /// [`super::dots_then_axpy`]: four dot products in one pass over u, then the four
    /// columns (now in L1 or L2) added into `out` in one pass.
    ///
    /// # Safety
    /// AVX-512F; `a + j·ld` addresses `u.len() == out.len()` readable f64 for every
    /// j < t.len().
    #[target_feature(enable = "avx512f")]
    pub unsafe fn dots_then_axpy(
        a: *const f64,
        ld: usize,
        u: &[f64],
        coef: &dyn Fn(usize, f64) -> f64,
        t: &mut [f64],
        out: &mut [f64],
    ) {
        let column = |j: usize| a.wrapping_add(j * ld);
        let (groups, rest) = t.as_chunks_mut::<4>();
        for (g, tg) in groups.iter_mut().enumerate() {
            let cols: [*const f64; 4] = std::array::from_fn(|c| column(4 * g + c));
            // SAFETY: the caller's contract, columns 4g..4g + 4.
            *tg = unsafe { dot_pass::<4>(cols, u) };
            let c: [f64; 4] = std::array::from_fn(|c| coef(4 * g + c, tg[c]));
            // SAFETY: as above.
            unsafe { axpy_pass::<4>(cols, c, out) };
        }
        let done = 4 * groups.len();
        for (j, tj) in rest.iter_mut().enumerate() {
            let col = column(done + j);
            // SAFETY: as above, one column.
            let [s] = unsafe { dot_pass([col], u) };
            *tj = s;
            // SAFETY: as above.
            unsafe { axpy_pass([col], [coef(done + j, s)], out) };
        }
    }

    /// `C` columns' dots with u and their combination with `coef` into `out`, in one
    /// pass over the rows.
    ///
    /// # Safety
    /// AVX-512F; each column addresses `u.len() == out.len()` readable f64.
    ///
    /// `BLOCK` says where eight columns' diagonal block of a symmetric matrix sits
    /// (C = 8): [`LOWER_FIRST`], rows 0..8, column c reading rows c.. of it into its dot
    /// and rows c + 1.. into the axpy; [`UPPER_LAST`], the last 8 rows, column c reading
    /// rows ..=c into its dot and rows ..c into the axpy; [`NO_BLOCK`], none.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn dot_axpy_pass<const C: usize, const BLOCK: u8>(
        cols: [*const f64; C],
        u: &[f64],
        coef: [f64; C],
        out: &mut [f64],
    ) -> [f64; C] {
        let len = u.len();
        let o = out.as_mut_ptr();
        let coef: [__m512d; C] = coef.map(|x| _mm512_set1_pd(x));
        let mut acc = [_mm512_setzero_pd(); C];
        // The diagonal block at row `r`, with column c's dot and axpy masks.
        let block = |acc: &mut [__m512d; C],
                     r: usize,
                     dot: fn(usize) -> __mmask8,
                     axpy: fn(usize) -> __mmask8| {
            // SAFETY: rows r..r + 8 of u and out; column c's rows in its masks.
            unsafe {
                let uv = _mm512_loadu_pd(u.as_ptr().add(r));
                let mut ov = _mm512_loadu_pd(o.add(r));
                for c in 0..C {
                    let col = _mm512_maskz_loadu_pd(dot(c), cols[c].add(r));
                    acc[c] = _mm512_fmadd_pd(col, uv, acc[c]);
                    let off = _mm512_maskz_mov_pd(axpy(c), col);
                    ov = _mm512_fmadd_pd(coef[c], off, ov);
                }
                _mm512_storeu_pd(o.add(r), ov);
            }
        };
        let (mut i, end) = match BLOCK {
            LOWER_FIRST => {
                block(
                    &mut acc,
                    0,
                    |c| (0xffu16 << c) as __mmask8,
                    |c| (0xffu16 << (c + 1)) as __mmask8,
                );
                (8, len)
            }
            UPPER_LAST => (0, len - 8),
            _ => (0, len),
        };
        while i < end {
            let m = mask(i, end);
            // SAFETY: rows i.. (masked to the end) of u, out and the columns.
            unsafe {
                let uv = _mm512_maskz_loadu_pd(m, u.as_ptr().add(i));
                let mut ov = _mm512_maskz_loadu_pd(m, o.add(i));
                for c in 0..C {
                    let col = _mm512_maskz_loadu_pd(m, cols[c].add(i));
                    acc[c] = _mm512_fmadd_pd(col, uv, acc[c]);
                    ov = _mm512_fmadd_pd(coef[c], col, ov);
                }
                _mm512_mask_storeu_pd(o.add(i), m, ov);
            }
            i += 8;
        }
        if BLOCK == UPPER_LAST {
            block(
                &mut acc,
                end,
                |c| (0xffu16 >> (7 - c)) as __mmask8,
                |c| ((1u16 << c) - 1) as __mmask8,
            );
        }
        acc.map(|v| _mm512_reduce_add_pd(v))
    }

    /// [`super::dots_and_axpy`], eight columns per pass.
    ///
    /// # Safety
    /// AVX-512F; `a + j·ld` addresses `u.len() == out.len()` readable f64 for every
    /// j < t.len().
    #[target_feature(enable = "avx512f")]
    pub unsafe fn dots_and_axpy(
        a: *const f64,
        ld: usize,
        u: &[f64],
        coef: &[f64],
        t: &mut [f64],
        out: &mut [f64],
    ) {
        let column = |j: usize| a.wrapping_add(j * ld);
        let (groups, rest) = t.as_chunks_mut::<8>();
        for (g, tg) in groups.iter_mut().enumerate() {
            let cols: [*const f64; 8] = std::array::from_fn(|c| column(8 * g + c));
            let c: [f64; 8] = std::array::from_fn(|c| coef[8 * g + c]);
            // SAFETY: the caller's contract, columns 8g..8g + 8.
            *tg = unsafe { dot_axpy_pass::<8, NO_BLOCK>(cols, u, c, out) };
        }
        let done = 8 * groups.len();
        for (j, tj) in rest.iter_mut().enumerate() {
            // SAFETY: as above, one column.
            let [s] = unsafe {
                dot_axpy_pass::<1, NO_BLOCK>([column(done + j)], u, [coef[done + j]], out)
            };
            *tj = s;
        }
    }

    /// `out[j] += alpha·(column j · x)`, four columns per pass over x.
    ///
    /// # Safety
    /// AVX-512F; `a + j·ld` addresses `xs.len()` readable f64 for every j < out.len().
    #[target_feature(enable = "avx512f")]
    pub unsafe fn dots(alpha: f64, a: *const f64, ld: usize, xs: &[f64], out: &mut [f64]) {
        let column = |j: usize| a.wrapping_add(j * ld);
        let (groups, rest) = out.as_chunks_mut::<4>();
        for (g, o) in groups.iter_mut().enumerate() {
            // SAFETY: the caller's contract, columns 4g..4g + 4.
            let sums = unsafe { dot_pass::<4>(std::array::from_fn(|c| column(4 * g + c)), xs) };
            for (o, s) in o.iter_mut().zip(sums) {
                *o += alpha * s;
            }
        }
        let done = 4 * groups.len();
        for (j, o) in rest.iter_mut().enumerate() {
            // SAFETY: as above, one column.
            let [s] = unsafe { dot_pass([column(done + j)], xs) };
            *o += alpha * s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::Mat;

    fn matrix(m: usize, n: usize) -> Mat<f64> {
        Mat::from_fn(m, n, |i, j| {
            ((i * 7 + j * 13) % 19) as f64 / 3.0 - 2.9 + 1e-3 * i as f64
        })
    }

    /// A·x: each element is the FMA chain over the nonzero columns in order, bit for
    /// bit, for every length (each tail) and wherever a share of the rows starts.
    #[test]
    fn columns_are_the_fma_chain_for_every_tail_and_split() {
        if crate::arch::detected().gemv != GemvPath::Avx512 {
            return;
        }
        for m in 0..21 {
            for n in 0..10 {
                let a = matrix(m, n);
                let xs: Vec<f64> = (0..n)
                    .map(|j| if j == 3 { 0.0 } else { 0.5 + j as f64 })
                    .collect();
                let y0: Vec<f64> = (0..m).map(|i| i as f64 - 4.0).collect();
                let alpha = -1.25;
                let want: Vec<f64> = (0..m)
                    .map(|i| {
                        (0..n).fold(y0[i], |o, j| {
                            if xs[j] == 0.0 {
                                o
                            } else {
                                (alpha * xs[j]).mul_add(a[(i, j)], o)
                            }
                        })
                    })
                    .collect();
                for split in 0..=m {
                    let mut y = y0.clone();
                    let (lo, hi) = y.split_at_mut(split);
                    assert!(part(GemvPath::Avx512, true, alpha, a.as_ref(), &xs, 0, lo));
                    assert!(part(
                        GemvPath::Avx512,
                        true,
                        alpha,
                        a.as_ref(),
                        &xs,
                        split,
                        hi
                    ));
                    assert_eq!(y, want, "{m}x{n} split at {split}");
                }
            }
        }
    }

    /// As reference DGEMV: a zero x(j) skips its column, but a product alpha·x(j)
    /// that underflows to zero still meets A's infinity (0·∞ = NaN).
    #[test]
    fn only_a_zero_x_skips_its_column() {
        if crate::arch::detected().gemv != GemvPath::Avx512 {
            return;
        }
        let a = Mat::from_fn(3, 2, |_, _| f64::INFINITY);
        let mut out = vec![1.0; 3];
        assert!(part(
            GemvPath::Avx512,
            true,
            0.25,
            a.as_ref(),
            &[0.0, 5e-324],
            0,
            &mut out
        ));
        assert!(out.iter().all(|v| v.is_nan()), "{out:?}");
        let mut out = vec![1.0; 3];
        assert!(part(
            GemvPath::Avx512,
            true,
            0.25,
            a.as_ref(),
            &[0.0, 0.0],
            0,
            &mut out
        ));
        assert_eq!(out, [1.0; 3]);
    }

    /// Aᵀ·x: against a naive sum within its rounding bound, and the same bits whether a
    /// column is computed in a group of four or alone.
    #[test]
    fn dots_match_a_naive_sum_and_every_split() {
        if crate::arch::detected().gemv != GemvPath::Avx512 {
            return;
        }
        for m in 0..21 {
            for n in 0..10 {
                let a = matrix(m, n);
                let xs: Vec<f64> = (0..m).map(|i| 0.25 * i as f64 - 1.0).collect();
                let y0: Vec<f64> = (0..n).map(|j| j as f64).collect();
                let mut whole = y0.clone();
                assert!(part(
                    GemvPath::Avx512,
                    false,
                    0.5,
                    a.as_ref(),
                    &xs,
                    0,
                    &mut whole
                ));
                for j in 0..n {
                    let (sum, mag) = (0..m).fold((0.0, 0.0), |(s, g), i| {
                        (s + a[(i, j)] * xs[i], g + (a[(i, j)] * xs[i]).abs())
                    });
                    let err = (whole[j] - (y0[j] + 0.5 * sum)).abs();
                    assert!(
                        err <= 2.0 * (m + 2) as f64 * f64::EPSILON * (mag + y0[j].abs()),
                        "{m}x{n} column {j}"
                    );
                }
                for split in 0..=n {
                    let mut y = y0.clone();
                    let (lo, hi) = y.split_at_mut(split);
                    assert!(part(GemvPath::Avx512, false, 0.5, a.as_ref(), &xs, 0, lo));
                    assert!(part(
                        GemvPath::Avx512,
                        false,
                        0.5,
                        a.as_ref(),
                        &xs,
                        split,
                        hi
                    ));
                    assert_eq!(y, whole, "{m}x{n} split at {split}");
                }
            }
        }
    }
}
