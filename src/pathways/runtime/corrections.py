"""Corrections: `void` an event recorded in error, `amend` the time of one recorded wrongly.

History is never edited. A correction is a new event (`voided` or `amended`, with the number
of the event it corrects in `ref`) and its effect is worked out by doing again, on the
pathway, every event still in force (all but the voided ones, at their corrected times) from
the start: the journey is then where that history takes it. A correction the pathway would
not allow (voiding a handoff that later events depend on, moving a time before the event
before it or past a stage's minimum) is refused with `ActionRefused`, saying why.

Who may correct: the agency that recorded the event (for a timeout, an owner of the stage it
left). What cannot be corrected: the `started` event (open a new journey instead), corrections
themselves, and events before a transfer to another pathway. Times of timeouts follow from the
rules, so they are voided, never amended. The reasons are fixed (`VOID_REASONS`), never free text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NoReturn

from pathways.errors import ActionRefused, HandoffNotAvailable, JourneyError, NotAuthorised
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import Event, utc_text
from pathways.runtime.journey_base import JourneyBase
from pathways.runtime.journey_queries import check_staff, check_time

#: A `pathways.runtime.journey.Journey`, which is built from this module's `Corrections`: it is
#: not imported here (that would be an import cycle), so the functions that redo events on one
#: take it loosely typed.
_Journey = Any

__all__ = ["CORRECTIONS", "VOID_REASONS", "Corrections", "Resolve", "redo"]

#: Why an event may be voided.
VOID_REASONS = ("duplicate", "recorded-in-error", "wrong-journey")
#: The kinds of event that correct another.
CORRECTIONS = frozenset({"voided", "amended"})
#: Finds a compiled pathway version by fingerprint (for a `transferred` event done again).
Resolve = Callable[[str], CompiledPathway]


class Corrections(JourneyBase):
    """`void` and `amend`: corrections recorded as events, their effect replayed."""

    __slots__ = ()

    def void(
        self, seq: int, *, reason: str, by: str, at: datetime, staff: str | None = None
    ) -> Event:
        """Void event `seq` for one of `VOID_REASONS`, as the agency that recorded it."""
        instant = self._correcting(seq, by, at, staff)
        if reason not in VOID_REASONS:
            self._no(f"'{reason}' is not a reason to void an event", VOID_REASONS)
        voided = {**self._life.voided, seq: reason}
        self._replay_effective(voided, self._life.amended, f"event {seq} cannot be voided")
        return self._record(
            Event(self.event_count, "voided", instant, by=by, staff=staff, reason=reason, ref=seq)
        )

    def amend(
        self, seq: int, *, to: datetime, by: str, at: datetime, staff: str | None = None
    ) -> Event:
        """Say event `seq` happened at `to`, as the agency that recorded it (not a timeout)."""
        instant = self._correcting(seq, by, at, staff)
        corrected = check_time(to, self.case_ref, None, by)
        if self._events[seq - self._unloaded].what == "timeout":
            self._no("the time of a timeout follows from the pathway; void it instead", ())
        if corrected > instant:
            self._no("an event cannot be amended to a time after the correction itself", ())
        amended = {**self._life.amended, seq: corrected}
        self._replay_effective(self._life.voided, amended, f"event {seq} cannot be amended")
        detail = (("at", utc_text(corrected)),)
        return self._record(
            Event(self.event_count, "amended", instant, by=by, staff=staff, ref=seq, detail=detail)
        )

    def _correcting(self, seq: int, by: str, at: datetime, staff: str | None) -> datetime:
        instant = self._check_time(at, None, by)
        check_staff(staff, self.case_ref, by)
        self._check_agency(by, "correct")
        history = self.history  # HistoryNotLoaded when bound without its events
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 < seq < len(history):
            self._no(f"there is no event {seq!r} to correct", ())
        event = history[seq]
        if event.what in CORRECTIONS or event.what == "started":
            self._no(f"event {seq} ({event.what}) cannot be corrected", ())
        if any(e.what == "transferred" for e in history):
            self._no("events of a journey that moved to another pathway cannot be corrected", ())
        if seq in self._life.voided:
            self._no(f"event {seq} is voided already", ())
        allowed = (event.by,) if event.by is not None else self._stage_owners(event)
        if by not in allowed:
            raise NotAuthorised(
                f"Case {self.case_ref}: event {seq} is corrected by the agency that recorded "
                f"it: {', '.join(self.compiled.agency_name(a) for a in allowed)}",
                journey=self.case_ref,
                stage=self.stage,
                agency=by,
                allowed=allowed,
            )
        return instant

    def _stage_owners(self, event: Event) -> tuple[str, ...]:
        return self.compiled.stages[event.from_stage].owners if event.from_stage else ()

    def _replay_effective(
        self, voided: Mapping[int, str], amended: Mapping[int, datetime], refusal: str
    ) -> None:
        """Take the state the events in force give, or refuse with `ActionRefused`."""
        history = self.history
        first = history[0]
        shadow = type(self)(
            self.compiled,
            self.case_ref,
            self.compiled.profile(dict(first.profile)),
            {"main": str(first.to_stage)},
            {"main": first.at},
            [first],
            0,
        )
        try:
            for event in history[1:]:
                if event.seq in voided or event.what in CORRECTIONS:
                    continue
                redo(shadow, event, at=amended.get(event.seq, event.at))
        except JourneyError as exc:
            self._no(f"{refusal}: {exc}", ())
        self.profile = shadow.profile
        self.machine_state = shadow.machine_state
        self._arrivals = shadow._arrivals
        self._life = shadow._life.corrected(voided, amended)

    def _no(self, why: str, allowed: tuple[str, ...]) -> NoReturn:
        raise ActionRefused(
            f"Case {self.case_ref}: {why}", journey=self.case_ref, stage=self.stage, allowed=allowed
        )


def redo(
    journey: _Journey, event: Event, *, at: datetime | None = None, resolve: Resolve | None = None
) -> None:
    """Do again on `journey` what `event` records (at `at`, if given, instead of its time)."""
    kwargs: dict[str, Any] = {"by": event.by or "", "at": event.at if at is None else at}
    kwargs["staff"] = event.staff
    action = _REDO.get(event.what)
    if action is None or not action(journey, event, kwargs, resolve):
        raise HandoffNotAvailable(
            f"Case {journey.case_ref}: a '{event.what}' event cannot happen here",
            journey=journey.case_ref,
            stage=journey.stage,
            trigger=event.trigger,
            agency=event.by,
        )


_Redo = Callable[["_Journey", Event, dict[str, Any], "Resolve | None"], bool]


def _handoff(journey: _Journey, event: Event, kw: dict[str, Any], _: Resolve | None) -> bool:
    if event.trigger is None:
        return False
    journey.handoff(event.trigger, shares=event.shares, **kw)
    return True


def _profile(journey: _Journey, event: Event, kw: dict[str, Any], _: Resolve | None) -> bool:
    if event.change is None:
        return False
    journey.update_profile(event.change.attribute, event.change.after, **kw)
    return True


def _answer(journey: _Journey, event: Event, kw: dict[str, Any], _: Resolve | None) -> bool:
    if event.trigger is None:
        return False
    if event.what == "accepted":
        journey.accept(event.trigger, **kw)
    else:
        journey.decline(event.trigger, reason=event.reason or "", **kw)
    return True


def _end(journey: _Journey, event: Event, kw: dict[str, Any], _: Resolve | None) -> bool:
    end = journey.withdraw if event.what == "withdrawn" else journey.close
    end(reason=event.reason or "", **kw)
    return True


def _transfer(journey: _Journey, event: Event, kw: dict[str, Any], resolve: Resolve | None) -> bool:
    if event.trigger is None or resolve is None:
        return False
    target = resolve(str(dict(event.detail).get("fingerprint")))
    journey.transfer(event.trigger, target, **kw)
    return True


def _correction(journey: _Journey, event: Event, kw: dict[str, Any], _: Resolve | None) -> bool:
    if event.ref is None:
        return False
    if event.what == "voided":
        journey.void(event.ref, reason=event.reason or "", **kw)
    else:
        journey.amend(event.ref, to=datetime.fromisoformat(dict(event.detail)["at"]), **kw)
    return True


def _tick(journey: _Journey, event: Event, kw: dict[str, Any], _: Resolve | None) -> bool:
    if event.trigger is None:
        return False
    _timeout(journey, event, kw["at"])
    return True


def _paused(journey: _Journey, event: Event, kw: dict[str, Any], _: Resolve | None) -> bool:
    _pause(journey, event, kw)
    return True


_REDO: dict[str, _Redo] = {
    "handoff": _handoff,
    "profile": _profile,
    "timeout": _tick,
    "accepted": _answer,
    "declined": _answer,
    "paused": _paused,
    "resumed": _paused,
    "withdrawn": _end,
    "closed-early": _end,
    "transferred": _transfer,
    "voided": _correction,
    "amended": _correction,
}


def _timeout(journey: _Journey, event: Event, when: datetime) -> None:
    fired = journey.tick_once(when)
    if fired is None or fired.trigger != event.trigger:
        raise HandoffNotAvailable(
            f"Case {journey.case_ref}: '{event.trigger}' had not timed out by {utc_text(when)}",
            journey=journey.case_ref,
            stage=journey.stage,
            trigger=event.trigger,
        )


def _pause(journey: _Journey, event: Event, kwargs: dict[str, Any]) -> None:
    stage = event.from_stage or journey.stage
    track = journey.compiled.stages[stage].track if stage in journey.compiled.stages else "main"
    if event.what == "paused":
        journey.pause(reason=event.reason or "", track=track, **kwargs)
    else:
        journey.resume(track=track, **kwargs)
