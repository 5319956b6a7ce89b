"""Choices in a scenario (`pathways.simulation.scenario.schema`): fixed, a flag, or conditional on
another attribute.
"""

from __future__ import annotations

from pathways.simulation.scenario.schema import parse_choice


def test_choices_fixed_flag_and_conditional() -> None:
    assert parse_choice("adult").weights == (("adult", 1.0),)
    flag = parse_choice(0.25)
    assert flag.flag_probability
    assert dict(flag.weights) == {"true": 0.25, "false": 0.75}
    conditional = parse_choice({"depends_on": "age_group", "by": {"child": "given"}})
    assert conditional.for_value("child") == parse_choice("given")
    assert conditional.for_value("adult") is None
