"""Working days and due dates, on the calendar of England and Wales.

This is the one module that imports `holidays`, the maintained library of public holidays: bank
holidays are never written out by hand here. England and Wales share one list of bank holidays;
we read it as the `holidays` package publishes it for England (`GB`, subdivision `ENG`).

How a time limit is counted (the same for stage and handoff limits):

1. Take the day the journey arrived, as a date in England (`Europe/London`, so an arrival at
   00:30 British Summer Time on a Tuesday counts as Tuesday).
2. The arrival day itself is never counted. `N calendar days` ends N days later. `N working days`
   ends on the Nth working day after it; a working day is Monday to Friday and not a bank holiday.
3. That day is the **due date**. The limit runs until the end of the due date, so the journey is
   **overdue** from midnight (London time) at the start of the following day.

So a referral that arrives on Friday 19 December 2025 with `5 working days` is due on Tuesday
30 December (22, 23, 24, 29 and 30 December count; 25 and 26 December are bank holidays) and is
overdue from 00:00 on 31 December.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from pathways.definition.durations import Duration

__all__ = [
    "ENGLAND",
    "add_working_days",
    "allowed_from",
    "bank_holiday",
    "day_in_england",
    "due_date",
    "is_working_day",
    "overdue_from",
]

#: The time zone in which days are counted.
ENGLAND = ZoneInfo("Europe/London")

_SATURDAY = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    """The bank holidays of England and Wales in `year`, by date (computed once per year)."""
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {day: str(name) for day, name in calendar.items()}


def bank_holiday(day: date) -> str | None:
    """The name of the bank holiday on `day` in England and Wales, or None if there is none."""
    return _bank_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """True from Monday to Friday, except bank holidays in England and Wales."""
    return day.weekday() < _SATURDAY and day not in _bank_holidays(day.year)


@lru_cache(maxsize=4096)
def add_working_days(day: date, count: int) -> date:
    """The `count`th working day after `day` (before it if `count` is negative; 0 gives `day`).

    `day` itself is never counted, whether or not it is a working day. Remembered for recent
    calls: a case system works out the same few deadlines for many journeys each day.
    """
    step = timedelta(days=1 if count >= 0 else -1)
    current = day
    left = abs(count)
    while left:
        current += step
        if is_working_day(current):
            left -= 1
    return current


def due_date(arrived: date, limit: Duration) -> date:
    """The last day allowed by `limit` for a journey that arrived on `arrived` (see above)."""
    if limit.working:
        return add_working_days(arrived, limit.days)
    return arrived + timedelta(days=limit.days)


def overdue_from(arrived: date, limit: Duration) -> datetime:
    """The moment a journey that arrived on `arrived` becomes overdue under `limit`.

    That is midnight, London time, at the start of the day after the due date.
    """
    after_due = due_date(arrived, limit) + timedelta(days=1)
    return datetime.combine(after_due, time(0), tzinfo=ENGLAND)


def allowed_from(arrived: date, minimum: Duration) -> datetime:
    """The moment a journey that arrived on `arrived` has spent `minimum` (a stage's `at_least`).

    That is midnight, London time, at the start of the day `minimum` counts to: a stage entered
    on 1 March with `at_least: 30 calendar days` may be left from 00:00 on 31 March.
    """
    return datetime.combine(due_date(arrived, minimum), time(0), tzinfo=ENGLAND)


def day_in_england(at: datetime) -> date:
    """The date in England at the moment `at`, which must carry a time zone (checked by callers)."""
    return at.astimezone(ENGLAND).date()
