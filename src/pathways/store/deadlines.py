"""Due dates and work state of stored journeys: which columns are stale, and writing them.

A due date depends on the calendar: a bank holiday announced after a journey's limits were
worked out moves every limit in working days that runs over it. The stored due dates (the
journey's `overdue_from` and `timeout_at`, each position's `due`, and the working days a paused
clock held, in `lifecycle`) are a cache of the events, worked out with the calendar of the day
they were written. `stale_columns` says which differ from a journey's own (`pathways db
verify` counts them as out of date, not as problems; `pathways.store.refresh` writes them).

`backfill_positions` gives the positions of a database written before revision 0003 their work
state (the migration runs it), from each journey's stored state.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind
from pathways.store.changes import PLACE_COLUMNS
from pathways.store.rows import derived, position_rows, snapshot_from_rows
from pathways.store.tables import Tables
from pathways.store.versions import Versions

__all__ = ["DEADLINE_COLUMNS", "backfill_positions", "stale_columns", "write_places"]

#: The journey columns that hold due dates (worked out with the calendar).
DEADLINE_COLUMNS = ("overdue_from", "timeout_at", "lifecycle")
#: How many journeys `backfill_positions` reads at a time.
BATCH = 500


def stale_columns(
    journey: Journey, row: Any, places: Sequence[Any]
) -> tuple[dict[str, Any], list[Any]]:
    """The journey's deadline columns and positions rows that differ from what is stored.

    `row` is the stored journey row, `places` its stored positions rows.
    """
    limits = journey.deadlines()
    expected = derived(journey, None, limits)
    columns = {n: expected[n] for n in DEADLINE_COLUMNS if getattr(row, n) != expected[n]}
    stored = {p.track: tuple(getattr(p, n) for n in PLACE_COLUMNS) for p in places}
    moved = [
        place
        for place in position_rows(journey, limits)
        if stored.get(place["track"]) != tuple(place[n] for n in PLACE_COLUMNS)
    ]
    return columns, moved


def write_places(conn: Connection, t: Tables, case_ref: str, moved: list[dict[str, Any]]) -> None:
    p = t.positions
    for place in moved:
        values = {n: place[n] for n in PLACE_COLUMNS}
        conn.execute(
            update(p).where(p.c.case_ref == case_ref, p.c.track == place["track"]).values(values)
        )


def backfill_positions(conn: Connection, t: Tables, page: int = BATCH) -> int:
    """Give every stored position its work state, from its journey's stored state (revision
    0003); the number of journeys done."""
    versions = Versions(conn.engine, t)
    done = 0
    for row, places in _journeys(conn, t, page):
        version = versions.row(row.fingerprint, conn)
        snapshot = snapshot_from_rows(row, version, places)
        journey = bind(versions.compiled(row.fingerprint, conn), snapshot)
        write_places(conn, t, row.case_ref, position_rows(journey))
        done += 1
    return done


def _journeys(conn: Connection, t: Tables, page: int) -> Iterator[tuple[Any, list[Any]]]:
    """Every journey row (the columns a snapshot needs) with its positions, a page at a time."""
    j, p = t.journeys, t.positions
    columns = (j.c.case_ref, j.c.fingerprint, j.c.profile, j.c.event_count, j.c.last_event_at,
               j.c.lifecycle)  # fmt: skip
    after = ""
    while True:
        rows = conn.execute(
            select(*columns).where(j.c.case_ref > after).order_by(j.c.case_ref).limit(page)
        ).all()
        if not rows:
            return
        refs = [r.case_ref for r in rows]
        found: dict[str, list[Any]] = {ref: [] for ref in refs}
        query = select(p.c.case_ref, p.c.track, p.c.stage, p.c.since)
        for place in conn.execute(query.where(p.c.case_ref.in_(refs))):
            found[place.case_ref].append(place)
        for r in rows:
            yield r, found[r.case_ref]
        after = refs[-1]
