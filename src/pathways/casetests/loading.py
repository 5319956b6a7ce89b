"""Read a case-test file: YAML to checked `Case`s, with the pathway they test.

Problems are reported the way the pathway loader reports them (`path:line:col: error[code]:
message`, then what was expected and a hint), all at once: the file's own keys, then each case
on its own (so one bad case does not hide the problems of the others), then every name a case
uses (stages, handoffs, agencies, roles, profile attributes and values) against the pathway.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from pathways.casetests.model import Case, CaseFile, Expect, Step
from pathways.errors import DefinitionError, Location, Problem
from pathways.loader import SUFFIXES, Library
from pathways.problems import did_you_mean, dotted, one_of, problems_from
from pathways.schema import Pathway
from pathways.source import Key, Positions, Source, read_file, read_text

__all__ = ["SUFFIX", "CaseSuite", "find_case_files", "load_cases", "load_cases_text"]

#: Case-test files are named `<pathway>.tests.yaml` and sit beside the pathway they test.
SUFFIX = ".tests.yaml"

_CASE = TypeAdapter(Case)


@dataclass(frozen=True)
class CaseSuite:
    """A checked case-test file: its cases, in the order written, and the pathway they test."""

    path: str
    pathway: Pathway
    cases: Mapping[str, Case]
    positions: Positions

    def location(self, case: str) -> Location:
        """Where case `case` is written."""
        return self.positions.key(("cases", case)) or self.positions.nearest(("cases", case))


def find_case_files(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Case-test files under `paths`: `*.tests.yaml` in folders, and any file named directly."""
    found: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.update(p for p in path.rglob(f"*{SUFFIX}") if p.is_file())
        else:
            found.add(path)
    return sorted(found)


def load_cases(file: str | os.PathLike[str], library: Library | None = None) -> CaseSuite:
    """Read and check one case-test file; raise `DefinitionError` listing every problem."""
    path = Path(file)
    source = read_file(path, display=_display(path))
    return _finish(source, path, library or Library())


def load_cases_text(
    text: str, pathway: Pathway, path: str = "<text>", library: Library | None = None
) -> CaseSuite:
    """Read case tests written as text, for `pathway` (any `pathway:` key must name its id)."""
    return _finish(read_text(text, path), None, library or Library(), pathway)


def _finish(
    source: Source, file: Path | None, library: Library, given: Pathway | None = None
) -> CaseSuite:
    positions = source.positions
    data = source.data
    if not isinstance(data, dict):
        found = "empty" if data is None else "not a set of keys and values"
        raise DefinitionError(
            [
                Problem(
                    "not-a-case-file",
                    f"the file is {found}",
                    positions.nearest(()),
                    expected="'pathway:' and 'cases:', each case with a profile and 'expect:'",
                    hint="see docs/testing-a-pathway.md for a file to start from",
                )
            ]
        )
    problems: list[Problem] = []
    raw_cases = data.get("cases")
    header = {k: ({} if k == "cases" and isinstance(v, dict) else v) for k, v in data.items()}
    try:
        document = CaseFile.model_validate(header)
    except ValidationError as exc:
        problems.extend(problems_from(exc, CaseFile, positions))
        document = None
    cases: dict[str, Case] = {}
    if isinstance(raw_cases, dict):
        for name, value in raw_cases.items():
            try:
                cases[name] = _CASE.validate_python(value)
            except ValidationError as exc:
                problems.extend(problems_from(exc, Case, positions, ("cases", name)))
        if not raw_cases:
            problems.append(
                Problem(
                    "no-cases",
                    "the file has no cases",
                    positions.nearest(("cases",)),
                    expected="at least one case under 'cases:'",
                    hint="add a case: a name, then its profile and 'expect:' indented below",
                )
            )
    pathway = given
    if document is not None and given is None:
        pathway, missing = _pathway(document.pathway, file, positions, library)
        problems.extend(missing)
    elif document is not None and given is not None and document.pathway not in (None, given.id):
        problems.append(_wrong_pathway(document.pathway, given, positions))
    if pathway is not None and not pathway.agencies:
        problems.append(
            Problem(
                "no-agencies",
                f"{pathway.id} names no agencies, so no journey can run on it",
                positions.value(("pathway",)) or positions.nearest(()),
                expected="a pathway whose agencies fill its roles, such as an area's pathway",
                hint="test a baseline through the areas that extend it: write the cases "
                "beside an area's pathway",
            )
        )
    elif pathway is not None:
        for name, case in cases.items():
            problems.extend(_References(pathway, positions, ("cases", name)).case(case))
    if problems or pathway is None:
        raise DefinitionError(problems)
    return CaseSuite(source.path, pathway, cases, positions)


def _wrong_pathway(named: str | None, pathway: Pathway, positions: Positions) -> Problem:
    return Problem(
        "unknown-pathway",
        f"these cases are for '{named}', not for '{pathway.id}'",
        positions.value(("pathway",)) or positions.nearest(("pathway",)),
        expected=f"'{pathway.id}'",
        hint="remove 'pathway:' or name the pathway being tested",
    )


def _pathway(
    named: str | None, file: Path | None, positions: Positions, library: Library
) -> tuple[Pathway | None, list[Problem]]:
    """Find and load the pathway the file tests: named by id or file, or the one beside it."""
    at = positions.value(("pathway",)) or positions.nearest(("pathway",))
    candidates = _candidates(named, file)
    target = next((c for c in candidates if c.is_file()), None)
    if target is None:
        what = f"'{named}'" if named else "the pathway beside this file"
        return None, [
            Problem(
                "unknown-pathway",
                f"these cases test {what}, which I cannot find",
                at,
                expected=_looked_for(named, file),
                hint="name the pathway by its id, such as 'pathway: humber/hull', or put this "
                "file beside it as <name>.tests.yaml",
            )
        ]
    try:
        return library.load(target), []
    except DefinitionError as exc:
        return None, [
            Problem(
                "pathway-invalid",
                f"the pathway these cases test ({_display(target)}) has "
                f"{len(exc.problems)} problem(s)",
                at,
                hint=f"run 'pathways validate {_display(target)}' and fix it first",
            )
        ]


def _looked_for(named: str | None, file: Path | None) -> str:
    folder = _display(file.parent) if file is not None else "."
    if named is None:
        stem = file.name.split(".")[0] if file is not None else "<name>"
        return f"{stem}.yaml in {folder}"
    if named.endswith(SUFFIXES):
        return f"{named} in {folder}"
    return f"{named}.yaml in {folder} or a folder above it"


def _candidates(named: str | None, file: Path | None) -> list[Path]:
    folder = file.parent if file is not None else Path(".")
    if named is None:
        if file is None:
            return []
        stem = file.name.split(".")[0]
        return [folder / f"{stem}{suffix}" for suffix in SUFFIXES]
    if named.endswith(SUFFIXES):
        return [folder / named]
    found: list[Path] = []
    for root in (folder.resolve(), *folder.resolve().parents):
        found.extend(root / f"{named}{suffix}" for suffix in SUFFIXES)
    return found


def _display(file: Path) -> str:
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.as_posix()


class _References:
    """Checks the names one case uses against its pathway."""

    def __init__(self, pathway: Pathway, positions: Positions, prefix: Key) -> None:
        self.pathway = pathway
        self.positions = positions
        self.prefix = prefix
        self.problems: list[Problem] = []

    def at(self, *path: str | int) -> Location:
        full = (*self.prefix, *path)
        return self.positions.value(full) or self.positions.nearest(full)

    def key_at(self, *path: str | int) -> Location:
        full = (*self.prefix, *path)
        return self.positions.key(full) or self.positions.nearest(full)

    def where(self, *path: str | int) -> str:
        return dotted((*self.prefix, *path))

    def unknown(
        self,
        code: str,
        noun: str,
        name: str,
        options: Iterable[str],
        path: Key,
        hint: str | None = None,
        at: Location | None = None,
    ) -> None:
        choices = sorted(options)
        self.problems.append(
            Problem(
                code,
                f"{self.where(*path)} names '{name}', which is not {noun} of {self.pathway.id}",
                at or self.at(*path),
                expected=one_of(choices),
                hint=did_you_mean(name, choices) or hint or "check the spelling",
            )
        )

    def case(self, case: Case) -> list[Problem]:
        self.values(case.profile, ("profile",), keys=True)
        if case.found_by is not None:
            self.agency(case.found_by, ("found_by",))
        if case.starts_on is not None:
            self.day(case.starts_on)
        if case.route is not None and case.starts_with is not None:
            self.problems.append(
                Problem(
                    "conflicting-keys",
                    f"{self.where()} has both 'route' and 'starts_with'",
                    self.key_at("starts_with"),
                    expected="'route' (the whole route) or 'starts_with' (its first steps)",
                    hint="keep one: 'route' is followed exactly, after 'starts_with' the runner "
                    "explores every route",
                )
            )
        for key, steps in (("route", case.route), ("starts_with", case.starts_with)):
            for index, step in enumerate(steps or ()):
                self.step(step, (key, index))
        self.expect(case.expect)
        return self.problems

    def values(self, values: Mapping[str, object], path: Key, keys: bool = False) -> None:
        declared = self.pathway.profile
        for name, value in values.items():
            attribute = declared.get(name)
            if attribute is None:
                choices = sorted(declared)
                self.problems.append(
                    Problem(
                        "unknown-attribute",
                        f"{self.where(*path)} names '{name}', which is not a profile "
                        f"attribute of {self.pathway.id}",
                        self.key_at(*path, name),
                        expected=one_of(choices),
                        hint=did_you_mean(name, choices) or "check the spelling",
                    )
                )
                continue
            domain = attribute.domain
            if value not in domain or type(value) is not type(domain[0]):
                words = ["true", "false"] if attribute.flag else [str(v) for v in domain]
                self.problems.append(
                    Problem(
                        "unknown-value",
                        f"{self.where(*path, name)} is '{_word(value)}', which is not a value "
                        f"of {name}",
                        self.at(*path, name),
                        expected=one_of(words),
                        hint=did_you_mean(_word(value), words) or "use one of the values listed",
                    )
                )

    def agency(self, name: str, path: Key) -> None:
        if name not in self.pathway.agencies:
            self.unknown("unknown-agency", "an agency", name, self.pathway.agencies, path)

    def day(self, text: str) -> None:
        try:
            date.fromisoformat(text)
        except ValueError:
            self.problems.append(
                Problem(
                    "bad-date",
                    f"{self.where('starts_on')} is '{text}', which is not a date",
                    self.at("starts_on"),
                    expected="a date written YYYY-MM-DD, such as 2025-01-06",
                    hint="the journey opens at 9am on that day, London time",
                )
            )

    def step(self, step: Step, path: Key) -> None:
        if (step.handoff is None) == (step.becomes is None) or (
            step.becomes is not None and step.by is not None
        ):
            self.problems.append(
                Problem(
                    "bad-step",
                    f"{self.where(*path)} should be a handoff or a profile change",
                    self.key_at(*path),
                    expected="a handoff's name, '{handoff: <name>, by: <agency>}' or "
                    "'{becomes: {<attribute>: <value>}}'",
                    hint="write one step per line of the list",
                )
            )
            return
        if step.handoff is not None and step.handoff not in self.pathway.handoffs:
            self.unknown(
                "unknown-handoff",
                "a handoff",
                step.handoff,
                self.pathway.handoffs,
                (*path, "handoff") if self._mapping(path) else path,
            )
        if step.by is not None:
            self.agency(step.by, (*path, "by"))
        if step.becomes is not None:
            self.values(step.becomes, (*path, "becomes"))

    def _mapping(self, path: Key) -> bool:
        return (*self.prefix, *path, "handoff") in self.positions.values

    def expect(self, expect: Expect) -> None:
        stages = self.pathway.stages
        if expect.reaches is not None and expect.always_reaches is not None:
            self.problems.append(
                Problem(
                    "conflicting-keys",
                    f"{self.where('expect')} has both 'reaches' and 'always_reaches'",
                    self.key_at("expect", "always_reaches"),
                    expected="'reaches' (some route gets there) or 'always_reaches' (every "
                    "route does)",
                    hint="write a second case for the other expectation",
                )
            )
        target = expect.reaches is not None or expect.always_reaches is not None
        for key in ("within", "passes_through", "counting_from"):
            if getattr(expect, key) and not target:
                self.problems.append(
                    Problem(
                        "missing-target",
                        f"{self.where('expect', key)} needs a stage to reach",
                        self.key_at("expect", key),
                        expected="'reaches: <stage>' or 'always_reaches: <stage>' beside it",
                        hint=f"'{key}' says how the victim gets somewhere: say where",
                    )
                )
        if expect.counting_from is not None and expect.within is None:
            self.problems.append(
                Problem(
                    "missing-target",
                    f"{self.where('expect', 'counting_from')} needs a time limit",
                    self.key_at("expect", "counting_from"),
                    expected="'within: <time>' beside it, such as 'within: 5 working days'",
                    hint="'counting_from' says where 'within' starts counting",
                )
            )
        for key in ("reaches", "always_reaches", "counting_from"):
            name = getattr(expect, key)
            if name is not None and name not in stages:
                self.unknown("unknown-stage", "a stage", name, stages, ("expect", key))
        for index, name in enumerate(expect.passes_through):
            if name not in stages:
                self.unknown(
                    "unknown-stage", "a stage", name, stages, self._item("passes_through", index)
                )
        for index, name in enumerate(expect.never):
            if name not in stages and name not in self.pathway.handoffs:
                options = [*stages, *self.pathway.handoffs]
                self.unknown(
                    "unknown-name", "a stage or handoff", name, options, self._item("never", index)
                )
        for index, name in enumerate(expect.never_handed_to):
            if name not in self.pathway.roles and name not in self.pathway.agencies:
                options = [*self.pathway.roles, *self.pathway.agencies]
                self.unknown(
                    "unknown-role",
                    "a role or agency",
                    name,
                    options,
                    self._item("never_handed_to", index),
                )
        for name in expect.asked_at_most:
            if name not in self.pathway.information:
                self.unknown(
                    "unknown-item",
                    "an information item",
                    name,
                    self.pathway.information,
                    ("expect", "asked_at_most"),
                    at=self.key_at("expect", "asked_at_most", name),
                )
        if expect.asked_for_account_at_most is not None and account_item(self.pathway) is None:
            self.problems.append(
                Problem(
                    "no-account-item",
                    f"{self.pathway.id} has no single information item for the victim's account",
                    self.key_at("expect", "asked_for_account_at_most"),
                    expected="one information item named 'account' or ending in '-account'",
                    hint="name the item instead: 'asked_at_most: {<item>: 1}'",
                )
            )
        if not _expects_anything(expect):
            self.problems.append(
                Problem(
                    "nothing-expected",
                    f"{self.where('expect')} expects nothing",
                    self.key_at("expect"),
                    expected="at least one of reaches, always_reaches, never, never_handed_to, "
                    "asked_for_account_at_most or asked_at_most",
                    hint="say what should happen to this victim, for example 'reaches: <stage>'",
                )
            )

    def _item(self, key: str, index: int) -> Key:
        """The path of list item `index` under `expect.key` (or the key, if one name)."""
        path: Key = ("expect", key, index)
        return path if (*self.prefix, *path) in self.positions.values else ("expect", key)


def account_item(pathway: Pathway) -> str | None:
    """The information item that is the victim's account: `account` or the one `*-account`."""
    if "account" in pathway.information:
        return "account"
    found = [name for name in pathway.information if name.endswith("-account")]
    return found[0] if len(found) == 1 else None


def _expects_anything(expect: Expect) -> bool:
    return bool(
        expect.reaches
        or expect.always_reaches
        or expect.never
        or expect.never_handed_to
        or expect.asked_for_account_at_most is not None
        or expect.asked_at_most
    )


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
