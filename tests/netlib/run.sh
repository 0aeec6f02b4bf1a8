#!/usr/bin/env bash
# Runs Debian's Netlib BLAS testers against oxblas under LD_PRELOAD, with the reference
# BLAS underneath (DESIGN §6). Input files are restricted to what oxblas exports by
# flipping the other routines' T to F. Passes when every tested routine reports
# PASSED for both error exits and computations, and nothing reports FAIL.
set -uo pipefail
lib=${1:?usage: tests/netlib/run.sh path/to/liboxblas.so}
lib=$(realpath "$lib")
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
blas=/usr/lib/$multiarch/blas
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
exported="DGEMM|cblas_dgemm"
sed -E "/^[A-Za-z_0-9]+ +T /{/^($exported) /!s/ T / F /}" "$blas/dblat3.in" >dblat3.in
sed -E "/^[A-Za-z_0-9]+ +T /{/^($exported) /!s/ T / F /}" "$blas/din3" >din3
export LD_LIBRARY_PATH=$blas LD_PRELOAD=$lib OXBLAS_VERBOSE=1
passed=0 failed=0
check() { # name, summary file, expected PASSED lines
  local name=$1 file=$2 want=$3
  local got; got=$(grep -c "PASSED" "$file")
  if [ "$got" -eq "$want" ] && ! grep -qiE "FAIL|SUSPECT|NOT DETECTED|INSTEAD OF" "$file"; then
    passed=$((passed + 1)); echo "  ok    $name"; grep "PASSED" "$file" | sed 's/^ */        /'
  else
    failed=$((failed + 1)); echo "  FAIL  $name ($got of $want PASSED lines)"; sed 's/^/        /' "$file"
  fi
}
"$blas/xblat3d" <dblat3.in >xblat3d.stdout 2>xblat3d.trace
# The tester must really have called oxblas: OXBLAS_VERBOSE lines prove it.
calls=$(grep -c "^OXBLAS_VERBOSE dgemm" xblat3d.trace)
echo "  xblat3d: $calls dgemm calls reached oxblas"
[ "$calls" -gt 1000 ] || { echo "  FAIL  xblat3d did not run on oxblas"; failed=$((failed + 1)); }
check "xblat3d DGEMM" dblat3.out 2
"$blas/xdcblat3" <din3 >xdcblat3.out 2>xdcblat3.trace
calls=$(grep -c "^OXBLAS_VERBOSE dgemm" xdcblat3.trace)
echo "  xdcblat3: $calls cblas_dgemm calls reached oxblas"
[ "$calls" -gt 1000 ] || { echo "  FAIL  xdcblat3 did not run on oxblas"; failed=$((failed + 1)); }
check "xdcblat3 cblas_dgemm" xdcblat3.out 3
echo "netlib: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
