#!/usr/bin/env bash
# `make bench`: dgemm, the rest of the BLAS, the LU family, the SVD, vector math and small-call latency side by side with the peers (the pip NumPy wheel's OpenBLAS with
# its CPU autodetection, pip MKL; Debian's OpenBLAS under Debian's SciPy), A/B
# interleaved. Timings live here, never in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh --bench
py=.venv/bin/python
# Users' NumPy autodetects this CPU; the machine's overrides force OpenBLAS to AVX2.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
openblas=$("$py" -c 'import sys; sys.path.insert(0, "bench"); from peers import find; print(find("openblas") or "")')
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) CPUs; $(date -u +%Y-%m-%d)"
echo
echo "== small dgemm per-call cost (C harness, 1 thread)"
mkdir -p build
cc -O2 bench/small_gemm.c -o build/small_gemm -ldl
build/small_gemm "$PWD/target/release/liboxblas.so:cblas_dgemm64_:oxblas_set_num_threads" \
  "$openblas:scipy_cblas_dgemm64_:scipy_openblas_set_num_threads64_"
echo
echo "== a call after an idle pause (the pool's workers asleep): dgemm 128³, 1 vs 2 threads"
cc -O2 bench/idle_gemm.c -o build/idle_gemm -ldl
build/idle_gemm "$PWD/target/release/liboxblas.so" 128
echo
echo "== dgemm GFLOP/s"
"$py" bench/dgemm.py "$@"
echo
echo "== S, C, Z matrix products (NumPy a @ b, preloaded vs stock)"
"$py" bench/typed_gemm.py
echo
echo "== BLAS levels 1-3 beyond gemm (scipy.linalg.blas, preloaded vs stock)"
"$py" bench/blas.py
echo
echo "== LU family and SVD"
"$py" bench/lapack.py
echo
echo "== Cholesky, QR, eigendecompositions, least squares; complex SVD and solve (NumPy)"
"$py" bench/typed_lapack.py
echo
echo "== Debian's SciPy (system BLAS/LAPACK) on oxblas alone vs on Debian's OpenBLAS"
make --no-print-directory install PREFIX="$PWD/build/prefix" >/dev/null
/usr/bin/python3 bench/system_scipy.py build/prefix
echo
echo "== vector math (MKL VM interface)"
"$py" bench/vml.py
echo
echo "== latency of small and medium NumPy calls: p50/p90/p99, oxblas 2T and 1T, OpenBLAS 2T"
"$py" bench/latency.py
