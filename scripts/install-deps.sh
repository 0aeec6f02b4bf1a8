#!/usr/bin/env bash
# Installs the system tools the tests need, if missing: a Fortran compiler, CMake,
# pkg-config, Debian's Netlib BLAS/LAPACK testers, Open MPI with Debian's ScaLAPACK
# testers, and GMP/MPFR for the ulp reference. Idempotent and quiet when done.
# `install-deps.sh build` installs only what the build needs: gfortran and a C compiler
# for the reference LAPACK and LAPACKE built in, binutils for their symbols.
# `install-deps.sh scale` adds Debian's OpenBLAS, the peer of `make scale`.
set -euo pipefail
need=()
command -v gfortran >/dev/null || need+=(gfortran)
command -v cc >/dev/null || need+=(gcc)
command -v objcopy >/dev/null || need+=(binutils)
if [ "${1:-}" != build ]; then
  command -v cmake >/dev/null || need+=(cmake)
  command -v pkg-config >/dev/null || need+=(pkg-config)
  multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
  [ -x "/usr/lib/$multiarch/blas/xblat3d" ] || need+=(libblas-test)
  [ -x "/usr/lib/$multiarch/lapack/xlintstd" ] || need+=(liblapack-test)
  python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
  # Debian's own NumPy (linked to the system BLAS/LAPACK), run under oxblas by the tests.
  /usr/bin/python3 -c 'import numpy, pytest, hypothesis' 2>/dev/null || need+=(python3-numpy python3-pytest python3-hypothesis)
  # Debian's own SciPy, the first program linked to the system LAPACK the tests run on oxblas alone.
  /usr/bin/python3 -c 'import scipy.linalg' 2>/dev/null || need+=(python3-scipy)
  # Open MPI and Debian's ScaLAPACK testers (with libscalapack-openmpi): ScaLAPACK runs on
  # oxblas alone on two ranks in `make test`, on four in `make test-scalapack`.
  command -v mpirun >/dev/null || need+=(openmpi-bin)
  command -v mpicc >/dev/null || need+=(libopenmpi-dev)
  [ -x "/usr/lib/$multiarch/scalapack/openmpi-tests/xdlu" ] || need+=(scalapack-mpi-test)
  # Debian's OpenBLAS, the stock library `make scale` runs ScaLAPACK on beside oxblas.
  if [ "${1:-}" = scale ]; then
    [ -e "/usr/lib/$multiarch/openblas-pthread/libblas.so.3" ] || need+=(libopenblas0-pthread)
  fi
  # GMP and MPFR headers: the vector-math tests measure ulps against MPFR (the rug crate).
  [ -e "/usr/include/mpfr.h" ] || need+=(libmpfr-dev)
  [ -e "/usr/include/$multiarch/gmp.h" ] || [ -e /usr/include/gmp.h ] || need+=(libgmp-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  # On a fresh machine another apt (unattended upgrades, a provisioning step) may hold
  # the package locks for a while: wait for them (up to 10 minutes) rather than fail.
  # `install` waits by itself (DPkg::Lock::Timeout); `update` does not, so it retries.
  wait_lock=(-o DPkg::Lock::Timeout=600)
  for try in $(seq 120); do
    err=$($SUDO apt-get "${wait_lock[@]}" update -qq 2>&1) && break
    grep -q "Could not get lock" <<<"$err" || { echo "$err" >&2; exit 1; }
    [ "$try" -eq 1 ] && echo "install-deps: waiting for another apt to release its lock"
    [ "$try" -eq 120 ] && { echo "$err" >&2; exit 1; }
    sleep 5
  done
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${wait_lock[@]}" install -y -qq "${need[@]}" >/dev/null
fi
