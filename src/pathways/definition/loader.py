"""Load pathway files: YAML text to a checked `Pathway`, with `extends` applied.

Loading happens in three passes, and every problem from a pass is reported at once:

1. the YAML reader (`yaml_reader`) refuses unsafe or ambiguous YAML;
2. the schema validates the file's own keys and then each stage, handoff, agency and so on
   separately, so one bad stage does not hide the problems of the others;
3. `extends` is applied (see `extends`) and every cross-reference is checked (`references`).

A `Library` loads each file once, so ten area files that extend the national baseline read it
once. Pathway ids name their files: the pathway with id `humber/hull` lives in
`<library root>/humber/hull.yaml`, and `extends: national/england` is looked up from that root
(see `bases`, which scenario files share).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from pathways.definition.bases import (
    PATHWAY_FILES,
    SUFFIXES,
    display_path,
    extends_at,
    find_base,
    library_roots,
    too_deep,
)
from pathways.definition.extends import ADDITIVE, OWN, Parts, merge, standalone
from pathways.definition.lifecycle import Transfer
from pathways.definition.located import DEFAULT_LIMITS, Limits, Source
from pathways.definition.messages import not_a_mapping, problems_from
from pathways.definition.naming import NAME_PATTERN
from pathways.definition.references import check_references
from pathways.definition.schema import (
    Agency,
    Duty,
    Handoff,
    InformationItem,
    Origin,
    Pathway,
    PathwayDocument,
    ProfileAttribute,
    Replacements,
    Role,
    SourceRef,
    Stage,
    Track,
)
from pathways.definition.yaml_reader import dump_yaml, read_file, read_text
from pathways.errors import DefinitionError, Problem

__all__ = [
    "ENTRY_SECTIONS",
    "Library",
    "discover",
    "dump",
    "load",
    "load_text",
]

ENTRY_SECTIONS: dict[str, type[BaseModel]] = {
    "sources": SourceRef,
    "roles": Role,
    "agencies": Agency,
    "duties": Duty,
    "profile": ProfileAttribute,
    "information": InformationItem,
    "tracks": Track,
    "stages": Stage,
    "handoffs": Handoff,
    "transfers": Transfer,
}
_ADAPTERS = {section: TypeAdapter(model) for section, model in ENTRY_SECTIONS.items()}
_NAME = re.compile(NAME_PATTERN)


@dataclass
class _Step:
    """One file of a chain of `extends`, parsed, with the resolved file of its base."""

    source: Source
    file: Path | None
    parts: Parts | None
    problems: list[Problem]
    base: Path | None = None


class Library:
    """Loads pathway files and the pathways they extend, each file once.

    `extends: <id>` is looked up as `<root>/<id>.yaml` in the file's own library, then in the
    `search` folders, then in the folders of `PATHWAYS_PATH`, then in the library installed with
    the package (see `bases`). A chain of `extends` is followed one file at a time, never by
    recursion, and stops at `limits.max_extends` files.
    """

    def __init__(
        self, search: Iterable[str | os.PathLike[str]] = (), limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.search = library_roots(search)
        self.limits = limits
        self._done: dict[Path, Pathway | DefinitionError] = {}

    def load(self, file: str | os.PathLike[str]) -> Pathway:
        """Load one pathway file; raise `DefinitionError` listing every problem in it."""
        key = Path(file).resolve()
        if key not in self._done:
            try:
                source = read_file(key, display=display_path(Path(file)), limits=self.limits)
            except DefinitionError as exc:
                self._done[key] = exc
            else:
                self._build(self._chain(source, key))
        return self._result(self._done[key])

    def load_text(self, text: str, path: str = "<text>") -> Pathway:
        """Load a pathway from text; `extends` is looked up in the library's `search` folders."""
        steps = self._chain(read_text(text, path, limits=self.limits), None)
        return self._result(self._build(steps))

    @staticmethod
    def _result(done: Pathway | DefinitionError) -> Pathway:
        if isinstance(done, DefinitionError):
            raise done
        return done

    def _chain(self, source: Source, file: Path | None) -> list[_Step]:
        """The file and the files it extends, in turn, down to a baseline or a stop."""
        steps: list[_Step] = []
        ids: list[str] = []
        while True:
            parts, problems = _parse(source)
            step = _Step(source, file, parts, problems)
            steps.append(step)
            if parts is None:
                return steps
            if file is not None:
                problems.extend(_check_id(parts.header.id, file, source))
            base_id = parts.header.extends
            if base_id is None:
                return steps
            at = extends_at(source.positions)
            if len(steps) > self.limits.max_extends:
                problems.append(too_deep(PATHWAY_FILES, self.limits.max_extends, at))
                return steps
            seen = [s.file for s in steps if s.file is not None]
            found, base_problems = find_base(
                PATHWAY_FILES, base_id, parts.header.id, file, tuple(ids), self.search, at, seen
            )
            problems.extend(base_problems)
            ids.append(parts.header.id)
            step.base = found
            if found is None or found in self._done:
                return steps
            try:
                source = read_file(found, display=display_path(found), limits=self.limits)
            except DefinitionError as exc:
                self._done[found] = exc
                return steps
            file = found

    def _build(self, steps: list[_Step]) -> Pathway | DefinitionError:
        """Each file of the chain from the baseline up, remembered; the first file's result."""
        results: list[Pathway | DefinitionError] = []
        for step in reversed(steps):
            try:
                results.append(self._finish(step))
            except DefinitionError as exc:
                results.append(exc)
            if step.file is not None:
                self._done[step.file] = results[-1]
        return results[-1]

    def _finish(self, step: _Step) -> Pathway:
        parts, problems, source = step.parts, step.problems, step.source
        if parts is None:
            raise DefinitionError(problems)
        header = parts.header
        base = None
        if header.extends is not None and step.base is not None:
            base, base_problems = self._base(header.extends, step.base, source)
            problems.extend(base_problems)
        if base is None and header.extends is not None:
            raise DefinitionError(problems)
        fields, places, broken, merge_problems = (
            merge(base, parts) if base is not None else standalone(parts)
        )
        problems.extend(merge_problems)
        if not fields.get("entry"):
            problems.append(
                Problem(
                    "missing-entry",
                    "the pathway does not say where journeys start",
                    source.positions.nearest(()),
                    expected="'entry: <stage>' naming the first stage of every journey",
                    hint="add for example 'entry: concern-raised' near the top of the file",
                )
            )
            raise DefinitionError(problems)
        pathway = Pathway.model_construct(**fields)
        lineage = (header.id, *(base.lineage if base is not None else ()))
        files = (source.path, *(base.files if base is not None else ()))
        pathway._origin = Origin(lineage=lineage, files=files, places=places)
        problems.extend(check_references(pathway, frozenset(broken)))
        if problems:
            raise DefinitionError(problems)
        return pathway

    def _base(
        self, base_id: str, found: Path, source: Source
    ) -> tuple[Pathway | None, list[Problem]]:
        """The base, loaded; or one problem naming it (never what it holds)."""
        done = self._done.get(found)
        if isinstance(done, Pathway):
            return done, []
        count = len(done.problems) if done is not None else 0
        return None, [
            Problem(
                "base-invalid",
                f"the pathway this one extends, '{base_id}', has {count} problem(s)",
                extends_at(source.positions),
                hint=f"run 'pathways validate {display_path(found)}' and fix it first",
            )
        ]


def _parse(source: Source) -> tuple[Parts | None, list[Problem]]:
    """Validate the file's own keys, then each entry of each section on its own."""
    data = source.data
    positions = source.positions
    if not isinstance(data, dict):
        return None, [
            not_a_mapping(
                "not-a-pathway",
                data,
                positions,
                expected="keys such as id, title, area, version, stages and handoffs",
                hint="start from 'pathways init' to get a working file",
            )
        ]
    problems: list[Problem] = []
    entries: dict[str, dict[str, Any]] = {section: {} for section in ENTRY_SECTIONS}
    replacements: dict[str, dict[str, Any]] = {"stages": {}, "handoffs": {}}
    broken: set[tuple[str, str]] = set()
    header_data: dict[str, Any] = {}
    for key, value in data.items():
        if key in ENTRY_SECTIONS and isinstance(value, dict):
            header_data[key] = {}
            _entries(key, value, (key,), positions, entries[key], broken, problems)
        elif key == "replace" and isinstance(value, dict):
            header_data[key] = {k: ({} if isinstance(v, dict) else v) for k, v in value.items()}
            for section in ("stages", "handoffs"):
                if isinstance(value.get(section), dict):
                    _entries(
                        section,
                        value[section],
                        ("replace", section),
                        positions,
                        replacements[section],
                        broken,
                        problems,
                    )
        else:
            header_data[key] = value
    try:
        header = PathwayDocument.model_validate(header_data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, PathwayDocument, positions))
        return None, problems
    parts = Parts(
        header=header,
        entries=entries,
        replacements=Replacements.model_construct(**replacements),  # type: ignore[arg-type]
        broken=broken,
        positions=positions,
    )
    return parts, problems


def _entries(
    section: str,
    raw: dict[str, Any],
    prefix: tuple[str, ...],
    positions: Any,
    into: dict[str, Any],
    broken: set[tuple[str, str]],
    problems: list[Problem],
) -> None:
    adapter = _ADAPTERS[section]
    for name, value in raw.items():
        if not _NAME.fullmatch(name):
            problems.append(
                Problem(
                    "bad-name",
                    f"'{name}' is not a name I can use in {section}",
                    positions.key((*prefix, name)) or positions.nearest(prefix),
                    expected="letters, digits, '-' and '_' only, such as 'nrm-referral'",
                    hint="write names in lower case with '-' between words",
                )
            )
            broken.add((section, name))
            continue
        try:
            into[name] = adapter.validate_python(value)
        except ValidationError as exc:
            broken.add((section, name))
            problems.extend(problems_from(exc, ENTRY_SECTIONS[section], positions, (*prefix, name)))


def _check_id(pathway_id: str, file: Path, source: Source) -> list[Problem]:
    stem = file.with_suffix("").as_posix()
    if stem == pathway_id or stem.endswith("/" + pathway_id):
        return []
    return [
        Problem(
            "id-mismatch",
            f"the id '{pathway_id}' does not match the file name {display_path(file)}",
            source.positions.value(("id",)) or source.positions.nearest(("id",)),
            expected=f"an id that is the end of the file's path, such as '{file.stem}'",
            hint="the id names the file, so 'extends:' can find it: rename the file or the id",
        )
    ]


def discover(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Pathway files under `paths`: `*.yaml` files, not `*.<something>.yaml` companions.

    Companion files such as `hull.scenarios.yaml` sit beside a pathway and are skipped.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for suffix in SUFFIXES:
                found.extend(
                    p for p in path.rglob(f"*{suffix}") if "." not in p.name[: -len(suffix)]
                )
        else:
            found.append(path)
    return sorted(set(found))


def load(
    file: str | os.PathLike[str],
    *,
    search: Iterable[str | os.PathLike[str]] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Pathway:
    """Load and check one pathway file (with whatever it extends)."""
    return Library(search, limits).load(file)


def load_text(
    text: str,
    *,
    path: str = "<text>",
    search: Iterable[str | os.PathLike[str]] = (),
) -> Pathway:
    """Load and check a pathway written as text; `path` is the name used in messages."""
    return Library(search).load_text(text, path)


_ORDER = (*OWN, "entry", *ADDITIVE, "checks")


def dump(pathway: Pathway) -> str:
    """The pathway as one standalone YAML file (anything it extended is written out in full)."""
    data = pathway.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data["entry"] = pathway.entry
    ordered = {key: data[key] for key in _ORDER if key in data}
    return dump_yaml(ordered)
