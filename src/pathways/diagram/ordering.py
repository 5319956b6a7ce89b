"""Crossing reduction for the layered layout: the order of things within each rank.

```python
from pathways.diagram.ordering import lane_order
position = lane_order(ranks, chains, lane_count)  # ranks re-ordered in place
```

Each rank is kept in lane blocks (lanes side by side) and sorted by the barycentre of each
slot's neighbours in the rank above (sweeping down) or below (sweeping up); the order with
fewest crossings is kept, then neighbours in a lane are swapped while that lowers the
crossings (the "transpose" step), then each long arrow's points are moved one place left or
right on every rank at once while that lowers the crossings (which no single swap can do when
each alone changes nothing). The lanes themselves are tried in other orders (each lane moved
to every other place, or with many lanes swapped with its neighbour; the first lane staying
first). Everything is bounded: a fixed number of sweeps, swap passes, arrow moves and lane
passes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Slot", "lane_order", "neighbours"]

_SWEEPS = 12
_TRIAL_SWEEPS = 2  # when trying lane orders; the order chosen gets all `_SWEEPS`
_MOST_LANES = 16  # lanes are tried in other orders only up to this many
_CHAIN_ROUNDS = 4
_MOST_CHAINS = 200  # long arrows moved as a whole, at most
_FEW_LANES = 8  # up to this many, each lane is tried in every place; beyond, next to its neighbour


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
    """Each lane's place from the left: the first lane stays first, and a lane moves to
    another place while that lowers the crossings. `ranks` is left in the best order found."""
    start = [list(rank) for rank in ranks]
    position = list(range(count))
    fewest = _order([list(rank) for rank in start], chains, position, _TRIAL_SWEEPS)
    for _ in range(3 if count <= _MOST_LANES else 0):  # bounded work on hostile input
        better = False
        for trial in _moves(position):
            found = _order([list(rank) for rank in start], chains, trial, _TRIAL_SWEEPS)
            if found < fewest:
                fewest, position, better = found, trial, True
        if not better:
            break
    fewest = _order(ranks, chains, position)
    _shift_chains(ranks, chains, neighbours(chains)[1], fewest)
    return position


def _moves(position: list[int]) -> list[list[int]]:
    """Other lane orders to try: each lane but the first moved to another place (or, with
    many lanes, swapped with its neighbour)."""
    count = len(position)
    order = sorted(range(count), key=position.__getitem__)
    trials: list[list[int]] = []
    for start in range(1, count):
        ends = range(1, count) if count <= _FEW_LANES else (start + 1,)
        for end in ends:
            if end == start or end >= count:
                continue
            moved = list(order)
            moved.insert(end, moved.pop(start))
            trial = [0] * count
            for place, lane in enumerate(moved):
                trial[lane] = place
            trials.append(trial)
    return trials


def _order(
    ranks: list[list[Slot]],
    chains: Sequence[list[str]],
    position: list[int],
    sweeps: int = _SWEEPS,
) -> int:
    """Sort each rank by lane, then by the barycentre of its neighbours (`sweeps` times, down
    and up in turn); keep the best order, then swap neighbours where that lowers the
    crossings. Returns how many crossings remain."""
    up, down = neighbours(chains)
    for rank in ranks:
        rank.sort(key=lambda s: position[s.lane])
    best = [list(rank) for rank in ranks]
    fewest = _crossings_by_order(ranks, down)
    for sweep in range(sweeps):
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


def _shift_chains(
    ranks: list[list[Slot]], chains: Sequence[list[str]], down: dict[str, list[str]], fewest: int
) -> int:
    """Move the points of a long arrow one place left or right on every rank it passes, all
    at once, while that lowers the crossings (swapping neighbours one at a time cannot when
    each swap alone changes nothing). Bounded; returns the crossings that remain."""
    rank_of = {s.key: r for r, rank in enumerate(ranks) for s in rank}
    long = [chain[1:-1] for chain in chains if len(chain) > 2][:_MOST_CHAINS]
    for _ in range(_CHAIN_ROUNDS if fewest else 0):
        better = False
        for points in long:
            gaps = range(rank_of[points[0]] - 1, rank_of[points[-1]] + 1)
            before = _crossings_by_order(ranks, down, gaps)
            for step in (-1, 1):
                undo = _step(ranks, rank_of, points, step)
                count = _crossings_by_order(ranks, down, gaps)
                if count < before:
                    fewest, better = fewest - before + count, True
                    break
                _step(ranks, rank_of, points, step, undo)
        if not better or not fewest:
            break
    return fewest


def _step(
    ranks: list[list[Slot]],
    rank_of: dict[str, int],
    points: Sequence[str],
    step: int,
    undo: list[tuple[int, int, int]] | None = None,
) -> list[tuple[int, int, int]]:
    """Swap each of `points` with its neighbour `step` places along its rank (within its lane),
    or put back the swaps listed in `undo`; returns the swaps made."""
    if undo is not None:
        for r, i, j in reversed(undo):
            ranks[r][i], ranks[r][j] = ranks[r][j], ranks[r][i]
        return []
    done: list[tuple[int, int, int]] = []
    for key in points:
        r = rank_of[key]
        rank = ranks[r]
        i = next(n for n, s in enumerate(rank) if s.key == key)
        j = i + step
        if 0 <= j < len(rank) and rank[j].lane == rank[i].lane:
            rank[i], rank[j] = rank[j], rank[i]
            done.append((r, i, j))
    return done


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


def _crossings_by_order(
    ranks: Sequence[list[Slot]], down: dict[str, list[str]], gaps: Sequence[int] | None = None
) -> int:
    """Crossings between each rank and the next (only below the ranks in `gaps`, if given)."""
    total = 0
    for r in range(len(ranks) - 1) if gaps is None else gaps:
        if not 0 <= r < len(ranks) - 1:
            continue
        below = {s.key: i for i, s in enumerate(ranks[r + 1])}
        ends = [
            (i, below[k]) for i, s in enumerate(ranks[r]) for k in down.get(s.key, []) if k in below
        ]
        for a, (i1, j1) in enumerate(ends):
            for i2, j2 in ends[a + 1 :]:
                if (i1 - i2) * (j1 - j2) < 0:
                    total += 1
    return total
