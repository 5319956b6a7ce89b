"""Checking a draft before it is saved: its new events are done again, by the pathway's rules, on
the journey as it is stored.

A draft (`JourneyStore.draft`) is a journey the case system changes in memory; what it holds
is the caller's, so `JourneyStore.save` trusts none of it. In the save's transaction the stored
journey is bound from its row, and each event the draft recorded since it was taken is done
again on it as the runtime does it (`pathways.runtime.corrections.redo`: a handoff, an answer
to a referral, a profile change, a pause or resume, a withdrawal, early close or transfer, a
void or amendment, a timeout), which must record exactly that event. Then the journey those
events make must be the draft's journey: the same case reference, pathway version, profile,
stages, arrival times, lifecycle and event count. Anything else is refused with
`DraftRefused`, naming the journey, the event, the stage and what would have been allowed,
and nothing is written. What is stored is the journey the store made again, never the
caller's object.

So a profile assigned directly (not by a declared change event), a stage jumped to, an event
with an invented agency or handoff, a share the handoff does not allow, events out of order or
dated before the last stored one, and a draft whose case reference was switched are all
refused, as the runtime refuses them.

The request an idempotency key records for a save (`request`) is what each event asked for
(its kind, handoff, agency, time, shares, staff reference, reason, change and what it
corrects), not where the journey was when it was asked: a re-sent unit of work that makes the
same change on a fresh draft is the same request, as a re-sent `handoff` is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pathways.errors import ActionRefused, DraftRefused, InvalidRequest, JourneyError, StoreError
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.corrections import CORRECTIONS, redo
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.store.reads import Draft

__all__ = ["needs_history", "new_events", "redo_draft", "request"]

#: What a snapshot holds, in words, for a refusal naming what differs.
_WORDS = {
    "case_ref": "case reference",
    "pathway": "pathway",
    "version": "pathway version",
    "fingerprint": "pathway version",
    "profile": "profile",
    "tracks": "stages",
    "events": "number of events",
    "last_event_at": "time of the last event",
    "lifecycle": "lifecycle state (referrals awaiting an answer, pauses, early ends, corrections)",
}


def new_events(draft: object) -> tuple[Journey, tuple[Event, ...]]:
    """The draft's journey and the events it recorded since it was taken, checked before any
    query: `InvalidRequest` for anything but a `Draft` of a `Journey`, `DraftRefused` for a
    draft whose case reference was switched."""
    if not isinstance(draft, Draft) or not isinstance(draft.journey, Journey):
        raise InvalidRequest(
            f"save: pass a draft taken with store.draft(case_ref), not {type(draft).__name__}",
            operation="save",
        )
    journey = draft.journey
    if journey.case_ref != draft.case_ref:
        raise DraftRefused(
            f"Case {draft.case_ref}: the draft's journey now names case {journey.case_ref!r}; "
            "a journey's case reference never changes: take a draft of that case instead",
            journey=draft.case_ref,
            allowed=(draft.case_ref,),
        )
    try:
        new = journey.events_since(draft.saved)
    except JourneyError as exc:
        raise _refused(draft.case_ref, None, exc) from exc
    except (TypeError, ValueError) as exc:
        raise DraftRefused(
            f"Case {draft.case_ref}: the draft's events cannot be read ({exc}); take a new draft",
            journey=draft.case_ref,
        ) from None
    for event in new:
        _check_readable(draft.case_ref, event)
    return journey, new


def _check_readable(case_ref: str, event: object) -> None:
    """Refuse anything but a well-formed event: one that reads back as itself."""
    try:
        fine = isinstance(event, Event) and Event.from_dict(event.to_dict()) == event
    except (StoreError, TypeError, ValueError, AttributeError):
        fine = False
    if not fine:
        seq = getattr(event, "seq", None)
        raise DraftRefused(
            f"Case {case_ref}: the draft holds something that is not a well-formed event "
            f"({type(event).__name__}); a journey records events only through its own methods",
            journey=case_ref,
            event=seq if isinstance(seq, int) else None,
        )


def needs_history(new: Sequence[Event]) -> bool:
    """Whether doing `new` again needs the journey's earlier events (a correction does)."""
    return any(event.what in CORRECTIONS for event in new)


def request(new: Sequence[Event]) -> list[dict[str, Any]]:
    """What each event asked for, whatever the journey's state: a save's request."""
    found = []
    for event in new:
        data = event.to_dict()
        asked = {key: data[key] for key in ("what", "at", "by", "trigger", "shares", "change")}
        for key in ("staff", "reason", "ref"):
            asked[key] = data.get(key)
        detail = dict(event.detail)
        asked["detail"] = {k: detail[k] for k in ("at", "fingerprint") if k in detail}
        found.append(asked)
    return found


def redo_draft(
    draft: Draft,
    start: Journey,
    new: Sequence[Event],
    resolve: Callable[[str], CompiledPathway],
) -> Journey:
    """Do `new` again on `start` (the stored journey), checking each event and then the state.

    Returns `start`, changed: the journey to store. `resolve` finds a version a transfer moved
    to by fingerprint.
    """
    case_ref = draft.case_ref

    def target(fingerprint: str) -> CompiledPathway:
        try:
            return resolve(fingerprint)
        except StoreError:
            raise ActionRefused(
                f"Case {case_ref}: the draft moved to a pathway version this store does not "
                f"have ({fingerprint}); transfer to a registered version",
                journey=case_ref,
                stage=start.stage,
            ) from None

    for event in new:
        if event.seq != start.event_count:
            raise DraftRefused(
                f"Case {case_ref}: the draft's event numbered {event.seq} comes where event "
                f"{start.event_count} should; events are numbered in the order they happen",
                journey=case_ref,
                event=start.event_count,
                stage=start.stage,
            )
        try:
            redo(start, event, resolve=target)
        except JourneyError as exc:
            raise _refused(case_ref, event.seq, exc) from exc
        recorded = start.events_since(event.seq)
        if recorded != (event,):
            raise _not_recorded(case_ref, event, recorded[0] if recorded else None, start)
    _check_state(draft.journey, start)
    return start


def _refused(case_ref: str, seq: int | None, exc: JourneyError) -> DraftRefused:
    what = "the draft" if seq is None else f"the draft's event {seq}"
    return DraftRefused(
        f"Case {case_ref}: {what} is not what the pathway allows, so nothing was saved: {exc}",
        journey=case_ref,
        event=seq,
        stage=exc.stage,
        trigger=exc.trigger,
        agency=exc.agency,
        allowed=exc.allowed,
    )


def _not_recorded(
    case_ref: str, event: Event, recorded: Event | None, journey: Journey
) -> DraftRefused:
    mine = event.to_dict()
    theirs = {} if recorded is None else recorded.to_dict()
    differ = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
    shown = "; ".join(
        f"{k}: {mine.get(k)!r}, the pathway records {theirs.get(k)!r}" for k in differ
    )
    return DraftRefused(
        f"Case {case_ref}: the draft's event {event.seq} ({event.what}) is not what the pathway "
        f"records, so nothing was saved ({shown})",
        journey=case_ref,
        event=event.seq,
        stage=journey.stage,
        trigger=event.trigger,
        agency=event.by,
    )


def _check_state(draft: Journey, made: Journey) -> None:
    """Refuse a draft whose journey is not the one its events make (a state set directly)."""
    theirs = made.snapshot()
    try:
        mine = draft.snapshot()
    except (LookupError, TypeError, ValueError, AttributeError):  # a state no journey can have
        mine = {}
    if mine == theirs:
        return
    differ = [key for key in _WORDS if mine.get(key) != theirs.get(key)]
    allowed: tuple[str, ...] = ()
    if "profile" in differ and isinstance(draft.profile, Mapping):
        allowed = _profile_changes(draft, made)
    elif "tracks" in differ:
        allowed = tuple(rule.name for rule in made.compiled.exits(made.positions))
    words = ", ".join(dict.fromkeys(_WORDS[key] for key in differ))
    raise DraftRefused(
        f"Case {made.case_ref}: the draft's {words} is not what its events make; a journey "
        "changes only by recorded events (a handoff, a declared profile change, ...), so "
        f"nothing was saved. Its events leave it at {made.stage} (last event at "
        f"{theirs['last_event_at']})",
        journey=made.case_ref,
        stage=made.stage,
        allowed=allowed,
    )


def _profile_changes(draft: Journey, made: Journey) -> tuple[str, ...]:
    """The declared changes (recorded with `update_profile`) from the profile the events make,
    of the attributes the draft's profile differs in."""
    found: list[str] = []
    for attribute, value in made.profile.items():
        if draft.profile.get(attribute) != value:
            refusal = made.compiled.change_refusal(made.profile, attribute, value)
            found += refusal[1] if refusal is not None else ()
    return tuple(found)
