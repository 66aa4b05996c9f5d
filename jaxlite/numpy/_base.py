"""Helpers shared by the jaxlite.numpy modules: operands, promotion, broadcasting, axes.

Every jaxlite.numpy function runs eagerly on NumPy when no transform is active (the fast
path, `tracing()` is False) and is otherwise a composition of jaxlite.lax primitives.
"""

import numpy as np

from .. import dtypes, lax
from ..core import Array, Tracer, current_trace, get_aval, to_numpy, wrap

__all__ = [
    "Array", "Tracer", "wrap", "to_numpy", "get_aval", "tracing", "operand", "operands",
    "promote", "convert", "broadcast_shapes", "broadcast_to_shape", "broadcast_operands",
    "normalize_axis", "normalize_axes", "shape_of", "result_dtype", "is_concrete", "python_scalar_types",
]

python_scalar_types = (bool, int, float, complex)
# Default dtypes whose values a weak Python scalar can stand for.
_WEAK_PYTHON_TYPES = {dtypes.default_int: int, dtypes.default_float: float, dtypes.default_complex: complex}


def tracing():
    return current_trace() is not None


def operand(x, fname, argname="x"):
    """A value jaxlite functions accept: tracers, Arrays, NumPy values, Python scalars.

    Nested lists/tuples are turned into arrays (stacking any tracers inside them).
    """
    if isinstance(x, (Tracer, Array, np.ndarray, np.generic)) or type(x) in python_scalar_types:
        return x
    if isinstance(x, (list, tuple)):
        from ._creation import asarray  # creation builds on this module

        return asarray(x)
    if hasattr(x, "__array__") or hasattr(x, "__array_interface__"):
        return np.asarray(x)
    if isinstance(x, python_scalar_types):  # subclasses such as IntEnum or numpy-like bools
        return x
    raise TypeError(
        f"{fname}() argument '{argname}' must be an array, a scalar or a (nested) list of them, "
        f"got {type(x).__name__}"
    )


def operands(fname, *xs):
    return [operand(x, fname, f"x{i + 1}" if len(xs) > 1 else "x") for i, x in enumerate(xs)]


def is_concrete(x):
    return not isinstance(x, Tracer)


def _dtype_weak(x):
    if isinstance(x, Tracer):
        aval = x.aval
        return aval.dtype, aval.weak_type
    return dtypes.dtype_and_weak(x)


def result_dtype(*xs):
    """NumPy 2's result dtype of combining operands, and whether it is weak."""
    return dtypes.promote(tuple(_dtype_weak(x) for x in xs))


def convert(x, dtype, weak_type=False):
    """`x` as `dtype`: concrete values are converted now, tracers by a convert_element_type."""
    dtype = np.dtype(dtype)
    if isinstance(x, Tracer):
        if x.aval.dtype == dtype:
            return x
        return lax.convert_element_type(x, dtype, weak_type)
    if type(x) in python_scalar_types:
        if weak_type and dtype in _WEAK_PYTHON_TYPES:
            return _WEAK_PYTHON_TYPES[dtype](x)  # stays a weak Python scalar
        return np.array(x, dtype)[()]  # OverflowError for out-of-range ints, as NumPy 2
    value = to_numpy(x)
    if value.dtype == dtype:
        return x
    with np.errstate(invalid="ignore", over="ignore"):
        converted = np.asarray(value).astype(dtype)
    return converted[()] if converted.ndim == 0 else converted


def promote(fname, *xs):
    """Operands converted to their common NumPy 2 dtype."""
    xs = operands(fname, *xs)
    dtype, weak = result_dtype(*xs)
    return [convert(x, dtype, weak) for x in xs]


def shape_of(x):
    return x.shape if isinstance(x, (Tracer, Array, np.ndarray, np.generic)) else np.shape(x)


def broadcast_shapes(fname, *shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        shown = " ".join(str(tuple(s)) for s in shapes)
        raise ValueError(f"{fname}: operands could not be broadcast together with shapes {shown}") from None


def broadcast_to_shape(x, shape):
    """Broadcast `x` to `shape` with a broadcast_in_dim (NumPy's trailing-axis alignment)."""
    x_shape = shape_of(x)
    if tuple(x_shape) == tuple(shape):
        return x
    lead = len(shape) - len(x_shape)
    keep = [i for i, size in enumerate(x_shape) if size == shape[lead + i]]
    if len(keep) != len(x_shape):
        x = lax.reshape(x, [x_shape[i] for i in keep])
    return lax.broadcast_in_dim(x, shape, [lead + i for i in keep])


def broadcast_operands(fname, *xs, keep_scalars=True):
    """Broadcast operands to one shape; rank-0 operands stay as they are if `keep_scalars`."""
    shapes = [shape_of(x) for x in xs]
    shape = broadcast_shapes(fname, *shapes)
    return [x if (keep_scalars and s == ()) else broadcast_to_shape(x, shape) for x, s in zip(xs, shapes)]


def normalize_axis(axis, ndim, fname, argname="axis"):
    try:
        axis = int(axis.__index__())
    except (AttributeError, TypeError):
        raise TypeError(f"{fname}() argument '{argname}' must be an integer, got {type(axis).__name__}") from None
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim, f"{fname}() {argname}")
    return axis % ndim if ndim else 0


def normalize_axes(axis, ndim, fname, argname="axis"):
    """`axis` (None, an int or a sequence of ints) as a sorted tuple of distinct axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = tuple(normalize_axis(a, ndim, fname, argname) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"{fname}(): repeated axis in '{argname}' {tuple(axis)}")
        return tuple(sorted(axes))
    return (normalize_axis(axis, ndim, fname, argname),)
