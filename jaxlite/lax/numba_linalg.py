"""Numba lowerings of the linalg primitives (linalg.py), as calls of
transforms/numba/linalg_helpers.py (`lh` in generated modules). A primitive with several
results (lu, qr, eigh, svd, eig) lowers to one helper call returning them all (one LAPACK call
per matrix); the helpers of svd and eig always return every result, and the rule keeps those
the params ask for.

float32 runs in float32 there (eager computes it in float64 for some): results agree to
float32 rounding.
"""

from ..transforms.numba.lowering import array_rules, lowerable_if
from .linalg import cholesky_p, eig_p, eigh_p, lu_p, lu_solve_p, qr_p, solve_p, svd_p, triangular_solve_p

__all__ = []


def _flag(value):
    return f"np.bool_({bool(value)})"  # one compile for both values (a bare True is a literal type)


def _solve_rule(args, in_avals, out_avals):
    return [f"lh.solve({args[0]}, {args[1]})"]


def _lu_solve_rule(args, in_avals, out_avals, *, transpose_a):
    a, lu, pivots, b = args  # a itself is not read: its factors stand in for it
    return [f"lh.lu_solve({lu}, {pivots}, {b}, {_flag(transpose_a)})"]


def _cholesky_rule(args, in_avals, out_avals):
    return [f"lh.cholesky({args[0]})"]


def _triangular_solve_rule(args, in_avals, out_avals, **params):
    flags = ", ".join(_flag(params[name]) for name in
                      ("left_side", "lower", "transpose_a", "conjugate_a", "unit_diagonal"))
    return [f"lh.triangular_solve({args[0]}, {args[1]}, {flags})"]


def _lu_rule(args, in_avals, out_avals):
    return f"lh.lu({args[0]})"


def _qr_rule(args, in_avals, out_avals, *, full_matrices):
    return f"lh.qr({args[0]}, {_flag(full_matrices)})"


def _eigh_rule(args, in_avals, out_avals, *, lower):
    return f"lh.eigh({args[0]}, {_flag(lower)})"


def _svd_rule(args, in_avals, out_avals, *, full_matrices, compute_uv):
    call = f"lh.svd({args[0]}, {_flag(full_matrices)}, {_flag(compute_uv)})"
    return call if compute_uv else f"{call}[:1]"


_EIG_KEPT = {(True, True): "", (True, False): "[:2]", (False, True): "[::2]", (False, False): "[:1]"}


def _eig_rule(args, in_avals, out_avals, *, compute_left_eigenvectors, compute_right_eigenvectors):
    flags = (compute_left_eigenvectors, compute_right_eigenvectors)
    kept = _EIG_KEPT[flags]  # lh.eig returns (w, vl, vr)
    return f"lh.eig({args[0]}, {_flag(flags[0])}, {_flag(flags[1])}){kept}"


def _lapack_dtypes(in_avals, out_avals, **params):
    """Operands LAPACK takes (results follow from them: lu's pivots are int32)."""
    return all(a.dtype.kind in "fc" and a.dtype.itemsize >= 4 for a in in_avals)


def _lu_solve_dtypes(in_avals, out_avals, **params):
    a, lu, pivots, b = in_avals  # the pivots are int32
    return _lapack_dtypes([a, lu, b], out_avals)


for _prim, _rule in ((solve_p, _solve_rule), (lu_solve_p, _lu_solve_rule), (cholesky_p, _cholesky_rule),
                     (triangular_solve_p, _triangular_solve_rule), (lu_p, _lu_rule), (qr_p, _qr_rule),
                     (eigh_p, _eigh_rule), (svd_p, _svd_rule), (eig_p, _eig_rule)):
    array_rules[_prim] = _rule
    lowerable_if[_prim] = _lu_solve_dtypes if _prim is lu_solve_p else _lapack_dtypes
