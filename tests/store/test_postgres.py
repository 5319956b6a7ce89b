"""PostgreSQL's fast path for a change (`pathways.store.postgres`): one read and one statement
for the usual change, and the locked path whenever the fast path cannot be sure."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from pathways.errors import ConcurrentUpdate, StoreError
from pathways.store import JourneyStore, check_database
from pathways.store import postgres as fast_module
from store.helpers import ADULT, MONDAY, compiled_v1, drop_prefix, postgres_url

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg() -> Iterator[JourneyStore]:
    url = postgres_url()
    prefix = f"f{uuid.uuid4().hex[:12]}_"
    try:
        with JourneyStore(url, pathways=[compiled_v1()], prefix=prefix) as store:
            yield store
    finally:
        drop_prefix(url, prefix)


def locked_path_refused(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the locked path was taken")


def test_numbered_placeholders() -> None:
    assert fast_module.numbered("a = %s AND b = %s") == "a = $1 AND b = $2"
    assert fast_module.numbered("no placeholders") == "no placeholders"


def test_the_usual_changes_take_the_fast_path(
    pg: JourneyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg.create("PG-1", ADULT, at=MONDAY, by="council")
    monkeypatch.setattr(pg.locked, "load", locked_path_refused)
    moved = pg.handoff("PG-1", "assess", by="council", at=MONDAY, key="req-1")
    profile = pg.update_profile("PG-1", "consent", "given", by="council", at=MONDAY)
    nothing = pg.tick("PG-1", MONDAY)
    monkeypatch.undo()
    assert (moved.revision, profile.revision, nothing.revision) == (2, 3, 3)
    assert nothing.events == ()
    journey = pg.load("PG-1")
    assert journey.stage == "assessment"
    assert journey.profile["consent"] == "given"
    assert [e.what for e in journey.history] == ["started", "handoff", "profile"]
    r = pg.tables.requests
    with pg.engine.connect() as conn:
        row = conn.execute(select(r)).one()
    assert (row.key, row.case_ref, row.first_seq, row.count, row.revision) == (
        "req-1", "PG-1", 1, 1, 2
    )  # fmt: skip
    again = pg.handoff("PG-1", "assess", by="council", at=MONDAY, key="req-1")
    assert again.replayed
    assert again.events == moved.events
    pg.verify("PG-1")
    assert check_database(pg) == []


def interfere_once(monkeypatch: pytest.MonkeyPatch, other: JourneyStore) -> list[int]:
    """Make another writer change PG-1 between the fast path's read and its write, once."""
    real = fast_module.plan
    calls: list[int] = []

    def plan(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            other.update_profile("PG-1", "consent", "given", by="council", at=MONDAY)
        return real(*args)

    monkeypatch.setattr(fast_module, "plan", plan)
    return calls


def test_a_change_read_before_another_writer_is_made_again_on_the_locked_path(
    pg: JourneyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg.create("PG-1", ADULT, at=MONDAY, by="council")
    with JourneyStore(pg.engine.url, prefix=pg.tables.prefix, upgrade=False) as other:
        interfere_once(monkeypatch, other)
        applied = pg.handoff("PG-1", "assess", by="council", at=MONDAY)
    assert applied.revision == 3
    assert [e.what for e in pg.events("PG-1")] == ["started", "profile", "handoff"]
    assert pg.verify("PG-1")[-1].seq == 2
    assert check_database(pg) == []


def test_a_stale_expected_revision_is_refused_even_if_the_read_was_current(
    pg: JourneyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg.create("PG-1", ADULT, at=MONDAY, by="council")
    with JourneyStore(pg.engine.url, prefix=pg.tables.prefix, upgrade=False) as other:
        interfere_once(monkeypatch, other)
        with pytest.raises(ConcurrentUpdate):
            pg.handoff("PG-1", "assess", by="council", at=MONDAY, expected=1)
    assert [e.what for e in pg.events("PG-1")] == ["started", "profile"]
    pg.verify("PG-1")


def test_a_statement_the_database_refuses_is_made_again_on_the_locked_path(
    pg: JourneyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pg.fast is not None
    pg.create("PG-1", ADULT, at=MONDAY, by="council")
    monkeypatch.setitem(pg.fast.write, (True, False), "SELECT no_such_column")
    applied = pg.handoff("PG-1", "assess", by="council", at=MONDAY)
    monkeypatch.undo()
    assert applied.revision == 2
    assert pg.handoff("PG-1", "reconsider", by="council", at=MONDAY).revision == 3
    pg.verify("PG-1")


def test_a_connection_lost_while_writing_is_reported_and_replaced(
    pg: JourneyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg.create("PG-1", ADULT, at=MONDAY, by="council")
    real = fast_module.plan
    url = pg.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    def plan(*args: Any) -> Any:
        with psycopg.connect(url, autocommit=True) as admin:  # the fast path's read was last
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND query LIKE %s",
                (f"SELECT j.fingerprint%{pg.tables.prefix}journeys%",),
            )
        return real(*args)

    monkeypatch.setattr(fast_module, "plan", plan)
    with pytest.raises(StoreError, match="may or may not have been stored"):
        pg.handoff("PG-1", "assess", by="council", at=MONDAY)
    monkeypatch.undo()
    assert pg.handoff("PG-1", "assess", by="council", at=MONDAY).revision == 2
    pg.verify("PG-1")
