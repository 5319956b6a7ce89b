"""Handoff references: where a handoff comes from and goes to, who makes it, what it starts,
waits for and carries, the tracks it joins and the profile attributes its condition names.
"""

from __future__ import annotations

from pathways.definition.conditions import validate as validate_condition
from pathways.definition.messages import offset_location
from pathways.definition.resolver import Resolver
from pathways.errors import Problem

__all__ = ["check_handoff"]


def check_handoff(r: Resolver, name: str) -> None:
    """Report every name handoff `name` uses that does not resolve, and tracks it crosses."""
    handoff = r.p.handoffs[name]
    stages = r.p.stages
    for i, source in enumerate(handoff.from_):
        r.ref(
            "unknown-stage",
            f"handoff '{name}' comes from",
            source,
            "stages",
            stages,
            r.at("handoffs", name, "from", i),
            "name a stage declared under stages:",
        )
        if source in stages and stages[source].kind == "outcome":
            # a baseline's handoff from a stage the area made an outcome: fixed at its kind
            at, inherited = r.place(r.at("handoffs", name, "from", i), ("stages", source, "kind"))
            r.problems.append(
                Problem(
                    "outcome-has-exit",
                    f"handoff '{name}' leaves '{source}', which is an outcome",
                    at,
                    inherited=inherited,
                    expected="handoffs only from stages that are not outcomes",
                    hint="an outcome ends its track; make the stage another kind "
                    "or remove the handoff",
                )
            )
    r.ref(
        "unknown-stage",
        f"handoff '{name}' goes to",
        handoff.to,
        "stages",
        stages,
        r.at("handoffs", name, "to"),
        "name a stage declared under stages:",
    )
    _same_track(r, name)
    for i, actor in enumerate(handoff.by):
        r.ref(
            "unknown-role",
            f"handoff '{name}' is made by",
            actor,
            "roles",
            r.actors,
            r.at("handoffs", name, "by", i),
            "name a role or agency declared in this pathway",
        )
    for i, item in enumerate(handoff.shares):
        r.ref(
            "unknown-information",
            f"handoff '{name}' shares",
            item,
            "information",
            r.p.information,
            r.at("handoffs", name, "shares", i),
            "declare the item under information:",
        )
    for field in ("starts", "waits_for"):
        for i, track in enumerate(getattr(handoff, field)):
            r.ref(
                "unknown-track",
                f"handoff '{name}' {field.replace('_', ' ')}",
                track,
                "tracks",
                r.p.tracks,
                r.at("handoffs", name, field, i),
                "declare the track under tracks:",
            )
    if handoff.timeout and handoff.within is None:
        r.problems.append(
            Problem(
                "timeout-needs-time",
                f"handoff '{name}' is a timeout but says no time",
                r.at("handoffs", name, "timeout"),
                expected="'within: ...' on the handoff",
                hint="say after how long it happens by itself: within: 3 working days",
            )
        )
    elif handoff.timeout and handoff.within is not None and handoff.within.days == 0:
        r.problems.append(
            Problem(
                "timeout-needs-time",
                f"handoff '{name}' is a timeout that happens after no time at all",
                r.at("handoffs", name, "within"),
                expected="a time limit of at least one day",
                hint="a timeout happens when its time runs out; give it at least 1 day, or "
                "make it an ordinary handoff",
            )
        )
    _condition(r, name)
    r.citations("handoffs", name, handoff.cites)
    if handoff.lawful_basis is not None:
        r.citations("handoffs", name, handoff.lawful_basis.cites, ("lawful_basis",))


def _same_track(r: Resolver, name: str) -> None:
    handoff = r.p.handoffs[name]
    target = r.p.stages.get(handoff.to)
    for source in handoff.from_:
        stage = r.p.stages.get(source)
        if stage is not None and target is not None and stage.track != target.track:
            # a baseline's handoff between stages the area moved: fixed at their track
            at, inherited = r.place(
                r.at("handoffs", name, "to"),
                ("stages", handoff.to, "track"),
                ("stages", source, "track"),
            )
            r.problems.append(
                Problem(
                    "cross-track-handoff",
                    f"handoff '{name}' goes from track '{stage.track}' to track '{target.track}'",
                    at,
                    inherited=inherited,
                    expected="a stage on the same track as where it starts",
                    hint="tracks meet only where a handoff 'starts:' a track or 'waits_for:' one",
                )
            )


def _condition(r: Resolver, name: str) -> None:
    handoff = r.p.handoffs[name]
    if handoff.when is None or not r.p.profile:
        if handoff.when is not None:
            r.problems.append(
                Problem(
                    "unknown-attribute",
                    f"handoff '{name}' has a condition but the pathway declares no profile",
                    r.at("handoffs", name, "when"),
                    hint="declare the victim profile attributes under profile:",
                )
            )
        return
    domains = {a: attr.domain for a, attr in r.p.profile.items()}
    place = r.p._origin.places.get(("handoffs", name)) if r.p._origin else None
    for issue in validate_condition(handoff.when, domains):
        location = None
        if place is not None:
            positions, prefix = place
            location = offset_location(positions, (*prefix, "when"), issue.offset)
        r.problems.append(
            Problem(
                issue.code,
                f"handoffs.{name}.when: {issue.message}",
                location,
                expected=issue.expected,
                hint=issue.hint,
            )
        )
