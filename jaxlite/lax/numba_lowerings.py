"""Numba lowerings of the elementwise primitives, convert_element_type, select_n and the
reductions (see transforms/numba/lowering.py for the registries; the other primitives' lowerings
are in numba_array_lowerings.py).

An elementwise primitive calls its NumPy ufunc on scalars inside the compiled loop (Numba picks
the loop by the operands' dtypes, as NumPy does) unless Numba's scalar version differs from
NumPy's loop for that dtype: then `_SPECIAL` gives an expression, often a call of a helper in
transforms/numba/scalar_helpers.py (imported as `sh` by generated modules). Every result is cast
to the primitive's exact result dtype, so Numba's own promotion never decides it.

float16: Numba has no float16 type, so equations with a float16 operand or result are left to
NumPy (`lowerable_if`).
"""

import numpy as np

from ..transforms.numba.lowering import (
    block_reducers, dtype_code, literal_code, lowerable_if, reducer_rules, scalar_rules,
)
from .elementwise import BINARY, PRIMITIVES as _ELEMENTWISE, UNARY
from .reductions import PRIMITIVES as _REDUCTIONS
from .shape import convert_element_type_p, copy_p, select_n_p
from .stop_gradient import stop_gradient_p

__all__ = []

_F16 = np.dtype(np.float16)


def _cast(expr, dtype):
    return f"{dtype_code(dtype)}({expr})"


def _lit(value, dtype):
    return literal_code(value, dtype)


def _suffix(dtype):
    """The helper-name suffix of a float or complex dtype's precision."""
    return "f32" if np.dtype(dtype) in (np.float32, np.complex64) else "f64"


# ---------------------------------------------------------------- special cases
# Each takes (args, operand dtype, result dtypes) and returns one expression per result, or
# None where the plain ufunc call is exact.


def _unsigned(dtype):
    return f"np.uint{8 * np.dtype(dtype).itemsize}"


# Numba marks signed integer +, - and * "no signed wrap" (overflow is undefined behaviour to
# LLVM, which then optimises assuming it never happens: sext(x * x) becomes zext(x * x), ...).
# NumPy wraps, so signed arithmetic runs on the same bits as unsigned integers.
def _wrapping(op):
    """Signed integers wrap through their unsigned type; floats use the plain operator, which
    Numba types faster than a ufunc call and computes in the operands' own precision."""

    def rule(args, d, outs):
        a, b = (args * 2)[:2]  # square: a * a
        if d.kind == "f":
            return [f"{a} {op} {b}"]
        if d.kind != "i":
            return None
        u = _unsigned(d)
        return [f"{u}({a}) {op} {u}({b})"]

    return rule


def _negative(args, d, outs):
    u = _unsigned(d)
    return [f"{u}(0) - {u}({args[0]})"] if d.kind == "i" else None


def _sign(args, d, outs):
    (a,), t = args, outs[0]
    if d.kind == "u":
        return [f"({_lit(1, t)} if {a} != 0 else {_lit(0, t)})"]
    if d.kind == "f":  # sign(-0.0) is +0.0, sign(nan) is nan
        return [f"({_lit(1, t)} if {a} > 0 else ({_lit(-1, t)} if {a} < 0 else ({a} if {a} != {a} else {_lit(0, t)})))"]
    if d.kind == "c":
        return [f"sh.sign_{_suffix(d)}({a})"]
    return None


def _reciprocal(args, d, outs):
    (a,), t = args, outs[0]
    if d.kind == "c":
        return [f"sh.creciprocal_{_suffix(d)}({a})"]
    if d.kind not in "iu":
        return None
    # 1 / 0 converted to an integer: whatever NumPy's loop gives on this platform
    with np.errstate(all="ignore"):
        at_zero = np.reciprocal(np.zeros(16, d))[0]
    ones = f"{a} == 1" + (f" or {a} == -1" if d.kind == "i" else "")
    return [f"({_lit(at_zero, t)} if {a} == 0 else ({a} if ({ones}) else {_lit(0, t)}))"]


def _spacing(args, d, outs):
    (a,), t = args, outs[0]
    tiny = np.finfo(d).smallest_subnormal
    return [f"({_lit(tiny, t)} if {a} == 0 else np.spacing({a}))"]


def _modf(args, d, outs):
    (a,), t = args, outs[0]
    frac = f"np.copysign({_lit(0, t)} if np.isinf({a}) else {a} - np.trunc({a}), {a})"
    return [frac, f"np.trunc({a})"]


def _frexp(args, d, outs):
    call = f"sh.frexp_{_suffix(d)}({args[0]})"
    return [f"{call}[0]", f"{call}[1]"]


def _floor_divide(args, d, outs):
    a, b = args
    if d.kind == "i":  # INT_MIN // -1 wraps to INT_MIN (Numba's loop gives 0)
        return [f"(-{a} if {b} == -1 else np.floor_divide({a}, {b}))"]
    if d.kind == "f":
        return [f"sh.floor_divide_{_suffix(d)}({a}, {b})"]
    return None


def _remainder(args, d, outs):
    (a, b), t = args, outs[0]
    if d.kind == "i":  # x % -1 is 0 (srem would trap on INT_MIN % -1)
        return [f"({_lit(0, t)} if {b} == -1 else np.remainder({a}, {b}))"]
    if d.kind == "f":
        return [f"sh.remainder_{_suffix(d)}({a}, {b})"]
    return None


def _fmod(args, d, outs):
    return [f"sh.fmod_signed({args[0]}, {args[1]})"] if d.kind == "i" else None


def _power(args, d, outs):
    (a, b) = args
    if d.kind == "i":
        return [f"sh.ipow_signed({a}, {b})"]
    if d.kind == "u":
        return [f"sh.ipow_unsigned({a}, {b})"]
    if d.kind == "c":
        return [f"sh.cpow_{_suffix(d)}({a}, {b})"]
    return None


# NumPy's loops: maximum/minimum propagate NaN, fmax/fmin ignore it; on ties (signed zeros) its
# contiguous loops return the second operand (its scalar loops sometimes the first).
def _minmax(op, ignore_nan):
    def rule(args, d, outs):
        if d.kind != "f":
            return None
        a, b = args
        nan_first = b if ignore_nan else a
        return [f"({a} if ({a} {op} {b} or {nan_first} != {nan_first}) else {b})"]

    return rule


def _heaviside(args, d, outs):
    (a, b), t = args, outs[0]
    return [f"({_lit(np.nan, t)} if {a} != {a} else ({_lit(0, t)} if {a} < 0 else ({b} if {a} == 0 else {_lit(1, t)})))"]


def _ldexp(args, d, outs):
    a, b = args
    # NumPy clamps a 64-bit exponent to the C int range (Numba would truncate it)
    lo, hi = np.iinfo(np.int32).min, np.iinfo(np.int32).max
    return [f"np.ldexp({a}, np.int32({hi} if {b} > {hi} else ({lo} if {b} < {lo} else {b})))"]


def _divide(args, d, outs):
    return [f"sh.cdiv_{_suffix(d)}({args[0]}, {args[1]})"] if d.kind == "c" else None


def _lcm(args, d, outs):
    return [f"sh.lcm({args[0]}, {args[1]})"]


def _bitwise_count(args, d, outs):
    return [f"sh.bitwise_count({args[0]})"]


def _abs(args, d, outs):
    return [f"sh.cabs_{_suffix(d)}({args[0]})"] if d.kind == "c" else None


def _shift_in_range(b, d):
    bits = _lit(8 * d.itemsize, d)
    return f"{b} < {bits}" if d.kind == "u" else f"({b} >= 0 and {b} < {bits})"


def _shift_left(args, d, outs):
    (a, b), t = args, outs[0]
    return [f"({a} << {b} if {_shift_in_range(b, d)} else {_lit(0, t)})"]


def _shift_right(args, d, outs):
    (a, b), t = args, outs[0]
    past = _lit(0, t) if d.kind == "u" else f"({_lit(-1, t)} if {a} < 0 else {_lit(0, t)})"
    return [f"({a} >> {b} if {_shift_in_range(b, d)} else {past})"]


def _complex_unary(name):
    def rule(args, d, outs):
        return [f"sh.c{name}_{_suffix(d)}({args[0]})"] if d.kind == "c" else None

    return rule


_SPECIAL = {
    "add": _wrapping("+"),
    "sub": _wrapping("-"),
    "mul": _wrapping("*"),
    "square": _wrapping("*"),
    "neg": _negative,
    "sign": _sign,
    "reciprocal": _reciprocal,
    "spacing": _spacing,
    "modf": _modf,
    "frexp": _frexp,
    "div": _divide,
    "floor_divide": _floor_divide,
    "rem": _remainder,
    "fmod": _fmod,
    "pow": _power,
    "max": _minmax(">", False),
    "min": _minmax("<", False),
    "fmax": _minmax(">", True),
    "fmin": _minmax("<", True),
    "heaviside": _heaviside,
    "ldexp": _ldexp,
    "lcm": _lcm,
    "bitwise_count": _bitwise_count,
    "abs": _abs,
    "shift_left": _shift_left,
    "shift_right": _shift_right,
    **{name: _complex_unary(name) for name in (
        "sin", "cos", "tan", "sinh", "cosh", "tanh", "asin", "acos", "asinh", "acosh", "atanh", "atan",
        "expm1")},
}


_OPERATORS = {"add", "sub", "mul", "square"}


def _ufunc_rule(name, ufunc):
    special = _SPECIAL.get(name)

    def rule(args, in_avals, out_avals):
        outs = [a.dtype for a in out_avals]
        exprs = special(args, in_avals[0].dtype, outs) if special else None
        if exprs is not None and name in _OPERATORS and in_avals[0].dtype.kind == "f":
            return exprs  # Numba types float op float as that float: no cast to spend time on
        if exprs is None:
            call = f"np.{ufunc.__name__}({', '.join(args)})"
            exprs = [call] if len(outs) == 1 else [f"{call}[{k}]" for k in range(len(outs))]
        return [_cast(e, t) for e, t in zip(exprs, outs)]

    return rule


def _no_float16(in_avals, out_avals, **params):
    return all(a.dtype != _F16 for a in (*in_avals, *out_avals))


for _name, _ufunc in {**UNARY, **BINARY}.items():
    scalar_rules[_ELEMENTWISE[_name]] = _ufunc_rule(_name, _ufunc)

def _part(name):
    """real or imag: a complex value's part; of a real (or bool) value itself, or zero."""

    def rule(args, in_avals, out_avals):
        out = out_avals[0].dtype
        if in_avals[0].dtype.kind == "c":
            return [_cast(f"({args[0]}).{name}", out)]
        return [_cast(args[0], out) if name == "real" else _lit(0, out)]

    return rule


scalar_rules[_ELEMENTWISE["real"]] = _part("real")
scalar_rules[_ELEMENTWISE["imag"]] = _part("imag")
scalar_rules[_ELEMENTWISE["complex"]] = lambda args, i, o: [_cast(f"complex({args[0]}, {args[1]})", o[0].dtype)]


def _convert(args, in_avals, out_avals, new_dtype, weak_type):
    """A C cast (float -> integer of NaN, infinities and out-of-range values is undefined there,
    and NumPy's results for them depend on its SIMD loops: not matched)."""
    (x,), src, out = args, in_avals[0].dtype, out_avals[0].dtype
    if out.kind == "b":
        return [f"({x} != 0)"]
    if src.kind == "c" and out.kind != "c":
        x = f"({x}).real"
    return [_cast(x, out)]


def _select_n(args, in_avals, out_avals):
    which, *cases = args
    expr = cases[-1]
    for k in range(len(cases) - 2, -1, -1):
        expr = f"({cases[k]} if {which} == {k} else {expr})"
    return [expr]


scalar_rules[convert_element_type_p] = _convert
scalar_rules[select_n_p] = _select_n
scalar_rules[copy_p] = lambda args, i, o: [args[0]]
scalar_rules[stop_gradient_p] = lambda args, i, o: [args[0]]


# ---------------------------------------------------------------- reductions


def _extreme(sign):
    """The identity of max (sign -1) or min (sign 1): the lowest or highest value of a dtype."""

    def init(dtype):
        dtype = np.dtype(dtype)
        if dtype.kind == "b":
            return "True" if sign > 0 else "False"
        if dtype.kind in "iu":
            info = np.iinfo(dtype)
            return literal_code(info.max if sign > 0 else info.min, dtype)
        return literal_code(complex(sign * np.inf, sign * np.inf) if dtype.kind == "c" else sign * np.inf, dtype)

    return init


def _pick(op):
    """max (op ">") or min (op "<") of an accumulator and a value; NaN wins, as in NumPy. Complex
    values compare lexicographically, a NaN in either part counting as NaN."""

    def combine(acc, x, dtype):
        if np.dtype(dtype).kind != "c":
            return f"({x} if ({x} {op} {acc} or {x} != {x}) else {acc})"
        a, v = f"({acc})", f"({x})"
        keep = (f"{a} != {a} or ({a}.real {op} {v}.real and {a}.imag == {a}.imag and {v}.imag == {v}.imag)"
                f" or ({a}.real == {v}.real and {a}.imag {op}= {v}.imag)")
        return f"({acc} if ({keep}) else {x})"

    return combine


def _all_ones(dtype):
    dtype = np.dtype(dtype)
    return "True" if dtype.kind == "b" else literal_code(-1 if dtype.kind == "i" else np.iinfo(dtype).max, dtype)


def _zero(dtype):
    return literal_code(0, dtype)


def _bitwise(op):
    return lambda acc, x, dtype: f"({acc} {op} {x})"


def _arith(op, bool_op):
    """acc + x or acc * x; on bool NumPy's add and multiply are logical or and and; signed
    integers wrap (computed as unsigned, see _wrapping)."""

    def combine(acc, x, dtype):
        dtype = np.dtype(dtype)
        if dtype.kind == "b":
            return f"({acc} {bool_op} {x})"
        if dtype.kind == "i":
            u = _unsigned(dtype)
            return _cast(f"{u}({acc}) {op} {u}({x})", dtype)
        return f"({acc} {op} {x})"

    return combine


# Float sums in NumPy's pairwise order, block by block (codegen.BLOCK).
block_reducers[_REDUCTIONS["reduce_sum"]] = lambda dtype: "sh.pairwise_sum" if np.dtype(dtype).kind == "f" else None

_REDUCERS = ("reduce_sum", "reduce_prod", "reduce_max", "reduce_min", "reduce_and", "reduce_or", "reduce_xor")
reducer_rules.update({
    _REDUCTIONS["reduce_sum"]: (_zero, _arith("+", "|")),
    _REDUCTIONS["reduce_prod"]: (lambda d: literal_code(1, d), _arith("*", "&")),
    _REDUCTIONS["reduce_max"]: (_extreme(-1), _pick(">")),
    _REDUCTIONS["reduce_min"]: (_extreme(1), _pick("<")),
    _REDUCTIONS["reduce_and"]: (_all_ones, _bitwise("&")),
    _REDUCTIONS["reduce_or"]: (_zero, _bitwise("|")),
    _REDUCTIONS["reduce_xor"]: (_zero, _bitwise("^")),
})

for _prim in [*_ELEMENTWISE.values(), convert_element_type_p, select_n_p, copy_p, stop_gradient_p,
              *(_REDUCTIONS[name] for name in _REDUCERS)]:
    lowerable_if[_prim] = _no_float16
