"""A sweep's results: each point's outputs with 95% intervals, and what each parameter does.

`summarise(folder, tasks)` reads the point files back; `table_csv` and `table_json` write one
row per point (the parameter values, then each output's mean, low and high across
replications); `effects` averages each output over the other parameters for every value of one
parameter (the line charts), and a parameter's *swing* is the range of those averages (the
tornado chart, widest first).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pathways import plotting
from pathways.parquet import read_table
from pathways.simulation.stats import Estimate, estimate
from pathways.simulation.sweep.runner import Task, point_file

__all__ = ["PointSummary", "effects", "summarise", "swing_chart", "table_csv", "table_json"]

_PURPOSE = "drawing the sweep's charts"


@dataclass(frozen=True)
class PointSummary:
    """One point: its values and each output across its replications."""

    number: int
    values: tuple[tuple[str, float], ...]
    outputs: tuple[tuple[str, Estimate], ...]


def summarise(tasks: Sequence[Task]) -> list[PointSummary]:
    """Every point's summary, from its file (all points must have run)."""
    found = []
    for task in tasks:
        columns, _ = read_table(point_file(task.folder, task.point))
        outputs = tuple(
            (name, estimate([_float(v) for v in columns[name]])) for name in task.outputs
        )
        found.append(PointSummary(task.point.number, task.point.values, outputs))
    return found


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else math.nan


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


def table_csv(summaries: Sequence[PointSummary]) -> str:
    """One row per point: `point`, each parameter, then `<output>`, `_low`, `_high`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not summaries:
        return ""
    first = summaries[0]
    header = ["point", *(n for n, _ in first.values)]
    for name, _ in first.outputs:
        header += [name, f"{name}_low", f"{name}_high"]
    writer.writerow(header)
    for summary in summaries:
        row: list[object] = [summary.number, *(v for _, v in summary.values)]
        for _, found in summary.outputs:
            row += [f"{found.mean:.6g}", f"{found.low:.6g}", f"{found.high:.6g}"]
        writer.writerow(row)
    return out.getvalue()


def table_json(summaries: Sequence[PointSummary]) -> str:
    data = [
        {
            "point": s.number,
            "parameters": dict(s.values),
            "outputs": {
                name: {
                    "mean": _number(e.mean),
                    "low": _number(e.low),
                    "high": _number(e.high),
                    "replications": e.n,
                }
                for name, e in s.outputs
            },
        }
        for s in summaries
    ]
    return json.dumps(data, indent=2) + "\n"


def effects(summaries: Sequence[PointSummary], output: str) -> dict[str, list[tuple[float, float]]]:
    """For each parameter, `(value, mean of the output over every point with that value)`."""
    found: dict[str, dict[float, list[float]]] = {}
    for summary in summaries:
        mean = dict(summary.outputs)[output].mean
        if math.isnan(mean):
            continue
        for name, value in summary.values:
            found.setdefault(name, {}).setdefault(value, []).append(mean)
    return {
        name: sorted((v, math.fsum(ms) / len(ms)) for v, ms in by_value.items())
        for name, by_value in found.items()
    }


def swing_chart(summaries: Sequence[PointSummary], output: str, folder: Path) -> list[Path]:
    """A tornado chart of each parameter's swing on `output`, and a line chart per parameter;
    PNG files in `folder`."""
    lines = effects(summaries, output)
    safe = output.replace(":", "-")
    swings = sorted(
        ((name, min(m for _, m in pts), max(m for _, m in pts)) for name, pts in lines.items()),
        key=lambda item: item[2] - item[1],
    )
    tornado = plotting.figure(8, 1.2 + 0.5 * len(swings), dpi=100, purpose=_PURPOSE)
    axes = tornado.subplots()
    for row, (_, low, high) in enumerate(swings):
        axes.barh(row, high - low, left=low, color="#4c72b0")
    axes.set_yticks(range(len(swings)), [name for name, _, _ in swings])
    axes.set_xlabel(f"{output} (mean over the other parameters)")
    axes.set_title(f"What moves {output} most")
    axes.grid(axis="x", alpha=0.3)
    tornado.tight_layout()
    written = [folder / f"tornado-{safe}.png"]
    plotting.save(tornado, written[0], "png", {"Software": None})
    chart = plotting.figure(8, 2.6 * max(len(lines), 1), dpi=100, purpose=_PURPOSE)
    for index, (name, pts) in enumerate(lines.items(), 1):
        axes = chart.add_subplot(len(lines), 1, index)
        axes.plot([v for v, _ in pts], [m for _, m in pts], marker="o")
        axes.set_xlabel(name)
        axes.set_ylabel(output)
        axes.grid(alpha=0.3)
    chart.tight_layout()
    written.append(folder / f"lines-{safe}.png")
    plotting.save(chart, written[1], "png", {"Software": None})
    return written
