"""What the hostile tests and the fuzz targets do with a file: read it as far as it goes, and
run everything a forum lead can run on it, letting only `PathwayError` out.

`exercise(text)` loads the text; if it loads, it runs `check`, draws the diagram (Mermaid, and
SVG with the checks' findings outlined) and builds the board report on an empty SQLite store.
Any exception that is not a `PathwayError` escapes, which is what the tests look for.
`run_bounded` runs a corpus file in a child process with a memory cap and a timeout, so a
file that breaks a limit cannot take the test process down with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from pathways.board import build_report
from pathways.board.period import parse_period
from pathways.checks import check
from pathways.definition.loader import load_text
from pathways.diagram import render
from pathways.errors import PathwayError
from pathways.store import JourneyStore

__all__ = ["Outcome", "exercise", "run_bounded"]

_MADE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_PERIOD = parse_period("2025Q4")
_SRC = Path(__file__).resolve().parents[2] / "src"


@cache
def _store_url() -> str:
    """One empty journey store for the whole run (made once: migrations are slow)."""
    folder = Path(tempfile.mkdtemp(prefix="pathways-hostile-"))
    url = f"sqlite:///{folder / 'empty.sqlite3'}"
    with JourneyStore(url):
        pass
    return url


def exercise(text: str, *, report: bool = True, picture: bool = True) -> str:
    """Load `text` and, if it loads, check it, draw it and report on it.

    Returns the first problem code when the file is refused, "loaded" otherwise. Only a
    `PathwayError` is caught; anything else is a bug and escapes.
    """
    try:
        pathway = load_text(text, path="<fuzz>")
    except PathwayError as exc:
        problems = getattr(exc, "problems", ())
        return problems[0].code if problems else type(exc).__name__
    for stage in (
        lambda: check(pathway),
        lambda: render(pathway, "mermaid", highlight_findings=True),
        lambda: render(pathway, "svg", highlight_findings=True) if picture else None,
    ):
        with suppress(PathwayError):
            stage()
    if report:
        with suppress(PathwayError), JourneyStore(_store_url(), upgrade=False) as store:
            build_report(store, [pathway], _PERIOD, at=_MADE, diagram=picture)
    return "loaded"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a bounded run of one file gave: the code, or how the child process failed."""

    code: str | None
    seconds: float
    peak_mib: float
    returncode: int
    stderr: str


_CHILD = """
import json, resource, sys, time
limit = {memory} * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path[:0] = [{src!r}, {tests!r}]
from hostile.helpers import exercise
text = open({path!r}, encoding="utf-8", errors="surrogateescape").read()
began = time.perf_counter()
code = exercise(text, report=False, picture={picture!r})
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"code": code, "seconds": seconds, "peak_mib": peak}}))
"""


def run_bounded(path: Path, *, memory_mib: int, seconds: float, picture: bool = False) -> Outcome:
    """Exercise the file at `path` in a child process limited to `memory_mib` of address space
    and `seconds` of wall time; a timeout or a crash is an `Outcome` with no code."""
    script = _CHILD.format(
        memory=memory_mib,
        src=str(_SRC),
        tests=str(_SRC.parent / "tests"),
        path=str(path),
        picture=picture,
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(None, seconds, 0.0, -1, "timed out")
    if done.returncode != 0:
        return Outcome(None, 0.0, 0.0, done.returncode, done.stderr[-2000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Outcome(result["code"], result["seconds"], result["peak_mib"], 0, done.stderr)
