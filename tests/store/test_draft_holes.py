"""Issue 16's draft holes, closed: `save(draft)` stores nothing the runtime would refuse.

A draft's journey is the caller's object, so each test tampers with it as a careless or
hostile caller could (a profile assigned directly, a stage jumped to, an event forged with an
invented agency, handoff or share, a case reference switched, events out of order or dated
before the last stored one, a draft of another pathway version). Each save is refused with
`DraftRefused`, naming the journey, the event, the stage and what would have been allowed, and
nothing is written. Every test runs on SQLite and PostgreSQL, on each database's own path and
on the locked path.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from pathways.errors import (
    DraftRefused,
    HandoffNotAvailable,
    InvalidRequest,
    InvalidTime,
    NotAuthorised,
    SharingNotPermitted,
)
from pathways.runtime.events import Event
from pathways.runtime.opening import bind
from pathways.store import JourneyStore, check_database
from store.helpers import ADULT, CHILD, MONDAY, compiled_v2, count

HOUR = timedelta(hours=1)


@pytest.fixture(params=["own", "locked"])
def paths(request: pytest.FixtureRequest, store: JourneyStore) -> JourneyStore:
    """The store on its database's own path for changes, or on the locked path."""
    if request.param == "locked":
        assert store.fast is not None
        store.fast.close()
        store.fast = None
    return store


def _opened(store: JourneyStore, case_ref: str = "DH-1") -> None:
    store.create(case_ref, ADULT, at=MONDAY, by="council")
    store.handoff(case_ref, "assess", by="council", at=MONDAY + HOUR)


def _refused(store: JourneyStore, draft: object, case_ref: str = "DH-1") -> DraftRefused:
    """Save `draft`, which must be refused, and check nothing was written."""
    before = store.load(case_ref)
    revision, events = store.revision(case_ref), count(store, "events", case_ref)
    with pytest.raises(DraftRefused) as caught:
        store.save(draft, key="save-1")  # type: ignore[arg-type]
    assert caught.value.journey == case_ref
    assert store.load(case_ref) == before
    assert store.revision(case_ref) == revision
    assert count(store, "events", case_ref) == events
    assert count(store, "requests") == 0
    assert check_database(store) == []
    return caught.value


def test_a_profile_assigned_directly_is_refused(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    journey = draft.journey
    journey.profile = journey.compiled.profile({"age_group": "adult", "consent": "given"})
    journey.handoff("refer-to-nrm", by="council", at=MONDAY + 2 * HOUR, shares=["account"])
    error = _refused(paths, draft)
    assert error.event == 2
    assert error.stage == "assessment"
    assert error.trigger == "refer-to-nrm"
    assert isinstance(error.__cause__, Exception)
    assert "profile does not meet" in str(error)
    # with no event at all, the profile itself is refused, naming the change to record instead
    for forged in ({"age_group": "adult", "consent": "given"}, CHILD):
        draft = paths.draft("DH-1")
        draft.journey.profile = draft.journey.compiled.profile(forged)
        error = _refused(paths, draft)
        assert error.event is None
        assert "profile" in str(error)
        declared = ("consent: 'declined' to 'given'",) if forged["consent"] == "given" else ()
        assert error.allowed == declared


def test_a_jumped_state_is_refused(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    journey = draft.journey
    journey.machine_state = journey.compiled.machine_state({"main": "notified"})
    error = _refused(paths, draft)
    assert error.stage == "assessment"
    assert set(error.allowed) == {"reconsider", "refer-to-nrm", "notify"}
    assert "stages" in str(error)
    # a jump hidden behind an event the pathway does not record so
    draft = paths.draft("DH-1")
    journey = draft.journey
    journey.machine_state = journey.compiled.machine_state({"main": "supported"})
    journey._record(
        Event(
            2,
            "handoff",
            MONDAY + 2 * HOUR,
            by="council",
            trigger="notify",
            from_stage="assessment",
            to_stage="supported",
        )
    )
    error = _refused(paths, draft)
    assert error.event == 2
    assert "to:" in str(error)


def test_an_event_with_an_invented_agency_or_handoff_is_refused(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    journey = draft.journey
    journey.machine_state = journey.compiled.machine_state({"main": "identified"})
    journey._record(
        Event(
            2,
            "handoff",
            MONDAY + 2 * HOUR,
            by="made-up-agency",
            trigger="reconsider",
            from_stage="assessment",
            to_stage="identified",
        )
    )
    error = _refused(paths, draft)
    assert isinstance(error.__cause__, NotAuthorised)
    assert (error.event, error.stage, error.agency) == (2, "assessment", "made-up-agency")
    assert error.allowed == ("constabulary", "council")
    draft = paths.draft("DH-1")
    draft.journey._record(
        Event(
            2,
            "handoff",
            MONDAY + 2 * HOUR,
            by="council",
            trigger="fast-track",
            from_stage="assessment",
            to_stage="supported",
        )
    )
    error = _refused(paths, draft)
    assert isinstance(error.__cause__, HandoffNotAvailable)
    assert set(error.allowed) == {"reconsider", "refer-to-nrm", "notify"}
    # a timeout recorded by an agency, or an opening event in the middle of a journey
    for forged in (
        Event(
            2,
            "timeout",
            MONDAY + 2 * HOUR,
            trigger="reconsider",
            from_stage="assessment",
            to_stage="identified",
        ),
        Event(
            2, "started", MONDAY + 2 * HOUR, by="council", to_stage="identified", started=("main",)
        ),
    ):
        draft = paths.draft("DH-1")
        draft.journey._record(forged)
        assert _refused(paths, draft).event == 2


def test_a_share_the_handoff_does_not_allow_is_refused(paths: JourneyStore) -> None:
    paths.create("DH-1", CHILD, at=MONDAY, by="council")
    draft = paths.draft("DH-1")
    journey = draft.journey
    journey.handoff("refer-to-nrm", by="council", at=MONDAY + HOUR, shares=["account"])
    sent = journey.events_since(1)[0]
    journey._events[-1] = dataclasses.replace(sent, shares=("account", "address"))
    error = _refused(paths, draft)
    assert isinstance(error.__cause__, SharingNotPermitted)
    assert error.allowed == ("account",)


def test_a_switched_case_reference_is_refused(paths: JourneyStore) -> None:
    _opened(paths, "DH-1")
    paths.create("DH-2", CHILD, at=MONDAY, by="council")
    draft = paths.draft("DH-1")
    draft.journey.case_ref = "DH-2"
    draft.journey.handoff("reconsider", by="council", at=MONDAY + 2 * HOUR)
    error = _refused(paths, draft)
    assert error.allowed == ("DH-1",)
    assert paths.revision("DH-2") == 1
    # switched whole (the draft names the other journey and its revision): its events and
    # state are checked against that journey, where they do not fit
    other = dataclasses.replace(draft, case_ref="DH-2", revision=1, saved=1)
    error = _refused(paths, other, "DH-2")
    assert error.journey == "DH-2"
    assert paths.load("DH-1").stage == "assessment"


def test_events_out_of_order_or_back_dated_are_refused(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    draft.journey._record(
        Event(
            5,
            "handoff",
            MONDAY + 2 * HOUR,
            by="council",
            trigger="reconsider",
            from_stage="assessment",
            to_stage="identified",
        )
    )
    error = _refused(paths, draft)
    assert error.event == 2
    assert "numbered 5" in str(error)
    draft = paths.draft("DH-1")
    draft.journey._last = MONDAY - HOUR  # the draft forgets when the last event was
    draft.journey.handoff("reconsider", by="council", at=MONDAY)
    error = _refused(paths, draft)
    assert isinstance(error.__cause__, InvalidTime)
    assert error.event == 2


def test_a_draft_of_another_pathway_version_is_refused(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    v2 = compiled_v2()
    error = _refused(paths, dataclasses.replace(draft, fingerprint=v2.fingerprint))
    assert error.allowed == (draft.fingerprint,)
    # the journey itself bound to another version, at a stage both versions have
    paths.handoff("DH-1", "reconsider", by="council", at=MONDAY + 2 * HOUR)
    draft = paths.draft("DH-1")
    snapshot = {**draft.journey.snapshot(), "fingerprint": v2.fingerprint, "version": "2"}
    moved = dataclasses.replace(draft, journey=bind(v2, snapshot))
    assert "pathway version" in str(_refused(paths, moved))
    with pytest.raises(InvalidRequest):
        paths.save(draft.journey)  # type: ignore[arg-type]


def test_a_draft_claiming_another_event_count_is_refused(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    draft.journey.handoff("reconsider", by="council", at=MONDAY + 2 * HOUR)
    error = _refused(paths, dataclasses.replace(draft, saved=3))
    assert error.event == 2


def test_an_honest_draft_is_stored_as_the_store_made_it(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    journey = draft.journey
    journey.update_profile("consent", "given", by="council", at=MONDAY + 2 * HOUR)
    journey.handoff("refer-to-nrm", by="council", at=MONDAY + 3 * HOUR, shares=["account"])
    journey.tick(MONDAY + timedelta(days=30))
    applied = paths.save(draft)
    assert [e.what for e in applied.events] == ["profile", "handoff", "timeout"]
    stored = paths.load("DH-1")
    assert stored.snapshot() == journey.snapshot()
    assert stored.events_since(2) == journey.events_since(2)
    # the caller's object is not what the store keeps: changed again, it does not leak in
    journey.handoff("support", by="charity", at=MONDAY + timedelta(days=31))
    applied = paths.handoff("DH-1", "support", by="charity", at=MONDAY + timedelta(days=31))
    assert applied.revision == 4
    assert check_database(paths) == []


def test_a_draft_holding_what_no_journey_can_hold_is_refused(paths: JourneyStore) -> None:
    _opened(paths)
    draft = paths.draft("DH-1")
    draft.journey._events.append({"seq": 2, "what": "handoff"})  # type: ignore[arg-type]
    assert _refused(paths, draft).event is None
    draft = paths.draft("DH-1")
    naive = MONDAY.replace(tzinfo=None) + 2 * HOUR
    draft.journey._record(Event(2, "handoff", naive, by="council", trigger="reconsider"))
    assert _refused(paths, draft).event == 2
    draft = paths.draft("DH-1")
    draft.journey.machine_state = "nowhere"
    draft.journey.profile = "anything"  # type: ignore[assignment]
    assert "profile" in str(_refused(paths, draft))
