"""Finds and loads liboxblas.so once per process."""

import ctypes
import ctypes.util
import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def candidates():
    """Where the library may be, most specific first."""
    if os.environ.get("OXBLAS_LIB"):
        yield Path(os.environ["OXBLAS_LIB"])
    # In the repository (an editable install, or running from the source tree).
    yield _HERE.parents[1] / "target" / "release" / "liboxblas.so"
    found = ctypes.util.find_library("oxblas")
    if found:
        yield Path(found)
    for prefix in ("/usr/local/lib", "/usr/lib", str(Path.home() / ".local" / "lib")):
        yield Path(prefix) / "liboxblas.so"


_LIB = None
_PATH = None


def _load():
    """The first candidate that loads: (path, handle)."""
    for p in candidates():
        try:
            handle = ctypes.CDLL(str(p), mode=ctypes.RTLD_LOCAL)
            return (str(p.resolve()) if p.is_absolute() else str(p)), handle
        except OSError:
            continue
    raise OSError("liboxblas.so not found: build it (make) or set OXBLAS_LIB=/path/to/liboxblas.so")


def path():
    """The library file this process uses (raises if there is none)."""
    lib()
    return _PATH


def lib():
    global _LIB, _PATH
    if _LIB is None:
        _PATH, _LIB = _load()
        _LIB.oxblas_get_config.restype = ctypes.c_char_p
        _LIB.oxblas_get_num_threads.restype = ctypes.c_int
        _LIB.oxblas_set_num_threads.argtypes = [ctypes.c_int]
        _LIB.openblas_get_corename.restype = ctypes.c_char_p
    return _LIB
