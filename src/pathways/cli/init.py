"""`pathways init AREA --extends national/england`: start an area's file from the baseline.

The new file extends the baseline and binds every role that no agency of the baseline already
fills to a placeholder agency, each with a comment saying what to write. So the forum lead
starts from a file that loads, and replaces placeholders one by one.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    add_output,
    add_path_option,
    add_quiet,
    print_problems,
    say,
)
from pathways.definition.bases import ID_PATTERN, SUFFIXES, display_path, find_named
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError

__all__ = ["register", "render", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "init",
        help="start a new area's pathway file from a baseline",
        description="Write a new pathway file for AREA that extends a baseline, with every "
        "role to bind to a local agency listed and explained. AREA is the area's name "
        "('North Yorkshire') or an id ('yorkshire/north-yorkshire'). The baseline is looked "
        "up in the --root folder, then the --path folders and PATHWAYS_PATH, then the "
        "pathways installed with the package, so this works from an empty folder.",
    )
    parser.add_argument("area", metavar="AREA")
    parser.add_argument("--extends", required=True, metavar="ID", help="e.g. national/england")
    parser.add_argument(
        "--root", default="pathways", help="your pathway folder (default: pathways)"
    )
    add_output(parser, "write to FILE instead of <root>/<id>.yaml; the id is then the file's name")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    add_path_option(parser)
    add_quiet(parser, "do not say what was written")
    parser.set_defaults(run=run)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _identity(args: argparse.Namespace) -> tuple[str, str, Path]:
    """The new file's id, its area's name and where it is written."""
    if "/" in args.area:
        pathway_id = "/".join(_slug(part) for part in args.area.split("/"))
        area = args.area.rsplit("/", 1)[-1].replace("-", " ").title()
    else:
        pathway_id, area = _slug(args.area), args.area
    if args.output:
        target = Path(args.output)
        return _slug(target.name.split(".")[0]), area, target
    return pathway_id, area, Path(args.root) / f"{pathway_id}.yaml"


def run(args: argparse.Namespace) -> int:
    pathway_id, area, target = _identity(args)
    if not ID_PATTERN.fullmatch(pathway_id):
        say(f"pathways init: cannot make a file name from '{args.area}'")
        return USAGE
    if not ID_PATTERN.fullmatch(args.extends):
        say("pathways init: --extends takes an id such as national/england, not a path")
        return USAGE
    library = Library(args.search)
    base_file, _ = find_named(args.extends, [Path(args.root), *library.search], SUFFIXES)
    if base_file is None:
        say(
            f"pathways init: no baseline '{args.extends}' in {args.root}, the --path folders "
            "or the pathways installed with the package"
        )
        return USAGE
    try:
        base = library.load(base_file)
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) in the baseline {display_path(base_file)}")
        return PROBLEMS
    if target.exists() and not args.force:
        say(f"pathways init: {target.as_posix()} exists (use --force to overwrite)")
        return USAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(base, pathway_id, area), encoding="utf-8")
    if not args.quiet:
        say(
            f"wrote {target.as_posix()}: bind each placeholder agency, then run "
            f"'pathways validate {target.as_posix()}'"
        )
        say(
            "Keep your area's files together in one folder of your own "
            f"({display_path(target.parent)}). 'extends: {base.id}' is found there first, then "
            "in the folders given with --path or PATHWAYS_PATH, then in the pathways installed "
            "with the package."
        )
    return OK


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render(base: Pathway, pathway_id: str, area: str) -> str:
    """The new file's text: identity, `extends`, and a placeholder agency per unbound role."""
    lines = [
        f"# Pathway for {area}, built on {base.id} ({base.title}).",
        "# Replace each placeholder agency below with the real agency that does the job here,",
        "# then run: pathways validate, pathways check, pathways show.",
        f"id: {pathway_id}",
        f"title: {_q(f'{area}: modern slavery referral pathway')}",
        f"area: {_q(area)}",
        'version: "0.1"',
        "status: draft",
        f"extends: {base.id}",
        "about: |",
        f"  Draft pathway for {area}. Not yet agreed by the partnership.",
        "",
        "agencies:",
    ]
    unbound = [role for role in base.roles if not base.owner_agencies(role)]
    for role in unbound:
        title = base.roles[role].title
        users = [s for s, stage in base.stages.items() if stage.owner == role]
        users += [h for h, handoff in base.handoffs.items() if role in handoff.by]
        lines += [
            f"  # Role '{role}' ({title}): which agency does this in {area}?",
            f"  #   used by: {', '.join(users[:6]) or 'nothing yet'}"
            f"{' ...' if len(users) > 6 else ''}",
            "  #   Say whether it is a First Responder Organisation (may refer into the NRM)",
            "  #   and a public authority with the duty to notify (MSA 2015 s52).",
            f"  {role}-agency:",
            f"    name: {_q(f'{title} in {area} (placeholder: write the real name)')}",
            f"    roles: [{role}]",
            "    first_responder: false",
            "    public_authority: false",
        ]
    if not unbound:
        lines.append("  {}")
    lines += [
        "",
        "# To change a stage or handoff of the baseline, copy it under 'replace:';",
        "# to take one out, list it under 'remove:'. New ones go under 'stages:' and 'handoffs:'.",
        "",
    ]
    return "\n".join(lines)
