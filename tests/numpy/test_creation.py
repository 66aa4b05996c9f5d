"""Tests of jaxlite.numpy's creation functions against NumPy, eagerly and traced."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
from jaxlite import lax
from jaxlite.core import Array, ConcretizationTypeError, Tracer
import jaxlite.numpy as m
from helpers import assert_like_numpy, check, traced

ALL_DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
              np.float16, np.float32, np.float64, np.complex64, np.complex128]
NUMERIC = ALL_DTYPES[1:]
SHAPES = [(), (0,), (3,), (2, 3), (2, 0, 4), (1, 2, 3)]
SETTINGS = settings(max_examples=40, deadline=None)


def jaxpr_text(fun, *args):
    """The printed jaxpr with its layout normalized to single spaces."""
    return " ".join(str(jaxlite.make_jaxpr(fun)(*args)).split())


def primitives(fun, *args):
    return [e.primitive.name for e in jaxlite.make_jaxpr(fun)(*args).eqns]


def check_static(jax_fn, np_fn, **kwargs):
    """check() of a function of no arguments (everything static), eagerly and traced."""
    return check(jax_fn, np_fn, **kwargs)


def check_or_raise(jax_thunk, np_thunk, rtol=None):
    """Either both raise the same exception type (eagerly and traced), or results agree."""
    try:
        expected = np_thunk()
    except Exception as err:  # noqa: BLE001  (NumPy's error type is the reference)
        with pytest.raises(type(err)):
            jax_thunk()
        with pytest.raises(type(err)):
            traced(jax_thunk)()
        return
    assert_like_numpy(jax_thunk(), expected, rtol=rtol, err_msg="eager:")
    assert_like_numpy(traced(jax_thunk)(), expected, rtol=rtol, err_msg="traced:")


# ---------------------------------------------------------------- filled arrays


@pytest.mark.parametrize("dtype", [None, *ALL_DTYPES])
@pytest.mark.parametrize("name", ["zeros", "ones"])
def test_zeros_ones(name, dtype):
    for shape in [*SHAPES, 4]:
        check_static(lambda: getattr(m, name)(shape, dtype), lambda: getattr(np, name)(shape, dtype))


def test_empty_shape_dtype_and_writable():
    for shape, dtype in [((2, 3), None), (4, np.int8), ((), np.complex64)]:
        out = m.empty(shape, dtype)
        expected = np.empty(shape, dtype)
        assert type(out) is Array and out.shape == expected.shape and out.dtype == expected.dtype
        assert np.asarray(out).flags.writeable
        assert_like_numpy(traced(lambda: m.empty(shape, dtype))(), np.zeros(shape, dtype))
    z = m.zeros(3)
    z[1] = 5.0
    assert np.asarray(z).tolist() == [0.0, 5.0, 0.0]


def test_filled_jaxpr_is_one_broadcast():
    assert primitives(lambda: m.zeros((2, 3), np.int32)) == ["broadcast_in_dim"]
    assert "a:i32[2,3] = broadcast_in_dim[shape=(2, 3) broadcast_dimensions=()] 0:i32[]" in jaxpr_text(
        lambda: m.zeros((2, 3), np.int32))


@pytest.mark.parametrize("dtype", [None, *ALL_DTYPES])
def test_full_traced_fill_value(dtype):
    for fill in [np.float32(2.5), np.int8(-3), np.True_, np.complex64(1 - 2j)]:
        check(lambda f: m.full((2, 3), f, dtype), lambda f: np.full((2, 3), f, dtype), fill)


def test_full_python_and_array_fill():
    check(lambda f: m.full(3, f), lambda f: np.full(3, f), 2)  # weak int -> int64 result
    check(lambda f: m.full(3, f), lambda f: np.full(3, f), 2.5)
    check(lambda f: m.full((2, 3), f), lambda f: np.full((2, 3), f), np.arange(3.0))
    check(lambda f: m.full((2, 3), f), lambda f: np.full((2, 3), f), np.arange(2.0).reshape(2, 1))
    check(lambda f: m.full((2, 3), f, np.int16), lambda f: np.full((2, 3), f, np.int16), np.ones(3))
    check_static(lambda: m.full((2, 2), [1, 2]), lambda: np.full((2, 2), [1, 2]))
    check_static(lambda: m.full(3, 1.5, int), lambda: np.full(3, 1.5, int))
    out = traced(lambda f: m.full((), f))(np.float64(4.0))
    assert_like_numpy(out, np.full((), 4.0))


def test_full_result_is_strong_and_new():
    def f(x):
        y = m.full(x.shape, x)
        assert y is not x and not y.weak_type
        return y

    traced(f)(np.ones(3))
    traced(lambda x: m.full(2, x))(1.0)
    assert not jaxlite.make_jaxpr(lambda x: m.full(2, x))(1.0).out_avals[0].weak_type


def test_full_errors():
    with pytest.raises(ValueError, match=r"full\(\): could not broadcast fill_value of shape \(3,\) into shape \(2,\)"):
        traced(lambda f: m.full(2, f))(np.ones(3))
    with pytest.raises(ValueError, match="full"):
        m.full(2, [1, 2, 3])
    with pytest.raises(OverflowError):
        m.full(3, 300, np.int8)
    with pytest.raises(OverflowError):
        traced(lambda: m.full(3, 300, np.int8))()
    with pytest.raises(TypeError, match="full"):
        m.full(3, "a")


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like"])
@pytest.mark.parametrize("dtype", [None, np.bool_, np.int8, np.uint32, np.float32, np.complex128])
def test_like(name, dtype):
    fill_ok = name != "empty_like"
    for x in [np.ones((2, 3), np.float32), np.arange(4, dtype=np.int16), np.array(1 + 1j)]:
        jax_fn, np_fn = getattr(m, name), getattr(np, name)
        if fill_ok:
            check(lambda a: jax_fn(a, dtype), lambda a: np_fn(a, dtype), x)
            check(lambda a: jax_fn(a, dtype, shape=(3, 1)), lambda a: np_fn(a, dtype, shape=(3, 1)), x)
        out = jax_fn(Array(x), dtype)
        assert out.shape == x.shape and out.dtype == np_fn(x, dtype).dtype
        expected = np_fn(x, dtype) if fill_ok else np.zeros_like(x, dtype)  # empty_like is zeros when traced
        assert_like_numpy(traced(lambda a: jax_fn(a, dtype))(x), expected)
    if fill_ok:
        check_static(lambda: getattr(m, name)([1, 2]), lambda: getattr(np, name)([1, 2]))
        check_static(lambda: getattr(m, name)(2.5, shape=2), lambda: getattr(np, name)(2.5, shape=2))


def test_full_like():
    check(lambda a, f: m.full_like(a, f), np.full_like, np.arange(4), np.float32(2.5))
    check(lambda a, f: m.full_like(a, f), np.full_like, np.ones((2, 3), np.float32), np.arange(3.0))
    check(lambda a, f: m.full_like(a, f, np.complex64), lambda a, f: np.full_like(a, f, np.complex64),
          np.ones(3), np.float64(-1.5))
    check(lambda a, f: m.full_like(a, f, shape=(2, 2)), lambda a, f: np.full_like(a, f, shape=(2, 2)), np.ones(3), 7)
    with pytest.raises(OverflowError):
        traced(lambda a: m.full_like(a, 300))(np.zeros(2, np.int8))


def test_like_result_does_not_depend_on_a():
    assert jaxpr_text(lambda a: m.zeros_like(a), np.ones(2)) == (
        "{ lambda ; a:f64[2]. let b:f64[2] = broadcast_in_dim[shape=(2,) broadcast_dimensions=()] 0.0:f64[] in (b,) }"
    )


@SETTINGS
@given(shape=st.lists(st.integers(0, 4), max_size=4).map(tuple), dtype=st.sampled_from(ALL_DTYPES),
       value=st.integers(-3, 3) | st.floats(-10, 10, width=32))
def test_filled_hypothesis(shape, dtype, value):
    check_static(lambda: m.zeros(shape, dtype), lambda: np.zeros(shape, dtype))
    check_static(lambda: m.ones(shape, dtype), lambda: np.ones(shape, dtype))
    with np.errstate(invalid="ignore"):
        check_or_raise(lambda: m.full(shape, value, dtype), lambda: np.full(shape, value, dtype))
    with np.errstate(invalid="ignore"):
        fill = np.array(value).astype(dtype)
    check(lambda f: m.full(shape, f), lambda f: np.full(shape, f), fill)


# ---------------------------------------------------------------- ranges

ARANGE_CASES = [
    (3,), (3.0,), (0, 1, 0.1), (1, 10, 3), (10, 1, -2), (5, 1), (0.5, 3), (-2.5, 2.5, 0.5), (3, 0, -0.5),
    (np.float32(0), 3), (np.int8(1), 5), (np.uint64(3),), (True,), (0, 1 + 1j, 0.5), (2**63, 2**63 + 2),
    (1e20, 1e20 + 3e5, 1e5), (0, 5, None),
]


@pytest.mark.parametrize("args", ARANGE_CASES, ids=str)
def test_arange_default_dtype(args):
    check_static(lambda: m.arange(*args), lambda: np.arange(*args))


@pytest.mark.parametrize("dtype", NUMERIC + [np.bool_])
def test_arange_dtype(dtype):
    for args in [(2,), (0, 2, 0.3), (0.5, 3), (0, 300, 100), (5, 0, -1), (200, 300, 50)]:
        with np.errstate(over="ignore"):
            check_or_raise(lambda: m.arange(*args, dtype=dtype), lambda: np.arange(*args, dtype=dtype))


def test_arange_jaxpr():
    assert jaxpr_text(lambda: m.arange(4)) == (
        "{ lambda ; . let a:i64[4] = iota[dtype=int64 shape=(4,) dimension=0] in (a,) }")
    text = jaxpr_text(lambda: m.arange(1.0, 2.0, 0.25))
    assert "iota[dtype=float64 shape=(4,)" in text and "mul a 0.25:f64[]" in text and "add b 1.0:f64[]" in text


def test_arange_concrete_arrays_and_errors():
    check_static(lambda: m.arange(m.asarray(4)), lambda: np.arange(4))
    with pytest.raises(ZeroDivisionError):
        m.arange(0, 3, 0)
    with pytest.raises(ZeroDivisionError, match="arange.*step"):
        traced(lambda: m.arange(0, 3, 0))()
    for bad, exc in [(np.nan, "cannot compute"), (np.inf, "[Mm]aximum")]:
        with pytest.raises(ValueError, match="arange"):
            m.arange(bad)
        with pytest.raises(ValueError, match=exc):
            traced(lambda: m.arange(bad))()
    with pytest.raises(TypeError, match="arange.*bool"):
        traced(lambda: m.arange(3, dtype=bool))()


@SETTINGS
@given(start=st.integers(-20, 20) | st.floats(-20, 20), stop=st.none() | st.integers(-20, 20) | st.floats(-20, 20),
       step=st.sampled_from([1, 2, -1, -3, 0.5, 0.1, -0.25, 0.7, 1e-1, 3.3]),
       dtype=st.sampled_from([None, np.int8, np.int32, np.int64, np.uint16, np.float16, np.float32, np.float64,
                              np.complex64]))
def test_arange_hypothesis(start, stop, step, dtype):
    args = (start,) if stop is None else (start, stop, step)
    with np.errstate(over="ignore", invalid="ignore"):
        check_or_raise(lambda: m.arange(*args, dtype=dtype), lambda: np.arange(*args, dtype=dtype))


LINSPACE_CASES = [
    dict(num=5), dict(num=1), dict(num=0), dict(num=7, endpoint=False), dict(num=1, endpoint=False),
    dict(num=6, dtype=np.int64), dict(num=4, dtype=np.float32), dict(num=3, retstep=True),
    dict(num=1, retstep=True), dict(num=4, endpoint=False, retstep=True), dict(num=5, dtype=np.complex128),
]


@pytest.mark.parametrize("kwargs", LINSPACE_CASES, ids=str)
def test_linspace_scalar_ends(kwargs):
    for start, stop in [(0, 1), (2.5, -7.0), (np.float32(0), 1), (np.float16(1), np.float16(3)), (0, 10),
                        (1 + 1j, 3 - 2j), (1.0, 1.0), (0.0, 1e-320)]:
        if isinstance(start, complex) and "dtype" in kwargs:
            continue
        check(lambda a, b: m.linspace(a, b, **kwargs), lambda a, b: np.linspace(a, b, **kwargs), start, stop)
        check_static(lambda: m.linspace(start, stop, **kwargs), lambda: np.linspace(start, stop, **kwargs))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_linspace_array_ends(axis):
    start, stop = np.array([0.0, 1.0, -2.0]), np.array([[1.0], [5.0]])
    for kwargs in [dict(num=4), dict(num=3, endpoint=False, retstep=True), dict(num=5, dtype=np.int32)]:
        check(lambda a, b: m.linspace(a, b, axis=axis, **kwargs),
              lambda a, b: np.linspace(a, b, axis=axis, **kwargs), start, stop)
        check(lambda a, b: m.linspace(a, b, axis=axis, **kwargs),
              lambda a, b: np.linspace(a, b, axis=axis, **kwargs), 0.5, np.float32([1, 2, 0.0]))


def test_linspace_traced_and_errors():
    text = jaxpr_text(lambda a: m.linspace(a, 1.0, 3), 0.0)
    assert "iota" in text and "select_n" in text
    assert "select_n" not in jaxpr_text(lambda: m.linspace(0.0, 1.0, 3))
    with pytest.raises(ValueError, match=r"linspace\(\): number of samples 'num', -1, must be non-negative"):
        m.linspace(0, 1, -1)
    with pytest.raises(TypeError, match="linspace.*num"):
        m.linspace(0, 1, 2.5)
    with pytest.raises(ConcretizationTypeError, match=r"linspace\(\) argument 'num'"):
        traced(lambda n: m.linspace(0, 1, n))(3)


@SETTINGS
@given(start=st.integers(-100, 100) | st.floats(-1e3, 1e3), stop=st.integers(-100, 100) | st.floats(-1e3, 1e3),
       num=st.integers(0, 20), endpoint=st.booleans(), dtype=st.sampled_from([None, np.float32, np.int64]))
def test_linspace_hypothesis(start, stop, num, endpoint, dtype):
    kwargs = dict(num=num, endpoint=endpoint, dtype=dtype)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    check(lambda a, b: m.linspace(a, b, **kwargs), lambda a, b: np.linspace(a, b, **kwargs), start, stop,
          rtol=rtol, atol=1e-9)
    check_static(lambda: m.linspace(start, stop, **kwargs), lambda: np.linspace(start, stop, **kwargs),
                 rtol=rtol, atol=1e-9)


def test_logspace():
    for kwargs in [dict(num=5), dict(num=4, endpoint=False), dict(num=3, base=2), dict(num=3, base=np.float32(2)),
                   dict(num=4, dtype=np.float32), dict(num=0), dict(num=3, dtype=np.int64)]:
        check(lambda a, b: m.logspace(a, b, **kwargs), lambda a, b: np.logspace(a, b, **kwargs), 0.0, 2.0)
        check(lambda a, b: m.logspace(a, b, **kwargs), lambda a, b: np.logspace(a, b, **kwargs),
              np.float32(0), np.float32(1), rtol=1e-5)
    for axis in [0, -1]:
        check(lambda a, b, c: m.logspace(a, b, 4, base=c, axis=axis),
              lambda a, b, c: np.logspace(a, b, 4, base=c, axis=axis), 1.0, np.array([2.0, 3.0]), np.array([2.0, 3.0]))


def test_geomspace():
    for start, stop in [(1, 1000), (1.0, 8.0), (-1, -8), (np.float32(1), np.float32(8)), (2 + 0j, 8 + 0j),
                        (1j, 1000j), (np.array([1.0, 2.0]), np.array([[8.0, 16.0], [4.0, -2.0]]))]:
        for kwargs in [dict(num=4), dict(num=5, endpoint=False), dict(num=1), dict(num=0), dict(num=3, axis=-1),
                       dict(num=4, dtype=np.float32), dict(num=4, dtype=np.int64)]:
            if np.iscomplexobj(start) and np.dtype(kwargs.get("dtype", complex)).kind != "c":
                continue
            check(lambda a, b: m.geomspace(a, b, **kwargs), lambda a, b: np.geomspace(a, b, **kwargs), start, stop)
    with pytest.raises(ValueError, match="geomspace.*zero"):
        m.geomspace(0, 8)
    with pytest.raises(ValueError, match="geomspace.*zero"):
        traced(lambda b: m.geomspace(0.0, b))(np.float64(8))


# ---------------------------------------------------------------- matrices


@pytest.mark.parametrize("dtype", [float, *ALL_DTYPES])
def test_eye_identity_tri(dtype):
    for n, mm, k in [(3, None, 0), (3, 4, 1), (4, 2, -1), (0, None, 0), (3, 3, 5), (2, 5, -7)]:
        check_static(lambda: m.eye(n, mm, k, dtype), lambda: np.eye(n, mm, k, dtype))
        check_static(lambda: m.tri(n, mm, k, dtype), lambda: np.tri(n, mm, k, dtype))
    check_static(lambda: m.identity(3, dtype), lambda: np.identity(3, dtype))
    check_static(lambda: m.identity(2), lambda: np.identity(2))


@SETTINGS
@given(n=st.integers(0, 6), mm=st.none() | st.integers(0, 6), k=st.integers(-7, 7), dtype=st.sampled_from(ALL_DTYPES))
def test_eye_hypothesis(n, mm, k, dtype):
    check_static(lambda: m.eye(n, mm, k, dtype), lambda: np.eye(n, mm, k, dtype))


@pytest.mark.parametrize("name", ["tril", "triu"])
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.float32, np.complex128])
def test_tril_triu(name, dtype):
    for shape in [(4,), (3, 3), (2, 5), (5, 2), (2, 3, 4), (2, 0, 3)]:
        x = (np.arange(int(np.prod(shape))).reshape(shape) % 5 + 1).astype(dtype)
        for k in [0, 1, -1, 3, -9]:
            check(lambda a: getattr(m, name)(a, k), lambda a: getattr(np, name)(a, k), x)
    check_static(lambda: getattr(m, name)([[1, 2], [3, 4]]), lambda: getattr(np, name)([[1, 2], [3, 4]]))
    with pytest.raises(TypeError):
        traced(lambda a: getattr(m, name)(a))(np.float64(1))


@pytest.mark.parametrize("dtype", [np.bool_, np.int32, np.uint8, np.float16, np.float64, np.complex64])
def test_diag(dtype):
    for k in [0, 1, 2, -1, -3, 7]:
        check(lambda v: m.diag(v, k), lambda v: np.diag(v, k), np.arange(1, 4).astype(dtype))
        for shape in [(3, 3), (2, 5), (5, 2), (0, 3)]:
            x = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
            check(lambda v: m.diag(v, k), lambda v: np.diag(v, k), x)
        check(lambda v: m.diagflat(v, k), lambda v: np.diagflat(v, k), np.arange(4).reshape(2, 2).astype(dtype))
    check(lambda v: m.diag(v), np.diag, np.zeros(0))
    check_static(lambda: m.diag([1, 2]), lambda: np.diag([1, 2]))
    for bad in [np.ones((2, 2, 2)), np.float64(5)]:
        with pytest.raises(ValueError, match=r"diag\(\).*1- or 2-d"):
            m.diag(bad)
        with pytest.raises(ValueError, match=r"diag\(\).*1- or 2-d"):
            traced(m.diag)(bad)


def test_vander():
    for x in [np.array([1, 2, 3]), np.array([0.5, -2.0]), np.array([True, False]), np.array([2, 3], np.uint8),
              np.array([1 + 1j, 2])]:
        for kwargs in [{}, dict(N=0), dict(N=1), dict(N=4, increasing=True), dict(increasing=True)]:
            check(lambda a: m.vander(a, **kwargs), lambda a: np.vander(a, **kwargs), x)
    with pytest.raises(ValueError, match="vander.*one-dimensional"):
        traced(m.vander)(np.ones((2, 2)))


# ---------------------------------------------------------------- grids


@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("sparse", [False, True])
def test_meshgrid(indexing, sparse):
    kw = dict(indexing=indexing, sparse=sparse)
    cases = [(), (np.arange(3.0),), (np.arange(3.0), np.arange(4, dtype=np.int8)),
             (np.arange(2), np.ones((2, 2), np.float32), np.arange(3)), (np.zeros(0), np.arange(2))]
    for xs in cases:
        check(lambda *a: m.meshgrid(*a, **kw), lambda *a: np.meshgrid(*a, **kw), *xs)
    check_static(lambda: m.meshgrid([1, 2], 3, **kw), lambda: np.meshgrid([1, 2], 3, **kw))
    out = m.meshgrid(np.arange(2), copy=False)
    assert isinstance(out, tuple) and type(out[0]) is Array
    with pytest.raises(ValueError, match=r"meshgrid\(\): indexing must be 'xy' or 'ij'"):
        m.meshgrid([1], indexing="zz")


def test_indices_and_fromfunction():
    for dims in [(2, 3), (4,), (), (2, 0, 3)]:
        for kwargs in [{}, dict(dtype=float), dict(sparse=True), dict(dtype=np.int8, sparse=True)]:
            check_static(lambda: m.indices(dims, **kwargs), lambda: np.indices(dims, **kwargs))
    with pytest.raises(TypeError, match="indices.*sequence"):
        m.indices(3)
    fn = lambda i, j: lax.add(lax.mul(i, 10.0), j)  # noqa: E731
    check_static(lambda: m.fromfunction(fn, (2, 3)), lambda: np.fromfunction(lambda i, j: 10 * i + j, (2, 3)))
    check_static(lambda: m.fromfunction(lambda i: i, (4,), dtype=np.int32),
                 lambda: np.fromfunction(lambda i: i, (4,), dtype=np.int32))
    assert m.fromfunction(lambda i, j, scale: scale, (2, 2), scale=7) == 7


# ---------------------------------------------------------------- conversion


def test_asarray_nested_lists_like_numpy():
    for obj in [[1, 2, 3], [[1.0, 2], [3, 4]], [True, False], [1, 2.5, 1j], [np.float32(1), 2.0], [np.int8(1), 300],
                [np.uint8(1), -1], [], [[]], [[], []], 5, 2.5, True, [2**63], np.float32(3), ((1, 2), (3, 4)),
                [np.ones(2, np.float32), np.zeros(2, np.float32)]]:
        assert_like_numpy(m.asarray(obj), np.asarray(obj))
        assert_like_numpy(m.array(obj, ndmin=2), np.array(obj, ndmin=2))
        assert_like_numpy(m.asarray(obj, dtype=np.complex64), np.asarray(obj, dtype=np.complex64))
    assert_like_numpy(m.asarray([m.ones(2), [3, 4]]), np.asarray([np.ones(2), [3, 4]]))  # Arrays inside lists


def test_asarray_unsupported_inputs():
    for bad in ["abc", ["a", "b"], object(), None, [1, None], b"xy", np.array([1], dtype=object)]:
        with pytest.raises(TypeError, match="asarray"):
            m.asarray(bad)
    with pytest.raises(TypeError, match=r"array\(\).*dtype"):
        m.array([1], dtype="U3")
    with pytest.raises(ValueError, match="inhomogeneous"):
        m.asarray([[1], [1, 2]])


def test_asarray_copy_semantics():
    src = np.arange(4.0)
    shared = m.asarray(src)
    assert np.shares_memory(np.asarray(shared), src)
    assert m.asarray(shared) is shared and m.asarray(shared, copy=False) is shared
    assert m.asarray(shared, dtype=np.float64) is shared
    assert not np.shares_memory(np.asarray(m.asarray(shared, copy=True)), src)
    assert not np.shares_memory(np.asarray(m.asarray(src, dtype=np.float32)), src)
    with pytest.raises(ValueError, match="asarray.*copy"):
        m.asarray(src, dtype=np.float32, copy=False)
    with pytest.raises(ValueError, match="asarray.*copy"):
        m.asarray([1, 2], copy=False)
    new = m.array(shared)
    assert new is not shared and not np.shares_memory(np.asarray(new), src)
    assert m.array(shared, copy=None) is shared and m.array(shared, copy=False) is shared
    copied = m.copy(shared)
    copied[0] = 9.0
    assert src[0] == 0.0 and m.copy([1, 2]).dtype == np.int64
    assert np.asarray(m.asarray(src, order="F")).flags.f_contiguous


def test_asarray_of_tracers():
    def f(x):
        assert m.asarray(x) is x and m.asarray(x, copy=False) is x
        assert m.array(x) is not x and m.array(x, copy=False) is x and m.copy(x) is not x
        with pytest.raises(ValueError, match=r"asarray\(\).*copy"):
            m.asarray(x, np.int32, copy=False)
        assert m.asarray(x, np.int32).dtype == np.int32
        assert m.array(x, ndmin=3).shape == (1, 1, 2)
        return m.asarray(x, np.float32)

    check(f, lambda x: x.astype(np.float32), np.array([1.5, -2.0]))
    assert jaxpr_text(lambda x: m.array(x), np.ones(2)) == "{ lambda ; a:f64[2]. let b:f64[2] = copy a in (b,) }"
    weak = jaxlite.make_jaxpr(lambda x: m.asarray(x))(1.0)  # a Python scalar's tracer becomes strong
    assert not weak.out_avals[0].weak_type


def test_lists_of_tracers():
    def f(x):
        return m.array([x, lax.mul(x, np.float32(2)), 3.0])

    text = jaxpr_text(f, np.float32(1))
    assert "concatenate[dimension=0]" in text and "f64[3]" in text  # 3.0 in a list is float64, as in NumPy
    check(f, lambda x: np.array([x, 2 * x, 3.0]), np.float32(1.5))
    check(lambda x, y: m.asarray([[x, y], [y, x]]), lambda x, y: np.asarray([[x, y], [y, x]]),
          np.int8(3), np.uint8(200))
    check(lambda x: m.asarray([x, [1, 2]]), lambda x: np.asarray([x, [1, 2]]), np.array([0.5, 1.5]))
    check(lambda x: m.asarray((x, x), dtype=np.int16), lambda x: np.asarray((x, x), dtype=np.int16), 2.7)
    check(lambda x: m.array([[x]], ndmin=4), lambda x: np.array([[x]], ndmin=4), np.float32(2))
    check(lambda x: m.full(2, [x, 1]), lambda x: np.full(2, [x, 1]), np.int32(4))
    with pytest.raises(ValueError, match="inhomogeneous"):
        traced(lambda x: m.asarray([x, [1, 2]]))(np.ones(3))
    with pytest.raises(ValueError, match="copy=False"):
        traced(lambda x: m.asarray([x], copy=False))(1.0)
    with pytest.raises(TypeError):
        traced(lambda x: m.asarray([x, "a"]))(1.0)


def test_operand_turns_lists_of_tracers_into_arrays():
    from jaxlite.numpy._base import operand

    out = traced(lambda x: operand([x, 2.0], "f"))(np.float32(1))
    assert_like_numpy(out, np.array([1.0, 2.0]))


def test_from_dlpack_and_buffers():
    src = np.arange(3.0)
    out = m.from_dlpack(src)
    assert type(out) is Array and np.shares_memory(np.asarray(out), src)
    assert not np.shares_memory(np.asarray(m.from_dlpack(src, copy=True)), src)
    assert_like_numpy(m.from_dlpack(m.ones(2)), np.ones(2))
    assert traced(lambda x: m.from_dlpack(x))(src) is not None
    assert_like_numpy(m.frombuffer(b"\x01\x02\x03\x04", np.uint8, 2, 1), np.array([2, 3], np.uint8))
    assert_like_numpy(m.frombuffer(np.arange(3.0).tobytes()), np.arange(3.0))
    assert_like_numpy(m.fromiter(iter(range(4)), np.int16), np.arange(4, dtype=np.int16))
    assert_like_numpy(m.fromiter((i * 0.5 for i in range(9)), float, count=3), np.array([0.0, 0.5, 1.0]))
    assert_like_numpy(m.fromstring("1 2 3", dtype=int, sep=" "), np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="fromiter.*short"):
        m.fromiter(iter([1, 2]), float, count=5)
    with pytest.raises(ValueError, match="fromiter.*short"):
        traced(lambda: m.fromiter(iter([1, 2]), float, count=5))()
    check(lambda x: m.fromiter((x, lax.add(x, 1.0)), np.float32), lambda x: np.fromiter((x, x + 1), np.float32), 1.5)
    with pytest.raises(ValueError, match="fromstring"):
        m.fromstring(b"\x01", dtype=np.uint8, sep="")


# ---------------------------------------------------------------- common errors


def test_traced_shape_arguments_raise_concretization_errors():
    cases = {
        ("zeros", "shape"): lambda n: m.zeros(n), ("ones", "shape"): lambda n: m.ones((2, n)),
        ("full", "shape"): lambda n: m.full((n,), 1.0), ("empty", "shape"): lambda n: m.empty(n),
        ("zeros_like", "shape"): lambda n: m.zeros_like(1.0, shape=n),
        ("arange", "start_or_stop"): lambda n: m.arange(n), ("arange", "stop"): lambda n: m.arange(0, n),
        ("arange", "step"): lambda n: m.arange(0, 5, n), ("linspace", "num"): lambda n: m.linspace(0, 1, n),
        ("eye", "N"): lambda n: m.eye(n), ("eye", "M"): lambda n: m.eye(2, n), ("eye", "k"): lambda n: m.eye(2, k=n),
        ("identity", "n"): lambda n: m.identity(n), ("tri", "N"): lambda n: m.tri(n),
        ("tril", "k"): lambda n: m.tril(m.ones((2, 2)), n), ("diag", "k"): lambda n: m.diag(m.ones(2), n),
        ("indices", "dimensions"): lambda n: m.indices((n, 2)),
        ("fromfunction", "shape"): lambda n: m.fromfunction(lambda i: i, (n,)),
    }
    for (fname, argname), fun in cases.items():
        with pytest.raises(ConcretizationTypeError, match=rf"{fname}\(\) argument '{argname}' must be concrete"):
            jaxlite.make_jaxpr(fun)(3)


def test_traced_values_are_allowed():
    check(lambda v: m.full((2, 2), v), lambda v: np.full((2, 2), v), np.float64(3))
    check(lambda a, b: m.linspace(a, b, 4), lambda a, b: np.linspace(a, b, 4), np.float32(1), np.float32(2))
    check(lambda v: m.diag(v), np.diag, np.arange(3.0))


@pytest.mark.parametrize("fun", [
    lambda **kw: m.zeros(2, **kw), lambda **kw: m.full(2, 1.0, **kw), lambda **kw: m.arange(3, **kw),
    lambda **kw: m.eye(2, **kw), lambda **kw: m.asarray([1], **kw),
])
def test_device_and_like(fun):
    for device in [None, "cpu", Array(np.ones(1)).device]:
        assert fun(device=device).shape
    with pytest.raises(ValueError, match="unsupported device 'gpu'"):
        fun(device="gpu")
    with pytest.raises(TypeError, match="like="):
        fun(like=np.ones(1))
    assert m.linspace(0, 1, 3, device="cpu").shape == (3,)
    assert m.zeros_like(np.ones(2), device="cpu").shape == (2,)
    with pytest.raises(ValueError, match="zeros_like.*device"):
        m.zeros_like(np.ones(2), device="tpu")


def test_bad_arguments():
    for fun, exc, msg in [
        (lambda: m.zeros(-1), ValueError, r"zeros\(\): negative dimensions are not allowed"),
        (lambda: m.ones((2, -3)), ValueError, "ones.*negative"),
        (lambda: m.zeros(2.5), TypeError, r"zeros\(\) argument 'shape' must be an int"),
        (lambda: m.zeros("3"), TypeError, "zeros.*shape"),
        (lambda: m.zeros(3, order="K"), ValueError, r"zeros\(\): order must be 'C' or 'F'"),
        (lambda: m.zeros_like([1], order="X"), ValueError, "zeros_like.*order"),
        (lambda: m.zeros(3, dtype="U3"), TypeError, r"zeros\(\): jaxlite does not support dtype"),
        (lambda: m.eye(-1), ValueError, "eye.*negative"),
        (lambda: m.eye(2, k=0.5), TypeError, r"eye\(\) argument 'k' must be an integer"),
        (lambda: m.arange("a"), TypeError, "arange"),
    ]:
        with pytest.raises(exc, match=msg):
            fun()
        with pytest.raises(exc, match=msg):
            traced(fun)()


def test_results_are_arrays_or_tracers():
    eager = [m.zeros(2), m.arange(3), m.linspace(0, 1, 3, retstep=True)[1], m.diag([1, 2]), m.tril(np.ones((2, 2))),
             m.asarray(np.float32(1)), m.array(2.5), m.copy(np.ones(2)), *m.meshgrid([1, 2], [3]),
             *m.indices((2,), sparse=True)]
    assert all(type(x) is Array for x in eager)

    def f(x):
        outs = [m.zeros(2), m.linspace(x, 1.0, 3, retstep=True)[1], m.full(2, x), m.eye(2), m.tri(2)]
        assert all(isinstance(o, Tracer) for o in outs)
        return x

    traced(f)(1.0)
