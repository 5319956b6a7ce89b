"""The command line tests' shared fixture: a pathway folder holding the tutorial's example."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import tutorial_example


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pathway folder holding the tutorial's example pathway, as the working directory."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "pathways" / "example"
    folder.mkdir(parents=True)
    (folder / "small.yaml").write_text(tutorial_example(), encoding="utf-8")
    return tmp_path / "pathways"
