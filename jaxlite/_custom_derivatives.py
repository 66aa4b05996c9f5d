"""custom_jvp, custom_vjp and stop_gradient: functions with derivative rules of their own."""

import functools
import inspect

from . import tree_util
from ._api_util import fun_name
from .core import current_trace, get_aval
from .transforms import ad

__all__ = ["custom_jvp", "custom_vjp", "checkpoint", "remat"]


def _positional(fun, args, kwargs):
    """All arguments as positional ones (rules take their arguments positionally)."""
    if not kwargs:
        return tuple(args)
    bound = inspect.signature(fun).bind(*args, **kwargs)
    bound.apply_defaults()
    return tuple(bound.args) + tuple(bound.kwargs.values())


class _Call:
    """One call of a custom-derivative function, flattened for the traces."""

    def __init__(self, fun, args, nondiff_argnums):
        self.fun = fun
        self.nondiff = {i: args[i] for i in nondiff_argnums}
        self.diff = [a for i, a in enumerate(args) if i not in self.nondiff]
        self.args_flat, self.in_tree = tree_util.tree_flatten(self.diff)
        self.out_tree = None

    def full_args(self, diff):
        diff = iter(diff)
        n = len(self.nondiff) + len(self.diff)
        return [self.nondiff[i] if i in self.nondiff else next(diff) for i in range(n)]

    def unflatten(self, leaves):
        return tree_util.tree_unflatten(self.in_tree, leaves)

    def fun_flat(self, *leaves):
        out = self.fun(*self.full_args(self.unflatten(leaves)))
        out_leaves, self.out_tree = tree_util.tree_flatten(out)
        return out_leaves


def _call_with_rule(fun, args, kwargs, nondiff_argnums, jvp_flat):
    """Call `fun`, letting the current trace use `jvp_flat(call, primals, tangents)` as its
    derivative rule."""
    args = _positional(fun, args, kwargs)
    if current_trace() is None:
        return fun(*args)
    call = _Call(fun, args, nondiff_argnums)
    call.jvp_flat = functools.partial(jvp_flat, call)
    out = current_trace().process_custom_derivative_call(call)
    return tree_util.tree_unflatten(call.out_tree, out)


class custom_jvp:
    """A function whose JVP (and so gradient) is given by a rule: `f.defjvp(rule)` where
    `rule(primals, tangents) -> (primal_out, tangent_out)` (non-differentiable arguments named
    in nondiff_argnums come first)."""

    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp = None

    def defjvp(self, jvp):
        self.jvp = jvp
        return jvp

    def defjvps(self, *tangent_fns):
        """One rule per argument: tangent_fn(g, primal_out, *primals) -> its contribution."""

        def jvp(primals, tangents):
            out = self.fun(*primals)
            contributions = [
                fn(t, out, *primals)
                for fn, t in zip(tangent_fns, tangents)
                if fn is not None and not _is_symbolic_zero(t)
            ]
            total = functools.reduce(lambda a, b: tree_util.tree_map(lambda x, y: x + y, a, b), contributions)
            return out, total

        self.jvp = jvp

    def __call__(self, *args, **kwargs):
        if self.jvp is None:
            raise AttributeError(f"No JVP defined for custom_jvp function {fun_name(self.fun)}; use defjvp.")
        return _call_with_rule(self.fun, args, kwargs, self.nondiff_argnums, self._jvp_flat)

    def _jvp_flat(self, call, primals, tangents):
        tangents = [ad.instantiate(t) for t in tangents]
        nondiff = [call.nondiff[i] for i in sorted(call.nondiff)]
        out, tangent_out = self.jvp(*nondiff, tuple(call.unflatten(primals)), tuple(call.unflatten(tangents)))
        out_leaves, call.out_tree = tree_util.tree_flatten(out)
        t_leaves, t_tree = tree_util.tree_flatten(tangent_out)
        if t_tree != call.out_tree:
            raise TypeError(
                f"custom_jvp rule of {fun_name(self.fun)} must return a tangent output with the "
                f"primal output's structure {call.out_tree}, got {t_tree}"
            )
        return out_leaves, t_leaves


def _is_symbolic_zero(t):
    return type(t) is ad.Zero


class custom_vjp:
    """A function whose VJP is given by `f.defvjp(fwd, bwd)`: fwd(*args) -> (out, residuals),
    bwd(residuals, cotangent) -> a tuple with one cotangent per (differentiable) argument."""

    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd = self.bwd = None

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args, **kwargs):
        if self.fwd is None:
            raise AttributeError(f"No VJP defined for custom_vjp function {fun_name(self.fun)}; use defvjp.")
        return _call_with_rule(self.fun, args, kwargs, self.nondiff_argnums, self._jvp_flat)

    def _jvp_flat(self, call, primals, tangents):
        result = self.fwd(*call.full_args(call.unflatten(primals)))
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise TypeError(f"custom_vjp fwd rule of {fun_name(self.fun)} must return a pair (output, residuals)")
        out, residuals = result
        out_leaves, call.out_tree = tree_util.tree_flatten(out)
        res_leaves, res_tree = tree_util.tree_flatten(residuals)
        nondiff = [call.nondiff[i] for i in sorted(call.nondiff)]

        def bwd_flat(res, cts):
            ct_in = self.bwd(*nondiff, tree_util.tree_unflatten(res_tree, list(res)),
                             tree_util.tree_unflatten(call.out_tree, cts))
            if not isinstance(ct_in, (tuple, list)) or len(ct_in) != len(call.diff):
                raise TypeError(
                    f"custom_vjp bwd rule of {fun_name(self.fun)} must return a tuple with one "
                    f"cotangent per differentiable argument ({len(call.diff)}), got {ct_in!r:.80}"
                )
            try:
                return tree_util.tree_structure(tuple(call.diff)).flatten_up_to(tuple(ct_in))
            except ValueError as err:
                raise TypeError(f"custom_vjp bwd rule of {fun_name(self.fun)} returned cotangents "
                                f"that do not match the arguments' structure: {err}") from None

        out_avals = tuple(get_aval(o).strip_weak_type() for o in out_leaves)
        tangents_out = ad.custom_lin_p.bind(
            *res_leaves, *[ad.instantiate(t) for t in tangents],
            num_res=len(res_leaves), bwd=bwd_flat, out_avals=out_avals,
        )
        return out_leaves, tangents_out


def checkpoint(fun, *, prevent_cse=True, policy=None, static_argnums=()):
    """`fun`, differentiated without saving its intermediate values: reverse mode keeps only
    its inputs and recomputes the rest during the backward pass (less memory, more compute).
    `prevent_cse` and `policy` are accepted for JAX compatibility; every intermediate is
    recomputed."""

    @functools.wraps(fun)
    def checkpointed(*args, **kwargs):
        return _call_with_rule(fun, args, kwargs, static_argnums, _checkpoint_jvp_flat)

    return checkpointed


remat = checkpoint


def _checkpoint_jvp_flat(call, primals, tangents):
    out = call.fun_flat(*primals)
    out_avals = tuple(get_aval(o).strip_weak_type() for o in out)
    tangents_out = ad.remat_lin_p.bind(
        *primals, *[ad.instantiate(t) for t in tangents],
        num_primals=len(primals), fun=call.fun_flat, out_avals=out_avals,
    )
    return out, tangents_out
