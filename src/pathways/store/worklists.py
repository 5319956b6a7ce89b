"""Worklists: the open work of one agency, stage by stage, asked in SQL without loading journeys.

```python
page = store.worklist("hull-city-council", at=now, overdue=True)
for item in page.items:
    print(item.case_ref, item.stage, item.overdue_by)
```

A work item is one position (a track of a journey at a stage), not a journey: a journey at two
stages owned by two agencies is on both agencies' lists, each with its own due date. It is on
`agency`'s list while the journey is open, the stage is not an outcome and `agency` owns the
stage on the journey's pathway version (`stage_owners`, written when a version is registered:
a stage owned by a role is owned by every agency filling it). `overdue=True` keeps the items
overdue at `at`: the position's own due date (`due`, when it becomes overdue: midnight after
the last day allowed, its pauses and the bank holidays counted as the runtime counts them) is
at or before `at`; a paused clock has no due date, so it is never overdue.
`awaiting_acceptance=True` keeps the referrals waiting for `agency` to accept or decline them.
`stage` keeps one stage. Items come by case reference and track, `limit` at a time; `next` is
the cursor for the page after (pass it as `after`).

The position rows are written with the journey on every change (`pathways.store.rows`), and
`pathways db refresh-deadlines` works their due dates out again after the calendar changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import ColumnElement, and_, exists, or_, select, true

from pathways.errors import InvalidRequest
from pathways.store.arguments import check_limit, check_text, check_time
from pathways.store.failures import guarded
from pathways.store.worklists_postgres import COLUMNS, Owned, fetch_worklist

if TYPE_CHECKING:
    from sqlalchemy import Engine, Select

    from pathways.store.tables import Tables

__all__ = ["WorkItem", "WorkPage", "Worklists", "worklist_query"]


class WorkItem(NamedTuple):
    """One position on an agency's worklist.

    `owner` is the agency whose list it is on; `due` is when the position becomes overdue
    (None when no limit runs, for example while its clock is paused); `overdue_by` is how long
    it has been overdue at the time asked (None if it is not overdue then);
    `awaiting_acceptance` is true when the referral `referral` waits for the owner's answer.
    """

    case_ref: str
    track: str
    stage: str
    owner: str
    since: datetime
    due: datetime | None
    overdue_by: timedelta | None
    paused: bool
    awaiting_acceptance: bool
    referral: str | None
    pathway_id: str
    version: str


@dataclass(frozen=True, slots=True)
class WorkPage:
    """Some of an agency's work items; `next` is the cursor for the page after, if any."""

    items: tuple[WorkItem, ...]
    next: str | None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def worklist_query(
    tables: Tables,
    agency: str,
    *,
    at: datetime,
    overdue: bool = False,
    awaiting_acceptance: bool = False,
    stage: str | None = None,
    limit: int = 100,
    after: tuple[str, str] | None = None,
) -> Select[Any]:
    """The query behind `Worklists.worklist`, `limit + 1` rows (see the module docstring).

    Positions at the stages `agency` owns on any stored version, and on the journey's own
    version (`stage_owners`), that are work; then the options' filters.
    """
    p, j, v, o = tables.positions, tables.journeys, tables.pathways, tables.owners
    owned = select(o.c.stage).where(o.c.agency == agency)
    mine = exists().where(
        o.c.agency == agency, o.c.fingerprint == j.c.fingerprint, o.c.stage == p.c.stage
    )
    where: list[ColumnElement[bool]] = [p.c.active == true(), p.c.stage.in_(owned), mine]
    if overdue:
        where.append(p.c.due <= at)
    if awaiting_acceptance:
        where.append(p.c.awaiting.is_not(None))
    if stage is not None:
        where.append(p.c.stage == stage)
    if after is not None:
        case_ref, track = after
        where.append(
            or_(p.c.case_ref > case_ref, and_(p.c.case_ref == case_ref, p.c.track > track))
        )
    return (
        select(*(p.c[name] for name in COLUMNS), v.c.pathway_id, v.c.version)
        .select_from(
            p.join(j, j.c.case_ref == p.c.case_ref).join(v, v.c.fingerprint == j.c.fingerprint)
        )
        .where(*where)
        .order_by(p.c.case_ref, p.c.track)
        .limit(limit + 1)
    )


class Worklists:
    """The worklist method of `JourneyStore`."""

    engine: Engine
    tables: Tables
    fast: Any

    @guarded("worklist")
    def worklist(
        self,
        agency: str,
        *,
        at: datetime,
        overdue: bool = False,
        awaiting_acceptance: bool = False,
        stage: str | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> WorkPage:
        """`agency`'s open work at `at`, by case reference and track, `limit` at a time.

        On PostgreSQL with psycopg the query runs on the driver's own path, prepared on the
        server (`pathways.store.worklists_postgres`); elsewhere with SQLAlchemy
        (`worklist_query`): the same rows either way.
        """
        check_text("agency", agency, operation="worklist")
        check_time(at, "at", operation="worklist")
        check_limit(limit, operation="worklist")
        if stage is not None:
            check_text("stage", stage, operation="worklist")
        cursor = None if after is None else _cursor(after)
        fetch = getattr(self.fast, "fetch", None)
        rows: Sequence[Any]
        if fetch is not None:
            rows = fetch_worklist(
                fetch, self.tables.prefix, agency, at=at, overdue=overdue,
                awaiting=awaiting_acceptance, stage=stage, rows=limit + 1, after=cursor,
                owned=self._owned_stages(),
            )  # fmt: skip
        else:
            query = worklist_query(
                self.tables, agency, at=at, overdue=overdue,
                awaiting_acceptance=awaiting_acceptance, stage=stage, limit=limit, after=cursor,
            )  # fmt: skip
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
        items = _items(rows[:limit], agency, at)
        last = items[-1] if len(rows) > limit else None
        return WorkPage(items, None if last is None else f"{last.case_ref} {last.track}")

    def _owned_stages(self) -> Owned:
        """The stages each agency owns, as last found (`worklists_postgres.Owned`), for this
        store; shared by its threads (a dictionary's get and set are atomic)."""
        owned: Owned | None = self.__dict__.get("_owned")
        if owned is None:
            owned = self.__dict__.setdefault("_owned", {})
        return owned


def _items(rows: Sequence[Any], agency: str, at: datetime) -> tuple[WorkItem, ...]:
    """Work items from rows of `COLUMNS`, then the pathway id and version (times in UTC)."""
    items = []
    for case_ref, track, stage, since, due, paused, awaiting, pathway_id, version in rows:
        if due is not None:
            due = due.astimezone(UTC)
        late = at - due if due is not None and due <= at else None
        items.append(
            WorkItem(case_ref, track, stage, agency, since.astimezone(UTC), due, late,
                     bool(paused), awaiting is not None, awaiting, pathway_id, version)
        )  # fmt: skip
    return tuple(items)


def _cursor(after: str) -> tuple[str, str]:
    """The case reference and track of a `WorkPage.next` cursor."""
    check_text("after", after, operation="worklist")
    case_ref, space, track = after.rpartition(" ")
    if not space or not case_ref or not track:
        raise InvalidRequest(
            f"worklist: after must be the `next` cursor of a page, not {after!r}",
            operation="worklist",
        )
    return case_ref, track
