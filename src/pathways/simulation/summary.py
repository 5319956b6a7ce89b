"""Results for people and programs: a terminal summary, JSON, CSV, a comparison table, progress.

Every figure is shown as `mean (low to high)`: the mean across replications and its 95%
confidence interval. Shares are shown as percentages, times in days.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
from typing import Any, TextIO

from pathways.simulation.compare import Comparison, figure_estimate, headline, is_share
from pathways.simulation.lifecycle_figures import WAITING, lifecycle_figures
from pathways.simulation.period_output import period_json, period_rows, period_text
from pathways.simulation.results import Results
from pathways.simulation.stats import Estimate

__all__ = [
    "CSV_HEADER",
    "Progress",
    "comparison_text",
    "spreadsheet_safe",
    "summary",
    "to_csv",
    "to_json",
]

# What makes a spreadsheet read a cell as a formula (OWASP's CSV injection guidance), and
# what is only a number however it starts.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?")


def _number(value: float, share: bool = False) -> str:
    if math.isnan(value):
        return "-"
    if abs(value) < 5e-4:
        value = 0.0
    if share:
        return f"{100 * value:.1f}%"
    return f"{value:,.1f}" if abs(value) < 1e5 else f"{value:,.0f}"


def _show(figure: Estimate, share: bool = False) -> str:
    if math.isnan(figure.half_width):
        return _number(figure.mean, share)
    low, high = _number(figure.low, share), _number(figure.high, share)
    return f"{_number(figure.mean, share)} ({low} to {high})"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
        if number == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def _lifecycle_lines(results: Results, figures: dict[str, Estimate]) -> list[str]:
    """The referral lifecycle's figures (declines, pauses) and the waits by priority class,
    if the scenario has any."""
    names = [name for name in lifecycle_figures(results) if name in figures]
    lines = []
    for title, group in (
        ("Referral lifecycle (declined referrals, paused clocks)", _lifecycle(names, False)),
        ("Priority classes (days in the queue, by class)", _lifecycle(names, True)),
    ):
        if group:
            lines.extend(["", title])
            lines.extend(f"  {name:<48}{_show(figures[name], is_share(name))}" for name in group)
    return lines


def _lifecycle(names: list[str], waiting: bool) -> list[str]:
    return [name for name in names if name.startswith(WAITING) == waiting]


def summary(results: Results) -> str:
    """A readable summary of every figure, for the terminal."""
    reps = len(results.replications)
    years = (results.horizon - results.warm_up) / 365.25
    lines = [
        f"Simulation of {results.pathway} with scenario {results.scenario}"
        + (f": {results.title}" if results.title else ""),
        f"{reps} replication{'s' if reps != 1 else ''} from seed {results.seed}; from "
        f"{results.start}, {results.warm_up:g} days of warm-up then {years:.1f} years measured.",
        "Each figure: mean across replications (95% confidence interval). Times in days.",
        "",
    ]
    for warning in results.warnings:
        lines.extend([f"Warning: {warning}.", ""])
    figures = {name: figure_estimate(name, values) for name, values in headline(results).items()}
    lines.append("Cohort figures: the journeys arriving after the warm-up, followed to their end")
    lines.append("")
    lines.append("Journeys")
    for name in ("journeys arriving", "journeys closed", "journeys unfinished"):
        lines.append(f"  {name[9:]:<22}{_show(figures[name])}")
    lines.append("")
    lines.append("Per journey")
    for name in (
        "days to first support (mean)",
        "days to first support (median)",
        "days to first support (p90)",
        "share reaching support",
        "days to close (mean)",
        "days to close (median)",
        "days to close (p90)",
        "handoffs per journey",
        "retellings per journey",
    ):
        lines.append(f"  {name:<32}{_show(figures[name], is_share(name))}")
    lines.append("")
    lines.append("Stages (counted visits)")
    rows = [
        [
            "stage",
            "visits",
            "wait mean",
            "median",
            "p90",
            "service mean",
            "median",
            "p90",
            "over limit",
            "open at end",
        ]
    ]
    for stage in results.stages():
        rows.append(
            [
                stage.name,
                _number(stage.visits.mean),
                _show(stage.wait.mean),
                _number(stage.wait.median.mean),
                _number(stage.wait.p90.mean),
                _show(stage.service.mean),
                _number(stage.service.median.mean),
                _number(stage.service.p90.mean),
                _show(stage.breach_share, True) if stage.breach_share else "",
                _number(stage.still_open.mean) if stage.still_open.mean else "",
            ]
        )
    lines.extend(_table(rows))
    for title, group, share in (
        ("Capacity used", results.utilisation(), True),
        ("Outcomes (share of journeys, per track)", results.outcome_shares(), True),
        ("Handoffs made after their deadline", results.late_handoffs(), True),
    ):
        if group:
            lines.append("")
            lines.append(title)
            for name, figure in group.items():
                lines.append(f"  {name:<32}{_show(figure, share)}")
    lines.extend(_lifecycle_lines(results, figures))
    backlog = results.backlog()
    open_now = backlog.pop("open journeys")
    if backlog:
        lines.append("")
        lines.append(f"Backlog (journeys at the stage, sampled every {results.every:g} days)")
        for name, series in sorted(backlog.items(), key=lambda item: -max(item[1]))[:8]:
            lines.append(
                f"  {name:<32}mean {sum(series) / len(series):.1f}, peak {max(series):.1f}"
            )
        mean = sum(open_now) / len(open_now)
        lines.append(f"  {'open journeys':<32}mean {mean:.1f}, peak {max(open_now):.1f}")
    for note in results.notes:
        lines.append("")
        lines.append(f"Note: stages {note}")
    if results.calendar:
        lines.append("")
        lines.append(period_text(results).rstrip("\n"))
    return "\n".join(lines) + "\n"


def to_json(results: Results) -> dict[str, Any]:
    """Every figure (mean, interval, number of replications) and the backlog series."""
    data = {
        "pathway": results.pathway,
        "scenario": results.scenario,
        "title": results.title,
        "seed": results.seed,
        "replications": len(results.replications),
        "start": results.start,
        "warm_up_days": results.warm_up,
        "horizon_days": results.horizon,
        "warnings": list(results.warnings),
        "figures": {
            name: figure_estimate(name, values).as_dict()
            for name, values in headline(results).items()
        },
        "backlog": {
            "every_days": results.every,
            "series": results.backlog(),
        },
        "time_to_support_percentiles": [
            None if math.isnan(m) else m
            for m in (
                sum(values) / len(values)
                for values in zip(
                    *(r.support_percentiles for r in results.replications), strict=True
                )
            )
        ],
        "notes": list(results.notes),
    }
    if results.calendar:
        data["by_period"] = period_json(results)
    return data


def spreadsheet_safe(cell: str) -> str:
    """A CSV text cell that no spreadsheet evaluates: one that would start a formula (`=`,
    `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets show as
    text. A plain number (`-3.5`) stays as it is: a spreadsheet reads it as that number."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


CSV_HEADER = ("scenario", "period", "figure", "mean", "low", "high", "replications")


def to_csv(results: Results, header: bool = True) -> str:
    """One row per figure: scenario, period, figure, mean, low, high, replications. Period is
    `cohort` for the cohort figures and the period's label (`2024Q1`) for figures by calendar
    period; names (which can hold stage names) are made `spreadsheet_safe`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(CSV_HEADER)
    scenario = spreadsheet_safe(results.scenario)
    for name, values in headline(results).items():
        figure = figure_estimate(name, values)
        writer.writerow(
            [
                scenario,
                "cohort",
                spreadsheet_safe(name),
                *(_cell(v) for v in (figure.mean, figure.low, figure.high)),
                figure.n,
            ]
        )
    if results.calendar:
        for label, period_figure, *numbers, count in period_rows(results):
            cells = ["" if v is None else repr(v) for v in numbers]
            writer.writerow([scenario, label, spreadsheet_safe(period_figure), *cells, count])
    return out.getvalue()


def _cell(value: float) -> str:
    return "" if math.isnan(value) else repr(round(value, 6))


def comparison_text(comparison: Comparison) -> str:
    """Two scenarios side by side, the difference and whether it is outside the interval."""
    first, second = comparison.first, comparison.second
    method = (
        "paired replications (same seed: common random numbers)"
        if comparison.paired
        else "Welch's interval (different seeds or replications)"
    )
    lines = [
        f"A: {first.scenario}" + (f" ({first.title})" if first.title else ""),
        f"B: {second.scenario}" + (f" ({second.title})" if second.title else ""),
        f"{len(first.replications)} and {len(second.replications)} replications; difference B - A "
        f"with its 95% interval, from {method}.",
        "'*' marks a difference whose interval does not contain zero.",
        "",
    ]
    rows = [["figure", "A", "B", "B - A (95% CI)", ""]]
    same = 0
    for row in comparison.rows:
        width = row.difference.half_width
        if row.difference.mean == 0.0 and (width == 0.0 or math.isnan(width)):
            same += 1
            continue
        share = is_share(row.name)
        rows.append(
            [
                row.name,
                _number(row.first.mean, share),
                _number(row.second.mean, share),
                _show(row.difference, share),
                "*" if row.outside else "",
            ]
        )
    lines.extend(_table(rows))
    if same:
        lines.append(f"  ({same} figures are exactly the same in both and are not shown.)")
    return "\n".join(lines) + "\n"


class Progress:
    """A progress bar on a terminal (nothing when `stream` is not one)."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.shown = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.shown:
            return
        filled = self.width * done // total
        bar = "#" * filled + "." * (self.width - filled)
        end = "\n" if done == total else ""
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} replications{end}")
        self.stream.flush()
