"""The referral lifecycle through the journey store on SQLite and PostgreSQL: every new event
is persisted, replayed by `rebuild` and verified by `check_database`, and tampering with one is
detected like tampering with any event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from pathways.definition.loader import load_text
from pathways.errors import ActionRefused, AwaitingAcceptance
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.store import JourneyStore, check_database, create_engine, rebuild
from runtime.lifecycle_pathway import AREA_A, AREA_B, GIVEN, MONDAY
from store.helpers import Database

DAY = timedelta(days=1)
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture
def areas() -> tuple[CompiledPathway, CompiledPathway]:
    return compile_pathway(load_text(AREA_A)), compile_pathway(load_text(AREA_B))


@pytest.fixture
def store(
    database: Database, areas: tuple[CompiledPathway, CompiledPathway]
) -> Iterator[JourneyStore]:
    with JourneyStore(
        database.url, pathways=[areas[0]], prefix=database.prefix, clock=lambda: NOW
    ) as opened:
        yield opened


def _everything(store: JourneyStore, area_b: CompiledPathway) -> None:
    store.create("LS-1", GIVEN, at=MONDAY, by="council", pathway="test/area-a", staff="sw-1")
    store.handoff("LS-1", "refer", by="council", at=MONDAY)
    store.decline("LS-1", "refer", reason="not-enough-information", by="home-office", at=MONDAY)
    store.handoff("LS-1", "refer", by="council", at=MONDAY + DAY, key="LS-1-refer-2")
    store.accept("LS-1", "refer", by="home-office", at=MONDAY + DAY, staff="ho-3")
    store.pause("LS-1", reason="victim-uncontactable", by="home-office", at=MONDAY + DAY)
    store.resume("LS-1", by="home-office", at=MONDAY + 4 * DAY)
    store.transfer("LS-1", "move-to-area-b", area_b, by="council", at=MONDAY + 5 * DAY)
    store.handoff("LS-1", "decide", by="home-office", at=MONDAY + 6 * DAY)
    store.decline("LS-1", "decide", reason="no-capacity", by="charity", at=MONDAY + 7 * DAY)
    store.withdraw("LS-1", reason="victim-withdraws-consent", by="council", at=MONDAY + 8 * DAY)
    store.create("LS-2", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
    store.handoff("LS-2", "notify", by="council", at=MONDAY)
    store.void("LS-2", 1, reason="recorded-in-error", by="council", at=MONDAY + DAY)
    store.handoff("LS-2", "refer", by="council", at=MONDAY + 2 * DAY)
    store.amend("LS-2", 3, to=MONDAY + DAY, by="council", at=MONDAY + 3 * DAY)
    store.close_early("LS-2", reason="duplicate-journey", by="home-office", at=MONDAY + 4 * DAY)


def test_every_lifecycle_event_is_stored_replayed_and_verified(
    store: JourneyStore, areas: tuple[CompiledPathway, CompiledPathway]
) -> None:
    _everything(store, areas[1])
    one = store.load("LS-1")
    assert one.compiled.fingerprint == areas[1].fingerprint
    assert one.closed
    assert one.lifecycle.ended == ("withdrawn", "victim-withdraws-consent")
    kinds = [e.what for e in store.events("LS-1")]
    assert kinds == [
        "started", "handoff", "declined", "handoff", "accepted", "paused", "resumed",
        "transferred", "handoff", "declined", "withdrawn",
    ]  # fmt: skip
    assert store.events("LS-1")[4].staff == "ho-3"
    two = store.load("LS-2")
    assert [e.what for e in store.events("LS-2")][-3:] == ["handoff", "amended", "closed-early"]
    assert two.lifecycle.voided == {1: "recorded-in-error"}
    assert rebuild(store, "LS-1") == one
    assert rebuild(store, "LS-2") == two
    assert check_database(store) == []


def test_a_refused_lifecycle_change_writes_nothing(
    store: JourneyStore, areas: tuple[CompiledPathway, CompiledPathway]
) -> None:
    store.create("LS-3", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
    store.handoff("LS-3", "refer", by="council", at=MONDAY)
    with pytest.raises(AwaitingAcceptance):
        store.handoff("LS-3", "decide", by="home-office", at=MONDAY)
    with pytest.raises(ActionRefused):
        store.decline("LS-3", "refer", reason="bad", by="home-office", at=MONDAY)
    with pytest.raises(ActionRefused):
        store.accept("LS-3", "decide", by="charity", at=MONDAY)
    assert store.revision("LS-3") == 2
    assert check_database(store) == []


def test_tampering_with_a_lifecycle_event_is_detected(
    store: JourneyStore, database: Database, areas: tuple[CompiledPathway, CompiledPathway]
) -> None:
    _everything(store, areas[1])
    events = store.tables.events
    engine = create_engine(database.url)
    with engine.begin() as conn:
        conn.execute(
            update(events)
            .where(events.c.case_ref == "LS-1", events.c.seq == 2)
            .values(extra={"reason": "duplicate-referral"})
        )
    engine.dispose()
    findings = check_database(store)
    assert [(f.case_ref, f.event) for f in findings][:1] == [("LS-1", 2)]


def test_a_journey_a_void_opens_again_is_not_stored_as_closed(store: JourneyStore) -> None:
    store.create("LS-9", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
    store.withdraw("LS-9", reason="victim-withdraws-consent", by="council", at=MONDAY)
    store.void("LS-9", 1, reason="recorded-in-error", by="council", at=MONDAY + DAY)
    assert not store.load("LS-9").closed
    assert store.find(open_only=True).case_refs == ("LS-9",)
    assert check_database(store) == []


def test_a_draft_moved_through_a_version_the_store_never_had_is_saved(
    store: JourneyStore, areas: tuple[CompiledPathway, CompiledPathway]
) -> None:
    area_a, area_b = areas
    store.create("LS-10", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
    draft = store.draft("LS-10")
    draft.journey.transfer("move-to-area-b", area_b, by="council", at=MONDAY)
    draft.journey.transfer("move-to-area-a", area_a, by="council", at=MONDAY + DAY)
    applied = store.save(draft)
    assert [e.what for e in applied.events] == ["transferred", "transferred"]
    assert store.load("LS-10").snapshot() == draft.journey.snapshot()
    assert rebuild(store, "LS-10").snapshot() == draft.journey.snapshot()
    assert check_database(store) == []
