#!/usr/bin/env bash
# `make test`: every test, from a fresh machine. Installs what is missing, then runs
# the Rust tests, the C/Fortran/CMake consumers against an installed prefix, the Netlib
# testers and the NumPy tests under LD_PRELOAD. Ends with "N passed, N failed" (suites).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/install-deps.sh || exit 1
scripts/setup-venv.sh || exit 1
py=$root/.venv/bin/python
lib=$root/target/release/liboxblas.so
prefix=$root/build/prefix
passed=0 failed=0
declare -a failures=()

suite() { # name, command...
  local name=$1; shift
  echo "=== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

# A wheel's own test suite (NumPy's or SciPy's linalg) must pass the same with oxblas
# preloaded as without; the tests run from /tmp so the repo's files are not collected.
wheel_suite_same() { # module
  local stock ox
  stock=$(cd /tmp && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" -m pytest -q -p no:cacheprovider --pyargs "$1" 2>&1 | tail -n 1)
  ox=$(cd /tmp && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_PRELOAD="$lib" "$py" -m pytest -q -p no:cacheprovider --pyargs "$1" 2>&1 | tail -n 1)
  echo "  stock:  $stock"
  echo "  oxblas: $ox"
  [[ "$stock" == *" passed"* && "${stock% in *}" == "${ox% in *}" ]]
}

# Debian's python3-numpy (plain LP64 names, linked to the system libblas/liblapack)
# with oxblas preloaded: its linalg suite passes the same, and the calls reach oxblas.
# test_xerbla_override is left out of both runs: it checks that NumPy's own xerbla_
# catches reference LAPACK's errors, and a preloaded library's xerbla_ interposes
# (under any preloaded BLAS), so it can only be skipped there, never pass.
debian_numpy_same() {
  local sys_py=/usr/bin/python3 stock ox reached
  local args=(-m pytest -q -p no:cacheprovider --pyargs numpy.linalg -k "not test_xerbla_override")
  stock=$(cd /tmp && "$sys_py" "${args[@]}" 2>&1 | tail -n 1)
  ox=$(cd /tmp && LD_PRELOAD="$lib" "$sys_py" "${args[@]}" 2>&1 | tail -n 1)
  reached=$(cd /tmp && LD_PRELOAD="$lib" OXBLAS_VERBOSE=1 "$sys_py" -c '
import numpy as np
a = np.random.rand(300, 300)
a @ a; np.linalg.det(a); np.linalg.inv(a); np.linalg.svd(a)' 2>&1 | grep -o "^OXBLAS_VERBOSE [a-z]*" | sort -u | tr '\n' ' ')
  echo "  stock:  $stock"
  echo "  oxblas: $ox"
  echo "  reached: $reached"
  [[ "$stock" == *" passed"* && "${stock% in *}" == "${ox% in *}" && "$reached" == *dgemm*dgesdd*dgetrf* ]]
}

suite "cargo test" cargo test --quiet
suite "install into build/prefix" make --no-print-directory install PREFIX="$prefix" >/dev/null
suite "c-tests (C, Fortran, pkg-config, CMake)" c-tests/run.sh "$prefix"
suite "netlib testers" tests/netlib/run.sh "$lib"
suite "numpy wheel under LD_PRELOAD" "$py" -m pytest -q -p no:cacheprovider tests/python
suite "numpy.linalg suite under LD_PRELOAD" wheel_suite_same numpy.linalg
suite "scipy.linalg suite under LD_PRELOAD" wheel_suite_same scipy.linalg
suite "Debian python3-numpy under LD_PRELOAD" debian_numpy_same

echo
for f in "${failures[@]}"; do echo "failed suite: $f"; done
echo "make test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
