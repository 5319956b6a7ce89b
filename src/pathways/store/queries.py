"""The questions a case system asks of its journeys, answered a page at a time.

```python
page = store.find(stage="nrm-referral", limit=50)
while True:
    for summary in page.items:
        ...
    if page.next is None:
        break
    page = store.find(stage="nrm-referral", limit=50, after=page.next)
```

Every filter can be combined: `stage` (any track at that stage), `agency` (the journey is open
and at a stage, not an outcome, that the agency is responsible for), `overdue_at` (a time limit
other than a timeout has run out by then), `area`, `pathway` (its id), `opened` and `closed`
(half-open periods `(start, end)`), `open_only`. `stage`, `agency` and `overdue_at` are
combined position by position: with `agency="police", overdue_at=now` a journey is listed when
a stage the police own is overdue, not when it is overdue only at another agency's stage
(`pathways.store.worklists` lists the positions themselves). Pages are ordered by case
reference and continue after the `next` cursor of the page before, so a journey is never
skipped or listed twice while others are added. Every filter is checked before any query
(`pathways.store.arguments`), and an error of the database comes out as a `StoreError` naming
the query (`guarded`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, exists, false, select, true

from pathways.definition.schema import MAIN_TRACK
from pathways.store.arguments import MAX_PAGE, check_limit, check_period, check_text, check_time
from pathways.store.failures import guarded

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from pathways.store.tables import Tables
    from pathways.store.versions import Versions

__all__ = ["Page", "Queries", "Summary"]


@dataclass(frozen=True, slots=True)
class Summary:
    """One journey as a query lists it."""

    case_ref: str
    pathway: str
    version: str
    area: str
    stage: str
    closed: bool
    opened_at: datetime
    closed_at: datetime | None
    overdue_from: datetime | None
    revision: int


@dataclass(frozen=True, slots=True)
class Page:
    """Some of the journeys a query found; `next` is the cursor for the page after, if any."""

    items: tuple[Summary, ...]
    next: str | None

    @property
    def case_refs(self) -> tuple[str, ...]:
        return tuple(item.case_ref for item in self.items)


class Queries:
    """The query methods of `JourneyStore`."""

    engine: Engine
    tables: Tables
    versions: Versions

    @guarded("find")
    def find(
        self,
        *,
        stage: str | None = None,
        agency: str | None = None,
        overdue_at: datetime | None = None,
        area: str | None = None,
        pathway: str | None = None,
        opened: tuple[datetime, datetime] | None = None,
        closed: tuple[datetime, datetime] | None = None,
        open_only: bool = False,
        limit: int = 100,
        after: str | None = None,
    ) -> Page:
        """Journeys matching every filter given, by case reference, `limit` at a time."""
        _check_filters("find", stage=stage, agency=agency, area=area, pathway=pathway, after=after)
        check_limit(limit, operation="find")
        if overdue_at is not None:
            check_time(overdue_at, "overdue_at", operation="find")
        if opened is not None:
            opened = check_period(opened, "opened", operation="find")
        if closed is not None:
            closed = check_period(closed, "closed", operation="find")
        t = self.tables
        j, v = t.journeys, t.pathways
        where: list[ColumnElement[bool]] = []
        if agency is not None or (stage is not None and overdue_at is not None):
            where.append(self._held(stage, agency, overdue_at))
        elif stage is not None:
            q = t.positions.alias("at_stage")
            where.append(exists().where(q.c.case_ref == j.c.case_ref, q.c.stage == stage))
        if overdue_at is not None:
            where += [j.c.overdue_from <= overdue_at, j.c.closed == false()]
        if area is not None:
            where.append(v.c.area == area)
        if pathway is not None:
            where.append(v.c.pathway_id == pathway)
        if opened is not None:
            where += [j.c.opened_at >= opened[0], j.c.opened_at < opened[1]]
        if closed is not None:
            where += [j.c.closed_at >= closed[0], j.c.closed_at < closed[1]]
        if open_only:
            where.append(j.c.closed == false())
        with self.engine.connect() as conn:
            return self._page(conn, where, limit, after)

    def at_stage(self, stage: str, **options: Any) -> Page:
        """Journeys with a track at `stage`."""
        return self.find(stage=stage, **options)

    def owned_by(self, agency: str, **options: Any) -> Page:
        """Open journeys at a stage that `agency` is responsible for."""
        return self.find(agency=agency, **options)

    def overdue(self, now: datetime, **options: Any) -> Page:
        """Open journeys with a time limit (not a timeout) run out by `now`."""
        return self.find(overdue_at=now, **options)

    def in_area(self, area: str, **options: Any) -> Page:
        """Journeys on a pathway of `area`."""
        return self.find(area=area, **options)

    def opened_between(self, start: datetime, end: datetime, **options: Any) -> Page:
        """Journeys opened at or after `start` and before `end`."""
        return self.find(opened=(start, end), **options)

    def closed_between(self, start: datetime, end: datetime, **options: Any) -> Page:
        """Journeys closed at or after `start` and before `end`."""
        return self.find(closed=(start, end), **options)

    @guarded("timeouts_due")
    def timeouts_due(self, now: datetime, *, limit: int = 100, after: str | None = None) -> Page:
        """Open journeys with a timeout due by `now`: the ones a scheduled `tick` should visit."""
        check_time(now, "now", operation="timeouts_due")
        check_limit(limit, operation="timeouts_due")
        _check_filters("timeouts_due", after=after)
        j = self.tables.journeys
        with self.engine.connect() as conn:
            return self._page(conn, [j.c.timeout_at <= now, j.c.closed == false()], limit, after)

    @guarded("case_refs")
    def case_refs(self, *, after: str | None = None, limit: int = MAX_PAGE) -> list[str]:
        """Every stored case reference after `after`, in order, at most `limit`."""
        check_limit(limit, operation="case_refs")
        _check_filters("case_refs", after=after)
        j = self.tables.journeys
        query = select(j.c.case_ref).order_by(j.c.case_ref).limit(limit)
        if after is not None:
            query = query.where(j.c.case_ref > after)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def _page(
        self, conn: Connection, where: list[ColumnElement[bool]], limit: int, after: str | None
    ) -> Page:
        t = self.tables
        j, v, p = t.journeys, t.pathways, t.positions
        if after is not None:
            where = [*where, j.c.case_ref > after]
        main = and_(p.c.case_ref == j.c.case_ref, p.c.track == MAIN_TRACK)
        query = (
            select(
                j.c.case_ref,
                v.c.pathway_id.label("pathway"),
                v.c.version,
                v.c.area,
                p.c.stage,
                j.c.closed,
                j.c.opened_at,
                j.c.closed_at,
                j.c.overdue_from,
                j.c.revision,
            )
            .select_from(j.join(v, v.c.fingerprint == j.c.fingerprint).join(p, main))
            .where(*where)
            .order_by(j.c.case_ref)
            .limit(limit + 1)
        )
        rows = conn.execute(query).all()
        items = tuple(Summary(**row._asdict()) for row in rows[:limit])
        return Page(items, items[-1].case_ref if len(rows) > limit else None)

    def _held(
        self, stage: str | None, agency: str | None, overdue_at: datetime | None
    ) -> ColumnElement[bool]:
        """A position of the journey meets every per-stage filter at once: at `stage`, work
        that `agency` owns, overdue at `overdue_at` (its own due date, not the journey's)."""
        t = self.tables
        j, q = t.journeys, t.positions.alias("held")
        conditions: list[ColumnElement[bool]] = [q.c.case_ref == j.c.case_ref]
        if stage is not None:
            conditions.append(q.c.stage == stage)
        if overdue_at is not None:
            conditions += [q.c.active == true(), q.c.due <= overdue_at]
        if agency is not None:
            o = t.owners.alias("owner")
            conditions.append(q.c.active == true())
            conditions.append(
                exists().where(
                    o.c.agency == agency, o.c.fingerprint == j.c.fingerprint, o.c.stage == q.c.stage
                )
            )
        return exists().where(*conditions)


def _check_filters(operation: str, **filters: str | None) -> None:
    for name, value in filters.items():
        if value is not None:
            check_text(name, value, operation=operation)
