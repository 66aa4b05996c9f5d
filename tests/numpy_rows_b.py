"""vmap/jit rows for the signal, statistics and polynomial functions; see test_vmap_numpy.py."""

import numpy as np

import jaxlite.numpy as jnp


def normal(*shape):
    return lambda rng: rng.standard_normal(shape)


def ints(lo, hi, *shape):
    return lambda rng: rng.integers(lo, hi, shape)


def ascending(n):
    return lambda rng: np.sort(rng.standard_normal(n)) + np.arange(n) * 0.1


def positive(n):
    return lambda rng: rng.uniform(0.5, 2.0, n)


EDGES = np.array([-1.0, -0.2, 0.3, 1.5])
S = (3, 5)

ROWS = [
    ("convolve", jnp.convolve, (normal(5), normal(3))),
    ("convolve", lambda a, v: jnp.convolve(a, v, mode="same"), (normal(2), normal(4)), "same"),
    ("correlate", jnp.correlate, (normal(5), normal(3))),
    ("correlate", lambda a, v: jnp.correlate(a, v, mode="full"), (normal(3), normal(4)), "full"),
    ("diff", lambda x: jnp.diff(x, n=2, axis=0), (normal(4, 3),)),
    ("diff", lambda x, p: jnp.diff(x, prepend=p), (ints(-3, 3, *S), ints(-3, 3, 3, 1)), "prepend-int"),
    ("ediff1d", lambda x: jnp.ediff1d(x, to_begin=0.0, to_end=1.0), (normal(*S),)),
    ("gradient", jnp.gradient, (normal(*S),)),
    ("gradient", lambda f, x: jnp.gradient(f, x, axis=1, edge_order=2), (normal(*S), ascending(5)), "coords"),
    ("trapezoid", jnp.trapezoid, (normal(*S),)),
    ("trapezoid", lambda y, x: jnp.trapezoid(y, x), (normal(*S), ascending(5)), "x"),
    ("interp", jnp.interp, (normal(7), ascending(4), normal(4))),
    ("interp", lambda x, xp, fp: jnp.interp(x, xp, fp, left=-9.0, right=9.0, period=None), (normal(3),
                                                                                             ascending(4), normal(4)),
     "left-right"),
    ("unwrap", lambda p: jnp.unwrap(p * 4, axis=0), (normal(*S),)),
    ("sinc", jnp.sinc, (normal(*S),)),
    ("i0", lambda x: jnp.i0(x * 6), (normal(*S),)),
    ("bartlett", lambda x: jnp.bartlett(5) * x, (normal(5),), "", ("bartlett", "blackman", "hamming", "hanning")),
    ("blackman", lambda x: jnp.blackman(5) + jnp.hamming(5) * jnp.hanning(5) * x, (normal(5),)),
    ("kaiser", lambda b: jnp.kaiser(6, b), (positive(()),)),
    ("cov", jnp.cov, (normal(*S),)),
    ("cov", lambda m, w: jnp.cov(m, rowvar=False, aweights=w), (normal(5, 2), positive(5)), "aweights"),
    ("corrcoef", jnp.corrcoef, (normal(*S),)),
    ("histogram", lambda a: jnp.histogram(a, bins=3), (normal(12),)),
    ("histogram", lambda a, w: jnp.histogram(a, bins=EDGES, weights=w, density=True), (normal(12), positive(12)),
     "edges-weights-density"),
    ("histogram_bin_edges", lambda a: jnp.histogram_bin_edges(a, bins=4), (normal(12),)),
    ("histogram2d", lambda x, y: jnp.histogram2d(x, y, bins=(2, EDGES)), (normal(10), normal(10))),
    ("histogramdd", lambda s: jnp.histogramdd(s, bins=3, range=[(-1, 1), None]), (normal(10, 2),)),
    ("bincount", lambda x: jnp.bincount(x, length=5), (ints(0, 7, 9),)),
    ("bincount", lambda x, w: jnp.bincount(x, w, length=4), (ints(0, 4, 9), normal(9)), "weights"),
    ("digitize", lambda x, b: jnp.digitize(x, b), (normal(*S), ascending(4))),
    ("digitize", lambda x: jnp.digitize(x, EDGES[::-1], right=True), (normal(*S),), "decreasing"),
    ("poly", jnp.poly, (normal(3),)),
    ("polyadd", jnp.polyadd, (normal(3), normal(2))),
    ("polysub", jnp.polysub, (normal(2), normal(4))),
    ("polymul", jnp.polymul, (normal(3), normal(2))),
    ("polyder", lambda p: jnp.polyder(p, 2), (normal(4),)),
    ("polyint", lambda p: jnp.polyint(p, 2, k=[1.0, 2.0]), (normal(3),)),
    ("polydiv", lambda u, v: jnp.polydiv(u, v + 3.0, trim_leading_zeros=False), (normal(4), normal(2))),
    ("polyval", jnp.polyval, (normal(3), normal(*S))),
    ("polyfit", lambda y: jnp.polyfit(jnp.linspace(-1.0, 1.0, 6), y, 2), (normal(6),)),
    ("polyfit", lambda x, y: jnp.polyfit(x, y, 1, cov=True), (ascending(6), normal(6, 2)), "cov-2d"),
]
EXCLUDED = {  # name -> reason it has no row
    "roots": "eigenvalues of the companion matrix: eager only until jaxlite.numpy.linalg exists",
}

# For test_numpy_grads' coverage: derivatives checked in tests/numpy/test_functions_b.py (GRADS,
# check_grads to second order), or none to check.
_CHECKED_THERE = "derivatives checked by check_grads in tests/numpy/test_functions_b.py"
GRAD_EXCLUDED = {
    **dict.fromkeys(
        "convolve correlate diff ediff1d gradient trapezoid interp unwrap sinc i0 kaiser cov corrcoef "
        "poly polyadd polysub polymul polyder polyint polydiv polyval polyfit histogram histogram2d "
        "histogramdd".split(), _CHECKED_THERE),
    **dict.fromkeys("bincount digitize histogram_bin_edges".split(), "integer-valued, or bin edges"),
    **dict.fromkeys("bartlett blackman hamming hanning".split(), "window constants from a length"),
    "roots": "eager only until jaxlite.numpy.linalg exists",
}
