"""Array manipulation: reshaping, transposing, joining, splitting, tiling, padding, diagonals.

Eagerly the hot functions (reshape, ravel, transpose, expand_dims, squeeze, broadcast_to,
broadcast_arrays, concatenate, diagonal, trace) call NumPy and wrap its result, views
included; the rest run their composition through the primitives' impls. Under a transform
each function is a composition of jaxlite.lax primitives. Arguments that decide the shape of
a result (shape, axes, repeats, sections, pad widths) must be concrete.
"""

import math
import operator
import warnings

import numpy as np

from .. import lax
from ..core import concrete_or_error
from ._base import Array, Tracer, broadcast_shapes as _common_shape, broadcast_to_shape, convert
from ._base import normalize_axes, normalize_axis, operand, result_dtype, shape_of, to_numpy, tracing, wrap

__all__ = [
    "reshape", "ravel", "transpose", "permute_dims", "matrix_transpose", "moveaxis", "swapaxes",
    "rollaxis", "expand_dims", "squeeze", "broadcast_to", "broadcast_arrays", "broadcast_shapes",
    "concatenate", "concat", "stack", "hstack", "vstack", "dstack", "column_stack", "block",
    "split", "array_split", "hsplit", "vsplit", "dsplit", "unstack", "flip", "fliplr", "flipud",
    "roll", "rot90", "tile", "repeat", "atleast_1d", "atleast_2d", "atleast_3d", "pad",
    "diagonal", "trace", "resize", "trim_zeros", "append", "delete", "insert", "ndim", "shape",
    "size",
]

AxisError = np.exceptions.AxisError

# ---------------------------------------------------------------- helpers


def _array(x, fname, argname="a"):
    """`x` as a tracer or an Array (NumPy values, scalars and nested lists become Arrays)."""
    if type(x) is Array or isinstance(x, Tracer):
        return x
    if type(x) is np.ndarray:
        return wrap(x)
    if isinstance(x, (list, tuple)) and not _holds_tracer(x):
        return wrap(np.asarray(x))
    x = operand(x, fname, argname)
    return x if isinstance(x, Array) else wrap(np.asarray(x))


def _holds_tracer(x):
    return isinstance(x, Tracer) or (isinstance(x, (list, tuple)) and any(map(_holds_tracer, x)))


def _eager(call, validate):
    """NumPy's result; where NumPy refuses, jaxlite's error (naming function, argument, shapes)."""
    try:
        return call()
    except (ValueError, TypeError, IndexError):
        pass
    validate()
    return call()  # jaxlite's checks found nothing more to say: raise NumPy's own error


def _static(value, fname, argname):
    """A shape-deciding argument as Python ints: an int, or (nested) tuples of ints."""
    if type(value) is int or (type(value) is tuple and all(type(v) is int for v in value)):
        return value
    value = concrete_or_error(value, fname, argname)
    if isinstance(value, (list, tuple)):
        return tuple(_static(v, fname, argname) for v in value)
    value = to_numpy(value)
    if np.ndim(value) > 0:
        return _static(np.asarray(value).tolist(), fname, argname)
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{fname}() argument '{argname}' must be integers, got {value!r}") from None


def _shape_arg(shape, fname, argname="shape"):
    shape = _static(shape, fname, argname)
    return (shape,) if isinstance(shape, int) else shape


def _axis_tuple(axis, ndim, fname, argname="axis"):
    """`axis` (an int or a sequence) as a tuple of distinct non-negative axes, order kept."""
    axes = _static(axis, fname, argname)
    axes = tuple(normalize_axis(a, ndim, fname, argname) for a in ((axes,) if isinstance(axes, int) else axes))
    if len(set(axes)) != len(axes):
        raise ValueError(f"{fname}(): repeated axis in '{argname}' {axis}")
    return axes


def _slice_axis(x, start, stop, axis):
    if start == 0 and stop == x.shape[axis]:
        return x
    starts, limits = [0] * x.ndim, list(x.shape)
    starts[axis], limits[axis] = start, stop
    return lax.slice(x, starts, limits)


def _gather_axis(x, index, axis):
    """x[..., index, ...] along `axis` for a 1-d integer `index` (clamped into range)."""
    out = lax.gather(x, [index], (axis,))  # the index axis comes first
    perm = (*range(1, axis + 1), 0, *range(axis + 1, out.ndim))
    return out if axis == 0 else lax.transpose(out, perm)


def _take(x, indices, axis):
    """A new array of x[..., indices, ...] for static in-range indices: slices where they
    form a few runs of consecutive indices, else one gather."""
    indices = np.asarray(indices, np.int64).reshape(-1)
    runs = np.split(indices, np.flatnonzero(np.diff(indices) != 1) + 1) if indices.size else []
    if len(runs) > 4:
        return _gather_axis(x, indices, axis)
    pieces = [_slice_axis(x, int(r[0]), int(r[-1]) + 1, axis) for r in runs] or [_slice_axis(x, 0, 0, axis)]
    if len(pieces) > 1:
        return lax.concatenate(pieces, axis)
    return pieces[0] if tracing() else lax.copy(pieces[0])  # eagerly never a view, as NumPy


def _zeros(shape, dtype):
    return lax.broadcast_in_dim(np.zeros((), dtype), shape, ())


def _out_error(fname):
    return TypeError(f"{fname}(): out= cannot receive a traced result; use the returned array instead")


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
    a, shape = _array(a, "reshape"), _shape_arg(shape, "reshape")
    if not tracing():
        x = to_numpy(a)
        return _eager(lambda: wrap(np.reshape(x, shape, order=order, copy=copy)), lambda: _reshape_target(x.shape, shape))
    new = _reshape_target(a.shape, shape)
    if order not in ("C", "F", "A"):
        raise ValueError(f"reshape(): order must be one of 'C', 'F', 'A', got {order!r}")
    if order == "F":  # Fortran order is C order on the reversed axes
        return transpose(lax.reshape(transpose(a), new[::-1]))
    return a if new == a.shape else lax.reshape(a, new)


def ravel(a, order="C"):
    """The array flattened to 1-d (a view eagerly where NumPy gives one)."""
    a = _array(a, "ravel")
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
    a, axes = _array(a, "transpose"), None if axes is None else _static(axes, "transpose", "axes")
    if not tracing():
        x = to_numpy(a)
        return _eager(lambda: wrap(np.transpose(x, axes)), lambda: _permutation(axes, x.ndim, "transpose"))
    perm = _permutation(axes, a.ndim, "transpose")
    return a if perm == tuple(range(a.ndim)) else lax.transpose(a, perm)


def permute_dims(a, /, axes=None):
    return transpose(a, axes)


def matrix_transpose(x, /):
    """The last two axes swapped."""
    x = _array(x, "matrix_transpose", "x")
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose(): x must be at least 2-dimensional, got shape {x.shape}")
    return transpose(x, (*range(x.ndim - 2), x.ndim - 1, x.ndim - 2))


def moveaxis(a, source, destination):
    """The axes `source` moved to positions `destination`, the others kept in order."""
    a = _array(a, "moveaxis")
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
    a = _array(a, "swapaxes")
    perm = list(range(a.ndim))
    i = normalize_axis(axis1, a.ndim, "swapaxes", "axis1")
    j = normalize_axis(axis2, a.ndim, "swapaxes", "axis2")
    perm[i], perm[j] = j, i
    return transpose(a, perm)


def rollaxis(a, axis, start=0):
    """The axis `axis` moved to lie before position `start`."""
    a = _array(a, "rollaxis")
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
    a, axis = _array(a, "expand_dims"), _static(axis, "expand_dims", "axis")
    if not tracing():
        x = to_numpy(a)
        return _eager(lambda: wrap(np.expand_dims(x, axis)), lambda: _expanded_shape(x.shape, axis))
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
    a, axis = _array(a, "squeeze"), None if axis is None else _static(axis, "squeeze", "axis")
    if not tracing():
        x = to_numpy(a)
        return _eager(lambda: wrap(np.squeeze(x, axis)), lambda: _squeezed_axes(x.shape, axis))
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
    return broadcast_to_shape(x, _broadcast_target(x.shape, _shape_arg(shape, fname), fname))


def broadcast_to(array, shape, subok=False):
    """`array` broadcast to `shape` (eagerly a read-only view, as in NumPy)."""
    array, shape = _array(array, "broadcast_to", "array"), _shape_arg(shape, "broadcast_to")
    if not tracing():
        x = to_numpy(array)
        return _eager(lambda: wrap(np.broadcast_to(x, shape)), lambda: _broadcast_target(x.shape, shape, "broadcast_to"))
    return _broadcast_to(array, shape, "broadcast_to")


def broadcast_arrays(*args, subok=False):
    """The arguments broadcast against each other, as a tuple."""
    xs = [_array(x, "broadcast_arrays", f"args[{i}]") for i, x in enumerate(args)]
    shape = _common_shape("broadcast_arrays", *(x.shape for x in xs))
    if not tracing():
        return tuple(wrap(v) for v in np.broadcast_arrays(*map(to_numpy, xs)))
    return tuple(broadcast_to_shape(x, shape) for x in xs)


def broadcast_shapes(*args):
    return _common_shape("broadcast_shapes", *(_shape_arg(s, "broadcast_shapes", "args") for s in args))


# ---------------------------------------------------------------- joining


def _sequence(arrays, fname):
    """The arrays of a join: a list or tuple of array-likes, or the rows of one array."""
    if isinstance(arrays, (Array, np.ndarray)) and np.ndim(arrays) > 0:
        return list(unstack(arrays))
    if not isinstance(arrays, (list, tuple)):
        raise TypeError(f'{fname}(): arrays to join must be passed as a "sequence" such as a list or tuple, '
                        f"got {type(arrays).__name__}")
    return [_array(x, fname, f"arrays[{i}]") for i, x in enumerate(arrays)]


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

        result = _eager(lambda: np.concatenate(values, axis, out=target, dtype=dtype, casting=casting), validate)
        return out if type(out) is Array else wrap(result)
    if out is not None:
        raise _out_error(fname)
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
    leaves = [_array(x, "block", "arrays") for x in _block_leaves(arrays)]
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
    spec = _static(indices_or_sections, fname, "indices_or_sections")
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
    ary = _array(ary, fname, "ary")
    axis = normalize_axis(axis, ary.ndim, fname)
    bounds = _split_bounds(ary.shape[axis], indices_or_sections, fname, equal)
    return [_slice_axis(ary, a, b, axis) for a, b in bounds]


def split(ary, indices_or_sections, axis=0):
    """`ary` split into equal sections, or at the given indices, along `axis` (a list)."""
    return _split(ary, indices_or_sections, axis, "split", equal=True)


def array_split(ary, indices_or_sections, axis=0):
    """As split, but sections need not divide the axis: the first ones get one more element."""
    return _split(ary, indices_or_sections, axis, "array_split", equal=False)


def _split_along(fname, axis_of_ndim, min_ndim):
    def split_along(ary, indices_or_sections):
        ary = _array(ary, fname, "ary")
        if ary.ndim < min_ndim:
            raise ValueError(
                f"{fname}() only works on arrays of {min_ndim} or more dimensions, got shape {ary.shape}")
        return _split(ary, indices_or_sections, axis_of_ndim(ary.ndim), fname, equal=True)

    split_along.__name__ = split_along.__qualname__ = fname
    return split_along


hsplit = _split_along("hsplit", lambda ndim: 1 if ndim > 1 else 0, 1)
vsplit = _split_along("vsplit", lambda ndim: 0, 2)
dsplit = _split_along("dsplit", lambda ndim: 2, 3)


def unstack(x, /, *, axis=0):
    """The slices of `x` along `axis`, as a tuple."""
    x = _array(x, "unstack", "x")
    if x.ndim == 0:
        raise ValueError("unstack(): x must be at least 1-d, got a 0-d array")
    axis = normalize_axis(axis, x.ndim, "unstack")
    return tuple(lax.squeeze(_slice_axis(x, i, i + 1, axis), (axis,)) for i in range(x.shape[axis]))


# ---------------------------------------------------------------- reordering


def flip(m, axis=None):
    """`m` with the order of elements reversed along `axis` (all axes by default)."""
    m = _array(m, "flip", "m")
    axes = None if axis is None else _static(axis, "flip", "axis")
    axes = normalize_axes(axes, m.ndim, "flip")
    return lax.rev(m, axes) if axes else m


def fliplr(m):
    m = _array(m, "fliplr", "m")
    if m.ndim < 2:
        raise ValueError(f"fliplr(): input must be >= 2-d, got shape {m.shape}")
    return lax.rev(m, (1,))


def flipud(m):
    m = _array(m, "flipud", "m")
    if m.ndim < 1:
        raise ValueError("flipud(): input must be >= 1-d, got a 0-d array")
    return lax.rev(m, (0,))


def roll(a, shift, axis=None):
    """`a` with its elements shifted cyclically by `shift` along `axis` (flattened if None)."""
    a = _array(a, "roll")
    shift = _static(shift, "roll", "shift")
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), a.shape)
    axes = _static(axis, "roll", "axis")
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
        a = _take(a, (np.arange(n) - s) % max(n, 1), ax)
    return a


def rot90(m, k=1, axes=(0, 1)):
    """`m` rotated by 90 degrees `k` times in the plane of `axes`, from the first axis to the second."""
    m = _array(m, "rot90", "m")
    axes = _static(axes, "rot90", "axes")
    if len(axes) != 2:
        raise ValueError(f"rot90(): len(axes) must be 2, got axes {axes}")
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == m.ndim:
        raise ValueError(f"rot90(): axes must be different, got {axes}")
    if not all(-m.ndim <= ax < m.ndim for ax in axes):
        raise ValueError(f"rot90(): axes {axes} out of range for array of ndim={m.ndim}")
    k = _static(k, "rot90", "k") % 4
    if k == 0:
        return m
    if k == 2:
        return flip(m, axes)
    perm = list(range(m.ndim))
    perm[axes[0]], perm[axes[1]] = perm[axes[1]], perm[axes[0]]
    return transpose(flip(m, axes[1]), perm) if k == 1 else flip(transpose(m, perm), axes[1])


# ---------------------------------------------------------------- repeating


def tile(A, reps):
    """`A` repeated `reps` times along each axis (reps aligned with the trailing axes)."""
    A = _array(A, "tile", "A")
    reps = _shape_arg(reps, "tile", "reps")
    if any(r < 0 for r in reps):
        raise ValueError(f"tile(): negative dimensions are not allowed, got reps {reps}")
    ndim = max(len(reps), A.ndim)
    reps = (1,) * (ndim - len(reps)) + reps
    shape = (1,) * (ndim - A.ndim) + A.shape
    interleaved = [n for pair in zip(reps, shape) for n in pair]  # (r0, s0, r1, s1, ...)
    dims = [2 * d + 1 for d in range(ndim - A.ndim, ndim)]
    return lax.reshape(lax.broadcast_in_dim(A, interleaved, dims), [r * s for r, s in zip(reps, shape)])


def _repeat_traced(a, repeats, axis, length):
    """Repeat with traced `repeats`: element j of the result is the first element whose
    running total of repeats exceeds j (positions past the total repeat the last element)."""
    n = a.shape[axis]
    ends = lax.cumsum(broadcast_to_shape(convert(repeats, np.int64), (n,)), 0)
    positions = lax.broadcasted_iota(np.int64, (length, n), 0)
    passed = lax.le(lax.broadcast_in_dim(ends, (length, n), (1,)), positions)
    return _gather_axis(a, lax.reduce_sum(convert(passed, np.int64), (1,)), axis)


def repeat(a, repeats, axis=None, *, total_repeat_length=None):
    """Each element of `a` repeated `repeats` times along `axis` (flattened if None).

    Under a transform `repeats` must be concrete, unless `total_repeat_length` fixes the
    length of the result (as in JAX: extra repeats are cut, missing ones repeat the last).
    """
    a = _array(a, "repeat")
    if axis is None:
        a, axis = ravel(a), 0
    axis = normalize_axis(axis, a.ndim, "repeat")
    n = a.shape[axis]
    traced_repeats = isinstance(repeats, Tracer) and repeats.to_concrete_value() is None
    if traced_repeats and total_repeat_length is not None:
        return _repeat_traced(a, repeats, axis, operator.index(total_repeat_length))
    fix = "pass total_repeat_length= to fix the length of the result"
    counts = np.asarray(to_numpy(concrete_or_error(repeats, "repeat", "repeats", fix)))
    counts = counts if counts.size else counts.astype(np.int64)
    if counts.dtype.kind not in "biu" or counts.ndim > 1:
        raise TypeError(f"repeat(): repeats must be an integer or a 1-d sequence of integers, got {counts!r}")
    if np.any(counts < 0):
        raise ValueError(f"repeat(): repeats may not contain negative values, got {counts.tolist()}")
    if counts.size not in (1, n):
        raise ValueError(
            f"repeat(): repeats of shape {counts.shape} cannot be broadcast to axis {axis} of size {n}")
    if counts.size == 1 and total_repeat_length is None:
        r, before, after = int(counts.reshape(-1)[0]), a.shape[:axis], a.shape[axis + 1 :]
        spread = lax.broadcast_in_dim(a, (*before, n, r, *after), [*range(axis + 1), *range(axis + 2, a.ndim + 1)])
        return lax.reshape(spread, (*before, n * r, *after))
    index = np.repeat(np.arange(n), counts)
    if total_repeat_length is not None:  # JAX's semantics: cut, or repeat the last element
        index = np.pad(index, (0, max(0, total_repeat_length - index.size)), mode="edge")[:total_repeat_length]
    return _take(a, index, axis)


def _atleast(x, ndim, fname):
    """`x` with at least `ndim` axes, new ones leading; but 3-d from (N,) is (1, N, 1), from
    (M, N) is (M, N, 1), as atleast_3d and dstack make them."""
    x = _array(x, fname, "arys")
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


# ---------------------------------------------------------------- padding

# mode -> the keyword arguments NumPy accepts for it
_PAD_KWARGS = {
    "constant": {"constant_values"}, "empty": set(), "edge": set(), "wrap": set(),
    "reflect": {"reflect_type"}, "symmetric": {"reflect_type"}, "linear_ramp": {"end_values"},
    "maximum": {"stat_length"}, "mean": {"stat_length"}, "median": {"stat_length"},
    "minimum": {"stat_length"},
}


def _symmetric_index(j, n):
    m = j % (2 * n)
    return np.where(m < n, m, 2 * n - 1 - m)


def _reflect_index(j, n):
    period = max(2 * (n - 1), 1)
    m = j % period
    return np.where(m < n, m, period - m)


# mode -> the source index, along one axis of size n, of each padded position j (j < 0 before the data)
_PAD_INDEX = {
    "edge": lambda j, n: np.clip(j, 0, n - 1),
    "wrap": lambda j, n: j % n,
    "symmetric": _symmetric_index,
    "reflect": _reflect_index,
}


def _pair_table(values, ndim, argname):
    """NumPy's pad pairs (a scalar, one (before, after) pair, or a pair per axis) as an
    (ndim, 2) table; an ndarray gives an ndarray, other values a jaxlite array."""
    shape = tuple(values.shape)
    if len(shape) < 3 and math.prod(shape) in (1, 2) and shape != (2, 1):
        shape = (math.prod(shape),)
    if len(shape) > 2 or any(s not in (1, t) for s, t in zip(shape[::-1], (2, ndim))):
        raise ValueError(
            f"pad(): '{argname}' of shape {values.shape} does not give (before, after) pairs for {ndim} axes")
    if isinstance(values, np.ndarray):
        return np.broadcast_to(values.reshape(shape), (ndim, 2))
    return broadcast_to_shape(reshape(values, shape), (ndim, 2))


def _pad_widths(pad_width, ndim):
    if isinstance(pad_width, dict):
        widths = [(0, 0)] * ndim
        for axis, width in pad_width.items():
            width = _static(width, "pad", "pad_width")
            width = (width, width) if isinstance(width, int) else width
            widths[normalize_axis(axis, ndim, "pad", "pad_width")] = width
        pad_width = widths
    widths = np.asarray(_static(pad_width, "pad", "pad_width"))
    if widths.dtype.kind != "i":
        raise TypeError(f"pad(): `pad_width` must be of integral type, got {pad_width!r}")
    if widths.size and widths.min() < 0:
        raise ValueError(f"pad(): pad_width can't contain negative values, got {pad_width!r}")
    return _pair_table(widths, ndim, "pad_width").tolist()


def _pad_constant(x, widths, values):
    values = convert(_array(values, "pad", "constant_values"), x.dtype)  # NumPy casts them to x's dtype
    if np.shape(values) == ():
        return lax.pad(x, values, [(lo, hi, 0) for lo, hi in widths])
    table = _pair_table(_array(values, "pad", "constant_values"), x.ndim, "constant_values")
    for axis, pair in enumerate(widths):  # axis by axis, so later axes fill the corners, as in NumPy
        for side, width in enumerate(pair):
            config = [(0, 0, 0)] * x.ndim
            config[axis] = (width, 0, 0) if side == 0 else (0, width, 0)
            value = lax.reshape(lax.slice(table, (axis, side), (axis + 1, side + 1)), ())
            x = lax.pad(x, value, config) if width else x
    return x


def pad(array, pad_width, mode="constant", **kwargs):
    """`array` padded by `pad_width` with `mode`: constant, empty, edge, wrap, reflect, symmetric."""
    x = _array(array, "pad", "array")
    widths = _pad_widths(pad_width, x.ndim)
    if callable(mode):
        raise NotImplementedError("pad(): a function as `mode` is not supported in jaxlite")
    if mode not in _PAD_KWARGS:
        raise ValueError(f"pad(): mode {mode!r} is not supported")
    unsupported = set(kwargs) - _PAD_KWARGS[mode]
    if unsupported:
        raise ValueError(f"pad(): unsupported keyword arguments for mode {mode!r}: {sorted(unsupported)}")
    if mode in ("constant", "empty"):  # 'empty' leaves the padding undefined: zeros will do
        return _pad_constant(x, widths, kwargs.get("constant_values", 0))
    if mode not in _PAD_INDEX or kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError(f"pad(): mode {mode!r} with options {kwargs} is not implemented in jaxlite")
    for axis, (lo, hi) in enumerate(widths):
        n = x.shape[axis]
        if n == 0 and (lo or hi):
            raise ValueError(f"pad(): can't extend empty axis {axis} of shape {x.shape} "
                             "using modes other than 'constant' or 'empty'")
        x = _take(x, _PAD_INDEX[mode](np.arange(-lo, n + hi), n), axis) if n else x
    return x


# ---------------------------------------------------------------- diagonals


def _diagonal_geometry(shape, offset, axis1, axis2):
    """The two axes, the offset and the length of a diagonal."""
    if len(shape) < 2:
        raise ValueError(
            f"diagonal(): diag requires an array of at least two dimensions, got shape {tuple(shape)}")
    a1 = normalize_axis(axis1, len(shape), "diagonal", "axis1")
    a2 = normalize_axis(axis2, len(shape), "diagonal", "axis2")
    if a1 == a2:
        raise ValueError(f"diagonal(): axis1 and axis2 cannot be the same, got {axis1} and {axis2}")
    offset = operator.index(offset)
    return a1, a2, offset, max(0, min(shape[a1] + min(offset, 0), shape[a2] - max(offset, 0)))


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal of the `axis1`, `axis2` planes, as the last axis (a read-only view eagerly)."""
    a = _array(a, "diagonal")
    if not tracing():
        x = to_numpy(a)
        return _eager(lambda: wrap(np.diagonal(x, offset, axis1, axis2)),
                      lambda: _diagonal_geometry(x.shape, offset, axis1, axis2))
    a1, a2, offset, length = _diagonal_geometry(a.shape, offset, axis1, axis2)
    rest = [s for d, s in enumerate(a.shape) if d not in (a1, a2)]
    if length == 0:
        return _zeros((*rest, 0), a.dtype)
    rows = cols = lax.iota(np.int64, length)
    if offset:
        rows, cols = (rows, lax.add(cols, offset)) if offset > 0 else (lax.add(rows, -offset), cols)
    out = lax.gather(a, [rows, cols], (a1, a2))  # the diagonal axis comes first
    return lax.transpose(out, (*range(1, out.ndim), 0)) if rest else out


def _sum_dtype(dtype):
    """NumPy's accumulator for sums: bools and small integers widen to 64 bits."""
    if dtype.kind == "b" or (dtype.kind == "i" and dtype.itemsize < 8):
        return np.dtype(np.int64)
    return np.dtype(np.uint64) if dtype.kind == "u" and dtype.itemsize < 8 else dtype


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """The sums along the diagonals of `a`."""
    a = _array(a, "trace")
    if not tracing():
        x, target = to_numpy(a), None if out is None else to_numpy(out)
        result = _eager(lambda: np.trace(x, offset, axis1, axis2, dtype, target),
                        lambda: _diagonal_geometry(x.shape, offset, axis1, axis2))
        return out if type(out) is Array else wrap(result)
    if out is not None:
        raise _out_error("trace")
    d = diagonal(a, offset, axis1, axis2)
    return lax.reduce_sum(convert(d, _sum_dtype(d.dtype) if dtype is None else dtype), (d.ndim - 1,))


# ---------------------------------------------------------------- resizing, inserting, deleting


def resize(a, new_shape):
    """`a` flattened, repeated cyclically to fill `new_shape` (zeros if `a` is empty)."""
    a = _array(a, "resize")
    new_shape = _shape_arg(new_shape, "resize", "new_shape")
    if any(s < 0 for s in new_shape):
        raise ValueError(f"resize(): all elements of `new_shape` must be non-negative, got {new_shape}")
    size, new_size = a.size, math.prod(new_shape)
    if size == 0 or new_size == 0:
        return _zeros(new_shape, a.dtype)
    copies = -(-new_size // size)
    cycled = lax.broadcast_in_dim(lax.reshape(a, (size,)), (copies, size), (1,))
    return lax.reshape(lax.slice(lax.reshape(cycled, (copies * size,)), (0,), (new_size,)), new_shape)


def trim_zeros(filt, trim="fb", axis=None):
    """`filt` without its leading/trailing zeros. Eager only: its shape depends on the values."""
    fix = "trim_zeros only runs eagerly, since the shape of its result depends on the values"
    filt = to_numpy(concrete_or_error(filt, "trim_zeros", "filt", fix))
    return wrap(np.asarray(np.trim_zeros(np.asarray(filt), trim, axis)))


def append(arr, values, axis=None):
    """`values` joined to the end of `arr` along `axis` (both flattened if None)."""
    arr, values = _array(arr, "append", "arr"), _array(values, "append", "values")
    if axis is None:
        arr, values, axis = ravel(arr), ravel(values), 0
    return _concatenate([arr, values], axis, None, None, "same_kind", "append")


def _flat_or_axis(arr, axis, fname):
    arr = _array(arr, fname, "arr")
    if axis is None:
        return ravel(arr), 0
    return arr, normalize_axis(axis, arr.ndim, fname)


def _index_layout(fname, arr, axis, layout):
    """Run `layout` (NumPy on index arrays) and name the function and axis in its errors."""
    try:
        return layout()
    except (IndexError, ValueError) as err:
        raise type(err)(f"{fname}(): {err} (axis {axis} of an array of shape {arr.shape})") from None


def delete(arr, obj, axis=None):
    """`arr` without the entries `obj` (ints, a slice or a boolean mask) along `axis`."""
    arr, axis = _flat_or_axis(arr, axis, "delete")
    obj = obj if isinstance(obj, slice) else to_numpy(concrete_or_error(obj, "delete", "obj"))
    keep = _index_layout("delete", arr, axis, lambda: np.delete(np.arange(arr.shape[axis]), obj))
    return _take(arr, keep, axis)


def insert(arr, obj, values, axis=None):
    """`values` inserted into `arr` before the indices `obj` along `axis` (flattened if None)."""
    arr, axis = _flat_or_axis(arr, axis, "insert")
    n = arr.shape[axis]
    if isinstance(obj, slice):
        indices = np.arange(n)[obj]
    else:
        indices = np.asarray(to_numpy(concrete_or_error(obj, "insert", "obj")))
    if indices.dtype == bool:
        if indices.ndim != 1:
            raise ValueError(f"insert(): boolean array obj must be one dimensional, got shape {indices.shape}")
        indices = np.flatnonzero(indices)
    elif indices.ndim > 1:
        raise ValueError(f"insert(): index array obj must be one dimensional or scalar, got shape {indices.shape}")
    elif indices.size == 0:
        indices = indices.astype(np.intp)
    values = _array(convert(_array(values, "insert", "values"), arr.dtype), "insert", "values")
    if indices.size == 1:  # one index: `values` is a block of entries, as NumPy arranges it
        values = reshape(values, (1,) * (arr.ndim - values.ndim) + values.shape)
        values = moveaxis(values, 0, axis) if indices.ndim == 0 else values
        count = values.shape[axis]
    else:
        count = indices.size
    block_shape = (*arr.shape[:axis], count, *arr.shape[axis + 1 :])
    block = _broadcast_to(values, block_shape, "insert")
    order = _index_layout("insert", arr, axis, lambda: np.insert(np.arange(n), indices, n + np.arange(count)))
    return _take(concatenate([arr, block], axis), order, axis)


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
