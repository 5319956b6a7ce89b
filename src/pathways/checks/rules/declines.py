"""Declines: a referral its receiver may decline must leave the victim somewhere to go.

A handoff that `require: acceptance` can be declined; the victim then goes back to the
referrer's stage (or the stage `acceptance.declined_to` names). If, for some victim, no other
way leads out of that stage, a decline leaves the referrer nothing to do but make the same
referral again: the pathway should say what happens instead (another referral, a duty to
notify report, an outcome).
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.graph.walks import Step

__all__: list[str] = []


def _low(bits: int) -> int:
    return (bits & -bits).bit_length() - 1


@rule(
    "decline-nowhere",
    "handoffs",
    "a referral can be declined and leave the victim with nowhere else to go",
    Severity.WARNING,
)
def decline_nowhere(ctx: Context) -> Iterator[Hit]:
    """A referral that requires acceptance, for which some victim who is declined lands at a
    stage (not an outcome) with no way out but the same referral.

    Example: `refer` from `identified` requires acceptance, is declined back to `identified`,
    and `identified` has no other handoff for an adult who declines consent.
    """
    graph = ctx.graph
    seen: set[tuple[str, str]] = set()
    for edges in graph.out.values():
        for edge in edges:
            if not edge.decline or (edge.handoff, edge.target) in seen:
                continue
            seen.add((edge.handoff, edge.target))
            if edge.target in graph.outcomes:
                continue
            others = 0
            for out in graph.out[edge.target]:
                if out.handoff != edge.handoff:
                    others |= out.mask
            referrals = [e for e in graph.edges_of[edge.handoff] if not e.decline]
            for referral in referrals:
                bits = ctx.reach.at(referral.source) & referral.mask & ~others
                if not bits:
                    continue
                profile = _low(bits)
                route = (
                    *ctx.route(referral.source, bits),
                    Step(referral.target, profile, handoff=edge.handoff),
                    Step(edge.target, profile, handoff=edge.handoff),
                )
                yield Hit(
                    "handoffs",
                    edge.handoff,
                    f"{ctx.who(bits)} can be referred by '{edge.handoff}' and declined back to "
                    f"{ctx.stage_label(edge.target)}, where nothing but the same referral leads "
                    "on",
                    profiles=bits,
                    route=route,
                    at=("acceptance",),
                    hint="add what happens after a decline (another referral, a report or an "
                    "outcome), or send declines to such a stage with 'declined_to:'",
                )
                break
