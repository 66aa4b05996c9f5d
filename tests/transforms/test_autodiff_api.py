"""The autodiff API: jvp, linearize, vjp, grad, value_and_grad, jacfwd, jacrev, hessian."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import grad, hessian, jacfwd, jacrev, jvp, linearize, value_and_grad, vjp
from jaxlite.test_util import check_grads


def f(x):
    return jnp.sin(x) * x


def df(x):
    return np.cos(x) * x + np.sin(x)


def test_jvp_and_grad_of_a_scalar_function():
    out, tangent = jvp(f, (2.0,), (1.0,))
    assert np.isclose(out, np.sin(2.0) * 2.0) and np.isclose(tangent, df(2.0))
    assert np.isclose(grad(f)(2.0), df(2.0))


def test_third_order():
    d3 = -3 * np.sin(2.0) - 2.0 * np.cos(2.0)
    assert np.isclose(grad(grad(grad(f)))(2.0), d3)


def test_no_perturbation_confusion():
    # d/dx [x * d/dy (x + y)] = 1
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(3.0) == 1.0


def test_python_control_flow_on_values_under_grad():
    def g(x):
        if x > 0:
            return x * 3.0
        return -x

    assert grad(g)(2.0) == 3.0 and grad(g)(-2.0) == -1.0


def test_argnums_and_has_aux_and_value_and_grad():
    def h(x, y):
        return jnp.sum(jnp.tanh(x * y)), {"aux": x}

    x, y = np.array([0.5, -1.0]), np.array([2.0, 0.25])
    (value, aux), (gx, gy) = value_and_grad(h, argnums=(0, 1), has_aux=True)(x, y)
    assert np.isclose(value, np.sum(np.tanh(x * y)))
    np.testing.assert_allclose(gx, y / np.cosh(x * y) ** 2)
    np.testing.assert_allclose(gy, x / np.cosh(x * y) ** 2)
    assert np.array_equal(np.asarray(aux["aux"]), x)


def test_pytrees_of_parameters():
    params = {"w": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": np.array([0.5, -0.5])}

    def loss(p, x):
        return jnp.sum(jnp.tanh(x @ p["w"] + p["b"]) ** 2)

    grads = grad(loss)(params, np.array([0.1, 0.2]))
    assert set(grads) == {"b", "w"} and grads["w"].shape == (2, 2)
    check_grads(loss, (params, np.array([0.1, 0.2])), order=2)


def test_vjp_and_linearize_agree_with_jvp():
    x = np.array([0.3, -0.7, 1.1])
    t = np.array([1.0, 2.0, -1.0])
    out, f_jvp = linearize(lambda v: jnp.exp(v) * jnp.cos(v), x)
    _, expected = jvp(lambda v: jnp.exp(v) * jnp.cos(v), (x,), (t,))
    np.testing.assert_allclose(f_jvp(t), expected)
    _, vjp_fn = vjp(lambda v: jnp.exp(v) * jnp.cos(v), x)
    (ct,) = vjp_fn(np.ones(3))
    np.testing.assert_allclose(np.dot(ct, t), np.sum(np.asarray(expected)))


def test_jacobians_and_hessian():
    x = np.array([0.4, 1.3, -0.2])
    expected = np.diag(np.cos(x) * 2)
    np.testing.assert_allclose(jacfwd(lambda v: jnp.sin(v) * 2)(x), expected, atol=1e-15)
    np.testing.assert_allclose(jacrev(lambda v: jnp.sin(v) * 2)(x), expected, atol=1e-15)
    hess = hessian(lambda v: v[0] * v[0] * v[1] + jnp.sin(v[2]))(x)
    expected_h = np.array([[2 * x[1], 2 * x[0], 0], [2 * x[0], 0, 0], [0, 0, -np.sin(x[2])]])
    np.testing.assert_allclose(hess, expected_h, atol=1e-15)


def test_grad_is_a_traceable_program():
    printed = str(jaxlite.make_jaxpr(grad(f))(2.0))
    assert "sin" in printed and "cos" in printed and "mul" in printed


def test_grad_of_non_scalar_output_is_a_clear_error():
    with pytest.raises(TypeError, match=r"grad requires a scalar output, got f64\[3\].*jacrev"):
        grad(lambda x: x * 2)(np.ones(3))


def test_grad_of_integer_input_is_a_clear_error():
    with pytest.raises(TypeError, match="allow_int"):
        grad(lambda x: x * 2.0)(3)
    assert grad(lambda x, y: x * y, allow_int=True)(2.0, 3) == 3.0


def test_grad_of_complex_output_needs_holomorphic():
    with pytest.raises(TypeError, match="holomorphic"):
        grad(lambda x: x * 1j)(1.0)


def test_missing_rule_names_the_primitive():
    from jaxlite.core import Primitive

    mystery = Primitive("mystery")
    mystery.def_impl(lambda x: x)
    mystery.def_abstract_eval(lambda x: x)
    with pytest.raises(NotImplementedError, match="'mystery'"):
        grad(lambda x: mystery.bind(x))(1.0)


@pytest.mark.parametrize("fn", [
    lambda x: jnp.sum(jnp.exp(x) / (1 + x ** 2)),
    lambda x: jnp.sum(jnp.sqrt(x) * jnp.log(x)),
    lambda x: jnp.sum(jnp.arctan(x) + jnp.tanh(x) * jnp.cosh(x)),
    lambda x: jnp.sum(jnp.maximum(x, 0.9) * jnp.minimum(x, 1.1)),
    lambda x: jnp.sum(jnp.logaddexp(x, 2 * x) + jnp.hypot(x, 1.0)),
])
def test_elementwise_compositions_second_order(fn):
    check_grads(fn, (np.array([0.5, 1.5, 2.5]),), order=2)


def test_holomorphic_grad_and_complex_conventions():
    z = 1.0 + 2.0j
    assert np.isclose(grad(lambda z: z * z, holomorphic=True)(z), 2 * z)
    assert np.isclose(grad(lambda z: jnp.sin(z), holomorphic=True)(z), np.cos(z))
    # A real function of a complex input: JAX's convention gives the conjugate gradient.
    assert np.isclose(grad(lambda z: jnp.abs(z) ** 2)(3.0 + 4.0j), 6.0 - 8.0j)
    with pytest.raises(TypeError, match="holomorphic=True requires complex-valued inputs"):
        grad(lambda x: x * x, holomorphic=True)(1.0)


def test_jacobians_of_pytrees():
    def f(p):
        return {"y": p["a"] * p["b"][0], "z": jnp.sum(p["a"])}

    p = {"a": np.array([1.0, 2.0]), "b": (np.array(3.0),)}
    for jac in (jacfwd(f)(p), jacrev(f)(p)):
        np.testing.assert_allclose(jac["y"]["a"], 3.0 * np.eye(2))
        np.testing.assert_allclose(jac["y"]["b"][0], [1.0, 2.0])
        np.testing.assert_allclose(jac["z"]["a"], [1.0, 1.0])


def test_unused_inputs_get_zero_gradients():
    g = grad(lambda x, y: x * 2.0, argnums=(0, 1))(1.0, 5.0)
    assert g[0] == 2.0 and g[1] == 0.0


def test_integer_inputs_with_allow_int_get_zero_gradients():
    g = grad(lambda x, n: x * n, argnums=(0, 1), allow_int=True)(2.0, 3)
    assert g[0] == 3.0 and g[1] == 0
