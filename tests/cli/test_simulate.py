"""`pathways simulate`: the summary, --compare, JSON, CSV and charts, and its exit statuses."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from pathways.cli import simulate as command

PATHWAY = """
id: test/cli
title: CLI test
area: Test
version: "1"
entry: triage
agencies:
  council: {name: Council}
stages:
  triage: {title: Triage, owner: council, kind: referral, within: 5 working days}
  support: {title: Support, owner: council, kind: support}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  refer: {from: triage, to: support, by: council}
  close: {from: support, to: done, by: council}
"""

SCENARIO = """
id: test/cli
title: One caseworker
pathway: test/cli
start: 2024-01-01
horizon: 300 days
warm_up: 30 days
arrivals: {per_year: 250}
durations:
  triage: {distribution: exponential, mean: 1.2}
  support: 20 days
capacity:
  council: {caseworkers: 1, stages: [triage]}
"""


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pathways")
    command.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["simulate", *argv])


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "pathway.yaml").write_text(PATHWAY.replace("id: test/cli", "id: pathway"))
    (tmp_path / "two.yaml").write_text(
        "id: two\ntitle: Two caseworkers\nextends: one\ncapacity:\n  council: {caseworkers: 2}\n"
    )
    (tmp_path / "one.yaml").write_text(
        SCENARIO.replace("id: test/cli", "id: one").replace("pathway: test/cli", "pathway: pathway")
    )
    return {name: str(tmp_path / f"{name}.yaml") for name in ("pathway", "one", "two")}


def test_simulate_prints_a_summary(files, capsys) -> None:  # type: ignore[no-untyped-def]
    status = command.run(parse(files["pathway"], "--scenario", files["one"], "--replications", "3"))
    out = capsys.readouterr().out
    assert status == 0
    assert "Simulation of pathway with scenario one: One caseworker" in out
    assert "3 replications from seed 1" in out
    stages = out[out.index("Stages (counted visits)") :]
    assert stages.splitlines()[3].lstrip().startswith("triage")
    assert "Capacity used" in out


def test_compare_shows_the_difference_and_marks_what_is_outside_the_interval(files, capsys) -> None:  # type: ignore[no-untyped-def]
    status = command.run(
        parse(
            files["pathway"],
            "--scenario",
            files["one"],
            "--compare",
            files["two"],
            "--replications",
            "4",
            "--seed",
            "5",
        )
    )
    out = capsys.readouterr().out
    assert status == 0
    table = out[out.index("B: two") :]
    row = next(line for line in table.splitlines() if "triage: wait (mean)" in line)
    assert row.rstrip().endswith("*")  # a second caseworker cuts the wait, beyond doubt
    assert "paired replications" in table


def test_json_and_csv_carry_every_figure(files, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_json, out_csv = tmp_path / "r.json", tmp_path / "r.csv"
    status = command.run(
        parse(
            files["pathway"],
            "--scenario",
            files["one"],
            "--replications",
            "2",
            "--json",
            str(out_json),
            "--csv",
            str(out_csv),
        )
    )
    assert status == 0
    data = json.loads(out_json.read_text())
    figure = data["figures"]["triage: over time limit (share)"]
    assert set(figure) == {"mean", "low", "high", "n"}
    assert figure["n"] == 2
    assert len(data["backlog"]["series"]["open journeys"]) == 300 // 7 + 1
    rows = list(csv.reader(io.StringIO(out_csv.read_text())))
    assert rows[0] == ["scenario", "period", "figure", "mean", "low", "high", "replications"]
    assert {row[1] for row in rows[1:]} == {"cohort"}
    assert {row[2] for row in rows[1:]} == set(data["figures"])


def test_problems_exit_1_and_usage_errors_exit_2(files, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(files["one"]).read_text().replace("stages: [triage]", "stages: [triag]"))
    assert command.run(parse(files["pathway"], "--scenario", str(bad))) == 1
    assert "error[unknown-stage]" in capsys.readouterr().err
    assert command.run(parse(files["pathway"], "--scenario", "missing.yaml")) == 2
    assert (
        command.run(parse(files["pathway"], "--scenario", files["one"], "--replications", "0")) == 2
    )


def test_charts_are_png_files(files, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib", reason="charts need the optional 'charts' extra")
    status = command.run(
        parse(
            files["pathway"],
            "--scenario",
            files["one"],
            "--replications",
            "2",
            "--charts",
            str(tmp_path / "charts"),
        )
    )
    assert status == 0
    made = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert made == ["one-backlog.png", "one-support.png"]
    assert (tmp_path / "charts" / made[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
