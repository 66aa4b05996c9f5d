"""Signal processing: convolution and correlation, differences, gradients, integration,
interpolation, phase unwrapping, sinc, the Bessel function i0 and window functions.

Eagerly each function calls NumPy. Under a transform it is a composition of other
jaxlite.numpy functions (convolution: a gather of shifted windows times the kernel); shape
arguments (`n`, `axis`, window lengths `M`) must then be concrete.
"""

import numpy as np

from .. import numpy as jnp
from ..core import Array, concrete_or_error
from ._base import NUMPY_ERRORS, normalize_axis, numpy_error, result_dtype, static_int, to_numpy, tracing, wrap

__all__ = [
    "convolve", "correlate", "diff", "ediff1d", "gradient", "trapezoid", "interp", "unwrap", "sinc", "i0",
    "bartlett", "blackman", "hamming", "hanning", "kaiser",
]


def numpy_call(fname, fn, *args, **kwargs):
    """`fn` (NumPy's) on the NumPy values of the arguments, its arrays wrapped; errors name `fname`."""
    args = [to_numpy(a) for a in args]
    kwargs = {k: to_numpy(v) for k, v in kwargs.items()}
    try:
        result = fn(*args, **kwargs)
    except NUMPY_ERRORS as error:
        raise numpy_error(error, fname) from None
    return wrap_tree(result)


def wrap_tree(result):
    if isinstance(result, (tuple, list)):
        return type(result)(wrap_tree(r) for r in result)
    return wrap(result) if isinstance(result, (np.ndarray, np.generic)) else result


# ---------------------------------------------------------------- convolution and correlation

_MODES = {"v": 0, "s": 1, "f": 2}


def _mode(mode):
    if isinstance(mode, str):
        if mode not in ("valid", "same", "full") and mode.lower()[:1] in _MODES:
            raise ValueError("Use one of 'valid', 'same', or 'full' for convolve/correlate mode")
        if mode.lower()[:1] not in _MODES:
            raise ValueError(f"mode must be one of 'valid', 'same', or 'full' (got {mode!r})")
        return _MODES[mode[0]]
    if mode not in (0, 1, 2):
        raise ValueError("integer convolve/correlate mode must be 0, 1, or 2")
    return int(mode)


def _vectors(fname, a, v):
    a, v = jnp.asarray(a), jnp.asarray(v)
    dtype = result_dtype(a, v)[0]
    a, v = jnp.atleast_1d(a.astype(dtype)), jnp.atleast_1d(v.astype(dtype))
    if a.ndim > 1 or v.ndim > 1:
        raise ValueError(f"{fname}(): object too deep for desired array")
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError(f"{fname}(): {'a' if a.shape[0] == 0 else 'v'} cannot be empty")
    return a, v


def _full_correlation(a, v):
    """z[k] = sum_j a[k + j - (m - 1)] * v[j], a padded with zeros: length n + m - 1."""
    n, m = a.shape[0], v.shape[0]
    windows = jnp.pad(a, m - 1)[np.arange(n + m - 1)[:, None] + np.arange(m)]
    return jnp.matmul(windows, v)


def _cut(full, n, m, mode, same_start):
    short, long = min(n, m), max(n, m)
    if mode == 2:
        return full
    if mode == 0:
        return full[short - 1:long]
    return full[same_start:same_start + long]


def convolve(a, v, mode="full"):
    """Discrete linear convolution of two 1-d arrays (numpy.convolve)."""
    if not tracing():
        return numpy_call("convolve", np.convolve, a, v, mode=mode)
    mode = _mode(mode)
    a, v = _vectors("convolve", a, v)
    n, m = a.shape[0], v.shape[0]
    return _cut(_full_correlation(a, jnp.flip(v)), n, m, mode, (min(n, m) - 1) // 2)


def correlate(a, v, mode="valid"):
    """Cross-correlation of two 1-d arrays, z[k] = sum_n a[n + k] * conj(v[n]) (numpy.correlate)."""
    if not tracing():
        return numpy_call("correlate", np.correlate, a, v, mode=mode)
    mode = _mode(mode)
    a, v = _vectors("correlate", a, v)
    n, m = a.shape[0], v.shape[0]
    if v.dtype.kind == "c":
        v = jnp.conj(v)
    return _cut(_full_correlation(a, v), n, m, mode, (m - 1) // 2 if n >= m else n // 2)


# ---------------------------------------------------------------- differences


def _along(x, axis, start, stop):
    index = [slice(None)] * x.ndim
    index[axis] = slice(start, stop)
    return x[tuple(index)]


def _edge_values(value, x, axis):
    """`prepend`/`append`: a scalar broadcast to x's shape with 1 along `axis`, or an array."""
    value = jnp.asarray(value)
    if value.ndim == 0:
        shape = list(x.shape)
        shape[axis] = 1
        value = jnp.broadcast_to(value, tuple(shape))
    return value


def diff(a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    """The n-th discrete difference along `axis` (numpy.diff)."""
    if not tracing():
        extra = {k: v for k, v in (("prepend", prepend), ("append", append)) if v is not np._NoValue}
        return numpy_call("diff", np.diff, a, n=n, axis=axis, **extra)
    n = static_int(n, "diff", "n")
    if n < 0:
        raise ValueError(f"diff(): order must be non-negative but got {n}")
    x = jnp.asarray(a)
    if x.ndim == 0:
        raise ValueError("diff(): diff requires input that is at least one dimensional")
    axis = normalize_axis(axis, x.ndim, "diff")
    if n == 0:
        return x
    pieces = [_edge_values(prepend, x, axis)] if prepend is not np._NoValue else []
    pieces.append(x)
    if append is not np._NoValue:
        pieces.append(_edge_values(append, x, axis))
    if len(pieces) > 1:
        x = jnp.concatenate(pieces, axis)
    difference = jnp.not_equal if x.dtype == np.bool_ else jnp.subtract
    for _ in range(n):
        x = difference(_along(x, axis, 1, None), _along(x, axis, None, -1))
    return x


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of consecutive elements of the flattened array, with values around (numpy.ediff1d)."""
    if not tracing():
        return numpy_call("ediff1d", np.ediff1d, ary, to_end=to_end, to_begin=to_begin)
    x = jnp.ravel(jnp.asarray(ary))
    pieces = [jnp.subtract(x[1:], x[:-1])]
    for name, value, where in (("to_begin", to_begin, 0), ("to_end", to_end, 1)):
        if value is None:
            continue
        value = jnp.asarray(value)
        if not np.can_cast(value.dtype, x.dtype, "same_kind"):
            raise TypeError(f"ediff1d(): dtype of `{name}` must be compatible with input `ary` under the "
                            "`same_kind` rule.")
        pieces.insert(0 if where == 0 else len(pieces), jnp.ravel(value).astype(x.dtype))
    return jnp.concatenate(pieces) if len(pieces) > 1 else pieces[0]


# ---------------------------------------------------------------- gradient


def _spacings(fname, varargs, f, axes):
    """Each axis' spacing: a scalar (uniform) or the differences of 1-d coordinates."""
    if len(varargs) == 0:
        return [1.0] * len(axes)
    if len(varargs) == 1 and jnp.ndim(varargs[0]) == 0:
        return [varargs[0]] * len(axes)
    if len(varargs) != len(axes):
        raise TypeError(f"{fname}(): invalid number of arguments")
    spacings = []
    for spacing, axis in zip(varargs, axes):
        spacing = jnp.asarray(spacing)
        if spacing.ndim == 0:
            spacings.append(spacing)
            continue
        if spacing.ndim != 1:
            raise ValueError(f"{fname}(): distances must be either scalars or 1d")
        if spacing.shape[0] != f.shape[axis]:
            raise ValueError(f"{fname}(): when 1d, distances must match the length of the corresponding dimension")
        if spacing.dtype.kind in "biu":
            spacing = spacing.astype(np.float64)
        spacings.append(jnp.diff(spacing))
    return spacings


def _shaped(coefficient, ndim, axis):
    """A 1-d array of per-position coefficients, shaped to broadcast along `axis`."""
    shape = [1] * ndim
    shape[axis] = -1
    return jnp.reshape(coefficient, shape)


def _gradient_axis(f, h, axis, edge_order):
    take = lambda start, stop: _along(f, axis, start, stop)  # noqa: E731
    if jnp.ndim(h) == 0:
        inner = (take(2, None) - take(None, -2)) / (2.0 * h)
        if edge_order == 1:
            first = (take(1, 2) - take(0, 1)) / h
            last = (take(-1, None) - take(-2, -1)) / h
        else:
            first = -(3.0 * take(0, 1) - 4.0 * take(1, 2) + take(2, 3)) / (2.0 * h)
            last = (3.0 * take(-1, None) - 4.0 * take(-2, -1) + take(-3, -2)) / (2.0 * h)
        return jnp.concatenate([first, inner, last], axis)
    nd = f.ndim
    d1, d2 = h[:-1], h[1:]
    a = _shaped(-d2 / (d1 * (d1 + d2)), nd, axis)
    b = _shaped((d2 - d1) / (d1 * d2), nd, axis)
    c = _shaped(d1 / (d2 * (d1 + d2)), nd, axis)
    inner = a * take(None, -2) + b * take(1, -1) + c * take(2, None)
    if edge_order == 1:
        first = (take(1, 2) - take(0, 1)) / h[0]
        last = (take(-1, None) - take(-2, -1)) / h[-1]
    else:
        d1, d2 = h[0], h[1]
        first = (-(2.0 * d1 + d2) / (d1 * (d1 + d2)) * take(0, 1) + (d1 + d2) / (d1 * d2) * take(1, 2)
                 - d1 / (d2 * (d1 + d2)) * take(2, 3))
        d1, d2 = h[-2], h[-1]
        last = (d2 / (d1 * (d1 + d2)) * take(-3, -2) - (d2 + d1) / (d1 * d2) * take(-2, -1)
                + (2.0 * d2 + d1) / (d2 * (d1 + d2)) * take(-1, None))
    return jnp.concatenate([first, inner, last], axis)


def gradient(f, *varargs, axis=None, edge_order=1):
    """Second-order central differences inside, one-sided at the edges (numpy.gradient)."""
    if not tracing():
        return numpy_call("gradient", np.gradient, f, *varargs, axis=axis, edge_order=edge_order)
    f = jnp.asarray(f)
    axes = tuple(range(f.ndim)) if axis is None else axis
    single = not isinstance(axes, (tuple, list))
    axes = [normalize_axis(a, f.ndim, "gradient") for a in ((axes,) if single else axes)]
    if len(set(axes)) != len(axes):
        raise ValueError("gradient(): duplicate value in 'axis'")
    if edge_order not in (1, 2):
        raise ValueError("gradient(): 'edge_order' greater than 2 not supported")
    spacings = _spacings("gradient", varargs, f, axes)
    out_dtype = f.dtype if f.dtype.kind in "fc" else np.dtype(np.float64)
    if f.dtype.kind in "biu":
        f = f.astype(np.float64)
    results = []
    for h, ax in zip(spacings, axes):
        if f.shape[ax] < edge_order + 1:
            raise ValueError("gradient(): Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        results.append(_gradient_axis(f, h, ax, edge_order).astype(out_dtype))
    return results[0] if len(results) == 1 else tuple(results)


# ---------------------------------------------------------------- integration, interpolation, phase


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral along `axis` by the composite trapezoidal rule (numpy.trapezoid)."""
    if not tracing():
        return numpy_call("trapezoid", np.trapezoid, y, x=x, dx=dx, axis=axis)
    y = jnp.asarray(y)
    axis = normalize_axis(axis, y.ndim, "trapezoid")
    if x is None:
        d = dx
    else:
        x = jnp.asarray(x)
        d = jnp.diff(x, axis=-1 if x.ndim == 1 else axis)
        if x.ndim == 1:
            d = _shaped(d, y.ndim, axis)
    return jnp.sum(d * (_along(y, axis, 1, None) + _along(y, axis, None, -1)) / 2.0, axis)


def _periodic(x, xp, fp, period):
    period = jnp.abs(jnp.asarray(period))
    x, xp = jnp.mod(x, period), jnp.mod(xp, period)
    order = jnp.argsort(xp)
    xp, fp = xp[order], fp[order]
    xp = jnp.concatenate([xp[-1:] - period, xp, xp[:1] + period])
    fp = jnp.concatenate([fp[-1:], fp, fp[:1]])
    return x, xp, fp


def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation of (xp, fp) at x (numpy.interp)."""
    if not tracing():
        return numpy_call("interp", np.interp, x, xp, fp, left=left, right=right, period=period)
    fp = jnp.asarray(fp)
    dtype = np.dtype(np.complex128 if fp.dtype.kind == "c" else np.float64)
    x, xp, fp = jnp.asarray(x, np.float64), jnp.asarray(xp, np.float64), fp.astype(dtype)
    if xp.ndim != 1 or fp.ndim != 1:
        raise ValueError("interp(): data must be 1 dimensional")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError("interp(): fp and xp are not of the same length.")
    if xp.shape[0] == 0:
        raise ValueError("interp(): array of sample points is empty")
    if period is not None:
        if not isinstance(period, Array) and np.ndim(period) == 0 and period == 0:
            raise ValueError("interp(): period must be a non-zero value")
        x, xp, fp = _periodic(x, xp, fp, period)
        left = right = None
    n = xp.shape[0]
    if n == 1:
        result = jnp.broadcast_to(fp[0], x.shape)
    else:
        j = jnp.clip(jnp.searchsorted(xp, x, side="right") - 1, 0, n - 2)
        x1, x2, f1, f2 = xp[j], xp[j + 1], fp[j], fp[j + 1]
        slope = (f2 - f1) / (x2 - x1)
        result = slope * (x - x1) + f1
        result = jnp.where(jnp.isnan(result), slope * (x - x2) + f2, result)
        result = jnp.where(jnp.isnan(result) & (f1 == f2), f1, result)
        result = jnp.where(x == x1, f1, result)
    result = jnp.where(x == xp[-1], fp[-1], result)
    result = jnp.where(x < xp[0], fp[0] if left is None else jnp.asarray(left).astype(dtype), result)
    return jnp.where(x > xp[-1], fp[-1] if right is None else jnp.asarray(right).astype(dtype), result)


def unwrap(p, discont=None, axis=-1, *, period=2 * np.pi):
    """Unwrap phases: differences larger than discont are wrapped by multiples of period (numpy.unwrap)."""
    if not tracing():
        return numpy_call("unwrap", np.unwrap, p, discont=discont, axis=axis, period=period)
    p = jnp.asarray(p)
    axis = normalize_axis(axis, p.ndim, "unwrap")
    dd = jnp.diff(p, axis=axis)
    discont = period / 2 if discont is None else discont
    dtype = result_dtype(dd, jnp.asarray(period) if isinstance(period, Array) else period)[0]
    if dtype.kind in "iu":
        high, rem = divmod(concrete_or_error(period, "unwrap", "period"), 2)
        ambiguous = rem == 0
    else:
        high, ambiguous = period / 2, True
    ddmod = jnp.mod(dd - -high, period) + -high
    if ambiguous:
        ddmod = jnp.where((ddmod == -high) & (dd > 0), high, ddmod)
    correction = jnp.where(jnp.abs(dd) < discont, 0, ddmod - dd)
    rest = _along(p, axis, 1, None) + jnp.cumsum(correction, axis)
    return jnp.concatenate([_along(p, axis, 0, 1), rest], axis).astype(dtype)


def sinc(x):
    """sin(pi x) / (pi x), 1 at 0 (numpy.sinc)."""
    if not tracing():
        return numpy_call("sinc", np.sinc, x)
    x = jnp.asarray(x)
    y = np.pi * jnp.where(x == 0, 1.0e-20, x)
    z = np.pi * x  # at 0 the Taylor series (exactly 1) carries the derivatives
    return jnp.where(x == 0, 1 - z * z * (1 / 6 - z * z / 120), jnp.sin(y) / y)


# ---------------------------------------------------------------- the modified Bessel function i0

# Chebyshev coefficients of exp(-x) i0(x) on [0, 8] and of exp(-x) sqrt(x) i0(x) on (8, inf)
# (Cephes, as NumPy uses them).
_I0_SMALL = (
    -4.41534164647933937950e-18, 3.33079451882223809783e-17, -2.43127984654795469359e-16,
    1.71539128555513303061e-15, -1.16853328779934516808e-14, 7.67618549860493561688e-14,
    -4.85644678311192946090e-13, 2.95505266312963983461e-12, -1.72682629144155570723e-11,
    9.67580903537323691224e-11, -5.18979560163526290666e-10, 2.65982372468238665035e-9,
    -1.30002500998624804212e-8, 6.04699502254191894932e-8, -2.67079385394061173391e-7,
    1.11738753912010371815e-6, -4.41673835845875056359e-6, 1.64484480707288970893e-5,
    -5.75419501008210370398e-5, 1.88502885095841655729e-4, -5.76375574538582365885e-4,
    1.63947561694133579842e-3, -4.32430999505057594430e-3, 1.05464603945949983183e-2,
    -2.37374148058994688156e-2, 4.93052842396707084878e-2, -9.49010970480476444210e-2,
    1.71620901522208775349e-1, -3.04682672343198398683e-1, 6.76795274409476084995e-1,
)
_I0_LARGE = (
    -7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17,
    3.46122286769746109310e-17, -2.82762398051658348494e-16, -3.42548561967721913462e-16,
    1.77256013305652638360e-15, 3.81168066935262242075e-15, -9.55484669882830764870e-15,
    -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
    7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11,
    -3.14991652796324136454e-11, 1.18891471078464383424e-11, 4.94060238822496958910e-10,
    3.39623202570838634515e-9, 2.26666899049817806459e-8, 2.04891858946906374183e-7,
    2.89137052083475648297e-6, 6.88975834691682398426e-5, 3.36911647825569408990e-3,
    8.04490411014108831608e-1,
)


def _chebyshev(x, coefficients):
    b0, b1 = coefficients[0] + 0 * x, 0 * x
    b2 = b1
    for c in coefficients[1:]:
        b2, b1 = b1, b0
        b0 = x * b1 - b2 + c
    return 0.5 * (b0 - b2)


def i0(x):
    """The modified Bessel function of the first kind, order 0 (numpy.i0)."""
    if not tracing():
        return numpy_call("i0", np.i0, x)
    x = jnp.asarray(x)
    if x.dtype.kind == "c":
        raise TypeError("i0(): i0 not supported for complex values")
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    signed, x = x, jnp.abs(x)
    small = x <= 8.0
    x_small = jnp.where(small, x, 0.0)  # each branch sees only its own domain: finite derivatives
    x_large = jnp.where(small, 8.5, x)
    near = jnp.exp(x_small) * _chebyshev(x_small / 2.0 - 2, _I0_SMALL)
    far = jnp.exp(x_large) * _chebyshev(32.0 / x_large - 2.0, _I0_LARGE) / jnp.sqrt(x_large)
    # At 0, |x| has no second derivative: add the Taylor terms there (they are exactly 0).
    near = jnp.where(signed == 0, near + signed * signed * (0.25 + signed * signed / 64), near)
    return jnp.where(small, near, far)


# ---------------------------------------------------------------- windows


def _window(name, np_fn):
    def window(M):
        return numpy_call(name, np_fn, concrete_or_error(M, name, "M"))

    window.__name__ = window.__qualname__ = name
    window.__doc__ = f"The {name.capitalize()} window of M points (numpy.{name})."
    return window


bartlett = _window("bartlett", np.bartlett)
blackman = _window("blackman", np.blackman)
hamming = _window("hamming", np.hamming)
hanning = _window("hanning", np.hanning)


def kaiser(M, beta):
    """The Kaiser window of M points and shape `beta` (numpy.kaiser)."""
    if not tracing():
        return numpy_call("kaiser", np.kaiser, M, beta)
    M = concrete_or_error(M, "kaiser", "M")
    if M == 1:
        return jnp.ones(1)
    if M < 1:
        return jnp.zeros(0)
    n = np.arange(0, M)
    alpha = (M - 1) / 2.0
    beta = jnp.asarray(beta, np.float64)
    return i0(beta * jnp.sqrt(1 - ((n - alpha) / alpha) ** 2.0)) / i0(beta)
