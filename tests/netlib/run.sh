#!/usr/bin/env bash
# Runs Debian's Netlib BLAS and LAPACK testers against oxblas (DESIGN §6): the Fortran
# BLAS testers and every LAPACK tester on oxblas alone (the installed prefix's
# libblas.so.3 and liblapack.so.3), the CBLAS testers with oxblas preloaded over the
# reference libraries. Passes when every BLAS routine reports PASSED for both error
# exits and computations and nothing reports FAIL, and the LAPACK testers do no worse
# than on reference BLAS and LAPACK (lapack_compare.py).
set -uo pipefail
lib=${1:?usage: tests/netlib/run.sh path/to/liboxblas.so installed-prefix}
lib=$(realpath "$lib")
prefix=${2:?usage: tests/netlib/run.sh path/to/liboxblas.so installed-prefix}
prefix=$(realpath "$prefix")
here=$(cd "$(dirname "$0")" && pwd)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
blas=/usr/lib/$multiarch/blas
lapack=/usr/lib/$multiarch/lapack
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LD_LIBRARY_PATH=$blas:$lapack LD_PRELOAD=$lib OXBLAS_VERBOSE=1
passed=0 failed=0
check() { # name, summary file, expected PASSED lines
  local name=$1 file=$2 want=$3
  local got; got=$(grep -ic "PASSED" "$file")
  if [ "$got" -eq "$want" ] && ! grep -qiE "FAIL|SUSPECT|NOT DETECTED|INSTEAD OF|ILLEGAL" "$file"; then
    passed=$((passed + 1)); echo "  ok    $name"; grep -i "PASSED" "$file" | sed 's/^ */        /'
  else
    failed=$((failed + 1)); echo "  FAIL  $name ($got of $want PASSED lines)"; sed 's/^/        /' "$file"
  fi
}
reached() { # trace file, routine, tester name
  local calls; calls=$(grep -c "^OXBLAS_VERBOSE $2(" "$1")
  echo "  $3: $calls $2 calls reached oxblas"
  [ "$calls" -gt 100 ] || { echo "  FAIL  $3 did not run $2 on oxblas"; failed=$((failed + 1)); }
}
# The BLAS testers, every routine of every type with Debian's own input files.
# The Fortran ones (xblat1/2/3 s/d/c/z) run on oxblas alone: LD_LIBRARY_PATH at the
# installed prefix, whose libblas.so.3 is oxblas (ldd must say so), nothing preloaded.
# The CBLAS ones need reference CBLAS's private RowMajorStrg, so they run over the
# reference libraries with oxblas preloaded: every cblas_ symbol is oxblas's.
# Expected lines: "PASSED THE TESTS OF ERROR-EXITS" and "PASSED THE COMPUTATIONAL
# TESTS" per routine (the CBLAS ones per layout too), "----- PASS -----" per level-1
# routine.
blas_alone() { # tester, stdin file (or /dev/null), output
  env -u LD_PRELOAD -u OXBLAS_VERBOSE LD_LIBRARY_PATH="$prefix/lib" "$blas/$1" <"$2" >"$3" 2>&1
}
resolved=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$prefix/lib" ldd "$blas/xblat3d" | awk '/libblas.so.3/ {print $3}')
if [[ "$resolved" == "$prefix/lib/libblas.so.3" ]]; then
  passed=$((passed + 1)); echo "  ok    the Fortran BLAS testers load $resolved (oxblas)"
else
  failed=$((failed + 1)); echo "  FAIL  the Fortran BLAS testers load $resolved, not $prefix/lib/libblas.so.3"
fi
level1() { # name, output, PASS lines
  if [ "$(grep -c -- "----- PASS -----" "$2")" -eq "$3" ] && ! grep -qiE "FAIL" "$2"; then
    passed=$((passed + 1)); echo "  ok    $1 (level 1: $3 routines)"
  else
    failed=$((failed + 1)); echo "  FAIL  $1"; sed 's/^/        /' "$2"
  fi
}
for t in s d c z; do
  T=$(echo "$t" | tr a-z A-Z)
  complex=0; [ "$t" = c ] || [ "$t" = z ] && complex=1
  # Routines per tester: level 1 (13 real, 10 complex), level 2 (16 real, 17 complex),
  # level 3 (6 real, 9 complex).
  l1=$((complex ? 10 : 13)); l2=$((complex ? 17 : 16)); l3=$((complex ? 9 : 6))
  blas_alone "xblat1$t" /dev/null "xblat1$t.out"
  level1 "xblat1$t on oxblas alone" "xblat1$t.out" "$l1"
  cp "$blas/${t}blat2.in" "$blas/${t}blat3.in" .
  blas_alone "xblat2$t" "${t}blat2.in" "xblat2$t.stdout"
  check "xblat2$t on oxblas alone (every level-2 routine)" "${t}blat2.out" $((2 * l2))
  blas_alone "xblat3$t" "${t}blat3.in" "xblat3$t.stdout"
  check "xblat3$t on oxblas alone (every level-3 routine)" "${t}blat3.out" $((2 * l3))
  "$blas/x${t}cblat1" >"x${t}cblat1.out" 2>&1
  level1 "x${t}cblat1 (CBLAS)" "x${t}cblat1.out" 10
  "$blas/x${t}cblat2" <"$blas/${t}in2" >"x${t}cblat2.out" 2>"x${t}cblat2.trace"
  reached "x${t}cblat2.trace" "${t}gemv" "x${t}cblat2"
  # Error exits once, computations per layout; the complex tester has one more routine.
  check "x${t}cblat2 (CBLAS, both layouts)" "x${t}cblat2.out" $((complex ? 51 : 48))
  "$blas/x${t}cblat3" <"$blas/${t}in3" >"x${t}cblat3.out" 2>"x${t}cblat3.trace"
  reached "x${t}cblat3.trace" "${t}gemm" "x${t}cblat3"
  check "x${t}cblat3 (CBLAS, both layouts)" "x${t}cblat3.out" $((3 * l3))
done
# Every function reference libblas.so.3 and liblapack.so.3 export (Debian's, 3.11), in
# every family: LP64, ILP64 (64_) and the wheels' scipy_ spellings of both.
exports=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort -u)
missing=$(for l in "$blas/libblas.so.3" "$lapack/liblapack.so.3"; do nm -D --defined-only "$l"; done |
  awk '$2 == "T" {print $3}' | sort -u | while read -r s; do
    case $s in
      __*|cblas_xerbla) echo "$s" ;; # the Fortran module procedures, the CBLAS handler
      *) echo "$s"; echo "${s}64_"; echo "scipy_$s"; echo "scipy_${s}64_" ;;
    esac
  done | sort -u | comm -23 - <(echo "$exports"))
if [ -z "$missing" ]; then
  passed=$((passed + 1)); echo "  ok    every reference BLAS and LAPACK function, in all four families"
else
  failed=$((failed + 1)); echo "  FAIL  missing exports: $(echo "$missing" | head -n 20 | tr '\n' ' ')"
fi
# LAPACK's own testers, every one with every input file Debian ships (the list of its
# lapack_testing.py: 74 runs, 4.2 million tests), on oxblas alone (the installed
# prefix's libblas.so.3 and liblapack.so.3, nothing preloaded) and on Debian's
# reference BLAS and LAPACK; lapack_compare.py requires as many tests run and no more
# failures than the reference, except the listed consistency checks.
lapack_suite() { # directory, LD_LIBRARY_PATH
  mkdir -p "$1" && cp "$lapack"/*.in "$1"/ &&
    (cd "$1" && env -u LD_PRELOAD -u OXBLAS_VERBOSE LD_LIBRARY_PATH="$2" \
      python3 "$lapack/lapack_testing.py" -r -b "$lapack" -d . >summary.txt 2>&1)
}
lapack_suite "$work/lapack-oxblas" "$prefix/lib"
lapack_suite "$work/lapack-reference" "$blas:$lapack"
resolved=$(env -u LD_PRELOAD LD_LIBRARY_PATH="$prefix/lib" ldd "$lapack/xeigtstd" | awk '/liblapack.so.3/ {print $3}')
if [[ "$resolved" == "$prefix/lib/liblapack.so.3" ]]; then
  passed=$((passed + 1)); echo "  ok    the LAPACK testers load $resolved (oxblas)"
else
  failed=$((failed + 1)); echo "  FAIL  the LAPACK testers load $resolved, not $prefix/lib/liblapack.so.3"
fi
if python3 "$here/lapack_compare.py" "$work/lapack-oxblas" "$work/lapack-reference"; then
  passed=$((passed + 1)); echo "  ok    LAPACK testers on oxblas alone: no worse than reference"
else
  failed=$((failed + 1)); echo "  FAIL  LAPACK testers on oxblas alone"
fi
# The testers reach oxblas's own routines, not only the reference ones built in.
traced() { # tester, input file, routines...
  local tester=$1 input=$2; shift 2
  env -u LD_PRELOAD LD_LIBRARY_PATH="$prefix/lib" OXBLAS_VERBOSE=1 \
    "$lapack/$tester" <"$lapack/$input" >"$tester-$input.out" 2>"$tester-$input.trace"
  for routine in "$@"; do reached "$tester-$input.trace" "$routine" "$tester < $input"; done
}
traced xlintstd dtest.in dgetrf dgetri dpotrf dgeqrf dorgqr dgelsd dtrtri
traced xlintstz ztest.in zgetrf zpotrf zgeqrf zungqr zgelsd
traced xeigtstd svd.in dgesdd
traced xeigtstz svd.in zgesdd
traced xeigtstd sep.in dsyevd
traced xeigtstz sep.in zheevd
traced xeigtstd ded.in dgeev
traced xeigtstz zed.in zgeev
echo "netlib: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
