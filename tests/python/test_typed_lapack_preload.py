"""The LAPACK routines NumPy links, in every dtype (float32, float64, complex64,
complex128), with oxblas preloaded: results match stock (the wheels' OpenBLAS) where
they are unique, satisfy their defining equations where they are not (eigenvectors, Q
of QR), and the calls reach oxblas's ?getrf, ?gesv, ?potrf, ?geqrf, ?orgqr/?ungqr,
?syevd/?heevd, ?geev, ?gesdd and ?gelsd.

numpy.linalg computes float32 and complex64 in double precision, so the single
precision routines are driven through scipy.linalg (which calls the same symbols
with the wheels' `scipy_` prefix); double precision goes through numpy.linalg."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from children import LIB, run_npz

DTYPES = ("float32", "float64", "complex64", "complex128")

CHILD = textwrap.dedent(
    """
    import sys, numpy as np, scipy.linalg as sl
    rng = np.random.default_rng(7)
    out = {}
    # One dtype's routines: numpy.linalg's, or scipy.linalg's calling the same LAPACK
    # drivers, for the single-precision types numpy.linalg would widen.
    def api(dt):
        if np.dtype(dt) in (np.float64, np.complex128):
            L = np.linalg
            return dict(solve=L.solve, inv=L.inv, slogdet=lambda a: L.slogdet(a)[1], cholesky=L.cholesky,
                cholesky_upper=lambda h: L.cholesky(h, upper=True), eigh=L.eigh,
                eigvalsh_U=lambda h: L.eigvalsh(h, UPLO="U"), eig=L.eig, eigvals=L.eigvals,
                qr=L.qr, qr_r=lambda a: L.qr(a, mode="r"), svd=L.svd, svd_thin=lambda a: L.svd(a, full_matrices=False),
                svdvals=lambda a: L.svd(a, compute_uv=False), pinv=L.pinv,
                lstsq=lambda a, b: L.lstsq(a, b, rcond=None))
        gesv = sl.get_lapack_funcs("gesv", dtype=dt)
        return dict(solve=lambda a, b: gesv(a, b)[2], inv=sl.inv, slogdet=lambda a: np.log(np.abs(sl.det(a).astype(np.complex128))), cholesky=lambda h: sl.cholesky(h, lower=True),
            cholesky_upper=sl.cholesky, eigh=lambda h: sl.eigh(h, driver="evd"),
            eigvalsh_U=lambda h: sl.eigh(h, lower=False, eigvals_only=True, driver="evd"), eig=sl.eig,
            eigvals=sl.eigvals,
            qr=lambda a, mode: sl.qr(a, mode="economic" if mode == "reduced" else "full"),
            qr_r=lambda a: sl.qr(a, mode="r")[0], svd=lambda a: sl.svd(a, lapack_driver="gesdd"),
            svd_thin=lambda a: sl.svd(a, full_matrices=False, lapack_driver="gesdd"),
            svdvals=lambda a: sl.svd(a, compute_uv=False, lapack_driver="gesdd"), pinv=sl.pinv,
            lstsq=lambda a, b: sl.lstsq(a, b, lapack_driver="gelsd"))
    def rand(shape, dt):
        x = rng.standard_normal(shape)
        if np.dtype(dt).kind == "c":
            x = x + 1j * rng.standard_normal(shape)
        return x.astype(dt)
    def resid(x, want):
        return np.array(np.abs(x - want).max() / max(1.0, np.abs(want).max()))
    for dt in %r:
        F = api(dt)
        for n in (1, 4, 33, 150):
            a = rand((n, n), dt)
            b = rand((n, 2), dt)
            out[f"{dt}/solve{n}"] = F["solve"](a, b)
            out[f"{dt}/inv{n}"] = F["inv"](a)
            out[f"{dt}/logabsdet{n}"] = np.array(F["slogdet"](a))
            h = a @ a.conj().T + n * np.eye(n, dtype=dt)
            out[f"{dt}/cholesky{n}"] = F["cholesky"](h)
            out[f"{dt}/cholesky_upper{n}"] = F["cholesky_upper"](h)
            w, v = F["eigh"](h)
            out[f"{dt}/eigh_w{n}"] = w
            out[f"{dt}/eigh_res{n}"] = resid(h @ v, v * w)
            out[f"{dt}/eigh_orth{n}"] = resid(v.conj().T @ v, np.eye(n))
            out[f"{dt}/eigvalsh_U{n}"] = F["eigvalsh_U"](h)
            w, v = F["eig"](a)
            out[f"{dt}/eig_w{n}"] = np.sort_complex(w.astype(np.complex128))
            out[f"{dt}/eig_res{n}"] = resid(a @ v, v * w)
            out[f"{dt}/eig_norm{n}"] = resid(np.linalg.norm(v, axis=0), np.ones(n))
            out[f"{dt}/eigvals{n}"] = np.sort_complex(F["eigvals"](a).astype(np.complex128))
        for m, n in ((1, 1), (9, 4), (4, 9), (120, 70), (70, 120)):
            a = rand((m, n), dt)
            k = min(m, n)
            for mode in ("reduced", "complete"):
                q, r = F["qr"](a, mode=mode)
                out[f"{dt}/qr_{mode}_res{m}x{n}"] = resid(q @ r, a)
                out[f"{dt}/qr_{mode}_orth{m}x{n}"] = resid(q.conj().T @ q, np.eye(q.shape[1]))
                out[f"{dt}/qr_{mode}_absdiag{m}x{n}"] = np.abs(np.diag(r))
            out[f"{dt}/qr_r{m}x{n}"] = np.abs(F["qr_r"](a))
            u, s, vh = F["svd"](a)
            out[f"{dt}/svd_s{m}x{n}"] = s
            out[f"{dt}/svd_res{m}x{n}"] = resid((u[:, :k] * s) @ vh[:k], a)
            out[f"{dt}/svd_orth{m}x{n}"] = resid(u.conj().T @ u, np.eye(m)) + resid(vh @ vh.conj().T, np.eye(n))
            us, ss, vhs = F["svd_thin"](a)
            out[f"{dt}/svd_thin_res{m}x{n}"] = resid((us * ss) @ vhs, a)
            out[f"{dt}/svdvals{m}x{n}"] = F["svdvals"](a)
            out[f"{dt}/pinv{m}x{n}"] = F["pinv"](a)
            b = rand((m, 3), dt)
            x, res, rank, sv = F["lstsq"](a, b)
            out[f"{dt}/lstsq_x{m}x{n}"] = x
            out[f"{dt}/lstsq_res{m}x{n}"] = np.asarray(res)
            out[f"{dt}/lstsq_rank{m}x{n}"] = np.array(rank)
            out[f"{dt}/lstsq_s{m}x{n}"] = sv
    np.savez(sys.argv[1], **out)
    """
    % (DTYPES,)
)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("typed_lapack")
    return run_npz(tmp, CHILD, False), run_npz(tmp, CHILD, True)


def test_every_routine_reaches_oxblas(results):
    _, (_, trace) = results
    reached = {line.split()[1].split("(")[0] for line in trace.splitlines() if line.startswith("OXBLAS_VERBOSE ")}
    for t, c in (("s", False), ("d", False), ("c", True), ("z", True)):
        # ?gesv traces its two steps, ?getrf and ?getrs.
        names = ["getrf", "getrs", "potrf", "geqrf", "ungqr" if c else "orgqr", "heevd" if c else "syevd", "geev", "gesdd", "gelsd"]
        missing = [t + r for r in names if t + r not in reached]
        assert not missing, f"not reached: {missing}"


def tolerance(key):
    return 2e-3 if key.startswith(("float32", "complex64")) else 1e-9


@pytest.mark.parametrize("dtype", DTYPES)
def test_results_match_stock_or_satisfy_their_equations(results, dtype):
    (stock, _), (ox, _) = results
    assert set(stock) == set(ox)
    for key in sorted(k for k in stock if k.startswith(dtype + "/")):
        tol = tolerance(key)
        if any(tag in key for tag in ("_res", "_orth", "_norm")) and not key.split("/")[1].startswith("lstsq"):
            # A relative residual: zero up to rounding, for oxblas as for stock.
            assert ox[key] < tol, f"{key}: {ox[key]}"
            continue
        want, got = stock[key], ox[key]
        assert got.shape == want.shape and got.dtype == want.dtype, key
        scale = max(1.0, float(np.abs(want).max())) if want.size else 1.0
        err = float(np.abs(got - want).max()) / scale if want.size else 0.0
        # Inverses, solves and pseudo-inverses carry the condition number of random
        # matrices: compare them more loosely than backward-stable quantities.
        factor = 100 if any(t in key for t in ("inv", "solve", "lstsq_x", "eig")) else 1
        assert err < tol * factor, f"{key}: {err}"


def test_errors_are_reported_not_crashes(tmp_path):
    code = textwrap.dedent(
        """
        import numpy as np
        for dt in ("float32", "complex128"):
            try:
                np.linalg.cholesky(-np.eye(3, dtype=dt))
                print("no error")
            except np.linalg.LinAlgError as e:
                print("LinAlgError", e)
            try:
                np.linalg.solve(np.zeros((3, 3), dt), np.ones(3, dt))
                print("no error")
            except np.linalg.LinAlgError as e:
                print("LinAlgError", e)
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["LD_PRELOAD"] = str(LIB)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("LinAlgError") == 4, proc.stdout
