"""The shared benchmark harness: time zero-arg callables, print a ratio table, dump JSON.

    from harness import Benchmark, has_module, main

    bench = Benchmark("eager_overhead", baseline="numpy")
    bench.add("add", 10, numpy=lambda: np.add(a, b), jaxlite=lambda: jnp.add(ja, jb),
              jax=(lambda: jax_add(xa, xb)) if has_module("jax") else None,
              target=[("jaxlite", "<=", 1.5e-6, "s"), ("jaxlite", "<=", 5.0, "x")])
    results = bench.run()   # times every case, prints the table, returns a plain dict

A case is a workload name and a size (an int or a short label) with implementations, each a
zero-arg callable; None leaves one out, one that raises shows as "err". A target
(impl, op, value, unit) compares impl's seconds per call (unit "s") or its ratio to the
baseline (unit "x") using op in <=, <, >=, >; it is shown as ok/MISS and never fails anything.

Timing: warm-up calls, then a loop count chosen (like timeit's autorange) so that one repeat
lasts >= SETTINGS.min_time; the repeats of a case's implementations are interleaved so drift
hits all alike; the median per call is reported. Times include the call of the zero-arg
callable itself (a few tens of ns). The garbage collector is off while timing.
"""
import argparse
import contextlib
import functools
import gc
import importlib
import importlib.metadata
import itertools
import json
import operator
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
if REPO_ROOT not in sys.path:  # benchmark the working tree, from any cwd
    sys.path.insert(1, REPO_ROOT)


@dataclass
class Settings:
    warmup: int = 3         # untimed calls before measuring
    repeat: int = 7         # timed repeats; the median is reported
    min_time: float = 0.02  # seconds one repeat should last at least
    quick: bool = False
    out = None  # where tables go, None = sys.stdout (a class attribute: not in the JSON)


SETTINGS = Settings()


def configure(quick=False, out=None):
    """Set the global timing settings; quick=True is a fast, noisier smoke run."""
    SETTINGS.quick = quick
    SETTINGS.warmup, SETTINGS.repeat, SETTINGS.min_time = (1, 3, 0.002) if quick else (3, 7, 0.02)
    SETTINGS.out = out


@functools.lru_cache(maxsize=None)
def has_module(name):
    """True if `name` imports cleanly; use it to include optional columns (jax, autograd)."""
    try:
        importlib.import_module(name)
        return True
    except Exception:  # a broken install counts as absent
        return False


def _loop(fn, number):
    """Seconds taken by `number` calls of fn, with the garbage collector off."""
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in itertools.repeat(None, number):
            fn()
        return time.perf_counter() - t0
    finally:
        if gc_was_on:
            gc.enable()


def autorange(fn, min_time=None):
    """A loop count for which `number` calls of fn take at least min_time seconds."""
    min_time = SETTINGS.min_time if min_time is None else min_time
    number = 1
    while True:
        t = _loop(fn, number)
        if t >= min_time:
            return number
        number = int(number * min(10.0, 1.2 * min_time / max(t, 1e-9))) + 1


def _prepare(fn):
    """Warm fn up, then return its loop count."""
    for _ in range(max(1, SETTINGS.warmup)):
        fn()
    return autorange(fn)


def timeit(fn):
    """Median seconds per call of the zero-arg callable fn, with the current SETTINGS."""
    number = _prepare(fn)
    return statistics.median(_loop(fn, number) / number for _ in range(SETTINGS.repeat))


_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


_MU = "µ" if "utf" in (getattr(sys.stdout, "encoding", None) or "").lower() else "u"


def fmt_time(seconds):
    """1.23e-6 -> '1.23µs' (ns, µs, ms or s, about three significant digits)."""
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), (_MU + "s", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            v = seconds / scale
            return (f"{v:.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}") + unit


def _fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}x" if r < 10 else f"{r:.1f}x"


def _fmt_target(t):
    value = f"{t['value']:g}x" if t["unit"] == "x" else fmt_time(t["value"])
    verdict = "?" if t["ok"] is None else "ok" if t["ok"] else "MISS"
    return f"{t['impl']}{t['op']}{value} {verdict}"


class Benchmark:
    """A named group of cases, timed and printed together by run()."""

    def __init__(self, name, baseline="numpy"):
        self.name, self.baseline, self.cases = name, baseline, []

    def add(self, case, size, target=(), **impls):
        """Add a case; impls maps implementation name -> zero-arg callable (None = skip)."""
        targets = [target] if target and isinstance(target[0], str) else list(target)
        for impl, op, _value, unit in targets:
            if op not in _OPS or unit not in ("s", "x"):
                raise ValueError(f"bad target for {impl}: op {op!r}, unit {unit!r}")
        impls = {k: f for k, f in impls.items() if f is not None}
        self.cases.append((case, size, impls, targets))

    def run(self):
        """Time every case, print the table, and return the results as a JSON-able dict."""
        rows = [self._measure(*c) for c in self.cases]
        result = {"name": self.name, "baseline": self.baseline, "settings": asdict(SETTINGS),
                  "cases": rows}
        self.print_table(result, file=SETTINGS.out or sys.stdout)
        return result

    def _measure(self, case, size, impls, targets):
        times, errors, numbers = {}, {}, {}
        for impl, fn in impls.items():
            try:
                numbers[impl], times[impl] = _prepare(fn), []
            except Exception as e:  # report, never fail
                errors[impl] = f"{type(e).__name__}: {e}"
        for _ in range(SETTINGS.repeat):
            for impl in times:
                times[impl].append(_loop(impls[impl], numbers[impl]) / numbers[impl])
        times = {impl: statistics.median(ts) for impl, ts in times.items()}
        base = times.get(self.baseline)
        ratios = {impl: (t / base if base else None)
                  for impl, t in times.items() if impl != self.baseline}
        checked = []
        for impl, op, value, unit in targets:
            actual = times.get(impl) if unit == "s" else ratios.get(impl)
            checked.append({"impl": impl, "op": op, "value": value, "unit": unit,
                            "actual": actual,
                            "ok": None if actual is None else _OPS[op](actual, value)})
        return {"case": case, "size": size, "times": times, "ratios": ratios,
                "loops": numbers, "errors": errors, "targets": checked}

    @staticmethod
    def print_table(result, file=None):
        """Print a result dict (as returned by run) as a plain-text table."""
        file = file or sys.stdout
        rows, base = result["cases"], result["baseline"]
        impls = list(dict.fromkeys([base] + [i for r in rows for i in (*r["times"], *r["errors"])]))
        others = [i for i in impls if i != base]
        has_targets = any(r["targets"] for r in rows)
        header = (["case", "size"] + impls + [f"{i}/{base}" for i in others]
                  + (["targets"] if has_targets else []))
        table = []
        for r in rows:
            size = f"{r['size']:,}" if isinstance(r["size"], int) else str(r["size"])
            cells = [str(r["case"]), size]
            cells += ["err" if i in r["errors"] else fmt_time(r["times"].get(i)) for i in impls]
            cells += [_fmt_ratio(r["ratios"].get(i)) for i in others]
            if has_targets:
                cells.append(", ".join(_fmt_target(t) for t in r["targets"]))
            table.append(cells)
        widths = [max(len(row[j]) for row in [header] + table) for j in range(len(header))]
        left = {0, len(header) - 1} if has_targets else {0}

        def line(cells):
            return " | ".join(c.ljust(w) if j in left else c.rjust(w)
                              for j, (c, w) in enumerate(zip(cells, widths))).rstrip()

        s = result["settings"]
        print(f"\n== {result['name']} (median of {s['repeat']}, >= {fmt_time(s['min_time'])}"
              f" per repeat{', quick' if s['quick'] else ''}) ==", file=file)
        print(line(header), file=file)
        print("-+-".join("-" * w for w in widths), file=file)
        for cells in table:
            print(line(cells), file=file)
        for r in rows:
            for impl, msg in r["errors"].items():
                print(f"  err: {r['case']} [{r['size']}] {impl}: {msg}", file=file)
        file.flush()


def _version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:  # e.g. jaxlite from the working tree
        return getattr(sys.modules.get(dist), "__version__", None)


def _git_commit():
    try:
        return subprocess.run(["git", "-C", REPO_ROOT, "describe", "--always", "--dirty"],
                              capture_output=True, text=True, timeout=5).stdout.strip() or None
    except Exception:
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            return next(r.split(":", 1)[1].strip() for r in f if r.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or None


def machine_info():
    """Versions and machine facts worth keeping next to a timing."""
    env = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
           "MKL_NUM_THREADS", "NUMBA_NUM_THREADS", "NUMBA_DISABLE_JIT")
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "python": platform.python_version(), "platform": platform.platform(),
            "cpu": _cpu_model(), "cpu_count": os.cpu_count(),
            "versions": {d: _version(d) for d in ("numpy", "numba", "jax", "jaxlib",
                                                  "autograd", "jaxlite")},
            "jaxlite_commit": _git_commit(),
            "env": {k: os.environ[k] for k in env if k in os.environ}}


def write_json(results, path="-"):
    """Write {"machine", "settings", "benchmarks": results} to path ('-' is stdout)."""
    doc = {"machine": machine_info(), "settings": asdict(SETTINGS), "benchmarks": results}
    with (open(path, "w") if path != "-" else contextlib.nullcontext(sys.stdout)) as f:
        json.dump(doc, f, indent=2, default=str)
        f.write("\n")
    return doc


def make_parser(description=None):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="fewer, shorter repeats (smoke run)")
    p.add_argument("--json", nargs="?", const="-", metavar="PATH",
                   help="write results as JSON to PATH (stdout if no PATH; tables go to stderr)")
    return p


def main(run, argv=None, description=None):
    """The command line of one module: python benchmarks/NAME.py [--quick] [--json [PATH]]."""
    args = make_parser(description).parse_args(argv)
    configure(quick=args.quick, out=sys.stderr if args.json == "-" else None)
    result = run()
    results = result if isinstance(result, list) else [result]
    if args.json is not None:
        write_json(results, args.json)
    return results
