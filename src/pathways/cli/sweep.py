"""`pathways sweep PATHWAY --scenario FILE --grid GRID.yaml -o FOLDER`: a scenario over many
combinations of its parameters, with replications.

Writes one Parquet file per point under `FOLDER/points/` (a point already there is not run
again, so an interrupted sweep carries on where it stopped), then `summary.csv` and
`summary.json` (each point's outputs with 95% intervals) and, with matplotlib, a tornado and a
line chart per output. Runs in local processes (`--workers`), or on a Dask cluster (`--dask
tcp://host:8786`); the numbers are the same either way. Exit status 0 when done, 1 when a file
does not load, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_path_option,
    add_quiet,
    named_file,
    print_problems,
    say,
    show,
)
from pathways.definition.bases import library_roots
from pathways.definition.loader import Library
from pathways.errors import DefinitionError
from pathways.plotting import MissingExtra
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import load_scenario
from pathways.simulation.summary import Progress
from pathways.simulation.sweep import (
    DEFAULT,
    OutputError,
    PointSummary,
    SweepValueError,
    load_grid,
    run_on_dask,
    run_sweep,
    summarise,
    sweep_tasks,
    swing_chart,
    table_csv,
    table_json,
)

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="run a scenario over a grid of its parameters (local processes or Dask)",
        description="Run a scenario over every combination (or a Latin hypercube sample) of "
        "the parameters in a sweep file, with replications: one Parquet file per point "
        "(resumable), a summary table and charts. Exit status 0 when done, 1 when a file does "
        "not load, 2 for a usage error.",
    )
    parser.add_argument("pathway", metavar="PATHWAY", help="a pathway file or id")
    parser.add_argument("--scenario", required=True, metavar="FILE", help="the base scenario")
    parser.add_argument("--grid", required=True, metavar="FILE", help="the sweep file")
    parser.add_argument("-o", "--output", required=True, metavar="FOLDER", help="results folder")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="local processes (0: one per CPU); the numbers are the same",
    )
    parser.add_argument(
        "--dask", metavar="ADDRESS", help="run on the Dask scheduler at ADDRESS instead"
    )
    parser.add_argument(
        "--no-charts", action="store_true", help="do not draw the tornado and line charts"
    )
    add_path_option(parser)
    add_quiet(parser, "no progress bar and no messages on standard error")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        pathway_file = named_file(args.pathway, library.search)
        scenario_file = named_file(
            args.scenario, library_roots(args.search, "scenarios"), (".yaml",)
        )
        grid_file = named_file(args.grid, ())
    except UsageError as exc:
        say(f"pathways sweep: {exc}")
        return USAGE
    try:
        pathway = compile_pathway(library.load(pathway_file))
        scenario = load_scenario(scenario_file, search=tuple(args.search))
        grid = load_grid(grid_file)
        tasks = sweep_tasks(pathway, scenario, grid, args.output)
        progress = None if args.quiet else Progress("sweeping")
        if args.dask:
            ran, skipped = run_on_dask(tasks, args.dask, progress=progress)
        else:
            workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
            ran, skipped = run_sweep(tasks, workers=workers, progress=progress)
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped the sweep")
        return PROBLEMS
    except (SweepValueError, OutputError, MissingExtra) as exc:
        say(f"pathways sweep: {exc}")
        return USAGE
    folder = Path(args.output)
    summaries = summarise(tasks)
    (folder / "summary.csv").write_text(table_csv(summaries), encoding="utf-8")
    (folder / "summary.json").write_text(table_json(summaries), encoding="utf-8")
    if not args.quiet:
        say(f"{ran} point(s) run, {skipped} already done; wrote {folder.as_posix()}/summary.csv")
    shown = grid.outputs or DEFAULT
    if not args.no_charts:
        _charts(summaries, shown, folder, args.quiet)
    for point in summaries:
        show(_line(point, shown))
    return OK


def _line(point: PointSummary, outputs: tuple[str, ...]) -> str:
    """`point 3: a=1, b=0.5: journeys 267.7 (234.6 to 300.7); ...`, the outputs shown."""
    found = dict(point.outputs)
    figures = "; ".join(
        f"{name} {found[name].mean:.4g} ({found[name].low:.4g} to {found[name].high:.4g})"
        for name in outputs
        if name in found
    )
    values = ", ".join(f"{name}={value:g}" for name, value in point.values)
    return f"point {point.number}: {values}: {figures}"


def _charts(summaries: Any, outputs: tuple[str, ...], folder: Path, quiet: bool) -> None:
    from pathways.plotting import available

    if not available():
        if not quiet:
            say("no charts: they need matplotlib (pip install 'referral-pathways[diagrams]')")
        return
    (folder / "charts").mkdir(exist_ok=True)
    for output in outputs:
        for path in swing_chart(summaries, output, folder / "charts"):
            if not quiet:
                say(f"wrote {path.as_posix()}")
