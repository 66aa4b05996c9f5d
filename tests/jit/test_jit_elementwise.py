"""Elementwise primitives, convert_element_type, select_n and reductions under jit equal eager.

Table-driven over every dtype loop of every elementwise primitive (the ufunc's own loops among
jaxlite's dtypes), with edge values (signed zeros, infinities, NaN, denormals, extreme and
boundary integers, shift counts past the width, ...) and random ones. Compiles are the cost:
all primitives of one loop run in one jitted function over arrays holding every value, so each
(loop, operand ranks) signature compiles once (the disk cache makes re-runs fast).

Exact equality (bit for bit, NaN positions equal) for arithmetic, comparisons, rounding, bit and
integer operations and conversions; transcendental functions within a few ulp of NumPy.
float16 has no arithmetic in Numba, so its equations stay with NumPy (asserted below).
"""

import re

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.core import Array
from jaxlite.lax.elementwise import BINARY, UNARY

PRIMS = lax.PRIMITIVES
F16 = np.dtype(np.float16)
DTYPES = [np.dtype(c) for c in "?bhilBHILefdFD"]  # 'l' is int64 (Linux)
COMPILED_DTYPES = [d for d in DTYPES if d != F16]
NAN, INF = float("nan"), float("inf")

# ---------------------------------------------------------------- tolerances

# Functions NumPy computes with its own (often SIMD) approximations: compared to a few ulp.
# Everything else must be bit-exact.
TRANSCENDENTAL = {
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos",
    "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "cbrt", "atan2", "hypot", "pow",
    "logaddexp", "logaddexp2",
}
MAX_ULP = 4
# NumPy's own loops disagree on the sign of a zero result here (its contiguous SIMD loops return
# the second operand of a tie, its short and scalar loops sometimes the first)
SIGNED_ZERO_UNSPECIFIED = {"fmax", "fmin"}
# complex results of transcendental functions and of these are compared with a relative
# tolerance on each part (NumPy's SIMD complex multiply and square round with fused
# multiply-adds; Numba's complex sqrt is not glibc's)
COMPLEX_ROUNDED = {"mul", "square", "sqrt"}
COMPLEX_RTOL = {np.dtype(np.complex64): 4e-6, np.dtype(np.complex128): 1e-14}


# ---------------------------------------------------------------- values


def _float_edges(dtype):
    info = np.finfo(dtype)
    values = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 2.0, 3.0, -3.0, 7.0, 0.1, -0.7,
              100.5, 1e10, -1e10, 1e308, -1e308, 1e-308, 1e-40, 65504.0, 3.1415926, INF, -INF, NAN,
              float(info.max), float(info.min), float(info.tiny), float(info.smallest_subnormal),
              -float(info.smallest_subnormal), float(info.eps)]
    with np.errstate(over="ignore"):
        return np.array(values).astype(dtype)


def _int_edges(dtype):
    info = np.iinfo(dtype)
    values = [0, 1, -1, 2, -2, 3, -3, 7, -7, 8, 31, 32, 63, 64, 100, -100, info.min, info.min + 1,
              info.max, info.max - 1, info.max // 2, info.min // 2]
    bits = 8 * dtype.itemsize
    return np.array([v % 2**bits for v in values], f"u{dtype.itemsize}").view(dtype)


def edges(dtype):
    """Edge values of `dtype` (unique)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.array([False, True])
    if dtype.kind in "iu":
        return np.unique(_int_edges(dtype))
    if dtype.kind == "f":
        return _float_edges(dtype)
    part = _float_edges(np.empty(0, dtype).real.dtype)[[0, 1, 2, 3, 4, 9, 13, 18, 21, 25, 26, 27]]
    re, im = (a.ravel() for a in np.meshgrid(part, part))
    return _complex(re, im, dtype)


def _complex(re, im, dtype):
    out = np.empty(re.shape, dtype)  # not re + 1j * im: 1j * inf has a NaN real part
    out.real, out.imag = re, im
    return out


def randoms(dtype, n, seed):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(n) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        small = rng.integers(-50 if dtype.kind == "i" else 0, 50, n // 2)
        full = rng.integers(info.min, info.max, n - n // 2, dtype=dtype, endpoint=True)
        return np.concatenate([small.astype(dtype), full])
    if dtype.kind == "f":
        scales = 10.0 ** rng.integers(-8, 9, n)
        values = rng.standard_normal(n) * scales
        values[: n // 4] = rng.uniform(-1, 1, n // 4)  # the domain of asin, atanh, ...
        with np.errstate(over="ignore"):
            return values.astype(dtype)
    real = np.empty(0, dtype).real.dtype
    return _complex(randoms(real, n, seed), randoms(real, n, seed + 1), dtype)


def unary_operands(dtype):
    return (np.concatenate([edges(dtype), randoms(dtype, 300, 0)]),)


def binary_operands(d1, d2):
    e1, e2 = edges(d1), edges(d2)
    x, y = (a.ravel() for a in np.meshgrid(e1, e2, indexing="ij"))
    return np.concatenate([x, randoms(d1, 300, 1)]), np.concatenate([y, randoms(d2, 300, 2)])


def operands(name, loop):
    ops = unary_operands(*loop) if len(loop) == 1 else binary_operands(*loop)
    if name == "pow" and loop[1].kind == "i":  # NumPy rejects negative integer powers
        x, y = ops
        ops = (x, np.where(y < 0, ~y, y))
    return ops


# ---------------------------------------------------------------- loops and batches


def ufunc_loops(ufunc):
    loops = []
    for signature in ufunc.types:
        try:
            loop = tuple(np.dtype(c) for c in signature.split("->")[0])
        except TypeError:
            continue
        if all(d in DTYPES for d in loop) and loop not in loops:
            loops.append(loop)
    return loops


def _primitive_loops():
    table = {}
    for name, ufunc in {**UNARY, **BINARY}.items():
        for loop in ufunc_loops(ufunc):
            table.setdefault(loop, []).append(name)
    for dtype in DTYPES:
        if dtype.kind != "b":
            table.setdefault((dtype,), []).extend(["real", "imag"])
    for dtype in (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)):
        table.setdefault((dtype, dtype), []).append("complex")
    return table


LOOPS = _primitive_loops()


def _loop_id(loop):
    return "-".join(d.name for d in loop)


def _bind(name, *xs):
    return PRIMS[name].bind(*xs)


def _eager(name, arrays):
    with np.errstate(all="ignore"):
        out = _bind(name, *[Array(a) for a in arrays])
    return [np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else [np.asarray(out)]


def _batch(names, operand_lists):
    """A jitted function applying each primitive to its operands (a flat argument list)."""
    counts = [len(ops) for ops in operand_lists]

    def f(*flat):
        outs, k = [], 0
        for name, n in zip(names, counts):
            outs.append(_bind(name, *flat[k : k + n]))
            k += n
        return outs

    return jaxlite.jit(f)


def _results(names, operand_lists):
    """{name: list of result arrays or the exception}, compiled as one function if possible."""
    flat = [Array(a) for ops in operand_lists for a in ops]
    f = _batch(names, operand_lists)
    try:
        with np.errstate(all="ignore"):
            outs = f(*flat)
        fallbacks = {e.primitive.name for e in f.lower(*flat).compile().fallbacks}
    except Exception as err:  # isolate the culprits, halving the batch
        if len(names) == 1:
            return {names[0]: (err, set())}
        half = len(names) // 2
        return {**_results(names[:half], operand_lists[:half]), **_results(names[half:], operand_lists[half:])}
    return {
        name: ([np.asarray(o) for o in out] if isinstance(out, (list, tuple)) else [np.asarray(out)], fallbacks)
        for name, out in zip(names, outs)
    }


# ---------------------------------------------------------------- comparison


def _ordered(x):
    """Float bits as integers ordered like the floats (the difference counts ulps)."""
    bits = x.view(f"i{x.dtype.itemsize}").astype(object)
    top = 1 << (8 * x.dtype.itemsize - 1)
    return np.where(bits < 0, -top - bits, bits)


def _float_mismatch(got, want, ulps, signed_zeros=True):
    """Positions where float arrays differ: NaN positions, else bits (ulps > 0: ulp distance)."""
    got_nan, want_nan = np.isnan(got), np.isnan(want)
    bad = got_nan != want_nan
    both = ~(got_nan | want_nan)
    if not signed_zeros:
        both &= ~((got == 0) & (want == 0))
    if ulps == 0:
        bits = f"u{got.dtype.itemsize}"
        bad |= both & (got.view(bits) != want.view(bits))
    else:
        dist = np.abs(_ordered(got) - _ordered(want))
        bad |= both & (dist > ulps) | both & (np.isinf(got) != np.isinf(want))
    return bad


def mismatch(got, want, name, condition=1.0):
    """Boolean array of positions where jit's result differs from eager's."""
    assert got.dtype == want.dtype, f"dtype {got.dtype} != eager's {want.dtype}"
    assert got.shape == want.shape, f"shape {got.shape} != eager's {want.shape}"
    kind = want.dtype.kind
    if kind in "biu":
        return got != want
    ulps = MAX_ULP if name in TRANSCENDENTAL else 0
    if kind == "f":
        return _float_mismatch(got, want, ulps, name not in SIGNED_ZERO_UNSPECIFIED)
    if ulps == 0 and name not in COMPLEX_ROUNDED:
        return _float_mismatch(got.real, want.real, 0) | _float_mismatch(got.imag, want.imag, 0)
    rtol = COMPLEX_RTOL[want.dtype] * condition
    bad = np.zeros(got.shape, bool)
    for g, w in ((got.real, want.real), (got.imag, want.imag)):
        finite = np.isfinite(g) & np.isfinite(w)
        scale = np.maximum(np.abs(want), np.finfo(w.dtype).tiny)
        with np.errstate(all="ignore"):
            bad |= finite & (np.abs(g - w) > rtol * scale)
        bad |= ~finite & ((np.isnan(g) != np.isnan(w)) | (np.isinf(g) != np.isinf(w)))
    return bad


def describe(name, operands, got, want, bad, limit=6):
    rows = []
    for i in np.flatnonzero(bad.ravel())[:limit]:
        args = ", ".join(repr(op.ravel()[i] if op.ndim else op[()]) for op in operands)
        rows.append(f"    {name}({args}) = {got.ravel()[i]!r}, eager {want.ravel()[i]!r}")
    return f"{name}: {int(bad.sum())} of {bad.size} differ\n" + "\n".join(rows)


def _condition(name, operands):
    """How much a complex power amplifies rounding errors: about |b log(a)| (at least 1)."""
    if name != "pow" or len(operands) != 2 or operands[0].dtype.kind != "c":
        return 1.0
    a, b = operands
    with np.errstate(all="ignore"):
        c = np.abs(b.astype(np.complex128) * np.log(a.astype(np.complex128)))
    return np.maximum(np.where(np.isfinite(c), c, 1.0), 1.0)


def compare(name, operands, got_list, want_list):
    problems = []
    for got, want in zip(got_list, want_list):
        try:
            bad = mismatch(got, want, name, _condition(name, operands))
        except AssertionError as err:
            problems.append(f"{name}: {err}")
            continue
        if bad.any():
            b = np.broadcast_to(bad, np.broadcast_shapes(bad.shape, *(op.shape for op in operands)))
            ops = [np.broadcast_to(op, b.shape) for op in operands]
            problems.append(describe(name, ops, np.broadcast_to(got, b.shape), np.broadcast_to(want, b.shape), b))
    return problems


def expected_fallbacks(avals_dtypes):
    """Equations on float16 are left to NumPy (Numba has no float16 type)."""
    return F16 in avals_dtypes


def _first_line(err):
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(err))
    return " ".join(line.strip() for line in text.splitlines() if line.strip())[:240]


def check_batch(names, operand_lists, loop):
    results = _results(names, operand_lists)
    problems = []
    for name, ops in zip(names, operand_lists):
        got, fallbacks = results[name]
        if isinstance(got, Exception):
            problems.append(f"{name}: jit raised {type(got).__name__}: {_first_line(got)}")
            continue
        want = _eager(name, ops)
        problems += compare(name, ops, got, want)
        out_dtypes = {w.dtype for w in want}
        if name in fallbacks and not expected_fallbacks({*loop, *out_dtypes}):
            problems.append(f"{name}: left to NumPy under jit (no lowering)")
        if F16 in {*loop, *out_dtypes} and name not in fallbacks:
            problems.append(f"{name}: float16 compiled by Numba, expected NumPy fallback")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- elementwise primitives


@pytest.mark.parametrize("loop", list(LOOPS), ids=_loop_id)
def test_elementwise_loop(loop):
    names = LOOPS[loop]
    check_batch(names, [operands(n, loop) for n in names], loop)


def _scalar_cases(ops, count=24):
    n = ops[0].shape[0]
    picks = np.linspace(0, n - 1, count).astype(int)
    return [tuple(op[i] for op in ops) for i in picks]


# scalar statements run the same rules as loops: a few dtypes of each kind
RANK0_DTYPES = [np.dtype(t) for t in (np.bool_, np.int8, np.int64, np.uint16, np.uint64, np.float32, np.float64,
                                      np.complex64)]
SCALAR_LOOPS = [loop for loop in LOOPS if all(d in RANK0_DTYPES for d in loop)]


@pytest.mark.parametrize("loop", SCALAR_LOOPS, ids=_loop_id)
def test_elementwise_rank0(loop):
    """Rank-0 operands become scalar statements (no loop): same results."""
    names = LOOPS[loop]
    all_ops = [operands(n, loop) for n in names]
    f = _batch(names, all_ops)
    problems = []
    for k in range(len(_scalar_cases(all_ops[0]))):
        cases = [_scalar_cases(ops)[k] for ops in all_ops]
        flat = [Array(np.asarray(v)) for case in cases for v in case]
        with np.errstate(all="ignore"):
            outs = f(*flat)
        for name, case, out in zip(names, cases, outs):
            got = [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]
            problems += compare(name, [np.asarray(v) for v in case], got, _eager(name, [np.asarray(v) for v in case]))
    assert not problems, "\n".join(problems[:30])


BROADCAST_DTYPES = [np.dtype(t) for t in (np.bool_, np.int32, np.uint8, np.float32, np.complex128)]


@pytest.mark.parametrize("dtype", BROADCAST_DTYPES, ids=str)
def test_elementwise_rank0_broadcast(dtype):
    """A rank-0 operand against an array, on either side: read once outside the loop."""
    names = LOOPS[(dtype, dtype)]
    y = np.concatenate([edges(dtype), randoms(dtype, 50, 3)])
    y_exponent = np.where(y < 0, ~y, y) if dtype.kind == "i" else y
    problems = []
    for s in edges(dtype)[:: max(1, len(edges(dtype)) // 5)]:
        s = np.asarray(s)
        ops = []
        for n in names:
            ops += [(s, y_exponent if n == "pow" else y), (y, np.where(s < 0, ~s, s) if n == "pow" and dtype.kind == "i" else s)]
        flat = [Array(a) for o in ops for a in o]
        f = _batch([n for n in names for _ in (0, 1)], ops)  # one signature: compiles once
        with np.errstate(all="ignore"):
            outs = f(*flat)
        for k, (o, out) in enumerate(zip(ops, outs)):
            name = names[k // 2]
            got = [np.asarray(v) for v in (out if isinstance(out, (list, tuple)) else [out])]
            problems += compare(name, list(o), got, _eager(name, o))
    assert not problems, "\n".join(problems[:30])


# ---------------------------------------------------------------- Python scalars (weak types)

LITERAL_CASES = {
    "mul": lambda x: x * 2.5,
    "add": lambda x: x + 1,
    "rsub": lambda x: 3 - x,
    "div": lambda x: x / 3,
    "pow": lambda x: x ** 2,
    "floordiv": lambda x: x // 3,
    "mod": lambda x: x % -3,
    "gt": lambda x: x > 0.5,
    "max": lambda x: jnp.maximum(x, 1),
    "where": lambda x: jnp.where(x > 0, x, 0.5),
    "chain": lambda x: (x * 2.5 + 1) / 3 - x ** 2,
}
INT_ONLY = {"shift": lambda x: x << 3, "and": lambda x: x & 6, "neg_mod": lambda x: -x % 7}


@pytest.mark.parametrize("dtype", [np.dtype(t) for t in (np.float32, np.float64, np.int8, np.int32, np.uint8, np.complex64)], ids=str)
def test_python_scalars_keep_the_array_dtype(dtype):
    """jit(lambda x: x * 2.5) on float32 stays float32 (weak literals), values equal eager."""
    cases = dict(LITERAL_CASES)
    if dtype.kind in "iu":
        cases.update(INT_ONLY)
        cases = {k: v for k, v in cases.items() if k not in ("mul", "div", "where", "chain", "gt", "max")}
    if dtype.kind == "u":  # NumPy rejects a negative Python int against an unsigned array
        cases = {k: v for k, v in cases.items() if k not in ("mod", "rsub")}
    if dtype.kind == "c":
        cases = {k: v for k, v in cases.items() if k not in ("floordiv", "mod", "gt", "max", "where")}
    x = np.concatenate([edges(dtype), randoms(dtype, 40, 5)])
    if dtype.kind == "u":
        x = x[x < 200]
    f = jaxlite.jit(lambda x: {k: fn(x) for k, fn in cases.items()})
    with np.errstate(all="ignore"):
        got = f(Array(x))
        want = {k: fn(Array(x)) for k, fn in cases.items()}
    problems = []
    for k in cases:
        g, w = np.asarray(got[k]), np.asarray(want[k])
        problems += compare(k, [x], [g], [w])
    assert not problems, "\n".join(problems)
    assert np.asarray(got["add"]).dtype == dtype


def test_python_scalar_literal_is_typed_in_generated_code():
    x = Array(np.arange(4, dtype=np.float32))
    text = jaxlite.jit(lambda x: x * 2.5).lower(x).as_text()
    assert "np.float32(2.5)" in text and "float64" not in text


# ---------------------------------------------------------------- convert_element_type


def _convert_values(src):
    x = np.concatenate([edges(src), randoms(src, 200, 7)])
    return x


def _convert_reference(x, dst):
    with np.errstate(all="ignore"):
        return np.asarray(lax.convert_element_type(Array(x), dst))


# Float -> integer conversions of NaN, infinities and out-of-range values are undefined in C;
# NumPy's results for them depend on its (SIMD) cast loops and the source dtype: not compared.
def _defined_conversion(x, dst):
    if x.dtype.kind not in "fc" or dst.kind not in "iu":
        return np.ones(x.shape, bool)
    real = x.real.astype(np.float64)
    info = np.iinfo(dst)
    with np.errstate(all="ignore"):
        return np.isfinite(real) & (real > float(info.min) - 1) & (real < float(info.max) + 1)


@pytest.mark.parametrize("src", DTYPES, ids=str)
def test_convert_element_type(src):
    x = _convert_values(src)
    f = jaxlite.jit(lambda x: [lax.convert_element_type(x, d) for d in DTYPES])
    with np.errstate(all="ignore"):
        outs = f(Array(x))
    fallbacks = {e.primitive.name for e in f.lower(Array(x)).compile().fallbacks}
    problems = []
    for dst, out in zip(DTYPES, outs):
        got, want = np.asarray(out), _convert_reference(x, dst)
        keep = _defined_conversion(x, dst)
        problems += compare(f"convert to {dst}", [x[keep]], [got[keep]], [want[keep]])
    if src != F16:
        assert fallbacks <= {"convert_element_type"}  # only the float16 targets
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- select_n


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_select_n(dtype):
    """Bool and integer predicates (array or rank 0), one to three cases; equal to NumPy."""
    cases = [randoms(dtype, 60, s) for s in (11, 12, 13)]
    rng = np.random.default_rng(0)
    which_b = rng.random(60) < 0.5
    which_i = rng.integers(0, 3, 60).astype(np.int32)
    which_u = rng.integers(0, 2, 60).astype(np.uint8)
    f = jaxlite.jit(lambda wb, wi, wu, s, a, b, c: [
        lax.select_n(wb, a, b), lax.select_n(wi, a, b, c), lax.select_n(wu, c, a), lax.select_n(s, a, b),
        lax.select_n(wi * 0, a)])
    args = [which_b, which_i, which_u, np.asarray(True), *cases]
    got = [np.asarray(o) for o in f(*[Array(a) for a in args])]
    want = [np.where(which_b, cases[1], cases[0]), np.choose(which_i, cases), np.where(which_u, cases[0], cases[2]),
            cases[1], cases[0]]
    for k, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == dtype
        np.testing.assert_array_equal(g, w, err_msg=f"select_n case {k}")
    fallbacks = {e.primitive.name for e in f.lower(*[Array(a) for a in args]).compile().fallbacks}
    assert ("select_n" in fallbacks) == (dtype == F16)


# ---------------------------------------------------------------- reductions

REDUCERS = ["reduce_sum", "reduce_prod", "reduce_max", "reduce_min", "reduce_and", "reduce_or", "reduce_xor"]
# (shape, axes): each its own input (distinct shapes keep each in its own loop nest), covering
# trailing axes (accumulated in a scalar), leading and interior axes (accumulated in the output),
# all axes, no axes, and zero-size inputs
REDUCTION_CONFIGS = [
    ((4, 5, 6), (1, 2)), ((5, 4, 6), (0,)), ((6, 4, 5), (0, 2)), ((3, 5), ()), ((3, 0), (1,)),
]


def _reducers_for(dtype):
    kinds = {"reduce_and": "biu", "reduce_or": "biu", "reduce_xor": "biu"}
    return [r for r in REDUCERS if dtype.kind in kinds.get(r, "biufc")]


def _reduction_input(dtype, shape, seed):
    n = int(np.prod(shape))
    x = randoms(dtype, n, seed)
    if dtype.kind in "fc" and n:
        with np.errstate(all="ignore"):
            x = x / np.abs(x).max()  # moderate values: sums and products stay finite
        if dtype.kind == "f":
            x[::5] = np.round(x[::5] * 4)  # ties for max/min
        picks = np.random.default_rng(seed).permutation(n)[:3]
        x[picks[:1]] = np.nan if seed % 2 else np.inf
        x[picks[1:2]] = -np.inf
    return x.reshape(shape).astype(dtype)


def _check_reduction(name, x, axes, got, want):
    assert got.dtype == want.dtype and got.shape == want.shape, f"{name}{axes}: {got.dtype}{got.shape} != {want.dtype}{want.shape}"
    if want.dtype.kind in "biu":
        np.testing.assert_array_equal(got, want, err_msg=f"{name} over {axes} of {x.dtype}{x.shape}")
        return
    if name in ("reduce_max", "reduce_min"):
        bad = mismatch(got, want, "fmax") if want.dtype.kind == "f" else ~(
            (got == want) | (np.isnan(got) & np.isnan(want)))
        assert not bad.any(), f"{name} over {axes}: {got[bad]} != {want[bad]}"
        return
    rtol = 1e-5 if want.dtype in (np.float32, np.complex64) else 1e-12
    for part in ("real", "imag") if want.dtype.kind == "c" else ("real",):
        g, w, xs = getattr(got, part), getattr(want, part), getattr(x, part)
        finite_abs = np.where(np.isfinite(xs), np.abs(xs), 0)
        scale = np.sum(finite_abs, axis=axes) if name == "reduce_sum" else np.abs(want)
        scale = np.maximum(np.where(np.isfinite(scale), scale, 0), 1e-30)
        where = f"{name} over {axes} of {x.dtype}{x.shape} ({part} parts)"
        np.testing.assert_array_equal(np.isnan(g), np.isnan(w), err_msg=where)
        np.testing.assert_array_equal(np.isposinf(g), np.isposinf(w), err_msg=where)
        np.testing.assert_array_equal(np.isneginf(g), np.isneginf(w), err_msg=where)
        finite = np.isfinite(w)
        assert np.all(np.abs(g - w)[finite] <= rtol * np.broadcast_to(scale, w.shape)[finite]), f"{where}: {g} != {w}"


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_reductions(dtype):
    names = _reducers_for(dtype)
    inputs = [_reduction_input(dtype, shape, k) for k, (shape, _) in enumerate(REDUCTION_CONFIGS)]
    plan = [(k, name) for k, (shape, axes) in enumerate(REDUCTION_CONFIGS) for name in names
            if not (0 in shape and name in ("reduce_max", "reduce_min"))]

    def f(*xs):
        return [PRIMS[name].bind(xs[k], axes=REDUCTION_CONFIGS[k][1]) for k, name in plan]

    jitted = jaxlite.jit(f)
    arrays = [Array(x) for x in inputs]
    with np.errstate(all="ignore"):
        outs = jitted(*arrays)
        for (k, name), out in zip(plan, outs):
            want = np.asarray(PRIMS[name].bind(arrays[k], axes=REDUCTION_CONFIGS[k][1]))
            _check_reduction(name, inputs[k], REDUCTION_CONFIGS[k][1], np.asarray(out), want)
    fallbacks = {e.primitive.name for e in jitted.lower(*arrays).compile().fallbacks}
    assert (fallbacks == set()) == (dtype != F16), fallbacks


@pytest.mark.parametrize("dtype", [np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int32)], ids=str)
def test_reduction_fused_after_elementwise_chain(dtype):
    x = _reduction_input(dtype, (40, 30), 1) if dtype.kind == "i" else np.random.default_rng(1).standard_normal((40, 30)).astype(dtype)
    f = jaxlite.jit(lambda x: [jnp.sum(x * x, axis=1), jnp.max(jnp.abs(x) - 1, axis=0), jnp.sum(x * 2 + 1)])
    got = f(Array(x))
    want = [np.sum(x * x, axis=1), np.max(np.abs(x) - 1, axis=0), np.sum(x * 2 + 1)]
    for g, w in zip(got, want):
        g = np.asarray(g)
        assert g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_float32_sum_is_accurate():
    """A float32 sum of 10**5 values is at least as accurate as NumPy's pairwise sum."""
    x = np.random.default_rng(3).uniform(0, 1, 100_000).astype(np.float32)
    got = float(np.asarray(jaxlite.jit(jnp.sum)(Array(x))))
    exact = float(np.sum(x.astype(np.float64)))
    numpy_error = abs(float(np.sum(x)) - exact)
    assert abs(got - exact) <= max(numpy_error, exact * 2 ** -24)


@pytest.mark.parametrize("n", [4096, 4097, 100_003, 300_007], ids=str)
def test_float64_sums_equal_numpys_bit_for_bit(n):
    """Longer than one block (4096) a float64 sum still adds in NumPy's pairwise order, rows and
    whole arrays, fused with the elementwise work, also when the blocks run on several threads
    (300_007 values)."""
    x = np.random.default_rng(n).standard_normal(n)
    rows = np.stack([x, x[::-1]])
    whole, by_row = jaxlite.jit(lambda x, r: (jnp.sum(x * 2 + 1), jnp.sum(jnp.exp(r), axis=-1)))(x, rows)
    assert float(whole) == np.sum(x * 2 + 1)
    np.testing.assert_array_equal(np.asarray(by_row), np.sum(np.exp(rows), axis=-1))


def test_large_full_reductions_of_every_kind():
    """Reductions of every axis of arrays large enough for a parallel loop: the ones without
    per-block slots (max, min, any, prod) stay serial instead of racing on one accumulator."""
    x = np.random.default_rng(5).standard_normal(300_007)
    f = jaxlite.jit(lambda x: (jnp.max(x), jnp.min(x * 2), jnp.any(x > 4), jnp.all(x < 5),
                               jnp.prod(x * 0 + 1.000001), jnp.sum(x) + jnp.max(jnp.abs(x))))
    want = (np.max(x), np.min(x * 2), np.any(x > 4), np.all(x < 5), np.prod(x * 0 + 1.000001),
            np.sum(x) + np.max(np.abs(x)))
    for g, w in zip(f(x), want):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-12)
    m = x[:300_000].reshape(600, 500)  # every axis of a matrix: one flat pass, as NumPy sums it
    total, top, mean = jaxlite.jit(lambda m: (jnp.sum(m * m), jnp.max(m), jnp.mean(m)))(m)
    assert (float(total), float(top), float(mean)) == (np.sum(m * m), np.max(m), np.mean(m))


def test_bool_sum_counts_under_jit():
    x = np.random.default_rng(4).random((30, 20)) < 0.3
    got = jaxlite.jit(lambda x: jnp.sum(x, axis=0))(Array(x))
    np.testing.assert_array_equal(np.asarray(got), np.sum(x, axis=0))
    assert np.asarray(got).dtype == np.sum(x, axis=0).dtype
