"""The `oxblas` Python package: the VM front ends on every shape and layout against
NumPy, the type checks, info(), the threadpoolctl controller and the launcher."""

import os
import subprocess
import sys

import numpy as np
import pytest

import oxblas  # installed editable by scripts/setup-venv.sh
import threadpoolctl

FUNCS = [
    ("exp", np.exp, (-30, 30)),
    ("log", np.log, (1e-3, 1e3)),
    ("log10", np.log10, (1e-3, 1e3)),
    ("sqrt", np.sqrt, (0, 1e6)),
    ("square", np.square, (-1e3, 1e3)),
    ("expm1", np.expm1, (-5, 5)),
    ("log1p", np.log1p, (-0.9, 50)),
]


def ulps(a, b):
    """Distance in units of b's last place (both within 1 ulp of the exact value, so
    at most 2 apart)."""
    return np.abs(a - b) / np.spacing(np.abs(b))


def layouts(make):
    base = make((6, 7, 5))
    yield "C 3-d", base
    yield "F 3-d", np.asfortranarray(base)
    # Read-only memory cannot lend a writable buffer: the address comes another way.
    frozen = base.copy()
    frozen.flags.writeable = False
    yield "read-only C 3-d", frozen
    yield "1-d", base.ravel()
    yield "strided 1-d", base.ravel()[::3]
    yield "reversed 1-d", base.ravel()[::-1]
    yield "transposed", base.transpose(2, 0, 1)
    yield "sliced 3-d", base[::2, 1:, ::-2]
    yield "0-d", np.array(base.ravel()[0])
    yield "empty", base[:0]


@pytest.mark.parametrize("name,ref,domain", FUNCS, ids=[f[0] for f in FUNCS])
def test_every_layout_matches_numpy(name, ref, domain):
    rng = np.random.default_rng(5)
    make = lambda shape: rng.uniform(*domain, shape)
    fn = getattr(oxblas, name)
    for label, x in layouts(make):
        got = fn(x)
        want = ref(x)
        assert got.shape == want.shape, label
        assert np.all(ulps(got, want) <= 2.0), f"{name} {label}: {ulps(got, want).max()} ulp"
        # out= in another layout, and in place.
        out = np.empty(x.shape, order="F")
        assert fn(x, out=out) is out
        np.testing.assert_array_equal(out, got, err_msg=label)
        y = x.copy()
        fn(y, out=y)
        np.testing.assert_array_equal(y, got, err_msg=f"{label} in place")


def test_large_arrays_use_threads_and_match():
    x = np.random.default_rng(6).uniform(-20, 20, 3_000_001)
    got = oxblas.exp(x)
    assert np.all(ulps(got, np.exp(x)) <= 2.0)
    assert oxblas.exp(x)[-1] == got[-1]


@pytest.mark.parametrize("bad", [np.ones(4, np.float32), np.ones(4, np.int64), np.ones(4, np.complex128), [1, 2, 3]])
def test_other_dtypes_are_a_type_error(bad):
    with pytest.raises(TypeError, match="float64"):
        oxblas.exp(bad)


def test_bad_out_is_rejected():
    x = np.ones(5)
    with pytest.raises(TypeError):
        oxblas.log(x, out=np.empty(4))
    with pytest.raises(TypeError):
        oxblas.log(x, out=np.empty(5, np.float32))
    ro = np.empty(5)
    ro.flags.writeable = False
    with pytest.raises(ValueError):
        oxblas.log(x, out=ro)


def test_info_and_threads():
    info = oxblas.info()
    assert info["library"].endswith("liboxblas.so") and os.path.exists(info["library"])
    assert info["kernel"] in ("avx512", "avx2", "generic")
    assert info["num_threads"] >= 1 and info["version"]
    oxblas.set_num_threads(1)
    assert oxblas.get_num_threads() == 1
    oxblas.set_num_threads(0)
    assert oxblas.get_num_threads() == info["num_threads"]


def test_threadpoolctl_sees_and_limits_oxblas():
    entries = [d for d in threadpoolctl.threadpool_info() if d["internal_api"] == "oxblas"]
    assert len(entries) == 1 and entries[0]["user_api"] == "blas", threadpoolctl.threadpool_info()
    before = oxblas.get_num_threads()
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        assert oxblas.get_num_threads() == 1
    assert oxblas.get_num_threads() == before


def test_launcher_preloads_the_library(tmp_path):
    script = tmp_path / "child.py"
    script.write_text("import numpy as np, sys; a = np.ones((200, 200)); print((a @ a)[0, 0], sys.argv[1])")
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    env["OXBLAS_VERBOSE"] = "1"
    for cmd in ([sys.executable, "-m", "oxblas", "run", str(script), "hello"],
                [os.path.join(os.path.dirname(sys.executable), "oxblas-run"), str(script), "hello"]):
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == ["200.0", "hello"]
        assert "OXBLAS_VERBOSE dgemm(" in proc.stderr, "the child did not run on oxblas"
