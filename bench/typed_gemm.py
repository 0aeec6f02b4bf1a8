"""S/C/Z matrix products (NumPy's `a @ b` for float32, complex64, complex128, with float64
beside them): stock NumPy (the wheel's OpenBLAS, autodetected) vs NumPy with oxblas
preloaded, A/B interleaved, one process per measurement; GFLOP/s, medians.

usage: python bench/typed_gemm.py [--rounds R] [--sizes 1000,2000]
"""

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo import LIB  # noqa: E402
from dgemm import peer_env  # noqa: E402
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
def one():
    t = time.perf_counter(); a @ b; return time.perf_counter() - t
one(); one()
# About a second of calls (at least 5): short products need many for a stable median.
times = sorted(one() for _ in range(max(5, min(200, int(1.0 / one())))))
flops = (8 if dtype.kind == "c" else 2) * n**3
print(flops / times[len(times) // 2] / 1e9)
"""


def gflops(mode, dtype, n):
    env = peer_env()  # users' NumPy autodetects this CPU; no thread overrides
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
