"""The Array API inspection namespace: __array_namespace_info__()."""

from .. import dtypes
from ..core.array import CPU

__all__ = ["__array_namespace_info__"]

_KIND_TABLE = {
    "bool": dtypes.bool_dtypes,
    "signed integer": dtypes.signed_integer_dtypes,
    "unsigned integer": dtypes.unsigned_integer_dtypes,
    "integral": dtypes.integer_dtypes,
    "real floating": dtypes.real_floating_dtypes,
    "complex floating": dtypes.complex_floating_dtypes,
    "numeric": dtypes.numeric_dtypes,
}


class Info:
    """What this namespace supports, as the Array API's inspection functions report it."""

    __module__ = "jaxlite.numpy"

    def capabilities(self):
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        return CPU

    def devices(self):
        return [CPU]

    def _check_device(self, device):
        if device not in (None, CPU):
            raise ValueError(f"unknown device {device!r}; jaxlite has only {CPU!r}")

    def default_dtypes(self, *, device=None):
        self._check_device(device)
        return {
            "real floating": dtypes.default_float,
            "complex floating": dtypes.default_complex,
            "integral": dtypes.default_int,
            "indexing": dtypes.default_index,
        }

    def dtypes(self, *, device=None, kind=None):
        self._check_device(device)
        if kind is None:
            chosen = dtypes.all_dtypes
        else:
            kinds = kind if isinstance(kind, tuple) else (kind,)
            chosen = [d for d in dtypes.all_dtypes if any(_matches(d, k) for k in kinds)]
        return {d.name: d for d in chosen}


def _matches(dtype, kind):
    if isinstance(kind, str):
        if kind not in _KIND_TABLE:
            raise ValueError(f"dtypes(): unknown kind {kind!r}; expected one of {sorted(_KIND_TABLE)}")
        return dtype in _KIND_TABLE[kind]
    return dtype == dtypes.canonicalize_dtype(kind)


def __array_namespace_info__():
    return Info()
