"""Derivatives of the elementwise primitives: one row per primitive of elementwise.py.

A row gives, for each operand, the tangent contribution as a function of the operand's
tangent `g`, the primals, and the output `ans` -- linear in `g`. Complex functions follow
JAX's convention (holomorphic functions use the complex derivative). `None` marks operands
with a zero derivative; primitives with integer or boolean results need no row.
"""

import numpy as np

from ..core import ShapedArray, get_aval
from ..transforms.ad import (
    UndefinedPrimal,
    Zero,
    add_tangents,
    defjvp_rule,
    defjvp_zero,
    instantiate,
    primitive_transposes,
)
from .elementwise import PRIMITIVES
from .reductions import PRIMITIVES as REDUCTIONS
from .shape import broadcast_in_dim_p, select_n_p

__all__ = ["DERIVATIVES", "ZERO_DERIVATIVE"]


def _op(name):
    primitive = PRIMITIVES[name]
    return lambda *args: primitive.bind(*args)


add, sub, mul, div, neg = _op("add"), _op("sub"), _op("mul"), _op("div"), _op("neg")
exp, log, sqrt, sin, cos, sinh, cosh = _op("exp"), _op("log"), _op("sqrt"), _op("sin"), _op("cos"), _op("sinh"), _op("cosh")
square, sign, conj, real, eq, pow_ = _op("square"), _op("sign"), _op("conj"), _op("real"), _op("eq"), _op("pow")
exp2, floor_divide, trunc, copysign, ldexp = _op("exp2"), _op("floor_divide"), _op("trunc"), _op("copysign"), _op("ldexp")


def _c(like, value):
    """A scalar literal of `like`'s dtype."""
    return np.asarray(value, get_aval(like).dtype)[()]


def _select(pred, on_true, on_false):
    """select_n with rank-0 cases broadcast to the shape of the others."""
    shape = max((get_aval(v).shape for v in (pred, on_true, on_false)), key=len)
    cases = [_broadcast(c, shape) for c in (on_false, on_true)]
    return select_n_p.bind(pred, *cases)


def _balanced(x, y, ans):
    """JAX's tie rule for max/min: each side gets 1, 0, or 1/2 when x == y."""
    half, one, zero = _c(ans, 0.5), _c(ans, 1.0), _c(ans, 0.0)
    return _select(eq(x, ans), _select(eq(y, ans), half, one), zero)


LN2, LN10 = np.log(2.0), np.log(10.0)

# primitive name -> one derivative per operand: (g, *primals, ans) -> tangent contribution
DERIVATIVES = {
    "neg": (lambda g, x, ans: neg(g),),
    "exp": (lambda g, x, ans: mul(g, ans),),
    "exp2": (lambda g, x, ans: mul(g, mul(ans, _c(ans, LN2))),),
    "expm1": (lambda g, x, ans: mul(g, add(ans, _c(ans, 1))),),
    "log": (lambda g, x, ans: div(g, x),),
    "log2": (lambda g, x, ans: div(g, mul(x, _c(x, LN2))),),
    "log10": (lambda g, x, ans: div(g, mul(x, _c(x, LN10))),),
    "log1p": (lambda g, x, ans: div(g, add(x, _c(x, 1))),),
    "sin": (lambda g, x, ans: mul(g, cos(x)),),
    "cos": (lambda g, x, ans: neg(mul(g, sin(x))),),
    "tan": (lambda g, x, ans: mul(g, add(_c(ans, 1), square(ans))),),
    "asin": (lambda g, x, ans: div(g, sqrt(sub(_c(x, 1), square(x)))),),
    "acos": (lambda g, x, ans: neg(div(g, sqrt(sub(_c(x, 1), square(x))))),),
    "atan": (lambda g, x, ans: div(g, add(_c(x, 1), square(x))),),
    "sinh": (lambda g, x, ans: mul(g, cosh(x)),),
    "cosh": (lambda g, x, ans: mul(g, sinh(x)),),
    "tanh": (lambda g, x, ans: mul(g, sub(_c(ans, 1), square(ans))),),
    "asinh": (lambda g, x, ans: div(g, sqrt(add(square(x), _c(x, 1)))),),
    "acosh": (lambda g, x, ans: div(g, mul(sqrt(sub(x, _c(x, 1))), sqrt(add(x, _c(x, 1))))),),
    "atanh": (lambda g, x, ans: div(g, sub(_c(x, 1), square(x))),),
    "sqrt": (lambda g, x, ans: div(g, mul(_c(ans, 2), ans)),),
    "cbrt": (lambda g, x, ans: div(g, mul(_c(ans, 3), square(ans))),),
    "square": (lambda g, x, ans: mul(g, mul(_c(x, 2), x)),),
    "reciprocal": (lambda g, x, ans: neg(mul(g, square(ans))),),
    "abs": (lambda g, x, ans: _abs_derivative(g, x, ans),),
    "add": (lambda g, x, y, ans: g, lambda g, x, y, ans: g),
    "sub": (lambda g, x, y, ans: g, lambda g, x, y, ans: neg(g)),
    "mul": (lambda g, x, y, ans: mul(g, y), lambda g, x, y, ans: mul(x, g)),
    "div": (lambda g, x, y, ans: div(g, y), lambda g, x, y, ans: neg(mul(g, div(ans, y)))),
    "rem": (lambda g, x, y, ans: g, lambda g, x, y, ans: neg(mul(g, floor_divide(x, y)))),
    "fmod": (lambda g, x, y, ans: g, lambda g, x, y, ans: neg(mul(g, trunc(div(x, y))))),
    "pow": (lambda g, x, y, ans: _pow_dx(g, x, y), lambda g, x, y, ans: _pow_dy(g, x, ans)),
    "max": (lambda g, x, y, ans: mul(g, _balanced(x, y, ans)), lambda g, x, y, ans: mul(g, _balanced(y, x, ans))),
    "min": (lambda g, x, y, ans: mul(g, _balanced(x, y, ans)), lambda g, x, y, ans: mul(g, _balanced(y, x, ans))),
    "fmax": (lambda g, x, y, ans: mul(g, _balanced(x, y, ans)), lambda g, x, y, ans: mul(g, _balanced(y, x, ans))),
    "fmin": (lambda g, x, y, ans: mul(g, _balanced(x, y, ans)), lambda g, x, y, ans: mul(g, _balanced(y, x, ans))),
    "atan2": (
        lambda g, x, y, ans: div(mul(g, y), add(square(x), square(y))),
        lambda g, x, y, ans: neg(div(mul(g, x), add(square(x), square(y)))),
    ),
    "hypot": (lambda g, x, y, ans: mul(g, div(x, ans)), lambda g, x, y, ans: mul(g, div(y, ans))),
    "copysign": (lambda g, x, y, ans: mul(g, mul(copysign(_c(x, 1), x), copysign(_c(y, 1), y))), None),
    "nextafter": (lambda g, x, y, ans: g, None),
    "logaddexp": (lambda g, x, y, ans: mul(g, exp(sub(x, ans))), lambda g, x, y, ans: mul(g, exp(sub(y, ans)))),
    "logaddexp2": (lambda g, x, y, ans: mul(g, exp2(sub(x, ans))), lambda g, x, y, ans: mul(g, exp2(sub(y, ans)))),
    "ldexp": (lambda g, x, e, ans: ldexp(g, e), None),
}


def _abs_derivative(g, x, ans):
    if get_aval(x).dtype.kind == "c":
        safe = _select(eq(ans, _c(ans, 0)), _c(ans, 1), ans)
        return div(real(mul(conj(x), g)), safe)
    return mul(g, sign(x))


def _pow_dx(g, x, y):
    # y * x**(y - 1), with 0 where y == 0 (so 0**0 has derivative 0, as in JAX)
    dx = mul(y, pow_(x, sub(y, _c(y, 1))))
    return mul(g, _select(eq(y, _c(y, 0)), _c(dx, 0), dx))


def _pow_dy(g, x, ans):
    # log(x) * x**y, with 0 where x == 0
    safe_x = _select(eq(x, _c(x, 0)), _c(x, 1), x)
    return mul(g, mul(log(safe_x), ans))


def _broadcast(t, shape):
    if get_aval(t).shape == tuple(shape):
        return t
    return broadcast_in_dim_p.bind(t, shape=tuple(shape), broadcast_dimensions=())


def _elementwise_jvp(primitive, derivatives):
    def rule(primals, tangents, **params):
        ans = primitive.bind(*primals, **params)
        aval = get_aval(ans)
        shape = aval.shape
        tangent = Zero(ShapedArray(shape, aval.dtype))
        for derivative, t in zip(derivatives, tangents):
            if derivative is not None and type(t) is not Zero:
                tangent = add_tangents(tangent, _broadcast(derivative(t, *primals, ans), shape))
        return ans, tangent

    return rule


# Piecewise-constant functions and those with integer or boolean results.
ZERO_DERIVATIVE = (
    "sign floor ceil trunc round spacing floor_divide heaviside is_finite is_inf is_nan "
    "signbit not bitwise_count gcd lcm and or xor shift_left shift_right eq ne lt le gt ge"
).split()

for _name, _derivatives in DERIVATIVES.items():
    defjvp_rule(PRIMITIVES[_name], _elementwise_jvp(PRIMITIVES[_name], _derivatives))
for _name in ZERO_DERIVATIVE:
    defjvp_zero(PRIMITIVES[_name])


# ---------------------------------------------------------------- multiple results and complex parts


def _modf_jvp(primals, tangents):
    (x,), (g,) = primals, tangents
    fraction, integral = PRIMITIVES["modf"].bind(x)
    return [fraction, integral], [g, Zero(get_aval(integral))]


def _frexp_jvp(primals, tangents):
    (x,), (g,) = primals, tangents
    mantissa, exponent = PRIMITIVES["frexp"].bind(x)
    return [mantissa, exponent], [ldexp(g, neg(exponent)), Zero(get_aval(exponent))]


defjvp_rule(PRIMITIVES["modf"], _modf_jvp)
defjvp_rule(PRIMITIVES["frexp"], _frexp_jvp)


def _linear_jvp(name):
    primitive = PRIMITIVES[name]

    def rule(primals, tangents):
        return primitive.bind(*primals), primitive.bind(*[instantiate(t) for t in tangents])

    return rule


for _name in ("real", "imag", "conj", "complex"):
    defjvp_rule(PRIMITIVES[_name], _linear_jvp(_name))


# ---------------------------------------------------------------- transposes of the linear ones


def _unbroadcast(ct, operand):
    """Sum a cotangent back down to a rank-0 operand that was broadcast."""
    if operand.aval.shape == () and getattr(ct, "shape", ()) != ():
        return REDUCTIONS["reduce_sum"].bind(ct, axes=tuple(range(len(ct.shape))))
    return ct


def _linear_operand(x):
    return type(x) is UndefinedPrimal


def _transpose_add(ct, x, y):
    return [_unbroadcast(ct, x) if _linear_operand(x) else None, _unbroadcast(ct, y) if _linear_operand(y) else None]


def _transpose_sub(ct, x, y):
    return [_unbroadcast(ct, x) if _linear_operand(x) else None, _unbroadcast(neg(ct), y) if _linear_operand(y) else None]


def _transpose_mul(ct, x, y):
    if _linear_operand(x):
        return [_unbroadcast(mul(ct, y), x), None]
    return [None, _unbroadcast(mul(x, ct), y)]


def _transpose_div(ct, x, y):
    return [_unbroadcast(div(ct, y), x), None]


def _zeros_of(dtype):
    return np.zeros((), dtype)[()]


primitive_transposes.update({
    PRIMITIVES["add"]: _transpose_add,
    PRIMITIVES["sub"]: _transpose_sub,
    PRIMITIVES["mul"]: _transpose_mul,
    PRIMITIVES["div"]: _transpose_div,
    PRIMITIVES["neg"]: lambda ct, x: [neg(ct)],
    PRIMITIVES["conj"]: lambda ct, x: [conj(ct)],
    PRIMITIVES["real"]: lambda ct, x: [PRIMITIVES["complex"].bind(ct, _zeros_of(ct.dtype))],
    PRIMITIVES["imag"]: lambda ct, x: [PRIMITIVES["complex"].bind(_zeros_of(ct.dtype), neg(ct))],
    PRIMITIVES["complex"]: lambda ct, x, y: [
        _unbroadcast(real(ct), x) if _linear_operand(x) else None,
        _unbroadcast(PRIMITIVES["imag"].bind(neg(ct)), y) if _linear_operand(y) else None,
    ],
    PRIMITIVES["ldexp"]: lambda ct, x, e: [_unbroadcast(ldexp(ct, e), x), None],
})
