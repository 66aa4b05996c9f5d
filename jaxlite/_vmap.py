"""The vmap API: pytree prefixes of in_axes/out_axes, axis sizes, and its error messages."""

import functools

import numpy as np

from . import tree_util
from ._api_util import fun_name
from .core import Array, Tracer, wrap
from .transforms.batching import vmap_flat

__all__ = ["vmap"]


_LEAF_TYPES = (Array, Tracer, np.ndarray, np.generic, int, float, complex)  # one-leaf pytrees


def _is_axis_leaf(x):
    return x is None


def _is_axis(x):
    return x is None or (isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)))


def _check_axes_spec(spec, what, name):
    """in_axes/out_axes leaves must be ints or None (bools are not axes)."""
    for axis in tree_util.tree_leaves(spec, is_leaf=_is_axis_leaf):
        if not _is_axis(axis):
            where = "" if axis is spec else f" in {spec!r}"
            raise TypeError(f"{name}: {what} must contain only integers or None, got {axis!r}{where}")


def _broadcast_prefix(prefix, tree, what, name):
    """One entry of `prefix` (a pytree prefix of `tree` with int/None leaves) per leaf of tree;
    `what()` names the prefix in the error raised when it is not a prefix of the tree."""
    if _is_axis_leaf(prefix) or isinstance(prefix, (int, np.integer)):
        return [prefix] * (1 if isinstance(tree, _LEAF_TYPES) else tree_util.tree_structure(tree).num_leaves)
    prefix_leaves, prefix_def = tree_util.tree_flatten(prefix, is_leaf=_is_axis_leaf)
    try:
        subtrees = prefix_def.flatten_up_to(tree)
    except ValueError as err:
        raise ValueError(
            f"{name}: the {what()} must be a tree prefix of the value it describes, whose structure is "
            f"{tree_util.tree_structure(tree)}: {err}"
        ) from None
    out = []
    for axis, sub in zip(prefix_leaves, subtrees):
        out.extend([axis] * tree_util.tree_structure(sub).num_leaves)
    return out


def _leaf_paths(args, kwargs):
    paths = [f"args{tree_util.keystr(p)}" for p, _ in tree_util.tree_leaves_with_path(tuple(args))]
    return paths + [f"kwargs{tree_util.keystr(p)}" for p, _ in tree_util.tree_leaves_with_path(kwargs)]


def _as_operand(x):
    return x if isinstance(x, (Array, Tracer)) else wrap(np.asarray(x))


def vmap(fun, in_axes=0, out_axes=0, axis_name=None, axis_size=None, spmd_axis_name=None):
    """`fun` mapped over an axis of its inputs: vmap(f)(xs) stacks f(x) for each x along the
    axes `in_axes`, with outputs stacked along `out_axes`, without a Python loop.

    in_axes: an int, None (not mapped), or a tuple with one pytree prefix per positional
    argument; keyword arguments are mapped along axis 0. out_axes: the same for the output.
    axis_size: the batch size, required when no input is mapped. `axis_name` and
    `spmd_axis_name` are accepted for JAX compatibility (jaxlite has no collectives).
    """
    name = f"vmap({fun_name(fun)})"
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    if not (_is_axis(in_axes) or isinstance(in_axes, tuple)):
        raise TypeError(f"{name}: in_axes must be an int, None, or a tuple of entries for the positional arguments, got {in_axes!r}")
    _check_axes_spec(in_axes, "in_axes", name)
    _check_axes_spec(out_axes, "out_axes", name)

    @functools.wraps(fun)
    def vmapped(*args, **kwargs):
        leaves, in_tree = tree_util.tree_flatten((args, kwargs))
        axes = _leaf_in_axes(in_axes, args, bool(kwargs), len(leaves), name)
        paths = _LazyPaths(lambda: _leaf_paths(args, kwargs))  # for error messages only
        dims, sizes = [], {}
        for i, (leaf, axis) in enumerate(zip(leaves, axes)):
            dim = None if axis is None else _in_dim(leaf, axis, paths, i, name)
            dims.append(dim)
            if dim is not None:
                sizes[i] = _shape(leaf)[dim]
        size = _axis_size(sizes, axis_size, paths, name)
        operands = [_as_operand(x) if d is not None else x for x, d in zip(leaves, dims)]
        store = {}

        def flat_fun(*flat):
            call_args, call_kwargs = tree_util.tree_unflatten(in_tree, flat)
            out = store["out"] = fun(*call_args, **call_kwargs)
            out_leaves, store["tree"] = tree_util.tree_flatten(out)
            store["out_axes"] = _out_dims(out_axes, out, out_leaves, name)
            return out_leaves

        outs = vmap_flat(flat_fun, operands, dims, size, name, out_dims=lambda outs: store["out_axes"],
                         out_name=lambda i: _output_path(store["out"], i))
        return tree_util.tree_unflatten(store["tree"], [_as_operand(o) for o in outs])

    return vmapped


def _leaf_in_axes(in_axes, args, has_kwargs, num_leaves, name):
    """One axis (int or None) per leaf of (args, kwargs); keyword arguments get 0."""
    if not isinstance(in_axes, tuple):
        num_positional = tree_util.tree_structure(args).num_leaves if has_kwargs else num_leaves
        return [in_axes] * num_positional + [0] * (num_leaves - num_positional)
    if len(in_axes) != len(args):
        raise ValueError(
            f"{name}: in_axes has {len(in_axes)} entries but the function was called with "
            f"{len(args)} positional arguments; give one entry per positional argument"
        )
    axes = []
    for i, (spec, arg) in enumerate(zip(in_axes, args)):
        what = lambda spec=spec, i=i: f"in_axes entry {spec!r} for argument args[{i}]"  # noqa: E731
        axes += _broadcast_prefix(spec, arg, what, name)
    return axes + [0] * (num_leaves - len(axes))


def _shape(x):
    return x.shape if isinstance(x, (Array, Tracer)) else np.shape(x)


class _LazyPaths:
    """The leaves' paths (args[0]['w'], ...), computed on first use."""

    def __init__(self, compute):
        self.compute, self.paths = compute, None

    def __getitem__(self, i):
        if self.paths is None:
            self.paths = self.compute()
        return self.paths[i]


def _in_dim(leaf, axis, paths, i, name):
    """`axis` of argument `leaf` as a non-negative int, or a ValueError naming the argument."""
    shape = _shape(leaf)
    ndim = len(shape)
    if -ndim <= axis < ndim:
        return int(axis) % ndim
    path = paths[i]
    how = ("keyword arguments are always mapped along axis 0; pass it positionally with in_axes None "
           "to leave it unmapped" if path.startswith("kwargs") else "use None in in_axes to leave it unmapped")
    if ndim == 0:
        raise ValueError(
            f"{name}: cannot map argument {path} along axis {axis}: it has rank 0 (a scalar, "
            f"{type(leaf).__name__}), so it has no axis to map over; {how}"
        )
    raise ValueError(
        f"{name}: in_axes {axis} is out of range for argument {path} of rank {ndim} (shape "
        f"{tuple(shape)}); the axis must be in [{-ndim}, {ndim})"
    )


def _output_path(out, i):
    return f"output{tree_util.keystr(tree_util.tree_leaves_with_path(out)[i][0])}"


def _out_dims(out_axes, out, out_leaves, name):
    if _is_axis(out_axes):
        axes = [out_axes] * len(out_leaves)
    else:
        axes = _broadcast_prefix(out_axes, out, lambda: f"out_axes {out_axes!r}", name)
    dims = []
    for i, (leaf, axis) in enumerate(zip(out_leaves, axes)):
        if axis is None:
            dims.append(None)
            continue
        ndim = len(_shape(leaf)) + 1  # the batched output's rank
        if not -ndim <= axis < ndim:
            path = _output_path(out, i)
            raise ValueError(
                f"{name}: out_axes {axis} is out of range for {path}, whose batched value has rank "
                f"{ndim}; the axis must be in [{-ndim}, {ndim})"
            )
        dims.append(int(axis) % ndim)
    return dims


def _axis_size(sizes, axis_size, paths, name):
    if len(set(sizes.values())) > 1:
        listing = "\n".join(f"  {paths[i]}: axis size {n}" for i, n in sizes.items())
        raise ValueError(f"{name}: vmap got inconsistent sizes for the array axes to be mapped:\n{listing}")
    if sizes:
        size = next(iter(sizes.values()))
        if axis_size is not None and axis_size != size:
            raise ValueError(f"{name}: axis_size={axis_size} does not match the mapped axes' size {size}")
        return size
    if axis_size is None:
        raise ValueError(
            f"{name}: vmap must have at least one non-None value in in_axes, or be given axis_size "
            "when no argument is mapped"
        )
    return int(axis_size)
