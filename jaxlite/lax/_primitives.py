"""Helpers shared by the primitive tables of jaxlite.lax."""

from ..core import Primitive

__all__ = ["standard_primitive", "check_axes", "static_int_tuple"]


def standard_primitive(name, impl, abstract_eval, multiple_results=False):
    """A primitive with its NumPy impl and its shape/dtype rule."""
    prim = Primitive(name, multiple_results)
    prim.def_impl(impl)
    prim.def_abstract_eval(abstract_eval)
    return prim


def static_int_tuple(values):
    """Params are plain Python ints in tuples, so jaxprs print and hash like JAX's."""
    return tuple(int(v) for v in values)


def check_axes(primitive_name, axes, ndim, unique=True):
    for axis in axes:
        if not 0 <= axis < ndim:
            raise ValueError(f"{primitive_name}: axis {axis} is out of range for an array of rank {ndim}")
    if unique and len(set(axes)) != len(axes):
        raise ValueError(f"{primitive_name}: repeated axis in {axes}")

