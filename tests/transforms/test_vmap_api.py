"""The public vmap API: in_axes/out_axes (ints, None, pytree prefixes), keyword arguments,
axis_size, error messages, and vmap composed with itself, grad, jvp/vjp, the Jacobians and
make_jaxpr. References are per-example Python loops over NumPy, analytic derivatives, or
finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
from helpers import assert_like_numpy, traced
from jaxlite import grad, hessian, jacfwd, jacrev, jvp, make_jaxpr, vjp, vmap
from jaxlite.core import check_jaxpr
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape)


def loop_vmap(f, in_axes, size, out_axis=0):
    """The reference: f on each example (flat positional args, int/None axes), stacked."""

    def run(*args):
        outs = []
        for i in range(size):
            ex = [a if ax is None else np.take(a, i, axis=ax) for a, ax in zip(args, in_axes)]
            outs.append(np.asarray(f(*ex)))
        return np.stack(outs, axis=out_axis)

    return run


def mix(a, b, c):
    """A per-example function whose result depends on the layout of every argument."""
    return jnp.tanh(a @ b) * jnp.sum(c) + jnp.cumsum(a, axis=0)[:, :1]


# ---------------------------------------------------------------- in_axes


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_int_and_negative_in_axes(axis):
    x = randn(3, 4, 5)
    f = lambda a: jnp.sum(jnp.sin(a), axis=0) * a[-1]
    want = loop_vmap(f, [axis], x.shape[axis])(x)
    assert_like_numpy(vmap(f, in_axes=axis)(x), want)
    assert_like_numpy(traced(vmap(f, in_axes=axis))(x), want)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_in_axes_per_argument_and_out_axes_against_a_loop(data):
    n = data.draw(st.integers(1, 4), label="batch")
    shapes = [(3, 2), (2, 4), (5,)]  # per-example shapes of a, b, c
    axes = [data.draw(st.one_of(st.none(), st.integers(-len(s) - 1, len(s))), label=f"in_axes[{i}]")
            for i, s in enumerate(shapes)]
    if all(a is None for a in axes):
        axes[0] = 0
    out_axis = data.draw(st.integers(-3, 2), label="out_axes")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16), label="seed"))
    args = [rng.standard_normal(shape) if ax is None else np.moveaxis(rng.standard_normal((n, *shape)), 0, ax)
            for shape, ax in zip(shapes, axes)]
    want = loop_vmap(mix, axes, n, out_axis)(*args)
    mapped = vmap(mix, in_axes=tuple(axes), out_axes=out_axis)
    assert_like_numpy(mapped(*args), want)
    assert_like_numpy(traced(mapped)(*args), want)


def test_list_in_axes_is_a_tuple():
    a, b = randn(4, 3), randn(3)
    want = loop_vmap(jnp.dot, [0, None], 4)(a, b)
    assert_like_numpy(vmap(jnp.dot, in_axes=[0, None])(a, b), want)
    assert_like_numpy(vmap(jnp.dot, in_axes=(0, None))(a, b), want)


def test_in_axes_pytree_prefixes():
    # an axis per dict entry; [0, 1] over a list whose second item is a tuple (one axis for it)
    params = {"w": randn(3, 6), "b": randn(3)}  # w mapped on axis 1, b unmapped
    data = [randn(6, 3), (randn(3, 6), randn(2, 6))]

    def f(p, d):
        x, (y, z) = d
        return p["w"] * x + p["b"] * y + jnp.sum(z)

    got = vmap(f, in_axes=({"w": 1, "b": None}, [0, 1]))(params, data)
    want = np.stack([params["w"][:, i] * data[0][i] + params["b"] * data[1][0][:, i] + data[1][1][:, i].sum()
                     for i in range(6)])
    assert_like_numpy(got, want)


def test_one_axis_for_a_whole_subtree():
    tree = {"a": randn(4, 2), "b": [randn(4), (randn(4, 3, 3),)]}
    f = lambda t: jnp.sum(t["a"]) + t["b"][0] + jnp.trace(t["b"][1][0])
    want = np.array([tree["a"][i].sum() + tree["b"][0][i] + np.trace(tree["b"][1][0][i]) for i in range(4)])
    assert_like_numpy(vmap(f)(tree), want)
    assert_like_numpy(vmap(f, in_axes=({"a": 0, "b": 0},))(tree), want)
    assert_like_numpy(vmap(f, in_axes=({"a": 0, "b": [0, (0,)]},))(tree), want)


def test_none_leaves_and_empty_arguments():
    x = randn(3, 2)
    assert_like_numpy(vmap(lambda a, nothing, empty: a * 2, in_axes=(0, None, 0))(x, None, ()), 2 * x)


def test_keyword_arguments_are_mapped_along_axis_0():
    w, xs = randn(3), randn(5, 3)
    f = lambda w, *, x: jnp.dot(w, x)
    assert_like_numpy(vmap(f, in_axes=(None,))(w, x=xs), xs @ w)
    assert_like_numpy(vmap(f, in_axes=None)(w, x=xs), xs @ w)
    ys = randn(3, 5)  # in_axes never applies to a keyword argument
    assert_like_numpy(vmap(f, in_axes=1)(ys, x=xs), np.einsum("ij,ji->i", xs, ys))


def test_unmapped_python_scalars_and_unmapped_if():
    def f(x, scale, flag):
        if flag > 0:  # unbatched: a concrete value, fine in Python control flow
            return x * scale
        return -x

    x = randn(4)
    assert_like_numpy(vmap(f, in_axes=(0, None, None))(x, 2.5, 1.0), 2.5 * x)
    assert_like_numpy(vmap(f, in_axes=(0, None, None))(x, 2.5, -1.0), -x)

    def g(x, y):
        return x * 2 if jnp.sum(y) > 0 else x  # derived from an unbatched value: still concrete

    assert_like_numpy(vmap(g, in_axes=(0, None))(x, np.ones(2)), 2 * x)


def test_python_if_on_a_batched_value_raises():
    with pytest.raises(jaxlite.TracerBoolConversionError, match="bool"):
        vmap(lambda x: x if x > 0 else -x)(randn(3))


# ---------------------------------------------------------------- out_axes, axis_size


@pytest.mark.parametrize("out_axes", [0, 1, 2, -1, -2, -3])
def test_int_and_negative_out_axes(out_axes):
    x = randn(4, 2, 3)
    f = lambda a: a.T
    assert_like_numpy(vmap(f, out_axes=out_axes)(x), loop_vmap(f, [0], 4, out_axes)(x))


def test_out_axes_pytree_prefix_and_pytree_outputs():
    x, c = randn(5, 3), randn(3)

    def f(a):
        return {"s": jnp.sum(a), "t": (jnp.outer(a, a), c * 2, 1.5)}

    got = vmap(f, out_axes={"s": 0, "t": (-1, None, 0)})(x)
    assert set(got) == {"s", "t"} and isinstance(got["t"], tuple)
    assert_like_numpy(got["s"], x.sum(axis=1))
    assert_like_numpy(got["t"][0], np.stack([np.outer(r, r) for r in x], axis=-1))
    assert_like_numpy(got["t"][1], c * 2)  # unbatched, out_axes None: returned as is
    assert_like_numpy(got["t"][2], np.full(5, 1.5))  # a Python scalar output is broadcast

    got = vmap(f, out_axes=-1)(x)  # one axis for every output
    assert_like_numpy(got["s"], x.sum(axis=1))
    assert_like_numpy(got["t"][1], np.stack([c * 2] * 5, axis=-1))


def test_unbatched_outputs_are_broadcast_unless_out_axes_is_none():
    x = randn(4)
    a, b = vmap(lambda v: (v, jnp.arange(3.0)))(x)
    assert_like_numpy(b, np.tile(np.arange(3.0), (4, 1)))
    a, b = vmap(lambda v: (v, jnp.arange(3.0)), out_axes=(0, 1))(x)
    assert_like_numpy(b, np.tile(np.arange(3.0), (4, 1)).T)
    a, b = vmap(lambda v: (v, jnp.arange(3.0)), out_axes=(0, None))(x)
    assert_like_numpy(b, np.arange(3.0))
    assert_like_numpy(vmap(lambda v: 3)(x), np.full(4, 3))
    assert_like_numpy(vmap(lambda v: 2.0)(x), np.full(4, 2.0))


def test_out_axes_none_on_a_batched_output_raises():
    with pytest.raises(ValueError, match=r"out_axes is None for output\[1\], but that output is batched"):
        vmap(lambda v: (v, v * 2), out_axes=(0, None))(randn(3))
    with pytest.raises(ValueError, match=r"out_axes is None for output\['b'\]"):
        vmap(lambda v: {"a": v, "b": v * 2}, out_axes={"a": 0, "b": None})(randn(3))


def test_axis_size_without_mapped_inputs_broadcasts():
    y = randn(2)
    assert_like_numpy(vmap(lambda: jnp.ones(2), axis_size=3)(), np.ones((3, 2)))
    assert_like_numpy(vmap(lambda v: v * 2, in_axes=None, axis_size=3)(y), np.tile(2 * y, (3, 1)))
    assert_like_numpy(vmap(lambda v: v * 2, in_axes=None, axis_size=3, out_axes=1)(y), np.tile(2 * y, (3, 1)).T)
    assert_like_numpy(vmap(lambda v: v * 2, in_axes=None, axis_size=3, out_axes=None)(y), 2 * y)
    assert_like_numpy(vmap(lambda v: v + 1, axis_size=3)(np.zeros(3)), np.ones(3))  # agrees with the input


def test_dtypes_and_an_empty_batch():
    assert_like_numpy(vmap(lambda a: a * 2)(np.arange(3)), np.arange(3) * 2)
    assert_like_numpy(vmap(jnp.logical_not)(np.array([True, False])), np.array([False, True]))
    assert_like_numpy(vmap(lambda a: a * 2.0)(np.ones((2, 3), np.float32)), np.full((2, 3), 2.0, np.float32))
    assert_like_numpy(vmap(jnp.sum)(np.ones((0, 3))), np.zeros(0))


def test_arrays_created_inside_the_mapped_function():
    def f(x):
        y = jnp.zeros(3)
        y[0] = x  # a concrete array made inside vmap takes a batched value
        return y

    x = randn(4)
    assert_like_numpy(vmap(f)(x), np.stack([[v, 0.0, 0.0] for v in x]))
    assert_like_numpy(traced(vmap(f))(x), np.stack([[v, 0.0, 0.0] for v in x]))


def test_grad_through_an_unbatched_output():
    f = lambda s: jnp.sum(vmap(lambda x: s * 2 + x * 0)(np.ones(3)))
    assert grad(f)(1.5) == 6.0
    g = lambda s: vmap(lambda: s * 2, axis_size=3, out_axes=None)()
    assert grad(g)(1.5) == 2.0


# ---------------------------------------------------------------- errors


def _raises(exc, *fragments):
    return exc, fragments


ERRORS = {
    "inconsistent sizes": (
        lambda: vmap(lambda a, b: a["x"] + b)({"x": randn(2)}, randn(3)),
        _raises(ValueError, "inconsistent sizes", "args[0]['x']: axis size 2", "args[1]: axis size 3")),
    "inconsistent sizes, in_axes 1": (
        lambda: vmap(lambda a, b: a + b, in_axes=(1, 0))(randn(4, 3), randn(4)),
        _raises(ValueError, "args[0]: axis size 3", "args[1]: axis size 4")),
    "kwarg size": (
        lambda: vmap(lambda a, *, b: a + b)(randn(2), b=randn(3)),
        _raises(ValueError, "args[0]: axis size 2", "kwargs['b']: axis size 3")),
    "axis_size disagrees": (
        lambda: vmap(lambda a: a, axis_size=5)(randn(2)),
        _raises(ValueError, "axis_size=5", "size 2")),
    "dict keys": (
        lambda: vmap(lambda d: d["a"], in_axes=({"a": 0, "c": 0},))({"a": randn(2), "b": randn(2)}),
        _raises(ValueError, "args[0]", "tree prefix", "'c'")),
    "list length": (
        lambda: vmap(lambda a, d: d[0], in_axes=(None, [0, 0, 0]))(1.0, [randn(2), randn(2)]),
        _raises(ValueError, "args[1]", "tree prefix", "length 3")),
    "list for a tuple": (
        lambda: vmap(lambda t: t[0], in_axes=([0, 0],))((randn(2), randn(2))),
        _raises(ValueError, "args[0]", "tree prefix", "expected a list")),
    "prefix below a leaf": (
        lambda: vmap(lambda a: a, in_axes=((0, 0),))(randn(2)),
        _raises(ValueError, "args[0]", "tree prefix")),
    "in_axes count": (
        lambda: vmap(lambda a, b: a, in_axes=(0,))(randn(2), randn(2)),
        _raises(ValueError, "in_axes has 1 entries", "2 positional arguments")),
    "out_axes tree": (
        lambda: vmap(lambda a: (a, a), out_axes=(0, 0, 0))(randn(2)),
        _raises(ValueError, "out_axes", "tree prefix", "length 3")),
    "axis out of range": (
        lambda: vmap(lambda a, b: a, in_axes=(None, 2))(1.0, {"k": randn(2, 3)}),
        _raises(ValueError, "in_axes 2", "args[1]['k']", "rank 2", "(2, 3)")),
    "negative axis out of range": (
        lambda: vmap(lambda a: a, in_axes=-3)(randn(2, 3)),
        _raises(ValueError, "in_axes -3", "args[0]", "rank 2")),
    "out_axes out of range": (
        lambda: vmap(lambda a: {"o": a}, out_axes=2)(randn(2, 3)),
        _raises(ValueError, "out_axes 2", "output['o']", "rank 2")),
    "rank 0": (
        lambda: vmap(lambda a, b: a + b, in_axes=(0, 0))(randn(2), 3.0),
        _raises(ValueError, "args[1]", "rank 0")),
    "rank 0 array": (
        lambda: vmap(lambda a: a)(np.float64(3.0)),
        _raises(ValueError, "args[0]", "rank 0")),
    "rank 0 keyword": (
        lambda: vmap(lambda a, *, b: a + b)(randn(2), b=1.0),
        _raises(ValueError, "kwargs['b']", "rank 0", "keyword")),
    "no mapped input": (
        lambda: vmap(lambda a: a, in_axes=None)(randn(2)),
        _raises(ValueError, "axis_size", "in_axes")),
    "no arguments": (
        lambda: vmap(lambda: 1.0)(),
        _raises(ValueError, "axis_size")),
    "float in_axes": (
        lambda: vmap(lambda a: a, in_axes=1.0),
        _raises(TypeError, "in_axes", "1.0")),
    "string in a prefix": (
        lambda: vmap(lambda a: a, in_axes=({"a": "x"},)),
        _raises(TypeError, "in_axes", "'x'")),
    "bool in_axes": (
        lambda: vmap(lambda a: a, in_axes=(True,)),
        _raises(TypeError, "in_axes", "True")),
    "dict in_axes at the top": (
        lambda: vmap(lambda a: a, in_axes={"a": 0}),
        _raises(TypeError, "in_axes", "tuple")),
    "float out_axes": (
        lambda: vmap(lambda a: a, out_axes=(0, 1.5)),
        _raises(TypeError, "out_axes", "1.5")),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error_messages(name):
    call, (exc, fragments) = ERRORS[name]
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    assert message.startswith("vmap(<lambda>)"), message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"


def test_leaked_batch_tracer_raises():
    leaked = []

    def f(x):
        leaked.append(x)
        return x * 2

    vmap(f)(randn(3))
    for use in (lambda t: t + 1, jnp.sin, np.asarray, lambda t: vmap(lambda v: v * t)(randn(2))):
        with pytest.raises(jaxlite.UnexpectedTracerError, match="vmap"):
            use(leaked[0])


# ---------------------------------------------------------------- compositions


def test_nested_vmap_with_different_in_axes():
    a, b = randn(3, 5), randn(5)  # outer maps a's axis 1 with b's axis 0, inner maps a's rows
    inner = vmap(lambda r, s: jnp.sin(r) * s, in_axes=(0, None))
    got = vmap(inner, in_axes=(1, 0))(a, b)
    want = np.stack([np.stack([np.sin(a[i, j]) * b[j] for i in range(3)]) for j in range(5)])
    assert_like_numpy(got, want)

    # pairwise distances: vmap over x rows, then over y rows, out_axes moving both
    x, y = randn(4, 3), randn(6, 3)
    dist = lambda p, q: jnp.sqrt(jnp.sum((p - q) ** 2))
    pairwise = vmap(vmap(dist, in_axes=(None, 0)), in_axes=(0, None), out_axes=1)
    assert_like_numpy(pairwise(x, y), np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1)).T)

    # negative in_axes inside: the inner function sees per-example ranks
    z = randn(2, 3, 4)
    got = vmap(vmap(jnp.sum, in_axes=-1), in_axes=-1)(z)
    assert_like_numpy(got, z.sum(axis=0).T)


def _logistic_loss(w, x, y):
    z = jnp.dot(x, w)
    return jnp.logaddexp(0.0, z) - y * z


def _logistic_problem(n=6, d=4):
    x = randn(n, d)
    return randn(d), x, (RNG.random(n) < 0.5).astype(float)


def test_per_example_gradients():
    w, x, y = _logistic_problem()
    got = vmap(grad(_logistic_loss), in_axes=(None, 0, 0))(w, x, y)
    want = (1 / (1 + np.exp(-(x @ w))) - y)[:, None] * x
    assert_like_numpy(got, want, rtol=1e-10)
    loop = np.stack([np.asarray(grad(_logistic_loss)(w, x[i], y[i])) for i in range(len(y))])
    assert_like_numpy(got, loop)
    assert_like_numpy(traced(vmap(grad(_logistic_loss), in_axes=(None, 0, 0)))(w, x, y), loop)


def test_per_example_gradients_of_a_pytree_of_parameters():
    params = {"W": randn(3, 2), "b": randn(2)}
    xs = randn(5, 3)
    loss = lambda p, x: jnp.sum(jnp.tanh(x @ p["W"] + p["b"]) ** 2)
    got = vmap(grad(loss), in_axes=(None, 0))(params, xs)
    for i in range(5):
        one = grad(loss)(params, xs[i])
        for k in ("W", "b"):
            assert_like_numpy(got[k][i], np.asarray(one[k]))


def test_grad_of_a_function_using_vmap():
    w, x, y = _logistic_problem()
    total = lambda w: jnp.sum(vmap(_logistic_loss, in_axes=(None, 0, 0))(w, x, y))
    want = ((1 / (1 + np.exp(-(x @ w))) - y)[:, None] * x).sum(axis=0)
    assert_like_numpy(grad(total)(w), want, rtol=1e-10)
    check_grads(total, (w,), order=2)

    # batch axis 1 in and out, and an unmapped argument closed over a grad tracer
    a, c = randn(3, 4), randn(3, 4)
    f = lambda s, m: jnp.sum(vmap(lambda col, t: jnp.sin(col * t), in_axes=(1, None), out_axes=1)(m, s) * c)
    check_grads(f, (0.7, a), order=2)


def test_vmap_of_jvp_and_vjp():
    x, ts = randn(3), randn(5, 3)
    f = lambda v: jnp.sin(v) * jnp.sum(v ** 2)
    jac = np.asarray(jacfwd(f)(x))
    tangents = vmap(lambda t: jvp(f, (x,), (t,))[1])(ts)
    assert_like_numpy(tangents, ts @ jac.T, rtol=1e-10)
    cotangents = vmap(lambda c: vjp(f, x)[1](c)[0])(ts)
    assert_like_numpy(cotangents, ts @ jac, rtol=1e-10)
    # batched primals and tangents together
    xs = randn(5, 3)
    both = vmap(lambda p, t: jvp(f, (p,), (t,)))(xs, ts)
    for i in range(5):
        out, tan = jvp(f, (xs[i],), (ts[i],))
        assert_like_numpy(both[0][i], np.asarray(out))
        assert_like_numpy(both[1][i], np.asarray(tan))


@pytest.mark.parametrize("jac", [jacfwd, jacrev], ids=["jacfwd", "jacrev"])
def test_jacobians_of_functions_using_vmap(jac):
    x, v = randn(4, 3), randn(3)
    f = lambda v: vmap(lambda r: jnp.dot(r, v) ** 2)(x)
    assert_like_numpy(jac(f)(v), 2 * (x @ v)[:, None] * x, rtol=1e-10)
    g = lambda v: vmap(lambda r: r * jnp.sin(v), out_axes=1)(x)  # (3, 4) output
    want = np.zeros((3, 4, 3))
    for i in range(3):
        want[i, :, i] = x[:, i] * np.cos(v[i])
    assert_like_numpy(jac(g)(v), want, rtol=1e-10)


def test_hessian_of_a_function_using_vmap():
    x, v = randn(4, 3), randn(3)
    f = lambda v: jnp.sum(vmap(lambda r: jnp.dot(r, v) ** 3)(x))
    assert_like_numpy(hessian(f)(v), 6 * x.T @ ((x @ v)[:, None] * x), rtol=1e-10)


def _vector_fn(v):
    return jnp.sin(v) * jnp.sum(v ** 2)


def _scalar_fn(v):
    return jnp.sum(jnp.sin(v)) * jnp.sum(v ** 2)


@pytest.mark.parametrize("jac, f", [(jacfwd, _vector_fn), (jacrev, _vector_fn), (hessian, _scalar_fn)],
                         ids=["jacfwd", "jacrev", "hessian"])
def test_vmap_of_jacobians(jac, f):
    xs = randn(5, 3)
    want = np.stack([np.asarray(jac(f)(r)) for r in xs])
    assert_like_numpy(vmap(jac(f))(xs), want, rtol=1e-12)
    assert_like_numpy(vmap(jac(f), in_axes=1, out_axes=-1)(xs.T), np.moveaxis(want, 0, -1), rtol=1e-12)


def test_derivatives_of_a_vmapped_function_against_finite_differences():
    args = (randn(4, 3, 2), randn(2, 4), randn(5, 4))  # mapped along 0, unmapped, mapped along 1
    check_grads(vmap(mix, in_axes=(0, None, 1), out_axes=1), args, order=2)


def test_vmap_grad_vmap():
    """Per-example gradients of a loss that itself maps over the example's rows."""
    w, xs = randn(3), randn(4, 2, 3)
    loss = lambda w, x: jnp.sum(vmap(lambda r: jnp.tanh(jnp.dot(r, w)))(x) ** 2)
    got = vmap(grad(loss), in_axes=(None, 0))(w, xs)
    for i in range(4):
        z = np.tanh(xs[i] @ w)
        assert_like_numpy(got[i], (2 * z * (1 - z ** 2)) @ xs[i], rtol=1e-10)


def test_make_jaxpr_of_vmap_prints_and_type_checks():
    x, w = randn(4, 3), randn(3)
    f = lambda w, r: jnp.tanh(jnp.dot(r, w)) * r
    closed = make_jaxpr(vmap(f, in_axes=(None, 0), out_axes=1))(w, x)
    check_jaxpr(closed.jaxpr)
    text = str(closed)
    assert text.startswith("{ lambda ; a:f64[3] b:f64[4,3]. let"), text
    assert "dot_general" in text and "tanh" in text and "f64[3,4]" in text, text
    assert_like_numpy(traced(vmap(f, in_axes=(None, 0), out_axes=1))(w, x),
                      (np.tanh(x @ w)[:, None] * x).T)
    closed = make_jaxpr(vmap(grad(lambda w, r: jnp.sum(jnp.sin(r * w))), in_axes=(None, 0)))(w, x)
    check_jaxpr(closed.jaxpr)
    assert "f64[4,3]" in str(closed)


def test_make_jaxpr_of_vmap_of_where_with_a_scalar_case():
    # select_n's cases must share a shape: an unbatched rank-0 case is broadcast, not kept
    x = randn(4)
    assert_like_numpy(traced(vmap(lambda v: jnp.where(v > 0, v, 0.0)))(x), np.maximum(x, 0.0))
    closed = make_jaxpr(vmap(grad(lambda w, r: jnp.sum(jnp.tanh(r * w) ** 2)), in_axes=(None, 0)))(randn(3), randn(4, 3))
    check_jaxpr(closed.jaxpr)
