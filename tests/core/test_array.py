"""jaxlite.Array: a NumPy-like concrete array, with NumPy's eager semantics."""

import copy
import operator
import pickle

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from helpers import assert_like_numpy

A = np.array([[1.5, -2.0, 0.0], [3.0, 4.25, -0.5]])
I = np.array([[3, -2, 0], [7, 4, -5]], dtype=np.int32)


def test_wraps_an_ndarray_float64_by_default():
    x = jnp.array([1, 2.5])
    assert isinstance(x, jaxlite.Array) and jnp.ndarray is jaxlite.Array
    assert x.dtype == np.float64 and jnp.zeros(2).dtype == np.float64


def test_properties_match_numpy():
    x = jnp.asarray(A)
    for name in ("shape", "ndim", "size", "dtype", "itemsize", "nbytes"):
        assert getattr(x, name) == getattr(A, name), name
    assert_like_numpy(x.T, A.T)
    assert_like_numpy(jnp.ones((4, 2, 3)).mT, np.ones((4, 2, 3)).mT)
    assert x.device == x.to_device("cpu").device
    with pytest.raises(ValueError, match="unknown device"):
        x.to_device("gpu")


def test_array_protocol_is_zero_copy_and_dlpack_works():
    x = jnp.asarray(A)
    assert np.shares_memory(np.asarray(x), A)
    assert np.asarray(x, dtype=np.float32).dtype == np.float32
    assert np.array_equal(np.from_dlpack(x), A)
    assert x.__dlpack_device__() == A.__dlpack_device__()
    assert x.__array_namespace__() is jnp
    with pytest.raises(ValueError, match="api_version"):
        x.__array_namespace__(api_version="1999.01")


def test_repr_reads_like_numpy():
    assert repr(jnp.array([1.0, 2.0])) == "Array([1., 2.], dtype=float64)"
    assert repr(jnp.array(3, dtype=jnp.int8)) == "Array(3, dtype=int8)"
    assert repr(jnp.array([True, False])) == "Array([ True, False], dtype=bool)"
    assert repr(jnp.zeros((2, 0))) == "Array([], shape=(2, 0), dtype=float64)"
    assert repr(jnp.eye(2)) == "Array([[1., 0.],\n       [0., 1.]], dtype=float64)"
    assert str(jnp.array([1.0, 2.0])) == "[1. 2.]"
    assert f"{jnp.array(2.5):.2f}" == "2.50"


def test_python_conversions():
    assert len(jnp.asarray(A)) == 2
    assert [r.tolist() for r in jnp.asarray(A)] == A.tolist()
    assert bool(jnp.array(1.0)) and not bool(jnp.array(0))
    assert int(jnp.array(3.7)) == 3 and float(jnp.array(2)) == 2.0 and complex(jnp.array(1j)) == 1j
    assert [10, 20, 30][jnp.array(1)] == 20
    with pytest.raises(TypeError):
        operator.index(jnp.array(1.5))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(jnp.ones(2))
    assert jnp.asarray(A).tolist() == A.tolist() and jnp.array(2.5).item() == 2.5
    with pytest.raises(TypeError, match="unhashable"):
        {jnp.ones(1): 1}


def test_copy_and_pickle():
    x = jnp.asarray(A)
    for y in (copy.copy(x), copy.deepcopy(x), x.copy(), pickle.loads(pickle.dumps(x))):
        assert_like_numpy(y, A)
        assert not np.shares_memory(np.asarray(y), A)


BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and_", "or_", "xor", "lshift", "rshift",
          "eq", "ne", "lt", "le", "gt", "ge"]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("other", [I[0], 2, 2.5, True], ids=["array", "int", "float", "bool"])
def test_operators_and_reflected_operators(name, other):
    op = getattr(operator, name)
    lhs = I if name in ("and_", "or_", "xor", "lshift", "rshift") else A
    if name in ("and_", "or_", "xor", "lshift", "rshift") and isinstance(other, float):
        with pytest.raises(TypeError):
            op(jnp.asarray(lhs), other)
        return
    if name in ("lshift", "rshift"):
        other = np.abs(other) % 3 if isinstance(other, np.ndarray) else other
    with np.errstate(all="ignore"):
        expected, reflected = op(lhs, other), op(other, lhs)
        assert_like_numpy(op(jnp.asarray(lhs), other), expected)
        assert_like_numpy(op(other, jnp.asarray(lhs)), reflected)
        assert_like_numpy(op(jnp.asarray(lhs), jnp.asarray(np.asarray(other))), op(lhs, np.asarray(other)))


def test_ndarray_on_the_left_defers_to_array():
    assert isinstance(np.ones(3) + jnp.ones(3), jaxlite.Array)
    assert isinstance(np.ones((2, 2)) @ jnp.ones((2, 2)), jaxlite.Array)


def test_unary_operators_and_matmul():
    x = jnp.asarray(A)
    assert_like_numpy(-x, -A)
    assert_like_numpy(+x, +A)
    assert_like_numpy(abs(x), abs(A))
    assert_like_numpy(~jnp.asarray(I), ~I)
    assert_like_numpy(x @ x.T, A @ A.T)
    assert_like_numpy(divmod(x, 2)[1], divmod(A, 2)[1])


@pytest.mark.parametrize("name", ["iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow"])
def test_inplace_operators_mutate_like_numpy(name):
    x, expected = jnp.array(A), A.copy()
    alias = x
    view = np.asarray(x)
    with np.errstate(all="ignore"):
        x = getattr(operator, name)(x, 3.0)
        expected = getattr(operator, name)(expected, 3.0)
    assert x is alias
    assert_like_numpy(x, expected)
    assert np.array_equal(view, expected, equal_nan=True)


def test_inplace_cast_errors_like_numpy():
    x = jnp.array([1, 2])
    with pytest.raises(TypeError):
        x += 1.5
    x += 1
    assert x.tolist() == [2, 3]


def test_item_assignment_mutates_like_numpy():
    x = jnp.zeros((3, 4))
    x[1] = 5.0
    x[:, 0] = jnp.arange(3.0)
    x[x > 4] = -1.0
    x[[0, 2], [1, 3]] = jnp.array([7.0, 8.0])
    expected = np.zeros((3, 4))
    expected[1] = 5.0
    expected[:, 0] = np.arange(3.0)
    expected[expected > 4] = -1.0
    expected[[0, 2], [1, 3]] = [7.0, 8.0]
    assert_like_numpy(x, expected)
    with pytest.raises(IndexError):
        x[5] = 1.0


def test_views_share_memory_like_numpy():
    x = jnp.arange(6.0)
    y = x[1:4]
    y[0] = 100.0
    assert x[1] == 100.0


def test_at_returns_new_arrays():
    x = jnp.arange(5.0)
    y = x.at[1].set(10.0)
    z = x.at[jnp.array([0, 0, 2])].add(1.0)
    assert x.tolist() == [0, 1, 2, 3, 4]
    assert y.tolist() == [0, 10, 2, 3, 4] and z.tolist() == [2, 1, 3, 3, 4]
    assert x.at[1:3].multiply(3).tolist() == [0, 3, 6, 3, 4]
    assert x.at[4].min(1.0).tolist() == [0, 1, 2, 3, 1]
    assert x.at[0].max(9.0).tolist() == [9, 1, 2, 3, 4]
    assert x.at[2].divide(4.0).tolist() == [0, 1, 0.5, 3, 4]
    assert x.at[3].power(2).tolist() == [0, 1, 2, 9, 4]
    assert x.at[1:3].get().tolist() == [1, 2]


@pytest.mark.parametrize("method,kwargs", [
    ("sum", {}), ("sum", {"axis": 0}), ("mean", {"axis": 1, "keepdims": True}), ("max", {}), ("min", {"axis": -1}),
    ("prod", {}), ("std", {}), ("var", {"ddof": 1}), ("argmax", {}), ("argmin", {"axis": 0}), ("all", {}),
    ("any", {"axis": 1}), ("cumsum", {"axis": 1}), ("cumprod", {}), ("ravel", {}), ("flatten", {}),
    ("transpose", {}), ("squeeze", {}), ("round", {}), ("conj", {}), ("argsort", {"axis": 0}),
    ("clip", {"min": 0, "max": 1}), ("swapaxes", {}), ("diagonal", {}), ("trace", {}),
    ("repeat", {"repeats": 2}), ("take", {"indices": [0, 2]}), ("astype", {"dtype": np.int16}),
    ("nonzero", {}), ("ptp", {}), ("dot", {"b": A.T}),
])
def test_methods_match_numpy(method, kwargs):
    args = (0, 1) if method == "swapaxes" else ()  # ndarray.swapaxes takes no keywords
    got = getattr(jnp.asarray(A), method)(*args, **kwargs)
    expected = getattr(A, method)(*args, **kwargs) if method != "ptp" else np.ptp(A)
    assert_like_numpy(got, expected)


def test_reshape_and_transpose_method_forms():
    x = jnp.arange(6)
    assert x.reshape(2, 3).shape == (2, 3) and x.reshape((3, 2)).shape == (3, 2)
    y = jnp.ones((2, 3, 4))
    assert y.transpose(2, 0, 1).shape == (4, 2, 3) and y.transpose((1, 0, 2)).shape == (3, 2, 4)


def test_sort_and_fill_mutate_in_place():
    x = jnp.array([3.0, 1.0, 2.0])
    assert x.sort() is None and x.tolist() == [1.0, 2.0, 3.0]
    x.fill(7)
    assert x.tolist() == [7.0, 7.0, 7.0]


def test_real_imag_and_float16():
    z = jnp.array([1 + 2j, 3 - 1j])
    assert z.real.tolist() == [1, 3] and z.imag.tolist() == [2, -1]
    h = jnp.ones(3, dtype=np.float16)
    assert (h + 1).dtype == np.float16 and (h + jnp.ones(3, dtype=np.float32)).dtype == np.float32


def test_a_tracer_is_an_instance_of_array():
    seen = []
    jaxlite.make_jaxpr(lambda x: seen.append(isinstance(x, jaxlite.Array)) or x)(np.ones(2))
    assert seen == [True]
