"""Linear algebra: solve and its gradient on 200 x 200 float64, jaxlite against NumPy and JAX.

Two workloads, A (200 x 200, well conditioned) and b (200,):

- `solve`: x = solve(A, b). The baseline is `np.linalg.solve(A, b)`.
- `grad solve`: the gradient of sum(solve(A, b)) with respect to A and b. The baseline is the
  formula written by hand in NumPy: g_b = solve(A^T, 1), g_A = -outer(g_b, x), x = solve(A, b),
  two solves and an outer product, which is what the gradient should reduce to.

Columns: `jaxlite` (eager: jaxlite.numpy.linalg.solve, and jaxlite.grad of the loss),
`jaxlite_jit` (the same under jaxlite.jit, compiled during warm-up), and `jax_jit` / `jax`
(JAX with jax_enable_x64, compiled and op by op) when JAX is importable. Every result is checked
against NumPy's before anything is timed. Targets (issue 7): eager within 1.1x NumPy, jit at
least as fast as NumPy.

    python benchmarks/linalg.py [--quick] [--json [PATH]]

On a shared machine set OPENBLAS_NUM_THREADS=1: with JAX's thread pool in the same process,
multi-threaded BLAS timings vary several-fold from call to call.
"""
import numpy as np

from harness import Benchmark, has_module, main

N = 200
TARGETS = [("jaxlite", "<=", 1.1, "x"), ("jaxlite_jit", "<=", 1.0, "x")]
RTOL = 1e-9


def make_problem(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, N)) + np.sqrt(N) * np.eye(N), rng.standard_normal(N)


def numpy_grad(A, b):
    """The gradient of sum(solve(A, b)) by hand: (g_A, g_b)."""
    x = np.linalg.solve(A, b)
    g_b = np.linalg.solve(A.T, np.ones(N))
    return -np.outer(g_b, x), g_b


def _jaxlite_impls(A, b):
    import jaxlite
    import jaxlite.numpy as jnp

    jA, jb = jnp.asarray(A), jnp.asarray(b)
    solve = jnp.linalg.solve
    grad = jaxlite.grad(lambda A, b: jnp.sum(solve(A, b)), argnums=(0, 1))
    solve_jit, grad_jit = jaxlite.jit(solve), jaxlite.jit(grad)
    return (
        {"jaxlite": lambda: solve(jA, jb), "jaxlite_jit": lambda: solve_jit(jA, jb)},
        {"jaxlite": lambda: grad(jA, jb), "jaxlite_jit": lambda: grad_jit(jA, jb)},
    )


def _jax_impls(A, b):
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as xnp

    xA, xb = xnp.asarray(A), xnp.asarray(b)
    solve = xnp.linalg.solve
    grad = jax.grad(lambda A, b: xnp.sum(solve(A, b)), argnums=(0, 1))
    solve_jit, grad_jit = jax.jit(solve), jax.jit(grad)
    ready = jax.block_until_ready  # JAX dispatches asynchronously: time the work, not the dispatch
    return (
        {"jax_jit": lambda: ready(solve_jit(xA, xb)), "jax": lambda: ready(solve(xA, xb))},
        {"jax_jit": lambda: ready(grad_jit(xA, xb)), "jax": lambda: ready(grad(xA, xb))},
    )


def check(name, got, expected):
    """Fail the benchmark (before timing) if an implementation's result is wrong."""
    pairs = zip(got, expected) if isinstance(expected, tuple) else [(got, expected)]
    for g, e in pairs:
        g = np.asarray(g)
        assert g.shape == e.shape and g.dtype == e.dtype, f"{name}: {g.dtype}{g.shape}, expected {e.dtype}{e.shape}"
        np.testing.assert_allclose(g, e, rtol=RTOL, atol=RTOL * np.max(np.abs(e)), err_msg=name)


def run():
    A, b = make_problem()
    solve_impls = {"numpy": lambda: np.linalg.solve(A, b)}
    grad_impls = {"numpy": lambda: numpy_grad(A, b)}
    ours = _jaxlite_impls(A, b)
    theirs = _jax_impls(A, b) if has_module("jax") else ({}, {})
    for impls, mine, jax_ones in ((solve_impls, ours[0], theirs[0]), (grad_impls, ours[1], theirs[1])):
        impls.update(mine)
        impls.update(jax_ones)
        expected = impls["numpy"]()
        for name, fn in impls.items():
            try:
                got = fn()  # also compiles the jitted ones
            except Exception:  # a crash shows as `err` in the table; a wrong answer stops here
                continue
            check(name, got, expected)
    bench = Benchmark("linalg", baseline="numpy")
    bench.add("solve float64", f"{N}x{N}", target=TARGETS, **solve_impls)
    bench.add("grad sum(solve) float64", f"{N}x{N}", target=TARGETS, **grad_impls)
    return bench.run()


if __name__ == "__main__":
    main(run, description=__doc__.splitlines()[0])
