"""Reading the journey store: journeys, drafts, events and rows, never changing them.

`JourneyStore` (`pathways.store.journey_store`) makes changes; what it reads, for a case system
(`load`, `draft`, `revision`, `events`, `verify`) and for the store's own modules (`reading`,
`row`, `snapshot`, `stored_events`, `entries`), is here. The questions asked of many journeys
at once are `pathways.store.queries`. A case reference is checked before any query
(`InvalidCaseReference`), and an error of the database comes out as a `StoreError` naming the
read (`pathways.store.failures.guarded`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select

from pathways.errors import JourneyNotFound
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind
from pathways.store import audit, connection
from pathways.store.arguments import check_case_ref
from pathways.store.changes import Stored
from pathways.store.failures import guarded
from pathways.store.locked import LockedPath
from pathways.store.rows import entry_from_event_row, entry_from_rollout_row, snapshot_from_rows
from pathways.store.tables import Tables
from pathways.store.versions import Versions

__all__ = ["Draft", "Reads"]


@dataclass(frozen=True, slots=True)
class Draft:
    """A journey taken out to change in memory, with the revision and event count it had."""

    journey: Journey
    revision: int
    saved: int


class Reads:
    """The read methods of `JourneyStore`."""

    engine: Engine
    tables: Tables
    versions: Versions
    locked: LockedPath

    @guarded("compiled")
    def compiled(self, fingerprint: str) -> CompiledPathway:
        """The compiled pathway version with this fingerprint (from memory or the database)."""
        return self.versions.compiled(fingerprint)

    # Journeys

    @guarded("load")
    def load(self, case_ref: str, *, history: bool = True) -> Journey:
        """The stored journey, bound to its pathway version (with its events, unless not asked)."""
        check_case_ref(case_ref)
        with self.reading() as conn:
            stored = self.locked.load(conn, case_ref)
            events = self.stored_events(conn, case_ref) if history else None
            return bind(self.compiled(stored.row.fingerprint), self._snapshot(stored), events)

    @guarded("draft")
    def draft(self, case_ref: str) -> Draft:
        """The journey and its revision, to change in memory and `save` later."""
        check_case_ref(case_ref)
        with self.reading() as conn:
            stored = self.locked.load(conn, case_ref)
        row = stored.row
        journey = bind(self.compiled(row.fingerprint), self._snapshot(stored))
        return Draft(journey, row.revision, row.event_count)

    @guarded("revision")
    def revision(self, case_ref: str) -> int:
        """How many times the journey has been written (1 when created)."""
        check_case_ref(case_ref)
        with self.reading() as conn:
            return int(self.row(conn, case_ref).revision)

    @guarded("events")
    def events(self, case_ref: str) -> tuple[Event, ...]:
        """The journey's stored events, in order."""
        check_case_ref(case_ref)
        with self.reading() as conn:
            self.row(conn, case_ref)
            return tuple(self.stored_events(conn, case_ref))

    @guarded("verify")
    def verify(self, case_ref: str) -> tuple[Event, ...]:
        """Check the journey's hash chain; `AuditFailure` names the first bad event."""
        check_case_ref(case_ref)
        with self.reading() as conn:
            row = self.row(conn, case_ref)
            entries = self.entries(conn, case_ref)
        found = audit.verify_chain(
            case_ref, entries, event_count=row.event_count, head_hash=row.head_hash
        )
        return tuple(found)

    # For the store's own modules: transactions and rows

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection in a read transaction."""
        with connection.reading(self.engine) as conn:
            yield conn

    def row(self, conn: Connection, case_ref: str, *, missing_ok: bool = False) -> Any:
        """The journey's row; `JourneyNotFound` if none (None instead if `missing_ok`)."""
        j = self.tables.journeys
        query = select(j).where(j.c.case_ref == bindparam("case_ref"))
        row = conn.execute(query, {"case_ref": case_ref}).first()
        if row is None and not missing_ok:
            raise JourneyNotFound(f"Case {case_ref}: no journey with this case reference")
        return row

    def snapshot(self, conn: Connection, row: Any) -> dict[str, Any]:
        """The runtime snapshot of a journey row."""
        p = self.tables.positions
        places = conn.execute(select(p).where(p.c.case_ref == row.case_ref)).all()
        return snapshot_from_rows(row, self.versions.row(row.fingerprint, conn), places)

    def places(self, conn: Connection, case_ref: str) -> list[Any]:
        """The journey's positions rows, with their work state."""
        p = self.tables.positions
        return list(conn.execute(select(p).where(p.c.case_ref == case_ref)).all())

    def stored_events(self, conn: Connection, case_ref: str) -> list[Event]:
        """The journey's events as stored, in order (not verified: see `verify`)."""
        e = self.tables.events
        rows = conn.execute(select(e).where(e.c.case_ref == case_ref).order_by(e.c.seq))
        return [Event.from_dict(entry_from_event_row(r).data) for r in rows]

    def entries(self, conn: Connection, case_ref: str) -> list[audit.Entry]:
        """The journey's chain entries: its event rows and roll-out rows."""
        e, r = self.tables.events, self.tables.rollouts
        events = conn.execute(select(e).where(e.c.case_ref == case_ref))
        found = [entry_from_event_row(x) for x in events]
        rollouts = conn.execute(select(r).where(r.c.case_ref == case_ref))
        return found + [entry_from_rollout_row(x) for x in rollouts]

    # Inside

    def _snapshot(self, stored: Stored) -> dict[str, Any]:
        version = self.versions.row(stored.row.fingerprint)
        return snapshot_from_rows(stored.row, version, stored.places)
