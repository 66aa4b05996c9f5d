"""Every primitive under vmap: the batched result equals the per-example results stacked.

The operand strategies are those of the primitive table (tests/lax/test_primitives.py). For one
drawn example, `check_batched` builds a batch of 0 to 3 examples of the same shapes (fresh values
for each), gives each operand a random batch axis (None: shared by all examples) and each
result a random out axis, and checks `vmap(prim.bind)` eagerly and through make_jaxpr against
`np.stack` of the per-example results. Targeted tests below pin the rules' special paths, and
the batching of custom_jvp / custom_vjp / checkpoint functions under grad.
"""

import numpy as np
import pytest
from hypothesis import assume, HealthCheck, given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
import lax.test_primitives as tp
from jaxlite.core import Array, check_jaxpr, eval_jaxpr

PRIMITIVES = tp.PRIMITIVES

# Batched by the indexing rules, tested in test_vmap_indexing.py.
INDEXING = {"gather", "scatter", "scatter_add", "scatter_mul", "scatter_min", "scatter_max",
            "dynamic_slice", "dynamic_update_slice"}
CASES = [case for case in tp.CASES if case.prim not in INDEXING]

# ---------------------------------------------------------------- values of further examples

ORDERED = {"reduce_max", "reduce_min", "argmax", "argmin", "cummax", "cummin", "sort"}


def _elements(name, position, operand, operands):
    """The element kind the primitive table draws for this operand, so a fresh example keeps
    its constraints (exact float sums, integer exponents >= 0, select_n cases in range)."""
    kind = operand.dtype.kind
    if name == "pow" and position == 1 and kind in "iu":
        return (0, 5)
    if name == "select_n" and position == 0 and kind in "iu":
        return (0, len(operands) - 2)
    if name in ("dot_general", "cumprod") and kind not in "iu":
        return "small"
    if name in ORDERED:
        return "ties"
    return "any"


@st.composite
def fresh_example(draw, name, operands):
    """Operands of the shapes and dtypes of `operands`, with new values."""
    return tuple(
        draw(tp.arrays(x.dtype, x.shape, _elements(name, i, x, operands))) for i, x in enumerate(operands)
    )


# ---------------------------------------------------------------- the checker


def _bind(prim, params):
    if prim.multiple_results:
        return lambda *xs: tuple(prim.bind(*xs, **params))
    return lambda *xs: prim.bind(*xs, **params)


def _results(prim, out):
    return list(out) if prim.multiple_results else [out]


def _stack(xs, axis, like):
    """np.stack, also of no values (an empty batch of values like `like`)."""
    if not xs:
        return np.moveaxis(np.empty((0, *np.shape(like)), np.asarray(like).dtype), 0, axis)
    return np.stack([np.asarray(x) for x in xs], axis=axis)


def _assert_outputs(got, want, what):
    assert len(got) == len(want), what
    for i, (g, w) in enumerate(zip(got, want)):
        assert type(g) is Array, f"{what}, result {i}: a {type(g).__name__}"
        tp.assert_same(np.asarray(g), w, f"{what}, result {i}")


def check_batched(prim, params, first, batch, in_axes, out_axes):
    """vmap(prim.bind) over the operand tuples in `batch` (operands whose axis in `in_axes` is
    None: `first`'s, shared) against the stacked per-example results. `first` is an example
    even when the batch is empty."""
    batch = [tuple(x if axis is not None else first[i] for i, (x, axis) in enumerate(zip(ops, in_axes)))
             for ops in batch]
    with np.errstate(all="ignore"):
        like = _results(prim, prim.bind(*map(Array, first), **params))
        per_example = [_results(prim, prim.bind(*map(Array, ops), **params)) for ops in batch]
    want = [_stack([r[j] for r in per_example], axis, like[j]) for j, axis in enumerate(out_axes)]
    args = [first[i] if axis is None else _stack([ops[i] for ops in batch], axis, first[i])
            for i, axis in enumerate(in_axes)]
    out_spec = tuple(out_axes) if prim.multiple_results else out_axes[0]
    batched = jaxlite.vmap(_bind(prim, params), in_axes=tuple(in_axes), out_axes=out_spec, axis_size=len(batch))
    what = f"vmap({prim.name}, in_axes={tuple(in_axes)}, out_axes={out_spec}) over {len(batch)}"

    with np.errstate(all="ignore"):
        _assert_outputs(_results(prim, batched(*args)), want, what)
    closed = jaxlite.make_jaxpr(batched)(*args)
    check_jaxpr(closed.jaxpr)
    with np.errstate(all="ignore"):
        traced = eval_jaxpr(closed.jaxpr, closed.consts, *map(Array, args))
    _assert_outputs(traced, want, f"{what}, traced\n{closed}")


def _axis(draw, ndim, allow_none):
    """A batch axis for a value of rank `ndim`: None, or any position, negative or not."""
    choices = st.integers(-(ndim + 1), ndim)
    return draw(st.one_of(st.none(), choices) if allow_none else choices)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_primitive_batches(case, data):
    operands, params = data.draw(case.operands, label="(operands, params)")
    prim = PRIMITIVES[case.prim]
    size = data.draw(st.integers(0, 3), label="batch size")
    batch = [operands] + [data.draw(fresh_example(case.prim, operands)) for _ in range(size - 1)]
    if case.prim == "convert_element_type":
        # Out-of-range float -> int casts are undefined in C: NumPy's result depends on the
        # array's length and layout, so a batch need not match its examples one by one.
        assume(all(_cast_in_range(example[0], params["new_dtype"]) for example in batch))
    in_axes = [_axis(data.draw, x.ndim, True) for x in operands]
    with np.errstate(all="ignore"):
        outs = _results(prim, prim.bind(*map(Array, operands), **params))
    out_axes = [_axis(data.draw, np.ndim(o), False) for o in outs]
    check_batched(prim, params, operands, batch[:size], in_axes, out_axes)


def _cast_in_range(x, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu" or x.dtype.kind not in "fc" or x.size == 0:
        return True
    real = np.real(x)
    info = np.iinfo(dtype)
    return bool(np.all(np.isfinite(real)) and real.min() >= info.min and real.max() <= info.max)


def test_every_primitive_is_batched_here_or_in_the_indexing_tests():
    covered = {case.prim for case in CASES} | INDEXING
    assert sorted(set(PRIMITIVES) - covered) == [], "primitives without a vmap test"
    assert sorted(covered - set(PRIMITIVES)) == [], "vmap tests of unknown primitives"


# ---------------------------------------------------------------- targeted rule paths

U32, BOOL_, F64, I64 = np.uint32, np.bool_, np.float64, np.int64


def _random(rng, shape, dtype):
    """Values whose arithmetic is exact: small floats, integers in [0, 2] (valid select_n
    predicates of three cases), bools, or any uint32 bits."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    if dtype == U32:
        return rng.integers(0, 2**32, shape, dtype=U32)
    if dtype.kind in "iu":
        return rng.integers(0, 3, shape).astype(dtype)
    return rng.integers(-3, 4, shape).astype(dtype)


def _dot(lc, rc, lb=(), rb=()):
    return {"dimension_numbers": ((lc, rc), (lb, rb)), "preferred_element_type": None}


def _pad(*config):
    return {"padding_config": config}


# (id, primitive, operands as (shape, dtype) of one example, params, in_axes, out_axes)
TARGETED = [
    # dot_general: batch axes on either side, both, and next to existing dot batch axes
    ("dot-lhs", "dot_general", [((2, 3), F64), ((3, 4), F64)], _dot((1,), (0,)), (1, None), 0),
    ("dot-rhs", "dot_general", [((2, 3), F64), ((3, 4), F64)], _dot((1,), (0,)), (None, 1), -1),
    ("dot-rhs-last", "dot_general", [((2, 3), F64), ((3, 4), F64)], _dot((1,), (0,)), (None, 2), 1),
    ("dot-both", "dot_general", [((2, 3), F64), ((3, 4), F64)], _dot((1,), (0,)), (2, 0), 2),
    ("dot-batched-lhs", "dot_general", [((5, 2, 3), F64), ((3, 5), F64)], _dot((2,), (0,), (0,), (1,)), (1, None), 1),
    ("dot-batched-rhs", "dot_general", [((5, 2, 3), F64), ((3, 5, 4), F64)], _dot((2,), (0,), (0,), (1,)), (None, 3), 0),
    ("dot-batched-both", "dot_general", [((2, 5, 3), F64), ((3, 5), F64)], _dot((2,), (0,), (1,), (1,)), (3, 1), 1),
    ("dot-vectors", "dot_general", [((3,), F64), ((3,), F64)], _dot((0,), (0,)), (0, 1), 0),
    ("dot-outer", "dot_general", [((2,), F64), ((3,), F64)], _dot((), ()), (None, 0), 2),
    ("dot-scalars", "dot_general", [((), F64), ((), F64)], _dot((), ()), (0, None), 0),
    # reductions and axis ops with the batch axis between the reduced axes
    ("sum-middle", "reduce_sum", [((2, 3, 4), F64)], {"axes": (2, 0)}, (1,), 0),
    ("sum-middle-out", "reduce_sum", [((2, 3, 4), F64)], {"axes": (0, 2)}, (2,), 1),
    ("max-middle", "reduce_max", [((2, 3), F64)], {"axes": (0, 1)}, (1,), 0),
    ("argmax-middle", "argmax", [((2, 3), F64)], {"axis": 1, "index_dtype": np.dtype(I64)}, (1,), 0),
    ("cumsum-middle", "cumsum", [((2, 3), F64)], {"axis": 1, "reverse": True}, (1,), 2),
    ("sort-mixed", "sort", [((3, 4), F64), ((3, 4), I64)], {"dimension": 1, "is_stable": True, "num_keys": 1},
     (1, None), (0, 2)),
    ("sort-unbatched-key", "sort", [((4,), F64), ((4,), I64)], {"dimension": 0, "is_stable": True, "num_keys": 1},
     (None, 0), (0, 1)),
    # pad: batched padding value, with or without a batched operand
    ("pad-value", "pad", [((3,), F64), ((), F64)], _pad((1, 2, 1)), (None, 0), 0),
    ("pad-both", "pad", [((2, 3), F64), ((), F64)], _pad((1, -1, 0), (-2, 1, 2)), (1, 0), 1),
    ("pad-operand", "pad", [((2, 3), F64), ((), F64)], _pad((0, 1, 1), (2, 0, 0)), (2, None), -1),
    ("pad-bool-value", "pad", [((2,), BOOL_), ((), BOOL_)], _pad((1, 1, 1)), (0, 0), 1),
    # select_n: batched scalar predicates, unbatched cases, rank-0 cases
    ("select-pred", "select_n", [((), BOOL_), ((2, 3), F64), ((2, 3), F64)], {}, (0, None, None), 1),
    ("select-pred-scalar-cases", "select_n", [((), BOOL_), ((), F64), ((), F64)], {}, (0, None, None), 0),
    # (regression: an unbatched rank-0 case stayed a scalar beside a batched one, so the cases'
    # shapes differed; NumPy broadcast that eagerly, the traced select_n rejected it)
    ("select-one-scalar-case", "select_n", [((), BOOL_), ((), F64), ((), F64)], {}, (None, None, 0), 0),
    ("select-scalar-cases", "select_n", [((), BOOL_), ((), F64), ((), F64)], {}, (None, 0, 0), 0),
    ("select-full-pred", "select_n", [((2,), BOOL_), ((2,), F64), ((2,), F64)], {}, (1, None, 0), 0),
    ("select-int-pred", "select_n", [((), I64), ((2,), F64), ((2,), F64), ((2,), F64)], {}, (0, 1, None, 0), 1),
    # threefry: batched keys (with shared or batched counters), batched counters only
    ("threefry-keys", "threefry2x32", [((), U32), ((), U32), ((3,), U32), ((3,), U32)], {},
     (0, None, None, None), (0, 1)),
    ("threefry-key1", "threefry2x32", [((), U32), ((), U32), ((2, 2), U32), ((2, 2), U32)], {},
     (None, 0, 2, None), (2, 0)),
    ("threefry-counters", "threefry2x32", [((), U32), ((), U32), ((3,), U32), ((3,), U32)], {},
     (None, None, 1, None), (1, 0)),
    ("threefry-scalar-counters", "threefry2x32", [((), U32), ((), U32), ((), U32), ((), U32)], {},
     (0, 0, 0, 0), (0, 0)),
    # concatenate: batched operands among unbatched ones
    ("concat-mixed", "concatenate", [((2, 3), F64), ((1, 3), F64), ((2, 3), F64)], {"dimension": 0},
     (None, 2, None), 1),
    ("concat-inner", "concatenate", [((2, 3), F64), ((2, 1), F64)], {"dimension": 1}, (0, None), 2),
    # rank-0 batched operands among full-rank unbatched ones (and the other way round)
    ("add-scalar-batch", "add", [((), F64), ((2, 3), F64)], {}, (0, None), 1),
    ("add-scalar-shared", "add", [((), F64), ((2, 3), F64)], {}, (None, 1), 0),
    ("ldexp-scalar-batch", "ldexp", [((2,), F64), ((), I64)], {}, (None, 0), 1),
    ("complex-scalar-batch", "complex", [((), F64), ((3,), F64)], {}, (0, None), 0),
    ("frexp-scalar", "frexp", [((), F64)], {}, (0,), (0, 0)),
    ("atan2-scalars", "atan2", [((), F64), ((), F64)], {}, (0, None), 0),
    # structural rules with the batch axis last
    ("transpose-last", "transpose", [((2, 3, 4), F64)], {"permutation": (2, 0, 1)}, (3,), 1),
    ("broadcast-last", "broadcast_in_dim", [((3, 1), F64)], {"shape": (2, 3, 4), "broadcast_dimensions": (1, 2)},
     (-1,), -1),
    ("reshape-middle", "reshape", [((2, 3), F64)], {"new_sizes": (3, 2)}, (1,), 2),
    ("squeeze-middle", "squeeze", [((1, 2, 1), F64)], {"dimensions": (2, 0)}, (1,), 1),
    ("slice-middle", "slice", [((4, 5), F64)], {"start_indices": (1, 0), "limit_indices": (4, 5), "strides": (2, 3)},
     (1,), 0),
    ("iota", "iota", [], {"dtype": np.dtype(I64), "shape": (2, 3), "dimension": 1}, (), 1),
]


@pytest.mark.parametrize("size", [0, 3])
@pytest.mark.parametrize("row", TARGETED, ids=[row[0] for row in TARGETED])
def test_rule_path(row, size):
    _, name, operands, params, in_axes, out_axes = row
    rng = np.random.default_rng(0)
    batch = [tuple(_random(rng, shape, dtype) for shape, dtype in operands) for _ in range(max(size, 1))]
    out_axes = list(out_axes) if isinstance(out_axes, tuple) else [out_axes]
    check_batched(PRIMITIVES[name], params, batch[0], batch[:size], list(in_axes), out_axes)


def test_unbatched_operands_run_unbatched():
    """A primitive none of whose operands is batched runs once, on the shared values."""
    x, y = np.arange(6.0).reshape(3, 2), np.array([0.5, 1.5])
    f = jaxlite.vmap(lambda x, y: PRIMITIVES["sin"].bind(y) * x, in_axes=(0, None))
    closed = jaxlite.make_jaxpr(f)(x, y)
    check_jaxpr(closed.jaxpr)
    sin = next(e for e in closed.eqns if e.primitive.name == "sin")
    assert [v.aval.shape for v in sin.outvars] == [(2,)], str(closed)
    tp.assert_same(np.asarray(f(x, y)), np.sin(y) * x, "vmap with an unbatched sin")


# ---------------------------------------------------------------- custom derivatives under vmap

XS = np.array([-1.25, 0.0, 0.5, 2.0])


@jaxlite.custom_vjp
def scaled_sin(x, y):
    return jnp.sin(x) * y


scaled_sin.defvjp(
    lambda x, y: (jnp.sin(x) * y, (jnp.cos(x), jnp.sin(x), y)),
    lambda res, ct: (ct * res[0] * res[2], ct * res[1]),
)


@jaxlite.custom_jvp
def softplus(x):
    return jnp.log1p(jnp.exp(x))


softplus.defjvp(lambda primals, tangents: (softplus(primals[0]), tangents[0] / (1 + jnp.exp(-primals[0]))))


@jaxlite.custom_vjp
def clip_gradient(x):
    return x


clip_gradient.defvjp(lambda x: (x, None), lambda _, ct: (jnp.clip(ct, -0.5, 0.5),))


def _sin_times_square(x):
    return jnp.sin(x) * x**2


sin_times_square = jaxlite.checkpoint(_sin_times_square)


def _d_sin_times_square(x):
    return np.cos(x) * x**2 + 2 * x * np.sin(x)


def _d2_sin_times_square(x):
    return -np.sin(x) * x**2 + 4 * x * np.cos(x) + 2 * np.sin(x)


def _close(got, want):
    assert type(got) is Array
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-14)


def test_vmap_of_grad_of_custom_vjp():
    """custom_lin under vmap: the user's bwd runs on batched residuals, some of them shared."""
    y = 3.0
    dx, dy = jaxlite.vmap(jaxlite.grad(scaled_sin, argnums=(0, 1)), in_axes=(0, None))(XS, y)
    _close(dx, np.cos(XS) * y)
    _close(dy, np.sin(XS))
    ys = np.array([1.0, -2.0, 0.5, 4.0])
    _close(jaxlite.vmap(jaxlite.grad(scaled_sin, argnums=1), in_axes=(None, 0))(0.75, ys), np.full(4, np.sin(0.75)))
    _close(jaxlite.vmap(jaxlite.grad(lambda x: 3.0 * clip_gradient(x)))(XS), np.full(4, 0.5))


CUSTOM = {  # function -> its derivative at XS
    "custom_jvp": (softplus, 1 / (1 + np.exp(-XS))),
    "custom_vjp": (lambda x: 3.0 * clip_gradient(x), np.full(4, 0.5)),
    "custom_vjp-residuals": (lambda x: scaled_sin(x, 2.0), 2.0 * np.cos(XS)),
    "checkpoint": (sin_times_square, _d_sin_times_square(XS)),
}


@pytest.mark.parametrize("name", CUSTOM)
def test_grad_of_vmap_of_custom_derivatives(name):
    """The batched custom rules (custom_lin, remat_lin) are what the outer grad transposes."""
    g, want = CUSTOM[name]
    _close(jaxlite.grad(lambda x: jnp.sum(jaxlite.vmap(g)(x)))(XS), want)
    _close(jaxlite.grad(lambda x: jnp.sum(jaxlite.vmap(jaxlite.vmap(g))(x)))(XS[None]), want[None])


@pytest.mark.parametrize("name", CUSTOM)
def test_grad_of_vmap_of_custom_derivatives_batch_axis_last(name):
    g, want = CUSTOM[name]
    xs = np.stack([XS, XS], axis=1)
    _close(jaxlite.grad(lambda x: jnp.sum(jaxlite.vmap(g, in_axes=1)(x)))(xs), np.stack([want, want], axis=1))


def test_grad_of_vmap_of_custom_vjp_with_a_shared_argument():
    dy = jaxlite.grad(lambda y: jnp.sum(jaxlite.vmap(scaled_sin, in_axes=(0, None))(XS, y)))(2.0)
    _close(dy, np.sum(np.sin(XS)))
    dx = jaxlite.grad(lambda x: jnp.sum(jaxlite.vmap(scaled_sin, in_axes=(None, 0))(x, XS)))(0.5)
    _close(dx, np.cos(0.5) * np.sum(XS))


def test_vmap_of_derivatives_of_checkpoint():
    """remat_lin under vmap: forward mode, reverse mode, and second order."""
    _close(jaxlite.vmap(jaxlite.grad(sin_times_square))(XS), _d_sin_times_square(XS))
    _close(jaxlite.vmap(jaxlite.grad(jaxlite.grad(sin_times_square)))(XS), _d2_sin_times_square(XS))
    _, tangents = jaxlite.vmap(lambda x, t: jaxlite.jvp(sin_times_square, (x,), (t,)))(XS, 2 * XS)
    _close(tangents, 2 * XS * _d_sin_times_square(XS))
    _, tangents = jaxlite.jvp(jaxlite.vmap(sin_times_square), (XS,), (np.ones(4),))
    _close(tangents, _d_sin_times_square(XS))
    hess = jaxlite.grad(lambda x: jnp.sum(jaxlite.vmap(jaxlite.grad(sin_times_square))(x)))(XS)
    _close(hess, _d2_sin_times_square(XS))


W = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
XS2 = np.array([[0.1, 0.2, 0.3], [-0.5, 0.4, 0.0]])
layer = jaxlite.checkpoint(lambda x, w: jnp.sum(jnp.tanh(w @ x)))


def _layer_grads(x, w):
    sech2 = 1 - np.tanh(w @ x) ** 2
    return w.T @ sech2, np.outer(sech2, x)


def test_vmap_of_grad_of_checkpoint_with_a_shared_argument():
    dx, dw = jaxlite.vmap(jaxlite.grad(layer, argnums=(0, 1)), in_axes=(0, None))(XS2, W)
    _close(dx, np.stack([_layer_grads(x, W)[0] for x in XS2]))
    _close(dw, np.stack([_layer_grads(x, W)[1] for x in XS2]))


def test_grad_of_vmap_of_checkpoint_keeps_a_shared_argument_unbatched():
    """remat_lin's rule leaves an unbatched primal with an unbatched tangent alone: the weight
    gradient is one matrix product, with no per-example copy of the weights."""
    def loss(w):
        return jnp.sum(jaxlite.vmap(layer, in_axes=(0, None))(XS2, w))

    _close(jaxlite.grad(loss)(W), sum(_layer_grads(x, W)[1] for x in XS2))
    closed = jaxlite.make_jaxpr(jaxlite.grad(loss))(W)
    check_jaxpr(closed.jaxpr)
    assert all(v.aval.ndim <= 2 for e in closed.eqns for v in e.outvars), str(closed)
