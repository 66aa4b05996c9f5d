"""vmap/jit rows for predicates, sets, I/O, functional tools and index tricks (part A of
jaxlite/numpy); see test_vmap_numpy.py for what a row is and how it is checked."""

import numpy as np

import jaxlite.numpy as jnp

A = np.array
S = (3, 4)


def normal(*shape):
    return lambda rng: rng.standard_normal(shape)


def ints(lo, hi, *shape, dtype=np.int64):
    return lambda rng: rng.integers(lo, hi, shape).astype(dtype)


def ties(*shape):
    return lambda rng: rng.integers(-2, 3, shape).astype(float)


def specials(*shape):
    values = A([0.0, -0.0, 1.5, -2.0, np.nan, np.inf, -np.inf])
    return lambda rng: rng.choice(values, shape)


def complexes(*shape):
    return lambda rng: rng.integers(-2, 3, shape) + 1j * rng.integers(0, 2, shape)


def complex_specials(*shape):
    def gen(rng):
        z = np.empty(shape, complex)
        z.real, z.imag = specials(*shape)(rng), specials(*shape)(rng)
        return z
    return gen


def _type_predicates(x):
    flags = (jnp.iscomplexobj(x), jnp.isrealobj(x), jnp.isscalar(x), jnp.iterable(x), jnp.isscalar(1.5))
    return x + sum(2 ** i * f for i, f in enumerate(flags))


_PREDICATES = [
    ("isclose", lambda x, y: jnp.isclose(x, y, atol=0.6), (ties(*S), ties(4))),
    ("isclose", lambda x, y: jnp.isclose(x, y, equal_nan=True), (specials(*S), specials(*S)), "specials"),
    ("isclose", lambda x, y: jnp.isclose(x, y, rtol=0.5), (ints(-3, 3, *S), ints(-3, 3, *S)), "int"),
    ("isclose", lambda x, y: jnp.isclose(x, y, atol=1), (complexes(*S), complexes(4)), "complex"),
    ("allclose", lambda x, y: jnp.allclose(x, y, atol=1.5), (ties(4), ties(4))),
    ("array_equal", jnp.array_equal, (ints(0, 2, 3), ints(0, 2, 3))),
    ("array_equal", lambda x, y: jnp.array_equal(x, y, equal_nan=True), (specials(2), specials(2)), "nan"),
    ("array_equal", jnp.array_equal, (ints(0, 2, 3), ints(0, 2, 2)), "shapes"),
    ("array_equiv", jnp.array_equiv, (ints(0, 2, 2, 3), ints(0, 2, 3))),
    ("array_equiv", jnp.array_equiv, (ints(0, 2, 2, 3), ints(0, 2, 2)), "shapes"),
    ("iscomplex", jnp.iscomplex, (complexes(*S),)),
    ("iscomplex", jnp.iscomplex, (normal(*S),), "real"),
    ("isreal", jnp.isreal, (complexes(*S),)),
    ("iscomplexobj", _type_predicates, (normal(3),), "type-predicates",
     ("iscomplexobj", "isrealobj", "isscalar", "iterable")),
    ("isneginf", jnp.isneginf, (specials(*S),)),
    ("isposinf", jnp.isposinf, (specials(*S),)),
    ("nan_to_num", jnp.nan_to_num, (specials(*S),)),
    ("nan_to_num", lambda x: jnp.nan_to_num(x, nan=-1.0, posinf=9.0), (specials(*S),), "values"),
    ("nan_to_num", jnp.nan_to_num, (complex_specials(*S),), "complex"),
    ("nan_to_num", jnp.nan_to_num, (ints(-3, 3, *S),), "int"),
    ("astype", lambda x: jnp.astype(x, jnp.int16), (ties(*S),)),
    ("astype", lambda x: jnp.astype(x, jnp.float64, copy=False), (normal(*S),), "same-dtype"),
]

_SETS = [
    ("unique", lambda x: jnp.unique(x, size=6), (ties(*S),)),
    ("unique", lambda x: jnp.unique(x, True, True, True, size=4, fill_value=-9), (ties(*S),), "all-returns"),
    ("unique", lambda x: jnp.unique(x, return_counts=True, axis=0, size=3), (ints(0, 2, 3, 2),), "axis"),
    ("unique", lambda x: jnp.unique(x, return_inverse=True, size=5), (specials(6),), "nan"),
    ("unique_all", lambda x: jnp.unique_all(x, size=5), (ties(2, 3),)),
    ("unique_counts", lambda x: jnp.unique_counts(x, size=4), (ints(0, 4, 6),)),
    ("unique_inverse", lambda x: jnp.unique_inverse(x, size=5), (ties(*S),)),
    ("unique_values", lambda x: jnp.unique_values(x, size=5, fill_value=0.5), (ties(*S),)),
    ("union1d", lambda x, y: jnp.union1d(x, y, size=6), (ties(4), ints(-3, 3, 3))),
    ("intersect1d", lambda x, y: jnp.intersect1d(x, y, size=3), (ties(5), ties(4))),
    ("intersect1d", lambda x, y: jnp.intersect1d(x, y, return_indices=True, size=3), (ties(5), ties(2, 2)),
     "indices"),
    ("setdiff1d", lambda x, y: jnp.setdiff1d(x, y, size=4), (ties(6), ties(3))),
    ("setdiff1d", lambda x, y: jnp.setdiff1d(x, y, assume_unique=True, size=4),
     (lambda rng: rng.permutation(6).astype(float), ints(0, 6, 3)), "assume-unique"),
    ("setxor1d", lambda x, y: jnp.setxor1d(x, y, size=5, fill_value=0), (ties(4), ties(4))),
    ("isin", jnp.isin, (ties(*S), ties(3))),
    ("isin", lambda x, y: jnp.isin(x, y, invert=True), (ints(0, 5, *S), ints(0, 5, 2, 2)), "invert"),
]

_FUNCTIONAL = [
    ("apply_along_axis", lambda x: jnp.apply_along_axis(lambda v: jnp.sum(v ** 2), 1, x), (normal(*S),)),
    ("apply_along_axis", lambda x: jnp.apply_along_axis(lambda v: jnp.outer(v, v[:2]), 0, x), (normal(3, 2, 4),),
     "matrix-result"),
    ("apply_over_axes", lambda x: jnp.apply_over_axes(jnp.sum, x, (0, 2)), (normal(2, 3, 4),)),
    ("piecewise", lambda x: jnp.piecewise(x, [x < 0, x > 1], [lambda v: -v, lambda v: v ** 2, 7.0]), (normal(*S),)),
    ("piecewise", lambda x: jnp.piecewise(x, [x < 0], [0, lambda v: v + 1]), (ints(-3, 3, *S),), "int"),
    ("vectorize", lambda x, y: jnp.vectorize(lambda a, b: a * jnp.sin(b) + 1)(x, y), (normal(*S), normal(4))),
    ("vectorize", lambda m, v: jnp.vectorize(lambda a, b: a @ b, signature="(n,k),(k)->(n)")(m, v),
     (normal(2, 3, 4), normal(4)), "signature"),
    ("vectorize", lambda x: jnp.vectorize(lambda a, p: a ** p, excluded={1})(x, 2), (normal(*S),), "excluded"),
    ("fill_diagonal", lambda x, v: jnp.fill_diagonal(x, v, inplace=False), (normal(3, 3), normal(2))),
    ("fill_diagonal", lambda x: jnp.fill_diagonal(x, 5.0, wrap=True, inplace=False), (normal(7, 3),), "wrap"),
    ("mask_indices", lambda x: x[jnp.mask_indices(4, jnp.triu, 1)], (normal(4, 4),)),
    ("packbits", jnp.packbits, (ints(0, 2, 2, 9),)),
    ("packbits", lambda x: jnp.packbits(x, axis=0, bitorder="little"), (ints(-2, 2, 11, 2),), "axis-little"),
    ("unpackbits", jnp.unpackbits, (ints(0, 256, 2, 2, dtype=np.uint8),)),
    ("unpackbits", lambda x: jnp.unpackbits(x, axis=1, count=-3, bitorder="little"),
     (ints(0, 256, 2, 2, dtype=np.uint8),), "count"),
]

_INDEX_TRICKS = [  # r_, c_, mgrid and ogrid are not callables; these check them under vmap anyway
    ("concatenate", lambda x, y: jnp.r_[x, 0, 1:3, y], (normal(3), normal(2)), "r_"),
    ("concatenate", lambda x, y: jnp.c_[x, y, 1:4], (normal(3), normal(3, 2)), "c_"),
    ("concatenate", lambda x: jnp.r_["0,2,0", x, x], (normal(3),), "r_-directive"),
    ("multiply", lambda x: jnp.mgrid[0:3, 0:4] * x, (normal(*S),), "mgrid"),
    ("add", lambda x: sum(jnp.ogrid[0:1:3j, 0:4]) + x, (normal(*S),), "ogrid"),
]

ROWS = _PREDICATES + _SETS + _FUNCTIONAL + _INDEX_TRICKS

_IO = "file input/output: eager only, no array result to batch"
_PRINT = "printing: eager only, returns text or print settings"
EXCLUDED = {
    **dict.fromkeys(("load", "save", "savez", "fromfile"), _IO),
    **dict.fromkeys(("array_repr", "array_str", "get_printoptions", "set_printoptions", "printoptions"), _PRINT),
    "frompyfunc": "calls a Python function on each element: eager only (use vectorize under transforms)",
    "ufunc": "the type numpy.ufunc (a name for isinstance checks), not a function of arrays",
}

# For test_numpy_grads.py: why these names have no row there.
_GRADS_HERE = "derivatives checked against finite differences in tests/numpy/test_functions_a.py (GRAD_CASES)"
_NOT_DIFFERENTIABLE = "boolean-, integer- or type-valued: nothing to differentiate"
GRAD_EXCLUDED = {
    **dict.fromkeys(("nan_to_num", "unique", "union1d", "apply_along_axis", "apply_over_axes", "piecewise", "vectorize",
                     "fill_diagonal", "r_", "astype"), _GRADS_HERE),
    **dict.fromkeys(("allclose", "isclose", "array_equal", "array_equiv", "iscomplex", "iscomplexobj", "isreal",
                     "isrealobj", "isscalar", "iterable", "isneginf", "isposinf", "isin", "mask_indices", "packbits",
                     "unpackbits", "mgrid", "ogrid"), _NOT_DIFFERENTIABLE),
    **dict.fromkeys(("unique_all", "unique_counts", "unique_inverse", "unique_values", "intersect1d", "setdiff1d",
                     "setxor1d"), "selections of sorted values as unique and union1d, whose derivatives are checked in "
                                  "tests/numpy/test_functions_a.py"),
    "c_": "the same concatenation as r_ (checked in tests/numpy/test_functions_a.py)",
    **EXCLUDED,
}
