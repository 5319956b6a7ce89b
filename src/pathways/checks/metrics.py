"""Figures per victim profile and per area, each worked out for all profiles in one walk.

Per profile: the fewest and most changes of agency before first support (the first stage of
kind `support`), the most times the victim is asked for the same item (as
`pathways.definition.retelling` reads it: a stage whose agency already holds the item does not
ask), and the longest time to first support that the time limits allow. Per area: the agencies
every route from the entry to an outcome passes through (single points of failure). Agency
changes are capped (`CAP`): a route that can loop is reported as "CAP or more"; the times
asked need no cap (each agency asks once at most). A route with a stage without a time limit,
or a loop, has no longest time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pathways.checks.registry import Context
from pathways.definition.durations import Duration
from pathways.definition.schema import MAIN_TRACK
from pathways.graph.counting import CountsWithRoutes, PackedCounts
from pathways.graph.retold import asked
from pathways.graph.walks import forward

if TYPE_CHECKING:
    from pathways.frames import DataFrame

__all__ = ["CAP", "CountsWithRoutes", "Metrics", "ProfileMetrics", "agency_changes", "metrics"]

CAP = 10
NO_LIMIT = 10**9


def _bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _is_support(ctx: Context) -> Callable[[str], bool]:
    stages = ctx.pathway.stages
    return lambda name: stages[name].kind == "support"


def agency_changes(ctx: Context, cap: int) -> CountsWithRoutes:
    """Changes of agency counted along every route from the entry to first support, recording
    how to write out a route to each count."""
    graph = ctx.graph
    return CountsWithRoutes(
        graph, cap, (ctx.pathway.entry, 0, graph.full), _agency_change(ctx), _is_support(ctx)
    )


def _agency_change(ctx: Context) -> Callable[[str, str], int]:
    owners = ctx.graph.owners
    return lambda source, target: int(owners[source] != owners[target])


@dataclass(frozen=True, slots=True)
class ProfileMetrics:
    """The figures for a group of profiles that share them (`profiles`, in plain words).

    `None` for the handoff counts means no support is reached; `longest_days` is None when the
    time limits set no upper bound.
    """

    profiles: str
    fewest_handoffs: int | None
    most_handoffs: int | None
    most_asked: int
    longest_days: int | None
    cap: int = CAP
    #: when no support is reached: the outcome stages their routes end at instead (labels)
    ends_instead: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Metrics:
    """All the figures of one pathway."""

    per_profile: tuple[ProfileMetrics, ...]
    single_points: tuple[str, ...]

    def to_frame(self) -> DataFrame:
        """The figures per group of profiles as a pandas DataFrame (the `analysis` extra)."""
        from pathways.frames import frame

        columns = ("profiles", "fewest_handoffs", "most_handoffs", "most_asked", "longest_days")
        rows = ({c: getattr(p, c) for c in columns} for p in self.per_profile)
        return frame(rows, columns)


def metrics(ctx: Context) -> Metrics:
    """Work out every figure for `ctx`'s pathway."""
    graph = ctx.graph
    start = (ctx.pathway.entry, 0, graph.full)
    changes = PackedCounts(graph, CAP, start, _agency_change(ctx), _is_support(ctx)).extremes(True)[
        0
    ]
    asked = _most_asked(ctx)
    longest = _longest_days(ctx)
    rows: dict[tuple[int | None, int | None, int, int | None, tuple[str, ...]], int] = {}
    for bit in range(graph.full.bit_length()):
        low, high = changes.get(bit, (None, None))
        days = longest.get(bit)
        ends = _ends(ctx, bit) if low is None else ()
        key = (
            low,
            high,
            asked.get(bit, 0),
            None if days is None or days >= NO_LIMIT else days,
            ends,
        )
        rows[key] = rows.get(key, 0) | 1 << bit
    table = tuple(
        ProfileMetrics(ctx.describe(mask), low, high, most, days, CAP, ends)
        for (low, high, most, days, ends), mask in sorted(rows.items(), key=lambda kv: _low(kv[1]))
    )
    return Metrics(table, _single_points(ctx))


def _ends(ctx: Context, bit: int) -> tuple[str, ...]:
    """The outcome stages of the main track that profile `bit` can reach (its routes' ends
    when none reaches support), in file order."""
    stages, reach = ctx.pathway.stages, ctx.reach
    return tuple(
        ctx.stage_label(name)
        for name in stages
        if name in ctx.graph.outcomes
        and stages[name].track == MAIN_TRACK
        and reach.at(name) >> bit & 1
    )


def _low(mask: int) -> int:
    return (mask & -mask).bit_length()


def _most_asked(ctx: Context) -> dict[int, int]:
    """For each profile bit, the most times one item is asked for on a route, as
    `pathways.definition.retelling` says: a stage asks only when its agency has neither
    collected the item before nor received it along a handoff that shared it (the reading
    `repeat-story`, `pathways test` and the board report share)."""
    best: dict[int, int] = {}
    items = sorted({item for stage in ctx.pathway.stages.values() for item in stage.collects})
    for item in items:
        for count, mask in asked(ctx.graph, item).items():
            for bit in _bits(mask):
                best[bit] = max(best.get(bit, 0), count)
    return best


def _days(limit: Duration | None) -> int:
    if limit is None:
        return NO_LIMIT
    return -(-limit.days * 7 // 5) if limit.working else limit.days


def _longest_days(ctx: Context) -> dict[int, int]:
    graph, p = ctx.graph, ctx.pathway
    support = _is_support(ctx)
    walk = forward(graph, [(p.entry, graph.full, None)], stop=support, routes=False)
    edges = [
        (e.source, t) for s in walk.masks if not support(s) for e in graph.out[s] for t in e.lands
    ]
    values: dict[str, dict[int, int]] = {p.entry: {0: graph.full}}
    best: dict[int, int] = {}
    for group, looped in graph.in_order(walk.masks, edges):
        for stage in group:
            here = values.get(stage, {})
            if looped:
                here = {NO_LIMIT: _union(values.get(s, {}) for s in group)}
            here = {v: graph.with_changes(m) & walk.at(stage) for v, m in here.items()}
            if support(stage):
                for value, mask in here.items():
                    for bit in _bits(mask):
                        best[bit] = max(best.get(bit, 0), value)
                continue
            for edge in graph.out[stage]:
                cost = _days(p.handoffs[edge.handoff].within or p.stages[stage].within)
                for target in edge.lands:
                    slot = values.setdefault(target, {})
                    for value, mask in here.items():
                        carry = mask & edge.mask
                        if carry:
                            total = min(NO_LIMIT, value + cost)
                            slot[total] = slot.get(total, 0) | carry
    return best


def _union(dicts: Iterable[dict[int, int]]) -> int:
    mask = 0
    for values in dicts:
        for bits in values.values():
            mask |= bits
    return mask


def _single_points(ctx: Context) -> tuple[str, ...]:
    graph, p = ctx.graph, ctx.pathway
    goal = [n for n in graph.outcomes if p.stages[n].track == MAIN_TRACK]
    sole: dict[str, list[str]] = {}
    for name, key in graph.owners.items():
        if len(key) == 1:
            sole.setdefault(key[0], []).append(name)
    route = graph.shortest_stages(goal)
    if route is None:
        return ()
    candidates = sorted({graph.owners[s][0] for s in route} & set(sole))
    found = [a for a in candidates if not graph.avoidable(sole[a], goal)]
    return tuple(p.agencies[a].name if a in p.agencies else a for a in found)
