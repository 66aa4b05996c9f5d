"""vmap/jit rows for jaxlite.numpy.linalg; see test_vmap_numpy.py for what a row is and how it is
checked. The linalg names are not in jaxlite.numpy.__all__, so the rows cover no top-level name
(covers=()); tests/numpy/test_linalg.py checks that every linalg function has a row here.

Decompositions are determined up to the signs (phases) of singular vectors and eigenvectors:
rows show sign-invariant functions of them (absolute values, products)."""

import numpy as np

import jaxlite.numpy as jnp

L = jnp.linalg
INF = np.inf


def normal(*shape):
    return lambda rng: rng.standard_normal(shape)


def square(n, *batch):
    """Well-conditioned matrices: a normal matrix plus n on the diagonal."""
    return lambda rng: rng.standard_normal((*batch, n, n)) + n * np.eye(n)


def positive_definite(n):
    def gen(rng):
        m = rng.standard_normal((n, n))
        return m @ m.T + n * np.eye(n)
    return gen


def complex_square(n):
    return lambda rng: rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n)) + n * np.eye(n)


def real_spectrum(n):
    """Matrices with distinct real eigenvalues (so eig's order and dtype are stable)."""
    def gen(rng):
        basis = rng.standard_normal((n, n)) + n * np.eye(n)
        return basis @ np.diag(np.arange(1.0, n + 1)) @ np.linalg.inv(basis)
    return gen


def _svd_abs(x, **kwargs):
    u, s, vh = L.svd(x, **kwargs)
    return s, jnp.abs(u), jnp.abs(vh)


def _eigh_abs(x, **kwargs):
    w, v = L.eigh(x, **kwargs)
    return w, jnp.abs(v)


def _eig_abs(x):
    w, v = L.eig(x)
    return jnp.sort(jnp.real(w)), jnp.abs(v)


def _row(name, fun, gens, label=""):
    return (f"linalg.{name}", fun, gens, label, ())


ROWS = [
    _row("solve", L.solve, (square(3), normal(3))),
    _row("solve", L.solve, (square(3), normal(3, 2)), "matrix"),
    _row("inv", L.inv, (square(3),)),
    _row("inv", L.inv, (complex_square(2),), "complex"),
    _row("det", L.det, (square(3),)),
    _row("slogdet", L.slogdet, (square(3),)),
    _row("cholesky", L.cholesky, (positive_definite(3),)),
    _row("cholesky", lambda x: L.cholesky(x, upper=True), (positive_definite(3),), "upper"),
    _row("qr", L.qr, (normal(4, 3),)),
    _row("qr", lambda x: L.qr(x, mode="r"), (normal(3, 4),), "r"),
    _row("svd", _svd_abs, (normal(4, 3),)),
    _row("svd", lambda x: _svd_abs(x, full_matrices=False), (normal(3, 4),), "reduced"),
    _row("svd", lambda x: L.svd(x, compute_uv=False), (normal(4, 3),), "values"),
    _row("svdvals", L.svdvals, (normal(3, 4),)),
    _row("eigh", _eigh_abs, (normal(3, 3),)),
    _row("eigh", lambda x: _eigh_abs(x, UPLO="U"), (normal(3, 3),), "upper"),
    _row("eigvalsh", L.eigvalsh, (normal(3, 3),)),
    _row("eig", _eig_abs, (real_spectrum(3),)),
    _row("eigvals", lambda x: jnp.sort(jnp.abs(L.eigvals(x))), (normal(3, 3),)),
    _row("lstsq", L.lstsq, (normal(4, 3), normal(4))),
    _row("lstsq", lambda a, b: L.lstsq(a, b, rcond=None)[0], (normal(3, 4), normal(3, 2)), "underdetermined"),
    _row("pinv", L.pinv, (normal(4, 3),)),
    _row("pinv", lambda x: L.pinv(x, hermitian=True), (positive_definite(3),), "hermitian"),
    _row("matrix_rank", L.matrix_rank, (normal(4, 3),)),
    _row("matrix_rank", lambda x: L.matrix_rank(x @ x[:2].T @ x[:2], rtol=1e-8), (normal(3, 3),), "deficient"),
    _row("cond", L.cond, (square(3),)),
    _row("cond", lambda x: L.cond(x, INF), (square(3),), "inf"),
    _row("norm", L.norm, (normal(3, 4),)),
    _row("norm", lambda x: L.norm(x, ord=1, axis=0), (normal(3, 4),), "vector-1"),
    _row("norm", lambda x: L.norm(x, ord="nuc", keepdims=True), (normal(3, 4),), "nuc"),
    _row("norm", lambda x: L.norm(x, ord=-INF, axis=(1, 0)), (normal(3, 4),), "matrix-inf"),
    _row("vector_norm", lambda x: L.vector_norm(x, axis=(0, 2), ord=3), (normal(2, 3, 4),)),
    _row("matrix_norm", lambda x: L.matrix_norm(x, ord=2), (normal(2, 3, 4),)),
    _row("matrix_power", lambda x: L.matrix_power(x, 3), (square(3),)),
    _row("matrix_power", lambda x: L.matrix_power(x, -2), (square(3),), "negative"),
    _row("matrix_power", lambda x: L.matrix_power(x, 0), (square(2),), "zero"),
    _row("multi_dot", lambda a, b, c: L.multi_dot([a, b, c]), (normal(4), normal(4, 2), normal(2, 3))),
    _row("tensorinv", lambda x: L.tensorinv(x, ind=1), (lambda rng: square(6)(rng).reshape(6, 2, 3),)),
    _row("tensorsolve", L.tensorsolve, (lambda rng: square(6)(rng).reshape(2, 3, 6), normal(2, 3))),
    _row("cross", L.cross, (normal(4, 3), normal(3))),
    _row("outer", L.outer, (normal(3), normal(4))),
    _row("tensordot", lambda a, b: L.tensordot(a, b, axes=1), (normal(2, 3), normal(3, 4))),
    _row("matmul", L.matmul, (normal(2, 3, 4), normal(4, 2))),
    _row("vecdot", lambda a, b: L.vecdot(a, b, axis=0), (normal(3, 4), normal(3, 1))),
    _row("diagonal", lambda x: L.diagonal(x, offset=1), (normal(2, 3, 4),)),
    _row("trace", lambda x: L.trace(x, offset=-1), (normal(2, 3, 4),)),
    _row("matrix_transpose", L.matrix_transpose, (normal(2, 3, 4),)),
]

EXCLUDED = {}  # every linalg function has a row; none of them is a top-level name
GRAD_EXCLUDED = {}  # derivatives: tests/numpy/test_linalg.py (GRAD_CASES)
