"""Batching rules of the control-flow primitives (control_flow.py).

Which loop carries are batched is a fixpoint: a carry is batched if its initial value is, or if
the body makes it so from batched inputs (found by following the jaxpr's data flow). Batched
carries, and the per-iteration slices of batched xs, get their batch axis at 0 inside the
batched jaxprs. A batched predicate turns cond into a per-lane select between every branch's
result, and while_loop into a loop that runs while any lane's predicate holds, updating only the
lanes whose predicate still does.
"""

import weakref

from ..core import Var, eval_jaxpr, get_aval, trace_to_jaxpr
from ..transforms.batching import batched_shape, move_to, moveaxis, primitive_batchers, vmap_flat
from ..transforms.jaxpr_util import closure_convert
from .control_flow import _join_consts, cond_p, scan_p, while_p
from .reductions import reduce_or_p
from .shape import broadcast_in_dim_p, select_n_p

__all__ = []


# ---------------------------------------------------------------- batched jaxprs


def _batched_outputs(jaxpr, in_batched):
    """Which outputs of `jaxpr` depend on a batched input (a sound over-approximation of what
    batching it makes batched)."""
    batched = {v for v, b in zip(jaxpr.invars, in_batched) if b}
    for eqn in jaxpr.eqns:
        if any(type(v) is Var and v in batched for v in eqn.invars):
            batched.update(eqn.outvars)
    return [type(v) is Var and v in batched for v in jaxpr.outvars]


def _run(jaxpr):
    return lambda *args: eval_jaxpr(jaxpr, [], *args)


def _batched_avals(avals, dims, axis_size):
    return [a if d is None else a.update(shape=batched_shape(a.shape, d, axis_size)) for a, d in zip(avals, dims)]


_BATCHED = weakref.WeakKeyDictionary()  # jaxpr -> {(in_dims, out_dims, axis_size): (jaxpr, consts)}


def _batch_jaxpr(jaxpr, in_dims, out_dims, axis_size, description):
    """`jaxpr` batched: inputs with batch axes at `in_dims`, outputs at `out_dims` (None:
    unbatched, which they must be). Returns (jaxpr without constvars, consts), the consts
    being its leading inputs; cached on `jaxpr`."""
    key = (tuple(in_dims), tuple(out_dims), axis_size)
    cache = _BATCHED.setdefault(jaxpr, {})
    if key not in cache:
        def batched(*args):
            return vmap_flat(_run(jaxpr), list(args), list(in_dims), axis_size, description, list(out_dims))

        avals = _batched_avals(jaxpr.in_avals, in_dims, axis_size)
        cache[key] = closure_convert(trace_to_jaxpr(batched, avals, description))
    return cache[key]


def _trace(fun, vals, description):
    """`fun` traced at the avals of `vals` into (jaxpr without constvars, consts)."""
    return closure_convert(trace_to_jaxpr(fun, [get_aval(v) for v in vals], description))


def _fixpoint(jaxpr, before, carry_batched, after, carry_out):
    """The carries batched on entry to a loop whose body is `jaxpr(*before, *carry, *after)`
    (each list says which inputs are batched): those batched initially or made batched by the
    body, whose carry outputs are at slice `carry_out`."""
    carry_batched = list(carry_batched)
    while True:
        out = _batched_outputs(jaxpr, [*before, *carry_batched, *after])[carry_out]
        new = [a or b for a, b in zip(carry_batched, out)]
        if new == carry_batched:
            return carry_batched
        carry_batched = new


def _at_front(vals, dims, batched, axis_size):
    """Each value with its batch axis at 0 if `batched` says so (broadcast if unbatched)."""
    return [move_to(v, d, 0, axis_size) if b else v for v, d, b in zip(vals, dims, batched)]


def _front_dims(batched):
    return [0 if b else None for b in batched]


def _is_batched(dims):
    return [d is not None for d in dims]


# ---------------------------------------------------------------- cond


def _cond_batch(axis_size, vals, dims, *, branches):
    (index, *ops), (index_dim, *op_dims) = vals, dims
    if index_dim is not None:
        return _cond_batched_index(axis_size, vals, dims, branches)
    out_batched = [any(bs) for bs in zip(*(_batched_outputs(b, _is_batched(op_dims)) for b in branches))]
    out_dims = _front_dims(out_batched)
    batched = [_batch_jaxpr(b, op_dims, out_dims, axis_size, "vmap(cond branch)") for b in branches]
    jaxprs, consts = _join_consts(batched)
    outs = cond_p.bind(index, *consts, *ops, branches=tuple(jaxprs))
    return outs, out_dims


def _cond_batched_index(axis_size, vals, dims, branches):
    """Every branch runs on the whole batch; each lane picks its branch's result."""

    def select_branch(index, *ops):
        results = [eval_jaxpr(b, [], *ops) for b in branches]
        return [select_n_p.bind(index, *cases) for cases in zip(*results)]

    outs = vmap_flat(select_branch, vals, dims, axis_size, "vmap(cond with a batched predicate)")
    return outs, [0] * len(outs)


# ---------------------------------------------------------------- while


def _while_batch(axis_size, vals, dims, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    split = _while_split(cond_nconsts, body_nconsts)
    cc_dims, bc_dims, carry_dims = split(dims)
    carry_batched = _fixpoint(body_jaxpr, _is_batched(bc_dims), _is_batched(carry_dims), [], slice(None))
    (pred_batched,) = _batched_outputs(cond_jaxpr, [*_is_batched(cc_dims), *carry_batched])
    if pred_batched:
        return _while_batched_pred(axis_size, vals, dims, cond_jaxpr, body_jaxpr, split)
    cc, bc, carry = split(vals)
    carry = _at_front(carry, carry_dims, carry_batched, axis_size)
    front = _front_dims(carry_batched)
    cond_b, cond_consts = _batch_jaxpr(cond_jaxpr, [*cc_dims, *front], [None], axis_size, "vmap(while cond)")
    body_b, body_consts = _batch_jaxpr(body_jaxpr, [*bc_dims, *front], front, axis_size, "vmap(while body)")
    outs = while_p.bind(*cond_consts, *cc, *body_consts, *bc, *carry, cond_jaxpr=cond_b, body_jaxpr=body_b,
                        cond_nconsts=len(cond_consts) + len(cc), body_nconsts=len(body_consts) + len(bc))
    return outs, front


def _while_split(cond_nconsts, body_nconsts):
    def split(xs):
        return xs[:cond_nconsts], xs[cond_nconsts: cond_nconsts + body_nconsts], xs[cond_nconsts + body_nconsts:]

    return split


def _while_batched_pred(axis_size, vals, dims, cond_jaxpr, body_jaxpr, split):
    """Loop while any lane's predicate holds; a lane whose predicate fails keeps its carry. The
    new body takes the cond's constants too, to compute each lane's predicate."""
    (cc, bc, carry), (cc_dims, bc_dims, carry_dims) = split(vals), split(dims)
    carry = _at_front(carry, carry_dims, [True] * len(carry), axis_size)
    front = [0] * len(carry)
    n_cc, n_bc = len(cc), len(bc)

    def lane_preds(c_consts, old):
        (pred,) = vmap_flat(_run(cond_jaxpr), [*c_consts, *old], [*cc_dims, *front], axis_size, "vmap(while cond)")
        return pred

    def any_lane(*args):
        return [reduce_or_p.bind(lane_preds(args[:n_cc], args[n_cc:]), axes=(0,))]

    def step(*args):
        c_consts, b_consts, old = args[:n_cc], args[n_cc: n_cc + n_bc], args[n_cc + n_bc:]
        pred = lane_preds(c_consts, old)
        new = vmap_flat(_run(body_jaxpr), [*b_consts, *old], [*bc_dims, *front], axis_size, "vmap(while body)")
        return [_select_lanes(pred, o, n) for o, n in zip(old, new)]

    cond_b, cond_consts = _trace(any_lane, [*cc, *carry], "vmap(while cond with a batched predicate)")
    body_b, body_consts = _trace(step, [*cc, *bc, *carry], "vmap(while body with a batched predicate)")
    outs = while_p.bind(*cond_consts, *cc, *body_consts, *cc, *bc, *carry, cond_jaxpr=cond_b, body_jaxpr=body_b,
                        cond_nconsts=len(cond_consts) + n_cc, body_nconsts=len(body_consts) + n_cc + n_bc)
    return outs, front


def _select_lanes(pred, old, new):
    """`new` in the lanes (axis 0) where `pred` holds, else `old`."""
    shape = get_aval(old).shape
    if len(shape) > 1:
        pred = broadcast_in_dim_p.bind(pred, shape=shape, broadcast_dimensions=(0,))
    return select_n_p.bind(pred, old, new)


# ---------------------------------------------------------------- scan


def _scan_batch(axis_size, vals, dims, *, jaxpr, num_consts, num_carry, length, reverse, unroll):
    n_fixed = num_consts + num_carry
    consts, carry, xs = vals[:num_consts], vals[num_consts:n_fixed], vals[n_fixed:]
    const_dims, carry_dims, x_dims = dims[:num_consts], dims[num_consts:n_fixed], dims[n_fixed:]
    carry_batched = _fixpoint(jaxpr, _is_batched(const_dims), _is_batched(carry_dims), _is_batched(x_dims),
                              slice(0, num_carry))
    y_batched = _batched_outputs(jaxpr, [*_is_batched(const_dims), *carry_batched, *_is_batched(x_dims)])[num_carry:]
    carry = _at_front(carry, carry_dims, carry_batched, axis_size)
    xs = [x if d is None else moveaxis(x, d, 1) for x, d in zip(xs, x_dims)]  # axis 0 is the scan's
    carry_out = _front_dims(carry_batched)
    in_dims = [*const_dims, *carry_out, *[None if d is None else 0 for d in x_dims]]
    body, body_consts = _batch_jaxpr(jaxpr, in_dims, [*carry_out, *_front_dims(y_batched)], axis_size,
                                     "vmap(scan body)")
    outs = scan_p.bind(*body_consts, *consts, *carry, *xs, jaxpr=body, num_consts=len(body_consts) + num_consts,
                       num_carry=num_carry, length=length, reverse=reverse, unroll=unroll)
    return outs, [*carry_out, *[1 if b else None for b in y_batched]]


primitive_batchers[cond_p] = _cond_batch
primitive_batchers[while_p] = _while_batch
primitive_batchers[scan_p] = _scan_batch
