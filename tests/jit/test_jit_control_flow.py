"""Control flow under jit: compiled to loops and branches in the kernel (no NumPy fallback, no
unrolling) and equal to eager. Each test compiles one or two kernels."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax


def _lowered(f, *args):
    text = f.lower(*args).as_text()
    assert "run by NumPy" not in text, text
    return text


def _same(got, want):
    for g, w in zip(jaxlite.tree_util.tree_leaves(got), jaxlite.tree_util.tree_leaves(want)):
        g, w = np.asarray(g), np.asarray(w)
        assert g.dtype == w.dtype and g.shape == w.shape
        np.testing.assert_array_equal(g, w)


def test_fori_loop_on_scalars_is_a_loop_with_scalar_carries():
    def lorenz(s):
        def step(i, s):
            x, y, z = s
            return x + 0.01 * 10 * (y - x), y + 0.01 * (x * (28 - z) - y), z + 0.01 * (x * y - 8 / 3 * z)

        return lax.fori_loop(0, 500, step, s)

    f = jaxlite.jit(lorenz)
    text = _lowered(f, (1.0, 1.0, 1.0))
    assert "for step" in text and text.count("0.01 *") <= 6  # one loop body, not 500
    _same(f((1.0, 1.0, 1.0)), lorenz((1.0, 1.0, 1.0)))


def test_scan_with_array_carry_xs_and_ys_forward_and_reverse():
    def f(c, xs):
        def body(c, x):
            c = jnp.tanh(c * 0.9 + x)
            return c, (c.sum(), c * 2)

        return lax.scan(body, c, xs), lax.scan(body, c, xs, reverse=True)

    c, xs = jnp.zeros(4), jnp.asarray(np.random.default_rng(0).standard_normal((7, 4)))
    g = jaxlite.jit(f)
    _lowered(g, c, xs)
    got, want = g(c, xs), f(c, xs)
    for a, b in zip(jaxlite.tree_util.tree_leaves(got), jaxlite.tree_util.tree_leaves(want)):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)


def test_while_loop_with_traced_trip_count_and_zero_iterations():
    def f(x, n):
        return lax.while_loop(lambda c: c[0] < n, lambda c: (c[0] + 1, c[1] * 2 + 1), (0, x))

    g = jaxlite.jit(f)
    x = jnp.arange(3.0)
    _lowered(g, x, 4)
    for n in (0, 1, 5):
        _same(g(x, n), f(x, n))
    out = g(x, 0)[1]
    assert not np.shares_memory(np.asarray(out), np.asarray(x))  # never an alias of an input


def test_cond_and_switch_with_array_and_scalar_operands():
    def f(i, x, s):
        a = lax.switch(i, [lambda x, s: x * s, lambda x, s: x + s, lambda x, s: -x], x, s)
        b = lax.cond(s > 1.0, lambda: s * 2, lambda: s - 1)
        c = lax.cond(i > 0, lambda x: x, lambda x: x + 1, x)  # a branch returning its operand
        return a, b, c

    g = jaxlite.jit(f)
    x = jnp.arange(4.0)
    _lowered(g, 0, x, 1.5)
    for i, s in ((-1, 2.0), (0, 0.5), (1, 3.0), (2, 1.0), (9, 1.0)):
        _same(g(i, x, s), f(i, x, s))
    assert not np.shares_memory(np.asarray(g(1, x, 1.0)[2]), np.asarray(x))


def test_nested_loops_and_cond_inside_scan():
    def f(xs):
        def outer(c, x):
            inner = lax.fori_loop(0, 3, lambda j, v: v + x * j, c)
            return lax.cond(inner > 10.0, lambda v: v / 2, lambda v: v, inner), inner

        return lax.scan(outer, 1.0, xs)

    xs = jnp.asarray([1.0, 2.0, 5.0, -3.0, 4.0])
    g = jaxlite.jit(f)
    text = _lowered(g, xs)
    assert text.count("for step") == 2
    _same(g(xs), f(xs))


@pytest.mark.parametrize("dtype", [np.int32, np.float32])
def test_carry_dtypes_stay_exact(dtype):
    def f(x):
        return lax.fori_loop(0, 40, lambda i, v: v * dtype(3) + dtype(1), x)

    g = jaxlite.jit(f)
    x = jnp.asarray(np.array([1, 2, 3], dtype))
    _same(g(x), f(x))  # int32 wraps around like NumPy; float32 stays float32
    _same(g(x[0]), f(x[0]))


def _scan_bodies(jaxpr):
    for eqn in jaxpr.eqns:
        if eqn.primitive.name == "scan":
            yield eqn.params["jaxpr"]
            yield from _scan_bodies(eqn.params["jaxpr"])


def test_scan_products_of_xs_are_hoisted_into_one_product_before_the_loop():
    from jaxlite.transforms.numba.passes import optimize

    def rnn(W, U, h0, xs):
        def step(h, x):
            ux = U @ x  # reads only a constant and the xs slice: hoisted
            h = jnp.tanh(W @ h + ux)
            return h, (ux, h.sum())

        def outer(h, xss):  # a nested scan is hoisted inside its own loop
            return lax.scan(step, h, xss)

        fwd = lax.scan(outer, h0, xs)
        rev = lax.scan(step, h0, xs[0] * 2, reverse=True)
        return fwd, rev

    rng = np.random.default_rng(0)
    W, U = (jnp.asarray(rng.standard_normal((5, 5)) / 3) for _ in range(2))
    h0, xs = jnp.zeros(5), jnp.asarray(rng.standard_normal((3, 6, 5)))
    jaxpr = optimize(jaxlite.make_jaxpr(rnn)(W, U, h0, xs).jaxpr)
    bodies = list(_scan_bodies(jaxpr))
    assert len(bodies) == 3
    for body in bodies:  # one product per step is left: W @ h, which needs the carry
        assert [e.primitive.name for e in body.eqns].count("dot_general") <= 1, body
    g = jaxlite.jit(rnn)
    _lowered(g, W, U, h0, xs)
    for a, b in zip(jaxlite.tree_util.tree_leaves(g(W, U, h0, xs)), jaxlite.tree_util.tree_leaves(rnn(W, U, h0, xs))):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_scan_without_products_of_xs_is_left_alone():
    from jaxlite.transforms.numba.scan_hoist import hoist_scan_products

    def f(W, h0, xs):  # the product reads the carry; the xs work is elementwise
        return lax.scan(lambda h, x: (jnp.tanh(W @ h + x * 2), None), h0, xs)[0]

    jaxpr = jaxlite.make_jaxpr(f)(jnp.eye(3), jnp.zeros(3), jnp.ones((4, 3))).jaxpr
    assert hoist_scan_products(jaxpr).eqns == jaxpr.eqns
