"""Attrition (`scenario/attrition.py`): people who go missing or withdraw while at a stage end at
an outcome the pathway declares, at the rate the scenario gives."""

from __future__ import annotations

import math

import pytest

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario_text
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.tables import SimModel

PATHWAY = """
id: test/wait
title: Wait
area: Test
version: "1"
entry: referral
agencies:
  council: {name: Council}
  home-office: {name: Home Office}
tracks:
  support: {title: Support, entry: support-plan}
stages:
  referral: {title: Referral, owner: council, kind: referral}
  decision: {title: Decision, owner: home-office, kind: decision}
  granted: {title: Granted, owner: home-office, kind: outcome, outcome: supported}
  missing: {title: Missing, owner: home-office, kind: outcome, outcome: closed-without-support}
  withdrawn: {title: Withdrawn, owner: home-office, kind: outcome, outcome: exited}
  support-plan: {title: Support plan, owner: council, kind: support, track: support}
  supported: {title: Supported, owner: council, kind: outcome, outcome: supported, track: support}
handoffs:
  refer: {from: referral, to: decision, by: council, starts: [support]}
  grant: {from: decision, to: granted, by: home-office}
  planned: {from: support-plan, to: supported, by: council}
"""

SCENARIO = """
id: test/wait
title: Wait
pathway: test/wait
start: 2024-01-01
horizon: 3 years
arrivals: {per_year: 3000}
profile: {}
durations:
  referral: 1 day
  decision: 100 days
  support-plan: 5 days
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def _outcomes(model: SimModel) -> dict[str, int]:
    record = Engine(model, 3, 0).run()
    return {stage.name: record.outcomes[i] for i, stage in enumerate(model.stages) if stage.outcome}


def test_people_leave_at_the_rate_given_while_they_wait(compiled: CompiledPathway) -> None:
    """Exponential hazards: over a fixed 100-day stay, a rate r a year loses 1 - exp(-r 100 /
    365.25) of cases, shared between competing ways in proportion to their rates."""
    text = SCENARIO + (
        "attrition:\n"
        "  decision:\n"
        "    - {per_year: 0.6, to: missing}\n"
        "    - {per_year: 0.3, to: withdrawn}\n"
    )
    found = _outcomes(build_model(compiled, load_scenario_text(text)))
    total = found["granted"] + found["missing"] + found["withdrawn"]
    left = 1 - math.exp(-0.9 * 100 / 365.25)
    sd = math.sqrt(left * (1 - left) / total)
    assert abs((found["missing"] + found["withdrawn"]) / total - left) < 4 * sd
    ratio = found["missing"] / (found["missing"] + found["withdrawn"])
    assert abs(ratio - 2 / 3) < 4 * math.sqrt(2 / 9 / (found["missing"] + found["withdrawn"]))
    assert found["supported"] == total  # the other track is untouched


def test_people_leave_a_queue_too(compiled: CompiledPathway) -> None:
    """At a stage with caseworkers, a case can leave while it waits in the queue: with far too
    few caseworkers, most cases never reach one, and every journey still ends somewhere."""
    text = (
        SCENARIO.replace("decision: 100 days", "decision: 1 day")
        + "capacity:\n  home-office: {caseworkers: 1}\n"
        + "attrition:\n  decision: {per_year: 2, to: withdrawn}\n"
    )
    model = build_model(compiled, load_scenario_text(text))
    record = Engine(model, 3, 0).run()
    found = {s.name: record.outcomes[i] for i, s in enumerate(model.stages) if s.outcome}
    assert found["withdrawn"] > found["granted"] > 0
    assert found["granted"] + found["withdrawn"] == record.closed + record.unfinished


@pytest.mark.parametrize(
    ("entry", "line", "column"),
    [
        ("attrition:\n  decison: {per_year: 0.1, to: missing}\n", 14, 12),
        ("attrition:\n  decision: {per_year: 0.1, to: referral}\n", 14, 13),
        ("attrition:\n  decision: {per_year: 0.1, to: supported}\n", 14, 13),
        ("attrition:\n  granted: {per_year: 0.1, to: missing}\n", 14, 12),
    ],
)
def test_attrition_must_lead_from_a_stage_to_an_outcome_on_its_track(
    compiled: CompiledPathway, entry: str, line: int, column: int
) -> None:
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(SCENARIO + entry))
    assert caught.value.codes == ("bad-attrition",)
    location = caught.value.problems[0].location
    assert location is not None
    assert (location.line, location.column) == (line, column)


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(DefinitionError):
        load_scenario_text(SCENARIO + "attrition:\n  decision: {per_year: 0, to: missing}\n")
