"""The dgemm implementations the benchmark compares, loaded with ctypes in a worker
process of their own (so no library's idle threads disturb another's timing).

- oxblas: target/release/liboxblas.so (cblas_dgemm64_)
- openblas: the OpenBLAS inside the pip NumPy wheel (scipy_cblas_dgemm64_), autodetecting
  this CPU: the worker runs with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset
- mkl: pip `mkl` (libmkl_rt, cblas_dgemm, LP64)
- base: another build of oxblas named by OXBLAS_BASE_LIB (e.g. the commit before a
  change), to time a change A/B interleaved: `OXBLAS_BASE_LIB=… bench/dgemm.py --peers base`
"""

import ctypes
import glob
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def find(name):
    import numpy

    site = Path(numpy.__file__).resolve().parents[1]
    if name == "oxblas":
        return str(Path(os.environ.get("OXBLAS_LIB", ROOT / "target/release/liboxblas.so")))
    if name == "base":
        return os.environ.get("OXBLAS_BASE_LIB")
    if name == "openblas":
        hits = glob.glob(str(site / "numpy.libs" / "libscipy_openblas64_*.so"))
        return hits[0] if hits else None
    if name == "mkl":
        hits = glob.glob(str(Path(sys.prefix) / "lib" / "libmkl_rt.so*"))
        return sorted(hits)[0] if hits else None
    raise ValueError(name)


class Gemm:
    """cblas_dgemm of one library with a thread-count setter; column-major calls."""

    def __init__(self, name, threads):
        path = find(name)
        if path is None or not os.path.exists(path):
            raise FileNotFoundError(f"{name} library not found")
        self.name = name
        lib = ctypes.CDLL(path, mode=ctypes.RTLD_LOCAL)
        if name in ("oxblas", "base"):
            self.fn, itype = lib.cblas_dgemm64_, ctypes.c_int64
            lib.oxblas_set_num_threads(ctypes.c_int(threads))
        elif name == "openblas":
            self.fn, itype = lib.scipy_cblas_dgemm64_, ctypes.c_int64
            lib.scipy_openblas_set_num_threads64_(ctypes.c_int(threads))
        else:
            self.fn, itype = lib.cblas_dgemm, ctypes.c_int
            lib.MKL_Set_Num_Threads(ctypes.c_int(threads))
        i, d, p = itype, ctypes.c_double, ctypes.c_void_p
        self.fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, i, i, i, d, p, i, p, i, d, p, i]
        self.fn.restype = None
        self.ilp64 = itype is ctypes.c_int64
        self.lib = lib

    def __call__(self, layout, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc):
        self.fn(layout, ta, tb, m, n, k, alpha, a.ctypes.data, lda, b.ctypes.data, ldb,
                beta, c.ctypes.data, ldc)

    def seconds_per_call(self, reps, layout, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc):
        """`reps` calls timed by a loop in C (bench/gemm_loop.c), so the time is the
        library's and not Python's per-call overhead; seconds per call."""
        loop = gemm_loop()
        fn = ctypes.cast(self.fn, ctypes.c_void_p)
        return loop(fn, int(self.ilp64), reps, layout, ta, tb, m, n, k, alpha, a.ctypes.data, lda,
                    b.ctypes.data, ldb, beta, c.ctypes.data, ldc)


GEMM_LOOP_SO = ROOT / "build" / "libgemm_loop.so"


def build_gemm_loop():
    """Compiles the C timing loop (bench/gemm_loop.c) into build/."""
    import subprocess

    GEMM_LOOP_SO.parent.mkdir(exist_ok=True)
    src = ROOT / "bench" / "gemm_loop.c"
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", str(src), "-o", str(GEMM_LOOP_SO)], check=True)


def gemm_loop():
    lib = ctypes.CDLL(str(GEMM_LOOP_SO))
    f = lib.gemm_loop_seconds
    i, d, p = ctypes.c_int64, ctypes.c_double, ctypes.c_void_p
    f.argtypes = [p, ctypes.c_int, ctypes.c_long, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                  i, i, i, d, p, i, p, i, d, p, i]
    f.restype = ctypes.c_double
    return f
