"""Hoisting per-step matrix products out of scans.

A scan body equation that reads only the loop constants and the current slice of `xs` (not the
carry) computes the same thing whatever the loop has done so far, so it can run for every step
at once before the loop. For a `dot_general` this turns `length` small BLAS calls (one
matrix-vector product per step, as `U @ x_t` in an RNN) into one matrix-matrix product over the
stacked `xs`, which the loop then reads row by row like any other `xs`. The batched version of
the hoisted equations comes from vmap (the batching rules), so any batchable equation may be
hoisted; only dot_general and the equations feeding one are, because hoisting cheap elementwise
work would just add a pass over memory.
"""

from ...core import Eqn, Jaxpr, Literal, Var, eval_jaxpr, trace_to_jaxpr
from ..batching import primitive_batchers, vmap_flat
from ..jaxpr_util import has_effects
from .passes import _substitute, inline_eqns

__all__ = ["hoist_scan_products"]


def hoist_scan_products(jaxpr):
    """`jaxpr` with every scan's hoistable matrix products computed before the loop."""
    if not any(e.primitive.name == "scan" for e in jaxpr.eqns):
        return jaxpr
    eqns = []
    for eqn in jaxpr.eqns:
        eqns.extend(_hoist(eqn) if eqn.primitive.name == "scan" else [eqn])
    return Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.outvars, eqns)


def _hoisted_eqns(body, num_consts, num_carry):
    """The body equations to hoist: dot_generals reading only constants, literals and per-step
    values (xs slices and results of other such equations), with the ones they depend on."""
    consts = set(body.invars[:num_consts])
    per_step = set(body.invars[num_consts + num_carry:])
    candidates = {}  # outvar -> eqn, for equations that could run before the loop
    for eqn in body.eqns:
        operands = [v for v in eqn.invars if type(v) is not Literal]
        if (any(v in per_step for v in operands) and all(v in per_step or v in consts for v in operands)
                and eqn.primitive in primitive_batchers and not has_effects(eqn)
                and not any(isinstance(p, Jaxpr) for p in eqn.params.values())):
            per_step.update(eqn.outvars)
            candidates.update((v, eqn) for v in eqn.outvars)
    chosen, stack = set(), [e for e in candidates.values() if e.primitive.name == "dot_general"]
    while stack:
        eqn = stack.pop()
        if id(eqn) not in chosen:
            chosen.add(id(eqn))
            stack.extend(candidates[v] for v in eqn.invars if type(v) is not Literal and v in candidates)
    return [e for e in body.eqns if id(e) in chosen]


def _hoist(eqn):
    p = eqn.params
    body, nc, nk = hoist_scan_products(p["jaxpr"]), p["num_consts"], p["num_carry"]
    hoisted = _hoisted_eqns(body, nc, nk) if p["length"] else []
    unchanged = [eqn] if body is p["jaxpr"] else [Eqn(eqn.primitive, eqn.invars, eqn.outvars, {**p, "jaxpr": body})]
    if not hoisted:
        return unchanged
    hoisted_ids = {id(e) for e in hoisted}
    rest = [e for e in body.eqns if id(e) not in hoisted_ids]
    defined = {v for e in hoisted for v in e.outvars}
    used_later = {v for e in rest for v in e.invars if type(v) is not Literal} | set(body.outvars)
    results = [v for e in hoisted for v in e.outvars if v in used_later]
    used = {v for e in hoisted for v in e.invars if type(v) is not Literal} - defined
    # The hoisted equations as a jaxpr of the constants and xs slices they read.
    body_ins = [v for v in body.invars if v in used]
    outer_ins = [o for v, o in zip(body.invars, eqn.invars) if v in used]
    per_step_jaxpr = Jaxpr([], body_ins, results, hoisted)
    in_dims = [0 if k >= nc + nk else None for k, v in enumerate(body.invars) if v in used]
    stacked = trace_to_jaxpr(
        lambda *args: vmap_flat(lambda *a: eval_jaxpr(per_step_jaxpr, [], *a), args, in_dims, p["length"],
                                "scan hoisting"),
        [o.aval for o in outer_ins], "scan hoisting")
    if stacked.consts:  # a batching rule made an array constant: not worth new inputs
        return unchanged
    before, stacked_outs = inline_eqns(stacked.jaxpr, outer_ins)
    env = {v: Var(v.aval) for v in results}
    rest = [Eqn(e.primitive, [_substitute(v, env) for v in e.invars], e.outvars, e.params) for e in rest]
    outvars = [_substitute(v, env) for v in body.outvars]
    # xs no longer read by the body are dropped from the loop
    still_read = {v for e in rest for v in e.invars if type(v) is not Literal} | set(outvars)
    kept = [k < nc + nk or v in still_read for k, v in enumerate(body.invars)]
    invars = [v for v, keep in zip(body.invars, kept) if keep] + list(env.values())
    operands = [o for o, keep in zip(eqn.invars, kept) if keep] + stacked_outs
    new_body = Jaxpr([], invars, outvars, rest)
    return [*before, Eqn(eqn.primitive, operands, eqn.outvars, {**p, "jaxpr": new_body})]

