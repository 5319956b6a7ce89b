"""Case-test files that are wrong (`pathways.casetests.loading`): one golden file per problem code,
with the exact message.

`tests/golden/casetests/<code>.yaml` is a case-test file that has that problem; beside it,
`<code>.expected` is the text of the `DefinitionError` raised when it is loaded from the
repository root. The pathways they test live in folders under `tests/golden/casetests/`.
Run with `PATHWAYS_UPDATE_GOLDEN=1` to rewrite the `.expected` files, then read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from paths import ROOT
from pathways import DefinitionError
from pathways.casetests import find_case_files, load_cases

GOLDEN = ROOT / "tests" / "golden" / "casetests"
SOURCES = ROOT / "src" / "pathways" / "casetests"
DOCS = ROOT / "docs" / "testing-a-pathway.md"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"
FILES = sorted(GOLDEN.glob("*.yaml"))
#: Codes the pydantic models report through `pathways.definition.messages` (documented in
#: errors.md).
SHARED = frozenset({"unknown-key", "wrong-type"})


def message(file: Path) -> str:
    with pytest.raises(DefinitionError) as raised:
        load_cases(file.relative_to(ROOT))
    return str(raised.value) + "\n"


@pytest.mark.parametrize("file", FILES, ids=lambda p: p.stem)
def test_golden(file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = message(file)
    expected = file.with_suffix(".expected")
    if UPDATE:
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")
    assert f"error[{file.stem}]" in text


def codes_in_sources() -> set[str]:
    found = set()
    for source in SOURCES.glob("*.py"):
        found.update(re.findall(r'Problem\(\s*"([a-z-]+)"', source.read_text(encoding="utf-8")))
    return found


def test_every_code_has_a_golden_file_and_is_documented() -> None:
    codes = codes_in_sources()
    assert codes, "no problem codes found: has the source layout changed?"
    assert codes | SHARED <= {f.stem for f in FILES}
    docs = DOCS.read_text(encoding="utf-8")
    missing = sorted(code for code in codes if f"`{code}`" not in docs)
    assert not missing, f"not in {DOCS.name}: {missing}"


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "example").mkdir()
    (tmp_path / "example" / "small.yaml").write_text(
        (GOLDEN / "example" / "small.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    file = tmp_path / "several.tests.yaml"
    file.write_text(
        """pathway: example/small
cases:
  one:
    profile: {age_grop: adult}
    expect: {reaches: suported}
  two:
    found_by: nobody
    expect: {reach: supported}
""",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as raised:
        load_cases(file)
    assert raised.value.codes == ("unknown-attribute", "unknown-stage", "unknown-key")


def test_the_pathway_beside_the_file_is_used_by_default(tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(
        (GOLDEN / "example" / "small.yaml")
        .read_text(encoding="utf-8")
        .replace("id: example/small", "id: small"),
        encoding="utf-8",
    )
    tests = tmp_path / "small.tests.yaml"
    tests.write_text("cases:\n  anyone:\n    expect: {reaches: supported}\n", encoding="utf-8")
    suite = load_cases(tests)
    assert suite.pathway.id == "small"
    assert list(suite.cases) == ["anyone"]
    assert suite.location("anyone").line == 2


def test_find_case_files_skips_pathways(tmp_path: Path) -> None:
    (tmp_path / "area").mkdir()
    for name in ("area/a.yaml", "area/a.tests.yaml", "area/b.scenarios.yaml"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert find_case_files([tmp_path]) == [tmp_path / "area" / "a.tests.yaml"]
