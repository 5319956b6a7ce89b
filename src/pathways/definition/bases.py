"""Finding what a file extends: ids name files, and `extends: <id>` is looked up from them.

Pathway and scenario ids both name their files: the pathway with id `humber/hull` lives in
`<library root>/humber/hull.yaml`, so `extends: national/england` is looked up from that root
first, then in the folders the caller adds. A chain of `extends` that comes back to a file
already in it is refused before anything is read. Each kind of file keeps its own wording
(`ExtendsRules`); the lookup and the cycle check are the same for every kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pathways.definition.located import Positions
from pathways.errors import Location, Problem

__all__ = [
    "PATHWAY_FILES",
    "SUFFIXES",
    "ExtendsRules",
    "display_path",
    "extends_at",
    "find_base",
    "id_roots",
]

#: The endings of a pathway file's name.
SUFFIXES = (".yaml", ".yml")


def display_path(file: Path) -> str:
    """How messages name a file: relative to the working directory when it is below it."""
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def id_roots(file: Path | None, own_id: str) -> list[Path]:
    """The library root implied by a file and its id (`x/humber/hull.yaml`, `humber/hull`).

    Pathway and scenario ids both name their files this way, so both look up `extends` here.
    """
    if file is None:
        return []
    depth = own_id.count("/") + 1
    parts = file.with_suffix("").parts
    if len(parts) >= depth and "/".join(parts[-depth:]) == own_id:
        return [Path(*parts[:-depth]) if len(parts) > depth else Path(".")]
    return [file.parent]


@dataclass(frozen=True)
class ExtendsRules:
    """How one kind of file is found and spoken of when another extends it."""

    kind: str
    suffixes: Sequence[str]
    name: Callable[[Path], str]
    unknown_hint: str
    cycle_expected: str | None = None
    cycle_hint: str | None = None


PATHWAY_FILES = ExtendsRules(
    kind="pathway",
    suffixes=SUFFIXES,
    name=display_path,
    unknown_hint="check the id in 'extends:'; ids are file paths such as 'national/england'",
    cycle_expected="a chain of 'extends' that ends at a baseline",
    cycle_hint="one of these files must not extend the others",
)


def extends_at(positions: Positions) -> Location:
    """Where a file's `extends:` is written."""
    return positions.value(("extends",)) or positions.nearest(("extends",))


def find_base(
    rules: ExtendsRules,
    base_id: str,
    own_id: str,
    file: Path | None,
    chain: tuple[str, ...],
    search: Iterable[Path],
    at: Location,
) -> tuple[Path | None, list[Problem]]:
    """The file `base_id` names, or the problems that stop it being read.

    `file` is the file that extends it (None for text), `chain` the ids already being read
    on the way here, and `search` the extra folders to look in after the file's own root.
    """
    if base_id in (*chain, own_id):
        cycle = " -> ".join((*chain, own_id, base_id))
        return None, [
            Problem(
                "extends-cycle",
                f"{rules.kind}s extend each other in a loop: {cycle}",
                at,
                expected=rules.cycle_expected,
                hint=rules.cycle_hint,
            )
        ]
    folders = [*id_roots(file, own_id), *search]
    for folder in folders:
        for suffix in rules.suffixes:
            candidate = folder / f"{base_id}{suffix}"
            if candidate.is_file():
                return candidate, []
    looked = ", ".join(rules.name(folder / f"{base_id}.yaml") for folder in folders) or "nowhere"
    return None, [
        Problem(
            "unknown-base",
            f"this {rules.kind} extends '{base_id}', which I cannot find",
            at,
            expected=f"a file {base_id}.yaml (looked in: {looked})",
            hint=rules.unknown_hint,
        )
    ]
