"""Derivative of sort (sort.py): the tangents move with their elements.

The JVP sorts the operands together with an iota (one more operand, not a key), which gives
the permutation sort applied; every operand's tangent is gathered through it, so reverse mode
transposes a gather (a scatter_add). Sort is differentiable where the keys have no ties.
"""

import numpy as np

from ..core import get_aval
from ..transforms.ad import Zero, defjvp_rule
from .reductions_ad import _take_along_axis
from .shape_ad import _iota
from .sort import sort_p

__all__ = []


def _sort_jvp(primals, tangents, *, dimension, is_stable, num_keys):
    shape = get_aval(primals[0]).shape
    *outs, permutation = sort_p.bind(
        *primals, _iota(shape, dimension), dimension=dimension, is_stable=is_stable, num_keys=num_keys
    )
    tangents_out = [
        Zero(get_aval(o).strip_weak_type()) if type(t) is Zero else _take_along_axis(t, permutation, dimension)
        for o, t in zip(outs, tangents)
    ]
    return outs, tangents_out


defjvp_rule(sort_p, _sort_jvp)
