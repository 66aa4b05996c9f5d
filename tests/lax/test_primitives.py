"""Every primitive's impl and abstract-eval rule, against NumPy, over dtypes and shapes.

`CASES` is the table: one row (or more) per primitive in `jaxlite.lax.PRIMITIVES`, each with a
hypothesis strategy drawing `(operands, params)` and a NumPy reference written independently
of the impl. `check_primitive` runs one drawn example through every path a primitive has:

  (a) `prim.impl` on ndarrays equals the reference (shape, dtype, values; NaNs equal), and
      leaves its operands untouched;
  (b) `prim.abstract_eval` on the operands' avals gives exactly the impl's shapes and dtypes;
  (c) `prim.bind` eagerly on `Array`s returns writable `Array`s equal to the impl's result;
  (d) `make_jaxpr` of `prim.bind` records one equation with those types, the jaxpr type
      checks and `eval_jaxpr` gives the same values.

Below the table: pinned examples (hand-checked `pad` results, regressions), the exact dtype
loops each elementwise rule accepts, and error cases of the abstract-eval rules.
"""

import dataclasses
import functools
import itertools
import math
from typing import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import jaxlite
from jaxlite import lax
from jaxlite.core import Array, ShapedArray, check_jaxpr, eval_jaxpr

PRIMITIVES = lax.PRIMITIVES

# ---------------------------------------------------------------- dtypes and tolerances

BOOL = [np.dtype(np.bool_)]
SIGNED = [np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64)]
UNSIGNED = [np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64)]
INTEGER = SIGNED + UNSIGNED
FLOAT = [np.dtype(t) for t in (np.float16, np.float32, np.float64)]
COMPLEX = [np.dtype(t) for t in (np.complex64, np.complex128)]
NUMERIC = INTEGER + FLOAT + COMPLEX
ALL = BOOL + NUMERIC
FLOAT_HEAVY = ALL + FLOAT + FLOAT  # where NaN handling is the point, draw floats more often
F32, F64, I32, I64, BOOL_ = np.float32, np.float64, np.int32, np.int64, np.bool_

RTOL = {
    np.dtype(np.float16): 1e-3,
    np.dtype(np.float32): 1e-6,
    np.dtype(np.float64): 1e-13,
    np.dtype(np.complex64): 1e-6,
    np.dtype(np.complex128): 1e-13,
}

# ---------------------------------------------------------------- strategies

NAN, INF = float("nan"), float("inf")


# Strategies are cached: building (and validating) hnp.arrays afresh on every draw is slow.
@functools.cache
def shapes(min_dims=0, max_dims=3, min_side=0, max_side=4):
    """Any shape in the bounds one time in three (rank 0 and zero-size ones are frequent
    there), else one of rank >= 1 with no zero side."""
    general = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)
    nonempty = hnp.array_shapes(
        min_dims=max(min_dims, 1), max_dims=max_dims, min_side=max(min_side, 1), max_side=max_side
    )
    return st.one_of(general, nonempty, nonempty)


def _elements(dtype, kind):
    """Element strategies: "any" (hypothesis' full range: NaN, inf, extremes), "small" integers
    (exact arithmetic), "ties" (a small pool with extremes, NaN, inf and signed zeros, for
    sorting and max/min), or integers in [lo, hi] (clipped to the dtype's range)."""
    if kind == "any":
        return None
    if isinstance(kind, tuple):
        return _index_values(dtype, *kind)
    if dtype.kind == "b":
        return st.booleans()
    if kind == "small":
        pool = st.integers(0 if dtype.kind == "u" else -3, 3)
    elif dtype.kind in "iu":
        info = np.iinfo(dtype)
        pool = st.sampled_from(sorted({int(info.min), -1 if dtype.kind == "i" else 0, 0, 1, 2, int(info.max)}))
    else:
        pool = st.sampled_from([-INF, -1.5, -0.0, 0.0, 1.0, 2.0, NAN, INF])
    if dtype.kind == "c":
        return st.builds(complex, pool, pool)
    return pool.map(float) if dtype.kind == "f" else pool


@functools.cache
def arrays(dtype, shape, elements="any"):
    dtype = np.dtype(dtype)
    return hnp.arrays(dtype, shape, elements=_elements(dtype, elements))


@functools.cache
def _sampled(choices):
    return st.sampled_from(choices)


def dtypes(choices=ALL):
    return _sampled(tuple(choices))


@st.composite
def any_array(draw, choices=ALL, elements="any", **shape_kw):
    return draw(arrays(draw(dtypes(choices)), draw(shapes(**shape_kw)), elements))


def _subset(draw, n, ordered=True, min_size=0):
    """A subset of range(n): sorted, or in a random order (for params given as any order)."""
    perm = draw(st.permutations(range(n)))
    chosen = perm[: draw(st.integers(min(min_size, n), n))]
    return tuple(sorted(chosen)) if ordered else tuple(chosen)


@functools.cache
def _index_values(dtype, lo, hi):
    """Integers in [lo, hi] that fit `dtype`."""
    info = np.iinfo(dtype)
    return st.integers(max(lo, int(info.min)), min(hi, int(info.max)))


def _scalar(draw, dtype, lo, hi):
    return np.asarray(draw(_index_values(dtype, lo, hi)), dtype)


# ---------------------------------------------------------------- elementwise

# Written out here rather than read from lax.elementwise, so a wrong row there is caught.
UFUNC_REFERENCE = {
    "neg": np.negative, "sign": np.sign, "floor": np.floor, "ceil": np.ceil, "trunc": np.trunc,
    "round": np.rint, "is_finite": np.isfinite, "is_inf": np.isinf, "is_nan": np.isnan,
    "signbit": np.signbit, "exp": np.exp, "exp2": np.exp2, "expm1": np.expm1, "log": np.log,
    "log2": np.log2, "log10": np.log10, "log1p": np.log1p, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan, "sinh": np.sinh,
    "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh, "acosh": np.arccosh,
    "atanh": np.arctanh, "sqrt": np.sqrt, "cbrt": np.cbrt, "square": np.square,
    "reciprocal": np.reciprocal, "abs": np.absolute, "conj": np.conjugate, "not": np.invert,
    "bitwise_count": np.bitwise_count, "spacing": np.spacing, "modf": np.modf,
    "frexp": np.frexp,
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
    "floor_divide": np.floor_divide, "rem": np.remainder, "fmod": np.fmod, "pow": np.power,
    "max": np.maximum, "min": np.minimum, "fmax": np.fmax, "fmin": np.fmin, "atan2": np.arctan2,
    "hypot": np.hypot, "copysign": np.copysign, "nextafter": np.nextafter,
    "logaddexp": np.logaddexp, "logaddexp2": np.logaddexp2, "heaviside": np.heaviside,
    "gcd": np.gcd, "lcm": np.lcm, "ldexp": np.ldexp, "and": np.bitwise_and, "or": np.bitwise_or,
    "xor": np.bitwise_xor, "shift_left": np.left_shift, "shift_right": np.right_shift,
    "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal, "gt": np.greater,
    "ge": np.greater_equal,
}


@functools.cache
def ufunc_loops(ufunc):
    """The operand dtypes of `ufunc`'s own loops (from `ufunc.types`) among jaxlite's dtypes."""
    loops = set()
    for signature in ufunc.types:
        try:
            operands = tuple(np.dtype(c) for c in signature.split("->")[0])
        except TypeError:
            continue
        if all(d in ALL for d in operands):
            loops.add(operands)
    return sorted(loops, key=str)


@st.composite
def ufunc_operands(draw, name):
    """Operands of one loop of the ufunc; each is the common shape or rank 0 (which broadcasts)."""
    ufunc = UFUNC_REFERENCE[name]
    shape = draw(shapes())
    operands = []
    for i, dtype in enumerate(draw(st.sampled_from(ufunc_loops(ufunc)))):
        operand_shape = draw(st.sampled_from([shape, shape, ()]))
        if name == "pow" and i == 1 and dtype.kind in "iu":  # NumPy rejects negative int powers
            operands.append(draw(arrays(dtype, operand_shape, (0, 5))))
        else:
            operands.append(draw(arrays(dtype, operand_shape)))
    return tuple(operands), {}


# ---------------------------------------------------------------- complex parts


@st.composite
def complex_operands(draw):
    dtype, shape = draw(dtypes(FLOAT)), draw(shapes())
    re = draw(arrays(dtype, draw(st.sampled_from([shape, ()]))))
    im = draw(arrays(dtype, draw(st.sampled_from([shape, ()]))))
    return (re, im), {}


def complex_reference(re, im):
    """Pairs of floats viewed as complex numbers (no arithmetic, so inf and NaN survive)."""
    cdtype = np.dtype(np.complex128 if re.dtype == np.float64 else np.complex64)
    part = np.float64 if cdtype == np.complex128 else np.float32
    pairs = np.stack(np.broadcast_arrays(re.astype(part), im.astype(part)), axis=-1)
    return np.ascontiguousarray(pairs).view(cdtype)[..., 0]


def unary(choices=ALL, elements="any", **shape_kw):
    return any_array(choices, elements, **shape_kw).map(lambda x: ((x,), {}))


# ---------------------------------------------------------------- shape primitives


@st.composite
def broadcast_in_dim_operands(draw):
    shape = draw(shapes(max_dims=4, max_side=3))
    dims = _subset(draw, len(shape))
    operand_shape = tuple(draw(st.sampled_from([shape[d], 1])) for d in dims)
    x = draw(arrays(draw(dtypes()), operand_shape))
    return (x,), {"shape": tuple(shape), "broadcast_dimensions": dims}


def broadcast_in_dim_reference(x, shape, broadcast_dimensions):
    index = tuple(slice(None) if d in broadcast_dimensions else np.newaxis for d in range(len(shape)))
    return np.broadcast_to(x[index], shape)


def _prime_factors(n):
    factors, p = [], 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    return factors


@st.composite
def reshape_operands(draw):
    x = draw(any_array(max_dims=4))
    rank = draw(st.integers(0, 4))
    if x.size == 0:
        new = list(draw(shapes(min_dims=max(rank, 1), max_dims=max(rank, 1))))
        new[draw(st.integers(0, len(new) - 1))] = 0
    else:
        rank = max(rank, 1) if x.size > 1 else rank
        new = [1] * rank
        for factor in _prime_factors(x.size):
            new[draw(st.integers(0, rank - 1))] *= factor
    return (x,), {"new_sizes": tuple(new)}


def reshape_reference(x, new_sizes):
    out = np.empty(new_sizes, x.dtype)
    out.ravel()[:] = [x[i] for i in np.ndindex(x.shape)]  # C order, element by element
    return out


@st.composite
def transpose_operands(draw):
    x = draw(any_array(max_dims=4))
    return (x,), {"permutation": tuple(draw(st.permutations(range(x.ndim))))}


def transpose_reference(x, permutation):
    out = np.empty([x.shape[p] for p in permutation], x.dtype)
    for index in np.ndindex(out.shape):
        source = [0] * x.ndim
        for i, p in enumerate(permutation):
            source[p] = index[i]
        out[index] = x[tuple(source)]
    return out


@st.composite
def squeeze_operands(draw):
    shape = list(draw(shapes(max_dims=4)))
    dims = _subset(draw, len(shape), ordered=False)
    for d in dims:
        shape[d] = 1
    return (draw(arrays(draw(dtypes()), tuple(shape))),), {"dimensions": dims}


def squeeze_reference(x, dimensions):
    return x.reshape([s for d, s in enumerate(x.shape) if d not in dimensions])


@st.composite
def rev_operands(draw):
    x = draw(any_array())
    return (x,), {"dimensions": _subset(draw, x.ndim, ordered=False)}


def rev_reference(x, dimensions):
    return x[tuple(slice(None, None, -1) if d in dimensions else slice(None) for d in range(x.ndim))]


@st.composite
def slice_operands(draw):
    x = draw(any_array(max_side=6))
    starts, limits, strides = [], [], []
    for n in x.shape:
        lo = draw(st.integers(0, n))
        starts.append(lo)
        limits.append(draw(st.integers(lo, n)))
        strides.append(draw(st.integers(1, 3)))
    strides = tuple(strides) if draw(st.booleans()) else None
    return (x,), {"start_indices": tuple(starts), "limit_indices": tuple(limits), "strides": strides}


def slice_reference(x, start_indices, limit_indices, strides):
    strides = strides or (1,) * x.ndim
    for axis, (lo, hi, step) in enumerate(zip(start_indices, limit_indices, strides)):
        x = np.take(x, np.arange(lo, hi, step, dtype=np.intp), axis=axis)
    return x


@st.composite
def pad_operands(draw, general):
    """`general`: negative edge padding and interior padding; else what np.pad can do."""
    x = draw(any_array())
    config = []
    for n in x.shape:
        if not general:
            config.append((draw(st.integers(0, 3)), draw(st.integers(0, 3)), 0))
            continue
        interior = draw(st.integers(0, 2))
        core = n + max(n - 1, 0) * interior
        lo = draw(st.integers(-core - 1, 3))
        hi = draw(st.integers(max(-core - lo, -3), 3))  # keeps the padded size >= 0
        config.append((lo, hi, interior))
    value = draw(arrays(x.dtype, ()))
    return (x, value), {"padding_config": tuple(config)}


def pad_numpy_reference(x, value, padding_config):
    if x.ndim == 0:
        return x.copy()
    return np.pad(x, [(lo, hi) for lo, hi, _ in padding_config], constant_values=value)


def pad_reference(x, value, padding_config):
    """XLA's pad built row by row: interior fill, then edge fill, then negative edges crop."""
    for axis, (lo, hi, interior) in enumerate(padding_config):
        x = np.moveaxis(x, axis, 0)
        fill = np.full(x.shape[1:], value, x.dtype)
        rows = []
        for i in range(x.shape[0]):
            rows += [fill] * (interior if i else 0) + [x[i]]
        rows = [fill] * max(lo, 0) + rows + [fill] * max(hi, 0)
        rows = rows[max(-lo, 0) : len(rows) - max(-hi, 0)]
        x = np.stack(rows) if rows else np.empty((0, *x.shape[1:]), x.dtype)
        x = np.moveaxis(x, 0, axis)
    return x


@st.composite
def concatenate_operands(draw):
    dtype, shape = draw(dtypes()), list(draw(shapes(min_dims=1)))
    dimension = draw(st.integers(0, len(shape) - 1))
    operands = []
    for _ in range(draw(st.integers(1, 4))):
        shape[dimension] = draw(st.integers(0, 3))
        operands.append(draw(arrays(dtype, tuple(shape))))
    return tuple(operands), {"dimension": dimension}


def concatenate_reference(*xs, dimension):
    shape = list(xs[0].shape)
    shape[dimension] = sum(x.shape[dimension] for x in xs)
    out, start = np.empty(shape, xs[0].dtype), 0
    for x in xs:
        index = [slice(None)] * len(shape)
        index[dimension] = slice(start, start + x.shape[dimension])
        out[tuple(index)] = x
        start += x.shape[dimension]
    return out


@st.composite
def convert_operands(draw):
    x = draw(any_array())
    return (x,), {"new_dtype": draw(dtypes()), "weak_type": draw(st.booleans())}


@st.composite
def iota_operands(draw):
    shape = draw(shapes(min_dims=1))
    dimension = draw(st.integers(0, len(shape) - 1))
    return (), {"dtype": draw(dtypes(NUMERIC)), "shape": tuple(shape), "dimension": dimension}


def iota_reference(dtype, shape, dimension):
    return np.indices(shape)[dimension].astype(dtype)


@st.composite
def select_n_operands(draw):
    which_dtype = draw(dtypes(BOOL + INTEGER))
    n = 2 if which_dtype.kind == "b" else draw(st.integers(1, 4))
    dtype, shape = draw(dtypes()), draw(shapes())
    cases = [draw(arrays(dtype, shape)) for _ in range(n)]
    which_shape = draw(st.sampled_from([shape, ()]))
    which = draw(arrays(which_dtype, which_shape, "any" if which_dtype.kind == "b" else (0, n - 1)))
    return (which, *cases), {}


def select_n_reference(which, *cases):
    shape = cases[0].shape
    out = np.array(cases[0])
    for k, case in enumerate(cases):
        chosen = np.broadcast_to(np.asarray(which).astype(np.int64) == k, shape)
        out[chosen] = case[chosen]
    return out


# ---------------------------------------------------------------- indexing


@st.composite
def index_arrays(draw, operand_shape, axes, batch_shape, margin=2):
    """One index array per axis, each of any integer dtype, with values up to `margin` out of
    range on either side."""
    return [
        draw(arrays(draw(dtypes(INTEGER)), batch_shape, (-margin, operand_shape[a] - 1 + margin)))
        for a in axes
    ]


@st.composite
def gather_operands(draw):
    x = draw(any_array(max_side=3))
    axes = _subset(draw, x.ndim, ordered=False)
    batch = draw(shapes(max_dims=2, max_side=3)) if axes else ()
    if any(x.shape[a] == 0 for a in axes):  # only no indices at all can index an empty axis
        batch = (0, *batch[1:])
    indices = draw(index_arrays(x.shape, axes, batch))
    return (x, *indices), {"axes": axes}


def gather_reference(operand, *indices, axes):
    """Element by element, each index clamped into its axis."""
    batch = indices[0].shape if indices else ()
    rest = [s for d, s in enumerate(operand.shape) if d not in axes]
    out = np.empty((*batch, *rest), operand.dtype)
    for b in np.ndindex(batch):
        where = [slice(None)] * operand.ndim
        for index, axis in zip(indices, axes):
            where[axis] = min(max(int(index[b]), 0), operand.shape[axis] - 1)
        out[b] = operand[tuple(where)]
    return out


def _scatter_position(operand_shape, indices, axes, b):
    position = [int(index[b]) for index in indices]
    if all(0 <= p < operand_shape[a] for p, a in zip(position, axes)):
        return tuple(position)
    return None


@st.composite
def scatter_operands(draw, unique=False, elements="any"):
    """`unique`: updates aimed at one in-range position are made equal, since the order in
    which plain `scatter` writes duplicates is unspecified."""
    x = draw(any_array(elements=elements, min_dims=1, max_side=3))
    axes = _subset(draw, x.ndim, ordered=False, min_size=1)
    batch = draw(shapes(min_dims=1, max_dims=2, min_side=1))  # so duplicate indices are likely
    indices = draw(index_arrays(x.shape, axes, batch, margin=1))
    rest = tuple(s for d, s in enumerate(x.shape) if d not in axes)
    updates = draw(arrays(x.dtype, (*batch, *rest), elements))
    if unique:
        first = {}
        for b in np.ndindex(batch):
            position = _scatter_position(x.shape, indices, axes, b)
            if position is not None:
                updates[b] = updates[first.setdefault(position, b)]
    return (x, updates, *indices), {"axes": axes}


def scatter_reference(combine):
    """One update at a time; out-of-range positions dropped."""

    def reference(operand, updates, *indices, axes):
        out = np.array(operand)
        batch = indices[0].shape if indices else ()
        for b in np.ndindex(batch):
            position = _scatter_position(operand.shape, indices, axes, b)
            if position is None:
                continue
            where = [slice(None)] * operand.ndim
            for p, axis in zip(position, axes):
                where[axis] = p
            where = tuple(where)
            out[where] = updates[b] if combine is None else combine(out[where], updates[b])
        return out

    return reference


def _clamp(start, n, size):
    return min(max(int(start), 0), n - size)


@st.composite
def dynamic_slice_operands(draw):
    x = draw(any_array())
    sizes = tuple(draw(st.integers(0, n)) for n in x.shape)
    starts = [_scalar(draw, draw(dtypes(INTEGER)), -3, n + 2) for n in x.shape]
    return (x, *starts), {"slice_sizes": sizes}


def dynamic_slice_reference(operand, *starts, slice_sizes):
    starts = [_clamp(s, n, k) for s, n, k in zip(starts, operand.shape, slice_sizes)]
    return operand[tuple(slice(s, s + k) for s, k in zip(starts, slice_sizes))]


@st.composite
def dynamic_update_slice_operands(draw):
    x = draw(any_array())
    update = draw(arrays(x.dtype, tuple(draw(st.integers(0, n)) for n in x.shape)))
    starts = [_scalar(draw, draw(dtypes(INTEGER)), -3, n + 2) for n in x.shape]
    return (x, update, *starts), {}


def dynamic_update_slice_reference(operand, update, *starts):
    out = np.array(operand)
    starts = [_clamp(s, n, k) for s, n, k in zip(starts, operand.shape, update.shape)]
    out[tuple(slice(s, s + k) for s, k in zip(starts, update.shape))] = update
    return out


# ---------------------------------------------------------------- reductions


@st.composite
def reduce_operands(draw, choices, nonempty=False, elements="any"):
    """`nonempty`: only reduce axes of nonzero size (max and min have no identity)."""
    x = draw(any_array(choices, elements))
    axes = _subset(draw, x.ndim, ordered=False)
    if nonempty:
        axes = tuple(a for a in axes if x.shape[a] > 0)
    return (x,), {"axes": axes}


def fold_reference(op, identity=None):
    """Reduce by folding `op` over the reduced elements one at a time, from `identity` (or
    from the first element)."""

    def reference(x, axes):
        rest = [d for d in range(x.ndim) if d not in axes]
        lanes = np.transpose(x, rest + list(axes))
        count = math.prod(x.shape[a] for a in axes)
        lanes = lanes.reshape(*(x.shape[d] for d in rest), count)
        if identity is None:
            out, start = lanes[..., 0], 1
        else:
            out, start = np.full(lanes.shape[:-1], np.array(identity).astype(x.dtype), x.dtype), 0
        for i in range(start, count):
            out = op(out, lanes[..., i])
        return out

    return reference


@st.composite
def arg_operands(draw):
    x = draw(any_array(FLOAT_HEAVY, "ties", min_dims=1, min_side=1))
    return (x,), {"axis": draw(st.integers(0, x.ndim - 1)), "index_dtype": draw(dtypes(INTEGER))}


def arg_reference(numpy_fn):
    return lambda x, axis, index_dtype: numpy_fn(x, axis=axis).astype(index_dtype)


@st.composite
def cumulative_operands(draw, choices, elements="any"):
    x = draw(any_array(choices, elements, min_dims=1))
    return (x,), {"axis": draw(st.integers(0, x.ndim - 1)), "reverse": draw(st.booleans())}


def scan_reference(op):
    """A running `op` along the axis, one slice at a time (reverse: from the end)."""

    def reference(x, axis, reverse):
        lanes = np.moveaxis(x, axis, 0)
        order = range(lanes.shape[0] - 1, -1, -1) if reverse else range(lanes.shape[0])
        out, total = np.empty_like(lanes), None
        for i in order:
            total = lanes[i] if total is None else op(total, lanes[i])
            out[i] = total
        return np.moveaxis(out, 0, axis)

    return reference


# ---------------------------------------------------------------- dot_general and sort


@st.composite
def dot_general_operands(draw):
    counts = {k: draw(st.integers(0, 2)) for k in ("batch", "contract", "lhs", "rhs")}
    size = {(k, i): draw(st.integers(0, 3)) for k, n in counts.items() for i in range(n)}
    lhs_axes = draw(st.permutations([a for a in size if a[0] != "rhs"]))
    rhs_axes = draw(st.permutations([a for a in size if a[0] != "lhs"]))
    lb, rb, lc, rc = (
        tuple(axes.index((kind, i)) for i in range(counts[kind]))
        for kind in ("batch", "contract")
        for axes in (lhs_axes, rhs_axes)
    )
    dtype = draw(dtypes())
    # Integer arithmetic wraps exactly in any order, so integers take their full range; floats
    # are small integers, so sums are exact whatever order the impl adds in.
    elements = "any" if dtype.kind in "iu" else "small"
    lhs = draw(arrays(dtype, tuple(size[a] for a in lhs_axes), elements))
    rhs = draw(arrays(dtype, tuple(size[a] for a in rhs_axes), elements))
    params = {
        "dimension_numbers": ((lc, rc), (lb, rb)),
        "preferred_element_type": draw(st.sampled_from([None, *accumulation_types(dtype)])),
    }
    return (lhs, rhs), params


def accumulation_types(dtype):
    """The preferred_element_types jax.lax.dot_general accepts for `dtype`: at least as wide,
    of the same kind (JAX rejects narrowing, and float or complex to integer or real)."""
    if dtype.kind == "b":
        return []
    return [d for d in ALL if d.kind == dtype.kind and d.itemsize >= dtype.itemsize]


def dot_general_reference(lhs, rhs, dimension_numbers, preferred_element_type=None):
    """np.einsum with labels from the dimension numbers, accumulating in preferred_element_type
    when given ("accumulate results to and return a result with that datatype", as JAX says)."""
    (lc, rc), (lb, rb) = dimension_numbers
    lhs_labels, rhs_labels = list(range(lhs.ndim)), list(range(lhs.ndim, lhs.ndim + rhs.ndim))
    for left, right in zip((*lc, *lb), (*rc, *rb)):
        rhs_labels[right] = lhs_labels[left]
    out_labels = [lhs_labels[d] for d in lb]
    out_labels += [lhs_labels[d] for d in range(lhs.ndim) if d not in (*lc, *lb)]
    out_labels += [rhs_labels[d] for d in range(rhs.ndim) if d not in (*rc, *rb)]
    if preferred_element_type is not None:
        lhs, rhs = lhs.astype(preferred_element_type), rhs.astype(preferred_element_type)
    return np.einsum(lhs, lhs_labels, rhs, rhs_labels, out_labels)


@st.composite
def sort_operands(draw):
    shape = draw(shapes(min_dims=1))
    operands = tuple(draw(arrays(draw(dtypes()), shape, "ties")) for _ in range(draw(st.integers(1, 3))))
    num_keys = draw(st.integers(1, len(operands)))
    # Unstable sorting leaves the order of non-key operands among tied keys unspecified.
    is_stable = draw(st.booleans()) if num_keys == len(operands) else True
    return operands, {"dimension": draw(st.integers(0, len(shape) - 1)), "is_stable": is_stable, "num_keys": num_keys}


def sort_reference(*operands, dimension, is_stable, num_keys):
    """np.lexsort of each lane (its last key is the primary one)."""
    moved = [np.moveaxis(x, dimension, -1) for x in operands]
    outs = [np.empty_like(m) for m in moved]
    for lane in np.ndindex(moved[0].shape[:-1]):
        perm = np.lexsort([m[lane] for m in moved[:num_keys][::-1]])
        for m, out in zip(moved, outs):
            out[lane] = m[lane][perm]
    return [np.moveaxis(out, -1, dimension) for out in outs]


# ---------------------------------------------------------------- the table


# ---------------------------------------------------------------- random bits


@st.composite
def threefry_operands(draw):
    words = st.integers(0, 2**32 - 1)
    shape = draw(shapes(max_dims=2))
    key = [np.uint32(draw(words)) for _ in range(2)]
    counts = [np.asarray(draw(arrays(np.uint32, shape, words))) for _ in range(2)]
    return (*key, *counts), {}


def _threefry_scalar(k0, k1, x0, x1):
    """Threefry-2x32-20 on Python ints, written independently of the NumPy impl."""
    mask = 0xFFFFFFFF
    ks = (k0, k1, k0 ^ k1 ^ 0x1BD11BDA)
    x0, x1 = (x0 + ks[0]) & mask, (x1 + ks[1]) & mask
    rotations = ((13, 15, 26, 6), (17, 29, 16, 24))
    for block in range(5):
        for r in rotations[block % 2]:
            x0 = (x0 + x1) & mask
            x1 = (((x1 << r) | (x1 >> (32 - r))) & mask) ^ x0
        x0 = (x0 + ks[(block + 1) % 3]) & mask
        x1 = (x1 + ks[(block + 2) % 3] + block + 1) & mask
    return x0, x1


def threefry_reference(k0, k1, c0, c1):
    pairs = [_threefry_scalar(int(k0), int(k1), int(a), int(b)) for a, b in zip(c0.ravel(), c1.ravel())]
    out0 = np.array([p[0] for p in pairs], np.uint32).reshape(c0.shape)
    out1 = np.array([p[1] for p in pairs], np.uint32).reshape(c0.shape)
    return [out0, out1]


@pytest.mark.parametrize("key,counts,expected", [
    ((0, 0), (0, 0), (0x6B200159, 0x99BA4EFE)),
    ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
    ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0)),
])
def test_threefry2x32_known_answers(key, counts, expected):
    """Random123's known-answer vectors for Threefry-2x32-20."""
    out = PRIMITIVES["threefry2x32"].impl(*(np.uint32(k) for k in key), *(np.array([c], np.uint32) for c in counts))
    assert [int(o[0]) for o in out] == list(expected)


@dataclasses.dataclass(frozen=True)
class Case:
    prim: str
    operands: st.SearchStrategy  # draws (tuple of ndarrays, dict of params)
    reference: Callable
    label: str = ""

    @property
    def id(self):
        return f"{self.prim}-{self.label}" if self.label else self.prim


CASES = [
    *(Case(name, ufunc_operands(name), ufunc) for name, ufunc in UFUNC_REFERENCE.items()),
    Case("real", unary(), lambda x: x.real),
    Case("imag", unary(), lambda x: x.imag if x.dtype.kind == "c" else np.zeros_like(x)),
    Case("complex", complex_operands(), complex_reference),
    Case("broadcast_in_dim", broadcast_in_dim_operands(), broadcast_in_dim_reference),
    Case("reshape", reshape_operands(), reshape_reference),
    Case("transpose", transpose_operands(), transpose_reference),
    Case("squeeze", squeeze_operands(), squeeze_reference),
    Case("rev", rev_operands(), rev_reference),
    Case("slice", slice_operands(), slice_reference),
    Case("pad", pad_operands(general=False), pad_numpy_reference, "np.pad"),
    Case("pad", pad_operands(general=True), pad_reference, "interior-and-negative"),
    Case("concatenate", concatenate_operands(), concatenate_reference),
    Case("convert_element_type", convert_operands(), lambda x, new_dtype, weak_type: x.astype(new_dtype)),
    Case("copy", unary(), lambda x: x.copy()),
    Case("stop_gradient", unary(), lambda x: x),
    Case("threefry2x32", threefry_operands(), threefry_reference),
    Case("iota", iota_operands(), iota_reference),
    Case("select_n", select_n_operands(), select_n_reference),
    Case("gather", gather_operands(), gather_reference),
    Case("scatter", scatter_operands(unique=True), scatter_reference(None)),
    Case("scatter_add", scatter_operands(), scatter_reference(np.add)),
    Case("scatter_mul", scatter_operands(elements="small"), scatter_reference(np.multiply)),  # small: see cumprod
    Case("scatter_min", scatter_operands(elements="ties"), scatter_reference(np.minimum)),
    Case("scatter_max", scatter_operands(elements="ties"), scatter_reference(np.maximum)),
    Case("dynamic_slice", dynamic_slice_operands(), dynamic_slice_reference),
    Case("dynamic_update_slice", dynamic_update_slice_operands(), dynamic_update_slice_reference),
    Case("reduce_sum", reduce_operands(ALL), lambda x, axes: np.sum(x, axis=axes, dtype=x.dtype)),
    Case("reduce_prod", reduce_operands(ALL), lambda x, axes: np.prod(x, axis=axes, dtype=x.dtype)),
    Case("reduce_max", reduce_operands(FLOAT_HEAVY, True, "ties"), fold_reference(np.maximum)),
    Case("reduce_min", reduce_operands(FLOAT_HEAVY, True, "ties"), fold_reference(np.minimum)),
    Case("reduce_and", reduce_operands(BOOL + INTEGER), fold_reference(np.bitwise_and, -1)),
    Case("reduce_or", reduce_operands(BOOL + INTEGER), fold_reference(np.bitwise_or, 0)),
    Case("reduce_xor", reduce_operands(BOOL + INTEGER), fold_reference(np.bitwise_xor, 0)),
    Case("argmax", arg_operands(), arg_reference(np.argmax)),
    Case("argmin", arg_operands(), arg_reference(np.argmin)),
    Case("cumsum", cumulative_operands(ALL), scan_reference(np.add)),
    # small values: where complex products overflow, NumPy's accumulate and ufunc.at loops and
    # its plain multiply loop disagree on inf vs NaN parts (e.g. -inf+nanj vs -inf+infj)
    Case("cumprod", cumulative_operands(ALL, "small"), scan_reference(np.multiply)),
    Case("cummax", cumulative_operands(BOOL + INTEGER + 3 * FLOAT, "ties"), scan_reference(np.maximum)),
    Case("cummin", cumulative_operands(BOOL + INTEGER + 3 * FLOAT, "ties"), scan_reference(np.minimum)),
    Case("cumlogsumexp", cumulative_operands(FLOAT), scan_reference(np.logaddexp)),
    Case("dot_general", dot_general_operands(), dot_general_reference),
    Case("sort", sort_operands(), sort_reference),
]


def test_every_primitive_has_a_case():
    covered = {case.prim for case in CASES}
    assert sorted(set(PRIMITIVES) - covered) == [], "primitives without a test case"
    assert sorted(covered - set(PRIMITIVES)) == [], "test cases of unknown primitives"


CASES_BY_ID = {case.id: case for case in CASES}


def test_case_ids_are_unique():
    assert len(CASES_BY_ID) == len(CASES)


# ---------------------------------------------------------------- the generic checker


def assert_same(got, want, what):
    """`got` has `want`'s shape and dtype and its values (NaNs equal; floats to RTOL)."""
    assert isinstance(got, (np.ndarray, np.generic)), f"{what}: got a {type(got).__name__}"
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, expected {want.shape}"
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, expected {want.dtype}"
    if want.dtype.kind in "fc":
        np.testing.assert_allclose(got, want, rtol=RTOL[want.dtype], atol=0, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(got, want, err_msg=what)


def _as_list(prim, out, what):
    if prim.multiple_results:
        assert isinstance(out, (list, tuple)), f"{what}: a multiple-results primitive gave {type(out).__name__}"
        return list(out)
    return [out]


def _types(values):
    return [(tuple(np.shape(v)), np.asarray(v).dtype) for v in values]


def _aval_types(avals):
    avals = list(avals)
    assert all(isinstance(a, ShapedArray) for a in avals), avals
    return [(a.shape, a.dtype) for a in avals]


def check_primitive(name, operands, params, reference):
    prim = PRIMITIVES[name]
    before = [(x.shape, x.dtype, x.tobytes()) for x in operands]
    with np.errstate(all="ignore"):
        expected = _as_list(prim, reference(*[x.copy() for x in operands], **params), "reference")
        out = _as_list(prim, prim.impl(*operands, **params), "impl")

    # (a) impl against the reference; operands untouched
    assert len(out) == len(expected), f"impl gave {len(out)} results, expected {len(expected)}"
    for i, (got, want) in enumerate(zip(out, expected)):
        assert_same(got, want, f"{name} impl, result {i}")
    assert [(x.shape, x.dtype, x.tobytes()) for x in operands] == before, f"{name} impl mutated an operand"

    # (b) abstract eval against the impl
    avals = [ShapedArray(x.shape, x.dtype) for x in operands]
    out_avals = _as_list(prim, prim.abstract_eval(*avals, **params), "abstract_eval")
    assert _aval_types(out_avals) == _types(out), f"{name}: abstract eval disagrees with impl"

    # (c) eager bind on Arrays
    with np.errstate(all="ignore"):
        eager = _as_list(prim, prim.bind(*[Array(x.copy()) for x in operands], **params), "bind")
    assert len(eager) == len(out)
    for i, (got, want) in enumerate(zip(eager, out)):
        assert type(got) is Array, f"{name} bind, result {i}: a {type(got).__name__}"
        assert np.asarray(got).flags.writeable, f"{name} bind, result {i}: read-only"
        assert_same(np.asarray(got), want, f"{name} bind, result {i}")

    # (d) traced: one equation of the right types, type checks, evaluates to the same values
    closed = jaxlite.make_jaxpr(lambda *xs: prim.bind(*xs, **params))(*operands)
    assert len(closed.eqns) == 1 and closed.eqns[0].primitive is prim, str(closed)
    assert _aval_types(v.aval for v in closed.eqns[0].outvars) == _types(out), str(closed)
    assert _aval_types(closed.out_avals) == _types(out), str(closed)
    check_jaxpr(closed.jaxpr)
    with np.errstate(all="ignore"):
        traced = eval_jaxpr(closed.jaxpr, closed.consts, *[Array(x.copy()) for x in operands])
    assert len(traced) == len(out)
    for i, (got, want) in enumerate(zip(traced, out)):
        assert type(got) is Array
        assert_same(np.asarray(got), want, f"{name} eval_jaxpr, result {i}")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_primitive(case, data):
    operands, params = data.draw(case.operands, label="(operands, params)")
    check_primitive(case.prim, operands, params, case.reference)


# ---------------------------------------------------------------- pinned examples


def _a(values, dtype=np.int64):
    return np.array(values, dtype)


def _pad(x, value, config, expected):
    operands = (x, np.asarray(value, x.dtype))
    return "pad-interior-and-negative", operands, {"padding_config": tuple(map(tuple, config))}, expected


# Hand-checked results, and regressions of bugs hypothesis found: (case id, operands, params,
# expected result). Each runs through the same checker as the table, and checks that case's
# reference too.
PINNED = [
    _pad(_a([1, 2, 3]), 0, [(0, 0, 1)], _a([1, 0, 2, 0, 3])),
    _pad(_a([1, 2, 3]), 0, [(-1, 0, 0)], _a([2, 3])),
    _pad(_a([1, 2, 3]), 0, [(1, -1, 0)], _a([0, 1, 2])),
    _pad(_a([1, 2, 3]), 9, [(-2, 1, 1)], _a([2, 9, 3, 9])),
    _pad(_a([1, 2]), 0, [(-3, 2, 0)], _a([0])),  # the low crop reaches into the high padding
    _pad(_a([1, 2]), 0, [(2, -3, 0)], _a([0])),  # and the high crop into the low padding
    _pad(_a([1, 2, 3]), 0, [(-2, -1, 0)], _a([])),
    _pad(_a([5]), 0, [(0, 0, 3)], _a([5])),  # interior padding needs two elements
    _pad(_a([]), 7, [(1, 1, 2)], _a([7, 7])),
    _pad(_a([[1, 2], [3, 4]]), 0, [(1, 0, 1), (0, -1, 0)], _a([[0], [1], [0], [3]])),
    _pad(_a([[1, 2], [3, 4]]), -1, [(0, 1, 0), (1, 0, 1)], _a([[-1, 1, -1, 2], [-1, 3, -1, 4], [-1, -1, -1, -1]])),
    _pad(_a([1.5, 2.5], np.float32), NAN, [(1, 0, 1)], _a([NAN, 1.5, NAN, 2.5], np.float32)),
    # np.choose cannot cast a uint64 predicate to intp under its 'safe' rule
    ("select_n", (_a([1, 0], np.uint64), _a([1.0, 2.0], F64), _a([3.0, 4.0], F64)), {}, _a([3.0, 2.0], F64)),
    # np.imag of a real array is a read-only view; bind must still give a writable Array
    ("imag", (_a([1.0, 2.0], F64),), {}, _a([0.0, 0.0], F64)),
    ("imag", (_a(True, np.bool_),), {}, _a(False, np.bool_)),
    # an empty gather from an axis of size 0 is valid
    ("gather", (_a([[]]).reshape(1, 0), _a([], np.int32)), {"axes": (1,)}, _a([]).reshape(0, 1)),
    # clamping: negative starts go to 0, too-large ones to n - size (not wrapped)
    ("dynamic_slice", (_a([0, 1, 2, 3]), _a(-1)), {"slice_sizes": (2,)}, _a([0, 1])),
    ("dynamic_slice", (_a([0, 1, 2, 3]), _a(3, np.uint8)), {"slice_sizes": (2,)}, _a([2, 3])),
    ("dynamic_update_slice", (_a([0, 1, 2, 3]), _a([8, 9]), _a(7)), {}, _a([0, 1, 8, 9])),
    ("gather", (_a([10, 11, 12]), _a([-1, 1, 5], np.int8)), {"axes": (0,)}, _a([10, 11, 12])),
    ("scatter_add", (_a([0, 0, 0]), _a([1, 2, 4, 8]), _a([1, 1, -1, 3])), {"axes": (0,)}, _a([0, 3, 0])),
    # preferred_element_type is the accumulation type: int8 products summed in int32
    ("dot_general", (_a([100, 100], np.int8), _a([100, 1], np.int8)),
     {"dimension_numbers": (((0,), (0,)), ((), ())), "preferred_element_type": np.dtype(np.int32)},
     _a(10100, np.int32)),
]


@pytest.mark.parametrize("case_id, operands, params, expected", PINNED, ids=[p[0] for p in PINNED])
def test_pinned_example(case_id, operands, params, expected):
    case = CASES_BY_ID[case_id]
    check_primitive(case.prim, operands, params, lambda *operands, **params: expected)
    assert_same(np.asarray(case.reference(*operands, **params)), expected, f"the reference of {case_id}")


# ---------------------------------------------------------------- dtype loops of elementwise rules


@pytest.mark.parametrize("name", sorted(UFUNC_REFERENCE))
def test_elementwise_rule_accepts_exactly_the_ufunc_loops(name):
    """Operands already promoted to one of the ufunc's own loops are accepted; any other dtype
    combination is a TypeError naming the primitive (jaxlite.numpy promotes first)."""
    prim, ufunc = PRIMITIVES[name], UFUNC_REFERENCE[name]
    loops = set(ufunc_loops(ufunc))
    for combo in itertools.product(ALL, repeat=ufunc.nin):
        avals = [ShapedArray((2,), d) for d in combo]
        if combo in loops:
            with np.errstate(all="ignore"):
                out = ufunc(*[np.zeros(2, d) for d in combo])
            out = list(out) if ufunc.nout > 1 else [out]
            got = _as_list(prim, prim.abstract_eval(*avals), "abstract_eval")
            assert _aval_types(got) == _types(out), combo
        else:
            with pytest.raises(TypeError, match=name):
                prim.abstract_eval(*avals)


# ---------------------------------------------------------------- abstract-eval errors


def sa(shape, dtype=np.float64):
    return ShapedArray(shape, dtype)



ERRORS = [
    # (primitive, avals, params, error, message pattern)
    ("add", [sa((3,), F32), sa((3,), F64)], {}, TypeError, r"add needs operands already promoted.*float32, float64"),
    ("add", [sa((3,)), sa((4,))], {}, ValueError, r"add: .*\(3,\), \(4,\)"),
    ("lt", [sa((2, 3)), sa((3, 2))], {}, ValueError, r"lt: .*\(2, 3\), \(3, 2\)"),
    ("mul", [sa((2, 3)), sa((3,))], {}, ValueError, r"\(2, 3\), \(3,\)"),  # no NumPy broadcasting
    ("sin", [sa((3,), I64)], {}, TypeError, r"sin"),
    ("not", [sa((), F64)], {}, TypeError, r"not does not support .*float64"),
    ("shift_left", [sa((2,), I32), sa((2,), I64)], {}, TypeError, r"shift_left"),
    ("modf", [sa((2,), I64)], {}, TypeError, r"modf"),
    ("complex", [sa((2,), F32), sa((2,), F64)], {}, TypeError, r"complex.*float32, float64"),
    ("complex", [sa((2,), I64), sa((2,), I64)], {}, TypeError, r"complex.*int64"),
    ("complex", [sa((2,)), sa((3,))], {}, ValueError, r"\(2,\), \(3,\)"),
    ("reduce_sum", [sa((2, 3))], {"axes": (2,)}, ValueError, r"axis 2 is out of range .* rank 2"),
    ("reduce_sum", [sa((2, 3))], {"axes": (0, 0)}, ValueError, r"repeated axis"),
    ("reduce_prod", [sa((2, 3))], {"axes": (-1,)}, ValueError, r"axis -1 is out of range"),
    ("reduce_max", [sa((0, 3))], {"axes": (0,)}, ValueError, r"reduce_max: zero-size .*\(0, 3\)"),
    ("reduce_min", [sa((3, 0))], {"axes": (0, 1)}, ValueError, r"reduce_min: zero-size"),
    ("reduce_and", [sa((3,))], {"axes": (0,)}, TypeError, r"reduce_and does not support dtype float64"),
    ("argmax", [sa((3, 0))], {"axis": 1, "index_dtype": np.dtype(I64)}, ValueError, r"argmax.*empty"),
    ("argmin", [sa((3,))], {"axis": 1, "index_dtype": np.dtype(I64)}, ValueError, r"out of range"),
    ("argmax", [sa((3,))], {"axis": 0, "index_dtype": np.dtype(F64)}, TypeError, r"index_dtype"),
    ("cumsum", [sa((3,))], {"axis": 1, "reverse": False}, ValueError, r"cumsum: axis 1 is out of range"),
    ("cumsum", [sa(())], {"axis": 0, "reverse": False}, ValueError, r"out of range .* rank 0"),
    ("cumlogsumexp", [sa((3,), I64)], {"axis": 0, "reverse": False}, TypeError, r"cumlogsumexp.*int64"),
    ("cummax", [sa((3,), np.complex128)], {"axis": 0, "reverse": False}, TypeError, r"cummax.*complex128"),
    ("dot_general", [sa((2, 3)), sa((4, 5))], {"dimension_numbers": (((1,), (0,)), ((), ()))},
     ValueError, r"contracting.*\(2, 3\).*\(4, 5\)"),
    ("dot_general", [sa((2, 3)), sa((4, 3))], {"dimension_numbers": (((1,), (1,)), ((0,), (0,)))},
     ValueError, r"batch.*\(2, 3\).*\(4, 3\)"),
    ("dot_general", [sa((2, 3)), sa((3, 2))], {"dimension_numbers": (((1,), ()), ((), ()))},
     ValueError, r"unequal numbers of axes"),
    ("dot_general", [sa((2, 3)), sa((3, 2))], {"dimension_numbers": (((2,), (0,)), ((), ()))},
     ValueError, r"axis 2 is out of range"),
    ("dot_general", [sa((2, 3), F32), sa((3, 2))], {"dimension_numbers": (((1,), (0,)), ((), ()))},
     TypeError, r"share a dtype.*float32.*float64"),
    ("reshape", [sa((2, 3))], {"new_sizes": (4, 2)}, ValueError, r"shape \(2, 3\) into shape \(4, 2\)"),
    ("reshape", [sa((2, 3))], {"new_sizes": (-1, -6)}, ValueError, r"reshape"),
    ("transpose", [sa((2, 3))], {"permutation": (0, 0)}, ValueError, r"not a permutation .*\(2, 3\)"),
    ("transpose", [sa((2, 3))], {"permutation": (1, 0, 2)}, ValueError, r"not a permutation"),
    ("squeeze", [sa((2, 1))], {"dimensions": (0,)}, ValueError, r"not all of size 1"),
    ("squeeze", [sa((2, 1))], {"dimensions": (2,)}, ValueError, r"out of range"),
    ("rev", [sa((2, 1))], {"dimensions": (0, 0)}, ValueError, r"repeated axis"),
    ("broadcast_in_dim", [sa((3,))], {"shape": (2, 4), "broadcast_dimensions": (1,)},
     ValueError, r"cannot broadcast operand shape \(3,\) to \(2, 4\)"),
    ("broadcast_in_dim", [sa((2, 3))], {"shape": (2, 3), "broadcast_dimensions": (1, 0)},
     ValueError, r"increasing"),
    ("broadcast_in_dim", [sa((3,))], {"shape": (3,), "broadcast_dimensions": ()},
     ValueError, r"one entry per operand dimension"),
    ("slice", [sa((4,))], {"start_indices": (1,), "limit_indices": (5,), "strides": None},
     ValueError, r"do not fit shape \(4,\)"),
    ("slice", [sa((4,))], {"start_indices": (3,), "limit_indices": (2,), "strides": None}, ValueError, r"slice"),
    ("slice", [sa((4,))], {"start_indices": (0,), "limit_indices": (4,), "strides": (0,)}, ValueError, r"slice"),
    ("slice", [sa((4, 2))], {"start_indices": (0,), "limit_indices": (4,), "strides": None},
     ValueError, r"one start, limit and stride per axis"),
    ("pad", [sa((3,)), sa((), F32)], {"padding_config": ((0, 0, 0),)}, TypeError, r"padding_value.*float64.*f32\[\]"),
    ("pad", [sa((3,)), sa((1,))], {"padding_config": ((0, 0, 0),)}, TypeError, r"padding_value must be a scalar"),
    ("pad", [sa((3,)), sa(())], {"padding_config": ((0, 0, -1),)}, ValueError, r"does not fit shape \(3,\)"),
    ("pad", [sa((3,)), sa(())], {"padding_config": ((-2, -2, 0),)}, ValueError, r"negative size"),
    ("pad", [sa((3,)), sa(())], {"padding_config": ()}, ValueError, r"does not fit"),
    ("concatenate", [sa((2,), F32), sa((2,))], {"dimension": 0}, TypeError, r"share a dtype"),
    ("concatenate", [sa((2, 3)), sa((2, 4))], {"dimension": 0}, ValueError, r"\(2, 3\), \(2, 4\)"),
    ("concatenate", [sa((2,)), sa((2, 1))], {"dimension": 0}, ValueError, r"\(2,\), \(2, 1\)"),
    ("concatenate", [sa((2,)), sa((2,))], {"dimension": 1}, ValueError, r"out of range"),
    ("select_n", [sa((3,), BOOL_), sa((3,)), sa((4,))], {}, TypeError, r"cases must share .*f64\[3\], f64\[4\]"),
    ("select_n", [sa((3,), BOOL_), sa((3,)), sa((3,), F32)], {}, TypeError, r"f64\[3\], f32\[3\]"),
    ("select_n", [sa((2,), BOOL_), sa((3,)), sa((3,))], {}, ValueError, r"predicate shape \(2,\)"),
    ("select_n", [sa((), BOOL_), sa(()), sa(()), sa(())], {}, TypeError, r"predicate must be bool \(two cases\)"),
    ("select_n", [sa(()), sa(()), sa(())], {}, TypeError, r"predicate .* float64"),
    ("select_n", [sa((), BOOL_)], {}, ValueError, r"at least one case"),
    ("gather", [sa((3,)), sa((2,), F64)], {"axes": (0,)}, TypeError, r"indices must be integers, got float64"),
    ("gather", [sa((3, 3)), sa((2,), I64), sa((3,), I64)], {"axes": (0, 1)}, ValueError, r"share a shape"),
    ("gather", [sa((3, 3)), sa((2,), I64)], {"axes": (0, 1)}, ValueError, r"one index array per axis"),
    ("gather", [sa((3, 3)), sa((2,), I64), sa((2,), I64)], {"axes": (0, 0)}, ValueError, r"repeated axis"),
    ("gather", [sa((0, 3)), sa((2,), I64)], {"axes": (0,)}, IndexError, r"size 0"),
    ("scatter_add", [sa((3, 2)), sa((4,)), sa((4,), I64)], {"axes": (0,)}, ValueError,
     r"updates must have shape \(4, 2\).*f64\[4\]"),
    ("scatter", [sa((3,)), sa((4,), F32), sa((4,), I64)], {"axes": (0,)}, ValueError, r"dtype float64"),
    ("scatter_max", [sa((3,)), sa((4,)), sa((4,), F32)], {"axes": (0,)}, TypeError, r"indices must be integers"),
    ("dynamic_slice", [sa((3,)), sa((1,), I64)], {"slice_sizes": (1,)}, TypeError, r"integer scalars, got i64\[1\]"),
    ("dynamic_slice", [sa((3,)), sa((), F64)], {"slice_sizes": (1,)}, TypeError, r"integer scalars"),
    ("dynamic_slice", [sa((3, 3)), sa((), I64)], {"slice_sizes": (1, 1)}, ValueError, r"needs 2 start indices"),
    ("dynamic_slice", [sa((3,)), sa((), I64)], {"slice_sizes": (4,)}, ValueError, r"\(4,\) do not fit shape \(3,\)"),
    ("dynamic_update_slice", [sa((3,)), sa((4,)), sa((), I64)], {}, ValueError, r"\(4,\) does not fit \(3,\)"),
    ("dynamic_update_slice", [sa((3,)), sa((2,), F32), sa((), I64)], {}, TypeError, r"float32 is not float64"),
    ("dynamic_update_slice", [sa((3, 3)), sa((2,)), sa((), I64), sa((), I64)], {}, ValueError, r"does not fit"),
    ("sort", [sa((3,))], {"dimension": 0, "is_stable": True, "num_keys": 0}, ValueError, r"num_keys=0"),
    ("sort", [sa((3,))], {"dimension": 0, "is_stable": True, "num_keys": 2}, ValueError, r"num_keys=2"),
    ("sort", [sa((3,)), sa((4,))], {"dimension": 0, "is_stable": True, "num_keys": 1}, ValueError, r"\(3,\), \(4,\)"),
    ("sort", [sa(())], {"dimension": 0, "is_stable": True, "num_keys": 1}, ValueError, r"out of range"),
    ("iota", [], {"dtype": np.dtype(I64), "shape": (3,), "dimension": 1}, ValueError, r"iota: axis 1 is out of range"),
    ("convert_element_type", [sa((3,))], {"new_dtype": np.dtype("U3"), "weak_type": False},
     TypeError, r"does not support"),
]


@pytest.mark.parametrize(
    "name, avals, params, error, match", ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)]
)
def test_abstract_eval_error(name, avals, params, error, match):
    with pytest.raises(error, match=match):
        PRIMITIVES[name].abstract_eval(*avals, **params)
    # The same error while tracing, where abstract eval is what runs.
    operands = [np.zeros(a.shape, a.dtype) for a in avals]
    with pytest.raises(error, match=match):
        jaxlite.make_jaxpr(lambda *xs: PRIMITIVES[name].bind(*xs, **params))(*operands)


# ---------------------------------------------------------------- single properties


def test_copy_does_not_alias():
    x = np.arange(4.0)
    y = PRIMITIVES["copy"].bind(Array(x))
    np.asarray(y)[0] = 7.0
    assert x[0] == 0.0
