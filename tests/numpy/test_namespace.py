"""The namespace: every Array API elementwise function, with the standard's signature."""

import inspect
import os

import numpy as np
import pytest

import jaxlite.numpy as jnp

# The Array API 2025.12 elementwise functions and how many positional-only arrays each takes.
ARRAY_API_ELEMENTWISE = {
    **dict.fromkeys(
        "abs acos acosh asin asinh atan atanh bitwise_invert ceil conj cos cosh exp expm1 floor imag "
        "isfinite isinf isnan log log1p log2 log10 logical_not negative positive real reciprocal round "
        "sign signbit sin sinh square sqrt tan tanh trunc".split(),
        1,
    ),
    **dict.fromkeys(
        "add atan2 bitwise_and bitwise_left_shift bitwise_or bitwise_right_shift bitwise_xor copysign "
        "divide equal floor_divide greater greater_equal hypot less less_equal logaddexp logical_and "
        "logical_or logical_xor maximum minimum multiply nextafter not_equal pow remainder subtract".split(),
        2,
    ),
}


@pytest.mark.parametrize("name", sorted(ARRAY_API_ELEMENTWISE))
def test_array_api_elementwise_function_exists_and_runs(name):
    fn = getattr(jnp, name)
    nin = ARRAY_API_ELEMENTWISE[name]
    args = [jnp.asarray(np.linspace(0.1, 0.9, 4))] * nin
    if name.startswith("bitwise"):
        args = [jnp.arange(4)] * nin
    result = fn(*args)
    assert result.shape == (4,)
    params = list(inspect.signature(fn).parameters.values())
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert len(positional) >= nin, f"{name} takes {nin} positional arrays"


def test_clip_has_the_array_api_keywords():
    assert jnp.clip(jnp.arange(5.0), min=1, max=3).tolist() == [1, 1, 2, 3, 3]


def test_version_and_inspection_namespace():
    assert jnp.__array_api_version__ == "2025.12"
    info = jnp.__array_namespace_info__()
    assert info.default_dtypes()["real floating"] == np.float64
    assert info.default_dtypes()["integral"] == np.int64
    assert set(info.dtypes(kind="real floating")) == {"float32", "float64"}
    assert info.capabilities()["boolean indexing"] is True
    assert info.devices() == (info.default_device(),)


@pytest.mark.parametrize("name", ["bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                  "float16", "float32", "float64", "complex64", "complex128"])
def test_scalar_types_are_dtypes_and_callables(name):
    scalar_type, dtype = getattr(jnp, name), np.dtype(getattr(np, name))
    assert scalar_type == dtype and dtype == scalar_type and hash(scalar_type) == hash(dtype)
    assert {scalar_type: 1}[dtype] == 1
    assert scalar_type != None and None != scalar_type  # noqa: E711 (though np.dtype(None) is float64)
    assert scalar_type != {"name": "e"} and scalar_type != "not a dtype"
    assert np.dtype(scalar_type) == dtype and jnp.zeros(2, scalar_type).dtype == dtype
    value = scalar_type(1)
    assert isinstance(value, jnp.ndarray) and value.dtype == dtype and value.shape == ()
    assert jnp.isdtype(scalar_type, jnp.__array_namespace_info__().dtypes()[dtype.name]) if name != "float16" else True


def test_scalar_type_call_under_a_transform():
    import jaxlite

    printed = str(jaxlite.make_jaxpr(lambda x: jnp.float32(x) * 2)(1.0))
    assert "convert_element_type[new_dtype=float32" in printed and "mul b 2.0:f32[]" in printed


def test_isdtype_rejects_arrays():
    with pytest.raises(TypeError, match="must be a dtype"):
        jnp.isdtype(jnp.ones(2), "real floating")


# ---------------------------------------------------------------- the NumPy surface

_API_LIST = os.path.join(os.path.dirname(__file__), "numpy_api.txt")  # a copy of ../shared/numpy_api.txt
_SECTION_NAMESPACES = {"numpy.functions": jnp, "numpy.constants": jnp, "numpy.types": jnp,
                       "numpy.linalg": jnp.linalg, "numpy.fft": jnp.fft}


def _api_sections():
    sections, current = {}, None
    with open(_API_LIST) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), [])
            else:
                current.append(line)
    return sections


@pytest.mark.parametrize("section", sorted(_SECTION_NAMESPACES))
def test_every_name_of_the_numpy_api_list_exists(section):
    names = _api_sections()[section]
    namespace = _SECTION_NAMESPACES[section]
    missing = [name for name in names if not hasattr(namespace, name)]
    assert not missing, f"missing from {namespace.__name__}: {missing}"


def test_the_numpy_api_list_has_only_known_sections():
    assert set(_api_sections()) == set(_SECTION_NAMESPACES)
