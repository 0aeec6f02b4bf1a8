"""The threading runtime seen from a host process: the thread budget's sources and their
order, read at the first call (not at load), runtime setters, the serial path for small
products, and the OpenBLAS-compatible control names."""

import ctypes
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target" / "release" / "liboxblas.so"))
THREAD_VARS = ("OXBLAS_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


def run(code, env_overrides=None, prefix=()):
    env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS and k != "LD_PRELOAD"}
    env.update(env_overrides or {})
    script = f"import ctypes, os\nlib = ctypes.CDLL({str(LIB)!r})\n" + textwrap.dedent(code)
    proc = subprocess.run([*prefix, sys.executable, "-c", script], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip(), proc.stderr


GET = "print(lib.oxblas_get_num_threads())"


CPUS = len(os.sched_getaffinity(0))


@pytest.mark.parametrize("env,want", [
    # OXBLAS_NUM_THREADS is honoured as given, even above the CPU count.
    ({"OXBLAS_NUM_THREADS": "3", "OPENBLAS_NUM_THREADS": "5", "OMP_NUM_THREADS": "7"}, 3),
    # The shared variables are capped at the CPUs the process may use.
    ({"OPENBLAS_NUM_THREADS": "5", "OMP_NUM_THREADS": "7"}, min(5, CPUS)),
    ({"OMP_NUM_THREADS": "4,2"}, min(4, CPUS)),
    ({"OMP_NUM_THREADS": "1"}, 1),
    ({"OXBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "2"}, 1),
])
def test_budget_sources_in_order(env, want):
    out, _ = run(GET, env)
    assert out == str(want)


def test_shared_variables_capped_by_affinity():
    out, _ = run(GET, {"OPENBLAS_NUM_THREADS": "8"}, prefix=("taskset", "-c", "0"))
    assert out == "1"
    out, _ = run(GET, {"OXBLAS_NUM_THREADS": "8"}, prefix=("taskset", "-c", "0"))
    assert out == "8"


def test_default_is_cpus_the_process_may_use():
    out, _ = run(GET)
    assert out == str(len(os.sched_getaffinity(0)))
    out, _ = run(GET, prefix=("taskset", "-c", "0"))
    assert out == "1"


def test_malformed_value_is_reported_and_skipped():
    out, err = run(GET, {"OXBLAS_NUM_THREADS": "lots", "OPENBLAS_NUM_THREADS": "1"})
    assert out == "1"
    assert "OXBLAS_NUM_THREADS" in err and "lots" in err


def test_read_at_first_call_not_at_load():
    # The library is loaded first, then the script sets the variable (the LD_PRELOAD case).
    out, _ = run("os.environ['OMP_NUM_THREADS'] = '1'\n" + GET, {})
    assert out == "1"


def test_setters_override_and_reset():
    code = """
    lib.openblas_set_num_threads(3); a = lib.oxblas_get_num_threads()
    lib.scipy_openblas_set_num_threads64_(5); b = lib.openblas_get_num_threads64_()
    lib.oxblas_set_num_threads(0); c = lib.scipy_openblas_get_num_threads64_()
    lib.openblas_get_config.restype = ctypes.c_char_p
    lib.openblas_get_corename.restype = ctypes.c_char_p
    print(a, b, c, lib.openblas_get_parallel(), lib.openblas_get_config().decode(), lib.openblas_get_corename().decode())
    """
    out, _ = run(code, {"OXBLAS_NUM_THREADS": "2"})
    a, b, c, parallel, *rest = out.split()
    assert (a, b, c, parallel) == ("3", "5", "2", "1")
    config, corename = " ".join(rest[:-1]), rest[-1]
    assert config.startswith("oxblas ") and f"kernel={corename}" in config
    assert corename in ("avx512", "avx2", "generic")


def test_tiny_products_stay_on_the_callers_thread():
    # Below 48³ waking a worker costs more than it saves; from there (small kernel,
    # columns split without barriers) two threads pay.
    code = """
    import numpy as np
    for n in (8, 32, 64, 600):
        a = np.ones((n, n)); b = a @ a
    """
    env = {"OXBLAS_NUM_THREADS": "2", "OXBLAS_VERBOSE": "1", "LD_PRELOAD": str(LIB)}
    _, err = run(code, env)
    lines = [l for l in err.splitlines() if l.startswith("OXBLAS_VERBOSE dgemm")]
    threads = {l.split("m=")[1].split(",")[0]: l.split("threads=")[1].split()[0] for l in lines}
    assert threads == {"8": "1", "32": "1", "64": "2", "600": "2"}, lines
