"""`pathways schema`: the JSON Schema of a pathway file, for editors to autocomplete and flag."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pathways.definition.schema import PathwayDocument

__all__ = ["json_schema", "register", "run"]


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one pathway file, as written (before `extends`)."""
    schema = PathwayDocument.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Pathway file"
    schema["description"] = (
        "A modern slavery referral pathway: agencies, stages of the victim journey, "
        "handoffs between them, conditions and time limits."
    )
    return schema


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of pathway files (for editors)",
        description="Print the JSON Schema of the pathway file format. Point your editor's "
        "YAML support at it to get completion and errors while you type.",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        print(text, end="")
    return 0
