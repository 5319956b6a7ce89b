"""A layered (Sugiyama-style) layout, top to bottom, with lanes side by side.

```python
from pathways.diagram.sugiyama import Item, Wire, arrange
placed = arrange([Item("a", 80, 30, 0), Item("b", 80, 30, 1)], [Wire("a", "b", (60, 24))])
placed.centres["b"], placed.routes[0]
```

The four classic steps, each deterministic (ties go to the order things were given in):

1. *Layers*: arrows that close a loop are turned round (a depth-first walk, as in `layout`),
   and each item's layer is the longest run of arrows that leads to it. Items sit on even
   ranks; the odd rank between two layers holds arrow labels, so a label is placed like an
   item and can never sit on a box or on another label.
2. *Dummies*: an arrow that spans several ranks gets a point on each rank it passes, so it is
   routed between the items there rather than through them.
3. *Crossing reduction*: within each rank, items are kept in their lane's block and sorted by
   the barycentre of their neighbours, sweeping down and up; the order with fewest crossings
   is kept.
4. *Coordinates*: each lane is as wide as its busiest rank; within a lane, items move as close
   to the average of their neighbours as their order allows (isotonic regression).

Arrows are routed as polylines: straight down inside a rank (where only their own item is),
diagonal in the clear space between ranks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pathways.diagram.layout import back_edges, layers
from pathways.diagram.ordering import Slot, lane_order, neighbours
from pathways.diagram.routing import Point, self_loop, simplify

__all__ = ["GAP", "Item", "Placed", "Wire", "arrange"]


#: Points between two items of a rank, and between ranks.
GAP = 12.0
_RANK_GAP = 18.0
_WIRE = 10.0  # the width a passing arrow takes in a rank
_LANE_PAD = 10.0
_LOOP, _LOOP_STEP = 12.0, 3.0  # a loop back to the same item, and the space between loops


@dataclass(frozen=True, slots=True)
class Item:
    """Something to place: its size in points and its lane."""

    id: str
    width: float
    height: float
    lane: int


@dataclass(frozen=True, slots=True)
class Wire:
    """An arrow from `source` to `target`, with the size of its label (if any)."""

    source: str
    target: str
    label: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """Where everything went: centres of items, each wire's route and label, lane extents."""

    centres: dict[str, Point]
    routes: tuple[tuple[Point, ...], ...]
    labels: tuple[tuple[float, float, float, float] | None, ...]
    lanes: tuple[tuple[float, float], ...]
    ranks: tuple[tuple[float, float], ...]
    width: float
    height: float
    back: frozenset[int]


def arrange(
    items: Sequence[Item],
    wires: Sequence[Wire],
    lane_widths: Sequence[float] = (),
    follow: Literal["source", "target"] = "source",
    widest: float = float("inf"),
) -> Placed:
    """Lay out `items` and `wires`; lanes are at least as wide as `lane_widths` says.

    An arrow between lanes runs down the lane of its upper end (`follow="source"`) or of its
    lower end ("target") and crosses over at the other end; its label goes with it. Items of
    one lane in one layer take at most `widest` points side by side: the rest move down.
    """
    names = [item.id for item in items]
    by_id = {item.id: item for item in items}
    pairs = [(w.source, w.target) for w in wires if w.source != w.target]
    back = back_edges(names, pairs)
    loops = _loops(wires)
    sizes = {item.id: item.width + loops.get(item.id, (0.0, 0.0))[0] for item in items}
    layer = _bounded(
        layers(names, pairs), items, sizes, [p for p in pairs if p not in back], widest
    )
    ranks: list[list[Slot]] = [[] for _ in range(2 * max(layer.values(), default=0) + 1)]
    slot: dict[str, Slot] = {}
    for item in items:
        room, high = loops.get(item.id, (0.0, 0.0))
        made = Slot(item.id, item.width + room, max(item.height, high), item.lane, item.width / 2)
        ranks[2 * layer[item.id]].append(made)
        slot[item.id] = made
    chains: list[list[str]] = []
    turned: set[int] = set()
    for index, wire in enumerate(wires):
        upper, lower = wire.source, wire.target
        if upper == lower:
            chains.append([upper])
            continue
        if (upper, lower) in back:
            upper, lower = lower, upper
            turned.add(index)
        chain = [upper]
        lane = by_id[upper if follow == "source" else lower].lane
        for rank in range(2 * layer[upper] + 1, 2 * layer[lower]):
            key = f"\0{index}.{rank}"
            label = wire.label if rank == 2 * layer[upper] + 1 else None
            if label is not None:
                made = Slot(key, _WIRE + label[0], label[1], lane, _WIRE / 2)
            else:
                made = Slot(key, _WIRE, 0.0, lane, _WIRE / 2)
            ranks[rank].append(made)
            slot[key] = made
            chain.append(key)
        chain.append(lower)
        chains.append(chain)
    count = max([item.lane + 1 for item in items] + [len(lane_widths)], default=1)
    position = lane_order(ranks, chains, count)
    lanes = _lane_extents(ranks, lane_widths, position)
    _coordinates(ranks, chains, slot, lanes)
    bands = _bands(ranks)
    return _finish(ranks, chains, slot, lanes, bands, wires, turned, by_id)


def _bounded(
    layer: dict[str, int],
    items: Sequence[Item],
    sizes: dict[str, float],
    forward: Sequence[tuple[str, str]],
    widest: float,
) -> dict[str, int]:
    """`layer` with items moved down where a lane's layer would be wider than `widest`, and
    what follows them moved down after them."""
    for _ in range(len(items)):
        used: dict[tuple[int, int], float] = {}
        moved = False
        for item in sorted(items, key=lambda i: layer[i.id]):
            key = (layer[item.id], item.lane)
            if used.get(key, 0.0) and used[key] + GAP + sizes[item.id] > widest:
                layer[item.id] += 1
                moved = True
                continue
            used[key] = used.get(key, 0.0) + (GAP if key in used else 0.0) + sizes[item.id]
        if not moved:
            return layer
        _push(layer, forward, len(items))
    return layer


def _push(layer: dict[str, int], forward: Sequence[tuple[str, str]], count: int) -> None:
    """Move each item below everything with an arrow into it, until nothing moves (the arrows
    are `forward`, so without loops: at most `count` passes)."""
    for _ in range(count):
        moved = False
        for source, target in forward:
            if layer[target] <= layer[source]:
                layer[target] = layer[source] + 1
                moved = True
        if not moved:
            return


def _loops(wires: Sequence[Wire]) -> dict[str, tuple[float, float]]:
    """The room on its right and the height each item needs for its loops back to itself:
    their labels stand one above another to the right of the loops, so an item with many
    loops grows taller, never wider than its widest label allows."""
    room: dict[str, tuple[float, float]] = {}
    for wire in wires:
        if wire.source == wire.target:
            width, height = wire.label or (0.0, 0.0)
            if wire.source in room:
                had, high = room[wire.source]
                room[wire.source] = (
                    max(had, _LOOP + width + _LOOP_STEP * 2),
                    high + _LOOP_STEP + height,
                )
            else:
                room[wire.source] = (_LOOP + width + _LOOP_STEP * 2, height)
    return room


def _lane_extents(
    ranks: Sequence[list[Slot]], minimum: Sequence[float], position: Sequence[int]
) -> tuple[tuple[float, float], ...]:
    """Each lane's left and right, by lane (not by place): as wide as its busiest rank."""
    count = len(position)
    need = [minimum[i] if i < len(minimum) else 0.0 for i in range(count)]
    for rank in ranks:
        for lane in range(count):
            widths = [s.width for s in rank if s.lane == lane]
            if widths:
                need[lane] = max(need[lane], sum(widths) + GAP * (len(widths) - 1) + 2 * _LANE_PAD)
    extents = [(0.0, 0.0)] * count
    left = 0.0
    for lane in sorted(range(count), key=position.__getitem__):
        extents[lane] = (left, left + need[lane])
        left += need[lane]
    return tuple(extents)


def _isotonic(values: Sequence[float]) -> list[float]:
    """The closest non-decreasing sequence to `values` (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, count]
    for value in values:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, count = blocks.pop()
            prev = blocks[-1]
            prev[0] = (prev[0] * prev[1] + mean * count) / (prev[1] + count)
            prev[1] += count
    out: list[float] = []
    for mean, count in blocks:
        out.extend([mean] * int(count))
    return out


def _place(group: list[Slot], wanted: Sequence[float], lo: float, hi: float) -> None:
    """Put `group` (one lane of one rank, in order) as near `wanted` anchors as it can."""
    offsets: list[float] = []
    run = 0.0
    for s in group:
        offsets.append(run)
        run += s.width + GAP
    shifted = _isotonic(
        [w - s.anchor - off for w, s, off in zip(wanted, group, offsets, strict=True)]
    )
    top = hi - (offsets[-1] + group[-1].width)
    for s, value, off in zip(group, shifted, offsets, strict=True):
        s.left = min(max(value, lo), top) + off


def _coordinates(
    ranks: Sequence[list[Slot]],
    chains: Sequence[list[str]],
    slot: dict[str, Slot],
    lanes: Sequence[tuple[float, float]],
) -> None:
    up, down = neighbours(chains)
    groups = [[[s for s in rank if s.lane == lane] for lane in range(len(lanes))] for rank in ranks]
    for rank_groups in groups:
        for lane, group in enumerate(rank_groups):
            if group:
                lo, hi = lanes[lane]
                used = sum(s.width for s in group) + GAP * (len(group) - 1)
                _place(group, [0.0] * len(group), lo + (hi - lo - used) / 2, hi)
    for sweep in range(8):
        order = range(len(ranks)) if sweep % 2 == 0 else range(len(ranks) - 1, -1, -1)
        links = up if sweep % 2 == 0 else down
        for r in order:
            for lane, group in enumerate(groups[r]):
                if not group:
                    continue
                wanted = [_wanted(s, slot, links, up, down) for s in group]
                lo, hi = lanes[lane]
                _place(group, wanted, lo + _LANE_PAD, hi - _LANE_PAD)


def _wanted(
    s: Slot,
    slot: dict[str, Slot],
    links: dict[str, list[str]],
    up: dict[str, list[str]],
    down: dict[str, list[str]],
) -> float:
    """Where `s` would like its anchor: over the average of its neighbours on the side the
    sweep comes from (or on both sides if it has none there)."""
    near = [slot[k].left + slot[k].anchor for k in links.get(s.key, [])]
    if not near:
        near = [slot[k].left + slot[k].anchor for k in up.get(s.key, []) + down.get(s.key, [])]
    return sum(near) / len(near) if near else s.left + s.anchor


def _bands(ranks: Sequence[list[Slot]]) -> tuple[tuple[float, float], ...]:
    bands: list[tuple[float, float]] = []
    top = 0.0
    for rank in ranks:
        height = max([s.height for s in rank], default=0.0)
        bands.append((top, top + height))
        top += height + _RANK_GAP
    return tuple(bands)


def _finish(
    ranks: Sequence[list[Slot]],
    chains: Sequence[list[str]],
    slot: dict[str, Slot],
    lanes: tuple[tuple[float, float], ...],
    bands: tuple[tuple[float, float], ...],
    wires: Sequence[Wire],
    turned: set[int],
    by_id: dict[str, Item],
) -> Placed:
    rank_of = {s.key: r for r, rank in enumerate(ranks) for s in rank}
    centres: dict[str, Point] = {}
    for key, item in by_id.items():
        top, bottom = bands[rank_of[key]]
        centres[key] = (slot[key].left + item.width / 2, (top + bottom) / 2)
    ports = _ports(chains, slot, by_id, centres)
    routes: list[tuple[Point, ...]] = []
    labels: list[tuple[float, float, float, float] | None] = []
    stacks = _loops(wires)
    looped: dict[str, tuple[int, float]] = {}
    for index, chain in enumerate(chains):
        wire = wires[index]
        if len(chain) == 1:
            item = by_id[chain[0]]
            count, drop = looped.get(item.id, (0, -stacks[item.id][1] / 2))
            route, label = self_loop(
                item.width, item.height, centres[item.id], wire.label, count, drop
            )
            height = wire.label[1] + _LOOP_STEP if wire.label else 0.0
            looped[item.id] = (count + 1, drop + height)
            routes.append(route)
            labels.append(label)
            continue
        points: list[Point] = []
        label_box = None
        for position, key in enumerate(chain):
            top, bottom = bands[rank_of[key]]
            if position == 0:
                x, y = ports[(index, 0)]
                points += [(x, y), (x, bottom)]
            elif position == len(chain) - 1:
                x, y = ports[(index, 1)]
                points += [(x, top), (x, y)]
            else:
                s = slot[key]
                x = s.left + s.anchor
                points += [(x, top), (x, bottom)] if bottom > top else [(x, top)]
                if wire.label is not None and position == 1:
                    label_box = (s.left + _WIRE, top, wire.label[0], wire.label[1])
        if index in turned:
            points.reverse()
        routes.append(tuple(simplify(points)))
        labels.append(label_box)
    width = max((right for _, right in lanes), default=0.0)
    height = bands[-1][1] if bands else 0.0
    return Placed(
        centres, tuple(routes), tuple(labels), lanes, bands, width, height, frozenset(turned)
    )


def _ports(
    chains: Sequence[list[str]],
    slot: dict[str, Slot],
    by_id: dict[str, Item],
    centres: dict[str, Point],
) -> dict[tuple[int, int], Point]:
    """Where each wire leaves the bottom of its upper item and enters the top of its lower one:
    spread along the side in the order of where the wires go, so they do not start together."""
    ends: dict[tuple[str, int], list[tuple[float, int]]] = {}
    for index, chain in enumerate(chains):
        if len(chain) < 2:
            continue
        nxt, prev = slot[chain[1]], slot[chain[-2]]
        ends.setdefault((chain[0], 0), []).append((nxt.left + nxt.anchor, index))
        ends.setdefault((chain[-1], 1), []).append((prev.left + prev.anchor, index))
    ports: dict[tuple[int, int], Point] = {}
    for (key, side), found in ends.items():
        item = by_id[key]
        cx, cy = centres[key]
        y = cy + item.height / 2 if side == 0 else cy - item.height / 2
        found.sort()
        for n, (_, index) in enumerate(found):
            x = cx + item.width * 0.6 * ((n + 1) / (len(found) + 1) - 0.5)
            ports[(index, side)] = (x, y)
    return ports
