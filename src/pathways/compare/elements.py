"""What is written differently in two pathways: each agency, stage, handoff, condition and time
limit present in one and not the other, or present in both with a different value.

Values are compared as a reader sees them: a condition in plain words ("age group is adult"),
a time limit as "5 working days", a list of names joined with commas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pathways.compare.agencies import REFERENCE_FIELDS, renamed, through
from pathways.definition.conditions import explain
from pathways.definition.durations import Duration
from pathways.definition.schema import Pathway

__all__ = ["ASPECTS", "Difference", "element_differences", "plain"]

#: The kinds of difference, in the order reports list them.
ASPECTS = (
    "agency",
    "role",
    "profile",
    "track",
    "stage",
    "handoff",
    "condition",
    "time limit",
    "check finding",
)

Side = Literal["a", "b"]


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference in `aspect` ("condition") of the `element` ("handoff") called `name`.

    `only_in` is "a" or "b" for a thing only one side has (its summary in `old` for a, `new`
    for b); `None` for a `field` whose value changed from `old` to `new`.
    """

    aspect: str
    element: str
    name: str
    field: str | None = None
    only_in: Side | None = None
    old: str | None = None
    new: str | None = None

    def sort_key(self) -> tuple[int, str, str, str]:
        """By aspect; then things only in a, only in b, then changes; then by name."""
        return (ASPECTS.index(self.aspect), self.only_in or "c", self.name, self.field or "")

    def as_dict(self) -> dict[str, str | None]:
        return {
            "aspect": self.aspect,
            "element": self.element,
            "name": self.name,
            "field": self.field,
            "only_in": self.only_in,
            "old": self.old,
            "new": self.new,
        }


def plain(value: object) -> str:
    """A field's value as a reader sees it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, tuple):
        return ", ".join(plain(v) for v in value) if value else "none"
    if isinstance(value, str):
        return value
    return explain(value)  # type: ignore[arg-type]  # a parsed condition


# section -> (aspect, {field: aspect of a change to it}, summary of one element)
_Summary = Callable[[Pathway, str], str]


def _agency(p: Pathway, name: str) -> str:
    agency = p.agencies[name]
    roles = f" ({', '.join(agency.roles)})" if agency.roles else ""
    return f"{agency.name}{roles}"


def _stage(p: Pathway, name: str) -> str:
    stage = p.stages[name]
    return f"{stage.title}, {stage.kind}, owned by {stage.owner}"


def _handoff(p: Pathway, name: str) -> str:
    handoff = p.handoffs[name]
    text = f"{', '.join(handoff.from_)} -> {handoff.to}"
    if handoff.when is not None:
        text += f" if {explain(handoff.when)}"
    return text


_SECTIONS: dict[str, tuple[str, dict[str, str], _Summary]] = {
    "agencies": ("agency", {}, _agency),
    "roles": ("role", {}, lambda p, n: p.roles[n].title),
    "profile": ("profile", {}, lambda p, n: plain(p.profile[n].domain)),
    "tracks": ("track", {}, lambda p, n: p.tracks[n].title),
    "stages": ("stage", {"within": "time limit", "at_least": "time limit"}, _stage),
    "handoffs": ("handoff", {"when": "condition", "within": "time limit"}, _handoff),
}
_SKIP = frozenset({"description", "cites"})


def element_differences(a: Pathway, b: Pathway) -> list[Difference]:
    """Every difference in agencies, roles, profile, tracks, stages and handoffs, sorted.

    Agencies that are the same but for their name (`compare.agencies`) are one difference
    each, field `renamed`, and owners and `by` lists are compared through the new names.
    """
    pairs = renamed(a, b)
    found: list[Difference] = [
        Difference(
            "agency",
            "agency",
            f"{old} -> {new}",
            "renamed",
            None,
            a.agencies[old].name,
            b.agencies[new].name,
        )
        for old, new in pairs.items()
    ]
    if a.entry != b.entry:
        found.append(Difference("stage", "pathway", "entry", "entry", None, a.entry, b.entry))
    for section, (aspect, special, summary) in _SECTIONS.items():
        left: Mapping[str, object] = getattr(a, section)
        right: Mapping[str, object] = getattr(b, section)
        paired = set(pairs) | set(pairs.values()) if section == "agencies" else set()
        for name in left.keys() - right.keys() - paired:
            found.append(Difference(aspect, aspect, name, None, "a", old=summary(a, name)))
        for name in right.keys() - left.keys() - paired:
            found.append(Difference(aspect, aspect, name, None, "b", new=summary(b, name)))
        for name in left.keys() & right.keys():
            found.extend(_fields(aspect, special, name, left[name], right[name], pairs))
    return sorted(found, key=Difference.sort_key)


def _fields(
    aspect: str,
    special: Mapping[str, str],
    name: str,
    old: object,
    new: object,
    pairs: Mapping[str, str],
) -> Iterable[Difference]:
    if old == new:
        return
    for field in type(old).model_fields:  # type: ignore[attr-defined]  # a pydantic model
        if field in _SKIP:
            continue
        before, after = getattr(old, field), getattr(new, field)
        if field.rstrip("_") in REFERENCE_FIELDS and through(before, pairs) == after:
            continue
        if field == "when":
            before, after = _when(before), _when(after)
        if before != after:
            shown = field.rstrip("_")
            kind = special.get(field, aspect)
            yield Difference(kind, aspect, name, shown, None, plain(before), plain(after))


def _when(condition: object) -> str | None:
    return None if condition is None else explain(condition)  # type: ignore[arg-type]
