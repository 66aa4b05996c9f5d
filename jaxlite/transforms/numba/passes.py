"""Jaxpr passes run before code generation: inlining of nested jit calls, scalar literal
folding, outer products as broadcast multiplies, common-subexpression elimination and
dead-code elimination."""

import numpy as np

from ...core import Eqn, Jaxpr, Literal, Var
from ..jaxpr_util import dce_jaxpr, has_effects

__all__ = ["optimize", "inline_calls", "inline_eqns", "fold_literals", "outer_products", "simplify_reshapes", "cse"]


def optimize(jaxpr):
    from .scan_hoist import hoist_scan_products

    return dce_jaxpr(hoist_scan_products(cse(simplify_reshapes(outer_products(fold_literals(inline_calls(jaxpr)))))))


def _substitute(v, env):
    return env.get(v, v) if type(v) is not Literal else v


def inline_calls(jaxpr):
    """Replace each `jit` equation by the equations of its jaxpr (nested jit is inlined)."""
    if not any(e.primitive.name == "jit" for e in jaxpr.eqns):
        return jaxpr
    eqns, env = [], {}
    for eqn in jaxpr.eqns:
        invars = [_substitute(v, env) for v in eqn.invars]
        if eqn.primitive.name != "jit":
            eqns.append(Eqn(eqn.primitive, invars, eqn.outvars, eqn.params))
            continue
        inner_eqns, inner_outs = inline_eqns(inline_calls(eqn.params["jaxpr"]), invars)
        eqns.extend(inner_eqns)
        env.update(zip(eqn.outvars, inner_outs))
    outvars = [_substitute(v, env) for v in jaxpr.outvars]
    return Jaxpr(jaxpr.constvars, jaxpr.invars, outvars, eqns)


def inline_eqns(jaxpr, args):
    """`jaxpr`'s equations with fresh variables, reading `args`: (equations, outputs)."""
    env = dict(zip(jaxpr.invars, args))
    eqns = []
    for e in jaxpr.eqns:
        outs = [Var(v.aval) for v in e.outvars]
        eqns.append(Eqn(e.primitive, [_substitute(v, env) for v in e.invars], outs, e.params))
        env.update(zip(e.outvars, outs))
    return eqns, [_substitute(v, env) for v in jaxpr.outvars]


def fold_literals(jaxpr):
    """Evaluate single-result equations whose operands are all literals into a literal (a
    Python scalar `x * 2` traced as `mul 3.0 2.0` costs nothing at run time)."""
    eqns, env = [], {}
    for eqn in jaxpr.eqns:
        invars = [_substitute(v, env) for v in eqn.invars]
        out = eqn.outvars[0] if len(eqn.outvars) == 1 else None
        if (invars and all(type(v) is Literal for v in invars) and not eqn.primitive.multiple_results
                and out.aval.shape == () and eqn.primitive.impl is not None):
            with np.errstate(all="ignore"):
                value = eqn.primitive.impl(*[np.asarray(v.val, v.aval.dtype) for v in invars], **eqn.params)
            env[out] = Literal(np.asarray(value, out.aval.dtype)[()], out.aval)
            continue
        eqns.append(Eqn(eqn.primitive, invars, eqn.outvars, eqn.params))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, [_substitute(v, env) for v in jaxpr.outvars], eqns)


def _key_of(v):
    if type(v) is Literal:
        return ("lit", repr(v.val), v.aval.dtype.str)
    return v


def _params_key(params):
    try:
        key = tuple(sorted(params.items()))
        hash(key)
        return key
    except TypeError:
        return None  # unhashable params (a jaxpr, a function): never merged


def cse(jaxpr):
    """Merge equations that apply the same primitive with the same params to the same operands."""
    eqns, env, seen = [], {}, {}
    for eqn in jaxpr.eqns:
        invars = [_substitute(v, env) for v in eqn.invars]
        params = None if has_effects(eqn) else _params_key(eqn.params)
        key = None if params is None else (eqn.primitive, tuple(_key_of(v) for v in invars), params)
        if key is not None and key in seen:
            env.update(zip(eqn.outvars, seen[key]))
            continue
        if key is not None:
            seen[key] = eqn.outvars
        eqns.append(Eqn(eqn.primitive, invars, eqn.outvars, eqn.params))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, [_substitute(v, env) for v in jaxpr.outvars], eqns)


_RESHAPES = ("reshape", "squeeze")


def simplify_reshapes(jaxpr):
    """A reshape (or squeeze) of a reshape reads the original array; a reshape to the same
    shape is the array itself."""
    eqns, env, source = [], {}, {}  # source: reshape output -> the array it reshapes
    for eqn in jaxpr.eqns:
        invars = [_substitute(v, env) for v in eqn.invars]
        if eqn.primitive.name in _RESHAPES and type(invars[0]) is not Literal:
            (out,) = eqn.outvars
            origin = source.get(invars[0], invars[0])
            if origin.aval.shape == out.aval.shape:
                env[out] = origin
                continue
            reshape = next(e for e in _reshape_eqns(eqn, origin, out))
            source[out] = origin
            eqns.append(reshape)
            continue
        eqns.append(Eqn(eqn.primitive, invars, eqn.outvars, eqn.params))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, [_substitute(v, env) for v in jaxpr.outvars], eqns)


def _reshape_eqns(eqn, origin, out):
    from ...core import primitive_by_name

    yield Eqn(primitive_by_name("reshape"), [origin], [out], {"new_sizes": tuple(out.aval.shape)})


def outer_products(jaxpr):
    """A dot_general that contracts nothing (an outer product, maybe batched) becomes a
    multiply of two broadcasts, so it fuses with the elementwise work around it (in a backward
    pass, `dW + outer(dz, h)` is then one loop)."""
    from ...core import primitive_by_name

    if not any(_broadcast_dims_of_outer(e) for e in jaxpr.eqns):
        return jaxpr
    eqns = []
    for eqn in jaxpr.eqns:
        dims = _broadcast_dims_of_outer(eqn)
        if not dims or eqn.params["preferred_element_type"] is not None:
            eqns.append(eqn)
            continue
        (out,) = eqn.outvars
        operands = []
        for v, d in zip(eqn.invars, dims):
            if v.aval.shape == out.aval.shape:  # a batch axis only: no broadcast needed
                operands.append(v)
                continue
            b = Var(out.aval.update(dtype=v.aval.dtype, weak_type=False))
            eqns.append(Eqn(primitive_by_name("broadcast_in_dim"), [v], [b],
                            {"shape": out.aval.shape, "broadcast_dimensions": d}))
            operands.append(b)
        eqns.append(Eqn(primitive_by_name("mul"), operands, [out], {}))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, jaxpr.outvars, eqns)


def _broadcast_dims_of_outer(eqn):
    """For a dot_general contracting nothing whose operands' axes land in the output in order:
    each operand's broadcast_dimensions into the output; else None."""
    if eqn.primitive.name != "dot_general":
        return None
    (lc, rc), (lb, rb) = eqn.params["dimension_numbers"]
    if lc or rc:
        return None
    lhs, rhs = (v.aval.ndim for v in eqn.invars)
    nb = len(lb)
    l_free = [d for d in range(lhs) if d not in lb]
    r_free = [d for d in range(rhs) if d not in rb]
    l_pos, r_pos = {d: k for k, d in enumerate(lb)}, {d: k for k, d in enumerate(rb)}
    l_pos.update({d: nb + k for k, d in enumerate(l_free)})
    r_pos.update({d: nb + len(l_free) + k for k, d in enumerate(r_free)})
    dims = tuple(l_pos[d] for d in range(lhs)), tuple(r_pos[d] for d in range(rhs))
    return dims if all(list(d) == sorted(d) for d in dims) else None
