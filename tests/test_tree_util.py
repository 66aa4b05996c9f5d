import collections
import copy
import dataclasses
import functools
import operator
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jaxlite import tree
from jaxlite import tree_util as tu
from jaxlite.tree_util import DictKey, FlattenedIndexKey, GetAttrKey, SequenceKey

Point = collections.namedtuple("Point", ["x", "y"])


class Empty(collections.namedtuple("Empty", [])):
    pass


@tu.register_pytree_node_class
class Scaled:
    """A custom node: one child, a static scale factor as aux data."""

    def __init__(self, value, scale):
        self.value, self.scale = value, scale

    def tree_flatten(self):
        return (self.value,), self.scale

    @classmethod
    def tree_unflatten(cls, scale, children):
        return cls(children[0], scale)

    def __eq__(self, other):
        return type(other) is Scaled and (self.value, self.scale) == (other.value, other.scale)


class Pair:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __eq__(self, other):
        return type(other) is Pair and (self.a, self.b) == (other.a, other.b)


tu.register_pytree_node(Pair, lambda p: ((p.a, p.b), None), lambda _, c: Pair(*c))


@tu.register_dataclass
@dataclasses.dataclass
class Params:
    w: object
    b: object
    name: str = dataclasses.field(default="p", metadata=dict(static=True))


@functools.partial(tu.register_dataclass, data_fields=["x"], meta_fields=["tag"])
@dataclasses.dataclass(frozen=True)
class Tagged:
    x: object
    tag: str


# --- round trips -----------------------------------------------------------------------

ROUND_TRIP_TREES = [
    1,
    "a string is a leaf",
    None,
    (),
    [],
    {},
    (1, 2),
    (1,),
    [1, [2, (3, None)]],
    {"b": 1, "a": [2, 3]},
    {1: "x", 0: "y"},
    Point(1, (2, 3)),
    Empty(),
    collections.OrderedDict([("z", 1), ("a", 2)]),
    collections.defaultdict(list, {"b": 1, "a": (2,)}),
    Params(w=1, b=[2, 3], name="dense"),
    Tagged(x=(1, 2), tag="t"),
    Scaled([1, 2], 3.0),
    Pair(1, {"k": None}),
    [Point(None, {"a": Scaled((1, [2]), 2)}), collections.OrderedDict(q=Pair(3, 4))],
]


@pytest.mark.parametrize("t", ROUND_TRIP_TREES, ids=lambda t: type(t).__name__)
def test_round_trip(t):
    leaves, treedef = tu.tree_flatten(t)
    rebuilt = tu.tree_unflatten(treedef, leaves)
    assert rebuilt == t
    assert type(rebuilt) is type(t)
    assert treedef.num_leaves == len(leaves)
    assert tu.tree_map(lambda x: x, t) == t
    assert tu.tree_structure(rebuilt) == treedef


def test_leaf_order():
    t = [Point(1, 2), {"b": 4, "a": 3}, (5, None, [6])]
    assert tu.tree_leaves(t) == [1, 2, 3, 4, 5, 6]


# --- None ------------------------------------------------------------------------------

def test_none_is_an_empty_node_not_a_leaf():
    leaves, treedef = tu.tree_flatten(None)
    assert leaves == []
    assert repr(treedef) == "PyTreeDef(None)"
    assert treedef.num_nodes == 1 and treedef.num_leaves == 0
    assert not tu.treedef_is_leaf(treedef)
    assert tu.tree_leaves([None, 1, (None,)]) == [1]
    assert tu.tree_map(lambda x: x + 1, (None, 1)) == (None, 2)


def test_none_as_leaf_via_is_leaf():
    assert tu.tree_leaves([None, 1], is_leaf=lambda x: x is None) == [None, 1]


def test_none_in_prefix_requires_none():
    treedef = tu.tree_structure((None, 1))
    assert treedef.flatten_up_to((None, [2, 3])) == [[2, 3]]
    with pytest.raises(ValueError, match=r"at \[0\]: expected None, got int 5"):
        treedef.flatten_up_to((5, 1))


# --- built-in container types ----------------------------------------------------------

def test_dict_children_in_sorted_key_order_and_rebuilt_sorted():
    d = {"b": 1, "c": 2, "a": 3}
    leaves, treedef = tu.tree_flatten(d)
    assert leaves == [3, 1, 2]
    assert list(tu.tree_unflatten(treedef, leaves)) == ["a", "b", "c"]
    assert treedef == tu.tree_structure({"a": 0, "c": 0, "b": 0})


def test_dict_with_unsortable_keys_raises():
    with pytest.raises(ValueError, match="sortable"):
        tu.tree_flatten({1: 1, "a": 2})


def test_ordered_dict_keeps_insertion_order():
    od = collections.OrderedDict([("b", 1), ("a", 2)])
    leaves, treedef = tu.tree_flatten(od)
    assert leaves == [1, 2]
    rebuilt = tu.tree_unflatten(treedef, [10, 20])
    assert type(rebuilt) is collections.OrderedDict
    assert list(rebuilt.items()) == [("b", 10), ("a", 20)]
    assert treedef != tu.tree_structure(collections.OrderedDict([("a", 1), ("b", 2)]))
    assert treedef != tu.tree_structure({"b": 1, "a": 2})


def test_defaultdict_sorted_keys_and_factory():
    dd = collections.defaultdict(list, {"b": 1, "a": 2})
    leaves, treedef = tu.tree_flatten(dd)
    assert leaves == [2, 1]
    rebuilt = tu.tree_unflatten(treedef, leaves)
    assert type(rebuilt) is collections.defaultdict
    assert rebuilt.default_factory is list
    assert rebuilt == dd
    assert treedef != tu.tree_structure(collections.defaultdict(dict, {"b": 1, "a": 2}))


def test_namedtuple_type_preserved_and_distinct_from_tuple():
    p = Point(1, 2)
    treedef = tu.tree_structure(p)
    assert type(tu.tree_unflatten(treedef, [3, 4])) is Point
    assert treedef != tu.tree_structure((1, 2))
    assert tu.tree_map(lambda x: x * 2, p) == Point(2, 4)


def test_list_and_tuple_are_distinct():
    assert tu.tree_structure([1, 2]) != tu.tree_structure((1, 2))


def test_other_objects_are_leaves():
    class Thing:
        pass

    thing = Thing()
    leaves, treedef = tu.tree_flatten(thing)
    assert leaves == [thing]
    assert tu.treedef_is_leaf(treedef)
    assert repr(treedef) == "PyTreeDef(*)"
    assert tu.tree_leaves({"s": "abc", "f": 1.5, "set": {1, 2}}) == [1.5, "abc", {1, 2}]


# --- custom registration ---------------------------------------------------------------

def test_register_pytree_node_class():
    s = Scaled((1, 2), 0.5)
    leaves, treedef = tu.tree_flatten(s)
    assert leaves == [1, 2]
    assert tu.tree_unflatten(treedef, [3, 4]) == Scaled((3, 4), 0.5)
    assert treedef != tu.tree_structure(Scaled((1, 2), 0.25))
    assert repr(treedef) == "PyTreeDef(CustomNode(Scaled[0.5], [(*, *)]))"


def test_register_pytree_node():
    p = Pair(1, [2, 3])
    assert tu.tree_leaves(p) == [1, 2, 3]
    assert tu.tree_map(lambda x: -x, p) == Pair(-1, [-2, -3])
    assert repr(tu.tree_structure(p)) == "PyTreeDef(CustomNode(Pair[None], [*, [*, *]]))"


def test_duplicate_registration_raises():
    with pytest.raises(ValueError, match="Duplicate"):
        tu.register_pytree_node(Pair, lambda p: ((), None), lambda _, c: Pair(0, 0))
    with pytest.raises(ValueError, match="Duplicate"):
        tu.register_pytree_node(tuple, lambda t: (t, None), lambda _, c: tuple(c))


def test_register_pytree_node_with_keys():
    class Box:
        def __init__(self, inner):
            self.inner = inner

    tu.register_pytree_node(
        Box, lambda b: ((b.inner,), None), lambda _, c: Box(c[0]),
        lambda b: ([(GetAttrKey("inner"), b.inner)], None))
    path_leaves, treedef = tu.tree_flatten_with_path([Box({"k": 1})])
    assert [(tu.keystr(p), v) for p, v in path_leaves] == [("[0].inner['k']", 1)]
    assert tu.tree_leaves(Box((1, 2))) == [1, 2]
    assert tu.tree_unflatten(treedef, [5])[0].inner == {"k": 5}


def test_dataclass_decorator_default_fields():
    p = Params(w=1, b=2, name="dense")
    leaves, treedef = tu.tree_flatten(p)
    assert leaves == [1, 2]
    assert tu.tree_unflatten(treedef, [3, 4]) == Params(3, 4, "dense")
    assert treedef == tu.tree_structure(Params(w=9, b=9, name="dense"))
    assert treedef != tu.tree_structure(Params(w=1, b=2, name="other"))
    assert hash(treedef) == hash(tu.tree_structure(Params(w=0, b=0, name="dense")))
    assert repr(treedef) == "PyTreeDef(CustomNode(Params[('dense',)], [*, *]))"


def test_dataclass_explicit_fields():
    t = Tagged(x=[1, 2], tag="a")
    leaves, treedef = tu.tree_flatten(t)
    assert leaves == [1, 2]
    assert tu.tree_unflatten(treedef, [5, 6]) == Tagged(x=[5, 6], tag="a")
    assert treedef != tu.tree_structure(Tagged(x=[1, 2], tag="b"))


def test_dataclass_paths_use_attribute_names():
    path_leaves, _ = tu.tree_flatten_with_path(Params(w=(1,), b=2))
    assert [tu.keystr(p) for p, _ in path_leaves] == [".w[0]", ".b"]


def test_register_dataclass_plain_class_with_explicit_fields():
    class Plain:
        def __init__(self, a, k):
            self.a, self.k = a, k

    tu.register_dataclass(Plain, data_fields=["a"], meta_fields=["k"])
    rebuilt = tu.tree_map(lambda x: x + 1, Plain(1, "k"))
    assert (rebuilt.a, rebuilt.k) == (2, "k")


def test_register_dataclass_errors():
    class NotADataclass:
        pass

    with pytest.raises(TypeError, match="not a dataclass"):
        tu.register_dataclass(NotADataclass)

    @dataclasses.dataclass
    class D:
        a: int
        b: int

    with pytest.raises(TypeError, match="both"):
        tu.register_dataclass(D, data_fields=["a", "b"])
    with pytest.raises(ValueError, match="init fields"):
        tu.register_dataclass(D, data_fields=["a"], meta_fields=[])


# --- tree_map and flatten_up_to --------------------------------------------------------

def test_tree_map_several_trees():
    out = tu.tree_map(lambda a, b, c: a + b * c, [1, {"k": 2}], [3, {"k": 4}], [5, {"k": 6}])
    assert out == [16, {"k": 26}]


def test_tree_map_leaves_of_first_tree_match_subtrees():
    out = tu.tree_map(lambda a, b: (a, b), (0, 1), ([1, 2], {"x": None}))
    assert out == ((0, [1, 2]), (1, {"x": None}))


@pytest.mark.parametrize("first, other, fragment", [
    ((1, 2), (1, 2, 3), "at the root: expected a tuple of length 2, got length 3"),
    ([1, 2], (1, 2), "at the root: expected a list, got tuple (1, 2)"),
    ({"a": 1}, {"b": 1}, "expected a dict with keys ['a'], got keys ['b']"),
    ((1, {"a": [2]}), (1, {"a": 3}), "at [1]['a']: expected a list, got int 3"),
    (Point(1, 2), (1, 2), "expected namedtuple Point, got tuple"),
    (Scaled(1, 2.0), Scaled(1, 3.0), "expected a Scaled node with node data 2.0, got"),
])
def test_tree_map_mismatch_message(first, other, fragment):
    with pytest.raises(ValueError) as info:
        tu.tree_map(lambda a, b: a, first, other)
    message = str(info.value)
    assert fragment in message
    assert repr(tu.tree_structure(first)) in message
    assert repr(tu.tree_structure(other)) in message


def test_flatten_up_to():
    treedef = tu.tree_structure((0, {"a": 0, "b": 0}))
    assert treedef.flatten_up_to(([1], {"a": (2,), "b": None})) == [[1], (2,), None]
    with pytest.raises(ValueError, match=r"at \[1\]\['b'\]") as info:
        tu.tree_structure((0, {"a": 0, "b": [0]})).flatten_up_to((1, {"a": 2, "b": 3}))
    assert "PyTreeDef((*, {'a': *, 'b': [*]}))" in str(info.value)
    assert "PyTreeDef((*, {'a': *, 'b': *}))" in str(info.value)


def test_flatten_up_to_leaf_treedef_takes_whole_tree():
    assert tu.tree_structure(0).flatten_up_to({"a": [1]}) == [{"a": [1]}]


def test_flatten_up_to_custom_node_path():
    treedef = tu.tree_structure(Pair(0, [0]))
    with pytest.raises(ValueError, match=r"at \[<flat index 1>\]"):
        treedef.flatten_up_to(Pair(1, 2))


# --- PyTreeDef -------------------------------------------------------------------------

@pytest.mark.parametrize("t, expected", [
    ((1, {"a": 2, "b": [3, None]}), "PyTreeDef((*, {'a': *, 'b': [*, None]}))"),
    ((None,), "PyTreeDef((None,))"),
    ((), "PyTreeDef(())"),
    ([()], "PyTreeDef([()])"),
    (((1, 2), [3, (4, None, 5)]), "PyTreeDef(((*, *), [*, (*, None, *)]))"),
    ([1, Point(1, (2, Point(3, None))), {"baz": 4}],
     "PyTreeDef([*, CustomNode(namedtuple[Point], [*, (*, CustomNode(namedtuple[Point], "
     "[*, None]))]), {'baz': *}])"),
    (collections.OrderedDict(b=1, a=2), "PyTreeDef(CustomNode(OrderedDict[('b', 'a')], [*, *]))"),
])
def test_repr(t, expected):
    assert repr(tu.tree_structure(t)) == expected


def test_treedef_equality_and_hash():
    a = tu.tree_structure((1, [2, {"x": 3}]))
    b = tu.tree_structure(("u", ["v", {"x": None}]), is_leaf=lambda x: x is None)
    c = tu.tree_structure((1, [2, {"y": 3}]))
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert len({a, b, c}) == 2
    assert a != "not a treedef"


def test_treedef_survives_copy_and_pickle():
    t = [Point(1, {"a": None}), collections.OrderedDict(z=2), Params(w=3, b=(4,), name="n")]
    treedef = tu.tree_structure(t)
    for clone in (copy.copy(treedef), copy.deepcopy(treedef), pickle.loads(pickle.dumps(treedef))):
        assert clone == treedef and hash(clone) == hash(treedef)
        assert clone.unflatten(tu.tree_leaves(t)) == t


def test_treedef_counts_and_children():
    treedef = tu.tree_structure((1, {"a": 2, "b": [3, None]}))
    assert treedef.num_leaves == 3
    assert treedef.num_nodes == 7  # tuple, dict, list, None and three leaves
    children = treedef.children()
    assert children == tu.treedef_children(treedef)
    assert [repr(c) for c in children] == ["PyTreeDef(*)", "PyTreeDef({'a': *, 'b': [*, None]})"]
    assert children[1].num_leaves == 2
    assert tu.tree_structure(1).children() == []
    assert treedef.node_data() == (tuple, None)
    assert children[1].node_data() == (dict, ("a", "b"))
    assert tu.tree_structure(1).node_data() is None


def test_treedef_tuple():
    parts = [tu.tree_structure([1, 2]), tu.tree_structure(None), tu.tree_structure(3)]
    assert tu.treedef_tuple(parts) == tu.tree_structure(([1, 2], None, 3))
    assert tu.treedef_tuple(parts).num_leaves == 3


def test_unflatten_wrong_number_of_leaves():
    treedef = tu.tree_structure((1, [2, 3]))
    with pytest.raises(ValueError, match="expects 3 leaves, but 2 were given"):
        tu.tree_unflatten(treedef, [1, 2])
    with pytest.raises(ValueError, match="expects 3 leaves, but 4 were given"):
        treedef.unflatten([1, 2, 3, 4])


def test_unflatten_accepts_any_iterable():
    treedef = tu.tree_structure((1, [2, 3]))
    assert treedef.unflatten(iter(range(3))) == (0, [1, 2])


# --- paths -----------------------------------------------------------------------------

def test_flatten_with_path_and_keystr():
    t = [{"a": Point(x=1, y=2)}, (3,)]
    path_leaves, treedef = tu.tree_flatten_with_path(t)
    assert treedef == tu.tree_structure(t)
    assert [v for _, v in path_leaves] == [1, 2, 3]
    assert path_leaves[0][0] == (SequenceKey(0), DictKey("a"), GetAttrKey("x"))
    assert [tu.keystr(p) for p, _ in path_leaves] == ["[0]['a'].x", "[0]['a'].y", "[1][0]"]
    assert tu.tree_leaves_with_path(t) == path_leaves


def test_keystr_simple_and_separator():
    path = (SequenceKey(0), DictKey("a"), GetAttrKey("b"), FlattenedIndexKey(2))
    assert tu.keystr(path) == "[0]['a'].b[<flat index 2>]"
    assert tu.keystr(path, simple=True, separator="/") == "0/a/b/2"
    assert tu.keystr(()) == ""


def test_key_reprs():
    assert repr(SequenceKey(0)) == "SequenceKey(idx=0)"
    assert repr(DictKey("a")) == "DictKey(key='a')"
    assert repr(GetAttrKey("b")) == "GetAttrKey(name='b')"
    assert hash(DictKey("a")) == hash(DictKey("a"))


def test_custom_node_paths_use_flattened_index():
    path_leaves, _ = tu.tree_flatten_with_path(Pair(1, 2))
    assert [p for p, _ in path_leaves] == [(FlattenedIndexKey(0),), (FlattenedIndexKey(1),)]


def test_tree_map_with_path():
    t = {"a": [1, 2], "b": 3}
    out = tu.tree_map_with_path(lambda p, x, y: (tu.keystr(p), x + y), t, {"a": [10, 20], "b": 30})
    assert out == {"a": [("['a'][0]", 11), ("['a'][1]", 22)], "b": ("['b']", 33)}


# --- is_leaf and reductions ------------------------------------------------------------

def test_is_leaf_stops_descent():
    t = {"a": (1, 2), "b": [(3, 4)]}
    is_pair = lambda x: isinstance(x, tuple)  # noqa: E731
    assert tu.tree_leaves(t, is_leaf=is_pair) == [(1, 2), (3, 4)]
    assert tu.tree_map(sum, t, is_leaf=is_pair) == {"a": 3, "b": [7]}
    assert tu.tree_structure(t, is_leaf=is_pair).num_leaves == 2
    path_leaves, _ = tu.tree_flatten_with_path(t, is_leaf=is_pair)
    assert [tu.keystr(p) for p, _ in path_leaves] == ["['a']", "['b'][0]"]


def test_is_leaf_applies_to_root():
    assert tu.tree_leaves([1, 2], is_leaf=lambda x: isinstance(x, list)) == [[1, 2]]


def test_tree_all_and_reduce():
    assert tu.tree_all([True, {"a": 1}])
    assert not tu.tree_all([True, (0,)])
    assert tu.tree_all(None)
    assert tu.tree_reduce(operator.add, [1, (2, {"a": 3})]) == 6
    assert tu.tree_reduce(operator.add, [], initializer=10) == 10
    with pytest.raises(TypeError):
        tu.tree_reduce(operator.add, [])


def test_all_leaves():
    assert tu.all_leaves([1, "a", 2.0])
    assert not tu.all_leaves([1, (2,)])
    assert not tu.all_leaves([None])
    assert tu.all_leaves([(1,)], is_leaf=lambda x: isinstance(x, tuple))


def test_tree_transpose():
    outer = tu.tree_structure([0, 0])
    inner = tu.tree_structure({"a": 0, "b": 0})
    t = [{"a": 1, "b": 2}, {"a": 3, "b": 4}]
    assert tu.tree_transpose(outer, inner, t) == {"a": [1, 3], "b": [2, 4]}
    assert tu.tree_transpose(outer, None, t) == {"a": [1, 3], "b": [2, 4]}
    with pytest.raises(ValueError):
        tu.tree_transpose(outer, inner, [{"a": 1}, {"a": 3}])


# --- the jax.tree-style alias module ---------------------------------------------------

def test_tree_module_aliases():
    t = {"x": (1, 2)}
    leaves, treedef = tree.flatten(t)
    assert tree.unflatten(treedef, leaves) == t
    assert tree.map(lambda a, b: a + b, t, t) == {"x": (2, 4)}
    assert tree.leaves(t) == [1, 2]
    assert tree.structure(t) == treedef
    assert tree.all(t)
    assert tree.reduce(operator.mul, t) == 2
    assert tree.flatten_with_path(t)[0][0] == ((DictKey("x"), SequenceKey(0)), 1)
    assert tree.map_with_path(lambda p, v: len(p), t) == {"x": (2, 2)}
    assert tree.leaves([None], is_leaf=lambda x: x is None) == [None]
    assert set(tree.__all__) <= set(dir(tree))


def test_public_api_listed():
    for name in tu.__all__:
        assert hasattr(tu, name), name


# --- property-based --------------------------------------------------------------------

leaves_st = st.integers(-5, 5)
trees_st = st.recursive(
    leaves_st | st.none(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.dictionaries(st.text("abc", max_size=2), children, max_size=4)
        | st.builds(Point, children, children)
    ),
    max_leaves=20,
)


def _canonical(t):
    """A form in which equal values mean equal structures and leaves (Point != tuple)."""
    if isinstance(t, dict):
        return ("dict", sorted((k, _canonical(v)) for k, v in t.items()))
    if isinstance(t, (list, tuple)):
        return (type(t).__name__, [_canonical(c) for c in t])
    return t


def _follow(t, path):
    for key in path:
        if isinstance(key, SequenceKey):
            t = t[key.idx]
        elif isinstance(key, DictKey):
            t = t[key.key]
        else:
            t = getattr(t, key.name)
    return t


@settings(max_examples=200, deadline=None)
@given(trees_st)
def test_random_trees_round_trip(t):
    leaves, treedef = tu.tree_flatten(t)
    assert _canonical(tu.tree_unflatten(treedef, leaves)) == _canonical(t)
    assert _canonical(tu.tree_map(lambda x: x, t)) == _canonical(t)
    assert treedef.num_leaves == len(leaves)
    assert all(isinstance(x, int) for x in leaves)
    assert treedef.flatten_up_to(t) == leaves
    assert tu.tree_structure(tu.tree_map(str, t)) == treedef
    assert treedef.num_nodes >= treedef.num_leaves


@settings(max_examples=200, deadline=None)
@given(trees_st)
def test_random_trees_paths_locate_leaves(t):
    path_leaves, treedef = tu.tree_flatten_with_path(t)
    assert treedef == tu.tree_structure(t)
    assert [v for _, v in path_leaves] == tu.tree_leaves(t)
    for path, leaf in path_leaves:
        assert _follow(t, path) == leaf


@settings(max_examples=200, deadline=None)
@given(trees_st, trees_st)
def test_random_treedef_equality_matches_structure(t1, t2):
    s1, s2 = tu.tree_structure(t1), tu.tree_structure(t2)
    same = _canonical(tu.tree_map(lambda x: 0, t1)) == _canonical(tu.tree_map(lambda x: 0, t2))
    assert (s1 == s2) == same
    if same:
        assert hash(s1) == hash(s2)
        assert repr(s1) == repr(s2)
