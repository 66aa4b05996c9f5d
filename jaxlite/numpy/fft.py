"""jaxlite.numpy.fft: numpy.fft's discrete Fourier transforms, differentiable and batchable.

Eagerly every function is numpy.fft's. Under a transform the operand is converted, padded or
trimmed to the lengths asked for and its transformed axes moved last, for one `lax.fft`
(normalized as NumPy's "backward"), then scaled for `norm`. Dtypes follow NumPy: single
precision (float16, float32, complex64) stays single, everything else is double.
"""

import warnings

import numpy as np

from .. import lax
from ..core import Tracer
from ..core.array import CPU
from ._base import (
    array_operand, convert, dtype_arg, fresh, no_out, normalize_axis, numpy_error, NUMPY_ERRORS, slice_axis,
    static_int, static_ints, to_numpy, tracing, wrap,
)
from ._manipulation import roll

__all__ = [
    "fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2", "rfftn", "irfftn",
    "hfft", "ihfft", "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]

_NORMS = ("backward", "ortho", "forward")
_SWAPPED_NORM = {"backward": "forward", "ortho": "ortho", "forward": "backward"}
_SINGLE = frozenset(map(np.dtype, (np.float16, np.float32, np.complex64)))
_c64, _c128, _f32, _f64 = (np.dtype(t) for t in (np.complex64, np.complex128, np.float32, np.float64))


# ---------------------------------------------------------------- arguments


def _norm(norm, fname):
    if norm is None:
        return "backward"
    if norm not in _NORMS:
        raise ValueError(f'{fname}(): Invalid norm value {norm!r}; should be "backward", "ortho" or "forward".')
    return norm


def _length(n, fname, argname="n"):
    n = static_int(n, fname, argname)
    if n < 1:
        raise ValueError(f"{fname}(): Invalid number of FFT data points ({n}) specified.")
    return n


def _nd_args(fname, x, s, axes, inverse_real=False):
    """(lengths, axes) as numpy.fft's n-dimensional functions read `s` and `axes`."""
    shapeless = s is None
    if axes is not None:
        axes = [normalize_axis(a, x.ndim, fname, "axes") for a in static_ints(tuple(axes), fname, "axes")]
    if shapeless:
        s = list(x.shape) if axes is None else [x.shape[a] for a in axes]
    else:
        s = list(static_ints(tuple(s), fname, "s"))
        if axes is None:
            warnings.warn(f"{fname}(): `axes` should not be `None` if `s` is not `None` (deprecated in NumPy 2.0)",
                          DeprecationWarning, stacklevel=3)
    if axes is None:
        if len(s) > x.ndim:
            raise np.exceptions.AxisError(x.ndim - len(s), x.ndim, f"{fname}()")
        axes = list(range(x.ndim - len(s), x.ndim))
    if len(s) != len(axes):
        raise ValueError(f"{fname}(): Shape and axes have different lengths.")
    if inverse_real and shapeless and axes:
        s[-1] = (x.shape[axes[-1]] - 1) * 2
    s = [x.shape[a] if n == -1 else n for n, a in zip(s, axes)]
    return [_length(n, fname, "s") for n in s], axes


# ---------------------------------------------------------------- dtypes


def _complex_dtype(dtype):
    return _c64 if dtype in _SINGLE else _c128


def _to_complex(x):
    return convert(x, _complex_dtype(x.dtype))


def _to_real(x, fname):
    if x.dtype.kind == "c":
        raise TypeError(f"{fname}(): the input must be real, got {x.dtype} (use fft for complex input)")
    return convert(x, _f32 if x.dtype in _SINGLE else _f64)


def _real_result_dtype(dtype):
    """numpy.fft.irfft's result dtype: a real float input keeps its dtype (even float16)."""
    if dtype.kind == "f":
        return dtype
    return _f32 if dtype == _c64 else _f64


# ---------------------------------------------------------------- traced building blocks


def _resize(x, axis, n):
    """`x` trimmed or zero-padded to length `n` along `axis`."""
    size = x.shape[axis]
    if n <= size:
        return slice_axis(x, 0, n, axis)
    config = [(0, 0, 0)] * x.ndim
    config[axis] = (0, n - size, 0)
    return lax.pad(x, np.zeros((), x.dtype)[()], config)


def _transform(x, axes, fft_type, lengths):
    """lax.fft of `x` over `axes` (distinct; the last is the real one for RFFT/IRFFT)."""
    perm = [d for d in range(x.ndim) if d not in axes] + list(axes)
    moved = perm != list(range(x.ndim))
    y = lax.fft(lax.transpose(x, perm) if moved else x, fft_type, lengths)
    return lax.transpose(y, np.argsort(perm)) if moved else y


def _scale(y, norm, size, inverse):
    """Rescale a "backward"-normalized result of logical size `size` for `norm`."""
    if norm == "backward":
        return y
    factor = np.sqrt(size) if norm == "ortho" else float(size)
    factor = factor if inverse else 1 / factor
    real = np.zeros((), y.dtype).real.dtype
    return lax.mul(y, np.asarray(factor, real).astype(y.dtype)[()])


def _c2c(x, lengths, axes, norm, inverse):
    x = _to_complex(x)
    for axis, n in zip(axes, lengths):
        x = _resize(x, axis, n)
    y = _transform(x, axes, "IFFT" if inverse else "FFT", tuple(lengths))
    return _scale(y, norm, int(np.prod(lengths)), inverse)


def _r2c(x, lengths, axes, norm, fname):
    x = _to_real(x, fname)
    for axis, n in zip(axes, lengths):
        x = _resize(x, axis, n)
    return _scale(_transform(x, axes, "RFFT", tuple(lengths)), norm, int(np.prod(lengths)), False)


def _c2r(x, lengths, axes, norm):
    # NumPy transforms the other axes first, so only a 1-axis irfft sees a real input's dtype
    out_dtype = _real_result_dtype(x.dtype if len(axes) == 1 else _complex_dtype(x.dtype))
    x = _to_complex(x)
    for axis, n in zip(axes[:-1], lengths[:-1]):
        x = _resize(x, axis, n)
    x = _resize(x, axes[-1], lengths[-1] // 2 + 1)
    y = _scale(_transform(x, axes, "IRFFT", tuple(lengths)), norm, int(np.prod(lengths)), True)
    return convert(y, out_dtype)


def _conj(x):
    return lax.conj(x) if x.dtype.kind == "c" else x


# ---------------------------------------------------------------- eager calls


def _eager(fname, function, a, out, **kwargs):
    """numpy.fft's `function` on NumPy values; single precision kept; errors name `fname`."""
    x = to_numpy(a)
    try:
        result = function(x, **kwargs, out=None if out is None else to_numpy(out))
    except NUMPY_ERRORS as error:
        raise numpy_error(error, fname) from None
    if out is not None:
        return out
    if result.dtype in (_c128, _f64) and np.result_type(x) in _SINGLE:  # older NumPys widen complex64
        result = result.astype(_c64 if result.dtype == _c128 else _f32)
    return wrap(result)


def _is_eager(out, fname):
    """Whether to call NumPy (no transform is active); under one, out= is refused."""
    if tracing():
        no_out(out, fname)
        return False
    return True


# ---------------------------------------------------------------- one-dimensional


def _one_dim(fname, numpy_fn, traced):
    def transform(a, n=None, axis=-1, norm=None, out=None):
        if _is_eager(out, fname):
            return _eager(fname, numpy_fn, a, out, n=n, axis=axis, norm=norm)
        x = array_operand(a, fname)
        return traced(x, n, normalize_axis(axis, x.ndim, fname), _norm(norm, fname))

    transform.__name__ = transform.__qualname__ = fname
    transform.__doc__ = f"numpy.fft.{fname}: over one axis, `n` points, normalized by `norm`."
    return transform


def _fft1(x, n, axis, norm, inverse=False):
    n = _length(x.shape[axis] if n is None else n, "ifft" if inverse else "fft")
    return _c2c(x, [n], [axis], norm, inverse)


def _rfft1(x, n, axis, norm, fname="rfft"):
    n = _length(x.shape[axis] if n is None else n, fname)
    return _r2c(x, [n], [axis], norm, fname)


def _irfft1(x, n, axis, norm, fname="irfft"):
    n = _length((x.shape[axis] - 1) * 2 if n is None else n, fname)
    return _c2r(x, [n], [axis], norm)


def _hfft1(x, n, axis, norm):
    return _irfft1(_conj(x), n, axis, _SWAPPED_NORM[norm], "hfft")


def _ihfft1(x, n, axis, norm):
    return _conj(_rfft1(x, n, axis, _SWAPPED_NORM[norm], "ihfft"))


fft = _one_dim("fft", np.fft.fft, _fft1)
ifft = _one_dim("ifft", np.fft.ifft, lambda x, n, axis, norm: _fft1(x, n, axis, norm, True))
rfft = _one_dim("rfft", np.fft.rfft, _rfft1)
irfft = _one_dim("irfft", np.fft.irfft, _irfft1)
hfft = _one_dim("hfft", np.fft.hfft, _hfft1)
ihfft = _one_dim("ihfft", np.fft.ihfft, _ihfft1)


# ---------------------------------------------------------------- n-dimensional


def _n_dim(fname, numpy_fn, traced, inverse_real=False, default_axes=None):
    def transform(a, s=None, axes=default_axes, norm=None, out=None):
        if _is_eager(out, fname):
            return _eager(fname, numpy_fn, a, out, s=s, axes=axes, norm=norm)
        x = array_operand(a, fname)
        lengths, axes = _nd_args(fname, x, s, axes, inverse_real)
        return traced(fname, x, lengths, axes, _norm(norm, fname))

    transform.__name__ = transform.__qualname__ = fname
    transform.__doc__ = f"numpy.fft.{fname}: over `axes`, `s` points along them, normalized by `norm`."
    return transform


def _distinct(axes):
    return len(set(axes)) == len(axes)


def _fftn(fname, x, lengths, axes, norm, inverse=False):
    if not axes:  # NumPy returns the input untransformed
        return x
    if _distinct(axes):
        return _c2c(x, lengths, axes, norm, inverse)
    for n, axis in reversed(list(zip(lengths, axes))):  # a repeated axis is transformed again
        x = _c2c(x, [n], [axis], norm, inverse)
    return x


def _ifftn(fname, x, lengths, axes, norm):
    return _fftn(fname, x, lengths, axes, norm, True)


def _rfftn(fname, x, lengths, axes, norm):
    if not axes:
        raise IndexError(f"{fname}(): no axes to transform")
    if _distinct(axes):
        return _r2c(x, lengths, axes, norm, fname)
    x = _r2c(x, lengths[-1:], axes[-1:], norm, fname)
    return _fftn(fname, x, lengths[:-1], axes[:-1], norm)


def _irfftn(fname, x, lengths, axes, norm):
    if not axes:
        raise IndexError(f"{fname}(): no axes to transform")
    if _distinct(axes):
        return _c2r(x, lengths, axes, norm)
    for n, axis in zip(lengths[:-1], axes[:-1]):
        x = _c2c(x, [n], [axis], norm, True)
    return _c2r(x, lengths[-1:], axes[-1:], norm)


fftn = _n_dim("fftn", np.fft.fftn, _fftn)
ifftn = _n_dim("ifftn", np.fft.ifftn, _ifftn)
rfftn = _n_dim("rfftn", np.fft.rfftn, _rfftn)
irfftn = _n_dim("irfftn", np.fft.irfftn, _irfftn, inverse_real=True)
fft2 = _n_dim("fft2", np.fft.fft2, _fftn, default_axes=(-2, -1))
ifft2 = _n_dim("ifft2", np.fft.ifft2, _ifftn, default_axes=(-2, -1))
rfft2 = _n_dim("rfft2", np.fft.rfft2, _rfftn, default_axes=(-2, -1))
irfft2 = _n_dim("irfft2", np.fft.irfft2, _irfftn, inverse_real=True, default_axes=(-2, -1))


# ---------------------------------------------------------------- frequencies and shifts


def _frequencies(fname, n, d, dtype, device, half):
    n = static_int(n, fname, "n")
    if device is not None and not CPU == device:
        raise ValueError(f"{fname}(): unsupported device {device!r}; jaxlite arrays live on {CPU!r} ('cpu')")
    dtype = dtype_arg(dtype, fname)
    if dtype is not None and dtype.kind != "f":
        raise ValueError(f"{fname}(): dtype must be a real floating-point dtype, got {dtype}")
    if not isinstance(d, Tracer):
        numpy_fn = np.fft.rfftfreq if half else np.fft.fftfreq
        try:
            result = numpy_fn(n, to_numpy(d))
        except NUMPY_ERRORS as error:
            raise numpy_error(error, fname) from None
        return fresh(wrap(result if dtype is None else result.astype(dtype)))
    if n < 0:
        raise ValueError(f"{fname}(): negative dimensions are not allowed")
    k = np.arange(n // 2 + 1) if half else np.fft.ifftshift(np.arange(n) - n // 2)  # 0, 1, ..., -1
    dtype = dtype or np.result_type(np.float64, d.dtype)  # NumPy: int * (1.0 / (n * d))
    d = convert(d, dtype)
    return lax.div(lax.broadcast_in_dim(np.asarray(k, dtype), (k.size,), (0,)),
                   lax.broadcast_in_dim(lax.mul(d, np.asarray(n, dtype)[()]), (k.size,), ()))


def fftfreq(n, d=1.0, device=None, *, dtype=None):
    """Sample frequencies of an `n`-point DFT with sample spacing `d`: 0, 1, ..., -1 over n*d."""
    return _frequencies("fftfreq", n, d, dtype, device, half=False)


def rfftfreq(n, d=1.0, device=None, *, dtype=None):
    """Sample frequencies of rfft's n//2+1 outputs (sample spacing `d`)."""
    return _frequencies("rfftfreq", n, d, dtype, device, half=True)


def _shift(fname, numpy_fn, sign):
    def shift(x, axes=None):
        if not tracing():
            try:
                return wrap(numpy_fn(to_numpy(x), axes))
            except NUMPY_ERRORS as error:
                raise numpy_error(error, fname) from None
        x = array_operand(x, fname, "x")
        if axes is None:
            axes = tuple(range(x.ndim))
        axes = static_ints(axes, fname, "axes")
        shifts = (sign * (x.shape[normalize_axis(a, x.ndim, fname, "axes")] // 2) for a in np.atleast_1d(axes))
        return roll(x, tuple(shifts) if np.ndim(axes) else next(shifts), axes)

    shift.__name__ = shift.__qualname__ = fname
    return shift


fftshift = _shift("fftshift", np.fft.fftshift, 1)
fftshift.__doc__ = "`x` with the zero frequency moved to the centre of `axes` (all by default)."
ifftshift = _shift("ifftshift", np.fft.ifftshift, -1)
ifftshift.__doc__ = "The inverse of fftshift: the zero frequency moved back to the start of `axes`."
