"""Shared plumbing of the public transforms: flattening arguments, static arguments, avals."""

import inspect

from . import tree_util
from .core import get_aval

__all__ = ["flatten_call", "normalize_static", "abstractify"]


def normalize_static(fun, static_argnums, static_argnames):
    """Static argnums and argnames as sorted tuples, each completed from the other."""
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        return tuple(sorted(nums)), names
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    names = tuple(dict.fromkeys(names + tuple(positional[i] for i in nums if -len(positional) <= i < len(positional))))
    nums = tuple(sorted(set(nums) | {positional.index(n) for n in names if n in positional}))
    return nums, names


def flatten_call(fun, args, kwargs, static_argnums, static_argnames):
    """Split a call into static values and the flat list of dynamic leaves.

    Returns (flat_fun, leaves, in_tree, out_store) where flat_fun(*leaves) calls `fun` with the
    static arguments put back and returns the flat list of outputs; out_store["tree"] holds the
    output treedef once it has run.
    """
    static_argnums = tuple(i % len(args) if -len(args) <= i < 0 else i for i in static_argnums)
    dyn_args = [a for i, a in enumerate(args) if i not in static_argnums]
    dyn_kwargs = {k: v for k, v in kwargs.items() if k not in static_argnames}
    leaves, in_tree = tree_util.tree_flatten((dyn_args, dyn_kwargs))
    out_store = {}

    def flat_fun(*flat_args):
        call_args, call_kwargs = tree_util.tree_unflatten(in_tree, flat_args)
        call_args = iter(call_args)
        full = [a if i in static_argnums else next(call_args) for i, a in enumerate(args)]
        call_kwargs.update({k: v for k, v in kwargs.items() if k in static_argnames})
        out = fun(*full, **call_kwargs)
        out_leaves, out_store["tree"] = tree_util.tree_flatten(out)
        return out_leaves

    return flat_fun, leaves, in_tree, out_store


def abstractify(x):
    """The aval a transform gives argument `x`; rejects what is not an array."""
    try:
        return get_aval(x)
    except TypeError as err:
        raise TypeError(
            f"Argument {x!r} of type {type(x).__name__} is not a valid jaxlite type: pass arrays, "
            "scalars or pytrees of them, or mark the argument static (static_argnums)."
        ) from err


def fun_name(fun):
    return getattr(fun, "__name__", None) or type(fun).__name__
