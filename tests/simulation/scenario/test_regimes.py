"""Seasonality (`pathways.simulation.scenario.regimes`): monthly weights keep the annual volume."""

from __future__ import annotations

import pytest

from pathways.simulation.scenario.regimes import monthly_weights


def test_seasonality_weights_keep_the_annual_volume() -> None:
    months = monthly_weights((1.0, 2.0, 3.0, 2.0))
    assert len(months) == 12
    assert sum(months) == pytest.approx(12.0)
    assert months[0] == months[2] < months[3]
