"""NumPy front ends of the VM functions: float64 arrays of any shape and layout."""

import ctypes

import numpy as np

from ._lib import lib

_P = ctypes.c_void_p
_I = ctypes.c_int64


def _functions(name):
    library = lib()
    flat = getattr(library, f"vd{name}_64")
    flat.argtypes, flat.restype = [_I, _P, _P], None
    strided = getattr(library, f"vd{name}I_64")
    strided.argtypes, strided.restype = [_I, _P, _I, _P, _I], None
    return flat, strided


def _same_flat_layout(x, out):
    """Both arrays are one block of memory laid out in the same element order."""
    return (x.flags.c_contiguous and out.flags.c_contiguous) or (
        x.flags.f_contiguous and out.flags.f_contiguous
    )


def _pointer(a):
    """a's first element as a pointer argument. Through the buffer protocol where a is
    one writable C-ordered block: a fraction of the cost of `ndarray.ctypes`, which
    was most of a small call's time. Otherwise (read-only, Fortran-ordered) by ctypes."""
    try:
        return ctypes.byref(ctypes.c_char.from_buffer(a))
    except (TypeError, ValueError, BufferError):
        return a.ctypes.data


def _step(a):
    """The element stride of a 1-D array, if the call can use it directly."""
    s = a.strides[0]
    return s // 8 if s > 0 and s % 8 == 0 else None


def make(name, numpy_name):
    fns = []

    def apply(x, out=None):
        x = np.asarray(x)
        if x.dtype != np.float64:
            raise TypeError(f"oxblas.{numpy_name} takes float64 arrays, not {x.dtype}")
        if out is None:
            out = np.empty_like(x)
        elif not isinstance(out, np.ndarray) or out.dtype != np.float64 or out.shape != x.shape:
            raise TypeError(f"oxblas.{numpy_name}: out must be a float64 array of shape {x.shape}")
        elif not out.flags.writeable:
            raise ValueError(f"oxblas.{numpy_name}: out is read-only")
        if x.size == 0:
            return out
        if not fns:
            fns.extend(_functions(name))
        flat, strided = fns
        if _same_flat_layout(x, out):
            flat(x.size, _pointer(x), _pointer(out))
        elif x.ndim == 1 and _step(x) and _step(out):
            strided(x.size, x.ctypes.data, _step(x), out.ctypes.data, _step(out))
        elif np.shares_memory(x, out) and not (x.ctypes.data == out.ctypes.data and x.strides == out.strides):
            # Overlapping in another layout: compute into fresh memory, then copy.
            out[...] = apply(np.ascontiguousarray(x))
        else:
            # Any other layout: row by row over the last axis.
            for index in np.ndindex(*x.shape[:-1]):
                xr, orow = x[index], out[index]
                if _step(xr) and _step(orow):
                    strided(xr.size, xr.ctypes.data, _step(xr), orow.ctypes.data, _step(orow))
                else:
                    orow[...] = apply(np.ascontiguousarray(xr))
        return out

    apply.__name__ = numpy_name
    apply.__doc__ = (
        f"Elementwise {numpy_name} of a float64 array on oxblas's vd{name}: within 1 ulp, "
        f"vectorised and multithreaded. Any shape and layout; `out` may be `x` itself."
    )
    return apply
