"""Every primitive's JVP against finite differences, and its VJP against its JVP.

`CASES` holds, for every primitive of `jaxlite.lax.PRIMITIVES`, one or more examples: float64
(or complex128) operands away from the points where the primitive is not differentiable, plus
its integer operands (indices, predicates) and params. For each example `test_rule` runs

  - `check_jvp`: the JVP applied to random tangents equals central finite differences, and
    tangents have their outputs' shapes and dtypes;
  - `check_vjp`: the dot-product test <vjp(ct), t> == <ct, jvp(t)> (real part of the
    unconjugated product, JAX's convention for complex values), cotangents typed as inputs;
    the same VJP traced with `make_jaxpr` (every operand, indices included, abstract)
    type-checks and evaluates to the same cotangents;
  - both again with each differentiable operand alone (the others closed over, so their
    tangents are symbolic zeros).

`SECOND_ORDER` names examples checked to second order: the same checks on the functions
x -> jvp(f, x, t) and x -> vjp(f, x)(ct), i.e. forward-over-forward, forward-over-reverse,
reverse-over-forward and reverse-over-reverse. `test_rule_drawn` draws the params whose index
arithmetic is intricate (dot_general's dimension numbers, pad and slice configs) with
hypothesis. Then pinned values (ties, zeros, repeated scatter indices), and `grad` through
jaxlite.numpy functions against finite differences.

`KNOWN_BUGS` marks (xfail) the cases that fail because of rules outside these files.
"""

import dataclasses
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import lax, tree_util
from jaxlite._autodiff import grad, jvp, vjp
from jaxlite.core import Array, check_jaxpr, eval_jaxpr

PRIMITIVES = lax.PRIMITIVES
F64, C128, I32, I64 = np.float64, np.complex128, np.int32, np.int64

# ---------------------------------------------------------------- the checks


def _differentiable(x):
    return np.asarray(x).dtype.kind in "fc"


def _random_like(rng, x):
    x = np.asarray(x)
    if x.dtype.kind == "f":
        return rng.standard_normal(x.shape).astype(x.dtype)
    if x.dtype.kind == "c":
        return (rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape)).astype(x.dtype)
    return np.zeros(x.shape, x.dtype)


def _inner(a, b):
    """<a, b> = Re(sum(a * b)), the pairing vjp transposes for (no conjugation)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind not in "fc":
        return 0.0
    return float(np.real(np.sum(a.astype(C128) * b.astype(C128))))


def _tree_map(f, *trees):
    return tree_util.tree_map(f, *trees)


def _leaves(tree):
    return [np.asarray(x) for x in tree_util.tree_leaves(tree)]


def _as_arrays(args):
    return tuple(_tree_map(lambda x: Array(np.asarray(x)), a) for a in args)


def _assert_typed_like(values, references, what):
    for v, r in zip(_leaves(values), _leaves(references)):
        assert v.shape == r.shape, f"{what}: shape {v.shape} != {r.shape}"
        if r.dtype.kind in "fc":
            assert v.dtype == r.dtype, f"{what}: dtype {v.dtype} != {r.dtype}"


def check_jvp(f, args, *, rng, eps=1e-6, rtol=1e-5, atol=1e-5):
    """jvp(f) against central differences along a random direction."""
    args = _as_arrays(args)
    tangents = _tree_map(lambda x: Array(_random_like(rng, x)), args)
    out, t_out = jvp(f, args, tangents)
    _assert_typed_like(t_out, out, "jvp tangent")
    shifted = lambda s: f(*_tree_map(lambda x, t: Array(np.asarray(x) + s * np.asarray(t)) if _differentiable(x) else x, args, tangents))
    plus, minus = _leaves(shifted(eps)), _leaves(shifted(-eps))
    for o, t, p, m in zip(_leaves(out), _leaves(t_out), plus, minus):
        if o.dtype.kind not in "fc":
            assert not np.any(t), "a non-float output has a nonzero tangent"
            continue
        fd = (p.astype(C128 if o.dtype.kind == "c" else F64) - m) / (2 * eps)
        np.testing.assert_allclose(t, fd, rtol=rtol, atol=atol, err_msg="jvp vs finite differences")
    return out, t_out


def check_vjp(f, args, *, rng, rtol=1e-9, traced=True):
    """The dot-product test of vjp(f) against jvp(f); and the traced VJP against the eager one."""
    args = _as_arrays(args)
    out, vjp_fn = vjp(f, *args)
    ct = _tree_map(lambda o: Array(_random_like(rng, o)), out)
    cts = vjp_fn(ct)
    _assert_typed_like(cts, args, "vjp cotangent")
    tangents = _tree_map(lambda x: Array(_random_like(rng, x)), args)
    _, t_out = jvp(f, args, tangents)
    lhs = sum(_inner(a, b) for a, b in zip(_leaves(ct), _leaves(t_out)))
    rhs = sum(_inner(a, b) for a, b in zip(_leaves(cts), _leaves(tangents)))
    scale = sum(np.sum(np.abs(a) * np.abs(b)) for a, b in zip(_leaves(cts), _leaves(tangents)) if a.dtype.kind in "fc")
    scale += sum(np.sum(np.abs(a) * np.abs(b)) for a, b in zip(_leaves(ct), _leaves(t_out)) if a.dtype.kind in "fc")
    assert abs(lhs - rhs) <= rtol * max(scale, 1.0), f"<ct, jvp(t)> = {lhs} but <vjp(ct), t> = {rhs}"
    if traced:
        def run(primals, cotangent):
            return vjp(f, *primals)[1](cotangent)

        closed = jaxlite.make_jaxpr(run)(args, ct)
        check_jaxpr(closed.jaxpr)
        staged = eval_jaxpr(closed.jaxpr, closed.consts, *tree_util.tree_leaves((args, ct)))
        for got, want in zip(_leaves(staged), _leaves(cts)):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg="traced vjp")
    return cts


def check_grads(f, args, *, rng, order=1, eps=1e-6, rtol=1e-5, atol=1e-5):
    """check_jvp and check_vjp of f, and (order 2) of its jvp and vjp as functions of args."""
    check_jvp(f, args, rng=rng, eps=eps, rtol=rtol, atol=atol)
    check_vjp(f, args, rng=rng, traced=order == 1)
    if order > 1:
        arrays = _as_arrays(args)
        tangents = _tree_map(lambda x: Array(_random_like(rng, x)), arrays)
        ct = _tree_map(lambda o: Array(_random_like(rng, o)), f(*arrays))

        def f_jvp(*primals):
            return jvp(f, primals, tangents)[1]

        def f_vjp(*primals):
            return vjp(f, *primals)[1](ct)

        check_grads(f_jvp, args, rng=rng, order=order - 1, eps=eps, rtol=rtol, atol=atol)
        check_grads(f_vjp, args, rng=rng, order=order - 1, eps=eps, rtol=rtol, atol=atol)


# ---------------------------------------------------------------- the examples


@dataclasses.dataclass
class Case:
    name: str  # the primitive
    operands: tuple
    params: dict = dataclasses.field(default_factory=dict)
    fun: object = None  # instead of binding the primitive on the operands
    eps: float = 1e-6
    rtol: float = 1e-5
    label: str = ""

    def function(self):
        if self.fun is not None:
            return self.fun
        prim = PRIMITIVES[self.name]
        return lambda *ops: prim.bind(*ops, **self.params)

    def __str__(self):
        return f"{self.name}{'-' + self.label if self.label else ''}"


R = np.random.default_rng(0)


def normal(*shape):
    return R.standard_normal(shape)


def uniform(lo, hi, *shape):
    return R.uniform(lo, hi, shape)


def signed(lo, hi, *shape):
    """Magnitudes in [lo, hi] with random signs."""
    return uniform(lo, hi, *shape) * R.choice([-1.0, 1.0], shape)


def cnormal(*shape):
    return normal(*shape) + 1j * normal(*shape)


def ints(*values, dtype=I32):
    return np.asarray(values, dtype)


def off_integers(*shape):
    """Away from integers and half-integers (where rounding functions jump)."""
    return R.integers(-3, 3, shape) + uniform(0.1, 0.4, *shape)


S = (3, 4)

UNARY_DOMAINS = {
    "neg": normal(*S), "exp": normal(*S), "exp2": normal(*S), "expm1": normal(*S),
    "log": uniform(0.5, 2, *S), "log2": uniform(0.5, 2, *S), "log10": uniform(0.5, 2, *S),
    "log1p": uniform(-0.5, 2, *S), "sin": normal(*S), "cos": normal(*S), "tan": uniform(-1, 1, *S),
    "asin": uniform(-0.8, 0.8, *S), "acos": uniform(-0.8, 0.8, *S), "atan": normal(*S),
    "sinh": normal(*S), "cosh": normal(*S), "tanh": normal(*S), "asinh": normal(*S),
    "acosh": uniform(1.2, 3, *S), "atanh": uniform(-0.8, 0.8, *S), "sqrt": uniform(0.5, 2, *S),
    "cbrt": signed(0.5, 2, *S), "square": normal(*S), "reciprocal": signed(0.5, 2, *S),
    "abs": signed(0.5, 2, *S),
    # piecewise constant, or with integer or boolean results
    "sign": signed(0.5, 2, *S), "floor": off_integers(*S), "ceil": off_integers(*S),
    "trunc": off_integers(*S), "round": off_integers(*S), "spacing": signed(1.1, 1.9, *S),
    "is_finite": normal(*S), "is_inf": normal(*S), "is_nan": normal(*S), "signbit": signed(0.5, 2, *S),
    # multiple results
    "modf": off_integers(*S), "frexp": signed(0.55, 0.95, *S) * 2.0 ** R.integers(-3, 4, S),
}

BINARY_DOMAINS = {
    "add": (normal(*S), normal(*S)), "sub": (normal(*S), normal(*S)), "mul": (normal(*S), normal(*S)),
    "div": (normal(*S), signed(0.5, 2, *S)),
    "rem": (signed(2.2, 2.4, *S), signed(0.98, 1.02, *S)), "fmod": (signed(2.2, 2.4, *S), signed(0.98, 1.02, *S)),
    "pow": (uniform(0.5, 2, *S), normal(*S)),
    "max": (normal(*S), normal(*S)), "min": (normal(*S), normal(*S)),
    "fmax": (normal(*S), normal(*S)), "fmin": (normal(*S), normal(*S)),
    "atan2": (normal(*S), normal(*S)), "hypot": (normal(*S), normal(*S)),
    "copysign": (signed(0.5, 2, *S), signed(0.5, 2, *S)),
    "logaddexp": (normal(*S), normal(*S)), "logaddexp2": (normal(*S), normal(*S)),
    "ldexp": (normal(*S), R.integers(-3, 4, S).astype(I32)),
    "floor_divide": (signed(2.2, 2.4, *S), signed(0.98, 1.02, *S)),
    "heaviside": (signed(0.5, 2, *S), normal(*S)),
    "nextafter": (normal(*S), normal(*S)),
    "eq": (normal(*S), normal(*S)), "ne": (normal(*S), normal(*S)), "lt": (normal(*S), normal(*S)),
    "le": (normal(*S), normal(*S)), "gt": (normal(*S), normal(*S)), "ge": (normal(*S), normal(*S)),
}

INTEGER_ONLY = {  # nothing to differentiate: the rules must still let jvp/vjp through
    "not": (R.integers(-5, 5, S),), "bitwise_count": (R.integers(-5, 5, S),),
    "gcd": (R.integers(1, 9, S), R.integers(1, 9, S)), "lcm": (R.integers(1, 9, S), R.integers(1, 9, S)),
    "and": (R.integers(0, 9, S), R.integers(0, 9, S)), "or": (R.integers(0, 9, S), R.integers(0, 9, S)),
    "xor": (R.integers(0, 9, S), R.integers(0, 9, S)),
    "shift_left": (R.integers(0, 9, S), R.integers(0, 3, S)), "shift_right": (R.integers(0, 9, S), R.integers(0, 3, S)),
    "reduce_and": (R.integers(0, 9, S), {"axes": (1,)}), "reduce_or": (R.random(S) > 0.5, {"axes": (0, 1)}),
    "reduce_xor": (R.integers(0, 9, S), {"axes": (0,)}),
}

HOLOMORPHIC = ["exp", "log", "sin", "cos", "tanh", "sqrt", "square", "reciprocal", "expm1", "log1p"]


def _elementwise_cases():
    cases = []
    for name, x in UNARY_DOMAINS.items():
        cases.append(Case(name, (x,)))
    for name, (x, y) in BINARY_DOMAINS.items():
        cases.append(Case(name, (x, y)))
        if y.dtype.kind == "f" and name not in ("rem", "fmod", "floor_divide"):
            cases.append(Case(name, (x, y[1, 2]), label="rank0-rhs"))
            cases.append(Case(name, (x[0, 1], y), label="rank0-lhs"))
    for name, operands in INTEGER_ONLY.items():
        *ops, params = operands if isinstance(operands[-1], dict) else (*operands, {})
        cases.append(Case(name, tuple(ops), params))
    for name in HOLOMORPHIC:
        z = cnormal(*S) + (2.0 if name in ("log", "sqrt", "log1p") else 0.0)
        cases.append(Case(name, (z,), label="complex"))
    for name in ("add", "sub", "mul", "div"):
        cases.append(Case(name, (cnormal(*S), cnormal(*S) + 3.0), label="complex"))
    cases += [
        Case("pow", (uniform(0.5, 2, *S) + 0j, cnormal(*S)), label="complex"),
        Case("abs", (cnormal(*S),), label="complex"),
        Case("real", (cnormal(*S),)),
        Case("imag", (cnormal(*S),)),
        Case("conj", (cnormal(*S),)),
        Case("complex", (normal(*S), normal(*S))),
        Case("complex", (normal(*S), normal()), label="rank0"),
    ]
    return cases


def _sort2(x, y):
    return PRIMITIVES["sort"].bind(x, y, dimension=1, is_stable=True, num_keys=1)


def _structural_cases():
    pv = np.asarray(normal())
    return [
        Case("broadcast_in_dim", (normal(3, 1),), dict(shape=(2, 3, 4), broadcast_dimensions=(1, 2))),
        Case("broadcast_in_dim", (np.asarray(normal()),), dict(shape=(2, 3), broadcast_dimensions=()), label="scalar"),
        Case("broadcast_in_dim", (normal(3),), dict(shape=(3, 2), broadcast_dimensions=(0,)), label="new-last"),
        Case("broadcast_in_dim", (normal(1, 3),), dict(shape=(1, 3), broadcast_dimensions=(0, 1)), label="same"),
        Case("broadcast_in_dim", (cnormal(1, 3),), dict(shape=(2, 4, 3), broadcast_dimensions=(0, 2)), label="complex"),
        Case("reshape", (normal(2, 3, 4),), dict(new_sizes=(6, 4))),
        Case("reshape", (normal(1, 1),), dict(new_sizes=()), label="to-scalar"),
        Case("transpose", (normal(2, 3, 4),), dict(permutation=(2, 0, 1))),
        Case("squeeze", (normal(2, 1, 3, 1),), dict(dimensions=(1, 3))),
        Case("rev", (normal(3, 4),), dict(dimensions=(0, 1))),
        Case("rev", (normal(3, 4),), dict(dimensions=(1,)), label="one-axis"),
        Case("slice", (normal(5, 7),), dict(start_indices=(1, 2), limit_indices=(4, 7), strides=(2, 3))),
        Case("slice", (normal(5, 7),), dict(start_indices=(0, 0), limit_indices=(5, 7), strides=None), label="all"),
        Case("slice", (normal(5, 7),), dict(start_indices=(2, 3), limit_indices=(2, 6), strides=None), label="empty"),
        Case("slice", (normal(6),), dict(start_indices=(1,), limit_indices=(6,), strides=(2,)), label="strided"),
        Case("pad", (normal(3, 4), pv), dict(padding_config=((1, 2, 1), (-1, 2, 0)))),
        Case("pad", (normal(3, 4), pv), dict(padding_config=((0, -2, 2), (2, -3, 1))), label="crop"),
        Case("pad", (normal(0, 2), pv), dict(padding_config=((1, 1, 0), (0, 1, 0))), label="empty"),
        Case("pad", (np.asarray(normal()), pv), dict(padding_config=()), label="rank0"),
        Case("pad", (cnormal(3), np.asarray(cnormal())), dict(padding_config=((1, 1, 1),)), label="complex"),
        Case("concatenate", (normal(2, 3), normal(2, 1), normal(2, 2)), dict(dimension=1)),
        Case("concatenate", (normal(1, 3), normal(2, 3)), dict(dimension=0), label="axis0"),
        Case("convert_element_type", (normal(*S),), dict(new_dtype=np.dtype(np.float32), weak_type=False),
             eps=1e-2, rtol=1e-4, label="f32"),
        Case("convert_element_type", (normal(*S),), dict(new_dtype=np.dtype(C128), weak_type=False), label="to-complex"),
        Case("convert_element_type", (cnormal(*S),), dict(new_dtype=np.dtype(F64), weak_type=False), label="to-real"),
        Case("convert_element_type", (normal(*S),), dict(new_dtype=np.dtype(I32), weak_type=False), label="to-int"),
        Case("convert_element_type", (R.integers(0, 5, S),), dict(new_dtype=np.dtype(F64), weak_type=False), label="from-int"),
        Case("copy", (normal(*S),)),
        Case("iota", (normal(2, 3),), fun=lambda x: lax.mul(x, lax.broadcasted_iota(F64, (2, 3), 1))),
        Case("select_n", (R.random(S) > 0.5, normal(*S), normal(*S))),
        Case("select_n", (R.integers(0, 3, S).astype(I32), normal(*S), normal(*S), normal(*S)), label="three"),
        Case("select_n", (np.asarray(True), normal(*S), normal(*S)), label="scalar-pred"),
    ]


def _reduction_cases():
    with_zeros = normal(3, 5)
    with_zeros[0, 2] = 0.0
    with_zeros[1, 1] = with_zeros[1, 3] = 0.0
    return [
        Case("reduce_sum", (normal(3, 4, 5),), dict(axes=(0, 2))),
        Case("reduce_sum", (normal(*S),), dict(axes=()), label="no-axes"),
        Case("reduce_sum", (cnormal(*S),), dict(axes=(0, 1)), label="complex"),
        Case("reduce_prod", (uniform(0.5, 1.5, 3, 4),), dict(axes=(1,))),
        Case("reduce_prod", (uniform(0.5, 1.5, 2, 3, 4),), dict(axes=(0, 2)), label="two-axes"),
        Case("reduce_prod", (with_zeros,), dict(axes=(1,)), label="zeros"),
        Case("reduce_prod", (with_zeros.T,), dict(axes=(0,)), label="zeros-axis0"),
        Case("reduce_prod", (normal(*S),), dict(axes=()), label="no-axes"),
        Case("reduce_prod", (cnormal(2, 3),), dict(axes=(1,)), label="complex"),
        Case("reduce_max", (normal(3, 4, 5),), dict(axes=(1,))),
        Case("reduce_max", (normal(3, 4, 5),), dict(axes=(0, 2)), label="two-axes"),
        Case("reduce_min", (normal(3, 4, 5),), dict(axes=(1,))),
        Case("reduce_min", (normal(3, 4, 5),), dict(axes=(0, 2)), label="two-axes"),
        Case("argmax", (normal(*S),), dict(axis=1, index_dtype=np.dtype(I64))),
        Case("argmin", (normal(*S),), dict(axis=0, index_dtype=np.dtype(I32))),
        Case("cumsum", (normal(4, 5),), dict(axis=1, reverse=False)),
        Case("cumsum", (normal(4, 5),), dict(axis=0, reverse=True), label="reverse"),
        Case("cumprod", (uniform(0.5, 1.5, 4, 5),), dict(axis=1, reverse=False)),
        Case("cumprod", (uniform(0.5, 1.5, 4, 5),), dict(axis=0, reverse=True), label="reverse"),
        Case("cumprod", (with_zeros,), dict(axis=1, reverse=False), label="zeros"),
        Case("cumprod", (with_zeros,), dict(axis=1, reverse=True), label="zeros-reverse"),
        Case("cumprod", (normal(9),), dict(axis=0, reverse=False), label="long"),
        Case("cummax", (normal(4, 6),), dict(axis=1, reverse=False)),
        Case("cummax", (normal(4, 6),), dict(axis=1, reverse=True), label="reverse"),
        Case("cummin", (normal(6, 4),), dict(axis=0, reverse=False)),
        Case("cummin", (normal(6, 4),), dict(axis=0, reverse=True), label="reverse"),
        Case("cumlogsumexp", (normal(4, 5),), dict(axis=1, reverse=False)),
        Case("cumlogsumexp", (normal(4, 5),), dict(axis=0, reverse=True), label="reverse"),
        Case("cumlogsumexp", (np.array([0.0, 800.0, -800.0, 801.0, 3.0]),), dict(axis=0, reverse=False), label="wide"),
    ]


def _indexing_cases():
    dup = ints(1, 3, 1)
    out_of_range = ints(1, 7, -1, 3)
    return [
        Case("gather", (normal(5, 4, 3), ints([0, 4, 4], [2, 7, -3]), ints([1, 0, 2], [2, 2, 0])), dict(axes=(0, 2))),
        Case("gather", (normal(4, 5), ints(3, 0, 3, 1)), dict(axes=(1,)), label="one-axis"),
        Case("gather", (normal(4, 5), np.asarray(2, I32)), dict(axes=(0,)), label="scalar-index"),
        Case("scatter", (normal(5, 4), normal(3, 4), dup), dict(axes=(0,))),
        Case("scatter", (normal(5, 4), normal(4, 4), out_of_range), dict(axes=(0,)), label="out-of-range"),
        Case("scatter", (normal(4, 5), normal(2, 2, 4), ints([0, 4], [4, 2])), dict(axes=(1,)), label="2d-index"),
        Case("scatter", (normal(4, 5), normal(2), ints(0, 3), ints(1, 1)), dict(axes=(0, 1)), label="points"),
        Case("scatter_add", (normal(5, 4), normal(3, 4), dup), dict(axes=(0,))),
        Case("scatter_add", (normal(5, 4), normal(4, 4), out_of_range), dict(axes=(0,)), label="out-of-range"),
        Case("scatter_add", (normal(4, 5), normal(3), ints(0, 3, 0), ints(1, 1, 1)), dict(axes=(0, 1)), label="points"),
        Case("scatter_mul", (normal(5, 4), normal(3, 4), ints(0, 3, 1)), dict(axes=(0,))),
        Case("scatter_mul", (normal(5, 4), signed(0.5, 2, 4, 4), ints(1, 3, 1, 1)), dict(axes=(0,)), label="repeated"),
        Case("scatter_mul", (normal(5, 4), normal(4, 4), out_of_range), dict(axes=(0,)), label="out-of-range"),
        Case("scatter_min", (normal(5, 4), normal(4, 4), ints(1, 3, 1, 6)), dict(axes=(0,))),
        Case("scatter_max", (normal(5, 4), normal(4, 4), ints(1, 3, 1, 6)), dict(axes=(0,))),
        Case("scatter_max", (normal(4, 5), normal(3), ints(0, 3, 0), ints(1, 1, 1)), dict(axes=(0, 1)), label="points"),
        Case("dynamic_slice", (normal(5, 6), np.asarray(1, I32), np.asarray(4, I32)), dict(slice_sizes=(3, 3))),
        Case("dynamic_slice", (normal(5, 6), np.asarray(-1, I64), np.asarray(2, I64)), dict(slice_sizes=(2, 2)), label="clamped"),
        Case("dynamic_update_slice", (normal(5, 6), normal(2, 3), np.asarray(4, I32), np.asarray(1, I32))),
        Case("dynamic_update_slice", (normal(5, 6), normal(5, 6), np.asarray(0, I32), np.asarray(0, I32)), label="whole"),
    ]


def _dot(lc, rc, lb=(), rb=()):
    return dict(dimension_numbers=((lc, rc), (lb, rb)), preferred_element_type=None)


def _dot_and_sort_cases():
    keys = R.integers(0, 3, (2, 6)).astype(I32)
    return [
        Case("dot_general", (normal(3, 4), normal(4, 5)), _dot((1,), (0,))),
        Case("dot_general", (normal(2, 3, 4), normal(2, 4, 5)), _dot((2,), (1,), (0,), (0,)), label="batch"),
        Case("dot_general", (normal(3, 2, 4, 5), normal(5, 2, 6, 4)), _dot((3, 2), (0, 3), (1,), (1,)), label="mixed"),
        Case("dot_general", (normal(2, 3, 4), normal(3, 4, 2)), _dot((2,), (1,), (0, 1), (2, 0)), label="batch-order"),
        Case("dot_general", (normal(4, 3, 5), normal(5, 4)), _dot((0, 2), (1, 0)), label="contract-swapped"),
        Case("dot_general", (normal(3), normal(4)), _dot((), ()), label="outer"),
        Case("dot_general", (normal(4), normal(4)), _dot((0,), (0,)), label="inner"),
        Case("dot_general", (cnormal(3, 4), cnormal(4, 2)), _dot((1,), (0,)), label="complex"),
        Case("dot_general", (normal(3, 4).astype(np.float32), normal(4, 2).astype(np.float32)),
             dict(dimension_numbers=(((1,), (0,)), ((), ())), preferred_element_type=np.dtype(F64)),
             eps=1e-2, rtol=1e-4, label="preferred"),
        Case("sort", (normal(3, 5),), dict(dimension=1, is_stable=True, num_keys=1)),
        Case("sort", (normal(6),), dict(dimension=0, is_stable=False, num_keys=1), label="1d"),
        Case("sort", (normal(5, 3),), dict(dimension=0, is_stable=True, num_keys=1), label="axis0"),
        Case("sort", (normal(2, 6), normal(2, 6)), dict(dimension=1, is_stable=True, num_keys=1), label="values"),
        Case("sort", (keys, normal(2, 6), normal(2, 6)), dict(dimension=1, is_stable=True, num_keys=2), label="two-keys"),
    ]


CASES = _elementwise_cases() + _structural_cases() + _reduction_cases() + _indexing_cases() + _dot_and_sort_cases()

# Known wrong rules in elementwise_ad.py, reported rather than changed here: case -> reason.
KNOWN_BUGS = {}  # case -> reason, for rules known to be wrong (none at present)

SECOND_ORDER = {
    "mul", "div", "pow", "sin", "logaddexp", "max", "abs", "atan2",
    "broadcast_in_dim", "pad", "pad-crop", "concatenate", "select_n", "slice", "transpose",
    "reduce_sum", "reduce_prod", "reduce_prod-zeros", "reduce_max", "cumsum", "cumprod", "cumprod-zeros",
    "cumlogsumexp", "cummax", "gather", "scatter", "scatter_add", "scatter_mul", "scatter_max",
    "dynamic_slice", "dynamic_update_slice", "dot_general-batch", "dot_general-mixed", "sort-values",
}


# Primitives whose derivative is by definition not the finite difference: tested on their own.
DEDICATED = {"stop_gradient", "threefry2x32"}


def test_every_primitive_has_a_case():
    assert set(PRIMITIVES) - {c.name for c in CASES} - DEDICATED == set()


def test_stop_gradient():
    prim = PRIMITIVES["stop_gradient"]
    x = normal(*S)
    f = lambda x: lax.mul(x, prim.bind(x))  # noqa: E731
    _, t = jvp(f, (Array(x),), (Array(np.ones(S)),))
    np.testing.assert_allclose(np.asarray(t), x)
    np.testing.assert_allclose(np.asarray(vjp(f, Array(x))[1](Array(np.ones(S)))[0]), x)
    check_vjp(f, (x,), rng=np.random.default_rng(4))


def test_threefry2x32_has_no_tangent():
    prim = PRIMITIVES["threefry2x32"]

    def f(x):
        bits = prim.bind(np.uint32(1), np.uint32(2), np.arange(3, dtype=np.uint32), np.zeros(3, np.uint32))[0]
        return lax.mul(x, lax.convert_element_type(bits, np.float64))

    x = normal(3)
    bits = prim.impl(np.uint32(1), np.uint32(2), np.arange(3, dtype=np.uint32), np.zeros(3, np.uint32))[0]
    _, t = jvp(f, (Array(x),), (Array(np.ones(3)),))
    np.testing.assert_allclose(np.asarray(t), bits.astype(np.float64))


def _marked(cases):
    return [
        pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_BUGS[str(c)])) if str(c) in KNOWN_BUGS else c
        for c in cases
    ]


@pytest.mark.parametrize("case", _marked(CASES), ids=str)
def test_rule(case):
    rng = np.random.default_rng(1)
    f = case.function()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        check_jvp(f, case.operands, rng=rng, eps=case.eps, rtol=case.rtol, atol=case.rtol)
        vjp_rtol = 1e-9 if all(np.asarray(x).dtype.itemsize >= 8 for x in case.operands) else 1e-5
        check_vjp(f, case.operands, rng=rng, rtol=vjp_rtol)
        floats = [i for i, x in enumerate(case.operands) if _differentiable(x)]
        if len(floats) > 1:  # each operand alone: the others' tangents are symbolic zeros
            for i in floats:
                def alone(x, i=i):
                    ops = list(_as_arrays(case.operands))
                    ops[i] = x
                    return f(*ops)

                check_jvp(alone, (case.operands[i],), rng=rng, eps=case.eps, rtol=case.rtol, atol=case.rtol)
                check_vjp(alone, (case.operands[i],), rng=rng, rtol=vjp_rtol)


@pytest.mark.parametrize("case", [c for c in CASES if str(c) in SECOND_ORDER], ids=str)
def test_second_order(case):
    rng = np.random.default_rng(2)
    check_grads(case.function(), case.operands, rng=rng, order=2, eps=1e-5, rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------------- drawn params for the index arithmetic


@st.composite
def dot_general_examples(draw):
    """Operands and dimension numbers with every role (batch, contracting, free) in any order."""
    sizes = st.integers(1, 3)
    batch = draw(st.lists(sizes, max_size=2))
    contract = draw(st.lists(sizes, max_size=2))
    lhs_free, rhs_free = draw(st.lists(sizes, max_size=2)), draw(st.lists(sizes, max_size=2))

    def layout(free):
        roles = [("b", i) for i in range(len(batch))] + [("c", i) for i in range(len(contract))] + [("f", i) for i in range(len(free))]
        roles = draw(st.permutations(roles))
        shape = [{"b": batch, "c": contract, "f": free}[r][i] for r, i in roles]
        return shape, tuple(roles.index(("c", i)) for i in range(len(contract))), tuple(roles.index(("b", i)) for i in range(len(batch)))

    lshape, lc, lb = layout(lhs_free)
    rshape, rc, rb = layout(rhs_free)
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(lshape), rng.standard_normal(rshape)), _dot(lc, rc, lb, rb)


@st.composite
def pad_examples(draw):
    shape = draw(st.lists(st.integers(0, 3), min_size=1, max_size=2))
    config = []
    for size in shape:
        interior = draw(st.integers(0, 2))
        core = size + max(size - 1, 0) * interior
        lo = draw(st.integers(-core, 2))
        hi = draw(st.integers(-(core + lo), 2))
        config.append((lo, hi, interior))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    return (rng.standard_normal(shape), np.asarray(rng.standard_normal())), dict(padding_config=tuple(config))


@st.composite
def slice_examples(draw):
    shape = draw(st.lists(st.integers(1, 5), min_size=1, max_size=2))
    starts, limits, strides = [], [], []
    for size in shape:
        lo = draw(st.integers(0, size))
        starts.append(lo)
        limits.append(draw(st.integers(lo, size)))
        strides.append(draw(st.integers(1, 3)))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    params = dict(start_indices=tuple(starts), limit_indices=tuple(limits), strides=tuple(strides))
    return (rng.standard_normal(shape),), params


@pytest.mark.parametrize("name, examples", [
    ("dot_general", dot_general_examples()), ("pad", pad_examples()), ("slice", slice_examples()),
])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_rule_drawn(name, examples, data):
    operands, params = data.draw(examples)
    rng = np.random.default_rng(3)
    f = Case(name, operands, params).function()
    check_jvp(f, operands, rng=rng)
    check_vjp(f, operands, rng=rng)


# ---------------------------------------------------------------- values at ties and zeros


def _jvp_value(f, x, t):
    return np.asarray(jvp(f, (Array(np.asarray(x)),), (Array(np.asarray(t)),))[1])


def test_reduce_max_splits_ties_evenly():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    t = np.array([[10.0, 4.0, 8.0], [3.0, 6.0, 9.0]])
    np.testing.assert_allclose(_jvp_value(lambda x: lax.reduce_max(x, (1,)), x, t), [6.0, 6.0])
    np.testing.assert_allclose(_jvp_value(lambda x: lax.reduce_min(x, (0, 1)), x, t), 10.0)
    g = np.asarray(grad(lambda x: lax.reduce_sum(lax.reduce_max(x, (1,)), (0,)))(Array(x)))
    np.testing.assert_allclose(g, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


def test_scatter_max_splits_ties_evenly():
    operand, updates = np.array([1.0, 5.0]), np.array([5.0, 5.0, 0.0])
    index = ints(1, 1, 0)

    def f(x, u):
        return PRIMITIVES["scatter_max"].bind(x, u, index, axes=(0,))

    _, t = jvp(f, (Array(operand), Array(updates)), (Array(np.array([1.0, 3.0])), Array(np.array([6.0, 9.0, 100.0]))))
    np.testing.assert_allclose(np.asarray(t), [1.0, 6.0])


def test_reduce_prod_and_cumprod_exact_at_zeros():
    x = np.array([2.0, 0.0, 3.0, 0.0, 5.0])
    g = np.asarray(grad(lambda x: lax.reduce_prod(x, (0,)))(Array(x)))
    np.testing.assert_array_equal(g, [0, 0, 0, 0, 0])
    x[3] = 4.0
    g = np.asarray(grad(lambda x: lax.reduce_prod(x, (0,)))(Array(x)))
    np.testing.assert_array_equal(g, [0, 120, 0, 0, 0])
    t = np.ones(5)
    np.testing.assert_allclose(_jvp_value(lambda x: lax.cumprod(x), x, t), [1, 2, 6, 24, 120])


def test_scatter_transpose_gives_only_the_last_write():
    operand, updates = np.zeros(3), np.array([1.0, 2.0, 3.0])
    index = ints(1, 1, 5)
    out, f_vjp = vjp(lambda x, u: lax.scatter(x, [index], u, (0,)), Array(operand), Array(updates))
    np.testing.assert_array_equal(np.asarray(out), [0, 2, 0])
    ct_x, ct_u = f_vjp(Array(np.array([10.0, 20.0, 30.0])))
    np.testing.assert_array_equal(np.asarray(ct_x), [10, 0, 30])
    np.testing.assert_array_equal(np.asarray(ct_u), [0, 20, 0])


def test_rules_keep_symbolic_zeros_and_stage_cleanly():
    # the derivative of the primal-only part is not staged into the linear program
    x = Array(normal(3, 4))
    closed = jaxlite.make_jaxpr(lambda x, t: jvp(lambda y: lax.reduce_max(y, (1,)), (x,), (t,))[1])(x, x)
    check_jaxpr(closed.jaxpr)
    names = [e.primitive.name for e in closed.jaxpr.eqns]
    assert names.count("reduce_max") == 1 and "reduce_sum" in names


# ---------------------------------------------------------------- end to end through jaxlite.numpy


def check_grad_fd(f, *args, eps=1e-6, rtol=1e-5, atol=1e-6):
    """grad(f) with respect to every argument, against central differences elementwise."""
    grads = grad(f, argnums=tuple(range(len(args))))(*[Array(a) for a in args])
    for k, (a, g) in enumerate(zip(args, grads)):
        fd = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            plus, minus = [x.copy() for x in args], [x.copy() for x in args]
            plus[k][i] += eps
            minus[k][i] -= eps
            fd[i] = (float(f(*map(Array, plus))) - float(f(*map(Array, minus)))) / (2 * eps)
        np.testing.assert_allclose(np.asarray(g), fd, rtol=rtol, atol=atol, err_msg=f"argument {k}")


X = normal(4, 5)
Y = normal(5, 3)
V = normal(6)


def _index_update(x):
    y = x.at[1:3, ::2].multiply(2.0)
    y = y.at[jnp.array([0, 2, 0]), 1].add(x[3, :3])
    y = y.at[-1].set(jnp.sin(x[0]))
    return jnp.sum(y * y)


E2E = {
    "indexing": (lambda x: jnp.sum(jnp.square(x[1:3, ::-2])) + x[jnp.array([0, 3, 0]), jnp.array([1, 4, 1])].prod() + x[..., 2].max(), X),
    "at-updates": (_index_update, X),
    "sum-max-mean": (lambda x: jnp.sum(x, axis=0).max() + jnp.mean(x * x) + jnp.max(x, axis=1).sum(), X),
    "matmul-einsum": (lambda x, y: jnp.sum(jnp.tanh(x @ y)) + jnp.einsum("ij,jk,ik->", x, y, x @ y), X, Y),
    "sort": (lambda v: jnp.sum(jnp.sort(v) * jnp.arange(6.0)) + jnp.sort(v.reshape(2, 3), axis=0)[1].sum(), V),
    "concatenate": (lambda x, y: jnp.sum(jnp.sin(jnp.concatenate([x, y.T, x[:1]], axis=0))), X, Y),
    "where": (lambda x: jnp.sum(jnp.where(x > 0, jnp.sin(x), x * x)), X),
    "cumsum": (lambda x: jnp.sum(jnp.square(jnp.cumsum(x, axis=1))) + jnp.cumprod(x[0]).sum(), X),
}


@pytest.mark.parametrize("name", list(E2E))
def test_numpy_end_to_end(name):
    f, *args = E2E[name]
    check_grad_fd(f, *args)
