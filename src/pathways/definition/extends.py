"""Apply `extends`: an area's file laid over the pathway it builds on.

An area file *adds* agencies, roles, stages, handoffs and so on under the usual keys, and
changes the base only where it says so: `replace:` swaps a base stage or handoff for its own,
`remove:` takes one out. Adding something the base already has, or replacing or removing
something it does not, is an error with a hint, so nothing changes by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pathways.definition.checks_config import ChecksConfig
from pathways.definition.located import Positions
from pathways.definition.messages import did_you_mean, one_of, singular
from pathways.definition.schema import (
    Pathway,
    PathwayDocument,
    Removals,
    Replacements,
)
from pathways.errors import Problem

__all__ = ["Parts", "merge", "standalone"]

Place = tuple[Positions, tuple[str | int, ...]]
Result = tuple[dict[str, Any], dict[tuple[str, str], Place], set[tuple[str, str]], list[Problem]]

ADDITIVE = (
    "sources",
    "assumptions",
    "roles",
    "agencies",
    "duties",
    "profile",
    "information",
    "tracks",
    "stages",
    "handoffs",
    "transfers",
)
OWN = ("id", "title", "area", "version", "status", "baseline", "about")


@dataclass
class Parts:
    """One file's validated pieces: its header and each section's valid entries."""

    header: PathwayDocument
    entries: dict[str, dict[str, Any]]
    replacements: Replacements
    broken: set[tuple[str, str]]
    positions: Positions

    def section(self, name: str) -> dict[str, Any]:
        if name == "assumptions":
            return dict(self.header.assumptions)
        return self.entries[name]


def standalone(parts: Parts) -> Result:
    """A file that extends nothing: its own entries, and `replace`/`remove` are errors."""
    header = parts.header
    fields: dict[str, Any] = {key: getattr(header, key) for key in OWN}
    fields["entry"] = header.entry
    fields["checks"] = header.checks
    fields["actions"] = header.actions
    places: dict[tuple[str, str], Place] = {("file", "entry"): (parts.positions, ("entry",))}
    for section in ADDITIVE:
        fields[section] = parts.section(section)
        for name in fields[section]:
            places[(section, name)] = (parts.positions, (section, name))
    places.update(_check_places(header.checks, parts.positions, 0))
    problems = [
        Problem(
            "nothing-to-change",
            f"'{key}:' changes the pathway this one extends, but it extends none",
            parts.positions.key((key,)) or parts.positions.nearest((key,)),
            expected="'extends: <id>' when a file replaces or removes",
            hint=f"add 'extends: national/england', or move these entries out of '{key}:'",
        )
        for key in ("replace", "remove")
        if getattr(header, key) is not None
    ]
    return fields, places, set(parts.broken), problems


def merge(base: Pathway, parts: Parts) -> Result:
    """`parts` laid over `base`: additions, then replacements, then removals."""
    header = parts.header
    at = parts.positions
    origin = base._origin
    merged = _Merged(
        fields={key: getattr(header, key) for key in OWN},
        places=dict(origin.places) if origin else {},
        broken=set(parts.broken),
        problems=[],
        at=at,
    )
    merged.fields["entry"] = header.entry or base.entry
    if header.entry:
        merged.places[("file", "entry")] = (at, ("entry",))
    # where a finding about something the base wrote is fixed in this file (checks' `inherited`)
    merged.places[("file", "extends")] = (at, ("extends",))
    merged.places[("file", "agencies")] = (
        at,
        ("agencies",) if parts.entries["agencies"] else ("extends",),
    )
    merged.fields["checks"] = _checks(base.checks, header.checks)
    before = len(base.checks.suppress) if base.checks is not None else 0
    merged.places.update(_check_places(header.checks, at, before))
    merged.fields["actions"] = header.actions or base.actions
    merged.add(base, parts)
    merged.replace(parts.replacements)
    if header.remove is not None:
        merged.remove(header.remove, entry_given=bool(header.entry))
    return merged.fields, merged.places, merged.broken, merged.problems


@dataclass
class _Merged:
    """The pathway being laid over its base, and the problems found doing it."""

    fields: dict[str, Any]
    places: dict[tuple[str, str], Place]
    broken: set[tuple[str, str]]
    problems: list[Problem]
    at: Positions

    def add(self, base: Pathway, parts: Parts) -> None:
        """The base's entries of each section, with this file's added (never overwritten)."""
        for section in ADDITIVE:
            merged = dict(getattr(base, section))
            for name, entry in parts.section(section).items():
                if name in merged:
                    self.problems.append(_already(section, name, base.id, self.at))
                    continue
                merged[name] = entry
                self.places[(section, name)] = (self.at, (section, name))
            self.fields[section] = merged

    def replace(self, replacements: Replacements) -> None:
        """Base stages and handoffs swapped for this file's own."""
        for section in ("stages", "handoffs"):
            merged = self.fields[section]
            for name, entry in getattr(replacements, section).items():
                if name not in merged:
                    self.problems.append(_missing("replace", section, name, merged, self.at))
                    continue
                merged[name] = entry
                self.places[(section, name)] = (self.at, ("replace", section, name))

    def remove(self, removals: Removals, *, entry_given: bool) -> None:
        """Base stages, handoffs and tracks taken out, and what their removal leaves behind."""
        at = self.at
        for section in ("stages", "handoffs"):
            merged = self.fields[section]
            for i, name in enumerate(getattr(removals, section)):
                if name not in merged:
                    self.problems.append(_missing("remove", section, name, merged, at, i))
                    continue
                del merged[name]
                self.places.pop((section, name), None)
                self.broken.add((section, name))
        self.remove_tracks(removals.tracks)
        self.problems.extend(_dangling(self.fields, removals.stages, at))
        entry = self.fields["entry"]
        if entry in removals.stages and not entry_given:
            i = removals.stages.index(entry)
            self.problems.append(
                Problem(
                    "unknown-stage",
                    f"removing stage '{entry}' removes the stage where journeys start",
                    at.value(("remove", "stages", i)) or at.nearest(("remove", "stages")),
                    expected="an 'entry:' naming a stage that remains",
                    hint="set 'entry:' in this file to the stage journeys now start at",
                )
            )

    def remove_tracks(self, tracks: tuple[str, ...]) -> None:
        """Base tracks taken out; a stage or handoff still using one is a problem."""
        for i, name in enumerate(tracks):
            if name not in self.fields["tracks"]:
                self.problems.append(
                    _missing("remove", "tracks", name, self.fields["tracks"], self.at, i)
                )
                continue
            self.fields["tracks"] = {k: v for k, v in self.fields["tracks"].items() if k != name}
            self.places.pop(("tracks", name), None)
            self.broken.add(("tracks", name))
            self.problems.extend(_track_in_use(self.fields, name, i, self.at))


def _check_places(
    checks: ChecksConfig | None, at: Positions, before: int
) -> dict[tuple[str, str], Place]:
    """Where a file's `checks:` entries are written: `("checks", "rules.<id>")` and
    `("checks", "suppress.<n>")`, numbered after the `before` suppressions of its bases."""
    if checks is None:
        return {}
    places: dict[tuple[str, str], Place] = {
        ("checks", f"rules.{rule_id}"): (at, ("checks", "rules", rule_id))
        for rule_id in checks.rules
    }
    for index in range(len(checks.suppress)):
        places[("checks", f"suppress.{before + index}")] = (at, ("checks", "suppress", index))
    return places


def _checks(base: ChecksConfig | None, own: ChecksConfig | None) -> ChecksConfig | None:
    if base is None or own is None:
        return own or base
    return ChecksConfig.model_construct(
        preset=own.preset or base.preset,
        rules={**base.rules, **own.rules},
        suppress=(*base.suppress, *own.suppress),
    )


def _already(section: str, name: str, base_id: str, at: Positions) -> Problem:
    changeable = section in ("stages", "handoffs")
    hint = (
        f"to change it, list it under 'replace: {section}:'; to add a new one, pick a new name"
        if changeable
        else f"pick another name: an area adds to the {section} of '{base_id}' "
        "but cannot change them"
    )
    return Problem(
        "already-defined",
        f"{singular(section)} '{name}' is already defined by '{base_id}'",
        at.key((section, name)) or at.nearest((section, name)),
        expected=f"a name that '{base_id}' does not use",
        hint=hint,
    )


def _missing(
    verb: str,
    section: str,
    name: str,
    merged: dict[str, Any],
    at: Positions,
    index: int | None = None,
) -> Problem:
    path: tuple[str | int, ...] = (verb, section, name) if index is None else (verb, section, index)
    return Problem(
        "not-in-base",
        f"cannot {verb} {singular(section)} '{name}': the pathway this one extends has none",
        at.key(path) or at.value(path) or at.nearest(path),
        expected=one_of(sorted(merged), none=f"nothing: it has no {section}"),
        hint=did_you_mean(name, merged)
        or (
            f"to add a new one, list it under '{section}:'"
            if verb == "replace"
            else "check the name against the pathway it extends"
        ),
    )


def _track_in_use(fields: dict[str, Any], track: str, i: int, at: Positions) -> list[Problem]:
    """Everything a removed track leaves behind, in one problem so one round of edits fixes
    it: its stages, the handoffs that start it or wait for it, and the handoffs to or from its
    stages (which would dangle once the stages go)."""
    stages, touching, starting = _left_by(fields, track)
    if not stages and not starting:
        return []
    left, hint, replace = [], [], ""
    if stages:
        left.append(f"{'stage' if len(stages) == 1 else 'stages'} {_quoted(stages)} on it")
        hint.append(f"stages: [{', '.join(stages)}]")
    if touching:
        one = len(touching) == 1
        left.append(f"{'handoff' if one else 'handoffs'} {_quoted(touching)} to or from them")
        hint.append(f"handoffs: [{', '.join(touching)}]")
    if starting:
        one = len(starting) == 1
        verbs = "starts it or waits for it" if one else "start it or wait for it"
        left.append(f"{'handoff' if one else 'handoffs'} {_quoted(starting)} that {verbs}")
        replace = f"replace {_quoted(starting)} (or remove {'it' if one else 'them'})"
    return [
        Problem(
            "track-in-use",
            f"removing track '{track}' leaves {', '.join(left[:-1])}"
            + (" and " if len(left) > 1 else "")
            + left[-1],
            at.value(("remove", "tracks", i)) or at.nearest(("remove", "tracks")),
            expected="a removed track's stages and their handoffs removed too, and no handoff "
            "starting it",
            hint="; ".join(
                part
                for part in (f"under 'remove:', add {' and '.join(hint)}" if hint else "", replace)
                if part
            ),
        )
    ]


def _left_by(fields: dict[str, Any], track: str) -> tuple[list[str], list[str], list[str]]:
    """A removed track's stages, the other handoffs to or from them, and the handoffs that
    start it or wait for it."""
    stages = sorted(n for n, s in fields["stages"].items() if s.track == track)
    on = set(stages)
    starting = sorted(
        n for n, h in fields["handoffs"].items() if track in h.starts or track in h.waits_for
    )
    touching = sorted(
        n
        for n, h in fields["handoffs"].items()
        if n not in starting and (h.to in on or on.intersection(h.from_))
    )
    return stages, touching, starting


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _dangling(fields: dict[str, Any], removed: tuple[str, ...], at: Positions) -> list[Problem]:
    """Handoffs left pointing at a stage that `remove:` took out."""
    problems = []
    gone = set(removed)
    for i, stage in enumerate(removed):
        users = sorted(
            name
            for name, handoff in fields["handoffs"].items()
            if handoff.to == stage or stage in handoff.from_
        )
        if stage in gone and users:
            problems.append(
                Problem(
                    "dangling-handoff",
                    f"removing stage '{stage}' leaves "
                    f"{'handoff' if len(users) == 1 else 'handoffs'} "
                    f"{', '.join(repr(u) for u in users)} going to or from it",
                    at.value(("remove", "stages", i)) or at.nearest(("remove", "stages")),
                    expected="every handoff to or from a removed stage removed or replaced too",
                    hint="add them under 'remove: handoffs:' or 'replace: handoffs:'",
                )
            )
    return problems
