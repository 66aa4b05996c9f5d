"""The errors users meet first when tracing, each saying what to do instead."""

__all__ = [
    "ConcretizationTypeError",
    "TracerBoolConversionError",
    "TracerArrayConversionError",
    "TracerIntegerConversionError",
    "UnexpectedTracerError",
]


class ConcretizationTypeError(TypeError):
    """A traced value was used where a concrete (known at trace time) value is needed."""


class TracerBoolConversionError(ConcretizationTypeError):
    """Python `if`, `while`, `and`, `or` or `bool()` was applied to a traced value."""


class TracerIntegerConversionError(ConcretizationTypeError):
    """A traced value was used as a Python int (`range`, list index, `operator.index`)."""


class TracerArrayConversionError(TypeError):
    """A traced value was converted to a NumPy array (`numpy.asarray`, `__array__`)."""


class UnexpectedTracerError(Exception):
    """A tracer escaped the transform that created it and was used after it returned."""
