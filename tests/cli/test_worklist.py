"""`pathways worklist URL --agency ID`: an agency's open work from a store, as a table, JSON or
CSV, filtered to what is overdue, awaiting the agency's answer, or at one stage."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.store import JourneyStore
from runtime.lifecycle_pathway import MONDAY
from store.worklist_pathway import compiled_worklists

DAY = timedelta(days=1)


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    with JourneyStore(url, pathways=[compiled_worklists()]) as store:
        for ref in ("CL-1", "CL-2"):
            store.create(ref, {"consent": "given"}, at=MONDAY, by="council")
            store.handoff(ref, "refer", by="council", at=MONDAY)
        store.accept("CL-2", "refer", by="home-office", at=MONDAY)
    return url


def test_every_format_lists_the_same_positions(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    at = (MONDAY + 10 * DAY).isoformat()
    args = ["worklist", url, "--agency", "home-office", "--at", at]
    assert main([*args, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["case_ref"], r["stage"], r["referral"]) for r in rows] == [
        ("CL-1", "decision", "refer"),
        ("CL-2", "decision", None),
    ]
    assert all(r["overdue_by"] > 0 for r in rows)  # both past their limits at --at
    assert main([*args, "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["case_ref"] for r in table] == ["CL-1", "CL-2"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["case", "track", "stage", "due", "overdue", "(days)",
                                           "paused", "awaiting"]  # fmt: skip
    assert out.endswith("2 position(s)\n")
    assert main([*args, "--awaiting", "--format", "csv"]) == 0
    assert [r["case_ref"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))] == ["CL-1"]
    assert main([*args, "--limit", "1", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_overdue_is_per_stage(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    at = (MONDAY + 10 * DAY).isoformat()
    assert main(["worklist", url, "--agency", "council", "--overdue", "--at", at]) == 0
    assert capsys.readouterr().out == "no work found\n"
    assert main(["worklist", url, "--agency", "council", "--at", at, "--format", "json"]) == 0
    stages = [r["stage"] for r in json.loads(capsys.readouterr().out)]
    assert stages == ["local-support", "local-support"]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--at", "2025-03-03T09:00"], "no time zone"),
        (["--at", "soon"], "is not a time"),
        (["--limit", "-1"], "--limit"),
    ],
)
def test_a_bad_option_is_a_usage_error(
    url: str, option: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["worklist", url, "--agency", "council", *option]) == 2
    assert message in capsys.readouterr().err
