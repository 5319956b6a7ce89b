"""Routes that differ for the same victim: the stages each area's pathway can take a victim to,
the stages it always takes them through, and the outcomes it can end in, compared profile by
profile over the attributes both pathways declare.

Every stage of either pathway counts, so a stage one area adds is reported for the victims who
reach it ("reaches only in York: 'mash'"), and so is a stage one area always takes a victim
through ("always goes through, only in York: 'mash'": every route of theirs that ends at an
outcome passes it). When one pathway declares an attribute the other does not (or a value the
other lacks), the comparison is made over what both declare: a stage counts as reachable for a
shared profile when at least one victim of that profile can reach it, and as always passed when
every victim of that profile who can finish passes it. Profiles with the same differences are
grouped and described in plain words ("age group adult and consent declined").
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.definition.profiles import ProfileSpace, Value
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.graph.reach import reach

__all__ = ["RouteDifference", "always_through", "route_differences", "shared_space"]


@dataclass(frozen=True, slots=True)
class RouteDifference:
    """For the victims in `profiles`: stages and outcomes only one pathway can take them to, and
    stages only one pathway always takes them through.

    Stages are those of either pathway (by name); outcomes are outcome kinds ("supported").
    """

    profiles: str
    count: int
    stages_only_a: tuple[str, ...] = ()
    stages_only_b: tuple[str, ...] = ()
    outcomes_only_a: tuple[str, ...] = ()
    outcomes_only_b: tuple[str, ...] = ()
    always_only_a: tuple[str, ...] = ()
    always_only_b: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "profiles": self.profiles,
            "count": self.count,
            "stages_only_a": list(self.stages_only_a),
            "stages_only_b": list(self.stages_only_b),
            "outcomes_only_a": list(self.outcomes_only_a),
            "outcomes_only_b": list(self.outcomes_only_b),
            "always_only_a": list(self.always_only_a),
            "always_only_b": list(self.always_only_b),
        }


def shared_space(a: Pathway, b: Pathway) -> tuple[ProfileSpace, tuple[str, ...]]:
    """The profiles both pathways can describe, and the attributes left out of it."""
    domains: dict[str, tuple[Value, ...]] = {}
    left_out: list[str] = []
    for name, attribute in a.profile.items():
        other = b.profile.get(name)
        values = () if other is None else tuple(v for v in attribute.domain if v in other.domain)
        if values:
            domains[name] = values
        else:
            left_out.append(name)
    left_out.extend(name for name in b.profile if name not in a.profile)
    return ProfileSpace(domains), tuple(left_out)


def _extensions(pathway: Pathway, space: ProfileSpace) -> list[int]:
    """For each shared profile, the pathway's own profiles (bitmask) that it stands for."""
    own = pathway.profile_space
    extensions: list[int] = []
    for index in range(space.size):
        mask = own.all_mask
        for name, value in space.profile(index).items():
            mask &= own.mask_where(name, value)
        extensions.append(mask)
    return extensions


def _some(masks: dict[str, int], extensions: list[int]) -> dict[str, int]:
    """Own-profile masks to shared ones: a shared profile counts when any of its own does."""
    result: dict[str, int] = {}
    for stage, bits in masks.items():
        shared = 0
        for index, extension in enumerate(extensions):
            if bits & extension:
                shared |= 1 << index
        result[stage] = shared
    return result


def _finishing(pathway: Pathway, found: dict[str, int]) -> int:
    """The profiles (own bitmask) that reach an outcome stage of the main track."""
    bits = 0
    for stage, mask in found.items():
        rule = pathway.stages[stage]
        if rule.outcome is not None and rule.track == MAIN_TRACK:
            bits |= mask
    return bits


def always_through(pathway: Pathway) -> dict[str, int]:
    """For each stage, the profiles (own bitmask) that can finish and cannot without passing it.

    "Finish" is to reach an outcome stage of the main track; a stage is always passed by a
    profile when, with that stage closed, the profile can no longer finish.
    """
    full = reach(pathway)
    finishing = _finishing(pathway, full)
    result: dict[str, int] = {}
    for stage in full:
        if pathway.stages[stage].track != MAIN_TRACK:
            continue
        without = _finishing(pathway, reach(pathway, closed=frozenset({stage})))
        bits = full[stage] & finishing & ~without
        if bits:
            result[stage] = bits
    return result


def _every(masks: dict[str, int], finishing: int, extensions: list[int]) -> dict[str, int]:
    """Own masks to shared ones: a shared profile counts when every own profile of it that can
    finish does (and at least one can)."""
    result: dict[str, int] = {}
    for stage, bits in masks.items():
        shared = 0
        for index, extension in enumerate(extensions):
            able = extension & finishing
            if able and able & bits == able:
                shared |= 1 << index
        result[stage] = shared
    return result


def _outcomes(pathway: Pathway, found: dict[str, int]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for stage, bits in found.items():
        outcome = pathway.stages[stage].outcome
        if outcome is not None:
            kinds[outcome] = kinds.get(outcome, 0) | bits
    return kinds


@dataclass(frozen=True, slots=True)
class _Side:
    """One pathway's routes over the shared profiles."""

    reached: dict[str, int]
    always: dict[str, int]
    outcomes: dict[str, int]

    @classmethod
    def of(cls, pathway: Pathway, space: ProfileSpace) -> _Side:
        extensions = _extensions(pathway, space)
        found = reach(pathway)
        reached = _some(found, extensions)
        always = _every(always_through(pathway), _finishing(pathway, found), extensions)
        return cls(reached, always, _outcomes(pathway, reached))


def _only(
    names: list[str], mine: dict[str, int], theirs: dict[str, int], bit: int
) -> tuple[str, ...]:
    return tuple(n for n in names if mine.get(n, 0) & bit and not theirs.get(n, 0) & bit)


def route_differences(a: Pathway, b: Pathway, space: ProfileSpace) -> list[RouteDifference]:
    """Groups of shared profiles for whom the two pathways reach different places."""
    side_a, side_b = _Side.of(a, space), _Side.of(b, space)
    stages = [*a.stages, *(name for name in b.stages if name not in a.stages)]
    kinds = sorted(side_a.outcomes.keys() | side_b.outcomes.keys())
    groups: dict[tuple[tuple[str, ...], ...], int] = {}
    for index in range(space.size):
        bit = 1 << index
        key = (
            _only(stages, side_a.reached, side_b.reached, bit),
            _only(stages, side_b.reached, side_a.reached, bit),
            _only(kinds, side_a.outcomes, side_b.outcomes, bit),
            _only(kinds, side_b.outcomes, side_a.outcomes, bit),
            _only(stages, side_a.always, side_b.always, bit),
            _only(stages, side_b.always, side_a.always, bit),
        )
        if any(key):
            groups[key] = groups.get(key, 0) | bit
    differences = [
        RouteDifference(space.describe(mask), space.count(mask), *key)
        for key, mask in groups.items()
    ]
    return sorted(differences, key=lambda d: (-d.count, d.profiles))
