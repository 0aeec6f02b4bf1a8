"""NumPy on oxblas under real use (each case in a child with oxblas preloaded): forked
workers after the parent used the pool, many Python threads at once, an idle process
that burns no CPU, and the thread limits really limiting the pool."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIB = Path(os.environ.get("OXBLAS_LIB", ROOT / "target" / "release" / "liboxblas.so"))


def run_child(code, extra_env=None, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OXBLAS_NUM_THREADS",
                                                             "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OXBLAS_VERBOSE")}
    env["LD_PRELOAD"] = str(LIB)
    env.update(extra_env or {})
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout


def test_fifty_forked_children_compute_correctly():
    out = run_child("""
        import multiprocessing as mp, numpy as np
        rng = np.random.default_rng(1)
        a = rng.standard_normal((300, 300))

        def compute(i):
            b = a + (i + 1) * np.eye(300)
            return b @ b, np.linalg.det(b / 10), np.linalg.inv(b)

        # The parent uses the pool first; the answers it gets are the reference.
        want = [compute(i) for i in range(50)]
        for w, i in zip(want[:3], range(3)):
            b = a + (i + 1) * np.eye(300)
            assert np.allclose(w[2] @ b, np.eye(300), atol=1e-9)

        def task(i):
            got = compute(i)
            # Same data, same code: the child's results are the parent's, bit for bit.
            return all(np.array_equal(g, w) for g, w in zip(got, want[i]))

        with mp.get_context("fork").Pool(4) as pool:
            results = pool.map_async(task, range(50)).get(timeout=240)
        print(sum(results))
    """)
    assert out.split()[-1] == "50"


def test_eight_python_threads_at_once():
    out = run_child("""
        import threading, time, numpy as np
        rng = np.random.default_rng(2)
        mats = [rng.standard_normal((300, 300)) for _ in range(8)]
        refs = [(m @ m, np.linalg.det(m), np.linalg.inv(m), np.linalg.svd(m, compute_uv=False)) for m in mats]
        bad = []

        def worker(k):
            m = mats[k]
            end = time.time() + 3.0
            while time.time() < end:
                p, d, inv, s = m @ m, np.linalg.det(m), np.linalg.inv(m), np.linalg.svd(m, compute_uv=False)
                r = refs[k]
                # Bitwise: the same call on the same data gives the same bits whoever else runs.
                if not (np.array_equal(p, r[0]) and d == r[1] and np.array_equal(inv, r[2]) and np.array_equal(s, r[3])):
                    bad.append(k)
                    return

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print("bad", len(bad))
    """)
    assert out.split()[-1] == "0"


def test_idle_process_burns_no_cpu():
    out = run_child("""
        import time, resource, numpy as np
        a = np.ones((2000, 2000))
        for _ in range(3):
            a @ a
        time.sleep(0.05)   # the workers' short spin after a call
        before = resource.getrusage(resource.RUSAGE_SELF)
        time.sleep(2.0)
        after = resource.getrusage(resource.RUSAGE_SELF)
        print((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
    """)
    assert float(out.split()[-1]) < 0.05, f"{out.split()[-1]} s of CPU while sleeping 2 s"


COUNT_WORKERS = """
    import os, numpy as np
    {setup}
    a = np.ones((1500, 1500))
    a @ a
    names = [open(f"/proc/self/task/{{t}}/comm").read().strip() for t in os.listdir("/proc/self/task")]
    print(sum(n.startswith("oxblas") for n in names))
"""


@pytest.mark.parametrize("env,setup", [
    ({"OXBLAS_NUM_THREADS": "1"}, ""),
    ({"OPENBLAS_NUM_THREADS": "1"}, ""),
    ({}, "import threadpoolctl, oxblas; threadpoolctl.threadpool_limits(1, user_api='blas')"),
], ids=["OXBLAS_NUM_THREADS", "OPENBLAS_NUM_THREADS", "threadpool_limits"])
def test_thread_limits_really_limit(env, setup):
    assert run_child(COUNT_WORKERS.format(setup=setup), env).split()[-1] == "0"
    # And without a limit the pool does start (on a machine with more than one CPU).
    if len(os.sched_getaffinity(0)) > 1:
        assert int(run_child(COUNT_WORKERS.format(setup=""), {}).split()[-1]) >= 1
