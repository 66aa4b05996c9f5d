"""fft: discrete Fourier transforms over an operand's trailing axes, as jax.lax.fft.

`fft_type` is one of FFT_TYPES; `fft_lengths` are the logical lengths of the transformed
(trailing) axes. The normalization is NumPy's "backward": FFT and RFFT unscaled, IFFT and
IRFFT divided by prod(fft_lengths). RFFT takes real input and keeps the n//2+1 non-negative
frequencies of the last axis; IRFFT takes those and returns n real values. The operand's
trailing axes must already have the right sizes (jaxlite.numpy.fft pads and trims).

Every type is linear. Derivatives pair cotangents and tangents without conjugation,
<ct, y> = Re(sum(ct * y)), so the DFT matrix being symmetric makes FFT and IFFT their own
transposes; RFFT and IRFFT transpose to a full transform with the half spectrum zero-padded
or weighted (see `_rfft_transpose`, `_irfft_transpose`). Under jit it runs with NumPy.
"""

import numpy as np

from ..core import ShapedArray, get_aval
from ..transforms.ad import deflinear
from ..transforms.batching import moveaxis, primitive_batchers
from ._primitives import standard_primitive, static_int_tuple
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .shape import broadcast_in_dim_p, convert_element_type_p, pad_p, slice_p

__all__ = ["fft_p", "fft", "FFT_TYPES"]

FFT_TYPES = ("FFT", "IFFT", "RFFT", "IRFFT")
_NUMPY_FFTS = {"FFT": np.fft.fftn, "IFFT": np.fft.ifftn, "RFFT": np.fft.rfftn, "IRFFT": np.fft.irfftn}
_COMPLEX = {np.dtype(np.float32): np.dtype(np.complex64), np.dtype(np.float64): np.dtype(np.complex128)}
_REAL = {c: r for r, c in _COMPLEX.items()}


def _out_dtype(dtype, fft_type):
    if fft_type == "RFFT":
        return _COMPLEX[dtype]
    return _REAL[dtype] if fft_type == "IRFFT" else dtype


def _fft_impl(x, *, fft_type, fft_lengths):
    axes = tuple(range(x.ndim - len(fft_lengths), x.ndim))
    out = _NUMPY_FFTS[fft_type](x, s=fft_lengths, axes=axes)
    return out.astype(_out_dtype(x.dtype, fft_type), copy=False)  # NumPy may widen complex64


def _fft_rule(x, *, fft_type, fft_lengths):
    if fft_type not in FFT_TYPES:
        raise ValueError(f"fft: fft_type must be one of {FFT_TYPES}, got {fft_type!r}")
    rank = len(fft_lengths)
    if not 1 <= rank <= x.ndim or any(n < 1 for n in fft_lengths):
        raise ValueError(f"fft: fft_lengths {fft_lengths} must be 1 to {x.ndim} positive lengths for shape {x.shape}")
    if x.dtype not in (_COMPLEX if fft_type == "RFFT" else _REAL):
        kind = "float32 or float64" if fft_type == "RFFT" else "complex64 or complex128"
        raise TypeError(f"fft: {fft_type} needs a {kind} operand, got {x.dtype}")
    *lead, last = fft_lengths
    expected = (*lead, last // 2 + 1) if fft_type == "IRFFT" else tuple(fft_lengths)
    if x.shape[-rank:] != expected:
        raise ValueError(
            f"fft: {fft_type} with fft_lengths {fft_lengths} needs trailing axes {expected}, got shape {x.shape}"
        )
    shape = x.shape[:-1] + ((last // 2 + 1,) if fft_type == "RFFT" else (last,))
    return ShapedArray(shape, _out_dtype(x.dtype, fft_type))


fft_p = standard_primitive("fft", _fft_impl, _fft_rule)


def fft(x, fft_type, fft_lengths):
    """The `fft_type` transform of `x` over its len(fft_lengths) trailing axes."""
    fft_type = getattr(fft_type, "name", fft_type)  # also an enum member, as JAX's FftType
    return fft_p.bind(x, fft_type=str(fft_type).upper(), fft_lengths=static_int_tuple(fft_lengths))


# ---------------------------------------------------------------- transposition


def _resize_last(x, size):
    """`x` zero-padded or trimmed along its last axis to `size`."""
    shape = get_aval(x).shape
    if size < shape[-1]:
        return slice_p.bind(x, start_indices=(0,) * len(shape), limit_indices=(*shape[:-1], size), strides=None)
    config = ((0, 0, 0),) * (len(shape) - 1) + ((0, size - shape[-1], 0),)
    return pad_p.bind(x, np.zeros((), get_aval(x).dtype)[()], padding_config=config)


def _rfft_transpose(ct, fft_lengths):
    """RFFT is the full FFT's first n//2+1 rows (of a real x): the transpose pads the
    cotangent back to n, applies the (symmetric) FFT, and keeps the real part for real x."""
    full = fft_p.bind(_resize_last(ct, fft_lengths[-1]), fft_type="FFT", fft_lengths=fft_lengths)
    return _ELEMENTWISE["real"].bind(full)


def _hermitian_weights(n, dtype):
    """How often each of the n//2+1 stored frequencies occurs in a length-n Hermitian
    spectrum: once for 0 (and n/2 for even n), twice (itself and its conjugate) otherwise."""
    w = np.full(n // 2 + 1, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    return w.astype(dtype)


def _irfft_transpose(ct, fft_lengths):
    """IRFFT is y = Re(B x) with B[j, k] = w[k] exp(2 pi i jk/n) / n (the Hermitian weights
    w), and the IFFT over the other axes: the transpose is w * IFFT(ct)[..., :n//2+1]."""
    shape = get_aval(ct).shape
    dtype = _COMPLEX[get_aval(ct).dtype]
    full = fft_p.bind(convert_element_type_p.bind(ct, new_dtype=dtype, weak_type=False), fft_type="IFFT",
                      fft_lengths=fft_lengths)
    half = _resize_last(full, fft_lengths[-1] // 2 + 1)
    out_shape = get_aval(half).shape
    weights = broadcast_in_dim_p.bind(_hermitian_weights(fft_lengths[-1], dtype), shape=out_shape,
                                      broadcast_dimensions=(len(shape) - 1,))
    return _ELEMENTWISE["mul"].bind(half, weights)


def _fft_transpose(ct, x, *, fft_type, fft_lengths):
    if fft_type == "RFFT":
        return [_rfft_transpose(ct, fft_lengths)]
    if fft_type == "IRFFT":
        return [_irfft_transpose(ct, fft_lengths)]
    return [fft_p.bind(ct, fft_type=fft_type, fft_lengths=fft_lengths)]  # the DFT matrix is symmetric


deflinear(fft_p, _fft_transpose)


# ---------------------------------------------------------------- batching


def _fft_batch(axis_size, vals, dims, *, fft_type, fft_lengths):
    (x,), (bdim,) = vals, dims
    if bdim >= get_aval(x).ndim - len(fft_lengths):  # among the transformed axes: to the front
        x, bdim = moveaxis(x, bdim, 0), 0
    return fft_p.bind(x, fft_type=fft_type, fft_lengths=fft_lengths), bdim


primitive_batchers[fft_p] = _fft_batch
