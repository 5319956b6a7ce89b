"""Who arrives (`pathways.simulation.scenario.mix`): a scenario's profile mix as one joint
distribution over whole profiles, and the problems with a choice that does not fit the pathway."""

from __future__ import annotations

import pytest

from pathways.definition.schema import ProfileAttribute
from pathways.simulation.scenario.mix import check_choice, joint, value_names
from pathways.simulation.scenario.schema import parse_choice

PROFILE = {
    "age_group": ProfileAttribute(values=("child", "adult")),
    "consent": ProfileAttribute(values=("given", "declined")),
    "housed": ProfileAttribute(flag=True),
}
CONSENT = value_names(PROFILE["consent"])


def test_a_flag_is_named_true_and_false_in_a_scenario() -> None:
    assert value_names(PROFILE["housed"]) == {"false": False, "true": True}
    assert value_names(PROFILE["age_group"]) == {"child": "child", "adult": "adult"}


def test_the_joint_mix_multiplies_choices_and_keeps_only_possible_profiles() -> None:
    choices = {  # written before the attribute it depends on: the order is worked out
        "consent": parse_choice(
            {
                "depends_on": "age_group",
                "by": {"child": "given", "adult": {"given": 0.4, "declined": 0.6}},
            }
        ),
        "age_group": parse_choice({"child": 0.25, "adult": 0.75}),
        "housed": parse_choice(0.5),
    }
    mix = joint(choices, PROFILE)
    assert mix == pytest.approx(
        {
            ("child", "given", True): 0.125,
            ("child", "given", False): 0.125,
            ("adult", "given", True): 0.15,
            ("adult", "given", False): 0.15,
            ("adult", "declined", True): 0.225,
            ("adult", "declined", False): 0.225,
        }
    )
    assert ("child", "declined", True) not in mix
    assert sum(mix.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("written", "code", "said"),
    [
        (
            0.3,
            "bad-choice",
            "consent gives a single number, which only a yes/no attribute can have",
        ),
        (
            {"depends_on": "agee", "by": {"child": "given"}},
            "unknown-attribute",
            "consent depends on 'agee', which is not a profile attribute",
        ),
        (
            {"depends_on": "age_group", "by": {"child": "given"}},
            "missing-probabilities",
            "consent gives no probabilities when age_group is 'adult'",
        ),
        (
            {"given": 0.5, "maybe": 0.5},
            "unknown-value",
            "consent gives a probability for 'maybe', which is not one of its options",
        ),
    ],
)
def test_a_choice_that_does_not_fit_the_pathway_says_why(
    written: object, code: str, said: str
) -> None:
    (problem,) = check_choice(parse_choice(written), CONSENT, "consent", None, PROFILE, False)
    assert (problem.code, problem.message) == (code, said)
    assert problem.expected


def test_a_choice_that_fits_has_no_problems() -> None:
    for written in ("given", {"given": 0.7, "declined": 0.3}):
        assert check_choice(parse_choice(written), CONSENT, "consent", None, PROFILE, False) == []
    assert (
        check_choice(
            parse_choice(0.5), {"false": False, "true": True}, "housed", None, PROFILE, True
        )
        == []
    )
