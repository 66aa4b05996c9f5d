"""Regressions found in review of the tracing and autodiff core."""

import numpy as np
import pytest

import jaxlite as jl
import jaxlite.numpy as jnp


# ------------------------------------------------------------ leaked tracers


def _leak_jvp_tracer(primal):
    leaked = []
    jl.jvp(lambda x: leaked.append(x) or x, (primal,), (primal,))
    return leaked[0]


@pytest.mark.parametrize("use", [bool, float, int, complex])
def test_leaked_jvp_tracer_does_not_yield_its_concrete_value(use):
    with pytest.raises(jl.UnexpectedTracerError):
        use(_leak_jvp_tracer(1.0))


def test_leaked_jvp_tracer_as_index_raises():
    leaked = []
    jl.jvp(lambda i: leaked.append(i) or i, (1,), (0,))
    with pytest.raises(jl.UnexpectedTracerError):
        [10, 20][leaked[0]]


def test_leaked_tracer_to_numpy_says_it_leaked():
    with pytest.raises(jl.UnexpectedTracerError):
        np.asarray(_leak_jvp_tracer(1.0))


def test_live_tracer_in_wrong_context_is_not_called_leaked():
    # The closed-over tracer's transform is still running, so "after it returned" would mislead.
    def f(x):
        return jl.checkpoint(lambda z: jnp.sin(z) * x)(x)

    with pytest.raises(jl.UnexpectedTracerError, match="still running"):
        jl.grad(f)(2.0)


# ------------------------------------------------ custom rules under nested transforms


@jl.custom_jvp
def _sin_with_rule(x):
    return jnp.sin(x)


@_sin_with_rule.defjvp
def _sin_rule(primals, tangents):
    return jnp.sin(primals[0]), 2.0 * tangents[0]  # deliberately not cos: the rule must win


@jl.custom_vjp
def _sin_with_vjp(x):
    return jnp.sin(x)


_sin_with_vjp.defvjp(lambda x: (jnp.sin(x), x), lambda x, g: (2.0 * x * g,))


def test_custom_jvp_rule_used_by_outer_jvp_when_inner_jvp_has_zero_tangent():
    def g(x):
        return jl.jvp(lambda y: _sin_with_rule(x) + y, (1.0,), (1.0,))[0]

    _, t = jl.jvp(g, (0.5,), (1.0,))
    np.testing.assert_allclose(t, 2.0)


def test_custom_jvp_rule_used_by_outer_grad_through_inner_grad():
    out = jl.grad(lambda x: jl.grad(lambda y: _sin_with_rule(x) * y)(1.0))(0.5)
    np.testing.assert_allclose(out, 2.0)


def test_custom_vjp_rule_used_by_outer_grad_through_inner_grad():
    out = jl.grad(lambda x: jl.grad(lambda y: _sin_with_vjp(x) * y)(1.0))(0.5)
    np.testing.assert_allclose(out, 1.0)


def test_custom_vjp_rule_used_by_outer_grad_through_inner_jvp():
    out = jl.grad(lambda x: jl.jvp(lambda y: _sin_with_vjp(x) + y, (1.0,), (1.0,))[0])(0.5)
    np.testing.assert_allclose(out, 1.0)


# ------------------------------------------------------------ API edge cases


def test_repeated_argnums_is_an_error_not_a_silent_zero_gradient():
    with pytest.raises(ValueError, match="more than once"):
        jl.grad(lambda x, y: x * y, argnums=(0, 0))(3.0, 2.0)
    with pytest.raises(ValueError, match="more than once"):
        jl.grad(lambda x, y: x * y, argnums=(1, -1))(3.0, 2.0)


def test_grad_of_function_returning_none_names_the_problem():
    with pytest.raises(TypeError, match="scalar output, got NoneType"):
        jl.grad(lambda x: None)(2.0)


def test_linearize_returns_arrays_like_jvp_and_vjp():
    out, _ = jl.linearize(lambda x: x, 3.0)
    assert isinstance(out, jl.Array)
