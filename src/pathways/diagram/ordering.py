"""Crossing reduction for the layered layout: the order of things within each rank.

```python
from pathways.diagram.ordering import lane_order
position = lane_order(ranks, chains, lane_count)  # ranks re-ordered in place
```

Each rank is kept in lane blocks (lanes side by side) and sorted by the barycentre of each
slot's neighbours in the rank above (sweeping down) or below (sweeping up); the order with
fewest crossings is kept, then neighbours in a lane are swapped while that lowers the
crossings (the "transpose" step). The lanes themselves are tried in other orders (neighbouring
lanes swapped, the first lane staying first). Everything is bounded: a fixed number of sweeps,
swap passes and lane passes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Slot", "lane_order", "neighbours"]

_SWEEPS = 12
_MOST_LANES = 16  # lanes are tried in other orders only up to this many


@dataclass(slots=True)
class Slot:
    """An item or a dummy on one rank: its width and where its anchor (the wire) sits;
    `left` is set when coordinates are assigned."""

    key: str
    width: float
    height: float
    lane: int
    anchor: float  # from the left edge
    left: float = 0.0


def neighbours(chains: Sequence[list[str]]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """For each slot, the slots just above it and just below it along the chains."""
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for chain in chains:
        for a, b in itertools.pairwise(chain):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    return up, down


def lane_order(ranks: list[list[Slot]], chains: Sequence[list[str]], count: int) -> list[int]:
    """Each lane's place from the left: the first lane stays first, and neighbouring lanes
    swap places while that lowers the crossings. `ranks` is left in the best order found."""
    start = [list(rank) for rank in ranks]
    position = list(range(count))
    fewest = _order(ranks, chains, position)
    best = [list(rank) for rank in ranks]
    for _ in range(3 if count <= _MOST_LANES else 0):  # bounded work on hostile input
        better = False
        for place in range(1, count - 1):
            trial = list(position)
            left = trial.index(place)
            right = trial.index(place + 1)
            trial[left], trial[right] = place + 1, place
            attempt = [list(rank) for rank in start]
            found = _order(attempt, chains, trial)
            if found < fewest:
                fewest, position, best, better = found, trial, attempt, True
        if not better:
            break
    ranks[:] = best
    return position


def _order(ranks: list[list[Slot]], chains: Sequence[list[str]], position: list[int]) -> int:
    """Sort each rank by lane, then by the barycentre of its neighbours; keep the best order,
    then swap neighbours where that lowers the crossings. Returns how many crossings remain."""
    up, down = neighbours(chains)
    for rank in ranks:
        rank.sort(key=lambda s: position[s.lane])
    best = [list(rank) for rank in ranks]
    fewest = _crossings_by_order(ranks, down)
    for sweep in range(_SWEEPS):
        downward = sweep % 2 == 0
        indices = range(1, len(ranks)) if downward else range(len(ranks) - 2, -1, -1)
        for r in indices:
            other = ranks[r - 1] if downward else ranks[r + 1]
            where = {s.key: i for i, s in enumerate(other)}
            links = up if downward else down
            old = {s.key: i for i, s in enumerate(ranks[r])}

            ranks[r].sort(key=lambda s: (position[s.lane], _barycentre(s.key, links, where, old)))
        count = _crossings_by_order(ranks, down)
        if count < fewest:
            fewest, best = count, [list(rank) for rank in ranks]
    ranks[:] = best
    _transpose(ranks, up, down)
    return _crossings_by_order(ranks, down)


def _pair_crossings(u: str, v: str, near: dict[str, list[str]], where: dict[str, int]) -> int:
    """Crossings between the arrows of `u` (left) and `v` (right) to one neighbouring rank."""
    return sum(
        1
        for a in near.get(u, [])
        for b in near.get(v, [])
        if a in where and b in where and where[a] > where[b]
    )


def _transpose(
    ranks: list[list[Slot]], up: dict[str, list[str]], down: dict[str, list[str]]
) -> None:
    """Swap neighbours of one lane in a rank while that lowers the crossings (bounded)."""
    for _ in range(8):
        better = False
        for r, rank in enumerate(ranks):
            above = {s.key: i for i, s in enumerate(ranks[r - 1])} if r else {}
            below = {s.key: i for i, s in enumerate(ranks[r + 1])} if r + 1 < len(ranks) else {}
            for i in range(len(rank) - 1):
                u, v = rank[i], rank[i + 1]
                if u.lane != v.lane:
                    continue
                now = _pair_crossings(u.key, v.key, up, above)
                now += _pair_crossings(u.key, v.key, down, below)
                swapped = _pair_crossings(v.key, u.key, up, above)
                swapped += _pair_crossings(v.key, u.key, down, below)
                if swapped < now:
                    rank[i], rank[i + 1] = v, u
                    better = True
        if not better:
            return


def _barycentre(
    key: str, links: dict[str, list[str]], where: dict[str, int], old: dict[str, int]
) -> float:
    near = [where[k] for k in links.get(key, []) if k in where]
    return sum(near) / len(near) if near else float(old[key])


def _crossings_by_order(ranks: Sequence[list[Slot]], down: dict[str, list[str]]) -> int:
    total = 0
    for r in range(len(ranks) - 1):
        below = {s.key: i for i, s in enumerate(ranks[r + 1])}
        ends = [
            (i, below[k]) for i, s in enumerate(ranks[r]) for k in down.get(s.key, []) if k in below
        ]
        for a, (i1, j1) in enumerate(ends):
            for i2, j2 in ends[a + 1 :]:
                if (i1 - i2) * (j1 - j2) < 0:
                    total += 1
    return total
