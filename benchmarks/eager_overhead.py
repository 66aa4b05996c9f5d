"""Eager per-call cost of jaxlite.numpy against NumPy (and JAX eager when jax is importable).

On 10 elements this measures dispatch overhead: jaxlite should stay within 1.5 µs per call
and 5x NumPy. On 1,000,000 elements the work dominates and jaxlite should be within 1.1x
NumPy. A slice is O(1) at any size, so `x[1:3]` keeps the small-array targets at both sizes.

    python benchmarks/eager_overhead.py [--quick] [--json [PATH]]
"""
import numpy as np

from harness import Benchmark, has_module, main

SIZES = (10, 1_000_000)
OVERHEAD_TARGETS = [("jaxlite", "<=", 1.5e-6, "s"), ("jaxlite", "<=", 5.0, "x")]
THROUGHPUT_TARGETS = [("jaxlite", "<=", 1.1, "x")]
O1_CASES = {"x[1:3]"}  # cost does not grow with size


def _ops(xp, x, y, c):
    """The workloads, written once for any NumPy-like namespace xp and its arrays."""
    return {
        "add": lambda: xp.add(x, y),
        "x + y": lambda: x + y,
        "sin": lambda: xp.sin(x),
        "sum": lambda: xp.sum(x),
        "x[1:3]": lambda: x[1:3],
        "where": lambda: xp.where(c, x, y),
    }


def _jax_ops(x, y, c):
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as xnp

    ops = _ops(xnp, xnp.asarray(x), xnp.asarray(y), xnp.asarray(c))
    # JAX dispatches asynchronously: wait for each result so the time covers the work.
    return {k: (lambda f=f: f().block_until_ready()) for k, f in ops.items()}


def run():
    import jaxlite.numpy as jnp

    rng = np.random.default_rng(0)
    bench = Benchmark("eager_overhead", baseline="numpy")
    for n in SIZES:
        x, y = rng.standard_normal(n), rng.standard_normal(n)
        c = x > y
        impls = {
            "numpy": _ops(np, x, y, c),
            "jaxlite": _ops(jnp, jnp.asarray(x), jnp.asarray(y), jnp.asarray(c)),
        }
        if has_module("jax"):
            impls["jax"] = _jax_ops(x, y, c)
        for case in impls["numpy"]:
            small = n <= 10 or case in O1_CASES
            bench.add(case, n, target=OVERHEAD_TARGETS if small else THROUGHPUT_TARGETS,
                      **{impl: ops[case] for impl, ops in impls.items()})
    return bench.run()


if __name__ == "__main__":
    main(run, description=__doc__.splitlines()[0])
