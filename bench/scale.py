"""`make scale`: oxblas as the node library under existing distributed engines, beside the
stock library each engine would otherwise run on.

- ScaLAPACK (Debian's libscalapack-openmpi) `pdgesv` on 2 ranks x 1 thread, a 1x2 grid,
  nb = 64 (tests/scalapack/pdgesv.c): oxblas alone (an installed prefix's libblas.so.3 /
  liblapack.so.3 on the ranks' LD_LIBRARY_PATH) against Debian's OpenBLAS (its
  openblas-pthread libraries the same way); reference BLAS/LAPACK once, for scale.
- Dask: `da.linalg.qr` (tsqr) of a 200000 x 500 array in 8 row blocks on a two-worker
  LocalCluster (one thread each, Dask's default BLAS setting in workers), the whole run
  under the launcher (`python -m oxblas run`, the workers inherit the preload) against
  the same script on stock NumPy (the wheel's OpenBLAS).

Runs alternate between the libraries (A/B interleaved) and each figure is a median.
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for every run (they slow OpenBLAS).

    bench/scale.py --prefix build/prefix [--n 4000] [--rounds 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MULTIARCH = subprocess.run(["gcc", "-print-multiarch"], capture_output=True, text=True).stdout.strip() or "x86_64-linux-gnu"
LIBDIR = Path("/usr/lib") / MULTIARCH
DEBIAN_OPENBLAS = LIBDIR / "openblas-pthread"
REFERENCE = f"{LIBDIR / 'blas'}:{LIBDIR / 'lapack'}"

TSQR = r'''
import sys, time
import numpy as np
import dask, dask.array as da
from dask.distributed import Client, LocalCluster, wait

if __name__ == "__main__":
    rows, cols, blocks, reps = (int(v) for v in sys.argv[1:5])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        a = da.random.RandomState(1).standard_normal((rows, cols), chunks=(rows // blocks, cols)).persist()
        wait(a)
        times = []
        for _ in range(reps + 1):  # the first is a warm-up
            t = time.perf_counter()
            q, r = da.linalg.qr(a)
            # Q whole on the workers, only its column sums and R sent back: the time is
            # the factorization's, not the transfer of 800 MB to this process.
            dask.compute(q.sum(axis=0), r)
            times.append(time.perf_counter() - t)
        print(" ".join(f"{t:.4f}" for t in times[1:]))
'''


def cpu_name():
    return next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LD_PRELOAD", "LD_LIBRARY_PATH")}
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    env.update(extra)
    return env


def pdgesv(exe, libs, n, nb, reps, threads_var):
    """Median seconds and GFLOP/s of `reps` solves on 2 ranks with `libs` underneath."""
    cmd = ["mpirun", "-np", "2", "-x", f"LD_LIBRARY_PATH={libs}", "-x", f"{threads_var}=1",
           str(exe), str(n), str(nb), str(reps)]
    out = subprocess.run(cmd, env=clean_env(), capture_output=True, text=True, timeout=1800)
    line = next((l for l in out.stdout.splitlines() if l.startswith("pdgesv ")), None)
    if out.returncode != 0 or line is None or "PASSED" not in line:
        sys.exit(f"pdgesv failed with {libs}:\n{out.stdout}{out.stderr[-2000:]}")
    fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
    return float(fields["median_s"]), float(fields["gflops"])


def tsqr(script, preload, rows, cols, blocks, reps):
    cmd = [sys.executable, *(["-m", "oxblas", "run"] if preload else []), str(script),
           str(rows), str(cols), str(blocks), str(reps)]
    env = clean_env(OXBLAS_LIB=str(ROOT / "target/release/liboxblas.so"))
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        sys.exit(f"tsqr failed ({'oxblas' if preload else 'stock'}):\n{out.stderr[-3000:]}")
    return [float(t) for t in out.stdout.split()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prefix", default=str(ROOT / "build/prefix"))
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--nb", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--cols", type=int, default=500)
    args = ap.parse_args()
    prefix_lib = Path(args.prefix).resolve() / "lib"
    for need in (prefix_lib / "libblas.so.3", DEBIAN_OPENBLAS / "libblas.so.3"):
        if not need.exists():
            sys.exit(f"missing {need} (make install PREFIX=…; scripts/install-deps.sh installs Debian's OpenBLAS)")

    work = Path(tempfile.mkdtemp(prefix="oxblas-scale."))
    exe = work / "pdgesv"
    subprocess.run(["mpicc", "-O2", "-o", str(exe), str(ROOT / "tests/scalapack/pdgesv.c"),
                    str(LIBDIR / "libscalapack-openmpi.so.2.2"), "-lm", "-ldl"], check=True)
    script = work / "tsqr.py"
    script.write_text(TSQR)

    print(f"CPU: {cpu_name()}, {os.cpu_count()} CPUs; {args.rounds} rounds, A/B interleaved, medians\n")
    flops = 2 / 3 * args.n**3
    ox_s, ob_s = [], []
    for _ in range(args.rounds):
        ox_s.append(pdgesv(exe, prefix_lib, args.n, args.nb, 3, "OXBLAS_NUM_THREADS")[0])
        ob_s.append(pdgesv(exe, DEBIAN_OPENBLAS, args.n, args.nb, 3, "OPENBLAS_NUM_THREADS")[0])
    ref_s = pdgesv(exe, REFERENCE, args.n, args.nb, 1, "OPENBLAS_NUM_THREADS")[0]
    ox, ob = statistics.median(ox_s), statistics.median(ob_s)
    print(f"ScaLAPACK pdgesv n={args.n} nb={args.nb}, 2 ranks x 1 thread (1x2 grid)")
    print(f"  {'library underneath':<28}{'seconds':>9}{'GFLOP/s':>9}{'oxblas is':>11}")
    for name, t in (("oxblas (alone)", ox), ("Debian OpenBLAS 0.3.21", ob), ("reference BLAS/LAPACK", ref_s)):
        print(f"  {name:<28}{t:>9.3f}{flops / t * 1e-9:>9.1f}{t / ox:>10.2f}x")

    ox_q, st_q = [], []
    for _ in range(args.rounds):
        ox_q += tsqr(script, True, args.rows, args.cols, 8, 3)
        st_q += tsqr(script, False, args.rows, args.cols, 8, 3)
    ox, st = statistics.median(ox_q), statistics.median(st_q)
    print(f"\nDask tsqr (da.linalg.qr) {args.rows}x{args.cols}, 8 blocks, LocalCluster 2 workers x 1 thread")
    print(f"  {'workers run on':<28}{'seconds':>9}{'oxblas is':>11}")
    for name, t in (("oxblas (python -m oxblas run)", ox), ("stock NumPy (OpenBLAS)", st)):
        print(f"  {name:<28}{t:>9.3f}{t / ox:>10.2f}x")


if __name__ == "__main__":
    main()
