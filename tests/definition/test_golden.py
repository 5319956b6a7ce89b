"""Golden files: one small file per problem code and the exact message the loader prints for it.

`tests/golden/source/<code>.yaml` holds files the YAML reader refuses and
`tests/golden/loader/<code>.yaml` files the schema, `extends` or the cross-reference checks
refuse; `<code>--<variant>.yaml` is a second example of the same code. Beside each is
`<code>.expected`: the text of the `DefinitionError` raised when the file is loaded from the
repository root (so paths in messages are `tests/golden/...`). Bases that golden files extend live
in `tests/golden/loader/base/`.

A golden file whose first line is `# limits: name=value, ...` is loaded with those
`pathways.definition.located.Limits`, so the size limits can be shown with small files.

Run with `PATHWAYS_UPDATE_GOLDEN=1` to rewrite the `.expected` files, then read the diff.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from pathways import DefinitionError, Library, Problem
from pathways.definition.located import Limits

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
ERRORS_MD = ROOT / "docs" / "reference" / "errors.md"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"

#: The modules whose problem codes are documented in errors.md and have golden files.
MODULES = (
    "yaml_reader",
    "tree_builder",
    "scalars",
    "loader",
    "extends",
    "bases",
    "references",
    "resolver",
    "handoff_references",
    "bindings",
    "messages",
    "conditions",
    "condition_parser",
    "schema",
    "durations",
)
#: Codes that no small file can trigger portably: a file that cannot be opened, something that
#: is not a regular file (a pipe cannot be committed; tests/hostile makes one), and the
#: fallback for validation failures the schema has no specific wording for (none today).
NO_GOLDEN = frozenset({"cannot-read", "not-a-file", "invalid-value"})
#: Codes the sources produce that errors.md does not list yet (a documentation gap).
UNDOCUMENTED: frozenset[str] = frozenset()
#: Golden files (by name) that rightly report more than their own code.
ALSO_REPORTED: dict[str, set[str]] = {
    # moving a track's entry to the main track also leaves the track's handoff crossing
    "track-entry-mismatch--inherited": {"cross-track-handoff"},
}

FILES = sorted(path for folder in ("source", "loader") for path in (GOLDEN / folder).glob("*.yaml"))
_LIMITS = re.compile(rb"\A# limits: ([^\n]*)\n")
_CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")


def code_of(path: Path) -> str:
    """`unknown-value--condition.yaml` is an example of `unknown-value`."""
    return path.stem.split("--")[0]


def limits_of(raw: bytes) -> Limits:
    match = _LIMITS.match(raw)
    if match is None:
        return Limits()
    settings = {}
    for item in match.group(1).decode().split(","):
        name, _, value = item.partition("=")
        settings[name.strip()] = int(value)
    return Limits(**settings)


def load_golden(path: Path) -> DefinitionError:
    """Load `path` from the repository root; return the error it must raise."""
    relative = path.relative_to(ROOT)
    library = Library(limits=limits_of(path.read_bytes()))
    with pytest.raises(DefinitionError) as info:
        library.load(relative)
    return info.value


def line_count(path: Path) -> list[int]:
    """The length in characters of each line of `path`, as an editor shows them.

    A file ending with a newline has one more (empty) line, where an editor puts the cursor at
    the end of the file.
    """
    text = path.read_bytes().decode("utf-8", "replace")
    return [len(line) for line in text.split("\n")]


def documented_codes() -> set[str]:
    """The codes in the first column of the tables of errors.md."""
    codes: set[str] = set()
    for line in ERRORS_MD.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        codes.update(re.findall(r"`([^`]+)`", first))
    return codes


_RAISERS = {
    "Problem",
    "ConditionSyntaxError",
    "ConditionIssue",
    "PydanticCustomError",
    "not_a_mapping",
    "ref",
}


def source_codes() -> set[str]:
    """Every code written as a literal where the modules in MODULES make a problem."""
    codes: set[str] = set()
    for module in MODULES:
        tree = ast.parse(
            (ROOT / "src" / "pathways" / "definition" / f"{module}.py").read_text("utf-8")
        )
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in _RAISERS:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if _CODE.match(arg.value):
                        codes.add(arg.value)
                    break
    return codes


def golden_codes() -> set[str]:
    return {code_of(path) for path in FILES}


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Messages name files relative to the working directory: make that the repository."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_message(path: Path) -> None:
    error = load_golden(path)
    expected_file = path.with_suffix(".expected")
    actual = str(error) + "\n"
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"no {expected_file.name}; run with PATHWAYS_UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_file_reports_its_own_code(path: Path) -> None:
    code = code_of(path)
    codes = set(load_golden(path).codes)
    assert code in codes
    assert codes - {code} <= ALSO_REPORTED.get(path.stem, set())


@pytest.mark.usefixtures("at_root")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_problems_point_inside_their_file(path: Path) -> None:
    for problem in load_golden(path).problems:
        assert_inside(problem)


def assert_inside(problem: Problem) -> None:
    location = problem.location
    assert location is not None, problem.format()
    lines = line_count(ROOT / location.path)
    assert 1 <= location.line <= len(lines), problem.format()
    assert 1 <= location.column <= lines[location.line - 1] + 1, problem.format()


def test_source_codes_are_found() -> None:
    # a guard on the scanner itself: a handful it must find in each kind of call
    codes = source_codes()
    assert {"yaml-syntax", "missing-key", "unknown-stage", "not-a-flag", "bad-duration"} <= codes
    assert {"condition-syntax", "dangling-handoff", "missing-entry"} <= codes


def test_every_golden_code_is_documented() -> None:
    assert golden_codes() - documented_codes() == set()


def test_every_documented_code_has_a_golden_file() -> None:
    assert documented_codes() - NO_GOLDEN - golden_codes() == set()


def test_every_code_in_the_sources_has_a_golden_file() -> None:
    assert source_codes() - NO_GOLDEN - golden_codes() == set()


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(
            code,
            marks=pytest.mark.xfail(reason="missing from errors.md", strict=True)
            if code in UNDOCUMENTED
            else (),
        )
        for code in sorted(source_codes())
    ],
)
def test_code_in_the_sources_is_documented(code: str) -> None:
    assert code in documented_codes()


def test_source_golden_files_are_the_reading_codes() -> None:
    """golden/source holds exactly the codes of the "Reading the file" table."""
    reader = {code_of(p) for p in FILES if p.parent.name == "source"}
    assert reader == _table_codes("Reading the file") - NO_GOLDEN


def _table_codes(heading: str) -> set[str]:
    text = ERRORS_MD.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    codes: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            codes.update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return codes
