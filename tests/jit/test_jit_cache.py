"""The disk cache of compiled code: a later process does not recompile, the key covers the
versions, concurrent processes share one cache, and forked workers can use jitted functions.

Processes cost seconds each (imports and compiles), so there are few: each test runs fresh
Python processes with JAXLITE_CACHE_DIR set to its own temporary directory. A process reports, as JSON, its result, the time of its first call (after imports)
and Numba's cache hit and miss counts for the kernels it ran.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite.transforms.numba import cache

REPO = Path(__file__).resolve().parents[2]

# x in [-1, 1]: a fused elementwise chain, reductions of one block (7 and 210 values) and of
# several (4900: NumPy's pairwise tree), a sort and a gather in one program.
PROGRAM = textwrap.dedent("""
    import json, sys, time
    import numba  # imported first, so the first call's time is compile or cache load only
    import numpy as np
    import jaxlite
    import jaxlite.numpy as jnp

    def f(x, i):
        y = jnp.sort(jnp.tanh(x) * 2.0 + 1.0)
        return y[i] + jnp.sum(x * x) + jnp.sum(jnp.tile(x, 30) ** 2) + jnp.sum(jnp.tile(x, 700) * 1.5)

    x, i = np.linspace(-1.0, 1.0, 7), np.array([0, 3, 6])
    jitted = jaxlite.jit(f)
    start = time.perf_counter()
    out = jitted(x, i)
    first_call = time.perf_counter() - start
    run = jitted.lower(x, i).compile().run
    kernels = [v for k, v in run.__globals__.items() if k.startswith("kernel_")]
    print(json.dumps({
        "out": np.asarray(out).tolist(),
        "first_call": first_call,
        "hits": sum(sum(k.stats.cache_hits.values()) for k in kernels),
        "misses": sum(sum(k.stats.cache_misses.values()) for k in kernels),
        "kernels": len(kernels),
    }))
""")


def expected_output():
    x, i = np.linspace(-1.0, 1.0, 7), np.array([0, 3, 6])
    y = np.sort(np.tanh(x) * 2.0 + 1.0)[i]
    return (y + np.sum(x * x) + np.sum(np.tile(x, 30) ** 2) + np.sum(np.tile(x, 700) * 1.5)).tolist()


def _env(cache_dir, log_compiles=False):
    env = dict(os.environ, JAXLITE_CACHE_DIR=str(cache_dir), PYTHONPATH=str(REPO))
    env.pop("JAXLITE_LOG_COMPILES", None)
    if log_compiles:
        env["JAXLITE_LOG_COMPILES"] = "1"
    return env


def start(script, cache_dir, log_compiles=False):
    return subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env=_env(cache_dir, log_compiles),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process, timeout=300):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1]), err


def cache_files(cache_dir):
    return sorted(str(p.relative_to(cache_dir)) for p in Path(cache_dir).rglob("*") if p.is_file())


def test_processes_share_one_cache_and_later_ones_load_from_it(tmp_path):
    """Two processes compile at the same time into one cache directory (one of them logging
    its compiles: JAXLITE_LOG_COMPILES=1); a third loads every kernel from it."""
    together = [start(PROGRAM, tmp_path, log_compiles=True), start(PROGRAM, tmp_path)]
    (logged, log), (other, quiet) = [finish(p) for p in together]
    for r in (logged, other):
        assert np.allclose(r["out"], expected_output())
        assert r["kernels"] >= 1 and r["hits"] + r["misses"] == r["kernels"]
    assert "jit(f)" in log and "first call" in log, log
    assert "jit(f)" not in quiet, quiet
    files = cache_files(tmp_path)
    modules = [f for f in files if f.startswith("jl_") and f.endswith(".py")]
    assert len(modules) == 1, files
    assert any(f.endswith(".nbi") for f in files), files  # Numba's index beside the module
    assert not [f for f in files if Path(f).name.startswith(".tmp_")], files  # no leftovers

    later, _ = finish(start(PROGRAM, tmp_path))
    assert later["out"] == logged["out"]
    assert later["hits"] == later["kernels"] and later["misses"] == 0
    assert cache_files(tmp_path) == files, "the later process wrote new cache files"
    assert later["first_call"] < max(logged["first_call"], other["first_call"])


FORKED = textwrap.dedent("""
    import json, multiprocessing as mp
    import numpy as np
    import jaxlite
    import jaxlite.numpy as jnp

    f = jaxlite.jit(lambda x: jnp.cumsum(jnp.sin(x)) * 2.0)

    def work(n):
        return np.asarray(f(np.arange(n, dtype=np.float64))).tolist()

    if __name__ == "__main__":
        ctx = mp.get_context("fork")
        work(3)  # compiled in the parent before forking
        with ctx.Pool(2) as pool:
            got = pool.map(work, [3, 3])
        with ctx.Pool(2) as pool:  # a new shape, compiled by both children at the same time
            fresh = pool.map(work, [10, 10], chunksize=1)
        print(json.dumps({"got": got, "fresh": fresh}))
""")


def test_forked_workers_use_a_jitted_function(tmp_path):
    result, _ = finish(start(FORKED, tmp_path))

    def want(n):
        return (np.cumsum(np.sin(np.arange(float(n)))) * 2.0).tolist()

    assert [np.allclose(g, want(3)) for g in result["got"]] == [True, True]
    assert [np.allclose(g, want(10)) for g in result["fresh"]] == [True, True]


# ---------------------------------------------------------------- the key


SOURCE = "def run(x):\n    return [x + 1]\n"


@pytest.fixture
def cache_dir(tmp_path):
    """The cache directory set to a temporary one (config jaxlite_cache_dir) for one test."""
    old = jaxlite.config.jaxlite_cache_dir
    jaxlite.config.update("jaxlite_cache_dir", str(tmp_path))
    yield tmp_path
    jaxlite.config.update("jaxlite_cache_dir", old)


def _modules(directory):
    return sorted(p.name for p in Path(directory).glob("jl_*.py"))


def test_same_source_and_versions_reuse_one_file(cache_dir):
    a = cache.load_module(SOURCE, "v1")
    b = cache.load_module(SOURCE, "v1")
    assert a.run(1) == b.run(1) == [2]
    assert len(_modules(cache_dir)) == 1


@pytest.mark.parametrize("change", ["codegen", "source", "numba", "llvmlite", "numpy"])
def test_key_changes_with_the_source_and_every_version(cache_dir, monkeypatch, change):
    cache.load_module(SOURCE, "v1")
    source, version = SOURCE, "v1"
    if change == "codegen":
        version = "v2"
    elif change == "source":
        source = SOURCE.replace("+ 1", "+ 2")
    else:
        module = {"numba": cache.numba, "llvmlite": cache.llvmlite, "numpy": cache.np}[change]
        monkeypatch.setattr(module, "__version__", module.__version__ + ".post1")
    cache.load_module(source, version)
    assert len(_modules(cache_dir)) == 2


def test_disabled_cache_compiles_in_memory(cache_dir):
    jaxlite.config.update("jaxlite_cache_dir", "")
    module = cache.load_module(SOURCE, "v1")
    assert module.run(1) == [2]
    assert _modules(cache_dir) == []


def test_generated_modules_import_only_the_helpers_they_use():
    from jaxlite.transforms.numba import compiler

    x = jnp.arange(4.0)
    plain = jaxlite.jit(lambda x: x * 2 + 1).lower(x).as_text()
    assert "import jaxlite.transforms.numba" not in plain  # nothing to import for two operators
    reduced = jaxlite.jit(lambda x: jnp.sum(x * 2)).lower(x).as_text()
    assert "import jaxlite.transforms.numba.scalar_helpers as sh" in reduced
    assert "array_helpers" not in reduced and "vmath" not in reduced
    # the helper modules a kernel uses, and only those, are in its cache key (it inlines them)
    assert compiler._helpers_version(("sh",)).split("|")[1:] == [f"sh:{compiler._helper_digest('scalar_helpers')}"]
    assert compiler._helpers_version(()) == compiler.CODEGEN_VERSION
