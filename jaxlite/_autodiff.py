"""The autodiff API: jvp, linearize, vjp, grad, value_and_grad, jacfwd, jacrev, hessian."""

import functools

import numpy as np

from . import tree_util
from ._api_util import fun_name
from .core import Array, Tracer, current_trace, eval_jaxpr, get_aval, wrap
from .transforms import ad

__all__ = ["jvp", "linearize", "vjp", "grad", "value_and_grad", "jacfwd", "jacrev", "hessian"]


def _flat_fun(fun, in_tree, has_aux, store):
    """`fun` taking and returning flat lists of leaves. Aux leaves (has_aux) follow the output
    leaves, so the transform hands them back as plain primal values; the trees go to `store`."""

    def flat(*leaves):
        out = fun(*tree_util.tree_unflatten(in_tree, leaves))
        aux_leaves = []
        if has_aux:
            if not (isinstance(out, (tuple, list)) and len(out) == 2):
                raise TypeError(f"{fun_name(fun)}: with has_aux=True the function must return a pair (output, aux)")
            out, aux = out
            aux_leaves, store["aux_tree"] = tree_util.tree_flatten(aux)
        leaves_out, store["tree"] = tree_util.tree_flatten(out)
        store["n_out"] = len(leaves_out)
        return leaves_out + aux_leaves

    return flat


def _split(store, leaves):
    """Output leaves and, when there is aux, the aux tree rebuilt from the leaves after them."""
    n = store["n_out"]
    aux = tree_util.tree_unflatten(store["aux_tree"], leaves[n:]) if "aux_tree" in store else None
    return leaves[:n], aux


def _as_array(x):
    """Outputs of transforms are jaxlite arrays, even where a rule returned a Python number."""
    return x if isinstance(x, (Array, Tracer)) else wrap(np.asarray(x))


def _as_arrays(tree):
    return tree_util.tree_map(_as_array, tree)


def _check_tangent(primal, tangent, where):
    p, t = get_aval(primal), get_aval(tangent)
    if ad.is_differentiable(p) and (p.shape != t.shape or p.dtype != t.dtype):
        raise ValueError(
            f"{where}: a tangent must have its primal's shape and dtype; primal {p.str_short()}, "
            f"tangent {t.str_short()}"
        )


def jvp(fun, primals, tangents, has_aux=False):
    """(fun(*primals), the derivative of fun at primals applied to tangents)."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primals and tangents must be tuples or lists of arguments")
    p_leaves, p_tree = tree_util.tree_flatten(tuple(primals))
    t_leaves, t_tree = tree_util.tree_flatten(tuple(tangents))
    if p_tree != t_tree:
        raise ValueError(f"jvp: primals and tangents must have the same structure, got {p_tree} and {t_tree}")
    for p, t in zip(p_leaves, t_leaves):
        _check_tangent(p, t, "jvp")
    t_leaves = [t if ad.is_differentiable(get_aval(p)) else ad.Zero(get_aval(p)) for p, t in zip(p_leaves, t_leaves)]
    store = {}
    flat = _flat_fun(lambda *args: fun(*args), p_tree, has_aux, store)
    out_p, out_t = ad.jvp_flat(flat, p_leaves, t_leaves, current_trace(), f"jvp({fun_name(fun)})")
    out_p, aux = _split(store, out_p)
    out_t = [_as_array(ad.instantiate(t)) for t in out_t[: len(out_p)]]
    result = (_as_arrays(tree_util.tree_unflatten(store["tree"], out_p)), tree_util.tree_unflatten(store["tree"], out_t))
    return (*result, aux) if has_aux else result


def linearize(fun, *primals, has_aux=False):
    """(fun(*primals), f_jvp) where f_jvp(*tangents) is the linear map, evaluated lazily."""
    p_leaves, p_tree = tree_util.tree_flatten(primals)
    store = {}
    flat = _flat_fun(fun, p_tree, has_aux, store)
    out, linear, mask = ad.linearize_flat(flat, p_leaves, current_trace(), f"linearize({fun_name(fun)})")
    out, aux = _split(store, out)

    def f_jvp(*tangents):
        t_leaves, t_tree = tree_util.tree_flatten(tangents)
        if t_tree != p_tree:
            raise ValueError(f"linearize: tangents must have the primals' structure {p_tree}, got {t_tree}")
        args = [t for t, m in zip(t_leaves, mask) if m]
        out_t = eval_jaxpr(linear.jaxpr, linear.consts, *args)[: len(out)]
        return tree_util.tree_unflatten(store["tree"], out_t)

    result = (_as_arrays(tree_util.tree_unflatten(store["tree"], out)), f_jvp)
    return (*result, aux) if has_aux else result


def vjp(fun, *primals, has_aux=False):
    """(fun(*primals), vjp_fn) where vjp_fn(cotangent) gives one cotangent per primal."""
    p_leaves, p_tree = tree_util.tree_flatten(primals)
    store = {}
    flat = _flat_fun(fun, p_tree, has_aux, store)
    out, linear, mask = ad.linearize_flat(flat, p_leaves, current_trace(), f"vjp({fun_name(fun)})")
    out, aux = _split(store, out)
    out_tree = store["tree"]
    aux_cts = [None] * (len(linear.jaxpr.outvars) - len(out))

    def vjp_fn(cotangent):
        ct_leaves, ct_tree = tree_util.tree_flatten(cotangent)
        if ct_tree != out_tree:
            raise ValueError(f"vjp: the cotangent must have the output's structure {out_tree}, got {ct_tree}")
        for o, ct in zip(out, ct_leaves):
            _check_tangent(o, ct, "vjp")
        cts = ad.backward_pass(linear.jaxpr, linear.consts, list(ct_leaves) + aux_cts)
        cts = iter(cts)
        grads = [_as_array(ad.instantiate(next(cts))) if m else _int_zeros(p) for p, m in zip(p_leaves, mask)]
        return tree_util.tree_unflatten(p_tree, grads)

    result = (_as_arrays(tree_util.tree_unflatten(out_tree, out)), vjp_fn)
    return (*result, aux) if has_aux else result


def _int_zeros(primal):
    return ad.zeros_like_aval(get_aval(primal).strip_weak_type())


def _argnums_tuple(argnums, nargs, where):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"{where}: argnums {argnums} is out of range for a function called with {nargs} positional arguments")
    if len({i % nargs for i in nums}) != len(nums):
        raise ValueError(f"{where}: argnums {argnums} names the same argument more than once")
    return tuple(i % nargs for i in nums)


def _differentiated_args(fun, args, kwargs, argnums, name):
    """The arguments named by argnums, and `fun` as a function of those alone."""
    nums = _argnums_tuple(argnums, len(args), name)

    def partial(*dyn_args):
        full = list(args)
        for i, a in zip(nums, dyn_args):
            full[i] = a
        return fun(*full, **kwargs)

    return tuple(args[i] for i in nums), partial


def _check_inputs(leaves, where, holomorphic, allow_int):
    for leaf in leaves:
        dtype = get_aval(leaf).dtype
        if holomorphic and dtype.kind != "c":
            raise TypeError(f"{where} with holomorphic=True requires complex-valued inputs, got {dtype.name}")
        if dtype.kind not in "fc" and not allow_int:
            raise TypeError(
                f"{where} requires real- or complex-valued inputs (a float or complex dtype), but got "
                f"{dtype.name}. If you want to use integer or boolean inputs, use vjp or set allow_int=True."
            )


def value_and_grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """A function returning (fun(*args), the gradient of fun with respect to args[argnums])."""
    name = f"value_and_grad({fun_name(fun)})"

    @functools.wraps(fun)
    def value_and_grad_fun(*args, **kwargs):
        dyn, partial = _differentiated_args(fun, args, kwargs, argnums, name)
        _check_inputs(tree_util.tree_leaves(dyn), name, holomorphic, allow_int)

        out, vjp_fn, *aux = vjp(partial, *dyn, has_aux=has_aux)
        out_aval = get_aval(out) if isinstance(out, (Array, Tracer)) else None
        if out_aval is None or out_aval.shape != ():
            shown = out_aval.str_short() if out_aval is not None else type(out).__name__
            raise TypeError(f"{name}: grad requires a scalar output, got {shown}. Use jacrev, jacfwd or vjp for non-scalar outputs.")
        if out_aval.dtype.kind not in ("fc" if holomorphic else "f"):
            raise TypeError(
                f"{name}: grad requires a real float scalar output, got {out_aval.dtype.name}"
                + ("; for complex outputs use holomorphic=True or vjp" if out_aval.dtype.kind == "c" else "")
            )
        grads = vjp_fn(np.ones((), out_aval.dtype)[()])
        grads = grads[0] if isinstance(argnums, int) else tuple(grads)
        return ((out, aux[0]) if has_aux else out), grads

    return value_and_grad_fun


def grad(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """The gradient of a scalar function with respect to args[argnums]."""
    value_and_grad_fun = value_and_grad(fun, argnums, has_aux, holomorphic, allow_int)

    @functools.wraps(fun)
    def grad_fun(*args, **kwargs):
        value, grads = value_and_grad_fun(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return grad_fun


def _std_basis(avals):
    """One basis vector per element of all the leaves together: for each leaf an array of
    shape (total size, *leaf shape), the rows of an identity matrix cut to that leaf."""
    from . import numpy as jnp

    total = sum(a.size for a in avals)
    basis, offset = [], 0
    for a in avals:
        block = jnp.eye(total, a.size, -offset, dtype=a.dtype)
        basis.append(block.reshape((total, *a.shape)))
        offset += a.size
    return total, basis


def _split_last(x, in_avals, lead_shape):
    """x of shape (*lead_shape, total): one block per input leaf, reshaped to lead + in.shape."""
    blocks, offset = [], 0
    for a in in_avals:
        block = x[..., offset : offset + a.size]
        blocks.append(block.reshape((*lead_shape, *a.shape)))
        offset += a.size
    return blocks


def _split_first(x, out_avals, tail_shape):
    """x of shape (total, *tail_shape): one block per output leaf, reshaped to out.shape + tail."""
    blocks, offset = [], 0
    for a in out_avals:
        blocks.append(x[offset : offset + a.size].reshape((*a.shape, *tail_shape)))
        offset += a.size
    return blocks


def jacfwd(fun, argnums=0, has_aux=False, holomorphic=False):
    """The Jacobian by forward mode: jvp, vmapped over a basis of input tangents."""
    from ._vmap import vmap

    name = f"jacfwd({fun_name(fun)})"

    def jacfwd_fun(*args, **kwargs):
        dyn, partial = _differentiated_args(fun, args, kwargs, argnums, name)
        leaves, tree = tree_util.tree_flatten(dyn)
        _check_inputs(leaves, name, holomorphic, False)
        in_avals = [get_aval(leaf).strip_weak_type() for leaf in leaves]
        total, basis = _std_basis(in_avals)

        def pushfwd(*tangents):
            return jvp(partial, dyn, tuple(tree_util.tree_unflatten(tree, tangents)), has_aux=has_aux)

        out_axes = (None, -1, None) if has_aux else (None, -1)
        result = vmap(pushfwd, out_axes=out_axes, axis_size=total)(*basis)
        out, tangents = result[0], result[1]
        out_leaves, out_tree = tree_util.tree_flatten(out)
        jac = [_split_last(t, in_avals, get_aval(o).shape)
               for o, t in zip(out_leaves, tree_util.tree_leaves(tangents))]
        jac = _assemble(jac, out_tree, tree, argnums)
        return (jac, result[2]) if has_aux else jac

    return jacfwd_fun


def jacrev(fun, argnums=0, has_aux=False, holomorphic=False, allow_int=False):
    """The Jacobian by reverse mode: one vjp, its pullback vmapped over a basis of output
    cotangents."""
    from ._vmap import vmap

    name = f"jacrev({fun_name(fun)})"

    def jacrev_fun(*args, **kwargs):
        dyn, partial = _differentiated_args(fun, args, kwargs, argnums, name)
        leaves, tree = tree_util.tree_flatten(dyn)
        _check_inputs(leaves, name, holomorphic, allow_int)

        out, vjp_fn, *aux = vjp(partial, *dyn, has_aux=has_aux)
        out_leaves, out_tree = tree_util.tree_flatten(out)
        out_avals = [get_aval(o).strip_weak_type() for o in out_leaves]
        total, basis = _std_basis(out_avals)
        pullback = vmap(lambda *cts: vjp_fn(tree_util.tree_unflatten(out_tree, cts)), axis_size=total)
        cts_in = tree_util.tree_leaves(pullback(*basis))
        per_input = [_split_first(ct, out_avals, get_aval(leaf).shape) for ct, leaf in zip(cts_in, leaves)]
        jac = [[per_input[k][j] for k in range(len(leaves))] for j in range(len(out_leaves))]
        jac = _assemble(jac, out_tree, tree, argnums)
        return (jac, aux[0]) if has_aux else jac

    return jacrev_fun


def _assemble(jac, out_tree, in_tree, argnums):
    """Nested lists jac[out_leaf][in_leaf] as the output tree of input trees (JAX's layout)."""
    per_out = []
    for row in jac:
        ins = tree_util.tree_unflatten(in_tree, row)
        per_out.append(ins[0] if isinstance(argnums, int) else ins)
    return tree_util.tree_unflatten(out_tree, per_out)


def hessian(fun, argnums=0, has_aux=False, holomorphic=False):
    """The Hessian, as forward-over-reverse: jacfwd(jacrev(fun)) (both batched with vmap)."""
    return jacfwd(jacrev(fun, argnums, has_aux, holomorphic), argnums, has_aux, holomorphic)
