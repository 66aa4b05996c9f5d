"""Numba array lowerings: primitives that are not fused into loops (matmul, reshapes, ...).

Each rule returns expressions for fresh C-contiguous arrays that do not alias an operand.
"""

from ..transforms.numba.lowering import array_rules, lowerable_if
from .dot import dot_general_p
from .shape import reshape_p, squeeze_p, transpose_p

__all__ = []


def _dot_general(args, in_avals, out_avals, dimension_numbers, preferred_element_type):
    """Matrix and vector products of floats through BLAS (np.dot)."""
    (lhs, rhs), (la, ra) = args, in_avals
    (lc, rc), (lb, rb) = dimension_numbers
    a = lhs if la.ndim < 2 or lc == (1,) else f"{lhs}.T"
    b = rhs if ra.ndim < 2 or rc == (0,) else f"{rhs}.T"
    return [f"np.ascontiguousarray(np.dot({a}, {b}))"]


def _dot_supported(in_avals, out_avals, dimension_numbers, preferred_element_type):
    la, ra = in_avals
    (lc, rc), (lb, rb) = dimension_numbers
    return (not lb and len(lc) == 1 and la.ndim <= 2 and ra.ndim <= 2 and la.ndim + ra.ndim >= 2
            and la.dtype.kind in "fc" and la.dtype == ra.dtype and preferred_element_type is None
            and (la.ndim == 1 or lc in ((0,), (1,))) and (ra.ndim == 1 or rc in ((0,), (1,))))


def _reshape(args, in_avals, out_avals, new_sizes):
    return [f"np.ascontiguousarray({args[0]}).reshape({tuple(new_sizes)}).copy()"]


def _squeeze(args, in_avals, out_avals, dimensions):
    return [f"np.ascontiguousarray({args[0]}).reshape({tuple(out_avals[0].shape)}).copy()"]


def _transpose(args, in_avals, out_avals, permutation):
    return [f"np.ascontiguousarray(np.transpose({args[0]}, {tuple(permutation)}))"]


array_rules[reshape_p] = _reshape
array_rules[squeeze_p] = _squeeze
array_rules[transpose_p] = _transpose
array_rules[dot_general_p] = _dot_general
lowerable_if[dot_general_p] = _dot_supported
