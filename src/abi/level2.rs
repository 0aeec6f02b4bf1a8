//! BLAS level 2 exports beyond ?GEMV, for S, D, C, Z, in the Fortran and CBLAS
//! interfaces: symmetric/Hermitian products (full, band, packed), triangular products
//! and solves (full, band, packed), the general band product, and the rank-1/rank-2
//! updates.
//!
//! Each Fortran routine reads its arguments, checks them in the reference order (the
//! positions `xerbla_` gets) and calls one algorithm of [`crate::blas::level2`]; each
//! CBLAS routine maps its enums to the Fortran call its row-major form is
//! ([`cblas_map`](super::cblas_map)), reporting a bad enum at its own position and a
//! bad number at the Fortran position plus one, as reference CBLAS does.

use super::BlasInt;
use super::cblas_map;
use super::types::{ch, int};
use super::xerbla::Report;
use crate::blas::Uplo;
use crate::blas::level1;
use crate::blas::level2::{self, gathered, in_place};
use crate::blas::structured::{Layout, Shape, Stored, StoredMut};
use crate::mat::{self, vector, vector_mut};
use crate::scalar::{Scalar, c32, c64};
use std::borrow::Cow;
use std::ffi::{c_char, c_int};

/// Which storage a structured routine takes, and so which arguments it has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Full,
    Band,
    Packed,
}

/// ?SYR ?SPR ?HER ?HPR, or the rank-2 forms.
fn update_name(form: Form, herm: bool, rank2: bool) -> &'static str {
    match (herm, rank2) {
        (false, false) => pick(form, ["SYR", "", "SPR"]),
        (true, false) => pick(form, ["HER", "", "HPR"]),
        (false, true) => pick(form, ["SYR2", "", "SPR2"]),
        (true, true) => pick(form, ["HER2", "", "HPR2"]),
    }
}

/// The name of a structured routine of `form` from its three spellings.
fn pick(form: Form, names: [&'static str; 3]) -> &'static str {
    names[form as usize]
}

/// Positions of the leading dimension and the increments in the three forms' argument
/// lists, after `before` leading arguments (`uplo, n` or `uplo, trans, diag, n`) and
/// the scalars between them and A.
struct Positions {
    lda: i64,
    incx: i64,
    incy: i64,
}

/// A caller's vector length.
fn count(n: i64) -> usize {
    n.max(0) as usize
}

/// The stored matrix's array as a slice.
///
/// # Safety
/// `a` holds the layout's extent for an m×n matrix, as the reference contract says.
unsafe fn stored<'a, T>(a: *const T, shape: Shape) -> Stored<'a, T> {
    // SAFETY: the caller's contract.
    let data = unsafe { mat::slice(a, shape.layout.extent(shape.m, shape.n)) };
    Stored::new(data, shape)
}

/// The writable twin of [`stored`].
///
/// # Safety
/// As [`stored`], plus writable and not aliased.
unsafe fn stored_mut<'a, T>(a: *mut T, shape: Shape) -> StoredMut<'a, T> {
    // SAFETY: the caller's contract.
    let data = unsafe { mat::slice_mut(a, shape.layout.extent(shape.m, shape.n)) };
    StoredMut::new(data, shape)
}

/// The layout of a triangle of order n in `form` (band: k super- or sub-diagonals).
fn triangle(form: Form, uplo: Uplo, n: usize, k: usize, lda: usize) -> Shape {
    let layout = match form {
        Form::Full => Layout::Full { ld: lda },
        Form::Band if uplo == Uplo::Upper => Layout::Band {
            ld: lda,
            kl: 0,
            ku: k,
        },
        Form::Band => Layout::Band {
            ld: lda,
            kl: k,
            ku: 0,
        },
        Form::Packed => Layout::Packed,
    };
    Shape {
        m: n,
        n,
        layout,
        uplo: Some(uplo),
    }
}

/// The reference checks shared by the structured routines, after the characters:
/// n (at `pos_n`), k (band, the next position), lda (full ≥ max(1, n); band ≥ k + 1)
/// and the increments (0 is illegal).
#[allow(clippy::too_many_arguments)]
fn check_sizes(
    form: Form,
    pos_n: i64,
    n: i64,
    k: i64,
    lda: i64,
    incs: &[(i64, i64)],
    pos_lda: i64,
) -> Result<(), i64> {
    if n < 0 {
        return Err(pos_n);
    }
    if form == Form::Band && k < 0 {
        return Err(pos_n + 1);
    }
    match form {
        Form::Full if lda < n.max(1) => return Err(pos_lda),
        Form::Band if lda < k + 1 => return Err(pos_lda),
        _ => {}
    }
    for &(inc, pos) in incs {
        if inc == 0 {
            return Err(pos);
        }
    }
    Ok(())
}

/// y := alpha·A·x + beta·y, A symmetric or Hermitian in `form` (?SYMV ?SBMV ?SPMV,
/// ?HEMV ?HBMV ?HPMV), arguments as the Fortran call has them.
#[allow(clippy::too_many_arguments)]
unsafe fn sym_mv<T: Scalar>(
    report: Report,
    form: Form,
    herm: bool,
    conj: bool,
    uplo: u8,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let name = if herm {
        pick(form, ["HEMV", "HBMV", "HPMV"])
    } else {
        pick(form, ["SYMV", "SBMV", "SPMV"])
    };
    let p = match form {
        Form::Full => Positions {
            lda: 5,
            incx: 7,
            incy: 10,
        },
        Form::Band => Positions {
            lda: 6,
            incx: 8,
            incy: 11,
        },
        Form::Packed => Positions {
            lda: 0,
            incx: 6,
            incy: 9,
        },
    };
    let checked = Uplo::from_fortran(uplo).ok_or(1).and_then(|u| {
        check_sizes(form, 2, n, k, lda, &[(incx, p.incx), (incy, p.incy)], p.lda).map(|()| u)
    });
    let uplo = match checked {
        Err(position) => return report.error::<T>(name, position),
        Ok(u) => u,
    };
    let n = count(n);
    if n == 0 || (alpha.is_zero() && beta.is_one()) {
        return;
    }
    let shape = triangle(form, uplo, n, count(k), count(lda));
    // SAFETY: the reference contract for validated arguments; A and x are not read
    // when alpha = 0.
    unsafe {
        let y = vector_mut(y, n, incy as isize);
        if alpha.is_zero() {
            return level1::scale(beta, y);
        }
        let x = gathered(vector(x, n, incx as isize));
        let a = stored(a, shape);
        in_place(y, |y| {
            level2::sym_mv(super::par(), herm, conj, alpha, a, &x, beta, y)
        });
    }
}

/// x := op(A)·x or x := op(A)⁻¹·x, A triangular in `form` (?TRMV ?TBMV ?TPMV, ?TRSV
/// ?TBSV ?TPSV); `conj` conjugates A besides what TRANS says.
#[allow(clippy::too_many_arguments)]
unsafe fn tri<T: Scalar>(
    report: Report,
    form: Form,
    solve: bool,
    conj: bool,
    uplo: u8,
    trans: u8,
    diag: u8,
    n: i64,
    k: i64,
    a: *const T,
    lda: i64,
    x: *mut T,
    incx: i64,
) {
    let name = match solve {
        false => pick(form, ["TRMV", "TBMV", "TPMV"]),
        true => pick(form, ["TRSV", "TBSV", "TPSV"]),
    };
    let (pos_lda, pos_incx) = match form {
        Form::Full => (6, 8),
        Form::Band => (7, 9),
        Form::Packed => (0, 7),
    };
    let trans = trans.to_ascii_uppercase();
    let checked = (|| {
        let uplo = Uplo::from_fortran(uplo).ok_or(1)?;
        if !matches!(trans, b'N' | b'T' | b'C') {
            return Err(2);
        }
        let unit = match diag.to_ascii_uppercase() {
            b'U' => true,
            b'N' => false,
            _ => return Err(3),
        };
        check_sizes(form, 4, n, k, lda, &[(incx, pos_incx)], pos_lda)?;
        Ok((uplo, unit))
    })();
    let (uplo, unit) = match checked {
        Err(position) => return report.error::<T>(name, position),
        Ok(v) => v,
    };
    let n = count(n);
    if n == 0 {
        return;
    }
    let transposed = trans != b'N';
    let conj = conj != (trans == b'C' && T::COMPLEX);
    // SAFETY: the reference contract for validated arguments.
    unsafe {
        let a = stored(a, triangle(form, uplo, n, count(k), count(lda)));
        in_place(vector_mut(x, n, incx as isize), |x| {
            if solve {
                level2::tri_sv(transposed, conj, unit, a, x)
            } else {
                level2::tri_mv(super::par(), transposed, conj, unit, a, x)
            }
        });
    }
}

/// y := alpha·op(A)·x + beta·y for a general band A (?GBMV).
#[allow(clippy::too_many_arguments)]
unsafe fn gbmv<T: Scalar>(
    report: Report,
    conj: bool,
    trans: u8,
    m: i64,
    n: i64,
    kl: i64,
    ku: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let trans = trans.to_ascii_uppercase();
    let checked = (|| {
        if !matches!(trans, b'N' | b'T' | b'C') {
            return Err(1);
        }
        for (v, pos) in [(m, 2), (n, 3), (kl, 4), (ku, 5)] {
            if v < 0 {
                return Err(pos);
            }
        }
        if lda < kl + ku + 1 {
            return Err(8);
        }
        if incx == 0 {
            return Err(10);
        }
        if incy == 0 {
            return Err(13);
        }
        Ok(())
    })();
    if let Err(position) = checked {
        return report.error::<T>("GBMV", position);
    }
    let (m, n) = (count(m), count(n));
    if m == 0 || n == 0 || (alpha.is_zero() && beta.is_one()) {
        return;
    }
    let transposed = trans != b'N';
    let conj = conj != (trans == b'C' && T::COMPLEX);
    let (lenx, leny) = if transposed { (m, n) } else { (n, m) };
    let shape = Shape {
        m,
        n,
        layout: Layout::Band {
            ld: count(lda),
            kl: count(kl),
            ku: count(ku),
        },
        uplo: None,
    };
    // SAFETY: the reference contract for validated arguments; A and x are not read
    // when alpha = 0.
    unsafe {
        let y = vector_mut(y, leny, incy as isize);
        if alpha.is_zero() {
            return level1::scale(beta, y);
        }
        let x = gathered(vector(x, lenx, incx as isize));
        let a = stored(a, shape);
        in_place(y, |y| {
            level2::gb_mv(transposed, conj, alpha, a, &x, beta, y)
        });
    }
}

/// The conjugate of a gathered vector, when asked.
fn conjugated<T: Scalar>(v: Cow<'_, [T]>, conj: bool) -> Cow<'_, [T]> {
    if conj {
        Cow::Owned(v.iter().map(|e| e.conjugate()).collect())
    } else {
        v
    }
}

/// A := alpha·op(x)·op(y)ᵀ + A (?GER, ?GERU, ?GERC).
#[allow(clippy::too_many_arguments)]
unsafe fn ger<T: Scalar>(
    report: Report,
    name: &'static str,
    m: i64,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    conj_x: bool,
    y: *const T,
    incy: i64,
    conj_y: bool,
    a: *mut T,
    lda: i64,
) {
    let checked = (|| {
        if m < 0 {
            return Err(1);
        }
        if n < 0 {
            return Err(2);
        }
        if incx == 0 {
            return Err(5);
        }
        if incy == 0 {
            return Err(7);
        }
        if lda < m.max(1) {
            return Err(9);
        }
        Ok(())
    })();
    if let Err(position) = checked {
        return report.error::<T>(name, position);
    }
    let (m, n) = (count(m), count(n));
    if m == 0 || n == 0 || alpha.is_zero() {
        return;
    }
    // SAFETY: the reference contract for validated arguments.
    unsafe {
        let x = gathered(vector(x, m, incx as isize));
        let y = gathered(vector(y, n, incy as isize));
        let a = mat::col_major_mut(a, m, n, count(lda));
        level2::ger(super::par(), alpha, &x, conj_x, &y, conj_y, a);
    }
}

/// A := alpha·x·op(x)ᵀ + A, or with `y` the rank-2 form, on a stored triangle (?SYR
/// ?SPR ?HER ?HPR, ?SYR2 ?SPR2 ?HER2 ?HPR2). `conj_xy`: the vectors given are the
/// conjugates of the ones to use (how row-major Hermitian updates arrive).
#[allow(clippy::too_many_arguments)]
unsafe fn sym_update<T: Scalar>(
    report: Report,
    form: Form,
    herm: bool,
    conj_xy: bool,
    uplo: u8,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: Option<(*const T, i64)>,
    a: *mut T,
    lda: i64,
) {
    let name = update_name(form, herm, y.is_some());
    let mut incs = vec![(incx, 5)];
    if let Some((_, incy)) = y {
        incs.push((incy, 7));
    }
    let pos_lda = if y.is_some() { 9 } else { 7 };
    let checked = Uplo::from_fortran(uplo)
        .ok_or(1)
        .and_then(|u| check_sizes(form, 2, n, 0, lda, &incs, pos_lda).map(|()| u));
    let uplo = match checked {
        Err(position) => return report.error::<T>(name, position),
        Ok(u) => u,
    };
    let n = count(n);
    if n == 0 || alpha.is_zero() {
        return;
    }
    // SAFETY: the reference contract for validated arguments.
    unsafe {
        let a = stored_mut(a, triangle(form, uplo, n, 0, count(lda)));
        let x = conjugated(gathered(vector(x, n, incx as isize)), conj_xy);
        match y {
            None => level2::sym_r1(herm, alpha, &x, a),
            Some((y, incy)) => {
                let y = conjugated(gathered(vector(y, n, incy as isize)), conj_xy);
                level2::sym_r2(herm, alpha, &x, &y, a)
            }
        }
    }
}

/// CBLAS symmetric/Hermitian product: row-major flips the triangle, and a Hermitian
/// matrix's row-major storage is the conjugate of its column-major one.
#[allow(clippy::too_many_arguments)]
unsafe fn sym_mv_cblas<T: Scalar>(
    form: Form,
    herm: bool,
    order: c_int,
    uplo: c_int,
    n: i64,
    k: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let name = if herm {
        pick(form, ["HEMV", "HBMV", "HPMV"])
    } else {
        pick(form, ["SYMV", "SBMV", "SPMV"])
    };
    let Some(row) = Report::layout::<T>(name, order) else {
        return;
    };
    let Some(u) = cblas_map::uplo(uplo, row) else {
        return Report::bad_enum::<T>(name, 2);
    };
    // SAFETY: the reference contract.
    unsafe {
        sym_mv(
            Report::Cblas,
            form,
            herm,
            herm && row,
            u,
            n,
            k,
            alpha,
            a,
            lda,
            x,
            incx,
            beta,
            y,
            incy,
        )
    }
}

/// CBLAS triangular product or solve.
#[allow(clippy::too_many_arguments)]
unsafe fn tri_cblas<T: Scalar>(
    form: Form,
    solve: bool,
    order: c_int,
    uplo: c_int,
    trans: c_int,
    diag: c_int,
    n: i64,
    k: i64,
    a: *const T,
    lda: i64,
    x: *mut T,
    incx: i64,
) {
    let name = match solve {
        false => pick(form, ["TRMV", "TBMV", "TPMV"]),
        true => pick(form, ["TRSV", "TBSV", "TPSV"]),
    };
    let Some(row) = Report::layout::<T>(name, order) else {
        return;
    };
    let Some(u) = cblas_map::uplo(uplo, row) else {
        return Report::bad_enum::<T>(name, 2);
    };
    let Some((t, conj)) = cblas_map::trans(trans, row, T::COMPLEX) else {
        return Report::bad_enum::<T>(name, 3);
    };
    let Some(d) = cblas_map::diag(diag) else {
        return Report::bad_enum::<T>(name, 4);
    };
    // SAFETY: the reference contract.
    unsafe {
        tri(
            Report::Cblas,
            form,
            solve,
            conj,
            u,
            t,
            d,
            n,
            k,
            a,
            lda,
            x,
            incx,
        )
    }
}

/// CBLAS general band product: row-major is the transposed band (m↔n, kl↔ku).
#[allow(clippy::too_many_arguments)]
unsafe fn gbmv_cblas<T: Scalar>(
    order: c_int,
    trans: c_int,
    m: i64,
    n: i64,
    kl: i64,
    ku: i64,
    alpha: T,
    a: *const T,
    lda: i64,
    x: *const T,
    incx: i64,
    beta: T,
    y: *mut T,
    incy: i64,
) {
    let Some(row) = Report::layout::<T>("GBMV", order) else {
        return;
    };
    let Some((t, conj)) = cblas_map::trans(trans, row, T::COMPLEX) else {
        return Report::bad_enum::<T>("GBMV", 2);
    };
    let (m, n, kl, ku) = if row { (n, m, ku, kl) } else { (m, n, kl, ku) };
    // SAFETY: the reference contract.
    unsafe {
        gbmv(
            Report::Cblas,
            conj,
            t,
            m,
            n,
            kl,
            ku,
            alpha,
            a,
            lda,
            x,
            incx,
            beta,
            y,
            incy,
        )
    }
}

/// CBLAS rank-1 update: row-major updates Aᵀ += alpha·op(y)·xᵀ.
#[allow(clippy::too_many_arguments)]
unsafe fn ger_cblas<T: Scalar>(
    name: &'static str,
    conj_y: bool,
    order: c_int,
    m: i64,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: *const T,
    incy: i64,
    a: *mut T,
    lda: i64,
) {
    let Some(row) = Report::layout::<T>(name, order) else {
        return;
    };
    // SAFETY: the reference contract.
    unsafe {
        if row {
            ger(
                Report::Cblas,
                name,
                n,
                m,
                alpha,
                y,
                incy,
                conj_y,
                x,
                incx,
                false,
                a,
                lda,
            )
        } else {
            ger(
                Report::Cblas,
                name,
                m,
                n,
                alpha,
                x,
                incx,
                false,
                y,
                incy,
                conj_y,
                a,
                lda,
            )
        }
    }
}

/// CBLAS symmetric/Hermitian rank-1 or rank-2 update.
#[allow(clippy::too_many_arguments)]
unsafe fn sym_update_cblas<T: Scalar>(
    form: Form,
    herm: bool,
    order: c_int,
    uplo: c_int,
    n: i64,
    alpha: T,
    x: *const T,
    incx: i64,
    y: Option<(*const T, i64)>,
    a: *mut T,
    lda: i64,
) {
    let name = update_name(form, herm, y.is_some());
    let Some(row) = Report::layout::<T>(name, order) else {
        return;
    };
    let Some(u) = cblas_map::uplo(uplo, row) else {
        return Report::bad_enum::<T>(name, 2);
    };
    // Row-major Hermitian: the stored matrix is conj(A), which the update with the
    // conjugated vectors gives; a rank-2 update takes them swapped (conj(y), conj(x)),
    // as reference CBLAS passes them, checks included.
    let (x, incx, y) = match y {
        Some((y, incy)) if herm && row => (y, incy, Some((x, incx))),
        _ => (x, incx, y),
    };
    // SAFETY: the reference contract.
    unsafe {
        sym_update(
            Report::Cblas,
            form,
            herm,
            herm && row,
            u,
            n,
            alpha,
            x,
            incx,
            y,
            a,
            lda,
        )
    }
}

export_fns! {
    /// y := alpha*A*x + beta*y, A symmetric (reference ?SYMV).
    #[export(fortran = ssymv, scalar = f32)]
    #[export(fortran = dsymv, scalar = f64)]
    fn symv(uplo: *const c_char, n: *const Int, alpha: *const T, a: *const T, lda: *const Int, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { sym_mv(Report::fortran::<Int>(), Form::Full, false, false, ch(uplo), int(n), 0, *alpha, a, int(lda), x, int(incx), *beta, y, int(incy)) }
    }

    /// y := alpha*A*x + beta*y, A Hermitian (reference ?HEMV).
    #[export(fortran = chemv, scalar = c32)]
    #[export(fortran = zhemv, scalar = c64)]
    fn hemv(uplo: *const c_char, n: *const Int, alpha: *const T, a: *const T, lda: *const Int, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { sym_mv(Report::fortran::<Int>(), Form::Full, true, false, ch(uplo), int(n), 0, *alpha, a, int(lda), x, int(incx), *beta, y, int(incy)) }
    }

    /// y := alpha*A*x + beta*y, A symmetric band (reference ?SBMV).
    #[export(fortran = ssbmv, scalar = f32)]
    #[export(fortran = dsbmv, scalar = f64)]
    fn sbmv(uplo: *const c_char, n: *const Int, k: *const Int, alpha: *const T, a: *const T, lda: *const Int, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { sym_mv(Report::fortran::<Int>(), Form::Band, false, false, ch(uplo), int(n), int(k), *alpha, a, int(lda), x, int(incx), *beta, y, int(incy)) }
    }

    /// y := alpha*A*x + beta*y, A Hermitian band (reference ?HBMV).
    #[export(fortran = chbmv, scalar = c32)]
    #[export(fortran = zhbmv, scalar = c64)]
    fn hbmv(uplo: *const c_char, n: *const Int, k: *const Int, alpha: *const T, a: *const T, lda: *const Int, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { sym_mv(Report::fortran::<Int>(), Form::Band, true, false, ch(uplo), int(n), int(k), *alpha, a, int(lda), x, int(incx), *beta, y, int(incy)) }
    }

    /// y := alpha*A*x + beta*y, A symmetric packed (reference ?SPMV).
    #[export(fortran = sspmv, scalar = f32)]
    #[export(fortran = dspmv, scalar = f64)]
    fn spmv(uplo: *const c_char, n: *const Int, alpha: *const T, ap: *const T, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { sym_mv(Report::fortran::<Int>(), Form::Packed, false, false, ch(uplo), int(n), 0, *alpha, ap, 1, x, int(incx), *beta, y, int(incy)) }
    }

    /// y := alpha*A*x + beta*y, A Hermitian packed (reference ?HPMV).
    #[export(fortran = chpmv, scalar = c32)]
    #[export(fortran = zhpmv, scalar = c64)]
    fn hpmv(uplo: *const c_char, n: *const Int, alpha: *const T, ap: *const T, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { sym_mv(Report::fortran::<Int>(), Form::Packed, true, false, ch(uplo), int(n), 0, *alpha, ap, 1, x, int(incx), *beta, y, int(incy)) }
    }

    /// x := op(A)*x, A triangular (reference ?TRMV).
    #[export(fortran = strmv, scalar = f32)]
    #[export(fortran = dtrmv, scalar = f64)]
    #[export(fortran = ctrmv, scalar = c32)]
    #[export(fortran = ztrmv, scalar = c64)]
    fn trmv(uplo: *const c_char, trans: *const c_char, diag: *const c_char, n: *const Int, a: *const T, lda: *const Int, x: *mut T, incx: *const Int) {
        unsafe { tri(Report::fortran::<Int>(), Form::Full, false, false, ch(uplo), ch(trans), ch(diag), int(n), 0, a, int(lda), x, int(incx)) }
    }

    /// x := op(A)*x, A triangular band (reference ?TBMV).
    #[export(fortran = stbmv, scalar = f32)]
    #[export(fortran = dtbmv, scalar = f64)]
    #[export(fortran = ctbmv, scalar = c32)]
    #[export(fortran = ztbmv, scalar = c64)]
    fn tbmv(uplo: *const c_char, trans: *const c_char, diag: *const c_char, n: *const Int, k: *const Int, a: *const T, lda: *const Int, x: *mut T, incx: *const Int) {
        unsafe { tri(Report::fortran::<Int>(), Form::Band, false, false, ch(uplo), ch(trans), ch(diag), int(n), int(k), a, int(lda), x, int(incx)) }
    }

    /// x := op(A)*x, A triangular packed (reference ?TPMV).
    #[export(fortran = stpmv, scalar = f32)]
    #[export(fortran = dtpmv, scalar = f64)]
    #[export(fortran = ctpmv, scalar = c32)]
    #[export(fortran = ztpmv, scalar = c64)]
    fn tpmv(uplo: *const c_char, trans: *const c_char, diag: *const c_char, n: *const Int, ap: *const T, x: *mut T, incx: *const Int) {
        unsafe { tri(Report::fortran::<Int>(), Form::Packed, false, false, ch(uplo), ch(trans), ch(diag), int(n), 0, ap, 1, x, int(incx)) }
    }

    /// Solves op(A)*x = b, A triangular (reference ?TRSV).
    #[export(fortran = strsv, scalar = f32)]
    #[export(fortran = dtrsv, scalar = f64)]
    #[export(fortran = ctrsv, scalar = c32)]
    #[export(fortran = ztrsv, scalar = c64)]
    fn trsv(uplo: *const c_char, trans: *const c_char, diag: *const c_char, n: *const Int, a: *const T, lda: *const Int, x: *mut T, incx: *const Int) {
        unsafe { tri(Report::fortran::<Int>(), Form::Full, true, false, ch(uplo), ch(trans), ch(diag), int(n), 0, a, int(lda), x, int(incx)) }
    }

    /// Solves op(A)*x = b, A triangular band (reference ?TBSV).
    #[export(fortran = stbsv, scalar = f32)]
    #[export(fortran = dtbsv, scalar = f64)]
    #[export(fortran = ctbsv, scalar = c32)]
    #[export(fortran = ztbsv, scalar = c64)]
    fn tbsv(uplo: *const c_char, trans: *const c_char, diag: *const c_char, n: *const Int, k: *const Int, a: *const T, lda: *const Int, x: *mut T, incx: *const Int) {
        unsafe { tri(Report::fortran::<Int>(), Form::Band, true, false, ch(uplo), ch(trans), ch(diag), int(n), int(k), a, int(lda), x, int(incx)) }
    }

    /// Solves op(A)*x = b, A triangular packed (reference ?TPSV).
    #[export(fortran = stpsv, scalar = f32)]
    #[export(fortran = dtpsv, scalar = f64)]
    #[export(fortran = ctpsv, scalar = c32)]
    #[export(fortran = ztpsv, scalar = c64)]
    fn tpsv(uplo: *const c_char, trans: *const c_char, diag: *const c_char, n: *const Int, ap: *const T, x: *mut T, incx: *const Int) {
        unsafe { tri(Report::fortran::<Int>(), Form::Packed, true, false, ch(uplo), ch(trans), ch(diag), int(n), 0, ap, 1, x, int(incx)) }
    }

    /// y := alpha*op(A)*x + beta*y, A a general band (reference ?GBMV).
    #[export(fortran = sgbmv, scalar = f32)]
    #[export(fortran = dgbmv, scalar = f64)]
    #[export(fortran = cgbmv, scalar = c32)]
    #[export(fortran = zgbmv, scalar = c64)]
    fn gbmv(trans: *const c_char, m: *const Int, n: *const Int, kl: *const Int, ku: *const Int, alpha: *const T, a: *const T, lda: *const Int, x: *const T, incx: *const Int, beta: *const T, y: *mut T, incy: *const Int) {
        unsafe { gbmv(Report::fortran::<Int>(), false, ch(trans), int(m), int(n), int(kl), int(ku), *alpha, a, int(lda), x, int(incx), *beta, y, int(incy)) }
    }

    /// A := alpha*x*y**T + A (reference ?GER, ?GERU).
    #[export(fortran = sger, scalar = f32)]
    #[export(fortran = dger, scalar = f64)]
    fn ger(m: *const Int, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *const T, incy: *const Int, a: *mut T, lda: *const Int) {
        unsafe { ger(Report::fortran::<Int>(), "GER", int(m), int(n), *alpha, x, int(incx), false, y, int(incy), false, a, int(lda)) }
    }

    /// A := alpha*x*y**T + A (reference ?GERU).
    #[export(fortran = cgeru, scalar = c32)]
    #[export(fortran = zgeru, scalar = c64)]
    fn geru(m: *const Int, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *const T, incy: *const Int, a: *mut T, lda: *const Int) {
        unsafe { ger(Report::fortran::<Int>(), "GERU", int(m), int(n), *alpha, x, int(incx), false, y, int(incy), false, a, int(lda)) }
    }

    /// A := alpha*x*y**H + A (reference ?GERC).
    #[export(fortran = cgerc, scalar = c32)]
    #[export(fortran = zgerc, scalar = c64)]
    fn gerc(m: *const Int, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *const T, incy: *const Int, a: *mut T, lda: *const Int) {
        unsafe { ger(Report::fortran::<Int>(), "GERC", int(m), int(n), *alpha, x, int(incx), false, y, int(incy), true, a, int(lda)) }
    }

    /// A := alpha*x*x**T + A on one triangle (reference ?SYR).
    #[export(fortran = ssyr, scalar = f32)]
    #[export(fortran = dsyr, scalar = f64)]
    fn syr(uplo: *const c_char, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, a: *mut T, lda: *const Int) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Full, false, false, ch(uplo), int(n), *alpha, x, int(incx), None, a, int(lda)) }
    }

    /// A := alpha*x*x**H + A on one triangle, alpha real (reference ?HER).
    #[export(fortran = cher, scalar = c32)]
    #[export(fortran = zher, scalar = c64)]
    fn her(uplo: *const c_char, n: *const Int, alpha: *const R, x: *const T, incx: *const Int, a: *mut T, lda: *const Int) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Full, true, false, ch(uplo), int(n), T::from_real(*alpha), x, int(incx), None, a, int(lda)) }
    }

    /// A := alpha*x*x**T + A, A packed (reference ?SPR).
    #[export(fortran = sspr, scalar = f32)]
    #[export(fortran = dspr, scalar = f64)]
    fn spr(uplo: *const c_char, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, ap: *mut T) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Packed, false, false, ch(uplo), int(n), *alpha, x, int(incx), None, ap, 1) }
    }

    /// A := alpha*x*x**H + A, A packed, alpha real (reference ?HPR).
    #[export(fortran = chpr, scalar = c32)]
    #[export(fortran = zhpr, scalar = c64)]
    fn hpr(uplo: *const c_char, n: *const Int, alpha: *const R, x: *const T, incx: *const Int, ap: *mut T) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Packed, true, false, ch(uplo), int(n), T::from_real(*alpha), x, int(incx), None, ap, 1) }
    }

    /// A := alpha*x*y**T + alpha*y*x**T + A on one triangle (reference ?SYR2).
    #[export(fortran = ssyr2, scalar = f32)]
    #[export(fortran = dsyr2, scalar = f64)]
    fn syr2(uplo: *const c_char, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *const T, incy: *const Int, a: *mut T, lda: *const Int) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Full, false, false, ch(uplo), int(n), *alpha, x, int(incx), Some((y, int(incy))), a, int(lda)) }
    }

    /// A := alpha*x*y**H + conj(alpha)*y*x**H + A on one triangle (reference ?HER2).
    #[export(fortran = cher2, scalar = c32)]
    #[export(fortran = zher2, scalar = c64)]
    fn her2(uplo: *const c_char, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *const T, incy: *const Int, a: *mut T, lda: *const Int) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Full, true, false, ch(uplo), int(n), *alpha, x, int(incx), Some((y, int(incy))), a, int(lda)) }
    }

    /// A := alpha*x*y**T + alpha*y*x**T + A, A packed (reference ?SPR2).
    #[export(fortran = sspr2, scalar = f32)]
    #[export(fortran = dspr2, scalar = f64)]
    fn spr2(uplo: *const c_char, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *const T, incy: *const Int, ap: *mut T) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Packed, false, false, ch(uplo), int(n), *alpha, x, int(incx), Some((y, int(incy))), ap, 1) }
    }

    /// A := alpha*x*y**H + conj(alpha)*y*x**H + A, A packed (reference ?HPR2).
    #[export(fortran = chpr2, scalar = c32)]
    #[export(fortran = zhpr2, scalar = c64)]
    fn hpr2(uplo: *const c_char, n: *const Int, alpha: *const T, x: *const T, incx: *const Int, y: *const T, incy: *const Int, ap: *mut T) {
        unsafe { sym_update(Report::fortran::<Int>(), Form::Packed, true, false, ch(uplo), int(n), *alpha, x, int(incx), Some((y, int(incy))), ap, 1) }
    }
}

export_fns! {
    /// y := alpha*A*x + beta*y, A symmetric (reference CBLAS cblas_?symv).
    #[export(cblas = ssymv, scalar = f32)]
    #[export(cblas = dsymv, scalar = f64)]
    fn cblas_symv(order: c_int, uplo: c_int, n: Int, alpha: T, a: *const T, lda: Int, x: *const T, incx: Int, beta: T, y: *mut T, incy: Int) {
        unsafe { sym_mv_cblas(Form::Full, false, order, uplo, n.to_i64(), 0, alpha, a, lda.to_i64(), x, incx.to_i64(), beta, y, incy.to_i64()) }
    }

    /// y := alpha*A*x + beta*y, A Hermitian (reference CBLAS cblas_?hemv).
    #[export(cblas = chemv, scalar = c32)]
    #[export(cblas = zhemv, scalar = c64)]
    fn cblas_hemv(order: c_int, uplo: c_int, n: Int, alpha: *const T, a: *const T, lda: Int, x: *const T, incx: Int, beta: *const T, y: *mut T, incy: Int) {
        unsafe { sym_mv_cblas(Form::Full, true, order, uplo, n.to_i64(), 0, *alpha, a, lda.to_i64(), x, incx.to_i64(), *beta, y, incy.to_i64()) }
    }

    /// y := alpha*A*x + beta*y, A symmetric band (reference CBLAS cblas_?sbmv).
    #[export(cblas = ssbmv, scalar = f32)]
    #[export(cblas = dsbmv, scalar = f64)]
    fn cblas_sbmv(order: c_int, uplo: c_int, n: Int, k: Int, alpha: T, a: *const T, lda: Int, x: *const T, incx: Int, beta: T, y: *mut T, incy: Int) {
        unsafe { sym_mv_cblas(Form::Band, false, order, uplo, n.to_i64(), k.to_i64(), alpha, a, lda.to_i64(), x, incx.to_i64(), beta, y, incy.to_i64()) }
    }

    /// y := alpha*A*x + beta*y, A Hermitian band (reference CBLAS cblas_?hbmv).
    #[export(cblas = chbmv, scalar = c32)]
    #[export(cblas = zhbmv, scalar = c64)]
    fn cblas_hbmv(order: c_int, uplo: c_int, n: Int, k: Int, alpha: *const T, a: *const T, lda: Int, x: *const T, incx: Int, beta: *const T, y: *mut T, incy: Int) {
        unsafe { sym_mv_cblas(Form::Band, true, order, uplo, n.to_i64(), k.to_i64(), *alpha, a, lda.to_i64(), x, incx.to_i64(), *beta, y, incy.to_i64()) }
    }

    /// y := alpha*A*x + beta*y, A symmetric packed (reference CBLAS cblas_?spmv).
    #[export(cblas = sspmv, scalar = f32)]
    #[export(cblas = dspmv, scalar = f64)]
    fn cblas_spmv(order: c_int, uplo: c_int, n: Int, alpha: T, ap: *const T, x: *const T, incx: Int, beta: T, y: *mut T, incy: Int) {
        unsafe { sym_mv_cblas(Form::Packed, false, order, uplo, n.to_i64(), 0, alpha, ap, 1, x, incx.to_i64(), beta, y, incy.to_i64()) }
    }

    /// y := alpha*A*x + beta*y, A Hermitian packed (reference CBLAS cblas_?hpmv).
    #[export(cblas = chpmv, scalar = c32)]
    #[export(cblas = zhpmv, scalar = c64)]
    fn cblas_hpmv(order: c_int, uplo: c_int, n: Int, alpha: *const T, ap: *const T, x: *const T, incx: Int, beta: *const T, y: *mut T, incy: Int) {
        unsafe { sym_mv_cblas(Form::Packed, true, order, uplo, n.to_i64(), 0, *alpha, ap, 1, x, incx.to_i64(), *beta, y, incy.to_i64()) }
    }

    /// x := op(A)*x, A triangular (reference CBLAS cblas_?trmv).
    #[export(cblas = strmv, scalar = f32)]
    #[export(cblas = dtrmv, scalar = f64)]
    #[export(cblas = ctrmv, scalar = c32)]
    #[export(cblas = ztrmv, scalar = c64)]
    fn cblas_trmv(order: c_int, uplo: c_int, trans: c_int, diag: c_int, n: Int, a: *const T, lda: Int, x: *mut T, incx: Int) {
        unsafe { tri_cblas(Form::Full, false, order, uplo, trans, diag, n.to_i64(), 0, a, lda.to_i64(), x, incx.to_i64()) }
    }

    /// x := op(A)*x, A triangular band (reference CBLAS cblas_?tbmv).
    #[export(cblas = stbmv, scalar = f32)]
    #[export(cblas = dtbmv, scalar = f64)]
    #[export(cblas = ctbmv, scalar = c32)]
    #[export(cblas = ztbmv, scalar = c64)]
    fn cblas_tbmv(order: c_int, uplo: c_int, trans: c_int, diag: c_int, n: Int, k: Int, a: *const T, lda: Int, x: *mut T, incx: Int) {
        unsafe { tri_cblas(Form::Band, false, order, uplo, trans, diag, n.to_i64(), k.to_i64(), a, lda.to_i64(), x, incx.to_i64()) }
    }

    /// x := op(A)*x, A triangular packed (reference CBLAS cblas_?tpmv).
    #[export(cblas = stpmv, scalar = f32)]
    #[export(cblas = dtpmv, scalar = f64)]
    #[export(cblas = ctpmv, scalar = c32)]
    #[export(cblas = ztpmv, scalar = c64)]
    fn cblas_tpmv(order: c_int, uplo: c_int, trans: c_int, diag: c_int, n: Int, ap: *const T, x: *mut T, incx: Int) {
        unsafe { tri_cblas(Form::Packed, false, order, uplo, trans, diag, n.to_i64(), 0, ap, 1, x, incx.to_i64()) }
    }

    /// Solves op(A)*x = b, A triangular (reference CBLAS cblas_?trsv).
    #[export(cblas = strsv, scalar = f32)]
    #[export(cblas = dtrsv, scalar = f64)]
    #[export(cblas = ctrsv, scalar = c32)]
    #[export(cblas = ztrsv, scalar = c64)]
    fn cblas_trsv(order: c_int, uplo: c_int, trans: c_int, diag: c_int, n: Int, a: *const T, lda: Int, x: *mut T, incx: Int) {
        unsafe { tri_cblas(Form::Full, true, order, uplo, trans, diag, n.to_i64(), 0, a, lda.to_i64(), x, incx.to_i64()) }
    }

    /// Solves op(A)*x = b, A triangular band (reference CBLAS cblas_?tbsv).
    #[export(cblas = stbsv, scalar = f32)]
    #[export(cblas = dtbsv, scalar = f64)]
    #[export(cblas = ctbsv, scalar = c32)]
    #[export(cblas = ztbsv, scalar = c64)]
    fn cblas_tbsv(order: c_int, uplo: c_int, trans: c_int, diag: c_int, n: Int, k: Int, a: *const T, lda: Int, x: *mut T, incx: Int) {
        unsafe { tri_cblas(Form::Band, true, order, uplo, trans, diag, n.to_i64(), k.to_i64(), a, lda.to_i64(), x, incx.to_i64()) }
    }

    /// Solves op(A)*x = b, A triangular packed (reference CBLAS cblas_?tpsv).
    #[export(cblas = stpsv, scalar = f32)]
    #[export(cblas = dtpsv, scalar = f64)]
    #[export(cblas = ctpsv, scalar = c32)]
    #[export(cblas = ztpsv, scalar = c64)]
    fn cblas_tpsv(order: c_int, uplo: c_int, trans: c_int, diag: c_int, n: Int, ap: *const T, x: *mut T, incx: Int) {
        unsafe { tri_cblas(Form::Packed, true, order, uplo, trans, diag, n.to_i64(), 0, ap, 1, x, incx.to_i64()) }
    }

    /// y := alpha*op(A)*x + beta*y, A a general band (reference CBLAS cblas_?gbmv).
    #[export(cblas = sgbmv, scalar = f32)]
    #[export(cblas = dgbmv, scalar = f64)]
    fn cblas_gbmv_real(order: c_int, trans: c_int, m: Int, n: Int, kl: Int, ku: Int, alpha: T, a: *const T, lda: Int, x: *const T, incx: Int, beta: T, y: *mut T, incy: Int) {
        unsafe { gbmv_cblas(order, trans, m.to_i64(), n.to_i64(), kl.to_i64(), ku.to_i64(), alpha, a, lda.to_i64(), x, incx.to_i64(), beta, y, incy.to_i64()) }
    }

    /// y := alpha*op(A)*x + beta*y, A a general band (reference CBLAS cblas_?gbmv,
    /// complex: alpha and beta by pointer).
    #[export(cblas = cgbmv, scalar = c32)]
    #[export(cblas = zgbmv, scalar = c64)]
    fn cblas_gbmv_complex(order: c_int, trans: c_int, m: Int, n: Int, kl: Int, ku: Int, alpha: *const T, a: *const T, lda: Int, x: *const T, incx: Int, beta: *const T, y: *mut T, incy: Int) {
        unsafe { gbmv_cblas(order, trans, m.to_i64(), n.to_i64(), kl.to_i64(), ku.to_i64(), *alpha, a, lda.to_i64(), x, incx.to_i64(), *beta, y, incy.to_i64()) }
    }

    /// A := alpha*x*y**T + A (reference CBLAS cblas_?ger).
    #[export(cblas = sger, scalar = f32)]
    #[export(cblas = dger, scalar = f64)]
    fn cblas_ger(order: c_int, m: Int, n: Int, alpha: T, x: *const T, incx: Int, y: *const T, incy: Int, a: *mut T, lda: Int) {
        unsafe { ger_cblas("GER", false, order, m.to_i64(), n.to_i64(), alpha, x, incx.to_i64(), y, incy.to_i64(), a, lda.to_i64()) }
    }

    /// A := alpha*x*y**T + A (reference CBLAS cblas_?geru).
    #[export(cblas = cgeru, scalar = c32)]
    #[export(cblas = zgeru, scalar = c64)]
    fn cblas_geru(order: c_int, m: Int, n: Int, alpha: *const T, x: *const T, incx: Int, y: *const T, incy: Int, a: *mut T, lda: Int) {
        unsafe { ger_cblas("GERU", false, order, m.to_i64(), n.to_i64(), *alpha, x, incx.to_i64(), y, incy.to_i64(), a, lda.to_i64()) }
    }

    /// A := alpha*x*y**H + A (reference CBLAS cblas_?gerc).
    #[export(cblas = cgerc, scalar = c32)]
    #[export(cblas = zgerc, scalar = c64)]
    fn cblas_gerc(order: c_int, m: Int, n: Int, alpha: *const T, x: *const T, incx: Int, y: *const T, incy: Int, a: *mut T, lda: Int) {
        unsafe { ger_cblas("GERC", true, order, m.to_i64(), n.to_i64(), *alpha, x, incx.to_i64(), y, incy.to_i64(), a, lda.to_i64()) }
    }

    /// A := alpha*x*x**T + A on one triangle (reference CBLAS cblas_?syr).
    #[export(cblas = ssyr, scalar = f32)]
    #[export(cblas = dsyr, scalar = f64)]
    fn cblas_syr(order: c_int, uplo: c_int, n: Int, alpha: T, x: *const T, incx: Int, a: *mut T, lda: Int) {
        unsafe { sym_update_cblas(Form::Full, false, order, uplo, n.to_i64(), alpha, x, incx.to_i64(), None, a, lda.to_i64()) }
    }

    /// A := alpha*x*x**H + A on one triangle (reference CBLAS cblas_?her).
    #[export(cblas = cher, scalar = c32)]
    #[export(cblas = zher, scalar = c64)]
    fn cblas_her(order: c_int, uplo: c_int, n: Int, alpha: R, x: *const T, incx: Int, a: *mut T, lda: Int) {
        unsafe { sym_update_cblas(Form::Full, true, order, uplo, n.to_i64(), T::from_real(alpha), x, incx.to_i64(), None, a, lda.to_i64()) }
    }

    /// A := alpha*x*x**T + A, A packed (reference CBLAS cblas_?spr).
    #[export(cblas = sspr, scalar = f32)]
    #[export(cblas = dspr, scalar = f64)]
    fn cblas_spr(order: c_int, uplo: c_int, n: Int, alpha: T, x: *const T, incx: Int, ap: *mut T) {
        unsafe { sym_update_cblas(Form::Packed, false, order, uplo, n.to_i64(), alpha, x, incx.to_i64(), None, ap, 1) }
    }

    /// A := alpha*x*x**H + A, A packed (reference CBLAS cblas_?hpr).
    #[export(cblas = chpr, scalar = c32)]
    #[export(cblas = zhpr, scalar = c64)]
    fn cblas_hpr(order: c_int, uplo: c_int, n: Int, alpha: R, x: *const T, incx: Int, ap: *mut T) {
        unsafe { sym_update_cblas(Form::Packed, true, order, uplo, n.to_i64(), T::from_real(alpha), x, incx.to_i64(), None, ap, 1) }
    }

    /// A := alpha*x*y**T + alpha*y*x**T + A on one triangle (reference CBLAS cblas_?syr2).
    #[export(cblas = ssyr2, scalar = f32)]
    #[export(cblas = dsyr2, scalar = f64)]
    fn cblas_syr2(order: c_int, uplo: c_int, n: Int, alpha: T, x: *const T, incx: Int, y: *const T, incy: Int, a: *mut T, lda: Int) {
        unsafe { sym_update_cblas(Form::Full, false, order, uplo, n.to_i64(), alpha, x, incx.to_i64(), Some((y, incy.to_i64())), a, lda.to_i64()) }
    }

    /// A := alpha*x*y**H + conj(alpha)*y*x**H + A (reference CBLAS cblas_?her2).
    #[export(cblas = cher2, scalar = c32)]
    #[export(cblas = zher2, scalar = c64)]
    fn cblas_her2(order: c_int, uplo: c_int, n: Int, alpha: *const T, x: *const T, incx: Int, y: *const T, incy: Int, a: *mut T, lda: Int) {
        unsafe { sym_update_cblas(Form::Full, true, order, uplo, n.to_i64(), *alpha, x, incx.to_i64(), Some((y, incy.to_i64())), a, lda.to_i64()) }
    }

    /// A := alpha*x*y**T + alpha*y*x**T + A, A packed (reference CBLAS cblas_?spr2).
    #[export(cblas = sspr2, scalar = f32)]
    #[export(cblas = dspr2, scalar = f64)]
    fn cblas_spr2(order: c_int, uplo: c_int, n: Int, alpha: T, x: *const T, incx: Int, y: *const T, incy: Int, ap: *mut T) {
        unsafe { sym_update_cblas(Form::Packed, false, order, uplo, n.to_i64(), alpha, x, incx.to_i64(), Some((y, incy.to_i64())), ap, 1) }
    }

    /// A := alpha*x*y**H + conj(alpha)*y*x**H + A, A packed (reference CBLAS cblas_?hpr2).
    #[export(cblas = chpr2, scalar = c32)]
    #[export(cblas = zhpr2, scalar = c64)]
    fn cblas_hpr2(order: c_int, uplo: c_int, n: Int, alpha: *const T, x: *const T, incx: Int, y: *const T, incy: Int, ap: *mut T) {
        unsafe { sym_update_cblas(Form::Packed, true, order, uplo, n.to_i64(), *alpha, x, incx.to_i64(), Some((y, incy.to_i64())), ap, 1) }
    }
}
