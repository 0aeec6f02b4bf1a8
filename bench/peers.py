"""The dgemm implementations the benchmark compares, loaded with ctypes in a worker
process of their own (so no library's idle threads disturb another's timing).

- oxblas: target/release/liboxblas.so (cblas_dgemm64_)
- openblas: the OpenBLAS inside the pip NumPy wheel (scipy_cblas_dgemm64_), autodetecting
  this CPU: the worker runs with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset
- mkl: pip `mkl` (libmkl_rt, cblas_dgemm, LP64)
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
        if name == "oxblas":
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
        self.lib = lib

    def __call__(self, layout, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc):
        self.fn(layout, ta, tb, m, n, k, alpha, a.ctypes.data, lda, b.ctypes.data, ldb,
                beta, c.ctypes.data, ldc)
