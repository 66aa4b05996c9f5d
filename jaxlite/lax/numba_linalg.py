"""Numba lowerings of the linalg primitives (linalg.py) with one result: solve, cholesky and
triangular_solve, as calls of transforms/numba/linalg_helpers.py (`lh` in generated modules).

float32 runs in float32 there (eager computes it in float64): results agree to float32
rounding. lu, qr, eigh, svd and eig have several results, and an array rule gives one
expression per result (LAPACK would run once per result), so they run with NumPy under jit.
"""

from ..transforms.numba.lowering import array_rules, lowerable_if
from .linalg import cholesky_p, solve_p, triangular_solve_p

__all__ = []


def _flag(value):
    return f"np.bool_({bool(value)})"  # one compile for both values (a bare True is a literal type)


def _solve_rule(args, in_avals, out_avals):
    return [f"lh.solve({args[0]}, {args[1]})"]


def _cholesky_rule(args, in_avals, out_avals):
    return [f"lh.cholesky({args[0]})"]


def _triangular_solve_rule(args, in_avals, out_avals, **params):
    flags = ", ".join(_flag(params[name]) for name in
                      ("left_side", "lower", "transpose_a", "conjugate_a", "unit_diagonal"))
    return [f"lh.triangular_solve({args[0]}, {args[1]}, {flags})"]


def _lapack_dtypes(in_avals, out_avals, **params):
    return all(a.dtype.kind in "fc" and a.dtype.itemsize >= 4 for a in (*in_avals, *out_avals))


for _prim, _rule in ((solve_p, _solve_rule), (cholesky_p, _cholesky_rule),
                     (triangular_solve_p, _triangular_solve_rule)):
    array_rules[_prim] = _rule
    lowerable_if[_prim] = _lapack_dtypes
