"""Dask on oxblas: a script run by the launcher (`python -m oxblas run`) starts a
two-worker LocalCluster whose worker processes inherit the preload, so their NumPy runs
on oxblas; dask.array's product, tsqr, SVD and solve are checked against stock NumPy
in this (un-preloaded) process."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from children import LIB

import dask  # noqa: F401  (scripts/setup-venv.sh installs dask and distributed)

SCRIPT = r'''
import json, os, sys
import numpy as np
import dask
import dask.array as da
from dask.distributed import Client, LocalCluster


def worker_blas():
    """What a worker process runs on: the BLAS libraries mapped, its preload, and
    oxblas's thread count (Dask sets OPENBLAS_NUM_THREADS=1 in its workers)."""
    import ctypes
    maps = open("/proc/self/maps").read().splitlines()
    libs = sorted({l.split()[-1] for l in maps if "blas" in l.rsplit("/", 1)[-1]})
    own = ctypes.CDLL(None)
    threads = own.oxblas_get_num_threads() if hasattr(own, "oxblas_get_num_threads") else -1
    return {"pid": os.getpid(), "libs": libs, "threads": threads,
            "preload": os.environ.get("LD_PRELOAD", "")}


if __name__ == "__main__":
    rng = np.random.default_rng(7)
    tall = rng.standard_normal((6000, 200))
    right = rng.standard_normal((200, 150))
    square = rng.standard_normal((800, 800))
    rhs = rng.standard_normal((800, 3))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        workers = client.run(worker_blas)
        t = da.from_array(tall, chunks=(1500, 200))
        product = (t @ right).compute()
        q, r = dask.compute(*da.linalg.qr(t))
        u, s, vt = dask.compute(*da.linalg.svd(t))
        x = da.linalg.solve(da.from_array(square, chunks=(400, 400)), da.from_array(rhs, chunks=(400, 3))).compute()
    np.savez(sys.argv[1], tall=tall, right=right, square=square, rhs=rhs, product=product,
             q=q, r=r, u=u, s=s, vt=vt, x=x)
    print(json.dumps(list(workers.values())))
'''


def test_local_cluster_workers_run_on_oxblas(tmp_path):
    script = tmp_path / "dask_script.py"
    script.write_text(SCRIPT)
    out = tmp_path / "dask.npz"
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "OXBLAS_NUM_THREADS")}
    env["OXBLAS_LIB"] = str(LIB)
    proc = subprocess.run([sys.executable, "-m", "oxblas", "run", str(script), str(out)],
                          env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-4000:]
    workers = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(workers) == 2 and len({w["pid"] for w in workers}) == 2
    for w in workers:
        assert str(LIB) in w["preload"], w
        assert any(l.endswith("liboxblas.so") for l in w["libs"]), w
        # Dask gives each worker one BLAS thread (its nanny's pre-spawn environment):
        # oxblas honours it, so two workers do not oversubscribe two cores.
        assert w["threads"] == 1, w

    got = np.load(out)
    tall, square, rhs = got["tall"], got["square"], got["rhs"]
    n = tall.shape[1]
    np.testing.assert_allclose(got["product"], tall @ got["right"], rtol=1e-12, atol=1e-11)
    # tsqr: Q orthonormal, Q R = A, R equal to NumPy's up to the signs of its rows.
    q, r = got["q"], got["r"]
    np.testing.assert_allclose(q.T @ q, np.eye(n), atol=1e-13)
    np.testing.assert_allclose(q @ r, tall, atol=1e-12)
    r_stock = np.linalg.qr(tall, mode="r")
    signs = np.sign(np.diag(r)) * np.sign(np.diag(r_stock))
    np.testing.assert_allclose(r * signs[:, None], r_stock, rtol=1e-10, atol=1e-11)
    # SVD: singular values as NumPy's, and U S Vᵀ = A.
    np.testing.assert_allclose(got["s"], np.linalg.svd(tall, compute_uv=False), rtol=1e-12)
    np.testing.assert_allclose((got["u"] * got["s"]) @ got["vt"], tall, atol=1e-12)
    # solve: as NumPy's, and a small residual.
    np.testing.assert_allclose(got["x"], np.linalg.solve(square, rhs), rtol=1e-9, atol=1e-11)
    assert np.abs(square @ got["x"] - rhs).max() < 1e-10
