"""Read a case-test file: YAML to checked `Case`s, with the pathway they test.

Problems are reported the way the pathway loader reports them (`path:line:col: error[code]:
message`, then what was expected and a hint), all at once: the file's own keys, then each case
on its own (so one bad case does not hide the problems of the others), then every name a case
uses (stages, handoffs, agencies, roles, profile attributes and values) against the pathway.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pathways.casetests.cases import Case, CaseFile
from pathways.casetests.names import check_case
from pathways.definition.bases import ID_PATTERN, SUFFIXES, display_path, find_named, id_roots
from pathways.definition.loader import Library
from pathways.definition.located import Positions, Source
from pathways.definition.messages import not_a_mapping, problems_from
from pathways.definition.schema import Pathway
from pathways.definition.yaml_reader import read_file, read_text
from pathways.errors import DefinitionError, Location, Problem

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
    source = read_file(path, display=display_path(path))
    return _finish(source, path, library or Library())


def load_cases_text(
    text: str, pathway: Pathway, path: str = "<text>", library: Library | None = None
) -> CaseSuite:
    """Read case tests written as text, for `pathway` (any `pathway:` key must name its id)."""
    return _finish(read_text(text, path), None, library or Library(), pathway)


def _finish(
    source: Source, file: Path | None, library: Library, given: Pathway | None = None
) -> CaseSuite:
    """The file's own keys, then each case on its own, then every name the cases use."""
    positions = source.positions
    data = source.data
    if not isinstance(data, dict):
        raise DefinitionError(
            [
                not_a_mapping(
                    "not-a-case-file",
                    data,
                    positions,
                    expected="'pathway:' and 'cases:', each case with a profile and 'expect:'",
                    hint="see docs/testing-a-pathway.md for a file to start from",
                )
            ]
        )
    document, problems = _header(data, positions)
    cases, case_problems = _cases(data.get("cases"), positions)
    problems.extend(case_problems)
    pathway = given
    if document is not None and given is None:
        pathway, missing = _pathway(document.pathway, file, positions, library)
        problems.extend(missing)
    elif document is not None and given is not None and document.pathway not in (None, given.id):
        problems.append(_wrong_pathway(document.pathway, given, positions))
    if pathway is not None:
        problems.extend(_names(pathway, cases, positions))
    if problems or pathway is None:
        raise DefinitionError(problems)
    return CaseSuite(source.path, pathway, cases, positions)


def _header(data: dict[str, Any], positions: Positions) -> tuple[CaseFile | None, list[Problem]]:
    """The file's own keys, with the cases left out (each is validated on its own)."""
    header = {k: ({} if k == "cases" and isinstance(v, dict) else v) for k, v in data.items()}
    try:
        return CaseFile.model_validate(header), []
    except ValidationError as exc:
        return None, problems_from(exc, CaseFile, positions)


def _cases(raw: object, positions: Positions) -> tuple[dict[str, Case], list[Problem]]:
    """Each case on its own, so one bad case does not hide the problems of the others."""
    cases: dict[str, Case] = {}
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return cases, problems
    for name, value in raw.items():
        try:
            cases[name] = _CASE.validate_python(value)
        except ValidationError as exc:
            problems.extend(problems_from(exc, Case, positions, ("cases", name)))
    if not raw:
        problems.append(
            Problem(
                "no-cases",
                "the file has no cases",
                positions.nearest(("cases",)),
                expected="at least one case under 'cases:'",
                hint="add a case: a name, then its profile and 'expect:' indented below",
            )
        )
    return cases, problems


def _names(pathway: Pathway, cases: Mapping[str, Case], positions: Positions) -> list[Problem]:
    """Every name the cases use, against a pathway that can run journeys."""
    if not pathway.agencies:
        return [
            Problem(
                "no-agencies",
                f"{pathway.id} names no agencies, so no journey can run on it",
                positions.value(("pathway",)) or positions.nearest(()),
                expected="a pathway whose agencies fill its roles, such as an area's pathway",
                hint="test a baseline through the areas that extend it: write the cases "
                "beside an area's pathway",
            )
        ]
    problems: list[Problem] = []
    for name, case in cases.items():
        problems.extend(check_case(pathway, positions, ("cases", name), case))
    return problems


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
    """Find and load the pathway the file tests: named by id, or the one beside it.

    An id is looked up the way `extends:` is (see `pathways.definition.bases`): in the file's
    own library, then the library's search folders; it must be an id, and a link out of a
    library is refused.
    """
    at = positions.value(("pathway",)) or positions.nearest(("pathway",))
    if named is not None and not ID_PATTERN.fullmatch(named):
        return None, [
            Problem(
                "unknown-pathway",
                "'pathway:' must name the pathway by its id, not a file path",
                at,
                expected="an id such as 'humber/hull': lower-case words joined by '/'",
                hint="write the pathway's id, or leave 'pathway:' out to test the pathway "
                "beside this file",
            )
        ]
    roots = _roots(named, file, library)
    target, refused = find_named(named or _beside(file), roots, SUFFIXES)
    if target is None:
        what = f"'{named}'" if named else "the pathway beside this file"
        why = " (a link out of its library, which I will not read)" if refused else ""
        return None, [
            Problem(
                "unknown-pathway",
                f"these cases test {what}, which I cannot find{why}",
                at,
                expected=_looked_for(named, file, roots),
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
                f"the pathway these cases test ({display_path(target)}) has "
                f"{len(exc.problems)} problem(s)",
                at,
                hint=f"run 'pathways validate {display_path(target)}' and fix it first",
            )
        ]


def _beside(file: Path | None) -> str:
    """The name of the pathway beside a case-test file: `hull` for `hull.tests.yaml`."""
    return file.name.split(".")[0] if file is not None else "<name>"


def _roots(named: str | None, file: Path | None, library: Library) -> list[Path]:
    """Where to look: beside the file only for the pathway beside it; for an id, the file's
    own library (the folder holding the id's folders, or the file's folder), then the
    library's search folders."""
    if named is None:
        return [file.parent] if file is not None else []
    own: list[Path] = []
    if file is not None:
        folder = file.resolve().parent
        own = [*id_roots(folder / f"{named.rsplit('/', 1)[-1]}.yaml", named), folder]
    return [*dict.fromkeys(own), *library.search]


def _looked_for(named: str | None, file: Path | None, roots: Sequence[Path]) -> str:
    name = named or _beside(file)
    looked = ", ".join(display_path(root) for root in roots) or "nowhere"
    return f"{name}.yaml in {looked}"
