"""Benchmark: durable handoffs per second through the journey store, against raw row writes.

Run with `.venv/bin/python benchmarks/bench_store.py [--handoffs N] [--postgres URL]`.
PostgreSQL is measured when `--postgres` or `PATHWAYS_TEST_DATABASE_URL` names a server.

Each side does the same work per handoff, one committed transaction each, measured in the same
run on this machine:

- **store**: `JourneyStore.handoff` (lock the journey, bind it, run the pathway's checks, append
  the hash-chained event, update the journey row and its position, all in one transaction).
- **raw**: the driver itself (`sqlite3` / `psycopg`) in one transaction per handoff: insert an
  equivalent event row, update the journey row and update its position row, on the same tables.

SQLite: one writer (WAL, `synchronous=FULL`, so every commit is on disk). PostgreSQL: 8 writer
processes, each on journeys of its own. The target is at least 0.5x of raw.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from pathways.store import JourneyStore  # noqa: E402
from store_fixtures import ADULT, MONDAY, compiled_v1, drop_prefix, flip  # noqa: E402

WRITERS = 8


def store_writer(url: str, prefix: str, cases: list[str], count: int) -> float:
    """Hand off `count` times across `cases` through the store; seconds taken."""
    with JourneyStore(url, prefix=prefix, upgrade=False) as store:
        stages = {c: store.load(c, history=False).stage for c in cases}
        start = time.perf_counter()
        for number in range(count):
            case_ref = cases[number % len(cases)]
            applied = store.handoff(case_ref, flip(stages[case_ref]), by="council", at=MONDAY)
            stages[case_ref] = applied.events[0].to_stage or stages[case_ref]
        return time.perf_counter() - start


_EVENT = (
    "INSERT INTO {p}events (case_ref, seq, kind, at, agency, handoff, from_stage, to_stage, "
    "shares, started, profile, change, hash) VALUES ({v})"
)
_JOURNEY = (
    "UPDATE {p}journeys SET event_count = {x}, revision = revision + 1, head_hash = {x}, "
    "last_event_at = {x}, overdue_from = {x} WHERE case_ref = {x}"
)
_POSITION = (
    "UPDATE {p}positions SET stage = {x}, since = {x} WHERE case_ref = {x} AND track = 'main'"
)


def raw_writer(url: str, prefix: str, cases: list[str], count: int, sqlite: bool) -> float:
    """The same row writes with the bare driver, one transaction per handoff; seconds taken."""
    mark = "?" if sqlite else "%s"
    event = _EVENT.format(p=prefix, v=", ".join([mark] * 13))
    journey = _JOURNEY.format(p=prefix, x=mark)
    position = _POSITION.format(p=prefix, x=mark)
    if sqlite:
        conn: object = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            conn.execute(f"PRAGMA {pragma}")  # type: ignore[attr-defined]
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    seqs = dict.fromkeys(cases, 1)
    at = MONDAY.astimezone(UTC)
    when = at.replace(tzinfo=None).isoformat(" ") if sqlite else at
    start = time.perf_counter()
    for number in range(count):
        case_ref = cases[number % len(cases)]
        seq = seqs[case_ref]
        seqs[case_ref] += 1
        row = (
            case_ref, seq, "handoff", when, "council", "assess", "identified", "assessment",
            "[]", "[]", None, None, uuid.uuid4().hex * 2,
        )  # fmt: skip
        cur = conn.cursor()  # type: ignore[attr-defined]
        if sqlite:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(event, row)
        cur.execute(journey, (seq + 1, row[-1], when, when, case_ref))
        cur.execute(position, ("assessment", when, case_ref))
        conn.commit() if not sqlite else cur.execute("COMMIT")  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    conn.close()  # type: ignore[attr-defined]
    return elapsed


def prepare(url: str, prefix: str, cases: list[str]) -> None:
    with JourneyStore(url, pathways=[compiled_v1()], prefix=prefix) as store:
        for case_ref in cases:
            store.create(case_ref, ADULT, at=MONDAY, by="council")


def run_sqlite(count: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        cases = [f"B-{n}" for n in range(10)]
        prepare(url, "store_", cases)
        prepare(url, "raw_", cases)
        store = count / store_writer(url, "store_", cases, count)
        raw = count / raw_writer(url, "raw_", cases, count, sqlite=True)
    return store, raw


def run_postgres(url: str, count: int) -> tuple[float, float]:
    prefixes = [f"b{uuid.uuid4().hex[:8]}_", f"r{uuid.uuid4().hex[:8]}_"]
    jobs = {p: [[f"B-{w}-{n}" for n in range(4)] for w in range(WRITERS)] for p in prefixes}
    context = multiprocessing.get_context("spawn")
    try:
        for prefix in prefixes:
            prepare(url, prefix, [c for cases in jobs[prefix] for c in cases])
        rates = []
        for prefix, raw in zip(prefixes, (False, True), strict=True):
            with context.Pool(WRITERS) as pool:
                start = time.perf_counter()
                if raw:
                    args = [(url, prefix, cases, count, False) for cases in jobs[prefix]]
                    pool.starmap(raw_writer, args)
                else:
                    pool.starmap(store_writer, [(url, prefix, c, count) for c in jobs[prefix]])
                rates.append(WRITERS * count / (time.perf_counter() - start))
        return rates[0], rates[1]
    finally:
        for prefix in prefixes:
            drop_prefix(url, prefix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--handoffs", type=int, default=500, help="per writer (default 500)")
    parser.add_argument("--postgres", default=os.environ.get("PATHWAYS_TEST_DATABASE_URL"))
    args = parser.parse_args()
    print(f"{'database':<34}{'store/s':>10}{'raw/s':>10}{'ratio':>8}")
    store, raw = run_sqlite(args.handoffs)
    print(
        f"{'SQLite, 1 writer, synchronous=FULL':<34}{store:>10.0f}{raw:>10.0f}{store / raw:>7.2f}x"
    )
    if args.postgres:
        store, raw = run_postgres(args.postgres, args.handoffs // 2)
        label = f"PostgreSQL, {WRITERS} writers"
        print(f"{label:<34}{store:>10.0f}{raw:>10.0f}{store / raw:>7.2f}x")
    else:
        print("PostgreSQL: skipped (pass --postgres URL or set PATHWAYS_TEST_DATABASE_URL)")
    print(json.dumps({"target": "store >= 0.5x raw"}))


if __name__ == "__main__":
    main()
