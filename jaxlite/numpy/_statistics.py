"""Statistics: covariance and correlation, histograms, bincount and digitize.

Eagerly each function calls NumPy. Under a transform it is a composition of jaxlite.numpy
functions and a scatter-add (the counting); then:
  - bins given as strings ("auto", "fd", ...) need concrete data (the number of bins depends
    on the values), so they work eagerly only;
  - bincount needs `length=` (JAX's static result length) unless its input is concrete;
  - checks of values (negative weights, non-monotonic bin edges, non-finite ranges) are made
    eagerly only.
"""

import math
import operator

import numpy as np

from .. import lax
from .. import numpy as jnp
from ..core import Tracer, concrete_or_error
from ._base import result_dtype, static_int, tracing
from ._signal import numpy_call

__all__ = ["cov", "corrcoef", "histogram", "histogram_bin_edges", "histogram2d", "histogramdd", "bincount",
           "digitize"]


# ---------------------------------------------------------------- covariance and correlation


def _observations(fname, m, dtype, rowvar):
    x = jnp.asarray(m)
    if x.ndim > 2:
        raise ValueError(f"{fname}(): m has more than 2 dimensions")
    x = jnp.atleast_2d(x).astype(dtype)
    return x.T if not rowvar and x.shape[0] != 1 else x


def _frequency_weights(fweights, n):
    w = jnp.asarray(fweights)
    if w.dtype.kind not in "biu":
        raise TypeError("cov(): fweights must be integer")
    if w.ndim > 1:
        raise RuntimeError("cov(): cannot handle multidimensional fweights")
    if w.shape[0] != n:
        raise RuntimeError("cov(): incompatible numbers of samples and fweights")
    return w.astype(np.float64)


def _analytic_weights(aweights, n):
    w = jnp.asarray(aweights).astype(np.float64)
    if w.ndim > 1:
        raise RuntimeError("cov(): cannot handle multidimensional aweights")
    if w.shape[0] != n:
        raise RuntimeError("cov(): incompatible numbers of samples and aweights")
    return w


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """Covariance matrix of the variables in the rows (or columns) of m (numpy.cov)."""
    if not tracing():
        return numpy_call("cov", np.cov, m, y, rowvar=rowvar, bias=bias, ddof=ddof, fweights=fweights,
                          aweights=aweights, dtype=dtype)
    if ddof is not None and ddof != int(ddof):
        raise ValueError("cov(): ddof must be integer")
    if dtype is None:
        dtype = result_dtype(jnp.asarray(m), *(() if y is None else (jnp.asarray(y),)), np.float64(0))[0]
    x = _observations("cov", m, dtype, rowvar)
    if y is not None:
        x = jnp.concatenate([x, _observations("cov", y, dtype, rowvar)], axis=0)
    if x.shape[0] == 0:
        return jnp.zeros((0, 0), dtype)
    ddof = (0 if bias else 1) if ddof is None else int(ddof)
    n = x.shape[1]
    w = None
    if fweights is not None:
        w = _frequency_weights(fweights, n)
    if aweights is not None:
        a = _analytic_weights(aweights, n)
        w = a if w is None else w * a
    avg, w_sum = jnp.average(x, axis=1, weights=w, returned=True)
    w_sum = w_sum[0]
    if w is None:
        fact = n - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * jnp.sum(w * a) / w_sum
    fact = jnp.maximum(fact, 0)
    x = x - avg[:, None]
    x_t = (x * w).T if w is not None else x.T
    c = jnp.matmul(x, jnp.conj(x_t)) * jnp.true_divide(1, fact)
    return jnp.squeeze(c)


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson correlation coefficients (numpy.corrcoef)."""
    if not tracing():
        return numpy_call("corrcoef", np.corrcoef, x, y, rowvar=rowvar, dtype=dtype)
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    stddev = jnp.sqrt(jnp.real(jnp.diagonal(c)))
    c = c / stddev[:, None] / stddev[None, :]
    if c.dtype.kind == "c":
        return jnp.clip(jnp.real(c), -1, 1) + 1j * jnp.clip(jnp.imag(c), -1, 1)
    return jnp.clip(c, -1, 1)


# ---------------------------------------------------------------- histograms


def _outer_edges(fname, a, range_):
    """The first and last edge of uniform bins: `range`, or the data's extent (widened when empty)."""
    if range_ is not None:
        first, last = range_
        if not (isinstance(first, Tracer) or isinstance(last, Tracer)) and first > last:
            raise ValueError(f"{fname}(): max must be larger than min in range parameter.")
    elif a.size == 0:
        first, last = 0, 1
    else:
        first, last = jnp.min(a), jnp.max(a)
    same = first == last
    if isinstance(same, (bool, np.bool_)):
        return (first - 0.5, last + 0.5) if same else (first, last)
    return jnp.where(same, first - 0.5, first), jnp.where(same, last + 0.5, last)


def _bin_count(fname, bins, argname="bins"):
    try:
        count = operator.index(concrete_or_error(bins, fname, argname))
    except TypeError:
        raise TypeError(f"{fname}(): `{argname}` must be an integer, a string, or an array") from None
    if count < 1:
        raise ValueError(f"{fname}(): `{argname}` must be positive, when an integer")
    return count


def _edges_1d(fname, a, bins, range_):
    """The bin edges of 1-d data `a` (a traced path; string bins need concrete data)."""
    if isinstance(bins, str):
        data = concrete_or_error(a, fname, "a", fix=f"pass bins as an int or an array of edges to {fname}()")
        return jnp.asarray(np.histogram_bin_edges(np.asarray(data), bins, range_))
    if jnp.ndim(bins) == 0:
        count = _bin_count(fname, bins)
        first, last = _outer_edges(fname, a, range_)
        dtype = result_dtype(first, last, a)[0]
        if dtype.kind in "biu":
            dtype = np.dtype(np.float64)
        return jnp.linspace(first, last, count + 1, dtype=dtype)
    edges = jnp.asarray(bins)
    if edges.ndim != 1:
        raise ValueError(f"{fname}(): `bins` must be 1d, when an array")
    return edges


def _bin_index(x, edges):
    """The bin of each x (edges[i] <= x < edges[i+1], the last bin closed); len(edges) - 1 outside."""
    nbins = edges.shape[0] - 1
    index = jnp.searchsorted(edges, x, side="right") - 1
    index = jnp.where(x == edges[-1], nbins - 1, index)
    return jnp.where((x >= edges[0]) & (x <= edges[-1]), index, nbins)


def _scatter_count(index, weights, length, dtype):
    """bincount by a scatter-add: indices outside [0, length) are dropped."""
    updates = jnp.ones(index.shape, dtype) if weights is None else weights.astype(dtype)
    return lax.scatter_add(jnp.zeros(length, dtype), (index,), updates, (0,))


def histogram_bin_edges(a, bins=10, range=None, weights=None):  # noqa: A002  (NumPy's name)
    """The bin edges numpy.histogram would use (numpy.histogram_bin_edges)."""
    if not tracing():
        return numpy_call("histogram_bin_edges", np.histogram_bin_edges, a, bins, range, weights)
    return _edges_1d("histogram_bin_edges", jnp.ravel(jnp.asarray(a)), bins, range)


def histogram(a, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """Counts (or weight sums, or a density) of `a` in bins, and the bin edges (numpy.histogram)."""
    if not tracing():
        return numpy_call("histogram", np.histogram, a, bins, range, density, weights)
    x = jnp.ravel(jnp.asarray(a))
    if weights is not None:
        weights = jnp.asarray(weights)
        if weights.shape != jnp.shape(a):
            raise ValueError("histogram(): weights should have the same shape as a.")
        weights = jnp.ravel(weights)
    edges = _edges_1d("histogram", x, bins, range)
    nbins = edges.shape[0] - 1
    index = _bin_index(x.astype(result_dtype(x, edges)[0]), edges)
    if weights is None:
        counts = _scatter_count(index, None, nbins, np.dtype(np.int64))
    else:
        work = np.complex128 if weights.dtype.kind == "c" else np.float64
        counts = _scatter_count(index, weights, nbins, np.dtype(work)).astype(weights.dtype)
    if density:
        widths = jnp.diff(edges).astype(np.float64)
        return counts / widths / jnp.sum(counts), edges
    return counts, edges


def _sample_columns(sample):
    """histogramdd's sample as (N, D): an array of that shape, or D sequences of N values."""
    if hasattr(sample, "shape") and len(sample.shape) == 2:
        return jnp.asarray(sample)
    if isinstance(sample, (list, tuple)):
        return jnp.stack([jnp.ravel(jnp.asarray(s)) for s in sample], axis=1)
    return jnp.atleast_2d(jnp.asarray(sample)).T


def _edges_nd(i, column, bins, range_):
    if jnp.ndim(bins) == 0:
        try:
            count = operator.index(concrete_or_error(bins, "histogramdd", "bins"))
        except TypeError:
            raise TypeError(f"histogramdd(): `bins[{i}]` must be an integer, when a scalar") from None
        if count < 1:
            raise ValueError(f"histogramdd(): `bins[{i}]` must be positive, when an integer")
        first, last = _outer_edges("histogramdd", column, range_)
        return jnp.linspace(first, last, count + 1)
    edges = jnp.asarray(bins)
    if edges.ndim != 1:
        raise ValueError(f"histogramdd(): `bins[{i}]` must be a scalar or 1d array")
    return edges


def histogramdd(sample, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """The D-dimensional histogram of N points, as float64, and the edges (numpy.histogramdd)."""
    if not tracing():
        return numpy_call("histogramdd", np.histogramdd, sample, bins, range, density, weights)
    sample = _sample_columns(sample)
    n, d = sample.shape
    if isinstance(bins, str) or (hasattr(bins, "shape") and len(bins.shape) == 0) or not hasattr(bins, "__len__"):
        bins = [bins] * d
    elif len(bins) != d:
        raise ValueError("histogramdd(): The dimension of bins must be equal to the dimension of the sample x.")
    ranges = [None] * d if range is None else list(range)
    if len(ranges) != d:
        raise ValueError("histogramdd(): range argument must have one entry per dimension")
    edges = [_edges_nd(i, sample[:, i], b, r) for i, (b, r) in enumerate(zip(bins, ranges))]
    nbin = [e.shape[0] + 1 for e in edges]  # with the two outlier bins
    flat = 0
    for i, e in enumerate(edges):
        column = sample[:, i]
        column = column.astype(result_dtype(column, e)[0])
        index = jnp.searchsorted(e, column, side="right")
        index = jnp.where(column == e[-1], index - 1, index)
        flat = flat * nbin[i] + index
    if weights is not None:
        weights = jnp.asarray(weights)
        if weights.dtype.kind == "c":
            raise TypeError("histogramdd(): Cannot cast array data from complex128 to float64")
        if weights.shape != (n,):
            raise ValueError("histogramdd(): The weights and list don't have the same length.")
    flat = jnp.asarray(flat, np.int64) if n else jnp.zeros(0, np.int64)
    hist = _scatter_count(flat, weights, math.prod(nbin), np.dtype(np.float64))
    hist = jnp.reshape(hist, nbin)[(slice(1, -1),) * d]
    if density:
        total = jnp.sum(hist)
        for i, e in enumerate(edges):
            shape = [1] * d
            shape[i] = nbin[i] - 2
            hist = hist / jnp.reshape(jnp.diff(e), shape)
        hist = hist / total
    return hist, edges


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """The 2-d histogram of points (x, y), and the edges along x and y (numpy.histogram2d)."""
    if not tracing():
        return numpy_call("histogram2d", np.histogram2d, x, y, bins, range, density, weights)
    try:
        count = len(bins)
    except TypeError:
        count = 1
    if count not in (1, 2):
        bins = [bins, bins]
    x, y = jnp.asarray(x), jnp.asarray(y)
    if x.shape != y.shape:
        raise ValueError("histogram2d(): x and y must have the same length.")
    hist, edges = histogramdd(jnp.stack([x, y], axis=1), bins, range, density, weights)
    return hist, edges[0], edges[1]


# ---------------------------------------------------------------- bincount and digitize


def _bincount_length(x, minlength, length):
    if length is not None:
        return static_int(length, "bincount", "length")
    fix = "pass length=N (the static result length) to bincount() to fix the result's length"
    values = np.asarray(concrete_or_error(x, "bincount", "x", fix=fix))
    return max(int(values.max()) + 1 if values.size else 0, minlength)


def bincount(x, weights=None, minlength=0, *, length=None):
    """Occurrences (or summed weights) of each non-negative integer in x (numpy.bincount).

    `length` (JAX's) fixes the result's length, dropping larger values: needed under jit and
    vmap unless x is concrete.
    """
    minlength = static_int(minlength, "bincount", "minlength")
    if not tracing():
        result = numpy_call("bincount", np.bincount, x, weights, minlength)
        if length is None:
            return result
        length = static_int(length, "bincount", "length")
        return jnp.pad(result[:length], (0, max(length - result.shape[0], 0)))
    if minlength < 0:
        raise ValueError("bincount(): 'minlength' must not be negative")
    x = jnp.asarray(x)
    if x.ndim != 1:
        raise ValueError(f"bincount(): object {'too deep' if x.ndim else 'of too small depth'} for desired array")
    if x.dtype.kind not in "biu" or x.dtype == np.uint64:
        raise TypeError(f"bincount(): Cannot cast array data from dtype('{x.dtype}') to dtype('int64') "
                        "according to the rule 'safe'")
    if weights is not None:
        weights = jnp.asarray(weights)
        if weights.shape != x.shape:
            raise ValueError("bincount(): The weights and list don't have the same length.")
        if weights.dtype.kind == "c":
            raise TypeError("bincount(): Cannot cast array data from dtype('complex128') to dtype('float64')")
    length = _bincount_length(x, minlength, length)
    dtype = np.dtype(np.int64 if weights is None else np.float64)
    return _scatter_count(x.astype(np.int64), weights, length, dtype)


def digitize(x, bins, right=False):
    """Indices of the bins each x falls in, bins increasing or decreasing (numpy.digitize)."""
    if not tracing():
        return numpy_call("digitize", np.digitize, x, bins, right)
    x, bins = jnp.asarray(x), jnp.asarray(bins)
    if x.dtype.kind == "c":
        raise TypeError("digitize(): x may not be complex")
    if bins.ndim != 1:
        raise ValueError("digitize(): object too deep for desired array")
    if bins.shape[0] == 0:
        return jnp.zeros(x.shape, np.int64)
    side = "left" if right else "right"
    increasing = jnp.searchsorted(bins, x, side=side)
    decreasing = bins.shape[0] - jnp.searchsorted(jnp.flip(bins), x, side=side)
    return jnp.where(bins[-1] >= bins[0], increasing, decreasing)
