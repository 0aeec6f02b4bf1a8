#!/usr/bin/env python3
"""Debian's SciPy (python3-scipy, linked to the system libblas/liblapack) on oxblas alone
against the same SciPy on Debian's OpenBLAS: the scipy.linalg calls issue 26 names, each
timed in fresh processes, the two libraries interleaved round by round; prints the
median seconds and the ratio (OpenBLAS time / oxblas time: above 1 is oxblas faster).

usage: /usr/bin/python3 bench/system_scipy.py PREFIX [--sizes 1000,2000] [--rounds 3]
       [--only TEXT]     PREFIX: an installed oxblas (make install PREFIX=...)
       .venv/bin/python bench/system_scipy.py PREFIX --preload
                         the same calls on the pip SciPy wheel: stock (its OpenBLAS, its
                         LAPACK) against liboxblas preloaded, which takes every call
"""
import argparse
import os
import statistics
import subprocess
import sys

# name -> (setup, call): both run in the child; `a` is n x n random, `s` symmetric
# positive definite, `b` a right-hand side, `tall` 2n x n.
CASES = {
    "solve (gesv)": "sl.solve(a, b)",
    "solve pos (posv)": "sl.solve(s, b, assume_a='pos')",
    "solve sym (sysv)": "sl.solve(s, b, assume_a='sym')",
    "lu_factor (getrf)": "sl.lu_factor(a)",
    "cho_factor (potrf)": "sl.cho_factor(s)",
    "qr (geqrf+orgqr)": "sl.qr(a)",
    "qr pivoting (geqp3)": "sl.qr(a, pivoting=True)",
    "eigh evd (syevd)": "sl.eigh(s, driver='evd')",
    "eigh evr (syevr)": "sl.eigh(s, driver='evr')",
    "eig (geev)": "sl.eig(a)",
    "svd gesdd": "sl.svd(a, lapack_driver='gesdd')",
    "svd gesvd": "sl.svd(a, lapack_driver='gesvd')",
    "lstsq gelsd": "sl.lstsq(tall, tall[:, 0], lapack_driver='gelsd')",
    "lstsq gelsy": "sl.lstsq(tall, tall[:, 0], lapack_driver='gelsy')",
    "schur (gees)": "sl.schur(a)",
    "expm": "sl.expm(a / n)",
}
# Rows NumPy's own functions also reach (issue 26 asks >= 1.2x there).
NUMPY_ROWS = {"solve (gesv)", "cho_factor (potrf)", "qr (geqrf+orgqr)", "eigh evd (syevd)",
              "eig (geev)", "svd gesdd", "lstsq gelsd", "lu_factor (getrf)"}

CHILD = """
import sys, time, numpy as np, scipy.linalg as sl
n = int(sys.argv[1]); rng = np.random.default_rng(0)
a = rng.standard_normal((n, n)); s = a @ a.T + n * np.eye(n); b = rng.standard_normal(n)
tall = rng.standard_normal((2 * n, n))
f = lambda: {call}
f()
times = []
for _ in range(3 if n <= 1000 else 2):
    t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
print(min(times))
"""


def run(call, n, env):
    out = subprocess.run([sys.executable, "-c", CHILD.format(call=call), str(n)], env=env,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("prefix")
    p.add_argument("--sizes", default="1000,2000")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--only", default="")
    p.add_argument("--preload", action="store_true")
    args = p.parse_args()
    base = {k: v for k, v in os.environ.items()
            if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LD_PRELOAD", "LD_LIBRARY_PATH")}
    lib = os.path.join(os.path.abspath(args.prefix), "lib")
    ox = dict(base, LD_PRELOAD=os.path.join(lib, "liboxblas.so")) if args.preload else dict(base, LD_LIBRARY_PATH=lib)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    what = ("the SciPy wheel, oxblas preloaded vs its own OpenBLAS" if args.preload
            else "Debian SciPy on oxblas alone vs on Debian's OpenBLAS")
    print(f"{what}; {cpu}, {os.cpu_count()} CPUs;"
          f" median of {args.rounds} interleaved rounds (each the best of a few calls)")
    print(f"{'call':24} {'n':>5} {'OpenBLAS s':>11} {'oxblas s':>10} {'ratio':>7}")
    for n in map(int, args.sizes.split(",")):
        for name, call in CASES.items():
            if args.only and args.only not in name:
                continue
            stock, mine = [], []
            for _ in range(args.rounds):
                stock.append(run(call, n, base))
                mine.append(run(call, n, ox))
            s, m = statistics.median(stock), statistics.median(mine)
            flag = " *" if name in NUMPY_ROWS else ""
            print(f"{name:24} {n:5} {s:11.4f} {m:10.4f} {s / m:7.2f}{flag}", flush=True)
    print("ratio = OpenBLAS time / oxblas time; * = a row NumPy's own functions also reach")


if __name__ == "__main__":
    main()
