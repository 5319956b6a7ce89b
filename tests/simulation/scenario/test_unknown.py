"""Unknown values (`scenario/unknown.py`): a share of victims whose age is not known, reported as
`unknown` and routed as the scenario says (here: as a child, until their age is assessed)."""

from __future__ import annotations

import math

import pytest

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario_text, trace

PATHWAY = """
id: test/ages
title: Ages
area: Test
version: "1"
entry: referral
profile:
  age_group: {values: [child, adult]}
agencies:
  council: {name: Council}
stages:
  referral: {title: Referral, owner: council, kind: referral}
  child-panel: {title: Child panel, owner: council, kind: decision}
  adult-decision: {title: Adult decision, owner: council, kind: decision}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  to-panel: {from: referral, to: child-panel, by: council, when: "age_group == 'child'"}
  to-adult: {from: referral, to: adult-decision, by: council, when: "age_group == 'adult'"}
  panel-done: {from: child-panel, to: done, by: council}
  adult-done: {from: adult-decision, to: done, by: council}
"""

SCENARIO = """
id: test/ages
title: Ages
pathway: test/ages
start: 2024-01-01
horizon: 2 years
arrivals: {per_year: 2000}
profile:
  age_group: {child: 0.4, adult: 0.6}
durations:
  referral: 1 day
unknown:
  age_group: {share: 0.25, as: child}
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def test_unknown_ages_are_counted_apart_and_routed_as_children(compiled: CompiledPathway) -> None:
    model = build_model(compiled, load_scenario_text(SCENARIO))
    journeys = trace(model, 5, 0, journeys=3000)
    ages = [model.profile_values[j.profile][0] for j in journeys]
    routes = [next(e[3] for e in j.events or () if e[2] == "handoff") for j in journeys]
    hidden = ages.count("unknown") / len(ages)
    assert abs(hidden - 0.25) < 4 * math.sqrt(0.25 * 0.75 / len(ages))
    children = ages.count("child") / len(ages)
    assert abs(children - 0.4 * 0.75) < 4 * math.sqrt(0.3 * 0.7 / len(ages))
    for age, route in zip(ages, routes, strict=True):
        assert route == ("to-adult" if age == "adult" else "to-panel")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("age: {share: 0.1, as: child}", "'age' is not a profile attribute"),
        ("age_group: {share: 0.1, as: kid}", "which is not a value of age_group"),
    ],
)
def test_unknown_must_name_an_attribute_and_one_of_its_values(
    compiled: CompiledPathway, entry: str, message: str
) -> None:
    text = SCENARIO.replace("age_group: {share: 0.25, as: child}", entry)
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(text))
    assert caught.value.codes == ("bad-unknown",)
    assert message in str(caught.value)


def test_a_share_outside_0_to_1_is_refused_on_loading() -> None:
    with pytest.raises(DefinitionError):
        load_scenario_text(SCENARIO.replace("share: 0.25", "share: 1.5"))
