"""Derivatives of gather, the scatters and dynamic slicing (indexing.py).

Index operands are never differentiated: they stay primal (residuals) in every rule.
`gather`, `dynamic_slice`, `scatter`, `scatter_add` and `dynamic_update_slice` are linear in
their array operands (`scatter` jointly in operand and updates) and have transposes. The
transposes follow the primitives' index semantics exactly: gather clamps indices into range
while the scatters drop out-of-range ones, and of several `scatter` updates to one place only
the one written last receives the cotangent.

`scatter_mul`, `scatter_min` and `scatter_max` have JVPs written with the linear ones.
`scatter_min`/`scatter_max` split the tangent evenly among all values equal to the result
(the operand and any number of updates), as `reduce_max` does, exactly also for repeated
indices. `scatter_mul` is exact for unique indices, and for repeated indices whose updates
are nonzero (the product of the other updates at a place is computed as a quotient there).
"""

import numpy as np

from ..core import get_aval
from ..transforms.ad import Zero, add_tangents, defjvp_rule, primitive_transposes
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .indexing import (
    dynamic_slice_p,
    dynamic_update_slice_p,
    gather_p,
    scatter_add_p,
    scatter_max_p,
    scatter_min_p,
    scatter_mul_p,
    scatter_p,
)
from .shape import broadcast_in_dim_p, select_n_p
from .shape_ad import _aval_of, _concrete, _convert, _full, _is_linear, _iota, _linear_jvp, _reshape, _scalar, _zeros

__all__ = []


_mul, _div, _add, _eq = (_ELEMENTWISE[n] for n in ("mul", "div", "add", "eq"))
_max, _min, _and, _ge, _lt = (_ELEMENTWISE[n] for n in ("max", "min", "and", "ge", "lt"))


# ---------------------------------------------------------------- index helpers


def _clamped(indices, shape, axes):
    """The indices as gather uses them (clamped into range), so a scatter can reuse them."""
    out = []
    for index, axis in zip(indices, axes):
        top = max(shape[axis] - 1, 0)
        value = _concrete(index)
        if value is not None:
            if value.size == 0 or (value.min() >= 0 and value.max() <= top):
                out.append(index)
            else:
                out.append(np.clip(value, 0, top).astype(value.dtype))
            continue
        dtype = get_aval(index).dtype
        out.append(_min.bind(_max.bind(index, _scalar(dtype, 0)), _scalar(dtype, top)))
    return out


def _in_range(indices, shape, axes):
    """A bool array of the index shape: which indices a scatter keeps; None if all of them."""
    values = [_concrete(i) for i in indices]
    if all(v is not None for v in values):
        keep = np.ones(np.broadcast_shapes(*[v.shape for v in values]), bool)
        for v, axis in zip(values, axes):
            keep &= (v >= 0) & (v < shape[axis])
        return None if keep.all() else keep
    keep = None
    for index, axis in zip(indices, axes):
        dtype = get_aval(index).dtype
        ok = _and.bind(_ge.bind(index, _scalar(dtype, 0)), _lt.bind(index, _scalar(dtype, shape[axis])))
        keep = ok if keep is None else _and.bind(keep, ok)
    return keep


def _winners(operand_shape, updates_shape, indices, axes):
    """A bool array of the updates' shape: which elements of `scatter`'s updates end up in its
    result (in range, and not overwritten by a later update to the same place); None if all."""
    values = [_concrete(i) for i in indices]
    ids_shape = tuple(updates_shape)
    size = int(np.prod(ids_shape, dtype=np.int64))
    if all(v is not None for v in values):
        ids = np.arange(size, dtype=np.int64).reshape(ids_shape)
        board = scatter_p.impl(np.full(operand_shape, -1, np.int64), ids, *values, axes=axes)
        clamped = [np.clip(v, 0, max(operand_shape[a] - 1, 0)) for v, a in zip(values, axes)]
        won = gather_p.impl(board, *clamped, axes=axes) == ids
        return None if won.all() else won
    ids = _reshape(_iota((size,), 0), ids_shape)
    board = scatter_p.bind(_full(operand_shape, -1, np.int64), ids, *indices, axes=axes)
    return _eq.bind(gather_p.bind(board, *_clamped(indices, operand_shape, axes), axes=axes), ids)


def _mask(keep, x):
    """`x` where `keep` (broadcast over x's trailing axes), zero elsewhere."""
    if keep is None:
        return x
    aval = get_aval(x)
    keep_shape = np.shape(keep) if not hasattr(keep, "shape") else keep.shape
    if tuple(keep_shape) != aval.shape:
        keep = broadcast_in_dim_p.bind(keep, shape=aval.shape, broadcast_dimensions=tuple(range(len(keep_shape))))
    return select_n_p.bind(keep, _zeros(aval), x)


# ---------------------------------------------------------------- gather, dynamic_slice


def _gather_transpose(ct, operand, *indices, axes):
    aval = operand.aval
    clamped = _clamped(indices, aval.shape, axes)
    return [scatter_add_p.bind(_zeros(aval), ct, *clamped, axes=axes), *[None] * len(indices)]


def _dynamic_slice_transpose(ct, operand, *start_indices, slice_sizes):
    # dynamic_update_slice clamps its starts exactly as dynamic_slice does.
    aval = operand.aval
    return [dynamic_update_slice_p.bind(_zeros(aval), ct, *start_indices), *[None] * len(start_indices)]


defjvp_rule(gather_p, _linear_jvp(gather_p, slice(0, 1)))
primitive_transposes[gather_p] = _gather_transpose
defjvp_rule(dynamic_slice_p, _linear_jvp(dynamic_slice_p, slice(0, 1)))
primitive_transposes[dynamic_slice_p] = _dynamic_slice_transpose


# ---------------------------------------------------------------- the linear scatters, dynamic_update_slice


def _scatter_add_transpose(ct, operand, updates, *indices, axes):
    t_operand = ct if _is_linear(operand) else None
    t_updates = None
    if _is_linear(updates):
        shape = _aval_of(operand).shape
        gathered = gather_p.bind(ct, *_clamped(indices, shape, axes), axes=axes)
        t_updates = _mask(_in_range(indices, shape, axes), gathered)
    return [t_operand, t_updates, *[None] * len(indices)]


def _scatter_transpose(ct, operand, updates, *indices, axes):
    up_aval = _aval_of(updates)
    shape = _aval_of(operand).shape
    t_operand = t_updates = None
    if _is_linear(operand):  # the operand's places that were overwritten get nothing
        t_operand = scatter_p.bind(ct, _zeros(up_aval), *indices, axes=axes)
    if _is_linear(updates):
        gathered = gather_p.bind(ct, *_clamped(indices, shape, axes), axes=axes)
        t_updates = _mask(_winners(shape, up_aval.shape, indices, axes), gathered)
    return [t_operand, t_updates, *[None] * len(indices)]


def _dynamic_update_slice_transpose(ct, operand, update, *start_indices):
    up_aval = _aval_of(update)
    t_operand = t_update = None
    if _is_linear(operand):
        t_operand = dynamic_update_slice_p.bind(ct, _zeros(up_aval), *start_indices)
    if _is_linear(update):
        t_update = dynamic_slice_p.bind(ct, *start_indices, slice_sizes=up_aval.shape)
    return [t_operand, t_update, *[None] * len(start_indices)]


defjvp_rule(scatter_add_p, _linear_jvp(scatter_add_p, slice(0, 2)))
primitive_transposes[scatter_add_p] = _scatter_add_transpose
defjvp_rule(scatter_p, _linear_jvp(scatter_p, slice(0, 2)))
primitive_transposes[scatter_p] = _scatter_transpose
defjvp_rule(dynamic_update_slice_p, _linear_jvp(dynamic_update_slice_p, slice(0, 2)))
primitive_transposes[dynamic_update_slice_p] = _dynamic_update_slice_transpose


# ---------------------------------------------------------------- scatter_mul, scatter_min, scatter_max


def _unique(indices, shape, axes):
    """Whether the in-range indices are known to name distinct places."""
    values = [_concrete(i) for i in indices]
    if any(v is None for v in values):
        return False
    if not values:
        return True
    values = np.broadcast_arrays(*values)
    keep = np.ones(values[0].shape, bool)
    for v, axis in zip(values, axes):
        keep &= (v >= 0) & (v < shape[axis])
    places = np.stack([v[keep] for v in values], axis=-1)
    return len(np.unique(places, axis=0)) == len(places)


def _scatter_mul_jvp(primals, tangents, *, axes):
    operand, updates, *indices = primals
    t_operand, t_updates = tangents[:2]
    aval = get_aval(operand)
    out = scatter_mul_p.bind(operand, updates, *indices, axes=axes)
    # out = operand * factor, factor the product of the updates at each place
    factor = scatter_mul_p.bind(_full(aval.shape, 1, aval.dtype), updates, *indices, axes=axes)
    tangent = Zero(aval.strip_weak_type())
    if type(t_operand) is not Zero:
        tangent = _mul.bind(t_operand, factor)
    if type(t_updates) is not Zero:
        up_aval = get_aval(updates)
        if not _unique(indices, aval.shape, axes):
            # each update's coefficient is the product of the others at its place: 1 where it
            # is alone there, else factor / update (exact while such updates are nonzero)
            clamped = _clamped(indices, aval.shape, axes)
            ones = _full(up_aval.shape, 1, up_aval.dtype)
            count = gather_p.bind(scatter_add_p.bind(_zeros(aval), ones, *indices, axes=axes), *clamped, axes=axes)
            safe = select_n_p.bind(_eq.bind(updates, _scalar(up_aval.dtype, 0)), updates, ones)
            others = _div.bind(gather_p.bind(factor, *clamped, axes=axes), safe)
            t_updates = _mul.bind(t_updates, select_n_p.bind(_eq.bind(count, _scalar(up_aval.dtype, 1)), others, ones))
        spread = scatter_add_p.bind(_zeros(aval), t_updates, *indices, axes=axes)
        tangent = add_tangents(tangent, _mul.bind(operand, spread))
    return out, tangent


def _scatter_extremum_jvp(primitive):
    def rule(primals, tangents, *, axes):
        operand, updates, *indices = primals
        t_operand, t_updates = tangents[:2]
        aval = get_aval(operand)
        dtype = aval.dtype
        out = primitive.bind(operand, updates, *indices, axes=axes)
        # every value equal to the result (the operand, or updates at that place) shares it
        won_operand = _convert(_eq.bind(operand, out), dtype)
        at_place = gather_p.bind(out, *_clamped(indices, aval.shape, axes), axes=axes)
        won_updates = _convert(_eq.bind(updates, at_place), dtype)
        count = _add.bind(won_operand, scatter_add_p.bind(_zeros(aval), won_updates, *indices, axes=axes))
        total = Zero(aval.strip_weak_type())
        if type(t_operand) is not Zero:
            total = _mul.bind(t_operand, won_operand)
        if type(t_updates) is not Zero:
            spread = scatter_add_p.bind(_zeros(aval), _mul.bind(t_updates, won_updates), *indices, axes=axes)
            total = add_tangents(total, spread)
        return out, _div.bind(total, count)

    return rule


defjvp_rule(scatter_mul_p, _scatter_mul_jvp)
defjvp_rule(scatter_min_p, _scatter_extremum_jvp(scatter_min_p))
defjvp_rule(scatter_max_p, _scatter_extremum_jvp(scatter_max_p))
