"""Automatic differentiation: forward mode, linearization and transposition.

`jvp` runs a function under a JVPTrace whose tracers carry (primal, tangent) pairs; each
primitive's JVP rule computes both in the parent context. `linearize` runs the same JVP under
a LinearizeTrace, a staging trace that records only the operations that touch tangents (the
linear part) and lets everything else, the primal computation, run in its parent. Reverse
mode transposes that linear jaxpr (`backward_pass`), binding every cotangent operation in the
current context, so derivatives are themselves differentiable, batchable programs.
"""

import numpy as np

from ..core import (
    Literal,
    Primitive,
    current_trace,
    eager_apply,
    eval_jaxpr,
    StagingTrace,
    Trace,
    Tracer,
    get_aval,
    primitive_by_name,
    set_current_trace,
    to_numpy,
    trace_to_jaxpr,
)

__all__ = [
    "Zero", "UndefinedPrimal", "JVPTrace", "JVPTracer", "LinearizeTrace",
    "primitive_jvps", "primitive_transposes", "partial_eval_rules", "defjvp", "defjvp_rule", "defjvp_zero", "deflinear", "defbilinear",
    "instantiate", "add_tangents", "zeros_like_aval", "is_differentiable", "backward_pass",
    "jvp_flat", "linearize_flat", "partial_eval_jaxpr",
]

primitive_jvps = {}  # Primitive -> rule(primals, tangents, **params) -> (primal_out, tangent_out)
primitive_transposes = {}  # Primitive -> rule(cotangent, *args, **params) -> cotangent per arg
# Primitive -> rule(linearize_trace, args, params) -> outputs, for primitives holding a jaxpr
# (jit, control flow) whose operands are partly tangents: the rule runs the primal part now
# and stages the rest.
partial_eval_rules = {}


class Zero:
    """A symbolic zero (co)tangent: it costs nothing until it must become an array."""

    __slots__ = ("aval",)

    def __init__(self, aval):
        self.aval = aval

    def __repr__(self):
        return f"Zero({self.aval.str_short()})"


class UndefinedPrimal:
    """Stands for a linear input of an equation being transposed."""

    __slots__ = ("aval",)

    def __init__(self, aval):
        self.aval = aval


def is_differentiable(aval):
    return aval.dtype.kind in "fc"


def zeros_like_aval(aval):
    zero = np.zeros((), aval.dtype)[()]
    return primitive_by_name("broadcast_in_dim").bind(zero, shape=aval.shape, broadcast_dimensions=())


def instantiate(t):
    return zeros_like_aval(t.aval) if type(t) is Zero else t


def add_tangents(a, b):
    if type(a) is Zero:
        return b
    if type(b) is Zero:
        return a
    return primitive_by_name("add").bind(a, b)


# ---------------------------------------------------------------- forward mode


class JVPTracer(Tracer):
    __slots__ = ("primal", "tangent", "_aval")

    def __init__(self, trace, primal, tangent):
        self._trace = trace
        self.primal = primal
        self.tangent = tangent
        self._aval = None

    @property
    def aval(self):
        if self._aval is None:
            self._aval = get_aval(self.primal)
        return self._aval

    def to_concrete_value(self):
        if not self._trace.alive:  # a leaked tracer must not silently yield its value
            raise self._leaked_error()
        primal = self.primal
        if isinstance(primal, Tracer):
            return primal.to_concrete_value()
        return np.asarray(to_numpy(primal))


class JVPTrace(Trace):
    def primal_tangent(self, x):
        if self.owns(x):
            return x.primal, x.tangent
        return x, Zero(get_aval(x))

    def process_primitive(self, primitive, args, params):
        primals, tangents, all_zero = [], [], True
        for x in args:
            if isinstance(x, JVPTracer) and self.owns(x):
                primals.append(x.primal)
                tangents.append(x.tangent)
                all_zero = all_zero and type(x.tangent) is Zero
            else:
                self.owns(x)  # raises for a leaked tracer
                primals.append(x)
                tangents.append(Zero(get_aval(x)))
        if all_zero:
            with set_current_trace(self.parent):
                return primitive.bind(*primals, **params)
        rule = primitive_jvps.get(primitive)
        if rule is None:
            raise NotImplementedError(
                f"Differentiation rule for primitive '{primitive.name}' is not implemented "
                f"(while differentiating {self.description})."
            )
        with set_current_trace(self.parent):
            primal_out, tangent_out = rule(primals, tangents, **params)
        if primitive.multiple_results:
            return [self.pack(p, t) for p, t in zip(primal_out, tangent_out)]
        return self.pack(primal_out, tangent_out)

    def process_custom_derivative_call(self, call):
        primals, tangents = zip(*[self.primal_tangent(x) for x in call.args_flat]) if call.args_flat else ((), ())
        with set_current_trace(self.parent):
            if all(type(t) is Zero for t in tangents):
                # Nothing to differentiate here, but an enclosing transform may need the rule.
                call.args_flat = list(primals)
                if self.parent is None:
                    return call.fun_flat(*primals)
                return self.parent.process_custom_derivative_call(call)
            primals_out, tangents_out = call.jvp_flat(list(primals), list(tangents))
        return [self.pack(p, t) for p, t in zip(primals_out, tangents_out)]

    def lift(self, x):
        return JVPTracer(self, x, Zero(get_aval(x).strip_weak_type()))

    def pack(self, primal, tangent):
        if type(tangent) is not Zero and not is_differentiable(get_aval(primal)):
            tangent = Zero(get_aval(primal))
        return JVPTracer(self, primal, tangent)


def jvp_flat(flat_fun, primals, tangents, parent, description):
    """Run `flat_fun` on (primal, tangent) pairs; returns (primals_out, tangents_out)."""
    trace = JVPTrace(parent, description)
    try:
        ins = [JVPTracer(trace, p, t) for p, t in zip(primals, tangents)]
        with set_current_trace(trace):
            outs = flat_fun(*ins)
        pairs = [trace.primal_tangent(x) for x in outs]
    finally:
        trace.invalidate()
    return [p for p, _ in pairs], [t for _, t in pairs]


# ---------------------------------------------------------------- linearization


class LinearizeTrace(StagingTrace):
    """Stages only the equations that depend on its tracers (the tangents)."""

    def lift(self, x):
        return x  # its tracers are tangents; a new constant is primal

    def process_primitive(self, primitive, args, params):
        for x in args:
            if self.owns(x):
                rule = partial_eval_rules.get(primitive)
                if rule is not None:  # a call primitive: stage only the part that needs tangents
                    return rule(self, args, params)
                return super().process_primitive(primitive, args, params)
        if self.parent is None:  # the primal computation of an eager linearize
            return eager_apply(primitive, args, params)
        with set_current_trace(self.parent):
            return primitive.bind(*args, **params)

    def process_custom_derivative_call(self, call):
        # The primal computation runs in the parent, which may differentiate with the rule.
        if self.parent is not None and not any(self.owns(x) for x in call.args_flat):
            with set_current_trace(self.parent):
                return self.parent.process_custom_derivative_call(call)
        return super().process_custom_derivative_call(call)


def linearize_flat(flat_fun, primals, parent, description):
    """The outputs of `flat_fun` at `primals`, and its linear map as a ClosedJaxpr.

    The jaxpr takes one tangent per primal (zeros for non-float primals are not inputs:
    `input_mask` says which primals have tangent inputs) and returns one per output.
    """
    staging = LinearizeTrace(parent, description)
    try:
        avals = [get_aval(p).strip_weak_type() for p in primals]
        input_mask = [is_differentiable(a) for a in avals]
        tangents = [staging.new_arg(a) if d else Zero(a) for a, d in zip(avals, input_mask)]
        primals_out, tangents_out = jvp_flat(flat_fun, primals, tangents, staging, description)
        with set_current_trace(staging):
            tangents_out = [instantiate(t) for t in tangents_out]
        linear = staging.to_jaxpr(tangents_out)
    finally:
        staging.invalidate()
    return primals_out, linear, input_mask


def partial_eval_jaxpr(jaxpr, unknown):
    """Split `jaxpr` (no constvars) given which inputs are unknown (tangents), by running it
    under a LinearizeTrace, so equations holding jaxprs (jit, loops, cond) split too.

    Returns (known, known_consts, staged, out_unknown, num_residuals):
    known(*known_consts, *known inputs) -> (*known outputs, *residuals) and
    staged(*residuals, *unknown inputs) -> unknown outputs."""
    from .jaxpr_util import closure_convert

    store = {}

    def known_fun(*known_ins):
        trace = LinearizeTrace(current_trace(), "partial evaluation")
        try:
            known_iter = iter(known_ins)
            args = [trace.new_arg(a) if u else next(known_iter) for a, u in zip(jaxpr.in_avals, unknown)]
            with set_current_trace(trace):
                outs = eval_jaxpr(jaxpr, [], *args)
            out_unknown = tuple(trace.owns(o) for o in outs)
            staged, residuals = closure_convert(trace.to_jaxpr([o for o, u in zip(outs, out_unknown) if u]))
        finally:
            trace.invalidate()
        store.update(staged=staged, out_unknown=out_unknown, n_res=len(residuals))
        return [o for o, u in zip(outs, out_unknown) if not u] + residuals

    known_avals = [a for a, u in zip(jaxpr.in_avals, unknown) if not u]
    known, consts = closure_convert(trace_to_jaxpr(known_fun, known_avals, "known part"))
    return known, consts, store["staged"], store["out_unknown"], store["n_res"]


# ---------------------------------------------------------------- transposition


def backward_pass(jaxpr, consts, cotangents_out, primals_in=None):
    """Cotangents of a linear jaxpr's inputs, given its outputs' cotangents.

    `primals_in`, if given, has one entry per input: an UndefinedPrimal for a linear input, or
    the value of a known (non-linear) one; equations on known values alone run forward first.
    """
    const_env = dict(zip(jaxpr.constvars, consts))
    if primals_in is None:
        linear = set(jaxpr.invars)
    else:
        linear = {v for v, p in zip(jaxpr.invars, primals_in) if type(p) is UndefinedPrimal}
        const_env.update((v, p) for v, p in zip(jaxpr.invars, primals_in) if type(p) is not UndefinedPrimal)
    linear_eqns = []
    for eqn in jaxpr.eqns:
        if any(type(v) is not Literal and v in linear for v in eqn.invars):
            linear.update(eqn.outvars)
            linear_eqns.append(eqn)
        else:  # a primal computation inside the linear jaxpr: evaluate it
            args = [v.val if type(v) is Literal else const_env[v] for v in eqn.invars]
            out = eqn.primitive.bind(*args, **eqn.params)
            const_env.update(zip(eqn.outvars, out if eqn.primitive.multiple_results else [out]))
    cts = {}

    def write(v, ct):
        if type(v) is not Literal and v in linear and type(ct) is not Zero and ct is not None:
            cts[v] = add_tangents(cts[v], ct) if v in cts else ct

    def read(v):
        if type(v) is Literal:
            return v.val
        return UndefinedPrimal(v.aval) if v in linear else const_env[v]

    for v, ct in zip(jaxpr.outvars, cotangents_out):
        write(v, ct)
    for eqn in reversed(linear_eqns):
        outs = [cts.pop(v, None) for v in eqn.outvars]
        if all(ct is None for ct in outs):
            continue
        rule = primitive_transposes.get(eqn.primitive)
        if rule is None:
            raise NotImplementedError(f"Transpose rule (for reverse mode) of primitive '{eqn.primitive.name}' is not implemented.")
        if eqn.primitive.multiple_results:
            ct_out = [Zero(v.aval) if ct is None else ct for v, ct in zip(eqn.outvars, outs)]
        else:
            ct_out = outs[0]
        cts_in = rule(ct_out, *[read(v) for v in eqn.invars], **eqn.params)
        for v, ct in zip(eqn.invars, cts_in):
            write(v, ct)
    return [cts.get(v, Zero(v.aval)) for v in jaxpr.invars]


# ---------------------------------------------------------------- rule families


def defjvp_rule(primitive, rule):
    primitive_jvps[primitive] = rule


def defjvp_zero(primitive):
    """A primitive whose derivative is zero everywhere (comparisons, rounding, integer ops)."""

    def rule(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        if primitive.multiple_results:
            return out, [Zero(get_aval(o)) for o in out]
        return out, Zero(get_aval(out))

    primitive_jvps[primitive] = rule


def defjvp(primitive, *derivatives):
    """JVP from one function per operand: derivative(tangent, *primals, **params), linear in
    the tangent (None for an operand with no derivative). The primal output is `primitive`."""

    def rule(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        tangent_out = Zero(get_aval(out))
        for derivative, t in zip(derivatives, tangents):
            if derivative is not None and type(t) is not Zero:
                tangent_out = add_tangents(tangent_out, derivative(t, *primals, **params))
        return out, tangent_out

    primitive_jvps[primitive] = rule


def deflinear(primitive, transpose):
    """A primitive linear in all its operands; `transpose(ct, *args, **params)` -> cts."""

    def rule(primals, tangents, **params):
        out = primitive.bind(*primals, **params)
        return out, primitive.bind(*[instantiate(t) for t in tangents], **params)

    primitive_jvps[primitive] = rule
    primitive_transposes[primitive] = transpose


def defbilinear(primitive, lhs_transpose, rhs_transpose):
    """A primitive linear in each of its two operands separately (mul, dot_general)."""

    def rule(primals, tangents, **params):
        x, y = primals
        tx, ty = tangents
        out = primitive.bind(x, y, **params)
        t = Zero(get_aval(out))
        if type(tx) is not Zero:
            t = add_tangents(t, primitive.bind(tx, y, **params))
        if type(ty) is not Zero:
            t = add_tangents(t, primitive.bind(x, ty, **params))
        return out, t

    def transpose(ct, x, y, **params):
        if type(x) is UndefinedPrimal:
            return [lhs_transpose(ct, x, y, **params), None]
        return [None, rhs_transpose(ct, x, y, **params)]

    primitive_jvps[primitive] = rule
    primitive_transposes[primitive] = transpose


# ---------------------------------------------------------------- custom_vjp's linear part


def _custom_lin_impl(*args, num_res, bwd, out_avals):
    raise TypeError(
        "can't apply forward-mode autodiff (jvp) to a custom_vjp function; use vjp/grad, or "
        "define a custom_jvp rule instead"
    )


def _custom_lin_transpose(cts, *args, num_res, bwd, out_avals):
    residuals = args[:num_res]
    cts_in = bwd(residuals, [instantiate(ct) if type(ct) is Zero else ct for ct in cts])
    return [None] * num_res + list(cts_in)


def _make_custom_lin():
    prim = Primitive("custom_lin", multiple_results=True)
    prim.def_impl(_custom_lin_impl)
    prim.def_abstract_eval(lambda *avals, num_res, bwd, out_avals: list(out_avals))
    primitive_transposes[prim] = _custom_lin_transpose
    return prim


# The tangent of a custom_vjp function: linear in the tangents, transposed by the user's bwd.
custom_lin_p = _make_custom_lin()


# ---------------------------------------------------------------- checkpoint's linear part


def _remat_lin_impl(*args, num_primals, fun, out_avals):
    """Forward mode with concrete tangents: the JVP of the checkpointed function."""
    primals, tangents = list(args[:num_primals]), list(args[num_primals:])
    _, tangents_out = jvp_flat(fun, primals, tangents, None, "checkpoint")
    return [instantiate(t) for t in tangents_out]


def _remat_lin_transpose(cts, *args, num_primals, fun, out_avals):
    """Reverse mode: linearize the function again from its saved inputs, then transpose."""
    primals = list(args[:num_primals])
    _, linear, mask = linearize_flat(fun, primals, current_trace(), "checkpoint")
    cts_in = iter(backward_pass(linear.jaxpr, linear.consts, [None if type(c) is Zero else c for c in cts]))
    return [None] * num_primals + [next(cts_in) if m else None for m in mask]


def _remat_lin_jvp(primals, tangents, num_primals, fun, out_avals):
    """Higher order: differentiate the JVP of the function (recomputed, not checkpointed)."""

    def tangent_map(*args):
        _, out = jvp_flat(fun, list(args[:num_primals]), list(args[num_primals:]), current_trace(), "checkpoint")
        return [instantiate(t) for t in out]

    return jvp_flat(tangent_map, list(primals), list(tangents), current_trace(), "checkpoint")


def _make_remat_lin():
    prim = Primitive("remat_lin", multiple_results=True)
    prim.def_impl(_remat_lin_impl)
    primitive_jvps[prim] = _remat_lin_jvp
    prim.def_abstract_eval(lambda *avals, num_primals, fun, out_avals: list(out_avals))
    primitive_transposes[prim] = _remat_lin_transpose
    return prim


# The tangent of a checkpointed function: only its inputs are saved for the backward pass.
remat_lin_p = _make_remat_lin()
