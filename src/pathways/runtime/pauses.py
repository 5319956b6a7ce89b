"""Pausing a stage's clock and resuming it (waiting on the victim, a hospital stay).

A stage says whether its clock may be paused and for which reasons (`pause: {reasons: [...]}`).
Its owner pauses it with one of those reasons and resumes it later; while it is paused no
limit of that track runs, nothing leaves the stage and no timeout happens. On resuming, every
limit of the stage moves by the days it was paused: working days for a limit in working days,
calendar days for one in calendar days (counted as limits are, from the day it was paused, not
counting that day, to the day it resumed). Both are events (`paused`, `resumed`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

from pathways.definition.schema import MAIN_TRACK
from pathways.errors import ActionRefused, NotAuthorised
from pathways.runtime.events import Event
from pathways.runtime.guards import StageRule
from pathways.runtime.journey_base import JourneyBase
from pathways.runtime.journey_queries import check_staff
from pathways.runtime.lifecycle import Paused
from pathways.runtime.working_days import day_in_england, is_working_day

__all__ = ["Pauses", "paused_days"]


def paused_days(since: datetime, until: datetime) -> tuple[int, int]:
    """The working days and calendar days from `since` to `until`, as limits count them."""
    first, last = day_in_england(since), day_in_england(until)
    calendar = max((last - first).days, 0)
    working = sum(1 for n in range(1, calendar + 1) if is_working_day(first + timedelta(days=n)))
    return working, calendar


class Pauses(JourneyBase):
    """`pause` and `resume`: a stage's clock stopped for a declared reason and started again."""

    __slots__ = ()

    def pause(
        self,
        *,
        reason: str,
        by: str,
        at: datetime,
        track: str = MAIN_TRACK,
        staff: str | None = None,
    ) -> Event:
        """Stop the clock of the stage `track` is at, for a reason the stage declares.

        Refused with `InvalidTime`, `InvalidStaffReference`, `JourneyClosed`, `NotAuthorised`
        (not an owner of the stage) or `ActionRefused` (the stage may not be paused for that
        reason, or is paused already)."""
        stage = self._pausing(track, by, at, staff, "pause")
        if track in self._life.paused:
            self._refuse(f"the clock of {stage.label} is already paused", stage.name, ("resume",))
        declared = stage.stage.pause.reasons if stage.stage.pause is not None else ()
        if reason not in declared:
            why = (
                f"'{reason}' is not a reason the clock of {stage.label} may be paused for"
                if declared
                else f"the clock of {stage.label} may not be paused"
            )
            self._refuse(why, stage.name, declared)
        instant = self._check_time(at, None, by)
        self._life = self._life.with_pause(track, Paused(reason, instant), (0, 0))
        return self._record(
            Event(
                self.event_count,
                "paused",
                instant,
                by=by,
                from_stage=stage.name,
                staff=staff,
                reason=reason,
            )
        )

    def resume(
        self, *, by: str, at: datetime, track: str = MAIN_TRACK, staff: str | None = None
    ) -> Event:
        """Start the clock of `track`'s stage again; its limits move by the days paused."""
        stage = self._pausing(track, by, at, staff, "resume")
        paused = self._life.paused.get(track)
        if paused is None:
            self._refuse(f"the clock of {stage.label} is not paused", stage.name, ())
        instant = self._check_time(at, None, by)
        days = paused_days(paused.since, instant)
        self._life = self._life.with_pause(track, None, days)
        return self._record(
            Event(
                self.event_count,
                "resumed",
                instant,
                by=by,
                from_stage=stage.name,
                staff=staff,
                reason=paused.reason,
            )
        )

    def _pausing(
        self, track: str, by: str, at: datetime, staff: str | None, what: str
    ) -> StageRule:
        self._check_time(at, None, by)
        check_staff(staff, self.case_ref, by)
        self._check_open(None, by)
        self._check_agency(by, what)
        name = self.positions.get(track)
        if name is None:
            self._refuse(f"the track '{track}' has not started", None, tuple(self.positions))
        stage = self.compiled.stages[str(name)]
        if by not in stage.owners:
            raise NotAuthorised(
                f"Case {self.case_ref}: {self.compiled.agency_name(by)} may not {what} the "
                f"clock of {stage.label}; its owner does: {self._owners_text(stage.name)}",
                journey=self.case_ref,
                stage=stage.name,
                agency=by,
                allowed=stage.owners,
            )
        return stage

    def _refuse(self, why: str, stage: str | None, allowed: tuple[str, ...]) -> NoReturn:
        raise ActionRefused(
            f"Case {self.case_ref}: {why}", journey=self.case_ref, stage=stage, allowed=allowed
        )
