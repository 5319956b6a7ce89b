"""The `transitions` machine a compiled pathway runs on: a `HierarchicalMachine` that remembers
what it has worked out about its own states.

A compiled machine never changes after it is built, and its states have no enter or exit
callbacks (the compiler adds none: see `pathways.runtime.compiler`). So what `transitions`
works out on every event from the journey's state alone can be worked out once per state:

- which of the journey's states the event is tried from, and in what order (`transitions`
  builds a tree of the journey's states and walks it on every event);
- where a transition leaves the journey: its new state (`transitions` builds the tree again,
  walks it to find the states to leave and enter, and calls each state's empty callbacks);
- a state's object from its name (looked up by walking the state tree by name, several times
  per event).

The guards, the `before` and `after` callbacks and the machine's own callbacks still run on
every event, as `transitions` runs them. A machine whose states do have enter or exit callbacks
(one built from another definition) remembers no moves, and runs `transitions`' own code.
What is remembered is bounded: a machine forgets it all once it holds `REMEMBERED` entries.

This module is the only one that imports `transitions`.
"""

from __future__ import annotations

from typing import Any, cast

from transitions.core import EventData
from transitions.extensions.nesting import (
    HierarchicalMachine,
    NestedEvent,
    NestedEventData,
    NestedState,
    NestedTransition,
    resolve_order,
)

__all__ = ["REMEMBERED", "SEPARATOR", "EventData", "StageMachine", "StateKey", "state_key"]

SEPARATOR = "."
#: The most states, moves and event orders one machine remembers before it starts again.
REMEMBERED = 20_000

StateKey = str | tuple[str, ...]


class _StageState(NestedState):
    separator = SEPARATOR


def state_key(value: str | list[str]) -> StateKey:
    """A journey's machine state, as a dictionary key."""
    return value if isinstance(value, str) else tuple(value)


class _StageTransition(NestedTransition):
    """A nested transition that remembers where it leaves a journey from each state, and does
    not search for `final` states after each move (no state of a compiled pathway is marked
    `final`, so that walk of the whole parallel state tree could never find anything)."""

    def _change_state(self, event_data: EventData) -> None:
        nested = cast(NestedEventData, event_data)
        machine = cast("StageMachine", nested.machine)
        attribute = machine.model_attribute
        key = (self, state_key(getattr(nested.model, attribute)))
        move = machine.moves.get(key)
        if move is not None:
            setattr(nested.model, attribute, move[0])
            nested.state = move[1]
            return
        state_tree, exit_partials, enter_partials = self._resolve_transition(nested)
        for exit_state in exit_partials:
            exit_state()
        self._update_model(nested, state_tree)
        for enter_state in enter_partials:
            enter_state()
        if machine.quiet:
            machine.remember(machine.moves, key, (getattr(nested.model, attribute), nested.state))


class StageMachine(HierarchicalMachine):
    """`transitions`' hierarchical machine, remembering state lookups, the order events are tried
    in and where transitions lead (see the module docstring), and finding events where a
    compiled machine defines them.

    To find an event, `transitions` walks the journey's whole state tree, scope by scope,
    looking for the scopes that define it. A compiled machine defines every event at its root
    (its transitions are added there, with full state names, and no state defines events of
    its own), so that walk can only end at the root: the root's event is processed directly.
    """

    state_cls = _StageState
    transition_cls = _StageTransition

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._found: dict[tuple[tuple[str, ...], StateKey], NestedState] | None = None
        self.moves: dict[tuple[NestedTransition, StateKey], tuple[Any, Any]] = {}
        self.orders: dict[StateKey, list[tuple[str, tuple[str, ...]]]] = {}
        super().__init__(*args, **kwargs)
        self._found = {}
        self.quiet = all(
            not (state.on_enter or state.on_exit or state.final) for state in self._every_state()
        )

    def remember(self, store: dict[Any, Any], key: Any, value: Any) -> None:
        """Keep `value` under `key` in one of the machine's memories, bounded by `REMEMBERED`."""
        if len(store) >= REMEMBERED:
            store.clear()
        store[key] = value

    def _every_state(self) -> list[NestedState]:
        found: list[NestedState] = []
        waiting = list(self.states.values())
        while waiting:
            state = waiting.pop()
            found.append(state)
            waiting.extend(state.states.values())
        return found

    def _trigger_event_nested(
        self, event_data: NestedEventData, trigger: str, _state_tree: Any
    ) -> bool | None:
        if _state_tree is None and not self.prefix_path and trigger in self.events:
            event: NestedEvent = self.events[trigger]
            event_data.event = event
            return self._trigger_at_root(event, event_data)
        found: bool | None = super()._trigger_event_nested(  # type: ignore[misc]
            event_data, trigger, _state_tree
        )
        return found

    def _trigger_at_root(self, event: NestedEvent, event_data: NestedEventData) -> bool | None:
        """`NestedEvent.trigger_nested` for an event of the root scope, with the order of the
        journey's states remembered: try the event from each state it has transitions from,
        children before parents, stopping at the ancestors of a state it succeeded from."""
        value = getattr(event_data.model, self.model_attribute)
        key = state_key(value)
        order = self.orders.get(key)
        if order is None:
            tree = self.build_state_tree(value, SEPARATOR)
            order = [(SEPARATOR.join(path), tuple(path)) for path in resolve_order(tree)]
            self.remember(self.orders, key, order)
        done: set[str] = set()
        transitions = event.transitions
        for name, path in order:
            if name in done or name not in transitions:
                continue
            event_data.state = self.get_state(name)
            event_data.source_name = name
            event_data.source_path = list(path)
            event._process(event_data)
            if event_data.result:
                done.update(SEPARATOR.join(path[:end]) for end in range(1, len(path) + 1))
        result: bool | None = event_data.result
        return result

    def get_state(self, state: Any, hint: Any = None) -> NestedState:
        if self._found is None or hint is not None:
            found: NestedState = super().get_state(state, hint)
            return found
        if isinstance(state, str):
            name: StateKey = state
        elif isinstance(state, list):
            name = tuple(state)
        else:
            found = super().get_state(state)
            return found
        key = (tuple(self.prefix_path), name)
        known = self._found.get(key)
        if known is None:
            known = super().get_state(state)
            self.remember(self._found, key, known)
        return known
