"""jaxlite.debug.print and callback: run with concrete values whenever the program runs (eagerly,
under jit on every call, in every loop iteration, per vmap lane, under grad), never dropped or
merged by the compiler's passes."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax


def _recorder():
    seen = []
    return seen, lambda *args, **kwargs: seen.append((args, kwargs))


def test_print_formats_values(capsys):
    jaxlite.debug.print("x={x:.2f} y={}", jnp.arange(2.0), x=jnp.asarray(1.5))
    assert capsys.readouterr().out == "x=1.50 y=[0. 1.]\n"


def test_callback_sees_pytrees_of_arrays():
    seen, record = _recorder()
    jaxlite.debug.callback(record, {"a": jnp.ones(2)}, 3.0, k=(1, 2))
    (args, kwargs), = seen
    assert isinstance(args[0]["a"], jaxlite.Array) and float(args[1]) == 3.0
    assert [int(v) for v in kwargs["k"]] == [1, 2]


def test_under_jit_it_runs_on_every_call_not_at_trace_time():
    seen, record = _recorder()

    @jaxlite.jit
    def f(x):
        jaxlite.debug.callback(record, x * 2)
        return x + 1

    for value in (1.0, 2.0, 3.0):
        assert float(f(value)) == value + 1
    assert [float(a[0]) for a, _ in seen] == [2.0, 4.0, 6.0]


def test_in_loops_it_runs_every_iteration_eagerly_and_under_jit():
    def f(x):
        def body(i, v):
            jaxlite.debug.callback(record, i, v)
            return v * 2

        return lax.fori_loop(0, 4, body, x)

    for run in (f, jaxlite.jit(f)):
        seen, record = _recorder()
        assert float(run(1.0)) == 16.0
        assert [(int(a[0]), float(a[1])) for a, _ in seen] == [(0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0)]


def test_under_vmap_it_runs_once_per_lane_in_order():
    seen, record = _recorder()

    def f(x, y):
        jaxlite.debug.callback(record, x, y)
        return x * y

    jaxlite.vmap(f, in_axes=(0, None))(jnp.arange(3.0), 10.0)
    assert [(float(a[0]), float(a[1])) for a, _ in seen] == [(0.0, 10.0), (1.0, 10.0), (2.0, 10.0)]
    seen.clear()
    jaxlite.vmap(f, in_axes=(1, 0))(jnp.arange(6.0).reshape(3, 2), jnp.asarray([5.0, 6.0]))
    assert [a[0].tolist() for a, _ in seen] == [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]


def test_under_grad_it_sees_primal_values():
    seen, record = _recorder()

    def f(x):
        jaxlite.debug.callback(record, x)
        return jnp.sin(x) * x

    g = jaxlite.grad(f)(2.0)
    assert float(g) == pytest.approx(np.cos(2.0) * 2.0 + np.sin(2.0))
    assert [float(a[0]) for a, _ in seen] == [2.0]
    seen.clear()
    jaxlite.jit(jaxlite.grad(f))(3.0)
    assert [float(a[0]) for a, _ in seen] == [3.0]


def test_passes_keep_every_callback():
    seen, record = _recorder()

    @jaxlite.jit
    def f(x):
        jaxlite.debug.callback(record, x)  # no output used: must not be dead code
        jaxlite.debug.callback(record, x)  # identical: must not be merged
        lax.cond(x > 0, lambda: jaxlite.debug.callback(record, x), lambda: None)
        return x

    f(1.0)
    assert len(seen) == 3


def test_bad_arguments():
    with pytest.raises(TypeError, match="format must be a str"):
        jaxlite.debug.print(3, 1.0)
    with pytest.raises(TypeError, match="expected a function"):
        jaxlite.debug.callback(3, 1.0)
