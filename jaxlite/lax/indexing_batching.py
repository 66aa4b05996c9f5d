"""Batching rules of gather, the scatters and dynamic slicing (indexing.py).

A batched operand's batch axis is one more axis for the primitive to carry: left unindexed
when the indices are shared by all examples, indexed by an iota (pairing each example with its
own indices) when they are not, so the operand itself is never moved. Batched index arrays
share one batch position, kept where the first of them has it. Dynamic slices with batched
starts become gathers and scatters over `start + iota` indices.
"""

import numpy as np

from .. import dtypes
from ..core import get_aval
from ..transforms.batching import move_to, moveaxis, primitive_batchers, unbatched_axis
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .indexing import SCATTERS, dynamic_slice_p, dynamic_update_slice_p, gather_p
from .indexing import PRIMITIVES as _INDEXING
from .shape import broadcast_in_dim_p, convert_element_type_p, iota_p, transpose_p

__all__ = []

_add, _max, _min = (_ELEMENTWISE[n] for n in ("add", "max", "min"))
_INDEX_DTYPE = dtypes.canonicalize_dtype(np.int64)


# ---------------------------------------------------------------- helpers


def _scalar(dtype, value):
    return np.asarray(value, dtype)[()]


def _iota_dtype(indices, size):
    """The index arrays' common dtype if it holds 0..size-1, else int64."""
    kinds = {get_aval(i).dtype for i in indices}
    if len(kinds) == 1:
        (dtype,) = kinds
        if np.iinfo(dtype).max >= size - 1:
            return dtype
    return _INDEX_DTYPE


def _iota(dtype, shape, dimension):
    return iota_p.bind(dtype=dtype, shape=tuple(shape), dimension=dimension)


def _index_bdim(indices, dims, preferred=None):
    """Where the batched index arrays share their batch axis: `preferred` if given, else where
    the first batched one has it."""
    if preferred is not None:
        return preferred
    return next(d for d in dims if d is not None)


def _batch_indices(indices, dims, bdim, axis_size):
    """Every index array with the batch axis at `bdim` (unbatched ones broadcast along it)."""
    return [move_to(i, d, bdim, axis_size) for i, d in zip(indices, dims)]


def _with_example_index(bdim, indices, index_bdim, axes, axis_size):
    """Index arrays and axes that also index the operand's batch axis `bdim` by an iota, so
    example j of the indices reads from example j of the operand."""
    shape = get_aval(indices[0]).shape
    example = _iota(_iota_dtype(indices, axis_size), shape, index_bdim)
    return [example, *indices], (bdim, *(unbatched_axis(a, bdim) for a in axes))


def _rest_position(ndim, axes, rank):
    """The position in the operand at which an inserted axis comes `rank`-th among the axes
    `axes` does not index (so it lands at that place among the updates' trailing axes)."""
    rest = [d for d in range(ndim) if d not in axes]
    return rest[rank] if rank < len(rest) else ndim


def _rest_rank(bdim, axes):
    """How many unindexed operand axes come before axis `bdim` of the batched operand."""
    return sum(1 for d in range(bdim) if d not in axes)


# ---------------------------------------------------------------- gather


def _gather_batch(axis_size, vals, dims, *, axes):
    (operand, *indices), (op_bdim, *idx_dims) = vals, dims
    if all(d is None for d in idx_dims):
        # the batch axis is one more unindexed axis: no data moves
        axes = tuple(unbatched_axis(a, op_bdim) for a in axes)
        batch_rank = get_aval(indices[0]).ndim if indices else 0
        return gather_p.bind(operand, *indices, axes=axes), batch_rank + _rest_rank(op_bdim, axes)
    index_bdim = _index_bdim(indices, idx_dims)
    indices = _batch_indices(indices, idx_dims, index_bdim, axis_size)
    if op_bdim is not None:
        indices, axes = _with_example_index(op_bdim, indices, index_bdim, axes, axis_size)
    return gather_p.bind(operand, *indices, axes=axes), index_bdim


primitive_batchers[gather_p] = _gather_batch


# ---------------------------------------------------------------- scatters


def _scatter_batch(primitive):
    def rule(axis_size, vals, dims, *, axes):
        (operand, updates, *indices), (op_bdim, up_bdim, *idx_dims) = vals, dims
        batch_rank = get_aval(indices[0]).ndim - (idx_dims[0] is not None) if indices else 0
        if all(d is None for d in idx_dims):
            return _scatter_shared_indices(primitive, axis_size, operand, op_bdim, updates, up_bdim,
                                           indices, axes, batch_rank)
        # each example's indices: index the operand's batch axis by an iota
        preferred = up_bdim if up_bdim is not None and up_bdim <= batch_rank else None
        index_bdim = _index_bdim(indices, idx_dims, preferred)
        indices = _batch_indices(indices, idx_dims, index_bdim, axis_size)
        if op_bdim is None:
            operand, op_bdim = move_to(operand, None, 0, axis_size), 0
        indices, axes = _with_example_index(op_bdim, indices, index_bdim, axes, axis_size)
        updates = move_to(updates, up_bdim, index_bdim, axis_size)
        return primitive.bind(operand, updates, *indices, axes=axes), op_bdim

    return rule


def _scatter_shared_indices(primitive, axis_size, operand, op_bdim, updates, up_bdim, indices, axes, batch_rank):
    """Indices shared by all examples: the batch axis is one more unindexed axis of operand
    and updates, placed where the batched one of them already has it."""
    if op_bdim is None:
        rank = up_bdim - batch_rank if up_bdim is not None and up_bdim >= batch_rank else 0
        op_bdim = _rest_position(get_aval(operand).ndim, axes, rank)
        operand = move_to(operand, None, op_bdim, axis_size)
    axes = tuple(unbatched_axis(a, op_bdim) for a in axes)
    updates = move_to(updates, up_bdim, batch_rank + _rest_rank(op_bdim, axes), axis_size)
    return primitive.bind(operand, updates, *indices, axes=axes), op_bdim


for _name in SCATTERS:
    primitive_batchers[_INDEXING[_name]] = _scatter_batch(_INDEXING[_name])


# ---------------------------------------------------------------- dynamic slicing


def _zero_start(starts):
    dtype = get_aval(starts[0]).dtype if starts else _INDEX_DTYPE
    return _scalar(dtype, 0)


def _clamped_start(start, size, length):
    """`start` clamped into [0, size - length] as dynamic_slice does, as int64 (computed in
    its own dtype first, so no value wraps on conversion)."""
    dtype = get_aval(start).dtype
    top = size - length
    if dtype.kind == "i":
        start = _max.bind(start, _scalar(dtype, 0))
    if top <= np.iinfo(dtype).max:
        start = _min.bind(start, _scalar(dtype, top))
    if dtype != _INDEX_DTYPE:
        start = convert_element_type_p.bind(start, new_dtype=_INDEX_DTYPE, weak_type=False)
    return start


def _start_index(start, start_bdim, shape, dimension):
    """The index array start + iota along `dimension`, of `shape` (batch axis 0), for a clamped
    start that is a batch of scalars (start_bdim 0) or one scalar (None)."""
    spread = broadcast_in_dim_p.bind(start, shape=shape, broadcast_dimensions=() if start_bdim is None else (0,))
    if shape[dimension] == 1:
        return spread
    return _add.bind(spread, _iota(_INDEX_DTYPE, shape, dimension))


def _dynamic_slice_batch(axis_size, vals, dims, *, slice_sizes):
    (operand, *starts), (op_bdim, *start_dims) = vals, dims
    if all(d is None for d in start_dims):
        starts = list(starts)
        starts.insert(op_bdim, _zero_start(starts))
        sizes = list(slice_sizes)
        sizes.insert(op_bdim, axis_size)
        return dynamic_slice_p.bind(operand, *starts, slice_sizes=tuple(sizes)), op_bdim
    return _dynamic_slice_gather(axis_size, operand, op_bdim, starts, start_dims, slice_sizes)


def _dynamic_slice_gather(axis_size, operand, op_bdim, starts, start_dims, slice_sizes):
    """Batched starts: the axes with shared starts are sliced first; the axes with batched
    starts are gathered at start + iota, each example from its own operand example."""
    shape = list(get_aval(operand).shape)
    if op_bdim is not None:
        del shape[op_bdim]
    batched = [d for d, sd in enumerate(start_dims) if sd is not None]
    shared = [d for d, sd in enumerate(start_dims) if sd is None and slice_sizes[d] < shape[d]]
    if shared:
        zero = _zero_start(starts)
        pre_starts = [starts[d] if d in shared else zero for d in range(len(shape))]
        pre_sizes = [slice_sizes[d] if d in shared else shape[d] for d in range(len(shape))]
        if op_bdim is not None:
            pre_starts.insert(op_bdim, zero)
            pre_sizes.insert(op_bdim, axis_size)
        operand = dynamic_slice_p.bind(operand, *pre_starts, slice_sizes=tuple(pre_sizes))
    index_shape = (axis_size, *(slice_sizes[d] for d in batched))
    indices = []
    for j, d in enumerate(batched):
        start = _clamped_start(moveaxis(starts[d], start_dims[d], 0), shape[d], slice_sizes[d])
        indices.append(_start_index(start, 0, index_shape, j + 1))
    axes = tuple(batched)
    if op_bdim is not None:
        indices, axes = _with_example_index(op_bdim, indices, 0, axes, axis_size)
    out = gather_p.bind(operand, *indices, axes=axes)
    # out: batch, the batched-start axes, then the other axes in order
    order = [d for d in range(len(shape)) if d not in batched]
    position = {d: 1 + j for j, d in enumerate(batched + order)}
    perm = (0, *(position[d] for d in range(len(shape))))
    if perm != tuple(range(len(perm))):
        out = transpose_p.bind(out, permutation=perm)
    return out, 0


primitive_batchers[dynamic_slice_p] = _dynamic_slice_batch


def _dynamic_update_slice_batch(axis_size, vals, dims):
    (operand, update, *starts), (op_bdim, up_bdim, *start_dims) = vals, dims
    if all(d is None for d in start_dims):
        bdim = op_bdim if op_bdim is not None else up_bdim
        operand = move_to(operand, op_bdim, bdim, axis_size)
        update = move_to(update, up_bdim, bdim, axis_size)
        starts = list(starts)
        starts.insert(bdim, _zero_start(starts))
        return dynamic_update_slice_p.bind(operand, update, *starts), bdim
    return _dynamic_update_slice_scatter(axis_size, operand, op_bdim, update, up_bdim, starts, start_dims)


def _dynamic_update_slice_scatter(axis_size, operand, op_bdim, update, up_bdim, starts, start_dims):
    """Batched starts: a scatter at start + iota over every axis the update does not cover
    whole (or whose start is batched); the update's other axes follow as unindexed axes."""
    shape = list(get_aval(operand).shape)
    if op_bdim is not None:
        del shape[op_bdim]
    sizes = list(get_aval(update).shape)
    if up_bdim is not None:
        del sizes[up_bdim]
    indexed = [d for d in range(len(shape)) if start_dims[d] is not None or sizes[d] < shape[d]]
    index_shape = (axis_size, *(sizes[d] for d in indexed))
    indices = []
    for j, d in enumerate(indexed):
        start = starts[d] if start_dims[d] is None else moveaxis(starts[d], start_dims[d], 0)
        start_bdim = None if start_dims[d] is None else 0
        indices.append(_start_index(_clamped_start(start, shape[d], sizes[d]), start_bdim, index_shape, j + 1))
    if op_bdim is None:
        operand, op_bdim = move_to(operand, None, 0, axis_size), 0
    indices, axes = _with_example_index(op_bdim, indices, 0, tuple(indexed), axis_size)
    # the update as the scatter wants it: batch, the indexed axes, then the others in order
    update = move_to(update, up_bdim, 0, axis_size)
    order = indexed + [d for d in range(len(shape)) if d not in indexed]
    perm = (0, *(1 + d for d in order))
    if perm != tuple(range(len(perm))):
        update = transpose_p.bind(update, permutation=perm)
    return _INDEXING["scatter"].bind(operand, update, *indices, axes=axes), op_bdim


primitive_batchers[dynamic_update_slice_p] = _dynamic_update_slice_batch
