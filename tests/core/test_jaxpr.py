"""The jaxpr: JAX's printed format, constants and literals, type checking, evaluation."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.core import (
    Eqn,
    Jaxpr,
    JaxprTypeError,
    Literal,
    ShapedArray,
    Var,
    check_jaxpr,
    eval_jaxpr,
)


def text(f, *args, **kwargs):
    return str(jaxlite.make_jaxpr(f, **kwargs)(*args))


def test_one_line_when_short():
    assert text(lambda x: jnp.sin(x), np.ones(3)) == "{ lambda ; a:f64[3]. let b:f64[3] = sin a in (b,) }"


def test_sum_of_sin_prints_like_jax():
    # 86 columns on one line, so one equation a line (JAX's printer also breaks past 80).
    expected = (
        "{ lambda ; a:f64[3]. let\n"
        "    b:f64[3] = sin a\n"
        "    c:f64[] = reduce_sum[axes=(0,)] b\n"
        "  in (c,) }"
    )
    assert text(lambda x: jnp.sum(jnp.sin(x)), np.ones(3)) == expected


def test_one_equation_a_line_when_long():
    expected = (
        "{ lambda ; a:f32[2,3] b:i8[3]. let\n"
        "    c:f32[3] = convert_element_type[new_dtype=float32 weak_type=False] b\n"
        "    d:f32[2,3] = broadcast_in_dim[shape=(2, 3) broadcast_dimensions=(1,)] c\n"
        "    e:f32[2,3] = mul a d\n"
        "  in (e,) }"
    )
    assert text(jnp.multiply, np.ones((2, 3), np.float32), np.ones(3, np.int8)) == expected


def test_scalar_literals_inline_with_their_dtype():
    assert text(lambda x: x * 2.5, np.ones(3, np.float32)) == (
        "{ lambda ; a:f32[3]. let b:f32[3] = mul a 2.5:f32[] in (b,) }"
    )
    assert text(lambda x: x == 2, np.ones(3, np.int8)) == "{ lambda ; a:i8[3]. let b:bool[3] = eq a 2:i8[] in (b,) }"


def test_array_constants_are_hoisted_as_constvars():
    const = np.arange(3.0)
    closed = jaxlite.make_jaxpr(lambda x: x + const)(np.ones(3))
    assert str(closed) == "{ lambda a:f64[3]; b:f64[3]. let c:f64[3] = add b a in (c,) }"
    assert len(closed.consts) == 1 and np.shares_memory(np.asarray(closed.consts[0]), const)


def test_pytrees_in_and_out_and_the_result_attributes():
    def f(params, x):
        return {"y": params["w"] * x, "z": (x, params["b"])}

    closed = jaxlite.make_jaxpr(f)({"w": np.ones(2), "b": np.float32(1)}, np.ones(2))
    assert [a.str_short() for a in closed.in_avals] == ["f32[]", "f64[2]", "f64[2]"]
    assert [a.str_short() for a in closed.out_avals] == ["f64[2]", "f64[2]", "f32[]"]
    assert isinstance(closed.jaxpr, Jaxpr) and closed.consts == []


def test_static_argnums_and_argnames():
    def f(x, n, *, power):
        return x * n**power

    closed = jaxlite.make_jaxpr(f, static_argnums=1, static_argnames="power")(np.ones(2), 3, power=2)
    assert str(closed) == (
        "{ lambda ; a:f64[2]. let b:f64[2] = mul a 9.0:f64[] in (b,) }"
    )


def test_python_scalar_arguments_are_weakly_typed():
    closed = jaxlite.make_jaxpr(lambda x: x * 2)(3.0)
    assert closed.in_avals == [ShapedArray((), np.float64, weak_type=True)]
    assert closed.out_avals[0].weak_type


def test_no_equations_and_no_outputs():
    assert text(lambda x: x, np.ones(2)) == "{ lambda ; a:f64[2]. let  in (a,) }"
    assert text(lambda x: (), np.ones(2)) == "{ lambda ; a:f64[2]. let  in () }"


def test_variable_names_continue_past_z():
    def f(x):
        for _ in range(30):
            x = jnp.sin(x)
        return x

    printed = text(f, np.ones(1))
    assert "ba:f64[1] = sin z" in printed and "be:f64[1] = sin bd" in printed


def test_multiple_results_print_on_the_left():
    printed = text(lambda x, i: lax.sort((x, i), num_keys=1), np.ones(3), np.arange(3))
    assert "c:f64[3] d:i64[3] = sort[dimension=0 is_stable=True num_keys=1] a b" in printed


def test_eval_jaxpr_reproduces_the_function():
    def f(x, y):
        return jnp.tanh(x @ y).sum(axis=0) + 1

    x, y = np.random.default_rng(0).normal(size=(2, 4, 4))
    closed = jaxlite.make_jaxpr(f)(x, y)
    (out,) = eval_jaxpr(closed.jaxpr, closed.consts, x, y)
    np.testing.assert_allclose(np.asarray(out), np.tanh(x @ y).sum(axis=0) + 1, rtol=1e-13)
    assert check_jaxpr(closed.jaxpr)


def test_check_jaxpr_rejects_wrong_types_and_undefined_variables():
    a, b = Var(ShapedArray((3,), np.float64)), Var(ShapedArray((3,), np.float32))
    bad_type = Jaxpr([], [a], [b], [Eqn(lax.PRIMITIVES["sin"], [a], [b], {})])
    with pytest.raises(JaxprTypeError, match="its rule gives types f64"):
        check_jaxpr(bad_type)
    c = Var(ShapedArray((3,), np.float64))
    undefined = Jaxpr([], [a], [c], [Eqn(lax.PRIMITIVES["add"], [a, b], [c], {})])
    with pytest.raises(JaxprTypeError, match="used before it is defined"):
        check_jaxpr(undefined)
    literal = Jaxpr([], [a], [c], [Eqn(lax.PRIMITIVES["mul"], [a, Literal(np.float64(2), ShapedArray((), np.float64))], [c], {})])
    assert check_jaxpr(literal)


def test_jaxpr_of_a_jaxpr_evaluation_is_the_same_program():
    def f(x):
        return jnp.exp(-x * x).sum()

    closed = jaxlite.make_jaxpr(f)(np.ones(4))
    again = jaxlite.make_jaxpr(lambda x: eval_jaxpr(closed.jaxpr, closed.consts, x)[0])(np.ones(4))
    assert str(again) == str(closed)
