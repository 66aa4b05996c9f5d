"""Array manipulation: reshaping, transposing, broadcasting, joining, splitting, flipping, rolling.

Eagerly the hot functions (reshape, ravel, transpose, expand_dims, squeeze, broadcast_to,
broadcast_arrays, concatenate) call NumPy and wrap its result, views included; the rest run
their composition through the primitives' impls. Under a transform each function is a
composition of jaxlite.lax primitives. Arguments that decide the shape of a result (shape,
axes, sections, shifts) must be concrete.
"""

import math
import warnings

import numpy as np

from .. import lax
from ._base import (
    Array, array_operand, broadcast_shapes as _common_shape, broadcast_to_shape, convert, eager, named, no_out,
    normalize_axes, normalize_axis, result_dtype, shape_of, slice_axis, static_ints, static_shape, take_static,
    to_numpy, tracing, wrap,
)

__all__ = [
    "reshape", "ravel", "transpose", "permute_dims", "matrix_transpose", "moveaxis", "swapaxes",
    "rollaxis", "expand_dims", "squeeze", "broadcast_to", "broadcast_arrays", "broadcast_shapes",
    "concatenate", "concat", "stack", "hstack", "vstack", "dstack", "column_stack", "block",
    "split", "array_split", "hsplit", "vsplit", "dsplit", "unstack", "flip", "fliplr", "flipud",
    "roll", "rot90", "atleast_1d", "atleast_2d", "atleast_3d", "ndim", "shape", "size",
]

AxisError = np.exceptions.AxisError


def _axis_tuple(axis, ndim, fname, argname="axis"):
    """`axis` (an int or a sequence) as a tuple of distinct non-negative axes, order kept."""
    axes = static_ints(axis, fname, argname)
    axes = tuple(normalize_axis(a, ndim, fname, argname) for a in ((axes,) if isinstance(axes, int) else axes))
    if len(set(axes)) != len(axes):
        raise ValueError(f"{fname}(): repeated axis in '{argname}' {axis}")
    return axes


# ---------------------------------------------------------------- shape and axis order


def _reshape_target(old_shape, shape):
    """`shape` with its -1 inferred, checked against the size of `old_shape`."""
    size, new = math.prod(old_shape), list(shape)
    unknown = [i for i, s in enumerate(new) if s == -1]
    if any(s < -1 for s in new):
        raise ValueError(f"reshape(): negative dimensions are not allowed, got shape {shape}")
    if len(unknown) > 1:
        raise ValueError(f"reshape(): can only specify one unknown dimension, got shape {shape}")
    known = math.prod(s for s in new if s != -1)
    if unknown and known and size % known == 0:
        new[unknown[0]] = size // known
    if -1 in new or math.prod(new) != size:
        raise ValueError(
            f"reshape(): cannot reshape array of shape {tuple(old_shape)} (size {size}) into shape {shape}")
    return tuple(new)


def reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    """Gives a new shape to an array without changing its data (one -1 is inferred)."""
    if newshape is not None:
        if shape is not None:
            raise TypeError("reshape(): pass only one of 'shape' and its deprecated alias 'newshape'")
        warnings.warn("reshape(): 'newshape' is deprecated, use 'shape'", DeprecationWarning, stacklevel=2)
        shape = newshape
    if shape is None:
        raise TypeError("reshape() missing required argument 'shape'")
    a, shape = array_operand(a, "reshape"), static_shape(shape, "reshape")
    if not tracing():
        x = to_numpy(a)
        return wrap(eager("reshape", lambda: np.reshape(x, shape, order=order, copy=copy),
                          lambda: _reshape_target(x.shape, shape)))
    new = _reshape_target(a.shape, shape)
    if order not in ("C", "F", "A"):
        raise ValueError(f"reshape(): order must be one of 'C', 'F', 'A', got {order!r}")
    if order == "F":  # Fortran order is C order on the reversed axes
        return transpose(lax.reshape(transpose(a), new[::-1]))
    return a if new == a.shape else lax.reshape(a, new)


def ravel(a, order="C"):
    """The array flattened to 1-d (a view eagerly where NumPy gives one)."""
    a = array_operand(a, "ravel")
    if not tracing():
        return wrap(np.ravel(to_numpy(a), order))
    return reshape(a, (a.size,), order="F" if order == "F" else "C")


def _permutation(axes, ndim, fname):
    if axes is None:
        return tuple(range(ndim))[::-1]
    perm = _axis_tuple(axes, ndim, fname, "axes")
    if len(perm) != ndim:
        raise ValueError(f"{fname}(): axes {axes} don't match array of {ndim} dimensions")
    return perm


def transpose(a, axes=None):
    """The axes of `a` permuted (reversed by default)."""
    a, axes = array_operand(a, "transpose"), None if axes is None else static_ints(axes, "transpose", "axes")
    if not tracing():
        x = to_numpy(a)
        return wrap(eager("transpose", lambda: np.transpose(x, axes), lambda: _permutation(axes, x.ndim, "transpose")))
    perm = _permutation(axes, a.ndim, "transpose")
    return a if perm == tuple(range(a.ndim)) else lax.transpose(a, perm)


def permute_dims(a, /, axes=None):
    return transpose(a, axes)


def matrix_transpose(x, /):
    """The last two axes swapped."""
    x = array_operand(x, "matrix_transpose", "x")
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose(): x must be at least 2-dimensional, got shape {x.shape}")
    return transpose(x, (*range(x.ndim - 2), x.ndim - 1, x.ndim - 2))


def moveaxis(a, source, destination):
    """The axes `source` moved to positions `destination`, the others kept in order."""
    a = array_operand(a, "moveaxis")
    src = _axis_tuple(source, a.ndim, "moveaxis", "source")
    dst = _axis_tuple(destination, a.ndim, "moveaxis", "destination")
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis(): `source` {source} and `destination` {destination} must have the same number of elements")
    order = [d for d in range(a.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


def swapaxes(a, axis1, axis2):
    a = array_operand(a, "swapaxes")
    perm = list(range(a.ndim))
    i = normalize_axis(axis1, a.ndim, "swapaxes", "axis1")
    j = normalize_axis(axis2, a.ndim, "swapaxes", "axis2")
    perm[i], perm[j] = j, i
    return transpose(a, perm)


def rollaxis(a, axis, start=0):
    """The axis `axis` moved to lie before position `start`."""
    a = array_operand(a, "rollaxis")
    n = a.ndim
    axis = normalize_axis(axis, n, "rollaxis")
    position = start + n if start < 0 else start
    if not 0 <= position <= n:
        raise AxisError(f"rollaxis(): 'start' must satisfy {-n} <= start < {n + 1}, got {start}")
    order = [d for d in range(n) if d != axis]
    order.insert(position - 1 if axis < position else position, axis)
    return transpose(a, order)


def _expanded_shape(shape, axis):
    out_ndim = len(shape) + (1 if isinstance(axis, int) else len(axis))
    axes, rest = normalize_axes(axis, out_ndim, "expand_dims"), iter(shape)
    return tuple(1 if d in axes else next(rest) for d in range(out_ndim))


def expand_dims(a, axis):
    """`a` with new axes of size 1 at positions `axis` (an int or a tuple) of the result."""
    a, axis = array_operand(a, "expand_dims"), static_ints(axis, "expand_dims", "axis")
    if not tracing():
        x = to_numpy(a)
        return wrap(eager("expand_dims", lambda: np.expand_dims(x, axis), lambda: _expanded_shape(x.shape, axis)))
    return lax.reshape(a, _expanded_shape(a.shape, axis))


def _squeezed_axes(shape, axis):
    if axis is None:
        return tuple(d for d, s in enumerate(shape) if s == 1)
    axes = normalize_axes(axis, len(shape), "squeeze")
    for d in axes:
        if shape[d] != 1:
            raise ValueError(f"squeeze(): cannot select an axis to squeeze out which has size not equal to one: "
                             f"axis {d} of shape {tuple(shape)}")
    return axes


def squeeze(a, axis=None):
    """`a` without its axes of size 1 (all of them, or those in `axis`)."""
    a, axis = array_operand(a, "squeeze"), None if axis is None else static_ints(axis, "squeeze", "axis")
    if not tracing():
        x = to_numpy(a)
        return wrap(eager("squeeze", lambda: np.squeeze(x, axis), lambda: _squeezed_axes(x.shape, axis)))
    axes = _squeezed_axes(a.shape, axis)
    return lax.squeeze(a, axes) if axes else a


# ---------------------------------------------------------------- broadcasting


def _broadcast_target(from_shape, shape, fname):
    if any(s < 0 for s in shape):
        raise ValueError(f"{fname}(): all elements of broadcast shape must be non-negative, got {shape}")
    if len(from_shape) > len(shape) or any(f not in (1, t) for f, t in zip(from_shape[::-1], shape[::-1])):
        raise ValueError(f"{fname}(): cannot broadcast an array of shape {tuple(from_shape)} to shape {tuple(shape)}")
    return shape


def _broadcast_to(x, shape, fname):
    return broadcast_to_shape(x, _broadcast_target(x.shape, static_shape(shape, fname), fname))


def broadcast_to(array, shape, subok=False):
    """`array` broadcast to `shape` (eagerly a read-only view, as in NumPy)."""
    array, shape = array_operand(array, "broadcast_to", "array"), static_shape(shape, "broadcast_to")
    if not tracing():
        x = to_numpy(array)
        return wrap(eager("broadcast_to", lambda: np.broadcast_to(x, shape),
                          lambda: _broadcast_target(x.shape, shape, "broadcast_to")))
    return _broadcast_to(array, shape, "broadcast_to")


def broadcast_arrays(*args, subok=False):
    """The arguments broadcast against each other, as a tuple."""
    xs = [array_operand(x, "broadcast_arrays", f"args[{i}]") for i, x in enumerate(args)]
    shape = _common_shape("broadcast_arrays", *(x.shape for x in xs))
    if not tracing():
        return tuple(wrap(v) for v in np.broadcast_arrays(*map(to_numpy, xs)))
    return tuple(broadcast_to_shape(x, shape) for x in xs)


def broadcast_shapes(*args):
    return _common_shape("broadcast_shapes", *(static_shape(s, "broadcast_shapes", "args") for s in args))


# ---------------------------------------------------------------- joining


def _sequence(arrays, fname):
    """The arrays of a join: a list or tuple of array-likes, or the rows of one array."""
    if isinstance(arrays, (Array, np.ndarray)) and np.ndim(arrays) > 0:
        return list(unstack(arrays))
    if not isinstance(arrays, (list, tuple)):
        raise TypeError(f'{fname}(): arrays to join must be passed as a "sequence" such as a list or tuple, '
                        f"got {type(arrays).__name__}")
    return [array_operand(x, fname, f"arrays[{i}]") for i, x in enumerate(arrays)]


def _concat_axis(shapes, axis, fname):
    if not shapes:
        raise ValueError(f"{fname}(): need at least one array to concatenate")
    first = shapes[0]
    if not first:
        raise ValueError(f"{fname}(): zero-dimensional arrays cannot be concatenated")
    axis = normalize_axis(axis, len(first), fname)
    for i, s in enumerate(shapes):
        both = f"the array at index 0 has shape {first} and the array at index {i} has shape {s}"
        if len(s) != len(first):
            raise ValueError(f"{fname}(): all the input arrays must have same number of dimensions, but {both}")
        for d, (m, n) in enumerate(zip(first, s)):
            if d != axis and m != n:
                raise ValueError(f"{fname}(): all the input array dimensions except for the concatenation axis "
                                 f"must match exactly, but along dimension {d}, {both}")
    return axis


def _join_dtype(xs, dtype, casting, fname):
    if dtype is None:
        return result_dtype(*xs)[0]
    dtype = np.dtype(dtype)
    for x in xs:
        if not np.can_cast(x.dtype, dtype, casting):
            raise TypeError(
                f"{fname}(): cannot cast array data from {x.dtype} to {dtype} according to the rule {casting!r}")
    return dtype


def _concatenate(xs, axis, out, dtype, casting, fname):
    if out is not None and dtype is not None:
        raise TypeError(f"{fname}() only takes `out` or `dtype` as an argument, but both were provided")
    if axis is None:
        xs, axis = [ravel(x) for x in xs], 0
    if not tracing():
        values, target = [to_numpy(x) for x in xs], None if out is None else to_numpy(out)

        def validate():
            _concat_axis([v.shape for v in values], axis, fname)
            _join_dtype(xs, dtype, casting, fname)

        result = eager(fname, lambda: np.concatenate(values, axis, out=target, dtype=dtype, casting=casting), validate)
        return out if type(out) is Array else wrap(result)
    no_out(out, fname)
    axis = _concat_axis([x.shape for x in xs], axis, fname)
    dtype = _join_dtype(xs, dtype, casting, fname)
    return lax.concatenate([convert(x, dtype) for x in xs], axis)


def concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """The arrays joined along an existing axis (flattened first if `axis` is None)."""
    return _concatenate(_sequence(arrays, "concatenate"), axis, out, dtype, casting, "concatenate")


def concat(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    return _concatenate(_sequence(arrays, "concat"), axis, out, dtype, casting, "concat")


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """The arrays, all of one shape, joined along a new axis."""
    xs = _sequence(arrays, "stack")
    if not xs:
        raise ValueError("stack(): need at least one array to stack")
    if len({x.shape for x in xs}) > 1:
        raise ValueError(f"stack(): all input arrays must have the same shape, got {[x.shape for x in xs]}")
    axis = normalize_axis(axis, xs[0].ndim + 1, "stack")
    return _concatenate([expand_dims(x, axis) for x in xs], axis, out, dtype, casting, "stack")


def hstack(tup, *, dtype=None, casting="same_kind"):
    xs = [_atleast(x, 1, "hstack") for x in _sequence(tup, "hstack")]
    return _concatenate(xs, 0 if xs and xs[0].ndim == 1 else 1, None, dtype, casting, "hstack")


def vstack(tup, *, dtype=None, casting="same_kind"):
    xs = [_atleast(x, 2, "vstack") for x in _sequence(tup, "vstack")]
    return _concatenate(xs, 0, None, dtype, casting, "vstack")


def dstack(tup):
    xs = [_atleast(x, 3, "dstack") for x in _sequence(tup, "dstack")]
    return _concatenate(xs, 2, None, None, "same_kind", "dstack")


def column_stack(tup):
    """1-d arrays as columns (and 2-d arrays as they are) joined along axis 1."""
    xs = [x if x.ndim >= 2 else reshape(x, (x.size, 1)) for x in _sequence(tup, "column_stack")]
    return _concatenate(xs, 1, None, None, "same_kind", "column_stack")


def _block_depth(x, where):
    """The list depth of block()'s argument, checked to be the same for every leaf."""
    if type(x) is tuple:
        raise TypeError(f"block(): {where} is a tuple. Only lists can be used to arrange blocks")
    if type(x) is not list:
        return 0
    if not x:
        raise ValueError(f"block(): List at {where} cannot be empty")
    depths = [_block_depth(item, f"{where}[{i}]") for i, item in enumerate(x)]
    for i, d in enumerate(depths):
        if d != depths[0]:
            raise ValueError(f"block(): List depths are mismatched: {where}[0] has depth {depths[0]} "
                             f"but {where}[{i}] has depth {d}")
    return 1 + depths[0]


def _block_leaves(x):
    return [leaf for item in x for leaf in _block_leaves(item)] if type(x) is list else [x]


def block(arrays):
    """An array assembled from nested lists of blocks, the innermost lists joined along the last axis."""
    depth = _block_depth(arrays, "arrays")
    leaves = [array_operand(x, "block", "arrays") for x in _block_leaves(arrays)]
    dtype = result_dtype(*leaves)[0]
    ndim = max(depth, *(x.ndim for x in leaves))
    blocks = iter(convert(_atleast(x, ndim, "block"), dtype) for x in leaves)

    def assemble(x, level):
        if level == depth:
            return next(blocks)
        parts = [assemble(item, level + 1) for item in x]
        return _concatenate(parts, ndim - depth + level, None, None, "same_kind", "block")

    result = assemble(arrays, 0)
    return result if depth else lax.copy(result)  # a new array, as NumPy's


# ---------------------------------------------------------------- splitting


def _split_bounds(n, indices_or_sections, fname, equal):
    """The (start, stop) of each piece of an axis of size `n`."""
    spec = static_ints(indices_or_sections, fname, "indices_or_sections")
    if isinstance(spec, int):
        if spec <= 0:
            raise ValueError(f"{fname}(): number sections must be larger than 0, got {spec}")
        if equal and n % spec:
            raise ValueError(f"{fname}(): array split does not result in an equal division: "
                             f"an axis of size {n} into {spec} sections")
        each, extra = divmod(n, spec)
        stops = np.cumsum([each + 1] * extra + [each] * (spec - extra)).tolist()
        return list(zip([0, *stops[:-1]], stops))
    points = [0, *spec, n]
    bounds = [slice(a, b).indices(n)[:2] for a, b in zip(points[:-1], points[1:])]
    return [(a, max(a, b)) for a, b in bounds]


def _split(ary, indices_or_sections, axis, fname, equal):
    ary = array_operand(ary, fname, "ary")
    axis = normalize_axis(axis, ary.ndim, fname)
    bounds = _split_bounds(ary.shape[axis], indices_or_sections, fname, equal)
    return [slice_axis(ary, a, b, axis) for a, b in bounds]


def split(ary, indices_or_sections, axis=0):
    """`ary` split into equal sections, or at the given indices, along `axis` (a list)."""
    return _split(ary, indices_or_sections, axis, "split", equal=True)


def array_split(ary, indices_or_sections, axis=0):
    """As split, but sections need not divide the axis: the first ones get one more element."""
    return _split(ary, indices_or_sections, axis, "array_split", equal=False)


def _split_along(fname, axis_of_ndim, min_ndim):
    def split_along(ary, indices_or_sections):
        ary = array_operand(ary, fname, "ary")
        if ary.ndim < min_ndim:
            raise ValueError(
                f"{fname}() only works on arrays of {min_ndim} or more dimensions, got shape {ary.shape}")
        return _split(ary, indices_or_sections, axis_of_ndim(ary.ndim), fname, equal=True)

    return named(split_along, fname)


hsplit = _split_along("hsplit", lambda ndim: 1 if ndim > 1 else 0, 1)
vsplit = _split_along("vsplit", lambda ndim: 0, 2)
dsplit = _split_along("dsplit", lambda ndim: 2, 3)


def unstack(x, /, *, axis=0):
    """The slices of `x` along `axis`, as a tuple."""
    x = array_operand(x, "unstack", "x")
    if x.ndim == 0:
        raise ValueError("unstack(): x must be at least 1-d, got a 0-d array")
    axis = normalize_axis(axis, x.ndim, "unstack")
    return tuple(lax.squeeze(slice_axis(x, i, i + 1, axis), (axis,)) for i in range(x.shape[axis]))


# ---------------------------------------------------------------- reordering


def flip(m, axis=None):
    """`m` with the order of elements reversed along `axis` (all axes by default)."""
    m = array_operand(m, "flip", "m")
    axes = None if axis is None else static_ints(axis, "flip", "axis")
    axes = normalize_axes(axes, m.ndim, "flip")
    return lax.rev(m, axes) if axes else m


def fliplr(m):
    m = array_operand(m, "fliplr", "m")
    if m.ndim < 2:
        raise ValueError(f"fliplr(): input must be >= 2-d, got shape {m.shape}")
    return lax.rev(m, (1,))


def flipud(m):
    m = array_operand(m, "flipud", "m")
    if m.ndim < 1:
        raise ValueError("flipud(): input must be >= 1-d, got a 0-d array")
    return lax.rev(m, (0,))


def roll(a, shift, axis=None):
    """`a` with its elements shifted cyclically by `shift` along `axis` (flattened if None)."""
    a = array_operand(a, "roll")
    shift = static_ints(shift, "roll", "shift")
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), a.shape)
    axes = static_ints(axis, "roll", "axis")
    try:
        pairs = np.broadcast(shift, axes)
    except ValueError:
        raise ValueError(f"roll(): 'shift' {shift} and 'axis' {axis} must have the same length") from None
    if pairs.ndim > 1:
        raise ValueError(f"roll(): 'shift' {shift} and 'axis' {axis} must be scalars or 1-d sequences")
    shifts = {}
    for s, ax in pairs:
        ax = normalize_axis(ax, a.ndim, "roll")
        shifts[ax] = shifts.get(ax, 0) + int(s)
    for ax, s in shifts.items():
        n = a.shape[ax]
        a = take_static(a, (np.arange(n) - s) % max(n, 1), ax)
    return a


def rot90(m, k=1, axes=(0, 1)):
    """`m` rotated by 90 degrees `k` times in the plane of `axes`, from the first axis to the second."""
    m = array_operand(m, "rot90", "m")
    axes = static_ints(axes, "rot90", "axes")
    if len(axes) != 2:
        raise ValueError(f"rot90(): len(axes) must be 2, got axes {axes}")
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == m.ndim:
        raise ValueError(f"rot90(): axes must be different, got {axes}")
    if not all(-m.ndim <= ax < m.ndim for ax in axes):
        raise ValueError(f"rot90(): axes {axes} out of range for array of ndim={m.ndim}")
    k = static_ints(k, "rot90", "k") % 4
    if k == 0:
        return m
    if k == 2:
        return flip(m, axes)
    perm = list(range(m.ndim))
    perm[axes[0]], perm[axes[1]] = perm[axes[1]], perm[axes[0]]
    return transpose(flip(m, axes[1]), perm) if k == 1 else flip(transpose(m, perm), axes[1])



# ---------------------------------------------------------------- at least n-d


def _atleast(x, ndim, fname):
    """`x` with at least `ndim` axes, new ones leading; but 3-d from (N,) is (1, N, 1), from
    (M, N) is (M, N, 1), as atleast_3d and dstack make them."""
    x = array_operand(x, fname, "arys")
    if x.ndim >= ndim:
        return x
    if ndim == 3 and x.ndim > 0 and fname in ("atleast_3d", "dstack"):
        return reshape(x, (1, *x.shape, 1) if x.ndim == 1 else (*x.shape, 1))
    return reshape(x, (1,) * (ndim - x.ndim) + x.shape)


def _atleast_all(arys, ndim, fname):
    results = tuple(_atleast(x, ndim, fname) for x in arys)
    return results[0] if len(results) == 1 else results


def atleast_1d(*arys):
    return _atleast_all(arys, 1, "atleast_1d")


def atleast_2d(*arys):
    return _atleast_all(arys, 2, "atleast_2d")


def atleast_3d(*arys):
    return _atleast_all(arys, 3, "atleast_3d")


# ---------------------------------------------------------------- shape queries


def ndim(a):
    return len(shape_of(a))


def shape(a):
    return tuple(shape_of(a))


def size(a, axis=None):
    dims = shape_of(a)
    if axis is None:
        return math.prod(dims)
    return math.prod(dims[d] for d in normalize_axes(axis, len(dims), "size"))

