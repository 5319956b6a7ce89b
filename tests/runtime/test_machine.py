"""The compiled machine remembers what it works out from a journey's state: it must still do
exactly what `transitions`' own hierarchical machine does with the same definition."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transitions.core import MachineError
from transitions.extensions.nesting import HierarchicalMachine, NestedState

from pathways.definition.schema import Pathway
from pathways.runtime import machine as machine_module
from pathways.runtime.compiler import MODEL_ATTRIBUTE, CompiledPathway, compile_pathway
from pathways.runtime.machine import SEPARATOR, StageMachine
from strategies import pathways


class _DotState(NestedState):
    separator = SEPARATOR


class _PlainMachine(HierarchicalMachine):
    """`transitions`' machine as it comes, with the compiled machine's separator."""

    state_cls = _DotState


def _plain(compiled: CompiledPathway) -> HierarchicalMachine:
    return _PlainMachine(model=None, **compiled.machine_definition)


def _model(compiled: CompiledPathway, profile: dict[str, Any]) -> SimpleNamespace:
    return SimpleNamespace(
        machine_state=compiled.machine_state({"main": compiled.pathway.entry}),
        profile=profile,
    )


def _fire(
    machine: HierarchicalMachine, model: object, step: tuple[str, str, tuple[str, ...]]
) -> Any:
    trigger, agency, shares = step
    try:
        return machine.trigger_event(model, trigger, by=agency, shares=shares)
    except MachineError as exc:
        return ("refused", str(exc))


def _profile(draw: st.DrawFn, pathway: Pathway) -> dict[str, Any]:
    return {
        name: draw(st.sampled_from(entry.values)) if entry.values else draw(st.integers(0, 30))
        for name, entry in pathway.profile.items()
    }


def _step(
    draw: st.DrawFn, compiled: CompiledPathway, state: Any
) -> tuple[str, str, tuple[str, ...]]:
    """A handoff leaving where the journey is (now and then any handoff at all), mostly made by
    an agency that may make it, sharing some of the pathway's items."""
    pathway = compiled.pathway
    leaving = [rule.name for rule in compiled.exits(compiled.positions(state))]
    anything = sorted(pathway.handoffs)
    trigger = draw(st.sampled_from(leaving if leaving and draw(st.integers(0, 9)) else anything))
    allowed = sorted(compiled.handoffs[trigger].agencies)
    agencies = allowed if allowed and draw(st.integers(0, 3)) else sorted(pathway.agencies)
    items = sorted(pathway.information)
    shares = draw(st.lists(st.sampled_from(items), unique=True, max_size=2)) if items else []
    return trigger, draw(st.sampled_from(agencies)), tuple(shares)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathways(), st.data())
def test_the_compiled_machine_moves_as_transitions_own_machine_does(
    pathway: Pathway, data: st.DataObject
) -> None:
    compiled = compile_pathway(pathway)
    plain = _plain(compiled)
    profile = _profile(data.draw, pathway)
    ours, theirs = _model(compiled, profile), _model(compiled, profile)
    for _ in range(data.draw(st.integers(0, 30), label="steps")):
        if not pathway.handoffs:
            break
        step = _step(data.draw, compiled, ours.machine_state)
        assert _fire(compiled.machine, ours, step) == _fire(plain, theirs, step), step
        assert getattr(ours, MODEL_ATTRIBUTE) == getattr(theirs, MODEL_ATTRIBUTE), step
        positions = compiled.positions(theirs.machine_state)
        assert compiled.positions(ours.machine_state) == positions
        assert compiled.finished_at(ours.machine_state) == compiled.finished(positions)


def test_a_machine_with_state_callbacks_remembers_no_moves() -> None:
    entered: list[str] = []
    machine = StageMachine(
        model=None,
        states=[{"name": "a", "on_enter": [lambda event: entered.append("a")]}, "b"],
        transitions=[{"trigger": "go", "source": "b", "dest": "a"}, ["back", "a", "b"]],
        initial="b",
        auto_transitions=False,
        send_event=True,
    )
    model = SimpleNamespace(state="b")
    for _ in range(3):
        assert machine.trigger_event(model, "go")
        assert machine.trigger_event(model, "back")
    assert not machine.quiet
    assert machine.moves == {}
    assert entered == ["a", "a", "a"]


def test_what_a_machine_remembers_is_bounded(monkeypatch: Any) -> None:
    monkeypatch.setattr(machine_module, "REMEMBERED", 3)
    machine = StageMachine(
        model=None,
        states=["a", "b", "c", "d", "e"],
        transitions=[["go", "a", "b"], ["go", "b", "c"], ["go", "c", "d"], ["go", "d", "e"]],
        initial="a",
        auto_transitions=False,
    )
    model = SimpleNamespace(state="a")
    for expected in "bcde":
        assert machine.trigger_event(model, "go")
        assert model.state == expected
        assert len(machine.moves) <= 3
        assert len(machine.orders) <= 3
