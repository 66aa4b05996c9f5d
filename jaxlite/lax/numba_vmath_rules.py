"""Scalar rules that call jaxlite's vectorizable transcendental functions
(transforms/numba/vmath.py, `vm` in generated code) instead of libm, for the dtypes they cover:
LLVM can then vectorize the fused loops around them. Other dtypes keep numba_lowerings' rules.

Each call is inlined, which costs compile time (~50 ms per call in a kernel, measured: a chain of
ten sin calls compiled in 1.0 s inlined, 0.5 s calling libm). Below VMATH_MIN_SIZE elements a
loop calls libm instead: there the compile costs more than the vector speed-up returns. (The
size counts every run of the loop: a loop inside a scan of 200 steps runs 200 times.)
"""

import math

from ..transforms.numba.lowering import enclosing_trips, scalar_rules
from .elementwise import PRIMITIVES as _ELEMENTWISE

__all__ = []

# primitive -> dtypes with a vm.<name>_<f64|f32> implementation
VMATH = {name: ("float64", "float32") for name in ("exp", "log", "sin", "cos", "tanh")}
_SUFFIX = {"float64": "f64", "float32": "f32"}
VMATH_MIN_SIZE = 4096


def _vmath_rule(name, fallback):
    def rule(args, in_avals, out_avals, **params):
        dtype = out_avals[0].dtype.name
        if (dtype in VMATH[name] and in_avals[0].dtype == out_avals[0].dtype
                and math.prod(out_avals[0].shape) * enclosing_trips() >= VMATH_MIN_SIZE):
            return [f"vm.{name}_{_SUFFIX[dtype]}({args[0]})"]
        return fallback(args, in_avals, out_avals, **params)

    return rule


for _name in VMATH:
    _prim = _ELEMENTWISE[_name]
    scalar_rules[_prim] = _vmath_rule(_name, scalar_rules[_prim])
