"""Golden Mermaid and DOT pictures of every bundled pathway.

Run with `PATHWAYS_UPDATE_GOLDEN=1` to rewrite the files under tests/golden/diagram, then read
the diff: it shows exactly how each area's picture changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paths import ROOT
from pathways.definition.loader import Library, discover
from pathways.diagram import render

GOLDEN = ROOT / "tests" / "golden" / "diagram"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"
_ALL = sorted(discover([ROOT / "pathways"])) if (ROOT / "pathways").is_dir() else []
BUNDLED = [path for path in _ALL if not path.name.endswith(".tests.yaml")]


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(ROOT / "pathways").as_posix())
def test_bundled_pathway_picture(path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    pathway = Library().load(path.relative_to(ROOT))
    text = render(pathway, fmt)
    assert isinstance(text, str)
    suffix = ".mmd" if fmt == "mermaid" else ".dot"
    name = path.relative_to(ROOT / "pathways").with_suffix("").as_posix().replace("/", "--")
    expected = GOLDEN / f"{name}{suffix}"
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert expected.exists(), f"no {expected.name}; run with PATHWAYS_UPDATE_GOLDEN=1"
    assert text == expected.read_text(encoding="utf-8")
