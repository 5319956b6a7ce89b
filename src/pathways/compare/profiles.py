"""Routes that differ for the same victim: the stages and outcomes each area's pathway can take
a victim to, compared profile by profile over the attributes both pathways declare.

When one pathway declares an attribute the other does not (or a value the other lacks), the
comparison is made over what both declare: a stage counts as reachable for a shared profile when
at least one victim of that profile can reach it. Profiles with the same differences are grouped
and described in plain words ("age group adult and consent declined").
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.definition.profiles import ProfileSpace, Value
from pathways.definition.schema import Pathway
from pathways.graph.reach import reach

__all__ = ["RouteDifference", "route_differences", "shared_space"]


@dataclass(frozen=True, slots=True)
class RouteDifference:
    """For the victims in `profiles`: stages and outcomes only one pathway can take them to.

    Stages are those both pathways have (by name); outcomes are outcome kinds ("supported").
    """

    profiles: str
    count: int
    stages_only_a: tuple[str, ...] = ()
    stages_only_b: tuple[str, ...] = ()
    outcomes_only_a: tuple[str, ...] = ()
    outcomes_only_b: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "profiles": self.profiles,
            "count": self.count,
            "stages_only_a": list(self.stages_only_a),
            "stages_only_b": list(self.stages_only_b),
            "outcomes_only_a": list(self.outcomes_only_a),
            "outcomes_only_b": list(self.outcomes_only_b),
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


def _projected(pathway: Pathway, space: ProfileSpace) -> dict[str, int]:
    """For each stage, the shared profiles (bitmask over `space`) of which someone reaches it."""
    own = pathway.profile_space
    extensions: list[int] = []
    for index in range(space.size):
        mask = own.all_mask
        for name, value in space.profile(index).items():
            mask &= own.mask_where(name, value)
        extensions.append(mask)
    result: dict[str, int] = {}
    for stage, bits in reach(pathway).items():
        shared = 0
        for index, extension in enumerate(extensions):
            if bits & extension:
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


def route_differences(a: Pathway, b: Pathway, space: ProfileSpace) -> list[RouteDifference]:
    """Groups of shared profiles for whom the two pathways reach different places."""
    reach_a, reach_b = _projected(a, space), _projected(b, space)
    outcomes_a, outcomes_b = _outcomes(a, reach_a), _outcomes(b, reach_b)
    common = [name for name in a.stages if name in b.stages]
    kinds = sorted(outcomes_a.keys() | outcomes_b.keys())
    groups: dict[tuple[tuple[str, ...], ...], int] = {}
    for index in range(space.size):
        bit = 1 << index
        key = (
            tuple(s for s in common if reach_a.get(s, 0) & bit and not reach_b.get(s, 0) & bit),
            tuple(s for s in common if reach_b.get(s, 0) & bit and not reach_a.get(s, 0) & bit),
            tuple(
                k for k in kinds if outcomes_a.get(k, 0) & bit and not outcomes_b.get(k, 0) & bit
            ),
            tuple(
                k for k in kinds if outcomes_b.get(k, 0) & bit and not outcomes_a.get(k, 0) & bit
            ),
        )
        if any(key):
            groups[key] = groups.get(key, 0) | bit
    differences = [
        RouteDifference(space.describe(mask), space.count(mask), *key)
        for key, mask in groups.items()
    ]
    return sorted(differences, key=lambda d: (-d.count, d.profiles))
