"""Run the official Array API test suite against jaxlite.numpy.

    python conformance/run.py [--max-examples N] [--files FILE ...] [--no-shrink] [-- extra pytest args]

The suite lives outside this repository; its path comes from ARRAY_API_TESTS_DIR (see README.md).
Writes conformance/report.json and ends by printing `N passed, N failed, N skipped`.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
XFAILS = HERE / "xfails.txt"
REPORT = HERE / "report.json"

MODULE = "jaxlite.numpy"
API_VERSION = "2025.12"
EXTENSIONS = ("linalg", "fft")

GET_THE_SUITE = (
    "Set ARRAY_API_TESTS_DIR to a clone of https://github.com/data-apis/array-api-tests with its\n"
    "`array-api` submodule checked out at the commit the suite pins:\n"
    "    git clone https://github.com/data-apis/array-api-tests\n"
    "    git -C array-api-tests submodule update --init\n"
    "    export ARRAY_API_TESTS_DIR=$PWD/array-api-tests\n"
    "and install its test requirements: pip install -e '.[conformance]' (or its requirements.txt)."
)


class ConformanceError(Exception):
    pass


def suite_dir():
    path = os.environ.get("ARRAY_API_TESTS_DIR")
    if not path:
        raise ConformanceError("ARRAY_API_TESTS_DIR is not set.\n" + GET_THE_SUITE)
    suite = Path(path).expanduser().resolve()
    if not (suite / "array_api_tests").is_dir():
        raise ConformanceError(f"ARRAY_API_TESTS_DIR={path} holds no array_api_tests/ folder.\n" + GET_THE_SUITE)
    if not (suite / "array-api" / "src").is_dir():
        raise ConformanceError(f"{suite}/array-api is empty: its submodule is not checked out.\n" + GET_THE_SUITE)
    return suite


def read_xfails(path=XFAILS):
    """Test ids of conformance/xfails.txt; each line is `test-id  # reason`, and the reason is required."""
    ids = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        test_id, _, reason = line.partition("#")
        if not reason.strip():
            raise ConformanceError(f"{path}:{number}: `{line.strip()}` gives no `# reason`")
        ids.append(test_id.strip())
    return ids


def missing_extensions():
    sys.path.insert(0, str(REPO))
    import jaxlite.numpy as jnp

    return [ext for ext in EXTENSIONS if not hasattr(jnp, ext)]


def pytest_command(args, xfails_file, skips_file):
    targets = [f"array_api_tests/{f}" for f in args.files] or ["array_api_tests"]
    plugins = ["-p", "_no_shrink"] if args.no_shrink else []
    return [
        sys.executable, "-m", "pytest", *targets,
        f"--max-examples={args.max_examples}",
        "--disable-deadline",  # timing on a shared machine is noise, not conformance
        f"--xfails-file={xfails_file}",
        f"--skips-file={skips_file}",  # never pick up a skips.txt lying in the suite checkout
        "--json-report", f"--json-report-file={args.report}",
        "-p", "no:xdist", "-q", "-rN", "--tb=line", "--no-header",
        *plugins, *args.pytest_args,
    ]


def environment():
    env = dict(os.environ)
    env["ARRAY_API_TESTS_MODULE"] = MODULE
    env["ARRAY_API_TESTS_VERSION"] = API_VERSION
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def counts(report):
    """(passed, failed, skipped) from a pytest-json-report summary; xfailed counts as failed."""
    s = report["summary"]
    passed = s.get("passed", 0) + s.get("xpassed", 0)
    failed = s.get("failed", 0) + s.get("error", 0) + s.get("xfailed", 0)
    return passed, failed, s.get("skipped", 0)


def skip_reasons(report):
    reasons = collections.Counter()
    for test in report.get("tests", []):
        if test["outcome"] == "skipped":
            longrepr = (test.get("setup") or {}).get("longrepr") or (test.get("call") or {}).get("longrepr") or ""
            # longrepr reads "('path', line, 'Skipped: reason')"
            reason = re.search(r"Skipped: (.*?)['\"]?\)?$", str(longrepr))
            reasons[reason.group(1) if reason else str(longrepr)] += 1
    return reasons


def parse_args(argv):
    if "--" in argv:
        split = argv.index("--")
        argv, extra = argv[:split], argv[split + 1:]
    else:
        extra = []
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=100, help="Hypothesis examples per test (default 100)")
    parser.add_argument("--files", nargs="+", default=[], metavar="FILE",
                        help="run only these suite files, e.g. test_linalg.py (default: the whole suite)")
    parser.add_argument("--no-shrink", action="store_true",
                        help="report the first failing example found, unshrunk (much faster when many tests fail)")
    parser.add_argument("--report", type=Path, default=REPORT, help="JSON report path (default conformance/report.json)")
    args = parser.parse_args(argv)
    args.pytest_args = extra
    args.report = args.report.resolve()
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        suite = suite_dir()
        xfail_ids = read_xfails()
    except ConformanceError as error:
        print(f"conformance: {error}", file=sys.stderr)
        return 2
    for ext in missing_extensions():
        print(f"conformance: WARNING jaxlite.numpy has no `{ext}`: the suite skips its tests", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        xfails_file, skips_file = Path(tmp, "xfails.txt"), Path(tmp, "skips.txt")
        xfails_file.write_text("".join(f"{i}\n" for i in xfail_ids))
        skips_file.write_text("")
        command = pytest_command(args, xfails_file, skips_file)
        code = subprocess.call(command, cwd=suite, env=environment())
    if not args.report.exists():
        print(f"conformance: pytest wrote no report (exit code {code})", file=sys.stderr)
        return code or 1
    report = json.loads(args.report.read_text())
    summary = report["summary"]
    for reason, n in skip_reasons(report).most_common():
        print(f"  skipped {n}: {reason}")
    if summary.get("xfailed") or summary.get("xpassed"):
        print(f"  ({summary.get('xfailed', 0)} xfailed per conformance/xfails.txt, {summary.get('xpassed', 0)} xpassed)")
    passed, failed, skipped = counts(report)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return code


if __name__ == "__main__":
    sys.exit(main())
