"""Derivatives of cond, switch, while_loop, fori_loop, scan and map against finite differences
(jaxlite.test_util.check_grads) and against derivatives of the same computation as a Python loop."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.core import check_jaxpr
from jaxlite.test_util import check_grads

RNG = np.random.default_rng(0)
X3 = RNG.uniform(0.5, 1.5, 3)
X4x2 = RNG.uniform(-1.0, 1.0, (4, 2))


def both(f, args, order=2):
    check_grads(f, args, order=order, modes=("fwd", "rev"))


def assert_close(a, b, tol=1e-10):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


# ---------------------------------------------------------------- cond / switch


def test_cond_branches_differ():
    f = lambda x: lax.cond(x.sum() > 0, lambda a: jnp.sin(a) * a, lambda a: jnp.exp(a).sum() + a, x)
    both(f, (X3,))
    both(f, (-X3,))


def test_cond_closure_consts():
    def f(x, w):
        return lax.cond(x[0] > 1.0, lambda a: a * w, lambda a: jnp.cos(w) + a ** 2, x)

    both(f, (X3, X3[::-1].copy()))
    both(f, (X3 - 1.0, X3))


def test_cond_pytree_and_integer_operands():
    def f(x, y):
        def true(ops):
            a, (b, n) = ops
            return {"s": a * b, "n": n + 1}

        def false(ops):
            a, (b, n) = ops
            return {"s": a + jnp.sin(b) * n, "n": n * 2}

        out = lax.cond(x[0] < y[0], true, false, (x, (y, 3)))
        return out["s"] * out["n"]

    both(f, (X3, X3 + 0.1))
    both(f, (X3 + 0.1, X3))


def test_cond_branch_ignores_operand_and_constant_output():
    # one branch gives a constant (a known tangent), the other depends on x
    f = lambda x: lax.cond(x > 0, lambda a: 2.0 * a, lambda a: 1.0, x)
    for x in (0.7, -0.7):
        both(f, (np.float64(x),))
    assert float(jaxlite.grad(f)(-0.7)) == 0.0
    for x, slope in ((0.7, 2.0), (-0.7, 0.0)):
        assert float(jaxlite.linearize(f, x)[1](1.0)) == slope


def test_switch_three_branches_and_clamp():
    branches = [lambda a: a ** 3, lambda a: jnp.sin(a), lambda a: a * jnp.exp(-a)]
    for i in (-1, 0, 1, 2, 5):
        f = lambda x, i=i: lax.switch(i, branches, x).sum()
        both(f, (X3,))
        expected = [3 * X3 ** 2, np.cos(X3), np.exp(-X3) * (1 - X3)][min(max(i, 0), 2)]
        assert_close(jaxlite.grad(f)(X3), expected)


def test_switch_traced_index():
    branches = [lambda a: a ** 3, lambda a: jnp.sin(a)]
    f = lambda x, i: lax.switch(i, branches, x).sum()
    assert_close(jaxlite.grad(f)(X3, 1), np.cos(X3))
    assert_close(jaxlite.grad(f)(X3, 0), 3 * X3 ** 2)


# ---------------------------------------------------------------- scan


def python_scan(f, init, xs, length=None, reverse=False):
    n = length if xs is None else len(xs)
    carry, ys = init, []
    for i in (reversed(range(n)) if reverse else range(n)):
        carry, y = f(carry, None if xs is None else xs[i])
        ys.append(y)
    return carry, jnp.stack(ys[::-1] if reverse else ys)


def rnn_step(w):
    def step(h, x):
        h = jnp.tanh(w @ h + x)
        return h, h.sum() ** 2
    return step


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_xs_ys_against_python_loop(reverse):
    def f(w, h0, xs, scan):
        h, ys = scan(rnn_step(w), h0, xs, reverse=reverse)
        return h.sum() + (ys * jnp.arange(1.0, 5.0)).sum()

    w, h0 = RNG.normal(size=(2, 2)) * 0.5, np.array([0.1, -0.2])
    args = (w, h0, X4x2)
    assert_close(f(*args, lax.scan), f(*args, python_scan))
    got = jaxlite.grad(f, argnums=(0, 1, 2))(*args, lax.scan)
    want = jaxlite.grad(f, argnums=(0, 1, 2))(*args, python_scan)
    for a, b in zip(got, want):
        assert_close(a, b)
    both(lambda *a: f(*a, lax.scan), args)


def test_scan_length_without_xs_and_consts():
    def f(x, a):
        return lax.scan(lambda c, _: (c * a + jnp.sin(c), c ** 2), x, None, length=5)

    both(f, (X3 * 0.3, 0.9))


def test_scan_pytree_carry_with_integer():
    def f(x):
        def step(carry, xi):
            n, (a, b) = carry
            return (n + 1, (a * xi + b, jnp.cos(a) * n)), a * b

        (n, (a, b)), ys = lax.scan(step, (0, (x[0], x[1])), x)
        return a + b * 2 + ys.sum() + n

    both(f, (X3,))


def test_scan_zero_tangent_carry_becomes_nonzero():
    # the second carry starts as a constant; the body makes it depend on the first
    def f(x):
        (a, b), _ = lax.scan(lambda c, _: ((c[0] * 1.1, c[1] + c[0] ** 2), None), (x, 0.0), None, length=4)
        return b

    both(f, (np.float64(0.8),))
    assert_close(jaxlite.grad(f)(0.8), 2 * 0.8 * sum(1.1 ** (2 * k) for k in range(4)))


def test_scan_carry_reset_to_constant():
    # the second carry has a tangent at entry, but the body gives it a constant
    def f(x):
        (a, b), ys = lax.scan(lambda c, xi: ((c[0] * xi + c[1], 0.5), c[1] * xi), (x, x ** 2), X3)
        return a + b + ys.sum()

    both(f, (np.float64(0.8),))
    _, f_jvp = jaxlite.linearize(f, 0.8)
    assert_close(f_jvp(1.0), jaxlite.jvp(f, (0.8,), (1.0,))[1])


def test_nested_scan():
    def f(x, w):
        def outer(c, xi):
            inner, _ = lax.scan(lambda d, _: (jnp.sin(d * w) + xi, None), c, None, length=3)
            return inner, inner.sum()
        c, ys = lax.scan(outer, x, X4x2[:, :1].repeat(3, 1))
        return c.sum() + ys.sum()

    both(f, (X3, 0.7))


def test_cond_inside_scan():
    def f(x):
        def step(c, xi):
            c = lax.cond(xi > 0, lambda a: a * xi, lambda a: jnp.sin(a) - xi, c)
            return c, c.sum()
        return lax.scan(step, x, X4x2[:, 0])

    both(f, (X3,))


def test_fori_loop_concrete_bounds():
    def f(x):
        return lax.fori_loop(0, 6, lambda i, c: c * jnp.cos(c) + i * 0.1, x)

    def loop(x):
        for i in range(6):
            x = x * jnp.cos(x) + i * 0.1
        return x

    both(f, (X3,))
    assert_close(jaxlite.grad(lambda x: f(x).sum())(X3), jaxlite.grad(lambda x: loop(x).sum())(X3))


def test_map():
    f = lambda x, w: lax.map(lambda r: jnp.sin(r * w).sum(), x)
    both(f, (X4x2, 1.3))
    assert_close(jaxlite.grad(lambda x: f(x, 1.3).sum())(X4x2), 1.3 * np.cos(1.3 * X4x2))


def test_value_and_grad_grad_grad_jacobians_of_scan():
    def f(x):
        c, ys = lax.scan(lambda c, xi: (c * xi + jnp.sin(c), c * c), 0.5, x)
        return c + ys.sum()

    def loop(x):
        return python_scan(lambda c, xi: (c * xi + jnp.sin(c), c * c), 0.5, x)

    g = lambda x: loop(x)[0] + loop(x)[1].sum()
    value, grad = jaxlite.value_and_grad(f)(X3)
    assert_close(value, g(X3))
    assert_close(grad, jaxlite.grad(g)(X3))
    vec = lambda x: lax.scan(lambda c, xi: (c * xi, jnp.sin(c + xi)), 1.0, x)[1]
    assert_close(jaxlite.jacrev(vec)(X3), jaxlite.jacfwd(vec)(X3))
    assert_close(jaxlite.hessian(f)(X3), jaxlite.hessian(g)(X3))
    assert_close(jaxlite.grad(lambda x: jaxlite.grad(f)(x).sum())(X3), jaxlite.grad(lambda x: jaxlite.grad(g)(x).sum())(X3))


def test_linearized_scan_is_a_scan():
    f = lambda x: lax.scan(lambda c, xi: (c * jnp.sin(xi), c), 1.0, x)[0]
    closed = jaxlite.make_jaxpr(jaxlite.grad(f))(X3)
    check_jaxpr(closed.jaxpr)
    assert [e.primitive.name for e in closed.jaxpr.eqns].count("scan") == 2  # forward and backward


# ---------------------------------------------------------------- while_loop


def test_while_loop_forward_mode():
    def f(x, a):
        return lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] * a + jnp.sin(c[1])), (0, x))[1]

    check_grads(f, (X3, 0.9), order=2, modes=("fwd",))
    assert_close(jaxlite.jacfwd(lambda x: f(x, 0.9))(X3),
                 jaxlite.jacfwd(lambda x: lax.fori_loop(0, 5, lambda i, c: c * 0.9 + jnp.sin(c), x))(X3))
    _, f_jvp = jaxlite.linearize(lambda x: f(x, 0.9), X3)
    assert_close(f_jvp(np.ones(3)), jaxlite.jvp(lambda x: f(x, 0.9), (X3,), (np.ones(3),))[1])


def test_fori_loop_traced_bounds_forward_mode():
    f = lambda x, n: lax.fori_loop(0, n, lambda i, c: c * jnp.cos(c), x)
    check_grads(lambda x: f(x, 4), (X3,), order=1, modes=("fwd",))
    assert_close(jaxlite.jacfwd(f)(X3, 4), jaxlite.jacfwd(lambda x: f(x, 4))(X3))


@pytest.mark.parametrize("transform", [jaxlite.grad, jaxlite.jacrev, jaxlite.hessian])
def test_while_reverse_mode_error(transform):
    f = lambda x: lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * 2.0), (0, x))[1]
    with pytest.raises(ValueError, match="Reverse-mode differentiation does not work for lax.while_loop"):
        transform(f)(1.5)


def test_while_without_float_dependence_under_grad():
    # the loop only counts: its output has no tangent, so reverse mode is fine
    def f(x):
        n = lax.while_loop(lambda i: i < 4, lambda i: i + 1, 0)
        return x * n

    assert_close(jaxlite.grad(f)(2.0), 4.0)
