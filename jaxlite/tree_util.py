"""Pytrees: nested containers of arrays, flattened to a list of leaves plus a structure.

Semantics follow JAX. Tuples, lists, dicts, None, namedtuples, ``OrderedDict`` and
``defaultdict`` are container nodes; registered types (``register_pytree_node``,
``register_pytree_node_class``, ``register_dataclass``) are too; everything else is a leaf.
``None`` is a node with no children, so it contributes no leaves. Dicts flatten in sorted
key order and are rebuilt in that order.

A structure is a ``PyTreeDef``, a hashable value wrapping a nested tuple
``(kind, aux_data, children)`` per container node and ``_LEAF`` per leaf, so equality and
hashing are plain tuple equality and hashing.

This module depends on the standard library only.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
from typing import Any, Callable, Hashable, Iterable

__all__ = [
    "PyTreeDef", "SequenceKey", "DictKey", "GetAttrKey", "FlattenedIndexKey",
    "tree_flatten", "tree_unflatten", "tree_leaves", "tree_structure", "tree_map",
    "tree_all", "tree_reduce", "tree_transpose",
    "tree_flatten_with_path", "tree_leaves_with_path", "tree_map_with_path", "keystr",
    "all_leaves", "treedef_is_leaf", "treedef_children", "treedef_tuple",
    "register_pytree_node", "register_pytree_node_class", "register_dataclass",
]


# --- key paths: one key per step from the root to a leaf --------------------------------

@dataclasses.dataclass(frozen=True)
class SequenceKey:
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"


@dataclasses.dataclass(frozen=True)
class DictKey:
    key: Hashable

    def __str__(self):
        return f"[{self.key!r}]"


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    name: str

    def __str__(self):
        return f".{self.name}"


@dataclasses.dataclass(frozen=True)
class FlattenedIndexKey:
    key: int

    def __str__(self):
        return f"[<flat index {self.key}>]"


_SIMPLE_FIELD = {SequenceKey: "idx", DictKey: "key", GetAttrKey: "name",
                 FlattenedIndexKey: "key"}


def _simple_key(key) -> str:
    field = _SIMPLE_FIELD.get(type(key))
    return str(key) if field is None else str(getattr(key, field))


def keystr(keys, *, simple: bool = False, separator: str = "") -> str:
    """Render a key path, e.g. ``[0]['a'].b`` (or ``0/a/b`` with simple=True, separator='/')."""
    return separator.join(_simple_key(k) if simple else str(k) for k in keys)


# --- node kinds and the registry -------------------------------------------------------

class _NodeKind:
    """How to take apart and rebuild one container type."""
    __slots__ = ("type", "flatten", "unflatten", "flatten_with_keys", "is_namedtuple")

    def __init__(self, nodetype, flatten, unflatten, flatten_with_keys, is_namedtuple=False):
        self.type = nodetype
        self.flatten = flatten  # x -> (children, aux_data)
        self.unflatten = unflatten  # (aux_data, children) -> x
        self.flatten_with_keys = flatten_with_keys  # x -> ([(key, child), ...], aux_data)
        self.is_namedtuple = is_namedtuple

    def __repr__(self):
        return f"<pytree node kind {self.type.__name__}>"

    def __reduce__(self):
        # Copies and unpickled structures must share the registered kind, by identity.
        return _kind_of_type, (self.type,)


def _with_keys(flatten, make_keys):
    """Build flatten_with_keys from a flatten function and ``make_keys(aux, n_children)``."""
    def flatten_with_keys(x):
        children, aux = flatten(x)
        children = list(children)
        return list(zip(make_keys(aux, len(children)), children)), aux
    return flatten_with_keys


def _index_keys(aux, n):
    return [FlattenedIndexKey(i) for i in range(n)]


def _sequence_keys(aux, n):
    return [SequenceKey(i) for i in range(n)]


def _dict_keys(aux, n):
    return [DictKey(k) for k in aux]


def _sorted_keys(d) -> tuple:
    try:
        return tuple(sorted(d))
    except TypeError as e:
        raise ValueError(
            f"pytree dict keys must be sortable; sorting the keys {list(d)!r} failed: {e}"
        ) from e


def _flatten_dict(d):
    keys = _sorted_keys(d)
    return [d[k] for k in keys], keys


def _flatten_defaultdict(d):
    keys = _sorted_keys(d)
    return [d[k] for k in keys], (d.default_factory, keys)


def _make_builtin_kind(nodetype, flatten, unflatten, make_keys):
    return _NodeKind(nodetype, flatten, unflatten, _with_keys(flatten, make_keys))


_TUPLE = _make_builtin_kind(tuple, lambda x: (x, None), lambda _, c: tuple(c), _sequence_keys)
_LIST = _make_builtin_kind(list, lambda x: (x, None), lambda _, c: list(c), _sequence_keys)
_DICT = _make_builtin_kind(dict, _flatten_dict, lambda keys, c: dict(zip(keys, c)), _dict_keys)
_NONE = _make_builtin_kind(type(None), lambda x: ((), None), lambda _, c: None, _index_keys)
_ORDERED_DICT = _make_builtin_kind(
    collections.OrderedDict, lambda d: (list(d.values()), tuple(d)),
    lambda keys, c: collections.OrderedDict(zip(keys, c)), _dict_keys)
_DEFAULTDICT = _make_builtin_kind(
    collections.defaultdict, _flatten_defaultdict,
    lambda aux, c: collections.defaultdict(aux[0], zip(aux[1], c)),
    lambda aux, n: _dict_keys(aux[1], n))

# Looked up by exact type; namedtuples are found through _namedtuple_kind instead.
_registry: dict[type, _NodeKind] = {
    k.type: k for k in (_TUPLE, _LIST, _DICT, _NONE, _ORDERED_DICT, _DEFAULTDICT)
}
_namedtuple_kinds: dict[type, _NodeKind] = {}


def _namedtuple_kind(cls) -> _NodeKind:
    kind = _namedtuple_kinds.get(cls)
    if kind is None:
        fields = cls._fields
        kind = _NodeKind(
            cls, lambda x: (x, None), lambda _, c: cls(*c),
            _with_keys(lambda x: (x, None), lambda aux, n: [GetAttrKey(f) for f in fields]),
            is_namedtuple=True)
        kind = _namedtuple_kinds.setdefault(cls, kind)
    return kind


def _kind_of_type(t: type) -> _NodeKind:
    return _registry.get(t) or _namedtuple_kind(t)


def _kind_of(x) -> _NodeKind | None:
    """The node kind of ``x``, or None when ``x`` is a leaf."""
    kind = _registry.get(type(x))
    if kind is None and isinstance(x, tuple) and hasattr(x, "_fields"):
        kind = _namedtuple_kind(type(x))
    return kind


def _register(kind: _NodeKind) -> None:
    if kind.type in _registry:
        raise ValueError(f"Duplicate pytree node registration for type {kind.type!r}.")
    _registry[kind.type] = kind


# --- flattening and unflattening -------------------------------------------------------

_LEAF = None  # the node that stands for one leaf in a structure


def _flatten(x, leaves: list, is_leaf):
    if is_leaf is not None and is_leaf(x):
        leaves.append(x)
        return _LEAF
    kind = _kind_of(x)
    if kind is None:
        leaves.append(x)
        return _LEAF
    children, aux = kind.flatten(x)
    nodes = []
    for c in children:
        # Fast path: most children are leaves (arrays), so skip the call for them.
        if is_leaf is None and type(c) not in _registry and not isinstance(c, tuple):
            leaves.append(c)
            nodes.append(_LEAF)
        else:
            nodes.append(_flatten(c, leaves, is_leaf))
    return kind, aux, tuple(nodes)


def _flatten_with_path(x, path: tuple, out: list, is_leaf):
    if is_leaf is not None and is_leaf(x):
        out.append((path, x))
        return _LEAF
    kind = _kind_of(x)
    if kind is None:
        out.append((path, x))
        return _LEAF
    keyed, aux = kind.flatten_with_keys(x)
    return kind, aux, tuple([_flatten_with_path(c, path + (k,), out, is_leaf) for k, c in keyed])


def _unflatten(node, leaves_iter):
    if node is _LEAF:
        return next(leaves_iter)
    kind, aux, children = node
    return kind.unflatten(
        aux, [next(leaves_iter) if c is _LEAF else _unflatten(c, leaves_iter) for c in children])


def _count_leaves(node) -> int:
    if node is _LEAF:
        return 1
    return sum(_count_leaves(c) for c in node[2])


def _count_nodes(node) -> int:
    if node is _LEAF:
        return 1
    return 1 + sum(_count_nodes(c) for c in node[2])


class _Mismatch(Exception):
    """Raised inside flatten_up_to; ``path`` collects keys innermost first."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail
        self.path: list = []


def _flatten_up_to(node, x, out: list) -> None:
    if node is _LEAF:
        out.append(x)
        return
    kind, aux, children = node
    if _kind_of(x) is not kind:
        raise _Mismatch(f"expected {_describe_kind(kind)}, got {_describe_value(x)}")
    xs, x_aux = kind.flatten(x)
    xs = xs if isinstance(xs, (list, tuple)) else list(xs)
    if x_aux != aux or len(xs) != len(children):
        raise _Mismatch(_node_mismatch(kind, aux, len(children), x_aux, len(xs)))
    for i, (child, sub) in enumerate(zip(children, xs)):
        try:
            _flatten_up_to(child, sub, out)
        except _Mismatch as e:
            e.path.append(kind.flatten_with_keys(x)[0][i][0])
            raise


def _describe_kind(kind: _NodeKind) -> str:
    if kind is _NONE:
        return "None"
    if kind.is_namedtuple:
        return f"namedtuple {kind.type.__name__}"
    if kind in (_TUPLE, _LIST, _DICT):
        return f"a {kind.type.__name__}"
    return f"a {kind.type.__name__} node"


def _describe_value(x) -> str:
    text = repr(x)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(x).__name__} {text}"


def _node_mismatch(kind, aux, n, x_aux, x_n) -> str:
    name = _describe_kind(kind)
    if kind is _DEFAULTDICT:
        aux, x_aux = aux[1], x_aux[1]
    if kind in (_DICT, _ORDERED_DICT, _DEFAULTDICT):
        return f"expected {name} with keys {list(aux)!r}, got keys {list(x_aux)!r}"
    if kind in (_TUPLE, _LIST):
        return f"expected {name} of length {n}, got length {x_n}"
    if x_aux == aux:
        return f"expected {name} with {n} children, got {x_n}"
    return f"expected {name} with node data {aux!r}, got node data {x_aux!r}"


# --- PyTreeDef -------------------------------------------------------------------------

class PyTreeDef:
    """The structure of a pytree: its container nodes and where the leaves go.

    Made by ``tree_flatten``/``tree_structure``, not constructed directly.
    """
    __slots__ = ("_node", "_num_leaves")

    def __init__(self, node, num_leaves: int | None = None):
        self._node = node
        self._num_leaves = _count_leaves(node) if num_leaves is None else num_leaves

    @property
    def num_leaves(self) -> int:
        return self._num_leaves

    @property
    def num_nodes(self) -> int:
        """Number of nodes, counting containers, None and leaves."""
        return _count_nodes(self._node)

    def unflatten(self, leaves: Iterable[Any]) -> Any:
        leaves = leaves if isinstance(leaves, (list, tuple)) else list(leaves)
        if len(leaves) != self._num_leaves:
            raise ValueError(
                f"{self} expects {self._num_leaves} leaves, but {len(leaves)} were given.")
        return _unflatten(self._node, iter(leaves))

    def flatten_up_to(self, tree: Any) -> list:
        """Flatten ``tree`` down to this structure's leaves, each of which may match a subtree.

        Raises ValueError when ``tree`` does not have this structure as a prefix.
        """
        out: list = []
        try:
            _flatten_up_to(self._node, tree, out)
        except _Mismatch as e:
            where = keystr(reversed(e.path)) or "the root"
            raise ValueError(
                f"Tree structure mismatch at {where}: {e.detail}.\n"
                f"  expected structure (as a prefix): {self}\n"
                f"  actual structure:                 {tree_structure(tree)}") from None
        return out

    def children(self) -> list[PyTreeDef]:
        """The structures of this node's children (empty for a leaf or None)."""
        if self._node is _LEAF:
            return []
        return [PyTreeDef(c) for c in self._node[2]]

    def node_data(self):
        """``(node type, aux data)`` of the root node, or None for a leaf."""
        if self._node is _LEAF:
            return None
        kind, aux, _ = self._node
        return kind.type, aux

    def __eq__(self, other):
        if not isinstance(other, PyTreeDef):
            return NotImplemented
        return self._node == other._node

    def __hash__(self):
        return hash(self._node)

    def __repr__(self):
        return f"PyTreeDef({_node_str(self._node)})"


def _node_str(node) -> str:
    if node is _LEAF:
        return "*"
    kind, aux, children = node
    parts = [_node_str(c) for c in children]
    inner = ", ".join(parts)
    if kind is _NONE:
        return "None"
    if kind is _TUPLE:
        return f"({inner},)" if len(parts) == 1 else f"({inner})"
    if kind is _LIST:
        return f"[{inner}]"
    if kind is _DICT:
        return "{" + ", ".join(f"{k!r}: {p}" for k, p in zip(aux, parts)) + "}"
    if kind.is_namedtuple:
        return f"CustomNode(namedtuple[{kind.type.__name__}], [{inner}])"
    return f"CustomNode({kind.type.__name__}[{aux}], [{inner}])"


# --- public functions ------------------------------------------------------------------

def tree_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None):
    """Return ``(leaves, treedef)``; ``is_leaf(x)`` True stops descent at ``x``."""
    leaves: list = []
    node = _flatten(tree, leaves, is_leaf)
    return leaves, PyTreeDef(node, len(leaves))


def tree_unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    return treedef.unflatten(leaves)


def tree_leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    leaves: list = []
    _flatten(tree, leaves, is_leaf)
    return leaves


def tree_structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> PyTreeDef:
    return tree_flatten(tree, is_leaf)[1]


def _flatten_rest(treedef: PyTreeDef, rest: tuple, fname: str) -> list[list]:
    flat = []
    for i, other in enumerate(rest):
        try:
            flat.append(treedef.flatten_up_to(other))
        except ValueError as e:
            raise ValueError(
                f"{fname}: tree {i + 1} of `rest` does not match the structure of the first "
                f"tree (each leaf of the first tree may match a whole subtree). {e}") from None
    return flat


def tree_map(f: Callable, tree: Any, *rest: Any, is_leaf=None) -> Any:
    """Apply ``f`` leafwise; ``f`` gets one argument per tree.

    Each tree in ``rest`` must have ``tree``'s structure as a prefix: where ``tree`` has a
    leaf, the others may have any subtree, which is passed to ``f`` whole.
    """
    leaves, treedef = tree_flatten(tree, is_leaf)
    if not rest:
        return treedef.unflatten([f(x) for x in leaves])
    others = _flatten_rest(treedef, rest, "tree_map")
    return treedef.unflatten([f(*xs) for xs in zip(leaves, *others)])


def tree_flatten_with_path(tree: Any, is_leaf=None):
    """Return ``([(key_path, leaf), ...], treedef)``; a key path is a tuple of keys."""
    out: list = []
    node = _flatten_with_path(tree, (), out, is_leaf)
    return out, PyTreeDef(node, len(out))


def tree_leaves_with_path(tree: Any, is_leaf=None) -> list:
    return tree_flatten_with_path(tree, is_leaf)[0]


def tree_map_with_path(f: Callable, tree: Any, *rest: Any, is_leaf=None) -> Any:
    """Like ``tree_map``, but ``f(key_path, leaf, *others)`` also gets each leaf's path."""
    path_leaves, treedef = tree_flatten_with_path(tree, is_leaf)
    others = _flatten_rest(treedef, rest, "tree_map_with_path")
    return treedef.unflatten([f(*pl, *xs) for pl, *xs in zip(path_leaves, *others)])


def tree_all(tree: Any, *, is_leaf=None) -> bool:
    return all(tree_leaves(tree, is_leaf))


_NO_INITIALIZER = object()


def tree_reduce(function: Callable, tree: Any, initializer: Any = _NO_INITIALIZER,
                is_leaf=None) -> Any:
    leaves = tree_leaves(tree, is_leaf)
    if initializer is _NO_INITIALIZER:
        return functools.reduce(function, leaves)
    return functools.reduce(function, leaves, initializer)


def tree_transpose(outer_treedef: PyTreeDef, inner_treedef: PyTreeDef | None,
                   pytree_to_transpose: Any) -> Any:
    """Turn an outer tree of inner trees into an inner tree of outer trees.

    ``inner_treedef=None`` takes the inner structure from the first outer leaf.
    """
    rows = outer_treedef.flatten_up_to(pytree_to_transpose)
    if inner_treedef is None:
        if not rows:
            raise ValueError("tree_transpose: cannot infer the inner structure of an empty tree.")
        inner_treedef = tree_structure(rows[0])
    rows = [inner_treedef.flatten_up_to(r) for r in rows]
    columns = [[row[j] for row in rows] for j in range(inner_treedef.num_leaves)]
    return inner_treedef.unflatten([outer_treedef.unflatten(col) for col in columns])


def all_leaves(iterable: Iterable[Any], is_leaf=None) -> bool:
    """True if every element of ``iterable`` is a leaf (None is not a leaf)."""
    return all(treedef_is_leaf(tree_structure(x, is_leaf)) for x in iterable)


def treedef_is_leaf(treedef: PyTreeDef) -> bool:
    return treedef._node is _LEAF


def treedef_children(treedef: PyTreeDef) -> list[PyTreeDef]:
    return treedef.children()


def treedef_tuple(treedefs: Iterable[PyTreeDef]) -> PyTreeDef:
    """The structure of a tuple whose elements have the given structures."""
    treedefs = list(treedefs)
    node = (_TUPLE, None, tuple(t._node for t in treedefs))
    return PyTreeDef(node, sum(t.num_leaves for t in treedefs))


# --- registration ----------------------------------------------------------------------

def register_pytree_node(nodetype: type, flatten_func: Callable, unflatten_func: Callable,
                         flatten_with_keys_func: Callable | None = None) -> None:
    """Make ``nodetype`` a container.

    ``flatten_func(x) -> (children, aux_data)``; ``unflatten_func(aux_data, children) -> x``.
    ``aux_data`` is part of the structure, so it should be hashable and comparable.
    ``flatten_with_keys_func(x) -> ([(key, child), ...], aux_data)`` names the children
    in key paths; without it they are named by ``FlattenedIndexKey``.
    """
    if flatten_with_keys_func is None:
        flatten_with_keys_func = _with_keys(flatten_func, _index_keys)
    _register(_NodeKind(nodetype, flatten_func, unflatten_func, flatten_with_keys_func))


def register_pytree_node_class(cls: type) -> type:
    """Class decorator: ``cls.tree_flatten(self)`` and classmethod ``cls.tree_unflatten``."""
    register_pytree_node(cls, lambda x: x.tree_flatten(), cls.tree_unflatten)
    return cls


def register_dataclass(nodetype: type | None = None, data_fields=None, meta_fields=None):
    """Make a dataclass (or any class taking its fields as keyword arguments) a container.

    ``data_fields`` are children; ``meta_fields`` go in the structure as aux data. With
    neither given, ``nodetype`` must be a dataclass: fields declared with
    ``metadata=dict(static=True)`` are meta, the other ``init`` fields are data. Usable as
    a bare decorator, or as ``register_dataclass(data_fields=..., meta_fields=...)(cls)``.
    """
    if nodetype is None:
        return functools.partial(register_dataclass, data_fields=data_fields,
                                 meta_fields=meta_fields)
    data_fields, meta_fields = _dataclass_fields(nodetype, data_fields, meta_fields)

    def flatten(x):
        return ([getattr(x, f) for f in data_fields],
                tuple(getattr(x, f) for f in meta_fields))

    def unflatten(meta, children):
        return nodetype(**dict(zip(data_fields, children)), **dict(zip(meta_fields, meta)))

    attr_keys = [GetAttrKey(f) for f in data_fields]
    register_pytree_node(nodetype, flatten, unflatten,
                         _with_keys(flatten, lambda aux, n: attr_keys))
    return nodetype


def _dataclass_fields(nodetype, data_fields, meta_fields) -> tuple[tuple, tuple]:
    if data_fields is None and meta_fields is None:
        if not dataclasses.is_dataclass(nodetype):
            raise TypeError(
                f"register_dataclass: {nodetype.__name__} is not a dataclass; pass "
                "data_fields and meta_fields explicitly.")
        fields = [f for f in dataclasses.fields(nodetype) if f.init]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
    elif data_fields is None or meta_fields is None:
        raise TypeError("register_dataclass: give both data_fields and meta_fields, or neither.")
    data_fields, meta_fields = tuple(data_fields), tuple(meta_fields)
    if dataclasses.is_dataclass(nodetype):
        init_fields = {f.name for f in dataclasses.fields(nodetype) if f.init}
        if set(data_fields) | set(meta_fields) != init_fields:
            raise ValueError(
                f"register_dataclass: data_fields {list(data_fields)} and meta_fields "
                f"{list(meta_fields)} must together name exactly the init fields of "
                f"{nodetype.__name__}: {sorted(init_fields)}.")
    return data_fields, meta_fields
