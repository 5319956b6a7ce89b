"""The event heap: event kinds, their priorities at equal times, and the current time.

A heap entry is `(time, key, data...)` with `key = KEY[kind] + sequence`: the priority in the
high bits, the push's sequence number (a multiple of 8) in the middle and the kind in the low
3 bits, so entries order by `(time, priority, sequence)` and compare no further. Every part of
the engine that schedules events shares one `Events`, so sequence numbers are drawn in the
order events are pushed, whichever part pushes them.
"""

from __future__ import annotations

from heapq import heappush
from itertools import count
from typing import Any

__all__ = ["ARRIVE", "DEPART", "KEY", "NEW", "PANEL", "PRIORITY", "SIZE", "WAKE", "Events"]

#: Event kinds, and the priorities that order events at the same time: capacity changes, then
#: departures, then arrivals at a queue and deadlines, then panel meetings, then new journeys.
SIZE, DEPART, ARRIVE, WAKE, PANEL, NEW = range(6)
PRIORITY = (0, 1, 2, 2, 3, 4)
KEY = tuple(priority << 52 | kind for kind, priority in enumerate(PRIORITY))


class Events:
    """The heap of events still to come, the sequence of pushes, and the time of the event now.

    `sequence` gives the sequence numbers (8, 16, ...); the hot paths push their own entries
    with it (`heappush(heap, (time, KEY[kind] + next(sequence), ...))`) to save a call.
    (`next(sequence)` is a fast call in CPython; `sequence.__next__()` is not.)
    """

    __slots__ = ("heap", "now", "sequence")

    def __init__(self) -> None:
        self.heap: list[tuple[Any, ...]] = []
        self.now = 0.0
        self.sequence = count(8, 8)

    def push(self, time: float, kind: int, data: Any) -> None:
        heappush(self.heap, (time, KEY[kind] + next(self.sequence), data))
