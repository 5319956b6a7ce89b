"""The national scenario for 2021 to 2023 against the published NRM statistics, year by year.

Runs `scenarios/national/england-wales-2021-2023.yaml` on the national pathway and counts what
the Home Office counts, by calendar year: NRM referrals and their child share, Duty to Notify
reports, reasonable grounds (RG) and conclusive grounds (CG) decisions made and the share
positive, and the mean days from referral to the CG decision for decisions made in the year.
Every journey is counted where its event falls, including journeys that arrived in the two
simulated years before 2021. Each simulated figure is the mean over replications with its 95%
interval; a line is met when the mean is within 5% of a published count, or within 5
percentage points of a published share.

    python examples/nrm_calibration.py                 # print the table
    python examples/nrm_calibration.py --update-docs   # and put it in docs/calibration.md

docs/calibration.md shows this table; tests/simulation/test_calibration.py (marked slow) checks
the targets and that the page shows what the script prints.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from pathways.definition.loader import load
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import Estimate, SimModel, build_model, estimate, load_scenario, trace

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "national" / "england-wales-2021-2023.yaml"
PATHWAY = ROOT / "pathways" / "national" / "england.yaml"
DOCS = ROOT / "docs" / "calibration.md"
REPLICATIONS = 4
SEED = 2021
YEARS = (2021, 2022, 2023)
COUNT_TOLERANCE = 0.05
SHARE_TOLERANCE = 5.0

REFERRALS = {"submit-adult-referral": False, "submit-child-referral": True}
DTN = frozenset({"notify-home-office"})
RG = {"rg-positive": True, "rg-negative": False, "child-rg-positive": True}
RG |= {"child-rg-negative": False}
CG = {"cg-positive": True, "cg-negative": False, "child-cg-positive": True}
CG |= {"child-cg-negative": False}
POSITIVE_RG = frozenset({"rg-positive", "child-rg-positive", "rg-overturned"})

#: (figure, is a share, {year: published value or None}); sources in the scenario file.
PUBLISHED: tuple[tuple[str, bool, dict[int, float | None]], ...] = (
    ("NRM referrals", False, {2021: 12727, 2022: 16938, 2023: 17004}),
    ("child share of referrals (%)", True, {2021: 43.0, 2022: 41.4, 2023: 43.7}),
    ("DtN reports", False, {2021: 3190, 2022: 4580, 2023: 4929}),
    ("RG decisions made", False, {2021: 12665, 2022: 17000, 2023: 15247}),
    ("RG positive (%)", True, {2021: 90.0, 2022: 88.0, 2023: 55.0}),
    ("CG decisions made", False, {2021: 2866, 2022: 6000, 2023: 9825}),
    ("CG positive (%)", True, {2021: 91.0, 2022: 89.0, 2023: 66.0}),
    ("mean days referral to CG", False, {2021: None, 2022: 583, 2023: 526}),
    ("waiting for CG at year end", False, {2021: None, 2022: 29275, 2023: None}),
)
#: Lines shown for comparison only: the issue's targets do not include them.
CHECKS_ONLY = frozenset({"waiting for CG at year end"})


@dataclasses.dataclass
class _Year:
    referrals: int = 0
    children: int = 0
    dtn: int = 0
    rg: int = 0
    rg_positive: int = 0
    cg: int = 0
    cg_positive: int = 0
    cg_days: float = 0.0
    cg_dated: int = 0
    waiting: int = 0

    def figures(self) -> tuple[float, ...]:
        return (
            self.referrals,
            100.0 * self.children / max(self.referrals, 1),
            self.dtn,
            self.rg,
            100.0 * self.rg_positive / max(self.rg, 1),
            self.cg,
            100.0 * self.cg_positive / max(self.cg, 1),
            self.cg_days / max(self.cg_dated, 1),
            self.waiting,
        )


def _year_bounds(model: SimModel) -> list[tuple[int, float, float]]:
    def day(year: int) -> float:
        return float((date(year, 1, 1) - model.start).days)

    return [(year, day(year), day(year + 1)) for year in YEARS]


#: A traced event of a journey: (time, order, kind, handoff or attribute, agency or value).
Event = tuple[float, int, str, str, "str | bool"]


def _count(
    years: dict[int, _Year], bounds: Iterable[tuple[int, float, float]], events: Iterable[Event]
) -> None:
    referred: float | None = None
    positive: float | None = None
    decided: float | None = None
    for time, _, kind, name, _ in events:
        if kind == "profile":
            continue
        if name in REFERRALS:
            referred = time
        elif name in POSITIVE_RG and positive is None:
            positive = time
        elif name in CG and decided is None:
            decided = time
        year = next((y for y, low, high in bounds if low <= time < high), None)
        if year is None:
            continue
        figures = years[year]
        if name in REFERRALS:
            figures.referrals += 1
            figures.children += REFERRALS[name]
        elif name in DTN:
            figures.dtn += 1
        elif name in RG:
            figures.rg += 1
            figures.rg_positive += RG[name]
        elif name in CG:
            figures.cg += 1
            figures.cg_positive += CG[name]
            if referred is not None:
                figures.cg_days += time - referred
                figures.cg_dated += 1
    if positive is not None:
        for year, _, high in bounds:
            if positive < high and (decided is None or decided >= high):
                years[year].waiting += 1


def replication_figures(model: SimModel, replication: int) -> dict[int, tuple[float, ...]]:
    """One replication's figures for each year, in the order of `PUBLISHED`."""
    everyone = dataclasses.replace(model, warm_up=0.0)
    bounds = _year_bounds(model)
    years = {year: _Year() for year in YEARS}
    for journey in trace(everyone, SEED, replication, journeys=10**9):
        _count(years, bounds, journey.events or ())
    return {year: figures.figures() for year, figures in years.items()}


def national_model() -> SimModel:
    """The national pathway under the 2021-2023 scenario, ready to run."""
    return build_model(compile_pathway(load(PATHWAY)), load_scenario(SCENARIO))


def simulated(replications: int = REPLICATIONS) -> dict[int, list[Estimate]]:
    """Every figure of every year, as the mean over `replications` with its interval."""
    model = national_model()
    runs = [replication_figures(model, r) for r in range(replications)]
    return {
        year: [estimate([run[year][i] for run in runs]) for i in range(len(PUBLISHED))]
        for year in YEARS
    }


def met(published: float, value: float, share: bool) -> bool:
    """Whether a simulated value meets the target for its published figure."""
    if share:
        return abs(value - published) <= SHARE_TOLERANCE
    return abs(value - published) <= COUNT_TOLERANCE * published


def _cell(value: float, share: bool) -> str:
    return f"{value:,.1f}" if share else f"{value:,.0f}"


def table(figures: dict[int, list[Estimate]]) -> str:
    """The comparison as a Markdown table: published, simulated (interval), difference, met."""
    lines = [
        "| year | figure | published | simulated (95% interval) | difference | target |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for year in YEARS:
        for (label, share, values), found in zip(PUBLISHED, figures[year], strict=True):
            published = values[year]
            interval = f"{_cell(found.low, share)} to {_cell(found.high, share)}"
            sim = f"{_cell(found.mean, share)} ({interval})"
            if published is None:
                lines.append(f"| {year} | {label} | not published | {sim} | | no target |")
                continue
            if share:
                diff = f"{round(found.mean - published, 1) + 0.0:+.1f} points"
            else:
                diff = f"{round(100.0 * (found.mean - published) / published, 1) + 0.0:+.1f}%"
            verdict = "met" if met(published, found.mean, share) else "not met"
            if label in CHECKS_ONLY:
                verdict = f"{verdict} (a check, not a target)"
            lines.append(
                f"| {year} | {label} | {_cell(published, share)} | {sim} | {diff} | {verdict} |"
            )
    return "\n".join(lines) + "\n"


def main() -> str:
    """The table, as printed."""
    return table(simulated())


def update_page(page: Path, printed: str) -> None:
    """Replace the table in `page` (from its header row to the first blank line) by `printed`."""
    text = page.read_text(encoding="utf-8")
    header = printed.split("\n", 2)
    start = text.index("\n".join(header[:2]) + "\n")
    end = text.index("\n\n", start)
    page.write_text(text[:start] + printed.rstrip("\n") + text[end:], encoding="utf-8")


if __name__ == "__main__":
    printed = main()
    if "--update-docs" in sys.argv[1:]:
        update_page(DOCS, printed)
    print(printed, end="")
