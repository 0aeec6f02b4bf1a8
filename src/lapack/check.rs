//! Reference argument checks of the LU family, in reference order. `Err(i)` is the
//! position of the first illegal argument (Fortran numbering).

use super::gesdd::{self, SvdJob};
use crate::blas::{Diag, Trans, Uplo};

fn require(ok: bool, position: i64) -> Result<(), i64> {
    if ok { Ok(()) } else { Err(position) }
}

/// DGETRF(M, N, A, LDA, IPIV, INFO): m 1, n 2, lda 4.
pub fn getrf(m: i64, n: i64, lda: i64) -> Result<(), i64> {
    require(m >= 0, 1)?;
    require(n >= 0, 2)?;
    require(lda >= m.max(1), 4)
}

/// DGETRS(TRANS, N, NRHS, A, LDA, IPIV, B, LDB, INFO): trans 1, n 2, nrhs 3, lda 5, ldb 8.
pub fn getrs(trans: u8, n: i64, nrhs: i64, lda: i64, ldb: i64) -> Result<Trans, i64> {
    let trans = Trans::from_fortran(trans).ok_or(1)?;
    require(n >= 0, 2)?;
    require(nrhs >= 0, 3)?;
    require(lda >= n.max(1), 5)?;
    require(ldb >= n.max(1), 8)?;
    Ok(trans)
}

/// DGESV(N, NRHS, A, LDA, IPIV, B, LDB, INFO): n 1, nrhs 2, lda 4, ldb 7.
pub fn gesv(n: i64, nrhs: i64, lda: i64, ldb: i64) -> Result<(), i64> {
    require(n >= 0, 1)?;
    require(nrhs >= 0, 2)?;
    require(lda >= n.max(1), 4)?;
    require(ldb >= n.max(1), 7)
}

/// DGETRI(N, A, LDA, IPIV, WORK, LWORK, INFO): n 1, lda 3, lwork 6 (−1 is a query).
pub fn getri(n: i64, lda: i64, lwork: i64) -> Result<(), i64> {
    require(n >= 0, 1)?;
    require(lda >= n.max(1), 3)?;
    require(lwork >= n.max(1) || lwork == -1, 6)
}

/// DTRTRI(UPLO, DIAG, N, A, LDA, INFO): uplo 1, diag 2, n 3, lda 5.
pub fn trtri(uplo: u8, diag: u8, n: i64, lda: i64) -> Result<(Uplo, Diag), i64> {
    let uplo = Uplo::from_fortran(uplo).ok_or(1)?;
    let diag = Diag::from_fortran(diag).ok_or(2)?;
    require(n >= 0, 3)?;
    require(lda >= n.max(1), 5)?;
    Ok((uplo, diag))
}

/// DGESDD(JOBZ, M, N, A, LDA, S, U, LDU, VT, LDVT, WORK, LWORK, IWORK, INFO): jobz 1,
/// m 2, n 3, lda 5, ldu 8, ldvt 10, lwork 12 (below the reference minimum; −1 is a
/// query).
pub fn gesdd(
    jobz: u8,
    m: i64,
    n: i64,
    lda: i64,
    ldu: i64,
    ldvt: i64,
    lwork: i64,
) -> Result<SvdJob, i64> {
    let job = SvdJob::from_fortran(jobz).ok_or(1)?;
    require(m >= 0, 2)?;
    require(n >= 0, 3)?;
    require(lda >= m.max(1), 5)?;
    let k = m.min(n);
    let (all_or_thin, overwrite) = (
        matches!(job, SvdJob::All | SvdJob::Thin),
        job == SvdJob::Overwrite,
    );
    require(
        ldu >= 1 && !(all_or_thin && ldu < m) && !(overwrite && m < n && ldu < m),
        8,
    )?;
    require(
        ldvt >= 1
            && !(job == SvdJob::All && ldvt < n)
            && !(job == SvdJob::Thin && ldvt < k)
            && !(overwrite && m >= n && ldvt < n),
        10,
    )?;
    let min = gesdd::min_work(job, m as usize, n as usize);
    require(lwork == -1 || lwork >= min as i64, 12)?;
    Ok(job)
}

/// 1-based pivots from a caller, converted to 0-based rows of an `n`-row matrix.
/// `None` if any is out of range (reference LAPACK would read outside the matrix).
pub fn pivots(ipiv: impl Iterator<Item = i64>, n: usize) -> Option<Vec<usize>> {
    ipiv.map(|p| {
        if p >= 1 && p as usize <= n {
            Some(p as usize - 1)
        } else {
            None
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_reference_order() {
        assert_eq!(getrf(-1, -1, 0), Err(1));
        assert_eq!(getrf(0, -1, 0), Err(2));
        assert_eq!(getrf(3, 2, 2), Err(4));
        assert_eq!(getrf(0, 0, 1), Ok(()));
        assert_eq!(getrs(b'x', 1, 1, 1, 1), Err(1));
        assert_eq!(getrs(b't', -1, 1, 1, 1), Err(2));
        assert_eq!(getrs(b'C', 2, -1, 2, 2), Err(3));
        assert_eq!(getrs(b'n', 2, 1, 1, 2), Err(5));
        assert_eq!(getrs(b'n', 2, 1, 2, 1), Err(8));
        assert_eq!(gesv(-1, 0, 1, 1), Err(1));
        assert_eq!(gesv(2, -1, 2, 2), Err(2));
        assert_eq!(gesv(2, 1, 1, 2), Err(4));
        assert_eq!(gesv(2, 1, 2, 1), Err(7));
        assert_eq!(getri(-1, 1, 1), Err(1));
        assert_eq!(getri(3, 2, 3), Err(3));
        assert_eq!(getri(3, 3, 2), Err(6));
        assert_eq!(getri(3, 3, -1), Ok(()));
        assert_eq!(getri(0, 1, 1), Ok(()));
        assert_eq!(trtri(b'x', b'n', 1, 1), Err(1));
        assert_eq!(trtri(b'u', b'x', 1, 1), Err(2));
        assert_eq!(trtri(b'l', b'u', -1, 1), Err(3));
        assert_eq!(trtri(b'L', b'N', 3, 2), Err(5));
        assert_eq!(gesdd(b'x', 1, 1, 1, 1, 1, 100), Err(1));
        assert_eq!(gesdd(b'a', -1, 1, 1, 1, 1, 100), Err(2));
        assert_eq!(gesdd(b'n', 1, -1, 1, 1, 1, 100), Err(3));
        assert_eq!(gesdd(b'N', 3, 2, 2, 1, 1, 100), Err(5));
        assert_eq!(gesdd(b'S', 3, 2, 3, 2, 2, 100), Err(8));
        assert_eq!(gesdd(b'O', 2, 3, 2, 1, 1, 100), Err(8));
        assert_eq!(gesdd(b'O', 3, 2, 3, 1, 1, 100), Err(10));
        assert_eq!(gesdd(b'A', 2, 3, 2, 2, 2, 100), Err(10));
        assert_eq!(gesdd(b's', 2, 3, 2, 2, 1, 100), Err(10));
        assert_eq!(gesdd(b'n', 5, 5, 5, 1, 1, 49), Err(12));
        assert_eq!(gesdd(b'n', 5, 5, 5, 1, 1, 50), Ok(SvdJob::ValuesOnly));
        assert_eq!(gesdd(b'a', 0, 0, 1, 1, 1, 0), Err(12));
        assert_eq!(gesdd(b'a', 0, 0, 1, 1, 1, -1), Ok(SvdJob::All));
        assert_eq!(pivots([1, 3, 3].into_iter(), 3), Some(vec![0, 2, 2]));
        assert_eq!(pivots([1, 4].into_iter(), 3), None);
        assert_eq!(pivots([0].into_iter(), 3), None);
    }
}
