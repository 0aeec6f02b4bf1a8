//! f64 matrix·vector kernels with 512-bit FMA, for the two halves of [`super::gemv`]:
//! `out += Σⱼ tⱼ·A[.., j]` (A·x, four columns per pass over `out`) and
//! `outⱼ += alpha·A[.., j]·x` (Aᵀ·x, four columns per pass over x).
//!
//! Both are bound by reading A; the portable loops compile to 2-lane SSE2 and use half
//! the bandwidth a core has. Every element's operations are the same wherever a
//! thread's share starts or ends (FMA in the vector body and the masked tail alike),
//! so results do not depend on the thread count.

/// Whether this CPU has the kernels (AVX-512F).
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        return true;
    }
    false
}

/// `out += Σⱼ (alpha·xⱼ)·A[first.., j]` for rows `first..first + out.len()`, columns in
/// order, skipping xⱼ = 0 as reference DGEMV does. `false` if this CPU has
/// no kernel (the caller then runs the portable loop).
pub fn columns(
    alpha: f64,
    a: faer::MatRef<'_, f64>,
    xs: &[f64],
    first: usize,
    out: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if available() {
        debug_assert!(a.row_stride() == 1 || a.nrows() <= 1);
        let cols: Vec<(usize, f64)> = xs
            .iter()
            .enumerate()
            .filter(|&(_, &x)| x != 0.0)
            .map(|(j, &x)| (j, alpha * x))
            .collect();
        let base = a.as_ptr().wrapping_add(first);
        let ld = a.col_stride() as usize;
        // SAFETY: AVX-512F is present; column j's rows first..first + out.len() are
        // inside A (the caller's split of A's rows).
        unsafe { avx512::columns(base, ld, &cols, out) };
        return true;
    }
    let _ = (alpha, a, xs, first, out);
    false
}

/// `out[j] += alpha·(A[.., first + j]·x)`; `false` if this CPU has no kernel.
pub fn dots(
    alpha: f64,
    a: faer::MatRef<'_, f64>,
    xs: &[f64],
    first: usize,
    out: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if available() {
        debug_assert!(a.row_stride() == 1 || a.nrows() <= 1);
        debug_assert_eq!(a.nrows(), xs.len());
        let ld = a.col_stride() as usize;
        let base = a.as_ptr().wrapping_add(first * ld);
        // SAFETY: AVX-512F is present; columns first.. of A hold xs.len() rows each.
        unsafe { avx512::dots(alpha, base, ld, xs, out) };
        return true;
    }
    let _ = (alpha, a, xs, first, out);
    false
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::*;

    /// Lanes of the `len − i` rows left, at most 8.
    #[inline(always)]
    fn mask(i: usize, len: usize) -> __mmask8 {
        let left = (len - i).min(8);
        ((1u16 << left) - 1) as __mmask8
    }

    /// # Safety
    /// AVX-512F; for each (j, _) in `cols`, `a + j·ld` addresses `out.len()` readable f64.
    #[target_feature(enable = "avx512f")]
    pub unsafe fn columns(a: *const f64, ld: usize, cols: &[(usize, f64)], out: &mut [f64]) {
        let len = out.len();
        let o = out.as_mut_ptr();
        let (groups, rest) = cols.as_chunks::<4>();
        for g in groups {
            let p: [*const f64; 4] = std::array::from_fn(|c| a.wrapping_add(g[c].0 * ld));
            let t: [__m512d; 4] = std::array::from_fn(|c| _mm512_set1_pd(g[c].1));
            let mut i = 0;
            while i < len {
                let m = mask(i, len);
                // SAFETY: rows i.. (masked to the column's length) of out and of the
                // four columns.
                unsafe {
                    let mut acc = _mm512_maskz_loadu_pd(m, o.add(i));
                    for c in 0..4 {
                        acc = _mm512_fmadd_pd(t[c], _mm512_maskz_loadu_pd(m, p[c].add(i)), acc);
                    }
                    _mm512_mask_storeu_pd(o.add(i), m, acc);
                }
                i += 8;
            }
        }
        for &(j, tj) in rest {
            let p = a.wrapping_add(j * ld);
            let t = _mm512_set1_pd(tj);
            let mut i = 0;
            while i < len {
                let m = mask(i, len);
                // SAFETY: as above, one column.
                unsafe {
                    let acc = _mm512_maskz_loadu_pd(m, o.add(i));
                    let acc = _mm512_fmadd_pd(t, _mm512_maskz_loadu_pd(m, p.add(i)), acc);
                    _mm512_mask_storeu_pd(o.add(i), m, acc);
                }
                i += 8;
            }
        }
    }

    /// One column's dot product, lane-wise partial sums reduced in a fixed order.
    #[target_feature(enable = "avx512f")]
    unsafe fn dot(p: *const f64, xs: &[f64]) -> __m512d {
        let len = xs.len();
        let mut acc = _mm512_setzero_pd();
        let mut i = 0;
        while i < len {
            let m = mask(i, len);
            // SAFETY: rows i.. (masked) of the column and of x.
            unsafe {
                let xv = _mm512_maskz_loadu_pd(m, xs.as_ptr().add(i));
                acc = _mm512_fmadd_pd(_mm512_maskz_loadu_pd(m, p.add(i)), xv, acc);
            }
            i += 8;
        }
        acc
    }

    /// # Safety
    /// AVX-512F; `a + j·ld` addresses `xs.len()` readable f64 for every j < out.len().
    #[target_feature(enable = "avx512f")]
    pub unsafe fn dots(alpha: f64, a: *const f64, ld: usize, xs: &[f64], out: &mut [f64]) {
        let len = xs.len();
        let n = out.len();
        let mut j = 0;
        // Four columns per pass over x: four independent chains, x loaded once.
        while j + 4 <= n {
            let p: [*const f64; 4] = std::array::from_fn(|c| a.wrapping_add((j + c) * ld));
            let mut acc = [_mm512_setzero_pd(); 4];
            let mut i = 0;
            while i < len {
                let m = mask(i, len);
                // SAFETY: rows i.. (masked) of x and of the four columns.
                unsafe {
                    let xv = _mm512_maskz_loadu_pd(m, xs.as_ptr().add(i));
                    for c in 0..4 {
                        acc[c] = _mm512_fmadd_pd(_mm512_maskz_loadu_pd(m, p[c].add(i)), xv, acc[c]);
                    }
                }
                i += 8;
            }
            for c in 0..4 {
                out[j + c] += alpha * _mm512_reduce_add_pd(acc[c]);
            }
            j += 4;
        }
        while j < n {
            // SAFETY: column j holds len rows.
            let acc = unsafe { dot(a.wrapping_add(j * ld), xs) };
            out[j] += alpha * _mm512_reduce_add_pd(acc);
            j += 1;
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
        if !std::arch::is_x86_feature_detected!("avx512f") {
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
                    assert!(columns(alpha, a.as_ref(), &xs, 0, lo));
                    assert!(columns(alpha, a.as_ref(), &xs, split, hi));
                    assert_eq!(y, want, "{m}x{n} split at {split}");
                }
            }
        }
    }

    /// As reference DGEMV: a zero x(j) skips its column, but a product alpha·x(j)
    /// that underflows to zero still meets A's infinity (0·∞ = NaN).
    #[test]
    fn only_a_zero_x_skips_its_column() {
        if !std::arch::is_x86_feature_detected!("avx512f") {
            return;
        }
        let a = Mat::from_fn(3, 2, |_, _| f64::INFINITY);
        let mut out = vec![1.0; 3];
        assert!(columns(0.25, a.as_ref(), &[0.0, 5e-324], 0, &mut out));
        assert!(out.iter().all(|v| v.is_nan()), "{out:?}");
        let mut out = vec![1.0; 3];
        assert!(columns(0.25, a.as_ref(), &[0.0, 0.0], 0, &mut out));
        assert_eq!(out, [1.0; 3]);
    }

    /// Aᵀ·x: against a naive sum within its rounding bound, and the same bits whether a
    /// column is computed in a group of four or alone.
    #[test]
    fn dots_match_a_naive_sum_and_every_split() {
        if !std::arch::is_x86_feature_detected!("avx512f") {
            return;
        }
        for m in 0..21 {
            for n in 0..10 {
                let a = matrix(m, n);
                let xs: Vec<f64> = (0..m).map(|i| 0.25 * i as f64 - 1.0).collect();
                let y0: Vec<f64> = (0..n).map(|j| j as f64).collect();
                let mut whole = y0.clone();
                assert!(dots(0.5, a.as_ref(), &xs, 0, &mut whole));
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
                    assert!(dots(0.5, a.as_ref(), &xs, 0, lo));
                    assert!(dots(0.5, a.as_ref(), &xs, split, hi));
                    assert_eq!(y, whole, "{m}x{n} split at {split}");
                }
            }
        }
    }
}
