"""Primitives, `bind`, and context-local traces with their tracers.

The current trace lives in a context variable. `bind` with no current trace runs the
primitive's NumPy impl at once (the eager path); otherwise the current trace processes it.
A trace handles the tracers it created (identity is its tag) and treats every other value,
including tracers of enclosing traces, as a constant; its rules bind in its parent's context.
"""

import contextvars
import itertools

from .errors import (
    ConcretizationTypeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    UnexpectedTracerError,
)

__all__ = [
    "Primitive",
    "Trace",
    "Tracer",
    "current_trace",
    "set_current_trace",
    "concrete_or_error",
    "primitive_by_name",
    "eager_apply",
    "lift_to_current_trace",
]

_current_trace = contextvars.ContextVar("jaxlite_current_trace", default=None)
current_trace = _current_trace.get


class set_current_trace:
    """`with set_current_trace(trace):` makes `trace` current inside the block. (A class, not a
    generator: transforms enter it several times per primitive.)"""

    __slots__ = ("trace", "token")

    def __init__(self, trace):
        self.trace = trace

    def __enter__(self):
        self.token = _current_trace.set(self.trace)
        return self.trace

    def __exit__(self, *exc):
        _current_trace.reset(self.token)


_PRIMITIVES_BY_NAME = {}


def primitive_by_name(name):
    """A primitive registered under `name`: how transform machinery binds array operations
    (adding cotangents, making zeros) without importing jaxlite.lax."""
    return _PRIMITIVES_BY_NAME[name]


class Primitive:
    """A named operation. Rules for it are registered by the modules that define it."""

    def __init__(self, name, multiple_results=False):
        self.name = name
        self.multiple_results = multiple_results
        self.effectful = False  # True: never removed or merged, though it has no used output
        self.impl = None  # (*ndarrays, **params) -> ndarray or tuple of ndarrays
        self.abstract_eval = None  # (*avals, **params) -> aval or list of avals
        _PRIMITIVES_BY_NAME.setdefault(name, self)

    def bind(self, *args, **params):
        trace = _current_trace.get()
        if trace is None:
            return eager_apply(self, args, params)
        return trace.process_primitive(self, args, params)

    def def_impl(self, impl):
        self.impl = impl
        return impl

    def def_abstract_eval(self, rule):
        self.abstract_eval = rule
        return rule

    def __repr__(self):
        return self.name


def eager_apply(prim, args, params):
    """Run a primitive's NumPy impl on concrete operands and wrap the results."""
    array_type = _array.Array
    out = prim.impl(*[x._value if type(x) is array_type else _array.to_numpy_array(x) for x in args], **params)
    if prim.multiple_results:
        return [_array.wrap(o) for o in out]
    return _array.wrap(out)


class Trace:
    """Base of all traces. `parent` is the context its rules bind in."""

    _tags = itertools.count(1)

    def __init__(self, parent, description):
        self.parent = parent
        self.tag = next(Trace._tags)
        self.description = description  # e.g. "make_jaxpr(f)", for error messages
        self.alive = True

    def process_primitive(self, primitive, args, params):
        raise NotImplementedError

    def process_custom_derivative_call(self, call):
        """A function with its own derivative rule (custom_jvp / custom_vjp). Traces that do
        not differentiate run the function itself: `call.fun_flat(*call.args_flat)`."""
        return call.fun_flat(*call.args_flat)

    def lift(self, x):
        """`x`, a concrete value created inside the traced function (jnp.zeros, jnp.array, ...),
        as this trace's tracer, so item assignment on it is recorded like any other update."""
        return x

    def owns(self, x):
        """Whether `x` is one of this trace's tracers; raises if `x` is a leaked tracer."""
        if isinstance(x, Tracer):
            if x._trace is self:
                return True
            if not x._trace.alive:
                raise x._leaked_error()
        return False

    def invalidate(self):
        self.alive = False

    def __repr__(self):
        return f"{type(self).__name__}(tag={self.tag}, {self.description})"


class Tracer:
    """A value inside a transform. Array methods and operators are installed by jaxlite.numpy."""

    __slots__ = ("_trace",)
    __array_priority__ = 100

    @property
    def aval(self):
        raise NotImplementedError

    def to_concrete_value(self):
        """The concrete value behind this tracer if the trace knows it, else None."""
        return None

    shape = property(lambda self: self.aval.shape)
    dtype = property(lambda self: self.aval.dtype)
    ndim = property(lambda self: self.aval.ndim)
    size = property(lambda self: self.aval.size)
    weak_type = property(lambda self: self.aval.weak_type)
    itemsize = property(lambda self: self.aval.dtype.itemsize)
    nbytes = property(lambda self: self.aval.size * self.aval.dtype.itemsize)

    def _where(self):
        return f"a traced {self.aval.str_short()} of {self._trace.description}"

    def _leaked_error(self):
        if self._trace.alive:
            return UnexpectedTracerError(
                f"Encountered {self._where()} outside the context of that transform, which is "
                "still running: e.g. it was closed over by a custom_jvp/custom_vjp/checkpoint "
                "function, or passed out to an enclosing transform. Pass it as an explicit "
                "argument instead."
            )
        return UnexpectedTracerError(
            f"Encountered {self._where()} after that transform returned (or outside it). "
            "A tracer leaked out of the function being transformed, e.g. stored in a global, "
            "a closure or an object attribute. Return values from the transformed function "
            "instead of storing them."
        )

    def __bool__(self):
        value = self.to_concrete_value()
        if value is None:
            raise TracerBoolConversionError(
                f"Python `if`, `while`, `and`/`or` or bool() needs a concrete value, but got "
                f"{self._where()}. Use jaxlite.numpy.where or jaxlite.lax.cond for "
                "value-dependent choices, or mark the argument static (static_argnums)."
            )
        return bool(value)

    def _concrete_scalar(self, kind, convert):
        value = self.to_concrete_value()
        if value is None:
            raise ConcretizationTypeError(
                f"{kind}() needs a concrete value, but got {self._where()}. Keep the value as an "
                "array (jaxlite.numpy functions accept it), or mark the argument static "
                "(static_argnums) if it really must be a Python number."
            )
        return convert(value)

    def __float__(self):
        return self._concrete_scalar("float", float)

    def __complex__(self):
        return self._concrete_scalar("complex", complex)

    def __int__(self):
        return self._concrete_scalar("int", int)

    def __index__(self):
        value = self.to_concrete_value()
        if value is None:
            raise TracerIntegerConversionError(
                f"Using a traced value as a Python integer (list index, range(), "
                f"operator.index) needs a concrete value, but got {self._where()}. "
                "Index arrays with jaxlite arrays instead, or mark the argument static."
            )
        return value.__index__()

    def __array__(self, dtype=None, copy=None):
        if not self._trace.alive:
            raise self._leaked_error()
        raise TracerArrayConversionError(
            f"numpy.asarray() or another NumPy function was given {self._where()}. NumPy cannot "
            "see traced values: use jaxlite.numpy functions inside transformed code, or "
            "jaxlite.debug.callback to run NumPy code on concrete values."
        )

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object (a 0-d traced array)")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d traced array")
        return (self[i] for i in range(self.shape[0]))

    def __hash__(self):
        raise TypeError(f"unhashable type: {self._where()}")

    def __setitem__(self, index, value):
        updated = self.at[index].set(value)
        self._become(updated, "x[index] = value")

    def _become(self, other, what):
        """Rebind this tracer to `other`'s value: how in-place updates are functionalized."""
        if _outer_or_concrete(other, self._trace):
            other = self._trace.lift(other)  # e.g. a JVP update with zero tangents: the parent's value
        if type(other) is not type(self) or other._trace is not self._trace:
            raise TypeError(
                f"{what} on {self._where()} from an enclosing transform is not supported; "
                "write x = x.at[index].set(value) (or x = new_value) instead."
            )
        for cls in type(self).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                setattr(self, slot, getattr(other, slot))

    def __repr__(self):
        return f"Traced<{self.aval.str_short()}>with<{self._trace.description}>"


def _outer_or_concrete(x, trace):
    """Whether `x` is concrete or a tracer of one of `trace`'s ancestors."""
    if not isinstance(x, Tracer):
        return True
    parent = trace.parent
    while parent is not None:
        if x._trace is parent:
            return True
        parent = parent.parent
    return False


def lift_to_current_trace(x):
    """A value created inside transformed code, made a value of the current trace (if any)."""
    trace = _current_trace.get()
    return x if trace is None else trace.lift(x)


def concrete_or_error(value, function, argument, fix="pass it as a Python value or mark it static"):
    """`value` itself if it is concrete; else a ConcretizationTypeError naming the argument."""
    if not isinstance(value, Tracer):
        return value
    concrete = value.to_concrete_value()
    if concrete is not None:
        return concrete
    raise ConcretizationTypeError(
        f"{function}() argument '{argument}' must be concrete (known while tracing), but got "
        f"{value._where()}. The shape of a result cannot depend on traced values; {fix}."
    )


from . import array as _array  # noqa: E402  (array.py builds on Tracer, defined above)
