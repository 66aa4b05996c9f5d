"""Numba array lowerings: the primitives that are not fused into loops.

Each rule returns expressions for fresh C-contiguous arrays that do not alias an operand.
Operands arrive as names of C-contiguous arrays (rank-0 ones as 0-d arrays). A rule is one call
of a function of transforms/numba/array_helpers.py (imported by generated modules as `ah`; see
there why): static shapes, strides and offsets are worked out here, at code generation, and
passed as np.int64 constants. Data movement (transpose, rev, slice, pad, concatenate, dynamic
slices) is one strided copy whose strides merge the axes that step through memory together.

float16 has no arithmetic in Numba, so no rule takes it (lowerable_if): those equations run
with NumPy between kernels.
"""

import math

import numpy as np

from ..transforms.numba.lowering import array_rules, dtype_code, lowerable_if
from .dot import dot_general_p
from .indexing import PRIMITIVES as _INDEXING, SCATTERS
from .random_bits import threefry2x32_p
from .reductions import CUMULATIVE, PRIMITIVES as _REDUCTIONS
from .shape import concatenate_p, iota_p, pad_p, reshape_p, rev_p, slice_p, squeeze_p, transpose_p
from .sort import sort_p

__all__ = []

_F16 = np.dtype(np.float16)
LAYOUT_RANK = 4  # strided copies take at least this many axes
# Sorts of at least this many elements call NumPy's sort from the kernel (ah.numpy_sort): its
# vectorized sorts beat compiled loops ~10x; smaller ones run a merge sort in the kernel. Large
# sorts of several operands run with NumPy between kernels (see _sort_lowerable).
NUMPY_SORT_MIN_SIZE = 1024


def _no_float16(in_avals, out_avals, **params):
    return all(a.dtype != _F16 for a in (*in_avals, *out_avals))


# ---------------------------------------------------------------- constants, strides, copies


def _i(value):
    """An int64 constant (a bare literal would compile a helper once per value)."""
    return value if isinstance(value, str) else f"np.int64({value})"


def _ints(values):
    items = [_i(v) for v in values]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _strides(shape):
    """C-order strides, in elements."""
    out, step = [], 1
    for n in reversed(shape):
        out.append(step)
        step *= n
    return out[::-1]


def _simplify(shape, *strides):
    """Drop axes of extent 1 and merge neighbours that step through memory as one axis in
    every stride list (an empty shape becomes (0,))."""
    merged = [(0, *(1 for _ in strides))] if 0 in shape else []
    for n, *s in zip(shape, *strides) if not merged else ():
        if n == 1:
            continue
        if merged and all(ps == n * st for ps, st in zip(merged[-1][1:], s)):
            merged[-1] = (merged[-1][0] * n, *s)
        else:
            merged.append((n, *s))
    # Leading unit axes pad to LAYOUT_RANK axes: one compiled helper serves every lower rank.
    merged = [(1, *(0 for _ in strides))] * (LAYOUT_RANK - len(merged)) + merged
    shape, *strides = zip(*merged)
    return (tuple(shape), *(tuple(s) for s in strides))


def _offset(terms):
    """An int64 offset expression from (index: int or expression, stride) terms."""
    const = sum(i * s for i, s in terms if isinstance(i, int))
    parts = [f"({i}) * {s}" for i, s in terms if not isinstance(i, int) and s]
    return " + ".join(parts + [str(const)]) if parts else _i(const)


def _copy(x, out_shape, offset, strides):
    """A new array of out_shape: out[i] = x.flat[offset + i . strides]."""
    shape, strides = _simplify(out_shape, strides)
    return f"ah.copy({x}, {_i(offset)}, {_ints(strides)}, {_ints(shape)}, {_ints(out_shape) if out_shape else '()'})"


def _place(out, x, src_offset, src_strides, dst_offset, dst_strides, shape):
    """out with out.flat[dst_offset + i . dst_strides] = x.flat[src_offset + i . src_strides]."""
    if 0 in shape:
        return out
    shape, src_strides, dst_strides = _simplify(shape, src_strides, dst_strides)
    return (f"ah.place({out}, {x}, {_i(src_offset)}, {_ints(src_strides)}, {_i(dst_offset)}, "
            f"{_ints(dst_strides)}, {_ints(shape)})")


def _shape(shape):
    return _ints(shape) if shape else "()"


# ---------------------------------------------------------------- shape


def _reshape(args, in_avals, out_avals, **params):
    return [f"ah.reshape({args[0]}, {_shape(out_avals[0].shape)})"]


def _transpose(args, in_avals, out_avals, permutation):
    strides = _strides(in_avals[0].shape)
    return [_copy(args[0], out_avals[0].shape, 0, [strides[p] for p in permutation])]


def _rev(args, in_avals, out_avals, dimensions):
    shape, strides = in_avals[0].shape, _strides(in_avals[0].shape)
    offset = sum((shape[d] - 1) * strides[d] for d in dimensions if shape[d])
    flipped = [-s if d in dimensions else s for d, s in enumerate(strides)]
    return [_copy(args[0], shape, offset, flipped)]


def _slice(args, in_avals, out_avals, start_indices, limit_indices, strides):
    steps = strides or (1,) * len(start_indices)
    base = _strides(in_avals[0].shape)
    offset = sum(a * s for a, s in zip(start_indices, base))
    return [_copy(args[0], out_avals[0].shape, offset, [k * s for k, s in zip(steps, base)])]


def _kept_range(n, lo, step, size):
    """The operand indices [first, last) whose padded position lo + i * step is in [0, size)."""
    first = -(lo // step) if lo < 0 else 0
    last = min(n, (size - lo - 1) // step + 1) if size - lo - 1 >= 0 else 0
    return first, max(first, last)


def _pad(args, in_avals, out_avals, padding_config):
    (x, value), (aval, _), (out,) = args, in_avals, out_avals
    filled = f"ah.full({_shape(out.shape)}, {value})"
    src_strides, dst_strides = _strides(aval.shape), _strides(out.shape)
    counts, src_offset, dst_offset, steps = [], 0, 0, []
    for d, (lo, _, interior) in enumerate(padding_config):
        step = interior + 1
        first, last = _kept_range(aval.shape[d], lo, step, out.shape[d])
        counts.append(last - first)
        src_offset += first * src_strides[d]
        dst_offset += (lo + first * step) * dst_strides[d]
        steps.append(step * dst_strides[d])
    return [_place(filled, x, src_offset, src_strides, dst_offset, steps, counts)]


def _concatenate(args, in_avals, out_avals, dimension):
    out = out_avals[0]
    dst_strides = _strides(out.shape)
    expr, start = f"np.empty({_shape(out.shape)}, {dtype_code(out.dtype)})", 0
    for x, aval in zip(args, in_avals):
        expr = _place(expr, x, 0, _strides(aval.shape), start * dst_strides[dimension], dst_strides, aval.shape)
        start += aval.shape[dimension]
    return [expr]


def _iota(args, in_avals, out_avals, dtype, shape, dimension):
    return [f"ah.iota(np.empty({_shape(shape)}, {dtype_code(out_avals[0].dtype)}), {_i(dimension)})"]


# ---------------------------------------------------------------- dynamic slicing


def _clamped(start, aval, hi):
    """A start index (a 0-d array) as an int64 clamped into [0, hi], as eager clamps."""
    s = f"{start}[()]"
    if aval.dtype.kind == "i":
        return f"min(max(np.int64({s}), 0), {hi})"
    if aval.dtype.itemsize < 8:
        return f"min(np.int64({s}), {hi})"
    return f"np.int64(min({s}, np.uint64({hi})))"


def _window_offset(shape, sizes, starts, start_avals):
    terms = zip(shape, sizes, starts, start_avals, _strides(shape))
    return _offset([(_clamped(s, a, n - k), stride) for n, k, s, a, stride in terms])


def _dynamic_slice(args, in_avals, out_avals, slice_sizes):
    (x, *starts), aval = args, in_avals[0]
    offset = _window_offset(aval.shape, slice_sizes, starts, in_avals[1:])
    return [_copy(x, tuple(slice_sizes), offset, _strides(aval.shape))]


def _dynamic_update_slice(args, in_avals, out_avals):
    (x, update, *starts), (aval, update_aval) = args, in_avals[:2]
    if aval.ndim == 0:
        return [f"{update}.copy()"]
    offset = _window_offset(aval.shape, update_aval.shape, starts, in_avals[2:])
    return [_place(f"{x}.copy()", update, 0, _strides(update_aval.shape), offset, _strides(aval.shape),
                   update_aval.shape)]


# ---------------------------------------------------------------- gather and scatter


def _index_offsets(indices, index_avals, operand, axes, helper):
    """int64[batch]: the flat offset of each indexed slice (scatter's helper marks dropped
    entries -1)."""
    strides = _strides(operand.shape)
    batch = math.prod(index_avals[0].shape) if index_avals else 1
    expr = f"np.zeros({batch}, np.int64)"
    for index, axis in zip(indices, axes):
        expr = f"ah.{helper}({expr}, {index}, {_i(operand.shape[axis])}, {_i(strides[axis])})"
    return expr


def _slice_layout(operand, axes):
    """The shape and strides of one indexed slice: the axes not indexed, merged."""
    strides = _strides(operand.shape)
    rest = [d for d in range(operand.ndim) if d not in axes]
    shape, steps = _simplify([operand.shape[d] for d in rest], [strides[d] for d in rest])
    return f"{_ints(shape)}, {_ints(steps)}"


def _gather(args, in_avals, out_avals, axes):
    (x, *indices), aval = args, in_avals[0]
    lin = _index_offsets(indices, in_avals[1:], aval, axes, "clipped_offsets")
    return [f"ah.gather({x}, {lin}, {_slice_layout(aval, axes)}, {_shape(out_avals[0].shape)})"]


def _scatter_rule(combine):
    def rule(args, in_avals, out_avals, axes):
        (x, updates, *indices), aval = args, in_avals[0]
        lin = _index_offsets(indices, in_avals[2:], aval, axes, "kept_offsets")
        return [f"ah.scatter({x}, {updates}, {lin}, {_slice_layout(aval, axes)}, '{combine}')"]

    return rule


_COMBINE = {None: "replace", np.add: "add", np.multiply: "multiply", np.minimum: "minimum",
            np.maximum: "maximum", np.logaddexp: "logaddexp"}


# ---------------------------------------------------------------- along one axis


def _arg_rule(helper):
    def rule(args, in_avals, out_avals, axis, index_dtype):
        out = out_avals[0]
        return [f"ah.{helper}({args[0]}, {_i(axis)}, np.empty({_shape(out.shape)}, {dtype_code(out.dtype)}))"]

    return rule


def _cumulative_rule(combine):
    def rule(args, in_avals, out_avals, axis, reverse):
        return [f"ah.cumulative({args[0]}, {_i(axis)}, np.bool_({reverse}), '{combine}')"]

    return rule


def _sort(args, in_avals, out_avals, dimension, is_stable, num_keys):
    axis, stable = _i(dimension), f"np.bool_({is_stable})"
    if math.prod(in_avals[0].shape) >= NUMPY_SORT_MIN_SIZE:  # NumPy's sort, called from the kernel
        return [f"ah.numpy_sort({args[0]}, {axis}, {stable})"]
    perm = f"ah.identity_perm({args[0]}, {axis})"
    for key in reversed(args[:num_keys]):  # the least significant key first; each pass is stable
        perm = f"ah.sort_perm({key}, {axis}, {perm})"
    # A rule gives one expression per result, so each result sorts again.
    return [f"ah.take_lanes({x}, {axis}, {perm})" for x in args]


def _sort_lowerable(in_avals, out_avals, **params):
    """Large sorts of several operands run with NumPy: a rule would sort once per result."""
    small = math.prod(in_avals[0].shape) < NUMPY_SORT_MIN_SIZE
    return _no_float16(in_avals, out_avals) and (len(in_avals) == 1 or small)


# ---------------------------------------------------------------- dot_general


def _is_blas_dot(in_avals, dimension_numbers, preferred_element_type):
    """A float matrix-matrix or matrix-vector product: np.dot of (transposed) operands."""
    la, ra = in_avals
    (lc, rc), (lb, rb) = dimension_numbers
    return (not lb and len(lc) == 1 and la.ndim <= 2 and ra.ndim <= 2 and la.ndim + ra.ndim >= 3
            and la.dtype.kind in "fc" and preferred_element_type is None
            and (la.ndim == 1 or lc in ((0,), (1,))) and (ra.ndim == 1 or rc in ((0,), (1,))))


def _dot_general(args, in_avals, out_avals, dimension_numbers, preferred_element_type):
    (lhs, rhs), (la, ra), (out,) = args, in_avals, out_avals
    (lc, rc), (lb, rb) = dimension_numbers
    if _is_blas_dot(in_avals, dimension_numbers, preferred_element_type):
        a = lhs if la.ndim < 2 or lc == (1,) else f"{lhs}.T"
        b = rhs if ra.ndim < 2 or rc == (0,) else f"{rhs}.T"
        return [f"ah.dot({a}, {b})"]
    lf = tuple(d for d in range(la.ndim) if d not in lc and d not in lb)
    rf = tuple(d for d in range(ra.ndim) if d not in rc and d not in rb)
    size = lambda aval, dims: math.prod(aval.shape[d] for d in dims)  # noqa: E731
    sizes = (size(la, lb), size(la, lf), size(la, lc), size(ra, rf))
    operands = []
    for x, aval, perm in ((lhs, la, (*lb, *lf, *lc)), (rhs, ra, (*rb, *rc, *rf))):
        if aval.dtype != out.dtype:  # preferred_element_type: accumulate in the result's type
            x = f"{x}.astype({dtype_code(out.dtype)})"
        strides = _strides(aval.shape)
        shape, steps = _simplify([aval.shape[p] for p in perm], [strides[p] for p in perm])
        operands += [x, f"({_ints(shape)}, {_ints(steps)})"]
    lhs, lhs_layout, rhs, rhs_layout = operands
    return [f"ah.dot_general({lhs}, {rhs}, {lhs_layout}, {rhs_layout}, {_ints(sizes)}, {_shape(out.shape)})"]


# ---------------------------------------------------------------- threefry


def _threefry(args, in_avals, out_avals):
    # Both results come from one pass; a rule gives one expression per result, so it runs twice
    # (still ~5x faster than NumPy).
    call = f"ah.threefry2x32({', '.join(args)})"
    return [f"{call}[0]", f"{call}[1]"]


# ---------------------------------------------------------------- the table

_RULES = {
    reshape_p: _reshape,
    squeeze_p: _reshape,
    transpose_p: _transpose,
    rev_p: _rev,
    slice_p: _slice,
    pad_p: _pad,
    concatenate_p: _concatenate,
    iota_p: _iota,
    _INDEXING["dynamic_slice"]: _dynamic_slice,
    _INDEXING["dynamic_update_slice"]: _dynamic_update_slice,
    _INDEXING["gather"]: _gather,
    **{_INDEXING[name]: _scatter_rule(_COMBINE[combine]) for name, combine in SCATTERS.items()},
    _REDUCTIONS["argmax"]: _arg_rule("argmax"),
    _REDUCTIONS["argmin"]: _arg_rule("argmin"),
    **{_REDUCTIONS[name]: _cumulative_rule(_COMBINE[ufunc]) for name, (ufunc, _) in CUMULATIVE.items()},
    sort_p: _sort,
    dot_general_p: _dot_general,
    threefry2x32_p: _threefry,
}

for _prim, _rule in _RULES.items():
    array_rules[_prim] = _rule
    lowerable_if[_prim] = _sort_lowerable if _prim is sort_p else _no_float16
