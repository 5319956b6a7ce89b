"""`JourneyStore`: journeys kept in a database, changed atomically, never overwritten.

```python
store = JourneyStore("sqlite:///cases.sqlite3", pathways=[compiled])
store.create("HU-2025-0142", profile, pathway="humber/hull", at=now, by="hull-city-council")
applied = store.handoff("HU-2025-0142", "start-assessment", by="hull-city-council", at=now,
                        key="request-7f3a")
journey = store.load("HU-2025-0142")
```

Every change is atomic: the journey is bound from its stored state, the runtime makes the
change, and the new events are appended, hash-chained, while the journey row is updated `WHERE
revision = <the revision read>`, in one transaction (`pathways.store.changes`, `.sqlite`,
`.postgres`); a stale writer gets `ConcurrentUpdate` and nothing is written. A case system that
keeps a journey open while a caseworker decides uses `draft` and `save`: the save is refused
with `ConcurrentUpdate` if anyone changed the journey since the draft was taken (`retry`).

With an idempotency `key` a request is done once: the same key and request again return the
first result (`Applied.replayed`); another request raises `IdempotencyConflict` (`.idempotency`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import URL, Connection, Engine, bindparam, insert, select

from pathways.definition.schema import Pathway
from pathways.errors import ConcurrentUpdate, DuplicateJourney, JourneyNotFound
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.events import Event
from pathways.runtime.guards import Value
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, start
from pathways.store import audit, connection, idempotency, versions
from pathways.store.changes import Applied, DriverPath, Stored, conflict, driver_path, writes_for
from pathways.store.connection import DEFAULT_URL, create_engine
from pathways.store.queries import Queries
from pathways.store.rows import (
    derived,
    entry_from_event_row,
    entry_from_rollout_row,
    event_row,
    position_rows,
    snapshot_from_rows,
)
from pathways.store.tables import PREFIX, Tables, build_tables

__all__ = ["Applied", "Draft", "JourneyStore"]


@dataclass(frozen=True, slots=True)
class Draft:
    """A journey taken out to change in memory, with the revision and event count it had."""

    journey: Journey
    revision: int
    saved: int


class JourneyStore(Queries):
    """Journeys, their events and pathway versions, in one database under one table prefix.

    `url` names the database (SQLite file by default); `pathways` are the versions this
    application runs (each is registered, and the last one given for a pathway id is the one
    `create` uses by default); `upgrade` brings the schema up to date with the migrations
    shipped in the package (turn it off if the embedding system runs them itself).
    """

    def __init__(
        self,
        url: str | URL = DEFAULT_URL,
        *,
        pathways: Iterable[Pathway | CompiledPathway] = (),
        prefix: str = PREFIX,
        upgrade: bool = True,
        engine: Engine | None = None,
    ) -> None:
        self.tables: Tables = build_tables(prefix)
        self.engine: Engine = engine if engine is not None else create_engine(url)
        self.writer: Engine = self.engine.execution_options(**{connection.WRITE: True})
        self.writes = writes_for(self.tables)
        self.fast: DriverPath | None = driver_path(self.engine, self.tables)
        if upgrade:
            from pathways.store.migrations import upgrade as run_upgrade

            run_upgrade(self.engine, prefix)
        self.versions = versions.Versions(self.engine, self.tables)
        for pathway in pathways:
            self.register(pathway)

    def close(self) -> None:
        """Close every pooled connection (and the SQLite connections changes are made on)."""
        if self.fast is not None:
            self.fast.close()
        self.engine.dispose()

    def __enter__(self) -> JourneyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Pathway versions

    def register(self, pathway: Pathway | CompiledPathway) -> CompiledPathway:
        """Record a pathway version (id, version, fingerprint and definition); idempotent.

        The version becomes the one `create` uses for its pathway id.
        """
        compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
        if not self.versions.known(compiled):
            try:
                with self.writing() as conn:
                    self.versions.register(conn, compiled)
            except ConcurrentUpdate:  # another process registered it at the same moment
                with self.writing() as conn:
                    self.versions.register(conn, compiled)
        self.versions.remember(compiled)
        return compiled

    def compiled(self, fingerprint: str) -> CompiledPathway:
        """The compiled pathway version with this fingerprint (from memory or the database)."""
        return self.versions.compiled(fingerprint)

    # Journeys

    def create(
        self,
        case_ref: str,
        profile: Mapping[str, Value],
        *,
        at: datetime,
        by: str,
        pathway: str | Pathway | CompiledPathway | None = None,
        key: str | None = None,
    ) -> Journey:
        """Open and store a journey (`pathways.runtime.opening.start`); `DuplicateJourney` if it
        exists.

        `pathway` is a registered pathway id (its current version), a pathway, or omitted
        when exactly one pathway is registered in this store.
        """
        compiled = self.register(self.versions.choose(pathway))
        request = None
        if key is not None:
            request = idempotency.request_hash(
                "create", case_ref, pathway=compiled.fingerprint, at=at, by=by,
                profile=dict(sorted(profile.items())),
            )  # fmt: skip
        journey = start(compiled, case_ref, profile, at, by)
        first = journey.history[0]
        with self.writing() as conn:
            if (
                key is not None
                and request is not None
                and idempotency.replayed(conn, self.tables, key, request) is not None
            ):
                return self.load(case_ref)
            if self.row(conn, case_ref, missing_ok=True) is not None:
                raise DuplicateJourney(
                    f"Case {case_ref}: a journey with this case reference is already stored; "
                    "load it instead",
                )
            data = first.to_dict()
            head = audit.chain_event(audit.GENESIS, case_ref, data)
            values = derived(journey, first)
            t = self.tables
            conn.execute(
                insert(t.journeys).values(
                    case_ref=case_ref,
                    fingerprint=compiled.fingerprint,
                    revision=1,
                    head_hash=head,
                    opened_at=first.at,
                    **values,
                )
            )
            conn.execute(insert(t.positions), position_rows(journey))
            conn.execute(insert(t.events).values(event_row(case_ref, data, first.at, head)))
            if key is not None and request is not None:
                applied = Applied(case_ref, (first,), 1)
                idempotency.record(conn, self.tables, key, request, applied, 0)
        return journey

    def load(self, case_ref: str, *, history: bool = True) -> Journey:
        """The stored journey, bound to its pathway version (with its events, unless not asked)."""
        with self.reading() as conn:
            stored = self.writes.load(conn, case_ref)
            events = self.stored_events(conn, case_ref) if history else None
            return bind(self.compiled(stored.row.fingerprint), self._snapshot(stored), events)

    def draft(self, case_ref: str) -> Draft:
        """The journey and its revision, to change in memory and `save` later."""
        with self.reading() as conn:
            stored = self.writes.load(conn, case_ref)
        row = stored.row
        journey = bind(self.compiled(row.fingerprint), self._snapshot(stored))
        return Draft(journey, row.revision, row.event_count)

    def revision(self, case_ref: str) -> int:
        """How many times the journey has been written (1 when created)."""
        with self.reading() as conn:
            return int(self.row(conn, case_ref).revision)

    def save(self, draft: Draft, *, key: str | None = None) -> Applied:
        """Store what was done to a draft's journey; `ConcurrentUpdate` if it changed since."""
        journey = draft.journey
        new = journey.events_since(draft.saved)
        request = None
        if key is not None:
            events = [e.to_dict() for e in new]
            request = idempotency.request_hash("save", journey.case_ref, events=events)

        def saved(stored: Stored) -> Journey:
            row = stored.row
            if row.revision != draft.revision or row.fingerprint != journey.compiled.fingerprint:
                raise conflict(journey.case_ref, draft.revision, row.revision)
            return journey

        return self._change(journey.case_ref, request, key, saved, draft.saved)

    def handoff(
        self,
        case_ref: str,
        trigger: str,
        *,
        by: str,
        at: datetime,
        shares: Iterable[str] = (),
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Make a handoff on the stored journey, atomically (see `Journey.handoff`)."""
        items = tuple(dict.fromkeys(shares))
        request = None
        if key is not None:
            request = idempotency.request_hash(
                "handoff", case_ref, trigger=trigger, by=by, at=at, shares=list(items)
            )

        def do(journey: Journey) -> Journey:
            journey.handoff(trigger, by=by, at=at, shares=items)
            return journey

        return self._apply(case_ref, request, key, expected, do)

    def update_profile(
        self,
        case_ref: str,
        attribute: str,
        value: Value,
        *,
        by: str,
        at: datetime,
        key: str | None = None,
        expected: int | None = None,
    ) -> Applied:
        """Record a declared profile change on the stored journey, atomically."""
        request = None
        if key is not None:
            request = idempotency.request_hash(
                "profile", case_ref, attribute=attribute, value=value, by=by, at=at
            )

        def do(journey: Journey) -> Journey:
            journey.update_profile(attribute, value, by=by, at=at)
            return journey

        return self._apply(case_ref, request, key, expected, do)

    def tick(
        self, case_ref: str, now: datetime, *, key: str | None = None, expected: int | None = None
    ) -> Applied:
        """Make every timeout due by `now` on the stored journey, atomically."""
        request = None if key is None else idempotency.request_hash("tick", case_ref, now=now)

        def do(journey: Journey) -> Journey:
            journey.tick(now)
            return journey

        return self._apply(case_ref, request, key, expected, do)

    def events(self, case_ref: str) -> tuple[Event, ...]:
        """The journey's stored events, in order."""
        with self.reading() as conn:
            self.row(conn, case_ref)
            return tuple(self.stored_events(conn, case_ref))

    def verify(self, case_ref: str) -> tuple[Event, ...]:
        """Check the journey's hash chain; `AuditFailure` names the first bad event."""
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

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in a write transaction; a lost race becomes `ConcurrentUpdate`."""
        with connection.writing(self.writer) as conn:
            yield conn

    def row(
        self, conn: Connection, case_ref: str, *, lock: bool = False, missing_ok: bool = False
    ) -> Any:
        """The journey's row (locked for update if asked); `JourneyNotFound` if none."""
        j = self.tables.journeys
        query = select(j).where(j.c.case_ref == bindparam("case_ref"))
        if lock:
            query = query.with_for_update()
        row = conn.execute(query, {"case_ref": case_ref}).first()
        if row is None and not missing_ok:
            raise JourneyNotFound(f"Case {case_ref}: no journey with this case reference")
        return row

    def snapshot(self, conn: Connection, row: Any) -> dict[str, Any]:
        """The runtime snapshot of a journey row."""
        p = self.tables.positions
        places = conn.execute(select(p).where(p.c.case_ref == row.case_ref)).all()
        return snapshot_from_rows(row, self.versions.row(row.fingerprint, conn), places)

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

    def _apply(
        self,
        case_ref: str,
        request: str | None,
        key: str | None,
        expected: int | None,
        do: Callable[[Journey], Journey],
    ) -> Applied:
        def current(stored: Stored) -> Journey:
            row = stored.row
            if expected is not None and row.revision != expected:
                raise conflict(case_ref, expected, row.revision)
            if stored.journey is not None:
                return do(stored.journey.detached())
            return do(bind(self.compiled(row.fingerprint), self._snapshot(stored)))

        return self._change(case_ref, request, key, current, None)

    def _change(
        self,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied:
        """One transaction: the driver's own (`changes.driver_path`), or locking the row here.

        `change` checks the stored row and returns the changed journey; its events since
        `saved` (or since the stored event count) are written, or a known request replayed.
        """
        if self.fast is not None:
            applied = self.fast.change(case_ref, request, key, change, saved)
            if applied is not None:
                return applied
        with self.writing() as conn:
            stored = self.writes.load(conn, case_ref, lock=True)
            if key is not None and request is not None:
                done = idempotency.replayed(conn, self.tables, key, request)
                if done is not None:
                    return done
            journey = change(stored)
            first = stored.row.event_count if saved is None else saved
            new = journey.events_since(first)
            applied = self.writes.write(conn, stored, journey, new)
            if key is not None and request is not None:
                idempotency.record(conn, self.tables, key, request, applied, first)
            return applied
