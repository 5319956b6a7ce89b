"""Finding what a file extends: ids name files, and a name is looked up in the library roots.

Pathway and scenario ids both name their files: the pathway with id `humber/hull` lives in
`<library root>/humber/hull.yaml`. One rule finds the file a name such as `national/england`
stands for, whoever asks (`extends:`, a scenario's `extends:`, a case-test file's `pathway:`,
`pathways init --extends`): the file's own library first, then the folders of `--path` and of
the `PATHWAYS_PATH` environment variable, then the library installed with the package.

Names are confined to those roots. Only a name in the id pattern is looked up (no `/etc/...`,
no `../`, no `./self`); each candidate is resolved, and one that lands outside its root (a
symlink out) is refused; only regular files count. A chain of `extends` that comes back to a
file already in it is refused before that file is read again, and so is a chain longer than
`Limits.max_extends`. Messages about a base file name it, never its contents. Each kind of file
keeps its own wording (`ExtendsRules`); the lookup and the checks are the same for every kind.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pathways.definition import naming
from pathways.definition.located import Positions
from pathways.errors import Location, Problem

__all__ = [
    "ID_PATTERN",
    "PATHWAYS_PATH",
    "PATHWAY_FILES",
    "SUFFIXES",
    "ExtendsRules",
    "bundled_root",
    "display_path",
    "extends_at",
    "find_base",
    "find_named",
    "id_roots",
    "library_roots",
    "too_deep",
]

#: The endings of a pathway file's name.
SUFFIXES = (".yaml", ".yml")
#: What an id (and so a name in `extends:`) may look like: lower-case words joined by '/'.
ID_PATTERN = re.compile(naming.ID_PATTERN)
#: The environment variable listing extra library folders, separated like PATH.
PATHWAYS_PATH = "PATHWAYS_PATH"

_PACKAGE = Path(__file__).resolve().parents[1]


def bundled_root(folder: str = "pathways") -> Path | None:
    """The library installed with the package: `pathways` (pathway files) or `scenarios`.

    An installed wheel holds them as package data under `pathways/library/`; a source checkout
    (an editable install, or `src` on the path) uses the repository's own folders.
    """
    installed = _PACKAGE / "library" / folder
    if installed.is_dir():
        return installed
    if _PACKAGE.parent.name == "src":
        checkout = _PACKAGE.parents[1] / folder
        if (checkout.parent / "pyproject.toml").is_file() and checkout.is_dir():
            return checkout
    return None


def library_roots(
    extra: Iterable[str | os.PathLike[str]] = (), folder: str = "pathways"
) -> tuple[Path, ...]:
    """Where names are looked up after a file's own library: `extra` (`--path`), then the
    folders of `PATHWAYS_PATH`, then the installed library."""
    roots = [Path(item) for item in extra]
    roots += [Path(item) for item in os.environ.get(PATHWAYS_PATH, "").split(os.pathsep) if item]
    bundled = bundled_root(folder)
    if bundled is not None:
        roots.append(bundled)
    return tuple(roots)


def display_path(file: Path) -> str:
    """How messages name a file: relative to the working directory when it is below it."""
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def id_roots(file: Path | None, own_id: str) -> list[Path]:
    """The library root implied by a file and its id (`x/humber/hull.yaml`, `humber/hull`).

    The file is resolved first, so the root is the same from any working directory. Pathway
    and scenario ids both name their files this way, so both look up `extends` here.
    """
    if file is None:
        return []
    resolved = file.resolve()
    depth = own_id.count("/") + 1
    parts = resolved.with_suffix("").parts
    if len(parts) > depth and "/".join(parts[-depth:]) == own_id:
        return [Path(*parts[:-depth])]
    return [resolved.parent]


def find_named(
    name: str, roots: Iterable[Path], suffixes: Sequence[str]
) -> tuple[Path | None, Path | None]:
    """The regular file `name` stands for in `roots`, resolved; or None and the first refused.

    `name` must match `ID_PATTERN` (the caller says so when it does not). A candidate that
    resolves outside its root (a symlink out) is refused and the search goes on.
    """
    refused: Path | None = None
    for root in roots:
        real_root = root.resolve()
        for suffix in suffixes:
            candidate = root / f"{name}{suffix}"
            if not os.path.lexists(candidate):
                continue
            real = candidate.resolve()
            if not real.is_relative_to(real_root):
                refused = refused or candidate
            elif real.is_file():
                return real, None
    return None, refused


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


def too_deep(rules: ExtendsRules, limit: int, at: Location) -> Problem:
    """A chain of `extends` longer than `limit` files."""
    return Problem(
        "extends-too-deep",
        f"too many {rules.kind}s extend one another here: a chain may follow 'extends' at "
        f"most {limit} time(s)",
        at,
        expected=f"a chain of at most {limit} 'extends'",
        hint="extend the baseline or an area's file directly, not a long line of copies",
    )


def find_base(
    rules: ExtendsRules,
    base_id: str,
    own_id: str,
    file: Path | None,
    chain: tuple[str, ...],
    search: Iterable[Path],
    at: Location,
    seen: Iterable[Path] = (),
) -> tuple[Path | None, list[Problem]]:
    """The file `base_id` names (resolved), or the problems that stop it being read.

    `file` is the file that extends it (None for text), `chain` the ids already being read on
    the way here and `seen` their resolved files, and `search` the roots to look in after the
    file's own library.
    """
    if not ID_PATTERN.fullmatch(base_id):
        return None, [
            Problem(
                "bad-extends",
                f"'extends:' must name a {rules.kind} by its id, not a file path",
                at,
                expected="an id such as 'national/england': lower-case words joined by '/'",
                hint="write the id of the file to build on; it is looked up in your library, "
                "the folders given with --path and the library installed with pathways",
            )
        ]
    if base_id in (*chain, own_id):
        return None, [_cycle(rules, (*chain, own_id, base_id), at)]
    folders = [*id_roots(file, own_id), *search]
    found, refused = find_named(base_id, folders, rules.suffixes)
    if found is not None and found in set(seen):
        return None, [_cycle(rules, (*chain, own_id, base_id), at)]
    if found is not None:
        return found, []
    if refused is not None:
        return None, [
            Problem(
                "base-outside-library",
                f"'{base_id}' leads outside the library it is in ({_link(refused)} is a "
                "link out of it), so I will not read it",
                at,
                expected="a file inside the library folder, not a link out of it",
                hint="copy the file into your library instead of linking to it",
            )
        ]
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


def _link(file: Path) -> str:
    """A link named by where it is, not by where it leads."""
    return f"{display_path(file.parent)}/{file.name}"


def _cycle(rules: ExtendsRules, ids: tuple[str, ...], at: Location) -> Problem:
    return Problem(
        "extends-cycle",
        f"{rules.kind}s extend each other in a loop: {' -> '.join(ids)}",
        at,
        expected=rules.cycle_expected,
        hint=rules.cycle_hint,
    )
