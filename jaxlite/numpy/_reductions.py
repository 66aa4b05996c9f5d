"""Reductions and statistics: sum, prod, max, argmax, cumsum, mean, var, std, average, the nan* family.

Eagerly every function calls its NumPy namesake on the NumPy values behind its arguments (the
fast path). Under a transform it composes lax primitives: the operand is converted to NumPy's
accumulator dtype first (reduce_* and cum* keep their operand's dtype), `where=` masks select the
reduction's identity, and `keepdims` reshapes. Order statistics (median, quantile) build on
these helpers in _order_statistics.
"""

import builtins
import math
import warnings

import numpy as np

from .. import dtypes, lax
from ..core import Array, Tracer, concrete_or_error, to_numpy, wrap
from ._base import (
    array_operand, as_1d, broadcast_shapes, broadcast_to_shape, cast_scalar, convert, dtype_arg, filled, named, no_out,
    normalize_axes, normalize_axis, numpy_error, sum_dtype, tracing, where_scalar,
)

__all__ = [
    "sum", "prod", "max", "min", "amax", "amin", "all", "any", "count_nonzero", "ptp",
    "argmax", "argmin", "cumsum", "cumprod", "cumulative_sum", "cumulative_prod",
    "mean", "var", "std", "average",
    "nansum", "nanprod", "nanmax", "nanmin", "nanargmax", "nanargmin", "nancumsum", "nancumprod",
    "nanmean", "nanvar", "nanstd",
]

_NoValue = np._NoValue
_bool, _int64 = np.dtype(bool), np.dtype(np.int64)
_float16, _float32, _float64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)


# ---------------------------------------------------------------- the eager fast path


# ndarray's own methods: the same functions without the Python dispatch of np.sum & co.
_NDARRAY_METHODS = {
    "sum": np.ndarray.sum, "prod": np.ndarray.prod, "max": np.ndarray.max, "min": np.ndarray.min,
    "amax": np.ndarray.max, "amin": np.ndarray.min, "all": np.ndarray.all, "any": np.ndarray.any,
    "mean": np.ndarray.mean, "argmax": np.ndarray.argmax, "argmin": np.ndarray.argmin,
    "cumsum": np.ndarray.cumsum, "cumprod": np.ndarray.cumprod,
}


_DEFAULTS = {"keepdims": False, "where": True}


def _eager(fname, np_fn, a, **kwargs):
    """`np_fn` on the NumPy values of the arguments, its result wrapped; errors name `fname`
    (and the input's shape).

    Arguments left at their defaults are not passed: NumPy's reductions are slower with them.
    """
    out, x = kwargs.get("out"), to_numpy(a)
    kwargs = {k: to_numpy(v) for k, v in kwargs.items() if not (v is None or v is _NoValue or _DEFAULTS.get(k) is v)}
    if type(x) is np.ndarray:
        np_fn = _NDARRAY_METHODS.get(fname, np_fn)
    try:
        result = np_fn(x, **kwargs)
    except (TypeError, ValueError, IndexError, ZeroDivisionError) as error:
        shape = np.shape(a) if isinstance(a, (Array, np.ndarray, np.generic, list, tuple)) else None
        context = f" (input shape {shape})" if shape is not None and "shape" not in str(error) else ""
        raise numpy_error(error, fname, context) from None
    if type(out) is Array:  # NumPy wrote into its buffer
        return out
    return tuple(map(wrap, result)) if type(result) is tuple else wrap(result)


# ---------------------------------------------------------------- traced building blocks


def _setup(fname, a, axis, out=None, ufunc_axis=False):
    """The operand and its reduced axes as a sorted tuple. With `ufunc_axis`, a 0-d operand also
    takes axis 0 or -1, as NumPy's ufunc.reduce allows (np.sum does, np.mean does not)."""
    no_out(out, fname)
    x, axis = array_operand(a, fname), concrete_or_error(axis, fname, "axis")
    if ufunc_axis and x.ndim == 0 and isinstance(axis, (int, np.integer)) and axis in (0, -1):
        return x, ()
    return x, normalize_axes(axis, x.ndim, fname)


def _single_axis(fname, x, axis):
    """(x, axis) for scans and arg-reductions: axis=None flattens, and 0-d acts as 1-d, as in NumPy."""
    if axis is None or x.ndim == 0:
        if axis is not None:
            normalize_axis(concrete_or_error(axis, fname, "axis"), 1, fname)
        return as_1d(x), 0
    return x, normalize_axis(concrete_or_error(axis, fname, "axis"), x.ndim, fname)


def _reduced_shape(shape, axes):
    return tuple(s for d, s in enumerate(shape) if d not in axes)


def _kept_shape(shape, axes):
    return tuple(1 if d in axes else s for d, s in enumerate(shape))


def _keep(result, shape, axes, keepdims):
    return lax.reshape(result, _kept_shape(shape, axes)) if keepdims else result


def _count(shape, axes):
    return math.prod(shape[d] for d in axes)


def _not_nan(x):
    return lax.bitwise_not(lax.is_nan(x))


def _inexact(x):
    return x.dtype.kind in "fc"


def _mask(fname, where, shape):
    """`where` as a boolean mask of `shape`: NumPy needs a bool mask that broadcasts to the input."""
    mask = array_operand(where, fname, "where")
    if mask.dtype != _bool:
        raise TypeError(f"{fname}() argument 'where' must be a boolean array, got dtype {mask.dtype}")
    if broadcast_shapes(fname, mask.shape, shape) != tuple(shape):
        raise ValueError(f"{fname}(): 'where' of shape {mask.shape} does not broadcast to the input shape {shape}")
    return broadcast_to_shape(mask, shape)


def _mask_count(mask, axes):
    return lax.reduce_sum(convert(mask, _int64), axes)


def _divide(total, count):
    """`total / count` in total's dtype, as NumPy's true_divide(..., out=total, casting='unsafe')."""
    work = total.dtype if _inexact(total) else _float64
    if type(count) not in (int, float):
        count = convert(count, work)
    return convert(lax.div(convert(total, work), count), total.dtype)


# ---------------------------------------------------------------- sum, prod, all, any, count_nonzero


# kind -> (reducer, how `initial` joins the result, identity)
_MONOIDS = {
    "sum": (lax.reduce_sum, lax.add, 0),
    "prod": (lax.reduce_prod, lax.mul, 1),
    "all": (lax.reduce_and, lax.bitwise_and, True),
    "any": (lax.reduce_or, lax.bitwise_or, False),
}


def _monoid(kind, fname, a, axis, dtype, out, keepdims, initial=_NoValue, where=True, skip_nan=False):
    reducer, join, identity = _MONOIDS[kind]
    x, axes = _setup(fname, a, axis, out, ufunc_axis=True)
    if skip_nan and _inexact(x):
        x = where_scalar(_not_nan(x), x, identity)
    if kind in ("all", "any"):
        x = x if x.dtype == _bool else lax.ne(x, 0)
    else:
        x = convert(x, dtype_arg(dtype, fname) or sum_dtype(x.dtype))
    if where is not True:
        x = where_scalar(_mask(fname, where, x.shape), x, identity)
    result = reducer(x, axes)
    if initial is not _NoValue:
        result = join(result, cast_scalar(initial, result.dtype))
    return _keep(result, x.shape, axes, keepdims)


def _sum_function(name, kind, np_fn, skip_nan, doc):
    def reduction(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, initial=initial,
                          where=where)
        return _monoid(kind, name, a, axis, dtype, out, keepdims, initial, where, skip_nan)

    return named(reduction, name, f"{doc} (numpy.{name}).")


sum = _sum_function("sum", "sum", np.sum, False, "Sum; bool and small ints add in 64 bits")  # noqa: A001
prod = _sum_function("prod", "prod", np.prod, False, "Product; bool and small ints multiply in 64 bits")
nansum = _sum_function("nansum", "sum", np.nansum, True, "Sum treating NaNs as zero")
nanprod = _sum_function("nanprod", "prod", np.nanprod, True, "Product treating NaNs as one")


def _logical_function(name, np_fn, doc):
    def reduction(a, axis=None, out=None, keepdims=False, *, where=True):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, out=out, keepdims=keepdims, where=where)
        return _monoid(name, name, a, axis, None, out, keepdims, where=where)

    return named(reduction, name, doc)


all = _logical_function("all", np.all, "Whether every element is nonzero (numpy.all).")  # noqa: A001
any = _logical_function("any", np.any, "Whether some element is nonzero (numpy.any).")  # noqa: A001


def count_nonzero(a, axis=None, *, keepdims=False):
    """Number of nonzero elements, as the default int (numpy.count_nonzero)."""
    if not tracing():
        return _eager("count_nonzero", np.count_nonzero, a, axis=axis, keepdims=keepdims)
    x, axes = _setup("count_nonzero", a, axis, ufunc_axis=True)
    return _keep(_mask_count(lax.ne(x, 0), axes), x.shape, axes, keepdims)


# ---------------------------------------------------------------- max, min, ptp, argmax, argmin


# kind -> (reducer, binary op joining `initial`, NumPy's ufunc names plain and NaN-skipping, NaN fill)
_EXTREMA = {
    "max": (lax.reduce_max, lax.max, ("maximum", "fmax"), -np.inf),
    "min": (lax.reduce_min, lax.min, ("minimum", "fmin"), np.inf),
}


def _extremum(kind, fname, a, axis, out, keepdims, initial=_NoValue, where=True, skip_nan=False):
    reducer, join, ufunc_names, nan_fill = _EXTREMA[kind]
    x, axes = _setup(fname, a, axis, out, ufunc_axis=True)
    ufunc, has_initial = ufunc_names[skip_nan], initial is not _NoValue
    skip_nan = skip_nan and _inexact(x)
    if skip_nan:
        valid = _not_nan(x)
        x = where_scalar(valid, x, nan_fill)
    if where is not True:
        if not has_initial:
            raise ValueError(f"{fname}(): reduction operation '{ufunc}' does not have an identity, so to use a "
                             "where mask one has to specify 'initial'")
        x = where_scalar(_mask(fname, where, x.shape), x, initial)
    if _count(x.shape, axes) == 0:
        if not has_initial:
            raise ValueError(f"{fname}(): zero-size array to reduction operation {ufunc} which has no identity "
                             f"(input shape {x.shape}, axis {axis})")
        return _keep(filled(_reduced_shape(x.shape, axes), initial, x.dtype), x.shape, axes, keepdims)
    result = reducer(x, axes)
    if has_initial:
        result = join(result, cast_scalar(initial, x.dtype))
    elif skip_nan:  # all-NaN slices give NaN
        result = where_scalar(lax.reduce_or(valid, axes), result, np.nan)
    return _keep(result, x.shape, axes, keepdims)


def _max_function(name, kind, np_fn, skip_nan=False):
    def reduction(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, out=out, keepdims=keepdims, initial=initial, where=where)
        return _extremum(kind, name, a, axis, out, keepdims, initial, where, skip_nan)

    what = "Largest" if kind == "max" else "Smallest"
    return named(reduction, name, f"{what} element{' ignoring NaNs' if skip_nan else ''} (numpy.{name}).")


max = _max_function("max", "max", np.max)  # noqa: A001
min = _max_function("min", "min", np.min)  # noqa: A001
amax = _max_function("amax", "max", np.amax)
amin = _max_function("amin", "min", np.amin)
nanmax = _max_function("nanmax", "max", np.nanmax, skip_nan=True)
nanmin = _max_function("nanmin", "min", np.nanmin, skip_nan=True)


def ptp(a, axis=None, out=None, keepdims=False):
    """Range of values, max - min, in the input dtype (numpy.ptp)."""
    if not tracing():
        return _eager("ptp", np.ptp, a, axis=axis, out=out, keepdims=keepdims)
    x = array_operand(a, "ptp")
    if x.dtype == _bool:
        raise TypeError("ptp(): numpy boolean subtract is not supported (input dtype bool)")
    return lax.sub(_extremum("max", "ptp", x, axis, out, keepdims), _extremum("min", "ptp", x, axis, out, keepdims))


def _arg_extremum(kind, fname, a, axis, out, keepdims, skip_nan):
    no_out(out, fname)
    x = array_operand(a, fname)
    shape = x.shape
    x, ax = _single_axis(fname, x, axis)
    if x.shape[ax] == 0:
        raise ValueError(f"{fname}(): attempt to get {kind} of an empty sequence (input shape {shape})")
    skip_nan = skip_nan and _inexact(x)
    if skip_nan:
        valid = _not_nan(x)
        x = where_scalar(valid, x, -np.inf if kind == "argmax" else np.inf)
    result = (lax.argmax if kind == "argmax" else lax.argmin)(x, ax, _int64)
    if skip_nan:  # NumPy raises for an all-NaN slice; traced code cannot, and gives -1
        result = where_scalar(lax.reduce_or(valid, (ax,)), result, -1)
    if keepdims:
        result = lax.reshape(result, (1,) * len(shape) if axis is None else _kept_shape(shape, (ax,)))
    return result


def _argmax_function(name, kind, np_fn, skip_nan):
    def reduction(a, axis=None, out=None, *, keepdims=False):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, out=out, keepdims=keepdims)
        return _arg_extremum(kind, name, a, axis, out, keepdims, skip_nan)

    what = {"argmax": "largest", "argmin": "smallest"}[kind]
    nan_rule = "ignoring NaNs (an all-NaN slice raises eagerly, gives -1 traced)" if skip_nan else "NaN wins"
    return named(reduction, name, f"Index of the first {what} element, {nan_rule} (numpy.{name}).")


argmax = _argmax_function("argmax", "argmax", np.argmax, False)
argmin = _argmax_function("argmin", "argmin", np.argmin, False)
nanargmax = _argmax_function("nanargmax", "argmax", np.nanargmax, True)
nanargmin = _argmax_function("nanargmin", "argmin", np.nanargmin, True)


# ---------------------------------------------------------------- cumulative sums and products


_SCANS = {"sum": (lax.cumsum, 0), "prod": (lax.cumprod, 1)}


def _cumulative(kind, fname, a, axis, dtype, out, include_initial=False, skip_nan=False, flatten=True):
    no_out(out, fname)
    scan, identity = _SCANS[kind]
    x = array_operand(a, fname)
    if isinstance(axis, tuple) and not flatten:  # the Array API functions take a 1-tuple too
        if len(axis) != 1:
            raise ValueError(f"{fname}(): accumulate does not allow multiple axes, got axis={axis}")
        axis = axis[0]
    if axis is None and x.ndim > 1 and not flatten:
        raise ValueError(f"{fname}(): for arrays which have more than one dimension ``axis`` argument is "
                         f"required (input shape {x.shape})")
    x, ax = _single_axis(fname, x, axis)
    if skip_nan and _inexact(x):
        x = where_scalar(_not_nan(x), x, identity)
    result = scan(convert(x, dtype_arg(dtype, fname) or sum_dtype(x.dtype)), ax)
    if include_initial:
        result = lax.pad(result, identity, [(int(d == ax), 0, 0) for d in range(result.ndim)])
    return result


def _cumsum_function(name, kind, np_fn, skip_nan, doc):
    def scan(a, axis=None, dtype=None, out=None):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, dtype=dtype, out=out)
        return _cumulative(kind, name, a, axis, dtype, out, skip_nan=skip_nan)

    return named(scan, name, f"{doc} (numpy.{name}).")


cumsum = _cumsum_function("cumsum", "sum", np.cumsum, False, "Cumulative sum; axis=None flattens")
cumprod = _cumsum_function("cumprod", "prod", np.cumprod, False, "Cumulative product; axis=None flattens")
nancumsum = _cumsum_function("nancumsum", "sum", np.nancumsum, True, "Cumulative sum, NaN as 0")
nancumprod = _cumsum_function("nancumprod", "prod", np.nancumprod, True, "Cumulative product, NaN as 1")


def _cumulative_function(name, kind, np_fn):
    def scan(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
        if not tracing():
            return _eager(name, np_fn, x, axis=axis, dtype=dtype, out=out, include_initial=include_initial)
        return _cumulative(kind, name, x, axis, dtype, out, include_initial, flatten=False)

    what = "sum" if kind == "sum" else "product"
    doc = f"Cumulative {what}; n-d input needs `axis`; include_initial prepends the identity (numpy.{name})."
    return named(scan, name, doc)


cumulative_sum = _cumulative_function("cumulative_sum", "sum", np.cumulative_sum)
cumulative_prod = _cumulative_function("cumulative_prod", "prod", np.cumulative_prod)


# ---------------------------------------------------------------- mean, var, std, average


def _mean(x, axes, dtype=None, keepdims=False, mask=None):
    """NumPy's mean over `axes` of a traced `x`, counting only `mask` (a bool array) if given."""
    if dtype is not None:
        sum_dtype = out_dtype = dtype
    elif x.dtype.kind in "biu":
        sum_dtype = out_dtype = _float64
    else:  # float16 accumulates in float32
        sum_dtype, out_dtype = (_float32 if x.dtype == _float16 else x.dtype), x.dtype
    shape, x = x.shape, convert(x, sum_dtype)
    if mask is None:
        count = _count(shape, axes)
        if count == 0:
            warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=4)
    else:
        x, count = where_scalar(mask, x, 0), _mask_count(mask, axes)
    result = convert(_divide(lax.reduce_sum(x, axes), count), out_dtype)
    return _keep(result, shape, axes, keepdims)


def _nan_mask(fname, x, where_mask, dtype):
    """For the nan* statistics of an inexact `x`: the mask of its non-NaN elements (within `where`)."""
    if dtype is not None and dtype.kind not in "fc":
        raise TypeError(f"{fname}(): If a is inexact, then dtype must be inexact (got dtype={dtype})")
    valid = _not_nan(x)
    return valid if where_mask is None else lax.bitwise_and(valid, where_mask)


def _mean_function(name, np_fn, skip_nan):
    def statistic(a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, where=where)
        x, axes = _setup(name, a, axis, out, ufunc_axis=skip_nan)
        mask, dtype = None if where is True else _mask(name, where, x.shape), dtype_arg(dtype, name)
        if skip_nan and _inexact(x):
            mask = _nan_mask(name, x, mask, dtype)
            dtype = dtype or x.dtype  # nanmean sums in the input dtype, float16 included
        return _mean(x, axes, dtype, keepdims, mask)

    doc = f"Arithmetic mean{' ignoring NaNs' if skip_nan else ''}; ints average in float64 (numpy.{name})."
    return named(statistic, name, doc)


mean = _mean_function("mean", np.mean, skip_nan=False)
nanmean = _mean_function("nanmean", np.nanmean, skip_nan=True)


def _sqrt(fname, x):
    if _inexact(x):
        return lax.sqrt(x)
    if x.ndim:  # NumPy takes the root in place, which an integer array refuses
        raise TypeError(f"{fname}(): Cannot cast ufunc 'sqrt' output from float64 to {x.dtype} (dtype={x.dtype})")
    return convert(lax.sqrt(convert(x, np.promote_types(x.dtype, _float16))), x.dtype)  # NumPy's sqrt loop


def _abs2(x):
    """|x|**2 as NumPy's var computes it: square, or re**2 + im**2 (real) for complex."""
    if x.dtype.kind != "c":
        return lax.mul(x, x)
    re, im = lax.real(x), lax.imag(x)
    return lax.add(lax.mul(re, re), lax.mul(im, im))


def _variance(fname, a, axis, dtype, out, ddof, keepdims, where, mean, correction, skip_nan, root):
    if correction is not _NoValue:
        if ddof != 0:
            raise ValueError(f"{fname}(): ddof and correction can't be provided simultaneously "
                             f"(ddof={ddof}, correction={correction})")
        ddof = correction
    ddof = to_numpy(concrete_or_error(ddof, fname, "ddof"))
    x, axes = _setup(fname, a, axis, out, ufunc_axis=skip_nan)
    mask, dtype = None if where is True else _mask(fname, where, x.shape), dtype_arg(dtype, fname)
    skip_nan = skip_nan and _inexact(x)
    if skip_nan:
        mask = _nan_mask(fname, x, mask, dtype)
    dtype = dtype or (_float64 if x.dtype.kind in "biu" else None)

    def total(y):
        y = convert(y, dtype or y.dtype)
        return lax.reduce_sum(y if mask is None else where_scalar(mask, y, 0), axes)

    count = _count(x.shape, axes) if mask is None else _mask_count(mask, axes)
    if mean is _NoValue:
        kept = [d for d in range(x.ndim) if d not in axes]
        center = lax.broadcast_in_dim(_divide(total(x), count), x.shape, kept)
    else:
        center = broadcast_to_shape(array_operand(mean, fname, "mean"), x.shape)
    deviation_dtype = dtypes.promote(((x.dtype, False), (center.dtype, False)))[0]
    deviation = lax.sub(convert(x, deviation_dtype), convert(center, deviation_dtype))
    if skip_nan:  # NumPy writes the deviations back into the input, zeroing NaNs
        deviation = where_scalar(mask, convert(deviation, x.dtype), 0)
    if mask is None:
        dof = count - ddof
        if dof <= 0:
            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
        result = _divide(total(_abs2(deviation)), builtins.max(dof, 0))
    else:
        dof = lax.sub(convert(count, _float64), float(ddof))
        result = _divide(total(_abs2(deviation)), dof if skip_nan else lax.max(dof, 0.0))
        if skip_nan:  # where var gives inf or NaN, nanvar gives NaN
            result = where_scalar(lax.gt(dof, 0.0), result, np.nan)
    return _keep(_sqrt(fname, result) if root else result, x.shape, axes, keepdims)


def _variance_function(name, np_fn, skip_nan, root):
    def statistic(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=_NoValue,
                  correction=_NoValue):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims,
                          where=where, mean=mean, correction=correction)
        return _variance(name, a, axis, dtype, out, ddof, keepdims, where, mean, correction, skip_nan, root)

    what = "Standard deviation" if root else "Variance"
    return named(statistic, name, f"{what}{' ignoring NaNs' if skip_nan else ''}; `correction` is the Array "
                                   f"API's `ddof`; complex input gives a real result (numpy.{name}).")


var = _variance_function("var", np.var, skip_nan=False, root=False)
std = _variance_function("std", np.std, skip_nan=False, root=True)
nanvar = _variance_function("nanvar", np.nanvar, skip_nan=True, root=False)
nanstd = _variance_function("nanstd", np.nanstd, skip_nan=True, root=True)


def _weights(fname, weights, x, axis):
    """Weights broadcast to x's shape: x's own shape, or the shape of the axes in `axis` order."""
    w = array_operand(weights, fname, "weights")
    if w.shape == x.shape:
        return w
    if axis is None:
        raise TypeError(f"{fname}(): Axis must be specified when shapes of a ({x.shape}) and weights ({w.shape}) "
                        "differ.")
    order = tuple(normalize_axis(d, x.ndim, fname) for d in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    if w.shape != tuple(x.shape[d] for d in order):
        raise ValueError(f"{fname}(): Shape of weights {w.shape} must be consistent with shape of a {x.shape} "
                         f"along specified axis {axis}.")
    w = lax.transpose(w, np.argsort(order)) if list(order) != sorted(order) else w
    return lax.broadcast_in_dim(w, x.shape, sorted(order))


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """Weighted mean; `returned` also gives the sum of weights (numpy.average)."""
    if not tracing():
        return _eager("average", np.average, a, axis=axis, weights=weights, returned=returned, keepdims=keepdims)
    x, axes = _setup("average", a, axis)
    if weights is None:
        result = _mean(x, axes, keepdims=keepdims)
        scale = filled(result.shape, x.size / math.prod(result.shape), result.dtype)
    else:
        w = _weights("average", weights, x, axis)
        least = _float64 if x.dtype.kind in "biu" else x.dtype
        w = convert(w, dtypes.promote(((x.dtype, False), (w.dtype, False), (least, False)))[0])
        scale = _keep(lax.reduce_sum(w, axes), x.shape, axes, keepdims)
        weighted = lax.reduce_sum(lax.mul(convert(x, w.dtype), w), axes)
        result = lax.div(_keep(weighted, x.shape, axes, keepdims), scale)
    return (result, scale) if returned else result
