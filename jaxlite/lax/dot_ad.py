"""Derivatives of dot_general (dot.py): bilinear, so its JVP is the sum of dot_generals with one
operand's tangent, and each operand's transpose is a dot_general of the cotangent with the
other operand followed by a transpose that puts the axes back in the operand's order.

With dimension numbers ((lc, rc), (lb, rb)) the output's axes are (batch, lhs free, rhs free).
For the lhs: contracting the cotangent's rhs-free axes with the rhs's free axes, batched over
the batch axes, gives axes (batch, lhs free, the rhs's remaining = contracting axes in
increasing rhs order); the lhs axis lc[k] pairs with rhs axis rc[k]. Symmetrically for the rhs.
"""

import numpy as np

from ..core import get_aval
from ..transforms.ad import defbilinear
from .dot import dot_general_p
from .shape_ad import _convert, _transpose

__all__ = []


def _free(ndim, *used):
    taken = set().union(*map(set, used))
    return [d for d in range(ndim) if d not in taken]


def _transpose_operand(ct, other, aval, mine, theirs, out_offset):
    """The cotangent of an operand with avals `aval` and dimension numbers `mine` = (contracting,
    batch) paired with the other operand's `theirs`; its free axes sit at `out_offset` in ct."""
    (contracting, batch), (other_contracting, other_batch) = mine, theirs
    other_ndim = get_aval(other).ndim
    free = _free(aval.ndim, contracting, batch)
    other_free = _free(other_ndim, other_contracting, other_batch)
    nbatch = len(batch)
    ct_other_free = tuple(range(out_offset, out_offset + len(other_free)))
    if get_aval(other).dtype != get_aval(ct).dtype:
        other = _convert(other, get_aval(ct).dtype)
    dims = ((ct_other_free, tuple(other_free)), (tuple(range(nbatch)), tuple(other_batch)))
    # dot_general(ct, other) has axes (batch, my free axes, then mine paired with the other's
    # contracting axes in increasing order of those); dot_general(other, ct) has the last two
    # groups swapped. Take whichever needs no transpose (e.g. x.T @ ct rather than (ct.T @ x).T).
    paired = [contracting[k] for k in np.argsort(other_contracting, kind="stable")]
    if not nbatch and paired + free == list(range(aval.ndim)):
        swapped = ((dims[0][1], dims[0][0]), ((), ()))
        result = dot_general_p.bind(other, ct, dimension_numbers=swapped, preferred_element_type=None)
        return _convert(result, aval.dtype)
    result = dot_general_p.bind(ct, other, dimension_numbers=dims, preferred_element_type=None)
    source = [*batch, *free, *paired]
    result = _transpose(result, [source.index(d) for d in range(aval.ndim)])
    return _convert(result, aval.dtype)


def _lhs_transpose(ct, lhs, rhs, *, dimension_numbers, preferred_element_type):
    (lc, rc), (lb, rb) = dimension_numbers
    aval = lhs.aval
    nfree = len(_free(aval.ndim, lc, lb))
    return _transpose_operand(ct, rhs, aval, (lc, lb), (rc, rb), len(lb) + nfree)


def _rhs_transpose(ct, lhs, rhs, *, dimension_numbers, preferred_element_type):
    (lc, rc), (lb, rb) = dimension_numbers
    aval = rhs.aval
    return _transpose_operand(ct, lhs, aval, (rc, rb), (lc, lb), len(lb))


defbilinear(dot_general_p, _lhs_transpose, _rhs_transpose)
