"""Structured control flow: cond, switch, while_loop, fori_loop, scan and map.

Each construct traces the user's functions into jaxprs (without constants: those become the
primitive's leading operands) and binds one of three primitives whose params hold the jaxprs:

- cond_p (index, *operands; branches): runs branches[index];
- while_p (*cond_consts, *body_consts, *carry; cond_jaxpr, body_jaxpr, cond_nconsts,
  body_nconsts): carry = body(carry) while cond(carry);
- scan_p (*consts, *carry, *xs; jaxpr, num_consts, num_carry, length, reverse, unroll):
  carry, y = f(carry, x) over the leading axis of xs, stacking the ys.

Eagerly the primitives run as Python loops over their jaxprs; the transforms' rules for them live
in control_flow_ad.py and control_flow_batching.py, their Numba lowering in
numba_control_flow.py. A loop body must give its carry back with the same types; a weakly typed
initial carry (a Python scalar) takes the body's dtype, as in JAX.
"""

import numpy as np

from .. import tree_util
from ..core import (
    Array, Jaxpr, Primitive, ShapedArray, Tracer, Var, eval_jaxpr, get_aval, to_numpy_array, trace_to_jaxpr,
)
from ..transforms.jaxpr_util import closure_convert
from .shape import convert_element_type_p

__all__ = ["cond_p", "while_p", "scan_p", "cond", "switch", "while_loop", "fori_loop", "scan", "map"]

cond_p = Primitive("cond", multiple_results=True)
while_p = Primitive("while", multiple_results=True)
scan_p = Primitive("scan", multiple_results=True)


# ---------------------------------------------------------------- tracing user functions


def _fun_name(fun):
    return getattr(fun, "__name__", None) or type(fun).__name__


def _trace(fun, in_tree, in_avals, description):
    """Trace fun(*pytree args) at `in_avals` (flat, structured by in_tree) into
    (jaxpr without constvars, consts, out_tree)."""
    store = {}

    def flat_fun(*leaves):
        out = fun(*tree_util.tree_unflatten(in_tree, leaves))
        out_leaves, store["tree"] = tree_util.tree_flatten(out)
        return out_leaves

    jaxpr, consts = closure_convert(trace_to_jaxpr(flat_fun, list(in_avals), description))
    return jaxpr, consts, store["tree"]


def _avals(leaves):
    return [get_aval(x) for x in leaves]


def _type_text(aval):
    return aval.str_short()


def _same_type(a, b):
    return a.shape == b.shape and a.dtype == b.dtype


def _all_same(avals, others):
    return all(_same_type(a, b) for a, b in zip(avals, others))


def _types_text(avals):
    return [_type_text(a) for a in avals]


def _convert(x, dtype):
    dtype = np.dtype(dtype)
    aval = get_aval(x)
    if aval.dtype == dtype and not aval.weak_type:
        return x
    if not isinstance(x, Tracer):
        return np.asarray(to_numpy_array(x) if isinstance(x, Array) else x).astype(dtype)
    return convert_element_type_p.bind(x, new_dtype=dtype, weak_type=False)


def _check_carry(what, tree, in_avals, out_tree, out_avals, paths):
    """TypeError naming each carry whose type the body changes."""
    if out_tree != tree:
        raise TypeError(
            f"{what} must return a carry with the same structure as its input carry: the input "
            f"is {tree}, the output is {out_tree}."
        )
    bad = [f"  {p}: input {_type_text(a)}, output {_type_text(b)}"
           for p, a, b in zip(paths, in_avals, out_avals) if not _same_type(a, b)]
    if bad:
        raise TypeError(
            f"{what} must keep each carry's shape and dtype, but it changes:\n" + "\n".join(bad)
            + "\nCast the body's result (e.g. with .astype) or the initial value to the type it should keep."
        )


def _carry_paths(tree_like, prefix):
    return [prefix + tree_util.keystr(p) for p, _ in tree_util.tree_flatten_with_path(tree_like)[0]]


def _trace_loop_body(fun, make_args, carry, what, description, out_carry, paths=None):
    """Trace a loop body whose carry must come back unchanged in type. `make_args(carry_avals)`
    gives (in_tree, flat in_avals) of the body's arguments; `out_carry(out_tree, outs)` picks the
    carry part of its output. Weakly typed initial carries take the body's output dtype (one
    retrace). Returns (jaxpr, consts, out_tree, carry leaves)."""
    leaves, tree = tree_util.tree_flatten(carry)
    paths = paths or _carry_paths(carry, "carry")
    for attempt in range(2):
        avals = _avals(leaves)
        in_tree, in_avals = make_args(tree, avals)
        jaxpr, consts, out_tree = _trace(fun, in_tree, in_avals, description)
        (carry_tree, carry_avals) = out_carry(out_tree, jaxpr.out_avals)
        weak_fix = [
            i for i, (a, b) in enumerate(zip(avals, carry_avals))
            if a.weak_type and a.shape == b.shape and a.dtype != b.dtype
        ] if carry_tree == tree else []
        if not weak_fix or attempt:
            _check_carry(what, tree, avals, carry_tree, carry_avals, paths)
            return jaxpr, consts, out_tree, leaves
        leaves = [_convert(x, carry_avals[i].dtype) if i in weak_fix else x for i, x in enumerate(leaves)]
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- cond / switch


def switch(index, branches, *operands):
    """branches[clamp(index, 0, len(branches) - 1)](*operands), as jax.lax.switch."""
    branches = list(branches)
    if not branches or not all(callable(b) for b in branches):
        raise TypeError("switch: branches must be a non-empty sequence of callables")
    index_aval = get_aval(index)
    if index_aval.shape != () or index_aval.dtype.kind not in "iub":
        raise TypeError(f"switch: index must be an integer scalar, got {_type_text(index_aval)}")
    index = _convert(index, np.int32)
    if len(branches) > 1:
        index = _clamp_index(index, len(branches))
    return _switch(index, branches, operands)


def _switch(index, branches, operands):
    """switch with an int32 index already in range."""
    leaves, in_tree = tree_util.tree_flatten(tuple(operands))
    in_avals = _avals(leaves)
    traced = [_trace(b, in_tree, in_avals, f"switch branch {k} ({_fun_name(b)})") for k, b in enumerate(branches)]
    out_tree = traced[0][2]
    for k, (jaxpr, _, tree) in enumerate(traced[1:], 1):
        if tree != out_tree or not _all_same(jaxpr.out_avals, traced[0][0].out_avals):
            raise TypeError(
                "switch/cond: branches must return the same structure and types; branch 0 returns "
                f"{_signature_text(out_tree, traced[0][0].out_avals)}, branch {k} returns "
                f"{_signature_text(tree, jaxpr.out_avals)}"
            )
    if len(branches) == 1:
        jaxpr, consts, _ = traced[0]
        return tree_util.tree_unflatten(out_tree, eval_jaxpr(jaxpr, [], *consts, *leaves))
    jaxprs, consts = _join_consts([(j, c) for j, c, _ in traced])
    outs = cond_p.bind(index, *consts, *leaves, branches=tuple(jaxprs))
    return tree_util.tree_unflatten(out_tree, outs)


def cond(pred, true_fun, false_fun, *operands):
    """true_fun(*operands) if pred else false_fun(*operands), as jax.lax.cond."""
    pred_aval = get_aval(pred)
    if pred_aval.shape != ():
        raise TypeError(f"cond: pred must be a scalar, got {_type_text(pred_aval)}")
    if pred_aval.dtype.kind not in "biuf":
        raise TypeError(f"cond: pred must be a boolean or number, got {pred_aval.dtype}")
    if pred_aval.dtype.kind != "b":
        pred = _primitive("ne").bind(pred, np.zeros((), pred_aval.dtype)[()])
    return _switch(_convert(pred, np.int32), (false_fun, true_fun), operands)


def _primitive(name):
    from . import PRIMITIVES

    return PRIMITIVES[name]


def _clamp_index(index, n):
    lo, hi = np.int32(0), np.int32(n - 1)
    return _primitive("min").bind(_primitive("max").bind(index, lo), hi)


def _signature_text(tree, avals):
    return f"{tree} of ({', '.join(_types_text(avals))})"


def _join_consts(traced):
    """Branch jaxprs that all take every branch's constants (then the operands): each ignores
    the others'. Returns (jaxprs, joined consts)."""
    counts = [len(c) for _, c in traced]
    joined, jaxprs = [], []
    for k, (jaxpr, consts) in enumerate(traced):
        joined.extend(consts)
        before = [Var(get_aval(c)) for _, cs in traced[:k] for c in cs]
        after = [Var(get_aval(c)) for _, cs in traced[k + 1:] for c in cs]
        own, operands = jaxpr.invars[: counts[k]], jaxpr.invars[counts[k]:]
        jaxprs.append(Jaxpr([], [*before, *own, *after, *operands], jaxpr.outvars, jaxpr.eqns))
    return jaxprs, joined


def _cond_impl(index, *args, branches):
    jaxpr = branches[int(index)]
    return [to_numpy_array(x) for x in eval_jaxpr(jaxpr, [], *args)]


def _check_operands(name, avals, expected):
    if len(avals) != len(expected) or not _all_same(avals, expected):
        got = ", ".join(_types_text(avals))
        want = ", ".join(_types_text(expected))
        raise TypeError(f"{name}: operands of types ({got}) do not match its jaxpr's inputs ({want})")


def _cond_abstract_eval(index, *avals, branches):
    if index.shape != () or index.dtype != np.int32:
        raise TypeError(f"cond: the index must be an int32 scalar, got {_type_text(index)}")
    for jaxpr in branches:
        _check_operands("cond", avals, jaxpr.in_avals)
    return list(branches[0].out_avals)


cond_p.def_impl(_cond_impl)
cond_p.def_abstract_eval(_cond_abstract_eval)


# ---------------------------------------------------------------- while_loop


def while_loop(cond_fun, body_fun, init_val):
    """val = body_fun(val) while cond_fun(val), as jax.lax.while_loop."""

    def args(tree, avals):
        return tree_util.tree_structure((tree_util.tree_unflatten(tree, avals),)), avals

    name = _fun_name(body_fun)
    body, body_consts, _, leaves = _trace_loop_body(
        body_fun, args, init_val, f"while_loop body_fun ({name})", f"while_loop body ({name})",
        out_carry=lambda tree, avals: (tree, avals))
    tree = tree_util.tree_structure(init_val)
    in_tree = tree_util.tree_structure((tree_util.tree_unflatten(tree, leaves),))
    cond_jaxpr, cond_consts, pred_tree = _trace(cond_fun, in_tree, _avals(leaves), f"while_loop cond ({_fun_name(cond_fun)})")
    pred = cond_jaxpr.out_avals
    if pred_tree != tree_util.tree_structure(0) or pred[0].shape != () or pred[0].dtype != np.bool_:
        shown = ", ".join(_types_text(pred))
        raise TypeError(f"while_loop: cond_fun must return a boolean scalar, got {pred_tree} of ({shown})")
    outs = while_p.bind(*cond_consts, *body_consts, *leaves, cond_jaxpr=cond_jaxpr, body_jaxpr=body,
                        cond_nconsts=len(cond_consts), body_nconsts=len(body_consts))
    return tree_util.tree_unflatten(tree, outs)


def _while_impl(*args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cond_consts, body_consts = args[:cond_nconsts], args[cond_nconsts: cond_nconsts + body_nconsts]
    carry = list(args[cond_nconsts + body_nconsts:])
    while bool(to_numpy_array(eval_jaxpr(cond_jaxpr, [], *cond_consts, *carry)[0])):
        carry = eval_jaxpr(body_jaxpr, [], *body_consts, *carry)
    return [to_numpy_array(x) for x in carry]


def _while_abstract_eval(*avals, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    carry = avals[cond_nconsts + body_nconsts:]
    _check_operands("while", [*avals[:cond_nconsts], *carry], cond_jaxpr.in_avals)
    _check_operands("while", avals[cond_nconsts:], body_jaxpr.in_avals)
    return list(carry)


while_p.def_impl(_while_impl)
while_p.def_abstract_eval(_while_abstract_eval)


# ---------------------------------------------------------------- scan


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """carry, y = f(carry, x) over the leading axis of xs; returns (carry, stacked ys), as
    jax.lax.scan."""
    return _scan(f, init, xs, length, reverse, unroll, f"scan f ({_fun_name(f)})", None)


def _scan(f, init, xs, length, reverse, unroll, what, paths):
    x_leaves, x_tree = tree_util.tree_flatten(xs)
    x_avals = _avals(x_leaves)
    lengths = {a.shape[0] for a in x_avals if a.shape}
    if any(a.shape == () for a in x_avals):
        raise ValueError("scan: every leaf of xs must have a leading axis to scan over; got a scalar")
    if length is not None:
        length = int(length)
        lengths.add(length)
    if len(lengths) > 1:
        shown = ", ".join(f"{tree_util.keystr(p)}: {a.shape[0]}" for (p, _), a in
                          zip(tree_util.tree_flatten_with_path(xs)[0], x_avals))
        raise ValueError(f"scan: xs leaves and length= must agree on the scan length; got {shown}"
                         + (f", length={length}" if length is not None else ""))
    if not lengths:
        raise ValueError("scan: with no xs to scan over, pass length=")
    (length,) = lengths
    if isinstance(unroll, bool):
        unroll = length if unroll else 1
    unroll = int(unroll)
    if unroll < 1:
        raise ValueError(f"scan: unroll must be a positive integer or a bool, got {unroll}")
    x_slice = [ShapedArray(a.shape[1:], a.dtype, a.weak_type) for a in x_avals]

    def args(tree, avals):
        carry = tree_util.tree_unflatten(tree, avals)
        in_tree = tree_util.tree_structure((carry, tree_util.tree_unflatten(x_tree, x_slice)))
        return in_tree, [*avals, *x_slice]

    def carry_part(out_tree, out_avals):
        try:
            carry_out, _ = tree_util.tree_unflatten(out_tree, range(len(out_avals)))
        except (TypeError, ValueError):
            raise TypeError(f"scan: f must return a pair (carry, y), got {out_tree}") from None
        tree = tree_util.tree_structure(carry_out)
        return tree, [out_avals[i] for i in tree_util.tree_leaves(carry_out)]

    jaxpr, consts, out_tree, leaves = _trace_loop_body(
        f, args, init, what, f"{what} body", out_carry=carry_part, paths=paths)
    outs = scan_p.bind(*consts, *leaves, *x_leaves, jaxpr=jaxpr, num_consts=len(consts),
                       num_carry=len(leaves), length=length, reverse=bool(reverse), unroll=unroll)
    carry_tree = tree_util.tree_structure(init)
    carry = tree_util.tree_unflatten(carry_tree, outs[: len(leaves)])
    _, y_indices = tree_util.tree_unflatten(out_tree, range(len(jaxpr.outvars)))
    y_tree = tree_util.tree_structure(y_indices)
    return carry, tree_util.tree_unflatten(y_tree, outs[len(leaves):])


def _scan_impl(*args, jaxpr, num_consts, num_carry, length, reverse, unroll):
    consts, carry, xs = args[:num_consts], list(args[num_consts: num_consts + num_carry]), args[num_consts + num_carry:]
    y_avals = jaxpr.out_avals[num_carry:]
    ys = [np.empty((length, *a.shape), a.dtype) for a in y_avals]
    for i in (range(length - 1, -1, -1) if reverse else range(length)):
        outs = eval_jaxpr(jaxpr, [], *consts, *carry, *[x[i] for x in xs])
        carry = outs[:num_carry]
        for y, out in zip(ys, outs[num_carry:]):
            y[i] = to_numpy_array(out)
    return [*[to_numpy_array(c) for c in carry], *ys]


def _scan_abstract_eval(*avals, jaxpr, num_consts, num_carry, length, reverse, unroll):
    xs = avals[num_consts + num_carry:]
    if any(a.shape[:1] != (length,) for a in xs):
        raise TypeError(f"scan: every xs operand must have leading axis {length}, got "
                        + ", ".join(_types_text(xs)))
    x_slice = [ShapedArray(a.shape[1:], a.dtype) for a in xs]
    _check_operands("scan", [*avals[: num_consts + num_carry], *x_slice], jaxpr.in_avals)
    carry = jaxpr.out_avals[:num_carry]
    _check_operands("scan carry", carry, jaxpr.in_avals[num_consts: num_consts + num_carry])
    ys = [ShapedArray((length, *a.shape), a.dtype) for a in jaxpr.out_avals[num_carry:]]
    return [*avals[num_consts: num_consts + num_carry], *ys]


scan_p.def_impl(_scan_impl)
scan_p.def_abstract_eval(_scan_abstract_eval)


# ---------------------------------------------------------------- fori_loop and map


def _concrete_int(x):
    """x as a Python int if it is a concrete integer (not traced), else None."""
    if isinstance(x, Tracer):
        return None
    value = np.asarray(to_numpy_array(x) if hasattr(x, "_value") else x)
    if value.shape != () or value.dtype.kind not in "iu":
        return None
    return int(value)


def fori_loop(lower, upper, body_fun, init_val, *, unroll=None):
    """val = body_fun(i, val) for i in range(lower, upper), as jax.lax.fori_loop. With concrete
    bounds it is a scan (reverse-differentiable); with traced bounds a while_loop."""
    lo, hi = _concrete_int(lower), _concrete_int(upper)
    for name, bound in (("lower", lower), ("upper", upper)):
        aval = get_aval(bound)
        if aval.shape != () or aval.dtype.kind not in "iu":
            raise TypeError(f"fori_loop: {name} must be an integer scalar, got {_type_text(aval)}")
    dtype = np.result_type(*[get_aval(b).dtype for b in (lower, upper) if not get_aval(b).weak_type] or [np.int64])
    if lo is not None and hi is not None:
        def step(carry, _):
            i, val = carry
            return (i + np.asarray(1, dtype)[()], body_fun(i, val)), None

        start = np.asarray(lo, dtype)[()]
        what = f"fori_loop body_fun ({_fun_name(body_fun)})"
        paths = ["the loop index", *_carry_paths(init_val, "init_val")]
        (_, result), _ = _scan(step, (start, init_val), None, max(hi - lo, 0), False,
                               1 if unroll is None else unroll, what, paths)
        return result
    if unroll is not None:
        raise ValueError("fori_loop: unroll= needs concrete (untraced) lower and upper bounds")
    upper_c = _convert(upper, dtype)

    def keep_going(carry):
        return _primitive("lt").bind(carry[0], upper_c)

    def step(carry):
        i, val = carry
        return _primitive("add").bind(i, np.asarray(1, dtype)[()]), body_fun(i, val)

    _, result = while_loop(keep_going, step, (_convert(lower, dtype), init_val))
    return result


def map(f, xs, *, batch_size=None):  # noqa: A001  (JAX's name)
    """[f(x) for x in xs] stacked, as jax.lax.map; batch_size runs vmap(f) on chunks of xs."""
    if batch_size is None:
        return scan(lambda carry, x: (carry, f(x)), (), xs)[1]
    from .._vmap import vmap

    leaves, tree = tree_util.tree_flatten(xs)
    n = leaves[0].shape[0] if leaves else 0
    batch_size = int(batch_size)
    full = n // batch_size * batch_size
    chunks = [x[:full].reshape((n // batch_size, batch_size, *x.shape[1:])) for x in leaves]
    ys = scan(lambda c, x: (c, vmap(f)(tree_util.tree_unflatten(tree, x))), (), chunks)[1]
    ys = tree_util.tree_map(lambda y: y.reshape((full, *y.shape[2:])), ys)
    if full == n:
        return ys
    rest = vmap(f)(tree_util.tree_unflatten(tree, [x[full:] for x in leaves]))
    from ..numpy import concatenate

    return tree_util.tree_map(lambda a, b: concatenate([a, b]), ys, rest)
