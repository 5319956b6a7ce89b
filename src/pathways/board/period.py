"""The period a board report covers: a calendar quarter (`2021Q3`) or two dates (`A..B`).

```python
period = parse_period("2021Q3")
period.first, period.last        # date(2021, 7, 1), date(2021, 9, 30)
period.start, period.end         # London midnights: the half-open window [start, end)
```

Quarters are calendar quarters: Q1 is January to March, Q3 is July to September (not the
financial year). Both dates of `A..B` are included. Times are counted in London time, as
every time limit is (`pathways.runtime.working_days`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pathways.errors import PathwayError

__all__ = ["LONDON", "Period", "PeriodError", "parse_period"]

LONDON = ZoneInfo("Europe/London")

_QUARTER = re.compile(r"(\d{4})-?Q(\d+)", re.IGNORECASE)
_RANGE = re.compile(r"(.+?)\.\.(.+)")
_EXAMPLES = "write a quarter such as 2021Q3, or two dates such as 2021-07-01..2021-09-30"


class PeriodError(PathwayError, ValueError):
    """A period that cannot be read; `text` is what was given."""

    def __init__(self, message: str, *, text: str) -> None:
        super().__init__(message)
        self.text = text


@dataclass(frozen=True, slots=True)
class Period:
    """The days `first` to `last`, both included, as a board reads them."""

    first: date
    last: date
    label: str

    @property
    def start(self) -> datetime:
        """Midnight at the start of `first`, London time."""
        return datetime.combine(self.first, time(0), tzinfo=LONDON)

    @property
    def end(self) -> datetime:
        """Midnight at the end of `last`, London time: the first moment after the period."""
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=LONDON)

    def describe(self) -> str:
        """`1 July 2021 to 30 September 2021`."""
        return f"{_day(self.first)} to {_day(self.last)}"


def _day(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def quarter(year: int, number: int) -> Period:
    """Calendar quarter `number` (1 to 4) of `year`."""
    first = date(year, 3 * number - 2, 1)
    following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return Period(first, following - timedelta(days=1), f"{year}Q{number}")


def parse_period(text: str) -> Period:
    """Read `2021Q3` or `2021-07-01..2021-09-30`; `PeriodError` says what is wrong."""
    given = text.strip()
    found = _QUARTER.fullmatch(given)
    if found:
        year, number = int(found[1]), int(found[2])
        if not 1 <= number <= 4:
            raise PeriodError(
                f"period '{text}': the quarter must be Q1, Q2, Q3 or Q4, not Q{number}; "
                f"{_EXAMPLES}",
                text=text,
            )
        if year < 1900:
            raise PeriodError(f"period '{text}': the year {year} is too early", text=text)
        return quarter(year, number)
    found = _RANGE.fullmatch(given)
    if found:
        first, last = _date(found[1], text), _date(found[2], text)
        if last < first:
            raise PeriodError(
                f"period '{text}': it ends ({last.isoformat()}) before it starts "
                f"({first.isoformat()}); put the earlier date first",
                text=text,
            )
        return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")
    raise PeriodError(f"period '{text}' is not a period: {_EXAMPLES}", text=text)


def _date(part: str, text: str) -> date:
    value = part.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise PeriodError(
            f"period '{text}': '{value}' is not a date; write dates as YYYY-MM-DD, "
            "for example 2021-07-01..2021-09-30",
            text=text,
        ) from None
