"""vmap/jit rows for the functions of jaxlite/numpy (being written); see test_vmap_numpy.py."""

ROWS = []  # (name, fun, gens[, label[, covers]]): gens are rng -> ndarray generators
EXCLUDED = {}  # name -> reason it has no row
