"""Side-by-side dgemm benchmark: oxblas vs the pip NumPy wheel's OpenBLAS (autodetecting
this CPU) and pip MKL, A/B interleaved, one worker process per measurement, medians of
several rounds, ratios against OpenBLAS.

usage: python bench/dgemm.py [--rounds R] [--threads 1,2] [--quick] [--peers openblas,mkl]
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from peers import build_gemm_loop, find  # noqa: E402

SHAPES = [
    # label, m, n, k, transa, transb, layout
    ("8³ (call overhead)", 8, 8, 8, "N", "N", "col"),
    ("64³", 64, 64, 64, "N", "N", "col"),
    ("128³", 128, 128, 128, "N", "N", "col"),
    ("256³", 256, 256, 256, "N", "N", "col"),
    ("512³", 512, 512, 512, "N", "N", "col"),
    ("1024³", 1024, 1024, 1024, "N", "N", "col"),
    ("2048³", 2048, 2048, 2048, "N", "N", "col"),
    ("4096³", 4096, 4096, 4096, "N", "N", "col"),
    ("4096×4096×64", 4096, 4096, 64, "N", "N", "col"),
    ("Aᵀ·B 2048³", 2048, 2048, 2048, "T", "N", "col"),
    ("row-major 2048³", 2048, 2048, 2048, "N", "N", "row"),
]
QUICK = {"8³ (call overhead)", "64³", "256³", "1024³", "2048³", "4096×4096×64", "Aᵀ·B 2048³"}


def peer_env():
    env = dict(os.environ)
    # Users' NumPy autodetects this CPU; the machine's overrides force AVX2 kernels.
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    for var in ("OXBLAS_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "LD_PRELOAD", "OXBLAS_VERBOSE"):
        env.pop(var, None)
    return env


def measure(lib, threads, shape):
    _, m, n, k, ta, tb, layout = shape
    cmd = [sys.executable, str(HERE / "gemm_worker.py"), lib, str(threads), str(m), str(n), str(k), ta, tb, layout]
    out = subprocess.run(cmd, env=peer_env(), capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"{lib} failed: {out.stderr.strip()[-400:]}")
    return float(out.stdout.strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--quick", action="store_true", help="a subset of shapes")
    ap.add_argument("--peers", default="openblas,mkl")
    args = ap.parse_args()
    libs = ["oxblas"] + [p for p in args.peers.split(",") if p and find(p)]
    build_gemm_loop()
    shapes = [s for s in SHAPES if not args.quick or s[0] in QUICK]
    threads = [int(t) for t in args.threads.split(",")]
    print(f"dgemm GFLOP/s, median of {args.rounds} interleaved rounds; libraries: {', '.join(libs)}")
    print("openblas = pip NumPy wheel's OpenBLAS, autodetected kernels (OPENBLAS_CORETYPE unset)\n")
    head = f"{'shape':<22}{'thr':>4}" + "".join(f"{lib:>10}" for lib in libs)
    head += "".join(f"{'ox/' + p[:4]:>10}" for p in libs[1:])
    print(head)
    print("-" * len(head))
    for shape in shapes:
        for t in threads:
            samples = {lib: [] for lib in libs}
            for _ in range(args.rounds):
                for lib in libs:  # A/B interleaved within each round
                    samples[lib].append(measure(lib, t, shape))
            med = {lib: statistics.median(v) for lib, v in samples.items()}
            row = f"{shape[0]:<22}{t:>4}" + "".join(f"{med[lib]:>10.1f}" for lib in libs)
            row += "".join(f"{med['oxblas'] / med[p]:>9.2f}x" for p in libs[1:])
            print(row, flush=True)


if __name__ == "__main__":
    main()
