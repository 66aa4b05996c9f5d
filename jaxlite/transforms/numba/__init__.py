"""The Numba backend of jit (compiler.py). Importing this package does not import Numba: the
lowering registries (lowering.py) are filled at jaxlite import time, Numba is loaded by the
first compile."""

__all__ = ["compile_jaxpr"]


def compile_jaxpr(jaxpr, name="jit"):
    from .compiler import compile_jaxpr as compile_

    return compile_(jaxpr, name)
