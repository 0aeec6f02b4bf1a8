"""Vector math benchmark: oxblas vdExp / vdLn / vdSqrt / vdSqr (2 threads) beside NumPy
on one thread, NumPy split over 2 threads by a ThreadPool (the hand-made recipe), pip
MKL's VM functions (2 threads, default HA mode) and a plain copy (1 and 2 threads).
Nanoseconds per element, medians of interleaved rounds.

usage: python bench/vml.py [--rounds R] [--sizes 1e4,1e6,1e8]
"""

import argparse
import ctypes
import os
import statistics
import sys
import time
from multiprocessing.pool import ThreadPool
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import find  # noqa: E402

FUNCS = [("exp", "Exp", np.exp), ("ln", "Ln", np.log), ("sqrt", "Sqrt", np.sqrt), ("sqr", "Sqr", np.square)]


def vm(lib, name, int_type):
    f = getattr(lib, "vd" + name)
    f.argtypes = [int_type, ctypes.c_void_p, ctypes.c_void_p]
    f.restype = None
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sizes", default="1e4,1e6,1e8")
    args = ap.parse_args()
    ox = ctypes.CDLL(find("oxblas"), mode=ctypes.RTLD_LOCAL)
    ox.oxblas_set_num_threads(2)
    # MKL's OpenMP threads spin for 200 ms after each call by default, stealing the
    # second core from whatever runs next in this interleaved loop.
    os.environ.setdefault("KMP_BLOCKTIME", "0")
    mkl_path = find("mkl")
    mkl = ctypes.CDLL(mkl_path, mode=ctypes.RTLD_LOCAL) if mkl_path else None
    if mkl:
        mkl.MKL_Set_Num_Threads(2)
    pool = ThreadPool(2)

    def split(fn, x, y):
        h = x.size // 2
        pool.starmap(lambda a, b: fn(a, out=b), [(x[:h], y[:h]), (x[h:], y[h:])])

    cols = ["oxblas 2T", "NumPy 1T", "NumPy 2T split", "MKL 2T", "copy 1T", "copy 2T"]
    print(f"ns per element, median of {args.rounds} interleaved rounds; {time.strftime('%Y-%m-%d')}")
    print(f"{'function':<12}{'n':>6}" + "".join(f"{c:>16}" for c in cols) + f"{'vs NumPy 1T':>13}{'vs MKL':>9}")
    for size in (int(float(s)) for s in args.sizes.split(",")):
        rng = np.random.default_rng(0)
        x = rng.uniform(0.01, 20.0, size)
        y = np.ones(size)  # touched: no page faults in the timings
        for label, name, npf in FUNCS:
            oxf = vm(ox, name, ctypes.c_int64 if size >= 2**31 else ctypes.c_int)
            mkf = vm(mkl, name, ctypes.c_int) if mkl and size < 2**31 else None
            # The addresses once: `ndarray.ctypes` builds an object per access (~1 µs,
            # a fifth of a 10⁴-element call), which would be timed as the library's.
            xp, yp = x.ctypes.data, y.ctypes.data
            runs = {
                "oxblas 2T": lambda: oxf(size, xp, yp),
                "NumPy 1T": lambda: npf(x, out=y),
                "NumPy 2T split": lambda: split(npf, x, y),
                "MKL 2T": (lambda: mkf(size, xp, yp)) if mkf else None,
                "copy 1T": lambda: np.copyto(y, x),
                "copy 2T": lambda: split(lambda a, out: np.copyto(out, a), x, y),
            }
            times = {c: [] for c in cols}
            # Enough calls per timing (~20 at 10⁶) that a worker waking from sleep or
            # caches refilled after the previous column do not set the figure.
            reps = max(1, int(2e7 // size))
            for _ in range(args.rounds):
                for c in cols:
                    if runs[c] is None:
                        continue
                    runs[c]()
                    t0 = time.perf_counter()
                    for _ in range(reps):
                        runs[c]()
                    times[c].append((time.perf_counter() - t0) / reps / size * 1e9)
            med = {c: statistics.median(v) if v else float("nan") for c, v in times.items()}
            row = f"{label:<12}{size:>6.0e}" + "".join(f"{med[c]:>16.3f}" for c in cols)
            row += f"{med['NumPy 1T'] / med['oxblas 2T']:>12.2f}x{med['MKL 2T'] / med['oxblas 2T']:>8.2f}x"
            print(row, flush=True)


if __name__ == "__main__":
    main()
