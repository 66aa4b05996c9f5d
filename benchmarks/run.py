"""Run jaxlite's benchmarks.

    python benchmarks/run.py                      # every benchmark module in benchmarks/
    python benchmarks/run.py eager_overhead       # only the named ones
    python benchmarks/run.py --quick              # fewer, shorter repeats (smoke run)
    python benchmarks/run.py --json results.json  # also write all results as JSON
    python benchmarks/run.py --json               # JSON to stdout, tables to stderr

Convention: a benchmark is a module `benchmarks/<name>.py` (not starting with "_") that
defines `run()`, which builds one or more `harness.Benchmark`s, calls their `run()` and
returns the result (a dict) or a list of results; importing the module must do no timing.
It ends with `if __name__ == "__main__": harness.main(run)` so that it also runs alone.

A module that fails to import or run is reported, the others still run, and the exit status
is 1; slow results (missed targets) never change the exit status.
"""
import os
import sys
import traceback

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)

import harness  # noqa: E402

NOT_BENCHMARKS = {"run", "harness"}


def discover():
    """Names of the benchmark modules in benchmarks/, sorted."""
    return sorted(f[:-3] for f in os.listdir(BENCH_DIR)
                  if f.endswith(".py") and not f.startswith("_") and f[:-3] not in NOT_BENCHMARKS)


def main(argv=None):
    parser = harness.make_parser(__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="benchmark modules to run (default: all)")
    args = parser.parse_args(argv)
    available = discover()
    if args.json in available:  # `run.py --json eager_overhead`: the name is not a path
        args.names.append(args.json)
        args.json = "-"
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; "
                     f"available: {', '.join(available)}")
    harness.configure(quick=args.quick, out=sys.stderr if args.json == "-" else None)
    results, failed = [], []
    for name in args.names or available:
        try:
            module = __import__(name)
            result = module.run()
        except Exception:
            failed.append(name)
            print(f"\n== {name} FAILED ==\n{traceback.format_exc()}", file=sys.stderr)
            results.append({"name": name, "error": traceback.format_exc(limit=3)})
            continue
        results.extend(result if isinstance(result, list) else [result])
    if args.json is not None:
        harness.write_json(results, args.json)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
