"""The `pathways` command for forum leads: validate, show, schema and init."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.definition.loader import load

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "writing-a-pathway.md"


def _example() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.S)
    return max(blocks, key=len)


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pathway folder holding the tutorial's example pathway, as the working directory."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "pathways" / "example"
    folder.mkdir(parents=True)
    (folder / "small.yaml").write_text(_example(), encoding="utf-8")
    return tmp_path / "pathways"


def test_validate_reports_each_good_file(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "pathways"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok  pathways/example/small.yaml: A small example pathway (")


def test_validate_reports_every_problem_with_its_place(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _example().replace("kind: support", "kind: suport", 1).replace("owner:", "ownr:", 1)
    (library / "example" / "small.yaml").write_text(broken, encoding="utf-8")
    assert main(["validate", "pathways"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^pathways/example/small\.yaml:\d+:\d+: error\[unknown-value\]", out, re.M)
    assert re.search(r"^pathways/example/small\.yaml:\d+:\d+: error\[unknown-key\]", out, re.M)
    assert "in 1 of 1 file(s)" in out


def test_validate_with_a_missing_path_is_a_usage_error(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_show_summarises_the_pathway(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "pathways/example/small.yaml"]) == 0
    out = capsys.readouterr().out
    pathway = load(library / "example" / "small.yaml")
    for stage in pathway.stages.values():
        assert stage.title in out
    for agency in pathway.agencies.values():
        assert agency.name in out


def test_schema_is_json_schema_that_names_every_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    for key in ("id", "extends", "agencies", "profile", "stages", "handoffs", "replace"):
        assert key in schema["properties"]


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
