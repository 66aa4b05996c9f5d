import enum
import itertools

import numpy as np
import pytest
from hypothesis import given, strategies as st

from jaxlite import dtypes

SUPPORTED = [np.dtype(name) for name in (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128")]
PAIRS = list(itertools.product(SUPPORTED, repeat=2))
# One Python scalar of each kind, with the dtype and weakness jaxlite gives it.
SCALARS = [(True, np.dtype("bool"), False), (1, np.dtype("int64"), True),
           (1.0, np.dtype("float64"), True), (1j, np.dtype("complex128"), True)]
WEAK_VALUE = {"b": True, "i": 1, "u": 1, "f": 1.0, "c": 1j}
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]


class Duck:
    """Stands in for jaxlite's Array and tracers: a ``.dtype`` and a ``.weak_type``."""

    def __init__(self, dtype, weak_type=False):
        self.dtype = np.dtype(dtype)
        self.weak_type = weak_type


def numpy_operand(dtype, weak):
    """What NumPy needs to see to promote like ``(dtype, weak)``."""
    return WEAK_VALUE[np.dtype(dtype).kind] if weak else np.empty(0, dtype)


def test_all_names_exist():
    for name in dtypes.__all__:
        assert hasattr(dtypes, name), name


# --- constants and tables ---------------------------------------------------

def test_dtype_constants_are_dtype_instances():
    names = ["bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
             "float16", "float32", "float64", "complex64", "complex128"]
    for name, expected in zip(names, SUPPORTED):
        value = getattr(dtypes, name)
        assert isinstance(value, np.dtype) and value == expected
    assert dtypes.default_float == np.float64
    assert dtypes.default_int == dtypes.default_index == np.int64
    assert dtypes.default_complex == np.complex128
    assert dtypes.dtype is np.dtype


def test_category_tables():
    d = dtypes
    assert d.bool_dtypes == (np.dtype(bool),)
    assert set(d.signed_integer_dtypes) == {np.dtype(f"int{n}") for n in (8, 16, 32, 64)}
    assert set(d.unsigned_integer_dtypes) == {np.dtype(f"uint{n}") for n in (8, 16, 32, 64)}
    assert set(d.integer_dtypes) == set(d.signed_integer_dtypes + d.unsigned_integer_dtypes)
    assert set(d.real_floating_dtypes) == {np.dtype("float32"), np.dtype("float64")}
    assert set(d.complex_floating_dtypes) == {np.dtype("complex64"), np.dtype("complex128")}
    assert set(d.floating_dtypes) == set(d.real_floating_dtypes + d.complex_floating_dtypes)
    assert set(d.numeric_dtypes) == set(d.integer_dtypes + d.floating_dtypes)
    assert set(d.all_dtypes) == set(d.bool_dtypes + d.numeric_dtypes)
    assert len(d.all_dtypes) == 13 and np.dtype("float16") not in d.all_dtypes
    assert list(d.supported_dtypes) == SUPPORTED


# --- canonicalize_dtype -----------------------------------------------------

@pytest.mark.parametrize("spec, expected", [
    (bool, "bool"), (int, "int64"), (float, "float64"), (complex, "complex128"),
    ("float32", "float32"), ("f4", "float32"), ("i1", "int8"), ("?", "bool"),
    ("int", "int64"), ("uint", "uint64"), ("c16", "complex128"), ("e", "float16"),
    (np.float32, "float32"), (np.intc, "int32"), (np.longlong, "int64"), (np.uint8, "uint8"),
    (np.bool_, "bool"), (np.dtype("complex64"), "complex64"), (">f8", "float64"),
    (np.empty(2, np.int16), "int16"), (np.float32(1), "float32"), (Duck("uint32"), "uint32"),
])
def test_canonicalize_dtype(spec, expected):
    result = dtypes.canonicalize_dtype(spec)
    assert result == np.dtype(expected)
    assert result is getattr(dtypes, "bool_" if expected == "bool" else expected)


@pytest.mark.parametrize("spec", [
    object, "O", str, "U5", bytes, "S3", "datetime64[s]", "M8", "timedelta64", "m8[ns]",
    "V4", [("a", "i4"), ("b", "f8")], np.dtype([("a", "i4")]), np.longdouble,
    np.clongdouble, np.empty(1, object), np.array(["x"]),
])
def test_canonicalize_dtype_rejects_unsupported(spec):
    with pytest.raises(TypeError, match="jaxlite does not support dtype .*; supported "
                                        "dtypes are bool, int8, .*, complex128"):
        dtypes.canonicalize_dtype(spec)


def test_canonicalize_dtype_error_message():
    with pytest.raises(TypeError) as info:
        dtypes.canonicalize_dtype(object)
    assert str(info.value) == (
        "jaxlite does not support dtype object; supported dtypes are bool, int8, int16, "
        "int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64, complex64, "
        "complex128")


def test_canonicalize_dtype_not_a_dtype():
    with pytest.raises(TypeError):
        dtypes.canonicalize_dtype("not a dtype")


# --- weak types -------------------------------------------------------------

class Color(enum.IntEnum):
    RED = 1


@pytest.mark.parametrize("value, dtype, weak", SCALARS + [
    (Color.RED, "int64", True),
    (np.float64(1.0), "float64", False),  # a subclass of Python float, but strong
    (np.int8(1), "int8", False),
    (np.bool_(True), "bool", False),
    (np.array(1.0, np.float32), "float32", False),
    (np.empty((2, 3), np.uint16), "uint16", False),
    (Duck("float64", weak_type=True), "float64", True),
    (Duck("int32"), "int32", False),
    ([1, 2], "int64", False),
])
def test_dtype_and_weak(value, dtype, weak):
    assert dtypes.dtype_and_weak(value) == (np.dtype(dtype), weak)


def test_duck_without_weak_type_is_strong():
    class Plain:
        dtype = np.dtype("float32")
    assert dtypes.dtype_and_weak(Plain()) == (np.dtype("float32"), False)


def test_python_bool_is_not_weak_in_numpy():
    # Were True weak, bool_array + True could differ from bool_array + np.True_; it never
    # does, and True + 1 gives NumPy's strong int64 result either way.
    for d in SUPPORTED:
        assert np.result_type(np.empty(0, d), True) == np.result_type(np.empty(0, d), np.True_)


# --- promotion --------------------------------------------------------------

@pytest.mark.parametrize("a, b", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_promote_strong_pairs(a, b):
    expected = np.result_type(np.empty(0, a), np.empty(0, b))
    assert dtypes.promote([(a, False), (b, False)]) == (expected, False)
    assert dtypes.result_type(a, b) == expected
    assert dtypes.promote_types(a, b) == np.promote_types(a, b)


@pytest.mark.parametrize("d", SUPPORTED, ids=str)
@pytest.mark.parametrize("scalar, scalar_dtype, weak", SCALARS, ids=lambda x: repr(x))
def test_promote_strong_with_python_scalar(d, scalar, scalar_dtype, weak):
    expected = np.result_type(np.empty(0, d), scalar)
    assert dtypes.promote([(d, False), (scalar_dtype, weak)]) == (expected, False)
    assert dtypes.promote([(scalar_dtype, weak), (d, False)]) == (expected, False)
    assert dtypes.result_type(np.empty(0, d), scalar) == expected
    assert dtypes.result_type(scalar, Duck(d)) == expected


def test_promote_all_strong_triples():
    for triple in itertools.product(SUPPORTED, repeat=3):
        expected = np.result_type(*(np.empty(0, d) for d in triple))
        assert dtypes.promote((d, False) for d in triple) == (expected, False), triple


@pytest.mark.parametrize("triple, expected", [
    # np.promote_types is not associative; np.result_type does not depend on the order.
    (("int8", "uint8", "float16"), "float16"),
    (("int8", "uint16", "float16"), "float32"),
    (("int16", "uint16", "complex64"), "complex64"),
])
def test_promote_is_not_a_left_fold(triple, expected):
    for order in itertools.permutations(triple):
        assert dtypes.result_type(*order) == np.dtype(expected) == np.result_type(*order)


@pytest.mark.parametrize("pairs, expected", [
    ([(np.int64, True)], (np.int64, True)),
    ([(np.float64, True)], (np.float64, True)),
    ([(np.int64, True), (np.int64, True)], (np.int64, True)),
    ([(np.int64, True), (np.float64, True)], (np.float64, True)),
    ([(np.float64, True), (np.complex128, True)], (np.complex128, True)),
    ([(np.int64, True), (np.float64, True), (np.complex128, True)], (np.complex128, True)),
    ([(np.bool_, False), (np.int64, True)], (np.int64, False)),
    ([(np.bool_, False), (np.float64, True)], (np.float64, False)),
    ([(np.float32, False), (np.int64, True), (np.complex128, True)], (np.complex64, False)),
    ([(np.float16, False), (np.int16, False), (np.complex128, True)], (np.complex64, False)),
    ([(np.float32, False), (np.int32, False), (np.complex128, True)], (np.complex128, False)),
    ([(np.uint64, False), (np.int64, True)], (np.uint64, False)),
    ([(np.int8, False), (np.int64, True), (np.float64, True)], (np.float64, False)),
])
def test_promote_weak_cases(pairs, expected):
    assert dtypes.promote(pairs) == (np.dtype(expected[0]), expected[1])
    assert np.result_type(*(numpy_operand(d, w) for d, w in pairs)) == expected[0]


def test_promote_accepts_dtype_specifiers_and_iterables():
    assert dtypes.promote(iter([("float32", False), (float, True)])) == (np.float32, False)
    assert dtypes.promote([(np.float32, False), (np.int64, True)]) == (np.float32, False)


def test_promote_empty():
    with pytest.raises(ValueError):
        dtypes.promote([])
    with pytest.raises(ValueError):
        dtypes.result_type()


pair_strategy = st.tuples(st.sampled_from(SUPPORTED), st.booleans()).map(
    lambda p: (p[0], p[1] and p[0].kind != "b"))  # a weak bool does not exist


@given(st.lists(pair_strategy, min_size=1, max_size=6), st.randoms())
def test_promote_matches_numpy(pairs, rng):
    dtype, weak = dtypes.promote(pairs)
    assert dtype == np.result_type(*(numpy_operand(d, w) for d, w in pairs))
    assert weak == all(w for _, w in pairs)
    rng.shuffle(pairs)
    assert dtypes.promote(pairs) == (dtype, weak)


# --- result_type ------------------------------------------------------------

@pytest.mark.parametrize("args", [
    (np.empty(0, np.float32), 1.0),
    (np.empty(0, np.float32), float),  # a Python type is a dtype specifier: strong
    (np.float32, "int16"),
    (np.float32(1), 1j),
    (np.array(1, np.int8), 2),  # 0-d arrays are strong in NumPy 2
    (np.empty(0, np.uint8), np.int8, 1.0),
    (np.dtype("uint16"), np.empty(3, np.int8), True),
    (1, 2.0),
    (1,),
    (True, True),
    ("float16", 1j),
])
def test_result_type_matches_numpy(args):
    assert dtypes.result_type(*args) == np.result_type(*args)


def test_result_type_with_duck_arrays():
    assert dtypes.result_type(Duck(np.int8), Duck(np.float64, weak_type=True)) == np.float64
    assert dtypes.result_type(Duck(np.float32), Duck(np.float64, weak_type=True)) == np.float32
    assert dtypes.result_type(Duck(np.float16), np.empty(0, np.int8), 1j) == np.complex64
    assert dtypes.result_type(Duck(np.int64, weak_type=True), 1.0) == np.float64
    assert dtypes.result_type(Duck(np.uint8, weak_type=False), 3) == np.uint8


# --- can_cast ---------------------------------------------------------------

@pytest.mark.parametrize("casting", CASTINGS)
def test_can_cast_all_pairs(casting):
    for a, b in PAIRS:
        expected = np.can_cast(a, b, casting)
        assert dtypes.can_cast(a, b, casting) is expected, (a, b)
        assert dtypes.can_cast(np.empty(0, a), b, casting) is expected, (a, b)
        assert dtypes.can_cast(Duck(a), b, casting) is expected, (a, b)


def test_can_cast_default_is_safe():
    assert dtypes.can_cast(np.int8, np.int16) and not dtypes.can_cast(np.int16, np.int8)
    assert dtypes.can_cast(np.int64, "float64") and not dtypes.can_cast(np.float64, int)


def test_can_cast_errors():
    for scalar in (1, 1.0, 1j, True):
        with pytest.raises(TypeError):
            dtypes.can_cast(scalar, np.float64)
    with pytest.raises(ValueError):
        dtypes.can_cast(np.int8, np.int16, casting="bogus")
    with pytest.raises(TypeError, match="does not support"):
        dtypes.can_cast(np.int8, object)


# --- isdtype / issubdtype ---------------------------------------------------

ISDTYPE_KINDS = {
    "bool": {"bool"},
    "signed integer": {"int8", "int16", "int32", "int64"},
    "unsigned integer": {"uint8", "uint16", "uint32", "uint64"},
    "integral": {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"},
    "real floating": {"float16", "float32", "float64"},
    "complex floating": {"complex64", "complex128"},
    "numeric": {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "float16", "float32", "float64", "complex64", "complex128"},
}


@pytest.mark.parametrize("kind", ISDTYPE_KINDS)
def test_isdtype_kind_names(kind):
    for d in SUPPORTED:
        expected = d.name in ISDTYPE_KINDS[kind]
        assert dtypes.isdtype(d, kind) is expected, (d, kind)
        assert np.isdtype(d, kind) is expected


def test_isdtype_dtypes_and_tuples():
    assert dtypes.isdtype(dtypes.float32, dtypes.float32)
    assert dtypes.isdtype(np.float32, np.dtype("float32"))
    assert not dtypes.isdtype(dtypes.float32, dtypes.float64)
    assert dtypes.isdtype(dtypes.int8, ("bool", "signed integer"))
    assert dtypes.isdtype(dtypes.float64, (dtypes.int8, dtypes.float64))
    assert not dtypes.isdtype(dtypes.uint8, ("signed integer", dtypes.float64))
    assert not dtypes.isdtype(dtypes.float64, ())
    assert not dtypes.isdtype(np.dtype(object), "numeric")


def test_isdtype_errors():
    with pytest.raises(ValueError):
        dtypes.isdtype(dtypes.float64, "floating point")
    with pytest.raises(TypeError):
        dtypes.isdtype(dtypes.float64, 3)
    with pytest.raises(TypeError):
        dtypes.isdtype(np.empty(0), "numeric")
    with pytest.raises(TypeError):
        dtypes.isdtype("float64", "numeric")


def test_issubdtype():
    assert dtypes.issubdtype(dtypes.float32, np.floating)
    assert dtypes.issubdtype(dtypes.float32, np.inexact)
    assert not dtypes.issubdtype(dtypes.int8, np.floating)
    assert dtypes.issubdtype(dtypes.uint16, np.unsignedinteger)
    assert dtypes.issubdtype(dtypes.complex64, np.complexfloating)
    assert dtypes.issubdtype(dtypes.bool_, np.bool_)
    assert dtypes.issubdtype(np.int32, dtypes.int32)
    assert not dtypes.issubdtype(dtypes.int32, dtypes.int64)


# --- finfo / iinfo ----------------------------------------------------------

@pytest.mark.parametrize("d", ["float16", "float32", "float64", "complex64", "complex128"])
def test_finfo(d):
    expected = np.finfo(d)
    for arg in (np.dtype(d), getattr(np, d), d, np.empty(0, d), Duck(d)):
        info = dtypes.finfo(arg)
        assert (info.bits, info.eps, info.max, info.tiny, info.dtype) == (
            expected.bits, expected.eps, expected.max, expected.tiny, expected.dtype)
    assert dtypes.finfo(float).eps == np.finfo(np.float64).eps
    assert dtypes.finfo(1.0).bits == 64


@pytest.mark.parametrize("d", ["int8", "int16", "int32", "int64",
                               "uint8", "uint16", "uint32", "uint64"])
def test_iinfo(d):
    bits = np.dtype(d).itemsize * 8
    low, high = (0, 2**bits - 1) if d.startswith("u") else (-2**(bits - 1), 2**(bits - 1) - 1)
    for arg in (np.dtype(d), getattr(np, d), d, np.empty(0, d), Duck(d)):
        info = dtypes.iinfo(arg)
        assert (info.bits, info.min, info.max) == (bits, low, high)
    assert dtypes.iinfo(int).max == 2**63 - 1
    assert dtypes.iinfo(1).bits == 64


def test_finfo_iinfo_errors():
    with pytest.raises(ValueError):
        dtypes.finfo(dtypes.int8)
    with pytest.raises(ValueError):
        dtypes.iinfo(dtypes.float32)
    with pytest.raises(TypeError, match="does not support"):
        dtypes.finfo(np.longdouble)
