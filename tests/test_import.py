"""`import jaxlite` stays light: Numba and SciPy load on first use (jit, lu/eig/triangular
solves), not at import (they take over a second together), so eager NumPy-style scripts start fast."""

import subprocess
import sys


def test_import_does_not_load_numba_or_scipy():
    script = ("import sys, jaxlite, jaxlite.numpy as jnp, jaxlite.numpy.linalg, jaxlite.numpy.fft, jaxlite.lax; "
              "jnp.sin(jnp.ones(3)); print(sorted(m for m in ('numba', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
