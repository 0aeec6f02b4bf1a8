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

# NumPy's own linalg suite must pass the same with oxblas preloaded as without.
numpy_linalg_same() {
  local stock ox
  stock=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" -m pytest -q -p no:cacheprovider --pyargs numpy.linalg 2>&1 | tail -n 1)
  ox=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_PRELOAD="$lib" "$py" -m pytest -q -p no:cacheprovider --pyargs numpy.linalg 2>&1 | tail -n 1)
  echo "  stock:  $stock"
  echo "  oxblas: $ox"
  [[ "$stock" == *" passed"* && "${stock% in *}" == "${ox% in *}" ]]
}

suite "cargo test" cargo test --quiet
suite "install into build/prefix" make --no-print-directory install PREFIX="$prefix" >/dev/null
suite "c-tests (C, Fortran, pkg-config, CMake)" c-tests/run.sh "$prefix"
suite "netlib testers" tests/netlib/run.sh "$lib"
suite "numpy wheel under LD_PRELOAD" "$py" -m pytest -q -p no:cacheprovider tests/python
suite "numpy.linalg suite under LD_PRELOAD" numpy_linalg_same

echo
for f in "${failures[@]}"; do echo "failed suite: $f"; done
echo "make test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
