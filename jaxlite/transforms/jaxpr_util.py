"""Jaxpr-to-jaxpr utilities the transforms share: closure conversion, dead-code elimination and
the effects test. (Partial evaluation is ad.partial_eval_jaxpr.)"""

from ..core import Jaxpr, Literal

__all__ = ["closure_convert", "dce_jaxpr", "has_effects"]


def closure_convert(closed):
    """A ClosedJaxpr's constants as leading inputs: returns (jaxpr without constvars, consts)."""
    jaxpr = closed.jaxpr
    return Jaxpr([], [*jaxpr.constvars, *jaxpr.invars], jaxpr.outvars, jaxpr.eqns), list(closed.consts)


def _is_var(v):
    return type(v) is not Literal


def has_effects(eqn):
    """Whether `eqn` has an effect (a debug callback): its own, or one inside a jaxpr it holds."""
    if eqn.primitive.effectful:
        return True
    for value in eqn.params.values():
        for inner in value if isinstance(value, tuple) else (value,):
            if isinstance(inner, Jaxpr) and any(has_effects(e) for e in inner.eqns):
                return True
    return False


def dce_jaxpr(jaxpr, used_outputs=None):
    """`jaxpr` without the equations no (used) output depends on and that have no effect.
    Inputs are all kept.
    Returns the new jaxpr; `used_outputs` (a bool per output) drops unused outputs too."""
    outvars = jaxpr.outvars if used_outputs is None else [v for v, u in zip(jaxpr.outvars, used_outputs) if u]
    live = {v for v in outvars if _is_var(v)}
    kept = []
    for eqn in reversed(jaxpr.eqns):
        if any(v in live for v in eqn.outvars) or has_effects(eqn):
            kept.append(eqn)
            live.update(v for v in eqn.invars if _is_var(v))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, outvars, kept[::-1])
