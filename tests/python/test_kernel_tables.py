"""OXBLAS_KERNEL steers every routine family: under each architecture table this CPU
runs, a NumPy process preloaded with oxblas makes S, D, C, Z products, a matrix·vector
product, an SVD (band chase and fused matrix·vector pass), an LU solve and a vector
exp, and every OXBLAS_VERBOSE line names that table (and, where a routine has several
paths, the one the table gives it). A name no table has is reported once on stderr,
and the best table runs instead."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target" / "release" / "liboxblas.so"))

CHILD = textwrap.dedent(
    """
    import ctypes
    import numpy as np
    rng = np.random.default_rng(0)
    # Past every table's small-product and faer crossings (float32's is 1400³).
    for dt, n in ((np.float32, 1500), (np.float64, 700), (np.complex64, 700), (np.complex128, 700)):
        a = rng.standard_normal((n, n)).astype(dt)
        a @ a
    a = rng.standard_normal((600, 600))
    a @ a[:, 0]        # dgemv
    np.linalg.svd(a)   # dgesdd: fused matrix-vector pass, band chase
    np.linalg.solve(a, a[:, :3])
    x = np.linspace(-1, 1, 1 << 16)
    y = np.empty_like(x)
    lib = ctypes.CDLL(None)
    lib.vdExp(ctypes.c_int(x.size), x.ctypes.data_as(ctypes.c_void_p), y.ctypes.data_as(ctypes.c_void_p))
    assert np.allclose(y, np.exp(x))
    """
)


def trace(kernel):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OXBLAS_", "OPENBLAS_"))}
    env.update(LD_PRELOAD=str(LIB), OXBLAS_VERBOSE="1", OXBLAS_KERNEL=kernel)
    proc = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def lines_of(err, routine):
    return [l for l in err.splitlines() if l.startswith(f"OXBLAS_VERBOSE {routine}(")]


def cpu_runs(kernel):
    flags = open("/proc/cpuinfo").read()
    return {"generic": True, "avx2": " avx2 " in flags and " fma " in flags,
            "avx512": " avx512f " in flags}[kernel]


# What each table's products run on (arch.rs): the packed driver, an interleaved
# complex kernel, the 1m expansion, or faer.
PRODUCT_PATHS = {
    "avx512": {"sgemm": "packed", "dgemm": "packed", "cgemm": "interleaved", "zgemm": "interleaved"},
    "avx2": {"sgemm": "faer", "dgemm": "packed", "cgemm": "faer", "zgemm": "1m"},
    "generic": {"sgemm": "faer", "dgemm": "packed", "cgemm": "faer", "zgemm": "1m"},
}


@pytest.mark.parametrize("kernel", ["avx512", "avx2", "generic"])
def test_every_family_runs_on_the_forced_table(kernel):
    if not cpu_runs(kernel):
        pytest.skip(f"this CPU lacks {kernel}")
    err = trace(kernel)
    lines = [l for l in err.splitlines() if l.startswith("OXBLAS_VERBOSE ")]
    routines = {l.split()[1].split("(")[0] for l in lines}
    assert {"sgemm", "dgemm", "cgemm", "zgemm", "dgemv", "dgesdd", "dgetrf", "dgetrs", "Exp"} <= routines, routines
    for l in lines:
        assert f" kernel={kernel} " in l, l
    for routine, path in PRODUCT_PATHS[kernel].items():
        assert any(f" path={path} " in l for l in lines_of(err, routine)), (routine, lines_of(err, routine))
    gemv_path = "avx512" if kernel == "avx512" else "portable"
    assert all(f" path={gemv_path} " in l for l in lines_of(err, "dgemv")), lines_of(err, "dgemv")
    assert "ignoring OXBLAS_KERNEL" not in err


def test_an_unknown_table_is_reported_once_and_the_best_runs():
    err = trace("bogus")
    warnings = [l for l in err.splitlines() if "OXBLAS_KERNEL" in l and not l.startswith("OXBLAS_VERBOSE")]
    assert len(warnings) == 1, warnings
    assert re.search(r'ignoring OXBLAS_KERNEL="bogus": no such kernel table \(known: avx512, avx2, generic\)', warnings[0])
    best = next(k for k in ("avx512", "avx2", "generic") if cpu_runs(k))
    assert f"using {best}" in warnings[0]
    assert all(f" kernel={best} " in l for l in err.splitlines() if l.startswith("OXBLAS_VERBOSE "))
