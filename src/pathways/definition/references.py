"""Check that everything a pathway names exists and fits together.

The schema checks each stage, handoff and agency on its own; this module checks them against
each other once `extends` has been applied: a handoff must go to a stage that exists, a stage
must be owned by a role or agency the pathway declares, a condition may only speak of profile
attributes and values that exist, every role used must be filled by an agency in this area.
Names that exist but failed their own validation are not reported again here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pathways.definition.bindings import check_bindings
from pathways.definition.handoff_references import check_handoff
from pathways.definition.lifecycle_references import check_lifecycle
from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.resolver import Resolver
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.definition.vocabulary import DOMAIN_TAGS
from pathways.errors import Problem

__all__ = ["check_references"]


class _Checker(Resolver):
    """The pathway's own entries against each other: entry, agencies, duties, profile,
    tracks and stages; handoffs and bindings are checked by their own modules."""

    def run(self) -> list[Problem]:
        self.entry()
        for name in self.p.agencies:
            self.agency(name)
        for name in self.p.duties:
            self.duty(name)
        for name in self.p.profile:
            self.attribute(name)
        for name, item in self.p.information.items():
            if item.lawful_basis is not None:
                self.citations("information", name, item.lawful_basis.cites, ("lawful_basis",))
        for name in self.p.tracks:
            self.track(name)
        for name in self.p.stages:
            self.stage(name)
        for name in self.p.handoffs:
            check_handoff(self, name)
        check_bindings(self)
        check_lifecycle(self)
        self.inherited_first()
        return self.problems

    def entry(self) -> None:
        entry = self.p.entry
        if entry and entry not in self.p.stages and ("stages", entry) not in self.broken:
            place = self.p._origin.places.get(("file", "entry")) if self.p._origin else None
            at = place[0].value(place[1]) if place is not None else None
            self.problems.append(
                Problem(
                    "unknown-stage",
                    f"journeys start at '{entry}', which is not a stage",
                    at,
                    expected=one_of(sorted(self.p.stages), none="a stage declared under stages:"),
                    hint=did_you_mean(entry, self.p.stages)
                    or "name the first stage of every journey in 'entry:'",
                )
            )
        if entry and entry in self.p.stages and self.p.stages[entry].track != MAIN_TRACK:
            self.problems.append(
                Problem(
                    "track-entry-mismatch",
                    f"the journey starts at '{entry}', which is on track "
                    f"'{self.p.stages[entry].track}', not the main track",
                    self.at("stages", entry, "track"),
                    expected="an entry stage on the main track",
                    hint="start the journey at a main-track stage and start other tracks "
                    "from a handoff with 'starts:'",
                )
            )

    def agency(self, name: str) -> None:
        agency = self.p.agencies[name]
        for i, role in enumerate(agency.roles):
            self.ref(
                "unknown-role",
                f"agency '{name}' fills role",
                role,
                "roles",
                self.p.roles,
                self.at("agencies", name, "roles", i),
                "declare the role under roles:, or fix the name",
            )
        for i, duty in enumerate(agency.duties):
            self.ref(
                "unknown-duty",
                f"agency '{name}' holds duty",
                duty,
                "duties",
                self.p.duties,
                self.at("agencies", name, "duties", i),
                "declare the duty under duties:",
            )
        self.citations("agencies", name, agency.cites)

    def duty(self, name: str) -> None:
        duty = self.p.duties[name]
        self.ref(
            "unknown-owner",
            f"duty '{name}' is owned by",
            duty.owner,
            "roles",
            self.actors,
            self.at("duties", name, "owner"),
            "name a role or agency declared in this pathway",
        )
        self.citations("duties", name, duty.cites)

    def attribute(self, name: str) -> None:
        attribute = self.p.profile[name]
        at = self.at("profile", name)
        if attribute.flag and attribute.values:
            self.problems.append(
                Problem(
                    "attribute-values",
                    f"profile attribute '{name}' is a flag and also lists values",
                    at,
                    expected="either 'flag: true' or a list of 'values:'",
                    hint="a flag's values are always true and false; remove 'values:'",
                )
            )
        elif not attribute.flag and len(attribute.values) < 2:
            self.problems.append(
                Problem(
                    "attribute-values",
                    f"profile attribute '{name}' needs at least two values",
                    at,
                    expected="'values: [a, b, ...]' or 'flag: true'",
                    hint="an attribute with one value cannot tell victims apart",
                )
            )
        for value in _duplicates(attribute.values):
            self.problems.append(
                Problem(
                    "duplicate-value",
                    f"profile attribute '{name}' lists '{value}' twice",
                    self.at("profile", name, "values"),
                    hint="remove one of them",
                )
            )
        domain = attribute.domain
        for i, change in enumerate(attribute.changes):
            for key, value in (("from", change.from_), ("to", change.to)):
                if value not in domain:
                    self.problems.append(
                        Problem(
                            "unknown-value",
                            f"profile attribute '{name}' may change {key} '{value}', "
                            "which is not one of its values",
                            self.at("profile", name, "changes", i, key),
                            expected=one_of(domain),
                            hint=did_you_mean(value, domain) or "use one of its values",
                        )
                    )
            for j, actor in enumerate(change.by):
                self.ref(
                    "unknown-role",
                    f"a change of profile attribute '{name}' is recorded by",
                    actor,
                    "roles",
                    self.actors,
                    self.at("profile", name, "changes", i, "by", j),
                    "name a role or agency declared in this pathway",
                )

    def track(self, name: str) -> None:
        track = self.p.tracks[name]
        at = self.at("tracks", name, "entry")
        if name == MAIN_TRACK:
            self.problems.append(
                Problem(
                    "reserved-name",
                    "'main' is the name of the journey's own track",
                    self.at("tracks", name),
                    hint="give the parallel track another name, such as 'police'",
                )
            )
            return
        self.ref(
            "unknown-stage",
            f"track '{name}' starts at",
            track.entry,
            "stages",
            self.p.stages,
            at,
            "name a stage of that track",
        )
        stage = self.p.stages.get(track.entry)
        if stage is not None and stage.track != name:
            # a baseline's track whose entry the area moved: fixed at the stage's track
            place, inherited = self.place(at, ("stages", track.entry, "track"))
            self.problems.append(
                Problem(
                    "track-entry-mismatch",
                    f"track '{name}' starts at '{track.entry}', which is on track '{stage.track}'",
                    place,
                    inherited=inherited,
                    expected=f"a stage with 'track: {name}'",
                    hint=f"add 'track: {name}' to stage '{track.entry}', or pick another",
                )
            )

    def stage(self, name: str) -> None:
        stage = self.p.stages[name]
        self.ref(
            "unknown-owner",
            f"stage '{name}' is owned by",
            stage.owner,
            "roles",
            self.actors,
            self.at("stages", name, "owner"),
            "name a role or agency declared in this pathway",
        )
        if stage.track != MAIN_TRACK:
            self.ref(
                "unknown-track",
                f"stage '{name}' is on track",
                stage.track,
                "tracks",
                self.p.tracks,
                self.at("stages", name, "track"),
                "declare the track under tracks:",
            )
        if (stage.kind == "outcome") != (stage.outcome is not None):
            self.problems.append(
                Problem(
                    "outcome-mismatch",
                    f"stage '{name}' is of kind '{stage.kind}' "
                    + ("and names an outcome" if stage.outcome else "but names no outcome"),
                    self.at("stages", name, "kind"),
                    expected="'kind: outcome' together with 'outcome: ...', or neither",
                    hint="an outcome stage ends its track: add 'outcome:' saying which outcome"
                    if not stage.outcome
                    else "make it 'kind: outcome', or remove 'outcome:'",
                )
            )
        for field in ("collects", "needs"):
            for i, item in enumerate(getattr(stage, field)):
                self.ref(
                    "unknown-information",
                    f"stage '{name}' {field}",
                    item,
                    "information",
                    self.p.information,
                    self.at("stages", name, field, i),
                    "declare the item under information:",
                )
        for i, duty in enumerate(stage.basis):
            self.ref(
                "unknown-duty",
                f"stage '{name}' rests on duty",
                duty,
                "duties",
                self.p.duties,
                self.at("stages", name, "basis", i),
                "declare the duty under duties:",
            )
        for i, tag in enumerate(stage.tags):
            self.ref(
                "unknown-tag",
                f"stage '{name}' is tagged",
                tag,
                "tags",
                DOMAIN_TAGS,
                self.at("stages", name, "tags", i),
                "see the list of tags in the reference",
            )
        self.citations("stages", name, stage.cites)


def _duplicates(values: Iterable[object]) -> Iterator[object]:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            yield value
        seen.add(value)


def check_references(
    pathway: Pathway, broken: frozenset[tuple[str, str]] = frozenset()
) -> list[Problem]:
    """Every reference problem in `pathway`; `broken` names entries that failed validation."""
    return _Checker(pathway, broken).run()
