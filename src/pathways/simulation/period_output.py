"""Figures by calendar period for people and programs: a terminal table, JSON and CSV rows.

The terminal shows one row per period with the figures an analyst sets against published
statistics; JSON and CSV hold every figure of `period_stats`, each with its interval.
"""

from __future__ import annotations

import math
from typing import Any

from pathways.simulation.period_stats import PeriodTable, is_share
from pathways.simulation.results import Results
from pathways.simulation.stats import Estimate

__all__ = ["PeriodRow", "period_json", "period_rows", "period_text"]

#: The columns of the terminal table, with their headings, when the pathway has the figure.
_COLUMNS = (
    ("arrivals", "arrivals"),
    ("NRM referrals", "NRM referrals"),
    ("Duty to Notify reports", "DtN reports"),
    ("RG decisions", "RG decisions"),
    ("RG positive (share)", "RG positive"),
    ("CG decisions", "CG decisions"),
    ("CG positive (share)", "CG positive"),
    ("days from referral to RG decision (mean)", "days to RG"),
    ("days from referral to CG decision (mean)", "days to CG"),
    ("days from referral to CG decision (median)", "median to CG"),
    ("journeys closed", "closed"),
    ("backlog open journeys", "open at end"),
)


def _cell(figure: Estimate, share: bool, whole: bool) -> str:
    if math.isnan(figure.mean):
        return "-"

    def number(value: float) -> str:
        if share:
            return f"{100 * value:.1f}%"
        return f"{value:,.0f}" if whole else f"{value:,.1f}"

    if math.isnan(figure.half_width) or figure.half_width == 0.0:
        return number(figure.mean)
    return f"{number(figure.mean)} ({number(figure.low)}-{number(figure.high)})"


def period_text(results: Results) -> str:
    """The figures by period that published statistics are compared with, one row a period."""
    table = results.periods()
    columns = [(name, head) for name, head in _COLUMNS if name in table.figures]
    rows = [["period", *(head for _, head in columns)]]
    for index, period in enumerate(table.periods):
        label = period.label + (" *" if period.partial else "")
        cells = [
            _cell(table.figures[name][index], is_share(name), not name.startswith("days"))
            for name, _ in columns
        ]
        rows.append([label, *cells])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "By calendar period (every journey, warm-up and starting backlog included: what "
        "happened in the period)",
    ]
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
        if number == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    if any(p.partial for p in table.periods):
        lines.append("  * partial: the warm-up or the horizon cuts the period")
    lines.append(_decisions_note(table))
    return "\n".join(lines) + "\n"


def _decisions_note(table: PeriodTable) -> str:
    count = sum(name.startswith("decisions ") for name in table.figures)
    if not count:
        return "  The pathway has no decision stages."
    return (
        f"  Decisions made by each of the {count} decision branches, and the backlog at each "
        "stage, are in the JSON and CSV output."
    )


def _value(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def period_json(results: Results) -> dict[str, Any]:
    """The periods and every figure by period: `{"grid": [...], "figures": {name: [...]}}`."""
    table = results.periods()
    return {
        "periods": [
            {
                "label": p.label,
                "first": p.first.isoformat(),
                "end": p.end.isoformat(),
                "partial": p.partial,
            }
            for p in table.periods
        ],
        "figures": {
            name: [{**figure.as_dict(), "clipped": figure.clipped} for figure in estimates]
            for name, estimates in table.figures.items()
        },
    }


#: A CSV row of a figure by period: label, figure, mean, low, high, replications.
PeriodRow = tuple[str, str, float | None, float | None, float | None, int]


def period_rows(results: Results) -> list[PeriodRow]:
    """CSV rows: period label, figure, mean, low, high, replications (NaN as None)."""
    table = results.periods()
    rows: list[PeriodRow] = []
    for name, estimates in table.figures.items():
        for period, figure in zip(table.periods, estimates, strict=True):
            rows.append(
                (
                    period.label,
                    name,
                    _value(figure.mean),
                    _value(figure.low),
                    _value(figure.high),
                    figure.n,
                )
            )
    return rows
