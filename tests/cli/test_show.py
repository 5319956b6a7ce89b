"""`pathways show` (`pathways.cli.show`): a summary of the pathway."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.cli import main
from pathways.definition.loader import load


def test_show_summarises_the_pathway(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "pathways/example/small.yaml"]) == 0
    out = capsys.readouterr().out
    pathway = load(library / "example" / "small.yaml")
    for stage in pathway.stages.values():
        assert stage.title in out
    for agency in pathway.agencies.values():
        assert agency.name in out
