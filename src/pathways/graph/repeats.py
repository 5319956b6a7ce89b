"""The same victim handed between the same two agencies twice on one journey, found for every
pair of agencies and every profile in one walk.

Each pair of agencies that some handoff moves a victim between gets a lane: a run of bits, one
per profile, in one Python int per stage. The walk carries, stage by stage in the order the
handoffs allow (loops until nothing changes), which pairs each profile has already been handed
between; a handoff of a pair whose lane is set at its source hands those victims over again.
A route that shows it is then found by a search back from that handoff to the nearest earlier
handoff of the same pair, for one profile only. `reach` is where each profile can be from the
entry (`walks.from_entry(graph).masks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from pathways.graph.profile_graph import Edge, ProfileGraph
from pathways.graph.walks import Step, make_step

__all__ = ["Pair", "duplicates", "pair_of", "witness"]

Pair = tuple[tuple[str, ...], tuple[str, ...]]


def pair_of(graph: ProfileGraph, edge: Edge) -> Pair:
    """The agencies a handoff moves the victim from and to."""
    owners = graph.owners
    return owners[edge.source], owners[edge.target]


def _pair_lanes(graph: ProfileGraph, reach: Mapping[str, int]) -> dict[Pair, int]:
    """A lane (a number) for each pair of agencies some reachable handoff moves a victim
    between, in the order first met."""
    lanes: dict[Pair, int] = {}
    for edges in graph.out.values():
        for edge in edges:
            if edge.agency_change and reach.get(edge.source, 0) & edge.mask:
                lanes.setdefault(pair_of(graph, edge), len(lanes))
    return lanes


def duplicates(graph: ProfileGraph, reach: Mapping[str, int]) -> dict[tuple[Pair, str], int]:
    """For each agency pair and handoff, the profiles that can be handed between that pair a
    second time by that handoff on one route (the first time by it or by another)."""
    lanes = _pair_lanes(graph, reach)
    if not lanes:
        return {}
    width = graph.full.bit_length()
    ones = sum(1 << (width * k) for k in range(len(lanes)))
    shifts = [(c.source * ones, c.shift) for c in graph.changes]

    def with_changes(value: int) -> int:
        """`value` with every profile its victims can change into, in every lane."""
        while True:
            grown = value
            for source, shift in shifts:
                moved = grown & source
                grown |= moved << shift if shift >= 0 else moved >> -shift
            if grown == value:
                return value
            value = grown

    lane_of = {
        (e.handoff, e.source): lane
        for es in graph.out.values()
        for e in es
        if e.agency_change and (lane := lanes.get(pair_of(graph, e))) is not None
    }
    seen: dict[str, int] = {}
    incoming: dict[str, int] = {}
    for group, looped in _in_order(graph, reach):
        changed = True
        while changed:
            changed = False
            for stage in group:
                value = with_changes(incoming.get(stage, 0))
                if stage in seen and value == seen[stage]:
                    continue
                seen[stage] = value
                changed = looped
                for edge in graph.out[stage]:
                    if edge.decline:  # a declined referral was never made: nothing carried
                        continue
                    carry = value & edge.mask * ones
                    lane = lane_of.get((edge.handoff, stage))
                    if lane is not None:
                        carry |= (reach.get(stage, 0) & edge.mask) << (width * lane)
                    if not carry:
                        continue
                    for target in edge.lands:
                        incoming[target] = incoming.get(target, 0) | carry
    found: dict[tuple[Pair, str], int] = {}
    pairs = list(lanes)  # lanes are numbered in order
    for (handoff, source), lane in sorted(lane_of.items()):
        bits = seen.get(source, 0) >> (width * lane) & graph.full
        bits &= graph.edges_of[handoff][0].mask
        if bits:
            pair = pairs[lane]
            found[pair, handoff] = found.get((pair, handoff), 0) | bits
    return found


def _in_order(graph: ProfileGraph, stages: Iterable[str]) -> Iterator[tuple[list[str], bool]]:
    """`stages` in groups that may lead back to each other (`ProfileGraph.component`), in the order
    the handoffs lead, each with whether it may be a loop. The groups are those of every
    handoff, open or not: a group that is no loop for the profiles is only walked once more,
    and the walk above reaches the same values in any order that follows the handoffs."""
    groups: dict[int, list[str]] = {}
    component = graph.component
    for stage in sorted(stages, key=graph.order.__getitem__):
        groups.setdefault(component[stage], []).append(stage)
    for number in sorted(groups):
        group = groups[number]
        yield group, len(group) > 1 or graph.digraph.has_edge(group[0], group[0])


# A state is numbered `stage number (file order) << bits | profile bit`, `bits` wide enough
# for every profile: shifts and masks, cheaper than a divmod on the busiest loop.
_Link = tuple[int, str | None, str | None]  # (state towards, handoff, change label)
_Back = tuple[int, int, str]  # (profiles that can take it, source stage << bits, handoff)


@dataclass(frozen=True, slots=True)
class _Search:
    """What every search back shares: stages by number, the handoffs into each stage (and the
    track starts that lead to it) in search order, and for each pair of agencies its handoffs
    by the stage they arrive at, each with the profiles that can take it."""

    bits: int
    names: list[str]
    back: list[list[_Back]]
    firsts: dict[Pair, dict[int, list[tuple[int, Edge]]]]
    #: for each profile bit, the declared changes that lead to it: (step label, shift)
    undo: list[list[tuple[str, int]]]


def witness(
    graph: ProfileGraph, reach: Mapping[str, int], pair: Pair, second: Edge, bit: int
) -> tuple[tuple[Step, ...], Edge, int]:
    """The end of a route handed between `pair` twice, the second time by `second`, for
    profile `bit`: its steps from the first handoff on, that first handoff, and the profile
    (as a mask) that takes it, for the caller to put a route from the entry before it.
    Searches back for one profile, breadth first, so the first handoff found is a nearest
    one. The search starts from every source stage of `second`'s handoff that hands between
    the same pair and that the profile can reach: `duplicates` reports a handoff, not which of
    its sources takes the victim there again, and `second` may be a source that cannot."""
    search = _search(graph, reach)
    bits, back, undo = search.bits, search.back, search.undo
    low = (1 << bits) - 1
    firsts = search.firsts.get(pair, {})
    after: dict[int, _Link | None] = {
        graph.order[edge.source] << bits | bit: None
        for edge in graph.edges_of[second.handoff]
        if pair_of(graph, edge) == pair and (edge.mask & reach.get(edge.source, 0)) >> bit & 1
    }
    queue = list(after)
    for state in queue:  # the queue grows as it is read: breadth first
        stage, here = state >> bits, state & low
        for open_to, first in firsts.get(stage, ()):
            if open_to >> here & 1:
                chain = _assemble(search, first, state, after, second, bit)
                return chain, first, 1 << here  # the profile that takes the first handoff
        for label, shift in undo[here]:
            if state - shift not in after:
                after[state - shift] = (state, None, label)
                queue.append(state - shift)
        for open_to, source_base, handoff in back[stage]:
            if open_to >> here & 1:
                key = source_base | here
                if key not in after:
                    after[key] = (state, handoff, None)
                    queue.append(key)
    raise AssertionError("no earlier handoff between the same agencies")  # pragma: no cover


def _search(graph: ProfileGraph, reach: Mapping[str, int]) -> _Search:
    """What every search back shares, worked out once per graph."""
    found: _Search | None = graph.memo.get(_SEARCH)
    if found is None:
        found = graph.memo[_SEARCH] = _prepare(graph, reach)
    return found


_SEARCH = "duplicate-search"


def _prepare(graph: ProfileGraph, reach: Mapping[str, int]) -> _Search:
    width = max(1, graph.full.bit_length())
    bits = (width - 1).bit_length()
    order = graph.order
    names = list(order)
    back: list[list[_Back]] = [[] for _ in names]
    for stage, links in zip(names, back, strict=True):
        for edges in (graph.into[stage], graph.started_by(stage)):
            for edge in edges:
                open_to = edge.mask & reach.get(edge.source, 0)
                if open_to:
                    links.append((open_to, order[edge.source] << bits, edge.handoff))
    firsts: dict[Pair, dict[int, list[tuple[int, Edge]]]] = {}
    for edges in graph.out.values():
        for edge in edges:
            if edge.agency_change:
                by_stage = firsts.setdefault(pair_of(graph, edge), {})
                open_to = reach.get(edge.source, 0) & edge.mask
                for target in edge.lands:
                    by_stage.setdefault(order[target], []).append((open_to, edge))
    undo = [
        [
            (c.label, c.shift)
            for c in graph.changes
            if here - c.shift >= 0 and c.source >> (here - c.shift) & 1
        ]
        for here in range(width)
    ]
    return _Search(bits, names, back, firsts, undo)


def _assemble(
    search: _Search,
    first: Edge,
    state: int,
    after: dict[int, _Link | None],
    second: Edge,
    bit: int,
) -> tuple[Step, ...]:
    names, bits = search.names, search.bits
    low = (1 << bits) - 1
    stage, here = state >> bits, state & low
    chain = [Step(names[stage], here, first.handoff)]
    link = after[state]
    while link is not None:
        towards, handoff, change = link
        stage, here = towards >> bits, towards & low
        chain.append(make_step((names[stage], here, handoff, change, False)))
        link = after[towards]
    chain.append(Step(second.target, bit, second.handoff))
    return tuple(chain)
