"""Where a victim retells an item, over every route and every profile at once.

```python
found = retold(graph, "account")
found.again["police-interview"]  # the profiles some route has retelling it there
found.fresh["police-interview"]  # the profiles some route has not
asked(graph, "account")  # {1: profiles asked once at most, 2: asked twice on some route, ...}
```

A retelling is what `pathways.definition.retelling` says it is, judged on each route as the
journey would be: the walk follows (stage, who holds the item) pairs, using the same rules
(`is_retold`, `handed`), so the check, the case tests, the board report and the simulation
cannot disagree. A stage is asked for the item on *some* route when some pair at it is a
retelling, and on *every* route when none is not.

Like the other walks, it follows every profile together (bitmasks), takes the stages in the
order the handoffs lead, revisits a pair only when new profiles arrive, and keeps parent records
for a route to each finding (a route follows one track at a time, and a handoff that starts a
track also leads to that track's entry). Who holds the item is kept only for the agencies that
can still matter ahead (`_relevant`), with one more bit for "told someone", so the pairs stay
few, and the walk stops where no stage ahead asks for the item.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from heapq import heappop, heappush

from pathways.definition.retelling import Sharing, handed, is_asked, is_retold
from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.walks import ROUTE_LIMIT, Step

__all__ = ["Retold", "asked", "counted", "retold"]

#: A place of the walk: a stage, and who holds the item on arrival there (holder bits).
Node = tuple[str, int]
# A parent record: (bits, node before, handoff taken, profile change index).
_Parent = tuple[int, Node | None, str | None, int | None]


@dataclass
class Retold:
    """For one item, at each stage that collects it: the profiles that arrive there to be
    asked again on some route (`again`) and those that arrive on some route without (`fresh`)."""

    item: str
    graph: ProfileGraph
    again: dict[str, int] = field(default_factory=dict)
    fresh: dict[str, int] = field(default_factory=dict)
    masks: dict[Node, int] = field(default_factory=dict)
    parents: dict[Node, list[_Parent]] = field(default_factory=dict)
    retelling: dict[str, list[Node]] = field(default_factory=dict)

    @property
    def every(self) -> dict[str, int]:
        """The profiles asked again on every route to each stage that gets them there."""
        found = {s: bits & ~self.fresh.get(s, 0) for s, bits in self.again.items()}
        return {s: bits for s, bits in found.items() if bits}

    def route(self, stage: str, bit: int) -> tuple[tuple[Step, ...], str | None]:
        """A route from the entry on which profile `bit` retells the item at `stage` (the
        shortest of those the walk recorded)
        (its last `ROUTE_LIMIT` steps, the first marked as after a gap when cut), and the last
        stage before the end of the route that asked for the item."""
        node = min(
            (n for n in self.retelling.get(stage, []) if self.masks[n] >> bit & 1),
            key=lambda n: self._depth(n, bit),
        )
        steps: list[Step] = []
        here: Node | None = node
        while here is not None:
            _, before, handoff, change = next(p for p in self.parents[here] if p[0] >> bit & 1)
            if change is not None:
                made = self.graph.changes[change]
                steps.append(Step(here[0], bit, None, made.label))
                bit -= made.shift
            else:
                steps.append(Step(here[0], bit, handoff))
            here = before
        steps.reverse()
        earlier = self._earlier(steps)
        if len(steps) > ROUTE_LIMIT:
            steps = steps[-ROUTE_LIMIT:]
            first = steps[0]
            steps[0] = Step(first.stage, first.profile, first.handoff, first.change, True)
        return tuple(steps), earlier

    def _depth(self, node: Node, bit: int) -> int:
        depth = 0
        here: Node | None = node
        while here is not None:
            record = next(p for p in self.parents[here] if p[0] >> bit & 1)
            if record[3] is not None:
                bit -= self.graph.changes[record[3]].shift
            here = record[1]
            depth += 1
        return depth

    def _earlier(self, route: list[Step]) -> str | None:
        stages = self.graph.pathway.stages
        for step in reversed(route[:-1]):
            if step.change is None and self.item in stages[step.stage].collects:
                return step.stage
        return None


def retold(graph: ProfileGraph, item: str) -> Retold:
    """Walk every route from the entry, following who holds `item` (see the module docstring);
    worked out once per item and graph."""
    key = ("retold", item)
    found: Retold | None = graph.memo.get(key)
    if found is None:
        found = graph.memo[key] = _walk(graph, item)
    return found


def _sharing(graph: ProfileGraph) -> Sharing:
    found: Sharing | None = graph.memo.get("sharing")
    if found is None:
        found = graph.memo["sharing"] = Sharing(graph.pathway)
    return found


def _relevant(
    graph: ProfileGraph, item: str, owner: dict[str, int], asking: set[str]
) -> dict[str, int]:
    """For each stage from which some stage that asks for `item` can be reached, the holders
    whose having it can still change a verdict from there on: the agencies of the stages
    ahead that ask for it and of those that share it on. What other agencies hold is
    forgotten, so routes that differ only in it are walked once; a stage that leads to no
    stage asking for the item is left out, as nothing can be found past it. One pass over
    the stages' groups, last first (a handoff never leads to an earlier group)."""
    relevant: dict[str, int] = {}
    out = graph.out
    for members, loop in reversed(graph.groups):
        changed = True
        while changed:  # once for a group that is not a loop; round a loop until settled
            changed = False
            for stage in members:
                ahead = stage in asking
                bits = owner[stage] if ahead else 0
                for edge in out[stage]:
                    if item in edge.shares:
                        bits |= owner[stage]
                    for land in edge.lands:
                        if land in relevant:
                            ahead = True
                            bits |= relevant[land]
                if ahead and (stage not in relevant or bits != relevant[stage]):
                    relevant[stage] = bits
                    changed = loop
    return relevant


def _receivers(graph: ProfileGraph, sharing: Sharing, item: str) -> dict[tuple[str, str], int]:
    """The holders each handoff that shares `item` passes it to, by (source, handoff)."""
    return {
        (edge.source, edge.handoff): sharing.receivers(edge.lands)
        for edges in graph.out.values()
        for edge in edges
        if item in edge.shares
    }


def _walk(graph: ProfileGraph, item: str) -> Retold:
    result = Retold(item, graph)
    masks, parents = result.masks, result.parents
    sharing = _sharing(graph)
    owner, stages = sharing.owner, graph.pathway.stages
    # a bit of its own for "the victim has told someone": kept when who it was is forgotten
    told = 1 << len(sharing.bits)
    asking = {name for name, stage in stages.items() if item in stage.collects}
    keep = {name: bits | told for name, bits in _relevant(graph, item, owner, asking).items()}
    receivers = _receivers(graph, sharing, item)
    shifts = [(i, c.source, c.shift) for i, c in enumerate(graph.changes)]

    known = masks.get
    rank = graph.component
    entry = (graph.pathway.entry, 0)
    masks[entry] = graph.full
    parents[entry] = [(graph.full, None, None, None)]
    # Stages in the order the handoffs lead (as `walks._spread`), so a place is mostly taken
    # once, with every profile that can reach it; round a loop, again until nothing is new.
    pending: dict[Node, int] = {entry: graph.full}
    heap: list[tuple[int, int, Node]] = [(rank[entry[0]], 0, entry)]
    count = 1

    def arrive(target: Node, new: int, parent: _Parent) -> None:
        nonlocal count
        masks[target] = known(target, 0) | new
        parents.setdefault(target, []).append(parent)
        if target in pending:
            pending[target] |= new
        else:
            pending[target] = new
            heappush(heap, (rank[target[0]], count, target))
            count += 1

    if entry[0] not in keep:
        return result

    while heap:
        node = heappop(heap)[2]
        bits = pending.pop(node)
        stage, held = node
        for index, new in _changed(shifts, bits, known(node, 0)):
            arrive(node, new, (new, node, None, index))
        holding = held | owner[stage] | told if stage in asking else held
        for edge in graph.out[stage]:
            carry = bits & edge.mask
            if not carry:
                continue
            now = holding
            if item in edge.shares:
                now = handed(holding, owner[stage], receivers[stage, edge.handoff])
            for land in edge.lands:
                if land not in keep:
                    continue  # no stage past it asks for the item
                target = (land, now & keep[land])
                new = carry & ~known(target, 0)
                if new:
                    arrive(target, new, (new, node, edge.handoff, None))
    _judge(result, owner, asking)
    return result


def _changed(
    shifts: list[tuple[int, int, int]], bits: int, there: int
) -> Iterator[tuple[int, int]]:
    """The profiles new at a place by each declared change, with the change's number."""
    for index, source, shift in shifts:
        moved = bits & source
        if moved:
            moved = moved << shift if shift >= 0 else moved >> -shift
            if moved & ~there:
                yield index, moved & ~there


def _judge(result: Retold, owner: dict[str, int], asking: set[str]) -> None:
    """Each place walked at a stage that asks for the item: a retelling or not."""
    for (stage, held), bits in result.masks.items():
        if stage not in asking:
            continue
        if is_retold(held, owner[stage]):
            result.again[stage] = result.again.get(stage, 0) | bits
            result.retelling.setdefault(stage, []).append((stage, held))
        else:
            result.fresh[stage] = result.fresh.get(stage, 0) | bits


def asked(graph: ProfileGraph, item: str) -> dict[int, int]:
    """The most times a victim is asked for `item` on one route, for every profile at once:
    for each count, the profiles for which it is the most (profiles never asked are left out).

    The same walk as `retold`, with the times asked so far as a third part of each place: a
    stage asks when its agency holds no copy (`is_asked`), so a route is asked at most once
    per agency that asks for the item, and the count needs no cap. An item that one or two
    agencies ask for is asked twice exactly where it is retold: `retold`'s walk says so."""
    sharing = _sharing(graph)
    owner, stages = sharing.owner, graph.pathway.stages
    asking = {name for name, stage in stages.items() if item in stage.collects}
    if len({owner[name] for name in asking}) <= 2:
        return _twice_at_most(retold(graph, item), asking)
    return counted(graph, item)


def counted(graph: ProfileGraph, item: str) -> dict[int, int]:
    """`asked` by the counting walk, whoever asks (see `asked`)."""
    sharing = _sharing(graph)
    owner, stages = sharing.owner, graph.pathway.stages
    asking = {name for name, stage in stages.items() if item in stage.collects}
    told = 1 << len(sharing.bits)
    keep = {name: bits | told for name, bits in _relevant(graph, item, owner, asking).items()}
    receivers = _receivers(graph, sharing, item)
    shifts = [(i, c.source, c.shift) for i, c in enumerate(graph.changes)]
    entry = graph.pathway.entry
    if entry not in keep:
        return {}
    masks: dict[tuple[str, int, int], int] = {(entry, 0, 0): graph.full}
    pending = dict(masks)
    reached: dict[int, int] = {}  # times asked -> the profiles some route asks that often
    while pending:
        here, bits = pending.popitem()
        stage, held, count = here
        bits, masks[here] = _grown(shifts, bits, masks[here])
        if stage in asking:
            count += is_asked(held, owner[stage])
            held |= owner[stage] | told
        reached[count] = reached.get(count, 0) | bits
        for edge in graph.out[stage]:
            carry = bits & edge.mask
            if not carry:
                continue
            now = held
            if item in edge.shares:
                now = handed(held, owner[stage], receivers[stage, edge.handoff])
            for land in edge.lands:
                if land in keep:
                    target = (land, now & keep[land], count)
                    new = carry & ~masks.get(target, 0)
                    if new:
                        masks[target] = masks.get(target, 0) | new
                        pending[target] = pending.get(target, 0) | new
    found: dict[int, int] = {}
    higher = 0
    for count in sorted(reached, reverse=True):
        bits = reached[count] & ~higher
        if count and bits:
            found[count] = bits
        higher |= reached[count]
    return found


def _grown(shifts: list[tuple[int, int, int]], bits: int, there: int) -> tuple[int, int]:
    """`bits` with the profiles the declared changes bring them to that are new at the place,
    until none is; and the place's profiles (`there`, `bits` among them) with them."""
    grown = bits
    while grown:
        grown = 0
        for _, new in _changed(shifts, bits, there):
            there |= new
            grown |= new
        bits |= grown
    return bits, there


def _twice_at_most(found: Retold, asking: set[str]) -> dict[int, int]:
    """`asked` for an item only two agencies ask for: once on the way to a stage that asks,
    twice where some route has it retold (the `retold` walk, which the check has made)."""
    again = fresh = 0
    for stage in asking:
        again |= found.again.get(stage, 0)
        fresh |= found.fresh.get(stage, 0)
    counts = {2: again, 1: fresh & ~again}
    return {count: bits for count, bits in counts.items() if bits}
