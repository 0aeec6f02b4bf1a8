"""The pip NumPy wheel with liboxblas.so preloaded: `a @ b` equals stock NumPy's result
for many shapes, memory orders and transposes, and the calls really reach oxblas."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target" / "release" / "liboxblas.so"))

SHAPES = [(1, 1, 1), (2, 3, 4), (17, 9, 33), (64, 64, 64), (100, 1, 50), (1, 80, 70),
          (129, 257, 65), (300, 200, 400), (513, 511, 100), (1000, 1000, 1000)]

CHILD = textwrap.dedent(
    """
    import sys, numpy as np
    out = {}
    rng = np.random.default_rng(7)
    for i, (m, k, n) in enumerate(SHAPES):
        a = rng.standard_normal((m, k))
        b = rng.standard_normal((k, n))
        out[f"{i}_cc"] = a @ b
        out[f"{i}_ff"] = np.asfortranarray(a) @ np.asfortranarray(b)
        out[f"{i}_tt"] = np.ascontiguousarray(a.T).T @ np.ascontiguousarray(b.T).T
        out[f"{i}_at"] = a @ np.ascontiguousarray(b.T).T
        out[f"{i}_sl"] = (np.pad(a, ((0, 3), (0, 5)))[:m, :k]) @ b
        out[f"{i}_pw"] = np.linalg.matrix_power(rng.standard_normal((m, m)) / max(m, 1) ** 0.5, 3) if m == k else np.zeros(1)
    maps = open("/proc/self/maps").read()
    out["loaded"] = np.array(["liboxblas" in maps])
    np.savez(sys.argv[1], **out)
    """
)


def run_child(tmp_path, preload):
    script = tmp_path / "child.py"
    script.write_text(f"SHAPES = {SHAPES!r}\n" + CHILD)
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["OXBLAS_VERBOSE"] = "1"
    if preload:
        env["LD_PRELOAD"] = str(LIB)
    else:
        env.pop("LD_PRELOAD", None)
    out = tmp_path / ("oxblas.npz" if preload else "stock.npz")
    proc = subprocess.run([sys.executable, str(script), str(out)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return np.load(out), proc.stderr


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    assert LIB.exists(), f"{LIB} not built"
    tmp = tmp_path_factory.mktemp("preload")
    stock, stock_err = run_child(tmp, preload=False)
    ox, ox_err = run_child(tmp, preload=True)
    return stock, ox, stock_err, ox_err


def test_preloaded_library_is_used(results):
    stock, ox, stock_err, ox_err = results
    assert bool(ox["loaded"][0]) and not bool(stock["loaded"][0])
    calls = re.findall(r"^OXBLAS_VERBOSE dgemm\(.,.,m=(\d+),n=(\d+),k=(\d+),", ox_err, re.M)
    seen = {(frozenset((int(m), int(n))), int(k)) for m, n, k in calls}
    # Every matrix-matrix product reaches dgemm (row-major NumPy arrays arrive as the
    # transposed column-major problem, so m and n may be swapped). NumPy sends m=1 or
    # n=1 products to gemv and k=1 outer products to its own loop.
    for m, k, n in SHAPES:
        if m > 1 and n > 1 and k > 1:
            assert (frozenset((m, n)), k) in seen, (m, k, n)
    assert "OXBLAS_VERBOSE" not in stock_err


@pytest.mark.parametrize("key_suffix", ["cc", "ff", "tt", "at", "sl", "pw"])
def test_matmul_matches_stock(results, key_suffix):
    stock, ox, _, _ = results
    for i, (m, k, n) in enumerate(SHAPES):
        key = f"{i}_{key_suffix}"
        want, got = stock[key], ox[key]
        assert got.shape == want.shape
        scale = np.abs(want).max() if want.size else 1.0
        tol = 8 * max(k, 1) * np.finfo(float).eps * max(scale, 1.0)
        assert np.max(np.abs(got - want), initial=0.0) <= tol, (key, (m, k, n))
