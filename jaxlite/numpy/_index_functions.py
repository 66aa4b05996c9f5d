"""NumPy's index functions: take, take_along_axis, put_along_axis, compress, extract, choose,
select, ix_, the diagonal and triangle indices, unravel_index, ravel_multi_index, place, put.

Eagerly (and under a transform, when no argument is traced) each is NumPy's own function.
Otherwise it builds an index and reads or updates through `x[index]` and `x.at[index]`
(jaxlite.numpy._indexing). Traced indices cannot raise: mode='raise' clamps them, as in JAX.
Arguments that decide the shape of a result must be concrete.
"""

import numpy as np

from .. import lax
from ..core import concrete_or_error
from ._base import (
    Array, Tracer, array_operand, broadcast_shapes, broadcast_to_shape, convert, has_tracer, named, normalize_axis,
    operand, result_dtype, shape_of, static_int, static_shape, to_numpy, wrap,
)
from ._indexing import _traced_mask_error, _update, _widened, getitem

__all__ = [
    "take", "take_along_axis", "put_along_axis", "compress", "extract", "choose", "select", "ix_",
    "diag_indices", "diag_indices_from", "tril_indices", "tril_indices_from", "triu_indices",
    "triu_indices_from", "unravel_index", "ravel_multi_index", "index_exp", "s_", "place", "put",
]

index_exp = np.index_exp
s_ = np.s_


def _concrete(*values):
    """Whether NumPy can compute the result now (eagerly, or as a constant under a transform)."""
    return not any(has_tracer(v) for v in values)


def _ravel(x):
    return lax.reshape(x, (x.size,)) if isinstance(x, Tracer) else np.ravel(to_numpy(x))


def _to_out(result, out, fname):
    """NumPy's `out=`: eagerly the result is written into the Array `out`, which is returned."""
    if out is None:
        return result
    if type(out) is not Array or isinstance(result, Tracer):
        raise TypeError(f"{fname}(): 'out' must be a concrete jaxlite Array; in traced code use the result")
    np.copyto(out._value, to_numpy(result), casting="same_kind")
    return out


def _moded(indices, size, mode, fname):
    """Indices with NumPy's `mode`: 'wrap' takes them modulo size, 'clip' clamps them into
    range, 'raise' leaves them to the indexing's bounds check (traced ones are clamped there)."""
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"{fname}(): clipmode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    if mode == "raise" or size == 0:
        return indices
    if not isinstance(indices, Tracer):
        indices = np.asarray(to_numpy(indices))
        return np.mod(indices, size) if mode == "wrap" else np.clip(indices, 0, size - 1)
    indices = _widened(indices, size)
    if mode == "wrap":
        return lax.rem(indices, size)
    indices = lax.min(indices, size - 1)
    return indices if indices.dtype.kind == "u" else lax.max(indices, 0)


def take(a, indices, axis=None, out=None, mode="raise"):
    """np.take. Under a transform, mode='raise' cannot raise for traced indices: negative ones
    count from the end once, and the rest are clamped into range (as in JAX)."""
    if _concrete(a, indices):
        return _to_out(wrap(np.take(to_numpy(a), to_numpy(indices), axis, mode=mode)), out, "take")
    a, indices = array_operand(a, "take", "a"), array_operand(indices, "take", "indices")
    if indices.dtype.kind not in "iu":
        raise TypeError(f"take(): indices must be integers, got {indices.dtype}")
    if axis is None:
        a, axis = _ravel(a), 0
    axis = normalize_axis(axis, a.ndim, "take")
    if a.shape[axis] == 0 and indices.size:
        raise IndexError("take(): cannot do a non-empty take from an empty axes.")
    indices = _moded(indices, a.shape[axis], mode, "take")
    return _to_out(getitem(a, (slice(None),) * axis + (indices,)), out, "take")


def _along_axis_index(fname, arr, indices, axis):
    """The index of arr[index] that takes `indices` along `axis` (aranges on the other axes)."""
    if indices.dtype.kind not in "iu":
        raise IndexError(f"{fname}(): `indices` must be an integer array")
    if axis is None:
        if indices.ndim != 1:
            raise ValueError(f"{fname}(): when axis=None, `indices` must have a single dimension.")
        return (indices,)
    if indices.ndim != arr.ndim:
        raise ValueError(f"{fname}(): `indices` and `arr` must have the same number of dimensions")
    axis = normalize_axis(axis, arr.ndim, fname)
    return tuple(
        indices if d == axis else np.arange(n).reshape([n if k == d else 1 for k in range(arr.ndim)])
        for d, n in enumerate(arr.shape)
    )


def take_along_axis(arr, indices, axis=-1):
    if _concrete(arr, indices):
        return wrap(np.take_along_axis(to_numpy(arr), to_numpy(indices), axis))
    arr, indices = array_operand(arr, "take_along_axis", "arr"), array_operand(indices, "take_along_axis", "indices")
    index = _along_axis_index("take_along_axis", arr, indices, axis)
    return getitem(_ravel(arr) if axis is None else arr, index)


def put_along_axis(arr, indices, values, axis):
    """Like np.put_along_axis, but functional: returns a new array and leaves `arr` unchanged."""
    arr = array_operand(arr, "put_along_axis", "arr")
    if _concrete(arr, indices, values):
        out = np.array(to_numpy(arr), copy=True)
        np.put_along_axis(out, to_numpy(indices), to_numpy(values), axis)
        return wrap(out)
    index = _along_axis_index("put_along_axis", arr, array_operand(indices, "put_along_axis", "indices"), axis)
    flat = _ravel(arr) if axis is None else arr
    out = _update(flat, index, values, "set")
    return lax.reshape(out, arr.shape) if axis is None else out


def compress(condition, a, axis=None, out=None):
    """np.compress; the condition decides the result's shape, so it must be concrete."""
    condition = np.asarray(concrete_or_error(condition, "compress", "condition", "use jnp.where instead"))
    if _concrete(a):
        return _to_out(wrap(np.compress(condition, to_numpy(a), axis)), out, "compress")
    if condition.ndim != 1:
        raise ValueError("compress(): condition must be a 1-d array")
    return _to_out(take(a, np.nonzero(condition)[0], axis), out, "compress")


def extract(condition, arr):
    """np.extract; the condition decides the result's shape, so it must be concrete."""
    condition = np.asarray(concrete_or_error(condition, "extract", "condition", "use jnp.where instead"))
    return take(_ravel(array_operand(arr, "extract", "arr")), np.nonzero(np.ravel(condition))[0])


def choose(a, choices, out=None, mode="raise"):
    """np.choose. Under a transform, mode='raise' clips traced indices instead of raising."""
    if _concrete(a, choices):
        cases = [to_numpy(c) for c in choices] if isinstance(choices, (list, tuple)) else to_numpy(choices)
        return _to_out(wrap(np.choose(to_numpy(a), cases, mode=mode)), out, "choose")
    a = array_operand(a, "choose", "a")
    if isinstance(choices, (Tracer, Array, np.ndarray)):
        cases = [getitem(choices, i) for i in range(len(choices))]
    else:
        cases = [operand(c, "choose", "choices") for c in choices]
    if not cases:
        raise ValueError("choose(): choices must not be empty")
    if a.dtype.kind not in "biu":
        raise TypeError(f"choose(): Cannot cast array data from dtype('{a.dtype}') to dtype('int64') "
                        "according to the rule 'safe'")
    if _out_of_range(a, len(cases), mode):
        raise ValueError("choose(): invalid entry in choice array")
    shape = broadcast_shapes("choose", a.shape, *(shape_of(c) for c in cases))
    dtype, weak = result_dtype(*cases)
    cases = [broadcast_to_shape(convert(c, dtype, weak), shape) for c in cases]
    which = _moded(convert(a, np.intp), len(cases), "clip" if mode == "raise" else mode, "choose")
    return _to_out(lax.select_n(broadcast_to_shape(which, shape), *cases), out, "choose")


def _out_of_range(index, size, mode):
    """Whether a concrete index has entries outside [0, size) that mode 'raise' rejects."""
    if isinstance(index, Tracer) or mode != "raise":
        return False
    index = np.asarray(to_numpy(index))
    return bool(np.any((index < 0) | (index >= size)))


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("select(): list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("select(): select with an empty condition list is not possible")
    if _concrete(condlist, choicelist, default):
        conds, choices = [to_numpy(c) for c in condlist], [to_numpy(c) for c in choicelist]
        return wrap(np.select(conds, choices, to_numpy(default)))
    conds = [array_operand(c, "select", "condlist") for c in condlist]
    for i, cond in enumerate(conds):
        if cond.dtype != np.bool_:
            raise TypeError(f"select(): invalid entry {i} in condlist: should be boolean ndarray")
    choices = [operand(c, "select", "choicelist") for c in (*choicelist, default)]
    dtype, weak = result_dtype(*choices)
    shape = broadcast_shapes("select", *(shape_of(x) for x in (*conds, *choices)))
    *choices, result = [broadcast_to_shape(convert(c, dtype, weak), shape) for c in choices]
    for cond, choice in reversed(list(zip(conds, choices))):
        result = lax.select(broadcast_to_shape(cond, shape), choice, result)
    return result


def ix_(*args):
    """np.ix_: open-mesh index arrays; boolean arguments must be concrete."""
    out = []
    for k, arg in enumerate(args):
        shape = [1] * len(args)
        value = arg.to_concrete_value() if isinstance(arg, Tracer) else to_numpy(arg)
        if value is None:
            if arg.dtype == np.bool_:
                raise _traced_mask_error(arg)
            if arg.ndim != 1:
                raise ValueError("ix_(): Cross index must be 1 dimensional")
            shape[k] = arg.shape[0]
            out.append(lax.reshape(arg, shape))
        else:
            line = np.ix_(value)[0].ravel()
            shape[k] = line.size
            out.append(wrap(line.reshape(shape)))
    return tuple(out)


def diag_indices(n, ndim=2):
    n, ndim = static_int(n, "diag_indices", "n"), static_int(ndim, "diag_indices", "ndim")
    return tuple(map(wrap, np.diag_indices(n, ndim)))


def diag_indices_from(arr):
    shape = shape_of(arr)
    if len(shape) < 2:
        raise ValueError("diag_indices_from(): input array must be at least 2-d")
    if len(set(shape)) != 1:
        raise ValueError("diag_indices_from(): All dimensions of input must be of equal length")
    return diag_indices(shape[0], len(shape))


def _triangle_indices(np_fn, fname):
    def indices(n, k=0, m=None):
        m = None if m is None else static_int(m, fname, "m")
        return tuple(map(wrap, np_fn(static_int(n, fname, "n"), static_int(k, fname, "k"), m)))

    def indices_from(arr, k=0):
        shape = shape_of(arr)
        if len(shape) != 2:
            raise ValueError(f"{fname}_from(): input array must be 2-d")
        return indices(shape[-2], k, shape[-1])

    return named(indices, fname), named(indices_from, f"{fname}_from")


tril_indices, tril_indices_from = _triangle_indices(np.tril_indices, "tril_indices")
triu_indices, triu_indices_from = _triangle_indices(np.triu_indices, "triu_indices")


def _check_order(order, fname):
    if order not in ("C", "F"):
        raise ValueError(f"{fname}(): only 'C' or 'F' order is permitted (got {order!r})")


def _strides(dims, order):
    """The flat-index weight of each axis of an array of shape `dims`."""
    weights = np.cumprod((1, *dims[::-1]))[:-1][::-1] if order == "C" else np.cumprod((1, *dims))[:-1]
    return [int(w) for w in weights]


def unravel_index(indices, shape, order="C"):
    """np.unravel_index. Under a transform, traced out-of-range indices are clipped into range."""
    shape = static_shape(shape, "unravel_index", "shape")
    if _concrete(indices):
        return tuple(map(wrap, np.unravel_index(to_numpy(indices), shape, order)))
    _check_order(order, "unravel_index")
    indices = array_operand(indices, "unravel_index", "indices")
    if indices.dtype.kind not in "iu":
        raise TypeError("unravel_index(): only int indices permitted")
    size = int(np.prod(shape))
    flat = lax.max(lax.min(convert(indices, np.intp), max(size - 1, 0)), 0)
    return tuple(
        lax.rem(flat if stride == 1 else lax.floor_divide(flat, stride), dim)
        for stride, dim in zip(_strides(shape, order), shape)
    )


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """np.ravel_multi_index. Under a transform, mode='raise' clips traced indices instead."""
    dims = static_shape(dims, "ravel_multi_index", "dims")
    if _concrete(multi_index):
        return wrap(np.ravel_multi_index(tuple(to_numpy(i) for i in multi_index), dims, mode, order))
    _check_order(order, "ravel_multi_index")
    if len(multi_index) != len(dims):
        raise ValueError(
            f"ravel_multi_index(): parameter multi_index must be a sequence of length {len(dims)}"
        )
    modes = (mode,) * len(dims) if isinstance(mode, str) else tuple(mode)
    parts = []
    for index, dim, m in zip(multi_index, dims, modes):
        index = array_operand(index, "ravel_multi_index", "multi_index")
        if index.dtype.kind not in "iu":
            raise TypeError("ravel_multi_index(): only int indices permitted")
        if _out_of_range(index, dim, m):
            raise ValueError("ravel_multi_index(): invalid entry in coordinates array")
        index = convert(index, np.intp)
        parts.append(_moded(index, dim, "clip" if m == "raise" else m, "ravel_multi_index"))
    shape = broadcast_shapes("ravel_multi_index", *(shape_of(p) for p in parts))
    total = None
    for part, stride in zip(parts, _strides(dims, order)):
        term = broadcast_to_shape(lax.mul(part, stride) if stride != 1 else part, shape)
        total = term if total is None else lax.add(total, term)
    return total


def _mutating(fname, target, *values):
    if isinstance(target, Tracer) or has_tracer(values):
        raise TypeError(
            f"{fname}() changes its argument in place, which a traced array cannot do; use "
            "x = x.at[index].set(values) or jnp.where(mask, values, x) instead."
        )
    if type(target) is not Array:
        raise TypeError(f"{fname}(): argument must be a jaxlite Array, got {type(target).__name__}")
    return target._value


def place(arr, mask, vals):
    """np.place: writes into `arr` in place (eager only)."""
    np.place(_mutating("place", arr, mask, vals), to_numpy(mask), to_numpy(vals))


def put(a, ind, v, mode="raise"):
    """np.put: writes into `a` in place (eager only)."""
    np.put(_mutating("put", a, ind, v), to_numpy(ind), to_numpy(v), mode=mode)
