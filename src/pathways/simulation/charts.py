"""PNG charts of results: backlog over time, and the distribution of time to first support.

matplotlib is an optional extra (`pip install 'referral-pathways[diagrams]'`), imported through
`pathways.plotting` only when a chart is drawn, so everything else works without it.
"""

from __future__ import annotations

from pathlib import Path

from pathways import plotting
from pathways.simulation.results import Results

__all__ = ["backlog_chart", "support_chart", "write_charts"]

_PERCENTILES = tuple(range(0, 101, 5))
_PURPOSE = "drawing charts"


def backlog_chart(results: Results, path: Path, stages: int = 6) -> Path:
    """Journeys waiting at the busiest stages, and all open journeys, over simulated time."""
    series = results.backlog()
    open_journeys = series.pop("open journeys")
    days = [k * results.every for k in range(len(open_journeys))]
    figure = plotting.figure(9, 5, dpi=100, purpose=_PURPOSE)
    axes = figure.subplots()
    busiest = sorted(series.items(), key=lambda item: -sum(item[1]))[:stages]
    for name, values in busiest:
        axes.plot(days, values, label=name, linewidth=1.2)
    axes.plot(days, open_journeys, label="open journeys", color="black", linewidth=1.6)
    if results.warm_up > 0:
        axes.axvspan(0, results.warm_up, color="grey", alpha=0.15, label="warm-up")
    axes.set_xlabel(f"days from {results.start}")
    axes.set_ylabel(f"journeys (mean of {len(results.replications)} replications)")
    axes.set_title(f"Backlog over time: {results.scenario}")
    axes.legend(loc="upper left", fontsize="small")
    axes.grid(alpha=0.3)
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
    """Both charts as `<stem>-backlog.png` and `<stem>-support.png` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        backlog_chart(results, folder / f"{stem}-backlog.png"),
        support_chart(results, folder / f"{stem}-support.png"),
    ]
