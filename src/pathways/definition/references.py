"""Check that everything a pathway names exists and fits together.

The schema checks each stage, handoff and agency on its own; this module checks them against
each other once `extends` has been applied: a handoff must go to a stage that exists, a stage
must be owned by a role or agency the pathway declares, a condition may only speak of profile
attributes and values that exist, every role used must be filled by an agency in this area.
Names that exist but failed their own validation are not reported again here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pathways.definition.conditions import validate as validate_condition
from pathways.definition.messages import did_you_mean, offset_location, one_of, singular
from pathways.definition.profiles import MAX_PROFILES
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.definition.vocabulary import DOMAIN_TAGS
from pathways.errors import Location, Problem

__all__ = ["check_references"]


class _Checker:
    def __init__(self, pathway: Pathway, broken: frozenset[tuple[str, str]]) -> None:
        self.p = pathway
        self.broken = broken
        self.problems: list[Problem] = []
        self.actors = {*pathway.roles, *pathway.agencies}
        self.cited = {*pathway.sources, *pathway.assumptions}

    def at(self, section: str, name: str, *rest: str | int) -> Location | None:
        return self.p.location(section, name, *rest)

    def known(self, section: str, name: str, pool: Iterable[str]) -> bool:
        return name in pool or (section, name) in self.broken

    def ref(
        self,
        code: str,
        what: str,
        name: str,
        section: str,
        pool: Iterable[str],
        at: Location | None,
        hint: str,
    ) -> None:
        """Report `name` unless it is in `pool` (or exists but is broken)."""
        if self.known(section, name, pool):
            return
        options = sorted(pool)
        self.problems.append(
            Problem(
                code,
                f"{what} '{name}', which is not {_article(section)}",
                at,
                expected=one_of(options, none=f"a name declared under {section}: (none yet)"),
                hint=did_you_mean(name, options) or hint,
            )
        )

    def run(self) -> list[Problem]:
        self.entry()
        for name in self.p.agencies:
            self.agency(name)
        for name in self.p.duties:
            self.duty(name)
        for name in self.p.profile:
            self.attribute(name)
        for name in self.p.tracks:
            self.track(name)
        for name in self.p.stages:
            self.stage(name)
        for name in self.p.handoffs:
            self.handoff(name)
        self.bindings()
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
            self.problems.append(
                Problem(
                    "track-entry-mismatch",
                    f"track '{name}' starts at '{track.entry}', which is on track '{stage.track}'",
                    at,
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

    def handoff(self, name: str) -> None:
        handoff = self.p.handoffs[name]
        stages = self.p.stages
        for i, source in enumerate(handoff.from_):
            self.ref(
                "unknown-stage",
                f"handoff '{name}' comes from",
                source,
                "stages",
                stages,
                self.at("handoffs", name, "from", i),
                "name a stage declared under stages:",
            )
            if source in stages and stages[source].kind == "outcome":
                self.problems.append(
                    Problem(
                        "outcome-has-exit",
                        f"handoff '{name}' leaves '{source}', which is an outcome",
                        self.at("handoffs", name, "from", i),
                        expected="handoffs only from stages that are not outcomes",
                        hint="an outcome ends its track; make the stage another kind "
                        "or remove the handoff",
                    )
                )
        self.ref(
            "unknown-stage",
            f"handoff '{name}' goes to",
            handoff.to,
            "stages",
            stages,
            self.at("handoffs", name, "to"),
            "name a stage declared under stages:",
        )
        self.same_track(name)
        for i, actor in enumerate(handoff.by):
            self.ref(
                "unknown-role",
                f"handoff '{name}' is made by",
                actor,
                "roles",
                self.actors,
                self.at("handoffs", name, "by", i),
                "name a role or agency declared in this pathway",
            )
        for i, item in enumerate(handoff.shares):
            self.ref(
                "unknown-information",
                f"handoff '{name}' shares",
                item,
                "information",
                self.p.information,
                self.at("handoffs", name, "shares", i),
                "declare the item under information:",
            )
        for field in ("starts", "waits_for"):
            for i, track in enumerate(getattr(handoff, field)):
                self.ref(
                    "unknown-track",
                    f"handoff '{name}' {field.replace('_', ' ')}",
                    track,
                    "tracks",
                    self.p.tracks,
                    self.at("handoffs", name, field, i),
                    "declare the track under tracks:",
                )
        if handoff.timeout and handoff.within is None:
            self.problems.append(
                Problem(
                    "timeout-needs-time",
                    f"handoff '{name}' is a timeout but says no time",
                    self.at("handoffs", name, "timeout"),
                    expected="'within: ...' on the handoff",
                    hint="say after how long it happens by itself: within: 3 working days",
                )
            )
        elif handoff.timeout and handoff.within is not None and handoff.within.days == 0:
            self.problems.append(
                Problem(
                    "timeout-needs-time",
                    f"handoff '{name}' is a timeout that happens after no time at all",
                    self.at("handoffs", name, "within"),
                    expected="a time limit of at least one day",
                    hint="a timeout happens when its time runs out; give it at least 1 day, or "
                    "make it an ordinary handoff",
                )
            )
        self.condition(name)
        self.citations("handoffs", name, handoff.cites)

    def same_track(self, name: str) -> None:
        handoff = self.p.handoffs[name]
        target = self.p.stages.get(handoff.to)
        for source in handoff.from_:
            stage = self.p.stages.get(source)
            if stage is not None and target is not None and stage.track != target.track:
                self.problems.append(
                    Problem(
                        "cross-track-handoff",
                        f"handoff '{name}' goes from track '{stage.track}' to track "
                        f"'{target.track}'",
                        self.at("handoffs", name, "to"),
                        expected="a stage on the same track as where it starts",
                        hint="tracks meet only where a handoff 'starts:' a track or "
                        "'waits_for:' one",
                    )
                )

    def condition(self, name: str) -> None:
        handoff = self.p.handoffs[name]
        if handoff.when is None or not self.p.profile:
            if handoff.when is not None:
                self.problems.append(
                    Problem(
                        "unknown-attribute",
                        f"handoff '{name}' has a condition but the pathway declares no profile",
                        self.at("handoffs", name, "when"),
                        hint="declare the victim profile attributes under profile:",
                    )
                )
            return
        domains = {a: attr.domain for a, attr in self.p.profile.items()}
        place = self.p._origin.places.get(("handoffs", name)) if self.p._origin else None
        for issue in validate_condition(handoff.when, domains):
            location = None
            if place is not None:
                positions, prefix = place
                location = offset_location(positions, (*prefix, "when"), issue.offset)
            self.problems.append(
                Problem(
                    issue.code,
                    f"handoffs.{name}.when: {issue.message}",
                    location,
                    expected=issue.expected,
                    hint=issue.hint,
                )
            )

    def citations(self, section: str, name: str, cites: Iterable[str]) -> None:
        for i, key in enumerate(cites):
            self.ref(
                "unknown-source",
                f"{singular(section)} '{name}' cites",
                key,
                "sources",
                self.cited,
                self.at(section, name, "cites", i),
                "add it under sources: (or assumptions:)",
            )

    def bindings(self) -> None:
        size = 1
        for attribute in self.p.profile.values():
            size *= max(1, len(attribute.domain))
        if size > MAX_PROFILES:
            self.problems.append(
                Problem(
                    "profile-too-large",
                    f"the profile has {size:,} combinations of values",
                    self.at("profile", next(iter(self.p.profile))),
                    expected=f"at most {MAX_PROFILES:,} combinations",
                    hint="keep the profile coarse: fewer attributes or fewer values",
                )
            )
        if self.p.baseline:
            return
        for role, users in sorted(_role_users(self.p).items()):
            if role in self.p.agencies or self.p.owner_agencies(role):
                continue
            section, name = users[0]
            field = "by" if section == "handoffs" else "owner"
            self.problems.append(
                Problem(
                    "role-unbound",
                    f"role '{role}' is used by {_list_users(users)} but no agency in "
                    f"{self.p.area} fills it",
                    self.at(section, name, field),
                    expected=f"an agency with 'roles: [{role}]' under agencies:",
                    hint="add the agency that does this here, or replace or remove "
                    "what uses the role",
                )
            )


def _role_users(pathway: Pathway) -> dict[str, list[tuple[str, str]]]:
    users: dict[str, list[tuple[str, str]]] = {}
    for name, stage in pathway.stages.items():
        if stage.owner in pathway.roles:
            users.setdefault(stage.owner, []).append(("stages", name))
    for name, handoff in pathway.handoffs.items():
        for actor in handoff.by:
            if actor in pathway.roles:
                users.setdefault(actor, []).append(("handoffs", name))
    for name, duty in pathway.duties.items():
        if duty.owner in pathway.roles:
            users.setdefault(duty.owner, []).append(("duties", name))
    return users


def _list_users(users: list[tuple[str, str]]) -> str:
    named = [f"{singular(section)} '{name}'" for section, name in users[:3]]
    more = f" and {len(users) - 3} more" if len(users) > 3 else ""
    return ", ".join(named) + more


def _duplicates(values: Iterable[object]) -> Iterator[object]:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            yield value
        seen.add(value)


def _article(section: str) -> str:
    nouns = {
        "roles": "a role or agency of this pathway",
        "duties": "a duty of this pathway",
        "tracks": "a track of this pathway",
        "stages": "a stage",
        "information": "an information item of this pathway",
        "tags": "a tag I know",
        "sources": "a source or assumption of this file",
    }
    return nouns.get(section, section)


def check_references(
    pathway: Pathway, broken: frozenset[tuple[str, str]] = frozenset()
) -> list[Problem]:
    """Every reference problem in `pathway`; `broken` names entries that failed validation."""
    return _Checker(pathway, broken).run()
