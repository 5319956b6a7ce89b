"""Zero or missing capacity is reported loudly, and every outcome table adds up to 100%.

An agency without caseworkers leaves its cases waiting for good: the run says so (a warning),
the stage stays in the stage table and the backlog with its open journeys, and outcome shares
are over every journey that started the track, with "still open" as its own row.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from pathways.cli import main
from pathways.definition.loader import load_text
from pathways.simulation import load_scenario_text, simulate
from pathways.simulation.compare import headline
from strategies import staffing

PATHWAY = """
id: test/blocked
title: Blocked
area: Test
version: "1"
entry: intake
agencies:
  council: {name: Council, first_responder: true}
  police: {name: Police}
tracks:
  police: {title: Police investigation, entry: investigate}
stages:
  intake: {title: Intake, owner: council, kind: support}
  casework: {title: Casework, owner: council, kind: decision}
  helped: {title: Helped, owner: council, kind: outcome, outcome: supported}
  refused: {title: Refused, owner: council, kind: outcome, outcome: closed-without-support}
  investigate: {title: Investigation, owner: police, kind: investigation, track: police}
  charged: {title: Charged, owner: police, kind: outcome, outcome: charged, track: police}
  nfa: {title: NFA, owner: police, kind: outcome, outcome: no-further-action, track: police}
handoffs:
  start: {from: intake, to: casework, by: council, starts: [police]}
  yes: {from: casework, to: helped, by: council}
  no: {from: casework, to: refused, by: council}
  charge: {from: investigate, to: charged, by: police}
  drop: {from: investigate, to: nfa, by: police}
"""


def scenario(council: int, police: int, first_branch: float, per_year: int) -> str:
    return (
        "id: test/blocked\ntitle: Blocked\npathway: test/blocked\nstart: 2024-01-01\n"
        f"horizon: 200 days\narrivals: {{per_year: {per_year}}}\n"
        f"branches:\n  casework: {{yes: {first_branch}, no: {round(1 - first_branch, 2)}}}\n"
        "  investigate: {charge: 0.3, drop: 0.7}\n"
        "durations:\n  intake: 1 day\n"
        "  casework: {distribution: exponential, mean: 2}\n"
        "  investigate: {distribution: exponential, mean: 20}\n"
        f"capacity:\n  council: {{caseworkers: {council}, stages: [casework]}}\n"
        f"  police: {{caseworkers: {police}}}\n"
    )


def test_an_agency_with_no_caseworkers_is_reported_and_its_stage_stays_visible() -> None:
    results = simulate(
        load_text(PATHWAY), load_scenario_text(scenario(0, 1, 0.5, 100)), replications=2
    )
    assert any("council has no capacity from 2024-01-01" in w for w in results.warnings)
    journeys = results.journeys.mean
    assert journeys > 20
    stages = {stage.name: stage for stage in results.stages()}
    assert stages["casework"].still_open.mean == journeys  # every journey waits there
    assert stages["casework"].visits.mean == 0
    backlog = results.backlog()["casework"]  # sampled weekly: the last sample is day 196
    assert backlog == sorted(backlog)
    assert backlog[-1] > 0.8 * journeys
    shares = results.outcome_shares()
    assert shares["still open"].mean == 1.0
    assert results.each(lambda r: r.support_share).mean == 1.0  # intake is support, for all
    figures = headline(results)
    assert figures["casework: still open"] == [float(r.journeys) for r in results.replications]


def test_the_command_warns_on_standard_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "blocked.yaml").write_text(PATHWAY)
    (tmp_path / "s.yaml").write_text(
        scenario(1, 0, 0.5, 100).replace("id: test/blocked\n", "id: s\n")
    )
    status = main(
        [
            "simulate",
            str(tmp_path / "test" / "blocked.yaml"),
            "--scenario",
            str(tmp_path / "s.yaml"),
            "--replications",
            "1",
        ]
    )
    assert status == 0
    captured = capsys.readouterr()
    assert "warning: s: police has no capacity from 2024-01-01" in captured.err
    assert "Warning: police has no capacity" in captured.out
    assert "still open: police" in captured.out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(staffing)
def test_outcome_shares_of_each_track_add_up_to_one(knobs: dict[str, float]) -> None:
    seed = int(knobs.pop("seed"))
    text = scenario(
        int(knobs["council"]), int(knobs["police"]), knobs["first_branch"], int(knobs["per_year"])
    )
    results = simulate(load_text(PATHWAY), load_scenario_text(text), replications=2, seed=seed)
    tracks = {
        "main": ("helped", "refused", "still open"),
        "police": ("charged", "nfa", "still open: police"),
    }
    for replication in results.replications:
        if not replication.journeys:
            continue
        for track, names in enumerate(tracks.values()):
            shares = [
                results.still_open_share(replication, track)
                if name.startswith("still open")
                else results.track_share(replication, results.stage_names.index(name))
                for name in names
            ]
            if all(math.isnan(share) for share in shares):
                continue  # nobody started this track
            assert math.fsum(shares) == pytest.approx(1.0)
        share = replication.support_share
        assert 0.0 <= share <= 1.0
    for name, estimate in results.outcome_shares().items():
        assert 0.0 <= estimate.low <= estimate.mean <= estimate.high <= 1.0, name
