"""Benchmark: how long `pathways validate` takes to start, against importing what it builds on.

Run with `.venv/bin/python benchmarks/bench_startup.py [--runs N] [--importtime]`. Each figure
is the wall time of a fresh interpreter, measured in the same run with the runs interleaved:

1. `pathways validate pathways/humber/hull.yaml` (the command a forum lead runs most);
2. `import pathways` alone;
3. the baseline, `python -c "import pydantic, yaml"`: the libraries validating a file needs.

It prints the median of each, the ratio of (1) to (3), and whether the target (at most 4x) is
met. With `--importtime` it also prints the slowest imports of the validate run
(`python -X importtime`, cumulative), which is where to look when the ratio grows.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = str(ROOT / "src")
TARGET = 4.0

# The `pathways` console script, run from this checkout's source.
PATHWAYS = (
    f"import sys; sys.path.insert(0, {SRC!r}); from pathways.cli import main; sys.exit(main())"
)

COMMANDS = {
    "pathways validate pathways/humber/hull.yaml": [
        "-c",
        PATHWAYS,
        "validate",
        "pathways/humber/hull.yaml",
    ],
    "import pathways": ["-c", f"import sys; sys.path.insert(0, {SRC!r}); import pathways"],
    'python -c "import pydantic, yaml" (baseline)': ["-c", "import pydantic, yaml"],
}


def wall_time(arguments: list[str]) -> float:
    """Seconds for a fresh interpreter to run `arguments` (and exit with status 0)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, *arguments], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def slowest_imports(arguments: list[str], count: int = 15) -> list[tuple[int, str]]:
    """The `count` imports with the largest cumulative time (microseconds) in one run."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *arguments],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    timings: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) == 3 and fields[1].strip().isdigit():
            timings.append((int(fields[1]), fields[2].rstrip()))
    return sorted(timings, reverse=True)[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--importtime", action="store_true", help="show the slowest imports")
    args = parser.parse_args()

    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for arguments in COMMANDS.values():  # warm the file cache and the bytecode
        wall_time(arguments)
    for _ in range(args.runs):
        for name, arguments in COMMANDS.items():
            times[name].append(wall_time(arguments))

    print(f"wall time of a fresh interpreter, median of {args.runs} interleaved runs")
    medians = {name: statistics.median(runs) for name, runs in times.items()}
    for name, median in medians.items():
        print(f"  {median:6.3f} s  {name}")
    validate, _, baseline = medians.values()
    ratio = validate / baseline
    verdict = "met" if ratio <= TARGET else "not met"
    print(f"validate / baseline: {ratio:.1f}x (target: at most {TARGET:g}x): {verdict}")

    if args.importtime:
        print("slowest imports of the validate run (cumulative, one run):")
        for micros, module in slowest_imports(next(iter(COMMANDS.values()))):
            print(f"  {micros / 1e6:6.3f} s  {module}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
