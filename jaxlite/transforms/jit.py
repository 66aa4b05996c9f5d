"""`jit` as a primitive: `jit_p` holds a jaxpr (without constants: they are its leading operands)
and runs it compiled. Its rules transform the inner jaxpr and bind `jit_p` again, so the
derivative and the batched version of a jitted function are jitted functions too:

- JVP: the JVP of the inner jaxpr, traced once per (jaxpr, which tangents are nonzero);
- partial evaluation (inside linearize): the primal part runs now, the tangent part is staged;
- transpose: the backward pass of the inner linear jaxpr;
- batching: the vmap of the inner jaxpr, per (jaxpr, batch dims, axis size).

Each derived jaxpr is cached on the jaxpr it came from, so calling grad(jit(f)) repeatedly
traces and compiles once.
"""

import weakref

from ..core import (
    Primitive, ShapedArray, current_trace, eager_apply, eval_jaxpr, set_current_trace, trace_to_jaxpr,
)
from . import ad
from .batching import primitive_batchers, vmap_flat
from .jaxpr_util import closure_convert

__all__ = ["jit_p", "call_jit"]

jit_p = Primitive("jit", multiple_results=True)


def call_jit(jaxpr, args, name):
    """Bind jit_p; `jaxpr` has no constvars (see closure_convert)."""
    return jit_p.bind(*args, jaxpr=jaxpr, name=name)


def _impl(*args, jaxpr, name):
    from .numba.compiler import compile_jaxpr  # imports Numba on first use

    return compile_jaxpr(jaxpr, name)(*args)


def _abstract_eval(*avals, jaxpr, name):
    expected = jaxpr.in_avals
    if len(avals) != len(expected) or any(a.shape != e.shape or a.dtype != e.dtype for a, e in zip(avals, expected)):
        got = ", ".join(a.str_short() for a in avals)
        want = ", ".join(a.str_short() for a in expected)
        raise TypeError(f"jit({name}): called with operands of types ({got}), compiled for ({want})")
    return list(jaxpr.out_avals)


jit_p.def_impl(_impl)
jit_p.def_abstract_eval(_abstract_eval)


def _derived(jaxpr, key, make):
    """A jaxpr derived from `jaxpr` (its JVP, transpose, batched version), cached on it."""
    cache = _DERIVED.setdefault(jaxpr, {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


_DERIVED = weakref.WeakKeyDictionary()  # jaxpr -> {key: derived (jaxpr, consts)}


def _trace(fun, avals, description):
    """Trace `fun` at `avals` into (jaxpr without constvars, consts)."""
    return closure_convert(trace_to_jaxpr(fun, avals, description))


def _run(jaxpr):
    return lambda *args: eval_jaxpr(jaxpr, [], *args)


# ---------------------------------------------------------------- JVP


def _jvp_rule(primals, tangents, *, jaxpr, name):
    nonzero = tuple(type(t) is not ad.Zero for t in tangents)

    def make():
        def jvp_fun(*args):
            ps, ts = list(args[: len(primals)]), iter(args[len(primals) :])
            tans = [next(ts) if nz else ad.Zero(a) for nz, a in zip(nonzero, jaxpr.in_avals)]
            outs, touts = ad.jvp_flat(_run(jaxpr), ps, tans, current_trace(), f"jvp({name})")
            return outs + [ad.instantiate(t) for t in touts]

        avals = list(jaxpr.in_avals) + [a for nz, a in zip(nonzero, jaxpr.in_avals) if nz]
        return _trace(jvp_fun, avals, f"jvp({name})")

    jvp_jaxpr, consts = _derived(jaxpr, ("jvp", nonzero), make)
    outs = call_jit(jvp_jaxpr, [*consts, *primals, *[t for t in tangents if type(t) is not ad.Zero]], f"jvp({name})")
    n = len(jaxpr.outvars)
    return outs[:n], outs[n:]


ad.primitive_jvps[jit_p] = _jvp_rule


# ---------------------------------------------------------------- partial evaluation


def _partial_eval_rule(trace, args, params):
    jaxpr, name = params["jaxpr"], params["name"]
    unknown = tuple(trace.owns(x) for x in args)
    known, consts, staged, out_unknown, _ = _derived(
        jaxpr, ("partial_eval", unknown), lambda: ad.partial_eval_jaxpr(jaxpr, unknown))
    known_args = [*consts, *[x for x, u in zip(args, unknown) if not u]]
    if trace.parent is None:
        known_outs = eager_apply(jit_p, known_args, {"jaxpr": known, "name": name})
    else:
        with set_current_trace(trace.parent):
            known_outs = call_jit(known, known_args, name)
    n_known = sum(1 for u in out_unknown if not u)
    residuals = known_outs[n_known:]
    staged_outs = ad.StagingTrace.process_primitive(
        trace, jit_p, [*residuals, *[x for x, u in zip(args, unknown) if u]], {"jaxpr": staged, "name": name}
    )
    known_iter, staged_iter = iter(known_outs[:n_known]), iter(staged_outs)
    return [next(staged_iter) if u else next(known_iter) for u in out_unknown]


ad.partial_eval_rules[jit_p] = _partial_eval_rule


# ---------------------------------------------------------------- transpose


def _transpose_rule(cts, *args, jaxpr, name):
    linear = tuple(type(x) is ad.UndefinedPrimal for x in args)
    ct_nonzero = tuple(type(c) is not ad.Zero for c in cts)

    def make():
        def transposed(*flat):
            known = iter(flat[: linear.count(False)])
            cts_in = iter(flat[linear.count(False) :])
            primals = [ad.UndefinedPrimal(a) if lin else next(known) for lin, a in zip(linear, jaxpr.in_avals)]
            cts_out = [next(cts_in) if nz else None for nz in ct_nonzero]
            results = ad.backward_pass(jaxpr, [], cts_out, primals)
            return [ad.instantiate(r) for r, lin in zip(results, linear) if lin]

        avals = [a for lin, a in zip(linear, jaxpr.in_avals) if not lin]
        avals += [a for nz, a in zip(ct_nonzero, jaxpr.out_avals) if nz]
        return _trace(transposed, avals, f"transpose({name})")

    t_jaxpr, consts = _derived(jaxpr, ("transpose", linear, ct_nonzero), make)
    known = [x for x, lin in zip(args, linear) if not lin]
    outs = iter(call_jit(t_jaxpr, [*consts, *known, *[c for c in cts if type(c) is not ad.Zero]], f"transpose({name})"))
    return [next(outs) if lin else None for lin in linear]


ad.primitive_transposes[jit_p] = _transpose_rule


# ---------------------------------------------------------------- batching


def _batch_rule(axis_size, vals, dims, *, jaxpr, name):
    dims = tuple(dims)

    def make():
        def batched(*args):
            return vmap_flat(_run(jaxpr), list(args), list(dims), axis_size, f"vmap({name})")

        avals = []
        for a, d in zip(jaxpr.in_avals, dims):
            if d is None:
                avals.append(a)
            else:
                shape = list(a.shape)
                shape.insert(d, axis_size)
                avals.append(ShapedArray(shape, a.dtype, a.weak_type))
        return _trace(batched, avals, f"vmap({name})")

    b_jaxpr, consts = _derived(jaxpr, ("batch", dims, axis_size), make)
    outs = call_jit(b_jaxpr, [*consts, *vals], f"vmap({name})")
    return outs, [0] * len(outs)


primitive_batchers[jit_p] = _batch_rule
