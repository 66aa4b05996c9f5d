"""Elementwise functions: NumPy's ufuncs with NumPy 2 promotion and broadcasting.

Eagerly each calls its NumPy ufunc on the wrapped ndarrays. Under a transform it resolves
NumPy's loop for the operand dtypes (weak Python scalars included), converts and broadcasts
the operands, and binds the elementwise primitive of that ufunc.
"""

import numpy as np

from .. import lax
from ..core import current_trace
from ..lax.elementwise import PRIMITIVES as _PRIMITIVES
from ._base import (
    Array,
    Tracer,
    broadcast_operands,
    convert,
    named,
    operands,
    python_scalar_types,
    result_dtype,
    to_numpy,
    wrap,
)

_new_array = object.__new__
_WEAK_PYTHON_TYPE = {"i": int, "u": int, "f": float, "c": complex}
_LOOPS = {}


def _loop_key(x):
    """What NumPy's loop resolution sees of an operand: a dtype, or a Python type if weak."""
    if isinstance(x, Tracer):
        aval = x.aval
        return _WEAK_PYTHON_TYPE.get(aval.dtype.kind) if aval.weak_type else aval.dtype
    if type(x) in python_scalar_types:
        return np.dtype(bool) if type(x) is bool else type(x)
    return np.asarray(to_numpy(x)).dtype if not hasattr(x, "dtype") else x.dtype


def _resolve_loop(name, ufunc, keys, dtype):
    """NumPy's loop dtypes (inputs then outputs) for operands described by `keys`."""
    cache_key = (ufunc, keys, dtype)
    loop = _LOOPS.get(cache_key)
    if loop is None:
        signature = keys + (None,) * ufunc.nout if dtype is None else keys + (np.dtype(dtype),) * ufunc.nout
        try:
            loop = ufunc.resolve_dtypes(signature)
        except TypeError:
            shown = ", ".join(getattr(k, "__name__", str(k)) for k in keys)
            raise TypeError(
                f"{name}() is not supported for operands of type ({shown}), as in NumPy"
            ) from None
        _LOOPS[cache_key] = loop
    return loop


def _dtype(x):
    return result_dtype(x)[0]


def _is_weak(x):
    return type(x) in (int, float, complex) or (isinstance(x, Tracer) and x.aval.weak_type)


def apply_ufunc(name, ufunc, traced, args, out=None, where=True, dtype=None):
    """Apply `ufunc` eagerly, or its traced composition `traced(*operands, dtype=)`."""
    if current_trace() is None:
        return _apply_eagerly(ufunc, args, out, where, dtype)
    if out is not None or where is not True:
        raise TypeError(
            f"{name}(): out= and where= are not supported inside transformed code; "
            "use the returned value, and jaxlite.numpy.where for masking"
        )
    return traced(*operands(name, *args), dtype=dtype)


def _primitive_rule(name, ufunc, primitive):
    """The traced form of a ufunc that is one primitive: NumPy's loop, then broadcasting."""

    def traced(*xs, dtype=None):
        keys = tuple(_loop_key(x) for x in xs)
        if all(isinstance(k, type) for k in keys):  # only weak operands: their default dtypes
            keys = tuple(np.dtype(k) for k in keys)
        loop = _resolve_loop(name, ufunc, keys, dtype)
        weak = all(_is_weak(x) for x in xs)
        xs = [convert(x, d, weak) for x, d in zip(xs, loop)]
        result = primitive.bind(*broadcast_operands(name, *xs))
        if ufunc.nout > 1:
            return tuple(result)
        return result if dtype is None else convert(result, dtype)

    return traced


def _composed_rule(compose):
    """The traced form of a ufunc composed of other functions: `compose(*xs)`."""

    def traced(*xs, dtype=None):
        result = compose(*xs)
        return result if dtype is None else convert(result, dtype)

    return traced


def _apply_eagerly(ufunc, args, out, where, dtype):
    kwargs = {"where": to_numpy(where)} if where is not True else {}
    if out is not None:
        kwargs["out"] = tuple(to_numpy(o) for o in (out if isinstance(out, tuple) else (out,)))
    if dtype is not None:
        kwargs["dtype"] = dtype
    result = ufunc(*[to_numpy(x) for x in args], **kwargs)
    if out is not None:
        return out
    return tuple(wrap(r) for r in result) if ufunc.nout > 1 else wrap(result)


def _traced_rule(name, ufunc, primitive_name, compose):
    if compose is not None:
        return _composed_rule(compose)
    return _primitive_rule(name, ufunc, _PRIMITIVES[primitive_name])


# The eager fast paths below inline `to_numpy` and `wrap`: they are the hottest code of the
# library (`x + y` on small arrays), and each saved Python call is ~5% of a call's time.


def _unary_ufunc(name, ufunc, primitive_name=None, compose=None):
    traced = _traced_rule(name, ufunc, primitive_name, compose)

    def unary(x, /, out=None, *, where=True, dtype=None):
        if out is None and where is True and dtype is None and current_trace() is None:
            result = ufunc(x._value if type(x) is Array else to_numpy(x))
            array = _new_array(Array)
            array._value = result if type(result) is np.ndarray else np.asarray(result)
            return array
        return apply_ufunc(name, ufunc, traced, (x,), out, where, dtype)

    return _named(unary, name)


def _binary_ufunc(name, ufunc, primitive_name=None, compose=None):
    traced = _traced_rule(name, ufunc, primitive_name, compose)

    def binary(x1, x2, /, out=None, *, where=True, dtype=None):
        if out is None and where is True and dtype is None and current_trace() is None:
            result = ufunc(
                x1._value if type(x1) is Array else to_numpy(x1),
                x2._value if type(x2) is Array else to_numpy(x2),
            )
            array = _new_array(Array)
            array._value = result if type(result) is np.ndarray else np.asarray(result)
            return array
        return apply_ufunc(name, ufunc, traced, (x1, x2), out, where, dtype)

    return _named(binary, name)


def _multi_output_ufunc(name, ufunc, primitive_name=None, compose=None):
    traced = _traced_rule(name, ufunc, primitive_name, compose)

    def multi(*args, out=None, where=True, dtype=None):
        if len(args) != ufunc.nin:
            raise TypeError(f"{name}() takes {ufunc.nin} positional arguments, got {len(args)}")
        return apply_ufunc(name, ufunc, traced, args, out, where, dtype)

    return _named(multi, name)


def _named(fn, name):
    fn.__module__ = "jaxlite.numpy"
    return named(fn, name, f"Elementwise `{name}`, with the semantics of numpy.{name}.")


# ---------------------------------------------------------------- one primitive each
# NumPy's names and the Array API's aliases of them.

negative = _unary_ufunc("negative", np.negative, "neg")
sign = _unary_ufunc("sign", np.sign, "sign")
floor = _unary_ufunc("floor", np.floor, "floor")
ceil = _unary_ufunc("ceil", np.ceil, "ceil")
trunc = _unary_ufunc("trunc", np.trunc, "trunc")
rint = _unary_ufunc("rint", np.rint, "round")
isfinite = _unary_ufunc("isfinite", np.isfinite, "is_finite")
isinf = _unary_ufunc("isinf", np.isinf, "is_inf")
isnan = _unary_ufunc("isnan", np.isnan, "is_nan")
signbit = _unary_ufunc("signbit", np.signbit, "signbit")
exp = _unary_ufunc("exp", np.exp, "exp")
exp2 = _unary_ufunc("exp2", np.exp2, "exp2")
expm1 = _unary_ufunc("expm1", np.expm1, "expm1")
log = _unary_ufunc("log", np.log, "log")
log2 = _unary_ufunc("log2", np.log2, "log2")
log10 = _unary_ufunc("log10", np.log10, "log10")
log1p = _unary_ufunc("log1p", np.log1p, "log1p")
sin = _unary_ufunc("sin", np.sin, "sin")
cos = _unary_ufunc("cos", np.cos, "cos")
tan = _unary_ufunc("tan", np.tan, "tan")
arcsin = _unary_ufunc("arcsin", np.arcsin, "asin")
arccos = _unary_ufunc("arccos", np.arccos, "acos")
arctan = _unary_ufunc("arctan", np.arctan, "atan")
sinh = _unary_ufunc("sinh", np.sinh, "sinh")
cosh = _unary_ufunc("cosh", np.cosh, "cosh")
tanh = _unary_ufunc("tanh", np.tanh, "tanh")
arcsinh = _unary_ufunc("arcsinh", np.arcsinh, "asinh")
arccosh = _unary_ufunc("arccosh", np.arccosh, "acosh")
arctanh = _unary_ufunc("arctanh", np.arctanh, "atanh")
sqrt = _unary_ufunc("sqrt", np.sqrt, "sqrt")
cbrt = _unary_ufunc("cbrt", np.cbrt, "cbrt")
square = _unary_ufunc("square", np.square, "square")
reciprocal = _unary_ufunc("reciprocal", np.reciprocal, "reciprocal")
absolute = _unary_ufunc("absolute", np.absolute, "abs")
conjugate = _unary_ufunc("conjugate", np.conjugate, "conj")
invert = _unary_ufunc("invert", np.invert, "not")
bitwise_count = _unary_ufunc("bitwise_count", np.bitwise_count, "bitwise_count")
spacing = _unary_ufunc("spacing", np.spacing, "spacing")
modf = _multi_output_ufunc("modf", np.modf, "modf")
frexp = _multi_output_ufunc("frexp", np.frexp, "frexp")

add = _binary_ufunc("add", np.add, "add")
subtract = _binary_ufunc("subtract", np.subtract, "sub")
multiply = _binary_ufunc("multiply", np.multiply, "mul")
divide = _binary_ufunc("divide", np.divide, "div")
floor_divide = _binary_ufunc("floor_divide", np.floor_divide, "floor_divide")
remainder = _binary_ufunc("remainder", np.remainder, "rem")
fmod = _binary_ufunc("fmod", np.fmod, "fmod")
power = _binary_ufunc("power", np.power, "pow")
maximum = _binary_ufunc("maximum", np.maximum, "max")
minimum = _binary_ufunc("minimum", np.minimum, "min")
fmax = _binary_ufunc("fmax", np.fmax, "fmax")
fmin = _binary_ufunc("fmin", np.fmin, "fmin")
arctan2 = _binary_ufunc("arctan2", np.arctan2, "atan2")
hypot = _binary_ufunc("hypot", np.hypot, "hypot")
copysign = _binary_ufunc("copysign", np.copysign, "copysign")
nextafter = _binary_ufunc("nextafter", np.nextafter, "nextafter")
logaddexp = _binary_ufunc("logaddexp", np.logaddexp, "logaddexp")
logaddexp2 = _binary_ufunc("logaddexp2", np.logaddexp2, "logaddexp2")
heaviside = _binary_ufunc("heaviside", np.heaviside, "heaviside")
gcd = _binary_ufunc("gcd", np.gcd, "gcd")
lcm = _binary_ufunc("lcm", np.lcm, "lcm")
ldexp = _binary_ufunc("ldexp", np.ldexp, "ldexp")
bitwise_and = _binary_ufunc("bitwise_and", np.bitwise_and, "and")
bitwise_or = _binary_ufunc("bitwise_or", np.bitwise_or, "or")
bitwise_xor = _binary_ufunc("bitwise_xor", np.bitwise_xor, "xor")
left_shift = _binary_ufunc("left_shift", np.left_shift, "shift_left")
right_shift = _binary_ufunc("right_shift", np.right_shift, "shift_right")
equal = _binary_ufunc("equal", np.equal, "eq")
not_equal = _binary_ufunc("not_equal", np.not_equal, "ne")
less = _binary_ufunc("less", np.less, "lt")
less_equal = _binary_ufunc("less_equal", np.less_equal, "le")
greater = _binary_ufunc("greater", np.greater, "gt")
greater_equal = _binary_ufunc("greater_equal", np.greater_equal, "ge")

# Aliases: NumPy's own and the Array API's names for the same functions.
abs = absolute  # noqa: A001
conj = conjugate
bitwise_not = bitwise_invert = invert
bitwise_left_shift = left_shift
bitwise_right_shift = right_shift
true_divide = divide
mod = remainder
pow = power  # noqa: A001
acos, asin, atan, atan2 = arccos, arcsin, arctan, arctan2
acosh, asinh, atanh = arccosh, arcsinh, arctanh


# ---------------------------------------------------------------- compositions


def _as_bool(x, name):
    if isinstance(x, Tracer) and x.aval.dtype == np.bool_:
        return x
    return not_equal(x, 0)


def _logical(name, primitive_name):
    primitive = _PRIMITIVES[primitive_name]

    def compose(x1, x2):
        return primitive.bind(*broadcast_operands(name, _as_bool(x1, name), _as_bool(x2, name)))

    return compose


logical_and = _binary_ufunc("logical_and", np.logical_and, compose=_logical("logical_and", "and"))
logical_or = _binary_ufunc("logical_or", np.logical_or, compose=_logical("logical_or", "or"))
logical_xor = _binary_ufunc("logical_xor", np.logical_xor, compose=_logical("logical_xor", "xor"))
logical_not = _unary_ufunc("logical_not", np.logical_not, compose=lambda x: invert(_as_bool(x, "logical_not")))


def _positive(x):
    if _dtype(x) == np.bool_:
        raise TypeError("positive() is not supported for bool operands, as in NumPy")
    return lax.copy(x) if isinstance(x, Tracer) else x


positive = _unary_ufunc("positive", np.positive, compose=_positive)


def _in_loop_dtype(name, ufunc, x):
    """`x` converted to the input dtype of NumPy's loop of `ufunc` for it."""
    return convert(x, _resolve_loop(name, ufunc, (_loop_key(x),), None)[0])


deg2rad = radians = _unary_ufunc(
    "deg2rad", np.deg2rad, compose=lambda x: multiply(_in_loop_dtype("deg2rad", np.deg2rad, x), np.pi / 180.0)
)
rad2deg = degrees = _unary_ufunc(
    "rad2deg", np.rad2deg, compose=lambda x: multiply(_in_loop_dtype("rad2deg", np.rad2deg, x), 180.0 / np.pi)
)
fabs = _unary_ufunc("fabs", np.fabs, compose=lambda x: absolute(_in_loop_dtype("fabs", np.fabs, x)))


def _float_power(x1, x2):
    dtype = np.complex128 if result_dtype(x1, x2)[0].kind == "c" else np.float64
    return power(convert(x1, dtype), convert(x2, dtype))


float_power = _binary_ufunc("float_power", np.float_power, compose=_float_power)
divmod = _multi_output_ufunc(  # noqa: A001
    "divmod", np.divmod, compose=lambda x1, x2: (floor_divide(x1, x2), remainder(x1, x2))
)


def _angle(z, deg=False):
    (z,) = operands("angle", z)
    if _dtype(z).kind == "c":
        result = arctan2(imag(z), real(z))
    else:
        result = arctan2(0, z)
    return rad2deg(result) if deg else result


def angle(z, deg=False):
    """The counterclockwise angle from the positive real axis, as numpy.angle."""
    if current_trace() is None:
        return wrap(np.angle(to_numpy(z), deg=deg))
    return _angle(z, deg)


def _part(name, primitive_name, numpy_fn):
    primitive = _PRIMITIVES[primitive_name]

    def part(val):
        if current_trace() is None:
            return wrap(numpy_fn(to_numpy(val)))
        (val,) = operands(name, val)
        if _dtype(val).kind != "c":
            return lax.copy(val) if name == "real" else _zeros_like(val)
        return primitive.bind(val)

    return _named(part, name)


real = _part("real", "real", np.real)
imag = _part("imag", "imag", np.imag)


def _zeros_like(x):
    return lax.broadcast_in_dim(np.zeros((), _dtype(x))[()], x.shape, ())


def round(x, decimals=0, out=None):  # noqa: A001
    """Round to `decimals` decimals, half to even, as numpy.round."""
    if current_trace() is None:
        return _apply_eagerly_round(x, decimals, out)
    (x,) = operands("round", x)
    if _dtype(x).kind in "biu":
        return x if decimals >= 0 else _round_integer(x, 10 ** (-decimals))
    if _dtype(x).kind == "c":
        return lax.complex(round(real(x), decimals), round(imag(x), decimals))
    if decimals == 0:
        return rint(x)
    if decimals > 0:
        return divide(rint(multiply(x, 10.0**decimals)), 10.0**decimals)
    return multiply(rint(divide(x, 10.0 ** (-decimals))), 10.0 ** (-decimals))


def _apply_eagerly_round(x, decimals, out):
    result = np.round(to_numpy(x), decimals, out=None if out is None else to_numpy(out))
    return out if out is not None else wrap(result)


def _round_integer(x, factor):
    quotient = floor_divide(x, factor)
    twice_rest = multiply(subtract(x, multiply(quotient, factor)), 2)
    up = logical_or(greater(twice_rest, factor), logical_and(equal(twice_rest, factor), not_equal(remainder(quotient, 2), 0)))
    return multiply(add(quotient, up.astype(quotient.dtype)), factor)


around = round


def clip(a, /, min=None, max=None, out=None, *, a_min=None, a_max=None):  # noqa: A002
    """Limit values to [min, max], as numpy.clip; the Array API's parameter names, with
    NumPy's `a_min=`/`a_max=` keywords too."""
    low = min if a_min is None else a_min
    high = max if a_max is None else a_max
    if current_trace() is None:
        if low is None and high is None:
            return wrap(np.array(to_numpy(a), copy=True))
        result = np.clip(to_numpy(a), to_numpy(low), to_numpy(high), out=None if out is None else to_numpy(out))
        return out if out is not None else wrap(result)
    if out is not None:
        raise TypeError("clip(): out= is not supported inside transformed code")
    result = a
    if low is not None:
        result = maximum(result, low)
    if high is not None:
        result = minimum(result, high)
    return result if result is not a else positive(a)


__all__ = [
    "abs",
    "absolute",
    "acos",
    "acosh",
    "add",
    "angle",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "around",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "bitwise_and",
    "bitwise_count",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "cbrt",
    "ceil",
    "clip",
    "conj",
    "conjugate",
    "copysign",
    "cos",
    "cosh",
    "deg2rad",
    "degrees",
    "divide",
    "divmod",
    "equal",
    "exp",
    "exp2",
    "expm1",
    "fabs",
    "float_power",
    "floor",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "frexp",
    "gcd",
    "greater",
    "greater_equal",
    "heaviside",
    "hypot",
    "imag",
    "invert",
    "isfinite",
    "isinf",
    "isnan",
    "lcm",
    "ldexp",
    "left_shift",
    "less",
    "less_equal",
    "log",
    "log10",
    "log1p",
    "log2",
    "logaddexp",
    "logaddexp2",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "mod",
    "modf",
    "multiply",
    "negative",
    "nextafter",
    "not_equal",
    "positive",
    "pow",
    "power",
    "rad2deg",
    "radians",
    "real",
    "reciprocal",
    "remainder",
    "right_shift",
    "rint",
    "round",
    "sign",
    "signbit",
    "sin",
    "sinh",
    "spacing",
    "sqrt",
    "square",
    "subtract",
    "tan",
    "tanh",
    "true_divide",
    "trunc",
]
