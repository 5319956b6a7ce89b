"""Compile a pathway into one shared `transitions` state machine, with the rules beside it.

What the machine looks like. Stages are states; handoffs are triggers; every track is a region of
one parallel state, `journey`, of a `transitions` `HierarchicalMachine`. A stage's state is named
`journey.<track>.<stage>` (a `.` separates levels: pathway names never contain one). Tracks other
than the main track begin in a state called `not started`; a handoff that `starts:` a track fires
the internal trigger `start <track>`, which moves that track to its entry. Each handoff's guard
asks the methods of its `HandoffRule` (see `pathways.runtime.guards`): the agency may make it, the
profile
meets its condition, the tracks it `waits_for` have finished, and it shares only what it may.
The machine is built with `auto_transitions=False` and `model=None`, and no string from a pathway
file is ever used as a callback name: guards and the fork are Python callables. States are not
marked `final` (transitions 0.9.3 fails when the last region is final and another is not); a
journey is closed by the rule in `PathwayRules.finished`.

Why journeys are not added to the machine. `Machine.add_model` decorates every model with one
method per trigger and per state (kilobytes and hundreds of microseconds each on a real pathway),
too slow and too big for a case system that loads thousands of journeys. A journey is instead a
small object with `__slots__` carrying the two attributes the machine reads: `machine_state` (the
machine's `model_attribute`) and `profile`. `CompiledPathway.fire` passes it to the shared
machine's `trigger_event`, which runs the guards and moves the state, so binding a stored journey
costs one small object. The machine keeps scratch state while it handles an event, so `fire`
holds a lock: one compiled pathway may be shared between threads.

The machine is a `StageMachine` (`pathways.runtime.machine`): `transitions`' own hierarchical
machine, remembering what it works out from a journey's state alone, once per state.

One machine per pathway version. `compile_pathway` fingerprints the pathway (SHA-256 of its
canonical JSON) and returns the same `CompiledPathway` for the same definition, so every journey
on a version shares one machine; journeys record the fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.runtime.guards import HandoffRule, PathwayRules, Profile
from pathways.runtime.machine import SEPARATOR as _SEPARATOR
from pathways.runtime.machine import EventData, StageMachine, StateKey, state_key

__all__ = [
    "MODEL_ATTRIBUTE",
    "NOT_STARTED",
    "ROOT",
    "SEPARATOR",
    "CompiledPathway",
    "compile_pathway",
    "compiled_here",
    "fingerprint",
]

#: The attribute of a journey object that holds its `transitions` state.
MODEL_ATTRIBUTE = "machine_state"
#: The state a parallel track is in until a handoff starts it.
NOT_STARTED = "not started"
ROOT = "journey"
#: What separates the levels of a state's name: `journey.<track>.<stage>`.
SEPARATOR = _SEPARATOR


#: Keys added to the pathway language after journeys were first stored (issue 15), by where
#: they are written (`*` is every entry of a section, `[]` every item of a list): left out of
#: the fingerprint while they are not used, so a version stored before keeps its fingerprint
#: and its journeys stay bound to it.
_LATER_KEYS: tuple[tuple[str, ...], ...] = (
    ("profile", "*", "changes", "[]", "by"),
    ("handoffs", "*", "require"),
    ("handoffs", "*", "acceptance"),
    ("stages", "*", "pause"),
    ("actions",),
    ("transfers",),
)


def fingerprint(pathway: Pathway) -> str:
    """SHA-256 of the pathway's canonical JSON: equal definitions give equal fingerprints."""
    data = pathway.model_dump(mode="json", by_alias=True)
    for path in _LATER_KEYS:
        _drop_unused(data, path)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CompiledPathway(PathwayRules):
    """A pathway version ready to run: its rules, its fingerprint and its shared machine.

    `machine` is the `transitions` `HierarchicalMachine`; `machine_definition` holds the states
    and transitions it was built from (with the same guard callables), so that an equivalent
    plain machine can be built for comparison.
    """

    def __init__(self, pathway: Pathway, key: str) -> None:
        super().__init__(pathway)
        self.fingerprint = key
        self._state_of = {
            name: SEPARATOR.join((ROOT, rule.track, name)) for name, rule in self.stages.items()
        }
        self._where: dict[str, tuple[str, str | None]] = {
            state: (self.stages[name].track, name) for name, state in self._state_of.items()
        }
        self._initial: list[str] = []
        for track in self.tracks:
            self._where[self.state_name(track, None)] = (track, None)
            first = pathway.entry if track == MAIN_TRACK else None
            self._initial.append(self.state_name(track, first))
        self._machine_states: dict[tuple[str | None, ...], str | list[str]] = {}
        self._positions: dict[StateKey, tuple[dict[str, str], bool]] = {}
        self._lock = threading.Lock()
        self.machine_definition: dict[str, Any] = {
            "states": [{"name": ROOT, "parallel": self._regions()}],
            "transitions": self._transitions(),
            "initial": ROOT,
            "auto_transitions": False,
            "send_event": True,
            "model_attribute": MODEL_ATTRIBUTE,
        }
        self.machine: StageMachine = StageMachine(model=None, **self.machine_definition)

    def __repr__(self) -> str:
        return f"<CompiledPathway {self.pathway.id} {self.pathway.version} {self.fingerprint[:12]}>"

    def state_name(self, track: str, stage: str | None) -> str:
        """The machine's name for `stage` on `track` (`None`: the track has not started)."""
        return SEPARATOR.join((ROOT, track, NOT_STARTED if stage is None else stage))

    def positions(self, machine_state: str | list[str]) -> dict[str, str]:
        """The stage each started track is at, from a journey's `machine_state` (a new dict)."""
        return dict(self._positions_at(machine_state)[0])

    def finished_at(self, machine_state: str | list[str]) -> bool:
        """`finished` for the positions of a journey's `machine_state`."""
        return self._positions_at(machine_state)[1]

    def _positions_at(self, machine_state: str | list[str]) -> tuple[dict[str, str], bool]:
        """The positions of `machine_state` and whether they are finished, worked out once per
        machine state (a machine state is shared and replaced, never changed)."""
        key = state_key(machine_state)
        known = self._positions.get(key)
        if known is None:
            names = [machine_state] if isinstance(machine_state, str) else machine_state
            found: dict[str, str] = {}
            for name in names:
                track, stage = self._where[name]
                if stage is not None:
                    found[track] = stage
            known = (found, self.finished(found))
            self.machine.remember(self._positions, key, known)
        return known

    def machine_state(self, positions: Mapping[str, str]) -> str | list[str]:
        """The `machine_state` for a journey whose started tracks are at `positions`.

        Equal positions give the same shared value; the machine replaces it, never changes it.
        """
        key = tuple(map(positions.get, self.tracks))
        value = self._machine_states.get(key)
        if value is None:
            names = [
                initial if stage is None else self._state_of[stage]
                for initial, stage in zip(self._initial, key, strict=True)
            ]
            value = names[0] if len(names) == 1 else names
            self._machine_states[key] = value
        return value

    def fire(self, model: object, trigger: str, agency: str | None, shares: Sequence[str]) -> bool:
        """Drive `model` (a journey) through the shared machine; True if it moved."""
        with self._lock:
            return self.machine.trigger_event(model, trigger, by=agency, shares=tuple(shares))

    def _regions(self) -> list[dict[str, Any]]:
        regions = []
        for track in self.tracks:
            children: list[dict[str, Any]] = [
                {"name": name} for name, rule in self.stages.items() if rule.track == track
            ]
            if track == MAIN_TRACK:
                initial = self.pathway.entry
            else:
                children.insert(0, {"name": NOT_STARTED})
                initial = NOT_STARTED
            regions.append({"name": track, "children": children, "initial": initial})
        return regions

    def _transitions(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for track in self.tracks[1:]:
            entry = self.pathway.tracks[track].entry
            found.append(
                {
                    "trigger": f"start {track}",
                    "source": self.state_name(track, None),
                    "dest": self._state_of[entry],
                }
            )
        for rule in self.handoffs.values():
            guards = _guards(self, rule)
            after = [_fork(self, rule.starts)] if rule.starts else []
            found.extend(
                {
                    "trigger": rule.name,
                    "source": self._state_of[source],
                    "dest": self._state_of[rule.target],
                    "conditions": guards,
                    "after": after,
                }
                for source in sorted(rule.sources)
            )
        return found


def _drop_unused(data: Any, path: tuple[str, ...]) -> None:
    """Remove the key at `path` under `data` wherever it is empty (None, [] or {})."""
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(data, dict):
        children: list[Any] = list(data.values())
    elif head == "[]" and isinstance(data, list):
        children = data
    elif not rest:
        if isinstance(data, dict) and head in data and data[head] in (None, [], {}):
            del data[head]
        return
    else:
        children = [data[head]] if isinstance(data, dict) and head in data else []
    for child in children:
        _drop_unused(child, rest)


_CACHE: dict[str, CompiledPathway] = {}
_CACHE_LOCK = threading.Lock()


def compile_pathway(pathway: Pathway) -> CompiledPathway:
    """The compiled machine for `pathway`, built once per distinct definition and then shared."""
    key = fingerprint(pathway)
    with _CACHE_LOCK:
        compiled = _CACHE.get(key)
        if compiled is None:
            compiled = CompiledPathway(pathway, key)
            _CACHE[key] = compiled
    return compiled


def compiled_here(key: str) -> CompiledPathway | None:
    """The version with fingerprint `key` if this process has compiled it, else None."""
    with _CACHE_LOCK:
        return _CACHE.get(key)


def _guards(compiled: CompiledPathway, rule: HandoffRule) -> list[Callable[[EventData], bool]]:
    """The handoff's guard: one callable, so `transitions` resolves and calls one condition."""

    def allowed(event: EventData) -> bool:
        """The agency may make it, the profile meets its condition, the tracks it waits for
        have finished, and it shares only what it may."""
        kwargs = event.kwargs
        return (
            rule.allows(kwargs.get("by"))
            and rule.holds(_profile_of(event.model))
            and not rule.waiting_for(compiled.positions(_state_of(event.model)))
            and not rule.refused_items(kwargs.get("shares", ()))
        )

    return [allowed]


def _fork(compiled: CompiledPathway, starts: tuple[str, ...]) -> Callable[[EventData], None]:
    def start_tracks(event: EventData) -> None:
        for track in starts:
            if track not in compiled.positions(_state_of(event.model)):
                event.machine.trigger_event(event.model, f"start {track}")

    return start_tracks


def _profile_of(model: object) -> Profile:
    profile: Profile = getattr(model, "profile")  # noqa: B009
    return profile


def _state_of(model: object) -> str | list[str]:
    state: str | list[str] = getattr(model, MODEL_ATTRIBUTE)
    return state
