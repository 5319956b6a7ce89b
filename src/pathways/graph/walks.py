"""The walks over a `ProfileGraph` that follow every profile at once (`forward`, `backward`),
and the result of a walk (`Walk`) with the parent records that give a shortest route back to
its start. `from_entry` is the walk every check starts from, made once per graph.

Routes are written out from the end: at most `limit` steps are kept (long generated pathways
would otherwise spend their time printing routes), and a route cut short says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from heapq import heappop, heappush
from typing import NamedTuple

from pathways.graph.changes import Change
from pathways.graph.profile_graph import Edge, ProfileGraph

__all__ = [
    "ROUTE_LIMIT",
    "Parent",
    "Seed",
    "Step",
    "Walk",
    "backward",
    "forward",
    "from_entry",
    "make_step",
    "seeds_after",
]

#: The most steps of a route kept in a finding; earlier steps are summarised.
ROUTE_LIMIT = 25


class Step(NamedTuple):
    """One step of a route: arrive at `stage` by `handoff`, or change profile there.

    A named tuple rather than a frozen dataclass: routes are made of millions of steps on a
    large pathway, and a tuple is made several times faster."""

    stage: str
    profile: int
    handoff: str | None = None
    change: str | None = None
    after_gap: bool = False  # steps before this one were left out


#: `Step(stage, profile, handoff, change, after_gap)` from a tuple of all five, made without the
#: named tuple's Python-level constructor: twice as fast, for the millions of steps of the
#: routes of a large pathway.
make_step: Callable[[tuple[str, int, str | None, str | None, bool]], Step] = partial(
    tuple.__new__, Step
)

# A parent record: (bits, previous stage, handoff name, change index, is a seed).
Parent = tuple[int, str | None, str | None, int | None, bool]
# A seed of a walk: (stage, profiles, (stage before, handoff taken) or None).
Seed = tuple[str, int, tuple[str, str] | None]


# The last step of a route to (stage, profile bit), and where the route was before it:
# (step, stage before, profile bit before, whether the step is the route's first, the stage
# a seed was reached from).
_Link = tuple[Step, str | None, int, bool, str | None]


class Walk:
    """Where profiles can be after a walk, and how they got there (for a shortest route)."""

    def __init__(self, changes: tuple[Change, ...]) -> None:
        self.changes = changes
        self.masks: dict[str, int] = {}
        self.parents: dict[str, list[Parent]] = {}
        self._links: dict[tuple[str, int], _Link] = {}

    def at(self, stage: str) -> int:
        """The profiles that can be at `stage` (0 when none)."""
        return self.masks.get(stage, 0)

    def route(
        self, stage: str, bit: int, limit: int = ROUTE_LIMIT
    ) -> tuple[list[Step], str | None]:
        """A shortest route back to a seed for profile `bit` at `stage`, seed first.

        Also returns the stage the seed was reached from (None for a seed with no origin, or
        when the route was cut short at `limit` steps: its first step then has `after_gap`).
        Each step is worked out once per walk and shared by every route through it.
        """
        steps: list[Step] = []
        links = self._links
        here: str | None = stage
        while True:
            if len(steps) >= limit:
                first = steps[-1]
                steps[-1] = Step(first.stage, first.profile, first.handoff, first.change, True)
                steps.reverse()
                return steps, None
            assert here is not None  # only the first step of a route has no stage before
            link = links.get((here, bit))
            if link is None:
                link = links[here, bit] = self._link(here, bit)
            step, here, bit, starts, origin = link
            steps.append(step)
            if starts:
                steps.reverse()
                return steps, origin

    def _link(self, here: str, bit: int) -> _Link:
        for bits, before, handoff, change, seed in self.parents[here]:  # noqa: B007 - used after the loop
            if bits >> bit & 1:
                break
        else:  # pragma: no cover - every recorded bit has a parent
            raise AssertionError("profile never reached this stage")
        if change is not None:
            made = self.changes[change]
            return Step(here, bit, None, made.label), here, bit - made.shift, False, None
        first = seed or before is None
        return make_step((here, bit, handoff, None, False)), before, bit, first, before


def from_entry(graph: ProfileGraph) -> Walk:
    """Where each profile can be, from the main track's entry with every profile (walked once
    per graph and shared by every rule of a check)."""
    walk: Walk | None = graph.memo.get(_FROM_ENTRY)
    if walk is None:
        walk = graph.memo[_FROM_ENTRY] = forward(graph, [(graph.pathway.entry, graph.full, None)])
    return walk


_FROM_ENTRY = "walk-from-entry"


def seeds_after(graph: ProfileGraph, edges: Iterable[Edge], reach: Mapping[str, int]) -> list[Seed]:
    """Seeds for a walk that starts just after taking `edges` (and the tracks they start)."""
    seeds: list[Seed] = []
    for edge in edges:
        bits = reach.get(edge.source, 0) & edge.mask
        if bits:
            origin = (edge.source, edge.handoff)
            seeds.append((edge.target, bits, origin))
            seeds.extend((graph.entries[t], bits, origin) for t in edge.starts)
    return seeds


def forward(
    graph: ProfileGraph,
    seeds: Iterable[Seed],
    edge_ok: Callable[[Edge], bool] | None = None,
    stop: Callable[[str], bool] | None = None,
    follow_starts: bool = True,
    routes: bool = True,
) -> Walk:
    """Breadth-first walk from `seeds` (stage, profiles, (from stage, handoff) or None).

    `edge_ok` limits the handoffs followed; nothing leaves a stage for which `stop` is true;
    `follow_starts=False` does not follow a handoff into the tracks it starts.
    Level by level, so `Walk.route` gives shortest routes; `routes=False` keeps
    only where profiles can be (no routes can be written from it).
    """
    if not routes:
        return _spread(graph, seeds, edge_ok, stop, follow_starts)
    walk = Walk(graph.changes)
    masks, parents = walk.masks, walk.parents
    known = masks.get
    frontier: dict[str, int] = {}

    def arrive(
        stage: str,
        bits: int,
        before: str | None,
        handoff: str | None,
        change: int | None,
        seed: bool,
        into: dict[str, int],
    ) -> None:
        new = bits & ~known(stage, 0)
        if new:
            masks[stage] = known(stage, 0) | new
            parents.setdefault(stage, []).append((new, before, handoff, change, seed))
            into[stage] = into.get(stage, 0) | new

    for stage, bits, origin in seeds:
        before, handoff = origin if origin is not None else (None, None)
        arrive(stage, bits, before, handoff, None, True, frontier)
    shifts = [(i, c.source, c.shift) for i, c in enumerate(graph.changes)]
    out, entries, order = graph.out, graph.entries, graph.order.__getitem__
    while frontier:
        after: dict[str, int] = {}
        for stage in sorted(frontier, key=order):
            bits = frontier[stage]
            for index, source, shift in shifts:
                moved = bits & source
                if moved:
                    moved = moved << shift if shift >= 0 else moved >> -shift
                    if moved & ~known(stage, 0):
                        arrive(stage, moved, stage, None, index, False, after)
            if stop is not None and stop(stage):
                continue
            for edge in out[stage]:
                carry = bits & edge.mask
                if not carry or (edge_ok is not None and not edge_ok(edge)):
                    continue
                # `arrive`, written out on the busiest path
                target = edge.target
                new = carry & ~known(target, 0)
                if new:
                    masks[target] = known(target, 0) | new
                    parents.setdefault(target, []).append((new, stage, edge.handoff, None, False))
                    after[target] = after.get(target, 0) | new
                if follow_starts:
                    for track in edge.starts:
                        arrive(entries[track], carry, stage, edge.handoff, None, False, after)
        frontier = after
    return walk


def _spread(
    graph: ProfileGraph,
    seeds: Iterable[Seed],
    edge_ok: Callable[[Edge], bool] | None,
    stop: Callable[[str], bool] | None,
    follow_starts: bool,
) -> Walk:
    """`forward` without routes: the stages are taken in the order the handoffs lead
    (`component`), so each is mostly taken once, when all that leads to it has been
    (round a loop, again until nothing new arrives). Same profiles at each stage."""
    walk = Walk(graph.changes)
    masks, known = walk.masks, walk.masks.get
    rank, out, entries = graph.component, graph.out, graph.entries
    shifts = [(c.source, c.shift) for c in graph.changes]
    pending: dict[str, int] = {}
    heap: list[tuple[int, str]] = []

    def arrive(stage: str, bits: int) -> None:
        new = bits & ~known(stage, 0)
        if new:
            masks[stage] = known(stage, 0) | new
            if stage in pending:
                pending[stage] |= new
            else:
                pending[stage] = new
                heappush(heap, (rank[stage], stage))

    for stage, bits, _ in seeds:
        arrive(stage, bits)
    while heap:
        _, stage = heappop(heap)
        bits = pending.pop(stage)
        for source, shift in shifts:
            moved = bits & source
            if moved:
                moved = moved << shift if shift >= 0 else moved >> -shift
                if moved & ~known(stage, 0):
                    arrive(stage, moved)
        if stop is not None and stop(stage):
            continue
        for edge in out[stage]:
            carry = bits & edge.mask
            if not carry or (edge_ok is not None and not edge_ok(edge)):
                continue
            # `arrive`, written out on the busiest path
            target = edge.target
            new = carry & ~known(target, 0)
            if new:
                masks[target] = known(target, 0) | new
                if target in pending:
                    pending[target] |= new
                else:
                    pending[target] = new
                    heappush(heap, (rank[target], target))
            if follow_starts:
                for track in edge.starts:
                    arrive(entries[track], carry)
    return walk


def backward(
    graph: ProfileGraph,
    targets: Mapping[str, int],
    edge_ok: Callable[[Edge], bool] | None = None,
    starts: bool = False,
) -> dict[str, int]:
    """For each stage, the profiles that can get from it to one of `targets`.

    `targets` maps stages to the profiles that count as arrived there. With `starts`, a
    handoff that starts a track also leads to that track's entry.
    """
    masks: dict[str, int] = {}
    pending: dict[str, int] = {}
    into = graph.into

    def add(stage: str, bits: int) -> None:
        new = bits & ~masks.get(stage, 0)
        if new:
            masks[stage] = masks.get(stage, 0) | new
            pending[stage] = pending.get(stage, 0) | new

    for stage, bits in targets.items():
        add(stage, bits)
    while pending:
        stage, bits = pending.popitem()
        for change in graph.changes:
            add(stage, change.undo(bits))
        for edge in (*into[stage], *(graph.started_by(stage) if starts else ())):
            if edge.source in graph.outcomes or (edge_ok is not None and not edge_ok(edge)):
                continue
            add(edge.source, bits & edge.mask)
    return masks
