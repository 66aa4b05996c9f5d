"""Testing aids: compare derivatives against finite differences, to any order."""

import numpy as np

from . import tree_util
from ._autodiff import jvp, vjp

__all__ = ["check_jvp", "check_vjp", "check_grads"]

# dtype -> (finite-difference step, tolerance)
_DEFAULTS = {np.dtype(np.float64): (1e-4, 1e-5), np.dtype(np.float32): (1e-2, 2e-2),
             np.dtype(np.complex128): (1e-4, 1e-5), np.dtype(np.complex64): (1e-2, 2e-2)}


def _leaf_defaults(leaves):
    steps, tols = zip(*[_DEFAULTS.get(np.asarray(x).dtype, (1e-4, 1e-5)) for x in leaves]) if leaves else ((1e-4,), (1e-5,))
    return max(steps), max(tols)


def _random_like(x, rng):
    x = np.asarray(x)
    values = rng.standard_normal(x.shape)
    if x.dtype.kind == "c":
        values = values + 1j * rng.standard_normal(x.shape)
    return values.astype(x.dtype)


def _axpy(a, t, x):
    return tree_util.tree_map(lambda t_, x_: np.asarray(x_) + a * np.asarray(t_), t, x)


def _vdot(xs, ys):
    """Sum of x * y without conjugation: JAX's convention pairs cotangents and tangents so."""
    return sum(np.real(np.sum(np.asarray(x) * np.asarray(y))) for x, y in zip(tree_util.tree_leaves(xs), tree_util.tree_leaves(ys)))


def _assert_close(actual, expected, tol, what):
    for a, e in zip(tree_util.tree_leaves(actual), tree_util.tree_leaves(expected)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=tol, atol=tol, err_msg=what)


def check_jvp(f, args, atol=None, eps=None, rng=None):
    """jvp of f at args, in a random direction, against a central finite difference."""
    rng = rng or np.random.default_rng(0)
    step, tol = _leaf_defaults(tree_util.tree_leaves(args))
    step, tol = eps or step, atol or tol
    tangents = tree_util.tree_map(lambda x: _random_like(x, rng), tuple(args))
    _, out_tangent = jvp(f, tuple(args), tangents)
    plus, minus = f(*_axpy(step, tangents, args)), f(*_axpy(-step, tangents, args))
    numeric = tree_util.tree_map(lambda p, m: (np.asarray(p) - np.asarray(m)) / (2 * step), plus, minus)
    _assert_close(out_tangent, numeric, tol, "jvp against finite differences")


def check_vjp(f, args, atol=None, eps=None, rng=None):
    """vjp of f at args against its jvp: <ct, J t> == <J^T ct, t> (J^T checked by finite differences)."""
    rng = rng or np.random.default_rng(1)
    step, tol = _leaf_defaults(tree_util.tree_leaves(args))
    step, tol = eps or step, atol or tol
    out, vjp_fn = vjp(f, *args)
    cotangent = tree_util.tree_map(lambda o: _random_like(o, rng), out)
    tangents = tree_util.tree_map(lambda x: _random_like(x, rng), tuple(args))
    cts_in = vjp_fn(cotangent)
    plus, minus = f(*_axpy(step, tangents, args)), f(*_axpy(-step, tangents, args))
    numeric = tree_util.tree_map(lambda p, m: (np.asarray(p) - np.asarray(m)) / (2 * step), plus, minus)
    lhs, rhs = _vdot(cts_in, tangents), _vdot(cotangent, numeric)
    np.testing.assert_allclose(lhs, rhs, rtol=tol, atol=tol, err_msg="vjp against finite differences")


def check_grads(f, args, order, modes=("fwd", "rev"), atol=None, eps=None, rng=None):
    """Check f's derivatives at args up to `order`, in forward and/or reverse mode."""
    args = tuple(args)
    rng = rng or np.random.default_rng(0)
    if "fwd" in modes:
        check_jvp(f, args, atol, eps, rng)
    if "rev" in modes:
        check_vjp(f, args, atol, eps, rng)
    if order > 1:
        if "fwd" in modes:
            tangents = tree_util.tree_map(lambda x: _random_like(x, rng), args)
            check_grads(lambda *a: jvp(f, a, tangents)[1], args, order - 1, ("fwd",), atol, eps, rng)
        if "rev" in modes:
            cotangent = tree_util.tree_map(lambda o: _random_like(o, rng), f(*args))
            check_grads(lambda *a: vjp(f, *a)[1](cotangent), args, order - 1, ("rev",), atol, eps, rng)
