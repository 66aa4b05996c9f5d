"""vmap of cond, switch, while_loop, fori_loop, scan and map: each batched result against the
per-example results (the eager Python-loop implementations, or NumPy) stacked; traced runs
type-check the batched jaxprs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite.numpy as jnp
from helpers import assert_like_numpy, traced
from jaxlite import grad, jit, jvp, lax, make_jaxpr, tree_util, vmap

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape)


def per_example(f, args, in_axes, size, out_axes=0):
    """The reference: f on each example (flat args, int/None axes), leaves stacked at out_axes
    (an int, or one per output leaf)."""
    outs = []
    for i in range(size):
        outs.append(f(*[a if ax is None else np.take(a, i, axis=ax) for a, ax in zip(args, in_axes)]))
    leaves = [tree_util.tree_leaves(o) for o in outs]
    axes = out_axes if isinstance(out_axes, list) else [out_axes] * len(leaves[0])
    return [np.stack([np.asarray(ls[k]) for ls in leaves], axis=ax) for k, ax in enumerate(axes)]


def check_vmap(f, args, in_axes, out_axes=0):
    """vmap(f), eagerly and traced (type-checking the jaxpr), equals f per example, stacked;
    out_axes: an int, or one per output leaf."""
    size = next(np.shape(a)[ax] for a, ax in zip(args, in_axes) if ax is not None)
    want = per_example(f, args, in_axes, size, out_axes)
    vf = vmap(lambda *a: tree_util.tree_leaves(f(*a)), in_axes=tuple(in_axes), out_axes=out_axes)
    for name, run in (("eager", vf), ("traced", traced(vf))):
        got = run(*args)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_like_numpy(g, w, err_msg=f"{name}:")
    return want


def batch_arg(shape, axis, n, scale=1.0):
    """A random value of per-example `shape`, with a batch axis of size n at `axis` (None: none)."""
    shape = list(shape)
    if axis is not None:
        shape.insert(axis, n)
    return randn(*shape) * scale


def some_batched(n, draw):
    axes = [draw() for _ in range(n)]
    return axes if any(a is not None for a in axes) else [0] + axes[1:]


# ---------------------------------------------------------------- cond and switch


def two_branch(p, x, y):
    return lax.cond(p, lambda a, b: (jnp.sin(a) * b, a + 1.0), lambda a, b: (a - b, jnp.cos(a)), x, y)


@pytest.mark.parametrize("p_axis,x_axis,y_axis", [
    (0, 0, 0), (0, None, None), (None, 0, None), (None, None, 1), (0, 1, None), (None, 1, 0),
])
def test_cond_batched_and_unbatched_predicate_and_operands(p_axis, x_axis, y_axis):
    p = np.array([True, False, True, False])
    x, y = randn(4, 4), randn(4, 4)
    if p_axis is None:
        p = np.bool_(True)
    check_vmap(two_branch, [p, x, y], [p_axis, x_axis, y_axis])
    if p_axis is None:
        check_vmap(two_branch, [np.bool_(False), x, y], [None, x_axis, y_axis])


def test_cond_unbatched_predicate_keeps_unbatched_outputs_unbatched():
    """Only the union of the branches' batched outputs is batched: out_axes=None works for
    the rest."""

    def f(x, c):
        return lax.cond(c > 0, lambda a: (a * 2.0, c + 1.0), lambda a: (a, c), x)

    x = randn(3, 2)
    out = vmap(f, in_axes=(0, None), out_axes=(0, None))(x, np.float64(1.5))
    assert_like_numpy(out[0], x * 2.0)
    assert_like_numpy(out[1], np.float64(2.5))


def test_cond_output_batched_in_one_branch_only():
    def f(x):
        return lax.cond(x[0] > 0, lambda a: jnp.zeros(2), lambda a: a * 3.0, x)

    check_vmap(f, [randn(5, 2)], [0])
    check_vmap(lambda x: lax.cond(True, lambda a: jnp.zeros(2), lambda a: a, x), [randn(5, 2)], [0])
    # a branch giving back its operand or a Python constant, with a batched predicate
    p = np.array([True, False])
    check_vmap(lambda p, x: lax.cond(p, lambda a: a, lambda a: 1.5, x), [p, np.float64(2.0)], [0, None])


def test_cond_integer_predicate_and_integer_outputs():
    def f(n, k):
        return lax.cond(n % 3, lambda a: a * 2, lambda a: a - 7, k)

    check_vmap(f, [np.arange(6), np.arange(6, 12)], [0, 0])


@pytest.mark.parametrize("index_axis,x_axis", [(0, 0), (0, None), (None, 0)])
def test_switch_batched_index_clamps_out_of_range(index_axis, x_axis):
    branches = [lambda a: jnp.sin(a), lambda a: a * a, lambda a: -a]
    index = np.array([-2, 0, 1, 2, 3, 7], dtype=np.int32)
    x = randn(6, 3)
    if index_axis is None:
        index = np.int32(5)
    check_vmap(lambda i, a: lax.switch(i, branches, a), [index, x], [index_axis, x_axis])


def test_cond_closure_captured_batched_consts():
    def f(w, x):
        return lax.cond(x > 0, lambda a: jnp.sum(a * w), lambda a: a + jnp.sum(w), x)

    w, x = randn(4, 3), randn(4)
    check_vmap(f, [w, x], [0, 0])
    check_vmap(f, [w, np.float64(0.3)], [0, None])
    check_vmap(f, [w.T.copy(), x], [1, 0])


def test_cond_pytree_operands_and_results():
    def f(p, tree):
        def yes(t):
            return {"s": t["a"] * t["b"][0], "v": t["b"][1] + 1.0}

        def no(t):
            return {"s": t["b"][0] - t["a"], "v": t["b"][1] * t["a"]}

        return lax.cond(p, yes, no, tree)

    p = np.array([True, False, False])
    tree_args = [randn(3), randn(3, 2), randn(2, 3)]  # a, b[0], b[1] (batched at axis 1)

    def g(p, a, b0, b1):
        return f(p, {"a": a, "b": (b0, b1)})

    check_vmap(g, [p, *tree_args], [0, 0, 0, 1])


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_cond_random_axes(data):
    n = data.draw(st.integers(1, 3), label="batch")
    axes = some_batched(3, lambda: data.draw(st.one_of(st.none(), st.integers(0, 1))))
    out_axes = [data.draw(st.integers(0, 1)) for _ in range(2)]
    axes[0] = None if axes[0] is None else 0  # the predicate is a scalar
    args = [batch_arg(s, ax, n) for s, ax in zip([(), (2,), (2,)], axes)]

    def f(p, x, y):
        return list(two_branch(p > 0, x, y))

    check_vmap(f, args, axes, out_axes=out_axes)


# ---------------------------------------------------------------- while_loop and fori_loop


def collatz_steps(n):
    def body(c):
        k, steps = c
        return jnp.where(k % 2 == 0, k // 2, 3 * k + 1), steps + 1

    return lax.while_loop(lambda c: c[0] != 1, body, (n, 0))[1]


def test_while_batched_predicate_lanes_finish_at_different_iterations():
    ns = np.array([1, 2, 3, 6, 7, 27])
    want = check_vmap(collatz_steps, [ns], [0])
    np.testing.assert_array_equal(want[0], [0, 1, 7, 8, 16, 111])


def test_while_batched_predicate_with_unbatched_and_batched_carries():
    def f(limit, x):
        return lax.while_loop(lambda c: c[0] < limit, lambda c: (c[0] + 1, c[1] * x, c[2] + 2.0), (0, 1.0, 0.5))

    check_vmap(f, [np.array([0, 3, 1, 5]), randn(4)], [0, 0])
    check_vmap(f, [np.array([0, 3, 1, 5]), np.float64(1.1)], [0, None])


def test_while_unbatched_predicate_batched_carry():
    def f(x, w):
        return lax.while_loop(lambda c: c[0] < 4, lambda c: (c[0] + 1, jnp.tanh(c[1] @ w)), (0, x))

    x, w = randn(5, 3), randn(3, 3)
    check_vmap(f, [x, w], [0, None])
    check_vmap(f, [x[:3].T.copy(), randn(3, 3, 3)], [1, 0])
    # the unbatched counter stays unbatched
    out = vmap(f, in_axes=(0, None), out_axes=(None, 0))(x, w)
    assert_like_numpy(out[0], np.int64(4))


def test_while_carry_batched_only_through_the_body():
    """c starts unbatched; the body makes it batched after two iterations (fixpoint)."""

    def f(x):
        def body(c):
            i, a, b, z = c
            return i + 1, b, z, x * i

        return lax.while_loop(lambda c: c[0] < 5, body, (0, 1.0, 2.0, 3.0))

    check_vmap(f, [randn(3)], [0])


def test_while_pytree_carry_and_closure_consts():
    def f(x, scale):
        def body(c):
            return {"v": c["v"] * scale, "n": c["n"] + 1}

        return lax.while_loop(lambda c: jnp.sum(jnp.abs(c["v"])) < 10.0 * scale, body, {"v": x, "n": 0})

    x, scale = np.abs(randn(4, 2)) + 0.1, 1.5 + np.abs(randn(4))
    check_vmap(f, [x, scale], [0, 0])
    check_vmap(f, [x, np.float64(2.0)], [0, None])


def test_fori_loop_concrete_bounds():
    def f(x, w):
        return lax.fori_loop(0, 5, lambda i, c: c * w + i, x)

    check_vmap(f, [randn(4, 2), randn(2)], [0, None])
    check_vmap(f, [randn(2), randn(2, 4)], [None, 1])


def test_fori_loop_batched_trip_count():
    def f(lo, hi, x):
        return lax.fori_loop(lo, hi, lambda i, c: c * 1.5 + i, x)

    lo, hi, x = np.array([0, 2, 1, 4]), np.array([3, 2, 6, 9]), randn(4)
    check_vmap(f, [lo, hi, x], [0, 0, 0])
    check_vmap(f, [np.int64(1), hi, np.float64(0.5)], [None, 0, None])

    def g(hi, w):  # a batched constant (at axis 1) in the body of a batched-predicate loop
        return lax.fori_loop(0, hi, lambda i, c: jnp.sin(c * w), jnp.ones(2))

    check_vmap(g, [hi, randn(2, 4)], [0, 1])


def test_fori_loop_traced_unbatched_bounds():
    def f(hi, x):
        return lax.fori_loop(0, hi, lambda i, c: c + i * c, x)

    check_vmap(f, [np.int64(4), randn(3, 2)], [None, 0])


# ---------------------------------------------------------------- scan


def rnn(w, h, xs):
    def step(h, x):
        h = jnp.tanh(h @ w + x)
        return h, jnp.sum(h * h)

    return lax.scan(step, h, xs)


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_scan_random_in_and_out_axes(data):
    n = data.draw(st.integers(1, 3), label="batch")
    reverse = data.draw(st.booleans(), label="reverse")
    unroll = data.draw(st.sampled_from([1, 3]), label="unroll")
    shapes = [(3, 3), (3,), (4, 3)]  # w (const), h (carry), xs
    axes = some_batched(3, lambda: data.draw(st.one_of(st.none(), st.integers(0, 2))))
    axes = [None if ax is None else min(ax, len(s)) for ax, s in zip(axes, shapes)]
    out_axes = [data.draw(st.integers(0, 1)), data.draw(st.integers(0, 1))]
    args = [batch_arg(s, ax, n, 0.5) for s, ax in zip(shapes, axes)]

    def f(w, h, xs):
        return list(lax.scan(lambda c, x: (jnp.tanh(c @ w + x), c * 2.0), h, xs, reverse=reverse,
                                  unroll=unroll))

    check_vmap(f, args, axes, out_axes=out_axes)


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_rnn_against_numpy(reverse):
    w, h, xs = randn(4, 3, 3) * 0.5, randn(3), randn(4, 5, 3)
    got_h, got_ys = vmap(lambda w, xs: lax.scan(lambda c, x: (jnp.tanh(c @ w + x), c[0]), h, xs,
                                                reverse=reverse))(w, xs)
    for b in range(4):
        c, ys = h, np.empty(5)
        for t in (range(4, -1, -1) if reverse else range(5)):
            ys[t], c = c[0], np.tanh(c @ w[b] + xs[b, t])
        np.testing.assert_allclose(np.asarray(got_h[b]), c, rtol=1e-12)
        np.testing.assert_allclose(np.asarray(got_ys[b]), ys, rtol=1e-12)


def test_scan_carry_batched_only_through_the_body_and_unbatched_ys():
    def f(x):
        def step(c, t):
            a, b, z = c
            return (b, z, x * t), (a, t * 2.0)

        return lax.scan(step, (1.0, 2.0, 3.0), np.arange(4.0))

    check_vmap(f, [randn(3)], [0])
    # ys that never see a batched value stay unbatched
    out = vmap(lambda x: lax.scan(lambda c, t: (c + x, t * 2.0), 0.0, np.arange(3.0))[1], out_axes=None)(randn(2))
    assert_like_numpy(out, np.arange(3.0) * 2.0)


def test_scan_pytrees_length_and_no_xs():
    def f(x):
        carry = {"s": x, "k": (0, x * 2.0)}
        return lax.scan(lambda c, _: ({"s": c["s"] + c["k"][1], "k": (c["k"][0] + 1, c["k"][1])}, c["s"]),
                        carry, None, length=3)

    check_vmap(f, [randn(4, 2)], [0])


def test_scan_containing_cond():
    def f(xs, thresh):
        def step(c, x):
            c = lax.cond(x > thresh, lambda a: a + x, lambda a: a * 0.5, c)
            return c, c * 2.0

        return lax.scan(step, 0.0, xs)

    check_vmap(f, [randn(3, 6), np.float64(0.0)], [0, None])
    check_vmap(f, [randn(6, 3), randn(3)], [1, 0])
    check_vmap(f, [randn(6), randn(3)], [None, 0])


def test_nested_vmap_of_scan_and_while():
    def f(w, xs):
        return rnn(w, jnp.zeros(3), xs)

    w, xs = randn(2, 3, 3) * 0.5, randn(5, 4, 3)  # w batched by the outer map, xs by the inner
    got = vmap(lambda w: vmap(lambda xs: f(w, xs), in_axes=1)(xs))(w)
    for b in range(2):
        want = per_example(lambda xs: f(w[b], xs), [xs], [1], 4)
        for g, ww in zip(tree_util.tree_leaves(got), want):
            assert_like_numpy(g[b], ww)
    ns = np.array([[1, 2, 3], [6, 7, 27]])
    assert_like_numpy(vmap(vmap(collatz_steps))(ns), np.array([[0, 1, 7], [8, 16, 111]]))
    assert_like_numpy(vmap(vmap(collatz_steps), in_axes=1)(ns), np.array([[0, 8], [1, 16], [7, 111]]))


def test_lax_map_under_vmap():
    def f(xs, w):
        return lax.map(lambda x: jnp.sin(x) * w, xs)

    check_vmap(f, [randn(3, 4, 2), randn(2)], [0, None])
    check_vmap(f, [randn(4, 2), randn(3, 2)], [None, 0])
    check_vmap(lambda xs: lax.map(lambda x: x * 2.0 + 1.0, xs, batch_size=2), [randn(5, 3)], [1])


def test_jit_of_vmap_of_a_batched_predicate_loop():
    ns = np.array([1, 2, 3, 6, 7, 27])
    assert_like_numpy(jit(vmap(collatz_steps))(ns), np.array([0, 1, 7, 8, 16, 111]))


# ---------------------------------------------------------------- with differentiation


def scan_loss(w, xs):
    _, ys = rnn(w, jnp.ones(3) * 0.1, xs)
    return jnp.sum(ys)


def numeric_grad(f, w, eps=1e-6):
    g = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        d = np.zeros_like(w)
        d[idx] = eps
        g[idx] = (float(f(w + d)) - float(f(w - d))) / (2 * eps)
    return g


def test_vmap_of_grad_of_scan():
    w, xs = randn(3, 3) * 0.5, randn(2, 4, 3)
    got = vmap(grad(scan_loss), in_axes=(None, 0))(w, xs)
    for b in range(2):
        want = numeric_grad(lambda v: scan_loss(v, xs[b]), w)
        np.testing.assert_allclose(np.asarray(got[b]), want, rtol=1e-6, atol=1e-8)


def test_grad_of_vmap_of_scan():
    w, xs = randn(3, 3) * 0.5, randn(2, 4, 3)

    def loss(w):
        return jnp.sum(vmap(scan_loss, in_axes=(None, 0))(w, xs))

    want = numeric_grad(lambda v: sum(float(scan_loss(v, xs[b])) for b in range(2)), w)
    np.testing.assert_allclose(np.asarray(grad(loss)(w)), want, rtol=1e-6, atol=1e-8)


def test_vmap_of_grad_of_cond_and_jvp_of_vmapped_while():
    def f(x):
        return lax.cond(x > 0, lambda a: a * a * a, lambda a: jnp.sin(a), x)

    x = np.array([-1.0, 0.5, 2.0])
    assert_like_numpy(vmap(grad(f))(x), np.where(x > 0, 3 * x * x, np.cos(x)))

    def g(x):
        return lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * x), (0, 1.0))[1]

    primal, tangent = jvp(vmap(g), (x,), (np.ones(3),))
    assert_like_numpy(primal, x ** 3)
    assert_like_numpy(tangent, 3 * x ** 2)


def test_batched_jaxprs_have_no_per_lane_loops():
    """The loop stays one loop over the whole batch (no unrolling over lanes)."""
    jaxpr = make_jaxpr(vmap(collatz_steps))(np.arange(1, 9)).jaxpr
    assert [e.primitive.name for e in jaxpr.eqns].count("while") == 1
