"""The pathway model (`pathways.definition.schema`): time limits as a forum lead writes them,
profile attributes' values, and the questions a loaded pathway answers about its owners,
handoffs and where each part is written."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from paths import tutorial_example
from pathways.definition.loader import load_text
from pathways.definition.schema import DurationField, Pathway, ProfileAttribute

DURATIONS: TypeAdapter[object] = TypeAdapter(DurationField)


@pytest.fixture(scope="module")
def example() -> Pathway:
    return load_text(tutorial_example(), path="example/small.yaml")


@pytest.mark.parametrize(
    ("written", "days", "working", "said"),
    [
        ("5 working days", 5, True, "5 working days"),
        ("2 weeks", 14, False, "14 calendar days"),
        ("1 calendar day", 1, False, "1 calendar day"),
        ("  3 days ", 3, False, "3 calendar days"),
    ],
)
def test_a_time_limit_reads_as_written(written: str, days: int, working: bool, said: str) -> None:
    duration = DURATIONS.validate_python(written)
    assert (duration.days, duration.working) == (days, working)  # type: ignore[attr-defined]
    assert str(duration) == said


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("2 working weeks", "'2 working weeks' mixes weeks and working days"),
        ("soon", "'soon' is not a time limit I understand"),
        (5, "a time limit must be written as text such as '5 working days'"),
    ],
)
def test_a_time_limit_that_cannot_be_read_says_why(written: object, said: str) -> None:
    with pytest.raises(ValidationError, match=said) as caught:
        DURATIONS.validate_python(written)
    assert caught.value.errors()[0]["type"] == "bad-duration"


def test_a_flag_has_the_values_false_and_true_and_others_keep_their_order() -> None:
    assert ProfileAttribute(flag=True).domain == (False, True)
    assert ProfileAttribute(values=("child", "adult")).domain == ("child", "adult")


def test_owners_are_the_agencies_that_fill_a_role(example: Pathway) -> None:
    assert example.owner_agencies("support-provider") == ("example-charity",)
    assert example.owner_agencies("example-police") == ("example-police",)
    assert example.owner_agencies("nobody") == ()


def test_handoffs_from_a_stage_come_in_the_order_written(example: Pathway) -> None:
    assert example.handoffs_from("concern-raised") == ("refer-for-support", "close")
    assert example.handoffs_from("support") == ("finish",)
    assert example.handoffs_from("supported") == ()


def test_a_loaded_pathway_knows_where_each_part_is_written(example: Pathway) -> None:
    assert example.lineage == ("example/small",)
    assert example.files == ("example/small.yaml",)
    stage = example.location("stages", "support")
    within = example.location("stages", "support", "within")
    assert stage is not None
    assert within is not None
    assert (stage.path, within.path) == ("example/small.yaml", "example/small.yaml")
    assert within.line > stage.line
    assert example.location("stages", "nowhere") is None
