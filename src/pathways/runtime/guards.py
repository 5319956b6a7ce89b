"""The rules of a pathway as the runtime and the simulator apply them, with no state machine.

`PathwayRules` answers every question about what may happen on a journey, given where its tracks
are (`positions`: track -> stage) and the victim's profile: which handoffs leave those stages,
who may make them, whether the profile meets their conditions, whether they wait for another
track, what may be shared along them, which profile changes are allowed and when a journey is
finished. The compiler builds the `transitions` machine from the same `HandoffRule`s (their
methods are the machine's guards), the runtime uses them to explain refusals, and the simulator
reuses them: there is one copy of each rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pathways.definition.conditions import Condition, compile_predicate, explain
from pathways.definition.durations import Duration
from pathways.definition.profiles import Value
from pathways.definition.schema import MAIN_TRACK, Handoff, Pathway, Stage

__all__ = [
    "HandoffRule",
    "PathwayRules",
    "Predicate",
    "Profile",
    "Refusal",
    "StageRule",
    "Value",
]

Profile = Mapping[str, Value]
Predicate = Callable[[Profile], bool]
RefusalKind = Literal["not-available", "not-authorised", "condition", "waiting", "sharing"]


def _always(profile: Profile) -> bool:
    return True


@dataclass(frozen=True, slots=True, eq=False)
class HandoffRule:
    """Everything needed to decide whether one handoff may happen: the runtime's and simulator's."""

    name: str
    handoff: Handoff
    track: str
    sources: frozenset[str]
    target: str
    agencies: frozenset[str]
    condition: Condition | None
    predicate: Predicate
    shares: frozenset[str]
    starts: tuple[str, ...]
    waits_for: tuple[str, ...]
    within: Duration | None
    timeout: bool
    outcomes: frozenset[str] = field(repr=False)

    def allows(self, agency: str | None) -> bool:
        """May `agency` make this handoff? `None` means by itself, which only timeouts may."""
        return self.timeout if agency is None else agency in self.agencies

    def holds(self, profile: Profile) -> bool:
        """Does the victim's profile meet the condition (always true without one)?"""
        return self.predicate(profile)

    def waiting_for(self, positions: Mapping[str, str]) -> tuple[str, ...]:
        """The tracks it waits for that have started and not yet reached an outcome."""
        return tuple(
            t for t in self.waits_for if t in positions and positions[t] not in self.outcomes
        )

    def refused_items(self, items: Sequence[str]) -> tuple[str, ...]:
        """The items in `items` that may not travel along this handoff."""
        return tuple(item for item in items if item not in self.shares)

    def explain(self) -> str:
        """The condition in words, or 'every victim' when there is none."""
        return "every victim" if self.condition is None else explain(self.condition)


@dataclass(frozen=True, slots=True, eq=False)
class StageRule:
    """One stage as the runtime sees it: its track, owners, time limit and ways out."""

    name: str
    stage: Stage
    track: str
    owners: tuple[str, ...]
    outcome: bool
    within: Duration | None
    exits: tuple[HandoffRule, ...]

    @property
    def timeouts(self) -> tuple[HandoffRule, ...]:
        """The handoffs from here that happen by themselves when their time runs out."""
        return tuple(rule for rule in self.exits if rule.timeout)

    @property
    def label(self) -> str:
        """The stage for people: its title and its name."""
        return f"'{self.stage.title}' ({self.name})"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a handoff cannot happen now, in words, and what would be allowed instead."""

    kind: RefusalKind
    message: str
    stage: str | None
    allowed: tuple[str, ...]


class PathwayRules:
    """The rules of one pathway: stages and handoffs by name, and the questions they answer.

    `tracks` lists the main track first and then the pathway's tracks in the order written.
    """

    def __init__(self, pathway: Pathway) -> None:
        self.pathway = pathway
        self.tracks: tuple[str, ...] = (MAIN_TRACK, *pathway.tracks)
        outcomes = frozenset(n for n, s in pathway.stages.items() if s.kind == "outcome")
        self.handoffs: Mapping[str, HandoffRule] = {
            name: _handoff_rule(pathway, name, handoff, outcomes)
            for name, handoff in pathway.handoffs.items()
        }
        self.stages: Mapping[str, StageRule] = {
            name: StageRule(
                name=name,
                stage=stage,
                track=stage.track,
                owners=pathway.owner_agencies(stage.owner),
                outcome=stage.kind == "outcome",
                within=stage.within,
                exits=tuple(self.handoffs[h] for h in pathway.handoffs_from(name)),
            )
            for name, stage in pathway.stages.items()
        }
        self._profiles: dict[tuple[Value, ...], Mapping[str, Value]] = {}
        self._domains = {
            name: (attribute.flag, frozenset(attribute.domain))
            for name, attribute in pathway.profile.items()
        }

    @property
    def entry(self) -> StageRule:
        """The stage every journey starts at."""
        return self.stages[self.pathway.entry]

    def profile(self, values: Mapping[str, Value]) -> Mapping[str, Value]:
        """The one shared, read-only copy of a (checked) profile: journeys on it share it."""
        key = tuple(values[name] for name in self.pathway.profile)
        shared = self._profiles.get(key)
        if shared is None:
            shared = _ReadOnly({name: values[name] for name in self.pathway.profile})
            self._profiles[key] = shared
        return shared

    def profile_problem(self, values: Mapping[str, object]) -> str | None:
        """What is wrong with a victim profile, in words, or None if it fits the pathway.

        A profile gives exactly one of its declared values for every declared attribute.
        """
        if not isinstance(values, Mapping):
            return "a profile is a set of attribute: value pairs"
        domains = self._domains
        if len(values) == len(domains) and all(
            name in values and _fits(values[name], flag, domain)
            for name, (flag, domain) in domains.items()
        ):
            return None
        declared = self.pathway.profile
        unknown = sorted(str(name) for name in values if name not in declared)
        if unknown:
            return f"the pathway has no profile attribute {', '.join(unknown)}"
        for name, attribute in declared.items():
            if name not in values:
                return f"the profile gives no value for {name} ({_choices(attribute.domain)})"
            if not _is_value(values[name], attribute.domain, attribute.flag):
                return (
                    f"{values[name]!r} is not a value of {name}; "
                    f"it is one of {_choices(attribute.domain)}"
                )
        return None

    def change_refusal(
        self, profile: Profile, attribute: str, value: object
    ) -> tuple[str, tuple[str, ...]] | None:
        """Why `attribute` may not change to `value` now, and the changes that may; or None."""
        declared = self.pathway.profile.get(attribute)
        changeable = tuple(sorted(a for a, attr in self.pathway.profile.items() if attr.changes))
        if declared is None:
            return (f"the pathway has no profile attribute '{attribute}'", changeable)
        current = profile[attribute]
        possible = tuple(
            f"{attribute}: {_word(c.from_)} to {_word(c.to)}"
            for c in declared.changes
            if _same(c.from_, current)
        )
        if not _is_value(value, declared.domain, declared.flag):
            return (f"{value!r} is not a value of {attribute}", possible)
        if value == current:
            return (f"{attribute} is already {_word(current)}", possible)
        for change in declared.changes:
            if _same(change.from_, current) and _same(change.to, value):
                return None
        reason = (
            f"the pathway does not allow {attribute} to change from {_word(current)} "
            f"to {_word(value)}"
        )
        return (reason, possible)

    def change_recorders(self, attribute: str, before: Value, after: Value) -> tuple[str, ...]:
        """The agencies that may record `attribute` changing from `before` to `after`, sorted;
        every agency of the pathway when the change names no one (`by:`)."""
        for change in self.pathway.profile[attribute].changes:
            if _same(change.from_, before) and _same(change.to, after) and change.by:
                return tuple(
                    sorted({a for actor in change.by for a in self.pathway.owner_agencies(actor)})
                )
        return tuple(sorted(self.pathway.agencies))

    def finished(self, positions: Mapping[str, str]) -> bool:
        """True when every started track is at an outcome."""
        return all(self.stages[stage].outcome for stage in positions.values())

    def exits(self, positions: Mapping[str, str]) -> tuple[HandoffRule, ...]:
        """Every handoff leaving a stage the journey is at, track by track."""
        return tuple(
            rule
            for track in self.tracks
            if track in positions
            for rule in self.stages[positions[track]].exits
        )

    def refusal(
        self,
        positions: Mapping[str, str],
        profile: Profile,
        trigger: str,
        agency: str | None,
        shares: Sequence[str] = (),
    ) -> Refusal | None:
        """Why `agency` may not make `trigger` now, or None if it may.

        Checked in this order: the handoff leaves a stage the journey is at, the agency may make
        it, the profile meets its condition, the tracks it waits for have finished, and every
        shared item may travel along it. `agency=None` asks about a timeout happening by itself.
        """
        rule = self.handoffs.get(trigger)
        here = positions.get(rule.track) if rule is not None else None
        if rule is None or here not in rule.sources:
            return self._not_available(positions, trigger, here)
        stage = self.stages[here]
        if not rule.allows(agency):
            return Refusal("not-authorised", self._who(rule, stage, agency), here, self._by(rule))
        if not rule.holds(profile):
            words = rule.explain()
            message = (
                f"'{trigger}' from {stage.label} is only for a victim where {words}; "
                "this victim's profile does not meet that"
            )
            return Refusal("condition", message, here, self._open(positions, profile, agency))
        waiting = rule.waiting_for(positions)
        if waiting:
            titles = ", ".join(self._track_title(t) for t in waiting)
            message = f"'{trigger}' from {stage.label} waits until {titles} has reached an outcome"
            return Refusal("waiting", message, here, waiting)
        refused = rule.refused_items(shares)
        if refused:
            allowed = tuple(sorted(rule.shares))
            may = ", ".join(allowed) if allowed else "nothing"
            message = (
                f"{', '.join(refused)} may not be shared on '{trigger}' from {stage.label}; "
                f"it may share: {may}"
            )
            return Refusal("sharing", message, here, allowed)
        return None

    def agency_name(self, agency: str) -> str:
        """An agency's name for people, or its id if the pathway does not know it."""
        known = self.pathway.agencies.get(agency)
        return known.name if known is not None else agency

    def _track_title(self, track: str) -> str:
        if track == MAIN_TRACK:
            return "the main track"
        return f"the {self.pathway.tracks[track].title} track"

    def _by(self, rule: HandoffRule) -> tuple[str, ...]:
        return tuple(sorted(rule.agencies))

    def _who(self, rule: HandoffRule, stage: StageRule, agency: str | None) -> str:
        allowed = self._by(rule)
        names = ", ".join(self.agency_name(a) for a in allowed)
        if agency is None:
            return (
                f"'{rule.name}' from {stage.label} does not happen by itself; "
                f"it is made by: {names}"
            )
        actor = self.agency_name(agency)
        who = names or "no agency (it happens by itself when its time runs out)"
        return f"{actor} may not make '{rule.name}' from {stage.label}; it may be made by: {who}"

    def _open(
        self, positions: Mapping[str, str], profile: Profile, agency: str | None
    ) -> tuple[str, ...]:
        return tuple(
            rule.name
            for rule in self.exits(positions)
            if rule.allows(agency) and rule.holds(profile) and not rule.waiting_for(positions)
        )

    def _not_available(
        self, positions: Mapping[str, str], trigger: str, here: str | None
    ) -> Refusal:
        possible = tuple(rule.name for rule in self.exits(positions))
        stage = here if here is not None else positions.get(MAIN_TRACK)
        where = " and ".join(self.stages[s].label for s in positions.values()) or "no stage"
        choices = ", ".join(possible) if possible else "none"
        message = f"'{trigger}' is not a handoff from {where}; handoffs from here: {choices}"
        return Refusal("not-available", message, stage, possible)


def _handoff_rule(
    pathway: Pathway, name: str, handoff: Handoff, outcomes: frozenset[str]
) -> HandoffRule:
    agencies = frozenset(a for actor in handoff.by for a in pathway.owner_agencies(actor))
    return HandoffRule(
        name=name,
        handoff=handoff,
        track=pathway.stages[handoff.to].track,
        sources=frozenset(handoff.from_),
        target=handoff.to,
        agencies=agencies,
        condition=handoff.when,
        predicate=_always if handoff.when is None else compile_predicate(handoff.when),
        shares=frozenset(handoff.shares),
        starts=handoff.starts,
        waits_for=handoff.waits_for,
        within=handoff.within,
        timeout=handoff.timeout,
        outcomes=outcomes,
    )


def _fits(value: object, flag: bool, domain: frozenset[Value]) -> bool:
    if flag:
        return type(value) is bool
    return type(value) is str and value in domain


def _is_value(value: object, domain: tuple[Value, ...], flag: bool) -> bool:
    if flag:
        return isinstance(value, bool)
    return isinstance(value, str) and value in domain


def _same(declared: Value, value: object) -> bool:
    return type(declared) is type(value) and declared == value


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"'{value}'"


def _choices(domain: tuple[Value, ...]) -> str:
    return " or ".join(_word(v) for v in domain)


class _ReadOnly(Mapping[str, Value]):
    """A small read-only mapping, shared between journeys with the same profile."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Value]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Value:
        return self._data[key]

    def __iter__(self) -> Any:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(self._data)
