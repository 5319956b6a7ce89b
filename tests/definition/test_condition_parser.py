"""Reading conditions: precedence, literals, syntax errors that say where, and the work limits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.definition.condition_parser import (
    MAX_DEPTH,
    MAX_LENGTH,
    ConditionSyntaxError,
    parse,
)
from pathways.definition.conditions import AllOf, AnyOf, Compare, Condition, to_text


def test_and_binds_tighter_than_or() -> None:
    condition = parse("age_group == child or consent == given and needs_accommodation")
    assert isinstance(condition, AnyOf)
    assert isinstance(condition.parts[1], AllOf)


def test_a_quoted_true_is_text_and_a_bare_true_is_a_yes() -> None:
    assert parse("x == 'true'") == Compare("x", True, "true")
    assert parse("x == true") == Compare("x", True, True)
    assert to_text(Compare("x", True, "true")) == "x == 'true'"


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("age_group = 'adult'", 10, None),
        ("age_group == 'adult", 13, "a closing '"),
        ("age_group == ", 12, "a value such as 'adult'"),
        ("age_group == 'adult' and", 24, "a profile attribute such as age_group"),
        ("(age_group == 'adult'", 21, "')' to close the bracket"),
        ("consent in given", 11, "'[' to start a list of values"),
        ("consent in [given unsure]", 18, "',' or ']' to end the list"),
        ("consent not given", 12, "'in' after 'not'"),
        ("age_group adult", 10, "==, !=, in, and, or the end"),
        ("age_group == 'adult' && consent == given", 21, None),
        ("   ", 0, "a condition such as age_group == 'adult'"),
    ],
)
def test_syntax_errors_say_where_and_what_was_expected(
    text: str, offset: int, expected: str | None
) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert error.offset == offset
    assert error.codes == ("condition-syntax",)
    if expected is not None:
        assert error.problems[0].expected == expected


def test_single_equals_gets_a_hint() -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse("age_group = 'adult'")
    assert caught.value.problems[0].hint == "compare with '==' (two equals signs)"


def test_overlong_and_overdeep_conditions_are_refused() -> None:
    with pytest.raises(ConditionSyntaxError) as long:
        parse("x == a or " * (MAX_LENGTH // 10) + "x == a")
    assert long.value.codes == ("condition-too-complex",)
    with pytest.raises(ConditionSyntaxError) as deep:
        parse("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1))
    assert deep.value.codes == ("condition-too-complex",)
    with pytest.raises(ConditionSyntaxError) as nots:
        parse("not " * (MAX_DEPTH + 1) + "x")
    assert nots.value.codes == ("condition-too-complex",)


@given(st.text(alphabet="abx_=!()[],' \"andortin", max_size=40))
def test_any_text_either_parses_or_raises_a_syntax_error(text: str) -> None:
    condition: Condition | None = None
    offset = 0
    try:
        condition = parse(text)
    except ConditionSyntaxError as error:
        offset = error.offset
    assert 0 <= offset <= len(text)
    if condition is not None:
        assert parse(to_text(condition)) == condition
