"""The dtypes jaxlite supports and NumPy 2's type promotion between them.

Python scalars (``int``, ``float``, ``complex``, not ``bool``) are *weak* (NEP 50): they
take the dtype of the arrays they meet whenever that dtype can hold their kind. Weakness
is tracked as a flag next to the dtype, ``(dtype, weak)``, so traced values keep it too.
"""
import functools

import numpy as np

__all__ = [
    "dtype", "bool_", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128",
    "default_float", "default_int", "default_complex", "default_index",
    "bool_dtypes", "signed_integer_dtypes", "unsigned_integer_dtypes", "integer_dtypes",
    "real_floating_dtypes", "complex_floating_dtypes", "floating_dtypes",
    "numeric_dtypes", "all_dtypes", "supported_dtypes",
    "canonicalize_dtype", "dtype_and_weak", "promote",
    "result_type", "promote_types", "can_cast", "finfo", "iinfo", "isdtype", "issubdtype",
]

dtype = np.dtype

bool_ = np.dtype("bool")
int8, int16, int32, int64 = map(np.dtype, ("int8", "int16", "int32", "int64"))
uint8, uint16, uint32, uint64 = map(np.dtype, ("uint8", "uint16", "uint32", "uint64"))
float16, float32, float64 = map(np.dtype, ("float16", "float32", "float64"))
complex64, complex128 = map(np.dtype, ("complex64", "complex128"))

default_float = float64
default_int = int64
default_complex = complex128
default_index = int64

# The Array API tables; float16 is supported (as NumPy does) but is not in them.
bool_dtypes = (bool_,)
signed_integer_dtypes = (int8, int16, int32, int64)
unsigned_integer_dtypes = (uint8, uint16, uint32, uint64)
integer_dtypes = signed_integer_dtypes + unsigned_integer_dtypes
real_floating_dtypes = (float32, float64)
complex_floating_dtypes = (complex64, complex128)
floating_dtypes = real_floating_dtypes + complex_floating_dtypes
numeric_dtypes = integer_dtypes + floating_dtypes
all_dtypes = bool_dtypes + numeric_dtypes
# Every dtype jaxlite accepts, in promotion order within each kind.
supported_dtypes = (bool_, *integer_dtypes, float16, *floating_dtypes)


# ---------------------------------------------------------------------------
# Canonicalization

_BY_KIND_AND_SIZE = {(d.kind, d.itemsize): d for d in supported_dtypes}
_SUPPORTED_NAMES = ", ".join(str(d) for d in supported_dtypes)
_PYTHON_SCALAR_TYPES = (bool, int, float, complex)

# Hashable dtype specifiers seen before -> canonical dtype. Seeded with the Python types so
# that `int` is int64 on every platform.
_canonical_cache = {bool: bool_, int: int64, float: float64, complex: complex128}


def canonicalize_dtype(d):
    """Return the supported ``np.dtype`` that ``d`` names (anything ``np.dtype`` accepts,
    or an object with a ``.dtype``); raise ``TypeError`` for dtypes jaxlite lacks."""
    try:
        return _canonical_cache[d]
    except (KeyError, TypeError):  # TypeError: unhashable, e.g. an array or a field list
        pass
    if not isinstance(d, (np.dtype, str, type)) and hasattr(d, "dtype"):
        return canonicalize_dtype(d.dtype)
    dt = np.dtype(d)
    canonical = _BY_KIND_AND_SIZE.get((dt.kind, dt.itemsize))
    if canonical is None or dt.fields is not None:
        raise TypeError(f"jaxlite does not support dtype {dt}; "
                        f"supported dtypes are {_SUPPORTED_NAMES}")
    if isinstance(d, (np.dtype, str, type)):
        _canonical_cache[d] = canonical
    return canonical


# ---------------------------------------------------------------------------
# Weak types and promotion

# A Python bool is not weak: NumPy treats it exactly as np.bool_ (it is the lattice bottom,
# so it cannot change any result's dtype anyway).
_PYTHON_SCALAR_DTYPES = {
    bool: (bool_, False),
    int: (int64, True),
    float: (float64, True),
    complex: (complex128, True),
}


def dtype_and_weak(x):
    """``(dtype, weak)`` of an operand: a Python scalar, numpy array or scalar, or a duck
    array with ``.dtype`` and optionally ``.weak_type``. Anything else (e.g. a list) is
    converted by ``np.asarray``, which makes it strong, as in NumPy."""
    hit = _PYTHON_SCALAR_DTYPES.get(type(x))
    if hit is not None:
        return hit
    if hasattr(x, "dtype"):
        return canonicalize_dtype(x.dtype), bool(getattr(x, "weak_type", False))
    for t in _PYTHON_SCALAR_TYPES:  # subclasses, e.g. IntEnum
        if isinstance(x, t):
            return _PYTHON_SCALAR_DTYPES[t]
    return canonicalize_dtype(np.asarray(x).dtype), False


_KIND_RANK = {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}
_DEFAULT_OF_RANK = (bool_, default_int, default_float, default_complex)
_FLOAT_RANK, _COMPLEX_RANK = 2, 3


def promote(pairs):
    """NumPy 2's result of combining operands given as ``(dtype, weak)`` pairs; returns
    ``(dtype, weak)``. The result is weak only if every operand is."""
    return _promote(tuple(pairs))


@functools.lru_cache(maxsize=4096)
def _promote(pairs):
    if not pairs:
        raise ValueError("at least one array or dtype is required")
    strong = [canonicalize_dtype(d) for d, weak in pairs if not weak]
    weak_rank = max((_KIND_RANK[canonicalize_dtype(d).kind] for d, weak in pairs if weak),
                    default=-1)
    if not strong:
        return _DEFAULT_OF_RANK[weak_rank], True
    result = _promote_strong(strong)
    rank = _KIND_RANK[result.kind]
    if weak_rank <= rank:
        return result, False
    # A weak scalar of a higher kind keeps the strong precision when it can (float32 with
    # a Python complex gives complex64), otherwise takes its kind's default dtype.
    if rank == _FLOAT_RANK and weak_rank == _COMPLEX_RANK:
        return canonicalize_dtype(np.promote_types(result, complex64)), False
    return _DEFAULT_OF_RANK[weak_rank], False


def _promote_strong(dtypes):
    # np.promote_types is not associative: a left fold over (int8, uint8, float16) gives
    # float32, np.result_type float16. Like NumPy, promote each dtype with one of the
    # highest kind, then combine those results.
    main = max(dtypes, key=lambda d: _KIND_RANK[d.kind])
    promoted = [np.promote_types(main, d) for d in dtypes]
    return canonicalize_dtype(functools.reduce(np.promote_types, promoted))


# ---------------------------------------------------------------------------
# User-facing functions (NumPy / Array API)

def _is_python_scalar(x):
    return isinstance(x, _PYTHON_SCALAR_TYPES) and not isinstance(x, np.generic)


def _operand_pair(x):
    """``(dtype, weak)`` of a ``result_type`` argument: a dtype specifier or a value."""
    if isinstance(x, (np.dtype, type, str)):
        return canonicalize_dtype(x), False
    return dtype_and_weak(x)


def result_type(*arrays_and_dtypes):
    """The dtype NumPy 2 gives to combining the arguments (Python scalars are weak)."""
    return promote(_operand_pair(x) for x in arrays_and_dtypes)[0]


def promote_types(type1, type2):
    """The smallest dtype to which both dtypes may be safely cast."""
    return canonicalize_dtype(
        np.promote_types(canonicalize_dtype(type1), canonicalize_dtype(type2)))


def can_cast(from_, to, casting="safe"):
    """Whether a cast from ``from_`` (a dtype or an array) to ``to`` obeys ``casting``.
    Python scalars are refused, as by NumPy 2, whose answer for them would be by value."""
    if _is_python_scalar(from_):
        raise TypeError("can_cast() does not support Python scalars; pass a dtype or array")
    return bool(np.can_cast(canonicalize_dtype(from_), canonicalize_dtype(to), casting))


def _dtype_of(x):
    return dtype_and_weak(x)[0] if _is_python_scalar(x) else canonicalize_dtype(x)


class _FInfo:
    """numpy.finfo with the Array API's Python-float limits (eps, max, min, smallest_normal,
    ...) and int bits; NumPy's other attributes are passed through."""

    _FLOATS = ("eps", "epsneg", "max", "min", "smallest_normal", "smallest_subnormal", "tiny", "resolution")

    def __init__(self, info):
        self._info = info
        self.bits, self.dtype = int(info.bits), info.dtype
        for name in self._FLOATS:
            setattr(self, name, float(getattr(info, name)))

    def __getattr__(self, name):
        return getattr(self._info, name)

    def __repr__(self):
        return repr(self._info)


def finfo(type):
    """Machine limits of a floating dtype, given as a dtype, array or Python float."""
    return _FInfo(np.finfo(_dtype_of(type)))


def iinfo(type):
    """Machine limits of an integer dtype, given as a dtype, array or Python int."""
    return np.iinfo(_dtype_of(type))


_KIND_CHARS = {
    "bool": "b",
    "signed integer": "i",
    "unsigned integer": "u",
    "integral": "iu",
    "real floating": "f",
    "complex floating": "c",
    "numeric": "iufc",
}


def _is_dtype_object(x):
    """A dtype, a scalar type, or a dtype-like object such as jaxlite.numpy.float32 (not an array)."""
    return isinstance(x, (np.dtype, type)) or (isinstance(getattr(x, "dtype", None), np.dtype) and not hasattr(x, "shape"))


def isdtype(dtype, kind):
    """Array API ``isdtype``: whether ``dtype`` is ``kind`` (a dtype, a kind name, or a
    tuple of those)."""
    if not _is_dtype_object(dtype):
        raise TypeError(f"dtype argument must be a dtype, but it is a {type(dtype)}")
    dt = np.dtype(dtype)  # a predicate: unsupported dtypes get an answer, not an error
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return any(_is_kind(dt, k) for k in kinds)


def _is_kind(dt, kind):
    if isinstance(kind, str):
        if kind not in _KIND_CHARS:
            raise ValueError(f"unknown dtype kind {kind!r}; expected one of "
                             f"{', '.join(map(repr, _KIND_CHARS))}")
        return dt.kind in _KIND_CHARS[kind]
    if _is_dtype_object(kind):
        return dt == np.dtype(kind)
    raise TypeError(f"kind must be a dtype, a kind name or a tuple of them, not {kind!r}")


issubdtype = np.issubdtype
