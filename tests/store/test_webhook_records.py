"""The webhook records in the store's database: subscriptions, deliveries and numbered
attempts, the same on SQLite and PostgreSQL, and revision 0003 on a database written
by the release before it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import inspect

from pathways.errors import InvalidRequest
from pathways.store import JourneyStore, check_database, create_engine
from pathways.store.migrations import current, downgrade, head
from pathways.store.webhooks import WebhookRecords
from store.helpers import MONDAY, Database
from store.test_migration_0003_worklists import _release_database

SECRET = "whsec_" + "A" * 43 + "="


def _records(store: JourneyStore) -> WebhookRecords:
    return WebhookRecords(store.engine, store.tables.prefix)


def test_subscriptions_are_kept_listed_and_removed(store: JourneyStore) -> None:
    records = _records(store)
    council = records.subscribe(
        "sub_1", "council", "https://a.example/h", ["handoff", "handoff"], SECRET, at=MONDAY
    )
    records.subscribe("sub_2", "police", "https://b.example/h", [], SECRET, at=MONDAY)
    assert council.events == ("handoff",)
    assert [s.id for s in records.subscriptions()] == ["sub_1", "sub_2"]
    assert records.subscriptions("council") == [council]
    assert council.wants("handoff")
    assert not council.wants("accepted")
    records.set_state("sub_2", "removed")
    assert [s.id for s in records.subscriptions()] == ["sub_1"]
    assert records.subscription("sub_2").state == "removed"
    assert not records.subscription("sub_2").wants("handoff")
    with pytest.raises(InvalidRequest):
        records.set_state("sub_9", "removed")
    with pytest.raises(InvalidRequest):
        records.set_state("sub_1", "paused")


def test_a_delivery_is_opened_once_and_every_attempt_is_numbered(store: JourneyStore) -> None:
    records = _records(store)
    records.subscribe("sub_1", "council", "https://a.example/h", [], SECRET, at=MONDAY)
    payload = {"type": "journey.handoff", "data": {"case_ref": "C-1"}}
    first = records.open_delivery("msg_1_sub_1", "sub_1", "C-1", 2, "handoff", payload, at=MONDAY)
    again = records.open_delivery("msg_1_sub_1", "sub_1", "C-1", 2, "handoff", {}, at=MONDAY)
    assert first == again
    assert again.payload == payload
    assert again.state == "pending"
    later = MONDAY + timedelta(seconds=5)
    failed = records.record(
        "msg_1_sub_1", status=None, error="timeout", ms=10_000, at=MONDAY, state="pending"
    )
    done = records.record("msg_1_sub_1", status=200, error=None, ms=12, at=later, state="delivered")
    assert (failed.attempts, done.attempts, done.state) == (1, 2, "delivered")
    # a late attempt of another consumer cannot undo a delivery
    late = records.record("msg_1_sub_1", status=500, error="http-500", ms=3, at=later, state="dead")
    assert late.state == "delivered"
    attempts = records.attempts("msg_1_sub_1")
    assert [(a.number, a.status, a.error) for a in attempts] == [
        (1, None, "timeout"),
        (2, 200, None),
        (3, 500, "http-500"),
    ]
    assert attempts[1].at == later
    assert records.deliveries(state="delivered") == [late]
    assert records.deliveries(state="dead") == []


def test_consumers_recording_attempts_at_once_lose_none(store: JourneyStore) -> None:
    records = _records(store)
    records.subscribe("sub_1", "council", "https://a.example/h", [], SECRET, at=MONDAY)
    records.open_delivery("msg_1_sub_1", "sub_1", "C-1", 1, "started", {}, at=MONDAY)

    def attempt(_: int) -> int:
        return records.record(
            "msg_1_sub_1", status=503, error="http-503", ms=1, at=MONDAY, state="pending"
        ).attempts

    with ThreadPoolExecutor(4) as pool:
        numbers = sorted(pool.map(attempt, range(12)))
    assert numbers == list(range(1, 13))
    assert [a.number for a in records.attempts("msg_1_sub_1")] == numbers


def test_the_webhook_revision_upgrades_a_release_database_and_goes_back(
    database: Database,
) -> None:
    _release_database(database)
    with JourneyStore(database.url, prefix=database.prefix) as store:
        assert current(database.url, database.prefix) == head()
        assert store.case_refs() == ["R2-1", "R2-2", "R2-3", "R2-4", "R2-5"]
        assert check_database(store) == []
        assert _records(store).subscriptions(active=False) == []
        assert _records(store).deliveries() == []
    names = {f"{database.prefix}webhook_{n}" for n in ("subscriptions", "deliveries", "attempts")}
    engine = create_engine(database.url)
    try:
        with engine.connect() as conn:
            assert names <= set(inspect(conn).get_table_names())
        downgrade(database.url, database.prefix, "0002")
        with engine.connect() as conn:
            assert not names & set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    with JourneyStore(database.url, prefix=database.prefix) as store:
        assert store.case_refs() == ["R2-1", "R2-2", "R2-3", "R2-4", "R2-5"]
        assert check_database(store) == []
