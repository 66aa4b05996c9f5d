"""Shared test helpers: run a jaxlite function eagerly and traced, and compare with NumPy."""

import numpy as np

import jaxlite
from jaxlite import tree_util
from jaxlite.core import Array, check_jaxpr, eval_jaxpr

# Tolerances by result dtype: exact for ints/bools, ulp-level for floats.
_RTOL = {np.float16: 1e-3, np.float32: 1e-5, np.float64: 1e-12, np.complex64: 1e-5, np.complex128: 1e-12}


def to_jaxlite(tree):
    """NumPy arrays in `tree` as jaxlite Arrays (other leaves unchanged)."""
    return tree_util.tree_map(lambda x: Array(x) if isinstance(x, np.ndarray) else x, tree)


def traced(fun):
    """`fun` run through make_jaxpr then eval_jaxpr, so only primitive compositions run.

    The jaxpr is type checked on the way.
    """

    def run(*args):
        closed, shapes = jaxlite.make_jaxpr(fun, return_shape=True)(*args)
        check_jaxpr(closed.jaxpr)
        out = eval_jaxpr(closed.jaxpr, closed.consts, *tree_util.tree_leaves(to_jaxlite(args)))
        return tree_util.tree_unflatten(tree_util.tree_structure(shapes), out)

    return run


def assert_like_numpy(actual, expected, rtol=None, atol=0.0, check_dtype=True, err_msg=""):
    """`actual` (jaxlite) equals `expected` (NumPy) in shape, dtype and value (NaNs equal)."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)) and len(actual) == len(expected), err_msg
        for a, e in zip(actual, expected):
            assert_like_numpy(a, e, rtol, atol, check_dtype, err_msg)
        return
    assert isinstance(actual, Array), f"{err_msg} expected a jaxlite Array, got {type(actual).__name__}"
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{err_msg} shape {actual.shape} != NumPy's {expected.shape}"
    if check_dtype:
        assert actual.dtype == expected.dtype, f"{err_msg} dtype {actual.dtype} != NumPy's {expected.dtype}"
    if expected.dtype.kind in "fc":
        tol = _RTOL.get(expected.dtype.type, 1e-12) if rtol is None else rtol
        np.testing.assert_allclose(actual, expected, rtol=tol, atol=atol, equal_nan=True, err_msg=err_msg)
    else:
        np.testing.assert_array_equal(actual, expected, err_msg=err_msg)


def check(jax_fn, np_fn, *args, rtol=None, atol=0.0, check_dtype=True, eager=True, trace=True, **kwargs):
    """Compare `jax_fn(*args, **kwargs)` with `np_fn(...)`, eagerly and traced.

    `args` are NumPy values (arrays are passed to jaxlite as Arrays eagerly, and traced as
    abstract arguments); `kwargs` are static.
    """
    expected = np_fn(*args, **kwargs)
    if eager:
        got = jax_fn(*to_jaxlite(args), **kwargs)
        assert_like_numpy(got, expected, rtol, atol, check_dtype, err_msg="eager:")
    if trace:
        got = traced(lambda *a: jax_fn(*a, **kwargs))(*args)
        assert_like_numpy(got, expected, rtol, atol, check_dtype, err_msg="traced:")
    return expected
