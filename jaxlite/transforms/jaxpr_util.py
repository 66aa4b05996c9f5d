"""Jaxpr-to-jaxpr utilities the transforms share: closure conversion, dead-code elimination and
partial evaluation (splitting a jaxpr into what is known now and what must be staged)."""

from ..core import Jaxpr, Literal

__all__ = ["closure_convert", "dce_jaxpr", "has_effects", "partial_eval_jaxpr"]


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


def partial_eval_jaxpr(jaxpr, unknown_inputs):
    """Split `jaxpr` (no constvars) given which inputs are unknown.

    Returns (known, staged, out_unknown, num_residuals):
    - known(*known_inputs) -> known outputs + residuals: every equation whose operands are all
      known;
    - staged(*residuals, *unknown_inputs) -> unknown outputs: the other equations;
    - out_unknown: a bool per output of `jaxpr`.
    """
    unknown = {v for v, u in zip(jaxpr.invars, unknown_inputs) if u}
    known_eqns, staged_eqns = [], []
    for eqn in jaxpr.eqns:
        if any(_is_var(v) and v in unknown for v in eqn.invars):
            staged_eqns.append(eqn)
            unknown.update(eqn.outvars)
        else:
            known_eqns.append(eqn)
    out_unknown = [_is_var(v) and v in unknown for v in jaxpr.outvars]
    residuals = []
    seen = set()
    for eqn in staged_eqns:
        for v in eqn.invars:
            if _is_var(v) and v not in unknown and v not in seen:
                seen.add(v)
                residuals.append(v)
    known_ins = [v for v, u in zip(jaxpr.invars, unknown_inputs) if not u]
    known_outs = [v for v, u in zip(jaxpr.outvars, out_unknown) if not u]
    known = dce_jaxpr(Jaxpr([], known_ins, known_outs + residuals, known_eqns))
    unknown_ins = [v for v, u in zip(jaxpr.invars, unknown_inputs) if u]
    staged_outs = [v for v, u in zip(jaxpr.outvars, out_unknown) if u]
    staged = dce_jaxpr(Jaxpr([], residuals + unknown_ins, staged_outs, staged_eqns))
    return known, staged, out_unknown, len(residuals)
