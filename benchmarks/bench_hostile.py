"""Benchmark: the worst legal files, against the target of 1 GB and 30 s for `pathways check`.

Run with `.venv/bin/python benchmarks/bench_hostile.py`. Each case is a file built to cost as
much as the limits allow (`definition.located.Limits` when reading, `too-much-work` after
loading, the pixel budget when drawing). Each runs in its own child process, which loads the
file and runs `check` on it (or draws it); the child reports the time taken and its peak memory
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`, which includes Python and the imports). A case
meets the target if it is loaded and checked (or drawn) within 30 s and 1 GB.

Recorded on the 2-core development machine (December 2026), every case met the target: the
slowest was the 16,000-stage file, 10.6 s and 259 MiB (most of it reading 3.9 MB of YAML); the
65,536-profile cases took 1-2 s and under 80 MiB; the PNG just under the pixel budget 7.3 s and
310 MiB. Before the limits, a 19 KB file of 65,536 profiles and 80 agencies took 118 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_loader import generated  # noqa: E402

from hostile.builders import chain_pathway  # noqa: E402

TARGET_SECONDS = 30.0
TARGET_MIB = 1024.0

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {src!r})
from pathways.checks import check
from pathways.definition.loader import load_text
from pathways.errors import PathwayError
began = time.perf_counter()
try:
    pathway = load_text(open({path!r}, encoding="utf-8").read())
    if {draw!r}:
        from pathways.diagram import render
        render(pathway, "png")
    else:
        check(pathway)
    result = "done"
except PathwayError as exc:
    problems = getattr(exc, "problems", ())
    result = problems[0].code if problems else type(exc).__name__
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"result": result, "seconds": seconds, "peak_mib": peak}}))
"""


def chain(agencies: int, flags: int, stages: int) -> str:
    """A chain of `stages` stages over `agencies` agencies with a handoff back from each, and a
    profile of `flags` flags (2**flags profiles), as the hostile tests build it."""
    return json.dumps(chain_pathway(agencies=agencies, flags=flags, stages=stages))


def lanes(count: int) -> str:
    """`count` stages in a chain, each in its own agency's lane: the picture grows with the
    square of `count`."""
    return chain(agencies=count, flags=1, stages=count)


# name, the file, whether to draw a PNG instead of running check
CASES: list[tuple[str, Callable[[], str], bool]] = [
    ("65,536 profiles, 25 agencies, 11 stages", lambda: chain(24, 16, 11), False),
    ("65,536 profiles, 2 agencies, 85 stages", lambda: chain(2, 16, 85), False),
    ("65,536 profiles, 60 agencies, 5 stages", lambda: chain(60, 16, 5), False),
    ("1,024 profiles, 16 agencies, 950 stages", lambda: chain(16, 10, 950), False),
    ("16,000-stage file (3.9 MB)", lambda: generated(16_000), False),
    ("PNG just under the pixel budget", lambda: lanes(27), True),
]


def run(text: str, draw: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "worst.yaml"
        path.write_text(text, encoding="utf-8")
        script = _CHILD.format(src=str(ROOT / "src"), path=str(path), draw=draw)
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        return {"result": f"crashed: {done.stderr[-300:]}", "seconds": 0.0, "peak_mib": 0.0}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    print(f"target: check within {TARGET_SECONDS:.0f} s and {TARGET_MIB:,.0f} MiB")
    for name, make, draw in CASES:
        text = make()
        got = run(text, draw)
        met = got["seconds"] <= TARGET_SECONDS and got["peak_mib"] <= TARGET_MIB
        verdict = "met" if met and got["result"] == "done" else "not met"
        print(
            f"{name:42} {len(text.encode()) / 1024:8,.0f} KB  {got['result']:16}"
            f"{got['seconds']:7.1f} s {got['peak_mib']:8,.0f} MiB  {verdict}"
        )


if __name__ == "__main__":
    main()
