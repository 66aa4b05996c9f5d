"""Gather, scatter and dynamic slicing: indexing by traced integers.

`gather(operand, *indices, axes)`: the k index arrays share one shape B and select along the
k operand axes `axes`; the result has shape B + the remaining operand axes in order.
Indices are clamped into range (jaxlite.numpy wraps negatives and checks bounds first, when
it can). `scatter*` is the converse: `updates` has the shape of the matching gather and is
written (or combined) into a copy of `operand`; out-of-range indices are dropped.
"""

import numpy as np

from ..core import ShapedArray
from ._primitives import check_axes, standard_primitive

__all__ = []


def _index_tuple(operand_shape, indices, axes, clip):
    fixed = []
    for index, axis in zip(indices, axes):
        index = np.asarray(index)
        fixed.append(np.clip(index, 0, max(operand_shape[axis] - 1, 0)) if clip else index)
    return tuple(np.broadcast_arrays(*fixed)) if fixed else ()


def _leading(operand, axes):
    return np.moveaxis(operand, axes, range(len(axes)))


def _gather_impl(operand, *indices, axes):
    return _leading(operand, axes)[_index_tuple(operand.shape, indices, axes, clip=True)]


def _gather_shape(name, operand, indices, axes):
    if len(indices) != len(axes):
        raise ValueError(f"{name}: needs one index array per axis in {axes}, got {len(indices)}")
    check_axes(name, axes, operand.ndim)
    batch = {i.shape for i in indices}
    if len(batch) > 1:
        raise ValueError(f"{name}: index arrays must share a shape, got {sorted(batch)}")
    for i in indices:
        if i.dtype.kind not in "iu":
            raise TypeError(f"{name}: indices must be integers, got {i.dtype}")
    rest = [s for d, s in enumerate(operand.shape) if d not in axes]
    return list(batch.pop() if batch else ()) + rest


def _gather_rule(operand, *indices, axes):
    if any(operand.shape[a] == 0 for a in axes) and all(i.size for i in indices):
        raise IndexError(f"gather: cannot index axis of size 0 (shape {operand.shape}, axes {axes})")
    return ShapedArray(_gather_shape("gather", operand, indices, axes), operand.dtype, operand.weak_type)


gather_p = standard_primitive("gather", _gather_impl, _gather_rule)


def _in_range(operand_shape, indices, axes):
    keep = True
    for index, axis in zip(indices, axes):
        keep = keep & (index >= 0) & (index < operand_shape[axis])
    return keep


def _scatter_impl(combine):
    def impl(operand, updates, *indices, axes):
        out = np.array(operand, copy=True)
        target = _leading(out, axes)
        index = _index_tuple(out.shape, indices, axes, clip=False)
        keep = _in_range(out.shape, index, axes)
        if not np.all(keep):
            index = tuple(i[keep] for i in index)
            updates = np.asarray(updates)[keep]
        if combine is None:
            target[index] = updates
        else:
            combine.at(target, index, updates)
        return out

    return impl


def _scatter_rule(name):
    def abstract_eval(operand, updates, *indices, axes):
        expected = _gather_shape(name, operand, indices, axes)
        if list(updates.shape) != expected or updates.dtype != operand.dtype:
            raise ValueError(
                f"{name}: updates must have shape {tuple(expected)} and dtype {operand.dtype}, "
                f"got {updates.str_short()}"
            )
        return operand

    return abstract_eval


# name -> how an update combines with the value already there (None: replaces it)
SCATTERS = {
    "scatter": None,
    "scatter_add": np.add,
    "scatter_mul": np.multiply,
    "scatter_min": np.minimum,
    "scatter_max": np.maximum,
}

PRIMITIVES = {"gather": gather_p}
for _name, _combine in SCATTERS.items():
    PRIMITIVES[_name] = standard_primitive(_name, _scatter_impl(_combine), _scatter_rule(_name))


# ---------------------------------------------------------------- dynamic slicing


def _clamped_starts(shape, starts, sizes):
    return [int(min(max(int(s), 0), n - k)) for s, n, k in zip(starts, shape, sizes)]


def _dynamic_slice_impl(operand, *start_indices, slice_sizes):
    starts = _clamped_starts(operand.shape, start_indices, slice_sizes)
    return operand[tuple(slice(s, s + k) for s, k in zip(starts, slice_sizes))]


def _check_starts(name, operand, start_indices):
    if len(start_indices) != operand.ndim:
        raise ValueError(f"{name}: needs {operand.ndim} start indices, got {len(start_indices)}")
    for s in start_indices:
        if s.shape != () or s.dtype.kind not in "iu":
            raise TypeError(f"{name}: start indices must be integer scalars, got {s.str_short()}")


def _dynamic_slice_rule(operand, *start_indices, slice_sizes):
    _check_starts("dynamic_slice", operand, start_indices)
    if len(slice_sizes) != operand.ndim or any(not 0 <= k <= n for k, n in zip(slice_sizes, operand.shape)):
        raise ValueError(f"dynamic_slice: slice_sizes {slice_sizes} do not fit shape {operand.shape}")
    return operand.update(shape=slice_sizes)


PRIMITIVES["dynamic_slice"] = standard_primitive("dynamic_slice", _dynamic_slice_impl, _dynamic_slice_rule)


def _dynamic_update_slice_impl(operand, update, *start_indices):
    out = np.array(operand, copy=True)
    starts = _clamped_starts(out.shape, start_indices, update.shape)
    out[tuple(slice(s, s + k) for s, k in zip(starts, np.shape(update)))] = update
    return out


def _dynamic_update_slice_rule(operand, update, *start_indices):
    _check_starts("dynamic_update_slice", operand, start_indices)
    if update.ndim != operand.ndim or any(k > n for k, n in zip(update.shape, operand.shape)):
        raise ValueError(f"dynamic_update_slice: update shape {update.shape} does not fit {operand.shape}")
    if update.dtype != operand.dtype:
        raise TypeError(f"dynamic_update_slice: update dtype {update.dtype} is not {operand.dtype}")
    return operand


PRIMITIVES["dynamic_update_slice"] = standard_primitive(
    "dynamic_update_slice", _dynamic_update_slice_impl, _dynamic_update_slice_rule
)


gather_p = PRIMITIVES["gather"]
scatter_p = PRIMITIVES["scatter"]
scatter_add_p = PRIMITIVES["scatter_add"]
scatter_mul_p = PRIMITIVES["scatter_mul"]
scatter_min_p = PRIMITIVES["scatter_min"]
scatter_max_p = PRIMITIVES["scatter_max"]
dynamic_slice_p = PRIMITIVES["dynamic_slice"]
dynamic_update_slice_p = PRIMITIVES["dynamic_update_slice"]
