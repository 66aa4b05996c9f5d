"""dot_general: batched tensor contraction, the one primitive behind matmul, dot, einsum."""

import math

import numpy as np

from ..core import ShapedArray
from ._primitives import check_axes, standard_primitive

__all__ = ["dot_general_p"]


def _free_axes(ndim, *used):
    taken = set().union(*map(set, used))
    return [d for d in range(ndim) if d not in taken]


def _dot_general_impl(lhs, rhs, dimension_numbers, preferred_element_type=None):
    (lc, rc), (lb, rb) = dimension_numbers
    if preferred_element_type is not None:  # accumulate in the preferred type, as JAX does
        lhs, rhs = lhs.astype(preferred_element_type), rhs.astype(preferred_element_type)
    if not lb and lhs.ndim <= 2 and rhs.ndim <= 2 and len(lc) == 1:
        # A matrix or matrix-vector product: hand BLAS transposed views, not reshaped copies.
        lhs, rhs = lhs if lc == (lhs.ndim - 1,) else lhs.T, rhs if rc == (0,) else rhs.T
        if lhs.ndim == rhs.ndim == 2 and lhs.shape[1] == 1 and lhs.dtype == rhs.dtype:
            return np.multiply(lhs, rhs)  # an outer product: BLAS is slower at it than NumPy
        return np.matmul(lhs, rhs)
    lf, rf = _free_axes(lhs.ndim, lc, lb), _free_axes(rhs.ndim, rc, rb)
    if not lc:  # nothing contracted: an outer product per batch element, by broadcasting
        lhs_t = np.transpose(lhs, [*lb, *lf])
        rhs_t = np.transpose(rhs, [*rb, *rf])
        return lhs_t.reshape(lhs_t.shape + (1,) * len(rf)) * rhs_t.reshape(
            rhs_t.shape[: len(rb)] + (1,) * len(lf) + rhs_t.shape[len(rb) :])
    lhs_t = np.transpose(lhs, [*lb, *lf, *lc])
    rhs_t = np.transpose(rhs, [*rb, *rc, *rf])
    batch = lhs_t.shape[: len(lb)]
    m = math.prod(lhs_t.shape[len(lb) : len(lb) + len(lf)])
    k = math.prod([lhs.shape[d] for d in lc])
    n = math.prod(rhs_t.shape[len(rb) + len(rc) :])
    out = np.matmul(lhs_t.reshape(*batch, m, k), rhs_t.reshape(*batch, k, n))
    shape = [*batch, *(lhs.shape[d] for d in lf), *(rhs.shape[d] for d in rf)]
    return out.reshape(shape)


def _dot_general_rule(lhs, rhs, dimension_numbers, preferred_element_type=None):
    (lc, rc), (lb, rb) = dimension_numbers
    check_axes("dot_general", (*lc, *lb), lhs.ndim)
    check_axes("dot_general", (*rc, *rb), rhs.ndim)
    if len(lc) != len(rc) or len(lb) != len(rb):
        raise ValueError(f"dot_general: dimension_numbers {dimension_numbers} pair unequal numbers of axes")
    for name, la, ra in (("contracting", lc, rc), ("batch", lb, rb)):
        left, right = [lhs.shape[d] for d in la], [rhs.shape[d] for d in ra]
        if left != right:
            raise ValueError(
                f"dot_general: {name} dimensions must have equal sizes, got {tuple(left)} for "
                f"lhs shape {lhs.shape} and {tuple(right)} for rhs shape {rhs.shape}"
            )
    if lhs.dtype != rhs.dtype:
        raise TypeError(f"dot_general: operands must share a dtype, got {lhs.dtype} and {rhs.dtype}")
    shape = [
        *(lhs.shape[d] for d in lb),
        *(lhs.shape[d] for d in _free_axes(lhs.ndim, lc, lb)),
        *(rhs.shape[d] for d in _free_axes(rhs.ndim, rc, rb)),
    ]
    dtype = lhs.dtype if preferred_element_type is None else np.dtype(preferred_element_type)
    return ShapedArray(shape, dtype, lhs.weak_type and rhs.weak_type)


dot_general_p = standard_primitive("dot_general", _dot_general_impl, _dot_general_rule)
