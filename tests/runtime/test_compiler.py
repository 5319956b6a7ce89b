"""Compiling pathways into one shared `transitions` machine per version."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings

from paths import PATHWAYS
from pathways.definition.loader import discover, load, load_text
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import (
    MODEL_ATTRIBUTE,
    NOT_STARTED,
    CompiledPathway,
    compile_pathway,
    fingerprint,
)
from strategies import pathways

BUNDLED = discover([PATHWAYS])

SMALL = """
id: test/forked
title: Forked test pathway
area: Testshire
version: "1"
entry: found
roles:
  first-responder: {title: First responder}
  police: {title: Police}
agencies:
  council: {name: Test Council, roles: [first-responder]}
  force: {name: Test Police, roles: [police, first-responder]}
profile:
  age_group:
    values: [child, adult]
information:
  account: {title: Account, sensitivity: special-category}
tracks:
  police: {title: Police investigation, entry: crime-recorded}
stages:
  found: {title: Found, owner: first-responder, kind: identification}
  referred: {title: Referred, owner: first-responder, kind: referral}
  supported: {title: Supported, owner: council, kind: outcome, outcome: supported}
  crime-recorded: {title: Crime recorded, owner: police, kind: investigation, track: police}
  charged: {title: Charged, owner: police, kind: outcome, outcome: charged, track: police}
handoffs:
  refer:
    from: found
    to: referred
    by: [first-responder]
    when: age_group == 'adult'
    shares: [account]
    starts: [police]
  close:
    from: referred
    to: supported
    by: [council]
    waits_for: [police]
  charge: {from: crime-recorded, to: charged, by: [police]}
"""


def small(version: str = "1") -> Pathway:
    return load_text(SMALL.replace('version: "1"', f'version: "{version}"'))


def model(compiled: CompiledPathway, age_group: str = "adult") -> SimpleNamespace:
    """A bare object the machine can drive: a state and a profile."""
    return SimpleNamespace(
        machine_state=compiled.machine_state({"main": "found"}),
        profile={"age_group": age_group},
    )


def test_there_are_bundled_pathways() -> None:
    assert BUNDLED, "no pathway files under pathways/"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_pathway_compiles(path: Path) -> None:
    compiled = compile_pathway(load(path))
    assert set(compiled.stages) == set(compiled.pathway.stages)
    assert set(compiled.handoffs) <= set(compiled.machine.events)


def test_the_same_definition_gives_the_same_machine() -> None:
    first, second = compile_pathway(small()), compile_pathway(small())
    assert first is second
    assert first.fingerprint == fingerprint(small())
    assert len(first.fingerprint) == 64


def test_another_version_gives_another_machine() -> None:
    assert compile_pathway(small("2")).fingerprint != compile_pathway(small()).fingerprint


def test_stages_are_states_in_one_region_per_track() -> None:
    compiled = compile_pathway(small())
    names = set(compiled.machine.get_nested_state_names())
    assert {
        "journey.main.found",
        "journey.main.supported",
        "journey.police.crime-recorded",
        f"journey.police.{NOT_STARTED}",
    } <= names
    assert compiled.machine.model_attribute == MODEL_ATTRIBUTE


def test_no_model_is_added_and_no_convenience_triggers_exist() -> None:
    compiled = compile_pathway(small())
    assert compiled.machine.models == []
    assert not any(name.startswith("to_") for name in compiled.machine.events)
    assert set(compiled.machine.events) == {"refer", "close", "charge", "start police"}


def test_guards_are_callables_never_names() -> None:
    compiled = compile_pathway(small())
    for name in compiled.handoffs:
        for transitions in compiled.machine.events[name].transitions.values():
            for transition in transitions:
                assert transition.conditions
                assert all(callable(c.func) for c in transition.conditions)
                assert all(callable(cb) for cb in transition.after)


def test_the_initial_state_is_the_machines_own() -> None:
    compiled = compile_pathway(small())
    bare = SimpleNamespace()
    type(compiled.machine)(model=bare, **compiled.machine_definition)
    assert getattr(bare, MODEL_ATTRIBUTE) == compiled.machine_state({"main": "found"})


def test_a_handoff_forks_a_track_and_the_join_waits_for_it() -> None:
    compiled = compile_pathway(small())
    journey = model(compiled)
    assert compiled.fire(journey, "refer", "force", ["account"])
    assert compiled.positions(journey.machine_state) == {
        "main": "referred",
        "police": "crime-recorded",
    }
    assert not compiled.fire(journey, "close", "council", [])
    assert compiled.fire(journey, "charge", "force", [])
    assert compiled.fire(journey, "close", "council", [])
    assert compiled.finished(compiled.positions(journey.machine_state))


@pytest.mark.parametrize(
    ("agency", "age_group", "shares"),
    [
        ("nobody", "adult", []),  # not an agency that may refer
        ("council", "child", []),  # the condition is for adults
        ("council", "adult", ["passport"]),  # passport may not travel
    ],
)
def test_the_machine_guards_refuse(agency: str, age_group: str, shares: list[str]) -> None:
    compiled = compile_pathway(small())
    journey = model(compiled, age_group)
    assert not compiled.fire(journey, "refer", agency, shares)
    assert compiled.positions(journey.machine_state) == {"main": "found"}


def test_roles_become_the_agencies_that_fill_them() -> None:
    compiled = compile_pathway(small())
    assert compiled.handoffs["refer"].agencies == {"council", "force"}
    assert compiled.handoffs["charge"].agencies == {"force"}
    assert compiled.stages["found"].owners == ("council", "force")


def test_names_from_the_file_never_become_callbacks() -> None:
    text = (
        SMALL.replace("  refer:", "  add_model:")
        .replace("  close:", "  trigger:")
        .replace("found", "on_enter_found")
    )
    compiled = compile_pathway(load_text(text))
    journey = SimpleNamespace(
        machine_state=compiled.machine_state({"main": "on_enter_found"}),
        profile={"age_group": "adult"},
    )
    assert compiled.fire(journey, "add_model", "council", [])
    assert compiled.machine.models == []
    assert callable(compiled.machine.add_model)


def test_machine_states_are_shared_between_equal_positions() -> None:
    compiled = compile_pathway(small())
    here = {"main": "referred", "police": "charged"}
    assert compiled.machine_state(here) is compiled.machine_state(dict(here))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathways())
def test_every_handoff_is_a_transition_from_each_source(pathway: Pathway) -> None:
    compiled = compile_pathway(pathway)
    for name, rule in compiled.handoffs.items():
        event = compiled.machine.events[name]
        target = compiled.machine_state({"main": pathway.entry, rule.track: rule.target})
        for source in rule.sources:
            here = compiled.machine_state({"main": pathway.entry, rule.track: source})
            source_state = next(s for s in _listed(here) if s.split(".")[1] == rule.track)
            dest_state = next(s for s in _listed(target) if s.split(".")[1] == rule.track)
            (transition,) = event.transitions[source_state]
            assert transition.dest == dest_state


def _listed(state: str | list[str]) -> list[str]:
    return [state] if isinstance(state, str) else state
