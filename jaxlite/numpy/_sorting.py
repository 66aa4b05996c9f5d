"""Sorting functions: sort, argsort, lexsort, partition, argpartition, sort_complex."""

import numpy as np

from .. import lax
from ._base import array_operand, as_1d, broadcast_to_shape, normalize_axis, to_numpy, tracing, wrap

__all__ = ["sort", "argsort", "lexsort", "partition", "argpartition", "sort_complex"]

_STABLE_KINDS = ("stable", "mergesort")


def _is_stable(kind, stable):
    return bool(stable) or kind in _STABLE_KINDS


def _sort_prep(fname, a, axis):
    """The operand as an array of rank >= 1 (flattened if axis is None), and the axis."""
    x = array_operand(a, fname)
    if axis is None:
        return as_1d(x), 0
    return x, normalize_axis(axis, x.ndim, fname)


def sort(a, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """A sorted copy, as numpy.sort (and the Array API's `descending=`, `stable=`)."""
    if order is not None:
        raise TypeError("sort(): order= (structured arrays) is not supported by jaxlite")
    if not tracing() and not descending:
        return wrap(np.sort(to_numpy(a), axis=axis, kind=kind, stable=stable))
    x, axis = _sort_prep("sort", a, axis)
    if descending:
        return lax.rev(lax.sort(lax.rev(x, (axis,)), dimension=axis, is_stable=True), (axis,))
    return lax.sort(x, dimension=axis, is_stable=_is_stable(kind, stable))


def argsort(a, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """Indices that sort `a`, as numpy.argsort (and the Array API's `descending=`)."""
    if order is not None:
        raise TypeError("argsort(): order= (structured arrays) is not supported by jaxlite")
    if not tracing() and not descending:
        return wrap(np.argsort(to_numpy(a), axis=axis, kind=kind, stable=stable))
    x, axis = _sort_prep("argsort", a, axis)
    index = lax.broadcasted_iota(np.int64, x.shape, axis)
    if not descending:
        return lax.sort((x, index), dimension=axis, is_stable=_is_stable(kind, stable), num_keys=1)[1]
    # Stable descending: sort the reversed array, reverse back, and map indices back.
    _, rev_index = lax.sort((lax.rev(x, (axis,)), index), dimension=axis, is_stable=True, num_keys=1)
    return lax.sub(np.int64(x.shape[axis] - 1), lax.rev(rev_index, (axis,)))


def lexsort(keys, axis=-1):
    """Indices that sort by several keys, the last key primary, as numpy.lexsort."""
    if not tracing():
        keys = tuple(map(to_numpy, keys)) if isinstance(keys, (tuple, list)) else to_numpy(keys)
        return wrap(np.lexsort(keys, axis=axis))
    keys = [array_operand(k, "lexsort", "keys") for k in keys]
    shape = np.broadcast_shapes(*[k.shape for k in keys])
    axis = normalize_axis(axis, len(shape), "lexsort")
    keys = [broadcast_to_shape(k, shape) for k in keys]
    index = lax.broadcasted_iota(np.int64, shape, axis)
    out = lax.sort((*keys[::-1], index), dimension=axis, is_stable=True, num_keys=len(keys))
    return out[-1]


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """As numpy.partition; jaxlite returns the fully sorted array, a valid partition."""
    if not tracing():
        return wrap(np.partition(to_numpy(a), kth, axis=axis, kind=kind, order=order))
    return sort(a, axis=axis)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """As numpy.argpartition; under a transform it returns a full (stable) argsort."""
    if not tracing():
        return wrap(np.argpartition(to_numpy(a), kth, axis=axis, kind=kind, order=order))
    return argsort(a, axis=axis, stable=True)


def sort_complex(a):
    """Sort along the last axis by real then imaginary part, returning complex, as numpy.sort_complex."""
    if not tracing():
        return wrap(np.sort_complex(to_numpy(a)))
    x = array_operand(a, "sort_complex")
    if x.dtype.kind != "c":
        x = lax.convert_element_type(x, np.complex64 if x.dtype.char in "bhBH" else np.complex128)
    return lax.sort(x, dimension=x.ndim - 1)
