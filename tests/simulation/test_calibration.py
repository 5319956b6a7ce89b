"""The national scenario for 2021 to 2023 reproduces the published NRM statistics, year by year.

Runs examples/nrm_calibration.py (the scenario, 4 replications, a fixed seed) once and checks
each line of its table against its target: within 5% of a published count, or 5 percentage
points of a published share. Lines the model is known to miss are marked `xfail` (strict), so a
change that meets them, or misses another, fails here and docs/calibration.md must be updated.
The page must show exactly the table the script prints.
"""

from __future__ import annotations

import runpy
from typing import Any

import pytest

from paths import ROOT

pytestmark = pytest.mark.slow

HARNESS: dict[str, Any] = runpy.run_path(str(ROOT / "examples" / "nrm_calibration.py"))
YEARS: tuple[int, ...] = HARNESS["YEARS"]
PUBLISHED = HARNESS["PUBLISHED"]

#: Lines a single first-come-first-served queue for CG decisions cannot meet (see the docs).
KNOWN_MISSES = {(2023, "mean days referral to CG")}

TARGETS = [
    pytest.param(
        year,
        index,
        id=f"{year}-{label}",
        marks=[pytest.mark.xfail(reason="see docs/calibration.md")]
        if (year, label) in KNOWN_MISSES
        else [],
    )
    for year in YEARS
    for index, (label, _, values) in enumerate(PUBLISHED)
    if values[year] is not None and label not in HARNESS["CHECKS_ONLY"]
]


@pytest.fixture(scope="module")
def simulated() -> Any:
    return HARNESS["simulated"]()


@pytest.mark.parametrize(("year", "index"), TARGETS)
def test_each_published_figure_is_met(simulated: Any, year: int, index: int) -> None:
    label, share, values = PUBLISHED[index]
    found = simulated[year][index]
    assert HARNESS["met"](values[year], found.mean, share), (
        f"{year} {label}: simulated {found.mean:.1f}, published {values[year]}"
    )


def test_every_year_has_the_issue_targets() -> None:
    labels = {label for label, _, _ in PUBLISHED}
    assert {
        "NRM referrals",
        "child share of referrals (%)",
        "DtN reports",
        "RG decisions made",
        "RG positive (%)",
        "CG decisions made",
        "CG positive (%)",
        "mean days referral to CG",
    } <= labels
    assert YEARS == (2021, 2022, 2023)


def test_the_docs_show_the_table_the_script_prints(simulated: Any) -> None:
    page = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    assert HARNESS["table"](simulated) in page
