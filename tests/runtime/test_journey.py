"""The journey runtime, as a case system uses it (`pathways.runtime.journey`): handoffs and
refusals in order, profile changes, times, closing and history.

Opening, binding and replaying are in `test_opening.py`, time limits in `test_deadlines.py`, events
in `test_events.py`; the pathway they share is in `runtime.helpers` and `tests/runtime/conftest.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from pathways.errors import (
    ConditionNotMet,
    HandoffNotAvailable,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    NotAuthorised,
    PathwayError,
    ProfileChangeRefused,
    SharingNotPermitted,
    WaitingForTrack,
)
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.opening import start
from runtime.helpers import ADULT_DECLINES, CHILD, FRIDAY, child_referred

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


# History


def test_history_is_immutable(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    history = journey.history
    assert isinstance(history, tuple)
    with pytest.raises(AttributeError):
        history[0].by = "someone"  # type: ignore[misc]
