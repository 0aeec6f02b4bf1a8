"""Runs one demo workload in this process (stock NumPy, or NumPy with oxblas preloaded:
the parent decides through the environment) and prints its median seconds. Saves a
sample of the result for the parent to compare.

usage: demo_worker.py WORKLOAD RUNS OUT.npy
"""

import os
import statistics
import sys
import time
from multiprocessing.pool import ThreadPool

import numpy as np

# Elementwise workloads run one of three ways (the parent says which): NumPy's own
# ufunc on one thread, the hand-made recipe (NumPy split over a ThreadPool), or the
# oxblas package's VM functions.
VARIANT = os.environ.get("OXBLAS_DEMO_VARIANT", "numpy")
ELEMENTWISE = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "square": np.square}


def vector_length():
    """10⁸–10⁹ doubles, sized so input and output take at most a third of the machine's
    memory (the same length in every process of a run)."""
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return int(max(1e8, min(1e9, total / 3 / 16)) // 1_000_000 * 1_000_000)


def elementwise(fn_name, x):
    out = np.empty_like(x)
    if VARIANT == "oxblas":
        import oxblas

        fn = getattr(oxblas, fn_name)
        return lambda: fn(x, out=out)
    fn = ELEMENTWISE[fn_name]
    if VARIANT == "threadpool":
        threads = os.cpu_count() or 1
        pool = ThreadPool(threads)
        flat, flat_out = x.reshape(-1), out.reshape(-1)
        bounds = np.linspace(0, flat.size, threads + 1).astype(int)
        chunks = [(flat[a:b], flat_out[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        return lambda: (pool.starmap(lambda a, o: fn(a, out=o), chunks), out)[1]
    return lambda: fn(x, out=out)


def make(name):
    """Returns (operation, description). Inputs are built before timing."""
    rng = np.random.default_rng(42)
    if name.startswith("matmul"):
        n = int(name.split("_")[1])
        a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
        out = np.empty((n, n))
        return lambda: np.matmul(a, b, out=out)
    if name == "det_ones":
        a = np.ones((10000, 10000))
        return lambda: np.linalg.det(a)
    if name == "inv":
        a = rng.standard_normal((5000, 5000))
        return lambda: np.linalg.inv(a)
    if name == "det_batched":
        a = rng.standard_normal((10000, 8, 8))
        return lambda: np.linalg.det(a)
    if name == "matrix_power":
        n = 4000
        a = rng.standard_normal((n, n)) / np.sqrt(n)
        return lambda: np.linalg.matrix_power(a, 10)
    if name == "pinv":
        a = rng.standard_normal((3000, 3000))
        return lambda: np.linalg.pinv(a)
    if name == "matrix_rank":
        a = rng.standard_normal((3000, 3000))
        return lambda: np.array(np.linalg.matrix_rank(a))
    if name == "svd":
        a = rng.standard_normal((3000, 3000))
        # Singular vectors are unique only up to sign: keep the values.
        return lambda: np.linalg.svd(a)[1]
    fn_name, _, shape = name.partition("_")
    if fn_name in ELEMENTWISE and shape in ("matrix", "vector"):
        n = vector_length() if shape == "vector" else None
        # Positive inputs spread over each function's useful range.
        x = np.linspace(0.001, 20.0, n) if n else np.linspace(0.001, 20.0, 20000 * 20000).reshape(20000, 20000)
        return elementwise(fn_name, x)
    raise ValueError(name)


def sample(x):
    x = np.asarray(x)
    if x.ndim == 2:
        return np.ascontiguousarray(x[::7, ::13])
    x = np.atleast_1d(x)
    # Long vectors: every 997th element (enough to compare, small enough to save).
    return x[::997].copy() if x.size > 10_000_000 else x.copy()


def main():
    name, runs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    op = make(name)
    result = op()  # warm-up: first touch of fresh memory, thread pool start
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = op()
        times.append(time.perf_counter() - t0)
    np.save(out, sample(result))
    print(f"{statistics.median(times):.6f}")


if __name__ == "__main__":
    main()
