"""Derivative rules of the control-flow primitives (control_flow.py).

- JVP of cond, while and scan: the JVP of each branch / body, with tangents only where they can
  be nonzero (for loops, a fixpoint: a carry whose tangent is zero at entry may become nonzero);
- partial evaluation (inside linearize) of cond and scan: the known part runs now, the tangent
  part is staged with residuals (for scan, per-iteration residuals are stacked ys of the known
  scan and xs of the staged one); of while: the primal loop runs now, the whole JVP loop is staged;
- transpose of cond (each branch's backward pass) and scan (a scan the other way carrying the
  carries' cotangents and summing the constants'); while_loop has none: JAX's error.

Each derived jaxpr is cached on the jaxpr it comes from.
"""

import weakref

from ..core import Jaxpr, Var, current_trace, eval_jaxpr, get_aval, set_current_trace, trace_to_jaxpr
from ..transforms import ad
from ..transforms.ad import UndefinedPrimal, Zero
from ..transforms.jaxpr_util import closure_convert, dce_jaxpr
from .control_flow import _join_consts, cond_p, scan_p, while_p

WHILE_REVERSE_ERROR = (
    "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with traced "
    "(dynamic) bounds. Try using lax.scan, or lax.fori_loop with concrete (static) bounds."
)

# ---------------------------------------------------------------- small helpers

_DERIVED = weakref.WeakKeyDictionary()  # jaxpr -> {key: derived jaxpr(s)}


def _cached(jaxpr, key, make):
    cache = _DERIVED.setdefault(jaxpr, {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _trace(fun, avals, description):
    """`fun` traced at `avals` into (jaxpr without constvars, consts)."""
    return closure_convert(trace_to_jaxpr(fun, list(avals), description))


def _run(jaxpr, *args):
    return eval_jaxpr(jaxpr, [], *args)


def _nonzero(t):
    return type(t) is not Zero


def _pick(mask, items, keep=True):
    return [x for m, x in zip(mask, items) if bool(m) == keep]


def _merge(mask, if_true, if_false):
    """Interleave two sequences: the next of `if_true` where mask is set, else of `if_false`."""
    a, b = iter(if_true), iter(if_false)
    return [next(a) if m else next(b) for m in mask]


def _groups(items, sizes):
    out, start = [], 0
    for n in sizes:
        out.append(list(items[start: start + n]))
        start += n
    return out


def _or(a, b):
    return tuple(x or y for x, y in zip(a, b))


def _tangents_out(mask, tangents, primals):
    zeros = [Zero(get_aval(p).strip_weak_type()) for m, p in zip(mask, primals) if not m]
    return _merge(mask, tangents, zeros)


def _with_invars(jaxpr, invars, outvars=None):
    return Jaxpr([], invars, jaxpr.outvars if outvars is None else outvars, jaxpr.eqns)


def _undefined(mask, avals):
    return [UndefinedPrimal(a) for a in _pick(mask, avals)]


def _zeros(avals):
    return [ad.zeros_like_aval(a) for a in avals]


def _bind_known(trace, primitive, args, params):
    """Bind the known part of a partially evaluated primitive in the linearize trace's parent."""
    with set_current_trace(trace.parent):
        return primitive.bind(*args, **params)


def _stage(trace, primitive, args, params):
    return ad.StagingTrace.process_primitive(trace, primitive, args, params)


# ---------------------------------------------------------------- partial evaluation of a jaxpr


# ---------------------------------------------------------------- JVP


def _jvp_jaxpr(jaxpr, nonzero_in, instantiate):
    """The JVP of `jaxpr`: (*primals, *nonzero tangents) -> (*primals, *tangents out), with a
    tangent for each output whose tangent is nonzero or `instantiate`d (if differentiable).
    Returns (jaxpr, consts, nonzero_out)."""

    def make():
        nonzero_out = []

        def jvp_fun(*args):
            n = len(nonzero_in)
            tangents = _merge(nonzero_in, args[n:], [Zero(a) for nz, a in zip(nonzero_in, jaxpr.in_avals) if not nz])
            outs, t_outs = ad.jvp_flat(lambda *a: _run(jaxpr, *a), list(args[:n]), tangents, current_trace(), "jvp of control flow")
            nonzero_out[:] = [_nonzero(t) or (inst and ad.is_differentiable(get_aval(o)))
                              for t, o, inst in zip(t_outs, outs, instantiate)]
            return outs + [ad.instantiate(t) for t, nz in zip(t_outs, nonzero_out) if nz]

        avals = [*jaxpr.in_avals, *[a.strip_weak_type() for a in _pick(nonzero_in, jaxpr.in_avals)]]
        new, consts = _trace(jvp_fun, avals, "jvp of control flow")
        return new, consts, tuple(nonzero_out)

    return _cached(jaxpr, ("jvp", tuple(nonzero_in), tuple(instantiate)), make)


def _nonzero_outputs(jaxpr, nonzero_in):
    return _jvp_jaxpr(jaxpr, nonzero_in, (False,) * len(jaxpr.outvars))[2]


def _carry_fixpoint(jaxpr, nz_before, nz_carry, nz_after):
    """Which carries have nonzero tangents: those nonzero at entry and any the body makes so."""
    nz_carry = tuple(nz_carry)
    while True:
        out = _nonzero_outputs(jaxpr, (*nz_before, *nz_carry, *nz_after))
        new = _or(nz_carry, out[: len(nz_carry)])
        if new == nz_carry:
            return nz_carry
        nz_carry = new


def _cond_jvp(primals, tangents, *, branches):
    index, ops, t_ops = primals[0], primals[1:], tangents[1:]
    nz_in = tuple(_nonzero(t) for t in t_ops)

    def make():
        nz_out = (False,) * len(branches[0].outvars)
        for branch in branches:
            nz_out = _or(nz_out, _nonzero_outputs(branch, nz_in))
        jaxprs, consts = _join_consts([_jvp_jaxpr(b, nz_in, nz_out)[:2] for b in branches])
        return tuple(jaxprs), consts, nz_out

    jaxprs, consts, nz_out = _cached(branches[0], ("jvp", branches, nz_in), make)
    outs = cond_p.bind(index, *consts, *ops, *_pick(nz_in, t_ops), branches=jaxprs)
    n = len(nz_out)
    return outs[:n], _tangents_out(nz_out, outs[n:], outs[:n])


def _while_jvp(primals, tangents, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cc, bc, carry = _groups(primals, [cond_nconsts, body_nconsts, len(primals)])
    _, t_bc, t_carry = _groups(tangents, [cond_nconsts, body_nconsts, len(primals)])
    nz_bc = tuple(_nonzero(t) for t in t_bc)
    nz_carry = _carry_fixpoint(body_jaxpr, nz_bc, [_nonzero(t) for t in t_carry], ())

    def make():
        jvp, consts, _ = _jvp_jaxpr(body_jaxpr, (*nz_bc, *nz_carry), nz_carry)
        j, b, c, tb, tc = _groups(jvp.invars, [len(consts), len(bc), len(carry), sum(nz_bc), sum(nz_carry)])
        body = _with_invars(jvp, [*j, *b, *tb, *c, *tc])
        cond = _with_invars(cond_jaxpr, [*cond_jaxpr.invars, *[Var(v.aval) for v in tc]])
        return cond, body, consts

    cond, body, consts = _cached(body_jaxpr, ("jvp", cond_jaxpr, nz_bc, nz_carry), make)
    t_carry = [ad.instantiate(t) for t, nz in zip(t_carry, nz_carry) if nz]
    body_consts = [*consts, *bc, *_pick(nz_bc, t_bc)]
    outs = while_p.bind(*cc, *body_consts, *carry, *t_carry, cond_jaxpr=cond, body_jaxpr=body,
                        cond_nconsts=cond_nconsts, body_nconsts=len(body_consts))
    n = len(carry)
    return outs[:n], _tangents_out(nz_carry, outs[n:], outs[:n])


def _scan_jvp(primals, tangents, *, jaxpr, num_consts, num_carry, length, reverse, unroll):
    sizes = [num_consts, num_carry, len(primals) - num_consts - num_carry]
    consts, carry, xs = _groups(primals, sizes)
    t_consts, t_carry, t_xs = _groups(tangents, sizes)
    nz_c, nz_x = tuple(map(_nonzero, t_consts)), tuple(map(_nonzero, t_xs))
    nz_carry = _carry_fixpoint(jaxpr, nz_c, [_nonzero(t) for t in t_carry], nz_x)
    num_ys = len(jaxpr.outvars) - num_carry

    def make():
        jvp, jconsts, nz_out = _jvp_jaxpr(jaxpr, (*nz_c, *nz_carry, *nz_x), (*nz_carry, *(False,) * num_ys))
        j, c, a, x, tc, ta, tx = _groups(jvp.invars, [len(jconsts), *sizes, sum(nz_c), sum(nz_carry), sum(nz_x)])
        out_a, out_y, out_ta, out_ty = _groups(jvp.outvars, [num_carry, num_ys, sum(nz_carry), len(jvp.outvars)])
        body = _with_invars(jvp, [*j, *c, *tc, *a, *ta, *x, *tx], [*out_a, *out_ta, *out_y, *out_ty])
        return body, jconsts, nz_out[num_carry:]

    body, jconsts, nz_y = _cached(jaxpr, ("jvp", num_consts, num_carry, nz_c, nz_carry, nz_x), make)
    new_consts = [*jconsts, *consts, *_pick(nz_c, t_consts)]
    new_carry = [*carry, *[ad.instantiate(t) for t, nz in zip(t_carry, nz_carry) if nz]]
    outs = scan_p.bind(*new_consts, *new_carry, *xs, *_pick(nz_x, t_xs), jaxpr=body,
                       num_consts=len(new_consts), num_carry=len(new_carry), length=length,
                       reverse=reverse, unroll=unroll)
    carry_out, t_carry_out, ys, t_ys = _groups(outs, [num_carry, sum(nz_carry), num_ys, len(outs)])
    return [*carry_out, *ys], [*_tangents_out(nz_carry, t_carry_out, carry_out), *_tangents_out(nz_y, t_ys, ys)]


ad.primitive_jvps[cond_p] = _cond_jvp
ad.primitive_jvps[while_p] = _while_jvp
ad.primitive_jvps[scan_p] = _scan_jvp


# ---------------------------------------------------------------- partial evaluation: cond


def _cond_split(branches, unknown):
    """Known and staged branches sharing one residual list. Branch k's residuals (zeros in the
    others) are its own, then its known outputs that another branch makes unknown.
    Returns (known, known consts, staged, staged consts, out_unknown)."""
    parts = [ad.partial_eval_jaxpr(b, unknown) for b in branches]
    out_uk = (False,) * len(branches[0].outvars)
    for *_, uk, _ in parts:
        out_uk = _or(out_uk, uk)
    out_avals = branches[0].out_avals
    res_avals = [[v.aval for v in staged.invars[:n]] + [a for a, u, own in zip(out_avals, out_uk, uk) if u and not own]
                 for _, _, staged, uk, n in parts]
    sizes = [len(r) for r in res_avals]

    def known_branch(k):
        known, consts, _, own_uk, n_res = parts[k]

        def run(*args):
            outs = _run(known, *consts, *args)
            n_known = len(outs) - n_res
            by_out = _merge(own_uk, [None] * sum(own_uk), outs[:n_known])
            forced = [v for v, u, own in zip(by_out, out_uk, own_uk) if u and not own]
            residuals = [_zeros(r) if j != k else [*outs[n_known:], *forced] for j, r in enumerate(res_avals)]
            return _pick(out_uk, by_out, False) + [r for group in residuals for r in group]

        return _trace(run, _pick(unknown, branches[k].in_avals, False), f"known part of cond branch {k}")

    def staged_branch(k):
        _, _, staged, own_uk, n_res = parts[k]

        def run(*args):
            residuals, uk_ins = _groups(args, [sum(sizes), len(args)])
            mine = _groups(residuals, sizes)[k]
            souts = _run(staged, *mine[:n_res], *uk_ins)
            return _merge(_pick(out_uk, own_uk), souts, mine[n_res:])

        avals = [a for r in res_avals for a in r] + _pick(unknown, branches[k].in_avals)
        return _trace(run, avals, f"staged part of cond branch {k}")

    known, known_consts = _join_consts([known_branch(k) for k in range(len(branches))])
    staged, staged_consts = _join_consts([staged_branch(k) for k in range(len(branches))])
    return tuple(known), known_consts, tuple(staged), staged_consts, out_uk


def _cond_partial_eval(trace, args, params):
    branches = params["branches"]
    index, ops = args[0], args[1:]
    unknown = tuple(trace.owns(x) for x in ops)
    known, known_consts, staged, staged_consts, out_uk = _cached(
        branches[0], ("partial_eval", branches, unknown), lambda: _cond_split(branches, unknown))
    known_outs = _bind_known(trace, cond_p, [index, *known_consts, *_pick(unknown, ops, False)], {"branches": known})
    n_known = out_uk.count(False)
    staged_outs = []
    if any(out_uk):
        residuals = known_outs[n_known:]
        staged_outs = _stage(trace, cond_p, [index, *staged_consts, *residuals, *_pick(unknown, ops)], {"branches": staged})
    return _merge(out_uk, staged_outs, known_outs[:n_known])


ad.partial_eval_rules[cond_p] = _cond_partial_eval


# ---------------------------------------------------------------- partial evaluation: scan


def _scan_fixpoint(jaxpr, num_consts, num_carry, unknown):
    """ad.partial_eval_jaxpr of a scan body, with carries unknown wherever the body makes them so."""
    uk_c, uk_carry, uk_x = _groups(unknown, [num_consts, num_carry, len(unknown)])
    carry_uk = tuple(uk_carry)
    while True:
        in_uk = (*uk_c, *carry_uk, *uk_x)
        parts = ad.partial_eval_jaxpr(jaxpr, in_uk)
        new = _or(carry_uk, parts[3][:num_carry])
        if new == carry_uk:
            return in_uk, carry_uk, parts
        carry_uk = new


def _residual_kinds(known, n_consts, n_res, in_uk, num_consts, num_carry):
    """Per residual of a scan body: ('const', i) for a constant of the body, operand i (loop
    invariant); ('x', i) for a slice of xs operand i (the staged scan slices the same xs); else
    ('stacked', None), a stacked y of the known scan."""
    known_inputs = [i for i, uk in enumerate(in_uk) if not uk]
    position = {v: known_inputs[j] for j, v in enumerate(known.invars[n_consts:])}
    kinds = []
    for v in known.outvars[len(known.outvars) - n_res:]:
        index = position.get(v)
        if index is not None and index < num_consts:
            kinds.append(("const", index))
        elif index is not None and index >= num_consts + num_carry:
            kinds.append(("x", index))
        else:
            kinds.append(("stacked", None))
    return kinds


def _scan_split(jaxpr, num_consts, num_carry, unknown):
    in_uk, carry_uk, (known, known_consts, staged, out_uk, n_res) = _scan_fixpoint(jaxpr, num_consts, num_carry, unknown)
    kinds = _residual_kinds(known, len(known_consts), n_res, in_uk, num_consts, num_carry)
    forced = [uk and not out for uk, out in zip(carry_uk, out_uk)]  # unknown carries the body gives known
    stacked_avals = [v.aval for v, (kind, _) in zip(staged.invars, kinds) if kind == "stacked"]
    forced_avals = _pick(forced, jaxpr.out_avals[:num_carry])

    def known_body(*args):
        outs = _run(known, *known_consts, *args)
        n_known = len(outs) - n_res
        kouts, residuals = outs[:n_known], outs[n_known:]
        carry_out, ys = _groups(kouts, [out_uk[:num_carry].count(False), n_known])
        known_carry = [uk for uk, out in zip(carry_uk, out_uk) if not out]  # per known carry out: forced?
        stacked = [r for r, (kind, _) in zip(residuals, kinds) if kind == "stacked"]
        return [*_pick(known_carry, carry_out, False), *ys, *stacked, *_pick(known_carry, carry_out)]

    n_known_c = in_uk[:num_consts].count(False)
    k_jaxpr, k_consts = _trace(known_body, _pick(in_uk, jaxpr.in_avals, False), "known part of scan")
    const_res = [i for kind, i in kinds if kind == "const"]
    x_res = [i for kind, i in kinds if kind == "x"]
    res_avals = [v.aval for v in staged.invars[:n_res]]
    uk_c, uk_carry, uk_x = _groups(_pick(in_uk, jaxpr.in_avals), [sum(in_uk[:num_consts]), sum(carry_uk), len(jaxpr.invars)])
    sizes = [len(const_res), len(uk_c), len(uk_carry), len(x_res), len(stacked_avals), len(forced_avals), len(uk_x)]

    def staged_body(*args):
        c_res, c, carry, x_res_vals, stacked, forced_vals, x = _groups(args, sizes)
        by_kind = {"const": iter(c_res), "x": iter(x_res_vals), "stacked": iter(stacked)}
        residuals = [next(by_kind[kind]) for kind, _ in kinds]
        souts = _run(staged, *residuals, *c, *carry, *x)
        n_carry_out = sum(out_uk[:num_carry])
        carry_out = _merge(_pick(carry_uk, out_uk[:num_carry]), souts[:n_carry_out], forced_vals)
        return [*carry_out, *souts[n_carry_out:]]

    avals = [*_pick([k == "const" for k, _ in kinds], res_avals), *uk_c, *uk_carry,
             *_pick([k == "x" for k, _ in kinds], res_avals), *stacked_avals, *forced_avals, *uk_x]
    s_jaxpr, s_consts = _trace(staged_body, avals, "staged part of scan")
    return dict(in_uk=in_uk, carry_uk=carry_uk, y_uk=tuple(out_uk[num_carry:]), known=k_jaxpr,
                known_consts=k_consts, n_known_consts=n_known_c, staged=s_jaxpr, staged_consts=s_consts,
                const_res=const_res, x_res=x_res, n_stacked=len(stacked_avals))


def _scan_partial_eval(trace, args, params):
    jaxpr, num_consts, num_carry = params["jaxpr"], params["num_consts"], params["num_carry"]
    unknown = tuple(trace.owns(x) for x in args)
    s = _cached(jaxpr, ("partial_eval", num_consts, num_carry, unknown),
                lambda: _scan_split(jaxpr, num_consts, num_carry, unknown))
    in_uk, carry_uk, y_uk = s["in_uk"], s["carry_uk"], s["y_uk"]
    known_args = _pick(in_uk, args, False)
    n_known_carry = carry_uk.count(False)
    known_outs = _bind_known(trace, scan_p, [*s["known_consts"], *known_args], {
        **params, "jaxpr": s["known"], "num_consts": len(s["known_consts"]) + s["n_known_consts"],
        "num_carry": n_known_carry})
    k_carry, k_ys, stacked, forced = _groups(known_outs, [n_known_carry, y_uk.count(False), s["n_stacked"], len(known_outs)])
    c, carry, x = _groups(_pick(in_uk, args), [sum(in_uk[:num_consts]), sum(carry_uk), len(args)])
    staged_consts = [*s["staged_consts"], *[args[i] for i in s["const_res"]], *c]
    staged_xs = [*[args[i] for i in s["x_res"]], *stacked, *forced, *x]
    s_outs = _stage(trace, scan_p, [*staged_consts, *carry, *staged_xs], {
        **params, "jaxpr": s["staged"], "num_consts": len(staged_consts), "num_carry": len(carry)})
    s_carry, s_ys = _groups(s_outs, [len(carry), len(s_outs)])
    return [*_merge(carry_uk, s_carry, k_carry), *_merge(y_uk, s_ys, k_ys)]


ad.partial_eval_rules[scan_p] = _scan_partial_eval


# ---------------------------------------------------------------- partial evaluation: while


def _while_split(cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts, unknown):
    """The primal loop alone: cond and body on the known carries, or None if cond needs an
    unknown value."""
    uk_bc, uk_carry = _groups(unknown[cond_nconsts:], [body_nconsts, len(unknown)])
    carry_uk = tuple(uk_carry)
    while True:
        known, consts, _, out_uk, n_res = ad.partial_eval_jaxpr(body_jaxpr, (*uk_bc, *carry_uk))
        new = _or(carry_uk, out_uk)
        if new == carry_uk:
            break
        carry_uk = new
    cond_uk = (*unknown[:cond_nconsts], *carry_uk)
    cond_known, cond_consts, _, pred_uk, c_res = ad.partial_eval_jaxpr(cond_jaxpr, cond_uk)
    if pred_uk[0]:
        return None
    body = dce_jaxpr(known, [True] * (len(known.outvars) - n_res) + [False] * n_res)
    cond = dce_jaxpr(cond_known, [True] + [False] * c_res)
    return cond, cond_consts, body, consts, carry_uk


def _while_partial_eval(trace, args, params):
    """The known carries from the primal loop now; the unknown ones from the whole loop, staged
    (its transpose raises: reverse mode of while_loop is not supported)."""
    cond_nconsts, body_nconsts = params["cond_nconsts"], params["body_nconsts"]
    unknown = tuple(trace.owns(x) for x in args)
    split = _cached(params["body_jaxpr"], ("partial_eval", params["cond_jaxpr"], cond_nconsts, unknown),
                    lambda: _while_split(params["cond_jaxpr"], params["body_jaxpr"], cond_nconsts, body_nconsts, unknown))
    if split is None:
        raise ValueError(WHILE_REVERSE_ERROR)
    cond, cond_consts, body, body_consts, carry_uk = split
    cc, bc, carry = _groups(args, [cond_nconsts, body_nconsts, len(args)])
    known_cc = [*cond_consts, *_pick(unknown[:cond_nconsts], cc, False)]
    known_bc = [*body_consts, *_pick(unknown[cond_nconsts: cond_nconsts + body_nconsts], bc, False)]
    known_outs = _bind_known(trace, while_p, [*known_cc, *known_bc, *_pick(carry_uk, carry, False)], {
        **params, "cond_jaxpr": cond, "body_jaxpr": body, "cond_nconsts": len(known_cc), "body_nconsts": len(known_bc)})
    staged_outs = _stage(trace, while_p, args, params)
    return _merge(carry_uk, _pick(carry_uk, staged_outs), known_outs)


def _while_transpose(cts, *args, **params):
    raise ValueError(WHILE_REVERSE_ERROR)


ad.partial_eval_rules[while_p] = _while_partial_eval
ad.primitive_transposes[while_p] = _while_transpose


# ---------------------------------------------------------------- transpose


def _transposed_jaxpr(jaxpr, linear, ct_nonzero, description):
    """(*non-linear inputs, *nonzero output cotangents) -> cotangents of the linear inputs."""

    def transposed(*args):
        known, cts = _groups(args, [linear.count(False), len(args)])
        primals = _merge(linear, _undefined(linear, jaxpr.in_avals), known)
        cts_in = ad.backward_pass(jaxpr, [], _merge(ct_nonzero, cts, [None] * ct_nonzero.count(False)), primals)
        return [ad.instantiate(ct) for ct in _pick(linear, cts_in)]

    avals = _pick(linear, jaxpr.in_avals, False) + _pick(ct_nonzero, jaxpr.out_avals)
    return _trace(transposed, avals, description)


def _cond_transpose(cts, index, *ops, branches):
    linear = tuple(type(x) is UndefinedPrimal for x in ops)
    ct_nz = tuple(map(_nonzero, cts))

    def make():
        jaxprs, consts = _join_consts([_transposed_jaxpr(b, linear, ct_nz, f"transpose of cond branch {k}")
                                       for k, b in enumerate(branches)])
        return tuple(jaxprs), consts

    jaxprs, consts = _cached(branches[0], ("transpose", branches, linear, ct_nz), make)
    outs = cond_p.bind(index, *consts, *_pick(linear, ops, False), *_pick(ct_nz, cts), branches=jaxprs)
    return [None, *_merge(linear, outs, [None] * linear.count(False))]


def _scan_transpose_body(jaxpr, num_consts, num_carry, lin_c, lin_x, ct_y_nz):
    """(*residual consts, *const cotangent sums, *carry cotangents, *residual xs, *y cotangents)
    -> (*const cotangent sums, *carry cotangents, *x cotangents): one step of the backward scan."""
    c_avals, carry_avals, x_avals = _groups(jaxpr.in_avals, [num_consts, num_carry, len(jaxpr.invars)])
    sizes = [lin_c.count(False), sum(lin_c), num_carry, lin_x.count(False), sum(ct_y_nz)]

    def step(*args):
        res_c, acc, ct_carry, res_x, ct_y = _groups(args, sizes)
        primals = [*_merge(lin_c, _undefined(lin_c, c_avals), res_c), *[UndefinedPrimal(a) for a in carry_avals],
                   *_merge(lin_x, _undefined(lin_x, x_avals), res_x)]
        cts_out = [*ct_carry, *_merge(ct_y_nz, ct_y, [None] * ct_y_nz.count(False))]
        ct_c, ct_carry, ct_x = _groups(ad.backward_pass(jaxpr, [], cts_out, primals), [num_consts, num_carry, len(primals)])
        acc = [ad.instantiate(ad.add_tangents(a, ct)) for a, ct in zip(acc, _pick(lin_c, ct_c))]
        return [*acc, *map(ad.instantiate, ct_carry), *map(ad.instantiate, _pick(lin_x, ct_x))]

    avals = [*_pick(lin_c, c_avals, False), *_pick(lin_c, c_avals), *carry_avals, *_pick(lin_x, x_avals, False),
             *_pick(ct_y_nz, jaxpr.out_avals[num_carry:])]
    return _trace(step, [a.strip_weak_type() for a in avals], "transpose of scan")


def _scan_transpose(cts, *args, jaxpr, num_consts, num_carry, length, reverse, unroll):
    consts, carry, xs = _groups(args, [num_consts, num_carry, len(args)])
    lin_c = tuple(type(x) is UndefinedPrimal for x in consts)
    lin_x = tuple(type(x) is UndefinedPrimal for x in xs)
    ct_carry, ct_ys = _groups(cts, [num_carry, len(cts)])
    ct_y_nz = tuple(map(_nonzero, ct_ys))
    body, body_consts = _cached(jaxpr, ("transpose", num_consts, num_carry, lin_c, lin_x, ct_y_nz),
                                lambda: _scan_transpose_body(jaxpr, num_consts, num_carry, lin_c, lin_x, ct_y_nz))
    t_consts = [*body_consts, *_pick(lin_c, consts, False)]
    init = [*_zeros(x.aval for x in _pick(lin_c, consts)), *map(ad.instantiate, ct_carry)]
    outs = scan_p.bind(*t_consts, *init, *_pick(lin_x, xs, False), *_pick(ct_y_nz, ct_ys), jaxpr=body,
                       num_consts=len(t_consts), num_carry=len(init), length=length, reverse=not reverse, unroll=unroll)
    ct_c, ct_init, ct_x = _groups(outs, [sum(lin_c), num_carry, len(outs)])
    return [*_merge(lin_c, ct_c, [None] * lin_c.count(False)),
            *[ct if type(x) is UndefinedPrimal else None for ct, x in zip(ct_init, carry)],
            *_merge(lin_x, ct_x, [None] * lin_x.count(False))]


ad.primitive_transposes[cond_p] = _cond_transpose
ad.primitive_transposes[scan_p] = _scan_transpose
