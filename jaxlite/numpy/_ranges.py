"""Numerical ranges: arange, linspace, logspace, geomspace.

Eagerly each function calls NumPy and wraps its result. Under a transform the result is a
composition of lax primitives (iota, arithmetic, concatenate), made a value of the current
trace (so item assignment on it is recorded). The length of a range must be concrete; the
ends of linspace, logspace and geomspace may be traced arrays (the samples then run along
`axis`). NumPy's rounding is reproduced: arange continues from its first two
elements, linspace divides first when the step underflows.
"""

import math
import warnings

import numpy as np

from .. import dtypes, lax
from ..core import Tracer, concrete_or_error, to_numpy, wrap
from ._base import (
    NUMPY_ERRORS, cast_scalar, dtype_arg, eager, fresh, normalize_axis, numpy_error, operand, result_dtype,
    shape_of, static_int, tracing,
)
from ._creation import _broadcast, _check, _checked, _expand, _strong
from ._manipulation import moveaxis

__all__ = ["arange", "linspace", "logspace", "geomspace"]


_ARANGE_DEFAULT = {"b": dtypes.int64, "i": dtypes.int64, "u": dtypes.int64, "f": dtypes.float64, "c": dtypes.complex128}
# NumPy fills float16 ranges in float32 and bool ones (length <= 2) as integers.
_ARANGE_WORK = {dtypes.float16: dtypes.float32, dtypes.bool_: dtypes.int64}


def _concrete_number(fname, value, argname):
    value = to_numpy(concrete_or_error(value, fname, argname))
    return value[()] if isinstance(value, np.ndarray) else value


def _ceil_length(quotient):
    if math.isnan(quotient):
        raise ValueError("arange(): cannot compute the length of the range (it is NaN)")
    if quotient >= 2.0**63:
        raise ValueError("arange(): maximum allowed size exceeded")
    return max(0, math.ceil(quotient))


def _arange_length(start, stop, step):
    if step == 0:
        raise ZeroDivisionError("arange(): division by zero: 'step' must not be zero")
    try:
        with np.errstate(all="ignore"):
            quotient = (stop - start) / step
    except TypeError:
        raise TypeError(f"arange(): start, stop and step must be numbers, got {start!r}, {stop!r}, {step!r}") from None
    if isinstance(quotient, (complex, np.complexfloating)):
        return min(_ceil_length(quotient.real), _ceil_length(quotient.imag))
    return _ceil_length(float(quotient))


def _cast(value, dtype, work):
    """NumPy's conversion of one range element (Python numbers must fit integer dtypes)."""
    if dtype.kind in "iu" and isinstance(value, float):
        value = int(value)
    if type(value) is int:
        return np.asarray(value, dtype).astype(work)[()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        return np.asarray(value).astype(dtype).astype(work)[()]


def arange(start_or_stop, /, stop=None, step=1, *, dtype=None, device=None, like=None):
    """Evenly spaced values in [start, stop): NumPy's length ceil((stop - start) / step),
    dtype (int64, float64 or complex128 by kind) and values start + i * step."""
    dtype = dtype_arg(dtype, "arange")
    _check("arange", device=device, like=like)
    if not tracing():
        try:
            return _checked("arange", np.arange(to_numpy(start_or_stop), to_numpy(stop), to_numpy(step), dtype=dtype))
        except NUMPY_ERRORS as error:
            raise numpy_error(error, "arange") from None
    start = _concrete_number("arange", start_or_stop, "start_or_stop")
    if stop is None:
        start, stop = 0, start
    else:
        stop = _concrete_number("arange", stop, "stop")
    step = 1 if step is None else _concrete_number("arange", step, "step")
    n = _arange_length(start, stop, step)
    if dtype is None:
        kind = np.result_type(*map(np.asarray, (start, stop, step))).kind
        if kind not in _ARANGE_DEFAULT:
            raise TypeError(f"arange(): start, stop and step must be numbers, got {start!r}, {stop!r}, {step!r}")
        dtype = _ARANGE_DEFAULT[kind]
    if dtype == dtypes.bool_ and n > 2:
        raise TypeError("arange(): booleans are only supported when the result has at most length 2")
    work = _ARANGE_WORK.get(dtype, dtype)
    # NumPy sets the first two elements (those there are), then continues with their difference.
    first = _cast(start, dtype, work) if n > 0 else 0
    with np.errstate(all="ignore"):
        delta = _cast(start + step, dtype, work) - first if n > 1 else 1
    out = lax.iota(work, n)
    if delta != 1:
        out = lax.mul(out, delta)
    if first != 0:
        out = lax.add(out, first)
    return fresh(out if work == dtype else lax.convert_element_type(out, dtype))


def _num(fname, num):
    num = static_int(num, fname, "num")  # NumPy's own message for a negative count
    if num < 0:
        raise ValueError(f"{fname}(): number of samples 'num', {num}, must be non-negative")
    return num


def _inexact_dtype(*xs):
    dtype = result_dtype(*xs)[0]
    return dtypes.float64 if dtype.kind in "biu" else dtype


def _set_rows(y, first=None, last=None):
    """`y` with its first and/or last row along axis 0 replaced (rows broadcast to fit)."""
    num, *rest = y.shape
    lo, hi = (0 if first is None else 1), (num if last is None else num - 1)
    pieces = [] if first is None else [_broadcast("set", first, (1, *rest), "row")]
    if hi > lo:
        pieces.append(lax.slice(y, (lo, *[0] * len(rest)), (hi, *rest)))
    if last is not None:
        pieces.append(_broadcast("set", last, (1, *rest), "row"))
    return pieces[0] if len(pieces) == 1 else lax.concatenate(pieces, 0)


def _traced_linspace(start, stop, num, endpoint, retstep, dtype, axis):
    dt = _inexact_dtype(start, stop)
    start, stop = _strong(start, dt), _strong(stop, dt)
    shape = np.broadcast_shapes(shape_of(start), shape_of(stop))
    axis = normalize_axis(axis, len(shape) + 1, "linspace")
    div = num - 1 if endpoint else num
    if isinstance(start, Tracer) or isinstance(stop, Tracer):
        delta = lax.sub(_expand(stop, shape), _expand(start, shape))
        step = lax.div(delta, cast_scalar(div, dt)) if div > 0 else np.nan
        any_zero = div > 0 and lax.eq(step, cast_scalar(0, dt))
        if div > 0 and shape:
            any_zero = lax.reduce_or(any_zero, range(len(shape)))
    else:  # concrete ends: take NumPy's branch now
        with np.errstate(all="ignore"):
            delta = np.subtract(stop, start)
            step = delta / cast_scalar(div, dt) if div > 0 else np.nan
        any_zero = div > 0 and bool(np.any(step == 0))
    out_shape = (num, *shape)
    y = lax.broadcasted_iota(dt, out_shape, 0)
    if div <= 0:
        y = lax.mul(y, _expand(delta, out_shape))
    else:
        by_step = None if any_zero is True else lax.mul(y, _expand(step, out_shape))
        # NumPy divides first when a step underflows to zero (a denormal span).
        by_delta = None if any_zero is False else lax.mul(lax.div(y, cast_scalar(div, dt)), _expand(delta, out_shape))
        y = by_delta if by_step is None else by_step if by_delta is None else lax.select_n(any_zero, by_step, by_delta)
    y = lax.add(y, _expand(start, out_shape))
    if endpoint and num > 1:
        y = _set_rows(y, last=stop)
    y = moveaxis(y, 0, axis)
    if dtype is not None and dtype.kind in "iu":
        y = lax.floor(y)
    y = _strong(y, dtype)
    return (y, step if isinstance(step, Tracer) else lax.copy(np.asarray(step))) if retstep else y


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """`num` evenly spaced samples from `start` to `stop` (which may be traced arrays, the
    samples then run along `axis`)."""
    num = _num("linspace", num)
    dtype = dtype_arg(dtype, "linspace")
    _check("linspace", device=device)
    if not tracing():
        ends = to_numpy(start), to_numpy(stop)
        out = eager("linspace", lambda: np.linspace(*ends, num, endpoint, retstep, dtype, axis))
        return (_checked("linspace", out[0]), wrap(np.asarray(out[1]))) if retstep else _checked("linspace", out)
    start, stop = operand(start, "linspace", "start"), operand(stop, "linspace", "stop")
    out = _traced_linspace(start, stop, num, endpoint, retstep, dtype, axis)
    return (fresh(out[0]), out[1]) if retstep else fresh(out)


def _pow(base, y):
    dtype = result_dtype(base, y)[0]
    base, y = _strong(base, dtype), _strong(y, dtype)
    shape = np.broadcast_shapes(shape_of(base), shape_of(y))
    return lax.pow(_expand(base, shape), _expand(y, shape))


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """`base ** linspace(start, stop, ...)`; an array `base` is broadcast with the ends."""
    num = _num("logspace", num)
    dtype = dtype_arg(dtype, "logspace")
    if not tracing():
        ends, base = (to_numpy(start), to_numpy(stop)), to_numpy(base)
        return _checked("logspace", eager("logspace", lambda: np.logspace(*ends, num, endpoint, base, dtype, axis)))
    start, stop = operand(start, "logspace", "start"), operand(stop, "logspace", "stop")
    base = operand(base, "logspace", "base")
    if shape_of(base) != ():
        ndim = len(np.broadcast_shapes(shape_of(start), shape_of(stop), shape_of(base)))
        start, stop, base = (_strong(x) for x in (start, stop, base))
        start, stop, base = (lax.reshape(x, (1,) * (ndim - x.ndim) + x.shape) for x in (start, stop, base))
        base = lax.expand_dims(base, (normalize_axis(axis, ndim + 1, "logspace"),))
    out = _pow(base, _traced_linspace(start, stop, num, endpoint, False, None, axis))
    return fresh(_strong(out, dtype))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` samples spaced evenly on a log scale from `start` to `stop` (neither zero)."""
    num = _num("geomspace", num)
    dtype = dtype_arg(dtype, "geomspace")
    if not tracing():
        ends = to_numpy(start), to_numpy(stop)
        return _checked("geomspace", eager("geomspace", lambda: np.geomspace(*ends, num, endpoint, dtype, axis)))
    start, stop = operand(start, "geomspace", "start"), operand(stop, "geomspace", "stop")
    for x in (start, stop):  # a traced zero gives NaNs, as it cannot be checked here
        if not isinstance(x, Tracer) and np.any(np.asarray(to_numpy(x)) == 0):
            raise ValueError("geomspace(): a geometric sequence cannot include zero")
    # NumPy computes in at least float64 (start * 1.0 meets a float64 zero of `dtype`).
    dt = dtypes.result_type(_inexact_dtype(start), _inexact_dtype(stop), dtype or dtypes.float64)
    start, stop = _strong(start, dt), _strong(stop, dt)
    shape = np.broadcast_shapes(shape_of(start), shape_of(stop))
    sign = lax.sign(start)
    start, stop = lax.div(start, sign), lax.div(_expand(stop, shape), _expand(sign, shape))
    y = _traced_linspace(lax.log10(start), lax.log10(stop), num, endpoint, False, None, 0)
    y = _strong(_pow(10.0, y), dt)
    if num > 0:
        y = _set_rows(y, first=start, last=stop if num > 1 and endpoint else None)
    y = lax.mul(y, _expand(sign, y.shape))
    y = moveaxis(y, 0, normalize_axis(axis, y.ndim, "geomspace"))
    return fresh(_strong(y, dtype))
