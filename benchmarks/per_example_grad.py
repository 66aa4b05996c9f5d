"""Per-example gradients with vmap(grad): jaxlite against hand-vectorized NumPy, a Python loop
of grad, and JAX.

The loss is logistic regression's on one example, softplus(x.w) - y x.w (labels y in {0, 1}),
for 1000 examples of 100 features in float64. Its gradient for each example is
(sigmoid(x.w) - y) x, so the baseline is that formula written by hand for the whole batch in
NumPy, `(sigmoid(X @ w) - y)[:, None] * X`: what vmap(grad) should reduce to. The columns:

- `jaxlite`: `jaxlite.vmap(jaxlite.grad(loss), in_axes=(None, 0, 0))(w, X, y)`, eager.
- `loop`: `jaxlite.grad(loss)` called once per example in a Python loop, stacked. At about
  1 ms an example, timing all 1000 would take most of a minute, so the loop runs over the
  first 100 examples and its time is multiplied by 10 (the examples are independent, so the
  cost is linear in their number); the tables say so under them.
- `jax_jit` (compiled during warm-up) and `jax` (eager, op by op) run JAX's vmap(grad) of the
  same loss, with `jax_enable_x64`, when JAX is importable.

Every implementation's result is checked against the NumPy formula before anything is timed.
Targets: jaxlite within 2x the hand-vectorized NumPy (vmap must batch the work, not the
Python), and, in the second table (the same times relative to jaxlite), the loop at least
50x slower than jaxlite.

    python benchmarks/per_example_grad.py [--quick] [--json [PATH]]
"""
import io

import numpy as np

from harness import SETTINGS, Benchmark, has_module, main
from mlp_grad import versus

N, D = 1000, 100
LOOP_N = 100  # examples the loop is timed on; its time is scaled by N / LOOP_N
SIZE_LABEL = f"{N}x{D}"
TARGETS = [("jaxlite", "<=", 2.0, "x"), ("jaxlite_jit", "<=", 2.0, "x")]
VS_JAXLITE_TARGETS = [("loop", ">=", 50.0, "x")]
RTOL, ATOL = 1e-10, 1e-13  # atol as a fraction of the largest |gradient|; measured ~1e-16


def make_problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    w = rng.standard_normal(D) / np.sqrt(D)
    y = (rng.random(N) < 0.5).astype(np.float64)
    return w, X, y


def make_loss(xp):
    """One example's loss, written once for any NumPy-like namespace xp (jaxlite, jax)."""

    def loss(w, x, y):
        z = xp.dot(x, w)
        return xp.logaddexp(0.0, z) - y * z

    return loss


def numpy_per_example_grads(w, X, y):
    return (1.0 / (1.0 + np.exp(-(X @ w))) - y)[:, None] * X


def _jaxlite_impls(w, X, y):
    import jaxlite
    import jaxlite.numpy as jnp

    jw, jX, jy = jnp.asarray(w), jnp.asarray(X), jnp.asarray(y)
    grad = jaxlite.grad(make_loss(jnp))
    per_example = jaxlite.vmap(grad, in_axes=(None, 0, 0))

    def loop():
        return np.stack([np.asarray(grad(jw, jX[i], jy[i])) for i in range(LOOP_N)])

    compiled = jaxlite.jit(per_example)
    return {"jaxlite": lambda: per_example(jw, jX, jy), "jaxlite_jit": lambda: compiled(jw, jX, jy), "loop": loop}


def _jax_impls(w, X, y):
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as xnp

    xw, xX, xy = xnp.asarray(w), xnp.asarray(X), xnp.asarray(y)
    per_example = jax.vmap(jax.grad(make_loss(xnp)), in_axes=(None, 0, 0))
    per_example_jit = jax.jit(per_example)
    # JAX dispatches asynchronously: wait for each result so the time covers the work.
    return {"jax_jit": lambda: jax.block_until_ready(per_example_jit(xw, xX, xy)),
            "jax": lambda: jax.block_until_ready(per_example(xw, xX, xy))}


def check(name, got, expected):
    """Fail the benchmark (before timing) if an implementation's result is wrong."""
    got = np.asarray(got)
    expected = expected[: len(got)] if name == "loop" else expected
    assert got.shape == expected.shape and got.dtype == expected.dtype, (
        f"{name}: {got.dtype}{got.shape}, expected {expected.dtype}{expected.shape}")
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL * np.max(np.abs(expected)),
                               err_msg=name)


def run():
    w, X, y = make_problem()
    expected = numpy_per_example_grads(w, X, y)
    impls = {"numpy": lambda: numpy_per_example_grads(w, X, y), **_jaxlite_impls(w, X, y)}
    if has_module("jax"):
        impls.update(_jax_impls(w, X, y))
    for name, fn in impls.items():
        try:
            got = fn()
        except Exception:  # a crash shows as `err` in the table; a wrong answer stops here
            continue
        check(name, got, expected)
    bench = Benchmark("per_example_grad", baseline="numpy")
    bench.add("logistic float64", SIZE_LABEL, target=TARGETS, **impls)
    result = _scale_loop(_run_quietly(bench))
    vs = versus(result, "jaxlite", VS_JAXLITE_TARGETS, "per_example_grad vs jaxlite")
    for table in (result, vs):
        table["notes"] = [LOOP_NOTE]
        Benchmark.print_table(table, file=SETTINGS.out)
        print(f"  note: {LOOP_NOTE}", file=SETTINGS.out)
    return [result, vs]


LOOP_NOTE = f"loop timed on the first {LOOP_N} examples, its time scaled by {N // LOOP_N} to {N}"


def _run_quietly(bench):
    """bench.run() without its table: the loop's column is scaled before anything is shown."""
    out, SETTINGS.out = SETTINGS.out, io.StringIO()
    try:
        return bench.run()
    finally:
        SETTINGS.out = out


def _scale_loop(result):
    for case in result["cases"]:
        if "loop" in case["times"]:
            case["times"]["loop"] *= N / LOOP_N
    return versus(result, result["baseline"], TARGETS, result["name"])  # ratios and targets again


if __name__ == "__main__":
    main(run, description=__doc__.splitlines()[0])
