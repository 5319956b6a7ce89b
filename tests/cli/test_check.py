"""`pathways check`: registered, exit status, --max-warnings, and each output format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.helpers import CLEAN
from pathways.checks.output import RULES_URL
from pathways.cli import main

# 'orphan' is unreachable (a warning); 'stuck' is a dead end (an error), and 'start' then
# has two handoffs open to the same victims (condition-overlap, a warning).
WARNING_ONLY = CLEAN.replace(
    "  done:", "  orphan: {title: Orphan, owner: council, kind: support}\n  done:"
).replace("  close:", "  leave: {from: orphan, to: done, by: [council]}\n  close:")
ERROR = CLEAN.replace("  done:", "  stuck: {title: Stuck, owner: council, kind: referral}\n  done:")
ERROR = ERROR.replace("  close:", "  go: {from: start, to: stuck, by: [council]}\n  close:")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in (("clean", CLEAN), ("warning", WARNING_ONLY), ("error", ERROR)):
        (tmp_path / f"{name}.yaml").write_text(text.replace("NAME", name), encoding="utf-8")
    return tmp_path


def test_exit_status(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "clean.yaml"]) == 0
    assert "no findings" in capsys.readouterr().out
    assert main(["check", "warning.yaml"]) == 0
    out = capsys.readouterr().out
    assert "warning.yaml:" in out
    assert "warning[no-unreachable-stage]" in out
    assert main(["check", "warning.yaml", "--max-warnings", "0"]) == 1
    assert main(["check", "warning.yaml", "--max-warnings", "1"]) == 0
    capsys.readouterr()
    assert main(["check", "error.yaml"]) == 1
    out = capsys.readouterr().out
    assert "error.yaml:10:3: error[no-dead-end]" in out
    assert "    -> 'Stuck' (stuck) by 'go'" in out
    assert main(["check", "missing.yaml"]) == 2


def test_folders_are_searched(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "."]) == 1
    out = capsys.readouterr().out
    assert out.index("== clean.yaml") < out.index("== error.yaml") < out.index("== warning.yaml")
    assert "1 error, 2 warnings, 0 suppressed in 3 pathways" in out


def test_json_format(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "error.yaml", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    (report,) = document["pathways"]
    assert report["errors"] == 1
    finding = next(f for f in report["findings"] if f["rule"] == "no-dead-end")
    assert (finding["path"], finding["line"], finding["column"]) == ("error.yaml", 10, 3)
    assert finding["route"][-1] == "-> 'Stuck' (stuck) by 'go'"
    assert report["metrics"]["per_profile"]


def test_sarif_format(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "error.yaml", "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    result = next(r for r in run["results"] if r["ruleId"] == "no-dead-end")
    assert rules[result["ruleIndex"]] == "no-dead-end"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (10, 3)


def test_markdown_format_and_output_file(files: Path) -> None:
    assert main(["check", "error.yaml", "--format", "markdown", "-o", "report.md"]) == 1
    text = (files / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Pathway check")
    assert f"[no-dead-end]({RULES_URL}#no-dead-end)" in text


def test_metrics_in_text(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "clean.yaml", "--metrics"])
    out = capsys.readouterr().out
    assert "metrics per victim profile:" in out
    assert "agencies every route passes through:" in out
