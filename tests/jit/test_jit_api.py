"""The jit API: decorator forms, static arguments, pytrees, when it traces again, weak-typed
Python scalars, lower().as_text(), compile logging, methods, compositions with grad and vmap,
nested jit, closed-over arrays, aliasing and errors.

Traces are counted with a side effect in the jitted function (Python runs only while tracing).
Each new signature is a Numba compile, so the functions here are small and shared.
"""

import functools
import logging
from collections import namedtuple

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from helpers import assert_like_numpy
from jaxlite import grad, jit, make_jaxpr, vmap
from jaxlite.core import Array

RNG = np.random.default_rng(0)


def randn(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


class Counted:
    """f with a count of its traces."""

    def __init__(self, f):
        self.f, self.traces = f, 0
        functools.update_wrapper(self, f)

    def __call__(self, *args, **kwargs):
        self.traces += 1
        return self.f(*args, **kwargs)


def affine(x, y):
    return x * 2.0 + y


# ---------------------------------------------------------------- decorator forms


@jit
def plain(x):
    return jnp.sin(x) + 1.0


@functools.partial(jit, static_argnums=1)
def power(x, n):
    return x ** n


@jit(static_argnames="axis")
def total(x, axis=None):
    return jnp.sum(x, axis=axis)


def test_decorator_forms():
    x = randn(3)
    assert_like_numpy(plain(x), np.sin(x) + 1.0)
    assert_like_numpy(power(x, 3), x ** 3)
    assert_like_numpy(total(x.reshape(3, 1), axis=0), x.reshape(3, 1).sum(axis=0))
    assert_like_numpy(jit(affine)(x, x), x * 2.0 + x)
    assert plain.__name__ == "plain" and "plain" in repr(plain)


def test_jit_of_a_non_callable_is_a_type_error():
    with pytest.raises(TypeError, match="expected a function"):
        jit(3)


def test_donate_argnums_is_accepted():
    x = randn(3)
    assert_like_numpy(jit(affine, donate_argnums=0)(x, x), x * 2.0 + x)


# ---------------------------------------------------------------- static arguments


def test_static_argnums_retrace_per_value_only():
    f = Counted(lambda x, n: x * n)
    g = jit(f, static_argnums=(1,))
    x = randn(4)
    assert_like_numpy(g(x, 2), x * 2)
    assert_like_numpy(g(x, 2), x * 2)
    assert f.traces == 1
    assert_like_numpy(g(x, 3), x * 3)
    assert f.traces == 2
    g(x, 2)  # seen before
    assert f.traces == 2


def test_static_argnames_given_positionally_or_by_keyword():
    f = Counted(lambda x, mode: x + 1.0 if mode == "up" else x - 1.0)
    g = jit(f, static_argnames="mode")
    x = randn(2)
    assert_like_numpy(g(x, mode="up"), x + 1.0)
    assert_like_numpy(g(x, "down"), x - 1.0)
    assert_like_numpy(g(x, mode="up"), x + 1.0)
    assert_like_numpy(g(x, "down"), x - 1.0)
    assert f.traces == 2


def test_static_argnums_may_be_negative():
    f = Counted(lambda x, n: x * n)
    g = jit(f, static_argnums=-1)
    assert_like_numpy(g(np.ones(2), 5), np.full(2, 5.0))
    assert_like_numpy(g(np.ones(2), 6), np.full(2, 6.0))
    assert f.traces == 2  # n is static: one trace per value


def test_static_argnum_passed_by_keyword_is_static():
    def scale(x, n):
        if n > 2:  # a Python branch on n: fails unless n is static
            return x * n
        return x

    f = Counted(scale)
    g = jit(f, static_argnums=1)
    assert_like_numpy(g(np.ones(2), n=3), np.full(2, 3.0))
    assert_like_numpy(g(np.ones(2), n=3), np.full(2, 3.0))
    assert_like_numpy(g(np.ones(2), n=1), np.ones(2))
    assert f.traces == 2


@pytest.mark.parametrize("bad", [[1, 2], {"a": 1}, np.arange(3)], ids=["list", "dict", "ndarray"])
def test_unhashable_static_argument_is_a_clear_type_error(bad):
    g = jit(lambda x, n: x, static_argnums=1)
    with pytest.raises(TypeError, match="static arguments must be hashable"):
        g(np.ones(2), bad)


def test_non_array_argument_asks_for_static_argnums():
    with pytest.raises(TypeError, match="static_argnums"):
        jit(lambda x, s: x)(np.ones(2), "a string")


# ---------------------------------------------------------------- pytrees


Pair = namedtuple("Pair", ["a", "b"])


def test_pytrees_in_and_out():
    def f(params, batch):
        w, b = params["w"], params["b"]
        y = batch.a @ w + b
        return {"y": y, "stats": (jnp.mean(y), [jnp.max(y), None])}

    params = {"w": randn(3, 2), "b": randn(2)}
    batch = Pair(randn(4, 3), randn(4))
    got = jit(f)(params, batch)
    y = batch.a @ params["w"] + params["b"]
    assert set(got) == {"y", "stats"} and got["stats"][1][1] is None
    assert_like_numpy(got["y"], y)
    assert_like_numpy(got["stats"][0], np.mean(y))
    assert_like_numpy(got["stats"][1][0], np.max(y))


def test_pytree_structure_change_retraces():
    f = Counted(lambda t: sum(jnp.sum(v) for v in t))
    g = jit(f)
    g((np.ones(2), np.ones(2)))
    g((np.zeros(2), np.ones(2)))
    assert f.traces == 1
    assert_like_numpy(g([np.ones(2)] * 3), np.array(6.0))
    assert f.traces == 2


def test_keyword_arguments_are_traced():
    f = Counted(affine)
    g = jit(f)
    x = randn(3)
    assert_like_numpy(g(x, y=x), x * 2.0 + x)
    assert_like_numpy(g(x, y=-x), x * 2.0 - x)
    assert f.traces == 1


# ---------------------------------------------------------------- retracing


def test_retraces_on_shape_or_dtype_change_only():
    f = Counted(lambda x: x * 2.0 + 1.0)
    g = jit(f)
    x = randn(5)
    for value in (x, x + 1, Array(x), jnp.asarray(x)):  # new values, same signature
        assert_like_numpy(g(value), np.asarray(value) * 2.0 + 1.0)
    assert f.traces == 1
    g(randn(6))
    assert f.traces == 2
    g(randn(5).astype(np.float32))
    assert f.traces == 3
    g(randn(5, 1))
    assert f.traces == 4
    g(x)  # each signature is remembered
    assert f.traces == 4


def test_python_scalars_are_weak_and_traced_not_baked_in():
    f = Counted(lambda x, s: x * s)
    g = jit(f)
    x = randn(3, dtype=np.float32)
    out = g(x, 2.5)
    assert_like_numpy(out, x * np.float32(2.5))  # a weak scalar keeps float32
    assert_like_numpy(g(x, -1.0), -x)  # another value: same trace
    assert f.traces == 1
    assert_like_numpy(g(x, np.float64(2.5)), x * np.float64(2.5))  # a strong float64: promotes
    assert f.traces == 2
    assert_like_numpy(g(x, 3), x * np.float32(3))  # a Python int: a new (weak int) signature
    assert f.traces == 3


def test_weak_types_follow_eager_promotion():
    cases = [
        (np.arange(3, dtype=np.int8), 3),
        (np.arange(3, dtype=np.int8), 2.5),
        (np.arange(3, dtype=np.uint16), True),
        (np.ones(3, np.float32), 1j),
        (np.ones(3, np.complex64), 2.0),
    ]
    g = jit(lambda x, s: x * s + s)
    for x, s in cases:
        want = np.asarray(x * s + s)
        assert_like_numpy(g(x, s), want, err_msg=f"{x.dtype} * {type(s).__name__}")


# ---------------------------------------------------------------- lower and as_text


def test_lower_shows_the_jaxpr_and_the_generated_code():
    def f(x, y):
        return jnp.tanh(x) @ y

    lowered = jit(f).lower(randn(2, 3), randn(3))
    text = lowered.as_text()
    assert text == str(lowered)
    jaxpr, rest = text.split("# optimised jaxpr")
    assert "tanh" in jaxpr and "dot_general" in jaxpr and "f64[2,3]" in jaxpr
    assert "@numba.njit" in rest and "def run(" in rest and "def kernel_0(" in rest
    assert "run by NumPy" not in rest
    # lower does not run anything, and compile() gives what a call runs
    executable = lowered.compile()
    (out,) = executable(randn(2, 3), np.ones(3))
    assert out.shape == (2,)


def test_lower_names_primitives_left_to_numpy():
    x = np.array([3.0, 1.0, 2.0], np.float16)  # Numba has no float16
    text = jit(lambda x: jnp.sort(x) * 2).lower(x).as_text()
    assert "# run by NumPy between compiled kernels" in text and "sort" in text.split("# run by NumPy")[1]


# ---------------------------------------------------------------- compile logging


@pytest.fixture
def log_compiles():
    jaxlite.config.update("jaxlite_log_compiles", True)
    yield
    jaxlite.config.update("jaxlite_log_compiles", False)


def test_compile_log_names_the_changed_argument(log_compiles, caplog):
    def scaled(x, y):
        return x * y

    g = jit(scaled)
    with caplog.at_level(logging.WARNING, logger="jaxlite"):
        g(np.ones(3), np.ones(3))
        g(np.ones(3), np.ones(3))  # cached: no message
        g(np.ones(3), np.ones(4, np.float32)[:3])
    messages = [r.getMessage() for r in caplog.records if r.name == "jaxlite"]
    assert len(messages) == 2, messages
    assert "jit(scaled)" in messages[0] and "first call" in messages[0]
    assert "args[1]" in messages[1] and "f64[3] -> f32[3]" in messages[1]
    assert "args[0]" not in messages[1].split("because:")[1]


def test_compile_log_names_a_changed_static_value(log_compiles, caplog):
    g = jit(lambda x, n: x * n, static_argnums=1)
    with caplog.at_level(logging.WARNING, logger="jaxlite"):
        g(np.ones(2), 2)
        g(np.ones(2), 3)
    reason = caplog.records[-1].getMessage().split("because:")[1]
    assert "2 -> 3" in reason


def test_no_compile_log_by_default(caplog):
    with caplog.at_level(logging.WARNING, logger="jaxlite"):
        jit(lambda x: x + 1.0)(np.ones(2))
    assert not [r for r in caplog.records if r.name == "jaxlite"]


# ---------------------------------------------------------------- methods


class Scaler:
    def __init__(self, factor):
        self.factor = factor

    @functools.partial(jit, static_argnums=0)
    def apply(self, x):
        return x * self.factor

    @jit
    def unmarked(self, x):
        return x * self.factor


def test_jit_of_a_method_with_static_self():
    x = randn(3)
    assert_like_numpy(Scaler(2.0).apply(x), x * 2.0)
    assert_like_numpy(Scaler(3.0).apply(x), x * 3.0)  # another instance: another trace
    assert_like_numpy(Scaler.apply(Scaler(4.0), x), x * 4.0)


def test_jit_of_a_method_with_a_non_array_self_asks_for_static():
    with pytest.raises(TypeError, match="static_argnums"):
        Scaler(2.0).unmarked(randn(3))


# ---------------------------------------------------------------- compositions


def loss(w, x):
    return jnp.sum(jnp.tanh(x @ w) ** 2)


def loss_grad_np(w, x):
    t = np.tanh(x @ w)
    return x.T @ (2 * t * (1 - t ** 2))


def _has_jit_eqn(closed):
    return any(e.primitive.name == "jit" for e in closed.eqns)


def test_grad_of_jit():
    w, x = randn(3), randn(4, 3)
    assert_like_numpy(grad(jit(loss))(w, x), loss_grad_np(w, x), rtol=1e-12)
    assert _has_jit_eqn(make_jaxpr(grad(jit(loss)))(w, x)), "the derivative is no longer jitted"


def test_jit_of_grad():
    w, x = randn(3), randn(4, 3)
    g = jit(grad(loss))
    assert_like_numpy(g(w, x), loss_grad_np(w, x), rtol=1e-12)
    assert "run by NumPy" not in g.lower(w, x).as_text()


def test_vmap_of_jit():
    w, xs = randn(3), randn(5, 4, 3)
    got = vmap(jit(loss), in_axes=(None, 0))(w, xs)
    assert_like_numpy(got, np.array([np.sum(np.tanh(x @ w) ** 2) for x in xs]), rtol=1e-12)
    assert _has_jit_eqn(make_jaxpr(vmap(jit(loss), in_axes=(None, 0)))(w, xs))


def test_jit_of_vmap_of_grad():
    w, xs = randn(3), randn(5, 4, 3)
    per_example = jit(vmap(grad(loss), in_axes=(None, 0)))
    assert_like_numpy(per_example(w, xs), np.stack([loss_grad_np(w, x) for x in xs]), rtol=1e-12)


def test_grad_of_jit_with_static_argument():
    g = grad(jit(lambda x, n: jnp.sum(x ** n), static_argnums=1))
    x = randn(3)
    assert_like_numpy(g(x, 3), 3 * x ** 2, rtol=1e-12)


# ---------------------------------------------------------------- nested jit, closures


def test_nested_jit_is_one_equation_and_inlined_when_compiled():
    inner = jit(lambda x: jnp.exp(x) * 2.0)

    @jit
    def outer(x):
        return inner(x) + inner(x + 1.0)

    x = randn(4)
    assert_like_numpy(outer(x), np.exp(x) * 2.0 + np.exp(x + 1.0) * 2.0)
    closed = make_jaxpr(outer.__wrapped__)(x)
    assert [e.primitive.name for e in closed.eqns].count("jit") == 2
    text = outer.lower(x).as_text()
    optimised = text.split("# optimised jaxpr")[1].split("# generated code")[0]
    generated = text.split("# generated code")[1]
    assert "jit" not in optimised and "exp" in optimised
    assert "numpy_eqn" not in generated and generated.count("def kernel_") == 1


def test_closed_over_arrays_are_arguments_not_literals():
    table = np.full(1000, 123.456)
    g = jit(lambda x: x + table)
    x = randn(1000)
    assert_like_numpy(g(x), x + table)
    lowered = g.lower(x)
    assert len(lowered.consts) == 1 and len(lowered.jaxpr.invars) == 2
    assert "123.456" not in lowered.as_text().split("# generated code")[1]


def test_closed_over_scalar_constant():
    c = np.float32(0.5)
    assert_like_numpy(jit(lambda x: x * c)(np.ones(2, np.float32)), np.full(2, 0.5, np.float32))


# ---------------------------------------------------------------- results never alias inputs


@pytest.mark.parametrize("f", [
    lambda x: x, lambda x: (x, x), lambda x: x.reshape(2, 3), lambda x: {"a": x, "b": [x]},
    lambda x: jnp.transpose(x.reshape(2, 3), (0, 1)), lambda x: x[:],
], ids=["identity", "twice", "reshape", "pytree", "identity-transpose", "full-slice"])
def test_outputs_never_alias_inputs_or_each_other(f):
    x = np.arange(6.0)
    outs = jaxlite.tree_util.tree_leaves(jit(f)(Array(x)))
    buffers = [np.asarray(o) for o in outs]
    for i, b in enumerate(buffers):
        assert b.flags.writeable
        assert not np.shares_memory(b, x)
        assert not any(np.shares_memory(b, other) for other in buffers[i + 1:])
    buffers[0].reshape(-1)[0] = 99.0
    assert x[0] == 0.0


def test_repeated_calls_give_fresh_outputs():
    g = jit(lambda x: x + 1.0)
    x = Array(np.zeros(3))
    a, b = g(x), g(x)  # the second call takes the fast path
    assert not np.shares_memory(np.asarray(a), np.asarray(b))


# ---------------------------------------------------------------- errors


def test_python_if_on_a_traced_value_is_a_tracer_bool_conversion_error():
    def f(x):
        if jnp.sum(x) > 0:
            return x
        return -x

    with pytest.raises(jaxlite.TracerBoolConversionError):
        jit(f)(np.ones(3))


def test_int_of_a_traced_value_is_a_concretization_error():
    with pytest.raises(jaxlite.ConcretizationTypeError):
        jit(lambda x: jnp.zeros(int(x[0])))(np.ones(3))


def test_leaked_tracer_is_caught():
    leaked = []
    jit(lambda x: leaked.append(x) or x)(np.ones(2))
    with pytest.raises(jaxlite.UnexpectedTracerError):
        leaked[0] + 1.0
