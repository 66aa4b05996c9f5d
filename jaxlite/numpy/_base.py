"""Helpers shared by the jaxlite.numpy modules: operands, static arguments, eager NumPy calls,
promotion, broadcasting, axes, and a few lax building blocks.

Every jaxlite.numpy function runs eagerly on NumPy when no transform is active (the fast
path, `tracing()` is False) and is otherwise a composition of jaxlite.lax primitives.
"""

import operator

import numpy as np

from .. import dtypes, lax
from ..core import Array, ConcretizationTypeError, Tracer, TracerArrayConversionError, concrete_or_error
from ..core import current_trace, lift_to_current_trace, to_numpy, wrap

__all__ = [
    "Array", "Tracer", "wrap", "to_numpy", "tracing", "python_scalar_types", "fresh",
    # operands
    "has_tracer", "operand", "operands", "array_operand",
    # static arguments
    "static_int", "static_ints", "static_shape", "dtype_arg",
    # eager NumPy calls and the functions' names
    "eager", "numpy_error", "NUMPY_ERRORS", "no_out", "named",
    # dtypes and promotion
    "result_dtype", "convert", "promote", "cast_scalar", "sum_dtype",
    # shapes and broadcasting
    "shape_of", "broadcast_shapes", "broadcast_to_shape", "broadcast_operands",
    # axes
    "normalize_axis", "normalize_axes",
    # lax building blocks
    "filled", "where_scalar", "as_1d", "slice_axis", "gather_axis", "take_static",
]

python_scalar_types = (bool, int, float, complex)
# Default dtypes whose values a weak Python scalar can stand for.
_WEAK_PYTHON_TYPES = {dtypes.default_int: int, dtypes.default_float: float, dtypes.default_complex: complex}
_TRACER_OR_SEQUENCE = (Tracer, list, tuple)


def tracing():
    return current_trace() is not None


def fresh(x):
    """`x` (an array, or a tuple of them) that a creation function just made, as a value of
    the current trace, so that item assignment on it is recorded: `y = zeros(3); y[0] = t`
    works under every transform. Eagerly, and for the current trace's own tracers, `x` itself."""
    trace = current_trace()
    if trace is None:
        return x
    if type(x) is tuple:
        return tuple(map(fresh, x))
    if isinstance(x, Tracer) and x._trace is trace:
        return x
    if type(x) is np.ndarray:
        x = wrap(x)
    return lift_to_current_trace(x) if isinstance(x, Array) else x  # Arrays and tracers


# ---------------------------------------------------------------- operands


def has_tracer(obj):
    """Whether `obj` is a tracer or a (nested) list or tuple holding one."""
    kind = type(obj)
    if kind is tuple or kind is list:  # exact types first: eager x[i, j] runs this
        for item in obj:
            if has_tracer(item):
                return True
        return False
    if not isinstance(obj, _TRACER_OR_SEQUENCE):
        return False
    return isinstance(obj, Tracer) or has_tracer(tuple(obj))  # a tracer, or a namedtuple & co.


def operand(x, fname, argname="x"):
    """A value jaxlite functions accept: tracers, Arrays, NumPy values, Python scalars.

    Nested lists/tuples are turned into arrays (stacking any tracers inside them).
    """
    if isinstance(x, (Tracer, Array, np.ndarray, np.generic)) or type(x) in python_scalar_types:
        return x
    if isinstance(x, (list, tuple)):
        from ._creation import _convert  # creation builds on this module

        return _convert(fname, x, None, None, None)
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


def array_operand(x, fname, argname="a"):
    """`x` as a tracer or an Array, so that it has a shape and a (strong) dtype: NumPy values,
    Python scalars and nested lists become Arrays (lists holding tracers are stacked)."""
    if type(x) is Array or isinstance(x, Tracer):
        return x
    if type(x) is np.ndarray:
        return wrap(x)
    if isinstance(x, (list, tuple)) and not has_tracer(x):
        return wrap(np.asarray(x))
    x = operand(x, fname, argname)
    return x if isinstance(x, Array) else wrap(np.asarray(x))  # isinstance: Arrays and tracers


# ---------------------------------------------------------------- static arguments


def static_int(value, fname, argname):
    """A shape-deciding integer argument as a Python int (it must be concrete)."""
    value = concrete_or_error(value, fname, argname)
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{fname}() argument '{argname}' must be an integer, got {value!r}") from None


def static_ints(value, fname, argname):
    """A shape-deciding argument as Python ints: an int, or (nested) tuples of ints."""
    if type(value) is int or (type(value) is tuple and all(type(v) is int for v in value)):
        return value
    value = concrete_or_error(value, fname, argname)
    if isinstance(value, (list, tuple)):
        return tuple(static_ints(v, fname, argname) for v in value)
    value = to_numpy(value)
    if np.ndim(value) > 0:
        return static_ints(np.asarray(value).tolist(), fname, argname)
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{fname}() argument '{argname}' must be integers, got {value!r}") from None


def static_shape(shape, fname, argname="shape"):
    """A shape argument (an int or a flat sequence of ints, concrete) as a tuple of Python ints."""
    if type(shape) is int:
        return (shape,)
    if type(shape) is tuple and all(type(d) is int for d in shape):
        return shape
    dims = static_ints(shape, fname, argname)
    dims = (dims,) if type(dims) is int else dims
    if not all(type(d) is int for d in dims):
        raise TypeError(f"{fname}() argument '{argname}' must be an int or a sequence of ints, got {shape!r}")
    return dims


def dtype_arg(dtype, fname, default=None):
    """The canonical dtype `dtype` names (`default` for None); TypeError for unsupported ones."""
    if dtype is None:
        return default
    try:
        return dtypes.canonicalize_dtype(dtype)
    except TypeError as err:
        raise TypeError(f"{fname}(): {err}") from None


# ---------------------------------------------------------------- eager NumPy calls, names

# The errors NumPy raises for bad arguments, most specific first.
NUMPY_ERRORS = (np.exceptions.AxisError, ValueError, TypeError, IndexError, OverflowError, ZeroDivisionError)
# jaxlite's own TypeErrors (tracer misuse) already say what to do; they pass unchanged.
_OWN_ERRORS = (ConcretizationTypeError, TracerArrayConversionError)


def numpy_error(error, fname, context=""):
    """NumPy's `error` again, its message naming `fname` (then `context`): of the same class
    where that takes a message alone, else of the built-in class it derives from."""
    if isinstance(error, _OWN_ERRORS) or not isinstance(error, NUMPY_ERRORS):
        return error
    message = f"{fname}(): {error}{context}"
    try:
        return type(error)(message)
    except TypeError:  # e.g. NumPy's UFuncTypeError subclasses, built from the ufunc and dtypes
        return next(c for c in NUMPY_ERRORS if isinstance(error, c))(message)


def eager(fname, call, check=None):
    """`call()`, which runs NumPy. Where NumPy refuses the arguments, `check()` (jaxlite's own
    checks) raises a message naming the argument and shapes; else NumPy's error is raised,
    naming `fname`. (The hottest paths inline this: try NumPy, except NUMPY_ERRORS raise
    numpy_error(...), saving the closure.)"""
    try:
        return call()
    except NUMPY_ERRORS as error:
        refused = error
    if check is not None:
        check()
    raise numpy_error(refused, fname) from None


def no_out(out, fname):
    if out is not None:
        raise TypeError(f"{fname}(): 'out' cannot be used inside a transform, as out= cannot receive a traced "
                        "result; use the returned array instead")


def named(function, name, doc=None):
    """`function` (made by a factory) under its public name (and docstring)."""
    function.__name__ = function.__qualname__ = name
    if doc is not None:
        function.__doc__ = doc
    return function


# ---------------------------------------------------------------- dtypes and promotion


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


def cast_scalar(value, dtype):
    """A rank-0 `value` (Python, NumPy or traced) as `dtype`, cast unsafely as NumPy's
    reductions and fills cast it."""
    if isinstance(value, Tracer):
        return convert(value, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.asarray(to_numpy(value)).astype(dtype)


def sum_dtype(dtype):
    """NumPy's default accumulator of sums: bool and small ints widen to 64 bits, others stay."""
    if dtype.kind == "b" or (dtype.kind == "i" and dtype.itemsize < 8):
        return np.dtype(np.int64)
    return np.dtype(np.uint64) if dtype.kind == "u" and dtype.itemsize < 8 else dtype


# ---------------------------------------------------------------- shapes and broadcasting


def shape_of(x):
    return x.shape if isinstance(x, (Tracer, Array, np.ndarray, np.generic)) else np.shape(x)


def broadcast_shapes(fname, *shapes):
    """NumPy's broadcast shape (in plain Python: numpy.broadcast_shapes costs microseconds,
    and every traced elementwise operation asks)."""
    if not shapes:
        return ()
    result = list(shapes[0])
    for shape in shapes[1:]:
        if len(shape) > len(result):
            result[:0] = [1] * (len(shape) - len(result))
        offset = len(result) - len(shape)
        for i, size in enumerate(shape):
            current = result[offset + i]
            if size != current:
                if current == 1:
                    result[offset + i] = size
                elif size != 1:
                    shown = " ".join(str(tuple(s)) for s in shapes)
                    raise ValueError(f"{fname}: operands could not be broadcast together with shapes {shown}")
    return tuple(result)


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


# ---------------------------------------------------------------- axes


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


# ---------------------------------------------------------------- lax building blocks


def filled(shape, value, dtype):
    """An array of `shape` filled with the scalar `value` (Python, NumPy or traced) as `dtype`."""
    return lax.broadcast_in_dim(cast_scalar(value, dtype), shape, ())


def where_scalar(mask, x, fill):
    """`x` where the boolean `mask` (of x's shape) holds, the scalar `fill` elsewhere."""
    return lax.select_n(mask, filled(x.shape, fill, x.dtype), x)


def as_1d(x):
    """`x` flattened to 1-d (a reshape, unless it is 1-d already)."""
    return x if x.ndim == 1 else lax.reshape(x, (x.size,))


def slice_axis(x, start, stop, axis):
    """x[..., start:stop, ...] along `axis` (x itself when that is all of it)."""
    if start == 0 and stop == x.shape[axis]:
        return x
    starts, limits = [0] * x.ndim, list(x.shape)
    starts[axis], limits[axis] = start, stop
    return lax.slice(x, starts, limits)


def gather_axis(x, index, axis):
    """x[..., index, ...] along `axis` for a 1-d integer `index` (clamped into range)."""
    out = lax.gather(x, [index], (axis,))  # the index axis comes first
    perm = (*range(1, axis + 1), 0, *range(axis + 1, out.ndim))
    return out if axis == 0 else lax.transpose(out, perm)


def take_static(x, indices, axis):
    """A new array of x[..., indices, ...] for static in-range indices: slices where they
    form a few runs of consecutive indices, else one gather."""
    indices = np.asarray(indices, np.int64).reshape(-1)
    runs = np.split(indices, np.flatnonzero(np.diff(indices) != 1) + 1) if indices.size else []
    if len(runs) > 4:
        return gather_axis(x, indices, axis)
    pieces = [slice_axis(x, int(r[0]), int(r[-1]) + 1, axis) for r in runs] or [slice_axis(x, 0, 0, axis)]
    if len(pieces) > 1:
        return lax.concatenate(pieces, axis)
    return pieces[0] if tracing() else lax.copy(pieces[0])  # eagerly never a view, as NumPy
