"""The simulation's clock (`pathways.simulation.engine.clock`): moments keep their order and date
across clock changes, and working days follow the calendar.
"""

from __future__ import annotations

from pathways.simulation.engine.clock import Clock


def test_clock_moments_keep_order_and_date_across_clock_changes() -> None:
    clock = Clock(model_start := __import__("datetime").date(2024, 3, 30))
    moments = [clock.moment(day / 10) for day in range(40)]
    assert moments == sorted(moments)
    assert clock.moment(1.999).astimezone(clock_zone()).date() == model_start.replace(day=31)


def clock_zone():  # type: ignore[no-untyped-def]
    from pathways.runtime.working_days import ENGLAND

    return ENGLAND


def test_working_days_follow_the_calendar() -> None:
    from datetime import date

    clock = Clock(date(2025, 12, 19))  # a Friday; 25 and 26 December are bank holidays
    assert clock.add_working(0.5, 1.0) == 3.5  # Friday noon + 1 working day: Monday noon
    # From Friday 00:00, Friday itself is the first working day: ends with Monday 29th (day 10).
    assert clock.add_working(0.0, 5.0) == 11.0
    # A 5-working-day limit does not count the arrival day: due Tuesday 30th (day 11).
    assert clock.overdue_at(0.2, 5, True) == 12.0
