"""PNG charts of results: backlog over time, figures by calendar period, and the distribution
of time to first support. Time runs along the x axis as dates, and the shaded bands are the 95%
intervals across replications (clipped at zero).

matplotlib is an optional extra (`pip install 'referral-pathways[diagrams]'`), imported through
`pathways.plotting` only when a chart is drawn, so everything else works without it.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pathways import plotting
from pathways.simulation.results import Results
from pathways.simulation.stats import bounded

__all__ = ["backlog_chart", "period_chart", "support_chart", "write_charts"]

#: The counts a period chart shows, when the pathway has them.
_PERIOD_COUNTS = ("NRM referrals", "Duty to Notify reports", "RG decisions", "CG decisions")

_PERCENTILES = tuple(range(0, 101, 5))
_PURPOSE = "drawing charts"


def _dates(values: list[date]) -> Any:
    """Dates for an axis: matplotlib draws them as dates, though its type stubs list numbers."""
    return values


def _band(rows: list[tuple[int, ...]]) -> tuple[list[float], list[float]]:
    """The 95% interval across replications at each sample (the mean where there is one)."""
    low, high = [], []
    for values in zip(*rows, strict=True):
        figure = bounded([float(v) for v in values], False)
        single = figure.n < 2
        low.append(figure.mean if single else figure.low)
        high.append(figure.mean if single else figure.high)
    return low, high


def backlog_chart(results: Results, path: Path, stages: int = 6) -> Path:
    """Journeys waiting at the busiest stages, and all open journeys, over simulated time."""
    series = results.backlog()
    open_journeys = series.pop("open journeys")
    start = date.fromisoformat(results.start)
    days = _dates([start + timedelta(days=k * results.every) for k in range(len(open_journeys))])
    figure = plotting.figure(9, 5, dpi=100, purpose=_PURPOSE)
    axes = figure.subplots()
    busiest = sorted(series.items(), key=lambda item: -sum(item[1]))[:stages]
    index = {name: i for i, name in enumerate(results.stage_names)}
    for name, values in busiest:
        (line,) = axes.plot(days, values, label=name, linewidth=1.2)
        low, high = _band([r.backlog[index[name]] for r in results.replications])
        axes.fill_between(days, low, high, color=line.get_color(), alpha=0.15, linewidth=0)
    axes.plot(days, open_journeys, label="open journeys", color="black", linewidth=1.6)
    low, high = _band([r.open_backlog for r in results.replications])
    axes.fill_between(days, low, high, color="black", alpha=0.1, linewidth=0)
    if results.warm_up > 0:
        warm = start + timedelta(days=results.warm_up)
        span = _dates([start, warm])
        axes.axvspan(span[0], span[1], color="grey", alpha=0.15, label="warm-up")
    axes.set_xlabel("date")
    axes.set_ylabel(f"journeys (mean of {len(results.replications)} replications, 95% band)")
    axes.set_title(f"Backlog over time: {results.scenario}")
    axes.legend(loc="upper left", fontsize="small")
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    plotting.save(figure, path, "png", {"Software": None})
    return path


def period_chart(results: Results, path: Path) -> Path:
    """Referrals and decisions made in each calendar period, and the journeys open at its end,
    each with its 95% band across replications."""
    table = results.periods()
    figure = plotting.figure(9, 7, dpi=100, purpose=_PURPOSE)
    counts, backlog = figure.subplots(2, 1, sharex=True)
    middles = _dates([p.first + (p.end - p.first) / 2 for p in table.periods])
    panels = (
        (counts, [name for name in _PERIOD_COUNTS if name in table.figures]),
        (backlog, ["backlog open journeys"]),
    )
    for axes, names in panels:
        for name in names:
            estimates = table.figures[name]
            (line,) = axes.plot(middles, [e.mean for e in estimates], marker="o", label=name)
            axes.fill_between(
                middles,
                [e.low if e.n > 1 else e.mean for e in estimates],
                [e.high if e.n > 1 else e.mean for e in estimates],
                color=line.get_color(),
                alpha=0.15,
                linewidth=0,
            )
        axes.grid(alpha=0.3)
        axes.legend(loc="upper left", fontsize="small")
    counts.set_ylabel("made in the period")
    backlog.set_ylabel("open at the end of the period")
    backlog.set_xlabel("period (partial periods at the ends cover only the simulated part)")
    counts.set_title(f"By calendar period: {results.scenario} (95% bands)")
    figure.autofmt_xdate()
    figure.tight_layout()
    plotting.save(figure, path, "png", {"Software": None})
    return path


def support_chart(results: Results, path: Path) -> Path:
    """The share of journeys that have reached support, by days since arrival."""
    figure = plotting.figure(9, 5, dpi=100, purpose=_PURPOSE)
    axes = figure.subplots()
    for replication in results.replications:
        axes.plot(
            replication.support_percentiles,
            [p / 100 for p in _PERCENTILES],
            color="tab:blue",
            alpha=0.25,
            linewidth=0.8,
        )
    mean = [
        sum(values) / len(values)
        for values in zip(*(r.support_percentiles for r in results.replications), strict=True)
    ]
    axes.plot(mean, [p / 100 for p in _PERCENTILES], color="tab:blue", linewidth=2, label="mean")
    axes.set_xlabel("days from arrival to first support")
    axes.set_ylabel("share of journeys that reach support")
    axes.set_title(f"Time to first support: {results.scenario} (one faint line per replication)")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right", fontsize="small")
    figure.tight_layout()
    plotting.save(figure, path, "png", {"Software": None})
    return path


def write_charts(results: Results, folder: Path, stem: str) -> list[Path]:
    """The charts as `<stem>-backlog.png`, `<stem>-support.png` and, when the results have
    calendar periods, `<stem>-periods.png`, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [
        backlog_chart(results, folder / f"{stem}-backlog.png"),
        support_chart(results, folder / f"{stem}-support.png"),
    ]
    if results.calendar:
        written.append(period_chart(results, folder / f"{stem}-periods.png"))
    return written
