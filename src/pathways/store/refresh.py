"""`pathways db refresh-deadlines`: stored due dates worked out again after the calendar changes.

`refresh_deadlines(store)` rebuilds each journey from its events with today's calendar
(`pathways.store.rebuild`) and writes the due dates that differ (`pathways.store.deadlines`), a
batch of journeys per transaction, each journey only if it has not changed since it was
rebuilt (a change made meanwhile wrote its own, fresh, due dates). A journey that cannot be
rebuilt is left as it is and counted as skipped: `pathways db verify` names its problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select, update

from pathways.errors import JourneyError, StoreError
from pathways.runtime.journey import Journey
from pathways.store.deadlines import stale_columns, write_places
from pathways.store.failures import guarded
from pathways.store.rebuild import rebuild
from pathways.store.tables import Tables

if TYPE_CHECKING:
    from pathways.store.journey_store import JourneyStore

__all__ = ["BATCH", "Refreshed", "refresh_deadlines"]

#: How many journeys `refresh_deadlines` writes per transaction, by default.
BATCH = 500


@dataclass(frozen=True, slots=True)
class Refreshed:
    """What `refresh_deadlines` did: journeys checked, changed, and skipped (cannot be rebuilt,
    or changed meanwhile)."""

    checked: int
    changed: int
    skipped: int


@guarded("refresh_deadlines")
def refresh_deadlines(
    store: JourneyStore, *, batch: int = BATCH, progress: Callable[[Refreshed], None] | None = None
) -> Refreshed:
    """Work every journey's due dates out again from its events; see the module docstring."""
    checked = changed = skipped = 0
    after: str | None = None
    while refs := store.case_refs(after=after, limit=batch):
        rebuilt: dict[str, Journey] = {}
        for case_ref in refs:
            try:
                rebuilt[case_ref] = rebuild(store, case_ref)
            except (StoreError, JourneyError):
                skipped += 1
        with store.writing() as conn:
            for journey in rebuilt.values():
                done = _write(conn, store.tables, journey)
                changed += done is True
                skipped += done is None
        checked += len(refs)
        after = refs[-1]
        if progress is not None:
            progress(Refreshed(checked, changed, skipped))
    return Refreshed(checked, changed, skipped)


def _write(conn: Connection, t: Tables, journey: Journey) -> bool | None:
    """Write `journey`'s stale due dates: True if any, False if none, None if the journey
    changed since it was rebuilt (its events or version are no longer the ones replayed)."""
    j, p = t.journeys, t.positions
    case_ref = journey.case_ref
    row = conn.execute(select(j).where(j.c.case_ref == case_ref).with_for_update()).first()
    if (
        row is None
        or row.event_count != journey.event_count
        or row.fingerprint != journey.compiled.fingerprint
    ):
        return None
    places = conn.execute(select(p).where(p.c.case_ref == case_ref)).all()
    columns, moved = stale_columns(journey, row, places)
    if columns:
        conn.execute(update(j).where(j.c.case_ref == case_ref).values(columns))
    write_places(conn, t, case_ref, moved)
    return bool(columns or moved)
