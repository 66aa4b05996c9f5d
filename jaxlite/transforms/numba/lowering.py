"""The lowering registries the Numba code generator reads; jaxlite.lax fills them beside its
primitives (lax/numba_lowerings.py), as it does the derivative and batching rules.

- scalar_rules[prim](args, in_avals, out_avals, **params) -> one expression per result, for
  elementwise primitives: the code generator fuses these into loops. `args` are the operands'
  scalar expressions; an expression must have exactly the result's dtype.
- reducer_rules[prim] = (init(dtype) -> expression, combine(acc, x, dtype) -> expression) for
  reductions over `axes`, fused at the end of an elementwise chain.
- block_reducers[prim](dtype) -> name of a function reducing a[:n] of a 1-d buffer a, or None:
  a reduction over the last axis then fills a buffer per block of that axis and reduces it with
  this function, so the loop filling it vectorizes (a float accumulator would chain every
  iteration to the last: LLVM may not reorder float additions).
- array_rules[prim](args, in_avals, out_avals, **params) -> one expression per result, each an
  array of the result's shape and dtype, C-contiguous and not aliasing an operand (it may be
  written to); or, for a primitive with several results, one expression (a string) evaluating
  to the tuple of them all (one LAPACK call for lu's three results, say). Used for everything
  else that Numba can run (matmul, reshapes, ...).

- control_rules[prim] = (emit(writer, eqn), sub_jaxprs(**params) -> jaxprs) for primitives
  holding jaxprs (cond, while, scan): `emit` writes the branches or loop with the writer's
  `inline`, `fresh`, `expr`, `define` and `emit` (codegen._Writer); the equation is lowerable
  when every equation of its jaxprs is.

- lowerable_if[prim](in_avals, out_avals, **params) -> bool limits a rule to the cases it
  handles (e.g. dot_general: 2-d float products).

A primitive in none of these (or whose condition fails) runs with NumPy between compiled
kernels.
"""

import contextlib

import numpy as np

__all__ = ["enclosing_trips", "loop_body", "scalar_rules", "reducer_rules", "block_reducers", "array_rules", "control_rules", "lowerable_if", "literal_code", "dtype_code"]

scalar_rules = {}
reducer_rules = {}
block_reducers = {}
array_rules = {}
control_rules = {}

_TRIPS = [1]  # while a loop body is written: how many times it will run (a while loop: many)


def enclosing_trips():
    """How many times the code being written runs per call: the product of the trip counts of
    the loops it is inside (rules that trade compile time for speed use it)."""
    return _TRIPS[-1]


@contextlib.contextmanager
def loop_body(trips):
    _TRIPS.append(_TRIPS[-1] * max(int(trips), 1))
    try:
        yield
    finally:
        _TRIPS.pop()
lowerable_if = {}


def dtype_code(dtype):
    """The Numba-visible name of a dtype's scalar type: np.float32, np.bool_, ..."""
    dtype = np.dtype(dtype)
    return "np.bool_" if dtype.kind == "b" else f"np.{dtype.name}"


def literal_code(value, dtype):
    """A constant of exactly `dtype` in generated code."""
    dtype = np.dtype(dtype)
    value = np.asarray(value, dtype)[()]
    if dtype.kind == "b":
        return "True" if value else "False"
    if dtype.kind == "c":
        return f"{dtype_code(dtype)}(complex({literal_code(value.real, value.real.dtype)}, {literal_code(value.imag, value.imag.dtype)}))"
    if dtype.kind == "f":
        if np.isnan(value):
            text = "np.nan"
        elif np.isinf(value):
            text = "np.inf" if value > 0 else "-np.inf"
        else:
            text = repr(float(value))
            if dtype == np.float64:  # Numba types a float literal as float64
                return f"({text})" if text.startswith("-") else text
        return f"{dtype_code(dtype)}({text})"
    return f"{dtype_code(dtype)}({int(value)})"
