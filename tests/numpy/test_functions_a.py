"""Predicates, sets, I/O and printing, functional tools and index tricks against NumPy, eagerly
and traced (make_jaxpr + eval_jaxpr), with their errors, value-dependent shapes and gradients.
Their vmap rows are in tests/numpy_rows_a.py."""

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import jaxlite
import jaxlite.numpy as jm
from helpers import assert_like_numpy, check, to_jaxlite, traced
from jaxlite.core import Array, ConcretizationTypeError
from jaxlite.test_util import check_grads

FAST = settings(max_examples=25, deadline=None)
SPECIALS = np.array([0.0, -0.0, 1.5, -2.0, np.nan, np.inf, -np.inf, 1e-9])
RNG = np.random.default_rng(0)


def sample(shape, dtype=np.float64, lo=-3, hi=4, seed=0):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    values = rng.integers(0 if dtype.kind == "u" else lo, hi, size=shape)
    if dtype.kind == "c":
        values = values + 1j * rng.integers(0, 2, size=shape)
    return np.asarray(values).astype(dtype)


def traced_value(fun, *args):
    return traced(fun)(*args)


# ---------------------------------------------------------------- predicates


@pytest.mark.parametrize("kwargs", [{}, {"rtol": 0.1}, {"atol": 1.0}, {"equal_nan": True}])
@pytest.mark.parametrize("dtypes", [(np.float64, np.float64), (np.float32, np.float64), (np.int64, np.float32),
                                    (np.int32, np.int32), (np.complex128, np.float64)])
def test_isclose(kwargs, dtypes):
    x = np.concatenate([sample(6, dtypes[0]), np.zeros(2, dtypes[0])])
    y = (x.real + np.array([0, 0.5, 1e-7, 2, 0, 0, 0, 0])).astype(dtypes[1])
    if np.dtype(dtypes[1]).kind == "f":
        y[6:] = [np.nan, np.inf]
    check(jm.isclose, np.isclose, x, y, **kwargs)


def test_isclose_specials_and_broadcasting():
    x, y = np.repeat(SPECIALS, 8), np.tile(SPECIALS, 8)
    for equal_nan in (False, True):
        check(jm.isclose, np.isclose, x, y, equal_nan=equal_nan)
    check(jm.isclose, np.isclose, sample((2, 3)), sample(3, np.int8))


@pytest.mark.parametrize("name", ["allclose", "array_equal", "array_equiv"])
@pytest.mark.parametrize("pair", [((3,), (3,)), ((2, 3), (3,)), ((2, 3), (2,)), ((), ()), ((0,), (0,))])
def test_whole_array_comparisons(name, pair):
    a = sample(pair[0], lo=0, hi=2)
    for b in (sample(pair[1], lo=0, hi=2, seed=1), a):
        fn, np_fn = getattr(jm, name), getattr(np, name)
        if name == "allclose" and np.shape(b) == (2,) and a.shape == (2, 3):
            for run in (lambda: np_fn(a, b), lambda: fn(Array(a), Array(b)), lambda: traced_value(fn, a, b)):
                with pytest.raises(ValueError):
                    run()
            continue
        expected = np_fn(a, b)
        got = fn(Array(a), Array(b))
        assert type(got) is bool and got == expected
        assert bool(traced_value(fn, a, b)) == expected


def test_equal_nan_comparisons():
    a = np.array([1.0, np.nan])
    assert jm.array_equal(a, a) is False and jm.array_equal(a, a, equal_nan=True) is True
    assert bool(traced_value(lambda x: jm.array_equal(x, x, equal_nan=True), a))
    assert not bool(traced_value(lambda x: jm.allclose(x, x), a))
    assert bool(traced_value(lambda x: jm.allclose(x, x, equal_nan=True), a))


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.bool_, np.complex64, np.complex128])
def test_complex_and_real(dtype):
    x = sample((3, 4), dtype)
    for name in ("iscomplex", "isreal"):
        check(getattr(jm, name), getattr(np, name), x)
    assert jm.iscomplexobj(x) == np.iscomplexobj(x) == jm.iscomplexobj(Array(x))
    assert jm.isrealobj(Array(x)) == np.isrealobj(x)
    assert traced_value(lambda a: a + jm.iscomplexobj(a), x).dtype == x.dtype or x.dtype.kind == "b"


@pytest.mark.parametrize("value", [1, 1.5, 2j, True, np.float32(1), "s", b"b", [1], (1,), np.ones(2), None])
def test_type_predicates_of_python_values(value):
    assert jm.isscalar(value) == np.isscalar(value)
    assert jm.iterable(value) == np.iterable(value)
    if value is not None and not isinstance(value, (str, bytes)):
        assert jm.iscomplexobj(value) == np.iscomplexobj(value)


def test_arrays_are_not_scalars():
    assert not jm.isscalar(jm.asarray(1.0)) and not np.isscalar(np.asarray(1.0))
    assert not jm.iterable(jm.asarray(1.0)) and jm.iterable(jm.ones(2))
    assert jm.iscomplexobj([1, 2j]) and jm.isrealobj([1, 2])


@pytest.mark.parametrize("name", ["isneginf", "isposinf"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_signed_infinities(name, dtype):
    x = SPECIALS.astype(dtype) if np.dtype(dtype).kind == "f" else sample(5, dtype)
    check(getattr(jm, name), getattr(np, name), x)
    for bad in (np.array([1j]),):
        with pytest.raises(TypeError):
            getattr(np, name)(bad)
        with pytest.raises(TypeError):
            getattr(jm, name)(Array(bad))
        with pytest.raises(TypeError):
            traced_value(getattr(jm, name), bad)


@pytest.mark.parametrize("kwargs", [{}, {"nan": -1.0}, {"posinf": 9.0, "neginf": -9.0}, {"nan": 2, "posinf": 3}])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, np.complex128, np.int16, np.bool_])
def test_nan_to_num(kwargs, dtype):
    x = SPECIALS.astype(dtype) if np.dtype(dtype).kind == "f" else sample(8, dtype)
    if np.dtype(dtype).kind == "c":
        x = SPECIALS.astype(complex)
        x.imag = SPECIALS[::-1]
    with np.errstate(invalid="ignore"):
        check(jm.nan_to_num, np.nan_to_num, x, **kwargs)


def test_nan_to_num_copy_false_writes_in_place():
    x = jm.asarray([np.nan, 1.0])
    out = jm.nan_to_num(x, copy=False)
    assert np.asarray(x)[0] == 0.0 and np.shares_memory(np.asarray(out), np.asarray(x))


@pytest.mark.parametrize("dtype", ["int8", np.float32, "float64", np.complex64, bool, jm.uint16])
@pytest.mark.parametrize("source", [np.float64, np.int32, np.bool_])
def test_astype(dtype, source):
    x = sample((2, 3), source)
    with np.errstate(invalid="ignore"):
        check(lambda a: jm.astype(a, dtype), lambda a: np.astype(a, np.dtype(dtype)), x)


def test_astype_copy_and_errors():
    x = jm.ones(3)
    assert jm.astype(x, jm.float64, copy=False) is x
    y = jm.astype(x, jm.float64)
    assert y is not x and not np.shares_memory(np.asarray(y), np.asarray(x))
    with pytest.raises(TypeError):
        jm.astype([1, 2], jm.float32)
    with pytest.raises(ValueError):
        jm.astype(x, jm.float32, device="gpu")
    assert jm.astype(x, jm.float32, device="cpu").dtype == np.float32


# ---------------------------------------------------------------- sets

UNIQUE_FLAGS = [(False, False, False), (True, False, False), (False, True, True), (True, True, True)]


@pytest.mark.parametrize("flags", UNIQUE_FLAGS)
@pytest.mark.parametrize("shape_axis", [((7,), None), ((3, 4), None), ((4, 2), 0), ((2, 5), 1), ((2, 2, 3), -1),
                                        ((0,), None), ((), None)])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.bool_])
def test_unique_against_numpy(flags, shape_axis, dtype):
    shape, axis = shape_axis
    x = sample(shape, dtype, lo=0, hi=3)
    expected = np.unique(x, *flags, axis=axis)
    assert_like_numpy(jm.unique(Array(x), *flags, axis=axis), expected)
    # traced (and eagerly with size=): the exact size gives NumPy's result
    size = np.unique(x, axis=axis).shape[0 if axis is None else axis]
    fn = lambda a: jm.unique(a, *flags, axis=axis, size=size)  # noqa: E731
    assert_like_numpy(traced_value(fn, x), expected)
    assert_like_numpy(fn(Array(x)), expected)


@pytest.mark.parametrize("equal_nan", [True, False])
def test_unique_nans(equal_nan):
    x = np.array([1.0, np.nan, 2.0, np.nan, 1.0, -np.inf])
    expected = np.unique(x, True, True, True, equal_nan=equal_nan)
    assert_like_numpy(jm.unique(x, True, True, True, equal_nan=equal_nan), expected)
    size = len(expected[0])
    got = traced_value(lambda a: jm.unique(a, True, True, True, equal_nan=equal_nan, size=size), x)
    assert_like_numpy(got, expected)


def test_unique_size_pads_and_cuts():
    x = np.array([3, 1, 3, 2])
    values, index, counts = traced_value(lambda a: jm.unique(a, return_index=True, return_counts=True, size=5), x)
    assert_like_numpy(values, np.array([1, 2, 3, 1, 1]))
    assert_like_numpy(index, np.array([1, 3, 0, 1, 1]))
    assert_like_numpy(counts, np.array([1, 1, 2, 0, 0]))
    assert_like_numpy(jm.unique(x, size=5, fill_value=-1), np.array([1, 2, 3, -1, -1]))
    assert_like_numpy(traced_value(lambda a: jm.unique(a, size=2), x), np.array([1, 2]))
    assert_like_numpy(jm.unique(np.zeros(0), size=2), np.zeros(2))


@given(hnp.arrays(np.int8, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5), elements=st.integers(-3, 3)))
@FAST
def test_unique_all_flags_hypothesis(x):
    expected = np.unique(x, True, True, True)
    size = len(expected[0])
    assert_like_numpy(jm.unique(x, True, True, True, size=size), expected)
    expected_axis = np.unique(x, True, True, True, axis=0)
    assert_like_numpy(jm.unique(x, True, True, True, axis=0, size=len(expected_axis[0])), expected_axis)


@pytest.mark.parametrize("name", ["unique_all", "unique_counts", "unique_inverse", "unique_values"])
@pytest.mark.parametrize("x", [np.array([[2.0, np.nan], [2.0, np.nan]]), np.array([3, 1, 1, 0]), np.zeros((2, 0))])
def test_array_api_unique(name, x):
    expected = getattr(np, name)(x)
    got = getattr(jm, name)(Array(x))
    if name == "unique_values":
        assert_like_numpy(got, expected)
        return
    assert type(got).__name__ == type(expected).__name__ and got._fields == expected._fields
    assert_like_numpy(tuple(got), tuple(expected))
    size = len(expected[0])
    traced_got = traced_value(lambda a: getattr(jm, name)(a, size=size), x)
    assert_like_numpy(tuple(traced_got), tuple(expected))


SET_PAIRS = [(np.array([5, 1, 3, 3, 7]), np.array([3, 8, 1, 1])), (np.array([[1.5, 2.0], [0.0, 2.0]]), np.array([2, 4])),
             (np.array([1, 2]), np.array([3, 4])), (np.array([], float), np.array([1.0])),
             (np.array([True, False]), np.array([1.5]))]


@pytest.mark.parametrize("name", ["intersect1d", "union1d", "setdiff1d", "setxor1d"])
@pytest.mark.parametrize("pair", range(len(SET_PAIRS)))
def test_set_operations(name, pair):
    a, b = SET_PAIRS[pair]
    np_fn, fn = getattr(np, name), getattr(jm, name)
    expected = np_fn(a, b)
    assert_like_numpy(fn(Array(a), Array(b)), expected)
    size = len(expected)
    assert_like_numpy(traced_value(lambda u, v: fn(u, v, size=size), a, b), expected)
    assert_like_numpy(fn(a, b, size=size), expected)


@pytest.mark.parametrize("pair", range(len(SET_PAIRS)))
def test_intersect1d_indices_and_assume_unique(pair):
    a, b = SET_PAIRS[pair]
    expected = np.intersect1d(a, b, return_indices=True)
    assert_like_numpy(jm.intersect1d(a, b, return_indices=True), expected)
    size = len(expected[0])
    assert_like_numpy(traced_value(lambda u, v: jm.intersect1d(u, v, return_indices=True, size=size), a, b), expected)
    u = np.array([4, 0, 9, 2])
    expected = np.setdiff1d(u, b, assume_unique=True)
    assert_like_numpy(traced_value(lambda p, q: jm.setdiff1d(p, q, True, size=len(expected)), u, b), expected)


@given(st.lists(st.integers(-4, 4), max_size=8), st.lists(st.integers(-4, 4), max_size=8))
@FAST
def test_set_operations_hypothesis(a, b):
    a, b = np.array(a, np.int64), np.array(b, np.int64)
    for name in ("intersect1d", "union1d", "setdiff1d", "setxor1d"):
        expected = getattr(np, name)(a, b)
        assert_like_numpy(getattr(jm, name)(a, b, size=len(expected)), expected, err_msg=name)
    check(jm.isin, np.isin, a, b)


@pytest.mark.parametrize("kwargs", [{}, {"invert": True}, {"assume_unique": True}, {"kind": "sort"}])
def test_isin(kwargs):
    check(jm.isin, np.isin, sample((3, 4)), np.array([[0.0, 2.0], [5.0, -1.0]]), **kwargs)
    check(jm.isin, np.isin, np.array(2), np.array([1, 2]), **kwargs)
    with pytest.raises(ValueError):
        jm.isin(np.ones(2), np.ones(2), kind="bad")


VALUE_DEPENDENT = {
    "unique": lambda x: jm.unique(x),
    "unique_all": lambda x: jm.unique_all(x).values,
    "unique_counts": lambda x: jm.unique_counts(x).counts,
    "unique_inverse": lambda x: jm.unique_inverse(x).values,
    "unique_values": jm.unique_values,
    "intersect1d": lambda x: jm.intersect1d(x, np.ones(2)),
    "union1d": lambda x: jm.union1d(x, x),
    "setdiff1d": lambda x: jm.setdiff1d(x, np.ones(2)),
    "setxor1d": lambda x: jm.setxor1d(np.ones(2), x),
}


@pytest.mark.parametrize("name", list(VALUE_DEPENDENT))
def test_value_dependent_shapes_need_size_under_jit_and_vmap(name):
    fn = VALUE_DEPENDENT[name]
    fn(jm.arange(3.0))  # eagerly fine
    for transform in (jaxlite.jit, jaxlite.vmap):
        with pytest.raises(ConcretizationTypeError, match=f"{name}\\(\\).*size="):
            transform(fn)(jm.ones((2, 3)))


def test_unique_under_grad_uses_the_known_value():
    g = jaxlite.grad(lambda x: jm.sum(jm.unique(x) ** 2))(jm.asarray([2.0, 1.0, 2.0]))
    assert_like_numpy(g, np.array([4.0, 2.0, 0.0]))


# ---------------------------------------------------------------- I/O and printing


def test_save_load_roundtrip(tmp_path):
    x = jm.arange(6.0).reshape(2, 3)
    jm.save(tmp_path / "x.npy", x)
    loaded = jm.load(tmp_path / "x.npy")
    assert type(loaded) is Array
    assert_like_numpy(loaded, np.asarray(x))
    assert_like_numpy(jm.load(tmp_path / "x.npy", mmap_mode="r"), np.asarray(x))
    jm.savez(tmp_path / "xy.npz", x, y=jm.ones(2, jm.int8))
    with jm.load(tmp_path / "xy.npz") as npz:
        assert sorted(npz.files) == ["arr_0", "y"] and "y" in npz and len(npz) == 2
        assert type(npz["y"]) is Array and npz["y"].dtype == np.int8
        assert_like_numpy(npz["arr_0"], np.asarray(x))
    buffer = io.BytesIO()
    jm.save(buffer, [1, 2])
    buffer.seek(0)
    assert_like_numpy(jm.load(buffer), np.array([1, 2]))


def test_fromfile(tmp_path):
    np.arange(5, dtype=np.int16).tofile(tmp_path / "raw")
    assert_like_numpy(jm.fromfile(tmp_path / "raw", dtype=jm.int16), np.arange(5, dtype=np.int16))
    assert_like_numpy(jm.fromfile(tmp_path / "raw", dtype=np.int16, count=2, offset=2), np.array([1, 2], np.int16))
    with pytest.raises(FileNotFoundError):
        jm.fromfile(tmp_path / "missing")


def test_io_refuses_traced_values():
    with pytest.raises(ConcretizationTypeError):
        jaxlite.jit(lambda x: jm.save(io.BytesIO(), x) or x)(jm.ones(2))
    with pytest.raises(ConcretizationTypeError):
        jaxlite.jit(lambda x: jm.array_repr(x) and x)(jm.ones(2))


def test_printing():
    x = jm.asarray([1.0, 2.123456789, 1e-9])
    assert jm.array_repr(x) == repr(x)
    assert jm.array_str(x) == str(x) == np.array_str(np.asarray(x))
    assert jm.array_repr(x, precision=2) == "Array([1.00e+00, 2.12e+00, 1.00e-09], dtype=float64)"
    assert jm.array_str(x, precision=2, suppress_small=True) == np.array_str(np.asarray(x), precision=2,
                                                                            suppress_small=True)
    assert jm.array_repr(jm.zeros((2, 0))) == repr(jm.zeros((2, 0)))
    before = jm.get_printoptions()
    with jm.printoptions(precision=3):
        assert jm.get_printoptions()["precision"] == 3 and str(x) == "[1.000e+00 2.123e+00 1.000e-09]"
    assert jm.get_printoptions() == before
    try:
        jm.set_printoptions(threshold=5)
        assert "..." in str(jm.arange(100))
    finally:
        jm.set_printoptions(**before)


# ---------------------------------------------------------------- functional tools


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_apply_along_axis(axis):
    x = sample((3, 4, 2))
    for f, np_f in [(lambda v: jm.sum(v * v), lambda v: np.sum(v * v)), (lambda v: v[::-1] * 2, lambda v: v[::-1] * 2),
                    (lambda v: jm.outer(v, v), lambda v: np.outer(v, v))]:
        expected = np.apply_along_axis(np_f, axis, x)
        assert_like_numpy(jm.apply_along_axis(f, axis, Array(x)), expected)
        assert_like_numpy(traced_value(lambda a: jm.apply_along_axis(f, axis, a), x), expected)
    with pytest.raises(np.exceptions.AxisError):
        jm.apply_along_axis(jm.sum, 3, x)
    with pytest.raises(np.exceptions.AxisError):
        traced_value(lambda a: jm.apply_along_axis(jm.sum, 3, a), x)


def test_apply_along_axis_eagerly_takes_any_python_function():
    x = sample((2, 3))
    branchy = lambda v: v.sum() if v[0] > 0 else -v.sum()  # noqa: E731
    assert_like_numpy(jm.apply_along_axis(branchy, 1, x), np.apply_along_axis(branchy, 1, x))


@pytest.mark.parametrize("axes", [0, [0, 2], (1,), [-1]])
def test_apply_over_axes(axes):
    x = sample((2, 3, 4))
    check(lambda a: jm.apply_over_axes(jm.sum, a, axes), lambda a: np.apply_over_axes(np.sum, a, axes), x)
    with pytest.raises(ValueError):
        jm.apply_over_axes(lambda a, ax: jm.sum(a), x, [0, 1])


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_piecewise(dtype):
    x = sample((3, 4), dtype)
    for conds, funcs in [(lambda a: [a < 0, a > 1], [lambda v: -v, lambda v: v * 3, 7]),
                         (lambda a: [a < 0], [0, lambda v: v + 1]), (lambda a: [a == 1, a == 1], [2, 3]),
                         (lambda a: [a > 0], [lambda v: v * 2])]:
        check(lambda a: jm.piecewise(a, conds(a), funcs), lambda a: np.piecewise(a, conds(a), funcs), x)
    check(lambda a: jm.piecewise(a, [True], [5.0]), lambda a: np.piecewise(a, [True], [5.0]), np.array(1.0))
    for fn in (jm.piecewise, lambda *a: traced_value(lambda b: jm.piecewise(b, *a[1:]), a[0])):
        with pytest.raises(ValueError):
            fn(x, [x > 0], [1, 2, 3])


def test_vectorize():
    x, y = sample((3, 4)), sample(4, seed=1)
    f = jm.vectorize(lambda a, b: a * b + 1)
    assert_like_numpy(f(x, y), np.vectorize(lambda a, b: a * b + 1)(x, y))
    assert_like_numpy(traced_value(f, x, y), x * y + 1)
    assert_like_numpy(jm.vectorize(lambda a, p: a ** p, excluded={1})(x, 2), x ** 2)
    assert_like_numpy(jm.vectorize(lambda a, p=1: a ** p, excluded={"p"})(x, p=3), x ** 3)
    assert_like_numpy(jm.vectorize(lambda a, b: a - b)(x, b=y), x - y)
    assert_like_numpy(jm.vectorize(lambda: jm.asarray(1.0))(), np.array(1.0))
    assert_like_numpy(jm.vectorize(jm.sin, otypes="f")(x), np.sin(x).astype(np.float32))

    @jm.vectorize
    def decorated(a):
        return a * 2

    assert_like_numpy(decorated(x), 2 * x)
    assert jm.vectorize(otypes=[np.int32])(lambda a: a)(x).dtype == np.int32


def test_vectorize_signature():
    m, v = sample((2, 3, 4)), sample(4)
    matvec = jm.vectorize(lambda a, b: a @ b, signature="(n,k),(k)->(n)")
    assert_like_numpy(matvec(m, v), np.vectorize(np.matmul, signature="(n,k),(k)->(n)")(m, v))
    assert_like_numpy(traced_value(matvec, m, v), m @ v)
    stats = jm.vectorize(lambda a: (jm.mean(a), jm.max(a)), signature="(n)->(),()")
    mean, top = stats(m)
    assert_like_numpy(mean, m.mean(-1)) and assert_like_numpy(top, m.max(-1))
    with pytest.raises(ValueError, match="core dimension"):
        matvec(m, sample(5))
    with pytest.raises(ValueError, match="enough dimensions"):
        matvec(v, v)
    with pytest.raises(ValueError, match="signature"):
        jm.vectorize(lambda a: a, signature="(n)->")
    with pytest.raises(ValueError):
        jm.vectorize(lambda a: a, signature="(n)->()")(m)
    with pytest.raises(TypeError, match="positional"):
        matvec(m)


def test_frompyfunc():
    add = jm.frompyfunc(lambda a, b: a + b, 2, 1)
    assert add.nin == 2 and add.nout == 1
    x = sample((2, 3), np.int64)
    assert_like_numpy(add(x, 2), x + 2)
    assert_like_numpy(add.reduce(x, axis=1), x.sum(1))
    assert_like_numpy(add.accumulate(np.arange(4)), np.cumsum(np.arange(4)))
    assert_like_numpy(add.outer(np.arange(2), np.arange(3)), np.add.outer(np.arange(2), np.arange(3)))
    divmod_ = jm.frompyfunc(divmod, 2, 2)
    assert_like_numpy(divmod_(Array(x), 2), (x // 2, x % 2))
    with pytest.raises(ConcretizationTypeError):
        jaxlite.jit(lambda a: add(a, 1))(x)
    assert isinstance(np.add, jm.ufunc)


@pytest.mark.parametrize("shape_wrap", [((3, 3), False), ((5, 3), False), ((5, 3), True), ((3, 5), True),
                                        ((2, 2, 2), False), ((1, 4), False)])
@pytest.mark.parametrize("val", [7, [1.5, 2.5], np.arange(4.0)])
def test_fill_diagonal(shape_wrap, val):
    shape, wrap = shape_wrap
    expected = np.zeros(shape)
    np.fill_diagonal(expected, val, wrap)
    a = jm.zeros(shape)
    assert jm.fill_diagonal(a, val, wrap) is None
    assert_like_numpy(a, expected)
    check(lambda x: jm.fill_diagonal(x, val, wrap, inplace=False), lambda x: expected, np.zeros(shape))


def test_fill_diagonal_errors_and_transforms():
    for fn in (jm.fill_diagonal, lambda *a: traced_value(lambda x: jm.fill_diagonal(x, 1, inplace=False), a[0])):
        with pytest.raises(ValueError):
            fn(jm.zeros(3), 1)
        with pytest.raises(ValueError):
            fn(jm.zeros((2, 3, 2)), 1)
    with pytest.raises(TypeError, match="in place"):
        jaxlite.vmap(lambda x: jm.fill_diagonal(x, 1.0))(jm.zeros((2, 3, 3)))
    with pytest.raises(TypeError):
        jm.fill_diagonal([[1, 2], [3, 4]], 0)
    arr = np.zeros((2, 2))
    jm.fill_diagonal(arr, 3)  # NumPy arrays are filled in place too
    assert arr[1, 1] == 3


@pytest.mark.parametrize("mask_func", ["triu", "tril"])
@pytest.mark.parametrize("k", [0, 1, -2])
def test_mask_indices(mask_func, k):
    expected = np.mask_indices(4, getattr(np, mask_func), k)
    assert_like_numpy(jm.mask_indices(4, getattr(jm, mask_func), k), expected)
    x = sample((4, 4))
    assert_like_numpy(jaxlite.jit(lambda a: a[jm.mask_indices(4, getattr(jm, mask_func), k)])(x), x[expected])


@pytest.mark.parametrize("kwargs", [{}, {"axis": 0}, {"axis": 1}, {"axis": -1, "bitorder": "little"}])
@pytest.mark.parametrize("dtype", [np.bool_, np.uint8, np.int64])
def test_packbits(kwargs, dtype):
    for shape in [(3, 10), (2, 8), (1, 0)]:
        check(lambda a: jm.packbits(a, **kwargs), lambda a: np.packbits(a, **kwargs), sample(shape, dtype, lo=-1, hi=3))
    check(jm.packbits, np.packbits, np.array(True))


@pytest.mark.parametrize("kwargs", [{}, {"axis": 0}, {"axis": 1, "count": 5}, {"axis": 1, "count": 20},
                                    {"count": -3, "bitorder": "little"}, {"axis": 0, "count": 0}])
def test_unpackbits(kwargs):
    check(lambda a: jm.unpackbits(a, **kwargs), lambda a: np.unpackbits(a, **kwargs),
          sample((2, 3), np.uint8, hi=256))


@pytest.mark.parametrize("call", [
    lambda m: m.packbits(np.ones(3)),  # float: TypeError
    lambda m: m.packbits(np.ones(3, int), bitorder="middle"),  # ValueError
    lambda m: m.packbits(np.ones((3, 2), int), axis=2),  # AxisError
    lambda m: m.unpackbits(np.ones(3, np.int8)),  # TypeError: not uint8
    lambda m: m.unpackbits(np.ones(1, np.uint8), count=-9),  # ValueError
])
def test_bit_errors_match_numpy(call):
    with pytest.raises(Exception) as numpy_error:
        call(np)
    for run in (lambda: call(jm), lambda: traced_value(lambda _: call(jm), np.zeros(1))):
        with pytest.raises(type(numpy_error.value)):
            run()


# ---------------------------------------------------------------- index tricks

INDEX_TRICKS = [
    lambda m: m.r_[np.array([1, 2]), 0, 0, np.array([4, 5])],
    lambda m: m.r_[np.array([1, 2], np.int8), 3],
    lambda m: m.r_[-1:1:6j, [0] * 3, 5, 6],
    lambda m: m.r_[0:5, 1.5],
    lambda m: m.r_["-1", np.ones((2, 3)), np.zeros((2, 3))],
    lambda m: m.r_["0,2", [1, 2, 3], [4, 5, 6]],
    lambda m: m.r_["0,2,0", [1, 2, 3], [4, 5, 6]],
    lambda m: m.r_["1,2,0", [1, 2, 3], [4, 5, 6]],
    lambda m: m.r_["0,3,-1", np.ones((2, 2)), np.zeros((2, 2))],
    lambda m: m.r_[np.ones((2, 2)), np.zeros((1, 2), np.float32)],
    lambda m: m.c_[np.array([1, 2, 3]), np.array([4, 5, 6])],
    lambda m: m.c_[np.array([[1, 2, 3]]), 0, 0, np.array([[4, 5, 6]])],
    lambda m: m.c_[1:4, 2:5],
    lambda m: m.r_["r", [1, 2, 3], [4, 5, 6]],  # NumPy: a matrix; jaxlite: a 2-d array
    lambda m: m.r_["c", [1, 2, 3], [4, 5, 6]],
    lambda m: m.mgrid[0:5, 0:3],
    lambda m: m.mgrid[-1:1:5j],
    lambda m: m.mgrid[0:4:0.5, 1:2:3j],
    lambda m: m.ogrid[0:5, 0:3:2],
    lambda m: m.ogrid[0:1:4j],
]


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize("case", range(len(INDEX_TRICKS)))
def test_index_tricks(case):
    expected = INDEX_TRICKS[case](np)
    expected = np.asarray(expected) if isinstance(expected, np.matrix) else expected
    got = INDEX_TRICKS[case](jm)
    assert_like_numpy(tuple(got) if isinstance(expected, tuple) else got,
                      tuple(expected) if isinstance(expected, tuple) else expected)


def test_index_tricks_under_transforms():
    x = sample(3)
    f = lambda a: jm.r_[a, 0, 1:3, a * 2]  # noqa: E731
    assert_like_numpy(jaxlite.jit(f)(x), np.r_[x, 0, 1:3, x * 2])
    assert_like_numpy(traced_value(lambda a: jm.c_[a, a] + jm.mgrid[0:3, 0:2][0], x), np.c_[x, x] + np.mgrid[0:3, 0:2][0])
    with pytest.raises(ConcretizationTypeError, match="slice bound"):
        jaxlite.jit(lambda n: jm.mgrid[0:n])(3)
    with pytest.raises(ValueError, match="first entry"):
        jm.r_[np.ones(2), "0"]
    with pytest.raises(ValueError, match="directive"):
        jm.r_["x,y", np.ones(2)]
    assert len(jm.r_) == 0 and len(jm.mgrid) == 0


# ---------------------------------------------------------------- gradients

GRAD_CASES = {
    "nan_to_num": (lambda x: jm.nan_to_num(x * x, posinf=3.0), (np.array([0.5, -1.0, 2.0]),)),
    "unique": (lambda x: jm.unique(x, size=3), (np.array([0.3, 1.2, -0.7]),)),
    "union1d": (lambda x, y: jm.union1d(x, y, size=4), (np.array([0.3, 1.2]), np.array([-0.5, 2.0]))),
    "apply_along_axis": (lambda x: jm.apply_along_axis(lambda v: jm.sum(jm.sin(v) * v), 1, x), (RNG.normal(size=(2, 3)),)),
    "apply_over_axes": (lambda x: jm.apply_over_axes(jm.sum, x ** 2, [0]), (RNG.normal(size=(2, 3)),)),
    "piecewise": (lambda x: jm.piecewise(x, [x < 0], [lambda v: v ** 2, jm.sin]), (np.array([-0.5, 0.3, 1.1]),)),
    "vectorize": (jm.vectorize(lambda m, v: jm.tanh(m @ v), signature="(n,k),(k)->(n)"),
                  (RNG.normal(size=(2, 3, 2)), RNG.normal(size=2))),
    "fill_diagonal": (lambda x, v: jm.fill_diagonal(x, v, inplace=False), (RNG.normal(size=(3, 3)), RNG.normal(size=3))),
    "r_": (lambda x, y: jm.r_[x, 1.0, y * 2], (RNG.normal(size=2), RNG.normal(size=3))),
    "astype": (lambda x: jm.real(jm.astype(x, jm.complex128) * x), (np.array([0.5, 1.5]),)),
}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradients(name):
    fn, args = GRAD_CASES[name]
    check_grads(fn, to_jaxlite(args), order=2)


def test_non_differentiable_results_have_zero_gradients():
    x = jm.asarray([0.5, 2.0])
    g = jaxlite.grad(lambda a: jm.sum(jm.where(jm.isclose(a, 2.0), a, 0.0)))(x)
    assert_like_numpy(g, np.array([0.0, 1.0]))
