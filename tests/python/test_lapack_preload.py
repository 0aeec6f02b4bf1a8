"""numpy.linalg and scipy.linalg LU- and SVD-based functions with oxblas preloaded: the
results match stock (the wheels' OpenBLAS), and the calls really reach oxblas's dgetrf /
dgesv / dgetrs / dgetri / dgesdd."""

import re
import textwrap

import numpy as np
import pytest
from children import LIB, run_npz


CHILD = textwrap.dedent(
    """
    import sys, numpy as np, scipy.linalg as sl
    rng = np.random.default_rng(3)
    out = {}
    for n in (1, 5, 64, 300, 700):
        a = rng.standard_normal((n, n))
        b = rng.standard_normal((n, 3))
        out[f"det{n}"] = np.array(np.linalg.det(a))
        out[f"slogdet{n}"] = np.array(np.linalg.slogdet(a))
        out[f"inv{n}"] = np.linalg.inv(a)
        out[f"solve{n}"] = np.linalg.solve(a, b)
        lu, piv = sl.lu_factor(a)
        out[f"lu{n}"], out[f"piv{n}"] = lu, piv
        out[f"lusolve{n}"] = sl.lu_solve((lu, piv), b)
        out[f"lusolveT{n}"] = sl.lu_solve((lu, piv), b, trans=1)
        out[f"sinv{n}"] = sl.inv(a)
        out[f"sdet{n}"] = np.array(sl.det(a))
    for m, n in ((1, 1), (7, 3), (3, 7), (120, 80), (80, 120), (300, 300)):
        a = rng.standard_normal((m, n))
        u, s, vt = np.linalg.svd(a)
        out[f"svdvals{m}x{n}"] = np.linalg.svd(a, compute_uv=False)
        # Singular vectors are unique only up to sign: compare what they reconstruct.
        out[f"svd_usv{m}x{n}"] = (u[:, : s.size] * s) @ vt[: s.size]
        us, ss, vts = np.linalg.svd(a, full_matrices=False)
        out[f"svd_thin{m}x{n}"] = (us * ss) @ vts
        out[f"svd_orth{m}x{n}"] = np.array([np.abs(u.T @ u - np.eye(m)).max() < 1e-12, np.abs(vt @ vt.T - np.eye(n)).max() < 1e-12])
        out[f"pinv{m}x{n}"] = np.linalg.pinv(a)
        out[f"rank{m}x{n}"] = np.array(np.linalg.matrix_rank(a))
        out[f"cond{m}x{n}"] = np.array(np.linalg.cond(a))
        out[f"norm2_{m}x{n}"] = np.array([np.linalg.norm(a, 2), np.linalg.norm(a, "nuc")])
        out[f"ssvd{m}x{n}"] = sl.svd(a, compute_uv=False)
    out["rank_deficient"] = np.array(np.linalg.matrix_rank(np.ones((50, 40))))
    out["batched_det"] = np.linalg.det(rng.standard_normal((50, 8, 8)))
    out["singular_det"] = np.array(np.linalg.det(np.ones((200, 200))))
    try:
        np.linalg.inv(np.ones((4, 4)))
        out["singular_inv_raises"] = np.array(False)
    except np.linalg.LinAlgError:
        out["singular_inv_raises"] = np.array(True)
    np.savez(sys.argv[1], **out)
    """
)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lapack")
    return run_npz(tmp, CHILD, False), run_npz(tmp, CHILD, True)


def test_routines_reach_oxblas(results):
    (_, stock_err), (_, ox_err) = results
    called = set(re.findall(r"^OXBLAS_VERBOSE (\w+)\(", ox_err, re.M))
    assert {"dgetrf", "dgetrs", "dgetri", "dgesdd"} <= called, called
    assert "OXBLAS_VERBOSE" not in stock_err


def test_results_match_stock(results):
    (stock, _), (ox, _) = results
    for key in stock:
        want, got = stock[key], ox[key]
        assert got.shape == want.shape, key
        if key.startswith("piv"):
            np.testing.assert_array_equal(got, want, err_msg=key)
            continue
        if want.dtype == bool or key.startswith("rank"):
            np.testing.assert_array_equal(got, want, err_msg=key)
            continue
        finite = want[np.isfinite(want)]
        scale = max(np.abs(finite).max(initial=0.0), 1.0)
        n = max(want.shape[-1] if want.ndim else 1, 1)
        # Relative for determinants (which may be huge or overflow to ±inf in both),
        # relative to the largest entry for matrices.
        np.testing.assert_allclose(got, want, rtol=1e-9 * n, atol=1e-9 * n * scale if key.startswith(("inv", "solve", "lu", "sinv", "svd", "pinv")) else 0, err_msg=key)


def test_singular_cases(results):
    (_, _), (ox, _) = results
    assert float(ox["singular_det"]) == 0.0
    assert int(ox["rank_deficient"]) == 1
    assert all(bool(ox[k].all()) for k in ox if k.startswith("svd_orth"))
    assert bool(ox["singular_inv_raises"])
