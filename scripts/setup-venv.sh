#!/usr/bin/env bash
# Creates .venv with the pip NumPy wheel (the stock NumPy users run) and the test tools.
# With --bench also installs pip MKL, a benchmark peer.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$py" -m venv .venv
want=(numpy scipy pytest hypothesis threadpoolctl dask distributed)
[ "${1:-}" = "--bench" ] && want+=(mkl)
missing=()
for pkg in "${want[@]}"; do
  .venv/bin/python -c "import importlib.metadata as m; m.version('$pkg')" 2>/dev/null || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-venv: installing ${missing[*]}"
  .venv/bin/pip install -q --disable-pip-version-check "${missing[@]}"
fi
# The project's own Python package, editable: it finds target/release/liboxblas.so.
.venv/bin/python -c "import importlib.metadata as m; m.version('oxblas')" 2>/dev/null ||
  .venv/bin/pip install -q --disable-pip-version-check -e ./python
