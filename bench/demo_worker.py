"""Runs one demo workload in this process (stock NumPy, or NumPy with oxblas preloaded:
the parent decides through the environment) and prints its median seconds. Saves a
sample of the result for the parent to compare.

usage: demo_worker.py WORKLOAD RUNS OUT.npy
"""

import statistics
import sys
import time

import numpy as np


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
    raise ValueError(name)


def sample(x):
    x = np.asarray(x)
    if x.ndim == 2:
        return np.ascontiguousarray(x[::7, ::13])
    return np.atleast_1d(x).copy()


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
