"""A journey that can never stop moving stops the simulation with a problem (`endless-loop`),
where it used to run for ever; a loop with a way out is still simulated to the end."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import build_model, load_scenario_text, run_model, simulate

PATHWAY = """\
id: test/loop
title: Loop test pathway
area: Testshire
version: "1"
entry: found
roles:
  first-responder: {title: First responder}
agencies:
  council: {name: Test Council, roles: [first-responder]}
stages:
  found: {title: Found, owner: first-responder, kind: identification}
  referred: {title: Referred, owner: first-responder, kind: referral}
  supported: {title: Supported, owner: council, kind: outcome, outcome: supported}
handoffs:
  refer: {from: found, to: referred, by: [first-responder]}
  back: {from: referred, to: found, by: [first-responder]}
  support: {from: referred, to: supported, by: [council]}
"""
#: The same loop with no way out (`pathways check` says no-trap-loop; the loader lets it be).
TRAPPED = PATHWAY.replace("  support: {from: referred, to: supported, by: [council]}\n", "")

SCENARIO = """\
id: test/loop
title: Loop
pathway: test/loop
start: 2024-01-01
horizon: 1 year
arrivals: {per_year: 20}
durations: {found: 1 day, referred: 2 days}
"""


@contextmanager
def at_most(seconds: int) -> Iterator[None]:
    """Fail, rather than hang the test run, if the block runs for ever."""

    def stop(*_: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s: the simulation does not stop")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _scenario(branches: str = "") -> Any:
    return load_scenario_text(SCENARIO + branches)


def test_a_loop_with_no_way_out_stops_the_simulation_with_a_located_problem() -> None:
    pathway = load_text(TRAPPED, path="areas/test/loop.yaml")
    with at_most(120), pytest.raises(DefinitionError) as caught:
        simulate(pathway, _scenario(), replications=1)
    (problem,) = caught.value.problems
    assert problem.code == "endless-loop"
    assert "'Found' (found) -> 'Referred' (referred)" in problem.message
    assert "test/loop" in problem.message
    assert problem.location is not None
    assert (problem.location.path, problem.location.line) == ("areas/test/loop.yaml", 11)
    assert problem.hint is not None
    assert "branches:" in problem.hint
    assert problem.expected is not None
    assert "way out" in problem.expected


def test_a_way_out_the_scenario_never_takes_is_the_same_problem() -> None:
    never = "branches:\n  referred: {back: 1.0, support: 0.0}\n"
    with at_most(120), pytest.raises(DefinitionError) as caught:
        simulate(load_text(PATHWAY), _scenario(never), replications=1)
    assert caught.value.codes == ("endless-loop",)


def test_the_problem_reaches_the_caller_from_worker_processes() -> None:
    model = build_model(compile_pathway(load_text(TRAPPED)), _scenario())
    with at_most(240), pytest.raises(DefinitionError) as caught:
        run_model(model, replications=2, workers=2)
    assert caught.value.codes == ("endless-loop",)
    assert "'Found' (found)" in str(caught.value)


def test_a_loop_with_a_rare_way_out_is_simulated_to_the_end() -> None:
    rare = "branches:\n  referred: {back: 0.99, support: 0.01}\n"
    with at_most(120):
        results = simulate(load_text(PATHWAY), _scenario(rare), replications=2)
    for replication in results.replications:
        assert replication.journeys > 0
        supported = replication.outcomes[results.stage_names.index("supported")]
        assert replication.closed == supported
