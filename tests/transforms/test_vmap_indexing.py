"""gather, the scatters and dynamic slicing under vmap, at the primitive and the user level.

Primitive level: a drawn example fixes every operand's shape and dtype; each of `B` examples
gets fresh values (indices in and out of range, negative ones), each operand a random batch
axis (None: shared) and the result a random out axis; `vmap(prim.bind)` (eagerly and through
make_jaxpr) must equal the per-example results stacked. User level: indexing, `.at[]`
updates, item assignment, take, dynamic slices and gradients under vmap, against NumPy.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
import lax.test_primitives as tp
from jaxlite import lax
from jaxlite.core import Array, check_jaxpr, eval_jaxpr

PRIMITIVES = lax.PRIMITIVES
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- operand specs

# An operand spec is (dtype, shape, elements) with `elements` as tp.arrays takes it; every
# example draws its own values from it.


def _subset(draw, n, min_size=0):
    perm = draw(st.permutations(range(n)))
    return tuple(perm[: draw(st.integers(min(min_size, n), n))])


def _index_specs(draw, operand_shape, axes, batch, margin=2):
    """One index array per axis, each of its own integer dtype, with values up to `margin`
    outside the axis on either side."""
    return [(draw(tp.dtypes(tp.INTEGER)), batch, (-margin, operand_shape[a] - 1 + margin)) for a in axes]


@st.composite
def gather_specs(draw):
    dtype, shape = draw(tp.dtypes(tp.ALL)), draw(tp.shapes(max_side=3))
    axes = _subset(draw, len(shape))
    batch = draw(tp.shapes(max_dims=2, max_side=3)) if axes else ()
    if any(shape[a] == 0 for a in axes):  # only empty index arrays can index an empty axis
        batch = (0, *batch[1:])
    return "gather", [(dtype, shape, "any"), *_index_specs(draw, shape, axes, batch)], {"axes": axes}


# scatter name -> element kind keeping the reference exact whatever the combination order
SCATTER_ELEMENTS = {"scatter": "any", "scatter_add": "small", "scatter_mul": "small",
                    "scatter_min": "ties", "scatter_max": "ties"}


@st.composite
def scatter_specs(draw, name):
    elements = SCATTER_ELEMENTS[name]
    dtype = draw(tp.dtypes(tp.NUMERIC if elements == "small" else tp.ALL))
    shape = draw(tp.shapes(min_dims=1, max_side=3))
    axes = _subset(draw, len(shape), min_size=draw(st.integers(0, 1)))
    batch = draw(tp.shapes(max_dims=2, max_side=3)) if axes else ()
    rest = tuple(s for d, s in enumerate(shape) if d not in axes)
    specs = [(dtype, shape, elements), (dtype, (*batch, *rest), elements), *_index_specs(draw, shape, axes, batch, 1)]
    return name, specs, {"axes": axes}


@st.composite
def _start_spec(draw, size):
    return (draw(tp.dtypes(tp.INTEGER)), (), draw(st.sampled_from([(-3, size + 2), "any"])))


@st.composite
def dynamic_slice_specs(draw):
    dtype, shape = draw(tp.dtypes(tp.ALL)), draw(tp.shapes(max_side=4))
    sizes = tuple(draw(st.integers(0, n)) for n in shape)
    starts = [draw(_start_spec(n)) for n in shape]
    return "dynamic_slice", [(dtype, shape, "any"), *starts], {"slice_sizes": sizes}


@st.composite
def dynamic_update_slice_specs(draw):
    dtype, shape = draw(tp.dtypes(tp.ALL)), draw(tp.shapes(max_side=4))
    update = tuple(draw(st.integers(0, n)) for n in shape)
    starts = [draw(_start_spec(n)) for n in shape]
    return "dynamic_update_slice", [(dtype, shape, "any"), (dtype, update, "any"), *starts], {}


def _unique_writes(operands, axes):
    """Plain scatter: updates aimed at one in-range place made equal (NumPy does not specify
    which of several writes to one place wins)."""
    operand, updates, *indices = operands
    updates = np.array(updates)
    first = {}
    for b in np.ndindex(indices[0].shape if indices else ()):
        place = tuple(int(i[b]) for i in indices)
        if all(0 <= p < operand.shape[a] for p, a in zip(place, axes)):
            updates[b] = updates[first.setdefault(place, b)]
    return (operand, updates, *indices)


# ---------------------------------------------------------------- the checker


def _stack(xs, axis):
    return np.stack([np.asarray(x) for x in xs], axis=axis)


def _assert_batched(got, want, what):
    assert type(got) is Array, f"{what}: a {type(got).__name__}"
    tp.assert_same(np.asarray(got), want, what)


def check_batched(prim, examples, in_axes, out_axis, params):
    """vmap(prim.bind) over `examples` (operand tuples; an operand whose in_axes entry is None
    comes from the first example) against the per-example results stacked along out_axis."""
    examples = [tuple(examples[0][i] if axis is None else x for i, (x, axis) in enumerate(zip(ops, in_axes)))
                for ops in examples]
    with np.errstate(all="ignore"):
        want = _stack([prim.bind(*map(Array, ops), **params) for ops in examples], out_axis)
    args = [examples[0][i] if axis is None else _stack([ops[i] for ops in examples], axis)
            for i, axis in enumerate(in_axes)]
    batched = jaxlite.vmap(lambda *xs: prim.bind(*xs, **params), in_axes=tuple(in_axes), out_axes=out_axis,
                           axis_size=len(examples))
    what = f"vmap({prim.name}, in_axes={in_axes}, out_axes={out_axis}) over {len(examples)}"
    with np.errstate(all="ignore"):
        _assert_batched(batched(*args), want, what)
        closed = jaxlite.make_jaxpr(batched)(*args)
        check_jaxpr(closed.jaxpr)
        (traced,) = eval_jaxpr(closed.jaxpr, closed.consts, *map(Array, args))
    _assert_batched(traced, want, f"{what}, traced\n{closed}")


def _run(data, name, specs, params):
    prim = PRIMITIVES[name]
    size = data.draw(st.integers(1, 3), label="batch size")
    examples = [tuple(data.draw(tp.arrays(*spec)) for spec in specs) for _ in range(size)]
    if name == "scatter":
        examples = [_unique_writes(ops, params["axes"]) for ops in examples]
    choices = [st.one_of(st.none(), st.integers(-(len(s[1]) + 1), len(s[1]))) for s in specs]
    in_axes = [data.draw(c) for c in choices]
    with np.errstate(all="ignore"):
        out_ndim = np.ndim(prim.bind(*map(Array, examples[0]), **params))
    out_axis = data.draw(st.integers(-(out_ndim + 1), out_ndim))
    data.draw(st.just((in_axes, out_axis)), label="(in_axes, out_axes)")
    check_batched(prim, examples, in_axes, out_axis, params)


@SETTINGS
@given(data=st.data())
def test_gather_batches(data):
    _run(data, *data.draw(gather_specs(), label="(name, specs, params)"))


@pytest.mark.parametrize("name", sorted(SCATTER_ELEMENTS))
@SETTINGS
@given(data=st.data())
def test_scatter_batches(name, data):
    _run(data, *data.draw(scatter_specs(name), label="(name, specs, params)"))


@SETTINGS
@given(data=st.data())
def test_dynamic_slice_batches(data):
    _run(data, *data.draw(dynamic_slice_specs(), label="(name, specs, params)"))


@SETTINGS
@given(data=st.data())
def test_dynamic_update_slice_batches(data):
    _run(data, *data.draw(dynamic_update_slice_specs(), label="(name, specs, params)"))


# ---------------------------------------------------------------- pinned primitive cases

RNG = np.random.default_rng(0)
I8, U8, I64 = np.int8, np.uint8, np.int64


def _examples(*operands):
    """Per-example operand tuples from batch-first arrays (None entries: shared operands)."""
    size = next(len(x) for x in operands if x is not None)
    return [tuple(x[b] if x is not None else None for x in operands) for b in range(size)]


PINNED = [
    # (name, batch-first operands, in_axes, params): a batched operand's examples are stacked
    # along its in_axes entry for vmap; an unbatched one is shared
    ("gather", (RNG.normal(size=(3, 4, 5)), np.array([[-3, 0, 9], [1, 2, 3], [4, 4, -1]], I8)), (2, 0), {"axes": (0,)}),
    ("gather", (RNG.normal(size=(300, 2)), (np.arange(300) % 256).astype(U8).reshape(300, 1)), (0, 0), {"axes": (0,)}),
    ("gather", (RNG.normal(size=(2, 4, 5)), np.zeros((2, 0), I64), np.zeros((2, 0), I8)), (None, 0, 0),
     {"axes": (1, 0)}),
    ("scatter_add", (np.zeros((2, 4)), np.ones((2, 6)), np.array([[0, 0, 3, 3, 4, 255], [1, 1, 1, 2, 9, 0]], U8)),
     (0, 0, 0), {"axes": (0,)}),
    ("scatter_max", (np.zeros((4, 3)), RNG.normal(size=(2, 2, 3)), np.array([1, 3])), (None, 2, None), {"axes": (0,)}),
    ("scatter_min", (np.zeros((2, 4, 3)), RNG.normal(size=(2, 2, 3)), np.array([1, 3])), (1, 1, None), {"axes": (0,)}),
    ("dynamic_slice", (np.arange(600.).reshape(2, 300), np.array([250, -7], I64)), (0, 0), {"slice_sizes": (100,)}),
    ("dynamic_slice", (np.arange(24.).reshape(2, 3, 4), np.array([200, 255], U8), np.array([-128, 127], I8)),
     (None, 0, 0), {"slice_sizes": (2, 3)}),
    ("dynamic_update_slice", (np.zeros((2, 3, 4)), np.ones((2, 2, 4)), np.array([5, -5]), np.array(1)),
     (0, 0, 0, None), {}),
]


@pytest.mark.parametrize("case", PINNED, ids=[c[0] for c in PINNED])
def test_pinned_batches(case):
    name, operands, in_axes, params = case
    batched = [x if axis is not None else None for x, axis in zip(operands, in_axes)]
    examples = _examples(*batched)
    examples = [tuple(x if e is None else e for x, e in zip(operands, ops)) for ops in examples]
    check_batched(PRIMITIVES[name], examples, list(in_axes), 0, params)


def test_shared_indices_move_no_data():
    """Batched operand, shared indices: one gather, the batch axis left where it is."""
    x, i = np.zeros((4, 5, 3)), np.array([0, 2])
    closed = jaxlite.make_jaxpr(jaxlite.vmap(lambda x: lax.gather(x, [i], (1,)), in_axes=2, out_axes=2))(x)
    assert [e.primitive.name for e in closed.jaxpr.eqns] == ["gather"], closed


def test_batched_operand_and_indices_move_no_operand():
    closed = jaxlite.make_jaxpr(jaxlite.vmap(lambda x, i: lax.gather(x, [i], (0,)), in_axes=(1, 0)))(
        np.zeros((4, 3, 5)), np.zeros((3, 2), np.int32))
    names = [e.primitive.name for e in closed.jaxpr.eqns]
    assert names == ["iota", "gather"], closed
    assert closed.jaxpr.eqns[0].params["dtype"] == np.int32


def _equations(fun, *args, **vmap_kw):
    closed = jaxlite.make_jaxpr(jaxlite.vmap(fun, **vmap_kw))(*args)
    return [e.primitive.name for e in closed.jaxpr.eqns]


def test_scatter_with_shared_indices_moves_no_data():
    """The batch axis is an unindexed axis of operand and updates, where they already have it."""
    i = np.array([0, 2])
    fun = lambda x, u: lax.scatter_add(x, [i], u, (1,))  # noqa: E731
    assert _equations(fun, np.zeros((4, 3, 5)), np.zeros((2, 4, 3)), in_axes=(1, 2), out_axes=1) == ["scatter_add"]
    # an unbatched operand is broadcast where the updates have their batch axis
    assert _equations(fun, np.zeros((4, 5)), np.zeros((2, 4, 3)), in_axes=(None, 2), out_axes=2) == [
        "broadcast_in_dim", "scatter_add"]


def test_scatter_with_batched_indices_keeps_updates_in_place():
    fun = lambda x, u, i: lax.scatter(x, [i], u, (0,))  # noqa: E731
    names = _equations(fun, np.zeros((4, 3)), np.zeros((2, 3)), np.zeros((3, 2), np.int8), in_axes=(1, 1, 0),
                       out_axes=1)
    assert names == ["transpose", "iota", "scatter"], names  # only the (small) index array moves


# ---------------------------------------------------------------- user level: jaxlite.numpy

B = 3
X = RNG.normal(size=(B, 4, 5))
I = np.array([2, -1, 0])  # one in-range index (negative ones count from the end) per example
J = np.array([[0, 3], [-2, 1], [1, 1]])


def _per_example(np_fun, args, in_axes):
    return np.stack([np_fun(*[a if ax is None else np.take(a, b, axis=ax) for a, ax in zip(args, in_axes)])
                     for b in range(B)])


def check_vmap(fun, np_fun, args, in_axes):
    got = jaxlite.vmap(fun, in_axes=in_axes)(*map(Array, args))  # an unbatched x is a jaxlite Array
    tp.assert_same(np.asarray(got), _per_example(np_fun, args, in_axes), f"in_axes={in_axes}")


GETITEM = [
    ("x[i]", lambda x, i: x[i], X, I),
    ("x[j]", lambda x, j: x[j], X, J),
    ("x[i, 1:4]", lambda x, i: x[i, 1:4], X, I),
    ("x[:, i]", lambda x, i: x[:, i], X, I),
    ("x[1:3, j]", lambda x, j: x[1:3, j], X, J),
    ("x[j, ::2]", lambda x, j: x[j, ::2], X, J),
    ("x[j, j]", lambda x, j: x[j, j], X, J),
    ("x[i, None, j]", lambda x, i, j: x[i, None, j], X, I, J),
    ("x[..., i]", lambda x, i: x[..., i], X, I),
]


@pytest.mark.parametrize("case", GETITEM, ids=[c[0] for c in GETITEM])
@pytest.mark.parametrize("batched", ["all", "x", "index"])
def test_getitem(case, batched):
    _, fun, x, *indices = case
    x_axis = None if batched == "index" else 0
    args = (x if x_axis == 0 else x[0], *(i if batched != "x" else i[0] for i in indices))
    in_axes = (x_axis, *([None] * len(indices) if batched == "x" else [0] * len(indices)))
    check_vmap(fun, fun, args, in_axes)


def test_getitem_batch_axis_not_first():
    check_vmap(lambda x, j: x[j], lambda x, j: x[j], (np.moveaxis(X, 0, 2), J.T), (2, 1))


def _np_at(op):
    def update(x, i, v):
        x = np.array(x)
        if op == "set":
            x[i] = v
        else:
            getattr(np, op).at(x, i, v)
        return x

    return update


@pytest.mark.parametrize("op", ["set", "add", "multiply", "minimum", "maximum"])
@pytest.mark.parametrize("in_axes", [(0, 0, 0), (None, 0, 0), (0, None, 0), (0, 0, None), (None, 0, None),
                                     (None, None, 0), (1, 0, 0)])
def test_at_updates(op, in_axes):
    method = {"minimum": "min", "maximum": "max"}.get(op, op)
    x = X if in_axes[0] == 0 else np.moveaxis(X, 0, 1) if in_axes[0] == 1 else X[0]
    i = np.array([[0, 3], [-1, 0], [2, 2]])  # repeated: combined (all but set, whose values agree)
    v = RNG.normal(size=(B, 2, 5))
    v[2, 1] = v[2, 0]
    args = (x, i if in_axes[1] == 0 else i[0], v if in_axes[2] == 0 else v[0])
    check_vmap(lambda x, i, v: getattr(x.at[i], method)(v), _np_at(op), args, in_axes)


@pytest.mark.parametrize("in_axes", [(0, 0, 0), (0, 0, None), (0, None, 0), (None, 0, 0)])
def test_item_assignment(in_axes):
    def fun(x, i, v):
        y = x * 1 if in_axes[0] is None else x  # an unbatched x is the caller's: assign to a copy
        y[i, 1:3] = v
        return y

    def np_fun(x, i, v):
        y = np.array(x)
        y[i, 1:3] = v
        return y

    v = RNG.normal(size=(B, 2))
    args = (X if in_axes[0] == 0 else X[0], I if in_axes[1] == 0 else I[0], v if in_axes[2] == 0 else v[0])
    check_vmap(fun, np_fun, args, in_axes)


def test_item_assignment_into_new_array():
    def fun(i, v):
        y = jnp.zeros(5)
        y[i] = v
        return y

    def np_fun(i, v):
        y = np.zeros(5)
        y[i] = v
        return y

    check_vmap(fun, np_fun, (I, np.array([1.0, 2.0, 3.0])), (0, 0))


@pytest.mark.parametrize("axis", [0, 1, -1, None])
@pytest.mark.parametrize("in_axes", [(0, 0), (None, 0), (0, None)])
def test_take(axis, in_axes):
    args = (X if in_axes[0] == 0 else X[0], J if in_axes[1] == 0 else J[0])
    check_vmap(lambda x, j: jnp.take(x, j, axis=axis), lambda x, j: np.take(x, j, axis=axis), args, in_axes)


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("in_axes", [(0, 0), (None, 0), (0, None)])
def test_take_along_axis(axis, in_axes):
    index = RNG.integers(-4, 4, size=(B, 4, 5))
    args = (X if in_axes[0] == 0 else X[0], index if in_axes[1] == 0 else index[0])
    check_vmap(lambda x, j: jnp.take_along_axis(x, j, axis),
               lambda x, j: np.take_along_axis(x, j % 4 if axis == 0 else j % 5, axis), args, in_axes)


def _np_dynamic_slice(x, starts, sizes):
    starts = [min(max(int(s), 0), n - k) for s, n, k in zip(starts, x.shape, sizes)]
    return x[tuple(slice(s, s + k) for s, k in zip(starts, sizes))]


def _np_dynamic_update_slice(x, update, starts):
    y = np.array(x)
    starts = [min(max(int(s), 0), n - k) for s, n, k in zip(starts, x.shape, update.shape)]
    y[tuple(slice(s, s + k) for s, k in zip(starts, update.shape))] = update
    return y


@pytest.mark.parametrize("in_axes", [(0, 0, 0), (None, 0, None), (0, None, 0), (1, 0, None)])
def test_lax_dynamic_slice(in_axes):
    x = X if in_axes[0] == 0 else np.moveaxis(X, 0, 1) if in_axes[0] == 1 else X[0]
    s0, s1 = np.array([3, -1, 1], np.int32), np.array([4, 0, 2], np.int32)
    args = (x, s0 if in_axes[1] == 0 else s0[0], s1 if in_axes[2] == 0 else s1[0])
    check_vmap(lambda x, a, b: lax.dynamic_slice(x, [a, b], (2, 3)),
               lambda x, a, b: _np_dynamic_slice(x, [a, b], (2, 3)), args, in_axes)


@pytest.mark.parametrize("in_axes", [(0, 0, 0, 0), (None, 0, 0, None), (0, None, 0, 0), (None, None, None, 0)])
def test_lax_dynamic_update_slice(in_axes):
    u = RNG.normal(size=(B, 2, 5))
    s0, s1 = np.array([3, 255, 1], np.uint8), np.array([4, 0, 2], np.uint8)
    args = [X, u, s0, s1]
    args = [a if ax == 0 else a[0] for a, ax in zip(args, in_axes)]
    check_vmap(lambda x, u, a, b: lax.dynamic_update_slice(x, u, [a, b]),
               lambda x, u, a, b: _np_dynamic_update_slice(x, u, [a, b]), args, in_axes)


# ---------------------------------------------------------------- gradients under vmap


def _loss(x, i):
    y = x.at[i].multiply(x[i + 1])  # a gather and a scatter, both with the per-example index
    return jnp.sum(jnp.sin(y) * y[i])


def _np_loss_grad(x, i, eps=1e-6):
    """Central differences of _loss run eagerly on one example."""
    def loss(x):
        return float(_loss(Array(x), int(i)))

    grad = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = eps
        grad[k] = (loss(x + e) - loss(x - e)) / (2 * eps)
    return grad


@pytest.mark.parametrize("in_axes", [(0, 0), (None, 0), (0, None)])
def test_vmap_of_grad(in_axes):
    x, i = RNG.normal(size=(B, 5)), np.array([0, 3, 1])
    args = (x if in_axes[0] == 0 else x[0], i if in_axes[1] == 0 else i[0])
    got = jaxlite.vmap(jaxlite.grad(_loss), in_axes=in_axes)(*args)
    want = _per_example(_np_loss_grad, args, in_axes)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-8)
    eager = np.stack([np.asarray(jaxlite.grad(_loss)(*[a if ax is None else a[b] for a, ax in zip(args, in_axes)]))
                      for b in range(B)])
    np.testing.assert_allclose(np.asarray(got), eager, rtol=1e-12)


def test_grad_of_vmap_through_dynamic_slice():
    def loss(x, s):
        return jnp.sum(jaxlite.vmap(lambda row, s: lax.dynamic_slice(row, [s], (2,)) ** 2)(x, s))

    x, s = RNG.normal(size=(B, 5)), np.array([4, -1, 1])
    want = np.zeros_like(x)
    for b, start in enumerate([3, 0, 1]):
        want[b, start:start + 2] = 2 * x[b, start:start + 2]
    np.testing.assert_allclose(np.asarray(jaxlite.grad(loss)(x, s)), want, rtol=1e-12)


NESTED = [
    # (x, i, outer in_axes, inner in_axes, result[b][c] from x and i)
    (RNG.normal(size=(2, 3, 4, 5)), np.array([[0, 3, -1], [2, 1, 0]]), (0, 0), (0, 0),
     lambda x, i, b, c: x[b, c][i[b, c]]),
    (RNG.normal(size=(2, 4, 5)), np.array([0, 3, -1]), (0, None), (None, 0), lambda x, i, b, c: x[b][i[c]]),
    (RNG.normal(size=(3, 4, 5)), np.array([[0, 3], [-1, 2], [1, 1]]), (None, 1), (0, 0),
     lambda x, i, b, c: x[c][i[c, b]]),
]


@pytest.mark.parametrize("case", NESTED, ids=range(len(NESTED)))
def test_nested_vmap(case):
    """Inner batch axes are ordinary axes to the outer vmap's rules."""
    x, i, outer, inner, example = case
    got = jaxlite.vmap(jaxlite.vmap(lambda x, i: x[i], in_axes=inner), in_axes=outer)(Array(x), i)
    want = np.stack([np.stack([example(x, i, b, c) for c in range(3)]) for b in range(2)])  # outer 2, inner 3
    tp.assert_same(np.asarray(got), want, f"in_axes={outer}, {inner}")
