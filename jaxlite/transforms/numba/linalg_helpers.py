"""LAPACK-backed helpers for the linalg lowerings (lax/numba_linalg.py): solve, cholesky and
triangular_solve over the flattened batch axes, NaN where LAPACK fails (as the eager impls).

They call LAPACK through the wrappers Numba's own np.linalg uses (numba.np.linalg._LAPACK,
symbols of Numba's helper library, so kernels stay cacheable), not through np.linalg: Numba's
np.linalg.solve alone costs ~10 s to compile, these ~2-3 s once per dtype and rank (then loaded
from Numba's cache). Each copies every matrix to a Fortran-ordered buffer. Generated modules
import this module as `lh` when they use it.
"""

import numba
import numpy as np
from numba.extending import overload
from numba.np.linalg import _LAPACK, get_blas_kind

__all__ = ["solve", "cholesky", "triangular_solve"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


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
