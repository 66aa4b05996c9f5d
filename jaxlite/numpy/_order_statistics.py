"""Order statistics: median, quantile and percentile, and their nan* forms.

Eagerly every function calls its NumPy namesake (the fast path). Under a transform the
reduced axes are moved into one trailing axis, which is sorted; the statistic is then
gathered from the sorted rows (NaNs sort last), and interpolated by NumPy's 13 quantile methods.
"""

import warnings

import numpy as np

from .. import dtypes, lax
from ..core import Tracer, to_numpy
from ._base import array_operand, convert, filled, named, tracing, where_scalar
from ._reductions import (
    _bool, _count, _eager, _float64, _inexact, _int64, _kept_shape, _mask_count, _mean, _not_nan, _reduced_shape,
    _setup, _weights,
)

__all__ = ["median", "percentile", "quantile", "nanmedian", "nanpercentile", "nanquantile"]


def _sorted_rows(x, axes, *others):
    """`x` (and `others`, permuted along) with `axes` moved last and merged, sorted: (rows, n) arrays."""
    kept = [d for d in range(x.ndim) if d not in axes]
    order, shape = kept + list(axes), (_count(x.shape, kept), _count(x.shape, axes))
    rows = [lax.reshape(lax.transpose(y, order) if order != sorted(order) else y, shape) for y in (x, *others)]
    return lax.sort(rows, dimension=1, is_stable=True, num_keys=1)


def _last(rows):
    count, n = rows.shape
    return lax.reshape(lax.slice(rows, (0, n - 1), (count, n)), (count,))


def _take_rows(rows, index):
    """rows[r, index[..., r]] for each row r; `index` has shape lead + (number of rows,)."""
    return lax.gather(rows, [lax.broadcasted_iota(_int64, index.shape, index.ndim - 1), index], (0, 1))


def _finish(result, shape, axes, keepdims, lead=()):
    """Per-row results (shape lead + (rows,)) in the shape of a reduction over `axes`."""
    return lax.reshape(result, lead + (_kept_shape(shape, axes) if keepdims else _reduced_shape(shape, axes)))


def _median(fname, a, axis, out, keepdims, skip_nan):
    x, axes = _setup(fname, a, axis, out)
    if skip_nan and x.size == 0:  # NumPy's nan* order statistics give nanmean of empty input
        return _mean(x, axes, keepdims=keepdims)
    dtype = _float64 if x.dtype.kind in "biu" else x.dtype
    (y,) = _sorted_rows(x, axes)
    rows, n = y.shape
    if n == 0 or rows == 0:
        if n == 0:
            warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=3)
        return _finish(filled((rows,), np.nan, dtype), x.shape, axes, keepdims)
    if skip_nan and _inexact(x):
        count = _mask_count(_not_nan(y), (1,))
        low = _take_rows(y, lax.floor_divide(lax.sub(count, 1), 2))  # gather clamps -1 to 0
        high = _take_rows(y, lax.floor_divide(count, 2))
        pair = lax.concatenate([lax.reshape(low, (rows, 1)), lax.reshape(high, (rows, 1))], 1)
        result = lax.select_n(lax.eq(lax.rem(count, 2), 1), _mean(pair, (1,)), convert(low, dtype))
    else:
        result = _mean(lax.slice(y, (0, (n - 1) // 2), (rows, n // 2 + 1)), (1,))
        if _inexact(x):  # NaNs sort last; a slice holding one has a NaN median
            result = where_scalar(_not_nan(_last(y)), result, np.nan)
    return _finish(result, x.shape, axes, keepdims)


def _median_function(name, np_fn, skip_nan):
    def statistic(a, axis=None, out=None, overwrite_input=False, keepdims=False):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, out=out, overwrite_input=overwrite_input, keepdims=keepdims)
        return _median(name, a, axis, out, keepdims, skip_nan)

    return named(statistic, name, f"Median{' ignoring NaNs' if skip_nan else ''}; ints give float64 (numpy.{name}).")


median = _median_function("median", np.median, skip_nan=False)
nanmedian = _median_function("nanmedian", np.nanmedian, skip_nan=True)


def _minus_one(n):
    return n - 1 if type(n) is int else lax.sub(n, 1)


def _hyndman_fan(alpha, beta):
    """The continuous methods' virtual index n*q + (alpha + q*(1 - alpha - beta)) - 1."""
    return lambda n, q: lax.sub(lax.add(lax.mul(n, q), lax.add(alpha, lax.mul(q, 1 - alpha - beta))), 1)


def _boundary(offsets, take_previous):
    """A discrete index: floor(n*q - offsets...) or the one after, as `take_previous(gamma, floor)` says."""
    def index(n, q):
        virtual = lax.mul(n, q)
        for offset in offsets:  # one at a time, rounding as NumPy does
            virtual = lax.sub(virtual, offset)
        previous = lax.floor(virtual)
        chosen = lax.select_n(take_previous(lax.sub(virtual, previous), previous), lax.add(previous, 1), previous)
        return convert(chosen, _int64)

    return index


def _rounded(rounding):
    return lambda n, q: convert(rounding(lax.mul(_minus_one(n), q)), _int64)


def _midpoint(n, q):
    index = lax.mul(_minus_one(n), q)
    return lax.mul(0.5, lax.add(lax.floor(index), lax.ceil(index)))


def _gamma_where_exact(exact_value, other_value):
    """A gamma fix: `exact_value` where the virtual index is an integer, else `other_value`."""
    def fix(gamma, index):
        exact = lax.eq(lax.floor(index), index)
        exact_gamma, other_gamma = (filled(gamma.shape, v, gamma.dtype) for v in (exact_value, other_value))
        return lax.select_n(exact, other_gamma, exact_gamma)

    return fix


def _gamma(gamma, index):
    return gamma


# method -> (virtual index of (n, q), gamma fix; None marks a discrete method whose index is an int)
_QUANTILE_METHODS = {
    "inverted_cdf": (_boundary((1,), lambda gamma, previous: lax.eq(gamma, 0)), None),
    "averaged_inverted_cdf": (lambda n, q: lax.sub(lax.mul(n, q), 1), _gamma_where_exact(0.5, 1.0)),
    "closest_observation": (_boundary((1, 0.5), lambda gamma, previous: lax.bitwise_and(
        lax.eq(gamma, 0), lax.eq(lax.rem(previous, 2), 1))), None),
    "interpolated_inverted_cdf": (_hyndman_fan(0, 1), _gamma),
    "hazen": (_hyndman_fan(0.5, 0.5), _gamma),
    "weibull": (_hyndman_fan(0, 0), _gamma),
    "linear": (lambda n, q: lax.mul(_minus_one(n), q), _gamma),
    "median_unbiased": (_hyndman_fan(1 / 3, 1 / 3), _gamma),
    "normal_unbiased": (_hyndman_fan(3 / 8, 3 / 8), _gamma),
    "lower": (_rounded(lax.floor), None),
    "higher": (_rounded(lax.ceil), None),
    "midpoint": (_midpoint, _gamma_where_exact(0.0, 0.5)),
    "nearest": (_rounded(lax.round), None),
}


def _float_dtype(dtype):
    return dtype if dtype.kind == "f" else _float64


def _quantile_q(fname, q, percent):
    """q as an array in [0, 1] (checked when concrete), and whether it was a weak Python scalar."""
    weak = type(q) in (int, float)
    given = q = array_operand(q, fname, "q")
    if not isinstance(q, Tracer):
        q = to_numpy(q)  # a concrete q is checked (and scaled) by NumPy now
    if percent:
        q = lax.div(convert(q, _float_dtype(q.dtype)), 100) if isinstance(q, Tracer) else np.true_divide(q, 100)
    if q.ndim > 2:
        raise ValueError(f"{fname}(): q must be a scalar or 1d, got shape {q.shape}")
    if not isinstance(q, Tracer) and not np.all((q >= 0) & (q <= 1)):
        bounds = "Percentiles must be in the range [0, 100]" if percent else "Quantiles must be in the range [0, 1]"
        raise ValueError(f"{fname}(): {bounds}, got q={given}")
    return q, weak


def _quantile(fname, a, q, axis, out, method, keepdims, weights, percent, skip_nan):
    x, axes = _setup(fname, a, axis, out)
    if x.dtype.kind == "c":
        raise TypeError(f"{fname}(): a must be an array of real numbers, got dtype {x.dtype}")
    if method not in _QUANTILE_METHODS:
        raise ValueError(f"{fname}(): {method!r} is not a valid method. Use one of: {list(_QUANTILE_METHODS)}")
    if weights is not None and method != "inverted_cdf":
        raise ValueError(f"{fname}(): Only method 'inverted_cdf' supports weights. Got: {method}.")
    q, weak_q = _quantile_q(fname, q, percent)
    if skip_nan and x.size == 0:
        return _mean(x, axes, keepdims=keepdims)
    if method == "linear" and q.dtype.kind in "biu":  # integer q: the exact indices 0 or n - 1
        method = "lower"
    virtual_index, fix_gamma = _QUANTILE_METHODS[method]
    q = convert(q, _float_dtype(q.dtype))
    dtype = x.dtype if fix_gamma is None else dtypes.promote(((x.dtype, False), (q.dtype, weak_q)))[0]
    if fix_gamma is not None and x.dtype == _bool:
        raise TypeError(f"{fname}(): numpy boolean subtract is not supported; method {method!r} interpolates")
    skip_nan = skip_nan and _inexact(x)
    y, *w = _sorted_rows(x, axes, *([] if weights is None else [_weights(fname, weights, x, axis)]))
    (rows, n), lead = y.shape, q.shape
    if n == 0 and not skip_nan:
        raise IndexError(f"{fname}(): cannot take a quantile of an empty slice (input shape {x.shape}, axis {axis})")
    if n == 0 or rows == 0:
        if n == 0:
            warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=3)
        return _finish(filled(lead + (rows,), np.nan, dtype), x.shape, axes, keepdims, lead)
    q = lax.broadcast_in_dim(q, lead + (rows,), range(len(lead)))
    last = n - 1
    if skip_nan:  # the NaNs sorted last are not part of the sample
        count = lax.broadcast_in_dim(_mask_count(_not_nan(y), (1,)), q.shape, (len(lead),))
        n, last = convert(count, q.dtype), lax.sub(count, 1)

    def take(index):
        return _take_rows(y, lax.max(lax.min(index, last), 0))

    if w:
        result = take(_weighted_index(w[0], y, q, skip_nan))
    elif fix_gamma is None:
        result = take(virtual_index(n, q))
    else:
        index = virtual_index(n, q)
        previous = lax.floor(index)
        gamma = fix_gamma(lax.sub(index, previous), index)
        previous = convert(previous, _int64)
        result = _lerp(take(previous), take(lax.add(previous, 1)), gamma, dtype)
    if _inexact(x) and not skip_nan:  # NaNs sort last; a slice holding one has NaN quantiles
        result = where_scalar(lax.broadcast_in_dim(_not_nan(_last(y)), q.shape, (len(lead),)), result, np.nan)
    return _finish(result, x.shape, axes, keepdims, lead)


def _lerp(low, high, gamma, dtype):
    """NumPy's interpolation: low + d*t below t = 0.5, high - d*(1 - t) from there (d = high - low)."""
    diff = convert(lax.sub(high, low), dtype)
    up = lax.add(convert(low, dtype), lax.mul(diff, convert(gamma, dtype)))
    down = lax.sub(convert(high, dtype), lax.mul(diff, convert(lax.sub(1, gamma), dtype)))
    return lax.select_n(lax.ge(gamma, 0.5), up, down)


def _weighted_index(w, y, q, skip_nan):
    """Weighted inverted_cdf: the first sorted position whose normalized cumulative weight reaches q."""
    rows, n = w.shape
    w = convert(w, _float64)
    if skip_nan:
        w = where_scalar(_not_nan(y), w, 0)
    cdf = lax.cumsum(w, 1)
    cdf = convert(lax.div(cdf, lax.broadcast_in_dim(_last(cdf), (rows, n), (0,))), q.dtype)
    cdf = where_scalar(lax.ne(cdf, 0), cdf, -1)  # leading zero weights never match q = 0
    shape, last = q.shape + (n,), q.ndim  # compare every q with every position of its row
    below = lax.lt(lax.broadcast_in_dim(cdf, shape, (last - 1, last)), lax.broadcast_in_dim(q, shape, range(last)))
    return _mask_count(below, (last,))


def _quantile_function(name, np_fn, percent, skip_nan):
    def statistic(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *, weights=None):
        if not tracing():
            return _eager(name, np_fn, a, q=q, axis=axis, out=out, overwrite_input=overwrite_input, method=method,
                          keepdims=keepdims, weights=weights)
        return _quantile(name, a, q, axis, out, method, keepdims, weights, percent, skip_nan)

    unit = "percentiles q in [0, 100]" if percent else "quantiles q in [0, 1]"
    return named(statistic, name, f"The {unit}{' ignoring NaNs' if skip_nan else ''}, by any of NumPy's 13 "
                                   f"methods; weights need method='inverted_cdf' (numpy.{name}).")


percentile = _quantile_function("percentile", np.percentile, percent=True, skip_nan=False)
quantile = _quantile_function("quantile", np.quantile, percent=False, skip_nan=False)
nanpercentile = _quantile_function("nanpercentile", np.nanpercentile, percent=True, skip_nan=True)
nanquantile = _quantile_function("nanquantile", np.nanquantile, percent=False, skip_nan=True)
