"""Every route a finding shows is a real route: it starts at the entry, each step is a handoff
open to the victim's profile at that point (or into a track it starts) or a declared profile
change, and it ends with a victim the finding is about. Checked on small random pathways for
every rule, along with determinism and the order of findings."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, event, given, settings

from pathways.checks import RULES, check
from pathways.checks.registry import Context, Hit
from pathways.definition.checks_config import ChecksConfig
from pathways.definition.schema import Pathway
from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.walks import from_entry
from strategies import small_pathways

EVERY_RULE = ChecksConfig.model_validate({"rules": {r: {"severity": "error"} for r in RULES}})


def assert_real_route(graph: ProfileGraph, hit: Hit) -> None:
    p = graph.pathway
    steps = hit.route
    first = steps[0]
    if not first.after_gap:
        assert first.stage == p.entry, f"{hit.message}: route starts at {first.stage}"
    for before, step in itertools.pairwise(steps):
        if step.change is not None:
            assert step.stage == before.stage
            labels = {c.label: c for c in graph.changes}
            change = labels[step.change]
            assert change.apply(1 << before.profile) == 1 << step.profile
            continue
        assert step.handoff is not None
        assert step.profile == before.profile
        edges = [e for e in graph.edges_of[step.handoff] if e.source == before.stage]
        assert edges, f"{step.handoff} does not leave {before.stage}"
        edge = edges[0]
        arrivals = {edge.target, *(graph.entries[t] for t in edge.starts)}
        assert step.stage in arrivals
        assert edge.mask >> step.profile & 1, f"{step.handoff} is closed to that victim"
    if hit.profiles:
        assert hit.profiles >> steps[-1].profile & 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=6))
def test_every_route_shown_is_a_real_route(pathway: Pathway) -> None:
    graph = ProfileGraph(pathway)
    ctx = Context(pathway, graph)
    shown = 0
    for rule in RULES.values():
        for hit in rule.run(ctx.with_options(rule.options)):
            if hit.route:
                shown += 1
                assert_real_route(graph, hit)
    event(f"routes shown: {min(shown, 5)}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=6))
def test_check_is_deterministic_and_sorted(pathway: Pathway) -> None:
    first = check(pathway, EVERY_RULE)
    again = check(pathway, EVERY_RULE)
    assert first == again
    keys = [f.sort_key() for f in first.findings]
    assert keys == sorted(keys)


def test_a_route_is_checked_for_real() -> None:
    """The checker above rejects a route that is not one (so it cannot pass by itself)."""
    from pathways.graph.walks import Step
    from strategies import build

    p = build(
        {"start": "identification", "kids": "support", "done": "outcome"},
        {
            "a": {"from": "start", "to": "kids", "when": "age_group == 'child'"},
            "b": ("kids", "done"),
        },
    )
    graph = ProfileGraph(p)
    adult = next(b for b in range(4) if not from_entry(graph).at("kids") >> b & 1)
    bad = Hit("stages", "kids", "x", route=(Step("start", adult), Step("kids", adult, "a")))
    try:
        assert_real_route(graph, bad)
    except AssertionError:
        return
    raise AssertionError("a closed handoff passed as a route")
