"""Walks that count along the way: where each profile can be with how many agency changes
(or times asked for an item) so far, for every profile at once.

A `Layers` walk follows (stage, count) states. With `routes` it goes breadth first, level by
level in file order, and records how each state was reached, so a shortest route to any count
can be written out. Without, it only finds which states each profile can reach, and takes the
stages in the order the handoffs lead (`Model.component`), so a stage is mostly taken once,
when everything that leads to it has been; the states found are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from heapq import heappop, heappush

from pathways.checks.graph import Model
from pathways.checks.walks import ROUTE_LIMIT, Step

__all__ = ["Layers"]

_Parent = tuple[int, int | None, str | None, int | None]  # (bits, state before, handoff, change)
# A handoff out of a stage: (profiles, handoff, [(target's first state, weight, its rank)])
_Move = tuple[int, str, list[tuple[int, int, int]]]


def _never(stage: str) -> bool:
    return False


class Layers:
    """Where each profile can be with a count so far (0 to `cap`; `cap` means `cap` or more).

    A state (a stage with a count) is numbered `stage's position in the file * (cap + 1) +
    count`: small ints make the many lookups of a large pathway cheap.
    """

    def __init__(
        self,
        model: Model,
        cap: int,
        start: tuple[str, int, int],
        weight: Callable[[str, str], int],
        stop: Callable[[str], bool] = _never,
        routes: bool = True,
    ) -> None:
        self.model, self.cap, self.stop, self.routes = model, cap, stop, routes
        self.span = span = cap + 1
        self.names = list(model.order)
        self.masks: dict[int, int] = {}
        self.parents: dict[int, list[_Parent]] = {}
        self.moves: dict[int, list[_Move]] = {}
        stage, count, bits = start
        first = model.order[stage] * span + min(count, cap)
        if routes:
            self._levels(first, bits, weight)
        else:
            self._ranked(first, bits, weight)

    def _levels(self, first: int, bits: int, weight: Callable[[str, str], int]) -> None:
        """Breadth first, level by level, recording parents (for shortest routes)."""
        model, span, cap, names, stop = self.model, self.span, self.cap, self.names, self.stop
        frontier: dict[int, int] = {}
        self._arrive(first, bits, (bits, None, None, None), frontier)
        masks, parents, known = self.masks, self.parents, self.masks.get
        shifts = [(i, c.source, c.shift) for i, c in enumerate(model.changes)]
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
                    found = self._moves(number, weight, {})
                for mask, handoff, targets in found:
                    carry = bits & mask
                    if not carry:
                        continue
                    for base, step, _ in targets:
                        # `_arrive`, written out on the busiest path
                        seen = count + step
                        key = base + (seen if seen < cap else cap)
                        new = carry & ~known(key, 0)
                        if new:
                            masks[key] = known(key, 0) | new
                            parents.setdefault(key, []).append((new, state, handoff, None))
                            after[key] = after.get(key, 0) | new
            frontier = after

    def _ranked(self, first: int, bits: int, weight: Callable[[str, str], int]) -> None:
        """In the order the handoffs lead: a state is taken when the states before it have
        been (round a loop, again until nothing new arrives). No parents are recorded."""
        model, span, cap, names, stop = self.model, self.span, self.cap, self.names, self.stop
        masks, known = self.masks, self.masks.get
        shifts = [(c.source, c.shift) for c in model.changes]
        rank, moves, stops = model.component, self.moves, stop is not _never
        masks[first] = bits
        pending = {first: bits}
        heap = [(rank[names[first // span]], first)]

        def arrive(key: int, here: str, carry: int) -> None:
            new = carry & ~known(key, 0)
            if new:
                masks[key] = known(key, 0) | new
                if key in pending:
                    pending[key] |= new
                else:
                    pending[key] = new
                    heappush(heap, (rank[here], key))

        while heap:
            _, state = heappop(heap)
            bits = pending.pop(state)
            number, count = divmod(state, span)
            here = names[number]
            for source, shift in shifts:
                moved = bits & source
                if moved:
                    moved = moved << shift if shift >= 0 else moved >> -shift
                    if moved & ~known(state, 0):
                        arrive(state, here, moved)
            if stops and stop(here):
                continue
            found = moves.get(number)
            if found is None:
                found = self._moves(number, weight, rank)
            for mask, _, targets in found:
                carry = bits & mask
                if carry:
                    for base, step, position in targets:
                        seen = count + step
                        key = base + (seen if seen < cap else cap)
                        # `arrive`, written out on the busiest path
                        new = carry & ~known(key, 0)
                        if new:
                            masks[key] = known(key, 0) | new
                            if key in pending:
                                pending[key] |= new
                            else:
                                pending[key] = new
                                heappush(heap, (position, key))

    def _moves(
        self, number: int, weight: Callable[[str, str], int], rank: Mapping[str, int]
    ) -> list[_Move]:
        """The handoffs out of stage `number`, each with where it lands (and its `rank`):
        worked out once per stage, not once for each count the stage is reached with."""
        model, span, here = self.model, self.span, self.names[number]
        order = model.order
        found = [
            (
                edge.mask,
                edge.handoff,
                [(order[t] * span, weight(here, t), rank.get(t, 0)) for t in edge.lands],
            )
            for edge in model.out[here]
        ]
        self.moves[number] = found
        return found

    def _arrive(self, state: int, bits: int, parent: _Parent, into: dict[int, int]) -> None:
        new = bits & ~self.masks.get(state, 0)
        if new:
            self.masks[state] = self.masks.get(state, 0) | new
            if self.routes:
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
        base = self.model.order[stage] * self.span
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
                steps.append(Step(stage, bit, change=self.model.changes[change].label))
                bit -= self.model.changes[change].shift
            else:
                steps.append(Step(stage, bit, handoff=handoff))
            current = before
        return tuple(reversed(steps))

    def extremes(self, only_stop: bool) -> dict[int, tuple[int, int]]:
        """For each profile bit, the lowest and highest count seen (at `stop` stages if asked)."""
        by_count = [0] * (self.cap + 1)
        for state, bits in self.masks.items():
            number, count = divmod(state, self.span)
            if not only_stop or self.stop(self.names[number]):
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
