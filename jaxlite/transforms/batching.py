"""Batching (vmap): run a function on a batch by carrying one batch axis through every primitive.

A BatchTracer holds a value with an extra axis of size `axis_size` at position `bdim` (any
position: rules move it only when they must). Values that are not the trace's tracers are
unbatched; a primitive none of whose operands is batched runs unchanged in the parent. Each
primitive's batching rule takes the operands' values and batch dims (None for unbatched) and
returns the result with its batch dim, binding in the parent context, so vmap composes with
every other transform.

Rule signature: `rule(axis_size, values, dims, **params) -> (out, out_dim)` (lists of both for
a primitive with multiple results).
"""

from ..core import Trace, Tracer, current_trace, get_aval, primitive_by_name, set_current_trace, to_numpy
from .ad import Zero, custom_lin_p, instantiate, remat_lin_p

__all__ = [
    "BatchTrace", "BatchTracer", "primitive_batchers", "vmap_flat", "moveaxis", "move_to",
    "bdim_at_front", "defvectorized", "defbroadcasting", "defreducer", "defaxis", "batched_shape",
]

primitive_batchers = {}  # Primitive -> rule


def _bind(name, *args, **params):
    return primitive_by_name(name).bind(*args, **params)


# ---------------------------------------------------------------- moving the batch axis


def moveaxis(x, src, dst):
    """`x` with axis `src` moved to position `dst` (no equation if they are equal)."""
    if src == dst:
        return x
    perm = [d for d in range(get_aval(x).ndim) if d != src]
    perm.insert(dst, src)
    return _bind("transpose", x, permutation=tuple(perm))


def move_to(x, bdim, dst, axis_size):
    """`x` with its batch axis at `dst`: moved there, or, for an unbatched `x` (bdim None),
    broadcast along a new axis of size `axis_size` inserted there."""
    if bdim is not None:
        return moveaxis(x, bdim, dst)
    shape = list(get_aval(x).shape)
    dims = tuple(d if d < dst else d + 1 for d in range(len(shape)))
    shape.insert(dst, axis_size)
    return _bind("broadcast_in_dim", x, shape=tuple(shape), broadcast_dimensions=dims)


def bdim_at_front(x, bdim, axis_size):
    return move_to(x, bdim, 0, axis_size)


def batched_shape(shape, bdim, axis_size):
    shape = list(shape)
    shape.insert(bdim, axis_size)
    return tuple(shape)


def unbatched_axis(axis, bdim):
    """Where axis `axis` of the per-example value sits in the batched value."""
    return axis + (bdim is not None and axis >= bdim)


# ---------------------------------------------------------------- the trace


class BatchTracer(Tracer):
    __slots__ = ("val", "bdim", "_aval")

    def __init__(self, trace, val, bdim):
        self._trace = trace
        self.val = val
        self.bdim = bdim
        self._aval = None

    @property
    def aval(self):
        if self._aval is None:
            aval = get_aval(self.val)
            if self.bdim is not None:
                shape = list(aval.shape)
                del shape[self.bdim]
                aval = aval.update(shape=shape)
            self._aval = aval
        return self._aval

    def to_concrete_value(self):
        if not self._trace.alive:
            raise self._leaked_error()
        if self.bdim is not None:
            return None  # one Python value cannot stand for a whole batch
        val = self.val
        return val.to_concrete_value() if isinstance(val, Tracer) else to_numpy(val)


class BatchTrace(Trace):
    def __init__(self, parent, description, axis_size):
        super().__init__(parent, description)
        self.axis_size = axis_size

    def unpack(self, x):
        """(value, batch dim) of an operand; values from outside this trace are unbatched."""
        if self.owns(x):
            return x.val, x.bdim
        return x, None

    def pack(self, val, bdim):
        return BatchTracer(self, val, bdim)

    def lift(self, x):
        return BatchTracer(self, x, None)

    def process_primitive(self, primitive, args, params):
        vals, dims = [], []
        for x in args:
            v, d = self.unpack(x)
            vals.append(v)
            dims.append(d)
        with set_current_trace(self.parent):
            if all(d is None for d in dims):
                out = primitive.bind(*vals, **params)
                out_dims = [None] * len(out) if primitive.multiple_results else None
            else:
                rule = primitive_batchers.get(primitive)
                if rule is None:
                    raise NotImplementedError(
                        f"Batching rule for primitive '{primitive.name}' is not implemented "
                        f"(while batching {self.description})."
                    )
                out, out_dims = rule(self.axis_size, vals, dims, **params)
        if primitive.multiple_results:
            return [self.pack(o, d) for o, d in zip(out, out_dims)]
        return self.pack(out, out_dims)

    def process_custom_derivative_call(self, call):
        dims = [self.unpack(x)[1] for x in call.args_flat]
        if all(d is None for d in dims) or self.parent is None:
            return call.fun_flat(*call.args_flat)  # batch the function itself, rule unused
        # An enclosing transform may differentiate: hand it the batched function and the
        # batched rule, on batch-first values.
        with set_current_trace(self.parent):
            vals = [bdim_at_front(v, d, self.axis_size) if d is not None else v
                    for v, d in (self.unpack(x) for x in call.args_flat)]
            in_dims = [0 if d is not None else None for d in dims]
            batched = _BatchedCall(call, vals, in_dims, self.axis_size, self.description)
            outs = self.parent.process_custom_derivative_call(batched)
        return [self.pack(o, 0) for o in outs]


class _BatchedCall:
    """A custom-derivative call whose function and rule work on whole batches (batch axis 0)."""

    def __init__(self, call, vals, in_dims, axis_size, description):
        self.call, self.in_dims, self.axis_size = call, in_dims, axis_size
        self.args_flat = vals
        self.description = description

    def fun_flat(self, *args):
        return vmap_flat(self.call.fun_flat, list(args), self.in_dims, self.axis_size, self.description)

    def jvp_flat(self, primals, tangents):
        # Symbolic zero tangents stay symbolic (and unbatched) inside.
        n = len(primals)
        t_dims = [None if type(t) is Zero else d for t, d in zip(tangents, self.in_dims)]
        tangents = [Zero(_example_aval(t.aval)) if type(t) is Zero and d is not None else t
                    for t, d in zip(tangents, self.in_dims)]

        def both(*args):
            outs, touts = self.call.jvp_flat(list(args[:n]), list(args[n:]))
            return list(outs) + [instantiate(t) for t in touts]

        out = vmap_flat(both, list(primals) + tangents, self.in_dims + t_dims, self.axis_size, self.description)
        half = len(out) // 2
        return out[:half], out[half:]


def _example_aval(aval):
    """The aval of one example of a batch-first aval."""
    return aval.update(shape=aval.shape[1:])


def vmap_flat(flat_fun, args, in_dims, axis_size, description, out_dims=None, out_name=None):
    """Run `flat_fun` on `args` batched along `in_dims` (None: unbatched); the outputs come back
    with their batch axis at `out_dims` (default 0; None entries: must be unbatched), which may
    be a function of the outputs when it depends on their tree (vmap's out_axes). `out_name(i)`
    names output i in errors (default "output i")."""
    trace = BatchTrace(current_trace(), description, axis_size)
    try:
        ins = [arg if d is None else BatchTracer(trace, arg, d) for arg, d in zip(args, in_dims)]
        with set_current_trace(trace):
            outs = flat_fun(*ins)
        out_dims = [0] * len(outs) if out_dims is None else out_dims(outs) if callable(out_dims) else out_dims
        results = []
        with set_current_trace(trace.parent):
            for i, (x, dst) in enumerate(zip(outs, out_dims)):
                val, bdim = trace.unpack(x)
                if dst is None:
                    if bdim is not None:
                        raise ValueError(
                            f"{description}: out_axes is None for {out_name(i) if out_name else f'output {i}'}, but that output is "
                            f"batched (its value depends on a batched input); use an integer out_axes"
                        )
                    results.append(val)
                else:
                    results.append(move_to(val, bdim, dst, axis_size))
    finally:
        trace.invalidate()
    return results


# ---------------------------------------------------------------- rule families


def defvectorized(primitive):
    """One operand; the op acts on each element (or along no particular axis), so the batch
    axis stays where it is."""

    def rule(axis_size, vals, dims, **params):
        out = primitive.bind(*vals, **params)
        if primitive.multiple_results:
            return out, [dims[0]] * len(out)
        return out, dims[0]

    primitive_batchers[primitive] = rule


def defbroadcasting(primitive, scalar_operands=None):
    """Elementwise over operands of one shape or rank 0: batched operands get their batch axis
    at a common place; full-rank unbatched operands are broadcast along it; unbatched rank-0
    operands stay scalars if the primitive takes scalars there (`scalar_operands`: the
    positions that may be rank 0 whatever the others' shape; None: all)."""

    def rule(axis_size, vals, dims, **params):
        rank = max(get_aval(v).ndim - (d is not None) for v, d in zip(vals, dims))
        # keep the batch axis of a full-rank batched operand where it is, if there is one
        bdim = next((d for v, d in zip(vals, dims) if d is not None and get_aval(v).ndim - 1 == rank), 0)
        args = []
        for i, (v, d) in enumerate(zip(vals, dims)):
            ndim = get_aval(v).ndim - (d is not None)
            if d is None and ndim == 0 and (scalar_operands is None or i in scalar_operands):
                args.append(v)
            elif ndim == rank:
                args.append(move_to(v, d, bdim, axis_size))
            else:  # a batch of scalars among full-rank operands
                shape = batched_shape(_full_shape(vals, dims, rank), bdim, axis_size)
                args.append(_bind("broadcast_in_dim", v, shape=shape, broadcast_dimensions=(bdim,)))
        out = primitive.bind(*args, **params)
        if primitive.multiple_results:
            return out, [bdim] * len(out)
        return out, bdim

    primitive_batchers[primitive] = rule


def _full_shape(vals, dims, rank):
    for v, d in zip(vals, dims):
        shape = list(get_aval(v).shape)
        if d is not None:
            del shape[d]
        if len(shape) == rank:
            return shape
    raise AssertionError("no operand of full rank")


def defreducer(primitive, axes_param="axes"):
    """One operand reduced over the axes in `params[axes_param]` (a tuple); the batch axis stays
    and moves left past the reduced axes before it."""

    def rule(axis_size, vals, dims, **params):
        (x,), (bdim,) = vals, dims
        axes = tuple(unbatched_axis(a, bdim) for a in params[axes_param])
        out = primitive.bind(x, **{**params, axes_param: axes})
        return out, bdim - sum(a < bdim for a in axes)

    primitive_batchers[primitive] = rule


def defaxis(primitive, axis_param="axis"):
    """One or more same-shape operands and an int param naming an axis the op works along
    (cumulative ops, sort): the batch axis, moved to a common place, stays put."""

    def rule(axis_size, vals, dims, **params):
        bdim = next(d for d in dims if d is not None)
        args = [move_to(v, d, bdim, axis_size) for v, d in zip(vals, dims)]
        out = primitive.bind(*args, **{**params, axis_param: unbatched_axis(params[axis_param], bdim)})
        if primitive.multiple_results:
            return out, [bdim] * len(out)
        return out, bdim

    primitive_batchers[primitive] = rule


# ---------------------------------------------------------------- ad's custom_vjp and checkpoint primitives


def _custom_lin_batch(axis_size, vals, dims, *, num_res, bwd, out_avals):
    """The user's bwd runs under vmap; every tangent goes batch-first so its cotangent does."""
    res, res_dims = vals[:num_res], dims[:num_res]
    tangents = [bdim_at_front(v, d, axis_size) for v, d in zip(vals[num_res:], dims[num_res:])]

    def batched_bwd(residuals, cts):
        def example_bwd(*args):
            return list(bwd(args[:num_res], list(args[num_res:])))

        return vmap_flat(example_bwd, [*residuals, *cts], [*res_dims, *[0] * len(cts)], axis_size, "custom_vjp bwd")

    avals = tuple(a.update(shape=(axis_size, *a.shape)) for a in out_avals)
    outs = custom_lin_p.bind(*res, *tangents, num_res=num_res, bwd=batched_bwd, out_avals=avals)
    return outs, [0] * len(outs)


def _remat_lin_batch(axis_size, vals, dims, *, num_primals, fun, out_avals):
    """A primal and its tangent stay unbatched if both are (shared weights are not copied per
    example); otherwise both go batch-first, as the function's JVP needs them alike."""
    pairs = list(zip(dims[:num_primals], dims[num_primals:]))
    in_dims = [None if d is None and t is None else 0 for d, t in pairs]
    front = [v if dst is None else bdim_at_front(v, d, axis_size)
             for v, d, dst in zip(vals, dims, in_dims + in_dims)]

    def batched_fun(*primals):
        return vmap_flat(fun, list(primals), in_dims, axis_size, "checkpoint")

    avals = tuple(a.update(shape=(axis_size, *a.shape)) for a in out_avals)
    outs = remat_lin_p.bind(*front, num_primals=num_primals, fun=batched_fun, out_avals=avals)
    return outs, [0] * len(outs)


primitive_batchers[custom_lin_p] = _custom_lin_batch
primitive_batchers[remat_lin_p] = _remat_lin_batch
