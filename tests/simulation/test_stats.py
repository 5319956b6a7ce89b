"""Small, exact statistics (`pathways.simulation.stats`): quantiles, Student t quantiles and the
95% interval of a metric across replications.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.simulation.stats import (
    bounded,
    estimate,
    quantile,
    student_t_cdf,
    student_t_quantile,
)


def test_student_t_quantiles_match_published_values() -> None:
    assert student_t_quantile(0.975, 1) == pytest.approx(12.706204736, rel=1e-9)
    assert student_t_quantile(0.975, 9) == pytest.approx(2.262157163, rel=1e-9)
    assert student_t_quantile(0.995, 3) == pytest.approx(5.840909310, rel=1e-9)
    assert student_t_quantile(0.975, 1000) == pytest.approx(1.962339081, rel=1e-9)
    assert student_t_quantile(0.95, 30) == pytest.approx(1.697260887, rel=1e-9)
    assert student_t_cdf(0.0, 4) == pytest.approx(0.5)


def test_quantiles_interpolate_between_sorted_values() -> None:
    ordered = [1.0, 2.0, 4.0, 8.0]
    assert quantile(ordered, 0.0) == 1.0
    assert quantile(ordered, 1.0) == 8.0
    assert quantile(ordered, 0.5) == 3.0
    assert quantile(ordered, 0.25) == pytest.approx(1.75)
    assert quantile([5.0], 0.9) == 5.0
    assert math.isnan(quantile([], 0.5))


def test_bad_t_quantile_arguments_are_refused() -> None:
    for p, df in ((0.0, 3), (1.0, 3), (0.5, 0)):
        with pytest.raises(ValueError, match="0 < p < 1"):
            student_t_quantile(p, df)
    assert student_t_quantile(0.025, 9) == pytest.approx(-student_t_quantile(0.975, 9))


def test_an_estimate_is_the_mean_with_its_t_interval() -> None:
    found = estimate([10.0, 12.0, 14.0, math.nan])
    assert (found.mean, found.n) == (12.0, 3)
    # s = 2, n = 3: half-width t(0.975, 2) * 2 / sqrt(3)
    assert found.half_width == pytest.approx(4.302652730 * 2 / math.sqrt(3), rel=1e-9)
    assert found.covers(12.0 + found.half_width)
    assert not found.covers(found.high + 1e-9)
    assert found.as_dict() == {"mean": 12.0, "low": found.low, "high": found.high, "n": 3}


def test_one_replication_gives_no_interval_and_none_gives_no_mean() -> None:
    one = estimate([7.0])
    assert (one.mean, one.n) == (7.0, 1)
    assert math.isnan(one.half_width)
    assert one.as_dict() == {"mean": 7.0, "low": None, "high": None, "n": 1}
    assert estimate([math.nan]).as_dict() == {"mean": None, "low": None, "high": None, "n": 0}


def test_a_share_interval_is_clipped_to_0_and_100_percent_and_says_so() -> None:
    share = bounded([0.0, 0.0, 0.02], share=True)
    assert share.mean - share.half_width < 0.0  # the t interval alone goes below zero
    assert share.low == 0.0
    assert share.clipped
    assert share.covers(0.0)
    high = bounded([1.0, 0.97, 1.0], share=True)
    assert high.high == 1.0
    assert high.clipped
    time = bounded([0.5, 0.1, 9.0], share=False)
    assert time.low == 0.0
    assert time.high == time.mean + time.half_width
    assert not bounded([10.0, 11.0, 12.0], share=False).clipped


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=30))
def test_bounded_shares_stay_between_0_and_1(values: list[float]) -> None:
    figure = bounded(values, share=True)
    assert 0.0 <= figure.mean <= 1.0
    if figure.n > 1:
        assert 0.0 <= figure.low <= figure.mean <= figure.high <= 1.0
