"""jaxlite.lax.linalg: every primitive of LINALG eagerly (against NumPy/SciPy, or by
reconstruction where factors are unique only up to signs), under jvp/grad (against finite
differences, to second order), vmap (against a loop) and jit (against eager)."""

import numpy as np
import pytest
import scipy.linalg

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax
from jaxlite.lax import linalg as L
from jaxlite.test_util import check_grads

DTYPES = [np.float32, np.float64, np.complex128]
BATCHES = [(), (2,), (2, 3)]
TOL = {np.dtype(np.float32): 2e-4, np.dtype(np.float64): 1e-10, np.dtype(np.complex64): 2e-4,
       np.dtype(np.complex128): 1e-10}


def _rand(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _h(x):
    return np.conj(np.swapaxes(x, -1, -2))


def _spd(batch, n, dtype, seed=0):
    """A well-conditioned Hermitian positive definite matrix."""
    a = _rand((*batch, n, n), np.complex128 if np.dtype(dtype).kind == "c" else np.float64, seed)
    return (a @ _h(a) + n * np.eye(n)).astype(dtype)


def _tri(a, lower):
    return np.tril(a) if lower else np.triu(a)


def _close(got, want, dtype, scale=1.0):
    tol = TOL[np.dtype(dtype)] * scale
    np.testing.assert_allclose(np.asarray(got), want, rtol=tol, atol=tol)


# ---------------------------------------------------------------- eager, against NumPy / SciPy


def _check_solve(batch, dtype):
    a, b = _rand((*batch, 4, 4), dtype) + 4 * np.eye(4, dtype=dtype), _rand((*batch, 4, 3), dtype, 1)
    x = L.solve(a, b)
    assert x.dtype == dtype
    _close(x, np.linalg.solve(a, b), dtype, 10)
    _close(L.inv(a), np.linalg.inv(a), dtype, 10)


def _check_lu_solve(batch, dtype):
    a, b = _rand((*batch, 4, 4), dtype) + 4 * np.eye(4, dtype=dtype), _rand((*batch, 4, 3), dtype, 1)
    packed, pivots, _ = L.lu(a)
    for transpose_a in (False, True):
        x = L.lu_solve(a, packed, pivots, b, transpose_a=transpose_a)
        assert x.dtype == dtype
        _close(x, np.linalg.solve(np.swapaxes(a, -1, -2) if transpose_a else a, b), dtype, 10)


def _check_cholesky(batch, dtype):
    a = _spd(batch, 4, dtype)
    _close(L.cholesky(a), np.linalg.cholesky(a), dtype, 10)
    garbage_above = a + np.triu(_rand(a.shape, dtype, 2), 1)  # only the lower triangle is read
    _close(L.cholesky(garbage_above, symmetrize_input=False), np.linalg.cholesky(a), dtype, 10)


def _check_triangular_solve(batch, dtype):
    a = _rand((*batch, 4, 4), dtype) + 4 * np.eye(4, dtype=dtype)
    for left_side in (True, False):
        b = _rand((*batch, 4, 3) if left_side else (*batch, 3, 4), dtype, 1)
        for lower, transpose_a, conjugate_a, unit_diagonal in [(True, False, False, False), (False, True, False, True),
                                                               (True, True, True, False), (False, False, True, False)]:
            m = _tri(a, lower)
            if unit_diagonal:
                m = np.where(np.eye(4, dtype=bool), np.ones((), dtype), m)
            m = np.swapaxes(m, -1, -2) if transpose_a else m
            m = np.conj(m) if conjugate_a else m
            x = L.triangular_solve(a, b, left_side=left_side, lower=lower, transpose_a=transpose_a,
                                   conjugate_a=conjugate_a, unit_diagonal=unit_diagonal)
            _close(m @ np.asarray(x) if left_side else np.asarray(x) @ m, b, dtype, 10)


def _check_lu(batch, dtype):
    for m, n in [(4, 4), (5, 3), (3, 5)]:
        x = _rand((*batch, m, n), dtype)
        packed, pivots, perm = map(np.asarray, L.lu(x))
        k = min(m, n)
        assert pivots.shape == (*batch, k) and perm.shape == (*batch, m) and pivots.dtype == perm.dtype == np.int32
        lower = np.tril(packed[..., :, :k], -1) + np.eye(m, k, dtype=dtype)
        upper = np.triu(packed[..., :k, :])
        _close(lower @ upper, np.take_along_axis(x, perm[..., :, None], -2), dtype, 10)
        if not batch and dtype == np.float64:  # LAPACK's own pivots
            np.testing.assert_array_equal(pivots, scipy.linalg.lu_factor(x)[1])


def _check_qr(batch, dtype):
    for m, n in [(4, 4), (5, 3), (3, 5)]:
        x = _rand((*batch, m, n), dtype)
        for full in (True, False):
            q, r = map(np.asarray, L.qr(x, full_matrices=full))
            want_q, want_r = np.linalg.qr(x, mode="complete" if full else "reduced")
            assert q.shape == want_q.shape and r.shape == want_r.shape and q.dtype == dtype
            _close(q @ r, x, dtype, 10)
            _close(np.abs(r), np.abs(want_r), dtype, 10)
            np.testing.assert_array_equal(np.tril(r, -1), 0)


def _check_eigh(batch, dtype):
    a = _spd(batch, 4, dtype) - 4 * np.eye(4, dtype=dtype)
    for lower in (True, False):
        noisy = a + (np.triu if lower else np.tril)(_rand(a.shape, dtype, 3), 1 if lower else -1)
        v, w = L.eigh(noisy, lower=lower, symmetrize_input=False)
        want_w = np.linalg.eigvalsh(a)
        assert w.dtype == np.finfo(dtype).dtype and v.dtype == dtype
        _close(w, want_w, dtype, 100)
        v = np.asarray(v)
        _close((v * np.asarray(w)[..., None, :]) @ _h(v), a, dtype, 100)
    v, w = L.eigh(a)
    _close(w, np.linalg.eigvalsh(a), dtype, 100)


def _check_svd(batch, dtype):
    for m, n in [(4, 4), (5, 3), (3, 5)]:
        x = _rand((*batch, m, n), dtype)
        for full in (True, False):
            u, s, vh = map(np.asarray, L.svd(x, full_matrices=full))
            want_u, want_s, want_vh = np.linalg.svd(x, full_matrices=full)
            assert (u.shape, s.shape, vh.shape) == (want_u.shape, want_s.shape, want_vh.shape)
            assert s.dtype == np.finfo(dtype).dtype
            _close(s, want_s, dtype, 10)
            k = min(m, n)
            _close((u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], x, dtype, 10)
        _close(L.svd(x, compute_uv=False), np.linalg.svd(x, compute_uv=False), dtype, 10)


def _check_eig(batch, dtype):
    x = _rand((*batch, 4, 4), dtype)
    w, vr = map(np.asarray, L.eig(x))
    cdtype = np.result_type(dtype, np.complex64)
    assert w.dtype == vr.dtype == cdtype
    _close(np.sort_complex(w.reshape(-1, 4)), np.sort_complex(np.linalg.eigvals(x).reshape(-1, 4)), dtype, 100)
    _close(x @ vr, vr * w[..., None, :], dtype, 100)
    w, vl, vr = map(np.asarray, L.eig(x, compute_left_eigenvectors=True))
    _close(_h(vl) @ x, w[..., :, None] * _h(vl), dtype, 100)
    (w_only,) = L.eig(x, compute_right_eigenvectors=False)
    assert w_only.shape == (*batch, 4)


EAGER = {
    "solve": _check_solve, "lu_solve": _check_lu_solve, "cholesky": _check_cholesky, "triangular_solve": _check_triangular_solve,
    "lu": _check_lu, "qr": _check_qr, "eigh": _check_eigh, "svd": _check_svd, "eig": _check_eig,
}


@pytest.mark.parametrize("batch", BATCHES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(EAGER))
def test_eager(name, dtype, batch):
    EAGER[name](batch, dtype)


def test_values_where_lapack_fails_are_nan():
    """lax-level functions never raise on values: failing matrices give NaN, the others are kept."""
    a = np.stack([np.zeros((2, 2)), np.eye(2)])
    x = np.asarray(L.solve(a, np.ones((2, 2, 1))))
    assert np.isnan(x[0]).all() and np.array_equal(x[1], np.ones((2, 1)))
    for transpose_a in (False, True):  # a zero pivot, as gesv's singular test
        y = np.asarray(L.lu_solve(a, *L.lu(a)[:2], np.ones((2, 2, 1)), transpose_a=transpose_a))
        assert np.isnan(y[0]).all() and np.array_equal(y[1], np.ones((2, 1)))
        assert np.isnan(np.asarray(jaxlite.jit(lambda a: L.lu_solve(a, *L.lu(a)[:2], np.ones((2, 2, 1)),
                                                                  transpose_a=transpose_a))(a))[0]).all()
    factor = np.asarray(L.cholesky(np.stack([-np.eye(2), 4 * np.eye(2)])))
    assert np.isnan(factor[0]).all() and np.array_equal(factor[1], 2 * np.eye(2))
    jitted = jaxlite.jit(lambda a, b, c: (L.solve(a, b), L.cholesky(c)))(a, np.ones((2, 2, 1)), -np.eye(2)[None])
    assert np.isnan(np.asarray(jitted[0])[0]).all() and np.isnan(np.asarray(jitted[1])).all()


def test_empty_matrices():
    assert L.solve(np.zeros((0, 0)), np.zeros((0, 2))).shape == (0, 2)
    assert L.cholesky(np.zeros((3, 0, 0))).shape == (3, 0, 0)
    u, s, vh = L.svd(np.zeros((2, 0)))
    assert (u.shape, s.shape, vh.shape) == ((2, 2), (0,), (0, 0))
    assert [x.shape for x in L.lu(np.zeros((0, 3)))] == [(0, 3), (0,), (0,)]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("call, error, words", [
    (lambda: L.solve(np.ones((2, 2), int), np.ones((2, 1), int)), TypeError, "solve"),
    (lambda: L.cholesky(np.ones((2, 3))), ValueError, "square"),
    (lambda: L.eigh(np.ones(3)), ValueError, "2 dimensions"),
    (lambda: L.solve(np.ones((3, 3)), np.ones((2, 1))), ValueError, "rows"),
    (lambda: L.solve(np.ones((2, 3, 3)), np.ones((3, 3, 1))), ValueError, "batch"),
    (lambda: L.solve(np.ones((3, 3)), np.ones((3, 1), np.float32)), TypeError, "same dtype"),
    (lambda: L.triangular_solve(np.ones((3, 3)), np.ones((2, 2))), ValueError, "columns"),
    (lambda: L.qr(np.ones((2, 2), np.int32)), TypeError, "qr"),
    (lambda: L.svd(np.ones((2, 2), np.float16)), TypeError, "svd"),
    (lambda: L.lu(np.ones((2, 2), bool)), TypeError, "lu"),
    (lambda: L.eig(np.ones((2, 3))), ValueError, "eig"),
    (lambda: L.inv(np.ones((2, 3))), ValueError, "inv"),
    (lambda: L.lu_solve(np.eye(3), np.eye(3), np.zeros(3), np.ones((3, 1))), ValueError, "pivots must be int32"),
    (lambda: L.lu_solve(np.eye(2), np.eye(3), np.zeros(3, np.int32), np.ones((3, 1))), ValueError, "same shape"),
    (lambda: jaxlite.make_jaxpr(lambda x: L.cholesky(x))(np.ones((2, 3))), ValueError, "cholesky"),
])
def test_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_eig_jvp_names_eigh():
    with pytest.raises(NotImplementedError, match="eigh"):
        jaxlite.jvp(lambda x: L.eig(x)[0], (np.eye(2),), (np.eye(2),))


def test_unsupported_derivatives_say_what_to_use():
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        jaxlite.jvp(lambda x: L.qr(x)[0], (_rand((3, 2), np.float64),), (_rand((3, 2), np.float64),))
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        jaxlite.jvp(lambda x: L.svd(x)[0], (_rand((3, 2), np.float64),), (_rand((3, 2), np.float64),))


# ---------------------------------------------------------------- derivatives


def _gauge_free_svd(x):
    """u_1 v_1^H and s: unique for distinct singular values, whatever the phase of u and v."""
    u, s, vh = L.svd(x, full_matrices=False)
    return u[..., :, :1] * vh[..., :1, :], s


def _gauge_free_eigh(x):
    v, w = L.eigh(x)
    return v[..., :, :1] * jnp.conj(v[..., :, :1]).swapaxes(-1, -2), w


def _lu_solve(a, b, transpose_a=False):
    """solve(op(a), b) through a's factors, a function of a and b for the derivative checks."""
    return L.lu_solve(a, *L.lu(a)[:2], b, transpose_a=transpose_a)


SPD = _spd((), 3, np.float64, 5)
SPD_C = _spd((), 3, np.complex128, 5)
# name -> [(function, arguments, orders)]; real cases check factors directly (their signs are
# stable under small perturbations), complex ones gauge-invariant functions of them.
JVP = {
    "solve": [(L.solve, (SPD, _rand((3, 2), np.float64)), 2), (L.inv, (SPD_C,), 2),
              (L.solve, (SPD_C, _rand((2, 3, 2), np.complex128)[0]), 2)],
    "lu_solve": [(_lu_solve, (SPD + _rand((3, 3), np.float64), _rand((3, 2), np.float64)), 2),
                 (lambda a, b: _lu_solve(a, b, True), (SPD_C, _rand((3, 2), np.complex128)), 2)],
    "cholesky": [(L.cholesky, (SPD,), 2), (lambda x: L.cholesky(x, symmetrize_input=False), (SPD_C,), 2)],
    "triangular_solve": [
        (lambda a, b: L.triangular_solve(a, b, left_side=True, lower=True), (SPD, _rand((3, 2), np.float64)), 2),
        (lambda a, b: L.triangular_solve(a, b, lower=False, transpose_a=True, conjugate_a=True, unit_diagonal=True),
         (SPD_C, _rand((2, 3), np.complex128)), 2)],
    "lu": [(lambda x: L.lu(x)[0], (_rand((3, 3), np.float64, 6),), 2), (lambda x: L.lu(x)[0], (_rand((4, 2), np.complex128),), 2),
           (lambda x: L.lu(x)[0], (_rand((2, 4), np.float64),), 1)],
    "qr": [(L.qr, (_rand((3, 3), np.float64),), 2), (lambda x: L.qr(x, full_matrices=False), (_rand((4, 2), np.complex128),), 2),
           (L.qr, (_rand((2, 4), np.float64),), 1)],
    "eigh": [(L.eigh, (SPD,), 2), (_gauge_free_eigh, (SPD_C,), 2)],
    "svd": [(lambda x: L.svd(x, compute_uv=False), (_rand((3, 2), np.complex128),), 2),
            (lambda x: L.svd(x, full_matrices=False), (_rand((4, 3), np.float64, 2),), 2),
            (L.svd, (_rand((3, 3), np.float64, 4),), 1), (_gauge_free_svd, (_rand((2, 3), np.complex128, 1),), 2)],
    "eig": [],  # not differentiable: test_eig_jvp_names_eigh
}


@pytest.mark.parametrize("name", sorted(JVP))
def test_derivatives(name):
    for fun, args, order in JVP[name]:
        check_grads(fun, args, order=order, atol=1e-4)


def test_grad_of_solve_factors_a_once():
    """The value and the cotangent solve with one factorization of a (the second with a^T)."""
    a, b = SPD + _rand((3, 3), np.float64), _rand((3, 2), np.float64)
    jaxpr = jaxlite.make_jaxpr(jaxlite.grad(lambda a, b: jnp.sum(L.solve(a, b) ** 2), argnums=(0, 1)))(a, b)
    eqns = [(e.primitive.name, e.params.get("transpose_a")) for e in jaxpr.jaxpr.eqns
            if e.primitive.name in ("lu", "lu_solve", "solve")]
    assert sorted(eqns, key=str) == [("lu", None), ("lu_solve", False), ("lu_solve", True)]
    ga, gb = jaxlite.grad(lambda a, b: jnp.sum(L.solve(a, b) ** 2), argnums=(0, 1))(a, b)
    x = np.linalg.solve(a, b)
    gb_want = np.linalg.solve(a.T, 2 * x)
    np.testing.assert_allclose(np.asarray(gb), gb_want, rtol=1e-10)
    np.testing.assert_allclose(np.asarray(ga), -gb_want @ x.T, rtol=1e-10)


# ---------------------------------------------------------------- vmap


def _batch_of(name):
    """(function, per-example operands (batched along axis 0), which operands may be unbatched)."""
    spd = _spd((3,), 3, np.float64)
    b = _rand((3, 3, 2), np.float64, 1)
    return {
        "solve": (L.solve, (spd, b)),
        "lu_solve": (lambda a, b: (_lu_solve(a, b), _lu_solve(a, b, True)), (spd, b)),
        "triangular_solve": (lambda a, b: L.triangular_solve(a, b, left_side=True, lower=True), (spd, b)),
        "cholesky": (L.cholesky, (spd,)),
        "lu": (L.lu, (_rand((3, 3, 2), np.float64),)),
        "qr": (L.qr, (_rand((3, 2, 3), np.float64),)),
        "eigh": (L.eigh, (spd,)),
        "svd": (L.svd, (_rand((3, 3, 2), np.float64),)),
        "eig": (L.eig, (spd,)),
    }[name]


def _stacked(fun, args, in_axes):
    size = next(np.shape(a)[ax] for a, ax in zip(args, in_axes) if ax is not None)
    outs = [fun(*[a if ax is None else np.take(a, i, ax) for a, ax in zip(args, in_axes)]) for i in range(size)]
    if isinstance(outs[0], tuple):
        return tuple(np.stack([np.asarray(o[k]) for o in outs]) for k in range(len(outs[0])))
    return np.stack([np.asarray(o) for o in outs])


@pytest.mark.parametrize("name", sorted(EAGER))
def test_vmap(name):
    fun, args = _batch_of(name)
    # the batch axis at 0, among the batch axes of a stacked pair (1), among the matrix axes (2), or absent
    for ax in (0, 1, 2, None):
        if ax is None and len(args) == 1:
            continue
        in_axes = tuple(ax if k == 0 or ax is not None else 0 for k in range(len(args))) if ax is not None \
            else (None,) + (0,) * (len(args) - 1)
        moved = [np.moveaxis(a, 0, a_ax) if a_ax is not None else a[0] for a, a_ax in zip(args, in_axes)]
        if ax == 1:  # an extra batch axis in front, so the vmapped one sits among the batch axes
            moved = [np.stack([m, m]) if a_ax is not None else m for m, a_ax in zip(moved, in_axes)]
            in_axes = tuple(1 if a_ax is not None else None for a_ax in in_axes)
            if any(a_ax is None for a_ax in in_axes):
                continue
        got = jaxlite.vmap(fun, in_axes=in_axes)(*moved)
        want = _stacked(fun, moved, in_axes)
        for g, w in zip(*(([got, want]) if isinstance(want, tuple) else ([(got,), (want,)]))):
            np.testing.assert_allclose(np.asarray(g), w, rtol=1e-10, atol=1e-12, err_msg=f"{name} in_axes={in_axes}")


def test_vmap_of_grad_of_solve():
    a, b = _spd((2,), 3, np.float64), _rand((2, 3, 1), np.float64)
    per = jaxlite.vmap(jaxlite.grad(lambda a, b: jnp.sum(L.solve(a, b))))(a, b)
    for i in range(2):
        np.testing.assert_allclose(np.asarray(per[i]), np.asarray(jaxlite.grad(lambda a: jnp.sum(L.solve(a, b[i])))(a[i])),
                                   rtol=1e-10)


# ---------------------------------------------------------------- jit


def _up_to_phase(got, want, dtype, scale=1.0):
    """got's columns are want's, each times a unit factor (LAPACK's sign and phase choices)."""
    got, want = np.asarray(got), np.asarray(want)
    inner = np.sum(np.conj(got) * want, axis=-2, keepdims=True)
    _close(got * (inner / np.abs(inner)), want, dtype, scale)


def _unitary(q, dtype):
    gram = _h(q) @ q
    _close(gram, np.broadcast_to(np.eye(q.shape[-1]), gram.shape), dtype, 10)


def _factorizations(x, y, a, s):
    """The multi-result primitives on tall x, wide y, square a and Hermitian s (one triangle
    read), every param value."""
    return {
        "lu": [L.lu(x), L.lu(y), L.lu(a)],
        "qr": [L.qr(x), L.qr(y, full_matrices=False), L.qr(x, full_matrices=False)],
        "eigh": [L.eigh(s, symmetrize_input=False), L.eigh(_h_jnp(s), lower=False, symmetrize_input=False)],
        "svd": [L.svd(x), L.svd(y, full_matrices=False), (L.svd(x, compute_uv=False),)],
        "eig": [L.eig(a), L.eig(a, compute_left_eigenvectors=True),
                L.eig(a, compute_left_eigenvectors=True, compute_right_eigenvectors=False),
                L.eig(a, compute_right_eigenvectors=False)],
    }


def _h_jnp(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


def _same_lu(got, want, dtype):
    _close(got[0], want[0], dtype, 10)
    for g, w in zip(got[1:], want[1:]):
        np.testing.assert_array_equal(g, w)


def _same_qr(got, want, dtype):
    (q, r), (want_q, want_r) = got, want
    k = min(np.shape(r)[-2:])
    _up_to_phase(q[..., :k], want_q[..., :k], dtype, 10)
    _unitary(np.asarray(q), dtype)
    _close(np.abs(r), np.abs(want_r), dtype, 10)
    _close(np.asarray(q) @ np.asarray(r), np.asarray(want_q) @ np.asarray(want_r), dtype, 10)


def _same_eigh(got, want, dtype):
    _close(got[1], want[1], dtype, 10)
    _up_to_phase(got[0], want[0], dtype, 100)


def _same_svd(got, want, dtype):
    if len(got) == 1:  # compute_uv=False
        _close(got[0], want[0], dtype, 10)
        return
    (u, s, vh), (want_u, want_s, want_vh) = map(lambda t: [np.asarray(v) for v in t], (got, want))
    _close(s, want_s, dtype, 10)
    k = s.shape[-1]
    _up_to_phase(u[..., :k], want_u[..., :k], dtype, 100)
    _up_to_phase(_h(vh)[..., :k], _h(want_vh)[..., :k], dtype, 100)
    _unitary(u, dtype)
    _unitary(_h(vh), dtype)
    _close((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], (want_u[..., :k] * s[..., None, :]) @ want_vh[..., :k, :],
           dtype, 10)


def _same_eig(got, want, dtype):
    _close(got[0], want[0], dtype, 100)
    for g, w in zip(got[1:], want[1:]):
        _up_to_phase(g, w, dtype, 100)


SAME = {"lu": _same_lu, "qr": _same_qr, "eigh": _same_eigh, "svd": _same_svd, "eig": _same_eig}


LOWERED = set(EAGER)  # every linalg primitive compiles (float32/64, complex64/128)


def test_jit_matches_eager():
    """All primitives in one jitted function (one compile per lowered primitive's helper)."""
    cases = {name: _batch_of(name) for name in sorted(EAGER)}
    names = list(cases)
    flat = [a for name in names for a in cases[name][1]]

    def run(*xs):
        outs, k = [], 0
        for name in names:
            fun, args = cases[name]
            out = fun(*xs[k:k + len(args)])
            k += len(args)
            outs.append(out)
        return outs

    got = jaxlite.jit(run)(*flat)
    want = run(*flat)
    for name, g, w in zip(names, got, want):
        if name in SAME:  # factors unique up to LAPACK's sign conventions
            SAME[name](g, w, np.float64)
            continue
        for gi, wi in zip(*(([g, w]) if isinstance(w, tuple) else ([(g,), (w,)]))):
            np.testing.assert_allclose(np.asarray(gi), np.asarray(wi), rtol=1e-9, atol=1e-12, err_msg=name)
    executable = jaxlite.jit(run).lower(*flat).compile()
    ran_with_numpy = {e.primitive.name for e in executable.fallbacks}
    assert ran_with_numpy == set(EAGER) - LOWERED, executable.as_text()


@pytest.mark.parametrize("dtype", [np.float32, np.complex128], ids=lambda d: np.dtype(d).name)
def test_jit_lowered_other_dtypes(dtype):
    a, b = _spd((2,), 3, dtype), _rand((2, 3, 2), dtype)

    def run(a, b):
        return (L.solve(a, b), L.cholesky(a, symmetrize_input=False),
                L.triangular_solve(a, b, left_side=True, lower=False, transpose_a=True, conjugate_a=True))

    for g, w in zip(jaxlite.jit(run)(a, b), run(a, b)):
        assert g.dtype == w.dtype
        _close(g, np.asarray(w), dtype, 10)


@pytest.mark.parametrize("dtype, batch", [(np.float64, ()), (np.float64, (2,)), (np.float32, (2,)), (np.complex128, ())],
                         ids=lambda v: np.dtype(v).name if isinstance(v, type) else str(v))
def test_jit_lowered_factorizations(dtype, batch):
    """lu, qr, eigh, svd and eig compile (no NumPy fallback) and equal eager up to LAPACK's
    sign and phase conventions; all in one function, so one compile per helper."""
    s = _spd(batch, 4, dtype, 2) - 4 * np.eye(4, dtype=dtype)
    s = s + np.triu(_rand(s.shape, dtype, 3), 1)  # the lower triangle is read
    args = (_rand((*batch, 4, 3), dtype), _rand((*batch, 3, 4), dtype, 1), _rand((*batch, 4, 4), dtype, 2), s)
    jitted = jaxlite.jit(_factorizations)
    assert "numpy_eqn" not in jitted.lower(*args).as_text()
    got, want = jitted(*args), _factorizations(*args)
    for name, same in SAME.items():
        for g, w in zip(got[name], want[name]):
            assert [(np.shape(gi), np.asarray(gi).dtype) for gi in g] == [(np.shape(wi), np.asarray(wi).dtype) for wi in w]
            same(g, w, dtype)


def test_jit_factorizations_where_lapack_fails_or_matrices_are_empty():
    """A non-finite matrix gives NaN results under jit too, its neighbours kept; empty
    matrices give eager's shapes and identity factors."""
    a = np.stack([np.eye(3) + 0.1 * _rand((3, 3), np.float64), np.full((3, 3), np.nan)])

    def run(a):
        return [*L.svd(a), *L.eig(a), *L.eigh(a)]

    for g, w in zip(jaxlite.jit(run)(a), run(a)):
        g, w = np.asarray(g), np.asarray(w)
        assert np.isnan(g[1]).all() and np.isnan(w[1]).all()
        np.testing.assert_allclose(np.abs(g[0]), np.abs(w[0]), rtol=1e-10, atol=1e-12)
    for shape in [(3, 0), (0, 3)]:
        x = np.zeros(shape)

        def empty(x):
            return [*L.qr(x), *L.qr(x, full_matrices=False), *L.svd(x), *L.svd(x, full_matrices=False), *L.lu(x)]

        for g, w in zip(jaxlite.jit(empty)(x), empty(x)):
            assert np.shape(g) == np.shape(w)
            np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def test_grad_under_jit():
    a, b = SPD, _rand((3, 2), np.float64)
    f = jaxlite.grad(lambda a, b: jnp.sum(L.solve(a, b) ** 2))
    np.testing.assert_allclose(np.asarray(jaxlite.jit(f)(a, b)), np.asarray(f(a, b)), rtol=1e-10)


# ---------------------------------------------------------------- coverage


def test_every_primitive_is_covered():
    assert set(lax.LINALG) == set(EAGER) == set(JVP)
    for name in lax.LINALG:
        _batch_of(name)  # vmap and jit cases exist
    assert LOWERED <= set(lax.LINALG)
    assert not set(lax.LINALG) & set(lax.PRIMITIVES)
