"""Scalar rules that call jaxlite's vectorizable transcendental functions
(transforms/numba/vmath.py, `vm` in generated code) instead of libm, for the dtypes they cover:
LLVM can then vectorize the fused loops around them. Other dtypes keep numba_lowerings' rules."""

from ..transforms.numba.lowering import scalar_rules
from .elementwise import PRIMITIVES as _ELEMENTWISE

__all__ = []

# primitive -> dtypes with a vm.<name>_<f64|f32> implementation
VMATH = {name: ("float64", "float32") for name in ("exp", "log", "sin", "cos", "tanh")}
_SUFFIX = {"float64": "f64", "float32": "f32"}


def _vmath_rule(name, fallback):
    def rule(args, in_avals, out_avals, **params):
        dtype = out_avals[0].dtype.name
        if dtype in VMATH[name] and in_avals[0].dtype == out_avals[0].dtype:
            return [f"vm.{name}_{_SUFFIX[dtype]}({args[0]})"]
        return fallback(args, in_avals, out_avals, **params)

    return rule


for _name in VMATH:
    _prim = _ELEMENTWISE[_name]
    scalar_rules[_prim] = _vmath_rule(_name, scalar_rules[_prim])
