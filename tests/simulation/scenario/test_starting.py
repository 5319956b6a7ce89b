"""The starting state (`scenario/starting.py`): cases open on day 0 with their stage, profile and
referral date, from a table in the scenario or beside it; and a warm-up that ends on a date."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario, load_scenario_text
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.recorder import JourneyRecord
from pathways.simulation.engine.tables import SimModel

PATHWAY = """
id: test/small
title: Small
area: Test
version: "1"
entry: triage
profile:
  age_group: {values: [child, adult]}
  needs_accommodation: {flag: true}
agencies:
  council: {name: Council}
  charity: {name: Charity}
stages:
  triage: {title: Triage, owner: council, kind: referral}
  housing: {title: Housing, owner: charity, kind: support}
  advice: {title: Advice, owner: charity, kind: support}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  house: {from: triage, to: housing, by: council, when: needs_accommodation}
  advise: {from: triage, to: advice, by: council, when: not needs_accommodation}
  settled: {from: housing, to: done, by: charity}
  advised: {from: advice, to: done, by: charity}
"""

BASE = """
id: test/small
title: Small
pathway: test/small
start: 2024-01-01
horizon: 400 days
arrivals: {per_year: 50}
profile:
  age_group: {child: 0.3, adult: 0.7}
  needs_accommodation: 0.4
durations:
  triage: 3 days
  housing: 10 days
  advice: 2 days
capacity:
  council: {caseworkers: 1}
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def _closed(model: SimModel, seed: int = 1) -> list[JourneyRecord]:
    """Every journey that closed in one replication, in the order they closed."""
    engine = Engine(model, seed, 0)
    found: list[JourneyRecord] = []
    close = engine.record.close

    def keep(journey: JourneyRecord) -> None:
        found.append(journey)
        close(journey)

    engine.record.close = keep  # type: ignore[method-assign]
    engine.tracks.close = keep
    engine.run()
    return found


def _problems(compiled: CompiledPathway, text: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(text))
    return caught.value


def test_a_warm_up_can_end_on_a_date(compiled: CompiledPathway) -> None:
    model = build_model(compiled, load_scenario_text(BASE + "warm_up: 2024-03-01\n"))
    assert model.warm_up == 60.0
    error = _problems(compiled, BASE + "warm_up: 2023-12-01\n")
    assert error.codes == ("bad-warm-up",)
    assert str(error.problems[0].location) == "<scenario>:17:10"
    assert _problems(compiled, BASE + "warm_up: 2026-01-01\n").codes == ("bad-horizon",)


def test_open_cases_keep_their_referral_date_and_profile(compiled: CompiledPathway) -> None:
    text = BASE + (
        "backlog_table:\n"
        "  - {stage: housing, referred: 2023-11-02, cases: 3, needs_accommodation: true}\n"
        "  - {stage: triage, referred: 2023-12-20, age_group: child, needs_accommodation: false}\n"
    )
    model = build_model(compiled, load_scenario_text(text))
    closed = [j for j in _closed(model) if j.key < 0]
    assert sorted(j.arrived for j in closed) == [-60.0, -60.0, -60.0, -12.0]
    names = model.attributes
    for journey in closed:
        profile = dict(zip(names, model.profile_values[journey.profile], strict=True))
        if journey.arrived == -12.0:
            assert profile == {"age_group": "child", "needs_accommodation": False}
        else:
            assert profile["needs_accommodation"] is True
    assert not any(j.counted for j in closed)


def test_the_oldest_referral_is_served_first_at_a_queue(compiled: CompiledPathway) -> None:
    text = BASE.replace("per_year: 50", "per_year: 0.001") + (
        "backlog_table:\n"
        "  - {stage: triage, referred: 2023-12-30, needs_accommodation: false}\n"
        "  - {stage: triage, referred: 2023-06-01, needs_accommodation: true}\n"
    )
    closed = [j for j in _closed(build_model(compiled, load_scenario_text(text))) if j.key < 0]
    # One caseworker: the case referred in June is triaged on days 0-3, then housed for 10
    # days; the December case is triaged on days 3-6, then advised for 2.
    assert sorted((j.arrived, max(j.done)) for j in closed) == [(-214.0, 13.0), (-2.0, 8.0)]


def test_a_table_beside_the_scenario_is_read_as_csv(
    tmp_path: Path, compiled: CompiledPathway
) -> None:
    (tmp_path / "open.csv").write_text(
        "stage,referred,cases,age_group\nhousing,2023-10-01,4,adult\nadvice,2023-12-01,,\n",
        encoding="utf-8",
    )
    (tmp_path / "small.yaml").write_text(BASE + "backlog_table: open.csv\n", encoding="utf-8")
    model = build_model(compiled, load_scenario(tmp_path / "small.yaml"))
    assert [(s, t, n) for s, t, n, _ in model.starting] == [(1, -92.0, 4), (2, -31.0, 1)]
    assert len([j for j in _closed(model) if j.key < 0]) == 5


def test_every_mistake_in_a_table_is_reported_at_its_row_and_column(
    tmp_path: Path, compiled: CompiledPathway
) -> None:
    (tmp_path / "open.csv").write_text(
        "stage,referred,cases,age_group,colour\n"
        "housin,2023-10-01,4,adult,\n"
        "done,2023-10-01,1,,\n"
        "advice,2024-02-01,0,kid,\n"
        "advice,2023-01-01,1,,red\n",
        encoding="utf-8",
    )
    (tmp_path / "small.yaml").write_text(BASE + "backlog_table: open.csv\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario(tmp_path / "small.yaml"))
    found = [(p.location.line, p.location.column) for p in caught.value.problems if p.location]
    assert found == [(2, 1), (3, 1), (4, 2), (4, 3), (4, 4), (5, 5)]
    assert set(caught.value.codes) == {"bad-backlog-table"}
    assert "did you mean 'housing'?" in str(caught.value)


@pytest.mark.parametrize("name", ["/etc/passwd.csv", "../elsewhere.csv", "open.txt"])
def test_a_table_outside_the_scenario_folder_is_refused(
    tmp_path: Path, compiled: CompiledPathway, name: str
) -> None:
    (tmp_path / "small.yaml").write_text(BASE + f"backlog_table: '{name}'\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario(tmp_path / "small.yaml"))
    assert caught.value.codes == ("bad-backlog-table",)
