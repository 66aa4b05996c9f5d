"""NumPy indexing: `x[index]`, the functional `x.at[index]` updates, and the index functions.

Eagerly every operation is NumPy's own. Under a transform an index is parsed once (`_Plan`)
into one entry per axis of the operand (with the index's new axes inserted), then lowered to
lax: basic indices to slice, rev, dynamic_slice and one reshape; integer arrays to a gather;
updates to a scatter.

Out-of-bounds indices: NumPy raises IndexError, and concrete indices still do under a
transform. Traced indices cannot raise: reads clamp them into range and updates drop them,
as in JAX.
"""

import collections
import operator

import numpy as np

from .. import lax
from ..core import ConcretizationTypeError, concrete_or_error
from ._base import (
    Array,
    Tracer,
    broadcast_shapes,
    broadcast_to_shape,
    convert,
    normalize_axis,
    operand,
    result_dtype,
    shape_of,
    to_numpy,
    wrap,
)

__all__ = [
    "getitem", "IndexUpdateHelper", "take", "take_along_axis", "put_along_axis", "compress",
    "extract", "choose", "select", "ix_", "diag_indices", "diag_indices_from", "tril_indices",
    "tril_indices_from", "triu_indices", "triu_indices_from", "unravel_index",
    "ravel_multi_index", "index_exp", "s_", "place", "put",
]

index_exp = np.index_exp
s_ = np.s_

_INVALID_INDEX = (
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
    "boolean arrays are valid indices"
)
_NOT_INTEGER = "arrays used as indices must be of integer (or boolean) type"


def _has_tracer(obj):
    kind = type(obj)
    if kind is tuple or kind is list:
        for item in obj:
            if _has_tracer(item):
                return True
        return False
    return isinstance(obj, Tracer)


def _numpy_index(index):
    if type(index) is tuple:
        return tuple([i._value if type(i) is Array else i for i in index])
    return index._value if type(index) is Array else index


def _traced_mask_error(mask):
    return ConcretizationTypeError(
        f"Indexing with a boolean mask needs a concrete mask, but got {mask._where()}: the shape "
        "of x[mask] is the number of True entries, which would depend on traced values. Use "
        "jnp.where(mask, x, 0) to keep the shape, x.at[mask].set(v) to update the selected "
        "entries, or a reduction's where=mask argument."
    )


# ---------------------------------------------------------------- parsing an index

# kind: "slice" (value: the range of positions taken, in output order), "int" (a concrete,
# in-range int), "dyn" (a traced 0-d int), "array" (an integer array, concrete and in range,
# or traced). position: where in the index tuple the entry came from.
_Entry = collections.namedtuple("_Entry", "kind value position")


def _concrete_slice(s):
    def bound(v):
        if isinstance(v, Tracer):
            v = concrete_or_error(v, "getitem", "slice bound", "use jaxlite.lax.dynamic_slice")
        return None if v is None else operator.index(v)

    return slice(bound(s.start), bound(s.stop), bound(s.step))


def _classify(item):
    """(kind, value) of one element of an index tuple."""
    if item is None:
        return "new", None
    if item is Ellipsis:
        return "ellipsis", None
    if isinstance(item, slice):
        return "slice", _concrete_slice(item)
    if isinstance(item, (bool, np.bool_)):
        return "bool0", bool(item)
    if isinstance(item, (int, np.integer)):
        return "int", int(item)
    if isinstance(item, (list, tuple)) and _has_tracer(item):
        item = operand(item, "getitem", "index")
    if isinstance(item, Tracer):
        concrete = item.to_concrete_value()
        if concrete is None:
            if item.dtype.kind == "b":
                raise _traced_mask_error(item)
            if item.dtype.kind not in "iu":
                raise IndexError(_NOT_INTEGER)
            return ("dyn" if item.ndim == 0 else "array"), item
        item = np.asarray(concrete)
    if isinstance(item, (Array, np.ndarray, list, tuple)):
        value = np.asarray(to_numpy(item))
        if value.dtype == np.bool_:
            return ("bool0", bool(value)) if value.ndim == 0 else ("mask", value)
        if value.dtype.kind not in "iu":
            if not (value.size == 0 and isinstance(item, (list, tuple))):
                raise IndexError(_NOT_INTEGER if isinstance(item, (Array, np.ndarray)) else _INVALID_INDEX)
            value = value.astype(np.intp)
        return ("int", int(value)) if value.ndim == 0 else ("array", value)
    try:
        return "int", operator.index(item)
    except TypeError:
        raise IndexError(_INVALID_INDEX) from None


def _dims_used(kind, value):
    return value.ndim if kind == "mask" else int(kind in ("slice", "int", "dyn", "array"))


class _Plan:
    """An index parsed against a shape, one entry per axis of the expanded operand."""

    def __init__(self, shape, index):
        items = [_classify(i) for i in (index if type(index) is tuple else (index,))]
        if sum(kind == "ellipsis" for kind, _ in items) > 1:
            raise IndexError("an index can only have a single ellipsis ('...')")
        used = sum(_dims_used(kind, value) for kind, value in items)
        if used > len(shape):
            raise IndexError(
                f"too many indices for array: array is {len(shape)}-dimensional, but {used} were indexed"
            )
        if not any(kind == "ellipsis" for kind, _ in items):
            items.append(("ellipsis", None))
        self.entries, self.new_axes, self.shape = [], [], []
        axis = 0
        for position, (kind, value) in enumerate(items):
            if kind in ("new", "bool0"):  # a new axis of size 1; a 0-d bool also indexes it
                self.new_axes.append(len(self.entries))
                entry = ("slice", range(1)) if kind == "new" else ("array", np.zeros(int(value), np.intp))
                self._add(*entry, position, 1)
                continue
            count = len(shape) - used if kind == "ellipsis" else _dims_used(kind, value)
            sizes = shape[axis : axis + count]
            if kind == "ellipsis":
                for size in sizes:
                    self._add("slice", range(size), position, size)
            elif kind == "mask":
                _check_mask(value.shape, shape, axis)
                for part, size in zip(np.nonzero(value), sizes):
                    self._add("array", part, position, size)
            else:
                (size,) = sizes
                self._add(kind, _normalized(kind, value, size, axis), position, size)
            axis += count
        self._layout()

    def _add(self, kind, value, position, size):
        self.entries.append(_Entry(kind, value, position))
        self.shape.append(size)

    def _layout(self):
        entries = self.entries
        self.index_axes = [a for a, e in enumerate(entries) if e.kind != "slice"]
        self.slice_axes = [a for a, e in enumerate(entries) if e.kind == "slice"]
        self.advanced = any(e.kind == "array" for e in entries)
        shapes = [np.shape(entries[a].value) if entries[a].kind == "array" else () for a in self.index_axes]
        try:
            self.batch = tuple(np.broadcast_shapes(*shapes))
        except ValueError:
            shown = " ".join(str(tuple(s)) for s in shapes if s)
            raise IndexError(
                f"shape mismatch: indexing arrays could not be broadcast together with shapes {shown}"
            ) from None
        positions = sorted({entries[a].position for a in self.index_axes})
        adjacent = bool(positions) and positions[-1] - positions[0] == len(positions) - 1
        first = self.index_axes[0] if self.index_axes else 0
        self.batch_at = sum(a < first for a in self.slice_axes) if adjacent else 0
        lengths = [len(entries[a].value) for a in self.slice_axes]
        self.out_shape = tuple(lengths[: self.batch_at]) + self.batch + tuple(lengths[self.batch_at :])


def _check_mask(mask_shape, shape, axis):
    for d, (m, n) in enumerate(zip(mask_shape, shape[axis:])):
        if m != n:
            raise IndexError(
                f"boolean index did not match indexed array along axis {axis + d}; size of axis "
                f"is {n} but size of corresponding boolean axis is {m}"
            )


def _normalized(kind, value, size, axis):
    """A slice as the range it takes; concrete indices checked and made non-negative."""
    if kind == "slice":
        return range(*value.indices(size))
    if isinstance(value, Tracer):
        if size == 0:
            raise IndexError(f"index is out of bounds for axis {axis} with size 0")
        return value  # negatives are wrapped when lowered
    value = np.asarray(value)
    bad = value[(value >= size) | (value < -size)] if value.dtype.kind == "i" else value[value >= size]
    if bad.size:
        raise IndexError(f"index {bad.flat[0]} is out of bounds for axis {axis} with size {size}")
    if kind == "int":
        return int(value) % size
    value = value.astype(np.intp)
    return np.where(value < 0, value + size, value)


def _wrap_negative(i, size):
    """A traced integer index with negative values counted from the end: where(i < 0, i + n, i)."""
    if i.dtype.kind == "u":
        return i
    i = _widened(i, size)
    return lax.select(lax.lt(i, 0), lax.add(i, size), i)


def _widened(i, size):
    """A traced integer index as int64 if its dtype cannot hold `size`."""
    return i if np.iinfo(i.dtype).max >= size else lax.convert_element_type(i, np.int64)


def _index_value(plan, axis):
    """The non-negative index array (or scalar) of an "int", "dyn" or "array" entry."""
    value = plan.entries[axis].value
    if isinstance(value, Tracer):
        return _wrap_negative(value, plan.shape[axis])
    return np.asarray(value, np.intp)


# ---------------------------------------------------------------- lowering x[index]


def getitem(x, index):
    """x[index] with NumPy's semantics (installed as Array.__getitem__ and Tracer.__getitem__)."""
    if type(x) is Array and not _has_tracer(index):
        return wrap(x._value[_numpy_index(index)])
    plan = _Plan(x.shape, index)
    return _gather(x, plan) if plan.advanced else _basic(x, plan)


def _slice_bounds(r):
    """(start, limit, stride, reversed) of lax.slice (+ rev) taking the positions in range r."""
    if len(r) == 0:
        return 0, 0, 1, False
    lo, hi = min(r[0], r[-1]), max(r[0], r[-1]) + 1
    return lo, hi, (abs(r.step) if len(r) > 1 else 1), (len(r) > 1 and r.step < 0)


def _slice(x, bounds):
    """One slice (when not the identity) and one rev (when a step is negative)."""
    lo, hi, strides, flip = zip(*bounds) if bounds else ((), (), (), ())
    if lo != (0,) * len(lo) or hi != tuple(x.shape) or any(s != 1 for s in strides):
        x = lax.slice(x, lo, hi, strides if any(s != 1 for s in strides) else None)
    reversed_dims = [d for d, f in enumerate(flip) if f]
    return lax.rev(x, reversed_dims) if reversed_dims else x


def _bounds(entry, size, gathered):
    if entry.kind == "slice":
        return _slice_bounds(entry.value)
    if entry.kind == "int" and not gathered:
        return entry.value, entry.value + 1, 1, False
    return 0, size, 1, False


def _basic(x, plan):
    entries = [e for a, e in enumerate(plan.entries) if a not in plan.new_axes]
    x = _slice(x, [_bounds(e, n, False) for e, n in zip(entries, x.shape)])
    dynamic = {d: e.value for d, e in enumerate(entries) if e.kind == "dyn"}
    if dynamic:
        dynamic = {d: _wrap_negative(i, x.shape[d]) for d, i in dynamic.items()}
        zero = np.zeros((), next(iter(dynamic.values())).dtype)[()]  # start indices share a dtype
        starts = [dynamic.get(d, zero) for d in range(x.ndim)]
        sizes = [1 if d in dynamic else n for d, n in enumerate(x.shape)]
        x = lax.dynamic_slice(x, starts, sizes)
    if plan.new_axes:
        return lax.reshape(x, plan.out_shape)
    dropped = [d for d, e in enumerate(entries) if e.kind != "slice"]
    return lax.squeeze(x, dropped) if dropped else x


def _gather(x, plan):
    if plan.new_axes:
        x = lax.reshape(x, plan.shape)
    x = _slice(x, [_bounds(e, n, True) for e, n in zip(plan.entries, x.shape)])
    if 0 in plan.batch:
        return lax.broadcast_in_dim(np.zeros((), x.dtype)[()], plan.out_shape, ())
    indices = [_broadcast_index(_index_value(plan, a), plan.batch) for a in plan.index_axes]
    out = lax.gather(x, indices, plan.index_axes)
    nb, at = len(plan.batch), plan.batch_at
    if at == 0 or nb == 0:
        return out
    return lax.transpose(out, [*range(nb, nb + at), *range(nb), *range(nb + at, out.ndim)])


def _broadcast_index(i, batch, full=None):
    """Index `i` broadcast to `batch`, then extended with trailing axes to `full`."""
    full = batch if full is None else full
    if not isinstance(i, Tracer):
        i = np.broadcast_to(i, batch)
        return np.broadcast_to(np.reshape(i, batch + (1,) * (len(full) - len(batch))), full)
    i = broadcast_to_shape(i, batch)
    return i if full == batch else lax.broadcast_in_dim(i, full, range(len(batch)))


# ---------------------------------------------------------------- x.at[index] updates


class IndexUpdateHelper:
    """`x.at`: `x.at[index]` names the entries a functional update (set, add, ...) writes."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def __getitem__(self, index):
        return _IndexUpdateRef(self.array, index)


class _IndexUpdateRef:
    """`x.at[index]`. Every method returns a new array and leaves `x` unchanged.

    Repeated indices accumulate in add/multiply/min/max (like np.add.at); `set` keeps the last.
    `divide` and `power` read x[index], combine and set, so a repeated index applies once.
    Updates are cast to x's dtype. Under a transform, traced out-of-bounds indices are dropped.
    """

    __slots__ = ("array", "index")

    def __init__(self, array, index):
        self.array, self.index = array, index

    def get(self):
        out = getitem(self.array, self.index)
        return wrap(out._value.copy()) if type(out) is Array and out._value.base is not None else out

    def set(self, values):
        return _update(self.array, self.index, values, "set")

    def add(self, values):
        return _update(self.array, self.index, values, "add")

    def multiply(self, values):
        return _update(self.array, self.index, values, "multiply")

    def divide(self, values):
        return _update(self.array, self.index, values, "divide")

    def power(self, values):
        return _update(self.array, self.index, values, "power")

    def min(self, values):
        return _update(self.array, self.index, values, "min")

    def max(self, values):
        return _update(self.array, self.index, values, "max")


# op -> (NumPy ufunc, scatter, elementwise lax function); divide and power are get + op + set.
_UPDATES = {
    "set": (None, lax.scatter, None),
    "add": (np.add, lax.scatter_add, lax.add),
    "multiply": (np.multiply, lax.scatter_mul, lax.mul),
    "min": (np.minimum, lax.scatter_min, lax.min),
    "max": (np.maximum, lax.scatter_max, lax.max),
    "divide": (np.true_divide, None, lax.div),
    "power": (np.power, None, lax.pow),
}
_GET_OP_SET = ("divide", "power")


def _update(x, index, values, op):
    if not isinstance(x, Tracer) and not _has_tracer(index) and not _has_tracer(values):
        return _eager_update(to_numpy(x), _numpy_index(index), values, op)
    mask = _lone_traced_mask(index)
    if mask is not None:
        return _masked_update(x, mask, values, op)
    if op in _GET_OP_SET:
        current, values = getitem(x, index), _value_operand(values)
        values = values if shape_of(values) == () else _fit(values, current.shape)  # a scalar stays weak
        return _update(x, index, _promoting(op, current, values), "set")
    plan = _Plan(x.shape, index)
    return _scatter(x, plan, _fit(_cast(values, x.dtype), plan.out_shape), _UPDATES[op][1])


def _eager_update(x, index, values, op):
    out = np.array(x, copy=True)
    values = to_numpy(values)
    if op == "set":
        out[index] = values
    elif op in _GET_OP_SET:
        out[index] = _UPDATES[op][0](out[index], values)
    else:
        values = np.asarray(values, dtype=out.dtype)
        _UPDATES[op][0].at(out, index, values if values.ndim == 0 else _fit(values, out[index].shape))
    return wrap(out)


def _value_operand(values):
    return values if isinstance(values, Tracer) else operand(values, "at", "values")


def _cast(values, dtype):
    """Updates in x's dtype, cast as NumPy assignment casts."""
    if _has_tracer(values):
        return convert(_value_operand(values), dtype)
    return np.asarray(to_numpy(values), dtype=dtype)


def _fit(values, shape):
    """Updates broadcast to the indexed shape (leading 1s dropped first, as NumPy does)."""
    shape = tuple(shape)
    vshape = tuple(shape_of(values))
    extra = len(vshape) - len(shape)
    if extra > 0 and all(s == 1 for s in vshape[:extra]):
        vshape = vshape[extra:]
        values = lax.reshape(values, vshape) if isinstance(values, Tracer) else np.reshape(values, vshape)
    if len(vshape) > len(shape) or any(v not in (1, s) for v, s in zip(vshape[::-1], shape[::-1])):
        raise ValueError(f"could not broadcast input array from shape {vshape} into shape {shape}")
    if isinstance(values, Tracer) or not vshape:
        return broadcast_to_shape(values, shape)  # a scalar stays a literal in the jaxpr
    return np.broadcast_to(values, shape)


def _promoting(op, a, b):
    """a / b or a ** b with NumPy's promotion, on same-shape operands."""
    dtype, weak = result_dtype(a, b)
    if op == "divide" and dtype.kind in "biu":
        dtype, weak = np.dtype(np.float64), False
    return _UPDATES[op][2](convert(a, dtype, weak), convert(b, dtype, weak))


def _scatter(x, plan, updates, scatter):
    """Write `updates` (shaped like x[index]) into x: one scatter over all indexed axes.

    Sliced axes that are not whole become index arrays (their ranges) in the scatter's batch.
    """
    operand_ = lax.reshape(x, plan.shape) if plan.new_axes else x
    whole = [a for a in plan.slice_axes if plan.entries[a].value == range(plan.shape[a])]
    ranged = [a for a in plan.slice_axes if a not in whole]
    nb, at = len(plan.batch), plan.batch_at

    def out_dim(a):  # where sliced axis `a` is in x[index]
        k = plan.slice_axes.index(a)
        return k if k < at else k + nb

    perm = [*range(at, at + nb), *map(out_dim, ranged), *map(out_dim, whole)]
    if perm != list(range(len(perm))):
        updates = lax.transpose(updates, perm) if isinstance(updates, Tracer) else np.transpose(updates, perm)
    batch = plan.batch + tuple(len(plan.entries[a].value) for a in ranged)
    indices = [_broadcast_index(_index_value(plan, a), plan.batch, batch) for a in plan.index_axes]
    for k, a in enumerate(ranged):
        line = np.asarray(plan.entries[a].value, np.intp)
        line = line.reshape([-1 if d == nb + k else 1 for d in range(len(batch))])
        indices.append(np.broadcast_to(line, batch))
    out = scatter(operand_, indices, updates, plan.index_axes + ranged)
    return lax.reshape(out, x.shape) if plan.new_axes else out


def _lone_traced_mask(index):
    item = index[0] if type(index) is tuple and len(index) == 1 else index
    if isinstance(item, Tracer) and item.dtype == np.bool_ and item.to_concrete_value() is None:
        return item
    return None


def _masked_update(x, mask, values, op):
    """x.at[mask].op(values) for a traced mask: where(mask, x op values, x), shape unchanged."""
    _Plan(x.shape, np.ones(mask.shape, bool))  # the checks of a concrete mask of this shape
    rest = x.shape[mask.ndim :]
    values = _cast(values, x.dtype) if op not in _GET_OP_SET else _value_operand(values)
    vshape = tuple(shape_of(values))
    while len(vshape) > len(rest) and vshape[0] == 1:
        vshape = vshape[1:]
    if len(vshape) > len(rest):
        raise ConcretizationTypeError(
            f"x.at[mask] with a traced mask needs updates that broadcast to x[mask]'s trailing "
            f"shape {rest} (e.g. a scalar), got shape {np.shape(values)}: the number of selected "
            "entries is not known while tracing."
        )
    if vshape or op == "set":  # a scalar broadcasts in the elementwise op
        values = broadcast_to_shape(_fit(values, rest) if vshape else values, x.shape)
    if op == "set":
        new = values
    elif op in _GET_OP_SET:
        new = convert(_promoting(op, x, values), x.dtype)
    else:
        new = _UPDATES[op][2](x, values)
    pred = mask if mask.ndim in (0, x.ndim) else lax.broadcast_in_dim(mask, x.shape, range(mask.ndim))
    return lax.select(pred, new, x)


# ---------------------------------------------------------------- index functions


def _array(x, fname, argname):
    """An operand with .shape/.dtype: tracers and Arrays as they are, the rest as ndarrays."""
    if isinstance(x, (Tracer, Array)):
        return x
    if _has_tracer(x):
        return operand(x, fname, argname)
    return np.asarray(x)


def _concrete(*values):
    """Whether NumPy can compute the result now (eagerly, or as a constant under a transform)."""
    return not any(_has_tracer(v) for v in values)


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
    a, indices = _array(a, "take", "a"), _array(indices, "take", "indices")
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
    arr, indices = _array(arr, "take_along_axis", "arr"), _array(indices, "take_along_axis", "indices")
    index = _along_axis_index("take_along_axis", arr, indices, axis)
    return getitem(_ravel(arr) if axis is None else arr, index)


def put_along_axis(arr, indices, values, axis):
    """Like np.put_along_axis, but functional: returns a new array and leaves `arr` unchanged."""
    arr = _array(arr, "put_along_axis", "arr")
    if _concrete(arr, indices, values):
        out = np.array(to_numpy(arr), copy=True)
        np.put_along_axis(out, to_numpy(indices), to_numpy(values), axis)
        return wrap(out)
    index = _along_axis_index("put_along_axis", arr, _array(indices, "put_along_axis", "indices"), axis)
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
    return take(_ravel(_array(arr, "extract", "arr")), np.nonzero(np.ravel(condition))[0])


def choose(a, choices, out=None, mode="raise"):
    """np.choose. Under a transform, mode='raise' clips traced indices instead of raising."""
    if _concrete(a, choices):
        cases = [to_numpy(c) for c in choices] if isinstance(choices, (list, tuple)) else to_numpy(choices)
        return _to_out(wrap(np.choose(to_numpy(a), cases, mode=mode)), out, "choose")
    a = _array(a, "choose", "a")
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
    conds = [_array(c, "select", "condlist") for c in condlist]
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


def _static_int(value, fname, argname):
    return None if value is None else operator.index(concrete_or_error(value, fname, argname))


def diag_indices(n, ndim=2):
    n, ndim = _static_int(n, "diag_indices", "n"), _static_int(ndim, "diag_indices", "ndim")
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
        args = (_static_int(n, fname, "n"), _static_int(k, fname, "k"), _static_int(m, fname, "m"))
        return tuple(map(wrap, np_fn(*args)))

    def indices_from(arr, k=0):
        shape = shape_of(arr)
        if len(shape) != 2:
            raise ValueError(f"{fname}_from(): input array must be 2-d")
        return indices(shape[-2], k, shape[-1])

    indices.__name__, indices_from.__name__ = fname, f"{fname}_from"
    indices.__qualname__, indices_from.__qualname__ = fname, f"{fname}_from"
    return indices, indices_from


tril_indices, tril_indices_from = _triangle_indices(np.tril_indices, "tril_indices")
triu_indices, triu_indices_from = _triangle_indices(np.triu_indices, "triu_indices")


def _static_shape(shape, fname, argname):
    return tuple(operator.index(s) for s in np.atleast_1d(concrete_or_error(shape, fname, argname)))


def _check_order(order, fname):
    if order not in ("C", "F"):
        raise ValueError(f"{fname}(): only 'C' or 'F' order is permitted (got {order!r})")


def _strides(dims, order):
    """The flat-index weight of each axis of an array of shape `dims`."""
    weights = np.cumprod((1, *dims[::-1]))[:-1][::-1] if order == "C" else np.cumprod((1, *dims))[:-1]
    return [int(w) for w in weights]


def unravel_index(indices, shape, order="C"):
    """np.unravel_index. Under a transform, traced out-of-range indices are clipped into range."""
    shape = _static_shape(shape, "unravel_index", "shape")
    if _concrete(indices):
        return tuple(map(wrap, np.unravel_index(to_numpy(indices), shape, order)))
    _check_order(order, "unravel_index")
    indices = _array(indices, "unravel_index", "indices")
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
    dims = _static_shape(dims, "ravel_multi_index", "dims")
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
        index = _array(index, "ravel_multi_index", "multi_index")
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
    if isinstance(target, Tracer) or _has_tracer(values):
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
