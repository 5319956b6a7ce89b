"""Durations in a scenario (`pathways.simulation.scenario.distributions`): read in the words a
pathway uses, or as a named distribution, and refused with a reason.
"""

from __future__ import annotations

import math
import random

import pytest

from pathways.simulation.scenario.distributions import parse_duration_spec


def test_durations_are_read_in_the_words_a_pathway_uses() -> None:
    assert parse_duration_spec("3 working days").working
    assert parse_duration_spec("2 weeks").expected == 14
    spec = parse_duration_spec({"distribution": "lognormal", "mean": 500, "sd": 300, "shift": 30})
    assert spec.expected == 530
    draws = spec.sampler(random.Random("t"))
    mean = math.fsum(draws() for _ in range(20000)) / 20000
    assert mean == pytest.approx(530, rel=0.03)
    gamma = parse_duration_spec({"distribution": "gamma", "mean": 4, "sd": 3})
    draws = gamma.sampler(random.Random("g"))
    assert math.fsum(draws() for _ in range(20000)) / 20000 == pytest.approx(4, rel=0.03)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ({"distribution": "weibull", "mean": 2}, "should be one of fixed, exponential"),
        ({"distribution": "gamma", "mean": 2}, "a gamma distribution needs 'sd'"),
        ({"distribution": "exponential", "mean": 0}, "should be more than 0"),
        ({"distribution": "fixed", "days": 2, "sd": 1}, "'sd' is not a key of a fixed"),
        ("3 working weeks", "mixes weeks and working days"),
        ({"distribution": "exponential", "mean": 2, "unit": "hours"}, "'unit' should be"),
    ],
)
def test_bad_durations_say_what_is_wrong(written: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration_spec(written)
