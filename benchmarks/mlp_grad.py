"""Eager value_and_grad of an MLP's loss: jaxlite against hand-written NumPy, autograd and JAX.

The loss is the mean softmax cross-entropy (a numerically stable logsumexp, labels as integer
class indices turned into a one-hot mask inside the loss) of a 784-512-512-10 tanh MLP on a
batch of 128, with the parameters a list of {"W", "b"} dicts; its gradient is taken with
respect to that pytree, in float64 and in float32. The baseline is a forward and backward pass
written by hand in NumPy (checked against jaxlite's gradient before anything is timed): the
least any Python autodiff can do. The matrix products take about 1 ms, so the gap to it is
jaxlite's tracing, linearizing and transposing cost plus any extra array work its rules do.

Targets: jaxlite within 1.5x the hand-written NumPy, and faster than autograd (a tape-based
eager autodiff doing the same job). The second table shows the same measurements relative to
autograd. JAX, when importable, runs both jit-compiled (`jax_jit`, compiled during warm-up)
and op by op (`jax`), with `jax_enable_x64` for the float64 case.

    python benchmarks/mlp_grad.py [--quick] [--json [PATH]]
"""
import operator

import numpy as np

from harness import SETTINGS, Benchmark, has_module, main

SIZES = (784, 512, 512, 10)
BATCH = 128
DTYPES = ("float64", "float32")
SIZE_LABEL = f"{BATCH}x" + "-".join(map(str, SIZES))
TARGETS = [("jaxlite", "<=", 1.5, "x")]
VS_AUTOGRAD_TARGETS = [("jaxlite", "<", 1.0, "x")]
# How closely the others must agree with the hand-written NumPy: (rtol, atol as a fraction of
# the largest |value| of the array compared). Measured disagreement: ~1e-15 and ~1e-6.
TOLERANCES = {"float64": (1e-10, 1e-13), "float32": (1e-4, 1e-5)}


def make_problem(dtype, seed=0):
    """Parameters (list of {"W", "b"}), inputs and integer labels as NumPy arrays."""
    rng = np.random.default_rng(seed)
    params = [{"W": (rng.standard_normal((m, n)) / np.sqrt(m)).astype(dtype),
               "b": (0.1 * rng.standard_normal(n)).astype(dtype)}
              for m, n in zip(SIZES[:-1], SIZES[1:])]
    x = rng.standard_normal((BATCH, SIZES[0])).astype(dtype)
    y = rng.integers(0, SIZES[-1], BATCH)
    return params, x, y


def make_loss(xp):
    """The loss written once for any NumPy-like namespace xp (jaxlite, autograd, jax)."""

    def loss(params, x, y):
        h = x
        for layer in params[:-1]:
            h = xp.tanh(h @ layer["W"] + layer["b"])
        logits = h @ params[-1]["W"] + params[-1]["b"]
        m = xp.max(logits, axis=1, keepdims=True)
        lse = xp.log(xp.sum(xp.exp(logits - m), axis=1)) + m[:, 0]
        onehot = (y[:, None] == xp.arange(SIZES[-1])).astype(x.dtype)
        return xp.mean(lse - xp.sum(logits * onehot, axis=1))

    return loss


def numpy_value_and_grad(params, x, y):
    """The loss and its gradient with respect to params, forward and backward by hand."""
    hs = [x]
    for layer in params[:-1]:
        hs.append(np.tanh(hs[-1] @ layer["W"] + layer["b"]))
    logits = hs[-1] @ params[-1]["W"] + params[-1]["b"]
    rows = np.arange(len(y))
    m = logits.max(axis=1, keepdims=True)
    e = np.exp(logits - m)
    s = e.sum(axis=1, keepdims=True)
    loss = np.mean(np.log(s[:, 0]) + m[:, 0] - logits[rows, y])
    # d loss / d logits = (softmax - onehot) / batch
    d = e / s
    d[rows, y] -= 1
    d /= len(y)
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        grads[i] = {"W": hs[i].T @ d, "b": d.sum(axis=0)}
        if i:  # back through the layer's input h_i = tanh(z_i): dz = dh * (1 - h_i**2)
            d = d @ params[i]["W"].T
            d *= 1 - hs[i] * hs[i]
    return loss, grads


def check(name, value, grads, expected, dtype):
    """Fail the benchmark (before timing) if an implementation's result is wrong."""
    ref_value, ref_grads = expected
    rtol, atol = TOLERANCES[dtype]

    def close(got, ref, what):
        got = np.asarray(got)
        assert got.dtype == dtype, f"{name} {what} has dtype {got.dtype}, expected {dtype}"
        np.testing.assert_allclose(got, ref, rtol=rtol, atol=atol * np.max(np.abs(ref)),
                                   err_msg=f"{name} {what} ({dtype})")

    close(value, ref_value, "loss")
    assert len(grads) == len(ref_grads), name
    for i, (g, ref) in enumerate(zip(grads, ref_grads)):
        for k in ("W", "b"):
            close(g[k], ref[k], f"grad {i}.{k}")


def _jaxlite_impl(params, x, y):
    import jaxlite
    import jaxlite.numpy as jnp

    jparams = [{k: jnp.asarray(v) for k, v in layer.items()} for layer in params]
    jx, jy = jnp.asarray(x), jnp.asarray(y)
    vg = jaxlite.value_and_grad(make_loss(jnp))
    return lambda: vg(jparams, jx, jy)


def _autograd_impl(params, x, y):
    import autograd
    import autograd.numpy as anp

    vg = autograd.value_and_grad(make_loss(anp))
    return lambda: vg(params, x, y)


def _jax_impls(params, x, y):
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as xnp

    xparams = jax.tree_util.tree_map(xnp.asarray, params)
    xx, xy = xnp.asarray(x), xnp.asarray(y)
    vg = jax.value_and_grad(make_loss(xnp))
    vg_jit = jax.jit(vg)
    # JAX dispatches asynchronously: wait for each result so the time covers the work.
    return {"jax_jit": lambda: jax.block_until_ready(vg_jit(xparams, xx, xy)),
            "jax": lambda: jax.block_until_ready(vg(xparams, xx, xy))}


_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


def versus(result, baseline, targets, name):
    """The same measurements as a table relative to `baseline` (nothing is timed again)."""
    cases = []
    for r in result["cases"]:
        base = r["times"].get(baseline)
        ratios = {i: (t / base if base else None) for i, t in r["times"].items() if i != baseline}
        checked = []
        for impl, op, value, unit in targets:
            actual = r["times"].get(impl) if unit == "s" else ratios.get(impl)
            ok = None if actual is None else _OPS[op](actual, value)
            checked.append({"impl": impl, "op": op, "value": value, "unit": unit,
                            "actual": actual, "ok": ok})
        cases.append({**r, "ratios": ratios, "targets": checked})
    return {"name": name, "baseline": baseline, "settings": result["settings"], "cases": cases}


def run():
    bench = Benchmark("mlp_grad", baseline="numpy")
    for dtype in DTYPES:
        params, x, y = make_problem(dtype)
        expected = numpy_value_and_grad(params, x, y)
        impls = {"numpy": lambda p=params, x=x, y=y: numpy_value_and_grad(p, x, y),
                 "jaxlite": _jaxlite_impl(params, x, y)}
        if has_module("autograd"):
            impls["autograd"] = _autograd_impl(params, x, y)
        if has_module("jax"):
            impls.update(_jax_impls(params, x, y))
        for name, fn in impls.items():
            if name == "numpy":
                continue
            try:
                value, grads = fn()
            except Exception:  # a crash shows as `err` in the table; a wrong answer stops here
                continue
            check(name, value, grads, expected, dtype)
        bench.add(dtype, SIZE_LABEL, target=TARGETS, **impls)
    result = bench.run()
    if not has_module("autograd"):
        return result
    vs = versus(result, "autograd", VS_AUTOGRAD_TARGETS, "mlp_grad vs autograd")
    Benchmark.print_table(vs, file=SETTINGS.out)
    return [result, vs]


if __name__ == "__main__":
    main(run, description=__doc__.splitlines()[0])
