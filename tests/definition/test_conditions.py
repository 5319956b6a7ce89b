"""The condition tree: writing back, meaning, fit to the profile and the words used in reports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.definition.condition_parser import (
    parse,
)
from pathways.definition.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Flag,
    Member,
    Not,
    attributes,
    compile_predicate,
    evaluate,
    explain,
    satisfying,
    to_text,
    validate,
)
from pathways.definition.profiles import ProfileSpace

DOMAINS: dict[str, tuple[str | bool, ...]] = {
    "age_group": ("adult", "child"),
    "consent": ("given", "declined", "unsure"),
    "needs_accommodation": (False, True),
}
SPACE = ProfileSpace(DOMAINS)


def _value(name: str) -> st.SearchStrategy[str | bool]:
    return st.sampled_from(DOMAINS[name])


@st.composite
def _atoms(draw: st.DrawFn) -> Condition:
    name = draw(st.sampled_from(sorted(DOMAINS)))
    if name == "needs_accommodation" and draw(st.booleans()):
        return Flag(name)
    kind = draw(st.sampled_from(["compare", "member"]))
    if kind == "compare":
        return Compare(name, draw(st.booleans()), draw(_value(name)))
    values = draw(st.lists(_value(name), min_size=1, max_size=3, unique=True))
    return Member(name, tuple(values), draw(st.booleans()))


def _extend(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
    parts = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(children.map(Not), parts.map(AllOf), parts.map(AnyOf))


CONDITIONS = st.recursive(_atoms(), _extend, max_leaves=8)


@settings(max_examples=300)
@given(CONDITIONS)
def test_writing_a_condition_and_reading_it_back_gives_the_same_condition(
    condition: Condition,
) -> None:
    assert parse(to_text(condition)) == condition


@settings(max_examples=300)
@given(CONDITIONS)
def test_the_set_of_victims_matches_evaluating_each_profile(condition: Condition) -> None:
    mask = satisfying(condition, SPACE)
    predicate = compile_predicate(condition)
    for index in range(SPACE.size):
        profile = SPACE.profile(index)
        assert bool(mask >> index & 1) == predicate(profile) == evaluate(condition, profile)


@given(CONDITIONS)
def test_conditions_built_from_declared_values_are_valid(condition: Condition) -> None:
    assert validate(condition, DOMAINS) == []
    assert attributes(condition) <= set(DOMAINS)


@pytest.mark.parametrize(
    ("text", "adult_given", "child_declined"),
    [
        ("age_group == 'adult'", True, False),
        ("age_group == adult", True, False),
        ('age_group != "adult"', False, True),
        ("consent in [given, unsure]", True, False),
        ("consent not in ['given']", False, True),
        ("age_group == 'child' or consent == 'given'", True, True),
        ("not (age_group == 'child' or consent == 'given')", False, False),
        ("age_group == 'adult' and not needs_accommodation", True, False),
        ("needs_accommodation or age_group == child", False, True),
    ],
)
def test_meaning_of_written_conditions(text: str, adult_given: bool, child_declined: bool) -> None:
    condition = parse(text)
    base = {"needs_accommodation": False}
    assert evaluate(condition, {**base, "age_group": "adult", "consent": "given"}) is adult_given
    assert (
        evaluate(condition, {**base, "age_group": "child", "consent": "declined"}) is child_declined
    )


def test_validation_names_unknown_attributes_values_and_misused_flags() -> None:
    issues = validate(parse("age_grup == adult and consent == yes and age_group"), DOMAINS)
    assert [(i.code, i.offset) for i in issues] == [
        ("unknown-attribute", 0),
        ("unknown-value", 22),
        ("not-a-flag", 41),
    ]
    assert issues[0].hint == "did you mean 'age_group'?"
    assert issues[1].expected == "one of 'given', 'declined' or 'unsure'"
    flag = validate(parse("needs_accommodation == 'yes'"), DOMAINS)
    assert flag[0].hint == "this is a yes/no attribute: compare with true or false"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("age_group == 'adult'", "age group is adult"),
        ("age_group != 'adult'", "age group is not adult"),
        ("consent in [declined, unsure]", "consent is declined or unsure"),
        ("not needs_accommodation", "not needs accommodation"),
        ("not consent == given", "consent is not given"),
        (
            "age_group == adult and (consent == given or needs_accommodation)",
            "age group is adult and (consent is given or needs accommodation)",
        ),
    ],
)
def test_conditions_are_explained_in_plain_words(text: str, words: str) -> None:
    assert explain(parse(text)) == words
