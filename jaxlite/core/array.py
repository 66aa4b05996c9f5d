"""`Array`: jaxlite's concrete array, a thin wrapper of a NumPy ndarray.

Operators and NumPy-style methods are installed by jaxlite.numpy (core does not import it);
this module holds what needs no array function: storage, conversion and protocol methods.
"""

import numpy as np

from .avals import ShapedArray
from .trace import Tracer

__all__ = ["Array", "wrap", "to_numpy", "to_numpy_array"]


class _ArrayMeta(type):
    # isinstance(tracer, Array) holds, as isinstance(tracer, jax.Array) does in JAX.
    def __instancecheck__(cls, instance):
        return type.__instancecheck__(cls, instance) or isinstance(instance, Tracer)


class _CpuDevice:
    __slots__ = ()

    def __repr__(self):
        return "CpuDevice(id=0)"

    def __eq__(self, other):
        return isinstance(other, _CpuDevice) or other == "cpu"

    def __hash__(self):
        return hash("cpu")


CPU = _CpuDevice()


class Array(metaclass=_ArrayMeta):
    """A concrete n-dimensional array. Eagerly it behaves like numpy.ndarray."""

    __slots__ = ("_value",)
    __array_priority__ = 100
    weak_type = False

    def __init__(self, value):
        self._value = np.asarray(value)

    shape = property(lambda self: self._value.shape)
    dtype = property(lambda self: self._value.dtype)
    ndim = property(lambda self: self._value.ndim)
    size = property(lambda self: self._value.size)
    itemsize = property(lambda self: self._value.itemsize)
    nbytes = property(lambda self: self._value.nbytes)
    device = property(lambda self: CPU)

    @property
    def aval(self):
        return ShapedArray(self._value.shape, self._value.dtype)

    def to_device(self, device, /, *, stream=None):
        if device != CPU:
            raise ValueError(f"Array.to_device: unknown device {device!r}; jaxlite has only {CPU!r}")
        return self

    def devices(self):
        return {CPU}

    def __array__(self, dtype=None, copy=None):
        if copy:
            return np.array(self._value, dtype=dtype, copy=True)
        if dtype is None or np.dtype(dtype) == self._value.dtype:
            return self._value
        if copy is False:
            raise ValueError(f"Array.__array__: converting {self.dtype} to {dtype} needs a copy")
        return self._value.astype(dtype)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        kwargs = {} if max_version is None else {"max_version": max_version}
        if dl_device is not None:
            kwargs["dl_device"] = dl_device
        if copy is not None:
            kwargs["copy"] = copy
        return self._value.__dlpack__(stream=stream, **kwargs)

    def __dlpack_device__(self):
        return self._value.__dlpack_device__()

    def __len__(self):
        return len(self._value)

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (wrap(row) for row in self._value)

    def __bool__(self):
        return bool(self._value)

    def __int__(self):
        return int(self._value)

    def __float__(self):
        return float(self._value)

    def __complex__(self):
        return complex(self._value)

    def __index__(self):
        return self._value.__index__()

    __hash__ = None  # arrays are mutable and compare elementwise

    def __repr__(self):
        if self._value.size == 0 and self._value.shape != (0,):
            body = f"[], shape={self._value.shape}"
        else:
            body = np.array2string(self._value, separator=", ", prefix="Array(")
        return f"Array({body}, dtype={self._value.dtype})"

    def __str__(self):
        return str(self._value)

    def __format__(self, spec):
        return format(self._value[()] if self._value.ndim == 0 else self._value, spec)

    def item(self, *args):
        return self._value.item(*args)

    def tolist(self):
        return self._value.tolist()

    def tobytes(self, order="C"):
        return self._value.tobytes(order)

    def __copy__(self):
        return wrap(self._value.copy())

    def __deepcopy__(self, memo):
        return wrap(self._value.copy())

    def __reduce__(self):
        return (Array, (self._value,))

    def __setitem__(self, index, value):
        if isinstance(value, Tracer) or _has_tracer(index):
            raise TypeError(
                "x[index] = value: cannot write a traced value into a concrete jaxlite Array "
                "created outside the transform. Inside transformed code build a new array with "
                "x = x.at[index].set(value), or create x inside the function."
            )
        self._value[_index_to_numpy(index)] = to_numpy(value)


def _has_tracer(index):
    if isinstance(index, tuple):
        return any(isinstance(i, Tracer) for i in index)
    return isinstance(index, Tracer)


def _index_to_numpy(index):
    if isinstance(index, tuple):
        return tuple(i._value if type(i) is Array else i for i in index)
    return index._value if type(index) is Array else index


_new_array = object.__new__


def wrap(value):
    """An Array around `value` (an ndarray or NumPy scalar), without copying."""
    array = _new_array(Array)
    array._value = value if type(value) is np.ndarray else np.array(value)  # faster than asarray on scalars
    return array


def to_numpy(x):
    """The NumPy value of an eager operand; a tracer here leaked out of its transform."""
    if type(x) is Array:
        return x._value
    if isinstance(x, Tracer):
        raise x._leaked_error()
    return x


def to_numpy_array(x):
    """Like to_numpy, with Python scalars as 0-d arrays of their default dtype (for impls)."""
    if type(x) is Array:
        return x._value
    if type(x) in _PYTHON_SCALARS:
        return np.asarray(x)
    return to_numpy(x)


_PYTHON_SCALARS = (bool, int, float, complex)

