"""jaxlite.numpy.__array_namespace_info__(): the Array API 2025.12 inspection namespace."""

import numpy as np
import pytest

import jaxlite.numpy as jnp

ALL_NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
             "float32", "float64", "complex64", "complex128"]

# kind -> the dtype names the standard puts in it.
KINDS = {
    "bool": ["bool"],
    "signed integer": ["int8", "int16", "int32", "int64"],
    "unsigned integer": ["uint8", "uint16", "uint32", "uint64"],
    "integral": ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"],
    "real floating": ["float32", "float64"],
    "complex floating": ["complex64", "complex128"],
    "numeric": ALL_NAMES[1:],
}


@pytest.fixture
def info():
    return jnp.__array_namespace_info__()


def test_version():
    assert jnp.__array_api_version__ == "2025.12"


def test_capabilities(info):
    assert info.capabilities() == {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}
    np.empty((1,) * info.capabilities()["max dimensions"])  # NumPy really supports that many


def test_devices_are_a_tuple_holding_the_default_and_arrays_device(info):
    assert info.devices() == (info.default_device(),)
    assert jnp.zeros(3).device == info.default_device()


def test_default_dtypes_are_numpys(info):
    for device in (None, *info.devices()):
        assert info.default_dtypes(device=device) == {
            "real floating": np.float64, "complex floating": np.complex128, "integral": np.int64, "indexing": np.int64,
        }
    assert info.default_dtypes()["real floating"] == jnp.asarray(1.0).dtype
    assert info.default_dtypes()["integral"] == jnp.asarray(1).dtype


def test_all_dtypes_by_canonical_name(info):
    table = info.dtypes()
    assert list(table) == ALL_NAMES
    for name, dtype in table.items():
        assert dtype == getattr(jnp, name) and jnp.empty(1, dtype=dtype).dtype == dtype
    assert "float16" not in table  # supported by jaxlite but not an Array API dtype


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_dtypes_of_one_kind(info, kind):
    assert sorted(info.dtypes(kind=kind)) == sorted(KINDS[kind])


def test_dtypes_of_a_tuple_of_kinds_is_their_union(info):
    assert sorted(info.dtypes(kind=("bool", "complex floating"))) == ["bool", "complex128", "complex64"]
    assert sorted(info.dtypes(kind=("integral", "real floating"))) == sorted(KINDS["integral"] + KINDS["real floating"])


def test_bad_kind_and_bad_device_raise(info):
    with pytest.raises(ValueError, match="unknown kind"):
        info.dtypes(kind="floating")
    with pytest.raises(ValueError, match="unknown device"):
        info.dtypes(device="gpu")
    with pytest.raises(ValueError, match="unknown device"):
        info.default_dtypes(device="gpu")


def test_keywords_only(info):
    with pytest.raises(TypeError):
        info.dtypes(None, "bool")
    with pytest.raises(TypeError):
        info.default_dtypes(None)
