"""Array manipulation against NumPy, eagerly and traced: reshaping, axes, broadcasting, joining,
splitting, flipping, rolling, tiling, repeating, padding, diagonals, insert/delete."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import helpers
import jaxlite
from helpers import assert_like_numpy, to_jaxlite, traced
from jaxlite.core import Array
import jaxlite.numpy as jm

AxisError = np.exceptions.AxisError
DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float16, np.float32, np.float64, np.complex64, np.complex128]
SHAPES = [(), (0,), (5,), (2, 3), (2, 0, 3), (2, 3, 4)]
FAST = settings(max_examples=40, deadline=None)


def sample(shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    values = rng.integers(0 if dtype.kind == "u" else -9, 10, size=shape)
    if dtype.kind == "c":
        values = values + 1j * rng.integers(-9, 10, size=shape)
    return np.asarray(values).astype(dtype)


def check(fn, np_fn, *args, **kwargs):
    """helpers.check, but the traced run is fed Arrays: a jaxpr that returns its input as it is
    (a reshape to the same shape has no equation) then returns an Array, not the raw ndarray."""
    expected = helpers.check(fn, np_fn, *args, trace=False, **kwargs)
    assert_like_numpy(traced(lambda *a: fn(*a, **kwargs))(*to_jaxlite(args)), expected, err_msg="traced:")


def raises_both(fn, args, exception, match, **kwargs):
    """`fn` raises `exception` with a message matching `match`, eagerly and traced."""
    with pytest.raises(exception, match=match):
        fn(*to_jaxlite(args), **kwargs)
    with pytest.raises(exception, match=match):
        traced(lambda *a: fn(*a, **kwargs))(*args)


def jaxpr_of(fn, *args):
    return str(jaxlite.make_jaxpr(fn)(*args))


def primitives(fn, *args):
    return [eqn.primitive.name for eqn in jaxlite.make_jaxpr(fn)(*args).eqns]


# ---------------------------------------------------------------- one table for the simple cases

X234, X23 = sample((2, 3, 4)), sample((2, 3))
# (function name, NumPy array arguments, static keyword arguments)
CASES = [
    ("reshape", [X234], dict(shape=(4, -1))),
    ("reshape", [X234], dict(shape=(3, 8), order="F")),
    ("reshape", [X234], dict(shape=24, order="A")),
    ("reshape", [sample(())], dict(shape=(1, 1))),
    ("reshape", [sample((0, 3))], dict(shape=(-1, 3))),
    ("ravel", [X234], {}),
    ("ravel", [X234], dict(order="F")),
    ("transpose", [X234], {}),
    ("transpose", [X234], dict(axes=(1, -1, 0))),
    ("transpose", [sample(())], {}),
    ("permute_dims", [X234], dict(axes=(2, 0, 1))),
    ("matrix_transpose", [X234], {}),
    ("moveaxis", [X234], dict(source=0, destination=-1)),
    ("moveaxis", [X234], dict(source=(0, 1), destination=(2, 0))),
    ("swapaxes", [X234], dict(axis1=0, axis2=-1)),
    ("rollaxis", [X234], dict(axis=2)),
    ("rollaxis", [X234], dict(axis=0, start=3)),
    ("rollaxis", [X234], dict(axis=-1, start=-2)),
    ("expand_dims", [X23], dict(axis=0)),
    ("expand_dims", [X23], dict(axis=(0, -1))),
    ("expand_dims", [X23], dict(axis=(3, 1))),
    ("expand_dims", [sample(())], dict(axis=(0, 1))),
    ("squeeze", [sample((1, 3, 1, 1))], {}),
    ("squeeze", [sample((1, 3, 1, 1))], dict(axis=(0, -1))),
    ("squeeze", [sample((1,))], dict(axis=0)),
    ("squeeze", [sample(())], {}),
    ("broadcast_to", [sample((3, 1))], dict(shape=(2, 3, 4))),
    ("broadcast_to", [sample(())], dict(shape=(0, 2))),
    ("broadcast_to", [sample((3,))], dict(shape=3)),
    ("flip", [X234], {}),
    ("flip", [X234], dict(axis=1)),
    ("flip", [X234], dict(axis=(0, -1))),
    ("flip", [sample(())], {}),
    ("fliplr", [X234], {}),
    ("flipud", [X234], {}),
    ("roll", [X234], dict(shift=5)),
    ("roll", [X234], dict(shift=-2, axis=1)),
    ("roll", [X234], dict(shift=(1, 7), axis=(0, 2))),
    ("roll", [X234], dict(shift=(1, 2), axis=(1, 1))),
    ("roll", [X234], dict(shift=2, axis=(0, 1))),
    ("roll", [sample((0, 3))], dict(shift=1, axis=0)),
    ("roll", [sample(())], dict(shift=3)),
    ("rot90", [X234], {}),
    ("rot90", [X234], dict(k=2)),
    ("rot90", [X234], dict(k=-1, axes=(2, 1))),
    ("rot90", [X234], dict(k=7, axes=(0, -1))),
    ("tile", [X23], dict(reps=2)),
    ("tile", [X23], dict(reps=(2, 1, 3))),
    ("tile", [X234], dict(reps=(2, 2))),
    ("tile", [sample(())], dict(reps=(2, 3))),
    ("tile", [X23], dict(reps=(0, 2))),
    ("tile", [X23], dict(reps=())),
    ("repeat", [X23], dict(repeats=2)),
    ("repeat", [X23], dict(repeats=3, axis=1)),
    ("repeat", [X23], dict(repeats=[1, 0, 2], axis=-1)),
    ("repeat", [X23], dict(repeats=[2], axis=0)),
    ("repeat", [sample(())], dict(repeats=3)),
    ("repeat", [X23], dict(repeats=np.array([1, 2, 3, 0, 1, 5]))),
    ("repeat", [sample((0, 2))], dict(repeats=2, axis=0)),
    ("diagonal", [sample((4, 4))], {}),
    ("diagonal", [sample((3, 5))], dict(offset=2)),
    ("diagonal", [sample((5, 3))], dict(offset=-1)),
    ("diagonal", [X234], dict(offset=1, axis1=-1, axis2=0)),
    ("diagonal", [X234], dict(offset=9)),
    ("diagonal", [sample((0, 3))], {}),
    ("trace", [sample((4, 4))], {}),
    ("trace", [X234], dict(offset=-1, axis1=2, axis2=1)),
    ("trace", [sample((3, 3), np.int8)], {}),
    ("trace", [sample((3, 3), np.uint16)], {}),
    ("trace", [sample((3, 3), np.bool_)], {}),
    ("trace", [sample((3, 3), np.float32)], dict(dtype=np.float64)),
    ("trace", [sample((2, 3))], dict(offset=5)),
    ("resize", [X23], dict(new_shape=(4, 5))),
    ("resize", [X23], dict(new_shape=4)),
    ("resize", [X23], dict(new_shape=(0, 2))),
    ("resize", [sample((0,))], dict(new_shape=(2, 2))),
    ("resize", [sample(())], dict(new_shape=(3,))),
    ("append", [X23, X23], {}),
    ("append", [X23, X23], dict(axis=1)),
    ("append", [sample((3,), np.int8), sample((2,), np.float32)], {}),
    ("delete", [X234], dict(obj=1, axis=1)),
    ("delete", [X234], dict(obj=[0, 2], axis=-1)),
    ("delete", [X234], dict(obj=-1)),
    ("delete", [X234], dict(obj=slice(1, None, 2), axis=2)),
    ("delete", [X234], dict(obj=np.array([True, False, True]), axis=1)),
    ("delete", [X234], dict(obj=[], axis=0)),
    ("delete", [X234], dict(obj=list(range(0, 24, 3)))),
    ("insert", [X23], dict(obj=1, values=7.5)),
    ("insert", [X23], dict(obj=1, values=[1, 2, 3], axis=0)),
    ("insert", [X23], dict(obj=1, values=[1, 2], axis=1)),
    ("insert", [X23], dict(obj=[1], values=[[1], [2]], axis=1)),
    ("insert", [X23], dict(obj=[0, 3, 3, 1], values=[5, 6, 7, 8], axis=1)),
    ("insert", [X23], dict(obj=slice(None), values=9, axis=1)),
    ("insert", [X23], dict(obj=-1, values=[[1, 2, 3]], axis=0)),
    ("insert", [X23], dict(obj=[], values=1, axis=1)),
    ("insert", [sample((4,), np.int16)], dict(obj=np.array([True, False, True, False]), values=9)),
    ("pad", [X23], dict(pad_width=1)),
    ("pad", [X23], dict(pad_width=((1, 2), (0, 3)), constant_values=-1.5)),
    ("pad", [sample((2, 3), np.int8)], dict(pad_width=(1, 2), constant_values=((1, 2), (3, 4)))),
    ("pad", [X23], dict(pad_width=((2,), (1,)), constant_values=(7, 8))),
    ("pad", [X23], dict(pad_width={1: (1, 2)}, constant_values=3)),
    ("pad", [X23], dict(pad_width={-2: 1})),
    ("pad", [sample((0, 2))], dict(pad_width=1)),
    ("pad", [sample(())], dict(pad_width=1)),
    ("pad", [X23], dict(pad_width=((3, 2), (4, 1)), mode="edge")),
    ("pad", [X23], dict(pad_width=((3, 2), (4, 7)), mode="wrap")),
    ("pad", [X23], dict(pad_width=((3, 2), (4, 7)), mode="reflect")),
    ("pad", [X23], dict(pad_width=((3, 2), (4, 7)), mode="symmetric", reflect_type="even")),
    ("pad", [sample((0, 2))], dict(pad_width=((0, 0), (2, 1)), mode="wrap")),
    ("pad", [sample((1, 1))], dict(pad_width=3, mode="reflect")),
    ("atleast_1d", [sample(())], {}),
    ("atleast_1d", [X23], {}),
    ("atleast_2d", [sample((3,))], {}),
    ("atleast_3d", [sample(())], {}),
    ("atleast_3d", [sample((3,))], {}),
    ("atleast_3d", [X23], {}),
    ("atleast_3d", [X234], {}),
]


@pytest.mark.parametrize("name, args, kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_like_numpy(name, args, kwargs):
    check(getattr(jm, name), getattr(np, name), *args, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, kwargs", [
    ("reshape", dict(shape=(-1,))), ("transpose", {}), ("flip", {}), ("roll", dict(shift=1)),
    ("tile", dict(reps=2)), ("repeat", dict(repeats=2)), ("pad", dict(pad_width=1, constant_values=1)),
    ("pad", dict(pad_width=2, mode="reflect")), ("expand_dims", dict(axis=0)), ("ravel", {}),
    ("broadcast_to", dict(shape=(2, 2, 3))), ("squeeze", {}), ("delete", dict(obj=1)),
    ("insert", dict(obj=1, values=1)), ("diagonal", {}), ("trace", {}),
])
def test_dtypes_kept(name, kwargs, dtype):
    check(getattr(jm, name), getattr(np, name), sample((2, 3), dtype), **kwargs)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["ravel", "transpose", "flip", "squeeze", "atleast_1d", "atleast_2d", "atleast_3d"])
def test_shapes(name, shape):
    check(getattr(jm, name), getattr(np, name), sample(shape))


@pytest.mark.parametrize("shape", SHAPES)
def test_shape_queries(shape):
    x = sample(shape)
    for arg in (x, Array(x)):
        assert jm.shape(arg) == np.shape(x) and jm.ndim(arg) == np.ndim(x) and jm.size(arg) == np.size(x)
    assert jm.ndim([[1, 2]]) == 2 and jm.shape(3.0) == () and jm.size(X234, axis=(0, 2)) == 8
    assert jm.size(X234, -1) == 4
    jaxlite.make_jaxpr(lambda t: check_shape_of_tracer(t, x))(x)


def check_shape_of_tracer(t, x):
    assert jm.shape(t) == x.shape and jm.ndim(t) == x.ndim and jm.size(t) == x.size
    return t


# ---------------------------------------------------------------- reshape and axes


def test_reshape_newshape_and_copy():
    with pytest.warns(DeprecationWarning, match="newshape"):
        assert jm.reshape(X23, newshape=(3, 2)).shape == (3, 2)
    with pytest.raises(ValueError):  # NumPy's: no view of a transposed array as 1-d without a copy
        jm.reshape(jm.transpose(X23), (6,), copy=False)
    assert traced(lambda x: jm.reshape(x, (6,), copy=True))(X23).shape == (6,)


def test_eager_views_like_numpy():
    x = Array(np.arange(6.0))
    view = jm.reshape(x, (2, 3))
    view[0, 0] = 100.0
    assert np.asarray(x)[0] == 100.0  # reshape gives a view, as NumPy's
    assert np.shares_memory(np.asarray(jm.transpose(view)), np.asarray(x))
    for copy in (jm.tile(x, 1), jm.roll(x, 0), jm.delete(x, []), jm.pad(x, 0), jm.repeat(x, 1), jm.block(x)):
        assert not np.shares_memory(np.asarray(copy), np.asarray(x))
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(jm.broadcast_to(x, (2, 6)))[0, 0] = 1.0


def test_returns_jaxlite_arrays():
    for result in (jm.reshape([1, 2, 3, 4], (2, 2)), jm.squeeze(np.ones((1, 2))), jm.flip(3.0),
                   jm.concatenate([[1], [2.5]]), jm.trace(np.eye(2)), jm.trim_zeros([0, 1, 0])):
        assert type(result) is Array
    assert jm.reshape(np.int8(3), (1,)).dtype == np.int8 and jm.atleast_1d(2.5).dtype == np.float64


# ---------------------------------------------------------------- broadcasting


def test_broadcast_arrays_and_shapes():
    a, b, c = sample((3, 1)), sample((1, 4), np.int8), sample(())
    check(jm.broadcast_arrays, np.broadcast_arrays, a, b, c)
    check(jm.broadcast_arrays, np.broadcast_arrays, a)
    assert jm.broadcast_arrays() == ()
    assert jm.broadcast_shapes((3, 1), (4,), 1, ()) == np.broadcast_shapes((3, 1), (4,), 1, ()) == (3, 4)
    assert jm.broadcast_shapes() == ()


# ---------------------------------------------------------------- joining


@pytest.mark.parametrize("dtype1", DTYPES)
@pytest.mark.parametrize("dtype2", [np.bool_, np.int8, np.uint64, np.float32, np.complex64])
def test_join_promotion(dtype1, dtype2):
    a, b = sample((2, 3), dtype1, 1), sample((2, 3), dtype2, 2)
    check(jm.concatenate, np.concatenate, [a, b], axis=1)
    check(jm.stack, np.stack, (a, b), axis=-1)
    check(jm.block, np.block, [[a, b], [b, a]])


@pytest.mark.parametrize("name, arrays, kwargs", [
    ("concatenate", [X23, sample((2, 1)), sample((2, 0))], dict(axis=-1)),
    ("concatenate", [X234, sample((5,), np.int32)], dict(axis=None)),
    ("concatenate", [X23], {}),
    ("concatenate", [X23, sample((1, 3), np.int64)], dict(dtype=np.float32)),
    ("concatenate", [X23, sample((1, 3))], dict(dtype=np.int16, casting="unsafe")),
    ("concat", [X23, X23], dict(axis=1)),
    ("stack", [X23, X23, X23], {}),
    ("stack", [X23, X23], dict(axis=2)),
    ("stack", [sample(()), sample(())], {}),
    ("stack", [sample((0, 2))], dict(axis=1, dtype=np.int8, casting="unsafe")),
    ("hstack", [sample((3,)), sample((2,))], {}),
    ("hstack", [X23, sample((2, 1))], {}),
    ("hstack", [sample(()), sample(())], dict(dtype=np.complex64)),
    ("vstack", [sample((3,)), X23], {}),
    ("vstack", [sample(()), sample(())], {}),
    ("dstack", [X23, X23], {}),
    ("dstack", [sample((3,)), sample((3,))], {}),
    ("dstack", [sample(()), sample(())], {}),
    ("column_stack", [sample((2,)), X23, sample((2,), np.int8)], {}),
    ("column_stack", [sample(()), sample(())], {}),
])
def test_joins(name, arrays, kwargs):
    check(getattr(jm, name), getattr(np, name), arrays, **kwargs)


def test_join_of_an_array_and_of_lists():
    check(jm.concatenate, np.concatenate, X234)
    check(jm.stack, np.stack, X234, axis=1)
    check(jm.concatenate, np.concatenate, (X23, [[1, 2, 3]]))
    assert np.asarray(jm.concatenate(([1, 2], [3.5]))).tolist() == [1, 2, 3.5]
    assert jm.hstack([1, 2.5]).dtype == np.float64


def test_block():
    a, b = sample((2, 2)), sample((2, 3), np.int32)
    check(jm.block, np.block, [[a, b], [sample((1, 5))]])
    check(jm.block, np.block, [a, b])
    check(jm.block, np.block, [[[a]], [[a]]])
    check(jm.block, np.block, a)
    check(jm.block, np.block, [sample(()), sample((3,))])
    assert np.array_equal(np.asarray(jm.block([[1, 2], [3, 4]])), np.block([[1, 2], [3, 4]]))
    for bad, exception, match in [
        ([[X23], X23], ValueError, r"List depths are mismatched: arrays\[0\] has depth 1 but arrays\[1\] has depth 0"),
        ([X23, []], ValueError, r"List at arrays\[1\] cannot be empty"),
        ([], ValueError, "List at arrays cannot be empty"),
        ((X23, X23), TypeError, "arrays is a tuple"),
        ([[X23, sample((3, 3))]], ValueError, "concatenation axis must match exactly"),
    ]:
        with pytest.raises(exception, match=match):
            jm.block(to_jaxlite(bad))


def test_out_argument():
    out = Array(np.zeros((4, 3)))
    assert jm.concatenate([X23, X23], out=out) is out
    np.testing.assert_array_equal(np.asarray(out), np.concatenate([X23, X23]))
    out = Array(np.zeros((2, 2, 3)))
    assert jm.stack([X23, X23], out=out) is out and np.asarray(out)[1].tolist() == X23.tolist()
    out = Array(np.zeros(()))
    assert jm.trace(np.eye(3), out=out) is out and float(out) == 3.0
    with pytest.raises(TypeError, match="out= cannot receive a traced result"):
        traced(lambda x: jm.concatenate([x, x], out=Array(np.zeros((4, 3)))))(X23)


# ---------------------------------------------------------------- splitting


@pytest.mark.parametrize("name, x, kwargs", [
    ("split", X234, dict(indices_or_sections=2)),
    ("split", X234, dict(indices_or_sections=[1, 3], axis=-1)),
    ("split", X234, dict(indices_or_sections=[-1, 5, 2], axis=2)),
    ("split", sample((0, 2)), dict(indices_or_sections=3)),
    ("split", X234, dict(indices_or_sections=np.array([1]), axis=1)),
    ("array_split", X234, dict(indices_or_sections=3, axis=2)),
    ("array_split", sample((7,)), dict(indices_or_sections=4)),
    ("array_split", sample((2,)), dict(indices_or_sections=5)),
    ("hsplit", X234, dict(indices_or_sections=3)),
    ("hsplit", sample((6,)), dict(indices_or_sections=[2, 4])),
    ("vsplit", X234, dict(indices_or_sections=2)),
    ("dsplit", X234, dict(indices_or_sections=[1])),
])
def test_splits(name, x, kwargs):
    check(getattr(jm, name), getattr(np, name), x, **kwargs)


def test_unstack():
    check(jm.unstack, np.unstack, X234)
    check(jm.unstack, np.unstack, X234, axis=-1)
    check(jm.unstack, np.unstack, sample((0, 2)), axis=1)
    raises_both(jm.unstack, (sample(()),), ValueError, "at least 1-d")
    raises_both(jm.unstack, (X23,), AxisError, "out of bounds", axis=2)


def test_shape_arguments_must_be_concrete():
    for fn, kwargs in [
        (lambda x, n: jm.reshape(x, (n, 3)), {}), (lambda x, n: jm.split(x, n), {}),
        (lambda x, n: jm.tile(x, n), {}), (lambda x, n: jm.roll(x, n), {}),
        (lambda x, n: jm.broadcast_to(x, (n, 2, 3)), {}), (lambda x, n: jm.pad(x, n), {}),
        (lambda x, n: jm.repeat(x, n), {}), (lambda x, n: jm.delete(x, n), {}),
        (lambda x, n: jm.insert(x, n, 1.0), {}), (lambda x, n: jm.expand_dims(x, n), {}),
    ]:
        with pytest.raises(jaxlite.ConcretizationTypeError, match=r"\(\) argument '\w+' must be concrete"):
            jaxlite.make_jaxpr(fn)(X23, 2)
    with pytest.raises(jaxlite.ConcretizationTypeError, match="repeat.*'repeats'.*total_repeat_length"):
        jaxlite.make_jaxpr(jm.repeat)(X23, np.array([1, 2]))
    with pytest.raises(jaxlite.ConcretizationTypeError, match="trim_zeros.*eager"):
        jaxlite.make_jaxpr(jm.trim_zeros)(X23[0])


# ---------------------------------------------------------------- repeat, tile, pad


def test_repeat_with_traced_repeats():
    x, counts = sample((3, 2)), np.array([2, 0, 3])
    expected = np.repeat(x, counts, axis=0)
    for length, want in [(5, expected), (3, expected[:3]), (7, np.concatenate([expected, expected[-1:].repeat(2, 0)]))]:
        got = traced(lambda x, r: jm.repeat(x, r, axis=0, total_repeat_length=length))(x, counts)
        np.testing.assert_array_equal(np.asarray(got), want)
        eager = jm.repeat(x, counts, axis=0, total_repeat_length=length)
        np.testing.assert_array_equal(np.asarray(eager), want)
    got = traced(lambda x, r: jm.repeat(x, r, total_repeat_length=12))(x, np.int64(2))
    np.testing.assert_array_equal(np.asarray(got), np.repeat(x, 2))


def test_pad_constant_values_traced():
    x = sample((2, 3))
    got = traced(lambda x, v: jm.pad(x, ((1, 0), (2, 1)), constant_values=v))(x, np.float64(2.5))
    np.testing.assert_array_equal(np.asarray(got), np.pad(x, ((1, 0), (2, 1)), constant_values=2.5))
    values = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = traced(lambda x, v: jm.pad(x, 1, constant_values=v))(x, values)
    np.testing.assert_array_equal(np.asarray(got), np.pad(x, 1, constant_values=values))
    check(jm.pad, np.pad, sample((2, 3), np.int32), pad_width=1, constant_values=2.7)
    check(jm.pad, np.pad, sample((3,), np.bool_), pad_width=(0, 2), constant_values=True)


# ---------------------------------------------------------------- diagonals, insert, delete, trim_zeros


def test_trim_zeros():
    for filt, kwargs in [([0, 0, 1, 2, 0], {}), ([0, 3, 0], dict(trim="f")), ([0, 0], {}),
                         (np.array([[0, 0, 0], [0, 1, 0]]), dict(axis=1)), ([0, 4, 0], dict(trim="b"))]:
        expected = np.asarray(np.trim_zeros(np.asarray(filt), **kwargs))
        got = jm.trim_zeros(Array(np.asarray(filt)), **kwargs)
        assert type(got) is Array and np.array_equal(np.asarray(got), expected)


# ---------------------------------------------------------------- errors, eagerly and traced

X3 = sample((3,))
# (function name, NumPy arguments, static keyword arguments, exception, message pattern)
ERRORS = [
    ("reshape", [X23], dict(shape=(4,)), ValueError,
     r"reshape\(\): cannot reshape array of shape \(2, 3\) \(size 6\) into shape \(4,\)"),
    ("reshape", [X23], dict(shape=(4, -1)), ValueError, r"array of shape \(2, 3\) \(size 6\) into shape \(4, -1\)"),
    ("reshape", [X23], dict(shape=(-1, -1)), ValueError, "can only specify one unknown dimension"),
    ("reshape", [X23], dict(shape=(-2, -3)), ValueError, "negative dimensions are not allowed"),
    ("reshape", [sample((0, 3))], dict(shape=(-1, 0)), ValueError, "cannot reshape"),
    ("reshape", [X23], dict(shape=2.5), TypeError, "argument 'shape' must be integers, got 2.5"),
    ("transpose", [X23], dict(axes=(0,)), ValueError, r"axes \(0,\) don't match array of 2 dimensions"),
    ("transpose", [X23], dict(axes=(0, 0)), ValueError, "repeated axis"),
    ("transpose", [X23], dict(axes=(0, 2)), AxisError, r"transpose\(\) axes: axis 2 is out of bounds"),
    ("matrix_transpose", [X3], {}, ValueError, r"at least 2-dimensional, got shape \(3,\)"),
    ("moveaxis", [X23], dict(source=(0, 1), destination=0), ValueError, "same number of elements"),
    ("moveaxis", [X23], dict(source=(0, 0), destination=(0, 1)), ValueError, "repeated axis in 'source'"),
    ("moveaxis", [X23], dict(source=0, destination=2), AxisError, "destination"),
    ("swapaxes", [X23], dict(axis1=0, axis2=-3), AxisError, "axis2"),
    ("rollaxis", [X23], dict(axis=0, start=4), AxisError, "'start' must satisfy -2 <= start < 3, got 4"),
    ("expand_dims", [X23], dict(axis=3), AxisError, "axis 3 is out of bounds for array of dimension 3"),
    ("expand_dims", [X23], dict(axis=(0, -4)), ValueError, "repeated axis"),
    ("squeeze", [X23], dict(axis=1), ValueError,
     r"squeeze out which has size not equal to one: axis 1 of shape \(2, 3\)"),
    ("squeeze", [X23], dict(axis=2), AxisError, "out of bounds"),
    ("flip", [X23], dict(axis=2), AxisError, "axis 2 is out of bounds"),
    ("fliplr", [X3], {}, ValueError, r">= 2-d, got shape \(3,\)"),
    ("flipud", [sample(())], {}, ValueError, ">= 1-d"),
    ("roll", [X23], dict(shift=(1, 2), axis=(0, 1, 1)), ValueError, "same length"),
    ("roll", [X23], dict(shift=1, axis=5), AxisError, "out of bounds"),
    ("rot90", [X23], dict(axes=(0,)), ValueError, r"len\(axes\) must be 2"),
    ("rot90", [X23], dict(axes=(1, -1)), ValueError, "axes must be different"),
    ("rot90", [X23], dict(axes=(0, 4)), ValueError, r"axes \(0, 4\) out of range"),
    ("broadcast_to", [X3], dict(shape=(4,)), ValueError,
     r"broadcast_to\(\): cannot broadcast an array of shape \(3,\) to shape \(4,\)"),
    ("broadcast_to", [X23], dict(shape=3), ValueError, r"shape \(2, 3\) to shape \(3,\)"),
    ("broadcast_to", [sample(())], dict(shape=(-1,)), ValueError, "must be non-negative"),
    ("broadcast_arrays", [sample((2,)), X3], {}, ValueError,
     r"broadcast_arrays: .*could not be broadcast together with shapes \(2,\) \(3,\)"),
    ("concatenate", [[X23, sample((2, 4))]], {}, ValueError,
     r"concatenate\(\): all the input array dimensions except for the concatenation axis must match exactly, but "
     r"along dimension 1, the array at index 0 has shape \(2, 3\) and the array at index 1 has shape \(2, 4\)"),
    ("concatenate", [[X23, X3]], {}, ValueError, r"same number of dimensions.* \(2, 3\) .* \(3,\)"),
    ("concatenate", [[sample(()), sample(())]], {}, ValueError, "zero-dimensional arrays cannot be concatenated"),
    ("concatenate", [[X23]], dict(axis=2), AxisError, "axis 2 is out of bounds"),
    ("concatenate", [[X23, X23]], dict(dtype=np.int8), TypeError,
     "cannot cast array data from float64 to int8 according to the rule 'same_kind'"),
    ("stack", [[X23, sample((3, 2))]], {}, ValueError, r"same shape, got \[\(2, 3\), \(3, 2\)\]"),
    ("stack", [[X23]], dict(axis=3), AxisError, "axis 3 is out of bounds"),
    ("append", [X23, sample((3, 2))], dict(axis=0), ValueError, r"append\(\).*must match exactly"),
    ("split", [X234], dict(indices_or_sections=2, axis=1), ValueError,
     "array split does not result in an equal division: an axis of size 3 into 2"),
    ("array_split", [X234], dict(indices_or_sections=0), ValueError, "number sections must be larger than 0"),
    ("split", [X234], dict(indices_or_sections=1, axis=3), AxisError, "axis 3 is out of bounds"),
    ("hsplit", [sample(())], dict(indices_or_sections=1), ValueError,
     r"hsplit\(\) only works on arrays of 1 or more dimensions"),
    ("vsplit", [sample((4,))], dict(indices_or_sections=2), ValueError, "2 or more dimensions"),
    ("dsplit", [X23], dict(indices_or_sections=2), ValueError, "3 or more dimensions"),
    ("unstack", [sample(())], {}, ValueError, "at least 1-d"),
    ("unstack", [X23], dict(axis=2), AxisError, "out of bounds"),
    ("repeat", [X23], dict(repeats=[1, -1], axis=0), ValueError, r"may not contain negative values, got \[1, -1\]"),
    ("repeat", [X23], dict(repeats=[1, 2], axis=1), ValueError,
     r"repeats of shape \(2,\) cannot be broadcast to axis 1 of size 3"),
    ("repeat", [X23], dict(repeats=1.5), TypeError, "repeats must be an integer"),
    ("repeat", [X23], dict(repeats=1, axis=2), AxisError, "axis 2 is out of bounds"),
    ("tile", [X23], dict(reps=(-1, 2)), ValueError, r"negative dimensions are not allowed, got reps \(-1, 2\)"),
    ("resize", [X23], dict(new_shape=(-1, 2)), ValueError, "must be non-negative"),
    ("pad", [X23], dict(pad_width=((1, -1), (0, 0))), ValueError, "pad_width can't contain negative values"),
    ("pad", [X23], dict(pad_width=1.5), TypeError, "must be integers"),
    ("pad", [X23], dict(pad_width=((1, 1),) * 3), ValueError,
     r"'pad_width' of shape \(3, 2\) does not give \(before, after\) pairs for 2 axes"),
    ("pad", [X23], dict(pad_width=1, mode="bogus"), ValueError, "mode 'bogus' is not supported"),
    ("pad", [X23], dict(pad_width=1, mode="edge", constant_values=1), ValueError,
     r"unsupported keyword arguments for mode 'edge': \['constant_values'\]"),
    ("pad", [sample((0, 2))], dict(pad_width=1, mode="wrap"), ValueError, "can't extend empty axis 0"),
    ("pad", [X23], dict(pad_width=1, mode="mean"), NotImplementedError, "mode 'mean'"),
    ("pad", [X23], dict(pad_width=1, mode="reflect", reflect_type="odd"), NotImplementedError, "reflect"),
    *[(name, [X3], {}, ValueError, r"at least two dimensions, got shape \(3,\)") for name in ("diagonal", "trace")],
    *[(name, [X23], dict(axis1=1, axis2=-1), ValueError, "axis1 and axis2 cannot be the same, got 1 and -1")
      for name in ("diagonal", "trace")],
    *[(name, [X23], dict(axis2=2), AxisError, r"diagonal\(\) axis2: axis 2 is out of bounds")
      for name in ("diagonal", "trace")],
    ("delete", [X23], dict(obj=5, axis=1), IndexError, r"delete\(\): .*5.* \(axis 1 of an array of shape \(2, 3\)\)"),
    ("delete", [X23], dict(obj=np.array([True, False]), axis=1), ValueError, "boolean array"),
    ("delete", [X23], dict(obj=0, axis=2), AxisError, "axis 2 is out of bounds"),
    ("insert", [X23], dict(obj=4, values=0, axis=1), IndexError,
     r"insert\(\): .*out of bounds.* \(axis 1 of an array of shape \(2, 3\)\)"),
    ("insert", [X23], dict(obj=[[0]], values=0), ValueError, "one dimensional or scalar"),
    ("insert", [X23], dict(obj=[0, 1], values=np.ones((3, 3)), axis=1), ValueError,
     r"insert\(\): cannot broadcast an array of shape \(3, 3\) to shape \(2, 2\)"),
]


@pytest.mark.parametrize("name, args, kwargs, exception, match", ERRORS,
                         ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_errors(name, args, kwargs, exception, match):
    raises_both(getattr(jm, name), args, exception, match, **kwargs)


def test_argument_errors():
    with pytest.raises(TypeError, match="missing required argument 'shape'"):
        jm.reshape(X23)
    with pytest.raises(TypeError, match="only one of 'shape'"):
        jm.reshape(X23, (6,), newshape=(6,))
    for fn in (jm.concatenate, jm.stack, jm.hstack, jm.vstack):
        with pytest.raises(ValueError, match="need at least one array"):
            fn([])
        with pytest.raises(TypeError, match="sequence"):
            fn(x for x in [X23])
    with pytest.raises(TypeError, match="only takes `out` or `dtype`"):
        jm.concatenate([X23], out=Array(np.empty((2, 3))), dtype=np.float64)
    with pytest.raises(ValueError, match=r"broadcast_shapes: .*\(3,\) \(4,\)"):
        jm.broadcast_shapes((3,), (4,))


# ---------------------------------------------------------------- compact jaxprs


def test_compact_jaxprs():
    assert jaxpr_of(lambda x: jm.expand_dims(x, (0, -1)), sample((3,))) == (
        "{ lambda ; a:f64[3]. let b:f64[1,3,1] = reshape[new_sizes=(1, 3, 1)] a in (b,) }")
    assert jaxpr_of(lambda x: jm.squeeze(x), sample((1, 3))) == (
        "{ lambda ; a:f64[1,3]. let b:f64[3] = squeeze[dimensions=(0,)] a in (b,) }")
    assert primitives(lambda x: jm.tile(x, (2, 2)), X23) == ["broadcast_in_dim", "reshape"]
    assert primitives(lambda x: jm.repeat(x, 3, axis=1), X23) == ["broadcast_in_dim", "reshape"]
    assert primitives(lambda x: jm.roll(x, 1, axis=1), X23) == ["slice", "slice", "concatenate"]
    assert primitives(lambda x: jm.moveaxis(x, 0, -1), X234) == ["transpose"]
    assert primitives(lambda x: jm.transpose(jm.reshape(x, (2, 3))), X23) == ["transpose"]
    assert primitives(lambda x: jm.stack([x, x]), X23) == ["reshape", "reshape", "concatenate"]
    assert primitives(lambda x: jm.pad(x, 2, constant_values=1.0), X23) == ["pad"]
    assert primitives(lambda x: jm.diagonal(x), sample((3, 3))) == ["iota", "gather"]
    assert primitives(lambda x: jm.trace(x), sample((3, 3))) == ["iota", "gather", "reduce_sum"]
    assert primitives(lambda x: jm.flip(x, 0), X23) == ["rev"]
    assert primitives(lambda x: jm.concatenate([x, x], axis=None), X23) == ["reshape", "reshape", "concatenate"]
    assert primitives(lambda x, y: jm.concatenate([x, y]), X23, sample((1, 3), np.int32)) == [
        "convert_element_type", "concatenate"]


# ---------------------------------------------------------------- properties over random shapes

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
nonempty_shapes = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4)


@FAST
@given(st.data(), shapes)
def test_reshape_random(data, shape):
    x = sample(shape)
    target = list(data.draw(st.permutations(shape)))
    if target and data.draw(st.booleans()):
        target[data.draw(st.integers(0, len(target) - 1))] = -1
        if 0 in shape:
            target = list(shape)
    check(jm.reshape, np.reshape, x, shape=tuple(target), order=data.draw(st.sampled_from("CF")))


@FAST
@given(st.data(), shapes)
def test_transpose_moveaxis_random(data, shape):
    x = sample(shape)
    check(jm.transpose, np.transpose, x, axes=tuple(data.draw(st.permutations(range(len(shape))))))
    if shape:
        n = len(shape)
        source = data.draw(st.integers(-n, n - 1))
        check(jm.moveaxis, np.moveaxis, x, source=source, destination=data.draw(st.integers(-n, n - 1)))


@FAST
@given(st.data(), nonempty_shapes, st.sampled_from([np.int8, np.float32, np.complex128]))
def test_concatenate_stack_random(data, shape, dtype):
    n = len(shape)
    axis = data.draw(st.integers(-n, n - 1))
    pieces = []
    for i in range(data.draw(st.integers(1, 3))):
        piece = list(shape)
        piece[axis] = data.draw(st.integers(0, 3))
        pieces.append(sample(tuple(piece), dtype if i else np.float64, i))
    check(jm.concatenate, np.concatenate, pieces, axis=axis)
    same = [sample(shape, dtype, i) for i in range(len(pieces))]
    check(jm.stack, np.stack, same, axis=data.draw(st.integers(-n - 1, n)))


@FAST
@given(st.data(), nonempty_shapes)
def test_split_random(data, shape):
    n = len(shape)
    axis = data.draw(st.integers(-n, n - 1))
    size = shape[axis]
    indices = data.draw(st.lists(st.integers(-size - 2, size + 2), max_size=4))
    check(jm.split, np.split, sample(shape), indices_or_sections=indices, axis=axis)
    check(jm.array_split, np.array_split, sample(shape), indices_or_sections=data.draw(st.integers(1, 5)), axis=axis)


@FAST
@given(st.data(), shapes)
def test_flip_roll_random(data, shape):
    x, n = sample(shape), len(shape)
    axes = data.draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n)) if n else []
    check(jm.flip, np.flip, x, axis=tuple(axes))
    shifts = [data.draw(st.integers(-9, 9)) for _ in axes]
    check(jm.roll, np.roll, x, shift=tuple(shifts) if axes else data.draw(st.integers(-9, 9)), axis=tuple(axes) or None)


@FAST
@given(st.data(), shapes)
def test_tile_repeat_random(data, shape):
    x = sample(shape, np.int16)
    check(jm.tile, np.tile, x, reps=tuple(data.draw(st.lists(st.integers(0, 3), max_size=5))))
    axis = data.draw(st.sampled_from([None, *range(-len(shape), len(shape))]))
    length = x.size if axis is None else shape[axis]
    repeats = data.draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), min_size=length, max_size=length)))
    check(jm.repeat, np.repeat, x, repeats=repeats, axis=axis)


@FAST
@given(st.data(), hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
       st.sampled_from(["constant", "edge", "wrap", "reflect", "symmetric"]))
def test_pad_random(data, shape, mode):
    widths = tuple((data.draw(st.integers(0, 9)), data.draw(st.integers(0, 9))) for _ in shape)
    check(jm.pad, np.pad, sample(shape, np.float32), pad_width=widths, mode=mode)


@settings(max_examples=25, deadline=None)
@given(st.data(), hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=5))
def test_insert_delete_random(data, shape):
    x, axis = sample(shape, np.int32), data.draw(st.integers(0, len(shape) - 1))
    size = shape[axis]
    obj = data.draw(st.lists(st.integers(-size, size - 1), max_size=3, unique=True)) if size else []
    check(jm.delete, np.delete, x, obj=obj, axis=axis)
    where = data.draw(st.lists(st.integers(-size, size), max_size=3))
    check(jm.insert, np.insert, x, obj=where, values=7, axis=axis)
