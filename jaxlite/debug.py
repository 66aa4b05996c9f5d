"""jaxlite.debug: print and call back into Python from transformed code, as jax.debug does.

    jaxlite.debug.print("step {i}: loss {loss:.3f}", i=i, loss=loss)
    jaxlite.debug.callback(lambda x: history.append(x), x)

Both run when the program runs (each iteration of a loop, each lane of a vmap, every call of a
jitted function), not when it is traced, and see concrete values.
"""

import builtins

from . import tree_util
from .lax.debug_callback import debug_callback_p

__all__ = ["callback", "print"]


def callback(fun, *args, **kwargs):
    """Call fun(*args, **kwargs) with the arguments' values (pytrees of arrays) when the
    program runs. Its result is ignored."""
    if not callable(fun):
        raise TypeError(f"jaxlite.debug.callback: expected a function, got {fun!r}")
    leaves, tree = tree_util.tree_flatten((args, kwargs))

    debug_callback_p.bind(*leaves, callback=_FlatCallback(fun, tree))


class _FlatCallback:
    """fun called with flat values put back in their pytree; shown in jaxprs by fun's name."""

    def __init__(self, fun, tree):
        self.fun, self.tree = fun, tree

    def __call__(self, *values):
        call_args, call_kwargs = tree_util.tree_unflatten(self.tree, values)
        self.fun(*call_args, **call_kwargs)

    def __repr__(self):
        return getattr(self.fun, "__qualname__", None) or repr(self.fun)


def print(fmt, *args, **kwargs):  # noqa: A001  (jax.debug.print's name)
    """builtins.print(fmt.format(*args, **kwargs)) with the arguments' values, when the program
    runs."""
    if not isinstance(fmt, str):
        raise TypeError(f"jaxlite.debug.print: the format must be a str, got {type(fmt).__name__}")
    callback(_Formatter(fmt), *args, **kwargs)


class _Formatter:
    def __init__(self, fmt):
        self.fmt = fmt

    def __call__(self, *args, **kwargs):
        builtins.print(self.fmt.format(*args, **kwargs))

    def __repr__(self):
        return f"print({self.fmt!r})"
