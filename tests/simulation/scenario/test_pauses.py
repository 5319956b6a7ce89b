"""Pauses (`scenario/pauses.py`): a paused visit lasts longer, but its paused time does not
count against the stage's time limit."""

from __future__ import annotations

import pytest

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario_text, simulate
from pathways.simulation.compare import headline
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.recorder import Recorder
from pathways.simulation.engine.tables import SimModel
from pathways.simulation.summary import summary

PATHWAY = """
id: test/pause
title: Pause
area: Test
version: "1"
entry: referral
agencies:
  council: {name: Council}
  charity: {name: Charity}
stages:
  referral: {title: Referral, owner: council, kind: referral}
  support:
    title: Support
    owner: charity
    kind: support
    within: 30 days
    pause: {reasons: [hospital-stay]}
  moved-on: {title: Moved on, owner: charity, kind: outcome, outcome: moved-on}
handoffs:
  start: {from: referral, to: support, by: council}
  move-on: {from: support, to: moved-on, by: charity}
"""

SCENARIO = """
id: test/pause
title: Pause
pathway: test/pause
start: 2024-01-01
horizon: 2 years
arrivals: {per_year: 2000}
profile: {}
durations:
  referral: 1 day
  support: 20 days
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def _run(compiled: CompiledPathway, extra: str, days: int = 20) -> tuple[SimModel, Recorder]:
    base = SCENARIO.replace("support: 20 days", f"support: {days} days")
    model = build_model(compiled, load_scenario_text(base + extra))
    return model, Engine(model, 5, 0).run()


def _support(model: SimModel) -> int:
    return [s.name for s in model.stages].index("support")


def test_paused_time_lengthens_the_stay_but_not_the_clock(compiled: CompiledPathway) -> None:
    """Twenty days of work and a fifteen-day pause for half the visits: the stay averages 27.5
    days, and though half the visits last 35 days, past the 30-day limit, none breaches it."""
    model, record = _run(compiled, "pauses:\n  support: {probability: 0.5, duration: 15 days}\n")
    stage = _support(model)
    stays = record.services[stage]
    paused = [stay for stay in stays if stay > 21.0]
    assert all(stay == pytest.approx(35.0) for stay in paused)
    assert all(stay == pytest.approx(20.0) for stay in stays if stay <= 21.0)
    share = len(paused) / len(stays)
    assert 0.45 < share < 0.55
    assert record.breaches[stage] == 0
    assert record.paused[stage] == pytest.approx(15.0 * len(paused))


def test_a_long_stay_without_a_pause_still_breaches(compiled: CompiledPathway) -> None:
    text = "pauses:\n  support: {probability: 0.5, duration: 15 days}\n"
    model, record = _run(compiled, text, days=40)
    stage = _support(model)
    assert record.breaches[stage] == len(record.services[stage])


def test_without_pauses_the_numbers_are_as_before(compiled: CompiledPathway) -> None:
    """A pause drawn with probability 0 changes nothing but the paused days, all 0."""
    model, plain = _run(compiled, "")
    _, zero = _run(compiled, "pauses:\n  support: {probability: 0.0, duration: 15 days}\n")
    assert list(plain.to_close) == list(zero.to_close)
    assert plain.breaches == zero.breaches
    assert zero.paused[_support(model)] == 0.0


def test_same_seed_same_numbers(compiled: CompiledPathway) -> None:
    text = (
        "pauses:\n  support: {probability: 0.3, duration: {distribution: exponential, mean: 10}}\n"
    )
    _, first = _run(compiled, text)
    _, again = _run(compiled, text)
    assert list(first.to_close) == list(again.to_close)
    assert first.paused == again.paused


@pytest.mark.parametrize(
    ("entry", "code", "line"),
    [
        ("pauses:\n  referral: {probability: 0.1, duration: 5 days}\n", "bad-pauses", 13),
        ("pauses:\n  support: {probability: 1.5, duration: 5 days}\n", None, 13),
    ],
)
def test_mistakes_are_reported_where_they_are(
    compiled: CompiledPathway, entry: str, code: str | None, line: int
) -> None:
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(SCENARIO + entry))
    if code is not None:
        assert caught.value.codes == (code,)
    location = caught.value.problems[0].location
    assert location is not None
    assert location.line == line


def test_results_report_days_paused_per_journey(compiled: CompiledPathway) -> None:
    """Half the visits paused for 15 days: about 7.5 days paused per journey."""
    text = SCENARIO + "pauses:\n  support: {probability: 0.5, duration: 15 days}\n"
    results = simulate(compiled, load_scenario_text(text), replications=2, seed=2)
    days = headline(results)["days paused at support per journey"]
    assert all(6.5 < value < 8.5 for value in days)
    assert "days paused at support per journey" in summary(results)


def test_a_stage_with_caseworkers_is_paused_too(compiled: CompiledPathway) -> None:
    """With caseworkers and exponential times (which the engine draws on a shortcut), a pause
    still lengthens the work: about 7.5 days more on average."""
    base = SCENARIO.replace("support: 20 days", "support: {distribution: exponential, mean: 20}")
    base += "capacity:\n  charity: {caseworkers: 500}\n"
    plain = build_model(compiled, load_scenario_text(base))
    paused = build_model(
        compiled,
        load_scenario_text(base + "pauses:\n  support: {probability: 0.5, duration: 15 days}\n"),
    )
    stage = _support(plain)
    before, after = Engine(plain, 5, 0).run(), Engine(paused, 5, 0).run()
    gain = sum(after.services[stage]) / len(after.services[stage]) - sum(
        before.services[stage]
    ) / len(before.services[stage])
    assert 6.0 < gain < 9.0
    assert after.paused[stage] > 0
