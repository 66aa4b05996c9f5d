"""Control flow under jit: a Lorenz system's Euler steps with fori_loop, an RNN with scan.

- lorenz: 1,000 explicit Euler steps (dt = 0.01) of the Lorenz system on three float64
  scalars, written once as a `fori_loop` body. Columns: a Python loop over NumPy scalars
  (`numpy`), jaxlite.jit of lax.fori_loop, a hand-written Numba loop (`numba`), and JAX's
  jit of jax.lax.fori_loop when JAX is importable. Targets (issue 6): jaxlite at most 2x the
  hand-written Numba loop (second table) and at least 5x faster than JAX (third table).
- rnn: a tanh RNN with hidden size 64 over 200 steps (float64, batch 1), its loss as the sum of
  the final state, forward (`scan` under jit) and value_and_grad (jit of value_and_grad of the
  scan). Columns: NumPy (forward by hand, and the backward by hand for the gradient), jaxlite
  jit, JAX jit. Target: faster than JAX's jit.

Every implementation's result is checked against the NumPy one before timing.

    python benchmarks/control_flow.py [--quick] [--json [PATH]]
"""
import numpy as np

from harness import SETTINGS, Benchmark, has_module, main
from mlp_grad import versus

STEPS, DT = 1000, 0.01
SIGMA, RHO, BETA = 10.0, 28.0, 8.0 / 3.0
HIDDEN, LENGTH = 64, 200


def lorenz_step(state):
    x, y, z = state
    return (x + DT * SIGMA * (y - x), y + DT * (x * (RHO - z) - y), z + DT * (x * y - BETA * z))


def lorenz_numpy(state):
    for _ in range(STEPS):
        state = lorenz_step(state)
    return state


def _lorenz_numba():
    import numba

    @numba.njit(error_model="numpy", nogil=True)
    def loop(x, y, z):
        for _ in range(STEPS):
            x, y, z = (x + DT * SIGMA * (y - x), y + DT * (x * (RHO - z) - y), z + DT * (x * y - BETA * z))
        return x, y, z

    return loop


def _jax():
    import jax

    jax.config.update("jax_enable_x64", True)
    return jax


def _check(name, got, want, rtol=1e-12):
    got = [np.asarray(g) for g in (got if isinstance(got, (tuple, list)) else [got])]
    want = [np.asarray(w) for w in (want if isinstance(want, (tuple, list)) else [want])]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-12, err_msg=name)


def _lorenz(bench):
    import jaxlite
    from jaxlite import lax

    start = (1.0, 1.0, 1.0)
    want = lorenz_numpy(tuple(np.float64(v) for v in start))
    jitted = jaxlite.jit(lambda s: lax.fori_loop(0, STEPS, lambda i, s: lorenz_step(s), s))
    numba_loop = _lorenz_numba()
    impls = {"numpy": lambda: lorenz_numpy(tuple(np.float64(v) for v in start)),
             "jaxlite_jit": lambda: jitted(start), "numba": lambda: numba_loop(*start)}
    if has_module("jax"):
        jax = _jax()
        jax_fn = jax.jit(lambda s: jax.lax.fori_loop(0, STEPS, lambda i, s: lorenz_step(s), s))
        impls["jax_jit"] = lambda: jax.block_until_ready(jax_fn(start))
    for name, fn in impls.items():
        _check(name, fn(), want, rtol=1e-9)
    bench.add("lorenz euler", STEPS, **impls)


def rnn_problem(seed=0):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((HIDDEN, HIDDEN)) / np.sqrt(HIDDEN)
    U = rng.standard_normal((HIDDEN, HIDDEN)) / np.sqrt(HIDDEN)
    xs = rng.standard_normal((LENGTH, HIDDEN))
    h0 = np.zeros(HIDDEN)
    return W, U, xs, h0


def rnn_numpy(W, U, xs, h0):
    h = h0
    for x in xs:
        h = np.tanh(W @ h + U @ x)
    return h.sum()


def rnn_numpy_value_and_grad(W, U, xs, h0):
    hs = [h0]
    for x in xs:
        hs.append(np.tanh(W @ hs[-1] + U @ x))
    dW, dU, dh = np.zeros_like(W), np.zeros_like(U), np.ones(HIDDEN)
    for t in range(LENGTH - 1, -1, -1):
        dz = dh * (1.0 - hs[t + 1] ** 2)
        dW += np.outer(dz, hs[t])
        dU += np.outer(dz, xs[t])
        dh = W.T @ dz
    return hs[-1].sum(), (dW, dU)


def rnn_loss(xp, scan):
    def loss(W, U, xs, h0):
        h, _ = scan(lambda h, x: (xp.tanh(W @ h + U @ x), None), h0, xs)
        return xp.sum(h)

    return loss


def _rnn(bench):
    import jaxlite
    import jaxlite.numpy as jnp
    from jaxlite import lax

    W, U, xs, h0 = rnn_problem()
    args = [jnp.asarray(a) for a in (W, U, xs, h0)]
    loss = rnn_loss(jnp, lax.scan)
    forward = jaxlite.jit(loss)
    vg = jaxlite.jit(jaxlite.value_and_grad(loss, argnums=(0, 1)))
    fwd_impls = {"numpy": lambda: rnn_numpy(W, U, xs, h0), "jaxlite_jit": lambda: forward(*args)}
    grad_impls = {"numpy": lambda: rnn_numpy_value_and_grad(W, U, xs, h0),
                  "jaxlite_jit": lambda: vg(*args)}
    if has_module("jax"):
        jax = _jax()
        jargs = [jax.numpy.asarray(a) for a in (W, U, xs, h0)]
        jloss = rnn_loss(jax.numpy, jax.lax.scan)
        jf, jvg = jax.jit(jloss), jax.jit(jax.value_and_grad(jloss, argnums=(0, 1)))
        fwd_impls["jax_jit"] = lambda: jax.block_until_ready(jf(*jargs))
        grad_impls["jax_jit"] = lambda: jax.block_until_ready(jvg(*jargs))
    want = rnn_numpy_value_and_grad(W, U, xs, h0)
    for name, fn in fwd_impls.items():
        _check(name, fn(), want[0])
    for name, fn in grad_impls.items():
        value, (dW, dU) = fn()
        _check(name, [value, dW, dU], [want[0], *want[1]])
    bench.add("rnn forward", f"h{HIDDEN}x{LENGTH}", **fwd_impls)
    bench.add("rnn value_and_grad", f"h{HIDDEN}x{LENGTH}", **grad_impls)


def run():
    bench = Benchmark("control_flow", baseline="numpy")
    _lorenz(bench)
    try:
        _rnn(bench)
    except Exception as err:  # the gradient needs scan's reverse-mode rules
        print(f"  rnn skipped: {type(err).__name__}: {err}", file=SETTINGS.out)
    result = bench.run()
    results = [result]
    # (baseline, cases, targets, table name): the targets relative to Numba and JAX
    tables = [("numba", ("lorenz",), [("jaxlite_jit", "<=", 2.0, "x")], "control_flow vs numba")]
    if has_module("jax"):
        tables += [("jax_jit", ("lorenz",), [("jaxlite_jit", "<=", 0.2, "x")], "lorenz vs jax_jit"),
                   ("jax_jit", ("rnn",), [("jaxlite_jit", "<", 1.0, "x")], "rnn vs jax_jit")]
    for baseline, prefixes, targets, name in tables:
        cases = [c for c in result["cases"] if baseline in c["times"] and c["case"].startswith(prefixes)]
        if not cases:
            continue
        vs = versus({**result, "cases": cases}, baseline, targets, name)
        Benchmark.print_table(vs, file=SETTINGS.out)
        results.append(vs)
    return results


if __name__ == "__main__":
    main(run, description=__doc__.splitlines()[0])
