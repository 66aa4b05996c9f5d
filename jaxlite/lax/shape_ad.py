"""Derivatives of the structural primitives of shape.py, and helpers the other *_ad modules share.

Every primitive here but `iota` is linear in its array operands: its JVP is the primitive
applied to the tangents, and its transpose maps an output cotangent to one cotangent per
operand (None for an operand that is not a linear input of the equation being transposed).
`select_n` is linear in its cases only; its predicate stays primal (a residual).
"""

import numpy as np

from ..core import Tracer, get_aval, to_numpy
from ..transforms.ad import (
    UndefinedPrimal,
    Zero,
    defjvp_rule,
    defjvp_zero,
    deflinear,
    instantiate,
    primitive_transposes,
    zeros_like_aval,
)
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .reductions import PRIMITIVES as _REDUCTIONS
from .shape import (
    broadcast_in_dim_p,
    concatenate_p,
    convert_element_type_p,
    copy_p,
    iota_p,
    pad_p,
    reshape_p,
    rev_p,
    select_n_p,
    slice_p,
    squeeze_p,
    transpose_p,
)

__all__ = []

_reduce_sum_p = _REDUCTIONS["reduce_sum"]
_sub_p = _ELEMENTWISE["sub"]
_real_p = _ELEMENTWISE["real"]

_INDEX_DTYPE = np.dtype(np.int64)


# ---------------------------------------------------------------- helpers (shared by the *_ad modules)


def _is_linear(x):
    return type(x) is UndefinedPrimal


def _aval_of(x):
    return x.aval if type(x) is UndefinedPrimal else get_aval(x)


def _scalar(dtype, value):
    """A rank-0 NumPy value of `dtype`: becomes a literal in jaxprs."""
    return np.asarray(value, dtype)[()]


def _zeros(aval):
    return zeros_like_aval(aval.strip_weak_type())


def _full(shape, value, dtype):
    return broadcast_in_dim_p.bind(_scalar(dtype, value), shape=tuple(shape), broadcast_dimensions=())


def _reshape(x, shape):
    shape = tuple(int(s) for s in shape)
    return x if get_aval(x).shape == shape else reshape_p.bind(x, new_sizes=shape)


def _transpose(x, permutation):
    permutation = tuple(int(p) for p in permutation)
    return x if permutation == tuple(range(len(permutation))) else transpose_p.bind(x, permutation=permutation)


def _sum(x, axes):
    axes = tuple(sorted(int(a) for a in axes))
    return _reduce_sum_p.bind(x, axes=axes) if axes else x


def _iota(shape, dimension):
    return iota_p.bind(dtype=_INDEX_DTYPE, shape=tuple(shape), dimension=int(dimension))


def _shift(x, axis, offset, fill, reverse=False):
    """`x` moved `offset` places along `axis` (towards the end, or the start if `reverse`),
    with `fill` in the places it left: x[i - offset] (or x[i + offset])."""
    aval = get_aval(x)
    lo, hi = (-offset, offset) if reverse else (offset, -offset)
    config = tuple((lo, hi, 0) if d == axis else (0, 0, 0) for d in range(aval.ndim))
    return pad_p.bind(x, _scalar(aval.dtype, fill), padding_config=config)


def _convert(x, dtype, weak_type=False):
    """Convert `x` to `dtype`; complex to real keeps the real part (without NumPy's warning)."""
    dtype = np.dtype(dtype)
    src = get_aval(x).dtype
    if src.kind == "c" and dtype.kind != "c":
        x = _real_p.bind(x)
        src = get_aval(x).dtype
    if src == dtype:
        return x
    return convert_element_type_p.bind(x, new_dtype=dtype, weak_type=bool(weak_type))


def _concrete(x):
    """The NumPy value of `x` if it is known now (not only inside a staged program), else None."""
    if isinstance(x, Tracer):
        value = x.to_concrete_value()
        return None if value is None else np.asarray(value)
    return np.asarray(to_numpy(x))


def _linear_jvp(primitive, linear):
    """JVP of a primitive linear in the operands `range(n)[linear]` (a slice), with the others
    (indices, predicates) passed through as primals."""

    def rule(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        chosen = set(range(len(primals))[linear])
        args = [instantiate(t) if i in chosen else p for i, (p, t) in enumerate(zip(primals, tangents))]
        return out, primitive.bind(*args, **params)

    return rule


# ---------------------------------------------------------------- broadcast, reshape, transpose, squeeze, rev


def _broadcast_in_dim_transpose(ct, operand, *, shape, broadcast_dimensions):
    in_shape = operand.aval.shape
    expanded = [d for size, d in zip(in_shape, broadcast_dimensions) if size == 1 and shape[d] != 1]
    new = [d for d in range(len(shape)) if d not in broadcast_dimensions]
    return [_reshape(_sum(ct, new + expanded), in_shape)]


def _reshape_transpose(ct, operand, *, new_sizes):
    return [_reshape(ct, operand.aval.shape)]


def _transpose_transpose(ct, operand, *, permutation):
    return [_transpose(ct, np.argsort(permutation))]


def _squeeze_transpose(ct, operand, *, dimensions):
    return [_reshape(ct, operand.aval.shape)]


def _rev_transpose(ct, operand, *, dimensions):
    return [rev_p.bind(ct, dimensions=dimensions)]


deflinear(broadcast_in_dim_p, _broadcast_in_dim_transpose)
deflinear(reshape_p, _reshape_transpose)
deflinear(transpose_p, _transpose_transpose)
deflinear(squeeze_p, _squeeze_transpose)
deflinear(rev_p, _rev_transpose)


# ---------------------------------------------------------------- slice, pad, concatenate


def _slice_transpose(ct, operand, *, start_indices, limit_indices, strides):
    """Pad the cotangent back with zeros; a stride > 1 becomes interior padding."""
    shape = operand.aval.shape
    strides = strides or (1,) * len(shape)
    config = []
    for size, lo, step, n in zip(shape, start_indices, strides, get_aval(ct).shape):
        if n == 0:
            config.append((0, size, 0))
        else:
            span = (n - 1) * step + 1
            config.append((lo, size - lo - span, step - 1))
    if all(c == (0, 0, 0) for c in config):
        return [ct]
    return [pad_p.bind(ct, _scalar(operand.aval.dtype, 0), padding_config=tuple(config))]


def _pad_transpose(ct, operand, padding_value, *, padding_config):
    """The operand's cotangent is the cotangent at its places (negative padding, a crop, is
    undone by padding with zeros first); the padding value's is the sum of all the others."""
    aval = _aval_of(operand)
    dtype = get_aval(ct).dtype
    uncrop = tuple((max(-lo, 0), max(-hi, 0), 0) for lo, hi, _ in padding_config)
    full = ct
    if any(c != (0, 0, 0) for c in uncrop):
        full = pad_p.bind(ct, _scalar(dtype, 0), padding_config=uncrop)
    starts = tuple(max(lo, 0) for lo, _, _ in padding_config)
    limits = tuple(s + size + max(size - 1, 0) * i for s, size, (_, _, i) in zip(starts, aval.shape, padding_config))
    strides = tuple(i + 1 for _, _, i in padding_config)
    t_operand = full
    if get_aval(full).shape != aval.shape or any(s != 1 for s in strides):
        t_operand = slice_p.bind(
            full, start_indices=starts, limit_indices=limits, strides=None if all(s == 1 for s in strides) else strides
        )
    t_padding = None
    if _is_linear(padding_value):
        everything = tuple(range(aval.ndim))
        t_padding = _sub_p.bind(_sum(ct, everything), _sum(t_operand, everything))
    return [t_operand if _is_linear(operand) else None, t_padding]


def _concatenate_transpose(ct, *operands, dimension):
    cts, offset = [], 0
    ct_shape = get_aval(ct).shape
    for x in operands:
        size = _aval_of(x).shape[dimension]
        if _is_linear(x):
            starts = tuple(offset if d == dimension else 0 for d in range(len(ct_shape)))
            limits = tuple(offset + size if d == dimension else s for d, s in enumerate(ct_shape))
            cts.append(slice_p.bind(ct, start_indices=starts, limit_indices=limits, strides=None))
        else:
            cts.append(None)
        offset += size
    return cts


deflinear(slice_p, _slice_transpose)
deflinear(pad_p, _pad_transpose)
deflinear(concatenate_p, _concatenate_transpose)


# ---------------------------------------------------------------- convert, copy, iota, select


def _convert_element_type_jvp(primals, tangents, *, new_dtype, weak_type):
    (x,), (t,) = primals, tangents
    out = convert_element_type_p.bind(x, new_dtype=new_dtype, weak_type=weak_type)
    if type(t) is Zero or np.dtype(new_dtype).kind not in "fc":
        return out, Zero(get_aval(out).strip_weak_type())
    return out, _convert(t, new_dtype, weak_type)


def _convert_element_type_transpose(ct, operand, *, new_dtype, weak_type):
    # Float -> float converts back; real -> complex takes the real part of the cotangent and
    # complex -> real puts it in the real part (JAX's convention, as for `real`/`complex`).
    # Conversions to integers have zero tangents, so never appear in a linear program.
    aval = operand.aval
    return [_convert(ct, aval.dtype, aval.weak_type)]


defjvp_rule(convert_element_type_p, _convert_element_type_jvp)
primitive_transposes[convert_element_type_p] = _convert_element_type_transpose

deflinear(copy_p, lambda ct, operand: [ct])
defjvp_zero(iota_p)


def _select_n_transpose(ct, which, *cases):
    """Case i gets the cotangent where `which` chose it, and zero elsewhere."""
    if _is_linear(which):
        raise ValueError("select_n: the predicate cannot be a linear input")
    zeros = None
    cts = [None]
    for i, case in enumerate(cases):
        if not _is_linear(case):
            cts.append(None)
            continue
        if zeros is None:
            zeros = _zeros(get_aval(ct))
        cts.append(select_n_p.bind(which, *[ct if j == i else zeros for j in range(len(cases))]))
    return cts


defjvp_rule(select_n_p, _linear_jvp(select_n_p, slice(1, None)))
primitive_transposes[select_n_p] = _select_n_transpose
