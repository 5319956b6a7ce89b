"""`pathways schema`: the JSON Schema of a pathway, scenario or case-test file, for editors."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pathways.definition.json_schema import file_schema, pathway_schema

__all__ = ["KINDS", "json_schema", "register", "run"]


def _scenario_schema() -> dict[str, Any]:
    from pathways.simulation.scenario.schema import ScenarioDocument

    return file_schema(
        ScenarioDocument,
        "scenario",
        "Scenario file",
        "A simulation scenario for a pathway: how many victims arrive, who they are, how long "
        "each stage takes and how much capacity each agency has.",
    )


def _tests_schema() -> dict[str, Any]:
    from pathways.casetests.cases import CaseFile

    return file_schema(
        CaseFile,
        "tests",
        "Case-test file",
        "Cases of victims and what the pathway should do for each, checked by `pathways test`.",
    )


#: The kinds of file, each with the function that builds its schema.
KINDS: dict[str, Callable[[], dict[str, Any]]] = {
    "pathway": pathway_schema,
    "scenario": _scenario_schema,
    "tests": _tests_schema,
}


def json_schema(kind: str = "pathway") -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one kind of file: `pathway`, `scenario` or `tests`."""
    return KINDS[kind]()


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of pathway, scenario or case-test files (for editors)",
        description="Print the JSON Schema of a file format. Point your editor's YAML support "
        "at it to get completion, descriptions and errors while you type.",
    )
    parser.add_argument(
        "kind",
        nargs="?",
        choices=tuple(KINDS),
        default="pathway",
        help="pathway files (the default), scenario files or case-test files (*.tests.yaml)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead (its folder is made if need be)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(args.kind), indent=2, sort_keys=True) + "\n"
    if args.output:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0
