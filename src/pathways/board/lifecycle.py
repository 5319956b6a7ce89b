"""The referral lifecycle in the board report: referrals declined, journeys withdrawn, closed
early or moved to another area, and clocks paused, in the period.

Counted from the events in force (a voided event is not counted; an amended one counts at its
corrected time), a quarter at a time and rounded like every other figure. Paused time is the
median number of days a clock stayed paused, for pauses that ended in the period; it is shown
only when worked out from enough pauses.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime

from pathways.board.figures import by_quarter
from pathways.board.period import Period
from pathways.board.suppress import Count, Draft, Statistic, Table
from pathways.conformance.replay import in_force
from pathways.runtime.events import Event

__all__ = ["lifecycle_table"]

_ROWS = (
    ("declined", "Referrals declined by the agency receiving them"),
    ("withdrawn", "Journeys withdrawn"),
    ("closed-early", "Journeys closed early"),
    ("transferred", "Journeys moved to another area's pathway"),
)
_DAY = 86_400.0


def _pauses(events: Sequence[Event]) -> list[tuple[datetime, float]]:
    """Each pause that ended: (when it ended, days paused), by the stage paused."""
    began: dict[str, datetime] = {}
    ended: list[tuple[datetime, float]] = []
    for event in events:
        stage = event.from_stage or ""
        if event.what == "paused":
            began[stage] = event.at
        elif event.what == "resumed" and stage in began:
            start = began.pop(stage)
            ended.append((event.at, (event.at - start).total_seconds() / _DAY))
    return ended


def lifecycle_table(histories: Sequence[Sequence[Event]], period: Period) -> Table:
    """The lifecycle table for journeys with `histories` in `period`."""
    draft = Draft(
        "lifecycle",
        "Declined, withdrawn, closed early, moved and paused",
        "Referrals the receiving agency declined, journeys that ended early or moved to another "
        "area, and clocks stopped for a declared reason (waiting on the person, a hospital stay).",
        (("count", "count"), ("median-days", "median days paused")),
    )
    effective = [in_force(events) for events in histories]
    none = Statistic(None, Count(tuple(0 for _ in period.quarters)))
    for kind, words in _ROWS:
        count = by_quarter(period, (e.at for events in effective for e in events if e.what == kind))
        draft.row(kind, words, count, none)
    start, end = period.start, period.end
    pauses = [p for events in effective for p in _pauses(events) if start <= p[0] < end]
    paused = by_quarter(period, (at for at, _ in pauses))
    median = statistics.median(days for _, days in pauses) if pauses else None
    draft.row("paused", "Clocks paused (pauses that ended)", paused, Statistic(median, paused))
    return draft.finish()
