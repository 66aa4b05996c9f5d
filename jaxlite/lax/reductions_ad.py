"""Derivatives of the reductions, arg-reductions and cumulative primitives (reductions.py).

`reduce_sum` and `cumsum` are linear. The others' JVPs are written with linear primitives
(mul by a residual, reduce_sum, gather, pad, add), so reverse mode needs no further transposes:

- reduce_max/reduce_min: the tangent averaged over the places equal to the result (ties split
  evenly, as JAX does);
- reduce_prod: each tangent times the product of all the other elements, from exclusive
  cumulative products (exact with zeros);
- cumprod, cumlogsumexp: the tangent obeys the linear recurrence
  dy[i] = a[i] * dy[i-1] + b[i] (cumprod: a = x, b = y[i-1] * t, exact with zeros;
  cumlogsumexp: a = exp(y[i-1] - y[i]), b = exp(x[i] - y[i]) * t, both <= 1), solved by a
  log-depth (Hillis-Steele) scan;
- cummax/cummin: the tangent at the place of the running extremum (the latest place, among
  equal ones);
- argmax, argmin and the bitwise reductions have zero derivatives.
"""

import math

import numpy as np

from ..core import get_aval
from ..transforms.ad import Zero, defjvp_rule, defjvp_zero, deflinear
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .indexing import PRIMITIVES as _INDEXING
from .reductions import (
    PRIMITIVES,
    cumlogsumexp_p,
    cummax_p,
    cummin_p,
    cumprod_p,
    cumsum_p,
    reduce_max_p,
    reduce_min_p,
    reduce_prod_p,
    reduce_sum_p,
)
from .shape import broadcast_in_dim_p, select_n_p
from .shape_ad import _convert, _full, _iota, _reshape, _shift, _sum, _transpose

__all__ = []

_gather_p = _INDEXING["gather"]

_mul, _div, _add, _sub, _eq, _exp = (_ELEMENTWISE[n] for n in ("mul", "div", "add", "sub", "eq", "exp"))


def _kept(ndim, axes):
    return tuple(d for d in range(ndim) if d not in axes)


def _unreduce(x, shape, axes):
    """Broadcast a reduction's result back to the operand's shape."""
    return broadcast_in_dim_p.bind(x, shape=tuple(shape), broadcast_dimensions=_kept(len(shape), axes))


def _take_along_axis(x, index, axis):
    """x[..., index[..., i, ...], ...] along `axis`: a gather, so it transposes to a scatter_add."""
    shape = get_aval(x).shape
    indices = [index if d == axis else _iota(shape, d) for d in range(len(shape))]
    return _gather_p.bind(x, *indices, axes=tuple(range(len(shape))))


# ---------------------------------------------------------------- reductions


def _reduce_sum_transpose(ct, operand, *, axes):
    return [_unreduce(ct, operand.aval.shape, axes)]


deflinear(reduce_sum_p, _reduce_sum_transpose)


def _reduce_extremum_jvp(primitive):
    def rule(primals, tangents, *, axes):
        (x,), (t,) = primals, tangents
        out = primitive.bind(x, axes=axes)
        shape, dtype = get_aval(x).shape, get_aval(out).dtype
        where = _convert(_eq.bind(x, _unreduce(out, shape, axes)), dtype)
        count = _sum(where, axes)
        return out, _div.bind(_sum(_mul.bind(t, where), axes), count)

    return rule


defjvp_rule(reduce_max_p, _reduce_extremum_jvp(reduce_max_p))
defjvp_rule(reduce_min_p, _reduce_extremum_jvp(reduce_min_p))


def _product_of_others(x, axes):
    """For each element of `x`, the product of all the other elements of its reduction."""
    aval = get_aval(x)
    kept = _kept(aval.ndim, axes)
    order = (*kept, *sorted(axes))
    moved = _transpose(x, order)
    moved_shape = get_aval(moved).shape
    n = math.prod([aval.shape[a] for a in axes])
    flat = _reshape(moved, (*(aval.shape[d] for d in kept), n))
    last = len(kept)
    before = cumprod_p.bind(_shift(flat, last, 1, 1), axis=last, reverse=False)
    after = cumprod_p.bind(_shift(flat, last, 1, 1, reverse=True), axis=last, reverse=True)
    others = _reshape(_mul.bind(before, after), moved_shape)
    return _transpose(others, np.argsort(order))


def _reduce_prod_jvp(primals, tangents, *, axes):
    (x,), (t,) = primals, tangents
    out = reduce_prod_p.bind(x, axes=axes)
    if not axes:
        return out, t
    if get_aval(x).size == 0:
        return out, Zero(get_aval(out).strip_weak_type())
    return out, _sum(_mul.bind(t, _product_of_others(x, axes)), axes)


defjvp_rule(reduce_prod_p, _reduce_prod_jvp)

for _name in ("reduce_and", "reduce_or", "reduce_xor", "argmax", "argmin"):
    defjvp_zero(PRIMITIVES[_name])


# ---------------------------------------------------------------- cumulative


def _cumsum_transpose(ct, operand, *, axis, reverse):
    return [cumsum_p.bind(ct, axis=axis, reverse=not reverse)]


deflinear(cumsum_p, _cumsum_transpose)


def _linear_recurrence(a, b, axis, reverse):
    """h with h[i] = a[i] * h[i-1] + b[i] along `axis` (h[-1] = 0; from the end if `reverse`).

    A log-depth scan: after the step of offset s, (A[i], B[i]) is the affine map taking
    h[i-s] to h[i]. Linear in `b`; `a` is a residual.
    """
    n = get_aval(a).shape[axis]
    offset = 1
    while offset < n:
        b = _add.bind(b, _mul.bind(a, _shift(b, axis, offset, 0, reverse)))
        offset *= 2
        if offset < n:
            a = _mul.bind(a, _shift(a, axis, offset // 2, 1, reverse))
    return b


def _cumprod_jvp(primals, tangents, *, axis, reverse):
    (x,), (t,) = primals, tangents
    out = cumprod_p.bind(x, axis=axis, reverse=reverse)
    previous = _shift(out, axis, 1, 1, reverse)  # the product before each element
    return out, _linear_recurrence(x, _mul.bind(t, previous), axis, reverse)


def _cumlogsumexp_jvp(primals, tangents, *, axis, reverse):
    (x,), (t,) = primals, tangents
    out = cumlogsumexp_p.bind(x, axis=axis, reverse=reverse)
    previous = _shift(out, axis, 1, -np.inf, reverse)
    a = _exp.bind(_sub.bind(previous, out))
    b = _mul.bind(t, _exp.bind(_sub.bind(x, out)))
    return out, _linear_recurrence(a, b, axis, reverse)


def _cumulative_extremum_jvp(primitive):
    def rule(primals, tangents, *, axis, reverse):
        (x,), (t,) = primals, tangents
        out = primitive.bind(x, axis=axis, reverse=reverse)
        shape = get_aval(x).shape
        n = shape[axis]
        place = _iota(shape, axis)
        new = _eq.bind(x, out)  # where the running extremum is (re)attained
        # the place of the running extremum: the latest place <= i where it was attained
        # (or, from the end, the earliest place >= i)
        if reverse:
            marked = select_n_p.bind(new, _full(shape, n - 1, place.dtype), place)
            index = cummin_p.bind(marked, axis=axis, reverse=True)
        else:
            marked = select_n_p.bind(new, _full(shape, 0, place.dtype), place)
            index = cummax_p.bind(marked, axis=axis, reverse=False)
        return out, _take_along_axis(t, index, axis)

    return rule


defjvp_rule(cumprod_p, _cumprod_jvp)
defjvp_rule(cumlogsumexp_p, _cumlogsumexp_jvp)
defjvp_rule(cummax_p, _cumulative_extremum_jvp(cummax_p))
defjvp_rule(cummin_p, _cumulative_extremum_jvp(cummin_p))
