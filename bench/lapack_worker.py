"""One LAPACK measurement in its own process: prints median seconds of one routine of
one library at one size.

usage: lapack_worker.py LIB THREADS ROUTINE N
  ROUTINE: getrf, getrf_getri, gesv_inv (n×n), gesdd_A / gesdd_S / gesdd_N (N is n or MxN)
"""

import ctypes
import statistics
import sys
import time

import numpy as np

from peers import find

def symbols(lib_name, threads):
    """(symbol lookup, integer ctype, integer dtype) of one library's LAPACK interface."""
    lib = ctypes.CDLL(find(lib_name), mode=ctypes.RTLD_LOCAL)
    if lib_name == "oxblas":
        lib.oxblas_set_num_threads(ctypes.c_int(threads))
        pre, suf, itype, dtype = "", "_64_", ctypes.c_int64, np.int64
    elif lib_name == "openblas":
        lib.scipy_openblas_set_num_threads64_(ctypes.c_int(threads))
        pre, suf, itype, dtype = "scipy_", "_64_", ctypes.c_int64, np.int64
    else:  # pip MKL's libmkl_rt: LP64 Fortran names
        lib.MKL_Set_Num_Threads(ctypes.c_int(threads))
        pre, suf, itype, dtype = "", "_", ctypes.c_int32, np.int32
    return (lambda name: getattr(lib, f"{pre}{name}{suf}")), itype, dtype


def timed(run):
    """Median seconds of repeated runs (about a second of work, at least 3), after a warm-up."""
    run()
    return statistics.median(run() for _ in range(max(3, min(20, int(1.0 / max(run(), 1e-4))))))


def gesdd(sym, I64, int_dtype, jobz, m, n):
    """dgesdd as NumPy calls it: a workspace query, then the decomposition."""
    rng = np.random.default_rng(0)
    a0 = np.asfortranarray(rng.standard_normal((m, n)))
    a = np.empty_like(a0, order="F")
    k = min(m, n)
    ucols, vtrows = {"A": (m, n), "S": (k, k), "N": (1, 1)}[jobz]
    s = np.zeros(k)
    u = np.zeros((m if jobz != "N" else 1, ucols), order="F")
    vt = np.zeros((vtrows, n if jobz != "N" else 1), order="F")
    iwork = np.zeros(8 * k, dtype=int_dtype)
    mm, nn, ldu, ldvt, info = I64(m), I64(n), I64(u.shape[0]), I64(vt.shape[0]), I64(0)
    job = ctypes.c_char(jobz.encode())
    p = lambda x: x.ctypes.data_as(ctypes.c_void_p)
    ref = ctypes.byref
    f = sym("dgesdd")
    query = np.zeros(1)
    f(ref(job), ref(mm), ref(nn), p(a), ref(mm), p(s), p(u), ref(ldu), p(vt), ref(ldvt), p(query), ref(I64(-1)), p(iwork), ref(info))
    work = np.zeros(int(query[0]))
    lwork = I64(work.size)

    def run():
        a[...] = a0
        t0 = time.perf_counter()
        f(ref(job), ref(mm), ref(nn), p(a), ref(mm), p(s), p(u), ref(ldu), p(vt), ref(ldvt), p(work), ref(lwork), p(iwork), ref(info))
        dt = time.perf_counter() - t0
        assert info.value == 0, info.value
        return dt

    print(f"{timed(run):.6f}")


def main():
    lib_name, threads, routine = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sym, I64, int_dtype = symbols(lib_name, threads)
    if routine.startswith("gesdd"):
        return gesdd(sym, I64, int_dtype, routine[-1], *map(int, (sys.argv[4].split("x") * 2)[:2]))
    n = int(sys.argv[4])
    rng = np.random.default_rng(0)
    a0 = np.asfortranarray(rng.standard_normal((n, n)))
    a = np.empty_like(a0, order="F")
    ipiv = np.zeros(n, dtype=int_dtype)
    info = I64(0)
    nn = I64(n)
    # Workspace as SciPy sizes it: ask the library (lwork = -1) for the optimal size.
    query, minus1 = np.zeros(1), I64(-1)
    sym("dgetri")(ctypes.byref(nn), None, ctypes.byref(nn), None, query.ctypes.data_as(ctypes.c_void_p), ctypes.byref(minus1), ctypes.byref(info))
    lwork = I64(int(query[0]))
    work = np.zeros(lwork.value)
    eye = np.asfortranarray(np.eye(n))
    b = np.empty_like(eye, order="F")
    p = lambda x: x.ctypes.data_as(ctypes.c_void_p)
    ref = ctypes.byref

    def run():
        a[...] = a0
        if routine == "getrf":
            t0 = time.perf_counter()
            sym("dgetrf")(ref(nn), ref(nn), p(a), ref(nn), p(ipiv), ref(info))
        elif routine == "getrf_getri":
            t0 = time.perf_counter()
            sym("dgetrf")(ref(nn), ref(nn), p(a), ref(nn), p(ipiv), ref(info))
            sym("dgetri")(ref(nn), p(a), ref(nn), p(ipiv), p(work), ref(lwork), ref(info))
        else:  # NumPy's inv: dgesv with B = I
            b[...] = eye
            t0 = time.perf_counter()
            sym("dgesv")(ref(nn), ref(nn), p(a), ref(nn), p(ipiv), p(b), ref(nn), ref(info))
        dt = time.perf_counter() - t0
        assert info.value == 0, info.value
        return dt

    run()
    times = [run() for _ in range(max(3, min(20, int(1.0 / max(run(), 1e-4)))))]
    print(f"{statistics.median(times):.6f}")


if __name__ == "__main__":
    main()
