"""Reporting periods (`pathways.board.period`): what they parse to, what is refused, and where a
quarter begins and ends.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from board.helpers import LONDON, MADE, Q3, cells
from pathways.board import (
    PeriodError,
    build_report,
    parse_period,
)
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway
from pathways.store import JourneyStore


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2021Q3", date(2021, 7, 1), date(2021, 9, 30)),
        ("2021q1", date(2021, 1, 1), date(2021, 3, 31)),
        ("2020Q4", date(2020, 10, 1), date(2020, 12, 31)),
        ("2021-07-01..2021-09-30", date(2021, 7, 1), date(2021, 9, 30)),
        ("2021-07-01..2021-07-01", date(2021, 7, 1), date(2021, 7, 1)),
    ],
)
def test_periods(text: str, first: date, last: date) -> None:
    period = parse_period(text)
    assert (period.first, period.last) == (first, last)
    assert period.start == datetime(first.year, first.month, first.day, tzinfo=LONDON)
    assert period.end - timedelta(days=1) < datetime.combine(last, datetime.max.time(), LONDON)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2021Q5", "must be Q1, Q2, Q3 or Q4"),
        ("2021-09-31..2021-10-01", "'2021-09-31' is not a date"),
        ("2021-10-01..2021-09-01", "ends (2021-09-01) before it starts"),
        ("last quarter", "write a quarter such as 2021Q3"),
        ("2021-7-1..2021-9-30", "write dates as YYYY-MM-DD"),
    ],
)
def test_bad_periods_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_the_quarter_begins_and_ends_at_midnight_london_time(tmp_path: Path, hull: Pathway) -> None:
    adult = {"age_group": "adult", "consent": "given"}
    times = {
        "IN-START": datetime(2021, 7, 1, 0, 30, tzinfo=LONDON),  # 30 June, 23:30 UTC
        "OUT-BEFORE": datetime(2021, 6, 30, 23, 30, tzinfo=LONDON),
        "IN-END": datetime(2021, 9, 30, 23, 30, tzinfo=LONDON),
        "OUT-AFTER": datetime(2021, 10, 1, 0, 10, tzinfo=LONDON),
    }
    url = f"sqlite:///{tmp_path / 'edges.sqlite3'}"
    with JourneyStore(url, pathways=[compile_pathway(hull)]) as store:
        for name, at in times.items():
            for i in range(5):
                store.create(f"{name}-{i}", adult, at=at, by="hull-city-council")
        report = build_report(store, [hull], Q3, at=MADE, diagram=False)
    assert cells(report)[("referrals", "opened", "journeys")] == "10"
