"""Coverage-guided fuzzing of everything a forum lead can run on a file (atheris, libFuzzer).

Each input is read as a pathway file; if it loads, it is checked, drawn (Mermaid and SVG with
the checks' findings) and reported on (the board report, on an empty SQLite store), exactly as
`tests/hostile/helpers.exercise` does. Only a `PathwayError` may come out: anything else is a
crash, and libFuzzer writes the input that caused it to `crash-<hash>`. Keep such a file in
`tests/hostile/corpus/` with a regression test.

The seeds are the bundled pathways and the hostile corpus. From the repository root:

    PYTHONPATH=src .venv/bin/python fuzz/fuzz_loader.py -max_total_time=60 -rss_limit_mb=2048

`.ci/run` runs it for 60 seconds; for a real search, run it for hours, with a folder to keep
what it learns:

    mkdir -p /tmp/fuzz-corpus
    PYTHONPATH=src .venv/bin/python fuzz/fuzz_loader.py /tmp/fuzz-corpus -max_total_time=14400 \\
        -rss_limit_mb=2048 -timeout=60
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

with atheris.instrument_imports():
    from hostile.helpers import exercise


def seeds() -> list[Path]:
    """The files the fuzzer starts from: the bundled pathways and the hostile corpus."""
    found = sorted((ROOT / "pathways").glob("*/*.yaml"))
    found += sorted((ROOT / "tests" / "hostile" / "corpus").glob("*.yaml"))
    return [path for path in found if path.stat().st_size < 64 * 1024]


def test_one_input(data: bytes) -> None:
    """Run one input; only a `PathwayError` is caught (inside `exercise`)."""
    text = data.decode("utf-8", errors="replace")
    exercise(text)


def main() -> None:
    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):
        # no corpus folder given: start from the seeds, in a folder of their own
        folder = Path(tempfile.mkdtemp(prefix="pathways-fuzz-"))
        for path in seeds():
            (folder / path.name).write_bytes(path.read_bytes())
        argv.append(str(folder))
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
