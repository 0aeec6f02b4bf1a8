"""One configuration of the latency benchmark, kept alive for the whole run: NumPy with
oxblas preloaded (2 or 1 threads) or stock NumPy (the wheel's OpenBLAS), as the parent's
environment says. Reads requests `OP N CALLS` on stdin, times CALLS calls one by one
after a short warm-up, and answers with one JSON line: the nanoseconds of each call.

Operations: matmul (a @ b), det, inv, solve (a, vector), cholesky, svd, eigh,
eigvalsh, matvec (a @ v), exp (N elements: oxblas.exp under oxblas, NumPy's exp otherwise).
"""

import json
import os
import sys
import time

import numpy as np

WARMUP = 5
rng = np.random.default_rng(0)


def case(op, n):
    """A callable doing one call of `op` at size `n`, on operands built once."""
    if op == "exp":
        x = rng.uniform(-5, 5, n)
        out = np.empty_like(x)
        if os.environ.get("LD_PRELOAD"):
            import oxblas

            return lambda: oxblas.exp(x, out=out)
        return lambda: np.exp(x, out=out)
    a = rng.standard_normal((n, n))
    b = rng.standard_normal((n, n))
    v = rng.standard_normal(n)
    spd = a @ a.T + n * np.eye(n)
    la = np.linalg
    return {
        "matmul": lambda: a @ b,
        "det": lambda: la.det(a),
        "inv": lambda: la.inv(a),
        "solve": lambda: la.solve(a, v),
        "cholesky": lambda: la.cholesky(spd),
        "svd": lambda: la.svd(a),
        "eigh": lambda: la.eigh(spd),
        "eigvalsh": lambda: la.eigvalsh(spd),
        "matvec": lambda: a @ v,
    }[op]


def main():
    # The wheel's OpenBLAS starts its threads when NumPy is imported (also under
    # LD_PRELOAD, where it is never called) and they spin for ~0.13 s: let them settle.
    time.sleep(0.5)
    np.seterr(all="ignore")  # det of a random 400² overflows; only the time matters
    cache = {}
    clock = time.perf_counter_ns
    for line in sys.stdin:
        op, n, calls = line.split()
        n, calls = int(n), int(calls)
        f = cache.get((op, n)) or cache.setdefault((op, n), case(op, n))
        # Warm up for a few calls and at least 2 ms: a pool asleep since the last turn
        # takes ~0.1 ms to wake, and the turn measures calls in a loop, not wake-ups
        # (bench/idle_gemm.c does).
        start = clock()
        for i in range(10_000):
            f()
            if i >= WARMUP and clock() - start > 2_000_000:
                break
        times = []
        for _ in range(calls):
            t0 = clock()
            f()
            times.append(clock() - t0)
        print(json.dumps(times), flush=True)


if __name__ == "__main__":
    main()
