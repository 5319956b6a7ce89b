"""Profile rules: every kind of victim, checked together, including declared profile changes.

Each walk follows all profiles at once as a bitmask (see `pathways.graph.profile_graph`), so "adult,
consent declined" and "child, turns 18 on the way" are checked in the same pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.graph.walks import backward

__all__ = ["gaps"]


def gaps(ctx: Context) -> dict[str, int]:
    """For each stage with ways out, the profiles that can be there with no handoff open."""
    found: dict[str, int] = {}
    graph = ctx.graph
    for name, bits in ctx.reach.masks.items():
        if name in graph.outcomes or not graph.out[name]:
            continue
        gap = bits & ~graph.open_at(name)
        if gap:
            found[name] = gap
    return found


@rule(
    "profile-gap",
    "profiles",
    "some victim can reach a stage where no handoff is open to them",
    Severity.ERROR,
)
def profile_gap(ctx: Context) -> Iterator[Hit]:
    """A stage some profile can reach where every handoff's condition excludes that profile.

    Example: from `consent-discussion` only `refer-to-nrm` (when `consent == 'given'`) and
    `refer-childrens-services` (when `age_group == 'child'`): an adult who declines is stuck.
    """
    for name, gap in sorted(gaps(ctx).items(), key=lambda item: ctx.graph.order[item[0]]):
        yield Hit(
            "stages",
            name,
            f"no handoff from {ctx.stage_label(name)} is open to {ctx.who(gap)}",
            profiles=gap,
            route=ctx.route(name, gap),
            hint="add a handoff for these victims, or widen the condition of one",
        )


@rule(
    "profile-no-outcome",
    "profiles",
    "some victim can reach a stage from which they can never reach an outcome",
    Severity.ERROR,
)
def profile_no_outcome(ctx: Context) -> Iterator[Hit]:
    """Profiles that get to a stage from which no route open to them reaches an outcome.

    Reported where they first lose the way. Victims stuck at a profile gap, a dead end or a
    trap loop are reported by those rules instead. Example: a loop `review` <-> `reassess`
    whose only exit is for `age_group == 'adult'`, reached by children who cannot turn 18.
    """
    graph = ctx.graph
    targets = dict.fromkeys(graph.outcomes, graph.full)
    for name, gap in gaps(ctx).items():
        targets[name] = gap
    for name in graph.pathway.stages:
        if name not in ctx.can_finish:
            targets[name] = graph.full
    fine = backward(graph, targets)
    reach = ctx.reach.masks
    lost: dict[str, int] = {}

    def note(stage: str, bits: int) -> None:
        bad = bits & ~fine.get(stage, 0)
        if bad:
            lost[stage] = lost.get(stage, 0) | bad

    note(graph.pathway.entry, reach.get(graph.pathway.entry, 0))
    for stage, bits in reach.items():
        ok = bits & fine.get(stage, 0)
        if not ok:
            continue
        for change in graph.changes:
            note(stage, change.apply(ok))
        for edge in graph.out[stage]:
            carry = ok & edge.mask
            note(edge.target, carry)
            for track in edge.starts:
                note(graph.entries[track], carry)
    for name in sorted(lost, key=graph.order.__getitem__):
        bits = lost[name]
        yield Hit(
            "stages",
            name,
            f"{ctx.who(bits)} can reach {ctx.stage_label(name)} "
            "but no route open to them leads on to an outcome",
            profiles=bits,
            route=ctx.route(name, bits),
            hint="give these victims a way on towards an outcome",
        )


@rule(
    "condition-overlap",
    "profiles",
    "two handoffs from one stage open to the same victim where the pathway means a choice",
    Severity.WARNING,
)
def condition_overlap(ctx: Context) -> Iterator[Hit]:
    """Two handoffs from a stage that is not a decision, both open to the same profile.

    At a `kind: decision` stage the handoffs are the decision's answers and may overlap;
    handoffs that happen by themselves (`timeout: true`) are fallbacks, not choices.
    Example: `refer-police` when `age_group == 'adult'` and `refer-council` when
    `needs_accommodation`, both from `triage`.
    """
    graph = ctx.graph
    for name, stage in ctx.pathway.stages.items():
        here = ctx.reach.at(name)
        if stage.kind == "decision" or not here:
            continue
        # a decline is the receiver's answer, not one of the ways on the pathway offers
        edges = [e for e in graph.out[name] if not e.timeout and not e.decline]
        for i, first in enumerate(edges):
            for second in edges[i + 1 :]:
                both = here & first.mask & second.mask
                if not both or first.handoff == second.handoff:
                    continue
                yield Hit(
                    "handoffs",
                    second.handoff,
                    f"handoffs '{first.handoff}' and '{second.handoff}' from "
                    f"{ctx.stage_label(name)} are both open to "
                    f"{ctx.who(both)}; the pathway does not say which to take",
                    profiles=both,
                    route=ctx.route(name, both),
                    at=("when",) if ctx.pathway.handoffs[second.handoff].when else (),
                    hint="narrow one condition, or make the stage 'kind: decision' if "
                    "someone chooses",
                )


@rule("dead-handoff", "profiles", "a handoff no victim can ever take", Severity.WARNING)
def dead_handoff(ctx: Context) -> Iterator[Hit]:
    """A handoff from a reachable stage whose condition no victim who gets there meets.

    Example: `refer-childrens-services` (when `age_group == 'child'`) from a stage only adults
    reach, with no declared change from adult to child.
    """
    graph = ctx.graph
    for name, handoff in ctx.pathway.handoffs.items():
        edges = graph.edges_of[name]
        arriving = [ctx.reach.at(e.source) for e in edges]
        if not any(arriving):
            continue
        if any(bits & e.mask for bits, e in zip(arriving, edges, strict=True)):
            continue
        sources = ", ".join(ctx.stage_label(e.source) for e in edges)
        yield Hit(
            "handoffs",
            name,
            f"no victim can take handoff '{name}': no one who can be at {sources} meets "
            "its condition",
            at=("when",) if handoff.when is not None else (),
            hint="correct the condition, or remove the handoff",
        )
