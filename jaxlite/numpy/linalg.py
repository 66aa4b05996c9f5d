"""jaxlite.numpy.linalg: numpy.linalg, differentiable and batched over leading axes.

Eagerly every decomposition and solve is numpy.linalg's own, its results wrapped and its errors
raised (LinAlgError for non-square, singular or not positive definite input). Under a transform
each is a composition of the jaxlite.lax.linalg primitives and jaxlite.numpy functions; there
LAPACK failures give NaN results instead of an error, as in JAX. As in NumPy the factorizations
run in double precision (float64 or complex128) and are rounded back when every input is
float32 or complex64; integers and booleans give float64; float16 is refused (TypeError).

Where NumPy decides a result's dtype or shape from values, jaxlite fixes it: `eig` and `eigvals`
are always complex (NumPy's are real when every eigenvalue is; the Array API and jit need one
dtype), and under a transform `lstsq`'s residuals are computed whenever M > N (NumPy leaves
them empty for a rank-deficient `a`). qr's mode 'raw' works eagerly only.
"""

import operator
import warnings
from collections import namedtuple

import numpy as np

from .. import lax
from .. import numpy as jnp  # the package: it imports this module last, when all its functions exist
from ..core import concrete_or_error
from ..lax import linalg as lax_linalg
from ._base import (
    NUMPY_ERRORS, array_operand, broadcast_shapes, broadcast_to_shape, convert, no_out, normalize_axis,
    numpy_error, static_int, to_numpy, tracing, wrap,
)

__all__ = [
    "matrix_power", "solve", "tensorsolve", "tensorinv", "inv", "cholesky", "eigvals", "eigvalsh", "pinv",
    "slogdet", "det", "svd", "svdvals", "eig", "eigh", "lstsq", "norm", "qr", "cond", "matrix_rank",
    "LinAlgError", "multi_dot", "trace", "diagonal", "cross", "outer", "tensordot", "matmul",
    "matrix_transpose", "matrix_norm", "vector_norm", "vecdot",
]

LinAlgError = np.linalg.LinAlgError

EigResult = namedtuple("EigResult", "eigenvalues eigenvectors")
EighResult = namedtuple("EighResult", "eigenvalues eigenvectors")
QRResult = namedtuple("QRResult", "Q R")
SlogdetResult = namedtuple("SlogdetResult", "sign logabsdet")
SVDResult = namedtuple("SVDResult", "U S Vh")
_RESULTS = {cls.__name__: cls for cls in (EigResult, EighResult, QRResult, SlogdetResult, SVDResult)}

_f32, _f64, _c64, _c128 = (np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128))
_SUPPORTED = {_f32, _f64, _c64, _c128}
_INF = float("inf")


# ---------------------------------------------------------------- eager calls


def _wrapped(result):
    if isinstance(result, tuple):
        cls = _RESULTS.get(type(result).__name__, tuple)
        items = [_wrapped(r) for r in result]
        return cls(*items) if cls is not tuple else tuple(items)
    return wrap(result)


def _eager(fname, numpy_fn, *args, **kwargs):
    """numpy.linalg's `numpy_fn` on NumPy values, its results wrapped (namedtuples as ours)."""
    try:
        result = numpy_fn(*[to_numpy(a) for a in args], **{k: to_numpy(v) for k, v in kwargs.items()})
    except NUMPY_ERRORS as error:
        raise numpy_error(error, fname) from None
    return _wrapped(result)


# ---------------------------------------------------------------- operands, dtypes, checks


def _types(fname, *xs):
    """NumPy's (computation dtype, result dtype) of linalg on `xs`."""
    single, is_complex = True, False
    for x in xs:
        dtype = np.dtype(x.dtype)
        if dtype.kind in "fc":
            if dtype not in _SUPPORTED:
                raise TypeError(f"{fname}(): array type {dtype.name} is unsupported in linalg")
            single &= dtype in (_f32, _c64)
            is_complex |= dtype.kind == "c"
        elif dtype.kind in "biu":
            single = False
        else:
            raise TypeError(f"{fname}(): array type {dtype.name} is unsupported in linalg")
    if is_complex:
        return _c128, _c64 if single else _c128
    return _f64, _f32 if single else _f64


def _real(dtype):
    return {_c64: _f32, _c128: _f64}.get(np.dtype(dtype), np.dtype(dtype))


def _complex(dtype):
    return {_f32: _c64, _f64: _c128}.get(np.dtype(dtype), np.dtype(dtype))


def _stacked_2d(fname, x):
    if x.ndim < 2:
        raise LinAlgError(f"{fname}(): {x.ndim}-dimensional array given. Array must be at least two-dimensional")


def _stacked_square(fname, x):
    _stacked_2d(fname, x)
    if x.shape[-1] != x.shape[-2]:
        raise LinAlgError(f"{fname}(): Last 2 dimensions of the array must be square")


def _two_dimensional(fname, *xs):
    for x in xs:
        if x.ndim != 2:
            raise LinAlgError(f"{fname}(): {x.ndim}-dimensional array given. Array must be two-dimensional")


def _matrix(fname, a, square=True):
    """`a` as an array of matrices (checked), in NumPy's computation dtype; and the result dtype."""
    a = array_operand(a, fname)
    (_stacked_square if square else _stacked_2d)(fname, a)
    t, rt = _types(fname, a)
    return convert(a, t), rt


# ---------------------------------------------------------------- traced building blocks


def _mT(x):
    return lax.transpose(x, (*range(x.ndim - 2), x.ndim - 1, x.ndim - 2))


def _conj(x):
    return lax.conj(x) if x.dtype.kind == "c" else x


def _mH(x):
    return _conj(_mT(x))


def _diag(x):
    return jnp.diagonal(x, axis1=-2, axis2=-1)


def _hermitian(x, lower):
    """The Hermitian matrix LAPACK reads from x's lower (or upper) triangle: the other triangle
    mirrored and conjugated, the diagonal's imaginary part dropped."""
    n = x.shape[-1]
    strict = np.tri(n, n, -1, bool) if lower else np.tri(n, n, -1, bool).T
    triangle = jnp.where(strict, x, 0)
    diagonal = jnp.where(np.eye(n, dtype=bool), jnp.real(x), 0)
    return triangle + _mH(triangle) + diagonal


def _safe_sqrt(sq):
    """sqrt(sq), whose derivative at sq == 0 is taken as 0 (norms of zero vectors: no NaN)."""
    zero = sq == 0
    return jnp.where(zero, 0, jnp.sqrt(jnp.where(zero, 1, sq)))


def _two_norm(x, axis, keepdims=False):
    squares = jnp.real(_conj(x) * x) if x.dtype.kind == "c" else x * x
    return _safe_sqrt(jnp.sum(squares, axis=axis, keepdims=keepdims))


def _reciprocal_above(s, cutoff):
    """1/s where s > cutoff, else 0 (no infinities in either branch, for the derivative)."""
    large = s > cutoff
    return jnp.where(large, 1 / jnp.where(large, s, 1), 0), large


# ---------------------------------------------------------------- solves and inverses


def _solve(a, b):
    a, b = array_operand(a, "solve"), array_operand(b, "solve", "b")
    _stacked_square("solve", a)
    t, rt = _types("solve", a, b)
    n = a.shape[-1]
    vector = b.ndim == 1
    if b.ndim == 0 or b.shape[0 if vector else -2] != n:
        signature = "(m,m),(m)->(m)" if vector else "(m,m),(m,n)->(m,n)"
        raise ValueError(f"solve(): b of shape {tuple(b.shape)} does not match a of shape {tuple(a.shape)} "
                         f"(gufunc signature {signature})")
    batch = broadcast_shapes("solve", a.shape[:-2], () if vector else b.shape[:-2])
    b = lax.reshape(b, (n, 1)) if vector else b
    a = broadcast_to_shape(convert(a, t), (*batch, n, n))
    x = lax_linalg.solve(a, broadcast_to_shape(convert(b, t), (*batch, n, b.shape[-1])))
    return convert(lax.reshape(x, (*batch, n)) if vector else x, rt)


def _inv(a):
    x, rt = _matrix("inv", a)
    return convert(lax_linalg.inv(x), rt)


def solve(a, b):
    """x with a @ x = b; b is one vector only when it is 1-d (NumPy 2). Batch axes broadcast."""
    if not tracing():
        return _eager("solve", np.linalg.solve, a, b)
    return _solve(a, b)


def inv(a):
    """The inverse of each matrix in a (..., M, M)."""
    if not tracing():
        return _eager("inv", np.linalg.inv, a)
    return _inv(a)


def tensorsolve(a, b, axes=None):
    """x with tensordot(a, x, x.ndim) = b; `axes` of a are first moved to the end."""
    if not tracing():
        return _eager("tensorsolve", np.linalg.tensorsolve, a, b, axes=axes)
    a, b = array_operand(a, "tensorsolve"), array_operand(b, "tensorsolve", "b")
    if axes is not None:
        order = list(range(a.ndim))
        for k in axes:
            order.remove(k)
            order.insert(a.ndim, k)
        a = jnp.transpose(a, order)
    shape = a.shape[-(a.ndim - b.ndim):]
    size = int(np.prod(shape))
    if a.size != size ** 2:
        raise LinAlgError("tensorsolve(): Input arrays must satisfy the requirement "
                          "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])")
    x = _solve(jnp.reshape(a, (size, size)), jnp.ravel(b))
    return jnp.reshape(x, shape)


def tensorinv(a, ind=2):
    """The inverse of `a` for tensordot over its first `ind` axes."""
    if not tracing():
        return _eager("tensorinv", np.linalg.tensorinv, a, ind=ind)
    a = array_operand(a, "tensorinv")
    ind = static_int(ind, "tensorinv", "ind")
    if ind <= 0:
        raise ValueError("tensorinv(): Invalid ind argument.")
    size = int(np.prod(a.shape[ind:]))
    inverse = _inv(jnp.reshape(a, (size, -1)))
    return jnp.reshape(inverse, (*a.shape[ind:], *a.shape[:ind]))


def matrix_power(a, n):
    """a raised to the integer power n by repeated squaring (n < 0: powers of inv(a))."""
    if not tracing():
        return _eager("matrix_power", np.linalg.matrix_power, a, n)
    a = array_operand(a, "matrix_power")
    _stacked_square("matrix_power", a)
    try:
        n = operator.index(concrete_or_error(n, "matrix_power", "n"))
    except TypeError:
        raise TypeError("matrix_power(): exponent must be an integer") from None
    if n == 0:
        return jnp.broadcast_to(jnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    if n < 0:
        a, n = _inv(a), -n
    power = result = None
    while n > 0:
        power = a if power is None else jnp.matmul(power, power)
        n, bit = divmod(n, 2)
        if bit:
            result = power if result is None else jnp.matmul(result, power)
    return result


# ---------------------------------------------------------------- determinants


def _lu_diagonal(x):
    """The diagonal of U and the sign of the row permutation, of x's LU factorization."""
    lu, pivots, _ = lax_linalg.lu(x)
    swaps = jnp.count_nonzero(pivots != np.arange(x.shape[-1], dtype=pivots.dtype), axis=-1)
    return _diag(lu), convert(1 - 2 * (swaps % 2), x.dtype)


def det(a):
    """The determinant of each matrix, from its LU factorization (0 for a singular matrix)."""
    if not tracing():
        return _eager("det", np.linalg.det, a)
    x, rt = _matrix("det", a)
    diagonal, sign = _lu_diagonal(x)
    return convert(sign * jnp.prod(diagonal, axis=-1), rt)


def slogdet(a):
    """(sign, logabsdet) of each determinant: (0, -inf) for a singular matrix."""
    if not tracing():
        return _eager("slogdet", np.linalg.slogdet, a)
    x, rt = _matrix("slogdet", a)
    diagonal, sign = _lu_diagonal(x)
    magnitude = jnp.abs(diagonal)
    if x.dtype.kind == "c":
        units, _ = _reciprocal_above(magnitude, 0)
        units = diagonal * units
    else:
        units = jnp.sign(diagonal)
    logabsdet = jnp.sum(jnp.log(magnitude), axis=-1)
    return SlogdetResult(convert(sign * jnp.prod(units, axis=-1), rt), convert(logabsdet, _real(rt)))


# ---------------------------------------------------------------- decompositions


def cholesky(a, /, *, upper=False):
    """The lower (or, with upper=True, upper) Cholesky factor, from that triangle of a."""
    if not tracing():
        return _eager("cholesky", np.linalg.cholesky, a, upper=upper)
    x, rt = _matrix("cholesky", a)
    lower = lax_linalg.cholesky(_hermitian(x, lower=not upper), symmetrize_input=False)
    return convert(_mH(lower) if upper else lower, rt)


_QR_MODES = ("reduced", "complete", "r", "raw")
_QR_DEPRECATED = {"f": "reduced", "full": "reduced", "e": "economic", "economic": "economic"}


def _qr_mode(mode):
    if mode in _QR_MODES:
        return mode
    if mode not in _QR_DEPRECATED:
        raise ValueError(f"qr(): Unrecognized mode '{mode}'")
    warnings.warn(f"qr(): mode {mode!r} is deprecated in NumPy (use 'reduced')", DeprecationWarning, stacklevel=3)
    return _QR_DEPRECATED[mode]


def qr(a, mode="reduced"):
    """QRResult(Q, R) with a = Q @ R ('reduced' or 'complete'), or R alone (mode 'r')."""
    if not tracing():
        return _eager("qr", np.linalg.qr, a, mode=mode)
    mode = _qr_mode(mode)
    if mode in ("raw", "economic"):
        raise NotImplementedError(f"qr(): mode {mode!r} (LAPACK's Householder reflectors) works eagerly only; "
                                  "under a transform use 'reduced', 'complete' or 'r'")
    x, rt = _matrix("qr", a, square=False)
    q, r = lax_linalg.qr(x, full_matrices=mode == "complete")
    return convert(r, rt) if mode == "r" else QRResult(convert(q, rt), convert(r, rt))


def _eigh(fname, a, UPLO):
    if not isinstance(UPLO, str) or UPLO.upper() not in ("L", "U"):
        raise ValueError(f"{fname}(): UPLO argument must be 'L' or 'U'")
    x, rt = _matrix(fname, a)
    lower = UPLO.upper() == "L"  # LAPACK reads the same triangle as NumPy's: the same eigenvectors
    v, w = lax_linalg.eigh(_hermitian(x, lower), lower=lower, symmetrize_input=False)
    return EighResult(convert(w, _real(rt)), convert(v, rt))


def eigh(a, UPLO="L"):
    """EighResult(eigenvalues ascending, eigenvectors in columns) of the Hermitian matrix in
    a's lower (UPLO='L') or upper triangle."""
    if not tracing():
        return _eager("eigh", np.linalg.eigh, a, UPLO=UPLO)
    return _eigh("eigh", a, UPLO)


def eigvalsh(a, UPLO="L"):
    """The eigenvalues of the Hermitian matrix in a's lower (or upper) triangle, ascending."""
    if not tracing():
        return _eager("eigvalsh", np.linalg.eigvalsh, a, UPLO=UPLO)
    return _eigh("eigvalsh", a, UPLO).eigenvalues


def _complex_results(result):
    """eig's results always complex: NumPy makes them real when every eigenvalue is real, a
    dtype that depends on values, which neither jit nor the Array API (2025.12) allow."""
    if isinstance(result, tuple):
        return type(result)(*map(_complex_results, result))
    return wrap(to_numpy(result).astype(_complex(result.dtype), copy=False))


def eig(a):
    """EigResult(eigenvalues, right eigenvectors in columns), always complex (see _complex_results)."""
    if not tracing():
        return _complex_results(_eager("eig", np.linalg.eig, a))
    x, rt = _matrix("eig", a)
    w, v = lax_linalg.eig(x)
    return EigResult(convert(w, _complex(rt)), convert(v, _complex(rt)))


def eigvals(a):
    """The eigenvalues of each matrix, always complex (as eig's)."""
    if not tracing():
        return _complex_results(_eager("eigvals", np.linalg.eigvals, a))
    x, rt = _matrix("eigvals", a)
    (w,) = lax_linalg.eig(x, compute_right_eigenvectors=False)
    return convert(w, _complex(rt))


def _svd(fname, a, full_matrices=True, compute_uv=True, hermitian=False):
    """NumPy's svd under a transform: (u, s, vh) or s, in the computation dtype, and the result dtype."""
    if hermitian:
        return _hermitian_svd(fname, a, compute_uv)
    x, rt = _matrix(fname, a, square=False)
    if not compute_uv:
        return lax_linalg.svd(x, compute_uv=False), rt
    return lax_linalg.svd(x, full_matrices=full_matrices), rt


def _hermitian_svd(fname, a, compute_uv):
    """The SVD of Hermitian matrices from their eigendecomposition, as NumPy's hermitian=True."""
    x, rt = _matrix(fname, a)
    v, w = lax_linalg.eigh(_hermitian(x, lower=True), symmetrize_input=False)
    s = jnp.abs(w)
    if not compute_uv:
        return jnp.flip(jnp.sort(s, axis=-1), axis=-1), rt
    order = jnp.flip(jnp.argsort(s, axis=-1), axis=-1)
    s, signs = jnp.take_along_axis(s, order, axis=-1), jnp.take_along_axis(jnp.sign(w), order, axis=-1)
    u = jnp.take_along_axis(v, order[..., None, :], axis=-1)
    return (u, s, _mH(u * convert(signs, u.dtype)[..., None, :])), rt


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """SVDResult(U, S, Vh) with a = U @ (S[..., None] * Vh), S descending; or S alone."""
    if not tracing():
        return _eager("svd", np.linalg.svd, a, full_matrices=full_matrices, compute_uv=compute_uv,
                      hermitian=hermitian)
    out, rt = _svd("svd", a, full_matrices, compute_uv, hermitian)
    if not compute_uv:
        return convert(out, _real(rt))
    u, s, vh = out
    return SVDResult(convert(u, rt), convert(s, _real(rt)), convert(vh, rt))


def svdvals(x, /):
    """The singular values of each matrix, descending."""
    if not tracing():
        return _eager("svdvals", np.linalg.svdvals, x)
    s, rt = _svd("svdvals", x, compute_uv=False)
    return convert(s, _real(rt))


# ---------------------------------------------------------------- least squares, pseudo-inverse, rank


def lstsq(a, b, rcond=None):
    """(x, residuals, rank, s): the least-squares solution of a @ x = b by the SVD of `a`."""
    if not tracing():
        return _eager("lstsq", np.linalg.lstsq, a, b, rcond=rcond)
    a, b = array_operand(a, "lstsq"), array_operand(b, "lstsq", "b")
    vector = b.ndim == 1
    _two_dimensional("lstsq", a, lax.reshape(b, (b.shape[0], 1)) if vector else b)
    m, n = a.shape
    if b.shape[0] != m:
        raise LinAlgError("lstsq(): Incompatible dimensions")
    t, rt = _types("lstsq", a, b)
    rcond = np.finfo(t).eps * max(m, n) if rcond is None else rcond
    a, b = convert(a, t), convert(lax.reshape(b, (m, 1)) if vector else b, t)
    u, s, vh = lax_linalg.svd(a, full_matrices=False)
    inverse, large = _reciprocal_above(s, rcond * jnp.max(s, initial=0))
    x = jnp.matmul(_mH(vh), inverse[:, None] * jnp.matmul(_mH(u), b))
    if m > n:
        residuals = jnp.sum(jnp.abs(b - jnp.matmul(a, x)) ** 2, axis=0)
    else:
        residuals = jnp.zeros((0,), _real(t))
    rank = convert(jnp.count_nonzero(large), np.int32)
    x = lax.reshape(x, (n,)) if vector else x
    return convert(x, rt), convert(residuals, _real(rt)), rank, convert(s, _real(rt))


_NO_VALUE = object()


def pinv(a, rcond=None, hermitian=False, *, rtol=_NO_VALUE):
    """The Moore-Penrose pseudo-inverse, from the SVD; singular values at most rcond (or
    rtol) times the largest count as zero."""
    if not tracing():
        kwargs = {} if rtol is _NO_VALUE else {"rtol": rtol}
        return _eager("pinv", np.linalg.pinv, a, rcond=rcond, hermitian=hermitian, **kwargs)
    a = array_operand(a, "pinv")
    if rcond is None:
        if rtol is _NO_VALUE:
            rcond = 1e-15
        else:
            rcond = max(a.shape[-2:]) * np.finfo(a.dtype).eps if rtol is None else rtol
    elif rtol is not _NO_VALUE:
        raise ValueError("pinv(): `rtol` and `rcond` can't be both set.")
    _stacked_2d("pinv", a)
    m, n = a.shape[-2:]
    if a.size == 0:
        return jnp.zeros((*a.shape[:-2], n, m), a.dtype)
    (u, s, vh), rt = _svd("pinv", jnp.conj(a), full_matrices=False, hermitian=hermitian)
    inverse, _ = _reciprocal_above(s, jnp.asarray(rcond)[..., None] * jnp.max(s, axis=-1, keepdims=True))
    return convert(jnp.matmul(_mT(vh), inverse[..., None] * _mT(u)), rt)


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    """The number of singular values above tol (default: rtol times the largest)."""
    if not tracing():
        return _eager("matrix_rank", np.linalg.matrix_rank, A, tol=tol, hermitian=hermitian, rtol=rtol)
    if rtol is not None and tol is not None:
        raise ValueError("matrix_rank(): `tol` and `rtol` can't be both set.")
    A = array_operand(A, "matrix_rank", "A")
    if A.ndim < 2:
        return convert(jnp.any(A != 0), np.int64)
    s, rt = _svd("matrix_rank", A, compute_uv=False, hermitian=hermitian)
    s = convert(s, _real(rt))
    if tol is None:
        rtol = max(A.shape[-2:]) * np.finfo(s.dtype).eps if rtol is None else jnp.asarray(rtol)[..., None]
        tol = jnp.max(s, axis=-1, keepdims=True, initial=0) * rtol
    else:
        tol = jnp.asarray(tol)[..., None]
    return jnp.count_nonzero(s > tol, axis=-1)


def cond(x, p=None):
    """The condition number in the norm `p` (default: the 2-norm, from the singular values)."""
    if not tracing():
        return _eager("cond", np.linalg.cond, x, p=p)
    x = array_operand(x, "cond", "x")
    if x.size == 0 and np.prod(x.shape[-2:]) == 0:
        raise LinAlgError("cond(): cond is not defined on empty arrays")
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s, rt = _svd("cond", x, compute_uv=False)
        s = convert(s, _real(rt))
        r = s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    else:
        a, rt = _matrix("cond", x)
        r = _norm(a, p, (-2, -1), False) * _norm(lax_linalg.inv(a), p, (-2, -1), False)
        r = convert(r, _real(rt))
    nan_inputs = jnp.any(jnp.isnan(x), axis=(-2, -1))
    return jnp.where(jnp.isnan(r) & ~nan_inputs, _INF, r)


# ---------------------------------------------------------------- norms


def _norm_axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, tuple):
        return axis
    try:
        return (operator.index(axis),)
    except TypeError:
        raise TypeError("norm(): 'axis' must be None, an integer or a tuple of integers") from None


def _vector_norm(x, ord, axis, keepdims):
    absolute = jnp.abs(x)
    if ord == _INF:
        return jnp.max(absolute, axis=axis, keepdims=keepdims, initial=0)
    if ord == -_INF:
        return jnp.min(absolute, axis=axis, keepdims=keepdims)
    if ord == 0:
        return jnp.sum(convert(x != 0, absolute.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return jnp.sum(absolute, axis=axis, keepdims=keepdims)
    if ord is None or ord == 2:
        return _two_norm(x, axis, keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm(): Invalid norm order '{ord}' for vectors")
    ord = operator.index(ord) if isinstance(ord, (int, np.integer)) else float(ord)
    return jnp.sum(absolute ** ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)


def _singular_value_norm(x, row, col, reduce):
    s, rt = _svd("norm", jnp.moveaxis(x, (row, col), (-2, -1)), compute_uv=False)
    return reduce(convert(s, _real(rt)), axis=-1)


_MATRIX_NORMS = {  # ord -> (reduction over rows, over columns, then the other) of |x|
    1: (jnp.sum, "row", jnp.max), -1: (jnp.sum, "row", jnp.min),
    _INF: (jnp.sum, "col", jnp.max), -_INF: (jnp.sum, "col", jnp.min),
}


def _matrix_norm(x, ord, row, col):
    if row == col:
        raise ValueError("norm(): Duplicate axes given.")
    if isinstance(ord, str) or ord is None:
        if ord in (None, "fro", "f"):
            return _two_norm(x, (row, col))
        if ord == "nuc":
            return _singular_value_norm(x, row, col, jnp.sum)
    elif ord in (2, -2):
        largest = lambda s, axis: jnp.max(s, axis=axis, initial=0)  # noqa: E731
        return _singular_value_norm(x, row, col, largest if ord == 2 else jnp.min)
    elif ord in _MATRIX_NORMS:
        inner, summed, outer = _MATRIX_NORMS[ord]
        first, second = (row, col) if summed == "row" else (col, row)
        totals = inner(jnp.abs(x), axis=first)
        second -= second > first
        return outer(totals, axis=second, **({"initial": 0} if outer is jnp.max else {}))
    raise ValueError("norm(): Invalid norm order for matrices.")


def _norm(x, ord, axis, keepdims):
    x = array_operand(x, "norm", "x")
    if x.dtype.kind not in "fc":
        x = convert(x, _f64)
    if axis is None:
        if ord is None or (ord in ("f", "fro") and x.ndim == 2) or (ord == 2 and x.ndim == 1):
            result = _two_norm(jnp.ravel(x), 0)
            return jnp.reshape(result, (1,) * x.ndim) if keepdims else result
    axes = _norm_axes(axis, x.ndim)
    if len(axes) == 1:
        return _vector_norm(x, ord, normalize_axis(axes[0], x.ndim, "norm"), keepdims)
    if len(axes) != 2:
        raise ValueError("norm(): Improper number of dimensions to norm.")
    row, col = (normalize_axis(a, x.ndim, "norm") for a in axes)
    result = _matrix_norm(x, ord, row, col)
    if keepdims:
        shape = list(x.shape)
        shape[row] = shape[col] = 1
        result = jnp.reshape(result, shape)
    return result


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norms, as numpy.linalg.norm (every `ord`); the 2-norm's derivative at 0 is 0."""
    if not tracing():
        return _eager("norm", np.linalg.norm, x, ord=ord, axis=axis, keepdims=keepdims)
    return _norm(x, ord, axis, keepdims)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The `ord`-norm of the vectors along `axis` (all axes, flattened, by default)."""
    if not tracing():
        return _eager("vector_norm", np.linalg.vector_norm, x, axis=axis, keepdims=keepdims, ord=ord)
    x = array_operand(x, "vector_norm", "x")
    shape = x.shape
    if axis is None:
        y = jnp.ravel(x)
    elif isinstance(axis, tuple):
        axes = tuple(normalize_axis(a, x.ndim, "vector_norm") for a in axis)
        rest = [d for d in range(x.ndim) if d not in axes]
        size = int(np.prod([shape[d] for d in axes]))
        y = jnp.reshape(jnp.transpose(x, (*axes, *rest)), (size, *(shape[d] for d in rest)))
    else:
        y, axes = x, (normalize_axis(axis, x.ndim, "vector_norm"),)
    result = _norm(y, ord, 0 if axis is None or isinstance(axis, tuple) else axis, False)
    if keepdims:
        kept = range(len(shape)) if axis is None else axes
        result = jnp.reshape(result, [1 if d in kept else size for d, size in enumerate(shape)])
    return result


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The `ord`-norm of each matrix in the last two axes."""
    if not tracing():
        return _eager("matrix_norm", np.linalg.matrix_norm, x, keepdims=keepdims, ord=ord)
    return _norm(x, ord, (-2, -1), keepdims)


# ---------------------------------------------------------------- products


def _chain_order(shapes):
    """numpy.linalg.multi_dot's optimal parenthesization: split[i][j] for the product i..j."""
    n = len(shapes)
    dims = [s[0] for s in shapes] + [shapes[-1][1]]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = _INF
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if q < cost[i][j]:
                    cost[i][j], split[i][j] = q, k
    return split


def _chain(arrays, split, i, j):
    if i == j:
        return arrays[i]
    k = split[i][j]
    return jnp.dot(_chain(arrays, split, i, k), _chain(arrays, split, k + 1, j))


def multi_dot(arrays, *, out=None):
    """dot of two or more arrays in the cheapest order; the first and last may be 1-d."""
    if not tracing():
        try:
            result = np.linalg.multi_dot([to_numpy(a) for a in arrays], out=to_numpy(out))
        except NUMPY_ERRORS as error:
            raise numpy_error(error, "multi_dot") from None
        return out if out is not None else wrap(result)
    no_out(out, "multi_dot")
    arrays = [array_operand(a, "multi_dot", "arrays") for a in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot(): Expecting at least two arrays.")
    if len(arrays) == 2:
        return jnp.dot(*arrays)
    first, last = arrays[0].ndim, arrays[-1].ndim
    if first == 1:
        arrays[0] = jnp.reshape(arrays[0], (1, -1))
    if last == 1:
        arrays[-1] = jnp.reshape(arrays[-1], (-1, 1))
    _two_dimensional("multi_dot", *arrays)
    result = _chain(arrays, _chain_order([a.shape for a in arrays]), 0, len(arrays) - 1)
    if first == 1 and last == 1:
        return result[0, 0]
    return jnp.ravel(result) if first == 1 or last == 1 else result


def matmul(x1, x2, /):
    """The matrix product (NumPy's matmul)."""
    return jnp.matmul(x1, x2)


def vecdot(x1, x2, /, *, axis=-1):
    """The dot product of vectors along `axis`, conjugating x1."""
    return jnp.vecdot(x1, x2, axis=axis)


def tensordot(x1, x2, /, *, axes=2):
    """Sums of products over the last `axes` axes of x1 and the first of x2 (or given axes)."""
    return jnp.tensordot(x1, x2, axes)


def outer(x1, x2, /):
    """The outer product of two vectors."""
    x1, x2 = array_operand(x1, "outer", "x1"), array_operand(x2, "outer", "x2")
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"outer(): Input arrays must be one-dimensional, but they are x1.ndim={x1.ndim} "
                         f"and x2.ndim={x2.ndim}.")
    return jnp.outer(x1, x2)


def cross(x1, x2, /, *, axis=-1):
    """The cross product of 3-vectors along `axis`."""
    x1, x2 = array_operand(x1, "cross", "x1"), array_operand(x2, "cross", "x2")
    sizes = [x.shape[normalize_axis(axis, x.ndim, "cross")] if x.ndim else 0 for x in (x1, x2)]
    if sizes != [3, 3]:
        raise ValueError("cross(): Both input arrays must be (arrays of) 3-dimensional vectors, but they are "
                         f"{sizes[0]} and {sizes[1]} dimensional instead.")
    return jnp.cross(x1, x2, axis=axis)


def diagonal(x, /, *, offset=0):
    """The diagonals of the matrices in the last two axes."""
    return jnp.diagonal(x, offset, axis1=-2, axis2=-1)


def trace(x, /, *, offset=0, dtype=None):
    """The sums of the diagonals of the matrices in the last two axes."""
    return jnp.trace(x, offset, axis1=-2, axis2=-1, dtype=dtype)


def matrix_transpose(x, /):
    """The last two axes swapped."""
    return jnp.matrix_transpose(x)
