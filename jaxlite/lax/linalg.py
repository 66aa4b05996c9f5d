"""Linear algebra primitives, as jax.lax.linalg: decompositions and solves of matrices in the
last two axes of an operand, batched over its leading axes ("...").

Operands are float32, float64, complex64 or complex128 (anything else is a TypeError naming
the function); results keep that precision (eigenvalues and singular values are real). The
impls call NumPy's LAPACK (SciPy's for lu, lu_solve and triangular_solve), which computes
float32 in float64 as NumPy does and rounds back.

These functions never raise on values, so they work alike eagerly and under jit: where LAPACK
fails (a singular matrix in `solve`, a matrix that is not positive definite in `cholesky`, no
convergence in `svd`, `eigh`, `eig`) that matrix's results are NaN. `jaxlite.numpy.linalg`
raises NumPy's LinAlgError instead. Batch axes of two operands must be equal (no broadcasting).

cholesky and eigh read one triangle of their operand (the lower one; eigh's `lower=False`:
the upper). With `symmetrize_input=True` (JAX's default) the operand is first replaced by
(x + x^H) / 2; NumPy's semantics are `symmetrize_input=False`.
"""

import functools

import numpy as np

from ..core import ShapedArray, get_aval
from ._primitives import standard_primitive
from .elementwise import PRIMITIVES as _ELEMENTWISE
from .shape import transpose_p

__all__ = [
    "cholesky", "triangular_solve", "lu", "qr", "eigh", "svd", "eig", "solve", "lu_solve", "inv",
    "cholesky_p", "triangular_solve_p", "lu_p", "qr_p", "eigh_p", "svd_p", "eig_p", "solve_p", "lu_solve_p",
]

_INEXACT = {np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128)}
_COMPLEX = {np.dtype(np.float32): np.dtype(np.complex64), np.dtype(np.float64): np.dtype(np.complex128)}
_WIDE = {np.dtype(np.float32): np.dtype(np.float64), np.dtype(np.complex64): np.dtype(np.complex128)}
_INDEX = np.dtype(np.int32)


def _real(dtype):
    return np.finfo(dtype).dtype


def _complex(dtype):
    return _COMPLEX.get(dtype, dtype)


# ---------------------------------------------------------------- checks (abstract eval)


def _check_matrix(name, arg, aval, square=False):
    if aval.dtype not in _INEXACT:
        raise TypeError(f"{name}: {arg} must be float32, float64, complex64 or complex128, got {aval.dtype}")
    if aval.ndim < 2:
        raise ValueError(f"{name}: {arg} must have at least 2 dimensions (..., m, n), got shape {aval.shape}")
    if square and aval.shape[-1] != aval.shape[-2]:
        raise ValueError(f"{name}: {arg} must be square in its last two axes, got shape {aval.shape}")


def _check_pair(name, a, b, rows):
    """b pairs with the square matrix a: same dtype and batch axes, `rows` of b sized n."""
    _check_matrix(name, "a", a, square=True)
    _check_matrix(name, "b", b)
    if a.dtype != b.dtype:
        raise TypeError(f"{name}: a and b must have the same dtype, got {a.dtype} and {b.dtype}")
    if a.shape[:-2] != b.shape[:-2]:
        raise ValueError(f"{name}: a and b must have the same batch axes, got shapes {a.shape} and {b.shape}")
    if b.shape[rows] != a.shape[-1]:
        axis = "rows" if rows == -2 else "columns"
        raise ValueError(f"{name}: b's {axis} must match a's size {a.shape[-1]}, got shapes {a.shape} and {b.shape}")


def _aval(shape, dtype):
    return ShapedArray(shape, dtype)


def _cholesky_rule(x):
    _check_matrix("cholesky", "x", x, square=True)
    return _aval(x.shape, x.dtype)


def _triangular_solve_rule(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    _check_pair("triangular_solve", a, b, -2 if left_side else -1)
    return _aval(b.shape, b.dtype)


def _lu_rule(x):
    _check_matrix("lu", "x", x)
    *batch, m, n = x.shape
    return [_aval(x.shape, x.dtype), _aval((*batch, min(m, n)), _INDEX), _aval((*batch, m), _INDEX)]


def _qr_rule(x, *, full_matrices):
    _check_matrix("qr", "x", x)
    *batch, m, n = x.shape
    k = m if full_matrices else min(m, n)
    return [_aval((*batch, m, k), x.dtype), _aval((*batch, k, n), x.dtype)]


def _eigh_rule(x, *, lower):
    _check_matrix("eigh", "x", x, square=True)
    return [_aval(x.shape, x.dtype), _aval(x.shape[:-1], _real(x.dtype))]


def _svd_rule(x, *, full_matrices, compute_uv):
    _check_matrix("svd", "x", x)
    *batch, m, n = x.shape
    k = min(m, n)
    s = _aval((*batch, k), _real(x.dtype))
    if not compute_uv:
        return [s]
    ku, kv = (m, n) if full_matrices else (k, k)
    return [s, _aval((*batch, m, ku), x.dtype), _aval((*batch, kv, n), x.dtype)]


def _eig_rule(x, *, compute_left_eigenvectors, compute_right_eigenvectors):
    _check_matrix("eig", "x", x, square=True)
    dtype = _complex(x.dtype)
    vectors = [_aval(x.shape, dtype)] * (compute_left_eigenvectors + compute_right_eigenvectors)
    return [_aval(x.shape[:-1], dtype), *vectors]


def _solve_rule(a, b):
    _check_pair("solve", a, b, -2)
    return _aval(b.shape, b.dtype)


def _lu_solve_rule(a, lu, pivots, b, *, transpose_a):
    _check_pair("lu_solve", lu, b, -2)
    if a.shape != lu.shape or a.dtype != lu.dtype:
        raise ValueError(f"lu_solve: a and its factors lu must have the same shape and dtype, got {a} and {lu}")
    if pivots.dtype != _INDEX or pivots.shape != lu.shape[:-1]:
        raise ValueError(f"lu_solve: pivots must be int32 of shape {lu.shape[:-1]}, got {pivots}")
    return _aval(b.shape, b.dtype)


# ---------------------------------------------------------------- impls


def _nan_where_failing(fn, rule, args, params):
    """fn(*args), or where LAPACK fails on a matrix (LinAlgError), NaN results for that matrix."""
    try:
        return fn(*args)
    except np.linalg.LinAlgError:
        pass
    avals = rule(*[ShapedArray.of_ndarray(a) for a in args], **params)
    many = isinstance(avals, list)
    outs = [np.full(a.shape, np.nan, a.dtype) for a in (avals if many else [avals])]
    for index in np.ndindex(args[0].shape[:-2]):
        try:
            results = fn(*[a[index] for a in args])
        except np.linalg.LinAlgError:
            continue
        for out, r in zip(outs, results if many else [results]):
            out[index] = r
    return outs if many else outs[0]


def _cholesky_impl(x):
    return _nan_where_failing(np.linalg.cholesky, _cholesky_rule, (x,), {})


def _solve_impl(a, b):
    return _nan_where_failing(np.linalg.solve, _solve_rule, (a, b), {})


def _eigh_impl(x, *, lower):
    def run(x):
        w, v = np.linalg.eigh(x, UPLO="L" if lower else "U")
        return [v, w]

    return _nan_where_failing(run, _eigh_rule, (x,), {"lower": lower})


def _svd_impl(x, *, full_matrices, compute_uv):
    def run(x):
        if not compute_uv:
            return [np.linalg.svd(x, compute_uv=False)]
        u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
        return [s, u, vh]

    if 0 in x.shape[-2:]:  # LAPACK refuses empty matrices; their factors are identities
        return _empty_svd(x, full_matrices, compute_uv)
    return _nan_where_failing(run, _svd_rule, (x,), {"full_matrices": full_matrices, "compute_uv": compute_uv})


def _empty_svd(x, full_matrices, compute_uv):
    *batch, m, n = x.shape
    s = np.zeros((*batch, 0), _real(x.dtype))
    if not compute_uv:
        return [s]
    ku, kv = (m, n) if full_matrices else (0, 0)
    eye = lambda rows, cols: np.broadcast_to(np.eye(rows, cols, dtype=x.dtype), (*batch, rows, cols)).copy()  # noqa: E731
    return [s, eye(m, ku), eye(kv, n)]


def _qr_impl(x, *, full_matrices):
    q, r = np.linalg.qr(x, mode="complete" if full_matrices else "reduced")
    return [q, r]


def _eig_impl(x, *, compute_left_eigenvectors, compute_right_eigenvectors):
    dtype = _complex(x.dtype)

    def run(x):
        if not compute_left_eigenvectors:
            w, vr = np.linalg.eig(x)
            return [w.astype(dtype), vr.astype(dtype)][: 1 + compute_right_eigenvectors]
        w, vl, vr = _scipy_eig(x)
        return [w.astype(dtype), vl.astype(dtype)] + [vr.astype(dtype)] * compute_right_eigenvectors

    params = {"compute_left_eigenvectors": compute_left_eigenvectors,
              "compute_right_eigenvectors": compute_right_eigenvectors}
    return _nan_where_failing(run, _eig_rule, (x,), params)


def _scipy_eig(x):
    """Eigenvalues, left and right eigenvectors, matrix by matrix (SciPy's eig does not batch)."""
    batch, n = x.shape[:-2], x.shape[-1]
    wide = _complex(_WIDE.get(x.dtype, x.dtype))
    w, vl, vr = np.empty((*batch, n), wide), np.empty(x.shape, wide), np.empty(x.shape, wide)
    for index in np.ndindex(batch):
        if not np.isfinite(x[index]).all():  # LAPACK rejects it ("illegal value"); NumPy's eig raises
            raise np.linalg.LinAlgError("eig: the matrix has infinite or NaN entries")
        try:
            w[index], vl[index], vr[index] = _scipy_linalg().eig(x[index], left=True, right=True, check_finite=False)
        except (np.linalg.LinAlgError, ValueError):
            raise np.linalg.LinAlgError("eig did not converge") from None
    return w, vl, vr


def _scipy_linalg():
    import scipy.linalg  # imported on first use: it takes ~0.4 s

    return scipy.linalg


def _lapack(name, x):
    return _lapack_for(name, x.dtype)


@functools.cache
def _lapack_for(name, dtype):  # SciPy's lookup costs ~10 us a call
    return _scipy_linalg().get_lapack_funcs(name, dtype=dtype)


def _lu_impl(x):
    *batch, m, n = x.shape
    wide = x.astype(_WIDE.get(x.dtype, x.dtype), copy=False)
    if not batch and x.size:  # getrf's own (Fortran-ordered) result: lu_solve reads it uncopied
        out, pivots, _ = _lapack("getrf", wide)(wide)  # info > 0 (singular) still factors
        pivots = pivots.astype(_INDEX, copy=False)
        return [out.astype(x.dtype, copy=False), pivots, _permutation(pivots, m)]
    out = np.empty(wide.shape, wide.dtype)
    pivots = np.empty((*batch, min(m, n)), _INDEX)
    if out.size:
        getrf = _lapack("getrf", wide)
        for index in np.ndindex(tuple(batch)):
            out[index], pivots[index], _ = getrf(wide[index])
    else:
        pivots[...] = np.arange(min(m, n), dtype=_INDEX)
    return [out.astype(x.dtype, copy=False), pivots, _permutation(pivots, m)]


def _permutation(pivots, m):
    """The row order the pivots' swaps (row i with row pivots[i], in turn) give."""
    perm = np.broadcast_to(np.arange(m, dtype=_INDEX), (*pivots.shape[:-1], m)).copy()
    if perm.size == 0 or pivots.shape[-1] == 0:  # no swaps (an m x 0 matrix has none)
        return perm
    rows = perm.reshape(-1, m)
    swaps = pivots.reshape(-1, pivots.shape[-1])
    if rows.shape[0] < swaps.shape[1]:  # few matrices: LAPACK swaps the rows of 0..m-1
        laswp, order = _lapack_for("laswp", np.dtype(np.float64)), np.arange(m, dtype=np.float64)[:, None]
        for row, matrix_swaps in zip(rows, swaps):
            row[:] = laswp(order, matrix_swaps)[:, 0]
        return perm
    at = np.arange(rows.shape[0])  # many matrices: one swap of every matrix at a time
    for i in range(swaps.shape[1]):
        j = swaps[:, i]
        rows[at, i], rows[at, j] = rows[at, j], rows[at, i].copy()
    return perm


def _lu_solve_impl(a, lu, pivots, b, *, transpose_a):
    dtype = b.dtype
    wide = _WIDE.get(dtype, dtype)
    lu, b = lu.astype(wide, copy=False), b.astype(wide, copy=False)
    getrs, trans = _lapack("getrs", lu), int(transpose_a)

    def one(factors, pivots, b):
        if factors.diagonal().all():
            return getrs(factors, pivots, b, trans=trans)[0]
        return np.full(b.shape, np.nan, wide)  # singular: NaN, as solve gives

    if b.ndim == 2 and b.size:
        return one(lu, pivots, b).astype(dtype, copy=False)
    out = np.empty(b.shape, wide)
    if out.size:
        for index in np.ndindex(b.shape[:-2]):
            out[index] = one(lu[index], pivots[index], b[index])
    return out.astype(dtype, copy=False)


def _triangular_solve_impl(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    dtype = b.dtype
    wide = _WIDE.get(dtype, dtype)
    a, b = a.astype(wide, copy=False), b.astype(wide, copy=False)
    if conjugate_a and not transpose_a:  # conj(a) x = b: BLAS has no conjugate-only mode
        a = a.conj()
    trans = (2 if conjugate_a else 1) if transpose_a else 0
    out = np.empty(b.shape, wide)
    if out.size:
        trsm = _scipy_linalg().get_blas_funcs("trsm", (a, b))
        flags = dict(side=int(not left_side), lower=int(lower), trans_a=trans, diag=int(unit_diagonal))
        for index in np.ndindex(b.shape[:-2]):
            out[index] = trsm(1.0, a[index], b[index], **flags)
    return out.astype(dtype, copy=False)


cholesky_p = standard_primitive("cholesky", _cholesky_impl, _cholesky_rule)
triangular_solve_p = standard_primitive("triangular_solve", _triangular_solve_impl, _triangular_solve_rule)
lu_p = standard_primitive("lu", _lu_impl, _lu_rule, multiple_results=True)
qr_p = standard_primitive("qr", _qr_impl, _qr_rule, multiple_results=True)
eigh_p = standard_primitive("eigh", _eigh_impl, _eigh_rule, multiple_results=True)
svd_p = standard_primitive("svd", _svd_impl, _svd_rule, multiple_results=True)
eig_p = standard_primitive("eig", _eig_impl, _eig_rule, multiple_results=True)
solve_p = standard_primitive("solve", _solve_impl, _solve_rule)
# solve(a, b) (or solve(a^T, b)) given a's lu factors and pivots, which it alone reads: the
# derivatives of solve reuse one factorization. Derivatives flow through `a` and b only.
lu_solve_p = standard_primitive("lu_solve", _lu_solve_impl, _lu_solve_rule)

PRIMITIVES = {p.name: p for p in (cholesky_p, triangular_solve_p, lu_p, qr_p, eigh_p, svd_p, eig_p, solve_p,
                                  lu_solve_p)}


# ---------------------------------------------------------------- public functions


def _checked(rule, *args, **params):
    """Abstract-evaluate eagerly too, so bad shapes and dtypes raise before LAPACK sees them."""
    rule(*[get_aval(x) for x in args], **params)


def _symmetrized(x):
    """(x + x^H) / 2."""
    aval = get_aval(x)
    perm = (*range(aval.ndim - 2), aval.ndim - 1, aval.ndim - 2)
    xh = transpose_p.bind(x, permutation=perm)
    if aval.dtype.kind == "c":
        xh = _ELEMENTWISE["conj"].bind(xh)
    total = _ELEMENTWISE["add"].bind(x, xh)
    return _ELEMENTWISE["mul"].bind(total, np.asarray(0.5, aval.dtype)[()])


def cholesky(x, *, symmetrize_input=True):
    """The lower Cholesky factor L of x (..., n, n): x = L L^H; NaN if x is not positive definite."""
    _checked(_cholesky_rule, x)
    return cholesky_p.bind(_symmetrized(x) if symmetrize_input else x)


def triangular_solve(a, b, *, left_side=False, lower=False, transpose_a=False, conjugate_a=False,
                     unit_diagonal=False):
    """x solving op(a) x = b (left_side) or x op(a) = b, a triangular; op transposes and/or
    conjugates. Only a's `lower` (or upper) triangle is read; with `unit_diagonal`, its
    diagonal is taken as ones."""
    params = dict(left_side=bool(left_side), lower=bool(lower), transpose_a=bool(transpose_a),
                  conjugate_a=bool(conjugate_a), unit_diagonal=bool(unit_diagonal))
    _checked(_triangular_solve_rule, a, b, **params)
    return triangular_solve_p.bind(a, b, **params)


def lu(x):
    """(lu, pivots, permutation): x[..., permutation, :] = L U with L unit lower triangular
    (below lu's diagonal) and U upper triangular (on and above it); pivots are LAPACK's row
    swaps (0-based, int32), permutation the row order they give (int32)."""
    _checked(_lu_rule, x)
    return tuple(lu_p.bind(x))


def qr(x, *, full_matrices=True):
    """(q, r) with x = q r, q's columns orthonormal, r upper triangular."""
    _checked(_qr_rule, x, full_matrices=bool(full_matrices))
    return tuple(qr_p.bind(x, full_matrices=bool(full_matrices)))


def eigh(x, *, lower=True, symmetrize_input=True):
    """(v, w) of Hermitian x: eigenvectors in v's columns, eigenvalues w ascending (real)."""
    _checked(_eigh_rule, x, lower=bool(lower))
    return tuple(eigh_p.bind(_symmetrized(x) if symmetrize_input else x, lower=bool(lower)))


def svd(x, *, full_matrices=True, compute_uv=True):
    """(u, s, vh) with x = u diag(s) vh, or s alone; s descending (real)."""
    params = dict(full_matrices=bool(full_matrices), compute_uv=bool(compute_uv))
    _checked(_svd_rule, x, **params)
    out = svd_p.bind(x, **params)
    if not compute_uv:
        return out[0]
    s, u, vh = out
    return u, s, vh


def eig(x, *, compute_left_eigenvectors=False, compute_right_eigenvectors=True):
    """(w, [vl], [vr]), complex: eigenvalues, then left eigenvectors (vl^H x = w vl^H) and right
    ones (x vr = vr w) in columns if asked for. Not differentiable (use eigh for Hermitian x)."""
    params = dict(compute_left_eigenvectors=bool(compute_left_eigenvectors),
                  compute_right_eigenvectors=bool(compute_right_eigenvectors))
    _checked(_eig_rule, x, **params)
    return tuple(eig_p.bind(x, **params))


def solve(a, b):
    """x with a x = b, for a (..., n, n) and b (..., n, k) (the same batch axes)."""
    _checked(_solve_rule, a, b)
    return solve_p.bind(a, b)


def lu_solve(a, lu, pivots, b, *, transpose_a=False):
    """solve(a, b), or solve(a^T, b) with transpose_a, from `lu` and `pivots` = lu(a)[:2],
    which alone are read (no new factorization); derivatives are solve's (through a and b)."""
    _checked(_lu_solve_rule, a, lu, pivots, b, transpose_a=bool(transpose_a))
    return lu_solve_p.bind(a, lu, pivots, b, transpose_a=bool(transpose_a))


def inv(x):
    """The inverse of x (..., n, n): solve(x, I), as LAPACK's own inverse does it."""
    aval = get_aval(x)
    _check_matrix("inv", "x", aval, square=True)
    n = aval.shape[-1]
    eye = np.broadcast_to(np.eye(n, dtype=aval.dtype), aval.shape)
    return solve_p.bind(x, eye)
