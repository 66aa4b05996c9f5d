"""The jit API: trace once per input signature, then run the compiled jaxpr.

`jit(f)(*args)` flattens the arguments, looks up the jaxpr traced for their signature (pytree
structure, shapes, dtypes, weak types, static values), traces on a miss, and binds `jit_p`:
eagerly that runs the compiled code; under another transform the transform's rule for `jit_p`
applies (so grad(jit(f)) and vmap(jit(f)) stay compiled), and under a staging trace the call is
recorded as one `jit` equation (the compiler inlines nested ones).
"""

import functools

import numpy as np

from . import tree_util
from .config import log_compile
from ._api_util import abstractify, flatten_call, fun_name, normalize_static
from .core import Array, current_trace, trace_to_jaxpr, wrap
from .core.array import _new_array
from .transforms.jaxpr_util import closure_convert
from .transforms.jit import call_jit

__all__ = ["jit"]


def jit(fun=None, *, static_argnums=(), static_argnames=(), donate_argnums=(), donate_argnames=(),
        inline=False, keep_unused=False):
    """`fun` compiled: traced into a jaxpr once per input signature and run as native code.

    static_argnums / static_argnames: arguments passed as Python values (hashable), part of the
    signature. donate_argnums / donate_argnames, inline and keep_unused are accepted for JAX
    compatibility. Usable as a decorator, with or without arguments.
    """
    if fun is None:
        return functools.partial(jit, static_argnums=static_argnums, static_argnames=static_argnames,
                                 donate_argnums=donate_argnums, donate_argnames=donate_argnames,
                                 inline=inline, keep_unused=keep_unused)
    if not callable(fun):
        raise TypeError(f"jit: expected a function, got {fun!r}")
    return JittedFunction(fun, static_argnums, static_argnames)


_PYTHON_SCALARS = frozenset((bool, int, float, complex))
_ndarray, _as_ndarray = np.ndarray, np.array


def _describe(x, keys, values):
    """Append to `keys` the structure of `x` and each leaf's (shape, dtype) or Python scalar
    type, and to `values` its leaves' values; False if `x` holds anything but tuples, lists,
    dicts, Arrays and Python scalars (namedtuples and custom nodes take the general path)."""
    kind = type(x)
    if kind is Array:
        value = x._value
        keys.append((value.shape, value.dtype))
        values.append(value)
        return True
    if kind in _PYTHON_SCALARS:
        keys.append(kind)
        values.append(x)
        return True
    if kind is tuple or kind is list:
        keys.append((kind, len(x)))
        for item in x:
            item_kind = type(item)
            if item_kind in _PYTHON_SCALARS:  # leaves inline: the common case, no call
                keys.append(item_kind)
                values.append(item)
            elif item_kind is Array:
                value = item._value
                keys.append((value.shape, value.dtype))
                values.append(value)
            elif not _describe(item, keys, values):
                return False
        return True
    if kind is dict:
        try:
            ordered = sorted(x)
        except TypeError:
            return False
        keys.append((dict, tuple(ordered)))
        return all(_describe(x[k], keys, values) for k in ordered)
    return False


def _leaves_key(args, kwargs):
    """(key, leaf values) of a call's arguments by _describe, or None (the general path)."""
    keys, values = [], []
    if not _describe(args, keys, values) or (kwargs and not _describe(kwargs, keys, values)):
        return None
    return tuple(keys), values


def _run_fast(entry, values):
    run, consts, out_tree = entry
    outs = run(*consts, *values) if consts else run(*values)
    if out_tree is None:
        return wrap(outs[0])
    arrays = []
    for value in outs:  # wrap's work inline: per call it costs as much as a scalar kernel step
        array = _new_array(Array)
        array._value = value if type(value) is _ndarray else _as_ndarray(value)
        arrays.append(array)
    return out_tree(arrays)


def _unflattener(tree):
    """leaves -> the output pytree: a plain tuple or list of leaves without PyTreeDef's walk."""
    if tree == tree_util.tree_structure((0,) * tree.num_leaves):
        return tuple
    if tree == tree_util.tree_structure([0] * tree.num_leaves):
        return list
    return tree.unflatten


class Lowered:
    """What jit(f).lower(*args) returns: the traced jaxpr and the code generated for it."""

    def __init__(self, jaxpr, consts, name):
        self.jaxpr, self.consts, self.name = jaxpr, consts, name

    def compile(self):
        from .transforms.numba.compiler import compile_jaxpr

        return compile_jaxpr(self.jaxpr, self.name)

    def as_text(self):
        """The jaxpr and the Numba source it compiles to (and any equations run by NumPy)."""
        return f"# jaxpr\n{self.jaxpr}\n\n{self.compile().as_text()}"

    def __str__(self):
        return self.as_text()


class _Traced:
    __slots__ = ("jaxpr", "consts", "out_tree")

    def __init__(self, jaxpr, consts, out_tree):
        self.jaxpr, self.consts, self.out_tree = jaxpr, consts, out_tree


class JittedFunction:
    def __init__(self, fun, static_argnums, static_argnames):
        functools.update_wrapper(self, fun)
        self._fun = fun
        self._name = fun_name(fun)
        self._static_argnums, self._static_argnames = normalize_static(fun, static_argnums, static_argnames)
        self._cache = {}  # signature -> _Traced
        # Dispatch without tracing machinery, to entries (run, consts, out_tree or None if the
        # output is one array): calls with positional Arrays only, keyed by their (shape,
        # dtype); and calls whose leaves are Arrays or Python scalars, keyed by _tree_key.
        self._fast = {}
        self._fast_trees = {}
        self._fast_unary = {}  # (shape, dtype) -> run, for one Array in and one array out
        self._last_signature = None

    def __get__(self, obj, objtype=None):  # jit on a method
        return self if obj is None else functools.partial(self, obj)

    def _signature(self, args, kwargs):
        flat_fun, leaves, in_tree, out_store = flatten_call(
            self._fun, args, kwargs, self._static_argnums, self._static_argnames)
        static = tuple(args[i] for i in self._static_argnums if i < len(args))
        static += tuple((k, kwargs[k]) for k in self._static_argnames if k in kwargs)
        try:
            hash(static)
        except TypeError as err:
            raise TypeError(
                f"jit({self._name}): static arguments must be hashable; got {err}. Pass arrays as "
                "regular (traced) arguments, or convert lists to tuples."
            ) from None
        avals = tuple(abstractify(x) for x in leaves)
        return (in_tree, avals, static), flat_fun, leaves, out_store

    def _get_traced(self, signature, flat_fun, out_store):
        traced = self._cache.get(signature)
        if traced is None:
            log_compile(self._name, signature, self._last_signature)
            closed = trace_to_jaxpr(flat_fun, list(signature[1]), f"jit({self._name})")
            jaxpr, consts = closure_convert(closed)
            traced = self._cache[signature] = _Traced(jaxpr, consts, out_store["tree"])
        self._last_signature = signature
        return traced

    def __call__(self, *args, **kwargs):
        eager = current_trace() is None
        if eager and not kwargs and args and type(args[0]) is Array:
            # The fast path: positional Arrays whose shapes and dtypes were seen before.
            if len(args) == 1:  # the commonest call, without building lists
                value = args[0]._value
                key = (value.shape, value.dtype)
                run = self._fast_unary.get(key)
                if run is not None:
                    out = _new_array(Array)
                    out._value = run(value)[0]
                    return out
                entry = self._fast.get((key,))
                if entry is not None:
                    return _run_fast(entry, [value])
            try:
                values = [a._value for a in args]
            except AttributeError:
                values = None
            entry = None if values is None else self._fast.get(tuple([(v.shape, v.dtype) for v in values]))
            if entry is not None:
                return _run_fast(entry, values)
        if not eager:
            tree_key = None
        elif self._static_argnums or self._static_argnames:
            tree_key = self._tree_key(args, kwargs)
        else:
            tree_key = _leaves_key(args, kwargs)
        if tree_key is not None:
            entry = self._fast_trees.get(tree_key[0])
            if entry is not None:
                return _run_fast(entry, tree_key[1])
        signature, flat_fun, leaves, out_store = self._signature(args, kwargs)
        traced = self._get_traced(signature, flat_fun, out_store)
        outs = call_jit(traced.jaxpr, [*traced.consts, *leaves], self._name)
        if current_trace() is None:
            outs = [o if type(o) is Array else wrap(o) for o in outs]
            entry = self._fast_entry(traced)
            if tree_key is not None:
                self._fast_trees[tree_key[0]] = entry
            if not kwargs and not self._static_argnums and all(type(a) is Array for a in args):
                keys = tuple((a._value.shape, a._value.dtype) for a in args)
                self._fast[keys] = entry
                run, consts, out_tree = entry
                if len(args) == 1 and not consts and out_tree is None and traced.jaxpr.outvars[0].aval.ndim:
                    self._fast_unary[keys[0]] = run  # one array in, one array (ndim > 0) out
        return tree_util.tree_unflatten(traced.out_tree, outs)

    def _tree_key(self, args, kwargs):
        """(key, values) for a call whose leaves are all Arrays or Python scalars: the key holds
        the structure, each leaf's (shape, dtype) or Python type (see _describe), and the static
        arguments; None for any other call (it takes the general path)."""
        nums, names = self._static_argnums, self._static_argnames
        static = ()
        if nums or names:
            try:
                static = tuple(args[i] for i in nums if -len(args) <= i < len(args))
                static += tuple((k, kwargs[k]) for k in names if k in kwargs)
                hash(static)
            except (TypeError, IndexError):
                return None
            skip = {i % len(args) for i in nums if -len(args) <= i < len(args)}
            args = tuple(a for i, a in enumerate(args) if i not in skip)
            kwargs = {k: v for k, v in kwargs.items() if k not in names}
        described = _leaves_key(args, kwargs)
        if described is None or not static:
            return described
        return (described[0], static), described[1]

    def _fast_entry(self, traced):
        from .transforms.numba.compiler import compile_jaxpr

        consts = [c._value if type(c) is Array else c for c in traced.consts]
        single = traced.out_tree == tree_util.tree_structure(0)
        return compile_jaxpr(traced.jaxpr, self._name).run, consts, None if single else _unflattener(traced.out_tree)

    def lower(self, *args, **kwargs):
        signature, flat_fun, _, out_store = self._signature(args, kwargs)
        traced = self._get_traced(signature, flat_fun, out_store)
        return Lowered(traced.jaxpr, traced.consts, self._name)

    def __repr__(self):
        return f"<jitted function {self._name}>"

