"""Lifecycle references: what the referral-lifecycle keys name must exist and fit together.

A handoff that `require: acceptance` says how it may be declined (`acceptance:` with its
reasons), and `acceptance:` is only for such a handoff; a decline goes to a stage on the track
the referral arrives on; the roles that may take a journey-level action or a transfer exist;
every stage a transfer maps from is a stage of this pathway. (The stages a transfer maps *to*
belong to the other area's pathway: the runtime checks them when a journey moves.)
"""

from __future__ import annotations

from pathways.definition.resolver import Resolver
from pathways.errors import Problem

__all__ = ["check_lifecycle"]


def check_lifecycle(r: Resolver) -> None:
    """Report every lifecycle key of the pathway that does not resolve or does not fit."""
    for name in r.p.handoffs:
        _acceptance(r, name)
    actions = r.p.actions
    if actions is not None:
        for key, action in (("withdraw", actions.withdraw), ("close", actions.close)):
            for actor in action.by if action is not None else ():
                r.ref(
                    "unknown-role",
                    f"'actions.{key}' may be taken by",
                    actor,
                    "roles",
                    r.actors,
                    None,
                    "name a role or agency declared in this pathway",
                )
    for name, transfer in r.p.transfers.items():
        for stage in transfer.stages:
            r.ref(
                "unknown-stage",
                f"transfer '{name}' moves journeys from",
                stage,
                "stages",
                r.p.stages,
                r.at("transfers", name, "stages", stage),
                "name a stage declared under stages:",
            )
        for i, actor in enumerate(transfer.by):
            r.ref(
                "unknown-role",
                f"transfer '{name}' is made by",
                actor,
                "roles",
                r.actors,
                r.at("transfers", name, "by", i),
                "name a role or agency declared in this pathway",
            )


def _acceptance(r: Resolver, name: str) -> None:
    handoff = r.p.handoffs[name]
    if handoff.require == "acceptance" and handoff.acceptance is None:
        r.problems.append(
            Problem(
                "acceptance-needs-reasons",
                f"handoff '{name}' requires acceptance but says no reasons to decline it",
                r.at("handoffs", name, "require"),
                expected="'acceptance: {reasons: [...]}' on the handoff",
                hint="list why the receiving agency may decline, such as "
                "acceptance: {reasons: [not-enough-information]}",
            )
        )
    if handoff.acceptance is None:
        return
    if handoff.require != "acceptance":
        r.problems.append(
            Problem(
                "acceptance-not-required",
                f"handoff '{name}' says how it may be declined but does not require acceptance",
                r.at("handoffs", name, "acceptance"),
                expected="'require: acceptance' beside 'acceptance:'",
                hint="add 'require: acceptance', or remove 'acceptance:'",
            )
        )
    target = r.p.stages.get(handoff.to)
    declined_to = handoff.acceptance.declined_to
    if declined_to is None:
        return
    at = r.at("handoffs", name, "acceptance", "declined_to")
    r.ref(
        "unknown-stage",
        f"a decline of handoff '{name}' goes to",
        declined_to,
        "stages",
        r.p.stages,
        at,
        "name a stage declared under stages:",
    )
    stage = r.p.stages.get(declined_to)
    if stage is not None and target is not None and stage.track != target.track:
        # a baseline's decline to a stage the area moved: fixed at the stage's track
        place, inherited = r.place(
            at, ("stages", declined_to, "track"), ("stages", handoff.to, "track")
        )
        r.problems.append(
            Problem(
                "cross-track-handoff",
                f"a decline of handoff '{name}' goes from track '{target.track}' to track "
                f"'{stage.track}'",
                place,
                inherited=inherited,
                expected="a stage on the track the referral arrives on",
                hint="a declined referral stays on its track; name a stage of that track",
            )
        )
