"""Due dates of the stages a journey is at, and the timeouts that are due.

Limits are counted as `pathways.runtime.working_days` describes: from the day the journey arrived
at the
stage, not counting that day, to the end of the due date. A stage's `within` is its time limit;
a handoff's `within` is a deadline for that handoff, counted from arrival at its source stage.
Only handoffs this victim's profile allows (and that are not waiting for another track) count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import lru_cache

from pathways.definition.durations import Duration
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.guards import HandoffRule, Profile
from pathways.runtime.working_days import day_in_england, due_date, overdue_from

__all__ = ["Deadline", "deadlines", "next_timeout"]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A time limit running on a journey now.

    `handoff` is None for the stage's own limit. `due` is the last day allowed; the journey is
    overdue from `overdue_from` (midnight, London time, after `due`). A `timeout` deadline is
    not overdue work: the handoff happens by itself on `Journey.tick`.
    """

    track: str
    stage: str
    handoff: str | None
    limit: Duration
    arrived: datetime
    due: date
    overdue_from: datetime
    timeout: bool

    def is_overdue(self, now: datetime) -> bool:
        """True from midnight after the due date."""
        return now >= self.overdue_from


def _deadline(
    track: str, stage: str, handoff: HandoffRule | None, limit: Duration, arrived: datetime
) -> Deadline:
    return _remembered(track, stage, handoff, limit, arrived, arrived.tzinfo, arrived.fold)


# Cached: a journey's limits are worked out again after every change, from the same arrival
# times. Equal datetimes may differ in time zone or `fold` (the repeated hour when clocks go
# back), and a deadline keeps its arrival time as given: hence both are in the key.
@lru_cache(maxsize=4096)
def _remembered(
    track: str,
    stage: str,
    handoff: HandoffRule | None,
    limit: Duration,
    arrived: datetime,
    zone: tzinfo | None,
    fold: int,
) -> Deadline:
    day = day_in_england(arrived)
    return Deadline(
        track=track,
        stage=stage,
        handoff=None if handoff is None else handoff.name,
        limit=limit,
        arrived=arrived,
        due=due_date(day, limit),
        overdue_from=overdue_from(day, limit),
        timeout=handoff is not None and handoff.timeout,
    )


def deadlines(
    compiled: CompiledPathway,
    positions: Mapping[str, str],
    arrivals: Mapping[str, datetime],
    profile: Profile,
) -> tuple[Deadline, ...]:
    """Every limit running at the stages in `positions` (track by track, as written)."""
    found: list[Deadline] = []
    for track in compiled.tracks:
        name = positions.get(track)
        if name is None:
            continue
        rule = compiled.stages[name]
        if rule.outcome:
            continue
        arrived = arrivals[track]
        if rule.within is not None:
            found.append(_deadline(track, name, None, rule.within, arrived))
        for exit_rule in rule.exits:
            if exit_rule.within is None or not exit_rule.holds(profile):
                continue
            if exit_rule.waiting_for(positions):
                continue
            found.append(_deadline(track, name, exit_rule, exit_rule.within, arrived))
    return tuple(found)


def next_timeout(
    compiled: CompiledPathway,
    positions: Mapping[str, str],
    arrivals: Mapping[str, datetime],
    profile: Profile,
    now: datetime,
) -> tuple[HandoffRule, datetime] | None:
    """The timeout that fell due first (by `now`), and when; ties go to the earlier track."""
    best: tuple[HandoffRule, datetime] | None = None
    for deadline in deadlines(compiled, positions, arrivals, profile):
        if not deadline.timeout or deadline.handoff is None:
            continue
        if deadline.overdue_from > now:
            continue
        if best is None or deadline.overdue_from < best[1]:
            best = (compiled.handoffs[deadline.handoff], deadline.overdue_from)
    return best
