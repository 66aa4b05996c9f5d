"""A first look at jaxlite: NumPy code, and the program it records.

Run: python examples/quickstart.py
"""

import numpy

import jaxlite
import jaxlite.numpy as np


def softplus_sum(x, scale):
    """Ordinary NumPy code, written against jaxlite.numpy."""
    return np.sum(np.log1p(np.exp(x * scale)))


x = np.linspace(-2.0, 2.0, 5)
print("jaxlite.numpy works like NumPy:")
print("  x              =", x)
print("  softplus_sum   =", softplus_sum(x, 0.5))
print("  NumPy's result =", numpy.sum(numpy.log1p(numpy.exp(numpy.asarray(x) * 0.5))))

y = np.zeros(3)
y[1] = 5.0  # item assignment, as in NumPy
y += 1
print("  item assignment and +=:", y)

print("\nThe same function traced into a jaxpr, the program that transforms rewrite:")
print(jaxlite.make_jaxpr(softplus_sum)(x, 0.5))

print("\nPytrees (nested tuples, lists, dicts) go in and come out:")
params = {"w": np.ones((2, 3)), "b": np.zeros(3)}
print(jaxlite.make_jaxpr(lambda p, v: np.tanh(v @ p["w"] + p["b"]))(params, np.ones(2)))

print("\nDerivatives, exact and to any order:")
print("  grad(softplus_sum)(x, 0.5) =", jaxlite.grad(softplus_sum)(x, 0.5))
print("  d/dscale                   =", jaxlite.grad(softplus_sum, argnums=1)(x, 0.5))
print("  second derivative of sin at 1.0 =", jaxlite.grad(jaxlite.grad(np.sin))(1.0), "(-sin(1.0))")

print("\nValue-dependent Python control flow inside a trace is reported clearly:")
try:
    jaxlite.make_jaxpr(lambda v: v if v.sum() > 0 else -v)(x)
except jaxlite.TracerBoolConversionError as err:
    print("  TracerBoolConversionError:", str(err).split(".")[0] + ".")
