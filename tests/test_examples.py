"""Examples run as written: each `examples/*.py` beside a `.out` prints exactly that output, and
the Python blocks of the embedding guide run, in order, without error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from paths import ROOT

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.py") if p.with_suffix(".out").exists())
GUIDE = ROOT / "docs" / "embedding.md"


def test_there_are_golden_examples() -> None:
    assert EXAMPLES, "no examples/*.py with a .out beside it"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_prints_its_golden_output(example: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    result = subprocess.run(
        [sys.executable, str(example)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == example.with_suffix(".out").read_text(encoding="utf-8")


def test_the_embedding_guide_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 10
    namespace: dict[str, object] = {"__name__": "guide"}
    for number, block in enumerate(blocks, start=1):
        code = compile(block, f"{GUIDE.name} block {number}", "exec")
        exec(code, namespace)
