"""jaxlite.lax: the primitives every jaxlite.numpy function is built from, as functions.

Unlike jaxlite.numpy these do not promote: operands share a dtype (a Python scalar takes
the other operand's), and elementwise operands share a shape or are rank 0.
"""

import numpy as np

from .. import dtypes as _dtypes
from ._elementwise_api import *  # noqa: F401,F403  (one function per elementwise primitive)
from ._elementwise_api import match_python_scalars as _match_python_scalars
from ._primitives import static_int_tuple as _ints
from .dot import dot_general_p
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .indexing import PRIMITIVES as _INDEXING
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
from .sort import sort_p
from . import elementwise_ad  # noqa: F401,E402  (registers the elementwise derivative rules)
from .stop_gradient import stop_gradient, stop_gradient_p
from .random_bits import threefry2x32, threefry2x32_p
from . import shape_ad  # noqa: F401,E402
from . import indexing_ad  # noqa: F401,E402
from . import reductions_ad  # noqa: F401,E402
from . import dot_ad  # noqa: F401,E402
from . import sort_ad  # noqa: F401,E402
from . import batching_rules  # noqa: F401,E402
from . import numba_lowerings  # noqa: F401,E402
from . import numba_array_lowerings  # noqa: F401,E402
from . import numba_vmath_rules  # noqa: F401,E402  (after numba_lowerings: wraps its rules)
from . import indexing_batching  # noqa: F401,E402

from .indexing import (  # noqa: E402
    dynamic_slice_p, dynamic_update_slice_p, gather_p, scatter_add_p, scatter_max_p, scatter_min_p,
    scatter_mul_p, scatter_p,
)
from .reductions import (  # noqa: E402
    argmax_p, argmin_p, cumlogsumexp_p, cummax_p, cummin_p, cumprod_p, cumsum_p, reduce_and_p,
    reduce_max_p, reduce_min_p, reduce_or_p, reduce_prod_p, reduce_sum_p, reduce_xor_p,
)

# Every primitive by name: the list the test suite and later transforms walk over.
PRIMITIVES = {
    **_ELEMENTWISE,
    **_INDEXING,
    **_REDUCTIONS,
    **{
        p.name: p
        for p in (
            broadcast_in_dim_p, concatenate_p, convert_element_type_p, copy_p, iota_p, pad_p,
            reshape_p, rev_p, select_n_p, slice_p, squeeze_p, transpose_p, dot_general_p, sort_p,
            stop_gradient_p, threefry2x32_p,
        )
    },
}

# Higher-order primitives (their params hold jaxprs): tested apart from PRIMITIVES' tables.
from .control_flow import cond, cond_p, fori_loop, map, scan, scan_p, switch, while_loop, while_p  # noqa: E402,A004
CONTROL_FLOW = {p.name: p for p in (cond_p, while_p, scan_p)}
from .fft import fft, fft_p  # noqa: E402
FFT = {fft_p.name: fft_p}  # not in PRIMITIVES: it has no Numba lowering (it runs with NumPy under jit)
from . import linalg, linalg_ad, linalg_batching, numba_linalg; LINALG = linalg.PRIMITIVES  # noqa: E402,E702  (tested in tests/lax/test_lax_linalg.py)
from . import control_flow_ad  # noqa: F401,E402
from . import control_flow_batching  # noqa: F401,E402
from . import numba_control_flow  # noqa: F401,E402
from .debug_callback import debug_callback_p  # noqa: E402,F401


# ---------------------------------------------------------------- shape and dtype


def broadcast_in_dim(operand, shape, broadcast_dimensions):
    return broadcast_in_dim_p.bind(operand, shape=_ints(shape), broadcast_dimensions=_ints(broadcast_dimensions))


def broadcast(operand, sizes):
    """Add leading axes of the given sizes."""
    shape = tuple(np.shape(operand))
    return broadcast_in_dim(operand, (*sizes, *shape), range(len(sizes), len(sizes) + len(shape)))


def reshape(operand, new_sizes):
    return reshape_p.bind(operand, new_sizes=_ints(new_sizes))


def transpose(operand, permutation):
    return transpose_p.bind(operand, permutation=_ints(permutation))


def squeeze(operand, dimensions):
    return squeeze_p.bind(operand, dimensions=_ints(dimensions))


def expand_dims(operand, dimensions):
    shape = list(operand.shape)
    for d in sorted(dimensions):
        shape.insert(d, 1)
    return reshape(operand, shape)


def rev(operand, dimensions):
    return rev_p.bind(operand, dimensions=_ints(dimensions))


def slice(operand, start_indices, limit_indices, strides=None):  # noqa: A001  (JAX's name)
    strides = None if strides is None else _ints(strides)
    return slice_p.bind(operand, start_indices=_ints(start_indices), limit_indices=_ints(limit_indices), strides=strides)


def pad(operand, padding_value, padding_config):
    config = tuple(_ints(c) for c in padding_config)
    return pad_p.bind(operand, np.asarray(padding_value, operand.dtype)[()] if _is_python(padding_value) else padding_value, padding_config=config)


def concatenate(operands, dimension):
    if len(operands) == 1:
        return operands[0]
    return concatenate_p.bind(*operands, dimension=int(dimension))


def convert_element_type(operand, new_dtype, weak_type=False):
    return convert_element_type_p.bind(operand, new_dtype=_dtypes.canonicalize_dtype(new_dtype), weak_type=bool(weak_type))


def copy(operand):
    return copy_p.bind(operand)


def iota(dtype, size):
    return iota_p.bind(dtype=_dtypes.canonicalize_dtype(dtype), shape=(int(size),), dimension=0)


def broadcasted_iota(dtype, shape, dimension):
    return iota_p.bind(dtype=_dtypes.canonicalize_dtype(dtype), shape=_ints(shape), dimension=int(dimension))


def select_n(which, *cases):
    return select_n_p.bind(which, *cases)


def select(pred, on_true, on_false):
    return select_n_p.bind(pred, on_false, on_true)


def _is_python(x):
    return type(x) in (bool, int, float, complex)


# ---------------------------------------------------------------- indexing


def gather(operand, indices, axes):
    return gather_p.bind(operand, *indices, axes=_ints(axes))


def _scatter(primitive):
    def apply(operand, indices, updates, axes):
        return primitive.bind(operand, updates, *indices, axes=_ints(axes))

    apply.__name__ = apply.__qualname__ = primitive.name
    return apply


scatter = _scatter(scatter_p)
scatter_add = _scatter(scatter_add_p)
scatter_mul = _scatter(scatter_mul_p)
scatter_min = _scatter(scatter_min_p)
scatter_max = _scatter(scatter_max_p)


def dynamic_slice(operand, start_indices, slice_sizes):
    return dynamic_slice_p.bind(operand, *start_indices, slice_sizes=_ints(slice_sizes))


def dynamic_update_slice(operand, update, start_indices):
    return dynamic_update_slice_p.bind(operand, update, *start_indices)


# ---------------------------------------------------------------- reductions


def _reducer(primitive):
    def apply(operand, axes):
        return primitive.bind(operand, axes=_ints(axes))

    apply.__name__ = apply.__qualname__ = primitive.name
    return apply


reduce_sum = _reducer(reduce_sum_p)
reduce_prod = _reducer(reduce_prod_p)
reduce_max = _reducer(reduce_max_p)
reduce_min = _reducer(reduce_min_p)
reduce_and = _reducer(reduce_and_p)
reduce_or = _reducer(reduce_or_p)
reduce_xor = _reducer(reduce_xor_p)


def argmax(operand, axis, index_dtype):
    return argmax_p.bind(operand, axis=int(axis), index_dtype=_dtypes.canonicalize_dtype(index_dtype))


def argmin(operand, axis, index_dtype):
    return argmin_p.bind(operand, axis=int(axis), index_dtype=_dtypes.canonicalize_dtype(index_dtype))


def _cumulative(primitive):
    def apply(operand, axis=0, reverse=False):
        return primitive.bind(operand, axis=int(axis), reverse=bool(reverse))

    apply.__name__ = apply.__qualname__ = primitive.name
    return apply


cumsum = _cumulative(cumsum_p)
cumprod = _cumulative(cumprod_p)
cummax = _cumulative(cummax_p)
cummin = _cumulative(cummin_p)
cumlogsumexp = _cumulative(cumlogsumexp_p)


# ---------------------------------------------------------------- contraction and sorting


def dot_general(lhs, rhs, dimension_numbers, preferred_element_type=None):
    (lc, rc), (lb, rb) = dimension_numbers
    dims = ((_ints(lc), _ints(rc)), (_ints(lb), _ints(rb)))
    pet = None if preferred_element_type is None else _dtypes.canonicalize_dtype(preferred_element_type)
    return dot_general_p.bind(lhs, rhs, dimension_numbers=dims, preferred_element_type=pet)


def sort(operand, dimension=-1, is_stable=True, num_keys=1):
    """Sort one operand, or a tuple/list of operands by their first `num_keys`."""
    operands = tuple(operand) if isinstance(operand, (tuple, list)) else (operand,)
    ndim = len(operands[0].shape)
    dimension = int(dimension) % ndim if ndim else 0
    out = sort_p.bind(*operands, dimension=dimension, is_stable=bool(is_stable), num_keys=int(num_keys))
    return tuple(out) if isinstance(operand, (tuple, list)) else out[0]
