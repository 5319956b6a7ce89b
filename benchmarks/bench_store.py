"""Benchmark: durable handoffs per second through the journey store, against raw row writes.

Run with `.venv/bin/python benchmarks/bench_store.py [--handoffs N] [--rounds R] [--postgres URL]`.
PostgreSQL is measured when `--postgres` or `PATHWAYS_TEST_DATABASE_URL` names a server.

Each side makes the same row writes per handoff, in one committed transaction, on tables of
the same schema (each side has its own table prefix):

- **store**: `JourneyStore.handoff` (read the journey, locked on SQLite and optimistically on
  PostgreSQL, bind it, run the pathway's checks, chain the event's hash, then write).
- **raw**: the driver itself (`sqlite3` / `psycopg`), knowing the journey's state already (it
  reads nothing): `INSERT` the event row; `UPDATE` the journey row's state, revision and head
  hash `WHERE case_ref = ? AND revision = ?` (checking that one row matched); `UPDATE` the
  position row of the track that moved (its stage, arrival and due date); commit. It writes
  the values the store writes (the journey's `overdue_from` and the position's due date at
  each stage are worked out with the runtime before timing), and after the run the two
  sides' rows are compared: the run fails if they differ.

The two sides alternate in rounds (store then raw, then raw then store, ...) inside the same
worker processes, which start each timed phase together at a barrier, so machine load and
warm caches affect both alike. A phase's rate is all its handoffs over the time from the first
writer's start to the last writer's end. SQLite: one writer (WAL, `synchronous=FULL`, so every
commit is on disk). PostgreSQL: 8 writer processes, each on journeys of its own. The target
is at least 0.5x of raw.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import queue
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from sqlalchemy import select  # noqa: E402

from pathways.runtime.opening import start  # noqa: E402
from pathways.store import JourneyStore, build_tables  # noqa: E402
from store.helpers import ADULT, MONDAY, compiled_v1, drop_prefix, flip  # noqa: E402

WRITERS = 8
WARMUP = 20
_OTHER = {"identified": "assessment", "assessment": "identified"}

_EVENT = (
    "INSERT INTO {p}events (case_ref, seq, kind, at, agency, handoff, from_stage, to_stage, "
    "shares, started, profile, change, hash) VALUES ({v})"
)
_JOURNEY = (
    "UPDATE {p}journeys SET profile = {x}, event_count = {x}, last_event_at = {x}, closed = {x}, "
    "closed_at = {x}, overdue_from = {x}, timeout_at = {x}, revision = {x}, head_hash = {x} "
    "WHERE case_ref = {x} AND revision = {x}"
)
_POSITION = (
    "UPDATE {p}positions SET stage = {x}, since = {x}, due = {x} WHERE case_ref = {x} AND "
    "track = {x}"
)


class StoreSide:
    """Handoffs through `JourneyStore`, round the writer's journeys."""

    def __init__(self, url: str, prefix: str, cases: list[str]) -> None:
        self.store = JourneyStore(url, prefix=prefix, upgrade=False)
        self.stages = {c: self.store.load(c, history=False).stage for c in cases}
        self.turn = itertools.cycle(cases)

    def handoff(self) -> None:
        case_ref = next(self.turn)
        applied = self.store.handoff(case_ref, flip(self.stages[case_ref]), by="council", at=MONDAY)
        self.stages[case_ref] = applied.events[0].to_stage or self.stages[case_ref]

    def close(self) -> None:
        self.store.close()


class RawSide:
    """The same row writes with the bare driver, one transaction per handoff."""

    def __init__(self, url: str, prefix: str, cases: list[str]) -> None:
        self.sqlite = url.startswith("sqlite")
        mark = "?" if self.sqlite else "%s"
        self.event = _EVENT.format(p=prefix, v=", ".join([mark] * 13))
        self.journey = _JOURNEY.format(p=prefix, x=mark)
        self.position = _POSITION.format(p=prefix, x=mark)
        self.conn: Any
        if self.sqlite:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
                self.conn.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        at = MONDAY.astimezone(UTC)
        self.when = at.replace(tzinfo=None).isoformat(" ") if self.sqlite else at
        self.due = {
            stage: due.astimezone(UTC).replace(tzinfo=None).isoformat(" ") if self.sqlite else due
            for stage, due in overdue_from().items()
        }
        self.profile = json.dumps(ADULT, sort_keys=True)
        self.state: dict[str, list[Any]] = {}
        cur = self.conn.cursor()
        for case_ref in cases:
            cur.execute(
                f"SELECT j.revision, j.event_count, p.stage FROM {prefix}journeys j JOIN "
                f"{prefix}positions p ON p.case_ref = j.case_ref AND p.track = 'main' "
                f"WHERE j.case_ref = {mark}",
                (case_ref,),
            )
            self.state[case_ref] = list(cur.fetchone())
        self.conn.commit()
        self.turn = itertools.cycle(cases)

    def handoff(self) -> None:
        case_ref = next(self.turn)
        revision, seq, stage = self.state[case_ref]
        to, when = _OTHER[stage], self.when
        head = uuid.uuid4().hex * 2
        event = (
            case_ref, seq, "handoff", when, "council", flip(stage), stage, to, "[]", "[]",
            "null", "null", head,
        )  # fmt: skip
        journey = (
            self.profile, seq + 1, when, False, None, self.due[to], None, revision + 1, head,
            case_ref, revision,
        )  # fmt: skip
        cur = self.conn.cursor()
        if self.sqlite:
            cur.execute("BEGIN IMMEDIATE")
        cur.execute(self.event, event)
        cur.execute(self.journey, journey)
        if cur.rowcount != 1:
            raise RuntimeError(f"{case_ref}: revision {revision} changed")
        cur.execute(self.position, (to, when, self.due[to], case_ref, "main"))
        if self.sqlite:
            cur.execute("COMMIT")
        else:
            self.conn.commit()
        self.state[case_ref] = [revision + 1, seq + 1, to]

    def close(self) -> None:
        self.conn.close()


def overdue_from() -> dict[str, Any]:
    """The journey's `overdue_from` at each stage the benchmark moves between, as the store
    writes it (worked out once, before timing, with the runtime)."""
    journey = start(compiled_v1(), "B-due", ADULT, MONDAY, "council")
    found = {}
    for _ in _OTHER:
        found[journey.stage] = min(d.overdue_from for d in journey.deadlines() if not d.timeout)
        journey.handoff(flip(journey.stage), by="council", at=MONDAY)
    return found


def worker(
    url: str,
    prefixes: dict[str, str],
    cases: list[str],
    count: int,
    rounds: int,
    barrier: Any,
    results: Any,
) -> None:
    """Warm up both sides, then run `rounds` timed phases of each, alternating their order."""
    sides = {"store": StoreSide(url, prefixes["store"], cases)}
    sides["raw"] = RawSide(url, prefixes["raw"], cases)
    for side in sides.values():
        for _ in range(WARMUP):
            side.handoff()
    for number in range(rounds):
        for name in ("store", "raw") if number % 2 == 0 else ("raw", "store"):
            side = sides[name]
            barrier.wait()
            start, cpu = time.monotonic(), time.process_time()
            for _ in range(count):
                side.handoff()
            end, cpu = time.monotonic(), time.process_time() - cpu
            results.put((number, name, start, end, cpu / count))
    for side in sides.values():
        side.close()


def same_rows(url: str, prefixes: dict[str, str]) -> None:
    """Check that both sides left the same journey, position and event rows (hashes aside)."""
    found: list[list[Any]] = []
    with (
        JourneyStore(url, prefix=prefixes["store"], upgrade=False) as store,
        store.engine.connect() as conn,
    ):
        for prefix in prefixes.values():
            t = build_tables(prefix)
            journeys = select(*[c for c in t.journeys.c if c.name != "head_hash"])
            events = select(*[c for c in t.events.c if c.name != "hash"])
            found.append(
                [
                    conn.execute(journeys.order_by(t.journeys.c.case_ref)).all(),
                    conn.execute(select(t.positions).order_by(*t.positions.primary_key)).all(),
                    conn.execute(events.order_by(*t.events.primary_key)).all(),
                ]
            )
    if found[0] != found[1]:
        raise SystemExit("the store and the raw side left different rows: the comparison is void")


def prepare(url: str, prefix: str, cases: list[str]) -> None:
    with JourneyStore(url, pathways=[compiled_v1()], prefix=prefix) as store:
        for case_ref in cases:
            store.create(case_ref, ADULT, at=MONDAY, by="council")


def rates(found: list[tuple[Any, ...]], handoffs: int) -> list[dict[str, float]]:
    """Per round: each side's handoffs per second (first start to last end), client CPU."""
    rounds = []
    for number in sorted({r[0] for r in found}):
        row: dict[str, float] = {}
        for name in ("store", "raw"):
            mine = [r for r in found if r[0] == number and r[1] == name]
            row[name] = handoffs / (max(r[3] for r in mine) - min(r[2] for r in mine))
            row[f"{name}_cpu_ms"] = 1000 * statistics.mean(r[4] for r in mine)
        row["ratio"] = row["store"] / row["raw"]
        rounds.append(row)
    return rounds


def run_sqlite(count: int, rounds: int, where: str | None) -> list[dict[str, float]]:
    with tempfile.TemporaryDirectory(dir=where) as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        cases = [f"B-{n}" for n in range(10)]
        prefixes = {"store": "store_", "raw": "raw_"}
        for prefix in prefixes.values():
            prepare(url, prefix, cases)
        results: queue.Queue[Any] = queue.Queue()
        worker(url, prefixes, cases, count, rounds, threading.Barrier(1), results)
        same_rows(url, prefixes)
        return rates([results.get() for _ in range(2 * rounds)], count)


def run_postgres(url: str, count: int, rounds: int, writers: int) -> list[dict[str, float]]:
    tag = uuid.uuid4().hex[:8]
    prefixes = {"store": f"bs{tag}_", "raw": f"br{tag}_"}
    jobs = [[f"B-{w}-{n}" for n in range(4)] for w in range(writers)]
    context = multiprocessing.get_context("spawn")
    try:
        for prefix in prefixes.values():
            prepare(url, prefix, [c for cases in jobs for c in cases])
        barrier, results = context.Barrier(writers), context.Queue()
        processes = [
            context.Process(
                target=worker, args=(url, prefixes, cases, count, rounds, barrier, results)
            )
            for cases in jobs
        ]
        for process in processes:
            process.start()
        found = [results.get(timeout=600) for _ in range(2 * rounds * writers)]
        for process in processes:
            process.join()
        same_rows(url, prefixes)
        return rates(found, writers * count)
    finally:
        for prefix in prefixes.values():
            drop_prefix(url, prefix)


def report(label: str, rounds: list[dict[str, float]]) -> dict[str, Any]:
    for number, row in enumerate(rounds, 1):
        name = f"{label}, round {number}"
        print(
            f"{name:<44}{row['store']:>10.0f}{row['raw']:>10.0f}{row['ratio']:>8.2f}x"
            f"{row['store_cpu_ms']:>10.2f}{row['raw_cpu_ms']:>10.2f}"
        )
    ratios = [row["ratio"] for row in rounds]
    summary = {
        "database": label,
        "store_per_s": round(statistics.median(r["store"] for r in rounds)),
        "raw_per_s": round(statistics.median(r["raw"] for r in rounds)),
        "median_ratio": round(statistics.median(ratios), 2),
        "lowest_ratio": round(min(ratios), 2),
        "target_met": statistics.median(ratios) >= 0.5,
    }
    print(
        f"{label + ', median':<44}{summary['store_per_s']:>10}{summary['raw_per_s']:>10}"
        f"{summary['median_ratio']:>8.2f}x"
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--handoffs", type=int, default=1000, help="per writer per round")
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds of each side")
    parser.add_argument("--writers", type=int, default=WRITERS, help="PostgreSQL writers")
    parser.add_argument("--postgres", default=os.environ.get("PATHWAYS_TEST_DATABASE_URL"))
    parser.add_argument("--skip-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument(
        "--sqlite-dir",
        help="folder for the SQLite file (default: the system's temporary folder); a tmpfs "
        "such as /dev/shm makes fsync free, so the ratio is one of CPU alone",
    )
    args = parser.parse_args()
    print(
        f"{'database':<44}{'store/s':>10}{'raw/s':>10}{'ratio':>9}"
        f"{'store ms':>10}{'raw ms':>10}  (client CPU per handoff)"
    )
    summaries = []
    if not args.skip_sqlite:
        found = run_sqlite(args.handoffs, args.rounds, args.sqlite_dir)
        summaries.append(report("SQLite, 1 writer", found))
    if args.postgres:
        found = run_postgres(args.postgres, args.handoffs // 2, args.rounds, args.writers)
        summaries.append(report(f"PostgreSQL, {args.writers} writers", found))
    else:
        print("PostgreSQL: skipped (pass --postgres URL or set PATHWAYS_TEST_DATABASE_URL)")
    print(json.dumps({"target": "store >= 0.5x raw", "results": summaries}))


if __name__ == "__main__":
    main()
