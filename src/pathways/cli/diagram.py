"""`pathways diagram PATH`: draw a pathway as Mermaid, DOT, SVG or PNG.

Exit status: 0 when the diagram was written, 1 when the file does not load, 2 for a usage error
(a bad option or profile, a missing file, or PNG without matplotlib installed).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_output,
    add_path_option,
    add_quiet,
    named_file,
    print_problems,
    say,
    write_output,
)
from pathways.definition.loader import Library
from pathways.diagram import FORMATS, LANE_KINDS, LOOKS, render
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
        "SVG and PNG are laid out top to bottom for print (--look classic for the older drawing); "
        "PNG needs matplotlib (pip install 'referral-pathways[diagrams]'); nothing needs Graphviz. "
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
        "--look",
        choices=LOOKS,
        default="board",
        help="SVG and PNG: the board layout, top to bottom (default), or the classic drawing",
    )
    parser.add_argument(
        "--fence",
        action="store_true",
        help="Mermaid: put the text between ```mermaid and ``` lines, ready for a Markdown page",
    )
    parser.add_argument(
        "--highlight-findings",
        action="store_true",
        help="run the checks and outline what they found in red",
    )
    add_output(parser, "write to FILE (default: the screen)")
    add_quiet(parser, 'do not say "wrote FILE" on standard error')
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        path = named_file(args.path, library.search)
    except UsageError as exc:
        say(f"pathways diagram: {exc}")
        return USAGE
    if not path.is_file():
        say(f"pathways diagram: {args.path}: no such file")
        return USAGE
    if args.format == "pnml" and (args.profile or args.highlight_findings):
        say(
            "pathways diagram: --format pnml is the whole pathway's Petri net; it takes no "
            "--profile or --highlight-findings"
        )
        return USAGE
    if args.format in ("svg", "png") and not args.output:
        say(f"pathways diagram: --format {args.format} needs --output FILE")
        return USAGE
    try:
        pathway = library.load(path)
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped {args.path} from being drawn")
        return PROBLEMS
    try:
        picture = render(
            pathway,
            args.format,
            lanes=args.lanes,
            profile=args.profile,
            highlight_findings=args.highlight_findings,
            look=args.look,
            fence=args.fence,
        )
    except (MissingExtra, ValueError) as exc:
        say(f"pathways diagram: {exc}")
        return USAGE
    if isinstance(picture, bytes):
        Path(args.output).write_bytes(picture)
        if not args.quiet:
            say(f"wrote {Path(args.output).as_posix()}")
    else:
        write_output(args.output, picture, quiet=args.quiet)
    return OK
