"""Operators, properties and NumPy-style methods of Array and Tracer, installed at import.

Both classes get the same operator table, so `x + y` means `jaxlite.numpy.add(x, y)` for a
concrete Array and for a tracer alike. Array additionally mutates in place (`x += 1`,
`x[i] = v`) as NumPy does; tracers rebind instead.
"""

import operator

from .. import dtypes, lax
from ..core import Array, Tracer, to_numpy, wrap
from . import _contractions, _index_functions, _indexing, _manipulation, _rearranging, _reductions, _sorting, _ufuncs
from ._base import convert, fresh

__all__ = ["install"]


def _reflected(fn):
    def reflected(self, other):
        return fn(other, self)

    reflected.__name__ = f"r{fn.__name__}"
    return reflected


# dunder name -> function(self, other); the reflected form is derived.
_BINARY_OPERATORS = {
    "add": _ufuncs.add,
    "sub": _ufuncs.subtract,
    "mul": _ufuncs.multiply,
    "truediv": _ufuncs.divide,
    "floordiv": _ufuncs.floor_divide,
    "mod": _ufuncs.remainder,
    "pow": _ufuncs.power,
    "matmul": _contractions.matmul,
    "and": _ufuncs.bitwise_and,
    "or": _ufuncs.bitwise_or,
    "xor": _ufuncs.bitwise_xor,
    "lshift": _ufuncs.left_shift,
    "rshift": _ufuncs.right_shift,
    "divmod": _ufuncs.divmod,
}

_COMPARISONS = {
    "eq": _ufuncs.equal,
    "ne": _ufuncs.not_equal,
    "lt": _ufuncs.less,
    "le": _ufuncs.less_equal,
    "gt": _ufuncs.greater,
    "ge": _ufuncs.greater_equal,
}

_UNARY_OPERATORS = {
    "neg": _ufuncs.negative,
    "pos": _ufuncs.positive,
    "abs": _ufuncs.absolute,
    "invert": _ufuncs.invert,
}

# In-place operators of a concrete Array: NumPy's, on the wrapped ndarray.
_INPLACE = {
    "add": operator.iadd,
    "sub": operator.isub,
    "mul": operator.imul,
    "truediv": operator.itruediv,
    "floordiv": operator.ifloordiv,
    "mod": operator.imod,
    "pow": operator.ipow,
    "matmul": operator.imatmul,
    "and": operator.iand,
    "or": operator.ior,
    "xor": operator.ixor,
    "lshift": operator.ilshift,
    "rshift": operator.irshift,
}


def _inplace(name, numpy_op, functional):
    def inplace(self, other):
        if isinstance(other, Tracer):
            return functional(self, other)  # rebinds the name; the concrete array is untouched
        numpy_op(self._value, to_numpy(other))
        return self

    inplace.__name__ = f"__i{name}__"
    return inplace


# method name -> function(self, ...): NumPy's ndarray methods.
_METHODS = {
    "all": _reductions.all,
    "any": _reductions.any,
    "argmax": _reductions.argmax,
    "argmin": _reductions.argmin,
    "cumsum": _reductions.cumsum,
    "cumprod": _reductions.cumprod,
    "max": _reductions.max,
    "min": _reductions.min,
    "mean": _reductions.mean,
    "prod": _reductions.prod,
    "ptp": _reductions.ptp,
    "std": _reductions.std,
    "sum": _reductions.sum,
    "var": _reductions.var,
    "argsort": _sorting.argsort,
    "clip": _ufuncs.clip,
    "conj": _ufuncs.conjugate,
    "conjugate": _ufuncs.conjugate,
    "round": _ufuncs.round,
    "dot": _contractions.dot,
    "diagonal": _rearranging.diagonal,
    "trace": _rearranging.trace,
    "ravel": _manipulation.ravel,
    "repeat": _rearranging.repeat,
    "squeeze": _manipulation.squeeze,
    "swapaxes": _manipulation.swapaxes,
    "take": _index_functions.take,
}


def _reshape(self, *shape, order="C", copy=None):
    shape = shape[0] if len(shape) == 1 and not isinstance(shape[0], int) else shape
    return _manipulation.reshape(self, shape, order=order, copy=copy)


def _transpose(self, *axes):
    axes = axes[0] if len(axes) == 1 and not isinstance(axes[0], int) else axes
    return _manipulation.transpose(self, axes or None)


# astype, copy and flatten make new arrays: under a transform they are values of the current
# trace (`fresh`), so item assignment on them is recorded even when `self` is concrete.


def _astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True, *, device=None):
    if isinstance(self, Tracer):
        dtype = dtypes.canonicalize_dtype(dtype)
        return fresh(convert(self, dtype)) if self.dtype != dtype else fresh(lax.copy(self)) if copy else self
    out = self._value.astype(dtype, order=order, casting=casting, copy=copy)
    return self if out is self._value else fresh(wrap(out))


def _copy(self, order="C"):
    if isinstance(self, Tracer):
        return fresh(lax.copy(self))
    return fresh(wrap(self._value.copy(order=order)))


def _flatten(self, order="C"):
    if isinstance(self, Tracer):
        return fresh(_manipulation.ravel(self, order=order))
    return fresh(wrap(self._value.flatten(order)))


def _sort(self, axis=-1, kind=None, order=None, *, stable=None):
    """NumPy's ndarray.sort sorts in place; an Array does too, a tracer is rebound."""
    result = _sorting.sort(self, axis=axis, kind=kind, order=order, stable=stable)
    if isinstance(self, Tracer):
        self._become(result, "x.sort()")
        return None
    self._value[...] = result._value
    return None


def _fill(self, value):
    if isinstance(self, Tracer) or isinstance(value, Tracer):
        raise TypeError("Array.fill mutates in place; inside transformed code use jnp.full_like(x, value)")
    self._value.fill(to_numpy(value))


def _array_namespace(self, /, *, api_version=None):
    if api_version not in (None, "2021.12", "2022.12", "2023.12", "2024.12", "2025.12"):
        raise ValueError(f"__array_namespace__: unsupported api_version {api_version!r}")
    import jaxlite.numpy

    return jaxlite.numpy


_PROPERTIES = {
    "T": property(lambda self: _manipulation.transpose(self)),
    "mT": property(lambda self: _manipulation.matrix_transpose(self)),
    "real": property(lambda self: _ufuncs.real(self)),
    "imag": property(lambda self: _ufuncs.imag(self)),
    "at": property(_indexing.IndexUpdateHelper),
    "flat": property(lambda self: _manipulation.ravel(self)),
}


def install():
    """Give Array and Tracer their operators, properties and methods."""
    for cls in (Array, Tracer):
        for name, fn in _BINARY_OPERATORS.items():
            setattr(cls, f"__{name}__", fn)
            setattr(cls, f"__r{name}__", _reflected(fn))
        for name, fn in _COMPARISONS.items():
            setattr(cls, f"__{name}__", fn)
        for name, fn in _UNARY_OPERATORS.items():
            setattr(cls, f"__{name}__", fn)
        for name, fn in _METHODS.items():
            setattr(cls, name, fn)
        for name, prop in _PROPERTIES.items():
            setattr(cls, name, prop)
        cls.__getitem__ = _indexing.getitem
        cls.reshape = _reshape
        cls.transpose = _transpose
        cls.astype = _astype
        cls.copy = _copy
        cls.flatten = _flatten
        cls.sort = _sort
        cls.nonzero = lambda self: _searching_nonzero(self)
        cls.__array_namespace__ = _array_namespace
    Array.fill = _fill
    for name, numpy_op in _INPLACE.items():
        setattr(Array, f"__i{name}__", _inplace(name, numpy_op, _BINARY_OPERATORS[name]))


def _searching_nonzero(x):
    from ._searching import nonzero

    return nonzero(x)
