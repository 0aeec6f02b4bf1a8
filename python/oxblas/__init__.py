"""oxblas from Python.

- ``oxblas.exp``, ``log``, ``log10``, ``sqrt``, ``square``, ``expm1``, ``log1p``
  ``(x, out=None)``: float64 arrays of any shape and layout through the library's VM
  functions (≤ 1 ulp, all cores, full vector width).
- ``python -m oxblas run script.py [args]`` (or ``oxblas-run``): run a program with
  oxblas preloaded, so unmodified NumPy / SciPy code uses it for BLAS and LAPACK.
- ``oxblas.info()``: library path, version, kernel path, thread count.
- ``threadpoolctl`` sees the library (``user_api="blas"``, ``internal_api="oxblas"``)
  once this package is imported.
"""

from . import _lib, _threadpoolctl
from ._vm import make as _make

exp = _make("Exp", "exp")
log = _make("Ln", "log")
log10 = _make("Log10", "log10")
sqrt = _make("Sqrt", "sqrt")
square = _make("Sqr", "square")
expm1 = _make("Expm1", "expm1")
log1p = _make("Log1p", "log1p")

__all__ = ["exp", "log", "log10", "sqrt", "square", "expm1", "log1p", "info", "library_path",
           "set_num_threads", "get_num_threads"]


def library_path():
    """The liboxblas.so this process uses."""
    return _lib.path()


def set_num_threads(n):
    """Threads for subsequent calls (n < 1 restores the default)."""
    _lib.lib().oxblas_set_num_threads(int(n))


def get_num_threads():
    return _lib.lib().oxblas_get_num_threads()


def info():
    """Library path, version, kernel path in use and thread count."""
    lib = _lib.lib()
    config = lib.oxblas_get_config().decode()
    return {
        "library": library_path(),
        "version": config.split()[1],
        "kernel": lib.openblas_get_corename().decode(),
        "num_threads": lib.oxblas_get_num_threads(),
        "config": config,
    }


_threadpoolctl.register()
