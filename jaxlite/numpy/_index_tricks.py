"""Index tricks: r_, c_ (concatenation by indexing) and mgrid, ogrid (grids by slicing).

Slices inside the brackets must have static (concrete) bounds: they become constant ranges.
Arrays given to r_ and c_ may be traced, so those work inside transformed code.
"""

import numpy as np

from ..core import concrete_or_error
from ._base import fresh, result_dtype, shape_of, wrap
from ._creation import array
from ._manipulation import concatenate, swapaxes, transpose

__all__ = ["r_", "c_", "mgrid", "ogrid"]

_FIX = "use Python numbers for slice bounds inside the brackets"


def _static_slice(item, fname):
    """A slice with concrete bounds (as NumPy values)."""
    bounds = [concrete_or_error(b, fname, "slice bound", fix=_FIX) for b in (item.start, item.stop, item.step)]
    return slice(*(b.item() if hasattr(b, "item") else b for b in bounds))


def _static_key(key, fname):
    items = key if isinstance(key, tuple) else (key,)
    static = tuple(_static_slice(k, fname) if isinstance(k, slice) else concrete_or_error(k, fname, "index", fix=_FIX)
                   for k in items)
    return static if isinstance(key, tuple) else static[0]


class _Grid:
    """mgrid / ogrid: dense or open (broadcastable) grids from slices, as NumPy's; a complex
    step n*1j means n points with the stop included."""

    def __init__(self, name, numpy_grid):
        self._name, self._numpy_grid = name, numpy_grid

    def __getitem__(self, key):
        grid = self._numpy_grid[_static_key(key, self._name)]
        return fresh(tuple(map(wrap, grid)) if isinstance(grid, tuple) else wrap(np.asarray(grid)))

    def __len__(self):
        return 0

    def __repr__(self):
        return f"jaxlite.numpy.{self._name}"


mgrid = _Grid("mgrid", np.mgrid)
ogrid = _Grid("ogrid", np.ogrid)


class _Concatenator:
    """r_ / c_: concatenate the bracketed items (arrays, scalars, slices as ranges) along an
    axis, after raising them to `ndmin` dimensions; a first string item 'axis', 'axis,ndmin'
    or 'axis,ndmin,trans1d' overrides the defaults, 'r'/'c' gives a 2-d row/column."""

    def __init__(self, name, axis, ndmin, trans1d):
        self._name, self._defaults = name, (axis, ndmin, trans1d)

    def __getitem__(self, key):
        items = key if isinstance(key, tuple) else (key,)
        axis, ndmin, trans1d = self._defaults
        matrix = None
        if items and isinstance(items[0], str):
            directive, items = items[0], items[1:]
            if directive in ("r", "c"):
                matrix = directive
            else:
                axis, ndmin, trans1d = self._directive(directive, ndmin, trans1d)
        if any(isinstance(item, str) for item in items):
            raise ValueError(f"{self._name}: special directives must be the first entry.")
        pieces, kinds = zip(*(self._piece(item, ndmin, trans1d) for item in items)) if items else ((), ())
        if not pieces:
            raise ValueError(f"{self._name}: need at least one array to concatenate")
        dtype = result_dtype(*kinds)[0]
        result = concatenate([array(p, dtype=dtype, ndmin=ndmin) for p in pieces], axis=axis)
        if matrix is not None:
            row = result.reshape(1, -1) if result.ndim < 2 else result
            result = row.T if (matrix == "c" and result.ndim == 1) else row
        return result

    def __len__(self):
        return 0

    def _directive(self, directive, ndmin, trans1d):
        try:
            parts = [int(p) for p in directive.split(",")]
        except ValueError:
            raise ValueError(f"{self._name}: unknown special directive {directive!r}") from None
        if len(parts) > 3:
            raise ValueError(f"{self._name}: unknown special directive {directive!r}")
        axis = parts[0]
        ndmin = parts[1] if len(parts) > 1 else ndmin
        trans1d = parts[2] if len(parts) > 2 else trans1d
        return axis, ndmin, trans1d

    def _piece(self, item, ndmin, trans1d):
        """One item as an array of >= ndmin dimensions, and what its dtype promotes as."""
        if isinstance(item, slice):
            grid = wrap(np.asarray(np.r_[_static_slice(item, self._name)]))
            piece = array(grid, ndmin=ndmin)
            if ndmin > 1 and trans1d != -1:
                piece = swapaxes(piece, -1, trans1d)
            return fresh(piece), piece
        if type(item) in (bool, int, float, complex):
            return item, item  # a weak Python scalar: it does not widen the arrays' dtype
        item_ndim = len(shape_of(item))
        piece = array(item, ndmin=ndmin)
        if trans1d != -1 and item_ndim < ndmin:
            k2, k1 = ndmin - item_ndim, trans1d
            k1 = k1 + k2 + 1 if k1 < 0 else k1
            axes = list(range(ndmin))
            piece = transpose(piece, axes[:k1] + axes[k2:] + axes[k1:k2])
        return piece, piece


r_ = _Concatenator("r_", 0, 1, -1)
c_ = _Concatenator("c_", -1, 2, 0)
