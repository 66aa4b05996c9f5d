"""lax.cond, switch, while_loop, fori_loop, scan and map: eagerly against Python loops, their
jaxprs, and their errors. (Derivatives: test_control_flow_ad.py; vmap:
test_control_flow_batching.py; jit: tests/jit/test_jit_control_flow.py.)"""

import re

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.core import check_jaxpr
from jaxlite.core.errors import TracerBoolConversionError


def test_cond_picks_a_branch_by_pred():
    for pred, want in ((True, 6.0), (False, 2.0), (jnp.asarray(0.0), 2.0), (jnp.int32(-2), 6.0)):
        assert float(lax.cond(pred, lambda x: x * 2, lambda x: x - 1, 3.0)) == want


def test_cond_with_pytree_operands_and_no_operands():
    out = lax.cond(True, lambda d: {"s": d["a"] + d["b"]}, lambda d: {"s": d["a"] - d["b"]},
                   {"a": jnp.arange(3.0), "b": 1.0})
    np.testing.assert_array_equal(out["s"], [1.0, 2.0, 3.0])
    assert float(lax.cond(False, lambda: 1.0, lambda: 2.0)) == 2.0


@pytest.mark.parametrize("index, want", [(-5, 0), (0, 0), (1, 1), (2, 2), (7, 2)])
def test_switch_clamps_the_index(index, want):
    branches = [lambda x, k=k: x + 10 * k for k in range(3)]
    assert float(lax.switch(index, branches, 1.0)) == 1.0 + 10 * want


def test_switch_with_one_branch_calls_it():
    assert float(lax.switch(3, [lambda x: x * 3], 2.0)) == 6.0


def test_closed_over_arrays_become_operands():
    w = jnp.arange(3.0)
    jaxpr = jaxlite.make_jaxpr(lambda p, x: lax.cond(p, lambda x: x * w, lambda x: x + w, x))(True, jnp.ones(3))
    check_jaxpr(jaxpr.jaxpr)
    (eqn,) = [e for e in jaxpr.jaxpr.eqns if e.primitive.name == "cond"]
    assert len(eqn.invars) == 1 + 2 + 1  # index, each branch's constant, the operand
    np.testing.assert_array_equal(jaxpr(True, jnp.ones(3))[0], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(jaxpr(False, jnp.ones(3))[0], [1.0, 2.0, 3.0])


def test_while_loop_matches_a_python_loop():
    def cond_fun(c):
        return c[0] < 10

    def body_fun(c):
        i, x = c
        return i + 1, x * 1.5 + i

    i, x = 0, 1.0
    while i < 10:
        i, x = i + 1, x * 1.5 + i
    got = lax.while_loop(cond_fun, body_fun, (0, 1.0))
    assert int(got[0]) == 10 and float(got[1]) == pytest.approx(x, rel=1e-15)


def test_while_loop_that_never_runs_returns_the_initial_value():
    x = jnp.arange(3.0)
    out = lax.while_loop(lambda c: False, lambda c: c * 2, x)
    np.testing.assert_array_equal(out, x)


@pytest.mark.parametrize("lower, upper", [(0, 5), (2, 7), (5, 5), (6, 3)])
def test_fori_loop_with_concrete_and_traced_bounds(lower, upper):
    def body(i, acc):
        return acc * 2 + i

    want = 1.0
    for i in range(lower, upper):
        want = want * 2 + i
    assert float(lax.fori_loop(lower, upper, body, 1.0)) == want
    traced = jaxlite.jit(lambda lo, hi: lax.fori_loop(lo, hi, body, 1.0))
    assert float(traced(lower, upper)) == want


def test_fori_loop_is_a_scan_with_concrete_bounds_and_a_while_with_traced_ones():
    def names(jaxpr):
        return [e.primitive.name for e in jaxpr.jaxpr.eqns]

    assert "scan" in names(jaxlite.make_jaxpr(lambda x: lax.fori_loop(0, 3, lambda i, v: v + i, x))(1.0))
    assert "while" in names(jaxlite.make_jaxpr(lambda x, n: lax.fori_loop(0, n, lambda i, v: v + i, x))(1.0, 3))


def _python_scan(f, init, xs, reverse=False):
    carry, ys = init, []
    order = range(len(xs) - 1, -1, -1) if reverse else range(len(xs))
    for i in order:
        carry, y = f(carry, xs[i])
        ys.append(y)
    return carry, np.array(ys[::-1] if reverse else ys)


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_matches_a_python_loop(reverse):
    xs = np.random.default_rng(0).standard_normal((6, 3))

    def f(c, x):
        return c * 0.5 + x, (c * x).sum()

    carry, ys = lax.scan(f, jnp.zeros(3), jnp.asarray(xs), reverse=reverse)
    want_carry, want_ys = _python_scan(lambda c, x: (c * 0.5 + x, (c * x).sum()), np.zeros(3), xs, reverse)
    np.testing.assert_allclose(carry, want_carry, rtol=1e-15)
    np.testing.assert_allclose(ys, want_ys, rtol=1e-15)


def test_scan_with_pytrees_length_and_none_ys():
    carry, ys = lax.scan(lambda c, _: ({"n": c["n"] + 1, "v": c["v"] * 2}, None), {"n": 0, "v": 1.0}, None, length=4)
    assert int(carry["n"]) == 4 and float(carry["v"]) == 16.0 and ys is None
    carry, (a, b) = lax.scan(lambda c, x: (c + x[0], (x[1] * 2, x[0])), 0.0, (jnp.arange(3.0), jnp.ones((3, 2))))
    assert float(carry) == 3.0
    np.testing.assert_array_equal(a, 2 * np.ones((3, 2)))
    np.testing.assert_array_equal(b, [0.0, 1.0, 2.0])


def test_scan_of_length_zero():
    carry, ys = lax.scan(lambda c, x: (c + x, c * x), 1.0, jnp.zeros((0,)))
    assert float(carry) == 1.0 and ys.shape == (0,)


def test_map_with_and_without_batch_size():
    xs = jnp.arange(7.0)
    want = np.arange(7.0) ** 2 + 1
    np.testing.assert_array_equal(lax.map(lambda x: x ** 2 + 1, xs), want)
    np.testing.assert_array_equal(lax.map(lambda x: x ** 2 + 1, xs, batch_size=3), want)


def test_weak_initial_carry_takes_the_body_dtype():
    out = lax.fori_loop(0, 3, lambda i, v: v + jnp.float32(1.5), 0.0)
    assert out.dtype == np.float32 and float(out) == 4.5
    carry, _ = lax.scan(lambda c, x: (c * x, None), 1, jnp.full(3, 2.0, jnp.float32))
    assert carry.dtype == np.float32 and float(carry) == 8.0


def test_python_control_flow_on_a_loop_value_is_a_clear_error():
    with pytest.raises(TracerBoolConversionError):
        lax.fori_loop(0, 3, lambda i, v: v + 1 if v > 0 else v, 1.0)


# ---------------------------------------------------------------- errors


def test_a_body_that_changes_a_carry_type_names_the_carry():
    with pytest.raises(TypeError, match=re.escape("init_val['b']: input f64[3], output f64[4]")):
        lax.fori_loop(0, 2, lambda i, c: {"a": c["a"], "b": jnp.zeros(4)}, {"a": 1.0, "b": jnp.zeros(3)})
    with pytest.raises(TypeError, match=re.escape("carry[1]: input i64[], output f64[]")):
        lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * 0.5), (0, jnp.int64(4)))
    with pytest.raises(TypeError, match="carry: input f32.*output f64"):
        lax.scan(lambda c, x: (c + x, None), jnp.float32(0), jnp.arange(3.0))


def test_a_body_that_changes_the_carry_structure_is_a_type_error():
    with pytest.raises(TypeError, match="same structure"):
        lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1,), (0, 1.0))


def test_branches_must_agree():
    with pytest.raises(TypeError, match="branch 0 returns .* branch 1 returns"):
        lax.cond(True, lambda x: x, lambda x: x.astype(jnp.float32), 1.0)
    with pytest.raises(TypeError, match="branch 0 returns .* branch 1 returns"):
        lax.cond(True, lambda x: (x, x), lambda x: x, 1.0)


def test_bad_predicates_and_indices():
    with pytest.raises(TypeError, match="pred must be a scalar"):
        lax.cond(jnp.ones(2), lambda: 1.0, lambda: 2.0)
    with pytest.raises(TypeError, match="index must be an integer scalar"):
        lax.switch(1.5, [lambda: 1.0, lambda: 2.0])
    with pytest.raises(TypeError, match="cond_fun must return a boolean scalar"):
        lax.while_loop(lambda c: c, lambda c: c - 1, 3.0)
    with pytest.raises(TypeError, match="lower must be an integer scalar"):
        lax.fori_loop(0.5, 3, lambda i, v: v, 1.0)


def test_scan_length_errors():
    with pytest.raises(ValueError, match="must agree on the scan length"):
        lax.scan(lambda c, x: (c, x), 0.0, (jnp.zeros(3), jnp.zeros(4)))
    with pytest.raises(ValueError, match="must agree on the scan length"):
        lax.scan(lambda c, x: (c, x), 0.0, jnp.zeros(3), length=5)
    with pytest.raises(ValueError, match="pass length="):
        lax.scan(lambda c, x: (c, x), 0.0, None)
    with pytest.raises(TypeError, match="must return a pair"):
        lax.scan(lambda c, x: c, 0.0, jnp.zeros(3))


def test_jaxprs_print_and_check():
    def f(x):
        y = lax.cond(x > 0, lambda v: v * 2, lambda v: v - 1, x)
        z = lax.while_loop(lambda c: c < 100.0, lambda c: c * 3, y)
        return lax.scan(lambda c, t: (c + t, c), z, jnp.arange(3.0))

    closed = jaxlite.make_jaxpr(f)(1.0)
    check_jaxpr(closed.jaxpr)
    text = str(closed)
    for name in ("cond[branches=(", "while[cond_jaxpr=", "scan[jaxpr=", "num_carry=1", "length=3"):
        assert name in text
    carry, ys = closed(1.0)
    want_carry, want_ys = f(1.0)
    assert float(carry) == float(want_carry)
    np.testing.assert_array_equal(ys, want_ys)
