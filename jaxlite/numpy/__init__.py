"""jaxlite.numpy: NumPy's API, differentiable, batchable and compilable.

`import jaxlite.numpy as np` and write NumPy code. Eagerly every function runs on NumPy;
under a transform it is a composition of jaxlite.lax primitives.
"""

import numpy as _np

from ..core import Array
from . import _array_methods
from ._contractions import *  # noqa: F403
from ._contractions import __all__ as _contractions_all
from ._creation import *  # noqa: F403
from ._creation import __all__ as _creation_all
from ._einsum import *  # noqa: F403
from ._einsum import __all__ as _einsum_all
from ._index_functions import *  # noqa: F403
from ._index_functions import __all__ as _index_functions_all
from ._indexing import *  # noqa: F403
from ._indexing import __all__ as _indexing_all
from ._info import __array_namespace_info__
from ._manipulation import *  # noqa: F403
from ._manipulation import __all__ as _manipulation_all
from ._order_statistics import *  # noqa: F403
from ._order_statistics import __all__ as _order_statistics_all
from ._ranges import *  # noqa: F403
from ._ranges import __all__ as _ranges_all
from ._rearranging import *  # noqa: F403
from ._rearranging import __all__ as _rearranging_all
from ._reductions import *  # noqa: F403
from ._reductions import __all__ as _reductions_all
from ._searching import *  # noqa: F403
from ._searching import __all__ as _searching_all
from ._sorting import *  # noqa: F403
from ._sorting import __all__ as _sorting_all
from ._ufuncs import *  # noqa: F403
from ._ufuncs import __all__ as _ufuncs_all
from ._predicates import *  # noqa: F403
from ._predicates import __all__ as _predicates_all
from ._sets import *  # noqa: F403
from ._sets import __all__ as _sets_all
from ._io import *  # noqa: F403
from ._io import __all__ as _io_all
from ._functional import *  # noqa: F403
from ._functional import __all__ as _functional_all
from ._index_tricks import *  # noqa: F403
from ._index_tricks import __all__ as _index_tricks_all
from ._signal import *  # noqa: F403
from ._signal import __all__ as _signal_all
from ._statistics import *  # noqa: F403
from ._statistics import __all__ as _statistics_all
from ._polynomial import *  # noqa: F403
from ._polynomial import __all__ as _polynomial_all

__array_api_version__ = "2025.12"

ndarray = Array

# Dtypes, their categories and the promotion functions.
from ..dtypes import can_cast, finfo, iinfo, isdtype, issubdtype, promote_types, result_type  # noqa: E402
from ._scalar_types import ScalarType as _ScalarType  # noqa: E402

bool_ = _ScalarType(_np.bool_)
int8, int16, int32, int64 = _ScalarType(_np.int8), _ScalarType(_np.int16), _ScalarType(_np.int32), _ScalarType(_np.int64)
uint8, uint16 = _ScalarType(_np.uint8), _ScalarType(_np.uint16)
uint32, uint64 = _ScalarType(_np.uint32), _ScalarType(_np.uint64)
float16, float32, float64 = _ScalarType(_np.float16), _ScalarType(_np.float32), _ScalarType(_np.float64)
complex64, complex128 = _ScalarType(_np.complex64), _ScalarType(_np.complex128)

bool = bool_  # noqa: A001  (the Array API's name)
dtype = _np.dtype
int_ = int64
uint = uint64
single, double = float32, float64
csingle, cdouble = complex64, complex128
generic, number, integer, signedinteger, unsignedinteger = _np.generic, _np.number, _np.integer, _np.signedinteger, _np.unsignedinteger
inexact, floating, complexfloating, character, flexible = _np.inexact, _np.floating, _np.complexfloating, _np.character, _np.flexible
object_ = _np.object_

# Constants.
e, pi, inf, nan, euler_gamma = _np.e, _np.pi, _np.inf, _np.nan, _np.euler_gamma
newaxis = None

_array_methods.install()

__all__ = sorted({
    *_contractions_all, *_creation_all, *_einsum_all, *_index_functions_all, *_indexing_all,
    *_manipulation_all, *_order_statistics_all, *_ranges_all, *_rearranging_all, *_reductions_all,
    *_searching_all, *_sorting_all, *_ufuncs_all, *_predicates_all, *_sets_all, *_io_all,
    *_functional_all, *_index_tricks_all, *_signal_all, *_statistics_all, *_polynomial_all,
    "ndarray", "bool", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
    "uint64", "float16", "float32", "float64", "complex64", "complex128", "can_cast", "finfo",
    "iinfo", "isdtype", "issubdtype", "promote_types", "result_type", "dtype", "e", "pi", "inf",
    "nan", "newaxis", "__array_namespace_info__", "__array_api_version__",
})
from . import fft  # noqa: E402  (jaxlite.numpy.fft)
from . import linalg  # noqa: E402  (jaxlite.numpy.linalg; last: it uses the namespace above)
