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
