"""One NumPy child process per side of a stock-vs-oxblas comparison: the same script,
run once with the wheels' own OpenBLAS (autodetecting the CPU) and once with oxblas
preloaded, both with OXBLAS_VERBOSE=1 so the trace shows which routines oxblas served."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target" / "release" / "liboxblas.so"))


def run_npz(tmp, code, preload):
    """Runs `code` (which saves an .npz to sys.argv[1]); returns (arrays, stderr)."""
    script = tmp / "child.py"
    script.write_text(code)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LD_PRELOAD")}
    env["OXBLAS_VERBOSE"] = "1"
    if preload:
        env["LD_PRELOAD"] = str(LIB)
    out = tmp / ("ox.npz" if preload else "stock.npz")
    proc = subprocess.run([sys.executable, str(script), str(out)], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(np.load(out)), proc.stderr
