"""`pathways simulate PATHWAY --scenario FILE`: simulate journeys and report what happens.

With `--compare OTHER` (repeatable) each other scenario is run with the same seed and
replications and set against the first, with the difference and whether it is outside its 95%
confidence interval; `--json` then holds every scenario and the comparisons, and
`--differences FILE` writes the comparisons as CSV. `--periods quarter` (or `month`, `year`,
`financial-year`) adds figures by calendar period.
"""

from __future__ import annotations

import argparse
import json
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
from pathways.simulation import GRIDS, Results, load_scenario, simulate
from pathways.simulation.compare import compare_all
from pathways.simulation.compare_output import comparison_csv, comparison_json
from pathways.simulation.summary import Progress, comparison_text, summary, to_csv, to_json

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="simulate journeys through a pathway under a scenario",
        description="Simulate journeys through PATHWAY under the scenario in FILE and print "
        "waits, time to support, outcomes, capacity used and backlog, each with a 95% "
        "confidence interval across replications; with --periods, what happens in each calendar "
        "period; with --compare, the difference each other scenario makes. Exit status 0 when "
        "it ran, 1 when the "
        "pathway or a scenario has problems, 2 for a usage error.",
    )
    parser.add_argument(
        "pathway", metavar="PATHWAY", help="the pathway file, or an id such as humber/hull"
    )
    parser.add_argument(
        "--scenario",
        required=True,
        metavar="FILE",
        help="the scenario file, or a scenario id such as humber/hull",
    )
    parser.add_argument("--replications", type=int, default=10, metavar="N", help="default 10")
    parser.add_argument("--seed", default="1", metavar="S", help="random seed (default 1)")
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="OTHER",
        help="a scenario to compare with the first (repeat for several)",
    )
    parser.add_argument(
        "--periods",
        choices=GRIDS,
        metavar="GRID",
        help="also count what happens in each calendar period (referrals, decisions made, "
        "backlog at its end...): month, quarter, year or financial-year",
    )
    parser.add_argument(
        "--differences", metavar="FILE", help="with --compare, write the differences as CSV"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes to run replications in (0: one per CPU); results are the same",
    )
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--csv", metavar="FILE", help="also write every figure as CSV")
    parser.add_argument(
        "--charts", metavar="FOLDER", help="also draw PNG charts (needs the 'diagrams' extra)"
    )
    add_path_option(parser)
    add_quiet(parser, "no progress bar and no messages on standard error")
    parser.set_defaults(run=run)


def _seed(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    scenario_roots = library_roots(args.search, "scenarios")
    try:
        pathway_file = named_file(args.pathway, library.search)
        scenario_files = [
            named_file(name, scenario_roots, (".yaml",)) for name in (args.scenario, *args.compare)
        ]
    except UsageError as exc:
        say(f"pathways simulate: {exc}")
        return USAGE
    for file in (pathway_file, *scenario_files):
        if not file.is_file():
            say(f"pathways simulate: {file.as_posix()}: no such file")
            return USAGE
    wrong = _wrong_options(args)
    if wrong:
        say(f"pathways simulate: {wrong}")
        return USAGE
    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    try:
        pathway = library.load(pathway_file)
        scenarios = [load_scenario(file, search=tuple(args.search)) for file in scenario_files]
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped the simulation")
        return PROBLEMS
    seed = _seed(args.seed)
    results = []
    try:
        for scenario in scenarios:
            progress = None if args.quiet else Progress(f"simulating {scenario.id}")
            results.append(
                simulate(
                    pathway,
                    scenario,
                    replications=args.replications,
                    seed=seed,
                    workers=workers,
                    progress=progress,
                    periods=args.periods,
                )
            )
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped the simulation")
        return PROBLEMS
    for result in results:
        if not args.quiet:
            for warning in result.warnings:
                say(f"warning: {result.scenario}: {warning}")
        show(summary(result))
    comparisons = compare_all(results[0], results[1:])
    for comparison in comparisons:
        show(comparison_text(comparison))
    _write(args, results, comparisons)
    return OK


def _wrong_options(args: argparse.Namespace) -> str | None:
    """What is wrong with the options, if anything (a usage error)."""
    if args.replications < 1:
        return "--replications must be at least 1"
    if args.differences and not args.compare:
        return "--differences needs --compare"
    if args.charts:
        from pathways.plotting import available

        if not available():
            return "--charts needs matplotlib: pip install 'referral-pathways[diagrams]'"
    return None


def _write(args: argparse.Namespace, results: list[Results], comparisons: list[Any]) -> None:
    if args.json:
        data: Any = to_json(results[0])
        if comparisons:
            data = {
                "scenarios": [to_json(r) for r in results],
                **comparison_json(comparisons),
            }
        text = json.dumps(data, indent=2, allow_nan=False)
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    if args.csv:
        text = "".join(to_csv(r, header=i == 0) for i, r in enumerate(results))
        Path(args.csv).write_text(text, encoding="utf-8")
    if args.differences:
        Path(args.differences).write_text(comparison_csv(comparisons), encoding="utf-8")
    if args.charts:
        from pathways.simulation.charts import write_charts

        for result in results:
            stem = result.scenario.replace("/", "-")
            for path in write_charts(result, Path(args.charts), stem):
                if not args.quiet:
                    say(f"wrote {path.as_posix()}")
