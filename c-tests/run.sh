#!/usr/bin/env bash
# Builds and runs the C, Fortran, pkg-config and CMake consumers against an installed
# prefix (as a user would), and prints "N passed, N failed".
set -uo pipefail
prefix=${1:?usage: c-tests/run.sh PREFIX}
here=$(cd "$(dirname "$0")" && pwd)
out=$here/build
rm -rf "$out" && mkdir -p "$out"
cflags=(-O2 -Wall -Wextra -Werror -I"$prefix/include")
libs=(-L"$prefix/lib" -Wl,-rpath,"$prefix/lib" -loxblas -lm -lpthread)
passed=0 failed=0

step() { # name, command...
  local name=$1; shift
  if "$@" >"$out/$name.log" 2>&1; then
    passed=$((passed + 1)); echo "  ok    $name"
  else
    failed=$((failed + 1)); echo "  FAIL  $name (log follows)"; sed 's/^/        /' "$out/$name.log" | tail -n 30
  fi
}

for t in test_cblas test_xerbla test_fork test_threads test_idle test_vml; do
  step "$t" bash -c "cc ${cflags[*]} '$here/$t.c' -o '$out/$t' ${libs[*]} && '$out/$t'"
done
# Allocation failure: reported on stderr, result still right, process survives.
step test_nomem bash -c "cc ${cflags[*]} '$here/test_nomem.c' -o '$out/test_nomem' ${libs[*]} &&
  '$out/test_nomem' 2>'$out/nomem.err' && grep -q 'could not allocate' '$out/nomem.err'"
# Thread counts from the environment, including an oversubscribed one.
for n in 1 3; do
  step "test_cblas_threads_$n" env OXBLAS_NUM_THREADS=$n "$out/test_cblas"
done
# Every microkernel path, forced through the environment (the CPU must have it; the
# config string proves which path ran).
for kernel in avx2 generic; do
  step "test_cblas_kernel_$kernel" bash -c "
    OXBLAS_KERNEL=$kernel '$out/test_cblas' &&
    OXBLAS_KERNEL=$kernel '$out/test_threads' &&
    OXBLAS_KERNEL=$kernel '$out/test_vml' &&
    cc ${cflags[*]} -x c - -o '$out/print_config' ${libs[*]} <<'C'
#include <oxblas.h>
#include <stdio.h>
int main(void) { puts(oxblas_get_config()); return 0; }
C
    OXBLAS_KERNEL=$kernel '$out/print_config' | grep -q 'kernel=$kernel'"
done
step test_fortran bash -c "gfortran -O2 '$here/test_fortran.f90' -o '$out/test_fortran' ${libs[*]} && '$out/test_fortran'"
# LAPACKE and the reference LAPACK routines built in: a C program through lapacke.h, and
# a Fortran one linked as programs link the system LAPACK (-llapack -lblas, the
# installed drop-in names) and through pkg-config.
step test_lapacke bash -c "cc ${cflags[*]} '$here/test_lapacke.c' -o '$out/test_lapacke' ${libs[*]} && '$out/test_lapacke'"
step test_lapack_fortran bash -c "gfortran -O2 '$here/test_lapack.f90' -o '$out/test_lapack' -L'$prefix/lib' -Wl,-rpath,'$prefix/lib' -llapack -lblas -loxblas && '$out/test_lapack' &&
  gfortran -O2 '$here/test_lapack.f90' -o '$out/test_lapack_pc' \$(PKG_CONFIG_PATH='$prefix/lib/pkgconfig' pkg-config --libs oxblas) -Wl,-rpath,'$prefix/lib' && '$out/test_lapack_pc'"
step pkg-config bash -c "
  export PKG_CONFIG_PATH='$prefix/lib/pkgconfig'
  test \"\$(pkg-config --variable=symbol_suffix oxblas64)\" = 64_ &&
  pkg-config --cflags oxblas64 | grep -q -- -DOPENBLAS_ILP64_NAMING_SCHEME &&
  cc \$(pkg-config --cflags oxblas) '$here/cmake-consumer/main.c' -o '$out/pc_consumer' \$(pkg-config --libs oxblas) -Wl,-rpath,'$prefix/lib' &&
  '$out/pc_consumer'"
step cmake-consumer bash -c "
  cmake -S '$here/cmake-consumer' -B '$out/cmake' -DCMAKE_PREFIX_PATH='$prefix' &&
  cmake --build '$out/cmake' &&
  '$out/cmake/consumer' && '$out/cmake/consumer_static' &&
  '$out/cmake/lapacke_consumer' && '$out/cmake/lapacke_consumer_static'"
echo "c-tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
