"""Accepting and declining a referral: the receiving stage's owner answers a handoff that
`require: acceptance`.

A referral that requires acceptance moves the journey to the receiving stage at once (its
clocks start at the referral), but nothing leaves that stage until its owner answers:
`accept` lets the journey go on from there; `decline` with one of the handoff's declared
reasons sends it back to the stage it came from (or to the stage `acceptance.declined_to`
names), where its clocks start again. Both are events (`accepted`, `declined`), so a decline
is counted, dated and replayed like any handoff.
"""

from __future__ import annotations

from datetime import datetime

from pathways.errors import ActionRefused, NotAuthorised
from pathways.runtime.events import Event
from pathways.runtime.journey_base import JourneyBase
from pathways.runtime.journey_queries import check_staff
from pathways.runtime.lifecycle import Pending

__all__ = ["AcceptanceMoves"]


class AcceptanceMoves(JourneyBase):
    """`accept` and `decline`: the answers to a referral awaiting acceptance."""

    __slots__ = ()

    def awaiting(self) -> dict[str, Pending]:
        """The referrals waiting for an answer, by the track they arrived on."""
        return dict(self._life.pending)

    def accept(self, trigger: str, *, by: str, at: datetime, staff: str | None = None) -> Event:
        """Accept the referral made by handoff `trigger`, as agency `by` (an owner of the
        receiving stage). Refused with `InvalidTime`, `InvalidStaffReference`, `JourneyClosed`,
        `ActionRefused` (no such referral waits) or `NotAuthorised`."""
        track, stage = self._answering(trigger, by, at, staff)
        self._life = self._life.with_pending(track, None)
        event = Event(
            self.event_count,
            "accepted",
            self._check_time(at, trigger, by),
            by=by,
            trigger=trigger,
            from_stage=stage,
            staff=staff,
        )
        return self._record(event)

    def decline(
        self, trigger: str, *, reason: str, by: str, at: datetime, staff: str | None = None
    ) -> Event:
        """Decline the referral made by handoff `trigger` for a declared `reason`, as agency
        `by` (an owner of the receiving stage): the journey goes where the handoff's decline
        goes. Refused as `accept` is, and with `ActionRefused` for an undeclared reason."""
        track, stage = self._answering(trigger, by, at, staff)
        rule = self.compiled.handoffs[trigger]
        acceptance = rule.handoff.acceptance
        reasons = acceptance.reasons if acceptance is not None else ()
        if reason not in reasons:
            raise ActionRefused(
                f"Case {self.case_ref}: '{reason}' is not a reason '{trigger}' may be declined "
                f"for; it may be declined for: {', '.join(reasons)}",
                journey=self.case_ref,
                stage=stage,
                trigger=trigger,
                agency=by,
                allowed=reasons,
            )
        pending = self._life.pending[track]
        declined_to = acceptance.declined_to if acceptance is not None else None
        target = declined_to or pending.source
        instant = self._check_time(at, trigger, by)
        self.machine_state = self.compiled.machine_state({**self.positions, track: target})
        self._arrivals[track] = instant
        self._life = self._life.arrived(track)
        event = Event(
            self.event_count,
            "declined",
            instant,
            by=by,
            trigger=trigger,
            from_stage=stage,
            to_stage=target,
            staff=staff,
            reason=reason,
        )
        return self._record(event)

    def _answering(self, trigger: str, by: str, at: datetime, staff: str | None) -> tuple[str, str]:
        """The track and stage of the referral `trigger` awaiting `by`'s answer, checked."""
        self._check_time(at, trigger, by)
        check_staff(staff, self.case_ref, by)
        self._check_open(trigger, by)
        self._check_agency(by, trigger)
        waiting = {p.handoff: track for track, p in self._life.pending.items()}
        track = waiting.get(trigger)
        if track is None:
            raise ActionRefused(
                f"Case {self.case_ref}: no referral made by '{trigger}' waits for an answer; "
                f"waiting: {', '.join(sorted(waiting)) or 'none'}",
                journey=self.case_ref,
                stage=self.stage,
                trigger=trigger,
                agency=by,
                allowed=tuple(sorted(waiting)),
            )
        stage = self.positions[track]
        owners = self.compiled.stages[stage].owners
        if by not in owners:
            raise NotAuthorised(
                f"Case {self.case_ref}: {self.compiled.agency_name(by)} may not answer the "
                f"referral '{trigger}'; it is answered by the owner of "
                f"{self.compiled.stages[stage].label}: {self._owners_text(stage)}",
                journey=self.case_ref,
                stage=stage,
                trigger=trigger,
                agency=by,
                allowed=owners,
            )
        return track, stage
