//! Matrix-vector BLAS (level 2) on structured matrices, for every element type: the
//! symmetric/Hermitian products (`?symv ?hemv ?sbmv ?hbmv ?spmv ?hpmv`), the triangular
//! products and solves (`?trmv ?tbmv ?tpmv`, `?trsv ?tbsv ?tpsv`), the general band
//! product (`?gbmv`) and the rank-1 and rank-2 updates (`?ger ?geru ?gerc`,
//! `?syr ?her ?spr ?hpr`, `?syr2 ?her2 ?spr2 ?hpr2`).
//!
//! Each is written once over [`Stored`] columns (full, band or packed alike), column
//! by column as the reference loops run, with the inner loops on contiguous slices.
//! `conj` flags say that the matrix is the conjugate of what is stored: that is how a
//! row-major CBLAS call of a Hermitian or conjugate-transposed routine arrives.
//!
//! The products read the matrix once and are bound by memory, which two cores read
//! faster than one: their columns are cut into chunks of about equal stored area
//! ([`chunked_sum`], a function of the shape alone), each chunk's contribution is
//! summed into its own vector, and the vectors are added in chunk order, so the
//! result has the same bits on any team.

use super::structured::{Layout, Stored, StoredMut};
use super::symv;
use super::{Par, Uplo};
use crate::mat::{VecMut, VecRef};
use crate::scalar::{Real, Scalar, as_f64, as_f64_mut, beta_times};
use faer::MatMut;
use faer::reborrow::ReborrowMut;
use std::borrow::Cow;
/// Stored elements from which a product's column chunks go to the team.
const TEAM_MIN: usize = 1 << 17;

/// Σ over column chunks of `f(chunk, p)` (each adding its columns' contribution to
/// an n-vector p), in chunk order. Below [`TEAM_MIN`] stored elements one chunk takes
/// every column, on the caller's thread, into the one vector returned; above it up to
/// eight chunks of about equal stored area (on eight-column boundaries) run on `par`'s
/// team, each into its own vector. The cut depends on the shape alone.
fn chunked_sum<T: Scalar>(
    par: Par<'_>,
    a: &Stored<'_, T>,
    f: impl Fn(std::ops::Range<usize>, &mut [T]) + Sync,
) -> Vec<T> {
    let n = a.shape.n;
    let area = |j: usize| a.column(j).1.len();
    let total: usize = (0..n).map(area).sum();
    let mut sum = vec![T::zero(); n];
    if total < TEAM_MIN {
        f(0..n, &mut sum);
        return sum;
    }
    let count = (total / (TEAM_MIN / 2)).clamp(1, 8);
    let mut cuts = vec![0];
    let mut acc = 0;
    for j in 0..n {
        acc += area(j);
        let want = total * cuts.len() / count;
        if acc >= want && cuts.len() < count && (j + 1) % 8 == 0 && j + 1 < n {
            cuts.push(j + 1);
        }
    }
    cuts.push(n);
    let chunks: Vec<_> = cuts.windows(2).map(|w| w[0]..w[1]).collect();
    let partials = par.run_parts(chunks, |cols| {
        let mut p = vec![T::zero(); n];
        f(cols, &mut p);
        p
    });
    for p in partials {
        sum.iter_mut().zip(p).for_each(|(s, v)| *s += v);
    }
    sum
}

/// A BLAS vector as a contiguous slice (gathered when its increment is not 1).
pub fn gathered<'a, T: Scalar>(x: VecRef<'a, T>) -> Cow<'a, [T]> {
    match x.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(x.to_vec()),
    }
}

/// Runs `f` on `y` as a contiguous slice: in place when its increment is 1, otherwise
/// on a gathered copy that is scattered back.
pub fn in_place<T: Scalar, R>(mut y: VecMut<'_, T>, f: impl FnOnce(&mut [T]) -> R) -> R {
    if let Some(s) = y.as_mut_slice() {
        return f(s);
    }
    if y.is_empty() {
        return f(&mut []);
    }
    let mut v = y.rb().to_vec();
    let r = f(&mut v);
    for (i, &e) in v.iter().enumerate() {
        y.set(i, e);
    }
    r
}

#[inline(always)]
fn op<T: Scalar>(conj: bool, v: T) -> T {
    if conj { v.conjugate() } else { v }
}

/// `y += t·op(a)` over the shorter of the two.
#[inline]
fn axpy_op<T: Scalar>(conj: bool, t: T, a: &[T], y: &mut [T]) {
    if conj {
        for (yi, &ai) in y.iter_mut().zip(a) {
            *yi += t * ai.conjugate();
        }
    } else {
        for (yi, &ai) in y.iter_mut().zip(a) {
            *yi += t * ai;
        }
    }
}

/// `Σ op(aᵢ)·xᵢ` over a's length.
#[inline]
fn dot_op<T: Scalar>(conj: bool, a: &[T], x: &[T]) -> T {
    super::level1::dot_slices(conj, a, &x[..a.len()])
}

/// Columns j..j+4 of a symmetric/Hermitian product (full or packed triangle) into p:
/// the rows the four share in one fused pass, the small triangle between them and
/// the diagonal one by one.
fn sym_mv_four<T: Scalar>(
    herm: bool,
    conj: bool,
    a: &Stored<'_, T>,
    uplo: Uplo,
    j: usize,
    x: &[T],
    p: &mut [T],
) {
    let cols: [&[T]; 4] = std::array::from_fn(|k| a.column(j + k).1);
    let xs: [T; 4] = std::array::from_fn(|k| x[j + k]);
    let conj_dot = conj != herm;
    // The shared rows, and where they start in each column.
    let (rows, offsets): (std::ops::Range<usize>, [usize; 4]) = match uplo {
        Uplo::Upper => (0..j, [0; 4]),
        Uplo::Lower => (j + 4..a.shape.n, std::array::from_fn(|k| 4 - k)),
    };
    let shared: [&[T]; 4] = std::array::from_fn(|k| &cols[k][offsets[k]..offsets[k] + rows.len()]);
    let mut sums = four_columns(conj, conj_dot, xs, shared, &mut p[rows.clone()], &x[rows]);
    // The triangle among the four columns, then the diagonal.
    for k in 0..4 {
        let (first, inner) = match uplo {
            Uplo::Upper => (j, &cols[k][j..j + k]),
            Uplo::Lower => (j + k + 1, &cols[k][1..4 - k]),
        };
        for (i, &v) in (first..).zip(inner) {
            p[i] += xs[k] * op(conj, v);
            sums[k] += op(conj_dot, v) * x[i];
        }
        let d = match uplo {
            Uplo::Upper => cols[k][j + k],
            Uplo::Lower => cols[k][0],
        };
        let d = if herm {
            T::from_real(d.re())
        } else {
            op(conj, d)
        };
        p[j + k] += xs[k] * d + sums[k];
    }
}

/// `p += Σₖ tₖ·op(aₖ)` and `sₖ = Σ op'(aₖᵢ)·xᵢ` for four columns in one pass, the sums in
/// eight partials each.
#[inline]
fn four_columns<T: Scalar>(
    conj_axpy: bool,
    conj_dot: bool,
    t: [T; 4],
    a: [&[T]; 4],
    p: &mut [T],
    x: &[T],
) -> [T; 4] {
    const LANES: usize = 8;
    let len = p.len();
    let mut acc = [[T::zero(); LANES]; 4];
    let blocks = len / LANES;
    for b in 0..blocks {
        let base = b * LANES;
        let pc = &mut p[base..base + LANES];
        let xc = &x[base..base + LANES];
        let ac: [&[T]; 4] = std::array::from_fn(|k| &a[k][base..base + LANES]);
        for l in 0..LANES {
            let mut v = pc[l];
            for k in 0..4 {
                let e = ac[k][l];
                v += t[k] * op(conj_axpy, e);
                acc[k][l] += op(conj_dot, e) * xc[l];
            }
            pc[l] = v;
        }
    }
    let mut sums: [T; 4] = std::array::from_fn(|k| {
        let c = &acc[k];
        ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]))
    });
    for i in blocks * LANES..len {
        for k in 0..4 {
            let e = a[k][i];
            p[i] += t[k] * op(conj_axpy, e);
            sums[k] += op(conj_dot, e) * x[i];
        }
    }
    sums
}

/// `p += t·op(a)` and `Σ op'(aᵢ)·xᵢ` in one pass over a (op conjugates when `conj_axpy`,
/// op' when `conj_dot`), the sum in [`LANES`] partials.
#[inline]
fn axpy_and_dot<T: Scalar>(
    conj_axpy: bool,
    conj_dot: bool,
    t: T,
    a: &[T],
    p: &mut [T],
    x: &[T],
) -> T {
    const LANES: usize = 8;
    let (p, x) = (&mut p[..a.len()], &x[..a.len()]);
    let mut acc = [T::zero(); LANES];
    let (ab, ar) = a.as_chunks::<LANES>();
    let (pb, pr) = p.as_chunks_mut::<LANES>();
    let (xb, xr) = x.as_chunks::<LANES>();
    for ((ac, pc), xc) in ab.iter().zip(pb.iter_mut()).zip(xb) {
        for l in 0..LANES {
            pc[l] += t * op(conj_axpy, ac[l]);
            acc[l] += op(conj_dot, ac[l]) * xc[l];
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for ((&av, pv), &xv) in ar.iter().zip(pr.iter_mut()).zip(xr) {
        *pv += t * op(conj_axpy, av);
        s += op(conj_dot, av) * xv;
    }
    s
}

/// `y := beta·y` (beta = 0 writes zeros without reading y).
fn scale<T: Scalar>(beta: T, y: &mut [T]) {
    if !beta.is_one() {
        y.iter_mut().for_each(|v| *v = beta_times(beta, *v));
    }
}

/// A column's stored elements split around the diagonal of a triangle: (the first
/// off-diagonal row, the off-diagonal elements, the diagonal element).
#[inline]
fn around_diagonal<T: Copy>(uplo: Uplo, r0: usize, col: &[T]) -> (usize, &[T], T) {
    match uplo {
        Uplo::Upper => {
            let (off, d) = col.split_at(col.len() - 1);
            (r0, off, d[0])
        }
        Uplo::Lower => (r0 + 1, &col[1..], col[0]),
    }
}

/// `y := alpha·A·x + beta·y` for a symmetric (or, with `herm`, Hermitian) A of which
/// one triangle is stored (reference ?SYMV/?SBMV/?SPMV, ?HEMV/?HBMV/?HPMV: a Hermitian
/// diagonal's imaginary part is not read). `conj`: A is the conjugate of the stored
/// matrix.
#[allow(clippy::too_many_arguments)]
pub fn sym_mv<T: Scalar>(
    par: Par<'_>,
    herm: bool,
    conj: bool,
    alpha: T,
    a: Stored<'_, T>,
    x: &[T],
    beta: T,
    y: &mut [T],
) {
    let uplo = a.shape.uplo.expect("a triangle");
    scale(beta, y);
    if alpha.is_zero() {
        return;
    }
    if !herm && full_f64(par, uplo, alpha.re().to_f64(), a, x, y) {
        return;
    }
    let blocked = !matches!(a.shape.layout, Layout::Band { .. });
    let ax = chunked_sum(par, &a, |cols, p: &mut [T]| {
        let mut j = cols.start;
        // Four columns at a time where their stored rows line up (full and packed
        // triangles): p and x are read once for the four.
        while blocked && j + 4 <= cols.end {
            sym_mv_four(herm, conj, &a, uplo, j, x, p);
            j += 4;
        }
        for j in j..cols.end {
            let (r0, col) = a.column(j);
            let (r, off, d) = around_diagonal(uplo, r0, col);
            // Row j of A, left of or below the diagonal, is the column's transpose (its
            // conjugate when Hermitian): one pass over the column does both.
            let t = axpy_and_dot(conj, conj != herm, x[j], off, &mut p[r..], &x[r..]);
            let d = if herm {
                T::from_real(d.re())
            } else {
                op(conj, d)
            };
            p[j] += x[j] * d + t;
        }
    });
    y.iter_mut().zip(ax).for_each(|(yi, v)| *yi += alpha * v);
}

/// `y += alpha·A·x` for an f64 symmetric A in full storage: the product the one-stage
/// tridiagonal reduction runs ([`symv::lower`], and its mirror [`symv::upper`]: each
/// element read once on the table's vector kernels; reference DSYTRD reaches DSYMV this
/// way), at every order (300²: 5 µs against the generic loop's 17). A·x goes through a
/// scratch vector on the stack below [`symv::ONE_CHUNK_BELOW`], so those calls do not
/// allocate. False, doing nothing, for every other type or storage.
fn full_f64<T: Scalar>(
    par: Par<'_>,
    uplo: Uplo,
    alpha: f64,
    a: Stored<'_, T>,
    x: &[T],
    y: &mut [T],
) -> bool {
    let (Some((data, ld)), Some(x), Some(y)) = (a.full(), as_f64(x), as_f64_mut(y)) else {
        return false;
    };
    let Some(data) = as_f64(data) else {
        return false;
    };
    let n = a.shape.n;
    let a = faer::MatRef::from_column_major_slice_with_stride(data, n, n, ld.max(1));
    // The scratch is zeroed when made: a 64-value one for the short products reference
    // DSYTD2 makes by the hundred (zeroing 4 KiB doubled dsymv 4²: 0.07 -> 0.16 µs).
    let (mut small, mut large, mut heap);
    let ax: &mut [f64] = if n <= 64 {
        small = [0.0; 64];
        &mut small[..n]
    } else if n <= symv::ONE_CHUNK_BELOW {
        large = [0.0; symv::ONE_CHUNK_BELOW];
        &mut large[..n]
    } else {
        heap = vec![0.0; n];
        &mut heap
    };
    match uplo {
        Uplo::Lower => symv::lower(par, a, x, ax),
        Uplo::Upper => symv::upper(par, a, x, ax),
    }
    y.iter_mut()
        .zip(ax.iter())
        .for_each(|(yi, v)| *yi += alpha * v);
    true
}

/// `y := alpha·op(A)·x + beta·y` for a general m×n band A (reference ?GBMV): `trans`
/// for Aᵀ (y has n elements), `conj` to conjugate A's elements.
#[allow(clippy::too_many_arguments)]
pub fn gb_mv<T: Scalar>(
    trans: bool,
    conj: bool,
    alpha: T,
    a: Stored<'_, T>,
    x: &[T],
    beta: T,
    y: &mut [T],
) {
    scale(beta, y);
    if alpha.is_zero() {
        return;
    }
    for j in 0..a.shape.n {
        let (r0, col) = a.column(j);
        if col.is_empty() {
            // A column whose band lies wholly below row m (a wide band) holds nothing.
            continue;
        }
        if trans {
            y[j] += alpha * dot_op(conj, col, &x[r0..]);
        } else if !x[j].is_zero() {
            axpy_op(conj, alpha * x[j], col, &mut y[r0..]);
        }
    }
}

/// `x := op(A)·x` for a triangular A (reference ?TRMV/?TBMV/?TPMV): `trans` for Aᵀ,
/// `conj` to conjugate A's elements (both: Aᴴ), `unit` for an implicit unit diagonal.
pub fn tri_mv<T: Scalar>(
    par: Par<'_>,
    trans: bool,
    conj: bool,
    unit: bool,
    a: Stored<'_, T>,
    x: &mut [T],
) {
    let uplo = a.shape.uplo.expect("a triangle");
    let input = &*x;
    let product = chunked_sum(par, &a, |cols, p: &mut [T]| {
        for j in cols {
            let (r0, col) = a.column(j);
            let (r, off, d) = around_diagonal(uplo, r0, col);
            let diag = if unit {
                input[j]
            } else {
                op(conj, d) * input[j]
            };
            if trans {
                p[j] = diag + dot_op(conj, off, &input[r..]);
            } else if !input[j].is_zero() {
                // As the reference: a zero x[j] does not multiply its column (an Inf
                // or NaN there must not reach the result).
                axpy_op(conj, input[j], off, &mut p[r..]);
                p[j] += diag;
            }
        }
    });
    x.copy_from_slice(&product);
}

/// Solves `op(A)·x = b` in place for a triangular A (reference ?TRSV/?TBSV/?TPSV; no
/// test for singularity, as there). Flags as [`tri_mv`].
pub fn tri_sv<T: Scalar>(trans: bool, conj: bool, unit: bool, a: Stored<'_, T>, x: &mut [T]) {
    let uplo = a.shape.uplo.expect("a triangle");
    let n = a.shape.n;
    let forward = (uplo == Uplo::Lower) != trans;
    for step in 0..n {
        let j = if forward { step } else { n - 1 - step };
        let (r0, col) = a.column(j);
        let (r, off, d) = around_diagonal(uplo, r0, col);
        let d = op(conj, d);
        if trans {
            let mut t = x[j] - dot_op(conj, off, &x[r..]);
            if !unit {
                t = t.divide(d);
            }
            x[j] = t;
        } else {
            if x[j].is_zero() {
                continue;
            }
            if !unit {
                x[j] = x[j].divide(d);
            }
            let t = -x[j];
            axpy_op(conj, t, off, &mut x[r..]);
        }
    }
}

/// `A := alpha·op(x)·op(y)ᵀ + A` for a general A (reference ?GER, ?GERU; ?GERC conjugates
/// y; a row-major ?GERC arrives with x conjugated instead).
pub fn ger<T: Scalar>(
    par: Par<'_>,
    alpha: T,
    x: &[T],
    conj_x: bool,
    y: &[T],
    conj_y: bool,
    a: MatMut<'_, T>,
) {
    let (m, n) = (a.nrows(), a.ncols());
    let update = |j0: usize, mut cols: MatMut<'_, T>| {
        for j in 0..cols.ncols() {
            let yj = y[j0 + j];
            if yj.is_zero() {
                continue;
            }
            let t = alpha * op(conj_y, yj);
            let col = cols
                .rb_mut()
                .col_mut(j)
                .try_as_col_major_mut()
                .expect("unit row stride")
                .as_slice_mut();
            axpy_op(conj_x, t, x, col);
        }
    };
    // Columns are disjoint: each member updates its own, in any order.
    let threads = if m * n >= TEAM_MIN {
        par.threads.min(n.div_ceil(8))
    } else {
        1
    };
    if threads <= 1 {
        return update(0, a);
    }
    let share = crate::mat::ColumnShare::new(a);
    let units = 4 * threads;
    (par.launch)(threads, &|team| {
        team.each(units, |u| {
            let range = crate::runtime::share(n, 8, u, units);
            // SAFETY: units take disjoint column ranges.
            update(range.start, unsafe { share.columns(range) });
        })
    });
}

/// `A := alpha·x·op(x)ᵀ + A` on the stored triangle (reference ?SYR/?SPR; with `herm`
/// ?HER/?HPR, alpha real and the diagonal's imaginary part set to zero).
pub fn sym_r1<T: Scalar>(herm: bool, alpha: T, x: &[T], mut a: StoredMut<'_, T>) {
    let uplo = a.shape.uplo.expect("a triangle");
    for (j, &xj) in x.iter().enumerate().take(a.shape.n) {
        let (r0, col) = a.column_mut(j);
        let dpos = if uplo == Uplo::Upper {
            col.len() - 1
        } else {
            0
        };
        if xj.is_zero() {
            if herm {
                col[dpos] = T::from_real(col[dpos].re());
            }
            continue;
        }
        let t = alpha * op(herm, xj);
        let d = col[dpos];
        axpy_op(false, t, &x[r0..r0 + col.len()], col);
        col[dpos] = if herm {
            T::from_real(d.re() + (xj * t).re())
        } else {
            d + xj * t
        };
    }
}

/// `A := alpha·x·op(y)ᵀ + op(alpha)·y·op(x)ᵀ + A` on the stored triangle (reference
/// ?SYR2/?SPR2; with `herm` ?HER2/?HPR2, op the conjugate, the diagonal real).
pub fn sym_r2<T: Scalar>(herm: bool, alpha: T, x: &[T], y: &[T], mut a: StoredMut<'_, T>) {
    let uplo = a.shape.uplo.expect("a triangle");
    for j in 0..a.shape.n {
        let (r0, col) = a.column_mut(j);
        let dpos = if uplo == Uplo::Upper {
            col.len() - 1
        } else {
            0
        };
        if x[j].is_zero() && y[j].is_zero() {
            if herm {
                col[dpos] = T::from_real(col[dpos].re());
            }
            continue;
        }
        let t1 = alpha * op(herm, y[j]);
        let t2 = op(herm, alpha * x[j]);
        let d = col[dpos];
        for (i, c) in col.iter_mut().enumerate() {
            *c += x[r0 + i] * t1 + y[r0 + i] * t2;
        }
        col[dpos] = if herm {
            T::from_real(d.re() + (x[j] * t1 + y[j] * t2).re())
        } else {
            d + x[j] * t1 + y[j] * t2
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blas::structured::Shape;
    use crate::scalar::{Real, c64};
    use crate::test_data::{matrix, values};
    use faer::Mat;

    fn seq() -> Par<'static> {
        Par::seq(crate::arch::detected())
    }

    fn nan<T: Scalar>() -> T {
        T::from_real(T::Re::from_f64(f64::NAN))
    }

    /// The storage of `dense`'s stored part in `layout` (NaN in every slot the layout
    /// leaves unused, and in the triangle not stored), and its shape.
    fn store<T: Scalar>(dense: &Mat<T>, layout: Layout, uplo: Option<Uplo>) -> (Vec<T>, Shape) {
        let (m, n) = (dense.nrows(), dense.ncols());
        let shape = Shape { m, n, layout, uplo };
        let mut data = vec![nan::<T>(); layout.extent(m, n) + 3];
        let mut view = StoredMut::new(&mut data, shape);
        for j in 0..n {
            let (r0, col) = view.column_mut(j);
            for (i, v) in col.iter_mut().enumerate() {
                *v = dense[(r0 + i, j)];
            }
        }
        (data, shape)
    }

    /// The layouts of a triangle of order n with band width k.
    fn layouts(uplo: Uplo, n: usize, k: usize) -> Vec<(Layout, &'static str)> {
        let (kl, ku) = if uplo == Uplo::Upper { (0, k) } else { (k, 0) };
        vec![
            (Layout::Full { ld: n + 2 }, "full"),
            (Layout::Band { ld: k + 3, kl, ku }, "band"),
            (Layout::Packed, "packed"),
        ]
    }

    /// The dense matrix a stored triangle stands for: zero outside the band (`k`),
    /// mirrored (`sym`, conjugated when `herm`, the diagonal then real) or zero outside
    /// the triangle.
    fn dense_of<T: Scalar>(
        n: usize,
        k: usize,
        uplo: Uplo,
        sym: bool,
        herm: bool,
        seed: u64,
    ) -> Mat<T> {
        let g = matrix::<T>(n, n, seed);
        Mat::from_fn(n, n, |i, j| {
            if i.abs_diff(j) > k {
                return T::zero();
            }
            let inside = if uplo == Uplo::Upper { i <= j } else { i >= j };
            if i == j && herm {
                T::from_real(g[(i, i)].re())
            } else if inside {
                g[(i, j)]
            } else if sym {
                if herm {
                    g[(j, i)].conjugate()
                } else {
                    g[(j, i)]
                }
            } else {
                T::zero()
            }
        })
    }

    fn vector<T: Scalar>(n: usize, seed: u64) -> Vec<T> {
        let v = values(2 * n, seed);
        (0..n)
            .map(|i| T::from_parts(T::Re::from_f64(v[2 * i]), T::Re::from_f64(v[2 * i + 1])))
            .collect()
    }

    fn close<T: Scalar>(got: &[T], want: &[T], what: &str) {
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            if w.is_nan() {
                // A slot outside what is stored: it must stay as it was.
                assert!(g.is_nan(), "{what}: [{i}] was written");
                continue;
            }
            let err = (*g - *w).modulus().to_f64();
            assert!(
                err <= 1e-12 * (1.0 + w.modulus().to_f64()),
                "{what}: [{i}] {g:?} vs {w:?}"
            );
        }
    }

    /// The dense product op(A)·x, op conjugating when `conj`, transposing when `trans`.
    fn product<T: Scalar>(a: &Mat<T>, trans: bool, conj: bool, x: &[T]) -> Vec<T> {
        let (m, n) = (a.nrows(), a.ncols());
        let at = |i: usize, j: usize| {
            let v = if trans { a[(j, i)] } else { a[(i, j)] };
            if conj { v.conjugate() } else { v }
        };
        let rows = if trans { n } else { m };
        (0..rows)
            .map(|i| {
                x.iter()
                    .enumerate()
                    .fold(T::zero(), |s, (p, &xp)| s + at(i, p) * xp)
            })
            .collect()
    }

    /// Every symmetric/Hermitian product, triangular product and solve, in every layout,
    /// triangle, transposition and conjugation, against the dense matrix it stands for.
    fn structured_products<T: Scalar>() {
        for n in [1usize, 4, 17] {
            for k in [0usize, 1, 3, 20] {
                for uplo in [Uplo::Upper, Uplo::Lower] {
                    for (layout, name) in layouts(uplo, n, k) {
                        // Full and packed triangles have every diagonal.
                        let k = if matches!(layout, Layout::Band { .. }) {
                            k
                        } else {
                            n
                        };
                        let x = vector::<T>(n, 31);
                        let y0 = vector::<T>(n, 32);
                        let (alpha, beta) = (
                            T::from_parts(T::Re::from_f64(0.5), T::Re::from_f64(1.0)),
                            T::from_real(T::Re::from_f64(-1.5)),
                        );
                        for herm in if T::COMPLEX {
                            vec![false, true]
                        } else {
                            vec![false]
                        } {
                            for conj in [false, true] {
                                let dense = dense_of::<T>(n, k, uplo, true, herm, 33);
                                let (data, shape) = store(&dense, layout, Some(uplo));
                                let mut y = y0.clone();
                                sym_mv(
                                    seq(),
                                    herm,
                                    conj,
                                    alpha,
                                    Stored::new(&data, shape),
                                    &x,
                                    beta,
                                    &mut y,
                                );
                                let ax = product(&dense, false, conj, &x);
                                let want: Vec<T> = ax
                                    .iter()
                                    .zip(&y0)
                                    .map(|(&p, &q)| alpha * p + beta * q)
                                    .collect();
                                close(
                                    &y,
                                    &want,
                                    &format!(
                                        "sym_mv {name} {uplo:?} n={n} k={k} herm={herm} conj={conj}"
                                    ),
                                );
                            }
                        }
                        for unit in [false, true] {
                            let mut dense = dense_of::<T>(n, k, uplo, false, false, 34);
                            for i in 0..n {
                                // Well away from singular for the solves.
                                dense[(i, i)] = if unit {
                                    T::one()
                                } else {
                                    dense[(i, i)] + T::from_real(T::Re::from_f64(3.0))
                                };
                            }
                            let (mut data, shape) = store(&dense, layout, Some(uplo));
                            if unit {
                                // An implicit unit diagonal is never read.
                                let mut view = StoredMut::new(&mut data, shape);
                                for j in 0..n {
                                    let (_, col) = view.column_mut(j);
                                    let d = if uplo == Uplo::Upper {
                                        col.len() - 1
                                    } else {
                                        0
                                    };
                                    col[d] = nan();
                                }
                            }
                            for trans in [false, true] {
                                for conj in [false, true] {
                                    let a = Stored::new(&data, shape);
                                    let mut z = x.clone();
                                    tri_mv(seq(), trans, conj, unit, a, &mut z);
                                    close(
                                        &z,
                                        &product(&dense, trans, conj, &x),
                                        &format!(
                                            "tri_mv {name} {uplo:?} n={n} k={k} trans={trans} conj={conj} unit={unit}"
                                        ),
                                    );
                                    tri_sv(trans, conj, unit, a, &mut z);
                                    close(
                                        &z,
                                        &x,
                                        &format!(
                                            "tri_sv {name} {uplo:?} n={n} k={k} trans={trans} conj={conj} unit={unit}"
                                        ),
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The rank-1 and rank-2 updates of a stored triangle in every layout, and the
    /// general band product and ?GER, against dense arithmetic.
    fn updates_and_general<T: Scalar>() {
        for n in [1usize, 4, 17] {
            let (x, y) = (vector::<T>(n, 41), vector::<T>(n, 42));
            let alpha = T::from_parts(T::Re::from_f64(0.75), T::Re::from_f64(-0.5));
            for uplo in [Uplo::Upper, Uplo::Lower] {
                for (layout, name) in layouts(uplo, n, n) {
                    if matches!(layout, Layout::Band { .. }) {
                        continue;
                    }
                    for herm in if T::COMPLEX {
                        vec![false, true]
                    } else {
                        vec![false]
                    } {
                        let dense = dense_of::<T>(n, n, uplo, true, herm, 43);
                        let op = |v: T| if herm { v.conjugate() } else { v };
                        // A Hermitian update uses a real alpha.
                        let a1 = if herm {
                            T::from_real(alpha.re())
                        } else {
                            alpha
                        };
                        for rank2 in [false, true] {
                            let (mut data, shape) = store(&dense, layout, Some(uplo));
                            if rank2 {
                                sym_r2(herm, alpha, &x, &y, StoredMut::new(&mut data, shape));
                            } else {
                                sym_r1(herm, a1, &x, StoredMut::new(&mut data, shape));
                            }
                            let want = Mat::from_fn(n, n, |i, j| {
                                let u = if rank2 {
                                    alpha * x[i] * op(y[j]) + op(alpha) * y[i] * op(x[j])
                                } else {
                                    a1 * x[i] * op(x[j])
                                };
                                dense[(i, j)] + u
                            });
                            let (stored_want, _) = store(&want, layout, Some(uplo));
                            let len = layout.extent(n, n);
                            close(
                                &data[..len],
                                &stored_want[..len],
                                &format!("{name} {uplo:?} herm={herm} rank2={rank2} n={n}"),
                            );
                        }
                    }
                }
            }
            // General band (m ≠ n, bands wider and narrower than the matrix) and ?GER.
            for &(m, kl, ku) in &[(n, 0, 0), (n + 3, 2, 1), (1, 0, 3), (n, 30, 30)] {
                let g = matrix::<T>(m, n, 44);
                let band = Mat::from_fn(m, n, |i, j| {
                    if i + ku >= j && i <= j + kl {
                        g[(i, j)]
                    } else {
                        T::zero()
                    }
                });
                let (data, shape) = store(
                    &band,
                    Layout::Band {
                        ld: kl + ku + 2,
                        kl,
                        ku,
                    },
                    None,
                );
                for trans in [false, true] {
                    for conj in [false, true] {
                        let xin = vector::<T>(if trans { m } else { n }, 45);
                        let y0 = vector::<T>(if trans { n } else { m }, 46);
                        let mut yv = y0.clone();
                        let beta = T::from_real(T::Re::from_f64(0.5));
                        gb_mv(
                            trans,
                            conj,
                            alpha,
                            Stored::new(&data, shape),
                            &xin,
                            beta,
                            &mut yv,
                        );
                        let ax = product(&band, trans, conj, &xin);
                        let want: Vec<T> = ax
                            .iter()
                            .zip(&y0)
                            .map(|(&p, &q)| alpha * p + beta * q)
                            .collect();
                        close(
                            &yv,
                            &want,
                            &format!("gb_mv m={m} n={n} kl={kl} ku={ku} trans={trans} conj={conj}"),
                        );
                    }
                }
                let xm = vector::<T>(m, 47);
                for (cx, cy) in [(false, false), (false, true), (true, false)] {
                    let mut a = g.clone();
                    ger(seq(), alpha, &xm, cx, &y, cy, a.as_mut());
                    let c = |v: T, f: bool| if f { v.conjugate() } else { v };
                    for i in 0..m {
                        let want: Vec<T> = (0..n)
                            .map(|j| g[(i, j)] + alpha * c(xm[i], cx) * c(y[j], cy))
                            .collect();
                        let got: Vec<T> = (0..n).map(|j| a[(i, j)]).collect();
                        close(&got, &want, &format!("ger m={m} n={n} conj {cx} {cy}"));
                    }
                }
            }
        }
    }

    #[test]
    fn structured_products_match_the_dense_matrix() {
        structured_products::<f64>();
        structured_products::<c64>();
    }

    #[test]
    fn updates_and_band_products_match_the_dense_matrix() {
        updates_and_general::<f64>();
        updates_and_general::<c64>();
    }

    /// Large enough to be cut into column chunks: the products and ?GER give the same
    /// bits on 1, 2, 3 and 8 threads, and match the dense product.
    #[test]
    fn chunked_products_are_the_same_on_every_team() {
        let n = 700;
        let dense = dense_of::<f64>(n, n, Uplo::Upper, true, false, 51);
        let (data, shape) = store(&dense, Layout::Full { ld: n }, Some(Uplo::Upper));
        let a = Stored::new(&data, shape);
        assert!(
            shape.layout.extent(n, n) / 2 >= TEAM_MIN,
            "n must reach the team"
        );
        let x = vector::<f64>(n, 52);
        let teams: Vec<Par<'static>> = [1, 2, 3, 8]
            .iter()
            .map(|&threads| Par {
                arch: crate::arch::detected(),
                threads,
                launch: &crate::runtime::launch,
            })
            .collect();
        let runs: Vec<(Vec<f64>, Vec<f64>, Mat<f64>)> = teams
            .iter()
            .map(|&p| {
                let mut y = vec![f64::NAN; n];
                sym_mv(p, false, false, 1.0, a, &x, 0.0, &mut y);
                let mut z = x.clone();
                tri_mv(p, true, false, false, a, &mut z);
                let mut g = dense.clone();
                ger(p, 0.5, &x, false, &x, false, g.as_mut());
                (y, z, g)
            })
            .collect();
        for r in &runs[1..] {
            assert!(
                r.0.iter()
                    .zip(&runs[0].0)
                    .all(|(p, q)| p.to_bits() == q.to_bits())
            );
            assert!(
                r.1.iter()
                    .zip(&runs[0].1)
                    .all(|(p, q)| p.to_bits() == q.to_bits())
            );
            assert!(r.2 == runs[0].2);
        }
        close(
            &runs[0].0,
            &product(&dense, false, false, &x),
            "sym_mv chunked",
        );
        let upper = Mat::from_fn(n, n, |i, j| if i <= j { dense[(i, j)] } else { 0.0 });
        close(
            &runs[0].1,
            &product(&upper, true, false, &x),
            "tri_mv chunked",
        );
    }

    /// The f64 lower triangle in full storage runs on the tridiagonal reduction's product
    /// (`symv::lower`): the same bits on every team, beta·y added, the upper triangle
    /// (NaN) never read, and the dense product's values.
    #[test]
    fn lower_f64_product_is_the_same_on_every_team() {
        let n = 700;
        let dense = dense_of::<f64>(n, n, Uplo::Lower, true, false, 61);
        let (data, shape) = store(&dense, Layout::Full { ld: n + 3 }, Some(Uplo::Lower));
        let a = Stored::new(&data, shape);
        let x = vector::<f64>(n, 62);
        let y0 = vector::<f64>(n, 63);
        let runs: Vec<Vec<f64>> = [1, 2, 3, 8]
            .iter()
            .map(|&threads| {
                let p = Par {
                    arch: crate::arch::detected(),
                    threads,
                    launch: &crate::runtime::launch,
                };
                let mut y = y0.clone();
                sym_mv(p, false, false, 2.0, a, &x, 0.5, &mut y);
                y
            })
            .collect();
        for r in &runs[1..] {
            assert!(
                r.iter()
                    .zip(&runs[0])
                    .all(|(p, q)| p.to_bits() == q.to_bits())
            );
        }
        let ax = product(&dense, false, false, &x);
        let want: Vec<f64> = ax.iter().zip(&y0).map(|(v, y)| 2.0 * v + 0.5 * y).collect();
        close(&runs[0], &want, "sym_mv lower f64");
    }
}
