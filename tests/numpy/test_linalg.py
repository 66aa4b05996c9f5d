"""jaxlite.numpy.linalg against numpy.linalg: values, shapes, dtypes and result namedtuples,
eagerly and traced (make_jaxpr + eval_jaxpr), over batch shapes, dtypes and keyword arguments;
bad input raising NumPy's exceptions (eagerly and traced); LAPACK failures (errors eagerly, NaN
traced); derivatives against finite differences; and the namespace and row coverage."""

import os
import warnings

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
import numpy_rows_linalg
from helpers import assert_like_numpy, traced
from jaxlite.core import Array
from jaxlite.test_util import check_grads

L = jnp.linalg
DTYPES = [np.float32, np.float64, np.complex64, np.complex128, np.int64]
BATCHES = [(), (2,), (2, 3)]
INF = np.inf


def sample(shape, dtype, seed=0, kind="general"):
    """Random values; "square" adds n to the diagonal (well conditioned), "pd" makes x x^H + n I."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        x = rng.integers(-3, 4, shape).astype(np.float64)
    else:
        x = rng.standard_normal(shape) + (1j * rng.standard_normal(shape) if dtype.kind == "c" else 0)
    if kind != "general" and shape[-1]:
        if kind == "pd":
            x = x @ np.conj(np.swapaxes(x, -1, -2))
        x = x + shape[-1] * np.eye(shape[-1])
    return x.astype(dtype)


def tolerance(*arrays):
    single = all(np.dtype(a.dtype) in (np.dtype(np.float32), np.dtype(np.complex64)) for a in arrays)
    return (2e-4, 2e-4) if single else (1e-8, 1e-10)


def compare(fname, *args, check_dtype=True, **kwargs):
    """jaxlite.numpy.linalg.<fname> eagerly and traced against numpy.linalg's (or NumPy's error)."""
    np_fn, jl_fn = getattr(np.linalg, fname), getattr(L, fname)
    where = f"{fname}{tuple(np.shape(a) for a in args)} {[np.asarray(a).dtype.name for a in args]} {kwargs}"
    try:
        expected = np_fn(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the same class must be raised
        with pytest.raises(type(error)):
            jl_fn(*map(Array, args), **kwargs)
        with pytest.raises(type(error)):
            traced(lambda *a: jl_fn(*a, **kwargs))(*args)
        return
    got = jl_fn(*map(Array, args), **kwargs)
    assert isinstance(got, tuple) == isinstance(expected, tuple), where
    if isinstance(expected, tuple):
        assert type(got).__name__ == type(expected).__name__ and getattr(got, "_fields", None) == getattr(
            expected, "_fields", None), where
    rtol, atol = tolerance(*args)
    assert_like_numpy(got, expected, rtol, atol, check_dtype, err_msg=f"eager {where}:")
    got = traced(lambda *a: jl_fn(*a, **kwargs))(*args)
    assert_like_numpy(got, expected, rtol, atol, check_dtype, err_msg=f"traced {where}:")


# ---------------------------------------------------------------- square matrices

SQUARE_CASES = {  # name -> keyword-argument sets
    "inv": [{}], "det": [{}], "slogdet": [{}], "eigvalsh": [{}, {"UPLO": "U"}, {"UPLO": "u"}],
    "eigh": [{}, {"UPLO": "U"}], "matrix_rank": [{}, {"hermitian": True}, {"tol": 0.5}, {"rtol": 0.3}],
    "cond": [{}, {"p": 2}, {"p": -2}, {"p": 1}, {"p": -1}, {"p": INF}, {"p": -INF}, {"p": "fro"}, {"p": "nuc"}],
    "svd": [{"hermitian": True}, {"hermitian": True, "compute_uv": False}],
    "pinv": [{"hermitian": True}],
}


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("fname", sorted(SQUARE_CASES))
def test_square(fname, dtype):
    for seed, (batch, n) in enumerate([(b, n) for b in BATCHES for n in (3, 1, 0)]):
        # eigh & co. read one triangle: a general matrix checks which; pd matrices for hermitian SVDs
        kind = "pd" if fname in ("svd", "pinv", "matrix_rank") else "square"
        x = sample((*batch, n, n), dtype, seed, kind)
        for kwargs in SQUARE_CASES[fname]:
            compare(fname, x, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_cholesky(dtype):
    for seed, batch in enumerate(BATCHES):
        x = sample((*batch, 3, 3), dtype, seed, "pd")
        x[..., 0, 2] += 5  # the triangle not read
        compare("cholesky", x)
        compare("cholesky", np.swapaxes(x, -1, -2).copy(), upper=True)
    compare("cholesky", sample((0, 0), dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_solve(dtype):
    for seed, (a_batch, b_shape) in enumerate([
        ((), (3,)), ((), (3, 2)), ((2,), (3,)), ((2,), (2, 3, 1)), ((2, 1), (4, 3, 2)), ((2,), (3, 4)), ((), (3, 0)),
    ]):
        a = sample((*a_batch, 3, 3), dtype, seed, "square")
        compare("solve", a, sample(b_shape, dtype, seed + 1))
        compare("solve", a, sample(b_shape, np.float32, seed + 2))  # mixed dtypes
    compare("solve", sample((0, 0), dtype), sample((0,), dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_matrix_power(dtype):
    for seed, batch in enumerate(BATCHES):
        x = sample((*batch, 3, 3), dtype, seed, "square")
        for n in (0, 1, 2, 3, 5, 8, -1, -3):
            if n < 0 and np.dtype(dtype).kind in "iu":
                continue  # NumPy: inv of an integer matrix is float, then multiplied; checked for float
            compare("matrix_power", x, n=n)


def test_eig():
    """eig/eigvals: NumPy's values, always complex (NumPy: real when every eigenvalue is)."""
    for seed, dtype in enumerate(DTYPES):
        single = np.dtype(dtype) in (np.dtype(np.float32), np.dtype(np.complex64))
        for batch in BATCHES:
            for x in (sample((*batch, 3, 3), dtype, seed, "square"), np.triu(sample((*batch, 3, 3), dtype, seed))):
                expected = np.linalg.eig(x)
                for run in (lambda f: f(Array(x)), lambda f: traced(f)(x)):
                    w, v = got = run(L.eig)
                    assert type(got).__name__ == "EigResult"
                    assert w.dtype == v.dtype == (np.complex64 if single else np.complex128)
                    assert_like_numpy(got, expected, *tolerance(x), check_dtype=False)
                    assert_like_numpy(run(L.eigvals), expected.eigenvalues, *tolerance(x), check_dtype=False)
                    assert run(L.eigvals).dtype == w.dtype


# ---------------------------------------------------------------- rectangular matrices

RECT_CASES = {
    "svd": [{}, {"full_matrices": False}, {"compute_uv": False}],
    "svdvals": [{}], "qr": [{}, {"mode": "complete"}, {"mode": "r"}],
    "pinv": [{}, {"rcond": 0.3}, {"rtol": None}, {"rtol": 0.4}],
    "matrix_rank": [{}, {"rtol": 0.5}], "cond": [{}, {"p": -2}],
    "norm": [{"axis": (-2, -1), "ord": o} for o in (None, "fro", "nuc", 1, -1, 2, -2, INF, -INF)],
    "matrix_norm": [{}, {"keepdims": True, "ord": 2}, {"ord": -INF}, {"ord": "nuc", "keepdims": True}],
}


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("fname", sorted(RECT_CASES))
def test_rectangular(fname, dtype):
    shapes = [(4, 3), (3, 4), (2, 4, 3), (2, 1, 3, 2), (1, 1), (0, 3), (2, 3, 0)]
    for seed, shape in enumerate(shapes):
        x = sample(shape, dtype, seed)
        for kwargs in RECT_CASES[fname]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # empty reductions, as NumPy's
                compare(fname, x, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_lstsq(dtype):
    for seed, (a_shape, b_shape) in enumerate([
        ((4, 3), (4,)), ((4, 3), (4, 2)), ((3, 4), (3,)), ((3, 3), (3, 2)), ((0, 2), (0,)), ((3, 2), (3, 0)),
    ]):
        a, b = sample(a_shape, dtype, seed), sample(b_shape, dtype, seed + 1)
        compare("lstsq", a, b)
        compare("lstsq", a, b, rcond=1e-3)
    rank_deficient = np.outer(np.arange(1.0, 5.0), [1.0, 2.0, 3.0]).astype(dtype)
    assert int(L.lstsq(Array(rank_deficient), Array(np.ones(4)))[2]) == 1
    x, _, rank, _ = traced(L.lstsq)(rank_deficient, np.ones(4))
    assert int(rank) == 1
    np.testing.assert_allclose(x, np.linalg.lstsq(rank_deficient, np.ones(4))[0], rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------- norms

VECTOR_ORDS = [None, 2, 1, 0, -1, -2, 3, 0.5, INF, -INF]


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # negative orders of zeros, as NumPy
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_norm(dtype):
    x = sample((2, 3, 4), dtype)
    compare("norm", x)
    compare("norm", x, keepdims=True)
    compare("norm", x[0], ord="fro", keepdims=True)
    compare("norm", x[0, 0], ord=2)
    compare("norm", x[0, 0] * 0)
    for seed, ord in enumerate(VECTOR_ORDS):
        for axis in (0, -1, (1,)):
            compare("norm", x, ord=ord, axis=axis, keepdims=seed % 2 == 0)
        compare("norm", x[0, 0], ord=ord)
    for ord in ("fro", "nuc", 1, 2, INF):
        compare("norm", x, ord=ord, axis=(2, 0), keepdims=True)
        compare("norm", x[0], ord=ord)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # negative orders of zeros, as NumPy
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_vector_norm(dtype):
    x = sample((2, 3, 4), dtype)
    for ord in VECTOR_ORDS[1:]:
        compare("vector_norm", x, ord=ord)
        compare("vector_norm", x, ord=ord, axis=1, keepdims=True)
        compare("vector_norm", x, ord=ord, axis=(0, -1))
        compare("vector_norm", x, ord=ord, axis=(2, 0), keepdims=True)
    compare("vector_norm", sample((0, 3), dtype), axis=0)
    compare("vector_norm", np.asarray(sample((1,), dtype)[0]))


def test_norm_of_bool_and_float16():
    compare("norm", np.array([True, False, True]))
    compare("vector_norm", np.array([[1, -2], [3, 4]], np.int8), ord=1)
    compare("norm", np.ones((2, 2), np.float16), ord="fro")


# ---------------------------------------------------------------- products and the Array API functions


def test_multi_dot():
    shapes = [[(4,), (4, 2)], [(3, 4), (4, 5), (5,)], [(4,), (4, 10), (10, 2), (2,)],
              [(3, 10), (10, 2), (2, 8), (8, 1)],
              [(2, 3), (3, 4), (4, 5), (5, 6), (6, 2)], [(6, 2), (2, 5), (5, 1)]]
    for seed, group in enumerate(shapes):
        arrays = [sample(s, np.float64, seed + k) for k, s in enumerate(group)]
        expected = np.linalg.multi_dot(arrays)
        assert_like_numpy(L.multi_dot([Array(a) for a in arrays]), expected)
        assert_like_numpy(traced(lambda *a: L.multi_dot(list(a)))(*arrays), expected, 1e-12, 1e-12)
    for seed in range(20):  # the traced path multiplies in NumPy's optimal order
        dims = np.random.default_rng(seed).integers(1, 30, 6)
        shapes = [(int(m), int(n)) for m, n in zip(dims[:-1], dims[1:])]
        ours, numpys = L._chain_order(shapes), np.linalg._linalg._multi_dot_matrix_chain_order(
            [np.empty(s) for s in shapes])
        pairs = [(i, j) for i in range(len(shapes)) for j in range(i + 1, len(shapes))]
        assert [ours[i][j] for i, j in pairs] == [numpys[i, j] for i, j in pairs]
    out = Array(np.empty((3, 2), np.float32))
    arrays = [sample(s, np.float32, 0) for s in [(3, 4), (4, 2), (2, 2)]]
    assert L.multi_dot([Array(a) for a in arrays], out=out) is out
    np.testing.assert_allclose(np.asarray(out), np.linalg.multi_dot(arrays), rtol=1e-5)


def test_tensorinv_and_tensorsolve():
    a = sample((6, 6), np.float64, 0, "square")
    compare("tensorinv", a.reshape(6, 2, 3), ind=1)
    compare("tensorinv", a.reshape(2, 3, 6))
    compare("tensorinv", a.reshape(2, 3, 3, 2), ind=2)
    compare("tensorsolve", a.reshape(2, 3, 6), sample((2, 3), np.float32))
    compare("tensorsolve", a.reshape(2, 3, 2, 3), sample((2, 3), np.float64))
    compare("tensorsolve", a.reshape(3, 2, 6), sample((6,), np.float64), axes=(0,))
    compare("tensorsolve", a.reshape(6, 2, 3).astype(np.complex64), sample((6,), np.complex64))


ARRAY_API_CASES = [  # (name, argument shapes, dtype, kwargs)
    ("cross", [(4, 3), (3,)], np.float64, {}), ("cross", [(3, 2), (3, 1)], np.int64, {"axis": 0}),
    ("cross", [(2, 3), (2, 3)], np.complex128, {}),
    ("outer", [(3,), (4,)], np.float32, {}), ("outer", [(0,), (2,)], np.complex64, {}),
    ("tensordot", [(2, 3, 4), (3, 4, 5)], np.float64, {}), ("tensordot", [(2, 3), (3, 4)], np.int64, {"axes": 1}),
    ("tensordot", [(2, 3), (2, 3)], np.float32, {"axes": ((0, 1), (0, 1))}),
    ("matmul", [(2, 3, 4), (4, 2)], np.float64, {}), ("matmul", [(3,), (2, 3, 4)], np.complex128, {}),
    ("vecdot", [(3, 4), (4,)], np.complex128, {}), ("vecdot", [(3, 4), (3, 1)], np.float32, {"axis": 0}),
    ("diagonal", [(3, 4)], np.float64, {}), ("diagonal", [(2, 3, 4)], np.int64, {"offset": -1}),
    ("diagonal", [(2, 3, 4)], np.float32, {"offset": 5}),
    ("trace", [(3, 4)], np.float64, {}), ("trace", [(2, 3, 4)], np.int8, {"offset": 1}),
    ("trace", [(2, 3, 3)], np.float32, {"dtype": np.float64}), ("trace", [(2, 3, 3)], np.uint8, {}),
    ("matrix_transpose", [(2, 3, 4)], np.complex64, {}), ("matrix_transpose", [(0, 2)], np.int64, {}),
]


@pytest.mark.parametrize("case", ARRAY_API_CASES, ids=lambda c: f"{c[0]}-{c[1]}-{c[3]}")
def test_array_api_functions(case):
    fname, shapes, dtype, kwargs = case
    compare(fname, *[sample(s, dtype, k) for k, s in enumerate(shapes)], **kwargs)


# ---------------------------------------------------------------- bad input

BAD_INPUT = [  # (exception, function, arguments); raised eagerly and traced
    (L.LinAlgError, L.inv, (np.ones(3),)),
    (L.LinAlgError, L.inv, (np.ones((2, 3)),)),
    (L.LinAlgError, L.det, (np.ones((3, 2)),)),
    (L.LinAlgError, L.slogdet, (np.ones(2),)),
    (L.LinAlgError, L.cholesky, (np.ones((2, 3)),)),
    (L.LinAlgError, L.eigh, (np.ones((2, 3)),)),
    (L.LinAlgError, L.eigvals, (np.ones((1, 2)),)),
    (L.LinAlgError, L.svd, (np.ones(3),)),
    (L.LinAlgError, L.qr, (np.ones(3),)),
    (L.LinAlgError, L.solve, (np.ones((2, 3)), np.ones(2))),
    (L.LinAlgError, L.lstsq, (np.ones((2, 2, 2)), np.ones(2))),
    (L.LinAlgError, L.lstsq, (np.ones((3, 2)), np.ones(2))),
    (L.LinAlgError, L.cond, (np.ones((0, 0)),)),
    (L.LinAlgError, L.matrix_power, (np.ones((2, 3)), 2)),
    (L.LinAlgError, L.multi_dot, ([np.ones((2, 2)), np.ones((2, 2, 2)), np.ones(2)],)),
    (L.LinAlgError, L.tensorsolve, (np.ones((2, 3, 4)), np.ones((2, 3)))),
    (ValueError, L.solve, (np.eye(3), np.ones(2))),
    (ValueError, L.solve, (np.eye(3), np.ones((2, 3)))),
    (ValueError, L.solve, (np.ones((2, 3, 3)), np.ones((3, 3, 1)))),
    (ValueError, L.eigh, (np.eye(2), "X")),
    (ValueError, L.qr, (np.eye(2), "X")),
    (ValueError, L.norm, (np.ones(3), "fro")),
    (ValueError, L.norm, (np.ones((2, 2)), 3)),
    (ValueError, L.norm, (np.ones((2, 2, 2)), None, (0, 1, 2))),
    (ValueError, L.norm, (np.ones((2, 2)), None, (1, 1))),
    (ValueError, L.matrix_norm, (np.ones((2, 2)), False, "foo")),
    (ValueError, L.vector_norm, (np.ones((2, 2)), None, False, "fro")),
    (ValueError, L.multi_dot, ([np.ones(2)],)),
    (ValueError, L.outer, (np.ones((2, 2)), np.ones(2))),
    (ValueError, L.cross, (np.ones(2), np.ones(2))),
    (ValueError, L.tensorinv, (np.eye(4).reshape(2, 2, 2, 2), 0)),
    (ValueError, L.pinv, (np.eye(2), 0.1, False, 0.1)),
    (ValueError, L.matrix_rank, (np.eye(2), 0.1, False, 0.1)),
    (ValueError, L.matrix_transpose, (np.ones(3),)),
    (ValueError, L.diagonal, (np.ones(3),)),
    (TypeError, L.inv, (np.eye(2, dtype=np.float16),)),
    (TypeError, L.solve, (np.eye(2), np.ones(2, np.float16))),
    (TypeError, L.svd, (np.array([["a", "b"]]),)),
    (TypeError, L.matrix_power, (np.eye(2), 1.5)),
    (TypeError, L.norm, (np.ones(3), None, "a")),
    (np.exceptions.AxisError, L.norm, (np.ones(3), None, 1)),
    (np.exceptions.AxisError, L.vector_norm, (np.ones(3), (0, 1))),
]
_KEYWORDS = {"pinv": ("rcond", "hermitian", "rtol"), "matrix_rank": ("tol", "hermitian", "rtol"),
             "matrix_norm": ("keepdims", "ord"), "vector_norm": ("axis", "keepdims", "ord")}


def _call(fn, args):
    names = _KEYWORDS.get(fn.__name__)
    if names:
        return fn(args[0], **dict(zip(names, args[1:])))
    return fn(*args)


@pytest.mark.parametrize("error, fn, args", BAD_INPUT, ids=lambda v: getattr(v, "__name__", None) or "")
def test_bad_input(error, fn, args):
    with pytest.raises(error):
        _call(np.linalg.__dict__[fn.__name__], args)  # the table matches NumPy
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    with pytest.raises(error):
        _call(fn, [Array(a) if isinstance(a, np.ndarray) else a for a in args])
    if arrays and arrays[0].dtype.kind != "U":
        def f(*xs):
            xs = iter(xs)
            return _call(fn, [next(xs) if isinstance(a, np.ndarray) else a for a in args])
        with pytest.raises(error):
            jaxlite.make_jaxpr(f)(*arrays)


def test_qr_raw_and_deprecated_modes():
    x = sample((2, 4, 3), np.float64)
    h, tau = L.qr(Array(x), mode="raw")
    assert_like_numpy((h, tau), np.linalg.qr(x, mode="raw"))
    with pytest.raises(NotImplementedError, match="eagerly only"):
        jaxlite.make_jaxpr(lambda a: L.qr(a, mode="raw"))(x)
    with pytest.warns(DeprecationWarning):
        q = traced(lambda a: L.qr(a, mode="full"))(x)
    assert_like_numpy(q, np.linalg.qr(x), 1e-10, 1e-12)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_lapack_failures_raise_eagerly_and_give_nan_traced():
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    for fn, args in [(L.solve, (singular, np.ones(2))), (L.inv, (singular,)), (L.cholesky, (-np.eye(2),)),
                     (lambda a: L.tensorinv(a, ind=1), (singular,))]:
        with pytest.raises(L.LinAlgError):
            fn(*map(Array, args))
        assert np.isnan(np.asarray(traced(fn)(*args))).all()
    stack = np.stack([np.eye(2), singular])
    got = np.asarray(jaxlite.vmap(L.inv)(Array(stack)))
    np.testing.assert_array_equal(got[0], np.eye(2))
    assert np.isnan(got[1]).all()
    for fn in (L.det, traced(L.det)):
        assert float(fn(singular)) == 0.0
    for fn in (L.slogdet, traced(L.slogdet)):
        sign, logabsdet = fn(singular)
        assert float(sign) == 0.0 and float(logabsdet) == -np.inf
    for fn in (L.cond, traced(L.cond), traced(lambda a: L.cond(a, 1))):
        assert float(fn(np.diag([1.0, 0.0]))) == np.inf


# ---------------------------------------------------------------- derivatives


def _pd(x):
    return x @ x.T + 3 * np.eye(x.shape[-1])


def _sym(f):
    return lambda x: f(x + jnp.swapaxes(x, -1, -2))


_R = np.random.default_rng(7)
_SQ = _R.standard_normal((3, 3)) + 3 * np.eye(3)
_BATCH = _R.standard_normal((2, 3, 3)) + 3 * np.eye(3)
_RECT = _R.standard_normal((4, 3))
_VEC = _R.standard_normal(3)
GRAD_CASES = {  # label -> (function, arguments); float64, to second order, forward and reverse
    "solve": (L.solve, (_BATCH, _R.standard_normal((2, 3, 2)))),
    "solve-vector": (L.solve, (_SQ, _VEC)),
    "inv": (L.inv, (_BATCH,)),
    "det": (L.det, (_BATCH,)),
    "slogdet": (lambda x: L.slogdet(x).logabsdet, (_BATCH,)),
    "cholesky": (lambda x: L.cholesky(x, upper=True), (_pd(_SQ),)),
    "qr": (L.qr, (_RECT,)),
    "qr-r": (lambda x: L.qr(x, mode="r"), (_RECT.T,)),
    "svd": (lambda x: (lambda r: (r.S, r.U @ r.Vh))(L.svd(x, False)), (_RECT,)),  # U Vh: free of signs
    "svd-values": (lambda x: L.svd(x, compute_uv=False), (_RECT,)),
    "svd-hermitian": (lambda x: L.svd(x, hermitian=True).S, (_pd(_SQ),)),
    "svdvals": (L.svdvals, (_RECT.T,)),
    "eigh": (lambda x: (lambda r: (r.eigenvalues, r.eigenvectors * r.eigenvectors))(L.eigh(x)), (_SQ,)),
    "eigh-upper": (lambda x: L.eigh(x, UPLO="U").eigenvalues, (_SQ,)),
    "eigvalsh": (_sym(L.eigvalsh), (_BATCH,)),
    "lstsq": (lambda a, b: L.lstsq(a, b)[0], (_RECT, _R.standard_normal(4))),
    "lstsq-residuals": (lambda a, b: L.lstsq(a, b)[1], (_RECT, _R.standard_normal((4, 2)))),
    "pinv": (L.pinv, (_RECT,)),
    "pinv-hermitian": (lambda x: L.pinv(x, hermitian=True), (_pd(_SQ),)),
    "norm": (L.norm, (_BATCH,)),
    "norm-nuc": (lambda x: L.norm(x, "nuc"), (_SQ,)),
    "norm-2": (lambda x: L.norm(x, 2, axis=(0, 2)), (_BATCH,)),
    "norm-vector-3": (lambda x: L.norm(x, 3, axis=1), (_RECT,)),
    "norm-inf": (lambda x: L.norm(x, INF), (_SQ,)),
    "vector_norm": (lambda x: L.vector_norm(x, axis=(0, 1), keepdims=True), (_BATCH,)),
    "matrix_norm": (lambda x: L.matrix_norm(x, ord=-2), (_BATCH,)),
    "matrix_norm-1": (lambda x: L.matrix_norm(x, ord=1), (_SQ,)),
    "matrix_power": (lambda x: L.matrix_power(x, 3), (_SQ,)),
    "matrix_power-negative": (lambda x: L.matrix_power(x, -2), (_SQ,)),
    "cond": (L.cond, (_BATCH,)),
    "cond-fro": (lambda x: L.cond(x, "fro"), (_SQ,)),
    "multi_dot": (lambda a, b, c: L.multi_dot([a, b, c]), (_VEC, _SQ, _RECT.T)),
    "tensorinv": (lambda x: L.tensorinv(x, ind=1), ((_R.standard_normal((6, 6)) + 6 * np.eye(6)).reshape(6, 2, 3),)),
    "tensorsolve": (L.tensorsolve, ((_R.standard_normal((6, 6)) + 6 * np.eye(6)).reshape(2, 3, 6),
                                    _R.standard_normal((2, 3)))),
    "cross": (L.cross, (_RECT, _VEC)),
    "outer": (L.outer, (_VEC, _R.standard_normal(4))),
    "tensordot": (lambda a, b: L.tensordot(a, b, axes=1), (_RECT, _SQ)),
    "matmul": (L.matmul, (_BATCH, _RECT.T)),
    "vecdot": (L.vecdot, (_RECT, _VEC)),
    "diagonal": (lambda x: L.diagonal(x, offset=1), (_BATCH,)),
    "trace": (L.trace, (_BATCH,)),
    "matrix_transpose": (L.matrix_transpose, (_BATCH,)),
}
NOT_DIFFERENTIABLE = {
    "eig": "lax.linalg.eig has no derivative rule (JAX's is for eigenvalues only; not asked for here)",
    "eigvals": "as eig",
    "matrix_rank": "integer-valued",
}


@pytest.mark.parametrize("label", sorted(GRAD_CASES))
def test_gradients(label):
    fn, args = GRAD_CASES[label]
    check_grads(fn, args, order=2, modes=("fwd", "rev"), atol=1e-5)


@pytest.mark.parametrize("label", ["solve", "inv", "det", "norm", "eigvalsh", "pinv"])
def test_gradients_float32(label):
    fn, args = GRAD_CASES[label]
    check_grads(fn, tuple(np.asarray(a, np.float32) for a in args), order=1, modes=("fwd", "rev"), atol=2e-2,
                eps=1e-3)


def test_gradients_complex():
    x = _SQ + 1j * _R.standard_normal((3, 3))
    check_grads(lambda a: jnp.real(L.det(a) + jnp.sum(L.inv(a))), (x,), order=1, modes=("fwd", "rev"), atol=1e-5)
    check_grads(lambda a: L.norm(a) + L.slogdet(a).logabsdet, (x,), order=1, modes=("fwd", "rev"), atol=1e-5)


def test_two_norm_gradient_at_zero_is_zero():
    for fn in (L.norm, L.vector_norm, L.matrix_norm, lambda x: L.norm(x, axis=0).sum(), lambda x: L.norm(x, "fro")):
        zero = np.zeros((3, 2))
        np.testing.assert_array_equal(np.asarray(jaxlite.grad(fn)(zero)), 0.0)
        np.testing.assert_array_equal(np.asarray(jaxlite.hessian(fn)(zero)), 0.0)
    g = np.asarray(jaxlite.grad(lambda x: L.norm(x))(np.array([3.0, 4.0])))
    np.testing.assert_allclose(g, [0.6, 0.8])


def test_grad_of_sum_of_solve_matches_the_formula():
    a, b = _SQ, _VEC
    ga, gb = jaxlite.grad(lambda a, b: jnp.sum(L.solve(a, b)), argnums=(0, 1))(a, b)
    gb_expected = np.linalg.solve(a.T, np.ones(3))
    np.testing.assert_allclose(np.asarray(gb), gb_expected, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(ga), -np.outer(gb_expected, np.linalg.solve(a, b)), rtol=1e-12)


# ---------------------------------------------------------------- namespace and coverage

LINALG_NAMES = (
    "cholesky cond cross det diagonal eig eigh eigvals eigvalsh inv lstsq matmul matrix_norm matrix_power "
    "matrix_rank matrix_transpose multi_dot norm outer pinv qr slogdet solve svd svdvals tensordot tensorinv "
    "tensorsolve trace vecdot vector_norm"
).split()
_API_LIST = os.path.join(os.path.dirname(__file__), *[os.pardir] * 3, "shared", "numpy_api.txt")


def test_every_numpy_linalg_name_exists():
    if os.path.exists(_API_LIST):  # the list the issue names, when it is next to the repository
        with open(_API_LIST) as f:
            section = f.read().split("[numpy.linalg]")[1].split("[")[0].split()
        assert sorted(section) == sorted(LINALG_NAMES)
    missing = [n for n in LINALG_NAMES if not callable(getattr(L, n, None))]
    assert not missing, f"missing from jaxlite.numpy.linalg: {missing}"
    assert set(L.__all__) == set(LINALG_NAMES) | {"LinAlgError"}
    assert L.LinAlgError is np.linalg.LinAlgError and jnp.linalg is L


def test_every_function_has_rows_and_derivatives():
    rows = {row[0].removeprefix("linalg.") for row in numpy_rows_linalg.ROWS}
    assert not set(LINALG_NAMES) - rows, f"linalg functions without a vmap/jit row: {set(LINALG_NAMES) - rows}"
    graded = {label.split("-")[0] for label in GRAD_CASES} | set(NOT_DIFFERENTIABLE)
    assert not set(LINALG_NAMES) - graded, f"without a derivative check: {set(LINALG_NAMES) - graded}"


def test_signatures_match_numpy():
    import inspect

    for name in LINALG_NAMES:
        ours = inspect.signature(getattr(L, name))
        theirs = inspect.signature(getattr(np.linalg, name))
        assert [(p.name, p.kind) for p in ours.parameters.values()] == \
               [(p.name, p.kind) for p in theirs.parameters.values()], name
