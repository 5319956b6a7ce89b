"""`pathways init` (`pathways.cli.init`): a new area file that loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.cli import main
from pathways.definition.loader import load


def test_init_writes_an_area_file_that_loads(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "somewhere/new-town", "--extends", "example/small"]) == 0
    written = library / "somewhere" / "new-town.yaml"
    pathway = load(written)
    assert pathway.id == "somewhere/new-town"
    assert pathway.lineage == ("somewhere/new-town", "example/small")
    assert main(["init", "somewhere/new-town", "--extends", "example/small"]) == 2
    assert "new-town.yaml exists (use --force to overwrite)" in capsys.readouterr().err
