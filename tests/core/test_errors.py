"""The errors users meet first, each with a message that says what to do instead."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp


def trace(f, *args):
    return jaxlite.make_jaxpr(f)(*args)


def test_python_if_on_a_traced_value():
    def f(x):
        if x.sum() > 0:
            return x
        return -x

    with pytest.raises(jaxlite.TracerBoolConversionError, match=r"(?s)traced bool\[\] of make_jaxpr\(f\).*where.*cond.*static"):
        trace(f, np.ones(3))


def test_bool_conversion_error_is_a_concretization_error():
    assert issubclass(jaxlite.TracerBoolConversionError, jaxlite.ConcretizationTypeError)
    assert issubclass(jaxlite.ConcretizationTypeError, TypeError)


def test_traced_value_where_a_shape_is_needed():
    with pytest.raises(jaxlite.ConcretizationTypeError, match=r"arange\(\) argument '\w+' must be concrete"):
        trace(lambda n: jnp.arange(n), 3)
    with pytest.raises(jaxlite.ConcretizationTypeError, match=r"zeros\(\) argument 'shape' must be concrete"):
        trace(lambda n: jnp.zeros(n), 3)


def test_numpy_conversion_of_a_tracer():
    with pytest.raises(jaxlite.TracerArrayConversionError, match="use jaxlite.numpy functions"):
        trace(lambda x: np.asarray(x), np.ones(3))
    with pytest.raises(jaxlite.TracerArrayConversionError):
        trace(lambda x: np.sin(x), np.ones(3))


@pytest.mark.parametrize("convert", [float, int, complex])
def test_python_number_conversion_of_a_tracer(convert):
    with pytest.raises(jaxlite.ConcretizationTypeError, match=rf"{convert.__name__}\(\) needs a concrete value"):
        trace(lambda x: convert(x), 1.0)


def test_tracer_as_a_python_index():
    with pytest.raises(jaxlite.TracerIntegerConversionError, match="Python integer"):
        trace(lambda i: [1, 2, 3][i], 1)


def test_leaked_tracer_used_later():
    leaked = []
    trace(lambda x: leaked.append(x) or x, np.ones(3))
    with pytest.raises(jaxlite.UnexpectedTracerError, match="leaked out"):
        jnp.sin(leaked[0])
    with pytest.raises(jaxlite.UnexpectedTracerError, match="make_jaxpr"):
        trace(lambda y: y + leaked[0], np.ones(3))


def test_tracers_are_unhashable():
    with pytest.raises(TypeError, match="unhashable"):
        trace(lambda x: {x: 1}, 1.0)
    with pytest.raises(TypeError, match="unhashable"):
        hash(jnp.ones(3))


def test_broadcast_mismatch_names_the_shapes_eagerly_and_traced():
    with pytest.raises(ValueError, match=r"\(3,\) \(4,\)"):
        jnp.add(jnp.ones(3), jnp.ones(4))
    with pytest.raises(ValueError, match=r"add: operands could not be broadcast together with shapes \(3,\) \(4,\)"):
        trace(jnp.add, np.ones(3), np.ones(4))


def test_matmul_mismatch_names_the_shapes_eagerly_and_traced():
    with pytest.raises(ValueError, match="matmul"):
        jnp.ones((2, 3)) @ jnp.ones((4, 2))
    with pytest.raises(ValueError, match=r"(?s)matmul.*\(2, 3\).*\(4, 2\)"):
        trace(jnp.matmul, np.ones((2, 3)), np.ones((4, 2)))


@pytest.mark.parametrize("bad", [np.array(["a"]), np.array([object()]), np.zeros(2, "datetime64[s]")])
def test_unsupported_dtypes_raise_type_error(bad):
    with pytest.raises(TypeError):
        jnp.asarray(bad)


def test_writing_a_traced_value_into_an_outside_array():
    outside = jnp.zeros(3)

    def f(x):
        outside[0] = x
        return x

    with pytest.raises(TypeError, match=r"x = x.at\[index\].set\(value\)"):
        trace(f, 1.0)
    assert np.asarray(outside).tolist() == [0.0, 0.0, 0.0]


def test_item_assignment_on_a_tracer_is_functionalized():
    def f(x):
        x[1] = 5.0
        return x

    closed = trace(f, np.ones(3))
    assert "scatter" in str(closed) or "dynamic_update_slice" in str(closed)
    (out,) = closed(np.ones(3))
    assert np.asarray(out).tolist() == [1.0, 5.0, 1.0]
