"""S/C/Z matrix products (NumPy's `a @ b` for float32, complex64, complex128, with float64
beside them): stock NumPy (the wheel's OpenBLAS, autodetected) vs NumPy with oxblas
preloaded, A/B interleaved, one process per measurement; GFLOP/s, medians.

usage: python bench/typed_gemm.py [--rounds R] [--sizes 1000,2000]
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target/release/liboxblas.so"))
WORKER = """
import sys, time, numpy as np
dtype, n = np.dtype(sys.argv[1]), int(sys.argv[2])
rng = np.random.default_rng(0)
def make():
    x = rng.standard_normal((n, n))
    if dtype.kind == "c":
        x = x + 1j * rng.standard_normal((n, n))
    return x.astype(dtype)
a, b = make(), make()
a @ b
best = []
for _ in range(5):
    t = time.perf_counter(); a @ b; best.append(time.perf_counter() - t)
flops = (8 if dtype.kind == "c" else 2) * n**3
print(flops / sorted(best)[len(best) // 2] / 1e9)
"""


def gflops(mode, dtype, n):
    env = dict(os.environ)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(var, None)  # users' NumPy autodetects this CPU
    if mode == "oxblas":
        env["LD_PRELOAD"] = str(LIB)
    out = subprocess.run([sys.executable, "-c", WORKER, dtype, str(n)], env=env, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-1000:])
    return float(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--sizes", default="1000,2000")
    args = ap.parse_args()
    print(f"a @ b GFLOP/s, 2 threads, median of {args.rounds} interleaved rounds")
    print(f"{'dtype':<12}{'n':>6}{'oxblas':>10}{'OpenBLAS':>10}{'ratio':>8}")
    for n in map(int, args.sizes.split(",")):
        for dtype in ("float32", "complex64", "complex128", "float64"):
            t = {"oxblas": [], "stock": []}
            for _ in range(args.rounds):
                for mode in t:
                    t[mode].append(gflops(mode, dtype, n))
            ox, ob = statistics.median(t["oxblas"]), statistics.median(t["stock"])
            print(f"{dtype:<12}{n:>6}{ox:>10.1f}{ob:>10.1f}{ox / ob:>7.2f}x", flush=True)


if __name__ == "__main__":
    main()
