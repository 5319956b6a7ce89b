"""Teams and splits (`scenario/teams.py`): one stage served by several capacity entries, each
taking its share of cases, with its own caseworkers and, if need be, its own durations."""

from __future__ import annotations

from collections import Counter

import pytest

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario_text
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.recorder import JourneyRecord
from pathways.simulation.engine.tables import SimModel

PATHWAY = """
id: test/decide
title: Decide
area: Test
version: "1"
entry: referral
profile:
  age_group: {values: [child, adult]}
agencies:
  council: {name: Council}
  home-office: {name: Home Office}
stages:
  referral: {title: Referral, owner: council, kind: referral}
  decision: {title: Decision, owner: home-office, kind: decision}
  granted: {title: Positive, owner: home-office, kind: outcome, outcome: supported}
  refused: {title: Negative, owner: home-office, kind: outcome, outcome: exited}
handoffs:
  refer: {from: referral, to: decision, by: council}
  positive: {from: decision, to: granted, by: home-office}
  negative: {from: decision, to: refused, by: home-office}
"""

SCENARIO = """
id: test/decide
title: Decide
pathway: test/decide
start: 2024-01-01
horizon: 3 years
arrivals: {per_year: 2000}
profile:
  age_group: {child: 0.25, adult: 0.75}
branches:
  decision: {positive: 0.6, negative: 0.4}
durations:
  referral: 1 day
  decision: {distribution: exponential, mean: 2}
capacity:
  sca: {agency: home-office, caseworkers: 4, stages: [decision]}
  ieca:
    agency: home-office
    caseworkers: IECA
    stages: [decision]
    durations: {decision: 10 days}
split:
  decision:
    depends_on: age_group
    by: {child: {sca: 1}, adult: {sca: 0.8, ieca: 0.2}}
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def _model(compiled: CompiledPathway, ieca: int = 3, extra: str = "") -> SimModel:
    text = SCENARIO.replace("caseworkers: IECA", f"caseworkers: {ieca}") + extra
    return build_model(compiled, load_scenario_text(text))


def _served(model: SimModel, seed: int = 1) -> dict[int, tuple[str, str, float]]:
    """For every journey served at the decision: (team, age group, time the team took).

    The team without durations of its own (sca) is timed by the stage's duration, the other
    (ieca) by its own: the engine's capacity calls one or the other."""
    engine = Engine(model, seed, 0)
    found: dict[int, tuple[str, str, float]] = {}
    stage_end, team_end = engine.capacity.service_end, engine.capacity.team_end
    ages = model.attributes.index("age_group")

    def keep(journey: JourneyRecord, team: str, start: float, end: float) -> float:
        age = str(model.profile_values[journey.profile][ages])
        found[journey.key] = (team, age, end - start)
        return end

    def by_stage(journey: JourneyRecord, stage: int, arrived: float, start: float) -> float:
        return keep(journey, "sca", start, stage_end(journey, stage, arrived, start))

    def by_team(
        journey: JourneyRecord, stage: int, arrived: float, start: float, pool: int
    ) -> float:
        end = team_end(journey, stage, arrived, start, pool)
        return keep(journey, model.pools[pool].name, start, end)

    engine.capacity.service_end = by_stage
    engine.capacity.team_end = by_team
    engine.run()
    return found


def test_cases_are_shared_by_profile_and_each_team_takes_its_own_time(
    compiled: CompiledPathway,
) -> None:
    served = _served(_model(compiled))
    by_team = Counter((team, age) for team, age, _ in served.values())
    assert by_team[("ieca", "child")] == 0
    adults = by_team[("sca", "adult")] + by_team[("ieca", "adult")]
    share = by_team[("ieca", "adult")] / adults
    assert abs(share - 0.2) < 4 * (0.2 * 0.8 / adults) ** 0.5
    assert {round(time, 6) for team, _, time in served.values() if team == "ieca"} == {10.0}
    sca = [time for team, _, time in served.values() if team == "sca"]
    assert abs(sum(sca) / len(sca) - 2.0) < 0.15


def test_a_victim_goes_to_the_same_team_whatever_the_other_team_can_do(
    compiled: CompiledPathway,
) -> None:
    """Common random numbers: a what-if with more IECA caseworkers keeps every case's team."""
    before, after = _served(_model(compiled, 3)), _served(_model(compiled, 6))
    shared = before.keys() & after.keys()
    assert len(shared) > 0.95 * len(before)
    assert all(before[key][0] == after[key][0] for key in shared)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ("", None),
        ("split:\n  referral: {sca: 0.5, ieca: 0.5}\n", "bad-split"),
        ("split:\n  decision: {sca: 0.5, council: 0.5}\n", "bad-split"),
    ],
)
def test_split_mistakes_are_reported(
    compiled: CompiledPathway, extra: str, code: str | None
) -> None:
    text = SCENARIO.replace("caseworkers: IECA", "caseworkers: 2")
    if extra:
        text = text[: text.index("split:")] + extra
    if code is None:
        build_model(compiled, load_scenario_text(text))
        return
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(text))
    assert code in caught.value.codes


def test_a_shared_stage_without_a_split_and_a_team_of_no_agency_are_refused(
    compiled: CompiledPathway,
) -> None:
    text = SCENARIO.replace("caseworkers: IECA", "caseworkers: 2")
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(text[: text.index("split:")]))
    assert caught.value.codes == ("shared-stage",)
    with pytest.raises(DefinitionError) as caught:
        build_model(
            compiled, load_scenario_text(text.replace("agency: home-office,", "agency: nca,"))
        )
    assert "unknown-agency" in caught.value.codes


def test_dated_changes_resize_a_team_and_keep_its_durations(compiled: CompiledPathway) -> None:
    model = _model(
        compiled, extra="changes:\n  - {from: 2025-01-01, capacity: {ieca: {caseworkers: 9}}}\n"
    )
    assert [pool.size for pool in model.pools] == [(4, 4), (3, 9)]
    assert {round(t, 6) for team, _, t in _served(model).values() if team == "ieca"} == {10.0}
