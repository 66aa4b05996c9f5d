"""Array rearranging: tiling, repeating, padding, diagonals, resizing, inserting, deleting.

Eagerly diagonal and trace call NumPy and wrap its result (a view for diagonal); the rest run
their composition through the primitives' impls. Under a transform each function is a
composition of jaxlite.lax primitives. Arguments that decide the shape of a result (reps,
repeats, pad widths, new shapes, the indices to insert or delete) must be concrete.
"""

import math
import operator

import numpy as np

from .. import lax
from ..core import concrete_or_error
from ._base import (
    Array, Tracer, array_operand, broadcast_to_shape, convert, eager, filled, gather_axis, no_out, normalize_axis,
    numpy_error, static_ints, static_shape, sum_dtype, take_static, to_numpy, tracing, wrap,
)
from ._manipulation import _broadcast_to, _concatenate, concatenate, moveaxis, ravel, reshape

__all__ = [
    "tile", "repeat", "pad", "diagonal", "trace", "resize", "trim_zeros", "append", "delete", "insert",
]


# ---------------------------------------------------------------- repeating


def tile(A, reps):
    """`A` repeated `reps` times along each axis (reps aligned with the trailing axes)."""
    A = array_operand(A, "tile", "A")
    reps = static_shape(reps, "tile", "reps")
    if any(r < 0 for r in reps):
        raise ValueError(f"tile(): negative dimensions are not allowed, got reps {reps}")
    ndim = max(len(reps), A.ndim)
    reps = (1,) * (ndim - len(reps)) + reps
    shape = (1,) * (ndim - A.ndim) + A.shape
    interleaved = [n for pair in zip(reps, shape) for n in pair]  # (r0, s0, r1, s1, ...)
    dims = [2 * d + 1 for d in range(ndim - A.ndim, ndim)]
    return lax.reshape(lax.broadcast_in_dim(A, interleaved, dims), [r * s for r, s in zip(reps, shape)])


def _repeat_traced(a, repeats, axis, length):
    """Repeat with traced `repeats`: element j of the result is the first element whose
    running total of repeats exceeds j (positions past the total repeat the last element)."""
    n = a.shape[axis]
    ends = lax.cumsum(broadcast_to_shape(convert(repeats, np.int64), (n,)), 0)
    positions = lax.broadcasted_iota(np.int64, (length, n), 0)
    passed = lax.le(lax.broadcast_in_dim(ends, (length, n), (1,)), positions)
    return gather_axis(a, lax.reduce_sum(convert(passed, np.int64), (1,)), axis)


def repeat(a, repeats, axis=None, *, total_repeat_length=None):
    """Each element of `a` repeated `repeats` times along `axis` (flattened if None).

    Under a transform `repeats` must be concrete, unless `total_repeat_length` fixes the
    length of the result (as in JAX: extra repeats are cut, missing ones repeat the last).
    """
    a = array_operand(a, "repeat")
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis(axis, a.ndim, "repeat")
    n = a.shape[axis]
    traced_repeats = isinstance(repeats, Tracer) and repeats.to_concrete_value() is None
    if traced_repeats and total_repeat_length is not None:
        return _repeat_traced(a, repeats, axis, operator.index(total_repeat_length))
    fix = "pass total_repeat_length= to fix the length of the result"
    counts = np.asarray(to_numpy(concrete_or_error(repeats, "repeat", "repeats", fix)))
    counts = counts if counts.size else counts.astype(np.int64)
    if counts.dtype.kind not in "biu" or counts.ndim > 1:
        raise TypeError(f"repeat(): repeats must be an integer or a 1-d sequence of integers, got {counts!r}")
    if np.any(counts < 0):
        raise ValueError(f"repeat(): repeats may not contain negative values, got {counts.tolist()}")
    if counts.size not in (1, n):
        raise ValueError(
            f"repeat(): repeats of shape {counts.shape} cannot be broadcast to axis {axis} of size {n}")
    if counts.size == 1 and total_repeat_length is None:
        r, before, after = int(counts.reshape(-1)[0]), a.shape[:axis], a.shape[axis + 1 :]
        spread = lax.broadcast_in_dim(a, (*before, n, r, *after), [*range(axis + 1), *range(axis + 2, a.ndim + 1)])
        return lax.reshape(spread, (*before, n * r, *after))
    index = np.repeat(np.arange(n), counts)
    if total_repeat_length is not None:  # JAX's semantics: cut, or repeat the last element
        index = np.pad(index, (0, max(0, total_repeat_length - index.size)), mode="edge")[:total_repeat_length]
    return take_static(a, index, axis)


# ---------------------------------------------------------------- padding

# mode -> the keyword arguments NumPy accepts for it
_PAD_KWARGS = {
    "constant": {"constant_values"}, "empty": set(), "edge": set(), "wrap": set(),
    "reflect": {"reflect_type"}, "symmetric": {"reflect_type"}, "linear_ramp": {"end_values"},
    "maximum": {"stat_length"}, "mean": {"stat_length"}, "median": {"stat_length"},
    "minimum": {"stat_length"},
}


def _symmetric_index(j, n):
    m = j % (2 * n)
    return np.where(m < n, m, 2 * n - 1 - m)


def _reflect_index(j, n):
    period = max(2 * (n - 1), 1)
    m = j % period
    return np.where(m < n, m, period - m)


# mode -> the source index, along one axis of size n, of each padded position j (j < 0 before the data)
_PAD_INDEX = {
    "edge": lambda j, n: np.clip(j, 0, n - 1),
    "wrap": lambda j, n: j % n,
    "symmetric": _symmetric_index,
    "reflect": _reflect_index,
}


def _pair_table(values, ndim, argname):
    """NumPy's pad pairs (a scalar, one (before, after) pair, or a pair per axis) as an
    (ndim, 2) table; an ndarray gives an ndarray, other values a jaxlite array."""
    shape = tuple(values.shape)
    if len(shape) < 3 and math.prod(shape) in (1, 2) and shape != (2, 1):
        shape = (math.prod(shape),)
    if len(shape) > 2 or any(s not in (1, t) for s, t in zip(shape[::-1], (2, ndim))):
        raise ValueError(
            f"pad(): '{argname}' of shape {values.shape} does not give (before, after) pairs for {ndim} axes")
    if isinstance(values, np.ndarray):
        return np.broadcast_to(values.reshape(shape), (ndim, 2))
    return broadcast_to_shape(reshape(values, shape), (ndim, 2))


def _pad_widths(pad_width, ndim):
    if isinstance(pad_width, dict):
        widths = [(0, 0)] * ndim
        for axis, width in pad_width.items():
            width = static_ints(width, "pad", "pad_width")
            width = (width, width) if isinstance(width, int) else width
            widths[normalize_axis(axis, ndim, "pad", "pad_width")] = width
        pad_width = widths
    widths = np.asarray(static_ints(pad_width, "pad", "pad_width"))
    if widths.dtype.kind != "i":
        raise TypeError(f"pad(): `pad_width` must be of integral type, got {pad_width!r}")
    if widths.size and widths.min() < 0:
        raise ValueError(f"pad(): pad_width can't contain negative values, got {pad_width!r}")
    return _pair_table(widths, ndim, "pad_width").tolist()


def _pad_constant(x, widths, values):
    values = convert(array_operand(values, "pad", "constant_values"), x.dtype)  # NumPy casts them to x's dtype
    if np.shape(values) == ():
        return lax.pad(x, values, [(lo, hi, 0) for lo, hi in widths])
    table = _pair_table(array_operand(values, "pad", "constant_values"), x.ndim, "constant_values")
    for axis, pair in enumerate(widths):  # axis by axis, so later axes fill the corners, as in NumPy
        for side, width in enumerate(pair):
            config = [(0, 0, 0)] * x.ndim
            config[axis] = (width, 0, 0) if side == 0 else (0, width, 0)
            value = lax.reshape(lax.slice(table, (axis, side), (axis + 1, side + 1)), ())
            x = lax.pad(x, value, config) if width else x
    return x


def pad(array, pad_width, mode="constant", **kwargs):
    """`array` padded by `pad_width` with `mode`: constant, empty, edge, wrap, reflect, symmetric."""
    x = array_operand(array, "pad", "array")
    widths = _pad_widths(pad_width, x.ndim)
    if callable(mode):
        raise NotImplementedError("pad(): a function as `mode` is not supported in jaxlite")
    if mode not in _PAD_KWARGS:
        raise ValueError(f"pad(): mode {mode!r} is not supported")
    unsupported = set(kwargs) - _PAD_KWARGS[mode]
    if unsupported:
        raise ValueError(f"pad(): unsupported keyword arguments for mode {mode!r}: {sorted(unsupported)}")
    if mode in ("constant", "empty"):  # 'empty' leaves the padding undefined: zeros will do
        return _pad_constant(x, widths, kwargs.get("constant_values", 0))
    if mode not in _PAD_INDEX or kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError(f"pad(): mode {mode!r} with options {kwargs} is not implemented in jaxlite")
    for axis, (lo, hi) in enumerate(widths):
        n = x.shape[axis]
        if n == 0 and (lo or hi):
            raise ValueError(f"pad(): can't extend empty axis {axis} of shape {x.shape} "
                             "using modes other than 'constant' or 'empty'")
        x = take_static(x, _PAD_INDEX[mode](np.arange(-lo, n + hi), n), axis) if n else x
    return x


# ---------------------------------------------------------------- diagonals


def _diagonal_geometry(shape, offset, axis1, axis2):
    """The two axes, the offset and the length of a diagonal."""
    if len(shape) < 2:
        raise ValueError(
            f"diagonal(): diag requires an array of at least two dimensions, got shape {tuple(shape)}")
    a1 = normalize_axis(axis1, len(shape), "diagonal", "axis1")
    a2 = normalize_axis(axis2, len(shape), "diagonal", "axis2")
    if a1 == a2:
        raise ValueError(f"diagonal(): axis1 and axis2 cannot be the same, got {axis1} and {axis2}")
    offset = operator.index(offset)
    return a1, a2, offset, max(0, min(shape[a1] + min(offset, 0), shape[a2] - max(offset, 0)))


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal of the `axis1`, `axis2` planes, as the last axis (a read-only view eagerly)."""
    a = array_operand(a, "diagonal")
    if not tracing():
        x = to_numpy(a)
        return wrap(eager("diagonal", lambda: np.diagonal(x, offset, axis1, axis2),
                          lambda: _diagonal_geometry(x.shape, offset, axis1, axis2)))
    a1, a2, offset, length = _diagonal_geometry(a.shape, offset, axis1, axis2)
    rest = [s for d, s in enumerate(a.shape) if d not in (a1, a2)]
    if length == 0:
        return filled((*rest, 0), 0, a.dtype)
    rows = cols = lax.iota(np.int64, length)
    if offset:
        rows, cols = (rows, lax.add(cols, offset)) if offset > 0 else (lax.add(rows, -offset), cols)
    out = lax.gather(a, [rows, cols], (a1, a2))  # the diagonal axis comes first
    return lax.transpose(out, (*range(1, out.ndim), 0)) if rest else out


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """The sums along the diagonals of `a`."""
    a = array_operand(a, "trace")
    if not tracing():
        x, target = to_numpy(a), None if out is None else to_numpy(out)
        result = eager("trace", lambda: np.trace(x, offset, axis1, axis2, dtype, target),
                       lambda: _diagonal_geometry(x.shape, offset, axis1, axis2))
        return out if type(out) is Array else wrap(result)
    no_out(out, "trace")
    d = diagonal(a, offset, axis1, axis2)
    return lax.reduce_sum(convert(d, sum_dtype(d.dtype) if dtype is None else dtype), (d.ndim - 1,))


# ---------------------------------------------------------------- resizing, inserting, deleting


def resize(a, new_shape):
    """`a` flattened, repeated cyclically to fill `new_shape` (zeros if `a` is empty)."""
    a = array_operand(a, "resize")
    new_shape = static_shape(new_shape, "resize", "new_shape")
    if any(s < 0 for s in new_shape):
        raise ValueError(f"resize(): all elements of `new_shape` must be non-negative, got {new_shape}")
    size, new_size = a.size, math.prod(new_shape)
    if size == 0 or new_size == 0:
        return filled(new_shape, 0, a.dtype)
    copies = -(-new_size // size)
    cycled = lax.broadcast_in_dim(lax.reshape(a, (size,)), (copies, size), (1,))
    return lax.reshape(lax.slice(lax.reshape(cycled, (copies * size,)), (0,), (new_size,)), new_shape)


def trim_zeros(filt, trim="fb", axis=None):
    """`filt` without its leading/trailing zeros. Eager only: its shape depends on the values."""
    fix = "trim_zeros only runs eagerly, since the shape of its result depends on the values"
    filt = to_numpy(concrete_or_error(filt, "trim_zeros", "filt", fix))
    return wrap(np.asarray(np.trim_zeros(np.asarray(filt), trim, axis)))


def append(arr, values, axis=None):
    """`values` joined to the end of `arr` along `axis` (both flattened if None)."""
    arr, values = array_operand(arr, "append", "arr"), array_operand(values, "append", "values")
    if axis is None:
        arr, values, axis = ravel(arr), ravel(values), 0
    return _concatenate([arr, values], axis, None, None, "same_kind", "append")


def _flat_or_axis(arr, axis, fname):
    arr = array_operand(arr, fname, "arr")
    if axis is None:
        return ravel(arr), 0
    return arr, normalize_axis(axis, arr.ndim, fname)


def _index_layout(fname, arr, axis, layout):
    """Run `layout` (NumPy on index arrays) and name the function and axis in its errors."""
    try:
        return layout()
    except (IndexError, ValueError) as err:
        raise numpy_error(err, fname, f" (axis {axis} of an array of shape {arr.shape})") from None


def delete(arr, obj, axis=None):
    """`arr` without the entries `obj` (ints, a slice or a boolean mask) along `axis`."""
    arr, axis = _flat_or_axis(arr, axis, "delete")
    obj = obj if isinstance(obj, slice) else to_numpy(concrete_or_error(obj, "delete", "obj"))
    keep = _index_layout("delete", arr, axis, lambda: np.delete(np.arange(arr.shape[axis]), obj))
    return take_static(arr, keep, axis)


def insert(arr, obj, values, axis=None):
    """`values` inserted into `arr` before the indices `obj` along `axis` (flattened if None)."""
    arr, axis = _flat_or_axis(arr, axis, "insert")
    n = arr.shape[axis]
    if isinstance(obj, slice):
        indices = np.arange(n)[obj]
    else:
        indices = np.asarray(to_numpy(concrete_or_error(obj, "insert", "obj")))
    if indices.dtype == bool:
        if indices.ndim != 1:
            raise ValueError(f"insert(): boolean array obj must be one dimensional, got shape {indices.shape}")
        indices = np.flatnonzero(indices)
    elif indices.ndim > 1:
        raise ValueError(f"insert(): index array obj must be one dimensional or scalar, got shape {indices.shape}")
    elif indices.size == 0:
        indices = indices.astype(np.intp)
    values = array_operand(convert(array_operand(values, "insert", "values"), arr.dtype), "insert", "values")
    if indices.size == 1:  # one index: `values` is a block of entries, as NumPy arranges it
        values = reshape(values, (1,) * (arr.ndim - values.ndim) + values.shape)
        values = moveaxis(values, 0, axis) if indices.ndim == 0 else values
        count = values.shape[axis]
    else:
        count = indices.size
    block_shape = (*arr.shape[:axis], count, *arr.shape[axis + 1 :])
    block = _broadcast_to(values, block_shape, "insert")
    order = _index_layout("insert", arr, axis, lambda: np.insert(np.arange(n), indices, n + np.arange(count)))
    return take_static(concatenate([arr, block], axis), order, axis)
