#!/usr/bin/env bash
# Installs the system tools the tests need, if missing: a Fortran compiler, CMake,
# pkg-config, Debian's Netlib BLAS/LAPACK testers and GMP/MPFR for the ulp reference. Idempotent and quiet when done.
set -euo pipefail
need=()
command -v gfortran >/dev/null || need+=(gfortran)
command -v cmake >/dev/null || need+=(cmake)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v cc >/dev/null || need+=(gcc)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
[ -x "/usr/lib/$multiarch/blas/xblat3d" ] || need+=(libblas-test)
[ -x "/usr/lib/$multiarch/lapack/xlintstd" ] || need+=(liblapack-test)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
# Debian's own NumPy (linked to the system BLAS/LAPACK), run under oxblas by the tests.
/usr/bin/python3 -c 'import numpy, pytest, hypothesis' 2>/dev/null || need+=(python3-numpy python3-pytest python3-hypothesis)
# GMP and MPFR headers: the vector-math tests measure ulps against MPFR (the rug crate).
[ -e "/usr/include/mpfr.h" ] || need+=(libmpfr-dev)
[ -e "/usr/include/$multiarch/gmp.h" ] || [ -e /usr/include/gmp.h ] || need+=(libgmp-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
