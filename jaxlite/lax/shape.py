"""Structural primitives: broadcasting, reshaping, slicing, padding, joining, casting, iota."""

import math

import numpy as np

from .. import dtypes
from ..core import ShapedArray
from ._primitives import check_axes, standard_primitive

__all__ = []


def _same(x, shape=None, dtype=None):
    return x.update(shape=shape, dtype=dtype)


# ---------------------------------------------------------------- broadcast_in_dim


def _broadcast_in_dim_impl(operand, shape, broadcast_dimensions):
    expanded = np.reshape(operand, [
        np.shape(operand)[broadcast_dimensions.index(d)] if d in broadcast_dimensions else 1
        for d in range(len(shape))
    ])
    out = np.empty(shape, expanded.dtype)  # a writable copy, never a view
    out[...] = expanded
    return out


def _broadcast_in_dim_rule(operand, shape, broadcast_dimensions):
    if len(broadcast_dimensions) != operand.ndim:
        raise ValueError(
            f"broadcast_in_dim: broadcast_dimensions {broadcast_dimensions} must have one entry "
            f"per operand dimension (operand shape {operand.shape})"
        )
    check_axes("broadcast_in_dim", broadcast_dimensions, len(shape))
    if list(broadcast_dimensions) != sorted(broadcast_dimensions):
        raise ValueError(f"broadcast_in_dim: broadcast_dimensions {broadcast_dimensions} must be increasing")
    for size, d in zip(operand.shape, broadcast_dimensions):
        if size not in (1, shape[d]):
            raise ValueError(f"broadcast_in_dim: cannot broadcast operand shape {operand.shape} to {shape}")
    return _same(operand, shape=shape)


broadcast_in_dim_p = standard_primitive("broadcast_in_dim", _broadcast_in_dim_impl, _broadcast_in_dim_rule)


# ---------------------------------------------------------------- reshape, transpose, squeeze, rev


def _reshape_rule(operand, new_sizes):
    if any(s < 0 for s in new_sizes) or math.prod(new_sizes) != operand.size:
        raise ValueError(f"reshape: cannot reshape an array of shape {operand.shape} into shape {new_sizes}")
    return _same(operand, shape=new_sizes)


reshape_p = standard_primitive("reshape", lambda x, new_sizes: np.reshape(x, new_sizes), _reshape_rule)


def _transpose_rule(operand, permutation):
    if sorted(permutation) != list(range(operand.ndim)):
        raise ValueError(f"transpose: {permutation} is not a permutation of the axes of shape {operand.shape}")
    return _same(operand, shape=[operand.shape[p] for p in permutation])


transpose_p = standard_primitive("transpose", lambda x, permutation: np.transpose(x, permutation), _transpose_rule)


def _squeeze_rule(operand, dimensions):
    check_axes("squeeze", dimensions, operand.ndim)
    if any(operand.shape[d] != 1 for d in dimensions):
        raise ValueError(f"squeeze: dimensions {dimensions} of shape {operand.shape} are not all of size 1")
    return _same(operand, shape=[s for d, s in enumerate(operand.shape) if d not in dimensions])


squeeze_p = standard_primitive("squeeze", lambda x, dimensions: np.squeeze(x, dimensions), _squeeze_rule)


def _rev_rule(operand, dimensions):
    check_axes("rev", dimensions, operand.ndim)
    return operand


rev_p = standard_primitive("rev", lambda x, dimensions: np.flip(x, dimensions), _rev_rule)


# ---------------------------------------------------------------- slice, pad, concatenate


def _slice_impl(operand, start_indices, limit_indices, strides):
    strides = strides or (1,) * len(start_indices)
    return operand[tuple(slice(a, b, s) for a, b, s in zip(start_indices, limit_indices, strides))]


def _slice_rule(operand, start_indices, limit_indices, strides):
    strides = strides or (1,) * operand.ndim
    if not len(start_indices) == len(limit_indices) == len(strides) == operand.ndim:
        raise ValueError(f"slice: need one start, limit and stride per axis of shape {operand.shape}")
    for lo, hi, step, size in zip(start_indices, limit_indices, strides, operand.shape):
        if not (0 <= lo <= hi <= size and step >= 1):
            raise ValueError(
                f"slice: start {start_indices}, limit {limit_indices}, strides {strides} "
                f"do not fit shape {operand.shape}"
            )
    shape = [max(0, -(-(hi - lo) // step)) for lo, hi, step in zip(start_indices, limit_indices, strides)]
    return _same(operand, shape=shape)


slice_p = standard_primitive("slice", _slice_impl, _slice_rule)


def _padded_size(size, lo, hi, interior):
    core = size + max(size - 1, 0) * interior
    return lo + core + hi


def _pad_impl(operand, padding_value, padding_config):
    grown = [(max(lo, 0), max(hi, 0), interior) for lo, hi, interior in padding_config]
    shape = [_padded_size(s, lo, hi, i) for s, (lo, hi, i) in zip(operand.shape, grown)]
    out = np.full(shape, padding_value, dtype=operand.dtype)
    out[tuple(slice(lo, lo + _padded_size(s, 0, 0, i), i + 1) for s, (lo, _, i) in zip(operand.shape, grown))] = operand
    crop = tuple(
        slice(-min(lo, 0), out.shape[d] + min(hi, 0)) for d, (lo, hi, _) in enumerate(padding_config)
    )
    return out[crop]


def _pad_rule(operand, padding_value, padding_config):
    if padding_value.shape != () or padding_value.dtype != operand.dtype:
        raise TypeError(
            f"pad: padding_value must be a scalar of the operand's dtype {operand.dtype}, got "
            f"{padding_value.str_short()}"
        )
    if len(padding_config) != operand.ndim or any(i < 0 for _, _, i in padding_config):
        raise ValueError(f"pad: padding_config {padding_config} does not fit shape {operand.shape}")
    shape = [_padded_size(s, lo, hi, i) for s, (lo, hi, i) in zip(operand.shape, padding_config)]
    if any(s < 0 for s in shape):
        raise ValueError(f"pad: padding_config {padding_config} gives a negative size for shape {operand.shape}")
    return _same(operand, shape=shape)


pad_p = standard_primitive("pad", _pad_impl, _pad_rule)


def _concatenate_rule(*operands, dimension):
    first = operands[0]
    check_axes("concatenate", (dimension,), first.ndim)
    for x in operands:
        if x.dtype != first.dtype:
            raise TypeError(f"concatenate: operands must share a dtype, got {first.dtype} and {x.dtype}")
        if x.ndim != first.ndim or any(
            a != b for d, (a, b) in enumerate(zip(x.shape, first.shape)) if d != dimension
        ):
            raise ValueError(
                f"concatenate: all shapes must match except along axis {dimension}, got "
                + ", ".join(str(y.shape) for y in operands)
            )
    shape = list(first.shape)
    shape[dimension] = sum(x.shape[dimension] for x in operands)
    return ShapedArray(shape, first.dtype, all(x.weak_type for x in operands))


concatenate_p = standard_primitive(
    "concatenate", lambda *xs, dimension: np.concatenate(xs, axis=dimension), _concatenate_rule
)


# ---------------------------------------------------------------- dtype conversion, copy, iota, select


def _convert_impl(operand, new_dtype, weak_type):
    with np.errstate(invalid="ignore", over="ignore"):
        return np.asarray(operand).astype(new_dtype)


def _convert_rule(operand, new_dtype, weak_type):
    return ShapedArray(operand.shape, dtypes.canonicalize_dtype(new_dtype), weak_type)


convert_element_type_p = standard_primitive("convert_element_type", _convert_impl, _convert_rule)

copy_p = standard_primitive("copy", lambda x: np.array(x, copy=True), lambda x: x)


def _iota_impl(dtype, shape, dimension):
    line = np.arange(shape[dimension], dtype=dtype)
    return _broadcast_in_dim_impl(line, shape, (dimension,))


def _iota_rule(dtype, shape, dimension):
    check_axes("iota", (dimension,), len(shape))
    return ShapedArray(shape, dtype)


iota_p = standard_primitive("iota", _iota_impl, _iota_rule)


def _select_n_impl(which, *cases):
    if np.asarray(which).dtype == np.bool_ and len(cases) == 2:
        return np.where(which, cases[1], cases[0])
    return np.choose(np.asarray(which).astype(np.intp), np.broadcast_arrays(*cases))


def _select_n_rule(which, *cases):
    if not cases:
        raise ValueError("select_n: needs at least one case")
    first = cases[0]
    for case in cases:
        if case.shape != first.shape or case.dtype != first.dtype:
            raise TypeError(
                "select_n: cases must share a shape and dtype, got "
                + ", ".join(c.str_short() for c in cases)
            )
    if which.shape not in ((), first.shape):
        raise ValueError(f"select_n: predicate shape {which.shape} must be () or the cases' shape {first.shape}")
    if which.dtype.kind not in "biu" or (which.dtype.kind == "b" and len(cases) > 2):
        raise TypeError(f"select_n: predicate must be bool (two cases) or integer, got {which.dtype}")
    return ShapedArray(first.shape, first.dtype, all(c.weak_type for c in cases))


select_n_p = standard_primitive("select_n", _select_n_impl, _select_n_rule)
