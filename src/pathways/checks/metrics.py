"""Figures per victim profile and per area, each worked out for all profiles in one walk.

Per profile: the fewest and most changes of agency before first support (the first stage of
kind `support`), the most times the victim is asked for the same item, and the longest time to
first support that the time limits allow. Per area: the agencies every route from the entry to
an outcome passes through (single points of failure). Counts are capped (`CAP`): a route that
can loop is reported as "CAP or more", and a route with a stage without a time limit, or a
loop, has no longest time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pathways.checks.engine import Context
from pathways.checks.graph import Model
from pathways.checks.walks import ROUTE_LIMIT, Step
from pathways.schema import MAIN_TRACK, Duration

__all__ = ["CAP", "Layers", "Metrics", "ProfileMetrics", "agency_changes", "metrics"]

CAP = 10
NO_LIMIT = 10**9

_State = tuple[str, int]
_Parent = tuple[int, _State | None, str | None, int | None]


class Layers:
    """Where each profile can be with a count so far (0 to `cap`; `cap` means `cap` or more)."""

    def __init__(
        self,
        model: Model,
        cap: int,
        start: tuple[str, int, int],
        weight: Callable[[str, str], int],
        stop: Callable[[str], bool] = lambda stage: False,
        routes: bool = True,
    ) -> None:
        self.model, self.cap, self.stop, self.routes = model, cap, stop, routes
        self.masks: dict[_State, int] = {}
        self.parents: dict[_State, list[_Parent]] = {}
        stage, count, bits = start
        frontier: dict[_State, int] = {}
        self._arrive((stage, min(count, cap)), bits, (bits, None, None, None), frontier)
        masks, parents, known = self.masks, self.parents, self.masks.get
        shifts = [(i, c.source, c.shift) for i, c in enumerate(model.changes)]
        out, order = model.out, model.order
        while frontier:
            after: dict[_State, int] = {}
            states = sorted(frontier, key=lambda s: (s[1], order[s[0]])) if routes else frontier
            for state in states:
                here, count = state
                bits = frontier[state]
                for index, source, shift in shifts:
                    moved = bits & source
                    if moved:
                        moved = moved << shift if shift >= 0 else moved >> -shift
                        if moved & ~known(state, 0):
                            self._arrive(state, moved, (moved, state, None, index), after)
                if stop(here):
                    continue
                for edge in out[here]:
                    carry = bits & edge.mask
                    if not carry:
                        continue
                    for target in edge.lands:
                        # `_arrive`, written out on the busiest path
                        key = (target, min(cap, count + weight(here, target)))
                        new = carry & ~known(key, 0)
                        if new:
                            masks[key] = known(key, 0) | new
                            if routes:
                                parents.setdefault(key, []).append((new, state, edge.handoff, None))
                            after[key] = after.get(key, 0) | new
            frontier = after

    def _arrive(self, state: _State, bits: int, parent: _Parent, into: dict[_State, int]) -> None:
        new = bits & ~self.masks.get(state, 0)
        if new:
            self.masks[state] = self.masks.get(state, 0) | new
            if self.routes:
                self.parents.setdefault(state, []).append((new, *parent[1:]))
            into[state] = into.get(state, 0) | new

    def over(self, count: int) -> dict[str, int]:
        """Stages where `stop` holds, with the profiles that arrive with at least `count`."""
        found: dict[str, int] = {}
        for (stage, seen), bits in self.masks.items():
            if seen >= count and self.stop(stage):
                found[stage] = found.get(stage, 0) | bits
        return found

    def route(self, stage: str, count: int, bits: int) -> tuple[Step, ...]:
        """A shortest route to `stage` arriving with at least `count`, for one of `bits`."""
        for seen in range(self.cap, count - 1, -1):
            here = self.masks.get((stage, seen), 0) & bits
            if here:
                return self._route((stage, seen), (here & -here).bit_length() - 1)
        return ()

    def _route(self, state: _State, bit: int) -> tuple[Step, ...]:
        steps: list[Step] = []
        current: _State | None = state
        while current is not None:
            if len(steps) >= ROUTE_LIMIT:
                last = steps[-1]
                steps[-1] = Step(last.stage, last.profile, last.handoff, last.change, True)
                break
            for bits, before, handoff, change in self.parents[current]:  # noqa: B007 - used after the loop
                if bits >> bit & 1:
                    break
            else:  # pragma: no cover - every recorded bit has a parent
                raise AssertionError("profile never reached this state")
            if change is not None:
                steps.append(Step(current[0], bit, change=self.model.changes[change].label))
                bit -= self.model.changes[change].shift
            else:
                steps.append(Step(current[0], bit, handoff=handoff))
            current = before
        return tuple(reversed(steps))

    def extremes(self, only_stop: bool) -> dict[int, tuple[int, int]]:
        """For each profile bit, the lowest and highest count seen (at `stop` stages if asked)."""
        by_count = [0] * (self.cap + 1)
        for (stage, count), bits in self.masks.items():
            if not only_stop or self.stop(stage):
                by_count[count] |= bits
        lowest: dict[int, int] = {}
        highest: dict[int, int] = {}
        for count, bits in enumerate(by_count):
            for bit in _bits(bits & ~_union_of(by_count[:count])):
                lowest[bit] = count
            for bit in _bits(bits):
                highest[bit] = count
        return {bit: (low, highest[bit]) for bit, low in lowest.items()}


def _union_of(masks: Iterable[int]) -> int:
    union = 0
    for mask in masks:
        union |= mask
    return union


def _bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _is_support(ctx: Context) -> Callable[[str], bool]:
    stages = ctx.pathway.stages
    return lambda name: stages[name].kind == "support"


def agency_changes(ctx: Context, cap: int, routes: bool = True) -> Layers:
    """Changes of agency counted along every route from the entry to first support (with
    `routes`, recording how to write out a route to each count)."""
    model = ctx.model
    owners = model.owners
    return Layers(
        model,
        cap,
        (ctx.pathway.entry, 0, model.full),
        lambda source, target: int(owners[source] != owners[target]),
        _is_support(ctx),
        routes,
    )


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


@dataclass(frozen=True, slots=True)
class Metrics:
    """All the figures of one pathway."""

    per_profile: tuple[ProfileMetrics, ...]
    single_points: tuple[str, ...]


def metrics(ctx: Context) -> Metrics:
    """Work out every figure for `ctx`'s pathway."""
    model = ctx.model
    changes = agency_changes(ctx, CAP, routes=False).extremes(only_stop=True)
    asked = _most_asked(ctx)
    longest = _longest_days(ctx)
    rows: dict[tuple[int | None, int | None, int, int | None], int] = {}
    for bit in range(model.full.bit_length()):
        low, high = changes.get(bit, (None, None))
        days = longest.get(bit)
        key = (low, high, asked.get(bit, 0), None if days is None or days >= NO_LIMIT else days)
        rows[key] = rows.get(key, 0) | 1 << bit
    table = tuple(
        ProfileMetrics(ctx.describe(mask), low, high, most, days)
        for (low, high, most, days), mask in sorted(rows.items(), key=lambda kv: _low(kv[1]))
    )
    return Metrics(table, _single_points(ctx))


def _low(mask: int) -> int:
    return (mask & -mask).bit_length()


def _most_asked(ctx: Context) -> dict[int, int]:
    model, p = ctx.model, ctx.pathway
    best: dict[int, int] = {}
    collectors: dict[str, list[str]] = {}
    for name, stage in p.stages.items():
        for item in stage.collects:
            collectors.setdefault(item, []).append(name)
    for _item, stages in sorted(collectors.items()):
        looped = len(stages) == 1 and (
            model.digraph.has_edge(stages[0], stages[0])
            or sum(1 for s in model.component.values() if s == model.component[stages[0]]) > 1
        )
        if len(stages) == 1 and not looped:
            for bit in _bits(ctx.reach.at(stages[0])):
                best[bit] = max(best.get(bit, 0), 1)
            continue
        asks = set(stages)
        layers = Layers(
            model,
            4,
            (p.entry, int(p.entry in asks), model.full),
            lambda source, target, asks=asks: int(target in asks),  # type: ignore[misc]
            routes=False,
        )
        for bit, (_, high) in layers.extremes(only_stop=False).items():
            best[bit] = max(best.get(bit, 0), high)
    return best


def _days(limit: Duration | None) -> int:
    if limit is None:
        return NO_LIMIT
    return -(-limit.days * 7 // 5) if limit.working else limit.days


def _longest_days(ctx: Context) -> dict[int, int]:
    model, p = ctx.model, ctx.pathway
    support = _is_support(ctx)
    walk = model.forward([(p.entry, model.full, None)], stop=support, routes=False)
    edges = [
        (e.source, t) for s in walk.masks if not support(s) for e in model.out[s] for t in e.lands
    ]
    values: dict[str, dict[int, int]] = {p.entry: {0: model.full}}
    best: dict[int, int] = {}
    for group, looped in model.in_order(walk.masks, edges):
        for stage in group:
            here = values.get(stage, {})
            if looped:
                here = {NO_LIMIT: _union(values.get(s, {}) for s in group)}
            here = {v: model.close(m) & walk.at(stage) for v, m in here.items()}
            if support(stage):
                for value, mask in here.items():
                    for bit in _bits(mask):
                        best[bit] = max(best.get(bit, 0), value)
                continue
            for edge in model.out[stage]:
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
    model, p = ctx.model, ctx.pathway
    goal = [n for n in model.outcomes if p.stages[n].track == MAIN_TRACK]
    sole: dict[str, list[str]] = {}
    for name, key in model.owners.items():
        if len(key) == 1:
            sole.setdefault(key[0], []).append(name)
    route = model.shortest_stages(goal)
    if route is None:
        return ()
    candidates = sorted({model.owners[s][0] for s in route} & set(sole))
    found = [a for a in candidates if not model.avoidable(sole[a], goal)]
    return tuple(p.agencies[a].name if a in p.agencies else a for a in found)
