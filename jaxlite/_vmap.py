"""The vmap API: pytree prefixes of in_axes/out_axes, axis sizes, and its error messages."""

import functools

import numpy as np

from . import tree_util
from ._api_util import fun_name
from .core import Array, Tracer, get_aval, wrap
from .transforms.batching import vmap_flat

__all__ = ["vmap"]


def _is_axis_leaf(x):
    return x is None


def _broadcast_prefix(prefix, tree, what, name):
    """One entry of `prefix` (a pytree prefix of `tree` with int/None leaves) per leaf of tree."""
    prefix_leaves, prefix_def = tree_util.tree_flatten(prefix, is_leaf=_is_axis_leaf)
    for axis in prefix_leaves:
        if axis is not None and not isinstance(axis, (int, np.integer)):
            raise TypeError(f"{name}: {what} must contain only integers or None, got {axis!r}")
    try:
        subtrees = prefix_def.flatten_up_to(tree)
    except ValueError as err:
        raise ValueError(
            f"{name}: {what} specification must be a tree prefix of the corresponding value, got "
            f"specification {prefix!r} for value tree {tree_util.tree_structure(tree)}: {err}"
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
    if not (in_axes is None or isinstance(in_axes, (int, tuple, np.integer))):
        raise TypeError(f"{name}: in_axes must be an int, None, or a tuple of entries for the positional arguments, got {in_axes!r}")

    @functools.wraps(fun)
    def vmapped(*args, **kwargs):
        if isinstance(in_axes, tuple) and len(in_axes) != len(args):
            raise ValueError(
                f"{name}: in_axes has {len(in_axes)} entries but the function was called with "
                f"{len(args)} positional arguments; give one entry per positional argument"
            )
        arg_axes = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
        leaves, in_tree = tree_util.tree_flatten((tuple(args), kwargs))
        axes = _broadcast_prefix(arg_axes, tuple(args), "in_axes", name)
        axes += [0] * (len(leaves) - len(axes))  # keyword arguments: axis 0
        paths = _leaf_paths(args, kwargs)

        dims, sizes = [], {}
        for i, (leaf, axis) in enumerate(zip(leaves, axes)):
            if axis is None:
                dims.append(None)
                continue
            ndim = get_aval(leaf).ndim if isinstance(leaf, (Array, Tracer)) else np.ndim(leaf)
            if not -ndim <= axis < ndim:
                raise ValueError(
                    f"{name}: in_axes {axis} is out of range for argument {paths[i]} of rank "
                    f"{ndim} (shape {np.shape(leaf) if not isinstance(leaf, Tracer) else leaf.shape})"
                )
            axis = int(axis) % ndim
            dims.append(axis)
            sizes[paths[i]] = (leaf.shape if isinstance(leaf, (Array, Tracer)) else np.shape(leaf))[axis]
        size = _axis_size(sizes, axis_size, name)
        operands = [_as_operand(x) if d is not None else x for x, d in zip(leaves, dims)]

        store = {}

        def flat_fun(*flat):
            call_args, call_kwargs = tree_util.tree_unflatten(in_tree, flat)
            out = fun(*call_args, **call_kwargs)
            out_leaves, store["tree"] = tree_util.tree_flatten(out)
            store["out_axes"] = _out_dims(out_axes, out, out_leaves, name)
            return out_leaves

        outs = vmap_flat(flat_fun, operands, dims, size, name, out_dims=_Deferred(store))
        return tree_util.tree_unflatten(store["tree"], [_as_operand(o) for o in outs])

    return vmapped


class _Deferred:
    """out_dims that are only known once the function has run (they depend on its output tree)."""

    def __init__(self, store):
        self.store = store

    def __iter__(self):
        return iter(self.store["out_axes"])


def _out_dims(out_axes, out, out_leaves, name):
    axes = _broadcast_prefix(out_axes, out, "out_axes", name)
    dims = []
    for i, (leaf, axis) in enumerate(zip(out_leaves, axes)):
        if axis is None:
            dims.append(None)
            continue
        ndim = np.ndim(leaf) if not isinstance(leaf, (Array, Tracer)) else leaf.ndim
        if not -(ndim + 1) <= axis <= ndim:
            raise ValueError(f"{name}: out_axes {axis} is out of range for output {i} of rank {ndim} (batched rank {ndim + 1})")
        dims.append(int(axis) % (ndim + 1))
    return dims


def _axis_size(sizes, axis_size, name):
    if len(set(sizes.values())) > 1:
        listing = "\n".join(f"  {path}: axis size {n}" for path, n in sizes.items())
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
