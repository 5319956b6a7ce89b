"""The YAML reader: plain data back exactly, positions of every key and value, hostile input
refused with a clear problem and bounded work."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.definition.located import DEFAULT_LIMITS, Limits
from pathways.definition.yaml_reader import dump_yaml, read_file, read_text
from pathways.errors import DefinitionError, Location

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    _TEXT,
    st.sampled_from(["yes", "no", "on", "0o12", "012", "1:30", "1_000", "2023-02-30", "~", ""]),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300)
@given(st.dictionaries(_TEXT, _DATA, max_size=5))
def test_what_is_written_is_read_back_exactly(data: dict[str, Any]) -> None:
    assert read_text(dump_yaml(data)).data == data


def test_positions_of_keys_values_and_list_items() -> None:
    source = read_text("id: x\nstages:\n  a:\n    collects: [one, 'two']\n", "f.yaml")
    assert source.positions.key(("stages", "a")) == Location("f.yaml", 3, 3)
    assert source.positions.value(("id",)) == Location("f.yaml", 1, 5)
    assert source.positions.key(("stages", "a", "collects", 1)) == Location("f.yaml", 4, 21)
    assert source.positions.quoted(("stages", "a", "collects", 1))
    assert not source.positions.quoted(("stages", "a", "collects", 0))
    assert source.positions.text(("id",)) == "x"
    assert source.positions.nearest(("stages", "a", "owner")) == Location("f.yaml", 4, 5)
    assert source.positions.nearest(("nothing",)) == Location("f.yaml", 1, 1)


def _codes(text: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        read_text(text, "f.yaml", limits)
    return list(caught.value.codes)


def test_every_problem_in_the_file_is_reported_at_once() -> None:
    assert _codes("a: yes\nb: 012\nc: 2023-02-30\nd: 1\nd: 2\n") == [
        "ambiguous-boolean",
        "ambiguous-number",
        "invalid-date",
        "duplicate-key",
    ]


def test_a_duplicate_key_names_both_places() -> None:
    with pytest.raises(DefinitionError) as caught:
        read_text("stages:\n  a: 1\n  b: 2\n  a: 3\n", "f.yaml")
    problem = caught.value.problems[0]
    assert problem.location == Location("f.yaml", 4, 3)
    assert "first at line 2, column 3" in problem.message


def test_dates_stay_as_written_and_quoted_words_stay_words() -> None:
    data = read_text("published: 2023-01-30\nanswer: 'yes'\nversion: '1.0'\n").data
    assert data == {"published": "2023-01-30", "answer": "yes", "version": "1.0"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: !!python/object:os.system x\n", "yaml-tag-refused"),
        ("a: !custom x\n", "yaml-tag-refused"),
        ("<<: {a: 1}\n", "merge-key-refused"),
        ("? [a]\n: 1\n", "bad-key"),
        ("a: 1\n---\nb: 2\n", "multiple-documents"),
        ("a: &x [*x]\n", "yaml-syntax"),
        ("a:\n\t- b\n", "yaml-syntax"),
        ("a: [1, 2\n", "yaml-syntax"),
        ("[" * 2000 + "]" * 2000, "too-deep"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused(text: str, code: str) -> None:
    assert _codes(text) == [code]


def test_work_on_hostile_files_is_bounded() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
    )
    assert _codes(laughs) == ["too-many-aliases"]
    assert _codes("- [1]\n" * 1000, Limits(max_nodes=500)) == ["too-large"]
    assert _codes("a: " + "x" * 200, Limits(max_bytes=100)) == ["file-too-large"]
    assert _codes(
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 10)), Limits(max_depth=5)
    ) == ["too-deep"]


def test_files_that_are_not_utf8_or_missing(tmp_path: Any) -> None:
    bad = tmp_path / "latin.yaml"
    bad.write_bytes("title: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(DefinitionError) as caught:
        read_file(bad, display="latin.yaml")
    assert caught.value.codes == ("not-utf8",)
    assert caught.value.problems[0].location == Location("latin.yaml", 1, 11)
    with pytest.raises(DefinitionError) as missing:
        read_file(tmp_path / "nope.yaml")
    assert missing.value.codes == ("cannot-read",)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_file(bom).data == {"a": 1}


def _true_false_fields(model: type[Any], seen: set[type[Any]]) -> set[str]:
    """The fields typed `bool` in a pydantic model and the models inside it."""
    from pydantic import BaseModel

    if model in seen:
        return set()
    seen.add(model)
    found = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        if info.annotation is bool:
            found.add(key)
        for inner in getattr(info.annotation, "__args__", (info.annotation,)):
            for part in (inner, *getattr(inner, "__args__", ())):
                if isinstance(part, type) and issubclass(part, BaseModel):
                    found |= _true_false_fields(part, seen)
    return found


def test_the_true_false_keys_are_the_models_true_false_fields() -> None:
    from pathways.definition.scalars import TRUE_FALSE_KEYS
    from pathways.definition.schema import PathwayDocument
    from pathways.simulation.scenario.schema import ScenarioDocument

    seen: set[type[Any]] = set()
    fields = _true_false_fields(PathwayDocument, seen) | _true_false_fields(ScenarioDocument, seen)
    assert fields == TRUE_FALSE_KEYS


def test_yes_for_a_true_false_key_is_answered_with_true_not_quotes() -> None:
    with pytest.raises(DefinitionError) as caught:
        read_text("agencies:\n  police: {name: Police, first_responder: yes}\n", "a.yaml")
    (problem,) = caught.value.problems
    assert problem.hint == "write 'first_responder: true' (not in quotes: a quoted 'yes' is a word)"
    with pytest.raises(DefinitionError) as caught:
        read_text("stages:\n  s: {title: no}\n", "a.yaml")
    assert "quote it if you mean the word: 'no'" in (caught.value.problems[0].hint or "")


_LINES = [
    "a: 1",
    "b:",
    "  c: 2",
    "  d: [1, 2",
    '  e: "open',
    "  f: g: h",
    "\tt: 1",
    "   odd: 3",
    "- item",
    "h: {x: 1",
]


def _syntax_lines(text: str) -> list[int]:
    try:
        read_text(text, "s.yaml")
    except DefinitionError as exc:
        return [p.location.line for p in exc.problems if p.code == "yaml-syntax" and p.location]
    return []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=12))
def test_every_syntax_error_is_reported_in_order_and_the_next_one_remains_after_a_fix(
    lines: list[str],
) -> None:
    from pathways.definition.yaml_reader import MAX_SYNTAX_ERRORS

    found = _syntax_lines("\n".join(lines))
    assert found == sorted(set(found))
    assert len(found) <= MAX_SYNTAX_ERRORS
    if len(found) > 1:
        # fixing the first bad line (here: leaving it blank) leaves the second one reported
        fixed = ["" if i == found[0] - 1 else line for i, line in enumerate(lines)]
        assert found[1] in _syntax_lines("\n".join(fixed))
