"""Contractions against NumPy, eagerly and traced: matmul, dot, vdot, inner, outer, tensordot,
einsum, einsum_path, vecdot, matvec, vecmat, kron, cross."""

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxlite
from helpers import check, traced
import jaxlite.numpy as jc
from jaxlite.numpy import _contractions, _einsum

DTYPES = [np.bool_, np.int8, np.int32, np.int64, np.uint8, np.uint64, np.float16, np.float32,
          np.float64, np.complex64, np.complex128]
MIXED = [(np.int8, np.float32), (np.bool_, np.bool_), (np.bool_, np.int16), (np.uint64, np.int64),
         (np.int32, np.float32), (np.float32, np.complex64), (np.float32, np.float64),
         (np.uint8, np.int8), (np.float16, np.int64), (np.complex64, np.float64)]


def sample(shape, dtype=np.float64, seed=0):
    """Small values, so that integer products do not overflow and sums are exact-ish."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype.kind in "iu":
        return rng.integers(0 if dtype.kind == "u" else -3, 4, size=shape).astype(dtype)
    values = rng.normal(size=shape)
    if dtype.kind == "c":
        values = values + 1j * rng.normal(size=shape)
    return np.asarray(values.astype(dtype))


def tolerance(*dtypes):
    """atol for sums whose order differs from NumPy's (cancellation near zero)."""
    low = {np.dtype(np.float16): 1e-2, np.dtype(np.float32): 1e-4, np.dtype(np.complex64): 1e-4}
    return max([low.get(np.dtype(d), 1e-10) for d in dtypes])


def check_pair(fn, np_fn, shape1, shape2, dtype1=np.float64, dtype2=None, **kwargs):
    x1, x2 = sample(shape1, dtype1, 1), sample(shape2, dtype2 or dtype1, 2)
    rtol = 1e-2 if np.float16 in (dtype1, dtype2) else None
    return check(fn, np_fn, x1, x2, atol=tolerance(dtype1, dtype2 or dtype1), rtol=rtol, **kwargs)


def check_einsum(spec, operands, atol=0.0, rtol=None, **kwargs):
    jax_fn = lambda *ops: jc.einsum(spec, *ops, **kwargs)  # noqa: E731
    check(jax_fn, lambda *ops: np.einsum(spec, *ops, **kwargs), *operands, atol=atol, rtol=rtol)


def raises_both(fn, args, exception, match):
    """`fn(*args)` raises eagerly and while traced (the traced run sees abstract arrays)."""
    with pytest.raises(exception, match=match):
        fn(*args)
    with pytest.raises(exception, match=match):
        jaxlite.make_jaxpr(fn)(*args)


# ---------------------------------------------------------------- matmul and the gufuncs

MATMUL_SHAPES = [
    ((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)), ((5, 2, 3), (5, 3, 4)),
    ((5, 2, 3), (3, 4)), ((3,), (5, 3, 4)), ((5, 2, 3), (3,)), ((5, 1, 2, 3), (4, 3, 2)),
    ((1, 2, 3), (6, 3, 1)), ((2, 0), (0, 3)), ((0, 2, 3), (3, 4)), ((2, 3), (3, 0)), ((1, 1), (1, 1)),
    ((4, 1, 2, 3), (1, 5, 3, 2)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_shapes(shapes):
    check_pair(jc.matmul, np.matmul, *shapes)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("shapes", [((2, 3), (3, 4)), ((3,), (2, 3, 2)), ((2, 1, 3), (3, 4))], ids=str)
def test_matmul_dtypes(dtype, shapes):
    check_pair(jc.matmul, np.matmul, *shapes, dtype)


@pytest.mark.parametrize("dtypes", MIXED, ids=str)
@pytest.mark.parametrize("name", ["matmul", "vecdot", "matvec", "vecmat", "dot", "inner", "outer", "vdot",
                                  "tensordot", "kron"])
def test_mixed_dtypes(name, dtypes):
    shapes = {"matvec": ((2, 3), (3,)), "vecmat": ((3,), (3, 2)), "vecdot": ((2, 3), (3,)), "vdot": ((2, 3), (6,)),
              "tensordot": ((2, 3), (2, 3))}
    check_pair(getattr(jc, name), getattr(np, name), *shapes.get(name, ((2, 3), (3, 3))), *dtypes)


def test_matmul_jaxpr_is_one_dot_general():
    jaxpr = jaxlite.make_jaxpr(jc.matmul)(np.ones((2, 3), np.float32), np.ones((3, 4), np.float32))
    assert str(jaxpr) == (
        "{ lambda ; a:f32[2,3] b:f32[3,4]. let\n"
        "    c:f32[2,4] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] a b\n"
        "  in (c,) }"
    )


def primitive_names(fn, *args):
    return [eqn.primitive.name for eqn in jaxlite.make_jaxpr(fn)(*args).jaxpr.eqns]


def test_compact_jaxprs():
    assert primitive_names(jc.matmul, np.ones((5, 2, 3)), np.ones((5, 3, 4))) == ["dot_general"]
    assert primitive_names(jc.matmul, np.ones((3,)), np.ones((5, 3, 4))) == ["dot_general"]
    converted = primitive_names(jc.matmul, np.ones((2, 3), np.int8), np.ones((3, 4)))
    assert converted == ["convert_element_type", "dot_general"]
    # a broadcast batch axis becomes a free axis instead of being materialized
    assert primitive_names(jc.matmul, np.ones((5, 2, 3)), np.ones((3, 4))) == ["dot_general"]
    assert primitive_names(jc.dot, np.ones((5, 2, 3)), np.ones((4, 3, 2))) == ["dot_general"]
    assert primitive_names(jc.tensordot, np.ones((2, 3, 4)), np.ones((3, 4, 5))) == ["dot_general"]
    batched = lambda a, b: jc.einsum("bij,bjk->bik", a, b)  # noqa: E731
    assert primitive_names(batched, np.ones((2, 2, 3)), np.ones((2, 3, 4))) == ["dot_general"]
    assert primitive_names(lambda a: jc.einsum("ii->i", a), np.ones((3, 3))) == ["iota", "gather"]
    assert primitive_names(jc.vecdot, np.ones((4, 3), complex), np.ones((4, 3), complex)) == ["conj", "dot_general"]


@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex64, np.complex128, np.bool_], ids=str)
@pytest.mark.parametrize("shapes,kwargs", [
    (((3,), (3,)), {}), (((2, 3), (3,)), {}), (((4, 1, 3), (2, 3)), {}), (((3, 2), (3, 2)), {"axis": 0}),
    (((3, 2), (3, 1)), {"axis": -2}), (((2, 3), (2, 3)), {"keepdims": True}),
    (((3, 2), (3, 2)), {"axis": 0, "keepdims": True}), (((0, 3), (3,)), {}), (((2, 0), (2, 0)), {}),
    (((3, 2), (2, 3)), {"axes": [(0,), (1,)]}),
], ids=str)
def test_vecdot(dtype, shapes, kwargs):
    check_pair(jc.vecdot, np.vecdot, *shapes, dtype, **kwargs)


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.complex128, np.bool_], ids=str)
@pytest.mark.parametrize("name,shapes", [
    ("matvec", ((2, 3), (3,))), ("matvec", ((4, 2, 3), (1, 3))), ("matvec", ((2, 3), (5, 3))),
    ("vecmat", ((3,), (3, 2))), ("vecmat", ((5, 3), (1, 3, 2))), ("matvec", ((0, 3), (3,))),
    ("vecmat", ((3,), (3, 0))),
], ids=str)
def test_matvec_vecmat(name, dtype, shapes):
    check_pair(getattr(jc, name), getattr(np, name), *shapes, dtype)


@pytest.mark.parametrize("shapes,kwargs", [
    (((3, 2), (2, 4)), {"axes": [(0, 1), (0, 1), (1, 0)]}),
    (((3, 2, 5), (2, 4)), {"axes": [(0, 1), (0, 1), (1, 0)]}),
    (((3,), (3, 4)), {"axes": [(0,), (0, 1), (0,)]}),
    (((2, 3), (3, 4)), {"dtype": np.float32}),
    (((2, 3), (3, 4)), {"dtype": np.int8, "casting": "unsafe"}),
])
def test_matmul_keywords(shapes, kwargs):
    check_pair(jc.matmul, np.matmul, *shapes, **kwargs)


# ---------------------------------------------------------------- dot, inner, vdot, outer, tensordot, kron

DOT_SHAPES = [((), ()), ((), (3,)), ((2, 3), ()), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)),
              ((2, 3), (3, 4)), ((5, 2, 3), (3,)), ((5, 2, 3), (4, 3, 2)), ((2, 0), (0, 3)), ((0,), (0,))]


@pytest.mark.parametrize("shapes", DOT_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.bool_, np.int32, np.float32, np.complex128], ids=str)
def test_dot(shapes, dtype):
    check_pair(jc.dot, np.dot, *shapes, dtype)


INNER_SHAPES = [((), ()), ((2, 3), ()), ((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)), ((5, 2, 3), (4, 1, 3)),
                ((0,), (0,)), ((2, 0), (3, 0))]


@pytest.mark.parametrize("shapes", INNER_SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.bool_, np.int64, np.float64, np.complex64], ids=str)
def test_inner(shapes, dtype):
    check_pair(jc.inner, np.inner, *shapes, dtype)


@pytest.mark.parametrize("shapes", [((), ()), ((3,), (3,)), ((2, 3), (6,)), ((2, 2), (4, 1)), ((0,), (0,))], ids=str)
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.float32, np.complex128], ids=str)
def test_vdot(shapes, dtype):
    check_pair(jc.vdot, np.vdot, *shapes, dtype)


@pytest.mark.parametrize("shapes", [((), ()), ((3,), (4,)), ((2, 3), (2,)), ((0,), (3,)), ((2, 2), ())], ids=str)
@pytest.mark.parametrize("dtype", [np.bool_, np.uint8, np.float64, np.complex64], ids=str)
def test_outer(shapes, dtype):
    check_pair(jc.outer, np.outer, *shapes, dtype)


@pytest.mark.parametrize("shapes,axes", [
    (((2, 3, 4), (3, 4, 5)), 2), (((2, 3), (3, 4)), 1), (((2, 3), (4, 5)), 0), (((2, 3), (3, 2)), -1),
    (((2, 3, 4), (4, 3, 5)), ([1, 2], [1, 0])), (((2, 3), (3, 2)), (0, 1)), (((2, 3), (2, 3)), ((0, 1), (0, 1))),
    (((2, 3, 4), (4,)), ([-1], [0])), (((), ()), 0), (((2, 0), (0, 3)), 1), (((2, 3), (3, 2)), (np.array([1]), [0])),
], ids=str)
@pytest.mark.parametrize("dtype", [np.int32, np.float64, np.complex64], ids=str)
def test_tensordot(shapes, axes, dtype):
    check_pair(jc.tensordot, np.tensordot, *shapes, dtype, axes=axes)


@pytest.mark.parametrize("shapes", [((2, 3), (4, 5)), ((2, 3), (4,)), ((2,), (4, 5, 6)), ((), ()), ((2, 2), ()),
                                    ((2, 0), (4, 5)), ((1, 2, 1), (3, 1, 2))], ids=str)
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.float64, np.complex128], ids=str)
def test_kron(shapes, dtype):
    check_pair(jc.kron, np.kron, *shapes, dtype)


@pytest.mark.parametrize("name", ["dot", "inner", "outer", "vdot", "tensordot", "kron"])
def test_python_scalars_are_strong(name):
    """NumPy converts these functions' arguments with asarray: a Python int is int64."""
    kwargs = {"axes": 0} if name == "tensordot" else {}
    for scalar in (3, 2.5, 1j, True):
        array = sample((1,) if name == "vdot" else (2, 2), np.int8)
        check(lambda a: getattr(jc, name)(a, scalar, **kwargs), lambda a: getattr(np, name)(a, scalar, **kwargs), array)
        check(lambda a: getattr(jc, name)(scalar, a, **kwargs), lambda a: getattr(np, name)(scalar, a, **kwargs), array)


# ---------------------------------------------------------------- cross

CROSS_CASES = [
    ((3,), (3,), {}), ((5, 3), (3,), {}), ((4, 1, 3), (2, 3), {}), ((3, 5), (3,), {"axisa": 0}),
    ((5, 3), (3, 5), {"axisb": 0, "axisc": 0}), ((3, 4), (3, 4), {"axis": 0}),
    ((2, 3, 4), (4, 3), {"axisa": 1, "axisb": 1, "axisc": 1}), ((0, 3), (3,), {}),
]
CROSS_2D = [
    ((2,), (2,), {}), ((5, 2), (2,), {}), ((2,), (3,), {}), ((4, 3), (2,), {}),
    ((2, 4), (3, 4), {"axisa": 0, "axisb": 0}),
]


@pytest.mark.parametrize("a,b,kwargs", CROSS_CASES, ids=str)
@pytest.mark.parametrize("dtype", [np.int32, np.uint8, np.float32, np.float64, np.complex128], ids=str)
def test_cross(a, b, kwargs, dtype):
    check_pair(jc.cross, np.cross, a, b, dtype, **kwargs)


@pytest.mark.parametrize("a,b,kwargs", CROSS_2D, ids=str)
def test_cross_two_vectors_warns_like_numpy(a, b, kwargs):
    with pytest.warns(DeprecationWarning, match="2-dimensional vectors are deprecated"):
        check_pair(jc.cross, np.cross, a, b, np.float64, **kwargs)


def test_cross_mixed_dtypes():
    check_pair(jc.cross, np.cross, (2, 3), (3,), np.int8, np.float32)


# ---------------------------------------------------------------- einsum

EINSUM_TABLE = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ij->ji", [(2, 3)]), ("ij", [(2, 3)]),
    ("ji", [(2, 3)]), ("ii", [(3, 3)]), ("ii->i", [(3, 3)]), ("iii->i", [(2, 2, 2)]), ("ii->", [(0, 0)]),
    ("iij->ij", [(2, 2, 3)]), ("i->", [(4,)]), ("ij->", [(2, 3)]), ("ij->j", [(2, 3)]), ("i,i->", [(3,), (3,)]),
    ("i,i", [(3,), (3,)]), ("i,j->ij", [(2,), (3,)]), ("i,j", [(2,), (3,)]), ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]), ("bij,jk->bik", [(2, 2, 3), (3, 4)]),
    ("ijk,jil->kl", [(2, 3, 4), (3, 2, 5)]), ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]),
    ("...i,...i->...", [(2, 3), (4, 1, 3)]), ("...,...", [(2, 3), (4, 1, 3)]), ("i...->...", [(3, 2, 4)]),
    ("...i->...", [(2, 3)]), ("i...i", [(2, 3, 2)]), ("...ii->...i", [(4, 3, 3)]),
    ("ij...,jk...->ik...", [(2, 3, 5), (3, 4, 1)]), ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,jk,kl", [(2, 3), (3, 4), (4, 5)]), ("i,j,k->ijk", [(2,), (3,), (4,)]),
    ("ab,bc,cd,de->ae", [(2, 3), (3, 2), (2, 4), (4, 1)]), ("ii,i,i->", [(3, 3), (3,), (3,)]), (",->", [(), ()]),
    (",i->i", [(), (3,)]), ("", [()]), ("->", [()]), ("i,i->i", [(1,), (3,)]), ("ij,ij->", [(2, 3), (1, 3)]),
    ("ij,jk->ik", [(2, 0), (0, 3)]), ("Ba,aC", [(2, 3), (3, 4)]), ("a,B", [(2,), (3,)]),
    (" i j , j k -> i k ", [(2, 3), (3, 4)]), ("ijk,ijk,ijk->ijk", [(1, 2, 1), (2, 1, 3), (1, 1, 3)]),
    ("ij,kl->", [(2, 3), (4, 5)]), ("iJ,Jk,kl->Jl", [(2, 3), (3, 4), (4, 2)]),
]


@pytest.mark.parametrize("spec,shapes", EINSUM_TABLE, ids=[s for s, _ in EINSUM_TABLE])
@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.complex64, np.bool_], ids=str)
def test_einsum_table(spec, shapes, dtype):
    operands = [sample(shape, dtype, seed) for seed, shape in enumerate(shapes)]
    check_einsum(spec, operands, atol=tolerance(dtype))


@pytest.mark.parametrize("optimize", [False, True, "greedy", "optimal", ["einsum_path", (1, 2), (0, 1)]], ids=str)
def test_einsum_optimize(optimize):
    operands = [sample(s, np.float64, i) for i, s in enumerate([(2, 3), (3, 4), (4, 5)])]
    check(lambda *ops: jc.einsum("ij,jk,kl->il", *ops, optimize=optimize),
          lambda *ops: np.einsum("ij,jk,kl->il", *ops, optimize=optimize), *operands)
    jaxpr = jaxlite.make_jaxpr(lambda *ops: jc.einsum("ij,jk,kl->il", *ops, optimize=optimize))(*operands)
    assert [e.primitive.name for e in jaxpr.jaxpr.eqns].count("dot_general") == 2


@pytest.mark.parametrize("dtypes", MIXED, ids=str)
def test_einsum_mixed_dtypes(dtypes):
    a, b = sample((2, 3), dtypes[0], 1), sample((3, 4), dtypes[1], 2)
    check_einsum("ij,jk->ik", [a, b], atol=tolerance(*dtypes), rtol=1e-2)


@pytest.mark.parametrize("spec,dtypes,kwargs", [
    ("ij,jk", (np.int32, np.int32), {"dtype": np.float64}),
    ("ij,jk", (np.int64, np.int64), {"dtype": np.int8, "casting": "unsafe"}),
    ("ij,jk", (np.float64, np.float64), {"dtype": np.float32, "casting": "same_kind"}),
    ("ij->ji", (np.int64,), {"dtype": np.int8}),  # NumPy ignores dtype when it returns a view
    ("ii->i", (np.int64,), {"dtype": np.int8}), ("ij,jk", (np.int32, np.int32), {"casting": "no"}),
    ("ij,jk", (np.int32, np.int32), {"order": "C"}),
])
def test_einsum_dtype_and_casting(spec, dtypes, kwargs):
    shapes = [(3, 3)] * len(dtypes)
    check_einsum(spec, [sample(s, d, i) for i, (s, d) in enumerate(zip(shapes, dtypes))], **kwargs)


def test_einsum_python_scalars_are_strong():
    x = sample((3,), np.float32)
    check(lambda a: jc.einsum("i,->i", a, 2.5), lambda a: np.einsum("i,->i", a, 2.5), x)
    check(lambda a: jc.einsum("i,->i", a, 2), lambda a: np.einsum("i,->i", a, 2), sample((3,), np.int8))


@pytest.mark.parametrize("args", [
    ((2, 3), [0, 1], (3, 4), [1, 2]), ((2, 3), [0, 1], (3, 4), [1, 2], [2, 0]), ((2, 3), [Ellipsis, 0]),
    ((2, 3), [Ellipsis, 0], (3,), [0], [Ellipsis]), ((2,), [0], (3,), [26]), ((2,), [26], (3,), [0]),
    ((3, 3), [np.int64(5), 5]),
], ids=str)
def test_einsum_sublist_form(args):
    positions = range(0, len(args) - len(args) % 2, 2)
    arrays = [sample(args[p], np.float64, p) for p in positions]

    def call(fn):
        def run(*ops):
            merged = list(args)
            for p, op in zip(positions, ops):
                merged[p] = op
            return fn(*merged)
        return run

    check(call(jc.einsum), call(np.einsum), *arrays)


@pytest.mark.parametrize("spec,shapes,optimize", [
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], "greedy"), ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)], "optimal"),
    ("i,j,k", [(2,), (2,), (2,)], "greedy"), ("ij,jk", [(2, 3), (3, 4)], False),
])
def test_einsum_path_matches_numpy(spec, shapes, optimize):
    operands = [np.ones(s) for s in shapes]
    expected = np.einsum_path(spec, *operands, optimize=optimize)
    assert jc.einsum_path(spec, *[jaxlite.Array(o) for o in operands], optimize=optimize) == expected
    traced_path = []
    record = lambda *ops: traced_path.append(jc.einsum_path(spec, *ops, optimize=optimize)) or ops[0]  # noqa: E731
    jaxlite.make_jaxpr(record)(*operands)
    assert traced_path == [expected]


# ---------------------------------------------------------------- hypothesis


@st.composite
def matmul_shapes(draw):
    n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
    batch = draw(st.lists(st.integers(1, 3), max_size=3))
    def operand_batch():
        kept = batch[len(batch) - draw(st.integers(0, len(batch))):]
        return [size if draw(st.booleans()) else 1 for size in kept]
    shape1 = [*operand_batch(), n, k] if draw(st.integers(0, 3)) else [k]
    shape2 = [*operand_batch(), k, m] if draw(st.integers(0, 3)) else [k]
    return tuple(shape1), tuple(shape2)


@settings(max_examples=60, deadline=None)
@given(matmul_shapes(), st.sampled_from([np.int32, np.float64, np.complex128]))
def test_matmul_hypothesis(shapes, dtype):
    check_pair(jc.matmul, np.matmul, *shapes, dtype)


@st.composite
def einsum_specs(draw):
    """A random spec over letters a-d with sizes 1-3, a size-1 broadcast now and then,
    repeated letters (diagonals), implicit or explicit (permuted) output."""
    sizes = {c: draw(st.integers(1, 3)) for c in "abcd"}
    terms, shapes = [], []
    for _ in range(draw(st.integers(1, 4))):
        term = "".join(draw(st.lists(st.sampled_from("abcd"), max_size=4)))
        broadcast = {c: 1 if draw(st.integers(0, 4)) == 0 else sizes[c] for c in set(term)}
        terms.append(term)
        shapes.append(tuple(broadcast[c] for c in term))
    spec = ",".join(terms)
    if draw(st.booleans()):
        used = sorted(set("".join(terms)))
        spec += "->" + "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
    return spec, shapes


@settings(max_examples=80, deadline=None)
@given(einsum_specs(), st.sampled_from([np.int64, np.float64]), st.sampled_from([False, "greedy", "optimal"]))
def test_einsum_hypothesis(spec_shapes, dtype, optimize):
    spec, shapes = spec_shapes
    check_einsum(spec, [sample(s, dtype, i) for i, s in enumerate(shapes)], optimize=optimize)


# ---------------------------------------------------------------- errors


def ones(*shape, dtype=np.float64):
    return np.ones(shape, dtype)


@pytest.mark.parametrize("fn,args,exception,match", [
    (jc.matmul, (ones(), ones(3)), ValueError, r"matmul: Input operand 0 does not have enough dimensions \(has 0"),
    (jc.matmul, (ones(3), ones()), ValueError, r"matmul: Input operand 1 does not have enough dimensions"),
    (jc.matmul, (ones(2, 3), ones(4, 5)), ValueError,
     r"matmul: Input operand 1 has a mismatch in its core dimension 0.*"
     r"\(size 4 is different from 3\); shapes \(2, 3\) and \(4, 5\)"),
    (jc.matmul, (ones(3), ones(4)), ValueError, r"matmul: .*mismatch.*shapes \(3,\) and \(4,\)"),
    (jc.matmul, (ones(2, 2, 3), ones(5, 3, 4)), ValueError,
     r"matmul: operands could not be broadcast together: loop dimensions \(2,\) and \(5,\)"),
    (jc.vecdot, (ones(2, 3), ones(2, 4)), ValueError,
     r"vecdot: Input operand 1 has a mismatch .*shapes \(2, 3\) and \(2, 4\)"),
    (jc.vecdot, (ones(), ones(3)), ValueError, r"vecdot: Input operand 0 does not have enough dimensions"),
    (jc.matvec, (ones(3), ones(3)), ValueError,
     r"matvec: Input operand 0 does not have enough dimensions \(has 1.*requires 2\)"),
    (jc.vecmat, (ones(2), ones(3, 4)), ValueError, r"vecmat: Input operand 1 has a mismatch"),
    (jc.dot, (ones(2, 3), ones(4, 5)), ValueError,
     r"dot: shapes \(2, 3\) and \(4, 5\) not aligned: 3 \(dim 1\) != 4 \(dim 0\)"),
    (jc.dot, (ones(3), ones(4)), ValueError, r"dot: shapes \(3,\) and \(4,\) not aligned"),
    (jc.inner, (ones(2, 3), ones(4)), ValueError,
     r"inner: shapes \(2, 3\) and \(4,\) not aligned: 3 \(dim 1\) != 4 \(dim 0\)"),
    (jc.vdot, (ones(3), ones(4)), ValueError,
     r"vdot: a and b must have the same number of elements, got shapes \(3,\)"),
    (lambda a, b: jc.tensordot(a, b, 1), (ones(2, 3), ones(4, 5)), ValueError, r"tensordot: shape-mismatch for sum"),
    (lambda a, b: jc.tensordot(a, b, ([0, 0], [1, 1])), (ones(2, 3), ones(3, 2)), ValueError,
     r"tensordot: duplicate axes"),
    (lambda a, b: jc.tensordot(a, b, 3), (ones(2, 3), ones(3, 2)), IndexError,
     r"tensordot: axes=3 is more than the dimensions"),
    (lambda a, b: jc.tensordot(a, b, 1.5), (ones(2, 3), ones(3, 2)), TypeError, r"tensordot: axes must be an integer"),
    (lambda a, b: jc.tensordot(a, b, (0, 1, 2)), (ones(2, 3), ones(3, 2)), ValueError,
     r"tensordot: axes must be an integer or a pair"),
    (lambda a, b: jc.tensordot(a, b, ([5], [0])), (ones(2, 3), ones(3, 2)), np.exceptions.AxisError,
     r"tensordot\(\) axes"),
    (jc.cross, (ones(), ones(3)), ValueError, r"cross: at least one array has zero dimension"),
    (jc.cross, (ones(4), ones(3)), ValueError,
     r"cross: incompatible dimensions for cross product \(dimension must be 2 or 3\)"),
    (jc.cross, (ones(5, 3), ones(4, 3)), ValueError,
     r"cross: shape mismatch: a of shape \(5, 3\) and b of shape \(4, 3\)"),
    (jc.cross, (ones(3, dtype=bool), ones(3, dtype=bool)), TypeError, r"cross: boolean arrays are not supported"),
    (lambda a, b: jc.cross(a, b, axisa=2), (ones(3, 5), ones(3)), np.exceptions.AxisError, r"cross\(\) axisa"),
    (lambda a, b: jc.cross(a, b, axisc=2), (ones(5, 3), ones(3)), np.exceptions.AxisError, r"cross\(\) axisc"),
    (lambda a, b: jc.matmul(a, b, axis=0), (ones(2, 3), ones(3, 4)), TypeError,
     r"matmul: axis can only be used with a single shared core dimension"),
    (lambda a, b: jc.matmul(a, b, keepdims=True), (ones(2, 3), ones(3, 4)), TypeError,
     r"matmul does not support keepdims"),
    (lambda a, b: jc.matmul(a, b, axes=[(0, 1), (0, 1), (0, 1)]), (ones(3), ones(3, 4)), np.exceptions.AxisError,
     r"matmul: operand 0 has 1 core dimensions, but 2 dimensions are specified by axes tuple"),
    (lambda a, b: jc.matmul(a, b, axes=[(0, 1), (0, 1)]), (ones(2, 3), ones(3, 4)), ValueError,
     r"matmul: 'axes' needs an entry for each"),
    (lambda a, b: jc.matmul(a, b, axes=[(0,), (0,)]), (ones(3), ones(3)), ValueError, r"matmul: 'axes' needs an entry"),
    (lambda a, b: jc.matmul(a, b, dtype=np.int32), (ones(2, 3), ones(3, 4)), TypeError,
     r"matmul: cannot cast input 0 from float64 to int32 with casting rule 'same_kind'"),
    (lambda a, b: jc.matmul(a, b, casting="bad"), (ones(2, 3), ones(3, 4)), ValueError,
     r"matmul: casting must be one of"),
    (lambda a, b: jc.matmul(a, b, signature="dd->d"), (ones(2, 3), ones(3, 4)), TypeError,
     r"matmul: 'signature' is not supported"),
    (lambda a, b: jc.vecdot(a, b, axis=0, axes=[0, 0]), (ones(2, 3), ones(2, 3)), TypeError,
     r"vecdot: cannot specify both"),
])
def test_errors(fn, args, exception, match):
    raises_both(fn, args, exception, match)


@pytest.mark.parametrize("spec,shapes,exception,match", [
    ("ij,jk", [(2, 3)], ValueError,
     r"einsum: the subscripts string 'ij,jk' has 2 operand terms, but 1 operands were given"),
    ("ij", [(2, 3), (3,)], ValueError, r"einsum: .* has 1 operand terms, but 2 operands"),
    ("ijk", [(2, 3)], ValueError,
     r"einsum: subscripts string contains too many subscripts for operand 0 \(shape \(2, 3\)\)"),
    ("i", [(2, 3)], ValueError, r"einsum: operand 0 \(shape \(2, 3\)\) has more dimensions than subscripts 'i'"),
    ("i.j", [(2, 3)], ValueError, r"einsum: .*'\.' that is not part of an ellipsis"),
    ("...i...", [(2, 3)], ValueError, r"einsum: .*more than one ellipsis"),
    ("i1", [(2, 3)], ValueError, r"einsum: invalid subscript '1'"),
    ("ij->ii", [(2, 3)], ValueError, r"einsum: output subscript 'i' appears more than once"),
    ("ij->k", [(2, 3)], ValueError, r"einsum: output subscript 'k' does not appear in any input"),
    ("...i->i", [(2, 3)], ValueError, r"einsum: the inputs' '\.\.\.' ellipsis covers dimensions"),
    ("i->i->i", [(2,)], ValueError, r"einsum: subscripts string contains more than one '->'"),
    ("ii", [(2, 3)], ValueError,
     r"einsum: dimensions in operand 0 \(shape \(2, 3\)\) for collapsing index 'i' don't match \(2 != 3\)"),
    ("ij,ij", [(2, 3), (2, 4)], ValueError,
     r"einsum: operands could not be broadcast together: index 'j' has size 3 in operand 0 \(shape \(2, 3\)\) "
     r"and 4 in operand 1"),
    ("...,...", [(2, 3), (4, 3)], ValueError, r"einsum: operands could not be broadcast together: an ellipsis"),
])
def test_einsum_errors(spec, shapes, exception, match):
    raises_both(lambda *ops: jc.einsum(spec, *ops), [np.ones(s) for s in shapes], exception, match)


@pytest.mark.parametrize("call,exception,match", [
    (lambda a: jc.einsum("ij,kj", a, np.ones((2, 3), np.int64), dtype=np.int32), TypeError,
     r"einsum: cannot cast operand 0 from float64 to int32 with casting rule 'safe'"),
    (lambda a: jc.einsum("ij", a, casting="bad"), ValueError, r"einsum: casting must be one of"),
    (lambda a: jc.einsum("ij", a, order="X"), ValueError,
     r"einsum: order must be one of 'C', 'F', 'A', or 'K' \(got 'X'\)"),
    (lambda a: jc.einsum(a, [0, 52]), ValueError, r"einsum: subscript 52 is not within the valid range \[0, 52\)"),
    (lambda a: jc.einsum(a, ["a", "b"]), TypeError, r"einsum: each subscript must be either an integer or an ellipsis"),
    (lambda a: jc.einsum(a), ValueError, r"einsum: needs at least an operand and its subscripts list"),
    (lambda a: jc.einsum("ij"), ValueError, r"einsum: needs the subscripts string and at least one operand"),
])
def test_einsum_argument_errors(call, exception, match):
    raises_both(call, [np.ones((2, 3))], exception, match)


def test_traced_axes_must_be_concrete():
    with pytest.raises(jaxlite.ConcretizationTypeError, match=r"tensordot\(\) argument 'axes'"):
        jaxlite.make_jaxpr(lambda a, n: jc.tensordot(a, a, n))(np.ones((2, 2)), 1)
    with pytest.raises(jaxlite.ConcretizationTypeError, match=r"vecdot\(\) argument 'axis'"):
        jaxlite.make_jaxpr(lambda a, n: jc.vecdot(a, a, axis=n))(np.ones((2, 2)), 1)
    with pytest.raises(jaxlite.ConcretizationTypeError, match=r"cross\(\) argument 'axisa'"):
        jaxlite.make_jaxpr(lambda a, n: jc.cross(a, a, axisa=n))(np.ones((3, 3)), 1)


# ---------------------------------------------------------------- out=, results, operand kinds


@pytest.mark.parametrize("call,np_call,shape", [
    (lambda a, o: jc.matmul(a, a, out=o), lambda a, o: np.matmul(a, a, out=o), (3, 3)),
    (lambda a, o: jc.dot(a, a, out=o), lambda a, o: np.dot(a, a, out=o), (3, 3)),
    (lambda a, o: jc.outer(a, a, out=o), lambda a, o: np.outer(a, a, out=o), (9, 9)),
    (lambda a, o: jc.einsum("ij,jk", a, a, out=o), lambda a, o: np.einsum("ij,jk", a, a, out=o), (3, 3)),
    (lambda a, o: jc.vecdot(a, a, out=o), lambda a, o: np.vecdot(a, a, out=o), (3,)),
])
def test_out(call, np_call, shape):
    a = sample((3, 3))
    out, expected = jaxlite.Array(np.zeros(shape)), np.zeros(shape)
    assert call(jaxlite.Array(a), out) is out
    np_call(a, expected)
    np.testing.assert_allclose(np.asarray(out), expected)
    with pytest.raises(ValueError):  # NumPy's own message
        call(jaxlite.Array(a), jaxlite.Array(np.zeros((5,))))
    with pytest.raises(TypeError, match=r"'out' cannot be used inside a transform"):
        jaxlite.make_jaxpr(lambda x: call(x, jaxlite.Array(np.zeros(shape))))(a)


@pytest.mark.parametrize("name", [*_contractions.__all__, *_einsum.__all__])
def test_results_are_arrays_for_numpy_inputs(name):
    args = {"einsum": ("i,i", np.ones(3), np.ones(3)), "einsum_path": None, "matvec": (np.ones((2, 3)), np.ones(3)),
            "vecmat": (np.ones(3), np.ones((3, 2))), "tensordot": (np.ones(3), np.ones(3), 1)}
    call = args.get(name, (np.ones(3), np.ones(3)))
    if call is None:
        return
    result = getattr(jc, name)(*call)
    assert isinstance(result, jaxlite.Array) and type(result) is jaxlite.Array
    assert not isinstance(traced(lambda: getattr(jc, name)(*call))(), np.ndarray)


def test_nested_lists():
    pytest.importorskip("jaxlite.numpy._creation")
    check(lambda: jc.matmul([[1, 2], [3, 4]], [1, 2]), lambda: np.matmul([[1, 2], [3, 4]], [1, 2]))
    check(lambda: jc.einsum("ij->", [[1.0, 2.0]]), lambda: np.einsum("ij->", [[1.0, 2.0]]))
    check(lambda x: jc.dot([x, x], [1.0, 2.0]), lambda x: np.dot([x, x], [1.0, 2.0]), np.float32(3))


def test_numpy_signatures():
    same = ["dot", "vdot", "inner", "outer", "tensordot", "kron", "cross"]
    for name in same:
        assert str(inspect.signature(getattr(jc, name))) == str(inspect.signature(getattr(np, name))), name
    for name in ["matmul", "vecdot", "matvec", "vecmat"]:
        params = inspect.signature(getattr(jc, name)).parameters
        assert [p.kind for p in params.values()][:2] == [inspect.Parameter.POSITIONAL_ONLY] * 2
        assert {"out", "axes", "axis", "keepdims", "casting", "order", "dtype", "subok", "signature"} <= set(params)
    assert str(inspect.signature(jc.einsum)) == (
        "(subscripts, *operands, out=None, dtype=None, order='K', casting='safe', optimize=False)"
    )
    assert str(inspect.signature(jc.einsum_path)) == "(subscripts, *operands, optimize='greedy', einsum_call=False)"
