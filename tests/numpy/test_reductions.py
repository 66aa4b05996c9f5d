"""Reductions and statistics against NumPy, eagerly and traced: dtypes, shapes, axes, keepdims,
dtype=, where=, initial=, NaNs, errors and the jaxprs they record."""

import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import jaxlite
from helpers import assert_like_numpy, check, traced
from jaxlite import Array
import jaxlite.numpy as jnp
from jaxlite.numpy import _order_statistics, _reductions

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

BOOL_INT = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOAT = [np.float16, np.float32, np.float64]
COMPLEX = [np.complex64, np.complex128]
DTYPES = BOOL_INT + FLOAT + COMPLEX
REAL = BOOL_INT + FLOAT


def dtype_id(d):
    return np.dtype(d).name


def sample(dtype, shape=(2, 3, 4), seed=0, nan=False):
    """Values exercising a dtype: negatives, ties and zeros; NaNs (some slices all-NaN) if asked."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.6
    if dtype.kind in "iu":
        low = 0 if dtype.kind == "u" else -4
        return rng.integers(low, 5, size=shape, endpoint=True).astype(dtype)
    values = np.round(rng.normal(size=shape) * 3, 1)
    if dtype.kind == "c":
        values = values + 1j * np.round(rng.normal(size=shape), 1)
    values = values.astype(dtype)
    if nan and values.size > 3:
        values.flat[::3] = np.nan
        if values.ndim > 1 and values.shape[-1] > 0:
            values[(0,) * (values.ndim - 1)] = np.nan  # one all-NaN slice along the last axis
    return values


# (shape, axis): 0-d, 1-d, 3-d, negative and tuple axes, empty tuples, empty arrays
CASES = [
    ((), None), ((), ()), ((5,), None), ((5,), 0), ((5,), -1),
    ((2, 3, 4), None), ((2, 3, 4), 1), ((2, 3, 4), -1), ((2, 3, 4), (0, 2)), ((2, 3, 4), (-1, 0, 1)),
    ((2, 3, 4), ()), ((0,), None), ((2, 0), 1), ((2, 0), 0),
]


def empty_reduction(shape, axis):
    if axis is None:
        return int(np.prod(shape)) == 0
    axes = axis if isinstance(axis, tuple) else (axis,)
    return any(shape[a] == 0 for a in axes)


def check_or_raises(jfn, nfn, *args, **kwargs):
    """`check`, or where NumPy raises (int std, nanmean to int, ...), the same error type naming jfn."""
    try:
        nfn(*args, **kwargs)
    except Exception as error:  # noqa: BLE001
        expected = next(c for c in (IndexError, ValueError, TypeError) if isinstance(error, c))
        for run in (jfn, traced(lambda *a: jfn(*a, **kwargs))):
            with pytest.raises(expected, match=jfn.__name__):
                run(*args, **kwargs) if run is jfn else run(*args)
        return
    check(jfn, nfn, *args, **kwargs)


def run_cases(jfn, nfn, dtype, nan=False, skip_empty=False, **kwargs):
    for i, (shape, axis) in enumerate(CASES):
        if skip_empty and empty_reduction(shape, axis):
            continue
        x = sample(dtype, shape, seed=i, nan=nan)
        check(jfn, nfn, x, axis=axis, keepdims=bool(i % 2), **kwargs)


# ---------------------------------------------------------------- the reductions, every dtype


PLAIN = ["sum", "prod", "mean", "all", "any", "count_nonzero", "var", "std"]
NO_IDENTITY = ["max", "min", "amax", "amin", "ptp"]
NAN_FUNCS = ["nansum", "nanprod", "nanmean", "nanvar", "nanstd"]
NAN_NO_IDENTITY = ["nanmax", "nanmin"]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", PLAIN + NO_IDENTITY)
def test_reduction_matches_numpy(name, dtype):
    if name == "ptp" and dtype == np.bool_:
        pytest.skip("NumPy's ptp rejects bool")
    run_cases(getattr(jnp, name), getattr(np, name), dtype, skip_empty=name in NO_IDENTITY)


@pytest.mark.parametrize("dtype", FLOAT + COMPLEX + [np.int16, np.bool_], ids=dtype_id)
@pytest.mark.parametrize("name", NAN_FUNCS + NAN_NO_IDENTITY)
def test_nan_reduction_matches_numpy(name, dtype):
    if name in NAN_NO_IDENTITY and dtype in COMPLEX:
        pytest.skip("fmax order of complex NaNs")
    run_cases(getattr(jnp, name), getattr(np, name), dtype, nan=True, skip_empty=name in NAN_NO_IDENTITY)


@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "mean", "var", "std", "ptp", "median"])
def test_nan_propagates(name):
    x = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]])
    for axis in (None, 0, 1):
        check(getattr(jnp, name), getattr(np, name), x, axis=axis)


@pytest.mark.parametrize("dtype,expected", [
    (np.bool_, np.int64), (np.int8, np.int64), (np.int32, np.int64), (np.uint8, np.uint64),
    (np.uint32, np.uint64), (np.int64, np.int64), (np.uint64, np.uint64), (np.float16, np.float16),
    (np.float32, np.float32), (np.complex64, np.complex64),
])
def test_accumulator_dtypes(dtype, expected):
    x = sample(dtype, (4,))
    for fn in (jnp.sum, jnp.prod, jnp.cumsum, jnp.cumprod, jnp.nansum):
        assert fn(x).dtype == expected
        assert traced(fn)(x).dtype == expected


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "var", "std", "cumsum", "cumprod", "nansum", "nanmean"])
@pytest.mark.parametrize("dtype,to", [
    (np.int8, np.int8), (np.int8, np.float32), (np.float64, np.float32), (np.float32, np.float64),
    (np.bool_, np.int16), (np.float64, np.int64), (np.float32, np.complex128), (np.uint8, np.uint8),
], ids=lambda p: dtype_id(p) if not isinstance(p, tuple) else None)
def test_dtype_argument(name, dtype, to):
    x = sample(dtype, (3, 4), nan=False)
    for axis in (None, 1):
        check_or_raises(getattr(jnp, name), getattr(np, name), x, axis=axis, dtype=to)


def test_mean_of_ints_is_float64_and_var_of_complex_is_real():
    assert jnp.mean(np.arange(4, dtype=np.int8)).dtype == np.float64
    assert traced(jnp.mean)(np.arange(4, dtype=np.int8)).dtype == np.float64
    z = sample(np.complex64, (5,))
    for fn in (jnp.var, jnp.std, jnp.nanvar, jnp.nanstd):
        assert fn(z).dtype == np.float32 and traced(fn)(z).dtype == np.float32


# ---------------------------------------------------------------- where= and initial=


WHERE_CASES = [((2, 3, 4), None), ((2, 3, 4), 1), ((2, 3, 4), (0, 2))]


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.float32, np.float64, np.complex128], ids=dtype_id)
@pytest.mark.parametrize("name", ["sum", "prod", "mean", "var", "std", "all", "any", "nansum", "nanprod",
                                  "nanmean", "nanvar", "nanstd"])
def test_where_mask(name, dtype):
    x = sample(dtype, (2, 3, 4), nan=name.startswith("nan"))
    for i, (mask_shape, axis) in enumerate(zip([(2, 3, 4), (3, 4), (4,), (), (2, 1, 4)], [None, 1, (0, 2), -1, 0])):
        where = np.random.default_rng(i).random(mask_shape) < 0.7
        check(lambda x, w: getattr(jnp, name)(x, axis=axis, where=w, keepdims=bool(i % 2)),
              lambda x, w: getattr(np, name)(x, axis=axis, where=w, keepdims=bool(i % 2)), x, where)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.float32, np.float64], ids=dtype_id)
@pytest.mark.parametrize("name", ["sum", "prod", "max", "min", "nansum", "nanmax", "nanmin"])
def test_initial_and_where(name, dtype):
    x = sample(dtype, (2, 3, 4), nan=name.startswith("nan"))
    where = np.random.default_rng(1).random((3, 4)) < 0.5
    for axis in (None, 0, (1, 2)):
        check(getattr(jnp, name), getattr(np, name), x, axis=axis, initial=3)
        check(lambda x, w: getattr(jnp, name)(x, axis=axis, initial=2, where=w),
              lambda x, w: getattr(np, name)(x, axis=axis, initial=2, where=w), x, where)
    for shape in [(0,), (2, 0)]:  # initial makes empty max/min well defined
        check(getattr(jnp, name), getattr(np, name), np.ones(shape, dtype), axis=-1, initial=5, keepdims=True)


def test_traced_initial():
    check(lambda x, i: jnp.sum(x, initial=i), lambda x, i: np.sum(x, initial=i), np.arange(4.0), np.float64(2))
    check(lambda x, i: jnp.max(x, initial=i), lambda x, i: np.max(x, initial=i), np.arange(4.0), np.float64(9))


def test_false_where_and_initial_are_not_defaults():
    x = sample(np.float64, (2, 3))
    check(jnp.sum, np.sum, x, where=False)
    check(jnp.max, np.max, x, axis=0, where=False, initial=-1.0)
    check(jnp.max, np.max, np.zeros((0,), bool), initial=False)
    check(jnp.any, np.any, x, axis=1, where=False)


def test_max_with_nan_initial_and_all_masked():
    x = np.array([[np.nan, 1.0], [2.0, 3.0]])
    check(jnp.max, np.max, x, axis=1, initial=0.0)
    check(jnp.nanmax, np.nanmax, x, axis=1, initial=0.0)
    check(jnp.max, np.max, x, axis=0, initial=-1.0, where=np.array([False, False]))


# ---------------------------------------------------------------- argmax, argmin


ARG_CASES = [((), None), ((), 0), ((5,), None), ((5,), 0), ((2, 3, 4), None), ((2, 3, 4), 1), ((2, 3, 4), -1)]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name, dtype):
    for i, (shape, axis) in enumerate(ARG_CASES):
        x = sample(dtype, shape, seed=i)
        for keepdims in (False, True):
            check(getattr(jnp, name), getattr(np, name), x, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize("name", ["argmax", "argmin", "nanargmax", "nanargmin"])
def test_arg_reductions_with_nans(name):
    x = np.array([[1.0, np.nan, 5.0, np.nan], [2.0, -1.0, 7.0, 7.0], [np.inf, -np.inf, 0.0, np.nan]])
    for axis in (None, 0, 1):
        check(getattr(jnp, name), getattr(np, name), x, axis=axis)
        check(getattr(jnp, name), getattr(np, name), x, axis=axis, keepdims=True)
    check(getattr(jnp, name), getattr(np, name), np.arange(6, dtype=np.int16).reshape(2, 3), axis=1)


def test_nanargmax_all_nan_slice():
    x = np.array([[np.nan, np.nan], [1.0, np.nan]])
    with pytest.raises(ValueError, match="nanargmax.*All-NaN slice"):
        jnp.nanargmax(x, axis=1)
    np.testing.assert_array_equal(traced(lambda x: jnp.nanargmax(x, axis=1))(x), [-1, 0])


# ---------------------------------------------------------------- cumulative


CUMULATIVE_CASES = [((), None), ((), 0), ((5,), None), ((5,), 0), ((0,), 0), ((2, 3, 4), None),
                    ((2, 3, 4), 1), ((2, 3, 4), -1), ((2, 0), 1)]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "nancumsum", "nancumprod"])
def test_cumulative(name, dtype):
    for i, (shape, axis) in enumerate(CUMULATIVE_CASES):
        check(getattr(jnp, name), getattr(np, name), sample(dtype, shape, seed=i, nan=True), axis=axis)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint32, np.float32, np.complex64], ids=dtype_id)
@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
def test_cumulative_array_api(name, dtype):
    for i, (shape, axis) in enumerate([((), None), ((5,), None), ((5,), -1), ((0,), 0), ((2, 3, 4), 1),
                                       ((2, 3, 4), 2)]):
        x = sample(dtype, shape, seed=i)
        for include_initial in (False, True):
            check(getattr(jnp, name), getattr(np, name), x, axis=axis, include_initial=include_initial)
        check(getattr(jnp, name), getattr(np, name), x, axis=axis, dtype=np.float64)
    with pytest.raises(ValueError, match=f"{name}.*axis"):
        getattr(jnp, name)(np.ones((2, 3)))
    with pytest.raises(ValueError, match=rf"{name}.*axis.*\(2, 3\)"):
        traced(getattr(jnp, name))(np.ones((2, 3)))


# ---------------------------------------------------------------- average


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.float32, np.float64, np.complex128], ids=dtype_id)
def test_average(dtype):
    x = sample(dtype, (2, 3, 4))
    for axis in (None, 1, (0, 2)):
        for keepdims in (False, True):
            check(jnp.average, np.average, x, axis=axis, keepdims=keepdims)
            check(jnp.average, np.average, x, axis=axis, keepdims=keepdims, returned=True)
    w_full = np.random.default_rng(0).random((2, 3, 4)) + 0.5
    check(lambda x, w: jnp.average(x, weights=w), lambda x, w: np.average(x, weights=w), x, w_full)
    check(lambda x, w: jnp.average(x, axis=1, weights=w, returned=True),
          lambda x, w: np.average(x, axis=1, weights=w, returned=True), x, w_full)
    for axis, w in [(1, np.arange(1, 4, dtype=np.int32)), ((2, 0), np.ones((4, 2), np.float32) + 1),
                    ((0, 2), np.arange(8.0).reshape(2, 4) + 1)]:
        for keepdims in (False, True):
            check(lambda x, w: jnp.average(x, axis=axis, weights=w, returned=True, keepdims=keepdims),
                  lambda x, w: np.average(x, axis=axis, weights=w, returned=True, keepdims=keepdims), x, w)


def test_average_errors():
    x = np.ones((2, 3))
    with pytest.raises(TypeError, match="average.*Axis must be specified"):
        jnp.average(x, weights=np.ones(3))
    with pytest.raises(TypeError, match=r"average.*Axis must be specified.*\(3,\)"):
        traced(lambda x: jnp.average(x, weights=np.ones(3)))(x)
    with pytest.raises(ValueError, match=r"average.*Shape of weights \(2,\)"):
        traced(lambda x: jnp.average(x, axis=1, weights=np.ones(2)))(x)
    with pytest.raises(ZeroDivisionError, match="average.*Weights sum to zero"):
        jnp.average(x, axis=1, weights=np.zeros(3))


# ---------------------------------------------------------------- median, quantile, percentile


MEDIAN_CASES = [((), None), ((5,), None), ((6,), 0), ((2, 3, 4), None), ((2, 3, 4), 1), ((2, 3, 4), (0, 2)),
                ((2, 3, 4), -1), ((3, 0), 0)]


@pytest.mark.parametrize("dtype", DTYPES, ids=dtype_id)
@pytest.mark.parametrize("name", ["median", "nanmedian"])
def test_median(name, dtype):
    for i, (shape, axis) in enumerate(MEDIAN_CASES):
        x = sample(dtype, shape, seed=i, nan=name == "nanmedian")
        check(getattr(jnp, name), getattr(np, name), x, axis=axis, keepdims=bool(i % 2))


QUANTILE_METHODS = ["inverted_cdf", "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
                    "hazen", "weibull", "linear", "median_unbiased", "normal_unbiased", "lower", "higher",
                    "midpoint", "nearest"]
# q: a weak Python float, a float64 vector with both ends, float32, 0-d and 2-d arrays
QS = [0.3, np.array([0.0, 0.1, 0.25, 0.5, 0.75, 0.99, 1.0]), np.array([0.2, 1.0], np.float32), np.array(0.4),
      np.array([[0.5], [0.9]])]


@pytest.mark.parametrize("method", QUANTILE_METHODS)
@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
def test_quantile_methods(name, method):
    scale = 100 if "percentile" in name else 1
    for i, dtype in enumerate([np.int8, np.float32, np.float64]):
        x = sample(dtype, (3, 5, 4), seed=i, nan=name.startswith("nan"))
        for j, q in enumerate(QS[:-1] if name.startswith("nan") else QS):  # NumPy's nan* mishandle 2-d q
            q = q * scale if isinstance(q, float) else np.asarray(q * scale, np.asarray(q).dtype)
            axis, keepdims = [(None, False), (1, True), ((0, 2), False)][(i + j) % 3]
            check(getattr(jnp, name), getattr(np, name), x, q=q, axis=axis, method=method, keepdims=keepdims)


@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
def test_quantile_traced_q_and_weights(name):
    scale = 100 if "percentile" in name else 1
    x = sample(np.float64, (3, 7), nan=name.startswith("nan"))
    q = np.array([0.0, 0.2, 0.5, 0.9, 1.0]) * scale
    check(lambda x, q: getattr(jnp, name)(x, q, axis=1), lambda x, q: getattr(np, name)(x, q, axis=1), x, q)
    check(lambda x, q: getattr(jnp, name)(x, q, axis=0, method="nearest"),
          lambda x, q: getattr(np, name)(x, q, axis=0, method="nearest"), x, q)
    weights = np.random.default_rng(3).integers(0, 4, size=(3, 7)).astype(float)
    weights[:, 0] = 0.0  # a leading zero weight
    weights[:, -1] += 1
    # NumPy's nan* raise IndexError for 1-d weights along an axis of n-d input (a NumPy bug)
    for axis, w in [(1, weights), (None, weights)] + ([] if name.startswith("nan") else [(1, weights[0])]):
        check(lambda x, w: getattr(jnp, name)(x, q, axis=axis, method="inverted_cdf", weights=w),
              lambda x, w: getattr(np, name)(x, q, axis=axis, method="inverted_cdf", weights=w), x, w)


@pytest.mark.parametrize("name", ["nanmedian", "nanquantile", "nanpercentile"])
def test_nan_order_statistics_of_empty_input_are_nanmean(name):
    fn = getattr(jnp, name) if name == "nanmedian" else (lambda x, **k: getattr(jnp, name)(x, [0.5, 0.9], **k))
    nfn = getattr(np, name) if name == "nanmedian" else (lambda x, **k: getattr(np, name)(x, [0.5, 0.9], **k))
    fn.__name__ = name
    for dtype, shape, axis in [(np.int8, (0,), None), (np.float32, (0, 3), 0), (np.float64, (2, 0), 1)]:
        check(fn, nfn, np.zeros(shape, dtype), axis=axis)
        check(fn, nfn, np.zeros(shape, dtype), axis=axis, keepdims=True)


def test_quantile_dtypes():
    x32 = np.arange(5, dtype=np.float32)
    assert jnp.quantile(x32, 0.5).dtype == traced(lambda x: jnp.quantile(x, 0.5))(x32).dtype == np.float32
    assert traced(lambda x: jnp.quantile(x, np.array(0.5)))(x32).dtype == np.float64
    assert traced(lambda x: jnp.quantile(x, 0.5, method="lower"))(np.arange(5, dtype=np.int8)).dtype == np.int8
    check(jnp.quantile, np.quantile, np.array([True, False, True]), q=0.5, method="higher")
    check(jnp.quantile, np.quantile, np.arange(5.0), q=np.array([0, 1]))
    check(jnp.quantile, np.quantile, np.array([1.0, np.inf, 2.0]), q=np.array([0.5, 1.0]))


def test_quantile_errors():
    x = np.arange(4.0)
    for run in (lambda f: f(x), lambda f: traced(f)(x)):
        with pytest.raises(ValueError, match=r"quantile.*range \[0, 1\]"):
            run(lambda x: jnp.quantile(x, 1.5))
        with pytest.raises(ValueError, match=r"percentile.*range \[0, 100\]"):
            run(lambda x: jnp.percentile(x, -1))
        with pytest.raises(ValueError, match="quantile.*'cubic' is not a valid method"):
            run(lambda x: jnp.quantile(x, 0.5, method="cubic"))
        with pytest.raises(TypeError, match="quantile.*real numbers"):
            run(lambda x: jnp.quantile(jaxlite.lax.convert_element_type(x, np.complex128), 0.5))
        with pytest.raises(ValueError, match="quantile.*Only method 'inverted_cdf' supports weights"):
            run(lambda x: jnp.quantile(x, 0.5, weights=np.ones(4)))
    with pytest.raises(IndexError, match=r"quantile.*empty.*\(0,\)"):
        traced(lambda x: jnp.quantile(x, 0.5))(np.ones(0))


# ---------------------------------------------------------------- var/std options


def test_ddof_correction_and_mean():
    x = sample(np.float64, (3, 4))
    for ddof in (0, 1, 2.5):
        check(jnp.var, np.var, x, axis=1, ddof=ddof)
        check(jnp.std, np.std, x, ddof=ddof)
        check(jnp.nanvar, np.nanvar, sample(np.float64, (3, 4), nan=True), axis=1, ddof=ddof)
        check(jnp.var, np.var, x, correction=ddof, keepdims=True)  # the Array API spelling
    mean = np.mean(x, axis=1, keepdims=True)
    check(lambda x, m: jnp.var(x, axis=1, mean=m), lambda x, m: np.var(x, axis=1, mean=m), x, mean)
    check(lambda x, m: jnp.nanstd(x, axis=1, mean=m), lambda x, m: np.nanstd(x, axis=1, mean=m), x, mean)
    check(jnp.var, np.var, x, axis=0, ddof=3)  # dof <= 0: inf / nan like NumPy
    check(jnp.nanvar, np.nanvar, x, axis=0, ddof=3)
    for run in (lambda f: f(x), lambda f: traced(f)(x)):
        with pytest.raises(ValueError, match="var.*ddof and correction"):
            run(lambda x: jnp.var(x, ddof=1, correction=1))


# ---------------------------------------------------------------- errors and warnings


@pytest.mark.parametrize("name", ["sum", "mean", "max", "var", "all", "median", "count_nonzero", "argmax", "cumsum"])
def test_bad_axis(name):
    fn = getattr(jnp, name)
    for run in (lambda f: f(np.ones((2, 3))), lambda f: traced(f)(np.ones((2, 3)))):
        with pytest.raises(np.exceptions.AxisError, match=f"{name}.*axis 2 is out of bounds for array of dimension 2"):
            run(lambda x: fn(x, axis=2))
        with pytest.raises(np.exceptions.AxisError, match=f"{name}.*-3"):
            run(lambda x: fn(x, axis=-3))


@pytest.mark.parametrize("name", ["sum", "max", "all", "count_nonzero", "ptp", "nansum", "nanmax", "nanmean", "nanvar",
                                  "mean", "var", "median", "average", "argmax", "cumsum", "cumulative_sum"])
def test_axis_of_a_0d_input(name):
    """NumPy's ufunc-based reductions take axis 0 or -1 on 0-d input, mean & co. raise AxisError."""
    x = np.float64(2)
    for axis in (0, -1, 1, (0,), ()):
        check_or_raises(getattr(jnp, name), getattr(np, name), x, axis=axis)


def test_repeated_axis_and_bad_axis_type():
    for run in (lambda f: f(np.ones((2, 3))), lambda f: traced(f)(np.ones((2, 3)))):
        with pytest.raises(ValueError, match="sum.*(repeated|duplicate)"):
            run(lambda x: jnp.sum(x, axis=(1, -1)))
        with pytest.raises(TypeError, match="sum"):
            run(lambda x: jnp.sum(x, axis=1.0))


@pytest.mark.parametrize("name,op", [("max", "maximum"), ("min", "minimum"), ("amax", "maximum"),
                                     ("nanmax", "fmax"), ("ptp", "maximum")])
def test_empty_max_raises(name, op):
    fn = getattr(jnp, name)
    for run in (lambda f: f(np.ones((2, 0))), lambda f: traced(f)(np.ones((2, 0)))):
        with pytest.raises(ValueError, match=rf"{name}\(\): zero-size array to reduction operation {op}.*\(2, 0\)"):
            run(fn)
        with pytest.raises(ValueError, match=f"{name}.*zero-size"):
            run(lambda x: fn(x, axis=1))
    check(fn, getattr(np, name), np.ones((2, 0)), axis=0)  # reducing the non-empty axis is fine


def test_empty_argmax_raises():
    for run in (lambda f: f(np.ones((0, 3))), lambda f: traced(f)(np.ones((0, 3)))):
        with pytest.raises(ValueError, match=r"argmax.*empty sequence"):
            run(jnp.argmax)
        with pytest.raises(ValueError, match=r"argmin.*empty sequence.*\(0, 3\)"):
            run(lambda x: jnp.argmin(x, axis=0))


def test_where_needs_initial_and_bool():
    x, mask = np.ones((2, 3)), np.array([True, False, True])
    for run in (lambda f: f(x, mask), lambda f: traced(f)(x, mask)):
        with pytest.raises(ValueError, match="max.*'maximum' does not have an identity.*initial"):
            run(lambda x, w: jnp.max(x, where=w))
        with pytest.raises(TypeError, match="sum.*(bool|cast)"):
            run(lambda x, w: jnp.sum(x, where=w.astype(np.int64) if isinstance(w, np.ndarray) else jnp_int(w)))
        with pytest.raises(ValueError, match="sum"):
            run(lambda x, w: jnp.sum(x, where=np.ones((4, 2, 3), bool)))


def jnp_int(w):
    return jaxlite.lax.convert_element_type(w, np.int64)


def test_out_argument():
    out = Array(np.zeros(3))
    result = jnp.sum(np.ones((2, 3)), axis=0, out=out)
    assert result is out
    np.testing.assert_array_equal(np.asarray(out), [2.0, 2.0, 2.0])
    with pytest.raises(TypeError, match="sum.*out="):
        traced(lambda x: jnp.sum(x, axis=0, out=out))(np.ones((2, 3)))


@pytest.mark.parametrize("name", ["mean", "median", "nanmean", "average"])
def test_mean_of_empty_warns_and_gives_nan(name):
    for run in (lambda f: f(np.ones(0)), lambda f: traced(f)(np.ones(0))):
        with pytest.warns(RuntimeWarning, match="(Mean of empty slice|invalid value)"):
            result = run(getattr(jnp, name))
        assert np.isnan(np.asarray(result))


def test_dof_warning():
    for run in (lambda f: f(np.ones(2)), lambda f: traced(f)(np.ones(2))):
        with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
            run(lambda x: jnp.var(x, ddof=2))


def test_eager_results_are_arrays():
    for result in (jnp.sum(np.ones(3)), jnp.max([1, 2]), jnp.argmax(np.ones(3)), jnp.median(np.ones(3)),
                   jnp.count_nonzero([1, 0]), *jnp.average(np.ones(3), returned=True)):
        assert type(result) is Array


def test_python_and_nested_inputs():
    check(lambda: jnp.sum(3), lambda: np.sum(3))
    check(lambda: jnp.mean(2.5), lambda: np.mean(2.5))
    assert_like_numpy(jnp.sum([[1, 2], [3, 4]], axis=0), np.sum([[1, 2], [3, 4]], axis=0))
    assert_like_numpy(jnp.prod(Array(np.arange(1, 4)), keepdims=True), np.prod(np.arange(1, 4), keepdims=True))


# ---------------------------------------------------------------- signatures and the Array API


@pytest.mark.parametrize("name", [*_reductions.__all__, *_order_statistics.__all__])
def test_signature_matches_numpy(name):
    ours = inspect.signature(getattr(jnp, name)).parameters
    theirs = inspect.signature(getattr(np, name)).parameters
    assert [(p.name, p.kind) for p in ours.values()] == [(p.name, p.kind) for p in theirs.values()]
    for p in theirs.values():
        if p.default is not np._NoValue:
            assert ours[p.name].default == p.default or ours[p.name].default is p.default, p.name


def test_array_api_calls():
    x = sample(np.float32, (3, 4))
    check(lambda x: jnp.sum(x, axis=(0, 1), dtype=np.float64, keepdims=True),
          lambda x: np.sum(x, axis=(0, 1), dtype=np.float64, keepdims=True), x)
    check(lambda x: jnp.var(x, axis=1, correction=1, keepdims=False),
          lambda x: np.var(x, axis=1, correction=1, keepdims=False), x)
    check(lambda x: jnp.max(x, axis=None, keepdims=True), lambda x: np.max(x, axis=None, keepdims=True), x)
    check(lambda x: jnp.argmin(x, axis=-1, keepdims=True), lambda x: np.argmin(x, axis=-1, keepdims=True), x)
    check(lambda x: jnp.cumulative_prod(x, axis=0, dtype=np.float64, include_initial=True),
          lambda x: np.cumulative_prod(x, axis=0, dtype=np.float64, include_initial=True), x)
    check(lambda b: jnp.count_nonzero(b, axis=(0, 1), keepdims=True),
          lambda b: np.count_nonzero(b, axis=(0, 1), keepdims=True), x > 0)


# ---------------------------------------------------------------- the traced compositions


def test_sum_jaxpr():
    assert str(jaxlite.make_jaxpr(lambda x: jnp.sum(x))(np.ones(3))) == (
        "{ lambda ; a:f64[3]. let b:f64[] = reduce_sum[axes=(0,)] a in (b,) }"
    )


def test_jaxprs_convert_first_and_stay_small():
    text = str(jaxlite.make_jaxpr(lambda x: jnp.mean(x, axis=1))(np.ones((2, 3), np.int8)))
    assert "convert_element_type[new_dtype=float64" in text and "reduce_sum[axes=(1,)]" in text and "div" in text
    text = str(jaxlite.make_jaxpr(lambda x: jnp.all(x))(np.ones(3)))
    assert "ne a 0.0:f64[]" in text and "reduce_and[axes=(0,)]" in text
    text = str(jaxlite.make_jaxpr(lambda x: jnp.max(x, axis=0, keepdims=True))(np.ones((2, 3))))
    assert text.count("\n") == 3 and "reduce_max[axes=(0,)]" in text and "reshape[new_sizes=(1, 3)]" in text
    text = str(jaxlite.make_jaxpr(lambda x: jnp.median(x))(np.ones(5)))
    assert "sort[dimension=1" in text
    text = str(jaxlite.make_jaxpr(lambda x: jnp.cumsum(x, axis=1))(np.ones((2, 3), np.float32)))
    assert "cumsum[axis=1 reverse=False]" in text and "convert" not in text


def test_concrete_axis_required():
    with pytest.raises(jaxlite.ConcretizationTypeError, match="sum.*axis"):
        jaxlite.make_jaxpr(lambda x, a: jnp.sum(x, axis=a))(np.ones(3), 0)


# ---------------------------------------------------------------- hypothesis over shapes and axes


@st.composite
def array_and_axis(draw, dtypes=(np.float64, np.int32, np.bool_, np.float32)):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    dtype = draw(st.sampled_from(dtypes))
    x = draw(hnp.arrays(dtype, shape, elements=hnp.from_dtype(np.dtype(dtype), allow_nan=False, allow_infinity=False,
                                                               min_value=-100, max_value=100)
                        if np.dtype(dtype).kind != "b" else None))
    ndim = len(shape)
    axis = draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1) if ndim else st.none(),
                          st.lists(st.integers(0, ndim - 1), unique=True).map(tuple) if ndim else st.just(())))
    return x, axis


@settings(max_examples=60, deadline=None)
@given(array_and_axis(), st.booleans(), st.sampled_from(["sum", "mean", "var", "any", "prod", "max", "median"]))
def test_hypothesis_reductions(x_axis, keepdims, name):
    x, axis = x_axis
    if name in ("max", "median") and empty_reduction(x.shape, axis) or name == "median" and x.size == 0:
        return  # NumPy raises (max) or fails to reshape (median with axis=() of an empty array)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(getattr(jnp, name), getattr(np, name), x, axis=axis, keepdims=keepdims, rtol=1e-4, atol=1e-6)
