"""The LAPACK routines new in the wholesale replacement (issue 8), timed through NumPy:
stock NumPy (the wheel's OpenBLAS, autodetected) vs NumPy with oxblas preloaded, A/B
interleaved, one process per measurement, median seconds of several rounds.

usage: python bench/typed_lapack.py [--rounds R] [--only TEXT]
"""

import argparse
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from dgemm import peer_env  # noqa: E402

LIB = HERE.parent / "target" / "release" / "liboxblas.so"

# label, dtype, n (or m×n), statement timed (a, h = Hermitian positive definite, b)
WORK = [
    ("cholesky (potrf)", "float64", "3000", "np.linalg.cholesky(h)"),
    ("cholesky (potrf)", "complex128", "1500", "np.linalg.cholesky(h)"),
    ("qr (geqrf+orgqr)", "float64", "2000", "np.linalg.qr(a)"),
    ("qr (geqrf+ungqr)", "complex128", "1000", "np.linalg.qr(a)"),
    ("eigh (syevd)", "float64", "1500", "np.linalg.eigh(h)"),
    ("eigh (heevd)", "complex128", "800", "np.linalg.eigh(h)"),
    ("eig (geev)", "float64", "800", "np.linalg.eig(a)"),
    ("eig (geev)", "complex128", "500", "np.linalg.eig(a)"),
    ("lstsq (gelsd)", "float64", "3000x1000", "np.linalg.lstsq(a, b, rcond=None)"),
    ("lstsq (gelsd)", "complex128", "1500x500", "np.linalg.lstsq(a, b, rcond=None)"),
    ("svd (gesdd)", "complex128", "1000", "np.linalg.svd(a)"),
    ("solve (gesv)", "complex128", "2000", "np.linalg.solve(a, b)"),
]

CHILD = textwrap.dedent(
    """
    import sys, time, numpy as np
    dt, shape, stmt = sys.argv[1], sys.argv[2], sys.argv[3]
    m, n = (int(x) for x in shape.split("x")) if "x" in shape else (int(shape), int(shape))
    rng = np.random.default_rng(0)
    def rand(*s):
        x = rng.standard_normal(s)
        return (x + 1j * rng.standard_normal(s)).astype(dt) if np.dtype(dt).kind == "c" else x.astype(dt)
    a = rand(m, n)
    b = rand(m, 4)
    h = a[:n, :n] @ a[:n, :n].conj().T + n * np.eye(n, dtype=dt) if m >= n else None
    eval(stmt)  # warm up (threads, pages)
    t0 = time.perf_counter()
    eval(stmt)
    print(time.perf_counter() - t0)
    """
)


def once(preload, dt, shape, stmt):
    env = peer_env()
    env.pop("LD_PRELOAD", None)
    if preload:
        env["LD_PRELOAD"] = str(LIB)
    out = subprocess.run([sys.executable, "-c", CHILD, dt, shape, stmt], env=env, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-800:])
    return float(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    print(f"NumPy linalg in double and complex, seconds, {os.cpu_count()} CPUs, median of {args.rounds} interleaved rounds")
    print(f"{'operation':<20}{'dtype':>12}{'size':>11}{'oxblas':>10}{'OpenBLAS':>10}{'ratio':>9}")
    print("-" * 72)
    for label, dt, shape, stmt in WORK:
        if args.only not in label + dt:
            continue
        t = {True: [], False: []}
        for _ in range(args.rounds):
            for preload in (True, False):
                t[preload].append(once(preload, dt, shape, stmt))
        ox, ob = statistics.median(t[True]), statistics.median(t[False])
        print(f"{label:<20}{dt:>12}{shape:>11}{ox:>10.4f}{ob:>10.4f}{ob / ox:>8.2f}x", flush=True)
    print("ratio = OpenBLAS time / oxblas time (above 1: oxblas faster)")


if __name__ == "__main__":
    main()
