"""The vectorizable transcendental functions of the Numba backend (transforms/numba/vmath.py).

Accuracy in ulp against NumPy over many values spanning each function's whole domain (and,
where long double has 64 bits of mantissa, against the true value), special values bit for
bit (signed zeros, infinities, NaN, subnormals, overflow and underflow thresholds), large sin
and cos arguments close to multiples of pi/2, and that loops calling the functions vectorize
with no call left to the C library. Values are evaluated by calling the compiled scalar
functions (the same machine code the loops inline), which keeps compiles to a few.
"""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.lax.numba_vmath_rules import VMATH_MIN_SIZE
from jaxlite.transforms.numba import vmath as vm

FUNCTIONS = ("exp", "log", "sin", "cos", "tanh")
# Largest difference from NumPy's result (glibc for float64 here) allowed, in ulp of the result.
MAX_ULP_VS_NUMPY = {"exp": 2, "log": 2, "sin": 2, "cos": 2, "tanh": 3}
# Largest error against the true value (long double), in ulp: measured 0.84, 0.80, 0.76, 0.76, 1.34.
MAX_ULP_VS_TRUTH = {"exp": 1.0, "log": 1.0, "sin": 1.0, "cos": 1.0, "tanh": 1.5}
EXTENDED_LONG_DOUBLE = np.finfo(np.longdouble).nmant >= 63
NAN, INF = np.nan, np.inf


def scalar_fn(name, dtype):
    return getattr(vm, vm.VMATH_RULES[name][np.dtype(dtype).name])


def evaluate(name, xs):
    fn, dtype = scalar_fn(name, xs.dtype), xs.dtype.type
    return np.array([fn(dtype(v)) for v in xs], dtype=xs.dtype)


def numpy_ref(name, xs):
    with np.errstate(all="ignore"):
        return getattr(np, name)(xs)


def ulp_diff(got, ref, dtype=None):
    """|got - ref| in units of the spacing at ref (in `dtype`); equal values and NaN pairs are 0."""
    dtype = np.dtype(dtype or ref.dtype)
    with np.errstate(all="ignore"):
        spacing = np.spacing(np.abs(ref).astype(dtype)).astype(np.longdouble)
        diff = np.abs(got.astype(np.longdouble) - ref.astype(np.longdouble)) / spacing
    same = (got == ref) | (np.isnan(got) & np.isnan(ref))
    diff = np.where(same, 0, diff).astype(np.float64)
    return np.where(np.isfinite(diff), diff, np.inf)


def log_uniform(rng, lo, hi, n, signed=True):
    """n values 2**u, u uniform in [lo, hi), with random signs if `signed`."""
    x = np.exp2(rng.uniform(lo, hi, n))
    return x * rng.choice([-1.0, 1.0], n) if signed else x


def domain_values(name, dtype, n=6000):
    """Random values over the function's whole domain and its usual range, in `dtype`."""
    rng = np.random.default_rng(sum(map(ord, name)))
    f64 = np.dtype(dtype) == np.float64
    top, bottom = (1024, -1074) if f64 else (128, -149)
    parts = [log_uniform(rng, bottom, top, n)]
    parts += {
        "exp": [rng.uniform(-750, 715, n) if f64 else rng.uniform(-106, 90, n), rng.uniform(-1, 1, n)],
        "log": [rng.uniform(0, 4, n), rng.uniform(0.6, 1.5, n)],
        "sin": [rng.uniform(-10, 10, n), rng.uniform(-1e6, 1e6, n), log_uniform(rng, 20, top, n)],
        "cos": [rng.uniform(-10, 10, n), rng.uniform(-1e6, 1e6, n), log_uniform(rng, 20, top, n)],
        "tanh": [rng.uniform(-1, 1, n), rng.uniform(-25, 25, n), rng.uniform(0.5, 0.6, n)],
    }[name]
    return np.concatenate(parts).astype(dtype)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_float64_within_ulp_of_numpy(name):
    x = domain_values(name, np.float64)
    got, ref = evaluate(name, x), numpy_ref(name, x)
    err = ulp_diff(got, ref)
    worst = int(np.argmax(err))
    assert err.max() <= MAX_ULP_VS_NUMPY[name], (
        f"{name}({x[worst]!r}) = {got[worst]!r}, NumPy {ref[worst]!r}: {err.max()} ulp")


@pytest.mark.skipif(not EXTENDED_LONG_DOUBLE, reason="needs 80-bit long double as the reference")
@pytest.mark.parametrize("name", FUNCTIONS)
def test_float64_within_ulp_of_true_value(name):
    x = domain_values(name, np.float64)
    x = x[np.isfinite(numpy_ref(name, x))]
    got, truth = evaluate(name, x), numpy_ref(name, x.astype(np.longdouble))
    err = ulp_diff(got, truth, np.float64)
    worst = int(np.argmax(err))
    assert err.max() <= MAX_ULP_VS_TRUTH[name], f"{name}({x[worst]!r}): {err.max():.3f} ulp"


@pytest.mark.parametrize("name", FUNCTIONS)
def test_float32_is_float64_result_rounded(name):
    x = domain_values(name, np.float32)
    got = evaluate(name, x)
    assert got.dtype == np.float32
    with np.errstate(all="ignore"):
        rounded = numpy_ref(name, x.astype(np.float64)).astype(np.float32)
    assert ulp_diff(got, rounded).max() <= 1
    assert ulp_diff(got, numpy_ref(name, x)).max() <= 4  # NumPy's float32 SIMD loops: <= 3 ulp


TINY, DENORM, BIG = 2.2250738585072014e-308, 5e-324, 1.7976931348623157e308
SPECIALS = {
    "exp": [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, DENORM, 709.78, 709.79, 710.0, 1e300, -745.13,
            -745.14, -746.0, -1e300, -708.4, -708.39, 7e-9],
    "log": [0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, DENORM, TINY, BIG, 2.0, 0.5, -DENORM, 1e-310],
    "sin": [0.0, -0.0, INF, -INF, NAN, DENORM, -DENORM, TINY, BIG, -BIG, 1e-300, 7e-9, -7e-9,
            7.5e-9, np.pi, np.pi / 2, 1e22, 2.0 ** 1023],
    "cos": [0.0, -0.0, INF, -INF, NAN, DENORM, TINY, BIG, -BIG, 7e-9, 7.5e-9, np.pi, np.pi / 2,
            1e22, 2.0 ** 1023],
    "tanh": [0.0, -0.0, INF, -INF, NAN, DENORM, -DENORM, TINY, BIG, -BIG, 0.55, -0.55, 19.0, 20.0,
             -20.0, 1e-300, 710.0],
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_special_values(name, dtype):
    with np.errstate(all="ignore"):
        x = np.array(SPECIALS[name], np.float64).astype(dtype)
    got, ref = evaluate(name, x), numpy_ref(name, x)
    kinds = lambda v: (np.isnan(v), np.isposinf(v), np.isneginf(v), v == 0, np.signbit(v) & (v == 0))
    for got_kind, ref_kind in zip(kinds(got), kinds(ref)):
        np.testing.assert_array_equal(got_kind, ref_kind, err_msg=f"{name} of {x}: {got} vs {ref}")
    assert ulp_diff(got, ref).max() <= MAX_ULP_VS_NUMPY[name], f"{name} of {x}: {got} vs {ref}"


def test_sin_cos_near_multiples_of_half_pi():
    """Arguments whose reduction cancels many bits, up to the largest exponents."""
    rng = np.random.default_rng(7)
    k = np.exp2(rng.uniform(0, 1000, 3000)).round()
    x = np.concatenate([k * (np.pi / 2), np.nextafter(k * (np.pi / 2), INF), [np.pi / 2]])
    for name in ("sin", "cos"):
        err = ulp_diff(evaluate(name, x), numpy_ref(name, x))
        assert err.max() <= MAX_ULP_VS_NUMPY[name], f"{name}({x[int(np.argmax(err))]!r})"


def test_sin_cos_of_the_double_closest_to_a_multiple_of_half_pi():
    # x mod pi/2 is about 2**-61 here; the true values (mpmath, 3000 bits) rounded to double.
    # (NumPy 2.4's own float64 cos on this machine is 8 ulp off here.)
    x = np.array([6381956970095103.0 * 2.0 ** 797, -6381956970095103.0 * 2.0 ** 797])
    cos_true = -4.687165924254628e-19
    np.testing.assert_array_equal(evaluate("sin", x), [1.0, -1.0])
    assert ulp_diff(evaluate("cos", x), np.array([cos_true, cos_true])).max() <= 1


def _loop(dtype):
    import numba

    fns = [scalar_fn(name, dtype) for name in FUNCTIONS]
    f0, f1, f2, f3, f4 = fns

    @numba.njit(error_model="numpy", nogil=True)
    def loop(x, out):
        for i in range(x.shape[0]):
            v = x[i]
            out[0, i] = f0(v)
            out[1, i] = f1(v)
            out[2, i] = f2(v)
            out[3, i] = f3(v)
            out[4, i] = f4(v)

    return loop


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_loops_vectorize_and_match_scalar_calls(dtype):
    """Inlined into a loop the functions vectorize (no fastmath) and call no libm function."""
    x = np.concatenate([domain_values(name, dtype, 200) for name in ("exp", "sin", "tanh")])
    out = np.empty((len(FUNCTIONS), len(x)), dtype)
    loop = _loop(dtype)
    loop(x, out)
    for k, name in enumerate(FUNCTIONS):
        np.testing.assert_array_equal(out[k], evaluate(name, x), err_msg=name)
    ir = loop.inspect_llvm(loop.signatures[0])
    assert "x double>" in ir, "no vector instructions in the loop"
    for libm in ("@sin", "@cos", "@exp", "@log", "@tanh"):
        assert libm not in ir.replace(f"{libm}_", ""), f"a call to {libm} is left in the loop"


def test_rules_table_names_real_functions():
    for prim, by_dtype in vm.VMATH_RULES.items():
        assert prim in lax.PRIMITIVES
        for dtype, fn_name in by_dtype.items():
            assert np.dtype(dtype).kind == "f"
            assert callable(getattr(vm, fn_name))


def test_jit_transcendental_chain_matches_numpy():
    def chain(x):
        return jnp.sin(x) * jnp.cos(x) + jnp.exp(-x * x) * 0.5 + jnp.tanh(x)

    x = np.random.default_rng(3).uniform(-6, 6, 5001)
    x[:4] = [0.0, -0.0, 1e-300, 50.0]
    expected = np.sin(x) * np.cos(x) + np.exp(-x * x) * 0.5 + np.tanh(x)
    f = jaxlite.jit(chain)
    assert "vm.sin_f64" in f.lower(jnp.asarray(x)).as_text()
    got = np.asarray(f(jnp.asarray(x)))
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-15)


def test_small_loops_call_libm_to_save_compile_time():
    f = jaxlite.jit(lambda x: jnp.sin(x) * 2.0)
    assert "vm." not in f.lower(jnp.zeros(VMATH_MIN_SIZE - 1)).as_text()
    assert "vm.sin_f64" in f.lower(jnp.zeros(VMATH_MIN_SIZE)).as_text()
