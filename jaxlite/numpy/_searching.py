"""Searching functions: where, nonzero, argwhere, flatnonzero, searchsorted.

Functions whose result shape depends on values (nonzero, argwhere, flatnonzero, one-argument
where) work eagerly; under a transform they need a static `size=` (as in JAX), and pad with
`fill_value`.
"""

import numpy as np

from .. import lax
from ..core import Tracer, concrete_or_error
from ._base import broadcast_operands, filled, operand, promote, shape_of, to_numpy, tracing, wrap
from ._ufuncs import isnan, less, logical_and, logical_not, logical_or, not_equal

__all__ = ["where", "nonzero", "argwhere", "flatnonzero", "searchsorted"]


def where(condition, x=None, y=None, /, *, size=None, fill_value=None):
    """Elements of `x` where `condition` holds, else of `y`; `where(condition)` is nonzero."""
    if x is None and y is None:
        return _nonzero(condition, size, fill_value, "where", "condition")
    if x is None or y is None:
        raise ValueError("where(): either both or neither of x and y should be given")
    if not tracing():
        return wrap(np.where(to_numpy(condition), to_numpy(x), to_numpy(y)))
    cond = operand(condition, "where", "condition")
    if not (isinstance(cond, Tracer) and cond.dtype == np.bool_):
        cond = not_equal(cond, 0) if not isinstance(cond, Tracer) else lax.ne(cond, np.zeros((), cond.dtype)[()])
    x, y = promote("where", x, y)
    cond, x, y = broadcast_operands("where", cond, x, y, keep_scalars=False)
    return lax.select_n(cond, y, x)


def _static_size(x, size, fname, argname):
    """The result length: `size`, or the count of nonzeros when the trace knows x's value."""
    if size is not None:
        return int(concrete_or_error(size, fname, "size"))
    value = concrete_or_error(
        x, fname, argname, fix=f"pass size=N (and optionally fill_value=) to {fname}() to fix the result's length"
    )
    return int(np.count_nonzero(value))


def nonzero(a, *, size=None, fill_value=None):
    """Indices of the nonzero elements, one array per axis, as numpy.nonzero."""
    return _nonzero(a, size, fill_value, "nonzero")


def _nonzero(a, size, fill_value, fname, argname="a"):
    """nonzero(a), its errors naming `fname` and `argname` (argwhere, flatnonzero and where call it)."""
    x = operand(a, fname, argname)
    if not isinstance(x, Tracer):
        value = to_numpy(x)
        if np.ndim(value) == 0:
            raise ValueError("nonzero(): calling nonzero on 0d arrays is not allowed; use atleast_1d(a).nonzero()")
        indices = np.nonzero(value)
        if size is not None:
            indices = tuple(_pad_or_cut(i, int(size), fill_value) for i in indices)
        return tuple(wrap(i) for i in indices)
    size = _static_size(x, size, fname, argname)
    if x.ndim == 0:
        raise ValueError("nonzero(): calling nonzero on 0d arrays is not allowed; use atleast_1d(a).nonzero()")
    flat = _flat_positions(x, size, fill_value)
    return _unravel(flat, x.shape, fill_value)


def _pad_or_cut(index, size, fill_value):
    if len(index) >= size:
        return index[:size]
    pad = np.full(size - len(index), 0 if fill_value is None else fill_value, dtype=index.dtype)
    return np.concatenate([index, pad])


def _flat_positions(x, size, fill_value):
    """Flat indices of the first `size` nonzero elements of tracer `x`, padded with -1."""
    mask = lax.reshape(lax.ne(x, np.zeros((), x.dtype)[()]), (x.size,))
    rank = lax.sub(lax.cumsum(lax.convert_element_type(mask, np.int64), 0), np.int64(1))
    target = lax.select_n(mask, filled((x.size,), size, np.int64), rank)
    positions = lax.iota(np.int64, x.size)
    empty = filled((size,), -1, np.int64)
    return lax.scatter(empty, (target,), positions, (0,))


def _unravel(flat, shape, fill_value):
    found = lax.ge(flat, np.int64(0))
    indices = []
    rest = lax.max(flat, np.int64(0))
    for extent in reversed(shape):
        indices.append(lax.rem(rest, np.int64(extent)))
        rest = lax.floor_divide(rest, np.int64(extent))
    fill = filled(flat.shape, 0 if fill_value is None else fill_value, np.int64)
    return tuple(lax.select_n(found, fill, i) for i in reversed(indices))


def argwhere(a, *, size=None, fill_value=None):
    """Indices of nonzero elements grouped by element, shape (N, a.ndim), as numpy.argwhere."""
    if not tracing() and size is None:
        return wrap(np.argwhere(to_numpy(a)))
    x = operand(a, "argwhere", "a")
    if len(shape_of(x)) == 0:
        (column,) = _nonzero(lax.reshape(x, (1,)), size, fill_value, "argwhere")
        return filled((column.shape[0], 0), 0, np.int64)
    columns = _nonzero(x, size, fill_value, "argwhere")
    return lax.concatenate([lax.reshape(c, (c.shape[0], 1)) for c in columns], 1)


def flatnonzero(a, *, size=None, fill_value=None):
    """Indices of nonzero elements of the flattened array, as numpy.flatnonzero."""
    if not tracing() and size is None:
        return wrap(np.flatnonzero(to_numpy(a)))
    x = operand(a, "flatnonzero", "a")
    return _nonzero(lax.reshape(x, (int(np.prod(shape_of(x))),)), size, fill_value, "flatnonzero")[0]


def searchsorted(a, v, side="left", sorter=None):
    """Indices where `v` would be inserted to keep sorted `a` sorted, as numpy.searchsorted."""
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted(): side must be 'left' or 'right', got {side!r}")
    if not tracing():
        sorter = None if sorter is None else to_numpy(sorter)
        return wrap(np.searchsorted(to_numpy(a), to_numpy(v), side=side, sorter=sorter))
    a, v = promote("searchsorted", a, v)
    if len(shape_of(a)) != 1:
        raise ValueError(f"searchsorted(): a must be 1-d, got shape {shape_of(a)}")
    if sorter is not None:
        from ._index_functions import take

        a = take(a, sorter)
    v_shape = tuple(shape_of(v))
    a_row = lax.broadcast_in_dim(a, (*v_shape, a.shape[0]), (len(v_shape),))
    v_col = lax.broadcast_in_dim(v, (*v_shape, a.shape[0]), tuple(range(len(v_shape))))
    before = _nan_last_less(a_row, v_col) if side == "left" else logical_not(_nan_last_less(v_col, a_row))
    return lax.reduce_sum(lax.convert_element_type(before, np.int64), (len(v_shape),))


def _nan_last_less(p, q):
    """p < q in NumPy's sort order, where NaN is greater than every number."""
    if p.dtype.kind not in "fc":
        return less(p, q)
    return logical_or(less(p, q), logical_and(isnan(q), logical_not(isnan(p))))
