"""A queue served by priority class (`priorities`): strict priority, not preemptive.

A capacity entry with priority classes keeps one first-come-first-served queue per class.
Whoever comes free (a caseworker, or the panel at a meeting) takes the case at the front of
the most urgent class that has one; a case already being worked on is never interrupted. A
case's class at a stage is drawn, when it joins the queue, from the journey's own number of the
stage's `priority` stream (`streams.Streams`) with the shares for its profile then; a profile
given no share is in the last class.

`ClassQueue` behaves as the `deque` of an entry without classes does where `Capacity` and the
event loop use it (`append`, `popleft`, the front case, its length, iteration), so the engine's
hot paths are the same for both; it also keeps each class's waits (from joining the queue to
being taken) of counted journeys.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from itertools import chain
from typing import Any

from pathways.simulation.engine.events import Events
from pathways.simulation.engine.routes import profile_at
from pathways.simulation.engine.streams import KINDS, PRIORITY

__all__ = ["ClassQueue"]

#: A place in a queue, as `capacity.Queued`: (journey, track, stage, arrived, token or None).
Item = tuple[Any, int, int, float, Any]


class ClassQueue:
    """One queue per priority class, most urgent first (see the module docstring)."""

    __slots__ = ("count", "events", "queues", "shares", "uniform", "waits")

    def __init__(
        self,
        classes: int,
        shares: Mapping[int, tuple[float, ...]],
        uniform: Callable[[int, int], float],
        events: Events,
    ) -> None:
        self.queues: list[deque[Item]] = [deque() for _ in range(classes)]
        self.shares = shares
        self.uniform = uniform
        self.events = events
        self.count = 0
        #: Per class: the waits of counted journeys, from joining the queue to being taken.
        self.waits = [array("d") for _ in range(classes)]

    def kind(self, item: Item) -> int:
        """The class of the case `item` (see the module docstring)."""
        journey, _, stage, time, _ = item
        cumulative = self.shares.get(profile_at(journey, time))
        last = len(self.queues) - 1
        if cumulative is None:
            return last
        draw = self.uniform(stage * KINDS + PRIORITY, journey.key)
        return min(bisect_right(cumulative, draw), last)

    def append(self, item: Item) -> None:
        self.queues[self.kind(item)].append(item)
        self.count += 1

    def popleft(self) -> Item:
        """The front case of the most urgent class that has one (its wait is counted now,
        unless its deadline has already taken it out of the queue)."""
        for kind, queue in enumerate(self.queues):
            if queue:
                item = queue.popleft()
                self.count -= 1
                token = item[4]
                if item[0].counted and (token is None or token.active):
                    self.waits[kind].append(self.events.now - item[3])
                return item
        raise IndexError("pop from an empty queue")

    def __getitem__(self, index: int) -> Item:
        """The front case (`queue[0]`, the only place asked for)."""
        if index != 0:
            raise IndexError("only the front of a queue is looked at")
        for queue in self.queues:
            if queue:
                return queue[0]
        raise IndexError("an empty queue has no front")

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Item]:
        """Every waiting case, most urgent class first."""
        return chain.from_iterable(self.queues)
