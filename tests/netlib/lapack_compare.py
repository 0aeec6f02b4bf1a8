#!/usr/bin/env python3
"""Compares two runs of LAPACK's own testers (Debian's lapack_testing.py, every tester
with every input file): OXBLAS_DIR on oxblas alone, REFERENCE_DIR on reference BLAS and
LAPACK. Passes when every output file ran to its end with as many tests as the
reference's, and has no more failures, error-exit misses or error codes, except the
deviations listed in KNOWN, each of which is checked for exactly what it allows and
printed.

usage: lapack_compare.py OXBLAS_DIR REFERENCE_DIR
"""
import pathlib
import re
import sys

# Checks that compare two runs of the same routine *bit for bit* (eigenvalues computed
# with and without eigenvectors must be identical). Reference BLAS computes each element
# of a product in one loop order whatever the product's shape; oxblas's single and
# complex products below their crossing run on faer's kernels, whose order follows the
# shape, so a wider update (the one that carries the vectors) rounds one element
# differently. Reference LAPACK 3.12.1 on reference BLAS with only oxblas's ?gemm
# forwarded to reproduces each of these (SGV 18, CGV 19, ZGV 20 failures of test 5; CHS
# test 8). Reference-LAPACK PR #1410 relaxes the complex NEP check for the same reason.
CONSISTENCY = "bitwise comparison of eigenvalues with and without vectors"
KNOWN = {
    "sgd.out": ("result", {5}, CONSISTENCY),
    "cgd.out": ("result", {5}, CONSISTENCY),
    "zgd.out": ("result", {5}, CONSISTENCY),
    "cnep.out": ("result", {8}, CONSISTENCY),
    "znep.out": ("result", {8}, CONSISTENCY),
    # One 50x50 single-precision RFP triangular solve whose residual ratio lands above
    # the threshold (30) under a different rounding: reproduced on reference BLAS with
    # only oxblas's sgemm (S, 42.2) or ctrsm (C, 33.4) forwarded to. Allowed below 100.
    "stest_rfp.out": ("ratio", 100.0, "single-precision residual ratio over 30"),
    "ctest_rfp.out": ("ratio", 100.0, "single-precision residual ratio over 30"),
}

RUN = re.compile(r"\(\s*(\d+) tests run\)")
FAILED = re.compile(r"(\d+) out of\s+(\d+) tests failed")
RESULT = re.compile(r"result\s+(\d+) is")
RATIO = re.compile(r"test=\s*([0-9.Ee+-]+)")
EXIT_MISS = re.compile(r"not detected|failed the tests of the error exits|instead of|XERBLA was called", re.I)
CODES = re.compile(r"Error code from|had an illegal value", re.I)


def summary(path):
    text = path.read_text(errors="replace")
    run = sum(int(n) for n in RUN.findall(text)) + sum(int(t) for _, t in FAILED.findall(text))
    return {
        "ended": "End of tests" in text,
        "run": run,
        "failed": sum(int(f) for f, _ in FAILED.findall(text)),
        "exit_misses": len(EXIT_MISS.findall(text)),
        "codes": len(CODES.findall(text)),
        "results": [int(r) for r in RESULT.findall(text)],
        "ratios": [float(r) for r in RATIO.findall(text)],
    }


def main():
    ox_dir, ref_dir = map(pathlib.Path, sys.argv[1:3])
    outs = sorted(p.name for p in ref_dir.glob("*.out"))
    if len(outs) < 70:
        print(f"FAIL: the reference run has {len(outs)} output files, expected 74")
        return 1
    bad = 0
    total = {"run": 0, "failed": 0}
    for name in outs:
        ref = summary(ref_dir / name)
        ox_path = ox_dir / name
        if not ox_path.exists():
            print(f"  FAIL  {name}: no output on oxblas")
            bad += 1
            continue
        ox = summary(ox_path)
        total["run"] += ox["run"]
        total["failed"] += ox["failed"]
        problems = []
        if not ox["ended"] and ref["ended"]:
            problems.append("did not run to its end")
        if ox["run"] < ref["run"]:
            problems.append(f"ran {ox['run']} tests, the reference {ref['run']}")
        if ox["exit_misses"] > ref["exit_misses"]:
            problems.append(f"{ox['exit_misses']} error-exit misses (reference {ref['exit_misses']})")
        if ox["codes"] > ref["codes"]:
            problems.append(f"{ox['codes']} error codes (reference {ref['codes']})")
        extra = ox["failed"] - ref["failed"]
        if extra > 0:
            known = KNOWN.get(name)
            if known and known[0] == "result" and ox["results"] and set(ox["results"]) <= known[1]:
                print(f"  known {name}: {extra} failures, all of test {sorted(known[1])} ({known[2]})")
            elif known and known[0] == "ratio" and ox["ratios"] and max(ox["ratios"]) < known[1]:
                print(f"  known {name}: {extra} failures, ratio {max(ox['ratios']):.1f} ({known[2]})")
            else:
                problems.append(f"{ox['failed']} failed tests (reference {ref['failed']})")
        if problems:
            bad += 1
            print(f"  FAIL  {name}: " + "; ".join(problems))
    print(f"  LAPACK testers on oxblas alone: {len(outs)} runs, {total['run']} tests, "
          f"{total['failed']} over the threshold, {bad} runs worse than reference")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
