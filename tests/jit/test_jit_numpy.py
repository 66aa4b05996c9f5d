"""Every public `jaxlite.numpy` function under jit equals eager, and jit composed with grad and vmap.

The rows are those of tests/transforms/test_vmap_numpy.py (`ROWS`: the differentiable rows of
test_numpy_grads.py plus integer, boolean, NaN, creation and index rows), each with one fixed
example: float64 for the differentiable rows (and float32 for a sample of them), the row's own
dtypes for the others. Compiles dominate the cost, so the rows run in chunks: one jitted
function evaluates every row of a chunk and returns all their outputs (one trace, one compiled
program per chunk), and each row's output is compared with the row run eagerly (type, shape,
dtype; values exact for integer and boolean results and for rows whose jaxpr only moves data,
within a tight tolerance otherwise; NaN positions equal). A failing chunk names its rows.

Functions whose result shape depends on values raise a ConcretizationTypeError under jit (their
`size=` forms are rows), and functions that mutate their argument a TypeError.

Then compositions on a sample of differentiable rows: jit(grad(f)), grad(jit(f)) and
jit(vmap(f)) against grad(f) and vmap(f) run eagerly.
"""

import os
import sys
import zlib

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import tree_util
from jaxlite.core import Array, ClosedJaxpr, ConcretizationTypeError, Jaxpr

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "transforms"))  # the row tables
from test_numpy_grads import F32, F64  # noqa: E402
from test_numpy_grads import ROWS as GRAD_ROWS  # noqa: E402
from test_vmap_numpy import _ERROR_NAMES, EXCLUDED, MUTATING, ROWS, VALUE_DEPENDENT  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Arrays of 2-dimensional vectors are deprecated:DeprecationWarning")

CHUNK = 20  # rows per jitted function
# (rtol = atol) for float and complex results of arithmetic; data movement is exact
_TOLERANCE = {"float16": 1e-3, "float32": 1e-5, "complex64": 1e-5, "float64": 1e-12, "complex128": 1e-12}
# primitives that only move or select data: rows built from these alone must match bit for bit
DATA_MOVEMENT = {
    "broadcast_in_dim", "concatenate", "copy", "dynamic_slice", "dynamic_update_slice", "gather", "iota", "pad",
    "reshape", "rev", "scatter", "select_n", "slice", "squeeze", "transpose", "stop_gradient", "real", "imag",
    "conj", "neg", "abs", "sign", "eq", "ne", "lt", "le", "gt", "ge", "not", "and", "or", "is_nan", "sort",
    "convert_element_type", "max", "min", "reduce_max", "reduce_min", "argmax", "argmin", "jit",
}

# ---------------------------------------------------------------- known backend bugs (see the report)


# ---------------------------------------------------------------- examples and comparison


def _seed(row):
    return zlib.crc32(str(row).encode())


def example(row, dtype=F64):
    """One fixed example of the row's arguments (ndarrays): `dtype` for a differentiable row."""
    grad_row = getattr(row, "grad_row", None)
    if grad_row is not None:
        return list(grad_row.arguments(dtype))
    return row.examples(np.random.default_rng(_seed(row)), 1)[0]


def _arrays(xs):
    return [Array(np.array(x)) for x in xs]


def _primitives(jaxpr):
    for eqn in jaxpr.eqns:
        yield eqn.primitive.name
        for p in eqn.params.values():
            if isinstance(p, (Jaxpr, ClosedJaxpr)):
                yield from _primitives(p.jaxpr if isinstance(p, ClosedJaxpr) else p)


def moves_data_only(row, args):
    return set(_primitives(jaxlite.make_jaxpr(row.fun)(*args).jaxpr)) <= DATA_MOVEMENT


def mismatch(got, expected, exact):
    """Why `got` (jit) differs from `expected` (eager), or None."""
    got_leaves, got_tree = tree_util.tree_flatten(got)
    exp_leaves, exp_tree = tree_util.tree_flatten(expected)
    if got_tree != exp_tree:
        return f"output structure {got_tree} != {exp_tree}"
    for k, (g, e) in enumerate(zip(got_leaves, exp_leaves)):
        if type(g) is not Array:
            return f"output {k}: a {type(g).__name__}, not a jaxlite Array"
        g, e = np.asarray(g), np.asarray(e)
        if g.shape != e.shape or g.dtype != e.dtype:
            return f"output {k}: {g.dtype}{list(g.shape)} != eager {e.dtype}{list(e.shape)}"
        try:
            if exact or e.dtype.kind not in "fc":
                np.testing.assert_array_equal(g, e)
            else:
                tol = _TOLERANCE[e.dtype.name]
                np.testing.assert_allclose(g, e, rtol=tol, atol=tol, equal_nan=True)
        except AssertionError as err:
            return f"output {k}{' (exact: the row only moves data)' if exact else ''}: {err}"
    return None


def check_row_output(row, args, got, expected):
    """The mismatch message for one row, or None. Bit-for-bit equality settles most rows; only
    then is the row's jaxpr looked at, to allow rounding differences where it computes."""
    if mismatch(got, expected, exact=True) is None:
        return None
    return mismatch(got, expected, exact=moves_data_only(row, args))


# ---------------------------------------------------------------- chunks of rows in one jitted function


def chunk_function(rows, arities):
    def run_rows(*flat):
        outs, k = [], 0
        for row, n in zip(rows, arities):
            outs.append(row.fun(*flat[k:k + n]))
            k += n
        return outs

    return run_rows


def _failing_alone(rows, examples):
    """The rows of a chunk whose own jit raises, with the error."""
    failures = []
    for row, ex in zip(rows, examples):
        try:
            jaxlite.jit(row.fun)(*_arrays(ex))
        except Exception as err:  # noqa: BLE001 - reported
            failures.append(f"{row}: {type(err).__name__}: {err}")
    return failures


def check_chunk(rows, dtype=F64):
    """jit of all rows in one function equals each row run eagerly; the message names the rows."""
    examples = [example(row, dtype) for row in rows]
    expected = [row.fun(*_arrays(ex)) for row, ex in zip(rows, examples)]
    fun = chunk_function(rows, [len(ex) for ex in examples])
    try:
        got = jaxlite.jit(fun)(*_arrays([x for ex in examples for x in ex]))
    except Exception as err:
        alone = _failing_alone(rows, examples)
        raise AssertionError(f"jit of the chunk raised {type(err).__name__}: {err}\nrows failing alone: {alone}")
    problems = [f"{row}: {msg}" for row, ex, g, e in zip(rows, examples, got, expected)
                if (msg := check_row_output(row, _arrays(ex), g, e)) is not None]
    assert not problems, "jit differs from eager:\n" + "\n".join(problems)


def _chunks(rows, size):
    return [rows[i:i + size] for i in range(0, len(rows), size)]


def _chunk_params(rows, size, prefix):
    return [pytest.param(c, id=f"{prefix}{k:02d}-{c[0]}..{c[-1]}") for k, c in enumerate(_chunks(rows, size))]


CHECKED_ROWS = list(ROWS)
# float32: every 12th differentiable row checked in float32 too
F32_ROWS = [row for row in CHECKED_ROWS if getattr(row, "grad_row", None) and F32 in row.grad_row.dtypes][::12]


@pytest.mark.parametrize("rows", _chunk_params(CHECKED_ROWS, CHUNK, "f64-"))
def test_rows_under_jit(rows):
    check_chunk(rows)


@pytest.mark.parametrize("rows", _chunk_params(F32_ROWS, CHUNK, "f32-"))
def test_float32_rows_under_jit(rows):
    check_chunk(rows, F32)


def test_check_chunk_can_fail():
    """A row whose traced result differs from its eager one is named in the failure."""
    from test_vmap_numpy import Row, normal

    def differs_when_traced(x):
        return jnp.sin(x) if type(x) is Array else jnp.sin(x) * (1 + 1e-9)

    rows = [Row("ok", jnp.cos, (normal(3),)), Row("bad", differs_when_traced, (normal(3),))]
    with pytest.raises(AssertionError, match="bad: output 0"):
        check_chunk(rows)


def test_data_movement_is_exact():
    from test_vmap_numpy import Row, normal

    def off_by_one_ulp(x):  # eager: one ulp up; traced: only a flip
        return jnp.flip(jnp.nextafter(x, np.inf)) if type(x) is Array else jnp.flip(x)

    with pytest.raises(AssertionError, match="flip: output 0 \\(exact"):
        check_chunk([Row("flip", off_by_one_ulp, (normal(3),))])


# ---------------------------------------------------------------- coverage and errors


def _covered_names():
    names = {n for row in ROWS for n in row.names}
    return names | set(VALUE_DEPENDENT) | set(MUTATING)


JIT_EXCLUDED = {n: why for n, why in EXCLUDED.items() if n not in _covered_names()}


def test_every_function_has_a_jit_check():
    public = {n for n in jnp.__all__ if callable(getattr(jnp, n))}
    checked = {n for row in CHECKED_ROWS for n in row.names} | set(VALUE_DEPENDENT) | set(MUTATING)
    missing = public - checked - set(JIT_EXCLUDED)
    assert not missing, f"public functions without a jit check or an exclusion: {sorted(missing)}"


@pytest.mark.parametrize("label", list(VALUE_DEPENDENT))
def test_value_dependent_shapes_raise_under_jit(label):
    fun, gen = VALUE_DEPENDENT[label]
    x = Array(gen(np.random.default_rng(0)))
    fun(x)  # works eagerly
    with pytest.raises(ConcretizationTypeError, match=_ERROR_NAMES.get(label, f"{label}\\(\\)")):
        jaxlite.jit(fun)(x)


@pytest.mark.parametrize("name", list(MUTATING))
def test_mutating_functions_raise_under_jit(name):
    with pytest.raises(TypeError, match=f"{name}\\(\\) changes its argument in place"):
        jaxlite.jit(MUTATING[name])(Array(np.ones((3, 4))))


# ---------------------------------------------------------------- compositions with grad and vmap

COMPOSITION_ROWS = [  # str(row) of test_numpy_grads.ROWS, spread across kinds
    # elementwise
    "sin", "exp", "log1p", "divide", "power", "maximum", "arctan2", "clip-traced-bounds", "where-mask-from-x",
    # reductions and scans
    "sum-axes-keepdims", "var-ddof", "max-axis", "median", "cumsum", "quantile-axis",
    # indexing
    "getitem-int-arrays", "getitem-mask", "at-add-repeated", "take_along_axis-argsort", "setitem", "select",
    # contractions
    "matmul", "einsum-bij,bjk->bik", "tensordot-axes", "cross",
    # manipulation
    "roll-axes", "transpose", "repeat-total-length", "sort", "logsumexp",
]
COMPOSITION_CHUNK = 15
B = 3  # examples per vmap batch


def _grad_row(label):
    (row,) = [row for row in GRAD_ROWS if str(row) == label]
    return row


def _weights(shape, dtype):
    """Fixed, distinct weights: the cotangent the loss sends back to an output."""
    n = int(np.prod(shape, dtype=int))
    return (1.5 + np.cos(np.arange(n))).reshape(shape).astype(dtype)


def weighted_sum(outputs):
    leaves = tree_util.tree_leaves(outputs)
    return sum(jnp.sum(leaf * _weights(jnp.shape(leaf), leaf.dtype)) for leaf in leaves)


def _grad_examples(rows):
    return [list(row.arguments(F64)) for row in rows]


def _batched_examples(rows):
    """B examples of each row from its own generator, stacked along a new leading axis."""
    out = []
    for row in rows:
        rng = np.random.default_rng(_seed(row) + 1)
        draws = [row.gen(rng) for _ in range(B)]
        draws = [d if isinstance(d, tuple) else (d,) for d in draws]
        out.append([np.stack([np.asarray(d[k], F64) for d in draws]) for k in range(len(draws[0]))])
    return out


def _per_row(flat, examples):
    """Split a flat sequence of per-argument values into one list per row."""
    out, k = [], 0
    for ex in examples:
        out.append(list(flat[k:k + len(ex)]))
        k += len(ex)
    return out


def _compare_rows(rows, got, expected, what):
    problems = [f"{row}: {msg}" for row, g, e in zip(rows, got, expected)
                if (msg := mismatch(g, e, exact=False)) is not None]
    assert not problems, f"{what} differs from eager:\n" + "\n".join(problems)


def _composition_params():
    rows = [_grad_row(label) for label in COMPOSITION_ROWS]
    return _chunk_params(rows, COMPOSITION_CHUNK, "")


@pytest.mark.parametrize("rows", _composition_params())
def test_grad_compositions(rows):
    """jit(grad(f)) and grad(jit(f)) equal grad(f), f = a weighted sum of the rows' outputs."""
    examples = _grad_examples(rows)
    fun = chunk_function(rows, [len(ex) for ex in examples])
    args = _arrays([x for ex in examples for x in ex])
    argnums = tuple(range(len(args)))
    loss = lambda *xs: weighted_sum(fun(*xs))  # noqa: E731
    expected = _per_row(jaxlite.grad(loss, argnums=argnums)(*args), examples)
    jitted = jaxlite.jit(fun)
    got = jaxlite.jit(jaxlite.grad(loss, argnums=argnums))(*args)
    _compare_rows(rows, _per_row(got, examples), expected, "jit(grad(f))")
    got = jaxlite.grad(lambda *xs: weighted_sum(jitted(*xs)), argnums=argnums)(*args)
    _compare_rows(rows, _per_row(got, examples), expected, "grad(jit(f))")


@pytest.mark.parametrize("rows", _composition_params())
def test_vmap_composition(rows):
    """jit(vmap(f)) equals vmap(f) over a batch of B examples of each row."""
    examples = _batched_examples(rows)
    fun = chunk_function(rows, [len(ex) for ex in examples])
    args = _arrays([x for ex in examples for x in ex])
    expected = jaxlite.vmap(fun)(*args)
    got = jaxlite.jit(jaxlite.vmap(fun))(*args)
    _compare_rows(rows, got, expected, "jit(vmap(f))")
