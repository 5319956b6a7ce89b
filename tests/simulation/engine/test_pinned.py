"""Pinned figures: the engine gives exactly these numbers for these seeds.

Computed by the engine as it was before its speed work (December 2026), so that any change to
the engine that changes a single number, even in its last digit, shows here. A change that is
meant to change results (a new default, a fix) updates the pins and says so in its commit.

Each case runs a scenario with a fixed seed and takes a digest of every replication's figures
(`repr` is exact for floats), figures by calendar quarter included, and a few headline
figures that can be read. The pinned pathway below uses, in one model, most of what the engine
can do: teams sharing a stage by a split, a weekly panel, caseworkers with absences, tracks
started and waited for, a stage visited again, attrition, withdrawals, declines, pauses,
unknown ages, profile changes, channels, seasonality, a backlog and a backlog table, dated
changes and retellings.
"""

from __future__ import annotations

import hashlib

import pytest

from paths import ROOT
from pathways.definition.loader import load, load_text
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import build_model, load_scenario, load_scenario_text, run_model, trace
from pathways.simulation.engine.tables import SimModel
from pathways.simulation.results import Results

PATHWAY = """
id: test/pinned
title: Pinned
area: Test
version: "1"
entry: referral
profile:
  age_group:
    values: [child, adult]
    changes: [{from: child, to: adult}]
information:
  account: {title: Account, sensitivity: special-category}
agencies:
  council: {name: Council}
  home-office: {name: Home Office}
  charity: {name: Charity}
  panel: {name: Panel}
tracks:
  support: {title: Support, entry: support-plan}
stages:
  referral: {title: Referral, owner: council, kind: referral, collects: [account]}
  assessment: {title: Assessment, owner: council, kind: safeguarding, within: 10 days,
               collects: [account]}
  decision: {title: Decision, owner: home-office, kind: decision, tags: [conclusive-grounds]}
  child-decision: {title: Child decision, owner: panel, kind: decision, tags: [reasonable-grounds]}
  outreach:
    title: Outreach
    owner: charity
    kind: support
    collects: [account]
    within: 30 days
    pause: {reasons: [hospital-stay]}
  granted: {title: Granted, owner: home-office, kind: outcome, outcome: supported}
  refused: {title: Refused, owner: home-office, kind: outcome, outcome: exited}
  missing: {title: Missing, owner: home-office, kind: outcome, outcome: closed-without-support}
  helped: {title: Helped, owner: charity, kind: outcome, outcome: supported}
  support-plan: {title: Support plan, owner: council, kind: support, track: support}
  supported: {title: Supported, owner: council, kind: outcome, outcome: supported, track: support}
handoffs:
  assess: {from: referral, to: assessment, by: council, starts: [support]}
  refer-adult: {from: assessment, to: decision, by: council, when: "age_group == 'adult'"}
  refer-child: {from: assessment, to: child-decision, by: council, when: "age_group == 'child'"}
  reassess: {from: [decision, child-decision], to: assessment, by: [home-office, panel]}
  positive: {from: [decision, child-decision], to: outreach, by: [home-office, panel],
             shares: [account]}
  negative: {from: [decision, child-decision], to: refused, by: [home-office, panel]}
  help:
    from: outreach
    to: helped
    by: charity
    waits_for: [support]
  planned:
    from: support-plan
    to: supported
    by: council
    require: acceptance
    acceptance: {reasons: [full], within: 5 days}
actions:
  withdraw: {reasons: [victim-withdraws-consent]}
"""

SCENARIO = """
id: test/pinned
title: Pinned
pathway: test/pinned
start: 2024-01-01
horizon: 2 years
warm_up: 60 days
arrivals:
  per_year: 1500
  seasonality: [0.9, 1.1, 1.0, 1.0]
  channels:
    police: {share: 0.4, profile: {age_group: {child: 0.7, adult: 0.3}}}
    council: {share: 0.6}
profile:
  age_group: {child: 0.3, adult: 0.7}
unknown:
  age_group: {share: 0.05, as: child}
profile_changes:
  - {attribute: age_group, from: child, to: adult, per_year: 0.5}
branches:
  decision: {positive: 0.5, negative: 0.35, reassess: 0.15}
  child-decision: {positive: 0.6, negative: 0.3, reassess: 0.1}
durations:
  referral: 1 day
  assessment: {distribution: exponential, mean: 0.5}
  decision: {distribution: lognormal, mean: 0.8, sd: 0.5}
  child-decision: {distribution: fixed, days: 1, unit: working}
  outreach: {distribution: gamma, mean: 20, sd: 8}
  support-plan: {distribution: empirical, values: [3, 5, 8, 13]}
capacity:
  council:
    caseworkers: 3
    stages: [assessment]
    absences:
      - {every: week, on: [friday], away: 1}
  sca: {agency: home-office, caseworkers: 3, stages: [decision]}
  ieca:
    agency: home-office
    caseworkers: 2
    stages: [decision]
    durations: {decision: {distribution: exponential, mean: 1.5}}
  panel: {panel: {every: 1 week, day: wednesday, cases: 20}}
split:
  decision: {sca: 0.8, ieca: 0.2}
attrition:
  decision: {per_year: 0.5, to: missing}
withdrawals:
  stages: {outreach: 0.3}
declines:
  planned: {probability: 0.1}
pauses:
  outreach: {probability: 0.2, duration: {distribution: exponential, mean: 10}}
backlog:
  outreach: {cases: 10}
backlog_table:
  - {stage: decision, referred: 2023-06-01, cases: 20, age_group: adult}
  - {stage: assessment, referred: 2023-11-20, cases: 5}
changes:
  - from: 2024-09-01
    branches:
      decision: {positive: 0.6, negative: 0.3, reassess: 0.1}
    capacity: {ieca: {caseworkers: 3}}
"""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _figures(results: Results) -> tuple[str, int, str]:
    """A digest of every replication's figures, the journeys counted, and the first
    replication's mean days to close (exact)."""
    first = results.replications[0]
    journeys = sum(r.journeys for r in results.replications)
    # Figures added since the pins were taken are left out while they are empty, so that the
    # pins stay those of the engine before its speed work.
    text = repr(results.replications).replace(", class_waits=())", ")")
    return _digest(text), journeys, repr(first.to_close.mean)


def _bundled(name: str) -> SimModel:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    pathway = scenario.document.pathway
    assert pathway is not None
    return build_model(compile_pathway(load(ROOT / "pathways" / f"{pathway}.yaml")), scenario)


@pytest.fixture(scope="module")
def everything() -> SimModel:
    return build_model(compile_pathway(load_text(PATHWAY)), load_scenario_text(SCENARIO))


def _tandem(stages: int = 3) -> SimModel:
    """A line of stages, each with two caseworkers and exponential times (as the benchmark's)."""
    agencies = "".join(f"  a{i}: {{name: Agency {i}}}\n" for i in range(stages))
    body = "".join(f"  s{i}: {{title: S{i}, owner: a{i}, kind: support}}\n" for i in range(stages))
    ways = "".join(
        f"  h{i}: {{from: s{i}, to: {'s' + str(i + 1) if i + 1 < stages else 'done'}, by: a{i}}}\n"
        for i in range(stages)
    )
    pathway = load_text(
        "id: test/line\ntitle: Line\narea: Test\nversion: '1'\nentry: s0\n"
        f"agencies:\n{agencies}stages:\n{body}  done: {{title: Done, owner: a0, kind: outcome, "
        f"outcome: supported}}\nhandoffs:\n{ways}"
    )
    durations = "".join(
        f"  s{i}: {{distribution: exponential, mean: 0.4}}\n" for i in range(stages)
    )
    capacity = "".join(f"  a{i}: {{caseworkers: 2}}\n" for i in range(stages))
    scenario = load_scenario_text(
        "id: test/line\ntitle: Line\npathway: test/line\nstart: 2024-01-01\n"
        "horizon: 300 days\nwarm_up: 30 days\narrivals: {per_year: 1278}\n"
        f"durations:\n{durations}capacity:\n{capacity}"
    )
    return build_model(compile_pathway(pathway), scenario)


#: The line of `_tandem()`, three replications from seed 2.
TANDEM = ("d2fb4d6981a6b429", 2846, "2.266208151390369")

#: Bundled scenario -> (replications, seed, digest, journeys, first mean days to close).
BUNDLED = {
    "humber/hull": (3, 1, "c61ea4129bd4cbf5", 884, "128.9156516915147"),
    "humber/hull-second-caseworker": (3, 1, "8316f1548a1c0d1a", 884, "128.34354443437982"),
    "humber/east-riding": (2, 4, "15089b14b2762176", 712, "275.6581329587723"),
    "humber/north-east-lincolnshire": (2, 4, "5a3b287ea01c5dab", 319, "123.64387838966579"),
    "humber/north-lincolnshire": (2, 4, "0b4022088a1e4679", 333, "121.14732122532871"),
    "hertfordshire/hertfordshire": (2, 2, "439b21b4e2a22c3b", 1719, "274.1318042887707"),
    "national/england": (1, 1, "4f7a1add5380cbbc", 73682, "286.0942230123912"),
    "national/england-wales-2021-2023": (1, 1, "030590d75c9bccbb", 59037, "657.4401232289401"),
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.slow] if name.startswith("national/") else [])
        for name in sorted(BUNDLED)
    ],
)
def test_bundled_scenarios_give_the_pinned_figures(name: str) -> None:
    replications, seed, *pinned = BUNDLED[name]
    results = run_model(_bundled(name), replications=replications, seed=seed, periods="quarter")
    assert _figures(results) == tuple(pinned)


@pytest.mark.parametrize(
    ("replications", "seed", "figures"),
    [
        (3, 3, ("8e12b350256375f4", 8325, "22.06517155036545")),
        (2, 11, ("391178997a2977fc", 5662, "21.217098549477775")),
    ],
)
def test_every_feature_at_once_gives_the_pinned_figures(
    everything: SimModel, replications: int, seed: int, figures: tuple[str, int, str]
) -> None:
    results = run_model(everything, replications=replications, seed=seed, periods="month")
    assert _figures(results) == figures


def test_traced_journeys_are_pinned_event_by_event(everything: SimModel) -> None:
    journeys = trace(everything, 3, 1, journeys=40)
    seen = repr([(j.number, j.profile, j.arrived, j.events) for j in journeys])
    assert _digest(seen) == "5e478883af953fb4"


def test_a_line_of_caseworkers_gives_the_pinned_figures() -> None:
    results = run_model(_tandem(), replications=3, seed=2, periods="quarter")
    assert _figures(results) == TANDEM
