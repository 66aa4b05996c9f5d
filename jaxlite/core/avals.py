"""Abstract values: what a transform knows about an array (its shape, dtype, weak type)."""

import math

import numpy as np

__all__ = ["ShapedArray", "short_dtype_name"]

_SHORT_KIND = {"f": "f", "i": "i", "u": "u", "c": "c"}


def short_dtype_name(dtype):
    """JAX's short spelling of a dtype in jaxprs: f64, i32, u8, c128, bool."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return "bool"
    return f"{_SHORT_KIND[dtype.kind]}{dtype.itemsize * 8}"


_new = object.__new__


class ShapedArray:
    """The type of an array value in a jaxpr. Weak types follow NumPy 2's Python scalars."""

    __slots__ = ("shape", "dtype", "weak_type")

    def __init__(self, shape, dtype, weak_type=False):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.weak_type = bool(weak_type)

    @classmethod
    def of_ndarray(cls, value):
        """The (strong) aval of an ndarray, skipping __init__'s conversions; it is on every
        primitive application's path."""
        aval = _new(cls)
        aval.shape, aval.dtype, aval.weak_type = value.shape, value.dtype, False
        return aval

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return math.prod(self.shape)

    def update(self, shape=None, dtype=None, weak_type=None):
        return ShapedArray(
            self.shape if shape is None else shape,
            self.dtype if dtype is None else dtype,
            self.weak_type if weak_type is None else weak_type,
        )

    def strip_weak_type(self):
        return self.update(weak_type=False) if self.weak_type else self

    def str_short(self):
        return f"{short_dtype_name(self.dtype)}[{','.join(map(str, self.shape))}]"

    def __eq__(self, other):
        return (
            type(other) is ShapedArray
            and self.shape == other.shape
            and self.dtype == other.dtype
            and self.weak_type == other.weak_type
        )

    def __hash__(self):
        return hash((self.shape, self.dtype, self.weak_type))

    def __repr__(self):
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapedArray({self.str_short()}{weak})"
