"""`pathways papers PATHWAY [-o DIR] [--format html|markdown]`: the papers a partnership agrees.

Writes the information sharing annex (`sharing-annex.html`) and the statutory duties map
(`duties-map.html`), or Markdown (`.md`), into DIR, made from the pathway so they cannot drift
from it. Exit status 0 when written, 1 when the pathway does not load or a special category
item is shared without a complete lawful basis (the papers are still written, with the gap
marked), 2 for a usage error.
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
    add_path_option,
    add_quiet,
    load_one,
    named_file,
    print_problems,
    say,
)
from pathways.definition.loader import Library
from pathways.errors import DefinitionError
from pathways.papers import TITLES, make_papers, to_html, to_markdown

__all__ = ["FORMATS", "register", "run"]

#: Each format, with its file suffix.
FORMATS = {"html": ".html", "markdown": ".md"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "papers",
        help="write the information sharing annex and the statutory duties map of a pathway",
        description="Write the papers a partnership agrees, made from the pathway file: the "
        "information sharing annex (for every pair of agencies, what passes, along which "
        "handoffs, how sensitive it is and its lawful basis) and the statutory duties map "
        "(each duty, who carries it, the stages where it applies and their time limits), as "
        "printable HTML or Markdown. Exit status 0 when written, 1 when the pathway does not "
        "load or special category data is shared without a complete lawful basis (the papers "
        "are written, with the gap marked), 2 for a usage error.",
    )
    parser.add_argument("pathway", metavar="PATHWAY", help="the pathway file, or an id")
    add_path_option(parser)
    parser.add_argument(
        "-o", "--output", metavar="DIR", default=".", help="the folder to write to (default: .)"
    )
    parser.add_argument(
        "--format", choices=tuple(FORMATS), default="html", help="html (the default) or markdown"
    )
    add_quiet(parser, "do not say what was written")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        library = Library(args.search)
        file = named_file(args.pathway, library.search)
        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{args.output} is a file; -o names the folder to write to")
    except UsageError as exc:
        say(f"pathways papers: {exc}")
        return USAGE
    try:
        pathway = load_one(library, file)
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped the papers; fix them with pathways validate")
        return PROBLEMS
    papers = make_papers(pathway)
    folder.mkdir(parents=True, exist_ok=True)
    render = to_html if args.format == "html" else to_markdown
    for paper in TITLES:
        target = folder / f"{paper}{FORMATS[args.format]}"
        target.write_text(render(papers, paper), encoding="utf-8")
        if not args.quiet:
            say(f"wrote {target.as_posix()}")
    gaps = papers.annex.gaps
    for pair, passage in gaps:
        say(
            f"{pathway.id}: {passage.title} ({passage.item}) passes from {pair.sender.name} "
            f"to {pair.receiver.name}, but {passage.lacking}"
        )
    return PROBLEMS if gaps else OK
