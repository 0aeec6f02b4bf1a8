"""The BLAS levels 1-3 beyond gemm, timed through `scipy.linalg.blas` (the SciPy wheel
calls its OpenBLAS by the `scipy_…` names, which oxblas exports too): stock SciPy (its
OpenBLAS, autodetected) vs SciPy with oxblas preloaded, A/B interleaved, one process
per measurement, median seconds of the rounds. Level 2 rows also give the bandwidth at
which the matrix was read (GB/s) beside the rate of a plain read of it (`a.sum()`
on one thread, the yardstick).

usage: python bench/blas.py [--rounds R] [--only TEXT]
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

# label, size, set-up (names: n, rng, np, bl), statement, repetitions per timing
WORK = [
    ("dgemm", 2000, "a = F(n, n); b = F(n, n)", "bl.dgemm(1.0, a, b)", 3),
    ("dsymm L", 2000, "a = F(n, n); b = F(n, n)", "bl.dsymm(1.0, a, b)", 3),
    ("dsyrk", 2000, "a = F(n, n)", "bl.dsyrk(1.0, a)", 3),
    ("dsyr2k", 2000, "a = F(n, n); b = F(n, n)", "bl.dsyr2k(1.0, a, b)", 3),
    ("dtrmm L", 2000, "a = F(n, n); b = F(n, n)", "bl.dtrmm(1.0, a, b)", 3),
    ("dtrmm R lower T", 2000, "a = F(n, n); b = F(n, n)", "bl.dtrmm(1.0, a, b, side=1, lower=1, trans_a=1)", 3),
    ("dtrsm L", 2000, "a = F(n, n) + n * np.eye(n); b = F(n, n)", "bl.dtrsm(1.0, a, b)", 3),
    ("dtrsm R lower", 2000, "a = F(n, n) + n * np.eye(n); b = F(n, n)", "bl.dtrsm(1.0, a, b, side=1, lower=1)", 3),
    ("zhemm L", 1500, "a = Z(n, n); b = Z(n, n)", "bl.zhemm(1.0, a, b)", 2),
    ("zherk", 1500, "a = Z(n, n)", "bl.zherk(1.0, a)", 2),
    ("zher2k", 1500, "a = Z(n, n); b = Z(n, n)", "bl.zher2k(1.0, a, b)", 2),
    ("ztrmm L", 1500, "a = Z(n, n); b = Z(n, n)", "bl.ztrmm(1.0, a, b)", 2),
    ("ztrsm L", 1500, "a = Z(n, n) + n * np.eye(n); b = Z(n, n)", "bl.ztrsm(1.0, a, b)", 2),
    ("dgemm", 200, "a = F(n, n); b = F(n, n)", "bl.dgemm(1.0, a, b)", 200),
    ("dsymm L", 200, "a = F(n, n); b = F(n, n)", "bl.dsymm(1.0, a, b)", 200),
    ("dtrmm L", 200, "a = F(n, n); b = F(n, n)", "bl.dtrmm(1.0, a, b)", 200),
    ("dsyr2k", 200, "a = F(n, n); b = F(n, n)", "bl.dsyr2k(1.0, a, b)", 200),
    # The shapes reference DSYTRD runs (panel updates of depth 32, products per column).
    ("dsyr2k k=32", 1000, "a = F(n, 32); b = F(n, 32); c = F(n, n)",
     "bl.dsyr2k(-1.0, a, b, 1.0, c, lower=1, overwrite_c=1)", 100),
    ("dsyrk k=64", 1000, "a = F(n, 64); c = F(n, n)", "bl.dsyrk(1.0, a, 1.0, c, lower=1, overwrite_c=1)", 100),
    ("dgemv N", 4000, "a = F(n, n); x = F(n)", "bl.dgemv(1.0, a, x)", 20),
    ("dgemv T", 4000, "a = F(n, n); x = F(n)", "bl.dgemv(1.0, a, x, trans=1)", 20),
    ("dsymv", 4000, "a = F(n, n); x = F(n)", "bl.dsymv(1.0, a, x)", 20),
    ("dsymv", 300, "a = F(n, n); x = F(n)", "bl.dsymv(1.0, a, x, lower=1)", 2000),
    ("dsymv", 1000, "a = F(n, n); x = F(n)", "bl.dsymv(1.0, a, x, lower=1)", 500),
    ("dtrmv", 4000, "a = F(n, n); x = F(n)", "bl.dtrmv(a, x)", 20),
    ("dtrsv", 4000, "a = F(n, n) + n * np.eye(n); x = F(n)", "bl.dtrsv(a, x)", 20),
    ("dger", 4000, "a = F(n, n); x = F(n); y = F(n)", "bl.dger(1.0, x, y, a=a, overwrite_a=1)", 20),
    ("ddot", 10**7, "x = F(n); y = F(n)", "bl.ddot(x, y)", 20),
    ("daxpy", 10**7, "x = F(n); y = F(n)", "bl.daxpy(x, y)", 20),
    ("dnrm2", 10**7, "x = F(n)", "bl.dnrm2(x)", 20),
    ("dasum", 10**7, "x = F(n)", "bl.dasum(x)", 20),
    ("idamax", 10**7, "x = F(n)", "bl.idamax(x)", 20),
    ("dscal", 10**7, "x = F(n)", "bl.dscal(1.0000001, x)", 20),
    ("drot", 10**7, "x = F(n); y = F(n)", "bl.drot(x, y, 0.6, 0.8, overwrite_x=1, overwrite_y=1)", 20),
    ("ddot", 100, "x = F(n); y = F(n)", "bl.ddot(x, y)", 20000),
    ("dnrm2", 100, "x = F(n)", "bl.dnrm2(x)", 20000),
]

CHILD = textwrap.dedent(
    """
    import sys, time, statistics, numpy as np
    import scipy.linalg.blas as bl
    n, setup, stmt, reps = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    rng = np.random.default_rng(0)
    def F(*s):
        return np.asfortranarray(rng.standard_normal(s))
    def Z(*s):
        return np.asfortranarray(rng.standard_normal(s) + 1j * rng.standard_normal(s))
    exec(setup)
    eval(stmt)  # warm up (threads, pages)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps):
            eval(stmt)
        times.append((time.perf_counter() - t0) / reps)
    print(min(times))
    if setup.startswith("a = F(n, n)") and n >= 1000:
        t0 = time.perf_counter(); a.sum(); print(time.perf_counter() - t0)
    """
)


def once(preload, n, setup, stmt, reps):
    env = peer_env()
    env.pop("LD_PRELOAD", None)
    if preload:
        env["LD_PRELOAD"] = str(LIB)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), setup, stmt, str(reps)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-800:])
    return [float(v) for v in out.stdout.split()]


def fmt(seconds):
    return f"{seconds * 1e3:.3f}" if seconds < 1e-3 else f"{seconds * 1e3:.1f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    print(f"scipy.linalg.blas, ms per call, {os.cpu_count()} CPUs, median of {args.rounds} interleaved rounds")
    print(f"{'routine':<18}{'n':>9}{'oxblas':>10}{'OpenBLAS':>10}{'ratio':>8}   level 2: GB/s ox / OB / a.sum()")
    print("-" * 90)
    for label, n, setup, stmt, reps in WORK:
        if args.only and args.only not in f"{label} {n}":
            continue
        t = {True: [], False: []}
        stream = []
        for _ in range(args.rounds):
            for preload in (True, False):
                r = once(preload, n, setup, stmt, reps)
                t[preload].append(r[0])
                if len(r) > 1:
                    stream.append(r[1])
        ox, ob = statistics.median(t[True]), statistics.median(t[False])
        line = f"{label:<18}{n:>9}{fmt(ox):>10}{fmt(ob):>10}{ob / ox:>7.2f}x"
        if stream and n == 4000:
            gb = n * n * 8 / 1e9
            line += f"   {gb / ox:5.1f} / {gb / ob:5.1f} / {gb / statistics.median(stream):5.1f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
