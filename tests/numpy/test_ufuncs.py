"""Elementwise functions against NumPy: every function, dtype and broadcast, eager and traced."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import jaxlite
import jaxlite.numpy as jnp
from helpers import assert_like_numpy, check, traced
from jaxlite.numpy import _ufuncs

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float16, np.float32, np.float64, np.complex64, np.complex128]

UNARY = [n for n in _ufuncs.__all__ if isinstance(getattr(np, n, None), np.ufunc) and getattr(np, n).nin == 1]
BINARY = [n for n in _ufuncs.__all__ if isinstance(getattr(np, n, None), np.ufunc) and getattr(np, n).nin == 2]
COMPOSED = {  # not ufuncs in NumPy, or composed of other primitives in jaxlite
    "angle": 1, "real": 1, "imag": 1, "round": 1, "around": 1, "clip": 3,
}


def sample(dtype, shape=(2, 3), seed=0):
    """Values that exercise a dtype: negatives, zero, fractions, NaN/inf for floats."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -5), min(info.max, 6), size=shape, endpoint=True).astype(dtype)
    values = rng.normal(size=shape) * 3
    if dtype.kind == "c":
        values = values + 1j * rng.normal(size=shape)
    values = values.astype(dtype)
    values.flat[0] = np.nan if values.size > 3 else values.flat[0]
    values.flat[-1] = np.inf if values.size > 3 else values.flat[-1]
    return values


def has_loop(name, *dtypes):
    try:
        getattr(np, name).resolve_dtypes(tuple(np.dtype(d) for d in dtypes) + (None,) * getattr(np, name).nout)
        return True
    except TypeError:
        return False


def numpy_quiet(fn):
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)

    return quiet


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_unary_ufuncs_match_numpy(name, dtype):
    x = sample(dtype)
    if not has_loop(name, dtype):
        with pytest.raises(TypeError):
            getattr(jnp, name)(jnp.asarray(x))
        with pytest.raises(TypeError, match=getattr(jnp, name).__name__):
            traced(getattr(jnp, name))(x)
        return
    numpy_quiet(check)(getattr(jnp, name), getattr(np, name), x)


DTYPE_PAIRS = [(a, b) for a, b in itertools.product(DTYPES, DTYPES)]


@pytest.mark.parametrize("name", ["add", "multiply", "subtract", "divide", "maximum", "equal", "less",
                                  "power", "floor_divide", "remainder", "bitwise_and", "arctan2", "logaddexp"])
@pytest.mark.parametrize("dtypes", DTYPE_PAIRS, ids=lambda p: f"{np.dtype(p[0]).name}-{np.dtype(p[1]).name}")
def test_binary_promotion_matches_numpy_for_every_dtype_pair(name, dtypes):
    x, y = sample(dtypes[0], (3,), 1), sample(dtypes[1], (3,), 2)
    if name == "power" and np.dtype(dtypes[1]).kind in "iu":
        y = np.abs(y)
    if not has_loop(name, np.result_type(*dtypes), np.result_type(*dtypes)):
        with pytest.raises(TypeError):
            traced(getattr(jnp, name))(x, y)
        return
    numpy_quiet(check)(getattr(jnp, name), getattr(np, name), x, y)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", [np.bool_, np.int32, np.uint8, np.float32, np.float64, np.complex128],
                         ids=lambda d: np.dtype(d).name)
def test_every_binary_ufunc_with_broadcasting(name, dtype):
    x, y = sample(dtype, (2, 1, 3), 3), sample(dtype, (4, 1), 4)
    if name in ("left_shift", "right_shift", "power", "ldexp") and np.dtype(dtype).kind in "iu":
        y = np.abs(y) % 4
    if name == "ldexp":
        y = sample(np.int32, (4, 1), 4)
    if not has_loop(name, x.dtype, y.dtype):
        with pytest.raises(TypeError):
            traced(getattr(jnp, name))(x, y)
        return
    numpy_quiet(check)(getattr(jnp, name), getattr(np, name), x, y)


@pytest.mark.parametrize("scalar", [2, -1, 2.5, 1j, True])
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int64, np.float16, np.float32, np.float64, np.complex64],
                         ids=lambda d: np.dtype(d).name)
def test_python_scalars_are_weak(scalar, dtype):
    x = sample(dtype, (3,), 5)
    if type(scalar) is int and scalar < 0 and np.dtype(dtype).kind == "u":
        with pytest.raises(OverflowError):
            np.add(x, scalar)
        with pytest.raises(OverflowError):
            traced(lambda x: jnp.add(x, scalar))(x)
        return
    numpy_quiet(check)(lambda x: jnp.add(x, scalar), lambda x: np.add(x, scalar), x)
    numpy_quiet(check)(lambda x: scalar * x, lambda x: scalar * x, x)


def test_float32_plus_python_float_stays_float32():
    x = jnp.ones(3, dtype=jnp.float32)
    assert (x + 1.0).dtype == np.float32
    assert traced(lambda x: x + 1.0)(np.ones(3, np.float32)).dtype == np.float32


@pytest.mark.parametrize("name,args", [
    ("angle", (sample(np.complex128),)), ("angle", (sample(np.float32),)), ("angle", (sample(np.int16),)),
    ("real", (sample(np.complex64),)), ("real", (sample(np.float64),)), ("imag", (sample(np.complex128),)),
    ("imag", (sample(np.int32),)), ("round", (sample(np.float64),)), ("around", (sample(np.float32),)),
    ("clip", (sample(np.float64), -1.0, 1.0)), ("clip", (sample(np.int16), 0, 3)),
    ("clip", (sample(np.float32), None, 0.5)), ("clip", (sample(np.float32), sample(np.float32, (3,), 9), 2.0)),
    ("logical_and", (sample(np.float64), sample(np.int8))), ("logical_or", (sample(np.bool_), sample(np.bool_))),
    ("logical_xor", (sample(np.uint8), 0)), ("logical_not", (sample(np.complex64),)),
    ("positive", (sample(np.int8),)), ("deg2rad", (sample(np.float32),)), ("rad2deg", (sample(np.int64),)),
    ("fabs", (sample(np.float32),)), ("fabs", (sample(np.int8),)), ("float_power", (sample(np.int32), 2)),
    ("float_power", (sample(np.complex64), sample(np.float32))), ("divmod", (sample(np.int16), 3)),
    ("divmod", (sample(np.float64), 1.5)), ("modf", (sample(np.float32),)), ("frexp", (sample(np.float64),)),
])
def test_composed_elementwise_functions(name, args):
    np_fn = getattr(np, name)
    arrays = [a for a in args if isinstance(a, np.ndarray)]

    def call(fn):
        def run(*arrs):
            it = iter(arrs)
            return fn(*[next(it) if isinstance(a, np.ndarray) else a for a in args])

        return run

    numpy_quiet(check)(call(getattr(jnp, name)), call(np_fn), *arrays)


@pytest.mark.parametrize("decimals", [-2, -1, 0, 1, 3])
@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.float32, np.float64, np.complex128], ids=lambda d: np.dtype(d).name)
def test_round_with_decimals(decimals, dtype):
    finite = np.nan_to_num(sample(np.float64, (20,), 7), posinf=7.0) * 100
    x = finite.astype(dtype) if np.dtype(dtype).kind != "u" else np.arange(0, 250, 12, dtype=dtype)
    numpy_quiet(check)(lambda x: jnp.round(x, decimals), lambda x: np.round(x, decimals), x)


def test_out_where_and_dtype_eagerly():
    x = jnp.arange(4.0)
    out = jnp.zeros(4)
    result = jnp.add(x, 1, out=out)
    assert result is out and np.asarray(out).tolist() == [1, 2, 3, 4]
    masked = jnp.zeros(4)
    jnp.multiply(x, 10, out=masked, where=x > 1)
    assert np.asarray(masked).tolist() == [0, 0, 20, 30]
    assert jnp.add(jnp.arange(3), 1, dtype=np.float32).dtype == np.float32


def test_dtype_argument_traced():
    assert_like_numpy(traced(lambda x: jnp.add(x, 1, dtype=np.float32))(np.arange(3)), np.add(np.arange(3), 1, dtype=np.float32))


def test_out_is_rejected_inside_transforms():
    with pytest.raises(TypeError, match="out= and where= are not supported inside transformed code"):
        jaxlite.make_jaxpr(lambda x: jnp.add(x, 1, out=x))(np.ones(3))


def test_no_loop_raises_type_error_naming_the_function():
    with pytest.raises(TypeError, match="bitwise_and"):
        traced(jnp.bitwise_and)(np.ones(3), np.ones(3))
    with pytest.raises(TypeError):
        jnp.bitwise_and(jnp.ones(3), jnp.ones(3))


@settings(max_examples=40, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
    dtype=st.sampled_from([np.int16, np.float32, np.float64, np.complex64]),
    name=st.sampled_from(["add", "subtract", "multiply", "hypot", "maximum", "fmin", "not_equal", "copysign"]),
)
def test_broadcasting_property(shapes, dtype, name):
    if not has_loop(name, dtype, dtype):
        return
    x, y = (sample(dtype, s, i) for i, s in enumerate(shapes.input_shapes))
    numpy_quiet(check)(getattr(jnp, name), getattr(np, name), x, y)


def test_traced_jaxpr_of_mixed_dtypes_is_compact():
    printed = str(jaxlite.make_jaxpr(lambda x: jnp.sin(x) * 2)(np.ones(3, np.float32)))
    assert printed == "{ lambda ; a:f32[3]. let b:f32[3] = sin a; c:f32[3] = mul b 2.0:f32[] in (c,) }"


def test_aliases_are_the_same_functions():
    assert jnp.abs is jnp.absolute and jnp.pow is jnp.power and jnp.acos is jnp.arccos
    assert jnp.bitwise_invert is jnp.invert and jnp.conj is jnp.conjugate and jnp.true_divide is jnp.divide
