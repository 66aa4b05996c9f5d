"""Set functions: unique (and the Array API's unique_all/counts/inverse/values), intersect1d,
union1d, setdiff1d, setxor1d, isin.

Results whose length depends on values work eagerly. Under a transform they need a static
`size=` (as in JAX): the result is cut or padded to that length, padded values being
`fill_value` (default: the smallest value of the result, or 0 if it is empty), padded indices
those of that smallest value, and padded counts 0. Without `size=` a ConcretizationTypeError
says so (unless the trace knows the operand's value, as under grad).
"""

from collections import namedtuple

import numpy as np

from ..core import concrete_or_error
from ._base import array_operand, normalize_axis, promote, static_int, to_numpy, tracing, wrap
from ._creation import zeros
from ._ranges import arange
from ._index_functions import take
from ._manipulation import concatenate, moveaxis, ravel, reshape
from ._reductions import any as _any, argmax, cumsum, sum as _sum
from ._searching import nonzero, where
from ._sorting import argsort, lexsort
from ._ufuncs import equal, isnan, less, logical_and, logical_not, not_equal

__all__ = [
    "unique", "unique_all", "unique_counts", "unique_inverse", "unique_values",
    "intersect1d", "union1d", "setdiff1d", "setxor1d", "isin",
]

UniqueAllResult = namedtuple("UniqueAllResult", "values indices inverse_indices counts")
UniqueCountsResult = namedtuple("UniqueCountsResult", "values counts")
UniqueInverseResult = namedtuple("UniqueInverseResult", "values inverse_indices")


def _wrap(x):
    return wrap(x) if isinstance(x, (np.ndarray, np.generic)) else x


def _wrap_all(result):
    return tuple(map(_wrap, result)) if isinstance(result, tuple) else _wrap(result)


def _result_size(fname, size, arrays, count):
    """The static result length: `size`, or `count(*values)` when the values are known."""
    if size is not None:
        return static_int(size, fname, "size")
    fix = f"pass size=N (and optionally fill_value=) to {fname}() to fix the result's length"
    values = [to_numpy(concrete_or_error(a, fname, name, fix=fix)) for name, a in arrays]
    return int(count(*values))


# ---------------------------------------------------------------- sorted runs


def _first_of_runs(rows, equal_nan):
    """For lexicographically sorted rows (n, m): whether each row differs from the previous."""
    if rows.shape[0] == 0:
        return zeros((0,), bool)
    before, after = rows[:-1], rows[1:]
    differ = not_equal(before, after)
    if equal_nan:
        differ = logical_and(differ, logical_not(logical_and(isnan(before), isnan(after))))
    head = np.ones((1,), bool)
    return concatenate([head, _any(differ, axis=1)])


def _sort_rows(rows):
    """The permutation sorting rows (n, m) lexicographically, stably."""
    if rows.shape[1] == 1:
        return argsort(rows[:, 0], stable=True)
    return lexsort([rows[:, j] for j in reversed(range(rows.shape[1]))])


def _compact(keep, size):
    """Positions of the first `size` True elements of `keep` (padded with 0), and which are real."""
    positions = nonzero(keep, size=size, fill_value=0)[0]
    return positions, less(arange(size), _sum(keep))


def _take(x, indices):
    """x[indices] along axis 0; zeros where x is empty (only padding is taken then)."""
    if x.shape[0] == 0:
        return zeros(tuple(indices.shape) + tuple(x.shape[1:]), x.dtype)
    return take(x, indices, axis=0)


def _padded(values, valid, fill_value):
    """values where valid, else fill_value (default: the first value, or 0 if none is valid)."""
    if fill_value is None:
        fill_value = where(valid[0], values[0], 0) if values.shape[0] else 0
    mask = reshape(valid, valid.shape + (1,) * (values.ndim - 1))
    return where(mask, values, fill_value).astype(values.dtype)


# ---------------------------------------------------------------- unique


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True,
           sorted=True, size=None, fill_value=None):  # noqa: A002  (NumPy's name)
    """Sorted unique elements (or slices along `axis`), optionally with the first index of each,
    the inverse (indices rebuilding `ar`) and the counts, as numpy.unique (+ JAX's size=)."""
    flags = (return_index, return_inverse, return_counts)
    if not tracing() and size is None:
        return _wrap_all(np.unique(to_numpy(ar), *flags, axis=axis, equal_nan=equal_nan, sorted=sorted))
    x = array_operand(ar, "unique", "ar")
    size = _result_size("unique", size, [("ar", x)],
                        lambda v: _unique_length(v, axis, equal_nan))
    values, index, inverse, counts = _unique(x, axis, equal_nan, size, fill_value)
    extras = tuple(r for r, flag in zip((index, inverse, counts), flags) if flag)
    return (values, *extras) if extras else values


def _unique_length(value, axis, equal_nan):
    values = np.unique(value, axis=axis, equal_nan=equal_nan)
    return values.shape[0 if axis is None else axis]


def _unique(x, axis, equal_nan, size, fill_value):
    if axis is None:
        rows, rest, inverse_shape = reshape(x, (x.size, 1)), (), x.shape
    else:
        axis = normalize_axis(axis, x.ndim, "unique")
        moved = moveaxis(x, axis, 0)
        rows, rest = reshape(moved, (moved.shape[0], -1)), moved.shape[1:]
        inverse_shape = (moved.shape[0],)
    n = rows.shape[0]
    perm = _sort_rows(rows)
    ordered = _take(rows, perm)
    first = _first_of_runs(ordered, equal_nan and axis is None and x.dtype.kind in "fc")
    starts, valid = _compact(first, size)
    values = _padded(_take(ordered, starts), valid, fill_value)
    index = where(valid, _take(perm, starts), _take(perm, starts[:1]))
    bounded = where(valid, starts, n)
    counts = where(valid, concatenate([bounded[1:], np.full((1,), n, np.int64)]) - bounded, 0)
    inverse = zeros(n, np.int64).at[perm].set(cumsum(first) - 1) if n else zeros(0, np.int64)
    values = reshape(values, (size, *rest))
    return (values if axis is None else moveaxis(values, 0, axis)), index, reshape(inverse, inverse_shape), counts


def _unique_result(fname, numpy_function, x, size, fill_value, flags):
    if not tracing() and size is None:
        return numpy_function(to_numpy(x))
    x = array_operand(x, fname, "x")
    size = _result_size(fname, size, [("x", x)], lambda v: len(np.unique(v, equal_nan=False)))
    values, index, inverse, counts = _unique(x, None, False, size, fill_value)
    return tuple(r for r, flag in zip((values, index, inverse, counts), flags) if flag)


def unique_all(x, /, *, size=None, fill_value=None):
    """The Array API's unique_all: values, first indices, inverse indices (x's shape), counts;
    NaNs are all distinct."""
    result = _unique_result("unique_all", np.unique_all, x, size, fill_value, (True,) * 4)
    return UniqueAllResult(*_wrap_all(tuple(result)))


def unique_counts(x, /, *, size=None, fill_value=None):
    """The Array API's unique_counts: values and counts."""
    result = _unique_result("unique_counts", np.unique_counts, x, size, fill_value, (True, False, False, True))
    return UniqueCountsResult(*_wrap_all(tuple(result)))


def unique_inverse(x, /, *, size=None, fill_value=None):
    """The Array API's unique_inverse: values and inverse indices (x's shape)."""
    result = _unique_result("unique_inverse", np.unique_inverse, x, size, fill_value, (True, False, True, False))
    return UniqueInverseResult(*_wrap_all(tuple(result)))


def unique_values(x, /, *, size=None, fill_value=None):
    """The Array API's unique_values: the sorted distinct values (NaNs all distinct)."""
    result = _unique_result("unique_values", np.unique_values, x, size, fill_value, (True, False, False, False))
    return wrap(result) if isinstance(result, np.ndarray) else result[0]


# ---------------------------------------------------------------- two sets


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Elementwise: whether each element is in `test_elements` (shape of `element`)."""
    if kind not in (None, "sort", "table"):
        raise ValueError(f"isin(): invalid kind {kind!r}; expected None, 'sort' or 'table'")
    if not tracing():
        return wrap(np.asarray(np.isin(to_numpy(element), to_numpy(test_elements), assume_unique, invert,
                                       kind=kind)))
    e = array_operand(element, "isin", "element")
    t = ravel(array_operand(test_elements, "isin", "test_elements"))
    found = _any(equal(reshape(e, e.shape + (1,)), t), axis=-1)
    return logical_not(found) if invert else found


def _sorted_flat(fname, *arrays):
    """The operands flattened to their common dtype, and their sorted concatenation."""
    flat = [ravel(a) for a in promote(fname, *arrays)]
    both = concatenate(flat) if len(flat) > 1 else flat[0]
    return flat, _take(both, argsort(both, stable=True))


def _set_result(fname, numpy_function, ar1, ar2, size, fill_value, keep_of, **kwargs):
    """numpy_function eagerly; else the distinct sorted values that `keep_of` keeps, compacted."""
    if not tracing() and size is None:
        return wrap(numpy_function(to_numpy(ar1), to_numpy(ar2), **kwargs))
    a, b = array_operand(ar1, fname, "ar1"), array_operand(ar2, fname, "ar2")
    size = _result_size(fname, size, [("ar1", a), ("ar2", b)], lambda u, v: len(numpy_function(u, v, **kwargs)))
    (fa, fb), ordered = _sorted_flat(fname, a, b)
    if keep_of is None:  # setdiff1d(assume_unique=True): ar1's order, unsorted
        ordered, keep = fa, logical_not(isin(fa, fb))
    else:
        keep = logical_and(_first_of_runs(reshape(ordered, (-1, 1)), False), keep_of(ordered, fa, fb))
    positions, valid = _compact(keep, size)
    result = _padded(_take(ordered, positions), valid, fill_value)
    return result.astype(a.dtype) if fname == "setdiff1d" else result  # NumPy keeps ar1's dtype


def union1d(ar1, ar2, *, size=None, fill_value=None):
    """The sorted distinct values in either array."""
    if not tracing() and size is None:
        return wrap(np.union1d(to_numpy(ar1), to_numpy(ar2)))
    a, b = array_operand(ar1, "union1d", "ar1"), array_operand(ar2, "union1d", "ar2")
    size = _result_size("union1d", size, [("ar1", a), ("ar2", b)], lambda u, v: len(np.union1d(u, v)))
    return unique(concatenate([ravel(a), ravel(b)]), size=size, fill_value=fill_value)


def setdiff1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    """The sorted distinct values of ar1 that are not in ar2 (with assume_unique, the values of
    ar1 not in ar2 in their original order)."""
    keep_of = (lambda s, a, b: logical_and(isin(s, a), logical_not(isin(s, b)))) if not assume_unique else None
    return _set_result("setdiff1d", np.setdiff1d, ar1, ar2, size, fill_value, keep_of, assume_unique=assume_unique)


def setxor1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    """The sorted values in exactly one of the arrays."""
    return _set_result("setxor1d", np.setxor1d, ar1, ar2, size, fill_value,
                       lambda s, a, b: not_equal(isin(s, a), isin(s, b)), assume_unique=assume_unique)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False, *, size=None, fill_value=None):
    """The sorted distinct values in both arrays; with return_indices, the indices of their
    first occurrences in the flattened ar1 and ar2 too."""
    if not tracing() and size is None:
        return _wrap_all(np.intersect1d(to_numpy(ar1), to_numpy(ar2), assume_unique, return_indices))
    both = lambda s, a, b: logical_and(isin(s, a), isin(s, b))  # noqa: E731
    values = _set_result("intersect1d", np.intersect1d, ar1, ar2, size, fill_value, both)
    if not return_indices:
        return values
    (fa, fb), _ = _sorted_flat("intersect1d", ar1, ar2)
    valid = less(arange(values.shape[0]), _count_common(fa, fb))
    return values, _first_index(fa, values, valid), _first_index(fb, values, valid)


def _count_common(a, b):
    """How many distinct values of `a` are in `b`."""
    ordered = _take(a, argsort(a, stable=True))
    return _sum(logical_and(_first_of_runs(reshape(ordered, (-1, 1)), False), isin(ordered, b)))


def _first_index(flat, values, valid):
    """The index of each value's first occurrence in `flat` (0 for padding)."""
    if flat.shape[0] == 0:
        return zeros(values.shape, np.int64)
    return where(valid, argmax(equal(reshape(values, (-1, 1)), flat), axis=1), 0)
