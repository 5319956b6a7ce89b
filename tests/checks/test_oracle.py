"""The bit-parallel walks agree with a brute-force oracle that enumerates routes.

The oracle knows nothing of bitmasks or walks: it lists every route of a small random pathway
(each a sequence of steps: a handoff open to the victim's profile, into the tracks it starts,
or a declared profile change), with each (stage, profile) at most twice on a route, which is
enough for every property here: each needs at most two events on a route, and the part before
each event can be shortened to visit no state twice. On every route it records what the rules
look for, and the checks' answers must match exactly: where each profile can be, the profile
gaps, the handoffs that hand a victim between the same two agencies a second time, and the
stages that can be reached without an item they need. Retellings have their own oracle, in
`tests/graph/test_retold.py`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings

from pathways.checks import RULES
from pathways.checks.registry import Context
from pathways.checks.rules.profiles import gaps
from pathways.definition.conditions import evaluate
from pathways.definition.schema import Pathway
from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.repeats import duplicates
from pathways.graph.walks import from_entry
from strategies import small_pathways

Profile = tuple[Any, ...]
State = tuple[str, Profile]


@dataclass
class Oracle:
    """What the routes of one pathway show, profile by profile (profiles as value tuples)."""

    pathway: Pathway
    names: tuple[str, ...] = ()
    reach: dict[str, set[Profile]] = field(default_factory=dict)
    twice: dict[tuple[Any, str], set[Profile]] = field(default_factory=dict)
    lacking: dict[tuple[str, str], set[Profile]] = field(default_factory=dict)

    def owners(self, stage: str) -> tuple[str, ...]:
        p = self.pathway
        owner = p.stages[stage].owner
        if p.baseline and owner in p.roles:
            return (owner,)
        return p.owner_agencies(owner) or (owner,)

    def steps(self, state: State) -> Iterator[tuple[State, str | None, str | None]]:
        """(next state, handoff taken, stage it left) for every step from `state`."""
        stage, profile = state
        p = self.pathway
        for index, name in enumerate(self.names):
            for change in p.profile[name].changes:
                if profile[index] == change.from_:
                    changed = (*profile[:index], change.to, *profile[index + 1 :])
                    yield (stage, changed), None, None
        values = dict(zip(self.names, profile, strict=True))
        for handoff_name, handoff in p.handoffs.items():
            if stage not in handoff.from_:
                continue
            if handoff.when is not None and not evaluate(handoff.when, values):
                continue
            yield (handoff.to, profile), handoff_name, stage
            for track in handoff.starts:
                yield (p.tracks[track].entry, profile), handoff_name, stage

    def run(self) -> None:
        p = self.pathway
        self.names = tuple(p.profile)
        items = tuple(p.information)
        for profile in itertools.product(*(a.domain for a in p.profile.values())):
            start = (p.entry, profile)
            had = dict.fromkeys(items, False)
            self.record(start, had)
            self.walk(start, {start: 1}, frozenset(), had)

    def record(self, state: State, had: dict[str, bool]) -> None:
        stage, profile = state
        self.reach.setdefault(stage, set()).add(profile)
        declared = self.pathway.stages[stage]
        for item in declared.needs:
            if item not in declared.collects and not had.get(item, False):
                self.lacking.setdefault((item, stage), set()).add(profile)

    def walk(
        self,
        state: State,
        visits: dict[State, int],
        seen: frozenset[tuple[Any, str]],
        had: dict[str, bool],
    ) -> None:
        """Follow every route on from `state` (`had[i]`: a stage before collected i or a
        handoff shared it)."""
        p = self.pathway
        for after, handoff, source in self.steps(state):
            now_seen, now_had = seen, had
            if handoff is not None and source is not None:
                pair = (self.owners(source), self.owners(p.handoffs[handoff].to))
                if pair[0] != pair[1]:
                    if any(k == pair for k, _ in seen):
                        self.twice.setdefault((pair, handoff), set()).add(state[1])
                    now_seen = seen | {(pair, handoff)}
                shares = p.handoffs[handoff].shares
                earlier = p.stages[source].collects
                now_had = {i: had[i] or i in shares or i in earlier for i in had}
            self.record(after, now_had)
            if visits.get(after, 0) < 2:
                visits[after] = visits.get(after, 0) + 1
                self.walk(after, visits, now_seen, now_had)
                visits[after] -= 1


def _bits(graph: ProfileGraph, profiles: set[Profile]) -> int:
    space, names = graph.space, tuple(graph.pathway.profile)
    mask = 0
    for profile in profiles:
        one = graph.full
        for name, value in zip(names, profile, strict=True):
            one &= space.mask_where(name, value)
        mask |= one
    return mask


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=5))
def test_walks_agree_with_enumerated_routes(pathway: Pathway) -> None:
    oracle = Oracle(pathway)
    oracle.run()
    graph = ProfileGraph(pathway)
    ctx = Context(pathway, graph)
    expected_reach = {s: _bits(graph, ps) for s, ps in oracle.reach.items()}
    assert from_entry(graph).masks == expected_reach

    expected_gaps = {}
    for stage, _bits_unused in expected_reach.items():
        exits = [h for h in pathway.handoffs.values() if stage in h.from_]
        if pathway.stages[stage].kind == "outcome" or not exits:
            continue
        names = tuple(pathway.profile)
        open_to = {
            profile
            for profile in oracle.reach[stage]
            for h in exits
            if h.when is None or evaluate(h.when, dict(zip(names, profile, strict=True)))
        }
        missing = oracle.reach[stage] - open_to
        if missing:
            expected_gaps[stage] = _bits(graph, missing)
    assert gaps(ctx) == expected_gaps

    assert duplicates(graph, ctx.reach.masks) == {
        key: _bits(graph, ps) for key, ps in oracle.twice.items()
    }

    lacking = {}
    ctx_rule = ctx.with_options({})
    for hit in RULES["unshared-information"].run(ctx_rule):
        lacking[hit.at[1], hit.name] = hit.profiles
    expected_lacking = {}
    for (item, stage), profiles in oracle.lacking.items():
        index = pathway.stages[stage].needs.index(item)
        expected_lacking[index, stage] = expected_lacking.get((index, stage), 0) | _bits(
            graph, profiles
        )
    assert lacking == expected_lacking


def test_the_oracle_sees_a_profile_change() -> None:
    from strategies import build

    profile = {
        "age_group": {"values": ["child", "adult"], "changes": [{"from": "child", "to": "adult"}]}
    }
    p = build(
        {"start": "identification", "adults": "support", "done": "outcome"},
        {
            "a": {"from": "start", "to": "adults", "when": "age_group == 'adult'"},
            "b": ("adults", "done"),
        },
        profile=profile,
    )
    oracle = Oracle(p)
    oracle.run()
    assert oracle.reach == {
        "start": {("child",), ("adult",)},
        "adults": {("adult",)},
        "done": {("adult",)},
    }
    graph = ProfileGraph(p)
    walk = from_entry(graph)
    assert walk.at("adults") == _bits(graph, {("adult",)})
    steps, _ = walk.route("adults", walk.at("adults").bit_length() - 1)
    assert [s.stage for s in steps] == ["start", "adults"]
