"""Compile a jaxpr into a Python module of numba.njit kernels and a wrapper.

The jaxpr is optimised (passes.py), cut into runs of equations that have a lowering (each
becomes one kernel, codegen.py) and single equations that do not (run by their NumPy impl
between kernels), and written as the source of one module, cached on disk (cache.py). The
module's `run(*inputs)` allocates outputs, makes inputs C-contiguous and calls the pieces.
"""

import functools
import os
import re
import weakref

import numpy as np

from ...core import Literal
from ...core.jaxpr import _Names, pp_eqn
from .cache import load_module
from .codegen import is_lowerable, write_kernel
from .lowering import dtype_code, literal_code
from .passes import optimize

__all__ = ["compile_jaxpr", "Executable"]

CODEGEN_VERSION = "2"


class Executable:
    """A compiled jaxpr: call it with NumPy arrays; `as_text()` shows what runs."""

    def __init__(self, run, source, fallbacks, jaxpr):
        self.run = run
        self.source = source
        self.fallbacks = fallbacks  # equations run by NumPy
        self.jaxpr = jaxpr  # after the passes

    def __call__(self, *args):
        return self.run(*args)

    def as_text(self):
        text = f"# optimised jaxpr\n{self.jaxpr}\n\n# generated code\n{self.source}"
        if self.fallbacks:
            names = ", ".join(sorted({e.primitive.name for e in self.fallbacks}))
            text += f"\n\n# run by NumPy between compiled kernels (no Numba lowering yet): {names}"
        return text


_COMPILED = weakref.WeakKeyDictionary()  # jaxpr -> Executable
_BY_SOURCE = {}  # module source -> Executable: equal programs share compiled code


def compile_jaxpr(jaxpr, name="jit"):
    executable = _COMPILED.get(jaxpr)
    if executable is None:
        executable = _COMPILED[jaxpr] = _compile(jaxpr, name)
    return executable


def _segments(eqns):
    """Runs of lowerable equations (lists) and single unlowerable ones (Eqn)."""
    out, run = [], []
    for eqn in eqns:
        if is_lowerable(eqn):
            run.append(eqn)
            continue
        if run:
            out.append(run)
            run = []
        out.append(eqn)
    if run:
        out.append(run)
    return out


def _is_var(v):
    return type(v) is not Literal


def _compile(jaxpr, name):
    jaxpr = optimize(jaxpr)
    segments = _segments(jaxpr.eqns)
    later_uses = _later_uses(segments, jaxpr.outvars)
    names = {}

    def nm(v):
        if v not in names:
            names[v] = f"x{len(names)}"
        return names[v]

    kernels, fallbacks, run_lines = [], [], []
    inputs = [nm(v) for v in jaxpr.invars]
    for v in jaxpr.invars:
        if v.aval.ndim:
            run_lines.append(f"    if not {nm(v)}.flags.c_contiguous: {nm(v)} = np.ascontiguousarray({nm(v)})")
        else:  # rank-0 values are scalars of their exact dtype throughout
            run_lines.append(f"    {nm(v)} = {_exact_scalar(nm(v), v.aval.dtype, may_be_array=True)}")
    for k, seg in enumerate(segments):
        if isinstance(seg, list):
            defined = {v for e in seg for v in e.outvars}
            used = []
            for e in seg:
                for v in e.invars:
                    if _is_var(v) and v not in defined and v not in used:
                        used.append(v)
            outs = [v for v in dict.fromkeys(v for e in seg for v in e.outvars) if v in later_uses[k]]
            kernel = write_kernel(f"kernel_{k}", seg, used, outs)
            kernels.append(kernel)
            for v in kernel.preallocated:
                shape, dtype = v.aval.shape, dtype_code(v.aval.dtype)
                run_lines.append(f"    {nm(v)} = np.empty({tuple(shape)}, {dtype})")
            args = [nm(v) for v in used] + [nm(v) for v in kernel.preallocated]
            targets = "".join(f"{nm(v)}, " for v in kernel.returned)
            call = f"kernel_{k}({', '.join(args)})"
            run_lines.append(f"    {targets} = {call}" if targets else f"    {call}")
            for v in kernel.returned:  # Numba returns Python scalars: back to the exact dtype
                if v.aval.shape == () and v.aval.dtype not in _PYTHON_EXACT:
                    run_lines.append(f"    {nm(v)} = {_exact_scalar(nm(v), v.aval.dtype)}")
        else:
            fallbacks.append(seg)
            args = [nm(v) if _is_var(v) else f"np.asarray({literal_code(v.val, v.aval.dtype)})" for v in seg.invars]
            targets = "".join(f"{nm(v)}, " for v in seg.outvars)
            call = f"numpy_eqn_{k}({', '.join(args)})"
            # The equation in a comment: programs that differ only in their NumPy equations
            # must not share a module (it is found by its source).
            run_lines.append(f"    # numpy_eqn_{k}: {pp_eqn(seg, _Names())}".replace("\n", " "))
            run_lines.append(f"    {targets} = {call}" if targets else f"    {call}")
    results, seen = [], set()
    for v in jaxpr.outvars:
        if not _is_var(v):
            results.append(f"np.asarray({literal_code(v.val, v.aval.dtype)}, {dtype_code(v.aval.dtype)})")
        elif v in seen or v in jaxpr.invars:
            # outputs never alias inputs or each other (scalars cannot alias)
            results.append(f"{nm(v)}.copy()" if v.aval.ndim else nm(v))
        else:
            results.append(nm(v))
            seen.add(v)
    run_lines.append(f"    return [{', '.join(results)}]")

    body = []
    for kernel in kernels:
        flags = "cache=True, error_model='numpy', nogil=True" + (", parallel=True" if kernel.parallel else "")
        body += ["", f"@numba.njit({flags})", kernel.source, ""]
    body += ["", f"def run({', '.join(inputs)}):", *run_lines, ""]
    helpers = _used_helpers(body)
    source = "\n".join(["import numpy as np", "import numba", *_helper_imports(helpers), "", *body])

    cached = _BY_SOURCE.get(source)
    if cached is not None:
        return cached
    fallback_fns = {f"numpy_eqn_{k}": _numpy_runner(seg) for k, seg in enumerate(segments) if not isinstance(seg, list)}
    module = load_module(source, _helpers_version(helpers), fallback_fns)
    executable = _BY_SOURCE[source] = Executable(module.run, source, fallbacks, jaxpr)
    return executable


# Dtypes a Python scalar of the matching type stands for exactly (NumPy and Numba agree).
_PYTHON_EXACT = {np.dtype(t) for t in (np.bool_, np.int64, np.float64, np.complex128)}


def _exact_scalar(name, dtype, may_be_array=False):
    """Code for the value of `name` as a scalar of exactly `dtype`."""
    if dtype in _PYTHON_EXACT and may_be_array:  # a 0-d array, a NumPy or a Python scalar
        return f"{name}[()] if type({name}) is np.ndarray else {name}"
    return f"{dtype_code(dtype)}({name})"


_HELPER_MODULES = {"sh": "scalar_helpers", "vm": "vmath", "ah": "array_helpers", "lh": "linalg_helpers"}


def _used_helpers(lines):
    """The aliases of the helper modules the generated code uses (they import nothing of ours)."""
    return tuple(sorted(set(re.findall(rf"\b({'|'.join(_HELPER_MODULES)})\.", "\n".join(lines)))))


def _helper_imports(aliases):
    """Imports of those helper modules (each costs milliseconds to import: array_helpers alone
    defines over a hundred Numba functions)."""
    return [f"import jaxlite.transforms.numba.{_HELPER_MODULES[a]} as {a}" for a in aliases]


def _helpers_version(aliases):
    """The code generator's version and the hashes of the helper modules a kernel uses: kernels
    inline their helpers, and Numba's cache of a kernel would not notice a change in them. An
    edit to one helper module leaves kernels that do not use it cached."""
    return "|".join([CODEGEN_VERSION, *(f"{a}:{_helper_digest(_HELPER_MODULES[a])}" for a in aliases)])


@functools.cache
def _helper_digest(module):
    """A helper module's hash, from its file (finding a cached kernel imports no helper)."""
    import hashlib

    with open(os.path.join(os.path.dirname(__file__), module + ".py"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def _later_uses(segments, outvars):
    """For each segment, the variables used by later segments or as outputs."""
    result = [None] * len(segments)
    live = {v for v in outvars if _is_var(v)}
    for k in range(len(segments) - 1, -1, -1):
        result[k] = set(live)
        seg = segments[k]
        for e in seg if isinstance(seg, list) else [seg]:
            live.update(v for v in e.invars if _is_var(v))
    return result


def _numpy_runner(eqn):
    import numpy as np

    prim, params = eqn.primitive, eqn.params

    def scalar_or_array(o):  # what kernels take: scalars, and C-contiguous arrays
        o = np.asarray(o)
        return o[()] if o.ndim == 0 else np.ascontiguousarray(o)

    def run(*args):
        with np.errstate(all="ignore"):
            out = prim.impl(*[np.asarray(a) for a in args], **params)
        return tuple(map(scalar_or_array, out)) if prim.multiple_results else (scalar_or_array(out),)

    return run
