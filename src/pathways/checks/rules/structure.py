"""Structure rules: can journeys get everywhere, and out again, whatever the victim's profile."""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.definition.schema import MAIN_TRACK
from pathways.definition.vocabulary import OUTCOMES
from pathways.errors import DefinitionError, Problem

__all__: list[str] = []


@rule(
    "no-unreachable-stage",
    "structure",
    "a stage no victim can ever arrive at",
    Severity.WARNING,
)
def unreachable(ctx: Context) -> Iterator[Hit]:
    """A stage no journey can reach from the entry, with the conditions as written.

    Example: stage `housing-check` with no handoff to it, or only a handoff for
    `age_group == 'child'` from a stage only adults reach.
    """
    plain = ctx.graph.structurally_reachable()
    for name in ctx.pathway.stages:
        if ctx.reach.at(name):
            continue
        if name in plain:
            why = "handoffs lead here, but none is open to a victim who can get to them"
        else:
            why = "no handoff leads here from where journeys start"
        yield Hit("stages", name, f"no victim can reach {ctx.stage_label(name)}: {why}")


@rule("no-dead-end", "structure", "a stage that is not an outcome has no way out", Severity.ERROR)
def dead_end(ctx: Context) -> Iterator[Hit]:
    """A stage with no handoff leaving it that is not an outcome: journeys stop there for good.

    Example: `strategy-meeting` (kind `safeguarding`) with no handoff `from: strategy-meeting`.
    """
    for name, stage in ctx.pathway.stages.items():
        if stage.kind != "outcome" and not ctx.graph.out[name]:
            yield Hit(
                "stages",
                name,
                f"{ctx.stage_label(name)} has no way out and is not an outcome",
                route=ctx.route(name, ctx.graph.full),
                hint="add a handoff from it, or make it 'kind: outcome' with an 'outcome:'",
            )


def _complete(ctx: Context) -> tuple[set[str] | None, str]:
    """The stages that count as completing a journey under the `complete` option, in words."""
    wanted = [w.strip() for w in str(ctx.option("complete", "")).split(",") if w.strip()]
    if not wanted:
        return None, "an outcome"
    unknown = [w for w in wanted if w not in OUTCOMES]
    if unknown:
        raise DefinitionError(
            [
                Problem(
                    "bad-option",
                    f"checks: rules: no-route-to-outcome: options: complete: '{unknown[0]}' "
                    "is not an outcome",
                    expected="a comma-separated list of " + ", ".join(OUTCOMES),
                )
            ]
        )
    stages = ctx.pathway.stages
    tracks = {stages[n].track for n in ctx.graph.outcomes if stages[n].outcome in wanted}
    goal = {n for n in ctx.graph.outcomes if stages[n].outcome in wanted}
    goal |= {n for n in ctx.graph.outcomes if stages[n].track not in tracks}
    return goal, "an outcome of " + " or ".join(f"'{w}'" for w in wanted)


@rule(
    "no-route-to-outcome",
    "structure",
    "a stage from which no chain of handoffs reaches an outcome",
    Severity.ERROR,
    options={"complete": ""},
)
def no_route(ctx: Context) -> Iterator[Hit]:
    """A stage with ways out, none of which ever leads to an outcome of its track.

    Reported where the journey first loses its way (the stages before it can still finish);
    dead ends and trap loops are reported by their own rules. The option `complete` names the
    outcomes that complete a journey (say `supported, moved-on`): a stage that can only end
    in other outcomes is then reported too (tracks with none of those outcomes, such as a
    police track, still need any outcome). Example: `triage` hands on only to
    `waiting-list`, which has no way out.
    """
    goal, words = _complete(ctx)
    finish = ctx.can_finish if goal is None else ctx.graph.can_finish(goal)
    trapped = {s for loop in ctx.traps for s in loop}
    entries = set(ctx.graph.entries.values())
    for name in ctx.pathway.stages:
        if name in finish or not ctx.graph.out[name] or name in trapped:
            continue
        edges = ctx.graph.into[name]
        if name in entries or any(e.source in finish for e in edges) or not edges:
            yield Hit(
                "stages",
                name,
                f"no route leads from {ctx.stage_label(name)} to {words}",
                route=ctx.route(name, ctx.graph.full),
                hint="add a handoff towards an outcome stage from it or from a stage after it",
            )


@rule("no-trap-loop", "structure", "a loop of stages with no way out", Severity.ERROR)
def trap_loop(ctx: Context) -> Iterator[Hit]:
    """Stages that hand the victim round each other with no handoff leaving the loop.

    Example: `review` hands to `re-assess`, which hands back to `review`, and nothing else.
    """
    for loop in ctx.traps:
        names = " -> ".join([*loop, loop[0]])
        yield Hit(
            "stages",
            loop[0],
            f"journeys that reach {ctx.stage_label(loop[0])} go round {names} "
            "with no way out to an outcome",
            route=ctx.route(loop[0], ctx.graph.full),
            hint="add a handoff from one of these stages to a stage outside the loop",
        )


@rule("outcome-required", "structure", "a track with no outcome stage", Severity.ERROR)
def outcome_required(ctx: Context) -> Iterator[Hit]:
    """Every track (the main one and each parallel one) needs an outcome to end at.

    Example: track `police` whose stages are all `investigation`.
    """
    tracks = {MAIN_TRACK: False, **dict.fromkeys(ctx.pathway.tracks, False)}
    for name in ctx.graph.outcomes:
        tracks[ctx.pathway.stages[name].track] = True
    for track, has in tracks.items():
        if has:
            continue
        if track == MAIN_TRACK:
            yield Hit(
                "stages",
                ctx.pathway.entry,
                "the main track has no outcome stage, so no journey can end",
                hint="add a stage with 'kind: outcome' and an 'outcome:'",
            )
        else:
            yield Hit(
                "tracks",
                track,
                f"track '{track}' has no outcome stage, so it can never end",
                hint=f"add a stage with 'track: {track}' and 'kind: outcome'",
            )


@rule(
    "stage-owner-required",
    "structure",
    "a stage owned by no declared role or agency",
    Severity.ERROR,
)
def owner_required(ctx: Context) -> Iterator[Hit]:
    """Each stage must be owned by a role or agency the pathway declares.

    Example: `owner: ""`, or `owner: social-services` with no such role or agency.
    """
    actors = {*ctx.pathway.roles, *ctx.pathway.agencies}
    for name, stage in ctx.pathway.stages.items():
        if stage.owner not in actors:
            who = f"'{stage.owner}'" if stage.owner else "nobody"
            yield Hit(
                "stages",
                name,
                f"{ctx.stage_label(name)} is owned by {who}, which is no declared role or agency",
                at=("owner",),
            )


@rule("role-unbound", "structure", "a role that no agency fills in this area", Severity.ERROR)
def role_unbound(ctx: Context) -> Iterator[Hit]:
    """In an area pathway, every role a stage, handoff or duty uses must be filled by an agency.

    Baselines speak in roles and are not checked. Example: a handoff `by: [police]` in a file
    where no agency has `roles: [police]`.
    """
    p = ctx.pathway
    if p.baseline:
        return
    users: dict[str, list[str]] = {}
    for name, stage in p.stages.items():
        users.setdefault(stage.owner, []).append(f"stage '{name}'")
    for name, handoff in p.handoffs.items():
        for actor in handoff.by:
            users.setdefault(actor, []).append(f"handoff '{name}'")
    for name, duty in p.duties.items():
        users.setdefault(duty.owner, []).append(f"duty '{name}'")
    for role in sorted(users):
        if role in p.agencies or role not in p.roles or p.owner_agencies(role):
            continue
        who = ", ".join(users[role][:3]) + (" and others" if len(users[role]) > 3 else "")
        yield Hit(
            "roles",
            role,
            f"no agency in {p.area} fills the role '{role}', used by {who}",
            hint=f"add 'roles: [{role}]' to the agency that does this here",
        )


@rule("duty-unowned", "structure", "a statutory duty that no agency holds", Severity.ERROR)
def duty_unowned(ctx: Context) -> Iterator[Hit]:
    """Every statutory duty needs an owner: in an area, an agency that holds it.

    Example: duty `duty-to-notify` owned by role `first-responder` in an area where no agency
    is a first responder and none lists the duty under `duties:`.
    """
    p = ctx.pathway
    actors = {*p.roles, *p.agencies}
    for name, duty in p.duties.items():
        if duty.owner not in actors:
            yield Hit(
                "duties",
                name,
                f"duty '{duty.title}' is owned by '{duty.owner}', which is no role or agency",
                at=("owner",),
            )
        elif not p.baseline:
            holders = p.owner_agencies(duty.owner)
            listed = [a for a, agency in p.agencies.items() if name in agency.duties]
            if not holders and not listed:
                yield Hit(
                    "duties",
                    name,
                    f"no agency in {p.area} holds the duty '{duty.title}' ({duty.statute})",
                    hint=f"give an agency the role '{duty.owner}' or 'duties: [{name}]'",
                )


@rule(
    "superfluous-stage",
    "structure",
    "a stage that only passes the victim on, adding nothing",
    Severity.INFO,
    Severity.WARNING,
)
def superfluous(ctx: Context) -> Iterator[Hit]:
    """A stage with one way in and one way out, both for every victim, owned by the same
    agencies as the stages either side, with no time limit, information, duty or tag.

    Example: `log-referral` between `triage` and `assessment`, all owned by the council.
    """
    p, graph = ctx.pathway, ctx.graph
    entries = set(graph.entries.values())
    for name, stage in p.stages.items():
        if name in entries or stage.kind in ("outcome", "decision"):
            continue
        ins, outs = graph.into[name], graph.out[name]
        if len(ins) != 1 or len(outs) != 1:
            continue
        edges = (ins[0], outs[0])
        if any(e.mask != graph.full or e.starts or e.timeout for e in edges):
            continue
        if any(p.handoffs[e.handoff].waits_for for e in edges):
            continue
        if stage.collects or stage.needs or stage.within or stage.at_least or stage.basis:
            continue
        if stage.tags or any(e.agency_change for e in edges):
            continue
        yield Hit(
            "stages",
            name,
            f"{ctx.stage_label(name)} only passes the victim from "
            f"{ctx.stage_label(ins[0].source)} to {ctx.stage_label(outs[0].target)}, "
            "with the same owner and nothing else to do",
            hint="remove it and hand straight on, or say what it does (a time limit, "
            "information, a duty)",
        )
