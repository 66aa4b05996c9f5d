"""Reductions and statistics: sum, mean, var, max, argmax, cumsum, median, quantile, the nan* family.

Eagerly every function calls its NumPy namesake on the NumPy values behind its arguments (the
fast path). Under a transform it composes lax primitives: the operand is converted to NumPy's
accumulator dtype first (reduce_* and cum* keep their operand's dtype), `where=` masks select the
reduction's identity, `keepdims` reshapes, and order statistics (median, quantile) move the
reduced axes into one trailing axis, sort it and gather from it.
"""

import builtins
import math
import warnings

import numpy as np

from .. import dtypes, lax
from ..core import Array, Tracer, concrete_or_error, to_numpy, wrap
from ._base import broadcast_shapes, broadcast_to_shape, convert, normalize_axes, normalize_axis, operand, tracing

__all__ = [
    "sum", "prod", "max", "min", "amax", "amin", "all", "any", "count_nonzero", "ptp",
    "argmax", "argmin", "cumsum", "cumprod", "cumulative_sum", "cumulative_prod",
    "mean", "var", "std", "average", "median", "percentile", "quantile",
    "nansum", "nanprod", "nanmax", "nanmin", "nanargmax", "nanargmin", "nancumsum", "nancumprod",
    "nanmean", "nanvar", "nanstd", "nanmedian", "nanpercentile", "nanquantile",
]

_NoValue = np._NoValue
_bool, _int64, _uint64 = np.dtype(bool), np.dtype(np.int64), np.dtype(np.uint64)
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
    """`np_fn` on the NumPy values of the arguments, its result wrapped; errors name `fname`.

    Arguments left at their defaults are not passed: NumPy's reductions are slower with them.
    """
    out, x = kwargs.get("out"), to_numpy(a)
    kwargs = {k: to_numpy(v) for k, v in kwargs.items() if not (v is None or v is _NoValue or _DEFAULTS.get(k) is v)}
    if type(x) is np.ndarray:
        np_fn = _NDARRAY_METHODS.get(fname, np_fn)
    try:
        result = np_fn(x, **kwargs)
    except (TypeError, ValueError, IndexError, ZeroDivisionError) as error:
        raise _renamed(error, fname, a) from None
    if type(out) is Array:  # NumPy wrote into its buffer
        return out
    return tuple(map(wrap, result)) if type(result) is tuple else wrap(result)


_ERROR_TYPES = (np.exceptions.AxisError, ZeroDivisionError, IndexError, ValueError, TypeError)


def _renamed(error, fname, a):
    """`error` again, its message naming the function (and the input's shape)."""
    shape = np.shape(a) if isinstance(a, (Array, np.ndarray, np.generic, list, tuple)) else None
    context = f" (input shape {shape})" if shape is not None and "shape" not in str(error) else ""
    cls = next(c for c in _ERROR_TYPES if isinstance(error, c))
    return cls(f"{fname}(): {error}{context}")


def _named(function, name, doc):
    function.__name__ = function.__qualname__ = name
    function.__doc__ = doc
    return function


# ---------------------------------------------------------------- traced building blocks


def _traced(fname, x, argname="a"):
    """An operand as a tracer or an ndarray (never a Python scalar), so it has shape and dtype."""
    x = operand(x, fname, argname)
    return x if isinstance(x, Tracer) else np.asarray(to_numpy(x))


def _no_out(fname, out):
    if out is not None:
        raise TypeError(f"{fname}(): out= is not supported under a transform; use the returned value")


def _setup(fname, a, axis, out=None, ufunc_axis=False):
    """The operand and its reduced axes as a sorted tuple. With `ufunc_axis`, a 0-d operand also
    takes axis 0 or -1, as NumPy's ufunc.reduce allows (np.sum does, np.mean does not)."""
    _no_out(fname, out)
    x, axis = _traced(fname, a), concrete_or_error(axis, fname, "axis")
    if ufunc_axis and x.ndim == 0 and isinstance(axis, (int, np.integer)) and axis in (0, -1):
        return x, ()
    return x, normalize_axes(axis, x.ndim, fname)


def _single_axis(fname, x, axis):
    """(x, axis) for scans and arg-reductions: axis=None flattens, and 0-d acts as 1-d, as in NumPy."""
    if axis is None or x.ndim == 0:
        if axis is not None:
            normalize_axis(concrete_or_error(axis, fname, "axis"), 1, fname)
        return (lax.reshape(x, (x.size,)) if x.ndim != 1 else x), 0
    return x, normalize_axis(concrete_or_error(axis, fname, "axis"), x.ndim, fname)


def _dtype_arg(dtype):
    return None if dtype is None else dtypes.canonicalize_dtype(dtype)


def _sum_dtype(dtype):
    """NumPy's default accumulator: bool and small ints widen to 64 bits, floats keep theirs."""
    if dtype.kind == "b" or (dtype.kind == "i" and dtype.itemsize < 8):
        return _int64
    return _uint64 if dtype.kind == "u" and dtype.itemsize < 8 else dtype


def _reduced_shape(shape, axes):
    return tuple(s for d, s in enumerate(shape) if d not in axes)


def _kept_shape(shape, axes):
    return tuple(1 if d in axes else s for d, s in enumerate(shape))


def _keep(result, shape, axes, keepdims):
    return lax.reshape(result, _kept_shape(shape, axes)) if keepdims else result


def _count(shape, axes):
    return math.prod(shape[d] for d in axes)


def _scalar(value, dtype):
    """A rank-0 `value` (Python, NumPy or traced) as `dtype`, cast unsafely as reductions do."""
    if isinstance(value, Tracer):
        return convert(value, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.asarray(to_numpy(value)).astype(dtype)


def _full(shape, value, dtype):
    return lax.broadcast_in_dim(_scalar(value, dtype), shape, ())


def _select(mask, x, fill):
    """`x` where `mask`, `fill` (a scalar) elsewhere."""
    return lax.select_n(mask, _full(x.shape, fill, x.dtype), x)


def _not_nan(x):
    return lax.bitwise_not(lax.is_nan(x))


def _inexact(x):
    return x.dtype.kind in "fc"


def _mask(fname, where, shape):
    """`where` as a boolean mask of `shape`: NumPy needs a bool mask that broadcasts to the input."""
    mask = _traced(fname, where, "where")
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
    if isinstance(count, (Tracer, np.ndarray)):
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
        x = _select(_not_nan(x), x, identity)
    if kind in ("all", "any"):
        x = x if x.dtype == _bool else lax.ne(x, 0)
    else:
        x = convert(x, _dtype_arg(dtype) or _sum_dtype(x.dtype))
    if where is not True:
        x = _select(_mask(fname, where, x.shape), x, identity)
    result = reducer(x, axes)
    if initial is not _NoValue:
        result = join(result, _scalar(initial, result.dtype))
    return _keep(result, x.shape, axes, keepdims)


def _sum_function(name, kind, np_fn, skip_nan, doc):
    def reduction(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, initial=initial,
                          where=where)
        return _monoid(kind, name, a, axis, dtype, out, keepdims, initial, where, skip_nan)

    return _named(reduction, name, f"{doc} (numpy.{name}).")


sum = _sum_function("sum", "sum", np.sum, False, "Sum; bool and small ints add in 64 bits")  # noqa: A001
prod = _sum_function("prod", "prod", np.prod, False, "Product; bool and small ints multiply in 64 bits")
nansum = _sum_function("nansum", "sum", np.nansum, True, "Sum treating NaNs as zero")
nanprod = _sum_function("nanprod", "prod", np.nanprod, True, "Product treating NaNs as one")


def _logical_function(name, np_fn, doc):
    def reduction(a, axis=None, out=None, keepdims=False, *, where=True):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, out=out, keepdims=keepdims, where=where)
        return _monoid(name, name, a, axis, None, out, keepdims, where=where)

    return _named(reduction, name, doc)


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
        x = _select(valid, x, nan_fill)
    if where is not True:
        if not has_initial:
            raise ValueError(f"{fname}(): reduction operation '{ufunc}' does not have an identity, so to use a "
                             "where mask one has to specify 'initial'")
        x = _select(_mask(fname, where, x.shape), x, initial)
    if _count(x.shape, axes) == 0:
        if not has_initial:
            raise ValueError(f"{fname}(): zero-size array to reduction operation {ufunc} which has no identity "
                             f"(input shape {x.shape}, axis {axis})")
        return _keep(_full(_reduced_shape(x.shape, axes), initial, x.dtype), x.shape, axes, keepdims)
    result = reducer(x, axes)
    if has_initial:
        result = join(result, _scalar(initial, x.dtype))
    elif skip_nan:  # all-NaN slices give NaN
        result = _select(lax.reduce_or(valid, axes), result, np.nan)
    return _keep(result, x.shape, axes, keepdims)


def _max_function(name, kind, np_fn, skip_nan=False):
    def reduction(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=True):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, out=out, keepdims=keepdims, initial=initial, where=where)
        return _extremum(kind, name, a, axis, out, keepdims, initial, where, skip_nan)

    what = "Largest" if kind == "max" else "Smallest"
    return _named(reduction, name, f"{what} element{' ignoring NaNs' if skip_nan else ''} (numpy.{name}).")


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
    x = _traced("ptp", a)
    if x.dtype == _bool:
        raise TypeError("ptp(): numpy boolean subtract is not supported (input dtype bool)")
    return lax.sub(_extremum("max", "ptp", x, axis, out, keepdims), _extremum("min", "ptp", x, axis, out, keepdims))


def _arg_extremum(kind, fname, a, axis, out, keepdims, skip_nan):
    _no_out(fname, out)
    x = _traced(fname, a)
    shape = x.shape
    x, ax = _single_axis(fname, x, axis)
    if x.shape[ax] == 0:
        raise ValueError(f"{fname}(): attempt to get {kind} of an empty sequence (input shape {shape})")
    skip_nan = skip_nan and _inexact(x)
    if skip_nan:
        valid = _not_nan(x)
        x = _select(valid, x, -np.inf if kind == "argmax" else np.inf)
    result = (lax.argmax if kind == "argmax" else lax.argmin)(x, ax, _int64)
    if skip_nan:  # NumPy raises for an all-NaN slice; traced code cannot, and gives -1
        result = _select(lax.reduce_or(valid, (ax,)), result, -1)
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
    return _named(reduction, name, f"Index of the first {what} element, {nan_rule} (numpy.{name}).")


argmax = _argmax_function("argmax", "argmax", np.argmax, False)
argmin = _argmax_function("argmin", "argmin", np.argmin, False)
nanargmax = _argmax_function("nanargmax", "argmax", np.nanargmax, True)
nanargmin = _argmax_function("nanargmin", "argmin", np.nanargmin, True)


# ---------------------------------------------------------------- cumulative sums and products


_SCANS = {"sum": (lax.cumsum, 0), "prod": (lax.cumprod, 1)}


def _cumulative(kind, fname, a, axis, dtype, out, include_initial=False, skip_nan=False, flatten=True):
    _no_out(fname, out)
    scan, identity = _SCANS[kind]
    x = _traced(fname, a)
    if isinstance(axis, tuple) and not flatten:  # the Array API functions take a 1-tuple too
        if len(axis) != 1:
            raise ValueError(f"{fname}(): accumulate does not allow multiple axes, got axis={axis}")
        axis = axis[0]
    if axis is None and x.ndim > 1 and not flatten:
        raise ValueError(f"{fname}(): for arrays which have more than one dimension ``axis`` argument is "
                         f"required (input shape {x.shape})")
    x, ax = _single_axis(fname, x, axis)
    if skip_nan and _inexact(x):
        x = _select(_not_nan(x), x, identity)
    result = scan(convert(x, _dtype_arg(dtype) or _sum_dtype(x.dtype)), ax)
    if include_initial:
        result = lax.pad(result, identity, [(int(d == ax), 0, 0) for d in range(result.ndim)])
    return result


def _cumsum_function(name, kind, np_fn, skip_nan, doc):
    def scan(a, axis=None, dtype=None, out=None):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, dtype=dtype, out=out)
        return _cumulative(kind, name, a, axis, dtype, out, skip_nan=skip_nan)

    return _named(scan, name, f"{doc} (numpy.{name}).")


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
    return _named(scan, name, doc)


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
        x, count = _select(mask, x, 0), _mask_count(mask, axes)
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
        mask, dtype = None if where is True else _mask(name, where, x.shape), _dtype_arg(dtype)
        if skip_nan and _inexact(x):
            mask = _nan_mask(name, x, mask, dtype)
            dtype = dtype or x.dtype  # nanmean sums in the input dtype, float16 included
        return _mean(x, axes, dtype, keepdims, mask)

    doc = f"Arithmetic mean{' ignoring NaNs' if skip_nan else ''}; ints average in float64 (numpy.{name})."
    return _named(statistic, name, doc)


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
    mask, dtype = None if where is True else _mask(fname, where, x.shape), _dtype_arg(dtype)
    skip_nan = skip_nan and _inexact(x)
    if skip_nan:
        mask = _nan_mask(fname, x, mask, dtype)
    dtype = dtype or (_float64 if x.dtype.kind in "biu" else None)

    def total(y):
        y = convert(y, dtype or y.dtype)
        return lax.reduce_sum(y if mask is None else _select(mask, y, 0), axes)

    count = _count(x.shape, axes) if mask is None else _mask_count(mask, axes)
    if mean is _NoValue:
        kept = [d for d in range(x.ndim) if d not in axes]
        center = lax.broadcast_in_dim(_divide(total(x), count), x.shape, kept)
    else:
        center = broadcast_to_shape(_traced(fname, mean, "mean"), x.shape)
    deviation_dtype = dtypes.promote(((x.dtype, False), (center.dtype, False)))[0]
    deviation = lax.sub(convert(x, deviation_dtype), convert(center, deviation_dtype))
    if skip_nan:  # NumPy writes the deviations back into the input, zeroing NaNs
        deviation = _select(mask, convert(deviation, x.dtype), 0)
    if mask is None:
        dof = count - ddof
        if dof <= 0:
            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=4)
        result = _divide(total(_abs2(deviation)), builtins.max(dof, 0))
    else:
        dof = lax.sub(convert(count, _float64), float(ddof))
        result = _divide(total(_abs2(deviation)), dof if skip_nan else lax.max(dof, 0.0))
        if skip_nan:  # where var gives inf or NaN, nanvar gives NaN
            result = _select(lax.gt(dof, 0.0), result, np.nan)
    return _keep(_sqrt(fname, result) if root else result, x.shape, axes, keepdims)


def _variance_function(name, np_fn, skip_nan, root):
    def statistic(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=_NoValue,
                  correction=_NoValue):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, dtype=dtype, out=out, ddof=ddof, keepdims=keepdims,
                          where=where, mean=mean, correction=correction)
        return _variance(name, a, axis, dtype, out, ddof, keepdims, where, mean, correction, skip_nan, root)

    what = "Standard deviation" if root else "Variance"
    return _named(statistic, name, f"{what}{' ignoring NaNs' if skip_nan else ''}; `correction` is the Array "
                                   f"API's `ddof`; complex input gives a real result (numpy.{name}).")


var = _variance_function("var", np.var, skip_nan=False, root=False)
std = _variance_function("std", np.std, skip_nan=False, root=True)
nanvar = _variance_function("nanvar", np.nanvar, skip_nan=True, root=False)
nanstd = _variance_function("nanstd", np.nanstd, skip_nan=True, root=True)


def _weights(fname, weights, x, axis):
    """Weights broadcast to x's shape: x's own shape, or the shape of the axes in `axis` order."""
    w = _traced(fname, weights, "weights")
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
        scale = _full(result.shape, x.size / math.prod(result.shape), result.dtype)
    else:
        w = _weights("average", weights, x, axis)
        least = _float64 if x.dtype.kind in "biu" else x.dtype
        w = convert(w, dtypes.promote(((x.dtype, False), (w.dtype, False), (least, False)))[0])
        scale = _keep(lax.reduce_sum(w, axes), x.shape, axes, keepdims)
        weighted = lax.reduce_sum(lax.mul(convert(x, w.dtype), w), axes)
        result = lax.div(_keep(weighted, x.shape, axes, keepdims), scale)
    return (result, scale) if returned else result


# ---------------------------------------------------------------- median, quantile, percentile


def _sorted_rows(x, axes, *others):
    """`x` (and `others`, permuted along) with `axes` moved last and merged, sorted: (rows, n) arrays."""
    kept = [d for d in range(x.ndim) if d not in axes]
    order, shape = kept + list(axes), (_count(x.shape, kept), _count(x.shape, axes))
    rows = [lax.reshape(lax.transpose(y, order) if order != sorted(order) else y, shape) for y in (x, *others)]
    # sort_p directly: lax.sort computes its axis with `max`, which lax shadows (lax.max).
    return lax.sort_p.bind(*rows, dimension=1, is_stable=True, num_keys=1)


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
        return _finish(_full((rows,), np.nan, dtype), x.shape, axes, keepdims)
    if skip_nan and _inexact(x):
        count = _mask_count(_not_nan(y), (1,))
        low = _take_rows(y, lax.floor_divide(lax.sub(count, 1), 2))  # gather clamps -1 to 0
        high = _take_rows(y, lax.floor_divide(count, 2))
        pair = lax.concatenate([lax.reshape(low, (rows, 1)), lax.reshape(high, (rows, 1))], 1)
        result = lax.select_n(lax.eq(lax.rem(count, 2), 1), _mean(pair, (1,)), convert(low, dtype))
    else:
        result = _mean(lax.slice(y, (0, (n - 1) // 2), (rows, n // 2 + 1)), (1,))
        if _inexact(x):  # NaNs sort last; a slice holding one has a NaN median
            result = _select(_not_nan(_last(y)), result, np.nan)
    return _finish(result, x.shape, axes, keepdims)


def _median_function(name, np_fn, skip_nan):
    def statistic(a, axis=None, out=None, overwrite_input=False, keepdims=False):
        if not tracing():
            return _eager(name, np_fn, a, axis=axis, out=out, overwrite_input=overwrite_input, keepdims=keepdims)
        return _median(name, a, axis, out, keepdims, skip_nan)

    return _named(statistic, name, f"Median{' ignoring NaNs' if skip_nan else ''}; ints give float64 (numpy.{name}).")


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
        exact_gamma, other_gamma = (_full(gamma.shape, v, gamma.dtype) for v in (exact_value, other_value))
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
    given = q = _traced(fname, q, "q")
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
        return _finish(_full(lead + (rows,), np.nan, dtype), x.shape, axes, keepdims, lead)
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
        result = _select(lax.broadcast_in_dim(_not_nan(_last(y)), q.shape, (len(lead),)), result, np.nan)
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
        w = _select(_not_nan(y), w, 0)
    cdf = lax.cumsum(w, 1)
    cdf = convert(lax.div(cdf, lax.broadcast_in_dim(_last(cdf), (rows, n), (0,))), q.dtype)
    cdf = _select(lax.ne(cdf, 0), cdf, -1)  # leading zero weights never match q = 0
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
    return _named(statistic, name, f"The {unit}{' ignoring NaNs' if skip_nan else ''}, by any of NumPy's 13 "
                                   f"methods; weights need method='inverted_cdf' (numpy.{name}).")


percentile = _quantile_function("percentile", np.percentile, percent=True, skip_nan=False)
quantile = _quantile_function("quantile", np.quantile, percent=False, skip_nan=False)
nanpercentile = _quantile_function("nanpercentile", np.nanpercentile, percent=True, skip_nan=True)
nanquantile = _quantile_function("nanquantile", np.nanquantile, percent=False, skip_nan=True)
