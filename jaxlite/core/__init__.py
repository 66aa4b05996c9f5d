"""The core: avals, primitives and bind, traces and tracers, the jaxpr, and Array."""

from .array import Array, to_numpy, to_numpy_array, wrap
from .avals import ShapedArray, short_dtype_name
from .errors import (
    ConcretizationTypeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    UnexpectedTracerError,
)
from .jaxpr import ClosedJaxpr, Eqn, Jaxpr, JaxprTypeError, Literal, Var, check_jaxpr, eval_jaxpr
from .staging import StagingTrace, StagingTracer, get_aval, trace_to_jaxpr
from .trace import (
    Primitive,
    Trace,
    Tracer,
    concrete_or_error,
    current_trace,
    eager_apply,
    lift_to_current_trace,
    primitive_by_name,
    set_current_trace,
)
