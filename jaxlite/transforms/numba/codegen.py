"""Code generation: a run of lowerable equations becomes one numba.njit kernel.

Elementwise equations of one shape are fused into a single loop nest (broadcast operands are
read through index maps, never materialised; a reduction may end the chain, accumulating as
the loop runs); values are written to arrays only when something outside the loop needs them.
Rank-0 equations are plain scalar statements. Other equations use their array rule (matmul
through BLAS, reshapes, ...). Every scalar carries its exact dtype (see lowering.py), so Numba's
own promotion never decides a result type.

The kernel takes its inputs, then the arrays the wrapper preallocated for the outputs that
loops write (allocating outside compiled code is faster), and returns the other outputs.
Rank-0 inputs and outputs are scalars, not 0-d arrays (boxing those costs microseconds).
"""

import math

import numpy as np

from ...core import Literal
from .passes import optimize
from .lowering import (
    array_rules, block_reducers, control_rules, dtype_code, literal_code, lowerable_if, reducer_rules, scalar_rules,
)

__all__ = ["is_lowerable", "Kernel", "write_kernel"]

# Loops over at least this many elements run on all cores (prange); smaller ones would pay
# more in thread start-up than they gain.
PARALLEL_MIN_SIZE = 1 << 18
# A reduction over the last axis with a block reducer goes through a buffer of at most this many
# values per block (see lowering.block_reducers). Blocks are subtrees of NumPy's pairwise sum and
# their sums combine in its order, so float64 rows sum exactly as NumPy sums them (float32 ones
# are summed in float64: more accurate than NumPy).
BLOCK = 4096


def is_lowerable(eqn):
    p = eqn.primitive
    if p in control_rules:  # lowerable when everything inside is
        _, sub_jaxprs = control_rules[p]
        return all(is_lowerable(e) for jaxpr in sub_jaxprs(**eqn.params) for e in jaxpr.eqns)
    if not (p in scalar_rules or p in reducer_rules or p in array_rules or p.name == "broadcast_in_dim"):
        return False
    if any(v.aval.dtype == np.float16 for v in (*eqn.invars, *eqn.outvars)):
        return False  # Numba has no float16 type: NumPy runs these
    condition = lowerable_if.get(p)
    return condition is None or condition([v.aval for v in eqn.invars], [v.aval for v in eqn.outvars], **eqn.params)


def _is_fusible(eqn):
    p = eqn.primitive
    return p in scalar_rules or p in reducer_rules or p.name == "broadcast_in_dim"


def _loop_shape(eqn):
    if eqn.primitive in reducer_rules:
        return eqn.invars[0].aval.shape
    return eqn.outvars[0].aval.shape


class Kernel:
    """A generated kernel: source text, its input/output variables and how outputs are made."""

    def __init__(self, name, source, inputs, preallocated, returned, parallel):
        self.name, self.source = name, source
        self.inputs, self.preallocated, self.returned = inputs, preallocated, returned
        self.parallel = parallel


class _Group:
    def __init__(self, shape):
        self.shape = shape
        self.eqns = []
        self.defined = set()  # loop-local values
        self.reduced = set()  # reduction outputs: arrays, complete only after the loop


class _Writer:
    """Writes one kernel. A control-flow equation's branches and loop bodies are written inline
    by child writers (`inline`) that share the kernel's lines and name counter, indented under
    the loop or branch; each value is either a scalar expression or an array name."""

    def __init__(self, name, eqns, inputs, outputs, parent=None, indent=0):
        self.name = name
        self.eqns = eqns
        self.inputs = inputs
        self.outputs = outputs
        self.root = self if parent is None else parent.root
        self.prefix = "v" if parent is None else f"w{self.root._next_id()}_"
        self.indent = indent
        self.lines = [] if parent is None else parent.lines
        self._ids = 0
        self.names = {}  # var -> python name
        self.arrays = set(inputs)  # vars available as arrays
        self.scalars = {}  # var -> scalar expression (rank-0 values and literals)
        self.preallocated = []
        self.parallel = False
        self.uses = {}
        for i, eqn in enumerate(eqns):
            for v in eqn.invars:
                if type(v) is not Literal:
                    self.uses.setdefault(v, set()).add(i)
        self.index = {id(e): i for i, e in enumerate(eqns)}
        self.output_set = set(outputs)
        if parent is None:  # rank-0 inputs arrive as scalars
            for v in inputs:
                if v.aval.shape == ():
                    self.define(v, self.name_of(v))
        self._flat_views = {}  # var -> name of its 1-d view, while a flat loop is written

    # ------------------------------------------------------------ names and values

    def name_of(self, v):
        if v not in self.names:
            self.names[v] = f"{self.prefix}{len(self.names)}"
        return self.names[v]

    def emit(self, line, depth=1):
        self.lines.append("    " * (self.indent + depth) + line)

    def _next_id(self):
        self._ids += 1
        return self._ids

    # ------------------------------------------------------------ for control-flow rules

    def fresh(self, stem):
        """A name no other value of the kernel has."""
        return f"{stem}{self.root._next_id()}_"

    def expr(self, v):
        """Value `v` as control-flow rules see it: a scalar expression if rank 0, else an array name."""
        return self.scalar_of(v) if type(v) is Literal or v.aval.shape == () else self.array_of(v)

    def define(self, v, expr):
        """Make `v` the value held by name or expression `expr` (see `expr`)."""
        if v.aval.shape == ():
            self.scalars[v] = expr
            self.arrays.discard(v)
        else:
            self.names[v] = expr
            self.arrays.add(v)

    def inline(self, jaxpr, args, depth):
        """Write `jaxpr` applied to `args` (see `expr`) at `depth`; returns its outputs, array
        outputs that are one of `args` copied (so no result aliases an operand)."""
        jaxpr = optimize(jaxpr)
        child = _Writer(self.name, jaxpr.eqns, jaxpr.invars, jaxpr.outvars, parent=self, indent=self.indent + depth - 1)
        for v, a in zip(jaxpr.invars, args):
            child.define(v, a)
        child._write_eqns()
        self.parallel |= child.parallel
        outs = []
        for v in jaxpr.outvars:
            out = child.expr(v)
            outs.append(f"{out}.copy()" if type(v) is not Literal and v.aval.shape != () and out in args else out)
        return outs

    def scalar_of(self, v):
        """A scalar expression for rank-0 value `v` (outside loops)."""
        if type(v) is Literal:
            return literal_code(v.val, v.aval.dtype)
        if v in self.scalars:
            return self.scalars[v]
        # a rank-0 array: read it once
        name = self.name_of(v) + "_s"
        self.emit(f"{name} = {self.name_of(v)}[()]")
        self.scalars[v] = name
        return name

    def array_of(self, v):
        """An array name for value `v` (materialising a scalar as a 0-d array)."""
        if type(v) is not Literal and v in self.arrays:
            return self.name_of(v)
        name = f"{self.name_of(v) if type(v) is not Literal else 'lit'}_a{len(self.lines)}"
        self.emit(f"{name} = np.full((), {self.scalar_of(v)}, {dtype_code(v.aval.dtype)})")
        return name

    # ------------------------------------------------------------ grouping

    def run(self):
        self._write_eqns()
        return self._finish()

    def _write_eqns(self):
        group = None
        for eqn in self.eqns:
            if _is_fusible(eqn) and _loop_shape(eqn) != ():
                if group is not None and not self._joins(group, eqn):
                    self._flush(group)
                    group = None
                if group is None:
                    group = _Group(_loop_shape(eqn))
                group.eqns.append(eqn)
                if eqn.primitive in reducer_rules:
                    group.reduced.update(eqn.outvars)
                else:
                    group.defined.update(eqn.outvars)
                continue
            if group is not None and self._needs(group, eqn):
                self._flush(group)
                group = None
            if _is_fusible(eqn):
                self._scalar_eqn(eqn)
            elif eqn.primitive in control_rules:
                control_rules[eqn.primitive][0](self, eqn)
            else:
                self._array_eqn(eqn)
        if group is not None:
            self._flush(group)

    def _needs(self, group, eqn):
        return any(type(v) is not Literal and (v in group.defined or v in group.reduced) for v in eqn.invars)

    def _joins(self, group, eqn):
        if _loop_shape(eqn) != group.shape:
            return False
        for v in eqn.invars:
            if type(v) is Literal:
                continue
            if v in group.reduced:
                return False
            if eqn.primitive.name == "broadcast_in_dim" and v in group.defined and v.aval.shape != group.shape:
                return False
        return True

    # ------------------------------------------------------------ rank-0 and array equations

    def _scalar_eqn(self, eqn):
        if eqn.primitive.name == "broadcast_in_dim" or eqn.primitive in reducer_rules:  # () -> ()
            self.scalars[eqn.outvars[0]] = self.scalar_of(eqn.invars[0])
            return
        args = [self.scalar_of(v) for v in eqn.invars]
        exprs = scalar_rules[eqn.primitive](args, [v.aval for v in eqn.invars], [v.aval for v in eqn.outvars], **eqn.params)
        for v, expr in zip(eqn.outvars, exprs):
            name = self.name_of(v) + "_s"
            self.emit(f"{name} = {expr}")
            self.scalars[v] = name

    def _array_eqn(self, eqn):
        args = [self.array_of(v) for v in eqn.invars]
        exprs = array_rules[eqn.primitive](args, [v.aval for v in eqn.invars], [v.aval for v in eqn.outvars], **eqn.params)
        names = [self.name_of(v) for v in eqn.outvars]
        if isinstance(exprs, str):  # one call returning a tuple of all the results
            self.emit(f"{', '.join(names)}, = {exprs}")
        else:
            for name, expr in zip(names, exprs):
                self.emit(f"{name} = {expr}")
        self.arrays.update(eqn.outvars)

    # ------------------------------------------------------------ loops

    def _escapes(self, group, v):
        members = {self.index[id(e)] for e in group.eqns}
        return v in self.output_set or any(i not in members for i in self.uses.get(v, ()))

    def _allocate(self, v, shape, fill=None):
        name = self.name_of(v)
        if v in self.output_set and fill is None and self.root is self and shape != ():
            self.preallocated.append(v)  # the wrapper passes it in
        elif fill is None:
            self.emit(f"{name} = np.empty({tuple(shape)}, {dtype_code(v.aval.dtype)})")
        else:
            self.emit(f"{name} = np.full({tuple(shape)}, {fill}, {dtype_code(v.aval.dtype)})")
        self.arrays.add(v)
        return name

    def _flush(self, group):
        shape = group.shape
        rank = len(shape)
        size = math.prod(shape)
        reductions = [e for e in group.eqns if e.primitive in reducer_rules]
        written = [v for e in group.eqns if e.primitive not in reducer_rules for v in e.outvars if self._escapes(group, v)]
        broadcasts = any(e.primitive.name == "broadcast_in_dim" and e.invars[0].aval.shape != shape for e in group.eqns)
        trailing = _common_trailing_axes(reductions, rank)
        # One flat loop over C-ordered memory when no element needs its multi-index: elementwise
        # work, or reductions of every axis (NumPy sums a contiguous array as one run, too).
        flat = not broadcasts and rank > 1 and (not reductions or trailing == rank)
        idx = ["i"] if flat or rank == 1 else [f"i{d}" for d in range(rank)]
        loop_rank, loop_trailing = (1, min(trailing, 1)) if flat else (rank, trailing)

        for v in written:
            self._allocate(v, shape)
        for e in reductions:
            out_shape = e.outvars[0].aval.shape
            init, _ = reducer_rules[e.primitive]
            if trailing is None:
                self._allocate(e.outvars[0], out_shape, fill=init(e.outvars[0].aval.dtype))
            elif out_shape == ():
                self._allocate(e.outvars[0], out_shape, fill=None)
            else:
                self._allocate(e.outvars[0], out_shape)
        # reads of operands from outside the loop: rank-0 values as scalars, arrays by index
        loop_vals = {}

        def read(v):
            if type(v) is Literal or v.aval.shape == ():
                return self.scalar_of(v) if (type(v) is Literal or v not in loop_vals) else loop_vals[v]
            if v not in loop_vals:  # an array element: loaded once per iteration
                name = f"{self.name_of(v)}_l"
                self.emit(f"{name} = {self._index(v, idx, flat, size)}", depth)
                loop_vals[v] = name
            return loop_vals[v]

        # pre-read rank-0 operands outside the loops
        for e in group.eqns:
            for v in e.invars:
                if (type(v) is Literal or v.aval.shape == ()) and v not in group.defined:
                    self.scalar_of(v)

        if flat:
            views = {}
            for v in {*written, *(u for e in group.eqns for u in e.invars if type(u) is not Literal and u in self.arrays and u.aval.shape == shape)}:
                views[v] = f"{self.name_of(v)}_f"
                self.emit(f"{views[v]} = {self.name_of(v)}.reshape({size})")
            self._flat_views = views
        depth = 1
        n_outer = loop_rank if loop_trailing is None else loop_rank - loop_trailing
        loop_dims = [size] if flat else list(shape)
        accs = {}
        blocked = _blocked_reductions(reductions) if loop_trailing else {}
        tree = blocked and loop_dims[-1] > BLOCK  # several blocks: subtrees of NumPy's pairwise sum
        # Threads may share the outer loop unless they would accumulate into the same place: an
        # output element (a reduction not over trailing axes), or a scalar accumulator (all axes
        # reduced; the block sums of a tree each have their own slot).
        shared = loop_trailing is None or (n_outer == 0 and not (tree and len(blocked) == len(reductions)))
        loop = "numba.prange" if size >= PARALLEL_MIN_SIZE and not (reductions and shared) else "range"
        self.parallel |= loop == "numba.prange"
        if tree:
            self.emit(f"{idx[-1]}_starts = sh.pairwise_blocks({loop_dims[-1]}, {BLOCK})", depth)
        for d, extent in enumerate(loop_dims):
            if loop_trailing is not None and d == n_outer:
                for e in reductions:
                    acc = f"{self.name_of(e.outvars[0])}_acc"
                    accs[e] = acc
                    self.emit(f"{acc} = {reducer_rules[e.primitive][0](_acc_dtype(e))}", depth)
            kind = loop if d == 0 else "range"
            if blocked and d == loop_rank - 1:
                i = idx[d]
                if tree and d == 0:  # the block sums outside the (maybe parallel) loop over blocks
                    self._block_sums(blocked, i, depth)
                self.emit(f"for {i}_k in {kind}({f'len({i}_starts) - 1' if tree else 1}):", depth)
                depth += 1
                if d == 0:
                    self._block_buffers(blocked, extent, depth)
                # (runtime values: a literal block length would give the recursive block
                # reducer a second signature, and Numba then crashes loading the kernel's cache)
                self.emit(f"{i}_b = {i}_starts[{i}_k]" if tree else f"{i}_b = {i}_k * {BLOCK}", depth)
                self.emit(f"{i}_n = {i}_starts[{i}_k + 1] - {i}_b" if tree else f"{i}_n = min({BLOCK}, {extent} - {i}_b)", depth)
                self.emit(f"for {i}_j in range({i}_n):", depth)
                self.emit(f"{i} = {i}_b + {i}_j", depth + 1)
            else:
                self.emit(f"for {idx[d]} in {kind}({extent}):", depth)
                if blocked and d == 0:
                    self._block_buffers(blocked, shape[-1], depth + 1)
                    if tree:
                        self._block_sums(blocked, idx[-1], depth + 1)
            depth += 1
        if loop_trailing is not None and n_outer == loop_rank:
            for e in reductions:
                accs[e] = f"{self.name_of(e.outvars[0])}_acc"
                self.emit(f"{accs[e]} = {reducer_rules[e.primitive][0](_acc_dtype(e))}", depth)

        for e in group.eqns:
            if e.primitive.name == "broadcast_in_dim":
                src = e.invars[0]
                if type(src) is Literal or src.aval.shape in ((), shape):  # a scalar, or identity
                    loop_vals[e.outvars[0]] = read(src)
                elif src in loop_vals:  # identity broadcast of a loop value
                    loop_vals[e.outvars[0]] = loop_vals[src]
                else:
                    name = f"{self.name_of(e.outvars[0])}_l"
                    self.emit(f"{name} = {self._broadcast_read(src, e.params['broadcast_dimensions'], shape, idx)}", depth)
                    loop_vals[e.outvars[0]] = name
            elif e.primitive in reducer_rules:
                _, combine = reducer_rules[e.primitive]
                x = read(e.invars[0])
                if e in blocked:
                    self.emit(f"{self.name_of(e.outvars[0])}_buf[{idx[-1]}_j] = {_cast(x, e)}", depth)
                elif e in accs:
                    self.emit(f"{accs[e]} = {combine(accs[e], _cast(x, e), _acc_dtype(e))}", depth)
                else:
                    axes = e.params["axes"]
                    target = self._reduced_index(e.outvars[0], idx, axes)
                    self.emit(f"{target} = {combine(target, x, e.outvars[0].aval.dtype)}", depth)
            else:
                args = [read(v) for v in e.invars]
                exprs = scalar_rules[e.primitive](args, [v.aval for v in e.invars], [v.aval for v in e.outvars], **e.params)
                for v, expr in zip(e.outvars, exprs):
                    name = f"{self.name_of(v)}_l"
                    self.emit(f"{name} = {expr}", depth)
                    loop_vals[v] = name
        for v in written:
            target = self._flat_views[v] + "[i]" if flat else f"{self.name_of(v)}[{', '.join(idx)}]"
            self.emit(f"{target} = {loop_vals[v]}", depth)
        for e, helper in blocked.items():  # after a block: reduce its buffer
            name = self.name_of(e.outvars[0])
            block_sum = f"{helper}({name}_buf, {idx[-1]}_n)"
            if tree:
                self.emit(f"{name}_sums[{idx[-1]}_k] = {block_sum}", depth - 1)
            else:
                _, combine = reducer_rules[e.primitive]
                self.emit(f"{accs[e]} = {combine(accs[e], block_sum, _acc_dtype(e))}", depth - 1)
        if tree:  # after all blocks, their sums in NumPy's order (a pass of its own: one depth)
            for e in blocked:
                _, combine = reducer_rules[e.primitive]
                total = f"sh.pairwise_combine({self.name_of(e.outvars[0])}_sums, {loop_dims[-1]}, {BLOCK})"
                self.emit(f"{accs[e]} = {combine(accs[e], total, _acc_dtype(e))}", depth - 2)
        if accs:
            store_depth = 1 + n_outer
            for e, acc in accs.items():
                out = e.outvars[0]
                target = f"{self.name_of(out)}[{', '.join(idx[:n_outer])}]" if n_outer else f"{self.name_of(out)}[()]"
                self.emit(f"{target} = {dtype_code(out.aval.dtype)}({acc})", store_depth)
        self._flat_views = {}

    def _block_buffers(self, blocked, extent, depth):
        for e in blocked:
            dtype = dtype_code(_acc_dtype(e))
            self.emit(f"{self.name_of(e.outvars[0])}_buf = np.empty({min(BLOCK, extent)}, {dtype})", depth)

    def _block_sums(self, blocked, i, depth):
        for e in blocked:
            dtype = dtype_code(_acc_dtype(e))
            self.emit(f"{self.name_of(e.outvars[0])}_sums = np.empty(len({i}_starts) - 1, {dtype})", depth)

    def _index(self, v, idx, flat, size):
        if flat:
            return f"{self._flat_views[v]}[i]"
        return f"{self.name_of(v)}[{', '.join(idx)}]"

    def _broadcast_read(self, src, dims, shape, idx):
        parts = [idx[d] if n != 1 or shape[d] == 1 else "0" for n, d in zip(src.aval.shape, dims)]
        return f"{self.name_of(src)}[{', '.join(parts)}]"

    def _reduced_index(self, out, idx, axes):
        kept = [i for d, i in enumerate(idx) if d not in axes]
        return f"{self.name_of(out)}[{', '.join(kept) if kept else '()'}]"

    # ------------------------------------------------------------ the function

    def _finish(self):
        returned = [v for v in self.outputs if v not in self.preallocated]
        out_names = []
        for v in returned:  # rank-0 values as scalars (the wrapper restores their dtype)
            rank0 = type(v) is Literal or v.aval.shape == ()
            out_names.append(self.scalar_of(v) if rank0 else self.name_of(v))
        params = [self.name_of(v) for v in self.inputs] + [self.name_of(v) for v in self.preallocated]
        ret = f"({', '.join(out_names)},)" if out_names else "0"
        head = f"def {self.name}({', '.join(params)}):"
        source = "\n".join([head, *self.lines, f"    return {ret}"])
        return Kernel(self.name, source, self.inputs, self.preallocated, returned, self.parallel)


def _common_trailing_axes(reductions, rank):
    """The number of trailing axes every reduction reduces, if they all reduce exactly the
    same trailing axes (then each accumulates in a scalar); else None."""
    if not reductions:
        return 0
    axes = {tuple(sorted(e.params["axes"])) for e in reductions}
    if len(axes) != 1:
        return None
    (ax,) = axes
    return len(ax) if ax == tuple(range(rank - len(ax), rank)) else None


def _blocked_reductions(reductions):
    """{reduction: its block reducer's name} for those of `reductions` that have one."""
    blocked = {}
    for e in reductions:
        rule = block_reducers.get(e.primitive)
        helper = rule(e.outvars[0].aval.dtype) if rule else None
        if helper:
            blocked[e] = helper
    return blocked


def _acc_dtype(eqn):
    """Accumulate float16/float32 sums in float64 (more accurate than NumPy's pairwise sum)."""
    dtype = eqn.outvars[0].aval.dtype
    if eqn.primitive.name in ("reduce_sum", "reduce_prod") and dtype.kind == "f" and dtype.itemsize < 8:
        return np.dtype(np.float64)
    return dtype


def _cast(x, eqn):
    acc = _acc_dtype(eqn)
    return x if acc == eqn.outvars[0].aval.dtype else f"{dtype_code(acc)}({x})"


def write_kernel(name, eqns, inputs, outputs):
    """The Kernel computing `outputs` from `inputs` with `eqns` (all lowerable)."""
    return _Writer(name, eqns, inputs, outputs).run()
