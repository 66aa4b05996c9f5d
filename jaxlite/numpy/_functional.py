"""Functions taking functions, and a few bit and diagonal utilities: apply_along_axis,
apply_over_axes, piecewise, vectorize, frompyfunc, fill_diagonal, mask_indices, packbits,
unpackbits, and the `ufunc` type name.

vectorize (and apply_along_axis under a transform) are built on vmap, as in JAX: the function
is traced once with batched values, so it must be written with jaxlite.numpy functions (no
Python branching on values). Eagerly, apply_along_axis and piecewise call the function on
NumPy's slices, so any Python function works there.
"""

import re

import numpy as np

from ..core import Array, Tracer, concrete_or_error, set_current_trace
from ._base import (array_operand, dtype_arg, fresh, has_tracer, normalize_axis, numpy_error, shape_of, to_numpy,
                    tracing, wrap, NUMPY_ERRORS)
from ._base import wrap as wrap_array  # `wrap` is also a parameter of fill_diagonal
from ._creation import asarray, zeros_like
from ._index_functions import take
from ._manipulation import broadcast_to, concatenate, expand_dims, moveaxis, ravel, reshape, transpose
from ._ranges import arange
from ._reductions import any as _any, sum as _sum
from ._searching import where
from ._ufuncs import bitwise_and, logical_not, not_equal, right_shift

__all__ = [
    "apply_along_axis", "apply_over_axes", "piecewise", "vectorize", "frompyfunc", "fill_diagonal",
    "mask_indices", "packbits", "unpackbits", "ufunc",
]

# NumPy's universal function type. jaxlite's elementwise functions are plain functions, not
# instances of it; the name exists for code that mentions the type (isinstance checks, typing).
ufunc = np.ufunc


def _vmap(fun):
    from .._vmap import vmap  # the public API layer: imported when used, not at import time

    return vmap(fun)


def _eager_call(fname, call):
    try:
        return call()
    except NUMPY_ERRORS as error:
        raise numpy_error(error, fname) from None


def _numpy_function(function):
    """`function` (of jaxlite Arrays) as a function of NumPy arrays, for NumPy's drivers."""
    def on_numpy(value, *args, **kwargs):
        return np.asarray(to_numpy(asarray(function(wrap(value), *args, **kwargs))))
    return on_numpy


# ---------------------------------------------------------------- along and over axes


def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """func1d applied to every 1-d slice of `arr` along `axis`; its result's axes replace `axis`."""
    if not tracing() and not has_tracer((args, tuple(kwargs.values()))):
        value = to_numpy(asarray(arr))
        return wrap(np.asarray(_eager_call("apply_along_axis", lambda: np.apply_along_axis(
            _numpy_function(func1d), axis, value, *args, **kwargs))))
    x = array_operand(arr, "apply_along_axis", "arr")
    axis = normalize_axis(axis, x.ndim, "apply_along_axis")
    fun = lambda v: asarray(func1d(v, *args, **kwargs))  # noqa: E731
    for _ in range(x.ndim - 1):
        fun = _vmap(fun)
    out = fun(moveaxis(x, axis, -1))
    lead = x.ndim - 1
    perm = (*range(axis), *range(lead, out.ndim), *range(axis, lead))
    return transpose(out, perm)


def apply_over_axes(func, a, axes):
    """func(a, axis) for each axis in turn, keeping the dimensions (as numpy.apply_over_axes)."""
    value = asarray(a)
    ndim = value.ndim
    for axis in np.atleast_1d(np.asarray(axes)).tolist():
        axis = axis + ndim if axis < 0 else axis
        result = asarray(func(value, axis))
        if result.ndim != value.ndim:
            result = expand_dims(result, axis)
            if result.ndim != value.ndim:
                raise ValueError("apply_over_axes(): function is not returning an array of the correct shape")
        value = result
    return value


# ---------------------------------------------------------------- piecewise


def _condition_list(condlist, ndim):
    """NumPy's reading of condlist: one condition unless it is a list of conditions."""
    if isinstance(condlist, (bool, np.bool_)) or np.isscalar(condlist):
        return [condlist]
    first = condlist[0]
    is_array = isinstance(first, list) or (isinstance(first, (np.ndarray, Array, Tracer)) and shape_of(first) != ())
    return [condlist] if (not is_array and ndim != 0) else list(condlist)


def piecewise(x, condlist, funclist, *args, **kw):
    """funclist[k] (a function of x, or a value) where condlist[k] holds, later conditions
    winning; one extra function is the default where no condition holds; elsewhere 0."""
    if not tracing() and not has_tracer((x, condlist, args, tuple(kw.values()))):
        functions = [_numpy_function(f) if callable(f) else f for f in funclist]
        conds = _condition_list(condlist, np.ndim(to_numpy(asarray(x))))
        return wrap(np.asarray(_eager_call("piecewise", lambda: np.piecewise(
            to_numpy(asarray(x)), [to_numpy(asarray(c)) for c in conds], functions, *args, **kw))))
    x = asarray(x)
    conds = [broadcast_to(asarray(c).astype(bool), x.shape) for c in _condition_list(condlist, x.ndim)]
    if len(funclist) == len(conds) + 1:
        otherwise = logical_not(_any(concatenate([reshape(c, (1, *x.shape)) for c in conds]), axis=0))
        conds.append(otherwise)
    elif len(funclist) != len(conds):
        raise ValueError(f"piecewise(): with {len(conds)} condition(s), either {len(conds)} or {len(conds) + 1} "
                         "functions are expected")
    out = zeros_like(x)
    for cond, f in zip(conds, funclist):
        value = f(x, *args, **kw) if callable(f) else f
        out = where(cond, asarray(value).astype(x.dtype), out)
    return out


# ---------------------------------------------------------------- vectorize

_ARG = r"\((?:\w+(?:,\w+)*)?\)"
_SIGNATURE = re.compile(rf"^({_ARG}(?:,{_ARG})*)->({_ARG}(?:,{_ARG})*)$")


def _parse_signature(signature):
    """'(m,n),(n)->(m)' as (input core dims, output core dims): tuples of dimension names."""
    match = _SIGNATURE.match(signature.replace(" ", ""))
    if match is None:
        raise ValueError(f"not a valid gufunc signature: {signature}")
    return tuple(tuple(tuple(d for d in arg.split(",") if d) for arg in re.findall(r"\(([^)]*)\)", part))
                 for part in match.groups())


class vectorize:  # noqa: N801  (NumPy's name)
    """A function of array elements (or, with `signature`, of core subarrays) made to broadcast
    over the leading axes of its arguments, as numpy.vectorize, built on vmap as in JAX.

    `excluded` positions or keyword names are passed through unchanged; `otypes` converts the
    outputs. Used bare or with arguments as a decorator too."""

    def __init__(self, pyfunc=None, otypes=None, doc=None, excluded=None, cache=False, signature=None):
        self.pyfunc = pyfunc
        self.otypes = otypes
        self.excluded = frozenset(excluded or ())
        self.cache = cache
        self.signature = signature
        self._core = None if signature is None else _parse_signature(signature)
        self.__doc__ = doc if doc is not None else getattr(pyfunc, "__doc__", None)
        self.__name__ = getattr(pyfunc, "__name__", "vectorize")

    def __call__(self, *args, **kwargs):
        if self.pyfunc is None:  # @vectorize(otypes=...): the first call passes the function
            (pyfunc,) = args
            return vectorize(pyfunc, self.otypes, self.__doc__, self.excluded, self.cache, self.signature)
        positions = [i for i in range(len(args)) if i not in self.excluded]
        names = [k for k in kwargs if k not in self.excluded]
        dynamic = [asarray(args[i]) for i in positions] + [asarray(kwargs[k]) for k in names]

        def call(*values):
            full, keywords = list(args), dict(kwargs)
            for i, v in zip(positions, values):
                full[i] = v
            keywords.update(zip(names, values[len(positions):]))
            return self._outputs(self.pyfunc(*full, **keywords))

        if not dynamic:
            return call()
        cores = self._core[0] if self._core is not None else ((),) * len(dynamic)
        if len(cores) != len(dynamic):
            raise TypeError(f"wrong number of positional arguments: expected {len(cores)}, got {len(dynamic)}")
        loop_shape, sizes = _loop_shape(dynamic, cores)
        operands = [broadcast_to(x, loop_shape + x.shape[x.ndim - len(c):]) for x, c in zip(dynamic, cores)]
        fun = call
        for _ in loop_shape:
            fun = _vmap(fun)
        return fun(*operands)

    def _outputs(self, result):
        results = result if isinstance(result, tuple) else (result,)
        results = tuple(asarray(r) for r in results)
        if self._core is not None:
            cores = self._core[1]
            if len(cores) != len(results) or (len(cores) == 1 and isinstance(result, tuple)):
                raise ValueError(f"wrong number of outputs from pyfunc: expected {len(cores)}, got {len(results)}")
            for r, core in zip(results, cores):
                if r.ndim != len(core):
                    raise ValueError(f"output has {r.ndim} dimensions, but the signature {self.signature!r} "
                                     f"expects {len(core)} core dimensions")
        if self.otypes:
            otypes = list(self.otypes) if isinstance(self.otypes, str) else self.otypes
            results = tuple(r.astype(dtype_arg(t, "vectorize")) for r, t in zip(results, otypes))
        return results if isinstance(result, tuple) else results[0]


def _loop_shape(operands, cores):
    """The broadcast shape of the operands' loop (non-core) axes, checking core sizes agree."""
    sizes, shapes = {}, []
    for x, core in zip(operands, cores):
        if x.ndim < len(core):
            raise ValueError(f"{x.ndim}-dimensional argument does not have enough dimensions for all core "
                             f"dimensions {core}")
        for name, size in zip(core, x.shape[x.ndim - len(core):]):
            if sizes.setdefault(name, size) != size:
                raise ValueError(f"inconsistent size for core dimension {name!r}: {size} vs {sizes[name]}")
        shapes.append(x.shape[:x.ndim - len(core)])
    return tuple(np.broadcast_shapes(*shapes)), sizes


# ---------------------------------------------------------------- frompyfunc


class _PyFunc:
    """What frompyfunc returns: calls a Python function on each element (eagerly), as NumPy's
    object ufuncs do, and returns arrays of the results' natural dtype."""

    def __init__(self, func, nin, nout, identity):
        self._ufunc = np.frompyfunc(func, nin, nout, identity=identity)
        self.nin, self.nout, self.identity = nin, nout, identity
        self.__name__ = getattr(func, "__name__", "frompyfunc")

    def _run(self, method, *args, **kwargs):
        values = [to_numpy(concrete_or_error(a, self.__name__, f"x{i + 1}",
                                             fix="frompyfunc functions run eagerly only; use vectorize"))
                  if isinstance(a, (Array, Tracer)) else a for i, a in enumerate(args)]
        result = getattr(self._ufunc, method) if method else self._ufunc
        out = result(*values, **kwargs)
        return tuple(map(_natural, out)) if isinstance(out, tuple) else _natural(out)

    def __call__(self, *args, **kwargs):
        return self._run(None, *args, **kwargs)

    def reduce(self, *args, **kwargs):
        return self._run("reduce", *args, **kwargs)

    def accumulate(self, *args, **kwargs):
        return self._run("accumulate", *args, **kwargs)

    def outer(self, *args, **kwargs):
        return self._run("outer", *args, **kwargs)

    def __repr__(self):
        return f"<jaxlite frompyfunc {self.__name__} (nin={self.nin}, nout={self.nout})>"


def _natural(out):
    """An object array (or object) of results as an Array of the dtype NumPy infers for them."""
    listed = out.tolist() if isinstance(out, np.ndarray) else out
    return wrap(np.asarray(listed if not isinstance(listed, (Array, Tracer)) else to_numpy(listed)))


def frompyfunc(func, /, nin, nout, *, identity=None):
    """A ufunc-like callable applying the Python function `func` elementwise (eagerly only)."""
    return _PyFunc(func, nin, nout, identity)


# ---------------------------------------------------------------- diagonals and masks


def fill_diagonal(a, val, wrap=False, *, inplace=True):  # noqa: A002  (NumPy's names)
    """Write `val` (repeated as needed) onto the main diagonal of `a`. As NumPy, in place by
    default (returns None); inplace=False returns a new array instead, which is what works on
    traced arrays."""
    if inplace:
        if isinstance(a, Tracer) or has_tracer(val) or isinstance(val, Tracer):
            raise TypeError("fill_diagonal() changes its argument in place, which a traced array cannot do; "
                            "pass inplace=False to get a new array")
        if not isinstance(a, (Array, np.ndarray)):
            raise TypeError(f"fill_diagonal(): argument must be a jaxlite Array, got {type(a).__name__}")
        _eager_call("fill_diagonal", lambda: np.fill_diagonal(to_numpy(a), to_numpy(val), wrap))
        return None
    if not tracing():
        out = np.array(to_numpy(asarray(a)))
        _eager_call("fill_diagonal", lambda: np.fill_diagonal(out, to_numpy(asarray(val)), wrap))
        return wrap_array(out)
    x = array_operand(a, "fill_diagonal")
    positions = _diagonal_positions(x.shape, wrap)
    values = ravel(asarray(val))
    if values.size == 0 or positions.size == 0:
        return x
    values = take(values, np.arange(positions.size) % values.size).astype(x.dtype)
    return reshape(ravel(x).at[positions].set(values), x.shape)



def _diagonal_positions(shape, wrap_rows):
    if len(shape) < 2:
        raise ValueError("fill_diagonal(): array must be at least 2-d")
    size = int(np.prod(shape))
    if len(shape) == 2:
        end = size if wrap_rows else min(size, shape[1] * shape[1])
        return np.arange(0, end, shape[1] + 1)
    if len(set(shape)) != 1:
        raise ValueError("fill_diagonal(): all dimensions of input must be of equal length")
    return np.arange(0, size, 1 + int(np.cumprod(shape[:-1]).sum()))


def mask_indices(n, mask_func, k=0):
    """The indices (rows, columns) where mask_func(ones((n, n)), k) is nonzero, e.g. mask_func=triu.
    The mask is computed eagerly (n and k must be concrete), even inside transformed code."""
    n = int(concrete_or_error(n, "mask_indices", "n"))
    k = concrete_or_error(k, "mask_indices", "k")
    with set_current_trace(None):
        mask = to_numpy(asarray(mask_func(wrap(np.ones((n, n), np.int64)), k)))
    return fresh(tuple(wrap(i) for i in np.nonzero(mask)))


# ---------------------------------------------------------------- bits

_BIT_WEIGHTS = {"big": np.array([128, 64, 32, 16, 8, 4, 2, 1], np.uint8),
                "little": np.array([1, 2, 4, 8, 16, 32, 64, 128], np.uint8)}
_BIT_SHIFTS = {"big": np.arange(7, -1, -1, dtype=np.uint8), "little": np.arange(8, dtype=np.uint8)}


def _bit_axis(fname, x, axis, bitorder):
    if bitorder not in _BIT_WEIGHTS:
        raise ValueError(f"{fname}(): 'order' must be either 'little' or 'big'")
    if axis is None:
        return ravel(x), 0
    return x, normalize_axis(axis, x.ndim, fname)


def packbits(a, axis=None, bitorder="big"):
    """The elements' truth values packed 8 to a uint8 along `axis` (flattened if None), zero-padded."""
    if not tracing():
        return wrap(_eager_call("packbits", lambda: np.packbits(to_numpy(asarray(a)), axis, bitorder=bitorder)))
    x = array_operand(a, "packbits")
    if x.dtype.kind not in "biu":
        raise TypeError("packbits(): expected an input array of integer or boolean data type")
    x, axis = _bit_axis("packbits", x, axis, bitorder)
    bits = moveaxis(not_equal(x, 0).astype(np.uint8), axis, -1)
    n = bits.shape[-1]
    if n % 8:
        bits = concatenate([bits, zeros_like(bits, shape=bits.shape[:-1] + (8 - n % 8,))], axis=-1)
    groups = reshape(bits, bits.shape[:-1] + (bits.shape[-1] // 8, 8))
    packed = _sum(groups * _BIT_WEIGHTS[bitorder], axis=-1).astype(np.uint8)
    return moveaxis(packed, -1, axis)


def unpackbits(a, axis=None, count=None, bitorder="big"):
    """The bits of uint8 elements as uint8 0/1 values along `axis` (flattened if None); `count`
    keeps that many bits (negative: drops them from the end; more than there are: zero-pads)."""
    if not tracing():
        return wrap(_eager_call("unpackbits", lambda: np.unpackbits(to_numpy(asarray(a)), axis, count=count,
                                                                    bitorder=bitorder)))
    x = array_operand(a, "unpackbits")
    if x.dtype != np.uint8:
        raise TypeError("unpackbits(): expected an input array of unsigned byte data type")
    x, axis = _bit_axis("unpackbits", x, axis, bitorder)
    moved = moveaxis(x, axis, -1)
    bits = bitwise_and(right_shift(reshape(moved, moved.shape + (1,)), _BIT_SHIFTS[bitorder]), np.uint8(1))
    bits = reshape(bits, moved.shape[:-1] + (moved.shape[-1] * 8,))
    bits = _counted(bits, count)
    return moveaxis(bits, -1, axis)


def _counted(bits, count):
    if count is None:
        return bits
    total = bits.shape[-1]
    count = int(concrete_or_error(count, "unpackbits", "count"))
    if count < 0:
        if -count > total:
            raise ValueError("unpackbits(): -count larger than number of elements")
        count += total
    if count <= total:
        return bits[..., :count]
    return concatenate([bits, zeros_like(bits, shape=bits.shape[:-1] + (count - total,))], axis=-1)
