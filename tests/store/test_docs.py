"""The store guide's examples run: every Python block of docs/store.md, in order, in one
namespace, in a scratch folder holding a copy of the bundled pathways (so `load(
"pathways/humber/hull.yaml")` reads the real Hull file and `sqlite:///cases.sqlite3` is a new
database there).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from paths import ROOT

PAGE = ROOT / "docs" / "store.md"
_PYTHON = re.compile(r"```python\n(.*?)```", re.DOTALL)


def blocks() -> list[str]:
    return _PYTHON.findall(PAGE.read_text(encoding="utf-8"))


def test_the_store_guide_has_examples() -> None:
    assert len(blocks()) >= 6


def test_every_example_in_the_store_guide_runs_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "pathways", tmp_path / "pathways")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "store_docs"}
    try:
        for number, block in enumerate(blocks(), 1):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block, f"docs/store.md example {number}", "exec"), namespace)
    finally:
        store = namespace.get("store")
        close = getattr(store, "close", None)
        if close is not None:
            close()
    assert (tmp_path / "cases.sqlite3").exists()
