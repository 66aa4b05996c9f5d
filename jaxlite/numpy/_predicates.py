"""Comparisons of whole arrays, type predicates, and NaN/infinity handling: allclose, isclose,
array_equal, array_equiv, iscomplex(obj), isreal(obj), isscalar, iterable, isneginf, isposinf,
nan_to_num, astype.

Functions returning a Python bool in NumPy (allclose, array_equal, array_equiv) do so eagerly;
under a transform they return a traced boolean scalar.
"""

import numpy as np

from .. import dtypes, lax
from ..core import Array, Tracer
from ._base import (array_operand, broadcast_operands, broadcast_shapes, convert, fresh, has_tracer, numpy_error, to_numpy,
                    tracing, where_scalar, wrap, NUMPY_ERRORS)
from ._creation import _check as _check_creation
from ._reductions import all as _all
from ._ufuncs import (absolute, equal, imag, isfinite, isinf, isnan, less_equal, logical_and, logical_not,
                      logical_or, not_equal, real, signbit)

__all__ = [
    "allclose", "isclose", "array_equal", "array_equiv", "iscomplex", "iscomplexobj", "isreal",
    "isrealobj", "isscalar", "iterable", "isneginf", "isposinf", "nan_to_num", "astype",
]


def _eager(fname, function, *args, **kwargs):
    """function(*args, **kwargs) on NumPy values; NumPy's errors name `fname`."""
    try:
        return function(*map(to_numpy, args), **kwargs)
    except NUMPY_ERRORS as error:
        raise numpy_error(error, fname) from None


# ---------------------------------------------------------------- closeness and equality


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise |a - b| <= atol + rtol * |b| (infinities equal only to themselves)."""
    if not tracing():
        return wrap(_eager("isclose", np.isclose, a, b, rtol, atol, equal_nan))
    x, y = array_operand(a, "isclose", "a"), array_operand(b, "isclose", "b")
    if y.dtype.kind not in "fc":  # NumPy compares in (at least) float
        y = convert(y, dtypes.promote_types(y.dtype, np.float64) if y.dtype.kind != "b" else np.float64)
    x, y = broadcast_operands("isclose", x, y, keep_scalars=False)
    finite = logical_and(isfinite(x), isfinite(y))
    xs, ys = where_scalar(finite, x, 0), where_scalar(finite, y, 0)  # no inf - inf evaluated
    close = logical_and(less_equal(absolute(xs - ys), atol + rtol * absolute(ys)), finite)
    close = logical_or(close, equal(x, y))
    if equal_nan:
        close = logical_or(close, logical_and(isnan(x), isnan(y)))
    return close


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether all elements are close (isclose); a Python bool eagerly."""
    if not tracing():
        return bool(_eager("allclose", np.allclose, a, b, rtol, atol, equal_nan))
    return _all(isclose(a, b, rtol, atol, equal_nan))


def _constant_bool(value):
    return fresh(wrap(np.asarray(value)))


def array_equal(a1, a2, equal_nan=False):
    """Whether both have the same shape and elements; a Python bool eagerly."""
    if not tracing():
        return bool(_eager("array_equal", np.array_equal, a1, a2, equal_nan=equal_nan))
    x, y = array_operand(a1, "array_equal", "a1"), array_operand(a2, "array_equal", "a2")
    if x.shape != y.shape:
        return _constant_bool(False)
    same = equal(x, y)
    if equal_nan:
        same = logical_or(same, logical_and(isnan(x), isnan(y)))
    return _all(same)


def array_equiv(a1, a2):
    """Whether the arrays broadcast to one shape and are equal there; a Python bool eagerly."""
    if not tracing():
        return bool(_eager("array_equiv", np.array_equiv, a1, a2))
    x, y = array_operand(a1, "array_equiv", "a1"), array_operand(a2, "array_equiv", "a2")
    try:
        broadcast_shapes("array_equiv", x.shape, y.shape)
    except ValueError:
        return _constant_bool(False)
    return _all(equal(x, y))


# ---------------------------------------------------------------- types


def _dtype_of(x):
    if isinstance(x, (Array, Tracer, np.ndarray, np.generic)):
        return x.dtype
    if has_tracer(x):
        return array_operand(x, "iscomplexobj").dtype
    return np.asarray(x).dtype


def iscomplexobj(x):
    """Whether `x` has a complex dtype (whatever its values)."""
    dtype = getattr(x, "dtype", None)
    dtype = dtype if isinstance(dtype, np.dtype) else _dtype_of(x)
    return dtype.kind == "c"


def isrealobj(x):
    """Whether `x` does not have a complex dtype."""
    return not iscomplexobj(x)


def iscomplex(x):
    """Elementwise: whether the imaginary part is nonzero."""
    if not tracing():
        return wrap(np.asarray(_eager("iscomplex", np.iscomplex, x)))
    return not_equal(imag(array_operand(x, "iscomplex")), 0)


def isreal(x):
    """Elementwise: whether the imaginary part is zero."""
    if not tracing():
        return wrap(np.asarray(_eager("isreal", np.isreal, x)))
    return equal(imag(array_operand(x, "isreal")), 0)


def isscalar(element):
    """NumPy's isscalar: Python and NumPy scalars (and strings); arrays, even 0-d, are not."""
    if isinstance(element, (Array, Tracer)):
        return False
    return np.isscalar(element)


def iterable(y):
    """Whether `iter(y)` succeeds (0-d arrays are not iterable)."""
    try:
        iter(y)
    except TypeError:
        return False
    return True


# ---------------------------------------------------------------- infinities and NaNs


def _signed_inf(fname, x, negative):
    if not tracing():
        function = np.isneginf if negative else np.isposinf
        return wrap(np.asarray(_eager(fname, function, x)))
    x = array_operand(x, fname)
    if x.dtype.kind == "c":
        raise TypeError(f"{fname}() is not defined for complex inputs")
    sign = signbit(x) if negative else logical_not(signbit(x))
    return logical_and(isinf(x), sign)


def isneginf(x, out=None):
    """Elementwise: whether x is negative infinity (real inputs only)."""
    if out is not None:
        raise TypeError("isneginf(): out= is not supported by jaxlite; use the returned array")
    return _signed_inf("isneginf", x, True)


def isposinf(x, out=None):
    """Elementwise: whether x is positive infinity (real inputs only)."""
    if out is not None:
        raise TypeError("isposinf(): out= is not supported by jaxlite; use the returned array")
    return _signed_inf("isposinf", x, False)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN -> `nan`, +inf -> `posinf` (default the largest float), -inf -> `neginf` (default the
    most negative float); complex inputs part by part; other dtypes unchanged."""
    if not tracing():
        return wrap(np.asarray(_eager("nan_to_num", np.nan_to_num, x, copy=copy, nan=nan, posinf=posinf,
                                      neginf=neginf)))
    x = array_operand(x, "nan_to_num")
    if x.dtype.kind == "c":
        parts = [_real_nan_to_num(p, nan, posinf, neginf) for p in (real(x), imag(x))]
        return lax.complex(*parts)
    if x.dtype.kind != "f":
        return x
    return _real_nan_to_num(x, nan, posinf, neginf)


def _real_nan_to_num(x, nan, posinf, neginf):
    info = np.finfo(x.dtype)
    big = info.max if posinf is None else posinf
    small = info.min if neginf is None else neginf
    x = where_scalar(logical_not(isnan(x)), x, nan)
    x = where_scalar(logical_not(logical_and(isinf(x), logical_not(signbit(x)))), x, big)
    return where_scalar(logical_not(logical_and(isinf(x), signbit(x))), x, small)


def astype(x, dtype, /, *, copy=True, device=None):
    """The Array API's astype: `x` converted to `dtype` (a copy unless copy=False and the
    dtype is already right)."""
    _check_creation("astype", device=device)
    if isinstance(x, Tracer):
        dtype = dtypes.canonicalize_dtype(dtype)
        if x.dtype == dtype:
            return fresh(lax.copy(x)) if copy else x
        return fresh(convert(x, dtype))
    if not isinstance(x, (Array, np.ndarray, np.generic)):
        raise TypeError(f"astype(): x must be an array, got {type(x).__name__}")
    value = to_numpy(x) if type(x) is Array else np.asarray(x)
    out = _eager("astype", np.astype, value, dtypes.canonicalize_dtype(dtype), copy=copy)
    return x if (out is value and type(x) is Array) else fresh(wrap(out))

