"""Elementwise primitives: one per NumPy ufunc, with NumPy's own loops as their semantics.

Each row of the tables names a primitive and the NumPy function that is its impl. Operands of
one primitive share a dtype (jaxlite.numpy promotes first, with NumPy 2 rules); the result
dtype is NumPy's for that loop (`bool` for comparisons, real for `abs` of complex, ...).
Shapes must be equal, except that rank-0 operands broadcast.
"""

import numpy as np

from ..core import ShapedArray
from ._primitives import standard_primitive

__all__ = []  # filled below from the tables


def _loop_out_dtype(name, ufunc, dtypes):
    key = (ufunc, dtypes)
    cached = _LOOP_CACHE.get(key)
    if cached is None:
        try:
            resolved = ufunc.resolve_dtypes(dtypes + (None,) * ufunc.nout)
        except TypeError:
            names = ", ".join(str(d) for d in dtypes)
            raise TypeError(f"{name} does not support operands of dtype ({names})") from None
        if resolved[: ufunc.nin] != dtypes:
            names = ", ".join(str(d) for d in dtypes)
            raise TypeError(
                f"{name} needs operands already promoted to one loop dtype, got ({names}); "
                "jaxlite.numpy functions promote automatically"
            )
        cached = _LOOP_CACHE[key] = resolved[ufunc.nin :]
    return cached


_LOOP_CACHE = {}


def _elementwise_shape(name, avals):
    shapes = {a.shape for a in avals if a.shape != ()}
    if len(shapes) > 1:
        shown = ", ".join(str(a.shape) for a in avals)
        raise ValueError(f"{name}: operand shapes must be equal or rank 0, got {shown}")
    return shapes.pop() if shapes else ()


def _ufunc_rule(name, ufunc):
    def abstract_eval(*avals):
        shape = _elementwise_shape(name, avals)
        out_dtypes = _loop_out_dtype(name, ufunc, tuple(a.dtype for a in avals))
        weak = all(a.weak_type for a in avals)
        if ufunc.nout == 1:
            return ShapedArray(shape, out_dtypes[0], weak and out_dtypes[0].kind != "b")
        return [ShapedArray(shape, d) for d in out_dtypes]

    return abstract_eval


def _ufunc_primitive(name, ufunc):
    return standard_primitive(name, ufunc, _ufunc_rule(name, ufunc), multiple_results=ufunc.nout > 1)


# name -> NumPy ufunc. Names follow jax.lax where it has the operation.
UNARY = {
    "neg": np.negative,
    "sign": np.sign,
    "floor": np.floor,
    "ceil": np.ceil,
    "trunc": np.trunc,
    "round": np.rint,  # half to even, as NumPy rounds
    "is_finite": np.isfinite,
    "is_inf": np.isinf,
    "is_nan": np.isnan,
    "signbit": np.signbit,
    "exp": np.exp,
    "exp2": np.exp2,
    "expm1": np.expm1,
    "log": np.log,
    "log2": np.log2,
    "log10": np.log10,
    "log1p": np.log1p,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "asin": np.arcsin,
    "acos": np.arccos,
    "atan": np.arctan,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
    "asinh": np.arcsinh,
    "acosh": np.arccosh,
    "atanh": np.arctanh,
    "sqrt": np.sqrt,
    "cbrt": np.cbrt,
    "square": np.square,
    "reciprocal": np.reciprocal,
    "abs": np.absolute,
    "conj": np.conjugate,
    "not": np.invert,  # bitwise not; logical not on bool
    "bitwise_count": np.bitwise_count,
    "spacing": np.spacing,
    "modf": np.modf,
    "frexp": np.frexp,
}

BINARY = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.true_divide,
    "floor_divide": np.floor_divide,
    "rem": np.remainder,  # sign of the divisor, as NumPy and Python
    "fmod": np.fmod,  # sign of the dividend, as C
    "pow": np.power,
    "max": np.maximum,
    "min": np.minimum,
    "fmax": np.fmax,
    "fmin": np.fmin,
    "atan2": np.arctan2,
    "hypot": np.hypot,
    "copysign": np.copysign,
    "nextafter": np.nextafter,
    "logaddexp": np.logaddexp,
    "logaddexp2": np.logaddexp2,
    "heaviside": np.heaviside,
    "gcd": np.gcd,
    "lcm": np.lcm,
    "ldexp": np.ldexp,
    "and": np.bitwise_and,
    "or": np.bitwise_or,
    "xor": np.bitwise_xor,
    "shift_left": np.left_shift,
    "shift_right": np.right_shift,  # arithmetic for signed, logical for unsigned, as NumPy
    "eq": np.equal,
    "ne": np.not_equal,
    "lt": np.less,
    "le": np.less_equal,
    "gt": np.greater,
    "ge": np.greater_equal,
}

PRIMITIVES = {name: _ufunc_primitive(name, ufunc) for name, ufunc in {**UNARY, **BINARY}.items()}


# Complex parts are not ufuncs: their rules are written out.
def _real_dtype(dtype):
    return np.empty(0, dtype).real.dtype


def _part_rule(name):
    def abstract_eval(x):
        return ShapedArray(x.shape, _real_dtype(x.dtype), x.weak_type)

    return abstract_eval


def _complex_impl(re, im):
    re, im = np.broadcast_arrays(re, im)
    out = np.empty(re.shape, np.result_type(re.dtype, np.complex64))
    out.real, out.imag = re, im
    return out


def _complex_rule(re, im):
    if re.dtype != im.dtype or re.dtype.kind != "f":
        raise TypeError(f"complex needs two real operands of one float dtype, got {re.dtype}, {im.dtype}")
    return ShapedArray(_elementwise_shape("complex", (re, im)), np.result_type(re.dtype, np.complex64))


PRIMITIVES["real"] = standard_primitive("real", np.real, _part_rule("real"))
def _imag_impl(x):
    part = np.imag(x)
    return part if part.flags.writeable else part.copy()  # NumPy's imag of a real array is read-only


PRIMITIVES["imag"] = standard_primitive("imag", _imag_impl, _part_rule("imag"))
PRIMITIVES["complex"] = standard_primitive("complex", _complex_impl, _complex_rule)
