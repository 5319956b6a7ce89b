"""`pathways diagram` (`pathways.cli.diagram`): Mermaid printed, files written, usage errors, and a
file that does not load.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diagram.helpers import ADULT_DECLINED
from paths import tutorial_example
from pathways.cli import main


@pytest.fixture
def example_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "example" / "small.yaml"
    path.parent.mkdir()
    path.write_text(tutorial_example(), encoding="utf-8")
    return path


def test_cli_prints_mermaid(example_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "example/small.yaml", "--profile", ADULT_DECLINED]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TB\n")
    assert "st_support[" not in out


def test_cli_fences_mermaid_for_markdown(
    example_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diagram", "example/small.yaml", "--fence"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("```mermaid\nflowchart TB\n")
    assert out.endswith("\n```\n")
    assert out.count("```") == 2


def test_cli_draws_the_board_layout_unless_the_classic_look_is_asked_for(
    example_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diagram", "example/small.yaml", "--format", "svg", "-o", "board.svg"]) == 0
    board = Path("board.svg").read_text(encoding="utf-8")
    assert re.search(r'<svg [^>]*width="[0-9.]+pt"', board)
    assert 'id="pathway-stage-concern-raised"' in board
    argv = ["diagram", "example/small.yaml", "--format", "svg", "--look", "classic"]
    assert main([*argv, "-o", "classic.svg"]) == 0
    classic = Path("classic.svg").read_text(encoding="utf-8")
    assert "stage-concern-raised" not in classic
    assert "Concern raised" in classic


def test_cli_writes_files(example_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "example/small.yaml", "--format", "dot", "--out", "small.dot"]) == 0
    assert Path("small.dot").read_text(encoding="utf-8").startswith('digraph "example/small"')
    assert main(["diagram", "example/small.yaml", "--format", "png", "-o", "small.png"]) == 0
    assert Path("small.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "argv",
    [
        ["diagram", "nowhere.yaml"],
        ["diagram", "example/small.yaml", "--format", "svg"],
        ["diagram", "example/small.yaml", "--profile", "colour=blue"],
    ],
)
def test_cli_usage_errors(
    example_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("pathways diagram: ")


def test_cli_reports_a_file_that_does_not_load(
    example_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example_file.write_text(
        tutorial_example().replace("kind: support", "kind: suport"), encoding="utf-8"
    )
    assert main(["diagram", "example/small.yaml"]) == 1
    assert "error[unknown-value]" in capsys.readouterr().err
