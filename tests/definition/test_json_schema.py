"""The pathway file's JSON Schema accepts what the loader accepts and refuses what it refuses.

The schema cannot see across a file (that a handoff names a stage that exists), so "what the
loader refuses" here means what one file on its own shows: wrong types, unknown keys, names
and ids written against the rules, time limits the loader does not understand. The golden
files of the loader and of the case-test loader say which of them the schema must refuse; the
Hypothesis tests draw valid files, names and time limits and compare the two verdicts.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pathways import DefinitionError
from pathways.cli.schema import json_schema
from pathways.definition.json_schema import DIALECT, pathway_schema, schema_id
from pathways.definition.loader import load_text
from pathways.definition.naming import NAME_PATTERN
from pathways.definition.yaml_reader import read_file
from strategies import load_data, pathway_data

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"

#: Golden files whose problem the schema sees in the file alone, so it must refuse them; it
#: must accept every other golden file (their problems are across the file or its base).
REFUSED = {
    "loader": {
        "bad-duration",
        "bad-id",
        "bad-name",
        "empty-text",
        "missing-key",
        "not-a-pathway",
        "not-a-pathway--empty",
        "reserved-name",
        "unknown-key",
        "unknown-tag",
        "unknown-value",
        "unknown-value--lawful-basis",
        "wrong-type",
        "wrong-type--condition",
        "wrong-type--list",
    },
    "casetests": {
        "bad-date",
        "bad-step",
        "conflicting-keys",
        "no-cases",
        "not-a-case-file",
        "nothing-expected",
        "unknown-key",
        "wrong-type",
    },
}
_KINDS = {"loader": "pathway", "casetests": "tests"}
_VALIDATORS: dict[str, Any] = {}


def validator(kind: str) -> Any:
    """A draft 2020-12 validator for one kind of file, formats checked as check-jsonschema does."""
    if kind not in _VALIDATORS:
        cls = jsonschema.Draft202012Validator
        _VALIDATORS[kind] = cls(json_schema(kind), format_checker=cls.FORMAT_CHECKER)
    return _VALIDATORS[kind]


def accepts(kind: str, data: object) -> bool:
    return bool(validator(kind).is_valid(data))


def test_the_schema_is_draft_2020_12_with_an_id() -> None:
    schema = pathway_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == schema_id("pathway")
    assert schema["$id"].endswith("/pathway.schema.json")


GOLDEN_FILES = sorted(path for folder in _KINDS for path in (GOLDEN / folder).glob("*.yaml"))


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_schema_refuses_exactly_the_golden_files_it_can_see_wrong(path: Path) -> None:
    folder = path.parent.name
    data = read_file(path).data
    refused = not accepts(_KINDS[folder], data)
    assert refused == (path.stem in REFUSED[folder]), [
        error.message for error in validator(_KINDS[folder]).iter_errors(data)
    ]


def _single_names(data: Any, rng: random.Random) -> Any:
    """The same data with some one-name lists written as the bare name, as forum leads do."""
    if isinstance(data, dict):
        return {key: _single_names(value, rng) for key, value in data.items()}
    if isinstance(data, list):
        if len(data) == 1 and isinstance(data[0], str) and rng.random() < 0.5:
            return data[0]
        return [_single_names(item, rng) for item in data]
    return data


@settings(max_examples=60, deadline=None)
@given(pathway_data(), st.randoms(use_true_random=False))
def test_the_schema_accepts_every_valid_pathway(data: dict[str, Any], rng: random.Random) -> None:
    written = _single_names(data, rng)
    load_data(written)  # the loader accepts it ...
    assert accepts("pathway", json.loads(json.dumps(written)))  # ... and so does the schema


def _codes(text: str) -> set[str]:
    """The codes of the problems the loader finds in `text` (none when it loads)."""
    try:
        load_text(text)
    except DefinitionError as exc:
        return {problem.code for problem in exc.problems}
    return set()


def _with_stage_named(name: str) -> str:
    return json.dumps(
        {
            "id": "test/names",
            "title": "Names",
            "area": "Testshire",
            "version": "1",
            "entry": "start",
            "roles": {"r": {"title": "Responder"}},
            "agencies": {"a": {"name": "An agency", "roles": "r"}},
            "stages": {
                "start": {"title": "Start", "owner": "r", "kind": "identification"},
                name: {"title": "End", "owner": "r", "kind": "outcome", "outcome": "supported"},
            },
            "handoffs": {"finish": {"from": "start", "to": name, "by": "r"}},
        }
    )


_NAME_LIKE = st.text(
    st.sampled_from("abcXYZ019-_ ./:é\t\n'"), min_size=0, max_size=8
) | st.from_regex(re.compile(NAME_PATTERN), fullmatch=True)


@settings(max_examples=100, deadline=None)
@given(_NAME_LIKE)
@example("0\n")  # Python's `re` lets a final `$` match before a line break; ECMA-262 does not
def test_names_the_loader_refuses_are_exactly_those_the_schema_refuses(name: str) -> None:
    text = _with_stage_named(name)
    codes = _codes(text)
    assert codes <= {"bad-name"}, codes
    assert ("bad-name" in codes) == (not accepts("pathway", json.loads(text)))


_DURATION_LIKE = st.builds(
    "{}{}{}{}{}".format,
    st.sampled_from(["", " "]),
    st.sampled_from(["0", "5", "12345", "123456", "1.5", "x"]),
    st.sampled_from([" ", "  ", ""]),
    st.sampled_from(["", "working ", "calendar ", "working  ", "wrking "]),
    st.sampled_from(["day", "days", "week", "weeks", "months", "Days", "days "]),
)


@settings(max_examples=150, deadline=None)
@given(_DURATION_LIKE)
def test_time_limits_the_loader_reads_are_exactly_those_the_schema_accepts(text: str) -> None:
    data = json.loads(_with_stage_named("end"))
    data["stages"]["start"]["within"] = text
    codes = _codes(json.dumps(data))
    assert codes <= {"bad-duration"}, codes
    assert (not codes) == accepts("pathway", data)
