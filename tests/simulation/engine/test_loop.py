"""The engine on a small NRM-like pathway: determinism, tracks, timeouts, and replay.

The replay property test is the guarantee that the simulator uses the runtime's rules: a
sample of simulated journeys is replayed through the runtime journey API
(`pathways.runtime.opening`),
and every one must be accepted there, event by event, and end closed.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.opening import start
from pathways.simulation import build_model, load_scenario_text, run_model, simulate, trace
from pathways.simulation.engine.clock import Clock

PATHWAY = """
id: test/mini
title: Mini NRM
area: Test
version: "1"
entry: identified
profile:
  age_group:
    values: [child, adult]
    changes: [{from: child, to: adult}]
  consent:
    values: [given, declined]
agencies:
  police: {name: Police, first_responder: true}
  council: {name: Council}
  home-office: {name: Home Office}
  panel: {name: Child panel}
information:
  account: {title: Account, sensitivity: special-category}
tracks:
  investigation: {title: Police investigation, entry: crime-recorded}
stages:
  identified: {title: Identified, owner: police, kind: identification, collects: [account]}
  place-of-safety: {title: Place of safety, owner: council, kind: support}
  consent: {title: Consent discussion, owner: council, kind: referral, collects: [account]}
  dtn: {title: Duty to notify, owner: police, kind: outcome, outcome: closed-without-support}
  rg: {title: RG decision, owner: home-office, kind: decision, within: 5 working days}
  child-rg: {title: Child panel RG, owner: panel, kind: decision, within: 45 days}
  recovery: {title: Recovery period, owner: council, kind: support, at_least: 30 days}
  cg: {title: CG decision, owner: home-office, kind: decision}
  supported: {title: Supported, owner: council, kind: outcome, outcome: supported}
  exit: {title: Exit, owner: council, kind: outcome, outcome: exited}
  crime-recorded: {title: Crime recorded, owner: police, kind: investigation, track: investigation}
  charged: {title: Charged, owner: police, kind: outcome, outcome: charged, track: investigation}
  nfa: {title: NFA, owner: police, kind: outcome, outcome: no-further-action, track: investigation}
handoffs:
  to-safety: {from: identified, to: place-of-safety, by: police, starts: [investigation]}
  safety-ends: {from: place-of-safety, to: consent, by: council, within: 3 working days,
                timeout: true}
  refer-adult: {from: consent, to: rg, by: council, within: 2 days,
                when: "age_group == 'adult' and consent == 'given'"}
  refer-child: {from: consent, to: child-rg, by: council, when: "age_group == 'child'"}
  notify: {from: consent, to: dtn, by: police,
           when: "age_group == 'adult' and consent == 'declined'"}
  rg-positive: {from: [rg, child-rg], to: recovery, by: [home-office, panel]}
  rg-negative: {from: [rg, child-rg], to: exit, by: [home-office, panel]}
  to-cg: {from: recovery, to: cg, by: council}
  cg-positive: {from: cg, to: supported, by: home-office, waits_for: [investigation]}
  cg-negative: {from: cg, to: exit, by: home-office}
  charge: {from: crime-recorded, to: charged, by: police}
  no-further-action: {from: crime-recorded, to: nfa, by: police}
"""

SCENARIO = """
id: test/mini
title: Mini
pathway: test/mini
start: 2022-10-01
horizon: 2 years
warm_up: 90 days
arrivals: {per_year: 120, seasonality: [0.9, 1.0, 1.1, 1.0]}
profile:
  age_group: {child: 0.5, adult: 0.5}
  consent: {depends_on: age_group, by: {child: given, adult: {given: 0.64, declined: 0.36}}}
profile_changes:
  - {attribute: age_group, from: child, to: adult, per_year: 0.3}
branches:
  rg: {rg-positive: 0.55, rg-negative: 0.45}
  child-rg: {rg-positive: 0.7, rg-negative: 0.3}
  cg: {cg-positive: 0.66, cg-negative: 0.34}
  crime-recorded: {charge: 0.1, no-further-action: 0.9}
durations:
  identified: 1 day
  consent: {distribution: exponential, mean: 2}
  rg: {distribution: gamma, mean: 4, sd: 3, unit: working}
  child-rg: 1 day
  recovery: {distribution: fixed, days: 45}
  cg: {distribution: lognormal, mean: 300, sd: 200, shift: 30}
  crime-recorded: {distribution: exponential, mean: 200}
capacity:
  council: {caseworkers: 2, stages: [consent]}
  panel: {panel: {every: 1 week, day: wednesday, cases: 5}}
backlog:
  cg: {cases: 20}
changes:
  - from: 2023-01-30
    durations: {recovery: 30 days}
"""


@pytest.fixture(scope="module")
def compiled():  # type: ignore[no-untyped-def]
    return compile_pathway(load_text(PATHWAY))


@pytest.fixture(scope="module")
def model(compiled):  # type: ignore[no-untyped-def]
    return build_model(compiled, load_scenario_text(SCENARIO))


def test_same_seed_same_numbers_and_different_seed_different_numbers(model) -> None:  # type: ignore[no-untyped-def]
    first = run_model(model, replications=2, seed=7)
    again = run_model(model, replications=2, seed=7)
    other = run_model(model, replications=2, seed=8)
    assert repr(first.replications) == repr(again.replications)
    assert repr(first.replications) != repr(other.replications)
    assert first.replications[0] != first.replications[1]


def test_tracks_waits_and_outcomes_add_up(model) -> None:  # type: ignore[no-untyped-def]
    results = run_model(model, replications=3, seed=3)
    shares = results.outcome_shares()
    main = sum(shares[name].mean for name in ("dtn", "supported", "exit"))
    police = sum(shares[name].mean for name in ("charged", "nfa"))
    assert main == pytest.approx(1.0)
    assert police == pytest.approx(1.0)
    stages = {s.name: s for s in results.stages()}
    # cg-positive waits for the investigation track, so some CG cases wait after deciding.
    assert stages["cg"].wait[0].mean > 1.0
    # The place of safety ends by its timeout: 3 working days after arrival, never sooner.
    assert 3.0 <= stages["place-of-safety"].service[0].mean <= 6.0
    # A weekly panel: waits between 0 and 7 days, 3.5 on average for random arrivals.
    assert 1.5 < stages["child-rg"].wait[0].mean < 5.5
    # The account is asked for twice (identified, then consent): one retelling each.
    assert results.each(lambda r: r.retellings).mean == pytest.approx(1.0)
    assert all(r.unfinished == 0 for r in results.replications)


def test_recovery_period_follows_the_regime_change(model) -> None:  # type: ignore[no-untyped-def]
    regimes = model.regimes
    assert len(regimes) == 2
    recovery = [s.name for s in model.stages].index("recovery")
    assert regimes[0].durations[recovery].expected == 45
    assert regimes[1].durations[recovery].expected == 30
    assert regimes[1].starts == Clock(model.start).day_of(model.start.replace(2023, 1, 30))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**9))
def test_simulated_journeys_replay_through_the_runtime(compiled, model, seed: int) -> None:  # type: ignore[no-untyped-def]
    journeys = trace(model, seed, 0, journeys=25)
    assert journeys
    clock = Clock(model.start)
    for journey in journeys:
        if not journey.closed:
            continue
        values = dict(zip(model.attributes, model.profile_values[journey.profile], strict=True))
        runtime = start(
            compiled,
            f"SIM-{journey.number}",
            values,
            clock.moment(journey.arrived),
            by=model.opener,
        )
        assert journey.events is not None
        for when, _, kind, name, value in sorted(journey.events, key=lambda e: (e[0], e[1])):
            at = clock.moment(when)
            fired = runtime.tick(at)
            if kind == "timeout":
                assert [e.trigger for e in fired] == [name]
                continue
            assert not fired, f"the runtime made a timeout the simulator did not: {fired}"
            if kind == "profile":
                assert isinstance(value, str | bool)
                runtime.update_profile(name, value, by=model.opener, at=at)
            else:
                assert isinstance(value, str)
                runtime.handoff(name, by=value, at=at)
        assert runtime.closed


def test_a_scenario_naming_unknown_things_lists_every_problem(compiled) -> None:  # type: ignore[no-untyped-def]
    broken = SCENARIO.replace("rg: {rg-positive", "rgg: {rg-positive").replace(
        "council: {caseworkers: 2", "counsil: {caseworkers: 2"
    )
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(broken))
    assert set(caught.value.codes) == {"unknown-stage", "unknown-agency"}
    assert "did you mean 'rg'?" in str(caught.value)


def test_probabilities_that_do_not_add_up_are_refused_on_loading() -> None:
    broken = SCENARIO.replace("child: 0.5, adult: 0.5", "child: 0.5, adult: 0.6")
    with pytest.raises(DefinitionError) as caught:
        load_scenario_text(broken)
    assert caught.value.codes == ("invalid-value",)
    assert "profile.age_group: the probabilities should add up to 1" in str(caught.value)


def test_missing_branch_probabilities_are_reported(compiled) -> None:  # type: ignore[no-untyped-def]
    text = SCENARIO.replace("  cg: {cg-positive: 0.66, cg-negative: 0.34}\n", "")
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(text))
    assert caught.value.codes == ("missing-branches",)
    assert "'cg'" in str(caught.value)


def test_parallel_replications_equal_serial_ones(model) -> None:  # type: ignore[no-untyped-def]
    serial = run_model(model, replications=3, seed=11)
    parallel = run_model(model, replications=3, seed=11, workers=2)
    # repr is exact for floats (and NaN == NaN there), so this is bit-for-bit equality.
    assert repr(serial.replications) == repr(parallel.replications)
    assert not math.isnan(serial.journeys.half_width)


def test_simulate_takes_a_pathway_and_a_scenario() -> None:
    results = simulate(load_text(PATHWAY), load_scenario_text(SCENARIO), replications=2, seed=1)
    assert results.journeys.mean > 150
