"""`pathways diff` (`pathways.cli.diff`): its exit status says whether two versions differ, and
whether they could be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paths import tutorial_example
from pathways.cli import main


@pytest.fixture
def two_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    a = tmp_path / "example" / "small.yaml"
    b = tmp_path / "other" / "example" / "small.yaml"
    for path in (a, b):
        path.parent.mkdir(parents=True)
        path.write_text(tutorial_example(), encoding="utf-8")
    return a, b


def test_cli_exit_status(two_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = two_files
    assert main(["diff", str(a), str(b), "--no-checks"]) == 0
    assert "No differences" in capsys.readouterr().out
    b.write_text(tutorial_example().replace("2 working days", "3 working days"), encoding="utf-8")
    assert main(["diff", str(a), str(b), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["aspect"] for d in data["differences"]] == ["time limit"]
    assert main(["diff", str(a), "nowhere.yaml"]) == 2
    b.write_text(tutorial_example().replace("kind: support", "kind: suport"), encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 2
    assert "error[unknown-value]" in capsys.readouterr().err
