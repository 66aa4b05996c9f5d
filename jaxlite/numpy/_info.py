"""The Array API 2025.12 inspection namespace: `__array_namespace_info__()`."""

from .. import dtypes
from ..core.array import CPU

__all__ = ["__array_namespace_info__"]

# NumPy's NPY_MAXDIMS: jaxlite arrays are NumPy arrays underneath.
_MAX_DIMENSIONS = 64

_DTYPES_OF_KIND = {
    "bool": dtypes.bool_dtypes,
    "signed integer": dtypes.signed_integer_dtypes,
    "unsigned integer": dtypes.unsigned_integer_dtypes,
    "integral": dtypes.integer_dtypes,
    "real floating": dtypes.real_floating_dtypes,
    "complex floating": dtypes.complex_floating_dtypes,
    "numeric": dtypes.numeric_dtypes,
}


def _check_device(device):
    if device is not None and device != CPU:
        raise ValueError(f"unknown device {device!r}; jaxlite has only {CPU!r}")


def _dtypes_of(kind):
    if kind is None:
        return dtypes.all_dtypes
    kinds = kind if isinstance(kind, tuple) else (kind,)
    for k in kinds:
        if k not in _DTYPES_OF_KIND:
            raise ValueError(f"dtypes(): unknown kind {k!r}; expected one of {sorted(_DTYPES_OF_KIND)} or a tuple of them")
    return [d for d in dtypes.all_dtypes if any(d in _DTYPES_OF_KIND[k] for k in kinds)]


class Info:
    """What jaxlite.numpy supports, as the Array API's inspection functions report it."""

    __module__ = "jaxlite.numpy"
    __slots__ = ()

    def capabilities(self):
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": _MAX_DIMENSIONS}

    def default_device(self):
        return CPU

    def devices(self):
        return (CPU,)

    def default_dtypes(self, *, device=None):
        _check_device(device)
        return {
            "real floating": dtypes.default_float,
            "complex floating": dtypes.default_complex,
            "integral": dtypes.default_int,
            "indexing": dtypes.default_index,
        }

    def dtypes(self, *, device=None, kind=None):
        _check_device(device)
        return {d.name: d for d in _dtypes_of(kind)}

    def __repr__(self):
        return "jaxlite.numpy.__array_namespace_info__()"


def __array_namespace_info__():
    return Info()
