"""Declines (`scenario/declines.py`): referrals the receiver turns down go where the pathway
says, after the answer's time, as often as the scenario says; mistakes are reported with their
line and column."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
id: test/declines
title: Declines
area: Test
version: "1"
entry: referral
agencies:
  council: {name: Council}
  charity: {name: Charity}
stages:
  referral: {title: Referral, owner: council, kind: referral}
  outreach: {title: Outreach, owner: charity, kind: support}
  advice: {title: Advice, owner: council, kind: support}
  helped: {title: Helped, owner: charity, kind: outcome, outcome: supported}
  advised: {title: Advised, owner: council, kind: outcome, outcome: moved-on}
handoffs:
  refer:
    from: referral
    to: outreach
    by: council
    require: acceptance
    acceptance: {reasons: [not-enough-information, out-of-area], within: 10 days}
  refer-again:
    from: advice
    to: outreach
    by: council
    require: acceptance
    acceptance: {reasons: [full], declined_to: advised}
  help: {from: outreach, to: helped, by: charity}
  advise: {from: referral, to: advice, by: council}
  close: {from: advice, to: advised, by: council}
"""

SCENARIO = """
id: test/declines
title: Declines
pathway: test/declines
start: 2024-01-01
horizon: 2 years
arrivals: {per_year: 4000}
profile: {}
branches:
  referral: {refer: 0.7, advise: 0.3}
  advice: {refer-again: 0.5, close: 0.5}
durations:
  referral: 2 days
  outreach: 20 days
  advice: 5 days
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def _run(compiled: CompiledPathway, extra: str, seed: int = 3) -> tuple[SimModel, Recorder]:
    model = build_model(compiled, load_scenario_text(SCENARIO + extra))
    return model, Engine(model, seed, 0).run()


def _taken(model: SimModel, record: Recorder) -> dict[str, int]:
    return {way.name: record.taken[i] for i, way in enumerate(model.ways)}


def test_a_scenario_without_declines_runs_as_before(compiled: CompiledPathway) -> None:
    """The decline stream is new and seeded by name, so nothing else moves."""
    model, record = _run(compiled, "")
    assert not model.declines
    assert len(model.ways) == 5
    assert all(not name.endswith(")") for name in _taken(model, record))


def test_referrals_are_declined_as_often_as_given_and_go_back(compiled: CompiledPathway) -> None:
    """A decline with no `declined_to` goes back to the stage it came from, where the referral
    is made again: the share declined is the probability, per referral."""
    model, record = _run(compiled, "declines:\n  refer: {probability: 0.25}\n")
    taken = _taken(model, record)
    declined = taken["refer declined (not-enough-information)"]
    made = declined + taken["refer"]
    assert abs(declined / made - 0.25) < 4 * math.sqrt(0.25 * 0.75 / made)
    back = model.ways[[w.name for w in model.ways].index("refer declined (not-enough-information)")]
    assert model.stages[back.to].name == "referral"


def test_declines_by_reason_go_to_declined_to(compiled: CompiledPathway) -> None:
    model, record = _run(
        compiled,
        "declines:\n  refer-again: {reasons: {full: 1.0}}\n"
        "  refer: {reasons: {out-of-area: 0.1, not-enough-information: 0.2}}\n",
    )
    taken = _taken(model, record)
    assert taken["refer-again"] == 0
    assert taken["refer-again declined (full)"] > 0
    first = taken["refer declined (out-of-area)"]
    second = taken["refer declined (not-enough-information)"]
    assert 1.4 < second / first < 2.8
    outcomes = {s.name: record.outcomes[i] for i, s in enumerate(model.stages) if s.outcome}
    assert outcomes["advised"] > 0


def test_the_answer_takes_its_time(compiled: CompiledPathway) -> None:
    """Every referral declined waits ten days (the acceptance's `within`) for its answer, so
    journeys take longer on average than with `after: 0 days`."""
    _, slow = _run(compiled, "declines:\n  refer: {probability: 0.5}\n")
    _, fast = _run(compiled, "declines:\n  refer: {probability: 0.5, after: 0 days}\n")
    assert sum(slow.to_close) / len(slow.to_close) > sum(fast.to_close) / len(fast.to_close) + 5


def test_same_seed_same_numbers(compiled: CompiledPathway) -> None:
    extra = "declines:\n  refer: {probability: 0.3}\n"
    _, first = _run(compiled, extra)
    _, again = _run(compiled, extra)
    assert first.taken == again.taken
    assert first.outcomes == again.outcomes
    assert list(first.to_close) == list(again.to_close)


@pytest.mark.parametrize(
    ("entry", "line", "column"),
    [
        ("declines:\n  help: {probability: 0.1}\n", 17, 9),
        ("declines:\n  refer: {reasons: {too-busy: 0.1}}\n", 17, 31),
        ("declines:\n  refer: {probability: 1.0}\n", 17, 10),
        ("declines:\n  refer: {}\n", 17, 10),
    ],
)
def test_mistakes_are_reported_where_they_are(
    compiled: CompiledPathway, entry: str, line: int, column: int
) -> None:
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(SCENARIO + entry))
    assert caught.value.codes == ("bad-declines",)
    location = caught.value.problems[0].location
    assert location is not None
    assert (location.line, location.column) == (line, column)


def test_a_probability_above_one_is_refused(compiled: CompiledPathway) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_scenario_text(SCENARIO + "declines:\n  refer: {probability: 1.5}\n")
    location = caught.value.problems[0].location
    assert location is not None
    assert location.line == 17


def test_results_count_declines_by_handoff(compiled: CompiledPathway) -> None:
    """The summary reports the share of each declinable handoff's referrals declined; a
    scenario without declines has no such figure."""
    text = SCENARIO + "declines:\n  refer: {probability: 0.25}\n"
    results = simulate(compiled, load_scenario_text(text), replications=3, seed=2)
    figures = headline(results)
    shares = figures["share of referrals by refer declined"]
    assert all(abs(share - 0.25) < 0.05 for share in shares)
    assert "share of referrals by refer declined" in summary(results)
    plain = simulate(compiled, load_scenario_text(SCENARIO), replications=3, seed=2)
    assert not any("declined" in name for name in headline(plain))
    assert "Referral lifecycle" not in summary(plain)


@settings(max_examples=8, deadline=None)
@given(
    first=st.floats(0.0, 0.6),
    second=st.floats(0.0, 0.3),
    again=st.floats(0.0, 1.0),
)
def test_every_referral_is_answered_and_every_journey_ends_once(
    compiled: CompiledPathway, first: float, second: float, again: float
) -> None:
    """Whatever the probabilities: each referral by `refer` is accepted or declined for one
    reason, each accepted referral leads to outreach once, and every journey is counted once,
    closed or unfinished."""
    extra = (
        "declines:\n"
        f"  refer: {{reasons: {{not-enough-information: {first}, out-of-area: {second}}}}}\n"
        f"  refer-again: {{probability: {again}}}\n"
    )
    text = SCENARIO.replace("per_year: 4000", "per_year: 300") + extra
    model = build_model(compiled, load_scenario_text(text))
    record = Engine(model, 1, 0).run()
    taken = _taken(model, record)
    helped = record.outcomes[[s.name for s in model.stages].index("helped")]
    assert taken["refer"] + taken["refer-again"] >= helped
    advised = record.outcomes[[s.name for s in model.stages].index("advised")]
    assert taken["refer-again declined (full)"] + taken["close"] >= advised
    assert record.closed + record.unfinished == record.journeys
