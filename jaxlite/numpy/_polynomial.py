"""Polynomials as coefficient arrays, highest power first (NumPy's legacy polynomial API).

Eagerly each function calls NumPy. Under a transform it is a composition of jaxlite.numpy
functions; the lengths of the coefficient arrays and orders (`m`, `deg`) must be concrete.
Until jaxlite.numpy.linalg exists: `roots` (eigenvalues of the companion matrix) and `poly`
of a square matrix (its eigenvalues) work eagerly only, and `polyfit` under a transform solves
its least-squares problem by a Householder QR built here (real data, full column rank; no
singular values, so `full=True` is eager only). Where NumPy's result shape or dtype depends on
values, the traced result keeps the general form: `polydiv` needs `trim_leading_zeros=False`
under a transform (the remainder keeps its leading zeros), and `poly` of complex roots stays
complex (NumPy returns the real part when the roots come in conjugate pairs).
"""

import numpy as np

from .. import numpy as jnp
from ..core import concrete_or_error
from ._base import static_int, tracing
from ._signal import numpy_call

__all__ = ["poly", "polyadd", "polyder", "polydiv", "polyint", "polymul", "polysub", "polyval", "polyfit", "roots"]

_NO_LINALG = ("{}() needs {} under a transform, and jaxlite.numpy.linalg does not exist yet; "
              "call it on concrete arrays (outside jit/vmap/grad)")


def _needs_linalg(fname, what):
    return NotImplementedError(_NO_LINALG.format(fname, what))


def poly(seq_of_zeros):
    """Coefficients of the monic polynomial with the given roots (or matrix's eigenvalues) (numpy.poly)."""
    if not tracing():
        return numpy_call("poly", np.poly, seq_of_zeros)
    zeros = jnp.atleast_1d(jnp.asarray(seq_of_zeros))
    shape = zeros.shape
    if len(shape) == 2 and shape[0] == shape[1] and shape[0] != 0:
        raise _needs_linalg("poly", "the eigenvalues of a matrix")
    if len(shape) != 1:
        raise ValueError("poly(): input must be 1d or non-empty square 2d array.")
    if shape[0] == 0:
        return 1.0
    dtype = np.dtype(np.mintypecode(zeros.dtype.char))
    zeros = zeros.astype(dtype)
    a = jnp.ones(1, dtype)
    for i in range(shape[0]):
        a = jnp.convolve(a, jnp.stack([jnp.ones((), dtype), -zeros[i]]))
    return a


def _padded_pair(a1, a2):
    a1, a2 = jnp.atleast_1d(jnp.asarray(a1)), jnp.atleast_1d(jnp.asarray(a2))
    diff = a2.shape[0] - a1.shape[0]
    if diff > 0:
        a1 = jnp.concatenate([jnp.zeros(diff, a1.dtype), a1])
    elif diff < 0:
        a2 = jnp.concatenate([jnp.zeros(-diff, a2.dtype), a2])
    return a1, a2


def polyadd(a1, a2):
    """Sum of two polynomials (numpy.polyadd)."""
    if not tracing():
        return numpy_call("polyadd", np.polyadd, a1, a2)
    a1, a2 = _padded_pair(a1, a2)
    return a1 + a2


def polysub(a1, a2):
    """Difference of two polynomials (numpy.polysub)."""
    if not tracing():
        return numpy_call("polysub", np.polysub, a1, a2)
    a1, a2 = _padded_pair(a1, a2)
    return a1 - a2


def polymul(a1, a2):
    """Product of two polynomials (numpy.polymul)."""
    if not tracing():
        return numpy_call("polymul", np.polymul, a1, a2)
    return jnp.convolve(a1, a2)


def polyder(p, m=1):
    """The m-th derivative of a polynomial (numpy.polyder)."""
    if not tracing():
        return numpy_call("polyder", np.polyder, p, m)
    m = static_int(m, "polyder", "m")
    if m < 0:
        raise ValueError("polyder(): Order of derivative must be positive (see polyint)")
    p = jnp.asarray(p)
    for _ in range(m):
        n = p.shape[0] - 1
        p = p[:-1] * jnp.arange(n, 0, -1)
    return p


def polyint(p, m=1, k=None):
    """The m-th antiderivative of a polynomial, integration constants k (numpy.polyint)."""
    if not tracing():
        return numpy_call("polyint", np.polyint, p, m, k)
    m = static_int(m, "polyint", "m")
    if m < 0:
        raise ValueError("polyint(): Order of integral must be positive (see polyder)")
    k = jnp.zeros(m) if k is None else jnp.atleast_1d(jnp.asarray(k))
    if k.shape[0] == 1 and m > 1:
        k = k[0] * jnp.ones(m)
    if k.shape[0] < m:
        raise ValueError("polyint(): k must be a scalar or a rank-1 array of length 1 or >m.")
    p = jnp.asarray(p)
    for i in range(m):
        p = jnp.concatenate([p / jnp.arange(p.shape[0], 0, -1), k[i:i + 1]])
    return p


def polydiv(u, v, *, trim_leading_zeros=None):
    """Quotient and remainder of polynomial division (numpy.polydiv).

    NumPy drops the remainder's leading zeros (a value-dependent length); under a transform
    pass `trim_leading_zeros=False` to keep the remainder at len(u) elements.
    """
    if not tracing() and trim_leading_zeros is not False:
        return numpy_call("polydiv", np.polydiv, u, v)
    u = jnp.atleast_1d(jnp.asarray(u)) + 0.0
    v = jnp.atleast_1d(jnp.asarray(v)) + 0.0
    dtype = (u[0] + v[0]).dtype
    m, n = u.shape[0] - 1, v.shape[0] - 1
    scale = 1.0 / v[0]
    r = [u[i].astype(dtype) for i in range(m + 1)]
    q = [jnp.zeros((), dtype)] if m < n else []
    for k in range(m - n + 1):
        d = scale * r[k]
        q.append(d)
        for j in range(n + 1):
            r[k + j] = r[k + j] - d * v[j]
    q, r = jnp.stack(q), jnp.stack(r)
    if trim_leading_zeros is False:
        return q, r
    fix = "pass trim_leading_zeros=False to polydiv() to keep the remainder's leading zeros"
    remainder = np.asarray(concrete_or_error(r, "polydiv", "u", fix=fix))
    start = 0
    while start < remainder.shape[0] - 1 and np.allclose(remainder[start], 0, rtol=1e-14):
        start += 1
    return q, r[start:]


def polyval(p, x):
    """The polynomial with coefficients p evaluated at x, by Horner's rule (numpy.polyval)."""
    if not tracing():
        return numpy_call("polyval", np.polyval, p, x)
    p, x = jnp.asarray(p), jnp.asarray(x)
    if p.ndim == 0:
        raise TypeError("polyval(): iteration over a 0-d array")
    y = jnp.zeros_like(x)
    for i in range(p.shape[0]):
        y = y * x + p[i]
    return y


# ---------------------------------------------------------------- least squares


def _householder(a, b):
    """R (n x n, upper triangular) and the first n rows of Q^T b for a = QR, a of shape (m, n)."""
    m, n = a.shape
    for k in range(min(n, m)):
        column = a[k:, k]
        norm = jnp.sqrt(jnp.sum(column * column))
        alpha = jnp.where(column[0] >= 0, -norm, norm)
        v = jnp.concatenate([column[:1] - alpha, column[1:]])
        factor = 2.0 / jnp.sum(v * v)
        a = jnp.concatenate([a[:k], a[k:] - factor * jnp.outer(v, v @ a[k:])])
        b = jnp.concatenate([b[:k], b[k:] - factor * jnp.outer(v, v @ b[k:])])
    return a[:n], b[:n]


def _back_substitute(r, b):
    """x with r x = b, r upper triangular (n x n), b of shape (n, k)."""
    n = r.shape[0]
    rows = [None] * n
    for i in reversed(range(n)):
        total = b[i]
        for j in range(i + 1, n):
            total = total - r[i, j] * rows[j]
        rows[i] = total / r[i, i]
    return jnp.stack(rows)


def _fit_checks(x, y, deg, w):
    if deg < 0:
        raise ValueError("polyfit(): expected deg >= 0")
    if x.ndim != 1:
        raise TypeError("polyfit(): expected 1D vector for x")
    if x.shape[0] == 0:
        raise TypeError("polyfit(): expected non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError("polyfit(): expected 1D or 2D array for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("polyfit(): expected x and y to have same length")
    if w is not None and w.ndim != 1:
        raise TypeError("polyfit(): expected a 1-d array for weights")
    if w is not None and w.shape[0] != y.shape[0]:
        raise TypeError("polyfit(): expected w and y to have the same length")


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit of degree deg (numpy.polyfit; see the module notes under transforms)."""
    if not tracing():
        return numpy_call("polyfit", np.polyfit, x, y, deg, rcond=rcond, full=full, w=w, cov=cov)
    deg = static_int(deg, "polyfit", "deg")
    x, y = jnp.asarray(x) + 0.0, jnp.asarray(y) + 0.0
    w = None if w is None else jnp.asarray(w) + 0.0
    _fit_checks(x, y, deg, w)
    if full:
        raise _needs_linalg("polyfit", "singular values for full=True")
    if x.dtype.kind == "c" or y.dtype.kind == "c":
        raise _needs_linalg("polyfit", "a complex least-squares solver")
    order = deg + 1
    lhs, rhs = jnp.vander(x, order), y
    if w is not None:
        lhs = lhs * w[:, None]
        rhs = rhs * (w[:, None] if rhs.ndim == 2 else w)
    scale = jnp.sqrt(jnp.sum(lhs * lhs, axis=0))
    lhs = lhs / scale
    columns = rhs if rhs.ndim == 2 else rhs[:, None]
    r, qtb = _householder(lhs, columns)
    c = _back_substitute(r, qtb)
    coefficients = (c.T / scale).T
    if rhs.ndim == 1:
        coefficients = coefficients[:, 0]
    if not cov:
        return coefficients
    r_inv = _back_substitute(r, jnp.eye(order, dtype=r.dtype))
    base = (r_inv @ r_inv.T) / jnp.outer(scale, scale)
    if cov == "unscaled":
        factor = 1.0
    else:
        if x.shape[0] <= order:
            raise ValueError("polyfit(): the number of data points must exceed order to scale the covariance matrix")
        factor = jnp.sum((lhs @ c - columns) ** 2, axis=0) / (x.shape[0] - order)
    if rhs.ndim == 1:
        return coefficients, base * factor
    return coefficients, base[:, :, None] * factor


def roots(p):
    """The roots of a polynomial (numpy.roots): eager only until jaxlite.numpy.linalg exists."""
    if tracing():
        raise _needs_linalg("roots", "the eigenvalues of the companion matrix")
    return numpy_call("roots", np.roots, p)

