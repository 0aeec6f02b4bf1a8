#!/usr/bin/env bash
# `make test-numpy-source`: NumPy built from source against oxblas alone, as a
# distribution or a user with `-Dblas=oxblas` would build it, then its linalg tests and
# the matmul/dot tests of numpy._core. Two builds: LP64 (pkg-config `oxblas`, plain
# names) and ILP64 (`oxblas64`, the `64_` names). Each checks that the built NumPy links
# liboxblas and no other BLAS. Takes about 10 minutes per build on 2 cores, so it is a
# target of its own rather than part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=${NUMPY_VERSION:-2.4.6}
prefix=$root/build/prefix
scripts/install-deps.sh
command -v ninja >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq ninja-build >/dev/null; }
make --no-print-directory build >/dev/null
make --no-print-directory install PREFIX="$prefix" >/dev/null
failed=0
for variant in lp64 ilp64; do
  venv=$root/build/numpy-$variant
  echo "=== NumPy $version from source, $variant"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q meson-python meson cython pytest hypothesis
  args=(-Csetup-args=-Dallow-noblas=false)
  if [ "$variant" = lp64 ]; then
    args+=(-Csetup-args=-Dblas=oxblas -Csetup-args=-Dlapack=oxblas)
  else
    args+=(-Csetup-args=-Duse-ilp64=true -Csetup-args=-Dblas=oxblas64 -Csetup-args=-Dlapack=oxblas64
      -Csetup-args=-Dblas-symbol-suffix=64_)
  fi
  PATH=$venv/bin:$PATH PKG_CONFIG_PATH=$prefix/lib/pkgconfig \
    "$venv/bin/pip" install -q --no-cache-dir --force-reinstall --no-deps --no-build-isolation --no-binary numpy \
    "numpy==$version" "${args[@]}" >"$venv/build.log" 2>&1 || { echo "  build failed: $venv/build.log"; failed=1; continue; }
  # The BLAS the extension modules link, and no other.
  dir=$(cd /tmp && "$venv/bin/python" -c 'import numpy, os; print(os.path.dirname(numpy.__file__))')
  linked=$(find "$dir" -name "*.so" -exec ldd {} + | { grep "=>" | grep -iE "blas|lapack" || true; } | awk '{print $1}' | sort -u | tr '\n' ' ')
  echo "  links: $linked"
  [[ "$linked" == *liboxblas* && "$linked" != *openblas* && "$linked" != *libblas.so* && "$linked" != *liblapack.so* ]] ||
    { echo "  FAIL: not linked to oxblas alone"; failed=1; continue; }
  result=$(cd /tmp && LD_LIBRARY_PATH=$prefix/lib "$venv/bin/python" -m pytest -q -p no:cacheprovider \
    --pyargs numpy.linalg numpy._core.tests.test_multiarray -k "not (TestLstsq and rcond) and (linalg or matmul or dot or Matmul or Dot)" 2>&1 | tail -n 1)
  echo "  numpy.linalg + matmul/dot of numpy._core: $result"
  [[ "$result" == *" passed"* && ! "$result" =~ [0-9]+\ (failed|errors?) ]] || failed=1
done
[ "$failed" -eq 0 ] && echo "numpy from source: passed" || { echo "numpy from source: FAILED"; exit 1; }
