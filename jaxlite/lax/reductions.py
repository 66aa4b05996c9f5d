"""Reductions over axes, arg-reductions and cumulative (scan-like) primitives."""

import numpy as np

from ..core import ShapedArray
from ._primitives import check_axes, standard_primitive

__all__ = []


def _reduced_shape(name, operand, axes):
    check_axes(name, axes, operand.ndim)
    return [s for d, s in enumerate(operand.shape) if d not in axes]


def _reducer_rule(name, needs_identity, kinds):
    def abstract_eval(operand, axes):
        if operand.dtype.kind not in kinds:
            raise TypeError(f"{name} does not support dtype {operand.dtype}")
        shape = _reduced_shape(name, operand, axes)
        if needs_identity and any(operand.shape[d] == 0 for d in axes):
            raise ValueError(
                f"{name}: zero-size array to a reduction with no identity (axes {axes} of shape "
                f"{operand.shape})"
            )
        return ShapedArray(shape, operand.dtype, operand.weak_type)

    return abstract_eval


def _reducer_impl(ufunc):
    def impl(operand, axes):
        return ufunc.reduce(operand, axis=axes, dtype=operand.dtype)

    return impl


def _minmax_impl(reduce):
    return lambda operand, axes: reduce(operand, axis=axes)


_NUMERIC = "biufc"
_ORDERED = "biuf"

# name -> (impl, needs an identity for empty axes, dtype kinds)
REDUCERS = {
    "reduce_sum": (_reducer_impl(np.add), False, _NUMERIC),
    "reduce_prod": (_reducer_impl(np.multiply), False, _NUMERIC),
    "reduce_max": (_minmax_impl(np.max), True, _ORDERED + "c"),
    "reduce_min": (_minmax_impl(np.min), True, _ORDERED + "c"),
    "reduce_and": (_reducer_impl(np.bitwise_and), False, "biu"),
    "reduce_or": (_reducer_impl(np.bitwise_or), False, "biu"),
    "reduce_xor": (_reducer_impl(np.bitwise_xor), False, "biu"),
}

PRIMITIVES = {
    name: standard_primitive(name, impl, _reducer_rule(name, needs_identity, kinds))
    for name, (impl, needs_identity, kinds) in REDUCERS.items()
}


# ---------------------------------------------------------------- argmax / argmin


def _arg_rule(name):
    def abstract_eval(operand, axis, index_dtype):
        shape = _reduced_shape(name, operand, (axis,))
        if operand.shape[axis] == 0:
            raise ValueError(f"{name}: attempt to get {name} of an empty sequence (axis {axis})")
        if np.dtype(index_dtype).kind not in "iu":
            raise TypeError(f"{name}: index_dtype must be an integer dtype, got {index_dtype}")
        return ShapedArray(shape, index_dtype)

    return abstract_eval


def _arg_impl(numpy_fn):
    return lambda operand, axis, index_dtype: numpy_fn(operand, axis=axis).astype(index_dtype)


PRIMITIVES["argmax"] = standard_primitive("argmax", _arg_impl(np.argmax), _arg_rule("argmax"))
PRIMITIVES["argmin"] = standard_primitive("argmin", _arg_impl(np.argmin), _arg_rule("argmin"))


# ---------------------------------------------------------------- cumulative


def _cumulative_impl(ufunc):
    def impl(operand, axis, reverse):
        if reverse:
            operand = np.flip(operand, axis)
        if operand.dtype.kind == "b" and ufunc in (np.add, np.multiply):
            out = (np.logical_or if ufunc is np.add else np.logical_and).accumulate(operand, axis=axis)
        else:
            out = ufunc.accumulate(operand, axis=axis, dtype=operand.dtype)
        return np.flip(out, axis) if reverse else out

    return impl


def _cumulative_rule(name, kinds):
    def abstract_eval(operand, axis, reverse):
        check_axes(name, (axis,), operand.ndim)
        if operand.dtype.kind not in kinds:
            raise TypeError(f"{name} does not support dtype {operand.dtype}")
        return operand

    return abstract_eval


# name -> (ufunc accumulated, dtype kinds)
CUMULATIVE = {
    "cumsum": (np.add, _NUMERIC),
    "cumprod": (np.multiply, _NUMERIC),
    "cummax": (np.maximum, _ORDERED),
    "cummin": (np.minimum, _ORDERED),
    "cumlogsumexp": (np.logaddexp, "f"),
}

for _name, (_ufunc, _kinds) in CUMULATIVE.items():
    PRIMITIVES[_name] = standard_primitive(_name, _cumulative_impl(_ufunc), _cumulative_rule(_name, _kinds))


reduce_sum_p = PRIMITIVES["reduce_sum"]
reduce_prod_p = PRIMITIVES["reduce_prod"]
reduce_max_p = PRIMITIVES["reduce_max"]
reduce_min_p = PRIMITIVES["reduce_min"]
reduce_and_p = PRIMITIVES["reduce_and"]
reduce_or_p = PRIMITIVES["reduce_or"]
reduce_xor_p = PRIMITIVES["reduce_xor"]
argmax_p = PRIMITIVES["argmax"]
argmin_p = PRIMITIVES["argmin"]
cumsum_p = PRIMITIVES["cumsum"]
cumprod_p = PRIMITIVES["cumprod"]
cummax_p = PRIMITIVES["cummax"]
cummin_p = PRIMITIVES["cummin"]
cumlogsumexp_p = PRIMITIVES["cumlogsumexp"]
