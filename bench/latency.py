"""Latency of small and medium NumPy calls, per call: p50, p90 and p99 for oxblas on 2
threads, oxblas on 1 thread and the wheel's OpenBLAS on 2 threads, interleaved.

Each configuration is one long-lived NumPy process (bench/latency_worker.py); every row
is measured in 4 rounds, each round asking the three processes in turn for a quarter of
the calls. OpenBLAS's idle threads spin for 2^28 cycles (~0.13 s) after each call, taking
a core from whoever runs next, so the turn after OpenBLAS's waits 0.3 s. A row has at
least 400 calls (up to 4000 for the shortest) when a call takes under 2.5 ms, and about
2 s of calls per configuration otherwise (never fewer than 24).

The goals it checks (a `*` marks a miss):
  p99/p50 ≤ 1.5 for oxblas 2T;  oxblas 2T p50 ≤ oxblas 1T p50;  oxblas 2T p50 ≤ OpenBLAS 2T p50,
the last two with 3% for noise (two runs of one serial path differ by that much).
For `exp` the peer is NumPy's own np.exp (one thread); oxblas runs oxblas.exp.

usage: python bench/latency.py [--only OP,...] [--sizes N,...] [--json OUT]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target/release/liboxblas.so"))
OPS = ["matmul", "det", "inv", "solve", "cholesky", "svd", "eigh", "eigvalsh", "matvec"]
LABEL = {"matmul": "a @ b", "matvec": "a @ v"}
SIZES = [16, 32, 64, 100, 128, 200, 256, 320, 400, 600, 1000]
EXP_SIZES = [1000, 10_000, 100_000]
ROUNDS = 4
NOISE = 1.03
PAUSE_AFTER_OPENBLAS = 0.3
CONFIGS = {"ox2": ("oxblas", 2), "ox1": ("oxblas", 1), "ob2": ("openblas", 2)}


class Worker:
    def __init__(self, lib, threads):
        env = dict(os.environ)
        for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OXBLAS_VERBOSE", "LD_PRELOAD"):
            env.pop(var, None)
        env["OXBLAS_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = str(threads)
        if lib == "oxblas":
            env["LD_PRELOAD"] = str(LIB)
        cmd = [sys.executable, str(ROOT / "bench" / "latency_worker.py")]
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def times(self, op, n, calls):
        self.proc.stdin.write(f"{op} {n} {calls}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"latency worker died on {op} {n}")
        return json.loads(line)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def calls_for(seconds_per_call):
    """At least 400 calls up to 2.5 ms a call (up to 4000 for the shortest, so their
    p99 is not the luck of four samples); about 2 s of calls above that."""
    if seconds_per_call < 2.5e-3:
        return min(4000, max(400, int(0.05 / seconds_per_call))) // ROUNDS * ROUNDS
    return max(24, int(2.0 / seconds_per_call) // ROUNDS * ROUNDS)


def percentiles(ns):
    p50, p90, p99 = np.percentile(np.array(ns) / 1e3, [50, 90, 99])
    return {"p50": p50, "p90": p90, "p99": p99, "calls": len(ns)}


def measure(workers, op, n):
    probe = min(workers["ox1"].times(op, n, 3))
    calls = calls_for(probe / 1e9)
    got = {name: [] for name in workers}
    for _ in range(ROUNDS):
        for name, w in workers.items():
            got[name] += w.times(op, n, calls // ROUNDS)
            if name == "ob2":
                time.sleep(PAUSE_AFTER_OPENBLAS)
    return {name: percentiles(ns) for name, ns in got.items()}


def fmt(x):
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}"


def row(op, n, r):
    o2, o1, ob = r["ox2"], r["ox1"], r["ob2"]
    tail, team, peer = o2["p99"] / o2["p50"], o2["p50"] / o1["p50"], o2["p50"] / ob["p50"]
    mark = lambda bad: "*" if bad else " "
    return (f"{LABEL.get(op, op):<9}{n:>7}{o2['calls']:>6} | {fmt(o2['p50']):>7}{fmt(o2['p90']):>7}{fmt(o2['p99']):>7}"
            f" | {fmt(o1['p50']):>7}{fmt(o1['p99']):>7} | {fmt(ob['p50']):>7}{fmt(ob['p99']):>7}"
            f" | {tail:>5.2f}{mark(tail > 1.5)}{team:>6.2f}{mark(team > NOISE)}{peer:>6.2f}{mark(peer > NOISE)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated operations (matmul, det, …, exp)")
    ap.add_argument("--sizes", default="", help="comma-separated n (matrix rows) to keep")
    ap.add_argument("--json", default="", help="also write every row's percentiles here")
    args = ap.parse_args()
    if not LIB.exists():
        sys.exit(f"{LIB} is missing: run `make` first")
    ops = [op for op in OPS + ["exp"] if not args.only or op in args.only.split(",")]
    keep = {int(s) for s in args.sizes.split(",") if s}
    workers = {name: Worker(*cfg) for name, cfg in CONFIGS.items()}
    print("per-call µs; oxblas 2T / 1T and the wheel's OpenBLAS 2T (np.exp for exp), interleaved")
    print(f"{'call':<9}{'n':>7}{'calls':>6} | {'2T p50':>7}{'p90':>7}{'p99':>7} | {'1T p50':>7}{'p99':>7}"
          f" | {'OB p50':>7}{'p99':>7} | {'p99/50':>6}{'2T/1T':>7}{'vs OB':>7}")
    print("-" * 104)
    results = []
    try:
        for op in ops:
            for n in EXP_SIZES if op == "exp" else SIZES:
                if keep and n not in keep and op != "exp":
                    continue
                r = measure(workers, op, n)
                results.append({"op": op, "n": n, **r})
                print(row(op, n, r), flush=True)
    finally:
        for w in workers.values():
            w.close()
    print("goals: p99/p50 ≤ 1.5, 2T/1T ≤ 1, vs OB (2T p50 / OpenBLAS p50) ≤ 1; * marks a miss"
          f" (the last two beyond {NOISE - 1:.0%} noise)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
