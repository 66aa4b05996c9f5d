"""Input/output and printing: load, save, savez, fromfile, array_repr, array_str and the print
options. Eager only: they wrap NumPy's functions, and loading returns jaxlite Arrays."""

from collections.abc import Mapping

import numpy as np

from ..core import concrete_or_error
from ._base import has_tracer, to_numpy, wrap

__all__ = [
    "load", "save", "savez", "fromfile", "array_repr", "array_str",
    "get_printoptions", "set_printoptions", "printoptions",
]

_EAGER_FIX = "call it outside the transform (or through jaxlite.debug.callback)"


def _value(x, fname, argname):
    """The NumPy value of an eager operand; a ConcretizationTypeError for traced ones."""
    if has_tracer(x) and not hasattr(x, "aval"):
        return np.asarray([_value(item, fname, argname) for item in x])
    return to_numpy(concrete_or_error(x, fname, argname, fix=_EAGER_FIX))


def _arrays(loaded):
    return wrap(np.asarray(loaded)) if isinstance(loaded, np.ndarray) else loaded


class NpzFile(Mapping):
    """The arrays of a .npz file (what `load` returns for one): a lazy mapping from names to
    jaxlite Arrays, closed by `close()` or a `with` block, as numpy.lib.npyio.NpzFile."""

    def __init__(self, npz):
        self._npz = npz
        self.files = npz.files

    def __getitem__(self, key):
        return _arrays(self._npz[key])

    def __iter__(self):
        return iter(self._npz)

    def __len__(self):
        return len(self._npz)

    def __contains__(self, key):
        return key in self._npz

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self._npz.close()

    def __repr__(self):
        return f"jaxlite {self._npz!r}"


def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding="ASCII", **kwargs):
    """Arrays (an Array, or an NpzFile of them) or pickled objects from a .npy/.npz/pickle file."""
    loaded = np.load(file, mmap_mode=mmap_mode, allow_pickle=allow_pickle, fix_imports=fix_imports,
                     encoding=encoding, **kwargs)
    return NpzFile(loaded) if isinstance(loaded, np.lib.npyio.NpzFile) else _arrays(loaded)


def save(file, arr, allow_pickle=True, **kwargs):
    """Write one array to a .npy file."""
    np.save(file, _value(arr, "save", "arr"), allow_pickle=allow_pickle, **kwargs)


def savez(file, *args, allow_pickle=True, **kwds):
    """Write several arrays (positional ones named arr_0, arr_1, ...) to an uncompressed .npz file."""
    args = [_value(a, "savez", f"arr_{i}") for i, a in enumerate(args)]
    kwds = {name: _value(a, "savez", name) for name, a in kwds.items()}
    np.savez(file, *args, allow_pickle=allow_pickle, **kwds)


def fromfile(file, dtype=float, count=-1, sep="", offset=0, *, like=None):
    """An array read from a binary or text file, as numpy.fromfile."""
    if like is not None:
        raise TypeError("fromfile(): like= is not supported by jaxlite")
    return wrap(np.fromfile(file, dtype=dtype, count=count, sep=sep, offset=offset))


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    """The text repr(arr) shows (`Array([...], dtype=...)`), with the given print options."""
    value = np.asarray(_value(arr, "array_repr", "arr"))
    if value.size == 0 and value.shape != (0,):
        body = f"[], shape={value.shape}"
    else:
        body = np.array2string(value, max_line_width, precision, suppress_small, separator=", ", prefix="Array(")
    return f"Array({body}, dtype={value.dtype})"


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    """The text str(a) shows, with the given print options."""
    return np.array_str(np.asarray(_value(a, "array_str", "a")), max_line_width, precision, suppress_small)


def get_printoptions():
    """The current print options (shared with NumPy: jaxlite Arrays print through it)."""
    return np.get_printoptions()


def set_printoptions(*args, **kwargs):
    """Set the print options (those of NumPy, which jaxlite Arrays print through)."""
    np.set_printoptions(*args, **kwargs)


def printoptions(*args, **kwargs):
    """A context manager setting print options inside a `with` block."""
    return np.printoptions(*args, **kwargs)
