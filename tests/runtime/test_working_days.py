"""Working days and due dates on the calendar of England and Wales."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.definition.durations import Duration
from pathways.runtime.working_days import (
    ENGLAND,
    add_working_days,
    bank_holiday,
    day_in_england,
    due_date,
    is_working_day,
    overdue_from,
)


def test_bank_holidays_come_from_the_holidays_library() -> None:
    assert bank_holiday(date(2025, 12, 25)) == "Christmas Day"
    assert bank_holiday(date(2026, 4, 6)) == "Easter Monday"
    assert bank_holiday(date(2026, 4, 7)) is None


def test_england_and_wales_share_one_list() -> None:
    years = range(2020, 2031)
    england = holidays.country_holidays("GB", subdiv="ENG", years=years)
    wales = holidays.country_holidays("GB", subdiv="WLS", years=years)
    assert set(england) == set(wales)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 6, 4), True),  # a Wednesday
        (date(2025, 6, 7), False),  # a Saturday
        (date(2025, 6, 8), False),  # a Sunday
        (date(2025, 5, 26), False),  # Spring Bank Holiday
        (date(2026, 12, 28), False),  # Boxing Day (substitute day)
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_working_days_skip_christmas() -> None:
    friday = date(2025, 12, 19)
    assert add_working_days(friday, 3) == date(2025, 12, 24)
    assert add_working_days(friday, 4) == date(2025, 12, 29)
    assert add_working_days(friday, 5) == date(2025, 12, 30)


def test_the_start_day_is_never_counted() -> None:
    saturday = date(2025, 6, 7)
    assert add_working_days(saturday, 1) == date(2025, 6, 9)
    assert add_working_days(date(2025, 6, 4), 1) == date(2025, 6, 5)
    assert add_working_days(saturday, 0) == saturday


def test_negative_counts_go_back() -> None:
    assert add_working_days(date(2025, 12, 30), -5) == date(2025, 12, 19)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    count=st.integers(min_value=1, max_value=60),
)
def test_add_working_days_counts_exactly(start: date, count: int) -> None:
    end = add_working_days(start, count)
    years = range(start.year, end.year + 1)
    official = holidays.country_holidays("GB", subdiv="ENG", years=years)
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    counted = [d for d in days if d.weekday() < 5 and d not in official]
    assert len(counted) == count
    assert counted[-1] == end


def test_due_dates() -> None:
    friday = date(2025, 12, 19)
    assert due_date(friday, Duration(5, working=True)) == date(2025, 12, 30)
    assert due_date(friday, Duration(14, working=False)) == date(2026, 1, 2)
    assert due_date(friday, Duration(0, working=False)) == friday


def test_overdue_from_midnight_in_england_after_the_due_date() -> None:
    winter = overdue_from(date(2025, 12, 19), Duration(5, working=True))
    assert winter == datetime(2025, 12, 31, 0, 0, tzinfo=ENGLAND)
    assert winter.utcoffset() == timedelta(0)
    summer = overdue_from(date(2025, 6, 2), Duration(1, working=False))
    assert summer == datetime(2025, 6, 3, 23, 0, tzinfo=UTC)


def test_the_day_is_the_day_in_england() -> None:
    just_after_midnight_bst = datetime(2025, 6, 1, 23, 30, tzinfo=UTC)
    assert day_in_england(just_after_midnight_bst) == date(2025, 6, 2)
    assert day_in_england(datetime(2025, 12, 1, 23, 30, tzinfo=UTC)) == date(2025, 12, 1)
