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
revision = <the revision read>`, in one transaction (planned by `pathways.store.changes`,
written by `.sqlite`, `.postgres` or `.locked`); a stale writer gets `ConcurrentUpdate` and
nothing is written. A case system that keeps a journey open while a caseworker decides uses
`draft` and `save`: a save is refused with `ConcurrentUpdate` if it changed since (`retry`).

An idempotency `key` makes a request done once: the same key and request again return the first
result (`Applied.replayed`); another request raises `IdempotencyConflict` (`.idempotency`).

Arguments are checked before any query (`.arguments`); whatever the database or its driver
raises comes out as a `StoreError` naming the operation (`.failures`). On a SQLite file a
change is reported as done only if the file is still the one the store opened
(`DatabaseFileLost` otherwise: `.sqlite_file`). `JourneyStore(url, read_only=True)` reads a
database it may not (or cannot) write: every change is refused with `ReadOnlyStore`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import URL, Connection, Engine

from pathways.definition.schema import Pathway
from pathways.errors import ConcurrentUpdate, DuplicateJourney, ReadOnlyStore
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.guards import Value
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, start
from pathways.store import connection, idempotency, versions
from pathways.store.arguments import check_case_ref, check_key, check_text, check_time
from pathways.store.changes import Applied, DriverPath, Stored, conflict
from pathways.store.clock import DEFAULT_SKEW, ClockCheck, system_clock
from pathways.store.connection import DEFAULT_URL, create_engine
from pathways.store.failures import guarded
from pathways.store.inserts import insert_journey
from pathways.store.lifecycle_changes import LifecycleChanges
from pathways.store.locked import locked_path
from pathways.store.outbox import Telling
from pathways.store.queries import Queries
from pathways.store.reads import Draft, Reads
from pathways.store.tables import PREFIX, Tables, build_tables
from pathways.store.worklists import Worklists

__all__ = ["JourneyStore"]


class JourneyStore(LifecycleChanges, Reads, Queries, Worklists, Telling):
    """Journeys, their events and pathway versions, in one database under one table prefix.

    `url` names the database (SQLite file by default); `pathways` are the versions this
    application runs (each is registered, and the last one given for a pathway id is the one
    `create` uses by default); `upgrade` brings the schema up to date with the migrations
    shipped in the package (turn it off if the embedding system runs them itself).
    `read_only=True` opens the database so that nothing can be written (a SQLite file with
    `mode=ro`, even a copy of mode 0444 in a folder that cannot be written; PostgreSQL with
    read-only transactions): it never upgrades, its schema must be the newest, the `pathways`
    given must already be stored, and every change raises `ReadOnlyStore`. A change dated more
    than `skew` after `clock()` (the system clock in UTC unless given) is refused with
    `InvalidTime` before anything is written (`pathways.store.clock`).

    Changes are made here and in `LifecycleChanges` (`.lifecycle_changes`); reads are `Reads`
    (`.reads`), the questions asked of many journeys `Queries` (`.queries`), `Worklists`,
    and `outbox` tells other systems what was committed (`.outbox`).
    """

    @guarded("open the store")
    def __init__(
        self,
        url: str | URL = DEFAULT_URL,
        *,
        pathways: Iterable[Pathway | CompiledPathway] = (),
        prefix: str = PREFIX,
        upgrade: bool = True,
        engine: Engine | None = None,
        read_only: bool = False,
        clock: Callable[[], datetime] = system_clock,
        skew: timedelta = DEFAULT_SKEW,
    ) -> None:
        self.tables: Tables = build_tables(prefix)
        self.read_only = read_only
        self.clock = ClockCheck(clock, skew)
        self.engine: Engine = (
            engine if engine is not None else create_engine(url, read_only=read_only)
        )
        self.writer: Engine = self.engine.execution_options(**{connection.WRITE: True})
        self.locked = locked_path(self.tables)
        self.fast: DriverPath | None = None if read_only else _driver_path(self.engine, self.tables)
        if read_only:
            from pathways.store.migrations import require_newest

            require_newest(self.engine, prefix)
        elif upgrade:
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

    @guarded("register")
    def register(self, pathway: Pathway | CompiledPathway) -> CompiledPathway:
        """Record a pathway version (id, version, fingerprint and definition); idempotent.

        The version becomes the one `create` uses for its pathway id. On a read-only store the
        version must be stored already (`ReadOnlyStore` otherwise).
        """
        compiled = pathway if isinstance(pathway, CompiledPathway) else compile_pathway(pathway)
        if self.read_only and not self.versions.known(compiled):
            with self.reading() as conn:
                if not self.versions.stored(conn, compiled):
                    self._refuse(f"register {compiled.pathway.id} {compiled.pathway.version}")
        elif not self.versions.known(compiled):
            try:
                with self.writing() as conn:
                    self.versions.register(conn, compiled)
            except ConcurrentUpdate:  # another process registered it at the same moment
                with self.writing() as conn:
                    self.versions.register(conn, compiled)
        self.versions.remember(compiled)
        return compiled

    # Journeys

    @guarded("create")
    def create(
        self,
        case_ref: str,
        profile: Mapping[str, Value],
        *,
        at: datetime,
        by: str,
        pathway: str | Pathway | CompiledPathway | None = None,
        key: str | None = None,
        staff: str | None = None,
    ) -> Journey:
        """Open and store a journey (`pathways.runtime.opening.start`); `DuplicateJourney` if it
        exists.

        `pathway` is a registered pathway id (its current version), a pathway, or omitted
        when exactly one pathway is registered in this store.
        """
        check_case_ref(case_ref, by)
        check_time(at, "at", operation="create", case_ref=case_ref)
        self.clock.check(at, case_ref, "create")
        check_text("by", by, operation="create")
        if key is not None:
            check_key(key, case_ref, operation="create")
        self._refuse_if_read_only("create")
        compiled = self.register(self.versions.choose(pathway))
        request = None
        if key is not None:
            request = idempotency.request_hash(
                "create", case_ref, pathway=compiled.fingerprint, at=at, by=by,
                profile=dict(sorted(profile.items())), staff=staff,
            )  # fmt: skip
        journey = start(compiled, case_ref, profile, at, by, staff)
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
            insert_journey(conn, self.tables, journey)
            if key is not None and request is not None:
                applied = Applied(case_ref, (first,), 1)
                idempotency.record(conn, self.tables, key, request, applied, 0)
        return journey

    @guarded("save")
    def save(self, draft: Draft, *, key: str | None = None) -> Applied:
        """Store what was done to a draft's journey; `ConcurrentUpdate` if it changed since."""
        journey = draft.journey
        if key is not None:
            check_key(key, journey.case_ref, operation="save")
        self._refuse_if_read_only("save")
        new = journey.events_since(draft.saved)
        for event in new:
            self.clock.check(event.at, journey.case_ref, "save")
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

    @guarded("handoff")
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
        staff: str | None = None,
    ) -> Applied:
        """Make a handoff on the stored journey, atomically (see `Journey.handoff`)."""
        self._check_change("handoff", case_ref, at, key)
        items = tuple(dict.fromkeys(shares))
        request = None
        if key is not None:
            request = idempotency.request_hash(
                "handoff", case_ref, trigger=trigger, by=by, at=at, shares=list(items), staff=staff
            )

        def do(journey: Journey) -> Journey:
            journey.handoff(trigger, by=by, at=at, shares=items, staff=staff)
            return journey

        return self._apply(case_ref, request, key, expected, do)

    @guarded("update_profile")
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
        staff: str | None = None,
    ) -> Applied:
        """Record a declared profile change on the stored journey, atomically."""
        self._check_change("update_profile", case_ref, at, key)
        request = None
        if key is not None:
            request = idempotency.request_hash(
                "profile", case_ref, attribute=attribute, value=value, by=by, at=at, staff=staff
            )

        def do(journey: Journey) -> Journey:
            journey.update_profile(attribute, value, by=by, at=at, staff=staff)
            return journey

        return self._apply(case_ref, request, key, expected, do)

    @guarded("tick")
    def tick(
        self, case_ref: str, now: datetime, *, key: str | None = None, expected: int | None = None
    ) -> Applied:
        """Make every timeout due by `now` on the stored journey, atomically."""
        self._check_change("tick", case_ref, now, key)
        request = None if key is None else idempotency.request_hash("tick", case_ref, now=now)

        def do(journey: Journey) -> Journey:
            journey.tick(now)
            return journey

        return self._apply(case_ref, request, key, expected, do)

    # For the store's own modules: transactions and rows

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in a write transaction; a lost race becomes `ConcurrentUpdate`."""
        self._refuse_if_read_only("write")
        with connection.writing(self.writer) as conn:
            yield conn

    # Inside

    def _check_change(self, operation: str, case_ref: str, at: datetime, key: str | None) -> None:
        """Check a change's arguments, and that the store may write, before any query."""
        check_case_ref(case_ref)
        check_time(at, "now" if operation == "tick" else "at", operation=operation,
                   case_ref=case_ref)  # fmt: skip
        if key is not None:
            check_key(key, case_ref, operation=operation)
        self._refuse_if_read_only(operation)
        self.clock.check(at, case_ref, operation)

    def _refuse_if_read_only(self, operation: str) -> None:
        if self.read_only:
            self._refuse(operation)

    def _refuse(self, operation: str) -> None:
        raise ReadOnlyStore(
            f"{operation}: this journey store was opened read-only, so nothing can be "
            "written; open it without read_only=True to change journeys"
        )

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
        """One transaction: the driver's own (`self.fast`), else the locked path (`self.locked`).

        `change` checks the stored row and returns the changed journey; its events since
        `saved` (or since the stored event count) are written, or a known request replayed.
        """
        if self.fast is not None:
            applied = self.fast.change(case_ref, request, key, change, saved)
            if applied is not None:
                return applied
        with self.writing() as conn:
            stored = self.locked.load(conn, case_ref, lock=True)
            if key is not None and request is not None:
                done = idempotency.replayed(conn, self.tables, key, request)
                if done is not None:
                    return done
            journey = change(stored)
            first = stored.row.event_count if saved is None else saved
            new = journey.events_since(first)
            applied = self.locked.write(conn, stored, journey, new)
            if key is not None and request is not None:
                idempotency.record(conn, self.tables, key, request, applied, first)
            return applied


def _driver_path(engine: Engine, tables: Tables) -> DriverPath | None:
    """How `engine`'s driver makes a change itself: `pathways.store.sqlite` for `sqlite3`,
    `pathways.store.postgres` for psycopg; None for any other driver (the locked path)."""
    dialect = engine.dialect
    if dialect.name == "sqlite" and dialect.driver == "pysqlite":
        from pathways.store.sqlite import SqlitePath

        return SqlitePath(engine, tables)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        from pathways.store.postgres import PostgresPath  # imports psycopg: PostgreSQL only

        return PostgresPath(engine, tables)
    return None
