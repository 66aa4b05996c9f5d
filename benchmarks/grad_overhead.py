"""Fixed cost of an eager jaxlite.grad call on a tiny program, against autograd's.

`grad(lambda x: jnp.sum(jnp.tanh(x) * x))` on 10 float64 elements does almost no arithmetic,
so the time is the autodiff machinery: tracing the function, linearizing (staging the tangent
equations), transposing them and the per-primitive dispatch on both passes. The baseline is
autograd, a tape-based eager autodiff that pays the same kind of per-operation Python cost,
and jaxlite should stay within 3x of it. The derivative written by hand in NumPy,
tanh(x) + x * (1 - tanh(x)**2), shows the arithmetic floor, and JAX's eager (not jitted)
grad, when importable, another tracing autodiff's fixed cost. Before timing, every
implementation's gradient is checked against the hand-written one.

    python benchmarks/grad_overhead.py [--quick] [--json [PATH]]
"""
import numpy as np

from harness import Benchmark, has_module, main

N = 10
TARGETS = [("jaxlite", "<=", 3.0, "x")]


def numpy_grad(x):
    t = np.tanh(x)
    return t + x * (1 - t * t)


def _impls(x):
    import jaxlite
    import jaxlite.numpy as jnp

    impls = {"numpy": lambda: numpy_grad(x)}
    jgrad = jaxlite.grad(lambda x: jnp.sum(jnp.tanh(x) * x))
    jx = jnp.asarray(x)
    impls["jaxlite"] = lambda: jgrad(jx)
    if has_module("autograd"):
        import autograd
        import autograd.numpy as anp

        agrad = autograd.grad(lambda x: anp.sum(anp.tanh(x) * x))
        impls["autograd"] = lambda: agrad(x)
    if has_module("jax"):
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as xnp

        xgrad = jax.grad(lambda x: xnp.sum(xnp.tanh(x) * x))  # eager: not jitted
        xx = xnp.asarray(x)
        # JAX dispatches asynchronously: wait for each result so the time covers the work.
        impls["jax"] = lambda: xgrad(xx).block_until_ready()
    return impls


def run():
    x = np.random.default_rng(0).standard_normal(N)
    impls = _impls(x)
    expected = numpy_grad(x)
    for name, fn in impls.items():
        try:
            got = np.asarray(fn())
        except Exception:  # shows as `err` in the table
            continue
        assert got.dtype == np.float64, f"{name}: gradient dtype {got.dtype}"
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15, err_msg=name)
    # Relative to autograd (the target's reference); NumPy when autograd is not importable.
    bench = Benchmark("grad_overhead", baseline="autograd" if "autograd" in impls else "numpy")
    bench.add("grad(sum(tanh(x) * x))", N,
              target=TARGETS if "autograd" in impls else (),  # a ratio to autograd
              **impls)
    return bench.run()


if __name__ == "__main__":
    main(run, description=__doc__.splitlines()[0])
