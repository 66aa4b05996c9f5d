"""Elementwise functions of jaxlite.lax, one per elementwise primitive."""

import numpy as np

from ..core import Tracer, get_aval
from .elementwise import PRIMITIVES


def _unary(name):
    primitive = PRIMITIVES[name]

    def apply(x):
        return primitive.bind(x)

    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = f"Elementwise `{name}` primitive."
    return apply


def _binary(name):
    primitive = PRIMITIVES[name]

    def apply(x, y):
        return primitive.bind(*match_python_scalars(x, y))

    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = f"Elementwise `{name}` primitive (operands share a dtype)."
    return apply


def match_python_scalars(x, y):
    """Give a Python scalar operand the dtype of the other, array-like, operand."""
    x_py, y_py = type(x) in _PYTHON_SCALARS, type(y) in _PYTHON_SCALARS
    if x_py and not y_py:
        return np.asarray(x, get_aval(y).dtype)[()], y
    if y_py and not x_py:
        return x, np.asarray(y, get_aval(x).dtype)[()]
    return x, y


_PYTHON_SCALARS = (bool, int, float, complex)

neg = _unary("neg")
sign = _unary("sign")
floor = _unary("floor")
ceil = _unary("ceil")
trunc = _unary("trunc")
round = _unary("round")
is_finite = _unary("is_finite")
is_inf = _unary("is_inf")
is_nan = _unary("is_nan")
signbit = _unary("signbit")
exp = _unary("exp")
exp2 = _unary("exp2")
expm1 = _unary("expm1")
log = _unary("log")
log2 = _unary("log2")
log10 = _unary("log10")
log1p = _unary("log1p")
sin = _unary("sin")
cos = _unary("cos")
tan = _unary("tan")
asin = _unary("asin")
acos = _unary("acos")
atan = _unary("atan")
sinh = _unary("sinh")
cosh = _unary("cosh")
tanh = _unary("tanh")
asinh = _unary("asinh")
acosh = _unary("acosh")
atanh = _unary("atanh")
sqrt = _unary("sqrt")
cbrt = _unary("cbrt")
square = _unary("square")
reciprocal = _unary("reciprocal")
abs = _unary("abs")
conj = _unary("conj")
bitwise_not = _unary("not")
bitwise_count = _unary("bitwise_count")
spacing = _unary("spacing")
modf = _unary("modf")
frexp = _unary("frexp")
real = _unary("real")
imag = _unary("imag")

add = _binary("add")
sub = _binary("sub")
mul = _binary("mul")
div = _binary("div")
floor_divide = _binary("floor_divide")
rem = _binary("rem")
fmod = _binary("fmod")
pow = _binary("pow")
max = _binary("max")
min = _binary("min")
fmax = _binary("fmax")
fmin = _binary("fmin")
atan2 = _binary("atan2")
hypot = _binary("hypot")
copysign = _binary("copysign")
nextafter = _binary("nextafter")
logaddexp = _binary("logaddexp")
logaddexp2 = _binary("logaddexp2")
heaviside = _binary("heaviside")
gcd = _binary("gcd")
lcm = _binary("lcm")
ldexp = _binary("ldexp")
bitwise_and = _binary("and")
bitwise_or = _binary("or")
bitwise_xor = _binary("xor")
shift_left = _binary("shift_left")
shift_right = _binary("shift_right")
eq = _binary("eq")
ne = _binary("ne")
lt = _binary("lt")
le = _binary("le")
gt = _binary("gt")
ge = _binary("ge")
complex = _binary("complex")
