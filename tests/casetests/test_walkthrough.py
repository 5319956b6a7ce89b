"""`Walkthrough`, the journey behind `pathways walk`: it moves exactly as the case-test runner does,
so a walk saved as a case test is a route the runner follows to the same place."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paths import HULL, SMALL
from pathways import load
from pathways.casetests import explore, judge, load_cases_text
from pathways.casetests.walkthrough import Walkthrough
from pathways.definition.schema import Pathway
from strategies import small_pathways

_LOADED: dict[str, Pathway] = {}


def _bundled(name: str) -> Pathway:
    if name not in _LOADED:
        _LOADED[name] = load(HULL if name == "hull" else SMALL)
    return _LOADED[name]


def _walk(pathway: Pathway, data: Any) -> Walkthrough:
    """A walk with a random profile and random choices, until it ends or 12 steps are made."""
    profile = {n: data.draw(st.sampled_from(a.domain)) for n, a in pathway.profile.items()}
    walk = Walkthrough(pathway, profile)
    for _ in range(12):
        choices = walk.choices()
        if not choices:
            break
        walk.choose(data.draw(st.sampled_from([c.number for c in choices])))
    return walk


def _replayed(walk: Walkthrough) -> None:
    """The walk saved as a case test passes, and its route is the walk, event for event."""
    text = "cases:\n" + walk.as_case("walked")
    suite = load_cases_text(text, walk.pathway)
    case = suite.cases["walked"]
    exploration = explore(suite.pathway, case)
    assert judge("walked", case, exploration).passed
    (run,) = exploration.runs
    assert run.events == walk.journey.history
    assert run.timed == tuple(walk.timed)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["small", "hull"]), st.data())
def test_a_walk_on_a_bundled_pathway_replays_as_a_case(name: str, data: Any) -> None:
    _replayed(_walk(_bundled(name), data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(), st.data())
def test_a_walk_on_any_pathway_replays_as_a_case(pathway: Pathway, data: Any) -> None:
    _replayed(_walk(pathway, data))


def test_the_choices_say_who_may_make_each_handoff_and_its_time_limit() -> None:
    walk = Walkthrough(_bundled("small"), {"age_group": "child", "consent": "declined"})
    (choice,) = walk.choices()
    assert choice.describe() == (
        "1. 'refer-for-support' to 'Support' (support), by Exampleshire Police; "
        "within 2 working days (its own limit), by Wed 8 Jan 2025"
    )


def test_a_choice_that_is_not_open_names_what_is() -> None:
    walk = Walkthrough(_bundled("small"), {"age_group": "child", "consent": "declined"})
    with pytest.raises(
        ValueError, match=r"'close' is not open now \(open: 1 \('refer-for-support'\)\)"
    ):
        walk.choose("close")


def test_the_ending_is_known_when_the_journey_closes() -> None:
    walk = Walkthrough(_bundled("small"), {"age_group": "adult", "consent": "declined"})
    assert walk.ending is None
    walk.choose("close")
    assert walk.ending == "closed"
    assert walk.story()[-1] == "  then: the journey closes at 'Closed without support' (closed)"
