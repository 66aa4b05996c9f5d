"""sort: sorts operands together along one axis by their first `num_keys` operands.

NumPy's order: NaNs last, complex numbers by real then imaginary part.
"""

import numpy as np

from ._primitives import check_axes, standard_primitive

__all__ = ["sort_p"]


def _sort_impl(*operands, dimension, is_stable, num_keys):
    kind = "stable" if is_stable else None
    if len(operands) == 1:
        return [np.sort(operands[0], axis=dimension, kind=kind)]
    if num_keys == 1:
        perm = np.argsort(operands[0], axis=dimension, kind=kind)
    else:
        moved = [np.moveaxis(k, dimension, -1) for k in operands[:num_keys]]
        perm = np.moveaxis(np.lexsort(moved[::-1], axis=-1), -1, dimension)
    return [np.take_along_axis(x, perm, axis=dimension) for x in operands]


def _sort_rule(*operands, dimension, is_stable, num_keys):
    if not 1 <= num_keys <= len(operands):
        raise ValueError(f"sort: num_keys={num_keys} must be between 1 and the {len(operands)} operands")
    shape = operands[0].shape
    check_axes("sort", (dimension,), len(shape))
    if any(x.shape != shape for x in operands):
        raise ValueError("sort: operands must share a shape, got " + ", ".join(str(x.shape) for x in operands))
    return list(operands)


sort_p = standard_primitive("sort", _sort_impl, _sort_rule, multiple_results=True)
