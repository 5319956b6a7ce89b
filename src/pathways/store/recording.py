"""When each event was recorded, by the database's own clock, and which were recorded late.

An event carries the time the caller says it happened (`at`, checked against the store's
clock but chosen by the caller) and, since revision 0003, the time the *database* recorded it
(`recorded_at`): read from the database server's clock in the same change that writes the
event (PostgreSQL `clock_timestamp()`; SQLite `strftime('%Y-%m-%d %H:%M:%f', 'now')`, the
clock of the machine the file is on), never taken from the caller, and chained into the
audit trail with the event, so it cannot be edited afterwards without the audit key. A
decision made late and back-dated inside its limit therefore shows: its `recorded_at` is
later than its `at`.

```python
for row in store.recorded("HU-2025-0142"):          # every event, with when it was recorded
    print(row.seq, row.what, row.at, row.recorded_at, row.staff)
for row in store.late(timedelta(hours=24)):         # recorded over a day after it happened
    print(row.case_ref, row.seq, row.by, row.staff, row.delay)
```

`pathways db late URL --hours 24` prints the same list. Events written before revision 0003
have no `recorded_at` (it is not known, and not made up) and are never listed as late.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Float, Select, and_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from pathways.store.arguments import check_case_ref
from pathways.store.failures import guarded
from pathways.store.tables import Tables, UTCDateTime

__all__ = ["SQLITE_NOW", "RecordedEvent", "Recording", "database_time", "db_now"]

#: The database's clock on SQLite, as the store writes times (UTC, six decimal places).
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"


class db_now(FunctionElement[datetime]):  # noqa: N801 (an SQL function's name)
    """The database server's clock now, in UTC (`clock_timestamp()` on PostgreSQL)."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(db_now)
def _now(element: db_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(db_now, "postgresql")
def _now_postgresql(element: db_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "clock_timestamp()"


@compiles(db_now, "sqlite")
def _now_sqlite(element: db_now, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({SQLITE_NOW})"


class _seconds_late(ColumnElement[float]):  # noqa: N801
    """How many seconds after its `at` an event was recorded."""

    type = Float()
    inherit_cache = True

    def __init__(self, recorded: Any, at: Any) -> None:
        self.recorded, self.at = recorded, at


@compiles(_seconds_late)
def _late(element: _seconds_late, compiler: SQLCompiler, **kw: Any) -> str:
    recorded, at = compiler.process(element.recorded, **kw), compiler.process(element.at, **kw)
    return f"EXTRACT(EPOCH FROM ({recorded} - {at}))"


@compiles(_seconds_late, "sqlite")
def _late_sqlite(element: _seconds_late, compiler: SQLCompiler, **kw: Any) -> str:
    recorded, at = compiler.process(element.recorded, **kw), compiler.process(element.at, **kw)
    return f"((julianday({recorded}) - julianday({at})) * 86400.0)"


def database_time(conn: Connection) -> datetime:
    """The database server's clock now (in the caller's transaction)."""
    found: datetime = conn.execute(select(db_now())).scalar_one()
    return found


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """One stored event: what happened, when the caller says, and when the database recorded it.

    `by` is the agency, `staff` the case system's opaque reference for the member of staff (None
    when not given); `recorded_at` is None for an event written before revision 0003.
    """

    case_ref: str
    seq: int
    what: str
    by: str | None
    staff: str | None
    at: datetime
    recorded_at: datetime | None

    @property
    def delay(self) -> timedelta | None:
        """How long after `at` it was recorded (None when not known)."""
        return None if self.recorded_at is None else self.recorded_at - self.at


class Recording:
    """`JourneyStore`'s reads of when events were recorded."""

    tables: Tables
    reading: Callable[[], AbstractContextManager[Connection]]

    @guarded("recorded")
    def recorded(self, case_ref: str) -> tuple[RecordedEvent, ...]:
        """The journey's events with when each was recorded, in order (not verified)."""
        check_case_ref(case_ref)
        e = self.tables.events
        with self.reading() as conn:
            rows = conn.execute(self._select().where(e.c.case_ref == case_ref).order_by(e.c.seq))
            return tuple(_recorded(r) for r in rows)

    @guarded("late")
    def late(
        self,
        after: timedelta = timedelta(hours=24),
        *,
        agency: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[RecordedEvent]:
        """Events recorded more than `after` after their `at`, by when they were recorded.

        `agency` keeps one agency's events; `since` and `until` bound when they were recorded.
        """
        e = self.tables.events
        late = _seconds_late(e.c.recorded_at, e.c.at) > after.total_seconds()
        wanted = [e.c.recorded_at.is_not(None), late]
        if agency is not None:
            wanted.append(e.c.agency == agency)
        if since is not None:
            wanted.append(e.c.recorded_at >= since)
        if until is not None:
            wanted.append(e.c.recorded_at < until)
        query = self._select().where(and_(*wanted))
        with self.reading() as conn:
            rows = conn.execute(query.order_by(e.c.recorded_at, e.c.case_ref, e.c.seq))
            return [_recorded(r) for r in rows]

    def _select(self) -> Select[Any]:
        e = self.tables.events
        return select(e.c.case_ref, e.c.seq, e.c.kind, e.c.agency, e.c.extra, e.c.at,
                      e.c.recorded_at)  # fmt: skip


def _recorded(row: Any) -> RecordedEvent:
    staff = (row.extra or {}).get("staff")
    return RecordedEvent(
        row.case_ref, row.seq, row.kind, row.agency, staff, row.at, row.recorded_at
    )
