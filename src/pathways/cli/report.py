"""`pathways report [PATH...|--area AREA] --period 2021Q3 --db URL -o report.html`.

The quarterly board report: one self-contained HTML page (and, if asked, CSV and JSON) with
the pathway diagram, the check findings and the quarter's figures from the journey store.
Exit status: 0 when written, 1 when a pathway file does not load, 2 for a usage error (a bad
period, an unknown area, a database that is not a journey store, or `--pdf` with no browser
to print it). The journey store is opened
read-only (a read-only copy will do), and no message shows the URL's password.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pathways.board import build_report, parse_period, to_csv, to_html, to_json
from pathways.board.pdf import PdfUnavailable, write_pdf
from pathways.board.period import KINDS, LONDON, Period, PeriodError, last_complete
from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_output,
    add_path_option,
    add_quiet,
    files_from,
    print_problems,
    say,
)
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError, StoreError
from pathways.store import PREFIX, JourneyStore
from pathways.store.connection import safe_url
from pathways.store.failures import redact
from pathways.store.migrations import existing_revision, head

__all__ = ["last_quarter", "register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="the quarterly board report: diagram, check findings and figures (HTML, PDF, CSV, "
        "JSON)",
        description="Write the board report for a quarter: one HTML file that works offline "
        "(the pathway diagram, what the checks found, and the quarter's figures from the "
        "journey store, with every count rounded to the nearest 5), and the same figures "
        "as CSV and JSON, and the report as an A4 PDF, if asked. Name pathway files, or areas "
        "with --area (looked up in "
        "the PATHs given, or in ./pathways, or else in the --path folders and the pathways "
        "installed with the package). Exit status 0 when written, 1 when a pathway "
        "does not load, 2 for a usage error.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="pathway files or folders")
    add_path_option(parser)
    parser.add_argument(
        "--area",
        action="append",
        default=[],
        metavar="AREA",
        help="an area by name or pathway id, e.g. Hull or humber/hull (may be repeated)",
    )
    parser.add_argument(
        "--period",
        metavar="PERIOD",
        help="a quarter such as 2021Q3 (calendar quarters: Q3 is July to September), a "
        "half-year such as 2021H1 (January to June), a calendar year such as 2021 or a "
        "financial year such as FY2021-22 (April to March); or quarter, half-year or year for "
        "the last one that has ended, when a quarter has too few journeys to show its "
        "figures; never a range of days (default: the last complete quarter)",
    )
    parser.add_argument("--db", required=True, metavar="URL", help="the journey store's URL")
    parser.add_argument("--prefix", default=PREFIX, help=f"table-name prefix (default: {PREFIX})")
    add_output(parser, "the HTML file to write (this, --pdf FILE or both)")
    parser.add_argument("--csv", metavar="FILE", help="also write the figures as CSV")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--pdf",
        metavar="FILE",
        help="also write the report as an A4 PDF, printed by Chromium or Google Chrome "
        "(which must be installed)",
    )
    parser.add_argument(
        "--no-diagram", action="store_true", help="list the stages instead of drawing them"
    )
    add_quiet(parser, "do not say what was written")
    parser.set_defaults(run=run)


def last_quarter(today: date) -> Period:
    """The last calendar quarter that ended before `today`."""
    return last_complete("quarter", today)


def _period(text: str | None, today: date) -> Period:
    """The period `--period` names: a fixed one, or the last quarter, half-year or year."""
    if text is None:
        return last_quarter(today)
    if text.strip().lower() in KINDS:
        return last_complete(text.strip().lower(), today)
    return parse_period(text)


def run(args: argparse.Namespace) -> int:
    now = datetime.now(LONDON)
    try:
        if args.output is None and args.pdf is None:
            raise UsageError("name the file to write with -o/--output FILE or --pdf FILE")
        period = _period(args.period, now.date())
        library = Library(args.search)
        files = _files(args.paths, args.area, library)
        _check_store(args.db, args.prefix)
    except (PeriodError, UsageError) as exc:
        say(f"pathways report: {exc}")
        return USAGE
    pathways: list[Pathway] = []
    try:
        pathways = [library.load(file) for file in files]
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped the report; fix them with pathways validate")
        return PROBLEMS
    try:
        with JourneyStore(args.db, prefix=args.prefix, read_only=True) as store:
            report = build_report(store, pathways, period, at=now, diagram=not args.no_diagram)
    except StoreError as exc:
        # The store's messages can name a case: say what kind of problem it is, never which.
        say(
            f"pathways report: the journey store could not be read ({type(exc).__name__}); "
            f"run pathways db verify {safe_url(args.db)} to find the journey"
        )
        return USAGE
    page = to_html(report)
    outputs = [(args.output, page)] if args.output else []
    if args.csv:
        outputs.append((args.csv, to_csv(report)))
    if args.json:
        outputs.append((args.json, to_json(report)))
    for name, text in outputs:
        Path(name).write_text(text, encoding="utf-8")
        if not args.quiet:
            say(f"wrote {Path(name).as_posix()}")
    if args.pdf:
        try:
            write_pdf(page, Path(args.pdf))
        except PdfUnavailable as exc:
            say(f"pathways report: no PDF: {exc}")
            return USAGE
        if not args.quiet:
            say(f"wrote {Path(args.pdf).as_posix()}")
    if not args.quiet:
        say(f"board report for {period.label} ({period.describe()}): {len(pathways)} pathway(s)")
    return OK


def _files(paths: list[str], areas: list[str], library: Library) -> list[Path]:
    if not paths and not areas:
        raise UsageError("name the pathway files to report on, or an area with --area")
    if not paths and not Path("pathways").is_dir():
        # an area named from a folder of its own: the library's pathways (bundled last)
        paths = [str(root) for root in library.search if root.is_dir()]
    files = files_from(paths, roots=library.search)
    if not areas:
        return files
    known: dict[Path, tuple[str, ...]] = {}
    for file in files:
        try:
            pathway = library.load(file)
        except DefinitionError:
            continue
        last = pathway.id.rsplit("/", 1)[-1]
        known[file] = (pathway.id, last, pathway.area, file.stem)
    chosen: list[Path] = []
    for area in areas:
        wanted = area.strip().lower()
        found = [f for f, names in known.items() if wanted in (n.lower() for n in names)]
        if not found:
            names = ", ".join(sorted(names[0] for names in known.values()))
            raise UsageError(f"no pathway for area '{area}'; expected one of: {names}")
        chosen.extend(f for f in found if f not in chosen)
    return chosen


def _check_store(url: str, prefix: str) -> None:
    """Refuse a database that is not an up-to-date journey store, without creating one."""
    shown = safe_url(url)
    try:
        found = existing_revision(url, prefix)
    except StoreError as exc:
        raise UsageError(f"--db {shown}: {redact(exc)}") from None
    if found is None:
        raise UsageError(f"--db {shown} holds no journey store (with table prefix '{prefix}')")
    if found != head():
        raise UsageError(
            f"--db {shown}: the journey store is at an older schema ({found}); "
            f"run pathways db upgrade {shown}"
        )
