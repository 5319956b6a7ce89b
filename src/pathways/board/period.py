"""The period a board report covers: a calendar quarter, a half-year, a calendar year or a
financial year.

```python
period = parse_period("2021Q3")
period.first, period.last        # date(2021, 7, 1), date(2021, 9, 30)
period.start, period.end         # London midnights: the half-open window [start, end)
[q.label for q in period.quarters]                     # ['2021Q3']
[q.label for q in parse_period("FY2021-22").quarters]  # ['2021Q2', ..., '2022Q1']
last_complete("half-year", date(2021, 10, 11)).label   # '2021H1'
```

Only fixed periods made of whole calendar quarters can be reported: `2021Q3` (Q1 is January
to March, Q3 July to September), `2021H1` (the half-year January to June; H2 is July to
December), `2021` (January to December) and `FY2021-22` (the financial year, April 2021 to
March 2022). When a quarter holds too few journeys for its figures to be shown, a half-year
or a year holds more: `last_complete` gives the last one that has ended.

Every count in a report is built from its quarters (`pathways.board.suppress`), so no two
reports can be set against each other to give away a small count: a range of days
(`2021-07-01..2021-09-29`) is refused, because a range one day shorter than a quarter, taken
from it, would count what happened on that one day. Times are counted in London time, as
every time limit is (`pathways.runtime.working_days`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pathways.errors import PathwayError

__all__ = [
    "KINDS",
    "LONDON",
    "Period",
    "PeriodError",
    "half_year",
    "last_complete",
    "parse_period",
    "quarter",
]

LONDON = ZoneInfo("Europe/London")

_QUARTER = re.compile(r"^(\d{4})-?Q(\d+)$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})-?H(\d+)$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^FY ?(\d{4})[-/](\d{2}|\d{4})$", re.IGNORECASE)
_EXAMPLES = (
    "write a quarter such as 2021Q3, a half-year such as 2021H1 (January to June), a "
    "calendar year such as 2021, or a financial year such as FY2021-22 (April 2021 to March "
    "2022)"
)
_EARLIEST = 1900


class PeriodError(PathwayError, ValueError):
    """A period that cannot be read or may not be reported; `text` is what was given."""

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

    @property
    def quarters(self) -> tuple[Period, ...]:
        """The calendar quarters the period is made of, in order."""
        found = []
        year, number = self.first.year, (self.first.month - 1) // 3 + 1
        while (piece := quarter(year, number)).first <= self.last:
            found.append(piece)
            year, number = (year + 1, 1) if number == 4 else (year, number + 1)
        return tuple(found)

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


def half_year(year: int, number: int) -> Period:
    """Half-year `number` (1: January to June, 2: July to December) of `year`."""
    first, last = quarter(year, 2 * number - 1), quarter(year, 2 * number)
    return Period(first.first, last.last, f"{year}H{number}")


#: The words `last_complete` takes, for `pathways report --period`.
KINDS = ("quarter", "half-year", "year")


def last_complete(kind: str, today: date) -> Period:
    """The last calendar quarter, half-year or year (`kind`) that ended before `today`."""
    if kind == "year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), str(today.year - 1))
    size = 3 if kind == "quarter" else 6
    number = (today.month - 1) // size  # the one before this one; 0 is last year's last
    if kind == "quarter":
        return quarter(today.year - 1, 4) if number == 0 else quarter(today.year, number)
    return half_year(today.year - 1, 2) if number == 0 else half_year(today.year, number)


def parse_period(text: str) -> Period:
    """Read `2021Q3`, `2021H1`, `2021` or `FY2021-22`; `PeriodError` says what is wrong."""
    given = text.strip()
    if found := _HALF.fullmatch(given):
        year, number = _year(found[1], text), int(found[2])
        if number not in (1, 2):
            raise PeriodError(
                f"period '{text}': a half-year is H1 (January to June) or H2 (July to "
                f"December), not H{number}; {_EXAMPLES}",
                text=text,
            )
        return half_year(year, number)
    if found := _QUARTER.fullmatch(given):
        year, number = _year(found[1], text), int(found[2])
        if not 1 <= number <= 4:
            raise PeriodError(
                f"period '{text}': the quarter must be Q1, Q2, Q3 or Q4, not Q{number}; "
                f"{_EXAMPLES}",
                text=text,
            )
        return quarter(year, number)
    if found := _YEAR.fullmatch(given):
        year = _year(found[1], text)
        return Period(date(year, 1, 1), date(year, 12, 31), str(year))
    if found := _FINANCIAL.fullmatch(given):
        year, following = _year(found[1], text), found[2]
        expected = year + 1 if len(following) == 4 else (year + 1) % 100
        if int(following) != expected:
            raise PeriodError(
                f"period '{text}': a financial year runs from April to the next March, so "
                f"FY{year} is followed by {year + 1}: write FY{year}-{(year + 1) % 100:02d}",
                text=text,
            )
        return Period(date(year, 4, 1), date(year + 1, 3, 31), f"FY{year}-{(year + 1) % 100:02d}")
    raise PeriodError(f"period '{text}' {_why_not(given)}: {_EXAMPLES}", text=text)


def _year(digits: str, text: str) -> int:
    year = int(digits)
    if year < _EARLIEST:
        raise PeriodError(f"period '{text}': the year {year} is too early", text=text)
    return year


def _why_not(given: str) -> str:
    """What is wrong with a period that is not one, for the error message."""
    if ".." in given:
        return (
            "is a range of days; a report covers whole quarters or years only, since figures "
            "for two ranges that overlap could be set against each other to give away a count "
            "that rounding protects"
        )
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", given):
        return "is too short: the shortest period a report covers is a calendar quarter"
    return "is not a period"
