"""stop_gradient: the identity, with a zero derivative."""

from ..transforms.ad import defjvp_zero
from ._primitives import standard_primitive

__all__ = ["stop_gradient_p", "stop_gradient"]

stop_gradient_p = standard_primitive("stop_gradient", lambda x: x, lambda x: x)
defjvp_zero(stop_gradient_p)


def stop_gradient(x):
    """`x`, treated as a constant by differentiation (pytrees of arrays too)."""
    from .. import tree_util

    return tree_util.tree_map(stop_gradient_p.bind, x)
