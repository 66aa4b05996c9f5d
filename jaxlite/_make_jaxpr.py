"""make_jaxpr: trace a Python function into the jaxpr it would run."""

import functools

from ._api_util import abstractify, flatten_call, fun_name, normalize_static
from .core import trace_to_jaxpr

__all__ = ["make_jaxpr"]


def make_jaxpr(fun, static_argnums=(), static_argnames=(), return_shape=False):
    """A function that returns the ClosedJaxpr of `fun` traced at its arguments' types.

    >>> make_jaxpr(lambda x: jaxlite.numpy.sin(x).sum())(np.ones(3))
    { lambda ; a:f64[3]. let b:f64[3] = sin a; c:f64[] = reduce_sum[axes=(0,)] b in (c,) }
    """
    static_argnums, static_argnames = normalize_static(fun, static_argnums, static_argnames)

    @functools.wraps(fun)
    def make_jaxpr_f(*args, **kwargs):
        flat_fun, leaves, _, out_store = flatten_call(fun, args, kwargs, static_argnums, static_argnames)
        in_avals = [abstractify(x) for x in leaves]
        closed = trace_to_jaxpr(flat_fun, in_avals, f"make_jaxpr({fun_name(fun)})")
        if return_shape:
            from . import tree_util

            shapes = [ShapeDtypeStruct(a.shape, a.dtype) for a in closed.out_avals]
            return closed, tree_util.tree_unflatten(out_store["tree"], shapes)
        return closed

    return make_jaxpr_f


class ShapeDtypeStruct:
    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape, self.dtype = tuple(shape), dtype

    def __repr__(self):
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype})"
