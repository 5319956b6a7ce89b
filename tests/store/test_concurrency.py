"""Many writers at once (PostgreSQL), and a writer killed mid-write (SQLite)."""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text, update

from pathways.store import JourneyStore, check_database
from store.helpers import (
    ADULT,
    MONDAY,
    compiled_v1,
    crash_writer,
    drop_prefix,
    flip,
    handoff_worker,
    postgres_url,
)

WORKERS = 8
HANDOFFS = 500
CASES = [f"CC-{n:02d}" for n in range(16)]


@pytest.mark.postgres
@pytest.mark.slow
def test_eight_processes_lose_no_handoff_and_record_none_twice() -> None:
    url = postgres_url()
    prefix = f"c{random.Random().getrandbits(40):010x}_"
    try:
        with JourneyStore(url, pathways=[compiled_v1()], prefix=prefix) as store:
            for case_ref in CASES:
                store.create(case_ref, ADULT, at=MONDAY, by="council")
        context = multiprocessing.get_context("spawn")
        jobs = [(url, prefix, w, HANDOFFS, CASES, 1000 + w) for w in range(WORKERS)]
        with context.Pool(WORKERS) as pool:
            results = pool.starmap(handoff_worker, jobs)
        accepted = [item for result in results for item in result]
        assert len(accepted) == WORKERS * HANDOFFS
        with JourneyStore(url, prefix=prefix, upgrade=False) as store:
            per_case = Counter(case_ref for _, case_ref, _ in accepted)
            # every accepted handoff is in the log exactly once, where the store said it was
            assert len({(case_ref, seq) for _, case_ref, seq in accepted}) == len(accepted)
            r = store.tables.requests
            with store.engine.connect() as conn:
                requests = {row.key: row for row in conn.execute(select(r))}
            assert len(requests) == len(accepted)
            for key, case_ref, seq in accepted:
                row = requests[key]
                assert (row.case_ref, row.first_seq, row.count) == (case_ref, seq, 1)
            for case_ref in CASES:
                events = store.verify(case_ref)
                assert len(events) == 1 + per_case[case_ref]  # no update was lost
                stage = "identified"
                for event in events[1:]:
                    assert event.trigger == flip(stage)
                    stage = event.to_stage or stage
            assert check_database(store) == []
    finally:
        drop_prefix(url, prefix)


@pytest.mark.postgres
def test_a_writer_that_waited_for_the_lock_reads_what_the_other_writer_left() -> None:
    """The locked path's read waits for another writer's transaction; once that commits, it
    sees the track where that writer left it, with the journey row it left (a locking read
    joined to the positions saw the new row with the old positions on PostgreSQL, so a writer
    could move a track on from a stage it had already left)."""
    url = postgres_url()
    prefix = f"c{random.Random().getrandbits(40):010x}_"
    try:
        with JourneyStore(url, pathways=[compiled_v1()], prefix=prefix) as store:
            store.create("LK-1", ADULT, at=MONDAY, by="council")
            j, p = store.tables.journeys, store.tables.positions
            found: dict[str, Any] = {}

            def waiting_reader() -> None:
                with store.writing() as conn:
                    found["stored"] = store.locked.load(conn, "LK-1", lock=True)

            elsewhere = create_engine(url)  # another process's connection, in effect
            with elsewhere.connect() as other:
                # another writer's change, not yet committed: the track moved, the row updated
                other.execute(update(p).where(p.c.case_ref == "LK-1").values(stage="assessment"))
                other.execute(
                    update(j).where(j.c.case_ref == "LK-1").values(revision=j.c.revision + 1)
                )
                reader = threading.Thread(target=waiting_reader)
                reader.start()
                _wait_for_a_lock_wait(other, prefix)
                other.commit()
                reader.join(30)
            elsewhere.dispose()
            assert not reader.is_alive()
            stored = found["stored"]
            assert stored.row.revision == 2
            assert {place.track: place.stage for place in stored.places} == {"main": "assessment"}
    finally:
        drop_prefix(url, prefix)


def _wait_for_a_lock_wait(conn: Any, prefix: str) -> None:
    """Until another session waits for a row lock on a query of these tables (at most 20 s)."""
    deadline = time.monotonic() + 20
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE :tables AND pid <> pg_backend_pid()"
    )
    while not conn.execute(query, {"tables": f"%{prefix}journeys%"}).scalar():
        assert time.monotonic() < deadline, "the reader never waited for the lock"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_only_whole_handoffs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/crash.sqlite3"
    cases = CASES[:4]
    with JourneyStore(url, pathways=[compiled_v1()]) as store:
        for case_ref in cases:
            store.create(case_ref, ADULT, at=MONDAY, by="council")
    rng = random.Random(20251219)
    context = multiprocessing.get_context("spawn")
    committed: list[tuple[str, str]] = []
    for round_ in range(6):
        log = tmp_path / f"round-{round_}.log"
        log.touch()
        writer = context.Process(target=crash_writer, args=(url, round_, cases, str(log)))
        writer.start()
        deadline = time.monotonic() + 60
        while not log.read_text() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.4))
        writer.kill()  # SIGKILL
        writer.join()
        assert writer.exitcode == -9
        lines = log.read_text().splitlines()
        assert lines, "the writer never committed a handoff"
        committed += [tuple(line.split()) for line in lines if line.count(" ") == 1]  # type: ignore[misc]
        with JourneyStore(url) as store:
            assert check_database(store) == []
            r = store.tables.requests
            with store.engine.connect() as conn:
                requests = {row.key: row for row in conn.execute(select(r))}
            for key, case_ref in committed:  # every commit that returned is there
                assert requests[key].case_ref == case_ref
            total = sum(len(store.verify(case_ref)) for case_ref in cases)
            assert total == len(cases) + len(requests)  # one event per request, no fragments
