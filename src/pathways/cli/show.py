"""`pathways show PATH`: a readable summary of one pathway for a forum lead."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pathways.cli._common import (
    OK,
    PROBLEMS,
    STDIN,
    USAGE,
    UsageError,
    add_path_option,
    load_one,
    named_file,
    print_problems,
    say,
    show,
    visible,
)
from pathways.definition.conditions import explain
from pathways.definition.loader import Library
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.errors import DefinitionError

__all__ = ["register", "run", "summary"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        help="summarise a pathway: agencies, stages, handoffs, tracks and duties",
        description="Print a readable summary of one pathway file, with whatever it extends "
        "applied. Exit status 0 when shown, 1 when the file does not load, 2 for a usage "
        "error such as a missing file.",
    )
    parser.add_argument(
        "path",
        metavar="PATH",
        help="the pathway file, an id such as humber/hull, or '-' for standard input",
    )
    add_path_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        file = Path(STDIN) if args.path == STDIN else named_file(args.path, library.search)
        if file != Path(STDIN) and not file.is_file():
            raise UsageError(f"{args.path}: no such file")
        pathway = load_one(library, file)
    except UsageError as exc:
        say(f"pathways show: {exc}")
        return USAGE
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        name = "standard input" if args.path == STDIN else args.path
        say(f"{count} problem(s) stopped {name} from being shown")
        return PROBLEMS
    show(summary(pathway))
    return OK


def summary(pathway: Pathway) -> str:
    """The whole summary as text: one line per fact, a line break in a value shown as `\\n`
    (and any control character as its escape), so a file cannot add or hide lines."""
    return "\n".join(visible(line, lines=False) for line in _lines(pathway))


def _lines(p: Pathway) -> Iterator[str]:
    yield f"{p.title}  [{p.id}, version {p.version}]"
    yield f"Area: {p.area}"
    if len(p.lineage) > 1:
        yield "Builds on: " + " <- ".join(reversed(p.lineage))
    if p.status != "agreed":
        yield f"Status: {p.status} (not a partnership's agreed pathway)"
    yield f"Journeys start at: {p.entry}"
    yield from _section("Agencies", _agencies(p))
    yield from _section(
        "Roles", (f"{r}: {role.title} — {_fillers(p, r)}" for r, role in p.roles.items())
    )
    yield from _section("Tracks", _tracks(p))
    yield from _section("Stages", _stages(p))
    yield from _section("Handoffs", _handoffs(p))
    yield from _section(
        "Duties",
        (
            f"{d}: {duty.title} ({duty.statute}); owned by {duty.owner}"
            for d, duty in p.duties.items()
        ),
    )
    if p.assumptions:
        yield from _section("Assumptions", (f"{k}: {v}" for k, v in p.assumptions.items()))


def _section(title: str, rows: Iterator[str]) -> Iterator[str]:
    items = list(rows)
    yield ""
    yield f"{title} ({len(items)})"
    for row in items:
        yield f"  {row}"


def _fillers(p: Pathway, role: str) -> str:
    agencies = p.owner_agencies(role)
    return "filled by " + ", ".join(agencies) if agencies else "no agency fills it"


def _agencies(p: Pathway) -> Iterator[str]:
    for name, agency in p.agencies.items():
        marks = []
        if agency.first_responder:
            marks.append("first responder")
        if agency.public_authority:
            marks.append("public authority (duty to notify)")
        roles = ", ".join(agency.roles) or "no roles"
        extra = f"; {', '.join(marks)}" if marks else ""
        yield f"{name}: {agency.name} — {roles}{extra}"


def _tracks(p: Pathway) -> Iterator[str]:
    yield f"{MAIN_TRACK}: the victim's journey, starts at {p.entry}"
    for name, track in p.tracks.items():
        yield f"{name}: {track.title}, starts at {track.entry}"


def _stages(p: Pathway) -> Iterator[str]:
    for name, stage in p.stages.items():
        facts = [stage.kind, f"owner {stage.owner}"]
        if stage.track != MAIN_TRACK:
            facts.append(f"track {stage.track}")
        if stage.outcome:
            facts.append(f"outcome: {stage.outcome}")
        if stage.within:
            facts.append(f"within {stage.within}")
        if stage.at_least:
            facts.append(f"at least {stage.at_least}")
        if stage.collects:
            facts.append("asks for " + ", ".join(stage.collects))
        yield f"{name}: {stage.title} ({'; '.join(facts)})"


def _handoffs(p: Pathway) -> Iterator[str]:
    for name, handoff in p.handoffs.items():
        sources = ", ".join(handoff.from_)
        facts = [f"by {', '.join(handoff.by)}"]
        if handoff.when is not None:
            facts.append(f"when {explain(handoff.when)}")
        if handoff.shares:
            facts.append("shares " + ", ".join(handoff.shares))
        if handoff.within:
            facts.append(
                f"within {handoff.within}" + (" (then by itself)" if handoff.timeout else "")
            )
        if handoff.starts:
            facts.append("starts track " + ", ".join(handoff.starts))
        if handoff.waits_for:
            facts.append("waits for track " + ", ".join(handoff.waits_for))
        yield f"{name}: {sources} -> {handoff.to} ({'; '.join(facts)})"
