"""`pathways report` (`pathways.cli.report`): the period it reports when none is given."""

from __future__ import annotations

from datetime import date

from pathways.cli.report import last_quarter


def test_without_a_period_the_last_complete_quarter_is_reported() -> None:
    assert last_quarter(date(2021, 10, 11)).label == "2021Q3"
    assert last_quarter(date(2021, 9, 30)).label == "2021Q2"
    assert last_quarter(date(2022, 2, 1)).label == "2021Q4"
