"""Where a victim retells an item, over every route and every profile at once.

```python
found = retold(graph, "account")
found.again["police-interview"]  # the profiles some route has retelling it there
found.fresh["police-interview"]  # the profiles some route has not
```

A retelling is what `pathways.definition.retelling` says it is, judged on each route as the
journey would be: the walk follows (stage, who holds the item) pairs, using the same rules
(`is_retold`, `handed`), so the check, the case tests, the board report and the simulation
cannot disagree. A stage is asked for the item on *some* route when some pair at it is a
retelling, and on *every* route when none is not. Like the other walks, it follows every
profile together (bitmasks), revisits a pair only when new profiles arrive, and keeps parent
records for a shortest route to each finding (a route follows one track at a time, and a
handoff that starts a track also leads to that track's entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pathways.definition.retelling import Sharing, handed, is_retold
from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.walks import ROUTE_LIMIT, Step

__all__ = ["Retold", "retold"]

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
        """A shortest route from the entry on which profile `bit` retells the item at `stage`
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


def _walk(graph: ProfileGraph, item: str) -> Retold:
    result = Retold(item, graph)
    masks, parents = result.masks, result.parents
    sharing = _sharing(graph)
    owner, stages = sharing.owner, graph.pathway.stages
    shifts = [(i, c.source, c.shift) for i, c in enumerate(graph.changes)]
    order = graph.order.__getitem__

    def arrive(node: Node, bits: int, parent: _Parent, into: dict[Node, int]) -> None:
        new = bits & ~masks.get(node, 0)
        if new:
            masks[node] = masks.get(node, 0) | new
            parents.setdefault(node, []).append((new, *parent[1:]))
            into[node] = into.get(node, 0) | new

    frontier: dict[Node, int] = {}
    arrive((graph.pathway.entry, 0), graph.full, (0, None, None, None), frontier)
    while frontier:
        after: dict[Node, int] = {}
        for node in sorted(frontier, key=lambda n: (order(n[0]), n[1])):
            bits = frontier[node]
            stage, held = node
            for index, source, shift in shifts:
                moved = bits & source
                if moved:
                    moved = moved << shift if shift >= 0 else moved >> -shift
                    arrive(node, moved, (0, node, None, index), after)
            asks = item in stages[stage].collects
            holding = held | owner[stage] if asks else held
            for edge in graph.out[stage]:
                carry = bits & edge.mask
                if not carry:
                    continue
                now = holding
                if item in edge.shares:
                    now = handed(holding, owner[stage], sharing.receivers(edge.lands))
                for land in edge.lands:
                    arrive((land, now), carry, (0, node, edge.handoff, None), after)
        frontier = after
    for (stage, held), bits in masks.items():
        if item not in stages[stage].collects:
            continue
        if is_retold(held, owner[stage]):
            result.again[stage] = result.again.get(stage, 0) | bits
            result.retelling.setdefault(stage, []).append((stage, held))
        else:
            result.fresh[stage] = result.fresh.get(stage, 0) | bits
    return result
