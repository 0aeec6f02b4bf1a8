//! The stored part of a structured matrix — one triangle in full storage, a band, or a
//! packed triangle — seen column by column. In every one of these layouts the stored
//! elements of a column are contiguous and in row order, so each level-2 routine is
//! written once over [`Stored::column`] and serves the full (`?symv`, `?trmv`), band
//! (`?sbmv`, `?tbmv`, `?gbmv`) and packed (`?spmv`, `?tpmv`) forms alike.

use super::Uplo;

/// Where a matrix's stored columns sit in the caller's array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Column j starts at j·ld; of a triangle only the `uplo` part is used.
    Full { ld: usize },
    /// LAPACK band storage: element (i, j) at j·ld + ku + i − j, for rows j − ku ..= j + kl.
    Band { ld: usize, kl: usize, ku: usize },
    /// The `uplo` triangle packed column after column (n(n+1)/2 elements).
    Packed,
}

impl Layout {
    /// How many elements of the caller's array an m×n matrix in this layout spans
    /// (the band's last column counted whole, as its LDA×N array has it).
    pub fn extent(self, m: usize, n: usize) -> usize {
        if m == 0 || n == 0 {
            return 0;
        }
        match self {
            Layout::Full { ld } => (n - 1) * ld + m,
            Layout::Band { ld, kl, ku } => (n - 1) * ld + kl + ku + 1,
            Layout::Packed => n * (n + 1) / 2,
        }
    }
}

/// An m×n matrix's stored part: a triangle (`uplo`, m = n) or a general band.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub m: usize,
    pub n: usize,
    pub layout: Layout,
    /// The stored triangle; `None` for a general band (`?gbmv`).
    pub uplo: Option<Uplo>,
}

impl Shape {
    /// The first stored row of column j, and where it sits in the array.
    #[inline]
    fn column_range(&self, j: usize) -> (usize, usize, usize) {
        let (m, n) = (self.m, self.n);
        let (r0, r1) = match (self.layout, self.uplo) {
            (Layout::Band { kl, ku, .. }, _) => (j.saturating_sub(ku), m.min(j + kl + 1)),
            (_, Some(Uplo::Upper)) => (0, j + 1),
            (_, Some(Uplo::Lower)) => (j, n),
            (_, None) => (0, m),
        };
        let start = match self.layout {
            Layout::Full { ld } => j * ld + r0,
            Layout::Band { ld, ku, .. } => j * ld + ku + r0 - j,
            Layout::Packed => match self.uplo {
                Some(Uplo::Upper) => j * (j + 1) / 2 + r0,
                _ => j * n - j * j.saturating_sub(1) / 2 + (r0 - j),
            },
        };
        (r0, start, r1.max(r0) - r0)
    }
}

/// A read-only structured matrix.
#[derive(Clone, Copy)]
pub struct Stored<'a, T> {
    data: &'a [T],
    pub shape: Shape,
}

impl<'a, T> Stored<'a, T> {
    /// `data` must span `shape.layout.extent(m, n)` elements.
    pub fn new(data: &'a [T], shape: Shape) -> Self {
        assert!(data.len() >= shape.layout.extent(shape.m, shape.n));
        Stored { data, shape }
    }

    /// Column j's stored elements and the row of the first.
    #[inline]
    pub fn column(&self, j: usize) -> (usize, &'a [T]) {
        let (r0, start, len) = self.shape.column_range(j);
        (r0, &self.data[start..start + len])
    }

    /// The whole stored array with its leading dimension, for full storage.
    pub fn full(&self) -> Option<(&'a [T], usize)> {
        match self.shape.layout {
            Layout::Full { ld } => Some((self.data, ld)),
            _ => None,
        }
    }
}

/// A writable structured matrix (the rank updates' `A`).
pub struct StoredMut<'a, T> {
    data: &'a mut [T],
    pub shape: Shape,
}

impl<'a, T> StoredMut<'a, T> {
    /// `data` must span `shape.layout.extent(m, n)` elements.
    pub fn new(data: &'a mut [T], shape: Shape) -> Self {
        assert!(data.len() >= shape.layout.extent(shape.m, shape.n));
        StoredMut { data, shape }
    }

    /// Column j's stored elements and the row of the first.
    #[inline]
    pub fn column_mut(&mut self, j: usize) -> (usize, &mut [T]) {
        let (r0, start, len) = self.shape.column_range(j);
        (r0, &mut self.data[start..start + len])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layout puts element (i, j) where the reference's index formulas do.
    #[test]
    fn columns_sit_where_the_reference_stores_them() {
        let n = 6;
        for uplo in [Uplo::Upper, Uplo::Lower] {
            let packed = Shape {
                m: n,
                n,
                layout: Layout::Packed,
                uplo: Some(uplo),
            };
            let full = Shape {
                m: n,
                n,
                layout: Layout::Full { ld: 9 },
                uplo: Some(uplo),
            };
            let k = 2;
            let (kl, ku) = if uplo == Uplo::Upper { (0, k) } else { (k, 0) };
            let band = Shape {
                m: n,
                n,
                layout: Layout::Band { ld: 4, kl, ku },
                uplo: Some(uplo),
            };
            for j in 0..n {
                // Reference (1-based): packed upper AP(i + j(j-1)/2), lower AP(i + (j-1)(2n-j)/2);
                // band upper A(k+1+i-j, j), lower A(1+i-j, j).
                let (r0, s, len) = packed.column_range(j);
                for i in r0..r0 + len {
                    let (i1, j1) = (i + 1, j + 1);
                    let want = match uplo {
                        Uplo::Upper => i1 + j1 * (j1 - 1) / 2,
                        Uplo::Lower => i1 + (j1 - 1) * (2 * n - j1) / 2,
                    } - 1;
                    assert_eq!(s + i - r0, want, "packed {uplo:?} ({i},{j})");
                }
                let (r0, s, len) = full.column_range(j);
                assert_eq!(
                    (s, len),
                    (j * 9 + r0, if uplo == Uplo::Upper { j + 1 } else { n - j })
                );
                let (r0, s, len) = band.column_range(j);
                for i in r0..r0 + len {
                    assert!(i.abs_diff(j) <= k);
                    let row = if uplo == Uplo::Upper {
                        k + i - j
                    } else {
                        i - j
                    };
                    assert_eq!(s + i - r0, j * 4 + row);
                }
                let expected = if uplo == Uplo::Upper {
                    j.min(k) + 1
                } else {
                    (n - j).min(k + 1)
                };
                assert_eq!(len, expected);
            }
        }
    }
}
