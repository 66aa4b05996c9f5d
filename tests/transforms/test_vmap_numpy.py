"""Every public `jaxlite.numpy` function under vmap, and item assignment inside transforms.

The table is the differentiable rows of test_numpy_grads.py (ROWS) plus `EXTRA_ROWS`, the
non-differentiable functions (comparisons, logical and bitwise operations, integer-valued
functions, creation, dtype conversion) and integer, boolean and NaN inputs of the others.
`test_row` builds B examples of a row's arguments, gives each argument a random batch axis
(or none: all examples then share its value) and the output a random out axis, and checks
vmap(f) against np.stack of f run eagerly on each example (type, shape, dtype, values, NaNs).
`test_every_function_has_a_row` makes every callable public name either covered by a row or
EXCLUDED with a reason. Functions whose result shape depends on values raise a
ConcretizationTypeError under vmap (`VALUE_DEPENDENT`), and functions that mutate their
argument a TypeError.

Then item assignment on arrays created inside transformed code (`y = zeros(3); y[0] = x`):
every creation function, under vmap, jvp, grad, make_jaxpr and their compositions, and the
eager behaviour (views, in-place writes) unchanged.
"""

import dataclasses
import zlib

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from helpers import traced
from jaxlite import tree_util
from jaxlite.core import Array, ConcretizationTypeError, Tracer
from test_numpy_grads import ROWS as GRAD_ROWS
import numpy_rows_a
import numpy_rows_b
import numpy_rows_linalg

NUMPY_ROW_MODULES = (numpy_rows_a, numpy_rows_b, numpy_rows_linalg)

B = 3  # examples per batch
TRIALS = 3  # random batch-axis configurations per row
A = np.array  # static arguments, bound in the lambdas
_TOLERANCE = {"float16": 2e-3, "float32": 2e-5, "complex64": 2e-5}  # (rtol = atol); else 1e-10

# ---------------------------------------------------------------- input generators
# Each takes a numpy Generator and returns one argument (an ndarray).


def normal(*shape, dtype=np.float64):
    return lambda rng: rng.standard_normal(shape).astype(dtype)


def ints(lo, hi, *shape, dtype=np.int64):
    return lambda rng: rng.integers(lo, hi, shape).astype(dtype)


def bools(*shape):
    return lambda rng: rng.random(shape) < 0.5


def ties(*shape, dtype=np.float64):
    """Small integers (as `dtype`): equal elements, zeros and ties are common."""
    return lambda rng: rng.integers(-2, 3, shape).astype(dtype)


def distinct(*shape):
    """Distinct values in random order: no ties for sorting and arg-reductions."""
    return lambda rng: (rng.permutation(int(np.prod(shape))) + rng.uniform(0, 0.5)).reshape(shape)


_SPECIALS = np.array([0.0, -0.0, 1.5, -2.0, 7.0, np.nan, np.inf, -np.inf])


def specials(*shape):
    return lambda rng: rng.choice(_SPECIALS, shape)


def some_nans(*shape):
    """Distinct values with one NaN in each row (never a row of NaNs)."""
    def gen(rng):
        x = distinct(*shape)(rng)
        x[np.arange(shape[0]), rng.integers(0, shape[-1], shape[0])] = np.nan
        return x
    return gen


def ascending(n):
    return lambda rng: np.sort(rng.integers(-3, 4, n).astype(float))


# ---------------------------------------------------------------- the table


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    fun: object  # jaxlite arrays -> an array or a pytree of arrays; static arguments bound inside
    gens: tuple  # one generator per argument
    label: str = ""
    covers: tuple = None  # the public names covered; default (name,)

    def __str__(self):
        return self.name + (f"-{self.label}" if self.label else "")

    @property
    def names(self):
        return (self.name,) if self.covers is None else self.covers

    def examples(self, rng, n):
        return [[g(rng) for g in self.gens] for _ in range(n)]


@dataclasses.dataclass(frozen=True)
class _GradRow(Row):
    """A row of test_numpy_grads.ROWS: float arguments, all in one of the row's dtypes."""

    grad_row: object = None

    def __str__(self):
        return self.name

    def examples(self, rng, n):
        row = self.grad_row
        dtype = row.dtypes[int(rng.integers(len(row.dtypes)))]
        outs = [row.gen(rng) for _ in range(n)]
        return [[np.asarray(a, dtype) for a in (out if isinstance(out, tuple) else (out,))] for out in outs]


def _from_grad_row(row):
    return _GradRow(f"grad:{row}", row.fun, (), covers=row.names, grad_row=row)


S = (3, 4)
COMPARISONS = ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal")
SHIFTS = ("bitwise_left_shift", "left_shift", "bitwise_right_shift", "right_shift")
SCALAR_TYPES = ("bool", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "float16", "float32", "float64", "complex64", "complex128")


def _boolean_rows():
    rows = [Row(n, getattr(jnp, n), (ties(*S), ties(4))) for n in COMPARISONS]
    rows += [
        Row("less", jnp.less, (ints(-2, 3, *S, dtype=np.int8), ties(*S)), label="int-float"),
        Row("equal", lambda x: x == 1, (ties(*S),), label="operator-weak"),
        Row("logical_and", jnp.logical_and, (bools(*S), ties(*S))),
        Row("logical_or", jnp.logical_or, (ties(*S), bools(4))),
        Row("logical_xor", jnp.logical_xor, (bools(*S), bools(*S))),
        Row("logical_not", jnp.logical_not, (ties(*S),)),
        Row("all", jnp.all, (bools(*S),)),
        Row("all", lambda x: jnp.all(x, axis=0, keepdims=True), (ties(*S),), label="axis-keepdims"),
        Row("any", lambda x: jnp.any(x, axis=1), (ties(*S),)),
        Row("any", lambda x: jnp.any(x, where=A([True, False, True, True])), (bools(*S),), label="where"),
    ]
    rows += [Row(n, getattr(jnp, n), (specials(*S),)) for n in ("isnan", "isinf", "isfinite", "signbit")]
    return rows


def _integer_rows():
    i32 = ints(0, 64, *S, dtype=np.int32)
    rows = [Row(n, getattr(jnp, n), (i32, ints(0, 64, 4, dtype=np.int32))) for n in ("bitwise_and", "bitwise_or")]
    rows += [
        Row("bitwise_xor", jnp.bitwise_xor, (bools(*S), bools(*S)), label="bool"),
        Row("bitwise_count", jnp.bitwise_count, (ints(-100, 100, *S),)),
        Row("gcd", jnp.gcd, (ints(-30, 30, *S), ints(-30, 30, 4))),
        Row("lcm", jnp.lcm, (ints(-30, 30, *S), ints(-30, 30, *S))),
    ]
    rows += [Row(n, getattr(jnp, n), (ints(-50, 50, *S, dtype=np.int16),)) for n in
             ("bitwise_not", "bitwise_invert", "invert")]
    rows += [Row(n, getattr(jnp, n), (ints(-100, 100, *S), ints(0, 6, *S))) for n in SHIFTS]
    rows += [  # integer and boolean inputs of the arithmetic functions
        Row("floor_divide", jnp.floor_divide, (ints(-20, 20, *S), ints(1, 5, 4)), label="int"),
        Row("mod", lambda x, y: x % y, (ints(-20, 20, *S), ints(-5, -1, *S)), label="int-operator"),
        Row("power", jnp.power, (ints(-3, 4, *S), ints(0, 4, *S)), label="int"),
        Row("abs", jnp.abs, (ints(-5, 5, *S, dtype=np.int8),), label="int8"),
        Row("sign", jnp.sign, (ints(-5, 5, *S),), label="int"),
        Row("maximum", jnp.maximum, (ints(-5, 5, *S, dtype=np.uint8), ints(-5, 5, 4)), label="mixed-ints"),
        Row("sum", lambda x: jnp.sum(x, axis=1), (ints(-5, 5, *S, dtype=np.int8),), label="int8"),
        Row("sum", jnp.sum, (bools(*S),), label="bool"),
        Row("prod", lambda x: jnp.prod(x, axis=0), (ints(-3, 4, *S),), label="int"),
        Row("mean", lambda x: jnp.mean(x, axis=1), (ints(-5, 5, *S),), label="int"),
        Row("max", lambda x: jnp.max(x, axis=0), (ints(-5, 5, *S, dtype=np.int16),), label="int"),
        Row("cumsum", lambda x: jnp.cumsum(x, axis=1), (bools(*S),), label="bool"),
        Row("cumprod", jnp.cumprod, (ints(-3, 4, *S),), label="int"),
        Row("cumulative_sum", lambda x: jnp.cumulative_sum(x, axis=0, include_initial=True),
            (ints(-5, 5, *S, dtype=np.int8),), label="int8"),
        Row("clip", lambda x: jnp.clip(x, -1, 2), (ints(-5, 5, *S),), label="int"),
        Row("where", lambda c, x: jnp.where(c, x, -1), (bools(*S), ints(-5, 5, *S)), label="int"),
        Row("where", lambda x: jnp.where(x, 1.5, x), (ties(*S),), label="nonbool-condition"),
        Row("round", lambda x: jnp.round(x, -1), (ints(-50, 50, *S),), label="int"),
        Row("sort", lambda x: jnp.sort(x, axis=0), (ints(-3, 3, *S),), label="int-ties"),
        Row("concatenate", lambda x, y: jnp.concatenate([x, y], axis=1), (ints(0, 9, *S, dtype=np.uint16),
                                                                             bools(3, 2)), label="uint-bool"),
    ]
    return rows


def _searching_rows():
    return [
        Row("argmax", jnp.argmax, (distinct(*S),)),
        Row("argmax", lambda x: jnp.argmax(x, axis=1), (ties(*S),), label="ties"),
        Row("argmin", lambda x: jnp.argmin(x, axis=0, keepdims=True), (ties(*S),)),
        Row("argmin", jnp.argmin, (specials(*S),), label="nan"),
        Row("nanargmax", lambda x: jnp.nanargmax(x, axis=1), (some_nans(*S),)),
        Row("nanargmin", lambda x: jnp.nanargmin(x, axis=1), (some_nans(*S),)),
        Row("argsort", jnp.argsort, (distinct(*S),)),
        Row("argsort", lambda x: jnp.argsort(x, axis=0, stable=True), (ties(*S),), label="stable-ties"),
        Row("argsort", lambda x: jnp.argsort(x, axis=None, descending=True, stable=True), (ties(*S),),
            label="descending"),
        Row("argpartition", lambda x: jnp.argpartition(x, 2, axis=1)[:, 2], (distinct(*S),)),
        Row("partition", lambda x: jnp.partition(x, 1, axis=0)[1], (ints(-9, 9, *S),), label="int"),
        Row("lexsort", lambda a, b: jnp.lexsort((a, b)), (distinct(6), ties(6))),
        Row("searchsorted", jnp.searchsorted, (ascending(6), ties(2, 3))),
        Row("searchsorted", lambda a, v: jnp.searchsorted(a, v, side="right"), (ascending(6), ties(4)),
            label="right"),
        Row("searchsorted", lambda a, v: jnp.searchsorted(a, v, sorter=jnp.argsort(a)), (distinct(5), normal(3)),
            label="sorter"),
        Row("count_nonzero", jnp.count_nonzero, (ties(*S),)),
        Row("count_nonzero", lambda x: jnp.count_nonzero(x, axis=1, keepdims=True), (ties(*S),), label="axis"),
        Row("nonzero", lambda x: jnp.nonzero(x, size=5, fill_value=-1), (ties(*S),), label="size"),
        Row("argwhere", lambda x: jnp.argwhere(x, size=4), (ties(*S),), label="size"),
        Row("flatnonzero", lambda x: jnp.flatnonzero(x, size=6, fill_value=0), (ties(*S),), label="size"),
        Row("where", lambda x: jnp.where(x, size=3), (ties(5),), label="size"),
        # NaNs in the data
        Row("nansum", lambda x: jnp.nansum(x, axis=1), (some_nans(*S),), label="nan"),
        Row("nanmax", lambda x: jnp.nanmax(x, axis=1), (some_nans(*S),), label="nan"),
        Row("nanmean", jnp.nanmean, (some_nans(*S),), label="nan"),
        Row("nanvar", lambda x: jnp.nanvar(x, axis=1), (some_nans(*S),), label="nan"),
        Row("nanmedian", lambda x: jnp.nanmedian(x, axis=1), (some_nans(*S),), label="nan"),
        Row("nanquantile", lambda x: jnp.nanquantile(x, 0.3, axis=1), (some_nans(*S),), label="nan"),
        Row("nancumsum", lambda x: jnp.nancumsum(x, axis=1), (some_nans(*S),), label="nan"),
        Row("sort", jnp.sort, (specials(*S),), label="nan"),
        Row("max", lambda x: jnp.max(x, axis=1), (specials(*S),), label="nan"),
        Row("maximum", jnp.maximum, (specials(*S), specials(4)), label="nan"),
    ]


def _sized(x):
    return jnp.reshape(x, jnp.shape(x)[::-1]) * jnp.ndim(x) + jnp.size(x)


def _creation_rows():
    rows = [
        Row("zeros", lambda x: x + jnp.zeros(S, jnp.float32), (normal(*S),)),
        Row("ones", lambda x: jnp.ones((4,), jnp.int8) * x, (ints(-5, 5, *S, dtype=np.int16),)),
        Row("empty", lambda x: jnp.empty(S, np.int64) * 0 + x, (ints(-5, 5, *S),)),
        Row("empty_like", lambda x: jnp.empty_like(x, dtype=jnp.int32) * 0, (normal(*S),)),
        Row("eye", lambda x: jnp.eye(3, 4, k=1) @ x, (normal(4, 2),)),
        Row("identity", lambda x: jnp.identity(3, jnp.int32) * x, (ints(-5, 5, 3),)),
        Row("tri", lambda x: jnp.tri(3, 4, k=-1) * x, (normal(*S),)),
        Row("arange", lambda x: jnp.arange(3) * x + jnp.arange(2, 11, 3.0), (normal(3),)),
        Row("indices", lambda x: jnp.indices(S).sum(0) * x, (normal(*S),)),
        Row("indices", lambda x: jnp.indices(S, sparse=True)[1] * x, (ints(-5, 5, 3, 1),), label="sparse"),
        Row("fromfunction", lambda x: jnp.fromfunction(lambda i, j: i * x[:, None] + j, S), (normal(3),)),
        Row("from_dlpack", jnp.from_dlpack, (normal(*S),)),
        Row("fromiter", lambda x: jnp.fromiter((x[i] * 2 for i in range(3)), jnp.float32), (normal(3),)),
        Row("fromstring", lambda x: x + jnp.fromstring("1 2 3", sep=" "), (normal(2, 3),)),
        Row("frombuffer", lambda x: x * jnp.frombuffer(b"\x01\x02\x03", np.uint8), (ints(-5, 5, 3),)),
        Row("array", lambda x: jnp.array(x, dtype=jnp.int32), (ties(*S),), label="dtype"),
        Row("array", lambda x: jnp.array([[x[0], 1.0], [2, x[1]]]), (normal(2),), label="nested-scalars"),
        Row("full_like", lambda x: jnp.full_like(x, 7, dtype=jnp.uint8), (normal(*S),), label="dtype"),
        Row("zeros_like", lambda x: jnp.zeros_like(x, shape=(2,)), (bools(*S),), label="shape"),
        Row("ndim", _sized, (normal(*S),), covers=("ndim", "shape", "size")),
        Row("result_type", lambda x, y: x.astype(jnp.result_type(x, y)), (ints(-5, 5, *S, dtype=np.int32),
                                                                          normal(4, dtype=np.float32))),
        Row("einsum_path", lambda x, y, z: jnp.einsum("ij,jk,kl->il", x, y, z,
                                                      optimize=jnp.einsum_path("ij,jk,kl->il", x, y, z)[0]),
            (normal(2, 3), normal(3, 4), normal(4, 2))),
        Row("einsum", lambda x, y: jnp.einsum("ij,j->i", x, y), (ints(-5, 5, *S), ints(-5, 5, 4)), label="int"),
    ]
    rows += [Row(n, getattr(jnp, n), (ints(0, 100, *S),), label="convert") for n in SCALAR_TYPES]
    return rows


def _index_rows():
    return [
        Row("diag_indices", lambda x: x[jnp.diag_indices(3)], (normal(3, 3),)),
        Row("diag_indices_from", lambda x: x[jnp.diag_indices_from(x)], (normal(3, 3, 3),)),
        Row("tril_indices", lambda x: x[jnp.tril_indices(3, k=-1, m=4)], (normal(*S),)),
        Row("tril_indices_from", lambda x: x[jnp.tril_indices_from(x, k=1)], (normal(*S),)),
        Row("triu_indices", lambda x: x[jnp.triu_indices(3)], (normal(3, 3),)),
        Row("triu_indices_from", lambda x: x[jnp.triu_indices_from(x)], (normal(*S),)),
        Row("unravel_index", lambda i: jnp.unravel_index(i, S), (ints(0, 12, 5),)),
        Row("unravel_index", lambda i: jnp.unravel_index(i, S, order="F"), (ints(0, 12, 2, 2),), label="F"),
        Row("ravel_multi_index", lambda i, j: jnp.ravel_multi_index((i, j), S), (ints(0, 3, 5), ints(0, 4, 5))),
        Row("ravel_multi_index", lambda i, j: jnp.ravel_multi_index((i, j), S, mode=("wrap", "clip")),
            (ints(-6, 6, 5), ints(-6, 6, 5)), label="modes"),
        Row("ix_", jnp.ix_, (ints(0, 3, 2), ints(0, 4, 3))),
        Row("ix_", lambda x: x[jnp.ix_(A([0, 2]), A([True, False, True, True]))], (normal(*S),), label="static"),
        Row("take", lambda x, i: jnp.take(x, i, axis=1), (ints(-5, 5, *S), ints(0, 4, 2)), label="int-traced"),
        Row("choose", lambda a, x, y: jnp.choose(a, [x, y]), (ints(0, 2, *S), ints(-5, 5, *S), ints(-5, 5, 4)),
            label="int"),
    ]


EXTRA_ROWS = _boolean_rows() + _integer_rows() + _searching_rows() + _creation_rows() + _index_rows()
# More rows from the per-category row modules in tests/ (numpy_rows_*.py): ROWS holds
# (name, fun, gens[, label[, covers]]) tuples and EXCLUDED {name: reason}.
EXTRA_ROWS += [Row(*r) for module in NUMPY_ROW_MODULES for r in module.ROWS]
ROWS = [_from_grad_row(r) for r in GRAD_ROWS] + EXTRA_ROWS

# ---------------------------------------------------------------- coverage

_DTYPE_UTILITIES = "dtype can_cast finfo iinfo isdtype issubdtype promote_types"

EXCLUDED = {
    **dict.fromkeys(_DTYPE_UTILITIES.split(), "takes and returns dtypes (or dtype information), not arrays"),
    "ndarray": "the array class itself",
    "__array_namespace_info__": "returns the namespace's information object",
    "broadcast_shapes": "takes and returns shapes, not arrays",
    "trim_zeros": "result shape depends on values (VALUE_DEPENDENT checks its error under vmap)",
    "place": "mutates its argument in place: eager only (MUTATING checks its error under vmap)",
    "put": "mutates its argument in place: eager only (MUTATING checks its error under vmap)",
}
for _module in NUMPY_ROW_MODULES:
    EXCLUDED.update(_module.EXCLUDED)


def test_every_function_has_a_row():
    public = {n for n in jnp.__all__ if callable(getattr(jnp, n))}
    covered = {n for row in ROWS for n in row.names}
    assert not covered - set(jnp.__all__), f"rows for names that are not public: {sorted(covered - set(jnp.__all__))}"
    assert not set(EXCLUDED) - public, f"exclusions that are not public callables: {sorted(set(EXCLUDED) - public)}"
    assert not covered & set(EXCLUDED), f"both covered and excluded: {sorted(covered & set(EXCLUDED))}"
    missing = public - covered - set(EXCLUDED)
    assert not missing, f"public functions with neither a vmap row nor an exclusion: {sorted(missing)}"
    assert len({str(row) for row in ROWS}) == len(ROWS), "row ids must be unique"


# ---------------------------------------------------------------- the check


def _batch(rng, examples):
    """Random in_axes (an axis, maybe negative, or None) and the batched arguments; the
    examples of an unbatched argument are made to share the first example's value."""
    in_axes, batched = [], []
    for k, first in enumerate(examples[0]):
        if rng.random() < 0.25:
            for ex in examples:
                ex[k] = first
            in_axes.append(None)
            batched.append(Array(first))
            continue
        ndim = np.ndim(first)
        axis = int(rng.integers(0, ndim + 1))
        batched.append(Array(np.stack([ex[k] for ex in examples], axis)))
        in_axes.append(axis - (ndim + 1) if rng.random() < 0.3 else axis)
    return tuple(in_axes), batched


def _stack(outputs, axis):
    return tree_util.tree_map(lambda *xs: np.stack([np.asarray(x) for x in xs], axis), *outputs)


def _assert_same(got, expected, where):
    got_leaves, got_tree = tree_util.tree_flatten(got)
    exp_leaves, exp_tree = tree_util.tree_flatten(expected)
    assert got_tree == exp_tree, f"{where}: output structure {got_tree} != {exp_tree}"
    for g, e in zip(got_leaves, exp_leaves):
        assert type(g) is Array, f"{where}: expected a jaxlite Array, got {type(g).__name__}"
        g = np.asarray(g)
        assert g.shape == e.shape, f"{where}: shape {g.shape} != {e.shape}"
        assert g.dtype == e.dtype, f"{where}: dtype {g.dtype} != {e.dtype}"
        if e.dtype.kind in "fc":
            tol = _TOLERANCE.get(e.dtype.name, 1e-10)
            np.testing.assert_allclose(g, e, rtol=tol, atol=tol, equal_nan=True, err_msg=where)
        else:
            np.testing.assert_array_equal(g, e, err_msg=where)


def check_batched(row, rng):
    examples = row.examples(rng, B)
    in_axes, batched = _batch(rng, examples)
    outputs = [row.fun(*(Array(a) for a in ex)) for ex in examples]  # eager, one example at a time
    min_rank = min(np.ndim(leaf) for leaf in tree_util.tree_leaves(outputs[0]))
    out_axis = int(rng.integers(-(min_rank + 1), min_rank + 1))
    axis_size = B if all(a is None for a in in_axes) else None
    got = jaxlite.vmap(row.fun, in_axes=in_axes, out_axes=out_axis, axis_size=axis_size)(*batched)
    _assert_same(got, _stack(outputs, out_axis), f"{row}: in_axes={in_axes} out_axes={out_axis}")


@pytest.mark.filterwarnings("ignore:Arrays of 2-dimensional vectors are deprecated:DeprecationWarning")
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_row(row):
    rng = np.random.default_rng(zlib.crc32(str(row).encode()))
    for _ in range(TRIALS):
        check_batched(row, rng)


def test_check_batched_can_fail():
    """The checker notices a function whose batched result differs from its examples'."""
    def per_example_differs(x):  # sums the whole batch when traced: wrong under vmap
        return jnp.sum(x) if not isinstance(x, Tracer) else jnp.sum(x) * 2

    with pytest.raises(AssertionError):
        check_batched(Row("bad", per_example_differs, (normal(4),)), np.random.default_rng(0))


# ---------------------------------------------------------------- clear errors

VALUE_DEPENDENT = {  # the function the error names -> (function, argument generator)
    "nonzero": (jnp.nonzero, ties(*S)),
    "argwhere": (jnp.argwhere, ties(*S)),
    "flatnonzero": (jnp.flatnonzero, ties(*S)),
    "where": (jnp.where, ties(*S)),
    "trim_zeros": (jnp.trim_zeros, ties(5)),
    "extract": (lambda x: jnp.extract(x > 0, x), ties(*S)),
    "compress": (lambda x: jnp.compress(x[:, 0] > 0, x, axis=0), ties(*S)),
    "repeat": (lambda r: jnp.repeat(A([1.0, 2.0]), r), ints(0, 3, 2)),
    "mask": (lambda x: x[x > 0], ties(*S)),
    "arange": (jnp.arange, ints(1, 4)),
    "zeros": (jnp.zeros, ints(1, 4)),
    "linspace": (lambda n: jnp.linspace(0.0, 1.0, n), ints(1, 4)),
    "resize": (lambda n: jnp.resize(A([1.0, 2.0]), n), ints(1, 4)),
}
_ERROR_NAMES = {"mask": "boolean mask"}


@pytest.mark.parametrize("label", list(VALUE_DEPENDENT))
def test_value_dependent_shapes_raise_under_vmap(label):
    fun, gen = VALUE_DEPENDENT[label]
    examples = [gen(np.random.default_rng(i)) for i in range(B)]
    fun(Array(examples[0]))  # works eagerly
    with pytest.raises(ConcretizationTypeError, match=_ERROR_NAMES.get(label, f"{label}\\(\\)")):
        jaxlite.vmap(fun)(Array(np.stack(examples)))


MUTATING = {
    "place": lambda x: jnp.place(x, x > 0, 1.0),
    "put": lambda x: jnp.put(x, A([0]), 1.0),
}


@pytest.mark.parametrize("name", list(MUTATING))
def test_mutating_functions_raise_under_vmap(name):
    with pytest.raises(TypeError, match=f"{name}\\(\\) changes its argument in place"):
        jaxlite.vmap(MUTATING[name])(Array(np.ones(S)))


# ---------------------------------------------------------------- item assignment on created arrays


def _set_items(x):
    y = jnp.zeros(3)
    y[0] = x
    y[1:] = 2 * x
    return y


def _add_to_column(x):
    y = jnp.ones((2, 3))
    y[:, 1] += x
    return y


def _constant_then_traced(x):
    y = jnp.zeros(3)
    y[0] = 1.0  # an update that does not depend on x
    y[1] = x
    return y


CREATORS = {  # name -> a float array made inside the function (updated by _update_created)
    "zeros": lambda: jnp.zeros((2, 3)),
    "ones": lambda: jnp.ones((2, 3), jnp.float32),
    "empty": lambda: jnp.empty((1, 3)),  # every element is overwritten
    "full": lambda: jnp.full((2, 3), 4.0),
    "zeros_like": lambda: jnp.zeros_like(np.ones((2, 3))),
    "ones_like": lambda: jnp.ones_like(jnp.zeros((3,))),
    "empty_like": lambda: jnp.empty_like(np.ones((1, 2))),
    "full_like": lambda: jnp.full_like(np.ones(3), 2.5),
    "eye": lambda: jnp.eye(3, 2),
    "identity": lambda: jnp.identity(2),
    "tri": lambda: jnp.tri(3),
    "tril": lambda: jnp.tril(np.ones((3, 3))),
    "triu": lambda: jnp.triu(np.ones((2, 3)), 1),
    "diag": lambda: jnp.diag(np.arange(3.0)),
    "diagflat": lambda: jnp.diagflat(np.arange(2.0)),
    "vander": lambda: jnp.vander(np.arange(3.0)),
    "arange": lambda: jnp.arange(5.0),
    "linspace": lambda: jnp.linspace(0.0, 1.0, 4),
    "logspace": lambda: jnp.logspace(0.0, 1.0, 3),
    "geomspace": lambda: jnp.geomspace(1.0, 8.0, 4),
    "array": lambda: jnp.array([[1.0, 2.0], [3.0, 4.0]]),
    "asarray": lambda: jnp.asarray(np.ones(3)),
    "asanyarray": lambda: jnp.asanyarray([1.0, 2.0]),
    "asarray-Array": lambda: jnp.asarray(Array(np.ones(3))),
    "copy": lambda: jnp.copy(np.arange(3.0)),
    "from_dlpack": lambda: jnp.from_dlpack(np.ones(2)),
    "fromiter": lambda: jnp.fromiter([1.0, 2.0], float),
    "fromstring": lambda: jnp.fromstring("1 2 3", sep=" "),
    "fromfunction": lambda: jnp.fromfunction(lambda i, j: i + 2 * j, (2, 2)),
    "meshgrid": lambda: jnp.meshgrid(np.arange(3.0), np.arange(2.0))[0],
    "indices": lambda: jnp.indices((2, 3), dtype=float, sparse=True)[1],
    "copy-method": lambda: Array(np.ones(3)).copy(),
    "astype": lambda: Array(np.ones(3, np.float32)).astype(float),
    "flatten": lambda: Array(np.ones((2, 2))).flatten(),
    "float32": lambda: jnp.float32([1.0, 2.0]),
}


def _update_created(name):
    def f(x):
        y = CREATORS[name]()
        y[0] = x
        y[-1] += 2 * x
        return y

    f.__name__ = f"update_{name}"
    return f


UPDATES = {"set-items": _set_items, "add-to-column": _add_to_column,
           **{name: _update_created(name) for name in CREATORS}}
X0 = 0.75


def _expected(f, x):
    return np.asarray(f(Array(np.asarray(x))))  # eager: real in-place writes


def _tangent(f, x):
    """The updates are affine in x, so f(x + 1) - f(x) is the derivative (up to rounding)."""
    return _expected(f, x + 1.0) - _expected(f, x)


def _close(got, expected):
    assert type(got) is Array
    got = np.asarray(got)
    assert got.shape == expected.shape and got.dtype == expected.dtype, (got.shape, got.dtype, expected.dtype)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("label", list(UPDATES))
def test_item_assignment_under_vmap(label):
    f = UPDATES[label]
    xs = np.array([0.5, -1.25, 2.0])
    _close(jaxlite.vmap(f)(Array(xs)), np.stack([_expected(f, x) for x in xs]))
    _close(jaxlite.vmap(f, out_axes=-1)(Array(xs)), np.stack([_expected(f, x) for x in xs], -1))


@pytest.mark.parametrize("label", list(UPDATES))
def test_item_assignment_under_jvp_and_grad(label):
    f = UPDATES[label]
    primal, tangent = jaxlite.jvp(f, (Array(np.asarray(X0)),), (Array(np.asarray(1.0)),))
    _close(primal, _expected(f, X0))
    _close(tangent, _tangent(f, X0).astype(np.asarray(tangent).dtype))
    g = jaxlite.grad(lambda x: jnp.sum(f(x)))(X0)
    np.testing.assert_allclose(float(g), _tangent(f, X0).sum(), rtol=1e-6)


@pytest.mark.parametrize("label", list(UPDATES))
def test_item_assignment_under_make_jaxpr(label):
    f = UPDATES[label]
    _close(traced(f)(np.asarray(X0)), _expected(f, X0))
    jaxpr = str(jaxlite.make_jaxpr(f)(X0))
    assert "scatter" in jaxpr, jaxpr


@pytest.mark.parametrize("label", ["set-items", "add-to-column", "linspace", "array"])
def test_item_assignment_under_compositions(label):
    f = UPDATES[label]
    xs = np.array([0.5, -1.25, 2.0])
    grads = jaxlite.vmap(jaxlite.grad(lambda x: jnp.sum(f(x) ** 2)))(Array(xs))
    eps = 1e-6
    numeric = [(np.sum(_expected(f, x + eps) ** 2) - np.sum(_expected(f, x - eps) ** 2)) / (2 * eps) for x in xs]
    np.testing.assert_allclose(np.asarray(grads), numeric, rtol=1e-5)
    _, tangents = jaxlite.jvp(jaxlite.vmap(f), (Array(xs),), (Array(np.ones(3)),))
    _close(tangents, np.stack([_tangent(f, x) for x in xs]))
    hess = jaxlite.grad(jaxlite.grad(lambda x: jnp.sum(f(x) ** 2)))(X0)
    np.testing.assert_allclose(float(hess), 2 * np.sum(_tangent(f, X0) ** 2), rtol=1e-5)


def test_constant_update_of_created_array_under_grad():
    assert float(jaxlite.grad(lambda x: jnp.sum(_constant_then_traced(x)))(X0)) == 1.0


def test_constant_update_of_created_array_under_vmap_and_make_jaxpr():
    xs = np.array([0.5, -1.25, 2.0])
    _close(jaxlite.vmap(_constant_then_traced)(Array(xs)), np.stack([_expected(_constant_then_traced, x) for x in xs]))
    _close(traced(_constant_then_traced)(np.asarray(X0)), _expected(_constant_then_traced, X0))


# ---------------------------------------------------------------- eager behaviour and outside arrays


def test_eager_creation_is_unchanged():
    a = Array(np.zeros(3))
    assert jnp.asarray(a) is a  # shared, not copied
    view = jnp.asarray(a)
    view[0] = 5.0
    assert np.asarray(a)[0] == 5.0
    base = np.zeros(3)
    assert np.shares_memory(np.asarray(jnp.asarray(base)), base)
    y = jnp.zeros(3)
    assert type(y) is Array
    y[1:] = 2.0
    np.testing.assert_array_equal(np.asarray(y), [0.0, 2.0, 2.0])
    assert not np.shares_memory(np.asarray(jnp.array(a)), np.asarray(a))


def test_arrays_from_outside_stay_unchanged_and_concrete():
    outside = Array(np.zeros(3))

    def f(x):
        y = jnp.asarray(outside)  # a new value of the trace: updating it leaves `outside` alone
        y[0] = x
        return y

    out = jaxlite.vmap(f)(Array(np.array([1.0, 2.0])))
    np.testing.assert_array_equal(np.asarray(out), [[1.0, 0.0, 0.0], [2.0, 0.0, 0.0]])
    np.testing.assert_array_equal(np.asarray(outside), np.zeros(3))
    assert type(outside) is Array


def test_writing_into_an_outside_array_is_a_clear_error():
    outside = Array(np.zeros(3))

    def f(x):
        outside[0] = x
        return x

    with pytest.raises(TypeError, match="concrete jaxlite Array created outside"):
        jaxlite.vmap(f)(Array(np.array([1.0, 2.0])))
    with pytest.raises(TypeError, match="concrete jaxlite Array created outside"):
        jaxlite.grad(f)(1.0)


def _static_uses(x):
    """Created arrays used where values must be known: a mask, a length, an index."""
    mask = jnp.array([True, False, True])
    n = jnp.asarray(2)
    return x[mask] + jnp.arange(n) + x[jnp.array([2, 0])]


def test_created_arrays_stay_concrete_under_vmap_and_jvp():
    xs = np.arange(9.0).reshape(3, 3)
    _close(jaxlite.vmap(_static_uses)(Array(xs)), np.stack([_expected(_static_uses, x) for x in xs]))
    primal, tangent = jaxlite.jvp(_static_uses, (Array(xs[0]),), (Array(np.ones(3)),))
    _close(primal, _expected(_static_uses, xs[0]))
    _close(tangent, np.full(2, 2.0))


def test_created_arrays_stay_concrete_under_make_jaxpr():
    _close(traced(_static_uses)(np.arange(3.0)), _expected(_static_uses, np.arange(3.0)))
