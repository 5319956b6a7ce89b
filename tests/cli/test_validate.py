"""`pathways validate` (`pathways.cli.validate`): each good file reported, every problem with its
place, and a missing path a usage error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from paths import tutorial_example
from pathways.cli import main


def test_validate_reports_each_good_file(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "pathways"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok  pathways/example/small.yaml: A small example pathway (")


def test_validate_reports_every_problem_with_its_place(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (
        tutorial_example().replace("kind: support", "kind: suport", 1).replace("owner:", "ownr:", 1)
    )
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
