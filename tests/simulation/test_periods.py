"""Calendar periods: labels, boundaries and partial periods, and that the grid tiles the run."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.simulation.periods import GRIDS, calendar_periods


def test_quarters_of_a_leap_year_have_their_calendar_lengths() -> None:
    grid = calendar_periods("quarter", date(2024, 1, 1), warm_up=0.0, horizon=366.0)
    assert [p.label for p in grid] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert [(p.first_day, p.end_day) for p in grid] == [(0, 91), (91, 182), (182, 274), (274, 366)]
    assert not any(p.partial for p in grid)


def test_financial_years_run_april_to_march_and_cut_periods_are_partial() -> None:
    grid = calendar_periods("financial-year", date(2023, 1, 1), warm_up=60.0, horizon=800.0)
    assert [p.label for p in grid] == ["FY2022-23", "FY2023-24", "FY2024-25"]
    assert grid[1].first == date(2023, 4, 1)
    assert grid[1].end == date(2024, 4, 1)
    assert [p.partial for p in grid] == [True, False, True]


def test_months_and_years_are_labelled_as_published() -> None:
    months = calendar_periods("month", date(2024, 11, 15), warm_up=0.0, horizon=60.0)
    assert [p.label for p in months] == ["2024-11", "2024-12", "2025-01"]
    assert months[0].partial
    assert months[0].first_day == -14
    years = calendar_periods("year", date(2021, 1, 1), warm_up=365.0, horizon=3 * 365.0)
    assert [p.label for p in years] == ["2022", "2023"]
    one_more_day = calendar_periods("year", date(2021, 1, 1), 365.0, 3 * 365.0 + 1)
    assert one_more_day[-1].label == "2024"
    assert one_more_day[-1].partial


def test_an_unknown_grid_is_refused_naming_the_grids() -> None:
    with pytest.raises(ValueError, match="financial-year"):
        calendar_periods("fortnight", date(2024, 1, 1), 0.0, 100.0)


@given(
    st.sampled_from(GRIDS),
    st.dates(date(1990, 1, 1), date(2060, 1, 1)),
    st.integers(0, 800),
    st.integers(1, 2000),
)
def test_periods_tile_the_measured_stretch_without_gaps(
    grid: str, start: date, warm_up: int, length: int
) -> None:
    horizon = warm_up + length
    periods = calendar_periods(grid, start, float(warm_up), float(horizon))
    assert periods[0].first_day <= warm_up < periods[0].end_day
    assert periods[-1].first_day < horizon <= periods[-1].end_day
    for before, after in itertools.pairwise(periods):
        assert before.end == after.first
        assert before.end_day == after.first_day
    for period in periods:
        assert period.first.day == 1
        assert period.first == start + timedelta(days=period.first_day)
        inside = warm_up <= period.first_day and period.end_day <= horizon
        assert period.partial is not inside
