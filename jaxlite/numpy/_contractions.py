"""Contractions: matmul, vecdot, matvec, vecmat, dot, vdot, inner, outer, tensordot, kron and
cross; and the labelled contraction engine that einsum (in _einsum) shares.

Eagerly each is NumPy's own function; when NumPy rejects the arguments, the checks of the
traced path run to raise jaxlite's message for the mistake. Under a transform each is one
`lax.dot_general`, with transposes, reshapes, sums and diagonal gathers only where NumPy's
layout needs them. The engine contracts operands whose axes carry labels (einsum's letters):
the gufuncs label their loop axes so that they broadcast as einsum's '...' does, and einsum
contracts its operands pairwise in the order numpy.einsum_path picks.

As in NumPy, Python scalars are converted with `np.asarray` here, so they are strong.
"""

import operator
import re
import warnings

import numpy as np

from .. import dtypes, lax
from ..core import Array, concrete_or_error
from ._base import array_operand, as_1d, broadcast_to_shape, convert, eager, no_out, normalize_axis, to_numpy
from ._base import Array, Tracer, promote, tracing, wrap

__all__ = ["matmul", "vecdot", "matvec", "vecmat", "dot", "vdot", "inner", "outer", "tensordot", "kron", "cross"]

_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


# ---------------------------------------------------------------- eager calls, operands, dtypes


def _run(fname, numpy_call, traced, out=None):
    """Under a transform `traced()`, which checks the arguments and composes primitives.
    Eagerly NumPy's result, wrapped (or `out`); if NumPy rejects the arguments, `traced()`
    (which then only checks) raises jaxlite's error for the mistake, else NumPy's is raised."""
    if tracing():
        no_out(out, fname)
        return traced()
    result = eager(fname, numpy_call, traced)
    return out if type(out) is Array else wrap(result)


def _arrays(fname, argnames, *xs):
    """The operands as arrays; Python scalars become strong 0-d arrays."""
    return [array_operand(x, fname, name) for x, name in zip(xs, argnames)]


def _common_dtype(xs):
    return dtypes.promote(tuple((dtypes.canonicalize_dtype(x.dtype), False) for x in xs))[0]


def _promoted(*xs, dtype=None):
    dtype = _common_dtype(xs) if dtype is None else dtype
    return [convert(x, dtype) for x in xs]


def _check_casting(fname, casting):
    if casting not in _CASTINGS:
        raise ValueError(f"{fname}: casting must be one of {', '.join(map(repr, _CASTINGS))} (got {casting!r})")


def _compute_dtype(fname, xs, dtype, casting, what="input"):
    """`dtype` if given (each operand must cast to it under `casting`), else the common dtype."""
    _check_casting(fname, casting)
    target = _common_dtype(xs) if dtype is None else dtypes.canonicalize_dtype(dtype)
    for i, x in enumerate(xs):
        if not np.can_cast(x.dtype, target, casting):
            raise TypeError(f"{fname}: cannot cast {what} {i} from {x.dtype} to {target} with casting rule {casting!r}")
    return target


def _conj(x):
    return lax.conj(x) if x.dtype.kind == "c" else x


def _transpose(x, perm):
    perm = tuple(perm)
    return x if perm == tuple(range(len(perm))) else lax.transpose(x, perm)


# ---------------------------------------------------------------- the labelled contraction engine
# Equal labels are the same index. A label shared by two operands is a dot_general batch axis
# if it is still needed (in the output or another operand), a contracting axis otherwise. An
# axis of size 1 whose label is larger elsewhere is broadcasting, and is dropped.


def _label_sizes(labels_list, shapes):
    sizes = {}
    for labels, shape in zip(labels_list, shapes):
        for label, size in zip(labels, shape):
            sizes[label] = size if sizes.get(label, 1) == 1 else sizes[label]
    return sizes


def _diagonals(x, labels):
    """Each label repeated within `x` collapsed to one axis (its diagonal), moved in front."""
    for label in list(dict.fromkeys(labels)):
        where = [i for i, other in enumerate(labels) if other == label]
        if len(where) < 2:
            continue
        rest = [i for i in range(len(labels)) if i not in where]
        if x.shape[where[0]] == 0:  # nothing to gather: a zero-size reshape gives the shape
            x = lax.reshape(x, [0] + [x.shape[i] for i in rest])
        else:
            x = lax.gather(x, [lax.iota(np.int64, x.shape[where[0]])] * len(where), where)
        labels = [label] + [labels[i] for i in rest]
    return x, labels


def _drop_broadcast(x, labels, sizes):
    keep = [i for i, label in enumerate(labels) if x.shape[i] != 1 or sizes[label] == 1]
    if len(keep) == len(labels):
        return x, labels
    return lax.reshape(x, [x.shape[i] for i in keep]), [labels[i] for i in keep]


def _sum_out(x, labels, needed):
    axes = [i for i, label in enumerate(labels) if label not in needed]
    if not axes:
        return x, labels
    return lax.reduce_sum(x, axes), [label for label in labels if label in needed]


def _contract_pair(x, x_labels, y, y_labels, needed):
    x, x_labels = _sum_out(x, x_labels, needed | set(y_labels))
    y, y_labels = _sum_out(y, y_labels, needed | set(x_labels))
    shared = [label for label in x_labels if label in y_labels]
    batch = [label for label in shared if label in needed]
    summed = [label for label in shared if label not in needed]
    dims = (
        ([x_labels.index(s) for s in summed], [y_labels.index(s) for s in summed]),
        ([x_labels.index(b) for b in batch], [y_labels.index(b) for b in batch]),
    )
    free = [label for label in x_labels + y_labels if label not in shared]
    return lax.dot_general(x, y, dims), batch + free


def _contract_labelled(xs, labels_list, out_labels, path=None):
    """Contract operands with labelled axes into `out_labels`, in `path` order (groups of
    operand positions, as in numpy.einsum_path; default: pairs from the left)."""
    sizes = _label_sizes(labels_list, [x.shape for x in xs])
    ops = []
    for i, (x, labels) in enumerate(zip(xs, labels_list)):
        x, labels = _diagonals(x, list(labels))
        x, labels = _drop_broadcast(x, labels, sizes)
        others = {label for j, ls in enumerate(labels_list) if j != i for label in ls}
        ops.append(_sum_out(x, labels, set(out_labels) | others))
    for group in path if path is not None else [(0, 1)] * (len(ops) - 1):
        picked = [ops.pop(i) for i in sorted(group, reverse=True)][::-1]
        rest = set(out_labels).union(*(ls for _, ls in ops))
        z, z_labels = picked[0]
        for k, (y, y_labels) in enumerate(picked[1:], start=2):
            z, z_labels = _contract_pair(z, z_labels, y, y_labels, rest.union(*(ls for _, ls in picked[k:])))
        ops.append((z, z_labels))
    z, z_labels = ops[0]
    return _transpose(z, [z_labels.index(label) for label in out_labels])


# ---------------------------------------------------------------- matmul and the other gufuncs

# name -> (NumPy gufunc, its signature, whether x1 is conjugated)
_GUFUNCS = {
    "matmul": (np.matmul, "(n?,k),(k,m?)->(n?,m?)", False),
    "vecdot": (np.vecdot, "(n),(n)->()", True),
    "matvec": (np.matvec, "(m,n),(n)->(m)", False),
    "vecmat": (np.vecmat, "(n),(n,m)->(m)", True),
}


def _gufunc_cores(name, signature, ndims):
    """Core-axis labels of the inputs and the output; an optional ('?') core axis missing from
    an input of too few dimensions is dropped everywhere."""
    groups = re.findall(r"\(([^)]*)\)", signature)
    *in_cores, out_core = [group.split(",") if group else [] for group in groups]
    dropped = set()
    for i, (core, ndim) in enumerate(zip(in_cores, ndims)):
        required = sum(not d.endswith("?") for d in core)
        if ndim < required:
            raise ValueError(
                f"{name}: Input operand {i} does not have enough dimensions (has {ndim}, gufunc "
                f"core with signature {signature} requires {required})"
            )
        if ndim < len(core):
            dropped |= {d for d in core if d.endswith("?")}
    strip = lambda core: [d.rstrip("?") for d in core if d not in dropped]  # noqa: E731
    return [strip(core) for core in in_cores], strip(out_core), len(out_core)


def _axes_entry(name, entry, index, ncore, ndim):
    entry = tuple(entry) if isinstance(entry, (tuple, list)) else (entry,)
    if len(entry) != ncore:
        raise np.exceptions.AxisError(
            f"{name}: operand {index} has {ncore} core dimensions, but {len(entry)} dimensions "
            "are specified by axes tuple."
        )
    entry = tuple(normalize_axis(concrete_or_error(a, name, "axes"), ndim, name, "axes") for a in entry)
    if len(set(entry)) != len(entry):
        raise ValueError(f"{name}: repeated axis in 'axes' entry {index}: {entry}")
    return entry


def _gufunc_axes(name, signature, cores, out_core, nominal_out, ndims, axes, axis, keepdims):
    """Permutations that move each input's core axes last, and the places of the output's
    core axes (None: last). With keepdims the output keeps the core axes with size 1."""
    single = all(len(c) == 1 for c in cores) and len({c[0] for c in cores}) == 1 and not nominal_out
    if keepdims and not single:
        raise TypeError(f"{name} does not support keepdims: its signature {signature} has output core dimensions")
    if axis is not None:
        if axes is not None:
            raise TypeError(f"{name}: cannot specify both 'axis' and 'axes'")
        if not single:
            raise TypeError(f"{name}: axis can only be used with a single shared core dimension, not with {signature}")
        axes = [(axis,)] * (3 if keepdims else 2)
    if axes is None and not keepdims:
        return [range(n) for n in ndims], None
    entries = list(axes) if axes is not None else [(-1,)] * 3
    n_out = len(out_core) + keepdims
    if len(entries) == len(cores) and not nominal_out:
        entries.append((-1,) * n_out)
    if len(entries) != len(cores) + 1:
        raise ValueError(
            f"{name}: 'axes' needs an entry for each of the {len(cores)} inputs and the output (the "
            "output's may be left out only if its signature has no core dimensions)"
        )
    out_ndim = max(n - len(c) for n, c in zip(ndims, cores)) + n_out
    counts, all_ndims = [*map(len, cores), n_out], [*ndims, out_ndim]
    entries = [_axes_entry(name, *args) for args in zip(entries, range(3), counts, all_ndims)]
    perms = [[d for d in range(n) if d not in e] + list(e) for e, n in zip(entries, ndims)]
    return perms, entries[-1]


def _place_core_axes(z, entry):
    """Move the last len(entry) axes of z to the positions in `entry`."""
    start = z.ndim - len(entry)
    perm = [None] * z.ndim
    for k, position in enumerate(entry):
        perm[position] = start + k
    rest = iter(range(start))
    return _transpose(z, [p if p is not None else next(rest) for p in perm])


def _check_gufunc_shapes(name, signature, shapes, cores):
    """Core sizes must agree exactly; loop (batch) axes broadcast."""
    seen = {}
    for i, (shape, core) in enumerate(zip(shapes, cores)):
        for j, (label, size) in enumerate(zip(core, shape[len(shape) - len(core):])):
            if seen.setdefault(label, size) != size:
                raise ValueError(
                    f"{name}: Input operand {i} has a mismatch in its core dimension {j}, with gufunc "
                    f"signature {signature} (size {size} is different from {seen[label]}); shapes "
                    f"{shapes[0]} and {shapes[1]}"
                )
    loops = [shape[: len(shape) - len(core)] for shape, core in zip(shapes, cores)]
    try:
        np.broadcast_shapes(*loops)
    except ValueError:
        raise ValueError(
            f"{name}: operands could not be broadcast together: loop dimensions {loops[0]} and "
            f"{loops[1]} of shapes {shapes[0]} and {shapes[1]}"
        ) from None


def _gufunc_traced(name, x1, x2, axes, axis, keepdims, casting, dtype):
    """Check the arguments as NumPy does; under a transform, compute by dot_general."""
    _, signature, conjugate_x1 = _GUFUNCS[name]
    x1, x2 = _arrays(name, ("x1", "x2"), x1, x2)
    axis = concrete_or_error(axis, name, "axis")
    ndims = (x1.ndim, x2.ndim)
    cores, out_core, nominal_out = _gufunc_cores(name, signature, ndims)
    perms, out_entry = _gufunc_axes(name, signature, cores, out_core, nominal_out, ndims, axes, axis, keepdims)
    shapes = [tuple(x.shape[d] for d in perm) for x, perm in zip((x1, x2), perms)]
    _check_gufunc_shapes(name, signature, shapes, cores)
    dtype = _compute_dtype(name, (x1, x2), dtype, casting)
    if not tracing():
        return None
    x1, x2 = _promoted(x1, x2, dtype=dtype)
    x1, x2 = _transpose(_conj(x1) if conjugate_x1 else x1, perms[0]), _transpose(x2, perms[1])
    n1, n2 = x1.ndim - len(cores[0]), x2.ndim - len(cores[1])
    loop = max(n1, n2)  # loop axes are labelled by their right-aligned position
    labels = [[*range(loop - n1, loop), *cores[0]], [*range(loop - n2, loop), *cores[1]]]
    z = _contract_labelled([x1, x2], labels, [*range(loop), *out_core])
    if keepdims:
        z = lax.reshape(z, (*z.shape, 1))
    return z if out_entry is None else _place_core_axes(z, out_entry)


def _gufunc(name, x1, x2, out, axes, axis, keepdims, casting, order, dtype, signature):
    if signature is not None:
        raise TypeError(f"{name}: 'signature' is not supported; use 'dtype' to choose the loop dtype")

    def numpy_call():
        numpy_fn = _GUFUNCS[name][0]
        plain = out is None and axes is None and axis is None and dtype is None and not keepdims
        if plain and casting == "same_kind" and order == "K":
            return numpy_fn(to_numpy(x1), to_numpy(x2))  # keyword arguments would slow NumPy down
        options = {"out": to_numpy(out), "casting": casting, "order": order, "dtype": dtype}
        options.update({key: value for key, value in (("axes", axes), ("axis", axis)) if value is not None})
        return numpy_fn(to_numpy(x1), to_numpy(x2), **options, **({"keepdims": True} if keepdims else {}))

    return _run(name, numpy_call, lambda: _gufunc_traced(name, x1, x2, axes, axis, keepdims, casting, dtype), out)


def matmul(x1, x2, /, out=None, *, axes=None, axis=None, keepdims=False, casting="same_kind",
           order="K", dtype=None, subok=True, signature=None):
    """Matrix product with NumPy's 1-d promotion and broadcasting of the loop (batch) axes."""
    plain = out is None and axes is None and axis is None and not keepdims and dtype is None and signature is None
    plain = plain and casting == "same_kind" and order == "K"
    if plain and tracing() and _is_matrix(x1) and _is_matrix(x2) and x1.shape[1] == x2.shape[0]:
        # The commonest case under a transform, without the labelled-contraction machinery.
        a, b = promote("matmul", x1, x2)
        return lax.dot_general(a, b, (((1,), (0,)), ((), ())))
    return _gufunc("matmul", x1, x2, out, axes, axis, keepdims, casting, order, dtype, signature)


def _is_matrix(x):
    return isinstance(x, (Tracer, Array)) and len(x.shape) == 2


def vecdot(x1, x2, /, out=None, *, axes=None, axis=-1, keepdims=False, casting="same_kind",
           order="K", dtype=None, subok=True, signature=None):
    """Dot product of vectors along `axis`, conjugating x1; the other axes broadcast."""
    if type(axis) is int and axis == -1 and (axes is not None or not keepdims):
        axis = None  # the default: the last axis, the gufunc's own core axis
    return _gufunc("vecdot", x1, x2, out, axes, axis, keepdims, casting, order, dtype, signature)


def matvec(x1, x2, /, out=None, *, axes=None, axis=None, keepdims=False, casting="same_kind",
           order="K", dtype=None, subok=True, signature=None):
    """Matrix-vector product over the last two axes of x1 and the last of x2."""
    return _gufunc("matvec", x1, x2, out, axes, axis, keepdims, casting, order, dtype, signature)


def vecmat(x1, x2, /, out=None, *, axes=None, axis=None, keepdims=False, casting="same_kind",
           order="K", dtype=None, subok=True, signature=None):
    """Vector-matrix product, conjugating the vector x1."""
    return _gufunc("vecmat", x1, x2, out, axes, axis, keepdims, casting, order, dtype, signature)


# ---------------------------------------------------------------- dot, inner, vdot, outer, tensordot


def _dot_like(fname, a, b, rhs_axis):
    """dot and inner: a 0-d operand multiplies; otherwise a's last axis meets b's axis
    `rhs_axis(b.ndim)`. Checks eagerly too; computes under a transform."""
    a, b = _arrays(fname, ("a", "b"), a, b)
    if a.ndim and b.ndim and a.shape[-1] != b.shape[rhs_axis(b.ndim)]:
        db = rhs_axis(b.ndim)
        raise ValueError(
            f"{fname}: shapes {tuple(a.shape)} and {tuple(b.shape)} not aligned: "
            f"{a.shape[-1]} (dim {a.ndim - 1}) != {b.shape[db]} (dim {db})"
        )
    if not tracing():
        return None
    a, b = _promoted(a, b)
    if not (a.ndim and b.ndim):
        return lax.mul(a, b)
    return lax.dot_general(a, b, (((a.ndim - 1,), (rhs_axis(b.ndim),)), ((), ())))


def dot(a, b, out=None):
    """NumPy's dot: inner product of vectors, matrix product, a's last axis with b's
    second-to-last for N-d, and multiplication when either is 0-d."""
    numpy_call = lambda: np.dot(to_numpy(a), to_numpy(b), to_numpy(out))  # noqa: E731
    return _run("dot", numpy_call, lambda: _dot_like("dot", a, b, lambda ndim: max(ndim - 2, 0)), out)


def inner(a, b, /):
    """Sum product over the last axes of a and b (multiplication when either is 0-d)."""
    traced = lambda: _dot_like("inner", a, b, lambda ndim: ndim - 1)  # noqa: E731
    return _run("inner", lambda: np.inner(to_numpy(a), to_numpy(b)), traced)


def _vdot_traced(a, b):
    a, b = _arrays("vdot", ("a", "b"), a, b)
    if a.size != b.size:
        raise ValueError(
            f"vdot: a and b must have the same number of elements, got shapes {tuple(a.shape)} "
            f"({a.size} elements) and {tuple(b.shape)} ({b.size} elements)"
        )
    if tracing():
        a, b = _promoted(a, b)
        return lax.dot_general(as_1d(_conj(a)), as_1d(b), (((0,), (0,)), ((), ())))


def vdot(a, b, /):
    """Dot product of the flattened arrays, conjugating a."""
    return _run("vdot", lambda: np.vdot(to_numpy(a), to_numpy(b)), lambda: _vdot_traced(a, b))


def _outer_traced(a, b):
    a, b = _arrays("outer", "ab", a, b)
    if tracing():
        return lax.dot_general(*map(as_1d, _promoted(a, b)), (((), ()), ((), ())))


def outer(a, b, out=None):
    """Outer product of the flattened arrays: shape (a.size, b.size)."""
    return _run("outer", lambda: np.outer(to_numpy(a), to_numpy(b), to_numpy(out)), lambda: _outer_traced(a, b), out)


def _tensordot_axes(axes, a, b):
    axes = concrete_or_error(axes, "tensordot", "axes")
    if not isinstance(axes, (tuple, list)):
        try:
            n = operator.index(axes)
        except TypeError:
            raise TypeError(f"tensordot: axes must be an integer or a pair of axis sequences, got {axes!r}") from None
        if n > a.ndim or n > b.ndim:
            raise IndexError(f"tensordot: axes={n} is more than the dimensions of a {a.shape} or b {b.shape}")
        return list(range(a.ndim - n, a.ndim)) if n > 0 else [], list(range(n)) if n > 0 else []
    if len(axes) != 2:
        raise ValueError(f"tensordot: axes must be an integer or a pair of axis sequences, got {axes!r}")
    pair = []
    for x, name, ax in zip((a, b), "ab", axes):
        ax = list(ax) if isinstance(ax, (tuple, list)) or getattr(ax, "ndim", 0) else [ax]
        ax = [normalize_axis(concrete_or_error(i, "tensordot", "axes"), x.ndim, "tensordot", "axes") for i in ax]
        if len(set(ax)) != len(ax):
            raise ValueError(f"tensordot: duplicate axes are not allowed, got {ax} for {name}")
        pair.append(ax)
    return pair


def _tensordot_traced(a, b, axes):
    a, b = _arrays("tensordot", ("a", "b"), a, b)
    axes_a, axes_b = _tensordot_axes(axes, a, b)
    sizes_a, sizes_b = [a.shape[i] for i in axes_a], [b.shape[i] for i in axes_b]
    if sizes_a != sizes_b:
        raise ValueError(
            f"tensordot: shape-mismatch for sum: axes {axes_a} of a {tuple(a.shape)} have sizes "
            f"{sizes_a}, axes {axes_b} of b {tuple(b.shape)} have sizes {sizes_b}"
        )
    if tracing():
        return lax.dot_general(*_promoted(a, b), ((axes_a, axes_b), ((), ())))


def tensordot(a, b, axes=2):
    """Sum products over a's axes axes[0] and b's axes[1] (or a's last and b's first `axes`)."""
    numpy_call = lambda: np.tensordot(to_numpy(a), to_numpy(b), axes)  # noqa: E731
    return _run("tensordot", numpy_call, lambda: _tensordot_traced(a, b, axes))



# ---------------------------------------------------------------- kron, cross


def kron(a, b):
    """Kronecker product: blocks of b scaled by the elements of a (ranks padded to match)."""
    return _run("kron", lambda: np.kron(to_numpy(a), to_numpy(b)), lambda: _kron_traced(a, b))


def _kron_traced(a, b):
    a, b = _arrays("kron", "ab", a, b)
    if not tracing():
        return None
    a, b = _promoted(a, b)
    ndim = max(a.ndim, b.ndim)
    a, b = (lax.reshape(x, (1,) * (ndim - x.ndim) + tuple(x.shape)) if x.ndim < ndim else x for x in (a, b))
    outer_product = lax.dot_general(a, b, (((), ()), ((), ())))
    interleaved = _transpose(outer_product, [d for i in range(ndim) for d in (i, ndim + i)])
    return lax.reshape(interleaved, [m * n for m, n in zip(a.shape, b.shape)])


def _vectors_last(x, axis, argname):
    if x.ndim == 0:
        raise ValueError(f"cross: at least one array has zero dimension (shape {tuple(x.shape)})")
    axis = normalize_axis(concrete_or_error(axis, "cross", argname), x.ndim, "cross", argname)
    if x.shape[axis] not in (2, 3):
        raise ValueError(
            f"cross: incompatible dimensions for cross product (dimension must be 2 or 3), got "
            f"{argname[-1]} of shape {tuple(x.shape)} with {x.shape[axis]} along axis {axis}"
        )
    return [d for d in range(x.ndim) if d != axis] + [axis]


def _components(x, batch):
    """x[..., i] for each i, broadcast to `batch` unless 0-d (elementwise primitives take
    0-d operands as they are), and None for the z of a 2-vector (zero)."""
    parts = []
    for i in range(x.shape[-1]):
        part = lax.reshape(lax.slice(x, [0] * (x.ndim - 1) + [i], [*x.shape[:-1], i + 1]), x.shape[:-1])
        parts.append(broadcast_to_shape(part, batch) if part.shape else part)
    return parts + [None] * (3 - len(parts))


def _cross_term(p, q, r, s):
    """p*q - r*s, where a missing (None) factor is a zero component."""
    left = None if p is None or q is None else lax.mul(p, q)
    right = None if r is None or s is None else lax.mul(r, s)
    if right is None:
        return left
    return lax.neg(right) if left is None else lax.sub(left, right)


def _cross_traced(a, b, axisa, axisb, axisc, axis):
    a, b = _arrays("cross", ("a", "b"), a, b)
    if axis is not None:
        axisa = axisb = axisc = axis
    perm_a, perm_b = _vectors_last(a, axisa, "axisa"), _vectors_last(b, axisb, "axisb")
    loops = [tuple(x.shape[d] for d in perm[:-1]) for x, perm in ((a, perm_a), (b, perm_b))]
    try:
        batch = np.broadcast_shapes(*loops)
    except ValueError:
        raise ValueError(
            f"cross: shape mismatch: a of shape {tuple(a.shape)} and b of shape {tuple(b.shape)} have "
            f"vectors over shapes {loops[0]} and {loops[1]} that cannot be broadcast together"
        ) from None
    if _common_dtype((a, b)) == np.bool_:
        raise TypeError("cross: boolean arrays are not supported (NumPy has no boolean subtract)")
    two_only = a.shape[perm_a[-1]] == b.shape[perm_b[-1]] == 2
    if not two_only:
        axisc = normalize_axis(concrete_or_error(axisc, "cross", "axisc"), len(batch) + 1, "cross", "axisc")
    if not tracing():
        return None
    if 2 in (a.shape[perm_a[-1]], b.shape[perm_b[-1]]):
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of 3-dimensional vectors "
                      "instead. (deprecated in NumPy 2.0)", DeprecationWarning, stacklevel=4)
    a, b = _promoted(_transpose(a, perm_a), _transpose(b, perm_b))
    (a0, a1, a2), (b0, b1, b2) = _components(a, batch), _components(b, batch)
    z = _cross_term(a0, b1, a1, b0)
    if two_only:
        return z
    x, y = _cross_term(a1, b2, a2, b1), _cross_term(a2, b0, a0, b2)
    stacked = lax.concatenate([lax.reshape(c, (*batch, 1)) for c in (x, y, z)], len(batch))
    return _place_core_axes(stacked, (axisc,))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (or 2-vectors, deprecated by NumPy) along axisa and axisb;
    the result's vectors lie along axisc. `axis` sets all three."""
    numpy_call = lambda: np.cross(to_numpy(a), to_numpy(b), axisa, axisb, axisc, axis)  # noqa: E731
    return _run("cross", numpy_call, lambda: _cross_traced(a, b, axisa, axisb, axisc, axis))
