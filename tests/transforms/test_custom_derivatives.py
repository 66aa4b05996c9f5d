"""custom_jvp, custom_vjp and stop_gradient."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import custom_jvp, custom_vjp, grad, jvp, lax, vjp


@custom_jvp
def log1pexp(x):
    return jnp.log1p(jnp.exp(x))


@log1pexp.defjvp
def _log1pexp_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return log1pexp(x), t * (1 - 1 / (1 + jnp.exp(x)))


def test_custom_jvp_rule_is_used_and_stays_finite():
    assert np.isclose(grad(log1pexp)(3.0), 1 / (1 + np.exp(-3.0)))
    assert grad(log1pexp)(1000.0) == 1.0  # the naive derivative would be nan
    assert np.isfinite(grad(grad(log1pexp))(2.0))


def test_custom_jvp_eagerly_and_under_make_jaxpr_runs_the_function():
    assert np.isclose(log1pexp(0.5), np.log1p(np.exp(0.5)))
    assert "log1p" in str(jaxlite.make_jaxpr(log1pexp)(0.5))


def test_custom_jvp_with_nondiff_argnums_and_defjvps():
    @custom_jvp
    def scaled(x, y):
        return x * y

    scaled.defjvps(lambda g, ans, x, y: g * 100.0, lambda g, ans, x, y: g * x)
    assert grad(scaled)(2.0, 3.0) == 100.0 and grad(scaled, argnums=1)(2.0, 3.0) == 2.0

    def power(n, x):
        return x**n

    power = custom_jvp(power, nondiff_argnums=(0,))

    @power.defjvp
    def _power_jvp(n, primals, tangents):
        (x,), (t,) = primals, tangents
        return power(n, x), n * x ** (n - 1) * t

    assert grad(lambda x: power(3, x))(2.0) == 12.0


def test_custom_jvp_rule_with_wrong_structure():
    @custom_jvp
    def f(x):
        return x

    f.defjvp(lambda primals, tangents: (primals[0], (tangents[0], tangents[0])))
    with pytest.raises(TypeError, match="tangent output with the primal output's structure"):
        jvp(f, (1.0,), (1.0,))


@custom_vjp
def clip_gradient(x):
    return x


clip_gradient.defvjp(lambda x: (x, None), lambda _, ct: (jnp.clip(ct, -1.0, 1.0),))


def test_custom_vjp_bwd_is_used():
    assert grad(lambda x: 5.0 * clip_gradient(x))(2.0) == 1.0
    assert grad(lambda x: -5.0 * clip_gradient(x))(2.0) == -1.0
    out, vjp_fn = vjp(clip_gradient, 3.0)
    assert out == 3.0 and vjp_fn(0.5)[0] == 0.5


def test_custom_vjp_residuals_and_pytrees():
    @custom_vjp
    def weighted(params, x):
        return jnp.sum(params["w"] * x)

    def fwd(params, x):
        return weighted(params, x), (params["w"], x)

    def bwd(res, ct):
        w, x = res
        return {"w": ct * x * 2}, ct * w

    weighted.defvjp(fwd, bwd)
    params, x = {"w": np.array([1.0, 2.0])}, np.array([3.0, 4.0])
    g_params, g_x = grad(weighted, argnums=(0, 1))(params, x)
    np.testing.assert_allclose(g_params["w"], 2 * x)
    np.testing.assert_allclose(g_x, params["w"])


def test_custom_vjp_errors():
    @custom_vjp
    def f(x, y):
        return x * y

    f.defvjp(lambda x, y: (x * y, (x, y)), lambda res, ct: (ct,))
    with pytest.raises(TypeError, match="one cotangent per differentiable argument"):
        grad(f)(1.0, 2.0)
    with pytest.raises(TypeError, match="forward-mode"):
        jvp(f, (1.0, 2.0), (1.0, 1.0))


def test_stop_gradient():
    assert grad(lambda x: x * lax.stop_gradient(x))(3.0) == 3.0
    assert grad(lambda x: jnp.sum(lax.stop_gradient(x) ** 2))(np.ones(2)).tolist() == [0.0, 0.0]


def test_checkpoint_recomputes_in_the_backward_pass():
    calls = []

    def block(x):
        calls.append(1)
        return jnp.sin(jnp.sin(x)) * x

    x = np.array([0.3, 1.2, -0.7])
    plain = grad(lambda v: jnp.sum(block(v)))(x)
    assert len(calls) == 1
    calls.clear()
    remat = grad(lambda v: jnp.sum(jaxlite.checkpoint(block)(v)))(x)
    assert len(calls) == 2  # once forward, once again in the backward pass
    np.testing.assert_allclose(remat, plain, rtol=1e-14)


def test_checkpoint_composes():
    f = jaxlite.checkpoint(lambda x: jnp.sum(jnp.tanh(x) ** 3))
    x = np.array([0.5, -0.25])
    from jaxlite.test_util import check_grads

    check_grads(f, (x,), order=2)
    assert np.isclose(f(x), np.sum(np.tanh(x) ** 3))
    _, t = jvp(f, (x,), (np.ones(2),))
    assert np.isclose(t, np.sum(3 * np.tanh(x) ** 2 / np.cosh(x) ** 2))
