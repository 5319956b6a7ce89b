"""Common random numbers: one random stream per purpose, read by journey number.

Every random choice the engine makes about a journey has a *purpose*: its entry channel, its
profile, its profile changes, and at each stage the duration of its work there, the way on it
takes, whether it goes missing or withdraws, which agency or team takes it, and its priority
class in a queue. Each purpose has its own stream of uniform numbers, and journey `n`
(numbered in order of arrival; cases waiting on day 0 are numbered -1, -2, ...) always reads
number `n` of that stream. So what
happens to one victim at one stage does not depend on the order of events, or on what happened
to anyone else: two scenarios run with the same seed give the same victim the same draws
wherever their values agree, and a what-if changes only what it changes.

A stream is read in blocks of 1,024 journeys, each block drawn from `random.Random` seeded by
text naming the seed, the replication, the purpose (a stage's name and what is drawn there)
and the block, so the same numbers come out on any machine and in any process, and a block
that has been let go can be drawn again. Blocks are let go once every journey in them has
closed. A stage the journey can visit more than once draws its later visits from a SplitMix64
sequence started from the first visit's number (`Draws`), as do distributions that need more
than one uniform number (gamma, lognormal, empirical).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import repeat, starmap

from pathways.runtime.compiler import CompiledPathway

__all__ = [
    "AGENCY",
    "ATTRITION",
    "CHOICE",
    "DECLINE",
    "DURATION",
    "EXTRA",
    "KINDS",
    "PAUSE",
    "PRIORITY",
    "PROFILE_PURPOSES",
    "Draws",
    "Streams",
    "revisited_stages",
]

#: What is drawn at a stage: purpose `stage * KINDS + kind`.
#: (Streams are seeded by name, so a kind added at the end leaves every other stream's numbers as
#: they were.)
DURATION, CHOICE, ATTRITION, AGENCY, DECLINE, PAUSE, PRIORITY = range(7)
KINDS = 7
_KIND_NAMES = ("duration", "choice", "attrition", "agency", "decline", "pause", "priority")
#: What is drawn once per journey, on arrival: purposes after the stages' ones.
PROFILE_PURPOSES = ("channel", "profile", "profile-changes")

#: Extra streams per purpose, for draws that need several numbers (`Draws`).
EXTRA = 2
_SHIFT = 10
_SIZE = 1 << _SHIFT
_LOW = _SIZE - 1
_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_TWO53 = 9007199254740992.0
_UNIT = 1.0 / _TWO53


class Draws(random.Random):
    """Several uniform numbers for one draw, for distributions that need more than one.

    `random.Random`'s distributions (`gammavariate`, `lognormvariate`, `choice`, ...) call
    `random()`. Started from a journey's number of a purpose's stream, the first call gives that
    number, the next `EXTRA` come from the journey's numbers of that purpose's extra streams
    (`<stage>:<kind>:1`, ...), and any after from SplitMix64 (Steele, Lea and Flood, 2014)
    seeded by the first. Without a journey (a later visit to a stage, say), every call after
    the first is SplitMix64.
    """

    def __init__(self, streams: Streams | None = None) -> None:
        super().__init__(0)
        self.state = 0
        self.first = 0.0
        self.count = 0
        self.key = 0
        self.extra = -1
        self.streams = streams

    def start(
        self, uniform: float, visit: int = 0, key: int | None = None, purpose: int = -1
    ) -> Draws:
        """Start from `uniform` (the journey `key`'s number of `purpose`); returns itself."""
        self.state = (int(uniform * _TWO53) ^ (visit * _GOLDEN)) & _MASK64
        self.first, self.count = uniform, 0
        streams = self.streams
        if key is None or purpose < 0 or streams is None:
            self.extra = -1
        else:  # `streams.extra_purpose(purpose)`, inlined
            self.key, self.extra = key, streams.main + purpose * EXTRA
        return self

    def random(self) -> float:
        """The next number, in [0, 1)."""
        count = self.count
        self.count = count + 1
        if count == 0 and self.extra >= 0:
            return self.first
        if 0 < count <= EXTRA and self.extra >= 0 and self.streams is not None:
            return self.streams.uniform(self.extra + count - 1, self.key)
        z = self.state = (self.state + _GOLDEN) & _MASK64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        return ((z ^ (z >> 31)) >> 11) * _UNIT


class Streams:
    """The uniform numbers of every purpose, by journey number (see the module docstring).

        `blocks[purpose]` maps a block number to its 1,024 numbers; `uniform` reads one, drawing
        the block first if need be. `let_go` lets a block go (the recorder calls it once every
    journey in the block has closed).
    """

    __slots__ = ("blocks", "draws", "filled", "main", "names", "prefix", "revisited")

    def __init__(
        self, stages: Sequence[str], revisited: Sequence[bool], seed: int | str, replication: int
    ) -> None:
        self.prefix = f"{seed}:{replication}:"
        names = [f"{stage}:{kind}" for stage in stages for kind in _KIND_NAMES]
        main = (*names, *PROFILE_PURPOSES)
        extra = [f"{name}:{n}" for name in main for n in range(1, EXTRA + 1)]
        self.names = (*main, *extra)
        self.main = len(main)
        self.blocks: list[dict[int, list[float]]] = [{} for _ in self.names]
        #: The purposes whose blocks have been drawn, the only ones with blocks to let go.
        self.filled: set[int] = set()
        #: Per stage: whether a journey can come back to it (its later visits draw anew).
        self.revisited = tuple(revisited)
        self.draws = Draws(self)

    def profile_purpose(self, name: str) -> int:
        """The purpose number of `channel`, `profile` or `profile-changes`."""
        return self.main - len(PROFILE_PURPOSES) + PROFILE_PURPOSES.index(name)

    def extra_purpose(self, purpose: int) -> int:
        """The number of the first extra stream of `purpose` (`Draws`)."""
        return self.main + purpose * EXTRA

    def fill(self, purpose: int, block: int) -> list[float]:
        """Draw the numbers of one block of one purpose's stream."""
        draw = random.Random(f"{self.prefix}{self.names[purpose]}:{block}").random
        numbers = list(starmap(draw, repeat((), _SIZE)))  # `[draw() for ...]`, faster
        self.blocks[purpose][block] = numbers
        self.filled.add(purpose)
        return numbers

    def uniform(self, purpose: int, number: int) -> float:
        """Number `number` of `purpose`'s stream."""
        block = self.blocks[purpose].get(number >> _SHIFT)
        if block is None:
            block = self.fill(purpose, number >> _SHIFT)
        return block[number & _LOW]

    def at_stage(self, visits: dict[int, int] | None, number: int, purpose: int) -> float:
        """A stage's number for a journey, fresh on each visit to a stage it can come back to.

        `visits` counts the journey's draws per purpose (None: it has not come back anywhere).
        """
        uniform = self.uniform(purpose, number)
        if visits is None:
            return uniform
        visit = visits.get(purpose, 0)
        visits[purpose] = visit + 1
        return uniform if visit == 0 else self.draws.start(uniform, visit).random()

    def let_go(self, block: int) -> None:
        """Let a block's numbers go (every journey in it has closed): drawn again if need be."""
        for purpose in self.filled:
            self.blocks[purpose].pop(block, None)


def revisited_stages(
    compiled: CompiledPathway, extra: Sequence[tuple[str, str]] = ()
) -> tuple[bool, ...]:
    """Per stage: whether some handoff from it (or an `extra` move, such as a declined
    referral's) leads, in one or more steps, back to it."""
    following: dict[str, set[str]] = {name: set() for name in compiled.stages}
    for rule in compiled.handoffs.values():
        for source in rule.sources:
            following[source].add(rule.target)
    for source, target in extra:
        following[source].add(target)
    found = []
    for name in compiled.stages:
        seen: set[str] = set()
        frontier = list(following[name])
        while frontier:
            stage = frontier.pop()
            if stage not in seen:
                seen.add(stage)
                frontier.extend(following[stage])
        found.append(name in seen)
    return tuple(found)
