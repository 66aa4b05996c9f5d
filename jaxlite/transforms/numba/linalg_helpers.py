"""LAPACK-backed helpers for the linalg lowerings (lax/numba_linalg.py): solve, cholesky,
triangular_solve, lu, qr, eigh, svd and eig over the flattened batch axes, NaN where LAPACK
fails (as the eager impls); lu_solve substitutes with lu's factors (Numba has no getrs).

They call LAPACK through the wrappers Numba's own np.linalg uses (numba.np.linalg._LAPACK,
symbols of Numba's helper library, so kernels stay cacheable), not through np.linalg: Numba's
np.linalg.solve alone costs ~10 s to compile, these ~1.5-2.5 s once per dtype and rank (eig of
a real matrix ~3.5 s; then loaded from Numba's cache). Each copies every matrix to a
Fortran-ordered buffer. Generated modules import this module as `lh` when they use it.
"""

import numba
import numpy as np
from numba import types
from numba.extending import overload
from numba.np.linalg import _LAPACK, F_INT_nbtype, get_blas_kind
from numba.np.numpy_support import as_dtype

__all__ = ["solve", "lu_solve", "cholesky", "triangular_solve", "lu", "qr", "eigh", "svd", "eig"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")
_PIVOT = as_dtype(F_INT_nbtype)  # LAPACK's integer
_JOB_A, _JOB_S, _JOB_N = ord("A"), ord("S"), ord("N")


# ---------------------------------------------------------------- LAPACK calls (typed per dtype)


def _gesv(a, ipiv, b):
    """Solve a x = b in place (Fortran-ordered a (n, n) and b (n, k)); LAPACK's info."""


def _potrf_upper(a):
    """Cholesky in place of the Fortran-ordered upper triangle of a (n, n); LAPACK's info."""


@overload(_gesv)
def _gesv_typed(a, ipiv, b):
    fn, kind = _LAPACK().numba_xgesv(a.dtype), ord(get_blas_kind(a.dtype, "solve"))

    def impl(a, ipiv, b):
        n = a.shape[0]
        return fn(kind, n, b.shape[1], a.ctypes, max(n, 1), ipiv.ctypes, b.ctypes, max(n, 1))

    return impl


@overload(_potrf_upper)
def _potrf_typed(a):
    fn, kind = _LAPACK().numba_xxpotrf(a.dtype), ord(get_blas_kind(a.dtype, "cholesky"))
    upper = ord("U")

    def impl(a):
        n = a.shape[0]
        return fn(kind, upper, n, a.ctypes, max(n, 1))

    return impl


def _getrf(a, ipiv):
    """LU with partial pivoting in place of the Fortran-ordered a (m, n), 1-based pivots."""


def _geqrf(a, n, tau):
    """Householder QR in place of the first n columns of the Fortran-ordered a (m, p)."""


def _ungqr(a, k, tau):
    """The Q of _geqrf's first k reflectors (in a) into all p columns of a (m, p)."""


def _evd(a, w, lower):
    """Ascending eigenvalues w and (in place) eigenvectors of the Hermitian Fortran-ordered a,
    its lower (or upper) triangle read; LAPACK's info."""


def _gesdd(a, s, u, vt, jobz):
    """Singular values s and, per jobz ("A", "S", "N"), u and vt of the Fortran-ordered a
    (destroyed); LAPACK's info."""


def _geev(a, w, vl, vr, left, right):
    """Complex eigenvalues w and left/right eigenvectors (Fortran-ordered complex vl, vr) of
    the Fortran-ordered a (destroyed); LAPACK's info."""


def _real_empty(shape, x):
    """np.empty of x's real dtype."""


def _complex_empty(shape, x):
    """np.empty of x's complex dtype."""


def _kind(dtype, name):
    return ord(get_blas_kind(dtype, name))


def _real_of(dtype):
    return as_dtype(getattr(dtype, "underlying_float", dtype))


@overload(_real_empty)
def _real_empty_typed(shape, x):
    dtype = _real_of(x.dtype)
    return lambda shape, x: np.empty(shape, dtype)


@overload(_complex_empty)
def _complex_empty_typed(shape, x):
    dtype = np.result_type(_real_of(x.dtype), np.complex64)
    return lambda shape, x: np.empty(shape, dtype)


@overload(_getrf)
def _getrf_typed(a, ipiv):
    fn, kind = _LAPACK().numba_xxgetrf(a.dtype), _kind(a.dtype, "lu")

    def impl(a, ipiv):
        m = a.shape[0]
        return fn(kind, m, a.shape[1], a.ctypes, max(m, 1), ipiv.ctypes)

    return impl


@overload(_geqrf)
def _geqrf_typed(a, n, tau):
    fn, kind = _LAPACK().numba_ez_geqrf(a.dtype), _kind(a.dtype, "qr")

    def impl(a, n, tau):
        m = a.shape[0]
        return fn(kind, m, n, a.ctypes, max(m, 1), tau.ctypes)

    return impl


@overload(_ungqr)
def _ungqr_typed(a, k, tau):
    fn, kind = _LAPACK().numba_ez_xxgqr(a.dtype), _kind(a.dtype, "qr")

    def impl(a, k, tau):
        m = a.shape[0]
        return fn(kind, m, a.shape[1], k, a.ctypes, max(m, 1), tau.ctypes)

    return impl


@overload(_evd)
def _evd_typed(a, w, lower):
    fn, kind = _LAPACK().numba_ez_xxxevd(a.dtype), _kind(a.dtype, "eigh")
    vectors, low, up = ord("V"), ord("L"), ord("U")

    def impl(a, w, lower):
        n = a.shape[0]
        return fn(kind, vectors, low if lower else up, n, a.ctypes, max(n, 1), w.ctypes)

    return impl


@overload(_gesdd)
def _gesdd_typed(a, s, u, vt, jobz):
    fn, kind = _LAPACK().numba_ez_gesdd(a.dtype), _kind(a.dtype, "svd")

    def impl(a, s, u, vt, jobz):
        m = a.shape[0]
        return fn(kind, jobz, m, a.shape[1], a.ctypes, max(m, 1), s.ctypes, u.ctypes, max(u.shape[0], 1),
                  vt.ctypes, max(vt.shape[0], 1))

    return impl


@overload(_geev)
def _geev_typed(a, w, vl, vr, left, right):
    vectors, none = ord("V"), ord("N")
    kind = _kind(a.dtype, "eig")
    if isinstance(a.dtype, types.Complex):
        fn = _LAPACK().numba_ez_cgeev(a.dtype)

        def impl(a, w, vl, vr, left, right):
            n = a.shape[0]
            return fn(kind, vectors if left else none, vectors if right else none, n, a.ctypes, n,
                      w.ctypes, vl.ctypes, n, vr.ctypes, n)

        return impl
    fn, real = _LAPACK().numba_ez_rgeev(a.dtype), as_dtype(a.dtype)

    def real_impl(a, w, vl, vr, left, right):
        n = a.shape[0]
        wr, wi = np.empty(n, real), np.empty(n, real)
        lv, rv = np.empty((n, n), real).T, np.empty((n, n), real).T
        info = fn(kind, vectors if left else none, vectors if right else none, n, a.ctypes, n,
                  wr.ctypes, wi.ctypes, lv.ctypes, n, rv.ctypes, n)
        for j in range(n):
            w[j] = complex(wr[j], wi[j])
        if left:
            _pairs(lv, wi, vl)
        if right:
            _pairs(rv, wi, vr)
        return info

    return real_impl


@numba.njit(inline="always")
def _pairs(packed, wi, out):
    """Complex eigenvectors from real geev's: a conjugate pair's are re +- i im, from columns
    j (re) and j + 1 (im)."""
    n = packed.shape[0]
    j = 0
    while j < n:
        if wi[j] == 0 or j + 1 == n:
            for r in range(n):
                out[r, j] = packed[r, j]
            j += 1
            continue
        for r in range(n):
            re, im = packed[r, j], packed[r, j + 1]
            out[r, j] = complex(re, im)
            out[r, j + 1] = complex(re, -im)
        j += 2


# ---------------------------------------------------------------- batched helpers


@numba.njit(inline="always")
def _fill(dst, src, transpose):
    """dst[:, :] = src (or src.T), in loops: array assignment costs seconds of compile time."""
    for r in range(dst.shape[0]):
        for c in range(dst.shape[1]):
            dst[r, c] = src[c, r] if transpose else src[r, c]


@numba.njit(inline="always")
def _fill_nan(dst):
    for r in range(dst.shape[0]):
        for c in range(dst.shape[1]):
            dst[r, c] = np.nan


@_jit
def solve(a, b):
    """x with a x = b for C-ordered a (..., n, n), b (..., n, k); NaN where a is singular."""
    n, k = a.shape[-1], b.shape[-1]
    out = np.empty_like(b)
    count = b.size // (n * k) if n * k else 0
    av, bv, ov = a.reshape((count, n, n)), b.reshape((count, n, k)), out.reshape((count, n, k))
    lu = np.empty((n, n), a.dtype).T  # Fortran-ordered buffers
    rhs = np.empty((k, n), b.dtype).T
    ipiv = np.empty(n, np.int32)
    for i in range(count):
        _fill(lu, av[i], False)
        _fill(rhs, bv[i], False)
        if _gesv(lu, ipiv, rhs) == 0:
            _fill(ov[i], rhs, False)
        else:
            _fill_nan(ov[i])
    return out


@_jit
def lu_solve(lu, pivots, b, transpose_a):
    """x with a x = b (a^T x = b with transpose_a) from a's packed getrf factors lu (..., n, n)
    and 0-based pivots (..., n), for C-ordered b (..., n, k); NaN where a is singular (a zero on
    U's diagonal), as gesv."""
    n, k = b.shape[-2], b.shape[-1]
    out = np.empty_like(b)
    count = b.size // (n * k) if n * k else 0
    lv, pv = lu.reshape((count, n, n)), pivots.reshape((count, n))
    bv, ov = b.reshape((count, n, k)), out.reshape((count, n, k))
    for i in range(count):
        m, y = lv[i], ov[i]
        _fill(y, bv[i], False)
        singular = False
        for r in range(n):
            singular = singular or m[r, r] == 0
        if singular:
            _fill_nan(y)
        elif not transpose_a:  # a = P^T L U: y <- U^-1 L^-1 P y
            for r in range(n):
                _swap_rows(y, r, pv[i, r])
            _substitute(m, y, True, True)
            _substitute(m, y, False, False)
        else:  # a^T = U^T L^T P: y <- P^T L^-T U^-T y
            _substitute(m.T, y, True, False)
            _substitute(m.T, y, False, True)
            for r in range(n - 1, -1, -1):
                _swap_rows(y, r, pv[i, r])
    return out


@numba.njit(inline="always")
def _swap_rows(y, r, p):
    if p != r:
        for c in range(y.shape[1]):
            y[r, c], y[p, c] = y[p, c], y[r, c]


@_jit
def cholesky(x):
    """The lower Cholesky factors of C-ordered x (..., n, n) (its lower triangles read); NaN
    where x is not positive definite. x's C-ordered memory is x^T in Fortran order, whose upper
    triangle LAPACK factors as U^H U: U^T = L, read back in C order."""
    n = x.shape[-1]
    out = x.copy()
    count = x.size // (n * n) if n else 0
    ov = out.reshape((count, n, n))
    for i in range(count):
        m = ov[i]
        if _potrf_upper(m.T) != 0:  # m.T: a Fortran-ordered view of the same memory
            _fill_nan(m)
            continue
        for r in range(n):
            for c in range(r + 1, n):
                m[r, c] = 0
    return out


@_jit
def triangular_solve(a, b, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    """x solving op(a) x = b or x op(a) = b for C-ordered a (..., n, n) and b (..., m, k), by
    substitution on the effective matrix t of t y = c (c = b, or b^T on the right side)."""
    n = a.shape[-1]
    m, k = b.shape[-2], b.shape[-1]
    out = np.empty_like(b)
    count = b.size // (m * k) if m * k else 0
    av, bv, ov = a.reshape((count, n, n)), b.reshape((count, m, k)), out.reshape((count, m, k))
    flip = not left_side  # x op(a) = b  <=>  op(a)^T x^T = b^T
    eff_lower = (lower != transpose_a) != flip  # t is lower triangular
    t = np.empty((n, n), a.dtype)
    y = np.empty((n, k if left_side else m), b.dtype)
    for i in range(count):
        src = av[i]
        for r in range(n):
            for c in range(n):
                # t[r, c] = op(a)[r, c], or op(a)[c, r] on the right side
                rr, cc = (c, r) if flip else (r, c)
                v = src[cc, rr] if transpose_a else src[rr, cc]
                t[r, c] = np.conj(v) if conjugate_a else v
        _fill(y, bv[i], flip)
        _substitute(t, y, eff_lower, unit_diagonal)
        _fill(ov[i], y, flip)
    return out


@numba.njit(inline="always")
def _substitute(t, y, lower, unit_diagonal):
    """y <- t^-1 y, t triangular (only its lower or upper triangle read)."""
    n, k = y.shape
    for step in range(n):
        r = step if lower else n - 1 - step
        lo, hi = (0, r) if lower else (r + 1, n)
        for j in range(lo, hi):
            f = t[r, j]
            if f != 0:
                for c in range(k):
                    y[r, c] -= f * y[j, c]
        if not unit_diagonal:
            d = t[r, r]
            for c in range(k):
                y[r, c] /= d


@numba.njit(inline="always")
def _batch(shape):
    """The number of matrices: the product of the leading axes."""
    count = 1
    for d in range(len(shape) - 2):
        count *= shape[d]
    return count


@numba.njit(inline="always")
def _finite(m):
    """Whether every entry of m is finite (gesdd and geev refuse others as an illegal argument)."""
    for r in range(m.shape[0]):
        for c in range(m.shape[1]):
            v = m[r, c]
            if not (np.isfinite(v.real) and np.isfinite(v.imag)):
                return False
    return True


@numba.njit(inline="always")
def _fill_nan_1d(dst):
    for r in range(dst.shape[0]):
        dst[r] = np.nan


@_jit
def lu(x):
    """(packed L\\U factors, 0-based int32 pivots, int32 row permutation) of C-ordered x
    (..., m, n), as getrf gives them (a singular matrix still factors)."""
    m, n = x.shape[-2], x.shape[-1]
    k = min(m, n)
    count = _batch(x.shape)
    out = np.empty_like(x)
    pivots = np.empty((count, k), np.int32)
    perm = np.empty((count, m), np.int32)
    xv, ov = x.reshape((count, m, n)), out.reshape((count, m, n))
    buf = np.empty((n, m), x.dtype).T
    ipiv = np.empty(max(k, 1), _PIVOT)
    for i in range(count):
        if k:
            _fill(buf, xv[i], False)
            _getrf(buf, ipiv)
            _fill(ov[i], buf, False)
        for r in range(m):
            perm[i, r] = r
        for r in range(k):
            p = ipiv[r] - 1
            pivots[i, r] = p
            perm[i, r], perm[i, p] = perm[i, p], perm[i, r]
    return out, pivots.reshape(x.shape[:-2] + (k,)), perm.reshape(x.shape[:-1])


@_jit
def qr(x, full_matrices):
    """(q, r) of C-ordered x (..., m, n): q (..., m, m or min(m, n)), r upper triangular."""
    m, n = x.shape[-2], x.shape[-1]
    k = min(m, n)
    kq = m if full_matrices else k
    count = _batch(x.shape)
    q = np.empty((count, m, kq), x.dtype)
    r = np.zeros((count, kq, n), x.dtype)
    xv = x.reshape((count, m, n))
    buf = np.empty((max(n, kq), m), x.dtype).T
    tau = np.empty(max(k, 1), x.dtype)
    for i in range(count):
        if m == 0:
            continue
        for row in range(m):
            for c in range(n):
                buf[row, c] = xv[i, row, c]
        if k:
            _geqrf(buf, n, tau)
        for row in range(k):
            for c in range(row, n):
                r[i, row, c] = buf[row, c]
        if kq:
            _ungqr(buf[:, :kq], k, tau)
        for row in range(m):
            for c in range(kq):
                q[i, row, c] = buf[row, c]
    return q.reshape(x.shape[:-2] + (m, kq)), r.reshape(x.shape[:-2] + (kq, n))


@_jit
def eigh(x, lower):
    """(v, w) of C-ordered Hermitian x (..., n, n), its lower (or upper) triangle read: w
    ascending (real), eigenvectors in v's columns; NaN where LAPACK fails."""
    n = x.shape[-1]
    count = _batch(x.shape)
    v = np.empty_like(x)
    w = _real_empty((count, n), x)
    xv, vv = x.reshape((count, n, n)), v.reshape((count, n, n))
    buf = np.empty((n, n), x.dtype).T
    for i in range(count):
        if n == 0:
            continue
        _fill(buf, xv[i], False)
        if _evd(buf, w[i], lower) == 0:
            _fill(vv[i], buf, False)
        else:
            _fill_nan(vv[i])
            _fill_nan_1d(w[i])
    return v, w.reshape(x.shape[:-1])


@_jit
def svd(x, full_matrices, compute_uv):
    """(s, u, vh) of C-ordered x (..., m, n), s descending (real); u (..., m, ku) and vh
    (..., kv, n) as full_matrices asks, or empty (ku = kv = 0) without compute_uv. NaN where
    LAPACK fails or x is not finite; an empty matrix's factors are identities."""
    m, n = x.shape[-2], x.shape[-1]
    k = min(m, n)
    ku, kv = (m, n) if full_matrices else (k, k)
    if not compute_uv:
        ku, kv = 0, 0
    count = _batch(x.shape)
    s = _real_empty((count, k), x)
    u = np.zeros((count, m, ku), x.dtype)
    vh = np.zeros((count, kv, n), x.dtype)
    xv = x.reshape((count, m, n))
    a = np.empty((n, m), x.dtype).T
    ub, vb = np.empty((ku, m), x.dtype).T, np.empty((n, kv), x.dtype).T
    jobz = (_JOB_A if full_matrices else _JOB_S) if compute_uv else _JOB_N
    for i in range(count):
        if k == 0:
            for d in range(min(m, ku)):
                u[i, d, d] = 1
            for d in range(min(kv, n)):
                vh[i, d, d] = 1
            continue
        _fill(a, xv[i], False)
        if _finite(a) and _gesdd(a, s[i], ub, vb, jobz) == 0:
            _fill(u[i], ub, False)
            _fill(vh[i], vb, False)
        else:
            _fill_nan_1d(s[i])
            _fill_nan(u[i])
            _fill_nan(vh[i])
    batch = x.shape[:-2]
    return s.reshape(batch + (k,)), u.reshape(batch + (m, ku)), vh.reshape(batch + (kv, n))


@_jit
def eig(x, left, right):
    """(w, vl, vr) of C-ordered x (..., n, n), complex; vl and vr are computed only if `left`
    and `right` ask (else unset). NaN where LAPACK fails or x is not finite (as NumPy)."""
    n = x.shape[-1]
    count = _batch(x.shape)
    w = _complex_empty((count, n), x)
    vl, vr = _complex_empty((count, n, n), x), _complex_empty((count, n, n), x)
    xv = x.reshape((count, n, n))
    a = np.empty((n, n), x.dtype).T
    lb, rb = _complex_empty((n, n), x).T, _complex_empty((n, n), x).T
    for i in range(count):
        if n == 0:
            continue
        _fill(a, xv[i], False)
        if _finite(a) and _geev(a, w[i], lb, rb, left, right) == 0:
            _fill(vl[i], lb, False)
            _fill(vr[i], rb, False)
        else:
            _fill_nan_1d(w[i])
            _fill_nan(vl[i])
            _fill_nan(vr[i])
    return w.reshape(x.shape[:-1]), vl.reshape(x.shape), vr.reshape(x.shape)
