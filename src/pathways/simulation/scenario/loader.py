"""Load scenario files: YAML to a checked `Scenario`, with `extends` applied.

A what-if scenario `extends` a base scenario and changes a few values. The rule is simple:
top-level values (`start`, `horizon`, `arrivals`, ...) given in the what-if replace the base's;
in the named sections (`profile`, `branches`, `durations`, `capacity`, `backlog`, `sources`,
`assumptions`) each entry given replaces the base's entry of that name, and the others are kept;
`profile_changes` and `changes`, when given, replace the base's list. Scenario ids name files
as pathway ids do: `humber/hull-second-caseworker` lives in `<root>/humber/...yaml`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pathways.definition.bases import (
    ExtendsRules,
    display_path,
    extends_at,
    find_base,
    library_roots,
    too_deep,
)
from pathways.definition.located import DEFAULT_LIMITS, Positions, Source
from pathways.definition.messages import problems_from
from pathways.definition.yaml_reader import read_file, read_text
from pathways.errors import DefinitionError, Location, Problem
from pathways.simulation.scenario.schema import ScenarioDocument

__all__ = ["SECTIONS", "Scenario", "load_scenario", "load_scenario_text"]

#: Sections whose entries a what-if replaces one by one.
SECTIONS = (
    "sources",
    "assumptions",
    "profile",
    "branches",
    "durations",
    "capacity",
    "backlog",
    "split",
    "priorities",
    "attrition",
    "declines",
    "pauses",
    "milestones",
    "unknown",
)
_LISTS = ("profile_changes", "changes")
_REQUIRED = {
    "pathway": "pathway: humber/hull",
    "start": "start: 2024-01-01",
    "horizon": "horizon: 3 years",
    "arrivals": "arrivals: {per_year: 70}",
}
Key = tuple[str | int, ...]
_SCENARIO_FILES = ExtendsRules(
    kind="scenario",
    suffixes=(".yaml",),
    name=str,
    unknown_hint="scenario ids are file paths in a scenario library, such as 'humber/hull'",
)


@dataclass(frozen=True)
class Scenario:
    """A scenario with `extends` applied, and where each of its parts is written."""

    document: ScenarioDocument
    lineage: tuple[str, ...]
    files: tuple[str, ...]
    places: Mapping[tuple[str, str], tuple[Positions, Key]]

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def title(self) -> str:
        return self.document.title

    def location(self, section: str, name: str = "", *rest: str | int) -> Location | None:
        """Where `section.name[.rest...]` is written (the section alone if `name` is empty)."""
        place = self.places.get((section, name))
        if place is None:
            return None
        positions, prefix = place
        return positions.nearest((*prefix, *rest))


def _parse(source: Source) -> ScenarioDocument:
    data = source.data
    if not isinstance(data, dict):
        raise DefinitionError(
            [
                Problem(
                    "not-a-scenario",
                    "the scenario file is empty or not a set of keys and values",
                    source.positions.nearest(()),
                    expected="keys such as id, title, pathway, arrivals and durations",
                    hint="copy a bundled scenario from scenarios/ and change it",
                )
            ]
        )
    try:
        return ScenarioDocument.model_validate(data)
    except ValidationError as exc:
        raise DefinitionError(problems_from(exc, ScenarioDocument, source.positions)) from None


def _places(
    document: ScenarioDocument, positions: Positions
) -> dict[tuple[str, str], tuple[Positions, Key]]:
    places: dict[tuple[str, str], tuple[Positions, Key]] = {}
    for name in document.model_fields_set:
        places[(name, "")] = (positions, (name,))
    for section in SECTIONS:
        for entry in getattr(document, section):
            places[(section, entry)] = (positions, (section, entry))
    for index, _ in enumerate(document.changes or ()):
        places[("changes", str(index))] = (positions, ("changes", index))
    for index, _ in enumerate(document.profile_changes or ()):
        places[("profile_changes", str(index))] = (positions, ("profile_changes", index))
    return places


def _merge(base: Scenario, child: ScenarioDocument, positions: Positions) -> Scenario:
    fields: dict[str, Any] = dict(base.document)
    given = child.model_fields_set
    for name in ScenarioDocument.model_fields:
        value = getattr(child, name)
        if name in SECTIONS:
            fields[name] = {**getattr(base.document, name), **value}
        elif name in given or name in ("id", "title", "extends"):
            fields[name] = value
    places = dict(base.places)
    for name in _LISTS:
        if name in given:
            places = {k: v for k, v in places.items() if k[0] != name}
    places.update(_places(child, positions))
    merged = ScenarioDocument.model_construct(set(fields), **fields)
    return Scenario(merged, (child.id, *base.lineage), base.files, places)


class _Loader:
    def __init__(self, search: tuple[Path, ...]) -> None:
        self.search = search

    def finish(self, source: Source, file: Path | None) -> Scenario:
        """The scenario and the scenarios it extends, read one at a time, then merged."""
        chain = [(_parse(source), source, file)]
        while (document := chain[-1][0]).extends is not None:
            at = extends_at(chain[-1][1].positions)
            if len(chain) > DEFAULT_LIMITS.max_extends:
                raise DefinitionError([too_deep(_SCENARIO_FILES, DEFAULT_LIMITS.max_extends, at)])
            found, problems = find_base(
                _SCENARIO_FILES,
                str(document.extends),
                document.id,
                chain[-1][2],
                tuple(doc.id for doc, _, _ in chain[:-1]),
                self.search,
                at,
                [f for _, _, f in chain if f is not None],
            )
            if found is None:
                raise DefinitionError(problems)
            base_source = read_file(found, display=display_path(found))
            chain.append((_parse(base_source), base_source, found))
        base_document, base_source, _ = chain[-1]
        scenario = Scenario(
            base_document,
            (base_document.id,),
            (base_source.path,),
            _places(base_document, base_source.positions),
        )
        for document, own, _ in reversed(chain[:-1]):
            merged = _merge(scenario, document, own.positions)
            scenario = Scenario(
                merged.document, merged.lineage, (own.path, *merged.files), merged.places
            )
        _check_required(scenario, source)
        return scenario


def _check_required(scenario: Scenario, source: Source) -> None:
    problems = [
        Problem(
            "missing-key",
            f"the scenario does not say its '{key}' (nor does any scenario it extends)",
            source.positions.nearest(()),
            expected=f"a '{key}:' entry",
            hint=f"add for example '{example}'",
        )
        for key, example in _REQUIRED.items()
        if getattr(scenario.document, key) is None
    ]
    if problems:
        raise DefinitionError(problems)


def load_scenario(
    file: str | os.PathLike[str], *, search: tuple[str | os.PathLike[str], ...] = ()
) -> Scenario:
    """Load one scenario file (with the scenarios it extends); problems raise `DefinitionError`."""
    path = Path(file).resolve()
    return _Loader(library_roots(search, "scenarios")).finish(read_file(file), path)


def load_scenario_text(
    text: str, *, path: str = "<scenario>", search: tuple[str | os.PathLike[str], ...] = ()
) -> Scenario:
    """Load a scenario written as text; `extends` is looked up in the `search` folders."""
    return _Loader(library_roots(search, "scenarios")).finish(read_text(text, path), None)
