"""The public API as a contract: what `pathways` offers is listed, documented and importable.

A public module is a package's `__init__` or one of the modules named in `DOCUMENTED`, which
the guides import from. Each has a sorted `__all__` that lists every public name defined or
re-exported there and nothing else, and the guides and examples import only those names.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

import pathways
from pathways.errors import PathwayError

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

# Modules that are not a package's __init__ but that the guides import from.
DOCUMENTED = (
    "pathways.definition.durations",
    "pathways.definition.loader",
    "pathways.definition.schema",
    "pathways.diagram.svg",
    "pathways.errors",
    "pathways.runtime.compiler",
    "pathways.runtime.events",
    "pathways.runtime.journey",
    "pathways.runtime.opening",
    "pathways.runtime.working_days",
    "pathways.simulation.summary",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


PACKAGES = tuple(sorted(module_name(path) for path in (SRC / "pathways").rglob("__init__.py")))
PUBLIC = tuple(sorted({*PACKAGES, *DOCUMENTED}))


def source_path(name: str) -> Path:
    base = SRC.joinpath(*name.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def own(module: str | None, package: str | None) -> bool:
    """True when `module` is inside `package`: what a package's `__init__` re-exports."""
    return package is not None and (module or "").startswith(f"{package}.")


def bound_names(statements: list[ast.stmt], package: str | None) -> set[str]:
    """Names a module binds at top level: definitions, assignments and, in a package's
    `__init__`, what it imports from its own modules (lazy exports' `TYPE_CHECKING` imports
    included); what a package imports from elsewhere for its own use is not re-exported."""
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and own(node.module, package):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.If):
            names |= bound_names(node.body, package) | bound_names(node.orelse, package)
    return names


def isort_style(name: str) -> tuple[int, list[int | str]]:
    """Ruff's order for `__all__` (RUF022): CONSTANTS, then Classes, then the rest; natural."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def public_names(name: str) -> set[str]:
    """The public names `name` defines or re-exports (submodules are not names)."""
    path = source_path(name)
    package = name if path.name == "__init__.py" else None
    module = importlib.import_module(name)
    return {
        bound
        for bound in bound_names(ast.parse(path.read_text(encoding="utf-8")).body, package)
        if not bound.startswith("_") and not inspect.ismodule(getattr(module, bound, None))
    }


@pytest.mark.parametrize("name", PUBLIC)
def test_all_is_sorted_complete_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    listed = list(module.__all__)
    assert listed == sorted(set(listed), key=isort_style), "__all__: sorted, each name once"
    assert {n for n in listed if not n.startswith("_")} == public_names(name)
    for exported in listed:
        assert getattr(module, exported) is not None, exported


def test_the_top_level_lists_what_it_can_import_lazily() -> None:
    assert sorted(set(dir(pathways)) & set(pathways.__all__)) == pathways.__all__


def test_every_public_name_says_what_it_is() -> None:
    for name in pathways.__all__:
        value = getattr(pathways, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_every_exception_is_rooted_at_pathway_error() -> None:
    errors = [
        getattr(pathways, name)
        for name in pathways.__all__
        if inspect.isclass(getattr(pathways, name))
        and issubclass(getattr(pathways, name), BaseException)
    ]
    assert len(errors) > 15
    for error in errors:
        assert issubclass(error, PathwayError), error


def test_the_main_entry_points_are_there() -> None:
    for name in ("load", "check", "compile_pathway", "start", "JourneyStore", "simulate"):
        assert name in pathways.__all__


def documented_code() -> list[tuple[str, str]]:
    """(where, code) for each Python block of the docs and README, and each example script."""
    blocks: list[tuple[str, str]] = []
    fence = re.compile(r"^```(?:python|py|pycon)\n(.*?)^```", re.S | re.M)
    for page in sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]):
        for number, match in enumerate(fence.finditer(page.read_text(encoding="utf-8")), 1):
            code = "\n".join(
                line[4:] if line.startswith((">>> ", "... ")) else line
                for line in match.group(1).splitlines()
                if not line.startswith(("...", ">>>")) or line[:4] in (">>> ", "... ")
            )
            blocks.append((f"{page.relative_to(ROOT)} block {number}", code))
    for script in sorted((ROOT / "examples").glob("*.py")):
        blocks.append((str(script.relative_to(ROOT)), script.read_text(encoding="utf-8")))
    return blocks


def imports_of(code: str) -> list[tuple[str, str | None]]:
    """(module, name) for each import of pathways in `code`; name is None for `import x`."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pathways":
            found.extend((node.module or "", alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend((a.name, None) for a in node.names if a.name.split(".")[0] == "pathways")
    return found


def test_the_docs_and_examples_import_only_public_names() -> None:
    checked = 0
    for where, code in documented_code():
        for module, name in imports_of(code):
            checked += 1
            if name is not None and f"{module}.{name}" in PUBLIC:
                continue  # a public subpackage or module, imported by name
            assert module in PUBLIC, f"{where}: {module} is not a public module"
            if name is not None:
                listed = importlib.import_module(module).__all__
                assert name in listed, f"{where}: {module}.{name} is not public"
    assert checked > 20
