"""One change to a stored journey: read it locked, then write its events and state.

What a change writes is worked out once, whatever the database (`plan`): the new events'
rows, each hash-chained to the one before; the journey row's columns; the positions added or
moved. Where it is written depends on the driver (`driver_path`): `sqlite3` and psycopg run
the statements themselves (`pathways.store.sqlite`, `pathways.store.postgres`); what they
leave, and any other driver, takes the locked path here, SQLAlchemy Core statements built
once per table prefix:

- **Read**: one query returns the journey row joined with its positions, locked for the rest
  of the transaction (`FOR UPDATE OF` the journey row on PostgreSQL; on SQLite the transaction
  began with `BEGIN IMMEDIATE`).
- **Write**: the journey row is updated `WHERE revision = <the revision read>`; if no row
  matches, `ConcurrentUpdate` is raised and nothing is written. The new events are appended,
  hash-chained, and moved positions are updated. On PostgreSQL the usual change (one event,
  at most one track moved, none started) is a single statement: the journey `UPDATE ...
  RETURNING` feeds the event `INSERT` and the position `UPDATE` in data-modifying CTEs, so the
  event is appended only if the revision matched. Anything else takes one statement per row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Connection, Engine, Select, bindparam, func, insert, select, update

from pathways.errors import ConcurrentUpdate, JourneyNotFound
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.store import audit
from pathways.store.rows import derived, event_row, position_rows
from pathways.store.tables import Tables

__all__ = [
    "Applied",
    "DriverPath",
    "Place",
    "Row",
    "Rows",
    "Stored",
    "Writes",
    "conflict",
    "driver_path",
    "plan",
    "writes_for",
]

#: The journey columns a change writes (besides `revision` and `head_hash`).
_STATE = ("profile", "event_count", "last_event_at", "closed", "closed_at", "overdue_from",
          "timeout_at")  # fmt: skip
_EVENT = ("case_ref", "seq", "kind", "at", "agency", "handoff", "from_stage", "to_stage",
          "shares", "started", "profile", "change", "hash")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Applied:
    """The result of a change: the events it recorded and the journey's revision after it.

    `replayed` is true when an idempotency key had already recorded this request: `events` are
    then the events it recorded the first time, and nothing new was written.
    """

    case_ref: str
    events: tuple[Event, ...]
    revision: int
    replayed: bool = False


class Row(NamedTuple):
    """The journey columns a change reads (read on a driver's own connection)."""

    case_ref: str
    fingerprint: str
    profile: dict[str, Any]
    event_count: int
    revision: int
    head_hash: str
    last_event_at: datetime
    closed_at: datetime | None


class Place(NamedTuple):
    """A positions row: where one track is, since when."""

    track: str
    stage: str
    since: datetime


@dataclass(frozen=True, slots=True)
class Stored:
    """A journey row as read for a change, with its positions (`track -> (stage, since)`).

    `journey`, if set, is the journey that was written to leave this row (by this process,
    just now): a change may start from `journey.detached()` instead of binding the row.
    """

    row: Any
    places: tuple[Any, ...]
    journey: Journey | None = field(default=None, compare=False)

    @property
    def tracks(self) -> dict[str, tuple[str, datetime]]:
        return {p.track: (p.stage, p.since) for p in self.places}


class Writes:
    """The prebuilt statements of one table prefix, and the reads and writes made with them."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        j, p, e = tables.journeys, tables.positions, tables.events
        joined = j.outerjoin(p, p.c.case_ref == j.c.case_ref)
        read = select(j, p.c.track, p.c.stage, p.c.since).select_from(joined)
        self.read: Select[Any] = read.where(j.c.case_ref == bindparam("key_case_ref"))
        self.read_locked: Select[Any] = self.read.with_for_update(of=j)
        state = {name: bindparam(f"new_{name}", type_=j.c[name].type) for name in _STATE}
        self.update_journey = (
            update(j)
            .where(j.c.case_ref == bindparam("key_case_ref"))
            .where(j.c.revision == bindparam("key_revision"))
            .values(revision=bindparam("new_revision"), head_hash=bindparam("new_head"), **state)
        )
        self.insert_event = insert(e)
        self.insert_position = insert(p)
        self.update_position = (
            update(p)
            .where(p.c.case_ref == bindparam("key_case_ref"))
            .where(p.c.track == bindparam("key_track"))
            .values(stage=bindparam("new_stage"), since=bindparam("new_since"))
        )
        self.one_statement = {moved: self._one_statement(moved) for moved in (False, True)}

    def _one_statement(self, moved: bool) -> Select[Any]:
        """PostgreSQL: update the journey, append one event and move one track, in one go."""
        j, p, e = self.tables.journeys, self.tables.positions, self.tables.events
        changed = self.update_journey.returning(j.c.case_ref).cte("changed")
        values = [bindparam(f"event_{name}", type_=e.c[name].type) for name in _EVENT[1:]]
        appended = insert(e).from_select(
            list(_EVENT), select(changed.c.case_ref, *values)
        ).cte("appended")  # fmt: skip
        query = select(func.count()).select_from(changed).add_cte(appended)
        if moved:
            move = (
                update(p)
                .where(p.c.case_ref == changed.c.case_ref)
                .where(p.c.track == bindparam("key_track"))
                .values(stage=bindparam("new_stage"), since=bindparam("new_since"))
                .cte("moved")
            )
            query = query.add_cte(move)
        return query

    def load(self, conn: Connection, case_ref: str, *, lock: bool = False) -> Stored:
        """The journey row and its positions (locked if asked); `JourneyNotFound` if none."""
        query = self.read_locked if lock else self.read
        rows = conn.execute(query, {"key_case_ref": case_ref}).all()
        if not rows:
            raise JourneyNotFound(f"Case {case_ref}: no journey with this case reference")
        return Stored(rows[0], tuple(r for r in rows if r.track is not None))

    def write(
        self, conn: Connection, stored: Stored, journey: Journey, new: Sequence[Event]
    ) -> Applied:
        """Append `new` (what `journey` did since `stored`) and update its row and positions."""
        row = stored.row
        case_ref = row.case_ref
        if not new:
            return Applied(case_ref, (), row.revision)
        rows = plan(stored, journey, new)
        params = {f"new_{name}": rows.state[name] for name in _STATE}
        params.update(
            key_case_ref=case_ref,
            key_revision=row.revision,
            new_revision=row.revision + 1,
            new_head=rows.head,
        )
        if conn.dialect.name == "postgresql" and rows.usual:
            params.update({f"event_{name}": rows.events[0][name] for name in _EVENT[1:]})
            if rows.moved:
                params.update(self._move_params(rows.moved[0]))
            done = conn.execute(self.one_statement[bool(rows.moved)], params).scalar_one()
            if done != 1:
                raise conflict(case_ref, row.revision, None)
            return Applied(case_ref, tuple(new), row.revision + 1)
        if conn.execute(self.update_journey, params).rowcount != 1:
            raise conflict(case_ref, row.revision, None)
        conn.execute(self.insert_event, rows.events)
        if rows.added:
            conn.execute(self.insert_position, rows.added)
        for place in rows.moved:
            conn.execute(self.update_position, self._move_params(place))
        return Applied(case_ref, tuple(new), row.revision + 1)

    @staticmethod
    def _move_params(place: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "key_case_ref": place["case_ref"],
            "key_track": place["track"],
            "new_stage": place["stage"],
            "new_since": place["since"],
        }


@dataclass(frozen=True, slots=True)
class Rows:
    """What a change writes: event rows (hash-chained), journey columns, new and moved tracks."""

    events: list[dict[str, Any]]
    head: str
    state: dict[str, Any]
    added: list[dict[str, Any]]
    moved: list[dict[str, Any]]

    @property
    def usual(self) -> bool:
        """One event, no track started, at most one track moved: one statement on PostgreSQL."""
        return len(self.events) == 1 and not self.added and len(self.moved) < 2


def plan(stored: Stored, journey: Journey, new: Sequence[Event]) -> Rows:
    """The rows to write for `new` (at least one event), what `journey` did since `stored`."""
    row = stored.row
    case_ref = row.case_ref
    head = row.head_hash
    events = []
    for event in new:
        data = event.to_dict()
        head = audit.chain_event(head, case_ref, data)
        events.append(event_row(case_ref, data, event.at, head))
    state = derived(journey, new[-1])
    state.setdefault("closed_at", row.closed_at)
    before = stored.tracks
    added, moved = [], []
    for place in position_rows(journey):
        was = before.get(place["track"])
        if was is None:
            added.append(place)
        elif was != (place["stage"], place["since"]):
            moved.append(place)
    return Rows(events, head, state, added, moved)


_WRITES: dict[str, Writes] = {}


def writes_for(tables: Tables) -> Writes:
    """The statements of `tables`' prefix (built once, then shared)."""
    found = _WRITES.get(tables.prefix)
    if found is None:
        found = _WRITES[tables.prefix] = Writes(tables)
    return found


class DriverPath(Protocol):
    """A change made with the database driver itself (see `driver_path`)."""

    def change(
        self,
        case_ref: str,
        request: str | None,
        key: str | None,
        change: Callable[[Stored], Journey],
        saved: int | None,
    ) -> Applied | None:
        """Make the change, or return None (having written nothing) for the locked path."""

    def close(self) -> None:
        """Close any connection the path holds of its own."""


def driver_path(engine: Engine, tables: Tables) -> DriverPath | None:
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


def conflict(case_ref: str, expected: int, found: int | None) -> ConcurrentUpdate:
    """The error for a journey that changed since revision `expected` was read."""
    now = "" if found is None else f" (it is now at revision {found})"
    return ConcurrentUpdate(
        f"Case {case_ref}: the journey changed since revision {expected} was read{now}; "
        "nothing was written: reload it and try again"
    )
