"""Derivatives of every differentiable `jaxlite.numpy` function against finite differences.

`ROWS` is the table: one row (or more) per differentiable public function, each a function
binding the static arguments (indices, axes, modes), an input generator (shapes and values
away from kinks, ties and singularities) and the dtypes it is checked in. For every row
`test_row` runs `jaxlite.test_util.check_grads`:

  - float64: to second order, forward and reverse (fwd-over-fwd and rev-over-rev), with a
    tight tolerance;
  - float32: first order, forward and reverse, with a loose tolerance (float32 inputs; the
    finite-difference step is float32-sized).

`EXCLUDED` names the public names deliberately left without a row (integer- or boolean-valued
functions, shape utilities, creation from shapes, dtypes and constants, I/O, functions that
mutate their argument). `test_every_differentiable_function_has_a_row` requires every name of
`jaxlite.numpy.__all__` to be in exactly one of the two, so a new function forces a decision.

Then: `grad(sum(f))` against the row sums of `jacrev(f)` for a few rows, and complex inputs of
holomorphic functions (`jvp` against finite differences; `vjp` by the dot-product test with
JAX's unconjugated pairing).
"""

import dataclasses
import zlib

import numpy as np
import pytest

import jaxlite.numpy as jnp
from jaxlite import tree_util
from jaxlite._autodiff import grad, jacfwd, jacrev, jvp, vjp
from jaxlite.test_util import check_grads

F64, F32 = np.float64, np.float32

# ---------------------------------------------------------------- input generators
# Each generator takes a numpy Generator and returns the row's float64 arguments.


def normal(*shape):
    return lambda rng: rng.standard_normal(shape)


def uniform(lo, hi, *shape):
    return lambda rng: rng.uniform(lo, hi, shape)


def signed(lo, hi, *shape):
    """Magnitudes in [lo, hi] with random signs (away from 0)."""
    return lambda rng: rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def off_integers(*shape):
    """At least 0.1 from any integer or half-integer (where rounding functions jump)."""
    return lambda rng: rng.integers(-3, 3, shape) + rng.uniform(0.1, 0.4, shape)


def spread(*shape):
    """Distinct values at least 0.3 apart, in random order: no ties for max, sort, median."""
    def gen(rng):
        n = int(np.prod(shape, dtype=int))
        return (rng.permutation(n) * 0.4 - 0.2 * n + rng.uniform(0, 0.1, n)).reshape(shape)
    return gen


def args(*gens):
    """A generator of several arguments."""
    return lambda rng: tuple(g(rng) for g in gens)


def pair_apart(*shape):
    """(x, y) with |x - y| >= 0.3 everywhere: no ties for maximum/minimum/fmax/fmin."""
    def gen(rng):
        x = rng.standard_normal(shape)
        return x, x + rng.uniform(0.3, 1.0, shape) * rng.choice([-1.0, 1.0], shape)
    return gen


def frexp_domain(*shape):
    """Mantissas in [0.55, 0.95]: far from the powers of two where frexp's mantissa jumps."""
    return lambda rng: rng.uniform(0.55, 0.95, shape) * rng.choice([-1.0, 1.0], shape) * 2.0 ** rng.integers(1, 4, shape)


def rem_domain(*shape):
    """x / y well inside (2, 3) in magnitude: floor_divide, mod and fmod do not jump."""
    def gen(rng):
        return (rng.uniform(2.2, 2.4, shape) * rng.choice([-1.0, 1.0], shape),
                rng.uniform(0.98, 1.02, shape) * rng.choice([-1.0, 1.0], shape))
    return gen


# ---------------------------------------------------------------- the table


@dataclasses.dataclass(frozen=True)
class Row:
    name: str  # the jaxlite.numpy name covered (or a label, for compositions)
    fun: object  # float arguments -> outputs; static arguments are bound inside
    gen: object  # rng -> one float64 argument or a tuple of them
    label: str = ""
    dtypes: tuple = (F64, F32)
    covers: tuple = None  # the public names covered; default (name,)
    atol64: float = 1e-6
    eps64: float = 1e-5
    atol32: float = 2e-2
    eps32: float = 1e-2

    def __str__(self):
        return self.name + (f"-{self.label}" if self.label else "")

    @property
    def names(self):
        return (self.name,) if self.covers is None else self.covers

    def arguments(self, dtype):
        rng = np.random.default_rng(zlib.crc32(str(self).encode()))
        out = self.gen(rng)
        out = out if isinstance(out, tuple) else (out,)
        return tuple(np.asarray(a, dtype) for a in out)

    def function(self):
        fun = self.fun

        def f(*xs):  # finite differences call with plain ndarrays: run on jaxlite arrays
            return fun(*(jnp.asarray(x) for x in xs))

        return f


S = (3, 4)
A = np.array  # static index arrays, bound in the lambdas

UNARY = {  # name -> domain
    "abs": signed(0.5, 2, *S), "absolute": signed(0.5, 2, *S), "fabs": signed(0.5, 2, *S),
    "negative": normal(*S), "positive": normal(*S),
    "sqrt": uniform(0.5, 2, *S), "cbrt": signed(0.5, 2, *S), "square": normal(*S),
    "reciprocal": signed(0.5, 2, *S),
    "exp": normal(*S), "exp2": normal(*S), "expm1": normal(*S),
    "log": uniform(0.5, 2, *S), "log2": uniform(0.5, 2, *S), "log10": uniform(0.5, 2, *S),
    "log1p": uniform(-0.5, 2, *S),
    "sin": normal(*S), "cos": normal(*S), "tan": uniform(-1, 1, *S),
    "arcsin": uniform(-0.8, 0.8, *S), "asin": uniform(-0.8, 0.8, *S),
    "arccos": uniform(-0.8, 0.8, *S), "acos": uniform(-0.8, 0.8, *S),
    "arctan": normal(*S), "atan": normal(*S),
    "sinh": normal(*S), "cosh": normal(*S), "tanh": normal(*S),
    "arcsinh": normal(*S), "asinh": normal(*S),
    "arccosh": uniform(1.2, 3, *S), "acosh": uniform(1.2, 3, *S),
    "arctanh": uniform(-0.8, 0.8, *S), "atanh": uniform(-0.8, 0.8, *S),
    "deg2rad": normal(*S), "radians": normal(*S), "rad2deg": normal(*S), "degrees": normal(*S),
    "real": normal(*S), "imag": normal(*S), "conj": normal(*S), "conjugate": normal(*S),
    # piecewise constant: the derivative is zero away from the jumps
    "sign": signed(0.5, 2, *S), "angle": signed(0.5, 2, *S), "spacing": signed(1.1, 1.9, *S),
    "floor": off_integers(*S), "ceil": off_integers(*S), "trunc": off_integers(*S),
    "rint": off_integers(*S), "round": off_integers(*S), "around": off_integers(*S),
}

BINARY = {  # name -> domain of (x1, x2)
    "add": args(normal(*S), normal(*S)), "subtract": args(normal(*S), normal(*S)),
    "multiply": args(normal(*S), normal(*S)),
    "divide": args(normal(*S), signed(0.5, 2, *S)), "true_divide": args(normal(*S), signed(0.5, 2, *S)),
    "power": args(uniform(0.5, 2, *S), normal(*S)), "pow": args(uniform(0.5, 2, *S), normal(*S)),
    "float_power": args(uniform(0.5, 2, *S), normal(*S)),
    "maximum": pair_apart(*S), "minimum": pair_apart(*S), "fmax": pair_apart(*S), "fmin": pair_apart(*S),
    "arctan2": args(signed(0.5, 2, *S), signed(0.5, 2, *S)), "atan2": args(signed(0.5, 2, *S), signed(0.5, 2, *S)),
    "hypot": args(signed(0.5, 2, *S), signed(0.5, 2, *S)),
    "copysign": args(signed(0.5, 2, *S), signed(0.5, 2, *S)),
    "logaddexp": args(normal(*S), normal(*S)), "logaddexp2": args(normal(*S), normal(*S)),
    "nextafter": args(normal(*S), normal(*S)),
    "heaviside": args(signed(0.5, 2, *S), normal(*S)),
    "mod": rem_domain(*S), "remainder": rem_domain(*S), "fmod": rem_domain(*S),
    "floor_divide": rem_domain(*S),
}


def _clip_domain(rng):
    """x in [-3, -2], [-0.5, 0.5] or [2, 3]; bounds in [-1.2, -0.9] and [0.9, 1.2]: never close."""
    x = rng.choice([-2.5, 0.0, 2.5], S) + rng.uniform(-0.5, 0.5, S)
    return x, rng.uniform(-1.2, -0.9, S), rng.uniform(0.9, 1.2, (4,))


def _elementwise_rows():
    rows = [Row(n, getattr(jnp, n), g) for n, g in UNARY.items()]
    rows += [Row(n, getattr(jnp, n), g) for n, g in BINARY.items()]
    rows += [
        Row("round", lambda x: jnp.round(x, 1), lambda rng: off_integers(*S)(rng) / 10, label="decimals", dtypes=(F64,)),
        Row("add", jnp.add, args(normal(3, 4), normal(4)), label="broadcast"),
        Row("multiply", lambda x: x * 2.5, normal(*S), label="weak-scalar"),
        Row("multiply", jnp.multiply, args(normal(3, 1), normal(1, 4)), label="outer-broadcast"),
        Row("divide", lambda x: 1.5 / x, signed(0.5, 2, *S), label="weak-numerator"),
        Row("power", lambda x: x ** 3, normal(*S), label="int-exponent"),
        Row("power", lambda y: 2.0 ** y, normal(*S), label="weak-base"),
        Row("ldexp", lambda x: jnp.ldexp(x, A([[-2, 0, 1, 3]] * 3, np.int32)), normal(*S)),
        Row("frexp", lambda x: jnp.frexp(x)[0], frexp_domain(*S)),
        Row("modf", jnp.modf, off_integers(*S)),
        Row("divmod", jnp.divmod, rem_domain(*S)),
        Row("clip", lambda x: jnp.clip(x, -0.5, 0.5), lambda rng: spread(3, 4)(rng) / 2 + 0.15, label="static"),
        Row("clip", lambda x, lo, hi: jnp.clip(x, lo, hi), _clip_domain, label="traced-bounds"),
        Row("where", lambda x, y: jnp.where(A([[True, False, True, False]] * 3), x, y), args(normal(*S), normal(*S))),
        Row("where", lambda x: jnp.where(x > 0, jnp.sin(x), x * x), signed(0.2, 2, *S), label="mask-from-x"),
    ]
    return rows


def _reduction_rows():
    r = []
    add = r.append
    add(Row("sum", jnp.sum, normal(3, 4, 2)))
    add(Row("sum", lambda x: jnp.sum(x, axis=(0, 2), keepdims=True), normal(3, 4, 2), label="axes-keepdims"))
    add(Row("sum", lambda x: jnp.sum(x, axis=1, where=A([[1, 0, 1, 1]] * 3, bool)), normal(*S), label="where"))
    add(Row("prod", jnp.prod, uniform(0.5, 1.5, *S)))
    add(Row("prod", lambda x: jnp.prod(x, axis=0), uniform(0.5, 1.5, 3, 4), label="axis0"))
    add(Row("mean", jnp.mean, normal(*S)))
    add(Row("mean", lambda x: jnp.mean(x, axis=-1), normal(2, 3, 4), label="axis"))
    add(Row("var", jnp.var, normal(*S)))
    add(Row("var", lambda x: jnp.var(x, axis=0, ddof=1), normal(*S), label="ddof"))
    add(Row("std", lambda x: jnp.std(x, axis=1), normal(*S)))
    add(Row("std", lambda x: jnp.std(x, ddof=1), normal(*S), label="ddof"))
    add(Row("max", jnp.max, spread(*S)))
    add(Row("max", lambda x: jnp.max(x, axis=1), spread(*S), label="axis"))
    add(Row("min", lambda x: jnp.min(x, axis=0), spread(*S)))
    add(Row("amax", lambda x: jnp.amax(x, axis=(0, 1)), spread(2, 3, 2)))
    add(Row("amin", jnp.amin, spread(*S)))
    add(Row("ptp", jnp.ptp, spread(*S)))
    add(Row("ptp", lambda x: jnp.ptp(x, axis=1), spread(*S), label="axis"))
    add(Row("average", jnp.average, normal(*S)))
    add(Row("average", lambda x: jnp.average(x, axis=1, weights=A([1.0, 2.0, 0.5, 3.0])),
            normal(*S), label="static-weights"))
    add(Row("average", lambda x,
            w: jnp.average(x, axis=0, weights=w), args(normal(*S), uniform(0.5, 2, *S)), label="traced-weights"))
    add(Row("median", jnp.median, spread(*S)))
    add(Row("median", lambda x: jnp.median(x, axis=0), spread(5, 3), label="odd-axis0"))
    add(Row("quantile", lambda x: jnp.quantile(x, 0.3), spread(*S)))
    add(Row("quantile", lambda x: jnp.quantile(x, A([0.1, 0.5, 0.85]), axis=1), spread(*S), label="axis"))
    add(Row("percentile", lambda x: jnp.percentile(x, A([25.0, 70.0]), axis=0), spread(5, 3)))
    add(Row("percentile", lambda x: jnp.percentile(x, 40.0, method="midpoint"), spread(*S), label="midpoint"))
    add(Row("cumsum", lambda x: jnp.cumsum(x, axis=1), normal(*S)))
    add(Row("cumsum", jnp.cumsum, normal(*S), label="flat"))
    add(Row("cumprod", lambda x: jnp.cumprod(x, axis=0), uniform(0.5, 1.5, *S)))
    add(Row("cumulative_sum", lambda x: jnp.cumulative_sum(x, axis=1, include_initial=True), normal(*S)))
    add(Row("cumulative_prod", lambda x: jnp.cumulative_prod(x, axis=0), uniform(0.5, 1.5, *S)))
    # the nan* versions on NaN-free inputs
    add(Row("nansum", lambda x: jnp.nansum(x, axis=0), normal(*S)))
    add(Row("nanprod", jnp.nanprod, uniform(0.5, 1.5, *S)))
    add(Row("nanmean", lambda x: jnp.nanmean(x, axis=1), normal(*S)))
    add(Row("nanvar", jnp.nanvar, normal(*S)))
    add(Row("nanstd", lambda x: jnp.nanstd(x, axis=0), normal(*S)))
    add(Row("nanmax", jnp.nanmax, spread(*S)))
    add(Row("nanmin", lambda x: jnp.nanmin(x, axis=1), spread(*S)))
    add(Row("nanmedian", lambda x: jnp.nanmedian(x, axis=1), spread(*S)))
    add(Row("nanquantile", lambda x: jnp.nanquantile(x, 0.6), spread(*S)))
    add(Row("nanpercentile", lambda x: jnp.nanpercentile(x, A([10.0, 90.0]), axis=0), spread(*S)))
    add(Row("nancumsum", lambda x: jnp.nancumsum(x, axis=0), normal(*S)))
    add(Row("nancumprod", lambda x: jnp.nancumprod(x, axis=1), uniform(0.5, 1.5, *S)))
    # compositions
    add(Row("logsumexp", lambda x: jnp.max(x, 1) + jnp.log(jnp.sum(jnp.exp(x - jnp.max(x, 1, keepdims=True)), 1)),
            spread(*S), covers=()))
    add(Row("softmax", lambda x: jnp.exp(x) / jnp.sum(jnp.exp(x), axis=-1, keepdims=True), normal(*S), covers=()))
    add(Row("normalize", lambda x: (x - jnp.mean(x, 0)) / jnp.std(x, 0), normal(5, 3), covers=()))
    return r


def _manipulation_rows():
    r = []
    add = r.append
    add(Row("reshape", lambda x: jnp.reshape(x, (2, -1)), normal(*S)))
    add(Row("reshape", lambda x: x.reshape(4, 3).T, normal(*S), label="method", covers=()))
    add(Row("ravel", jnp.ravel, normal(2, 3, 2)))
    add(Row("transpose", lambda x: jnp.transpose(x, (2, 0, 1)), normal(2, 3, 4)))
    add(Row("transpose", jnp.transpose, normal(*S), label="reverse"))
    add(Row("permute_dims", lambda x: jnp.permute_dims(x, (1, 2, 0)), normal(2, 3, 4)))
    add(Row("matrix_transpose", jnp.matrix_transpose, normal(2, 3, 4)))
    add(Row("moveaxis", lambda x: jnp.moveaxis(x, 0, -1), normal(2, 3, 4)))
    add(Row("swapaxes", lambda x: jnp.swapaxes(x, 0, 2), normal(2, 3, 4)))
    add(Row("rollaxis", lambda x: jnp.rollaxis(x, 2, 0), normal(2, 3, 4)))
    add(Row("expand_dims", lambda x: jnp.expand_dims(x, (0, 2)), normal(*S)))
    add(Row("squeeze", jnp.squeeze, normal(3, 1, 4, 1)))
    add(Row("squeeze", lambda x: jnp.squeeze(x, axis=1), normal(3, 1, 4, 1), label="axis"))
    add(Row("broadcast_to", lambda x: jnp.broadcast_to(x, (2, 3, 4)), normal(3, 1)))
    add(Row("broadcast_arrays", jnp.broadcast_arrays, args(normal(3, 1), normal(4), normal(2, 1, 1))))
    add(Row("concatenate", lambda x, y: jnp.concatenate([x, y, x], axis=1), args(normal(3, 2), normal(3, 4))))
    add(Row("concatenate", lambda x, y: jnp.concatenate([x, y], axis=None), args(normal(3, 2), normal(4)), label="flat"))
    add(Row("concat", lambda x, y: jnp.concat((x, y)), args(normal(2, 3), normal(1, 3))))
    add(Row("stack", lambda x, y: jnp.stack([x, y], axis=1), args(normal(*S), normal(*S))))
    add(Row("hstack", lambda x, y: jnp.hstack([x, y]), args(normal(3), normal(2))))
    add(Row("vstack", lambda x, y: jnp.vstack([x, y]), args(normal(4), normal(2, 4))))
    add(Row("dstack", lambda x, y: jnp.dstack([x, y]), args(normal(*S), normal(*S))))
    add(Row("column_stack", lambda x, y: jnp.column_stack([x, y]), args(normal(3), normal(3, 2))))
    add(Row("block", lambda x, y, z: jnp.block([[x, y], [z]]), args(normal(2, 2), normal(2, 1), normal(1, 3))))
    add(Row("split", lambda x: jnp.split(x, 2, axis=1), normal(*S)))
    add(Row("split", lambda x: jnp.split(x, [1, 3]), normal(5, 2), label="indices"))
    add(Row("array_split", lambda x: jnp.array_split(x, 3, axis=1), normal(2, 5)))
    add(Row("hsplit", lambda x: jnp.hsplit(x, 2), normal(*S)))
    add(Row("vsplit", lambda x: jnp.vsplit(x, [1]), normal(*S)))
    add(Row("dsplit", lambda x: jnp.dsplit(x, 2), normal(2, 2, 4)))
    add(Row("unstack", lambda x: jnp.unstack(x, axis=1), normal(*S)))
    add(Row("flip", jnp.flip, normal(*S)))
    add(Row("flip", lambda x: jnp.flip(x, axis=1), normal(*S), label="axis"))
    add(Row("fliplr", jnp.fliplr, normal(*S)))
    add(Row("flipud", jnp.flipud, normal(*S)))
    add(Row("roll", lambda x: jnp.roll(x, 2), normal(*S)))
    add(Row("roll", lambda x: jnp.roll(x, (1, -1), axis=(0, 1)), normal(*S), label="axes"))
    add(Row("rot90", jnp.rot90, normal(*S)))
    add(Row("rot90", lambda x: jnp.rot90(x, k=2, axes=(1, 2)), normal(2, 3, 4), label="k2"))
    add(Row("rot90", lambda x: jnp.rot90(x, k=-1), normal(*S), label="k-1"))
    add(Row("tile", lambda x: jnp.tile(x, (2, 1, 2)), normal(2, 3)))
    add(Row("repeat", lambda x: jnp.repeat(x, 2, axis=0), normal(*S)))
    add(Row("repeat", lambda x: jnp.repeat(x, A([1, 0, 3, 2]), axis=1), normal(*S), label="array"))
    add(Row("repeat", lambda x: jnp.repeat(x, 3), normal(2, 2), label="flat"))
    add(Row("pad", lambda x: jnp.pad(x, ((1, 2), (0, 3))), normal(*S), label="constant"))
    add(Row("pad", lambda x: jnp.pad(x, 2, constant_values=1.5), normal(*S), label="constant-value"))
    add(Row("pad", lambda x, c: jnp.pad(x, 1, constant_values=c), args(normal(*S), normal()), label="traced-value"))
    add(Row("pad", lambda x: jnp.pad(x, ((1, 0), (2, 1)), mode="empty")[1:, 2:-1], normal(*S), label="empty"))
    for mode in ("edge", "wrap", "reflect", "symmetric"):
        add(Row("pad", lambda x, m=mode: jnp.pad(x, ((2, 3), (1, 2)), mode=m), normal(*S), label=mode))
    add(Row("diagonal", jnp.diagonal, normal(4, 5)))
    add(Row("diagonal", lambda x: jnp.diagonal(x, offset=-1, axis1=2, axis2=0), normal(4, 2, 3), label="offset-axes"))
    add(Row("trace", jnp.trace, normal(4, 5)))
    add(Row("trace", lambda x: jnp.trace(x, offset=1, axis1=1, axis2=2), normal(2, 3, 4), label="offset-axes"))
    add(Row("tril", jnp.tril, normal(4, 5)))
    add(Row("triu", lambda x: jnp.triu(x, k=-1), normal(2, 4, 3)))
    add(Row("diag", jnp.diag, normal(4), label="build"))
    add(Row("diag", lambda x: jnp.diag(x, k=1), normal(3), label="build-offset"))
    add(Row("diag", lambda x: jnp.diag(x, k=-1), normal(4, 5), label="extract"))
    add(Row("diagflat", lambda x: jnp.diagflat(x, k=-1), normal(2, 2)))
    add(Row("append", jnp.append, args(normal(*S), normal(2))))
    add(Row("append", lambda x, y: jnp.append(x, y, axis=0), args(normal(*S), normal(2, 4)), label="axis"))
    add(Row("delete", lambda x: jnp.delete(x, [0, 2], axis=1), normal(*S)))
    add(Row("delete", lambda x: jnp.delete(x, slice(1, None, 2)), normal(*S), label="flat-slice"))
    add(Row("insert", lambda x, v: jnp.insert(x, 1, v, axis=0), args(normal(*S), normal(4))))
    add(Row("insert", lambda x, v: jnp.insert(x, [0, 2, 2], v), args(normal(5), normal(3)), label="indices"))
    add(Row("resize", lambda x: jnp.resize(x, (4, 5)), normal(*S)))
    add(Row("resize", lambda x: jnp.resize(x, (2, 3)), normal(*S), label="shrink"))
    add(Row("atleast_1d", jnp.atleast_1d, normal()))
    add(Row("atleast_2d", jnp.atleast_2d, normal(3)))
    add(Row("atleast_3d", jnp.atleast_3d, args(normal(3), normal(2, 2))))
    add(Row("copy", jnp.copy, normal(*S)))
    add(Row("asarray", jnp.asarray, normal(*S)))
    add(Row("asanyarray", jnp.asanyarray, normal(*S)))
    add(Row("array", lambda x, y: jnp.array([x, y]), args(normal(*S), normal(*S))))
    add(Row("array", lambda x: jnp.array(x, ndmin=3), normal(4), label="ndmin"))
    add(Row("meshgrid", jnp.meshgrid, args(normal(3), normal(2), normal(2))))
    add(Row("meshgrid", lambda x,
            y: jnp.meshgrid(x, y, indexing="ij", sparse=True), args(normal(3), normal(2)), label="ij-sparse"))
    add(Row("vander", jnp.vander, uniform(0.5, 1.5, 4)))
    add(Row("vander", lambda x: jnp.vander(x, 3, increasing=True), normal(4), label="increasing"))
    add(Row("full", lambda v: jnp.full((2, 3), v), normal()))
    add(Row("full", lambda v: jnp.full((2, 3), v), normal(3), label="broadcast"))
    add(Row("full_like", lambda x, v: jnp.full_like(x, v), args(normal(*S), normal())))
    add(Row("zeros_like", lambda x: jnp.zeros_like(x) + x, normal(*S)))
    add(Row("ones_like", lambda x: jnp.ones_like(x) * x, normal(*S)))
    add(Row("linspace", lambda a, b: jnp.linspace(a, b, 5), args(normal(), normal())))
    add(Row("linspace", lambda a,
            b: jnp.linspace(a, b, 4, endpoint=False, axis=1), args(normal(3), normal(3)), label="array-ends"))
    add(Row("linspace", lambda a, b: jnp.linspace(a, b, 3, retstep=True), args(normal(2), normal(2)), label="retstep"))
    add(Row("logspace", lambda a, b: jnp.logspace(a, b, 4), args(uniform(-1, 0, 2), uniform(0, 1, 2))))
    add(Row("logspace", lambda a, b: jnp.logspace(a, b, 3, base=2.0), args(normal(), normal()), label="base"))
    add(Row("geomspace", lambda a, b: jnp.geomspace(a, b, 4), args(uniform(0.5, 2), uniform(2, 4))))
    add(Row("geomspace", lambda a,
            b: jnp.geomspace(a, b, 3), args(uniform(-2, -0.5, 2), uniform(-4, -2, 2)), label="negative"))
    return r


MASK = A([[True, False, True, True], [False, False, True, False], [True, True, False, True]])


def _at_update(op):
    def f(x, v):
        return getattr(x.at[A([2, 0]), 1:3], op)(v)
    return f


def _setitem(x, v):
    y = x.copy()
    y[1, ::2] = v
    y[0] += 2.0 * y[2]
    return y


def _indexing_rows():
    r = []
    add = r.append
    # getitem (no public name: an Array method)
    add(Row("getitem", lambda x: x[1], normal(*S), label="int", covers=()))
    add(Row("getitem", lambda x: x[-1, 2], normal(*S), label="ints", covers=()))
    add(Row("getitem", lambda x: x[1:, ::-2], normal(*S), label="slices", covers=()))
    add(Row("getitem", lambda x: x[..., None, 1:3], normal(2, 3, 4), label="ellipsis-newaxis", covers=()))
    add(Row("getitem", lambda x: x[A([0, 2, 0])], normal(*S), label="int-array", covers=()))
    add(Row("getitem", lambda x: x[A([[0, 2], [1, 1]]), A([3, -1])], normal(*S), label="int-arrays", covers=()))
    add(Row("getitem", lambda x: x[:, A([1, 0, 1]), 2], normal(2, 3, 4), label="mixed", covers=()))
    add(Row("getitem", lambda x: x[MASK], normal(*S), label="mask", covers=()))
    add(Row("getitem", lambda x: x[A([True, False, True])], normal(*S), label="row-mask", covers=()))
    # .at[] updates (x and the values both differentiated)
    for op, gen in [("set", args(normal(*S), normal(2, 2))), ("add", args(normal(*S), normal(2, 2))),
                    ("multiply", args(normal(*S), normal(2, 2))), ("divide", args(normal(*S), signed(0.5, 2, 2, 2))),
                    ("power", args(uniform(0.5, 2, *S), normal(2, 2))), ("min", pair_apart(*S)), ("max", pair_apart(*S))]:
        if op in ("min", "max"):  # values and x far apart where they meet
            add(Row("at", lambda x,
                    y, op=op: getattr(x.at[A([2, 0]), 1:3], op)(y[A([2, 0]), 1:3]), gen, label=op, covers=()))
        else:
            add(Row("at", _at_update(op), gen, label=op, covers=()))
    add(Row("at", lambda x, v: x.at[A([1, 3, 1])].add(v), args(normal(5, 2), normal(3, 2)), label="add-repeated", covers=()))
    add(Row("at", lambda x, v: x.at[MASK].set(v), args(normal(*S), normal(7)), label="mask-set", covers=()))
    add(Row("at", lambda x: x.at[1:, 2].get(), normal(*S), label="get", covers=()))
    add(Row("setitem", _setitem, args(normal(*S), normal(2)), covers=()))
    # the index functions
    add(Row("take", lambda x: jnp.take(x, A([3, 0, 3, 1]), axis=1), normal(*S)))
    add(Row("take", lambda x: jnp.take(x, A([[5, 0], [11, 5]])), normal(*S), label="flat"))
    add(Row("take", lambda x: jnp.take(x, A([4, -1]), axis=0, mode="wrap"), normal(*S), label="wrap"))
    add(Row("take_along_axis", lambda x: jnp.take_along_axis(x, A([[0, 3], [1, 1], [2, 0]]), axis=1), normal(*S)))
    add(Row("take_along_axis", lambda x: jnp.take_along_axis(x, jnp.argsort(x, axis=0), axis=0),
            spread(*S), label="argsort"))
    add(Row("put_along_axis", lambda x,
            v: jnp.put_along_axis(x, A([[1], [0], [3]]), v, axis=1), args(normal(*S), normal(3, 1))))
    add(Row("choose", lambda x, y, z: jnp.choose(A([[0, 1, 2, 1]] * 3), [x, y, z]), args(normal(*S), normal(*S), normal(4))))
    add(Row("select", lambda x, y: jnp.select([MASK, ~MASK & (A([0, 1, 2]) > 0)[:, None]], [x, y], default=0.5),
            args(normal(*S), normal(*S))))
    add(Row("select", lambda x,
            y, d: jnp.select([MASK], [x * y], default=d), args(normal(*S), normal(*S), normal(4)), label="traced-default"))
    add(Row("compress", lambda x: jnp.compress(A([True, False, True, True]), x, axis=1), normal(*S)))
    add(Row("compress", lambda x: jnp.compress(A([False, True, True]), x), normal(*S), label="flat"))
    add(Row("extract", lambda x: jnp.extract(MASK, x), normal(*S)))
    return r


def _contraction_rows():
    r = []
    add = r.append
    add(Row("matmul", jnp.matmul, args(normal(3, 4), normal(4, 2))))
    add(Row("matmul", jnp.matmul, args(normal(2, 3, 4), normal(4, 2)), label="batched"))
    add(Row("matmul", jnp.matmul, args(normal(4), normal(2, 4, 3)), label="vector-lhs"))
    add(Row("matmul", lambda x, y: x @ y, args(normal(3, 4), normal(4)), label="operator-vector-rhs"))
    add(Row("dot", jnp.dot, args(normal(3, 4), normal(4, 2))))
    add(Row("dot", jnp.dot, args(normal(2, 3, 4), normal(5, 4, 2)), label="nd"))
    add(Row("dot", jnp.dot, args(normal(3), normal(3)), label="vectors"))
    add(Row("dot", jnp.dot, args(normal(), normal(2, 3)), label="scalar"))
    add(Row("vdot", jnp.vdot, args(normal(3, 2), normal(2, 3))))
    add(Row("inner", jnp.inner, args(normal(2, 4), normal(3, 4))))
    add(Row("outer", jnp.outer, args(normal(3), normal(2, 2))))
    add(Row("tensordot", jnp.tensordot, args(normal(2, 3, 4), normal(3, 4, 2))))
    add(Row("tensordot", lambda x,
            y: jnp.tensordot(x, y, axes=([1, 0], [0, 2])), args(normal(2, 3, 4), normal(3, 5, 2)), label="axes"))
    add(Row("tensordot", lambda x, y: jnp.tensordot(x, y, axes=0), args(normal(2), normal(3)), label="outer"))
    for spec, shapes in [("ij,jk->ik", [(3, 4), (4, 2)]), ("ii->i", [(3, 3)]), ("ij->", [(3, 4)]),
                         ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]), ("i,i->", [(4,), (4,)]),
                         ("ij,ij->ij", [(3, 4), (3, 4)]), ("...ij,...jk", [(2, 3, 4), (4, 2)]), ("ii", [(3, 3)]),
                         ("ijk->kji", [(2, 3, 4)]), ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]), ("i,j->ij", [(3,), (2,)])]:
        add(Row("einsum", lambda *xs, spec=spec: jnp.einsum(spec, *xs), args(*(normal(*s) for s in shapes)), label=spec))
    add(Row("kron", jnp.kron, args(normal(2, 3), normal(2, 2))))
    add(Row("cross", jnp.cross, args(normal(4, 3), normal(4, 3))))
    add(Row("cross", jnp.cross, args(normal(2), normal(3, 2)), label="2d"))
    add(Row("cross", lambda x, y: jnp.cross(x, y, axisa=0, axisb=0), args(normal(3, 2), normal(3, 2)), label="axes"))
    add(Row("vecdot", jnp.vecdot, args(normal(3, 4), normal(4))))
    add(Row("vecdot", lambda x, y: jnp.vecdot(x, y, axis=0), args(normal(3, 4), normal(3, 4)), label="axis"))
    add(Row("matvec", jnp.matvec, args(normal(2, 3, 4), normal(4))))
    add(Row("vecmat", jnp.vecmat, args(normal(3), normal(2, 3, 4))))
    return r


def _sorting_rows():
    return [
        Row("sort", jnp.sort, spread(*S)),
        Row("sort", lambda x: jnp.sort(x, axis=0), spread(*S), label="axis0-msort"),
        Row("sort", lambda x: jnp.sort(x, axis=None), spread(*S), label="flat"),
        Row("sort", lambda x: jnp.sort(x, descending=True), spread(*S), label="descending"),
        # eager np.partition and the traced full sort order the other entries differently:
        # the kth values (and what sorts them) are what partition defines
        Row("partition", lambda x: jnp.partition(x, 2, axis=1)[:, 2], spread(*S)),
        Row("partition", lambda x: jnp.sort(jnp.partition(x, 1, axis=0), axis=0), spread(*S), label="sorted"),
        Row("sort_complex", lambda x: jnp.real(jnp.sort_complex(x)), spread(5)),
    ]


def _sort_in_place(x):
    y = x * 1.0
    y.sort(axis=0)
    return y


def _inplace_operators(x, y):
    z = x * 1.0
    z += y
    z *= x
    z -= 0.5
    z /= 2.0
    z **= 2
    return z


def _edge_rows():
    """Rank 0, size 0 and size 1, optional arguments, methods, operators and dtype conversions."""
    r = []
    add = r.append
    # rank 0 and degenerate shapes
    add(Row("sin", jnp.sin, normal(), label="rank0"))
    add(Row("maximum", lambda x,
            y: jnp.maximum(x, y[0, 0]), lambda rng: (spread(3, 4)(rng), np.full((1, 1), 0.25)), label="rank0-broadcast"))
    add(Row("sum", lambda x: jnp.sum(x, axis=0), normal(0, 3), label="empty"))
    add(Row("concatenate", lambda x, y: jnp.concatenate([x, y]), args(normal(0, 3), normal(2, 3)), label="with-empty"))
    add(Row("prod", lambda x: jnp.prod(x, axis=1), normal(3, 1), label="size1-axis"))
    add(Row("matmul", jnp.matmul, args(normal(4), normal(4)), label="vectors"))
    # values where a derivative is still smooth though a naive rule breaks
    add(Row("prod", jnp.prod, lambda rng: np.array([1.3, 0.0, -0.7, 1.1]), label="one-zero"))
    add(Row("prod", jnp.prod, lambda rng: np.array([1.3, 0.0, -0.7, 0.0]), label="two-zeros"))
    add(Row("cumprod", jnp.cumprod, lambda rng: np.array([1.3, 0.8, 0.0, -0.7, 1.1]), label="zero"))
    # optional arguments
    add(Row("max", lambda x: jnp.max(x, axis=1, initial=-50.0), spread(*S), label="initial"))
    add(Row("max", lambda x: jnp.max(x, axis=0, where=MASK, initial=-50.0), spread(*S), label="where"))
    add(Row("mean", lambda x: jnp.mean(x, axis=1, where=MASK), normal(*S), label="where"))
    add(Row("var", lambda x: jnp.var(x, axis=1, where=MASK), normal(*S), label="where"))
    add(Row("std", lambda x: jnp.std(x, axis=0, keepdims=True, correction=1), normal(*S), label="keepdims-correction"))
    add(Row("average", lambda x,
            w: jnp.average(x, weights=w, returned=True), args(normal(*S), uniform(0.5, 2, *S)), label="returned"))
    for method in ("lower", "higher", "nearest", "weibull", "hazen", "median_unbiased", "inverted_cdf"):
        add(Row("quantile", lambda x,
                m=method: jnp.quantile(x, A([0.2, 0.7]), axis=1, method=m), spread(3, 5), label=method))
    add(Row("median", lambda x: jnp.median(x, axis=(0, 2), keepdims=True), spread(2, 3, 2), label="axes-keepdims"))
    add(Row("clip", lambda x: jnp.clip(x, min=0.3), lambda rng: spread(3, 4)(rng) + 0.05, label="min-only"))
    add(Row("repeat", lambda x: jnp.repeat(x, A([2, 1, 0]), axis=0, total_repeat_length=3),
            normal(*S), label="total-length"))
    add(Row("take_along_axis", lambda x: jnp.take_along_axis(x, A([11, 0, 5]), axis=None), normal(*S), label="flat"))
    add(Row("linspace", lambda a, b: jnp.linspace(a, b, 1), args(normal(), normal()), label="num1"))
    add(Row("tensordot", lambda x, y: jnp.tensordot(x, y, 1), args(normal(2, 3), normal(3, 2)), label="axes1"))
    add(Row("sort", lambda x: jnp.sort(x, axis=1), spread(2, 3, 3), label="3d"))
    add(Row("getitem", lambda x: x[1:, A([0, 2])], normal(*S), label="slice-int-array", covers=()))
    add(Row("getitem", lambda x: x[A([-1, 0]), ::-1][:, A([True, False, True, True])],
            normal(*S), label="chained", covers=()))
    # methods and operators of Array and Tracer
    add(Row("methods", lambda x: x.sum(axis=0) + x.mean(1).sum() + x.std() + x.var(axis=1).prod() + x.max()
            + x.min(axis=0).sum() + x.ptp(), spread(*S), covers=()))
    add(Row("methods", lambda x: (x.T.dot(x).trace() + x.cumsum(1).cumprod(0).ravel()).reshape(3, 4).swapaxes(0, 1),
            uniform(0.5, 1.2, *S), label="shape", covers=()))
    add(Row("methods", lambda x: x.flatten().take(A([0, 5])) + x.clip(-0.3, 0.3).diagonal()[:2] + x.repeat(2)[::7][:2]
            + x.squeeze().conj()[0, :2].real, lambda rng: spread(3, 4)(rng) / 2, label="misc", covers=()))
    add(Row("methods", _sort_in_place, spread(*S), label="sort-in-place", covers=()))
    add(Row("operators", lambda x,
            y: (-x) ** 2 * abs(y) - x / y + (+x) @ y.T @ x + 3.0 - y, args(normal(*S), signed(0.5, 2, *S)), covers=()))
    add(Row("operators", lambda x, y: x // y + x % y, rem_domain(*S), label="floordiv-mod", covers=()))
    add(Row("operators", _inplace_operators, args(normal(*S), normal(*S)), label="in-place", covers=()))
    # dtype conversions
    add(Row("astype", lambda x: x.astype(np.float32) * 2, normal(*S), dtypes=(F64,), atol64=1e-4, eps64=1e-2, covers=()))
    add(Row("astype", lambda x: x.astype(np.float64) ** 2, normal(*S), label="to-f64", dtypes=(F32,), covers=()))
    add(Row("astype", lambda x: x * x.astype(np.int64), off_integers(*S), label="to-int", covers=()))
    add(Row("astype", lambda x: jnp.real(x.astype(np.complex128) ** 2), normal(*S), label="to-complex", covers=()))
    return r


ROWS = (_elementwise_rows() + _reduction_rows() + _manipulation_rows() + _indexing_rows() + _contraction_rows()
        + _sorting_rows() + _edge_rows())

# ---------------------------------------------------------------- names without a row

_CONSTANTS_AND_DTYPES = (
    "__array_api_version__ __array_namespace_info__ bool bool_ int8 int16 int32 int64 uint8 uint16 uint32 "
    "uint64 float16 float32 float64 complex64 complex128 dtype ndarray finfo iinfo can_cast isdtype "
    "issubdtype promote_types result_type e pi inf nan newaxis"
)
_BOOLEAN = (
    "all any equal not_equal greater greater_equal less less_equal isfinite isinf isnan signbit "
    "logical_and logical_or logical_xor logical_not"
)
_INTEGER_VALUED = (
    "argmax argmin nanargmax nanargmin argsort argpartition lexsort argwhere nonzero flatnonzero "
    "searchsorted count_nonzero bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_invert "
    "bitwise_count bitwise_left_shift bitwise_right_shift left_shift right_shift invert gcd lcm "
    "diag_indices diag_indices_from tril_indices tril_indices_from triu_indices triu_indices_from "
    "unravel_index ravel_multi_index indices ix_"
)
_SHAPE_UTILITIES = "shape ndim size broadcast_shapes einsum_path s_ index_exp"
_CREATION_FROM_SHAPES = "zeros ones empty empty_like eye identity tri arange fromfunction"
_IO = "from_dlpack frombuffer fromiter fromstring"
_EAGER_ONLY = "place put trim_zeros"  # mutate their argument, or a value-dependent shape

EXCLUDED = {
    **dict.fromkeys(_CONSTANTS_AND_DTYPES.split(), "a dtype, constant or dtype utility"),
    **dict.fromkeys(_BOOLEAN.split(), "boolean-valued"),
    **dict.fromkeys(_INTEGER_VALUED.split(), "integer-valued"),
    **dict.fromkeys(_SHAPE_UTILITIES.split(), "a shape or index utility"),
    **dict.fromkeys(_CREATION_FROM_SHAPES.split(), "creation from shapes (or values left undefined)"),
    **dict.fromkeys(_IO.split(), "I/O: creation from buffers, iterators, strings"),
    **dict.fromkeys(_EAGER_ONLY.split(), "eager only: mutates its argument in place, or a value-dependent shape"),
}


# Functions whose derivatives their own test files check (tests/numpy_rows_*.py: GRAD_EXCLUDED).
import numpy_rows_a  # noqa: E402
import numpy_rows_b  # noqa: E402
import numpy_rows_linalg  # noqa: E402

for _module in (numpy_rows_a, numpy_rows_b, numpy_rows_linalg):
    EXCLUDED.update(getattr(_module, "GRAD_EXCLUDED", {}))


def test_every_differentiable_function_has_a_row():
    public = set(jnp.__all__)
    covered = {n for row in ROWS for n in row.names}
    assert not covered - public, f"rows for names that are not public: {sorted(covered - public)}"
    assert not set(EXCLUDED) - public, f"exclusions that are not public: {sorted(set(EXCLUDED) - public)}"
    assert not covered & set(EXCLUDED), f"both covered and excluded: {sorted(covered & set(EXCLUDED))}"
    missing = public - covered - set(EXCLUDED)
    assert not missing, f"public names neither covered by a row nor excluded: {sorted(missing)}"
    assert len({str(row) for row in ROWS}) == len(ROWS), "row ids must be unique"


# ---------------------------------------------------------------- the checks


def _params():
    return [pytest.param(row, dtype, id=f"{row}-{np.dtype(dtype).name}") for row in ROWS for dtype in row.dtypes]


@pytest.mark.filterwarnings("ignore:Arrays of 2-dimensional vectors are deprecated:DeprecationWarning")
@pytest.mark.parametrize("row, dtype", _params())
def test_row(row, dtype):
    f, xs = row.function(), row.arguments(dtype)
    if dtype == F64:
        check_grads(f, xs, order=2, modes=("fwd", "rev"), atol=row.atol64, eps=row.eps64)
    else:
        check_grads(f, xs, order=1, modes=("fwd", "rev"), atol=row.atol32, eps=row.eps32)


JACREV_ROWS = ["sin", "cumprod", "sort", "pad-reflect", "getitem-int-arrays", "at-add-repeated", "median", "var-ddof",
               "take_along_axis-argsort", "einsum-ii->i", "matmul-batched", "roll-axes"]


@pytest.mark.parametrize("label", JACREV_ROWS)
def test_grad_of_sum_is_jacrev_row_sum(label):
    """grad(sum(f)) == the Jacobian summed over f's output axes, from jacrev (and jacfwd).

    Differentiated with respect to the row's first argument, the others held fixed."""
    (row,) = [r for r in ROWS if str(r) == label]
    x, *rest = row.arguments(F64)
    f = lambda x: row.function()(x, *rest)  # noqa: E731
    g = np.asarray(grad(lambda x: jnp.sum(f(x)))(x))
    jac_fwd, jac_rev = np.asarray(jacfwd(f)(x)), np.asarray(jacrev(f)(x))
    out_axes = tuple(range(jac_fwd.ndim - x.ndim))
    assert jac_rev.shape == jac_fwd.shape
    np.testing.assert_allclose(g, jac_fwd.sum(axis=out_axes), rtol=1e-12, atol=1e-12, err_msg="jacfwd")
    np.testing.assert_allclose(g, jac_rev.sum(axis=out_axes), rtol=1e-12, atol=1e-12, err_msg="jacrev")


# ---------------------------------------------------------------- complex inputs


def _cnormal(rng, *shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


HOLOMORPHIC = {
    "exp": (jnp.exp, lambda rng: (_cnormal(rng, *S),)),
    "sin": (jnp.sin, lambda rng: (_cnormal(rng, *S),)),
    "multiply": (jnp.multiply, lambda rng: (_cnormal(rng, *S), _cnormal(rng, *S))),
    "matmul": (jnp.matmul, lambda rng: (_cnormal(rng, 3, 4), _cnormal(rng, 4, 2))),
    "einsum": (lambda x, y: jnp.einsum("ij,jk->ik", x, y), lambda rng: (_cnormal(rng, 3, 4), _cnormal(rng, 4, 2))),
    "square-sum": (lambda x: jnp.sum(jnp.square(x), axis=0), lambda rng: (_cnormal(rng, *S),)),
}


# Not holomorphic, but real-differentiable: jvp against finite differences works the same, and
# the dot-product test holds for any real-linear map under the pairing Re(sum(a * b)).
NONHOLOMORPHIC = {
    "abs": (jnp.abs, lambda rng: (_cnormal(rng, *S),)),
    "real": (jnp.real, lambda rng: (_cnormal(rng, *S),)),
    "imag": (jnp.imag, lambda rng: (_cnormal(rng, *S),)),
    "conj": (jnp.conj, lambda rng: (_cnormal(rng, *S),)),
    "angle": (jnp.angle, lambda rng: (_cnormal(rng, *S) + 3.0,)),
    "vdot": (jnp.vdot, lambda rng: (_cnormal(rng, 3, 2), _cnormal(rng, 3, 2))),
    "abs2-sum": (lambda x: jnp.sum(jnp.real(x * jnp.conj(x)), axis=1), lambda rng: (_cnormal(rng, *S),)),
}


def _pairing(a, b):
    """Re(sum(a * b)): the (unconjugated) pairing jaxlite's vjp is the transpose for."""
    return sum(float(np.real(np.sum(np.asarray(x) * np.asarray(y)))) for x, y in
               zip(tree_util.tree_leaves(a), tree_util.tree_leaves(b)))


def _check_complex(fun, gen, dtype, order):
    xs = tuple(np.asarray(a, dtype) for a in gen(np.random.default_rng(7)))
    f = lambda *a: fun(*(jnp.asarray(x) for x in a))  # noqa: E731
    if np.dtype(dtype) == np.complex128:
        check_grads(f, xs, order=order, modes=("fwd",), atol=1e-6, eps=1e-5)
    else:
        check_grads(f, xs, order=1, modes=("fwd",), atol=2e-2, eps=1e-2)
    # reverse mode: <ct, J t> == <J^T ct, t> with the unconjugated pairing. (test_util's
    # check_vjp pairs with np.vdot, which conjugates, so it cannot check complex inputs.)
    rng = np.random.default_rng(8)
    ts = tuple(_cnormal(rng, *x.shape).astype(dtype) for x in xs)
    out, t_out = jvp(f, xs, ts)
    out_dtype = np.asarray(out).dtype
    ct = (_cnormal(rng, *np.shape(out)) if out_dtype.kind == "c" else rng.standard_normal(np.shape(out))).astype(out_dtype)
    cts = vjp(f, *xs)[1](ct)
    tol = 1e-10 if np.dtype(dtype) == np.complex128 else 1e-4
    lhs, rhs = _pairing(ct, t_out), _pairing(cts, ts)
    assert abs(lhs - rhs) <= tol * max(1.0, abs(lhs)), (lhs, rhs)


@pytest.mark.parametrize("name", list(HOLOMORPHIC))
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_holomorphic(name, dtype):
    _check_complex(*HOLOMORPHIC[name], dtype, order=2)


@pytest.mark.parametrize("name", list(NONHOLOMORPHIC))
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_complex_real_differentiable(name, dtype):
    _check_complex(*NONHOLOMORPHIC[name], dtype, order=1)
