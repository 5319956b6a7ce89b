"""Many writers at once (PostgreSQL), and a writer killed mid-write (SQLite)."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

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
