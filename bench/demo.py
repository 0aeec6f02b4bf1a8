"""The main job: the NumPy workloads that motivate oxblas, run with stock NumPy (the pip
wheel's OpenBLAS as users run it, autodetecting this CPU) and with oxblas preloaded, A/B
interleaved, then one table: seconds, speedup, largest relative difference. Elementwise
workloads compare NumPy on one thread, the hand-made ThreadPool split and the oxblas
package.

usage: python bench/demo.py [--rounds R] [--runs N] [--only NAME,...]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target/release/liboxblas.so"))

WORKLOADS = [
    ("matmul_2000", "a @ b, 2000²"),
    ("matmul_4000", "a @ b, 4000²"),
    ("matmul_8000", "a @ b, 8000²"),
    ("matrix_power", "matrix_power(4000², 10)"),
    ("det_ones", "det(ones 10000²)"),
    ("inv", "inv 5000²"),
    ("det_batched", "det of 10000 × 8²"),
    ("pinv", "pinv 3000²"),
    ("matrix_rank", "matrix_rank 3000²"),
    ("exp_matrix", "exp, 20000² matrix"),
    ("log_matrix", "log, 20000² matrix"),
    ("sqrt_matrix", "sqrt, 20000² matrix"),
    ("square_matrix", "square, 20000² matrix"),
    ("exp_vector", "exp, 10⁸–10⁹ vector"),
    ("log_vector", "log, 10⁸–10⁹ vector"),
]

# Elementwise workloads: NumPy on one thread (stock), the ThreadPool recipe, and the
# oxblas package (LD_PRELOAD does not change NumPy's own ufuncs).
def is_elementwise(name):
    return name.endswith(("_matrix", "_vector"))


def env_for(mode, name=""):
    env = dict(os.environ)
    if is_elementwise(name):
        env["OXBLAS_DEMO_VARIANT"] = {"stock": "numpy", "threadpool": "threadpool", "oxblas": "oxblas"}[mode]
    # Stock NumPy as users run it: this machine's overrides force OpenBLAS's AVX2 kernels.
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env.pop("OXBLAS_VERBOSE", None)
    env.pop("LD_PRELOAD", None)
    if mode == "oxblas":
        env["LD_PRELOAD"] = str(LIB)
    return env


def run(name, mode, runs, tmp):
    out = Path(tmp) / f"{name}-{mode}.npy"
    cmd = [sys.executable, str(ROOT / "bench" / "demo_worker.py"), name, str(runs), str(out)]
    proc = subprocess.run(cmd, env=env_for(mode, name), capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} under {mode} failed:\n{proc.stderr[-2000:]}")
    return float(proc.stdout.strip()), np.load(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2, help="interleaved stock/oxblas rounds")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per process (after a warm-up)")
    ap.add_argument("--only", default="", help="comma-separated workload names")
    args = ap.parse_args()
    if not LIB.exists():
        sys.exit(f"{LIB} is missing: run `make` first")
    chosen = [w for w in WORKLOADS if not args.only or w[0] in args.only.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, label) in enumerate(chosen, 1):
            modes = ("stock", "threadpool", "oxblas") if is_elementwise(name) else ("stock", "oxblas")
            times = {m: [] for m in modes}
            results = {}
            for r in range(args.rounds):
                for mode in modes:
                    print(f"[{i}/{len(chosen)}] {label}: round {r + 1}/{args.rounds}, {mode} ...", end="", flush=True)
                    secs, results[mode] = run(name, mode, args.runs, tmp)
                    times[mode].append(secs)
                    print(f" {secs:.3f} s", flush=True)
            stock, ox = statistics.median(times["stock"]), statistics.median(times["oxblas"])
            pool = statistics.median(times["threadpool"]) if "threadpool" in times else None
            ref = results["stock"]
            # Elementwise: relative to each element; matrices: relative to the largest.
            if is_elementwise(name):
                diff = float(np.max(np.abs(results["oxblas"] - ref) / np.maximum(np.abs(ref), 1e-300)))
            else:
                diff = float(np.max(np.abs(results["oxblas"] - ref)) / max(np.max(np.abs(ref)), 1e-300))
            rows.append((label, stock, pool, ox, stock / ox, diff))
    print()
    print(f"{'workload':<28}{'stock NumPy':>13}{'ThreadPool':>12}{'oxblas':>11}{'speedup':>10}{'max rel diff':>15}")
    print("-" * 89)
    for label, stock, pool, ox, speedup, diff in rows:
        pool_s = f"{pool:>10.3f} s" if pool is not None else f"{'':>12}"
        print(f"{label:<28}{stock:>11.3f} s{pool_s}{ox:>9.3f} s{speedup:>9.2f}x{diff:>15.1e}")
    print(f"\nmedian of {args.rounds} interleaved rounds x {args.runs} runs; "
          f"{os.cpu_count()} CPUs; stock = pip NumPy {np.__version__} (OpenBLAS, autodetected)")


if __name__ == "__main__":
    main()
