"""threefry2x32: the counter-based random bit generator under jaxlite's (future) PRNG keys.

Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
SC 2011): a pure function of a 2x32-bit key and 2x32-bit counters, so random numbers are
reproducible, splittable and differentiable-free values like any other.
"""

import numpy as np

from ..core import ShapedArray
from ..transforms.ad import defjvp_zero
from ._primitives import standard_primitive

__all__ = ["threefry2x32_p", "threefry2x32"]

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_PARITY = np.uint32(0x1BD11BDA)


def _rotate_left(x, r):
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _threefry2x32_impl(key0, key1, x0, x1):
    key0, key1, x0, x1 = (np.asarray(a, np.uint32) for a in (key0, key1, x0, x1))
    key0, key1, x0, x1 = np.broadcast_arrays(key0, key1, x0, x1)
    schedule = (key0, key1, key0 ^ key1 ^ _PARITY)
    with np.errstate(over="ignore"):
        x0, x1 = x0 + schedule[0], x1 + schedule[1]
        for block in range(5):
            for r in _ROTATIONS[block % 2]:
                x0 = x0 + x1
                x1 = _rotate_left(x1, r) ^ x0
            x0 = x0 + schedule[(block + 1) % 3]
            x1 = x1 + schedule[(block + 2) % 3] + np.uint32(block + 1)
    return [x0, x1]


def _threefry2x32_rule(key0, key1, x0, x1):
    for a in (key0, key1, x0, x1):
        if a.dtype != np.uint32:
            raise TypeError(f"threefry2x32: operands must be uint32, got {a.dtype}")
    if key0.shape != () or key1.shape != ():
        raise ValueError(f"threefry2x32: keys must be scalars, got shapes {key0.shape} and {key1.shape}")
    if x0.shape != x1.shape:
        raise ValueError(f"threefry2x32: counters must share a shape, got {x0.shape} and {x1.shape}")
    return [ShapedArray(x0.shape, np.uint32), ShapedArray(x0.shape, np.uint32)]


threefry2x32_p = standard_primitive("threefry2x32", _threefry2x32_impl, _threefry2x32_rule, multiple_results=True)
defjvp_zero(threefry2x32_p)


def threefry2x32(key, counts):
    """Random bits: `key` a pair of uint32 scalars, `counts` a pair of uint32 arrays."""
    return tuple(threefry2x32_p.bind(key[0], key[1], counts[0], counts[1]))
