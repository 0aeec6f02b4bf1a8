//! Symmetric matrix·vector product from one triangle (the ?SYMV operation, lower):
//! `y = A·x` reading each element of A's lower triangle once.
//!
//! A transposed gemv on both triangles reads twice the data for the same flops, and
//! this product is bound by reading A (the one-stage tridiagonal reduction does one per
//! column). Here each element below the diagonal serves twice while it is in cache: in
//! its column's dot product (`y[j] += A[i, j]·x[i]`) and in the axpy down that column
//! (`y[i] += A[i, j]·x[j]`) — [`super::gemv::dots_then_axpy`]'s one pass.
//!
//! The columns are cut into chunks whose width depends only on the order; members take
//! whole chunks, each chunk adds its axpys into a partial y of its own, and the
//! partials are summed in chunk order, so the result is the same for every thread
//! count.

use super::Par;
use super::gemv::threads_for;
use super::gemv_kernels;
use crate::arch::GemvPath;
use crate::mat::col_slice;
use faer::MatRef;
use std::ops::Range;

/// Below this order a product is one chunk on the caller's thread, summed straight into
/// y: no partials to allocate or add, and a second member gained little there (µs, one
/// and two threads: 300², 5.2 / 5.2; 500², 12.4 / 11.0).
pub const ONE_CHUNK_BELOW: usize = 512;

/// `y = A·x` for the symmetric n×n A whose lower triangle `a` holds (unit row stride;
/// the strict upper triangle is not read). y is overwritten, never read.
pub fn lower(par: Par<'_>, a: MatRef<'_, f64>, x: &[f64], y: &mut [f64]) {
    let n = order(a, x, y);
    let path = par.arch.gemv;
    let product = |cols, z: &mut [f64]| lower_columns(path, a, x, cols, z);
    if n < ONE_CHUNK_BELOW {
        return by_chunks(par, n, &[(0..n, 0..n)], y, product);
    }
    // Chunk k: columns starts[k]..starts[k + 1], its partial over rows starts[k]..n.
    let starts = chunk_starts(n);
    let chunks: Vec<_> = (0..starts.len())
        .map(|k| {
            (
                starts[k]..starts.get(k + 1).copied().unwrap_or(n),
                starts[k]..n,
            )
        })
        .collect();
    by_chunks(par, n, &chunks, y, product);
}

/// `y = Σ` over column chunks (columns, and the rows their partial covers) of
/// `product(columns, partial)`, which adds its columns' part of A·x into the partial:
/// one chunk straight into y on the caller's thread; several on the team, each into a
/// partial of its own, added into y in chunk order, so the bits depend on the chunks
/// (the order n) alone.
fn by_chunks(
    par: Par<'_>,
    n: usize,
    chunks: &[(Range<usize>, Range<usize>)],
    y: &mut [f64],
    product: impl Fn(Range<usize>, &mut [f64]) + Sync,
) {
    y.fill(0.0);
    if n == 0 {
        return;
    }
    if let [(cols, rows)] = chunks {
        return product(cols.clone(), &mut y[rows.clone()]);
    }
    let mut partials = vec![0.0; chunks.iter().map(|(_, rows)| rows.len()).sum()];
    let mut parts = Vec::with_capacity(chunks.len());
    let mut rest = &mut partials[..];
    for (cols, rows) in chunks {
        let (mine, tail) = rest.split_at_mut(rows.len());
        parts.push((cols.clone(), mine));
        rest = tail;
    }
    let members = threads_for(n, n.div_ceil(2), par.threads.min(chunks.len()));
    par.with_threads(members)
        .run_parts(parts, |(cols, z)| product(cols, z));
    let mut offset = 0;
    for (_, rows) in chunks {
        for (o, p) in y[rows.clone()].iter_mut().zip(&partials[offset..]) {
            *o += p;
        }
        offset += rows.len();
    }
}

/// Columns `cols` of [`lower`]'s product added into `z` (rows `cols.start..n`), eight
/// at a time: the rectangle under their diagonal block in one pass (dots, and axpys
/// into z), then the block's own lower triangle.
fn lower_columns(
    path: GemvPath,
    a: MatRef<'_, f64>,
    x: &[f64],
    cols: std::ops::Range<usize>,
    z: &mut [f64],
) {
    let (n, c0) = (a.nrows(), cols.start);
    for j0 in cols.clone().step_by(8) {
        let gw = 8.min(cols.end - j0);
        let g0 = j0 - c0;
        if gw == 8 {
            // The diagonal block in the same vector pass as the rows under it.
            let mut dots = [0.0; 8];
            let coef: &[f64; 8] = x[j0..j0 + 8].try_into().expect("eight columns");
            if gemv_kernels::dots_and_axpy_with_diagonal(
                path,
                false,
                a.submatrix(j0, j0, n - j0, 8),
                &x[j0..],
                coef,
                &mut dots,
                &mut z[g0..],
            ) {
                for (zj, dot) in z[g0..g0 + 8].iter_mut().zip(dots) {
                    *zj += dot;
                }
                continue;
            }
        }
        let below = j0 + gw;
        let mut dots = [0.0; 8];
        dots_and_axpy(
            path,
            a.submatrix(below, j0, n - below, gw),
            &x[below..],
            &x[j0..below],
            &mut dots[..gw],
            &mut z[below - c0..],
        );
        for (jj, &dot) in dots[..gw].iter().enumerate() {
            let col = &col_slice(a, j0 + jj)[j0..below];
            let mut dot = dot + col[jj] * x[j0 + jj];
            for i in jj + 1..gw {
                dot += col[i] * x[j0 + i];
                z[g0 + i] += col[i] * x[j0 + jj];
            }
            z[g0 + jj] += dot;
        }
    }
}

/// `y = A·x` for the symmetric n×n A whose upper triangle `a` holds (unit row stride;
/// the strict lower triangle is not read): [`lower`]'s pass mirrored. A group of eight
/// columns takes the rectangle above its diagonal block in one pass (dots, and axpys
/// into rows 0..j0 of its chunk's partial), then the block's own upper triangle. Chunk
/// k's partial covers rows 0..end of its columns; the partials are added in chunk
/// order, so the bits depend on the order alone.
pub fn upper(par: Par<'_>, a: MatRef<'_, f64>, x: &[f64], y: &mut [f64]) {
    let n = order(a, x, y);
    let path = par.arch.gemv;
    let product = |cols: Range<usize>, z: &mut [f64]| upper_columns(path, a, x, cols.start, z);
    if n < ONE_CHUNK_BELOW {
        return by_chunks(par, n, &[(0..n, 0..n)], y, product);
    }
    // Chunk k: columns ends[k - 1]..ends[k], its partial over rows 0..ends[k].
    let ends = chunk_ends_upper(n);
    let chunks: Vec<_> = (0..ends.len())
        .map(|k| (if k == 0 { 0 } else { ends[k - 1] }..ends[k], 0..ends[k]))
        .collect();
    by_chunks(par, n, &chunks, y, product);
}

/// Columns `c0..z.len()` of [`upper`]'s product added into `z` (rows `0..z.len()`),
/// eight at a time: the rectangle above their diagonal block in one pass (dots, and
/// axpys into z), then the block's own upper triangle.
fn upper_columns(path: GemvPath, a: MatRef<'_, f64>, x: &[f64], c0: usize, z: &mut [f64]) {
    let c1 = z.len();
    for j0 in (c0..c1).step_by(8) {
        let gw = 8.min(c1 - j0);
        if gw == 8 {
            // The diagonal block in the same vector pass as the rows above it.
            let mut dots = [0.0; 8];
            let coef: &[f64; 8] = x[j0..j0 + 8].try_into().expect("eight columns");
            if gemv_kernels::dots_and_axpy_with_diagonal(
                path,
                true,
                a.submatrix(0, j0, j0 + 8, 8),
                &x[..j0 + 8],
                coef,
                &mut dots,
                &mut z[..j0 + 8],
            ) {
                for (zj, dot) in z[j0..j0 + 8].iter_mut().zip(dots) {
                    *zj += dot;
                }
                continue;
            }
        }
        let mut dots = [0.0; 8];
        dots_and_axpy(
            path,
            a.submatrix(0, j0, j0, gw),
            &x[..j0],
            &x[j0..j0 + gw],
            &mut dots[..gw],
            &mut z[..j0],
        );
        for (jj, &dot) in dots[..gw].iter().enumerate() {
            let col = &col_slice(a, j0 + jj)[j0..j0 + gw];
            let mut dot = dot;
            for i in 0..jj {
                dot += col[i] * x[j0 + i];
                z[j0 + i] += col[i] * x[j0 + jj];
            }
            z[j0 + jj] += dot + col[jj] * x[j0 + jj];
        }
    }
}

/// How many chunks a product of order n (from [`ONE_CHUNK_BELOW`]) is cut into: about
/// one per 256 columns, even (so two members split them evenly), 2 to 16. Fewer,
/// larger chunks mean fewer partials to zero and add: dsymv on two threads, µs, one
/// chunk per 48 columns / this: 600² 23–26 / 16–17, 700² 30–33 / 21–22, 850² 45–47 /
/// 31–32, 1000² 73–79 / 61–74, 2000² and up the same (OpenBLAS 17.5, 22.5, 32.5, 59–61).
fn chunk_count(n: usize) -> usize {
    (n / 256).clamp(2, 16) / 2 * 2
}

/// The end columns of [`upper`]'s chunks: [`chunk_count`] chunks of about equal area of the
/// upper triangle, on eight-column boundaries, the last ending at n.
fn chunk_ends_upper(n: usize) -> Vec<usize> {
    let chunks = chunk_count(n);
    let mut ends: Vec<usize> = (1..chunks)
        .map(|k| ((n as f64 * (k as f64 / chunks as f64).sqrt()) as usize).next_multiple_of(8))
        .filter(|&c| c > 0 && c < n)
        .collect();
    ends.push(n);
    ends.dedup();
    ends
}

/// The order n of a product's square A, x and y (which must agree), with A in unit row
/// stride.
fn order(a: MatRef<'_, f64>, x: &[f64], y: &[f64]) -> usize {
    let n = a.nrows();
    assert!(
        a.ncols() == n && x.len() == n && y.len() == n,
        "symv: shapes"
    );
    assert!(a.row_stride() == 1 || n <= 1, "symv: unit row stride");
    n
}

/// The first columns of the chunks: [`chunk_count`] chunks of about equal area of the lower
/// triangle (so [`crate::runtime::Team::each`]'s even blocks of chunks are even work,
/// and a member takes the same columns call after call), on eight-column boundaries.
fn chunk_starts(n: usize) -> Vec<usize> {
    let chunks = chunk_count(n);
    let mut starts: Vec<usize> = (0..chunks)
        .map(|k| {
            let left = 1.0 - k as f64 / chunks as f64;
            ((n as f64 * (1.0 - left.sqrt())) as usize).next_multiple_of(8)
        })
        .collect();
    starts.dedup();
    starts.retain(|&c| c < n);
    starts
}

/// `t[j] = A[.., j]·u` and `out += Σⱼ coef[j]·A[.., j]`, on the table's kernel where it
/// has one.
fn dots_and_axpy(
    path: GemvPath,
    a: MatRef<'_, f64>,
    u: &[f64],
    coef: &[f64],
    t: &mut [f64],
    out: &mut [f64],
) {
    if gemv_kernels::dots_and_axpy(path, a, u, coef, t, out) {
        return;
    }
    for (j, tj) in t.iter_mut().enumerate() {
        let column = col_slice(a, j);
        *tj = super::level1::dot_slices(false, column, u);
        super::level1::axpy_slices(coef[j], column, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data::symmetric;

    type Product = fn(Par<'_>, MatRef<'_, f64>, &[f64], &mut [f64]);

    /// `product` (which reads the `upper` or lower triangle) against a naive sum over the
    /// whole symmetric matrix, for orders around the chunk and group widths and with NaN
    /// in the triangle not stored (never read), on every table this CPU runs (the vector
    /// kernel and the portable loop); bit for bit the same on 1, 2 and 3 threads.
    fn is_the_symmetric_product(product: Product, upper: bool) {
        for arch in crate::arch::Arch::test_tables() {
            for n in [0usize, 1, 2, 5, 31, 32, 33, 37, 64, 130, 515, 1027] {
                let full = symmetric(n, n as u64 + 3);
                let mut stored = full.clone();
                for j in 0..n {
                    for i in 0..n {
                        if (upper && i > j) || (!upper && i < j) {
                            stored[(i, j)] = f64::NAN;
                        }
                    }
                }
                let x: Vec<f64> = (0..n).map(|i| 0.75 - (i % 7) as f64 * 0.25).collect();
                let runs: Vec<Vec<f64>> = [1, 2, 3]
                    .iter()
                    .map(|&threads| {
                        let par = Par {
                            arch: &arch,
                            threads,
                            launch: &crate::runtime::launch,
                        };
                        let mut y = vec![f64::NAN; n];
                        product(par, stored.as_ref(), &x, &mut y);
                        y
                    })
                    .collect();
                for r in &runs[1..] {
                    assert!(
                        r.iter()
                            .zip(&runs[0])
                            .all(|(p, q)| p.to_bits() == q.to_bits()),
                        "n={n}: thread count changed bits"
                    );
                }
                for i in 0..n {
                    let (sum, mag) = (0..n).fold((0.0, 0.0), |(s, g), j| {
                        let t = full[(i, j)] * x[j];
                        (s + t, g + t.abs())
                    });
                    let tol = 4.0 * (n + 1) as f64 * f64::EPSILON * mag;
                    assert!((runs[0][i] - sum).abs() <= tol, "n={n} y[{i}]");
                }
            }
        }
    }

    #[test]
    fn lower_is_the_symmetric_product_for_every_table_and_team() {
        is_the_symmetric_product(lower, false);
    }

    #[test]
    fn upper_is_the_symmetric_product_for_every_table_and_team() {
        is_the_symmetric_product(upper, true);
    }
}
