"""`pathways test`: finding case-test files, the report and the exit status."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import ROOT, SMALL
from pathways.cli import main

PASSING = """cases:
  adult-consents:
    description: an adult who consents
    profile: {age_group: adult, consent: given}
    expect: {reaches: supported}
"""
FAILING = """cases:
  adult-declines:
    description: an adult who declines
    profile: {age_group: adult, consent: declined}
    expect: {reaches: supported}
"""


@pytest.fixture
def area(tmp_path: Path) -> Path:
    """A folder holding the tutorial's pathway as `small.yaml`, ready for case tests."""
    text = SMALL.read_text(encoding="utf-8").replace("id: example/small", "id: small")
    (tmp_path / "small.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_passing_cases_exit_0(area: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (area / "small.tests.yaml").write_text(PASSING, encoding="utf-8")
    assert main(["test", str(area)]) == 0
    out = capsys.readouterr().out
    assert "PASS adult-consents: an adult who consents\n" in out
    assert "  route: concern-raised -> support (day 2) -> supported\n" in out
    assert out.endswith("1 passed, 0 failed, in 1 file\n")


def test_a_failing_case_exits_1_with_the_reason(
    area: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (area / "small.tests.yaml").write_text(PASSING + FAILING[len("cases:\n") :], encoding="utf-8")
    assert main(["test", "-q", str(area / "small.yaml")]) == 1
    out = capsys.readouterr().out
    assert "PASS" not in out
    assert (
        "FAIL adult-declines: an adult who declines\n"
        "  expected: some route reaches 'Supported' (supported)\n"
        "  instead: no route reaches 'Supported' (supported): ends at 'Closed without support' "
        "(closed) (1 route)\n"
    ) in out
    assert out.endswith("1 passed, 1 failed, in 1 file\n")


def test_a_file_with_problems_exits_1(area: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (area / "small.tests.yaml").write_text("cases:\n  x:\n    expect: {reaches: nowhere}\n")
    assert main(["test", str(area / "small.tests.yaml")]) == 1
    out = capsys.readouterr().out
    assert "small.tests.yaml:3:23: error[unknown-stage]:" in out
    assert "1 problem stopped some case tests from running" in out


def test_select_cases_by_name(area: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (area / "small.tests.yaml").write_text(PASSING + FAILING[len("cases:\n") :], encoding="utf-8")
    assert main(["test", "-k", "consents", str(area)]) == 0
    assert main(["test", "-k", "nobody", str(area)]) == 2
    assert "no case name contains 'nobody'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["missing-folder"], "missing-folder: no such file or folder"),
        (["{area}"], "no case-test files (*.tests.yaml) found in"),
        (["{area}/small.yaml"], "no case tests beside it"),
    ],
)
def test_usage_errors_exit_2(
    area: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    assert main(["test", *(a.format(area=area) for a in args)]) == 2
    assert said in capsys.readouterr().err


def test_bundled_case_tests_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["test", "-q"]) == 0
