"""`pathways diagram PATH`: draw a pathway as Mermaid, DOT, SVG or PNG.

Exit status: 0 when the diagram was written, 1 when the file does not load, 2 for a usage error
(a bad option or profile, a missing file, or SVG/PNG without matplotlib installed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pathways.cli._common import UsageError, add_path_option, named_file, print_problems
from pathways.definition.loader import Library
from pathways.diagram import FORMATS, LANE_KINDS, render
from pathways.errors import DefinitionError
from pathways.plotting import MissingExtra

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diagram",
        help="draw a pathway with a lane per agency (Mermaid, DOT, SVG or PNG)",
        description="Draw the pathway in PATH: a lane per agency (or per track), decisions as "
        "diamonds, outcomes as rounded green boxes, and each handoff labelled with who does it, "
        "when it applies and its time limit. Mermaid pastes into GitHub or GitLab Markdown; "
        "SVG and PNG need matplotlib (pip install 'referral-pathways[diagrams]'), not Graphviz. "
        "Exit status 0 when written, 1 when the file does not load, 2 for a usage error.",
    )
    parser.add_argument("path", metavar="PATH", help="a pathway file or an id such as humber/hull")
    add_path_option(parser)
    parser.add_argument("--format", choices=FORMATS, default="mermaid", help="default: mermaid")
    parser.add_argument("--lanes", choices=LANE_KINDS, default="agency", help="default: agency")
    parser.add_argument(
        "--profile",
        metavar="ATTR=VALUE,...",
        help='show only the route open to this victim, e.g. "age_group=adult,consent=declined"',
    )
    parser.add_argument(
        "--highlight-findings",
        action="store_true",
        help="run the checks and outline what they found in red",
    )
    parser.add_argument("-o", "--out", metavar="FILE", help="write to FILE (default: the screen)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        path = named_file(args.path, library.search)
    except UsageError as exc:
        print(f"pathways diagram: {exc}")
        return 2
    if not path.is_file():
        print(f"pathways diagram: {args.path}: no such file")
        return 2
    if args.format in ("svg", "png") and not args.out:
        print(f"pathways diagram: --format {args.format} needs --out FILE")
        return 2
    try:
        pathway = library.load(path)
    except DefinitionError as exc:
        count = print_problems(exc.problems)
        print(f"{count} problem(s) stopped {args.path} from being drawn")
        return 1
    try:
        picture = render(
            pathway,
            args.format,
            lanes=args.lanes,
            profile=args.profile,
            highlight_findings=args.highlight_findings,
        )
    except MissingExtra as exc:
        print(f"pathways diagram: {exc}")
        return 2
    except ValueError as exc:
        print(f"pathways diagram: {exc}")
        return 2
    if args.out:
        target = Path(args.out)
        if isinstance(picture, bytes):
            target.write_bytes(picture)
        else:
            target.write_text(picture, encoding="utf-8")
        print(f"wrote {target.as_posix()}", file=sys.stderr)
    else:
        assert isinstance(picture, str)
        print(picture, end="")
    return 0
