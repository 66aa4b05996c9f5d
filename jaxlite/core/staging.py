"""The staging trace: records every primitive applied to its tracers as a jaxpr equation."""

import numpy as np

from .. import dtypes
from .array import Array
from .avals import ShapedArray
from .jaxpr import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from .trace import Trace, Tracer, current_trace, set_current_trace

__all__ = ["StagingTrace", "StagingTracer", "trace_to_jaxpr", "get_aval"]


def get_aval(x):
    """The abstract value of any operand: tracer, Array, ndarray, NumPy or Python scalar."""
    if isinstance(x, Tracer):
        return x.aval
    if type(x) is Array:
        return ShapedArray.of_ndarray(x._value)
    dtype, weak = dtypes.dtype_and_weak(x)
    return ShapedArray(np.shape(x), dtype, weak)


class StagingTracer(Tracer):
    __slots__ = ("_aval", "jaxpr_var", "_known")

    def __init__(self, trace, var, known=None):
        self._trace = trace
        self.jaxpr_var = var
        self._aval = var.aval
        self._known = known  # the value of a lifted constant, until an update rebinds the tracer

    @property
    def aval(self):
        return self._aval

    def to_concrete_value(self):
        if not self._trace.alive:
            raise self._leaked_error()
        return self._known


class StagingTrace(Trace):
    """Builds a jaxpr. Constants become literals (scalars) or hoisted constvars (arrays)."""

    def __init__(self, parent, description):
        super().__init__(parent, description)
        self.invars = []
        self.eqns = []
        self.const_vars = {}  # id(value) -> Var
        self.const_values = []
        self.const_keepalive = []

    def new_arg(self, aval):
        var = Var(aval)
        self.invars.append(var)
        return StagingTracer(self, var)

    def lift(self, x):
        known = x.to_concrete_value() if isinstance(x, Tracer) else np.asarray(x._value if type(x) is Array else x)
        return StagingTracer(self, self.to_atom(x), known)

    def to_atom(self, x):
        """The Var or Literal that stands for operand `x` in this trace's jaxpr."""
        if self.owns(x):
            return x.jaxpr_var
        if not isinstance(x, Tracer):
            value = x._value if type(x) is Array else x
            if np.ndim(value) == 0:
                if type(value) not in (int, float, complex, bool):
                    value = np.asarray(value)[()]
                return Literal(value, get_aval(x))
        var = self.const_vars.get(id(x))
        if var is None:
            var = self.const_vars[id(x)] = Var(get_aval(x).strip_weak_type())
            self.const_keepalive.append(x)  # keeps id(x) from being reused while tracing
            self.const_values.append(x if isinstance(x, (Array, Tracer)) else Array(x))
        return var

    def process_primitive(self, primitive, args, params):
        atoms = [self.to_atom(x) for x in args]
        out = primitive.abstract_eval(*[a.aval for a in atoms], **params)
        out_avals = out if primitive.multiple_results else [out]
        outvars = [Var(aval) for aval in out_avals]
        self.eqns.append(Eqn(primitive, atoms, outvars, params))
        tracers = [StagingTracer(self, v) for v in outvars]
        return tracers if primitive.multiple_results else tracers[0]

    def to_jaxpr(self, outs):
        outvars = [self.to_atom(x) for x in outs]
        constvars = list(self.const_vars.values())
        return ClosedJaxpr(Jaxpr(constvars, self.invars, outvars, self.eqns), self.const_values)


def trace_to_jaxpr(flat_fun, in_avals, description):
    """Trace `flat_fun(*args) -> list of outputs` on abstract arguments into a ClosedJaxpr."""
    trace = StagingTrace(current_trace(), description)
    try:
        args = [trace.new_arg(aval) for aval in in_avals]
        with set_current_trace(trace):
            outs = flat_fun(*args)
        return trace.to_jaxpr(outs)
    finally:
        trace.invalidate()
