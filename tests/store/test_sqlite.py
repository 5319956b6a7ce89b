"""The SQLite driver (`pathways.store.sqlite`): durable commits, an in-memory database, and stored
times that keep the hour a clock goes back over.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import utc_text as utc
from pathways.store import JourneyStore
from pathways.store.sqlite import SqlitePath, text_time
from store.helpers import (
    ADULT,
    LONDON,
    MONDAY,
    Database,
)


def test_sqlite_commits_are_durable(database: Database, store: JourneyStore) -> None:
    if database.backend != "sqlite":
        pytest.skip("SQLite settings only")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_an_in_memory_sqlite_database_lends_its_pooled_connection(
    compiled: CompiledPathway,
) -> None:
    with JourneyStore("sqlite://", pathways=[compiled]) as store:
        assert isinstance(store.fast, SqlitePath)
        assert store.fast.file is None
        store.create("ST-1", ADULT, at=MONDAY, by="council")
        assert store.handoff("ST-1", "assess", by="council", at=MONDAY).revision == 2
        assert store.load("ST-1").stage == "assessment"
        store.verify("ST-1")


def test_stored_times_keep_the_hour_a_clock_goes_back_over() -> None:
    once = datetime(2025, 10, 26, 1, 30, tzinfo=LONDON)  # BST, then GMT
    twice = once.replace(fold=1)
    assert once == twice  # and they hash alike: a cache keyed on the time would mix them up
    assert hash(once) == hash(twice)
    assert (text_time(once), text_time(twice)) == (
        "2025-10-26 00:30:00.000000", "2025-10-26 01:30:00.000000"
    )  # fmt: skip
    assert (utc(once), utc(twice)) == ("2025-10-26T00:30:00+00:00", "2025-10-26T01:30:00+00:00")
