"""Indexing against NumPy: x[index], x.at[index].op(v) and the index functions, eager and traced."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
from helpers import assert_like_numpy, check, traced
from jaxlite.core import Array, Tracer
import jaxlite.numpy as jnp


DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]

X = np.arange(60.0).reshape(3, 4, 5)
B3 = np.array([True, False, True])
M34 = (np.arange(12).reshape(3, 4) % 3) == 0

# Index expressions for X (shape (3, 4, 5)); NumPy is the reference for every one.
INDICES = [
    0, -1, 2, (1, 2), (-1, -2, -3), (0, 0, 0),
    slice(None), slice(1, 3), slice(None, None, -1), slice(None, None, 2), slice(-2, None),
    slice(5, 1, -2), slice(-100, 100), slice(100, -100, -1), slice(2, 2), slice(3, 0), slice(0, 3, 5),
    (slice(None), slice(1, None, 2)), (slice(None, None, -1), slice(None, None, -2), slice(4, 0, -3)),
    (slice(1, 2), 0, slice(None, None, -1)), None, (None, 0), (0, None), (None, None, 1, None),
    Ellipsis, (Ellipsis, 1), (1, Ellipsis), (1, Ellipsis, 2), (Ellipsis, None), (None, Ellipsis, None),
    (0, Ellipsis, slice(None, None, -1)), (),
    [0, 2], [-1, 0, -1], [[0, 1], [2, 2]], np.array([1, 1, 1]), np.array(2), np.int8(-1),
    (slice(None), [0, 3]), (Ellipsis, [4, 0, 4]), ([0, 1], [1, 2]), ([0, 1], [1, 2], [3, 4]),
    ([[0], [2]], [1, 2, 3]), ([0, 1], slice(None), [1, 2]), ([0, 1], slice(None), 2),
    (slice(None), [0, 1], [1, 2]), (slice(None), 0, [1, 2]), (0, slice(None), [1, 2]),
    (1, [0, 1], slice(None)), ([0, 2], None, [1, 1]), (slice(None), [0, 1], None, [1, 2]),
    ([0, 1], Ellipsis, [1, 2]), (slice(None), [0, 1], Ellipsis, [1, 2]),
    (slice(1, None), [[0], [3]], slice(None, None, -2)), (None, [0, 1], slice(None, None, -1)),
    ([2, 0], [[1], [2]], [[4, 4]]), (np.zeros((2, 0), int),), (slice(None), [], 0), [],
    B3, (B3,), (slice(None), np.array([True, False, False, True])), M34, (M34, 1), (M34, [0, 4, 1, 2]),
    (Ellipsis, np.array([False] * 5)), (B3, [0, 1], 1), (B3, slice(None), [0, 1]),
    True, False, (True, 0), (0, False), (slice(None), True, [0, 1]), (np.True_, [1, 2]),
    (np.array(True), B3), ([True, False, True],),
    Array(np.array([0, 2])), (Array(np.array(1)), slice(None), Array(np.array([3, 1]))), (Array(B3), 0),
]


def _id(index):
    return repr(index).replace(" ", "")[:60]


@pytest.mark.parametrize("index", INDICES, ids=_id)
def test_getitem_table(index):
    check(lambda a: a[index], lambda a: a[index], X)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("index", [1, (slice(None, None, -1), 0), [2, 0], (slice(None), [0, 1], [1, 0]), (B3, 1)],
                         ids=_id)
def test_getitem_dtypes(dtype, index):
    check(lambda a: a[index], lambda a: a[index], X.astype(dtype))


@pytest.mark.parametrize("shape, index", [
    ((), ()), ((), Ellipsis), ((), None), ((), True), ((), False), ((), (None, Ellipsis, None)),
    ((0,), slice(None)), ((0,), []), ((0,), np.array([], bool)), ((0, 3), (slice(None), 1)),
    ((0, 3), (Ellipsis, [0, 2])), ((2, 0), (1, [])), ((4,), slice(1, 3)), ((5,), [4, -5]),
    ((2, 3, 0), (0, slice(None), [])), ((1,), (0, None, Ellipsis)),
], ids=_id)
def test_getitem_shapes(shape, index):
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    check(lambda a: a[index], lambda a: a[index], x)


def test_eager_basic_index_is_a_view():
    x = Array(np.arange(6.0))
    y = x[1:4]
    assert np.shares_memory(np.asarray(x), np.asarray(y))


# ---------------------------------------------------------------- traced indices


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8, np.uint64])
def test_traced_scalar_index_every_position(dtype):
    x = np.arange(12.0).reshape(4, 3)
    positions = range(-4, 4) if np.dtype(dtype).kind == "i" else range(4)
    for i in positions:
        check(lambda a, i: a[i], lambda a, i: a[i], x, np.asarray(i, dtype))
        check(lambda a, i: a[1:, i, None], lambda a, i: a[1:, i, None], x, np.asarray(i % 3, dtype))


def test_traced_scalar_index_wraps_beyond_its_dtype():
    x = np.arange(300.0)
    check(lambda a, i: a[i], lambda a, i: a[i], x, np.int8(-100))


@pytest.mark.parametrize("make_index, index_args", [
    (lambda i: (i,), [np.array([0, -1, 2])]),
    (lambda i: (slice(None), i), [np.array([[0, 3], [-4, 1]], np.int32)]),
    (lambda i, j: (i, slice(None), j), [np.array([0, 2]), np.array([-1, 0])]),
    (lambda i, j: (slice(None), i, j), [np.array([0, 2]), np.int16(-1)]),
    (lambda i, j: (i, j), [np.int64(2), np.uint8(3)]),
    (lambda i: (i, [0, 1]), [np.int32(-2)]),
    (lambda i: (Ellipsis, i, None), [np.array([[4], [0]])]),
    (lambda i: (B3, i), [np.array([1, 3])]),
    (lambda i: ([[0], [1]], i), [np.array([0, 1, 2])]),
])
def test_traced_index_arrays(make_index, index_args):
    check(lambda a, *ix: a[make_index(*ix)], lambda a, *ix: a[make_index(*ix)], X, *index_args)


def test_index_as_list_of_tracers():
    check(lambda a, i, j: a[[i, j], j], lambda a, i, j: a[[i, j], j], X, np.int64(2), np.int64(-1))


def test_concrete_array_indexed_by_tracers():
    x = Array(X)
    check(lambda i: x[i, 1:], lambda i: X[i, 1:], np.int32(-1))
    check(lambda i: x[:, i], lambda i: X[:, i], np.array([[0, 3]]))
    check(lambda v: x.at[0, 0].add(v), lambda v: _numpy_update("add", X, (0, 0), v), np.float64(5.0))


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("index, error, match", [
    (3, IndexError, "index 3 is out of bounds for axis 0 with size 3"),
    (-4, IndexError, "index -4 is out of bounds for axis 0 with size 3"),
    ((0, 4), IndexError, "out of bounds for axis 1 with size 4"),
    ([0, 3], IndexError, "index 3 is out of bounds for axis 0 with size 3"),
    ((slice(None), [-5]), IndexError, "index -5 is out of bounds for axis 1 with size 4"),
    ((0, 0, 0, 0), IndexError, "too many indices for array: array is 3-dimensional, but 4 were indexed"),
    ((M34, 0, 0), IndexError, "too many indices"),
    ((Ellipsis, Ellipsis), IndexError, "an index can only have a single ellipsis"),
    (1.0, IndexError, "only integers, slices"),
    ("a", IndexError, "only integers, slices"),
    (np.array([1.0]), IndexError, "arrays used as indices must be of integer"),
    (([0, 1], [0, 1, 2]), IndexError, r"shape mismatch: .* broadcast together with shapes \(2,\) \(3,\)"),
    (np.array([True, False]), IndexError, "boolean index did not match indexed array along axis 0; size of axis is 3"),
    ((slice(None), np.ones(3, bool)), IndexError, "axis 1; size of axis is 4 but size of corresponding boolean axis"),
    (slice(None, None, 0), ValueError, "slice step cannot be zero"),
], ids=_id)
def test_getitem_errors(index, error, match):
    with pytest.raises(error, match=match):
        Array(X)[index]
    with pytest.raises(error, match=match):
        jaxlite.make_jaxpr(lambda a: a[index])(X)


def test_traced_mask_raises_concretization_error():
    with pytest.raises(jaxlite.ConcretizationTypeError, match=r"needs a concrete mask.*jnp.where\(mask, x, 0\)"):
        jaxlite.make_jaxpr(lambda a, m: a[m])(X, X > 3)
    with pytest.raises(jaxlite.ConcretizationTypeError, match="concrete mask"):
        jaxlite.make_jaxpr(lambda a, m: a[0, m])(X, np.ones(4, bool))
    with pytest.raises(jaxlite.ConcretizationTypeError, match="concrete mask"):
        jaxlite.make_jaxpr(lambda a, m: a.at[m].get())(X, X > 3)


def test_traced_slice_bound_and_float_index_errors():
    with pytest.raises(jaxlite.ConcretizationTypeError, match="slice bound.*dynamic_slice"):
        jaxlite.make_jaxpr(lambda a, i: a[i:])(X, 1)
    with pytest.raises(IndexError, match="arrays used as indices must be of integer"):
        jaxlite.make_jaxpr(lambda a, i: a[i])(X, 1.0)


# ---------------------------------------------------------------- the traced programs


def _prims(fun, *args):
    return [e.primitive.name for e in jaxlite.make_jaxpr(fun)(*args).eqns]


@pytest.mark.parametrize("index, prims", [
    (slice(1, 3), ["slice"]),
    (0, ["slice", "squeeze"]),
    ((Ellipsis, -1), ["slice", "squeeze"]),
    (slice(None, None, -1), ["rev"]),
    ((slice(None, None, -2), 1), ["slice", "rev", "squeeze"]),
    (None, ["reshape"]),
    ((0, None), ["slice", "reshape"]),
    ((slice(None), Ellipsis), []),
    ([0, 2], ["gather"]),
    ((slice(None), [0, 1], [1, 2]), ["gather", "transpose"]),
    ((slice(1, None), [0, 1]), ["slice", "gather", "transpose"]),
], ids=_id)
def test_jaxpr_is_compact(index, prims):
    assert _prims(lambda a: a[index], X) == prims


def test_jaxpr_of_updates():
    assert _prims(lambda a: a.at[0].set(1.0), X) == ["broadcast_in_dim", "scatter"]
    assert _prims(lambda a, v: a.at[[0, 0]].add(v), X, np.ones((4, 5))) == ["broadcast_in_dim", "scatter_add"]
    assert _prims(lambda a, m: a.at[m].set(0.0), X, X > 3) == ["broadcast_in_dim", "select_n"]


# ---------------------------------------------------------------- hypothesis: random indices


@st.composite
def shapes_and_indices(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=4)))
    items, axis = [], 0
    adv_shape = draw(st.sampled_from([(), (2,), (1, 3), (2, 1)]))
    used_ellipsis = False
    while axis < len(shape) and (used_ellipsis or draw(st.booleans())):  # after ..., index every axis
        n = shape[axis]
        kinds = ["slice", "new"] + (["int", "array"] if n else []) + ([] if used_ellipsis else ["ellipsis"])
        kinds += ["mask"] if n >= 2 and adv_shape in ((2,), (2, 1)) else []  # two Trues: broadcasts
        kind = draw(st.sampled_from(kinds))
        if kind == "new":
            items.append(None)
            continue
        if kind == "ellipsis":
            used_ellipsis = True
            items.append(Ellipsis)
            axis = len(shape) - draw(st.integers(0, len(shape) - axis))
            continue
        if kind == "int":
            items.append(draw(st.integers(-n, n - 1)))
        elif kind == "mask":
            mask = np.zeros(n, bool)
            mask[draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))] = True
            items.append(mask)
        elif kind == "array":
            size = int(np.prod(adv_shape))
            values = draw(st.lists(st.integers(-n, n - 1), min_size=size, max_size=size))
            items.append(np.array(values, np.int64).reshape(adv_shape))
        else:
            bound = st.none() | st.integers(-n - 2, n + 2)
            step = st.none() | st.integers(-3, 3).filter(bool)
            items.append(slice(draw(bound), draw(bound), draw(step)))
        axis += 1
    return shape, tuple(items)


@settings(max_examples=150, deadline=None)
@given(shapes_and_indices())
def test_hypothesis_getitem_and_set(shape_index):
    shape, index = shape_index
    x = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    check(lambda a: a[index], lambda a: a[index], x)

    def numpy_set(a):
        out = a.copy()
        out[index] = -1.0 - np.arange(out[index].size).reshape(out[index].shape)
        return out

    updates = -1.0 - np.arange(x[index].size).reshape(x[index].shape)
    check(lambda a, v: a.at[index].set(v), lambda a, v: numpy_set(a), x, updates)
    check(lambda a: a.at[index].add(2.0), lambda a: _ufunc_at(np.add, a, index, 2.0), x)

    positions = [k for k, i in enumerate(index) if isinstance(i, int) or getattr(i, "dtype", bool) != bool]
    rebuild = lambda *ix: tuple(dict(zip(positions, ix)).get(k, i) for k, i in enumerate(index))  # noqa: E731
    traced_parts = [np.asarray(index[k]) for k in positions]  # ints and integer arrays, traced
    check(lambda a, *ix: a[rebuild(*ix)], lambda a, *ix: a[index], x, *traced_parts)
    check(lambda a, *ix: a.at[rebuild(*ix)].add(2.0), lambda a, *ix: _ufunc_at(np.add, a, index, 2.0),
          x, *traced_parts)


# ---------------------------------------------------------------- x.at[index]


def _ufunc_at(ufunc, a, index, values):
    out = a.copy()
    values, shape = np.asarray(values, out.dtype), out[index].shape
    values = values.reshape(values.shape[values.ndim - len(shape):]) if values.ndim > len(shape) else values
    ufunc.at(out, index, np.broadcast_to(values, shape))  # ufunc.at alone fails on ((None, 1), (1, 1, 4, 5))
    return out


def _numpy_update(op, a, index, values):
    if op == "set":
        out = a.copy()
        out[index] = values
        return out
    if op in ("divide", "power"):
        out = a.copy()
        out[index] = {"divide": np.true_divide, "power": np.power}[op](out[index], values)
        return out
    return _ufunc_at({"add": np.add, "multiply": np.multiply, "min": np.minimum, "max": np.maximum}[op],
                     a, index, values)


OPS = ["set", "add", "multiply", "min", "max", "divide", "power"]
UPDATES = [  # (index, values) for X
    (0, 7.0), (-1, np.arange(5.0)), ((1, 2, 3), -3.0), (slice(None, None, 2), np.arange(20.0).reshape(4, 5)),
    ((slice(None), slice(3, 0, -1), 0), np.array([1.0, 2.0, 3.0])), ((None, 1), np.ones((1, 1, 4, 5))),
    ([0, 0, 2], 2.0), (([0, 0], [1, 1], [2, 2]), np.array([3.0, 4.0])), ((slice(None), [1, 0, 1]), 0.5),
    (([1, 2], slice(None), [0, 4]), np.arange(8.0).reshape(2, 4)),
    ((slice(None), 1, [0, 4]), np.arange(6.0).reshape(3, 2)),
    (B3, 1.5), (M34, np.arange(5.0)), ((Ellipsis, [4, 4]), -2.0), ((True, 0), 9.0), (False, 1.0),
]


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning", "ignore:invalid value:RuntimeWarning")
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("index, values", UPDATES, ids=_id)
def test_at_ops(op, index, values):
    check(lambda a, v: getattr(a.at[index], op)(v), lambda a, v: _numpy_update(op, a, index, v), X, values)


@pytest.mark.parametrize("dtype", DTYPES)
def test_at_casts_updates_to_the_array_dtype(dtype):
    x = (np.arange(12) % 5).reshape(3, 4).astype(dtype)
    values = np.array([1.7, 2.2, 0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        check(lambda a, v: a.at[1].set(v), lambda a, v: _numpy_update("set", a, 1, v), x, values)
        check(lambda a: a.at[[0, 0, 2], 1].add(1), lambda a: _numpy_update("add", a, ([0, 0, 2], 1), 1), x)
        if dtype != np.bool_:
            check(lambda a: a.at[:, [3, 3]].max(3), lambda a: _numpy_update("max", a, (slice(None), [3, 3]), 3), x)


@pytest.mark.parametrize("op", OPS)
def test_at_with_traced_mask_uses_where(op):
    mask = np.array([[True, False, True, False], [False, False, True, True], [True, True, True, True]])
    for values in (2.0, np.arange(1.0, 6.0)):
        check(lambda a, m, v: getattr(a.at[m], op)(v), lambda a, m, v: _numpy_update(op, a, m, v), X, mask, values)
    check(lambda a, m: a.at[m].set(1.0), lambda a, m: _numpy_update("set", a, m, 1.0), X, B3)


def test_at_with_traced_mask_and_row_updates_raises():
    with pytest.raises(jaxlite.ConcretizationTypeError, match="traced mask needs updates that broadcast"):
        jaxlite.make_jaxpr(lambda a, m, v: a.at[m].set(v))(X, M34, np.ones((7, 5)))


def test_at_with_list_values():
    index = (0, slice(None), 1)
    check(lambda a, v: a.at[index].set([v, 1.0, 2, v]), lambda a, v: _numpy_update("set", a, index, [v, 1.0, 2, v]),
          X, np.float64(-3.0))
    check(lambda a: a.at[1, 0].add([1, 2, 3, 4, 5]), lambda a: _numpy_update("add", a, (1, 0), [1, 2, 3, 4, 5]), X)


def test_at_with_traced_indices_and_values():
    i, v = np.array([2, -3, 2]), np.array([10.0, 20.0, 30.0])
    check(lambda a, i, v: a.at[i, 0, 0].add(v), lambda a, i, v: _numpy_update("add", a, (i, 0, 0), v), X, i, v)
    check(lambda a, i, v: a.at[0, i].set(v[:, None]),
          lambda a, i, v: _numpy_update("set", a, (0, i), v[:, None]), X, i, v)
    check(lambda a, i: a.at[1, i].multiply(2.0),
          lambda a, i: _numpy_update("multiply", a, (1, i), 2.0), X, np.int32(-1))


def test_at_drops_traced_out_of_bounds_indices():
    out = traced(lambda a, i: a.at[i].set(-1.0))(np.arange(4.0), np.array([1, 9]))
    assert_like_numpy(out, np.array([0.0, -1.0, 2.0, 3.0]))


def test_at_errors():
    with pytest.raises(IndexError, match="index 3 is out of bounds"):
        Array(X).at[3].set(0.0)
    with pytest.raises(IndexError, match="index 3 is out of bounds"):
        jaxlite.make_jaxpr(lambda a: a.at[3].set(0.0))(X)
    with pytest.raises(ValueError, match=r"could not broadcast input array from shape \(3,\) into shape \(4, 5\)"):
        jaxlite.make_jaxpr(lambda a: a.at[0].set(np.ones(3)))(X)


def test_at_returns_new_arrays_and_leaves_x_alone():
    x = Array(np.arange(5.0))
    before = np.array(x)
    for op in OPS:
        out = getattr(x.at[1:3], op)(2.0)
        assert out is not x and not np.shares_memory(np.asarray(out), np.asarray(x))
    got = x.at[1:3].get()
    assert not np.shares_memory(np.asarray(got), np.asarray(x))
    np.testing.assert_array_equal(np.asarray(x), before)
    assert_like_numpy(x.at[[1, 1]].add(1.0), np.array([0.0, 3.0, 2.0, 3.0, 4.0]))


def test_at_get():
    check(lambda a: a.at[:, [0, 2]].get(), lambda a: a[:, [0, 2]], X)


def test_tracer_setitem_is_functional():
    def f(a, v):
        a[0, 1:3] = v
        return a

    jaxpr = jaxlite.make_jaxpr(f)(X, np.ones((2, 1)))
    assert "scatter" in [e.primitive.name for e in jaxpr.eqns]

    def numpy_f(a, v):
        out = a.copy()
        out[0, 1:3] = v
        return out

    check(f, numpy_f, X, np.array([[7.0], [8.0]]), eager=False)


# ---------------------------------------------------------------- take and friends


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
@pytest.mark.parametrize("indices, axis", [
    ([0, 2, -1], None), (np.array([[1, 0], [2, 2]]), 0), (np.int64(-2), 1), (np.array([], int), 2), ([0, -5], -1),
    ([7, -9, 3], 1), (np.uint8(200), None),
])
def test_take(mode, indices, axis):
    indices = np.asarray(indices)
    size = X.size if axis is None else X.shape[axis]
    if mode == "raise" and np.any((indices < -size) | (indices >= size)):
        with pytest.raises(IndexError, match="out of bounds"):
            jnp.take(Array(X), indices, axis)
        with pytest.raises(IndexError, match="out of bounds"):
            jaxlite.make_jaxpr(lambda a: jnp.take(a, indices, axis))(X)
        return
    check(lambda a, i: jnp.take(a, i, axis, mode=mode), lambda a, i: np.take(a, i, axis, mode=mode), X, indices)


def test_take_traced_raise_clips_and_errors():
    out = traced(lambda a, i: jnp.take(a, i))(np.arange(4.0), np.array([-1, 7]))
    assert_like_numpy(out, np.array([3.0, 3.0]))
    with pytest.raises(IndexError, match="index 7 is out of bounds"):
        jaxlite.make_jaxpr(lambda a: jnp.take(a, np.array([7])))(np.arange(4.0))
    with pytest.raises(ValueError, match="clipmode must be one of"):
        jaxlite.make_jaxpr(lambda a, i: jnp.take(a, i, mode="foo"))(np.arange(4.0), np.array([1]))
    with pytest.raises(IndexError, match="non-empty take from an empty axes"):
        jaxlite.make_jaxpr(lambda a, i: jnp.take(a, i))(np.zeros(0), np.array([1]))


def test_take_out():
    out = Array(np.zeros(2))
    assert jnp.take(Array(np.arange(4.0)), [3, 1], out=out) is out
    assert_like_numpy(out, np.array([3.0, 1.0]))


@pytest.mark.parametrize("shape, ishape, axis, put", [
    ((3, 4), (3, 2), 1, True), ((3, 4), (1, 4), 0, True), ((2, 3, 4), (2, 3, 1), -1, True), ((3, 4), (5,), None, True),
    ((1, 4), (3, 2), 1, False),  # indices broadcast over arr: fine to take from, not to put into
])
def test_take_and_put_along_axis(shape, ishape, axis, put):
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)
    n = x.size if axis is None else shape[axis]
    idx = rng.integers(-n, n, size=ishape)
    check(lambda a, i: jnp.take_along_axis(a, i, axis), lambda a, i: np.take_along_axis(a, i, axis), x, idx)

    def numpy_put(a, i):
        out = a.copy()
        np.put_along_axis(out, i, -1.0, axis)
        return out

    if put:
        check(lambda a, i: jnp.put_along_axis(a, i, -1.0, axis), numpy_put, x, idx)


def test_along_axis_errors():
    with pytest.raises(ValueError, match="must have the same number of dimensions"):
        jaxlite.make_jaxpr(lambda a, i: jnp.take_along_axis(a, i, 1))(np.zeros((2, 3)), np.zeros(2, int))
    with pytest.raises(IndexError, match="must be an integer array"):
        jaxlite.make_jaxpr(lambda a, i: jnp.take_along_axis(a, i, 1))(np.zeros((2, 3)), np.zeros((2, 1)))


def test_put_along_axis_is_functional():
    x = Array(np.zeros((2, 2)))
    out = jnp.put_along_axis(x, np.array([[1], [0]]), 5.0, axis=1)
    assert_like_numpy(out, np.array([[0.0, 5.0], [5.0, 0.0]]))
    assert not np.asarray(x).any()


@pytest.mark.parametrize("condition, axis", [
    ([True, False, True], 0), ([False, True], 1), ([1, 0, 0, 1, 1], None), ([True], 2),
])
def test_compress(condition, axis):
    check(lambda a: jnp.compress(condition, a, axis), lambda a: np.compress(condition, a, axis), X)


def test_compress_and_extract_need_concrete_conditions():
    with pytest.raises(jaxlite.ConcretizationTypeError, match="compress.*condition"):
        jaxlite.make_jaxpr(lambda a, c: jnp.compress(c, a))(X, np.ones(3, bool))
    with pytest.raises(jaxlite.ConcretizationTypeError, match="extract.*condition"):
        jaxlite.make_jaxpr(lambda a, c: jnp.extract(c, a))(X, X > 2)


def test_extract():
    check(lambda a: jnp.extract(M34, a[0]), lambda a: np.extract(M34, a[0]), X)
    check(lambda a: jnp.extract(np.arange(6) % 4, a), lambda a: np.extract(np.arange(6) % 4, a), X)


@pytest.mark.parametrize("mode", ["raise", "wrap", "clip"])
def test_choose(mode):
    a = np.array([[0, 1, 2], [2, 1, 0]]) if mode == "raise" else np.array([[0, 3, -1], [5, 1, 0]])
    c0, c1 = np.arange(3, dtype=np.int8), np.full((2, 3), 10.0, np.float32)
    check(lambda a, c0, c1: jnp.choose(a, [c0, c1, 7], mode=mode),
          lambda a, c0, c1: np.choose(a, [c0, c1, 7], mode=mode), a, c0, c1)
    stacked = np.arange(9).reshape(3, 3)
    check(lambda a, c: jnp.choose(a, c, mode=mode), lambda a, c: np.choose(a, c, mode=mode), a, stacked)


def test_choose_errors():
    with pytest.raises(ValueError, match="invalid entry in choice array"):
        jnp.choose(Array(np.array([0, 3])), [np.zeros(2), np.ones(2)])
    with pytest.raises(TypeError, match="Cannot cast"):
        jaxlite.make_jaxpr(lambda a: jnp.choose(a, [np.zeros(2), np.ones(2)]))(np.zeros(2))


@pytest.mark.parametrize("dtype", [np.int8, np.float32, np.complex128])
def test_select(dtype):
    x = np.arange(6).astype(dtype)
    c1, c2 = np.arange(6) < 2, (np.arange(6) % 2 == 0)[:, None]
    check(lambda c1, c2, a, b: jnp.select([c1, c2], [a, b], default=-1),
          lambda c1, c2, a, b: np.select([c1, c2], [a, b], default=-1), c1, c2, x, np.int16(3))
    check(lambda c, a: jnp.select([c], [a]), lambda c, a: np.select([c], [a]), c1, x)
    check(lambda c, a: jnp.select([c, True], [a, 2.5], np.int8(1)),
          lambda c, a: np.select([c, True], [a, 2.5], np.int8(1)), c1, x)


def test_select_errors():
    with pytest.raises(ValueError, match="same length"):
        jnp.select([np.array([True])], [])
    with pytest.raises(ValueError, match="empty condition list"):
        jnp.select([], [])
    with pytest.raises(TypeError, match="invalid entry 0 in condlist"):
        jaxlite.make_jaxpr(lambda a: jnp.select([a], [a]))(np.arange(3))


def test_ix():
    check(lambda a, b: jnp.ix_(a, b), lambda a, b: np.ix_(a, b), np.array([0, 2]), np.array([1, 3, 0]))
    check(lambda a: jnp.ix_(a, np.array([True, False, True])), lambda a: np.ix_(a, np.array([True, False, True])),
          np.array([0, 2]))
    check(lambda a: a[jnp.ix_([0, 2], [1, 3])], lambda a: a[np.ix_([0, 2], [1, 3])], X)
    assert jnp.ix_() == ()
    with pytest.raises(jaxlite.ConcretizationTypeError, match="concrete mask"):
        jaxlite.make_jaxpr(lambda m: jnp.ix_(m))(np.ones(3, bool))


@pytest.mark.parametrize("name, args", [
    ("diag_indices", (3,)), ("diag_indices", (2, 3)), ("tril_indices", (4,)), ("tril_indices", (3, 1, 5)),
    ("triu_indices", (4, -1)), ("triu_indices", (2, 0, 3)),
])
def test_static_index_functions(name, args):
    assert_like_numpy(getattr(jnp, name)(*args), getattr(np, name)(*args))


@pytest.mark.parametrize("name, shape, kwargs", [
    ("diag_indices_from", (3, 3, 3), {}), ("tril_indices_from", (3, 5), {"k": 1}),
    ("triu_indices_from", (4, 2), {}),
])
def test_index_functions_from_arrays(name, shape, kwargs):
    check(lambda a: getattr(jnp, name)(a, **kwargs), lambda a: getattr(np, name)(a, **kwargs), np.zeros(shape))


def test_index_functions_from_arrays_errors():
    with pytest.raises(ValueError, match="at least 2-d"):
        jnp.diag_indices_from(Array(np.zeros(3)))
    with pytest.raises(ValueError, match="equal length"):
        jnp.diag_indices_from(Array(np.zeros((2, 3))))
    with pytest.raises(ValueError, match="must be 2-d"):
        jnp.tril_indices_from(Array(np.zeros(3)))


@pytest.mark.parametrize("order", ["C", "F"])
def test_unravel_and_ravel_multi_index(order):
    shape = (3, 1, 4)
    flat = np.array([[0, 5], [11, 7]])
    check(lambda i: jnp.unravel_index(i, shape, order), lambda i: np.unravel_index(i, shape, order), flat)
    check(lambda i: jnp.unravel_index(i, (6,), order), lambda i: np.unravel_index(i, (6,), order), np.int32(4))
    multi = np.unravel_index(flat, shape, order)
    check(lambda *m: jnp.ravel_multi_index(m, shape, order=order),
          lambda *m: np.ravel_multi_index(m, shape, order=order), *multi)
    wild = (np.array([-1, 4, 2]), np.array([0, 0, 3]), np.array([9, -7, 1]))
    for mode in ("wrap", "clip", ("clip", "wrap", "wrap")):
        check(lambda *m: jnp.ravel_multi_index(m, shape, mode, order),
              lambda *m: np.ravel_multi_index(m, shape, mode, order), *wild)


def test_unravel_and_ravel_multi_index_errors():
    with pytest.raises(ValueError, match="invalid entry in coordinates array"):
        jaxlite.make_jaxpr(lambda: jnp.ravel_multi_index((np.array([0, 5]), np.array([0, 1])), (2, 3)))()
    with pytest.raises(ValueError, match="must be a sequence of length 2"):
        jaxlite.make_jaxpr(lambda i: jnp.ravel_multi_index((i,), (2, 3)))(np.array([0]))
    with pytest.raises(TypeError, match="only int indices permitted"):
        jaxlite.make_jaxpr(lambda i: jnp.unravel_index(i, (2, 3)))(2.0)
    with pytest.raises(ValueError, match="order"):
        jaxlite.make_jaxpr(lambda i: jnp.unravel_index(i, (2, 3), order="X"))(2)
    out = traced(lambda i: jnp.unravel_index(i, (2, 3)))(np.array([-3, 99]))
    assert_like_numpy(out, (np.array([0, 1]), np.array([0, 2])))  # traced indices are clipped


def test_place_and_put_mutate_eagerly():
    x = Array(np.arange(6.0))
    assert jnp.place(x, np.arange(6) % 2 == 0, [10.0, 20.0]) is None
    assert_like_numpy(x, np.array([10.0, 1.0, 20.0, 3.0, 10.0, 5.0]))
    jnp.put(x, [0, -1], [7.0, 8.0])
    assert_like_numpy(x, np.array([7.0, 1.0, 20.0, 3.0, 10.0, 8.0]))
    with pytest.raises(TypeError, match="changes its argument in place"):
        jaxlite.make_jaxpr(lambda a: jnp.put(a, [0], 1.0))(np.arange(3.0))
    with pytest.raises(TypeError, match="changes its argument in place"):
        jaxlite.make_jaxpr(lambda m: jnp.place(x, m, 1.0))(np.ones(6, bool))


def test_index_exp_and_s_():
    assert jnp.s_[1:2, ::-1] == (slice(1, 2), slice(None, None, -1))
    assert jnp.index_exp[3] == (3,)


def test_empty_integer_index_into_an_empty_axis_under_a_transform():
    x, i = np.zeros((0, 2)), np.zeros(0, int)
    assert traced(lambda x, i: x[i])(x, i).shape == (0, 2)
    assert traced(lambda x, i: x.at[i].set(1.0))(x, i).shape == (0, 2)
    with pytest.raises(IndexError, match="out of bounds for axis 0 with size 0"):
        traced(lambda x, i: x[i])(x, np.zeros(1, int))
