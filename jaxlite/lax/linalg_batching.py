"""Batching rules of the linalg primitives (linalg.py): every primitive already maps over its
operands' leading axes, so a batch axis among them stays where it is; one among the matrix
axes moves to the front. Two operands (solve, triangular_solve) need the same batch axes:
both get the batch axis at the same place (an unbatched one is broadcast); lu_solve's four
operands all get it in front."""

from ..core import get_aval
from ..transforms.batching import move_to, moveaxis, primitive_batchers
from .linalg import PRIMITIVES, lu_solve_p

__all__ = []


def _unary_batch(primitive):
    def rule(axis_size, vals, dims, **params):
        (x,), (bdim,) = vals, dims
        if bdim >= get_aval(x).ndim - 2:  # among the matrix axes
            x, bdim = moveaxis(x, bdim, 0), 0
        out = primitive.bind(x, **params)
        return (out, [bdim] * len(out)) if primitive.multiple_results else (out, bdim)

    return rule


def _binary_batch(primitive):
    def rule(axis_size, vals, dims, **params):
        (a, b), (da, db) = vals, dims
        if da is not None and da == db and da < get_aval(a).ndim - 2:
            return primitive.bind(a, b, **params), da
        a, b = move_to(a, da, 0, axis_size), move_to(b, db, 0, axis_size)
        return primitive.bind(a, b, **params), 0

    return rule


def _lu_solve_batch(axis_size, vals, dims, **params):
    return lu_solve_p.bind(*[move_to(x, d, 0, axis_size) for x, d in zip(vals, dims)], **params), 0


for _name, _primitive in PRIMITIVES.items():
    if _primitive is lu_solve_p:
        primitive_batchers[_primitive] = _lu_solve_batch
    else:
        _two = _name in ("solve", "triangular_solve")
        primitive_batchers[_primitive] = (_binary_batch if _two else _unary_batch)(_primitive)
