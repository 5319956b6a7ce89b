"""`pathways walk PATHWAY --profile ...`: one victim's journey step by step, no test file needed.

At each step it lists the handoffs open to the victim, who may make them and their time limits;
the choices come from `--choose` (names or numbers, in order) or, with `-i` or at a terminal,
from the keyboard. It prints the dated story in the words of case-test failures and, with
`--save FILE`, adds the walk to a case-test file as a case (checked before it is kept). Exit
status 0 when the walk was made, 1 when a choice could not be made, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pathways.casetests.loading import SUFFIX, load_cases
from pathways.casetests.walkthrough import CASE_REF, Walkthrough
from pathways.cli._common import (
    OK,
    PROBLEMS,
    USAGE,
    UsageError,
    add_path_option,
    named_file,
    print_problems,
    say,
    show,
)
from pathways.definition.loader import Library
from pathways.definition.profiles import Value, parse_profile
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError, JourneyError

__all__ = ["register", "run"]

#: Steps a walk takes at most (a loop chosen by `-i` cannot run for ever).
MAX_STEPS = 200


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "walk",
        help="follow one victim's journey step by step",
        description="Follow one victim through a pathway step by step: at each stage the "
        "handoffs open to them, who may make them and their time limits. Give the choices "
        "with --choose, or choose at the keyboard (-i). Prints the dated story, as a failing "
        "case test does, and can save the walk as a case test. Exit status 0 when the walk "
        "was made, 1 when a choice could not be made, 2 for a usage error.",
    )
    parser.add_argument("path", metavar="PATHWAY", help="a pathway file or an id (humber/hull)")
    add_path_option(parser)
    parser.add_argument(
        "--profile",
        metavar="ATTR=VALUE,...",
        default="",
        help='the victim, e.g. "age_group=adult,consent=given" (every attribute; -i asks for '
        "any left out)",
    )
    parser.add_argument("--found-by", metavar="AGENCY", help="the agency that opens the journey")
    parser.add_argument("--starts-on", metavar="YYYY-MM-DD", help="the day the journey opens")
    parser.add_argument(
        "--choose",
        action="append",
        default=[],
        metavar="STEP,...",
        help="the handoffs to make, in order: names or numbers, each optionally as "
        "HANDOFF@AGENCY (may be given more than once)",
    )
    parser.add_argument(
        "-i",
        "--interactive",
        action="store_true",
        help="choose at the keyboard after the --choose steps (the default at a terminal)",
    )
    parser.add_argument("--save", metavar="FILE", help=f"add the walk to this *{SUFFIX} file")
    parser.add_argument("--name", default="walked", help="the case's name when saved")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    library = Library(args.search)
    try:
        pathway = _pathway(library, args.path)
        interactive = args.interactive or (not args.choose and sys.stdin.isatty())
        walk = Walkthrough(
            pathway,
            _profile(pathway, args.profile, ask if interactive else None),
            found_by=_agency(pathway, args.found_by),
            starts_on=_day(args.starts_on),
        )
    except UsageError as exc:
        say(f"pathways walk: {exc}")
        return USAGE
    except DefinitionError as exc:
        count = print_problems(exc.problems, result=False)
        say(f"{count} problem(s) stopped {args.path} from loading")
        return PROBLEMS
    show(_heading(walk))
    steps = [step for text in args.choose for step in text.split(",") if step.strip()]
    status = _given(walk, steps)
    if status == OK and interactive:
        show("\n".join(walk.story()[:-1]))
        _keyboard(walk)
        show()
    show("\n".join(walk.story()))
    _open_now(walk)
    if args.save and status == OK:
        source = named_file(args.path, library.search)
        status = _save(walk, Path(args.save), args.name, library, source)
    return status


def _pathway(library: Library, name: str) -> Pathway:
    path = named_file(name, library.search)
    if not path.is_file():
        raise UsageError(f"{name}: no such file")
    return library.load(path)


def _profile(pathway: Pathway, text: str, asking: Callable[[str], str] | None) -> dict[str, Value]:
    try:
        given = parse_profile(pathway.profile_space, text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    missing = [name for name in pathway.profile if name not in given]
    if missing and asking is None:
        wanted = "; ".join(_choices(pathway, name) for name in missing)
        raise UsageError(f"--profile must give every attribute; missing {wanted}")
    for name in missing:
        while name not in given:
            answer = asking(f"{_choices(pathway, name)}? ").strip()  # type: ignore[misc]
            try:
                given.update(parse_profile(pathway.profile_space, f"{name}={answer}"))
            except ValueError as exc:
                say(str(exc))
    return {name: given[name] for name in pathway.profile}


def _choices(pathway: Pathway, name: str) -> str:
    values = " or ".join(str(v).lower() for v in pathway.profile[name].domain)
    return f"{name} ({values})"


def _agency(pathway: Pathway, name: str | None) -> str | None:
    if name is not None and name not in pathway.agencies:
        raise UsageError(f"--found-by: '{name}' is not an agency of {pathway.id}")
    return name


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--starts-on: '{text}' is not a date YYYY-MM-DD") from None


def _heading(walk: Walkthrough) -> str:
    pathway = walk.pathway
    who = pathway.agencies[walk.found_by].name
    return f"Walking {pathway.title} ({pathway.id}), found by {who}"


def _given(walk: Walkthrough, steps: list[str]) -> int:
    for number, step in enumerate(steps, 1):
        name, _, by = step.strip().partition("@")
        try:
            walk.choose(name, by or None)
        except (ValueError, JourneyError) as exc:
            say(f"pathways walk: step {number} ('{step.strip()}'): {_reason(exc)}")
            return PROBLEMS
    return OK


def _reason(exc: Exception) -> str:
    """The refusal without the runtime's "Case walk: " (the walk's journey has no case)."""
    text = str(exc)
    return text.removeprefix(f"Case {CASE_REF}: ")


def ask(prompt: str) -> str:
    """One answer from the keyboard (or standard input); 'q' at the end of input."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    return line.strip() if line else "q"


def _keyboard(walk: Walkthrough) -> None:
    for _ in range(MAX_STEPS):
        if walk.ending is not None:
            return
        _open_now(walk)
        show()
        answer = ask("Choose a number or a handoff name (add @agency to choose who; q stops): ")
        if answer in ("q", "quit"):
            return
        name, _, by = answer.partition("@")
        try:
            for line in walk.choose(name, by or None):
                show(line)
        except (ValueError, JourneyError) as exc:
            say(_reason(exc))


def _open_now(walk: Walkthrough) -> None:
    choices = walk.choices()
    if not choices:
        return
    show()
    show("Open now:")
    at = None
    for choice in choices:
        if choice.at != at:
            at = choice.at
            show(f"  at {at}:")
        show(f"    {choice.describe()}")


def _pathway_key(walk: Walkthrough, file: Path, source: Path) -> str:
    """`pathway: <id>`, unless `file` is the companion `<name>.tests.yaml` of the pathway file
    `source` that was walked."""
    if file.resolve() == source.resolve().with_name(source.name.split(".")[0] + SUFFIX):
        return ""
    return f"pathway: {walk.pathway.id}\n"


def _save(walk: Walkthrough, file: Path, name: str, library: Library, source: Path) -> int:
    """Add the walk to `file` as case `name`; the file is checked, and left as it was if the
    result would not load."""
    before = file.read_text(encoding="utf-8") if file.is_file() else None
    case = walk.as_case(name)
    if before is None:
        text = f"{_pathway_key(walk, file, source)}cases:\n{case}"
    else:
        text = before + ("" if before.endswith("\n") else "\n") + case
    file.write_text(text, encoding="utf-8")
    try:
        load_cases(file, library)
    except DefinitionError as exc:
        if before is None:
            file.unlink()
        else:
            file.write_text(before, encoding="utf-8")
        print_problems(exc.problems, result=False)
        say(f"pathways walk: the case was not saved: {file.as_posix()} would not load")
        return PROBLEMS
    say(f"saved case '{name}' to {file.as_posix()}")
    return OK
