"""Withdrawals (`scenario/withdrawals.py`): victims withdraw at the rate the scenario gives, and
their journeys end as `withdrawn`, an outcome of its own."""

from __future__ import annotations

import math

import pytest

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario_text, simulate
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.tables import SimModel

PATHWAY = """
id: test/withdraw
title: Withdraw
area: Test
version: "1"
entry: referral
agencies:
  council: {name: Council}
  home-office: {name: Home Office}
stages:
  referral: {title: Referral, owner: council, kind: referral}
  decision: {title: Decision, owner: home-office, kind: decision}
  granted: {title: Granted, owner: home-office, kind: outcome, outcome: supported}
  missing: {title: Missing, owner: home-office, kind: outcome, outcome: closed-without-support}
handoffs:
  refer: {from: referral, to: decision, by: council}
  grant: {from: decision, to: granted, by: home-office}
actions:
  withdraw: {reasons: [victim-withdraws-consent]}
"""

SCENARIO = """
id: test/withdraw
title: Withdraw
pathway: test/withdraw
start: 2024-01-01
horizon: 3 years
arrivals: {per_year: 3000}
profile: {}
durations:
  referral: 1 day
  decision: 100 days
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def _outcomes(model: SimModel, seed: int = 3) -> dict[str, int]:
    record = Engine(model, seed, 0).run()
    return {stage.name: record.outcomes[i] for i, stage in enumerate(model.stages) if stage.outcome}


def test_victims_withdraw_at_the_rate_given(compiled: CompiledPathway) -> None:
    """Over a fixed 100-day wait, a rate r a year withdraws 1 - exp(-r 100 / 365.25) of cases,
    and a one-day stay at the referral about 1/365 of that rate."""
    text = SCENARIO + "withdrawals: {stages: {decision: 0.9}}\n"
    found = _outcomes(build_model(compiled, load_scenario_text(text)))
    total = found["granted"] + found["withdrawn"]
    share = 1 - math.exp(-0.9 * 100 / 365.25)
    assert abs(found["withdrawn"] / total - share) < 4 * math.sqrt(share * (1 - share) / total)


def test_withdrawal_competes_with_attrition(compiled: CompiledPathway) -> None:
    text = SCENARIO + (
        "withdrawals: {per_year: 0.6}\nattrition:\n  decision: {per_year: 0.3, to: missing}\n"
    )
    found = _outcomes(build_model(compiled, load_scenario_text(text)))
    left = found["withdrawn"] + found["missing"]
    assert abs(found["withdrawn"] / left - 2 / 3) < 4 * math.sqrt(2 / 9 / left)


def test_withdrawn_is_its_own_outcome_row_in_results(compiled: CompiledPathway) -> None:
    text = SCENARIO + "withdrawals: {per_year: 0.5}\n"
    results = simulate(compiled, load_scenario_text(text), replications=2, seed=1)
    shares = results.outcome_shares()
    assert set(shares) >= {"granted", "withdrawn"}
    again = simulate(compiled, load_scenario_text(text), replications=2, seed=1)
    assert again.outcome_shares() == shares


def test_a_scenario_without_withdrawals_adds_no_stage(compiled: CompiledPathway) -> None:
    model = build_model(compiled, load_scenario_text(SCENARIO))
    assert [s.name for s in model.stages] == ["referral", "decision", "granted", "missing"]


@pytest.mark.parametrize(
    ("entry", "line", "column"),
    [
        ("withdrawals: {stages: {decison: 0.1}}\n", 12, 33),
        ("withdrawals: {stages: {granted: 0.1}}\n", 12, 33),
        ("withdrawals: {stages: {decision: -0.1}}\n", 12, 34),
        ("withdrawals: {}\n", 12, 14),
    ],
)
def test_mistakes_are_reported_where_they_are(
    compiled: CompiledPathway, entry: str, line: int, column: int
) -> None:
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(SCENARIO + entry))
    assert caught.value.codes == ("bad-withdrawals",)
    location = caught.value.problems[0].location
    assert location is not None
    assert (location.line, location.column) == (line, column)


def test_the_pathway_must_let_victims_withdraw() -> None:
    compiled = compile_pathway(load_text(PATHWAY.split("actions:")[0]))
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(SCENARIO + "withdrawals: {per_year: 0.1}\n"))
    assert caught.value.codes == ("bad-withdrawals",)
