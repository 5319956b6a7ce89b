"""The 2021-2023 national scenario's inputs say what the published statistics say.

Arrivals are NRM referrals plus Duty to Notify reports; children are never DtN; adults who
decline are. So for each year, the volume and profile in force on 1 January must give back the
published referrals, child share and DtN reports (to rounding) before anything is simulated.
The published figures are the calibration script's (examples/nrm_calibration.py).
"""

from __future__ import annotations

import runpy
from datetime import date
from typing import Any

import pytest

from paths import ROOT
from pathways.simulation import load_scenario
from pathways.simulation.scenario.regimes import Regime, regimes

HARNESS: dict[str, Any] = runpy.run_path(str(ROOT / "examples" / "nrm_calibration.py"))
PUBLISHED = {label: values for label, _, values in HARNESS["PUBLISHED"]}


def _in_force(year: int) -> Regime:
    scenario = load_scenario(HARNESS["SCENARIO"])
    start = scenario.document.start
    assert start is not None
    found = regimes(scenario, start)
    day = (date(year, 1, 1) - start).days
    return [r for r in found if r.starts <= day][-1]


def _weights(regime: Regime, attribute: str, parent: str | None = None) -> dict[str, float]:
    choice = regime.profile[attribute].for_value(parent)
    assert choice is not None
    return dict(choice.weights)


@pytest.mark.parametrize("year", HARNESS["YEARS"])
def test_arrivals_are_referrals_plus_duty_to_notify_reports(year: int) -> None:
    regime = _in_force(year)
    children = regime.per_year * _weights(regime, "age_group")["child"]
    adults = regime.per_year - children
    reports = adults * _weights(regime, "consent", "adult")["declined"]
    referrals = regime.per_year - reports
    assert referrals == pytest.approx(PUBLISHED["NRM referrals"][year], rel=0.002)
    assert reports == pytest.approx(PUBLISHED["DtN reports"][year], rel=0.002)
    share = 100 * children / referrals
    assert share == pytest.approx(PUBLISHED["child share of referrals (%)"][year], abs=0.1)


def test_children_always_consent_so_never_go_to_duty_to_notify() -> None:
    for year in HARNESS["YEARS"]:
        assert _weights(_in_force(year), "consent", "child") == {"given": 1.0}


def test_every_fitted_value_says_so() -> None:
    scenario = load_scenario(HARNESS["SCENARIO"])
    fitted = [key for key, text in scenario.document.assumptions.items() if "FITTED" in text]
    assert sorted(fitted) == ["fitted-cg-capacity", "fitted-rates-2023", "fitted-rg-time"]
    text = (ROOT / "scenarios" / "national" / "england-wales-2021-2023.yaml").read_text("utf-8")
    for key in fitted:
        assert text.count(key) >= 2, f"assumption {key} is cited nowhere"
