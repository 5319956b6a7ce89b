"""Who and when: every event is recorded at the database's clock, and late recording shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.opening import start
from pathways.store import JourneyStore, rollout
from pathways.store.imports import store_all
from store.helpers import ADULT, CHILD, MONDAY, compiled_v2


def _now() -> datetime:
    return datetime.now(UTC)


def test_every_write_path_records_the_database_time(
    store: JourneyStore, compiled: CompiledPathway, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _now() - timedelta(seconds=5)
    store.create("RA-1", CHILD, at=MONDAY, by="council", staff="sw-1")
    store.handoff("RA-1", "assess", by="council", at=MONDAY + timedelta(hours=1))  # fast path
    draft = store.draft("RA-1")
    draft.journey.handoff("reconsider", by="council", at=MONDAY + timedelta(hours=2))
    store.save(draft)
    monkeypatch.setattr(store, "fast", None)
    store.handoff("RA-1", "assess", by="council", at=MONDAY + timedelta(hours=3))  # locked
    monkeypatch.undo()
    imported = start(compiled, "RA-2", ADULT, MONDAY, "council")
    imported.handoff("assess", by="council", at=MONDAY + timedelta(hours=1))
    store_all(store, [imported])
    rollout(store, compiled_v2(), {"assessment": "triage"}, at=MONDAY + timedelta(days=1))
    after = _now() + timedelta(seconds=5)
    recorded = store.recorded("RA-1") + store.recorded("RA-2")
    assert [(r.case_ref, r.seq) for r in recorded] == [("RA-1", n) for n in range(4)] + [
        ("RA-2", 0), ("RA-2", 1),
    ]  # fmt: skip
    for row in recorded:
        # the caller said March 2025; the database says now
        assert row.recorded_at is not None
        assert before <= row.recorded_at <= after
        assert row.delay is not None
        assert row.delay > timedelta(days=300)
    assert recorded[0].staff == "sw-1"
    assert recorded[0].by == "council"
    r = store.tables.rollouts
    with store.reading() as conn:
        times = conn.execute(select(r.c.recorded_at)).scalars().all()
    assert len(times) == 2
    assert all(before <= t <= after for t in times)


def test_the_caller_cannot_choose_the_recorded_time(store: JourneyStore) -> None:
    """Whatever `at` says (within the store's clock check), `recorded_at` is the database's."""
    at = _now() - timedelta(days=2)
    store.create("RA-3", CHILD, at=at, by="council")
    [row] = store.recorded("RA-3")
    assert row.at == at
    assert row.recorded_at is not None
    assert abs(row.recorded_at - _now()) < timedelta(seconds=30)


def test_late_lists_only_what_was_recorded_late(store: JourneyStore) -> None:
    now = _now()
    store.create("ON-TIME", CHILD, at=now - timedelta(minutes=5), by="council")
    store.create("LATE", CHILD, at=now - timedelta(days=3), by="council", staff="sw-9")
    store.handoff("LATE", "assess", by="constabulary", at=now - timedelta(hours=2), staff="p-4")
    late = store.late(timedelta(hours=24))
    assert [(r.case_ref, r.seq, r.staff) for r in late] == [("LATE", 0, "sw-9")]
    assert late[0].delay is not None
    assert late[0].delay > timedelta(days=2, hours=23)
    assert [(r.case_ref, r.seq) for r in store.late(timedelta(hours=1))] == [
        ("LATE", 0), ("LATE", 1),
    ]  # fmt: skip
    assert [r.seq for r in store.late(timedelta(hours=1), agency="constabulary")] == [1]
    assert store.late(timedelta(hours=1), since=now + timedelta(hours=1)) == []
    assert store.late(timedelta(hours=1), until=now - timedelta(hours=1)) == []
    assert store.late(timedelta(days=4)) == []
