"""Derivatives of the linalg primitives (linalg.py), written with primitives only, so that
derivatives are differentiable again.

Matrices sit in the last two axes; `_mm` is a matmul batched over the leading ones. Tangents
and cotangents pair without conjugation (<ct, t> = Re(sum(ct * t))), as everywhere in jaxlite,
so transposes of linear maps transpose without conjugating.

- cholesky, eigh: LAPACK reads one triangle, so the tangent of the matrix it sees is the
  Hermitian matrix built from that triangle of the input's tangent (`_hermitian_from`).
- solve, triangular_solve: linear in b; their transposes solve with a transposed. solve's
  derivative factors a once (lu) and solves with the factors (lu_solve) in the value, the
  tangent and the transpose, which all share a.
- lu_solve: a's factors only stand in for a, so derivatives flow through a and b alone.
- lu: the tangents of the packed factors (pivots and permutation are locally constant).
- qr: m >= n with full_matrices=False (or square), and m < n (the first m columns factor as a
  square matrix, the rest is q^H times them).
- eigh: needs distinct eigenvalues: with a repeated eigenvalue the eigenvectors of its
  eigenspace are not unique and their tangents are inf/NaN (eigenvalue tangents stay finite).
- svd: needs distinct nonzero singular values for u and vh (full_matrices=True is only
  differentiable for square matrices); s alone is differentiable everywhere it is simple.
- eig: not differentiable (NotImplementedError).
"""

import numpy as np

from ..core import Tracer, get_aval
from ..transforms.ad import UndefinedPrimal, Zero, add_tangents, defjvp_rule, instantiate, primitive_transposes
from .dot import dot_general_p
from .elementwise import PRIMITIVES as _E
from .linalg import cholesky_p, eig_p, eigh_p, lu_p, lu_solve_p, qr_p, solve_p, svd_p, triangular_solve_p
from .reductions import PRIMITIVES as _R
from .shape import (
    broadcast_in_dim_p, concatenate_p, convert_element_type_p, pad_p, select_n_p, slice_p, transpose_p,
)
from .reductions_ad import _take_along_axis
from .shape_ad import _iota
from .stop_gradient import stop_gradient_p

__all__ = []


# ---------------------------------------------------------------- matrix helpers


def _ndim(x):
    return get_aval(x).ndim


def _dtype(x):
    return get_aval(x).dtype


def _scalar(x, value):
    return np.asarray(value, _dtype(x))[()]


def _mm(a, b):
    """a @ b over the last two axes, batched over the (equal) leading ones."""
    nd = _ndim(a)
    batch = tuple(range(nd - 2))
    return dot_general_p.bind(a, b, dimension_numbers=(((nd - 1,), (nd - 2,)), (batch, batch)),
                              preferred_element_type=None)


def _t(x):
    nd = _ndim(x)
    return transpose_p.bind(x, permutation=(*range(nd - 2), nd - 1, nd - 2))


def _conj(x):
    return _E["conj"].bind(x) if _dtype(x).kind == "c" else x


def _h(x):
    return _conj(_t(x))


def _add(a, b):
    return _E["add"].bind(a, b)


def _sub(a, b):
    return _E["sub"].bind(a, b)


def _mul(a, b):
    return _E["mul"].bind(a, b)


def _div(a, b):
    return _E["div"].bind(a, b)


def _neg(a):
    return _E["neg"].bind(a)


def _convert(x, dtype):
    return x if _dtype(x) == dtype else convert_element_type_p.bind(x, new_dtype=np.dtype(dtype), weak_type=False)


def _real(x):
    return _E["real"].bind(x) if _dtype(x).kind == "c" else x


def _broadcast(x, shape, dims):
    return broadcast_in_dim_p.bind(x, shape=tuple(shape), broadcast_dimensions=tuple(dims))


def _zeros(shape, dtype):
    return _broadcast(np.zeros((), dtype)[()], shape, ())


def _band(shape, below, above):
    """Boolean mask of the matrix entries with -below <= col - row <= above."""
    diff = _sub(_iota(shape, len(shape) - 1), _iota(shape, len(shape) - 2))
    lo = _E["ge"].bind(diff, np.int64(-below))
    return _E["and"].bind(lo, _E["le"].bind(diff, np.int64(above)))


def _masked(x, mask):
    """x where mask, else 0."""
    aval = get_aval(x)
    return select_n_p.bind(mask, _zeros(aval.shape, aval.dtype), x)


_FAR = 1 << 62


def _tril(x, k=0):
    return _masked(x, _band(get_aval(x).shape, _FAR, k))


def _triu(x, k=0):
    return _masked(x, _band(get_aval(x).shape, -k, _FAR))


def _eye(shape, dtype):
    """Identity matrices of `shape` (..., n, n) (ones on the diagonal of a rectangle)."""
    return _convert(_band(shape, 0, 0), dtype)


def _diagonal(x):
    """The diagonal of square matrices x (..., n, n) as (..., n)."""
    nd = _ndim(x)
    return _R["reduce_sum"].bind(_masked(x, _band(get_aval(x).shape, 0, 0)), axes=(nd - 1,))


def _as_row(v, rows=None):
    """(..., k) -> (..., rows, k), every row v (rows defaults to k)."""
    shape = get_aval(v).shape
    nd = len(shape)
    rows = shape[-1] if rows is None else rows
    return _broadcast(v, (*shape[:-1], rows, shape[-1]), (*range(nd - 1), nd))


def _as_col(v):
    shape = get_aval(v).shape
    nd = len(shape)
    return _broadcast(v, (*shape, shape[-1]), tuple(range(nd)))


def _slice_matrix(x, rows, cols):
    shape = get_aval(x).shape
    nb = len(shape) - 2
    return slice_p.bind(x, start_indices=(0,) * nb + (rows[0], cols[0]),
                        limit_indices=tuple(shape[:nb]) + (rows[1], cols[1]), strides=None)


def _pad_matrix(x, rows, cols):
    """x with `rows` zero rows and `cols` zero columns added at the end."""
    nb = _ndim(x) - 2
    config = ((0, 0, 0),) * nb + ((0, rows, 0), (0, cols, 0))
    return pad_p.bind(x, np.zeros((), _dtype(x))[()], padding_config=config)


def _hermitian_from(x, lower):
    """The Hermitian matrix LAPACK sees given x's lower (or upper) triangle: M + M^H with M the
    triangle and its diagonal halved (so the diagonal is real, as LAPACK reads it)."""
    shape = get_aval(x).shape
    tri = _band(shape, _FAR, 0) if lower else _band(shape, 0, _FAR)
    half = select_n_p.bind(_band(shape, 0, 0), _full_like(x, 1.0), _full_like(x, 0.5))
    m = _mul(_masked(x, tri), half)
    return _add(m, _h(m))


def _full_like(x, value):
    aval = get_aval(x)
    return _broadcast(np.asarray(value, aval.dtype)[()], aval.shape, ())


def _solve_triangular(a, b, left_side, lower, transpose_a=False, conjugate_a=False, unit_diagonal=False):
    return triangular_solve_p.bind(a, b, left_side=left_side, lower=lower, transpose_a=transpose_a,
                                   conjugate_a=conjugate_a, unit_diagonal=unit_diagonal)


# ---------------------------------------------------------------- solve and triangular_solve


def _solve_jvp(primals, tangents):
    a, b = primals
    constant = a if not isinstance(a, Tracer) else stop_gradient_p.bind(a)  # lu_solve differentiates through a
    lu, pivots, _ = lu_p.bind(constant)
    return _lu_solve_jvp((a, lu, pivots, b), (tangents[0], None, None, tangents[1]), transpose_a=False)


def _lu_solve_jvp(primals, tangents, *, transpose_a):
    a, lu, pivots, b = primals
    da, _, _, db = tangents  # the factors' tangents follow from da
    x = lu_solve_p.bind(a, lu, pivots, b, transpose_a=transpose_a)
    rhs = db
    if type(da) is not Zero:  # op(a) x = b  =>  op(a) dx = db - op(da) x
        da_x = _mm(_t(da) if transpose_a else da, x)
        rhs = _neg(da_x) if type(db) is Zero else _sub(db, da_x)
    if type(rhs) is Zero:
        return x, rhs
    return x, lu_solve_p.bind(a, lu, pivots, rhs, transpose_a=transpose_a)


def _lu_solve_transpose(ct, a, lu, pivots, b, *, transpose_a):
    if type(b) is not UndefinedPrimal or UndefinedPrimal in {type(a), type(lu), type(pivots)}:
        raise NotImplementedError("lu_solve: transposing with respect to a or its factors (it is linear in b only)")
    return [None, None, None, lu_solve_p.bind(a, lu, pivots, instantiate(ct), transpose_a=not transpose_a)]


def _solve_transpose(ct, a, b):
    if type(a) is UndefinedPrimal:
        raise NotImplementedError("solve: transposing with respect to a (it is not linear in a)")
    ct = instantiate(ct)
    return [None, solve_p.bind(_t(a), ct)]


def _op(x, transpose_a, conjugate_a):
    x = _t(x) if transpose_a else x
    return _conj(x) if conjugate_a else x


def _triangular_solve_jvp(primals, tangents, **params):
    a, b = primals
    da, db = tangents
    x = triangular_solve_p.bind(a, b, **params)
    rhs = Zero(get_aval(x)) if type(db) is Zero else db
    if type(da) is not Zero:
        shape = get_aval(da).shape
        keep = _band(shape, _FAR, -params["unit_diagonal"]) if params["lower"] else _band(shape, -params["unit_diagonal"], _FAR)
        op_da = _op(_masked(da, keep), params["transpose_a"], params["conjugate_a"])
        rhs = add_tangents(rhs, _neg(_mm(op_da, x) if params["left_side"] else _mm(x, op_da)))
    return x, triangular_solve_p.bind(a, instantiate(rhs), **params)


def _triangular_solve_transpose(ct, a, b, **params):
    if type(a) is UndefinedPrimal:
        raise NotImplementedError("triangular_solve: transposing with respect to a (it is not linear in a)")
    params = dict(params, transpose_a=not params["transpose_a"])
    return [None, triangular_solve_p.bind(a, instantiate(ct), **params)]


defjvp_rule(solve_p, _solve_jvp)
primitive_transposes[solve_p] = _solve_transpose
defjvp_rule(lu_solve_p, _lu_solve_jvp)
primitive_transposes[lu_solve_p] = _lu_solve_transpose
defjvp_rule(triangular_solve_p, _triangular_solve_jvp)
primitive_transposes[triangular_solve_p] = _triangular_solve_transpose


# ---------------------------------------------------------------- cholesky and lu


def _cholesky_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    factor = cholesky_p.bind(x)
    sigma = _hermitian_from(dx, lower=True)
    # phi(L^-1 sigma L^-H), phi = lower triangle with the diagonal halved
    right = _solve_triangular(factor, sigma, left_side=False, lower=True, transpose_a=True, conjugate_a=True)
    inner = _solve_triangular(factor, right, left_side=True, lower=True)
    shape = get_aval(inner).shape
    half = select_n_p.bind(_band(shape, 0, 0), _full_like(inner, 1.0), _full_like(inner, 0.5))
    phi = _mul(_tril(inner), half)
    return factor, _mm(factor, phi)


def _lu_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    packed, pivots, perm = lu_p.bind(x)
    *batch, m, n = get_aval(x).shape
    k = min(m, n)
    nb = len(batch)
    rows = _broadcast(perm, (*batch, m, n), tuple(range(nb + 1)))
    pdx = _take_along_axis(dx, rows, nb)  # P^T dx: the rows in the factored order
    dtype = _dtype(x)
    lower = _add(_pad_matrix(_tril(_slice_matrix(packed, (0, m), (0, k)), -1), 0, m - k), _eye((*batch, m, m), dtype))
    upper = _pad_matrix(_triu(_slice_matrix(packed, (0, k), (0, n))), n - k, 0)
    if n > k:  # identity in the trailing block keeps the padded factor invertible
        config = ((0, 0, 0),) * nb + ((k, 0, 0), (k, 0, 0))
        corner = pad_p.bind(_eye((*batch, n - k, n - k), dtype), np.zeros((), dtype)[()], padding_config=config)
        upper = _add(upper, corner)
    la = _solve_triangular(lower, pdx, left_side=True, lower=True, unit_diagonal=True)
    lau = _solve_triangular(upper, la, left_side=False, lower=False)
    d_lu = _add(_mm(lower, _tril(lau, -1)), _mm(_triu(lau), upper))
    return [packed, pivots, perm], [d_lu, Zero(get_aval(pivots)), Zero(get_aval(perm))]


defjvp_rule(cholesky_p, _cholesky_jvp)
defjvp_rule(lu_p, _lu_jvp)


# ---------------------------------------------------------------- qr


def _qr_square_or_tall(q, r, dx):
    """Tangents of the reduced factors of a matrix with m >= n."""
    dx_rinv = _solve_triangular(r, dx, left_side=False, lower=False)  # dx r^-1
    qh_dx_rinv = _mm(_h(q), dx_rinv)
    low = _tril(qh_dx_rinv, -1)
    omega = _sub(low, _h(low))  # skew-Hermitian q^H dq
    if _dtype(q).kind == "c":  # its diagonal: i imag(q^H dx r^-1), keeping r's diagonal real
        imag_part = _sub(qh_dx_rinv, _convert(_real(qh_dx_rinv), _dtype(q)))
        omega = _add(omega, _masked(imag_part, _band(get_aval(omega).shape, 0, 0)))
    dq = _add(_mm(q, _sub(omega, qh_dx_rinv)), dx_rinv)
    dr = _mm(_sub(qh_dx_rinv, omega), r)
    return dq, dr


def _qr_jvp(primals, tangents, *, full_matrices):
    (x,), (dx,) = primals, tangents
    q, r = qr_p.bind(x, full_matrices=full_matrices)
    m, n = get_aval(x).shape[-2:]
    if m >= n:
        if full_matrices and m > n:
            raise NotImplementedError("qr: the derivative of full_matrices=True needs m <= n; use full_matrices=False")
        return [q, r], list(_qr_square_or_tall(q, r, dx))
    # wide: x = [x1 x2] with x1 square; q, r1 = qr(x1) and r = [r1, q^H x2]
    r1 = _slice_matrix(r, (0, m), (0, m))
    dq, dr1 = _qr_square_or_tall(q, r1, _slice_matrix(dx, (0, m), (0, m)))
    x2, dx2 = _slice_matrix(x, (0, m), (m, n)), _slice_matrix(dx, (0, m), (m, n))
    dr2 = _add(_mm(_h(dq), x2), _mm(_h(q), dx2))
    return [q, r], [dq, concatenate_p.bind(dr1, dr2, dimension=_ndim(x) - 1)]


defjvp_rule(qr_p, _qr_jvp)


# ---------------------------------------------------------------- eigh, svd, eig


def _off_diagonal_reciprocal(diff):
    """1 / diff off the diagonal, 0 on it (diff real, (..., k, k))."""
    eye = _eye(get_aval(diff).shape, _dtype(diff))
    return _sub(_E["reciprocal"].bind(_add(diff, eye)), eye)


def _eigh_jvp(primals, tangents, *, lower):
    (x,), (dx,) = primals, tangents
    v, w = eigh_p.bind(x, lower=lower)
    sigma = _hermitian_from(dx, lower)
    vh_dx_v = _mm(_mm(_h(v), sigma), v)
    gaps = _off_diagonal_reciprocal(_sub(_as_row(w), _as_col(w)))  # [i, j]: 1 / (w_j - w_i)
    dv = _mm(v, _mul(_convert(gaps, _dtype(v)), vh_dx_v))
    dw = _real(_diagonal(vh_dx_v))
    return [v, w], [dv, dw]


def _svd_jvp(primals, tangents, *, full_matrices, compute_uv):
    (x,), (dx,) = primals, tangents
    *_, m, n = get_aval(x).shape
    if compute_uv and full_matrices and m != n:
        raise NotImplementedError(
            "svd: the derivative of u and vh with full_matrices=True needs a square matrix; use full_matrices=False")
    s, u, vh = svd_p.bind(x, full_matrices=False, compute_uv=True)
    dtype = _dtype(x)
    v = _h(vh)
    ds_mat = _mm(_mm(_h(u), dx), v)  # u^H dx v, (..., k, k)
    ds = _real(_diagonal(ds_mat))
    if not compute_uv:
        return [s], [ds]
    s_row = _convert(_as_row(s), dtype)  # [i, j]: s_j
    s_col = _convert(_as_col(s), dtype)  # [i, j]: s_i
    rs, cs = _as_row(s), _as_col(s)
    f = _convert(_off_diagonal_reciprocal(_mul(_add(rs, cs), _sub(rs, cs))), dtype)  # 1 / (s_j^2 - s_i^2)
    ds_s = _mul(ds_mat, s_row)
    s_ds = _mul(s_col, ds_mat)
    du_inner = _mul(f, _add(ds_s, _h(ds_s)))
    if dtype.kind == "c":  # the phase u and v share: i imag(diag(u^H dx v)) / s
        is_zero = _convert(_E["eq"].bind(s, _scalar(s, 0)), _dtype(s))
        s_inv = _sub(_E["reciprocal"].bind(_add(s, is_zero)), is_zero)
        phase = _mul(_mul(_sub(ds_mat, _h(ds_mat)), _scalar(ds_mat, 0.5)), _convert(_as_row(s_inv), dtype))
        du_inner = _add(du_inner, _masked(phase, _band(get_aval(phase).shape, 0, 0)))
    du = _mm(u, du_inner)
    dv = _mm(v, _mul(f, _add(s_ds, _h(s_ds))))
    if m > n:  # the part of dx v outside u's columns
        dx_v = _mm(dx, v)
        du = _add(du, _div(_sub(dx_v, _mm(u, _mm(_h(u), dx_v))), _convert(_as_row(s, m), dtype)))
    if n > m:
        dxh_u = _mm(_h(dx), u)
        dv = _add(dv, _div(_sub(dxh_u, _mm(v, _mm(vh, dxh_u))), _convert(_as_row(s, n), dtype)))
    return [s, u, vh], [ds, du, _h(dv)]


def _eig_jvp(primals, tangents, **params):
    raise NotImplementedError(
        "eig: derivatives of the eigendecomposition of a general matrix are not implemented; "
        "for a symmetric or Hermitian matrix use eigh")


defjvp_rule(eigh_p, _eigh_jvp)
defjvp_rule(svd_p, _svd_jvp)
defjvp_rule(eig_p, _eig_jvp)
