"""jaxlite.numpy.fft and lax.fft against numpy.fft: eager and traced values, shapes and dtypes;
derivatives against finite differences (and the transposes by the adjoint identity); vmap
against a loop; jit against eager; bad input."""

import itertools
import warnings

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from helpers import assert_like_numpy, traced
from jaxlite import lax
from jaxlite.core import Array
from jaxlite.test_util import check_grads

REAL_DTYPES = [np.float32, np.float64]
COMPLEX_DTYPES = [np.complex64, np.complex128]
ALL_DTYPES = REAL_DTYPES + COMPLEX_DTYPES
OTHER_DTYPES = [np.bool_, np.int32, np.float16]  # NumPy's conversions (and its irfft keeping float16)
NORMS = [None, "backward", "ortho", "forward"]
ONE_DIM = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
N_DIM = ["fftn", "ifftn", "rfftn", "irfftn", "fft2", "ifft2", "rfft2", "irfft2"]
REAL_INPUT = {"rfft", "ihfft", "rfftn", "rfft2"}


def sample(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    values = rng.standard_normal(shape)
    if dtype.kind == "c":
        values = values + 1j * rng.standard_normal(shape)
    return (values * 3 if dtype.kind in "iu" else values).astype(dtype)


def tolerance(dtype):
    """(rtol, atol): results are sums of O(1) terms, so atol scales with the precision."""
    if np.dtype(dtype) == np.float16:  # NumPy computes the norm factor in float16
        return 1e-3, 1e-3
    single = np.dtype(dtype) in (np.dtype(np.float32), np.dtype(np.complex64))
    return (2e-5, 2e-4) if single else (1e-11, 1e-11)


def compare(fname, x, **kwargs):
    """jaxlite.numpy.fft.<fname> eagerly and traced against numpy.fft's."""
    np_fn, jl_fn = getattr(np.fft, fname), getattr(jnp.fft, fname)
    expected = np_fn(x, **kwargs)
    rtol, atol = tolerance(x.dtype)
    assert_like_numpy(jl_fn(Array(x), **kwargs), expected, rtol, atol, err_msg=f"eager {fname}{kwargs}:")
    got = traced(lambda a: jl_fn(a, **kwargs))(x)
    assert_like_numpy(got, expected, rtol, atol, err_msg=f"traced {fname}{kwargs}:")


# ---------------------------------------------------------------- values against NumPy

ONE_DIM_CASES = [  # (shape, n, axis)
    ((6,), None, -1), ((5,), 3, 0), ((5,), 8, -1), ((3, 4), None, 0), ((3, 4), 7, 1), ((2, 3, 4), 2, 1),
    ((2, 3, 5), None, -2), ((1,), None, 0), ((4, 2), 1, 0),
]


def _function_dtype_pairs(names):
    """(function, input dtype) pairs; complex input to the real-input functions is left out
    (NumPy refuses it: test_bad_input checks that error)."""
    return [pytest.param(f, d, id=f"{d.__name__ if isinstance(d, type) else np.dtype(d).name}-{f}")
            for f in names for d in ALL_DTYPES + OTHER_DTYPES
            if not (f in REAL_INPUT and np.dtype(d).kind == "c")]


@pytest.mark.parametrize("fname, dtype", _function_dtype_pairs(ONE_DIM))
def test_one_dimensional(fname, dtype):
    for k, ((shape, n, axis), norm) in enumerate(zip(ONE_DIM_CASES, itertools.cycle(NORMS))):
        if fname in ("irfft", "hfft") and n is None and shape[axis] == 1:
            continue  # NumPy: 0 output points
        compare(fname, sample(shape, dtype, k), n=n, axis=axis, norm=norm)


N_DIM_CASES = [  # (shape, s, axes)
    ((4, 6), None, None), ((3, 4, 5), None, None), ((3, 4, 5), None, (0, 2)), ((3, 4, 5), None, (-1, 0)),
    ((3, 4), (5, 3), (0, 1)), ((2, 3, 4), (2, -1), (2, 1)), ((3, 4), (6,), (0,)), ((5,), None, None),
    ((2, 3, 4), (3, 4), (-2, -1)), ((3, 4), None, (1, 1)), ((3, 4), None, (0, 1, 0)),
]
TWO_DIM_CASES = [((4, 6), None, (-2, -1)), ((2, 3, 4), (5, 3), (-2, -1)), ((3, 4, 5), None, (0, 2)), ((3, 4), (2, 6), (1, 0))]


@pytest.mark.parametrize("fname, dtype", _function_dtype_pairs(N_DIM))
def test_n_dimensional(fname, dtype):
    cases = TWO_DIM_CASES if fname.endswith("2") else N_DIM_CASES
    for k, ((shape, s, axes), norm) in enumerate(zip(cases, itertools.cycle(NORMS))):
        kwargs = {"norm": norm, **({} if s is None else {"s": s}), **({} if axes is None else {"axes": axes})}
        compare(fname, sample(shape, dtype, k), **kwargs)


def test_n_dimensional_edge_cases():
    x = sample((3, 4), np.float64)
    compare("fftn", x, axes=())  # NumPy returns the input
    compare("fftn", np.asarray(2.5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        compare("fftn", x, s=(5,))  # s without axes: the last len(s) axes (deprecated)
        compare("irfftn", x.astype(complex), s=(3, 5))
    with pytest.warns(DeprecationWarning):
        traced(lambda a: jnp.fft.fftn(a, s=(5,)))(x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@pytest.mark.parametrize("fname", ["fftfreq", "rfftfreq"])
def test_frequencies(fname, dtype):
    np_fn, jl_fn = getattr(np.fft, fname), getattr(jnp.fft, fname)
    for n, d in itertools.product([1, 2, 5, 8], [1.0, 0.25, np.float32(0.1), 3]):
        d = np.asarray(d, dtype)[()] if dtype is not np.int64 else d
        assert_like_numpy(jl_fn(n, d), np_fn(n, d), err_msg=f"{fname}({n}, {d!r})")
        assert_like_numpy(jl_fn(n, d=d, dtype=np.float32), np_fn(n, d).astype(np.float32))
        got = traced(lambda d: jl_fn(n, d))(np.asarray(d))  # a traced spacing
        assert_like_numpy(got, np_fn(n, np.asarray(d)), rtol=1e-6 if np.asarray(d).dtype == np.float32 else 1e-14)
    assert jl_fn(4, device="cpu").shape == np_fn(4).shape
    with pytest.raises(ValueError, match="device"):
        jl_fn(4, device="gpu")
    with pytest.raises(ValueError, match="dtype"):
        jl_fn(4, dtype=np.int32)


def test_frequency_gradient():
    f = lambda d: jnp.sum(jnp.fft.fftfreq(6, d) ** 2)  # noqa: E731
    expected = np.sum(np.fft.fftfreq(6, 1.0) ** 2) * -2 / 0.5 ** 3
    np.testing.assert_allclose(jaxlite.grad(f)(0.5), expected, rtol=1e-12)


@pytest.mark.parametrize("fname", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("axes", [None, 0, -1, (0, 2), (1, 1), [2, 0]])
def test_shifts(fname, axes):
    for dtype in (np.float64, np.complex64, np.int32):
        x = sample((3, 4, 5), dtype)
        compare(fname, x, axes=axes)


# ---------------------------------------------------------------- bad input


BAD_INPUT = [  # (fname, argument, keywords, exception, message)
    ("fft", (4,), {"norm": "both"}, ValueError, "norm"),
    ("irfftn", (3, 4), {"norm": "x"}, ValueError, "norm"),
    ("fft", (4,), {"n": 0}, ValueError, "Invalid number of FFT data points"),
    ("irfft", (1,), {}, ValueError, "Invalid number of FFT data points"),
    ("fftn", (3, 4), {"s": (2, 0), "axes": (0, 1)}, ValueError, "Invalid number"),
    ("fft", (3, 4), {"axis": 2}, IndexError, None),
    ("fftn", (3, 4), {"s": (4, 5), "axes": (0,)}, ValueError, "different lengths"),
    ("fftn", (3, 4), {"axes": (0, 3)}, IndexError, None),
    ("fft", (4,), {"n": 2.5}, TypeError, None),
    ("rfft", (4,), {"_complex": True}, TypeError, None),
    ("rfftn", (3, 4), {"axes": ()}, IndexError, None),
]


@pytest.mark.parametrize("fname, shape, kwargs, exception, match", BAD_INPUT, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_INPUT)])
def test_bad_input(fname, shape, kwargs, exception, match):
    kwargs = dict(kwargs)
    x = sample(shape, np.complex128 if kwargs.pop("_complex", False) else np.float64)
    fn = getattr(jnp.fft, fname)
    with pytest.raises(exception, match=match):
        getattr(np.fft, fname)(x, **kwargs)  # NumPy agrees
    with pytest.raises(exception, match=match):
        fn(Array(x), **kwargs)
    with pytest.raises(exception, match=match):
        jaxlite.make_jaxpr(lambda a: fn(a, **kwargs))(x)


def test_out():
    x, out = sample((4,), np.complex128), jnp.zeros(4, np.complex128)
    assert jnp.fft.fft(Array(x), out=out) is out
    np.testing.assert_allclose(np.asarray(out), np.fft.fft(x))
    with pytest.raises(TypeError, match="out"):
        jaxlite.make_jaxpr(lambda a: jnp.fft.fft(a, out=out))(x)


def test_primitive_checks():
    x = sample((3, 4), np.complex128)
    bad = [(x, "RFFT", (4,), TypeError, "RFFT"), (x.real, "FFT", (4,), TypeError, "FFT"),
           (x, "FFT", (5,), ValueError, "trailing"), (x, "IRFFT", (4,), ValueError, "trailing"),  # IRFFT wants 4//2+1
           (x, "DCT", (4,), ValueError, "fft_type"), (x, "FFT", (0,), ValueError, "positive"),
           (x, "FFT", (2, 3, 4), ValueError, "positive")]
    for operand, fft_type, lengths, exception, match in bad:
        with pytest.raises(exception, match=match):
            jaxlite.make_jaxpr(lambda a: lax.fft(a, fft_type, lengths))(operand)
    assert lax.fft(Array(x.astype(np.complex64)), "IRFFT", (3, 6)).dtype == np.float32
    assert "fft[fft_type=FFT fft_lengths=(3, 4)] a" in str(jaxlite.make_jaxpr(lambda a: lax.fft(a, "FFT", (3, 4)))(x))


# ---------------------------------------------------------------- derivatives

PRIMITIVE_CASES = [  # (fft_type, fft_lengths, operand shape)
    ("FFT", (5,), (2, 5)), ("IFFT", (3, 4), (3, 4)), ("RFFT", (6,), (2, 6)), ("RFFT", (5,), (5,)),
    ("RFFT", (3, 4), (2, 3, 4)), ("IRFFT", (6,), (2, 4)), ("IRFFT", (5,), (3,)), ("IRFFT", (3, 5), (2, 3, 3)),
    ("IRFFT", (2, 4), (2, 3)),
]


@pytest.mark.parametrize("fft_type, lengths, shape", PRIMITIVE_CASES)
def test_transpose_is_adjoint(fft_type, lengths, shape):
    """<A t, ct> == <t, A^T ct> under the pairing Re(sum(a * b)), on random t and ct."""
    x = sample(shape, np.float64 if fft_type == "RFFT" else np.complex128)
    f = lambda a: lax.fft(a, fft_type, lengths)  # noqa: E731
    y, vjp = jaxlite.vjp(f, Array(x))
    ct = sample(y.shape, y.dtype, 1)
    (x_bar,) = vjp(Array(ct))
    assert x_bar.dtype == x.dtype and x_bar.shape == x.shape
    t = sample(shape, x.dtype, 2)
    lhs = np.real(np.sum(np.asarray(x_bar) * t))
    rhs = np.real(np.sum(ct * np.asarray(f(Array(t)))))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


GRAD_CASES = [  # (fname, input dtype, shape, keywords)
    ("fft", np.complex128, (5,), {}), ("fft", np.float64, (2, 4), {"n": 6, "axis": 0, "norm": "ortho"}),
    ("ifft", np.complex128, (3, 4), {"n": 3, "norm": "forward"}),
    ("rfft", np.float64, (6,), {}), ("rfft", np.float64, (3, 5), {"axis": 0, "norm": "ortho"}),
    ("rfft", np.float64, (5,), {"n": 8, "norm": "forward"}),
    ("irfft", np.complex128, (4,), {}), ("irfft", np.complex128, (2, 4), {"n": 5, "norm": "ortho"}),
    ("irfft", np.complex128, (3, 3), {"n": 6, "axis": 0, "norm": "forward"}),
    ("irfft", np.float64, (4,), {"n": 7}),
    ("hfft", np.complex128, (4,), {"norm": "ortho"}), ("ihfft", np.float64, (5,), {"n": 6}),
    ("fftn", np.complex128, (3, 4), {"norm": "ortho"}), ("ifft2", np.complex128, (2, 3, 4), {"s": (3, 5)}),
    ("rfftn", np.float64, (3, 4), {}), ("rfft2", np.float64, (2, 3, 4), {"norm": "forward"}),
    ("irfftn", np.complex128, (3, 4), {}), ("irfft2", np.complex128, (2, 3, 3), {"s": (4, 5), "norm": "ortho"}),
    ("fftn", np.complex128, (3, 4), {"axes": (1, 1)}), ("fftshift", np.float64, (3, 4), {}),
]


@pytest.mark.parametrize("fname, dtype, shape, kwargs", GRAD_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GRAD_CASES)])
def test_derivatives(fname, dtype, shape, kwargs):
    fn = getattr(jnp.fft, fname)
    check_grads(lambda a: fn(a, **kwargs), (sample(shape, dtype),), order=2, modes=("fwd", "rev"))


def test_real_gradient():
    """d/dx of sum |rfft(x)|^2 (= a Parseval-weighted 2 n x), and in float32."""
    for dtype in (np.float64, np.float32):
        x = sample((6,), dtype)
        g = jaxlite.grad(lambda a: jnp.sum(jnp.abs(jnp.fft.fft(a)) ** 2))(Array(x))
        assert g.dtype == dtype
        np.testing.assert_allclose(np.asarray(g), 2 * 6 * x, rtol=1e-4 if dtype is np.float32 else 1e-12)
    check_grads(lambda a: jnp.sum(jnp.abs(jnp.fft.rfft(a, norm="ortho")) ** 2), (sample((7,), np.float64),), order=2)


# ---------------------------------------------------------------- vmap and jit

VMAP_CASES = [  # (fname, input dtype, example shape, keywords)
    ("fft", np.complex128, (5,), {}), ("ifft", np.float64, (3, 4), {"axis": 0, "n": 5, "norm": "ortho"}),
    ("rfft", np.float32, (3, 6), {}), ("irfft", np.complex64, (4, 3), {"axis": 0, "norm": "forward"}),
    ("hfft", np.complex128, (3, 4), {"n": 5}), ("ihfft", np.float64, (6,), {}),
    ("fftn", np.complex128, (3, 4), {}), ("ifftn", np.complex128, (2, 3, 4), {"axes": (0, 2)}),
    ("rfftn", np.float64, (3, 4), {"s": (4, 5), "axes": (0, 1)}), ("irfftn", np.complex128, (3, 4), {}),
    ("fft2", np.float64, (3, 4), {}), ("ifft2", np.complex128, (3, 4), {"norm": "forward"}),
    ("rfft2", np.float64, (4, 5), {}), ("irfft2", np.complex128, (4, 3), {"s": (4, 4)}),
    ("fftshift", np.float64, (3, 4), {}), ("ifftshift", np.float64, (3, 5), {"axes": 1}),
]


@pytest.mark.parametrize("fname, dtype, shape, kwargs", VMAP_CASES, ids=[c[0] for c in VMAP_CASES])
def test_vmap(fname, dtype, shape, kwargs):
    rng = np.random.default_rng(len(fname))
    fn = getattr(jnp.fft, fname)
    examples = [sample(shape, dtype, k) for k in range(3)]
    expected = np.stack([np.asarray(fn(Array(x), **kwargs)) for x in examples])
    for _ in range(2):
        axis = int(rng.integers(-len(shape) - 1, len(shape) + 1))
        batched = Array(np.stack(examples, axis))
        got = jaxlite.vmap(lambda a: fn(a, **kwargs), in_axes=axis)(batched)
        assert_like_numpy(got, expected, *tolerance(dtype), err_msg=f"in_axes={axis}:")
    # vmap of a derivative, and of a transform with an unbatched operand mixed in
    grad_fn = jaxlite.grad(lambda a: jnp.sum(jnp.abs(fn(a, **kwargs)) ** 2))
    looped = np.stack([np.asarray(grad_fn(Array(x))) for x in examples])
    np.testing.assert_allclose(np.asarray(jaxlite.vmap(grad_fn)(Array(np.stack(examples)))), looped, *tolerance(dtype))


def test_jit():
    x, c = sample((3, 8), np.float64), sample((3, 5), np.complex64)
    functions = [
        (lambda a: jnp.fft.irfft(jnp.fft.rfft(a) * 2.0, n=8), x),
        (lambda a: jnp.abs(jnp.fft.fftshift(jnp.fft.fft2(a, norm="ortho"))) ** 2 + 1.0, x),
        (lambda a: jnp.fft.ifft(a, n=6, axis=0), c),
        (lambda a: jnp.fft.hfft(jnp.sin(a)), c),
    ]
    for f, arg in functions:
        expected = f(Array(arg))
        assert_like_numpy(jaxlite.jit(f)(Array(arg)), np.asarray(expected), *tolerance(arg.dtype))
    g = jaxlite.jit(jaxlite.grad(lambda a: jnp.sum(jnp.fft.rfft(a).real * jnp.cos(a[:, :5]))))
    eager = jaxlite.grad(lambda a: jnp.sum(jnp.fft.rfft(a).real * jnp.cos(a[:, :5])))(Array(x))
    np.testing.assert_allclose(np.asarray(g(Array(x))), np.asarray(eager), rtol=1e-12, atol=1e-12)
