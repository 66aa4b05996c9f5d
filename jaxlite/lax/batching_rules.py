"""Batching rules of the elementwise, structural, reduction, dot and sort primitives.

Each rule receives the operands' values and batch dims (None: unbatched) and returns the
result and its batch dim. Rules keep the batch axis where it is whenever the primitive allows
it; the indexing primitives' rules are in indexing_batching.py.
"""

import numpy as np

from ..core import get_aval
from ..transforms.batching import (
    bdim_at_front,
    defaxis,
    defbroadcasting,
    defreducer,
    defvectorized,
    move_to,
    primitive_batchers,
    unbatched_axis,
)
from .dot import dot_general_p
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .random_bits import threefry2x32_p
from .reductions import CUMULATIVE, REDUCERS, argmax_p, argmin_p
from .reductions import PRIMITIVES as _REDUCTIONS
from .shape import (
    broadcast_in_dim_p,
    concatenate_p,
    convert_element_type_p,
    copy_p,
    pad_p,
    reshape_p,
    rev_p,
    select_n_p,
    slice_p,
    squeeze_p,
    transpose_p,
)
from .sort import sort_p
from .stop_gradient import stop_gradient_p

__all__ = []

for _prim in _ELEMENTWISE.values():
    defbroadcasting(_prim)
defbroadcasting(select_n_p, scalar_operands=(0,))  # the cases share one shape; the predicate may be ()
for _prim in (convert_element_type_p, copy_p, stop_gradient_p):
    defvectorized(_prim)
for _name in REDUCERS:
    defreducer(_REDUCTIONS[_name])
for _name in CUMULATIVE:
    defaxis(_REDUCTIONS[_name])
defaxis(sort_p, "dimension")


# ---------------------------------------------------------------- structural


def _broadcast_in_dim_batch(axis_size, vals, dims, *, shape, broadcast_dimensions):
    (x,), (bdim,) = vals, dims
    x = bdim_at_front(x, bdim, axis_size)
    out = broadcast_in_dim_p.bind(
        x, shape=(axis_size, *shape), broadcast_dimensions=(0, *(d + 1 for d in broadcast_dimensions))
    )
    return out, 0


def _reshape_batch(axis_size, vals, dims, *, new_sizes):
    (x,), (bdim,) = vals, dims
    return reshape_p.bind(bdim_at_front(x, bdim, axis_size), new_sizes=(axis_size, *new_sizes)), 0


def _transpose_batch(axis_size, vals, dims, *, permutation):
    (x,), (bdim,) = vals, dims
    perm = tuple(unbatched_axis(p, bdim) for p in permutation)
    return transpose_p.bind(x, permutation=(*perm[:bdim], bdim, *perm[bdim:])), bdim


def _squeeze_batch(axis_size, vals, dims, *, dimensions):
    (x,), (bdim,) = vals, dims
    dimensions = tuple(unbatched_axis(d, bdim) for d in dimensions)
    return squeeze_p.bind(x, dimensions=dimensions), bdim - sum(d < bdim for d in dimensions)


def _rev_batch(axis_size, vals, dims, *, dimensions):
    (x,), (bdim,) = vals, dims
    return rev_p.bind(x, dimensions=tuple(unbatched_axis(d, bdim) for d in dimensions)), bdim


def _insert(seq, bdim, value):
    seq = list(seq)
    seq.insert(bdim, value)
    return tuple(seq)


def _slice_batch(axis_size, vals, dims, *, start_indices, limit_indices, strides):
    (x,), (bdim,) = vals, dims
    out = slice_p.bind(
        x,
        start_indices=_insert(start_indices, bdim, 0),
        limit_indices=_insert(limit_indices, bdim, axis_size),
        strides=_insert(strides, bdim, 1) if strides else strides,
    )
    return out, bdim


def _pad_batch(axis_size, vals, dims, *, padding_config):
    (x, value), (bdim, value_bdim) = vals, dims
    if value_bdim is None:
        x = move_to(x, bdim, 0, axis_size)
        return pad_p.bind(x, value, padding_config=((0, 0, 0), *padding_config)), 0
    # A batched padding value: pad with zeros, then select the value where padding went.
    x = bdim_at_front(x, bdim, axis_size)
    zero = get_aval(value).dtype.type(0)
    config = ((0, 0, 0), *padding_config)
    padded = pad_p.bind(x, zero, padding_config=config)
    mask = pad_p.bind(
        broadcast_in_dim_p.bind(True, shape=get_aval(x).shape, broadcast_dimensions=()),
        False, padding_config=config,
    )
    shape = get_aval(padded).shape
    fill = broadcast_in_dim_p.bind(bdim_at_front(value, value_bdim, axis_size), shape=shape, broadcast_dimensions=(0,))
    return select_n_p.bind(mask, fill, padded), 0


def _concatenate_batch(axis_size, vals, dims, *, dimension):
    bdim = next(d for d in dims if d is not None)
    args = [move_to(v, d, bdim, axis_size) for v, d in zip(vals, dims)]
    return concatenate_p.bind(*args, dimension=unbatched_axis(dimension, bdim)), bdim


primitive_batchers.update({
    broadcast_in_dim_p: _broadcast_in_dim_batch,
    reshape_p: _reshape_batch,
    transpose_p: _transpose_batch,
    squeeze_p: _squeeze_batch,
    rev_p: _rev_batch,
    slice_p: _slice_batch,
    pad_p: _pad_batch,
    concatenate_p: _concatenate_batch,
})


# ---------------------------------------------------------------- reductions, dot, random bits


def _arg_batch(primitive):
    def rule(axis_size, vals, dims, *, axis, index_dtype):
        (x,), (bdim,) = vals, dims
        axis = unbatched_axis(axis, bdim)
        return primitive.bind(x, axis=axis, index_dtype=index_dtype), bdim - (axis < bdim)

    return rule


def _dot_general_batch(axis_size, vals, dims, *, dimension_numbers, preferred_element_type):
    """A batched operand's batch axis becomes a dot_general batch axis (both batched) or a free
    axis (one batched), so no operand is moved or copied."""
    (lhs, rhs), (lbd, rbd) = vals, dims
    (lc, rc), (lb, rb) = dimension_numbers
    lc, lb = [tuple(unbatched_axis(a, lbd) for a in axes) for axes in (lc, lb)]
    rc, rb = [tuple(unbatched_axis(a, rbd) for a in axes) for axes in (rc, rb)]
    if lbd is not None and rbd is not None:
        numbers = ((lc, rc), ((lbd, *lb), (rbd, *rb)))
        out_dim = 0
    else:
        numbers = ((lc, rc), (lb, rb))
        if lbd is not None:  # a free lhs axis: after the batch axes, in lhs order
            out_dim = len(lb) + sum(1 for a in range(lbd) if a not in lc and a not in lb)
        else:  # a free rhs axis: after the batch axes and all lhs free axes
            lhs_free = get_aval(lhs).ndim - len(lc) - len(lb)
            out_dim = len(lb) + lhs_free + sum(1 for a in range(rbd) if a not in rc and a not in rb)
    out = dot_general_p.bind(lhs, rhs, dimension_numbers=numbers, preferred_element_type=preferred_element_type)
    return out, out_dim


def _threefry_batch(axis_size, vals, dims):
    """Batched counters are elementwise; batched keys are broadcast against them, which the
    primitive (scalar keys) cannot do, so each key runs on its own slice of the counters."""
    (k0, k1, x0, x1), (d0, d1, dx0, dx1) = vals, dims
    if d0 is None and d1 is None:
        bdim = dx0 if dx0 is not None else dx1
        x0, x1 = move_to(x0, dx0, bdim, axis_size), move_to(x1, dx1, bdim, axis_size)
        return threefry2x32_p.bind(k0, k1, x0, x1), [bdim, bdim]
    front = [bdim_at_front(v, d, axis_size) for v, d in zip(vals, dims)]
    if axis_size == 0:
        empty = broadcast_in_dim_p.bind(np.uint32(0), shape=get_aval(front[2]).shape, broadcast_dimensions=())
        return [empty, empty], [0, 0]
    outs = [threefry2x32_p.bind(*[_example(v, i) for v in front]) for i in range(axis_size)]
    return [_stack([o[j] for o in outs]) for j in range(2)], [0, 0]


def _example(x, i):
    """Example `i` of a batch-first value."""
    shape = get_aval(x).shape
    one = slice_p.bind(x, start_indices=(i, *(0,) * (len(shape) - 1)), limit_indices=(i + 1, *shape[1:]), strides=None)
    return reshape_p.bind(one, new_sizes=shape[1:])


def _stack(values):
    shape = get_aval(values[0]).shape
    parts = [broadcast_in_dim_p.bind(v, shape=(1, *shape), broadcast_dimensions=tuple(range(1, len(shape) + 1)))
             for v in values]
    return concatenate_p.bind(*parts, dimension=0)


primitive_batchers.update({
    argmax_p: _arg_batch(argmax_p),
    argmin_p: _arg_batch(argmin_p),
    dot_general_p: _dot_general_batch,
    threefry2x32_p: _threefry_batch,
})
