"""The on-disk cache of generated modules.

A module's source is written to `<cache dir>/jl_<hash>.py`, the hash covering the source, the
code generator's version and the versions of Numba, llvmlite and NumPy, and imported from
there; its kernels use numba.njit(cache=True), so Numba keeps their machine code beside it and
a second process loads it instead of compiling. Files are written to a temporary name and
renamed into place (atomic), so concurrent processes and forked workers never see a partial
file. With the cache disabled (config jaxlite_cache_dir = "") or unwritable, the module is
compiled in memory.
"""

import hashlib
import importlib.util
import os
import sys
import tempfile

import llvmlite
import numba
import numpy as np

from ...config import config

__all__ = ["load_module", "cache_dir"]


def cache_dir():
    return config.jaxlite_cache_dir


def _key(source, codegen_version):
    versions = f"{codegen_version}|{numba.__version__}|{llvmlite.__version__}|{np.__version__}|{sys.version_info[:2]}"
    return hashlib.sha256(f"{versions}\n{source}".encode()).hexdigest()[:32]


def _write_atomically(path, text):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp_", suffix=".py")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _from_file(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Numba looks kernels' globals up through their module's name
    spec.loader.exec_module(module)
    return module


def _in_memory(source, name):
    module = type(sys)(name)
    sys.modules[name] = module
    exec(compile(source.replace("cache=True", "cache=False"), f"<{name}>", "exec"), module.__dict__)
    return module


def load_module(source, codegen_version, globals_=None):
    """Import the module with this source (from the disk cache when possible); `globals_` are
    set on it before any of its functions run (the NumPy fallbacks)."""
    key = _key(source, codegen_version)
    name = f"jl_{key}"
    directory = cache_dir()
    module = None
    if directory:
        try:
            os.makedirs(directory, exist_ok=True)
            path = os.path.join(directory, f"{name}.py")
            if not os.path.exists(path):
                _write_atomically(path, source)
            module = _from_file(path, name)
        except OSError:
            module = None
    if module is None:
        module = _in_memory(source, name)
    for k, v in (globals_ or {}).items():
        setattr(module, k, v)
    return module
