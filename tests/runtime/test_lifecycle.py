"""The referral lifecycle through the public runtime API: accepting and declining a referral,
pausing a stage's clock, withdrawing, closing early, moving area, and corrections."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pathways.definition.loader import load_text
from pathways.errors import (
    ActionRefused,
    AwaitingAcceptance,
    HistoryNotLoaded,
    JourneyClosed,
    NotAuthorised,
)
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.events import Event, utc_text
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, replay, start
from runtime.lifecycle_pathway import AREA_A, AREA_B, GIVEN, LONDON, MONDAY

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def area_a() -> CompiledPathway:
    return compile_pathway(load_text(AREA_A))


@pytest.fixture(scope="module")
def area_b() -> CompiledPathway:
    return compile_pathway(load_text(AREA_B))


def _referred(compiled: CompiledPathway, case_ref: str = "LF-1") -> Journey:
    journey = start(compiled, case_ref, GIVEN, MONDAY, "council")
    journey.handoff("refer", by="council", at=MONDAY)
    return journey


def _same_after_replay(journey: Journey, *pathways: CompiledPathway) -> None:
    by_print = {c.fingerprint: c for c in pathways}
    again = replay(pathways[0], journey.case_ref, journey.history, by_print.__getitem__)
    assert again == journey
    assert bind(journey.compiled, journey.snapshot(), journey.history) == journey


# Acceptance


def test_a_referral_waits_for_its_receiver_to_accept(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    assert journey.stage == "referred"
    assert list(journey.awaiting()) == ["main"]
    with pytest.raises(AwaitingAcceptance, match="Home Office to accept or decline") as caught:
        journey.handoff("decide", by="home-office", at=MONDAY + DAY)
    assert caught.value.allowed == ("accept", "decline")
    with pytest.raises(NotAuthorised, match="owner of 'Referred'"):
        journey.accept("refer", by="council", at=MONDAY + DAY)
    accepted = journey.accept("refer", by="home-office", at=MONDAY + DAY, staff="ho-12")
    assert (accepted.what, accepted.trigger, accepted.staff) == ("accepted", "refer", "ho-12")
    journey.handoff("decide", by="home-office", at=MONDAY + 2 * DAY)
    assert journey.stage == "support"
    _same_after_replay(journey, area_a)


def test_a_declined_referral_goes_back_to_the_referrer(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    with pytest.raises(ActionRefused, match="not-enough-information") as caught:
        journey.decline("refer", reason="no-reason", by="home-office", at=MONDAY + DAY)
    assert caught.value.allowed == ("not-enough-information", "duplicate-referral")
    declined = journey.decline(
        "refer", reason="not-enough-information", by="home-office", at=MONDAY + DAY
    )
    assert (declined.what, declined.from_stage, declined.to_stage) == (
        "declined",
        "referred",
        "identified",
    )
    assert declined.reason == "not-enough-information"
    assert journey.stage == "identified"
    assert not journey.awaiting()
    assert journey.arrived() == (MONDAY + DAY).astimezone(LONDON)
    journey.handoff("refer", by="council", at=MONDAY + 2 * DAY)  # referred again
    _same_after_replay(journey, area_a)


def test_a_decline_goes_to_the_named_stage(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    journey.accept("refer", by="home-office", at=MONDAY)
    journey.handoff("decide", by="home-office", at=MONDAY + DAY)
    with pytest.raises(NotAuthorised):
        journey.decline("decide", reason="no-capacity", by="home-office", at=MONDAY + DAY)
    event = journey.decline("decide", reason="no-capacity", by="charity", at=MONDAY + 2 * DAY)
    assert (event.to_stage, journey.stage) == ("referred", "referred")
    _same_after_replay(journey, area_a)


def test_the_time_to_answer_is_a_deadline(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    answer = [d for d in journey.deadlines() if d.handoff == "refer"]
    assert [d.due for d in answer] == [date(2025, 3, 5)]  # 2 working days from Monday
    assert journey.overdue(datetime(2025, 3, 6, 9, 0, tzinfo=LONDON))
    journey.accept("refer", by="home-office", at=MONDAY)
    assert not [d for d in journey.deadlines() if d.handoff == "refer"]


def test_only_referrals_waiting_can_be_answered(area_a: CompiledPathway) -> None:
    journey = start(area_a, "LF-2", GIVEN, MONDAY, "council")
    with pytest.raises(ActionRefused, match="waits for an answer"):
        journey.accept("refer", by="home-office", at=MONDAY)


# Pauses


def test_a_paused_clock_moves_its_deadlines(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    journey.accept("refer", by="home-office", at=MONDAY)
    (limit,) = journey.deadlines()
    assert limit.due == date(2025, 3, 10)  # 5 working days from Monday 3 March
    with pytest.raises(ActionRefused, match="not a reason the clock") as caught:
        journey.pause(reason="hospital-stay", by="home-office", at=MONDAY)
    assert caught.value.allowed == ("victim-uncontactable",)
    with pytest.raises(NotAuthorised):
        journey.pause(reason="victim-uncontactable", by="council", at=MONDAY)
    journey.pause(reason="victim-uncontactable", by="home-office", at=MONDAY + DAY)
    assert journey.deadlines() == ()
    with pytest.raises(ActionRefused, match="resume it"):
        journey.handoff("decide", by="home-office", at=MONDAY + DAY)
    with pytest.raises(ActionRefused, match="already paused"):
        journey.pause(reason="victim-uncontactable", by="home-office", at=MONDAY + DAY)
    # Paused from Tuesday 4 to Tuesday 11 March: 5 working days, 7 calendar days.
    resumed = journey.resume(by="home-office", at=MONDAY + 8 * DAY)
    assert resumed.reason == "victim-uncontactable"
    (limit,) = journey.deadlines()
    assert limit.due == date(2025, 3, 17)
    assert journey.lifecycle.held == {"main": (5, 7)}
    _same_after_replay(journey, area_a)
    journey.handoff("decide", by="home-office", at=MONDAY + 9 * DAY)
    assert journey.lifecycle.held == {}


def test_a_stage_without_pause_reasons_cannot_be_paused(area_a: CompiledPathway) -> None:
    journey = start(area_a, "LF-3", GIVEN, MONDAY, "council")
    with pytest.raises(ActionRefused, match="may not be paused"):
        journey.pause(reason="victim-uncontactable", by="council", at=MONDAY)
    with pytest.raises(ActionRefused, match="not paused"):
        journey.resume(by="council", at=MONDAY)


# Journey-level actions


def test_withdrawal_ends_the_journey_with_its_reason(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    with pytest.raises(ActionRefused, match="victim-withdraws-consent"):
        journey.withdraw(reason="bored", by="council", at=MONDAY)
    event = journey.withdraw(reason="victim-withdraws-consent", by="council", at=MONDAY + DAY)
    assert (event.what, event.reason, event.from_stage) == (
        "withdrawn",
        "victim-withdraws-consent",
        "referred",
    )
    assert journey.closed
    with pytest.raises(JourneyClosed, match="withdrawn: victim-withdraws-consent"):
        journey.accept("refer", by="home-office", at=MONDAY + 2 * DAY)
    _same_after_replay(journey, area_a)


def test_closing_early_is_for_the_roles_the_pathway_names(area_a: CompiledPathway) -> None:
    journey = start(area_a, "LF-4", GIVEN, MONDAY, "council")
    with pytest.raises(NotAuthorised, match="Home Office"):
        journey.close(reason="duplicate-journey", by="council", at=MONDAY)
    assert journey.close(reason="duplicate-journey", by="home-office", at=MONDAY).what == (
        "closed-early"
    )
    assert journey.closed


def test_a_transfer_continues_on_the_other_area(
    area_a: CompiledPathway, area_b: CompiledPathway
) -> None:
    journey = _referred(area_a)
    with pytest.raises(ActionRefused, match="awaits an answer"):
        journey.transfer("move-to-area-b", area_b, by="council", at=MONDAY)
    journey.accept("refer", by="home-office", at=MONDAY)
    with pytest.raises(ActionRefused, match="goes to test/area-b"):
        journey.transfer("move-to-area-b", area_a, by="council", at=MONDAY)
    with pytest.raises(NotAuthorised):
        journey.transfer("move-to-area-b", area_b, by="charity", at=MONDAY)
    event = journey.transfer("move-to-area-b", area_b, by="council", at=MONDAY + DAY)
    assert journey.compiled is area_b
    assert journey.stage == "referred"
    assert dict(event.detail)["fingerprint"] == area_b.fingerprint
    assert dict(event.detail)["moves"] == {"main": ["referred", "referred"]}
    assert journey.arrived() == MONDAY.astimezone(LONDON)  # the clock carries on
    journey.handoff("decide", by="home-office", at=MONDAY + 2 * DAY)
    _same_after_replay(journey, area_a, area_b)
    assert Event.from_dict(event.to_dict()) == event


# Corrections


def test_a_handoff_made_in_error_is_voided_not_erased(area_a: CompiledPathway) -> None:
    journey = start(area_a, "LF-5", GIVEN, MONDAY, "council")
    journey.handoff("notify", by="council", at=MONDAY)
    assert journey.closed
    with pytest.raises(NotAuthorised):
        journey.void(1, reason="recorded-in-error", by="home-office", at=MONDAY + DAY)
    with pytest.raises(ActionRefused, match="not a reason"):
        journey.void(1, reason="oops", by="council", at=MONDAY + DAY)
    voided = journey.void(1, reason="recorded-in-error", by="council", at=MONDAY + DAY)
    assert (voided.what, voided.ref, voided.reason) == ("voided", 1, "recorded-in-error")
    assert journey.stage == "identified"
    assert not journey.closed
    assert [e.what for e in journey.history] == ["started", "handoff", "voided"]
    journey.handoff("refer", by="council", at=MONDAY + 2 * DAY)
    _same_after_replay(journey, area_a)
    with pytest.raises(ActionRefused, match="voided already"):
        journey.void(1, reason="duplicate", by="council", at=MONDAY + 3 * DAY)


def test_a_void_later_events_depend_on_is_refused(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    journey.accept("refer", by="home-office", at=MONDAY)
    with pytest.raises(ActionRefused, match="cannot be voided"):
        journey.void(1, reason="recorded-in-error", by="council", at=MONDAY + DAY)
    assert journey.stage == "referred"
    assert journey.event_count == 3


def test_a_wrong_time_is_amended_within_the_rules(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    journey.accept("refer", by="home-office", at=MONDAY + 3 * DAY)
    amended = journey.amend(2, to=MONDAY + DAY, by="home-office", at=MONDAY + 4 * DAY)
    assert dict(amended.detail)["at"] == utc_text(MONDAY + DAY)
    assert journey.lifecycle.amended == {2: (MONDAY + DAY).astimezone(UTC)}
    assert journey.arrived() == MONDAY  # the referral's own time is unchanged
    with pytest.raises(ActionRefused, match="cannot be amended"):
        journey.amend(1, to=MONDAY - DAY, by="council", at=MONDAY + 4 * DAY)  # before opening
    with pytest.raises(ActionRefused, match="after the correction"):
        journey.amend(2, to=MONDAY + 9 * DAY, by="home-office", at=MONDAY + 4 * DAY)
    _same_after_replay(journey, area_a)


def test_corrections_need_the_history(area_a: CompiledPathway) -> None:
    journey = _referred(area_a)
    bound = bind(area_a, journey.snapshot())
    with pytest.raises(HistoryNotLoaded):
        bound.void(1, reason="recorded-in-error", by="council", at=MONDAY)
