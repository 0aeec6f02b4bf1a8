"""One benchmark measurement in its own process: prints the median GFLOP/s of repeated
dgemm calls of one library at one shape and thread count.

usage: gemm_worker.py LIB THREADS M N K TRANSA TRANSB LAYOUT
"""

import statistics
import sys

import numpy as np

from peers import Gemm

ROW, COL, NOTRANS, TRANS = 101, 102, 111, 112


def main():
    lib, threads, m, n, k = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:6])
    ta, tb, layout = sys.argv[6], sys.argv[7], sys.argv[8]
    gemm = Gemm(lib, threads)
    rng = np.random.default_rng(0)
    order = "C" if layout == "row" else "F"
    a_shape = (k, m) if ta == "T" else (m, k)
    b_shape = (n, k) if tb == "T" else (k, n)
    a = np.asarray(rng.standard_normal(a_shape), order=order)
    b = np.asarray(rng.standard_normal(b_shape), order=order)
    c = np.zeros((m, n), order=order)
    lead = (lambda x: x.shape[1]) if layout == "row" else (lambda x: x.shape[0])
    args = (ROW if layout == "row" else COL, TRANS if ta == "T" else NOTRANS,
            TRANS if tb == "T" else NOTRANS, m, n, k, 1.0, a, lead(a), b, lead(b), 0.0, c, lead(c))
    flops = 2.0 * m * n * k
    # Batches of ~5 ms of calls (at least one) timed in C, after a warm-up; the median
    # of the batches' per-call times over ~0.6 s.
    gemm(*args)
    one = max(gemm.seconds_per_call(1, *args), 1e-8)
    reps = max(1, int(0.005 / one))
    batches = int(min(max(3, 0.6 / (one * reps)), 200))
    times = [gemm.seconds_per_call(reps, *args) for _ in range(batches)]
    print(f"{flops / statistics.median(times) * 1e-9:.2f}")

if __name__ == "__main__":
    main()
