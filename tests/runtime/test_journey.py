"""The journey runtime, as a case system uses it."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pathways.definition.loader import load_text
from pathways.errors import (
    AuditFailure,
    ConditionNotMet,
    CorruptRecord,
    HandoffNotAvailable,
    HistoryNotLoaded,
    InvalidCaseReference,
    InvalidProfile,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    NotAuthorised,
    PathwayError,
    ProfileChangeRefused,
    SharingNotPermitted,
    WaitingForTrack,
)
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, replay, start

LONDON = ZoneInfo("Europe/London")
FRIDAY = datetime(2025, 12, 19, 10, 0, tzinfo=LONDON)  # the last Friday before Christmas 2025

TEXT = """
id: test/journeys
title: Testshire referral pathway
area: Testshire
version: "1"
entry: identified
roles:
  first-responder: {title: First responder}
  police: {title: Police}
  support-provider: {title: Support provider}
agencies:
  council: {name: Testshire Council, roles: [first-responder]}
  constabulary: {name: Testshire Police, roles: [police, first-responder]}
  charity: {name: Testshire Support, roles: [support-provider]}
profile:
  age_group:
    values: [child, adult]
    changes: [{from: child, to: adult, description: turns 18}]
  consent:
    values: [given, declined, unsure]
    changes: [{from: unsure, to: given}, {from: declined, to: given}]
  needs_accommodation: {flag: true}
information:
  account: {title: Account, sensitivity: special-category}
  consent-record: {title: Consent record, sensitivity: personal}
  address: {title: Address, sensitivity: personal}
tracks:
  police: {title: Police investigation, entry: crime-recorded}
stages:
  identified:
    {title: Potential victim identified, owner: first-responder, kind: identification,
     within: 2 working days}
  safe-house: {title: Place of safety, owner: support-provider, kind: safeguarding}
  nrm-referral:
    {title: NRM referral, owner: first-responder, kind: referral, within: 5 working days}
  notified:
    {title: Home Office notified, owner: council, kind: outcome, outcome: referred-elsewhere}
  supported: {title: Supported, owner: charity, kind: outcome, outcome: supported}
  crime-recorded:
    {title: Crime recorded, owner: police, kind: investigation, track: police, within: 30 days}
  charged: {title: Charged, owner: police, kind: outcome, outcome: charged, track: police}
  no-further-action:
    {title: No further action, owner: police, kind: outcome, outcome: no-further-action,
     track: police}
handoffs:
  to-safe-house:
    {from: identified, to: safe-house, by: [first-responder], when: needs_accommodation,
     shares: [address]}
  refer-to-nrm:
    from: [identified, safe-house]
    to: nrm-referral
    by: [first-responder]
    when: age_group == 'child' or consent == 'given'
    shares: [account, consent-record]
    starts: [police]
  notify:
    from: [identified, safe-house]
    to: notified
    by: [first-responder]
    when: age_group == 'adult' and consent in ['declined', 'unsure']
  leave-safe-house:
    {from: safe-house, to: identified, by: [], within: 3 working days, timeout: true}
  support: {from: nrm-referral, to: supported, by: [charity], waits_for: [police]}
  charge: {from: crime-recorded, to: charged, by: [police]}
  no-charge:
    {from: crime-recorded, to: no-further-action, by: [police], within: 30 days, timeout: true}
"""

ADULT_DECLINES = {"age_group": "adult", "consent": "declined", "needs_accommodation": False}
CHILD = {"age_group": "child", "consent": "unsure", "needs_accommodation": True}


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(TEXT))


def child_referred(compiled: CompiledPathway) -> Journey:
    journey = start(compiled, "TS-CHILD-1", CHILD, FRIDAY, "council")
    journey.handoff("refer-to-nrm", by="council", at=FRIDAY, shares=["account"])
    return journey


# Opening a journey


def test_a_journey_opens_at_the_entry(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-1", ADULT_DECLINES, FRIDAY, "council")
    assert journey.positions == {"main": "identified"}
    assert journey.stage == "identified"
    assert not journey.closed
    (event,) = journey.history
    assert (event.what, event.by, event.at, event.to_stage) == (
        "started",
        "council",
        FRIDAY,
        "identified",
    )
    assert dict(event.profile) == ADULT_DECLINES
    assert journey.owners() == {"identified": ("constabulary", "council")}


def test_start_compiles_a_pathway_it_is_given(compiled: CompiledPathway) -> None:
    journey = start(load_text(TEXT), "TS-1", ADULT_DECLINES, FRIDAY, "council")
    assert journey.compiled is compiled


@pytest.mark.parametrize("case_ref", ["", "Jane Smith", " TS-1", "TS\n1", "x" * 200])
def test_a_case_reference_is_an_opaque_code(compiled: CompiledPathway, case_ref: str) -> None:
    with pytest.raises(InvalidCaseReference, match="never a name"):
        start(compiled, case_ref, ADULT_DECLINES, FRIDAY, "council")


def test_times_must_carry_a_time_zone(compiled: CompiledPathway) -> None:
    with pytest.raises(InvalidTime, match="no time zone") as caught:
        start(compiled, "TS-1", ADULT_DECLINES, datetime(2025, 12, 19, 10), "council")
    assert caught.value.journey == "TS-1"


def test_only_an_agency_of_the_pathway_opens_a_journey(compiled: CompiledPathway) -> None:
    with pytest.raises(NotAuthorised) as caught:
        start(compiled, "TS-1", ADULT_DECLINES, FRIDAY, "first-responder")
    assert caught.value.allowed == ("charity", "constabulary", "council")


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ({"age_group": "adult", "consent": "given"}, "no value for needs_accommodation"),
        ({**ADULT_DECLINES, "name": "Jane"}, "no profile attribute name"),
        ({**ADULT_DECLINES, "age_group": "elderly"}, "'elderly' is not a value of age_group"),
        (
            {**ADULT_DECLINES, "needs_accommodation": "true"},
            "is not a value of needs_accommodation",
        ),
        ({**ADULT_DECLINES, "consent": True}, "True is not a value of consent"),
    ],
)
def test_invalid_profiles_are_refused(
    compiled: CompiledPathway, profile: dict[str, Any], words: str
) -> None:
    with pytest.raises(InvalidProfile, match=words) as caught:
        start(compiled, "TS-1", profile, FRIDAY, "council")
    assert isinstance(caught.value, ValueError)


# Handing off, and refusals in order


def test_a_handoff_moves_the_journey_and_starts_a_track(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-2", CHILD, FRIDAY, "council")
    event = journey.handoff("refer-to-nrm", by="constabulary", at=FRIDAY, shares=["account"])
    assert journey.positions == {"main": "nrm-referral", "police": "crime-recorded"}
    assert (event.seq, event.what, event.by, event.trigger) == (
        1,
        "handoff",
        "constabulary",
        "refer-to-nrm",
    )
    assert (event.from_stage, event.to_stage) == ("identified", "nrm-referral")
    assert event.shares == ("account",)
    assert event.started == ("police",)
    assert journey.arrived("police") == FRIDAY


def test_an_unknown_handoff_lists_what_is_possible(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-3", ADULT_DECLINES, FRIDAY, "council")
    with pytest.raises(HandoffNotAvailable) as caught:
        journey.handoff("support", by="charity", at=FRIDAY)
    error = caught.value
    assert (error.journey, error.stage, error.trigger, error.agency) == (
        "TS-3",
        "identified",
        "support",
        "charity",
    )
    assert error.allowed == ("to-safe-house", "refer-to-nrm", "notify")
    assert str(error).startswith("Case TS-3: 'support' is not a handoff from")
    assert "Potential victim identified" in str(error)


def test_authorisation_is_checked_before_the_condition(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-4", ADULT_DECLINES, FRIDAY, "council")
    with pytest.raises(NotAuthorised) as caught:
        journey.handoff("refer-to-nrm", by="charity", at=FRIDAY, shares=["passport"])
    assert caught.value.allowed == ("constabulary", "council")
    assert "Testshire Support may not make 'refer-to-nrm'" in str(caught.value)


def test_the_condition_is_checked_before_sharing(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-5", ADULT_DECLINES, FRIDAY, "council")
    with pytest.raises(ConditionNotMet) as caught:
        journey.handoff("refer-to-nrm", by="council", at=FRIDAY, shares=["passport"])
    error = caught.value
    assert "only for a victim where age group is child or consent is given" in str(error)
    assert "does not meet" in str(error)
    assert error.allowed == ("notify",)


def test_only_declared_information_travels(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-6", CHILD, FRIDAY, "council")
    with pytest.raises(SharingNotPermitted) as caught:
        journey.handoff("refer-to-nrm", by="council", at=FRIDAY, shares=["account", "address"])
    assert caught.value.allowed == ("account", "consent-record")
    assert "address may not be shared" in str(caught.value)
    assert len(journey.history) == 1


def test_a_join_waits_for_the_track_it_names(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    with pytest.raises(WaitingForTrack) as caught:
        journey.handoff("support", by="charity", at=FRIDAY, shares=["address"])
    assert caught.value.allowed == ("police",)
    assert "Police investigation" in str(caught.value)
    journey.handoff("charge", by="constabulary", at=FRIDAY)
    journey.handoff("support", by="charity", at=FRIDAY)
    assert journey.closed


def test_every_refusal_is_a_journey_error(compiled: CompiledPathway) -> None:
    for error in (HandoffNotAvailable, NotAuthorised, ConditionNotMet, WaitingForTrack):
        assert issubclass(error, JourneyError)
        assert issubclass(error, PathwayError)


def test_what_an_agency_can_do_now(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-7", ADULT_DECLINES, FRIDAY, "council")
    options = {o.trigger: o for o in journey.available(by="council")}
    assert set(options) == {"to-safe-house", "refer-to-nrm", "notify"}
    assert options["notify"].open
    assert options["notify"].reason is None
    assert not options["refer-to-nrm"].open
    assert "does not meet" in (options["refer-to-nrm"].reason or "")
    assert options["refer-to-nrm"].shares == ("account", "consent-record")
    charity = {o.trigger: o for o in journey.available(by="charity")}
    assert not charity["notify"].open
    assert "may be made by" in (charity["notify"].reason or "")


# Profile changes


def test_a_declared_change_is_recorded_and_opens_handoffs(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-8", ADULT_DECLINES, FRIDAY, "council")
    later = FRIDAY + timedelta(days=1)
    event = journey.update_profile("consent", "given", by="council", at=later)
    assert (event.what, event.by, event.at) == ("profile", "council", later)
    assert event.change is not None
    assert (event.change.attribute, event.change.before, event.change.after) == (
        "consent",
        "declined",
        "given",
    )
    assert journey.profile["consent"] == "given"
    journey.handoff("refer-to-nrm", by="council", at=later)


@pytest.mark.parametrize(
    ("attribute", "value", "words"),
    [
        ("needs_accommodation", True, "does not allow needs_accommodation to change"),
        ("age_group", "child", "does not allow age_group to change from 'adult'"),
        ("consent", "declined", "already 'declined'"),
        ("consent", "maybe", "'maybe' is not a value of consent"),
        ("name", "Jane", "no profile attribute 'name'"),
    ],
)
def test_undeclared_changes_are_refused(
    compiled: CompiledPathway, attribute: str, value: Any, words: str
) -> None:
    journey = start(compiled, "TS-9", ADULT_DECLINES, FRIDAY, "council")
    with pytest.raises(ProfileChangeRefused, match=words):
        journey.update_profile(attribute, value, by="council", at=FRIDAY)
    assert len(journey.history) == 1


def test_refused_changes_list_the_declared_ones(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-10", ADULT_DECLINES, FRIDAY, "council")
    with pytest.raises(ProfileChangeRefused) as caught:
        journey.update_profile("consent", "unsure", by="council", at=FRIDAY)
    assert caught.value.allowed == ("consent: 'declined' to 'given'",)


def test_only_agencies_change_a_profile(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-11", CHILD, FRIDAY, "council")
    with pytest.raises(NotAuthorised):
        journey.update_profile("age_group", "adult", by="someone", at=FRIDAY)


# Time


def test_stage_limits_count_working_days_over_christmas(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    limits = {(d.stage, d.handoff): d for d in journey.deadlines()}
    referral = limits[("nrm-referral", None)]
    assert referral.due == date(2025, 12, 30)
    assert referral.overdue_from == datetime(2025, 12, 31, tzinfo=LONDON)
    police = limits[("crime-recorded", None)]
    assert police.due == date(2026, 1, 18)
    assert limits[("crime-recorded", "no-charge")].timeout


def test_overdue_lists_limits_that_have_run_out(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    assert journey.overdue(datetime(2025, 12, 30, 23, 59, tzinfo=LONDON)) == ()
    (late,) = journey.overdue(datetime(2025, 12, 31, tzinfo=LONDON))
    assert (late.stage, late.handoff) == ("nrm-referral", None)
    with pytest.raises(InvalidTime):
        journey.overdue(datetime(2025, 12, 31))


def test_a_timeout_fires_on_tick_at_the_moment_it_ran_out(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    assert journey.tick(datetime(2026, 1, 18, 23, 0, tzinfo=LONDON)) == ()
    (event,) = journey.tick(datetime(2026, 2, 1, tzinfo=LONDON))
    assert (event.what, event.by, event.trigger) == ("timeout", None, "no-charge")
    assert event.at == datetime(2026, 1, 19, tzinfo=LONDON)
    assert journey.positions["police"] == "no-further-action"


def test_ticking_often_or_rarely_gives_the_same_history(compiled: CompiledPathway) -> None:
    daily = start(compiled, "TS-12", CHILD, FRIDAY, "council")
    daily.handoff("to-safe-house", by="council", at=FRIDAY, shares=["address"])
    rarely = replay(compiled, "TS-12", daily.history)
    for day in range(1, 15):
        daily.tick(FRIDAY + timedelta(days=day))
    rarely.tick(FRIDAY + timedelta(days=14))
    assert daily.history == rarely.history
    assert [e.trigger for e in daily.history[2:]] == ["leave-safe-house"]
    assert daily.history[2].at == datetime(2025, 12, 25, tzinfo=LONDON)  # 3 working days


def test_times_must_not_go_back(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-13", ADULT_DECLINES, FRIDAY, "council")
    with pytest.raises(InvalidTime, match="before the last event"):
        journey.handoff("notify", by="council", at=FRIDAY - timedelta(minutes=1))
    with pytest.raises(InvalidTime):
        journey.handoff("notify", by="council", at=datetime(2025, 12, 20))
    with pytest.raises(InvalidTime):
        journey.tick(FRIDAY - timedelta(days=1))


# Closing


def test_a_closed_journey_refuses_everything(compiled: CompiledPathway) -> None:
    journey = start(compiled, "TS-14", ADULT_DECLINES, FRIDAY, "council")
    journey.handoff("notify", by="council", at=FRIDAY)
    assert journey.closed
    assert journey.available(by="council") == ()
    assert journey.deadlines() == ()
    with pytest.raises(JourneyClosed) as caught:
        journey.handoff("refer-to-nrm", by="council", at=FRIDAY)
    assert caught.value.stage == "notified"
    with pytest.raises(JourneyClosed):
        journey.update_profile("consent", "given", by="council", at=FRIDAY)
    assert journey.tick(FRIDAY + timedelta(days=365)) == ()


def test_a_journey_stays_open_while_a_track_runs(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    journey.handoff("charge", by="constabulary", at=FRIDAY)
    assert not journey.closed
    assert journey.positions == {"main": "nrm-referral", "police": "charged"}


# Events, snapshots, binding and replay


def test_events_round_trip_through_canonical_json(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    journey.update_profile("age_group", "adult", by="charity", at=FRIDAY)
    for event in journey.history:
        data = json.loads(json.dumps(event.to_dict()))
        assert Event.from_dict(data) == event
        assert Event.from_dict(data).to_dict() == event.to_dict()
    assert journey.history[1].to_dict()["at"] == "2025-12-19T10:00:00+00:00"


@pytest.mark.parametrize(
    "broken",
    [
        {"what": "party"},
        {"at": "yesterday"},
        {"at": "2025-12-19T10:00:00"},
        {"seq": -1},
        {"shares": [1]},
    ],
)
def test_malformed_events_are_refused(compiled: CompiledPathway, broken: dict[str, Any]) -> None:
    data = {**child_referred(compiled).history[1].to_dict(), **broken}
    with pytest.raises(CorruptRecord):
        Event.from_dict(data)


def test_history_is_immutable(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    history = journey.history
    assert isinstance(history, tuple)
    with pytest.raises(AttributeError):
        history[0].by = "someone"  # type: ignore[misc]


def test_bind_with_events_equals_the_live_journey(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    stored = json.loads(
        json.dumps({"s": live.snapshot(), "e": [e.to_dict() for e in live.history]})
    )
    bound = bind(compiled, stored["s"], stored["e"])
    assert bound == live
    bound.handoff("charge", by="constabulary", at=FRIDAY)
    live.handoff("charge", by="constabulary", at=FRIDAY)
    assert bound == live


def test_bind_without_events_can_hand_off(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    bound = bind(compiled, json.loads(json.dumps(live.snapshot())))
    assert bound.positions == live.positions
    assert bound.event_count == 2
    event = bound.handoff("charge", by="constabulary", at=FRIDAY)
    assert event.seq == 2
    assert bound.events_since(2) == (event,)
    with pytest.raises(HistoryNotLoaded):
        bound.history  # noqa: B018
    with pytest.raises(HistoryNotLoaded):
        bound.events_since(1)


def test_bind_refuses_another_version(compiled: CompiledPathway) -> None:
    other = compile_pathway(load_text(TEXT.replace('version: "1"', 'version: "2"')))
    snapshot = child_referred(compiled).snapshot()
    with pytest.raises(CorruptRecord, match="another version"):
        bind(other, snapshot)


@pytest.mark.parametrize(
    "change",
    [
        {"tracks": {"main": {"stage": "charged", "since": "2025-12-19T10:00:00+00:00"}}},
        {"tracks": {"police": {"stage": "charged", "since": "2025-12-19T10:00:00+00:00"}}},
        {"profile": {"age_group": "adult"}},
        {"events": 0},
        {"last_event_at": "2025-12-19T10:00:00"},
        {"case_ref": None},
    ],
)
def test_bind_refuses_snapshots_that_do_not_fit(
    compiled: CompiledPathway, change: dict[str, Any]
) -> None:
    snapshot = {**child_referred(compiled).snapshot(), **change}
    with pytest.raises(CorruptRecord):
        bind(compiled, snapshot)


def test_bind_refuses_a_wrong_number_of_events(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    with pytest.raises(CorruptRecord, match="counts 2 events"):
        bind(compiled, live.snapshot(), live.history[:1])


def test_replay_rebuilds_the_live_journey(compiled: CompiledPathway) -> None:
    live = child_referred(compiled)
    live.update_profile("age_group", "adult", by="council", at=FRIDAY + timedelta(days=2))
    live.tick(FRIDAY + timedelta(days=60))
    rebuilt = replay(compiled, live.case_ref, [e.to_dict() for e in live.history])
    assert rebuilt == live
    assert rebuilt.history == live.history


def test_replay_finds_an_edited_event(compiled: CompiledPathway) -> None:
    events = [e.to_dict() for e in child_referred(compiled).history]
    events[1]["to"] = "supported"
    with pytest.raises(AuditFailure) as caught:
        replay(compiled, "TS-CHILD-1", events)
    assert caught.value.event == 1


def test_replay_finds_a_handoff_that_could_not_have_happened(compiled: CompiledPathway) -> None:
    events = [e.to_dict() for e in child_referred(compiled).history]
    events[1]["by"] = "charity"
    with pytest.raises(AuditFailure, match="cannot have happened") as caught:
        replay(compiled, "TS-CHILD-1", events)
    assert caught.value.event == 1


def test_replay_needs_the_opening_event(compiled: CompiledPathway) -> None:
    events = [e.to_dict() for e in child_referred(compiled).history]
    with pytest.raises(AuditFailure):
        replay(compiled, "TS-CHILD-1", events[1:])


def test_journeys_bound_from_equal_snapshots_move_alone(compiled: CompiledPathway) -> None:
    snapshot = child_referred(compiled).snapshot()
    first, second = bind(compiled, snapshot), bind(compiled, snapshot)
    assert first.machine_state is second.machine_state  # shared until one moves
    first.handoff("charge", by="constabulary", at=FRIDAY)
    assert first.positions["police"] == "charged"
    assert second.positions["police"] == "crime-recorded"
