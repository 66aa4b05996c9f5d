"""jaxlite.numpy.float32 and friends: dtypes that can also be called, as NumPy's scalar types.

`jnp.float32` is accepted wherever a dtype is (it compares and hashes equal to
`numpy.dtype('float32')`), and `jnp.float32(x)` converts `x` into a float32 jaxlite array,
under a transform too.
"""

import numpy as np

__all__ = ["ScalarType"]


class ScalarType:
    __slots__ = ("dtype", "__name__")

    def __init__(self, dtype):
        self.dtype = np.dtype(dtype)
        self.__name__ = self.dtype.name

    def __call__(self, x=0):
        from ._creation import asarray

        return asarray(x, dtype=self.dtype)

    def __eq__(self, other):
        if other is None:  # np.dtype(None) is float64, but no dtype equals None (as np.float64 != None)
            return False
        try:
            return self.dtype == np.dtype(other)
        except (TypeError, ValueError):  # np.dtype raises either for what is not a dtype
            return NotImplemented

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return f"jaxlite.numpy.{self.__name__}"
