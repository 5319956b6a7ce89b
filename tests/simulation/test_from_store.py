"""Forecasting from the live case system (`simulation/from_store.py`, `simulate --from-store`):
the open journeys of a journey store become the starting state, as they are today."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pathways.cli import simulate as command
from pathways.definition.loader import load_text
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import build_model, load_scenario_text
from pathways.simulation.from_store import open_cases, starting_from_store
from pathways.store.journey_store import JourneyStore

PATHWAY = """
id: test/store
title: Store
area: Test
version: "1"
entry: triage
profile:
  needs_accommodation: {flag: true}
agencies:
  council: {name: Council}
stages:
  triage: {title: Triage, owner: council, kind: referral}
  housing: {title: Housing, owner: council, kind: support}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  house: {from: triage, to: housing, by: council, when: needs_accommodation}
  close: {from: triage, to: done, by: council, when: not needs_accommodation}
  settled: {from: housing, to: done, by: council}
"""

SCENARIO = """
id: test/store
title: Store
pathway: test/store
start: 2023-01-01
horizon: 100 days
arrivals: {per_year: 10}
profile:
  needs_accommodation: 0.5
durations:
  triage: 2 days
  housing: 30 days
backlog:
  triage: {cases: 40}
"""


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'journeys.db'}"
    pathway = load_text(PATHWAY)
    with JourneyStore(url, pathways=[compile_pathway(pathway)]) as store:
        for number, (day, housed) in enumerate(
            [(1, True), (1, True), (3, False), (5, True), (6, False)]
        ):
            at = datetime(2024, 3, day, 9, tzinfo=UTC)
            store.create(f"C{number}", {"needs_accommodation": housed}, at=at, by="council")
        store.handoff("C0", "house", by="council", at=datetime(2024, 3, 2, tzinfo=UTC))
        store.handoff("C2", "close", by="council", at=datetime(2024, 3, 4, tzinfo=UTC))
    return url


def test_open_journeys_become_the_starting_state(store_url: str) -> None:
    pathway = load_text(PATHWAY)
    assert open_cases(store_url, pathway) == [
        {"stage": "housing", "referred": "2024-03-01", "cases": 1, "needs_accommodation": True},
        {"stage": "triage", "referred": "2024-03-01", "cases": 1, "needs_accommodation": True},
        {"stage": "triage", "referred": "2024-03-05", "cases": 1, "needs_accommodation": True},
        {"stage": "triage", "referred": "2024-03-06", "cases": 1, "needs_accommodation": False},
    ]
    scenario = starting_from_store(
        load_scenario_text(SCENARIO), pathway, store_url, date(2024, 3, 10)
    )
    model = build_model(compile_pathway(pathway), scenario)
    assert model.start == date(2024, 3, 10)
    assert model.backlog == ()
    assert [(stage, referred, cases) for stage, referred, cases, _ in model.starting] == [
        (1, -9.0, 1),
        (0, -9.0, 1),
        (0, -5.0, 1),
        (0, -4.0, 1),
    ]


def test_simulate_from_store_runs_from_the_command_line(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "store.yaml").write_text(PATHWAY.replace("id: test/store", "id: store"))
    (tmp_path / "forecast.yaml").write_text(
        SCENARIO.replace("id: test/store", "id: forecast").replace(
            "pathway: test/store", "pathway: store"
        )
    )
    parser = argparse.ArgumentParser(prog="pathways")
    command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "simulate",
            str(tmp_path / "store.yaml"),
            "--scenario",
            str(tmp_path / "forecast.yaml"),
            "--replications",
            "2",
            "--from-store",
            store_url,
            "--quiet",
        ]
    )
    assert args.run(args) == 0
    assert "C1" not in capsys.readouterr().out
