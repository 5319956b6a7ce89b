"""Due dates of the stages a journey is at, and the timeouts that are due.

Limits are counted as `pathways.runtime.working_days` describes: from the day the journey arrived
at the
stage, not counting that day, to the end of the due date. A stage's `within` is its time limit;
a handoff's `within` is a deadline for that handoff, counted from arrival at its source stage.
Only handoffs this victim's profile allows (and that are not waiting for another track) count.

The lifecycle moves them (`pathways.runtime.lifecycle`): a track whose clock is paused has no
limit running; once resumed, its limits move by the working days (for a limit in working days)
or calendar days paused. A referral awaiting acceptance has its answer's limit (the handoff's
`acceptance.within`, counted from the referral) and no timeout of its stage runs until it is
accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from pathways.definition.durations import Duration
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.guards import HandoffRule, Profile
from pathways.runtime.lifecycle import EMPTY, Lifecycle
from pathways.runtime.working_days import (
    ENGLAND,
    add_working_days,
    day_in_england,
    due_date,
    overdue_from,
)

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
    track: str,
    stage: str,
    handoff: HandoffRule | None,
    limit: Duration,
    arrived: datetime,
    held: tuple[int, int] = (0, 0),
    timeout: bool | None = None,
) -> Deadline:
    found = _remembered(track, stage, handoff, limit, arrived, arrived.tzinfo, arrived.fold)
    days = held[0] if limit.working else held[1]
    if days:
        due = add_working_days(found.due, days) if limit.working else found.due + timedelta(days)
        after = datetime.combine(due + timedelta(days=1), time(0), tzinfo=ENGLAND)
        found = replace(found, due=due, overdue_from=after)
    if timeout is not None and timeout != found.timeout:
        found = replace(found, timeout=timeout)
    return found


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
    life: Lifecycle = EMPTY,
) -> tuple[Deadline, ...]:
    """Every limit running at the stages in `positions` (track by track, as written)."""
    found: list[Deadline] = []
    for track in compiled.tracks:
        name = positions.get(track)
        if name is None or track in life.paused:
            continue
        rule = compiled.stages[name]
        if rule.outcome:
            continue
        arrived = arrivals[track]
        held = life.held.get(track, (0, 0))
        pending = life.pending.get(track)
        if pending is not None:
            referral = compiled.handoffs[pending.handoff]
            answer = referral.handoff.acceptance
            if answer is not None and answer.within is not None:
                found.append(_deadline(track, name, referral, answer.within, arrived, held))
        if rule.within is not None:
            found.append(_deadline(track, name, None, rule.within, arrived, held))
        for exit_rule in rule.exits:
            if exit_rule.within is None or not exit_rule.holds(profile):
                continue
            if exit_rule.waiting_for(positions):
                continue
            timeout = None if pending is None else False
            found.append(
                _deadline(track, name, exit_rule, exit_rule.within, arrived, held, timeout)
            )
    return tuple(found)


def next_timeout(
    compiled: CompiledPathway,
    positions: Mapping[str, str],
    arrivals: Mapping[str, datetime],
    profile: Profile,
    now: datetime,
    life: Lifecycle = EMPTY,
) -> tuple[HandoffRule, datetime] | None:
    """The timeout that fell due first (by `now`), and when; ties go to the earlier track."""
    best: tuple[HandoffRule, datetime] | None = None
    for deadline in deadlines(compiled, positions, arrivals, profile, life):
        if not deadline.timeout or deadline.handoff is None:
            continue
        if deadline.overdue_from > now:
            continue
        if best is None or deadline.overdue_from < best[1]:
            best = (compiled.handoffs[deadline.handoff], deadline.overdue_from)
    return best
