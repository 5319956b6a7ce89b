"""Walks that count along the way: where each profile can be with how many agency changes
(or times asked for an item) so far, for every profile at once.

A `CountsWithRoutes` walk follows (stage, count) states breadth first, level by level in file
order, and records how each state was reached, so a shortest route to any count can be written
out. A `PackedCounts` walk finds the same states without routes, packed into one int per stage,
and can count several things (lanes) in one walk: the metrics use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from heapq import heappop, heappush

from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.walks import ROUTE_LIMIT, Step

__all__ = ["CountsWithRoutes", "PackedCounts"]

_Parent = tuple[int, int | None, str | None, int | None]  # (bits, state before, handoff, change)
# A handoff out of a stage: (profiles, handoff, [(target's first state, weight)])
_Move = tuple[int, str, list[tuple[int, int]]]


def _never(stage: str) -> bool:
    return False


class CountsWithRoutes:
    """Where each profile can be with a count so far (0 to `cap`; `cap` means `cap` or more).

    A state (a stage with a count) is numbered `stage's position in the file * (cap + 1) +
    count`: small ints make the many lookups of a large pathway cheap.
    """

    def __init__(
        self,
        graph: ProfileGraph,
        cap: int,
        start: tuple[str, int, int],
        weight: Callable[[str, str], int],
        stop: Callable[[str], bool] = _never,
    ) -> None:
        self.graph, self.cap, self.stop = graph, cap, stop
        self.span = span = cap + 1
        self.names = list(graph.order)
        self.masks: dict[int, int] = {}
        self.parents: dict[int, list[_Parent]] = {}
        self.moves: dict[int, list[_Move]] = {}
        stage, count, bits = start
        first = graph.order[stage] * span + min(count, cap)
        self._levels(first, bits, weight)

    def _levels(self, first: int, bits: int, weight: Callable[[str, str], int]) -> None:
        """Breadth first, level by level, recording parents (for shortest routes)."""
        graph, span, cap, names, stop = self.graph, self.span, self.cap, self.names, self.stop
        frontier: dict[int, int] = {}
        self._arrive(first, bits, (bits, None, None, None), frontier)
        masks, parents, known = self.masks, self.parents, self.masks.get
        shifts = [(i, c.source, c.shift) for i, c in enumerate(graph.changes)]
        moves, stops = self.moves, stop is not _never
        while frontier:
            after: dict[int, int] = {}
            for state in sorted(frontier, key=lambda s: (s % span, s // span)):
                number, count = divmod(state, span)
                here = names[number]
                bits = frontier[state]
                for index, source, shift in shifts:
                    moved = bits & source
                    if moved:
                        moved = moved << shift if shift >= 0 else moved >> -shift
                        if moved & ~known(state, 0):
                            self._arrive(state, moved, (moved, state, None, index), after)
                if stops and stop(here):
                    continue
                found = moves.get(number)
                if found is None:
                    found = self._moves(number, weight)
                for mask, handoff, targets in found:
                    carry = bits & mask
                    if not carry:
                        continue
                    for base, step in targets:
                        # `_arrive`, written out on the busiest path
                        seen = count + step
                        key = base + (seen if seen < cap else cap)
                        new = carry & ~known(key, 0)
                        if new:
                            masks[key] = known(key, 0) | new
                            parents.setdefault(key, []).append((new, state, handoff, None))
                            after[key] = after.get(key, 0) | new
            frontier = after

    def _moves(self, number: int, weight: Callable[[str, str], int]) -> list[_Move]:
        """The handoffs out of stage `number`, each with where it lands: worked out once per
        stage, not once for each count the stage is reached with."""
        graph, span, here = self.graph, self.span, self.names[number]
        order = graph.order
        found = [
            (edge.mask, edge.handoff, [(order[t] * span, weight(here, t)) for t in edge.lands])
            for edge in graph.out[here]
            if not edge.decline  # a declined referral adds no step to a route's counts
        ]
        self.moves[number] = found
        return found

    def _arrive(self, state: int, bits: int, parent: _Parent, into: dict[int, int]) -> None:
        new = bits & ~self.masks.get(state, 0)
        if new:
            self.masks[state] = self.masks.get(state, 0) | new
            self.parents.setdefault(state, []).append((new, *parent[1:]))
            into[state] = into.get(state, 0) | new

    def over(self, count: int) -> dict[str, int]:
        """Stages where `stop` holds, with the profiles that arrive with at least `count`."""
        found: dict[str, int] = {}
        for state, bits in self.masks.items():
            number, seen = divmod(state, self.span)
            stage = self.names[number]
            if seen >= count and self.stop(stage):
                found[stage] = found.get(stage, 0) | bits
        return found

    def route(self, stage: str, count: int, bits: int) -> tuple[Step, ...]:
        """A shortest route to `stage` arriving with at least `count`, for one of `bits`."""
        base = self.graph.order[stage] * self.span
        for seen in range(self.cap, count - 1, -1):
            here = self.masks.get(base + seen, 0) & bits
            if here:
                return self._route(base + seen, (here & -here).bit_length() - 1)
        return ()

    def _route(self, state: int, bit: int) -> tuple[Step, ...]:
        steps: list[Step] = []
        current: int | None = state
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
            stage = self.names[current // self.span]
            if change is not None:
                steps.append(Step(stage, bit, change=self.graph.changes[change].label))
                bit -= self.graph.changes[change].shift
            else:
                steps.append(Step(stage, bit, handoff=handoff))
            current = before
        return tuple(reversed(steps))


class PackedCounts:
    """Where each profile can be with a count so far, like `CountsWithRoutes` but without
    routes, and for several counts (lanes) in one walk: one Python int per stage.

    The int holds `lanes` runs of `cap + 1` blocks, each block one bit per profile: block `c`
    of lane `l` holds the profiles that can be at the stage having counted `c` in lane `l`
    (`cap`: `cap` or more). Moving from `source` to `target` counts one in the lanes that
    `step(source, target)` names (a bitmask of lanes): a shift by one block. A declared profile
    change is a shift inside every block. So a stage costs a few big-int operations per handoff
    whatever the counts, instead of one state per count and lane. The walk starts at `start`
    (stage, lanes counted on arriving there, profiles) and takes the stages in the order the
    handoffs lead (`ProfileGraph.component`), round a loop until nothing new arrives; nothing leaves
    a stage where `stop` holds.
    """

    def __init__(
        self,
        graph: ProfileGraph,
        cap: int,
        start: tuple[str, int, int],
        step: Callable[[str, str], int],
        stop: Callable[[str], bool] = _never,
        lanes: int = 1,
    ) -> None:
        self.graph, self.stop, self.span, self.lanes = graph, stop, cap + 1, lanes
        self.width = width = max(1, graph.full.bit_length())
        block = (1 << width) - 1
        runs = range(lanes)
        #: a one at the start of every block: `mask * ones` is `mask` in every block
        self._ones = sum(1 << (width * k) for k in range(self.span * lanes))
        self._top = sum(block << (width * (self.span * lane + cap)) for lane in runs)
        self._lane = [
            sum(block << (width * (self.span * lane + c)) for c in range(self.span))
            for lane in runs
        ]
        self._blocks: dict[int, int] = {0: 0}
        #: what each stage holds once the walk is done
        self.values: dict[str, int] = {}
        stage, counted, bits = start
        first = bits * sum(1 << (width * self.span * lane) for lane in runs)
        self._walk(stage, self._count(first, self._selected(counted)), step)

    def _selected(self, lanes: int) -> int:
        """The blocks of the lanes in the bitmask `lanes`."""
        blocks = self._blocks.get(lanes)
        if blocks is None:
            blocks = 0
            for lane, run in enumerate(self._lane):
                if lanes >> lane & 1:
                    blocks |= run
            self._blocks[lanes] = blocks
        return blocks

    def _count(self, value: int, selected: int) -> int:
        """`value` having counted one more in the `selected` blocks' lanes."""
        moved = value & selected
        if not moved:
            return value
        top = moved & self._top
        return (value & ~selected) | (moved & ~top) << self.width | top

    def _walk(self, first: str, value: int, step: Callable[[str, str], int]) -> None:
        graph, values, stop, ones = self.graph, self.values, self.stop, self._ones
        rank, order, out = graph.component, graph.order, graph.out
        shifts = [(c.source * ones, c.shift) for c in graph.changes]
        width, top = self.width, self._top
        moves: dict[str, list[tuple[int, list[tuple[str, int]]]]] = {}
        pending: dict[str, int] = {}
        heap: list[tuple[int, int, str]] = []

        def arrive(stage: str, bits: int) -> None:
            new = bits & ~values.get(stage, 0)
            if new:
                values[stage] = values.get(stage, 0) | new
                if stage in pending:
                    pending[stage] |= new
                else:
                    pending[stage] = new
                    heappush(heap, (rank[stage], order[stage], stage))

        arrive(first, value)
        while heap:
            stage = heappop(heap)[2]
            bits = grown = pending.pop(stage)
            while grown:  # the declared changes, until they bring no one new
                moved = 0
                for source, shift in shifts:
                    part = grown & source
                    if part:
                        moved |= part << shift if shift >= 0 else part >> -shift
                grown = moved & ~values[stage]
                values[stage] |= grown
                bits |= grown
            if stop(stage):
                continue
            found = moves.get(stage)
            if found is None:  # once per stage, however often a loop brings it back
                found = moves[stage] = [
                    (e.mask * ones, [(t, self._selected(step(stage, t))) for t in e.lands])
                    for e in out[stage]
                    if not e.decline
                ]
            for mask, targets in found:
                carry = bits & mask
                if carry:
                    for target, selected in targets:
                        counted = carry & selected
                        if counted:  # `_count`, written out on the busiest path
                            held = counted & top
                            counted = (carry & ~selected) | (counted & ~held) << width | held
                        else:
                            counted = carry
                        arrive(target, counted)

    def extremes(self, only_stop: bool) -> list[dict[int, tuple[int, int]]]:
        """For each lane, and each profile bit, the lowest and highest count seen (at `stop`
        stages only if asked)."""
        total = 0
        for stage, value in self.values.items():
            if not only_stop or self.stop(stage):
                total |= value
        block, found = (1 << self.width) - 1, []
        for lane in range(self.lanes):
            at = self.span * lane
            by_count = [total >> (self.width * (at + c)) & block for c in range(self.span)]
            lowest: dict[int, int] = {}
            highest: dict[int, int] = {}
            for count, bits in enumerate(by_count):
                for bit in _bits(bits & ~_union_of(by_count[:count])):
                    lowest[bit] = count
                for bit in _bits(bits):
                    highest[bit] = count
            found.append({bit: (low, highest[bit]) for bit, low in lowest.items()})
        return found


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
