"""The rule holes of issue 15, closed: each reproduced through the public runtime API.

A stage's `at_least` is enforced; a timeout happens only through `tick`; times are compared as
instants (the hour when the clocks go back); absurd years are refused; only the roles a change
names may record it; every event carries the agency and an optional opaque staff reference.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.errors import InvalidStaffReference, InvalidTime, NotAuthorised, TooEarly
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.events import Event
from pathways.runtime.opening import replay, start
from runtime.lifecycle_pathway import DECLINED, LONDON, MONDAY, TEXT


@pytest.fixture(scope="module")
def compiled() -> CompiledPathway:
    return compile_pathway(load_text(TEXT))


def test_a_stage_minimum_stay_is_enforced(compiled: CompiledPathway) -> None:
    journey = start(compiled, "LC-1", DECLINED, MONDAY, "council")
    journey.handoff("recover", by="council", at=MONDAY)
    with pytest.raises(TooEarly, match="at least 30 calendar days") as caught:
        journey.handoff("move-on", by="charity", at=MONDAY + timedelta(hours=1))
    assert caught.value.stage == "recovery"
    assert "02 April 2025 00:00" in str(caught.value)
    assert journey.earliest() == datetime(2025, 4, 2, tzinfo=LONDON)
    with pytest.raises(TooEarly):
        journey.handoff("move-on", by="charity", at=datetime(2025, 4, 1, 23, 59, tzinfo=LONDON))
    assert journey.event_count == 2
    journey.handoff("move-on", by="charity", at=datetime(2025, 4, 2, 0, 0, tzinfo=LONDON))
    assert journey.closed


def test_a_timeout_cannot_be_fired_early_by_no_agency(compiled: CompiledPathway) -> None:
    journey = start(compiled, "LC-2", DECLINED, MONDAY, "council")
    with pytest.raises(NotAuthorised, match="tick"):
        journey.handoff("lapse", by=None, at=MONDAY)  # type: ignore[arg-type]
    with pytest.raises(NotAuthorised):
        journey.handoff("lapse", by="", at=MONDAY)
    assert journey.event_count == 1
    assert journey.tick(MONDAY + timedelta(days=20)) == ()
    (fired,) = journey.tick(MONDAY + timedelta(days=40))
    assert (fired.what, fired.by, fired.trigger) == ("timeout", None, "lapse")


# 26 October 2025: clocks go back at 02:00 BST to 01:00 GMT, so 01:00-02:00 happens twice.
FIRST_0130 = datetime(2025, 10, 26, 1, 30, tzinfo=LONDON)  # 00:30 UTC
SECOND_0110 = datetime(2025, 10, 26, 1, 10, fold=1, tzinfo=LONDON)  # 01:10 UTC, later


def test_times_are_compared_as_instants_when_clocks_go_back(compiled: CompiledPathway) -> None:
    journey = start(compiled, "LC-3", DECLINED, FIRST_0130, "council")
    event = journey.handoff("recover", by="council", at=SECOND_0110)  # later in real time
    assert event.at == datetime(2025, 10, 26, 1, 10, tzinfo=UTC)
    earlier = datetime(2025, 10, 26, 1, 20, tzinfo=LONDON)  # 00:20 UTC: before 01:10 UTC
    with pytest.raises(InvalidTime, match="before the last event"):
        journey.update_profile("consent", "given", by="council", at=earlier)
    assert replay(compiled, "LC-3", journey.history) == journey


_FOLD_HOUR = st.builds(
    lambda minute, fold: datetime(2025, 10, 26, 1, minute, fold=fold, tzinfo=LONDON),
    st.integers(0, 59),
    st.integers(0, 1),
)


@given(first=_FOLD_HOUR, second=_FOLD_HOUR)
def test_a_later_instant_is_accepted_and_an_earlier_refused(
    compiled: CompiledPathway, first: datetime, second: datetime
) -> None:
    journey = start(compiled, "LC-4", DECLINED, first, "council")
    if second.astimezone(UTC) >= first.astimezone(UTC):
        assert journey.handoff("recover", by="council", at=second).at == second.astimezone(UTC)
    else:
        with pytest.raises(InvalidTime):
            journey.handoff("recover", by="council", at=second)


@pytest.mark.parametrize("year", [1999, 2100, 2205])
def test_an_absurd_year_is_refused_with_a_hint(compiled: CompiledPathway, year: int) -> None:
    with pytest.raises(InvalidTime, match="check the year"):
        start(compiled, "LC-5", DECLINED, MONDAY.replace(year=year), "council")
    journey = start(compiled, "LC-5", DECLINED, MONDAY, "council")
    with pytest.raises(InvalidTime, match="from 2000 to 2099"):
        journey.handoff("recover", by="council", at=MONDAY.replace(year=year))


def test_only_the_named_roles_may_record_a_profile_change(compiled: CompiledPathway) -> None:
    journey = start(compiled, "LC-6", DECLINED, MONDAY, "council")
    with pytest.raises(NotAuthorised, match="Testshire Support may not record consent") as no:
        journey.update_profile("consent", "given", by="charity", at=MONDAY)
    assert no.value.allowed == ("council",)
    assert journey.profile["consent"] == "declined"
    event = journey.update_profile("consent", "given", by="council", at=MONDAY)
    assert event.by == "council"


def test_every_event_carries_the_agency_and_an_optional_staff_reference(
    compiled: CompiledPathway,
) -> None:
    journey = start(compiled, "LC-7", DECLINED, MONDAY, "council", staff="sw-0042")
    moved = journey.handoff("recover", by="council", at=MONDAY, staff="sw-0042")
    assert (moved.by, moved.staff) == ("council", "sw-0042")
    assert journey.history[0].staff == "sw-0042"
    assert moved.to_dict()["staff"] == "sw-0042"
    assert Event.from_dict(moved.to_dict()) == moved
    assert replay(compiled, "LC-7", journey.history) == journey
    for bad in ("Jane Smith", "x" * 65, "", 42):
        with pytest.raises(InvalidStaffReference):
            journey.handoff("move-on", by="charity", at=MONDAY, staff=bad)  # type: ignore[arg-type]


def test_an_event_without_new_keys_keeps_its_old_canonical_form(compiled: CompiledPathway) -> None:
    journey = start(compiled, "LC-8", DECLINED, MONDAY, "council")
    data = journey.history[0].to_dict()
    assert list(data) == [
        "seq", "what", "at", "by", "trigger", "from", "to", "shares", "started", "profile",
        "change",
    ]  # fmt: skip
