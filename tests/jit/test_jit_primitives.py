"""Every primitive under jit equals eager, and the array primitives compile (no NumPy fallback).

The operands come from the primitive table (tests/lax/test_primitives.py). Numba compiles are
the cost, so one hypothesis example of a case is a batch of `BATCH` drawn examples run by one
jitted function (one kernel, one compile); draws are derandomized, so the disk cache makes
re-runs fast (JAXLITE_JIT_TEST_EXAMPLES=n draws n new batches per case instead). Data movement (reshape, slicing, gather, scatter, ...) must be bit-exact;
arithmetic equal to eager within the table's tolerances (NaNs equal). Elementwise primitives
are tested thoroughly in test_jit_elementwise.py; here they run once each, all in one kernel.
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
import lax.test_primitives as tp
from jaxlite import lax
from jaxlite.core import Array
from jaxlite.lax.elementwise import PRIMITIVES as ELEMENTWISE
from jaxlite.transforms.numba.lowering import reducer_rules

PRIMITIVES = lax.PRIMITIVES
F16 = np.dtype(np.float16)

# Lowered by jaxlite/lax/numba_array_lowerings.py: no NumPy fallback unless float16 is involved.
ARRAY_LOWERED = [
    "reshape", "squeeze", "transpose", "rev", "slice", "pad", "concatenate", "iota", "gather",
    "scatter", "scatter_add", "scatter_mul", "scatter_min", "scatter_max", "dynamic_slice",
    "dynamic_update_slice", "argmax", "argmin", "cumsum", "cumprod", "cummax", "cummin",
    "cumlogsumexp", "sort", "dot_general", "threefry2x32",
]
# Results must be bit-exact: no arithmetic happens.
MOVEMENT = {
    "reshape", "squeeze", "transpose", "rev", "slice", "pad", "concatenate", "iota", "gather",
    "scatter", "dynamic_slice", "dynamic_update_slice", "broadcast_in_dim", "copy", "stop_gradient",
    "select_n", "threefry2x32", "argmax", "argmin",
}
# JAXLITE_JIT_TEST_EXAMPLES=n: n random batches per case, new ones each run (default: one
# fixed batch, so the disk cache makes re-runs fast).
RANDOM_BATCHES = int(os.environ.get("JAXLITE_JIT_TEST_EXAMPLES", "0"))
BATCH = 4  # examples per compile
CASES = [case for case in tp.CASES if case.prim not in ELEMENTWISE]
# No shrinking: every step of it would be a compile. The first example draws the simplest
# operands BATCH times and is skipped; the others draw BATCH random ones.
JIT_SETTINGS = settings(max_examples=1 + max(RANDOM_BATCHES, 1), deadline=None, derandomize=not RANDOM_BATCHES,
                        database=None,
                        phases=[Phase.explicit, Phase.generate],
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _draw(data, case, label):
    return data.draw(case.operands, label=label)


def _bind(prim, operands, params):
    out = prim.bind(*operands, **params)
    return list(out) if prim.multiple_results else [out]


def _batched(prim, examples):
    """One function applying `prim` to every example: its flat results."""
    sizes = [len(ops) for ops, _ in examples]

    def run(*flat):
        outs, start = [], 0
        for (_, params), n in zip(examples, sizes):
            outs += _bind(prim, flat[start:start + n], params)
            start += n
        return outs

    return run


def _eager(prim, examples):
    with np.errstate(all="ignore"):
        return [r for ops, params in examples for r in _bind(prim, [Array(x.copy()) for x in ops], params)]


def assert_matches(name, got, want, what):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, f"{what}: {got.dtype}{got.shape} != {want.dtype}{want.shape}"
    if name in MOVEMENT:
        assert got.tobytes() == want.tobytes(), f"{what}: not bit-exact\n{got!r}\n{want!r}"
    else:
        tp.assert_same(got, want, what)


def check_under_jit(name, examples):
    """jit of all the examples at once equals eager; returns the compiled executable."""
    prim = PRIMITIVES[name]
    flat = [x for ops, _ in examples for x in ops]
    before = [x.tobytes() for x in flat]
    want = _eager(prim, examples)
    f = jaxlite.jit(_batched(prim, examples))
    with np.errstate(all="ignore"):
        got = f(*[Array(x) for x in flat])
    assert [x.tobytes() for x in flat] == before, f"{name}: jit mutated an operand"
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert type(g) is Array
        assert_matches(name, g, w, f"{name} result {i}")
    return f.lower(*[Array(x) for x in flat]).compile()


def _involves_f16(eqn):
    return any(v.aval.dtype == F16 for v in (*eqn.invars, *eqn.outvars))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@JIT_SETTINGS
@given(data=st.data())
def test_primitive_under_jit(case, data):
    examples = [_draw(data, case, f"example {i}") for i in range(BATCH)]
    if all(repr(e) == repr(examples[0]) for e in examples):
        return  # hypothesis' first, simplest example: BATCH copies of it are not worth a compile
    executable = check_under_jit(case.prim, examples)
    if case.prim in ARRAY_LOWERED:
        leftover = [e for e in executable.fallbacks if not _involves_f16(e)]
        assert not leftover, f"{case.prim} ran with NumPy:\n{executable.as_text()}"


@settings(JIT_SETTINGS, max_examples=1)  # random draws of ~80 arrays overrun hypothesis' buffer
@given(data=st.data())
def test_every_elementwise_primitive_in_one_kernel(data):
    """The simplest example of each elementwise primitive (a rank-0 zero of the first dtype it
    takes), all in one jitted function: they lower side by side in one kernel. Random operands
    are tested in test_jit_elementwise.py."""
    cases = [case for case in tp.CASES if case.prim in ELEMENTWISE]
    examples = [(case.prim, _draw(data, case, case.id)) for case in cases]
    flat = [x for _, (ops, _) in examples for x in ops]

    def run(*xs):
        outs, start = [], 0
        for name, (ops, params) in examples:
            outs += _bind(PRIMITIVES[name], xs[start:start + len(ops)], params)
            start += len(ops)
        return outs

    with np.errstate(all="ignore"):
        want = [r for name, (ops, params) in examples for r in _bind(PRIMITIVES[name], [Array(x) for x in ops], params)]
        got = jaxlite.jit(run)(*[Array(x) for x in flat])
    names = [name for name, (ops, params) in examples for _ in range(PRIMITIVES[name].multiple_results and 2 or 1)]
    for name, g, w in zip(names, got, want):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype, name
        if w.dtype.kind in "fc":  # transcendental functions may differ from NumPy's by a few ulp
            np.testing.assert_allclose(g, w, rtol=tp.RTOL[w.dtype] * 8, atol=0, equal_nan=True, err_msg=name)
        else:
            np.testing.assert_array_equal(g, w, err_msg=name)


def test_every_primitive_is_covered():
    covered = {case.prim for case in CASES} | set(ELEMENTWISE)
    assert sorted(set(PRIMITIVES) - covered) == []
    assert set(ARRAY_LOWERED) <= set(PRIMITIVES)


# ---------------------------------------------------------------- pinned examples


def _a(values, dtype=np.float64):
    return np.array(values, dtype)


NAN, INF = float("nan"), float("inf")
RNG = np.random.default_rng(0)
I8, U8, U64, I64 = np.int8, np.uint8, np.uint64, np.int64

# (name, operands, params): semantics the random draws may miss
PINNED = [
    # argmax/argmin: the first NaN wins, else the first extreme
    ("argmax", (_a([1.0, NAN, 3.0, NAN]),), {"axis": 0, "index_dtype": np.dtype(I64)}),
    ("argmin", (_a([[2.0, 1.0, 1.0], [NAN, -INF, -INF]]),), {"axis": 1, "index_dtype": np.dtype(np.int32)}),
    ("argmax", (_a([1 + 1j, 1 + 2j, 1 + 2j, 0 + 9j], np.complex128),), {"axis": 0, "index_dtype": np.dtype(I64)}),
    ("argmin", (_a([True, False, False]),), {"axis": 0, "index_dtype": np.dtype(U8)}),
    # cumulative ops, reversed; NaN propagates through cummax
    ("cummax", (_a([1.0, NAN, 3.0, 0.0]),), {"axis": 0, "reverse": True}),
    ("cumsum", (_a([True, False, True]),), {"axis": 0, "reverse": False}),
    ("cumprod", (_a([[100, 3], [100, 5]], I8),), {"axis": 0, "reverse": False}),  # wraps
    ("cumlogsumexp", (_a([-INF, 0.0, 1.0], np.float32),), {"axis": 0, "reverse": True}),
    # sort: NaN last, stable, several keys
    ("sort", (_a([3.0, NAN, -INF, 1.0, NAN, 0.0]),), {"dimension": 0, "is_stable": True, "num_keys": 1}),
    ("sort", (_a([1, 0, 1, 0], I64), _a([4.0, 3.0, 2.0, 1.0]), _a([0, 1, 2, 3], U8)),
     {"dimension": 0, "is_stable": True, "num_keys": 2}),
    ("sort", (_a([[NAN + 0j, 1 + NAN * 1j, 1 + 0j, 0 + 5j]], np.complex64),),
     {"dimension": 1, "is_stable": False, "num_keys": 1}),
    # gather and scatter: clamped / dropped indices, combined in order as ufunc.at
    ("gather", (_a([[1, 2], [3, 4], [5, 6]], I64), _a([2**64 - 5, 2, 9], U64)), {"axes": (0,)}),
    ("scatter_add", (_a([0.0, 0.0, 0.0]), _a([1.0, 2.0, 4.0, 8.0]), _a([1, 1, -1, 3], I8)), {"axes": (0,)}),
    ("scatter_mul", (_a([2, 3], U8), _a([200, 2, 7], U8), _a([0, 0, 1], I64)), {"axes": (0,)}),
    ("scatter_min", (_a([1.0, 5.0]), _a([NAN, 3.0, 0.0]), _a([0, 1, 1], I64)), {"axes": (0,)}),
    ("scatter_max", (_a([[1, 9], [2, 2]], I64), _a([[5, 5]], I64), _a([1], I64)), {"axes": (0,)}),
    ("scatter", (_a([[1, 2], [3, 4]], I64), _a([7, 8], I64), _a([0, 1], I64), _a([1, 0], I64)), {"axes": (0, 1)}),
    # dynamic slicing clamps its starts, whatever their integer type
    ("dynamic_slice", (_a([0, 1, 2, 3], I64), _a(2**64 - 1, U64)), {"slice_sizes": (2,)}),
    ("dynamic_slice", (_a([[0, 1], [2, 3]], I64), _a(-100, I8), _a(200, U8)), {"slice_sizes": (1, 1)}),
    ("dynamic_update_slice", (_a([0, 1, 2, 3], I64), _a([8, 9], I64), _a(-(2**63), I64)), {}),
    # pad: interior and negative padding
    ("pad", (_a([[1, 2], [3, 4]], I64), _a(0, I64)), {"padding_config": ((1, -1, 1), (-1, 2, 0))}),
    # dot_general: batch dims, several contractions, integer wrapping, bool, accumulation type
    ("dot_general", (_a(np.arange(24).reshape(2, 3, 4) % 7, I8), _a(np.arange(24).reshape(4, 2, 3) % 5, I8)),
     {"dimension_numbers": (((1, 2), (2, 0)), ((0,), (1,))), "preferred_element_type": None}),
    ("dot_general", (_a([100, 100], I8), _a([100, 1], I8)),
     {"dimension_numbers": (((0,), (0,)), ((), ())), "preferred_element_type": np.dtype(np.int32)}),
    ("dot_general", (_a([[True, False], [False, False]]), _a([[True, True], [True, False]])),
     {"dimension_numbers": (((1,), (0,)), ((), ())), "preferred_element_type": None}),
    ("dot_general", (_a([1.0, 2.0, 3.0]), _a([4.0, 5.0, 6.0])),
     {"dimension_numbers": (((0,), (0,)), ((), ())), "preferred_element_type": None}),
    ("dot_general", (_a(np.arange(6.0).reshape(2, 3), np.float32), _a(np.arange(12.0).reshape(2, 3, 2), np.float32)),
     {"dimension_numbers": (((1,), (1,)), ((0,), (0,))), "preferred_element_type": np.dtype(np.float64)}),
    # threefry: known answers of Random123 (uint32 arithmetic wraps)
    ("threefry2x32", (_a(0x13198A2E, np.uint32), _a(0x03707344, np.uint32), _a([0x243F6A88, 0], np.uint32),
                      _a([0x85A308D3, 0], np.uint32)), {}),
    ("iota", (), {"dtype": np.dtype(np.complex64), "shape": (2, 3), "dimension": 1}),
    # transposes of several rows of cache lines
    ("transpose", (_a(np.arange(40 * 37).reshape(40, 37), np.int16),), {"permutation": (1, 0)}),
    ("transpose", (_a(np.arange(2 * 33 * 35).reshape(2, 33, 35), np.complex128),), {"permutation": (2, 0, 1)}),
    # large sorts: one operand calls NumPy's sort from the kernel; several (by two keys) run
    # with NumPy between kernels (the only fallback here)
    ("sort", (_a(RNG.normal(size=(3, 700))),), {"dimension": 1, "is_stable": False, "num_keys": 1}),
    ("sort", (_a(RNG.integers(0, 5, 3000), np.int8), _a(RNG.normal(size=3000), np.float32), _a(np.arange(3000))),
     {"dimension": 0, "is_stable": True, "num_keys": 2}),
    ("concatenate", (_a([[1.0]]), _a(np.zeros((1, 0))), _a([[2.0, 3.0]])), {"dimension": 1}),
]


def test_pinned_examples_under_jit():
    """All pinned examples in one jitted function (one compile)."""
    flat = [x for _, operands, _ in PINNED for x in operands]
    before = [x.tobytes() for x in flat]
    with np.errstate(all="ignore"):
        want = [_eager(PRIMITIVES[name], [(operands, params)]) for name, operands, params in PINNED]

    def run(*xs):
        outs, start = [], 0
        for name, operands, params in PINNED:
            outs.append(_bind(PRIMITIVES[name], xs[start:start + len(operands)], params))
            start += len(operands)
        return outs

    f = jaxlite.jit(run)
    with np.errstate(all="ignore"):
        got = f(*[Array(x) for x in flat])
    assert [x.tobytes() for x in flat] == before, "jit mutated an operand"
    for k, ((name, _, _), g, w) in enumerate(zip(PINNED, got, want)):
        assert len(g) == len(w)
        for i, (gi, wi) in enumerate(zip(g, w)):
            assert_matches(name, gi, wi, f"PINNED[{k}] ({name}) result {i}")
    executable = f.lower(*[Array(x) for x in flat]).compile()
    assert [e.primitive.name for e in executable.fallbacks] == ["sort"], executable.as_text()


@pytest.mark.parametrize("name, operands", [
    ("reduce_sum", (np.array(2.5),)), ("reduce_max", (np.array(3, np.int8),)),
    ("real", (np.array([True, False]),)), ("imag", (np.array(True),)),
])
def test_rank0_reductions_and_parts_of_bools(name, operands):
    """Once bugs: reducing a rank-0 operand raised KeyError; real/imag of bool did not compile."""
    params = {"axes": ()} if PRIMITIVES[name] in reducer_rules else {}
    check_under_jit(name, [(operands, params)])


def test_threefry_known_answer_compiled():
    f = jaxlite.jit(lambda k0, k1, a, b: lax.threefry2x32((k0, k1), (a, b)))
    out = f(np.uint32(0x13198A2E), np.uint32(0x03707344), np.array([0x243F6A88], np.uint32),
            np.array([0x85A308D3], np.uint32))
    assert [int(o[0]) for o in out] == [0xC4923A9C, 0x483DF7A0]


# ---------------------------------------------------------------- as_text


def _fallback_names(text):
    marker = "# run by NumPy between compiled kernels"
    return [] if marker not in text else text.split(marker)[1].split(":", 1)[1].strip().split(", ")


def test_as_text_shows_no_fallback_for_array_primitives():
    def f(x, i, y):
        a = jnp.sort(x, axis=0)[::-1]
        b = jnp.cumsum(jnp.transpose(x), axis=1) @ y
        c = x[i] + jnp.argmax(x, axis=0)
        d = jnp.pad(x, ((1, 0), (0, 2)))[1:, :3].at[i, 0].add(1.0)
        return a, b, c, d, jnp.concatenate([x, x]).reshape(-1)

    x, y = np.random.default_rng(0).normal(size=(3, 3)), np.ones((3, 2))
    text = jaxlite.jit(f).lower(x, np.array([2, 0]), y).as_text()
    assert _fallback_names(text) == [], text
    assert "ah." in text and "def run(" in text


def test_float16_falls_back_with_a_note():
    x = np.array([3.0, 1.0, 2.0], np.float16)
    f = jaxlite.jit(lambda x: jnp.sort(x)[::-1])
    np.testing.assert_array_equal(np.asarray(f(x)), np.array([3.0, 2.0, 1.0], np.float16))
    assert {"sort", "rev"} <= set(_fallback_names(f.lower(x).as_text()))


# ---------------------------------------------------------------- results never alias operands


@pytest.mark.parametrize("fn", [
    lambda x: jnp.reshape(x, (4,)), lambda x: jnp.transpose(x, (0, 1)), lambda x: x[:, :],
    lambda x: jnp.squeeze(x[None]), lambda x: jnp.flip(jnp.flip(x, 0), 0), lambda x: x.T.T,
], ids=["reshape", "identity-transpose", "full-slice", "squeeze", "double-rev", "double-T"])
def test_results_do_not_alias_inputs(fn):
    x = np.arange(4.0).reshape(2, 2)
    out = jaxlite.jit(fn)(Array(x))
    np.asarray(out).reshape(-1)[0] = 99.0
    assert x[0, 0] == 0.0
