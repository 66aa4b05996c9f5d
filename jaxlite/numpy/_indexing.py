"""NumPy indexing: `x[index]` and the functional `x.at[index]` updates.

Eagerly every operation is NumPy's own. Under a transform an index is parsed once (`_Plan`)
into one entry per axis of the operand (with the index's new axes inserted), then lowered to
lax: basic indices to slice, rev, dynamic_slice and one reshape; integer arrays to a gather;
updates to a scatter.

Out-of-bounds indices: NumPy raises IndexError, and concrete indices still do under a
transform. Traced indices cannot raise: reads clamp them into range and updates drop them,
as in JAX. The index functions (take, choose, ...) build on these, in _index_functions.
"""

import collections
import operator

import numpy as np

from .. import lax
from ..core import ConcretizationTypeError, concrete_or_error
from ._base import (
    Array, Tracer, broadcast_to_shape, convert, filled, has_tracer, operand, result_dtype, shape_of, to_numpy, wrap,
)

__all__ = []  # getitem and IndexUpdateHelper are installed on Array/Tracer, not public

_INVALID_INDEX = (
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or "
    "boolean arrays are valid indices"
)
_NOT_INTEGER = "arrays used as indices must be of integer (or boolean) type"


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
    if isinstance(item, (list, tuple)) and has_tracer(item):
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
        if size == 0 and value.aval.size:  # no index into an empty axis can be in bounds
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
    if type(x) is Array:
        kind = type(index)
        if kind is int or kind is slice:  # the commonest eager indices: straight to NumPy
            return wrap(x._value[index])
        if not has_tracer(index):
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
        return filled(plan.out_shape, 0, x.dtype)
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
    if not isinstance(x, Tracer) and not has_tracer(index) and not has_tracer(values):
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
    if has_tracer(values):
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

