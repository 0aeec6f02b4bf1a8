"""LU-family and SVD benchmark: oxblas vs the pip wheels' OpenBLAS (autodetected), A/B
interleaved, one worker process per measurement, median seconds of several rounds.
Direct calls (dgetrf, dgetrf+dgetri) through ctypes, and the NumPy functions that reach
them (inv = dgesv, det = dgetrf) with stock NumPy vs NumPy under LD_PRELOAD.

usage: python bench/lapack.py [--rounds R]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from demo import run as run_numpy  # noqa: E402
from dgemm import peer_env  # noqa: E402
from peers import find  # noqa: E402

DIRECT = [("dgetrf n=1000", "getrf", 1000), ("dgetrf n=4000", "getrf", 4000), ("getrf+getri n=4000", "getrf_getri", 4000), ("dgesv n=5000, B=I", "gesv_inv", 5000)]
DIRECT += [("dgesdd jobz=A 1000²", "gesdd_A", "1000"), ("dgesdd jobz=A 2000²", "gesdd_A", "2000"), ("dgesdd jobz=N 1000²", "gesdd_N", "1000"), ("dgesdd jobz=N 2000²", "gesdd_N", "2000"), ("dgesdd jobz=S 4000×500", "gesdd_S", "4000x500")]
NUMPY = [("numpy.linalg.inv 5000²", "inv"), ("det(ones 10000²)", "det_ones"), ("det of 10000 × 8²", "det_batched"), ("pinv 3000²", "pinv"), ("matrix_rank 3000²", "matrix_rank")]


def direct(lib, routine, n, threads=2):
    cmd = [sys.executable, str(HERE / "lapack_worker.py"), lib, str(threads), routine, str(n)]
    out = subprocess.run(cmd, env=peer_env(), capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-500:])
    return float(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="", help="rows whose label contains this text")
    args = ap.parse_args()
    print(f"LU family and SVD, seconds, 2 threads, median of {args.rounds} interleaved rounds")
    libs = ["oxblas", "openblas"] + (["mkl"] if find("mkl") else [])
    print(f"{'operation':<26}" + "".join(f"{lib:>10}" for lib in libs) + "".join(f"{'vs ' + l[:4]:>10}" for l in libs[1:]))
    print("-" * (26 + 10 * (2 * len(libs) - 1)))
    for label, routine, n in DIRECT:
        if args.only not in label:
            continue
        t = {lib: [] for lib in libs}
        for _ in range(args.rounds):
            for lib in t:
                t[lib].append(direct(lib, routine, n))
        med = {lib: statistics.median(v) for lib, v in t.items()}
        row = f"{label:<26}" + "".join(f"{med[lib]:>10.4f}" for lib in libs)
        print(row + "".join(f"{med[l] / med['oxblas']:>9.2f}x" for l in libs[1:]), flush=True)
    print(f"\n{'NumPy (stock vs preload)':<26}{'oxblas':>10}{'stock':>10}{'speedup':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for label, name in NUMPY:
            if args.only not in label:
                continue
            t = {"oxblas": [], "stock": []}
            for _ in range(args.rounds):
                for mode in t:
                    t[mode].append(run_numpy(name, mode, 1, tmp)[0])
            ox, ob = statistics.median(t["oxblas"]), statistics.median(t["stock"])
            print(f"{label:<26}{ox:>10.4f}{ob:>10.4f}{ob / ox:>8.2f}x", flush=True)


if __name__ == "__main__":
    main()
