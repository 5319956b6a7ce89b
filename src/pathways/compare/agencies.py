"""Agencies that fill the same roles under other names in two areas, paired so that the
comparison reports the renaming once instead of in every owner and `by` list.

Two areas' pathways name their own council, police force and panels: Hull's
`hull-city-council` is East Riding's `east-riding-council`. An agency only one pathway has is
paired with an agency only the other has when both fill exactly the same roles and duties, are
first responders or not and public authorities or not alike, and no other unpaired agency of
either side has the same description. Owners and `by` lists are then compared through the
pairing, so a stage owned by `hull-city-council` in one and `east-riding-council` in the other
is not a difference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from pathways.definition.schema import Agency, Pathway

__all__ = ["REFERENCE_FIELDS", "renamed", "through"]

#: The fields of stages, handoffs and duties that name agencies (or roles).
REFERENCE_FIELDS = frozenset({"owner", "by"})

_Signature = tuple[tuple[str, ...], tuple[str, ...], bool, bool]


def _signature(agency: Agency) -> _Signature:
    return (
        tuple(sorted(agency.roles)),
        tuple(sorted(agency.duties)),
        agency.first_responder,
        agency.public_authority,
    )


def renamed(a: Pathway, b: Pathway) -> dict[str, str]:
    """Agencies only in `a` mapped to the agency only in `b` that is the same but for its name."""
    sides: dict[_Signature, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for name, agency in a.agencies.items():
        if name not in b.agencies:
            sides[_signature(agency)][0].append(name)
    for name, agency in b.agencies.items():
        if name not in a.agencies:
            sides[_signature(agency)][1].append(name)
    pairs: dict[str, str] = {}
    for signature, (left, right) in sides.items():
        if len(left) == 1 and len(right) == 1 and any(signature[:2]):
            pairs[left[0]] = right[0]
    return dict(sorted(pairs.items()))


def through(value: object, pairs: Mapping[str, str]) -> object:
    """`value` (an agency name or a tuple of names) with each paired agency renamed."""
    if isinstance(value, str):
        return pairs.get(value, value)
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(pairs.get(v, v) for v in value)
    return value
