"""Signal processing, statistics and polynomial functions against NumPy.

`CASES`: each row runs a function eagerly and traced (make_jaxpr + eval_jaxpr) and compares
results, shapes and dtypes with NumPy's. `EAGER_CASES`: arguments the traced path refuses
(string bins, value-dependent shapes). `ERRORS`: bad arguments raise NumPy's exception types,
eagerly and traced. Then the transform-only errors, derivatives against finite differences
and hypothesis checks where inputs vary.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
from helpers import check, traced
from jaxlite.core import ConcretizationTypeError
from jaxlite.test_util import check_grads

R = np.random.default_rng(0)
A = R.normal(size=20)
M = R.normal(size=(3, 6))
S = R.normal(size=(30, 3))
P, Q = R.normal(size=4), R.normal(size=2)
XS, YS = np.linspace(-1, 2, 12), R.normal(size=12)
XP = np.sort(R.normal(size=6))
FP = R.normal(size=6)
X_INTERP = np.concatenate([R.normal(size=10) * 2, XP, [np.nan]])
PHASE = np.cumsum(R.normal(size=(2, 9)) * 3, axis=1)
FW, AW = np.array([1, 2, 1, 3, 1, 2]), R.uniform(0.5, 2, 6)
EDGES = np.array([-1, 0, 0.5, 2])
INTS = R.integers(0, 6, 15)
I8 = np.array([1, 2, 3, 4], np.int8)


def _case(label, fn, np_fn, *args, rtol=None):
    return pytest.param(fn, np_fn, args, rtol, id=label)


def _same(name, *args, rtol=None, label=None, **kwargs):
    """A case calling jnp.<name> and np.<name> with the same static keyword arguments."""
    jfn, nfn = getattr(jnp, name), getattr(np, name)
    return _case(label or name, lambda *a: jfn(*a, **kwargs), lambda *a: nfn(*a, **kwargs), *args, rtol=rtol)


def _convolution_cases():
    cases = []
    for n, m in [(1, 1), (4, 2), (2, 5), (5, 5), (6, 3), (3, 4)]:
        a, v = R.normal(size=n), R.normal(size=m)
        for mode in ("full", "same", "valid"):
            cases.append(_same("convolve", a, v, mode=mode, label=f"convolve-{n}-{m}-{mode}"))
            cases.append(_same("correlate", a, v, mode=mode, label=f"correlate-{n}-{m}-{mode}"))
    cases += [
        _same("correlate", A[:5], A[:3] + 1j, label="correlate-complex", mode="full"),
        _same("convolve", np.array([True, False]), np.array([True, True]), label="convolve-bool"),
        _same("convolve", I8, np.array([3, 4, 5], np.int16), label="convolve-int8-int16"),
        _same("convolve", A[:4].astype(np.float32), A[:2].astype(np.float32), label="convolve-float32", mode=1),
    ]
    return cases


def _signal_cases():
    coords = np.array([0, 1, 3, 4.5, 7, 7.5])
    cases = [
        _same("diff", M), _same("diff", M, n=2, axis=0, label="diff-n2-axis0"),
        _same("diff", M, n=0, label="diff-n0"), _same("diff", M > 0, label="diff-bool"),
        _same("diff", I8, n=3, label="diff-int8"),
        _same("diff", M, prepend=0, append=M[:, :2], label="diff-prepend-append"),
        _same("ediff1d", M), _same("ediff1d", M, to_begin=np.array([1, 2]), to_end=3, label="ediff1d-ends"),
        _same("ediff1d", I8, to_end=np.int8(2), label="ediff1d-int8"),
        _same("gradient", M), _same("gradient", np.arange(5), label="gradient-int"),
        _same("gradient", M[0], 0.5, label="gradient-spacing"),
        _same("gradient", M.astype(np.float32), axis=-1, label="gradient-float32"),
        _same("trapezoid", M), _same("trapezoid", M, np.array([0, 1, 3.]), axis=0, label="trapezoid-x"),
        _same("trapezoid", np.arange(4), dx=0.5, label="trapezoid-int-dx"),
        _same("trapezoid", M.astype(np.float32), label="trapezoid-float32"),
        _same("trapezoid", M, np.tile(np.arange(6.0) ** 2, (3, 1)), label="trapezoid-x-2d"),
        _same("interp", X_INTERP, XP, FP), _same("interp", X_INTERP, XP, FP, left=-5.0, right=7.0, label="interp-lr"),
        _same("interp", X_INTERP, XP, FP + 1j, label="interp-complex"),
        _same("interp", X_INTERP[:-1], XP, FP, period=1.5, label="interp-period"),
        _same("interp", X_INTERP, XP[:1], FP[:1], label="interp-one-point"),
        _same("interp", np.array([0.0, 1.0, 1.5, 2.0, 2.5]), np.array([0.0, 1.0, 2.0]),
              np.array([0.0, np.inf, 1.0]), label="interp-inf"),
        _same("interp", 0.25, np.array([0.0, 1.0]), np.array([1, 3]), label="interp-scalar-int"),
        _same("unwrap", PHASE), _same("unwrap", PHASE, axis=0, discont=4.0, label="unwrap-axis-discont"),
        _same("unwrap", np.array([0, 3, 7, 1, 9]), period=6, label="unwrap-int-period"),
        _same("unwrap", PHASE.astype(np.float32), label="unwrap-float32"),
        _same("sinc", np.array([0, 0.5, -1.5, 2])), _same("sinc", np.array([0, 1, 2], np.float32), label="sinc-f32"),
        _same("sinc", np.arange(3), label="sinc-int"),
        _same("i0", np.array([0, 0.5, -3.0, 7.9, 8.0, 8.1, 20, -40])),
        _same("i0", np.array([0, 1, 9], np.float32), label="i0-float32"), _same("i0", np.arange(3), label="i0-int"),
    ]
    for edge_order in (1, 2):
        cases += [
            _same("gradient", M, edge_order=edge_order, label=f"gradient-edge{edge_order}"),
            _same("gradient", M, 2.0, coords, edge_order=edge_order, label=f"gradient-coords-edge{edge_order}"),
            _same("gradient", M, axis=(1,), edge_order=edge_order, label=f"gradient-axis-tuple{edge_order}"),
            _same("gradient", M, np.arange(6) ** 2, axis=1, edge_order=edge_order, label=f"gradient-int-coords{edge_order}"),
        ]
    for size in (0, 1, 2, 7, 8):
        for name in ("bartlett", "blackman", "hamming", "hanning"):
            cases.append(_case(f"{name}-{size}", lambda n=name, k=size: getattr(jnp, n)(k),
                               lambda n=name, k=size: getattr(np, n)(k)))
        cases.append(_case(f"kaiser-{size}", lambda b, k=size: jnp.kaiser(k, b), lambda b, k=size: np.kaiser(k, b),
                           np.float64(3.5)))
    return cases


def _statistics_cases():
    sample_bins = [2, np.array([-1, 0, 1.0]), 3]
    cases = [
        _same("cov", M), _same("cov", M, M[:2] * 2, bias=True, label="cov-y-bias"),
        _same("cov", M.T, rowvar=False, ddof=2, label="cov-rowvar-ddof"),
        _same("cov", M, fweights=FW, label="cov-fweights"),
        _same("cov", M, fweights=FW, aweights=AW, label="cov-both-weights"),
        _same("cov", M, aweights=AW, ddof=0, label="cov-aweights-ddof0"),
        _same("cov", M, aweights=AW, label="cov-aweights"),
        _same("cov", M[0].astype(np.float32), label="cov-1d-float32"),
        _same("cov", M[0].astype(np.float32), dtype=np.float32, label="cov-dtype"),
        _same("cov", np.array([[1, 2, 4], [0, 1, 1]]), label="cov-int"),
        _same("cov", M + 1j * M[::-1], label="cov-complex"),
        _same("cov", M[:, :1], label="cov-one-observation"),
        _same("corrcoef", M), _same("corrcoef", M[0], M[1], label="corrcoef-xy"),
        _same("corrcoef", M.T, rowvar=False, label="corrcoef-rowvar"),
        _same("corrcoef", M + 1j * M[::-1], label="corrcoef-complex"),
        _same("corrcoef", M[0], label="corrcoef-scalar"),
        _same("histogram_bin_edges", A, bins=5), _same("histogram_bin_edges", A, range=(0, 2), label="hbe-range"),
        _same("histogram", np.array([2, 2, 2]), label="histogram-constant"),
        _same("histogram", np.array([1, 5, 2, 7]), bins=3, label="histogram-int"),
        _same("histogram", np.zeros(0), label="histogram-empty"),
        _same("histogram", A.reshape(4, 5), bins=4, weights=R.uniform(size=(4, 5)), label="histogram-2d-weights"),
        _same("histogram", A, bins=4, weights=R.normal(size=20) + 1j, label="histogram-complex-weights"),
        _same("histogramdd", S, bins=sample_bins, label="histogramdd-mixed-bins"),
        _same("histogramdd", S, range=[(-1, 1), (0, 2), None], label="histogramdd-range"),
        _same("histogramdd", S, weights=R.uniform(size=30), label="histogramdd-weights"),
        _same("histogramdd", S, bins=4, density=True, label="histogramdd-density"),
        _same("histogramdd", S.astype(np.float32), label="histogramdd-float32"),
        _same("histogramdd", S[:, 0], bins=3, label="histogramdd-1d-sample"),
        _case("histogramdd-list", lambda x, y: jnp.histogramdd([x, y], bins=3),
              lambda x, y: np.histogramdd([x, y], bins=3), S[:, 0], S[:, 1]),
        _case("bincount-length", lambda x: jnp.bincount(x, length=8), lambda x: np.bincount(x, minlength=8), INTS),
        _case("bincount-length-cut", lambda x: jnp.bincount(x, length=3), lambda x: np.bincount(x)[:3], INTS),
        _case("bincount-weights", lambda x, w: jnp.bincount(x, w, length=6), lambda x, w: np.bincount(x, w, minlength=6),
              INTS, R.normal(size=15).astype(np.float32)),
        _case("bincount-bool", lambda x: jnp.bincount(x, length=2), lambda x: np.bincount(x, minlength=2), A > 0),
        _same("digitize", A, np.array([-1, 0, 1.0])),
        _same("digitize", np.concatenate([A, [0, 1, -1]]), np.array([1, 0, -1.0]), right=True,
              label="digitize-decreasing-right"),
        _same("digitize", np.array([1, 2, 3]), np.array([2, 2, 2]), label="digitize-constant-bins"),
        _same("digitize", np.array([1.5, 2]), np.zeros(0), label="digitize-empty-bins"),
        _same("digitize", np.array([0, 1, 2, 3]), np.array([1, 2]), right=True, label="digitize-int-right"),
    ]
    for kw in [{}, dict(bins=4), dict(bins=EDGES), dict(range=(-1, 1)), dict(bins=3, density=True),
               dict(weights=R.uniform(size=20)), dict(weights=np.arange(20, dtype=np.int32), bins=EDGES, density=True)]:
        label = "-".join(k for k in kw) or "default"
        cases.append(_same("histogram", A, label=f"histogram-{label}", rtol=1e-12, **kw))
        cases.append(_same("histogram", A.astype(np.float32), label=f"histogram-f32-{label}", rtol=1e-6, **kw))
    for kw in [{}, dict(bins=3), dict(bins=[2, 4]), dict(bins=np.array([-1, 0, 1.0])), dict(density=True),
               dict(bins=[np.array([-1, 0, 1.0]), 2], range=[(0, 1), (-1, 1)])]:
        label = "-".join(k for k in kw) or "default"
        cases.append(_same("histogram2d", S[:, 0], S[:, 1], label=f"histogram2d-{label}", **kw))
    return cases


def _polynomial_cases():
    stacked = np.stack([YS, YS ** 2], 1)
    return [
        _same("poly", P), _same("poly", np.array([1, 2, 3]), label="poly-int"),
        _same("poly", P.astype(np.float32), label="poly-float32"), _same("poly", P + 1j, label="poly-complex"),
        _same("polyadd", P, Q), _same("polyadd", Q, P, label="polyadd-swapped"),
        _same("polyadd", np.array([1]), I8, label="polyadd-int"), _same("polyadd", 2.0, Q, label="polyadd-scalar"),
        _same("polysub", Q, P), _same("polysub", P, Q, label="polysub-swapped"),
        _same("polymul", P, Q), _same("polymul", 2, Q, label="polymul-scalar"),
        _same("polymul", I8, I8, label="polymul-int8"),
        _same("polyder", P), _same("polyder", I8, m=2, label="polyder-int8"), _same("polyder", P, m=0, label="polyder-0"),
        _same("polyder", P, m=5, label="polyder-high"),
        _same("polyint", P), _same("polyint", P, m=3, k=[1, 2, 3], label="polyint-k"),
        _same("polyint", P, m=2, k=5, label="polyint-scalar-k"), _same("polyint", I8, m=0, label="polyint-0"),
        _same("polyint", P.astype(np.float32), label="polyint-float32"),
        _case("polydiv-remainder", lambda u, v: jnp.polydiv(u, v, trim_leading_zeros=False)[1][-1:],
              lambda u, v: np.polydiv(u, v)[1], P, Q),
        _case("polydiv-quotient", lambda u, v: jnp.polydiv(u, v, trim_leading_zeros=False)[0],
              lambda u, v: np.polydiv(u, v)[0], P, Q),
        _case("polydiv-short", lambda u, v: jnp.polydiv(u, v, trim_leading_zeros=False),
              np.polydiv, Q, P),
        _same("polyval", P, A), _same("polyval", np.array([1, 2]), np.array([3, 4]), label="polyval-int"),
        _same("polyval", P.astype(np.float32), np.float32(2.0), label="polyval-float32"),
        _same("polyval", np.array([1, 2]), np.float32(2.0), label="polyval-int-float32"),
        _same("polyval", np.zeros(0), A, label="polyval-empty"),
        _same("polyfit", XS, YS, deg=3, rtol=1e-9),
        _same("polyfit", XS, stacked, deg=2, w=np.arange(1, 13.0), rtol=1e-9, label="polyfit-2d-weights"),
        _same("polyfit", XS, YS, deg=2, cov=True, rtol=1e-9, label="polyfit-cov"),
        _same("polyfit", XS, stacked, deg=2, cov="unscaled", rtol=1e-9, label="polyfit-cov-unscaled"),
        _same("polyfit", np.arange(6), np.array([0.5, 1.7, 4.1, 9.3, 15.8, 25.2]), deg=2, rtol=1e-9, label="polyfit-int"),
    ]


CASES = _convolution_cases() + _signal_cases() + _statistics_cases() + _polynomial_cases()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # inf/NaN inputs and one observation warn, as in NumPy
@pytest.mark.parametrize("fn, np_fn, args, rtol", CASES)
def test_against_numpy(fn, np_fn, args, rtol):
    check(fn, np_fn, *args, rtol=rtol)


EAGER_CASES = [
    _same("histogram", A, bins="auto", label="histogram-auto"),
    _same("histogram_bin_edges", A, bins="fd", label="hbe-fd"),
    _same("bincount", INTS), _same("bincount", INTS, minlength=9, label="bincount-minlength"),
    _case("bincount-length-eager", lambda x: jnp.bincount(x, length=9), lambda x: np.bincount(x, minlength=9), INTS),
    _same("polydiv", P, Q), _same("polydiv", np.array([1.0, 3, 2]), np.array([1.0, 1]), label="polydiv-exact"),
    _same("roots", P), _same("roots", np.array([0, 1, -3, 2, 0]), label="roots-zeros"),
    _same("poly", np.array([[1.0, 2], [3, 4]]), label="poly-matrix"),
    _same("poly", np.array([1 + 1j, 1 - 1j]), label="poly-conjugate-pairs"),
    _same("polyfit", XS, YS, 2, full=True, label="polyfit-full"),
]


@pytest.mark.parametrize("fn, np_fn, args, rtol", EAGER_CASES)
def test_eager_only_against_numpy(fn, np_fn, args, rtol):
    check(fn, np_fn, *args, rtol=rtol, trace=False)


def test_bincount_with_a_constant_input_under_a_transform():
    out = traced(lambda w: jnp.bincount(INTS, w))(np.ones(15))
    np.testing.assert_array_equal(np.asarray(out), np.bincount(INTS, np.ones(15)))


# ---------------------------------------------------------------- bad arguments

ERRORS = [
    ("convolve", ([], [1.0]), {}), ("convolve", ([1.0], []), {}), ("convolve", ([[1.0]], [1.0]), {}),
    ("convolve", ([1.0], [1.0]), {"mode": "x"}), ("correlate", ([1.0], [1.0]), {"mode": 3}),
    ("correlate", ([1.0], [1.0]), {"mode": "Same"}),
    ("diff", (1.0,), {}), ("diff", ([1.0, 2],), {"n": -1}), ("diff", ([1.0, 2],), {"axis": 1}),
    ("ediff1d", ([1, 2],), {"to_end": [1.5]}),
    ("gradient", ([1.0],), {}), ("gradient", ([1.0, 2],), {"edge_order": 2}),
    ("gradient", ([1.0, 2, 3],), {"edge_order": 3}), ("gradient", ([1.0, 2, 3], [1.0, 2]), {}),
    ("gradient", ([1.0, 2, 3], 1.0, 2.0), {}), ("gradient", ([1.0, 2, 3],), {"axis": 1}),
    ("trapezoid", ([1.0, 2],), {"axis": 2}),
    ("interp", ([1.0], [1.0, 2], [1.0]), {}), ("interp", ([1.0], [], []), {}),
    ("interp", ([1.0], [1.0, 2], [1.0, 2]), {"period": 0}), ("interp", ([1.0], [[1.0, 2]], [[1.0, 2]]), {}),
    ("i0", ([1j],), {}),
    ("cov", (np.ones((2, 2, 2)),), {}), ("cov", (np.ones((2, 3)),), {"ddof": 1.5}),
    ("cov", (np.ones((2, 3)),), {"fweights": [1.5, 1, 1]}), ("cov", (np.ones((2, 3)),), {"aweights": [1.0, 1]}),
    ("histogram", (np.ones(3),), {"bins": 0}), ("histogram", (np.ones(3),), {"bins": 2.5}),
    ("histogram", (np.ones(3),), {"bins": np.ones((2, 2))}),
    ("histogram", (np.ones(3),), {"range": (2, 1)}), ("histogram", (np.ones(3),), {"weights": np.ones(2)}),
    ("histogramdd", (np.ones((3, 2)),), {"bins": [2, 3, 4]}), ("histogramdd", (np.ones((3, 2)),), {"bins": 0}),
    ("histogramdd", (np.ones((3, 2)),), {"bins": [2.5, 2]}),
    ("bincount", (np.ones((2, 2), int),), {}), ("bincount", ([1, 2],), {"weights": [1.0]}),
    ("bincount", ([1, 2],), {"minlength": -1}),
    ("digitize", ([1j], [1.0, 2]), {}), ("digitize", ([1.0], [[1.0, 2]]), {}),
    ("polyder", ([1.0, 2],), {"m": -1}), ("polyint", ([1.0, 2],), {"m": -1}),
    ("polyint", ([1.0, 2],), {"m": 3, "k": [1.0, 2]}), ("polyval", (1.0, 2.0), {}),
    ("poly", (np.ones((2, 3)),), {}),
    ("polyfit", ([1.0, 2], [1.0, 2]), {"deg": -1}), ("polyfit", ([[1.0, 2]], [1.0, 2]), {"deg": 1}),
    ("polyfit", ([1.0, 2], [1.0, 2, 3]), {"deg": 1}), ("polyfit", ([1.0, 2], [1.0, 2]), {"deg": 1, "w": [1.0]}),
]
_EAGER_ONLY_ERRORS = {  # value checks made eagerly only (NumPy's messages)
    ("cov", "fweights"), ("histogram", "range"),
}
_NO_TRACE = {"bincount"}  # needs length= under a transform: tested below


def _expected_error(name, args, kwargs):
    with pytest.raises(Exception) as info:
        getattr(np, name)(*args, **kwargs)
    return type(info.value)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("name, args, kwargs", ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_bad_arguments_raise_numpy_errors(name, args, kwargs):
    expected = _expected_error(name, args, kwargs)
    fn = getattr(jnp, name)
    with pytest.raises(expected):
        fn(*args, **kwargs)
    if any((name, k) in _EAGER_ONLY_ERRORS for k in kwargs) or name in _NO_TRACE:
        return
    arrays = [np.asarray(a) for a in args]
    with pytest.raises(expected):
        traced(lambda *a: fn(*a, **kwargs))(*arrays)


def test_bincount_needs_length_under_transforms():
    with pytest.raises(ConcretizationTypeError, match="length="):
        jaxlite.vmap(jnp.bincount)(jnp.asarray(np.ones((2, 3), int)))
    with pytest.raises(ConcretizationTypeError, match="length="):
        jaxlite.jit(jnp.bincount)(INTS)


def test_value_dependent_results_raise_under_transforms():
    with pytest.raises(ConcretizationTypeError, match="trim_leading_zeros=False"):
        jaxlite.jit(jnp.polydiv)(P, Q)
    with pytest.raises(ConcretizationTypeError, match="bins as an int"):
        jaxlite.jit(lambda a: jnp.histogram(a, bins="auto"))(A)


@pytest.mark.parametrize("call", [
    lambda p: jnp.roots(p), lambda p: jnp.poly(jnp.reshape(p, (2, 2))),
    lambda p: jnp.polyfit(p, p, 1, full=True), lambda p: jnp.polyfit(p, p + 1j, 1),
], ids=["roots", "poly-matrix", "polyfit-full", "polyfit-complex"])
def test_linalg_dependent_functions_name_the_missing_module(call):
    with pytest.raises(NotImplementedError, match="jaxlite.numpy.linalg"):
        jaxlite.jit(call)(P)


# ---------------------------------------------------------------- derivatives

GRADS = {
    "convolve": (lambda a, v: jnp.convolve(a, v, mode="same"), (R.normal(size=5), R.normal(size=3))),
    "correlate": (lambda a, v: jnp.correlate(a, v, mode="full"), (R.normal(size=4), R.normal(size=3))),
    "diff": (lambda x: jnp.diff(x, n=2, axis=0, prepend=1.0), (R.normal(size=(4, 3)),)),
    "ediff1d": (lambda x: jnp.ediff1d(x, to_begin=0.0), (R.normal(size=(2, 3)),)),
    "gradient": (lambda f, x: jnp.gradient(f, x, edge_order=2), (R.normal(size=6), np.cumsum(R.uniform(1, 2, 6)))),
    "trapezoid": (lambda y, x: jnp.trapezoid(y, x), (R.normal(size=(2, 5)), np.cumsum(R.uniform(1, 2, 5)))),
    "interp": (lambda x, fp: jnp.interp(x, XP, fp), (R.uniform(XP[0] - 1, XP[-1] + 1, 8), FP)),
    "unwrap": (jnp.unwrap, (np.cumsum(R.uniform(0.5, 1.5, 8)),)),
    "sinc": (jnp.sinc, (np.array([0.0, 0.3, -1.7]),)),
    "sinc-traced-zero": (lambda x: jnp.sinc(x * 0.0), (np.array([0.5]),)),
    "i0": (jnp.i0, (np.array([0.0, 0.5, -3.0, 9.0, 12.0]),)),
    "kaiser": (lambda b: jnp.kaiser(6, b), (np.float64(2.5),)),
    "cov": (lambda m, w: jnp.cov(m, aweights=w), (R.normal(size=(2, 5)), R.uniform(0.5, 2, 5))),
    "corrcoef": (jnp.corrcoef, (R.normal(size=(3, 5)),)),
    "histogram-density-weights": (lambda w: jnp.histogram(A, bins=4, weights=w, density=True)[0],
                                  (R.uniform(0.5, 1, 20),)),
    "histogramdd-weights": (lambda w: jnp.histogramdd(S, bins=3, weights=w)[0], (R.uniform(0.5, 1, 30),)),
    "bincount-weights": (lambda w: jnp.bincount(INTS, w, length=6), (R.normal(size=15),)),
    "poly": (jnp.poly, (R.normal(size=3),)),
    "polyadd": (jnp.polyadd, (P, Q)), "polysub": (jnp.polysub, (P, Q)), "polymul": (jnp.polymul, (P, Q)),
    "polyder": (lambda p: jnp.polyder(p, 2), (P,)),
    "polyint": (lambda p, k: jnp.polyint(p, 2, k=k), (P, np.array([1.0, 2.0]))),
    "polydiv": (lambda u, v: jnp.polydiv(u, v, trim_leading_zeros=False), (P, np.array([2.0, 0.5]))),
    "polyval": (jnp.polyval, (P, R.normal(size=3))),
    "polyfit": (lambda x, y: jnp.polyfit(x, y, 2), (XS, YS)),
    "polyfit-cov": (lambda y: jnp.polyfit(XS, y, 2, cov=True)[1], (YS,)),
}


@pytest.mark.parametrize("label", list(GRADS))
def test_derivatives_against_finite_differences(label):
    fn, args = GRADS[label]
    check_grads(fn, args, order=2, modes=("fwd", "rev"), atol=1e-6 if "fit" not in label else 1e-5)


# ---------------------------------------------------------------- hypothesis

_lengths = st.integers(1, 7)
_modes = st.sampled_from(["full", "same", "valid"])


@settings(max_examples=15, deadline=None)
@given(n=_lengths, m=_lengths, mode=_modes, seed=st.integers(0, 2**16))
def test_convolve_and_correlate_any_lengths(n, m, mode, seed):
    rng = np.random.default_rng(seed)
    a, v = rng.integers(-3, 4, n).astype(float), rng.normal(size=m)
    check(lambda a, v: jnp.convolve(a, v, mode), lambda a, v: np.convolve(a, v, mode), a, v)
    check(lambda a, v: jnp.correlate(a, v, mode), lambda a, v: np.correlate(a, v, mode), a, v)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(1, 6), seed=st.integers(0, 2**16), ties=st.booleans())
def test_interp_and_digitize_random_points(n, seed, ties):
    rng = np.random.default_rng(seed)
    xp = np.sort(rng.integers(-3, 4, n).astype(float) if ties else rng.normal(size=n))
    fp, x = rng.normal(size=n), np.concatenate([rng.normal(size=6) * 2, xp])
    if len(np.unique(xp)) == n:  # NumPy's interp at repeated xp picks by its own search
        check(jnp.interp, np.interp, x, xp, fp)
    check(jnp.digitize, np.digitize, x, xp)
    check(lambda x, b: jnp.digitize(x, b, right=True), lambda x, b: np.digitize(x, b, right=True), x, xp[::-1])


@settings(max_examples=15, deadline=None)
@given(n=st.integers(0, 12), bins=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_histogram_random_data(n, bins, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(-3, 4, n).astype(float)  # values on the edges are common
    check(lambda a: jnp.histogram(a, bins), lambda a: np.histogram(a, bins), a)
    check(lambda a: jnp.histogram(a, bins, range=(-2, 2)), lambda a: np.histogram(a, bins, range=(-2, 2)), a)
