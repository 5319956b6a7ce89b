"""Priority classes (`scenario/priorities.py`, `engine/priority.py`): a queue served most urgent
class first, never interrupting a case being worked on; waits by class as worked out by hand."""

from __future__ import annotations

import math
import re

import pytest
import yaml

from pathways.cli.schema import json_schema
from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.simulation import build_model, load_scenario_text, simulate
from pathways.simulation.compare import headline
from pathways.simulation.engine.loop import Engine
from pathways.simulation.summary import summary

PATHWAY = """
id: test/queue
title: Queue
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
  decision: {title: Decision, owner: home-office, kind: decision, tags: [conclusive-grounds]}
  done: {title: Done, owner: home-office, kind: outcome, outcome: supported}
handoffs:
  refer: {from: referral, to: decision, by: council}
  decide: {from: decision, to: done, by: home-office}
"""

# One caseworker, every decision exactly 1 day, 0.6 arrivals a day: an M/D/1 queue.
SCENARIO = """
id: test/queue
title: Queue
pathway: test/queue
start: 2024-01-01
horizon: 40 years
warm_up: 1 year
arrivals: {per_year: 219.15}
profile:
  age_group: {child: 0.3, adult: 0.7}
durations:
  decision: 1 day
capacity:
  home-office: {caseworkers: 1}
"""

BY_CHANCE = """
priorities:
  home-office:
    classes: [urgent, routine]
    shares: {urgent: 0.3, routine: 0.7}
"""

BY_AGE = """
priorities:
  home-office:
    classes: [urgent, routine]
    shares:
      depends_on: age_group
      by: {child: {urgent: 1}, adult: {routine: 1}}
"""


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(PATHWAY))


def _cobham(rate: float, service: float, shares: tuple[float, ...]) -> list[float]:
    """Mean waits in queue by class of an M/D/1 queue with non-preemptive priorities
    (Cobham, 1954): W_k = W0 / ((1 - s_{k-1})(1 - s_k)), where W0 = rate * service^2 / 2 is
    the mean remaining work found in service and s_k the load of classes 1 to k."""
    residual = rate * service * service / 2.0
    waits, before = [], 0.0
    for share in shares:
        upto = before + rate * share * service
        waits.append(residual / ((1.0 - before) * (1.0 - upto)))
        before = upto
    return waits


@pytest.mark.parametrize("priorities", [BY_CHANCE, BY_AGE], ids=["by chance", "by age"])
def test_waits_by_class_are_cobhams(compiled: CompiledPathway, priorities: str) -> None:
    """0.6 arrivals a day, 30% urgent: by hand, urgent cases wait 0.3 / 0.82 = 0.366 days and
    routine ones 0.3 / (0.82 x 0.4) = 0.915 days, against 0.75 for everyone first come, first
    served. Four replications of 39 counted years each come within 5% of both."""
    model = build_model(compiled, load_scenario_text(SCENARIO + priorities))
    records = [Engine(model, 1, replication).run() for replication in range(4)]
    exact = _cobham(0.6, 1.0, (0.3, 0.7))
    assert exact == pytest.approx([0.3 / 0.82, 0.3 / 0.82 / 0.4])
    for kind, expected in enumerate(exact):
        waits = [wait for record in records for wait in record.class_waits[0][kind]]
        assert math.fsum(waits) / len(waits) == pytest.approx(expected, rel=0.05)
    shares = [len(records[0].class_waits[0][kind]) / records[0].journeys for kind in (0, 1)]
    assert shares == pytest.approx([0.3, 0.7], abs=0.02)


def test_priorities_reorder_cases_but_keep_the_total_wait(compiled: CompiledPathway) -> None:
    """Every case takes exactly 1 day, so the caseworker starts work at the same times whatever
    the order: priorities move waiting time between classes and leave its total as it was."""
    plain = Engine(build_model(compiled, load_scenario_text(SCENARIO)), 3, 0).run()
    model = build_model(compiled, load_scenario_text(SCENARIO + BY_CHANCE))
    ranked = Engine(model, 3, 0).run()
    stage = [s.name for s in model.stages].index("decision")
    assert plain.journeys == ranked.journeys
    assert math.fsum(ranked.waits[stage]) == pytest.approx(math.fsum(plain.waits[stage]))
    assert sorted(ranked.waits[stage]) != sorted(plain.waits[stage])


PANEL = """
id: test/queue
title: Panel
pathway: test/queue
start: 2024-01-01
horizon: 30 days
arrivals: {per_year: 0.001}
profile:
  age_group: {child: 0.5, adult: 0.5}
capacity:
  home-office: {panel: {every: 1 week, day: wednesday, cases: 2}}
backlog_table:
  - {stage: decision, referred: 2023-10-01, cases: 2, age_group: adult}
  - {stage: decision, referred: 2023-11-01, cases: 1, age_group: adult}
  - {stage: decision, referred: 2023-12-01, cases: 2, age_group: child}
  - {stage: decision, referred: 2023-12-15, cases: 1, age_group: child}
"""


def _decisions(compiled: CompiledPathway, text: str) -> list[tuple[float, float]]:
    """(day decided, days since referral) of each decision, in the order made."""
    record = Engine(build_model(compiled, load_scenario_text(text)), 1, 0).run()
    times = list(record.cg_times)
    return list(zip(times[::2], times[1::2], strict=True))


def test_a_panel_decides_children_first_when_they_come_first(compiled: CompiledPathway) -> None:
    """Six cases wait on Monday 1 January 2024 for a panel that decides two each Wednesday
    (days 2, 9 and 16): three adults referred on 1 October and 1 November, three children on 1
    and 15 December. First come, first served, the oldest go first; with children first, the
    two children of 1 December go on day 2, then the last child and the oldest adult, then
    the other two adults."""
    first_come = [(2.0, 94.0), (2.0, 94.0), (9.0, 70.0), (9.0, 40.0), (16.0, 47.0), (16.0, 33.0)]
    assert _decisions(compiled, PANEL) == first_come
    children_first = [(2.0, 33.0), (2.0, 33.0), (9.0, 26.0), (9.0, 101.0)]
    children_first += [(16.0, 108.0), (16.0, 77.0)]
    assert _decisions(compiled, PANEL + BY_AGE) == children_first


@pytest.mark.parametrize(
    ("entry", "code", "words"),
    [
        (
            "priorities:\n  home-offic: {classes: [a, b], shares: {a: 0.5, b: 0.5}}\n",
            "bad-priority",
            "did you mean 'home-office'?",
        ),
        (
            "priorities:\n  home-office: {classes: [a, a], shares: {a: 1}}\n",
            "bad-priority",
            "names the class a more than once",
        ),
        (
            "priorities:\n  home-office: {classes: [a, b], shares: {a: 0.5, c: 0.5}}\n",
            "unknown-value",
            "'c'",
        ),
        (
            "priorities:\n  home-office:\n    classes: [a, b]\n"
            "    shares: {depends_on: age, by: {child: a}}\n",
            "unknown-attribute",
            "'age'",
        ),
    ],
)
def test_mistakes_are_reported_where_they_are(
    compiled: CompiledPathway, entry: str, code: str, words: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(SCENARIO + entry))
    assert code in caught.value.codes
    assert words in str(caught.value)
    # the entry's lines: 15 (priorities) to 18
    assert re.search(r"^<scenario>:1[5-8]:\d+: error", str(caught.value))


@pytest.mark.parametrize(
    "entry",
    [
        "priorities:\n  home-office: {classes: [a], shares: {a: 1}}\n",
        "priorities:\n  home-office: {classes: [a, b], shares: {a: 0.5, b: 0.6}}\n",
        "priorities:\n  home-office: {classes: [a, b], shares: {a: 1}, order: strict}\n",
    ],
    ids=["one class", "shares above 1", "unknown key"],
)
def test_malformed_entries_are_refused_on_loading(entry: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_scenario_text(SCENARIO + entry)
    assert "priorities.home-office" in str(caught.value)


def test_results_report_the_waits_of_each_class(compiled: CompiledPathway) -> None:
    text = SCENARIO.replace("40 years", "5 years") + BY_AGE
    results = simulate(compiled, load_scenario_text(text), replications=3, seed=2)
    assert results.priority_classes == ("home-office, class urgent", "home-office, class routine")
    figures = headline(results)
    urgent = figures["days waiting for home-office, class urgent (mean)"]
    routine = figures["days waiting for home-office, class routine (mean)"]
    assert all(u < r for u, r in zip(urgent, routine, strict=True))
    report = summary(results)
    assert "Priority classes (days in the queue, by class)" in report
    assert "days waiting for home-office, class routine (mean)" in report
    plain = summary(simulate(compiled, load_scenario_text(SCENARIO), replications=1, seed=2))
    assert "Priority classes" not in plain


def test_the_json_schema_for_editors_knows_priorities() -> None:
    """`pathways schema scenario` accepts the docs' example and refuses a single class."""
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")
    check = jsonschema.Draft202012Validator(json_schema("scenario"))
    data = yaml.safe_load(SCENARIO + BY_AGE)
    data["start"] = str(data["start"])
    assert check.is_valid(data), [e.message for e in check.iter_errors(data)]
    data["priorities"]["home-office"]["classes"] = ["urgent"]
    assert not check.is_valid(data)
