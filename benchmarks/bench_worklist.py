"""Benchmark: "overdue for agency X" on 1,000,000 stored journeys, through `JourneyStore.worklist`
against a hand-written SQL query on the same indexes, on PostgreSQL.

Run with `.venv/bin/python benchmarks/bench_worklist.py [--journeys N] [--seeds S] [--repeats R]
[--postgres URL]` (the URL defaults to `PATHWAYS_TEST_DATABASE_URL`). It works in a database of
its own (`pathways_bench_worklist`, created on the server named and dropped afterwards).

The stored journeys are real: `--seeds` journeys (2,000 by default) are made through the store on
the worklist test pathway (`tests/store/worklist_pathway.py`: a referral the Single Competent
Authority accepts and decides, its clock paused and resumed, a police investigation and local
support on tracks of their own, withdrawals), each from a random day of 2025 with random
actions. Their rows (journeys, positions, events) are then cloned under new case references until
there are `--journeys`, with each clone's event hashes chained again for its own case reference,
and bulk-loaded with `COPY`; a sample of clones is rebuilt from its events and checked
(`check_journey`), so the clones are journeys the store could have written.

For each agency of the pathway, at a time when some of its work is overdue, each side fetches
the first page (100 positions, then 1,000) of that agency's overdue work, ordered by case
reference and track, `--repeats` times, alternating which side goes first:

- **store**: `store.worklist(agency, at=T, overdue=True, limit=L)`, typed `WorkItem`s out;
- **hand-written SQL**: one prepared psycopg query on the same tables and indexes, written
  knowing the pathway (the stages the agency owns listed in it), tuples out.

It prints each side's median, the ratio (target: the store within 2x of the SQL) and checks that
both give the same positions, stage by stage: for each stage, every page of the store's list
equals the SQL's full answer, and their count equals what the seed journeys, loaded and asked
with the runtime (`Journey.overdue`), say it must be.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import psycopg  # noqa: E402
from sqlalchemy import make_url, select  # noqa: E402

from pathways.errors import PathwayError  # noqa: E402
from pathways.runtime.journey import Journey  # noqa: E402
from pathways.store import (  # noqa: E402
    JourneyStore,
    WorkItem,
    audit,
)
from pathways.store.rebuild import check_journey  # noqa: E402
from pathways.store.rows import entry_from_event_row  # noqa: E402
from runtime.lifecycle_pathway import MONDAY  # noqa: E402
from store.worklist_pathway import act, compiled_worklists  # noqa: E402

DATABASE = "pathways_bench_worklist"
PAGES = (100, 1000)
TARGET = 2.0
WARMUP = 10
ASKED = MONDAY + timedelta(days=200)
ACTIONS = (
    ("handoff", "refer", "council"),
    ("accept", "refer", "home-office"),
    ("accept", "refer", "home-office"),
    ("decline", "refer", "home-office"),
    ("pause", None, "home-office"),
    ("resume", None, "home-office"),
    ("handoff", "decide", "home-office"),
    ("handoff", "close-investigation", "constabulary"),
    ("handoff", "end-support", "council"),
    ("withdraw", None, "council"),
)
HAND = (
    "SELECT p.case_ref, p.track, p.stage, p.since, p.due, p.paused, p.awaiting, v.pathway_id, "
    "v.version FROM pathways_positions p JOIN pathways_journeys j ON j.case_ref = p.case_ref "
    "JOIN pathways_pathway_versions v ON v.fingerprint = j.fingerprint "
    "WHERE p.active AND p.stage = ANY(%s) AND p.due <= %s {after}"
    "ORDER BY p.case_ref, p.track LIMIT %s"
)


def seed(store: JourneyStore, count: int, rng: random.Random) -> list[str]:
    """`count` journeys made through the store, each from a random day with random actions."""
    refs = []
    for number in range(count):
        case_ref = f"S{number:05d}"
        at = MONDAY + timedelta(days=rng.randrange(300), hours=rng.randrange(8))
        store.create(case_ref, {"consent": "given"}, at=at, by="council")
        store.handoff(case_ref, "refer", by="council", at=at)
        for _ in range(rng.randrange(6)):
            at += timedelta(hours=rng.randrange(1, 240))
            with contextlib.suppress(PathwayError):  # refused by the pathway: nothing written
                act(store, case_ref, rng.choice(ACTIONS), at)
        refs.append(case_ref)
    return refs


def clones(
    store: JourneyStore, total: int, seeds: list[str]
) -> Iterator[tuple[str, list[tuple[Any, ...]]]]:
    """Rows of every table for `total` journeys: the seeds' rows under new case references,
    each clone's events chained again for its case reference."""
    t = store.tables
    with store.engine.connect() as conn:
        journeys = {r.case_ref: r for r in conn.execute(select(t.journeys))}
        positions: dict[str, list[Any]] = {}
        for r in conn.execute(select(t.positions)):
            positions.setdefault(r.case_ref, []).append(r)
        events: dict[str, list[Any]] = {}
        for r in conn.execute(select(t.events).order_by(t.events.c.case_ref, t.events.c.seq)):
            events.setdefault(r.case_ref, []).append(r)
    entries = {ref: [entry_from_event_row(e) for e in rows] for ref, rows in events.items()}
    columns = {name: [c.name for c in getattr(t, name).columns] for name in TABLES}
    for number in range(total - len(seeds)):
        source = seeds[number % len(seeds)]
        case_ref = f"C{number:07d}"
        head = audit.GENESIS
        event_rows = []
        for row, entry in zip(events[source], entries[source], strict=True):
            head = audit.chain_event(head, case_ref, entry.data, entry.recorded)
            event_rows.append(_values(row, columns["events"], case_ref, hash=head))
        journey = _values(journeys[source], columns["journeys"], case_ref, head_hash=head)
        places = [_values(p, columns["positions"], case_ref) for p in positions[source]]
        yield "journeys", [journey]
        yield "positions", places
        yield "events", event_rows


TABLES = ("journeys", "positions", "events")


def _values(row: Any, names: list[str], case_ref: str, **changed: Any) -> tuple[Any, ...]:
    mapping = row._mapping
    values = []
    for name in names:
        value = case_ref if name == "case_ref" else changed.get(name, mapping[name])
        values.append(psycopg.types.json.Json(value) if isinstance(value, (dict, list)) else value)
    return tuple(values)


def bulk_load(store: JourneyStore, conninfo: str, total: int, seeds: list[str]) -> float:
    """COPY the clones into the store's tables; the seconds it took."""
    started = time.monotonic()
    t = store.tables
    with psycopg.connect(conninfo) as conn:
        cur = conn.cursor()
        copies = {}
        for name in TABLES:
            table = getattr(t, name)
            names = ", ".join(c.name for c in table.columns)
            copies[name] = f"COPY {table.name} ({names}) FROM STDIN"
        batch: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}

        def flush() -> None:
            for name in TABLES:  # parents first
                with cur.copy(copies[name]) as copy:
                    for values in batch[name]:
                        copy.write_row(values)
                batch[name].clear()

        for count, (name, rows) in enumerate(clones(store, total, seeds), 1):
            batch[name] += rows
            if count % 60000 == 0:
                flush()
                conn.commit()
                print(f"  {count // 3:,} journeys cloned", file=sys.stderr, flush=True)
        flush()
        conn.commit()
        conn.autocommit = True
        for name in ("journeys", "positions", "events", "stage_owners", "pathway_versions"):
            cur.execute(f"ANALYZE pathways_{name}")
    return time.monotonic() - started


def brute(journeys: list[Journey], agency: str, at: datetime) -> dict[str, int]:
    """How many of `agency`'s positions are overdue at `at`, by stage, in `journeys`."""
    found: dict[str, int] = {}
    for journey in journeys:
        if journey.closed:
            continue
        late = {d.track for d in journey.overdue(at)}
        owners = journey.owners()
        for track, stage in journey.positions.items():
            if track in late and agency in owners[stage]:
                found[stage] = found.get(stage, 0) + 1
    return found


def hand(cur: psycopg.Cursor[Any], stages: list[str], limit: int, after: Any = None) -> list[Any]:
    if after is None:
        query, params = HAND.format(after=""), [stages, ASKED, limit]
    else:
        query = HAND.format(after="AND (p.case_ref, p.track) > (%s, %s) ")
        params = [stages, ASKED, *after, limit]
    return cur.execute(query, params, prepare=True).fetchall()


def store_all(store: JourneyStore, agency: str, stage: str) -> list[WorkItem]:
    items: list[WorkItem] = []
    after = None
    while True:
        page = store.worklist(agency, at=ASKED, overdue=True, stage=stage, limit=1000, after=after)
        items += page.items
        if page.next is None:
            return items
        after = page.next


def hand_all(cur: psycopg.Cursor[Any], stage: str) -> list[Any]:
    rows: list[Any] = []
    after = None
    while True:
        page = hand(cur, [stage], 1000, after)
        rows += page
        if len(page) < 1000:
            return rows
        after = (page[-1][0], page[-1][1])


def timed(run: Any, repeats: int) -> list[float]:
    found = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        found.append(time.perf_counter() - started)
    return found


def measure(
    store: JourneyStore, cur: psycopg.Cursor[Any], agency: str, stages: list[str], repeats: int
) -> list[tuple[int, float, float]]:
    """For each page size: the store's and the SQL's median seconds, alternating the order."""
    results = []
    for limit in PAGES:

        def by_store(limit: int = limit) -> Any:
            return store.worklist(agency, at=ASKED, overdue=True, limit=limit)

        def by_hand(limit: int = limit) -> Any:
            return hand(cur, stages, limit + 1)

        for _ in range(WARMUP):  # past PostgreSQL's first custom plans, on both sides
            by_store()
            by_hand()
        mine: list[float] = []
        theirs: list[float] = []
        for number in range(repeats):
            order = (mine, theirs) if number % 2 == 0 else (theirs, mine)
            for into in order:
                into += timed(by_store if into is mine else by_hand, 1)
        assert [(i.case_ref, i.track) for i in by_store().items] == [
            (r[0], r[1]) for r in by_hand()[:limit]
        ], f"{agency}: the first {limit} positions differ"
        results.append((limit, statistics.median(mine), statistics.median(theirs)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_000_000, help="journeys stored")
    parser.add_argument("--seeds", type=int, default=2000, help="journeys made through the store")
    parser.add_argument("--repeats", type=int, default=15, help="timed repeats of each query")
    parser.add_argument("--postgres", default=os.environ.get("PATHWAYS_TEST_DATABASE_URL"))
    parser.add_argument("--sample", type=int, default=20, help="clones rebuilt and checked")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--database", default=DATABASE, help=f"its database (default {DATABASE})")
    args = parser.parse_args()
    if not args.postgres:
        print("bench_worklist: give --postgres URL or set PATHWAYS_TEST_DATABASE_URL")
        return 2
    server = make_url(args.postgres)
    url = server.set(database=args.database)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {args.database}")
    try:
        return run(args, url.render_as_string(hide_password=False), conninfo)
    finally:
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


def run(args: argparse.Namespace, url: str, conninfo: str) -> int:
    rng = random.Random(16)
    compiled = compiled_worklists()
    with JourneyStore(url, pathways=[compiled], clock=lambda: ASKED + timedelta(days=400)) as store:
        started = time.monotonic()
        seeds = seed(store, min(args.seeds, args.journeys), rng)
        print(
            f"{len(seeds):,} journeys made through the store in {time.monotonic() - started:.0f} s"
        )
        loaded = bulk_load(store, conninfo, args.journeys, seeds)
        print(f"{args.journeys - len(seeds):,} clones bulk-loaded with COPY in {loaded:.0f} s")
        sample = rng.sample(
            range(args.journeys - len(seeds)), min(args.sample, args.journeys - len(seeds))
        )
        for number in sample:
            problems = check_journey(store, f"C{number:07d}")
            assert problems == [], problems
        print(f"{len(sample)} clones rebuilt from their events: as stored")
        journeys = [store.load(ref) for ref in seeds]
        cloned = args.journeys - len(seeds)
        copies = {
            ref: 1 + cloned // len(seeds) + (1 if n < cloned % len(seeds) else 0)
            for n, ref in enumerate(seeds)
        }
        with psycopg.connect(conninfo, autocommit=True) as conn:
            ok, worst = report(store, conn.cursor(), args.repeats, journeys, copies)
    met = ok and worst <= TARGET
    correct = "yes" if ok else "NO"
    print(f"\nworst ratio {worst:.2f}x (target <= {TARGET:.0f}x); correct per stage: {correct}")
    print("met" if met else "not met")
    return 0 if ok else 1


def report(
    store: JourneyStore,
    cur: psycopg.Cursor[Any],
    repeats: int,
    journeys: list[Journey],
    copies: dict[str, int],
) -> tuple[bool, float]:
    """Time and check every agency's overdue work; whether all is correct, and the worst ratio."""
    compiled = journeys[0].compiled
    ok, worst = True, 0.0
    print(f"\n{'agency':<14}{'page':>6}{'store ms':>10}{'SQL ms':>9}{'ratio':>8}")
    for agency in sorted(compiled.pathway.agencies):
        owned = sorted(
            n for n, r in compiled.stages.items() if agency in r.owners and not r.outcome
        )
        for limit, mine, theirs in measure(store, cur, agency, owned, repeats):
            worst = max(worst, mine / theirs)
            times = f"{mine * 1000:>10.2f}{theirs * 1000:>9.2f}"
            print(f"{agency:<14}{limit:>6}{times}{mine / theirs:>7.2f}x")
        expected: dict[str, int] = {}
        for journey in journeys:
            for stage, count in brute([journey], agency, ASKED).items():
                expected[stage] = expected.get(stage, 0) + count * copies[journey.case_ref]
        for stage in owned:
            mine_all = [(i.case_ref, i.track, i.stage) for i in store_all(store, agency, stage)]
            theirs_all = [(r[0], r[1], r[2]) for r in hand_all(cur, stage)]
            right = mine_all == theirs_all and len(mine_all) == expected.get(stage, 0)
            ok = ok and right
            print(
                f"  {stage}: {len(mine_all):,} overdue positions; SQL {len(theirs_all):,}, "
                f"runtime {expected.get(stage, 0):,}: {'equal' if right else 'DIFFERENT'}"
            )
    return ok, worst


if __name__ == "__main__":
    raise SystemExit(main())
