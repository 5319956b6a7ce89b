"""The same victim handed between the same two agencies twice on one journey, found for every
pair of agencies and every profile in one walk.

Each pair of agencies that some handoff moves a victim between gets a lane: a run of bits, one
per profile, in one Python int per stage. The walk carries, stage by stage in the order the
handoffs allow (loops until nothing changes), which pairs each profile has already been handed
between; a handoff of a pair whose lane is set at its source hands those victims over again.
A route that shows it is then found by a search back from that handoff to the nearest earlier
handoff of the same pair, for one profile only.
"""

from __future__ import annotations

from collections import deque

from pathways.checks.engine import Context
from pathways.checks.graph import Edge
from pathways.checks.walks import Step

__all__ = ["Pair", "duplicates", "pair_of", "witness"]

Pair = tuple[tuple[str, ...], tuple[str, ...]]


def pair_of(ctx: Context, edge: Edge) -> Pair:
    """The agencies a handoff moves the victim from and to."""
    stages, model = ctx.pathway.stages, ctx.model
    return model.owner_key(stages[edge.source].owner), model.owner_key(stages[edge.target].owner)


def _colours(ctx: Context) -> dict[Pair, int]:
    reach = ctx.reach.masks
    colours: dict[Pair, int] = {}
    for edges in ctx.model.out.values():
        for edge in edges:
            if edge.agency_change and reach.get(edge.source, 0) & edge.mask:
                colours.setdefault(pair_of(ctx, edge), len(colours))
    return colours


def duplicates(ctx: Context) -> dict[tuple[Pair, str], int]:
    """For each agency pair and handoff, the profiles that can be handed between that pair a
    second time by that handoff on one route (the first time by it or by another)."""
    model, reach = ctx.model, ctx.reach.masks
    colours = _colours(ctx)
    if not colours:
        return {}
    width = model.full.bit_length()
    ones = sum(1 << (width * k) for k in range(len(colours)))
    lanes = [(c.source * ones, c.shift) for c in model.changes]

    def close(value: int) -> int:
        while True:
            grown = value
            for source, shift in lanes:
                moved = grown & source
                grown |= moved << shift if shift >= 0 else moved >> -shift
            if grown == value:
                return value
            value = grown

    edges = [
        (e.source, t)
        for s in reach
        for e in model.out[s]
        if reach[s] & e.mask
        for t in (e.target, *(model.entries[x] for x in e.starts))
    ]
    colour_of = {
        (e.handoff, e.source): colours[pair_of(ctx, e)]
        for es in model.out.values()
        for e in es
        if e.agency_change and pair_of(ctx, e) in colours
    }
    seen: dict[str, int] = {}
    incoming: dict[str, int] = {}
    for group, looped in model.in_order(reach, edges):
        changed = True
        while changed:
            changed = False
            for stage in group:
                value = close(incoming.get(stage, 0))
                if stage in seen and value == seen[stage]:
                    continue
                seen[stage] = value
                changed = looped
                for edge in model.out[stage]:
                    carry = value & edge.mask * ones
                    colour = colour_of.get((edge.handoff, stage))
                    if colour is not None:
                        carry |= (reach.get(stage, 0) & edge.mask) << (width * colour)
                    if not carry:
                        continue
                    for target in (edge.target, *(model.entries[x] for x in edge.starts)):
                        incoming[target] = incoming.get(target, 0) | carry
    found: dict[tuple[Pair, str], int] = {}
    for (handoff, source), colour in sorted(colour_of.items()):
        bits = seen.get(source, 0) >> (width * colour) & model.full
        bits &= model.edges_of[handoff][0].mask
        if bits:
            pair = next(p for p, c in colours.items() if c == colour)
            found[pair, handoff] = found.get((pair, handoff), 0) | bits
    return found


_Link = tuple[tuple[str, int], str | None, int | None]  # (state towards, handoff, change)


def witness(ctx: Context, pair: Pair, second: Edge, bit: int) -> tuple[tuple[Step, ...], str]:
    """A route handed between `pair` twice, the second time by `second`, for profile `bit`;
    and the handoff that made the first. Searches back from `second` for one profile."""
    model, reach = ctx.model, ctx.reach.masks
    firsts = _arrivals(ctx).get(pair, {})
    start = (second.source, bit)
    after: dict[tuple[str, int], _Link | None] = {start: None}
    queue = deque([start])
    changes = model.changes
    while queue:
        state = queue.popleft()
        stage, here = state
        for first in firsts.get(stage, ()):
            if (reach.get(first.source, 0) & first.mask) >> here & 1:
                return _assemble(ctx, first, state, after, second, bit), first.handoff
        for index, change in enumerate(changes):
            before = here - change.shift
            if before >= 0 and change.source >> before & 1 and (stage, before) not in after:
                after[stage, before] = (state, None, index)
                queue.append((stage, before))
        for edges in (model.into[stage], model.started_by(stage)):
            for edge in edges:
                if edge.mask >> here & 1 and reach.get(edge.source, 0) >> here & 1:
                    key = (edge.source, here)
                    if key not in after:
                        after[key] = (state, edge.handoff, None)
                        queue.append(key)
    raise AssertionError("no earlier handoff between the same agencies")  # pragma: no cover


def _arrivals(ctx: Context) -> dict[Pair, dict[str, list[Edge]]]:
    """For each pair, the stages its handoffs arrive at (and the tracks they start), cached."""
    return ctx.memo("arrivals", lambda: _find_arrivals(ctx))


def _find_arrivals(ctx: Context) -> dict[Pair, dict[str, list[Edge]]]:
    model = ctx.model
    found: dict[Pair, dict[str, list[Edge]]] = {}
    for edges in model.out.values():
        for edge in edges:
            if edge.agency_change:
                by_stage = found.setdefault(pair_of(ctx, edge), {})
                for target in (edge.target, *(model.entries[x] for x in edge.starts)):
                    by_stage.setdefault(target, []).append(edge)
    return found


def _assemble(
    ctx: Context,
    first: Edge,
    state: tuple[str, int],
    after: dict[tuple[str, int], _Link | None],
    second: Edge,
    bit: int,
) -> tuple[Step, ...]:
    stage, here = state
    steps = [*ctx.route(first.source, 1 << here), Step(stage, here, first.handoff)]
    link = after[state]
    while link is not None:
        towards, handoff, change = link
        stage, here = towards
        if change is not None:
            steps.append(Step(stage, here, change=ctx.model.changes[change].label))
        else:
            steps.append(Step(stage, here, handoff))
        link = after[towards]
    steps.append(Step(second.target, bit, second.handoff))
    return tuple(steps)
