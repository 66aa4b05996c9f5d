"""Array creation: conversion, filled arrays, matrices, grids and buffers.

Eagerly each function calls NumPy and wraps its result. Under a transform the result is a
composition of lax primitives (iota, broadcast_in_dim, select_n, arithmetic, concatenate);
arguments that decide a shape must then be concrete, while values (`fill_value`, the `v` of
`diag`, the elements of a list given to `array`) may be traced. Every result is strongly
typed, as NumPy arrays are, even when built from Python scalars. Under a transform each
result is a value of the current trace (`fresh`), so `y = zeros(3); y[0] = x` is recorded as
an update. The ranges (arange, linspace, ...) are in _ranges.
"""

import itertools
import math

import numpy as np

from .. import dtypes, lax
from ..core import Array, Tracer, concrete_or_error, current_trace, to_numpy, wrap
from ..core.array import CPU
from ._base import (
    NUMPY_ERRORS, broadcast_to_shape, cast_scalar, dtype_arg, eager, filled, fresh, has_tracer, numpy_error,
    operand, shape_of, static_int, tracing, where_scalar,
)

__all__ = [
    "array", "asarray", "asanyarray", "copy", "from_dlpack",
    "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
    "eye", "identity", "tri", "tril", "triu", "diag", "diagflat", "vander",
    "meshgrid", "indices", "fromfunction", "frombuffer", "fromiter", "fromstring",
]

_ORDERS = frozenset("KACFkacf") | {None}
_ORDERS_CF = frozenset("CFcf") | {None}


# ---------------------------------------------------------------- argument checks


def _check(fname, order=None, orders=_ORDERS, device=None, like=None):
    """Refuse what jaxlite cannot honour: unknown orders, devices but the CPU, and like=."""
    if order not in orders:
        shown = "'C' or 'F'" if orders is _ORDERS_CF else "one of 'C', 'F', 'A' or 'K'"
        raise ValueError(f"{fname}(): order must be {shown}, got {order!r}")
    if device is not None and not CPU == device:
        raise ValueError(f"{fname}(): unsupported device {device!r}; jaxlite arrays live on {CPU!r} ('cpu')")
    if like is not None:
        raise TypeError(f"{fname}(): like= is not supported (got a {type(like).__name__}); pass like=None")


def _size(value, fname, argname):
    """A concrete, non-negative Python int."""
    value = static_int(value, fname, argname)
    if value < 0:
        raise ValueError(f"{fname}(): negative dimensions are not allowed, got {argname}={value}")
    return value


def _shape(fname, shape, argname="shape"):
    """`shape` (an int or any sequence of ints, concrete) as a tuple of non-negative ints."""
    if type(shape) is int and shape >= 0:
        return (shape,)
    if type(shape) is tuple:
        for d in shape:
            if type(d) is not int or d < 0:
                break
        else:
            return shape
    shape = concrete_or_error(shape, fname, argname)
    if type(shape) is Array or isinstance(shape, np.ndarray):
        shape = np.asarray(shape).tolist()
    items = (shape,) if hasattr(shape, "__index__") else shape
    try:
        items = list(items)
    except TypeError:
        raise TypeError(f"{fname}() argument '{argname}' must be an int or a sequence of ints, got {shape!r}") from None
    dims = tuple(static_int(d, fname, argname) for d in items)
    if any(d < 0 for d in dims):
        raise ValueError(f"{fname}(): negative dimensions are not allowed, got {argname}={dims}")
    return dims


# ---------------------------------------------------------------- eager and traced building blocks


def _checked(fname, value):
    """An eager NumPy result as an Array, refusing dtypes jaxlite lacks (strings, objects)."""
    canonical = dtype_arg(value.dtype, fname)
    return wrap(value if value.dtype == canonical else value.astype(canonical))


def _strong(x, dtype=None):
    """`x` (tracer or concrete) as a strongly typed value of `dtype` (default: its own)."""
    if isinstance(x, Tracer):
        dtype = x.aval.dtype if dtype is None else dtype
        if x.aval.dtype == dtype and not x.aval.weak_type:
            return x
        return lax.convert_element_type(x, dtype)
    value = np.asarray(to_numpy(x))
    dtypes.canonicalize_dtype(value.dtype)  # strings and objects raise TypeError
    return value if dtype is None else value.astype(dtype)


def _broadcast(fname, x, shape, argname):
    """`x` broadcast (NumPy's rules) to exactly `shape`, as a new traced value."""
    x_shape, shape = tuple(shape_of(x)), tuple(shape)
    try:
        fits = np.broadcast_shapes(x_shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"{fname}(): could not broadcast {argname} of shape {x_shape} into shape {shape}")
    if x_shape == shape:
        return lax.broadcast_in_dim(x, shape, range(len(shape)))  # a new value all the same
    return broadcast_to_shape(x, shape)


def _expand(x, shape):
    """An elementwise lax operand for a result of `shape`: broadcast unless rank 0."""
    return x if shape_of(x) == () else broadcast_to_shape(x, shape)


def _offsets(n, m):
    """The (n, m) int64 array of `column - row`: 0 on the diagonal, k on the k-th."""
    cols = lax.broadcasted_iota(np.int64, (n, m), 1)
    return lax.sub(cols, lax.broadcasted_iota(np.int64, (n, m), 0))


# ---------------------------------------------------------------- conversion


def _leaves(obj):
    if isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _leaves(item)
    else:
        yield obj


def _leaf_dtype(fname, leaf):
    # As in NumPy's array coercion, every element counts with its own (strong) dtype.
    return leaf.aval.dtype if isinstance(leaf, Tracer) else dtype_arg(np.asarray(to_numpy(leaf)).dtype, fname)


def _stack(fname, obj, dtype):
    """A nested list holding tracers as one traced array: rows broadcast, then concatenated."""
    if not isinstance(obj, (list, tuple)):
        return _strong(obj, dtype)
    rows = [_stack(fname, item, dtype) for item in obj]
    shapes = sorted({tuple(r.shape) for r in rows})
    if len(shapes) > 1:
        raise ValueError(f"{fname}(): the nested sequence has an inhomogeneous shape: elements of shapes {shapes}")
    if not any(isinstance(r, Tracer) for r in rows):
        return np.stack(rows) if rows else np.empty((0,), dtype)
    shape = (1, *shapes[0])
    return lax.concatenate([lax.broadcast_in_dim(r, shape, range(1, len(shape))) for r in rows], 0)


def _from_nested(fname, obj, dtype, copy, ndmin=0, ndmax=0):
    if copy is False:
        raise ValueError(f"{fname}(): building an array from a list of traced values needs a copy, but copy=False")
    if dtype is None:
        dtype = dtypes.promote(tuple((_leaf_dtype(fname, x), False) for x in _leaves(obj)))[0]
    out = _stack(fname, obj, dtype)
    if ndmax and out.ndim > ndmax:
        raise ValueError(f"{fname}(): the nested sequence has {out.ndim} dimensions, more than ndmax={ndmax}")
    return lax.reshape(out, (1,) * (ndmin - out.ndim) + out.shape) if out.ndim < ndmin else out


def _from_tracer(fname, x, dtype, copy, ndmin=0):
    out = x
    if (dtype is not None and dtype != x.aval.dtype) or x.aval.weak_type:
        if copy is False and dtype != x.aval.dtype:
            raise ValueError(f"{fname}(): converting {x.aval.str_short()} to {dtype} needs a copy, but copy=False")
        out = _strong(x, dtype)
    if out.ndim < ndmin:
        out = lax.reshape(out, (1,) * (ndmin - out.ndim) + out.shape)
    return lax.copy(x) if copy and out is x else out


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """`a` as an array: an Array or ndarray is shared, not copied, unless a copy is needed
    (a dtype change) or asked for (copy=True); copy=False refuses to copy."""
    if type(a) is Array and dtype is None and copy is None and order is None and device is None and like is None:
        return a if current_trace() is None else fresh(a)
    _check("asarray", order, device=device, like=like)
    return fresh(_convert("asarray", a, dtype, copy, order))


def asanyarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    _check("asanyarray", order, device=device, like=like)
    return fresh(_convert("asanyarray", a, dtype, copy, order))


def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, ndmax=0, like=None):
    """A new array from `object` (shared instead of copied only if copy=None or False)."""
    _check("array", order, like=like)
    return fresh(_convert("array", object, dtype, copy, order, ndmin, ndmax))


def _convert(fname, obj, dtype, copy, order, ndmin=0, ndmax=0):
    """`obj` as an array. (Not yet a value of the current trace: _base.operand converts list
    arguments with this, and they must stay concrete for the functions that need values.)"""
    dtype = dtype_arg(dtype, fname)
    if isinstance(obj, Tracer):
        return _from_tracer(fname, obj, dtype, copy, ndmin)
    if isinstance(obj, (list, tuple)) and tracing() and has_tracer(obj):
        return _from_nested(fname, obj, dtype, copy, ndmin, ndmax)
    value = to_numpy(obj)
    try:
        out = np.array(value, dtype, copy=copy, order=order, ndmin=ndmin, **({"ndmax": ndmax} if ndmax else {}))
    except NUMPY_ERRORS as error:
        raise numpy_error(error, fname) from None
    return obj if out is value and type(obj) is Array else _checked(fname, out)


def copy(a, order="K", subok=False):
    """A copy of `a`, never sharing memory with it."""
    _check("copy", order)
    if isinstance(a, Tracer) or (isinstance(a, (list, tuple)) and tracing() and has_tracer(a)):
        return fresh(_convert("copy", a, None, True, order))
    return fresh(_checked("copy", eager("copy", lambda: np.copy(to_numpy(a), order=order))))


def from_dlpack(x, /, *, device=None, copy=None):
    """An array from any object with `__dlpack__` (shared unless copy=True)."""
    _check("from_dlpack", device=device)
    if isinstance(x, Tracer):
        return fresh(lax.copy(x) if copy else x)
    return fresh(_checked("from_dlpack", eager("from_dlpack", lambda: np.from_dlpack(to_numpy(x), copy=copy))))


# ---------------------------------------------------------------- filled arrays

_EAGER_FILLED = {"zeros": np.zeros, "ones": np.ones, "empty": np.empty}
_EAGER_LIKE = {"zeros_like": np.zeros_like, "ones_like": np.ones_like, "empty_like": np.empty_like}
_FILL_VALUE = {"zeros": 0, "ones": 1, "empty": 0}


def _constant(fname, shape, dtype, order, device, like):
    shape = _shape(fname, shape)
    dtype = dtype_arg(dtype, fname, dtypes.float64)
    _check(fname, order, _ORDERS_CF, device, like)
    if not tracing():
        return wrap(_EAGER_FILLED[fname](shape, dtype, order))
    return fresh(filled(shape, _FILL_VALUE[fname], dtype))


def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    return _constant("zeros", shape, dtype, order, device, like)


def ones(shape, dtype=None, order="C", *, device=None, like=None):
    return _constant("ones", shape, dtype, order, device, like)


def empty(shape, dtype=None, order="C", *, device=None, like=None):
    """A writable array of `shape`; its values are zeros under a transform."""
    return _constant("empty", shape, dtype, order, device, like)


def _traced_fill(fname, shape, fill_value, dtype):
    fill = operand(fill_value, fname, "fill_value")
    if isinstance(fill, Tracer):
        fill = _strong(fill, dtype)
    else:  # NumPy's own conversion, so out-of-range Python ints raise as in NumPy
        value = to_numpy(fill)
        fill = eager(fname, lambda: np.full(np.shape(value), value, dtype))
        dtype_arg(fill.dtype, fname)
    return _broadcast(fname, fill, shape, "fill_value")


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """An array of `shape` filled with `fill_value` (which may be traced, or an array
    broadcast to `shape`); the dtype is `fill_value`'s unless given."""
    shape = _shape("full", shape)
    dtype = dtype_arg(dtype, "full")
    _check("full", order, _ORDERS_CF, device, like)
    if not tracing():
        try:
            return _checked("full", np.full(shape, to_numpy(fill_value), dtype, order))
        except NUMPY_ERRORS as error:
            raise numpy_error(error, "full") from None
    return fresh(_traced_fill("full", shape, fill_value, dtype))


def _like(fname, a, fill_value, dtype, order, shape, device):
    _check(fname, order, device=device)
    dtype = dtype_arg(dtype, fname)
    shape = None if shape is None else _shape(fname, shape)
    if not tracing():
        if fname == "full_like":
            out = eager(fname, lambda: np.full_like(to_numpy(a), to_numpy(fill_value), dtype, order, shape=shape))
        else:
            out = eager(fname, lambda: _EAGER_LIKE[fname](to_numpy(a), dtype, order, shape=shape))
        return _checked(fname, out)
    a = operand(a, fname, "a")
    dtype = dtypes.dtype_and_weak(a)[0] if dtype is None else dtype
    shape = tuple(shape_of(a)) if shape is None else shape
    return fresh(_traced_fill(fname, shape, fill_value, dtype))


def zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("zeros_like", a, 0, dtype, order, shape, device)


def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("ones_like", a, 1, dtype, order, shape, device)


def empty_like(prototype, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("empty_like", prototype, 0, dtype, order, shape, device)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("full_like", a, fill_value, dtype, order, shape, device)



# ---------------------------------------------------------------- matrices


def _eye(fname, n, m, k, dtype, select, order="C"):
    n = _size(n, fname, "N")
    m = n if m is None else _size(m, fname, "M")
    k = static_int(k, fname, "k")
    dtype = dtype_arg(dtype, fname, dtypes.float64)
    if not tracing():
        numpy_fn = np.eye if select is lax.eq else np.tri
        return wrap(numpy_fn(n, m, k, dtype, order=order) if order != "C" else numpy_fn(n, m, k, dtype))
    return fresh(lax.convert_element_type(select(_offsets(n, m), np.int64(k)), dtype))


def eye(N, M=None, k=0, dtype=float, order="C", *, device=None, like=None):
    _check("eye", order, _ORDERS_CF, device, like)
    return _eye("eye", N, M, k, dtype, lax.eq, order)


def identity(n, dtype=None, *, like=None):
    _check("identity", like=like)
    return _eye("identity", _size(n, "identity", "n"), None, 0, dtype, lax.eq)


def tri(N, M=None, k=0, dtype=float, *, like=None):
    """Ones at and below the k-th diagonal, zeros above."""
    _check("tri", like=like)
    return _eye("tri", N, M, k, dtype, lax.le)


def _triangle(fname, m, k, keep):
    k = static_int(k, fname, "k")
    if not tracing():
        return _checked(fname, eager(fname, lambda: (np.tril if keep is lax.le else np.triu)(to_numpy(m), k)))
    m = _strong(operand(m, fname, "m"))
    if m.ndim == 0:
        raise TypeError(f"{fname}(): input must be at least 1-d, got a 0-d array")
    rows, cols = m.shape[-2:] if m.ndim > 1 else m.shape * 2
    shape = np.broadcast_shapes((rows, cols), m.shape)
    mask = _expand(keep(_offsets(rows, cols), np.int64(k)), shape)
    return fresh(where_scalar(mask, _expand(m, shape), 0))


def tril(m, k=0):
    """`m` (batched over leading axes) with the elements above the k-th diagonal zeroed."""
    return _triangle("tril", m, k, lax.le)


def triu(m, k=0):
    """`m` (batched over leading axes) with the elements below the k-th diagonal zeroed."""
    return _triangle("triu", m, k, lax.ge)


def _diag_matrix(v, k):
    """The square matrix with 1-d `v` on its k-th diagonal."""
    n = v.shape[0] + abs(k)
    if k:
        v = lax.pad(v, cast_scalar(0, v.dtype), [(0, abs(k), 0)])
    spread = lax.broadcast_in_dim(v, (n, n), (0,) if k >= 0 else (1,))
    return where_scalar(lax.eq(_offsets(n, n), np.int64(k)), spread, 0)


def _diagonal(x, k):
    """The k-th diagonal of a matrix: a strided slice of its flattened elements."""
    rows, cols = x.shape
    row0, col0 = max(-k, 0), max(k, 0)
    length = max(0, min(rows - row0, cols - col0))
    flat = lax.reshape(x, (rows * cols,))
    if length == 0:
        return lax.slice(flat, (0,), (0,))
    begin = row0 * cols + col0
    return lax.slice(flat, (begin,), (begin + (length - 1) * (cols + 1) + 1,), (cols + 1,))


def diag(v, k=0):
    """The matrix with 1-d `v` on its k-th diagonal, or the k-th diagonal of 2-d `v`."""
    k = static_int(k, "diag", "k")
    if not tracing():
        return _checked("diag", eager("diag", lambda: np.diag(to_numpy(v), k)))
    v = _strong(operand(v, "diag", "v"))
    if v.ndim not in (1, 2):
        raise ValueError(f"diag(): input must be 1- or 2-d, got shape {tuple(v.shape)}")
    return fresh(_diag_matrix(v, k) if v.ndim == 1 else _diagonal(v, k))


def diagflat(v, k=0):
    """The matrix with the flattened `v` on its k-th diagonal."""
    k = static_int(k, "diagflat", "k")
    if not tracing():
        return _checked("diagflat", eager("diagflat", lambda: np.diagflat(to_numpy(v), k)))
    v = _strong(operand(v, "diagflat", "v"))
    return fresh(_diag_matrix(lax.reshape(v, (math.prod(v.shape),)), k))


def vander(x, N=None, increasing=False):
    """Columns of powers of 1-d `x`: x**(N-1), ..., x**0 (reversed if `increasing`)."""
    if not tracing():
        return _checked("vander", eager("vander", lambda: np.vander(to_numpy(x), N, increasing)))
    x = _strong(operand(x, "vander", "x"))
    if x.ndim != 1:
        raise ValueError(f"vander(): x must be a one-dimensional array or sequence, got shape {tuple(x.shape)}")
    n = x.shape[0]
    cols = n if N is None else _size(N, "vander", "N")
    dtype = dtypes.promote_types(x.dtype, dtypes.int64)
    out = filled((n, min(cols, 1)), 1, dtype)
    if cols > 1:
        powers = lax.cumprod(lax.broadcast_in_dim(_strong(x, dtype), (n, cols - 1), (0,)), axis=1)
        out = lax.concatenate([out, powers], 1)
    return fresh(out if increasing else lax.rev(out, (1,)))


# ---------------------------------------------------------------- grids


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate arrays from 1-d coordinate vectors (flattened first)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid(): indexing must be 'xy' or 'ij', got {indexing!r}")
    if not tracing():
        grids = eager("meshgrid", lambda: np.meshgrid(*map(to_numpy, xi), copy=copy, sparse=sparse, indexing=indexing))
        return tuple(_checked("meshgrid", g) for g in grids)
    xs = [_strong(operand(x, "meshgrid", f"x{i + 1}")) for i, x in enumerate(xi)]
    xs = [lax.reshape(x, (math.prod(x.shape),)) for x in xs]
    axes = list(range(len(xs)))
    if indexing == "xy" and len(xs) > 1:
        axes[0], axes[1] = 1, 0
    full_shape = [0] * len(xs)
    for x, axis in zip(xs, axes):
        full_shape[axis] = x.shape[0]
    grids = []
    for x, axis in zip(xs, axes):
        shape = [size if d == axis or not sparse else 1 for d, size in enumerate(full_shape)]
        grids.append(lax.broadcast_in_dim(x, shape, (axis,)))
    return fresh(tuple(grids))


def indices(dimensions, dtype=int, sparse=False):
    """The index grid of an array of shape `dimensions`: one array per axis, stacked
    unless `sparse`."""
    given = to_numpy(concrete_or_error(dimensions, "indices", "dimensions"))
    if not isinstance(given, (list, tuple)) and np.ndim(given) == 0:
        raise TypeError(f"indices() argument 'dimensions' must be a sequence of ints, got {dimensions!r}")
    dims = _shape("indices", dimensions, "dimensions")
    dtype = dtype_arg(dtype, "indices")
    if not tracing():
        out = eager("indices", lambda: np.indices(dims, dtype, sparse))
        return tuple(map(wrap, out)) if sparse else wrap(out)
    if sparse:
        return fresh(tuple(
            lax.broadcasted_iota(dtype, [n if d == i else 1 for d, n in enumerate(dims)], i) for i, _ in enumerate(dims)
        ))
    if not dims:
        return fresh(filled((0,), 0, dtype))
    rows = [lax.broadcasted_iota(dtype, (1, *dims), i + 1) for i in range(len(dims))]
    return fresh(rows[0] if len(rows) == 1 else lax.concatenate(rows, 0))


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """`function(*index_arrays, **kwargs)`, the index arrays of `shape` having `dtype`."""
    _check("fromfunction", like=like)
    shape = _shape("fromfunction", shape)
    dtype = dtype_arg(dtype, "fromfunction", dtypes.float64)
    if not tracing():
        grids = [wrap(g) for g in np.indices(shape, dtype)]
    else:
        grids = [lax.broadcasted_iota(dtype, shape, i) for i in range(len(shape))]
    return fresh(function(*grids, **kwargs))


# ---------------------------------------------------------------- from buffers and iterables


def frombuffer(buffer, dtype=float, count=-1, offset=0, *, like=None):
    """A 1-d array viewing the bytes of `buffer` (read-only if the buffer is)."""
    _check("frombuffer", like=like)
    buffer = to_numpy(concrete_or_error(buffer, "frombuffer", "buffer"))
    dtype = dtype_arg(dtype, "frombuffer", dtypes.float64)
    return fresh(_checked("frombuffer", eager("frombuffer", lambda: np.frombuffer(buffer, dtype, count, offset))))


def fromiter(iter, dtype, count=-1, *, like=None):
    """A 1-d array of the first `count` items of an iterable (all of them if count < 0);
    under a transform the items may be traced scalars."""
    _check("fromiter", like=like)
    dtype = dtype_arg(dtype, "fromiter")
    if not tracing():
        return _checked("fromiter", eager("fromiter", lambda: np.fromiter(iter, dtype, count)))
    count = static_int(count, "fromiter", "count")
    items = list(itertools.islice(iter, None if count < 0 else count))
    if 0 <= count != len(items):
        raise ValueError(f"fromiter(): iterator too short: expected {count} items but it had only {len(items)}")
    if not any(isinstance(item, Tracer) for item in items):
        return fresh(_checked("fromiter", eager("fromiter", lambda: np.fromiter(items, dtype))))
    return fresh(_from_nested("fromiter", items, dtype, None))


def fromstring(string, dtype=float, count=-1, *, sep, like=None):
    """A 1-d array of the numbers written in `string`, separated by `sep`."""
    _check("fromstring", like=like)
    string = concrete_or_error(string, "fromstring", "string")
    dtype = dtype_arg(dtype, "fromstring", dtypes.float64)
    return fresh(_checked("fromstring", eager("fromstring", lambda: np.fromstring(string, dtype, count, sep=sep))))
