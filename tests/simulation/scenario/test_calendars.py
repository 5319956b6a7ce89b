"""Staff calendars (`scenario/calendars.py`): recurring absences on top of dated capacity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario_text
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.recorder import JourneyRecord
from pathways.simulation.scenario.calendars import Absence, capacity_timeline

FRIDAYS = Absence.model_validate({"every": "week", "on": ["friday"], "away": 1})
CHRISTMAS = Absence.model_validate({"every": "year", "from": "12-24", "to": "01-01", "away": 2})


def _size_on(timeline: tuple[tuple[float, int], ...], day: int) -> int:
    return [size for time, size in timeline if time <= day][-1]


def test_a_weekly_and_a_yearly_absence_add_up_and_never_go_below_zero() -> None:
    start = date(2024, 12, 16)  # a Monday
    timeline = capacity_timeline([(0.0, 2)], [(FRIDAYS, CHRISTMAS)], start, 30)
    sizes = [_size_on(timeline, day) for day in range(30)]
    assert sizes[4] == 1  # Friday 20 December
    assert sizes[8] == 0  # Tuesday 24 December: two away
    assert sizes[11] == 0  # Friday 27 December: three away, but not below 0
    assert sizes[16] == 0  # 1 January, still Christmas
    assert sizes[17] == 2  # Thursday 2 January
    assert sizes[18] == 1  # Friday 3 January
    assert timeline[-1][1] == 2  # after the days worked out, as dated


@given(
    days=st.integers(1, 60),
    base=st.integers(0, 4),
    change=st.integers(0, 59),
    later=st.integers(0, 4),
)
def test_the_timeline_is_the_dated_size_less_the_absences_of_each_day(
    days: int, base: int, change: int, later: int
) -> None:
    """Property: on every day, the size is the regime's size less the absences, floored at 0."""
    start = date(2023, 12, 20)
    sizes = [(0.0, base), (float(change), later)] if change else [(0.0, later)]
    absences = [(FRIDAYS,), (FRIDAYS, CHRISTMAS)] if change else [(FRIDAYS, CHRISTMAS)]
    timeline = capacity_timeline(sizes, absences, start, days)
    for day in range(days):
        regime = 1 if change and day >= change else 0
        when = start + timedelta(days=day)
        away = sum(a.away for a in absences[regime] if a.applies(when))
        assert _size_on(timeline, day) == max(0, sizes[regime][1] - away)
    assert [t for t, _ in timeline] == sorted({t for t, _ in timeline})


PATHWAY = """
id: test/office
title: Office
area: Test
version: "1"
entry: triage
agencies:
  council: {name: Council}
stages:
  triage: {title: Triage, owner: council, kind: referral}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  finish: {from: triage, to: done, by: council}
"""

SCENARIO = """
id: test/office
title: Office
pathway: test/office
start: 2024-01-01
horizon: 200 days
arrivals: {per_year: 100}
profile: {}
durations:
  triage: {distribution: gamma, mean: 0.1, sd: 0.05}
capacity:
  council:
    caseworkers: 1
    absences:
      - {every: week, on: [tuesday, wednesday, thursday, friday, saturday, sunday], away: 1}
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def test_cases_are_picked_up_only_when_someone_is_in(compiled: CompiledPathway) -> None:
    model = build_model(compiled, load_scenario_text(SCENARIO))
    engine = Engine(model, 2, 0)
    starts: list[float] = []
    end = engine.capacity.service_end

    def keep(journey: JourneyRecord, stage: int, arrived: float, start: float) -> float:
        starts.append(start)
        return end(journey, stage, arrived, start)

    engine.capacity.service_end = keep
    record = engine.run()
    assert len(starts) > 40
    assert {(date(2024, 1, 1) + timedelta(days=int(t))).weekday() for t in starts} == {0}
    # Utilisation is over the time someone was in, one day in seven: about 55 cases of 0.1 days
    # in about 28 days (it would be under 0.03 over all 200 days).
    assert 0.1 < record.utilisation[0] < 0.4


def test_an_absence_must_say_when(compiled: CompiledPathway) -> None:
    text = SCENARIO.replace("every: week, on: [tuesday", "every: year, on: [tuesday")
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(text))
    assert caught.value.codes == ("bad-capacity",)
    with pytest.raises(DefinitionError):
        load_scenario_text(
            SCENARIO.replace(
                "{every: week, on: [tuesday, wednesday, thursday, friday, saturday, sunday], "
                "away: 1}",
                "{every: year, from: 13-01, to: 01-02, away: 1}",
            )
        )
