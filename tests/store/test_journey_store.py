"""The journey store (`pathways.store.journey_store`): create, load, atomic changes, concurrency,
the drivers' paths and what is stored. Retries, idempotency keys, queries, SQLite and pathway
versions have their own test files."""

from __future__ import annotations

import threading
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, inspect, select, text

from pathways.errors import (
    ConcurrentUpdate,
    ConditionNotMet,
    DuplicateJourney,
    JourneyNotFound,
    SharingNotPermitted,
    StoreError,
)
from pathways.store import JourneyStore, check_database, idempotency
from pathways.store.sqlite import SqlitePath
from store.helpers import (
    ADULT,
    CHILD,
    MONDAY,
    Database,
    count,
)


def test_create_and_load_give_the_same_journey(store: JourneyStore) -> None:
    made = store.create("ST-1", CHILD, at=MONDAY, by="council")
    store.handoff("ST-1", "refer-to-nrm", by="council", at=MONDAY, shares=["account"])
    made.handoff("refer-to-nrm", by="council", at=MONDAY, shares=["account"])
    loaded = store.load("ST-1")
    assert loaded == made
    assert loaded.positions == {"main": "nrm-referral", "police": "crime-recorded"}
    assert store.revision("ST-1") == 2
    quick = store.load("ST-1", history=False)
    assert quick.snapshot() == made.snapshot()
    assert store.events("ST-1") == made.history


def test_create_refuses_a_duplicate_and_load_an_unknown_case(store: JourneyStore) -> None:
    store.create("ST-1", CHILD, at=MONDAY, by="council")
    with pytest.raises(DuplicateJourney):
        store.create("ST-1", ADULT, at=MONDAY, by="council")
    with pytest.raises(JourneyNotFound):
        store.load("ST-404")
    with pytest.raises(JourneyNotFound):
        store.handoff("ST-404", "assess", by="council", at=MONDAY)


def test_a_refused_handoff_writes_nothing(store: JourneyStore) -> None:
    store.create("ST-1", ADULT, at=MONDAY, by="council")
    with pytest.raises(ConditionNotMet):
        store.handoff("ST-1", "refer-to-nrm", by="council", at=MONDAY)
    with pytest.raises(SharingNotPermitted):
        store.handoff("ST-1", "assess", by="council", at=MONDAY, shares=["a note about her"])
    assert store.revision("ST-1") == 1
    assert count(store, "events", "ST-1") == 1


def test_a_change_is_atomic(store: JourneyStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.create("ST-1", CHILD, at=MONDAY, by="council")
    before = store.load("ST-1")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the power went off")

    # the last write of the transaction fails: everything before it must roll back
    monkeypatch.setattr(idempotency, "record", fail)  # on the locked path
    if isinstance(store.fast, SqlitePath):  # SQLite's own path writes the key with sqlite3
        monkeypatch.setattr(store.fast, "record", "INSERT INTO no_such_table VALUES (1)")
    with pytest.raises((RuntimeError, StoreError)):
        store.handoff("ST-1", "refer-to-nrm", by="council", at=MONDAY, key="req-1")
    monkeypatch.undo()
    assert store.load("ST-1") == before
    assert store.revision("ST-1") == 1
    assert count(store, "events", "ST-1") == 1
    assert count(store, "positions", "ST-1") == 1
    assert count(store, "requests") == 0
    store.verify("ST-1")


def test_a_stale_writer_gets_concurrent_update_and_nothing_is_lost(store: JourneyStore) -> None:
    store.create("ST-1", ADULT, at=MONDAY, by="council")
    first = store.draft("ST-1")
    second = store.draft("ST-1")
    first.journey.handoff("assess", by="council", at=MONDAY)
    store.save(first)
    second.journey.handoff("notify", by="council", at=MONDAY)
    with pytest.raises(ConcurrentUpdate):
        store.save(second)
    journey = store.load("ST-1")
    assert [e.trigger for e in journey.history] == [None, "assess"]
    with pytest.raises(ConcurrentUpdate):
        store.handoff("ST-1", "reconsider", by="council", at=MONDAY, expected=1)
    applied = store.handoff("ST-1", "reconsider", by="council", at=MONDAY, expected=2)
    assert applied.revision == 3
    store.verify("ST-1")


def every_kind_of_change(store: JourneyStore, case_ref: str) -> None:
    hour = timedelta(hours=1)
    store.create(case_ref, ADULT, at=MONDAY, by="council", key=f"{case_ref}-open")
    store.handoff(case_ref, "assess", by="council", at=MONDAY, key=f"{case_ref}-assess")
    store.update_profile(case_ref, "consent", "given", by="council", at=MONDAY + hour)
    store.handoff(case_ref, "refer-to-nrm", by="council", at=MONDAY + 2 * hour, shares=["account"])
    assert store.tick(case_ref, MONDAY + timedelta(days=1)).events == ()
    store.tick(case_ref, MONDAY + timedelta(days=30), key=f"{case_ref}-tick")
    draft = store.draft(case_ref)
    draft.journey.handoff("support", by="charity", at=MONDAY + timedelta(days=31),
                          shares=["address"])  # fmt: skip
    store.save(draft, key=f"{case_ref}-save")


def stored_rows(store: JourneyStore, case_ref: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the journey as the driver reads it (times as text on SQLite)."""
    found = {}
    for name, order, skip in [
        ("journeys", "case_ref", {"case_ref", "head_hash"}),
        ("positions", "track", {"case_ref"}),
        ("events", "seq", {"case_ref", "hash", "recorded_at"}),  # the database's clock
        ("requests", "first_seq", {"case_ref", "key", "request_hash"}),
    ]:
        table = getattr(store.tables, name)
        columns = ", ".join(c.name for c in table.columns if c.name not in skip)
        query = f"SELECT {columns} FROM {table.name} WHERE case_ref = ? ORDER BY {order}"
        with store.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                query = query.replace("?", "%s")
            found[name] = [tuple(r) for r in conn.exec_driver_sql(query, (case_ref,))]
    return found


def test_the_drivers_own_path_writes_what_the_locked_path_writes(
    store: JourneyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.fast is not None
    every_kind_of_change(store, "FA-1")
    monkeypatch.setattr(store, "fast", None)
    every_kind_of_change(store, "LO-1")
    monkeypatch.undo()
    fast, locked = stored_rows(store, "FA-1"), stored_rows(store, "LO-1")
    assert fast == locked
    assert len(fast["events"]) == 6
    assert len(fast["requests"]) == 4
    assert store.load("FA-1").closed
    assert [e.to_dict() for e in store.verify("FA-1")] == [
        e.to_dict() for e in store.verify("LO-1")
    ]
    assert check_database(store) == []


def test_profile_changes_and_ticks_are_stored(store: JourneyStore) -> None:
    store.create("ST-1", ADULT, at=MONDAY, by="council")
    changed = store.update_profile("ST-1", "consent", "given", by="council", at=MONDAY)
    assert changed.events[0].change is not None
    store.handoff("ST-1", "refer-to-nrm", by="council", at=MONDAY, shares=["account"])
    assert store.tick("ST-1", MONDAY + timedelta(days=1)).events == ()
    ticked = store.tick("ST-1", MONDAY + timedelta(days=30), key="tick-1")
    assert [e.trigger for e in ticked.events] == ["close-investigation"]
    assert store.tick("ST-1", MONDAY + timedelta(days=30), key="tick-1").replayed
    assert store.load("ST-1").positions["police"] == "no-further-action"


def test_only_opaque_codes_names_and_times_are_stored(store: JourneyStore) -> None:
    """Data minimisation: no column can hold a name, a note or other free text."""
    store.create("ST-1", CHILD, at=MONDAY, by="council")
    allowed_json = {
        ("pathway_versions", "definition"),  # the published pathway, not about a person
        ("journeys", "profile"),
        ("events", "shares"),
        ("events", "started"),
        ("events", "profile"),
        ("events", "change"),
        # a validated staff code, declared reason names, an event number, stage maps and times
        ("events", "extra"),
        # referral, pause and ending state: handoff, stage and reason names and times
        ("journeys", "lifecycle"),
        ("rollouts", "moves"),
        # the service's webhooks: kinds of event, and an event as the service shows it to the
        # subscribing agency (the columns above, never more)
        ("webhook_subscriptions", "events"),
        ("webhook_deliveries", "payload"),
    }
    words = ("name", "note", "comment", "text", "description", "narrative", "detail")
    prefix = store.tables.prefix
    inspector = inspect(store.engine)
    tables = [t for t in inspector.get_table_names() if t.startswith(prefix)]
    assert len(tables) == 15  # 14 tables (3 of them the service's webhooks) and Alembic's
    for table in tables:
        short = table.removeprefix(prefix)
        for column in inspector.get_columns(table):
            kind = column["type"]
            name = column["name"]
            assert not any(word in name for word in words), (table, name)
            if isinstance(kind, String):
                assert kind.length is not None, (table, name)
                # an endpoint URL, set by an operator, is the one longer text
                longest = 2000 if (short, name) == ("webhook_subscriptions", "url") else 200
                assert kind.length <= longest, (table, name, kind)
            elif isinstance(kind, JSON) or "JSON" in type(kind).__name__.upper():
                assert (short, name) in allowed_json, (table, name)
            else:
                assert isinstance(kind, Integer | Boolean | DateTime), (table, name, kind)
    # profile values are the pathway's declared values; items are names only
    with store.engine.connect() as conn:
        profile = conn.execute(select(store.tables.journeys.c.profile)).scalar_one()
    assert profile == CHILD


def test_changes_keep_one_connection_per_thread_with_the_engines_settings(
    database: Database, store: JourneyStore
) -> None:
    store.create("ST-1", ADULT, at=MONDAY, by="council")
    store.handoff("ST-1", "assess", by="council", at=MONDAY)
    if database.backend == "sqlite":
        fast = store.fast
        assert isinstance(fast, SqlitePath)
        assert fast.file is not None
        conn = fast._connection()
        assert conn is fast._connection()  # held, not checked out per change
        names = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        pragmas = [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names]
        assert pragmas == ["wal", 2, 1, 30000]
    found: list[BaseException] = []

    def other() -> None:
        try:
            store.handoff("ST-1", "reconsider", by="council", at=MONDAY)
        except BaseException as exc:  # pragma: no cover - reported below
            found.append(exc)

    worker = threading.Thread(target=other)
    worker.start()
    worker.join()
    assert found == []
    store.close()  # closes the held connections; the store can still be used
    assert store.handoff("ST-1", "assess", by="council", at=MONDAY).revision == 4
    assert [e.trigger for e in store.verify("ST-1")] == [None, "assess", "reconsider", "assess"]


def test_times_are_stored_in_utc(store: JourneyStore) -> None:
    store.create("ST-1", CHILD, at=MONDAY, by="council")
    with store.engine.connect() as conn:
        opened = conn.execute(select(store.tables.journeys.c.opened_at)).scalar_one()
        raw = conn.execute(text(f"SELECT opened_at FROM {store.tables.prefix}journeys")).scalar()
    assert opened == MONDAY
    assert opened.tzinfo == UTC
    assert str(raw).startswith("2025-03-03 09:00:00")  # London is on GMT in March
