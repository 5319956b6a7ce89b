"""Comparisons as data: paired differences with intervals, in JSON and CSV, against one base."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.definition.loader import load_text
from pathways.simulation import load_scenario_text, simulate
from pathways.simulation.compare import compare_all
from pathways.simulation.compare_output import (
    COMPARISON_HEADER,
    comparison_csv,
    comparison_json,
)

PATHWAY = """
id: test/what-if
title: What if
area: Test
version: "1"
entry: triage
agencies:
  council: {name: Council, first_responder: true}
stages:
  triage: {title: Triage, owner: council, kind: decision}
  support: {title: Support, owner: council, kind: support}
  helped: {title: Helped, owner: council, kind: outcome, outcome: supported}
  refused: {title: Refused, owner: council, kind: outcome, outcome: closed-without-support}
handoffs:
  accept-positive: {from: triage, to: support, by: council}
  decline-negative: {from: triage, to: refused, by: council}
  close: {from: support, to: helped, by: council}
"""

BASE = """
id: {id}
title: {id}
pathway: test/what-if
start: 2024-01-01
horizon: 300 days
warm_up: 30 days
arrivals: {{per_year: 300}}
branches:
  triage: {{accept-positive: 0.7, decline-negative: 0.3}}
durations:
  triage: {{distribution: exponential, mean: 1.5}}
  support: 20 days
capacity:
  council: {{caseworkers: {workers}, stages: [triage]}}
"""


def _results(workers: int, name: str):  # type: ignore[no-untyped-def]
    scenario = load_scenario_text(BASE.format(id=name, workers=workers))
    return simulate(load_text(PATHWAY), scenario, replications=4, seed=3)


@pytest.fixture(scope="module")
def comparisons():  # type: ignore[no-untyped-def]
    base = _results(1, "base")
    return compare_all(base, [_results(2, "two"), _results(3, "three")])


def test_each_what_if_is_set_against_the_base_with_paired_intervals(comparisons) -> None:  # type: ignore[no-untyped-def]
    data = comparison_json(comparisons)
    assert data["base"] == "base"
    assert [c["scenario"] for c in data["comparisons"]] == ["two", "three"]
    for comparison in data["comparisons"]:
        assert comparison["method"] == "paired"
        rows = {row["figure"]: row for row in comparison["rows"]}
        wait = rows["triage: wait (mean)"]
        assert wait["difference"]["high"] < 0.0  # more caseworkers: shorter waits
        assert wait["significant"] is True
        difference = wait["scenario"]["mean"] - wait["base"]["mean"]
        assert wait["difference"]["mean"] == pytest.approx(difference)
        # Arrivals are common random numbers: the same victims arrive in both.
        arriving = rows["journeys arriving"]
        assert arriving["difference"] == {"mean": 0.0, "low": 0.0, "high": 0.0, "n": 4}
        assert arriving["significant"] is False
        assert "decisions triage: accept-positive" in rows
        assert "triage: visits" in rows
    json.dumps(data, allow_nan=False)


def test_the_csv_has_one_row_per_scenario_and_figure(comparisons) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(io.StringIO(comparison_csv(comparisons))))
    assert tuple(rows[0]) == COMPARISON_HEADER
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert {row["scenario"] for row in body} == {"two", "three"}
    assert {row["base"] for row in body} == {"base"}
    wait = next(
        r for r in body if r["scenario"] == "three" and r["figure"] == "triage: wait (mean)"
    )
    assert float(wait["low"]) <= float(wait["difference"]) <= float(wait["high"]) < 0.0
    assert wait["significant"] == "yes"
    assert float(wait["scenario_mean"]) - float(wait["base_mean"]) == pytest.approx(
        float(wait["difference"]), abs=1e-5
    )


def test_the_command_writes_differences_and_a_json_with_every_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "what-if.yaml").write_text(PATHWAY)
    for name, workers in (("one", 1), ("two", 2), ("three", 3)):
        (tmp_path / f"{name}.yaml").write_text(BASE.format(id=name, workers=workers))
    out = {suffix: tmp_path / f"out.{suffix}" for suffix in ("json", "csv", "diff.csv")}
    status = main(
        [
            "simulate",
            str(tmp_path / "test" / "what-if.yaml"),
            "--scenario",
            str(tmp_path / "one.yaml"),
            "--compare",
            str(tmp_path / "two.yaml"),
            "--compare",
            str(tmp_path / "three.yaml"),
            "--replications",
            "3",
            "--json",
            str(out["json"]),
            "--csv",
            str(out["csv"]),
            "--differences",
            str(out["diff.csv"]),
            "--quiet",
        ]
    )
    assert status == 0
    data = json.loads(out["json"].read_text())
    assert [s["scenario"] for s in data["scenarios"]] == ["one", "two", "three"]
    assert [c["scenario"] for c in data["comparisons"]] == ["two", "three"]
    results = list(csv.DictReader(io.StringIO(out["csv"].read_text())))
    assert {row["scenario"] for row in results} == {"one", "two", "three"}
    differences = list(csv.DictReader(io.StringIO(out["diff.csv"].read_text())))
    assert {(row["base"], row["scenario"]) for row in differences} == {
        ("one", "two"),
        ("one", "three"),
    }
    assert capsys.readouterr().out.count("B - A (95% CI)") == 2


def test_differences_without_compare_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "what-if.yaml").write_text(PATHWAY)
    (tmp_path / "one.yaml").write_text(BASE.format(id="one", workers=1))
    argv = ["simulate", str(tmp_path / "test" / "what-if.yaml"), "--scenario"]
    argv += [str(tmp_path / "one.yaml"), "--differences", str(tmp_path / "d.csv")]
    assert main(argv) == 2
    assert "--differences needs --compare" in capsys.readouterr().err
