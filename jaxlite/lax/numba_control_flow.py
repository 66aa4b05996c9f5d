"""Numba lowerings of the control-flow primitives (control_flow.py): real loops and branches in
the kernel, their bodies written inline (codegen._Writer.inline), rank-0 carries as scalar
variables and the others as arrays. Lowerable when every equation inside is."""

import math

from ..transforms.numba.lowering import control_rules, dtype_code, loop_body
from .control_flow import cond_p, scan_p, while_p

__all__ = []

WHILE_TRIPS = 1000  # what rules that depend on it assume a while loop's trip count to be


def _assign(w, names, values, depth):
    for name, value in zip(names, values):
        w.emit(f"{name} = {value}", depth)


def _carries(w, invars, copy_arrays):
    """Loop variables holding the initial carries (arrays copied if the loop may return them
    untouched: a result must not alias an operand)."""
    names = []
    for v in invars:
        name = w.fresh("carry")
        value = w.expr(v)
        w.emit(f"{name} = {value}.copy()" if copy_arrays and v.aval.shape != () else f"{name} = {value}")
        names.append(name)
    return names


def _define_all(w, outvars, names):
    for v, name in zip(outvars, names):
        w.define(v, name)


def _emit_cond(w, eqn):
    index, *operands = eqn.invars
    branches = eqn.params["branches"]
    which = w.expr(index)
    args = [w.expr(v) for v in operands]
    results = [w.fresh("branch_out") for _ in eqn.outvars]
    for k, branch in enumerate(branches):
        head = "else:" if k == len(branches) - 1 else f"{'if' if k == 0 else 'elif'} {which} == {k}:"
        w.emit(head)
        _assign(w, results, w.inline(branch, args, 2), 2)
    _define_all(w, eqn.outvars, results)


def _emit_while(w, eqn):
    p = eqn.params
    n_cond, n_body = p["cond_nconsts"], p["body_nconsts"]
    cond_consts = [w.expr(v) for v in eqn.invars[:n_cond]]
    body_consts = [w.expr(v) for v in eqn.invars[n_cond: n_cond + n_body]]
    carries = _carries(w, eqn.invars[n_cond + n_body:], copy_arrays=True)
    w.emit("while True:")
    with loop_body(WHILE_TRIPS):
        (pred,) = w.inline(p["cond_jaxpr"], [*cond_consts, *carries], 2)
        w.emit(f"if not {pred}:", 2)
        w.emit("break", 3)
        _assign(w, carries, w.inline(p["body_jaxpr"], [*body_consts, *carries], 2), 2)
    _define_all(w, eqn.outvars, carries)


def _emit_scan(w, eqn):
    p = eqn.params
    n_consts, n_carry, length = p["num_consts"], p["num_carry"], p["length"]
    consts = [w.expr(v) for v in eqn.invars[:n_consts]]
    carries = _carries(w, eqn.invars[n_consts: n_consts + n_carry], copy_arrays=length == 0)
    xs = [w.expr(v) for v in eqn.invars[n_consts + n_carry:]]
    ys = []
    for v in eqn.outvars[n_carry:]:
        ys.append(w.fresh("ys"))
        w.emit(f"{ys[-1]} = np.empty({tuple(v.aval.shape)}, {dtype_code(v.aval.dtype)})")
    step, i = w.fresh("step"), w.fresh("i")
    w.emit(f"for {step} in range({length}):")
    w.emit(f"{i} = {length - 1} - {step}" if p["reverse"] else f"{i} = {step}", 2)
    x_slices = []
    for x in xs:
        x_slices.append(w.fresh("x"))
        w.emit(f"{x_slices[-1]} = {x}[{i}]", 2)
    with loop_body(length):
        outs = w.inline(p["jaxpr"], [*consts, *carries, *x_slices], 2)
    for y, out, v in zip(ys, outs[n_carry:], eqn.outvars[n_carry:]):
        _store_row(w, y, i, out.removesuffix(".copy()"), v.aval.shape[1:])
    _assign(w, carries, outs[:n_carry], 2)
    _define_all(w, eqn.outvars, [*carries, *ys])


def _store_row(w, ys, i, value, shape):
    """ys[i] = value, as an explicit loop for arrays (Numba's array-valued setitem compiles
    for seconds)."""
    if shape == ():
        w.emit(f"{ys}[{i}] = {value}", 2)
        return
    size = math.prod(shape)
    row, k = w.fresh("row"), w.fresh("k")
    flat = "" if len(shape) == 1 else f".reshape({size})"
    w.emit(f"{row} = {ys}[{i}]{flat}", 2)
    w.emit(f"{value}_flat = {value}{flat}" if flat else f"{value}_flat = {value}", 2)
    w.emit(f"for {k} in range({size}):", 2)
    w.emit(f"{row}[{k}] = {value}_flat[{k}]", 3)


control_rules[cond_p] = (_emit_cond, lambda branches: branches)
control_rules[while_p] = (_emit_while, lambda cond_jaxpr, body_jaxpr, **_: (cond_jaxpr, body_jaxpr))
control_rules[scan_p] = (_emit_scan, lambda jaxpr, **_: (jaxpr,))
