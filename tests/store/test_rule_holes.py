"""The rule holes of issue 15, closed through the journey store on SQLite and PostgreSQL.

Each refusal leaves nothing written (the revision and the events stay as they were) and the
database still verifies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pathways.definition.loader import load_text
from pathways.errors import InvalidStaffReference, InvalidTime, NotAuthorised, TooEarly
from pathways.runtime.compiler import compile_pathway
from pathways.store import JourneyStore, check_database
from runtime.lifecycle_pathway import DECLINED, MONDAY, TEXT
from store.helpers import Database

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(database: Database) -> Iterator[JourneyStore]:
    compiled = compile_pathway(load_text(TEXT))
    with JourneyStore(
        database.url, pathways=[compiled], prefix=database.prefix, clock=lambda: NOW
    ) as opened:
        yield opened


def _unchanged(store: JourneyStore, case_ref: str, revision: int) -> None:
    assert store.revision(case_ref) == revision
    assert check_database(store) == []


def test_at_least_is_enforced_by_the_store(store: JourneyStore) -> None:
    store.create("SH-1", DECLINED, at=MONDAY, by="council")
    store.handoff("SH-1", "recover", by="council", at=MONDAY)
    with pytest.raises(TooEarly):
        store.handoff("SH-1", "move-on", by="charity", at=MONDAY + timedelta(days=1))
    _unchanged(store, "SH-1", 2)
    store.handoff("SH-1", "move-on", by="charity", at=MONDAY + timedelta(days=30))
    assert store.load("SH-1").closed


def test_a_timeout_is_made_only_by_tick(store: JourneyStore) -> None:
    store.create("SH-2", DECLINED, at=MONDAY, by="council")
    with pytest.raises(NotAuthorised, match="tick"):
        store.handoff("SH-2", "lapse", by=None, at=MONDAY)  # type: ignore[arg-type]
    _unchanged(store, "SH-2", 1)
    assert store.tick("SH-2", MONDAY + timedelta(days=40)).events[0].trigger == "lapse"
    assert check_database(store) == []


@pytest.mark.parametrize(
    "at",
    [MONDAY.replace(year=2205), NOW + timedelta(minutes=6), NOW + timedelta(days=1)],
    ids=["2205", "six-minutes-ahead", "a-day-ahead"],
)
def test_a_time_from_the_future_is_refused_with_a_hint(store: JourneyStore, at: datetime) -> None:
    store.create("SH-3", DECLINED, at=MONDAY, by="council")
    with pytest.raises(InvalidTime, match="hint"):
        store.handoff("SH-3", "recover", by="council", at=at)
    with pytest.raises(InvalidTime):
        store.create("SH-4", DECLINED, at=at, by="council")
    _unchanged(store, "SH-3", 1)
    store.handoff("SH-3", "recover", by="council", at=NOW + timedelta(minutes=4))


def test_only_the_named_roles_record_a_profile_change(store: JourneyStore) -> None:
    store.create("SH-5", DECLINED, at=MONDAY, by="council")
    with pytest.raises(NotAuthorised):
        store.update_profile("SH-5", "consent", "given", by="charity", at=MONDAY)
    _unchanged(store, "SH-5", 1)
    store.update_profile("SH-5", "consent", "given", by="council", at=MONDAY, staff="sw-1")
    assert store.load("SH-5").profile["consent"] == "given"


def test_the_staff_reference_is_stored_and_checked(store: JourneyStore) -> None:
    store.create("SH-6", DECLINED, at=MONDAY, by="council", staff="sw-9")
    store.handoff("SH-6", "recover", by="council", at=MONDAY, staff="team/a:42", key="k-6")
    with pytest.raises(InvalidStaffReference):
        store.handoff("SH-6", "move-on", by="charity", at=NOW, staff="Jane Smith")
    events = store.events("SH-6")
    assert [(e.by, e.staff) for e in events] == [("council", "sw-9"), ("council", "team/a:42")]
    assert store.handoff(
        "SH-6", "recover", by="council", at=MONDAY, staff="team/a:42", key="k-6"
    ).replayed
    _unchanged(store, "SH-6", 2)
