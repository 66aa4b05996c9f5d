"""jaxlite: NumPy you can differentiate, batch and compile.

`import jaxlite.numpy as np` is a drop-in for NumPy; `jaxlite.make_jaxpr` shows the program a
function records, and the transforms (grad, vmap, jit) rewrite and run that program.
"""

from . import debug, dtypes, lax, numpy, tree, tree_util
from ._custom_derivatives import checkpoint, custom_jvp, custom_vjp, remat
from ._autodiff import grad, hessian, jacfwd, jacrev, jvp, linearize, value_and_grad, vjp
from ._vmap import vmap
from ._jit import jit
from .config import config
from ._make_jaxpr import ShapeDtypeStruct, make_jaxpr
from .core import (
    Array,
    ConcretizationTypeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    UnexpectedTracerError,
)

__version__ = "0.1.0"

__all__ = [
    "Array",
    "ConcretizationTypeError",
    "ShapeDtypeStruct",
    "TracerArrayConversionError",
    "TracerBoolConversionError",
    "TracerIntegerConversionError",
    "UnexpectedTracerError",
    "checkpoint",
    "config",
    "custom_jvp",
    "custom_vjp",
    "debug",
    "dtypes",
    "grad",
    "hessian",
    "jacfwd",
    "jacrev",
    "jit",
    "jvp",
    "lax",
    "linearize",
    "make_jaxpr",
    "numpy",
    "remat",
    "tree",
    "tree_util",
    "value_and_grad",
    "vjp",
    "vmap",
]
