"""Numba lowerings of the elementwise primitives and reductions (see transforms/numba/lowering.py
for the registries; the other primitives' lowerings are in numba_array_lowerings.py).

Elementwise primitives call the same NumPy ufunc on scalars inside the compiled loop: Numba
implements NumPy's scalar loops, picking the loop by the operands' dtypes as NumPy does, and
each result is cast to the primitive's result dtype so no other promotion can creep in.
"""

import numpy as np

from ..transforms.numba.lowering import (
    dtype_code, literal_code, reducer_rules, scalar_rules,
)
from .elementwise import BINARY, PRIMITIVES as _ELEMENTWISE, UNARY
from .reductions import PRIMITIVES as _REDUCTIONS
from .shape import convert_element_type_p, copy_p, select_n_p
from .stop_gradient import stop_gradient_p

__all__ = []


def _cast(expr, aval):
    return f"{dtype_code(aval.dtype)}({expr})"


def _ufunc_rule(ufunc):
    def rule(args, in_avals, out_avals):
        call = f"np.{ufunc.__name__}({', '.join(args)})"
        if len(out_avals) == 1:
            return [_cast(call, out_avals[0])]
        return [_cast(f"{call}[{k}]", a) for k, a in enumerate(out_avals)]

    return rule


for _name, _ufunc in {**UNARY, **BINARY}.items():
    scalar_rules[_ELEMENTWISE[_name]] = _ufunc_rule(_ufunc)

scalar_rules[_ELEMENTWISE["real"]] = lambda args, i, o: [_cast(f"({args[0]}).real", o[0])]
scalar_rules[_ELEMENTWISE["imag"]] = lambda args, i, o: [_cast(f"({args[0]}).imag", o[0])]
scalar_rules[_ELEMENTWISE["complex"]] = lambda args, i, o: [_cast(f"complex({args[0]}, {args[1]})", o[0])]


def _convert(args, in_avals, out_avals, new_dtype, weak_type):
    (x,), (src,), (out,) = args, in_avals, out_avals
    if out.dtype.kind == "b":
        return [f"({x} != 0)"]
    if src.dtype.kind == "c" and out.dtype.kind != "c":
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


def _lowest(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return literal_code(-np.inf, dtype)
    if dtype.kind == "b":
        return "False"
    return literal_code(np.iinfo(dtype).min, dtype)


def _highest(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return literal_code(np.inf, dtype)
    if dtype.kind == "b":
        return "True"
    return literal_code(np.iinfo(dtype).max, dtype)


def _nan_max(acc, x, dtype):  # NaN wins, as in NumPy's max
    return f"({x} if ({x} > {acc} or {x} != {x}) else {acc})"


def _nan_min(acc, x, dtype):
    return f"({x} if ({x} < {acc} or {x} != {x}) else {acc})"


def _all_ones(dtype):
    dtype = np.dtype(dtype)
    return "True" if dtype.kind == "b" else literal_code(-1 if dtype.kind == "i" else np.iinfo(dtype).max, dtype)


reducer_rules.update({
    _REDUCTIONS["reduce_sum"]: (lambda d: literal_code(0, d), lambda acc, x, d: f"{acc} + {x}"),
    _REDUCTIONS["reduce_prod"]: (lambda d: literal_code(1, d), lambda acc, x, d: f"{acc} * {x}"),
    _REDUCTIONS["reduce_max"]: (_lowest, _nan_max),
    _REDUCTIONS["reduce_min"]: (_highest, _nan_min),
    _REDUCTIONS["reduce_and"]: (_all_ones, lambda acc, x, d: f"({acc} & {x})"),
    _REDUCTIONS["reduce_or"]: (lambda d: literal_code(0, d), lambda acc, x, d: f"({acc} | {x})"),
    _REDUCTIONS["reduce_xor"]: (lambda d: literal_code(0, d), lambda acc, x, d: f"({acc} ^ {x})"),
})
