"""jit: the transcendental chain `sin(x) * cos(x) + exp(-x * x) * 0.5 + tanh(x)` in float64.

On 1e3, 1e5 and 1e7 elements (uniform in [-5, 5]), jaxlite.jit against NumPy eager, a
hand-written serial Numba loop calling NumPy's scalar functions (`numba`: Numba lowers them to
scalar libm calls, which LLVM cannot vectorize), the same loop calling the vectorizable
functions of jaxlite/transforms/numba/vmath.py (`numba_vmath`: what the backend's loops do when
they use them), and JAX's jit when importable (x64). Every output array is allocated outside
the compiled loops, as jaxlite does.

Targets (issue 5): jaxlite_jit faster than NumPy at 1e5 and 1e7, and faster than JAX (the
second table, relative to jax_jit, when JAX is importable). Before timing, each result is
compared with NumPy's and the largest absolute difference is printed in units of eps = 2**-52
(the terms are of order 1, and their sum can be close to 0, so ulp of the sum would mislead).

    python benchmarks/jit_transcendental.py [--quick] [--json [PATH]]
"""
import numpy as np

from harness import SETTINGS, Benchmark, has_module, main
from mlp_grad import versus

SIZES = (1_000, 100_000, 10_000_000)
TARGETS = {1_000: [], 100_000: [("jaxlite_jit", "<", 1.0, "x")],
           10_000_000: [("jaxlite_jit", "<", 1.0, "x")]}
VS_JAX_TARGETS = [("jaxlite_jit", "<", 1.0, "x")]
VS_JAX_SIZES = (100_000, 10_000_000)


def chain(xp, x):
    """The workload, for any NumPy-like namespace."""
    return xp.sin(x) * xp.cos(x) + xp.exp(-x * x) * 0.5 + xp.tanh(x)


def _numba_loops():
    """Serial Numba loops over the chain: NumPy's scalar functions, and vmath's."""
    import numba

    from jaxlite.transforms.numba import vmath as vm

    @numba.njit(error_model="numpy", nogil=True)
    def libm_loop(x, out):
        for i in range(x.shape[0]):
            v = x[i]
            out[i] = np.sin(v) * np.cos(v) + np.exp(-v * v) * 0.5 + np.tanh(v)

    @numba.njit(error_model="numpy", nogil=True)
    def vmath_loop(x, out):
        for i in range(x.shape[0]):
            v = x[i]
            out[i] = vm.sin_f64(v) * vm.cos_f64(v) + vm.exp_f64(-v * v) * 0.5 + vm.tanh_f64(v)

    def call(loop):
        def run(x):
            out = np.empty_like(x)
            loop(x, out)
            return out

        return run

    return call(libm_loop), call(vmath_loop)


def _impls(x):
    import jaxlite
    import jaxlite.numpy as jnp

    jx = jnp.asarray(x)
    jitted = jaxlite.jit(lambda x: chain(jnp, x))
    libm, vmath = _numba_loops()
    impls = {"numpy": lambda: chain(np, x), "jaxlite_jit": lambda: jitted(jx),
             "numba": lambda: libm(x), "numba_vmath": lambda: vmath(x)}
    if has_module("jax"):
        import jax

        jax.config.update("jax_enable_x64", True)
        jax_chain = jax.jit(lambda x: chain(jax.numpy, x))
        xx = jax.numpy.asarray(x)
        impls["jax_jit"] = lambda: jax_chain(xx).block_until_ready()
    return impls


def max_error(fn, ref):
    """The largest |fn() - ref| in units of float64's eps (2**-52); 'err' if fn raises."""
    try:
        got = np.asarray(fn())
    except Exception:  # shown as `err` in the table
        return "err"
    return f"{np.max(np.abs(got - ref)) / np.finfo(np.float64).eps:.2g}"


def run():
    bench = Benchmark("jit_transcendental", baseline="numpy")
    for n in SIZES:
        x = np.random.default_rng(0).uniform(-5.0, 5.0, n)
        impls = _impls(x)
        ref = impls["numpy"]()
        errors = ", ".join(f"{name} {max_error(fn, ref)}" for name, fn in impls.items()
                           if name != "numpy")
        print(f"  [{n:,}] largest |difference| from NumPy in eps: {errors}", file=SETTINGS.out)
        bench.add("sin*cos+exp*0.5+tanh", n, target=TARGETS[n], **impls)
    result = bench.run()
    if not has_module("jax"):
        return result
    # the targets against JAX are at 1e5 and 1e7 (at 1e3 compile cost keeps libm calls)
    cases = [c for c in result["cases"] if c["size"] in VS_JAX_SIZES]
    vs = versus({**result, "cases": cases}, "jax_jit", VS_JAX_TARGETS, "jit_transcendental vs jax_jit")
    Benchmark.print_table(vs, file=SETTINGS.out)
    return [result, vs]


if __name__ == "__main__":
    main(run, description=__doc__.splitlines()[0])
