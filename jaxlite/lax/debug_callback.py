"""debug_callback_p: calls a Python function on values, for jaxlite.debug.print/callback.

It has no outputs and an effect (Primitive.effectful): dead-code elimination and CSE keep every
one, and a jaxpr holding one inside a loop or branch keeps that equation too. It has no Numba
lowering, so under jit it runs between compiled kernels (a loop containing it runs as a Python
loop). Derivatives see only primal values; under vmap the function is called once per lane,
in order.
"""

import numpy as np

from ..core import Primitive, wrap
from ..transforms import ad
from ..transforms.batching import primitive_batchers

__all__ = ["debug_callback_p"]

debug_callback_p = Primitive("debug_callback", multiple_results=True)
debug_callback_p.effectful = True


def _impl(*args, callback):
    callback(*[wrap(np.asarray(a)) for a in args])
    return []


debug_callback_p.def_impl(_impl)
debug_callback_p.def_abstract_eval(lambda *avals, callback: [])


def _jvp(primals, tangents, *, callback):
    debug_callback_p.bind(*primals, callback=callback)
    return [], []


ad.primitive_jvps[debug_callback_p] = _jvp


class _PerLane:
    """The callback applied to each lane of batched operands (dims: batch axis or None)."""

    def __init__(self, callback, dims, axis_size):
        self.callback, self.dims, self.axis_size = callback, tuple(dims), axis_size

    def __call__(self, *args):
        for i in range(self.axis_size):
            self.callback(*[a if d is None else wrap(np.take(np.asarray(a), i, axis=d)) for a, d in zip(args, self.dims)])


def _batch(axis_size, vals, dims, *, callback):
    debug_callback_p.bind(*vals, callback=_PerLane(callback, dims, axis_size))
    return [], []


primitive_batchers[debug_callback_p] = _batch
