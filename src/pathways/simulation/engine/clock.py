"""Simulation time: calendar days from the scenario's start date, with working days mapped onto it.

Time in the engine is a float number of calendar days since 00:00 on the scenario's `start`
date. Working days are those of `pathways.runtime.working_days` (Monday to Friday, not a bank
holiday in
England and Wales), so the simulator and the runtime agree on which days count.

A duration of `d` working days starting at time `t` ends at the earliest time `u` with
`W(u) = W(t) + d`, where `W` counts working time continuously: each working day adds one unit,
spread evenly over its 24 hours, and other days add nothing. So 1.5 working days from Friday
at noon ends at the end of Monday, and 5 working days from any time on a Saturday ends at the
end of the following Friday, as `pathways.runtime.working_days.add_working_days` counts it.

Stage and handoff limits (SLAs) are counted exactly as the runtime counts them: the arrival day
is never counted, the limit runs to the end of the due date, and a journey still there at
midnight after it is in breach.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta

from pathways.runtime.working_days import ENGLAND, is_working_day

__all__ = ["Clock"]


class Clock:
    """Converts between simulation days, dates and working days, from `start` onwards."""

    __slots__ = ("_cumulative", "_is_working", "_working_days", "start")

    def __init__(self, start: date, days: int = 366) -> None:
        self.start = start
        self._is_working: list[bool] = []
        self._cumulative: list[int] = [0]
        self._working_days: list[int] = []
        self._extend(max(days, 1))

    def _extend(self, days: int) -> None:
        have = len(self._is_working)
        for index in range(have, days):
            working = is_working_day(self.start + timedelta(days=index))
            self._is_working.append(working)
            self._cumulative.append(self._cumulative[-1] + working)
            if working:
                self._working_days.append(index)

    def _ensure(self, day: int) -> None:
        if day >= len(self._is_working):
            self._extend(max(day + 1, 2 * len(self._is_working)))

    def date_of(self, time: float) -> date:
        """The calendar date at simulation time `time`."""
        return self.start + timedelta(days=math.floor(time))

    def moment(self, when: float) -> datetime:
        """The moment (UTC) of simulation time `when`, for the runtime's journey API.

        Day `d` runs from midnight to midnight London time, so days with a clock change last
        23 or 25 hours; the fraction of the day is spread over its real length, so moments keep
        their order and their date in England.
        """
        day = math.floor(when)
        midnight = datetime.combine(self.start + timedelta(days=day), time(0), tzinfo=ENGLAND)
        following = datetime.combine(self.start + timedelta(days=day + 1), time(0), tzinfo=ENGLAND)
        low, high = midnight.astimezone(UTC), following.astimezone(UTC)
        return low + (high - low) * (when - day)

    def day_of(self, when: date) -> int:
        """The simulation day (midnight at its start) of the date `when`."""
        return (when - self.start).days

    def working_time(self, time: float) -> float:
        """W(time): the working days elapsed from the start to `time`, counted continuously."""
        day = math.floor(time)
        self._ensure(day + 1)
        elapsed = self._cumulative[day]
        if self._is_working[day]:
            return elapsed + (time - day)
        return float(elapsed)

    def add_working(self, time: float, days: float) -> float:
        """The time `days` working days after `time` (see the module docstring)."""
        if days <= 0.0:
            return time
        # `working_time`, inlined: this runs for every duration in working days.
        day = math.floor(time)
        if day + 1 >= len(self._is_working):
            self._ensure(day + 1)
        elapsed = self._cumulative[day]
        target = (elapsed + (time - day) if self._is_working[day] else float(elapsed)) + days
        whole = math.floor(target)
        fraction = target - whole
        while whole >= len(self._working_days):
            self._extend(2 * len(self._is_working))
        if fraction == 0.0:
            return self._working_days[whole - 1] + 1.0
        return self._working_days[whole] + fraction

    def overdue_at(self, arrived: float, days: int, working: bool) -> float:
        """When a journey that arrived at `arrived` breaches a limit of `days` (working) days."""
        day = math.floor(arrived)
        if not working or days <= 0:
            return float(day + days + 1)
        self._ensure(day + 1)
        due_index = self._cumulative[day + 1] + days - 1
        while due_index >= len(self._working_days):
            self._extend(2 * len(self._is_working))
        return float(self._working_days[due_index] + 1)

    def month_starts(self, until: float) -> list[float]:
        """The simulation days on which a calendar month begins, after 0 and before `until`."""
        starts: list[float] = []
        year, month = self.start.year, self.start.month
        while True:
            month += 1
            if month == 13:
                year, month = year + 1, 1
            day = self.day_of(date(year, month, 1))
            if day >= until:
                return starts
            starts.append(float(day))
