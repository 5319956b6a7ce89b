"""Staff calendars: recurring absences on top of an agency's (dated) capacity.

```yaml
capacity:
  hull-city-council:
    caseworkers: 3
    absences:
      - {every: week, on: [friday], away: 1}                 # one caseworker part-time
      - {every: year, from: 12-24, to: 01-01, away: 2}       # Christmas and New Year
      - {every: year, from: 08-01, to: 08-21, away: 1}       # summer leave
```

Each absence takes `away` caseworkers (or, for a panel, cases per meeting) off the capacity in
force that day, whole days at a time: weekly on the days named, yearly from one day to another
(`MM-DD`, both included, across the new year if need be). Absences that overlap add up, and
capacity never goes below 0. Dated `changes` keep an entry's absences unless they give new ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["Absence", "capacity_timeline"]

_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Absence(BaseModel):
    """A recurring absence: weekly on some days, or yearly between two days."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)

    every: Literal["week", "year"] = Field(description="how often it comes back")
    on: tuple[Literal[_WEEKDAYS], ...] = Field(  # type: ignore[valid-type]
        default=(), description="for a weekly absence: the days of the week"
    )
    from_: str | None = Field(
        default=None, alias="from", description="for a yearly absence: its first day, MM-DD"
    )
    to: str | None = Field(default=None, description="for a yearly absence: its last day, MM-DD")
    away: int = Field(ge=1, description="caseworkers (or panel cases) away")
    description: str = Field(default="", description="free text, shown in reports")

    @field_validator("from_", "to")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is not None and not _DAY.match(value):
            raise ValueError(f"write a day of the year as MM-DD, such as 12-24, not '{value}'")
        return value

    @field_validator("on", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        return tuple(value) if isinstance(value, list) else value

    def problem(self) -> str | None:
        """What is missing for this kind of absence, in words (None if nothing)."""
        if self.every == "week" and (not self.on or self.from_ or self.to):
            return "a weekly absence gives 'on' (days of the week) and no 'from' or 'to'"
        if self.every == "year" and (self.on or not self.from_ or not self.to):
            return "a yearly absence gives 'from' and 'to' (MM-DD) and no 'on'"
        return None

    def applies(self, day: date) -> bool:
        """Whether the absence covers `day`."""
        if self.every == "week":
            return _WEEKDAYS[day.weekday()] in self.on
        assert self.from_ is not None
        assert self.to is not None
        key = day.strftime("%m-%d")
        if self.from_ <= self.to:
            return self.from_ <= key <= self.to
        return key >= self.from_ or key <= self.to


def capacity_timeline(
    sizes: Sequence[tuple[float, int]],
    absences: Sequence[Sequence[Absence]],
    start: date,
    days: int,
) -> tuple[tuple[float, int], ...]:
    """The capacity from each time it changes: the dated `sizes` (time, size, the first at 0),
    less the absences of the regime in force, day by day for `days` days (then as dated)."""
    if not any(absences):
        return tuple(sizes)
    points: list[tuple[float, int]] = []
    regime = 0
    for day in range(days):
        while regime + 1 < len(sizes) and sizes[regime + 1][0] <= day:
            regime += 1
        when = start + timedelta(days=day)
        away = sum(a.away for a in absences[regime] if a.applies(when))
        size = max(0, sizes[regime][1] - away)
        if not points or points[-1][1] != size:
            points.append((float(day), size))
    for time, size in [(float(days), sizes[regime][1]), *sizes[regime + 1 :]]:
        if points[-1][0] == time:
            points.pop()
        if not points or points[-1][1] != size:
            points.append((time, size))
    return tuple(points)
