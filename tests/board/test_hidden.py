"""Half-years, the last period that ended, and what each table says it hides and why.

That the words give nothing away is the attacker's test (`test_disclosure.py`, which reads
them as evidence); here they say what a board needs to read.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.board import BoardReport, parse_period, to_html
from pathways.board.html import WIDER
from pathways.board.period import half_year, last_complete
from pathways.board.suppress import Count, Draft, Statistic, rounded


@pytest.mark.parametrize(
    ("kind", "today", "label"),
    [
        ("quarter", date(2021, 10, 11), "2021Q3"),
        ("quarter", date(2021, 1, 5), "2020Q4"),
        ("half-year", date(2021, 10, 11), "2021H1"),
        ("half-year", date(2021, 7, 1), "2021H1"),
        ("half-year", date(2021, 6, 30), "2020H2"),
        ("year", date(2021, 10, 11), "2020"),
    ],
)
def test_the_last_period_that_ended(kind: str, today: date, label: str) -> None:
    period = last_complete(kind, today)
    assert period.label == label
    assert period.last < today


def test_a_half_year_is_two_whole_quarters() -> None:
    h2 = parse_period("2021H2")
    assert h2 == half_year(2021, 2)
    assert [q.label for q in h2.quarters] == ["2021Q3", "2021Q4"]
    assert (h2.first, h2.last) == (date(2021, 7, 1), date(2021, 12, 31))


@given(st.integers(0, 40), st.integers(0, 40))
def test_a_half_year_minus_a_quarter_gives_the_other_quarter_rounded_never_its_count(
    first: int, second: int
) -> None:
    """No undoing by subtraction: the half-year's published count is the sum of its quarters'
    published counts, so taking one quarter's report from it leaves the other's rounded
    count, which every report already publishes, and never the true count."""
    half, q1, q2 = Count((first, second)), Count((first,)), Count((second,))
    assert half.published - q1.published == q2.published == rounded(second)


def _decisions(pending: int, overdue: int) -> Draft:
    draft = Draft("decisions", "Decisions", "...", (("pending", "pending"), ("overdue", "overdue")))
    draft.row("all", "All decision stages", Count((pending,)), Count((overdue,)))
    return draft


def test_a_table_says_what_its_small_counts_stand_for() -> None:
    (said,) = _decisions(7, 7).finish().hidden
    assert said.startswith(
        "Small counts: All decision stages, pending: 5; All decision stages, overdue: 5. "
    )
    assert "0 for 0, 1 or 2 (so 0 does not mean none), 5 for 3 to 7" in said
    assert _decisions(12, 11).finish().hidden == ()


def test_a_table_says_which_statistics_are_not_shown_and_from_how_many() -> None:
    draft = Draft("t", "T", "...", (("journeys", "journeys"), ("median", "median days")))
    size = Count((6,))
    draft.row("nrm", "NRM referral", size, Statistic(3.0, size))
    hidden = draft.finish().hidden
    assert hidden[0] == (
        "NRM referral: the median days is not shown, because 5 journeys (as published) are "
        "too few; a median or mean is shown only when it is worked out from 10 or more."
    )


def test_a_short_period_that_hides_figures_suggests_a_longer_one(report: BoardReport) -> None:
    page = to_html(report)
    hiding = any(
        c.status == "not-shown" for s in report.sections for t in s.tables for r in t.rows
        for c in r.cells
    )  # fmt: skip
    assert (WIDER in page) == hiding
    for table in report.sections[0].tables:
        for words in table.hidden:
            assert words.replace("'", "&#x27;") in page
