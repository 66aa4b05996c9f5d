"""Array creation: conversion, filled arrays, ranges, grids, matrices and buffers.

Eagerly each function calls NumPy and wraps its result. Under a transform the result is a
composition of lax primitives (iota, broadcast_in_dim, select_n, arithmetic, concatenate);
arguments that decide a shape must then be concrete, while values (`fill_value`, the ends of
`linspace`, the `v` of `diag`, the elements of a list given to `array`) may be traced.
Every result is strongly typed, as NumPy arrays are, even when built from Python scalars.
"""

import itertools
import math
import operator
import warnings

import numpy as np

from .. import dtypes, lax
from ..core import Array, Tracer, concrete_or_error, wrap
from ..core.array import CPU
from ._base import normalize_axis, operand, result_dtype, shape_of, tracing

__all__ = [
    "array", "asarray", "asanyarray", "copy", "from_dlpack",
    "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
    "arange", "linspace", "logspace", "geomspace",
    "eye", "identity", "tri", "tril", "triu", "diag", "diagflat", "vander",
    "meshgrid", "indices", "fromfunction", "frombuffer", "fromiter", "fromstring",
]

_NUMPY_ERRORS = (ValueError, TypeError, OverflowError, ZeroDivisionError)
_ORDERS = frozenset("KACFkacf") | {None}
_ORDERS_CF = frozenset("CFcf") | {None}


# ---------------------------------------------------------------- argument checks


def _check(fname, order=None, orders=_ORDERS, device=None, like=None):
    """Refuse what jaxlite cannot honour: unknown orders, devices but the CPU, and like=."""
    if order not in orders:
        shown = "'C' or 'F'" if orders is _ORDERS_CF else "one of 'C', 'F', 'A' or 'K'"
        raise ValueError(f"{fname}(): order must be {shown}, got {order!r}")
    if device is not None and not CPU == device:
        raise ValueError(f"{fname}(): unsupported device {device!r}; jaxlite arrays live on {CPU!r} ('cpu')")
    if like is not None:
        raise TypeError(f"{fname}(): like= is not supported (got a {type(like).__name__}); pass like=None")


def _dtype(fname, dtype, default=None):
    """The canonical dtype `dtype` names (`default` for None); TypeError for unsupported ones."""
    if dtype is None:
        return default
    try:
        return dtypes.canonicalize_dtype(dtype)
    except TypeError as err:
        raise TypeError(f"{fname}(): {err}") from None


def _int(fname, value, argname, size=False):
    """A concrete Python int; a `size` must not be negative."""
    value = concrete_or_error(value, fname, argname)
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{fname}() argument '{argname}' must be an integer, got {value!r}") from None
    if size and value < 0:
        raise ValueError(f"{fname}(): negative dimensions are not allowed, got {argname}={value}")
    return value


def _shape(fname, shape, argname="shape"):
    """`shape` (an int or a sequence of ints, concrete) as a tuple of non-negative ints."""
    if type(shape) is int and shape >= 0:
        return (shape,)
    if type(shape) is tuple:
        for d in shape:
            if type(d) is not int or d < 0:
                break
        else:
            return shape
    shape = concrete_or_error(shape, fname, argname)
    if type(shape) is Array or isinstance(shape, np.ndarray):
        shape = np.asarray(shape).tolist()
    items = (shape,) if hasattr(shape, "__index__") else shape
    try:
        items = list(items)
    except TypeError:
        raise TypeError(f"{fname}() argument '{argname}' must be an int or a sequence of ints, got {shape!r}") from None
    dims = tuple(_int(fname, d, argname) for d in items)
    if any(d < 0 for d in dims):
        raise ValueError(f"{fname}(): negative dimensions are not allowed, got {argname}={dims}")
    return dims


# ---------------------------------------------------------------- eager and traced building blocks


def _value(x):
    """What NumPy should see of an argument: the ndarray inside an Array, else `x` itself."""
    return x._value if type(x) is Array else x


def _named(fname, err):
    """NumPy's error `err` with `fname` named in its message (our own subclasses, such as
    tracer errors, say enough already)."""
    return type(err)(f"{fname}(): {err}") if type(err) in _NUMPY_ERRORS else err


def _numpy(fname, fn, *args, **kwargs):
    """Call NumPy, naming `fname` in the errors it raises for bad arguments."""
    try:
        return fn(*args, **kwargs)
    except _NUMPY_ERRORS as err:
        raise _named(fname, err) from None


def _checked(fname, value):
    """An eager NumPy result as an Array, refusing dtypes jaxlite lacks (strings, objects)."""
    canonical = _dtype(fname, value.dtype)
    return wrap(value if value.dtype == canonical else value.astype(canonical))


def _strong(x, dtype=None):
    """`x` (tracer or concrete) as a strongly typed value of `dtype` (default: its own)."""
    if isinstance(x, Tracer):
        dtype = x.aval.dtype if dtype is None else dtype
        if x.aval.dtype == dtype and not x.aval.weak_type:
            return x
        return lax.convert_element_type(x, dtype)
    value = np.asarray(_value(x))
    dtypes.canonicalize_dtype(value.dtype)  # strings and objects raise TypeError
    return value if dtype is None else value.astype(dtype)


def _scalar(value, dtype):
    return np.array(value, dtype)[()]


def _broadcast(fname, x, shape, argname):
    """`x` broadcast (NumPy's rules) to exactly `shape`, as a new traced value."""
    x_shape = tuple(shape_of(x))
    try:
        fits = np.broadcast_shapes(x_shape, shape) == tuple(shape)
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"{fname}(): could not broadcast {argname} of shape {x_shape} into shape {tuple(shape)}")
    lead = len(shape) - len(x_shape)
    keep = [d for d, size in enumerate(x_shape) if size == shape[lead + d]]
    if len(keep) != len(x_shape):
        x = lax.reshape(x, [x_shape[d] for d in keep])
    return lax.broadcast_in_dim(x, shape, [lead + d for d in keep])


def _expand(x, shape):
    """An elementwise lax operand for a result of `shape`: broadcast unless rank 0 or `shape`."""
    x_shape = tuple(shape_of(x))
    return x if x_shape in ((), tuple(shape)) else _broadcast("jaxlite", x, shape, "operand")


def _offsets(n, m):
    """The (n, m) int64 array of `column - row`: 0 on the diagonal, k on the k-th."""
    cols = lax.broadcasted_iota(np.int64, (n, m), 1)
    return lax.sub(cols, lax.broadcasted_iota(np.int64, (n, m), 0))


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


def _moveaxis0(y, axis):
    if axis == 0:
        return y
    perm = list(range(1, y.ndim))
    perm.insert(axis, 0)
    return lax.transpose(y, perm)


# ---------------------------------------------------------------- conversion


def _has_tracer(obj):
    if isinstance(obj, (list, tuple)):
        return any(_has_tracer(item) for item in obj)
    return isinstance(obj, Tracer)


def _leaves(obj):
    if isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _leaves(item)
    else:
        yield obj


def _leaf_dtype(fname, leaf):
    # As in NumPy's array coercion, every element counts with its own (strong) dtype.
    return leaf.aval.dtype if isinstance(leaf, Tracer) else _dtype(fname, np.asarray(_value(leaf)).dtype)


def _stack(fname, obj, dtype):
    """A nested list holding tracers as one traced array: rows broadcast, then concatenated."""
    if not isinstance(obj, (list, tuple)):
        return _strong(obj, dtype)
    rows = [_stack(fname, item, dtype) for item in obj]
    shapes = sorted({tuple(r.shape) for r in rows})
    if len(shapes) > 1:
        raise ValueError(f"{fname}(): the nested sequence has an inhomogeneous shape: elements of shapes {shapes}")
    if not any(isinstance(r, Tracer) for r in rows):
        return np.stack(rows) if rows else np.empty((0,), dtype)
    shape = (1, *shapes[0])
    return lax.concatenate([lax.broadcast_in_dim(r, shape, range(1, len(shape))) for r in rows], 0)


def _from_nested(fname, obj, dtype, copy, ndmin=0, ndmax=0):
    if copy is False:
        raise ValueError(f"{fname}(): building an array from a list of traced values needs a copy, but copy=False")
    if dtype is None:
        dtype = dtypes.promote(tuple((_leaf_dtype(fname, x), False) for x in _leaves(obj)))[0]
    out = _stack(fname, obj, dtype)
    if ndmax and out.ndim > ndmax:
        raise ValueError(f"{fname}(): the nested sequence has {out.ndim} dimensions, more than ndmax={ndmax}")
    return lax.reshape(out, (1,) * (ndmin - out.ndim) + out.shape) if out.ndim < ndmin else out


def _from_tracer(fname, x, dtype, copy, ndmin=0):
    out = x
    if (dtype is not None and dtype != x.aval.dtype) or x.aval.weak_type:
        if copy is False and dtype != x.aval.dtype:
            raise ValueError(f"{fname}(): converting {x.aval.str_short()} to {dtype} needs a copy, but copy=False")
        out = _strong(x, dtype)
    if out.ndim < ndmin:
        out = lax.reshape(out, (1,) * (ndmin - out.ndim) + out.shape)
    return lax.copy(x) if copy and out is x else out


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """`a` as an array: an Array or ndarray is shared, not copied, unless a copy is needed
    (a dtype change) or asked for (copy=True); copy=False refuses to copy."""
    if type(a) is Array and dtype is None and copy is None and order is None and device is None and like is None:
        return a
    _check("asarray", order, device=device, like=like)
    return _convert("asarray", a, dtype, copy, order)


def asanyarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    _check("asanyarray", order, device=device, like=like)
    return _convert("asanyarray", a, dtype, copy, order)


def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, ndmax=0, like=None):
    """A new array from `object` (shared instead of copied only if copy=None or False)."""
    _check("array", order, like=like)
    return _convert("array", object, dtype, copy, order, ndmin, ndmax)


def _convert(fname, obj, dtype, copy, order, ndmin=0, ndmax=0):
    dtype = _dtype(fname, dtype)
    if isinstance(obj, Tracer):
        return _from_tracer(fname, obj, dtype, copy, ndmin)
    if isinstance(obj, (list, tuple)) and tracing() and _has_tracer(obj):
        return _from_nested(fname, obj, dtype, copy, ndmin, ndmax)
    value = _value(obj)
    try:
        out = np.array(value, dtype, copy=copy, order=order, ndmin=ndmin, **({"ndmax": ndmax} if ndmax else {}))
    except _NUMPY_ERRORS as err:
        raise _named(fname, err) from None
    return obj if out is value and type(obj) is Array else _checked(fname, out)


def copy(a, order="K", subok=False):
    """A copy of `a`, never sharing memory with it."""
    _check("copy", order)
    if isinstance(a, Tracer) or (isinstance(a, (list, tuple)) and tracing() and _has_tracer(a)):
        return _convert("copy", a, None, True, order)
    return _checked("copy", _numpy("copy", np.copy, _value(a), order=order))


def from_dlpack(x, /, *, device=None, copy=None):
    """An array from any object with `__dlpack__` (shared unless copy=True)."""
    _check("from_dlpack", device=device)
    if isinstance(x, Tracer):
        return lax.copy(x) if copy else x
    return _checked("from_dlpack", _numpy("from_dlpack", np.from_dlpack, _value(x), copy=copy))


# ---------------------------------------------------------------- filled arrays

_EAGER_FILLED = {"zeros": np.zeros, "ones": np.ones, "empty": np.empty}
_EAGER_LIKE = {"zeros_like": np.zeros_like, "ones_like": np.ones_like, "empty_like": np.empty_like}
_FILL_VALUE = {"zeros": 0, "ones": 1, "empty": 0}


def _filled(fname, shape, dtype, order, device, like):
    shape = _shape(fname, shape)
    dtype = _dtype(fname, dtype, dtypes.float64)
    _check(fname, order, _ORDERS_CF, device, like)
    if not tracing():
        return wrap(_EAGER_FILLED[fname](shape, dtype, order))
    return lax.broadcast_in_dim(_scalar(_FILL_VALUE[fname], dtype), shape, ())


def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    return _filled("zeros", shape, dtype, order, device, like)


def ones(shape, dtype=None, order="C", *, device=None, like=None):
    return _filled("ones", shape, dtype, order, device, like)


def empty(shape, dtype=None, order="C", *, device=None, like=None):
    """A writable array of `shape`; its values are zeros under a transform."""
    return _filled("empty", shape, dtype, order, device, like)


def _traced_fill(fname, shape, fill_value, dtype):
    fill = operand(fill_value, fname, "fill_value")
    if isinstance(fill, Tracer):
        fill = _strong(fill, dtype)
    else:  # NumPy's own conversion, so out-of-range Python ints raise as in NumPy
        value = _value(fill)
        fill = _numpy(fname, np.full, np.shape(value), value, dtype)
        _dtype(fname, fill.dtype)
    return _broadcast(fname, fill, shape, "fill_value")


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """An array of `shape` filled with `fill_value` (which may be traced, or an array
    broadcast to `shape`); the dtype is `fill_value`'s unless given."""
    shape = _shape("full", shape)
    dtype = _dtype("full", dtype)
    _check("full", order, _ORDERS_CF, device, like)
    if not tracing():
        try:
            return _checked("full", np.full(shape, _value(fill_value), dtype, order))
        except _NUMPY_ERRORS as err:
            raise _named("full", err) from None
    return _traced_fill("full", shape, fill_value, dtype)


def _like(fname, a, fill_value, dtype, order, shape, device):
    _check(fname, order, device=device)
    dtype = _dtype(fname, dtype)
    shape = None if shape is None else _shape(fname, shape)
    if not tracing():
        if fname == "full_like":
            out = _numpy(fname, np.full_like, _value(a), _value(fill_value), dtype, order, shape=shape)
        else:
            out = _numpy(fname, _EAGER_LIKE[fname], _value(a), dtype, order, shape=shape)
        return _checked(fname, out)
    a = operand(a, fname, "a")
    dtype = dtypes.dtype_and_weak(a)[0] if dtype is None else dtype
    shape = tuple(shape_of(a)) if shape is None else shape
    return _traced_fill(fname, shape, fill_value, dtype)


def zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("zeros_like", a, 0, dtype, order, shape, device)


def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("ones_like", a, 1, dtype, order, shape, device)


def empty_like(prototype, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("empty_like", prototype, 0, dtype, order, shape, device)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    return _like("full_like", a, fill_value, dtype, order, shape, device)


# ---------------------------------------------------------------- ranges

_ARANGE_DEFAULT = {"b": dtypes.int64, "i": dtypes.int64, "u": dtypes.int64, "f": dtypes.float64, "c": dtypes.complex128}
# NumPy fills float16 ranges in float32 and bool ones (length <= 2) as integers.
_ARANGE_WORK = {dtypes.float16: dtypes.float32, dtypes.bool_: dtypes.int64}


def _concrete_number(fname, value, argname):
    value = _value(concrete_or_error(value, fname, argname))
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
    dtype = _dtype("arange", dtype)
    _check("arange", device=device, like=like)
    if not tracing():
        try:
            return _checked("arange", np.arange(_value(start_or_stop), _value(stop), _value(step), dtype=dtype))
        except _NUMPY_ERRORS as err:
            raise _named("arange", err) from None
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
    return out if work == dtype else lax.convert_element_type(out, dtype)


def _num(fname, num):
    num = _int(fname, num, "num")  # NumPy's own message for a negative count
    if num < 0:
        raise ValueError(f"{fname}(): number of samples 'num', {num}, must be non-negative")
    return num


def _inexact_dtype(*xs):
    dtype = result_dtype(*xs)[0]
    return dtypes.float64 if dtype.kind in "biu" else dtype


def _traced_linspace(start, stop, num, endpoint, retstep, dtype, axis):
    dt = _inexact_dtype(start, stop)
    start, stop = _strong(start, dt), _strong(stop, dt)
    shape = np.broadcast_shapes(shape_of(start), shape_of(stop))
    axis = normalize_axis(axis, len(shape) + 1, "linspace")
    div = num - 1 if endpoint else num
    if isinstance(start, Tracer) or isinstance(stop, Tracer):
        delta = lax.sub(_expand(stop, shape), _expand(start, shape))
        step = lax.div(delta, _scalar(div, dt)) if div > 0 else np.nan
        any_zero = div > 0 and lax.eq(step, _scalar(0, dt))
        if div > 0 and shape:
            any_zero = lax.reduce_or(any_zero, range(len(shape)))
    else:  # concrete ends: take NumPy's branch now
        with np.errstate(all="ignore"):
            delta = np.subtract(stop, start)
            step = delta / _scalar(div, dt) if div > 0 else np.nan
        any_zero = div > 0 and bool(np.any(step == 0))
    out_shape = (num, *shape)
    y = lax.broadcasted_iota(dt, out_shape, 0)
    if div <= 0:
        y = lax.mul(y, _expand(delta, out_shape))
    else:
        by_step = None if any_zero is True else lax.mul(y, _expand(step, out_shape))
        # NumPy divides first when a step underflows to zero (a denormal span).
        by_delta = None if any_zero is False else lax.mul(lax.div(y, _scalar(div, dt)), _expand(delta, out_shape))
        y = by_delta if by_step is None else by_step if by_delta is None else lax.select_n(any_zero, by_step, by_delta)
    y = lax.add(y, _expand(start, out_shape))
    if endpoint and num > 1:
        y = _set_rows(y, last=stop)
    y = _moveaxis0(y, axis)
    if dtype is not None and dtype.kind in "iu":
        y = lax.floor(y)
    y = _strong(y, dtype)
    return (y, step if isinstance(step, Tracer) else lax.copy(np.asarray(step))) if retstep else y


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """`num` evenly spaced samples from `start` to `stop` (which may be traced arrays, the
    samples then run along `axis`)."""
    num = _num("linspace", num)
    dtype = _dtype("linspace", dtype)
    _check("linspace", device=device)
    if not tracing():
        out = _numpy("linspace", np.linspace, _value(start), _value(stop), num, endpoint, retstep, dtype, axis)
        return (_checked("linspace", out[0]), wrap(np.asarray(out[1]))) if retstep else _checked("linspace", out)
    start, stop = operand(start, "linspace", "start"), operand(stop, "linspace", "stop")
    return _traced_linspace(start, stop, num, endpoint, retstep, dtype, axis)


def _pow(base, y):
    dtype = result_dtype(base, y)[0]
    base, y = _strong(base, dtype), _strong(y, dtype)
    shape = np.broadcast_shapes(shape_of(base), shape_of(y))
    return lax.pow(_expand(base, shape), _expand(y, shape))


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """`base ** linspace(start, stop, ...)`; an array `base` is broadcast with the ends."""
    num = _num("logspace", num)
    dtype = _dtype("logspace", dtype)
    if not tracing():
        out = _numpy("logspace", np.logspace, _value(start), _value(stop), num, endpoint, _value(base), dtype, axis)
        return _checked("logspace", out)
    start, stop = operand(start, "logspace", "start"), operand(stop, "logspace", "stop")
    base = operand(base, "logspace", "base")
    if shape_of(base) != ():
        ndim = len(np.broadcast_shapes(shape_of(start), shape_of(stop), shape_of(base)))
        start, stop, base = (_strong(x) for x in (start, stop, base))
        start, stop, base = (lax.reshape(x, (1,) * (ndim - x.ndim) + x.shape) for x in (start, stop, base))
        base = lax.expand_dims(base, (normalize_axis(axis, ndim + 1, "logspace"),))
    out = _pow(base, _traced_linspace(start, stop, num, endpoint, False, None, axis))
    return _strong(out, dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """`num` samples spaced evenly on a log scale from `start` to `stop` (neither zero)."""
    num = _num("geomspace", num)
    dtype = _dtype("geomspace", dtype)
    if not tracing():
        out = _numpy("geomspace", np.geomspace, _value(start), _value(stop), num, endpoint, dtype, axis)
        return _checked("geomspace", out)
    start, stop = operand(start, "geomspace", "start"), operand(stop, "geomspace", "stop")
    for x in (start, stop):  # a traced zero gives NaNs, as it cannot be checked here
        if not isinstance(x, Tracer) and np.any(np.asarray(_value(x)) == 0):
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
    y = _moveaxis0(y, normalize_axis(axis, y.ndim, "geomspace"))
    return _strong(y, dtype)


# ---------------------------------------------------------------- matrices


def _eye(fname, n, m, k, dtype, select, order="C"):
    n = _int(fname, n, "N", size=True)
    m = n if m is None else _int(fname, m, "M", size=True)
    k = _int(fname, k, "k")
    dtype = _dtype(fname, dtype, dtypes.float64)
    if not tracing():
        eager = np.eye if select is lax.eq else np.tri
        return wrap(eager(n, m, k, dtype, order=order) if order != "C" else eager(n, m, k, dtype))
    return lax.convert_element_type(select(_offsets(n, m), np.int64(k)), dtype)


def eye(N, M=None, k=0, dtype=float, order="C", *, device=None, like=None):
    _check("eye", order, _ORDERS_CF, device, like)
    return _eye("eye", N, M, k, dtype, lax.eq, order)


def identity(n, dtype=None, *, like=None):
    _check("identity", like=like)
    return _eye("identity", _int("identity", n, "n", size=True), None, 0, dtype, lax.eq)


def tri(N, M=None, k=0, dtype=float, *, like=None):
    """Ones at and below the k-th diagonal, zeros above."""
    _check("tri", like=like)
    return _eye("tri", N, M, k, dtype, lax.le)


def _triangle(fname, m, k, keep):
    k = _int(fname, k, "k")
    if not tracing():
        return _checked(fname, _numpy(fname, np.tril if keep is lax.le else np.triu, _value(m), k))
    m = _strong(operand(m, fname, "m"))
    if m.ndim == 0:
        raise TypeError(f"{fname}(): input must be at least 1-d, got a 0-d array")
    rows, cols = m.shape[-2:] if m.ndim > 1 else m.shape * 2
    shape = np.broadcast_shapes((rows, cols), m.shape)
    mask = _expand(keep(_offsets(rows, cols), np.int64(k)), shape)
    zero = lax.broadcast_in_dim(_scalar(0, m.dtype), shape, ())
    return lax.select_n(mask, zero, _expand(m, shape))


def tril(m, k=0):
    """`m` (batched over leading axes) with the elements above the k-th diagonal zeroed."""
    return _triangle("tril", m, k, lax.le)


def triu(m, k=0):
    """`m` (batched over leading axes) with the elements below the k-th diagonal zeroed."""
    return _triangle("triu", m, k, lax.ge)


def _diag_matrix(v, k):
    """The square matrix with 1-d `v` on its k-th diagonal."""
    n = v.shape[0] + abs(k)
    if k:
        v = lax.pad(v, _scalar(0, v.dtype), [(0, abs(k), 0)])
    spread = lax.broadcast_in_dim(v, (n, n), (0,) if k >= 0 else (1,))
    zero = lax.broadcast_in_dim(_scalar(0, v.dtype), (n, n), ())
    return lax.select_n(lax.eq(_offsets(n, n), np.int64(k)), zero, spread)


def _diagonal(x, k):
    """The k-th diagonal of a matrix: a strided slice of its flattened elements."""
    rows, cols = x.shape
    row0, col0 = max(-k, 0), max(k, 0)
    length = max(0, min(rows - row0, cols - col0))
    flat = lax.reshape(x, (rows * cols,))
    if length == 0:
        return lax.slice(flat, (0,), (0,))
    begin = row0 * cols + col0
    return lax.slice(flat, (begin,), (begin + (length - 1) * (cols + 1) + 1,), (cols + 1,))


def diag(v, k=0):
    """The matrix with 1-d `v` on its k-th diagonal, or the k-th diagonal of 2-d `v`."""
    k = _int("diag", k, "k")
    if not tracing():
        return _checked("diag", _numpy("diag", np.diag, _value(v), k))
    v = _strong(operand(v, "diag", "v"))
    if v.ndim not in (1, 2):
        raise ValueError(f"diag(): input must be 1- or 2-d, got shape {tuple(v.shape)}")
    return _diag_matrix(v, k) if v.ndim == 1 else _diagonal(v, k)


def diagflat(v, k=0):
    """The matrix with the flattened `v` on its k-th diagonal."""
    k = _int("diagflat", k, "k")
    if not tracing():
        return _checked("diagflat", _numpy("diagflat", np.diagflat, _value(v), k))
    v = _strong(operand(v, "diagflat", "v"))
    return _diag_matrix(lax.reshape(v, (math.prod(v.shape),)), k)


def vander(x, N=None, increasing=False):
    """Columns of powers of 1-d `x`: x**(N-1), ..., x**0 (reversed if `increasing`)."""
    if not tracing():
        return _checked("vander", _numpy("vander", np.vander, _value(x), N, increasing))
    x = _strong(operand(x, "vander", "x"))
    if x.ndim != 1:
        raise ValueError(f"vander(): x must be a one-dimensional array or sequence, got shape {tuple(x.shape)}")
    n = x.shape[0]
    cols = n if N is None else _int("vander", N, "N", size=True)
    dtype = dtypes.promote_types(x.dtype, dtypes.int64)
    out = lax.broadcast_in_dim(_scalar(1, dtype), (n, min(cols, 1)), ())
    if cols > 1:
        powers = lax.cumprod(lax.broadcast_in_dim(_strong(x, dtype), (n, cols - 1), (0,)), axis=1)
        out = lax.concatenate([out, powers], 1)
    return out if increasing else lax.rev(out, (1,))


# ---------------------------------------------------------------- grids


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate arrays from 1-d coordinate vectors (flattened first)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid(): indexing must be 'xy' or 'ij', got {indexing!r}")
    if not tracing():
        grids = _numpy("meshgrid", np.meshgrid, *map(_value, xi), copy=copy, sparse=sparse, indexing=indexing)
        return tuple(_checked("meshgrid", g) for g in grids)
    xs = [_strong(operand(x, "meshgrid", f"x{i + 1}")) for i, x in enumerate(xi)]
    xs = [lax.reshape(x, (math.prod(x.shape),)) for x in xs]
    axes = list(range(len(xs)))
    if indexing == "xy" and len(xs) > 1:
        axes[0], axes[1] = 1, 0
    full_shape = [0] * len(xs)
    for x, axis in zip(xs, axes):
        full_shape[axis] = x.shape[0]
    grids = []
    for x, axis in zip(xs, axes):
        shape = [size if d == axis or not sparse else 1 for d, size in enumerate(full_shape)]
        grids.append(lax.broadcast_in_dim(x, shape, (axis,)))
    return tuple(grids)


def indices(dimensions, dtype=int, sparse=False):
    """The index grid of an array of shape `dimensions`: one array per axis, stacked
    unless `sparse`."""
    given = _value(concrete_or_error(dimensions, "indices", "dimensions"))
    if not isinstance(given, (list, tuple)) and np.ndim(given) == 0:
        raise TypeError(f"indices() argument 'dimensions' must be a sequence of ints, got {dimensions!r}")
    dims = _shape("indices", dimensions, "dimensions")
    dtype = _dtype("indices", dtype)
    if not tracing():
        out = _numpy("indices", np.indices, dims, dtype, sparse)
        return tuple(map(wrap, out)) if sparse else wrap(out)
    if sparse:
        return tuple(
            lax.broadcasted_iota(dtype, [n if d == i else 1 for d, n in enumerate(dims)], i) for i, _ in enumerate(dims)
        )
    if not dims:
        return lax.broadcast_in_dim(_scalar(0, dtype), (0,), ())
    rows = [lax.broadcasted_iota(dtype, (1, *dims), i + 1) for i in range(len(dims))]
    return rows[0] if len(rows) == 1 else lax.concatenate(rows, 0)


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """`function(*index_arrays, **kwargs)`, the index arrays of `shape` having `dtype`."""
    _check("fromfunction", like=like)
    shape = _shape("fromfunction", shape)
    dtype = _dtype("fromfunction", dtype, dtypes.float64)
    if not tracing():
        grids = [wrap(g) for g in np.indices(shape, dtype)]
    else:
        grids = [lax.broadcasted_iota(dtype, shape, i) for i in range(len(shape))]
    return function(*grids, **kwargs)


# ---------------------------------------------------------------- from buffers and iterables


def frombuffer(buffer, dtype=float, count=-1, offset=0, *, like=None):
    """A 1-d array viewing the bytes of `buffer` (read-only if the buffer is)."""
    _check("frombuffer", like=like)
    buffer = _value(concrete_or_error(buffer, "frombuffer", "buffer"))
    dtype = _dtype("frombuffer", dtype, dtypes.float64)
    return _checked("frombuffer", _numpy("frombuffer", np.frombuffer, buffer, dtype, count, offset))


def fromiter(iter, dtype, count=-1, *, like=None):
    """A 1-d array of the first `count` items of an iterable (all of them if count < 0);
    under a transform the items may be traced scalars."""
    _check("fromiter", like=like)
    dtype = _dtype("fromiter", dtype)
    if not tracing():
        return _checked("fromiter", _numpy("fromiter", np.fromiter, iter, dtype, count))
    count = _int("fromiter", count, "count")
    items = list(itertools.islice(iter, None if count < 0 else count))
    if 0 <= count != len(items):
        raise ValueError(f"fromiter(): iterator too short: expected {count} items but it had only {len(items)}")
    if not any(isinstance(item, Tracer) for item in items):
        return _checked("fromiter", _numpy("fromiter", np.fromiter, items, dtype))
    return _from_nested("fromiter", items, dtype, None)


def fromstring(string, dtype=float, count=-1, *, sep, like=None):
    """A 1-d array of the numbers written in `string`, separated by `sep`."""
    _check("fromstring", like=like)
    string = concrete_or_error(string, "fromstring", "string")
    dtype = _dtype("fromstring", dtype, dtypes.float64)
    return _checked("fromstring", _numpy("fromstring", np.fromstring, string, dtype, count, sep=sep))
