//! Reference argument checks of the LAPACK exports, in reference order. `Err(i)` is the
//! position of the first illegal argument (Fortran numbering).

use super::gelsd;
use super::gesdd::{self, SvdJob};
use crate::blas::{Diag, Trans, Uplo};
use crate::scalar::Scalar;

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
pub fn gesdd<T: Scalar>(
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
    let min = gesdd::min_work_of::<T>(job, m as usize, n as usize);
    require(lwork == -1 || lwork >= min as i64, 12)?;
    Ok(job)
}

/// ?POTRF(UPLO, N, A, LDA, INFO): uplo 1, n 2, lda 4.
pub fn potrf(uplo: u8, n: i64, lda: i64) -> Result<Uplo, i64> {
    let uplo = Uplo::from_fortran(uplo).ok_or(1)?;
    require(n >= 0, 2)?;
    require(lda >= n.max(1), 4)?;
    Ok(uplo)
}

/// ?GEQRF(M, N, A, LDA, TAU, WORK, LWORK, INFO): m 1, n 2, lda 4, lwork 7 (at least
/// max(1, n); −1 is a query).
pub fn geqrf(m: i64, n: i64, lda: i64, lwork: i64) -> Result<(), i64> {
    require(m >= 0, 1)?;
    require(n >= 0, 2)?;
    require(lda >= m.max(1), 4)?;
    require(lwork == -1 || lwork >= n.max(1), 7)
}

/// ?ORGQR/?UNGQR(M, N, K, A, LDA, TAU, WORK, LWORK, INFO): m 1, n 2 (0 ≤ n ≤ m), k 3
/// (0 ≤ k ≤ n), lda 5, lwork 8 (at least max(1, n); −1 is a query).
pub fn orgqr(m: i64, n: i64, k: i64, lda: i64, lwork: i64) -> Result<(), i64> {
    require(m >= 0, 1)?;
    require(n >= 0 && n <= m, 2)?;
    require(k >= 0 && k <= n, 3)?;
    require(lda >= m.max(1), 5)?;
    require(lwork == -1 || lwork >= n.max(1), 8)
}

/// `jobz` of ?SYEVD/?HEEVD/?GESDD-like drivers: 'V' (vectors) or 'N'.
fn wants_vectors(c: u8) -> Option<bool> {
    match c.to_ascii_uppercase() {
        b'V' => Some(true),
        b'N' => Some(false),
        _ => None,
    }
}

/// The reference minimum workspace lengths of ?SYEVD (`rwork` None) or ?HEEVD, as
/// (lwork, lrwork, liwork).
pub fn evd_min_work(complex: bool, vectors: bool, n: usize) -> (usize, usize, usize) {
    if n <= 1 {
        return (1, 1, 1);
    }
    match (complex, vectors) {
        (false, true) => (1 + 6 * n + 2 * n * n, 0, 3 + 5 * n),
        (false, false) => (2 * n + 1, 0, 1),
        (true, true) => (2 * n + n * n, 1 + 5 * n + 2 * n * n, 3 + 5 * n),
        (true, false) => (n + 1, n, 1),
    }
}

/// ?SYEVD(JOBZ, UPLO, N, A, LDA, W, WORK, LWORK, IWORK, LIWORK, INFO): jobz 1, uplo 2,
/// n 3, lda 5, lwork 8, liwork 10; ?HEEVD adds LRWORK (10) before LIWORK (12). Any
/// length −1 is a query. Returns (vectors, uplo, query).
#[allow(clippy::too_many_arguments)]
pub fn evd(
    complex: bool,
    jobz: u8,
    uplo: u8,
    n: i64,
    lda: i64,
    lwork: i64,
    lrwork: i64,
    liwork: i64,
) -> Result<(bool, Uplo, bool), i64> {
    let vectors = wants_vectors(jobz).ok_or(1)?;
    let uplo = Uplo::from_fortran(uplo).ok_or(2)?;
    require(n >= 0, 3)?;
    require(lda >= n.max(1), 5)?;
    let query = lwork == -1 || liwork == -1 || (complex && lrwork == -1);
    let (lw, lrw, liw) = evd_min_work(complex, vectors, n as usize);
    require(query || lwork >= lw as i64, 8)?;
    if complex {
        require(query || lrwork >= lrw as i64, 10)?;
        require(query || liwork >= liw as i64, 12)?;
    } else {
        require(query || liwork >= liw as i64, 10)?;
    }
    Ok((vectors, uplo, query))
}

/// The reference minimum `lwork` of ?GEEV.
pub fn geev_min_work(complex: bool, vectors: bool, n: usize) -> usize {
    match (complex, vectors) {
        (_, _) if n == 0 => 1,
        (true, _) => 2 * n,
        (false, true) => 4 * n,
        (false, false) => 3 * n,
    }
}

/// DGEEV(JOBVL, JOBVR, N, A, LDA, WR, WI, VL, LDVL, VR, LDVR, WORK, LWORK, INFO) and
/// ZGEEV(JOBVL, JOBVR, N, A, LDA, W, VL, LDVL, VR, LDVR, WORK, LWORK, RWORK, INFO):
/// jobvl 1, jobvr 2, n 3, lda 5, ldvl 9 (8 for complex), ldvr 11 (10), lwork 13 (12).
/// Returns (left, right).
#[allow(clippy::too_many_arguments)]
pub fn geev(
    complex: bool,
    jobvl: u8,
    jobvr: u8,
    n: i64,
    lda: i64,
    ldvl: i64,
    ldvr: i64,
    lwork: i64,
) -> Result<(bool, bool), i64> {
    let shift = if complex { 1 } else { 0 };
    let left = wants_vectors(jobvl).ok_or(1)?;
    let right = wants_vectors(jobvr).ok_or(2)?;
    require(n >= 0, 3)?;
    require(lda >= n.max(1), 5)?;
    require(ldvl >= 1 && !(left && ldvl < n), 9 - shift)?;
    require(ldvr >= 1 && !(right && ldvr < n), 11 - shift)?;
    let min = geev_min_work(complex, left || right, n as usize);
    require(lwork == -1 || lwork >= min as i64, 13 - shift)?;
    Ok((left, right))
}

/// ?GELSD(M, N, NRHS, A, LDA, B, LDB, S, RCOND, RANK, WORK, LWORK, ...): m 1, n 2,
/// nrhs 3, lda 5, ldb 7 (at least max(1, m, n)), lwork 12 (−1 is a query).
pub fn gelsd<T: Scalar>(
    m: i64,
    n: i64,
    nrhs: i64,
    lda: i64,
    ldb: i64,
    lwork: i64,
) -> Result<(), i64> {
    require(m >= 0, 1)?;
    require(n >= 0, 2)?;
    require(nrhs >= 0, 3)?;
    require(lda >= m.max(1), 5)?;
    require(ldb >= m.max(n).max(1), 7)?;
    let min = gelsd::min_work::<T>(m as usize, n as usize, nrhs as usize).lwork;
    require(lwork == -1 || lwork >= min as i64, 12)
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
        assert_eq!(gesdd::<f64>(b'x', 1, 1, 1, 1, 1, 100), Err(1));
        assert_eq!(gesdd::<f64>(b'a', -1, 1, 1, 1, 1, 100), Err(2));
        assert_eq!(gesdd::<f64>(b'n', 1, -1, 1, 1, 1, 100), Err(3));
        assert_eq!(gesdd::<f64>(b'N', 3, 2, 2, 1, 1, 100), Err(5));
        assert_eq!(gesdd::<f64>(b'S', 3, 2, 3, 2, 2, 100), Err(8));
        assert_eq!(gesdd::<f64>(b'O', 2, 3, 2, 1, 1, 100), Err(8));
        assert_eq!(gesdd::<f64>(b'O', 3, 2, 3, 1, 1, 100), Err(10));
        assert_eq!(gesdd::<f64>(b'A', 2, 3, 2, 2, 2, 100), Err(10));
        assert_eq!(gesdd::<f64>(b's', 2, 3, 2, 2, 1, 100), Err(10));
        assert_eq!(gesdd::<f64>(b'n', 5, 5, 5, 1, 1, 49), Err(12));
        assert_eq!(
            gesdd::<f64>(b'n', 5, 5, 5, 1, 1, 50),
            Ok(SvdJob::ValuesOnly)
        );
        assert_eq!(gesdd::<f64>(b'a', 0, 0, 1, 1, 1, 0), Err(12));
        assert_eq!(gesdd::<f64>(b'a', 0, 0, 1, 1, 1, -1), Ok(SvdJob::All));
        assert_eq!(potrf(b'x', 1, 1), Err(1));
        assert_eq!(potrf(b'u', -1, 1), Err(2));
        assert_eq!(potrf(b'L', 3, 2), Err(4));
        assert_eq!(geqrf(-1, 1, 1, 1), Err(1));
        assert_eq!(geqrf(2, -1, 1, 1), Err(2));
        assert_eq!(geqrf(2, 1, 1, 1), Err(4));
        assert_eq!(geqrf(2, 3, 2, 2), Err(7));
        assert_eq!(geqrf(2, 3, 2, -1), Ok(()));
        assert_eq!(orgqr(-1, 0, 0, 1, 1), Err(1));
        assert_eq!(orgqr(1, 2, 0, 1, 2), Err(2));
        assert_eq!(orgqr(2, 1, 2, 2, 1), Err(3));
        assert_eq!(orgqr(2, 2, 0, 1, 2), Err(5));
        assert_eq!(orgqr(2, 2, 0, 2, 1), Err(8));
        assert_eq!(evd(false, b'x', b'u', 1, 1, 10, 0, 10), Err(1));
        assert_eq!(evd(false, b'v', b'x', 1, 1, 10, 0, 10), Err(2));
        assert_eq!(evd(false, b'v', b'u', -1, 1, 10, 0, 10), Err(3));
        assert_eq!(evd(false, b'v', b'u', 2, 1, 100, 0, 100), Err(5));
        // DSYEVD, n = 3, vectors: lwork ≥ 1 + 18 + 18 = 37, liwork ≥ 18.
        assert_eq!(evd(false, b'v', b'u', 3, 3, 36, 0, 18), Err(8));
        assert_eq!(evd(false, b'v', b'u', 3, 3, 37, 0, 17), Err(10));
        assert_eq!(
            evd(false, b'v', b'u', 3, 3, 37, 0, 18),
            Ok((true, Uplo::Upper, false))
        );
        // ZHEEVD, n = 3, vectors: lwork ≥ 15, lrwork ≥ 34, liwork ≥ 18.
        assert_eq!(evd(true, b'v', b'l', 3, 3, 14, 34, 18), Err(8));
        assert_eq!(evd(true, b'v', b'l', 3, 3, 15, 33, 18), Err(10));
        assert_eq!(evd(true, b'v', b'l', 3, 3, 15, 34, 17), Err(12));
        assert_eq!(
            evd(true, b'n', b'l', 3, 3, 1, -1, 0),
            Ok((false, Uplo::Lower, true))
        );
        assert_eq!(geev(false, b'x', b'n', 1, 1, 1, 1, 10), Err(1));
        assert_eq!(geev(false, b'n', b'x', 1, 1, 1, 1, 10), Err(2));
        assert_eq!(geev(false, b'n', b'n', -1, 1, 1, 1, 10), Err(3));
        assert_eq!(geev(false, b'n', b'n', 2, 1, 1, 1, 10), Err(5));
        assert_eq!(geev(false, b'v', b'n', 2, 2, 1, 1, 10), Err(9));
        assert_eq!(geev(true, b'v', b'n', 2, 2, 1, 1, 10), Err(8));
        assert_eq!(geev(false, b'n', b'v', 2, 2, 1, 1, 10), Err(11));
        assert_eq!(geev(true, b'n', b'v', 2, 2, 1, 1, 10), Err(10));
        assert_eq!(geev(false, b'n', b'v', 2, 2, 1, 2, 7), Err(13));
        assert_eq!(geev(true, b'n', b'v', 2, 2, 1, 2, 3), Err(12));
        assert_eq!(geev(false, b'n', b'v', 2, 2, 1, 2, 8), Ok((false, true)));
        assert_eq!(gelsd::<f64>(-1, 1, 1, 1, 1, 1000), Err(1));
        assert_eq!(gelsd::<f64>(1, -1, 1, 1, 1, 1000), Err(2));
        assert_eq!(gelsd::<f64>(1, 1, -1, 1, 1, 1000), Err(3));
        assert_eq!(gelsd::<f64>(2, 1, 1, 1, 2, 1000), Err(5));
        assert_eq!(gelsd::<f64>(2, 3, 1, 2, 2, 1000), Err(7));
        assert_eq!(gelsd::<f64>(2, 3, 1, 2, 3, 1), Err(12));
        assert_eq!(pivots([1, 3, 3].into_iter(), 3), Some(vec![0, 2, 2]));
        assert_eq!(pivots([1, 4].into_iter(), 3), None);
        assert_eq!(pivots([0].into_iter(), 3), None);
    }
}
